/* suite_run.c — see suite_run.h. */
#include "suite_run.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

typedef struct engine_entry {
    char *key;
    custos_engine *eng;
    custos_policies *pol;
    custos_error err; /* why it did not open */
    bool failed, reported;
} engine_entry;

struct t_runner {
    engine_entry **engines; /* pointers: entries stay put while the array grows */
    size_t engine_count, engine_cap;
    custos_request *req;
    custos_decision *dec;
    t_text text;
    t_coverage *cov;
    bool keep_json;
};

t_runner *t_runner_new(t_coverage *cov, bool keep_json) {
    t_runner *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->cov = cov;
    r->keep_json = keep_json;
    t_text_init(&r->text);
    if (custos_request_new(&r->req) != CUSTOS_OK || custos_decision_new(&r->dec) != CUSTOS_OK) {
        t_runner_free(r);
        return NULL;
    }
    return r;
}

void t_runner_free(t_runner *r) {
    if (!r) return;
    for (size_t i = 0; i < r->engine_count; i++) {
        custos_policies_free(r->engines[i]->pol);
        custos_engine_close(r->engines[i]->eng);
        free(r->engines[i]->key);
        free(r->engines[i]);
    }
    free(r->engines);
    custos_request_free(r->req);
    custos_decision_free(r->dec);
    t_text_free(&r->text);
    free(r);
}

void t_suite_run_free(t_suite_run *sr) {
    for (size_t i = 0; i < sr->result_count; i++) {
        t_result *res = &sr->results[i];
        for (size_t k = 0; k < res->mismatch_count; k++) free(res->mismatches[k]);
        free(res->mismatches);
        free(res->expected);
        free(res->actual);
        free(res->decision_json);
    }
    free(sr->results);
    sr->results = NULL;
    sr->result_count = 0;
}

/* ---- engines --------------------------------------------------------------------------------- */

static custos_status open_engine(const t_setup *st, engine_entry *e) {
    custos_config *cfg = NULL;
    custos_status status = custos_config_new(&cfg);
    for (size_t i = 0; status == CUSTOS_OK && i < st->policy_count; i++)
        status = custos_config_add_policies(cfg, st->policies[i]);
    for (size_t i = 0; status == CUSTOS_OK && i < st->data_count; i++)
        status = custos_config_add_data(cfg, st->data[i]);
    for (size_t i = 0; status == CUSTOS_OK && i < st->mode_count; i++)
        status = custos_config_set_regime_mode(cfg, st->mode_regimes[i], st->modes[i]);
    if (status != CUSTOS_OK) {
        e->err.status = status;
        snprintf(e->err.message, sizeof e->err.message, "cannot configure the engine: %s",
                 custos_status_name(status));
    } else {
        status = custos_engine_open(cfg, &e->eng, &e->err);
        if (status == CUSTOS_OK) status = custos_engine_policies(e->eng, &e->pol);
        if (status != CUSTOS_OK && !e->err.message[0])
            snprintf(e->err.message, sizeof e->err.message, "%s", custos_status_name(status));
    }
    custos_config_free(cfg);
    return status;
}

/* The engine for a setup, opened on first use.  NULL when out of memory. */
static engine_entry *engine_for(t_runner *r, const t_setup *st) {
    for (size_t i = 0; i < r->engine_count; i++)
        if (strcmp(r->engines[i]->key, st->key) == 0) return r->engines[i];
    if (r->engine_count == r->engine_cap) {
        size_t cap = r->engine_cap ? r->engine_cap * 2 : 8;
        engine_entry **grown = realloc(r->engines, cap * sizeof *grown);
        if (!grown) return NULL;
        r->engines = grown;
        r->engine_cap = cap;
    }
    engine_entry *e = calloc(1, sizeof *e);
    if (!e) return NULL;
    if (!(e->key = xstrdup(st->key))) {
        free(e);
        return NULL;
    }
    r->engines[r->engine_count++] = e;
    e->failed = open_engine(st, e) != CUSTOS_OK;
    return e;
}

static bool regime_index(const custos_policies *p, const char *id, size_t *index) {
    for (size_t i = 0; i < custos_policies_regime_count(p); i++) {
        custos_regime_info info;
        if (custos_policies_regime(p, i, &info) == CUSTOS_OK && strcmp(info.id, id) == 0) {
            *index = i;
            return true;
        }
    }
    return false;
}

/* The regime bare article numbers refer to: the suite's own when loaded, else the only one. */
static const char *own_regime(const t_suite *s, const engine_entry *e) {
    size_t i;
    if (s->own_regime && regime_index(e->pol, s->own_regime, &i)) return s->own_regime;
    if (custos_policies_regime_count(e->pol) == 1) {
        custos_regime_info info;
        if (custos_policies_regime(e->pol, 0, &info) == CUSTOS_OK) return info.id;
    }
    return NULL;
}

/* ---- checking what a suite names against the policies ---------------------------------------- */

static void loaded_regimes(const custos_policies *p, sbuf *out) {
    for (size_t i = 0; i < custos_policies_regime_count(p); i++) {
        custos_regime_info info;
        if (custos_policies_regime(p, i, &info) == CUSTOS_OK)
            sbuf_printf(out, "%s%s", i ? ", " : "", info.id);
    }
}

static bool check_ref(t_suite *s, const engine_entry *e, const char *own, const t_ref *ref,
                      const char *what) {
    const char *regime = ref->regime ? ref->regime : own;
    if (!regime) {
        t_suite_error(s, tval_where(ref->at),
                      "%s: \"%s\" names no regime, and this suite's regime is not known (it is "
                      "not in <regime>/tests/ and its policies hold several regimes): write "
                      "\"REGIME/%s\"",
                      what, ref->article, ref->article);
        return false;
    }
    custos_article_info info;
    size_t index;
    if (!regime_index(e->pol, regime, &index)) {
        sbuf list;
        sbuf_init(&list);
        loaded_regimes(e->pol, &list);
        t_suite_error(s, tval_where(ref->at), "%s: regime \"%s\" is not loaded (loaded: %s)", what,
                      regime, sbuf_str(&list));
        sbuf_free(&list);
        return false;
    }
    if (custos_policies_find(e->pol, regime, ref->article, &info) != CUSTOS_OK) {
        t_suite_error(s, tval_where(ref->at), "%s: %s has no article \"%s\"", what, regime,
                      ref->article);
        return false;
    }
    if (!info.encoded) {
        t_suite_error(s, tval_where(ref->at),
                      "%s: %s art. %s is not encoded, so it is never among the reasons (%s)", what,
                      regime, ref->article, info.reason ? info.reason : "no module");
        return false;
    }
    return true;
}

static bool code_declared(const custos_policies *p, const char *code) {
    for (size_t i = 0; i < custos_policies_regime_count(p); i++) {
        custos_regime_info info;
        if (custos_policies_regime(p, i, &info) != CUSTOS_OK) continue;
        for (size_t k = 0; k < info.applies_message_count; k++)
            if (strcmp(info.applies_message_codes[k], code) == 0) return true;
        for (size_t j = 0; j < info.article_count; j++) {
            custos_article_info a;
            if (custos_policies_article(p, i, j, &a) != CUSTOS_OK || !a.encoded) continue;
            for (size_t k = 0; k < a.message_count; k++)
                if (strcmp(a.message_codes[k], code) == 0) return true;
        }
    }
    return false;
}

static bool check_case(t_suite *s, const engine_entry *e, const t_case *c) {
    const char *own = own_regime(s, e);
    bool ok = true;
    const t_expect *x = &c->expect;
    for (size_t i = 0; i < x->because_count; i++)
        ok = check_ref(s, e, own, &x->because[i], "expect.because") && ok;
    for (size_t i = 0; i < x->not_because_count; i++)
        ok = check_ref(s, e, own, &x->not_because[i], "expect.not_because") && ok;
    for (size_t i = 0; i < x->consulted_code_count; i++)
        if (!code_declared(e->pol, strchr(x->consulted_codes[i].code, ':')
                                       ? strchr(x->consulted_codes[i].code, ':') + 1
                                       : x->consulted_codes[i].code)) {
            t_suite_error(
                s, tval_where(x->consulted_codes[i].at),
                "expect.consulted_codes: no loaded article declares the message code \"%s\"",
                x->consulted_codes[i].code);
            ok = false;
        }
    for (size_t i = 0; i < x->code_count; i++)
        if (!code_declared(e->pol, x->codes[i].code)) {
            t_suite_error(s, tval_where(x->codes[i].at),
                          "expect.codes: no loaded article declares the message code \"%s\"",
                          x->codes[i].code);
            ok = false;
        }
    return ok;
}

/* ---- describing expectations and decisions --------------------------------------------------- */

static const char *str(const char *s) { return s ? s : ""; }

static void add_label(sbuf *b, const char *regime, const char *article) {
    if (!*str(regime) && !*str(article))
        sbuf_add(b, "(engine)");
    else if (!*str(article))
        sbuf_add(b, regime);
    else
        sbuf_printf(b, "%s art. %s", str(regime), article);
}

static void add_ref(sbuf *b, const char *own, const t_ref *ref) {
    add_label(b, ref->regime ? ref->regime : own, ref->article);
}

static void add_expected_obligation(sbuf *b, const t_obligation *ob) {
    sbuf_add(b, ob->id);
    for (size_t k = 0; k < ob->param_count; k++)
        sbuf_printf(b, " %s=%s", ob->keys[k], ob->values[k]);
}

static void add_obligation(sbuf *b, const custos_obligation *ob, bool where) {
    sbuf_add(b, str(ob->id));
    for (size_t k = 0; k < ob->param_count; k++)
        sbuf_printf(b, " %s=%s", str(ob->param_keys[k]), str(ob->param_values[k]));
    if (where) {
        sbuf_add(b, " (");
        add_label(b, ob->regime, ob->article);
        sbuf_add(b, ")");
    }
}

#define FIELD "  %-12s "
#define INDENT "               "

static char *describe_expect(const t_expect *x, const char *own) {
    sbuf b;
    sbuf_init(&b);
    if (x->has_decision) sbuf_printf(&b, FIELD "%s\n", "decision", custos_effect_name(x->decision));
    if (x->because_count) {
        sbuf_printf(&b, FIELD, "because");
        for (size_t i = 0; i < x->because_count; i++) {
            if (i) sbuf_add(&b, ", ");
            add_ref(&b, own, &x->because[i]);
        }
        sbuf_addc(&b, '\n');
    }
    if (x->not_because_count) {
        sbuf_printf(&b, FIELD, "not_because");
        for (size_t i = 0; i < x->not_because_count; i++) {
            if (i) sbuf_add(&b, ", ");
            add_ref(&b, own, &x->not_because[i]);
        }
        sbuf_addc(&b, '\n');
    }
    if (x->code_count) {
        sbuf_printf(&b, FIELD, "codes");
        for (size_t i = 0; i < x->code_count; i++)
            sbuf_printf(&b, "%s%s", i ? ", " : "", x->codes[i].code);
        sbuf_addc(&b, '\n');
    }
    if (x->has_obligations) {
        sbuf_printf(&b, FIELD, "obligations");
        if (!x->obligation_count) sbuf_add(&b, "(none)");
        for (size_t i = 0; i < x->obligation_count; i++) {
            if (i) sbuf_add(&b, "\n" INDENT);
            add_expected_obligation(&b, &x->obligations[i]);
        }
        sbuf_addc(&b, '\n');
    }
    if (x->error) sbuf_printf(&b, FIELD "an error containing \"%s\"\n", "error", x->error);
    return sbuf_take(&b);
}

static char *describe_decision(custos_decision *d) {
    sbuf b;
    sbuf_init(&b);
    sbuf_printf(&b, FIELD "%s\n", "decision", custos_effect_name(custos_decision_effect(d)));
    size_t n = custos_decision_reason_count(d);
    sbuf_printf(&b, FIELD, "reasons");
    if (!n) sbuf_add(&b, "(none)\n");
    for (size_t i = 0; i < n; i++) {
        custos_reason r;
        if (custos_decision_reason(d, i, &r) != CUSTOS_OK) continue;
        if (i) sbuf_add(&b, INDENT);
        add_label(&b, r.regime, r.article);
        sbuf_printf(&b, "  %s  %s\n", custos_effect_name(r.effect), str(r.code));
    }
    n = custos_decision_obligation_count(d);
    if (n) {
        sbuf_printf(&b, FIELD, "obligations");
        for (size_t i = 0; i < n; i++) {
            custos_obligation ob;
            if (custos_decision_obligation(d, i, &ob) != CUSTOS_OK) continue;
            if (i) sbuf_add(&b, INDENT);
            add_obligation(&b, &ob, true);
            sbuf_addc(&b, '\n');
        }
    }
    n = custos_decision_error_count(d);
    if (n) {
        sbuf_printf(&b, FIELD, "errors");
        for (size_t i = 0; i < n; i++) {
            custos_policy_error e;
            if (custos_decision_error(d, i, &e) != CUSTOS_OK) continue;
            if (i) sbuf_add(&b, INDENT);
            add_label(&b, e.regime, e.article);
            sbuf_printf(&b, ": %s\n", str(e.message));
        }
    }
    return sbuf_take(&b);
}

/* ---- checking a decision --------------------------------------------------------------------- */

typedef struct mismatches {
    char **items;
    size_t count, cap;
    bool failed;
} mismatches;

static void mismatch(mismatches *m, const char *fmt, ...) SUITE_PRINTF(2, 3);
static void mismatch(mismatches *m, const char *fmt, ...) {
    char line[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (m->count == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 4;
        char **grown = realloc(m->items, cap * sizeof *grown);
        if (!grown) {
            m->failed = true;
            return;
        }
        m->items = grown;
        m->cap = cap;
    }
    if (!(m->items[m->count] = xstrdup(line)))
        m->failed = true;
    else
        m->count++;
}

static bool among_reasons(custos_decision *d, const char *regime, const char *article,
                          custos_reason *found) {
    for (size_t i = 0; i < custos_decision_reason_count(d); i++) {
        custos_reason r;
        if (custos_decision_reason(d, i, &r) != CUSTOS_OK) continue;
        if (strcmp(str(r.regime), regime) == 0 && strcmp(str(r.article), article) == 0) {
            if (found) *found = r;
            return true;
        }
    }
    return false;
}

static bool obligation_matches(const custos_obligation *ob, const t_obligation *want) {
    if (strcmp(str(ob->id), want->id) != 0) return false;
    for (size_t k = 0; k < want->param_count; k++) {
        bool found = false;
        for (size_t j = 0; j < ob->param_count && !found; j++)
            found = strcmp(str(ob->param_keys[j]), want->keys[k]) == 0 &&
                    strcmp(str(ob->param_values[j]), want->values[k]) == 0;
        if (!found) return false;
    }
    return true;
}

static void actual_obligations(custos_decision *d, sbuf *b) {
    size_t n = custos_decision_obligation_count(d);
    if (!n) sbuf_add(b, "none");
    for (size_t i = 0; i < n; i++) {
        custos_obligation ob;
        if (custos_decision_obligation(d, i, &ob) != CUSTOS_OK) continue;
        if (i) sbuf_add(b, ", ");
        add_obligation(b, &ob, false);
    }
}

static void check_decision(const t_expect *x, const char *own, custos_decision *d, mismatches *m) {
    custos_effect effect = custos_decision_effect(d);
    if (x->has_decision && effect != x->decision)
        mismatch(m, "decision: expected %s, got %s", custos_effect_name(x->decision),
                 custos_effect_name(effect));
    for (size_t i = 0; i < x->because_count; i++) {
        const t_ref *ref = &x->because[i];
        const char *regime = ref->regime ? ref->regime : own;
        if (!among_reasons(d, str(regime), ref->article, NULL))
            mismatch(m, "because: expected %s art. %s among the reasons; it is not", str(regime),
                     ref->article);
    }
    for (size_t i = 0; i < x->not_because_count; i++) {
        const t_ref *ref = &x->not_because[i];
        const char *regime = ref->regime ? ref->regime : own;
        custos_reason r;
        if (among_reasons(d, str(regime), ref->article, &r))
            mismatch(m, "not_because: %s art. %s is among the reasons (%s, %s)", str(regime),
                     ref->article, custos_effect_name(r.effect), str(r.code));
    }
    for (size_t i = 0; i < x->code_count; i++) {
        bool found = false;
        sbuf got;
        sbuf_init(&got);
        for (size_t k = 0; k < custos_decision_reason_count(d); k++) {
            custos_reason r;
            if (custos_decision_reason(d, k, &r) != CUSTOS_OK) continue;
            if (strcmp(str(r.code), x->codes[i].code) == 0) found = true;
            sbuf_printf(&got, "%s%s", k ? ", " : "", str(r.code));
        }
        if (!found)
            mismatch(m, "codes: expected \"%s\" among the reasons' codes; got %s", x->codes[i].code,
                     got.len ? sbuf_str(&got) : "none");
        sbuf_free(&got);
    }
    for (size_t i = 0; i < x->consulted_code_count; i++) {
        /* "code", or "ARTICLE:code" / "regime/ARTICLE:code" for one article's verdict */
        const char *want = x->consulted_codes[i].code, *colon = strchr(want, ':');
        const char *code = colon ? colon + 1 : want;
        char article[128] = "", regime[128] = "";
        if (colon) {
            const char *slash = memchr(want, '/', (size_t)(colon - want));
            if (slash) snprintf(regime, sizeof regime, "%.*s", (int)(slash - want), want);
            const char *from = slash ? slash + 1 : want;
            snprintf(article, sizeof article, "%.*s", (int)(colon - from), from);
        }
        const char *in_regime = *regime ? regime : own;
        bool found = false;
        sbuf got;
        sbuf_init(&got);
        for (size_t k = 0; k < custos_decision_trace_count(d); k++) {
            custos_trace t;
            if (custos_decision_trace(d, k, &t) != CUSTOS_OK) continue;
            if (*article && (strcmp(str(t.article), article) != 0 ||
                             (in_regime && strcmp(str(t.regime), in_regime) != 0)))
                continue;
            if (strcmp(str(t.code), code) == 0) found = true;
            if (*str(t.code))
                sbuf_printf(&got, "%s%s:%s", got.len ? ", " : "", str(t.article), str(t.code));
        }
        if (!found)
            mismatch(m,
                     "consulted_codes: expected \"%s\" among the consulted articles' codes; got %s",
                     want, got.len ? sbuf_str(&got) : "none");
        sbuf_free(&got);
    }
    for (size_t i = 0; i < x->message_count; i++) {
        bool found = false;
        for (size_t k = 0; k < custos_decision_reason_count(d) && !found; k++) {
            custos_reason r;
            found = custos_decision_reason(d, k, &r) == CUSTOS_OK &&
                    (strcmp(str(r.message_zh), x->messages[i]) == 0 ||
                     strcmp(str(r.message_en), x->messages[i]) == 0);
        }
        if (!found) {
            custos_reason r;
            mismatch(m, "messages: expected a reason whose message is exactly \"%s\"; got %s",
                     x->messages[i],
                     custos_decision_reason(d, 0, &r) == CUSTOS_OK ? str(r.message_zh)
                                                                   : "no reason");
        }
    }
    if (x->has_obligations) {
        size_t n = custos_decision_obligation_count(d);
        sbuf got;
        sbuf_init(&got);
        actual_obligations(d, &got);
        if (!x->obligation_count && n)
            mismatch(m, "obligations: expected none; got %s", sbuf_str(&got));
        for (size_t i = 0; i < x->obligation_count; i++) {
            bool found = false;
            for (size_t k = 0; k < n && !found; k++) {
                custos_obligation ob;
                found = custos_decision_obligation(d, k, &ob) == CUSTOS_OK &&
                        obligation_matches(&ob, &x->obligations[i]);
            }
            if (!found) {
                sbuf want;
                sbuf_init(&want);
                add_expected_obligation(&want, &x->obligations[i]);
                mismatch(m, "obligations: expected %s; got %s", sbuf_str(&want), sbuf_str(&got));
                sbuf_free(&want);
            }
        }
        sbuf_free(&got);
    }
    /* Policy errors: expected ones must come; unexpected ones fail the case even when the
     * decision (deny, failing closed) is what was expected. */
    size_t n = custos_decision_error_count(d);
    bool matched = false;
    for (size_t i = 0; i < n && x->error && !matched; i++) {
        custos_policy_error e;
        matched = custos_decision_error(d, i, &e) == CUSTOS_OK && strstr(str(e.message), x->error);
    }
    if (x->error && !matched) {
        if (!n)
            mismatch(m, "error: expected an error containing \"%s\"; the decision has none",
                     x->error);
        else
            mismatch(m, "error: expected an error containing \"%s\"; the decision's errors differ",
                     x->error);
    }
    if (!x->error && n) {
        custos_policy_error e;
        if (custos_decision_error(d, 0, &e) == CUSTOS_OK)
            mismatch(m, "errors: a policy failed while deciding (the decision fails closed): %s%s",
                     str(e.message), n > 1 ? " (and more)" : "");
    }
}

/* The request could not be decided (it does not parse, or lacks context.time). */
static void check_input_error(const t_expect *x, const char *message, mismatches *m) {
    bool wants_decision = x->has_decision || x->because_count || x->not_because_count ||
                          x->code_count || x->has_obligations;
    if (x->error && !strstr(message, x->error))
        mismatch(m, "error: expected an error containing \"%s\"; got: %s", x->error, message);
    else if (!x->error)
        mismatch(m, "request: not a valid request, so no decision: %s", message);
    if (x->error && wants_decision)
        mismatch(m, "decision: expected a decision, but the request is an input error");
}

/* ---- running a case -------------------------------------------------------------------------- */

static void where_text(sbuf *b, tloc at) {
    if (at.file) sbuf_add(b, at.file);
    if (at.line) sbuf_printf(b, ":%u", at.line);
    if (at.line && at.col) sbuf_printf(b, ":%u", at.col);
}

/* Reads the case's request into r->req; on failure writes the located message into msg. */
static bool load_request(t_runner *r, const t_suite *s, const t_case *c, sbuf *msg) {
    if (!t_text_render(&r->text, c->request)) {
        sbuf_add(msg, "out of memory");
        return false;
    }
    custos_error err;
    memset(&err, 0, sizeof err);
    if (custos_request_parse(r->req, sbuf_str(&r->text.text), r->text.text.len, "request", &err) ==
        CUSTOS_OK)
        return true;
    const tval *origin = t_text_origin(&r->text, err.line);
    tloc at = origin ? tval_where(origin) : (tloc){NULL, 0, 0};
    if (!at.file) at = (tloc){s->file, c->line, 0};
    where_text(msg, at);
    sbuf_printf(msg, ": %s", err.message);
    return false;
}

static void run_case(t_runner *r, const t_suite *s, const engine_entry *e, const t_case *c,
                     t_result *res) {
    double start = clock_seconds();
    res->c = c;
    if (c->skip) {
        res->status = T_SKIP;
        return;
    }
    const char *own = own_regime(s, e);
    mismatches m = {NULL, 0, 0, false};
    sbuf input_error;
    sbuf_init(&input_error);
    bool decided = false;
    if (load_request(r, s, c, &input_error)) {
        custos_error err;
        memset(&err, 0, sizeof err);
        unsigned flags = r->cov ? CUSTOS_DECIDE_COVERAGE | CUSTOS_DECIDE_EXPLAIN : 0u;
        if (c->expect.consulted_code_count) flags |= CUSTOS_DECIDE_EXPLAIN;
        if (custos_decide(e->eng, r->req, flags, r->dec, &err) == CUSTOS_OK) {
            decided = true;
        } else {
            /* a mistyped field is found when deciding: point into the suite like a parse error */
            const tval *origin = err.line ? t_text_origin(&r->text, err.line) : NULL;
            where_text(&input_error, origin ? tval_where(origin) : (tloc){s->file, c->line, 0});
            sbuf_printf(&input_error, ": %s",
                        err.message[0] ? err.message : custos_status_name(err.status));
        }
    }
    if (decided) {
        check_decision(&c->expect, own, r->dec, &m);
        if (r->cov) {
            cov_record(r->cov, r->dec);
            const t_expect *x = &c->expect;
            for (size_t i = 0; i < x->because_count + x->not_because_count; i++) {
                const t_ref *ref =
                    i < x->because_count ? &x->because[i] : &x->not_because[i - x->because_count];
                cov_cite(r->cov, ref->regime ? ref->regime : str(own), ref->article);
            }
        }
    } else {
        check_input_error(&c->expect, sbuf_str(&input_error), &m);
    }
    res->status = m.count || m.failed ? T_FAIL : T_PASS;
    res->mismatches = m.items;
    res->mismatch_count = m.count;
    if (res->status == T_FAIL) {
        res->expected = describe_expect(&c->expect, own);
        if (decided) {
            res->actual = describe_decision(r->dec);
            const char *json = NULL;
            if (r->keep_json && custos_decision_json(r->dec, &json) == CUSTOS_OK)
                res->decision_json = xstrdup(json);
        } else {
            sbuf b;
            sbuf_init(&b);
            sbuf_printf(&b, FIELD "%s\n", "input error", sbuf_str(&input_error));
            res->actual = sbuf_take(&b);
        }
    }
    sbuf_free(&input_error);
    res->seconds = clock_seconds() - start;
}

/* ---- running a suite ------------------------------------------------------------------------- */

static bool case_selected(const t_suite *s, const t_case *c, const char *filter) {
    return !filter || strstr(c->display, filter) || strstr(s->name, filter) ||
           strstr(s->file, filter);
}

/* Records an engine that did not open: its own error once, then a note per suite. */
static void engine_failed(t_suite *s, engine_entry *e) {
    if (!e->reported) {
        e->reported = true;
        char *file = e->err.file[0] ? path_display(e->err.file) : NULL;
        t_suite_error(s, (tloc){file ? file : s->file, e->err.line, e->err.column}, "%s",
                      e->err.message);
        free(file);
    }
    t_suite_error(s, (tloc){s->file, 0, 0},
                  "the suite's policies or data did not load (the error is reported above)");
}

bool t_runner_run(t_runner *r, t_suite_run *sr, const char *filter) {
    t_suite *s = sr->suite;
    double start = clock_seconds();
    sr->selected = false;
    if (s->error_count) {
        sr->selected = true; /* a suite that did not load is always reported */
        return true;
    }
    size_t n = 0;
    for (size_t i = 0; i < s->case_count; i++) n += case_selected(s, &s->cases[i], filter);
    if (!n) {
        /* A suite without cases is still shown, unless --filter leaves it out. */
        sr->selected =
            !s->case_count && (!filter || strstr(s->name, filter) || strstr(s->file, filter));
        return true;
    }
    sr->selected = true;
    /* Engines first (the slow part, cached), then what the cases name, then the cases. */
    engine_entry **engines = calloc(s->case_count, sizeof *engines);
    if (!engines) return false;
    bool ok = true;
    for (size_t i = 0; i < s->case_count && ok; i++) {
        const t_case *c = &s->cases[i];
        if (!case_selected(s, c, filter)) continue;
        engines[i] = engine_for(r, c->setup);
        if (!engines[i]) {
            free(engines);
            return false;
        }
        if (engines[i]->failed) {
            engine_failed(s, engines[i]);
            ok = false;
        }
    }
    if (ok) {
        for (size_t i = 0; i < s->case_count; i++)
            if (engines[i] && !s->cases[i].skip) ok = check_case(s, engines[i], &s->cases[i]) && ok;
    }
    if (!ok) {
        free(engines);
        return true;
    }
    if (r->cov) {
        for (size_t i = 0; i < s->case_count; i++) {
            if (!engines[i] || (i && engines[i] == engines[i - 1])) continue;
            const char *own = own_regime(s, engines[i]);
            size_t index;
            if (own && regime_index(engines[i]->pol, own, &index)) {
                if (!cov_add_regime(r->cov, engines[i]->pol, index)) ok = false;
            } else {
                for (size_t k = 0; k < custos_policies_regime_count(engines[i]->pol); k++)
                    if (!cov_add_regime(r->cov, engines[i]->pol, k)) ok = false;
            }
        }
    }
    sr->results = calloc(n, sizeof *sr->results);
    if (!sr->results || !ok) {
        free(engines);
        return false;
    }
    for (size_t i = 0; i < s->case_count; i++) {
        if (!engines[i]) continue;
        t_result *res = &sr->results[sr->result_count++];
        run_case(r, s, engines[i], &s->cases[i], res);
        if (res->status == T_PASS)
            sr->passed++;
        else if (res->status == T_FAIL)
            sr->failed++;
        else
            sr->skipped++;
    }
    free(engines);
    sr->seconds = clock_seconds() - start;
    return true;
}
