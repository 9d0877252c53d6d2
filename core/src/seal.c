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
        if (strstr(why, "out of memory")) { /* the scan's, not the function's fault */
            lua_pushvalue(L, lua_upvalueindex(1));
            lua_call(L, 0, 0);
        }
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

/* The metatable itself, even when a __metatable field hides it from getmetatable. */
static int seal_metatable(lua_State *L) {
    if (!lua_getmetatable(L, 1)) lua_pushnil(L);
    return 1;
}

void seal_push_helpers(lua_State *L, lua_CFunction raise_nomem) {
    static const luaL_Reg helpers[] = {
        {"upvalue", seal_upvalue},     {"set_upvalue", seal_set_upvalue},
        {"is_policy", seal_is_policy}, {"check_writes", seal_check_writes},
        {"metatable", seal_metatable}, {NULL, NULL}};
    luaL_newlibtable(L, helpers);
    lua_pushcfunction(L, raise_nomem);
    luaL_setfuncs(L, helpers, 1);
}
