/* data_view.c — see data_view.h. */
#include "data_view.h"

#include <lauxlib.h>

static void push_value(lua_State *L, data_view *v, data_node n);

/* Pushes n as plain Lua tables (to be frozen as a whole). */
static void push_plain(lua_State *L, const data_store *s, data_node n) {
    luaL_checkstack(L, 3, "a value nested too deeply");
    uint32_t count = data_store_count(s, n);
    switch (data_store_kind(s, n)) {
    case DATA_BOOL: lua_pushboolean(L, data_store_bool(s, n)); return;
    case DATA_INT: lua_pushinteger(L, (lua_Integer)data_store_int(s, n)); return;
    case DATA_NUM: lua_pushnumber(L, (lua_Number)data_store_num(s, n)); return;
    case DATA_STR: {
        size_t len;
        const char *str = data_store_str(s, n, &len);
        lua_pushlstring(L, str, len);
        return;
    }
    case DATA_LIST:
        lua_createtable(L, (int)count, 0);
        for (uint32_t i = 0; i < count; i++) {
            push_plain(L, s, data_store_child(s, n, i));
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
        return;
    case DATA_MAP:
        lua_createtable(L, 0, (int)count);
        for (uint32_t i = 0; i < count; i++) {
            size_t len;
            const char *key = data_store_key(s, n, i, &len);
            lua_pushlstring(L, key, len);
            push_plain(L, s, data_store_child(s, n, i));
            lua_rawset(L, -3);
        }
        return;
    }
}

/* The items of the list of strings at `list` (a Lua table) as a set {s = true}. */
static void push_string_set(lua_State *L, int list, uint32_t count) {
    lua_createtable(L, 0, (int)count);
    for (uint32_t i = 0; i < count; i++) {
        lua_rawgeti(L, list, (lua_Integer)i + 1);
        lua_pushboolean(L, 1);
        lua_rawset(L, -3);
    }
}

/* Replaces the real table and its set (or nil) at the top of the stack by a table kept apart
 * (the shape is sandbox.lua's, at DATA): an empty proxy whose own metatable reads the real
 * table and holds the set under the private key. */
static void make_apart(lua_State *L, const sandbox_prelude *p) {
    int set = lua_gettop(L), real = set - 1;
    lua_createtable(L, 0, 0);
    lua_createtable(L, 0, 6);
    lua_pushvalue(L, real);
    lua_setfield(L, -2, "__index");
    lua_rawgeti(L, LUA_REGISTRYINDEX, p->apart_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_rawgeti(L, LUA_REGISTRYINDEX, p->apart_len);
    lua_setfield(L, -2, "__len");
    lua_rawgeti(L, LUA_REGISTRYINDEX, p->apart_pairs);
    lua_setfield(L, -2, "__pairs");
    lua_pushliteral(L, "frozen");
    lua_setfield(L, -2, "__metatable");
    lua_rawgeti(L, LUA_REGISTRYINDEX, p->apart_key);
    if (lua_isnil(L, set))
        lua_pushboolean(L, 1);
    else
        lua_pushvalue(L, set);
    lua_rawset(L, -3);
    lua_setmetatable(L, -2);
    lua_replace(L, real);
    lua_settop(L, real);
}

/* Pushes the list or mapping n made whole, frozen as the prelude's freeze would (nested tables
 * first: no real table is ever handed out). */
static void push_frozen(lua_State *L, const data_view *v, data_node n) {
    const data_store *s = v->store;
    luaL_checkstack(L, 6, "a value nested too deeply");
    uint32_t count = data_store_count(s, n);
    bool map = data_store_kind(s, n) == DATA_MAP;
    bool apart = !v->keep_records; /* made for one decision: kept apart (sandbox.lua) */
    if (!apart) lua_rawgeti(L, LUA_REGISTRYINDEX, v->prelude->frozen_data);
    lua_createtable(L, map ? 0 : (int)count, map ? (int)count : 0);
    int real = lua_gettop(L);
    for (uint32_t i = 0; i < count; i++) {
        data_node child = data_store_child(s, n, i);
        data_kind kind = data_store_kind(s, child);
        if (map) {
            size_t len;
            const char *key = data_store_key(s, n, i, &len);
            lua_pushlstring(L, key, len);
        }
        if (kind == DATA_LIST || kind == DATA_MAP)
            push_frozen(L, v, child);
        else
            push_plain(L, s, child);
        if (map)
            lua_rawset(L, real);
        else
            lua_rawseti(L, real, (lua_Integer)i + 1);
    }
    /* a list kept apart lives for one decision: a short one is scanned rather than given a set
     * that costs more to make than the few lookups it would serve */
    if (data_store_all_strings(s, n) && (!apart || count > DATA_VIEW_SCAN_ITEMS))
        push_string_set(L, real, count);
    else
        lua_pushnil(L);
    if (apart) {
        make_apart(L, v->prelude);
        return;
    }
    lua_call(L, 2, 1);
}

/* The value of key in node n (upvalues: the view, n), or DATA_NONE. */
static data_node child_for_key(lua_State *L, const data_store *s, data_node n, int key) {
    if (data_store_kind(s, n) == DATA_MAP) {
        if (lua_type(L, key) != LUA_TSTRING) return DATA_NONE;
        size_t len;
        const char *k = lua_tolstring(L, key, &len);
        return data_store_find(s, n, k, len);
    }
    if (lua_type(L, key) != LUA_TNUMBER) return DATA_NONE;
    int exact = 0;
    lua_Integer i = lua_tointegerx(L, key, &exact);
    if (!exact || i < 1 || i > (lua_Integer)data_store_count(s, n)) return DATA_NONE;
    return data_store_child(s, n, (uint32_t)(i - 1));
}

/* Makes a value, under lua_pcall (so the exemption always ends): (view, node) -> value. */
static int make_protected(lua_State *L) {
    data_view *v = lua_touserdata(L, 1);
    data_node n = (data_node)lua_tointeger(L, 2);
    push_value(L, v, n);
    return 1;
}

/* A lazy table's keys in the order pairs walks, under lua_pcall: (view, node) -> the list of
 * 1..n for a list, of the sorted keys for a mapping. */
static int keys_protected(lua_State *L) {
    data_view *v = lua_touserdata(L, 1);
    data_node n = (data_node)lua_tointeger(L, 2);
    const data_store *s = v->store;
    uint32_t count = data_store_count(s, n);
    lua_createtable(L, (int)count, 0);
    bool map = data_store_kind(s, n) == DATA_MAP;
    for (uint32_t i = 0; i < count; i++) {
        if (map) {
            size_t len;
            const char *key = data_store_key(s, n, i, &len);
            lua_pushlstring(L, key, len);
        } else {
            lua_pushinteger(L, (lua_Integer)i + 1);
        }
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    bool keep = v->kept + count <= DATA_VIEW_CACHE_NODES;
    if (keep) v->kept += count;
    lua_pushboolean(L, keep);
    return 2;
}

/* Runs fn(view, node) exempt from the decision's limits (see data_view.h); leaves its `results`
 * values. */
static void run_exempt(lua_State *L, lua_CFunction fn, data_view *v, data_node n, int results) {
    lua_pushcfunction(L, fn);
    lua_pushlightuserdata(L, v);
    lua_pushinteger(L, (lua_Integer)n);
    size_t token = sandbox_exempt_begin(L);
    int rc = lua_pcall(L, 2, results, 0);
    sandbox_exempt_end(L, token);
    if (rc != LUA_OK) lua_error(L);
}

/* The lazy table's keys, and whether to keep them (upvalues: the view, the node). */
static int view_keys(lua_State *L) {
    run_exempt(L, keys_protected, lua_touserdata(L, lua_upvalueindex(1)),
               (data_node)lua_tointeger(L, lua_upvalueindex(2)), 2);
    return 2;
}

/* A lazy table's __index miss (cache, key): looks key up in C, makes its value, keeps it in
 * the cache.  Upvalues: the view, the node. */
static int view_fetch(lua_State *L) {
    data_view *v = lua_touserdata(L, lua_upvalueindex(1));
    data_node n = (data_node)lua_tointeger(L, lua_upvalueindex(2));
    data_node child = child_for_key(L, v->store, n, 2);
    if (child == DATA_NONE) {
        lua_pushnil(L);
        return 1;
    }
    /* what making it adds: the whole value, or a lazy proxy (and a list's set) */
    uint32_t size = data_store_size(v->store, child);
    bool lazy = size > DATA_VIEW_EAGER_NODES;
    if (lazy)
        size =
            1 + (data_store_all_strings(v->store, child) ? data_store_count(v->store, child) : 0);
    run_exempt(L, make_protected, v, child, 1);
    lua_pushvalue(L, 2);
    lua_pushvalue(L, -2);
    lua_rawset(L, 1);
    if ((lazy || v->keep_records) && v->kept + size <= DATA_VIEW_CACHE_NODES) {
        v->kept += size;
    } else { /* kept until the decision ends: cache and key go on the list to clear */
        v->transient_nodes += size;
        lua_rawgeti(L, LUA_REGISTRYINDEX, v->transient_ref);
        lua_pushvalue(L, 1);
        lua_rawseti(L, -2, ++v->transient);
        lua_pushvalue(L, 2);
        lua_rawseti(L, -2, ++v->transient);
        lua_pop(L, 1);
    }
    return 1;
}

static void push_closure(lua_State *L, data_view *v, data_node n, lua_CFunction f) {
    lua_pushlightuserdata(L, v);
    lua_pushinteger(L, (lua_Integer)n);
    lua_pushcclosure(L, f, 2);
}

static void push_value(lua_State *L, data_view *v, data_node n) {
    const data_store *s = v->store;
    data_kind kind = data_store_kind(s, n);
    if (kind != DATA_LIST && kind != DATA_MAP) {
        push_plain(L, s, n);
        return;
    }
    uint32_t size = data_store_size(s, n);
    if (size <= DATA_VIEW_EAGER_NODES) {
        push_frozen(L, v, n);
        return;
    }
    uint32_t count = data_store_count(s, n);
    lua_rawgeti(L, LUA_REGISTRYINDEX, v->prelude->lazy_view);
    push_closure(L, v, n, view_fetch);
    push_closure(L, v, n, view_keys);
    lua_pushinteger(L, kind == DATA_LIST ? (lua_Integer)count : 0); /* what # gives */
    if (data_store_all_strings(s, n)) { /* custos.has looks such a list up */
        lua_createtable(L, 0, (int)count);
        for (uint32_t i = 0; i < count; i++) {
            size_t len;
            const char *str = data_store_str(s, data_store_child(s, n, i), &len);
            lua_pushlstring(L, str, len);
            lua_pushboolean(L, 1);
            lua_rawset(L, -3);
        }
    } else {
        lua_pushnil(L);
    }
    lua_call(L, 4, 1);
}

void data_view_push_root(lua_State *L, data_view *v, const data_store *store,
                         const sandbox_prelude *prelude) {
    v->store = store;
    v->prelude = prelude;
    v->kept = 0;
    v->transient = 0;
    v->transient_nodes = 0;
    v->keep_records =
        store && data_store_size(store, data_store_root(store)) <= DATA_VIEW_CACHE_NODES;
    lua_newtable(L);
    v->transient_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    if (!store) { /* no data: an empty frozen table */
        lua_rawgeti(L, LUA_REGISTRYINDEX, prelude->freeze);
        lua_newtable(L);
        lua_call(L, 1, 1);
        return;
    }
    push_value(L, v, data_store_root(store));
}

void data_view_forget(lua_State *L, data_view *v) {
    if (!v->transient) return;
    lua_rawgeti(L, LUA_REGISTRYINDEX, v->transient_ref);
    int list = lua_gettop(L);
    for (lua_Integer i = 1; i < v->transient; i += 2) {
        lua_rawgeti(L, list, i);     /* the cache */
        lua_rawgeti(L, list, i + 1); /* the key */
        lua_pushnil(L);
        lua_rawset(L, -3); /* clearing a key never allocates */
        lua_pop(L, 1);
    }
    for (lua_Integer i = 1; i <= v->transient; i++) {
        lua_pushnil(L);
        lua_rawseti(L, list, i);
    }
    lua_pop(L, 1);
    v->transient = 0;
    if (v->transient_nodes > DATA_VIEW_COLLECT_NODES) lua_gc(L, LUA_GCCOLLECT); /* no __gc here */
    v->transient_nodes = 0;
}
