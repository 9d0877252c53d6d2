/*
 * revision.h — the revision of a loaded policy set: one SHA-256 over the listing of every file
 * it was built from (schema.lua, regime.lua, article modules, lib/ modules, data documents).
 *
 * The listing is what `sha256sum` prints for those files under their relative names, sorted by
 * name: a line "<64 hex>  <name>\n" per file.  The revision is "sha256:" and the hex SHA-256 of
 * that text (docs/audit-log.md, "The revision"), so a third party can recompute it from the
 * files.  Names are relative (the chunk names the engine reports: "gz-2012/art11.lua",
 * "policies/schema.lua", "policies/lib/x.lua"; a data document's file name), so the same set
 * copied elsewhere has the same revision.
 */
#ifndef CUSTOS_REVISION_H
#define CUSTOS_REVISION_H

#include <stdbool.h>
#include <stddef.h>

#include "custos.h"

typedef struct revision_entry {
    char *name;
    unsigned char digest[32];
} revision_entry;

typedef struct revision_builder {
    revision_entry *entries;
    size_t count, cap;
    bool failed; /* out of memory: revision_finish says so */
} revision_builder;

void revision_init(revision_builder *rb);
/* The SHA-256 of a file's bytes: what the revision lists, and what a manifest vouches for. */
void revision_digest(const void *bytes, size_t len, unsigned char out[32]);
/* Records one file: its relative name and the digest of the bytes loaded from it. */
void revision_add(revision_builder *rb, const char *name, const unsigned char digest[32]);
/* Writes "sha256:<64 hex>" into out (CUSTOS_DIGEST_SIZE bytes) and frees the builder's memory.
 * CUSTOS_E_NOMEM when a revision_add failed. */
custos_status revision_finish(revision_builder *rb, char *out);
void revision_discard(revision_builder *rb);

/* "sha256:" and the lower-case hex of 32 bytes, NUL-terminated (CUSTOS_DIGEST_SIZE bytes). */
void revision_format_digest(const unsigned char digest[32], char *out);

#endif
