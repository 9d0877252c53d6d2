/*
 * suite_run.h — running loaded suites: one engine per distinct (policies, data, regime modes),
 * opened once and shared by every suite that needs it; one request and one decision reused
 * for every case; each case's decision checked against its expect, and what failed described
 * for the client's reporters (custos_suite.h is the public face: suite_api.c).
 */
#ifndef CUSTOS_SUITE_RUN_H
#define CUSTOS_SUITE_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "suite_coverage.h"
#include "suite_load.h"
#include "suite_text.h"

typedef enum t_status { T_PASS, T_FAIL, T_SKIP } t_status;

typedef struct t_result {
    const t_case *c;
    t_status status;
    double seconds;
    char **mismatches; /* one line each: "decision: expected deny, got permit" */
    size_t mismatch_count;
    char *expected;      /* failures only: the expectation, one "field  value" per line */
    char *actual;        /* failures only: what came, in the same layout */
    char *decision_json; /* failures only, when asked for: the decision document */
} t_result;

typedef struct t_suite_run {
    t_suite *suite;
    t_result *results;
    size_t result_count;
    bool selected; /* some case (or the suite) matched --filter */
    size_t passed, failed, skipped;
    double seconds;
} t_suite_run;

typedef struct t_runner t_runner;

/* coverage: decide with line coverage and record it into cov (which the runner does not
 * own); keep_json: keep each failed case's decision as JSON. */
t_runner *t_runner_new(t_coverage *cov, bool keep_json);
void t_runner_free(t_runner *r);

/* Runs the cases of sr->suite that match filter (NULL: all).  A suite whose policies do not
 * load, or whose expectations name articles or codes the policies do not have, gets errors
 * (sr->suite->error_count > 0) and runs no case.  False only when out of memory. */
bool t_runner_run(t_runner *r, t_suite_run *sr, const char *filter);

void t_suite_run_free(t_suite_run *sr);

#endif
