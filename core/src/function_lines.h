/*
 * function_lines.h — the lines of a loaded module that can run: the base of line coverage.
 *
 * Used while loading, by the bundle (an article's rule) and the library loader (what a library
 * returned); it knows neither, only Lua functions and the arena the lines go into.
 */
#ifndef CUSTOS_FUNCTION_LINES_H
#define CUSTOS_FUNCTION_LINES_H

#include <stddef.h>

#include <lua.h>

#include "arena.h"

/* Fills *lines (ascending, from mem) with the lines that can run in the value on top of the
 * stack, left there: a function and the functions it reaches through upvalues, or a table of
 * functions (a library, one level of nested tables), counting only functions of `chunkname`.
 * Raises a Lua error when out of memory: call it under lua_pcall. */
void function_lines(lua_State *L, arena *mem, const char *chunkname, unsigned **lines,
                    size_t *count);

#endif
