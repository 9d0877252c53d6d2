/* test_coverage.c — see test_coverage.h. */
#include "test_coverage.h"

#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "test_util.h"

typedef struct cov_article {
    bool library;        /* a shared library (lib/): regime "", number its name */
    char *regime, *number, *module;
    unsigned *lines;     /* executable lines, ascending */
    unsigned char *hit;  /* per executable line */
    size_t line_count, hit_count;
    size_t applied;      /* cases in which it returned permit or deny */
    size_t cited;        /* cases naming it in expect.because or not_because */
} cov_article;

struct t_coverage {
    cov_article *a;
    size_t n, cap;
    char **regimes; /* ids brought in, in order */
    size_t regime_count, regime_cap;
    size_t last;    /* the article last looked up: hits come in runs */
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
    for (size_t i = 0; i < cov->regime_count; i++) free(cov->regimes[i]);
    free(cov->regimes);
    free(cov);
}

/* A line of a module's text. */
/* Executable lines that count (the library already leaves out each function's closing `end`,
 * which holds only an implicit return that rules, returning explicitly, never reach). */
static size_t base_lines(const cov_article *a) { return a->line_count; }

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
    a->module = path_display(info->module ? info->module : "");
    a->line_count = info->line_count;
    a->lines = malloc((info->line_count ? info->line_count : 1) * sizeof *a->lines);
    a->hit = calloc(info->line_count ? info->line_count : 1, 1);
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
    /* add_article keeps a display copy of the path; compare on the real one */
    free(cov->a[cov->n - 1].module);
    cov->a[cov->n - 1].module = xstrdup(lib->module);
    cov->a[cov->n - 1].library = true;
    return cov->a[cov->n - 1].module != NULL;
}

bool cov_add_regime(t_coverage *cov, const custos_policies *p, size_t i) {
    for (size_t k = 0; k < custos_policies_library_count(p); k++) {
        custos_library_info lib;
        if (custos_policies_library(p, k, &lib) == CUSTOS_OK && !add_library(cov, &lib)) return false;
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
        if (a->lines[mid] < line) lo = mid + 1;
        else hi = mid;
    }
    if (lo < a->line_count && a->lines[lo] == line && !a->hit[lo]) {
        a->hit[lo] = 1;
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

/* ---- totals ---------------------------------------------------------------------------------- */

typedef struct totals {
    size_t hit, lines, articles, applied, cited;
} totals;

static totals count(const t_coverage *cov, const char *regime) {
    totals t = {0, 0, 0, 0, 0};
    for (size_t i = 0; i < cov->n; i++) {
        const cov_article *a = &cov->a[i];
        if (regime && (a->library || strcmp(a->regime, regime) != 0)) continue;
        t.hit += a->hit_count;
        t.lines += base_lines(a);
        if (a->library) continue; /* lines only: a library is no article */
        t.articles++;
        t.applied += a->applied > 0;
        t.cited += a->cited > 0;
    }
    return t;
}

static double percent(size_t hit, size_t total) {
    return total ? 100.0 * (double)hit / (double)total : 100.0;
}

double cov_percent(const t_coverage *cov) {
    totals t = count(cov, NULL);
    return percent(t.hit, t.lines);
}

/* "85-87, 92": runs of uncovered lines (consecutive among the executable ones). */
static bool uncovered(const cov_article *a, size_t i) { return !a->hit[i]; }

static void uncovered_text(const cov_article *a, sbuf *b) {
    bool first = true;
    for (size_t i = 0; i < a->line_count;) {
        if (!uncovered(a, i)) {
            i++;
            continue;
        }
        size_t j = i;
        while (j + 1 < a->line_count && uncovered(a, j + 1)) j++;
        sbuf_printf(b, "%s%u", first ? "" : ", ", a->lines[i]);
        if (j > i) sbuf_printf(b, "-%u", a->lines[j]);
        first = false;
        i = j + 1;
    }
}

static int compare_ids(const void *x, const void *y) {
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Regime ids in sorted order (a copy of the pointer array; NULL when there are none). */
static char **sorted_regimes(const t_coverage *cov) {
    if (!cov->regime_count) return NULL;
    char **ids = malloc(cov->regime_count * sizeof *ids);
    if (!ids) return NULL;
    memcpy(ids, cov->regimes, cov->regime_count * sizeof *ids);
    qsort(ids, cov->regime_count, sizeof *ids, compare_ids);
    return ids;
}

/* ---- text ------------------------------------------------------------------------------------ */

void cov_print_text(const t_coverage *cov, FILE *out, bool color) {
    const char *bold = color ? "\033[1m" : "", *red = color ? "\033[31m" : "",
               *reset = color ? "\033[0m" : "";
    fprintf(out, "\n%sCoverage%s (lines that ran / executable lines of each encoded article)\n",
            bold, reset);
    char **ids = sorted_regimes(cov);
    if (!ids) {
        fputs("  no encoded article was in scope\n", out);
        return;
    }
    size_t width = 8;
    for (size_t i = 0; i < cov->n; i++) {
        size_t w = strlen(path_base(cov->a[i].module)) + strlen(cov->a[i].number) + 8;
        if (w > width) width = w;
    }
    sbuf b;
    sbuf_init(&b);
    for (size_t r = 0; r < cov->regime_count; r++) {
        totals t = count(cov, ids[r]);
        fprintf(out, "  %s%s%s  lines %zu/%zu (%.1f%%), articles applied %zu/%zu, cited %zu/%zu\n",
                bold, ids[r], reset, t.hit, t.lines, percent(t.hit, t.lines), t.applied,
                t.articles, t.cited, t.articles);
        for (size_t i = 0; i < cov->n; i++) {
            const cov_article *a = &cov->a[i];
            if (strcmp(a->regime, ids[r]) != 0) continue;
            sbuf_clear(&b);
            sbuf_printf(&b, "art. %s  %s", a->number, path_base(a->module));
            size_t total = base_lines(a);
            fprintf(out, "    %-*s  %4zu/%-4zu %5.1f%%", (int)width, sbuf_str(&b), a->hit_count,
                    total, percent(a->hit_count, total));
            if (a->applied) fprintf(out, "  applied in %zu case%s", a->applied, a->applied == 1 ? "" : "s");
            else fprintf(out, "  %snever applied%s", red, reset);
            if (!a->cited) fprintf(out, ", %sno case cites it%s", red, reset);
            fputc('\n', out);
            if (a->hit_count < total) {
                sbuf_clear(&b);
                uncovered_text(a, &b);
                fprintf(out, "      uncovered %s: %s\n", path_base(a->module), sbuf_str(&b));
            }
        }
    }
    size_t lib_hit = 0, lib_lines = 0, libs = 0;
    for (size_t i = 0; i < cov->n; i++)
        if (cov->a[i].library) lib_hit += cov->a[i].hit_count, lib_lines += base_lines(&cov->a[i]), libs++;
    if (libs) {
        fprintf(out, "  %slibraries%s  lines %zu/%zu (%.1f%%)\n", bold, reset, lib_hit, lib_lines,
                percent(lib_hit, lib_lines));
        for (size_t i = 0; i < cov->n; i++) {
            const cov_article *a = &cov->a[i];
            if (!a->library) continue;
            sbuf_clear(&b);
            char *shown = path_display(a->module);
            sbuf_printf(&b, "%s", shown ? shown : a->module);
            free(shown);
            size_t total = base_lines(a);
            fprintf(out, "    %-*s  %4zu/%-4zu %5.1f%%\n", (int)width, sbuf_str(&b), a->hit_count,
                    total, percent(a->hit_count, total));
            if (a->hit_count < total) {
                sbuf_clear(&b);
                uncovered_text(a, &b);
                fprintf(out, "      uncovered %s: %s\n", path_base(a->module), sbuf_str(&b));
            }
        }
    }
    totals t = count(cov, NULL);
    fprintf(out, "  %stotal%s  lines %zu/%zu (%.1f%%), articles applied %zu/%zu, cited %zu/%zu\n",
            bold, reset, t.hit, t.lines, percent(t.hit, t.lines), t.applied, t.articles, t.cited,
            t.articles);
    if (t.cited < t.articles) {
        fputs("  encoded articles no case cites (expect.because / not_because):", out);
        for (size_t i = 0; i < cov->n; i++)
            if (!cov->a[i].cited && !cov->a[i].library)
                fprintf(out, " %s/%s", cov->a[i].regime, cov->a[i].number);
        fputc('\n', out);
    }
    sbuf_free(&b);
    free(ids);
}

/* ---- JSON ------------------------------------------------------------------------------------ */

static json_t *lines_json(size_t hit, size_t total) {
    return json_pack("{s:I, s:I, s:f}", "hit", (json_int_t)hit, "total", (json_int_t)total,
                     "percent", percent(hit, total));
}

static json_t *article_json(const cov_article *a) {
    json_t *ranges = json_array();
    for (size_t i = 0; ranges && i < a->line_count;) {
        if (!uncovered(a, i)) {
            i++;
            continue;
        }
        size_t j = i;
        while (j + 1 < a->line_count && uncovered(a, j + 1)) j++;
        json_array_append_new(ranges, json_pack("[I, I]", (json_int_t)a->lines[i],
                                                (json_int_t)a->lines[j]));
        i = j + 1;
    }
    sbuf text;
    sbuf_init(&text);
    uncovered_text(a, &text);
    json_t *o = json_pack("{s:s, s:s, s:o, s:o, s:s, s:I, s:I}", "article", a->number, "module",
                          a->module, "lines", lines_json(a->hit_count, base_lines(a)), "uncovered",
                          ranges ? ranges : json_array(), "uncovered_text", sbuf_str(&text),
                          "applied_cases", (json_int_t)a->applied, "cited_cases",
                          (json_int_t)a->cited);
    sbuf_free(&text);
    return o;
}

json_t *cov_json(const t_coverage *cov) {
    totals t = count(cov, NULL);
    json_t *regimes = json_array(), *not_cited = json_array(), *never_applied = json_array();
    char **ids = sorted_regimes(cov);
    for (size_t r = 0; ids && regimes && r < cov->regime_count; r++) {
        totals rt = count(cov, ids[r]);
        json_t *articles = json_array();
        for (size_t i = 0; articles && i < cov->n; i++)
            if (strcmp(cov->a[i].regime, ids[r]) == 0)
                json_array_append_new(articles, article_json(&cov->a[i]));
        json_array_append_new(regimes,
                              json_pack("{s:s, s:o, s:I, s:I, s:I, s:o}", "id", ids[r], "lines",
                                        lines_json(rt.hit, rt.lines), "articles_total",
                                        (json_int_t)rt.articles, "articles_applied",
                                        (json_int_t)rt.applied, "articles_cited",
                                        (json_int_t)rt.cited, "articles",
                                        articles ? articles : json_array()));
    }
    free(ids);
    json_t *libraries = json_array();
    for (size_t i = 0; libraries && i < cov->n; i++)
        if (cov->a[i].library)
            json_array_append_new(libraries,
                                  json_pack("{s:s, s:s, s:o}", "library", cov->a[i].number, "module",
                                            cov->a[i].module,
                                            "lines", lines_json(cov->a[i].hit_count, base_lines(&cov->a[i]))));
    for (size_t i = 0; not_cited && never_applied && i < cov->n; i++) {
        if (cov->a[i].library) continue;
        char ref[512];
        snprintf(ref, sizeof ref, "%s/%s", cov->a[i].regime, cov->a[i].number);
        if (!cov->a[i].cited) json_array_append_new(not_cited, json_string(ref));
        if (!cov->a[i].applied) json_array_append_new(never_applied, json_string(ref));
    }
    if (!regimes || !not_cited || !never_applied || !libraries) {
        json_decref(regimes);
        json_decref(not_cited);
        json_decref(never_applied);
        json_decref(libraries);
        return NULL;
    }
    return json_pack("{s:f, s:o, s:I, s:I, s:I, s:o, s:o, s:o, s:o}", "percent",
                     percent(t.hit, t.lines), "lines", lines_json(t.hit, t.lines),
                     "articles_total", (json_int_t)t.articles, "articles_applied",
                     (json_int_t)t.applied, "articles_cited", (json_int_t)t.cited, "not_cited",
                     not_cited, "never_applied", never_applied, "regimes", regimes, "libraries",
                     libraries);
}
