/*
 * decision_log.h — the inside of custos_log: a hash-chained JSON Lines file of decisions
 * (docs/audit-log.md has the record format and the hash rule).
 *
 * A record is  P + ",\"hash\":\"sha256:<64 hex>\"}\n"  where the hash is SHA-256 of P + "}":
 * the record's bytes without its own hash member.  P begins {"v":1,"id":"<UUIDv7>","type":...
 * and ends with ,"prev":"sha256:<hex of the record before>"; the first record of a chain has
 * prev "sha256:" and 64 zeros.  A deciding thread formats its record outside any lock, then
 * takes an id and queues it under a short one; the queue is chained (prev, hash) and written in
 * order, by the same thread in fsync mode, by the flusher thread in batched mode — so threads
 * deciding at once form one chain.
 */
#ifndef CUSTOS_DECISION_LOG_H
#define CUSTOS_DECISION_LOG_H

#include <time.h>

#include "custos.h"

/* The length of ,"hash":"sha256:<64 hex>"} — the fixed tail of every record (before "\n"). */
#define LOG_HASH_SUFFIX_LEN 82
#define LOG_GENESIS "sha256:0000000000000000000000000000000000000000000000000000000000000000"

/* Records one decision: d as decided on revision (its bundle's), with the request it was asked
 * and the wall time the decision began.  CUSTOS_E_IO (err filled) when it cannot be written. */
custos_status decision_log_record(custos_log *log, const custos_request *req,
                                  const custos_decision *d, const char *revision,
                                  const struct timespec *decided_at, custos_error *err);

#endif
