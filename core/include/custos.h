/*
 * custos.h — the one public header of libcustos, an embeddable policy-rules interpreter.
 *
 * A host asks, before it touches entrusted data: may this person do this act, on this data,
 * for this purpose, now?  The engine runs the articles of the loaded regulations (Lua policy
 * modules, one per article, in a sandbox) and answers permit, deny or not applicable, with the
 * articles that decided it and the obligations that come with it.  A whole host, as written
 * (tests/cli/test_header_example.sh compiles and runs it from the source tree):
 *
 *     #include <stdio.h>
 *     #include <time.h>
 *     #include "custos.h"
 *
 *     int main(void) {
 *         custos_config *cfg;   custos_config_new(&cfg);
 *         custos_config_add_policies(cfg, "policies");          // a folder of regime folders
 *         custos_config_add_data(cfg, "examples/data/contracts.yaml");
 *         custos_engine *eng;   custos_error err;
 *         if (custos_engine_open(cfg, &eng, &err) != CUSTOS_OK) {
 *             fprintf(stderr, "%s:%u: %s\n", err.file, err.line, err.message);
 *             return 1;
 *         }
 *         custos_config_free(cfg);                              // the engine keeps its own copy
 *
 *         custos_request *req;  custos_request_new(&req);       // or custos_request_parse()
 *         custos_request_set_string(req, "subject.id", "alice", NULL);
 *         custos_request_set_string(req, "action", "use", NULL);
 *         custos_request_set_bool(req, "resource.entrusted", true, NULL);
 *         custos_request_set_time(req, time(NULL), 8 * 60, NULL);  // every decision has a time
 *         custos_decision *d;   custos_decision_new(&d);
 *         if (custos_decide(eng, req, 0, d, &err) != CUSTOS_OK) {
 *             fprintf(stderr, "%s\n", err.message);
 *             return 1;
 *         }
 *         if (custos_decision_effect(d) == CUSTOS_PERMIT) puts("go ahead");
 *         else puts(custos_effect_name(custos_decision_effect(d)));
 *         custos_decision_free(d);  custos_request_free(req);  custos_engine_close(eng);
 *         return 0;
 *     }
 *
 * Conventions (after SQLite and jansson):
 *  - Every public name starts with custos_ / CUSTOS_; handles are opaque.
 *  - Every fallible call returns a custos_status.  Calls that can fail for a reason worth
 *    reading take an optional `custos_error *err` (NULL is allowed) that receives the file,
 *    line, column and message.  Nothing in the library prints.
 *  - Every *_new / *_open has a *_free / *_close; those accept NULL as a harmless no-op.
 *  - Strings passed in are copied unless the comment says otherwise.  Strings returned are owned
 *    by the object they came from and live as the comment says.
 *  - Threads: a custos_engine may be used by any number of threads at once (custos_decide,
 *    custos_engine_reload).  A custos_request, custos_decision or custos_config belongs to one
 *    thread at a time; distinct ones may be used in parallel freely.
 */
#ifndef CUSTOS_H
#define CUSTOS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) && !defined(CUSTOS_STATIC_BUILD)
#define CUSTOS_API __attribute__((visibility("default")))
#else
#define CUSTOS_API
#endif

/* ---- Version ---------------------------------------------------------------------------- */

#define CUSTOS_VERSION_MAJOR 0
#define CUSTOS_VERSION_MINOR 1
#define CUSTOS_VERSION_PATCH 0
#define CUSTOS_VERSION_STRING "0.1.0"
/* MAJOR*1000000 + MINOR*1000 + PATCH, comparable with custos_version_number(). */
#define CUSTOS_VERSION_NUMBER                                                                      \
    (CUSTOS_VERSION_MAJOR * 1000000 + CUSTOS_VERSION_MINOR * 1000 + CUSTOS_VERSION_PATCH)

/* The version of the library actually linked; compare with the macros to catch a mismatch.
 * The string is static. */
CUSTOS_API const char *custos_version(void);
CUSTOS_API int custos_version_number(void);

/* ---- Size limits ---------------------------------------------------------------------------
 * Every input has one; a larger one is refused with CUSTOS_E_INPUT naming the limit, before it
 * is read whole.  Files that are not regular files (folders, FIFOs, devices) are refused with
 * CUSTOS_E_IO saying what they are.  (docs/api.md, "Limits".) */
#define CUSTOS_MAX_REQUEST_BYTES ((size_t)1 << 20) /* custos_request_parse: 1 MiB */
#define CUSTOS_MAX_DATA_BYTES ((size_t)64 << 20)   /* a data document or policy file: 64 MiB */
#define CUSTOS_MAX_SUITE_BYTES ((size_t)8 << 20)   /* a policy test suite: 8 MiB */

/* ---- Status and errors ------------------------------------------------------------------ */

typedef enum custos_status {
    CUSTOS_OK = 0,
    CUSTOS_E_ARGUMENT = 1,  /* a NULL or invalid argument: the caller's mistake */
    CUSTOS_E_NOMEM = 2,     /* an allocation failed */
    CUSTOS_E_NOT_FOUND = 3, /* a file or folder does not exist */
    CUSTOS_E_IO = 4,        /* a file exists but could not be read */
    CUSTOS_E_PARSE = 5,     /* a document is not well-formed YAML or JSON */
    CUSTOS_E_INPUT = 6,     /* a document parses but a field has the wrong shape or value */
    CUSTOS_E_POLICY = 7,    /* a policy module or regime failed to load or validate */
    CUSTOS_E_INTERNAL = 8   /* a bug in custos; please report it */
} custos_status;

/* A static, lower-case name for a status ("ok", "argument", "nomem", ...). */
CUSTOS_API const char *custos_status_name(custos_status status);

/* The sizes of custos_error's text fields, NUL included.  Longer paths and messages are cut,
 * always on a UTF-8 character boundary. */
#define CUSTOS_ERROR_FILE_MAX 512
#define CUSTOS_ERROR_MESSAGE_MAX 1024

/* Filled by calls that take `custos_error *err` when they fail (status != CUSTOS_OK).
 * `file` is empty when the error is not about a file; `line`/`column` are 1-based and 0 when
 * unknown.  The struct is plain data: the caller owns it, usually on the stack. */
typedef struct custos_error {
    custos_status status;
    char file[CUSTOS_ERROR_FILE_MAX];
    unsigned line;
    unsigned column;
    char message[CUSTOS_ERROR_MESSAGE_MAX];
} custos_error;

/* ---- Effects and decide flags ----------------------------------------------------------- */

typedef enum custos_effect {
    CUSTOS_NOT_APPLICABLE = 0, /* no article applied: the host's own default decides */
    CUSTOS_PERMIT = 1,
    CUSTOS_DENY = 2
} custos_effect;

/* "permit", "deny", "not_applicable" (static strings). */
CUSTOS_API const char *custos_effect_name(custos_effect effect);

/* How a regime binds a decision whose time falls outside the regime's validity window. */
typedef enum custos_regime_mode {
    CUSTOS_REGIME_ADOPTED = 0,  /* default: binds always; decisions still report in_force */
    CUSTOS_REGIME_IN_FORCE = 1, /* binds only at times inside its validity window; a regime
                                   whose window is unknown ("unknown" dates) never binds: custos
                                   does not claim a force it cannot establish */
    CUSTOS_REGIME_SKIPPED = 2   /* never consulted */
} custos_regime_mode;

/* ---- Configuration ---------------------------------------------------------------------- */

typedef struct custos_config custos_config;

/* Creates an empty configuration with default limits.  Free with custos_config_free. */
CUSTOS_API custos_status custos_config_new(custos_config **out);
CUSTOS_API void custos_config_free(custos_config *cfg);

/* Adds a folder of policies: either one regime folder (it holds regime.lua) or a folder of
 * regime folders.  May be called repeatedly; the path is copied and read at open/reload. */
CUSTOS_API custos_status custos_config_add_policies(custos_config *cfg, const char *path);

/* Adds a data document (YAML or JSON: contracts, purpose catalogues, subjects ...).  Read at
 * open/reload; top-level maps of several documents are merged, a duplicate id is an error. */
CUSTOS_API custos_status custos_config_add_data(custos_config *cfg, const char *path);

/* Per-decision limits on the policies.  memory_bytes: the Lua heap a decision may grow by;
 * instructions: Lua VM instructions a decision may run; 0 keeps the default (8 MiB and
 * 10,000,000).  A limit hit makes that decision deny with the error listed. */
CUSTOS_API custos_status custos_config_set_limits(custos_config *cfg, size_t memory_bytes,
                                                  uint64_t instructions);

/* Chooses how a regime binds (see custos_regime_mode).  Unknown regime ids are an error at
 * open/reload time, so a typo cannot silently skip nothing. */
CUSTOS_API custos_status custos_config_set_regime_mode(custos_config *cfg, const char *regime,
                                                       custos_regime_mode mode);

/* The folder of built-in regimes, or NULL when there is none: the environment variable
 * CUSTOS_POLICY_DIR when it is set and not empty (NULL when it is not a folder), else
 * <folder of libcustos>/../share/custos/policies (the install layout: <libdir> ->
 * <datadir>/custos/policies, found from where the library was loaded, so a moved prefix keeps
 * working; the build tree mirrors it).  Linked statically, the folder is the program's.  The
 * string is owned by the library (or the environment) and stays valid while the variable is
 * not changed. */
#define CUSTOS_POLICY_DIR_ENV "CUSTOS_POLICY_DIR"
CUSTOS_API const char *custos_builtin_policy_dir(void);

/* ---- Engine ----------------------------------------------------------------------------- */

typedef struct custos_engine custos_engine;
typedef struct custos_request custos_request;

/* Loads every regime and data document named by cfg, compiles and validates every policy
 * module, and returns a ready engine in *out.  cfg is copied (free it whenever you like).
 * On failure *out is NULL and err says what and where. */
CUSTOS_API custos_status custos_engine_open(const custos_config *cfg, custos_engine **out,
                                            custos_error *err);

/* Re-reads policies and data (from cfg, or from the engine's current configuration when cfg
 * is NULL), and publishes the new bundle with one atomic swap.  Decisions already running
 * finish on the old bundle; later ones use the new one.  If loading fails — a file a manifest
 * does not vouch for, a regime folder without regime.lua, or (without manifests) the same
 * policy folders no longer holding a regime the engine serves — the old bundle keeps serving
 * and err says why.  Until a reload the engine serves what it loaded, whatever happens to its
 * files (see custos_engine_watch).  Thread-safe with custos_decide and with itself. */
CUSTOS_API custos_status custos_engine_reload(custos_engine *eng, const custos_config *cfg,
                                              custos_error *err);

/* Closes the engine and every per-thread evaluator it made.  Decisions made by it stay
 * readable until they are freed or reused.
 * The rule: no thread may be inside a call on this engine, nor call it after close (the host
 * orders that, e.g. by joining or signalling its workers).  Threads that decided on it may be
 * running or exiting meanwhile: each thread's evaluator is freed exactly once, by that
 * thread's exit or by close, whichever comes first (tests/unit/test_close_race.c, under ASan
 * and TSan).  A thread that outlives the close keeps a few bytes of it until it exits or
 * decides on another engine. */
CUSTOS_API void custos_engine_close(custos_engine *eng);

/* How many times a bundle was published (1 after open; +1 per successful reload). */
CUSTOS_API uint64_t custos_engine_generation(const custos_engine *eng);

/* Runs a Lua expression (or statements) in the policies' sandbox, for debugging policies: it
 * sees what a policy sees (custos.*, the safe standard library), plus `data` (the loaded data,
 * read-only) and `req` (req filled as for a decision, or nil when req is NULL).  The values it
 * returns are written as text into *out (malloc'd: free with custos_free).  A syntax error is
 * CUSTOS_E_INPUT; a runtime error or a limit hit is CUSTOS_E_POLICY; err says which.
 * Thread-safe like custos_decide. */
CUSTOS_API custos_status custos_engine_eval(custos_engine *eng, const custos_request *req,
                                            const char *code, char **out, custos_error *err);

/* Checks req against the request fields the engine's current policy set declares, without
 * deciding: CUSTOS_OK, or CUSTOS_E_INPUT with err naming the field, what it expects and, for a
 * parsed request, the file, line and column.  custos_decide makes the same check first; a tool
 * (a form, the REPL) can ask before it has everything a decision needs.  Thread-safe like
 * custos_decide. */
CUSTOS_API custos_status custos_engine_check_request(custos_engine *eng, const custos_request *req,
                                                     custos_error *err);

/* A field of a request that the engine's policy set does not declare (a misspelt
 * `resource.entrustd`): its dotted path, the declared field nearest to it by edit distance
 * ("resource.entrusted"; NULL when none is within a few edits), and where its value is in a
 * parsed request (line and column 0 when it was set by a call).  The strings live until the
 * callback returns.  Return true to go on, false to stop. */
typedef bool (*custos_unknown_field_fn)(void *user, const char *path, const char *nearest,
                                        unsigned line, unsigned column);

/* Lists the fields of req that the engine's current policy set does not declare — at the top
 * or under a declared table — calling fn (may be NULL) for each, in the request's order, and
 * storing how many there are in *count (may be NULL).  custos_decide keeps such fields and
 * decides as if they were absent (a misspelt field is then silently not applicable); a host
 * that wants them refused passes CUSTOS_DECIDE_STRICT to custos_decide, or calls this first and
 * warns.  CUSTOS_OK, or CUSTOS_E_ARGUMENT.  Thread-safe like custos_decide. */
CUSTOS_API custos_status custos_engine_unknown_fields(custos_engine *eng, const custos_request *req,
                                                      custos_unknown_field_fn fn, void *user,
                                                      size_t *count, custos_error *err);

/* ---- Files changing under the engine -------------------------------------------------------
 * An engine serves what it loaded, from memory, until custos_engine_reload: editing, replacing
 * or deleting its policy files or data documents changes nothing by itself, and a decision
 * never sees half a change.  A host that wants changes picked up either calls
 * custos_engine_reload itself (on SIGHUP, after a deploy) or opts in to a watcher, which
 * watches the engine's policy folders and data documents' folders (inotify), waits until they
 * have been quiet for the debounce time, then reloads from the engine's current configuration
 * — a bad change is refused like any reload, and the old set keeps serving. */
typedef struct custos_watch custos_watch;

typedef struct custos_watch_options {
    unsigned debounce_ms; /* quiet time after the last change before reloading; 0: 200 ms */
} custos_watch_options;

/* Called on the watcher's own thread after each reload it attempted: CUSTOS_OK with the new
 * generation, or the reload's error (err, valid during the call; generation is then the one
 * still serving).  It must not call custos_engine_unwatch on its own watcher. */
typedef void (*custos_watch_fn)(void *user, custos_status status, const custos_error *err,
                                uint64_t generation);

/* Starts watching eng's files on a thread of its own; fn may be NULL.  opts may be NULL (the
 * defaults).  CUSTOS_E_IO when inotify or the thread cannot be had (err says which).  Stop it
 * with custos_engine_unwatch before custos_engine_close. */
CUSTOS_API custos_status custos_engine_watch(custos_engine *eng, const custos_watch_options *opts,
                                             custos_watch_fn fn, void *user, custos_watch **out,
                                             custos_error *err);

/* Stops the watcher and waits for its thread (a reload under way finishes first); NULL is a
 * no-op.  After it returns fn is not called again. */
CUSTOS_API void custos_engine_unwatch(custos_watch *w);

/* ---- Whole-or-nothing loads ----------------------------------------------------------------
 * A policy set's folder, and a folder of data documents, may hold a .manifest.yaml naming every
 * file custos may load from it with its SHA-256 (and, for a policy set, its regimes).  Open
 * and reload then refuse a regime or file that is missing, a file that is not listed, and one
 * whose bytes differ (changed, cut short, emptied) — CUSTOS_E_POLICY naming the file and the
 * manifest's line — and a failed reload keeps the old set serving.  Without a manifest a
 * folder of regimes holding Lua modules but no regime.lua, a reload from the same folders that
 * lost a serving regime, an empty data document and a YAML one not ending in a line break are
 * still refused.  (docs/design.md, "Failure classes".) */

/* Writes folder/.manifest.yaml (atomically: a new file renamed into place) for what the folder
 * holds now: a policy set's regimes and the Lua files the loader reads (schema.lua, lib/,
 * each regime's modules and lib/), or a data folder's *.yaml, *.yml and *.json documents.
 * *count (may be NULL) receives the number of files listed. */
CUSTOS_API custos_status custos_manifest_write(const char *folder, size_t *count,
                                               custos_error *err);

/* Frees memory the library handed over (custos_engine_eval's text); NULL is a no-op. */
CUSTOS_API void custos_free(void *p);

/* ---- What is loaded ----------------------------------------------------------------------- */

/* A read-only snapshot of the engine's current policy set: its regimes and their articles.
 * It stays valid (strings included) until custos_policies_free, across reloads. */
typedef struct custos_policies custos_policies;

CUSTOS_API custos_status custos_engine_policies(custos_engine *eng, custos_policies **out);
CUSTOS_API void custos_policies_free(custos_policies *p);

typedef struct custos_regime_info {
    const char *id;
    const char *title_zh, *title_en;
    const char *document;           /* "穗外经贸法〔2012〕7号" */
    const char *issued, *effective; /* dates as written: "unknown" when the source gives none */
    const char *expires;            /* last day in force ("unknown" possible), or NULL */
    const char *folder;
    custos_regime_mode mode;
    size_t article_count; /* every article of the document, encoded or not */
    /* its `applies` (regime{applies = ...}): message codes, file (regime.lua) and the lines
     * that can run (coverage's base, as custos_article_info's); 0 and NULL without one */
    size_t applies_message_count;
    const char *const *applies_message_codes;
    const char *applies_module;
    size_t applies_line_count;
    const unsigned *applies_lines;
} custos_regime_info;

typedef struct custos_article_info {
    const char *regime;
    const char *number;
    const char *title_zh, *title_en;
    bool encoded;
    const char *reason; /* why it is not encoded; NULL when encoded */
    /* for encoded articles (NULL otherwise): */
    const char *text_zh, *text_en, *citation;
    const char *module;   /* the policy file */
    int rule_line;        /* where its rule starts */
    size_t message_count; /* message codes, for tools that list them */
    const char *const *message_codes;
    size_t line_count;     /* the lines that can run while deciding (the rule and the */
    const unsigned *lines; /* module's functions it reaches, without their closing `end`
                                      * lines), ascending: coverage's base */
} custos_article_info;

CUSTOS_API size_t custos_policies_regime_count(const custos_policies *p);
CUSTOS_API custos_status custos_policies_regime(const custos_policies *p, size_t i,
                                                custos_regime_info *out);
/* Article j (0-based, in the document's order) of regime i. */
CUSTOS_API custos_status custos_policies_article(const custos_policies *p, size_t i, size_t j,
                                                 custos_article_info *out);
/* The shared Lua libraries the policies `require` (lib/ folders), for coverage reports. */
typedef struct custos_library_info {
    const char *name;   /* "confidential" */
    const char *module; /* its file */
    size_t line_count;  /* lines of its functions that can run, ascending */
    const unsigned *lines;
} custos_library_info;

CUSTOS_API size_t custos_policies_library_count(const custos_policies *p);
CUSTOS_API custos_status custos_policies_library(const custos_policies *p, size_t i,
                                                 custos_library_info *out);

/* The request fields the loaded policy set declares (its schema: policies/schema.lua beside
 * the regimes, and each regime's `request = {...}`), sorted by path.  The engine itself names
 * only context.time.  Tools use it for help, completion and linting. */
typedef enum custos_field_type {
    CUSTOS_FIELD_TABLE = 0, /* a mapping holding other fields */
    CUSTOS_FIELD_STRING = 1,
    CUSTOS_FIELD_ENUM = 2, /* a string from a fixed set (values) */
    CUSTOS_FIELD_BOOLEAN = 3,
    CUSTOS_FIELD_INTEGER = 4,
    CUSTOS_FIELD_NUMBER = 5,
    CUSTOS_FIELD_TIME = 6, /* an RFC 3339 instant with an offset */
    CUSTOS_FIELD_DATE = 7, /* a date ("2027-06-30") or an RFC 3339 instant */
    CUSTOS_FIELD_LIST = 8  /* a list of strings */
} custos_field_type;

typedef struct custos_field_info {
    const char *path; /* "resource.entrusted" */
    custos_field_type type;
    const char *type_name; /* "boolean", or a named type of the schema ("level") */
    size_t value_count;    /* CUSTOS_FIELD_ENUM: the allowed values, in declared order */
    const char *const *values;
    const char *doc;         /* one line for help and completion ("" when none) */
    const char *declared_in; /* the file that declared it ("" for the engine's own) */
    unsigned line;           /* and its line there (0 for the engine's own) */
} custos_field_info;

CUSTOS_API size_t custos_policies_field_count(const custos_policies *p);
CUSTOS_API custos_status custos_policies_field(const custos_policies *p, size_t i,
                                               custos_field_info *out);
/* The field with this dotted path; CUSTOS_E_NOT_FOUND when the schema has none. */
CUSTOS_API custos_status custos_policies_find_field(const custos_policies *p, const char *path,
                                                    custos_field_info *out);

/* Findings about the loaded policies and data that do not stop loading but are likely
 * mistakes (a data field no regime declares ...): what `custos check` reports. */
typedef struct custos_diagnostic {
    const char *file;      /* "" when not about a file */
    unsigned line, column; /* 1-based; 0 when unknown */
    const char *code;      /* stable identifier: "unknown-data-field", ... */
    const char *message;
} custos_diagnostic;

CUSTOS_API size_t custos_policies_diagnostic_count(const custos_policies *p);
CUSTOS_API custos_status custos_policies_diagnostic(const custos_policies *p, size_t i,
                                                    custos_diagnostic *out);

/* Finds an article by regime id and number; CUSTOS_E_NOT_FOUND when there is none. */
CUSTOS_API custos_status custos_policies_find(const custos_policies *p, const char *regime,
                                              const char *number, custos_article_info *out);

/* ---- Requests --------------------------------------------------------------------------- */

/* Creates an empty request.  A request is reusable: custos_request_clear keeps its memory. */
CUSTOS_API custos_status custos_request_new(custos_request **out);
CUSTOS_API void custos_request_free(custos_request *req);
CUSTOS_API void custos_request_clear(custos_request *req);

/* Replaces the request's content with a YAML or JSON document (docs/design.md, "The schema").
 * `name` (may be NULL) is used as the file name in errors.  A parse error is CUSTOS_E_PARSE; a
 * malformed context.time (or a context.epoch, which is derived) is CUSTOS_E_INPUT; both fill err
 * with line and column and leave the request empty.  A request knows no policy set: the other
 * fields are checked against the loaded schema by custos_decide, which names the field with the
 * file, line and column it came from. */
CUSTOS_API custos_status custos_request_parse(custos_request *req, const char *text, size_t len,
                                              const char *name, custos_error *err);

/* Sets one field by its dotted path ("subject.id", "resource.entrusted", "context.time").
 * context.time must be an RFC 3339 time with an offset ("+08:00", "Z", or strftime's %z form
 * "+0800"), and a string must be valid UTF-8
 * (else CUSTOS_E_INPUT naming the field); a path must be dotted names, nesting with its value
 * at most 64 levels as a parsed document may (else CUSTOS_E_ARGUMENT).  Types are the policy set's: custos_decide checks each field the loaded
 * schema declares (a string for a boolean field is CUSTOS_E_INPUT there).  Fields it does not
 * declare are kept and visible to policies.  Setting a field replaces what was under it.
 * Strings are copied. */
CUSTOS_API custos_status custos_request_set_string(custos_request *req, const char *path,
                                                   const char *value, custos_error *err);
CUSTOS_API custos_status custos_request_set_bool(custos_request *req, const char *path, bool value,
                                                 custos_error *err);
CUSTOS_API custos_status custos_request_set_integer(custos_request *req, const char *path,
                                                    int64_t value, custos_error *err);
CUSTOS_API custos_status custos_request_set_number(custos_request *req, const char *path,
                                                   double value, custos_error *err);
/* Appends a string to the list at path (made when absent, or when the field held another
 * value); a declared field must take a list of strings (checked by custos_decide). */
CUSTOS_API custos_status custos_request_append_string(custos_request *req, const char *path,
                                                      const char *value, custos_error *err);
/* Sets context.time to the instant t (seconds since the Unix epoch, as time(NULL) gives) as
 * seen at offset_minutes east of UTC (480 for China Standard Time, 0 for UTC): the RFC 3339
 * text "2026-11-22T10:00:00+08:00".  The offset only changes how the time reads (in the request's
 * JSON, to policies reading context.time); context.epoch is t.  CUSTOS_E_ARGUMENT when the
 * offset is not within -1439..1439 or t falls outside the years 0000-9999. */
CUSTOS_API custos_status custos_request_set_time(custos_request *req, time_t t, int offset_minutes,
                                                 custos_error *err);
/* Removes a field (and everything under it); removing an absent field is not an error. */
CUSTOS_API custos_status custos_request_unset(custos_request *req, const char *path);

/* The request as JSON, keys sorted.  The string is owned by the request (allocated by the
 * library, whatever allocator the host gave jansson) and lives until the request is next
 * changed or freed. */
CUSTOS_API custos_status custos_request_json(const custos_request *req, const char **json);

/* ---- Decisions -------------------------------------------------------------------------- */

typedef struct custos_decision custos_decision;

/* Creates an empty decision.  Reuse one decision per thread for speed: custos_decide clears
 * it and keeps its memory. */
CUSTOS_API custos_status custos_decision_new(custos_decision **out);
CUSTOS_API void custos_decision_free(custos_decision *d);

enum {
    /* Also record every article consulted (applied or not) for custos_decision_trace. */
    CUSTOS_DECIDE_EXPLAIN = 1u << 0,
    /* Also record which lines of the policy modules ran (custos_decision_line); slower. */
    CUSTOS_DECIDE_COVERAGE = 1u << 1,
    /* Refuse a request holding a field the policy set does not declare: CUSTOS_E_INPUT naming
     * the first (and the declared field nearest to it), no decision.  Without it such fields
     * are kept and ignored (custos_engine_unknown_fields lists them). */
    CUSTOS_DECIDE_STRICT = 1u << 2
};

/* Decides `req` on the engine's current bundle and writes the result into `d`.
 * Returns CUSTOS_OK whenever a decision was made — including a deny caused by a policy error
 * or a limit hit (listed in custos_decision_error).  Returns CUSTOS_E_INPUT, with err filled
 * and d holding no decision, when the request is missing what every decision needs
 * (context.time) or a field does not have the type the policy set declares (err names the
 * field, and for a parsed request its file, line and column).  Out of memory, it denies:
 * CUSTOS_OK with the error "out of memory" listed, or CUSTOS_E_NOMEM when the decision could
 * not be finished (d then reads deny).  Thread-safe: each calling thread gets its own
 * evaluator (a request still belongs to one thread: deciding caches in it where its fields
 * are in the loaded schema). */
CUSTOS_API custos_status custos_decide(custos_engine *eng, const custos_request *req,
                                       unsigned flags, custos_decision *d, custos_error *err);

CUSTOS_API custos_effect custos_decision_effect(const custos_decision *d);

/* A reference to an article of a regime ("mofcom-2009-13", "4"). */
typedef struct custos_article_ref {
    const char *regime;
    const char *article;
} custos_article_ref;

/* An article that decided (permit or deny).  All strings are owned by the decision and live
 * until it is reused or freed. */
typedef struct custos_reason {
    const char *regime;  /* "gz-2012" */
    const char *article; /* "11" */
    custos_effect effect;
    const char *code;     /* the verdict's message key in the module ("unrelated-purpose") */
    const char *citation; /* "穗外经贸法〔2012〕7号 第十一条" */
    const char *title_zh, *title_en;
    const char *message_zh, *message_en;
    const char *module;      /* the policy file, as loaded */
    size_t implements_count; /* national articles this local one implements: cite them too */
    const custos_article_ref *implements;
} custos_reason;

CUSTOS_API size_t custos_decision_reason_count(const custos_decision *d);
/* Fills *out with reason i (0-based, stable order: regimes by id, articles by number). */
CUSTOS_API custos_status custos_decision_reason(const custos_decision *d, size_t i,
                                                custos_reason *out);

/* An obligation that comes with the decision: the host must do it when it acts. */
typedef struct custos_obligation {
    const char *id; /* "log-access", "delete-by", "encrypt-at-rest", ... */
    const char *regime;
    const char *article;
    size_t param_count; /* parameters such as date = "2027-06-30" */
    const char *const *param_keys;
    const char *const *param_values;
} custos_obligation;

CUSTOS_API size_t custos_decision_obligation_count(const custos_decision *d);
CUSTOS_API custos_status custos_decision_obligation(const custos_decision *d, size_t i,
                                                    custos_obligation *out);

/* Each regime consulted, with whether it was in force at the request's time. */
typedef struct custos_regime_status {
    const char *id;
    bool in_force; /* false when in_force_known is false */
    bool adopted;  /* it bound this decision even though (or whether or not) it was in force */
    /* false when the regime's validity window is unknown (its regime.lua writes `effective` or
     * `expires` as "unknown": the source gives no date); in_force is then false, the JSON says
     * "in_force": null, and under CUSTOS_REGIME_IN_FORCE the regime does not bind */
    bool in_force_known;
    /* false when the regime's `applies` (regime{applies = ...}, docs/authoring.md) returned
     * not_applicable for this request: its articles were not consulted.  The code and message
     * are the trace's entry for the regime with article "applies" (CUSTOS_DECIDE_EXPLAIN); the
     * JSON says "applies": false.  An error in `applies` is a policy error (the decision
     * denies) naming article "applies", and applies stays true. */
    bool applies;
} custos_regime_status;

CUSTOS_API size_t custos_decision_regime_count(const custos_decision *d);
CUSTOS_API custos_status custos_decision_regime(const custos_decision *d, size_t i,
                                                custos_regime_status *out);

/* An error inside a policy (a Lua error, a limit hit, a verdict of the wrong shape).  Any error
 * makes the decision deny. */
typedef struct custos_policy_error {
    const char *regime;
    const char *article;
    const char *message; /* "policies/gz-2012/art11.lua:42: attempt to index a nil value" */
} custos_policy_error;

CUSTOS_API size_t custos_decision_error_count(const custos_decision *d);
CUSTOS_API custos_status custos_decision_error(const custos_decision *d, size_t i,
                                               custos_policy_error *out);

/* With CUSTOS_DECIDE_EXPLAIN: every article consulted, in order.  `applied` is false when the
 * article returned not_applicable; `failed` when it raised an error.  Articles of a regime that
 * did not bind (skipped, or out of force in CUSTOS_REGIME_IN_FORCE mode) were not consulted and
 * are not listed; custos_decision_regime says which regimes bound.  Message strings are as in
 * custos_reason. */
typedef struct custos_trace {
    const char *regime;
    const char *article;
    bool applied;
    bool failed;
    custos_effect effect;
    const char *code;
    const char *message_zh, *message_en;
    const char *citation;
    const char *title_zh, *title_en;
} custos_trace;

CUSTOS_API size_t custos_decision_trace_count(const custos_decision *d);
CUSTOS_API custos_status custos_decision_trace(const custos_decision *d, size_t i,
                                               custos_trace *out);

/* With CUSTOS_DECIDE_COVERAGE: each policy line that ran while deciding, once.  A line of a
 * shared library (lib/) has regime and article "" and its module is the library's file. */
typedef struct custos_line_hit {
    const char *regime, *article;
    const char *module; /* the policy file */
    unsigned line;
} custos_line_hit;

CUSTOS_API size_t custos_decision_line_count(const custos_decision *d);
CUSTOS_API custos_status custos_decision_line(const custos_decision *d, size_t i,
                                              custos_line_hit *out);

/* The decision as JSON (docs/design.md, "The decision as JSON"; with "trace" when explained).
 * The string is owned by the decision and lives until it is reused or freed. */
CUSTOS_API custos_status custos_decision_json(const custos_decision *d, const char **json);

/* ---- Revision and the decision log (docs/audit-log.md) ------------------------------------ */

/* The size of a digest as text, NUL included: "sha256:" and 64 lower-case hex digits. */
#define CUSTOS_DIGEST_SIZE 72

/* The revision of the engine's current policy set: "sha256:<hex>" over the listing of every
 * file it was loaded from (schema.lua, regime.lua, articles, lib/ modules, data documents:
 * relative name and each file's own SHA-256), computed at open/reload from the bytes loaded.
 * Written into out (CUSTOS_DIGEST_SIZE bytes).  Thread-safe like custos_decide. */
CUSTOS_API custos_status custos_engine_revision(custos_engine *eng, char *out);
/* The same for a snapshot: its policy set's revision (valid while p is). */
CUSTOS_API const char *custos_policies_revision(const custos_policies *p);

/* A tamper-evident log of decisions: JSON Lines, one record per decision, each holding the
 * SHA-256 of the record before it, so any change, deletion, insertion or reordering breaks
 * the chain (custos_log_verify).  Thread-safe: records of concurrent decisions form one order. */
typedef struct custos_log custos_log;

typedef enum custos_log_sync {
    /* each record is written and fdatasync'd before custos_decide returns */
    CUSTOS_LOG_FSYNC_EACH = 0,
    /* records are kept in memory and written and fdatasync'd by a background thread at least
     * every batch_window_ms: a crash loses at most the records of the last window */
    CUSTOS_LOG_BATCHED = 1
} custos_log_sync;

typedef struct custos_log_options {
    custos_log_sync sync;
    unsigned batch_window_ms; /* CUSTOS_LOG_BATCHED: 0 means 100 ms */
    /* request fields (dotted paths: "subject.id"; a table covers the fields under it) whose
     * values are recorded as "sha256:<hex>" of the value (a string's bytes, else its compact
     * JSON) instead of the value; copied at open */
    const char *const *redact;
    size_t redact_count;
    /* an Ed25519 secret key (libsodium's 64 bytes), or NULL: with it the log appends signed
     * checkpoints (every checkpoint_every records when not 0, at custos_log_checkpoint, at
     * rotation and at close); copied at open */
    const unsigned char *signing_key;
    unsigned checkpoint_every;
} custos_log_options;

/* Opens (creating it when missing) a log file for appending; opt may be NULL (fsync each
 * record).  An existing file's chain is continued after its last complete record; an
 * unterminated last line (a write cut by a crash) is cut off and a "recovery" record naming
 * its length and digest is appended first.  Close with custos_log_close. */
CUSTOS_API custos_status custos_log_open(const char *path, const custos_log_options *opt,
                                         custos_log **out, custos_error *err);
/* Writes what is pending (and a checkpoint when signing), syncs and closes; NULL is a no-op.
 * The log must no longer be attached to an engine that decides. */
CUSTOS_API void custos_log_close(custos_log *log);
/* Writes and fdatasyncs every record appended so far. */
CUSTOS_API custos_status custos_log_flush(custos_log *log, custos_error *err);
/* Continues the chain in a new file (which must be empty or missing): the new file's first
 * record holds the hash of the old file's last.  The old file is synced and closed. */
CUSTOS_API custos_status custos_log_rotate(custos_log *log, const char *new_path,
                                           custos_error *err);
/* A new Ed25519 key pair for signing checkpoints: the secret key (64 bytes, libsodium's form:
 * keep it secret) and the public key as 64 hex digits and a NUL (public_hex: 65 bytes), which
 * is what custos_log_verify and `custos audit verify --key` take. */
CUSTOS_API custos_status custos_log_keygen(unsigned char *secret_key, char *public_hex);
/* Appends a checkpoint signing the current head (needs options.signing_key). */
CUSTOS_API custos_status custos_log_checkpoint(custos_log *log, custos_error *err);
/* The hash of the last record appended ("sha256:<hex>", CUSTOS_DIGEST_SIZE bytes): an anchor
 * for a host to keep elsewhere (custos_log_verify's head). */
CUSTOS_API custos_status custos_log_head(custos_log *log, char *out);

/* "sha256:<hex>" of len bytes into out (CUSTOS_DIGEST_SIZE bytes): what a redacted string field
 * is recorded as, so a reader can look a known value up (custos audit show --subject). */
CUSTOS_API void custos_digest(const void *bytes, size_t len, char *out);

/* Attaches a log to the engine (NULL detaches): from then on every decision custos_decide
 * makes (status CUSTOS_OK) is recorded before custos_decide returns.  When the record cannot
 * be written the decision is turned into a deny listing the error and custos_decide returns
 * CUSTOS_E_IO: nothing is acted on that is not recorded.  The log must outlive its use. */
CUSTOS_API custos_status custos_engine_set_log(custos_engine *eng, custos_log *log);

typedef enum custos_log_verdict {
    CUSTOS_LOG_INTACT = 0,
    CUSTOS_LOG_TAMPERED = 1, /* a record changed, deleted, inserted, reordered; a bad signature */
    CUSTOS_LOG_TORN = 2,     /* only an unterminated last line: a write cut by a crash */
    CUSTOS_LOG_TRUNCATED = 3 /* intact, but the head anchor given is not in the chain */
} custos_log_verdict;

typedef struct custos_log_report {
    custos_log_verdict verdict;
    char file[CUSTOS_ERROR_FILE_MAX]; /* the first bad record's file and line (1-based) */
    unsigned line;
    char message[CUSTOS_ERROR_MESSAGE_MAX];
    size_t records;                 /* complete records read */
    size_t checkpoints;             /* checkpoints whose signature was checked */
    size_t after_checkpoint;        /* records after the last checked checkpoint */
    char start[CUSTOS_DIGEST_SIZE]; /* the first record's prev */
    char head[CUSTOS_DIGEST_SIZE];  /* the last complete record's hash */
} custos_log_report;

/* Verifies log files as one chain, in the order given (rotated files oldest first).  The first
 * record's prev must be the genesis value (64 zeros) or `after` (the hash of the last record
 * of an earlier file no longer at hand); `head`, when not NULL, must be the hash of a record in
 * the chain (else CUSTOS_LOG_TRUNCATED); `public_key_hex`, when not NULL (64 hex digits), checks
 * every checkpoint's signature.  Returns CUSTOS_OK with the verdict in *out, or an error when a
 * file cannot be read or an argument is malformed. */
CUSTOS_API custos_status custos_log_verify(const char *const *paths, size_t count,
                                           const char *after, const char *head,
                                           const char *public_key_hex, custos_log_report *out,
                                           custos_error *err);

#ifdef __cplusplus
}
#endif

#endif /* CUSTOS_H */
