/*
 * fuzz_util.h — what the fuzz targets share: where the source tree is, a scratch folder that
 * holds a copy of the fuzz policy set (tests/fuzz/policy-set) for targets that load files, and
 * writing an input into a file there.  Any failure of these aborts: it is the harness's, not a
 * finding.
 */
#ifndef CUSTOS_FUZZ_UTIL_H
#define CUSTOS_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "custos.h"

/* The fuzz policy set's files, relative to its folder (schema.lua first). */
extern const char *const fuzz_policy_files[];
extern const size_t fuzz_policy_file_count;

/* $CUSTOS_SOURCE_DIR/rel (or the source tree the target was configured in) into buf. */
void fuzz_source_path(char *buf, size_t size, const char *rel);

/* A fresh scratch folder holding a copy of the fuzz policy set, removed at exit with what the
 * target wrote into it.  Returns its path (static storage). */
const char *fuzz_scratch_setup(void);

/* Writes size bytes to `rel` under the scratch folder (creating its parent folder), and its
 * full path into buf when buf is not NULL.  The file is removed at exit. */
void fuzz_scratch_write(const char *rel, const void *data, size_t size, char *buf, size_t buf_size);

/* The text of the fuzz policy set's file `rel` (as in the source tree), and its length. */
const char *fuzz_policy_text(const char *rel, size_t *len);

/* Opens stdout on /dev/null (targets that print: the REPL) unless CUSTOS_FUZZ_VERBOSE is set. */
void fuzz_quiet_stdout(void);

/* Decides req on eng (which must succeed) and writes the decision as JSON; aborts when a
 * decision that lists an error is not a deny (policy errors fail closed). */
void fuzz_decide(custos_engine *eng, const custos_request *req, custos_decision *d);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif /* CUSTOS_FUZZ_UTIL_H */
