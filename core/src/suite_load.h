/*
 * suite_load.h — policy unit-test suites (docs/testing.md): finding them, and loading one
 * YAML file into cases with every default merged and every matrix expanded (a case's request
 * is rendered for the engine by suite_text.h).
 *
 * Every value keeps where it came from (a suite, a request file, a matrix entry), so every
 * error names file:line:col.  Suites are parsed with the library's own document parser
 * (core/src/doc.h); nothing here needs an engine: article references are resolved against the
 * loaded policies by the runner (suite_run.h).  The public face is custos_suite.h
 * (suite_api.c).
 */
#ifndef CUSTOS_SUITE_LOAD_H
#define CUSTOS_SUITE_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "custos.h"
#include "custos_suite.h"
#include "doc.h"
#include "suite_util.h"
#include "suite_value.h"

/* ---- a suite --------------------------------------------------------------------------------- */

/* An article named in expect.because / not_because: "11" (regime NULL: the suite's own) or
 * "mofcom-2009-13/4". */
typedef struct t_ref {
    const char *regime;
    const char *article;
    const tval *at;
} t_ref;

typedef struct t_code {
    const char *code;
    const tval *at;
} t_code;

typedef struct t_obligation {
    const char *id;
    size_t param_count;
    const char **keys, **values;
    const tval *at;
} t_obligation;

typedef struct t_expect {
    bool has_decision;
    custos_effect decision;
    t_ref *because;
    size_t because_count;
    t_ref *not_because;
    size_t not_because_count;
    t_code *codes;
    size_t code_count;
    const char **messages; /* each must equal some reason's zh or en message exactly */
    size_t message_count;
    t_code *consulted_codes; /* each among the codes of every article consulted, reasons or
                                * not (not_applicable verdicts included) */
    size_t consulted_code_count;
    bool has_obligations; /* `obligations: []` asserts there are none */
    t_obligation *obligations;
    size_t obligation_count;
    const char *error; /* a piece of the expected error message, or NULL */
    const tval *at;
} t_expect;

/* What engine a case runs on: the policies, data and regime modes.  Paths are real paths
 * made relative to the current folder when under it (so messages stay short); the key uses
 * the absolute real paths, so two suites naming one folder differently share an engine. */
typedef struct t_setup {
    const char **policies;
    size_t policy_count;
    const char **data;
    size_t data_count;
    const char **mode_regimes;
    custos_regime_mode *modes;
    size_t mode_count;
    const char **real_policies, **real_data; /* absolute */
    const char *key; /* all of the above in one string: the engine cache's key */
} t_setup;

typedef struct t_case {
    const char *name;        /* after matrix substitution */
    const char *combination; /* "role=staff, signed=true" for a matrix case, or NULL */
    const char *display;     /* name, and the combination in brackets when there is one */
    unsigned line;           /* the case's line in the suite */
    const char *skip;        /* why it is skipped, or NULL */
    const tval *request;     /* defaults, request_file, request and as_of merged */
    const tval *at;          /* the case in the suite */
    t_expect expect;
    const t_setup *setup;
} t_case;

/* A load error: file and message malloc'd. */
typedef custos_suite_error t_error;

typedef struct t_suite t_suite;
struct t_suite {
    const char *path;       /* as opened */
    const char *file;       /* for messages */
    const char *name;       /* `suite:`, else the file's path from its regime folder */
    const char *own_regime; /* the regime folder the suite lives in (its name), or NULL */
    t_case *cases;
    size_t case_count;
    t_error *errors; /* why it did not load; error_count > 0 means it did not */
    size_t error_count;
    arena mem;
    doc *doc;
    char *text;
    struct t_request_file *request_files;
    size_t request_file_count;
};

/* Loads a suite.  Returns NULL only when out of memory; a suite that did not load has
 * error_count > 0 (and no cases). */
t_suite *t_suite_load(const char *path);
void t_suite_free(t_suite *s);

/* Records a load error (the suite then does not run). */
void t_suite_error(t_suite *s, tloc where, const char *fmt, ...) SUITE_PRINTF(3, 4);

/* ---- finding suites -------------------------------------------------------------------------- */

typedef struct t_paths {
    char **items;
    size_t count, cap;
} t_paths;

/* A file is taken as a suite; a folder is searched (recursively, in name order, skipping
 * hidden entries) for *.yaml and *.yml files directly inside a folder named `tests`.
 * Returns 0, or -1 when out of memory. */
int t_find_suites(const char *path, t_paths *out);
void t_paths_free(t_paths *p);

#endif
