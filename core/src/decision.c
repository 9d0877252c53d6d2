/*
 * decision.c — custos_decision: recording verdicts (the evaluator's side, decision.h), combining
 * them, and reading them back (the accessors and the JSON form in custos.h).
 *
 * Memory: everything a decision records lives in its arena, which decision_reset empties but
 * keeps, so a reused decision makes no malloc call once warm.  Messages are rendered from the
 * article's templates only when first read, and the JSON text (json_out) only when asked
 * for; both are cached until the next reset.
 *
 * Fail closed: a decision that was reset but never finished reads as CUSTOS_DENY, and so does a
 * NULL decision, so a host that skips a status check never sees permit by accident.
 */
#include "decision.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json_out.h"
#include "utf8.h"

#define DECISION_ARENA_CHUNK 8192

/* Shared by every string a decision cannot find (no bundle, an index out of range). */
static const char empty_string[] = "";
/* What a parameterless obligation's key and value views point at: valid, never read. */
static const char *const no_params[1] = {NULL};

/* ---- life cycle ------------------------------------------------------------------------- */

/* Creates an empty decision (no bundle, reading as deny until a decision is finished). */
custos_status custos_decision_new(custos_decision **out) {
    if (!out) return CUSTOS_E_ARGUMENT;
    custos_decision *d = calloc(1, sizeof *d);
    *out = d;
    if (!d) return CUSTOS_E_NOMEM;
    arena_init(&d->mem, DECISION_ARENA_CHUNK);
    d->effect = CUSTOS_DENY;
    return CUSTOS_OK;
}

/* Frees the cached JSON text (json_out's, from malloc). */
static void decision_drop_json(custos_decision *d) {
    free(d->json);
    d->json = NULL;
}

/* Releases d, its memory and its bundle reference; NULL is a no-op. */
void custos_decision_free(custos_decision *d) {
    if (!d) return;
    decision_drop_json(d);
    arena_free(&d->mem);
    bundle_unref(d->bundle);
    free(d);
}

/* Empties d for a new decision on b, keeping the arena's chunks; swaps bundle references only
 * when the bundle changes, so the steady state touches no shared counter. */
void decision_reset(custos_decision *d, bundle *b, bool explain) {
    if (!d) return;
    arena_reset(&d->mem);
    if (d->bundle != b) {
        bundle *old = d->bundle;
        d->bundle = bundle_ref_take(b);
        bundle_unref(old);
    }
    decision_drop_json(d);
    d->effect = CUSTOS_DENY; /* until decision_finish says otherwise */
    d->explained = explain;
    d->verdicts = NULL;
    d->verdict_count = d->verdict_cap = 0;
    d->reasons = NULL;
    d->reason_count = 0;
    d->errors = NULL;
    d->error_count = 0;
    d->obligations = NULL;
    d->obligation_count = d->obligation_cap = 0;
    d->regimes = NULL;
    d->regime_count = d->regime_cap = 0;
    d->lines = NULL;
    d->line_count = d->line_cap = 0;
    d->line_set = NULL;
    d->line_slots = 0;
    d->out_of_memory = false;
    /* One verdict per article is the usual case: size the arrays once instead of doubling
     * through the arena.  A failure here is harmless; the add_* calls grow on demand. */
    if (b && b->article_count) {
        d->verdicts =
            arena_grow(&d->mem, NULL, 0, &d->verdict_cap, b->article_count, sizeof *d->verdicts);
        if (!d->verdicts) d->verdict_cap = 0;
    }
    if (b && b->regime_count) {
        d->regimes =
            arena_grow(&d->mem, NULL, 0, &d->regime_cap, b->regime_count, sizeof *d->regimes);
        if (!d->regimes) d->regime_cap = 0;
    }
}

/* ---- recording (the evaluator's side) --------------------------------------------------- */

/* Appends a zeroed verdict for article with this effect and no message; NULL when out of
 * memory. */
decision_verdict *decision_add_verdict(custos_decision *d, size_t article, custos_effect effect) {
    if (!d) return NULL;
    /* decision_reset sized the array for one verdict per article: it rarely grows */
    decision_verdict *items =
        d->verdict_count < d->verdict_cap
            ? d->verdicts
            : arena_grow(&d->mem, d->verdicts, d->verdict_count, &d->verdict_cap,
                         d->verdict_count + 1, sizeof *items);
    if (!items) return NULL;
    d->verdicts = items;
    decision_verdict *v = &items[d->verdict_count++];
    memset(v, 0, sizeof *v);
    v->article = article;
    v->effect = effect;
    v->message = SIZE_MAX;
    return v;
}

/* Records a failed verdict (which denies) for article, copying message. */
custos_status decision_add_error(custos_decision *d, size_t article, const char *message) {
    if (!d) return CUSTOS_E_ARGUMENT;
    char *copy = arena_strdup(&d->mem, message ? message : "");
    decision_verdict *v = copy ? decision_add_verdict(d, article, CUSTOS_DENY) : NULL;
    if (!v) {
        d->out_of_memory = true; /* the failure is not lost: the decision still denies */
        return CUSTOS_E_NOMEM;
    }
    v->failed = true;
    v->error = copy;
    return CUSTOS_OK;
}

/* Appends an obligation of article with a copy of id (id_len bytes); NULL when out of memory. */
decision_obligation *decision_add_obligation(custos_decision *d, size_t article, const char *id,
                                             size_t id_len) {
    if (!d || (!id && id_len)) return NULL;
    char *id_copy = arena_strndup(&d->mem, id, id_len);
    if (!id_copy) return NULL;
    decision_obligation *items =
        arena_grow(&d->mem, d->obligations, d->obligation_count, &d->obligation_cap,
                   d->obligation_count + 1, sizeof *items);
    if (!items) return NULL;
    d->obligations = items;
    decision_obligation *o = &items[d->obligation_count++];
    memset(o, 0, sizeof *o);
    o->article = article;
    o->id = id_copy;
    return o;
}

/* The capacity arena_grow gave a params array of `count` items: params arrays carry no
 * capacity field, so it is implied by the doubling-from-4 growth that built them. */
static size_t param_capacity(size_t count) {
    if (count == 0) return 0;
    size_t cap = 4;
    while (cap < count) cap *= 2;
    return cap;
}

bool decision_copy_param(custos_decision *d, decision_param *out, const char *key, size_t key_len,
                         const char *value, size_t value_len) {
    if (key_len > SIZE_MAX / 2 - 2 || value_len > SIZE_MAX / 2 - 2) return false;
    char *copy = arena_alloc(&d->mem, key_len + value_len + 2); /* both in one allocation */
    if (!copy) return false;
    if (key_len) memcpy(copy, key, key_len);
    copy[key_len] = '\0';
    char *value_copy = copy + key_len + 1;
    if (value_len) memcpy(value_copy, value, value_len);
    value_copy[value_len] = '\0';
    out->key = copy;
    out->value = value_copy;
    return true;
}

decision_param *decision_keep_params(custos_decision *d, const decision_param *params,
                                     size_t count) {
    /* with the capacity decision_add_param infers from the count, should it append later */
    size_t cap = param_capacity(count);
    decision_param *kept = cap ? arena_alloc(&d->mem, cap * sizeof *kept) : NULL;
    if (kept) memcpy(kept, params, count * sizeof *kept);
    return kept;
}

/* Appends (key, value) to a params array, both copied into the arena. */
custos_status decision_add_param(custos_decision *d, decision_param **params, size_t *count,
                                 const char *key, size_t key_len, const char *value,
                                 size_t value_len) {
    if (!d || !params || !count || (!key && key_len) || (!value && value_len))
        return CUSTOS_E_ARGUMENT;
    size_t cap = param_capacity(*count);
    decision_param *items = arena_grow(&d->mem, *params, *count, &cap, *count + 1, sizeof *items);
    if (!items) return CUSTOS_E_NOMEM;
    *params = items;
    if (!decision_copy_param(d, &items[*count], key, key_len, value, value_len))
        return CUSTOS_E_NOMEM;
    (*count)++;
    return CUSTOS_OK;
}

/* Records that regime (an index into the bundle's regimes) was consulted. */
custos_status decision_add_regime(custos_decision *d, size_t regime, bool in_force,
                                  bool in_force_known, bool adopted) {
    if (!d) return CUSTOS_E_ARGUMENT;
    decision_regime *items = d->regime_count < d->regime_cap
                                 ? d->regimes
                                 : arena_grow(&d->mem, d->regimes, d->regime_count, &d->regime_cap,
                                              d->regime_count + 1, sizeof *items);
    if (!items) {
        d->out_of_memory = true; /* a regime missing from the list would go unnoticed */
        return CUSTOS_E_NOMEM;
    }
    d->regimes = items;
    items[d->regime_count++] =
        (decision_regime){regime, in_force && in_force_known, adopted, in_force_known, true};
    return CUSTOS_OK;
}

void decision_regime_not_applying(custos_decision *d) {
    if (d && d->regime_count) d->regimes[d->regime_count - 1].applies = false;
}

/* True when verdict v decided (permitted or denied without failing): a reason. */
static bool verdict_is_reason(const decision_verdict *v) {
    return !v->failed && (v->effect == CUSTOS_PERMIT || v->effect == CUSTOS_DENY);
}

/* Combines the verdicts — deny overrides, a failure denies, nothing applying is not
 * applicable — and indexes reasons and errors in verdict order. */
custos_status decision_finish(custos_decision *d) {
    if (!d) return CUSTOS_E_ARGUMENT;
    size_t reason_count = 0, error_count = 0;
    bool any_deny = false, any_permit = false;
    any_deny = d->out_of_memory;
    for (size_t i = 0; i < d->verdict_count; i++) {
        const decision_verdict *v = &d->verdicts[i];
        if (v->failed)
            error_count++;
        else if (verdict_is_reason(v))
            reason_count++;
        if (v->failed || v->effect == CUSTOS_DENY)
            any_deny = true;
        else if (v->effect == CUSTOS_PERMIT)
            any_permit = true;
    }
    d->reasons = NULL;
    d->errors = NULL;
    d->reason_count = d->error_count = 0;
    size_t *reasons = reason_count ? arena_alloc(&d->mem, reason_count * sizeof *reasons) : NULL;
    size_t *errors = error_count ? arena_alloc(&d->mem, error_count * sizeof *errors) : NULL;
    if ((reason_count && !reasons) || (error_count && !errors)) {
        d->effect = CUSTOS_DENY; /* fail closed: never a permit we cannot explain */
        d->out_of_memory = true;
        return CUSTOS_E_NOMEM;
    }
    for (size_t i = 0; i < d->verdict_count; i++) {
        const decision_verdict *v = &d->verdicts[i];
        if (v->failed)
            errors[d->error_count++] = i;
        else if (verdict_is_reason(v))
            reasons[d->reason_count++] = i;
    }
    d->reasons = reasons;
    d->errors = errors;
    d->effect = any_deny ? CUSTOS_DENY : any_permit ? CUSTOS_PERMIT : CUSTOS_NOT_APPLICABLE;
    return CUSTOS_OK;
}

void decision_keep_winning_obligations(custos_decision *d) {
    size_t kept = 0;
    for (size_t i = 0; i < d->obligation_count; i++)
        if (d->obligations[i].effect == d->effect) d->obligations[kept++] = d->obligations[i];
    d->obligation_count = kept;
}

decision_mark decision_mark_now(const custos_decision *d) {
    return (decision_mark){d->verdict_count, d->obligation_count};
}

void decision_rollback(custos_decision *d, decision_mark mark) {
    if (mark.verdicts < d->verdict_count) d->verdict_count = mark.verdicts;
    if (mark.obligations < d->obligation_count) d->obligation_count = mark.obligations;
}

/* ---- looking things up in the bundle, defensively --------------------------------------- */

/* Article `index` of d's bundle, or NULL (engine errors, no bundle, out of range). */
static const bundle_article *decision_article(const custos_decision *d, size_t index) {
    if (!d->bundle || index >= d->bundle->article_count) return NULL;
    return &d->bundle->articles[index];
}

/* Regime `index` of d's bundle, or NULL. */
static const bundle_regime *decision_bundle_regime(const custos_decision *d, size_t index) {
    if (!d->bundle || index >= d->bundle->regime_count) return NULL;
    return &d->bundle->regimes[index];
}

/* s, or "" when s is NULL. */
static const char *or_empty(const char *s) { return s ? s : empty_string; }

/* The id of the regime article `a` belongs to, or "". */
static const char *article_regime_id(const custos_decision *d, const bundle_article *a) {
    const bundle_regime *r = a ? decision_bundle_regime(d, a->regime) : NULL;
    return r ? or_empty(r->id) : empty_string;
}

/* The message of verdict v in its article, or NULL when it names none (or a wrong one). */
static const bundle_message *verdict_message(const bundle_article *a, const decision_verdict *v) {
    if (!a || v->message >= a->message_count || !a->messages) return NULL;
    return &a->messages[v->message];
}

/* ---- message rendering ------------------------------------------------------------------ */

/* The value of the param named by key[0..key_len), or NULL. */
static const char *param_lookup(const decision_param *params, size_t count, const char *key,
                                size_t key_len) {
    for (size_t i = 0; i < count; i++) {
        const char *k = params[i].key;
        if (strncmp(k, key, key_len) == 0 && k[key_len] == '\0') return params[i].value;
    }
    return NULL;
}

/* Expands template tmpl with params into out (when out is not NULL) and returns the length of
 * the result; only measuring (out NULL), stops once past `cap`.  "{name}" becomes the param
 * `name`; a placeholder with no such param is left as written; "{{" is a literal "{"; any
 * other brace is literal. */
static size_t render_into(char *out, const char *tmpl, const decision_param *params, size_t count,
                          size_t cap) {
    size_t n = 0;
    const char *p = tmpl;
    while (*p && (out || n <= cap)) {
        if (p[0] != '{') {
            /* copy the run up to the next brace at once */
            size_t run = strcspn(p, "{");
            if (out) memcpy(out + n, p, run);
            n += run;
            p += run;
            continue;
        }
        if (p[1] == '{') {
            if (out) out[n] = '{';
            n++;
            p += 2;
            continue;
        }
        const char *end = strpbrk(p + 1, "{}");
        const char *value = NULL;
        if (end && *end == '}' && end > p + 1)
            value = param_lookup(params, count, p + 1, (size_t)(end - p - 1));
        if (value) {
            size_t len = strlen(value);
            if (out) memcpy(out + n, value, len);
            n += len;
            p = end + 1;
        } else {
            if (out) out[n] = '{'; /* unknown placeholder: the rest is copied as text */
            n++;
            p++;
        }
    }
    if (out) out[n] = '\0';
    return n;
}

/* tmpl rendered with v's params, in the arena (or tmpl itself when it has no placeholder);
 * NULL when out of memory. */
static const char *render_template(custos_decision *d, const char *tmpl,
                                   const decision_verdict *v) {
    if (!strchr(tmpl, '{')) return tmpl; /* the bundle outlives our reference to it */
    size_t len = render_into(NULL, tmpl, v->params, v->param_count, SIZE_MAX);
    char *out = arena_alloc(&d->mem, len + 1);
    if (!out) return NULL;
    render_into(out, tmpl, v->params, v->param_count, SIZE_MAX);
    return out;
}

bool decision_message_fits(const custos_decision *d, const decision_verdict *v, size_t cap,
                           size_t longest_value) {
    const bundle_message *m = verdict_message(decision_article(d, v->article), v);
    if (!m || !v->param_count) return true;
    const char *templates[2] = {m->zh, m->en};
    const size_t lengths[2] = {m->zh_len, m->en_len};
    for (size_t i = 0; i < 2; i++) {
        if (!templates[i]) continue;
        /* each placeholder takes 3 bytes or more and grows by longest_value at most: most
         * verdicts fit without expanding anything */
        if (lengths[i] <= cap / (longest_value + 1)) continue;
        if (render_into(NULL, templates[i], v->params, v->param_count, cap) > cap) return false;
    }
    return true;
}

/* Fills *zh and *en with verdict v's messages, rendering and caching them on first read.  A
 * verdict naming no message speaks with its article's title; a failed one with its error. */
static custos_status verdict_messages(custos_decision *d, decision_verdict *v, const char **zh,
                                      const char **en) {
    *zh = *en = empty_string;
    if (v->failed) {
        *zh = *en = or_empty(v->error);
        return CUSTOS_OK;
    }
    if (v->rendered_zh && v->rendered_en) {
        *zh = v->rendered_zh;
        *en = v->rendered_en;
        return CUSTOS_OK;
    }
    const bundle_article *a = decision_article(d, v->article);
    if (!a) return CUSTOS_OK;
    const bundle_message *m = verdict_message(a, v);
    const char *rendered_zh, *rendered_en;
    if (!m) {
        rendered_zh = or_empty(a->title_zh);
        rendered_en = or_empty(a->title_en);
    } else {
        /* a template missing in one language falls back to the other */
        const char *tmpl_zh = m->zh ? m->zh : or_empty(m->en);
        const char *tmpl_en = m->en ? m->en : or_empty(m->zh);
        rendered_zh = render_template(d, tmpl_zh, v);
        rendered_en = rendered_zh ? render_template(d, tmpl_en, v) : NULL;
        if (!rendered_en) return CUSTOS_E_NOMEM;
    }
    v->rendered_zh = rendered_zh;
    v->rendered_en = rendered_en;
    *zh = rendered_zh;
    *en = rendered_en;
    return CUSTOS_OK;
}

/* The message code of verdict v, or "" when it names none. */
static const char *verdict_code(const custos_decision *d, const decision_verdict *v) {
    const bundle_message *m = verdict_message(decision_article(d, v->article), v);
    return m ? or_empty(m->code) : empty_string;
}

/* ---- accessors -------------------------------------------------------------------------- */

/* The combined effect; deny for NULL (fail closed). */
custos_effect custos_decision_effect(const custos_decision *d) {
    return d ? d->effect : CUSTOS_DENY;
}

/* Messages and the JSON text are rendered on first read and kept in the decision: reading is
 * logically const (the decision's content does not change), so the readers take a const
 * decision and write only these caches.  A decision belongs to one thread at a time. */
static custos_decision *rendering_cache(const custos_decision *d) { return (custos_decision *)d; }

/* How many articles decided; 0 for NULL. */
size_t custos_decision_reason_count(const custos_decision *d) { return d ? d->reason_count : 0; }

/* Fills *out with reason i.  On an error *out (when given) holds empty strings. */
custos_status custos_decision_reason(const custos_decision *read_only, size_t i,
                                     custos_reason *out) {
    custos_decision *d = rendering_cache(read_only);
    if (!out) return CUSTOS_E_ARGUMENT;
    *out = (custos_reason){empty_string,
                           empty_string,
                           CUSTOS_NOT_APPLICABLE,
                           empty_string,
                           empty_string,
                           empty_string,
                           empty_string,
                           empty_string,
                           empty_string,
                           empty_string,
                           0,
                           NULL};
    if (!d || i >= d->reason_count || d->reasons[i] >= d->verdict_count) return CUSTOS_E_ARGUMENT;
    decision_verdict *v = &d->verdicts[d->reasons[i]];
    const bundle_article *a = decision_article(d, v->article);
    const char *zh, *en;
    custos_status st = verdict_messages(d, v, &zh, &en);
    if (st != CUSTOS_OK) return st;
    out->effect = v->effect;
    out->code = verdict_code(d, v);
    out->message_zh = zh;
    out->message_en = en;
    out->citation = a ? or_empty(a->citation) : empty_string;
    out->title_zh = a ? or_empty(a->title_zh) : empty_string;
    out->title_en = a ? or_empty(a->title_en) : empty_string;
    if (a) {
        out->regime = article_regime_id(d, a);
        out->article = or_empty(a->number);
        out->citation = or_empty(a->citation);
        out->title_zh = or_empty(a->title_zh);
        out->title_en = or_empty(a->title_en);
        out->module = or_empty(a->path);
        out->implements_count = a->implements_count;
        out->implements = a->implements;
    }
    return CUSTOS_OK;
}

/* How many obligations come with the decision; 0 for NULL. */
size_t custos_decision_obligation_count(const custos_decision *d) {
    return d ? d->obligation_count : 0;
}

/* Fills *out with obligation i, building its key/value views on first read. */
custos_status custos_decision_obligation(const custos_decision *d, size_t i,
                                         custos_obligation *out) {
    if (!out) return CUSTOS_E_ARGUMENT;
    *out = (custos_obligation){empty_string, empty_string, empty_string, 0, no_params, no_params};
    if (!d || i >= d->obligation_count) return CUSTOS_E_ARGUMENT;
    /* The views are a cache: d was created non-const by custos_decision_new, so writing to it
     * here is defined; the header keeps the accessor const for its callers' sake. */
    custos_decision *mutable_d = (custos_decision *)d;
    decision_obligation *o = &mutable_d->obligations[i];
    if (o->param_count && (!o->keys || !o->values)) {
        const char **keys = arena_alloc(&mutable_d->mem, o->param_count * sizeof *keys);
        const char **values =
            keys ? arena_alloc(&mutable_d->mem, o->param_count * sizeof *values) : NULL;
        if (!values) return CUSTOS_E_NOMEM;
        for (size_t k = 0; k < o->param_count; k++) {
            keys[k] = o->params[k].key;
            values[k] = o->params[k].value;
        }
        o->keys = keys;
        o->values = values;
    }
    const bundle_article *a = decision_article(d, o->article);
    out->id = or_empty(o->id);
    out->regime = article_regime_id(d, a);
    out->article = a ? or_empty(a->number) : empty_string;
    if (o->param_count) {
        out->param_count = o->param_count;
        out->param_keys = o->keys;
        out->param_values = o->values;
    }
    return CUSTOS_OK;
}

/* How many regimes were consulted; 0 for NULL. */
size_t custos_decision_regime_count(const custos_decision *d) { return d ? d->regime_count : 0; }

/* Fills *out with consulted regime i. */
custos_status custos_decision_regime(const custos_decision *d, size_t i,
                                     custos_regime_status *out) {
    if (!out) return CUSTOS_E_ARGUMENT;
    *out = (custos_regime_status){empty_string, false, false, false, true};
    if (!d || i >= d->regime_count) return CUSTOS_E_ARGUMENT;
    const decision_regime *r = &d->regimes[i];
    const bundle_regime *br = decision_bundle_regime(d, r->regime);
    out->id = br ? or_empty(br->id) : empty_string;
    out->in_force = r->in_force;
    out->adopted = r->adopted;
    out->in_force_known = r->in_force_known;
    out->applies = r->applies;
    return CUSTOS_OK;
}

/* How many policy errors the decision lists; 0 for NULL. */
size_t custos_decision_error_count(const custos_decision *d) {
    return d ? d->error_count + d->out_of_memory : 0;
}

/* What custos_decision_error gives for the error listed when something could not be recorded. */
static const char out_of_memory_message[] = "out of memory";

/* Fills *out with error i; regime and article are "" for errors not tied to an article. */
custos_status custos_decision_error(const custos_decision *d, size_t i, custos_policy_error *out) {
    if (!out) return CUSTOS_E_ARGUMENT;
    *out = (custos_policy_error){empty_string, empty_string, empty_string};
    if (d && d->out_of_memory && i == d->error_count) {
        out->message = out_of_memory_message;
        return CUSTOS_OK;
    }
    if (!d || i >= d->error_count || d->errors[i] >= d->verdict_count) return CUSTOS_E_ARGUMENT;
    const decision_verdict *v = &d->verdicts[d->errors[i]];
    const bundle_article *a = decision_article(d, v->article);
    out->regime = article_regime_id(d, a);
    out->article = a ? or_empty(a->number) : empty_string;
    out->message = or_empty(v->error);
    return CUSTOS_OK;
}

/* Every verdict when the decision was explained; 0 otherwise and for NULL. */
size_t custos_decision_trace_count(const custos_decision *d) {
    return d && d->explained ? d->verdict_count : 0;
}

/* True when verdict v applied: it permitted or denied, and did not fail. */
static bool verdict_applied(const decision_verdict *v) { return verdict_is_reason(v); }

/* Fills *out with trace entry i (explained decisions only).  A failed entry's messages are its
 * error; an entry that did not apply and names no message has "" messages. */
custos_status custos_decision_trace(const custos_decision *read_only, size_t i, custos_trace *out) {
    custos_decision *d = rendering_cache(read_only);
    if (!out) return CUSTOS_E_ARGUMENT;
    *out = (custos_trace){empty_string,          empty_string, false,        false,
                          CUSTOS_NOT_APPLICABLE, empty_string, empty_string, empty_string,
                          empty_string,          empty_string, empty_string};
    if (!d || i >= custos_decision_trace_count(d)) return CUSTOS_E_ARGUMENT;
    decision_verdict *v = &d->verdicts[i];
    const bundle_article *a = decision_article(d, v->article);
    const char *zh = empty_string, *en = empty_string;
    if (v->failed || verdict_applied(v) || v->message != SIZE_MAX) {
        custos_status st = verdict_messages(d, v, &zh, &en);
        if (st != CUSTOS_OK) return st;
    }
    out->regime = article_regime_id(d, a);
    out->article = a ? or_empty(a->number) : empty_string;
    out->applied = verdict_applied(v);
    out->failed = v->failed;
    out->effect = v->effect;
    out->code = verdict_code(d, v);
    out->message_zh = zh;
    out->message_en = en;
    out->citation = a ? or_empty(a->citation) : empty_string;
    out->title_zh = a ? or_empty(a->title_zh) : empty_string;
    out->title_en = a ? or_empty(a->title_en) : empty_string;
    return CUSTOS_OK;
}

/* Where (article, line) belongs in the coverage set's slots (a power of two of them). */
static size_t line_slot(size_t article, unsigned line, size_t slots) {
    uint64_t h = ((uint64_t)article * 0x9E3779B97F4A7C15u) ^ ((uint64_t)line * 0xC2B2AE3D27D4EB4Fu);
    return (size_t)(h ^ (h >> 29)) & (slots - 1);
}

/* Rebuilds the coverage set with room for twice the lines recorded (slots hold index + 1). */
static bool grow_line_set(custos_decision *d) {
    size_t slots = d->line_slots ? d->line_slots * 2 : 64;
    size_t *set = arena_alloc(&d->mem, slots * sizeof *set);
    if (!set) return false;
    memset(set, 0, slots * sizeof *set);
    for (size_t i = 0; i < d->line_count; i++) {
        size_t k = line_slot(d->lines[i].article, d->lines[i].line, slots);
        while (set[k]) k = (k + 1) & (slots - 1);
        set[k] = i + 1;
    }
    d->line_set = set;
    d->line_slots = slots;
    return true;
}

/* Coverage fires on every new line the VM runs: a hash set keeps each check O(1). */
custos_status decision_add_line(custos_decision *d, size_t article, unsigned line) {
    if (2 * (d->line_count + 1) > d->line_slots && !grow_line_set(d)) {
        d->out_of_memory = true; /* coverage missing a line would go unnoticed */
        return CUSTOS_E_NOMEM;
    }
    size_t k = line_slot(article, line, d->line_slots);
    for (; d->line_set[k]; k = (k + 1) & (d->line_slots - 1)) {
        const decision_line *seen = &d->lines[d->line_set[k] - 1];
        if (seen->line == line && seen->article == article) return CUSTOS_OK;
    }
    decision_line *grown = arena_grow(&d->mem, d->lines, d->line_count, &d->line_cap,
                                      d->line_count + 1, sizeof *grown);
    if (!grown) {
        d->out_of_memory = true;
        return CUSTOS_E_NOMEM;
    }
    d->lines = grown;
    d->lines[d->line_count++] = (decision_line){article, line};
    d->line_set[k] = d->line_count;
    return CUSTOS_OK;
}

size_t custos_decision_line_count(const custos_decision *d) { return d ? d->line_count : 0; }

custos_status custos_decision_line(const custos_decision *d, size_t i, custos_line_hit *out) {
    if (!d || !out || i >= d->line_count) return CUSTOS_E_ARGUMENT;
    size_t unit = d->lines[i].article;
    if (d->bundle && unit >= d->bundle->article_count &&
        unit - d->bundle->article_count < d->bundle->library_count) {
        out->regime = out->article = "";
        out->module = d->bundle->libraries[unit - d->bundle->article_count].path;
        out->line = d->lines[i].line;
        return CUSTOS_OK;
    }
    const bundle_article *a = decision_article(d, unit);
    if (!a) return CUSTOS_E_ARGUMENT;
    out->regime = article_regime_id(d, a);
    out->article = a->number;
    out->module = a->path;
    out->line = d->lines[i].line;
    return CUSTOS_OK;
}

/* ---- JSON ------------------------------------------------------------------------------- */

/* {"zh": zh, "en": en}. */
static void write_bilingual(json_out *w, const char *zh, const char *en) {
    json_out_begin_object(w);
    json_out_key(w, "zh");
    json_out_string(w, zh);
    json_out_key(w, "en");
    json_out_string(w, en);
    json_out_end_object(w);
}

/* A member whose value is a string. */
static void write_text_member(json_out *w, const char *key, const char *value) {
    json_out_key(w, key);
    json_out_string(w, value);
}

/* One entry of "reasons"; false when it cannot be read. */
static bool write_reason(json_out *w, custos_decision *d, size_t i) {
    custos_reason r;
    if (custos_decision_reason(d, i, &r) != CUSTOS_OK) return false;
    json_out_begin_object(w);
    write_text_member(w, "regime", r.regime);
    write_text_member(w, "article", r.article);
    write_text_member(w, "effect", custos_effect_name(r.effect));
    write_text_member(w, "code", r.code);
    write_text_member(w, "citation", r.citation);
    json_out_key(w, "title");
    write_bilingual(w, r.title_zh, r.title_en);
    json_out_key(w, "message");
    write_bilingual(w, r.message_zh, r.message_en);
    if (r.implements_count) {
        json_out_key(w, "implements");
        json_out_begin_array(w);
        for (size_t k = 0; k < r.implements_count; k++) {
            json_out_begin_object(w);
            write_text_member(w, "regime", r.implements[k].regime);
            write_text_member(w, "article", r.implements[k].article);
            json_out_end_object(w);
        }
        json_out_end_array(w);
    }
    json_out_end_object(w);
    return true;
}

/* True for the fields every obligation has, which a param may not overwrite. */
static bool obligation_fixed_field(const char *key) {
    return strcmp(key, "id") == 0 || strcmp(key, "regime") == 0 || strcmp(key, "article") == 0;
}

/* key as it appears in the JSON text: itself, or (when not valid UTF-8) a repaired copy in
 * the decision's arena; NULL when out of memory. */
static const char *json_key_form(custos_decision *d, const char *key) {
    size_t len = strlen(key);
    if (utf8_valid(key, len)) return key;
    size_t repaired_len = utf8_repaired_length(key, len);
    char *copy = arena_alloc(&d->mem, repaired_len + 1);
    if (!copy) return NULL;
    copy[utf8_repair_into(key, len, copy)] = '\0';
    return copy;
}

/* One entry of "obligations": id, regime, article, then each param as a string field (a
 * param named like a fixed field is left out).  Two params whose keys read the same once
 * repaired make one member, where the first stands, with the last one's value: JSON objects
 * have unique keys.  False when it cannot be read or memory runs out. */
static bool write_obligation(json_out *w, custos_decision *d, size_t i) {
    custos_obligation ob;
    if (custos_decision_obligation(d, i, &ob) != CUSTOS_OK) return false;
    const char **keys = NULL;
    if (ob.param_count) {
        keys = arena_alloc(&d->mem, ob.param_count * sizeof *keys);
        if (!keys) return false;
        for (size_t k = 0; k < ob.param_count; k++)
            if (!(keys[k] = json_key_form(d, ob.param_keys[k]))) return false;
    }
    json_out_begin_object(w);
    write_text_member(w, "id", ob.id);
    write_text_member(w, "regime", ob.regime);
    write_text_member(w, "article", ob.article);
    for (size_t k = 0; k < ob.param_count; k++) {
        if (obligation_fixed_field(ob.param_keys[k])) continue;
        bool seen = false;
        for (size_t j = 0; j < k && !seen; j++)
            seen = !obligation_fixed_field(ob.param_keys[j]) && strcmp(keys[j], keys[k]) == 0;
        if (seen) continue;
        size_t last = k;
        for (size_t j = k + 1; j < ob.param_count; j++)
            if (!obligation_fixed_field(ob.param_keys[j]) && strcmp(keys[j], keys[k]) == 0)
                last = j;
        write_text_member(w, keys[k], ob.param_values[last]);
    }
    json_out_end_object(w);
    return true;
}

/* One entry of "regimes"; false when it cannot be read. */
static bool write_regime(json_out *w, const custos_decision *d, size_t i) {
    custos_regime_status r;
    if (custos_decision_regime(d, i, &r) != CUSTOS_OK) return false;
    json_out_begin_object(w);
    write_text_member(w, "id", r.id);
    json_out_key(w, "in_force"); /* null: the regime's validity window is unknown */
    if (r.in_force_known)
        json_out_bool(w, r.in_force);
    else
        json_out_null(w);
    json_out_key(w, "adopted");
    json_out_bool(w, r.adopted);
    if (!r.applies) { /* only when its `applies` said so: the trace has the code and message */
        json_out_key(w, "applies");
        json_out_bool(w, false);
    }
    json_out_end_object(w);
    return true;
}

/* One entry of "errors"; false when it cannot be read. */
static bool write_error(json_out *w, const custos_decision *d, size_t i) {
    custos_policy_error e;
    if (custos_decision_error(d, i, &e) != CUSTOS_OK) return false;
    json_out_begin_object(w);
    write_text_member(w, "regime", e.regime);
    write_text_member(w, "article", e.article);
    write_text_member(w, "message", e.message);
    json_out_end_object(w);
    return true;
}

/* One entry of "trace"; false when it cannot be read. */
static bool write_trace(json_out *w, custos_decision *d, size_t i) {
    custos_trace t;
    if (custos_decision_trace(d, i, &t) != CUSTOS_OK) return false;
    json_out_begin_object(w);
    write_text_member(w, "regime", t.regime);
    write_text_member(w, "article", t.article);
    json_out_key(w, "applied");
    json_out_bool(w, t.applied);
    json_out_key(w, "failed");
    json_out_bool(w, t.failed);
    write_text_member(w, "effect", custos_effect_name(t.effect));
    write_text_member(w, "code", t.code);
    json_out_key(w, "message");
    write_bilingual(w, t.message_zh, t.message_en);
    json_out_end_object(w);
    return true;
}

/* The whole decision as compact JSON: decision, reasons, obligations, regimes, errors, and
 * trace when explained.  False when an entry cannot be read (out of memory). */
static bool write_decision(json_out *w, custos_decision *d) {
    bool ok = true;
    json_out_begin_object(w);
    write_text_member(w, "decision", custos_effect_name(d->effect));
    json_out_key(w, "reasons");
    json_out_begin_array(w);
    for (size_t i = 0; ok && i < d->reason_count; i++) ok = write_reason(w, d, i);
    json_out_end_array(w);
    json_out_key(w, "obligations");
    json_out_begin_array(w);
    for (size_t i = 0; ok && i < d->obligation_count; i++) ok = write_obligation(w, d, i);
    json_out_end_array(w);
    json_out_key(w, "regimes");
    json_out_begin_array(w);
    for (size_t i = 0; ok && i < d->regime_count; i++) ok = write_regime(w, d, i);
    json_out_end_array(w);
    json_out_key(w, "errors");
    json_out_begin_array(w);
    for (size_t i = 0; ok && i < custos_decision_error_count(d); i++) ok = write_error(w, d, i);
    json_out_end_array(w);
    if (d->explained) {
        json_out_key(w, "trace");
        json_out_begin_array(w);
        for (size_t i = 0; ok && i < d->verdict_count; i++) ok = write_trace(w, d, i);
        json_out_end_array(w);
    }
    json_out_end_object(w);
    return ok;
}

/* Sets *json to the decision as compact JSON, written once and cached until the decision is
 * reused or freed.  The text comes from malloc (json_out), never from jansson's allocator. */
custos_status custos_decision_json(const custos_decision *read_only, const char **json) {
    custos_decision *d = rendering_cache(read_only);
    if (json) *json = NULL;
    if (!d || !json) return CUSTOS_E_ARGUMENT;
    if (!d->json) {
        json_out w;
        json_out_init(&w, 0);
        if (!write_decision(&w, d)) {
            json_out_discard(&w);
            return CUSTOS_E_NOMEM;
        }
        d->json = json_out_finish(&w, NULL);
        if (!d->json) return CUSTOS_E_NOMEM;
    }
    *json = d->json;
    return CUSTOS_OK;
}
