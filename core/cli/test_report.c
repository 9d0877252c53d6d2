/* test_report.c — see test_report.h. */
#include "test_report.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli_streams.h"
#include "test_coverage.h"
#include "test_util.h"

typedef struct style {
    const char *bold, *dim, *red, *green, *yellow, *reset;
} style;

static const style plain = {"", "", "", "", "", ""};
static const style colored = {"\033[1m",    "\033[2m",    "\033[1;31m",
                              "\033[1;32m", "\033[1;33m", "\033[0m"};

typedef custos_suite_info t_suite;
typedef custos_suite_case t_case;

static const char *status_name(custos_case_status st) {
    return st == CUSTOS_CASE_PASSED ? "passed" : st == CUSTOS_CASE_FAILED ? "failed" : "skipped";
}

/* The cases a run reported on: the ones the filter selected. */
static bool was_run(const t_case *c) { return c->status != CUSTOS_CASE_NOT_RUN; }

/* "file:line" of a case. */
static void case_where(char *buf, size_t size, const t_case *c) {
    if (c->line)
        snprintf(buf, size, "%s:%u", c->file, c->line);
    else
        snprintf(buf, size, "%s", c->file);
}

/* "file:line:col: message" of a load error. */
static void error_text(sbuf *b, const custos_suite_error *e) {
    if (e->file) sbuf_add(b, e->file);
    if (e->line) sbuf_printf(b, ":%u", e->line);
    if (e->line && e->column) sbuf_printf(b, ":%u", e->column);
    if (e->file || e->line) sbuf_add(b, ": ");
    sbuf_add(b, e->message);
}

/* Writes each line of text with a prefix. */
static void print_indented(FILE *out, const char *prefix, const char *text) {
    while (text && *text) {
        const char *nl = strchr(text, '\n');
        size_t n = nl ? (size_t)(nl - text) : strlen(text);
        fprintf(out, "%s%.*s\n", prefix, (int)n, text);
        text += n + (nl ? 1 : 0);
    }
}

/* ---- text ------------------------------------------------------------------------------------ */

static void text_counts(FILE *out, const style *st, size_t passed, size_t failed, size_t skipped) {
    fprintf(out, "%zu passed, %s%zu failed%s", passed, failed ? st->red : "", failed,
            failed ? st->reset : "");
    if (skipped) fprintf(out, ", %s%zu skipped%s", st->yellow, skipped, st->reset);
}

static void text_failure(FILE *out, const style *st, const t_case *res) {
    char where[1024];
    case_where(where, sizeof where, res);
    fprintf(out, "\n  %sFAIL%s %s: %s%s%s\n", st->red, st->reset, where, st->bold, res->display,
            st->reset);
    for (size_t k = 0; k < res->mismatch_count; k++)
        fprintf(out, "    %s-%s %s\n", st->red, st->reset, res->mismatches[k]);
    if (res->expected && *res->expected) {
        fprintf(out, "    %sexpected%s\n", st->dim, st->reset);
        print_indented(out, "    ", res->expected);
    }
    if (res->actual && *res->actual) {
        fprintf(out, "    %sactual%s\n", st->dim, st->reset);
        print_indented(out, "    ", res->actual);
    }
}

static void text_suite(t_reporter *rep, const t_suite *sr) {
    const style *st = rep->color ? &colored : &plain;
    const t_suite *s = sr;
    FILE *out = rep->out;
    if (s->error_count) {
        fprintf(out, "%sERROR%s %s: did not load (", st->red, st->reset, s->file);
        fprintf(out, "%zu error%s, on stderr)\n", s->error_count, s->error_count == 1 ? "" : "s");
        return;
    }
    const char *label = sr->failed ? "FAIL " : "ok   ";
    fprintf(out, "%s%s%s %s: ", sr->failed ? st->red : st->green, label, st->reset, s->file);
    text_counts(out, st, sr->passed, sr->failed, sr->skipped);
    fputc('\n', out);
    for (size_t i = 0; i < sr->case_count; i++)
        if (sr->cases[i].status == CUSTOS_CASE_FAILED) text_failure(out, st, &sr->cases[i]);
    if (sr->failed) fputc('\n', out);
}

/* ---- TAP ------------------------------------------------------------------------------------- */

static void yaml_string(FILE *out, const char *s) {
    sbuf b;
    sbuf_init(&b);
    sbuf_add_json_string(&b, s, strlen(s));
    fputs(sbuf_str(&b), out);
    sbuf_free(&b);
}

/* A TAP description must not hold '#' (it starts a directive) or a newline. */
static void tap_description(FILE *out, const char *suite, const char *name) {
    for (const char *parts[2] = {suite, name}, **p = parts; p < parts + 2; p++) {
        for (const char *c = *p; *c; c++) fputc(*c == '#' ? '_' : *c == '\n' ? ' ' : *c, out);
        if (p == parts) fputs(": ", out);
    }
}

static void tap_block_text(FILE *out, const char *key, const char *text) {
    if (!text || !*text) return;
    fprintf(out, "  %s: |\n", key);
    print_indented(out, "    ", text);
}

static void tap_suite(t_reporter *rep, const t_suite *sr) {
    FILE *out = rep->out;
    const t_suite *s = sr;
    if (s->error_count) {
        fprintf(out, "not ok %zu - ", ++rep->tap_count);
        tap_description(out, s->name, "did not load");
        fputs("\n  ---\n  errors:\n", out);
        for (size_t i = 0; i < s->error_count; i++) {
            sbuf b;
            sbuf_init(&b);
            error_text(&b, &s->errors[i]);
            fputs("    - ", out);
            yaml_string(out, sbuf_str(&b));
            fputc('\n', out);
            sbuf_free(&b);
        }
        fputs("  ...\n", out);
        return;
    }
    for (size_t i = 0; i < sr->case_count; i++) {
        const t_case *res = &sr->cases[i];
        if (!was_run(res)) continue;
        fprintf(out, "%s %zu - ", res->status == CUSTOS_CASE_FAILED ? "not ok" : "ok",
                ++rep->tap_count);
        tap_description(out, s->name, res->display);
        if (res->status == CUSTOS_CASE_SKIPPED) {
            fputs(" # SKIP ", out);
            for (const char *c = res->skip; *c; c++) fputc(*c == '\n' ? ' ' : *c, out);
        }
        fputc('\n', out);
        if (res->status != CUSTOS_CASE_FAILED) continue;
        char where[1024];
        case_where(where, sizeof where, res);
        fputs("  ---\n  message: ", out);
        yaml_string(out, res->mismatch_count ? res->mismatches[0] : "failed");
        fputs("\n  at: ", out);
        yaml_string(out, where);
        fputs("\n  mismatches:\n", out);
        for (size_t k = 0; k < res->mismatch_count; k++) {
            fputs("    - ", out);
            yaml_string(out, res->mismatches[k]);
            fputc('\n', out);
        }
        tap_block_text(out, "expected", res->expected);
        tap_block_text(out, "actual", res->actual);
        fputs("  ...\n", out);
    }
}

/* ---- JSON ------------------------------------------------------------------------------------ */

static json_t *result_json(const t_case *res) {
    const t_case *c = res;
    json_t *o = json_pack("{s:s, s:s, s:s, s:I, s:s, s:f}", "name", c->name, "display", c->display,
                          "file", c->file, "line", (json_int_t)c->line, "status",
                          status_name(res->status), "seconds", res->seconds);
    if (!o) return NULL;
    if (c->combination) json_object_set_new(o, "combination", json_string(c->combination));
    if (res->status == CUSTOS_CASE_SKIPPED) json_object_set_new(o, "skip", json_string(c->skip));
    if (res->status == CUSTOS_CASE_FAILED) {
        json_t *m = json_array();
        for (size_t k = 0; m && k < res->mismatch_count; k++)
            json_array_append_new(m, json_string(res->mismatches[k]));
        if (m) json_object_set_new(o, "mismatches", m);
        if (res->expected) json_object_set_new(o, "expected", json_string(res->expected));
        if (res->actual) json_object_set_new(o, "actual", json_string(res->actual));
        json_t *d = res->decision_json ? json_loads(res->decision_json, 0, NULL) : NULL;
        if (d) json_object_set_new(o, "decision", d);
    }
    return o;
}

static json_t *suite_json(const t_suite *sr) {
    const t_suite *s = sr;
    const char *status = s->error_count ? "error" : sr->failed ? "failed" : "passed";
    json_t *o =
        json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:f}", "file", s->file, "name", s->name, "status",
                  status, "passed", (json_int_t)sr->passed, "failed", (json_int_t)sr->failed,
                  "skipped", (json_int_t)sr->skipped, "seconds", sr->seconds);
    if (!o) return NULL;
    json_t *errors = json_array(), *cases = json_array();
    for (size_t i = 0; errors && i < s->error_count; i++) {
        const custos_suite_error *e = &s->errors[i];
        json_array_append_new(errors, json_pack("{s:s?, s:I, s:I, s:s}", "file", e->file, "line",
                                                (json_int_t)e->line, "column",
                                                (json_int_t)e->column, "message", e->message));
    }
    for (size_t i = 0; cases && i < sr->case_count; i++)
        if (was_run(&sr->cases[i])) json_array_append_new(cases, result_json(&sr->cases[i]));
    if (errors) json_object_set_new(o, "errors", errors);
    if (cases) json_object_set_new(o, "cases", cases);
    return o;
}

static void json_end(t_reporter *rep, const t_suite *runs, size_t n, const t_totals *t) {
    json_t *suites = json_array();
    for (size_t i = 0; suites && i < n; i++) json_array_append_new(suites, suite_json(&runs[i]));
    json_t *report =
        json_pack("{s:I, s:I, s:I, s:I, s:I, s:f, s:o}", "passed", (json_int_t)t->passed, "failed",
                  (json_int_t)t->failed, "skipped", (json_int_t)t->skipped, "suites",
                  (json_int_t)t->suites, "suites_not_loaded", (json_int_t)t->broken, "seconds",
                  t->seconds, "results", suites ? suites : json_array());
    if (report && rep->cov) {
        json_t *cov = cov_json(rep->cov);
        if (cov && rep->cov_min >= 0) json_object_set_new(cov, "min", json_real(rep->cov_min));
        if (cov) json_object_set_new(report, "coverage", cov);
    }
    char *text = report ? json_dumps(report, JSON_COMPACT) : NULL;
    if (text)
        fprintf(rep->out, "%s\n", text);
    else
        fputs("{\"error\": \"out of memory\"}\n", rep->out);
    free(text);
    json_decref(report);
}

/* ---- the reporter ---------------------------------------------------------------------------- */

void report_begin(t_reporter *rep) {
    if (rep->format == T_FORMAT_TAP) fputs("TAP version 13\n", rep->out);
}

void report_suite(t_reporter *rep, const t_suite *sr) {
    if (rep->format == T_FORMAT_TEXT)
        text_suite(rep, sr);
    else if (rep->format == T_FORMAT_TAP)
        tap_suite(rep, sr);
    cli_flush_checked(rep->out); /* says at once, with the reason, when stdout is lost */
}

void report_note(t_reporter *rep, const char *note) {
    if (rep->format == T_FORMAT_TEXT)
        fprintf(rep->out, "%s\n", note);
    else if (rep->format == T_FORMAT_TAP)
        fprintf(rep->out, "# %s\n", note);
}

/* The coverage report for text or TAP output. */
static void coverage_text(t_reporter *rep) {
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (!mem) return;
    if (rep->cov_json) {
        json_t *cov = cov_json(rep->cov);
        if (cov && rep->cov_min >= 0) json_object_set_new(cov, "min", json_real(rep->cov_min));
        char *dumped = cov ? json_dumps(cov, JSON_COMPACT) : NULL;
        if (dumped) fprintf(mem, "%s\n", dumped);
        free(dumped);
        json_decref(cov);
    } else {
        cov_print_text(rep->cov, mem, rep->color && rep->format == T_FORMAT_TEXT);
    }
    fclose(mem);
    if (rep->format == T_FORMAT_TAP)
        print_indented(rep->out, "# ", text);
    else
        fputs(text ? text : "", rep->out);
    free(text);
}

void report_end(t_reporter *rep, const t_suite *runs, size_t n, const t_totals *t) {
    const style *st = rep->color ? &colored : &plain;
    if (rep->format == T_FORMAT_JSON) {
        json_end(rep, runs, n, t);
        cli_flush_checked(rep->out);
        return;
    }
    if (rep->cov) coverage_text(rep);
    FILE *out = rep->out;
    if (rep->format == T_FORMAT_TAP) {
        fprintf(out, "1..%zu\n# ", rep->tap_count);
    } else if (rep->cov) {
        fputc('\n', out);
    }
    if (t->broken)
        fprintf(out, "%s%zu suite%s did not load%s; ", st->red, t->broken,
                t->broken == 1 ? "" : "s", st->reset);
    text_counts(out, rep->format == T_FORMAT_TAP ? &plain : st, t->passed, t->failed, t->skipped);
    fprintf(out, " in %.2fs\n", t->seconds);
    cli_flush_checked(out);
}

/* ---- JUnit XML ------------------------------------------------------------------------------- */

/* Text escaped for XML; characters XML 1.0 cannot hold become U+FFFD. */
static void xml_text(FILE *out, const char *s) {
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&apos;", out); break;
        case '\n': fputs("&#10;", out); break;
        case '\t':
        case '\r': fputc((int)c, out); break;
        default:
            if (c < 0x20)
                fputs("\xEF\xBF\xBD", out);
            else
                fputc((int)c, out);
        }
    }
}

/* Element content keeps its newlines as they are. */
static void xml_content(FILE *out, const char *s) {
    for (; s && *s; s++) {
        if (*s == '\n')
            fputc('\n', out);
        else {
            char one[2] = {*s, '\0'};
            xml_text(out, one);
        }
    }
}

static void junit_attr(FILE *out, const char *name, const char *value) {
    fprintf(out, " %s=\"", name);
    xml_text(out, value);
    fputc('"', out);
}

bool report_junit(FILE *out, const t_suite *runs, size_t n, const t_totals *t) {
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
    fprintf(out,
            "<testsuites name=\"custos test\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
            "skipped=\"%zu\" time=\"%.3f\">\n",
            t->passed + t->failed + t->skipped + t->broken, t->failed, t->broken, t->skipped,
            t->seconds);
    for (size_t i = 0; i < n; i++) {
        const t_suite *sr = &runs[i];
        const t_suite *s = sr;
        bool broken = s->error_count > 0;
        fputs("  <testsuite", out);
        junit_attr(out, "name", s->name);
        junit_attr(out, "file", s->file);
        fprintf(out,
                " tests=\"%zu\" failures=\"%zu\" errors=\"%d\" skipped=\"%zu\" time=\"%.3f\">\n",
                broken ? 1 : sr->passed + sr->failed + sr->skipped, sr->failed, broken ? 1 : 0,
                sr->skipped, sr->seconds);
        if (broken) {
            sbuf b;
            sbuf_init(&b);
            for (size_t k = 0; k < s->error_count; k++) {
                error_text(&b, &s->errors[k]);
                sbuf_addc(&b, '\n');
            }
            fputs("    <testcase name=\"(suite did not load)\"", out);
            junit_attr(out, "classname", s->name);
            junit_attr(out, "file", s->file);
            fputs(">\n      <error", out);
            junit_attr(out, "message", s->errors[0].message);
            fputs(" type=\"load\">", out);
            xml_content(out, sbuf_str(&b));
            fputs("</error>\n    </testcase>\n", out);
            sbuf_free(&b);
        }
        for (size_t k = 0; k < sr->case_count; k++) {
            const t_case *res = &sr->cases[k];
            if (!was_run(res)) continue;
            fputs("    <testcase", out);
            junit_attr(out, "name", res->display);
            junit_attr(out, "classname", s->name);
            junit_attr(out, "file", s->file);
            fprintf(out, " line=\"%u\" time=\"%.6f\"", res->line, res->seconds);
            if (res->status == CUSTOS_CASE_PASSED) {
                fputs("/>\n", out);
                continue;
            }
            fputs(">\n", out);
            if (res->status == CUSTOS_CASE_SKIPPED) {
                fputs("      <skipped", out);
                junit_attr(out, "message", res->skip);
                fputs("/>\n", out);
            } else {
                char where[1024];
                case_where(where, sizeof where, res);
                fputs("      <failure", out);
                junit_attr(out, "message", res->mismatch_count ? res->mismatches[0] : "failed");
                fputs(" type=\"mismatch\">", out);
                xml_content(out, where);
                xml_content(out, "\n");
                for (size_t m = 0; m < res->mismatch_count; m++) {
                    xml_content(out, res->mismatches[m]);
                    xml_content(out, "\n");
                }
                if (res->expected) {
                    xml_content(out, "expected\n");
                    xml_content(out, res->expected);
                }
                if (res->actual) {
                    xml_content(out, "actual\n");
                    xml_content(out, res->actual);
                }
                fputs("</failure>\n", out);
            }
            fputs("    </testcase>\n", out);
        }
        fputs("  </testsuite>\n", out);
    }
    fputs("</testsuites>\n", out);
    int saved = 0;
    errno = 0;
    if (fflush(out) != 0) saved = errno ? errno : EIO; /* the reason, when the write says it */
    if (ferror(out) && !saved) saved = EIO;
    if (fclose(out) != 0 && !saved) saved = errno;
    if (saved) errno = saved;
    return saved == 0;
}
