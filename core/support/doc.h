/*
 * doc.h — a parsed YAML or JSON document as a small tree that remembers where each node came
 * from, so every later check (request schema, data schema) can say file:line:col.
 *
 * Scalars follow the YAML 1.2 core schema, strictly: plain `true`/`false` are booleans, plain
 * `null`/`~`/empty are null, plain decimal integers are integers, plain decimal floats are
 * numbers; everything else — and every quoted scalar — is a string (so `yes` and `"true"` are
 * strings).  Aliases and anchors are refused (they allow exponential documents), as are
 * duplicate keys, non-string keys, nesting deeper than DOC_MAX_DEPTH and tags other than the
 * core ones.  JSON is parsed by jansson; its nodes get positions by re-reading the text with
 * libyaml only when an error has to be located (doc_locate).
 *
 * Modules (each arrow: "is used by"; no module calls back up):
 *   arena, error  ->  doc.c        the tree: its arena, lookups, kind names
 *   doc.c         ->  doc_yaml.c   YAML reader (libyaml) building a tree in the doc's arena
 *   doc.c         ->  doc_json.c   JSON reader (jansson), and positions of JSON nodes
 *   doc_yaml.c, doc_json.c, fileio  ->  doc_parse.c
 *                                  doc_parse / doc_parse_file (reader chosen by the text),
 *                                  doc_locate, doc_error_at
 * Readers see the doc through doc_internal.h; everyone else through this header.
 */
#ifndef CUSTOS_DOC_H
#define CUSTOS_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "custos.h"
#include "error.h"

#define DOC_MAX_DEPTH 64
/* Values (keys included) one document may hold: bounds what it becomes in memory — its tree,
 * and the engine's store merged from it — to a small multiple of its size. */
#define DOC_MAX_NODES 1000000

typedef enum doc_kind { DOC_NULL, DOC_BOOL, DOC_INT, DOC_NUM, DOC_STR, DOC_SEQ, DOC_MAP } doc_kind;

typedef struct doc_node doc_node;

struct doc_node {
    doc_kind kind;
    uint32_t line, col; /* 1-based; 0 when unknown (JSON before doc_locate) */
    union {
        bool b;
        int64_t i;
        double n;
        struct {
            const char *s; /* NUL-terminated, may contain no NUL itself */
            size_t len;
        } str;
        struct {
            doc_node **items;
            size_t count;
        } seq;
        struct {
            const char **keys; /* NUL-terminated */
            doc_node **values;
            size_t count; /* in document order */
        } map;
    } u;
};

/* A whole document: all nodes and strings live in one arena freed by doc_free (doc.c). */
typedef struct doc doc;

/* ---- doc_parse.c ---- */

/* Parses `text` (len bytes, need not be NUL-terminated).  Strict JSON when `name` ends in
 * ".json" (any case); else JSON when the first non-blank character is '{' or '[' (YAML's
 * reading when JSON refuses it), else YAML.  `name` is copied and used as the file in errors.
 * An empty document yields a DOC_NULL root.  On failure returns CUSTOS_E_PARSE (or
 * CUSTOS_E_NOMEM) with err filled: file = name, line/column of the problem, message naming
 * the expected shape; *out is NULL. */
custos_status doc_parse(const char *text, size_t len, const char *name, doc **out,
                        custos_error *err);

/* Reads a whole file and parses it.  A missing file is CUSTOS_E_NOT_FOUND, an unreadable one
 * CUSTOS_E_IO (err->file = path). */
custos_status doc_parse_file(const char *path, doc **out, custos_error *err);

/* ---- doc.c ---- */

void doc_free(doc *d);

const doc_node *doc_root(const doc *d);
const char *doc_name(const doc *d);
bool doc_is_json(const doc *d);

/* Looks up a key in a DOC_MAP node (NULL if absent or n is not a map). */
const doc_node *doc_map_get(const doc_node *n, const char *key);

/* "a mapping", "a list", "a string", "an integer", "a number", "a boolean", "null". */
const char *doc_kind_name(doc_kind kind);

/* ---- doc_parse.c (they read JSON text again to place a node) ---- */

/* Fills err (status CUSTOS_E_INPUT) for a problem at node n of document d: file = doc name,
 * line/col = the node's position (located through doc_locate for JSON), message formatted
 * printf-style.  `path` is the dotted path of the node ("resource.id") or NULL, and is
 * prefixed to the message when given.  Returns CUSTOS_E_INPUT. */
custos_status doc_error_at(const doc *d, const doc_node *n, const char *path, custos_error *err,
                           const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* Finds the line/col of node n in d (nodes of JSON documents have none until asked).
 * Returns false when it cannot be found; then *line = *col = 0. */
bool doc_locate(const doc *d, const doc_node *n, uint32_t *line, uint32_t *col);

#endif
