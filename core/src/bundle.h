/*
 * bundle.h — an immutable, reference-counted compiled policy set: every regime's metadata,
 * every article's metadata and source, and the data documents, all validated.
 *
 * Built once per open/reload by bundle_load (which runs every module in a throw-away sandbox
 * to validate it); shared read-only by every evaluator and decision that holds a reference.
 * Articles are ordered by regime id, then by article number, and each regime's articles are
 * one contiguous run — the stable order of reasons in decisions.
 */
#ifndef CUSTOS_BUNDLE_H
#define CUSTOS_BUNDLE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <lua.h>

#include "arena.h"
#include "config.h"
#include "data_schema.h"
#include "data_store.h"
#include "library.h"
#include "schema.h"
#include "module_scan.h"
#include "custos.h"
#include "doc.h"

typedef struct bundle_message {
    const char *code;      /* "missing-field" */
    const char *zh, *en;   /* templates: "{field}" is replaced by the verdict's param */
    size_t zh_len, en_len; /* their lengths (0 when absent): measured once, at load */
} bundle_message;

typedef custos_article_ref bundle_ref;

typedef struct bundle_article {
    size_t regime;                   /* index into bundle.regimes */
    const char *number;              /* "11" */
    const char *title_zh, *title_en; /* its regime.lua's: an article module has no title */
    const char *text_zh, *text_en;
    const char *citation;
    const char *chunkname; /* "gz-2012/art11.lua": the name Lua reports */
    const char *path;      /* the file as read */
    const char *source;    /* the module's text */
    size_t source_len;
    int rule_line; /* where `rule = function` starts */
    bundle_message *messages;
    size_t message_count;
    bundle_ref *implements; /* national articles this one implements */
    size_t implements_count;
    unsigned *lines; /* lines that can run while deciding, ascending */
    size_t line_count;
    bool has_loops;   /* its compiled code, or a library's it requires, can loop (or could
                       * not be scanned): meter it per instruction */
    size_t call_cost; /* else each call costs this: the instructions of the largest function
                       * in it or its libraries (see sandbox_meter) */
    bool applies;     /* not an article: its regime's `applies` (in regime.lua), number
                       * BUNDLE_APPLIES, outside every regime's run of articles */
} bundle_article;

/* The number an `applies` function has where an article's is expected (errors, trace). */
#define BUNDLE_APPLIES "applies"

/* Shared Lua code modules `require` (see library.h). */
typedef library_module bundle_library;

typedef struct bundle_listed_article {
    const char *number, *title_zh, *title_en;
    bool encoded;
    const char *reason; /* why it is not encoded; NULL when encoded */
} bundle_listed_article;

/* How regime.lua writes a date its source does not give (issued, effective, expires). */
#define BUNDLE_DATE_UNKNOWN "unknown"

typedef struct bundle_regime {
    const char *id;
    const char *title_zh, *title_en, *document;
    const char *issued, *effective, *expires; /* as written; expires may be NULL */
    int64_t in_force_from;                    /* first second in force */
    int64_t in_force_until;                   /* last second in force; INT64_MAX when no expiry */
    bool window_known; /* false when effective or expires is "unknown": in_force is then unknown
                          (from/until unused) */
    const char *folder;
    custos_regime_mode mode;
    size_t first_article, article_count;
    size_t applies; /* index into bundle.articles of its `applies`, or SIZE_MAX: it always
                       applies (set by ordering; appliers come after every article) */
    bundle_listed_article *listed;
    size_t listed_count;
    const char *lib_dir;        /* resolved <folder>/lib, or NULL */
    const char *shared_lib_dir; /* resolved <folder>/../lib, or NULL */
} bundle_regime;

/* A field of a loaded data document that no schema of its section names, noted at load. */
typedef struct bundle_data_note {
    const char *file, *path; /* "<section>.<record id>.<field>" */
    unsigned line, column;
} bundle_data_note;

typedef struct bundle {
    atomic_size_t refs;
    arena mem;
    bundle_regime *regimes;
    size_t regime_count;
    bundle_article *articles;
    size_t article_count;
    bundle_library *libraries;
    size_t library_count;
    schema schema;     /* request fields and data sections: schema.lua and regimes */
    uint64_t id;       /* unique per load: what requests cache their resolution by */
    data_store *store; /* the data documents merged for policies, shared by every evaluator (the
                        * documents themselves are freed once loaded); NULL: no data */
    bundle_data_note *unknown_fields; /* see bundle_unknown_data_fields */
    size_t unknown_field_count;
    size_t memory_limit;               /* per decision */
    uint64_t instruction_limit;        /* per decision */
    bool regimes_pinned;               /* every policy path had a manifest naming its regimes */
    char revision[CUSTOS_DIGEST_SIZE]; /* "sha256:<hex>" of every file loaded (revision.h) */
} bundle;

/* Reads, compiles and validates everything cfg names.  On failure *out is NULL and err names
 * the file, line and problem. */
custos_status bundle_load(const custos_config *cfg, bundle **out, custos_error *err);

/* Calls found() for each field of the loaded data documents that no schema of its section
 * names (see data_unknown_fields), in the documents' order.  Read-only: safe on a published
 * bundle. */
typedef void (*bundle_data_note_fn)(void *ud, const bundle_data_note *note);
void bundle_unknown_data_fields(const bundle *b, bundle_data_note_fn found, void *ud);

/* Reference counting; bundle_unref frees on the last reference.  Both accept NULL. */
bundle *bundle_ref_take(bundle *b);
void bundle_unref(bundle *b);

/* The index of the regime with this id, or SIZE_MAX. */
size_t bundle_find_regime(const bundle *b, const char *id);

/* The index of a message code in article a, or SIZE_MAX. */
size_t bundle_find_message(const bundle_article *a, const char *code, size_t len);

#endif
