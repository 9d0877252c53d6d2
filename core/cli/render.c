/* render.c — see render.h.  (Moved from cmd_decide.c; the output is unchanged.) */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* localtime_r, gmtime_r */
#endif
#include "render.h"

#include "cli_common.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const render_style plain_style = {"", "", "", "", "", ""};
static const render_style color_style = {"\033[1m",    "\033[2m",    "\033[1;31m",
                                         "\033[1;32m", "\033[1;33m", "\033[0m"};

const render_style *render_style_for(FILE *out) {
    return cli_use_color(out) ? &color_style : &plain_style;
}

static const char *str(const char *s) { return s ? s : ""; }

const char *render_effect_label(custos_effect e) {
    switch (e) {
    case CUSTOS_PERMIT: return "permit";
    case CUSTOS_DENY: return "deny";
    case CUSTOS_NOT_APPLICABLE: return "not applicable";
    }
    return "unknown";
}

const char *render_article_label(char *buf, size_t size, const char *regime, const char *article) {
    if (!*str(regime) && !*str(article))
        snprintf(buf, size, "(engine)");
    else if (!*str(article))
        snprintf(buf, size, "%s", str(regime));
    else
        snprintf(buf, size, "%s art. %s", str(regime), str(article));
    return buf;
}

/* The wider of width and the display width of the label of (regime, article). */
static size_t widen_for_label(size_t width, const char *regime, const char *article) {
    char label[256];
    size_t w = cli_display_width(render_article_label(label, sizeof label, regime, article));
    return w > width ? w : width;
}

static size_t max_size(size_t a, size_t b) { return a > b ? a : b; }

static void print_heading(FILE *out, const render_style *s, const char *title) {
    fprintf(out, "\n%s%s%s\n", s->bold, title, s->reset);
}

void render_messages(FILE *out, const render_style *s, render_langs lang, const char *zh,
                     const char *en) {
    if (lang.zh && *str(zh)) fprintf(out, "      %szh%s  %s\n", s->dim, s->reset, zh);
    if (lang.en && *str(en)) fprintf(out, "      %sen%s  %s\n", s->dim, s->reset, en);
}

/* Reasons: label, effect, citation; then the title and the messages. */
bool render_reasons(FILE *out, const render_style *s, render_langs lang, custos_decision *d) {
    size_t n = custos_decision_reason_count(d), label_w = 0;
    char label[256];
    if (!n) return true;
    for (size_t i = 0; i < n; i++) {
        custos_reason r;
        if (custos_decision_reason(d, i, &r) != CUSTOS_OK) return false;
        label_w = widen_for_label(label_w, r.regime, r.article);
    }
    print_heading(out, s, "Reasons");
    for (size_t i = 0; i < n; i++) {
        custos_reason r;
        if (custos_decision_reason(d, i, &r) != CUSTOS_OK) return false;
        fputs("  ", out);
        cli_print_padded(out, render_article_label(label, sizeof label, r.regime, r.article),
                         label_w);
        const char *color = r.effect == CUSTOS_DENY ? s->red : s->green;
        fprintf(out, "  %s%-6s%s  %s\n", color, render_effect_label(r.effect), s->reset,
                str(r.citation));
        const char *zh = lang.zh ? str(r.title_zh) : "", *en = lang.en ? str(r.title_en) : "";
        if (*zh || *en) fprintf(out, "      %s%s%s\n", zh, (*zh && *en) ? " / " : "", en);
        render_messages(out, s, lang, r.message_zh, r.message_en);
    }
    return true;
}

/* Obligations: id, the article that imposed it, its params as key=value. */
static bool print_obligations(FILE *out, const render_style *s, const custos_decision *d) {
    size_t n = custos_decision_obligation_count(d), id_w = 0, label_w = 0;
    char label[256];
    if (!n) return true;
    for (size_t i = 0; i < n; i++) {
        custos_obligation ob;
        if (custos_decision_obligation(d, i, &ob) != CUSTOS_OK) return false;
        id_w = max_size(id_w, cli_display_width(str(ob.id)));
        label_w = widen_for_label(label_w, ob.regime, ob.article);
    }
    print_heading(out, s, "Obligations");
    for (size_t i = 0; i < n; i++) {
        custos_obligation ob;
        if (custos_decision_obligation(d, i, &ob) != CUSTOS_OK) return false;
        fputs("  ", out);
        cli_print_padded(out, str(ob.id), id_w);
        fputs("  ", out);
        render_article_label(label, sizeof label, ob.regime, ob.article);
        if (ob.param_count)
            cli_print_padded(out, label, label_w);
        else
            fputs(label, out);
        for (size_t k = 0; k < ob.param_count; k++)
            fprintf(out, "%s%s=%s", k ? " " : "  ", str(ob.param_keys[k]), str(ob.param_values[k]));
        fputc('\n', out);
    }
    return true;
}

/* Whether a regime was in force at the request's time, in words. */
static const char *validity_words(const custos_regime_status *r) {
    if (!r->in_force_known) return "validity unknown";
    return r->in_force ? "in force" : "not in force";
}

/* Regimes: whether each was in force at the request's time and whether it bound. */
static bool print_regimes(FILE *out, const render_style *s, const custos_decision *d) {
    size_t n = custos_decision_regime_count(d), id_w = 0, validity_w = strlen("not in force");
    if (!n) return true;
    for (size_t i = 0; i < n; i++) {
        custos_regime_status r;
        if (custos_decision_regime(d, i, &r) != CUSTOS_OK) return false;
        id_w = max_size(id_w, cli_display_width(str(r.id)));
        validity_w = max_size(validity_w, strlen(validity_words(&r)));
    }
    print_heading(out, s, "Regimes");
    for (size_t i = 0; i < n; i++) {
        custos_regime_status r;
        if (custos_decision_regime(d, i, &r) != CUSTOS_OK) return false;
        fputs("  ", out);
        cli_print_padded(out, str(r.id), id_w);
        fprintf(out, "  %-*s  %s%s\n", (int)validity_w, validity_words(&r),
                r.adopted ? "adopted" : "not adopted", r.applies ? "" : "  does not apply");
    }
    return true;
}

/* Errors inside policies (each one made the decision deny). */
bool render_errors(FILE *out, const render_style *s, const custos_decision *d) {
    size_t n = custos_decision_error_count(d), label_w = 0;
    char label[256];
    if (!n) return true;
    for (size_t i = 0; i < n; i++) {
        custos_policy_error e;
        if (custos_decision_error(d, i, &e) != CUSTOS_OK) return false;
        label_w = widen_for_label(label_w, e.regime, e.article);
    }
    print_heading(out, s, "Errors");
    for (size_t i = 0; i < n; i++) {
        custos_policy_error e;
        if (custos_decision_error(d, i, &e) != CUSTOS_OK) return false;
        fputs("  ", out);
        cli_print_padded(out, render_article_label(label, sizeof label, e.regime, e.article),
                         label_w);
        fprintf(out, "  %s%s%s\n", s->red, str(e.message), s->reset);
    }
    return true;
}

void render_trace_entry(FILE *out, const render_style *s, render_langs lang, const custos_trace *t,
                        size_t label_width) {
    char label[256];
    const char *verdict = t->failed ? "error" : render_effect_label(t->effect);
    const char *color = t->failed || (t->applied && t->effect == CUSTOS_DENY) ? s->red
                        : t->applied                                          ? s->green
                                                                              : s->dim;
    fputs("  ", out);
    cli_print_padded(out, render_article_label(label, sizeof label, t->regime, t->article),
                     label_width);
    fprintf(out, "  %-11s  %s%-14s%s", t->applied ? "applied" : "not applied", color, verdict,
            s->reset);
    if (*str(t->code)) fprintf(out, "  %s", t->code);
    fputc('\n', out);
    if (t->failed) /* the error is one message, the same in both languages */
        fprintf(out, "      %s\n", *str(t->message_en) ? t->message_en : str(t->message_zh));
    else
        render_messages(out, s, lang, t->message_zh, t->message_en);
}

/* Every article consulted, whether it applied, its verdict and message. */
bool render_trace(FILE *out, const render_style *s, render_langs lang, custos_decision *d) {
    size_t n = custos_decision_trace_count(d), label_w = 0;
    print_heading(out, s, "Articles consulted");
    if (!n) {
        fputs("  (none)\n", out);
        return true;
    }
    for (size_t i = 0; i < n; i++) {
        custos_trace t;
        if (custos_decision_trace(d, i, &t) != CUSTOS_OK) return false;
        label_w = widen_for_label(label_w, t.regime, t.article);
    }
    for (size_t i = 0; i < n; i++) {
        custos_trace t;
        if (custos_decision_trace(d, i, &t) != CUSTOS_OK) return false;
        render_trace_entry(out, s, lang, &t, label_w);
    }
    return true;
}

void render_effect_line(FILE *out, const render_style *s, custos_effect effect) {
    switch (effect) {
    case CUSTOS_PERMIT: fprintf(out, "%sPERMIT%s\n", s->green, s->reset); break;
    case CUSTOS_DENY: fprintf(out, "%sDENY%s\n", s->red, s->reset); break;
    case CUSTOS_NOT_APPLICABLE:
        fprintf(out, "%sNOT APPLICABLE%s\n", s->yellow, s->reset);
        fputs("  no article applied; the host's own default decides\n", out);
        break;
    }
}

bool render_decision(FILE *out, custos_decision *d, render_langs lang, bool explain) {
    const render_style *s = render_style_for(out);
    render_effect_line(out, s, custos_decision_effect(d));
    return render_reasons(out, s, lang, d) && print_obligations(out, s, d) &&
           print_regimes(out, s, d) && render_errors(out, s, d) &&
           (!explain || render_trace(out, s, lang, d));
}

/* ---- JSON, time, unknown fields (shared by decide and the REPL) ------------------------------ */

bool render_json(FILE *out, const char *json, bool pretty) {
    if (!pretty) return fprintf(out, "%s\n", json) >= 0;
    json_error_t error;
    json_t *v = json_loads(json, 0, &error);
    char *text = v ? json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    json_decref(v);
    if (!text) return false;
    bool ok = fprintf(out, "%s\n", text) >= 0;
    free(text);
    return ok;
}

bool render_local_offset(time_t t, int *offset_minutes) {
    struct tm local, utc;
    if (t == (time_t)-1 || !localtime_r(&t, &local) || !gmtime_r(&t, &utc)) return false;
    long days = local.tm_year != utc.tm_year ? (local.tm_year > utc.tm_year ? 1 : -1)
                                             : local.tm_yday - utc.tm_yday;
    long offset = days * 1440 + (local.tm_hour - utc.tm_hour) * 60L + (local.tm_min - utc.tm_min);
    *offset_minutes = (int)offset;
    return true;
}

custos_status render_set_time_now(custos_request *req, custos_error *err) {
    time_t t = time(NULL);
    int offset = 0;
    if (!render_local_offset(t, &offset)) {
        memset(err, 0, sizeof *err);
        err->status = CUSTOS_E_INTERNAL;
        snprintf(err->message, sizeof err->message, "cannot read the clock");
        return CUSTOS_E_INTERNAL;
    }
    return custos_request_set_time(req, t, offset, err);
}

typedef struct unknown_printer {
    const char *name;
    unsigned long line_no; /* a batch's line, else 0 */
    bool strict;
} unknown_printer;

static bool print_unknown(void *user, const char *path, const char *nearest, unsigned line,
                          unsigned column) {
    const unknown_printer *p = user;
    char hint[300] = "";
    if (nearest) snprintf(hint, sizeof hint, "; did you mean %s?", nearest);
    const char *kind = p->strict ? "" : "warning: ";
    const char *tail = p->strict ? "" : " (it is ignored; --strict refuses it)";
    if (p->line_no)
        cli_error_at(p->name, (unsigned)p->line_no, column, "%s%s is not a declared field%s%s",
                     kind, path, hint, tail);
    else
        cli_error_at(line ? p->name : NULL, line, column, "%s%s is not a declared field%s%s", kind,
                     path, hint, tail);
    return true;
}

size_t render_unknown_fields(custos_engine *eng, const custos_request *req, const char *name,
                             unsigned long line_no, bool strict) {
    unknown_printer p = {name, line_no, strict};
    size_t count = 0;
    if (custos_engine_unknown_fields(eng, req, print_unknown, &p, &count, NULL) != CUSTOS_OK)
        return 0;
    return count;
}
