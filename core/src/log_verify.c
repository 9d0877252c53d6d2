/*
 * log_verify.c — custos_log_verify: re-reading log files as one hash chain, as a third party
 * would from docs/audit-log.md (every record's hash recomputed from its bytes, every prev
 * compared with the hash before it, every checkpoint's signature checked).
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decision_log.h"
#include "log_record.h"
#include "error.h"
#include "fileio.h"
#include "revision.h"

typedef struct verifier {
    custos_log_report *out;
    const char *expected_prev; /* points into prev_buf, or `after`/genesis for the first */
    char prev_buf[CUSTOS_DIGEST_SIZE];
    const char *after;
    const char *head; /* the anchor to find, or NULL */
    bool head_found;
    bool has_key;
    unsigned char key[crypto_sign_PUBLICKEYBYTES];
    char key_text[8 + 2 * crypto_sign_PUBLICKEYBYTES + 1]; /* "ed25519:<hex>" */
    bool first;
} verifier;

static void report(verifier *v, custos_log_verdict verdict, const char *file, unsigned line,
                   const char *fmt, ...) {
    custos_log_report *out = v->out;
    out->verdict = verdict;
    snprintf(out->file, sizeof out->file, "%s", file);
    out->line = line;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->message, sizeof out->message, fmt, ap);
    va_end(ap);
}

static bool is_digest(const char *s) {
    if (strlen(s) != CUSTOS_DIGEST_SIZE - 1 || strncmp(s, "sha256:", 7) != 0) return false;
    for (const char *p = s + 7; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) return false;
    return true;
}

/* Checks a checkpoint record against the verifier's key; false (reported) when bad. */
static bool check_checkpoint(verifier *v, json_t *rec, const char *prev, const char *file,
                             unsigned line) {
    const char *head = json_string_value(json_object_get(rec, "head"));
    const char *key = json_string_value(json_object_get(rec, "key"));
    const char *sig = json_string_value(json_object_get(rec, "signature"));
    unsigned char raw[crypto_sign_BYTES];
    size_t raw_len = 0;
    if (!head || !key || !sig || strncmp(sig, "ed25519:", 8) != 0 ||
        sodium_hex2bin(raw, sizeof raw, sig + 8, strlen(sig + 8), NULL, &raw_len, NULL) != 0 ||
        raw_len != sizeof raw) {
        report(v, CUSTOS_LOG_TAMPERED, file, line,
               "a checkpoint must have head, key and signature (\"ed25519:<128 hex>\")");
        return false;
    }
    if (strcmp(head, prev) != 0) {
        report(v, CUSTOS_LOG_TAMPERED, file, line,
               "the checkpoint signs head %s but follows record %s", head, prev);
        return false;
    }
    if (strcmp(key, v->key_text) != 0) {
        report(v, CUSTOS_LOG_TAMPERED, file, line, "the checkpoint is signed by %s, not by %s", key,
               v->key_text);
        return false;
    }
    if (crypto_sign_verify_detached(raw, (const unsigned char *)head, strlen(head), v->key) != 0) {
        report(v, CUSTOS_LOG_TAMPERED, file, line, "the checkpoint's signature is not valid");
        return false;
    }
    v->out->checkpoints++;
    v->out->after_checkpoint = 0;
    return true;
}

/* Checks one complete line (without its "\n"); false when it is bad (reported). */
static bool check_record(verifier *v, const char *text, size_t len, const char *file,
                         unsigned line) {
    static const char hash_key[] = ",\"hash\":\"sha256:";
    if (len < LOG_HASH_SUFFIX_LEN + 2 ||
        memcmp(text + len - LOG_HASH_SUFFIX_LEN, hash_key, sizeof hash_key - 1) != 0 ||
        memcmp(text + len - 2, "\"}", 2) != 0) {
        report(v, CUSTOS_LOG_TAMPERED, file, line,
               "not a log record: expected a JSON object ending with ,\"hash\":\"sha256:<64 "
               "hex>\"}");
        return false;
    }
    size_t body = len - LOG_HASH_SUFFIX_LEN;
    char hash[CUSTOS_DIGEST_SIZE];
    memcpy(hash, text + body + 9, CUSTOS_DIGEST_SIZE - 1);
    hash[CUSTOS_DIGEST_SIZE - 1] = '\0';
    char computed[CUSTOS_DIGEST_SIZE];
    log_record_chain_hash(text, body, "", 0, computed);
    if (strcmp(hash, computed) != 0) {
        report(v, CUSTOS_LOG_TAMPERED, file, line,
               "the record was changed: its bytes hash to %s, it says %s", computed, hash);
        return false;
    }
    /* the hash is over the text as written: parse the same bytes, closed with "}" */
    char *closed = malloc(body + 2);
    if (!closed) {
        report(v, CUSTOS_LOG_TAMPERED, file, line, "out of memory");
        return false;
    }
    memcpy(closed, text, body);
    closed[body] = '}';
    closed[body + 1] = '\0';
    json_error_t jerr;
    json_t *rec = json_loadb(closed, body + 1, JSON_REJECT_DUPLICATES, &jerr);
    free(closed);
    const char *prev = json_string_value(json_object_get(rec, "prev"));
    const char *type = json_string_value(json_object_get(rec, "type"));
    bool ok = true;
    if (!json_is_object(rec) || !prev || !type || !is_digest(prev)) {
        report(v, CUSTOS_LOG_TAMPERED, file, line,
               "not a log record: expected a JSON object with \"type\" and \"prev\" "
               "(\"sha256:<64 hex>\")%s%s",
               rec ? "" : ": ", rec ? "" : jerr.text);
        ok = false;
    } else if (strcmp(prev, v->expected_prev) != 0) {
        if (v->first)
            report(v, CUSTOS_LOG_TAMPERED, file, line,
                   "the chain does not start here: prev is %s, expected %s (a record before "
                   "it was deleted, or give the previous file or --after)",
                   prev, v->expected_prev);
        else
            report(v, CUSTOS_LOG_TAMPERED, file, line,
                   "the chain breaks here: prev is %s but the record before has hash %s (a "
                   "record was deleted, inserted or moved)",
                   prev, v->expected_prev);
        ok = false;
    }
    if (ok) {
        if (v->first) snprintf(v->out->start, sizeof v->out->start, "%s", prev);
        v->first = false;
        v->out->records++;
        v->out->after_checkpoint++;
        if (v->has_key && strcmp(type, "checkpoint") == 0)
            ok = check_checkpoint(v, rec, prev, file, line);
    }
    json_decref(rec);
    if (!ok) return false;
    memcpy(v->prev_buf, hash, sizeof hash);
    v->expected_prev = v->prev_buf;
    memcpy(v->out->head, hash, sizeof hash);
    if (v->head && strcmp(v->head, hash) == 0) v->head_found = true;
    return true;
}

/* Reads one file; false when it holds a bad record (reported).  *io_status on a read error. */
static bool verify_file(verifier *v, const char *path, custos_status *io_status,
                        custos_error *err) {
    int fd;
    FILE *f = NULL;
    *io_status = file_open_regular(path, O_RDONLY, &fd, err);
    if (*io_status) return false;
    if (!(f = fdopen(fd, "rb"))) {
        close(fd);
        *io_status = error_set(err, CUSTOS_E_NOMEM, path, 0, 0, "out of memory");
        return false;
    }
    char *text = NULL;
    size_t cap = 0;
    ssize_t n;
    unsigned line = 0;
    bool ok = true;
    while (ok && (n = getline(&text, &cap, f)) > 0) {
        line++;
        if (text[n - 1] != '\n') {
            /* only a last line can lack its "\n": a write cut by a crash */
            if (v->out->verdict == CUSTOS_LOG_INTACT)
                report(v, CUSTOS_LOG_TORN, path, line,
                       "the last line is torn (%zd bytes without an end of line): a write cut "
                       "short, not counted; the next open cuts it and records a recovery",
                       n);
            break;
        }
        ok = check_record(v, text, (size_t)n - 1, path, line);
    }
    if (ok && ferror(f)) {
        *io_status =
            error_set(err, CUSTOS_E_IO, path, line, 0, "cannot read the log: %s", strerror(errno));
        ok = false;
    }
    free(text);
    fclose(f);
    return ok;
}

custos_status custos_log_verify(const char *const *paths, size_t count, const char *after,
                                const char *head, const char *public_key_hex,
                                custos_log_report *out, custos_error *err) {
    if (!out || !paths || !count)
        return error_set(err, CUSTOS_E_ARGUMENT, NULL, 0, 0,
                         "custos_log_verify: expected files and a report");
    memset(out, 0, sizeof *out);
    if (sodium_init() < 0)
        return error_set(err, CUSTOS_E_INTERNAL, NULL, 0, 0, "libsodium failed to initialise");
    if ((after && !is_digest(after)) || (head && !is_digest(head)))
        return error_set(err, CUSTOS_E_ARGUMENT, NULL, 0, 0,
                         "a digest must read sha256:<64 lower-case hex digits>");
    verifier v = {out, after ? after : LOG_GENESIS, "", after, head, false, false, {0}, "", true};
    if (public_key_hex) {
        size_t len = 0;
        if (sodium_hex2bin(v.key, sizeof v.key, public_key_hex, strlen(public_key_hex), NULL, &len,
                           NULL) != 0 ||
            len != sizeof v.key || strlen(public_key_hex) != 2 * sizeof v.key)
            return error_set(err, CUSTOS_E_ARGUMENT, NULL, 0, 0,
                             "a public key must be 64 hex digits (Ed25519, 32 bytes)");
        v.has_key = true;
        snprintf(v.key_text, sizeof v.key_text, "ed25519:%s", public_key_hex);
    }
    snprintf(out->start, sizeof out->start, "%s", v.expected_prev);
    snprintf(out->head, sizeof out->head, "%s", v.expected_prev);
    custos_status io = CUSTOS_OK;
    for (size_t i = 0; i < count; i++) {
        if (!verify_file(&v, paths[i], &io, err)) break;
    }
    if (io) return io;
    if (out->verdict == CUSTOS_LOG_INTACT && head && !v.head_found)
        report(&v, CUSTOS_LOG_TRUNCATED, paths[count - 1], 0,
               "no record has the head %s: records after it were removed (or it is from "
               "another log)",
               head);
    return CUSTOS_OK;
}
