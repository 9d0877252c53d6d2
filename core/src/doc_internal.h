/* doc_internal.h — what doc.c needs of the YAML and JSON builders (not for other users). */
#ifndef CUSTOS_DOC_INTERNAL_H
#define CUSTOS_DOC_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "doc.h"

/* Builds the tree of a YAML text into the arena (doc_yaml.c). */
custos_status doc_yaml_build(arena *a, const char *text, size_t len, const char *name,
                             doc_node **root, custos_error *err);
/* Builds the tree of a JSON text into the arena (doc_json.c). */
custos_status doc_json_build(arena *a, const char *text, size_t len, const char *name,
                             doc_node **root, custos_error *err);
/* Finds target's line and column by re-reading the JSON text with libyaml (doc_json.c). */
bool doc_json_find(const char *text, size_t len, const doc_node *root, const doc_node *target,
                   uint32_t *line, uint32_t *col);

#endif
