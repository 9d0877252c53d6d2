/*
 * cli_common.h — what every `custos` command shares: exit codes and the one mapping from
 * custos_status to them, error printing, option parsing, reading a document from a file or
 * stdin, and opening an engine from --policies/--data (with the built-in regimes as default).
 *
 * The program is a model host: it includes custos.h and custos_suite.h and nothing else of the
 * library (tests/cli/test_boundary.sh checks it), and links libcustos.so.  Each
 * command lives in its own file (cmd_<name>.c) and exports one entry point and one help
 * printer, listed in the command table of main.c.
 */
#ifndef CUSTOS_CLI_COMMON_H
#define CUSTOS_CLI_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "custos.h"

#if defined(__GNUC__)
#define CLI_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CLI_PRINTF(f, a)
#endif

/* ---- Exit codes (docs/cli.md; the 6x/70 values are sysexits.h's) ----------------------------- */

enum {
    CLI_EXIT_PERMIT = 0,
    CLI_EXIT_DENY = 1,
    CLI_EXIT_NOT_APPLICABLE = 2,
    CLI_EXIT_USAGE = 64,     /* EX_USAGE: bad command line */
    CLI_EXIT_DATAERR = 65,   /* EX_DATAERR: a request or data document is malformed */
    CLI_EXIT_NOINPUT = 66,   /* EX_NOINPUT: a file or folder named is missing or unreadable */
    CLI_EXIT_SOFTWARE = 70,  /* EX_SOFTWARE: internal error, or the policies failed to load */
    CLI_EXIT_CANTCREAT = 73, /* EX_CANTCREAT: a file to create exists or cannot be made */
    CLI_EXIT_IOERR = 74      /* EX_IOERR: the output could not be written (cli_streams.h) */
};

/* The exit code for a failed library call — the only place statuses become exit codes:
 *   argument          -> 64  (the library refused a value that came from the command line)
 *   not-found, io     -> 66
 *   parse, input      -> 65
 *   policy            -> 70  (a policy set that does not load is not the request's fault)
 *   nomem, internal   -> 70                                                                 */
int cli_exit_for_status(custos_status status);

/* The exit code for a decision: 0 permit, 1 deny, 2 not applicable. */
int cli_exit_for_effect(custos_effect effect);

/* ---- Messages ------------------------------------------------------------------------------ */

/* The program's name in messages ("custos"), and the path it was started as (argv[0]). */
extern const char *const cli_program;
void cli_set_argv0(const char *argv0);

/* Prints "custos: FILE:LINE:COL: message" to stderr, leaving out each empty or 0 part. */
void cli_error_at(const char *file, unsigned line, unsigned column, const char *fmt, ...)
    CLI_PRINTF(4, 5);

/* Prints err as cli_error_at does (`fallback_file` stands in when err names no file; may be
 * NULL) and returns cli_exit_for_status(err->status). */
int cli_report(const custos_error *err, const char *fallback_file);

/* Prints "custos: message" and the usage line (`usage`, e.g. "custos decide [options] REQUEST")
 * with a pointer to --help, to stderr; returns CLI_EXIT_USAGE. */
int cli_usage_error(const char *usage, const char *help_hint, const char *fmt, ...)
    CLI_PRINTF(3, 4);

/* ---- Option parsing ------------------------------------------------------------------------ */

/* One long option: "--name" or "--name VALUE" / "--name=VALUE".  `short_name` is 0 or a letter
 * accepted as "-x" (and "-x VALUE" when the option takes a value). */
typedef struct cli_option {
    const char *name;
    char short_name;
    bool takes_value;
    int id; /* > 0, returned by cli_next_option */
} cli_option;

enum {
    CLI_OPT_END = 0,         /* no arguments left */
    CLI_OPT_POSITIONAL = -1, /* *value is an operand ("-" included) */
    CLI_OPT_ERROR = -2       /* the parser's `error` says what is wrong */
};

typedef struct cli_parser {
    int argc;
    char **argv;
    int index;          /* next argument to read */
    bool operands_only; /* after "--" */
    char error[256];    /* set when CLI_OPT_ERROR is returned */
} cli_parser;

/* Starts parsing argv[first..argc). */
void cli_parser_init(cli_parser *p, int argc, char **argv, int first);

/* Reads the next argument: an option's id (with *value its value, or NULL), an operand, the
 * end, or an error (unknown option, missing value, value given to a flag).  The options array
 * ends with an entry whose name is NULL. */
int cli_next_option(cli_parser *p, const cli_option *options, const char **value);

/* ---- Files --------------------------------------------------------------------------------- */

/* The name an input path goes by in messages ("<stdin>" for "-"); reading is cli_input.h's. */
const char *cli_document_name(const char *path);

/* ---- Engines ------------------------------------------------------------------------------- */

/* The built-in regimes: $CUSTOS_POLICY_DIR when set (only it), else <exe dir>/../share/custos/
 * policies (the build tree mirrors the install layout), else the library's (custos_builtin_
 * policy_dir).  Never the current folder.  Writes the folder to buf and returns buf, or returns
 * NULL when none exists. */
const char *cli_builtin_policies(char *buf, size_t size);

/* Opens an engine from cfg; when cfg names no policy folder (`has_policies` false), the
 * built-in regimes are added first.  Prints any error; returns 0 or an exit code. */
int cli_open_engine(custos_config *cfg, bool has_policies, custos_engine **out);

/* Parses "ID=adopted|in-force|skipped" for --regime-mode and sets it on cfg.  Prints a usage
 * error (with `usage` and `help_hint`, as cli_usage_error) and returns CLI_EXIT_USAGE when
 * malformed; 0 on success. */
int cli_add_regime_mode(custos_config *cfg, const char *spec, const char *usage,
                        const char *help_hint);

/* ---- Text output --------------------------------------------------------------------------- */

/* Columns a UTF-8 string takes on a terminal (East Asian wide characters count 2). */
size_t cli_display_width(const char *s);

/* Prints s padded with spaces to `width` display columns (no padding when it is wider). */
void cli_print_padded(FILE *out, const char *s, size_t width);

/* Whether to use ANSI colour on `out`: a terminal, NO_COLOR unset or empty, TERM not "dumb". */
bool cli_use_color(FILE *out);

/* ---- "Did you mean" ------------------------------------------------------------------------ */

/* Every name the program looks up (options, commands, REPL commands, regime ids, articles,
 * fields) suggests the nearest known one when it finds none, through these. */

/* The edit distance between a and b (insert, delete, replace, swap two neighbours: one edit
 * each); SIZE_MAX for words over 64 bytes. */
size_t cli_edit_distance(const char *a, const char *b);

/* Collects the nearest candidate to `word` that is close enough: at most a third of its
 * length in edits (1 to 3); a word of 3 or more characters beginning a candidate counts as 1
 * edit.  The first of equally near candidates wins.  Candidates must outlive the use. */
typedef struct cli_suggest {
    const char *word, *best;
    size_t distance;
} cli_suggest;
void cli_suggest_init(cli_suggest *s, const char *word);
void cli_suggest_consider(cli_suggest *s, const char *candidate);
const char *cli_suggest_best(const cli_suggest *s); /* NULL when none is close */

/* The nearest of names[0..count) to word, or NULL. */
const char *cli_suggest_among(const char *word, const char *const *names, size_t count);

/* Writes " (did you mean 'PREFIXnear'?)" to buf, or "" when near is NULL; returns snprintf's. */
int cli_did_you_mean(char *buf, size_t size, const char *prefix, const char *near);

/* The nearest of the loaded policies' request field paths, regime ids, or a regime's encoded
 * article numbers; NULL when none is close.  Valid while p is. */
const char *cli_nearest_field(const custos_policies *p, const char *path);
const char *cli_nearest_regime(const custos_policies *p, const char *id);
const char *cli_nearest_article(const custos_policies *p, const char *regime, const char *number);

/* ---- Commands ------------------------------------------------------------------------------ */

/* A command's entry point gets argv with argv[0] the command's name; it returns the exit code.
 * Its help printer writes the full help to out. */
typedef struct cli_command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
    void (*help)(FILE *out);
} cli_command;

int cli_cmd_decide(int argc, char **argv);
void cli_help_decide(FILE *out);
int cli_cmd_repl(int argc, char **argv);
void cli_help_repl(FILE *out);
int cli_cmd_test(int argc, char **argv);
void cli_help_test(FILE *out);
int cli_cmd_check(int argc, char **argv);
void cli_help_check(FILE *out);
int cli_cmd_manifest(int argc, char **argv);
void cli_help_manifest(FILE *out);
int cli_cmd_audit(int argc, char **argv);
void cli_help_audit(FILE *out);

#endif /* CUSTOS_CLI_COMMON_H */
