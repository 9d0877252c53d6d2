/* revision.c — the policy set's revision: SHA-256 over a sha256sum-style listing (revision.h). */
#include "revision.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

void revision_init(revision_builder *rb) { memset(rb, 0, sizeof *rb); }

void revision_digest(const void *bytes, size_t len, unsigned char out[32]) {
    crypto_hash_sha256(out, bytes, len);
}

void revision_add(revision_builder *rb, const char *name, const unsigned char digest[32]) {
    if (rb->failed) return;
    if (rb->count == rb->cap) {
        size_t cap = rb->cap ? rb->cap * 2 : 32;
        revision_entry *grown = realloc(rb->entries, cap * sizeof *grown);
        if (!grown) {
            rb->failed = true;
            return;
        }
        rb->entries = grown;
        rb->cap = cap;
    }
    revision_entry *e = &rb->entries[rb->count];
    e->name = strdup(name);
    if (!e->name) {
        rb->failed = true;
        return;
    }
    memcpy(e->digest, digest, sizeof e->digest);
    rb->count++;
}

static int compare_entries(const void *x, const void *y) {
    const revision_entry *a = x, *b = y;
    int by_name = strcmp(a->name, b->name);
    return by_name ? by_name : memcmp(a->digest, b->digest, sizeof a->digest);
}

void revision_format_digest(const unsigned char digest[32], char *out) {
    memcpy(out, "sha256:", 7);
    sodium_bin2hex(out + 7, 65, digest, 32);
}

custos_status revision_finish(revision_builder *rb, char *out) {
    custos_status st = rb->failed ? CUSTOS_E_NOMEM : CUSTOS_OK;
    if (!st) {
        qsort(rb->entries, rb->count, sizeof *rb->entries, compare_entries);
        crypto_hash_sha256_state h;
        crypto_hash_sha256_init(&h);
        char hex[65];
        for (size_t i = 0; i < rb->count; i++) {
            sodium_bin2hex(hex, sizeof hex, rb->entries[i].digest, 32);
            crypto_hash_sha256_update(&h, (const unsigned char *)hex, 64);
            crypto_hash_sha256_update(&h, (const unsigned char *)"  ", 2);
            crypto_hash_sha256_update(&h, (const unsigned char *)rb->entries[i].name,
                                      strlen(rb->entries[i].name));
            crypto_hash_sha256_update(&h, (const unsigned char *)"\n", 1);
        }
        unsigned char digest[32];
        crypto_hash_sha256_final(&h, digest);
        revision_format_digest(digest, out);
    }
    revision_discard(rb);
    return st;
}

void revision_discard(revision_builder *rb) {
    for (size_t i = 0; i < rb->count; i++) free(rb->entries[i].name);
    free(rb->entries);
    revision_init(rb);
}
