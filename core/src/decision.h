/*
 * decision.h — the inside of a custos_decision, written by the evaluator, read through the
 * accessors in custos.h.
 *
 * One verdict is recorded per article consulted, in bundle order.  Reasons are the verdicts
 * that permit or deny; errors are the verdicts that failed (plus errors not tied to an
 * article); the trace is every verdict, kept only when the decision was explained.  All
 * memory comes from the decision's arena, reset (not freed) by decision_reset, so a reused
 * decision allocates nothing in steady state.  Strings of articles point into the bundle,
 * which the decision holds a reference to.
 */
#ifndef CUSTOS_DECISION_H
#define CUSTOS_DECISION_H

#include <stdbool.h>

#include "arena.h"
#include "bundle.h"
#include "custos.h"

typedef struct decision_param {
    const char *key, *value;
} decision_param;

typedef struct decision_verdict {
    size_t article;       /* index into bundle->articles; SIZE_MAX for engine errors */
    custos_effect effect; /* for a failed verdict: CUSTOS_DENY */
    bool failed;
    size_t message; /* index into the article's messages; SIZE_MAX when none */
    decision_param *params;
    size_t param_count;
    const char *error;                     /* when failed: "gz-2012/art11.lua:42: ..." */
    const char *rendered_zh, *rendered_en; /* filled on first read */
} decision_verdict;

typedef struct decision_obligation {
    size_t article;
    custos_effect effect; /* of the verdict that brought it (a failed one leaves none) */
    const char *id;
    decision_param *params;
    size_t param_count;
    const char **keys, **values; /* views for custos_obligation, built on first read */
} decision_obligation;

typedef struct decision_regime {
    size_t regime; /* index into bundle->regimes */
    bool in_force, adopted;
    bool in_force_known; /* false: the regime's validity window is unknown (in_force false) */
    bool applies;        /* false: its `applies` said it does not (its articles were skipped) */
} decision_regime;

typedef struct decision_line {
    size_t article; /* an article index, or article_count + a library index */
    unsigned line;
} decision_line;

struct custos_decision {
    arena mem;
    bundle *bundle; /* a reference; NULL before the first decision */
    custos_effect effect;
    bool explained;
    decision_verdict *verdicts;
    size_t verdict_count, verdict_cap;
    size_t *reasons; /* indices into verdicts, built by decision_finish */
    size_t reason_count;
    size_t *errors; /* indices into verdicts */
    size_t error_count;
    decision_obligation *obligations;
    size_t obligation_count, obligation_cap;
    decision_regime *regimes;
    size_t regime_count, regime_cap;
    char *json;           /* malloc'd by json_out; freed on reset */
    decision_line *lines; /* coverage: lines that ran, each once */
    size_t line_count, line_cap;
    size_t *line_set, line_slots; /* an open-addressing set over lines (index + 1; 0 empty) */
    /* Something could not be recorded for want of memory (an error, a regime, a line): the
     * decision denies and lists one more error, "out of memory", which needs no memory. */
    bool out_of_memory;
};

/* Empties d for a new decision on bundle b (taking a reference when it changes). */
void decision_reset(custos_decision *d, bundle *b, bool explain);

/* Appends a verdict and returns it zeroed but for article/effect/message (NULL: no memory). */
decision_verdict *decision_add_verdict(custos_decision *d, size_t article, custos_effect effect);

/* Records a failure for article (SIZE_MAX: not tied to one); the message is copied. */
custos_status decision_add_error(custos_decision *d, size_t article, const char *message);

decision_obligation *decision_add_obligation(custos_decision *d, size_t article, const char *id,
                                             size_t id_len);

/* Adds params to a verdict or obligation: copies key and value into the arena.  `params`
 * and `count` are the owner's fields. */
custos_status decision_add_param(custos_decision *d, decision_param **params, size_t *count,
                                 const char *key, size_t key_len, const char *value,
                                 size_t value_len);

/* For a writer that gathers a table of params before keeping them (the evaluator): *out gets
 * copies of key and value in the arena (false when out of memory), and decision_keep_params
 * copies the gathered array into the arena (NULL when count is 0 or memory ran out). */
bool decision_copy_param(custos_decision *d, decision_param *out, const char *key, size_t key_len,
                         const char *value, size_t value_len);
decision_param *decision_keep_params(custos_decision *d, const decision_param *params,
                                     size_t count);

custos_status decision_add_regime(custos_decision *d, size_t regime, bool in_force,
                                  bool in_force_known, bool adopted);

/* Marks the regime recorded last as not applying (its `applies` returned not_applicable). */
void decision_regime_not_applying(custos_decision *d);

/* Records that `line` of article's module ran (once per decision). */
custos_status decision_add_line(custos_decision *d, size_t article, unsigned line);

/* Whether verdict v's message (each language's template expanded with its params, none longer
 * than longest_value bytes) is at most cap bytes long; true when it names none.  The work
 * stops soon after cap. */
bool decision_message_fits(const custos_decision *d, const decision_verdict *v, size_t cap,
                           size_t longest_value);

/* Combines the verdicts (deny overrides; any failure denies; no verdict applying means not
 * applicable) and indexes reasons and errors. */
custos_status decision_finish(custos_decision *d);

/* After decision_finish: drops the obligations of verdicts whose effect lost, since
 * obligations come with the final effect only. */
void decision_keep_winning_obligations(custos_decision *d);

/* What the decision holds now, to roll back to when an article's verdict is rejected half-way
 * (it leaves nothing behind but its error). */
typedef struct decision_mark {
    size_t verdicts, obligations;
} decision_mark;
decision_mark decision_mark_now(const custos_decision *d);
void decision_rollback(custos_decision *d, decision_mark mark);

#endif
