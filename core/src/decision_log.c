/*
 * decision_log.c — custos_log: appending hash-chained records of decisions, durably, from
 * many threads (decision_log.h; the format is docs/audit-log.md's).
 */
#include "decision_log.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "fileio.h"
#include "log_record.h"
#include "revision.h"

#define DEFAULT_WINDOW_MS 100
#define PENDING_WRITE_BYTES (4u << 20) /* batched: past this, the deciding thread writes */
#define WAKE_BYTES (256u << 10)        /* batched: past this, the flusher chains and writes */
#define TAIL_CHUNK 65536

/* Two locks: `lock` is held for moments (an id, a copy into the queue); `io_lock` while the
 * queue is chained and written (and synced), which keeps batches in order.  Lock order: io_lock,
 * then lock. */
struct custos_log {
    pthread_mutex_t lock;    /* guards queue, spare, last_ms, counter, random, failed, stop */
    pthread_mutex_t io_lock; /* guards fd, path, head, out, since_checkpoint */
    int fd;
    char *path;
    char head[CUSTOS_DIGEST_SIZE]; /* the hash of the last record chained */
    uint64_t last_ms;              /* the last id's millisecond and counter (UUIDv7) */
    unsigned counter;
    uint64_t random;      /* the ids' random bits (splitmix64 state) */
    text_buf queue;       /* records formatted, not yet chained (see enqueue_locked) */
    text_buf spare;       /* the queue's other buffer */
    text_buf out;         /* the lines of one drain */
    custos_status failed; /* sticky: a write or sync failed; no record is appended after it */
    char failure[256];
    unsigned since_checkpoint;
    /* batched: the flusher thread */
    pthread_t flusher;
    pthread_cond_t wake;
    bool flusher_running, stop;
    bool woken; /* the flusher was signalled for a full queue (guarded by lock) */
    /* options, fixed at open */
    custos_log_sync sync;
    unsigned window_ms;
    log_redaction redact;
    bool signing;
    unsigned char secret_key[crypto_sign_SECRETKEYBYTES];
    unsigned checkpoint_every;
};

/* ---- the chain ----------------------------------------------------------------------------- */

/* A time-ordered id (RFC 9562 UUIDv7): the millisecond, then a counter within it (so ids
 * follow the chain's order even within one millisecond), then random bits.  Under the lock. */
static void next_id(custos_log *log, char *out) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    uint64_t ms = (uint64_t)now.tv_sec * 1000 + (uint64_t)now.tv_nsec / 1000000;
    if (ms <= log->last_ms) {
        ms = log->last_ms;
        if (++log->counter > 0xfff) {
            ms++;
            log->counter = 0;
        }
    } else
        log->counter = 0;
    log->last_ms = ms;
    /* splitmix64 seeded from the system's randomness at open: ids need to be unique, not
     * secret, and a syscall per record would cost more than the record */
    uint64_t r = (log->random += 0x9e3779b97f4a7c15ULL);
    r = (r ^ (r >> 30)) * 0xbf58476d1ce4e5b9ULL;
    r = (r ^ (r >> 27)) * 0x94d049bb133111ebULL;
    r ^= r >> 31;
    unsigned char b[16];
    for (int i = 0; i < 6; i++) b[i] = (unsigned char)(ms >> (40 - 8 * i));
    b[6] = (unsigned char)(0x70 | (log->counter >> 8));
    b[7] = (unsigned char)(log->counter & 0xff);
    for (int i = 0; i < 8; i++) b[8 + i] = (unsigned char)(r >> (8 * i));
    b[8] = (unsigned char)(0x80 | (b[8] & 0x3f));
    static const char hex[] = "0123456789abcdef";
    char *p = out;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10) *p++ = '-';
        *p++ = hex[b[i] >> 4];
        *p++ = hex[b[i] & 15];
    }
    *p = '\0';
}

/* Marks the log failed (sticky) and says so in err. */
static custos_status log_fail(custos_log *log, custos_error *err, const char *what, int errnum) {
    char failure[sizeof log->failure];
    pthread_mutex_lock(&log->lock);
    if (!log->failed) {
        log->failed = CUSTOS_E_IO;
        snprintf(log->failure, sizeof log->failure, "%s: %s", what, strerror(errnum));
    }
    memcpy(failure, log->failure, sizeof failure);
    pthread_mutex_unlock(&log->lock);
    return error_set(err, CUSTOS_E_IO, log->path, 0, 0, "the decision log cannot be written (%s)",
                     failure);
}

static bool write_all(int fd, const char *p, size_t len) {
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        p += n;
        len -= (size_t)n;
    }
    return true;
}

/* Queues one record's opening ({"v":1,"id":..,"type":..) and members; under the lock.  Each
 * queued record is its length (size_t) then its bytes; the chain is made when it is written. */
static custos_status enqueue_locked(custos_log *log, const char *type, const char *members,
                                    size_t members_len, custos_error *err) {
    if (log->failed) /* no path: it is io_lock's, and a rotation may be changing it */
        return error_set(err, log->failed, NULL, 0, 0, "the decision log cannot be written (%s)",
                         log->failure);
    /* {"v":1,"id":"<36>","type":"<type>" */
    static const char id_key[] = "{\"v\":1,\"id\":\"", type_key[] = "\",\"type\":\"";
    char open[128];
    size_t type_len = strlen(type), at = sizeof id_key - 1;
    memcpy(open, id_key, at);
    next_id(log, open + at); /* 36 characters and a NUL */
    at += 36;
    memcpy(open + at, type_key, sizeof type_key - 1);
    at += sizeof type_key - 1;
    memcpy(open + at, type, type_len);
    at += type_len;
    open[at++] = '"';
    size_t open_len = at;
    size_t len = open_len + members_len;
    if (log->queue.len + sizeof len + len > log->queue.cap) {
        size_t cap = log->queue.cap ? log->queue.cap : 65536;
        while (cap < log->queue.len + sizeof len + len) cap *= 2;
        char *grown = realloc(log->queue.p, cap);
        if (!grown) return error_set(err, CUSTOS_E_NOMEM, NULL, 0, 0, "out of memory");
        log->queue.p = grown;
        log->queue.cap = cap;
    }
    char *p = log->queue.p + log->queue.len;
    memcpy(p, &len, sizeof len);
    memcpy(p + sizeof len, open, open_len);
    memcpy(p + sizeof len + open_len, members, members_len);
    log->queue.len += sizeof len + len;
    return CUSTOS_OK;
}

/* Chains one record (its opening and members) after the head into out: the line with prev and
 * hash, "\n"-terminated.  Under io_lock. */
static void chain_record(custos_log *log, const char *rec, size_t len, text_buf *out) {
    char tail[96];
    int tail_len = snprintf(tail, sizeof tail, ",\"prev\":\"%s\"", log->head);
    text_buf_put(out, rec, len);
    text_buf_put(out, tail, (size_t)tail_len); /* the hash member closes it */
    log_record_chain_hash(rec, len, tail, (size_t)tail_len, log->head);
    text_buf_put(out, ",\"hash\":\"", 9);
    text_buf_put(out, log->head, CUSTOS_DIGEST_SIZE - 1);
    text_buf_put(out, "\"}\n", 3);
    log->since_checkpoint++;
}

/* A checkpoint signing the head, chained at once.  Under io_lock. */
static void chain_checkpoint(custos_log *log, text_buf *out) {
    unsigned char sig[crypto_sign_BYTES], pk[crypto_sign_PUBLICKEYBYTES];
    crypto_sign_ed25519_sk_to_pk(pk, log->secret_key);
    /* what is signed: the head as text ("sha256:<hex>", 71 bytes) */
    crypto_sign_detached(sig, NULL, (const unsigned char *)log->head, strlen(log->head),
                         log->secret_key);
    char pk_hex[2 * sizeof pk + 1], sig_hex[2 * sizeof sig + 1], when[28], id[37];
    sodium_bin2hex(pk_hex, sizeof pk_hex, pk, sizeof pk);
    sodium_bin2hex(sig_hex, sizeof sig_hex, sig, sizeof sig);
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    log_record_time(&now, when);
    pthread_mutex_lock(&log->lock);
    next_id(log, id);
    pthread_mutex_unlock(&log->lock);
    char rec[640];
    int n = snprintf(rec, sizeof rec,
                     "{\"v\":1,\"id\":\"%s\",\"type\":\"checkpoint\",\"time\":\"%s\","
                     "\"head\":\"%s\",\"key\":\"ed25519:%s\",\"signature\":\"ed25519:%s\"",
                     id, when, log->head, pk_hex, sig_hex);
    chain_record(log, rec, (size_t)n, out);
    log->since_checkpoint = 0;
}

/* Takes the queue, chains its records (and the checkpoints due), writes them with one write;
 * syncs when `sync`.  Under io_lock (which keeps batches in order). */
static custos_status drain(custos_log *log, bool sync, custos_error *err) {
    pthread_mutex_lock(&log->lock);
    text_buf queue = log->queue;
    log->queue = log->spare;
    log->queue.len = 0;
    pthread_mutex_unlock(&log->lock);
    text_buf *out = &log->out;
    out->len = 0;
    for (size_t at = 0; at < queue.len;) {
        size_t len;
        memcpy(&len, queue.p + at, sizeof len);
        chain_record(log, queue.p + at + sizeof len, len, out);
        at += sizeof len + len;
        if (log->signing && log->checkpoint_every && log->since_checkpoint >= log->checkpoint_every)
            chain_checkpoint(log, out);
    }
    queue.len = 0;
    pthread_mutex_lock(&log->lock);
    log->spare = queue; /* its memory serves the next swap */
    pthread_mutex_unlock(&log->lock);
    if (out->failed) return log_fail(log, err, "out of memory", ENOMEM);
    if (out->len && !write_all(log->fd, out->p, out->len))
        return log_fail(log, err, "write", errno);
    if (sync && out->len && fdatasync(log->fd) != 0) return log_fail(log, err, "fdatasync", errno);
    return CUSTOS_OK;
}

custos_status decision_log_record(custos_log *log, const custos_request *req,
                                  const custos_decision *d, const char *revision,
                                  const struct timespec *decided_at, custos_error *err) {
    char room[4096]; /* most records fit: no allocation per decision */
    text_buf members = {room, 0, sizeof room, false, true};
    log_record_decision(&members, &log->redact, req, d, revision, decided_at);
    if (members.failed) {
        if (!members.borrowed) free(members.p);
        return error_set(err, CUSTOS_E_NOMEM, NULL, 0, 0, "out of memory");
    }
    bool fsync_each = log->sync == CUSTOS_LOG_FSYNC_EACH;
    if (fsync_each) pthread_mutex_lock(&log->io_lock);
    pthread_mutex_lock(&log->lock);
    custos_status st = enqueue_locked(log, "decision", members.p, members.len, err);
    bool backlog = log->queue.len >= PENDING_WRITE_BYTES;
    if (!fsync_each && !log->woken && log->queue.len >= WAKE_BYTES) {
        /* written while it is still in the caches, not a whole window later */
        log->woken = true;
        pthread_cond_signal(&log->wake);
    }
    pthread_mutex_unlock(&log->lock);
    if (!members.borrowed) free(members.p);
    if (fsync_each) {
        if (!st) st = drain(log, true, err);
        pthread_mutex_unlock(&log->io_lock);
    } else if (!st && backlog) {
        /* the flusher is behind: this thread chains and writes (not syncs) what is queued */
        pthread_mutex_lock(&log->io_lock);
        st = drain(log, false, err);
        pthread_mutex_unlock(&log->io_lock);
    }
    return st;
}

/* ---- batched mode's flusher ------------------------------------------------------------------ */

/* Every window: chain, write and fdatasync what is queued.  Woken earlier by a full queue:
 * chain and write it (the sync waits for the window). */
static void *flusher_main(void *arg) {
    custos_log *log = arg;
    struct timespec sync_at;
    clock_gettime(CLOCK_REALTIME, &sync_at);
    pthread_mutex_lock(&log->lock);
    while (!log->stop) {
        sync_at.tv_nsec += (long)(log->window_ms % 1000) * 1000000L;
        sync_at.tv_sec += log->window_ms / 1000 + sync_at.tv_nsec / 1000000000L;
        sync_at.tv_nsec %= 1000000000L;
        bool due = false;
        while (!log->stop && !due) {
            if (!log->woken && pthread_cond_timedwait(&log->wake, &log->lock, &sync_at) != 0)
                due = true; /* the window is over */
            bool write_now = log->woken;
            log->woken = false;
            if (log->failed || (!due && !write_now)) continue;
            pthread_mutex_unlock(&log->lock);
            pthread_mutex_lock(&log->io_lock);
            drain(log, due, NULL);
            pthread_mutex_unlock(&log->io_lock);
            pthread_mutex_lock(&log->lock);
        }
        clock_gettime(CLOCK_REALTIME, &sync_at);
    }
    pthread_mutex_unlock(&log->lock);
    return NULL;
}

/* ---- opening: continuing the chain after the last complete record --------------------------- */

/* The offset just after the last "\n" of the file (0 when there is none). */
static custos_status find_last_newline(int fd, off_t size, off_t *after, const char *path,
                                       custos_error *err) {
    char buf[TAIL_CHUNK];
    off_t end = size;
    while (end > 0) {
        off_t start = end > (off_t)sizeof buf ? end - (off_t)sizeof buf : 0;
        ssize_t n = pread(fd, buf, (size_t)(end - start), start);
        if (n != end - start)
            return error_set(err, CUSTOS_E_IO, path, 0, 0, "cannot read the log: %s",
                             strerror(errno));
        for (ssize_t i = n; i > 0; i--)
            if (buf[i - 1] == '\n') {
                *after = start + i;
                return CUSTOS_OK;
            }
        end = start;
    }
    *after = 0;
    return CUSTOS_OK;
}

/* The 1-based number of the line that starts before offset (for errors). */
static unsigned line_at(int fd, off_t offset) {
    char buf[TAIL_CHUNK];
    unsigned lines = 1;
    for (off_t at = 0; at < offset;) {
        size_t want = offset - at > (off_t)sizeof buf ? sizeof buf : (size_t)(offset - at);
        ssize_t n = pread(fd, buf, want, at);
        if (n <= 0) break;
        for (ssize_t i = 0; i < n; i++) lines += buf[i] == '\n';
        at += n;
    }
    return lines;
}

static bool is_hex(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return false;
    return true;
}

/* Cuts an unterminated tail (from `from` to size) and appends a recovery record naming it. */
static custos_status cut_torn_tail(custos_log *log, off_t from, off_t size, custos_error *err) {
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    char buf[TAIL_CHUNK];
    for (off_t at = from; at < size;) {
        size_t want = size - at > (off_t)sizeof buf ? sizeof buf : (size_t)(size - at);
        ssize_t n = pread(log->fd, buf, want, at);
        if (n <= 0)
            return error_set(err, CUSTOS_E_IO, log->path, 0, 0, "cannot read the log: %s",
                             strerror(errno));
        crypto_hash_sha256_update(&h, (const unsigned char *)buf, (size_t)n);
        at += n;
    }
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&h, digest);
    char cut[CUSTOS_DIGEST_SIZE];
    revision_format_digest(digest, cut);
    unsigned line = line_at(log->fd, from);
    if (ftruncate(log->fd, from) != 0 || fdatasync(log->fd) != 0)
        return error_set(err, CUSTOS_E_IO, log->path, 0, 0, "cannot cut the torn last line: %s",
                         strerror(errno));
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    char when[28], members[256];
    log_record_time(&now, when);
    int n = snprintf(members, sizeof members,
                     ",\"time\":\"%s\",\"cut_line\":%u,\"cut_bytes\":%lld,\"cut_sha256\":\"%s\"",
                     when, line, (long long)(size - from), cut);
    pthread_mutex_lock(&log->io_lock);
    pthread_mutex_lock(&log->lock);
    custos_status st = enqueue_locked(log, "recovery", members, (size_t)n, err);
    pthread_mutex_unlock(&log->lock);
    if (!st) st = drain(log, true, err);
    pthread_mutex_unlock(&log->io_lock);
    return st;
}

/* Reads the head (the last complete record's hash) of the open file, cutting a torn tail. */
static custos_status continue_chain(custos_log *log, custos_error *err) {
    struct stat sb;
    if (fstat(log->fd, &sb) != 0)
        return error_set(err, CUSTOS_E_IO, log->path, 0, 0, "cannot stat the log: %s",
                         strerror(errno));
    if (!S_ISREG(sb.st_mode))
        return error_set(err, CUSTOS_E_IO, log->path, 0, 0, "a log must be a regular file");
    memcpy(log->head, LOG_GENESIS, sizeof LOG_GENESIS);
    off_t after = 0;
    custos_status st = find_last_newline(log->fd, sb.st_size, &after, log->path, err);
    if (st) return st;
    if (after > 0) {
        char suffix[LOG_HASH_SUFFIX_LEN + 1];
        bool ok = after - 1 >= LOG_HASH_SUFFIX_LEN &&
                  pread(log->fd, suffix, sizeof suffix, after - 1 - LOG_HASH_SUFFIX_LEN) ==
                      (ssize_t)sizeof suffix &&
                  memcmp(suffix, ",\"hash\":\"sha256:", 16) == 0 && is_hex(suffix + 16, 64) &&
                  memcmp(suffix + 80, "\"}\n", 3) == 0 && !memchr(suffix, '\n', 80);
        if (!ok) {
            unsigned line = line_at(log->fd, after - 1);
            return error_set(err, CUSTOS_E_INPUT, log->path, line, 1,
                             "the last complete line is not a log record (expected it to end "
                             "with ,\"hash\":\"sha256:<64 hex>\"}); check the file with "
                             "`custos audit verify`");
        }
        memcpy(log->head, suffix + 9, CUSTOS_DIGEST_SIZE - 1);
        log->head[CUSTOS_DIGEST_SIZE - 1] = '\0';
    }
    if (after < sb.st_size) return cut_torn_tail(log, after, sb.st_size, err);
    return CUSTOS_OK;
}

static custos_status open_file(custos_log *log, const char *path, bool must_be_empty,
                               custos_error *err) {
    int fd;
    custos_status opened = file_open_regular(path, O_RDWR | O_CREAT | O_APPEND, &fd, err);
    if (opened) return opened;
    struct stat sb;
    if (must_be_empty && (fstat(fd, &sb) != 0 || sb.st_size != 0)) {
        close(fd);
        return error_set(err, CUSTOS_E_ARGUMENT, path, 0, 0,
                         "a log is rotated into an empty or new file; this one holds %lld bytes",
                         (long long)sb.st_size);
    }
    char *copy = strdup(path);
    if (!copy) {
        close(fd);
        return error_set(err, CUSTOS_E_NOMEM, NULL, 0, 0, "out of memory");
    }
    free(log->path);
    log->path = copy;
    log->fd = fd;
    return CUSTOS_OK;
}

static void log_free(custos_log *log) {
    if (log->fd >= 0) close(log->fd);
    for (size_t i = 0; i < log->redact.count; i++) free(log->redact.fields[i]);
    free(log->redact.fields);
    free(log->queue.p);
    free(log->spare.p);
    free(log->out.p);
    free(log->path);
    sodium_memzero(log->secret_key, sizeof log->secret_key);
    pthread_cond_destroy(&log->wake);
    pthread_mutex_destroy(&log->io_lock);
    pthread_mutex_destroy(&log->lock);
    free(log);
}

custos_status custos_log_open(const char *path, const custos_log_options *opt, custos_log **out,
                              custos_error *err) {
    if (!path || !out)
        return error_set(err, CUSTOS_E_ARGUMENT, NULL, 0, 0,
                         "custos_log_open: expected a path and an out pointer");
    *out = NULL;
    if (sodium_init() < 0)
        return error_set(err, CUSTOS_E_INTERNAL, NULL, 0, 0, "libsodium failed to initialise");
    custos_log *log = calloc(1, sizeof *log);
    if (!log) return error_set(err, CUSTOS_E_NOMEM, NULL, 0, 0, "out of memory");
    log->fd = -1;
    pthread_mutex_init(&log->lock, NULL);
    pthread_mutex_init(&log->io_lock, NULL);
    pthread_cond_init(&log->wake, NULL);
    randombytes_buf(&log->random, sizeof log->random);
    custos_log_options defaults = {CUSTOS_LOG_FSYNC_EACH, 0, NULL, 0, NULL, 0};
    if (!opt) opt = &defaults;
    log->sync = opt->sync;
    log->window_ms = opt->batch_window_ms ? opt->batch_window_ms : DEFAULT_WINDOW_MS;
    log->checkpoint_every = opt->checkpoint_every;
    if (opt->signing_key) {
        log->signing = true;
        memcpy(log->secret_key, opt->signing_key, sizeof log->secret_key);
    }
    custos_status st = CUSTOS_OK;
    if (opt->sync != CUSTOS_LOG_FSYNC_EACH && opt->sync != CUSTOS_LOG_BATCHED)
        st = error_set(err, CUSTOS_E_ARGUMENT, NULL, 0, 0,
                       "custos_log_open: sync must be CUSTOS_LOG_FSYNC_EACH or CUSTOS_LOG_BATCHED");
    if (!st && opt->redact_count) {
        log->redact.fields = calloc(opt->redact_count, sizeof *log->redact.fields);
        if (!log->redact.fields) st = error_set(err, CUSTOS_E_NOMEM, NULL, 0, 0, "out of memory");
        for (size_t i = 0; !st && i < opt->redact_count; i++) {
            if (!opt->redact[i] || !*opt->redact[i])
                st = error_set(err, CUSTOS_E_ARGUMENT, NULL, 0, 0,
                               "custos_log_open: redacted field %zu is empty", i + 1);
            else if (!(log->redact.fields[log->redact.count++] = strdup(opt->redact[i])))
                st = error_set(err, CUSTOS_E_NOMEM, NULL, 0, 0, "out of memory");
        }
    }
    if (!st) st = open_file(log, path, false, err);
    if (!st) st = continue_chain(log, err);
    if (!st && log->sync == CUSTOS_LOG_BATCHED) {
        if (pthread_create(&log->flusher, NULL, flusher_main, log) != 0)
            st = error_set(err, CUSTOS_E_INTERNAL, NULL, 0, 0, "cannot start the log's flusher");
        else
            log->flusher_running = true;
    }
    if (st) {
        log_free(log);
        return st;
    }
    *out = log;
    return CUSTOS_OK;
}

/* The sticky failure, if any, in err. */
static custos_status check_failed(custos_log *log, custos_error *err) {
    char failure[sizeof log->failure];
    pthread_mutex_lock(&log->lock);
    custos_status st = log->failed;
    memcpy(failure, log->failure, sizeof failure);
    pthread_mutex_unlock(&log->lock);
    return st ? error_set(err, st, log->path, 0, 0, "the decision log cannot be written (%s)",
                          failure)
              : CUSTOS_OK;
}

custos_status custos_log_flush(custos_log *log, custos_error *err) {
    if (!log) return error_set(err, CUSTOS_E_ARGUMENT, NULL, 0, 0, "custos_log_flush: log is NULL");
    pthread_mutex_lock(&log->io_lock);
    custos_status st = check_failed(log, err);
    if (!st) st = drain(log, false, err);
    if (!st && fdatasync(log->fd) != 0) st = log_fail(log, err, "fdatasync", errno);
    pthread_mutex_unlock(&log->io_lock);
    return st;
}

/* Chains what is queued and a checkpoint after it, writes and syncs; under io_lock. */
static custos_status checkpoint_now(custos_log *log, custos_error *err) {
    custos_status st = check_failed(log, err);
    if (!st) st = drain(log, false, err);
    if (st) return st;
    log->out.len = 0;
    chain_checkpoint(log, &log->out);
    if (log->out.failed) return log_fail(log, err, "out of memory", ENOMEM);
    if (!write_all(log->fd, log->out.p, log->out.len)) return log_fail(log, err, "write", errno);
    if (fdatasync(log->fd) != 0) return log_fail(log, err, "fdatasync", errno);
    return CUSTOS_OK;
}

custos_status custos_log_keygen(unsigned char *secret_key, char *public_hex) {
    if (!secret_key || !public_hex) return CUSTOS_E_ARGUMENT;
    if (sodium_init() < 0) return CUSTOS_E_INTERNAL;
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    if (crypto_sign_keypair(pk, secret_key) != 0) return CUSTOS_E_INTERNAL;
    sodium_bin2hex(public_hex, 2 * sizeof pk + 1, pk, sizeof pk);
    return CUSTOS_OK;
}

custos_status custos_log_checkpoint(custos_log *log, custos_error *err) {
    if (!log || !log->signing)
        return error_set(err, CUSTOS_E_ARGUMENT, NULL, 0, 0,
                         "custos_log_checkpoint: the log was opened without a signing key");
    pthread_mutex_lock(&log->io_lock);
    custos_status st = checkpoint_now(log, err);
    pthread_mutex_unlock(&log->io_lock);
    return st;
}

custos_status custos_log_rotate(custos_log *log, const char *new_path, custos_error *err) {
    if (!log || !new_path)
        return error_set(err, CUSTOS_E_ARGUMENT, NULL, 0, 0,
                         "custos_log_rotate: expected a log and a path");
    pthread_mutex_lock(&log->io_lock);
    custos_status st = check_failed(log, err);
    if (!st) st = drain(log, false, err);
    if (!st && log->signing && log->since_checkpoint) st = checkpoint_now(log, err);
    if (!st && fdatasync(log->fd) != 0) st = log_fail(log, err, "fdatasync", errno);
    int old_fd = log->fd;
    if (!st) st = open_file(log, new_path, true, err);
    if (!st) close(old_fd);
    pthread_mutex_unlock(&log->io_lock);
    return st;
}

custos_status custos_log_head(custos_log *log, char *out) {
    if (!log || !out) return CUSTOS_E_ARGUMENT;
    pthread_mutex_lock(&log->io_lock);
    custos_status st = drain(log, false, NULL); /* the head of every record appended */
    memcpy(out, log->head, CUSTOS_DIGEST_SIZE);
    pthread_mutex_unlock(&log->io_lock);
    return st;
}

void custos_log_close(custos_log *log) {
    if (!log) return;
    pthread_mutex_lock(&log->lock);
    log->stop = true;
    pthread_cond_signal(&log->wake);
    pthread_mutex_unlock(&log->lock);
    if (log->flusher_running) pthread_join(log->flusher, NULL);
    pthread_mutex_lock(&log->io_lock);
    if (!check_failed(log, NULL)) {
        if (drain(log, false, NULL) == CUSTOS_OK && log->signing && log->since_checkpoint)
            checkpoint_now(log, NULL);
        fdatasync(log->fd);
    }
    pthread_mutex_unlock(&log->io_lock);
    log_free(log);
}
