/*
 * suite_api.c — custos_suite.h: the public face of the suite reader (suite_load.c), runner
 * (suite_run.c) and coverage (suite_coverage.c).  Results are handed out as views: plain
 * structs built over the internal ones on request, owned by the suite or runner.
 */
#include <stdlib.h>
#include <string.h>

#include "custos_suite.h"
#include "suite_coverage.h"
#include "suite_load.h"
#include "suite_run.h"
#include "suite_util.h"

struct custos_suite {
    t_suite *suite;
    t_suite_run run;
    custos_suite_case *cases; /* the last view's */
    custos_suite_ref *refs;
};

struct custos_suite_runner {
    t_runner *runner;
    t_coverage *cov; /* NULL without options.coverage */
    char *filter;
};

/* ---- finding and loading ---------------------------------------------------------------------- */

custos_status custos_suite_find(const char *path, custos_suite_paths *out) {
    if (!path || !out) return CUSTOS_E_ARGUMENT;
    t_paths found = {out->paths, out->count, out->count};
    int rc = t_find_suites(path, &found);
    out->paths = found.items;
    out->count = found.count;
    return rc == 0 ? CUSTOS_OK : CUSTOS_E_NOMEM;
}

void custos_suite_paths_free(custos_suite_paths *paths) {
    if (!paths) return;
    t_paths p = {paths->paths, paths->count, paths->count};
    t_paths_free(&p);
    paths->paths = NULL;
    paths->count = 0;
}

custos_status custos_suite_load(const char *path, custos_suite **out) {
    if (!out) return CUSTOS_E_ARGUMENT;
    *out = NULL;
    if (!path) return CUSTOS_E_ARGUMENT;
    custos_suite *s = calloc(1, sizeof *s);
    if (!s) return CUSTOS_E_NOMEM;
    if (!(s->suite = t_suite_load(path))) {
        free(s);
        return CUSTOS_E_NOMEM;
    }
    s->run.suite = s->suite;
    *out = s;
    return CUSTOS_OK;
}

void custos_suite_free(custos_suite *s) {
    if (!s) return;
    t_suite_run_free(&s->run);
    t_suite_free(s->suite);
    free(s->cases);
    free(s->refs);
    free(s);
}

/* ---- running ---------------------------------------------------------------------------------- */

custos_status custos_suite_runner_new(const custos_suite_options *options,
                                      custos_suite_runner **out) {
    if (!out) return CUSTOS_E_ARGUMENT;
    custos_suite_options none = {NULL, false, false};
    if (!options) options = &none;
    custos_suite_runner *r = calloc(1, sizeof *r);
    if (!r) return (*out = NULL), CUSTOS_E_NOMEM;
    bool ok = true;
    if (options->filter && !(r->filter = xstrdup(options->filter))) ok = false;
    if (ok && options->coverage && !(r->cov = cov_new())) ok = false;
    if (ok && !(r->runner = t_runner_new(r->cov, options->keep_decision_json))) ok = false;
    if (!ok) {
        custos_suite_runner_free(r);
        *out = NULL;
        return CUSTOS_E_NOMEM;
    }
    *out = r;
    return CUSTOS_OK;
}

void custos_suite_runner_free(custos_suite_runner *r) {
    if (!r) return;
    t_runner_free(r->runner);
    cov_free(r->cov);
    free(r->filter);
    free(r);
}

custos_status custos_suite_run(custos_suite_runner *r, custos_suite *s) {
    if (!r || !s) return CUSTOS_E_ARGUMENT;
    t_suite_run_free(&s->run);
    s->run = (t_suite_run){0};
    s->run.suite = s->suite;
    return t_runner_run(r->runner, &s->run, r->filter) ? CUSTOS_OK : CUSTOS_E_NOMEM;
}

custos_status custos_suite_runner_coverage(custos_suite_runner *r, custos_coverage *out) {
    if (!r || !out) return CUSTOS_E_ARGUMENT;
    if (!r->cov) {
        *out = (custos_coverage){0, NULL, 0, NULL};
        return CUSTOS_OK;
    }
    return cov_view(r->cov, out) ? CUSTOS_OK : CUSTOS_E_NOMEM;
}

/* ---- results ---------------------------------------------------------------------------------- */

static custos_suite_ref ref_view(const t_ref *ref) {
    tloc at = tval_where(ref->at);
    return (custos_suite_ref){ref->regime, ref->article, at.file, at.line, at.col};
}

static custos_case_status case_status(t_status st) {
    return st == T_PASS   ? CUSTOS_CASE_PASSED
           : st == T_FAIL ? CUSTOS_CASE_FAILED
                          : CUSTOS_CASE_SKIPPED;
}

custos_status custos_suite_get_info(custos_suite *s, custos_suite_info *out) {
    if (!s || !out) return CUSTOS_E_ARGUMENT;
    const t_suite *ts = s->suite;
    size_t ref_count = 0;
    for (size_t i = 0; i < ts->case_count; i++)
        ref_count += ts->cases[i].expect.because_count + ts->cases[i].expect.not_because_count;
    free(s->cases);
    free(s->refs);
    s->cases = calloc(ts->case_count ? ts->case_count : 1, sizeof *s->cases);
    s->refs = calloc(ref_count ? ref_count : 1, sizeof *s->refs);
    if (!s->cases || !s->refs) return CUSTOS_E_NOMEM;
    custos_suite_ref *ref = s->refs;
    for (size_t i = 0; i < ts->case_count; i++) {
        const t_case *c = &ts->cases[i];
        custos_suite_case *v = &s->cases[i];
        *v = (custos_suite_case){.name = c->name,
                                 .display = c->display,
                                 .combination = c->combination,
                                 .file = ts->file,
                                 .line = c->line,
                                 .skip = c->skip};
        v->because = ref;
        v->because_count = c->expect.because_count;
        for (size_t k = 0; k < c->expect.because_count; k++)
            *ref++ = ref_view(&c->expect.because[k]);
        v->not_because = ref;
        v->not_because_count = c->expect.not_because_count;
        for (size_t k = 0; k < c->expect.not_because_count; k++)
            *ref++ = ref_view(&c->expect.not_because[k]);
    }
    for (size_t i = 0; i < s->run.result_count; i++) {
        const t_result *res = &s->run.results[i];
        custos_suite_case *v = &s->cases[res->c - ts->cases];
        v->status = case_status(res->status);
        v->seconds = res->seconds;
        v->mismatch_count = res->mismatch_count;
        v->mismatches = (const char *const *)res->mismatches;
        v->expected = res->expected;
        v->actual = res->actual;
        v->decision_json = res->decision_json;
    }
    custos_suite_status status = ts->error_count   ? CUSTOS_SUITE_ERROR
                                 : s->run.failed   ? CUSTOS_SUITE_FAILED
                                 : s->run.selected ? CUSTOS_SUITE_PASSED
                                                   : CUSTOS_SUITE_NOT_RUN;
    *out = (custos_suite_info){ts->path,       ts->file,        ts->name,        ts->own_regime,
                               status,         s->run.selected, s->run.passed,   s->run.failed,
                               s->run.skipped, s->run.seconds,  ts->error_count, ts->errors,
                               ts->case_count, s->cases};
    return CUSTOS_OK;
}
