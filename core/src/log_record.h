/*
 * log_record.h — a decision as the text of a log record: the members after "type" of the JSON
 * object docs/audit-log.md specifies, written compactly (as jansson would) and fast, since the
 * deciding thread writes one per decision.
 */
#ifndef CUSTOS_LOG_RECORD_H
#define CUSTOS_LOG_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "custos.h"

/* A growable text: starts on a caller's buffer (borrowed) and moves to the heap to grow. */
typedef struct text_buf {
    char *p;
    size_t len, cap;
    bool failed;
    bool borrowed; /* p is the caller's (a stack buffer): copied to the heap to grow */
} text_buf;

/* Appends n bytes. */
void text_buf_put(text_buf *t, const char *s, size_t n);

/* The request fields recorded as digests (dotted paths; a table covers the fields under it). */
typedef struct log_redaction {
    char **fields;
    size_t count;
} log_redaction;

/* Appends ,"time":...,"request":{...}: the decision record's members after "type" (its time,
 * the request's time, the revision, effect, articles, obligations, errors and the request as
 * one flat object of dotted paths). */
void log_record_decision(text_buf *t, const log_redaction *redact, const custos_request *req,
                         const custos_decision *d, const char *revision,
                         const struct timespec *decided_at);

/* "2026-11-29T03:30:00.123456Z": a UTC time with microseconds (out: 28 bytes). */
void log_record_time(const struct timespec *t, char *out);

/* "sha256:<hex>" of len bytes (out: CUSTOS_DIGEST_SIZE bytes). */
void log_record_digest(const char *bytes, size_t len, char *out);

/* A record's hash (docs/audit-log.md, "The hash"): "sha256:<hex>" of the record's line up to
 * its hash member, closed by "}" — given as the bytes `body` then `more` (either may be empty),
 * so the writer and the verifier hash by the same rule.  out: CUSTOS_DIGEST_SIZE bytes. */
void log_record_chain_hash(const char *body, size_t body_len, const char *more, size_t more_len,
                           char *out);

#endif
