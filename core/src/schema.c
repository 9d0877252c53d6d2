/* schema.c — see schema.h. */
#include "schema.h"

#include <lauxlib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buffer_limits.h"
#include "sandbox.h"
#include "error.h"

static const struct {
    const char *name;
    schema_kind kind;
} builtin_types[] = {
    {"table", SCHEMA_TABLE},     {"string", SCHEMA_STRING},
    {"boolean", SCHEMA_BOOLEAN}, {"integer", SCHEMA_INTEGER},
    {"number", SCHEMA_NUMBER},   {"time", SCHEMA_TIME},
    {"date", SCHEMA_DATE},       {"strings", SCHEMA_STRINGS},
    {"numbers", SCHEMA_NUMBERS}, {"string-lists", SCHEMA_STRING_LISTS},
};
#define BUILTIN_TYPE_COUNT (sizeof builtin_types / sizeof *builtin_types)

#define REQUEST_SHAPE "{\"path.of.field\", \"type\", \"one line of doc\"}"
#define TYPE_SHAPE "{enum = {\"value\", ...}, doc = \"one line\"}"

/* ---- where a declaration is -------------------------------------------------------------- */

/* The first line from line `from` on holding `needle` as a whole word (or quoted) — followed
 * by `= {` when `opens_table` — else 0. */
static unsigned line_of(const char *source, size_t len, unsigned from, const char *needle,
                        bool opens_table) {
    size_t n = strlen(needle);
    if (!source || !n) return 0;
    unsigned line = 1;
    for (size_t i = 0; i + n <= len; i++) {
        if (source[i] == '\n') {
            line++;
            continue;
        }
        if (line < from || memcmp(source + i, needle, n) != 0) continue;
        if (opens_table) {
            size_t k = i + n;
            while (k < len &&
                   (source[k] == ' ' || source[k] == '\t' || source[k] == ']' || source[k] == '"'))
                k++;
            if (k >= len || source[k] != '=') continue;
            for (k++; k < len && (source[k] == ' ' || source[k] == '\t'); k++) {}
            if (k >= len || source[k] != '{') continue;
        }
        char before = i ? source[i - 1] : ' ', after = i + n < len ? source[i + n] : ' ';
        bool word_before = before == '_' || before == '.' || (before >= 'a' && before <= 'z') ||
                           (before >= 'A' && before <= 'Z') || (before >= '0' && before <= '9');
        bool word_after = after == '_' || after == '.' || (after >= 'a' && after <= 'z') ||
                          (after >= 'A' && after <= 'Z') || (after >= '0' && after <= '9');
        if (!word_before && !word_after) return line;
    }
    return 0;
}

typedef struct decl_ctx {
    schema *s;
    lua_State *L;
    const char *file, *source;
    size_t source_len;
    unsigned block_line;   /* the line of `request =`, `types =` or `data =` */
    unsigned section_line; /* within data: the line of the section being declared */
    custos_error *err;
} decl_ctx;

/* The line of a declaration: where its name appears, else where its block starts. */
static unsigned decl_line(const decl_ctx *c, const char *name, bool opens_table) {
    unsigned from = c->section_line ? c->section_line : c->block_line;
    unsigned line = line_of(c->source, c->source_len, from, name, opens_table);
    return line ? line : from;
}

static custos_status decl_error(const decl_ctx *c, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static custos_status decl_error(const decl_ctx *c, unsigned line, const char *fmt, ...) {
    char message[sizeof((custos_error *)0)->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    return error_set(c->err, CUSTOS_E_POLICY, c->file, line, 0, "%s", message);
}

static const char *copy(decl_ctx *c, const char *s) {
    char *p = arena_strdup(c->s->mem, s);
    if (!p) sandbox_raise_nomem(c->L);
    return p;
}

static void *grow(decl_ctx *c, void *items, size_t count, size_t *cap, size_t elem) {
    void *p = arena_grow(c->s->mem, items, count, cap, count + 1, elem);
    if (!p) sandbox_raise_nomem(c->L);
    return p;
}

/* ---- types ------------------------------------------------------------------------------- */

static const schema_type *find_type(const schema *s, const char *name) {
    for (size_t i = 0; i < s->type_count; i++)
        if (strcmp(s->types[i].name, name) == 0) return &s->types[i];
    return NULL;
}

/* "string, boolean, ..., level": the type names a declaration may use. */
static const char *type_names(const schema *s, bool request, char *buf, size_t size) {
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < s->type_count && used < size; i++) {
        schema_kind k = s->types[i].kind;
        if (request ? (k == SCHEMA_NUMBERS || k == SCHEMA_STRING_LISTS) : k == SCHEMA_TABLE)
            continue;
        used +=
            (size_t)snprintf(buf + used, size - used, "%s%s", used ? ", " : "", s->types[i].name);
    }
    return buf;
}

static bool same_values(const schema_type *a, const schema_type *b) {
    if (a->value_count != b->value_count) return false;
    for (size_t i = 0; i < a->value_count; i++)
        if (strcmp(a->values[i], b->values[i]) != 0) return false;
    return true;
}

static bool same_type(const schema_type *a, const schema_type *b) {
    return strcmp(a->name, b->name) == 0 && a->kind == b->kind && same_values(a, b);
}

static const char *where(const char *file, unsigned line, char *buf, size_t size) {
    if (!*file) return "the engine";
    snprintf(buf, size, "%s:%u", file, line);
    return buf;
}

/* types = { name = {enum = {...}, doc = "..."} } */
static custos_status declare_type(decl_ctx *c, const char *name, int spec) {
    lua_State *L = c->L;
    unsigned line = decl_line(c, name, false);
    if (lua_type(L, spec) != LUA_TTABLE)
        return decl_error(c, line, "types.%s: expected %s", name, TYPE_SHAPE);
    lua_pushnil(L);
    while (lua_next(L, spec)) {
        const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
        lua_pop(L, 1);
        if (!k || (strcmp(k, "enum") != 0 && strcmp(k, "doc") != 0)) {
            lua_pop(L, 1);
            return decl_error(c, line, "types.%s: unknown key '%s'; expected %s", name, k ? k : "?",
                              TYPE_SHAPE);
        }
    }
    schema_type t = {copy(c, name), SCHEMA_ENUM, NULL, 0, "", c->file, line};
    lua_pushstring(L, "doc");
    int doc_type = lua_rawget(L, spec);
    if (doc_type == LUA_TSTRING) t.doc = copy(c, lua_tostring(L, -1));
    lua_pop(L, 1);
    if (doc_type != LUA_TSTRING && doc_type != LUA_TNIL)
        return decl_error(c, line, "types.%s: doc must be a string; expected %s", name, TYPE_SHAPE);
    lua_pushstring(L, "enum");
    if (lua_rawget(L, spec) != LUA_TTABLE || lua_rawlen(L, -1) == 0) {
        lua_pop(L, 1);
        return decl_error(c, line, "types.%s: expected %s with at least one value", name,
                          TYPE_SHAPE);
    }
    int list = lua_gettop(L);
    size_t n = (size_t)lua_rawlen(L, list);
    const char **values = arena_alloc(c->s->mem, (n + 1) * sizeof *values);
    if (!values) return sandbox_raise_nomem(L);
    for (size_t i = 0; i < n; i++) {
        if (lua_rawgeti(L, list, (lua_Integer)i + 1) != LUA_TSTRING) {
            lua_pop(L, 2);
            return decl_error(c, line, "types.%s: enum[%zu] must be a string; expected %s", name,
                              i + 1, TYPE_SHAPE);
        }
        values[i] = copy(c, lua_tostring(L, -1));
        lua_pop(L, 1);
        for (size_t k = 0; k < i; k++)
            if (strcmp(values[k], values[i]) == 0) {
                lua_pop(L, 1);
                return decl_error(c, line, "types.%s: the value '%s' is listed twice", name,
                                  values[i]);
            }
    }
    lua_pop(L, 1);
    values[n] = NULL;
    t.values = values;
    t.value_count = n;
    const schema_type *old = find_type(c->s, name);
    if (old) {
        char at[CUSTOS_PLACE_BUFFER];
        if (!*old->file)
            return decl_error(c, line, "types.%s: '%s' is a built-in type; choose another name",
                              name, name);
        if (!same_values(old, &t) || strcmp(old->doc, t.doc) != 0)
            return decl_error(c, line,
                              "type '%s' is declared here and differently at %s; "
                              "declarations of one type must agree",
                              name, where(old->file, old->line, at, sizeof at));
        return CUSTOS_OK;
    }
    c->s->types = grow(c, c->s->types, c->s->type_count, &c->s->type_cap, sizeof *c->s->types);
    c->s->types[c->s->type_count++] = t;
    return CUSTOS_OK;
}

/* ---- request fields ------------------------------------------------------------------------ */

static bool valid_field_path(const char *p) {
    if (!*p || *p == '.') return false;
    for (; *p; p++) {
        if (*p == '.') {
            if (p[1] == '.' || p[1] == '\0') return false;
            continue;
        }
        if (!(*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9')))
            return false;
    }
    return true;
}

static schema_field *find_unsorted(schema *s, const char *path) {
    for (size_t i = 0; i < s->field_count; i++)
        if (strcmp(s->fields[i].path, path) == 0) return &s->fields[i];
    return NULL;
}

static custos_status add_field(decl_ctx *c, const char *path, const schema_type *type,
                               const char *doc, unsigned line) {
    char at[CUSTOS_PLACE_BUFFER];
    schema_field *old = find_unsorted(c->s, path);
    if (old) {
        bool engine_own = !*old->file;
        if (!same_type(&old->type, type) || (!engine_own && strcmp(old->doc, doc) != 0))
            return decl_error(c, line,
                              "request field '%s' is declared here as %s (\"%s\") and "
                              "at %s as %s (\"%s\"); declarations of one field must agree",
                              path, type->name, doc, where(old->file, old->line, at, sizeof at),
                              old->type.name, old->doc);
        if (engine_own) { /* the policy set documents the engine's field */
            old->doc = copy(c, doc);
            old->file = c->file;
            old->line = line;
        }
        return CUSTOS_OK;
    }
    c->s->fields = grow(c, c->s->fields, c->s->field_count, &c->s->field_cap, sizeof *c->s->fields);
    schema_field *f = &c->s->fields[c->s->field_count++];
    memset(f, 0, sizeof *f);
    f->path = copy(c, path);
    const char *dot = strrchr(f->path, '.');
    f->key = dot ? dot + 1 : f->path;
    f->type = *type;
    f->doc = copy(c, doc);
    f->file = c->file;
    f->line = line;
    return CUSTOS_OK;
}

/* request = { {"path", "type", "doc"}, ... } */
static custos_status declare_request_field(decl_ctx *c, size_t i, int item) {
    lua_State *L = c->L;
    if (lua_type(L, item) != LUA_TTABLE)
        return decl_error(c, c->block_line, "request[%zu]: expected %s, got a %s", i, REQUEST_SHAPE,
                          luaL_typename(L, item));
    const char *parts[3] = {NULL, NULL, NULL};
    for (int k = 0; k < 3; k++) {
        if (lua_rawgeti(L, item, k + 1) == LUA_TSTRING) parts[k] = copy(c, lua_tostring(L, -1));
        lua_pop(L, 1);
    }
    char quoted[300];
    if (parts[0]) snprintf(quoted, sizeof quoted, "\"%s\"", parts[0]);
    unsigned line = parts[0] ? decl_line(c, quoted, false) : c->block_line;
    size_t extra = 0;
    lua_pushnil(L);
    while (lua_next(L, item)) {
        extra += !(lua_isinteger(L, -2) && lua_tointeger(L, -2) >= 1 && lua_tointeger(L, -2) <= 3);
        lua_pop(L, 1);
    }
    if (!parts[0] || !parts[1] || !parts[2] || extra)
        return decl_error(c, line, "request[%zu]%s%s: expected %s", i, parts[0] ? " " : "",
                          parts[0] ? parts[0] : "", REQUEST_SHAPE);
    if (!valid_field_path(parts[0]))
        return decl_error(c, line,
                          "request[%zu]: '%s' is not a dotted path of names like "
                          "\"table.field\"",
                          i, parts[0]);
    size_t n = strlen(parts[0]), e = strlen(SCHEMA_TIME_TABLE "." SCHEMA_EPOCH_KEY);
    if (strncmp(parts[0], SCHEMA_TIME_TABLE "." SCHEMA_EPOCH_KEY, e) == 0 &&
        (n == e || parts[0][e] == '.'))
        return decl_error(c, line,
                          "request field '%s': %s.%s is derived from %s and cannot be "
                          "declared",
                          parts[0], SCHEMA_TIME_TABLE, SCHEMA_EPOCH_KEY, SCHEMA_TIME_PATH);
    const schema_type *t = find_type(c->s, parts[1]);
    char names[512];
    if (!t || t->kind == SCHEMA_NUMBERS || t->kind == SCHEMA_STRING_LISTS)
        return decl_error(c, line, "request field '%s': unknown type '%s' (expected one of: %s)",
                          parts[0], parts[1], type_names(c->s, true, names, sizeof names));
    return add_field(c, parts[0], t, parts[2], line);
}

/* ---- data sections ------------------------------------------------------------------------- */

static schema_section *section_for(decl_ctx *c, const char *name) {
    schema *s = c->s;
    for (size_t i = 0; i < s->section_count; i++)
        if (strcmp(s->sections[i].name, name) == 0) return &s->sections[i];
    s->sections = grow(c, s->sections, s->section_count, &s->section_cap, sizeof *s->sections);
    schema_section *sec = &s->sections[s->section_count++];
    memset(sec, 0, sizeof *sec);
    sec->name = copy(c, name);
    return sec;
}

/* data = { section = { field = "type" } } */
static custos_status declare_section(decl_ctx *c, const char *name, int fields) {
    lua_State *L = c->L;
    c->section_line = 0;
    unsigned section_line = decl_line(c, name, true);
    c->section_line = section_line;
    if (lua_type(L, fields) != LUA_TTABLE)
        return decl_error(c, section_line, "data.%s: expected a table {field = \"type\", ...}",
                          name);
    schema_section *sec = section_for(c, name);
    lua_pushnil(L);
    while (lua_next(L, fields)) {
        if (lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TSTRING) {
            lua_pop(L, 2);
            return decl_error(c, section_line, "data.%s: expected a table {field = \"type\", ...}",
                              name);
        }
        const char *field = lua_tostring(L, -2), *type_name = lua_tostring(L, -1);
        unsigned line = decl_line(c, field, false);
        const schema_type *t = find_type(c->s, type_name);
        char names[512];
        if (!t || t->kind == SCHEMA_TABLE) {
            custos_status st =
                decl_error(c, line,
                           "data.%s.%s: unknown type '%s' (expected one "
                           "of: %s)",
                           name, field, type_name, type_names(c->s, false, names, sizeof names));
            lua_pop(L, 2);
            return st;
        }
        schema_data_field *old = NULL;
        for (size_t i = 0; i < sec->field_count && !old; i++)
            if (strcmp(sec->fields[i].name, field) == 0) old = &sec->fields[i];
        if (old && !same_type(&old->type, t)) {
            char at[CUSTOS_PLACE_BUFFER];
            custos_status st = decl_error(
                c, line,
                "data field %s.%s is declared here as %s and "
                "at %s as %s; declarations of one field must agree",
                name, field, t->name, where(old->file, old->line, at, sizeof at), old->type.name);
            lua_pop(L, 2);
            return st;
        }
        if (!old) {
            sec->fields =
                grow(c, sec->fields, sec->field_count, &sec->field_cap, sizeof *sec->fields);
            sec->fields[sec->field_count++] =
                (schema_data_field){copy(c, field), *t, c->file, line};
        }
        lua_pop(L, 1);
    }
    return CUSTOS_OK;
}

/* ---- declaring ----------------------------------------------------------------------------- */

custos_status schema_init(schema *s, arena *mem, custos_error *err) {
    memset(s, 0, sizeof *s);
    s->mem = mem;
    s->type_cap = BUILTIN_TYPE_COUNT + 8;
    s->types = arena_alloc(mem, s->type_cap * sizeof *s->types);
    s->field_cap = 16;
    s->fields = arena_alloc(mem, s->field_cap * sizeof *s->fields);
    if (!s->types || !s->fields) return error_set(err, CUSTOS_E_NOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < BUILTIN_TYPE_COUNT; i++)
        s->types[s->type_count++] =
            (schema_type){builtin_types[i].name, builtin_types[i].kind, NULL, 0, "", "", 0};
    /* The engine's own: the time of the act (regime validity is judged against it). */
    s->fields[0] = (schema_field){
        SCHEMA_TIME_TABLE, SCHEMA_TIME_TABLE, *find_type(s, "table"), "", "", 0, 0, 0, 0};
    s->fields[1] = (schema_field){SCHEMA_TIME_PATH,
                                  &SCHEMA_TIME_PATH[sizeof SCHEMA_TIME_TABLE],
                                  *find_type(s, "time"),
                                  "when the act happens (RFC 3339 with offset)",
                                  "",
                                  0,
                                  0,
                                  0,
                                  0};
    s->field_count = 2;
    return CUSTOS_OK;
}

custos_status schema_declare(schema *s, lua_State *L, int index, bool only_these, const char *file,
                             const char *source, size_t source_len, custos_error *err) {
    index = lua_absindex(L, index);
    decl_ctx c = {s, L, NULL, source, source_len, 1, 0, err};
    c.file = copy(&c, file); /* fields name it for as long as the schema lives */
    custos_status st = CUSTOS_OK;
    static const char *const blocks[] = {"types", "request", "data"};
    lua_pushnil(L);
    while (only_these && lua_next(L, index)) {
        const char *key = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?";
        lua_pop(L, 1);
        if (strcmp(key, "types") && strcmp(key, "request") && strcmp(key, "data")) {
            char name[128];
            snprintf(name, sizeof name, "%s", key);
            lua_pop(L, 1);
            unsigned line = line_of(source, source_len, 1, name, false);
            return decl_error(&c, line ? line : 1,
                              "unknown key '%s'; expected `return { types = "
                              "{...}, request = {...}, data = {...} }`",
                              name);
        }
    }
    for (size_t b = 0; b < 3 && !st; b++) {
        lua_pushstring(L, blocks[b]);
        int type = lua_rawget(L, index);
        int block = lua_gettop(L);
        c.block_line = line_of(source, source_len, 1, blocks[b], true);
        c.section_line = 0;
        if (!c.block_line) c.block_line = 1;
        if (type == LUA_TNIL) {
            lua_pop(L, 1);
            continue;
        }
        if (type != LUA_TTABLE) {
            lua_pop(L, 1);
            return decl_error(&c, c.block_line, "'%s' must be a table; expected %s", blocks[b],
                              b == 0   ? "types = { name = " TYPE_SHAPE " }"
                              : b == 1 ? "request = { " REQUEST_SHAPE ", ... }"
                                       : "data = { section = { field = \"type\" } }");
        }
        if (b == 1) {
            size_t n = (size_t)lua_rawlen(L, block), keys = 0;
            lua_pushnil(L);
            while (lua_next(L, block)) {
                keys++;
                lua_pop(L, 1);
            }
            if (keys != n)
                st = decl_error(&c, c.block_line,
                                "'request' must be a list: expected request "
                                "= { " REQUEST_SHAPE ", ... }");
            for (size_t i = 1; i <= n && !st; i++) {
                lua_rawgeti(L, block, (lua_Integer)i);
                st = declare_request_field(&c, i, lua_gettop(L));
                lua_pop(L, 1);
            }
        } else {
            lua_pushnil(L);
            while (!st && lua_next(L, block)) {
                if (lua_type(L, -2) != LUA_TSTRING) {
                    st = decl_error(&c, c.block_line, "'%s' must map names to declarations",
                                    blocks[b]);
                } else {
                    char name[256];
                    snprintf(name, sizeof name, "%s", lua_tostring(L, -2));
                    st = b == 0 ? declare_type(&c, name, lua_gettop(L))
                                : declare_section(&c, name, lua_gettop(L));
                }
                lua_pop(L, 1);
            }
            if (st) lua_pop(L, 1); /* the key lua_next left */
        }
        lua_pop(L, 1);
    }
    return st;
}

static int compare_fields(const void *a, const void *b) {
    return strcmp(((const schema_field *)a)->path, ((const schema_field *)b)->path);
}

custos_status schema_finish(schema *s, custos_error *err) {
    qsort(s->fields, s->field_count, sizeof *s->fields, compare_fields);
    s->table_count = 1;
    for (size_t i = 0; i < s->field_count; i++)
        if (s->fields[i].type.kind == SCHEMA_TABLE) s->table_count++;
    s->table_field = arena_alloc(s->mem, s->table_count * sizeof *s->table_field);
    if (!s->table_field) return error_set(err, CUSTOS_E_NOMEM, NULL, 0, 0, "out of memory");
    s->table_field[SCHEMA_ROOT] = SIZE_MAX;
    size_t t = 1;
    s->list_field_count = 0;
    for (size_t i = 0; i < s->field_count; i++) {
        schema_field *f = &s->fields[i];
        if (f->type.kind == SCHEMA_TABLE) {
            f->table = t;
            s->table_field[t++] = i;
        }
        s->list_field_count += f->type.kind == SCHEMA_STRINGS;
        const char *dot = strrchr(f->path, '.');
        if (!dot) {
            f->parent = SCHEMA_ROOT;
            f->depth = 1;
            continue;
        }
        /* sorted: the parent, a prefix, came before */
        const schema_field *p = schema_find(s, f->path, (size_t)(dot - f->path));
        if (!p || p->type.kind != SCHEMA_TABLE)
            return error_set(err, CUSTOS_E_POLICY, f->file, f->line, 0,
                             "request field '%s': %s '%.*s'; declare it first: "
                             "{\"%.*s\", \"table\", \"doc\"}",
                             f->path, p ? "it cannot live under the non-table field" : "no table",
                             (int)(dot - f->path), f->path, (int)(dot - f->path), f->path);
        f->parent = p->table;
        f->depth = p->depth + 1;
    }
    const schema_field *time = schema_find(s, SCHEMA_TIME_PATH, strlen(SCHEMA_TIME_PATH));
    s->time_field = schema_index(s, time);
    return CUSTOS_OK;
}

/* ---- reading ------------------------------------------------------------------------------- */

const schema_field *schema_find(const schema *s, const char *path, size_t len) {
    size_t lo = 0, hi = s->field_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *p = s->fields[mid].path;
        int c = strncmp(p, path, len);
        if (c == 0 && p[len] != '\0') c = 1; /* p is longer: it sorts after */
        if (c == 0) return &s->fields[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const schema_field *schema_child(const schema *s, size_t table, const char *key, size_t len) {
    if (table == SCHEMA_ROOT) return schema_find(s, key, len);
    const schema_field *t = &s->fields[s->table_field[table]];
    char path[512];
    size_t n = strlen(t->path);
    if (n + 1 + len >= sizeof path) return NULL;
    memcpy(path, t->path, n);
    path[n] = '.';
    memcpy(path + n + 1, key, len);
    return schema_find(s, path, n + 1 + len);
}

const char *schema_table_path(const schema *s, size_t t) {
    return t == SCHEMA_ROOT ? "" : s->fields[s->table_field[t]].path;
}

const schema_section *schema_find_section(const schema *s, const char *name) {
    for (size_t i = 0; i < s->section_count; i++)
        if (strcmp(s->sections[i].name, name) == 0) return &s->sections[i];
    return NULL;
}

bool schema_enum_allows(const schema_type *t, const char *s, size_t len) {
    for (size_t i = 0; i < t->value_count; i++)
        if (strlen(t->values[i]) == len && memcmp(t->values[i], s, len) == 0) return true;
    return false;
}

const char *schema_expectation(const schema_type *t, char *buf, size_t size) {
    switch (t->kind) {
    case SCHEMA_TABLE: return "a mapping";
    case SCHEMA_STRING: return "a string";
    case SCHEMA_BOOLEAN: return "a boolean (true or false)";
    case SCHEMA_INTEGER: return "an integer";
    case SCHEMA_NUMBER: return "a number";
    case SCHEMA_TIME: return "an RFC 3339 time with an offset, like \"2026-11-22T10:00:00+08:00\"";
    case SCHEMA_DATE: return "a date like \"2027-06-30\" or an RFC 3339 time";
    case SCHEMA_STRINGS: return "a list of strings";
    case SCHEMA_NUMBERS: return "a list of numbers";
    case SCHEMA_STRING_LISTS: return "a mapping of names to lists of strings";
    case SCHEMA_ENUM: {
        size_t used = (size_t)snprintf(buf, size, "one of:");
        for (size_t i = 0; i < t->value_count && used < size; i++)
            used += (size_t)snprintf(buf + used, size - used, "%s %s", i ? "," : "", t->values[i]);
        return buf;
    }
    }
    return "a value";
}

/* ---- the public view ----------------------------------------------------------------------- */

size_t schema_field_count(const schema *s) { return s ? s->field_count : 0; }

bool schema_field_info(const schema *s, size_t i, custos_field_info *out) {
    if (!s || !out || i >= s->field_count) return false;
    const schema_field *f = &s->fields[i];
    *out = (custos_field_info){f->path,        (custos_field_type)f->type.kind,
                               f->type.name,   f->type.value_count,
                               f->type.values, f->doc,
                               f->file,        f->line};
    return true;
}

bool schema_find_info(const schema *s, const char *path, custos_field_info *out) {
    if (!s || !path) return false;
    const schema_field *f = schema_find(s, path, strlen(path));
    return f && schema_field_info(s, schema_index(s, f), out);
}
