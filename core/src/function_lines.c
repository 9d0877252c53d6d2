/* function_lines.c — see function_lines.h. */
#include "function_lines.h"

#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buffer_limits.h"
#include "sandbox.h"

/* Adds to `set` (a table at index `set`) the active lines of the function at `fn`, and of
 * every function of the same chunk it reaches through upvalues: what can run while deciding.
 * The functions still to visit wait in a Lua table, not on the C or Lua stack: a loop at load
 * time can chain thousands of closures, each holding the one before as an upvalue, and a
 * recursive walk pushed a value per level past the stack's end.  Uses 6 stack slots. */
static void collect_lines(lua_State *L, int fn, int set, const char *source) {
    fn = lua_absindex(L, fn);
    lua_newtable(L); /* the functions to visit, as a stack: todo[1..pending] */
    int todo = lua_gettop(L);
    lua_Integer pending = 0;
    lua_pushvalue(L, fn);
    lua_rawseti(L, todo, ++pending);
    while (pending > 0) {
        lua_rawgeti(L, todo, pending);
        lua_pushnil(L);
        lua_rawseti(L, todo, pending--);
        int f = lua_gettop(L);
        lua_pushvalue(L, f);
        if (lua_rawget(L, set) != LUA_TNIL) { /* seen */
            lua_pop(L, 2);
            continue;
        }
        lua_pop(L, 1);
        lua_pushvalue(L, f);
        lua_pushboolean(L, 1);
        lua_rawset(L, set);
        lua_Debug ar;
        lua_pushvalue(L, f);
        lua_getinfo(L, ">SL", &ar); /* pushes the active-lines table (nil for C functions) */
        if (lua_istable(L, -1) && strcmp(ar.source, source) == 0) {
            lua_pushnil(L);
            while (lua_next(L, -2)) {
                lua_pop(L, 1);
                /* A function's closing `end` holds only the implicit return, which a rule that
                 * returns on every path never reaches: it is not a line coverage can ask for. */
                if (ar.lastlinedefined > ar.linedefined &&
                    lua_tointeger(L, -1) == ar.lastlinedefined)
                    continue;
                lua_pushvalue(L, -1);
                lua_pushboolean(L, 1);
                lua_rawset(L, set);
            }
        }
        lua_pop(L, 1);
        for (int i = 1; lua_getupvalue(L, f, i); i++) {
            if (lua_type(L, -1) == LUA_TFUNCTION && !lua_iscfunction(L, -1))
                lua_rawseti(L, todo, ++pending); /* pops it */
            else
                lua_pop(L, 1);
        }
        lua_pop(L, 1); /* f */
    }
    lua_pop(L, 1); /* todo */
}

static int compare_unsigned(const void *a, const void *b) {
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    return x < y ? -1 : x > y;
}

/* Adds the lines of the functions in the table at t (and in tables it holds, one level). */
static void collect_table_lines(lua_State *L, int t, int set, const char *source, int depth) {
    t = lua_absindex(L, t);
    lua_pushnil(L);
    while (lua_next(L, t)) {
        if (lua_type(L, -1) == LUA_TFUNCTION && !lua_iscfunction(L, -1))
            collect_lines(L, -1, set, source);
        else if (lua_type(L, -1) == LUA_TTABLE && depth > 0)
            collect_table_lines(L, -1, set, source, depth - 1);
        lua_pop(L, 1);
    }
}

/* The lines that can run in the value on top of the stack (left there) — a rule function, or
 * what a library returned — as an ascending array in the bundle's arena. */
void function_lines(lua_State *L, arena *mem, const char *chunkname, unsigned **lines,
                    size_t *count) {
    char source[CUSTOS_CHUNK_SOURCE_BUFFER]; /* as sandbox_load_module names the chunk */
    snprintf(source, sizeof source, "@%s", chunkname);
    /* the set, two levels of table walking (2 each) and collect_lines (6) */
    luaL_checkstack(L, 11, "collecting a module's lines");
    lua_newtable(L);
    int set = lua_gettop(L);
    if (lua_type(L, set - 1) == LUA_TTABLE)
        collect_table_lines(L, set - 1, set, source, 1);
    else if (lua_type(L, set - 1) == LUA_TFUNCTION)
        collect_lines(L, set - 1, set, source);
    size_t n = 0;
    lua_pushnil(L);
    while (lua_next(L, set)) {
        n += lua_type(L, -2) == LUA_TNUMBER;
        lua_pop(L, 1);
    }
    *lines = arena_alloc(mem, (n ? n : 1) * sizeof **lines);
    if (!*lines) sandbox_raise_nomem(L);
    *count = 0;
    lua_pushnil(L);
    while (lua_next(L, set)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) == LUA_TNUMBER) (*lines)[(*count)++] = (unsigned)lua_tointeger(L, -1);
    }
    qsort(*lines, *count, sizeof **lines, compare_unsigned);
    lua_pop(L, 1);
}
