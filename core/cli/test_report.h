/*
 * test_report.h — how `custos test` shows results: text (one line per suite, each failure
 * with its file:line and expected against actual), TAP version 13, one JSON document, and
 * JUnit XML written to a file alongside any of them.
 */
#ifndef CUSTOS_CLI_TEST_REPORT_H
#define CUSTOS_CLI_TEST_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "custos_suite.h"

typedef enum t_format { T_FORMAT_TEXT, T_FORMAT_TAP, T_FORMAT_JSON } t_format;

typedef struct t_totals {
    size_t suites; /* suites reported (run, or that did not load) */
    size_t broken; /* suites that did not load */
    size_t passed, failed, skipped;
    double seconds;
} t_totals;

typedef struct t_reporter {
    t_format format;
    FILE *out;
    bool color;
    size_t tap_count;
    /* coverage: NULL unless --coverage; as JSON in text or TAP output when cov_json */
    const custos_coverage *cov;
    bool cov_json;
    double cov_min; /* < 0: no minimum */
} t_reporter;

void report_begin(t_reporter *rep);
/* Called as each selected suite finishes (or fails to load). */
void report_suite(t_reporter *rep, const custos_suite_info *sr);
/* A line of its own ("no suites found under X"): text and TAP (as a comment) only. */
void report_note(t_reporter *rep, const char *note);
/* The closing summary (and coverage); `runs` are every selected suite, for JSON. */
void report_end(t_reporter *rep, const custos_suite_info *runs, size_t n, const t_totals *t);

/* Writes JUnit XML to out (opened before the run, so a bad path fails early) and closes it;
 * false (with errno) when it could not be written. */
bool report_junit(FILE *out, const custos_suite_info *runs, size_t n, const t_totals *t);

#endif
