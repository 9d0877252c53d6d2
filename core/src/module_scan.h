/*
 * module_scan.h — what the engine learns from a policy module's source text without running
 * it: which request fields it reads and which message codes it names, for load-time checks
 * that help authors.  Comments and strings (short and long) are skipped.  Nothing here decides
 * safety: how a module is metered comes from its compiled code (bytecode_scan.h), which a
 * lexer corner case cannot hide a loop from.
 */
#ifndef CUSTOS_MODULE_SCAN_H
#define CUSTOS_MODULE_SCAN_H

#include <stdbool.h>
#include <stddef.h>

/* Calls found() for each field path written as `req.a.b...` in the source's code (not in
 * comments or strings), with the line it is on; stops and returns false as soon as found()
 * returns false.  `path` is "a.b" (NUL-terminated, valid during the call). */
typedef bool (*source_path_fn)(void *ud, const char *path, unsigned line);
bool source_request_paths(const char *source, size_t len, source_path_fn found, void *ud);

/* Calls found() for each message code written literally as the first argument of permit(...),
 * deny(...) or not_applicable(...) in the source's code, with its line; stops (returning
 * false) when found() returns false. */
typedef bool (*source_code_fn)(void *ud, const char *code, size_t len, unsigned line);
bool source_verdict_codes(const char *source, size_t len, source_code_fn found, void *ud);

/* Findings for `custos check` (custos_policies_diagnostic), by what is looked for; found() gets
 * the literal or name and its line (stop by returning false):
 *   SOURCE_DATA_SECTION         the data sections read: data.name, data["name"],
 *                               custos.field(data, "name...")
 *   SOURCE_OBLIGATION_DECLARED  the ids of an `obligations = {"a", "b"}` field of a table
 *                               (article{}'s declaration; not a `local obligations`)
 *   SOURCE_OBLIGATION_RETURNED  obligation ids written `id = "name"`, or listed literally in
 *                               permit(code, params, {"name", ...}) and deny(...)
 *   SOURCE_BARE_RETURN          `return "word"`: a string alone, which as a rule's result is
 *                               not a verdict                                                 */
typedef enum source_find_kind {
    SOURCE_DATA_SECTION,
    SOURCE_OBLIGATION_DECLARED,
    SOURCE_OBLIGATION_RETURNED,
    SOURCE_BARE_RETURN
} source_find_kind;
bool source_find(const char *source, size_t len, source_find_kind kind, source_code_fn found,
                 void *ud);

#endif
