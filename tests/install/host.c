/*
 * host.c — the smallest host of an installed libcustos.  tests/install/test_install.sh builds it
 * against an install through pkg-config and through find_package(custos), then moves the
 * install and runs it again.
 *
 * It opens an engine on the built-in regimes (custos_builtin_policy_dir: CUSTOS_POLICY_DIR, else
 * <libdir>/../share/custos/policies) and the sample contracts and purposes installed beside them
 * (share/custos/examples/data), decides bob's sale of entrusted personal data, and prints:
 *
 *   policies <folder>
 *   effect deny
 *
 * Exit 0 when it decided, 3 when there are no built-in regimes, 1 on any other failure.
 */
#include <custos.h>

#include <stdio.h>
#include <string.h>

static const char request[] = "subject: {id: bob, org: acme-outsourcing, clearance: secret,\n"
                              "          signed_confidentiality: true}\n"
                              "action: sell\n"
                              "resource: {id: customer-list-2026, owner: globex, category: "
                              "personal,\n"
                              "           entrusted: true, contract: C-2026-001,\n"
                              "           protected_by_employer: true, public: false}\n"
                              "purpose: data-sale\n"
                              "context: {time: \"2026-11-22T15:30:00+08:00\"}\n";

static int fail(const char *what, const custos_error *err) {
    fprintf(stderr, "host: %s: ", what);
    if (err->file[0]) fprintf(stderr, "%s:%u:%u: ", err->file, err->line, err->column);
    fprintf(stderr, "%s (%s)\n", err->message, custos_status_name(err->status));
    return 1;
}

int main(void) {
    const char *dir = custos_builtin_policy_dir();
    if (!dir) {
        fprintf(stderr, "host: no built-in regimes (custos_builtin_policy_dir() is NULL)\n");
        return 3;
    }
    printf("policies %s\n", dir);

    char contracts[4096], purposes[4096];
    snprintf(contracts, sizeof contracts, "%s/../examples/data/contracts.yaml", dir);
    snprintf(purposes, sizeof purposes, "%s/../examples/data/purposes.yaml", dir);

    custos_config *cfg = NULL;
    custos_engine *eng = NULL;
    custos_request *req = NULL;
    custos_decision *d = NULL;
    custos_error err;
    memset(&err, 0, sizeof err);
    int rc = 1;
    if (custos_config_new(&cfg) != CUSTOS_OK || custos_config_add_policies(cfg, dir) != CUSTOS_OK ||
        custos_config_add_data(cfg, contracts) != CUSTOS_OK ||
        custos_config_add_data(cfg, purposes) != CUSTOS_OK) {
        fprintf(stderr, "host: cannot configure\n");
        goto out;
    }
    if (custos_engine_open(cfg, &eng, &err) != CUSTOS_OK) {
        rc = fail("open", &err);
        goto out;
    }
    if (custos_request_new(&req) != CUSTOS_OK || custos_decision_new(&d) != CUSTOS_OK) goto out;
    if (custos_request_parse(req, request, strlen(request), "request", &err) != CUSTOS_OK) {
        rc = fail("parse", &err);
        goto out;
    }
    if (custos_decide(eng, req, 0, d, &err) != CUSTOS_OK) {
        rc = fail("decide", &err);
        goto out;
    }
    printf("effect %s\n", custos_effect_name(custos_decision_effect(d)));
    rc = 0;
out:
    custos_decision_free(d);
    custos_request_free(req);
    custos_engine_close(eng);
    custos_config_free(cfg);
    return rc;
}
