/*
 * test_lua_safety.c — the library and the Lua C API: nothing unprotected, nothing printed.
 *
 * Not run under valgrind (tests/CMakeLists.txt): the panic test aborts a forked child on
 * purpose, and valgrind would report that child's abort on its stderr.
 */
#include "test_support.h"

#include <errno.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lua.h>

#include "sandbox.h"

/* ---- a regime written to a temporary folder ------------------------------------------- */

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    if (!f) fail_msg("cannot write %s: %s", path, strerror(errno));
    fputs(text, f);
    fclose(f);
}

static const char regime_lua[] =
    "return regime {\n"
    "  id = \"deep\",\n"
    "  title = { zh = \"深\", en = \"Deep\" },\n"
    "  document = \"TEST-DEEP\",\n"
    "  issued = \"2020-01-01\", effective = \"2020-01-01\",\n"
    "  articles = { { number = \"1\", title = { zh = \"一\", en = \"One\" }, encoded = true } },\n"
    "}\n";

/* An article whose rule reaches `depth` closures, each through the upvalue of the one
 * before: what the line collector walks at load time. */
static void write_deep_article(const char *folder, unsigned depth) {
    char path[1024], text[2048];
    snprintf(path, sizeof path, "%s/art1.lua", folder);
    snprintf(text, sizeof text,
             "local f = function() return true end\n"
             "for i = 1, %u do\n"
             "  local g = f\n"
             "  f = function() return g() end\n"
             "end\n"
             "return article {\n"
             "  number = \"1\",\n"
             "  text = { zh = \"第一条\", en = \"Article 1\" },\n"
             "  citation = \"TEST-DEEP 第一条\",\n"
             "  messages = { ok = { zh = \"可以。\", en = \"Allowed.\" } },\n"
             "  rule = function(req, data)\n"
             "    if f() then return permit(\"ok\") end\n"
             "  end,\n"
             "}\n",
             depth);
    write_file(path, text);
}

typedef struct temp_policies {
    char root[256];   /* the --policies folder */
    char regime[300]; /* root/deep */
} temp_policies;

static void make_deep_policies(temp_policies *t, unsigned depth) {
    snprintf(t->root, sizeof t->root, "/tmp/custos-test-deep-XXXXXX");
    if (!mkdtemp(t->root)) fail_msg("mkdtemp: %s", strerror(errno));
    snprintf(t->regime, sizeof t->regime, "%s/deep", t->root);
    if (mkdir(t->regime, 0700) != 0) fail_msg("mkdir: %s", strerror(errno));
    char path[1024];
    snprintf(path, sizeof path, "%s/regime.lua", t->regime);
    write_file(path, regime_lua);
    write_deep_article(t->regime, depth);
}

static void remove_policies(const temp_policies *t) {
    char path[1024];
    snprintf(path, sizeof path, "%s/art1.lua", t->regime);
    unlink(path);
    snprintf(path, sizeof path, "%s/regime.lua", t->regime);
    unlink(path);
    rmdir(t->regime);
    rmdir(t->root);
}

static custos_config *config_for(const char *policies) {
    custos_config *cfg;
    assert_int_equal(custos_config_new(&cfg), CUSTOS_OK);
    assert_int_equal(custos_config_add_policies(cfg, policies), CUSTOS_OK);
    return cfg;
}

/* The depth a chain of closures can reach before the line collector's recursion overran the
 * Lua stack (it pushed a value per level with no lua_checkstack). */
#define DEEP_CHAIN 5000

static void deep_closure_chains_load(void **state) {
    (void)state;
    temp_policies t;
    make_deep_policies(&t, DEEP_CHAIN);
    custos_config *cfg = config_for(t.root);
    custos_engine *eng = NULL;
    custos_error err;
    custos_status st = custos_engine_open(cfg, &eng, &err);
    if (st != CUSTOS_OK) fail_msg("engine_open: %s:%u: %s", err.file, err.line, err.message);

    /* the rule still decides, and the lines it can run were collected */
    custos_request *req = parse_request("{context: {time: '2026-01-01T10:00:00+08:00'}}");
    custos_decision *d;
    assert_int_equal(custos_decision_new(&d), CUSTOS_OK);
    assert_int_equal(custos_decide(eng, req, CUSTOS_DECIDE_COVERAGE, d, &err), CUSTOS_OK);
    assert_int_equal(custos_decision_effect(d), CUSTOS_PERMIT);
    assert_true(custos_decision_line_count(d) > 0);

    /* a reload walks the same chain again */
    write_deep_article(t.regime, DEEP_CHAIN * 2);
    st = custos_engine_reload(eng, cfg, &err);
    if (st != CUSTOS_OK) fail_msg("engine_reload: %s:%u: %s", err.file, err.line, err.message);
    assert_int_equal(custos_decide(eng, req, 0, d, &err), CUSTOS_OK);
    assert_int_equal(custos_decision_effect(d), CUSTOS_PERMIT);

    custos_decision_free(d);
    custos_request_free(req);
    custos_engine_close(eng);
    custos_config_free(cfg);
    remove_policies(&t);
}

/* ---- statuses of failed protected calls ------------------------------------------------ */

/* A sandbox that cannot fit its prelude under its ceiling is out of memory — at every ceiling,
 * not only when the failed allocation happened to fill it exactly. */
static void a_sandbox_without_room_is_out_of_memory(void **state) {
    (void)state;
    unsigned refused = 0;
    for (size_t ceiling = 4 * 1024; ceiling <= 256 * 1024; ceiling += 4 * 1024) {
        sandbox *s = NULL;
        custos_error err;
        memset(&err, 0, sizeof err);
        custos_status st = sandbox_open(ceiling, &s, &err);
        if (st == CUSTOS_OK) {
            sandbox_close(s);
            continue;
        }
        refused++;
        if (st != CUSTOS_E_NOMEM)
            fail_msg("ceiling %zu: status %s (%s), expected nomem", ceiling, custos_status_name(st),
                     err.message);
        assert_null(s);
    }
    assert_true(refused > 0); /* the smallest ceilings cannot hold the prelude */
}

static void lua_statuses_map_to_what_they_are(void **state) {
    (void)state;
    assert_int_equal(sandbox_status_of(LUA_ERRMEM), CUSTOS_E_NOMEM);
    assert_int_equal(sandbox_status_of(LUA_ERRRUN), CUSTOS_E_INTERNAL);
    assert_int_equal(sandbox_status_of(LUA_ERRERR), CUSTOS_E_INTERNAL);
}

/* Error objects become text without Lua converting them (which allocates), as Lua would
 * write them. */
static void error_objects_become_text(void **state) {
    (void)state;
    sandbox *s;
    custos_error err;
    assert_int_equal(sandbox_open(64u << 20, &s, &err), CUSTOS_OK);
    lua_State *L = sandbox_state(s);
    char buf[128];
    int top = lua_gettop(L);
    lua_pushinteger(L, 42);
    sandbox_pop_error_text(L, buf, sizeof buf);
    assert_string_equal(buf, "error object is a number (42)");
    lua_pushnumber(L, 1.5);
    sandbox_pop_error_text(L, buf, sizeof buf);
    assert_string_equal(buf, "error object is a number (1.5)");
    lua_pushnumber(L, 2.0);
    sandbox_pop_error_text(L, buf, sizeof buf);
    assert_string_equal(buf, "error object is a number (2.0)");
    lua_pushboolean(L, 1);
    sandbox_pop_error_text(L, buf, sizeof buf);
    assert_string_equal(buf, "error object is a boolean value");
    lua_pushliteral(L, "plain text");
    sandbox_pop_error_text(L, buf, sizeof buf);
    assert_string_equal(buf, "plain text");
    assert_int_equal(lua_gettop(L), top);
    sandbox_close(s);
}

/* ---- a panic prints nothing ------------------------------------------------------------ */

/* An error raised outside every protected call reaches the panic handler: the process aborts
 * (the state cannot be trusted after it) but the library writes nothing to stderr. */
static void a_panic_writes_nothing(void **state) {
    (void)state;
    int pipe_fds[2];
    assert_int_equal(pipe(pipe_fds), 0);
    fflush(NULL);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        dup2(pipe_fds[1], STDERR_FILENO);
        dup2(pipe_fds[1], STDOUT_FILENO);
        close(pipe_fds[0]);
        sandbox *s;
        if (sandbox_open(64u << 20, &s, NULL) != CUSTOS_OK) _exit(3);
        lua_State *L = sandbox_state(s);
        lua_pushliteral(L, "an error no pcall catches");
        lua_error(L); /* panics */
        _exit(4);
    }
    close(pipe_fds[1]);
    char out[512];
    size_t got = 0;
    ssize_t n;
    while ((n = read(pipe_fds[0], out + got, sizeof out - 1 - got)) > 0) got += (size_t)n;
    out[got] = '\0';
    close(pipe_fds[0]);
    int status;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGABRT);
    if (got) fail_msg("the panic printed: %s", out);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(deep_closure_chains_load),
        cmocka_unit_test(a_sandbox_without_room_is_out_of_memory),
        cmocka_unit_test(lua_statuses_map_to_what_they_are),
        cmocka_unit_test(error_objects_become_text),
        cmocka_unit_test(a_panic_writes_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
