/*
 * doc_internal.h — the builders' side of a doc (not for other users).
 *
 * doc.c owns the tree; the readers build nodes into its arena (doc_yaml.c, doc_json.c); only
 * doc_parse.c calls the readers and hands their tree to the doc.  See the graph in doc.h.
 */
#ifndef CUSTOS_DOC_INTERNAL_H
#define CUSTOS_DOC_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "doc.h"

/* ---- doc.c: the object the readers fill ---- */

/* An empty doc named `name` (copied; NULL is ""), or NULL when out of memory. */
doc *doc_new(const char *name);
/* The arena every node and string of d lives in. */
arena *doc_arena(doc *d);
/* Sets d's tree.  json_text (in d's arena, json_len bytes) is the JSON text the tree was read
 * from, kept for doc_locate; NULL for a YAML tree, whose nodes carry their positions. */
void doc_set_root(doc *d, doc_node *root, const char *json_text, size_t json_len);
/* The JSON text given to doc_set_root (NULL, *len = 0 for YAML). */
const char *doc_json_text(const doc *d, size_t *len);

/* ---- the readers, called by doc_parse.c ---- */

/* Builds the tree of a YAML text into the arena (doc_yaml.c). */
custos_status doc_yaml_build(arena *a, const char *text, size_t len, const char *name,
                             doc_node **root, custos_error *err);
/* Builds the tree of a JSON text into the arena (doc_json.c). */
custos_status doc_json_build(arena *a, const char *text, size_t len, const char *name,
                             doc_node **root, custos_error *err);
/* Places every node of root (sets line and col) in one libyaml pass over the JSON text; false
 * when libyaml reads the text differently from the tree (some nodes stay unplaced). */
bool doc_json_annotate(const char *text, size_t len, doc_node *root);

/* Finds target's line and column by re-reading the JSON text with libyaml (doc_json.c). */
bool doc_json_find(const char *text, size_t len, const doc_node *root, const doc_node *target,
                   uint32_t *line, uint32_t *col);

#endif
