/*
 * doc_parse.c — the entry points that need a reader: choosing YAML or JSON (a name ending in
 * ".json" is strict JSON: no trailing commas, no single quotes; otherwise the text's first
 * character decides, and JSON that jansson refuses is read as YAML flow style), reading a file, and finding a node's position for an error (JSON nodes have none
 * until asked).  It sits above doc.c and both readers; none of them calls back into it.
 */
#include "doc.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "doc_internal.h"
#include "fileio.h"
#include "utf8.h"

/* True when the first non-blank character is '{' or '[' (the header's rule for JSON). */
static bool looks_like_json(const char *text, size_t len) {
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
        return c == '{' || c == '[';
    }
    return false;
}

/* Whether a document's name ends in ".json" (any case): then it is read as strict JSON. */
static bool named_json(const char *name) {
    size_t n = name ? strlen(name) : 0;
    if (n < 5) return false;
    const char *ext = name + n - 5;
    return ext[0] == '.' && (ext[1] | 0x20) == 'j' && (ext[2] | 0x20) == 's' &&
           (ext[3] | 0x20) == 'o' && (ext[4] | 0x20) == 'n';
}

/* Reads text as JSON into d; unless `strict`, falls back to YAML's reading when JSON refuses
 * it. */
static custos_status parse_json(doc *d, const char *text, size_t len, size_t bom, bool strict,
                                custos_error *err) {
    arena *a = doc_arena(d);
    const char *name = doc_name(d);
    char *json = arena_strndup(a, text + bom, len - bom);
    if (!json) return error_set(err, CUSTOS_E_NOMEM, name, 0, 0, "out of memory");
    doc_node *root = NULL;
    custos_status st = doc_json_build(a, json, len - bom, name, &root, err);
    if (st == CUSTOS_OK) {
        /* every node placed now, in one scan: a request places all its nodes when copied, and
         * a parsed doc is then never written again (threads may read it at once) */
        doc_json_annotate(json, len - bom, root);
        doc_set_root(d, root, json, len - bom);
        return CUSTOS_OK;
    }
    /* `{subject: {id: alice}}` is YAML in flow style, not broken JSON: when JSON refuses a
     * document YAML accepts, take YAML's reading; else keep JSON's (better) message. */
    if (!strict && st == CUSTOS_E_PARSE &&
        doc_yaml_build(a, text, len, name, &root, NULL) == CUSTOS_OK) {
        doc_set_root(d, root, NULL, 0);
        return CUSTOS_OK;
    }
    return st;
}

custos_status doc_parse(const char *text, size_t len, const char *name, doc **out,
                        custos_error *err) {
    /* Builds a doc owning copies of everything it needs; *out is NULL on failure. */
    if (!out) return error_set(err, CUSTOS_E_ARGUMENT, name, 0, 0, "out is NULL");
    *out = NULL;
    if (!text && len) return error_set(err, CUSTOS_E_ARGUMENT, name, 0, 0, "text is NULL");
    if (!text) text = "";

    doc *d = doc_new(name);
    if (!d) return error_set(err, CUSTOS_E_NOMEM, name, 0, 0, "out of memory");
    /* A byte order mark is skipped: neither jansson nor looks_like_json expects one. */
    size_t bom = utf8_bom_length(text, len);
    custos_status st;
    bool strict = named_json(name);
    if (strict || looks_like_json(text + bom, len - bom)) {
        st = parse_json(d, text, len, bom, strict, err);
    } else {
        /* libyaml reads the BOM itself (and any UTF-16 one). */
        doc_node *root = NULL;
        st = doc_yaml_build(doc_arena(d), text, len, doc_name(d), &root, err);
        if (st == CUSTOS_OK) doc_set_root(d, root, NULL, 0);
    }
    if (st != CUSTOS_OK) {
        doc_free(d);
        return st;
    }
    *out = d;
    return CUSTOS_OK;
}

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

bool doc_locate(const doc *d, const doc_node *n, uint32_t *line, uint32_t *col) {
    /* YAML nodes carry their position; JSON ones are found by re-reading the text. */
    uint32_t found_line = 0, found_col = 0;
    bool found = false;
    if (d && n) {
        size_t json_len;
        const char *json = doc_json_text(d, &json_len);
        if (n->line) {
            found_line = n->line;
            found_col = n->col;
            found = true;
        } else if (json) {
            /* placed when parsed (doc_json_annotate); this is the fallback for a node the scan
             * could not place */
            found = doc_json_find(json, json_len, doc_root(d), n, &found_line, &found_col);
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
        return error_set(err, CUSTOS_E_INPUT, doc_name(d), line, col, "%s: %s", path, message);
    return error_set(err, CUSTOS_E_INPUT, doc_name(d), line, col, "%s", message);
}
