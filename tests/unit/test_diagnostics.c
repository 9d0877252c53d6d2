/*
 * test_diagnostics.c — the findings custos_policies_diagnostic gives from reading the modules'
 * code (what `custos check` warns about): an obligation returned but not declared, a data
 * section read but not declared (by an article or a library), a rule returning a bare string;
 * each with its file, line and code, and none for what is declared or for a helper's string.
 */
#include "temp_policies.h"

/* The diagnostics with `code`, as "file-basename:line message" lines in buf. */
static size_t collect(const custos_policies *p, const char *code, char *buf, size_t size) {
    size_t n = 0, used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < custos_policies_diagnostic_count(p); i++) {
        custos_diagnostic d;
        assert_int_equal(custos_policies_diagnostic(p, i, &d), CUSTOS_OK);
        if (strcmp(d.code, code) != 0) continue;
        const char *base = strrchr(d.file, '/');
        int w = snprintf(buf + used, size - used, "%s:%u %s\n", base ? base + 1 : d.file, d.line,
                         d.message);
        if (w > 0 && (size_t)w < size - used) used += (size_t)w;
        n++;
    }
    return n;
}

static void test_findings_in_the_code(void **state) {
    (void)state;
    temp_policies t;
    temp_make(&t, 2);
    temp_write_text(&t, "r/art1.lua",
                    "local function label() return \"helper\" end\n"           /* 1 */
                    "return article {\n"                                       /* 2 */
                    "  number = \"1\",\n"                                      /* 3 */
                    "  text = { zh = \"测试。\", en = \"A test.\" },\n"        /* 4 */
                    "  citation = \"TEST-R 1\", obligations = { \"a\" },\n"    /* 5 */
                    "  messages = { ok = { zh = \"好。\", en = \"Ok.\" } },\n" /* 6 */
                    "  rule = function(req, data)\n"                           /* 7 */
                    "    if data.nosuch then return \"deny\" end\n"            /* 8 */
                    "    return permit(\"ok\", { x = data[\"other\"] },\n"     /* 9 */
                    "      { \"a\", \"b\", { id = \"c\", n = 1 } })\n"         /* 10 */
                    "  end,\n"
                    "}\n");
    temp_write_article(&t, 2, "local shared = require \"shared\"", "");
    temp_write_text(&t, "lib/shared.lua",
                    "local M = {}\nfunction M.f(data) return data.third end\n"
                    "return M\n");
    custos_engine *eng;
    custos_error err;
    assert_int_equal(temp_open(&t, 0, &eng, &err), CUSTOS_OK);
    custos_policies *p;
    assert_int_equal(custos_engine_policies(eng, &p), CUSTOS_OK);
    char buf[2048];

    assert_int_equal(collect(p, "undeclared-obligation", buf, sizeof buf), 2);
    assert_non_null(strstr(buf, "art1.lua:10 returns the obligation \"b\""));
    assert_non_null(strstr(buf, "art1.lua:10 returns the obligation \"c\""));
    assert_null(strstr(buf, "\"a\""));

    assert_int_equal(collect(p, "undeclared-data-section", buf, sizeof buf), 3);
    assert_non_null(strstr(buf, "art1.lua:8 reads the data section 'nosuch'"));
    assert_non_null(strstr(buf, "art1.lua:9 reads the data section 'other'"));
    assert_non_null(strstr(buf, "shared.lua:2 reads the data section 'third'"));

    assert_int_equal(collect(p, "bare-string-verdict", buf, sizeof buf), 1);
    assert_non_null(strstr(buf, "art1.lua:8 the rule returns the bare string \"deny\""));

    custos_policies_free(p);
    custos_engine_close(eng);
    temp_remove(&t);
}

static void test_none_for_the_shipped_policies(void **state) {
    (void)state;
    custos_engine *eng = open_engine("policies", NULL);
    custos_policies *p;
    assert_int_equal(custos_engine_policies(eng, &p), CUSTOS_OK);
    assert_int_equal(custos_policies_diagnostic_count(p), 0);
    custos_policies_free(p);
    custos_engine_close(eng);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_findings_in_the_code),
        cmocka_unit_test(test_none_for_the_shipped_policies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
