/*
 * repl_session.h — the inside of `custos repl`, shared by its files.  They form layers; a file
 * calls only files below it (tests/cli/test_boundary.sh checks that the call graph among
 * core/cli files has no cycle):
 *
 *   cmd_repl.c       arguments, setting up the engine and the session, the help text
 *     repl_input.c     reading lines: readline with history on a terminal, plain lines otherwise
 *       repl_complete.c  readline tab completion (commands, fields, values, articles, files)
 *         repl_commands.c  one line in: a :command (dispatched through the command table), a
 *                          Lua line (= or :lua), or a line of a pasted YAML/JSON document; the
 *                          session-wide commands and :help
 *           repl_request.c   building the request: :set, :unset, :show, :clear, :as-of, documents
 *           repl_explain.c   deciding and explaining: :decide, :explain, :why, :whynot, :cite
 *             repl_session.c   the session's state (what the engine is built from, the loaded
 *                              policies) and the helpers every command uses (errors, words)
 *               cli_common.c, render.c  (shared with the other commands)
 *
 * The command files never call back up: repl_commands.c knows them through its table, they
 * know only repl_session.c.
 *
 * Like lua.c, the REPL only hands each line to the library: the request is a custos_request,
 * decisions are custos_decide's, Lua runs through custos_engine_eval in the policies' sandbox.
 */
#ifndef CUSTOS_CLI_REPL_SESSION_H
#define CUSTOS_CLI_REPL_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli_common.h"
#include "custos.h"
#include "render.h"

/* The exit codes of --strict (documented in `custos help repl` and docs/cli.md). */
enum {
    REPL_FAIL_INPUT = 65, /* a line the REPL or the library could not accept: bad syntax, an
                             unknown command, a value or field path the library refused, a
                             document that does not parse */
    REPL_FAIL_OTHER = 1   /* a well-formed command that failed: a file not found, a reload
                             that failed, a Lua runtime error, an article that is not loaded */
};

/* A list of strings the session owns (paths given on the command line or by :data). */
typedef struct repl_strings {
    char **items;
    size_t count, cap;
} repl_strings;

/* The document being pasted, line by line. */
typedef enum repl_doc_state {
    REPL_DOC_NONE,  /* not in a document */
    REPL_DOC_BLOCK, /* a YAML block document: ends at an empty line */
    REPL_DOC_FLOW   /* a '{' document (JSON or YAML flow): ends when its braces balance */
} repl_doc_state;

typedef struct repl_session {
    /* What the engine is built from; rebuilt into a fresh config on :data and :reload, so a
     * data file that fails to load can be dropped again. */
    repl_strings policies; /* --policies, or the built-in folder */
    repl_strings data;     /* --data and :data */
    repl_strings modes;    /* --regime-mode ID=MODE */
    custos_engine *eng;
    custos_policies *loaded; /* the engine's regimes and articles, refreshed on reload */

    custos_request *req;
    unsigned long req_version; /* bumped by every change to the request */

    custos_decision *last; /* the last decision made */
    bool have_last, last_explained;
    unsigned long last_version; /* req_version it was made on */
    uint64_t last_generation;   /* engine generation it was made on */

    render_langs lang;
    bool json;
    bool strict;
    bool interactive; /* stdin is a terminal: prompts, readline, history */
    bool quit;

    /* Where input comes from, for error locations: "<stdin>" and the line number when piped;
     * NULL on a terminal (the error is right above the prompt). */
    const char *input_name;
    unsigned line_no;

    /* A pasted document in progress. */
    repl_doc_state doc_state;
    char *doc;
    size_t doc_len, doc_cap;
    unsigned doc_line; /* the input line it started on */
    int doc_depth;     /* open braces and brackets (flow documents) */
    char doc_quote;    /* inside a quoted string: its quote character, else 0 */
    bool doc_escape;   /* after a backslash inside a double-quoted string */
} repl_session;

/* ---- repl_session.c: the session's state ---- */

/* Appends a copy of str to list; false when out of memory. */
bool repl_strings_push(repl_strings *list, const char *str);

/* Frees what the session holds (the engine, request, decision, lists, a pasted document). */
void repl_session_free(repl_session *s);

/* A fresh configuration built from the session's lists; the caller frees it. */
custos_status repl_build_config(const repl_session *s, custos_config **out, custos_error *err);

/* Re-reads the engine's regimes and articles into s->loaded (kept as is on failure). */
void repl_refresh_policies(repl_session *s);

/* Adds a data document to the session's list (false when out of memory), or drops the one
 * added last (when the reload it was for failed). */
bool repl_add_data_path(repl_session *s, const char *path);
void repl_drop_last_data_path(repl_session *s);

/* Helpers for the command files.  repl_fail prints "custos: message" to stderr (with
 * "<stdin>:LINE:" when piped) and returns `code`; repl_fail_lib prints a library error the
 * same way (for a pasted document that began on input line `first_line`, its lines are
 * counted from there; 0 otherwise) and returns repl_exit_for_status of its status. */
int repl_fail(const repl_session *s, int code, const char *fmt, ...) CLI_PRINTF(3, 4);
int repl_fail_lib(const repl_session *s, const custos_error *err, unsigned first_line);
void repl_note(const repl_session *s, const char *fmt, ...) CLI_PRINTF(2, 3);
int repl_exit_for_status(custos_status st); /* parse, input, argument: 65; else 1 */
char *repl_trim(char *p);                   /* trims spaces in place; returns the first non-space */
char *repl_next_word(char **p);             /* cuts the first word off *p (NUL-terminated) */
int repl_flush(const repl_session *s);      /* flushes stdout; 74 (said once) when writing failed */

/* ---- repl_commands.c ---- */

/* What the first argument of a command is, for completion. */
typedef enum repl_arg {
    REPL_ARG_NONE,
    REPL_ARG_FIELD,   /* a request field (:set offers leaf fields, :unset tables too) */
    REPL_ARG_ARTICLE, /* "regime/number" (:cite also takes a regime id) */
    REPL_ARG_FILE,
    REPL_ARG_CHOICE, /* one of `choices` */
    REPL_ARG_HELP    /* a command name or "fields" */
} repl_arg;

typedef struct repl_command {
    const char *name;    /* "set": typed as ":set" */
    const char *args;    /* "FIELD VALUE", for help */
    const char *summary; /* one line, for help */
    repl_arg arg;
    const char *const *choices; /* REPL_ARG_CHOICE: NULL-terminated */
    int (*run)(repl_session *s, char *args);
} repl_command;

extern const repl_command repl_commands[];
extern const size_t repl_command_count;

/* The command named `name` (without the colon; aliases such as "q" included), or NULL. */
const repl_command *repl_find_command(const char *name);

/* Handles one line of input (without its newline).  Returns 0, or REPL_FAIL_INPUT /
 * REPL_FAIL_OTHER when the line failed (the error was printed to stderr). */
int repl_line(repl_session *s, const char *line);

/* Ends input: a document still open is read as it stands.  Returns as repl_line. */
int repl_end_of_input(repl_session *s);

/* Whether a pasted document is open (the prompt shows it continues). */
bool repl_in_document(const repl_session *s);

/* Drops a document half typed (Ctrl-C). */
void repl_cancel_document(repl_session *s);

/* Prints the list of commands, or the help of one ("set", ":set") or of "fields". */
void repl_print_help(repl_session *s, const char *topic);

/* The one-line banner a terminal session starts with. */
void repl_print_banner(repl_session *s);

/* ---- repl_request.c: building the request ---- */

int repl_cmd_set(repl_session *s, char *args);
/* The request's context.time into buf; false when it has none. */
bool repl_request_time(repl_session *s, char *buf, size_t size);
/* The declared field nearest to an undeclared path, into buf; false when none is close. */
bool repl_nearest_field(repl_session *s, const char *path, char *buf, size_t size);
int repl_cmd_unset(repl_session *s, char *args);
int repl_cmd_show(repl_session *s, char *args);
int repl_cmd_clear(repl_session *s, char *args);
int repl_cmd_as_of(repl_session *s, char *args);

/* Parses a pasted YAML or JSON request document (begun on input line first_line) and merges
 * it into the request: mappings key by key, every other value replaced.  On error the
 * request is unchanged. */
int repl_merge_document(repl_session *s, const char *text, size_t len, unsigned first_line);

/* ---- repl_explain.c: deciding and explaining ---- */

int repl_cmd_decide(repl_session *s, char *args);
int repl_cmd_explain(repl_session *s, char *args);
int repl_cmd_why(repl_session *s, char *args);
int repl_cmd_whynot(repl_session *s, char *args);
int repl_cmd_cite(repl_session *s, char *args);

/* ---- repl_complete.c ---- */

/* Installs readline's completion for the session (which must outlive readline's use). */
void repl_complete_install(repl_session *s);

/* Frees what completion kept. */
void repl_complete_done(void);

/* ---- repl_input.c ---- */

/* Reads stdin line by line without prompts until EOF or :quit (or, with --strict, the first
 * error).  Returns the exit code: 0, or the first error's with --strict. */
int repl_run_piped(repl_session *s);

/* Reads lines from the terminal with readline, with history in `history_file` (NULL: none).
 * Returns the exit code (0). */
int repl_run_terminal(repl_session *s, const char *history_file);

/* The default history file: $XDG_STATE_HOME/custos/history when XDG_STATE_HOME is set, else
 * ~/.custos_history; written into buf (returned), or NULL when there is no home. */
const char *repl_default_history(char *buf, size_t size);

#endif /* CUSTOS_CLI_REPL_SESSION_H */
