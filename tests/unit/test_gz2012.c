/* test_gz2012.c — decisions of the gz-2012 regime (广州市服务外包企业信息安全保护实施办法,
 * 穗外经贸法〔2012〕7号), articles 10, 11 and 13, through the public API only (custos.h).
 *
 * The engine is opened on the real policy modules (policies/gz-2012) and the example data
 * (examples/data/contracts.yaml, purposes.yaml).  Arts. 3-5, 7, 9 and 12 are loaded too (they
 * are in the folder) and are checked for their invariants, but the reason lists and
 * obligations asserted here are those of arts. 10, 11 and 13; the other articles are asserted
 * by their suites in policies/gz-2012/tests/.  Most tests load the gz-2012 regime folder alone,
 * so the effect they assert is this regime's and not another regime's; test_whole_policy_tree
 * loads every shipped regime and every example data file and checks gz-2012 still speaks in
 * that company.
 *
 * The facts the tests rely on are in the example data: C-2026-001 (globex; alice, bob; use
 * process store access delete; billing-reconciliation, customer-support; invoice-correction
 * related to billing-reconciliation; retention until 2027-06-30), C-2025-017 (initech; carol,
 * dave; no delete; retention until 2026-03-31), C-2026-009 (silent on retention), C-2026-011
 * (silent on actions), C-2026-012 (silent on subjects); the catalogue relates tax-audit to
 * invoice-correction (related-of-related for C-2026-001) and complaint-handling to
 * customer-support. */
#include <glob.h>

#include <jansson.h>

#include "fileio.h"
#include "test_support.h"

/* ---- paths and engines ------------------------------------------------------------------- */

/* source_path() into a static rotating buffer (a few live at once). */
static const char *src_path(const char *rel) {
    static char bufs[4][1024];
    static unsigned next;
    return source_path(bufs[next++ % 4], sizeof bufs[0], rel);
}

/* Opens an engine on the gz-2012 folder and the example data, with gz-2012 in `mode`. */
static custos_engine *open_gz(custos_regime_mode mode) {
    custos_config *cfg = NULL;
    assert_int_equal(custos_config_new(&cfg), CUSTOS_OK);
    assert_int_equal(custos_config_add_policies(cfg, src_path("policies/gz-2012")), CUSTOS_OK);
    assert_int_equal(custos_config_add_data(cfg, src_path("examples/data/contracts.yaml")),
                     CUSTOS_OK);
    assert_int_equal(custos_config_add_data(cfg, src_path("examples/data/purposes.yaml")),
                     CUSTOS_OK);
    assert_int_equal(custos_config_set_regime_mode(cfg, "gz-2012", mode), CUSTOS_OK);
    custos_engine *eng = NULL;
    custos_error err;
    memset(&err, 0, sizeof err);
    custos_status st = custos_engine_open(cfg, &eng, &err);
    custos_config_free(cfg);
    if (st != CUSTOS_OK)
        fail_msg("cannot open the gz-2012 engine (%s): %s:%u:%u: %s", custos_status_name(st),
                 err.file, err.line, err.column, err.message);
    assert_non_null(eng);
    return eng;
}

typedef struct fixture {
    custos_engine *eng; /* gz-2012 adopted (the default mode) */
    custos_request *req;
    custos_decision *d;
} fixture;

static int group_setup(void **state) {
    fixture *f = calloc(1, sizeof *f);
    if (!f) return -1;
    f->eng = open_gz(CUSTOS_REGIME_ADOPTED);
    *state = f;
    return 0;
}

static int group_teardown(void **state) {
    fixture *f = *state;
    custos_engine_close(f->eng);
    free(f);
    return 0;
}

static int setup(void **state) {
    fixture *f = *state;
    if (custos_request_new(&f->req) != CUSTOS_OK || custos_decision_new(&f->d) != CUSTOS_OK)
        return -1;
    return 0;
}

static int teardown(void **state) {
    fixture *f = *state;
    custos_request_free(f->req);
    custos_decision_free(f->d);
    f->req = NULL;
    f->d = NULL;
    return 0;
}

/* ---- building requests field by field ----------------------------------------------------- */

static void set_str(custos_request *req, const char *path, const char *value) {
    custos_error err;
    memset(&err, 0, sizeof err);
    custos_status st = custos_request_set_string(req, path, value, &err);
    if (st != CUSTOS_OK) fail_msg("set %s = %s: %s", path, value, err.message);
}

static void set_bool(custos_request *req, const char *path, bool value) {
    custos_error err;
    memset(&err, 0, sizeof err);
    custos_status st = custos_request_set_bool(req, path, value, &err);
    if (st != CUSTOS_OK) fail_msg("set %s: %s", path, err.message);
}

static void append(custos_request *req, const char *path, const char *value) {
    custos_error err;
    memset(&err, 0, sizeof err);
    custos_status st = custos_request_append_string(req, path, value, &err);
    if (st != CUSTOS_OK) fail_msg("append %s += %s: %s", path, value, err.message);
}

/* The employer's (globex, of C-2026-001) consent, in writing, to one purpose. */
static void written_consent(custos_request *req, const char *purpose) {
    set_str(req, "context.consent.by", "globex");
    append(req, "context.consent.purposes", purpose);
    set_bool(req, "context.consent.written", true);
}

/* A request on entrusted data: `subject` does `action` on data of `contract` (NULL: none)
 * for `purpose` (NULL: none) at `time`.  The resource's owner is left unset, so the contract's
 * employer is never contradicted unless a test sets it. */
static void entrusted(custos_request *req, const char *subject, const char *action,
                      const char *contract, const char *purpose, const char *time) {
    custos_request_clear(req);
    set_str(req, "subject.id", subject);
    set_str(req, "subject.org", "acme-outsourcing");
    set_str(req, "subject.role", "staff");
    set_bool(req, "subject.signed_confidentiality", true);
    set_str(req, "action", action);
    set_str(req, "resource.id", "dataset-under-test");
    set_str(req, "resource.category", "personal");
    set_bool(req, "resource.entrusted", true);
    set_bool(req, "resource.protected_by_employer", true);
    set_bool(req, "resource.public", false);
    if (contract) set_str(req, "resource.contract", contract);
    if (purpose) set_str(req, "purpose", purpose);
    set_str(req, "context.time", time);
}

/* Parses a request document (YAML or JSON), failing the test if it is refused. */
static void parse(custos_request *req, const char *text, const char *name) {
    custos_error err;
    memset(&err, 0, sizeof err);
    custos_status st = custos_request_parse(req, text, strlen(text), name, &err);
    if (st != CUSTOS_OK)
        fail_msg("%s refused (%s) at %u:%u: %s", name, custos_status_name(st), err.line, err.column,
                 err.message);
}

/* Reads a whole file under the source tree into a malloc'd string. */
static char *read_source_file(const char *rel) {
    char *text;
    size_t len;
    custos_error err;
    if (file_read_all(src_path(rel), &text, &len, &err) != CUSTOS_OK)
        fail_msg("%s: %s", err.file, err.message);
    return text;
}

/* ---- deciding and reading decisions ------------------------------------------------------- */

static void decide_flags(custos_engine *eng, custos_request *req, custos_decision *d,
                         unsigned flags) {
    custos_error err;
    memset(&err, 0, sizeof err);
    custos_status st = custos_decide(eng, req, flags, d, &err);
    if (st != CUSTOS_OK) fail_msg("decide failed (%s): %s", custos_status_name(st), err.message);
    /* No policy of gz-2012 may fail on a well-formed request: a failure would deny for the
     * wrong reason and hide what the articles decided. */
    for (size_t i = 0; i < custos_decision_error_count(d); i++) {
        custos_policy_error e;
        assert_int_equal(custos_decision_error(d, i, &e), CUSTOS_OK);
        fail_msg("policy error in %s art. %s: %s", e.regime, e.article, e.message);
    }
}

static void decide(fixture *f) { decide_flags(f->eng, f->req, f->d, 0); }

static const char *expected_citation(const char *article) {
    if (strcmp(article, "3") == 0) return "穗外经贸法〔2012〕7号 第三条";
    if (strcmp(article, "4") == 0) return "穗外经贸法〔2012〕7号 第四条";
    if (strcmp(article, "5") == 0) return "穗外经贸法〔2012〕7号 第五条";
    if (strcmp(article, "7") == 0) return "穗外经贸法〔2012〕7号 第七条";
    if (strcmp(article, "9") == 0) return "穗外经贸法〔2012〕7号 第九条";
    if (strcmp(article, "12") == 0) return "穗外经贸法〔2012〕7号 第十二条";
    if (strcmp(article, "10") == 0) return "穗外经贸法〔2012〕7号 第十条";
    if (strcmp(article, "11") == 0) return "穗外经贸法〔2012〕7号 第十一条";
    if (strcmp(article, "13") == 0) return "穗外经贸法〔2012〕7号 第十三条";
    return NULL;
}

/* Checks what every gz-2012 reason must satisfy: one of the encoded articles, its citation,
 * titles and both messages present and fully rendered (no "{param}" left unreplaced — the
 * modules' templates hold no literal braces). */
static void check_reason_invariants(const custos_reason *r) {
    const char *citation = expected_citation(r->article);
    if (!citation) fail_msg("gz-2012 cited article %s, which is not encoded", r->article);
    assert_string_equal(r->citation, citation);
    assert_true(r->title_zh && *r->title_zh && r->title_en && *r->title_en);
    assert_true(r->message_zh && *r->message_zh && r->message_en && *r->message_en);
    if (strchr(r->message_zh, '{') || strchr(r->message_en, '{'))
        fail_msg("art. %s %s: unrendered placeholder in \"%s\" / \"%s\"", r->article, r->code,
                 r->message_zh, r->message_en);
    assert_true(r->effect == CUSTOS_PERMIT || r->effect == CUSTOS_DENY);
    assert_non_null(strstr(r->module, "gz-2012"));
}

/* True for the articles this file is about (10, 11, 13); arts. 3-5, 7, 9 and 12 have their
 * own suites (policies/gz-2012/tests/) and are left out of the reason lists asserted here. */
static bool in_scope(const char *article) {
    return strcmp(article, "10") == 0 || strcmp(article, "11") == 0 || strcmp(article, "13") == 0;
}

/* The gz-2012 reasons of arts. 10, 11 and 13 of d as "10 permit within-contract; 11 permit
 * stated-purpose" (in the decision's order), checking every gz-2012 reason's invariants on the
 * way.  Static buffer. */
static const char *cited(custos_decision *d) {
    static char buf[1024];
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < custos_decision_reason_count(d); i++) {
        custos_reason r;
        assert_int_equal(custos_decision_reason(d, i, &r), CUSTOS_OK);
        if (strcmp(r.regime, "gz-2012") != 0) continue;
        check_reason_invariants(&r);
        if (!in_scope(r.article)) continue;
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s %s %s", n ? "; " : "", r.article,
                              custos_effect_name(r.effect), r.code);
        assert_true(n < sizeof buf);
    }
    return buf;
}

/* Asserts the decision's effect and exactly which gz-2012 articles decided, how and why. */
#define assert_decision(d, effect, reasons)                                                        \
    do {                                                                                           \
        const char *got_ = cited(d);                                                               \
        if (custos_decision_effect(d) != (effect) || strcmp(got_, (reasons)) != 0)                 \
            fail_msg("expected %s [%s], got %s [%s]", custos_effect_name(effect), (reasons),       \
                     custos_effect_name(custos_decision_effect(d)), got_);                         \
    } while (0)

/* The reason of gz-2012 article `article`, failing the test if there is none. */
static custos_reason reason_of(custos_decision *d, const char *article) {
    for (size_t i = 0; i < custos_decision_reason_count(d); i++) {
        custos_reason r;
        assert_int_equal(custos_decision_reason(d, i, &r), CUSTOS_OK);
        if (strcmp(r.regime, "gz-2012") == 0 && strcmp(r.article, article) == 0) return r;
    }
    fail_msg("no reason from gz-2012 art. %s (cited: %s)", article, cited(d));
    custos_reason none;
    memset(&none, 0, sizeof none);
    return none;
}

/* Asserts both messages of art. `article`'s reason mention `needle`. */
static void assert_message_mentions(custos_decision *d, const char *article, const char *needle) {
    custos_reason r = reason_of(d, article);
    if (!strstr(r.message_zh, needle) || !strstr(r.message_en, needle))
        fail_msg("art. %s messages do not mention \"%s\": \"%s\" / \"%s\"", article, needle,
                 r.message_zh, r.message_en);
}

/* The obligations of arts. 10, 11 and 13 as "delete-by gz-2012/10 date=2027-06-30; ..."
 * (static buffer); those of arts. 7, 9 and 12 are asserted by their suites. */
static const char *obligations(const custos_decision *d) {
    static char buf[1024];
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < custos_decision_obligation_count(d); i++) {
        custos_obligation o;
        assert_int_equal(custos_decision_obligation(d, i, &o), CUSTOS_OK);
        if (!in_scope(o.article)) continue;
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s %s/%s", n ? "; " : "", o.id, o.regime,
                              o.article);
        for (size_t k = 0; k < o.param_count; k++)
            n += (size_t)snprintf(buf + n, sizeof buf - n, " %s=%s", o.param_keys[k],
                                  o.param_values[k]);
        assert_true(n < sizeof buf);
    }
    return buf;
}

/* The regimes as "gz-2012 in_force=0 adopted=1; ..." (static buffer). */
static const char *regimes(const custos_decision *d) {
    static char buf[512];
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < custos_decision_regime_count(d); i++) {
        custos_regime_status s;
        assert_int_equal(custos_decision_regime(d, i, &s), CUSTOS_OK);
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s in_force=%d adopted=%d", n ? "; " : "",
                              s.id, s.in_force, s.adopted);
        assert_true(n < sizeof buf);
    }
    return buf;
}

#define T2026 "2026-11-22T10:00:00+08:00"

/* ---- article 10 and 11 together: the permitted use ---------------------------------------- */

static void test_permitted_use(void **state) {
    fixture *f = *state;
    entrusted(f->req, "alice", "use", "C-2026-001", "billing-reconciliation", T2026);
    set_str(f->req, "resource.owner", "globex");
    decide(f);
    assert_decision(f->d, CUSTOS_PERMIT, "10 permit within-contract; 11 permit stated-purpose");
    assert_string_equal(obligations(f->d), "delete-by gz-2012/10 date=2027-06-30");
    assert_string_equal(regimes(f->d), "gz-2012 in_force=0 adopted=1");
    assert_message_mentions(f->d, "10", "2027-06-30");
    assert_message_mentions(f->d, "10", "alice");
    assert_message_mentions(f->d, "11", "billing-reconciliation");
    assert_int_equal(custos_decision_trace_count(f->d), 0); /* not explained */
}

/* Every allowed action of C-2026-001 other than delete is permitted with the delete-by
 * obligation; one the contract does not list is not. */
static void test_each_contract_action(void **state) {
    fixture *f = *state;
    static const char *const allowed[] = {"use", "process", "store", "access"};
    for (size_t i = 0; i < sizeof allowed / sizeof *allowed; i++) {
        entrusted(f->req, "bob", allowed[i], "C-2026-001", "customer-support", T2026);
        decide(f);
        assert_decision(f->d, CUSTOS_PERMIT, "10 permit within-contract; 11 permit stated-purpose");
        assert_string_equal(obligations(f->d), "delete-by gz-2012/10 date=2027-06-30");
        assert_message_mentions(f->d, "10", allowed[i]);
    }
    entrusted(f->req, "bob", "copy", "C-2026-001", "customer-support", T2026);
    decide(f);
    assert_decision(f->d, CUSTOS_DENY, "10 deny action-not-in-contract; 11 permit stated-purpose");
    assert_message_mentions(f->d, "10", "copy");
    assert_string_equal(obligations(f->d), ""); /* a permit's obligation does not ride a deny */
}

/* ---- article 10: retention ----------------------------------------------------------------- */

static void test_retention_last_second_and_next(void **state) {
    fixture *f = *state;
    /* 2027-06-30 is inclusive to its last second in China Standard Time ... */
    entrusted(f->req, "alice", "store", "C-2026-001", "billing-reconciliation",
              "2027-06-30T23:59:59+08:00");
    decide(f);
    assert_decision(f->d, CUSTOS_PERMIT, "10 permit within-contract; 11 permit stated-purpose");
    assert_string_equal(obligations(f->d), "delete-by gz-2012/10 date=2027-06-30");

    /* ... and the next second is past it. */
    entrusted(f->req, "alice", "store", "C-2026-001", "billing-reconciliation",
              "2027-07-01T00:00:00+08:00");
    decide(f);
    assert_decision(f->d, CUSTOS_DENY, "10 deny retention-expired; 11 permit stated-purpose");
    assert_message_mentions(f->d, "10", "2027-06-30");
    assert_message_mentions(f->d, "10", "store");
    assert_string_equal(obligations(f->d), "");
}

static void test_retention_same_instants_in_other_offsets(void **state) {
    fixture *f = *state;
    static const struct {
        const char *time;
        custos_effect effect;
    } cases[] = {
        {"2027-06-30T15:59:59Z", CUSTOS_PERMIT}, /* = 23:59:59+08:00 */
        {"2027-06-30T16:00:00Z", CUSTOS_DENY},   /* = 2027-07-01T00:00:00+08:00 */
        {"2027-06-30T15:59:59+00:00", CUSTOS_PERMIT},
        {"2027-06-30T17:59:59+02:00", CUSTOS_PERMIT}, /* same instant, Central Europe */
        {"2027-06-30T18:00:00+02:00", CUSTOS_DENY},
        {"2027-06-30T11:59:59-04:00", CUSTOS_PERMIT}, /* same instant, New York (EDT) */
        {"2027-06-30T12:00:00-04:00", CUSTOS_DENY},
        /* A UTC time whose own calendar day is still 2027-06-30 but is already July in
         * Beijing: the date is read in China time, not in the request's offset. */
        {"2027-06-30T20:00:00Z", CUSTOS_DENY},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        entrusted(f->req, "alice", "use", "C-2026-001", "billing-reconciliation", cases[i].time);
        decide(f);
        if (cases[i].effect == CUSTOS_PERMIT)
            assert_decision(f->d, CUSTOS_PERMIT,
                            "10 permit within-contract; 11 permit stated-purpose");
        else
            assert_decision(f->d, CUSTOS_DENY,
                            "10 deny retention-expired; 11 permit stated-purpose");
    }
}

static void test_retention_expired_contract(void **state) {
    fixture *f = *state;
    entrusted(f->req, "carol", "access", "C-2025-017", "payroll-processing", T2026);
    decide(f);
    assert_decision(f->d, CUSTOS_DENY, "10 deny retention-expired; 11 permit stated-purpose");
    assert_message_mentions(f->d, "10", "2026-03-31");
    assert_message_mentions(f->d, "10", "C-2025-017");
    /* the same act on the last day of its retention was fine */
    entrusted(f->req, "carol", "access", "C-2025-017", "payroll-processing",
              "2026-03-31T18:00:00+08:00");
    decide(f);
    assert_decision(f->d, CUSTOS_PERMIT, "10 permit within-contract; 11 permit stated-purpose");
    assert_string_equal(obligations(f->d), "delete-by gz-2012/10 date=2026-03-31");
}

static void test_retention_silent_contract(void **state) {
    fixture *f = *state;
    /* art. 10 para. 2: using goes on, protectively, to be deleted when the work is done */
    static const char *const using[] = {"use", "process"};
    for (size_t i = 0; i < sizeof using / sizeof *using; i++) {
        entrusted(f->req, "erin", using[i], "C-2026-009", "claims-processing", T2026);
        decide(f);
        assert_decision(f->d, CUSTOS_PERMIT, "10 permit protective-use; 11 permit stated-purpose");
        assert_message_mentions(f->d, "10", "C-2026-009");
        assert_string_equal(obligations(f->d), "delete-when-done gz-2012/10 contract=C-2026-009");
    }
    /* keeping a further copy has no agreed time */
    entrusted(f->req, "erin", "store", "C-2026-009", "claims-processing", T2026);
    decide(f);
    assert_decision(f->d, CUSTOS_DENY, "10 deny retention-unstated; 11 permit stated-purpose");
    assert_message_mentions(f->d, "10", "C-2026-009");
    /* deleting is not keeping: the silent retention does not stop it */
    entrusted(f->req, "erin", "delete", "C-2026-009", NULL, T2026);
    decide(f);
    assert_decision(f->d, CUSTOS_PERMIT, "10 permit delete-by-contract-subject");
}

/* ---- article 10: deletion -------------------------------------------------------------------- */

static void test_delete_edges(void **state) {
    fixture *f = *state;
    /* After the retention: a contract subject may delete even though C-2025-017's actions do
     * not list delete — deleting is what art. 10 demands. */
    entrusted(f->req, "carol", "delete", "C-2025-017", NULL, T2026);
    decide(f);
    assert_decision(f->d, CUSTOS_PERMIT, "10 permit delete-after-retention");
    assert_message_mentions(f->d, "10", "2026-03-31");
    assert_string_equal(obligations(f->d), ""); /* nothing left to delete by */

    /* A purpose on a delete changes nothing: art. 11 has nothing to say about deleting, and
     * art. 13 does not read a promotional purpose into a deletion. */
    entrusted(f->req, "carol", "delete", "C-2025-017", "marketing", T2026);
    decide(f);
    assert_decision(f->d, CUSTOS_PERMIT, "10 permit delete-after-retention");

    /* Within the retention, a contract subject's delete is not refused by art. 10 either —
     * but C-2025-017 does not list delete, so art. 12 refuses it as an unauthorized
     * deletion. */
    entrusted(f->req, "dave", "delete", "C-2025-017", NULL, "2026-01-10T09:00:00+08:00");
    decide(f);
    assert_decision(f->d, CUSTOS_DENY, "10 permit delete-by-contract-subject");
    assert_message_mentions(f->d, "10", "dave");
    assert_string_equal(reason_of(f->d, "12").code, "unauthorized-deletion");

    /* But someone the contract does not name may not delete, before or after. */
    entrusted(f->req, "mallory", "delete", "C-2025-017", NULL, T2026);
    decide(f);
    assert_decision(f->d, CUSTOS_DENY, "10 deny subject-not-in-contract");
    assert_message_mentions(f->d, "10", "mallory");

    /* Nor anyone under a contract silent on who may use the data. */
    entrusted(f->req, "alice", "delete", "C-2026-012", NULL, T2026);
    decide(f);
    assert_decision(f->d, CUSTOS_DENY, "10 deny contract-silent-on-subjects");

    /* A contract silent on actions still lets its subject delete under art. 10; before the
     * retention ends (2026-12-31) art. 12 refuses it: nothing authorizes the deletion. */
    entrusted(f->req, "grace", "delete", "C-2026-011", NULL, T2026);
    decide(f);
    assert_decision(f->d, CUSTOS_DENY, "10 permit delete-by-contract-subject");
    assert_string_equal(reason_of(f->d, "12").code, "unauthorized-deletion");
}

/* ---- article 10: contract, subjects, actions ------------------------------------------------ */

static void test_unknown_and_missing_contract_fail_closed(void **state) {
    fixture *f = *state;
    entrusted(f->req, "alice", "use", "C-9999-404", "billing-reconciliation", T2026);
    decide(f);
    assert_decision(f->d, CUSTOS_DENY, "10 deny unknown-contract; 11 deny unknown-contract");
    assert_message_mentions(f->d, "10", "C-9999-404");
    assert_message_mentions(f->d, "11", "C-9999-404");

    entrusted(f->req, "alice", "use", NULL, "billing-reconciliation", T2026);
    decide(f);
    assert_decision(f->d, CUSTOS_DENY, "10 deny no-contract; 11 deny no-contract");

    /* An unknown contract is refused in every act, even a delete (art. 11 stays out). */
    entrusted(f->req, "alice", "delete", "C-9999-404", NULL, T2026);
    decide(f);
    assert_decision(f->d, CUSTOS_DENY, "10 deny unknown-contract");
}

static void test_silent_contract(void **state) {
    fixture *f = *state;
    /* C-2026-011 names grace but not what she may do */
    entrusted(f->req, "grace", "use", "C-2026-011", "document-translation", T2026);
    decide(f);
    assert_decision(f->d, CUSTOS_DENY,
                    "10 deny contract-silent-on-actions; 11 permit stated-purpose");
    assert_message_mentions(f->d, "10", "C-2026-011");
    /* C-2026-012 names what may be done but not who */
    entrusted(f->req, "alice", "use", "C-2026-012", "sales-reporting", T2026);
    decide(f);
    assert_decision(f->d, CUSTOS_DENY,
                    "10 deny contract-silent-on-subjects; 11 permit stated-purpose");
}

static void test_subject_not_in_contract(void **state) {
    fixture *f = *state;
    /* carol is a subject of C-2025-017, not of C-2026-001 */
    entrusted(f->req, "carol", "use", "C-2026-001", "billing-reconciliation", T2026);
    decide(f);
    assert_decision(f->d, CUSTOS_DENY, "10 deny subject-not-in-contract; 11 permit stated-purpose");
    assert_message_mentions(f->d, "10", "carol");
    assert_message_mentions(f->d, "10", "C-2026-001");
    /* a request with no subject cannot be shown to be a contract subject */
    entrusted(f->req, "alice", "use", "C-2026-001", "billing-reconciliation", T2026);
    assert_int_equal(custos_request_unset(f->req, "subject.id"), CUSTOS_OK);
    decide(f);
    assert_decision(f->d, CUSTOS_DENY, "10 deny no-subject; 11 permit stated-purpose");
    /* nor can a request with no action be shown to be an allowed one, nor one art. 13 does
     * not forbid */
    entrusted(f->req, "alice", "use", "C-2026-001", "billing-reconciliation", T2026);
    assert_int_equal(custos_request_unset(f->req, "action"), CUSTOS_OK);
    decide(f);
    assert_decision(f->d, CUSTOS_DENY,
                    "10 deny no-action; 11 permit stated-purpose; 13 deny no-action");
}

static void test_data_of_another_employer(void **state) {
    fixture *f = *state;
    entrusted(f->req, "alice", "use", "C-2026-001", "billing-reconciliation", T2026);
    set_str(f->req, "resource.owner", "initech");
    decide(f);
    assert_decision(f->d, CUSTOS_DENY,
                    "10 deny contract-of-another-employer; 11 permit stated-purpose");
    assert_message_mentions(f->d, "10", "initech");
    assert_message_mentions(f->d, "10", "globex");
}

/* ---- article 11: purposes -------------------------------------------------------------------- */

static void test_related_purpose_one_step_only(void **state) {
    fixture *f = *state;
    /* declared related to billing-reconciliation by the contract */
    entrusted(f->req, "alice", "process", "C-2026-001", "invoice-correction", T2026);
    decide(f);
    assert_decision(f->d, CUSTOS_PERMIT, "10 permit within-contract; 11 permit related-purpose");
    assert_message_mentions(f->d, "11", "invoice-correction");
    assert_message_mentions(f->d, "11", "billing-reconciliation");

    /* related to customer-support by the purpose catalogue only */
    entrusted(f->req, "alice", "process", "C-2026-001", "complaint-handling", T2026);
    decide(f);
    assert_decision(f->d, CUSTOS_PERMIT, "10 permit within-contract; 11 permit related-purpose");
    assert_message_mentions(f->d, "11", "customer-support");

    /* tax-audit is related to invoice-correction, which is only related: not directly related
     * to anything C-2026-001 states */
    entrusted(f->req, "alice", "process", "C-2026-001", "tax-audit", T2026);
    decide(f);
    assert_decision(f->d, CUSTOS_DENY, "10 permit within-contract; 11 deny unrelated-purpose");
    assert_message_mentions(f->d, "11", "tax-audit");

    /* payslip-delivery is related to a purpose of another contract, not of this one */
    entrusted(f->req, "alice", "process", "C-2026-001", "payslip-delivery", T2026);
    decide(f);
    assert_decision(f->d, CUSTOS_DENY, "10 permit within-contract; 11 deny unrelated-purpose");

    /* the employer's consent reaches what relatedness does not */
    entrusted(f->req, "alice", "process", "C-2026-001", "tax-audit", T2026);
    set_str(f->req, "context.consent.by", "globex");
    append(f->req, "context.consent.purposes", "tax-audit");
    decide(f);
    assert_decision(f->d, CUSTOS_PERMIT, "10 permit within-contract; 11 permit consented-purpose");
}

static void test_purpose_missing(void **state) {
    fixture *f = *state;
    entrusted(f->req, "alice", "use", "C-2026-001", NULL, T2026);
    decide(f);
    assert_decision(f->d, CUSTOS_DENY, "10 permit within-contract; 11 deny no-purpose");
}

static void test_consent_scope(void **state) {
    fixture *f = *state;
    /* consent to one purpose does not cover another */
    entrusted(f->req, "alice", "process", "C-2026-001", "fraud-analytics", T2026);
    written_consent(f->req, "customer-profiling");
    decide(f);
    assert_decision(f->d, CUSTOS_DENY, "10 permit within-contract; 11 deny unrelated-purpose");
    /* art. 11 does not ask for writing: oral consent to the purpose suffices for it */
    entrusted(f->req, "alice", "process", "C-2026-001", "fraud-analytics", T2026);
    set_str(f->req, "context.consent.by", "globex");
    append(f->req, "context.consent.purposes", "fraud-analytics");
    set_bool(f->req, "context.consent.written", false);
    decide(f);
    assert_decision(f->d, CUSTOS_PERMIT, "10 permit within-contract; 11 permit consented-purpose");
    assert_message_mentions(f->d, "11", "fraud-analytics");
    assert_string_equal(obligations(f->d), "delete-by gz-2012/10 date=2027-06-30");
}

/* ---- article 13: no promotion, sale or disclosure; consent does not lift it ---------------- */

static void test_forbidden_acts_even_with_consent(void **state) {
    fixture *f = *state;
    /* selling and promoting are forbidden by their nature; disclosing (like any hand-over) is
     * a disclosure when the recipient is outside the contract: here a data broker */
    static const char *const acts[] = {"sell", "promote", "disclose"};
    static const char *const codes[] = {"forbidden-act", "forbidden-act",
                                        "disclosure-outside-contract"};
    char expected[160];
    for (size_t i = 0; i < sizeof acts / sizeof *acts; i++) {
        for (int with_consent = 0; with_consent <= 1; with_consent++) {
            entrusted(f->req, "alice", acts[i], "C-2026-001", "billing-reconciliation", T2026);
            set_str(f->req, "context.recipient", "data-broker-ltd");
            if (with_consent) {
                written_consent(f->req, "billing-reconciliation");
            }
            decide(f);
            /* C-2026-001 does not list these acts either, so art. 10 denies too */
            snprintf(expected, sizeof expected,
                     "10 deny action-not-in-contract; 11 permit stated-purpose; 13 deny %s",
                     codes[i]);
            assert_decision(f->d, CUSTOS_DENY, expected);
            assert_message_mentions(f->d, "13", acts[i]);
            assert_string_equal(obligations(f->d), "");
        }
    }
}

/* Consent lifts art. 11 and never art. 13: a sale for a consented purpose is denied by
 * art. 13 alone while art. 11 permits. */
static void test_sell_with_consent_denied_by_13(void **state) {
    fixture *f = *state;
    entrusted(f->req, "bob", "sell", "C-2026-001", "data-sale", T2026);
    written_consent(f->req, "data-sale");
    decide(f);
    custos_reason r11 = reason_of(f->d, "11");
    custos_reason r13 = reason_of(f->d, "13");
    assert_int_equal(custos_decision_effect(f->d), CUSTOS_DENY);
    assert_int_equal(r11.effect, CUSTOS_PERMIT);
    assert_string_equal(r11.code, "consented-purpose");
    assert_int_equal(r13.effect, CUSTOS_DENY);
    assert_string_equal(r13.code, "forbidden-act");
    assert_string_equal(r13.citation, "穗外经贸法〔2012〕7号 第十三条");
    assert_non_null(strstr(r13.message_zh, "出售"));
}

static void test_promotional_purpose(void **state) {
    fixture *f = *state;
    static const char *const purposes[] = {"marketing", "direct-marketing", "advertising",
                                           "resale"};
    for (size_t i = 0; i < sizeof purposes / sizeof *purposes; i++) {
        /* an act the contract allows, for a purpose the employer consented to: art. 10 and
         * art. 11 permit, art. 13 still forbids */
        entrusted(f->req, "alice", "use", "C-2026-001", purposes[i], T2026);
        written_consent(f->req, purposes[i]);
        decide(f);
        assert_decision(f->d, CUSTOS_DENY,
                        "10 permit within-contract; 11 permit consented-purpose; "
                        "13 deny promotional-purpose");
        assert_message_mentions(f->d, "13", purposes[i]);
        assert_string_equal(obligations(f->d), ""); /* the permit's delete-by is dropped */
    }
    /* a purpose that merely mentions sales is not a sale */
    entrusted(f->req, "alice", "use", "C-2026-012", "sales-reporting", T2026);
    decide(f);
    assert_true(strstr(cited(f->d), "13 ") == NULL);
}

/* ---- applicability ------------------------------------------------------------------------- */

static void test_not_entrusted_not_applicable(void **state) {
    fixture *f = *state;
    static const char *const acts[] = {"use", "sell", "disclose", "delete"};
    for (size_t i = 0; i < sizeof acts / sizeof *acts; i++) {
        entrusted(f->req, "mallory", acts[i], "C-9999-404", "marketing", T2026);
        set_bool(f->req, "resource.entrusted", false);
        decide_flags(f->eng, f->req, f->d, CUSTOS_DECIDE_EXPLAIN);
        assert_decision(f->d, CUSTOS_NOT_APPLICABLE, "");
        assert_int_equal(custos_decision_reason_count(f->d), 0);
        assert_string_equal(obligations(f->d), "");
        /* consulted all the same, and the regime is still reported */
        assert_string_equal(regimes(f->d), "gz-2012 in_force=0 adopted=1");
        assert_int_equal(custos_decision_trace_count(f->d), 10);
        for (size_t k = 0; k < 10; k++) {
            custos_trace t;
            assert_int_equal(custos_decision_trace(f->d, k, &t), CUSTOS_OK);
            assert_false(t.applied);
            assert_false(t.failed);
            /* art. 19 is about the employer's intellectual property, entrusted or not */
            assert_string_equal(t.code,
                                strcmp(t.article, "19") == 0 ? "no-employer-ip" : "not-entrusted");
        }
    }
    /* absent, with no contract named: nothing ties the data to an employer */
    entrusted(f->req, "alice", "sell", NULL, "marketing", T2026);
    assert_int_equal(custos_request_unset(f->req, "resource.entrusted"), CUSTOS_OK);
    decide(f);
    assert_decision(f->d, CUSTOS_NOT_APPLICABLE, "");
    /* absent, under a contract the data holds: the data establishes it was entrusted (no
     * silent gap), so the sale is refused */
    entrusted(f->req, "alice", "sell", "C-2026-001", "marketing", T2026);
    assert_int_equal(custos_request_unset(f->req, "resource.entrusted"), CUSTOS_OK);
    decide(f);
    assert_decision(f->d, CUSTOS_DENY,
                    "10 deny action-not-in-contract; 11 deny unrelated-purpose; "
                    "13 deny forbidden-act");
}

/* ---- temporal validity (art. 20) and regime modes -------------------------------------------- */

static void test_in_force_window(void **state) {
    fixture *f = *state;
    static const struct {
        const char *time;
        bool in_force;
    } cases[] = {
        {"2012-04-23T23:59:59+08:00", false}, /* the day before publication */
        {"2012-04-24T00:00:00+08:00", true},  /* published and in force that day */
        {"2012-04-23T16:00:00Z", true},       /* the same instant in UTC */
        {"2015-03-10T10:00:00+08:00", true},
        {"2017-04-23T23:59:59+08:00", true}, /* five years: last day in force */
        {"2017-04-24T00:00:00+08:00", false},
        {"2017-04-23T16:00:00Z", false}, /* = 2017-04-24T00:00:00+08:00 */
        {T2026, false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        entrusted(f->req, "alice", "use", "C-2026-001", "billing-reconciliation", cases[i].time);
        decide(f);
        char want[64];
        snprintf(want, sizeof want, "gz-2012 in_force=%d adopted=1", cases[i].in_force);
        if (strcmp(regimes(f->d), want) != 0)
            fail_msg("at %s: want [%s], got [%s]", cases[i].time, want, regimes(f->d));
        /* adopted (the default): the regime binds whether in force or not */
        assert_decision(f->d, CUSTOS_PERMIT, "10 permit within-contract; 11 permit stated-purpose");
    }
}

static void test_mode_in_force(void **state) {
    fixture *f = *state;
    custos_engine *eng = open_gz(CUSTOS_REGIME_IN_FORCE);
    /* 2026: the measures expired in 2017, so they do not bind — even a sale */
    entrusted(f->req, "bob", "sell", "C-2026-001", "data-sale", T2026);
    decide_flags(eng, f->req, f->d, 0);
    assert_decision(f->d, CUSTOS_NOT_APPLICABLE, "");
    assert_int_equal(custos_decision_reason_count(f->d), 0);
    assert_string_equal(regimes(f->d), "gz-2012 in_force=0 adopted=0");
    /* 2015: in force, so they bind */
    entrusted(f->req, "bob", "sell", "C-2026-001", "data-sale", "2015-03-10T10:00:00+08:00");
    decide_flags(eng, f->req, f->d, 0);
    assert_decision(f->d, CUSTOS_DENY,
                    "10 deny action-not-in-contract; 11 deny unrelated-purpose; "
                    "13 deny forbidden-act");
    assert_string_equal(regimes(f->d), "gz-2012 in_force=1 adopted=0");
    entrusted(f->req, "alice", "use", "C-2026-001", "billing-reconciliation",
              "2015-03-10T10:00:00+08:00");
    decide_flags(eng, f->req, f->d, 0);
    assert_decision(f->d, CUSTOS_PERMIT, "10 permit within-contract; 11 permit stated-purpose");
    assert_string_equal(obligations(f->d), "delete-by gz-2012/10 date=2027-06-30");
    custos_engine_close(eng);
}

static void test_mode_skipped(void **state) {
    fixture *f = *state;
    custos_engine *eng = open_gz(CUSTOS_REGIME_SKIPPED);
    static const char *const times[] = {T2026, "2015-03-10T10:00:00+08:00"};
    for (size_t i = 0; i < 2; i++) {
        entrusted(f->req, "bob", "sell", "C-2026-001", "data-sale", times[i]);
        decide_flags(eng, f->req, f->d, CUSTOS_DECIDE_EXPLAIN);
        assert_int_equal(custos_decision_effect(f->d), CUSTOS_NOT_APPLICABLE);
        assert_int_equal(custos_decision_reason_count(f->d), 0);
        assert_int_equal(custos_decision_regime_count(f->d), 0);
        for (size_t k = 0; k < custos_decision_trace_count(f->d); k++) {
            custos_trace t;
            assert_int_equal(custos_decision_trace(f->d, k, &t), CUSTOS_OK);
            assert_false(t.applied);
        }
    }
    custos_engine_close(eng);
}

/* ---- explanation and JSON ------------------------------------------------------------------ */

/* The trace entry of gz-2012 article `article`, failing if absent or listed twice. */
static custos_trace trace_of(custos_decision *d, const char *article) {
    custos_trace found;
    int seen = 0;
    memset(&found, 0, sizeof found);
    for (size_t i = 0; i < custos_decision_trace_count(d); i++) {
        custos_trace t;
        assert_int_equal(custos_decision_trace(d, i, &t), CUSTOS_OK);
        if (strcmp(t.regime, "gz-2012") == 0 && strcmp(t.article, article) == 0) {
            found = t;
            seen++;
        }
    }
    if (seen != 1) fail_msg("art. %s appears %d times in the trace", article, seen);
    return found;
}

static void test_explain(void **state) {
    fixture *f = *state;
    entrusted(f->req, "alice", "use", "C-2026-001", "billing-reconciliation", T2026);
    decide_flags(f->eng, f->req, f->d, CUSTOS_DECIDE_EXPLAIN);
    assert_int_equal(custos_decision_effect(f->d), CUSTOS_PERMIT);
    assert_int_equal(custos_decision_trace_count(f->d), 10);
    custos_trace t10 = trace_of(f->d, "10"), t11 = trace_of(f->d, "11"), t13 = trace_of(f->d, "13");
    assert_true(t10.applied);
    assert_int_equal(t10.effect, CUSTOS_PERMIT);
    assert_string_equal(t10.code, "within-contract");
    assert_non_null(strstr(t10.message_en, "2027-06-30"));
    assert_true(t11.applied);
    assert_int_equal(t11.effect, CUSTOS_PERMIT);
    assert_string_equal(t11.code, "stated-purpose");
    assert_false(t13.applied);
    assert_false(t13.failed);
    assert_int_equal(t13.effect, CUSTOS_NOT_APPLICABLE);
    assert_string_equal(t13.code, "not-forbidden");
    /* the trace keeps the articles' order */
    custos_trace first;
    assert_int_equal(custos_decision_trace(f->d, 0, &first), CUSTOS_OK);
    assert_string_equal(first.article, "3");

    /* a delete: art. 11 is consulted and says it has nothing to decide */
    entrusted(f->req, "alice", "delete", "C-2026-001", NULL, T2026);
    decide_flags(f->eng, f->req, f->d, CUSTOS_DECIDE_EXPLAIN);
    assert_int_equal(custos_decision_effect(f->d), CUSTOS_PERMIT);
    t11 = trace_of(f->d, "11");
    assert_false(t11.applied);
    assert_string_equal(t11.code, "deletion");
    assert_true(trace_of(f->d, "10").applied);
    assert_false(trace_of(f->d, "13").applied);
}

/* obj[key] as a string, failing when absent or not a string. */
static const char *json_str(json_t *obj, const char *key) {
    json_t *v = json_object_get(obj, key);
    if (!json_is_string(v)) fail_msg("JSON field \"%s\" is not a string", key);
    return json_string_value(v);
}

static void test_json(void **state) {
    fixture *f = *state;
    entrusted(f->req, "bob", "sell", "C-2026-001", "data-sale", T2026);
    set_str(f->req, "context.consent.by", "globex");
    append(f->req, "context.consent.purposes", "data-sale");
    decide_flags(f->eng, f->req, f->d, CUSTOS_DECIDE_EXPLAIN);
    const char *text = NULL;
    assert_int_equal(custos_decision_json(f->d, &text), CUSTOS_OK);
    assert_non_null(text);
    json_error_t jerr;
    json_t *root = json_loads(text, 0, &jerr);
    if (!root) fail_msg("decision JSON does not parse: %s\n%s", jerr.text, text);
    assert_string_equal(json_str(root, "decision"), "deny");

    json_t *reasons = json_object_get(root, "reasons");
    assert_true(json_is_array(reasons));
    assert_int_equal(json_array_size(reasons), custos_decision_reason_count(f->d));
    const char *want[][3] = {{"10", "deny", "action-not-in-contract"},
                             {"11", "permit", "consented-purpose"},
                             {"13", "deny", "forbidden-act"}};
    for (size_t i = 0, k = 0; i < 3; k++) {
        assert_true(k < json_array_size(reasons));
        json_t *r = json_array_get(reasons, k);
        if (!in_scope(json_str(r, "article"))) continue;
        assert_string_equal(json_str(r, "regime"), "gz-2012");
        assert_string_equal(json_str(r, "article"), want[i][0]);
        assert_string_equal(json_str(r, "effect"), want[i][1]);
        assert_string_equal(json_str(r, "code"), want[i][2]);
        assert_string_equal(json_str(r, "citation"), expected_citation(want[i][0]));
        json_t *msg = json_object_get(r, "message");
        custos_reason cr = reason_of(f->d, want[i][0]);
        assert_string_equal(json_str(msg, "zh"), cr.message_zh);
        assert_string_equal(json_str(msg, "en"), cr.message_en);
        i++;
    }
    json_t *regs = json_object_get(root, "regimes");
    assert_int_equal(json_array_size(regs), 1);
    json_t *g = json_array_get(regs, 0);
    assert_string_equal(json_str(g, "id"), "gz-2012");
    assert_true(json_is_false(json_object_get(g, "in_force")));
    assert_true(json_is_true(json_object_get(g, "adopted")));
    assert_int_equal(json_array_size(json_object_get(root, "obligations")), 0);
    assert_int_equal(json_array_size(json_object_get(root, "errors")), 0);
    assert_int_equal(json_array_size(json_object_get(root, "trace")), 10);
    json_decref(root);

    /* a permit carries its delete-by obligation with the date as a field */
    entrusted(f->req, "alice", "use", "C-2026-001", "billing-reconciliation", T2026);
    decide(f);
    assert_int_equal(custos_decision_json(f->d, &text), CUSTOS_OK);
    root = json_loads(text, 0, &jerr);
    if (!root) fail_msg("decision JSON does not parse: %s\n%s", jerr.text, text);
    assert_string_equal(json_str(root, "decision"), "permit");
    json_t *obs = json_object_get(root, "obligations");
    json_t *o = NULL; /* art. 10's; arts. 7, 9 and 12 add theirs */
    for (size_t k = 0; k < json_array_size(obs); k++)
        if (strcmp(json_str(json_array_get(obs, k), "article"), "10") == 0)
            o = json_array_get(obs, k);
    assert_non_null(o);
    assert_string_equal(json_str(o, "id"), "delete-by");
    assert_string_equal(json_str(o, "regime"), "gz-2012");
    assert_string_equal(json_str(o, "article"), "10");
    assert_string_equal(json_str(o, "date"), "2027-06-30");
    assert_null(json_object_get(root, "trace")); /* not explained */
    json_decref(root);
}

/* ---- the example requests, parsed ------------------------------------------------------------ */

static void test_example_requests(void **state) {
    fixture *f = *state;
    static const struct {
        const char *file;
        custos_effect effect;
        const char *reasons;
        const char *obligations;
    } cases[] = {
        {"permitted-use.yaml", CUSTOS_PERMIT, "10 permit within-contract; 11 permit stated-purpose",
         "delete-by gz-2012/10 date=2027-06-30"},
        {"sale.yaml", CUSTOS_DENY,
         "10 deny action-not-in-contract; 11 permit consented-purpose; 13 deny forbidden-act", ""},
        {"unrelated-purpose.yaml", CUSTOS_DENY,
         "10 permit within-contract; 11 deny unrelated-purpose", ""},
        {"consented-purpose.yaml", CUSTOS_PERMIT,
         "10 permit within-contract; 11 permit consented-purpose",
         "delete-by gz-2012/10 date=2027-06-30"},
        {"related-purpose.yaml", CUSTOS_PERMIT,
         "10 permit within-contract; 11 permit related-purpose",
         "delete-by gz-2012/10 date=2027-06-30"},
        {"after-retention.yaml", CUSTOS_DENY, "10 deny retention-expired; 11 permit stated-purpose",
         ""},
        {"delete-after-retention.yaml", CUSTOS_PERMIT, "10 permit delete-after-retention", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char rel[256];
        snprintf(rel, sizeof rel, "examples/requests/%s", cases[i].file);
        char *text = read_source_file(rel);
        parse(f->req, text, cases[i].file);
        free(text);
        decide(f);
        const char *got = cited(f->d);
        if (custos_decision_effect(f->d) != cases[i].effect || strcmp(got, cases[i].reasons) ||
            strcmp(obligations(f->d), cases[i].obligations))
            fail_msg("%s: expected %s [%s] {%s}, got %s [%s] {%s}", cases[i].file,
                     custos_effect_name(cases[i].effect), cases[i].reasons, cases[i].obligations,
                     custos_effect_name(custos_decision_effect(f->d)), got, obligations(f->d));
        assert_string_equal(regimes(f->d), "gz-2012 in_force=0 adopted=1");
    }
}

/* A request built field by field and the same request parsed decide identically. */
static void test_built_equals_parsed(void **state) {
    fixture *f = *state;
    entrusted(f->req, "alice", "process", "C-2026-001", "fraud-analytics", T2026);
    written_consent(f->req, "fraud-analytics");
    decide(f);
    const char *built_json = NULL;
    assert_int_equal(custos_decision_json(f->d, &built_json), CUSTOS_OK);
    char *built = strdup(built_json);
    assert_non_null(built);

    parse(f->req,
          "{\"subject\": {\"id\": \"alice\", \"org\": \"acme-outsourcing\", \"role\": \"staff\","
          " \"signed_confidentiality\": true},"
          " \"action\": \"process\","
          " \"resource\": {\"id\": \"dataset-under-test\", \"category\": \"personal\","
          " \"entrusted\": true, \"protected_by_employer\": true, \"public\": false,"
          " \"contract\": \"C-2026-001\"},"
          " \"purpose\": \"fraud-analytics\","
          " \"context\": {\"time\": \"2026-11-22T10:00:00+08:00\","
          " \"consent\": {\"by\": \"globex\", \"purposes\": [\"fraud-analytics\"], \"written\": "
          "true}}}",
          "inline.json");
    decide(f);
    const char *parsed_json = NULL;
    assert_int_equal(custos_decision_json(f->d, &parsed_json), CUSTOS_OK);
    assert_string_equal(parsed_json, built);
    assert_decision(f->d, CUSTOS_PERMIT, "10 permit within-contract; 11 permit consented-purpose");
    free(built);
}

/* ---- every shipped regime and data file together ---------------------------------------------- */

static void test_whole_policy_tree(void **state) {
    fixture *f = *state;
    custos_config *cfg = NULL;
    assert_int_equal(custos_config_new(&cfg), CUSTOS_OK);
    assert_int_equal(custos_config_add_policies(cfg, src_path("policies")), CUSTOS_OK);
    glob_t g;
    memset(&g, 0, sizeof g);
    assert_int_equal(glob(src_path("examples/data/*.yaml"), 0, NULL, &g), 0);
    assert_true(g.gl_pathc >= 2);
    for (size_t i = 0; i < g.gl_pathc; i++)
        assert_int_equal(custos_config_add_data(cfg, g.gl_pathv[i]), CUSTOS_OK);
    globfree(&g);
    custos_engine *eng = NULL;
    custos_error err;
    memset(&err, 0, sizeof err);
    custos_status st = custos_engine_open(cfg, &eng, &err);
    custos_config_free(cfg);
    if (st != CUSTOS_OK)
        fail_msg("the shipped policies and data do not load (%s): %s:%u:%u: %s",
                 custos_status_name(st), err.file, err.line, err.column, err.message);

    /* whatever other regimes say, gz-2012's art. 13 denies the sale, so the decision does */
    entrusted(f->req, "bob", "sell", "C-2026-001", "data-sale", T2026);
    written_consent(f->req, "data-sale");
    decide_flags(eng, f->req, f->d, 0);
    assert_int_equal(custos_decision_effect(f->d), CUSTOS_DENY);
    custos_reason r13 = reason_of(f->d, "13");
    assert_string_equal(r13.code, "forbidden-act");
    bool listed = false;
    for (size_t i = 0; i < custos_decision_regime_count(f->d); i++) {
        custos_regime_status s;
        assert_int_equal(custos_decision_regime(f->d, i, &s), CUSTOS_OK);
        if (strcmp(s.id, "gz-2012") == 0) {
            listed = true;
            assert_false(s.in_force);
            assert_true(s.adopted);
        }
    }
    assert_true(listed);
    /* and on the permitted use gz-2012 still permits with its obligation */
    entrusted(f->req, "alice", "use", "C-2026-001", "billing-reconciliation", T2026);
    decide_flags(eng, f->req, f->d, 0);
    assert_int_equal(reason_of(f->d, "10").effect, CUSTOS_PERMIT);
    assert_int_equal(reason_of(f->d, "11").effect, CUSTOS_PERMIT);
    custos_engine_close(eng);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_permitted_use, setup, teardown),
        cmocka_unit_test_setup_teardown(test_each_contract_action, setup, teardown),
        cmocka_unit_test_setup_teardown(test_retention_last_second_and_next, setup, teardown),
        cmocka_unit_test_setup_teardown(test_retention_same_instants_in_other_offsets, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_retention_expired_contract, setup, teardown),
        cmocka_unit_test_setup_teardown(test_retention_silent_contract, setup, teardown),
        cmocka_unit_test_setup_teardown(test_delete_edges, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_and_missing_contract_fail_closed, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_silent_contract, setup, teardown),
        cmocka_unit_test_setup_teardown(test_subject_not_in_contract, setup, teardown),
        cmocka_unit_test_setup_teardown(test_data_of_another_employer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_related_purpose_one_step_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_purpose_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_consent_scope, setup, teardown),
        cmocka_unit_test_setup_teardown(test_forbidden_acts_even_with_consent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sell_with_consent_denied_by_13, setup, teardown),
        cmocka_unit_test_setup_teardown(test_promotional_purpose, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_entrusted_not_applicable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_in_force_window, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mode_in_force, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mode_skipped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_explain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json, setup, teardown),
        cmocka_unit_test_setup_teardown(test_example_requests, setup, teardown),
        cmocka_unit_test_setup_teardown(test_built_equals_parsed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_whole_policy_tree, setup, teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
