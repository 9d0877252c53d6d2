/*
 * cmd_repl.c — `custos repl`: build a request field by field (or paste one), decide it, ask
 * why, read the articles, and evaluate Lua in the policies' sandbox.
 *
 * Like lua.c, this file only parses the arguments, opens the engine and hands input to the
 * session: repl_input.c reads lines (readline on a terminal, plain lines when piped),
 * repl_commands.c runs them, repl_complete.c completes them.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_common.h"
#include "repl_session.h"

static const char repl_usage[] =
    "custos repl [--policies DIR]... [--data FILE]... [--regime-mode ID=MODE]...\n"
    "                   [--lang zh|en|both] [--strict] [--history FILE]";
static const char repl_hint[] = "custos help repl";

void cli_help_repl(FILE *out) {
    fprintf(out,
            "usage: %s\n"
            "\n"
            "An interactive session over one request: set its fields (or paste a YAML or\n"
            "JSON document), decide it, ask why an article did or did not decide, read the\n"
            "articles' text, and evaluate Lua in the policies' sandbox.  Type :help in the\n"
            "session for its commands.\n"
            "\n"
            "On a terminal, lines are read with GNU readline: line editing, tab completion\n"
            "of commands, request fields, values, articles and file names, and history kept\n"
            "across sessions.  When stdin is not a terminal the commands are read line by\n"
            "line with no prompt and no history, and results are printed as they come.\n"
            "\n"
            "Options:\n"
            "  --policies DIR        a folder of regime folders, or one regime folder; may be\n"
            "                        repeated.  Without it the built-in regimes are used.\n"
            "  --data FILE           a data document (contracts, purposes, ...); repeatable\n"
            "  --regime-mode ID=MODE how regime ID binds: adopted, in-force or skipped\n"
            "  --lang zh|en|both     the languages of messages and texts (default both)\n"
            "  --strict              stop at the first command that fails (for scripts)\n"
            "  --history FILE        where a terminal session keeps its history (default\n"
            "                        $XDG_STATE_HOME/custos/history when XDG_STATE_HOME is\n"
            "                        set, else ~/.custos_history); --history= keeps none\n"
            "  -h, --help            show this help\n"
            "\n"
            "Exit status:\n"
            "  0   end of input or :quit (a failed command is reported on stderr and the\n"
            "      session goes on, unless --strict)\n"
            "  1   with --strict: a command failed (a file not found, a reload that failed,\n"
            "      a Lua runtime error, an article that is not loaded)\n"
            "  65  with --strict: bad input (an unknown command, a value a field does not\n"
            "      take, a malformed field path, a document that does not parse, a Lua\n"
            "      syntax error, a decision without context.time)\n"
            "  64, 66, 70  at start, as for 'custos decide': usage error, a file or folder\n"
            "      not found, the policies failed to load\n"
            "  74  the output could not be written (stdout closed, a full disk, a broken pipe);\n"
            "      the session stops there\n"
            "\n"
            "Errors go to stderr as 'custos: message' (piped: 'custos: <stdin>:LINE: ...').\n",
            repl_usage);
}

/* ---- arguments -------------------------------------------------------------------------- */

typedef struct repl_options {
    const char *history; /* NULL: the default; "": none */
    bool help;
} repl_options;

enum { OPT_POLICIES = 1, OPT_DATA, OPT_MODE, OPT_LANG, OPT_STRICT, OPT_HISTORY, OPT_HELP };

static const cli_option repl_options_table[] = {
    {"policies", 0, true, OPT_POLICIES}, {"data", 0, true, OPT_DATA},
    {"regime-mode", 0, true, OPT_MODE},  {"lang", 0, true, OPT_LANG},
    {"strict", 0, false, OPT_STRICT},    {"history", 0, true, OPT_HISTORY},
    {"help", 'h', false, OPT_HELP},      {NULL, 0, false, 0}};

/* Checks an ID=MODE spec the way `decide` does (on a scratch configuration). */
static int check_mode(const char *spec) {
    custos_config *scratch = NULL;
    if (custos_config_new(&scratch) != CUSTOS_OK) {
        cli_error_at(NULL, 0, 0, "out of memory");
        return CLI_EXIT_SOFTWARE;
    }
    int rc = cli_add_regime_mode(scratch, spec, repl_usage, repl_hint);
    custos_config_free(scratch);
    return rc;
}

static int parse_arguments(int argc, char **argv, repl_options *o, repl_session *s) {
    cli_parser p;
    cli_parser_init(&p, argc, argv, 1);
    const char *value;
    int id, rc;
    while ((id = cli_next_option(&p, repl_options_table, &value)) != CLI_OPT_END) {
        bool pushed = true;
        switch (id) {
        case CLI_OPT_ERROR: return cli_usage_error(repl_usage, repl_hint, "%s", p.error);
        case CLI_OPT_POSITIONAL:
            return cli_usage_error(repl_usage, repl_hint,
                                   "unexpected argument '%s' (the REPL reads its commands from "
                                   "stdin)",
                                   value);
        case OPT_POLICIES:
        case OPT_DATA:
            if (!*value)
                return cli_usage_error(repl_usage, repl_hint, "%s needs a non-empty path",
                                       id == OPT_POLICIES ? "--policies" : "--data");
            pushed = repl_strings_push(id == OPT_POLICIES ? &s->policies : &s->data, value);
            break;
        case OPT_MODE:
            if ((rc = check_mode(value))) return rc;
            pushed = repl_strings_push(&s->modes, value);
            break;
        case OPT_LANG:
            if (strcmp(value, "zh") == 0)
                s->lang = (render_langs){true, false};
            else if (strcmp(value, "en") == 0)
                s->lang = (render_langs){false, true};
            else if (strcmp(value, "both") == 0)
                s->lang = (render_langs){true, true};
            else
                return cli_usage_error(repl_usage, repl_hint,
                                       "--lang '%s': expected zh, en or both", value);
            break;
        case OPT_STRICT: s->strict = true; break;
        case OPT_HISTORY: o->history = value; break;
        case OPT_HELP: o->help = true; return 0;
        default: return cli_usage_error(repl_usage, repl_hint, "unhandled option");
        }
        if (!pushed) {
            cli_error_at(NULL, 0, 0, "out of memory");
            return CLI_EXIT_SOFTWARE;
        }
    }
    return 0;
}

/* Opens the engine from the session's lists; with no --policies, the built-in regimes (whose
 * folder is remembered for reloads).  Prints any error; 0 or the exit code. */
static int open_engine(repl_session *s) {
    bool has_policies = s->policies.count > 0;
    if (!has_policies) {
        char dir[4096];
        if (cli_builtin_policies(dir, sizeof dir)) {
            if (!repl_strings_push(&s->policies, dir)) {
                cli_error_at(NULL, 0, 0, "out of memory");
                return CLI_EXIT_SOFTWARE;
            }
            has_policies = true;
        }
    }
    custos_config *cfg = NULL;
    custos_error err;
    if (repl_build_config(s, &cfg, &err) != CUSTOS_OK) return cli_report(&err, NULL);
    /* with no policy folder at all, cli_open_engine says where it looked */
    int rc = cli_open_engine(cfg, has_policies, &s->eng);
    custos_config_free(cfg);
    if (rc == 0) repl_refresh_policies(s);
    return rc;
}

/* ---- the command ----------------------------------------------------------------------- */

int cli_cmd_repl(int argc, char **argv) {
    repl_session s;
    memset(&s, 0, sizeof s);
    s.lang = (render_langs){true, true};
    repl_options o = {NULL, false};
    int rc = parse_arguments(argc, argv, &o, &s);
    if (rc == 0 && o.help) {
        cli_help_repl(stdout);
    } else if (rc == 0) {
        if (custos_request_new(&s.req) != CUSTOS_OK || custos_decision_new(&s.last) != CUSTOS_OK) {
            cli_error_at(NULL, 0, 0, "out of memory");
            rc = CLI_EXIT_SOFTWARE;
        }
        if (rc == 0) rc = open_engine(&s);
        if (rc == 0) {
            s.interactive = isatty(STDIN_FILENO) != 0;
            if (s.interactive) {
                char buf[4096];
                const char *history = o.history ? (*o.history ? o.history : NULL)
                                                : repl_default_history(buf, sizeof buf);
                rc = repl_run_terminal(&s, history);
            } else {
                s.input_name = "<stdin>";
                rc = repl_run_piped(&s);
            }
        }
    }
    repl_session_free(&s);
    return rc;
}
