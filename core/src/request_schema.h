/*
 * request_schema.h — TRANSITIONAL: the request fields of the most recently loaded policy set,
 * in the shape core/cli used when they were a static table.  Only the CLI reads this; it goes
 * away once the CLI asks custos_policies_field* instead (delete this file and its .c then).
 */
#ifndef CUSTOS_REQUEST_SCHEMA_H
#define CUSTOS_REQUEST_SCHEMA_H

#include <stddef.h>

typedef enum req_kind { REQ_TABLE, REQ_STRING, REQ_ENUM, REQ_BOOL, REQ_TIME, REQ_DATE, REQ_LIST } req_kind;

typedef struct req_field {
    const char *path;
    req_kind kind;
    const char *const *values; /* REQ_ENUM: NULL-terminated */
    const char *doc;
} req_field;

const req_field *request_schema_fields(size_t *count);
#define req_fields (request_schema_fields(NULL))
#define req_field_count (request_schema_count())
size_t request_schema_count(void);
const req_field *req_field_find(const char *path, size_t len);

#include "custos.h"

/* Checks req's declared fields against the same schema (see request_check). */
custos_status request_schema_check(const custos_request *req, custos_error *err);

struct bundle;
/* Makes b's schema the one above (bundle_load calls it on success). */
void request_schema_publish(struct bundle *b);

#endif
