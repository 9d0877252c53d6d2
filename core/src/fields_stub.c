/*
 * fields_stub.c — TEMPORARY: custos_policies_field* over the engine's built-in request field
 * table (request_schema.h), until the policy set declares its own schema (policies/schema.lua
 * and each regime's `request = {...}`).  The lead replaces this file when that lands; the
 * snapshot `p` is not consulted, since the table is the same for every policy set.
 */
#include <string.h>

#include "custos.h"
#include "request_schema.h"

static custos_field_type field_type(req_kind kind) {
    switch (kind) {
    case REQ_TABLE: return CUSTOS_FIELD_TABLE;
    case REQ_STRING: return CUSTOS_FIELD_STRING;
    case REQ_ENUM: return CUSTOS_FIELD_ENUM;
    case REQ_BOOL: return CUSTOS_FIELD_BOOLEAN;
    case REQ_TIME: return CUSTOS_FIELD_TIME;
    case REQ_DATE: return CUSTOS_FIELD_DATE;
    case REQ_LIST: return CUSTOS_FIELD_LIST;
    }
    return CUSTOS_FIELD_STRING;
}

static const char *type_name(req_kind kind) {
    switch (kind) {
    case REQ_TABLE: return "table";
    case REQ_STRING: return "string";
    case REQ_ENUM: return "enum";
    case REQ_BOOL: return "boolean";
    case REQ_TIME: return "time";
    case REQ_DATE: return "date";
    case REQ_LIST: return "list";
    }
    return "string";
}

static void describe(const req_field *f, custos_field_info *out) {
    size_t values = 0;
    while (f->values && f->values[values]) values++;
    *out = (custos_field_info){f->path, field_type(f->kind), type_name(f->kind), values,
                               f->values, f->doc ? f->doc : "", "", 0};
}

size_t custos_policies_field_count(const custos_policies *p) { return p ? req_field_count : 0; }

custos_status custos_policies_field(const custos_policies *p, size_t i, custos_field_info *out) {
    if (!p || !out || i >= req_field_count) return CUSTOS_E_ARGUMENT;
    describe(&req_fields[i], out);
    return CUSTOS_OK;
}

custos_status custos_policies_find_field(const custos_policies *p, const char *path,
                                         custos_field_info *out) {
    if (!p || !path || !out) return CUSTOS_E_ARGUMENT;
    const req_field *f = req_field_find(path, strlen(path));
    if (!f) return CUSTOS_E_NOT_FOUND;
    describe(f, out);
    return CUSTOS_OK;
}
