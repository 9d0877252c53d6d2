/*
 * custos_lua.c — the Lua 5.4 binding of libcustos: `local custos = require "custos"`.
 *
 * A client of custos.h only.  An engine is a full userdata (metatable "custos.Engine") that owns
 * its custos_engine and one reusable request and decision (a Lua state is one thread), closed by
 * :close(), by __close (a to-be-closed variable) or by __gc.  Requests are Lua tables, turned
 * into JSON text by the serializer below and parsed by custos_request_parse, or YAML/JSON text.
 * Errors are raised as tables with the metatable custos.Error: status, code, file, line, column,
 * message, and a __tostring giving "file:line:column: message (status)".  bindings/lua/README.md
 * is the guide.
 */
#include <custos.h>

#include <lauxlib.h>
#include <lua.h>

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ENGINE_MT "custos.Engine"
#define ERROR_MT "custos.Error"
#define BUFFER_MT "custos.JsonBuffer"
#define REQUEST_MT "custos.Request"
#define MAX_DEPTH 64

/* The registry key of the weak table decision -> its JSON text (for decision:json()). */
static const char decision_json_key = 'j';
/* custos.null: a JSON null in a request table. */
static const char null_sentinel = 'n';
/* Engines open now in this process (custos.stats().engines): the tests check __gc with it. */
static long live_engines;

typedef struct engine_box {
    custos_engine *eng;
    custos_request *req;
    custos_decision *d;
} engine_box;

/* ---- Errors --------------------------------------------------------------------------------- */

/* Raises a custos.Error built from err; never returns. */
static int raise_error(lua_State *L, const custos_error *err) {
    lua_createtable(L, 0, 6);
    lua_pushstring(L, custos_status_name(err->status));
    lua_setfield(L, -2, "status");
    lua_pushinteger(L, (lua_Integer)err->status);
    lua_setfield(L, -2, "code");
    lua_pushstring(L, err->file);
    lua_setfield(L, -2, "file");
    lua_pushinteger(L, (lua_Integer)err->line);
    lua_setfield(L, -2, "line");
    lua_pushinteger(L, (lua_Integer)err->column);
    lua_setfield(L, -2, "column");
    lua_pushstring(L, err->message);
    lua_setfield(L, -2, "message");
    luaL_setmetatable(L, ERROR_MT);
    return lua_error(L);
}

/* Raises a custos.Error with this status and message (no file). */
static int raise_message(lua_State *L, custos_status status, const char *message) {
    custos_error err;
    memset(&err, 0, sizeof err);
    err.status = status;
    snprintf(err.message, sizeof err.message, "%s", message);
    return raise_error(L, &err);
}

static int error_tostring(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_getfield(L, 1, "file");
    lua_getfield(L, 1, "line");
    lua_getfield(L, 1, "column");
    lua_getfield(L, 1, "message");
    lua_getfield(L, 1, "status");
    const char *file = lua_tostring(L, 2);
    lua_Integer line = lua_tointeger(L, 3), column = lua_tointeger(L, 4);
    const char *message = lua_tostring(L, 5), *status = lua_tostring(L, 6);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    if (file && *file) {
        luaL_addstring(&b, file);
        luaL_addchar(&b, ':');
        if (line > 0) {
            lua_pushfstring(L, "%d:", (int)line);
            luaL_addvalue(&b);
            if (column > 0) {
                lua_pushfstring(L, "%d:", (int)column);
                luaL_addvalue(&b);
            }
        }
        luaL_addchar(&b, ' ');
    }
    luaL_addstring(&b, message ? message : "?");
    luaL_addstring(&b, " (");
    luaL_addstring(&b, status ? status : "?");
    luaL_addchar(&b, ')');
    luaL_pushresult(&b);
    return 1;
}

/* ---- A growable byte buffer owned by a userdata, so an error (longjmp) cannot leak it ------- */

typedef struct json_buffer {
    char *p;
    size_t len, cap;
} json_buffer;

static int buffer_gc(lua_State *L) {
    json_buffer *b = luaL_checkudata(L, 1, BUFFER_MT);
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
    return 0;
}

static json_buffer *buffer_push(lua_State *L) {
    json_buffer *b = lua_newuserdatauv(L, sizeof *b, 0);
    b->p = NULL;
    b->len = b->cap = 0;
    luaL_setmetatable(L, BUFFER_MT);
    return b;
}

static void buffer_add(lua_State *L, json_buffer *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1) cap *= 2;
        if (cap > CUSTOS_MAX_REQUEST_BYTES * 2)
            luaL_error(L, "custos: the request is larger than custos's limit of %d bytes",
                       (int)CUSTOS_MAX_REQUEST_BYTES);
        char *p = realloc(b->p, cap);
        if (!p) luaL_error(L, "custos: out of memory");
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void buffer_adds(lua_State *L, json_buffer *b, const char *s) {
    buffer_add(L, b, s, strlen(s));
}

/* ---- Lua values to JSON ------------------------------------------------------------------- */

/* The serializer's state: the buffer, the stack index of the table of tables being written (a
 * cycle check), and the path of the value being written, for errors ("subject.tags[2]"). */
typedef struct writer {
    lua_State *L;
    json_buffer *b;
    int visiting;
    char path[512];
    const char *root; /* "request" */
} writer;

static int write_fail(writer *w, const char *what) {
    return luaL_error(w->L, "custos: cannot write %s%s as JSON: %s", w->root, w->path, what);
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0 when it is not one. */
static size_t utf8_sequence(const unsigned char *s, size_t n) {
    unsigned c = s[0];
    size_t len;
    unsigned min;
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF)
        len = 3, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4)
        len = 4, min = 0x10000;
    else
        return 0;
    if (n < len) return 0;
    unsigned cp = c & (0x3F >> (len - 1));
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

static void write_string(writer *w, const char *s, size_t n) {
    buffer_add(w->L, w->b, "\"", 1);
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\0') write_fail(w, "a string holds a NUL byte");
        if (c < 0x20 || c == '"' || c == '\\') {
            char esc[8];
            switch (c) {
            case '"': strcpy(esc, "\\\""); break;
            case '\\': strcpy(esc, "\\\\"); break;
            case '\n': strcpy(esc, "\\n"); break;
            case '\r': strcpy(esc, "\\r"); break;
            case '\t': strcpy(esc, "\\t"); break;
            case '\b': strcpy(esc, "\\b"); break;
            case '\f': strcpy(esc, "\\f"); break;
            default: snprintf(esc, sizeof esc, "\\u%04x", c); break;
            }
            buffer_adds(w->L, w->b, esc);
            i++;
            continue;
        }
        size_t len = utf8_sequence((const unsigned char *)s + i, n - i);
        if (!len) write_fail(w, "a string is not valid UTF-8");
        buffer_add(w->L, w->b, s + i, len);
        i += len;
    }
    buffer_add(w->L, w->b, "\"", 1);
}

static void write_number(writer *w, int idx) {
    char text[64];
    if (lua_isinteger(w->L, idx)) {
        snprintf(text, sizeof text, "%lld", (long long)lua_tointeger(w->L, idx));
    } else {
        double v = (double)lua_tonumber(w->L, idx);
        if (!isfinite(v)) write_fail(w, "a number is not finite (JSON has no NaN or infinity)");
        snprintf(text, sizeof text, "%.15g", v);
        if (strtod(text, NULL) != v) snprintf(text, sizeof text, "%.17g", v);
        /* The C library writes the locale's decimal point; JSON's is '.'. */
        const char *point = localeconv()->decimal_point;
        if (point && point[0] && point[0] != '.')
            for (char *p = text; *p; p++)
                if (*p == point[0]) *p = '.';
    }
    buffer_adds(w->L, w->b, text);
}

static void write_value(writer *w, int idx, int depth);

/* Sorts the string keys of an object, so the JSON (and an error's column in it) is stable. */
typedef struct key_ref {
    const char *s;
    size_t n;
} key_ref;

static int key_compare(const void *a, const void *b) {
    const key_ref *x = a, *y = b;
    size_t n = x->n < y->n ? x->n : y->n;
    int c = memcmp(x->s, y->s, n);
    return c ? c : (x->n > y->n) - (x->n < y->n);
}

static void write_table(writer *w, int idx, int depth) {
    lua_State *L = w->L;
    if (depth > MAX_DEPTH) write_fail(w, "tables nested deeper than 64 levels");
    luaL_checkstack(L, 8, "custos: request too deep");
    /* A cycle: this table is already being written further up. */
    lua_pushvalue(L, idx);
    if (lua_rawget(L, w->visiting) != LUA_TNIL) write_fail(w, "a table contains itself (a cycle)");
    lua_pop(L, 1);
    lua_pushvalue(L, idx);
    lua_pushboolean(L, 1);
    lua_rawset(L, w->visiting);

    /* Its kind: a marked array or object (custos.array / custos.object), else by its keys. */
    int kind = 0; /* 1 array, 2 object */
    if (luaL_getmetafield(L, idx, "__jsontype") != LUA_TNIL) {
        const char *t = lua_tostring(L, -1);
        if (t && strcmp(t, "array") == 0)
            kind = 1;
        else if (t && strcmp(t, "object") == 0)
            kind = 2;
        lua_pop(L, 1);
    }
    lua_Integer count = 0, strings = 0, max_index = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        count++;
        if (lua_type(L, -1) == LUA_TSTRING) {
            strings++;
        } else if (lua_isinteger(L, -1)) {
            lua_Integer k = lua_tointeger(L, -1);
            if (k > max_index) max_index = k;
            if (k < 1) write_fail(w, "a list index below 1");
        } else {
            char what[96];
            snprintf(what, sizeof what,
                     "a key of type %s (keys must be strings, or 1..n for a list)",
                     luaL_typename(L, -1));
            write_fail(w, what);
        }
    }
    if (kind == 0) kind = (count > 0 && strings == 0) ? 1 : 2;
    if (kind == 1 && strings > 0) write_fail(w, "a list with named keys");
    if (kind == 2 && strings != count) write_fail(w, "named keys mixed with list indexes");
    if (kind == 1 && max_index != count) write_fail(w, "a list with holes (not indexes 1..n)");

    size_t path_len = strlen(w->path);
    if (kind == 1) {
        buffer_add(L, w->b, "[", 1);
        for (lua_Integer i = 1; i <= count; i++) {
            if (i > 1) buffer_add(L, w->b, ",", 1);
            snprintf(w->path + path_len, sizeof w->path - path_len, "[%lld]", (long long)i);
            lua_rawgeti(L, idx, i);
            write_value(w, lua_gettop(L), depth + 1);
            lua_pop(L, 1);
        }
        buffer_add(L, w->b, "]", 1);
    } else {
        key_ref *keys = lua_newuserdatauv(L, sizeof *keys * (size_t)(count ? count : 1), 0);
        size_t n = 0;
        lua_pushnil(L);
        while (lua_next(L, idx)) {
            lua_pop(L, 1);
            keys[n].s = lua_tolstring(L, -1, &keys[n].n); /* anchored by the table */
            n++;
        }
        qsort(keys, n, sizeof *keys, key_compare);
        buffer_add(L, w->b, "{", 1);
        for (size_t i = 0; i < n; i++) {
            if (i > 0) buffer_add(L, w->b, ",", 1);
            w->path[path_len] = '\0';
            write_string(w, keys[i].s, keys[i].n);
            buffer_add(L, w->b, ":", 1);
            snprintf(w->path + path_len, sizeof w->path - path_len, ".%.*s", (int)keys[i].n,
                     keys[i].s);
            lua_pushlstring(L, keys[i].s, keys[i].n);
            lua_rawget(L, idx);
            write_value(w, lua_gettop(L), depth + 1);
            lua_pop(L, 1);
        }
        buffer_add(L, w->b, "}", 1);
        lua_pop(L, 1); /* keys */
    }
    w->path[path_len] = '\0';
    lua_pushvalue(L, idx);
    lua_pushnil(L);
    lua_rawset(L, w->visiting);
}

static void write_value(writer *w, int idx, int depth) {
    lua_State *L = w->L;
    switch (lua_type(L, idx)) {
    case LUA_TSTRING: {
        size_t n;
        const char *s = lua_tolstring(L, idx, &n);
        write_string(w, s, n);
        break;
    }
    case LUA_TNUMBER: write_number(w, idx); break;
    case LUA_TBOOLEAN: buffer_adds(L, w->b, lua_toboolean(L, idx) ? "true" : "false"); break;
    case LUA_TTABLE: write_table(w, idx, depth); break;
    case LUA_TLIGHTUSERDATA:
        if (lua_touserdata(L, idx) == (void *)&null_sentinel) {
            buffer_adds(L, w->b, "null");
            break;
        }
        /* fall through */
    default: {
        char what[64];
        snprintf(what, sizeof what, "a value of type %s", luaL_typename(L, idx));
        write_fail(w, what);
    }
    }
}

/* Writes the value at idx as JSON into a new buffer userdata pushed on the stack. */
static json_buffer *to_json(lua_State *L, int idx, const char *root) {
    idx = lua_absindex(L, idx);
    json_buffer *b = buffer_push(L);
    lua_newtable(L);
    writer w = {L, b, lua_gettop(L), "", root};
    write_value(&w, idx, 0);
    lua_pop(L, 1);
    return b;
}

/* custos.to_json(value): the JSON text a table becomes (keys sorted; what decide parses). */
static int l_to_json(lua_State *L) {
    luaL_checkany(L, 1);
    json_buffer *b = to_json(L, 1, "value");
    lua_pushlstring(L, b->p ? b->p : "", b->len);
    return 1;
}

/* custos.request_json(request [, name]) -> the request (a table, or YAML/JSON text) as the JSON
 * custos reads it, on one line (keys sorted), without deciding; raises a custos.Error when it does not parse. */
static int request_gc(lua_State *L) {
    custos_request **box = luaL_checkudata(L, 1, REQUEST_MT);
    custos_request_free(*box);
    *box = NULL;
    return 0;
}

static int l_request_json(lua_State *L) {
    const char *name = luaL_optstring(L, 2, "request");
    json_buffer *b = NULL;
    if (lua_type(L, 1) == LUA_TTABLE)
        b = to_json(L, 1, "request");
    else
        luaL_checkstring(L, 1);
    /* the request lives in a userdata, so an error below cannot leak it */
    custos_request **box = lua_newuserdatauv(L, sizeof *box, 0);
    *box = NULL;
    luaL_setmetatable(L, REQUEST_MT);
    if (custos_request_new(box) != CUSTOS_OK) return luaL_error(L, "custos: out of memory");
    size_t n = 0;
    const char *text = b ? b->p : lua_tolstring(L, 1, &n);
    if (b) n = b->len;
    custos_error err;
    if (custos_request_parse(*box, text ? text : "", n, name, &err) != CUSTOS_OK)
        return raise_error(L, &err);
    const char *json = NULL;
    if (custos_request_json(*box, &json) != CUSTOS_OK || !json)
        return raise_message(L, CUSTOS_E_INTERNAL, "cannot write the request as JSON");
    /* one line: the library indents it, and a JSON string holds no raw newline */
    luaL_Buffer out;
    luaL_buffinit(L, &out);
    for (const char *p = json; *p; p++) {
        if (*p == '\n') {
            while (p[1] == ' ') p++;
            continue;
        }
        luaL_addchar(&out, *p);
    }
    luaL_pushresult(&out);
    return 1;
}

/* ---- Opening: the configuration from a Lua table -------------------------------------------- */

/* Calls fn(cfg, s) for the string or each string of the list at field `name` of table idx. */
static int add_paths(lua_State *L, custos_config *cfg, int idx, const char *name,
                     custos_status (*fn)(custos_config *, const char *)) {
    int added = 0;
    int t = lua_getfield(L, idx, name);
    if (t == LUA_TSTRING) {
        if (fn(cfg, lua_tostring(L, -1)) != CUSTOS_OK) goto nomem;
        added = 1;
    } else if (t == LUA_TTABLE) {
        lua_Integer n = (lua_Integer)luaL_len(L, -1);
        for (lua_Integer i = 1; i <= n; i++) {
            if (lua_rawgeti(L, -1, i) != LUA_TSTRING) {
                lua_pop(L, 1);
                custos_config_free(cfg);
                return luaL_error(L, "custos.open: %s[%d] must be a path (a string)", name, (int)i);
            }
            if (fn(cfg, lua_tostring(L, -1)) != CUSTOS_OK) goto nomem;
            lua_pop(L, 1);
            added++;
        }
    } else if (t != LUA_TNIL) {
        custos_config_free(cfg);
        return luaL_error(L, "custos.open: %s must be a path or a list of paths, not a %s", name,
                          luaL_typename(L, -1));
    }
    lua_pop(L, 1);
    return added;
nomem:
    custos_config_free(cfg);
    return luaL_error(L, "custos.open: out of memory");
}

/* A configuration from the options table at idx ({policies=, data=, regime_modes=, limits=}).
 * On an error it frees what it made and raises. */
static custos_config *config_from(lua_State *L, int idx) {
    luaL_checktype(L, idx, LUA_TTABLE);
    custos_config *cfg = NULL;
    if (custos_config_new(&cfg) != CUSTOS_OK) luaL_error(L, "custos.open: out of memory");
    if (add_paths(L, cfg, idx, "policies", custos_config_add_policies) == 0) {
        const char *dir = custos_builtin_policy_dir();
        if (!dir) {
            custos_config_free(cfg);
            raise_message(L, CUSTOS_E_NOT_FOUND,
                          "custos.open: no policies given and no built-in regimes found "
                          "(set CUSTOS_POLICY_DIR)");
        }
        custos_config_add_policies(cfg, dir);
    }
    add_paths(L, cfg, idx, "data", custos_config_add_data);
    if (lua_getfield(L, idx, "regime_modes") == LUA_TTABLE) {
        lua_pushnil(L);
        while (lua_next(L, -2)) {
            const char *regime = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
            const char *mode = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "";
            custos_regime_mode m = CUSTOS_REGIME_ADOPTED;
            if (strcmp(mode, "adopted") == 0)
                m = CUSTOS_REGIME_ADOPTED;
            else if (strcmp(mode, "in-force") == 0 || strcmp(mode, "in_force") == 0)
                m = CUSTOS_REGIME_IN_FORCE;
            else if (strcmp(mode, "skipped") == 0)
                m = CUSTOS_REGIME_SKIPPED;
            else
                regime = NULL;
            if (!regime) {
                custos_config_free(cfg);
                luaL_error(L, "custos.open: regime_modes must map a regime id to \"adopted\", "
                              "\"in-force\" or \"skipped\"");
            }
            custos_config_set_regime_mode(cfg, regime, m);
            lua_pop(L, 1);
        }
    } else if (!lua_isnil(L, -1)) {
        custos_config_free(cfg);
        luaL_error(L, "custos.open: regime_modes must be a table");
    }
    lua_pop(L, 1);
    if (lua_getfield(L, idx, "limits") == LUA_TTABLE) {
        lua_getfield(L, -1, "memory");
        lua_getfield(L, -2, "instructions");
        lua_Integer memory = lua_tointeger(L, -2), instructions = lua_tointeger(L, -1);
        if (memory < 0 || instructions < 0) {
            custos_config_free(cfg);
            luaL_error(L, "custos.open: limits must be positive integers");
        }
        custos_config_set_limits(cfg, (size_t)memory, (uint64_t)instructions);
        lua_pop(L, 2);
    }
    lua_pop(L, 1);
    return cfg;
}

static engine_box *check_engine(lua_State *L) {
    engine_box *e = luaL_checkudata(L, 1, ENGINE_MT);
    if (!e->eng) luaL_error(L, "custos: the engine is closed");
    return e;
}

static void engine_free(engine_box *e) {
    if (e->eng) live_engines--;
    custos_decision_free(e->d);
    custos_request_free(e->req);
    custos_engine_close(e->eng);
    e->eng = NULL;
    e->req = NULL;
    e->d = NULL;
}

/* custos.open{policies=..., data=..., regime_modes=..., limits=...} -> engine */
static int l_open(lua_State *L) {
    if (lua_isnoneornil(L, 1)) {
        lua_settop(L, 0);
        lua_newtable(L);
    }
    engine_box *e = lua_newuserdatauv(L, sizeof *e, 0);
    e->eng = NULL;
    e->req = NULL;
    e->d = NULL;
    luaL_setmetatable(L, ENGINE_MT); /* from here __gc frees whatever was made */
    custos_config *cfg = config_from(L, 1);
    custos_error err;
    custos_status st = custos_engine_open(cfg, &e->eng, &err);
    custos_config_free(cfg);
    if (st != CUSTOS_OK) return raise_error(L, &err);
    live_engines++;
    if (custos_request_new(&e->req) != CUSTOS_OK || custos_decision_new(&e->d) != CUSTOS_OK)
        return luaL_error(L, "custos.open: out of memory");
    return 1;
}

/* ---- Requests ------------------------------------------------------------------------------- */

/* Fills e->req from the argument at idx (a table, or YAML/JSON text) and the options at opts
 * (as_of, name); raises a custos.Error when it does not parse. */
static void load_request(lua_State *L, engine_box *e, int idx, int opts) {
    const char *name = NULL;
    if (opts && lua_getfield(L, opts, "name") == LUA_TSTRING) name = lua_tostring(L, -1);
    if (opts) lua_pop(L, 1); /* the options table anchors the string */
    custos_error err;
    custos_status st;
    if (lua_type(L, idx) == LUA_TTABLE) {
        json_buffer *b = to_json(L, idx, "request");
        st = custos_request_parse(e->req, b->p, b->len, name ? name : "request", &err);
        lua_pop(L, 1);
    } else if (lua_type(L, idx) == LUA_TSTRING) {
        size_t n;
        const char *text = lua_tolstring(L, idx, &n);
        st = custos_request_parse(e->req, text, n, name ? name : "request", &err);
    } else {
        luaL_typeerror(L, idx, "a request table or YAML/JSON text");
        return;
    }
    if (st != CUSTOS_OK) raise_error(L, &err);
    if (!opts) return;
    int t = lua_getfield(L, opts, "as_of");
    if (t == LUA_TSTRING && strcmp(lua_tostring(L, -1), "now") != 0) {
        st = custos_request_set_string(e->req, "context.time", lua_tostring(L, -1), &err);
    } else if (t == LUA_TSTRING || t == LUA_TNUMBER) {
        /* now, or seconds since the epoch: shown at the local offset */
        time_t now = t == LUA_TNUMBER ? (time_t)lua_tonumber(L, -1) : time(NULL);
        struct tm local, utc;
        int offset = 0;
        if (localtime_r(&now, &local) && gmtime_r(&now, &utc)) {
            local.tm_isdst = 0;
            utc.tm_isdst = 0;
            offset = (int)(difftime(mktime(&local), mktime(&utc)) / 60);
        }
        st = custos_request_set_time(e->req, now, offset, &err);
    } else if (t != LUA_TNIL) {
        luaL_error(L, "custos: as_of must be an RFC 3339 time, \"now\" or seconds since the epoch");
    }
    lua_pop(L, 1);
    if (st != CUSTOS_OK) raise_error(L, &err);
}

static int opt_flag(lua_State *L, int opts, const char *name) {
    if (!opts) return 0;
    lua_getfield(L, opts, name);
    int v = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return v;
}

/* ---- Decisions as Lua tables ------------------------------------------------------------- */

static void set_string(lua_State *L, const char *key, const char *value) {
    if (!value) return;
    lua_pushstring(L, value);
    lua_setfield(L, -2, key);
}

static void set_bool(lua_State *L, const char *key, int value) {
    lua_pushboolean(L, value);
    lua_setfield(L, -2, key);
}

static void set_pair(lua_State *L, const char *key, const char *zh, const char *en) {
    lua_createtable(L, 0, 2);
    set_string(L, "zh", zh);
    set_string(L, "en", en);
    lua_setfield(L, -2, key);
}

static void push_decision(lua_State *L, const custos_decision *d, int explain) {
    lua_createtable(L, 0, 7);
    set_string(L, "effect", custos_effect_name(custos_decision_effect(d)));

    size_t n = custos_decision_reason_count(d);
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        custos_reason r;
        if (custos_decision_reason(d, i, &r) != CUSTOS_OK) continue;
        lua_createtable(L, 0, 10);
        set_string(L, "regime", r.regime);
        set_string(L, "article", r.article);
        set_string(L, "effect", custos_effect_name(r.effect));
        set_string(L, "code", r.code);
        set_string(L, "citation", r.citation);
        set_pair(L, "title", r.title_zh, r.title_en);
        set_pair(L, "message", r.message_zh, r.message_en);
        set_string(L, "module", r.module);
        lua_createtable(L, (int)r.implements_count, 0);
        for (size_t k = 0; k < r.implements_count; k++) {
            lua_createtable(L, 0, 2);
            set_string(L, "regime", r.implements[k].regime);
            set_string(L, "article", r.implements[k].article);
            lua_rawseti(L, -2, (lua_Integer)k + 1);
        }
        lua_setfield(L, -2, "implements");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "reasons");

    n = custos_decision_obligation_count(d);
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        custos_obligation o;
        if (custos_decision_obligation(d, i, &o) != CUSTOS_OK) continue;
        lua_createtable(L, 0, 4);
        set_string(L, "id", o.id);
        set_string(L, "regime", o.regime);
        set_string(L, "article", o.article);
        lua_createtable(L, 0, (int)o.param_count);
        for (size_t k = 0; k < o.param_count; k++)
            set_string(L, o.param_keys[k], o.param_values[k]);
        lua_setfield(L, -2, "params");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "obligations");

    n = custos_decision_regime_count(d);
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        custos_regime_status s;
        if (custos_decision_regime(d, i, &s) != CUSTOS_OK) continue;
        lua_createtable(L, 0, 5);
        set_string(L, "id", s.id);
        if (s.in_force_known) set_bool(L, "in_force", s.in_force); /* nil when unknown */
        set_bool(L, "in_force_known", s.in_force_known);
        set_bool(L, "adopted", s.adopted);
        set_bool(L, "applies", s.applies);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "regimes");

    n = custos_decision_error_count(d);
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        custos_policy_error e;
        if (custos_decision_error(d, i, &e) != CUSTOS_OK) continue;
        lua_createtable(L, 0, 3);
        set_string(L, "regime", e.regime);
        set_string(L, "article", e.article);
        set_string(L, "message", e.message);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "errors");

    if (explain) {
        n = custos_decision_trace_count(d);
        lua_createtable(L, (int)n, 0);
        for (size_t i = 0; i < n; i++) {
            custos_trace t;
            if (custos_decision_trace(d, i, &t) != CUSTOS_OK) continue;
            lua_createtable(L, 0, 9);
            set_string(L, "regime", t.regime);
            set_string(L, "article", t.article);
            set_bool(L, "applied", t.applied);
            set_bool(L, "failed", t.failed);
            set_string(L, "effect", custos_effect_name(t.effect));
            set_string(L, "code", t.code);
            set_string(L, "citation", t.citation);
            set_pair(L, "title", t.title_zh, t.title_en);
            set_pair(L, "message", t.message_zh, t.message_en);
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
        lua_setfield(L, -2, "trace");
    }

    /* Its JSON, kept beside it (weakly) for decision:json(). */
    const char *json = NULL;
    if (custos_decision_json(d, &json) == CUSTOS_OK && json) {
        lua_rawgetp(L, LUA_REGISTRYINDEX, &decision_json_key);
        lua_pushvalue(L, -2);
        lua_pushstring(L, json);
        lua_rawset(L, -3);
        lua_pop(L, 1);
    }
    luaL_setmetatable(L, "custos.Decision");
}

/* engine:decide(request, {as_of=, explain=, strict=, name=}) -> decision */
static int l_decide(lua_State *L) {
    engine_box *e = check_engine(L);
    int opts = 0;
    if (!lua_isnoneornil(L, 3)) {
        luaL_checktype(L, 3, LUA_TTABLE);
        opts = 3;
    }
    luaL_checkany(L, 2);
    load_request(L, e, 2, opts);
    unsigned flags = 0;
    int explain = opt_flag(L, opts, "explain");
    if (explain) flags |= CUSTOS_DECIDE_EXPLAIN;
    if (opt_flag(L, opts, "strict")) flags |= CUSTOS_DECIDE_STRICT;
    custos_error err;
    if (custos_decide(e->eng, e->req, flags, e->d, &err) != CUSTOS_OK) return raise_error(L, &err);
    push_decision(L, e->d, explain);
    return 1;
}

/* engine:check(request, opts) -> true, or raises the first field that does not fit */
static int l_check(lua_State *L) {
    engine_box *e = check_engine(L);
    int opts = 0;
    if (!lua_isnoneornil(L, 3)) {
        luaL_checktype(L, 3, LUA_TTABLE);
        opts = 3;
    }
    luaL_checkany(L, 2);
    load_request(L, e, 2, opts);
    custos_error err;
    if (custos_engine_check_request(e->eng, e->req, &err) != CUSTOS_OK) return raise_error(L, &err);
    lua_pushboolean(L, 1);
    return 1;
}

typedef struct unknown_list {
    lua_State *L;
    lua_Integer n;
} unknown_list;

static bool collect_unknown(void *user, const char *path, const char *nearest, unsigned line,
                            unsigned column) {
    unknown_list *u = user;
    lua_State *L = u->L;
    lua_createtable(L, 0, 4);
    set_string(L, "path", path);
    set_string(L, "nearest", nearest);
    lua_pushinteger(L, (lua_Integer)line);
    lua_setfield(L, -2, "line");
    lua_pushinteger(L, (lua_Integer)column);
    lua_setfield(L, -2, "column");
    lua_rawseti(L, -2, ++u->n);
    return true;
}

/* engine:unknown_fields(request, opts) -> {{path=, nearest=, line=, column=}, ...} */
static int l_unknown_fields(lua_State *L) {
    engine_box *e = check_engine(L);
    int opts = 0;
    if (!lua_isnoneornil(L, 3)) {
        luaL_checktype(L, 3, LUA_TTABLE);
        opts = 3;
    }
    luaL_checkany(L, 2);
    load_request(L, e, 2, opts);
    lua_newtable(L);
    luaL_checkstack(L, 4, NULL);
    unknown_list u = {L, 0};
    custos_error err;
    if (custos_engine_unknown_fields(e->eng, e->req, collect_unknown, &u, NULL, &err) != CUSTOS_OK)
        return raise_error(L, &err);
    return 1;
}

/* engine:reload([options]) -> generation; without options re-reads the same files. */
static int l_reload(lua_State *L) {
    engine_box *e = check_engine(L);
    custos_config *cfg = NULL;
    if (!lua_isnoneornil(L, 2)) cfg = config_from(L, 2);
    custos_error err;
    custos_status st = custos_engine_reload(e->eng, cfg, &err);
    custos_config_free(cfg);
    if (st != CUSTOS_OK) return raise_error(L, &err);
    lua_pushinteger(L, (lua_Integer)custos_engine_generation(e->eng));
    return 1;
}

static int l_generation(lua_State *L) {
    engine_box *e = check_engine(L);
    lua_pushinteger(L, (lua_Integer)custos_engine_generation(e->eng));
    return 1;
}

static int l_closed(lua_State *L) {
    engine_box *e = luaL_checkudata(L, 1, ENGINE_MT);
    lua_pushboolean(L, e->eng == NULL);
    return 1;
}

/* engine:close(), __close and __gc: idempotent. */
static int l_close(lua_State *L) {
    engine_free(luaL_checkudata(L, 1, ENGINE_MT));
    return 0;
}

static int engine_tostring(lua_State *L) {
    engine_box *e = luaL_checkudata(L, 1, ENGINE_MT);
    if (e->eng)
        lua_pushfstring(L, "custos.Engine (generation %d)", (int)custos_engine_generation(e->eng));
    else
        lua_pushstring(L, "custos.Engine (closed)");
    return 1;
}

/* decision:json() -> the decision as one line of JSON, as `custos decide --format json`. */
static int decision_json(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &decision_json_key);
    lua_pushvalue(L, 1);
    if (lua_rawget(L, -2) != LUA_TSTRING) return luaL_error(L, "custos: not a decision");
    return 1;
}

static int decision_tostring(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_getfield(L, 1, "effect");
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    luaL_addstring(&b, "custos.Decision (");
    luaL_addstring(&b, lua_tostring(L, 2) ? lua_tostring(L, 2) : "?");
    luaL_addchar(&b, ')');
    luaL_pushresult(&b);
    return 1;
}

/* custos.stats() -> {engines = <open now>} */
static int l_stats(lua_State *L) {
    lua_createtable(L, 0, 1);
    lua_pushinteger(L, (lua_Integer)live_engines);
    lua_setfield(L, -2, "engines");
    return 1;
}

/* custos.array(t) / custos.object(t): marks t (even empty) as a JSON list or object. */
static int mark(lua_State *L, const char *kind) {
    if (lua_isnoneornil(L, 1)) {
        lua_settop(L, 0);
        lua_newtable(L);
    }
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    lua_createtable(L, 0, 1);
    lua_pushstring(L, kind);
    lua_setfield(L, -2, "__jsontype");
    lua_setmetatable(L, 1);
    return 1;
}

static int l_array(lua_State *L) { return mark(L, "array"); }
static int l_object(lua_State *L) { return mark(L, "object"); }

static const luaL_Reg engine_methods[] = {
    {"decide", l_decide}, {"check", l_check}, {"unknown_fields", l_unknown_fields},
    {"reload", l_reload}, {"close", l_close}, {"generation", l_generation},
    {"closed", l_closed}, {NULL, NULL}};

static const luaL_Reg module_functions[] = {{"open", l_open},
                                            {"request_json", l_request_json},
                                            {"to_json", l_to_json},
                                            {"array", l_array},
                                            {"object", l_object},
                                            {"stats", l_stats},
                                            {NULL, NULL}};

int luaopen_custos(lua_State *L);

__attribute__((visibility("default"))) int luaopen_custos(lua_State *L) {
    luaL_checkversion(L);
    /* The binding's version is the library's: refuse a libcustos of another major version, or
     * older than the header this module was built with. */
    int have = custos_version_number();
    if (have / 1000000 != CUSTOS_VERSION_MAJOR || have < CUSTOS_VERSION_NUMBER)
        return luaL_error(L,
                          "custos: the loaded libcustos is version %s, but this module was built "
                          "for %s (needs major version %d, at least %s)",
                          custos_version(), CUSTOS_VERSION_STRING, CUSTOS_VERSION_MAJOR,
                          CUSTOS_VERSION_STRING);

    luaL_newmetatable(L, BUFFER_MT);
    lua_pushcfunction(L, buffer_gc);
    lua_setfield(L, -2, "__gc");
    lua_pop(L, 1);
    luaL_newmetatable(L, REQUEST_MT);
    lua_pushcfunction(L, request_gc);
    lua_setfield(L, -2, "__gc");
    lua_pop(L, 1);

    lua_newtable(L); /* decision -> JSON text, weak keys */
    lua_createtable(L, 0, 1);
    lua_pushstring(L, "k");
    lua_setfield(L, -2, "__mode");
    lua_setmetatable(L, -2);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &decision_json_key);

    luaL_newlib(L, module_functions);

    luaL_newmetatable(L, ENGINE_MT);
    luaL_newlib(L, engine_methods);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, l_close);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, l_close);
    lua_setfield(L, -2, "__close");
    lua_pushcfunction(L, engine_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_setfield(L, -2, "Engine");

    luaL_newmetatable(L, ERROR_MT);
    lua_pushcfunction(L, error_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_setfield(L, -2, "Error");

    luaL_newmetatable(L, "custos.Decision");
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, decision_json);
    lua_setfield(L, -2, "json");
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, decision_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_setfield(L, -2, "Decision");

    lua_pushlightuserdata(L, (void *)&null_sentinel);
    lua_setfield(L, -2, "null");
    lua_pushstring(L, custos_version());
    lua_setfield(L, -2, "_VERSION");
    lua_pushinteger(L, custos_version_number());
    lua_setfield(L, -2, "version_number");
    const char *dir = custos_builtin_policy_dir();
    if (dir) {
        lua_pushstring(L, dir);
        lua_setfield(L, -2, "builtin_policy_dir");
    }
    return 1;
}
