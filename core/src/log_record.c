/*
 * log_record.c — the text of a decision log record (log_record.h), written from the decision's
 * and the request's own arrays: the public accessors would render messages a record does not
 * hold.  Strings that need no escaping are copied as they are; any other goes through json_out,
 * so the text is always what jansson would write.
 */
#include "log_record.h"

#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decision.h"
#include "json_out.h"
#include "request.h"
#include "revision.h"

/* ---- formatting: a small writer with a fast path for plain ASCII --------------------------- */

static bool grow(text_buf *t, size_t more) {
    if (t->failed) return false;
    size_t cap = t->cap ? t->cap : 1024;
    while (cap < t->len + more) cap *= 2;
    char *grown = t->borrowed ? malloc(cap) : realloc(t->p, cap);
    if (!grown) {
        t->failed = true;
        return false;
    }
    if (t->borrowed && t->len) memcpy(grown, t->p, t->len);
    t->borrowed = false;
    t->p = grown;
    t->cap = cap;
    return true;
}

#if defined(__GNUC__)
#define HOT_INLINE inline __attribute__((always_inline))
#else
#define HOT_INLINE inline
#endif

/* Room for `more` bytes (inline: it runs for every piece of every record). */
static HOT_INLINE bool reserve(text_buf *t, size_t more) {
    return t->len + more <= t->cap ? !t->failed : grow(t, more);
}

static HOT_INLINE void put_raw(text_buf *t, const char *s, size_t n) {
    if (!reserve(t, n)) return;
    memcpy(t->p + t->len, s, n);
    t->len += n;
}

#define PUT_LITERAL(t, s) put_raw((t), (s), sizeof(s) - 1)

void text_buf_put(text_buf *t, const char *s, size_t n) { put_raw(t, s, n); }

/* Appends a value json_out wrote (its rules for escaping, numbers and invalid UTF-8). */
static void put_json_out(text_buf *t, json_out *w) {
    size_t n = 0;
    char *text = json_out_finish(w, &n);
    if (!text) {
        t->failed = true;
        return;
    }
    put_raw(t, text, n);
    free(text);
}

/* Whether n bytes are all printable ASCII but '"' and '\\' (what a JSON string holds as is),
 * eight at a time (SWAR: a byte's high bit marks a match in each test). */
static HOT_INLINE bool all_plain(const char *s, size_t n) {
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        uint64_t quote = w ^ (ones * '"'), backslash = w ^ (ones * '\\');
        uint64_t bad = (w & highs) | ((w - ones * 0x20) & ~w & highs) |
                       ((quote - ones) & ~quote & highs) |
                       ((backslash - ones) & ~backslash & highs);
        if (bad) return false;
    }
    for (; i < n; i++) {
        unsigned b = (unsigned char)s[i];
        if (b < 0x20 || b >= 0x80 || b == '"' || b == '\\') return false;
    }
    return true;
}

/* A JSON string: copied as it is when every byte is plain, else as json_out writes it (so the
 * text is jansson's: escapes, and U+FFFD for bytes that are not UTF-8). */
static HOT_INLINE void put_string(text_buf *t, const char *s, size_t n) {
    if (!all_plain(s, n)) {
        json_out w;
        json_out_init(&w, 0);
        json_out_string_len(&w, s, n);
        put_json_out(t, &w);
        return;
    }
    if (!reserve(t, n + 2)) return;
    char *out = t->p + t->len;
    out[0] = '"';
    memcpy(out + 1, s, n);
    out[n + 1] = '"';
    t->len += n + 2;
}

static void put_cstring(text_buf *t, const char *s) {
    s = s ? s : "";
    put_string(t, s, strlen(s));
}

/* "key": (the key is one of this file's: plain ASCII) */
static void put_key(text_buf *t, const char *key) {
    size_t n = strlen(key);
    if (!reserve(t, n + 3)) return;
    t->p[t->len++] = '"';
    memcpy(t->p + t->len, key, n);
    t->len += n;
    t->p[t->len++] = '"';
    t->p[t->len++] = ':';
}

void log_record_time(const struct timespec *t, char *out) {
    /* civil from days (H. Hinnant), without gmtime's locking */
    int64_t secs = (int64_t)t->tv_sec, days = secs / 86400, rem = secs % 86400;
    if (rem < 0) {
        rem += 86400;
        days--;
    }
    int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    unsigned d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
    int64_t y = (int64_t)yoe + era * 400 + (m <= 2);
    unsigned hh = (unsigned)(rem / 3600), mm = (unsigned)(rem / 60 % 60), ss = (unsigned)(rem % 60);
    unsigned long us = (unsigned long)(t->tv_nsec / 1000);
    if (y < 0 || y > 9999) y = 0; /* outside RFC 3339: cannot be a clock's reading */
    char *p = out;
    unsigned yy = (unsigned)y;
    *p++ = (char)('0' + yy / 1000);
    *p++ = (char)('0' + yy / 100 % 10);
    *p++ = (char)('0' + yy / 10 % 10);
    *p++ = (char)('0' + yy % 10);
    *p++ = '-';
    *p++ = (char)('0' + m / 10);
    *p++ = (char)('0' + m % 10);
    *p++ = '-';
    *p++ = (char)('0' + d / 10);
    *p++ = (char)('0' + d % 10);
    *p++ = 'T';
    *p++ = (char)('0' + hh / 10);
    *p++ = (char)('0' + hh % 10);
    *p++ = ':';
    *p++ = (char)('0' + mm / 10);
    *p++ = (char)('0' + mm % 10);
    *p++ = ':';
    *p++ = (char)('0' + ss / 10);
    *p++ = (char)('0' + ss % 10);
    *p++ = '.';
    for (unsigned long div = 100000; div; div /= 10) *p++ = (char)('0' + us / div % 10);
    *p++ = 'Z';
    *p = '\0';
}

void log_record_digest(const char *bytes, size_t len, char *out) {
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, (const unsigned char *)bytes, len);
    revision_format_digest(digest, out);
}

void log_record_chain_hash(const char *body, size_t body_len, const char *more, size_t more_len,
                           char *out) {
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    crypto_hash_sha256_update(&h, (const unsigned char *)body, body_len);
    crypto_hash_sha256_update(&h, (const unsigned char *)more, more_len);
    crypto_hash_sha256_update(&h, (const unsigned char *)"}", 1);
    crypto_hash_sha256_final(&h, digest);
    revision_format_digest(digest, out);
}

void custos_digest(const void *bytes, size_t len, char *out) {
    if (!out) return;
    if (sodium_init() < 0) { /* cannot happen once the library loaded; say nothing false */
        out[0] = '\0';
        return;
    }
    log_record_digest(bytes ? bytes : "", bytes ? len : 0, out);
}

static void put_node(text_buf *t, const doc_node *n) {
    char num[32];
    switch (n->kind) {
    case DOC_NULL: PUT_LITERAL(t, "null"); break;
    case DOC_BOOL:
        if (n->u.b)
            PUT_LITERAL(t, "true");
        else
            PUT_LITERAL(t, "false");
        break;
    case DOC_INT:
        put_raw(t, num, (size_t)snprintf(num, sizeof num, "%lld", (long long)n->u.i));
        break;
    case DOC_NUM: {
        json_out w;
        json_out_init(&w, 0);
        json_out_real(&w, n->u.n);
        put_json_out(t, &w);
        break;
    }
    case DOC_STR: put_string(t, n->u.str.s, n->u.str.len); break;
    case DOC_SEQ:
        PUT_LITERAL(t, "[");
        for (size_t i = 0; i < n->u.seq.count; i++) {
            if (i) PUT_LITERAL(t, ",");
            put_node(t, n->u.seq.items[i]);
        }
        PUT_LITERAL(t, "]");
        break;
    case DOC_MAP:
        PUT_LITERAL(t, "{");
        for (size_t i = 0; i < n->u.map.count; i++) {
            if (i) PUT_LITERAL(t, ",");
            put_cstring(t, n->u.map.keys[i]);
            PUT_LITERAL(t, ":");
            put_node(t, n->u.map.values[i]);
        }
        PUT_LITERAL(t, "}");
        break;
    }
}

/* Whether the field at path (len bytes) is one the host named, or under one. */
static bool redacted(const log_redaction *r, const char *path, size_t len) {
    for (size_t i = 0; i < r->count; i++) {
        size_t n = strlen(r->fields[i]);
        if (n <= len && memcmp(path, r->fields[i], n) == 0 && (n == len || path[n] == '.'))
            return true;
    }
    return false;
}

/* A redacted value: the digest of a string's bytes, else of its compact JSON. */
static void put_digest(text_buf *t, const doc_node *n) {
    char digest[CUSTOS_DIGEST_SIZE];
    if (n->kind == DOC_STR) {
        log_record_digest(n->u.str.s, n->u.str.len, digest);
    } else {
        text_buf v = {NULL, 0, 0, false, false};
        put_node(&v, n);
        log_record_digest(v.p ? v.p : "", v.len, digest);
        free(v.p);
    }
    put_raw(t, "\"", 1);
    put_raw(t, digest, CUSTOS_DIGEST_SIZE - 1);
    put_raw(t, "\"", 1);
}

/* The request as one flat object: each value that is not a table under its dotted path, in the
 * request's order (so `show` and a reader find "subject.id" however the request was built). */
static void put_flat(text_buf *t, const log_redaction *redact, char *path, size_t len, size_t cap,
                     const doc_node *n, bool *first) {
    if (n->kind == DOC_MAP && n->u.map.count) {
        for (size_t i = 0; i < n->u.map.count; i++) {
            size_t klen = strlen(n->u.map.keys[i]);
            if (len + 1 + klen + 1 > cap) continue; /* beyond any declared path */
            path[len] = '.';
            memcpy(path + len + 1, n->u.map.keys[i], klen + 1);
            put_flat(t, redact, path, len + 1 + klen, cap, n->u.map.values[i], first);
        }
        path[len] = '\0';
        return;
    }
    if (!*first) PUT_LITERAL(t, ",");
    *first = false;
    put_string(t, path, len);
    PUT_LITERAL(t, ":");
    if (redacted(redact, path, len))
        put_digest(t, n);
    else
        put_node(t, n);
}

static void put_request(text_buf *t, const log_redaction *redact, const custos_request *req) {
    char path[1024];
    bool first = true;
    PUT_LITERAL(t, "{");
    for (size_t i = 0; i < req->entry_count; i++) {
        const req_entry *e = &req->entries[i];
        size_t len = e->path->len;
        if (len + 1 > sizeof path) continue;
        memcpy(path, e->path->text, len + 1);
        put_flat(t, redact, path, len, sizeof path, e->value, &first);
    }
    PUT_LITERAL(t, "}");
}

static const char *request_time(const custos_request *req) {
    for (size_t i = 0; i < req->entry_count; i++)
        if (req->entries[i].path->is_time && req->entries[i].value->kind == DOC_STR)
            return req->entries[i].value->u.str.s;
    return NULL;
}

/* The article at index in d's bundle, and its regime's id (NULL, "" when there is none). */
static const bundle_article *article_at(const custos_decision *d, size_t index,
                                        const char **regime) {
    const bundle *b = d->bundle;
    *regime = "";
    if (!b || index >= b->article_count) return NULL;
    const bundle_article *a = &b->articles[index];
    if (a->regime < b->regime_count && b->regimes[a->regime].id) *regime = b->regimes[a->regime].id;
    return a;
}

static void put_article_ref(text_buf *t, const custos_decision *d, size_t index) {
    const char *regime;
    const bundle_article *a = article_at(d, index, &regime);
    PUT_LITERAL(t, "\"regime\":");
    put_cstring(t, regime);
    PUT_LITERAL(t, ",\"article\":");
    put_cstring(t, a ? a->number : "");
}

/* The members of a decision record after "type" (",\"time\":..."), appended to t.  Read from
 * the decision's own arrays: the public accessors render messages a record does not hold. */
void log_record_decision(text_buf *t, const log_redaction *redact, const custos_request *req,
                         const custos_decision *d, const char *revision,
                         const struct timespec *decided_at) {
    char when[28];
    log_record_time(decided_at, when);
    PUT_LITERAL(t, ",\"time\":\"");
    put_raw(t, when, 27);
    PUT_LITERAL(t, "\",\"request_time\":");
    const char *asked = request_time(req);
    if (asked)
        put_cstring(t, asked);
    else
        PUT_LITERAL(t, "null");
    PUT_LITERAL(t, ",\"revision\":");
    put_cstring(t, revision);
    PUT_LITERAL(t, ",\"effect\":\"");
    put_raw(t, custos_effect_name(d->effect), strlen(custos_effect_name(d->effect)));
    PUT_LITERAL(t, "\",\"articles\":[");
    for (size_t i = 0, n = 0; i < d->reason_count; i++) {
        if (d->reasons[i] >= d->verdict_count) continue;
        if (n++) PUT_LITERAL(t, ",");
        PUT_LITERAL(t, "{");
        put_article_ref(t, d, d->verdicts[d->reasons[i]].article);
        PUT_LITERAL(t, "}");
    }
    PUT_LITERAL(t, "],\"obligations\":[");
    for (size_t i = 0; i < d->obligation_count; i++) {
        const decision_obligation *o = &d->obligations[i];
        if (i) PUT_LITERAL(t, ",");
        PUT_LITERAL(t, "{");
        put_key(t, "id");
        put_cstring(t, o->id);
        PUT_LITERAL(t, ",");
        put_article_ref(t, d, o->article);
        PUT_LITERAL(t, ",\"params\":{");
        for (size_t k = 0; k < o->param_count; k++) {
            if (k) PUT_LITERAL(t, ",");
            put_cstring(t, o->params[k].key);
            PUT_LITERAL(t, ":");
            put_cstring(t, o->params[k].value);
        }
        PUT_LITERAL(t, "}}");
    }
    PUT_LITERAL(t, "],\"errors\":[");
    for (size_t i = 0, n = 0; i < d->error_count; i++) {
        if (d->errors[i] >= d->verdict_count) continue;
        const decision_verdict *v = &d->verdicts[d->errors[i]];
        if (n++) PUT_LITERAL(t, ",");
        PUT_LITERAL(t, "{");
        put_article_ref(t, d, v->article);
        PUT_LITERAL(t, ",\"message\":");
        put_cstring(t, v->error);
        PUT_LITERAL(t, "}");
    }
    PUT_LITERAL(t, "],\"request\":");
    put_request(t, redact, req);
}
