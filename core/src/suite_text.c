/* suite_text.c — see suite_text.h. */
#include "suite_text.h"

#include <stdlib.h>
#include <string.h>

/* ---- rendering a request --------------------------------------------------------------------- */

void t_text_init(t_text *t) {
    sbuf_init(&t->text);
    t->lines = NULL;
    t->count = t->cap = 0;
}

void t_text_free(t_text *t) {
    sbuf_free(&t->text);
    free(t->lines);
    t_text_init(t);
}

/* Ends the current line, recording which value it showed. */
static bool end_line(t_text *t, const tval *v) {
    if (t->count == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        const tval **grown = realloc(t->lines, cap * sizeof *grown);
        if (!grown) return false;
        t->lines = grown;
        t->cap = cap;
    }
    t->lines[t->count++] = v;
    sbuf_addc(&t->text, '\n');
    return !t->text.failed;
}

static bool render(t_text *t, const tval *v) {
    char buf[64];
    switch (v->kind) {
    case DOC_NULL:
    case DOC_BOOL:
    case DOC_INT: sbuf_add(&t->text, tval_scalar_text(v, buf, sizeof buf)); return true;
    case DOC_NUM:
        if (v->u.n != v->u.n || v->u.n - v->u.n != 0)
            sbuf_add(&t->text, "null"); /* nan, inf */
        else
            sbuf_add(&t->text, tval_scalar_text(v, buf, sizeof buf));
        return true;
    case DOC_STR: sbuf_add_json_string(&t->text, v->u.str.s, v->u.str.len); return true;
    case DOC_SEQ:
        if (!v->u.seq.count) {
            sbuf_add(&t->text, "[]");
            return true;
        }
        sbuf_addc(&t->text, '[');
        if (!end_line(t, v)) return false;
        for (size_t i = 0; i < v->u.seq.count; i++) {
            if (!render(t, v->u.seq.items[i])) return false;
            if (i + 1 < v->u.seq.count) sbuf_addc(&t->text, ',');
            if (!end_line(t, v->u.seq.items[i])) return false;
        }
        sbuf_addc(&t->text, ']');
        return true;
    case DOC_MAP:
        if (!v->u.map.count) {
            sbuf_add(&t->text, "{}");
            return true;
        }
        sbuf_addc(&t->text, '{');
        if (!end_line(t, v)) return false;
        for (size_t i = 0; i < v->u.map.count; i++) {
            sbuf_add_json_string(&t->text, v->u.map.keys[i], strlen(v->u.map.keys[i]));
            sbuf_add(&t->text, ": ");
            if (!render(t, v->u.map.values[i])) return false;
            if (i + 1 < v->u.map.count) sbuf_addc(&t->text, ',');
            if (!end_line(t, v->u.map.values[i])) return false;
        }
        sbuf_addc(&t->text, '}');
        return true;
    }
    return true;
}

bool t_text_render(t_text *t, const tval *req) {
    sbuf_clear(&t->text);
    t->count = 0;
    return render(t, req) && end_line(t, req);
}

const tval *t_text_origin(const t_text *t, unsigned line) {
    return line >= 1 && line <= t->count ? t->lines[line - 1] : NULL;
}
