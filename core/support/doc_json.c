/*
 * doc_json.c — JSON text to a doc tree through jansson, and the positions of JSON nodes found
 * afterwards by re-reading the text with libyaml (JSON is, nearly, YAML flow style).
 *
 * jansson (since 2.8) iterates an object's members in insertion order, so maps keep document
 * order.  Its nodes carry no positions; doc_json_find supplies them when an error needs one.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <yaml.h>

#include "arena.h"
#include "doc.h"
#include "doc_internal.h"
#include "json_watch.h"
#include "utf8.h"

/* Called by doc_parse.c: doc_parse for JSON text, doc_locate for JSON nodes. */

#if JANSSON_VERSION_HEX < 0x020800
#error "jansson 2.8 or later is needed: earlier versions do not keep object members in order"
#endif

typedef struct converter {
    arena *arena;
    const char *name;
    custos_error *err;
    const char *text;
    size_t len;
} converter;

/* ---- Building ---------------------------------------------------------------------------- */

static custos_status fail_nomem(const converter *c) {
    return error_set(c->err, CUSTOS_E_NOMEM, c->name, 0, 0, "out of memory");
}

/* Line and column (1-based, in characters) of the first '{' or '[' nested deeper than
 * DOC_MAX_DEPTH; the text is valid JSON (jansson read it), so tracking strings is enough. */
static void find_too_deep(const char *text, size_t len, uint32_t *line, uint32_t *col) {
    uint32_t l = 1, c = 0;
    unsigned depth = 0;
    bool in_string = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (ch == '\n') {
            l++;
            c = 0;
            continue;
        }
        if (!utf8_is_continuation(ch)) c++;
        if (in_string) {
            if (ch == '\\') {
                i++; /* an escape: the next byte is ASCII and no line break */
                c++;
            } else if (ch == '"') {
                in_string = false;
            }
        } else if (ch == '"') {
            in_string = true;
        } else if (ch == '{' || ch == '[') {
            if (++depth > DOC_MAX_DEPTH) {
                *line = l;
                *col = c;
                return;
            }
        } else if (ch == '}' || ch == ']') {
            depth--;
        }
    }
    *line = *col = 0;
}

/* Counts the values of a JSON text (keys included: every string, literal and collection) and
 * finds where the one past DOC_MAX_NODES starts; false when there are not that many.  Runs
 * before jansson builds its own, larger tree. */
static bool find_too_many(const char *text, size_t len, uint32_t *line, uint32_t *col) {
    uint32_t l = 1, c = 0;
    size_t values = 0;
    bool in_string = false, in_literal = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (ch == '\n') {
            l++;
            c = 0;
            in_literal = false;
            continue;
        }
        if (!utf8_is_continuation(ch)) c++;
        bool starts = false;
        if (in_string) {
            if (ch == '\\') {
                i++;
                c++;
            } else if (ch == '"') {
                in_string = false;
            }
            continue;
        }
        bool literal_char = ch == '-' || ch == '+' || ch == '.' || (ch >= '0' && ch <= '9') ||
                            (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
        if (ch == '"') {
            in_string = starts = true;
        } else if (ch == '[' || ch == '{') {
            starts = true;
        } else if (literal_char && !in_literal) {
            starts = true;
        }
        in_literal = literal_char;
        if (starts && ++values > DOC_MAX_NODES) {
            *line = l;
            *col = c;
            return true;
        }
    }
    return false;
}

static doc_node *new_node(const converter *c, doc_kind kind) {
    doc_node *n = arena_alloc(c->arena, sizeof *n);
    if (!n) return NULL;
    memset(n, 0, sizeof *n);
    n->kind = kind; /* line = col = 0: found on demand by doc_json_find */
    return n;
}

/* Converts one jansson value; `depth` counts the collections enclosing it plus itself. */
static custos_status convert(const converter *c, json_t *j, unsigned depth, doc_node **out) {
    doc_node *n;
    switch (json_typeof(j)) {
    case JSON_OBJECT:
    case JSON_ARRAY: {
        bool is_map = json_is_object(j);
        if (depth > DOC_MAX_DEPTH) {
            uint32_t line, col;
            find_too_deep(c->text, c->len, &line, &col);
            return error_set(c->err, CUSTOS_E_PARSE, c->name, line, col,
                             "expected at most %d levels of nesting", DOC_MAX_DEPTH);
        }
        size_t count = is_map ? json_object_size(j) : json_array_size(j);
        n = new_node(c, is_map ? DOC_MAP : DOC_SEQ);
        if (!n) return fail_nomem(c);
        doc_node **values = NULL;
        const char **keys = NULL;
        if (count) {
            values = arena_alloc(c->arena, count * sizeof *values);
            keys = is_map ? arena_alloc(c->arena, count * sizeof *keys) : NULL;
            if (!values || (is_map && !keys)) return fail_nomem(c);
        }
        size_t i = 0;
        if (is_map) {
            const char *key;
            json_t *value;
            json_object_foreach(j, key, value) {
                keys[i] = arena_strdup(c->arena, key);
                if (!keys[i]) return fail_nomem(c);
                custos_status st = convert(c, value, depth + 1, &values[i]);
                if (st != CUSTOS_OK) return st;
                i++;
            }
            n->u.map.keys = keys;
            n->u.map.values = values;
            n->u.map.count = i;
        } else {
            json_t *value;
            json_array_foreach(j, i, value) {
                custos_status st = convert(c, value, depth + 1, &values[i]);
                if (st != CUSTOS_OK) return st;
            }
            n->u.seq.items = values;
            n->u.seq.count = count;
        }
        break;
    }
    case JSON_STRING: {
        n = new_node(c, DOC_STR);
        if (!n) return fail_nomem(c);
        size_t len = json_string_length(j);
        n->u.str.s = arena_strndup(c->arena, json_string_value(j), len);
        if (!n->u.str.s) return fail_nomem(c);
        n->u.str.len = len;
        break;
    }
    case JSON_INTEGER:
        n = new_node(c, DOC_INT);
        if (!n) return fail_nomem(c);
        n->u.i = (int64_t)json_integer_value(j);
        break;
    case JSON_REAL:
        n = new_node(c, DOC_NUM);
        if (!n) return fail_nomem(c);
        n->u.n = json_real_value(j);
        break;
    case JSON_TRUE:
    case JSON_FALSE:
        n = new_node(c, DOC_BOOL);
        if (!n) return fail_nomem(c);
        n->u.b = json_is_true(j);
        break;
    default:
        n = new_node(c, DOC_NULL);
        if (!n) return fail_nomem(c);
        break;
    }
    *out = n;
    return CUSTOS_OK;
}

/* jansson reports the column of the last character of the offending token, which its message
 * quotes ("... near '\"a\"'"); step back to where the token starts, so the column points at
 * it.  Leaves the column alone when the message has no whole token.  The first " near '" is
 * jansson's (its messages hold none): the token may hold one too, even at its end. */
static unsigned token_start_column(const json_error_t *jerr) {
    unsigned col = jerr->column > 0 ? (unsigned)jerr->column : 0;
    const char *near = strstr(jerr->text, " near '");
    size_t text_len = strlen(jerr->text);
    if (!near || text_len < 2 || jerr->text[text_len - 1] != '\'') return col;
    const char *token = near + 7, *end = jerr->text + text_len - 1;
    if (token > end) return col;
    size_t chars = utf8_count_chars(token, (size_t)(end - token));
    return chars >= 1 && chars <= col ? (unsigned)(col - chars + 1) : col;
}

custos_status doc_json_build(arena *a, const char *text, size_t len, const char *name,
                             doc_node **root, custos_error *err) {
    /* Lets jansson check the syntax (duplicates and NUL in strings refused), then converts. */
    *root = NULL;
    uint32_t line, col;
    if (find_too_many(text, len, &line, &col))
        return error_set(err, CUSTOS_E_PARSE, name, line, col,
                         "expected at most %d values in a document", DOC_MAX_NODES);
    json_error_t jerr;
    json_watch_begin();
    json_t *j = json_loadb(text, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);
    if (json_watch_failed()) { /* whatever jansson made of it: a string may have lost bytes */
        json_decref(j);
        return error_set(err, CUSTOS_E_NOMEM, name, 0, 0, "out of memory");
    }
    if (!j) {
        /* jansson reports most allocation failures with no text at all (and a few as
         * syntax errors, which cannot be told apart). */
        if (json_error_code(&jerr) == json_error_out_of_memory || jerr.text[0] == '\0')
            return error_set(err, CUSTOS_E_NOMEM, name, 0, 0, "out of memory");
        return error_set(err, CUSTOS_E_PARSE, name, jerr.line > 0 ? (unsigned)jerr.line : 0,
                         token_start_column(&jerr),
                         "expected well-formed JSON (the document starts with '{' or "
                         "'['): %s",
                         jerr.text);
    }
    converter c = {a, name, err, text, len};
    custos_status st = convert(&c, j, 1, root);
    json_decref(j);
    if (st != CUSTOS_OK) *root = NULL;
    return st;
}

/* ---- Locating ---------------------------------------------------------------------------- */

/* The nodes from the root down to target (inclusive) and the child index taken at each. */
typedef struct node_path {
    const doc_node *nodes[DOC_MAX_DEPTH + 1];
    size_t index[DOC_MAX_DEPTH + 1];
    size_t len;
} node_path;

static bool find_path(const doc_node *n, const doc_node *target, node_path *p) {
    if (p->len > DOC_MAX_DEPTH) return false;
    p->nodes[p->len++] = n;
    if (n == target) return true;
    size_t count = n->kind == DOC_MAP ? n->u.map.count : n->kind == DOC_SEQ ? n->u.seq.count : 0;
    for (size_t i = 0; i < count; i++) {
        p->index[p->len - 1] = i;
        const doc_node *child = n->kind == DOC_MAP ? n->u.map.values[i] : n->u.seq.items[i];
        if (find_path(child, target, p)) return true;
    }
    p->len--;
    return false;
}

/* A copy of JSON text that libyaml reads with the same lines and columns: surrogate escapes
 * (\uD83D, which libyaml refuses) become \u0041, and raw characters in strings that YAML 1.1
 * refuses or counts as line breaks (DEL, C1 controls, NEL, U+2028/9, U+FEFF, U+FFFE/F) become
 * 'x', one character for one.  Strings only: elsewhere valid JSON is plain ASCII. */
static char *yaml_readable_copy(const char *text, size_t len, size_t *out_len) {
    char *out = malloc(len + 1);
    if (!out) return NULL;
    size_t n = 0;
    bool in_string = false;
    for (size_t i = 0; i < len;) {
        unsigned char ch = (unsigned char)text[i];
        /* jansson accepted the text, so it is valid UTF-8; a stray byte would count as one */
        uint32_t code;
        size_t width = utf8_decode(text + i, len - i, &code);
        if (!width) width = 1;
        if (!in_string) {
            in_string = ch == '"';
            out[n++] = text[i++];
            continue;
        }
        if (ch == '"') {
            in_string = false;
        } else if (ch == '\\' && i + 1 < len) {
            /* Copy the backslash; the escaped ASCII character is copied below (width 1). */
            out[n++] = text[i++];
            if (text[i] == 'u' && i + 4 < len && (text[i + 1] == 'd' || text[i + 1] == 'D') &&
                text[i + 2] && strchr("89abcdefABCDEF", text[i + 2])) {
                memcpy(out + n, "u0041", 5);
                n += 5;
                i += 5;
                continue;
            }
        } else {
            bool unreadable = code == 0x7F || (code >= 0x80 && code <= 0x9F) || code == 0x2028 ||
                              code == 0x2029 || code == 0xFEFF || code == 0xFFFE || code == 0xFFFF;
            if (unreadable) {
                out[n++] = 'x';
                i += width;
                continue;
            }
        }
        memcpy(out + n, text + i, width);
        n += width;
        i += width;
    }
    out[n] = '\0';
    *out_len = n;
    return out;
}

/* Reads the next event that starts a node, passing over stream and document starts; false
 * (with nothing to delete) on a parse error or when a collection or the stream ends first. */
static bool next_node_event(yaml_parser_t *p, yaml_event_t *ev) {
    for (;;) {
        if (!yaml_parser_parse(p, ev)) return false;
        switch (ev->type) {
        case YAML_STREAM_START_EVENT:
        case YAML_DOCUMENT_START_EVENT: yaml_event_delete(ev); continue;
        case YAML_SCALAR_EVENT:
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT: return true;
        default: yaml_event_delete(ev); return false;
        }
    }
}

/* Reads past one whole node. */
static bool skip_node(yaml_parser_t *p) {
    yaml_event_t ev;
    if (!next_node_event(p, &ev)) return false;
    size_t open = ev.type == YAML_SCALAR_EVENT ? 0 : 1;
    yaml_event_delete(&ev);
    while (open) {
        if (!yaml_parser_parse(p, &ev)) return false;
        if (ev.type == YAML_SEQUENCE_START_EVENT || ev.type == YAML_MAPPING_START_EVENT)
            open++;
        else if (ev.type == YAML_SEQUENCE_END_EVENT || ev.type == YAML_MAPPING_END_EVENT)
            open--;
        else if (ev.type == YAML_STREAM_END_EVENT)
            open = 0;
        yaml_event_delete(&ev);
    }
    return true;
}

/* Reads a map key and checks it is the one the doc tree has there, so that a text libyaml
 * reads differently from jansson yields "not found" rather than a wrong position. */
static bool read_key(yaml_parser_t *p, const char *expected) {
    yaml_event_t ev;
    if (!next_node_event(p, &ev)) return false;
    bool same = ev.type == YAML_SCALAR_EVENT && ev.data.scalar.length == strlen(expected) &&
                memcmp(ev.data.scalar.value, expected, ev.data.scalar.length) == 0;
    yaml_event_delete(&ev);
    return same;
}

static bool event_matches(const yaml_event_t *ev, const doc_node *n) {
    switch (n->kind) {
    case DOC_MAP: return ev->type == YAML_MAPPING_START_EVENT;
    case DOC_SEQ: return ev->type == YAML_SEQUENCE_START_EVENT;
    default: return ev->type == YAML_SCALAR_EVENT;
    }
}

/* Follows the path through libyaml's events; *ev is the target's event on success. */
static bool walk_path(yaml_parser_t *p, const node_path *path, yaml_event_t *ev) {
    if (!next_node_event(p, ev)) return false;
    for (size_t level = 0;; level++) {
        const doc_node *n = path->nodes[level];
        if (!event_matches(ev, n)) break;
        if (level + 1 == path->len) return true;
        yaml_event_delete(ev);
        size_t index = path->index[level];
        for (size_t k = 0; k < index; k++) {
            if (n->kind == DOC_MAP && !read_key(p, n->u.map.keys[k])) return false;
            if (!skip_node(p)) return false;
        }
        if (n->kind == DOC_MAP && !read_key(p, n->u.map.keys[index])) return false;
        if (!next_node_event(p, ev)) return false;
    }
    yaml_event_delete(ev);
    return false;
}

bool doc_json_find(const char *text, size_t len, const doc_node *root, const doc_node *target,
                   uint32_t *line, uint32_t *col) {
    /* Each call re-reads the text: positions are wanted only for the rare error message. */
    *line = *col = 0;
    if (!text || !root || !target) return false;
    node_path path;
    path.len = 0;
    if (!find_path(root, target, &path)) return false;

    size_t copy_len;
    char *copy = yaml_readable_copy(text, len, &copy_len);
    if (!copy) return false;
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        free(copy);
        return false;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)copy, copy_len);
    yaml_event_t ev;
    bool found = walk_path(&parser, &path, &ev);
    if (found) {
        *line = (uint32_t)ev.start_mark.line + 1;
        *col = (uint32_t)ev.start_mark.column + 1;
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    free(copy);
    return found;
}

/* A scanner over JSON text jansson accepted, counting lines and columns as libyaml does
 * (columns in characters; \r\n, \r and \n each end a line). */
typedef struct json_scan {
    const char *s;
    size_t len, i;
    uint32_t line, col;
} json_scan;

static void scan_advance(json_scan *sc) {
    unsigned char c = (unsigned char)sc->s[sc->i++];
    if (c == '\n' || (c == '\r' && !(sc->i < sc->len && sc->s[sc->i] == '\n'))) {
        sc->line++;
        sc->col = 1;
    } else if (c != '\r' && (c & 0xC0) != 0x80) {
        sc->col++; /* a character's first byte */
    }
}

static void scan_space(json_scan *sc) {
    while (sc->i < sc->len && (sc->s[sc->i] == ' ' || sc->s[sc->i] == '\t' ||
                               sc->s[sc->i] == '\n' || sc->s[sc->i] == '\r'))
        scan_advance(sc);
}

/* Passes over a string (at its opening quote). */
static bool scan_string(json_scan *sc) {
    if (sc->i >= sc->len || sc->s[sc->i] != '"') return false;
    scan_advance(sc);
    while (sc->i < sc->len && sc->s[sc->i] != '"') {
        if (sc->s[sc->i] == '\\') scan_advance(sc);
        if (sc->i < sc->len) scan_advance(sc);
    }
    if (sc->i >= sc->len) return false;
    scan_advance(sc);
    return true;
}

/* Places n at the value starting here, then its children. */
static bool scan_node(json_scan *sc, doc_node *n, unsigned depth) {
    scan_space(sc);
    if (sc->i >= sc->len || depth > DOC_MAX_DEPTH + 1) return false;
    n->line = sc->line;
    n->col = sc->col;
    char c = sc->s[sc->i];
    if (n->kind == DOC_MAP || n->kind == DOC_SEQ) {
        bool map = n->kind == DOC_MAP;
        if (c != (map ? '{' : '[')) return false;
        scan_advance(sc);
        size_t count = map ? n->u.map.count : n->u.seq.count;
        for (size_t k = 0; k < count; k++) {
            scan_space(sc);
            if (k) {
                if (sc->i >= sc->len || sc->s[sc->i] != ',') return false;
                scan_advance(sc);
                scan_space(sc);
            }
            if (map) {
                if (!scan_string(sc)) return false;
                scan_space(sc);
                if (sc->i >= sc->len || sc->s[sc->i] != ':') return false;
                scan_advance(sc);
            }
            if (!scan_node(sc, map ? n->u.map.values[k] : n->u.seq.items[k], depth + 1))
                return false;
        }
        scan_space(sc);
        if (sc->i >= sc->len || sc->s[sc->i] != (map ? '}' : ']')) return false;
        scan_advance(sc);
        return true;
    }
    if (c == '"') return scan_string(sc);
    if (c == '{' || c == '[') return false;
    /* a number, true, false or null: up to the next delimiter */
    while (sc->i < sc->len && !strchr(",]} \t\r\n", sc->s[sc->i])) scan_advance(sc);
    return true;
}

bool doc_json_annotate(const char *text, size_t len, doc_node *root) {
    /* One pass for every node: a request's nodes are all placed when it is copied. */
    if (!text || !root) return false;
    json_scan sc = {text, len, 0, 1, 1};
    return scan_node(&sc, root, 1);
}
