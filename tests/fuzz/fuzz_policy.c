/*
 * fuzz_policy.c — libFuzzer target: arbitrary bytes as one file of a policy folder.  The first
 * byte picks the file of the fuzz policy set (tests/fuzz/policy-set) it replaces — '0'
 * schema.lua, '1' the library lib/walk.lua, '2' fuzzdemo/regime.lua, '3' and '4' the article
 * modules (other bytes: modulo 5) — and the rest is its text.  An engine opened on the intact
 * set is reloaded on the changed one (custos_engine_reload, under the load limits):
 *  - when the reload fails, the engine must keep serving the set it had: the same generation
 *    and the same decision as before;
 *  - when it succeeds, the new set decides (a decision with an error must be a deny), then the
 *    intact set is put back and must reload.
 * A crash, leak, hang, abort or sanitizer report is a bug.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "custos.h"
#include "fuzz_util.h"

static custos_engine *engine;
static custos_request *request;
static custos_decision *decision;
static custos_effect intact_effect;

static const char data_text[] = "contracts:\n"
                                "  C-1: {employer: globex, subjects: [alice], purposes: [billing],"
                                " retention_until: \"2027-06-30\"}\n"
                                "purposes:\n"
                                "  billing: {related: [invoicing]}\n";

static void setup(void) {
    char policies[4096], data[4096];
    snprintf(policies, sizeof policies, "%s", fuzz_scratch_setup());
    fuzz_scratch_write("data.yaml", data_text, strlen(data_text), data, sizeof data);
    static const char text[] = "action: use\n"
                               "purpose: invoicing\n"
                               "resource: {contract: C-1}\n"
                               "subject: {id: alice}\n"
                               "context: {time: \"2026-11-22T10:00:00+08:00\"}\n";
    custos_config *cfg;
    custos_error err;
    if (custos_request_new(&request) || custos_decision_new(&decision) ||
        custos_request_parse(request, text, strlen(text), "fuzz-request", &err) ||
        custos_config_new(&cfg) || custos_config_add_policies(cfg, policies) ||
        custos_config_add_data(cfg, data))
        abort();
    if (custos_engine_open(cfg, &engine, &err) != CUSTOS_OK) {
        fprintf(stderr, "fuzz harness: the intact policy set does not load: %s\n", err.message);
        abort();
    }
    custos_config_free(cfg);
    fuzz_decide(engine, request, decision);
    intact_effect = custos_decision_effect(decision);
    if (intact_effect != CUSTOS_PERMIT) abort(); /* the set's own answer, so a change shows */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!engine) setup();
    if (size == 0) return 0;
    const char *file = fuzz_policy_files[(unsigned char)(data[0] - '0') % fuzz_policy_file_count];
    fuzz_scratch_write(file, data + 1, size - 1, NULL, 0);
    uint64_t generation = custos_engine_generation(engine);
    custos_error err;
    bool reloaded = custos_engine_reload(engine, NULL, &err) == CUSTOS_OK;
    fuzz_decide(engine, request, decision);
    if (!reloaded && (custos_engine_generation(engine) != generation ||
                      custos_decision_effect(decision) != intact_effect)) {
        fprintf(stderr, "fuzz finding: a failed reload changed what the engine serves\n");
        abort();
    }
    size_t len;
    const char *text = fuzz_policy_text(file, &len);
    fuzz_scratch_write(file, text, len, NULL, 0);
    if (reloaded && custos_engine_reload(engine, NULL, &err) != CUSTOS_OK) {
        fprintf(stderr, "fuzz harness: the intact set does not reload: %s\n", err.message);
        abort();
    }
    return 0;
}
