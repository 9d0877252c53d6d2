/* test_loops.c — how a module is metered is decided from its compiled code: every loop is
 * found, whatever its source text looks like (the text scanner this replaced was fooled by a
 * `...while` and by a comment ended by a bare CR), and a word in a comment or string is not a
 * loop.  Missing a loop would leave an endless one unmetered; a false alarm only costs speed. */
#include "test_support.h"

#include <lauxlib.h>
#include <lualib.h>

#include "bytecode_scan.h"

static int loops(const char *src) {
    lua_State *L = luaL_newstate();
    assert_non_null(L);
    if (luaL_loadbufferx(L, src, strlen(src), "=test", "t") != LUA_OK)
        fail_msg("does not compile: %s\n%s", lua_tostring(L, -1), src);
    bytecode_loops out;
    char why[200];
    bool read = bytecode_find_loops(L, -1, &out, why, sizeof why);
    lua_close(L);
    return !read || out.any; /* refused: treated as looping */
}

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
    assert_true(loops("local function f() return function() while 1 do end end end"));
}

/* What fooled the text scanner: Lua's lexer ends a comment at a bare CR, and `...while` is
 * `...` then `while`. */
static void test_text_tricks_do_not_hide_loops(void **state) {
    (void)state;
    assert_true(loops("-- a comment\rwhile true do end"));
    assert_true(loops("local function f(...) local t = {...}while true do end end"));
    assert_true(loops("local x = 1--[[ ]]while x do end"));
    assert_true(loops("local s = \"\\z\n  \" while s do end"));
    assert_true(loops("local s = 'a\\\n' while s do end"));
    assert_true(loops("local t = {} ::top:: if t then goto top end"));
}

static void test_words_comments_and_strings_are_not_loops(void **state) {
    (void)state;
    assert_false(loops("local format, before, forbidden, whileX, repeats = 1"));
    assert_false(loops("-- for the employer, while it lasts\nreturn 1"));
    assert_false(loops("--[[ for while repeat goto ]] return 1"));
    assert_false(loops("local s = 'for while' .. \"repeat goto\" .. [==[ for ]] ]==]"));
    assert_false(loops("return deny('forbidden-act', { action = 'for' })"));
    assert_false(loops("local function f(n) if n > 0 then return f(n - 1) end end")); /* calls */
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loops_are_found),
        cmocka_unit_test(test_text_tricks_do_not_hide_loops),
        cmocka_unit_test(test_words_comments_and_strings_are_not_loops),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
