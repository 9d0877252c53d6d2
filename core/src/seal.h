/*
 * seal.h — the C half of sealing a module once it has loaded (the Lua half is the prelude's
 * seal_env, core/lua/sandbox.lua): what the prelude cannot do in Lua without the debug library,
 * which policies must never reach.
 *
 * seal_push_helpers pushes a table of functions for the prelude only:
 *   upvalue(f, n) -> name, value      upvalue n of function f (lua_getupvalue), or nothing
 *   set_upvalue(f, n, v)              replaces it (lua_setupvalue): a table by its frozen copy
 *   is_policy(f) -> boolean           f is Lua code of a policy module or library ("@..." chunk)
 *   check_writes(f)                   raises "file:line: ..." when f assigns to one of its own
 *                                     upvalues (module state; bytecode_find_upvalue_write)
 *   metatable(v) -> table or nil      v's metatable, even one a __metatable field hides
 * (A frozen table's fixed key order is the safe library's: safe.fixed_keys, safe_lib.c.)
 */
#ifndef CUSTOS_SEAL_H
#define CUSTOS_SEAL_H

#include <lua.h>

/* raise_nomem raises "out of memory" the way the sandbox tells it from a policy's error: the
 * helpers call it when the bytecode scan runs out of memory. */
void seal_push_helpers(lua_State *L, lua_CFunction raise_nomem);

#endif
