/*
 * schema.h — the vocabulary of a policy set, compiled at load: the request fields policies read
 * (path, type, allowed values, one line of doc) and the shapes of the data sections they read.
 *
 * The engine declares only what it needs itself: the table `context` and `context.time` (the
 * time of the act, which regime validity is judged against; policies also get the derived
 * `context.epoch`).  Everything else is declared by the policy set in Lua: a `schema.lua`
 * beside the regime folders and each regime.lua's `types`, `request` and `data`:
 *
 *     return {
 *       types = { size = { enum = {"small", "large"}, doc = "how big" } },
 *       request = {
 *         { "item", "table", "the thing asked about" },
 *         { "item.size", "size", "its size" },
 *       },
 *       data = { shelves = { fits = "size", label = "string" } },
 *     }
 *
 * The same path (or type, or data field) declared twice must agree exactly.  A finished schema
 * is immutable and lives in the bundle's arena.
 */
#ifndef CUSTOS_SCHEMA_H
#define CUSTOS_SCHEMA_H

#include <lua.h>
#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "custos.h"

/* The kinds of values; the first nine are custos_field_type's, in its order. */
typedef enum schema_kind {
    SCHEMA_TABLE = CUSTOS_FIELD_TABLE, /* request only: a mapping holding other fields */
    SCHEMA_STRING = CUSTOS_FIELD_STRING,
    SCHEMA_ENUM = CUSTOS_FIELD_ENUM, /* a string from a named type's fixed set */
    SCHEMA_BOOLEAN = CUSTOS_FIELD_BOOLEAN,
    SCHEMA_INTEGER = CUSTOS_FIELD_INTEGER,
    SCHEMA_NUMBER = CUSTOS_FIELD_NUMBER,
    SCHEMA_TIME = CUSTOS_FIELD_TIME,    /* an RFC 3339 instant with an offset */
    SCHEMA_DATE = CUSTOS_FIELD_DATE,    /* "2027-06-30" or an RFC 3339 instant */
    SCHEMA_STRINGS = CUSTOS_FIELD_LIST, /* a list of strings */
    SCHEMA_NUMBERS,                     /* data only: a list of numbers */
    SCHEMA_STRING_LISTS                 /* data only: a mapping of names to lists of strings */
} schema_kind;

/* A value's type: a built-in one ("boolean") or a named one ("level"). */
typedef struct schema_type {
    const char *name;
    schema_kind kind;
    const char *const *values; /* SCHEMA_ENUM: NULL-terminated, in declared order */
    size_t value_count;
    const char *doc;  /* named types: their doc ("" when none) */
    const char *file; /* where a named type was declared ("" for built-ins) */
    unsigned line;
} schema_type;

/* A request table: the root (index 0) or a field of kind SCHEMA_TABLE. */
#define SCHEMA_ROOT 0

typedef struct schema_field {
    const char *path; /* "item.size" */
    const char *key;  /* "size": its last segment */
    schema_type type;
    const char *doc;  /* "" when none */
    const char *file; /* "" for the engine's own */
    unsigned line;
    size_t parent; /* the table it lives in */
    size_t table;  /* SCHEMA_TABLE: the table it is */
    size_t depth;  /* 1 for a field of the root */
} schema_field;

typedef struct schema_data_field {
    const char *name;
    schema_type type;
    const char *file;
    unsigned line;
} schema_data_field;

/* A data section: a mapping of records by id, each record's declared fields typed. */
typedef struct schema_section {
    const char *name;
    schema_data_field *fields;
    size_t field_count, field_cap;
} schema_section;

typedef struct schema {
    schema_field *fields; /* sorted by path (lookups bisect) */
    size_t field_count;
    size_t *table_field; /* per table: its field (SIZE_MAX for the root) */
    size_t table_count;
    size_t time_field;       /* context.time */
    size_t list_field_count; /* fields of kind SCHEMA_STRINGS */
    schema_section *sections;
    size_t section_count;
    schema_type *types; /* built-in, then named */
    size_t type_count;
    /* while building */
    arena *mem;
    size_t field_cap, section_cap, type_cap;
} schema;

/* The table that holds context.time, and the key of the value derived from it. */
#define SCHEMA_TIME_TABLE "context"
#define SCHEMA_TIME_PATH "context.time"
#define SCHEMA_EPOCH_KEY "epoch"

/* Starts a schema holding the engine's own declarations; strings go to `mem`. */
custos_status schema_init(schema *s, arena *mem, custos_error *err);

/* Adds the declarations of the table at `index` (what schema.lua returned, or a regime{}
 * table), read raw: `types`, `request`, `data`; with `only_these`, any other key is an error
 * (schema.lua holds nothing else).  `file` and its `source` text name the lines of errors.
 * Under lua_pcall (it may raise out-of-memory errors only). */
custos_status schema_declare(schema *s, lua_State *L, int index, bool only_these, const char *file,
                             const char *source, size_t source_len, custos_error *err);

/* Sorts the fields and links each to its table; an undeclared parent table is an error. */
custos_status schema_finish(schema *s, custos_error *err);

/* The field with this dotted path (len bytes), or NULL. */
const schema_field *schema_find(const schema *s, const char *path, size_t len);

/* The index of a field in s->fields. */
static inline size_t schema_index(const schema *s, const schema_field *f) {
    return (size_t)(f - s->fields);
}

/* The field with key (len bytes) in table t, or NULL. */
const schema_field *schema_child(const schema *s, size_t table, const char *key, size_t len);

/* The dotted path of table t ("" for the root). */
const char *schema_table_path(const schema *s, size_t t);

/* The section with this name, or NULL. */
const schema_section *schema_find_section(const schema *s, const char *name);

/* What a value of this type should look like, for messages ("a boolean (true or false)",
 * "one of: small, large"). */
const char *schema_expectation(const schema_type *t, char *buf, size_t size);

/* Whether an enum type allows the string s (len bytes). */
bool schema_enum_allows(const schema_type *t, const char *s, size_t len);

/* For the public API (custos_policies_field*): the count, the i-th field by path order, and
 * the field with a path; false when there is none. */
size_t schema_field_count(const schema *s);
bool schema_field_info(const schema *s, size_t i, custos_field_info *out);
bool schema_find_info(const schema *s, const char *path, custos_field_info *out);

#endif
