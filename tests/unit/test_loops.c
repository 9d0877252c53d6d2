/* test_loops.c — the loop detector that decides how a module is metered: it must never miss a
 * loop (that would leave an endless one unmetered); a false alarm only costs speed. */
#include "test_support.h"

#include "module_scan.h"

static int loops(const char *src) { return source_has_loops(src, strlen(src)); }

static void test_loops_are_found(void **state) {
    (void)state;
    assert_true(loops("while true do end"));
    assert_true(loops("for i = 1, 10 do end"));
    assert_true(loops("for k in pairs(t) do end"));
    assert_true(loops("repeat until false"));
    assert_true(loops("::a:: goto a"));
    assert_true(loops("local s = 'x' while s do end"));
    assert_true(loops("local s = [[ ]] for i=1,2 do end"));
    assert_true(loops("--[==[ ]] ]=] ]==] while x do end"));
    assert_true(loops("x = \"a\\\"\" repeat until y"));
}

static void test_words_comments_and_strings_are_not_loops(void **state) {
    (void)state;
    assert_false(loops("local format, before, forbidden, whileX, repeats = 1"));
    assert_false(loops("-- for the employer, while it lasts\nreturn 1"));
    assert_false(loops("--[[ for while repeat goto ]] return 1"));
    assert_false(loops("local s = 'for while' .. \"repeat goto\" .. [==[ for ]] ]==]"));
    assert_false(loops("return deny('forbidden-act', { action = 'for' })"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loops_are_found),
        cmocka_unit_test(test_words_comments_and_strings_are_not_loops),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
