/*
 * doc.c — the document object: its arena, dispatch between the YAML and JSON readers, lookups,
 * and the error helpers every loader uses.  See doc.h.
 */
#include "doc.h"

#include "doc_internal.h"
#include "fileio.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

/* The readers, defined in doc_yaml.c and doc_json.c.  They allocate every node and string
 * from `a`; `name` is the file named in errors. */

struct doc {
    arena arena;        /* every node, key, string, the name and (for JSON) the text */
    doc_node *root;
    const char *name;
    bool is_json;
    const char *text;   /* JSON only: kept so doc_locate can re-read it */
    size_t text_len;
};

#define DOC_ARENA_CHUNK 16384



const char *doc_kind_name(doc_kind kind) {
    /* Names for messages such as "expected a boolean, found a string". */
    switch (kind) {
    case DOC_NULL: return "null";
    case DOC_BOOL: return "a boolean";
    case DOC_INT: return "an integer";
    case DOC_NUM: return "a number";
    case DOC_STR: return "a string";
    case DOC_SEQ: return "a list";
    case DOC_MAP: return "a mapping";
    }
    return "an unknown value";
}

/* Skips a UTF-8 byte order mark, which neither jansson nor the JSON test below expects. */
static size_t bom_length(const char *text, size_t len) {
    return len >= 3 && (unsigned char)text[0] == 0xEF && (unsigned char)text[1] == 0xBB &&
                   (unsigned char)text[2] == 0xBF
               ? 3
               : 0;
}

/* True when the first non-blank character is '{' or '[' (the header's rule for JSON). */
static bool looks_like_json(const char *text, size_t len) {
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
        return c == '{' || c == '[';
    }
    return false;
}

custos_status doc_parse(const char *text, size_t len, const char *name, doc **out,
                        custos_error *err) {
    /* Builds a doc owning copies of everything it needs; *out is NULL on failure. */
    if (!out) return error_set(err, CUSTOS_E_ARGUMENT, name, 0, 0, "out is NULL");
    *out = NULL;
    if (!text && len)
        return error_set(err, CUSTOS_E_ARGUMENT, name, 0, 0, "text is NULL");
    if (!text) text = "";

    doc *d = malloc(sizeof *d);
    if (!d) return error_set(err, CUSTOS_E_NOMEM, name, 0, 0, "out of memory");
    arena_init(&d->arena, DOC_ARENA_CHUNK);
    d->root = NULL;
    d->is_json = false;
    d->text = NULL;
    d->text_len = 0;
    d->name = arena_strdup(&d->arena, name ? name : "");
    if (!d->name) {
        doc_free(d);
        return error_set(err, CUSTOS_E_NOMEM, name, 0, 0, "out of memory");
    }

    size_t bom = bom_length(text, len);
    custos_status st;
    if (looks_like_json(text + bom, len - bom)) {
        d->is_json = true;
        d->text_len = len - bom;
        d->text = arena_strndup(&d->arena, text + bom, len - bom);
        st = d->text ? doc_json_build(&d->arena, d->text, d->text_len, d->name, &d->root, err)
                     : error_set(err, CUSTOS_E_NOMEM, d->name, 0, 0, "out of memory");
        /* `{subject: {id: alice}}` is YAML in flow style, not broken JSON: when JSON refuses a
         * document YAML accepts, take YAML's reading; else keep JSON's (better) message. */
        if (st == CUSTOS_E_PARSE) {
            doc_node *root = NULL;
            if (doc_yaml_build(&d->arena, text, len, d->name, &root, NULL) == CUSTOS_OK) {
                d->is_json = false;
                d->root = root;
                st = CUSTOS_OK;
            }
        }
    } else {
        /* libyaml reads the BOM itself (and any UTF-16 one). */
        st = doc_yaml_build(&d->arena, text, len, d->name, &d->root, err);
    }
    if (st != CUSTOS_OK) {
        doc_free(d);
        return st;
    }
    *out = d;
    return CUSTOS_OK;
}

/* Describes errno after a failed open or read of a document file. */
custos_status doc_parse_file(const char *path, doc **out, custos_error *err) {
    /* Reads the whole file (pipes too) and parses it under the file's name. */
    if (!out) return error_set(err, CUSTOS_E_ARGUMENT, path, 0, 0, "out is NULL");
    *out = NULL;
    if (!path) return error_set(err, CUSTOS_E_ARGUMENT, NULL, 0, 0, "path is NULL");
    char *text;
    size_t len;
    custos_status st = file_read_all(path, &text, &len, err);
    if (st == CUSTOS_OK) st = doc_parse(text, len, path, out, err);
    free(text);
    return st;
}

void doc_free(doc *d) {
    /* One walk over the arena's chunks releases the whole tree. */
    if (!d) return;
    arena_free(&d->arena);
    free(d);
}

const doc_node *doc_root(const doc *d) { return d ? d->root : NULL; }

const char *doc_name(const doc *d) { return d ? d->name : NULL; }

bool doc_is_json(const doc *d) { return d && d->is_json; }

const doc_node *doc_map_get(const doc_node *n, const char *key) {
    /* Linear in the map's size: keys stay in document order and maps are small. */
    if (!n || n->kind != DOC_MAP || !key) return NULL;
    for (size_t i = 0; i < n->u.map.count; i++)
        if (strcmp(n->u.map.keys[i], key) == 0) return n->u.map.values[i];
    return NULL;
}

bool doc_locate(const doc *d, const doc_node *n, uint32_t *line, uint32_t *col) {
    /* YAML nodes carry their position; JSON ones are found by re-reading the text. */
    uint32_t found_line = 0, found_col = 0;
    bool found = false;
    if (d && n) {
        if (n->line) {
            found_line = n->line;
            found_col = n->col;
            found = true;
        } else if (d->is_json) {
            found = doc_json_find(d->text, d->text_len, d->root, n, &found_line, &found_col);
        }
    }
    if (!found) found_line = found_col = 0;
    if (line) *line = found_line;
    if (col) *col = found_col;
    return found;
}

custos_status doc_error_at(const doc *d, const doc_node *n, const char *path, custos_error *err,
                           const char *fmt, ...) {
    /* Formats the message first, then prefixes the path, then fills err. */
    if (!err) return CUSTOS_E_INPUT;
    char message[sizeof err->message];
    message[0] = '\0';
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        error_vformat(message, sizeof message, fmt, ap);
        va_end(ap);
    }
    uint32_t line = 0, col = 0;
    doc_locate(d, n, &line, &col);
    if (path && *path)
        return error_set(err, CUSTOS_E_INPUT, doc_name(d), line, col, "%s: %s", path,
                                message);
    return error_set(err, CUSTOS_E_INPUT, doc_name(d), line, col, "%s", message);
}
