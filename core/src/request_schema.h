/*
 * request_schema.h — the request fields custos knows, their types, and the tables they live in.
 *
 * Known fields are type-checked when set or parsed; unknown fields are kept as they came and
 * shown to policies too.  Policies read a request through tables that refuse to read a field
 * neither known nor present, so a typo in a policy names itself.
 */
#ifndef CUSTOS_REQUEST_SCHEMA_H
#define CUSTOS_REQUEST_SCHEMA_H

#include <stddef.h>

typedef enum req_kind {
    REQ_TABLE,  /* a mapping holding other fields */
    REQ_STRING,
    REQ_ENUM,   /* a string from a fixed set */
    REQ_BOOL,
    REQ_TIME,   /* an RFC 3339 instant with offset; policies also get context.epoch */
    REQ_DATE,   /* a date ("2027-06-30", China time) or an RFC 3339 instant */
    REQ_LIST    /* a list of strings */
} req_kind;

/* The tables of a request, in the order they nest. */
typedef enum req_table {
    REQ_T_ROOT,
    REQ_T_SUBJECT,
    REQ_T_RESOURCE,
    REQ_T_CONTEXT,
    REQ_T_CONSENT,
    REQ_T_COUNT
} req_table;

typedef struct req_field {
    const char *path;          /* "resource.entrusted" */
    const char *key;           /* "entrusted": the last segment */
    req_kind kind;
    req_table parent;          /* the table the key lives in */
    req_table self;            /* for REQ_TABLE: the table it is */
    const char *const *values; /* for REQ_ENUM: NULL-terminated */
    const char *doc;           /* one line for help and completion */
} req_field;

/* Fields in sorted path order (tests/unit/test_request.c checks the order). */
extern const req_field req_fields[];
extern const size_t req_field_count;

/* The field for a dotted path, or NULL when the path is not a known field. */
const req_field *req_field_find(const char *path, size_t len);

/* The field index of a known field (its position in req_fields). */
size_t req_field_index(const req_field *f);

/* The table field for a req_table (REQ_T_ROOT has none: NULL). */
const req_field *req_table_field(req_table t);

/* The table that holds table t (REQ_T_ROOT for itself). */
req_table req_table_parent(req_table t);

/* The dotted prefix of a table ("", "subject", ..., "context.consent"). */
const char *req_table_path(req_table t);

/* The name of context.epoch: derived from context.time, never settable. */
#define REQ_EPOCH_KEY "epoch"

/* What a value of this kind should look like, for error messages ("a boolean (true or
 * false)", "one of: top_secret, secret, confidential, public"). */
const char *req_kind_expectation(const req_field *f, char *buf, size_t size);

#endif
