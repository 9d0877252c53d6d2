/* suite_value.c — see suite_value.h. */
#include "suite_value.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

tloc tval_where(const tval *v) {
    tloc where = {NULL, 0, 0};
    if (!v || !v->origin_doc) return where;
    uint32_t line = 0, col = 0;
    doc_locate(v->origin_doc, v->origin, &line, &col);
    where.file = doc_name(v->origin_doc);
    where.line = line;
    where.col = col;
    return where;
}

const char *tval_scalar_text(const tval *v, char *buf, size_t size) {
    switch (v->kind) {
    case DOC_NULL: return "null";
    case DOC_BOOL: return v->u.b ? "true" : "false";
    case DOC_INT: snprintf(buf, size, "%" PRId64, v->u.i); return buf;
    case DOC_NUM:
        snprintf(buf, size, "%.15g", v->u.n);
        if (strtod(buf, NULL) != v->u.n) snprintf(buf, size, "%.17g", v->u.n);
        return buf;
    case DOC_STR: return v->u.str.s;
    case DOC_SEQ:
    case DOC_MAP: return NULL;
    }
    return NULL;
}
