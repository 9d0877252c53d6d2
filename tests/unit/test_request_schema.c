/*
 * test_request_schema.c — the schema as data: request fields, named types and data sections
 * declared by the policy set (schema.lua beside the regimes, each regime's own), compiled at
 * load, and what a mistyped declaration, request or data document gets.
 */
#include "test_support.h"

#include "bundle.h"
#include "schema.h"

#define TIME "2026-11-22T10:00:00+08:00"

static bundle *load(const char *policies, custos_error *err, custos_status expect) {
    char path[1024];
    custos_config *cfg;
    assert_int_equal(custos_config_new(&cfg), CUSTOS_OK);
    assert_int_equal(custos_config_add_policies(cfg, source_path(path, sizeof path, policies)),
                     CUSTOS_OK);
    bundle *b = NULL;
    memset(err, 0, sizeof *err);
    assert_int_equal(bundle_load(cfg, &b, err), expect);
    custos_config_free(cfg);
    return b;
}

static bool ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* The shipped vocabulary: sorted (lookups bisect it), each field once, its docs and places. */
static void test_the_shipped_schema(void **state) {
    (void)state;
    custos_error err;
    bundle *b = load("policies", &err, CUSTOS_OK);
    const schema *s = &b->schema;
    assert_true(schema_field_count(s) >= 31);
    for (size_t i = 0; i < s->field_count; i++) {
        if (i > 0 && strcmp(s->fields[i - 1].path, s->fields[i].path) >= 0)
            fail_msg("out of order: %s before %s", s->fields[i - 1].path, s->fields[i].path);
        assert_ptr_equal(schema_find(s, s->fields[i].path, strlen(s->fields[i].path)),
                         &s->fields[i]);
    }
    /* lengths matter: prefixes and longer paths are other fields */
    assert_null(schema_find(s, "subject.i", 9));
    assert_null(schema_find(s, "subject.idx", 11));
    assert_non_null(schema_find(s, "subject.idx", 10));

    custos_field_info f;
    assert_true(schema_find_info(s, "resource.classification", &f));
    assert_int_equal(f.type, CUSTOS_FIELD_ENUM);
    assert_string_equal(f.type_name, "level");
    assert_int_equal(f.value_count, 4);
    assert_string_equal(f.values[0], "top_secret");
    assert_string_equal(f.values[3], "public");
    assert_string_equal(f.doc, "its secrecy level");
    assert_true(ends_with(f.declared_in, "policies/schema.lua"));
    assert_true(f.line > 1);
    assert_true(schema_find_info(s, "context.approvals", &f));
    assert_int_equal(f.type, CUSTOS_FIELD_LIST);
    assert_string_equal(f.type_name, "strings");
    /* the engine's own field, and its table documented by the policy set */
    assert_true(schema_find_info(s, "context.time", &f));
    assert_int_equal(f.type, CUSTOS_FIELD_TIME);
    assert_string_equal(f.declared_in, "");
    assert_int_equal(f.line, 0);
    assert_true(schema_find_info(s, "context", &f));
    assert_int_equal(f.type, CUSTOS_FIELD_TABLE);
    assert_string_equal(f.doc, "when and under what consent");
    assert_true(ends_with(f.declared_in, "policies/schema.lua"));
    assert_false(schema_find_info(s, "context.epoch", &f));
    assert_false(schema_field_info(s, s->field_count, &f));
    /* the data sections: shared ones and a regime's own */
    const schema_section *contracts = schema_find_section(s, "contracts");
    assert_non_null(contracts);
    assert_non_null(schema_find_section(s, "purposes"));
    assert_non_null(schema_find_section(s, "providers")); /* miit-2011-21's regime.lua */
    bool recipients = false; /* gz-2012 adds a field to the shared section */
    for (size_t i = 0; i < contracts->field_count; i++)
        recipients |= strcmp(contracts->fields[i].name, "recipients") == 0;
    assert_true(recipients);
    bundle_unref(b);
}

static custos_status decide(custos_engine *eng, custos_request *req, custos_decision *d,
                            custos_error *err) {
    memset(err, 0, sizeof *err);
    return custos_decide(eng, req, 0, d, err);
}

/* A regime adds typed fields of its own; they are checked and seen like the shared ones. */
static void test_a_regime_adds_typed_fields(void **state) {
    (void)state;
    custos_engine *eng =
        open_engine("tests/fixtures/schema/typed", "tests/fixtures/data/vendors.yaml");
    custos_request *req;
    custos_decision *d;
    custos_error err;
    assert_int_equal(custos_request_new(&req), CUSTOS_OK);
    assert_int_equal(custos_decision_new(&d), CUSTOS_OK);
    assert_int_equal(custos_request_set_string(req, "context.time", TIME, &err), CUSTOS_OK);
    assert_int_equal(custos_request_set_string(req, "subject.id", "acme", &err), CUSTOS_OK);
    assert_int_equal(custos_request_set_string(req, "resource.grade", "gold", &err), CUSTOS_OK);
    assert_int_equal(custos_request_set_integer(req, "subject.badge", 7, &err), CUSTOS_OK);
    assert_int_equal(decide(eng, req, d, &err), CUSTOS_OK);
    assert_int_equal(custos_decision_effect(d), CUSTOS_PERMIT);
    custos_reason r;
    assert_int_equal(custos_decision_reason(d, 0, &r), CUSTOS_OK);
    assert_string_equal(r.message_en, "badge 7");

    /* set_*: the wrong type is found when deciding, naming the field */
    assert_int_equal(custos_request_set_string(req, "subject.badge", "7", &err), CUSTOS_OK);
    assert_int_equal(decide(eng, req, d, &err), CUSTOS_E_INPUT);
    assert_string_equal(err.message, "subject.badge: expected an integer, got a string");
    assert_int_equal(custos_request_set_integer(req, "subject.badge", 7, &err), CUSTOS_OK);
    assert_int_equal(custos_request_set_string(req, "resource.grade", "platinum", &err), CUSTOS_OK);
    assert_int_equal(decide(eng, req, d, &err), CUSTOS_E_INPUT);
    assert_string_equal(err.message, "resource.grade: \"platinum\" is not allowed; expected one "
                                     "of: gold, silver, bronze");

    /* parsed: with the value's place */
    const char *yaml = "context: {time: \"" TIME "\"}\nsubject:\n  id: acme\n  badge: seven\n";
    assert_int_equal(custos_request_parse(req, yaml, strlen(yaml), "typed.yaml", &err), CUSTOS_OK);
    assert_int_equal(decide(eng, req, d, &err), CUSTOS_E_INPUT);
    assert_string_equal(err.file, "typed.yaml");
    assert_int_equal(err.line, 4);
    assert_int_equal(err.column, 10);
    assert_string_equal(err.message,
                        "subject.badge: expected an integer, got the string \"seven\"");
    custos_decision_free(d);
    custos_request_free(req);
    custos_engine_close(eng);

    /* the public view of the schema lists them with where they were declared */
    custos_error lerr;
    bundle *b = load("tests/fixtures/schema/typed", &lerr, CUSTOS_OK);
    custos_field_info f;
    assert_true(schema_find_info(&b->schema, "resource.grade", &f));
    assert_int_equal(f.type, CUSTOS_FIELD_ENUM);
    assert_string_equal(f.type_name, "grade");
    assert_int_equal(f.value_count, 3);
    assert_null(f.values[3]);
    assert_string_equal(f.doc, "the grade a vendor needs to handle it");
    assert_true(ends_with(f.declared_in, "company/regime.lua"));
    assert_int_equal(f.line, 13);
    assert_true(schema_find_info(&b->schema, "subject.badge", &f));
    assert_int_equal(f.type, CUSTOS_FIELD_INTEGER);
    /* declared twice alike (schema.lua and the regime): one field, the first place */
    assert_true(schema_find_info(&b->schema, "subject.level", &f));
    assert_true(ends_with(f.declared_in, "typed/schema.lua"));
    assert_int_equal(f.line, 10);
    bundle_unref(b);
}

/* One enum type, declared once, types a request field and a data field alike. */
static void test_an_enum_shared_by_request_and_data(void **state) {
    (void)state;
    char a[1024], p[1024];
    custos_config *cfg;
    assert_int_equal(custos_config_new(&cfg), CUSTOS_OK);
    custos_config_add_policies(cfg, source_path(p, sizeof p, "tests/fixtures/schema/typed"));
    custos_config_add_data(cfg, source_path(a, sizeof a, "tests/fixtures/data/badgrade.yaml"));
    custos_engine *eng = NULL;
    custos_error err;
    assert_int_equal(custos_engine_open(cfg, &eng, &err), CUSTOS_E_INPUT);
    custos_config_free(cfg);
    assert_true(ends_with(err.file, "badgrade.yaml"));
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 20);
    assert_string_equal(err.message, "vendors.initech.grade: expected one of: gold, silver, "
                                     "bronze, got the string \"platinum\"");
}

/* The same path declared twice must agree; the error names both places. */
static void test_a_conflicting_redeclaration(void **state) {
    (void)state;
    custos_error err;
    assert_null(load("tests/fixtures/schema/conflict", &err, CUSTOS_E_POLICY));
    assert_true(ends_with(err.file, "conflict/clash/regime.lua"));
    assert_int_equal(err.line, 8);
    assert_non_null(strstr(err.message, "request field 'subject.id' is declared here as boolean"));
    assert_non_null(strstr(err.message, "conflict/schema.lua:4 as string"));
    assert_non_null(strstr(err.message, "must agree"));
}

/* A malformed declaration: file, line and the expected shape. */
static void test_malformed_declarations(void **state) {
    (void)state;
    custos_error err;
    assert_null(load("tests/fixtures/schema/malformed", &err, CUSTOS_E_POLICY));
    assert_true(ends_with(err.file, "malformed/schema.lua"));
    assert_int_equal(err.line, 4);
    assert_string_equal(err.message, "request field 'subject.id': unknown type 'strng' (expected "
                                     "one of: table, string, boolean, integer, number, time, date, "
                                     "strings)");
    assert_null(load("tests/fixtures/schema/shape/plain", &err, CUSTOS_E_POLICY));
    assert_true(ends_with(err.file, "shape/schema.lua"));
    assert_int_equal(err.line, 2);
    assert_string_equal(err.message, "request[1]: expected {\"path.of.field\", \"type\", \"one "
                                     "line of doc\"}, got a string");
    /* a field under a table nobody declared */
    assert_null(load("tests/fixtures/schema/orphan/plain", &err, CUSTOS_E_POLICY));
    assert_true(ends_with(err.file, "orphan/schema.lua"));
    assert_int_equal(err.line, 4);
    assert_non_null(strstr(err.message, "request field 'subject.badge.number': no table "
                                        "'subject.badge'; declare it first"));
    /* schema.lua holds declarations only: a misspelt block is not ignored */
    assert_null(load("tests/fixtures/schema/typo/plain", &err, CUSTOS_E_POLICY));
    assert_true(ends_with(err.file, "typo/schema.lua"));
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.message, "unknown key 'reqest'"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_shipped_schema),
        cmocka_unit_test(test_a_regime_adds_typed_fields),
        cmocka_unit_test(test_an_enum_shared_by_request_and_data),
        cmocka_unit_test(test_a_conflicting_redeclaration),
        cmocka_unit_test(test_malformed_declarations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
