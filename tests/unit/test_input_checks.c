/*
 * test_input_checks.c — what a host gets for input it did not mean: fields the policy set does
 * not declare (custos_engine_unknown_fields, CUSTOS_DECIDE_STRICT), the time set from a time_t
 * (custos_request_set_time), and the size limits and file kinds every reader enforces
 * (CUSTOS_MAX_REQUEST_BYTES, file_read_limited; a reload onto a FIFO keeps the old set) and
 * strict JSON for a ".json" document.
 */
#include "test_support.h"

#include <sys/stat.h>
#include <unistd.h>

#include "doc.h"
#include "fileio.h"

#define TIME "2026-11-22T10:00:00+08:00"

typedef struct seen {
    char paths[8][128], nearest[8][128];
    unsigned lines[8];
    size_t count;
} seen;

static bool note(void *user, const char *path, const char *nearest, unsigned line,
                 unsigned column) {
    (void)column;
    seen *s = user;
    if (s->count < 8) {
        snprintf(s->paths[s->count], sizeof s->paths[0], "%s", path);
        snprintf(s->nearest[s->count], sizeof s->nearest[0], "%s", nearest ? nearest : "");
        s->lines[s->count] = line;
    }
    s->count++;
    return true;
}

static void test_unknown_fields_are_listed_with_the_nearest(void **state) {
    (void)state;
    custos_engine *eng = open_engine("tests/fixtures/basic", NULL);
    custos_request *req = parse_request("subject: {id: alice}\n"
                                        "action: use\n"
                                        "resource: {entrustd: true}\n"
                                        "resourse: {id: x}\n"
                                        "wholly_new: 1\n"
                                        "context: {time: \"" TIME "\"}\n");
    seen s;
    memset(&s, 0, sizeof s);
    size_t count = 99;
    assert_int_equal(custos_engine_unknown_fields(eng, req, note, &s, &count, NULL), CUSTOS_OK);
    assert_int_equal(count, 3);
    assert_string_equal(s.paths[0], "resource.entrustd");
    assert_string_equal(s.nearest[0], "resource.entrusted");
    assert_int_equal(s.lines[0], 3);
    assert_string_equal(s.paths[1], "resourse");
    assert_string_equal(s.nearest[1], "resource");
    assert_string_equal(s.paths[2], "wholly_new");
    assert_string_equal(s.nearest[2], "");

    /* without CUSTOS_DECIDE_STRICT the field is ignored; with it, refused naming it */
    custos_decision *d;
    custos_error err;
    assert_int_equal(custos_decision_new(&d), CUSTOS_OK);
    assert_int_equal(custos_decide(eng, req, 0, d, &err), CUSTOS_OK);
    assert_int_equal(custos_decision_effect(d), CUSTOS_NOT_APPLICABLE);
    memset(&err, 0, sizeof err);
    assert_int_equal(custos_decide(eng, req, CUSTOS_DECIDE_STRICT, d, &err), CUSTOS_E_INPUT);
    assert_string_equal(err.message, "resource.entrustd is not a declared field; did you mean "
                                     "resource.entrusted?");
    assert_int_equal(err.line, 3);

    /* a request of declared fields only: none, and strict decides */
    custos_request *ok = parse_request("subject: {id: alice}\naction: use\n"
                                       "resource: {entrusted: true}\n"
                                       "context: {time: \"" TIME "\"}\n");
    assert_int_equal(custos_engine_unknown_fields(eng, ok, NULL, NULL, &count, NULL), CUSTOS_OK);
    assert_int_equal(count, 0);
    assert_int_equal(custos_decide(eng, ok, CUSTOS_DECIDE_STRICT, d, &err), CUSTOS_OK);
    assert_int_equal(custos_decision_effect(d), CUSTOS_PERMIT);

    /* fields set by a call: no line */
    assert_int_equal(custos_request_set_bool(ok, "subject.signed", true, NULL), CUSTOS_OK);
    memset(&s, 0, sizeof s);
    assert_int_equal(custos_engine_unknown_fields(eng, ok, note, &s, &count, NULL), CUSTOS_OK);
    assert_int_equal(count, 1);
    assert_string_equal(s.paths[0], "subject.signed");
    assert_int_equal(s.lines[0], 0);
    assert_int_equal(custos_engine_unknown_fields(NULL, ok, NULL, NULL, &count, NULL),
                     CUSTOS_E_ARGUMENT);

    custos_request_free(ok);
    custos_request_free(req);
    custos_decision_free(d);
    custos_engine_close(eng);
}

static void test_the_time_from_a_time_t(void **state) {
    (void)state;
    custos_request *req;
    assert_int_equal(custos_request_new(&req), CUSTOS_OK);
    assert_int_equal(custos_request_set_time(req, (time_t)1795312800, 8 * 60, NULL), CUSTOS_OK);
    const char *json = NULL;
    assert_int_equal(custos_request_json(req, &json), CUSTOS_OK);
    assert_non_null(strstr(json, "\"2026-11-22T10:00:00+08:00\""));
    assert_int_equal(custos_request_set_time(req, (time_t)1795312800, -330, NULL), CUSTOS_OK);
    assert_int_equal(custos_request_json(req, &json), CUSTOS_OK);
    assert_non_null(strstr(json, "\"2026-11-21T20:30:00-05:30\""));
    custos_error err;
    memset(&err, 0, sizeof err);
    assert_int_equal(custos_request_set_time(req, 0, 24 * 60, &err), CUSTOS_E_ARGUMENT);
    assert_non_null(strstr(err.message, "offset"));
    assert_int_equal(custos_request_set_time(NULL, 0, 0, NULL), CUSTOS_E_ARGUMENT);

    /* the engine decides at it */
    custos_engine *eng = open_engine("tests/fixtures/basic", NULL);
    custos_decision *d;
    assert_int_equal(custos_decision_new(&d), CUSTOS_OK);
    assert_int_equal(custos_request_set_string(req, "action", "use", NULL), CUSTOS_OK);
    assert_int_equal(custos_request_set_bool(req, "resource.entrusted", true, NULL), CUSTOS_OK);
    assert_int_equal(custos_request_set_string(req, "subject.id", "alice", NULL), CUSTOS_OK);
    assert_int_equal(custos_decide(eng, req, 0, d, &err), CUSTOS_OK);
    assert_int_equal(custos_decision_effect(d), CUSTOS_PERMIT);
    custos_decision_free(d);
    custos_engine_close(eng);
    custos_request_free(req);
}

static void test_a_request_over_the_limit_is_refused(void **state) {
    (void)state;
    size_t n = CUSTOS_MAX_REQUEST_BYTES + 1;
    char *text = malloc(n);
    assert_non_null(text);
    memset(text, ' ', n);
    custos_request *req;
    custos_error err;
    memset(&err, 0, sizeof err);
    assert_int_equal(custos_request_new(&req), CUSTOS_OK);
    assert_int_equal(custos_request_parse(req, text, n, "big.yaml", &err), CUSTOS_E_INPUT);
    assert_non_null(strstr(err.message, "1 MiB"));
    assert_string_equal(err.file, "big.yaml");
    /* at the limit it is read (and is an empty document) */
    assert_int_equal(custos_request_parse(req, text, n - 1, "big.yaml", &err), CUSTOS_E_INPUT);
    assert_null(strstr(err.message, "1 MiB"));
    free(text);
    custos_request_free(req);
}

static void test_files_over_the_limit_and_special_files(void **state) {
    (void)state;
    char dir[] = "/tmp/custos-input.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/doc.yaml", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("a: 1\nb: 2\n", f); /* 10 bytes */
    fclose(f);
    char *text;
    size_t len;
    custos_error err;
    memset(&err, 0, sizeof err);
    assert_int_equal(file_read_limited(path, 10, "a test", &text, &len, &err), CUSTOS_OK);
    assert_int_equal(len, 10);
    free(text);
    assert_int_equal(file_read_limited(path, 9, "a test", &text, &len, &err), CUSTOS_E_INPUT);
    assert_null(text);
    assert_non_null(strstr(err.message, "limit on a test (9 bytes)"));
    assert_int_equal(file_read_limited(dir, 100, "a test", &text, &len, &err), CUSTOS_E_IO);
    assert_non_null(strstr(err.message, "is a folder"));
    assert_int_equal(file_read_limited("/dev/zero", 100, "a test", &text, &len, &err), CUSTOS_E_IO);
    assert_non_null(strstr(err.message, "is a character device"));
    char fifo[256];
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    assert_int_equal(file_read_limited(fifo, 100, "a test", &text, &len, &err), CUSTOS_E_IO);
    assert_non_null(strstr(err.message, "is a named pipe (FIFO)"));
    /* a data document through the engine: a device is refused, the engine does not open */
    custos_config *cfg;
    custos_engine *eng = NULL;
    char policies[1024];
    assert_int_equal(custos_config_new(&cfg), CUSTOS_OK);
    assert_int_equal(custos_config_add_policies(
                         cfg, source_path(policies, sizeof policies, "tests/fixtures/basic")),
                     CUSTOS_OK);
    assert_int_equal(custos_config_add_data(cfg, "/dev/zero"), CUSTOS_OK);
    assert_int_not_equal(custos_engine_open(cfg, &eng, &err), CUSTOS_OK);
    assert_non_null(strstr(err.message, "is a character device"));
    custos_config_free(cfg);
    unlink(fifo);
    unlink(path);
    rmdir(dir);
}

/* Copies the file at src (under the source tree) to dst; fails the test otherwise. */
static void copy_file(const char *src, const char *dst) {
    char path[1024];
    FILE *in = fopen(source_path(path, sizeof path, src), "rb"), *out = fopen(dst, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0) assert_int_equal(fwrite(buf, 1, n, out), n);
    fclose(in);
    assert_int_equal(fclose(out), 0);
}

/* The code of the one reason eng gives for a use, or "" (v1 permits with "v1"). */
static const char *decided_code(custos_engine *eng, char *buf, size_t size) {
    custos_request *req = parse_request("{action: use, context: {time: \"" TIME "\"}}");
    custos_decision *d;
    custos_decision_new(&d);
    custos_reason r;
    snprintf(buf, size, "%s",
             custos_decide(eng, req, 0, d, NULL) == CUSTOS_OK &&
                     custos_decision_reason_count(d) == 1 &&
                     custos_decision_reason(d, 0, &r) == CUSTOS_OK
                 ? r.code
                 : "");
    custos_decision_free(d);
    custos_request_free(req);
    return buf;
}

/* A reload whose data document or policy module became a FIFO (no writer: a plain open would
 * hang) fails at once naming the file, and the loaded set keeps serving. */
static void test_reload_onto_a_fifo_keeps_the_old_set(void **state) {
    (void)state;
    char dir[] = "/tmp/custos-fifo-reload-XXXXXX", regime[256], module[256], rules[256], data[256],
         code[64];
    assert_non_null(mkdtemp(dir));
    snprintf(regime, sizeof regime, "%s/demo", dir);
    assert_int_equal(mkdir(regime, 0700), 0);
    snprintf(module, sizeof module, "%s/demo/regime.lua", dir);
    snprintf(rules, sizeof rules, "%s/demo/art1.lua", dir);
    snprintf(data, sizeof data, "%s/contracts.yaml", dir);
    copy_file("tests/fixtures/reload/v1/demo/regime.lua", module);
    copy_file("tests/fixtures/reload/v1/demo/art1.lua", rules);
    copy_file("examples/data/contracts.yaml", data);
    custos_config *cfg;
    assert_int_equal(custos_config_new(&cfg), CUSTOS_OK);
    assert_int_equal(custos_config_add_policies(cfg, dir), CUSTOS_OK);
    assert_int_equal(custos_config_add_data(cfg, data), CUSTOS_OK);
    custos_engine *eng = NULL;
    custos_error err;
    assert_int_equal(custos_engine_open(cfg, &eng, &err), CUSTOS_OK);
    custos_config_free(cfg);
    assert_string_equal(decided_code(eng, code, sizeof code), "v1");

    const char *became[] = {data, rules};
    const char *source[] = {"examples/data/contracts.yaml",
                            "tests/fixtures/reload/v1/demo/art1.lua"};
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(unlink(became[i]), 0);
        assert_int_equal(mkfifo(became[i], 0600), 0);
        memset(&err, 0, sizeof err);
        assert_int_equal(custos_engine_reload(eng, NULL, &err), CUSTOS_E_IO);
        assert_string_equal(err.file, became[i]);
        assert_string_equal(err.message, "is a named pipe (FIFO), expected a regular file");
        assert_int_equal(custos_engine_generation(eng), 1);
        assert_string_equal(decided_code(eng, code, sizeof code), "v1");
        assert_int_equal(unlink(became[i]), 0);
        copy_file(source[i], became[i]);
    }
    /* the same reload with regular files again succeeds: the failures above were the FIFOs' */
    assert_int_equal(custos_engine_reload(eng, NULL, &err), CUSTOS_OK);
    assert_int_equal(custos_engine_generation(eng), 2);
    assert_string_equal(decided_code(eng, code, sizeof code), "v1");
    custos_engine_close(eng);
    unlink(data);
    unlink(rules);
    unlink(module);
    rmdir(regime);
    rmdir(dir);
}

static void test_json_named_documents_are_strict(void **state) {
    (void)state;
    static const char trailing[] = "{\"a\": 1,}";
    static const char quoted[] = "{'a': 1}";
    doc *d = NULL;
    custos_error err;
    memset(&err, 0, sizeof err);
    assert_int_equal(doc_parse(trailing, strlen(trailing), "x.json", &d, &err), CUSTOS_E_PARSE);
    assert_int_equal(err.line, 1);
    assert_true(err.column > 0);
    assert_int_equal(doc_parse(quoted, strlen(quoted), "x.JSON", &d, &err), CUSTOS_E_PARSE);
    assert_int_equal(doc_parse("a: 1", 4, "x.json", &d, &err), CUSTOS_E_PARSE);
    /* other names: YAML flow style reads both */
    assert_int_equal(doc_parse(trailing, strlen(trailing), "x.yaml", &d, &err), CUSTOS_OK);
    doc_free(d);
    assert_int_equal(doc_parse(quoted, strlen(quoted), "<stdin>", &d, &err), CUSTOS_OK);
    doc_free(d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unknown_fields_are_listed_with_the_nearest),
        cmocka_unit_test(test_the_time_from_a_time_t),
        cmocka_unit_test(test_a_request_over_the_limit_is_refused),
        cmocka_unit_test(test_files_over_the_limit_and_special_files),
        cmocka_unit_test(test_reload_onto_a_fifo_keeps_the_old_set),
        cmocka_unit_test(test_json_named_documents_are_strict),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
