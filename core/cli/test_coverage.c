/* test_coverage.c — see test_coverage.h. */
#include "test_coverage.h"

#include <stdlib.h>
#include <string.h>

#include "test_util.h"

typedef custos_coverage_entry cov_article;

/* ---- totals ---------------------------------------------------------------------------------- */

typedef struct totals {
    size_t hit, lines, articles, applied, cited;
} totals;

static totals count(const custos_coverage *cov, const char *regime) {
    totals t = {0, 0, 0, 0, 0};
    for (size_t i = 0; i < cov->entry_count; i++) {
        const cov_article *a = &cov->entries[i];
        if (regime && (a->library || strcmp(a->regime, regime) != 0)) continue;
        t.hit += a->hit_count;
        t.lines += a->line_count;
        if (a->library) continue; /* lines only: a library is no article */
        t.articles++;
        t.applied += a->applied_cases > 0;
        t.cited += a->cited_cases > 0;
    }
    return t;
}

static double percent(size_t hit, size_t total) {
    return total ? 100.0 * (double)hit / (double)total : 100.0;
}

double cov_percent(const custos_coverage *cov) {
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
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Regime ids in sorted order (a copy of the pointer array; NULL when there are none). */
static const char **sorted_regimes(const custos_coverage *cov) {
    if (!cov->regime_count) return NULL;
    const char **ids = malloc(cov->regime_count * sizeof *ids);
    if (!ids) return NULL;
    memcpy(ids, cov->regimes, cov->regime_count * sizeof *ids);
    qsort(ids, cov->regime_count, sizeof *ids, compare_ids);
    return ids;
}

/* ---- text ------------------------------------------------------------------------------------ */

void cov_print_text(const custos_coverage *cov, FILE *out, bool color) {
    const char *bold = color ? "\033[1m" : "", *red = color ? "\033[31m" : "",
               *reset = color ? "\033[0m" : "";
    fprintf(out, "\n%sCoverage%s (lines that ran / executable lines of each encoded article)\n",
            bold, reset);
    const char **ids = sorted_regimes(cov);
    if (!ids) {
        fputs("  no encoded article was in scope\n", out);
        return;
    }
    size_t width = 8;
    for (size_t i = 0; i < cov->entry_count; i++) {
        size_t w = strlen(path_base(cov->entries[i].module)) + strlen(cov->entries[i].article) + 8;
        if (w > width) width = w;
    }
    sbuf b;
    sbuf_init(&b);
    for (size_t r = 0; r < cov->regime_count; r++) {
        totals t = count(cov, ids[r]);
        fprintf(out, "  %s%s%s  lines %zu/%zu (%.1f%%), articles applied %zu/%zu, cited %zu/%zu\n",
                bold, ids[r], reset, t.hit, t.lines, percent(t.hit, t.lines), t.applied, t.articles,
                t.cited, t.articles);
        for (size_t i = 0; i < cov->entry_count; i++) {
            const cov_article *a = &cov->entries[i];
            /* a regime's applies is listed with the libraries: lines only, no article */
            if (a->library || strcmp(a->regime, ids[r]) != 0) continue;
            sbuf_clear(&b);
            sbuf_printf(&b, "art. %s  %s", a->article, path_base(a->module));
            size_t total = a->line_count;
            fprintf(out, "    %-*s  %4zu/%-4zu %5.1f%%", (int)width, sbuf_str(&b), a->hit_count,
                    total, percent(a->hit_count, total));
            if (a->applied_cases)
                fprintf(out, "  applied in %zu case%s", a->applied_cases,
                        a->applied_cases == 1 ? "" : "s");
            else
                fprintf(out, "  %snever applied%s", red, reset);
            if (!a->cited_cases) fprintf(out, ", %sno case cites it%s", red, reset);
            fputc('\n', out);
            if (a->hit_count < total) {
                sbuf_clear(&b);
                uncovered_text(a, &b);
                fprintf(out, "      uncovered %s: %s\n", path_base(a->module), sbuf_str(&b));
            }
        }
    }
    size_t lib_hit = 0, lib_lines = 0, libs = 0;
    for (size_t i = 0; i < cov->entry_count; i++)
        if (cov->entries[i].library)
            lib_hit += cov->entries[i].hit_count, lib_lines += cov->entries[i].line_count, libs++;
    if (libs) {
        fprintf(out, "  %slibraries%s  lines %zu/%zu (%.1f%%)\n", bold, reset, lib_hit, lib_lines,
                percent(lib_hit, lib_lines));
        for (size_t i = 0; i < cov->entry_count; i++) {
            const cov_article *a = &cov->entries[i];
            if (!a->library) continue;
            sbuf_clear(&b);
            char *shown = path_display(a->module);
            sbuf_printf(&b, "%s", shown ? shown : a->module);
            free(shown);
            size_t total = a->line_count;
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
        for (size_t i = 0; i < cov->entry_count; i++)
            if (!cov->entries[i].cited_cases && !cov->entries[i].library)
                fprintf(out, " %s/%s", cov->entries[i].regime, cov->entries[i].article);
        fputc('\n', out);
    }
    sbuf_free(&b);
    free((void *)ids);
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
        json_array_append_new(
            ranges, json_pack("[I, I]", (json_int_t)a->lines[i], (json_int_t)a->lines[j]));
        i = j + 1;
    }
    sbuf text;
    sbuf_init(&text);
    uncovered_text(a, &text);
    char *shown = path_display(a->module);
    json_t *o = json_pack(
        "{s:s, s:s, s:o, s:o, s:s, s:I, s:I}", "article", a->article, "module",
        shown ? shown : a->module, "lines", lines_json(a->hit_count, a->line_count), "uncovered",
        ranges ? ranges : json_array(), "uncovered_text", sbuf_str(&text), "applied_cases",
        (json_int_t)a->applied_cases, "cited_cases", (json_int_t)a->cited_cases);
    sbuf_free(&text);
    free(shown);
    return o;
}

json_t *cov_json(const custos_coverage *cov) {
    totals t = count(cov, NULL);
    json_t *regimes = json_array(), *not_cited = json_array(), *never_applied = json_array();
    const char **ids = sorted_regimes(cov);
    for (size_t r = 0; ids && regimes && r < cov->regime_count; r++) {
        totals rt = count(cov, ids[r]);
        json_t *articles = json_array();
        for (size_t i = 0; articles && i < cov->entry_count; i++)
            if (!cov->entries[i].library && strcmp(cov->entries[i].regime, ids[r]) == 0)
                json_array_append_new(articles, article_json(&cov->entries[i]));
        json_array_append_new(regimes, json_pack("{s:s, s:o, s:I, s:I, s:I, s:o}", "id", ids[r],
                                                 "lines", lines_json(rt.hit, rt.lines),
                                                 "articles_total", (json_int_t)rt.articles,
                                                 "articles_applied", (json_int_t)rt.applied,
                                                 "articles_cited", (json_int_t)rt.cited, "articles",
                                                 articles ? articles : json_array()));
    }
    free((void *)ids);
    json_t *libraries = json_array();
    for (size_t i = 0; libraries && i < cov->entry_count; i++)
        if (cov->entries[i].library)
            json_array_append_new(
                libraries,
                json_pack("{s:s, s:s, s:o}", "library", cov->entries[i].article, "module",
                          cov->entries[i].module, "lines",
                          lines_json(cov->entries[i].hit_count, cov->entries[i].line_count)));
    for (size_t i = 0; not_cited && never_applied && i < cov->entry_count; i++) {
        if (cov->entries[i].library) continue;
        char ref[512];
        snprintf(ref, sizeof ref, "%s/%s", cov->entries[i].regime, cov->entries[i].article);
        if (!cov->entries[i].cited_cases) json_array_append_new(not_cited, json_string(ref));
        if (!cov->entries[i].applied_cases) json_array_append_new(never_applied, json_string(ref));
    }
    if (!regimes || !not_cited || !never_applied || !libraries) {
        json_decref(regimes);
        json_decref(not_cited);
        json_decref(never_applied);
        json_decref(libraries);
        return NULL;
    }
    return json_pack("{s:f, s:o, s:I, s:I, s:I, s:o, s:o, s:o, s:o}", "percent",
                     percent(t.hit, t.lines), "lines", lines_json(t.hit, t.lines), "articles_total",
                     (json_int_t)t.articles, "articles_applied", (json_int_t)t.applied,
                     "articles_cited", (json_int_t)t.cited, "not_cited", not_cited, "never_applied",
                     never_applied, "regimes", regimes, "libraries", libraries);
}
