/*
 * suite_load.c — see suite_load.h.  Loading a suite is one pass over its document: every key
 * is checked against the format (docs/testing.md), each case is expanded over its matrix, and
 * its request is merged from the layers that make it:
 *
 *     suite as_of < defaults < request_file < request < case as_of
 *
 * (maps merge deeply; a list or scalar replaces; a null removes a field the layers below set).
 */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700 /* realpath */
#endif
#include "suite_load.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "suite_text.h"
#include "utf8.h"

/* Bounds on what a suite may expand to (docs/testing.md, "Limits"), so a small file cannot
 * make millions of cases: combinations of one matrix case; cases in one suite, each matrix
 * combination counted; values (document nodes) the matrix cases copy in all, each case's
 * count of nodes times its combinations. */
#define MAX_COMBINATIONS 10000
#define MAX_SUITE_CASES 20000
#define MAX_EXPANDED_VALUES 1000000
#define MAX_SEARCH_DEPTH 32

typedef struct t_request_file {
    char *path; /* as opened */
    doc *doc;
    tval *value;
} t_request_file;

/* ---- values ---------------------------------------------------------------------------------- */

static const char *kind_name(const tval *v) { return v ? doc_kind_name(v->kind) : "nothing"; }

/* ---- errors and allocation ------------------------------------------------------------------- */

static void add_error(t_suite *s, const char *file, unsigned line, unsigned col, const char *msg) {
    t_error *grown = realloc(s->errors, (s->error_count + 1) * sizeof *grown);
    if (!grown) return; /* the suite already fails for the error before */
    s->errors = grown;
    t_error *e = &s->errors[s->error_count++];
    e->file = xstrdup(file ? file : s->file);
    e->line = line;
    e->column = col;
    e->message = xstrdup(msg);
    if (!e->file || !e->message) {
        free((char *)e->file);
        free((char *)e->message);
        e->file = NULL;
        e->message = NULL;
        s->error_count--;
    }
}

void t_suite_error(t_suite *s, tloc where, const char *fmt, ...) {
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    add_error(s, where.file, where.line, where.col, msg);
}

static void oom(t_suite *s) {
    if (!s->error_count || strcmp(s->errors[s->error_count - 1].message, "out of memory") != 0)
        add_error(s, s->file, 0, 0, "out of memory");
}

static void *salloc(t_suite *s, size_t n) {
    void *p = arena_alloc(&s->mem, n ? n : 1);
    if (!p)
        oom(s);
    else
        memset(p, 0, n ? n : 1);
    return p;
}

static char *sdup(t_suite *s, const char *str) {
    char *p = arena_strdup(&s->mem, str);
    if (!p) oom(s);
    return p;
}

static char *sdupn(t_suite *s, const char *str, size_t n) {
    char *p = arena_strndup(&s->mem, str, n);
    if (!p) oom(s);
    return p;
}

/* Copies a malloc'd string into the arena and frees it (NULL in, NULL out). */
static char *sadopt(t_suite *s, char *str) {
    if (!str) {
        oom(s);
        return NULL;
    }
    char *p = sdup(s, str);
    free(str);
    return p;
}

/* ---- keys ------------------------------------------------------------------------------------ */

/* The 1-based line and column of byte offset off in text (columns count characters). */
static void position_of(const char *text, size_t off, unsigned *line, unsigned *col) {
    unsigned l = 1, c = 1;
    for (size_t i = 0; i < off && text[i]; i++) {
        if (text[i] == '\n')
            l++, c = 1;
        else if (!utf8_is_continuation((unsigned char)text[i]))
            c++;
    }
    *line = l;
    *col = c;
}

static size_t offset_of(const char *text, unsigned line, unsigned col) {
    size_t off = 0;
    for (unsigned l = 1; l < line && text[off]; off++)
        if (text[off] == '\n') l++;
    for (unsigned c = 1; c < col && text[off] && text[off] != '\n'; c++) {
        off++;
        while (utf8_is_continuation((unsigned char)text[off])) off++;
    }
    return off;
}

/* Where key i of a mapping was written: its value's position, searched back in the suite's
 * text for `key:` (the document tree keeps no position for keys). */
static tloc key_where(const t_suite *s, const tval *map, size_t i) {
    const tval *value = map->u.map.values[i];
    tloc at = tval_where(value);
    if (!at.line) at = tval_where(map);
    if (!s->text || !at.line || !at.file || strcmp(at.file, s->file) != 0) return at;
    const char *key = map->u.map.keys[i];
    size_t klen = strlen(key), end = offset_of(s->text, at.line, at.col);
    for (size_t pos = end; pos-- > 0 && end - pos < 65536;) {
        if (strncmp(s->text + pos, key, klen) != 0) continue;
        size_t k = pos + klen;
        if (s->text[k] == '"' || s->text[k] == '\'') k++;
        while (s->text[k] == ' ' || s->text[k] == '\t') k++;
        if (s->text[k] != ':') continue;
        if (pos > 0 && (s->text[pos - 1] == '"' || s->text[pos - 1] == '\'')) pos--;
        position_of(s->text, pos, &at.line, &at.col);
        return at;
    }
    return at;
}

/* Edit distance, for "did you mean" (small strings only). */
static size_t distance(const char *a, const char *b) {
    size_t na = strlen(a), nb = strlen(b);
    if (na > 30 || nb > 30) return 99;
    size_t row[32];
    for (size_t j = 0; j <= nb; j++) row[j] = j;
    for (size_t i = 1; i <= na; i++) {
        size_t prev = row[0];
        row[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t cur = row[j];
            size_t best = prev + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < best) best = row[j] + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            prev = cur;
        }
    }
    return row[nb];
}

static bool in_list(const char *const *list, const char *key) {
    for (size_t i = 0; list[i]; i++)
        if (strcmp(list[i], key) == 0) return true;
    return false;
}

/* Every key of map must be in allowed; each other one is an error at the key. */
static bool check_keys(t_suite *s, const tval *map, const char *const *allowed, const char *what) {
    bool ok = true;
    for (size_t i = 0; i < map->u.map.count; i++) {
        const char *key = map->u.map.keys[i];
        if (in_list(allowed, key)) continue;
        ok = false;
        const char *near = NULL;
        for (size_t k = 0; allowed[k]; k++)
            if (distance(key, allowed[k]) <= 2) {
                near = allowed[k];
                break;
            }
        sbuf list;
        sbuf_init(&list);
        for (size_t k = 0; allowed[k]; k++) sbuf_printf(&list, "%s%s", k ? ", " : "", allowed[k]);
        if (near)
            t_suite_error(s, key_where(s, map, i),
                          "unknown key \"%s\" in %s (did you mean \"%s\"?)", key, what, near);
        else
            t_suite_error(s, key_where(s, map, i), "unknown key \"%s\" in %s (expected: %s)", key,
                          what, sbuf_str(&list));
        sbuf_free(&list);
    }
    return ok;
}

static const tval *map_get(const tval *map, const char *key) {
    if (!map || map->kind != DOC_MAP) return NULL;
    for (size_t i = 0; i < map->u.map.count; i++)
        if (strcmp(map->u.map.keys[i], key) == 0) return map->u.map.values[i];
    return NULL;
}

/* ---- converting documents, with matrix substitution ------------------------------------------ */

typedef struct subst {
    size_t count;
    const char **names;
    const tval **values;
} subst;

static bool is_ident_char(char c) { return isalnum((unsigned char)c) || c == '_' || c == '-'; }

/* Length of "{ident}" at p, or 0 when p does not start a placeholder. */
static size_t placeholder_len(const char *p, const char *end) {
    if (*p != '{') return 0;
    const char *q = p + 1;
    if (q >= end || !(isalpha((unsigned char)*q) || *q == '_')) return 0;
    while (q < end && is_ident_char(*q)) q++;
    return q < end && *q == '}' ? (size_t)(q - p + 1) : 0;
}

static const tval *subst_find(const subst *sb, const char *name, size_t len) {
    for (size_t i = 0; sb && i < sb->count; i++)
        if (strlen(sb->names[i]) == len && memcmp(sb->names[i], name, len) == 0)
            return sb->values[i];
    return NULL;
}

static tval *new_tval(t_suite *s, doc_kind kind, const doc *d, const doc_node *n) {
    tval *v = salloc(s, sizeof *v);
    if (!v) return NULL;
    v->kind = kind;
    v->origin_doc = d;
    v->origin = n;
    return v;
}

/* A string node with {var} replaced: the matrix value itself when the string is exactly
 * "{var}", else the text with each placeholder replaced.  NULL after an error. */
static tval *substitute(t_suite *s, const doc *d, const doc_node *n, const subst *sb) {
    const char *str = n->u.str.s, *end = str + n->u.str.len;
    size_t whole = placeholder_len(str, end);
    if (whole && whole == n->u.str.len) {
        const tval *value = subst_find(sb, str + 1, whole - 2);
        if (value) return (tval *)value;
    }
    sbuf out;
    sbuf_init(&out);
    bool ok = true;
    for (const char *p = str; p < end;) {
        size_t len = placeholder_len(p, end);
        if (!len) {
            sbuf_addc(&out, *p++);
            continue;
        }
        const tval *value = subst_find(sb, p + 1, len - 2);
        char buf[64];
        const char *text = value ? tval_scalar_text(value, buf, sizeof buf) : NULL;
        if (!value) {
            t_suite_error(s, tval_where(&(tval){DOC_STR, d, n, {0}}),
                          "\"%.*s\" names no matrix variable of this case", (int)len, p);
            ok = false;
            break;
        }
        if (!text) {
            t_suite_error(s, tval_where(&(tval){DOC_STR, d, n, {0}}),
                          "matrix variable %.*s is %s: only a string that is exactly \"%.*s\" "
                          "can take it",
                          (int)len, p, kind_name(value), (int)len, p);
            ok = false;
            break;
        }
        sbuf_add(&out, text);
        p += len;
    }
    tval *v = NULL;
    if (ok && !out.failed) {
        v = new_tval(s, DOC_STR, d, n);
        if (v) {
            v->u.str.len = out.len;
            v->u.str.s = sdupn(s, sbuf_str(&out), out.len);
            if (!v->u.str.s) v = NULL;
        }
    } else if (out.failed) {
        oom(s);
    }
    sbuf_free(&out);
    return v;
}

/* Converts node n of d (and everything under it; `skip` names a key of n to leave out). */
static tval *convert(t_suite *s, const doc *d, const doc_node *n, const subst *sb,
                     const char *skip) {
    if (n->kind == DOC_STR && sb && sb->count) return substitute(s, d, n, sb);
    tval *v = new_tval(s, n->kind, d, n);
    if (!v) return NULL;
    switch (n->kind) {
    case DOC_NULL: break;
    case DOC_BOOL: v->u.b = n->u.b; break;
    case DOC_INT: v->u.i = n->u.i; break;
    case DOC_NUM: v->u.n = n->u.n; break;
    case DOC_STR:
        v->u.str.s = n->u.str.s; /* the document outlives the suite's values */
        v->u.str.len = n->u.str.len;
        break;
    case DOC_SEQ:
        v->u.seq.items = salloc(s, n->u.seq.count * sizeof *v->u.seq.items);
        if (!v->u.seq.items) return NULL;
        for (size_t i = 0; i < n->u.seq.count; i++) {
            v->u.seq.items[i] = convert(s, d, n->u.seq.items[i], sb, NULL);
            if (!v->u.seq.items[i]) return NULL;
        }
        v->u.seq.count = n->u.seq.count;
        break;
    case DOC_MAP:
        v->u.map.keys = salloc(s, n->u.map.count * sizeof *v->u.map.keys);
        v->u.map.values = salloc(s, n->u.map.count * sizeof *v->u.map.values);
        if (!v->u.map.keys || !v->u.map.values) return NULL;
        for (size_t i = 0; i < n->u.map.count; i++) {
            if (skip && strcmp(n->u.map.keys[i], skip) == 0) continue;
            tval *child = convert(s, d, n->u.map.values[i], sb, NULL);
            if (!child) return NULL;
            v->u.map.keys[v->u.map.count] = n->u.map.keys[i];
            v->u.map.values[v->u.map.count++] = child;
        }
        break;
    }
    return v;
}

/* ---- merging requests ------------------------------------------------------------------------ */

/* `over` merged onto `base` (either may be NULL): maps merge key by key, anything else in
 * `over` replaces; a null in a map of `over` removes the key.  Inputs are not modified. */
static const tval *merge(t_suite *s, const tval *base, const tval *over) {
    if (!over) return base;
    if (over->kind != DOC_MAP) return over->kind == DOC_NULL ? base : over;
    static const tval empty = {DOC_MAP, NULL, NULL, {0}};
    if (!base || base->kind != DOC_MAP) base = &empty;
    size_t cap = base->u.map.count + over->u.map.count;
    tval *m = new_tval(s, DOC_MAP, over->origin_doc, over->origin);
    if (!m) return NULL;
    m->u.map.keys = salloc(s, cap * sizeof *m->u.map.keys);
    m->u.map.values = salloc(s, cap * sizeof *m->u.map.values);
    if (!m->u.map.keys || !m->u.map.values) return NULL;
    for (size_t i = 0; i < base->u.map.count; i++) {
        const tval *mine = map_get(over, base->u.map.keys[i]);
        const tval *value = mine ? merge(s, base->u.map.values[i], mine) : base->u.map.values[i];
        if (mine && mine->kind == DOC_NULL) continue;
        if (!value) return NULL;
        m->u.map.keys[m->u.map.count] = base->u.map.keys[i];
        m->u.map.values[m->u.map.count++] = (tval *)value;
    }
    for (size_t i = 0; i < over->u.map.count; i++) {
        const tval *value = over->u.map.values[i];
        if (value->kind == DOC_NULL || map_get(base, over->u.map.keys[i])) continue;
        value = merge(s, NULL, value);
        if (!value) return NULL;
        m->u.map.keys[m->u.map.count] = over->u.map.keys[i];
        m->u.map.values[m->u.map.count++] = (tval *)value;
    }
    return m;
}

/* {context: {time: as_of}}, for merging. */
static const tval *time_layer(t_suite *s, const tval *as_of) {
    tval *time_map = new_tval(s, DOC_MAP, as_of->origin_doc, as_of->origin);
    tval *root = new_tval(s, DOC_MAP, as_of->origin_doc, as_of->origin);
    if (!time_map || !root) return NULL;
    static const char *time_key = "time", *context_key = "context";
    time_map->u.map.keys = &time_key;
    time_map->u.map.values = salloc(s, sizeof(tval *));
    root->u.map.keys = &context_key;
    root->u.map.values = salloc(s, sizeof(tval *));
    if (!time_map->u.map.values || !root->u.map.values) return NULL;
    time_map->u.map.values[0] = (tval *)as_of;
    time_map->u.map.count = 1;
    root->u.map.values[0] = time_map;
    root->u.map.count = 1;
    return root;
}

/* ---- typed readers --------------------------------------------------------------------------- */

static const char *want_string(t_suite *s, const tval *v, const char *what) {
    if (v->kind == DOC_STR) return v->u.str.s;
    t_suite_error(s, tval_where(v), "%s: expected a string, got %s", what, kind_name(v));
    return NULL;
}

/* A string, or a list of strings: items into *out (arena), count into *count. */
static bool want_strings(t_suite *s, const tval *v, const char *what, const tval ***out,
                         size_t *count, bool allow_int) {
    size_t n = v->kind == DOC_SEQ ? v->u.seq.count : 1;
    const tval **items = salloc(s, n * sizeof *items);
    if (!items) return false;
    for (size_t i = 0; i < n; i++) {
        const tval *item = v->kind == DOC_SEQ ? v->u.seq.items[i] : v;
        if (item->kind != DOC_STR && !(allow_int && item->kind == DOC_INT)) {
            t_suite_error(s, tval_where(item), "%s: expected %s, got %s", what,
                          v->kind == DOC_SEQ ? "a list of strings"
                                             : "a string or a list of strings",
                          kind_name(item));
            return false;
        }
        items[i] = item;
    }
    *out = items;
    *count = n;
    return true;
}

/* ---- setups (policies, data, regime modes) --------------------------------------------------- */

static bool parse_mode(const char *text, custos_regime_mode *mode) {
    if (strcmp(text, "adopted") == 0)
        *mode = CUSTOS_REGIME_ADOPTED;
    else if (strcmp(text, "in-force") == 0 || strcmp(text, "in_force") == 0)
        *mode = CUSTOS_REGIME_IN_FORCE;
    else if (strcmp(text, "skipped") == 0)
        *mode = CUSTOS_REGIME_SKIPPED;
    else
        return false;
    return true;
}

static const char *mode_name(custos_regime_mode mode) {
    switch (mode) {
    case CUSTOS_REGIME_ADOPTED: return "adopted";
    case CUSTOS_REGIME_IN_FORCE: return "in-force";
    case CUSTOS_REGIME_SKIPPED: return "skipped";
    }
    return "?";
}

/* Resolves the paths of `list` (relative to the suite) to real paths that must be folders
 * (dirs) or files. */
static bool resolve_paths(t_suite *s, const tval *list, const char *what, bool dirs,
                          const char ***out, const char ***real_out, size_t *count) {
    const tval **items;
    size_t n;
    if (!want_strings(s, list, what, &items, &n, false)) return false;
    const char **paths = salloc(s, n * sizeof *paths), **reals = salloc(s, n * sizeof *reals);
    if (!paths || !reals) return false;
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        char *joined = path_beside(s->path, items[i]->u.str.s);
        if (!joined) {
            oom(s);
            return false;
        }
        char *real = realpath(joined, NULL);
        char *shown = path_display(joined);
        if (!real) {
            t_suite_error(s, tval_where(items[i]), "%s: no such %s: %s", what,
                          dirs ? "folder" : "file", shown ? shown : joined);
            ok = false;
        } else if (dirs != path_is_dir(real)) {
            t_suite_error(s, tval_where(items[i]), "%s: %s is %s", what, shown ? shown : joined,
                          dirs ? "not a folder" : "a folder, expected a file");
            ok = false;
        } else {
            paths[i] = sadopt(s, path_display(real));
            reals[i] = sadopt(s, real);
            real = NULL;
            if (!paths[i] || !reals[i]) ok = false;
        }
        free(real);
        free(shown);
        free(joined);
    }
    *out = paths;
    *real_out = reals;
    *count = n;
    return ok;
}

static int compare_strings(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The setup for base with whatever of policies / data / regime_modes is given (the modes
 * merge over base's; the paths replace).  base NULL: the suite's, with `..` as policies. */
static const t_setup *make_setup(t_suite *s, const t_setup *base, const tval *policies,
                                 const tval *data, const tval *modes) {
    if (base && !policies && !data && !modes) return base;
    t_setup *st = salloc(s, sizeof *st);
    if (!st) return NULL;
    bool ok = true;
    if (base) *st = *base;
    const char **real_policies = base ? base->real_policies : NULL,
               **real_data = base ? base->real_data : NULL;
    if (policies) {
        ok = resolve_paths(s, policies, "policies", true, &st->policies, &real_policies,
                           &st->policy_count) &&
             ok;
    } else if (!base) {
        char *parent = path_beside(s->path, "..");
        char *real = parent ? realpath(parent, NULL) : NULL;
        free(parent);
        st->policies = salloc(s, sizeof *st->policies);
        if (!real || !st->policies) {
            free(real);
            t_suite_error(s, (tloc){s->file, 0, 0}, "cannot find the suite's regime folder (..)");
            return NULL;
        }
        real_policies = salloc(s, sizeof *real_policies);
        if (!real_policies) {
            free(real);
            return NULL;
        }
        st->policies[0] = sadopt(s, path_display(real));
        real_policies[0] = sadopt(s, real);
        st->policy_count = 1;
    }
    if (data)
        ok = resolve_paths(s, data, "data", false, &st->data, &real_data, &st->data_count) && ok;
    st->real_policies = real_policies;
    st->real_data = real_data;
    if (modes) {
        if (modes->kind != DOC_MAP) {
            t_suite_error(s, tval_where(modes),
                          "regime_modes: expected a mapping of regime id to adopted, in-force or "
                          "skipped; got %s",
                          kind_name(modes));
            return NULL;
        }
        size_t cap = st->mode_count + modes->u.map.count;
        const char **ids = salloc(s, cap * sizeof *ids);
        custos_regime_mode *values = salloc(s, cap * sizeof *values);
        if (!ids || !values) return NULL;
        size_t n = st->mode_count;
        if (n) {
            memcpy(ids, st->mode_regimes, n * sizeof *ids);
            memcpy(values, st->modes, n * sizeof *values);
        }
        for (size_t i = 0; i < modes->u.map.count; i++) {
            const tval *v = modes->u.map.values[i];
            custos_regime_mode mode;
            if (v->kind != DOC_STR || !parse_mode(v->u.str.s, &mode)) {
                char buf[64];
                const char *text = tval_scalar_text(v, buf, sizeof buf);
                t_suite_error(s, tval_where(v),
                              "regime_modes.%s: expected adopted, in-force or skipped; got %s%s%s",
                              modes->u.map.keys[i], text && v->kind == DOC_STR ? "\"" : "",
                              text ? text : kind_name(v), text && v->kind == DOC_STR ? "\"" : "");
                ok = false;
                continue;
            }
            size_t k = 0;
            while (k < n && strcmp(ids[k], modes->u.map.keys[i]) != 0) k++;
            if (k == n) n++;
            ids[k] = modes->u.map.keys[i];
            values[k] = mode;
        }
        st->mode_regimes = ids;
        st->modes = values;
        st->mode_count = n;
    }
    if (!ok) return NULL;
    /* The key: policies and data in order, modes sorted by regime. */
    sbuf key;
    sbuf_init(&key);
    for (size_t i = 0; i < st->policy_count; i++) sbuf_printf(&key, "P%s\n", real_policies[i]);
    for (size_t i = 0; i < st->data_count; i++) sbuf_printf(&key, "D%s\n", real_data[i]);
    const char **sorted = st->mode_count ? malloc(st->mode_count * sizeof *sorted) : NULL;
    if (st->mode_count && !sorted) key.failed = true;
    for (size_t i = 0; sorted && i < st->mode_count; i++) {
        char *line = malloc(strlen(st->mode_regimes[i]) + 16);
        if (!line) {
            key.failed = true;
            st->mode_count = i; /* frees only what was made */
            break;
        }
        sprintf(line, "M%s=%s\n", st->mode_regimes[i], mode_name(st->modes[i]));
        sorted[i] = line;
    }
    if (sorted && !key.failed) {
        qsort(sorted, st->mode_count, sizeof *sorted, compare_strings);
        for (size_t i = 0; i < st->mode_count; i++) sbuf_add(&key, sorted[i]);
    }
    for (size_t i = 0; sorted && i < st->mode_count; i++) free((char *)sorted[i]);
    free(sorted);
    st->key = sadopt(s, sbuf_take(&key));
    return st->key ? st : NULL;
}

/* ---- request files --------------------------------------------------------------------------- */

static const tval *request_file(t_suite *s, const tval *name) {
    char *path = path_beside(s->path, name->u.str.s);
    if (!path) {
        oom(s);
        return NULL;
    }
    for (size_t i = 0; i < s->request_file_count; i++)
        if (strcmp(s->request_files[i].path, path) == 0) {
            free(path);
            return s->request_files[i].value;
        }
    char *real = realpath(path, NULL);
    char *shown = path_display(real ? real : path);
    free(real);
    custos_error err;
    memset(&err, 0, sizeof err);
    doc *d = NULL;
    char *text = NULL;
    size_t len;
    custos_status st =
        file_read_limited(path, CUSTOS_MAX_REQUEST_BYTES, "a request", &text, &len, &err);
    if (st == CUSTOS_OK) st = doc_parse(text, len, shown ? shown : path, &d, &err);
    free(text);
    if (st == CUSTOS_E_NOT_FOUND) {
        t_suite_error(s, tval_where(name), "request_file: no such file: %s", shown ? shown : path);
    } else if (st != CUSTOS_OK) {
        if (strcmp(err.file, path) == 0)
            snprintf(err.file, sizeof err.file, "%s", shown ? shown : path);
        add_error(s, err.file[0] ? err.file : shown, err.line, err.column, err.message);
    } else if (doc_root(d)->kind != DOC_MAP) {
        t_suite_error(s, tval_where(name),
                      "request_file: %s holds %s, expected a request (a mapping)",
                      shown ? shown : path, doc_kind_name(doc_root(d)->kind));
        st = CUSTOS_E_INPUT;
    }
    free(shown);
    t_request_file *grown =
        st == CUSTOS_OK ? realloc(s->request_files, (s->request_file_count + 1) * sizeof *grown)
                        : NULL;
    if (!grown) {
        if (st == CUSTOS_OK) oom(s);
        doc_free(d);
        free(path);
        return NULL;
    }
    s->request_files = grown;
    t_request_file *rf = &s->request_files[s->request_file_count++];
    rf->path = path;
    rf->doc = d;
    rf->value = convert(s, d, doc_root(d), NULL, NULL);
    return rf->value;
}

/* ---- expectations ---------------------------------------------------------------------------- */

static const char *const suite_keys[] = {"suite",        "policies", "data",  "as_of",
                                         "regime_modes", "defaults", "cases", NULL};
static const char *const case_keys[] = {
    "name",         "request", "request_file", "as_of", "data", "policies",
    "regime_modes", "matrix",  "expect",       "skip",  NULL};
static const char *const expect_keys[] = {"decision",    "because",         "not_because",
                                          "codes",       "consulted_codes", "messages",
                                          "obligations", "error",           NULL};

/* "11" or "regime/11" (an integer is taken as its digits). */
static bool read_refs(t_suite *s, const tval *v, const char *what, t_ref **out, size_t *count) {
    const tval **items;
    size_t n;
    if (!want_strings(s, v, what, &items, &n, true)) return false;
    t_ref *refs = salloc(s, n * sizeof *refs);
    if (!refs) return false;
    for (size_t i = 0; i < n; i++) {
        char buf[64];
        const char *text = tval_scalar_text(items[i], buf, sizeof buf);
        const char *slash = strchr(text, '/');
        refs[i].at = items[i];
        if (slash) {
            refs[i].regime = sdupn(s, text, (size_t)(slash - text));
            refs[i].article = sdup(s, slash + 1);
        } else {
            refs[i].article = sdup(s, text);
        }
        if (!refs[i].article || !*refs[i].article ||
            (slash && (!refs[i].regime || !*refs[i].regime))) {
            t_suite_error(s, tval_where(items[i]),
                          "%s: expected an article (\"11\") or a regime's article "
                          "(\"mofcom-2009-13/4\"); got \"%s\"",
                          what, text);
            return false;
        }
    }
    *out = refs;
    *count = n;
    return true;
}

static bool read_obligations(t_suite *s, const tval *v, t_expect *e) {
    if (v->kind != DOC_SEQ) {
        t_suite_error(s, tval_where(v),
                      "expect.obligations: expected a list of obligation ids or {id: ..., "
                      "param: value} mappings; got %s",
                      kind_name(v));
        return false;
    }
    e->has_obligations = true;
    e->obligations = salloc(s, v->u.seq.count * sizeof *e->obligations);
    if (!e->obligations) return false;
    for (size_t i = 0; i < v->u.seq.count; i++) {
        const tval *item = v->u.seq.items[i];
        t_obligation *ob = &e->obligations[i];
        ob->at = item;
        if (item->kind == DOC_STR) {
            ob->id = item->u.str.s;
            continue;
        }
        const tval *id = map_get(item, "id");
        if (item->kind != DOC_MAP || !id || id->kind != DOC_STR) {
            t_suite_error(s, tval_where(item),
                          "expect.obligations: expected an obligation id or a mapping with an "
                          "\"id\" string and its params; got %s",
                          kind_name(item));
            return false;
        }
        ob->id = id->u.str.s;
        ob->keys = salloc(s, item->u.map.count * sizeof *ob->keys);
        ob->values = salloc(s, item->u.map.count * sizeof *ob->values);
        if (!ob->keys || !ob->values) return false;
        for (size_t k = 0; k < item->u.map.count; k++) {
            if (strcmp(item->u.map.keys[k], "id") == 0) continue;
            char buf[64];
            const char *text = tval_scalar_text(item->u.map.values[k], buf, sizeof buf);
            if (!text) {
                t_suite_error(s, key_where(s, item, k),
                              "expect.obligations: param \"%s\" must be a scalar, got %s",
                              item->u.map.keys[k], kind_name(item->u.map.values[k]));
                return false;
            }
            ob->keys[ob->param_count] = item->u.map.keys[k];
            ob->values[ob->param_count++] = sdup(s, text);
        }
    }
    e->obligation_count = v->u.seq.count;
    return true;
}

static bool read_expect(t_suite *s, const tval *v, t_expect *e) {
    memset(e, 0, sizeof *e);
    e->at = v;
    if (v->kind != DOC_MAP) {
        t_suite_error(s, tval_where(v),
                      "expect: expected a mapping (decision, because, not_because, codes, "
                      "obligations, error); got %s",
                      kind_name(v));
        return false;
    }
    if (!check_keys(s, v, expect_keys, "expect")) return false;
    if (!v->u.map.count) {
        t_suite_error(s, tval_where(v),
                      "expect is empty: say at least the decision, or the error expected");
        return false;
    }
    const tval *x;
    if ((x = map_get(v, "decision"))) {
        const char *d = want_string(s, x, "expect.decision");
        if (!d) return false;
        e->has_decision = true;
        if (strcmp(d, "permit") == 0)
            e->decision = CUSTOS_PERMIT;
        else if (strcmp(d, "deny") == 0)
            e->decision = CUSTOS_DENY;
        else if (strcmp(d, "not_applicable") == 0)
            e->decision = CUSTOS_NOT_APPLICABLE;
        else {
            t_suite_error(s, tval_where(x),
                          "expect.decision: expected permit, deny or not_applicable; got \"%s\"",
                          d);
            return false;
        }
    }
    if ((x = map_get(v, "because")) &&
        !read_refs(s, x, "expect.because", &e->because, &e->because_count))
        return false;
    if ((x = map_get(v, "not_because")) &&
        !read_refs(s, x, "expect.not_because", &e->not_because, &e->not_because_count))
        return false;
    if ((x = map_get(v, "codes"))) {
        const tval **items;
        if (!want_strings(s, x, "expect.codes", &items, &e->code_count, false)) return false;
        e->codes = salloc(s, e->code_count * sizeof *e->codes);
        if (!e->codes) return false;
        for (size_t i = 0; i < e->code_count; i++)
            e->codes[i] = (t_code){items[i]->u.str.s, items[i]};
    }
    if ((x = map_get(v, "consulted_codes"))) {
        const tval **items;
        if (!want_strings(s, x, "expect.consulted_codes", &items, &e->consulted_code_count, false))
            return false;
        e->consulted_codes = salloc(s, (e->consulted_code_count ? e->consulted_code_count : 1) *
                                           sizeof *e->consulted_codes);
        if (!e->consulted_codes) return false;
        for (size_t i = 0; i < e->consulted_code_count; i++)
            e->consulted_codes[i] = (t_code){items[i]->u.str.s, items[i]};
    }
    if ((x = map_get(v, "messages"))) {
        const tval **items;
        if (!want_strings(s, x, "expect.messages", &items, &e->message_count, false)) return false;
        e->messages = salloc(s, (e->message_count ? e->message_count : 1) * sizeof *e->messages);
        if (!e->messages) return false;
        for (size_t i = 0; i < e->message_count; i++) e->messages[i] = items[i]->u.str.s;
    }
    if ((x = map_get(v, "obligations")) && !read_obligations(s, x, e)) return false;
    if ((x = map_get(v, "error"))) {
        if (!(e->error = want_string(s, x, "expect.error"))) return false;
        if (!*e->error) {
            t_suite_error(s, tval_where(x), "expect.error: give a piece of the error message");
            return false;
        }
    }
    return true;
}

/* ---- cases ----------------------------------------------------------------------------------- */

typedef struct suite_ctx {
    const t_setup *setup;
    const tval *as_of;    /* the suite's, or NULL */
    const tval *defaults; /* or NULL */
    size_t case_cap;
    size_t expanded; /* values the matrix cases so far copied (MAX_EXPANDED_VALUES) */
    bool over_limit; /* a limit above was hit: the rest of the suite is not expanded */
} suite_ctx;

static void push_case(t_suite *s, suite_ctx *ctx, const t_case *c) {
    t_case *grown = arena_grow(&s->mem, s->cases, s->case_count, &ctx->case_cap, s->case_count + 1,
                               sizeof *grown);
    if (!grown) {
        oom(s);
        return;
    }
    s->cases = grown;
    s->cases[s->case_count++] = *c;
}

/* One case (one matrix combination of it): reads cv, already substituted.  False on error. */
static bool build_case(t_suite *s, suite_ctx *ctx, const tval *cv, size_t index,
                       const char *combination) {
    t_case c;
    memset(&c, 0, sizeof c);
    c.at = cv;
    c.line = tval_where(cv).line;
    c.combination = combination;
    const tval *x;
    if ((x = map_get(cv, "name"))) {
        char buf[64];
        const char *name = tval_scalar_text(x, buf, sizeof buf);
        if (!name) {
            t_suite_error(s, tval_where(x), "name: expected a string, got %s", kind_name(x));
            return false;
        }
        c.name = sdup(s, name);
    } else {
        char buf[32];
        snprintf(buf, sizeof buf, "case %zu", index);
        c.name = sdup(s, buf);
    }
    if (!c.name) return false;
    if (combination) {
        size_t n = strlen(c.name) + strlen(combination) + 4;
        char *display = salloc(s, n);
        if (!display) return false;
        snprintf(display, n, "%s [%s]", c.name, combination);
        c.display = display;
    } else {
        c.display = c.name;
    }
    if ((x = map_get(cv, "skip"))) {
        if (x->kind == DOC_STR && x->u.str.len) {
            c.skip = x->u.str.s;
        } else if (x->kind == DOC_BOOL) {
            c.skip = x->u.b ? "skipped" : NULL;
        } else {
            t_suite_error(s, tval_where(x), "skip: expected the reason (a string), got %s",
                          x->kind == DOC_STR ? "an empty string" : kind_name(x));
            return false;
        }
    }
    /* Reads on after an error, so one run reports every mistake of the case. */
    bool ok = true;
    const tval *expect = map_get(cv, "expect");
    if (!expect && !c.skip) {
        t_suite_error(s, tval_where(cv), "case \"%s\" has no expect (or skip: \"why\" to skip it)",
                      c.name);
        ok = false;
    }
    if (expect && !read_expect(s, expect, &c.expect)) ok = false;

    c.setup = make_setup(s, ctx->setup, map_get(cv, "policies"), map_get(cv, "data"),
                         map_get(cv, "regime_modes"));
    if (!c.setup) ok = false;

    const tval *layers[5] = {NULL, NULL, NULL, NULL, NULL};
    if (ctx->as_of) layers[0] = time_layer(s, ctx->as_of);
    layers[1] = ctx->defaults;
    if ((x = map_get(cv, "request_file"))) {
        if (!want_string(s, x, "request_file")) return false;
        if (!(layers[2] = request_file(s, x))) return false;
    }
    if (!ok) return false;
    if ((x = map_get(cv, "request"))) {
        if (x->kind != DOC_MAP && x->kind != DOC_NULL) {
            t_suite_error(s, tval_where(x), "request: expected a mapping (a request), got %s",
                          kind_name(x));
            return false;
        }
        layers[3] = x;
    }
    if ((x = map_get(cv, "as_of"))) {
        if (!want_string(s, x, "as_of")) return false;
        layers[4] = time_layer(s, x);
    }
    const tval *request = NULL;
    for (size_t i = 0; i < 5; i++) {
        if (!layers[i]) continue;
        request = merge(s, request, layers[i]);
        if (!request) return false;
    }
    if (!request) request = merge(s, NULL, &(tval){DOC_MAP, NULL, NULL, {0}});
    if (!request) return false;
    c.request = request;
    push_case(s, ctx, &c);
    return true;
}

/* The label of one matrix combination: "role=staff, signed=true". */
static const char *combination_label(t_suite *s, const subst *sb) {
    sbuf b;
    sbuf_init(&b);
    for (size_t i = 0; i < sb->count; i++) {
        char buf[64];
        const char *text = tval_scalar_text(sb->values[i], buf, sizeof buf);
        sbuf_printf(&b, "%s%s=", i ? ", " : "", sb->names[i]);
        if (text) {
            sbuf_add(&b, text);
        } else {
            t_text t;
            t_text_init(&t);
            if (t_text_render(&t, sb->values[i])) {
                /* one line: drop the newlines the renderer puts between values */
                for (const char *p = sbuf_str(&t.text); *p; p++)
                    if (*p != '\n') sbuf_addc(&b, *p);
            }
            t_text_free(&t);
        }
    }
    return sadopt(s, sbuf_take(&b));
}

/* The nodes under n, n included, counting no further than `stop`. */
static size_t count_values(const doc_node *n, size_t stop) {
    size_t count = 1;
    if (n->kind == DOC_SEQ)
        for (size_t i = 0; i < n->u.seq.count && count < stop; i++)
            count += count_values(n->u.seq.items[i], stop - count);
    else if (n->kind == DOC_MAP)
        for (size_t i = 0; i < n->u.map.count && count < stop; i++)
            count += count_values(n->u.map.values[i], stop - count) + 1; /* the key too */
    return count;
}

/* Refuses a matrix case that would take the suite past MAX_SUITE_CASES or past
 * MAX_EXPANDED_VALUES, at the matrix's line and column; else counts it in. */
static bool expansion_fits(t_suite *s, suite_ctx *ctx, const doc_node *n, const doc_node *matrix,
                           const tval *mv, size_t combinations) {
    ctx->over_limit = true;
    if (s->case_count + combinations > MAX_SUITE_CASES) {
        t_suite_error(s, tval_where(mv),
                      "matrix: %zu combinations would take the suite past the limit of %d cases "
                      "(matrix combinations counted); split it into several suites",
                      combinations, MAX_SUITE_CASES);
        return false;
    }
    /* what each combination copies: the case without its matrix */
    size_t room = MAX_EXPANDED_VALUES - ctx->expanded;
    size_t matrix_values = count_values(matrix, SIZE_MAX);
    size_t values = count_values(n, room + 1 + matrix_values) - matrix_values;
    if (values > room / combinations) {
        t_suite_error(s, tval_where(mv),
                      "matrix: %zu combinations of a case of %zu values would take the suite past "
                      "the limit of %d values expanded; make the case or its matrix smaller",
                      combinations, values, MAX_EXPANDED_VALUES);
        return false;
    }
    ctx->expanded += values * combinations;
    ctx->over_limit = false;
    return true;
}

static void load_case(t_suite *s, suite_ctx *ctx, const doc *d, const doc_node *n, size_t index) {
    tval probe = {n->kind, d, n, {0}};
    if (n->kind != DOC_MAP) {
        t_suite_error(s, tval_where(&probe),
                      "case %zu: expected a mapping (name, request, expect, ...); got %s", index,
                      doc_kind_name(n->kind));
        return;
    }
    const doc_node *matrix = doc_map_get(n, "matrix");
    if (!matrix) {
        tval *cv = convert(s, d, n, NULL, NULL);
        if (cv && check_keys(s, cv, case_keys, "a case")) build_case(s, ctx, cv, index, NULL);
        return;
    }
    tval *mv = convert(s, d, matrix, NULL, NULL);
    if (!mv) return;
    if (mv->kind != DOC_MAP || !mv->u.map.count) {
        t_suite_error(s, tval_where(mv),
                      "matrix: expected a mapping of variable names to lists of values; got %s",
                      mv->kind == DOC_MAP ? "an empty mapping" : kind_name(mv));
        return;
    }
    size_t total = 1;
    for (size_t i = 0; i < mv->u.map.count; i++) {
        const char *name = mv->u.map.keys[i];
        const tval *values = mv->u.map.values[i];
        size_t len = strlen(name);
        char probe_text[256];
        snprintf(probe_text, sizeof probe_text, "{%s}", name);
        if (!len || len > 200 ||
            placeholder_len(probe_text, probe_text + strlen(probe_text)) != len + 2) {
            t_suite_error(s, key_where(s, mv, i),
                          "matrix: \"%s\" is not a variable name (letters, digits, _ and -, "
                          "starting with a letter or _)",
                          name);
            return;
        }
        if (values->kind != DOC_SEQ || !values->u.seq.count) {
            t_suite_error(s, tval_where(values),
                          "matrix.%s: expected a non-empty list of values; got %s", name,
                          values->kind == DOC_SEQ ? "an empty list" : kind_name(values));
            return;
        }
        total *= values->u.seq.count;
        if (total > MAX_COMBINATIONS) {
            t_suite_error(s, tval_where(mv), "matrix: more than %d combinations", MAX_COMBINATIONS);
            return;
        }
    }
    if (!expansion_fits(s, ctx, n, matrix, mv, total)) return;
    subst sb = {mv->u.map.count, NULL, NULL};
    sb.names = salloc(s, sb.count * sizeof *sb.names);
    sb.values = salloc(s, sb.count * sizeof *sb.values);
    if (!sb.names || !sb.values) return;
    for (size_t i = 0; i < sb.count; i++) sb.names[i] = mv->u.map.keys[i];
    for (size_t k = 0; k < total; k++) {
        /* The first variable varies slowest. */
        size_t rest = k;
        for (size_t i = sb.count; i-- > 0;) {
            const tval *values = mv->u.map.values[i];
            sb.values[i] = values->u.seq.items[rest % values->u.seq.count];
            rest /= values->u.seq.count;
        }
        tval *cv = convert(s, d, n, &sb, "matrix");
        if (!cv) return;
        if (k == 0 && !check_keys(s, cv, case_keys, "a case")) return;
        const char *label = combination_label(s, &sb);
        if (!label || !build_case(s, ctx, cv, index, label)) return;
    }
}

/* ---- the suite ------------------------------------------------------------------------------- */

/* The regime folder a suite in <regime>/tests/ belongs to: its name, or NULL. */
static const char *own_regime(t_suite *s) {
    char *dir = path_dir(s->path);
    const char *result = NULL;
    if (dir && strcmp(path_base(dir), "tests") == 0) {
        char *parent = path_beside(s->path, ".."),
             *probe = parent ? path_join(parent, "regime.lua") : NULL;
        char *real = probe && path_is_file(probe) ? realpath(parent, NULL) : NULL;
        if (real) result = sdup(s, path_base(real));
        free(real);
        free(probe);
        free(parent);
    }
    free(dir);
    return result;
}

/* The default name: the file's path from its regime's folder ("gz-2012/tests/art11.yaml"). */
static const char *default_name(t_suite *s) {
    if (!s->own_regime) return sdup(s, path_base(s->file));
    size_t n = strlen(s->own_regime) + strlen(path_base(s->file)) + 8;
    char *name = salloc(s, n);
    if (name) snprintf(name, n, "%s/tests/%s", s->own_regime, path_base(s->file));
    return name;
}

static void load_document(t_suite *s) {
    size_t len;
    custos_error err;
    memset(&err, 0, sizeof err);
    custos_status st =
        file_read_limited(s->path, CUSTOS_MAX_SUITE_BYTES, "a suite", &s->text, &len, &err);
    if (st == CUSTOS_OK) st = doc_parse(s->text, len, s->file, &s->doc, &err);
    if (st != CUSTOS_OK) {
        const char *file = err.file[0] && strcmp(err.file, s->path) != 0 ? err.file : s->file;
        if (st == CUSTOS_E_NOT_FOUND)
            add_error(s, file, 0, 0, "no such suite file");
        else
            add_error(s, file, err.line, err.column, err.message);
        return;
    }
    const doc_node *root = doc_root(s->doc);
    tval *rv = convert(s, s->doc, root, NULL, "cases");
    if (!rv) return;
    if (rv->kind != DOC_MAP) {
        t_suite_error(s, tval_where(rv),
                      "expected a suite: a mapping with cases (and optionally suite, policies, "
                      "data, as_of, regime_modes, defaults); got %s",
                      kind_name(rv));
        return;
    }
    /* `cases` was left out of rv; check it is there and a list. */
    if (!check_keys(s, rv, suite_keys, "the suite")) return;
    const doc_node *cases = doc_map_get(root, "cases");
    if (!cases) {
        t_suite_error(s, tval_where(rv), "a suite needs `cases:`, a list of cases");
        return;
    }
    if (cases->kind != DOC_SEQ && cases->kind != DOC_NULL) {
        t_suite_error(s, tval_where(&(tval){cases->kind, s->doc, cases, {0}}),
                      "cases: expected a list of cases; got %s", doc_kind_name(cases->kind));
        return;
    }
    const tval *x;
    s->name = default_name(s);
    if ((x = map_get(rv, "suite"))) {
        char buf[64];
        const char *name = tval_scalar_text(x, buf, sizeof buf);
        if (!name || x->kind == DOC_NULL) {
            t_suite_error(s, tval_where(x), "suite: expected the suite's name, got %s",
                          kind_name(x));
            return;
        }
        s->name = sdup(s, name);
    }
    suite_ctx ctx = {NULL, NULL, NULL, 0, 0, false};
    ctx.setup = make_setup(s, NULL, map_get(rv, "policies"), map_get(rv, "data"),
                           map_get(rv, "regime_modes"));
    if ((x = map_get(rv, "as_of"))) {
        if (!want_string(s, x, "as_of")) return;
        ctx.as_of = x;
    }
    if ((x = map_get(rv, "defaults"))) {
        if (x->kind != DOC_MAP && x->kind != DOC_NULL) {
            t_suite_error(s, tval_where(x),
                          "defaults: expected a mapping (a partial request), got %s", kind_name(x));
            return;
        }
        ctx.defaults = x;
    }
    if (!ctx.setup || s->error_count) return;
    for (size_t i = 0; cases->kind == DOC_SEQ && i < cases->u.seq.count && !ctx.over_limit; i++) {
        const doc_node *item = cases->u.seq.items[i];
        if (s->case_count >= MAX_SUITE_CASES) {
            t_suite_error(s, tval_where(&(tval){item->kind, s->doc, item, {0}}),
                          "case %zu would take the suite past the limit of %d cases (matrix "
                          "combinations counted); split it into several suites",
                          i + 1, MAX_SUITE_CASES);
            return;
        }
        load_case(s, &ctx, s->doc, item, i + 1);
    }
}

t_suite *t_suite_load(const char *path) {
    t_suite *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    arena_init(&s->mem, 16 * 1024);
    s->path = sdup(s, path);
    s->file = sadopt(s, path_display(path));
    if (!s->path || !s->file) {
        t_suite_free(s);
        return NULL;
    }
    s->own_regime = own_regime(s);
    load_document(s);
    if (!s->name) s->name = s->file;
    if (s->error_count) s->case_count = 0;
    return s;
}

void t_suite_free(t_suite *s) {
    if (!s) return;
    for (size_t i = 0; i < s->error_count; i++) {
        free((char *)s->errors[i].file);
        free((char *)s->errors[i].message);
    }
    free(s->errors);
    for (size_t i = 0; i < s->request_file_count; i++) {
        free(s->request_files[i].path);
        doc_free(s->request_files[i].doc);
    }
    free(s->request_files);
    doc_free(s->doc);
    free(s->text);
    arena_free(&s->mem);
    free(s);
}

/* ---- finding suites -------------------------------------------------------------------------- */

static int paths_add(t_paths *p, const char *path) {
    if (p->count == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 16;
        char **grown = realloc(p->items, cap * sizeof *grown);
        if (!grown) return -1;
        p->items = grown;
        p->cap = cap;
    }
    if (!(p->items[p->count] = xstrdup(path))) return -1;
    p->count++;
    return 0;
}

static bool has_suffix(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int search(const char *dir, t_paths *out, int depth) {
    if (depth > MAX_SEARCH_DEPTH) return 0;
    char **names;
    size_t count;
    custos_error err;
    if (file_list_dir(dir, &names, &count, &err) != CUSTOS_OK) return 0; /* unreadable: skip */
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/') n--;
    bool in_tests =
        n >= 5 && strncmp(dir + n - 5, "tests", 5) == 0 && (n == 5 || dir[n - 6] == '/');
    int rc = 0;
    for (size_t i = 0; i < count && rc == 0; i++) {
        if (names[i][0] == '.') continue;
        char *path = path_join(dir, names[i]);
        if (!path) {
            rc = -1;
            break;
        }
        if (path_is_dir(path))
            rc = search(path, out, depth + 1);
        else if (in_tests && (has_suffix(names[i], ".yaml") || has_suffix(names[i], ".yml")))
            rc = paths_add(out, path);
        free(path);
    }
    file_free_names(names, count);
    return rc;
}

int t_find_suites(const char *path, t_paths *out) {
    if (!path_is_dir(path)) return paths_add(out, path);
    return search(path, out, 0);
}

void t_paths_free(t_paths *p) {
    for (size_t i = 0; i < p->count; i++) free(p->items[i]);
    free(p->items);
    *p = (t_paths){NULL, 0, 0};
}
