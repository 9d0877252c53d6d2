/*
 * fuzz_data.c — libFuzzer target: arbitrary bytes as a data document, loaded with the fuzz
 * policy set (tests/fuzz/policy-set) through custos_engine_open and, when the engine opens,
 * one decision on a fixed request whose articles read the document.  Input that starts with
 * '{' or '[' is written as data.json (strict JSON), anything else as data.yaml (YAML, or JSON
 * sniffed).  A load error is the expected answer to most inputs; a crash, leak, hang, abort or
 * sanitizer report is a bug, and so is a decision with an error that is not a deny.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "custos.h"
#include "fuzz_util.h"

static custos_request *request;
static custos_decision *decision;
static char policy_dir[4096];

static void setup(void) {
    snprintf(policy_dir, sizeof policy_dir, "%s", fuzz_scratch_setup());
    static const char text[] = "action: use\n"
                               "purpose: billing\n"
                               "resource: {contract: C-1, classification: secret}\n"
                               "subject: {id: alice, clearance: public}\n"
                               "context: {time: \"2026-11-22T10:00:00+08:00\"}\n";
    custos_error err;
    if (custos_request_new(&request) || custos_decision_new(&decision) ||
        custos_request_parse(request, text, strlen(text), "fuzz-request", &err))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!request) setup();
    const char *name = size && (data[0] == '{' || data[0] == '[') ? "data.json" : "data.yaml";
    char path[4096];
    fuzz_scratch_write(name, data, size, path, sizeof path);
    custos_config *cfg;
    if (custos_config_new(&cfg)) abort();
    custos_config_add_policies(cfg, policy_dir);
    custos_config_add_data(cfg, path);
    custos_engine *eng = NULL;
    custos_error err;
    custos_status st = custos_engine_open(cfg, &eng, &err);
    custos_config_free(cfg);
    if (st != CUSTOS_OK) {
        if (eng) abort(); /* a failed open hands back no engine */
        if (getenv("CUSTOS_FUZZ_VERBOSE"))
            fprintf(stderr, "open: %s:%u:%u: %s\n", err.file, err.line, err.column, err.message);
        return 0;
    }
    fuzz_decide(eng, request, decision);
    custos_engine_close(eng);
    return 0;
}
