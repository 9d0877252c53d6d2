/*
 * decision_limits.h — caps on what one rule may return, so that the engine's own work on a
 * verdict (copying and sorting params, copying obligations, expanding message templates) and
 * the memory a decision holds stay bounded whatever a policy does.  A verdict past a cap is
 * rejected: the article fails with an error naming the cap, and the decision denies.  The
 * shipped policies stay far below every one of them.
 */
#ifndef CUSTOS_DECISION_LIMITS_H
#define CUSTOS_DECISION_LIMITS_H

/* Params of one verdict or one obligation (string keys). */
#define CUSTOS_MAX_PARAMS 64
/* Entries of a params or obligation table of any key type (list items are skipped, not
 * copied, but walked). */
#define CUSTOS_MAX_PARAM_ENTRIES 256
/* Bytes of a param's key, and of its value as text. */
#define CUSTOS_MAX_PARAM_KEY 128
#define CUSTOS_MAX_PARAM_VALUE 4096
/* Obligations one verdict brings, and the bytes of an obligation's id. */
#define CUSTOS_MAX_OBLIGATIONS 32
#define CUSTOS_MAX_OBLIGATION_ID 128
/* Bytes of every key, value and obligation id one verdict brings, in all: with the caps above,
 * what a decision holds is at most this much per article. */
#define CUSTOS_MAX_VERDICT_BYTES (64 * 1024)
/* Bytes of a verdict's message once its template is expanded with its params (each
 * language). */
#define CUSTOS_MAX_MESSAGE 8192

#endif
