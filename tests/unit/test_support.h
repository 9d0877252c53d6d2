/*
 * test_support.h — what the cmocka tests share: paths into the source tree (ctest sets
 * CUSTOS_SOURCE_DIR) and one-line engine and request builders that fail the test loudly.
 */
#ifndef CUSTOS_TEST_SUPPORT_H
#define CUSTOS_TEST_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "custos.h"

/* A whole file's bytes (NUL-terminated; *len without it), malloc'd; the test fails if it cannot
 * be read. */
static inline char *read_whole_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) fail_msg("cannot read %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)n + 1);
    assert_non_null(text);
    assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
    text[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return text;
}

/* Replaces a file's bytes with len bytes of text; the test fails if it cannot. */
static inline void write_whole_file(const char *path, const char *text, size_t len) {
    FILE *f = fopen(path, "wb");
    if (!f) fail_msg("cannot write %s", path);
    assert_int_equal(fwrite(text, 1, len, f), len);
    fclose(f);
}

/* A path under the source tree, in a static buffer (one at a time per call site). */
static inline const char *source_path(char *buf, size_t size, const char *relative) {
    const char *root = getenv("CUSTOS_SOURCE_DIR");
    snprintf(buf, size, "%s/%s", root && *root ? root : ".", relative);
    return buf;
}

/* Opens an engine on policy folders (relative to the source tree), failing the test on error. */
static inline custos_engine *open_engine(const char *policies, const char *data) {
    char path[1024];
    custos_config *cfg;
    assert_int_equal(custos_config_new(&cfg), CUSTOS_OK);
    assert_int_equal(custos_config_add_policies(cfg, source_path(path, sizeof path, policies)),
                     CUSTOS_OK);
    if (data)
        assert_int_equal(custos_config_add_data(cfg, source_path(path, sizeof path, data)),
                         CUSTOS_OK);
    custos_engine *eng = NULL;
    custos_error err;
    custos_status st = custos_engine_open(cfg, &eng, &err);
    if (st != CUSTOS_OK) fail_msg("engine_open: %s:%u: %s", err.file, err.line, err.message);
    custos_config_free(cfg);
    return eng;
}

/* Parses a YAML/JSON request, failing the test on error. */
static inline custos_request *parse_request(const char *text) {
    custos_request *req;
    assert_int_equal(custos_request_new(&req), CUSTOS_OK);
    custos_error err;
    custos_status st = custos_request_parse(req, text, strlen(text), "request", &err);
    if (st != CUSTOS_OK) fail_msg("request_parse: %u:%u: %s", err.line, err.column, err.message);
    return req;
}

/* True when some reason of d cites regime/article. */
static inline int cites(custos_decision *d, const char *regime, const char *article) {
    for (size_t i = 0; i < custos_decision_reason_count(d); i++) {
        custos_reason r;
        if (custos_decision_reason(d, i, &r) == CUSTOS_OK && strcmp(r.regime, regime) == 0 &&
            strcmp(r.article, article) == 0)
            return 1;
    }
    return 0;
}

#endif
