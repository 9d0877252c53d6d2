/*
 * evaluator.h — one thread's means of deciding on one bundle: a sandboxed lua_State holding
 * that bundle's compiled rules, its frozen data, and the request tables refilled for every
 * decision.  An evaluator is used by one thread at a time; the engine keeps one per thread.
 *
 * The request's path, end to end: custos_decide (engine.c) picks the calling thread's
 * evaluator → evaluator_decide fills the request tables (fill_request) → for each regime that
 * binds, each article's rule runs under lua_pcall (run_article) → its returned verdict is
 * checked and copied into the decision (record_verdict) → decision_finish combines them.
 */
#ifndef CUSTOS_EVALUATOR_H
#define CUSTOS_EVALUATOR_H

#include "bundle.h"
#include "custos.h"

typedef struct evaluator evaluator;

/* Builds an evaluator for b (taking a reference to it).  Fails with CUSTOS_E_POLICY when a
 * module no longer loads, or CUSTOS_E_NOMEM. */
custos_status evaluator_new(bundle *b, evaluator **out, custos_error *err);
void evaluator_free(evaluator *ev);

/* The bundle the evaluator decides on (its schema checks a request). */
const bundle *evaluator_bundle(const evaluator *ev);

/* Decides req into d (see custos_decide for the contract). */
custos_status evaluator_decide(evaluator *ev, const custos_request *req, unsigned flags,
                               custos_decision *d, custos_error *err);

/* Evaluates code for custos_engine_eval (see its contract). */
custos_status evaluator_eval(evaluator *ev, const custos_request *req, const char *code, char **out,
                             custos_error *err);

#endif
