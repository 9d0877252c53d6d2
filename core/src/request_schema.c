/* request_schema.c — TRANSITIONAL: see request_schema.h. */
#include "request_schema.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "request.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static bundle *published;   /* holds a reference: the strings live in its arena */
static req_field *fields;
static size_t count;

void request_schema_publish(bundle *b) {
    const schema *s = &b->schema;
    req_field *made = calloc(s->field_count + 1, sizeof *made);
    if (!made) return;
    for (size_t i = 0; i < s->field_count; i++) {
        const schema_field *f = &s->fields[i];
        req_kind k = REQ_STRING;
        switch (f->type.kind) {
        case SCHEMA_TABLE: k = REQ_TABLE; break;
        case SCHEMA_ENUM: k = REQ_ENUM; break;
        case SCHEMA_BOOLEAN: k = REQ_BOOL; break;
        case SCHEMA_TIME: k = REQ_TIME; break;
        case SCHEMA_DATE: k = REQ_DATE; break;
        case SCHEMA_STRINGS: k = REQ_LIST; break;
        default: break;
        }
        made[i] = (req_field){f->path, k, f->type.values, f->doc};
    }
    pthread_mutex_lock(&lock);
    bundle *old = published;
    free(fields);
    fields = made;
    count = s->field_count;
    published = bundle_ref_take(b);
    pthread_mutex_unlock(&lock);
    bundle_unref(old);
}

const req_field *request_schema_fields(size_t *n) {
    if (n) *n = count;
    return fields;
}

size_t request_schema_count(void) { return count; }

const req_field *req_field_find(const char *path, size_t len) {
    for (size_t i = 0; i < count; i++)
        if (strlen(fields[i].path) == len && memcmp(fields[i].path, path, len) == 0)
            return &fields[i];
    return NULL;
}

custos_status request_schema_check(const custos_request *req, custos_error *err) {
    pthread_mutex_lock(&lock);
    bundle *b = bundle_ref_take(published);
    pthread_mutex_unlock(&lock);
    custos_status st = b ? request_check(req, &b->schema, b->id, NULL, err) : CUSTOS_OK;
    bundle_unref(b);
    return st;
}
