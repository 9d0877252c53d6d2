/*
 * custos_suite.h — policy unit-test suites (docs/testing.md) as a library: find the YAML
 * suites under a folder, load them, run their cases on engines the runner opens and shares,
 * and walk the results as plain structs.  `custos test` and `custos check` are clients of this
 * header; so can a binding (Python, Lua) be, for policy authors who run suites themselves.
 *
 *     custos_suite_paths found;          custos_suite_find("policies", &found);
 *     custos_suite_options opt = {NULL, true, false};          // filter, coverage, keep JSON
 *     custos_suite_runner *run;          custos_suite_runner_new(&opt, &run);
 *     for (size_t i = 0; i < found.count; i++) {
 *         custos_suite *s;               custos_suite_load(found.paths[i], &s);
 *         custos_suite_run(run, s);
 *         custos_suite_info info;        custos_suite_get_info(s, &info);
 *         ... info.status, info.cases[k].status, info.cases[k].mismatches ...
 *         custos_suite_free(s);
 *     }
 *     custos_coverage cov;               custos_suite_runner_coverage(run, &cov);
 *     custos_suite_runner_free(run);     custos_suite_paths_free(&found);
 *
 * Conventions are custos.h's: nothing here prints; a suite that does not load is not a failed
 * call but a suite with errors (each naming file:line:column); strings returned belong to the
 * object they came from.  Threads: a suite and a runner belong to one thread at a time;
 * distinct runners may run in parallel (each opens its own engines).
 */
#ifndef CUSTOS_SUITE_H
#define CUSTOS_SUITE_H

#include "custos.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Finding suites ---------------------------------------------------------------------- */

typedef struct custos_suite_paths {
    char **paths; /* malloc'd; free with custos_suite_paths_free */
    size_t count;
} custos_suite_paths;

/* A file is taken as a suite as it is; a folder is searched (recursively, in name order,
 * skipping hidden entries) for *.yaml and *.yml files directly inside a folder named `tests`.
 * Appends to *out, which starts zeroed.  CUSTOS_E_NOMEM is the only failure; an unreadable
 * folder is skipped. */
CUSTOS_API custos_status custos_suite_find(const char *path, custos_suite_paths *out);
CUSTOS_API void custos_suite_paths_free(custos_suite_paths *paths);

/* ---- Loading ------------------------------------------------------------------------------- */

typedef struct custos_suite custos_suite;

/* Reads a suite: every key checked against the format, defaults merged, matrices expanded.
 * Returns CUSTOS_E_NOMEM only when out of memory (*out NULL); a suite that does not load is
 * still returned, with errors (custos_suite_info.error_count > 0) and no cases. */
CUSTOS_API custos_status custos_suite_load(const char *path, custos_suite **out);
CUSTOS_API void custos_suite_free(custos_suite *s);

/* ---- Running ------------------------------------------------------------------------------- */

typedef struct custos_suite_options {
    const char *filter;      /* run only cases whose display name, or whose suite's name or
                               * file, contains this (a plain substring); NULL: all.  Copied. */
    bool coverage;           /* decide with line coverage; see custos_suite_runner_coverage */
    bool keep_decision_json; /* keep each failed case's decision as JSON */
} custos_suite_options;

/* A runner opens one engine per distinct (policies, data, regime modes) that suites name, on
 * first use, and keeps it for every later suite.  options may be NULL (all cases, no
 * coverage). */
typedef struct custos_suite_runner custos_suite_runner;

CUSTOS_API custos_status custos_suite_runner_new(const custos_suite_options *options,
                                                 custos_suite_runner **out);
CUSTOS_API void custos_suite_runner_free(custos_suite_runner *r);

/* Runs the cases of s that the filter selects and records the results in s (a second run
 * replaces them).  A suite whose policies do not load, or whose expectations name articles or
 * codes the policies lack, gets errors and runs no case.  CUSTOS_OK unless out of memory. */
CUSTOS_API custos_status custos_suite_run(custos_suite_runner *r, custos_suite *s);

/* ---- Results ------------------------------------------------------------------------------- */

/* Why a suite did not load, or its policies did not: file is NULL when unknown, line and
 * column 0 when unknown. */
typedef struct custos_suite_error {
    const char *file;
    unsigned line, column;
    const char *message;
} custos_suite_error;

/* An article a case names in expect.because / expect.not_because, and where. */
typedef struct custos_suite_ref {
    const char *regime; /* NULL: the suite's own regime (custos_suite_info.regime) */
    const char *article;
    const char *file; /* where it is written; NULL when unknown */
    unsigned line, column;
} custos_suite_ref;

typedef enum custos_case_status {
    CUSTOS_CASE_NOT_RUN = 0, /* not run yet, or left out by the filter */
    CUSTOS_CASE_PASSED = 1,
    CUSTOS_CASE_FAILED = 2,
    CUSTOS_CASE_SKIPPED = 3
} custos_case_status;

typedef struct custos_suite_case {
    const char *name;        /* after matrix substitution */
    const char *display;     /* name, with the matrix combination in brackets when there is one */
    const char *combination; /* "role=staff, signed=true", or NULL */
    const char *file;        /* the suite's file (as custos_suite_info.file) */
    unsigned line;           /* the case's line there (0 when unknown) */
    const char *skip;        /* why it is skipped, or NULL */
    size_t because_count, not_because_count;
    const custos_suite_ref *because, *not_because;
    /* after custos_suite_run: */
    custos_case_status status;
    double seconds;
    size_t mismatch_count; /* failures: one line each ("decision: expected deny, got permit") */
    const char *const *mismatches;
    const char *expected;      /* failures: the expectation, one "field  value" per line */
    const char *actual;        /* failures: what came, in the same layout */
    const char *decision_json; /* failures with keep_decision_json: the decision; else NULL */
} custos_suite_case;

typedef enum custos_suite_status {
    CUSTOS_SUITE_NOT_RUN = 0, /* loaded, not run (or nothing in it was selected) */
    CUSTOS_SUITE_PASSED = 1,
    CUSTOS_SUITE_FAILED = 2, /* some case failed */
    CUSTOS_SUITE_ERROR = 3   /* it, or its policies, did not load: see errors */
} custos_suite_status;

typedef struct custos_suite_info {
    const char *path;   /* as opened */
    const char *file;   /* for messages: relative to the current folder when under it */
    const char *name;   /* `suite:`, else the file's path from its regime folder */
    const char *regime; /* the regime folder it lives in (<regime>/tests/), or NULL */
    custos_suite_status status;
    bool selected; /* after a run: a case, or the suite, matched the filter; a
                               * suite that did not load is always selected */
    size_t passed, failed, skipped;
    double seconds;
    size_t error_count;
    const custos_suite_error *errors;
    size_t case_count; /* every case, run or not */
    const custos_suite_case *cases;
} custos_suite_info;

/* Fills *out with a view of s: what it holds, and the results of its last run.  Everything it
 * points to is owned by s and lives until the next custos_suite_get_info, custos_suite_run or
 * custos_suite_free on s.  CUSTOS_E_NOMEM when the view cannot be built. */
CUSTOS_API custos_status custos_suite_get_info(custos_suite *s, custos_suite_info *out);

/* ---- Coverage ------------------------------------------------------------------------------ */

/* One encoded article of a regime in scope of the suites run, or one shared library. */
typedef struct custos_coverage_entry {
    bool library; /* a shared library (lib/): regime "", article its name; or a regime's
                   * applies (regime.lua): its regime, article "applies" — lines only */
    const char *regime;
    const char *article;
    const char *module; /* the policy file, as loaded */
    size_t line_count;  /* executable lines (custos_article_info.lines), ascending */
    const unsigned *lines;
    const bool *hit; /* per executable line: some case's decision ran it */
    size_t hit_count;
    size_t applied_cases; /* cases in which it returned permit or deny */
    size_t cited_cases;   /* cases naming it in expect.because or not_because */
} custos_coverage_entry;

typedef struct custos_coverage {
    size_t regime_count; /* the regimes brought into scope, in the order they came */
    const char *const *regimes;
    size_t entry_count; /* their encoded articles and the libraries, in the order they came */
    const custos_coverage_entry *entries;
} custos_coverage;

/* What the runner's suites covered so far (options.coverage; empty otherwise).  Owned by the
 * runner; valid until it runs another suite or is freed. */
CUSTOS_API custos_status custos_suite_runner_coverage(custos_suite_runner *r, custos_coverage *out);

#ifdef __cplusplus
}
#endif

#endif /* CUSTOS_SUITE_H */
