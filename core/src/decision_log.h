/*
 * decision_log.h — the inside of custos_log: a hash-chained JSON Lines file of decisions
 * (docs/audit-log.md has the record format and the hash rule).
 *
 * A record is  P + ",\"hash\":\"sha256:<64 hex>\"}\n"  where the hash is SHA-256 of P + "}":
 * the record's bytes without its own hash member.  P begins {"v":1,"id":"<UUIDv7>","type":...
 * and ends with ,"prev":"sha256:<hex of the record before>"; the first record of a chain has
 * prev "sha256:" and 64 zeros.  Records are formatted outside the log's lock; only the id, the
 * prev, the hash and the write happen under it, so threads deciding at once form one chain.
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

/* "2026-11-29T03:30:00.123456Z": a UTC time with microseconds (out: 28 bytes). */
void decision_log_format_time(const struct timespec *t, char *out);

#endif
