/* embedded_lua.h — the Lua sources compiled into the library (generated from core/lua/). */
#ifndef CUSTOS_EMBEDDED_LUA_H
#define CUSTOS_EMBEDDED_LUA_H

#include <stddef.h>

typedef struct embedded_lua {
    const char *name; /* file name without .lua */
    const char *text;
    size_t len;
} embedded_lua;

/* Terminated by an entry whose name is NULL. */
extern const embedded_lua custos_embedded_lua[];

#endif
