/*
 * doc_yaml.c — YAML text to a doc tree through libyaml's event parser, typing scalars by the
 * YAML 1.2 core schema and refusing what doc.h refuses (aliases, anchors, duplicate or
 * non-string keys, foreign tags, nesting deeper than DOC_MAX_DEPTH, several documents).
 */
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "arena.h"
#include "doc.h"
#include "doc_internal.h"
#include "utf8.h"

/* Called by doc_parse (doc_parse.c): builds the tree in `a`, or fills err. */

#if defined(__GNUC__)
#define YAML_PRINTF(fmt_index, first_arg) __attribute__((format(printf, fmt_index, first_arg)))
#else
#define YAML_PRINTF(fmt_index, first_arg)
#endif

#define CORE_TAG "tag:yaml.org,2002:"

typedef struct key_position {
    uint32_t line, col;
} key_position;

/* A sequence or mapping being read: its items grow in malloc'd vectors and are copied into
 * the arena, exactly sized, when the collection ends.  The vectors outlive the collection: the
 * next one at the same depth reuses them (a document has many small collections, and a malloc
 * and free for each cost more than reading them); doc_yaml_build frees them at the end. */
typedef struct frame {
    doc_node *node;
    doc_node **values;
    const char **keys;     /* maps: keys[i] names values[i]; one ahead while awaiting a value */
    key_position *key_pos; /* where each key was, for the duplicate-key message */
    size_t value_count, key_count, value_cap, key_cap;
    uint32_t *slots;   /* maps: open-addressing index of keys, index + 1 (0 = empty) */
    size_t slot_count; /* a power of two, at least twice key_count */
} frame;

/* A reused index this small is cleared; a larger one (a big mapping's) is dropped so that the
 * many small mappings after it do not each clear it. */
#define FRAME_KEPT_SLOTS 64

typedef struct builder {
    arena *arena;
    const char *name;
    custos_error *err;
    const char *text;
    size_t len;
    frame frames[DOC_MAX_DEPTH];
    size_t depth;
    doc_node *root;
    unsigned documents;
    size_t nodes; /* scalars (keys included) and collections so far */
} builder;

/* ---- Errors ------------------------------------------------------------------------------ */

/* libyaml marks are 0-based; doc positions are 1-based. */
static uint32_t mark_line(yaml_mark_t m) {
    return m.line >= UINT32_MAX ? UINT32_MAX : (uint32_t)m.line + 1;
}

static uint32_t mark_col(yaml_mark_t m) {
    return m.column >= UINT32_MAX ? UINT32_MAX : (uint32_t)m.column + 1;
}

static custos_status fail_at(builder *b, uint32_t line, uint32_t col, const char *fmt, ...)
    YAML_PRINTF(4, 5);

/* Fills b->err with a parse error at line:col (1-based). */
static custos_status fail_at(builder *b, uint32_t line, uint32_t col, const char *fmt, ...) {
    char message[sizeof b->err->message];
    va_list ap;
    va_start(ap, fmt);
    error_vformat(message, sizeof message, fmt, ap); /* cut on a character boundary */
    va_end(ap);
    return error_set(b->err, CUSTOS_E_PARSE, b->name, line, col, "%s", message);
}

static custos_status fail_nomem(builder *b) {
    return error_set(b->err, CUSTOS_E_NOMEM, b->name, 0, 0, "out of memory");
}

/* Line and column (1-based, in characters) of byte `offset`, for reader errors, which libyaml
 * reports as an offset rather than a mark. */
static void position_of_offset(const char *text, size_t len, size_t offset, uint32_t *line,
                               uint32_t *col) {
    uint32_t l = 1, c = 1;
    if (offset > len) offset = len;
    for (size_t i = 0; i < offset; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (ch == '\n' || (ch == '\r' && (i + 1 >= len || text[i + 1] != '\n'))) {
            l++;
            c = 1;
        } else if (!utf8_is_continuation(ch) && ch != '\r') {
            c++;
        }
    }
    *line = l;
    *col = c;
}

/* Turns libyaml's own complaint into our error. */
static custos_status libyaml_failure(builder *b, const yaml_parser_t *p) {
    const char *problem = p->problem ? p->problem : "unknown problem";
    switch (p->error) {
    case YAML_MEMORY_ERROR: return fail_nomem(b);
    case YAML_READER_ERROR: {
        uint32_t line, col;
        position_of_offset(b->text, b->len, p->problem_offset, &line, &col);
        return fail_at(b, line, col, "expected UTF-8 text without control characters: %s", problem);
    }
    default:
        if (p->context)
            return fail_at(b, mark_line(p->problem_mark), mark_col(p->problem_mark),
                           "expected well-formed YAML: %s (%s that starts at line %u, column %u)",
                           problem, p->context, (unsigned)mark_line(p->context_mark),
                           (unsigned)mark_col(p->context_mark));
        return fail_at(b, mark_line(p->problem_mark), mark_col(p->problem_mark),
                       "expected well-formed YAML: %s", problem);
    }
}

/* ---- Scalars ----------------------------------------------------------------------------- */

static bool text_is(const char *s, size_t len, const char *word) {
    return strlen(word) == len && memcmp(s, word, len) == 0;
}

static bool is_core_null(const char *s, size_t len) {
    return len == 0 || text_is(s, len, "~") || text_is(s, len, "null") || text_is(s, len, "Null") ||
           text_is(s, len, "NULL");
}

static bool is_core_bool(const char *s, size_t len, bool *value) {
    if (text_is(s, len, "true") || text_is(s, len, "True") || text_is(s, len, "TRUE")) {
        *value = true;
        return true;
    }
    if (text_is(s, len, "false") || text_is(s, len, "False") || text_is(s, len, "FALSE")) {
        *value = false;
        return true;
    }
    return false;
}

static size_t count_digits(const char *s, size_t len, size_t i) {
    size_t start = i;
    while (i < len && s[i] >= '0' && s[i] <= '9') i++;
    return i - start;
}

/* [-+]?[0-9]+ : the decimal integers of the core schema. */
static bool is_decimal_int(const char *s, size_t len) {
    size_t i = (len > 0 && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
    return i < len && count_digits(s, len, i) == len - i;
}

/* [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? : the core schema's floats (which
 * include the integers; those are tested first).  .inf and .nan are left as strings. */
static bool is_decimal_float(const char *s, size_t len) {
    size_t i = (len > 0 && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
    size_t whole = count_digits(s, len, i);
    i += whole;
    size_t fraction = 0;
    if (i < len && s[i] == '.') {
        i++;
        fraction = count_digits(s, len, i);
        i += fraction;
    }
    if (whole == 0 && fraction == 0) return false;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < len && (s[i] == '-' || s[i] == '+')) i++;
        size_t exponent = count_digits(s, len, i);
        if (exponent == 0) return false;
        i += exponent;
    }
    return i == len;
}

/* Converts a checked decimal integer; false when it does not fit in int64. */
static bool decimal_to_int64(const char *s, size_t len, int64_t *out) {
    bool negative = s[0] == '-';
    size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
    uint64_t limit = negative ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    uint64_t magnitude = 0;
    for (; i < len; i++) {
        unsigned digit = (unsigned)(s[i] - '0');
        if (magnitude > (limit - digit) / 10) return false;
        magnitude = magnitude * 10 + digit;
    }
    if (negative)
        *out = magnitude == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)magnitude;
    else
        *out = (int64_t)magnitude;
    return true;
}

/* Converts a checked decimal float with strtod, swapping '.' for the locale's decimal point
 * (as jansson does) so a host's setlocale cannot change what a document means.  Returns
 * CUSTOS_E_INPUT when the value is out of range, CUSTOS_E_NOMEM when a copy fails. */
static custos_status decimal_to_double(const char *s, size_t len, double *out) {
    const char *point = localeconv()->decimal_point;
    size_t point_len = point && *point ? strlen(point) : 1;
    if (!point || !*point) point = ".";
    char small[128];
    size_t size = len + point_len + 1;
    char *buf = size <= sizeof small ? small : malloc(size);
    if (!buf) return CUSTOS_E_NOMEM;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '.') {
            memcpy(buf + n, point, point_len);
            n += point_len;
        } else {
            buf[n++] = s[i];
        }
    }
    buf[n] = '\0';
    char *end;
    double value = strtod(buf, &end);
    bool whole = end == buf + n;
    if (buf != small) free(buf);
    if (!whole || isinf(value) || isnan(value)) return CUSTOS_E_INPUT;
    *out = value;
    return CUSTOS_OK;
}

/* False when a plain scalar cannot be a null, a boolean or a number: its first character
 * starts none of them (most text, read without the word-by-word tests below). */
static bool may_be_typed(const char *s, size_t len) {
    if (len == 0) return true;
    char c = s[0];
    return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == '~' || c == 'n' ||
           c == 'N' || c == 't' || c == 'T' || c == 'f' || c == 'F';
}

/* Decides the kind of a scalar from its tag, style and text. */
static custos_status resolve_scalar(builder *b, const yaml_event_t *ev, doc_kind *kind) {
    const char *tag = (const char *)ev->data.scalar.tag;
    const char *s = (const char *)ev->data.scalar.value;
    size_t len = ev->data.scalar.length;
    uint32_t line = mark_line(ev->start_mark), col = mark_col(ev->start_mark);
    bool flag;

    if (!tag) {
        if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE || !may_be_typed(s, len))
            *kind = DOC_STR;
        else if (is_core_null(s, len))
            *kind = DOC_NULL;
        else if (is_core_bool(s, len, &flag))
            *kind = DOC_BOOL;
        else if (is_decimal_int(s, len))
            *kind = DOC_INT;
        else if (is_decimal_float(s, len))
            *kind = DOC_NUM;
        else
            *kind = DOC_STR;
        return CUSTOS_OK;
    }
    if (strcmp(tag, "!") == 0 || strcmp(tag, CORE_TAG "str") == 0) {
        *kind = DOC_STR;
        return CUSTOS_OK;
    }
    if (strcmp(tag, CORE_TAG "int") == 0) {
        if (!is_decimal_int(s, len))
            return fail_at(b, line, col, "expected a decimal integer after !!int, found '%.*s'",
                           utf8_precision(s, 40), s);
        *kind = DOC_INT;
        return CUSTOS_OK;
    }
    if (strcmp(tag, CORE_TAG "float") == 0) {
        if (!is_decimal_int(s, len) && !is_decimal_float(s, len))
            return fail_at(b, line, col, "expected a decimal number after !!float, found '%.*s'",
                           utf8_precision(s, 40), s);
        *kind = DOC_NUM;
        return CUSTOS_OK;
    }
    if (strcmp(tag, CORE_TAG "bool") == 0) {
        if (!is_core_bool(s, len, &flag))
            return fail_at(b, line, col, "expected true or false after !!bool, found '%.*s'",
                           utf8_precision(s, 40), s);
        *kind = DOC_BOOL;
        return CUSTOS_OK;
    }
    if (strcmp(tag, CORE_TAG "null") == 0) {
        if (!is_core_null(s, len))
            return fail_at(b, line, col, "expected null or ~ after !!null, found '%.*s'",
                           utf8_precision(s, 40), s);
        *kind = DOC_NULL;
        return CUSTOS_OK;
    }
    return fail_at(b, line, col,
                   "expected no tag or a core tag (!!str, !!int, !!float, !!bool, !!null) on a "
                   "scalar, found '%.*s'",
                   utf8_precision(tag, 80), tag);
}

static doc_node *new_node(builder *b, doc_kind kind, yaml_mark_t mark) {
    doc_node *n = arena_alloc(b->arena, sizeof *n);
    if (!n) return NULL;
    memset(n, 0, sizeof *n);
    n->kind = kind;
    n->line = mark_line(mark);
    n->col = mark_col(mark);
    return n;
}

/* Builds the node of a scalar event of a resolved kind. */
static custos_status make_scalar(builder *b, const yaml_event_t *ev, doc_kind kind,
                                 doc_node **out) {
    const char *s = (const char *)ev->data.scalar.value;
    size_t len = ev->data.scalar.length;
    uint32_t line = mark_line(ev->start_mark), col = mark_col(ev->start_mark);
    doc_node *n = new_node(b, kind, ev->start_mark);
    if (!n) return fail_nomem(b);
    switch (kind) {
    case DOC_BOOL: is_core_bool(s, len, &n->u.b); break;
    case DOC_INT:
        if (!decimal_to_int64(s, len, &n->u.i))
            return fail_at(b, line, col,
                           "expected an integer between -9223372036854775808 and "
                           "9223372036854775807, found %.*s",
                           utf8_precision(s, 40), s);
        break;
    case DOC_NUM: {
        custos_status st = decimal_to_double(s, len, &n->u.n);
        if (st == CUSTOS_E_NOMEM) return fail_nomem(b);
        if (st != CUSTOS_OK)
            return fail_at(b, line, col,
                           "expected a number within the range of a double, "
                           "found %.*s",
                           utf8_precision(s, 40), s);
        break;
    }
    case DOC_STR:
        if (memchr(s, '\0', len))
            return fail_at(b, line, col, "expected a string without NUL characters");
        n->u.str.s = arena_strndup(b->arena, s, len);
        if (!n->u.str.s) return fail_nomem(b);
        n->u.str.len = len;
        break;
    default: break;
    }
    *out = n;
    return CUSTOS_OK;
}

/* ---- Collections ------------------------------------------------------------------------- */

static bool is_map(const frame *f) { return f->node->kind == DOC_MAP; }

static bool awaiting_key(const frame *f) { return is_map(f) && f->key_count == f->value_count; }

static frame *top(builder *b) { return b->depth ? &b->frames[b->depth - 1] : NULL; }

static void free_frame(frame *f) {
    free(f->values);
    free(f->keys);
    free(f->key_pos);
    free(f->slots);
    memset(f, 0, sizeof *f);
}

/* Readies a frame, keeping its vectors, for a new collection. */
static void start_frame(frame *f, doc_node *n) {
    f->node = n;
    f->value_count = f->key_count = 0;
    if (n->kind != DOC_MAP || !f->slots) return;
    if (f->slot_count <= FRAME_KEPT_SLOTS) {
        memset(f->slots, 0, f->slot_count * sizeof *f->slots);
    } else {
        free(f->slots);
        f->slots = NULL;
        f->slot_count = 0;
    }
}

static size_t next_cap(size_t cap) { return cap ? cap * 2 : 8; }

/* Makes room for one more value. */
static bool reserve_value(frame *f) {
    if (f->value_count < f->value_cap) return true;
    size_t cap = next_cap(f->value_cap);
    if (cap > SIZE_MAX / sizeof(key_position)) return false;
    doc_node **values = realloc(f->values, cap * sizeof *values);
    if (!values) return false;
    f->values = values;
    f->value_cap = cap;
    return true;
}

/* Makes room for one more key (maps). */
static bool reserve_key(frame *f) {
    if (f->key_count < f->key_cap) return true;
    size_t cap = next_cap(f->key_cap);
    if (cap > SIZE_MAX / sizeof(key_position)) return false;
    const char **keys = realloc(f->keys, cap * sizeof *keys);
    if (!keys) return false;
    f->keys = keys;
    key_position *pos = realloc(f->key_pos, cap * sizeof *pos);
    if (!pos) return false;
    f->key_pos = pos;
    f->key_cap = cap;
    return true;
}

/* FNV-1a: keys are short and few, so a simple hash is plenty. */
static uint32_t hash_key(const char *s) {
    uint32_t h = 2166136261u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* The slot holding `key`, or the empty slot where it would go. */
static size_t find_slot(const frame *f, const char *key) {
    size_t mask = f->slot_count - 1;
    size_t i = hash_key(key) & mask;
    while (f->slots[i] && strcmp(f->keys[f->slots[i] - 1], key) != 0) i = (i + 1) & mask;
    return i;
}

/* Keeps the index at most half full, rebuilding it at twice the size when needed. */
static bool reserve_slot(frame *f) {
    if (f->slot_count && (f->key_count + 1) * 2 <= f->slot_count) return true;
    size_t count = f->slot_count ? f->slot_count * 2 : 16;
    if (count > SIZE_MAX / sizeof(uint32_t) || f->key_count >= UINT32_MAX) return false;
    uint32_t *slots = calloc(count, sizeof *slots);
    if (!slots) return false;
    free(f->slots);
    f->slots = slots;
    f->slot_count = count;
    for (size_t k = 0; k < f->key_count; k++) f->slots[find_slot(f, f->keys[k])] = (uint32_t)k + 1;
    return true;
}

/* Reads a scalar in key position: it must type as a string and be new to this map. */
static custos_status add_key(builder *b, frame *f, const yaml_event_t *ev) {
    const char *s = (const char *)ev->data.scalar.value;
    size_t len = ev->data.scalar.length;
    uint32_t line = mark_line(ev->start_mark), col = mark_col(ev->start_mark);
    doc_kind kind;
    custos_status st = resolve_scalar(b, ev, &kind);
    if (st != CUSTOS_OK) return st;
    if (kind != DOC_STR && len == 0)
        return fail_at(b, line, col, "expected a string key, found an empty key");
    if (kind != DOC_STR)
        return fail_at(b, line, col,
                       "expected a string key, found %s (%.*s); quote it to make it a string",
                       doc_kind_name(kind), utf8_precision(s, 40), s);
    if (memchr(s, '\0', len)) return fail_at(b, line, col, "expected a key without NUL characters");
    if (!reserve_key(f) || !reserve_slot(f)) return fail_nomem(b);
    size_t slot = find_slot(f, s);
    if (f->slots[slot]) {
        key_position first = f->key_pos[f->slots[slot] - 1];
        return fail_at(b, line, col,
                       "expected unique keys, found '%.*s' again (first at line %u, column %u)",
                       utf8_precision(s, 80), s, (unsigned)first.line, (unsigned)first.col);
    }
    const char *key = arena_strndup(b->arena, s, len);
    if (!key) return fail_nomem(b);
    f->keys[f->key_count] = key;
    f->key_pos[f->key_count] = (key_position){line, col};
    f->key_count++;
    f->slots[slot] = (uint32_t)f->key_count;
    return CUSTOS_OK;
}

/* Places a finished node: as the root, as the next list item, or as the awaited map value. */
static custos_status attach(builder *b, doc_node *n) {
    frame *f = top(b);
    if (!f) {
        b->root = n;
        return CUSTOS_OK;
    }
    if (!reserve_value(f)) return fail_nomem(b);
    f->values[f->value_count++] = n;
    return CUSTOS_OK;
}

/* Refuses an anchor on a node; anchors exist only to be aliased. */
static custos_status refuse_anchor(builder *b, const yaml_event_t *ev, const yaml_char_t *anchor) {
    if (!anchor) return CUSTOS_OK;
    return fail_at(b, mark_line(ev->start_mark), mark_col(ev->start_mark),
                   "expected no anchor, found '&%.*s' (anchors and aliases are not supported)",
                   utf8_precision((const char *)anchor, 80), (const char *)anchor);
}

static custos_status open_collection(builder *b, const yaml_event_t *ev, doc_kind kind) {
    /* Starts a sequence or mapping after checking anchor, tag, key position and depth. */
    bool is_seq = kind == DOC_SEQ;
    const yaml_char_t *anchor =
        is_seq ? ev->data.sequence_start.anchor : ev->data.mapping_start.anchor;
    const char *tag =
        (const char *)(is_seq ? ev->data.sequence_start.tag : ev->data.mapping_start.tag);
    uint32_t line = mark_line(ev->start_mark), col = mark_col(ev->start_mark);
    custos_status st = refuse_anchor(b, ev, anchor);
    if (st != CUSTOS_OK) return st;
    if (tag && strcmp(tag, "!") != 0 && strcmp(tag, is_seq ? CORE_TAG "seq" : CORE_TAG "map") != 0)
        return fail_at(b, line, col, "expected no tag or %s on %s, found '%.*s'",
                       is_seq ? "!!seq" : "!!map", doc_kind_name(kind), utf8_precision(tag, 80),
                       tag);
    frame *parent = top(b);
    if (parent && awaiting_key(parent))
        return fail_at(b, line, col, "expected a string key, found %s", doc_kind_name(kind));
    if (b->depth == DOC_MAX_DEPTH)
        return fail_at(b, line, col, "expected at most %d levels of nesting", DOC_MAX_DEPTH);
    doc_node *n = new_node(b, kind, ev->start_mark);
    if (!n) return fail_nomem(b);
    start_frame(&b->frames[b->depth++], n);
    return CUSTOS_OK;
}

/* Copies `count` pointers into the arena (NULL when there are none). */
static bool freeze(arena *a, void *from, size_t count, size_t elem, void **to) {
    *to = NULL;
    if (!count) return true;
    void *copy = arena_alloc(a, count * elem);
    if (!copy) return false;
    memcpy(copy, from, count * elem);
    *to = copy;
    return true;
}

static custos_status close_collection(builder *b) {
    /* Moves the finished collection's items into the arena and attaches it to its parent. */
    frame *f = top(b);
    if (!f) /* libyaml pairs every end with a start; this would be its bug */
        return error_set(b->err, CUSTOS_E_INTERNAL, b->name, 0, 0,
                         "collection end without a start");
    doc_node *n = f->node;
    bool ok;
    if (is_map(f)) {
        void *keys, *values;
        ok = freeze(b->arena, f->keys, f->key_count, sizeof *f->keys, &keys) &&
             freeze(b->arena, f->values, f->value_count, sizeof *f->values, &values);
        if (ok) {
            n->u.map.keys = keys;
            n->u.map.values = values;
            n->u.map.count = f->value_count;
        }
    } else {
        void *items;
        ok = freeze(b->arena, f->values, f->value_count, sizeof *f->values, &items);
        if (ok) {
            n->u.seq.items = items;
            n->u.seq.count = f->value_count;
        }
    }
    f->node = NULL;
    b->depth--;
    if (!ok) return fail_nomem(b);
    return attach(b, n);
}

/* ---- Events ------------------------------------------------------------------------------ */

static custos_status on_scalar(builder *b, const yaml_event_t *ev) {
    custos_status st = refuse_anchor(b, ev, ev->data.scalar.anchor);
    if (st != CUSTOS_OK) return st;
    frame *f = top(b);
    if (f && awaiting_key(f)) return add_key(b, f, ev);
    doc_kind kind;
    st = resolve_scalar(b, ev, &kind);
    if (st != CUSTOS_OK) return st;
    doc_node *n = NULL;
    st = make_scalar(b, ev, kind, &n);
    if (st != CUSTOS_OK) return st;
    return attach(b, n);
}

static custos_status on_event(builder *b, const yaml_event_t *ev) {
    if ((ev->type == YAML_SCALAR_EVENT || ev->type == YAML_SEQUENCE_START_EVENT ||
         ev->type == YAML_MAPPING_START_EVENT) &&
        ++b->nodes > DOC_MAX_NODES)
        return fail_at(b, mark_line(ev->start_mark), mark_col(ev->start_mark),
                       "expected at most %d values in a document", DOC_MAX_NODES);
    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (b->documents++ > 0)
            return fail_at(b, mark_line(ev->start_mark), mark_col(ev->start_mark),
                           "expected a single document, found a second one");
        return CUSTOS_OK;
    case YAML_ALIAS_EVENT:
        return fail_at(b, mark_line(ev->start_mark), mark_col(ev->start_mark),
                       "expected no alias, found '*%.*s' (anchors and aliases are not "
                       "supported)",
                       utf8_precision((const char *)ev->data.alias.anchor, 80),
                       (const char *)ev->data.alias.anchor);
    case YAML_SCALAR_EVENT: return on_scalar(b, ev);
    case YAML_SEQUENCE_START_EVENT: return open_collection(b, ev, DOC_SEQ);
    case YAML_MAPPING_START_EVENT: return open_collection(b, ev, DOC_MAP);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT: return close_collection(b);
    default: return CUSTOS_OK;
    }
}

custos_status doc_yaml_build(arena *a, const char *text, size_t len, const char *name,
                             doc_node **root, custos_error *err) {
    /* Feeds libyaml's events to the builder until the stream ends or something is refused. */
    *root = NULL;
    builder *b = calloc(1, sizeof *b);
    if (!b) return error_set(err, CUSTOS_E_NOMEM, name, 0, 0, "out of memory");
    b->arena = a;
    b->name = name;
    b->err = err;
    b->text = text;
    b->len = len;

    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        free(b);
        return error_set(err, CUSTOS_E_NOMEM, name, 0, 0, "out of memory");
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);

    custos_status st = CUSTOS_OK;
    for (;;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            st = libyaml_failure(b, &parser);
            break;
        }
        bool end = ev.type == YAML_STREAM_END_EVENT;
        st = on_event(b, &ev);
        yaml_event_delete(&ev);
        if (st != CUSTOS_OK || end) break;
    }
    yaml_parser_delete(&parser);

    if (st == CUSTOS_OK && !b->root) {
        /* An empty stream (or only comments) is a null document. */
        b->root = new_node(b, DOC_NULL, (yaml_mark_t){0, 0, 0});
        if (!b->root) st = fail_nomem(b);
    }
    for (size_t i = 0; i < DOC_MAX_DEPTH; i++) free_frame(&b->frames[i]);
    if (st == CUSTOS_OK) *root = b->root;
    free(b);
    return st;
}
