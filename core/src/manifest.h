/*
 * manifest.h — whole-or-nothing loads.  A folder's .manifest.yaml (like an OPA bundle's
 * .manifest) names every file the loader may read from it, each with its SHA-256 digest
 * (libsodium's crypto_hash_sha256), and, at a policy set's root, the regimes the set holds:
 *
 *     manifest: 1
 *     regimes: [gz-2012, mofcom-2009-13]
 *     files:
 *       schema.lua: 3f1c...            # 64 hex digits
 *       gz-2012/regime.lua: 9ab0...
 *
 * The loader hands every file it reads, with the bytes it read, to manifest_set_check_file;
 * a file under a manifest's folder that is not listed, or whose digest differs, is refused;
 * manifest_set_finish then refuses a listed file or regime that was never read.  The bytes
 * checked are the bytes loaded, so a file replaced between check and use cannot slip in.
 * Without a manifest nothing here applies (the loader's own checks still do).
 */
#ifndef CUSTOS_MANIFEST_H
#define CUSTOS_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>

#include "custos.h"

#define MANIFEST_NAME                                                                              \
    ".manifest.yaml" /* hidden, like an OPA bundle's .manifest: a glob of the data (*.yaml) leaves it out */
#define MANIFEST_VERSION 1

/* The manifests one load consults (a policy set's root, a data folder), each once. */
typedef struct manifest_set manifest_set;

custos_status manifest_set_new(manifest_set **out);
void manifest_set_free(manifest_set *ms);

/* Consults root/.manifest.yaml, when there is one, for the files read under a policy set's
 * root.  regime: NULL when the whole set is loaded (every listed file and regime must then be
 * read); a regime id when only that regime folder of the set is (then its files, lib/ and
 * schema.lua are required).  *found (may be NULL) says whether there was a manifest. */
custos_status manifest_set_add_policies(manifest_set *ms, const char *root, const char *regime,
                                        bool *found, custos_error *err);

/* Consults folder/.manifest.yaml, when there is one, for the data documents read from folder:
 * each must be listed with its digest (the others it lists are not required). */
custos_status manifest_set_add_data(manifest_set *ms, const char *folder, custos_error *err);

/* Checks a file read from path — `len` bytes whose SHA-256 is `digest` (revision_digest) —
 * against the manifest whose folder holds it (nothing to do when none does; a data document
 * only against its own folder's): it must be listed, with this digest. */
custos_status manifest_set_check_file(manifest_set *ms, const char *path, bool data,
                                      const unsigned char digest[32], size_t len,
                                      custos_error *err);

/* After loading: every file and regime a consulted manifest requires was read. */
custos_status manifest_set_finish(const manifest_set *ms, custos_error *err);

/* Writes folder/.manifest.yaml: for a policy set (schema.lua, lib/, regime folders) its regimes
 * and the Lua files the loader reads; for any other folder its data documents (*.yaml, *.yml,
 * *.json).  *count (may be NULL) receives how many files it lists. */
custos_status manifest_write(const char *folder, size_t *count, custos_error *err);

#endif
