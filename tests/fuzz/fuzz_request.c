/*
 * fuzz_request.c — libFuzzer target: arbitrary bytes as a request document (YAML or JSON),
 * parsed and, when it parses, decided on the built-in gz-2012 regime with the example data,
 * then printed as JSON.  Any crash, leak, hang or sanitizer report is a bug; a parse or input
 * error is the expected answer to most inputs.
 *
 *   cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DCUSTOS_FUZZ=ON && cmake --build build-fuzz
 *   build-fuzz/tests/fuzz_request -max_total_time=60 tests/fuzz/corpus
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "custos.h"

static custos_engine *engine;
static custos_request *request;
static custos_decision *decision;

/* Opens the engine once, on the source tree's policies and example data. */
static void setup(void) {
    const char *root = getenv("CUSTOS_SOURCE_DIR");
    char path[1024];
    custos_config *cfg;
    if (custos_config_new(&cfg)) abort();
    snprintf(path, sizeof path, "%s/policies/gz-2012", root ? root : CUSTOS_FUZZ_SOURCE_DIR);
    custos_config_add_policies(cfg, path);
    snprintf(path, sizeof path, "%s/examples/data/contracts.yaml",
             root ? root : CUSTOS_FUZZ_SOURCE_DIR);
    custos_config_add_data(cfg, path);
    snprintf(path, sizeof path, "%s/examples/data/purposes.yaml",
             root ? root : CUSTOS_FUZZ_SOURCE_DIR);
    custos_config_add_data(cfg, path);
    custos_error err;
    if (custos_engine_open(cfg, &engine, &err)) {
        fprintf(stderr, "fuzz_request: %s:%u: %s\n", err.file, err.line, err.message);
        abort();
    }
    custos_config_free(cfg);
    if (custos_request_new(&request) || custos_decision_new(&decision)) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!engine) setup();
    custos_error err;
    if (custos_request_parse(request, (const char *)data, size, "fuzz", &err) != CUSTOS_OK)
        return 0;
    const char *json;
    if (custos_request_json(request, &json) != CUSTOS_OK) abort();
    /* without a time the engine refuses to decide: give one so the policies run */
    custos_request_set_string(request, "context.time", "2026-11-22T10:00:00+08:00", NULL);
    /* a field the policy set types otherwise is the request's error (CUSTOS_E_INPUT, saying
     * where), not a finding */
    custos_status st = custos_decide(engine, request, CUSTOS_DECIDE_EXPLAIN, decision, &err);
    if (st == CUSTOS_E_INPUT && err.message[0] && err.line > 0) return 0;
    if (st != CUSTOS_OK) {
        fprintf(stderr, "fuzz_request: custos_decide: %s: %s:%u:%u: %s\n", custos_status_name(st),
                err.file, err.line, err.column, err.message);
        abort();
    }
    if (custos_decision_json(decision, &json) != CUSTOS_OK) abort();
    return 0;
}
