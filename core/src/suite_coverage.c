/* suite_coverage.c — see suite_coverage.h. */
#include "suite_coverage.h"

#include <stdlib.h>
#include <string.h>

#include "suite_util.h"

typedef struct cov_article {
    bool library; /* a shared library (lib/): regime "", number its name; or a regime's
                   * applies (regime.lua): its regime, number "applies" — lines only */
    char *regime, *number, *module;
    unsigned *lines; /* executable lines, ascending */
    bool *hit;       /* per executable line */
    size_t line_count, hit_count;
    size_t applied; /* cases in which it returned permit or deny */
    size_t cited;   /* cases naming it in expect.because or not_because */
} cov_article;

struct t_coverage {
    cov_article *a;
    size_t n, cap;
    char **regimes; /* ids brought in, in order */
    size_t regime_count, regime_cap;
    size_t last;                 /* the article last looked up: hits come in runs */
    custos_coverage_entry *view; /* cov_view's entries */
};

t_coverage *cov_new(void) { return calloc(1, sizeof(t_coverage)); }

void cov_free(t_coverage *cov) {
    if (!cov) return;
    for (size_t i = 0; i < cov->n; i++) {
        free(cov->a[i].regime);
        free(cov->a[i].number);
        free(cov->a[i].module);
        free(cov->a[i].lines);
        free(cov->a[i].hit);
    }
    free(cov->a);
    free(cov->view);
    for (size_t i = 0; i < cov->regime_count; i++) free(cov->regimes[i]);
    free(cov->regimes);
    free(cov);
}

static bool add_article(t_coverage *cov, const custos_article_info *info) {
    if (cov->n == cov->cap) {
        size_t cap = cov->cap ? cov->cap * 2 : 32;
        cov_article *grown = realloc(cov->a, cap * sizeof *grown);
        if (!grown) return false;
        cov->a = grown;
        cov->cap = cap;
    }
    cov_article *a = &cov->a[cov->n];
    memset(a, 0, sizeof *a);
    a->regime = xstrdup(info->regime);
    a->number = xstrdup(info->number);
    a->module = xstrdup(info->module ? info->module : "");
    a->line_count = info->line_count;
    a->lines = malloc((info->line_count ? info->line_count : 1) * sizeof *a->lines);
    a->hit = calloc(info->line_count ? info->line_count : 1, sizeof *a->hit);
    if (!a->regime || !a->number || !a->module || !a->lines || !a->hit) {
        free(a->regime);
        free(a->number);
        free(a->module);
        free(a->lines);
        free(a->hit);
        return false;
    }
    if (info->line_count) memcpy(a->lines, info->lines, info->line_count * sizeof *a->lines);
    cov->n++;
    return true;
}

/* Brings a shared library into the report, once per file. */
static bool add_library(t_coverage *cov, const custos_library_info *lib) {
    for (size_t i = 0; i < cov->n; i++)
        if (cov->a[i].library && strcmp(cov->a[i].module, lib->module) == 0) return true;
    custos_article_info as_article;
    memset(&as_article, 0, sizeof as_article);
    as_article.regime = "";
    as_article.number = lib->name;
    as_article.module = lib->module;
    as_article.line_count = lib->line_count;
    as_article.lines = lib->lines;
    if (!add_article(cov, &as_article)) return false;
    cov->a[cov->n - 1].library = true;
    return true;
}

bool cov_add_regime(t_coverage *cov, const custos_policies *p, size_t i) {
    for (size_t k = 0; k < custos_policies_library_count(p); k++) {
        custos_library_info lib;
        if (custos_policies_library(p, k, &lib) == CUSTOS_OK && !add_library(cov, &lib))
            return false;
    }
    custos_regime_info info;
    if (custos_policies_regime(p, i, &info) != CUSTOS_OK) return true;
    for (size_t k = 0; k < cov->regime_count; k++)
        if (strcmp(cov->regimes[k], info.id) == 0) return true;
    if (cov->regime_count == cov->regime_cap) {
        size_t cap = cov->regime_cap ? cov->regime_cap * 2 : 8;
        char **grown = realloc(cov->regimes, cap * sizeof *grown);
        if (!grown) return false;
        cov->regimes = grown;
        cov->regime_cap = cap;
    }
    if (!(cov->regimes[cov->regime_count] = xstrdup(info.id))) return false;
    cov->regime_count++;
    for (size_t j = 0; j < info.article_count; j++) {
        custos_article_info a;
        if (custos_policies_article(p, i, j, &a) != CUSTOS_OK || !a.encoded) continue;
        if (!add_article(cov, &a)) return false;
    }
    if (info.applies_module) { /* its applies: lines only, like a library (it is no article) */
        custos_article_info as_article;
        memset(&as_article, 0, sizeof as_article);
        as_article.regime = info.id;
        as_article.number = "applies";
        as_article.module = info.applies_module;
        as_article.line_count = info.applies_line_count;
        as_article.lines = info.applies_lines;
        if (!add_article(cov, &as_article)) return false;
        cov->a[cov->n - 1].library = true;
    }
    return true;
}

/* The library whose file is module, or NULL. */
static cov_article *find_library(t_coverage *cov, const char *module) {
    for (size_t i = 0; i < cov->n; i++)
        if (cov->a[i].library && strcmp(cov->a[i].module, module) == 0) return &cov->a[i];
    return NULL;
}

static cov_article *find(t_coverage *cov, const char *regime, const char *article) {
    if (!regime || !article || !*article) return NULL;
    if (cov->last < cov->n && strcmp(cov->a[cov->last].number, article) == 0 &&
        strcmp(cov->a[cov->last].regime, regime) == 0)
        return &cov->a[cov->last];
    for (size_t i = 0; i < cov->n; i++)
        if (strcmp(cov->a[i].number, article) == 0 && strcmp(cov->a[i].regime, regime) == 0) {
            cov->last = i;
            return &cov->a[i];
        }
    return NULL;
}

static void mark(cov_article *a, unsigned line) {
    size_t lo = 0, hi = a->line_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a->lines[mid] < line)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < a->line_count && a->lines[lo] == line && !a->hit[lo]) {
        a->hit[lo] = true;
        a->hit_count++;
    }
}

void cov_record(t_coverage *cov, custos_decision *d) {
    size_t n = custos_decision_line_count(d);
    for (size_t i = 0; i < n; i++) {
        custos_line_hit h;
        if (custos_decision_line(d, i, &h) != CUSTOS_OK) continue;
        cov_article *a = *h.article ? find(cov, h.regime, h.article) : find_library(cov, h.module);
        if (a) mark(a, h.line);
    }
    n = custos_decision_trace_count(d);
    for (size_t i = 0; i < n; i++) {
        custos_trace t;
        if (custos_decision_trace(d, i, &t) != CUSTOS_OK || !t.applied || t.failed) continue;
        cov_article *a = find(cov, t.regime, t.article);
        if (a) a->applied++;
    }
}

void cov_cite(t_coverage *cov, const char *regime, const char *article) {
    cov_article *a = find(cov, regime, article);
    if (a) a->cited++;
}

/* ---- the public view ------------------------------------------------------------------------ */

bool cov_view(t_coverage *cov, custos_coverage *out) {
    free(cov->view);
    cov->view = calloc(cov->n ? cov->n : 1, sizeof *cov->view);
    if (!cov->view) return false;
    for (size_t i = 0; i < cov->n; i++) {
        const cov_article *a = &cov->a[i];
        cov->view[i] =
            (custos_coverage_entry){a->library, a->regime, a->number,    a->module,  a->line_count,
                                    a->lines,   a->hit,    a->hit_count, a->applied, a->cited};
    }
    *out =
        (custos_coverage){cov->regime_count, (const char *const *)cov->regimes, cov->n, cov->view};
    return true;
}
