/*
 * demo.c — custos-demo: how a host program embeds custos.
 *
 * An outsourcing company (acme-outsourcing) holds data its clients entrusted to it.  Before
 * touching that data, its programs ask custos: may this person do this, on this data, for this
 * purpose, now?  This demo opens an engine on the built-in regulations and the example
 * contracts (every .yaml file in examples/data), asks six questions, and prints each answer with the
 * articles that decided it — in Chinese and English — and the obligations that come with it.
 *
 * Requests are built both ways a host can build them: parsed from YAML text (handy when they
 * come from a file or a queue) and set field by field (handy in code).
 *
 * A note on time: the Guangzhou measures (gz-2012, 穗外经贸法〔2012〕7号) were valid for five
 * years from 2012-04-24, so they expired in 2017.  By default a regime is *adopted*: it still
 * binds decisions taken after it expired, and the decision says it was not in force.  A host
 * that wants only the law in force calls custos_config_set_regime_mode(cfg, "gz-2012",
 * CUSTOS_REGIME_IN_FORCE).
 *
 * Every call's status is checked.  The demo exits 1 when any answer is not the one expected,
 * so `make demo` doubles as a smoke test.
 */
#include <custos.h>

#include <glob.h>
#include <stdio.h>
#include <string.h>

/* The repository root, set by examples/host/CMakeLists.txt.  An installed host would use
 * custos_builtin_policy_dir() and its own data files instead. */
#ifndef CUSTOS_SOURCE_DIR
#define CUSTOS_SOURCE_DIR "."
#endif

/* Prints a failed call's error as FILE:LINE:COL: message. */
static void print_error(const char *what, const custos_error *err) {
    fprintf(stderr, "custos-demo: %s: ", what);
    if (err->file[0]) fprintf(stderr, "%s:%u:%u: ", err->file, err->line, err->column);
    fprintf(stderr, "%s (%s)\n", err->message, custos_status_name(err->status));
}

/* Returns from the enclosing function when a custos call fails. */
#define TRY(call)                                                                                  \
    do {                                                                                           \
        custos_status st_ = (call);                                                                \
        if (st_ != CUSTOS_OK) return st_;                                                          \
    } while (0)

/* ---- requests built field by field -------------------------------------------------------- */

/* The fields every request below shares: bob or alice of acme-outsourcing, working on data
 * Globex entrusted under contract C-2026-001. */
static custos_status set_common(custos_request *req, const char *who, custos_error *err) {
    custos_request_clear(req); /* a request is reusable */
    TRY(custos_request_set_string(req, "subject.id", who, err));
    TRY(custos_request_set_string(req, "subject.org", "acme-outsourcing", err));
    TRY(custos_request_set_string(req, "subject.clearance", "secret", err));
    TRY(custos_request_set_bool(req, "subject.signed_confidentiality", true, err));
    TRY(custos_request_set_string(req, "resource.owner", "globex", err));
    TRY(custos_request_set_bool(req, "resource.entrusted", true, err));
    TRY(custos_request_set_string(req, "resource.contract", "C-2026-001", err));
    TRY(custos_request_set_bool(req, "resource.protected_by_employer", true, err));
    TRY(custos_request_set_bool(req, "resource.public", false, err));
    return CUSTOS_OK;
}

/* bob sells Globex's customer list to a data broker. */
static custos_status build_sale(custos_request *req, custos_error *err) {
    TRY(set_common(req, "bob", err));
    TRY(custos_request_set_string(req, "action", "sell", err));
    TRY(custos_request_set_string(req, "resource.id", "customer-list-2026", err));
    TRY(custos_request_set_string(req, "resource.category", "personal", err));
    TRY(custos_request_set_string(req, "purpose", "data-sale", err));
    TRY(custos_request_set_string(req, "context.time", "2026-11-22T15:30:00+08:00", err));
    return CUSTOS_OK;
}

/* alice runs fraud analytics over Globex's orders: a purpose nobody stated or consented to. */
static custos_status build_unrelated_purpose(custos_request *req, custos_error *err) {
    TRY(set_common(req, "alice", err));
    TRY(custos_request_set_string(req, "action", "process", err));
    TRY(custos_request_set_string(req, "resource.id", "orders-2026q3", err));
    TRY(custos_request_set_string(req, "resource.category", "commercial", err));
    TRY(custos_request_set_string(req, "purpose", "fraud-analytics", err));
    TRY(custos_request_set_string(req, "context.time", "2026-11-22T11:00:00+08:00", err));
    return CUSTOS_OK;
}

/* bob corrects an invoice found wrong during billing reconciliation. */
static custos_status build_related_purpose(custos_request *req, custos_error *err) {
    TRY(set_common(req, "bob", err));
    TRY(custos_request_set_string(req, "action", "process", err));
    TRY(custos_request_set_string(req, "resource.id", "invoices-2026-10", err));
    TRY(custos_request_set_string(req, "resource.category", "commercial", err));
    TRY(custos_request_set_string(req, "purpose", "invoice-correction", err));
    TRY(custos_request_set_string(req, "context.time", "2026-11-23T09:15:00+08:00", err));
    return CUSTOS_OK;
}

/* ---- requests as YAML text ------------------------------------------------------------------ */

static const char permitted_use_yaml[] =
    "subject: {id: alice, org: acme-outsourcing, clearance: secret, signed_confidentiality: true}\n"
    "action: use\n"
    "resource: {id: orders-2026q3, owner: globex, category: commercial, entrusted: true,\n"
    "           contract: C-2026-001, protected_by_employer: true, public: false}\n"
    "purpose: billing-reconciliation\n"
    "context: {time: \"2026-11-22T10:00:00+08:00\"}\n";

static const char after_retention_yaml[] =
    "subject: {id: carol, org: acme-outsourcing, clearance: confidential, signed_confidentiality: "
    "true}\n"
    "action: access\n"
    "resource: {id: payroll-2025, owner: initech, category: personal, entrusted: true,\n"
    "           contract: C-2025-017, protected_by_employer: true, public: false}\n"
    "purpose: payroll-processing\n"
    "context: {time: \"2026-11-22T10:00:00+08:00\"}\n";

static const char consented_sale_yaml[] =
    "subject: {id: bob, org: acme-outsourcing, clearance: secret, signed_confidentiality: true}\n"
    "action: sell\n"
    "resource: {id: orders-2026q3, owner: globex, category: commercial, entrusted: true,\n"
    "           contract: C-2026-001, protected_by_employer: true, public: false}\n"
    "purpose: fraud-analytics\n"
    "context:\n"
    "  time: \"2026-11-24T16:00:00+08:00\"\n"
    "  consent: {purposes: [fraud-analytics], written: true}\n";

/* ---- the questions -------------------------------------------------------------------------- */

typedef struct question {
    const char *text;                                         /* in plain words */
    const char *yaml;                                         /* the request as YAML, or */
    custos_status (*build)(custos_request *, custos_error *); /* built field by field */
    custos_effect expected;
    const char *must_cite; /* "regime/article" */
} question;

static const question questions[] = {
    {"May alice use Globex's Q3 orders to reconcile its billing, the purpose stated in the "
     "contract?",
     permitted_use_yaml, NULL, CUSTOS_PERMIT, "gz-2012/11"},
    {"May bob sell Globex's customer list to a data broker?", NULL, build_sale, CUSTOS_DENY,
     "gz-2012/13"},
    {"May alice run fraud analytics over Globex's orders, a purpose nobody stated or consented "
     "to?",
     NULL, build_unrelated_purpose, CUSTOS_DENY, "gz-2012/11"},
    {"May carol open Initech's payroll data in November 2026, after the contract's retention "
     "ended on 2026-03-31?",
     after_retention_yaml, NULL, CUSTOS_DENY, "gz-2012/10"},
    {"May bob correct an invoice, a purpose directly related to the stated billing "
     "reconciliation?",
     NULL, build_related_purpose, CUSTOS_PERMIT, "gz-2012/11"},
    {"Globex consented to fraud analytics: may bob therefore sell its orders for that purpose?",
     consented_sale_yaml, NULL, CUSTOS_DENY, "gz-2012/13"},
};

/* ---- printing a decision -------------------------------------------------------------------- */

/* Prints the decision's reasons, obligations and regimes; returns whether `must_cite` (a
 * "regime/article") is among the reasons. */
static bool print_decision(custos_decision *d, const char *must_cite) {
    bool cited = false;
    for (size_t i = 0; i < custos_decision_reason_count(d); i++) {
        custos_reason r;
        if (custos_decision_reason(d, i, &r) != CUSTOS_OK) continue;
        printf("   %s art. %s: %s — %s\n", r.regime, r.article, custos_effect_name(r.effect),
               r.citation);
        printf("      zh: %s\n      en: %s\n", r.message_zh, r.message_en);
        char id[128];
        snprintf(id, sizeof id, "%s/%s", r.regime, r.article);
        if (strcmp(id, must_cite) == 0) cited = true;
    }
    for (size_t i = 0; i < custos_decision_obligation_count(d); i++) {
        custos_obligation o;
        if (custos_decision_obligation(d, i, &o) != CUSTOS_OK) continue;
        printf("   obligation %s (%s art. %s)", o.id, o.regime, o.article);
        for (size_t k = 0; k < o.param_count; k++)
            printf("%s %s=%s", k ? "," : ":", o.param_keys[k], o.param_values[k]);
        printf("\n");
    }
    for (size_t i = 0; i < custos_decision_regime_count(d); i++) {
        custos_regime_status rs;
        if (custos_decision_regime(d, i, &rs) != CUSTOS_OK) continue;
        if (rs.in_force)
            printf("   %s was in force at that time.\n", rs.id);
        else if (!rs.in_force_known)
            printf("   %s states no dates we can check (validity unknown); %s.\n", rs.id,
                   rs.adopted ? "it is adopted (the default), so it binds" : "it did not bind");
        else if (rs.adopted)
            printf("   %s was not in force at that time, but it is adopted (the default), so it "
                   "still binds.\n",
                   rs.id);
        else
            printf("   %s was not in force at that time and did not bind.\n", rs.id);
    }
    /* A policy that failed makes the decision deny; say why. */
    for (size_t i = 0; i < custos_decision_error_count(d); i++) {
        custos_policy_error e;
        if (custos_decision_error(d, i, &e) == CUSTOS_OK)
            printf("   policy error (%s art. %s): %s\n", e.regime ? e.regime : "-",
                   e.article ? e.article : "-", e.message);
    }
    return cited;
}

/* ---- main ----------------------------------------------------------------------------------- */

int main(void) {
    custos_error err = {0};

    /* 1. Configure: the policies, and every example data document. */
    custos_config *cfg;
    glob_t files;
    if (custos_config_new(&cfg) != CUSTOS_OK ||
        custos_config_add_policies(cfg, CUSTOS_SOURCE_DIR "/policies") != CUSTOS_OK) {
        fprintf(stderr, "custos-demo: out of memory\n");
        return 1;
    }
    if (glob(CUSTOS_SOURCE_DIR "/examples/data/*.yaml", 0, NULL, &files) != 0) {
        fprintf(stderr, "custos-demo: no data in %s/examples/data\n", CUSTOS_SOURCE_DIR);
        return 1;
    }
    for (size_t i = 0; i < files.gl_pathc; i++) {
        if (custos_config_add_data(cfg, files.gl_pathv[i]) != CUSTOS_OK) {
            fprintf(stderr, "custos-demo: out of memory\n");
            return 1;
        }
    }
    globfree(&files);

    /* 2. Open the engine once; it is shared by every thread of the host. */
    custos_engine *eng;
    custos_status st = custos_engine_open(cfg, &eng, &err);
    custos_config_free(cfg); /* the engine keeps its own copy */
    if (st != CUSTOS_OK) {
        print_error("cannot open the engine", &err);
        return 1;
    }

    /* 3. One request and one decision, reused for every question. */
    custos_request *req;
    custos_decision *d;
    if (custos_request_new(&req) != CUSTOS_OK || custos_decision_new(&d) != CUSTOS_OK) return 1;

    printf(
        "gz-2012 (穗外经贸法〔2012〕7号) was valid for five years from 2012-04-24 and expired in "
        "2017.\nIt is adopted by default, so the 2026 decisions below still follow it, and "
        "each says it was not in force.\n\n");
    int unexpected = 0;
    size_t count = sizeof questions / sizeof *questions;
    for (size_t i = 0; i < count; i++) {
        const question *q = &questions[i];
        printf("%zu. %s\n", i + 1, q->text);
        if (q->yaml)
            st = custos_request_parse(req, q->yaml, strlen(q->yaml), "request.yaml", &err);
        else
            st = q->build(req, &err);
        if (st != CUSTOS_OK) {
            print_error("bad request", &err);
            return 1;
        }
        /* 4. Decide.  CUSTOS_OK means a decision was made — a deny included. */
        if ((st = custos_decide(eng, req, 0, d, &err)) != CUSTOS_OK) {
            print_error("cannot decide", &err);
            return 1;
        }
        custos_effect effect = custos_decision_effect(d);
        printf("   → %s (request %s)\n", custos_effect_name(effect),
               q->yaml ? "parsed from YAML" : "built field by field");
        bool cited = print_decision(d, q->must_cite);

        /* The smoke test: the answer and the article behind it are the expected ones. */
        if (effect != q->expected || !cited || custos_decision_error_count(d) > 0) {
            printf("   UNEXPECTED: wanted %s citing %s\n", custos_effect_name(q->expected),
                   q->must_cite);
            unexpected++;
        }
        printf("\n");
    }

    custos_decision_free(d);
    custos_request_free(req);
    custos_engine_close(eng);
    if (unexpected) {
        fprintf(stderr, "custos-demo: %d of %zu answers were not the expected ones\n", unexpected,
                count);
        return 1;
    }
    printf("All %zu answers were the expected ones.\n", count);
    return 0;
}
