/* library.c — see library.h. */
#include "library.h"

#include <lauxlib.h>
#include <stdio.h>
#include <string.h>

#include "buffer_limits.h"
#include "config.h"
#include "error.h"
#include "function_lines.h"

static int make_cache(lua_State *L) {
    library_loader *ll = lua_touserdata(L, 1);
    lua_newtable(L);
    ll->cache_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    return 0;
}

custos_status library_loader_init(library_loader *ll, library_module *const *libraries,
                                  const size_t *count, arena *mem, sandbox *sb, bool record) {
    ll->libraries = libraries;
    ll->library_count = count;
    ll->mem = mem;
    ll->sb = sb;
    ll->open = true;
    ll->record = record;
    lua_State *L = sandbox_state(sb);
    lua_pushcfunction(L, make_cache);
    lua_pushlightuserdata(L, ll);
    int rc = lua_pcall(L, 1, 0, 0);
    if (rc != LUA_OK) {
        lua_pop(L, 1);
        return sandbox_blame_memory(sb, sandbox_status_of(rc), NULL);
    }
    return CUSTOS_OK;
}

/* The library `name` as seen from the folders own_dir then shared_dir, or SIZE_MAX. */
static size_t find_library(const library_loader *ll, const char *name, const char *own_dir,
                           const char *shared_dir) {
    const char *dirs[2] = {own_dir, shared_dir};
    for (size_t d = 0; d < 2; d++) {
        if (!dirs[d]) continue;
        for (size_t i = 0; i < *ll->library_count; i++) {
            const library_module *lib = &(*ll->libraries)[i];
            if (strcmp(lib->name, name) == 0 && strcmp(lib->dir, dirs[d]) == 0) return i;
        }
    }
    return SIZE_MAX;
}

/* What a library's environment needs: the loader (per sandbox) and the library (in the bundle,
 * shared read-only by every thread) — kept on the C stack for the duration of its load. */
typedef struct library_env {
    library_loader *ll;
    const library_module *lib;
} library_env;

static void add_require(lua_State *L, int env, library_loader *ll, const char *own_dir,
                        const char *shared_dir);
static void prepare_library_env(lua_State *L, int env, void *ud);

/* require(name): upvalues are the loader and the folders to look in. */
static int require_library(lua_State *L) {
    library_loader *ll = lua_touserdata(L, lua_upvalueindex(1));
    const char *own = lua_tostring(L, lua_upvalueindex(2));
    const char *shared = lua_tostring(L, lua_upvalueindex(3));
    const char *name = luaL_checkstring(L, 1);
    if (!ll->open)
        return luaL_error(L, "require is allowed only at the top of a module, while it loads");
    size_t i = find_library(ll, name, own, shared);
    if (i == SIZE_MAX) {
        if (!own && !shared)
            return luaL_error(L,
                              "no library '%s': there is no lib/ folder in this regime's folder "
                              "or beside it",
                              name);
        return luaL_error(L, "no library '%s' (looked for %s.lua in %s%s%s)", name, name,
                          own ? own : shared, own && shared ? " and " : "",
                          own && shared ? shared : "");
    }
    library_module *lib = &(*ll->libraries)[i];
    lua_rawgeti(L, LUA_REGISTRYINDEX, ll->cache_ref);
    int cache = lua_gettop(L);
    int cached = lua_rawgeti(L, cache, (lua_Integer)i);
    if (cached == LUA_TBOOLEAN)
        return luaL_error(L, "library '%s' requires itself (a cycle)", name);
    if (cached == LUA_TNIL) {
        lua_pop(L, 1);
        lua_pushboolean(L, 0); /* loading */
        lua_rawseti(L, cache, (lua_Integer)i);
        sandbox_code_shape shape = {false, 0}; /* read from its bytecode, with its requires' */
        sandbox_code_shape *outer = ll->record ? sandbox_collect_shape(ll->sb, &shape) : NULL;
        custos_error err;
        library_env env = {ll, lib};
        custos_status st =
            sandbox_load_module(ll->sb, lib->chunkname, lib->path, lib->source, lib->source_len,
                                CUSTOS_LOAD_MEMORY_LIMIT, CUSTOS_LOAD_INSTRUCTION_LIMIT,
                                prepare_library_env, &env, &err);
        if (ll->record) sandbox_collect_shape(ll->sb, outer);
        if (st) {
            lua_pushnil(L);
            lua_rawseti(L, cache, (lua_Integer)i);
            if (err.line)
                return luaL_error(L, "library %s:%d: %s", err.file, (int)err.line, err.message);
            return luaL_error(L, "library %s: %s", err.file, err.message);
        }
        if (ll->record) {
            lib->deep_loops = shape.loops;
            lib->deep_largest_nested = shape.largest_nested;
            function_lines(L, ll->mem, lib->chunkname, &lib->lines, &lib->line_count);
        }
        lua_rawgeti(L, LUA_REGISTRYINDEX, sandbox_prelude_refs(ll->sb)->freeze);
        lua_insert(L, -2);
        lua_call(L, 1, 1);
        lua_pushvalue(L, -1);
        lua_rawseti(L, cache, (lua_Integer)i);
    }
    sandbox_code_shape deep = {lib->deep_loops, lib->deep_largest_nested};
    sandbox_merge_shape(ll->sb, &deep);
    return 1;
}

/* Adds `require` to env, resolving in own_dir then shared_dir. */
static void add_require(lua_State *L, int env, library_loader *ll, const char *own_dir,
                        const char *shared_dir) {
    lua_pushlightuserdata(L, ll);
    if (own_dir)
        lua_pushstring(L, own_dir);
    else
        lua_pushnil(L);
    if (shared_dir)
        lua_pushstring(L, shared_dir);
    else
        lua_pushnil(L);
    lua_pushcclosure(L, require_library, 3);
    lua_setfield(L, env, "require");
}

/* A library resolves its own requires from where it lives: a regime's library like its
 * regime, a shared library among the shared ones. */
static void prepare_library_env(lua_State *L, int env, void *ud) {
    library_env *e = ud;
    add_require(L, env, e->ll, e->lib->dir, e->lib->shared_dir);
}

void library_prepare_env(lua_State *L, int env, void *ud) {
    library_scope *scope = ud;
    add_require(L, env, scope->ll, scope->own_dir, scope->shared_dir);
}

typedef struct library_call {
    library_loader *ll;
    const library_module *lib;
} library_call;

/* Calls require(name) through a closure resolving in the library's own folder.  Run under
 * lua_pcall: building the closure and the name allocates, and may raise. */
static int require_protected(lua_State *L) {
    const library_call *call = lua_touserdata(L, 1);
    lua_pushlightuserdata(L, call->ll);
    lua_pushstring(L, call->lib->dir);
    lua_pushnil(L);
    lua_pushcclosure(L, require_library, 3);
    lua_pushstring(L, call->lib->name);
    lua_call(L, 1, 0);
    return 0;
}

custos_status library_load_all(library_loader *ll, custos_error *err) {
    lua_State *L = sandbox_state(ll->sb);
    bool open = ll->open;
    ll->open = true;
    custos_status st = CUSTOS_OK;
    for (size_t i = 0; i < *ll->library_count && !st; i++) {
        const library_module *lib = &(*ll->libraries)[i];
        library_call call = {ll, lib};
        lua_pushcfunction(L, require_protected);
        lua_pushlightuserdata(L, &call);
        if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
            char msg[CUSTOS_MESSAGE_BUFFER];
            sandbox_pop_error_text(L, msg, sizeof msg);
            st = error_set(err, CUSTOS_E_POLICY, lib->path, 0, 0, "%s", msg);
            st = sandbox_blame_memory(ll->sb, st, err);
        }
    }
    ll->open = open;
    return st;
}
