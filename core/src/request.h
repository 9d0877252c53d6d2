/*
 * request.h — the inside of a custos_request, for the evaluator that hands it to policies.
 *
 * A request knows no schema: it holds the fields it was given, in order, each a dotted path
 * and a value with its shape (and, when parsed, its position).  The evaluator checks them
 * against the bundle's schema at decide time (request_check).  Each distinct path is interned
 * once per request (req_path) and remembers what it resolved to in the last schema it met, so
 * a request rebuilt field by field in a loop resolves nothing and allocates nothing once warm.
 * Only context.time is the engine's own: it is checked when set, like the derived
 * context.epoch is refused.
 */
#ifndef CUSTOS_REQUEST_H
#define CUSTOS_REQUEST_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "custos.h"
#include "doc.h"
#include "schema.h"

/* What a path resolved to in one schema. */
typedef struct req_path {
    char *text;
    size_t len;
    size_t dots;               /* its '.'s: the levels it nests, less one (counted once) */
    uint64_t schema_id;        /* the schema it was resolved in (0: none yet) */
    size_t field;              /* its schema field, or SIZE_MAX when the schema has none */
    size_t table;              /* otherwise: the deepest declared table it is under */
    size_t rest;               /* and where in text the part under that table starts */
    size_t value_field;        /* SIZE_MAX, or a declared non-table field it would be under */
    bool valid;                /* a dotted path of valid UTF-8 (else setters refuse it) */
    bool is_time;              /* context.time */
    bool is_epoch;             /* context.epoch or under it: derived, never set */
    bool has_descendants;      /* another interned path is under it (setting it drops those) */
    uint64_t entry_generation; /* == the request's generation: entries[entry_index] is its */
    size_t entry_index;
} req_path;

typedef struct req_entry {
    req_path *path;
    doc_node *value;    /* in the request's arena */
    size_t cap;         /* a string value's buffer size, reused when a new value fits */
    int64_t epoch;      /* context.time: its instant */
    uint32_t line, col; /* parsed values: where the value is (0 when set by a call) */
} req_entry;

/* Hosts pass field paths as literals: remember where each pointer led (confirmed by comparing
 * the text on every hit, so a reused buffer holding another path cannot mislead it). */
#define REQ_PATH_CACHE 64 /* 32 sets of two ways */

struct custos_request {
    arena mem; /* entries and values: reset by custos_request_clear */
    struct {
        const char *ptr;
        req_path *path;
    } path_cache[REQ_PATH_CACHE];
    req_path **paths; /* interned paths: kept across clears (malloc'd) */
    size_t path_count, path_cap;
    req_entry *entries; /* kept across clears (malloc'd) */
    size_t entry_count, entry_cap;
    uint64_t generation; /* changes when entries are cleared or move */
    const char *name;    /* a parsed request's document name, for errors */
    char *json;          /* custos_request_json's text (malloc'd by the library) */
};

/* Resolves every path of req in schema s (identified by id) and checks every value against
 * its field: CUSTOS_E_INPUT naming the field (and, for parsed values, file:line:col).  Also
 * finds context.time: *epoch, or CUSTOS_E_INPUT when it is missing (unless epoch is NULL). */
custos_status request_check(const custos_request *req, const schema *s, uint64_t id, int64_t *epoch,
                            custos_error *err);

/* Called for each field of a request its schema does not declare: its dotted path, the declared
 * field nearest to it by edit distance (NULL when none is close), and where the value is (0 when
 * set by a call).  Returns false to stop. */
typedef bool (*request_unknown_fn)(void *ud, const char *path, const char *nearest, uint32_t line,
                                   uint32_t col);

/* Walks req for fields schema s (identified by id) does not declare — under a declared table or
 * at the top — and calls fn (may be NULL) for each; returns how many it found (it stops at the
 * first fn returns false for). */
size_t request_unknown_fields(const custos_request *req, const schema *s, uint64_t id,
                              request_unknown_fn fn, void *ud);

/* The declared field whose path is nearest to path (len bytes), or NULL when none is within a
 * few edits. */
const char *request_nearest_field(const schema *s, const char *path, size_t len);

#endif
