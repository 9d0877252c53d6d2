/* test_decision.c — the decision object alone: combining verdicts, reasons, message templates,
 * obligations, regimes, errors, the trace, the JSON text, accessor arguments and reuse.  The
 * bundle is built by hand; no policy runs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "decision.h"

/* ---- a hand-made bundle: two regimes, the first with two articles ----------------------- */

/* A message as the loader makes it: its templates with their lengths. */
#define MESSAGE(code, zh, en)                                                                      \
    { code, zh, en, sizeof zh - 1, sizeof en - 1 }

static bundle_message art11_messages[] = {
    MESSAGE("unrelated-purpose", "用途{purpose}与合同{contract}无关",
            "purpose {purpose} is unrelated to contract {contract}"),
    MESSAGE("braces", "{{purpose} 字面", "{{literal} {} {purpose {unclosed"),
};

static bundle_message art13_messages[] = {
    MESSAGE("no-consent", "未经{subject}书面同意", "no written consent from {subject}"),
};

static bundle_article fake_articles[] = {
    {.regime = 0,
     .number = "11",
     .title_zh = "合同目的",
     .title_en = "Purpose of the contract",
     .citation = "穗外经贸法〔2012〕7号 第十一条",
     .chunkname = "gz-2012/art11.lua",
     .path = "policies/gz-2012/art11.lua",
     .messages = art11_messages,
     .message_count = 2},
    {.regime = 0,
     .number = "13",
     .title_zh = "书面同意",
     .title_en = "Written consent",
     .citation = "穗外经贸法〔2012〕7号 第十三条",
     .chunkname = "gz-2012/art13.lua",
     .path = "policies/gz-2012/art13.lua",
     .messages = art13_messages,
     .message_count = 1},
};

static bundle_regime fake_regimes[] = {
    {.id = "gz-2012", .first_article = 0, .article_count = 2},
    {.id = "enterprise-confidentiality", .first_article = 2, .article_count = 0},
};

/* A fresh bundle holding one reference (the test's own). */
static void fake_bundle_init(bundle *b) {
    memset(b, 0, sizeof *b);
    atomic_init(&b->refs, 1);
    arena_init(&b->mem, 0);
    b->regimes = fake_regimes;
    b->regime_count = 2;
    b->articles = fake_articles;
    b->article_count = 2;
}

enum { ART11 = 0, ART13 = 1, GZ = 0, ENT = 1 };

typedef struct fixture {
    bundle b;
    custos_decision *d;
} fixture;

/* Gives each test a bundle and a fresh decision. */
static int setup(void **state) {
    fixture *f = calloc(1, sizeof *f);
    if (!f) return -1;
    fake_bundle_init(&f->b);
    if (custos_decision_new(&f->d) != CUSTOS_OK) {
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

/* Frees the decision and checks it gave back its bundle reference. */
static int teardown(void **state) {
    fixture *f = *state;
    custos_decision_free(f->d);
    int refs_left = (int)atomic_load(&f->b.refs);
    free(f);
    return refs_left == 1 ? 0 : -1;
}

/* Adds a string param to verdict v, failing the test on error. */
static void add_verdict_param(custos_decision *d, decision_verdict *v, const char *key,
                              const char *value) {
    assert_int_equal(
        decision_add_param(d, &v->params, &v->param_count, key, strlen(key), value, strlen(value)),
        CUSTOS_OK);
}

/* Adds a verdict with message `message` (SIZE_MAX: none), failing the test on error. */
static decision_verdict *add_verdict(custos_decision *d, size_t article, custos_effect effect,
                                     size_t message) {
    decision_verdict *v = decision_add_verdict(d, article, effect);
    assert_non_null(v);
    v->message = message;
    return v;
}

/* Parses the decision's JSON, failing the test if it does not parse. */
static json_t *decision_json_tree(custos_decision *d) {
    const char *text = NULL;
    assert_int_equal(custos_decision_json(d, &text), CUSTOS_OK);
    assert_non_null(text);
    json_error_t jerr;
    json_t *root = json_loads(text, 0, &jerr);
    if (!root) fail_msg("decision JSON does not parse: %s\n%s", jerr.text, text);
    return root;
}

/* The string at obj[key], failing the test when it is absent or not a string. */
static const char *json_field(const json_t *obj, const char *key) {
    const json_t *v = json_object_get(obj, key);
    if (!json_is_string(v)) fail_msg("field \"%s\" is missing or not a string", key);
    return json_string_value(v);
}

/* ---- combining -------------------------------------------------------------------------- */

static void deny_overrides_permit(void **state) {
    fixture *f = *state;
    decision_reset(f->d, &f->b, false);
    add_verdict(f->d, ART11, CUSTOS_PERMIT, SIZE_MAX);
    add_verdict(f->d, ART13, CUSTOS_DENY, 0);
    assert_int_equal(decision_finish(f->d), CUSTOS_OK);
    assert_int_equal(custos_decision_effect(f->d), CUSTOS_DENY);
    assert_int_equal(custos_decision_reason_count(f->d), 2);
    custos_reason r;
    assert_int_equal(custos_decision_reason(f->d, 0, &r), CUSTOS_OK);
    assert_string_equal(r.article, "11");
    assert_int_equal(r.effect, CUSTOS_PERMIT);
    assert_int_equal(custos_decision_reason(f->d, 1, &r), CUSTOS_OK);
    assert_string_equal(r.article, "13");
    assert_int_equal(r.effect, CUSTOS_DENY);
    assert_int_equal(custos_decision_error_count(f->d), 0);
}

static void permits_alone_permit(void **state) {
    fixture *f = *state;
    decision_reset(f->d, &f->b, false);
    add_verdict(f->d, ART11, CUSTOS_PERMIT, SIZE_MAX);
    add_verdict(f->d, ART13, CUSTOS_NOT_APPLICABLE, SIZE_MAX);
    assert_int_equal(decision_finish(f->d), CUSTOS_OK);
    assert_int_equal(custos_decision_effect(f->d), CUSTOS_PERMIT);
    assert_int_equal(custos_decision_reason_count(f->d), 1);
}

static void a_failure_denies(void **state) {
    fixture *f = *state;
    decision_reset(f->d, &f->b, false);
    add_verdict(f->d, ART11, CUSTOS_PERMIT, SIZE_MAX);
    assert_int_equal(decision_add_error(f->d, ART13, "gz-2012/art13.lua:7: attempt to index a nil"),
                     CUSTOS_OK);
    assert_int_equal(decision_finish(f->d), CUSTOS_OK);
    assert_int_equal(custos_decision_effect(f->d), CUSTOS_DENY);
    /* the failed article is an error, not a reason */
    assert_int_equal(custos_decision_reason_count(f->d), 1);
    assert_int_equal(custos_decision_error_count(f->d), 1);
    custos_policy_error e;
    assert_int_equal(custos_decision_error(f->d, 0, &e), CUSTOS_OK);
    assert_string_equal(e.regime, "gz-2012");
    assert_string_equal(e.article, "13");
    assert_string_equal(e.message, "gz-2012/art13.lua:7: attempt to index a nil");
}

static void an_engine_error_denies_with_no_article(void **state) {
    fixture *f = *state;
    decision_reset(f->d, &f->b, false);
    assert_int_equal(decision_add_error(f->d, SIZE_MAX, "memory limit reached"), CUSTOS_OK);
    assert_int_equal(decision_finish(f->d), CUSTOS_OK);
    assert_int_equal(custos_decision_effect(f->d), CUSTOS_DENY);
    assert_int_equal(custos_decision_reason_count(f->d), 0);
    custos_policy_error e;
    assert_int_equal(custos_decision_error(f->d, 0, &e), CUSTOS_OK);
    assert_string_equal(e.regime, "");
    assert_string_equal(e.article, "");
    assert_string_equal(e.message, "memory limit reached");
}

static void nothing_applying_is_not_applicable(void **state) {
    fixture *f = *state;
    decision_reset(f->d, &f->b, false);
    add_verdict(f->d, ART11, CUSTOS_NOT_APPLICABLE, SIZE_MAX);
    add_verdict(f->d, ART13, CUSTOS_NOT_APPLICABLE, 0);
    assert_int_equal(decision_finish(f->d), CUSTOS_OK);
    assert_int_equal(custos_decision_effect(f->d), CUSTOS_NOT_APPLICABLE);
    assert_int_equal(custos_decision_reason_count(f->d), 0);
    assert_int_equal(custos_decision_error_count(f->d), 0);

    /* no verdict at all is not applicable too */
    decision_reset(f->d, &f->b, false);
    assert_int_equal(decision_finish(f->d), CUSTOS_OK);
    assert_int_equal(custos_decision_effect(f->d), CUSTOS_NOT_APPLICABLE);
}

static void an_unfinished_decision_reads_deny(void **state) {
    fixture *f = *state;
    custos_decision *fresh = NULL;
    assert_int_equal(custos_decision_new(&fresh), CUSTOS_OK);
    assert_int_equal(custos_decision_effect(fresh), CUSTOS_DENY);
    custos_decision_free(fresh);
    decision_reset(f->d, &f->b, false);
    add_verdict(f->d, ART11, CUSTOS_PERMIT, SIZE_MAX);
    assert_int_equal(custos_decision_effect(f->d), CUSTOS_DENY); /* finish not called */
}

/* ---- reasons and messages --------------------------------------------------------------- */

static void reasons_carry_article_metadata(void **state) {
    fixture *f = *state;
    decision_reset(f->d, &f->b, false);
    add_verdict(f->d, ART11, CUSTOS_DENY, SIZE_MAX);
    assert_int_equal(decision_finish(f->d), CUSTOS_OK);
    custos_reason r;
    assert_int_equal(custos_decision_reason(f->d, 0, &r), CUSTOS_OK);
    assert_string_equal(r.regime, "gz-2012");
    assert_string_equal(r.article, "11");
    assert_string_equal(r.citation, "穗外经贸法〔2012〕7号 第十一条");
    assert_string_equal(r.title_zh, "合同目的");
    assert_string_equal(r.title_en, "Purpose of the contract");
    assert_string_equal(r.module, "policies/gz-2012/art11.lua");
    /* no message named: the code is empty and the title speaks */
    assert_string_equal(r.code, "");
    assert_string_equal(r.message_zh, "合同目的");
    assert_string_equal(r.message_en, "Purpose of the contract");
}

static void templates_are_filled_from_params(void **state) {
    fixture *f = *state;
    decision_reset(f->d, &f->b, false);
    decision_verdict *v = add_verdict(f->d, ART11, CUSTOS_DENY, 0);
    add_verdict_param(f->d, v, "purpose", "marketing");
    add_verdict_param(f->d, v, "contract", "C-2026-001");
    decision_verdict *w = add_verdict(f->d, ART13, CUSTOS_DENY, 0);
    add_verdict_param(f->d, w, "purpose", "unused");
    assert_int_equal(decision_finish(f->d), CUSTOS_OK);

    custos_reason r;
    assert_int_equal(custos_decision_reason(f->d, 0, &r), CUSTOS_OK);
    assert_string_equal(r.code, "unrelated-purpose");
    assert_string_equal(r.message_zh, "用途marketing与合同C-2026-001无关");
    assert_string_equal(r.message_en, "purpose marketing is unrelated to contract C-2026-001");
    /* rendered once, then cached */
    custos_reason again;
    assert_int_equal(custos_decision_reason(f->d, 0, &again), CUSTOS_OK);
    assert_ptr_equal(again.message_en, r.message_en);

    /* a missing param leaves its placeholder as written */
    assert_int_equal(custos_decision_reason(f->d, 1, &r), CUSTOS_OK);
    assert_string_equal(r.code, "no-consent");
    assert_string_equal(r.message_zh, "未经{subject}书面同意");
    assert_string_equal(r.message_en, "no written consent from {subject}");
}

static void double_braces_and_odd_braces_are_literal(void **state) {
    fixture *f = *state;
    decision_reset(f->d, &f->b, false);
    decision_verdict *v = add_verdict(f->d, ART11, CUSTOS_PERMIT, 1);
    add_verdict_param(f->d, v, "purpose", "billing");
    add_verdict_param(f->d, v, "literal", "WRONG");
    assert_int_equal(decision_finish(f->d), CUSTOS_OK);
    custos_reason r;
    assert_int_equal(custos_decision_reason(f->d, 0, &r), CUSTOS_OK);
    assert_string_equal(r.message_zh, "{purpose} 字面");
    assert_string_equal(r.message_en, "{literal} {} {purpose {unclosed");
}

static void many_params_all_survive_growth(void **state) {
    fixture *f = *state;
    decision_reset(f->d, &f->b, false);
    decision_verdict *v = add_verdict(f->d, ART11, CUSTOS_DENY, 0);
    char key[16], value[16];
    for (int i = 0; i < 40; i++) {
        snprintf(key, sizeof key, "k%d", i);
        snprintf(value, sizeof value, "v%d", i);
        add_verdict_param(f->d, v, key, value);
    }
    add_verdict_param(f->d, v, "purpose", "p");
    add_verdict_param(f->d, v, "contract", "c");
    assert_int_equal(v->param_count, 42);
    for (int i = 0; i < 40; i++) {
        snprintf(key, sizeof key, "k%d", i);
        snprintf(value, sizeof value, "v%d", i);
        assert_string_equal(v->params[i].key, key);
        assert_string_equal(v->params[i].value, value);
    }
    assert_int_equal(decision_finish(f->d), CUSTOS_OK);
    custos_reason r;
    assert_int_equal(custos_decision_reason(f->d, 0, &r), CUSTOS_OK);
    assert_string_equal(r.message_en, "purpose p is unrelated to contract c");
}

/* ---- obligations, regimes --------------------------------------------------------------- */

static void obligations_come_with_their_params(void **state) {
    fixture *f = *state;
    decision_reset(f->d, &f->b, false);
    add_verdict(f->d, ART11, CUSTOS_PERMIT, SIZE_MAX);
    decision_obligation *o = decision_add_obligation(f->d, ART11, "delete-by!", 9);
    assert_non_null(o);
    assert_int_equal(
        decision_add_param(f->d, &o->params, &o->param_count, "date", 4, "2027-06-30xyz", 10),
        CUSTOS_OK);
    assert_int_equal(decision_add_param(f->d, &o->params, &o->param_count, "scope", 5, "all", 3),
                     CUSTOS_OK);
    assert_non_null(decision_add_obligation(f->d, ART13, "log-access", 10));
    assert_int_equal(decision_finish(f->d), CUSTOS_OK);

    assert_int_equal(custos_decision_obligation_count(f->d), 2);
    custos_obligation ob;
    assert_int_equal(custos_decision_obligation(f->d, 0, &ob), CUSTOS_OK);
    assert_string_equal(ob.id, "delete-by");
    assert_string_equal(ob.regime, "gz-2012");
    assert_string_equal(ob.article, "11");
    assert_int_equal(ob.param_count, 2);
    assert_string_equal(ob.param_keys[0], "date");
    assert_string_equal(ob.param_values[0], "2027-06-30");
    assert_string_equal(ob.param_keys[1], "scope");
    assert_string_equal(ob.param_values[1], "all");

    assert_int_equal(custos_decision_obligation(f->d, 1, &ob), CUSTOS_OK);
    assert_string_equal(ob.id, "log-access");
    assert_string_equal(ob.article, "13");
    assert_int_equal(ob.param_count, 0);
    assert_non_null(ob.param_keys);
    assert_non_null(ob.param_values);
}

static void regimes_report_in_force_and_adopted(void **state) {
    fixture *f = *state;
    decision_reset(f->d, &f->b, false);
    assert_int_equal(decision_add_regime(f->d, GZ, false, true, true), CUSTOS_OK);
    assert_int_equal(decision_add_regime(f->d, ENT, true, true, true), CUSTOS_OK);
    assert_int_equal(decision_finish(f->d), CUSTOS_OK);
    assert_int_equal(custos_decision_regime_count(f->d), 2);
    custos_regime_status rs;
    assert_int_equal(custos_decision_regime(f->d, 0, &rs), CUSTOS_OK);
    assert_string_equal(rs.id, "gz-2012");
    assert_false(rs.in_force);
    assert_true(rs.adopted);
    assert_int_equal(custos_decision_regime(f->d, 1, &rs), CUSTOS_OK);
    assert_string_equal(rs.id, "enterprise-confidentiality");
    assert_true(rs.in_force);
    assert_true(rs.adopted);
}

/* ---- trace ------------------------------------------------------------------------------ */

/* Records: art 11 not applicable (with a message), art 13 failed, art 11 denying. */
static void record_mixed_verdicts(custos_decision *d) {
    decision_verdict *v = add_verdict(d, ART11, CUSTOS_NOT_APPLICABLE, 0);
    add_verdict_param(d, v, "purpose", "billing");
    add_verdict_param(d, v, "contract", "C-1");
    assert_int_equal(decision_add_error(d, ART13, "boom"), CUSTOS_OK);
    add_verdict(d, ART11, CUSTOS_DENY, SIZE_MAX);
    assert_int_equal(decision_finish(d), CUSTOS_OK);
}

static void trace_is_kept_only_when_explained(void **state) {
    fixture *f = *state;
    custos_trace t;
    decision_reset(f->d, &f->b, false);
    record_mixed_verdicts(f->d);
    assert_int_equal(custos_decision_trace_count(f->d), 0);
    assert_int_equal(custos_decision_trace(f->d, 0, &t), CUSTOS_E_ARGUMENT);

    decision_reset(f->d, &f->b, true);
    record_mixed_verdicts(f->d);
    assert_int_equal(custos_decision_trace_count(f->d), 3);

    assert_int_equal(custos_decision_trace(f->d, 0, &t), CUSTOS_OK);
    assert_string_equal(t.regime, "gz-2012");
    assert_string_equal(t.article, "11");
    assert_false(t.applied);
    assert_false(t.failed);
    assert_int_equal(t.effect, CUSTOS_NOT_APPLICABLE);
    assert_string_equal(t.code, "unrelated-purpose");
    assert_string_equal(t.message_en, "purpose billing is unrelated to contract C-1");

    assert_int_equal(custos_decision_trace(f->d, 1, &t), CUSTOS_OK);
    assert_string_equal(t.article, "13");
    assert_false(t.applied);
    assert_true(t.failed);
    assert_int_equal(t.effect, CUSTOS_DENY);
    assert_string_equal(t.message_en, "boom");

    assert_int_equal(custos_decision_trace(f->d, 2, &t), CUSTOS_OK);
    assert_true(t.applied);
    assert_false(t.failed);
    assert_int_equal(t.effect, CUSTOS_DENY);
    assert_string_equal(t.message_zh, "合同目的");

    assert_int_equal(custos_decision_trace(f->d, 3, &t), CUSTOS_E_ARGUMENT);
}

/* ---- JSON ------------------------------------------------------------------------------- */

static void json_has_the_design_shape(void **state) {
    fixture *f = *state;
    decision_reset(f->d, &f->b, false);
    decision_verdict *v = add_verdict(f->d, ART11, CUSTOS_DENY, 0);
    add_verdict_param(f->d, v, "purpose", "marketing");
    add_verdict_param(f->d, v, "contract", "C-2026-001");
    assert_int_equal(decision_add_error(f->d, ART13, "gz-2012/art13.lua:3: bad \"verdict\""),
                     CUSTOS_OK);
    decision_obligation *o = decision_add_obligation(f->d, ART11, "delete-by", 9);
    assert_non_null(o);
    assert_int_equal(
        decision_add_param(f->d, &o->params, &o->param_count, "date", 4, "2027-06-30", 10),
        CUSTOS_OK);
    /* a param may not overwrite a fixed field */
    assert_int_equal(decision_add_param(f->d, &o->params, &o->param_count, "id", 2, "evil", 4),
                     CUSTOS_OK);
    assert_int_equal(decision_add_regime(f->d, GZ, false, true, true), CUSTOS_OK);
    assert_int_equal(decision_finish(f->d), CUSTOS_OK);

    const char *first = NULL, *second = NULL;
    assert_int_equal(custos_decision_json(f->d, &first), CUSTOS_OK);
    assert_int_equal(custos_decision_json(f->d, &second), CUSTOS_OK);
    assert_ptr_equal(first, second); /* cached */
    assert_int_equal(strncmp(first, "{\"decision\":\"deny\",\"reasons\":[", 30), 0);

    json_t *root = decision_json_tree(f->d);
    assert_string_equal(json_field(root, "decision"), "deny");
    assert_null(json_object_get(root, "trace"));

    const json_t *reasons = json_object_get(root, "reasons");
    assert_int_equal(json_array_size(reasons), 1);
    const json_t *r = json_array_get(reasons, 0);
    assert_string_equal(json_field(r, "regime"), "gz-2012");
    assert_string_equal(json_field(r, "article"), "11");
    assert_string_equal(json_field(r, "effect"), "deny");
    assert_string_equal(json_field(r, "code"), "unrelated-purpose");
    assert_string_equal(json_field(r, "citation"), "穗外经贸法〔2012〕7号 第十一条");
    assert_string_equal(json_field(json_object_get(r, "title"), "zh"), "合同目的");
    assert_string_equal(json_field(json_object_get(r, "title"), "en"), "Purpose of the contract");
    assert_string_equal(json_field(json_object_get(r, "message"), "zh"),
                        "用途marketing与合同C-2026-001无关");
    assert_string_equal(json_field(json_object_get(r, "message"), "en"),
                        "purpose marketing is unrelated to contract C-2026-001");

    const json_t *obligations = json_object_get(root, "obligations");
    assert_int_equal(json_array_size(obligations), 1);
    const json_t *ob = json_array_get(obligations, 0);
    assert_string_equal(json_field(ob, "id"), "delete-by");
    assert_string_equal(json_field(ob, "regime"), "gz-2012");
    assert_string_equal(json_field(ob, "article"), "11");
    assert_string_equal(json_field(ob, "date"), "2027-06-30");
    assert_int_equal(json_object_size(ob), 4);

    const json_t *regimes = json_object_get(root, "regimes");
    assert_int_equal(json_array_size(regimes), 1);
    const json_t *rg = json_array_get(regimes, 0);
    assert_string_equal(json_field(rg, "id"), "gz-2012");
    assert_true(json_is_false(json_object_get(rg, "in_force")));
    assert_true(json_is_true(json_object_get(rg, "adopted")));

    const json_t *errors = json_object_get(root, "errors");
    assert_int_equal(json_array_size(errors), 1);
    const json_t *e = json_array_get(errors, 0);
    assert_string_equal(json_field(e, "regime"), "gz-2012");
    assert_string_equal(json_field(e, "article"), "13");
    assert_string_equal(json_field(e, "message"), "gz-2012/art13.lua:3: bad \"verdict\"");
    json_decref(root);
}

static void json_of_an_explained_decision_has_a_trace(void **state) {
    fixture *f = *state;
    decision_reset(f->d, &f->b, true);
    record_mixed_verdicts(f->d);
    json_t *root = decision_json_tree(f->d);
    const json_t *trace = json_object_get(root, "trace");
    assert_true(json_is_array(trace));
    assert_int_equal(json_array_size(trace), 3);
    const json_t *t0 = json_array_get(trace, 0);
    assert_string_equal(json_field(t0, "regime"), "gz-2012");
    assert_string_equal(json_field(t0, "article"), "11");
    assert_true(json_is_false(json_object_get(t0, "applied")));
    assert_true(json_is_false(json_object_get(t0, "failed")));
    assert_string_equal(json_field(t0, "effect"), "not_applicable");
    assert_string_equal(json_field(t0, "code"), "unrelated-purpose");
    assert_string_equal(json_field(json_object_get(t0, "message"), "en"),
                        "purpose billing is unrelated to contract C-1");
    const json_t *t1 = json_array_get(trace, 1);
    assert_true(json_is_true(json_object_get(t1, "failed")));
    assert_string_equal(json_field(t1, "effect"), "deny");
    const json_t *t2 = json_array_get(trace, 2);
    assert_true(json_is_true(json_object_get(t2, "applied")));
    assert_string_equal(json_field(root, "decision"), "deny");
    json_decref(root);
}

static void json_survives_invalid_utf8(void **state) {
    fixture *f = *state;
    decision_reset(f->d, &f->b, false);
    assert_int_equal(decision_add_error(f->d, SIZE_MAX, "bad \xff byte \xe4\xb8"), CUSTOS_OK);
    decision_obligation *o = decision_add_obligation(f->d, ART11, "x", 1);
    assert_non_null(o);
    assert_int_equal(decision_add_param(f->d, &o->params, &o->param_count, "k\xc0", 2, "v\xfe", 2),
                     CUSTOS_OK);
    assert_int_equal(decision_finish(f->d), CUSTOS_OK);
    json_t *root = decision_json_tree(f->d);
    const json_t *e = json_array_get(json_object_get(root, "errors"), 0);
    assert_string_equal(json_field(e, "message"), "bad \xEF\xBF\xBD byte \xEF\xBF\xBD\xEF\xBF\xBD");
    assert_string_equal(json_field(e, "regime"), "");
    const json_t *ob = json_array_get(json_object_get(root, "obligations"), 0);
    assert_string_equal(json_field(ob, "k\xEF\xBF\xBD"), "v\xEF\xBF\xBD");
    json_decref(root);
}

/* ---- argument checking ------------------------------------------------------------------ */

static void accessors_refuse_bad_arguments(void **state) {
    fixture *f = *state;
    custos_reason r;
    custos_obligation ob;
    custos_regime_status rs;
    custos_policy_error e;
    custos_trace t;
    const char *json = "untouched";

    assert_int_equal(custos_decision_new(NULL), CUSTOS_E_ARGUMENT);
    custos_decision_free(NULL);
    decision_reset(NULL, &f->b, false);
    assert_int_equal(decision_finish(NULL), CUSTOS_E_ARGUMENT);
    assert_null(decision_add_verdict(NULL, 0, CUSTOS_PERMIT));
    assert_int_equal(decision_add_error(NULL, 0, "x"), CUSTOS_E_ARGUMENT);
    assert_null(decision_add_obligation(NULL, 0, "x", 1));
    assert_int_equal(decision_add_regime(NULL, 0, true, true, true), CUSTOS_E_ARGUMENT);
    assert_int_equal(decision_add_param(f->d, NULL, NULL, "k", 1, "v", 1), CUSTOS_E_ARGUMENT);

    assert_int_equal(custos_decision_effect(NULL), CUSTOS_DENY);
    assert_int_equal(custos_decision_reason_count(NULL), 0);
    assert_int_equal(custos_decision_obligation_count(NULL), 0);
    assert_int_equal(custos_decision_regime_count(NULL), 0);
    assert_int_equal(custos_decision_error_count(NULL), 0);
    assert_int_equal(custos_decision_trace_count(NULL), 0);
    assert_int_equal(custos_decision_reason(NULL, 0, &r), CUSTOS_E_ARGUMENT);
    assert_string_equal(r.regime, ""); /* never left dangling */
    assert_int_equal(custos_decision_obligation(NULL, 0, &ob), CUSTOS_E_ARGUMENT);
    assert_int_equal(custos_decision_regime(NULL, 0, &rs), CUSTOS_E_ARGUMENT);
    assert_int_equal(custos_decision_error(NULL, 0, &e), CUSTOS_E_ARGUMENT);
    assert_int_equal(custos_decision_trace(NULL, 0, &t), CUSTOS_E_ARGUMENT);
    assert_int_equal(custos_decision_json(NULL, &json), CUSTOS_E_ARGUMENT);
    assert_null(json);

    /* a decision never decided: empty, and every index is out of range */
    assert_int_equal(custos_decision_reason(f->d, 0, &r), CUSTOS_E_ARGUMENT);
    assert_int_equal(custos_decision_json(f->d, NULL), CUSTOS_E_ARGUMENT);
    assert_int_equal(custos_decision_json(f->d, &json), CUSTOS_OK);
    assert_non_null(json);

    decision_reset(f->d, &f->b, true);
    add_verdict(f->d, ART11, CUSTOS_PERMIT, SIZE_MAX);
    assert_non_null(decision_add_obligation(f->d, ART11, "log-access", 10));
    assert_int_equal(decision_add_regime(f->d, GZ, true, true, true), CUSTOS_OK);
    assert_int_equal(decision_add_error(f->d, SIZE_MAX, "x"), CUSTOS_OK);
    assert_int_equal(decision_finish(f->d), CUSTOS_OK);
    assert_int_equal(custos_decision_reason(f->d, 0, NULL), CUSTOS_E_ARGUMENT);
    assert_int_equal(custos_decision_reason(f->d, 1, &r), CUSTOS_E_ARGUMENT);
    assert_int_equal(custos_decision_reason(f->d, SIZE_MAX, &r), CUSTOS_E_ARGUMENT);
    assert_int_equal(custos_decision_obligation(f->d, 0, NULL), CUSTOS_E_ARGUMENT);
    assert_int_equal(custos_decision_obligation(f->d, 1, &ob), CUSTOS_E_ARGUMENT);
    assert_int_equal(custos_decision_regime(f->d, 0, NULL), CUSTOS_E_ARGUMENT);
    assert_int_equal(custos_decision_regime(f->d, 1, &rs), CUSTOS_E_ARGUMENT);
    assert_int_equal(custos_decision_error(f->d, 0, NULL), CUSTOS_E_ARGUMENT);
    assert_int_equal(custos_decision_error(f->d, 1, &e), CUSTOS_E_ARGUMENT);
    assert_int_equal(custos_decision_trace(f->d, 0, NULL), CUSTOS_E_ARGUMENT);
    assert_int_equal(custos_decision_trace(f->d, 2, &t), CUSTOS_E_ARGUMENT);
}

static void out_of_range_indices_from_the_evaluator_do_not_crash(void **state) {
    fixture *f = *state;
    decision_reset(f->d, &f->b, true);
    add_verdict(f->d, 99, CUSTOS_PERMIT, 5);    /* no such article */
    add_verdict(f->d, ART11, CUSTOS_PERMIT, 7); /* no such message */
    assert_non_null(decision_add_obligation(f->d, 99, "x", 1));
    assert_int_equal(decision_add_regime(f->d, 42, true, true, false), CUSTOS_OK);
    assert_int_equal(decision_finish(f->d), CUSTOS_OK);
    custos_reason r;
    assert_int_equal(custos_decision_reason(f->d, 0, &r), CUSTOS_OK);
    assert_string_equal(r.article, "");
    assert_string_equal(r.message_en, "");
    assert_int_equal(custos_decision_reason(f->d, 1, &r), CUSTOS_OK);
    assert_string_equal(r.code, "");
    assert_string_equal(r.message_en, "Purpose of the contract");
    custos_regime_status rs;
    assert_int_equal(custos_decision_regime(f->d, 0, &rs), CUSTOS_OK);
    assert_string_equal(rs.id, "");
    json_t *root = decision_json_tree(f->d);
    json_decref(root);
}

/* ---- reuse ------------------------------------------------------------------------------ */

static void a_reused_decision_answers_afresh(void **state) {
    fixture *f = *state;
    decision_reset(f->d, &f->b, true);
    decision_verdict *v = add_verdict(f->d, ART11, CUSTOS_DENY, 0);
    add_verdict_param(f->d, v, "purpose", "first");
    assert_int_equal(decision_add_error(f->d, ART13, "first error"), CUSTOS_OK);
    assert_non_null(decision_add_obligation(f->d, ART11, "log-access", 10));
    assert_int_equal(decision_add_regime(f->d, GZ, true, true, true), CUSTOS_OK);
    assert_int_equal(decision_finish(f->d), CUSTOS_OK);
    custos_reason r;
    assert_int_equal(custos_decision_reason(f->d, 0, &r), CUSTOS_OK);
    const char *json = NULL;
    assert_int_equal(custos_decision_json(f->d, &json), CUSTOS_OK);
    assert_non_null(strstr(json, "first"));

    decision_reset(f->d, &f->b, false);
    v = add_verdict(f->d, ART13, CUSTOS_PERMIT, 0);
    add_verdict_param(f->d, v, "subject", "alice");
    assert_int_equal(decision_finish(f->d), CUSTOS_OK);
    assert_int_equal(custos_decision_effect(f->d), CUSTOS_PERMIT);
    assert_int_equal(custos_decision_reason_count(f->d), 1);
    assert_int_equal(custos_decision_error_count(f->d), 0);
    assert_int_equal(custos_decision_obligation_count(f->d), 0);
    assert_int_equal(custos_decision_regime_count(f->d), 0);
    assert_int_equal(custos_decision_trace_count(f->d), 0);
    assert_int_equal(custos_decision_reason(f->d, 0, &r), CUSTOS_OK);
    assert_string_equal(r.article, "13");
    assert_string_equal(r.message_en, "no written consent from alice");

    json_t *root = decision_json_tree(f->d);
    assert_string_equal(json_field(root, "decision"), "permit");
    assert_int_equal(json_array_size(json_object_get(root, "reasons")), 1);
    assert_int_equal(json_array_size(json_object_get(root, "errors")), 0);
    assert_int_equal(json_array_size(json_object_get(root, "obligations")), 0);
    assert_null(json_object_get(root, "trace"));
    json_decref(root);
}

static void bundle_references_move_only_when_the_bundle_changes(void **state) {
    fixture *f = *state;
    bundle other;
    fake_bundle_init(&other);
    decision_reset(f->d, &f->b, false);
    assert_int_equal((int)atomic_load(&f->b.refs), 2);
    decision_reset(f->d, &f->b, false);
    assert_int_equal((int)atomic_load(&f->b.refs), 2);
    decision_reset(f->d, &other, false);
    assert_int_equal((int)atomic_load(&f->b.refs), 1);
    assert_int_equal((int)atomic_load(&other.refs), 2);
    add_verdict(f->d, ART11, CUSTOS_PERMIT, SIZE_MAX);
    assert_int_equal(decision_finish(f->d), CUSTOS_OK);
    decision_reset(f->d, &f->b, false);
    assert_int_equal((int)atomic_load(&other.refs), 1);
    assert_int_equal((int)atomic_load(&f->b.refs), 2);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(deny_overrides_permit, setup, teardown),
        cmocka_unit_test_setup_teardown(permits_alone_permit, setup, teardown),
        cmocka_unit_test_setup_teardown(a_failure_denies, setup, teardown),
        cmocka_unit_test_setup_teardown(an_engine_error_denies_with_no_article, setup, teardown),
        cmocka_unit_test_setup_teardown(nothing_applying_is_not_applicable, setup, teardown),
        cmocka_unit_test_setup_teardown(an_unfinished_decision_reads_deny, setup, teardown),
        cmocka_unit_test_setup_teardown(reasons_carry_article_metadata, setup, teardown),
        cmocka_unit_test_setup_teardown(templates_are_filled_from_params, setup, teardown),
        cmocka_unit_test_setup_teardown(double_braces_and_odd_braces_are_literal, setup, teardown),
        cmocka_unit_test_setup_teardown(many_params_all_survive_growth, setup, teardown),
        cmocka_unit_test_setup_teardown(obligations_come_with_their_params, setup, teardown),
        cmocka_unit_test_setup_teardown(regimes_report_in_force_and_adopted, setup, teardown),
        cmocka_unit_test_setup_teardown(trace_is_kept_only_when_explained, setup, teardown),
        cmocka_unit_test_setup_teardown(json_has_the_design_shape, setup, teardown),
        cmocka_unit_test_setup_teardown(json_of_an_explained_decision_has_a_trace, setup, teardown),
        cmocka_unit_test_setup_teardown(json_survives_invalid_utf8, setup, teardown),
        cmocka_unit_test_setup_teardown(accessors_refuse_bad_arguments, setup, teardown),
        cmocka_unit_test_setup_teardown(out_of_range_indices_from_the_evaluator_do_not_crash, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(a_reused_decision_answers_afresh, setup, teardown),
        cmocka_unit_test_setup_teardown(bundle_references_move_only_when_the_bundle_changes, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
