/*
 * suite_value.h — the values a suite is made of (a tree like the document's, built from the
 * suite, its request files and its matrix entries), each remembering where it came from so
 * every error names file:line:col.  Read by the suite loader and by the renderer of a case's
 * request (suite_text.h); it depends on neither.
 */
#ifndef CUSTOS_SUITE_VALUE_H
#define CUSTOS_SUITE_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "doc.h"

/* ---- values that remember where they came from ----------------------------------------------- */

typedef struct tval tval;
struct tval {
    doc_kind kind;
    const doc *origin_doc;  /* the document it was read from (NULL when made up) */
    const doc_node *origin; /* its node there */
    union {
        bool b;
        int64_t i;
        double n;
        struct {
            const char *s;
            size_t len;
        } str;
        struct {
            tval **items;
            size_t count;
        } seq;
        struct {
            const char **keys;
            tval **values;
            size_t count;
        } map;
    } u;
};

typedef struct tloc {
    const char *file; /* NULL when unknown */
    unsigned line, col;
} tloc;

/* Where v came from. */
tloc tval_where(const tval *v);

/* A scalar as text ("true", "42", the string itself); NULL for a list or mapping.  Uses buf
 * for numbers. */
const char *tval_scalar_text(const tval *v, char *buf, size_t size);

#endif
