/*
 * test_engine.c — the C API: lifecycle, ownership, every error path, NULL arguments, reload,
 * regime modes, and what a policy sees of requests and data.
 */
#include "test_support.h"

#define TIME "\"2026-11-22T10:00:00+08:00\""
#define PLAIN_TIME "2026-11-22T10:00:00+08:00"

static void test_version_matches_header(void **state) {
    (void)state;
    assert_int_equal(custos_version_number(), CUSTOS_VERSION_NUMBER);
    assert_string_equal(custos_version(), CUSTOS_VERSION_STRING);
    assert_string_equal(custos_status_name(CUSTOS_E_INPUT), "input");
    assert_string_equal(custos_effect_name(CUSTOS_NOT_APPLICABLE), "not_applicable");
}

static void test_null_arguments_are_refused_not_crashed(void **state) {
    (void)state;
    custos_error err;
    assert_int_equal(custos_engine_open(NULL, NULL, &err), CUSTOS_E_ARGUMENT);
    assert_int_equal(custos_engine_reload(NULL, NULL, &err), CUSTOS_E_ARGUMENT);
    assert_int_equal(custos_decide(NULL, NULL, 0, NULL, NULL), CUSTOS_E_ARGUMENT);
    assert_int_equal(custos_request_new(NULL), CUSTOS_E_ARGUMENT);
    assert_int_equal(custos_decision_new(NULL), CUSTOS_E_ARGUMENT);
    assert_int_equal(custos_config_new(NULL), CUSTOS_E_ARGUMENT);
    assert_int_equal(custos_request_set_string(NULL, "subject.id", "x", NULL), CUSTOS_E_ARGUMENT);
    assert_int_equal(custos_request_parse(NULL, "", 0, NULL, NULL), CUSTOS_E_ARGUMENT);
    assert_int_equal(custos_request_json(NULL, NULL), CUSTOS_E_ARGUMENT);
    custos_reason r;
    assert_int_equal(custos_decision_reason(NULL, 0, &r), CUSTOS_E_ARGUMENT);
    assert_int_equal(custos_engine_generation(NULL), 0);
    /* the destructors accept NULL */
    custos_engine_close(NULL);
    custos_request_free(NULL);
    custos_decision_free(NULL);
    custos_config_free(NULL);
}

static custos_status open_status(const char *policies, const char *data, custos_error *err) {
    char path[1024];
    custos_config *cfg;
    assert_int_equal(custos_config_new(&cfg), CUSTOS_OK);
    if (policies) custos_config_add_policies(cfg, source_path(path, sizeof path, policies));
    if (data) custos_config_add_data(cfg, source_path(path, sizeof path, data));
    custos_engine *eng = NULL;
    custos_status st = custos_engine_open(cfg, &eng, err);
    custos_config_free(cfg);
    if (st == CUSTOS_OK)
        custos_engine_close(eng);
    else
        assert_null(eng);
    return st;
}

static void test_open_errors_name_what_is_wrong(void **state) {
    (void)state;
    custos_error err;
    assert_int_equal(open_status(NULL, NULL, &err), CUSTOS_E_ARGUMENT);
    assert_int_equal(open_status("tests/fixtures/no-such-folder", NULL, &err), CUSTOS_E_NOT_FOUND);
    assert_non_null(strstr(err.file, "no-such-folder"));
    assert_int_equal(open_status("tests/unit", NULL, &err), CUSTOS_E_POLICY);
    assert_non_null(strstr(err.message, "no regime here"));
    assert_int_equal(open_status("tests/fixtures/basic", "tests/fixtures/data/missing.yaml", &err),
                     CUSTOS_E_NOT_FOUND);
    assert_int_equal(open_status("tests/fixtures/basic", "tests/fixtures/data/badtype.yaml", &err),
                     CUSTOS_E_INPUT);
    assert_int_equal(err.line, 4);
    assert_int_equal(err.column, 22);
    assert_non_null(strstr(err.message, "contracts.C-2.retention_until"));
    assert_non_null(strstr(err.message, "expected a date"));
    /* a section declared by a regime (echo: subjects.*.clearance is a level) */
    assert_int_equal(open_status("tests/fixtures/echo", "tests/fixtures/data/badlevel.yaml", &err),
                     CUSTOS_E_INPUT);
    assert_int_equal(err.line, 5);
    assert_int_equal(err.column, 16);
    assert_non_null(strstr(err.message, "subjects.alice.clearance: expected one of: top_secret"));
    /* the same contract id in two documents */
    char a[1024], b[1024];
    custos_config *cfg;
    assert_int_equal(custos_config_new(&cfg), CUSTOS_OK);
    custos_config_add_policies(cfg, source_path(a, sizeof a, "tests/fixtures/basic"));
    custos_config_add_data(cfg, source_path(a, sizeof a, "tests/fixtures/data/basic.yaml"));
    custos_config_add_data(cfg, source_path(b, sizeof b, "tests/fixtures/data/duplicate.yaml"));
    custos_engine *eng;
    assert_int_equal(custos_engine_open(cfg, &eng, &err), CUSTOS_E_INPUT);
    assert_non_null(strstr(err.message, "contracts.C-1 is also defined in"));
    /* a mode for a regime that is not loaded is a mistake, not a silent no-op */
    custos_config_set_regime_mode(cfg, "no-such-regime", CUSTOS_REGIME_SKIPPED);
    assert_int_equal(custos_engine_open(cfg, &eng, &err), CUSTOS_E_ARGUMENT);
    assert_non_null(strstr(err.message, "'no-such-regime', which is not loaded"));
    custos_config_free(cfg);
}

static void test_decide_requires_a_time(void **state) {
    (void)state;
    custos_engine *eng = open_engine("tests/fixtures/basic", NULL);
    custos_request *req =
        parse_request("{subject: {id: alice}, action: use, resource: {entrusted: true}}");
    custos_decision *d;
    assert_int_equal(custos_decision_new(&d), CUSTOS_OK);
    custos_error err;
    assert_int_equal(custos_decide(eng, req, 0, d, &err), CUSTOS_E_INPUT);
    assert_non_null(strstr(err.message, "context.time is required"));
    assert_int_equal(custos_decision_reason_count(d), 0);
    custos_decision_free(d);
    custos_request_free(req);
    custos_engine_close(eng);
}

/* What deciding req on eng returns (a mistyped field is found here: the schema is the
 * policy set's, and a request knows none). */
static custos_status decide_status(custos_engine *eng, custos_request *req, custos_error *err) {
    custos_decision *d;
    assert_int_equal(custos_decision_new(&d), CUSTOS_OK);
    memset(err, 0, sizeof *err);
    custos_status st = custos_decide(eng, req, 0, d, err);
    custos_decision_free(d);
    return st;
}

static void test_request_type_errors_have_line_and_column(void **state) {
    (void)state;
    custos_engine *eng = open_engine("tests/fixtures/basic", NULL);
    custos_request *req;
    assert_int_equal(custos_request_new(&req), CUSTOS_OK);
    custos_error err;
    const char *yaml = "context: {time: " TIME "}\nsubject: {id: alice}\nresource:\n  id: r1\n"
                       "  entrusted: \"yes\"\n";
    assert_int_equal(custos_request_parse(req, yaml, strlen(yaml), "req.yaml", &err), CUSTOS_OK);
    assert_int_equal(decide_status(eng, req, &err), CUSTOS_E_INPUT);
    assert_string_equal(err.file, "req.yaml");
    assert_int_equal(err.line, 5);
    assert_int_equal(err.column, 14);
    assert_non_null(strstr(err.message, "resource.entrusted"));
    assert_non_null(strstr(err.message, "a boolean"));

    /* the same in JSON, where positions are found by reading the text again */
    const char *json = "{\"context\": {\"time\": " TIME "}, \"resource\": {\"entrusted\": 1}}";
    assert_int_equal(custos_request_parse(req, json, strlen(json), "req.json", &err), CUSTOS_OK);
    assert_int_equal(decide_status(eng, req, &err), CUSTOS_E_INPUT);
    assert_string_equal(err.file, "req.json");
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 78);
    assert_non_null(strstr(err.message, "resource.entrusted: expected a boolean (true or false), "
                                        "got an integer"));

    /* context.time is the engine's own: checked when parsed */
    json = "{\"context\": {\"time\": \"2026-02-30T10:00:00+08:00\"}}";
    assert_int_equal(custos_request_parse(req, json, strlen(json), "req.json", &err),
                     CUSTOS_E_INPUT);
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 22);
    assert_non_null(strstr(err.message, "context.time"));

    const char *bad = "subject: {id: alice\n";
    assert_int_equal(custos_request_parse(req, bad, strlen(bad), "bad.yaml", &err), CUSTOS_E_PARSE);
    assert_true(err.line >= 1);

    /* an enum of a named type (policies/schema.lua's level) */
    const char *level = "context: {time: " TIME "}\nsubject: {clearance: ultra}\n";
    assert_int_equal(custos_request_parse(req, level, strlen(level), "l.yaml", &err), CUSTOS_OK);
    assert_int_equal(decide_status(eng, req, &err), CUSTOS_E_INPUT);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 22);
    assert_non_null(strstr(err.message,
                           "subject.clearance: the string \"ultra\" is not allowed; "
                           "expected one of: top_secret, secret, confidential, public"));

    const char *epoch = "context: {epoch: 5}\n";
    assert_int_equal(custos_request_parse(req, epoch, strlen(epoch), "e.yaml", &err),
                     CUSTOS_E_INPUT);
    /* a failed parse leaves the request empty */
    const char *out;
    assert_int_equal(custos_request_json(req, &out), CUSTOS_OK);
    assert_string_equal(out, "{}");
    custos_request_free(req);
    custos_engine_close(eng);
}

/* custos_engine_check_request: the same check as deciding, without a decision or a time. */
static void test_check_request_without_deciding(void **state) {
    (void)state;
    custos_engine *eng = open_engine("tests/fixtures/basic", NULL);
    custos_request *req;
    assert_int_equal(custos_request_new(&req), CUSTOS_OK);
    custos_error err;
    /* no context.time: not a decision's request yet, but its fields can be checked */
    const char *good = "subject: {id: alice}\nresource: {id: r1, entrusted: true}\n";
    assert_int_equal(custos_request_parse(req, good, strlen(good), "good.yaml", &err), CUSTOS_OK);
    assert_int_equal(custos_engine_check_request(eng, req, &err), CUSTOS_OK);
    const char *bad = "subject: {id: alice}\nresource: {id: r1, entrusted: \"yes\"}\n";
    assert_int_equal(custos_request_parse(req, bad, strlen(bad), "bad.yaml", &err), CUSTOS_OK);
    assert_int_equal(custos_engine_check_request(eng, req, &err), CUSTOS_E_INPUT);
    assert_string_equal(err.file, "bad.yaml");
    assert_int_equal(err.line, 2);
    assert_non_null(strstr(err.message, "resource.entrusted"));
    /* set field by field: the error names the field, with no position */
    custos_request_clear(req);
    assert_int_equal(custos_request_set_string(req, "resource.entrusted", "yes", &err), CUSTOS_OK);
    assert_int_equal(custos_engine_check_request(eng, req, &err), CUSTOS_E_INPUT);
    assert_int_equal(err.line, 0);
    assert_non_null(strstr(err.message, "resource.entrusted"));
    assert_int_equal(custos_engine_check_request(NULL, req, &err), CUSTOS_E_ARGUMENT);
    assert_int_equal(custos_engine_check_request(eng, NULL, &err), CUSTOS_E_ARGUMENT);
    custos_request_free(req);
    custos_engine_close(eng);
}

/* The snapshot lists the fields the policy set declares, with their types and where. */
static void test_policies_list_the_declared_fields(void **state) {
    (void)state;
    custos_engine *eng = open_engine("policies", NULL);
    custos_policies *p;
    assert_int_equal(custos_engine_policies(eng, &p), CUSTOS_OK);
    assert_true(custos_policies_field_count(p) > 20);
    custos_field_info f;
    assert_int_equal(custos_policies_find_field(p, "subject.clearance", &f), CUSTOS_OK);
    assert_int_equal(f.type, CUSTOS_FIELD_ENUM);
    assert_string_equal(f.type_name, "level");
    assert_int_equal(f.value_count, 4);
    assert_string_equal(f.values[0], "top_secret");
    assert_non_null(strstr(f.declared_in, "schema.lua"));
    assert_true(f.line > 0);
    assert_int_equal(custos_policies_find_field(p, "context.time", &f), CUSTOS_OK);
    assert_int_equal(f.type, CUSTOS_FIELD_TIME);
    assert_int_equal(custos_policies_find_field(p, "resource.entrustd", &f), CUSTOS_E_NOT_FOUND);
    /* sorted by path, every one readable */
    const char *previous = "";
    for (size_t i = 0; i < custos_policies_field_count(p); i++) {
        assert_int_equal(custos_policies_field(p, i, &f), CUSTOS_OK);
        assert_true(strcmp(previous, f.path) < 0);
        previous = f.path;
    }
    assert_int_equal(custos_policies_field(p, custos_policies_field_count(p), &f),
                     CUSTOS_E_ARGUMENT);
    custos_policies_free(p);
    custos_engine_close(eng);
}

static void test_setters_check_types(void **state) {
    (void)state;
    custos_engine *eng = open_engine("tests/fixtures/basic", NULL);
    custos_request *req;
    assert_int_equal(custos_request_new(&req), CUSTOS_OK);
    custos_error err;
    /* the engine's own fields are checked when set */
    assert_int_equal(custos_request_set_string(req, "context.time", "tomorrow", &err),
                     CUSTOS_E_INPUT);
    assert_int_equal(custos_request_set_bool(req, "context.time", true, &err), CUSTOS_E_INPUT);
    assert_int_equal(custos_request_set_string(req, "context.epoch", "1", &err), CUSTOS_E_INPUT);
    assert_int_equal(custos_request_set_string(req, "a..b", "x", &err), CUSTOS_E_ARGUMENT);
    assert_int_equal(
        custos_request_set_string(req, "context.time", "2026-11-22T10:00:00+08:00", &err),
        CUSTOS_OK);
    /* the policy set's when deciding: a wrong type is CUSTOS_E_INPUT naming the field */
    assert_int_equal(custos_request_set_string(req, "resource.entrusted", "yes", &err), CUSTOS_OK);
    assert_int_equal(decide_status(eng, req, &err), CUSTOS_E_INPUT);
    assert_non_null(strstr(err.message, "resource.entrusted: expected a boolean (true or false), "
                                        "got a string"));
    assert_int_equal(err.line, 0);
    assert_int_equal(custos_request_set_bool(req, "resource.entrusted", true, &err), CUSTOS_OK);
    assert_int_equal(decide_status(eng, req, &err), CUSTOS_OK);
    assert_int_equal(custos_request_set_bool(req, "subject.id", true, &err), CUSTOS_OK);
    assert_int_equal(decide_status(eng, req, &err), CUSTOS_E_INPUT);
    assert_non_null(strstr(err.message, "subject.id: expected a string, got a boolean"));
    assert_int_equal(custos_request_append_string(req, "subject.id", "x", &err), CUSTOS_OK);
    assert_int_equal(decide_status(eng, req, &err), CUSTOS_E_INPUT);
    assert_non_null(strstr(err.message, "subject.id: expected a string, got a list"));
    assert_int_equal(custos_request_set_string(req, "subject.clearance", "ultra", &err), CUSTOS_OK);
    assert_int_equal(custos_request_set_string(req, "subject.id", "x.y", &err), CUSTOS_OK);
    assert_int_equal(decide_status(eng, req, &err), CUSTOS_E_INPUT);
    assert_non_null(strstr(err.message, "subject.clearance: \"ultra\" is not allowed; expected "
                                        "one of: top_secret"));
    assert_int_equal(custos_request_unset(req, "subject.clearance"), CUSTOS_OK);
    assert_int_equal(custos_request_set_string(req, "subject.id.first", "x", &err), CUSTOS_OK);
    assert_int_equal(decide_status(eng, req, &err), CUSTOS_E_INPUT);
    assert_non_null(strstr(err.message, "subject.id.first: subject.id is not a mapping"));
    assert_int_equal(custos_request_unset(req, "subject.id.first"), CUSTOS_OK);
    assert_int_equal(decide_status(eng, req, &err), CUSTOS_OK);

    assert_int_equal(custos_request_set_string(req, "subject.id", "alice", &err), CUSTOS_OK);
    assert_int_equal(custos_request_set_integer(req, "resource.size", 42, &err), CUSTOS_OK);
    assert_int_equal(custos_request_append_string(req, "context.approvals", "bob", &err),
                     CUSTOS_OK);
    const char *json;
    assert_int_equal(custos_request_json(req, &json), CUSTOS_OK);
    assert_non_null(strstr(json, "\"id\": \"alice\""));
    assert_non_null(strstr(json, "\"size\": 42"));
    assert_non_null(strstr(json, "\"approvals\": [\n      \"bob\"\n    ]"));
    /* one buffer, two paths: the lookup cache must not hand back the first field */
    char path[32];
    snprintf(path, sizeof path, "resource.owner");
    assert_int_equal(custos_request_set_string(req, path, "globex", &err), CUSTOS_OK);
    snprintf(path, sizeof path, "resource.entrusted");
    assert_int_equal(custos_request_set_bool(req, path, true, &err), CUSTOS_OK);
    assert_int_equal(custos_request_json(req, &json), CUSTOS_OK);
    assert_non_null(strstr(json, "\"owner\": \"globex\""));
    assert_non_null(strstr(json, "\"entrusted\": true"));
    assert_int_equal(decide_status(eng, req, &err), CUSTOS_OK);
    assert_int_equal(custos_request_unset(req, "subject"), CUSTOS_OK);
    assert_int_equal(custos_request_json(req, &json), CUSTOS_OK);
    assert_null(strstr(json, "alice"));
    custos_request_free(req);
    custos_engine_close(eng);
}

/* Decides with the echo regime and returns the English message it rendered. */
static void echo(custos_engine *eng, custos_request *req, custos_decision *d, char *out,
                 size_t size) {
    custos_error err;
    assert_int_equal(custos_decide(eng, req, 0, d, &err), CUSTOS_OK);
    assert_int_equal(custos_decision_effect(d), CUSTOS_PERMIT);
    custos_reason r;
    assert_int_equal(custos_decision_reason(d, 0, &r), CUSTOS_OK);
    snprintf(out, size, "%s", r.message_en);
    /* the echo article implements a national one, and says so in every reason */
    assert_int_equal(r.implements_count, 1);
    assert_string_equal(r.implements[0].regime, "national");
    assert_string_equal(r.implements[0].article, "4");
    const char *json;
    assert_int_equal(custos_decision_json(d, &json), CUSTOS_OK);
    assert_non_null(strstr(json, "\"implements\":[{\"regime\":\"national\",\"article\":\"4\"}]"));
}

static void test_policies_see_fields_custom_fields_and_data(void **state) {
    (void)state;
    custos_engine *eng = open_engine("tests/fixtures/echo", "tests/fixtures/data/basic.yaml");
    custos_decision *d;
    assert_int_equal(custos_decision_new(&d), CUSTOS_OK);
    char seen[256];
    custos_request *req =
        parse_request("subject: {id: alice}\nresource: {contract: C-1, project: apollo}\n"
                      "extra: {tag: t1}\ncontext: {time: " TIME
                      ", approvals: [bob, carol], consent: {written: true}}\n");
    echo(eng, req, d, seen, sizeof seen);
    assert_string_equal(seen, "alice/apollo/t1/bob+carol/yes/globex");

    /* The same evaluator, the next request: nothing of the first may linger. */
    custos_request_clear(req);
    custos_error err;
    assert_int_equal(
        custos_request_set_string(req, "context.time", "2026-11-22T10:00:00+08:00", &err),
        CUSTOS_OK);
    echo(eng, req, d, seen, sizeof seen);
    assert_string_equal(seen, "-/-/-/-/no/-");
    custos_request_free(req);
    custos_decision_free(d);
    custos_engine_close(eng);
}

static void test_reload_swaps_and_a_failed_reload_keeps_the_old(void **state) {
    (void)state;
    char path[1024];
    custos_engine *eng = open_engine("tests/fixtures/reload/v1", NULL);
    assert_int_equal(custos_engine_generation(eng), 1);
    custos_request *req = parse_request("{action: use, context: {time: " TIME "}}");
    custos_decision *d;
    assert_int_equal(custos_decision_new(&d), CUSTOS_OK);
    custos_error err;
    assert_int_equal(custos_decide(eng, req, 0, d, &err), CUSTOS_OK);
    assert_int_equal(custos_decision_effect(d), CUSTOS_PERMIT);

    custos_config *v2;
    assert_int_equal(custos_config_new(&v2), CUSTOS_OK);
    custos_config_add_policies(v2, source_path(path, sizeof path, "tests/fixtures/reload/v2"));
    assert_int_equal(custos_engine_reload(eng, v2, &err), CUSTOS_OK);
    custos_config_free(v2);
    assert_int_equal(custos_engine_generation(eng), 2);
    assert_int_equal(custos_decide(eng, req, 0, d, &err), CUSTOS_OK);
    assert_int_equal(custos_decision_effect(d), CUSTOS_DENY);

    custos_config *broken;
    assert_int_equal(custos_config_new(&broken), CUSTOS_OK);
    custos_config_add_policies(broken,
                               source_path(path, sizeof path, "tests/fixtures/broken/typo"));
    assert_int_equal(custos_engine_reload(eng, broken, &err), CUSTOS_E_POLICY);
    custos_config_free(broken);
    assert_int_equal(custos_engine_generation(eng), 2);
    assert_int_equal(custos_decide(eng, req, 0, d, &err), CUSTOS_OK);
    assert_int_equal(custos_decision_effect(d), CUSTOS_DENY); /* still v2 */

    /* Reload with no config re-reads the current one. */
    assert_int_equal(custos_engine_reload(eng, NULL, &err), CUSTOS_OK);
    assert_int_equal(custos_engine_generation(eng), 3);
    custos_request_free(req);
    custos_engine_close(eng);
    /* A decision outlives its engine: its strings belong to the bundle it holds. */
    custos_reason r;
    assert_int_equal(custos_decision_reason(d, 0, &r), CUSTOS_OK);
    assert_string_equal(r.code, "v2");
    assert_string_equal(r.message_en, "Version two denies.");
    /* the title is regime.lua's (a module declares none) */
    assert_string_equal(r.title_zh, "使用");
    assert_string_equal(r.title_en, "Use");
    custos_decision_free(d);
}

static void test_regime_modes(void **state) {
    (void)state;
    char path[1024];
    /* The demo regime is in force 2020-01-01 .. 2030-12-31 (China time). */
    custos_request *late =
        parse_request("{subject: {id: alice}, action: use, resource: {entrusted: true},"
                      " context: {time: \"2031-01-01T00:00:00+08:00\"}}");
    custos_request *last =
        parse_request("{subject: {id: alice}, action: use, resource: {entrusted: true},"
                      " context: {time: \"2030-12-31T15:59:59Z\"}}");
    custos_decision *d;
    assert_int_equal(custos_decision_new(&d), CUSTOS_OK);
    custos_error err;
    custos_regime_status rs;
    const custos_regime_mode modes[] = {CUSTOS_REGIME_ADOPTED, CUSTOS_REGIME_IN_FORCE,
                                        CUSTOS_REGIME_SKIPPED};
    const custos_effect late_effect[] = {CUSTOS_PERMIT, CUSTOS_NOT_APPLICABLE,
                                         CUSTOS_NOT_APPLICABLE};
    const size_t regimes_listed[] = {1, 1, 0};
    for (size_t m = 0; m < 3; m++) {
        custos_config *cfg;
        assert_int_equal(custos_config_new(&cfg), CUSTOS_OK);
        custos_config_add_policies(cfg, source_path(path, sizeof path, "tests/fixtures/basic"));
        assert_int_equal(custos_config_set_regime_mode(cfg, "demo", modes[m]), CUSTOS_OK);
        custos_engine *eng;
        assert_int_equal(custos_engine_open(cfg, &eng, &err), CUSTOS_OK);
        custos_config_free(cfg);
        assert_int_equal(custos_decide(eng, late, 0, d, &err), CUSTOS_OK);
        assert_int_equal(custos_decision_effect(d), late_effect[m]);
        assert_int_equal(custos_decision_regime_count(d), regimes_listed[m]);
        if (regimes_listed[m]) {
            assert_int_equal(custos_decision_regime(d, 0, &rs), CUSTOS_OK);
            assert_string_equal(rs.id, "demo");
            assert_false(rs.in_force);
            assert_int_equal(rs.adopted, modes[m] == CUSTOS_REGIME_ADOPTED);
        }
        /* the last second of the last day, in UTC: still in force */
        assert_int_equal(custos_decide(eng, last, 0, d, &err), CUSTOS_OK);
        if (modes[m] != CUSTOS_REGIME_SKIPPED) {
            assert_int_equal(custos_decision_effect(d), CUSTOS_PERMIT);
            assert_int_equal(custos_decision_regime(d, 0, &rs), CUSTOS_OK);
            assert_true(rs.in_force);
        }
        custos_engine_close(eng);
    }
    custos_decision_free(d);
    custos_request_free(late);
    custos_request_free(last);
}

/* A regime whose source gives no dates (effective = "unknown"): whether it is in force is
 * unknown, which the decision says (in_force_known false, "in_force": null); adopted, it binds;
 * under the in-force mode it does not (no force is claimed that cannot be established). */
static void test_unknown_validity(void **state) {
    (void)state;
    char path[1024];
    custos_request *req =
        parse_request("{subject: {id: alice}, action: use, resource: {entrusted: true},"
                      " context: {time: " TIME "}}");
    custos_decision *d;
    assert_int_equal(custos_decision_new(&d), CUSTOS_OK);
    custos_error err;
    const custos_regime_mode modes[] = {CUSTOS_REGIME_ADOPTED, CUSTOS_REGIME_IN_FORCE};
    const custos_effect effect[] = {CUSTOS_PERMIT, CUSTOS_NOT_APPLICABLE};
    for (size_t m = 0; m < 2; m++) {
        custos_config *cfg;
        assert_int_equal(custos_config_new(&cfg), CUSTOS_OK);
        custos_config_add_policies(cfg, source_path(path, sizeof path, "tests/fixtures/undated"));
        assert_int_equal(custos_config_set_regime_mode(cfg, "demo", modes[m]), CUSTOS_OK);
        custos_engine *eng;
        assert_int_equal(custos_engine_open(cfg, &eng, &err), CUSTOS_OK);
        custos_config_free(cfg);
        custos_policies *p;
        assert_int_equal(custos_engine_policies(eng, &p), CUSTOS_OK);
        custos_regime_info ri;
        assert_int_equal(custos_policies_regime(p, 0, &ri), CUSTOS_OK);
        assert_string_equal(ri.issued, "unknown"); /* as written */
        assert_string_equal(ri.effective, "unknown");
        assert_null(ri.expires);
        custos_policies_free(p);
        assert_int_equal(custos_decide(eng, req, 0, d, &err), CUSTOS_OK);
        assert_int_equal(custos_decision_effect(d), effect[m]);
        assert_int_equal(custos_decision_regime_count(d), 1);
        custos_regime_status rs;
        assert_int_equal(custos_decision_regime(d, 0, &rs), CUSTOS_OK);
        assert_false(rs.in_force_known);
        assert_false(rs.in_force);
        assert_int_equal(rs.adopted, modes[m] == CUSTOS_REGIME_ADOPTED);
        const char *json;
        assert_int_equal(custos_decision_json(d, &json), CUSTOS_OK);
        assert_non_null(strstr(json, "\"regimes\":[{\"id\":\"demo\",\"in_force\":null,"));
        custos_engine_close(eng);
    }
    custos_decision_free(d);
    custos_request_free(req);
}

/* A regime's `applies` (tests/fixtures/applies): once per decision, before its articles. */
static void test_regime_applies(void **state) {
    (void)state;
    custos_engine *eng = open_engine("tests/fixtures/applies", NULL);
    custos_decision *d;
    assert_int_equal(custos_decision_new(&d), CUSTOS_OK);
    custos_error err;
    const char *regions[] = {"out", "in", "boom", "wrong"};
    const custos_effect effects[] = {CUSTOS_NOT_APPLICABLE, CUSTOS_PERMIT, CUSTOS_DENY,
                                     CUSTOS_DENY};
    for (size_t i = 0; i < 4; i++) {
        char yaml[256];
        snprintf(yaml, sizeof yaml,
                 "{action: use, resource: {region: %s}, context: {time: " TIME "}}", regions[i]);
        custos_request *req = parse_request(yaml);
        assert_int_equal(custos_decide(eng, req, CUSTOS_DECIDE_EXPLAIN, d, &err), CUSTOS_OK);
        custos_request_free(req);
        assert_int_equal(custos_decision_effect(d), effects[i]);
        custos_regime_status rs;
        assert_int_equal(custos_decision_regime(d, 0, &rs), CUSTOS_OK);
        assert_int_equal(rs.applies, i != 0);
        custos_trace t;
        assert_int_equal(custos_decision_trace(d, 0, &t), CUSTOS_OK);
        const char *json;
        assert_int_equal(custos_decision_json(d, &json), CUSTOS_OK);
        if (i == 0) { /* skipped: the trace names the code and message; art. 1 never ran */
            assert_int_equal(custos_decision_trace_count(d), 1);
            assert_string_equal(t.article, "applies");
            assert_string_equal(t.code, "outside");
            assert_string_equal(t.message_en, "The region \"out\" is outside these rules.");
            assert_non_null(strstr(json, "\"adopted\":true,\"applies\":false}"));
        } else if (i == 1) { /* it applies: nothing recorded for it */
            assert_int_equal(custos_decision_trace_count(d), 1);
            assert_string_equal(t.article, "1");
            assert_null(strstr(json, "\"applies\""));
        } else { /* an error, or a verdict that is not not_applicable: fails closed */
            assert_int_equal(custos_decision_error_count(d), 1);
            custos_policy_error e;
            assert_int_equal(custos_decision_error(d, 0, &e), CUSTOS_OK);
            assert_string_equal(e.article, "applies");
            assert_non_null(strstr(e.message, i == 2 ? "regime.lua:23: no region register"
                                                     : "regime.lua:20: the regime's applies"));
        }
    }
    custos_decision_free(d);
    custos_engine_close(eng);
}

static void test_obligations_and_explain(void **state) {
    (void)state;
    custos_engine *eng = open_engine("tests/fixtures/basic", NULL);
    custos_request *req =
        parse_request("{subject: {id: alice}, action: use, resource: {entrusted: true},"
                      " context: {time: " TIME "}}");
    custos_decision *d;
    assert_int_equal(custos_decision_new(&d), CUSTOS_OK);
    custos_error err;
    assert_int_equal(custos_decide(eng, req, CUSTOS_DECIDE_EXPLAIN, d, &err), CUSTOS_OK);
    assert_int_equal(custos_decision_obligation_count(d), 2);
    custos_obligation o;
    assert_int_equal(custos_decision_obligation(d, 1, &o), CUSTOS_OK);
    assert_string_equal(o.id, "delete-by");
    assert_int_equal(o.param_count, 1);
    assert_string_equal(o.param_keys[0], "date");
    assert_string_equal(o.param_values[0], "2027-06-30");
    assert_int_equal(custos_decision_trace_count(d), 1);
    custos_trace t;
    assert_int_equal(custos_decision_trace(d, 0, &t), CUSTOS_OK);
    assert_true(t.applied);
    assert_int_equal(custos_decision_obligation(d, 2, &o), CUSTOS_E_ARGUMENT);
    /* without explain, no trace */
    assert_int_equal(custos_decide(eng, req, 0, d, &err), CUSTOS_OK);
    assert_int_equal(custos_decision_trace_count(d), 0);
    /* a deny carries no obligations of the permit it overrode: here a deny stands alone */
    custos_request_free(req);
    req = parse_request(
        "{subject: {id: alice}, action: sell, resource: {entrusted: true}, context: {time: " TIME
        "}}");
    assert_int_equal(custos_decide(eng, req, 0, d, &err), CUSTOS_OK);
    assert_int_equal(custos_decision_effect(d), CUSTOS_DENY);
    assert_int_equal(custos_decision_obligation_count(d), 0);
    custos_request_free(req);
    custos_decision_free(d);
    custos_engine_close(eng);
}

static void test_policies_snapshot_lists_regimes_and_articles(void **state) {
    (void)state;
    custos_engine *eng = open_engine("tests/fixtures/basic", NULL);
    custos_policies *p;
    assert_int_equal(custos_engine_policies(eng, &p), CUSTOS_OK);
    assert_int_equal(custos_policies_regime_count(p), 1);
    custos_regime_info r;
    assert_int_equal(custos_policies_regime(p, 0, &r), CUSTOS_OK);
    assert_string_equal(r.id, "demo");
    assert_string_equal(r.expires, "2030-12-31");
    assert_int_equal(r.article_count, 2);
    custos_article_info a;
    assert_int_equal(custos_policies_article(p, 0, 0, &a), CUSTOS_OK);
    assert_true(a.encoded);
    assert_string_equal(a.text_zh, "第一条 可以使用。");
    assert_int_equal(a.message_count, 3);
    assert_int_equal(custos_policies_find(p, "demo", "2", &a), CUSTOS_OK);
    assert_false(a.encoded);
    assert_string_equal(a.reason, "decides nothing");
    assert_null(a.text_zh);
    assert_int_equal(custos_policies_find(p, "demo", "9", &a), CUSTOS_E_NOT_FOUND);
    assert_int_equal(custos_policies_article(p, 0, 2, &a), CUSTOS_E_ARGUMENT);
    /* a reload does not pull the snapshot's strings away */
    custos_error err;
    assert_int_equal(custos_engine_reload(eng, NULL, &err), CUSTOS_OK);
    custos_engine_close(eng);
    assert_int_equal(custos_policies_find(p, "demo", "1", &a), CUSTOS_OK);
    assert_string_equal(a.citation, "TEST-1 第一条");
    custos_policies_free(p);
    custos_policies_free(NULL);
}

static void test_coverage_records_the_lines_that_ran(void **state) {
    (void)state;
    custos_engine *eng = open_engine("tests/fixtures/basic", NULL);
    custos_policies *p;
    assert_int_equal(custos_engine_policies(eng, &p), CUSTOS_OK);
    custos_article_info a;
    assert_int_equal(custos_policies_find(p, "demo", "1", &a), CUSTOS_OK);
    /* art1.lua's rule spans lines 11-17: its statements are on 12, 13, 14 and 16; line 17, its
     * closing `end`, holds only an implicit return the rule never reaches */
    const unsigned executable[] = {12, 13, 14, 16};
    assert_int_equal(a.line_count, 4);
    for (size_t i = 0; i < 4; i++) assert_int_equal(a.lines[i], executable[i]);
    custos_request *req =
        parse_request("{subject: {id: alice}, action: use, resource: {entrusted: true},"
                      " context: {time: \"2026-11-22T10:00:00+08:00\"}}");
    custos_decision *d;
    assert_int_equal(custos_decision_new(&d), CUSTOS_OK);
    custos_error err;
    assert_int_equal(custos_decide(eng, req, CUSTOS_DECIDE_COVERAGE, d, &err), CUSTOS_OK);
    assert_int_equal(custos_decision_line_count(d), 3);
    unsigned seen = 0;
    for (size_t i = 0; i < 3; i++) {
        custos_line_hit hit;
        assert_int_equal(custos_decision_line(d, i, &hit), CUSTOS_OK);
        assert_string_equal(hit.article, "1");
        assert_non_null(strstr(hit.module, "art1.lua"));
        seen |= 1u << (hit.line - 10);
    }
    assert_int_equal(seen, (1u << 2) | (1u << 3) | (1u << 4)); /* lines 12, 13, 14 */
    /* without the flag, nothing is recorded */
    assert_int_equal(custos_decide(eng, req, 0, d, &err), CUSTOS_OK);
    assert_int_equal(custos_decision_line_count(d), 0);
    custos_decision_free(d);
    custos_request_free(req);
    custos_policies_free(p);
    custos_engine_close(eng);
}

static void test_eval_runs_lua_in_the_sandbox(void **state) {
    (void)state;
    custos_engine *eng = open_engine("tests/fixtures/echo", "tests/fixtures/data/basic.yaml");
    custos_error err;
    char *out = NULL;
    assert_int_equal(custos_engine_eval(eng, NULL, "data.contracts['C-1'].employer", &out, &err),
                     CUSTOS_OK);
    assert_string_equal(out, "\"globex\"");
    custos_free(out);
    assert_int_equal(
        custos_engine_eval(
            eng, NULL, "1 + 1, custos.has(data.contracts['C-1'].purposes, 'billing')", &out, &err),
        CUSTOS_OK);
    assert_string_equal(out, "2\ttrue");
    custos_free(out);
    custos_request *req =
        parse_request("{subject: {id: alice}, context: {time: \"2026-11-22T10:00:00+08:00\"}}");
    assert_int_equal(custos_engine_eval(eng, req, "req.subject", &out, &err), CUSTOS_OK);
    assert_string_equal(out, "{id = \"alice\"}");
    custos_free(out);
    /* statements work too; errors and limits come back as errors, and the sandbox holds */
    assert_int_equal(custos_engine_eval(eng, NULL, "local x = 2 return x * 21", &out, &err),
                     CUSTOS_OK);
    assert_string_equal(out, "42");
    custos_free(out);
    assert_int_equal(custos_engine_eval(eng, NULL, "io.open('x')", &out, &err), CUSTOS_E_POLICY);
    assert_non_null(strstr(err.message, "undefined global 'io'"));
    assert_null(out);
    assert_int_equal(custos_engine_eval(eng, NULL, "while true do end", &out, &err),
                     CUSTOS_E_POLICY);
    assert_non_null(strstr(err.message, "instruction limit"));
    assert_int_equal(custos_engine_eval(eng, NULL, "data.contracts = 1", &out, &err),
                     CUSTOS_E_POLICY);
    assert_int_equal(custos_engine_eval(eng, NULL, "(((", &out, &err), CUSTOS_E_INPUT);
    custos_request_free(req);
    custos_engine_close(eng);
}

static custos_engine *open_with_memory(const char *policies, size_t memory) {
    char path[1024];
    custos_config *cfg;
    assert_int_equal(custos_config_new(&cfg), CUSTOS_OK);
    assert_int_equal(custos_config_add_policies(cfg, source_path(path, sizeof path, policies)),
                     CUSTOS_OK);
    assert_int_equal(custos_config_set_limits(cfg, memory, 0), CUSTOS_OK);
    custos_engine *eng = NULL;
    custos_error err;
    if (custos_engine_open(cfg, &eng, &err) != CUSTOS_OK)
        fail_msg("engine_open: %s:%u: %s", err.file, err.line, err.message);
    custos_config_free(cfg);
    return eng;
}

/* An unknown field larger than the decision's memory, then one nested 60 levels deep (set
 * field by field): each decides, neither writes outside the Lua stack (the filler used to
 * recurse without lua_checkstack: valgrind and ASan saw the writes). */
static void test_huge_then_deep_unknown_fields_stay_inside_the_stack(void **state) {
    (void)state;
    custos_engine *eng = open_with_memory("tests/fixtures/echo", 1u << 19);
    custos_request *req;
    custos_decision *d;
    custos_error err;
    assert_int_equal(custos_request_new(&req), CUSTOS_OK);
    assert_int_equal(custos_decision_new(&d), CUSTOS_OK);
    /* a string of 900 KiB: above the cap, under the 1 MiB limit on a request */
    size_t size = (1u << 20);
    char *text = malloc(size);
    assert_non_null(text);
    size_t used =
        (size_t)snprintf(text, size, "{\"context\": {\"time\": \"%s\"}, \"big\": \"", PLAIN_TIME);
    memset(text + used, 'x', 900u << 10);
    used += 900u << 10;
    used += (size_t)snprintf(text + used, size - used, "\"}");
    assert_int_equal(custos_request_parse(req, text, used, "big", &err), CUSTOS_OK);
    for (int round = 0; round < 3; round++) {
        assert_int_equal(custos_decide(eng, req, 0, d, &err), CUSTOS_OK);
        assert_int_equal(custos_decision_effect(d), CUSTOS_DENY); /* the limit's error */
    }
    /* then 60 levels of nesting, in the same evaluator */
    used = (size_t)snprintf(text, size, "{\"context\": {\"time\": \"%s\"}, \"deep\": ", PLAIN_TIME);
    for (int i = 0; i < 60; i++) used += (size_t)snprintf(text + used, size - used, "{\"a\": ");
    used += (size_t)snprintf(text + used, size - used, "1");
    for (int i = 0; i < 60; i++) used += (size_t)snprintf(text + used, size - used, "}");
    used += (size_t)snprintf(text + used, size - used, "}");
    assert_int_equal(custos_request_parse(req, text, used, "deep", &err), CUSTOS_OK);
    for (int round = 0; round < 3; round++) {
        assert_int_equal(custos_decide(eng, req, 0, d, &err), CUSTOS_OK);
        assert_int_equal(custos_decision_effect(d), CUSTOS_PERMIT);
    }
    /* and 60 levels set field by field */
    custos_request_clear(req);
    assert_int_equal(custos_request_set_string(req, "context.time", PLAIN_TIME, &err), CUSTOS_OK);
    char deep[200] = "deep";
    for (int i = 0; i < 60; i++) strcat(deep, ".a");
    assert_int_equal(custos_request_set_string(req, deep, "x", &err), CUSTOS_OK);
    for (int round = 0; round < 3; round++) {
        assert_int_equal(custos_decide(eng, req, 0, d, &err), CUSTOS_OK);
        assert_int_equal(custos_decision_effect(d), CUSTOS_PERMIT);
    }
    free(text);
    custos_decision_free(d);
    custos_request_free(req);
    custos_engine_close(eng);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_huge_then_deep_unknown_fields_stay_inside_the_stack),
        cmocka_unit_test(test_version_matches_header),
        cmocka_unit_test(test_null_arguments_are_refused_not_crashed),
        cmocka_unit_test(test_open_errors_name_what_is_wrong),
        cmocka_unit_test(test_decide_requires_a_time),
        cmocka_unit_test(test_request_type_errors_have_line_and_column),
        cmocka_unit_test(test_setters_check_types),
        cmocka_unit_test(test_check_request_without_deciding),
        cmocka_unit_test(test_policies_list_the_declared_fields),
        cmocka_unit_test(test_policies_see_fields_custom_fields_and_data),
        cmocka_unit_test(test_reload_swaps_and_a_failed_reload_keeps_the_old),
        cmocka_unit_test(test_regime_modes),
        cmocka_unit_test(test_unknown_validity),
        cmocka_unit_test(test_regime_applies),
        cmocka_unit_test(test_obligations_and_explain),
        cmocka_unit_test(test_policies_snapshot_lists_regimes_and_articles),
        cmocka_unit_test(test_coverage_records_the_lines_that_ran),
        cmocka_unit_test(test_eval_runs_lua_in_the_sandbox),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
