/*
 * repl_explain.c — deciding the REPL's request and explaining it: :decide, :explain, :why,
 * :whynot ARTICLE, :cite ARTICLE|REGIME.  Decisions are rendered as `custos decide` prints
 * them (render.c); :why and :whynot read the last decision, deciding again first when the
 * request or the engine changed since.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli_common.h"
#include "repl_session.h"

static const char *str(const char *s) { return s ? s : ""; }

/* ---- deciding -------------------------------------------------------------------------- */

/* Decides the request; without a context.time, at the clock's time (in the local offset),
 * saying so, and the request keeps no time.  Fields the policies do not declare are named
 * (under --strict, refused). */
static int decide(repl_session *s, bool explain) {
    custos_error err;
    memset(&err, 0, sizeof err);
    s->have_last = false;
    size_t unknown = render_unknown_fields(s->eng, s->req, s->input_name ? s->input_name : NULL,
                                           s->input_name ? s->line_no : 0, s->strict);
    if (unknown && s->strict) return REPL_FAIL_INPUT;
    char when[128];
    bool at_now = !repl_request_time(s, when, sizeof when);
    if (at_now) {
        if (render_set_time_now(s->req, &err) != CUSTOS_OK) return repl_fail_lib(s, &err, 0);
        if (!repl_request_time(s, when, sizeof when)) snprintf(when, sizeof when, "now");
    }
    custos_status st =
        custos_decide(s->eng, s->req, explain ? CUSTOS_DECIDE_EXPLAIN : 0u, s->last, &err);
    if (at_now) {
        custos_request_unset(s->req, "context.time");
        repl_note(s, "decided as of now, %s (:as-of TIME decides at another time)", when);
    }
    if (st != CUSTOS_OK) return repl_fail_lib(s, &err, 0);
    s->have_last = true;
    s->last_explained = explain;
    s->last_version = s->req_version;
    s->last_generation = custos_engine_generation(s->eng);
    return 0;
}

/* Makes sure s->last is a decision on the current request and engine (explained when asked). */
static int current_decision(repl_session *s, bool explained) {
    if (s->have_last && s->last_version == s->req_version &&
        s->last_generation == custos_engine_generation(s->eng) && (s->last_explained || !explained))
        return 0;
    return decide(s, explained);
}

static int print_decision(repl_session *s, bool explain) {
    if (s->json) {
        const char *json = NULL;
        if (custos_decision_json(s->last, &json) != CUSTOS_OK)
            return repl_fail(s, REPL_FAIL_OTHER, "cannot render the decision (out of memory?)");
        printf("%s\n", json);
        return 0;
    }
    if (!render_decision(stdout, s->last, s->lang, explain))
        return repl_fail(s, REPL_FAIL_OTHER, "cannot render the decision (out of memory?)");
    return 0;
}

int repl_cmd_decide(repl_session *s, char *args) {
    if (*repl_trim(args)) return repl_fail(s, REPL_FAIL_INPUT, ":decide takes no argument");
    int rc = decide(s, false);
    return rc ? rc : print_decision(s, false);
}

int repl_cmd_explain(repl_session *s, char *args) {
    if (*repl_trim(args)) return repl_fail(s, REPL_FAIL_INPUT, ":explain takes no argument");
    int rc = decide(s, true);
    return rc ? rc : print_decision(s, true);
}

/* ---- :why ------------------------------------------------------------------------------ */

/* {"decision": ..., "reasons": [...], "errors": [...]} of the decision's JSON. */
static int print_why_json(repl_session *s) {
    const char *text = NULL;
    json_t *d = NULL, *why = NULL;
    char *out = NULL;
    if (custos_decision_json(s->last, &text) == CUSTOS_OK && (d = json_loads(text, 0, NULL)) &&
        (why = json_object())) {
        static const char *const keys[] = {"decision", "reasons", "errors"};
        for (size_t i = 0; i < 3; i++) {
            json_t *v = json_object_get(d, keys[i]);
            if (v) json_object_set(why, keys[i], v);
        }
        out = json_dumps(why, JSON_COMPACT);
    }
    json_decref(d);
    json_decref(why);
    if (!out) return repl_fail(s, REPL_FAIL_OTHER, "cannot render the decision (out of memory?)");
    printf("%s\n", out);
    free(out);
    return 0;
}

int repl_cmd_why(repl_session *s, char *args) {
    if (*repl_trim(args)) return repl_fail(s, REPL_FAIL_INPUT, ":why takes no argument");
    int rc = current_decision(s, false);
    if (rc) return rc;
    if (s->json) return print_why_json(s);
    const render_style *st = render_style_for(stdout);
    render_effect_line(stdout, st, custos_decision_effect(s->last));
    if (!render_reasons(stdout, st, s->lang, s->last) || !render_errors(stdout, st, s->last))
        return repl_fail(s, REPL_FAIL_OTHER, "cannot render the decision (out of memory?)");
    if (custos_decision_reason_count(s->last) == 0 && custos_decision_error_count(s->last) == 0)
        puts("  (:explain lists every article consulted and what each returned)");
    return 0;
}

/* ---- articles -------------------------------------------------------------------------- */

/* Finds a regime by id; its index in *index. */
static bool find_regime(const repl_session *s, const char *id, size_t len, size_t *index,
                        custos_regime_info *out) {
    size_t n = s->loaded ? custos_policies_regime_count(s->loaded) : 0;
    for (size_t i = 0; i < n; i++)
        if (custos_policies_regime(s->loaded, i, out) == CUSTOS_OK && strlen(out->id) == len &&
            memcmp(out->id, id, len) == 0) {
            *index = i;
            return true;
        }
    return false;
}

/* Resolves "REGIME/NUMBER", "REGIME NUMBER" or a bare "NUMBER" (when one regime has it) to an
 * article.  Prints why not and returns the failure code when it cannot. */
static int resolve_article(repl_session *s, char *ref, custos_article_info *out) {
    char *rest = ref;
    char *first = repl_next_word(&rest), *second = repl_next_word(&rest);
    if (!*first || *repl_trim(rest))
        return repl_fail(s, REPL_FAIL_INPUT, "expected an article: REGIME/NUMBER, like gz-2012/11");
    const char *regime = NULL, *number = first;
    size_t regime_len = 0;
    char *slash = strchr(first, '/');
    if (slash) {
        regime = first;
        regime_len = (size_t)(slash - first);
        number = slash + 1;
        if (*second) return repl_fail(s, REPL_FAIL_INPUT, "expected one article, got more");
    } else if (*second) {
        regime = first;
        regime_len = strlen(first);
        number = second;
    }
    if (!strncmp(number, "art.", 4)) number += 4; /* "art.11", as decisions print them */
    if (!*number) return repl_fail(s, REPL_FAIL_INPUT, "expected an article number after '/'");
    custos_regime_info r;
    size_t ri;
    if (regime) {
        char id[256], hint[160] = "";
        snprintf(id, sizeof id, "%.*s", (int)regime_len, regime);
        if (!find_regime(s, regime, regime_len, &ri, &r)) {
            if (s->loaded)
                cli_did_you_mean(hint, sizeof hint, "", cli_nearest_regime(s->loaded, id));
            return repl_fail(s, REPL_FAIL_OTHER,
                             "no regime '%.*s' is loaded%s (:cite REGIME lists "
                             "one's articles; TAB completes)",
                             (int)regime_len, regime, hint);
        }
        if (custos_policies_find(s->loaded, id, number, out) != CUSTOS_OK) {
            char near[300];
            const char *n = cli_nearest_article(s->loaded, id, number);
            if (n) snprintf(near, sizeof near, "%s/%s", id, n);
            cli_did_you_mean(hint, sizeof hint, "", n ? near : NULL);
            return repl_fail(s, REPL_FAIL_OTHER, "%s has no article %s%s (:cite %s lists them)", id,
                             number, hint, id);
        }
        return 0;
    }
    size_t found = 0, n = s->loaded ? custos_policies_regime_count(s->loaded) : 0;
    char which[512] = "";
    for (size_t i = 0; i < n; i++) {
        custos_article_info a;
        if (custos_policies_regime(s->loaded, i, &r) != CUSTOS_OK ||
            custos_policies_find(s->loaded, r.id, number, &a) != CUSTOS_OK)
            continue;
        if (found++ == 0) *out = a;
        size_t used = strlen(which);
        snprintf(which + used, sizeof which - used, "%s%s/%s", used ? ", " : "", r.id, number);
    }
    if (found == 1) return 0;
    if (found == 0) {
        char hint[160] = ""; /* a misspelt regime id (":cite gz2012") */
        if (s->loaded)
            cli_did_you_mean(hint, sizeof hint, "", cli_nearest_regime(s->loaded, number));
        return repl_fail(s, REPL_FAIL_OTHER, "no loaded regime has an article %s%s", number, hint);
    }
    return repl_fail(s, REPL_FAIL_INPUT, "article %s is ambiguous: %s", number, which);
}

/* "gz-2012 art. 11  受委托资料的用途限制 / Purpose limitation of entrusted data". */
static void print_article_heading(repl_session *s, const char *regime, const char *number,
                                  const char *title_zh, const char *title_en) {
    const render_style *st = render_style_for(stdout);
    char label[256];
    const char *zh = s->lang.zh ? str(title_zh) : "", *en = s->lang.en ? str(title_en) : "";
    printf("%s%s%s  %s%s%s\n", st->bold, render_article_label(label, sizeof label, regime, number),
           st->reset, zh, (*zh && *en) ? " / " : "", en);
}

/* What the request's context.time is, for messages ("" when unset). */
static void request_time(repl_session *s, char *buf, size_t size) {
    const char *text = NULL;
    json_t *o = NULL;
    buf[0] = '\0';
    if (custos_request_json(s->req, &text) == CUSTOS_OK && (o = json_loads(text, 0, NULL))) {
        const char *t = json_string_value(json_object_get(json_object_get(o, "context"), "time"));
        if (t) snprintf(buf, size, "%s", t);
    }
    json_decref(o);
}

/* Why the article's regime was not consulted, from the decision's regimes and the mode. */
static void explain_not_consulted(repl_session *s, const custos_article_info *a) {
    custos_regime_info r;
    size_t ri;
    char when[64];
    request_time(s, when, sizeof when);
    if (!find_regime(s, a->regime, strlen(a->regime), &ri, &r)) {
        puts("  not consulted");
        return;
    }
    if (r.mode == CUSTOS_REGIME_SKIPPED) {
        printf("  not consulted: regime %s is skipped (--regime-mode %s=skipped)\n", r.id, r.id);
        return;
    }
    for (size_t i = 0; i < custos_decision_regime_count(s->last); i++) {
        custos_regime_status rs;
        if (custos_decision_regime(s->last, i, &rs) != CUSTOS_OK || strcmp(rs.id, r.id) != 0)
            continue;
        if (!rs.applies) {
            printf("  not consulted: regime %s does not apply to this request (its applies; the\n"
                   "  code and message are in the trace, under article applies)\n",
                   r.id);
            return;
        }
        if (!rs.in_force_known && r.mode == CUSTOS_REGIME_IN_FORCE) {
            printf("  not consulted: regime %s binds only while in force, and its validity is\n"
                   "  unknown (effective %s, expires %s) (--regime-mode %s=in-force)\n",
                   r.id, str(r.effective), r.expires ? r.expires : "-", r.id);
            return;
        }
        if (!rs.in_force && r.mode == CUSTOS_REGIME_IN_FORCE) {
            printf("  not consulted: regime %s binds only while in force (%s to %s), and the\n"
                   "  request's time %s is outside that window (--regime-mode %s=in-force)\n",
                   r.id, str(r.effective), r.expires ? r.expires : "-", when, r.id);
            return;
        }
    }
    puts("  not consulted: the decision stopped before reaching it (see its errors: :why)");
}

int repl_cmd_whynot(repl_session *s, char *args) {
    custos_article_info a;
    int rc = resolve_article(s, args, &a);
    if (rc) return rc;
    print_article_heading(s, a.regime, a.number, a.title_zh, a.title_en);
    if (!a.encoded) {
        printf("  not consulted: the article is not encoded as a policy\n  reason: %s\n",
               str(a.reason));
        return 0;
    }
    if ((rc = current_decision(s, true))) return rc;
    for (size_t i = 0; i < custos_decision_trace_count(s->last); i++) {
        custos_trace t;
        if (custos_decision_trace(s->last, i, &t) != CUSTOS_OK)
            return repl_fail(s, REPL_FAIL_OTHER, "cannot read the decision (out of memory?)");
        if (strcmp(str(t.regime), a.regime) != 0 || strcmp(str(t.article), a.number) != 0) continue;
        const char *what;
        if (t.failed)
            what = "it failed while deciding, and a failure makes the decision deny";
        else if (!t.applied)
            what = "it did not apply: it neither permits nor denies this request";
        else if (t.effect == CUSTOS_PERMIT)
            what = "it applied and permits; it does not deny";
        else
            what = "it applied and denies; it does not permit";
        printf("  %s\n", what);
        char label[256];
        const render_style *st = render_style_for(stdout);
        render_trace_entry(stdout, st, s->lang, &t,
                           strlen(render_article_label(label, sizeof label, t.regime, t.article)));
        return 0;
    }
    explain_not_consulted(s, &a);
    return 0;
}

static int compare_strings(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* ---- :cite ----------------------------------------------------------------------------- */

/* Prints text after a 2-space "zh  " label, later lines indented under the first. */
static void print_text_block(const render_style *st, const char *lang, const char *text) {
    printf("  %s%s%s  ", st->dim, lang, st->reset);
    for (const char *p = text; *p; p++) {
        putchar(*p);
        if (*p == '\n' && p[1]) fputs("      ", stdout);
    }
    if (!*text || text[strlen(text) - 1] != '\n') putchar('\n');
}

static void cite_regime(repl_session *s, size_t ri, const custos_regime_info *r) {
    const render_style *st = render_style_for(stdout);
    static const char *const modes[] = {"adopted (binds at any time)",
                                        "in-force (binds only inside its validity window)",
                                        "skipped"};
    printf("%s%s%s  %s\n", st->bold, r->id, st->reset, str(r->document));
    if (s->lang.zh && r->title_zh) printf("  %s\n", r->title_zh);
    if (s->lang.en && r->title_en) printf("  %s\n", r->title_en);
    printf("  issued %s, effective %s, %s%s\n", str(r->issued), str(r->effective),
           r->expires ? "last day in force " : "no expiry", r->expires ? r->expires : "");
    printf("  mode %s\n", r->mode <= CUSTOS_REGIME_SKIPPED ? modes[r->mode] : "?");
    size_t encoded = 0;
    for (size_t j = 0; j < r->article_count; j++) {
        custos_article_info a;
        if (custos_policies_article(s->loaded, ri, j, &a) == CUSTOS_OK && a.encoded) encoded++;
    }
    printf("\n%sArticles%s (%zu, %zu encoded)\n", st->bold, st->reset, r->article_count, encoded);
    for (size_t j = 0; j < r->article_count; j++) {
        custos_article_info a;
        if (custos_policies_article(s->loaded, ri, j, &a) != CUSTOS_OK) continue;
        char ref[128];
        snprintf(ref, sizeof ref, "%s/%s", a.regime, a.number);
        fputs("  ", stdout);
        cli_print_padded(stdout, ref, strlen(r->id) + 4);
        printf("  %-11s  ", a.encoded ? "encoded" : "not encoded");
        const char *zh = s->lang.zh ? str(a.title_zh) : "", *en = s->lang.en ? str(a.title_en) : "";
        printf("%s%s%s\n", zh, (*zh && *en) ? " / " : "", en);
    }
}

int repl_cmd_cite(repl_session *s, char *args) {
    char *ref = repl_trim(args);
    custos_regime_info r;
    size_t ri;
    if (*ref && !strpbrk(ref, "/ \t") && find_regime(s, ref, strlen(ref), &ri, &r)) {
        cite_regime(s, ri, &r);
        return 0;
    }
    custos_article_info a;
    int rc = resolve_article(s, ref, &a);
    if (rc) return rc;
    const render_style *st = render_style_for(stdout);
    print_article_heading(s, a.regime, a.number, a.title_zh, a.title_en);
    if (!a.encoded) {
        printf("  not encoded: %s\n", str(a.reason));
        return 0;
    }
    printf("  %s\n\n", str(a.citation));
    if (s->lang.zh && a.text_zh) print_text_block(st, "zh", a.text_zh);
    if (s->lang.en && a.text_en) print_text_block(st, "en", a.text_en);
    printf("\n  %smodule%s    %s", st->dim, st->reset, str(a.module));
    if (a.rule_line > 0) printf(" (rule at line %d)", a.rule_line);
    putchar('\n');
    if (a.message_count) { /* sorted: the module's table has no order */
        const char **codes = malloc(a.message_count * sizeof *codes);
        if (!codes) return repl_fail(s, REPL_FAIL_OTHER, "out of memory");
        memcpy(codes, a.message_codes, a.message_count * sizeof *codes);
        qsort(codes, a.message_count, sizeof *codes, compare_strings);
        printf("  %smessages%s  ", st->dim, st->reset);
        for (size_t i = 0; i < a.message_count; i++) printf("%s%s", i ? ", " : "", codes[i]);
        putchar('\n');
        free(codes);
    }
    return 0;
}
