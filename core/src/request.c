/* request.c — custos_request: building, parsing and printing requests. */
#include "request.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "timeutil.h"

custos_status custos_request_new(custos_request **out) {
    if (!out) return CUSTOS_E_ARGUMENT;
    *out = calloc(1, sizeof **out);
    if (!*out) return CUSTOS_E_NOMEM;
    arena_init(&(*out)->mem, 4096);
    return CUSTOS_OK;
}

static void request_drop_json(custos_request *req) {
    free(req->json);
    req->json = NULL;
}

void custos_request_free(custos_request *req) {
    if (!req) return;
    arena_free(&req->mem);
    request_drop_json(req);
    free(req);
}

void custos_request_clear(custos_request *req) {
    if (!req) return;
    arena_reset(&req->mem);
    memset(req->slots, 0, sizeof req->slots);
    req->extras = NULL;
    req->extra_count = req->extra_cap = 0;
    request_drop_json(req);
}

/* True when table `inner` is t or nested in t. */
static bool table_within(req_table inner, req_table t) {
    for (;;) {
        if (inner == t) return true;
        if (inner == REQ_T_ROOT) return false;
        inner = req_table_parent(inner);
    }
}

bool request_table_present(const custos_request *req, req_table t) {
    for (size_t i = 0; i < req_field_count; i++)
        if (req->slots[i].set && table_within(req_fields[i].parent, t)) return true;
    for (size_t i = 0; i < req->extra_count; i++)
        if (table_within(req->extras[i].parent, t)) return true;
    return false;
}

/* ---- setting known fields --------------------------------------------------------------- */

/* Copies a string into the slot, reusing its buffer when the value fits. */
static custos_status slot_store_string(custos_request *req, req_slot *slot, const char *s,
                                       size_t len) {
    if (!slot->s || len + 1 > slot->cap) {
        char *buf = arena_alloc(&req->mem, len + 1);
        if (!buf) return CUSTOS_E_NOMEM;
        slot->s = buf;
        slot->cap = len + 1;
    }
    memcpy((char *)slot->s, s, len);
    ((char *)slot->s)[len] = '\0';
    slot->len = len;
    slot->set = true;
    return CUSTOS_OK;
}

static bool enum_allows(const req_field *f, const char *s, size_t len) {
    for (const char *const *v = f->values; *v; v++)
        if (strlen(*v) == len && memcmp(*v, s, len) == 0) return true;
    return false;
}

/* Why a string value does not fit field f, or NULL when it does (then *epoch is set for
 * times).  `why_time` receives timeutil's explanation. */
static const char *string_misfit(const req_field *f, const char *s, size_t len, int64_t *epoch,
                                 const char **why_time) {
    if (f->kind == REQ_ENUM && !enum_allows(f, s, len)) return "not an allowed value";
    if (f->kind == REQ_TIME && !time_parse_instant(s, len, epoch, why_time)) return "not a time";
    if (f->kind == REQ_DATE && !time_parse_bound(s, len, false, epoch, why_time)) return "not a date";
    return NULL;
}

/* The end of a message about a misfit string: "is not a valid time: expected a month from 01
 * to 12" or "is not allowed; expected one of: ...". */
static const char *misfit_text(const req_field *f, const char *why_time, char *buf, size_t size) {
    char expect[256];
    if (f->kind == REQ_TIME || f->kind == REQ_DATE)
        snprintf(buf, size, "is not a valid %s: %s", f->kind == REQ_TIME ? "time" : "date", why_time);
    else
        snprintf(buf, size, "is not allowed; expected %s", req_kind_expectation(f, expect, sizeof expect));
    return buf;
}

static custos_status set_known_string(custos_request *req, const req_field *f, const char *s,
                                      size_t len, custos_error *err) {
    char expect[256];
    int64_t epoch = 0;
    const char *why_time = "";
    if (f->kind != REQ_STRING && f->kind != REQ_ENUM && f->kind != REQ_TIME && f->kind != REQ_DATE)
        return error_set(err, CUSTOS_E_INPUT, NULL, 0, 0, "%s: expected %s, got a string",
                                f->path, req_kind_expectation(f, expect, sizeof expect));
    const char *misfit = string_misfit(f, s, len, &epoch, &why_time);
    char text[400];
    if (misfit)
        return error_set(err, CUSTOS_E_INPUT, NULL, 0, 0, "%s: \"%.*s\" %s", f->path,
                                (int)(len > 200 ? 200 : len), s,
                                misfit_text(f, why_time, text, sizeof text));
    req_slot *slot = &req->slots[req_field_index(f)];
    custos_status st = slot_store_string(req, slot, s, len);
    slot->epoch = epoch;
    return st;
}

static custos_status list_append(custos_request *req, req_slot *slot, const char *s, size_t len) {
    const char **items = arena_grow(&req->mem, slot->items, slot->count, &slot->items_cap,
                                    slot->count + 1, sizeof *items);
    if (!items) return CUSTOS_E_NOMEM;
    slot->items = items;
    char *copy = arena_strndup(&req->mem, s, len);
    if (!copy) return CUSTOS_E_NOMEM;
    items[slot->count++] = copy;
    slot->set = true;
    return CUSTOS_OK;
}

/* ---- unknown fields ----------------------------------------------------------------------- */

static doc_node *new_node(custos_request *req, doc_kind kind) {
    doc_node *n = arena_alloc(&req->mem, sizeof *n);
    if (n) {
        memset(n, 0, sizeof *n);
        n->kind = kind;
    }
    return n;
}

/* Deep-copies a parsed node into the request's arena. */
static doc_node *copy_node(custos_request *req, const doc_node *src) {
    doc_node *n = new_node(req, src->kind);
    if (!n) return NULL;
    n->line = src->line;
    n->col = src->col;
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
            if (!(n->u.seq.items[i] = copy_node(req, src->u.seq.items[i]))) return NULL;
        break;
    case DOC_MAP:
        n->u.map.count = src->u.map.count;
        n->u.map.keys = arena_alloc(&req->mem, sizeof(char *) * (src->u.map.count + 1));
        n->u.map.values = arena_alloc(&req->mem, sizeof(doc_node *) * (src->u.map.count + 1));
        if (!n->u.map.keys || !n->u.map.values) return NULL;
        for (size_t i = 0; i < src->u.map.count; i++) {
            if (!(n->u.map.keys[i] = arena_strdup(&req->mem, src->u.map.keys[i]))) return NULL;
            if (!(n->u.map.values[i] = copy_node(req, src->u.map.values[i]))) return NULL;
        }
        break;
    default:
        n->u = src->u;
    }
    return n;
}

static req_extra *find_extra(custos_request *req, req_table parent, const char *key, size_t len) {
    for (size_t i = 0; i < req->extra_count; i++)
        if (req->extras[i].parent == parent && strlen(req->extras[i].key) == len &&
            memcmp(req->extras[i].key, key, len) == 0)
            return &req->extras[i];
    return NULL;
}

static custos_status put_extra(custos_request *req, req_table parent, const char *key, size_t len,
                               doc_node *value) {
    req_extra *e = find_extra(req, parent, key, len);
    if (!e) {
        req_extra *grown = arena_grow(&req->mem, req->extras, req->extra_count, &req->extra_cap,
                                      req->extra_count + 1, sizeof *grown);
        if (!grown) return CUSTOS_E_NOMEM;
        req->extras = grown;
        e = &req->extras[req->extra_count++];
        e->parent = parent;
        if (!(e->key = arena_strndup(&req->mem, key, len))) return CUSTOS_E_NOMEM;
    }
    e->value = value;
    return CUSTOS_OK;
}

/* Finds or makes the child map `key` inside map node m. */
static doc_node *map_child(custos_request *req, doc_node *m, const char *key, size_t len) {
    for (size_t i = 0; i < m->u.map.count; i++)
        if (strlen(m->u.map.keys[i]) == len && memcmp(m->u.map.keys[i], key, len) == 0) {
            if (m->u.map.values[i]->kind != DOC_MAP) m->u.map.values[i] = new_node(req, DOC_MAP);
            return m->u.map.values[i];
        }
    size_t cap = m->u.map.count; /* maps built here grow one at a time */
    const char **keys = arena_grow(&req->mem, m->u.map.keys, m->u.map.count, &cap,
                                   m->u.map.count + 1, sizeof *keys);
    cap = m->u.map.count;
    doc_node **values = arena_grow(&req->mem, m->u.map.values, m->u.map.count, &cap,
                                   m->u.map.count + 1, sizeof *values);
    doc_node *child = new_node(req, DOC_MAP);
    char *k = arena_strndup(&req->mem, key, len);
    if (!keys || !values || !child || !k) return NULL;
    keys[m->u.map.count] = k;
    values[m->u.map.count] = child;
    m->u.map.keys = keys;
    m->u.map.values = values;
    m->u.map.count++;
    return child;
}

/* Sets value at an unknown dotted path: the longest known table prefix is its parent, the
 * rest becomes nested maps. */
static custos_status set_unknown(custos_request *req, const char *path, doc_node *value,
                                 custos_error *err) {
    req_table parent = REQ_T_ROOT;
    const char *rest = path;
    for (;;) {
        const char *dot = strchr(rest, '.');
        if (!dot) break;
        const req_field *f = req_field_find(path, (size_t)(dot - path));
        if (!f) break;
        if (f->kind != REQ_TABLE)
            return error_set(err, CUSTOS_E_INPUT, NULL, 0, 0,
                                    "%s: %s is not a mapping, it holds a value", path, f->path);
        parent = f->self;
        rest = dot + 1;
    }
    if (parent == REQ_T_CONTEXT && strcmp(rest, REQ_EPOCH_KEY) == 0)
        return error_set(err, CUSTOS_E_INPUT, NULL, 0, 0,
                                "context.epoch is derived from context.time and cannot be set");
    const char *dot = strchr(rest, '.');
    if (!dot) return put_extra(req, parent, rest, strlen(rest), value);
    req_extra *e = find_extra(req, parent, rest, (size_t)(dot - rest));
    if (!e || e->value->kind != DOC_MAP) {
        doc_node *m = new_node(req, DOC_MAP);
        if (!m) return CUSTOS_E_NOMEM;
        custos_status st = put_extra(req, parent, rest, (size_t)(dot - rest), m);
        if (st) return st;
        e = find_extra(req, parent, rest, (size_t)(dot - rest));
    }
    doc_node *m = e->value;
    for (rest = dot + 1; (dot = strchr(rest, '.')); rest = dot + 1)
        if (!(m = map_child(req, m, rest, (size_t)(dot - rest)))) return CUSTOS_E_NOMEM;
    /* the last key: replace or add */
    size_t len = strlen(rest);
    for (size_t i = 0; i < m->u.map.count; i++)
        if (strlen(m->u.map.keys[i]) == len && memcmp(m->u.map.keys[i], rest, len) == 0) {
            m->u.map.values[i] = value;
            return CUSTOS_OK;
        }
    doc_node *slot = map_child(req, m, rest, len);
    if (!slot) return CUSTOS_E_NOMEM;
    m->u.map.values[m->u.map.count - 1] = value;
    return CUSTOS_OK;
}

static bool valid_path(const char *path) {
    if (!path || !*path || *path == '.') return false;
    size_t n = strlen(path);
    return path[n - 1] != '.' && !strstr(path, "..");
}

/* ---- the setters -------------------------------------------------------------------------- */

/* The known field for path (NULL when unknown), through the request's path cache. */
static const req_field *find_field(custos_request *req, const char *path) {
    size_t slot = ((uintptr_t)path >> 3) % REQ_PATH_CACHE;
    const req_field *f = req->path_cache[slot].field;
    if (req->path_cache[slot].path == path && f && strcmp(f->path, path) == 0) return f;
    f = req_field_find(path, strlen(path));
    req->path_cache[slot].path = path;
    req->path_cache[slot].field = f;
    return f;
}

static custos_status setter_prologue(custos_request *req, const char *path, custos_error *err,
                                     const req_field **f) {
    *f = NULL;
    if (!req || !path)
        return error_set(err, CUSTOS_E_ARGUMENT, NULL, 0, 0,
                                "expected a request and a dotted field path like \"subject.id\"");
    request_drop_json(req);
    *f = find_field(req, path);
    if (!*f && !valid_path(path))
        return error_set(err, CUSTOS_E_ARGUMENT, NULL, 0, 0,
                                "expected a dotted field path like \"subject.id\", got \"%.100s\"",
                                path);
    return CUSTOS_OK;
}

custos_status custos_request_set_string(custos_request *req, const char *path, const char *value,
                                        custos_error *err) {
    const req_field *f;
    custos_status st = setter_prologue(req, path, err, &f);
    if (st) return st;
    if (!value) return error_set(err, CUSTOS_E_ARGUMENT, NULL, 0, 0, "%s: value is NULL", path);
    size_t len = strlen(value);
    if (f) return set_known_string(req, f, value, len, err);
    doc_node *n = new_node(req, DOC_STR);
    if (!n || !(n->u.str.s = arena_strndup(&req->mem, value, len))) return CUSTOS_E_NOMEM;
    n->u.str.len = len;
    return set_unknown(req, path, n, err);
}

static custos_status wrong_kind(const req_field *f, const char *got, custos_error *err) {
    char expect[256];
    return error_set(err, CUSTOS_E_INPUT, NULL, 0, 0, "%s: expected %s, got %s", f->path,
                            req_kind_expectation(f, expect, sizeof expect), got);
}

custos_status custos_request_set_bool(custos_request *req, const char *path, bool value,
                                      custos_error *err) {
    const req_field *f;
    custos_status st = setter_prologue(req, path, err, &f);
    if (st) return st;
    if (f) {
        if (f->kind != REQ_BOOL) return wrong_kind(f, "a boolean", err);
        req_slot *slot = &req->slots[req_field_index(f)];
        slot->b = value;
        slot->set = true;
        return CUSTOS_OK;
    }
    doc_node *n = new_node(req, DOC_BOOL);
    if (!n) return CUSTOS_E_NOMEM;
    n->u.b = value;
    return set_unknown(req, path, n, err);
}

custos_status custos_request_set_integer(custos_request *req, const char *path, int64_t value,
                                         custos_error *err) {
    const req_field *f;
    custos_status st = setter_prologue(req, path, err, &f);
    if (st) return st;
    if (f) return wrong_kind(f, "an integer", err);
    doc_node *n = new_node(req, DOC_INT);
    if (!n) return CUSTOS_E_NOMEM;
    n->u.i = value;
    return set_unknown(req, path, n, err);
}

custos_status custos_request_set_number(custos_request *req, const char *path, double value,
                                        custos_error *err) {
    const req_field *f;
    custos_status st = setter_prologue(req, path, err, &f);
    if (st) return st;
    if (f) return wrong_kind(f, "a number", err);
    doc_node *n = new_node(req, DOC_NUM);
    if (!n) return CUSTOS_E_NOMEM;
    n->u.n = value;
    return set_unknown(req, path, n, err);
}

custos_status custos_request_append_string(custos_request *req, const char *path,
                                           const char *value, custos_error *err) {
    const req_field *f;
    custos_status st = setter_prologue(req, path, err, &f);
    if (st) return st;
    if (!value) return error_set(err, CUSTOS_E_ARGUMENT, NULL, 0, 0, "%s: value is NULL", path);
    if (!f || f->kind != REQ_LIST)
        return error_set(err, CUSTOS_E_INPUT, NULL, 0, 0,
                                "%s: not a list field (lists: context.approvals, "
                                "context.consent.purposes, context.regions)", path);
    return list_append(req, &req->slots[req_field_index(f)], value, strlen(value));
}

/* Clears field i and, for a table, every field and extra beneath it. */
static void unset_field(custos_request *req, const req_field *f) {
    req_slot *slot = &req->slots[req_field_index(f)];
    slot->set = false;
    slot->count = 0;
    if (f->kind != REQ_TABLE) return;
    for (size_t i = 0; i < req_field_count; i++)
        if (req_fields[i].parent == f->self) unset_field(req, &req_fields[i]);
    size_t kept = 0;
    for (size_t i = 0; i < req->extra_count; i++)
        if (req->extras[i].parent != f->self) req->extras[kept++] = req->extras[i];
    req->extra_count = kept;
}

custos_status custos_request_unset(custos_request *req, const char *path) {
    const req_field *f;
    custos_status st = setter_prologue(req, path, NULL, &f);
    if (st) return st;
    if (f) {
        unset_field(req, f);
        return CUSTOS_OK;
    }
    /* an unknown field: only top-level keys of a known table can be removed exactly */
    const char *dot = strrchr(path, '.');
    req_table parent = REQ_T_ROOT;
    const char *key = path;
    if (dot) {
        const req_field *pf = req_field_find(path, (size_t)(dot - path));
        if (!pf || pf->kind != REQ_TABLE) return CUSTOS_OK;
        parent = pf->self;
        key = dot + 1;
    }
    size_t kept = 0;
    for (size_t i = 0; i < req->extra_count; i++)
        if (!(req->extras[i].parent == parent && strcmp(req->extras[i].key, key) == 0))
            req->extras[kept++] = req->extras[i];
    req->extra_count = kept;
    return CUSTOS_OK;
}

/* ---- parsing ------------------------------------------------------------------------------ */

/* A short description of what a node holds, for "got ..." in messages. */
static void describe_node(const doc_node *n, char *buf, size_t size) {
    if (n->kind == DOC_STR)
        snprintf(buf, size, "the string \"%.*s\"", (int)(n->u.str.len > 60 ? 60 : n->u.str.len),
                 n->u.str.s);
    else
        snprintf(buf, size, "%s", doc_kind_name(n->kind));
}

static custos_status parse_table(custos_request *req, const doc *d, const doc_node *map,
                                 req_table table, custos_error *err);

static custos_status parse_known(custos_request *req, const doc *d, const req_field *f,
                                 const doc_node *v, custos_error *err) {
    char expect[256], got[128];
    if (v->kind == DOC_NULL) return CUSTOS_OK; /* `field: ~` means absent */
    req_slot *slot = &req->slots[req_field_index(f)];
    switch (f->kind) {
    case REQ_TABLE:
        if (v->kind != DOC_MAP) break;
        return parse_table(req, d, v, f->self, err);
    case REQ_BOOL:
        if (v->kind != DOC_BOOL) break;
        slot->b = v->u.b;
        slot->set = true;
        return CUSTOS_OK;
    case REQ_STRING:
    case REQ_ENUM:
    case REQ_TIME:
    case REQ_DATE: {
        if (v->kind != DOC_STR) break;
        int64_t epoch = 0;
        const char *why_time = "";
        const char *misfit = string_misfit(f, v->u.str.s, v->u.str.len, &epoch, &why_time);
        if (misfit) {
            char text[400];
            describe_node(v, got, sizeof got);
            return doc_error_at(d, v, f->path, err, "%s %s", got,
                                misfit_text(f, why_time, text, sizeof text));
        }
        custos_status st = slot_store_string(req, slot, v->u.str.s, v->u.str.len);
        slot->epoch = epoch;
        return st;
    }
    case REQ_LIST:
        if (v->kind != DOC_SEQ) break;
        for (size_t i = 0; i < v->u.seq.count; i++) {
            const doc_node *item = v->u.seq.items[i];
            if (item->kind != DOC_STR) {
                describe_node(item, got, sizeof got);
                return doc_error_at(d, item, f->path, err, "item %zu: expected a string, got %s",
                                    i + 1, got);
            }
            custos_status st = list_append(req, slot, item->u.str.s, item->u.str.len);
            if (st) return st;
        }
        slot->set = true;
        return CUSTOS_OK;
    }
    describe_node(v, got, sizeof got);
    return doc_error_at(d, v, f->path, err, "expected %s, got %s",
                        req_kind_expectation(f, expect, sizeof expect), got);
}

static custos_status parse_table(custos_request *req, const doc *d, const doc_node *map,
                                 req_table table, custos_error *err) {
    const char *prefix = req_table_path(table);
    char path[256];
    for (size_t i = 0; i < map->u.map.count; i++) {
        const char *key = map->u.map.keys[i];
        const doc_node *v = map->u.map.values[i];
        int n = snprintf(path, sizeof path, "%s%s%s", prefix, *prefix ? "." : "", key);
        if (n < 0 || (size_t)n >= sizeof path)
            return doc_error_at(d, v, NULL, err, "field name too long: %.60s...", key);
        const req_field *f = req_field_find(path, (size_t)n);
        custos_status st;
        if (f) {
            st = parse_known(req, d, f, v, err);
        } else if (table == REQ_T_CONTEXT && strcmp(key, REQ_EPOCH_KEY) == 0) {
            st = doc_error_at(d, v, path, err, "derived from context.time; it cannot be set");
        } else {
            doc_node *copy = copy_node(req, v);
            st = copy ? put_extra(req, table, key, strlen(key), copy) : CUSTOS_E_NOMEM;
        }
        if (st) return st;
    }
    return CUSTOS_OK;
}

custos_status custos_request_parse(custos_request *req, const char *text, size_t len,
                                   const char *name, custos_error *err) {
    if (!req || (!text && len))
        return error_set(err, CUSTOS_E_ARGUMENT, NULL, 0, 0, "expected a request and text");
    custos_request_clear(req);
    doc *d = NULL;
    custos_status st = doc_parse(text ? text : "", len, name ? name : "<request>", &d, err);
    if (st) return st;
    const doc_node *root = doc_root(d);
    if (root->kind != DOC_MAP) {
        char got[128];
        describe_node(root, got, sizeof got);
        st = doc_error_at(d, root, NULL, err,
                          "expected a request: a mapping with subject, action, resource, "
                          "purpose and context; got %s", got);
    } else {
        st = parse_table(req, d, root, REQ_T_ROOT, err);
    }
    doc_free(d);
    if (st) custos_request_clear(req);
    return st;
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

static json_t *table_to_json(const custos_request *req, req_table t) {
    json_t *o = json_object();
    if (!o) return NULL;
    for (size_t i = 0; i < req_field_count; i++) {
        const req_field *f = &req_fields[i];
        const req_slot *slot = &req->slots[i];
        if (f->parent != t) continue;
        json_t *v = NULL;
        if (f->kind == REQ_TABLE) {
            if (request_table_present(req, f->self)) v = table_to_json(req, f->self);
        } else if (slot->set) {
            if (f->kind == REQ_BOOL) v = json_boolean(slot->b);
            else if (f->kind == REQ_LIST) {
                v = json_array();
                for (size_t k = 0; v && k < slot->count; k++)
                    json_array_append_new(v, json_string(slot->items[k]));
            } else v = json_stringn(slot->s, slot->len);
        }
        if (v) json_object_set_new(o, f->key, v);
    }
    for (size_t i = 0; i < req->extra_count; i++)
        if (req->extras[i].parent == t)
            json_object_set_new(o, req->extras[i].key, node_to_json(req->extras[i].value));
    return o;
}

custos_status custos_request_json(custos_request *req, const char **json) {
    if (!req || !json) return CUSTOS_E_ARGUMENT;
    if (!req->json) {
        json_t *o = table_to_json(req, REQ_T_ROOT);
        if (!o) return CUSTOS_E_NOMEM;
        req->json = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        json_decref(o);
        if (!req->json) return CUSTOS_E_NOMEM;
    }
    *json = req->json;
    return CUSTOS_OK;
}
