/*
 * fuzz_suite.c — libFuzzer target: arbitrary bytes as a policy suite (custos_suite.h), written
 * as fuzzdemo/tests/suite.yaml in a copy of the fuzz policy set (tests/fuzz/policy-set), beside
 * a data document (../../data.yaml from there) and a request file (requests/r.yaml).  The
 * suite is loaded, run with coverage by a fresh runner, and its results walked.  A suite in
 * error must list an error; a crash, leak, hang, abort or sanitizer report is a bug.
 * CUSTOS_FUZZ_VERBOSE=1 prints each suite's results (for writing seeds).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "custos_suite.h"
#include "fuzz_util.h"

static char suite_path[4096];

static void setup(void) {
    static const char data[] =
        "contracts:\n"
        "  C-1: {employer: globex, subjects: [alice], purposes: [billing]}\n";
    static const char request[] = "action: use\nresource: {contract: C-1}\n";
    fuzz_scratch_setup();
    fuzz_scratch_write("data.yaml", data, strlen(data), NULL, 0);
    fuzz_scratch_write("fuzzdemo/tests/requests/r.yaml", request, strlen(request), NULL, 0);
}

/* Walks what the suite holds, as `custos test` would print it. */
static void walk(const custos_suite_info *info) {
    size_t n = 0;
    for (size_t i = 0; i < info->error_count; i++) {
        const custos_suite_error *e = &info->errors[i];
        if (!e->message) abort();
        n += strlen(e->message) + (e->file ? strlen(e->file) : 0);
    }
    for (size_t i = 0; i < info->case_count; i++) {
        const custos_suite_case *c = &info->cases[i];
        if (!c->name || !c->display) abort();
        n += strlen(c->display);
        for (size_t k = 0; k < c->mismatch_count; k++) n += strlen(c->mismatches[k]);
        for (size_t k = 0; k < c->because_count; k++) n += strlen(c->because[k].article);
    }
    if (info->passed + info->failed + info->skipped > info->case_count) abort();
    (void)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!*suite_path) setup();
    fuzz_scratch_write("fuzzdemo/tests/suite.yaml", data, size, suite_path, sizeof suite_path);
    custos_suite *suite = NULL;
    if (custos_suite_load(suite_path, &suite) != CUSTOS_OK) abort();
    custos_suite_options options = {NULL, true, true};
    custos_suite_runner *runner = NULL;
    if (custos_suite_runner_new(&options, &runner) != CUSTOS_OK) abort();
    if (custos_suite_run(runner, suite) != CUSTOS_OK) abort();
    custos_suite_info info;
    if (custos_suite_get_info(suite, &info) != CUSTOS_OK) abort();
    walk(&info);
    if (getenv("CUSTOS_FUZZ_VERBOSE")) {
        fprintf(stderr, "suite: status %d, %zu passed, %zu failed, %zu skipped, %zu cases\n",
                (int)info.status, info.passed, info.failed, info.skipped, info.case_count);
        for (size_t i = 0; i < info.error_count; i++)
            fprintf(stderr, "  %s:%u: %s\n", info.errors[i].file ? info.errors[i].file : "?",
                    info.errors[i].line, info.errors[i].message);
        for (size_t i = 0; i < info.case_count; i++)
            for (size_t k = 0; k < info.cases[i].mismatch_count; k++)
                fprintf(stderr, "  %s: %s\n", info.cases[i].display, info.cases[i].mismatches[k]);
    }
    if (info.status == CUSTOS_SUITE_ERROR && info.error_count == 0) {
        fprintf(stderr, "fuzz finding: a suite in error without an error\n");
        abort();
    }
    custos_coverage coverage;
    if (custos_suite_runner_coverage(runner, &coverage) != CUSTOS_OK) abort();
    custos_suite_runner_free(runner);
    custos_suite_free(suite);
    return 0;
}
