/*
 * engine.c — custos_engine: the published bundle, hot reload, and one evaluator per thread.
 *
 * The current bundle sits behind a mutex taken only to publish or to pick it up; a decision
 * reads just an atomic generation number to see whether its thread's evaluator is still on
 * the current bundle.  When it is not, the evaluator is rebuilt on the new one — so a reload
 * costs each thread one rebuild, and deciding never waits on another thread.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bundle.h"
#include "config.h"
#include "decision.h"
#include "decision_log.h"
#include "doc.h"
#include "engine_internal.h"
#include "evaluator.h"
#include "request.h"
#include "thread_slots.h"

struct custos_engine {
    pthread_mutex_t lock; /* guards current and config */
    bundle *current;
    atomic_uint_fast64_t generation;
    custos_config *config;
    thread_slots *threads;     /* each thread's evaluator; see thread_slots.h for who frees them */
    _Atomic(custos_log *) log; /* custos_engine_set_log's, or NULL */
};

/* Loads the bundle cfg names and builds one evaluator on it as the last check (the data
 * converted for Lua, every module loaded again as a thread will load it), so a policy set that
 * cannot serve is refused at open or reload rather than at the first decision. */
static custos_status load_checked_bundle(const custos_config *cfg, bundle **out,
                                         custos_error *err) {
    custos_status st = bundle_load(cfg, out, err);
    if (st) return st;
    evaluator *ev = NULL;
    st = evaluator_new(*out, &ev, err);
    evaluator_free(ev);
    if (st) {
        bundle_unref(*out);
        *out = NULL;
    }
    return st;
}

custos_status custos_engine_open(const custos_config *cfg, custos_engine **out, custos_error *err) {
    if (!out || !cfg)
        return error_set(err, CUSTOS_E_ARGUMENT, NULL, 0, 0,
                         "custos_engine_open: expected a configuration and an out pointer");
    *out = NULL;
    custos_engine *eng = calloc(1, sizeof *eng);
    if (!eng) return error_set(err, CUSTOS_E_NOMEM, NULL, 0, 0, "out of memory");
    custos_status st = config_copy(cfg, &eng->config);
    if (st) {
        free(eng);
        return error_set(err, st, NULL, 0, 0, "out of memory");
    }
    st = load_checked_bundle(eng->config, &eng->current, err);
    if (!st) st = thread_slots_new(&eng->threads, err);
    if (st) {
        bundle_unref(eng->current);
        custos_config_free(eng->config);
        free(eng);
        return st;
    }
    pthread_mutex_init(&eng->lock, NULL);
    atomic_init(&eng->generation, 1);
    atomic_init(&eng->log, NULL);
    *out = eng;
    return CUSTOS_OK;
}

/* A regime the old bundle serves that a reload from the same policy folders lost (its folder
 * removed or renamed mid-deploy): it, or NULL.  Where every folder has a manifest, the
 * manifest's list of regimes decides instead (a regime is deliberately dropped there). */
static const bundle_regime *lost_regime(const bundle *old, const custos_config *old_cfg,
                                        const bundle *b, const custos_config *cfg) {
    if (b->regimes_pinned || old_cfg->policy_count != cfg->policy_count) return NULL;
    for (size_t i = 0; i < cfg->policy_count; i++)
        if (strcmp(old_cfg->policies[i], cfg->policies[i]) != 0) return NULL;
    for (size_t i = 0; i < old->regime_count; i++)
        if (bundle_find_regime(b, old->regimes[i].id) == SIZE_MAX) return &old->regimes[i];
    return NULL;
}

custos_status custos_engine_reload(custos_engine *eng, const custos_config *cfg,
                                   custos_error *err) {
    if (!eng)
        return error_set(err, CUSTOS_E_ARGUMENT, NULL, 0, 0,
                         "custos_engine_reload: engine is NULL");
    custos_config *fresh = NULL;
    if (cfg) {
        custos_status st = config_copy(cfg, &fresh);
        if (st) return error_set(err, st, NULL, 0, 0, "out of memory");
    } else {
        pthread_mutex_lock(&eng->lock);
        custos_status st = config_copy(eng->config, &fresh);
        pthread_mutex_unlock(&eng->lock);
        if (st) return error_set(err, st, NULL, 0, 0, "out of memory");
    }
    bundle *b;
    custos_status st = load_checked_bundle(fresh, &b, err); /* slow: outside the lock */
    if (st) {
        custos_config_free(fresh);
        return st; /* the old bundle keeps serving */
    }
    pthread_mutex_lock(&eng->lock);
    const bundle_regime *lost = lost_regime(eng->current, eng->config, b, fresh);
    if (lost) {
        st = error_set(err, CUSTOS_E_POLICY, lost->folder, 0, 0,
                       "reload refused: regime '%s' is serving but the same policy folders no "
                       "longer hold it; the old set keeps serving (a regime is dropped by "
                       "changing the configuration, or the set's manifest)",
                       lost->id);
        pthread_mutex_unlock(&eng->lock);
        bundle_unref(b);
        custos_config_free(fresh);
        return st;
    }
    bundle *old = eng->current;
    custos_config *old_config = eng->config;
    eng->current = b;
    eng->config = fresh;
    atomic_fetch_add_explicit(&eng->generation, 1, memory_order_release);
    pthread_mutex_unlock(&eng->lock);
    bundle_unref(old);
    custos_config_free(old_config);
    return CUSTOS_OK;
}

void custos_engine_close(custos_engine *eng) {
    if (!eng) return;
    /* Safe against threads exiting meanwhile: a slot is freed once, by its thread or here. */
    thread_slots_close(eng->threads);
    bundle_unref(eng->current);
    custos_config_free(eng->config);
    pthread_mutex_destroy(&eng->lock);
    free(eng);
}

uint64_t custos_engine_generation(const custos_engine *eng) {
    return eng ? atomic_load_explicit(&((custos_engine *)eng)->generation, memory_order_acquire)
               : 0;
}

bundle *engine_current_bundle(custos_engine *eng) {
    pthread_mutex_lock(&eng->lock);
    bundle *b = bundle_ref_take(eng->current);
    pthread_mutex_unlock(&eng->lock);
    return b;
}

custos_status engine_config_copy(custos_engine *eng, custos_config **out) {
    pthread_mutex_lock(&eng->lock);
    custos_status st = config_copy(eng->config, out);
    pthread_mutex_unlock(&eng->lock);
    return st;
}

/* The calling thread's evaluator, built or rebuilt on the current bundle when needed. */
static custos_status thread_evaluator(custos_engine *eng, evaluator **out, custos_error *err) {
    thread_slot *slot = thread_slots_mine(eng->threads);
    uint64_t generation = atomic_load_explicit(&eng->generation, memory_order_acquire);
    if (slot && slot->generation == generation) {
        *out = slot->ev;
        return CUSTOS_OK;
    }
    if (!slot && !(slot = thread_slots_add(eng->threads)))
        return error_set(err, CUSTOS_E_NOMEM, NULL, 0, 0, "out of memory");
    pthread_mutex_lock(&eng->lock);
    bundle *b = bundle_ref_take(eng->current);
    generation = atomic_load_explicit(&eng->generation, memory_order_relaxed);
    pthread_mutex_unlock(&eng->lock);
    evaluator *ev;
    custos_status st = evaluator_new(b, &ev, err);
    bundle_unref(b);
    if (st) return st;
    evaluator_free(thread_slot_replace(eng->threads, slot, ev, generation));
    *out = ev;
    return CUSTOS_OK;
}

/* The first field custos_decide refuses under CUSTOS_DECIDE_STRICT. */
typedef struct first_unknown {
    char path[256], nearest[256];
    uint32_t line, col;
} first_unknown;

static bool note_first_unknown(void *ud, const char *path, const char *nearest, uint32_t line,
                               uint32_t col) {
    first_unknown *f = ud;
    snprintf(f->path, sizeof f->path, "%s", path);
    snprintf(f->nearest, sizeof f->nearest, "%s", nearest ? nearest : "");
    f->line = line;
    f->col = col;
    return false;
}

typedef struct unknown_relay {
    custos_unknown_field_fn fn;
    void *user;
} unknown_relay;

static bool relay_unknown(void *ud, const char *path, const char *nearest, uint32_t line,
                          uint32_t col) {
    unknown_relay *r = ud;
    return r->fn ? r->fn(r->user, path, nearest, line, col) : true;
}

/* Makes d a deny whose only reason is the error message (fail closed: a decision that could
 * not be made, or recorded, still denies and says why). */
static void deny_with_error(custos_decision *d, const char *message) {
    decision_reset(d, NULL, false);
    decision_add_error(d, SIZE_MAX, message);
    decision_finish(d);
}

static custos_status decide_unlogged(custos_engine *eng, const custos_request *req, unsigned flags,
                                     custos_decision *d, custos_error *err) {
    if (!eng || !req || !d)
        return error_set(err, CUSTOS_E_ARGUMENT, NULL, 0, 0,
                         "custos_decide: expected an engine, a request and a decision");
    evaluator *ev = NULL;
    custos_error local;
    custos_status st = thread_evaluator(eng, &ev, err ? err : &local);
    if (st) {
        deny_with_error(d, (err ? err : &local)->message);
        return CUSTOS_OK;
    }
    if (flags & CUSTOS_DECIDE_STRICT) { /* against the schema the decision will use */
        first_unknown first = {"", "", 0, 0};
        const bundle *b = evaluator_bundle(ev);
        if (request_unknown_fields(req, &b->schema, b->id, note_first_unknown, &first)) {
            decision_reset(d, NULL, false);
            if (*first.nearest)
                return error_set(err, CUSTOS_E_INPUT, first.line ? req->name : NULL, first.line,
                                 first.col, "%s is not a declared field; did you mean %s?",
                                 first.path, first.nearest);
            return error_set(err, CUSTOS_E_INPUT, first.line ? req->name : NULL, first.line,
                             first.col, "%s is not a declared field", first.path);
        }
    }
    return evaluator_decide(ev, req, flags, d, err);
}

/* Records a decision made (fail closed: one that cannot be recorded becomes a deny saying why,
 * and the caller hears CUSTOS_E_IO).  Outside the engine's lock: the log has its own. */
static custos_status record_decision(custos_log *log, const custos_request *req, custos_decision *d,
                                     const struct timespec *decided_at, custos_error *err) {
    custos_error local;
    custos_error *e = err ? err : &local;
    const char *revision = d->bundle ? d->bundle->revision : "";
    custos_status st = decision_log_record(log, req, d, revision, decided_at, e);
    if (!st) return CUSTOS_OK;
    deny_with_error(d, e->message);
    return st;
}

custos_status custos_decide(custos_engine *eng, const custos_request *req, unsigned flags,
                            custos_decision *d, custos_error *err) {
    custos_log *log = eng ? atomic_load_explicit(&eng->log, memory_order_acquire) : NULL;
    struct timespec decided_at = {0, 0};
    if (log) clock_gettime(CLOCK_REALTIME, &decided_at);
    custos_status st = decide_unlogged(eng, req, flags, d, err);
    if (st || !log) return st;
    return record_decision(log, req, d, &decided_at, err);
}

custos_status custos_engine_set_log(custos_engine *eng, custos_log *log) {
    if (!eng) return CUSTOS_E_ARGUMENT;
    atomic_store_explicit(&eng->log, log, memory_order_release);
    return CUSTOS_OK;
}

custos_status custos_engine_revision(custos_engine *eng, char *out) {
    if (!eng || !out) return CUSTOS_E_ARGUMENT;
    bundle *b = engine_current_bundle(eng);
    memcpy(out, b->revision, CUSTOS_DIGEST_SIZE);
    bundle_unref(b);
    return CUSTOS_OK;
}

custos_status custos_engine_unknown_fields(custos_engine *eng, const custos_request *req,
                                           custos_unknown_field_fn fn, void *user, size_t *count,
                                           custos_error *err) {
    if (count) *count = 0;
    if (!eng || !req)
        return error_set(err, CUSTOS_E_ARGUMENT, NULL, 0, 0,
                         "custos_engine_unknown_fields: expected an engine and a request");
    unknown_relay relay = {fn, user};
    bundle *b = engine_current_bundle(eng);
    size_t n = request_unknown_fields(req, &b->schema, b->id, relay_unknown, &relay);
    bundle_unref(b);
    if (count) *count = n;
    return CUSTOS_OK;
}

custos_status custos_engine_check_request(custos_engine *eng, const custos_request *req,
                                          custos_error *err) {
    if (!eng || !req)
        return error_set(err, CUSTOS_E_ARGUMENT, NULL, 0, 0,
                         "custos_engine_check_request: expected an engine and a request");
    bundle *b = engine_current_bundle(eng);
    custos_status st = request_check(req, &b->schema, b->id, NULL, err);
    bundle_unref(b);
    return st;
}

custos_status custos_engine_eval(custos_engine *eng, const custos_request *req, const char *code,
                                 char **out, custos_error *err) {
    if (out) *out = NULL;
    if (!eng || !code || !out)
        return error_set(err, CUSTOS_E_ARGUMENT, NULL, 0, 0,
                         "custos_engine_eval: expected an engine, code and an out pointer");
    evaluator *ev = NULL;
    custos_status st = thread_evaluator(eng, &ev, err);
    return st ? st : evaluator_eval(ev, req, code, out, err);
}

void custos_free(void *p) { free(p); }
