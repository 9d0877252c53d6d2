/*
 * test_purity.c — guarantee 1: nothing a module does survives into another module, another
 * regime or a later decision.  Every attack of tests/fixtures/purity/ (frozen tables handing out
 * their real table through pairs, module-level and library tables, module globals, metatables,
 * the string library, custos.*, custos_engine_eval) must fail with its named error, and the
 * decisions after it — on the same engine, the same thread — must be byte for byte those of a
 * fresh engine.  Modules that keep state in their upvalues are refused at load, with file and
 * line.
 */
#include "test_support.h"

#include <lauxlib.h>
#include <lualib.h>

#include "bytecode_scan.h"

#define ATTACKS "tests/fixtures/purity/attacks"

/* The decision on `text` as JSON (malloc'd). */
static char *decide_json(custos_engine *eng, const char *text) {
    custos_request *req = parse_request(text);
    custos_decision *d;
    assert_int_equal(custos_decision_new(&d), CUSTOS_OK);
    custos_error err;
    custos_status st = custos_decide(eng, req, 0, d, &err);
    if (st != CUSTOS_OK) fail_msg("decide: %s", err.message);
    const char *json;
    assert_int_equal(custos_decision_json(d, &json), CUSTOS_OK);
    char *copy = strdup(json);
    custos_decision_free(d);
    custos_request_free(req);
    return copy;
}

static char *request_for(const char *action, const char *subject) {
    char *text = malloc(512);
    snprintf(text, 512,
             "{\"subject\": {\"id\": \"%s\", \"org\": \"acme\", \"role\": \"staff\"},"
             " \"action\": \"%s\", \"context\": {\"time\": \"2026-01-01T00:00:00Z\"}}",
             subject, action);
    return text;
}

/* The honest article's decision, as a fresh engine makes it (see its message template). */
static const char honest_message[] =
    "rep=abab has=true has_x=false list=2 remembered=false subject=alice count=2 "
    "order=1,3,a,b,c fields=id,org,role index=foo! call=42 method=44";

typedef struct attack {
    const char *action;
    const char *article;
    const char *error; /* a piece of the error it must fail with */
} attack;

static const attack attacks[] = {
    {"pairs-string", "2",
     "art02_pairs_string.lua:13: attempt to modify a frozen table (field 'rep')"},
    {"pairs-custos", "3",
     "art03_pairs_custos.lua:13: attempt to modify a frozen table (field 'has')"},
    {"pairs-request", "4",
     "art04_pairs_request.lua:13: attempt to modify a frozen table (field 'id')"},
    {"module-table", "5", "art05_module_table.lua:13: attempt to modify a frozen table"},
    {"library-table", "6", "art06_library_table.lua:12: attempt to modify a frozen table"},
    {"library-upvalue", "7", "stash.lua:9: attempt to modify a frozen table (field 'alice')"},
    {"global-table", "8",
     "art08_global_table.lua:13: attempt to modify a frozen table (field 'last')"},
    {"setmetatable", "9", "art09_setmetatable.lua:12: cannot change a protected metatable"},
    {"metamethod-self", "10", "art10_metamethod_self.lua:3: attempt to modify a frozen table"},
    {"iterator-state", "11", "art11_iterator_state.lua:16: attempt to modify a frozen table"},
    {"library-field", "12", "art12_library_field.lua:12: attempt to modify a frozen table"},
    {"string-metatable", "13", "art13_string_metatable.lua:12: attempt to index a string value"},
    {"class-metatable", "14",
     "art14_class_metatable.lua:17: attempt to modify a frozen table (field 'leak')"},
};

static void assert_failed_with(const char *json, const attack *a) {
    char article[64];
    snprintf(article, sizeof article, "\"article\":\"%s\",\"message\":\"", a->article);
    const char *at = strstr(json, article);
    if (!strstr(json, "\"decision\":\"deny\"") || !at || !strstr(at, a->error))
        fail_msg("%s: expected a deny with the error \"%s\", got %s", a->action, a->error, json);
}

/* Each attack, then the honest decision and one on another module: identical to a fresh
 * engine's, after every attack (they accumulate on one engine and one thread). */
static void test_attacks_fail_and_leave_nothing(void **state) {
    (void)state;
    custos_engine *fresh = open_engine(ATTACKS, NULL);
    char *use = request_for("use", "alice");
    char *other = request_for("module-table", "bob"); /* an attack module, on another subject */
    char *expected_use = decide_json(fresh, use);
    char *expected_other = decide_json(fresh, other);
    custos_engine_close(fresh);

    custos_engine *eng = open_engine(ATTACKS, NULL);
    for (size_t i = 0; i < sizeof attacks / sizeof *attacks; i++) {
        const attack *a = &attacks[i];
        char *text = request_for(a->action, "alice");
        char *first = decide_json(eng, text);
        char *second = decide_json(eng, text); /* an attack that worked once would show now */
        free(text);
        char *after_use = decide_json(eng, use);
        if (strcmp(after_use, expected_use) != 0)
            fail_msg("after %s:\n  expected %s\n  got      %s", a->action, expected_use, after_use);
        char *after_other = decide_json(eng, other);
        if (strcmp(after_other, expected_other) != 0)
            fail_msg("after %s (module-table):\n  expected %s\n  got      %s", a->action,
                     expected_other, after_other);
        assert_failed_with(first, a);
        assert_failed_with(second, a);
        free(first);
        free(second);
        free(after_use);
        free(after_other);
    }
    custos_engine_close(eng);
    free(expected_use);
    free(expected_other);
    free(use);
    free(other);
}

/* What the honest article sees: module-level tables (sealed) and the request iterate in a fixed
 * order (numbers ascending, then strings bytewise), a sealed table keeps its metamethods, and a
 * closure may count in a local of the rule's call. */
static void test_sealed_modules_still_work(void **state) {
    (void)state;
    custos_engine *eng = open_engine(ATTACKS, NULL);
    char *use = request_for("use", "alice");
    char *json = decide_json(eng, use);
    if (!strstr(json, honest_message)) fail_msg("the honest decision: %s", json);
    free(json);
    free(use);
    custos_engine_close(eng);
}

/* The shipped policies plus a hostile regime folder: mallory's request tries to replace
 * custos.date_end, custos.has and string.format for everyone; gz-2012's denial of carol's
 * request (retention expired) must stay the same denial, byte for byte. */
static custos_engine *open_with_flip(void) {
    char path[1024];
    custos_config *cfg;
    assert_int_equal(custos_config_new(&cfg), CUSTOS_OK);
    assert_int_equal(custos_config_add_policies(cfg, source_path(path, sizeof path, "policies")),
                     CUSTOS_OK);
    assert_int_equal(custos_config_add_policies(
                         cfg, source_path(path, sizeof path, "tests/fixtures/purity/flip")),
                     CUSTOS_OK);
    static const char *const data[] = {"contracts", "cooperations", "evaluations", "gz-extra",
                                       "holidays",  "providers",    "purposes",    "subjects"};
    for (size_t i = 0; i < sizeof data / sizeof *data; i++) {
        char relative[128];
        snprintf(relative, sizeof relative, "examples/data/%s.yaml", data[i]);
        assert_int_equal(custos_config_add_data(cfg, source_path(path, sizeof path, relative)),
                         CUSTOS_OK);
    }
    custos_engine *eng = NULL;
    custos_error err;
    if (custos_engine_open(cfg, &eng, &err) != CUSTOS_OK)
        fail_msg("engine_open: %s:%u: %s", err.file, err.line, err.message);
    custos_config_free(cfg);
    return eng;
}

static char *read_source_file(const char *relative) {
    char path[1024];
    FILE *f = fopen(source_path(path, sizeof path, relative), "rb");
    if (!f) fail_msg("cannot open %s", path);
    char *text = calloc(1, 1 << 16);
    size_t n = fread(text, 1, (1 << 16) - 1, f);
    fclose(f);
    text[n] = '\0';
    return text;
}

static void test_hostile_regime_cannot_flip_a_shipped_deny(void **state) {
    (void)state;
    char *carol = read_source_file("examples/requests/after-retention.yaml");
    char *sale = read_source_file("examples/requests/sale.yaml");
    const char *mallory = "{\"subject\": {\"id\": \"mallory\"}, \"action\": \"access\","
                          " \"context\": {\"time\": \"2026-11-22T10:00:00+08:00\"}}";
    custos_engine *fresh = open_with_flip();
    char *expected_carol = decide_json(fresh, carol);
    char *expected_sale = decide_json(fresh, sale);
    custos_engine_close(fresh);
    if (!strstr(expected_carol, "\"decision\":\"deny\"") ||
        !strstr(expected_carol, "retention-expired"))
        fail_msg("carol's request should be denied for retention: %s", expected_carol);

    custos_engine *eng = open_with_flip();
    char *flip = decide_json(eng, mallory);
    char *after_carol = decide_json(eng, carol);
    char *after_sale = decide_json(eng, sale);
    assert_string_equal(after_carol, expected_carol);
    assert_string_equal(after_sale, expected_sale);
    if (!strstr(flip, "art1.lua:13: attempt to modify a frozen table (field 'date_end')"))
        fail_msg("the flip should fail on the frozen custos table: %s", flip);
    custos_engine_close(eng);
    free(flip);
    free(after_carol);
    free(after_sale);
    free(expected_carol);
    free(expected_sale);
    free(carol);
    free(sale);
}

/* custos_engine_eval (the REPL's `=`) runs code with what a policy sees: every channel it tries
 * fails or stays in its own environment, and the next decision is a fresh engine's. */
typedef struct eval_attack {
    const char *code;
    const char *error; /* NULL: may succeed, harmlessly */
} eval_attack;

static const eval_attack eval_attacks[] = {
    {"local _, s = pairs(string); s.rep = function() return 'x' end", "frozen table (field 'rep')"},
    {"local _, c = pairs(custos); c.has = function() return true end",
     "frozen table (field 'has')"},
    {"local _, r = pairs(req); r.action = 'x'", "frozen table (field 'action')"},
    {"local _, r = pairs(req.subject); r.id = 'root'", "frozen table (field 'id')"},
    {"string.rep = nil", "frozen table (field 'rep')"},
    {"custos.has = nil", "frozen table (field 'has')"},
    {"table.concat = nil", "frozen table (field 'concat')"},
    {"req.subject.id = 'root'", "frozen table (field 'id')"},
    {"setmetatable(req, {})", "cannot change a protected metatable"},
    {"setmetatable(string, {})", "cannot change a protected metatable"},
    {"getmetatable('').__index = {}", "attempt to index a string value"},
    {"for _, v in pairs(custos) do if type(v) == 'table' then v.x = 1 end end; "
     "local f, s = pairs(custos); s.messages = nil",
     "frozen table (field 'messages')"},
    {"leaked = 42", NULL},
    {"return leaked", "undefined global 'leaked'"},
    {"return next(req), rawlen(req), rawequal(req, req), select('#', pairs(req))", NULL},
    {"for _ in ipairs(string) do end; return #req, #string, custos.field(string, 'rep') ~= nil",
     NULL},
};

static void test_eval_leaves_nothing(void **state) {
    (void)state;
    char *use = request_for("use", "alice");
    custos_engine *fresh = open_engine(ATTACKS, NULL);
    char *expected = decide_json(fresh, use);
    custos_engine_close(fresh);

    custos_engine *eng = open_engine(ATTACKS, NULL);
    custos_request *req = parse_request(use);
    for (size_t i = 0; i < sizeof eval_attacks / sizeof *eval_attacks; i++) {
        const eval_attack *a = &eval_attacks[i];
        char *out = NULL;
        custos_error err;
        custos_status st = custos_engine_eval(eng, req, a->code, &out, &err);
        if (a->error) {
            if (st != CUSTOS_E_POLICY || !strstr(err.message, a->error))
                fail_msg("eval %s: expected the error \"%s\", got status %d: %s", a->code, a->error,
                         (int)st, st ? err.message : out);
        } else if (st != CUSTOS_OK) {
            fail_msg("eval %s: %s", a->code, err.message);
        }
        custos_free(out);
        char *after = decide_json(eng, use);
        if (strcmp(after, expected) != 0)
            fail_msg("after eval %s:\n  expected %s\n  got      %s", a->code, expected, after);
        free(after);
    }
    custos_request_free(req);
    custos_engine_close(eng);
    free(expected);
    free(use);
}

/* Modules keeping state between calls in variables shared by every call are refused at load:
 * the file, the line of the assignment and the variable's name. */
typedef struct refused {
    const char *folder;
    const char *file; /* the end of the path the error names */
    unsigned line;
    const char *message;
} refused;

static const refused refusals[] = {
    {"tests/fixtures/purity/state-counter", "state/art1.lua", 11, "assigns to 'n'"},
    {"tests/fixtures/purity/state-nested", "state/art1.lua", 11, "assigns to 'n'"},
    {"tests/fixtures/purity/state-factory", "state/art1.lua", 4, "assigns to 'c'"},
    {"tests/fixtures/purity/state-env", "state/art1.lua", 10, "assigns to '_ENV'"},
    {"tests/fixtures/purity/state-library", "state/art1.lua", 2,
     "lib/counting.lua:6: assigns to 'hits'"},
    /* not state, but what sealing costs: the frozen copies count against the load's memory */
    {"tests/fixtures/purity/state-huge", "state/art1.lua", 0,
     "while loading: memory limit exceeded"},
};

static void test_module_state_is_refused_at_load(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof refusals / sizeof *refusals; i++) {
        const refused *r = &refusals[i];
        char path[1024];
        custos_config *cfg;
        assert_int_equal(custos_config_new(&cfg), CUSTOS_OK);
        assert_int_equal(custos_config_add_policies(cfg, source_path(path, sizeof path, r->folder)),
                         CUSTOS_OK);
        custos_engine *eng = NULL;
        custos_error err;
        custos_status st = custos_engine_open(cfg, &eng, &err);
        custos_config_free(cfg);
        if (st == CUSTOS_OK) {
            custos_engine_close(eng);
            fail_msg("%s: loaded", r->folder);
        }
        assert_int_equal(st, CUSTOS_E_POLICY);
        size_t n = strlen(err.file), m = strlen(r->file);
        if (n < m || strcmp(err.file + n - m, r->file) != 0 || err.line != r->line ||
            !strstr(err.message, r->message) ||
            (r->line && !strstr(err.message, "shared by every call")))
            fail_msg("%s: expected %s:%u: ...%s..., got %s:%u: %s", r->folder, r->file, r->line,
                     r->message, err.file, err.line, err.message);
    }
}

/* The scanner itself: which assignments count as state.  Each chunk returns the function to
 * scan (a closure that outlives the chunk, as a module's functions outlive its load). */
typedef struct write_case {
    const char *code;
    bool found;
    const char *name; /* the upvalue written */
    unsigned line;
} write_case;

static const write_case write_cases[] = {
    {"local n = 0\nreturn function() n = n + 1 end", true, "n", 2},
    {"local n = 0\nreturn function()\n local function f() n = 1 end\n f() end", true, "n", 3},
    {"local n = 0\nreturn function()\n local function f()\n local function g() n = 1 end\n "
     "g() end\n f() end",
     true, "n", 4},
    {"return function() _ENV = {} end", true, "_ENV", 1},
    {"local t = {}\nreturn function() t.x = 1; return t end", false, NULL, 0},
    {"local n = 0\nreturn function() return n + 1 end", false, NULL, 0},
    {"return function()\n local c = 0\n local function inc() c = c + 1 end\n inc()\n return c "
     "end",
     false, NULL, 0},
    {"return function(x)\n x = x + 1\n local y = x; y = y * 2; return y end", false, NULL, 0},
    /* a factory: scanning the factory finds nothing (its local is fresh per call), scanning
     * what it made finds the write */
    {"local function counter()\n local c = 0\n return function() c = c + 1 end\n end\nreturn "
     "counter",
     false, NULL, 0},
    {"local function counter()\n local c = 0\n return function() c = c + 1 end\n end\nreturn "
     "counter()",
     true, "c", 3},
};

static void test_scanner_finds_writes_to_shared_variables(void **state) {
    (void)state;
    lua_State *L = luaL_newstate();
    for (size_t i = 0; i < sizeof write_cases / sizeof *write_cases; i++) {
        const write_case *c = &write_cases[i];
        if (luaL_loadbufferx(L, c->code, strlen(c->code), "=case", "t") != LUA_OK ||
            lua_pcall(L, 0, 1, 0) != LUA_OK)
            fail_msg("case %zu: %s", i, lua_tostring(L, -1));
        bytecode_upvalue_write w;
        char why[256];
        if (!bytecode_find_upvalue_write(L, -1, &w, why, sizeof why))
            fail_msg("case %zu: refused: %s", i, why);
        if (w.found != c->found) fail_msg("case %zu: found %d, expected %d", i, w.found, c->found);
        if (c->found) {
            const char *name = lua_getupvalue(L, -1, w.upvalue + 1);
            if (!name || strcmp(name, c->name) != 0 || w.line != c->line)
                fail_msg("case %zu: '%s' line %u, expected '%s' line %u", i, name ? name : "?",
                         w.line, c->name, c->line);
            lua_pop(L, 1);
        }
        lua_settop(L, 0);
    }
    /* not a Lua function: refused, never "no write" */
    bytecode_upvalue_write w;
    char why[256];
    lua_pushcfunction(L, luaopen_base);
    assert_false(bytecode_find_upvalue_write(L, -1, &w, why, sizeof why));
    lua_close(L);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sealed_modules_still_work),
        cmocka_unit_test(test_attacks_fail_and_leave_nothing),
        cmocka_unit_test(test_hostile_regime_cannot_flip_a_shipped_deny),
        cmocka_unit_test(test_eval_leaves_nothing),
        cmocka_unit_test(test_module_state_is_refused_at_load),
        cmocka_unit_test(test_scanner_finds_writes_to_shared_variables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
