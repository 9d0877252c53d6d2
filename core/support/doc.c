/*
 * doc.c — the document object: the arena that owns a tree, its lookups and the names of node
 * kinds.  It knows nothing of YAML or JSON: the readers (doc_yaml.c, doc_json.c) build trees
 * into a doc's arena and doc_parse.c hands the result over with doc_set_root.  See doc.h.
 */
#include "doc.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "doc_internal.h"

struct doc {
    arena arena; /* every node, key, string, the name and (for JSON) the text */
    doc_node *root;
    const char *name;
    bool is_json;
    const char *text; /* JSON only: kept so doc_locate can re-read it */
    size_t text_len;
};

#define DOC_ARENA_CHUNK 16384

doc *doc_new(const char *name) {
    doc *d = malloc(sizeof *d);
    if (!d) return NULL;
    arena_init(&d->arena, DOC_ARENA_CHUNK);
    d->root = NULL;
    d->is_json = false;
    d->text = NULL;
    d->text_len = 0;
    d->name = arena_strdup(&d->arena, name ? name : "");
    if (!d->name) {
        doc_free(d);
        return NULL;
    }
    return d;
}

arena *doc_arena(doc *d) { return &d->arena; }

void doc_set_root(doc *d, doc_node *root, const char *json_text, size_t json_len) {
    d->root = root;
    d->is_json = json_text != NULL;
    d->text = json_text;
    d->text_len = json_text ? json_len : 0;
}

const char *doc_json_text(const doc *d, size_t *len) {
    *len = d && d->is_json ? d->text_len : 0;
    return d && d->is_json ? d->text : NULL;
}

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
    /* Linear in the map's size: keys stay in document order and maps are small.  The first
     * characters are compared before calling strcmp: most keys differ there. */
    if (!n || n->kind != DOC_MAP || !key) return NULL;
    for (size_t i = 0; i < n->u.map.count; i++) {
        const char *k = n->u.map.keys[i];
        if (k[0] == key[0] && strcmp(k, key) == 0) return n->u.map.values[i];
    }
    return NULL;
}
