/*
 * request.h — the inside of a custos_request, for the evaluator that hands it to policies.
 *
 * Known fields live in slots indexed like req_fields (typed, checked when set); unknown
 * fields live in `extras` as small trees, each attached to the known table it was found in.
 * Strings are copied into the request's arena; a slot reuses its buffer when a new value
 * fits, so a request rebuilt field by field in a loop does not grow.
 */
#ifndef CUSTOS_REQUEST_H
#define CUSTOS_REQUEST_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "custos.h"
#include "doc.h"
#include "request_schema.h"

#define REQ_MAX_FIELDS 64

typedef struct req_slot {
    bool set;
    bool b;           /* REQ_BOOL */
    const char *s;    /* REQ_STRING, REQ_ENUM, REQ_TIME */
    size_t len, cap;  /* s's length and its buffer's capacity */
    int64_t epoch;    /* REQ_TIME */
    const char **items; /* REQ_LIST */
    size_t count, items_cap;
} req_slot;

typedef struct req_extra {
    req_table parent;
    const char *key;
    doc_node *value;
} req_extra;

/* Hosts pass field paths as literals: remember where each pointer led (confirmed by comparing
 * the text on every hit, so a reused buffer holding another path cannot mislead it). */
#define REQ_PATH_CACHE 32

struct custos_request {
    arena mem;
    struct {
        const char *path;
        const req_field *field;
    } path_cache[REQ_PATH_CACHE];
    req_slot slots[REQ_MAX_FIELDS];
    req_extra *extras;
    size_t extra_count, extra_cap;
    char *json; /* malloc'd by jansson for custos_request_json */
};

/* True when any field under table t (known or extra) is set. */
bool request_table_present(const custos_request *req, req_table t);

#endif
