/* request.c — custos_request: building, parsing, checking and printing requests. */
#include "request.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>

#include <jansson.h>

#include "buffer_limits.h"
#include "error.h"
#include "json_watch.h"
#include "timeutil.h"
#include "utf8.h"

/* More distinct paths than this, and custos_request_clear forgets them (a host inventing
 * paths would otherwise grow the request without bound). */
#define REQ_MAX_KEPT_PATHS 256

static const char time_path[] = SCHEMA_TIME_PATH;
static const char epoch_path[] = SCHEMA_TIME_TABLE "." SCHEMA_EPOCH_KEY;

custos_status custos_request_new(custos_request **out) {
    if (!out) return CUSTOS_E_ARGUMENT;
    *out = calloc(1, sizeof **out);
    if (!*out) return CUSTOS_E_NOMEM;
    arena_init(&(*out)->mem, 4096);
    (*out)->generation = 1; /* new paths (generation 0) have no entry */
    return CUSTOS_OK;
}

static void request_drop_json(custos_request *req) {
    if (!req->json) return; /* the usual case: every setter calls this */
    free(req->json);
    req->json = NULL;
}

static void forget_paths(custos_request *req) {
    for (size_t i = 0; i < req->path_count; i++) {
        free(req->paths[i]->text);
        free(req->paths[i]);
    }
    free(req->paths);
    req->paths = NULL;
    req->path_count = req->path_cap = 0;
    memset(req->path_cache, 0, sizeof req->path_cache);
}

void custos_request_free(custos_request *req) {
    if (!req) return;
    arena_free(&req->mem);
    request_drop_json(req);
    forget_paths(req);
    free(req->entries);
    free(req);
}

void custos_request_clear(custos_request *req) {
    if (!req) return;
    arena_reset(&req->mem);
    req->entry_count = 0; /* the array is kept: a request rebuilt in a loop reuses it */
    req->generation++;
    req->name = NULL;
    request_drop_json(req);
    if (req->path_count > REQ_MAX_KEPT_PATHS) forget_paths(req);
}

/* ---- paths and entries -------------------------------------------------------------------- */

static bool valid_path(const char *path, size_t n) {
    if (!n || *path == '.' || path[n - 1] == '.' || strstr(path, "..")) return false;
    return utf8_valid(path, n);
}

static bool is_under(const req_path *inner, const req_path *outer) {
    return inner->len > outer->len && inner->text[outer->len] == '.' &&
           memcmp(inner->text, outer->text, outer->len) == 0;
}

/* The interned record of path (len bytes), made on first sight. */
static req_path *intern(custos_request *req, const char *path, size_t len) {
    for (size_t i = 0; i < req->path_count; i++)
        if (req->paths[i]->len == len && memcmp(req->paths[i]->text, path, len) == 0)
            return req->paths[i];
    if (req->path_count == req->path_cap) {
        size_t cap = req->path_cap ? req->path_cap * 2 : 16;
        req_path **grown = realloc(req->paths, cap * sizeof *grown);
        if (!grown) return NULL;
        req->paths = grown;
        req->path_cap = cap;
    }
    req_path *p = calloc(1, sizeof *p);
    char *text = p ? malloc(len + 1) : NULL;
    if (!text) {
        free(p);
        return NULL;
    }
    memcpy(text, path, len);
    text[len] = '\0';
    p->text = text;
    p->len = len;
    /* what setters ask of every path, worked out once */
    p->valid = valid_path(text, len);
    for (size_t i = 0; i < len; i++) p->dots += text[i] == '.';
    p->is_time = len == sizeof time_path - 1 && memcmp(text, time_path, len) == 0;
    size_t e = sizeof epoch_path - 1;
    p->is_epoch = len >= e && memcmp(text, epoch_path, e) == 0 && (len == e || text[e] == '.');
    for (size_t i = 0; i < req->path_count; i++) {
        p->has_descendants |= is_under(req->paths[i], p);
        req->paths[i]->has_descendants |= is_under(p, req->paths[i]);
    }
    req->paths[req->path_count++] = p;
    return p;
}

/* The record for a path a host passed, through the pointer cache: two ways per set, so two
 * literals that meet in one set (their addresses REQ_PATH_CACHE / 2 granules apart) both stay. */
static req_path *intern_cached(custos_request *req, const char *path) {
    size_t set = ((uintptr_t)path >> 3) % (REQ_PATH_CACHE / 2) * 2;
    req_path *p = req->path_cache[set].ptr == path       ? req->path_cache[set].path
                  : req->path_cache[set + 1].ptr == path ? req->path_cache[set + 1].path
                                                         : NULL;
    if (p && strcmp(p->text, path) == 0) return p;
    p = intern(req, path, strlen(path));
    if (p) { /* the newest first; the other way keeps the one it displaces */
        req->path_cache[set + 1] = req->path_cache[set];
        req->path_cache[set].ptr = path;
        req->path_cache[set].path = p;
    }
    return p;
}

/* Notes where each entry from `from` on is, for entry_of. */
static void index_entries(custos_request *req, size_t from) {
    for (size_t i = from; i < req->entry_count; i++) {
        req->entries[i].path->entry_generation = req->generation;
        req->entries[i].path->entry_index = i;
    }
}

/* The index of p's entry, or SIZE_MAX. */
static size_t entry_of(const custos_request *req, const req_path *p) {
    return p->entry_generation == req->generation ? p->entry_index : SIZE_MAX;
}

/* Keeps the entries keep() accepts, in order. */
static void compact_entries(custos_request *req, bool (*keep)(const req_entry *, const void *),
                            const void *ud) {
    size_t kept = 0;
    for (size_t i = 0; i < req->entry_count; i++)
        if (keep(&req->entries[i], ud)) req->entries[kept++] = req->entries[i];
    req->entry_count = kept;
    req->generation++;
    index_entries(req, 0);
}

static bool not_at_or_under(const req_entry *e, const void *ud) {
    const req_path *p = ud;
    return e->path != p && !is_under(e->path, p);
}

/* entry_for's general case, out of line so that the usual one stays a few instructions. */
__attribute__((noinline)) static req_entry *entry_moved_last(custos_request *req, req_path *p,
                                                             size_t found) {
    bool under = false;
    for (size_t i = 0; p->has_descendants && i < req->entry_count; i++)
        under |= is_under(req->entries[i].path, p);
    if (found != SIZE_MAX && !under && found + 1 == req->entry_count) return &req->entries[found];
    req_entry entry = {0};
    entry.path = p;
    if (found != SIZE_MAX) entry = req->entries[found];
    if (found != SIZE_MAX || under) compact_entries(req, not_at_or_under, p);
    if (req->entry_count == req->entry_cap) {
        size_t cap = req->entry_cap ? req->entry_cap * 2 : 16;
        req_entry *grown = realloc(req->entries, cap * sizeof *grown);
        if (!grown) return NULL;
        req->entries = grown;
        req->entry_cap = cap;
    }
    req->entries[req->entry_count++] = entry;
    index_entries(req, req->entry_count - 1);
    return &req->entries[req->entry_count - 1];
}

/* The entry for path p, moved last (the last set wins where paths overlap); fields under p are
 * dropped, as a new value replaces what was there.  Made when absent. */
static req_entry *entry_for(custos_request *req, req_path *p) {
    size_t found = entry_of(req, p);
    /* the usual case, a request built field by field: a path new to it, with room */
    if (found == SIZE_MAX && !p->has_descendants && req->entry_count < req->entry_cap) {
        size_t at = req->entry_count++;
        req->entries[at] = (req_entry){.path = p};
        p->entry_generation = req->generation;
        p->entry_index = at;
        return &req->entries[at];
    }
    return entry_moved_last(req, p, found);
}

static doc_node *new_node(custos_request *req, doc_kind kind) {
    doc_node *n = arena_alloc(&req->mem, sizeof *n);
    if (n) {
        memset(n, 0, sizeof *n);
        n->kind = kind;
    }
    return n;
}

/* Stores a string value, reusing the entry's buffer when it fits. */
static custos_status entry_store_string(custos_request *req, req_entry *e, const char *s,
                                        size_t len) {
    if (!e->value || e->value->kind != DOC_STR || len + 1 > e->cap) {
        doc_node *n = arena_alloc(&req->mem, sizeof *n + len + 1); /* the node, then its text */
        if (!n) return CUSTOS_E_NOMEM;
        memset(n, 0, sizeof *n);
        n->kind = DOC_STR;
        n->u.str.s = (char *)(n + 1);
        e->value = n;
        e->cap = len + 1;
    }
    memcpy((char *)e->value->u.str.s, s, len);
    ((char *)e->value->u.str.s)[len] = '\0';
    e->value->u.str.len = len;
    e->line = e->col = 0;
    return CUSTOS_OK;
}

/* ---- the setters -------------------------------------------------------------------------- */

/* value_levels: the levels the value adds (1 a scalar, 2 a list).  A path and its value nest
 * at most DOC_MAX_DEPTH levels, as in a request document: deeper, the request could not be
 * written out as JSON or read back, and its recursive walks would overflow the C stack. */
static custos_status setter_prologue(custos_request *req, const char *path, custos_error *err,
                                     req_path **p, size_t value_levels) {
    *p = NULL;
    if (!req || !path)
        return error_set(err, CUSTOS_E_ARGUMENT, NULL, 0, 0,
                         "expected a request and a dotted field path like \"table.field\"");
    request_drop_json(req);
    *p = intern_cached(req, path);
    if (!*p) return error_set(err, CUSTOS_E_NOMEM, NULL, 0, 0, "out of memory");
    if (!(*p)->valid)
        return error_set(err, CUSTOS_E_ARGUMENT, NULL, 0, 0,
                         "expected a dotted field path like \"table.field\", got \"%.*s\"",
                         utf8_precision(path, 100), path);
    size_t levels = value_levels + (*p)->dots;
    if (levels > DOC_MAX_DEPTH)
        return error_set(err, CUSTOS_E_ARGUMENT, NULL, 0, 0,
                         "\"%.*s...\": a field path and its value nest at most %d levels, as in a "
                         "request document; this one nests %zu",
                         utf8_precision(path, 100), path, DOC_MAX_DEPTH, levels);
    if ((*p)->is_epoch)
        return error_set(err, CUSTOS_E_INPUT, NULL, 0, 0, "%s is derived from %s and cannot be set",
                         epoch_path, time_path);
    return CUSTOS_OK;
}

static custos_status not_a_time(const char *got, custos_error *err) {
    char expect[128];
    schema_type t = {"time", SCHEMA_TIME, NULL, 0, "", "", 0};
    return error_set(err, CUSTOS_E_INPUT, NULL, 0, 0, "%s: expected %s, got %s", time_path,
                     schema_expectation(&t, expect, sizeof expect), got);
}

custos_status custos_request_set_string(custos_request *req, const char *path, const char *value,
                                        custos_error *err) {
    req_path *p;
    custos_status st = setter_prologue(req, path, err, &p, 1);
    if (st) return st;
    if (!value) return error_set(err, CUSTOS_E_ARGUMENT, NULL, 0, 0, "%s: value is NULL", path);
    size_t len = strlen(value);
    if (!utf8_valid(value, len))
        return error_set(err, CUSTOS_E_INPUT, NULL, 0, 0, "%s: the value is not valid UTF-8", path);
    int64_t epoch = 0;
    if (p->is_time) {
        const char *why = "";
        if (!time_parse_instant(value, len, &epoch, &why))
            return error_set(err, CUSTOS_E_INPUT, NULL, 0, 0,
                             "%s: \"%.*s\" is not a valid time: %s", path,
                             (int)(len > 200 ? 200 : len), value, why);
    }
    req_entry *e = entry_for(req, p);
    if (!e || entry_store_string(req, e, value, len)) return CUSTOS_E_NOMEM;
    e->epoch = epoch;
    return CUSTOS_OK;
}

custos_status custos_request_set_time(custos_request *req, time_t t, int offset_minutes,
                                      custos_error *err) {
    char text[40];
    if (!req) return error_set(err, CUSTOS_E_ARGUMENT, NULL, 0, 0, "expected a request");
    if (offset_minutes <= -24 * 60 || offset_minutes >= 24 * 60)
        return error_set(err, CUSTOS_E_ARGUMENT, NULL, 0, 0,
                         "%s: offset %d minutes: expected -1439 to 1439 (-23:59 to +23:59)",
                         time_path, offset_minutes);
    if (!time_format_offset((int64_t)t, offset_minutes, text, sizeof text))
        return error_set(err, CUSTOS_E_ARGUMENT, NULL, 0, 0,
                         "%s: %lld is outside the years 0000-9999", time_path, (long long)t);
    return custos_request_set_string(req, time_path, text, err);
}

/* Sets a scalar of another kind than string. */
static custos_status set_scalar(custos_request *req, const char *path, doc_node scalar,
                                custos_error *err) {
    req_path *p;
    custos_status st = setter_prologue(req, path, err, &p, 1);
    if (st) return st;
    if (p->is_time) return not_a_time(doc_kind_name(scalar.kind), err);
    req_entry *e = entry_for(req, p);
    doc_node *n = e ? new_node(req, scalar.kind) : NULL;
    if (!n) return CUSTOS_E_NOMEM;
    n->u = scalar.u;
    e->value = n;
    e->cap = 0;
    e->line = e->col = 0;
    return CUSTOS_OK;
}

custos_status custos_request_set_bool(custos_request *req, const char *path, bool value,
                                      custos_error *err) {
    doc_node n = {.kind = DOC_BOOL, .u.b = value};
    return set_scalar(req, path, n, err);
}

custos_status custos_request_set_integer(custos_request *req, const char *path, int64_t value,
                                         custos_error *err) {
    doc_node n = {.kind = DOC_INT, .u.i = value};
    return set_scalar(req, path, n, err);
}

custos_status custos_request_set_number(custos_request *req, const char *path, double value,
                                        custos_error *err) {
    doc_node n = {.kind = DOC_NUM, .u.n = value};
    return set_scalar(req, path, n, err);
}

custos_status custos_request_append_string(custos_request *req, const char *path, const char *value,
                                           custos_error *err) {
    req_path *p;
    custos_status st = setter_prologue(req, path, err, &p, 2);
    if (st) return st;
    if (!value) return error_set(err, CUSTOS_E_ARGUMENT, NULL, 0, 0, "%s: value is NULL", path);
    size_t len = strlen(value);
    if (!utf8_valid(value, len))
        return error_set(err, CUSTOS_E_INPUT, NULL, 0, 0, "%s: the value is not valid UTF-8", path);
    if (p->is_time) return not_a_time("a list", err);
    size_t at = entry_of(req, p);
    req_entry *e =
        at != SIZE_MAX && req->entries[at].value->kind == DOC_SEQ ? &req->entries[at] : NULL;
    if (!e) {
        if (!(e = entry_for(req, p)) || !(e->value = new_node(req, DOC_SEQ))) return CUSTOS_E_NOMEM;
        e->cap = 0;
        e->line = e->col = 0;
    }
    doc_node *seq = e->value;
    doc_node **items = arena_grow(&req->mem, seq->u.seq.items, seq->u.seq.count, &e->cap,
                                  seq->u.seq.count + 1, sizeof *items);
    doc_node *item = new_node(req, DOC_STR);
    char *copy = arena_strndup(&req->mem, value, len);
    if (!items || !item || !copy) return CUSTOS_E_NOMEM;
    item->u.str.s = copy;
    item->u.str.len = len;
    items[seq->u.seq.count++] = item;
    seq->u.seq.items = items;
    return CUSTOS_OK;
}

/* Removes key from a map node. */
static void map_remove(doc_node *m, const char *key, size_t len) {
    size_t kept = 0;
    for (size_t i = 0; i < m->u.map.count; i++) {
        if (strlen(m->u.map.keys[i]) == len && memcmp(m->u.map.keys[i], key, len) == 0) continue;
        m->u.map.keys[kept] = m->u.map.keys[i];
        m->u.map.values[kept++] = m->u.map.values[i];
    }
    m->u.map.count = kept;
}

custos_status custos_request_unset(custos_request *req, const char *path) {
    if (!req || !path) return CUSTOS_E_ARGUMENT;
    request_drop_json(req);
    size_t n = strlen(path);
    if (!valid_path(path, n)) return CUSTOS_E_ARGUMENT;
    size_t kept = 0;
    for (size_t i = 0; i < req->entry_count; i++) {
        req_entry *e = &req->entries[i];
        const req_path *p = e->path;
        bool gone =
            (p->len == n || (p->len > n && p->text[n] == '.')) && memcmp(p->text, path, n) == 0;
        /* a value holding the path (a parsed mapping): remove it inside */
        if (!gone && n > p->len && path[p->len] == '.' && memcmp(p->text, path, p->len) == 0) {
            doc_node *m = e->value;
            const char *rest = path + p->len + 1;
            for (const char *dot; m && m->kind == DOC_MAP && (dot = strchr(rest, '.'));
                 rest = dot + 1) {
                doc_node *next = NULL;
                for (size_t k = 0; k < m->u.map.count && !next; k++)
                    if (strlen(m->u.map.keys[k]) == (size_t)(dot - rest) &&
                        memcmp(m->u.map.keys[k], rest, (size_t)(dot - rest)) == 0)
                        next = m->u.map.values[k];
                m = next;
            }
            if (m && m->kind == DOC_MAP) map_remove(m, rest, strlen(rest));
        }
        if (!gone) req->entries[kept++] = *e;
    }
    req->entry_count = kept;
    req->generation++;
    index_entries(req, 0);
    return CUSTOS_OK;
}

/* ---- parsing ------------------------------------------------------------------------------ */

/* Deep-copies a parsed node into the request's arena, with its position. */
static doc_node *copy_node(custos_request *req, const doc *d, const doc_node *src) {
    doc_node *n = new_node(req, src->kind);
    if (!n) return NULL;
    uint32_t line = 0, col = 0;
    doc_locate(d, src, &line, &col);
    n->line = line;
    n->col = col;
    switch (src->kind) {
    case DOC_STR:
        n->u.str.s = arena_strndup(&req->mem, src->u.str.s, src->u.str.len);
        if (!n->u.str.s) return NULL;
        n->u.str.len = src->u.str.len;
        break;
    case DOC_SEQ:
        n->u.seq.count = src->u.seq.count;
        n->u.seq.items = arena_alloc(&req->mem, sizeof(doc_node *) * (src->u.seq.count + 1));
        if (!n->u.seq.items) return NULL;
        for (size_t i = 0; i < src->u.seq.count; i++)
            if (!(n->u.seq.items[i] = copy_node(req, d, src->u.seq.items[i]))) return NULL;
        break;
    case DOC_MAP:
        n->u.map.count = src->u.map.count;
        n->u.map.keys = arena_alloc(&req->mem, sizeof(char *) * (src->u.map.count + 1));
        n->u.map.values = arena_alloc(&req->mem, sizeof(doc_node *) * (src->u.map.count + 1));
        if (!n->u.map.keys || !n->u.map.values) return NULL;
        for (size_t i = 0; i < src->u.map.count; i++) {
            if (!(n->u.map.keys[i] = arena_strdup(&req->mem, src->u.map.keys[i]))) return NULL;
            if (!(n->u.map.values[i] = copy_node(req, d, src->u.map.values[i]))) return NULL;
        }
        break;
    default: n->u = src->u;
    }
    return n;
}

/* A short description of what a node holds, for "got ..." in messages. */
static void describe_node(const doc_node *n, char *buf, size_t size) {
    if (n->kind == DOC_STR)
        snprintf(buf, size, "the string \"%.*s\"", (int)(n->u.str.len > 60 ? 60 : n->u.str.len),
                 n->u.str.s);
    else
        snprintf(buf, size, "%s", doc_kind_name(n->kind));
}

/* Adds the parsed value v at path; context.time is checked here (the engine's own field). */
static custos_status parse_entry(custos_request *req, const doc *d, const char *path,
                                 const doc_node *v, custos_error *err) {
    req_path *p = intern(req, path, strlen(path));
    if (!p) return CUSTOS_E_NOMEM;
    if (strcmp(path, epoch_path) == 0)
        return doc_error_at(d, v, path, err, "derived from %s; it cannot be set", time_path);
    int64_t epoch = 0;
    if (p->is_time && v->kind != DOC_NULL) {
        const char *why = "";
        char got[128];
        describe_node(v, got, sizeof got);
        if (v->kind != DOC_STR) {
            char expect[128];
            schema_type t = {"time", SCHEMA_TIME, NULL, 0, "", "", 0};
            return doc_error_at(d, v, path, err, "expected %s, got %s",
                                schema_expectation(&t, expect, sizeof expect), got);
        }
        if (!time_parse_instant(v->u.str.s, v->u.str.len, &epoch, &why))
            return doc_error_at(d, v, path, err, "%s is not a valid time: %s", got, why);
    }
    req_entry *e = entry_for(req, p);
    doc_node *copy = e ? copy_node(req, d, v) : NULL;
    if (!copy) return CUSTOS_E_NOMEM;
    e->value = copy;
    e->cap = 0;
    e->epoch = epoch;
    e->line = copy->line;
    e->col = copy->col;
    return CUSTOS_OK;
}

custos_status custos_request_parse(custos_request *req, const char *text, size_t len,
                                   const char *name, custos_error *err) {
    if (!req || (!text && len))
        return error_set(err, CUSTOS_E_ARGUMENT, NULL, 0, 0, "expected a request and text");
    custos_request_clear(req);
    if (len > CUSTOS_MAX_REQUEST_BYTES)
        return error_set(err, CUSTOS_E_INPUT, name ? name : "<request>", 0, 0,
                         "the request is %zu bytes, larger than the 1 MiB limit on a request "
                         "(CUSTOS_MAX_REQUEST_BYTES, %zu bytes)",
                         len, (size_t)CUSTOS_MAX_REQUEST_BYTES);
    doc *d = NULL;
    custos_status st = doc_parse(text ? text : "", len, name ? name : "<request>", &d, err);
    if (st) return st;
    const doc_node *root = doc_root(d);
    req->name = arena_strdup(&req->mem, doc_name(d));
    if (!req->name) st = CUSTOS_E_NOMEM;
    if (!st && root->kind != DOC_MAP) {
        char got[128];
        describe_node(root, got, sizeof got);
        st = doc_error_at(d, root, NULL, err,
                          "expected a request: a mapping of fields (context.time among them); "
                          "got %s",
                          got);
    }
    for (size_t i = 0; !st && i < root->u.map.count; i++) {
        const char *key = root->u.map.keys[i];
        const doc_node *v = root->u.map.values[i];
        /* the engine's own table is split, so context.time is an entry of its own */
        if (strcmp(key, SCHEMA_TIME_TABLE) == 0 && v->kind == DOC_MAP) {
            for (size_t k = 0; !st && k < v->u.map.count; k++) {
                char path[512];
                snprintf(path, sizeof path, "%s.%s", key, v->u.map.keys[k]);
                st = parse_entry(req, d, path, v->u.map.values[k], err);
            }
        } else {
            st = parse_entry(req, d, key, v, err);
        }
    }
    doc_free(d);
    if (st) custos_request_clear(req);
    return st;
}

/* ---- checking against a schema ------------------------------------------------------------ */

static void resolve(req_path *p, const schema *s, uint64_t id) {
    if (p->schema_id == id) return;
    p->schema_id = id;
    p->value_field = SIZE_MAX;
    const schema_field *f = schema_find(s, p->text, p->len);
    p->field = f ? schema_index(s, f) : SIZE_MAX;
    p->table = SCHEMA_ROOT;
    p->rest = 0;
    if (f) return;
    /* the deepest declared table it is under; a declared value above it is a misfit */
    for (const char *dot = p->text; (dot = strchr(dot, '.')); dot++) {
        const schema_field *prefix = schema_find(s, p->text, (size_t)(dot - p->text));
        if (!prefix) break;
        if (prefix->type.kind != SCHEMA_TABLE) {
            p->value_field = schema_index(s, prefix);
            break;
        }
        p->table = prefix->table;
        p->rest = (size_t)(dot - p->text) + 1;
    }
}

typedef struct check_ctx {
    const custos_request *req;
    const schema *s;
    custos_error *err;
} check_ctx;

static custos_status misfit(const check_ctx *c, const doc_node *v, uint32_t line, uint32_t col,
                            const char *path, const char *fmt, const char *a, const char *b) {
    char message[CUSTOS_MESSAGE_BUFFER]; /* a shown value (260) and a reason (400) */
    snprintf(message, sizeof message, fmt, a, b);
    if (!line) return error_set(c->err, CUSTOS_E_INPUT, NULL, 0, 0, "%s: %s", path, message);
    (void)v;
    return error_set(c->err, CUSTOS_E_INPUT, c->req->name, line, col, "%s: %s", path, message);
}

static custos_status check_value(const check_ctx *c, const schema_field *f, const doc_node *v,
                                 uint32_t line, uint32_t col);

static custos_status check_map(const check_ctx *c, size_t table, const doc_node *m) {
    for (size_t i = 0; i < m->u.map.count; i++) {
        const schema_field *f =
            schema_child(c->s, table, m->u.map.keys[i], strlen(m->u.map.keys[i]));
        const doc_node *v = m->u.map.values[i];
        if (!f) continue; /* kept as it came */
        custos_status st = check_value(c, f, v, v->line, v->col);
        if (st) return st;
    }
    return CUSTOS_OK;
}

static custos_status check_value(const check_ctx *c, const schema_field *f, const doc_node *v,
                                 uint32_t line, uint32_t col) {
    char expect[512], got[128];
    bool by_call = line == 0;
    if (v->kind == DOC_NULL) return CUSTOS_OK; /* `field: ~` means absent */
    bool fits = false;
    switch (f->type.kind) {
    case SCHEMA_TABLE:
        if (v->kind != DOC_MAP) break;
        return check_map(c, f->table, v);
    case SCHEMA_BOOLEAN: fits = v->kind == DOC_BOOL; break;
    case SCHEMA_INTEGER: fits = v->kind == DOC_INT; break;
    case SCHEMA_NUMBER: fits = v->kind == DOC_INT || v->kind == DOC_NUM; break;
    case SCHEMA_STRING: fits = v->kind == DOC_STR; break;
    case SCHEMA_ENUM:
    case SCHEMA_TIME:
    case SCHEMA_DATE: {
        if (v->kind != DOC_STR) break;
        int64_t epoch;
        const char *why = "";
        char text[400], shown[260];
        if (f->type.kind == SCHEMA_ENUM ? schema_enum_allows(&f->type, v->u.str.s, v->u.str.len)
            : f->type.kind == SCHEMA_TIME
                ? time_parse_instant(v->u.str.s, v->u.str.len, &epoch, &why)
                : time_parse_bound(v->u.str.s, v->u.str.len, false, &epoch, &why))
            return CUSTOS_OK;
        if (by_call)
            snprintf(got, sizeof got, "%s", doc_kind_name(v->kind));
        else
            describe_node(v, got, sizeof got);
        if (by_call)
            snprintf(shown, sizeof shown, "\"%.*s\"",
                     (int)(v->u.str.len > 200 ? 200 : v->u.str.len), v->u.str.s);
        else
            snprintf(shown, sizeof shown, "%s", got);
        if (f->type.kind == SCHEMA_ENUM && !schema_enum_allows(&f->type, v->u.str.s, v->u.str.len))
            snprintf(text, sizeof text, "is not allowed; expected %s",
                     schema_expectation(&f->type, expect, sizeof expect));
        else if (f->type.kind == SCHEMA_TIME &&
                 !time_parse_instant(v->u.str.s, v->u.str.len, &epoch, &why))
            snprintf(text, sizeof text, "is not a valid time: %s", why);
        else if (f->type.kind == SCHEMA_DATE &&
                 !time_parse_bound(v->u.str.s, v->u.str.len, false, &epoch, &why))
            snprintf(text, sizeof text, "is not a valid date: %s", why);
        else
            return CUSTOS_OK;
        return misfit(c, v, line, col, f->path, "%s %s", shown, text);
    }
    case SCHEMA_STRINGS:
        if (v->kind != DOC_SEQ) break;
        for (size_t i = 0; i < v->u.seq.count; i++) {
            const doc_node *item = v->u.seq.items[i];
            if (item->kind == DOC_STR) continue;
            char n[32], what[160];
            snprintf(n, sizeof n, "%zu", i + 1);
            describe_node(item, what, sizeof what);
            return misfit(c, item, item->line, item->col, f->path,
                          "item %s: expected a string, got %s", n, what);
        }
        return CUSTOS_OK;
    case SCHEMA_NUMBERS:
    case SCHEMA_STRING_LISTS: break; /* not request types (refused at declaration) */
    }
    if (fits) return CUSTOS_OK;
    if (by_call)
        snprintf(got, sizeof got, "%s", doc_kind_name(v->kind));
    else
        describe_node(v, got, sizeof got);
    return misfit(c, v, line, col, f->path, "expected %s, got %s",
                  schema_expectation(&f->type, expect, sizeof expect), got);
}

custos_status request_check(const custos_request *req, const schema *s, uint64_t id, int64_t *epoch,
                            custos_error *err) {
    check_ctx c = {req, s, err};
    bool has_time = false;
    for (size_t i = 0; i < req->entry_count; i++) {
        const req_entry *e = &req->entries[i];
        req_path *p = e->path;
        resolve(p, s, id);
        if (p->value_field != SIZE_MAX) {
            const schema_field *f = &s->fields[p->value_field];
            char expect[512];
            if (e->line)
                return error_set(err, CUSTOS_E_INPUT, req->name, e->line, e->col,
                                 "%s: %s holds %s, not fields", p->text, f->path,
                                 schema_expectation(&f->type, expect, sizeof expect));
            return error_set(err, CUSTOS_E_INPUT, NULL, 0, 0,
                             "%s: %s is not a mapping, it holds a value", p->text, f->path);
        }
        if (p->field == SIZE_MAX) continue;
        /* the common cases, a string for a string field and a boolean for a boolean one, fit
         * without a call (neither is context.time) */
        schema_kind kind = s->fields[p->field].type.kind;
        if ((kind == SCHEMA_STRING && e->value->kind == DOC_STR) ||
            (kind == SCHEMA_BOOLEAN && e->value->kind == DOC_BOOL))
            continue;
        /* context.time (the engine's own field, of type time) was parsed when set: a string
         * there is a valid instant, e->epoch; parsing it again per decision proves nothing */
        if (!p->is_time || e->value->kind != DOC_STR) {
            custos_status st = check_value(&c, &s->fields[p->field], e->value, e->line, e->col);
            if (st) return st;
        }
        if (p->field == s->time_field && epoch) {
            has_time = e->value->kind == DOC_STR;
            *epoch = e->epoch;
        }
    }
    if (epoch && !has_time)
        return error_set(err, CUSTOS_E_INPUT, NULL, 0, 0,
                         "%s is required: every decision is taken at a time (RFC 3339 with an "
                         "offset)",
                         time_path);
    return CUSTOS_OK;
}

/* ---- fields the schema does not declare --------------------------------------------------- */

/* Levenshtein distance between a and b (bytes), capped: anything above `cap` is cap + 1. */
static size_t edit_distance(const char *a, size_t n, const char *b, size_t m, size_t cap) {
    if (n > 128 || m > 128) return cap + 1;
    if ((n > m ? n - m : m - n) > cap) return cap + 1;
    size_t row[129];
    for (size_t j = 0; j <= m; j++) row[j] = j;
    for (size_t i = 1; i <= n; i++) {
        size_t diag = row[0], best = row[0] = i;
        for (size_t j = 1; j <= m; j++) {
            size_t up = row[j];
            size_t v = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < v) v = up + 1;
            if (row[j - 1] + 1 < v) v = row[j - 1] + 1;
            row[j] = v;
            diag = up;
            if (v < best) best = v;
        }
        if (best > cap) return cap + 1;
    }
    return row[m];
}

/* The largest number of edits that still reads as a slip for a name of n bytes. */
static size_t slip_cap(size_t n) {
    size_t cap = n / 3 < 3 ? n / 3 : 3;
    return cap < 1 ? 1 : cap;
}

const char *request_nearest_field(const schema *s, const char *path, size_t len) {
    /* Among the fields of the same table, the key nearest by edit distance; else a field of
     * another table with exactly this key (resource.recipient for context.recipient). */
    const char *dot = NULL;
    for (size_t i = len; i > 0; i--)
        if (path[i - 1] == '.') {
            dot = path + i - 1;
            break;
        }
    size_t parent_len = dot ? (size_t)(dot - path) : 0;
    const char *key = dot ? dot + 1 : path;
    size_t key_len = len - (size_t)(key - path);
    size_t cap = slip_cap(key_len);
    const char *best = NULL, *same_key = NULL;
    size_t best_d = cap + 1;
    for (size_t i = 0; i < s->field_count; i++) {
        const schema_field *f = &s->fields[i];
        size_t fk = strlen(f->key), fp = strlen(f->path);
        if (!same_key && fk == key_len && memcmp(f->key, key, fk) == 0) same_key = f->path;
        bool sibling = parent_len == 0
                           ? fp == fk
                           : fp == parent_len + 1 + fk && memcmp(f->path, path, parent_len) == 0 &&
                                 f->path[parent_len] == '.';
        if (!sibling) continue;
        size_t d = edit_distance(key, key_len, f->key, fk, best_d - 1);
        if (d < best_d) {
            best_d = d;
            best = f->path;
            if (d == 0) break;
        }
    }
    return best ? best : same_key;
}

typedef struct unknown_walk {
    const schema *s;
    request_unknown_fn fn;
    void *ud;
    size_t count;
    bool stop;
} unknown_walk;

static void report_unknown(unknown_walk *w, const char *path, size_t len, uint32_t line,
                           uint32_t col) {
    char text[512];
    snprintf(text, sizeof text, "%.*s", (int)(len < sizeof text ? len : sizeof text - 1), path);
    w->count++;
    if (w->fn && !w->stop)
        w->stop = !w->fn(w->ud, text, request_nearest_field(w->s, text, strlen(text)), line, col);
}

static void walk_map(unknown_walk *w, const char *prefix, size_t table, const doc_node *m) {
    for (size_t i = 0; i < m->u.map.count && !w->stop; i++) {
        const char *key = m->u.map.keys[i];
        const doc_node *v = m->u.map.values[i];
        char path[512];
        snprintf(path, sizeof path, "%s.%s", prefix, key);
        const schema_field *f = schema_child(w->s, table, key, strlen(key));
        if (!f)
            report_unknown(w, path, strlen(path), v->line, v->col);
        else if (f->type.kind == SCHEMA_TABLE && v->kind == DOC_MAP)
            walk_map(w, f->path, f->table, v);
    }
}

size_t request_unknown_fields(const custos_request *req, const schema *s, uint64_t id,
                              request_unknown_fn fn, void *ud) {
    unknown_walk w = {s, fn, ud, 0, false};
    for (size_t i = 0; i < req->entry_count && !w.stop; i++) {
        const req_entry *e = &req->entries[i];
        req_path *p = e->path;
        resolve(p, s, id);
        if (p->is_epoch || p->value_field != SIZE_MAX) continue; /* refused elsewhere */
        if (p->field != SIZE_MAX) {
            const schema_field *f = &s->fields[p->field];
            if (f->type.kind == SCHEMA_TABLE && e->value->kind == DOC_MAP)
                walk_map(&w, f->path, f->table, e->value);
            continue;
        }
        /* the first segment under the deepest declared table is what is not declared */
        const char *dot = strchr(p->text + p->rest, '.');
        size_t len = dot ? (size_t)(dot - p->text) : p->len;
        report_unknown(&w, p->text, len, e->line, e->col);
    }
    return w.count;
}

/* ---- printing ----------------------------------------------------------------------------- */

static json_t *node_to_json(const doc_node *n) {
    switch (n->kind) {
    case DOC_NULL: return json_null();
    case DOC_BOOL: return json_boolean(n->u.b);
    case DOC_INT: return json_integer((json_int_t)n->u.i);
    case DOC_NUM: return json_real(n->u.n);
    case DOC_STR: return json_stringn(n->u.str.s, n->u.str.len);
    case DOC_SEQ: {
        json_t *a = json_array();
        for (size_t i = 0; a && i < n->u.seq.count; i++)
            json_array_append_new(a, node_to_json(n->u.seq.items[i]));
        return a;
    }
    case DOC_MAP: {
        json_t *o = json_object();
        for (size_t i = 0; o && i < n->u.map.count; i++)
            json_object_set_new(o, n->u.map.keys[i], node_to_json(n->u.map.values[i]));
        return o;
    }
    }
    return json_null();
}

/* Puts value at a dotted path of o, making (or replacing with) objects on the way. */
static void json_put(json_t *o, const char *path, json_t *value) {
    char key[512];
    for (const char *dot; o && (dot = strchr(path, '.')); path = dot + 1) {
        snprintf(key, sizeof key, "%.*s", (int)(dot - path), path);
        json_t *child = json_object_get(o, key);
        if (!json_is_object(child)) {
            child = json_object();
            json_object_set_new(o, key, child);
        }
        o = child;
    }
    if (o)
        json_object_set_new(o, path, value);
    else
        json_decref(value);
}

custos_status custos_request_json(const custos_request *read_only, const char **json) {
    /* the text is made on first read and kept: reading is logically const */
    custos_request *req = (custos_request *)read_only;
    if (!req || !json) return CUSTOS_E_ARGUMENT;
    if (!req->json) {
        json_watch_begin(); /* a part jansson could not make would be left out, silently */
        json_t *o = json_object();
        if (!o) return CUSTOS_E_NOMEM;
        for (size_t i = 0; i < req->entry_count; i++)
            json_put(o, req->entries[i].path->text, node_to_json(req->entries[i].value));
        /* keys sorted: a request knows no schema to order them by.  The text is the library's
         * own (malloc), whatever allocator the host gave jansson. */
        size_t flags = JSON_INDENT(2) | JSON_SORT_KEYS;
        size_t size = json_dumpb(o, NULL, 0, flags);
        req->json = size ? malloc(size + 1) : NULL;
        if (req->json && json_dumpb(o, req->json, size, flags) == size)
            req->json[size] = '\0';
        else
            request_drop_json(req);
        json_decref(o);
        if (json_watch_failed()) request_drop_json(req);
        if (!req->json) return CUSTOS_E_NOMEM;
    }
    *json = req->json;
    return CUSTOS_OK;
}
