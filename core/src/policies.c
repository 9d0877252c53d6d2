/*
 * policies.c — custos_policies: a read-only view of a bundle's regimes and articles for tools
 * (the REPL's :cite, completion, `custos check`, coverage reports).  It holds a reference to
 * the bundle, so a reload never pulls strings out from under it.
 *
 * Diagnostics (custos_policies_diagnostic) are gathered when the snapshot is taken: findings
 * about the loaded policies and data that do not stop loading (today: data fields no regime
 * declares), so every tool sees the same list without reaching into the bundle.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "buffer_limits.h"
#include "doc.h"
#include "engine_internal.h"
#include "module_scan.h"
#include "schema.h"

struct custos_policies {
    bundle *b;
    const char ***codes;             /* per bundle article: its message codes */
    custos_diagnostic **diagnostics; /* each with its file and message after it */
    size_t diagnostic_count, diagnostic_cap;
    bool diagnostics_failed; /* out of memory while gathering them */
};

/* ---- diagnostics ------------------------------------------------------------------------------ */

static bool add_diagnostic(custos_policies *p, const char *file, unsigned line, unsigned column,
                           const char *code, const char *message) {
    if (p->diagnostic_count == p->diagnostic_cap) {
        size_t cap = p->diagnostic_cap ? p->diagnostic_cap * 2 : 8;
        custos_diagnostic **grown = realloc(p->diagnostics, cap * sizeof *grown);
        if (!grown) return false;
        p->diagnostics = grown;
        p->diagnostic_cap = cap;
    }
    size_t nf = strlen(file) + 1, nm = strlen(message) + 1;
    custos_diagnostic *d = malloc(sizeof *d + nf + nm);
    if (!d) return false;
    char *text = (char *)(d + 1);
    memcpy(text, file, nf);
    memcpy(text + nf, message, nm);
    *d = (custos_diagnostic){text, line, column, code, text + nf};
    p->diagnostics[p->diagnostic_count++] = d;
    return true;
}

/* A data field no loaded regime declares: kept for policies, but likely a typo. */
static void unknown_data_field(void *ud, const bundle_data_note *note) {
    custos_policies *p = ud;
    char message[CUSTOS_MESSAGE_BUFFER];
    snprintf(message, sizeof message,
             "%s is not a field any loaded regime reads (a typo? policies see it, but none looks "
             "for it)",
             note->path);
    if (!p->diagnostics_failed &&
        !add_diagnostic(p, note->file, note->line, note->column, "unknown-data-field", message))
        p->diagnostics_failed = true;
}

/* ---- findings in the modules' code (module_scan.h) ------------------------------------------ */

#define DECLARED_OBLIGATIONS_MAX 64
#define SCANNED_NAME_MAX 128

typedef struct source_check {
    custos_policies *p;
    const char *file;
    unsigned rule_line; /* an article's `rule = function` line */
    char declared[DECLARED_OBLIGATIONS_MAX][SCANNED_NAME_MAX];
    size_t declared_count;
} source_check;

static bool source_diagnostic(source_check *sc, unsigned line, const char *code,
                              const char *message) {
    if (!sc->p->diagnostics_failed && !add_diagnostic(sc->p, sc->file, line, 0, code, message))
        sc->p->diagnostics_failed = true;
    return !sc->p->diagnostics_failed;
}

/* data.NAME with NAME no schema declares as a section. */
static bool check_section(void *ud, const char *name, size_t len, unsigned line) {
    source_check *sc = ud;
    char section[SCANNED_NAME_MAX];
    if (len == 0 || len >= sizeof section) return true;
    memcpy(section, name, len);
    section[len] = '\0';
    if (schema_find_section(&sc->p->b->schema, section)) return true;
    char message[CUSTOS_MESSAGE_BUFFER];
    snprintf(message, sizeof message,
             "reads the data section '%s', which no schema declares (declare it in schema.lua "
             "or the regime's data = {...})",
             section);
    return source_diagnostic(sc, line, "undeclared-data-section", message);
}

static bool collect_declared(void *ud, const char *id, size_t len, unsigned line) {
    source_check *sc = ud;
    (void)line;
    if (sc->declared_count < DECLARED_OBLIGATIONS_MAX && len < SCANNED_NAME_MAX) {
        memcpy(sc->declared[sc->declared_count], id, len);
        sc->declared[sc->declared_count++][len] = '\0';
    }
    return true;
}

/* An obligation `id = "X"` that the article's obligations = {...} does not list. */
static bool check_obligation(void *ud, const char *id, size_t len, unsigned line) {
    source_check *sc = ud;
    for (size_t i = 0; i < sc->declared_count; i++)
        if (strlen(sc->declared[i]) == len && memcmp(sc->declared[i], id, len) == 0) return true;
    char message[CUSTOS_MESSAGE_BUFFER];
    snprintf(message, sizeof message,
             "returns the obligation \"%.*s\", which the article does not declare (add it to "
             "article{ obligations = {...} })",
             (int)(len > 60 ? 60 : len), id);
    return source_diagnostic(sc, line, "undeclared-obligation", message);
}

/* `return "word"` in a rule: a string alone is not a verdict (the article fails when decided). */
static bool check_bare_return(void *ud, const char *word, size_t len, unsigned line) {
    source_check *sc = ud;
    if (line < sc->rule_line) return true; /* a helper before the rule may return strings */
    char message[CUSTOS_MESSAGE_BUFFER];
    snprintf(message, sizeof message,
             "the rule returns the bare string \"%.*s\": a verdict is permit(\"code\"), "
             "deny(\"code\") or not_applicable(...); a string alone fails the article (deny)",
             (int)(len > 40 ? 40 : len), word);
    return source_diagnostic(sc, line, "bare-string-verdict", message);
}

/* The findings in every article's and library's code. */
static void check_sources(custos_policies *p) {
    const bundle *b = p->b;
    source_check *sc = malloc(sizeof *sc);
    if (!sc) {
        p->diagnostics_failed = true;
        return;
    }
    for (size_t i = 0; i < b->article_count + b->library_count && !p->diagnostics_failed; i++) {
        bool article = i < b->article_count;
        const bundle_article *a = article ? &b->articles[i] : NULL;
        const bundle_library *lib = article ? NULL : &b->libraries[i - b->article_count];
        const char *source = article ? a->source : lib->source;
        size_t len = article ? a->source_len : lib->source_len;
        sc->p = p;
        sc->file = article ? a->path : lib->path;
        sc->rule_line = 0;
        sc->declared_count = 0;
        if (!source || !source_find(source, len, SOURCE_DATA_SECTION, check_section, sc)) continue;
        if (!article || a->applies) continue;
        source_find(source, len, SOURCE_OBLIGATION_DECLARED, collect_declared, sc);
        if (!source_find(source, len, SOURCE_OBLIGATION_RETURNED, check_obligation, sc)) continue;
        sc->rule_line = a->rule_line > 0 ? (unsigned)a->rule_line : 1;
        source_find(source, len, SOURCE_BARE_RETURN, check_bare_return, sc);
    }
    free(sc);
}

size_t custos_policies_diagnostic_count(const custos_policies *p) {
    return p ? p->diagnostic_count : 0;
}

custos_status custos_policies_diagnostic(const custos_policies *p, size_t i,
                                         custos_diagnostic *out) {
    if (!p || !out || i >= p->diagnostic_count) return CUSTOS_E_ARGUMENT;
    *out = *p->diagnostics[i];
    return CUSTOS_OK;
}

/* ---- the snapshot ----------------------------------------------------------------------------- */

custos_status custos_engine_policies(custos_engine *eng, custos_policies **out) {
    if (!eng || !out) return CUSTOS_E_ARGUMENT;
    *out = calloc(1, sizeof **out);
    if (!*out) return CUSTOS_E_NOMEM;
    (*out)->b = engine_current_bundle(eng);
    (*out)->codes = calloc((*out)->b->article_count + 1, sizeof *(*out)->codes);
    if (!(*out)->codes) {
        custos_policies_free(*out);
        *out = NULL;
        return CUSTOS_E_NOMEM;
    }
    for (size_t i = 0; i < (*out)->b->article_count; i++) {
        const bundle_article *a = &(*out)->b->articles[i];
        const char **codes = calloc(a->message_count + 1, sizeof *codes);
        if (!codes) {
            custos_policies_free(*out);
            *out = NULL;
            return CUSTOS_E_NOMEM;
        }
        for (size_t m = 0; m < a->message_count; m++) codes[m] = a->messages[m].code;
        (*out)->codes[i] = codes;
    }
    bundle_unknown_data_fields((*out)->b, unknown_data_field, *out);
    check_sources(*out);
    if ((*out)->diagnostics_failed) {
        custos_policies_free(*out);
        *out = NULL;
        return CUSTOS_E_NOMEM;
    }
    return CUSTOS_OK;
}

void custos_policies_free(custos_policies *p) {
    if (!p) return;
    if (p->codes)
        for (size_t i = 0; i < p->b->article_count; i++) free(p->codes[i]);
    free(p->codes);
    for (size_t i = 0; i < p->diagnostic_count; i++) free(p->diagnostics[i]);
    free(p->diagnostics);
    bundle_unref(p->b);
    free(p);
}

size_t custos_policies_regime_count(const custos_policies *p) { return p ? p->b->regime_count : 0; }

custos_status custos_policies_regime(const custos_policies *p, size_t i, custos_regime_info *out) {
    if (!p || !out || i >= p->b->regime_count) return CUSTOS_E_ARGUMENT;
    const bundle_regime *r = &p->b->regimes[i];
    *out = (custos_regime_info){
        r->id,      r->title_zh, r->title_en, r->document,     r->issued, r->effective,
        r->expires, r->folder,   r->mode,     r->listed_count, 0,         NULL,
        NULL,       0,           NULL};
    if (r->applies != SIZE_MAX) {
        const bundle_article *a = &p->b->articles[r->applies];
        out->applies_message_count = a->message_count;
        out->applies_message_codes = p->codes[r->applies];
        out->applies_module = a->path;
        out->applies_line_count = a->line_count;
        out->applies_lines = a->lines;
    }
    return CUSTOS_OK;
}

/* The module of regime r's article `number`, or NULL when it is not encoded. */
static size_t encoded_index(const bundle *b, size_t r, const char *number) {
    const bundle_regime *regime = &b->regimes[r];
    for (size_t k = regime->first_article; k < regime->first_article + regime->article_count; k++)
        if (strcmp(b->articles[k].number, number) == 0) return k;
    return SIZE_MAX;
}

custos_status custos_policies_article(const custos_policies *p, size_t i, size_t j,
                                      custos_article_info *out) {
    if (!p || !out || i >= p->b->regime_count || j >= p->b->regimes[i].listed_count)
        return CUSTOS_E_ARGUMENT;
    const bundle_regime *r = &p->b->regimes[i];
    const bundle_listed_article *l = &r->listed[j];
    memset(out, 0, sizeof *out);
    out->regime = r->id;
    out->number = l->number;
    out->title_zh = l->title_zh;
    out->title_en = l->title_en;
    out->encoded = l->encoded;
    out->reason = l->reason;
    size_t k = encoded_index(p->b, i, l->number);
    if (k != SIZE_MAX) {
        const bundle_article *a = &p->b->articles[k];
        out->text_zh = a->text_zh;
        out->text_en = a->text_en;
        out->citation = a->citation;
        out->module = a->path;
        out->rule_line = a->rule_line;
        out->message_count = a->message_count;
        out->message_codes = p->codes[k];
        out->line_count = a->line_count;
        out->lines = a->lines;
    }
    return CUSTOS_OK;
}

custos_status custos_policies_find(const custos_policies *p, const char *regime, const char *number,
                                   custos_article_info *out) {
    if (!p || !regime || !number || !out) return CUSTOS_E_ARGUMENT;
    size_t r = bundle_find_regime(p->b, regime);
    if (r == SIZE_MAX) return CUSTOS_E_NOT_FOUND;
    for (size_t j = 0; j < p->b->regimes[r].listed_count; j++)
        if (strcmp(p->b->regimes[r].listed[j].number, number) == 0)
            return custos_policies_article(p, r, j, out);
    return CUSTOS_E_NOT_FOUND;
}

size_t custos_policies_library_count(const custos_policies *p) {
    return p ? p->b->library_count : 0;
}

custos_status custos_policies_library(const custos_policies *p, size_t i,
                                      custos_library_info *out) {
    if (!p || !out || i >= p->b->library_count) return CUSTOS_E_ARGUMENT;
    const bundle_library *lib = &p->b->libraries[i];
    *out = (custos_library_info){lib->name, lib->path, lib->line_count, lib->lines};
    return CUSTOS_OK;
}

/* ---- The request schema ----------------------------------------------------------------------- */

size_t custos_policies_field_count(const custos_policies *p) {
    return p ? schema_field_count(&p->b->schema) : 0;
}

custos_status custos_policies_field(const custos_policies *p, size_t i, custos_field_info *out) {
    if (!p || !out) return CUSTOS_E_ARGUMENT;
    return schema_field_info(&p->b->schema, i, out) ? CUSTOS_OK : CUSTOS_E_ARGUMENT;
}

custos_status custos_policies_find_field(const custos_policies *p, const char *path,
                                         custos_field_info *out) {
    if (!p || !path || !out) return CUSTOS_E_ARGUMENT;
    return schema_find_info(&p->b->schema, path, out) ? CUSTOS_OK : CUSTOS_E_NOT_FOUND;
}

const char *custos_policies_revision(const custos_policies *p) { return p ? p->b->revision : ""; }
