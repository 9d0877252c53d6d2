/*
 * test_metering.c — the instruction cap cannot be escaped however a module is metered.  Each
 * attack does far more work than the cap allows (and would end in a permit if it escaped); it
 * must end as a deny with "instruction limit exceeded", in bounded time, and the engine must
 * decide normally right after.  Metering is chosen from the compiled code (test_loops.c), so
 * the text tricks that hid a loop are here too, with what a loop-free module can still reach:
 * long straight-line functions called often, the prelude's helpers, libraries, recursion,
 * metamethods called from C, and __close handlers running while a limit error unwinds.
 */
#include "temp_policies.h"

/* The cap the attacks run under: small, so that an escape costs a second, not a minute. */
#define CAP 1000000

typedef struct attack {
    const char *name;
    const char *prefix; /* module top */
    const char *body;   /* the rule's body before `return permit("ok")` */
    const char *error;  /* what the deny's error must say */
} attack;

static const attack attacks[] = {
    /* The text scanner read `...while` as a field `while` and missed the loop. */
    {"dots-while",
     "local function spin(...) local n = ...while n < 30000000 do n = n + 1 end "
     "return n end",
     "    spin(0)", "instruction limit exceeded"},
    /* Lua's lexer ends a comment at a bare CR; the text scanner read on to the next LF. */
    {"cr-comment", "", "    local n = 0 -- counts\rwhile n < 30000000 do n = n + 1 end",
     "instruction limit exceeded"},
    /* The prelude's custos.has loops over #list without calling anything: a list whose __len
     * is large made one cheap call run 30 million rounds. */
    /* (made while deciding: a module-level table is sealed, and a sealed copy's length is its
     * content's, whatever __len it was given) */
    {"has-len", "",
     "    custos.has(setmetatable({}, {__len = function() return 30000000 end}), 'x')",
     "instruction limit exceeded"},
    {"has-huge-len", "",
     "    custos.has(setmetatable({}, {__len = function() return 2^62 end}), 'x')",
     "instruction limit exceeded"},
    /* Recursion without a loop: every call is charged. */
    {"recursion", "local function f(n) return 1 + f(n + 1) end", "    f(1)",
     "instruction limit exceeded"},
    {"tail-recursion", "local function f(n) return f(n + 1) end", "    f(1)",
     "instruction limit exceeded"},
    /* Metamethods the VM calls from C are calls too: a tree of them, ten per level, would be
     * 10^30 calls if they were not charged. */
    {"index-tree",
     "local t = {} setmetatable(t, {__index = function(_, k) if k > 0 then local x = t[k-1] "
     "x = t[k-1] x = t[k-1] x = t[k-1] x = t[k-1] x = t[k-1] x = t[k-1] x = t[k-1] x = t[k-1] "
     "x = t[k-1] end return 1 end})",
     "    local v = t[30]", "instruction limit exceeded"},
    {"eq-tree",
     "local mt = {} local a, b = setmetatable({n = 30}, mt), setmetatable({n = 30}, mt) "
     "local function down(x) return setmetatable({n = x.n - 1}, mt) end "
     "mt.__eq = function(x, y) if x.n > 0 then local d, e = down(x), down(y) "
     "local r = d == e r = d == e r = d == e r = d == e r = d == e r = d == e r = d == e "
     "r = d == e r = d == e r = d == e end return true end",
     "    local r = a == b", "instruction limit exceeded"},
    {"lt-tree",
     "local mt = {} local function mk(n) return setmetatable({n = n}, mt) end "
     "mt.__lt = function(x, y) if x.n > 0 then local d = mk(x.n - 1) "
     "local r = d < d r = d < d r = d < d r = d < d r = d < d r = d < d r = d < d r = d < d "
     "r = d < d r = d < d end return true end",
     "    local r = mk(30) < mk(30)", "instruction limit exceeded"},
    {"concat-tree",
     "local mt = {} local function mk(n) return setmetatable({n = n}, mt) end "
     "mt.__concat = function(x) if x.n > 0 then local d = mk(x.n - 1) "
     "local r = d .. 1 r = d .. 1 r = d .. 1 r = d .. 1 r = d .. 1 r = d .. 1 r = d .. 1 "
     "r = d .. 1 r = d .. 1 r = d .. 1 end return 'x' end",
     "    local r = mk(30) .. 1", "instruction limit exceeded"},
    {"len-tree",
     "local mt = {} local function mk(n) return setmetatable({n = n}, mt) end "
     "mt.__len = function(x) if x.n > 0 then local d = mk(x.n - 1) "
     "local r = #d r = #d r = #d r = #d r = #d r = #d r = #d r = #d r = #d r = #d end "
     "return 1 end",
     "    local r = #mk(30)", "instruction limit exceeded"},
    {"call-tree",
     "local mt = {} local function mk(n) return setmetatable({n = n}, mt) end "
     "mt.__call = function(x) if x.n > 0 then local d = mk(x.n - 1) "
     "d() d() d() d() d() d() d() d() d() d() end return 1 end",
     "    mk(30)()", "instruction limit exceeded"},
    /* __close handlers run while the limit error unwinds: they are metered like any code,
     * and once the budget is spent every further round raises again. */
    {"close-while-unwinding",
     "local closer = setmetatable({}, {__close = function() while true do end end})",
     "    local x <close> = closer\n    while true do end", "instruction limit exceeded"},
    {"close-many", "local closer = setmetatable({}, {__close = function() while true do end end})",
     "    local a <close> = closer local b <close> = closer local c <close> = closer\n"
     "    local function f(n) local d <close> = closer return 1 + f(n + 1) end f(1)",
     "instruction limit exceeded"},
    {"close-generic-for",
     "local closer = setmetatable({}, {__close = function() while true do end end})",
     "    for _ in function() while true do end end, nil, nil, closer do end",
     "instruction limit exceeded"},
    {"close-after-memory",
     "local closer = setmetatable({}, {__close = function() while true do end end})",
     "    local x <close> = closer\n    local t = {} for i = 1, 1e9 do t[i] = i end",
     "limit exceeded"},
    /* A handler's own error replaces the one unwinding, but not the limit hit: the deny
     * still names the limit, and the error object's __tostring never runs. */
    {"close-raises-table",
     "local closer = setmetatable({}, {__close = function() error(setmetatable({}, "
     "{__tostring = function() while true do end end})) end})",
     "    local x <close> = closer\n    while true do end", "instruction limit exceeded"},
    {"error-object-tostring", "",
     "    error(setmetatable({}, {__tostring = function() while true do end end}))",
     "error object is a table value"},
    /* A loop-free __close handler in a loop-free article: charged per call. */
    {"close-recursing",
     "local closer = setmetatable({}, {__close = function() local function f() return 1 + f() "
     "end f() end})",
     "    local x <close> = closer\n    local function g() return 1 + g() end g()",
     "instruction limit exceeded"},
};

static void decide_plain(custos_engine *eng, custos_decision *d) {
    custos_request *req = parse_request("{context: {time: '2026-01-01T10:00:00+08:00'}}");
    custos_error err;
    assert_int_equal(custos_decide(eng, req, 0, d, &err), CUSTOS_OK);
    custos_request_free(req);
}

/* Runs one attack (article 1) on a fresh engine; returns why it failed, or NULL. */
static const char *run_attack(const attack *a) {
    static char why[512];
    temp_policies t;
    temp_make(&t, 1);
    temp_write_article(&t, 1, a->prefix, a->body);
    custos_engine *eng;
    custos_error err;
    if (temp_open(&t, CAP, &eng, &err) != CUSTOS_OK)
        fail_msg("%s: engine_open: %s:%u: %s", a->name, err.file, err.line, err.message);
    custos_decision *d;
    assert_int_equal(custos_decision_new(&d), CUSTOS_OK);
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    decide_plain(eng, d);
    double took = seconds_since(&start);
    custos_policy_error e;
    const char *failed = NULL;
    if (custos_decision_effect(d) != CUSTOS_DENY) {
        snprintf(why, sizeof why, "%s: not denied (the cap was escaped; %.2f s)", a->name, took);
        failed = why;
    } else if (custos_decision_error(d, 0, &e) != CUSTOS_OK || !strstr(e.message, a->error)) {
        snprintf(why, sizeof why, "%s: error \"%s\" lacks \"%s\"", a->name, e.message, a->error);
        failed = why;
    } else if (took > 5.0) {
        snprintf(why, sizeof why, "%s: took %.2f s", a->name, took);
        failed = why;
    }
    custos_decision_free(d);
    custos_engine_close(eng);
    temp_remove(&t);
    return failed;
}

static void test_every_attack_hits_the_cap(void **state) {
    (void)state;
    unsigned failures = 0;
    for (size_t i = 0; i < sizeof attacks / sizeof *attacks; i++) {
        const char *why = run_attack(&attacks[i]);
        if (why) {
            print_error("%s\n", why);
            failures++;
        }
    }
    assert_int_equal(failures, 0);
}

/* Long straight-line code called many times: a function of ~10,000 instructions called 5,000
 * times by loop-free code.  Charging each call a flat 100 instructions let it run 50 million
 * instructions under a cap of one million. */
static char *straight_line_module(unsigned statements) {
    size_t size = (size_t)statements * 16 + 4096;
    char *text = malloc(size);
    assert_non_null(text);
    size_t used = (size_t)snprintf(text, size, "local function big(x)\n");
    for (unsigned i = 0; i < statements; i++)
        used += (size_t)snprintf(text + used, size - used, " x = x + 1\n");
    used +=
        (size_t)snprintf(text + used, size - used, " return x\nend\nlocal function hundred()\n");
    for (unsigned i = 0; i < 100; i++)
        used += (size_t)snprintf(text + used, size - used, " big(%u)\n", i);
    snprintf(text + used, size - used, "end\n");
    return text;
}

static void test_long_straight_line_code_is_charged_by_its_size(void **state) {
    (void)state;
    char *prefix = straight_line_module(5000);
    char body[2048] = "";
    for (unsigned i = 0; i < 50; i++) strcat(body, "    hundred()\n");
    attack a = {"straight-line", prefix, body, "instruction limit exceeded"};
    const char *why = run_attack(&a);
    if (why) fail_msg("%s", why);
    /* The same through a library: the charge covers the largest function of its libraries. */
    temp_policies t;
    temp_make(&t, 1);
    size_t n = strlen(prefix) + 64;
    char *lib = malloc(n);
    assert_non_null(lib);
    snprintf(lib, n, "%sreturn {hundred = hundred}\n", prefix);
    temp_write_text(&t, "lib/big.lua", lib);
    char body2[2048] = "";
    for (unsigned i = 0; i < 50; i++) strcat(body2, "    big.hundred()\n");
    temp_write_article(&t, 1, "local big = require 'big'", body2);
    custos_engine *eng;
    custos_error err;
    if (temp_open(&t, CAP, &eng, &err) != CUSTOS_OK)
        fail_msg("engine_open: %s:%u: %s", err.file, err.line, err.message);
    custos_decision *d;
    assert_int_equal(custos_decision_new(&d), CUSTOS_OK);
    decide_plain(eng, d);
    assert_int_equal(custos_decision_effect(d), CUSTOS_DENY);
    custos_policy_error e;
    assert_int_equal(custos_decision_error(d, 0, &e), CUSTOS_OK);
    assert_non_null(strstr(e.message, "instruction limit exceeded"));
    custos_decision_free(d);
    custos_engine_close(eng);
    temp_remove(&t);
    free(lib);
    free(prefix);
}

/* A loop-free article whose library loops, and one whose library's library loops: metered per
 * instruction (the library's bytecode, with its requires'). */
static void test_a_library_that_loops_meters_its_users(void **state) {
    (void)state;
    temp_policies t;
    temp_make(&t, 2);
    temp_write_text(&t, "lib/spin.lua",
                    "return {spin = function(n) local i = 0 while i < n do i = i + 1 end end}\n");
    temp_write_text(&t, "lib/outer.lua",
                    "local spin = require 'spin'\nreturn {go = function() spin.spin(3e7) end}\n");
    temp_write_article(&t, 1, "local spin = require 'spin'", "    spin.spin(3e7)");
    temp_write_article(&t, 2, "local outer = require 'outer'", "    outer.go()");
    for (unsigned article = 1; article <= 2; article++) {
        /* each article alone: the other one rewritten to a plain permit */
        if (article == 2) temp_write_article(&t, 1, "", "");
        custos_engine *eng;
        custos_error err;
        if (temp_open(&t, CAP, &eng, &err) != CUSTOS_OK)
            fail_msg("engine_open: %s:%u: %s", err.file, err.line, err.message);
        custos_decision *d;
        assert_int_equal(custos_decision_new(&d), CUSTOS_OK);
        decide_plain(eng, d);
        assert_int_equal(custos_decision_effect(d), CUSTOS_DENY);
        custos_policy_error e;
        assert_int_equal(custos_decision_error(d, 0, &e), CUSTOS_OK);
        assert_non_null(strstr(e.message, "instruction limit exceeded"));
        custos_decision_free(d);
        custos_engine_close(eng);
    }
    temp_remove(&t);
}

/* Legitimate loop-free code still fits: the shipped-like article, charged per call, permits
 * under the default cap after a hit on the same engine. */
static void test_the_engine_decides_after_a_hit(void **state) {
    (void)state;
    temp_policies t;
    temp_make(&t, 1);
    temp_write_article(&t, 1, "", "    if req.context.epoch < 0 then while true do end end");
    custos_engine *eng;
    custos_error err;
    if (temp_open(&t, CAP, &eng, &err) != CUSTOS_OK)
        fail_msg("engine_open: %s:%u: %s", err.file, err.line, err.message);
    custos_decision *d;
    assert_int_equal(custos_decision_new(&d), CUSTOS_OK);
    decide_plain(eng, d);
    assert_int_equal(custos_decision_effect(d), CUSTOS_PERMIT);
    custos_decision_free(d);
    custos_engine_close(eng);
    temp_remove(&t);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_attack_hits_the_cap),
        cmocka_unit_test(test_long_straight_line_code_is_charged_by_its_size),
        cmocka_unit_test(test_a_library_that_loops_meters_its_users),
        cmocka_unit_test(test_the_engine_decides_after_a_hit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
