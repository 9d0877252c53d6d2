/* seal.c — see seal.h. */
#include "seal.h"

#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#include "buffer_limits.h"
#include "bytecode_scan.h"

static int seal_upvalue(lua_State *L) {
    luaL_checktype(L, 1, LUA_TFUNCTION);
    const char *name = lua_getupvalue(L, 1, (int)luaL_checkinteger(L, 2));
    if (!name) return 0;
    lua_pushstring(L, name);
    lua_insert(L, -2);
    return 2;
}

static int seal_set_upvalue(lua_State *L) {
    luaL_checktype(L, 1, LUA_TFUNCTION);
    lua_settop(L, 3);
    if (!lua_setupvalue(L, 1, (int)luaL_checkinteger(L, 2))) lua_pop(L, 1);
    return 0;
}

/* Lua code whose chunk is a policy file: sandbox_load_module names chunks "@<chunkname>"; the
 * prelude's are "=sandbox.lua" and "=authoring.lua", the REPL's "=eval". */
static bool is_policy_function(lua_State *L, int index, lua_Debug *ar) {
    if (lua_type(L, index) != LUA_TFUNCTION || lua_iscfunction(L, index)) return false;
    lua_pushvalue(L, index);
    return lua_getinfo(L, ">S", ar) && ar->source[0] == '@';
}

static int seal_is_policy(lua_State *L) {
    lua_Debug ar;
    lua_pushboolean(L, is_policy_function(L, 1, &ar));
    return 1;
}

/* Raises "<chunk>:<line>: ..." (no position prefix: the chunk's own line is the one that counts,
 * and sandbox_error_from_message turns the chunk into the file's path). */
static int seal_check_writes(lua_State *L) {
    lua_Debug ar;
    if (!is_policy_function(L, 1, &ar)) return 0;
    bytecode_upvalue_write write;
    char why[CUSTOS_MESSAGE_BUFFER];
    const char *chunk = ar.source + 1;
    if (!bytecode_find_upvalue_write(L, 1, &write, why, sizeof why)) {
        lua_pushfstring(L, "%s:%d: cannot check the function for module state: %s", chunk,
                        ar.linedefined, why);
        return lua_error(L);
    }
    if (!write.found) return 0;
    const char *name = lua_getupvalue(L, 1, write.upvalue + 1);
    if (!name || !*name) name = "?";
    lua_pushfstring(L,
                    "%s:%d: assigns to '%s', a variable shared by every call (module state "
                    "would carry over from one decision to the next); declare it inside the "
                    "function, or compute it at the top of the module",
                    chunk, (int)(write.line ? write.line : (unsigned)ar.linedefined), name);
    return lua_error(L);
}

/* ---- a fixed order of keys ------------------------------------------------------------------ */

typedef struct sort_key {
    int rank; /* 0 integer or float, 1 string, 2 boolean, 3 anything else */
    lua_Integer i;
    lua_Number n;
    bool is_integer;
    const char *s;
    size_t len;
    size_t seen; /* position in next()'s order: the last tie-break */
} sort_key;

static int compare_keys(const void *pa, const void *pb) {
    const sort_key *a = pa, *b = pb;
    if (a->rank != b->rank) return a->rank < b->rank ? -1 : 1;
    switch (a->rank) {
    case 0:
        if (a->is_integer && b->is_integer) return a->i < b->i ? -1 : a->i > b->i;
        if (a->n != b->n) return a->n < b->n ? -1 : 1;
        if (a->is_integer != b->is_integer) return a->is_integer ? -1 : 1;
        break;
    case 1: {
        int c = memcmp(a->s, b->s, a->len < b->len ? a->len : b->len);
        if (c) return c;
        if (a->len != b->len) return a->len < b->len ? -1 : 1;
        break;
    }
    case 2:
        if (a->i != b->i) return a->i < b->i ? -1 : 1;
        break;
    default: break;
    }
    return a->seen < b->seen ? -1 : a->seen > b->seen;
}

static int seal_sorted_keys(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    size_t n = 0;
    lua_pushnil(L);
    while (lua_next(L, 1)) {
        lua_pop(L, 1);
        n++;
    }
    /* a userdata, not malloc: collected if building the list raises a memory error */
    sort_key *keys = lua_newuserdatauv(L, (n ? n : 1) * sizeof *keys, 0);
    size_t k = 0;
    lua_pushnil(L);
    while (k < n && lua_next(L, 1)) {
        lua_pop(L, 1);
        sort_key *key = &keys[k];
        *key = (sort_key){.rank = 3, .seen = k};
        switch (lua_type(L, -1)) {
        case LUA_TNUMBER:
            key->rank = 0;
            key->is_integer = lua_isinteger(L, -1);
            key->i = lua_tointeger(L, -1);
            key->n = lua_tonumber(L, -1);
            break;
        case LUA_TSTRING: /* the table holds the key, so the text stays alive */
            key->rank = 1;
            key->s = lua_tolstring(L, -1, &key->len);
            break;
        case LUA_TBOOLEAN:
            key->rank = 2;
            key->i = lua_toboolean(L, -1);
            break;
        default: break;
        }
        k++;
    }
    lua_settop(L, 2);
    qsort(keys, k, sizeof *keys, compare_keys);
    /* strings and numbers are rebuilt from the sorted records; other keys by their position in
     * next()'s order, found again with a second walk */
    lua_createtable(L, (int)k, 0);
    int list = lua_gettop(L);
    bool others = false;
    for (size_t j = 0; j < k; j++) {
        const sort_key *key = &keys[j];
        switch (key->rank) {
        case 0:
            if (key->is_integer)
                lua_pushinteger(L, key->i);
            else
                lua_pushnumber(L, key->n);
            break;
        case 1: lua_pushlstring(L, key->s, key->len); break;
        case 2: lua_pushboolean(L, (int)key->i); break;
        default:
            others = true;
            lua_pushboolean(L, 0); /* placeholder, replaced below */
            break;
        }
        lua_rawseti(L, list, (lua_Integer)j + 1);
    }
    if (others) {
        size_t first_other = 0;
        while (first_other < k && keys[first_other].rank != 3) first_other++;
        size_t seen = 0, placed = first_other;
        lua_pushnil(L);
        while (placed < k && lua_next(L, 1)) {
            lua_pop(L, 1);
            int t = lua_type(L, -1);
            if (t != LUA_TNUMBER && t != LUA_TSTRING && t != LUA_TBOOLEAN &&
                keys[placed].seen == seen) {
                lua_pushvalue(L, -1);
                lua_rawseti(L, list, (lua_Integer)placed + 1);
                placed++;
            }
            seen++;
        }
        lua_settop(L, list);
    }
    return 1;
}

/* The metatable itself, even when a __metatable field hides it from getmetatable. */
static int seal_metatable(lua_State *L) {
    if (!lua_getmetatable(L, 1)) lua_pushnil(L);
    return 1;
}

void seal_push_helpers(lua_State *L) {
    static const luaL_Reg helpers[] = {{"upvalue", seal_upvalue},
                                       {"set_upvalue", seal_set_upvalue},
                                       {"is_policy", seal_is_policy},
                                       {"check_writes", seal_check_writes},
                                       {"sorted_keys", seal_sorted_keys},
                                       {"metatable", seal_metatable},
                                       {NULL, NULL}};
    luaL_newlib(L, helpers);
}
