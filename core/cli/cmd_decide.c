/*
 * cmd_decide.c — `custos decide`: read one request, decide it on the loaded regimes, print the
 * decision as text or JSON, and exit with the decision's code (0 permit, 1 deny, 2 not
 * applicable) or an error's (64 usage, 65 bad input, 66 file not found, 70 internal).
 * The text rendering is render.c's, shared with `custos repl`.
 */
#include <stdlib.h>
#include <string.h>

#include "cli_common.h"
#include "render.h"

static const char decide_usage[] =
    "custos decide [--policies DIR]... [--data FILE]... [--format text|json]\n"
    "                     [--explain] [--lang zh|en] [--as-of TIME]\n"
    "                     [--regime-mode ID=MODE]... REQUEST|-";
static const char decide_hint[] = "custos help decide";

void cli_help_decide(FILE *out) {
    fprintf(out,
            "usage: %s\n"
            "\n"
            "Decides one request (a YAML or JSON document; '-' reads it from stdin) on the\n"
            "loaded regimes and prints the decision, the articles that decided it, the\n"
            "obligations that come with it, and whether each regime was in force.\n"
            "\n"
            "Options:\n"
            "  --policies DIR        a folder of regime folders, or one regime folder; may be\n"
            "                        repeated.  Without it the built-in regimes are used.\n"
            "  --data FILE           a data document (contracts, purposes, ...); repeatable\n"
            "  --format text|json    text (default) or the decision document as one JSON line\n"
            "  --explain             also list every article consulted, applied or not\n"
            "  --lang zh|en          text output: messages in one language (default: both)\n"
            "  --as-of TIME          decide as of this RFC 3339 time, e.g.\n"
            "                        2026-11-22T10:00:00+08:00 (overrides context.time)\n"
            "  --regime-mode ID=MODE how regime ID binds: adopted (the default: at any\n"
            "                        time), in-force (only inside its validity window) or\n"
            "                        skipped; repeatable\n"
            "  -h, --help            show this help\n"
            "\n"
            "Exit status:\n"
            "  0   permit\n"
            "  1   deny (also when a policy failed while deciding: fail closed)\n"
            "  2   not applicable: no article applied; the host's own default decides\n"
            "  64  usage error: unknown option, missing or bad option value, no request or\n"
            "      more than one, a --regime-mode for a regime that is not loaded\n"
            "  65  bad input: the request or a data document does not parse, a field has the\n"
            "      wrong type, a time is malformed, context.time is missing\n"
            "  66  not found: the request, a data document or a policy folder does not exist\n"
            "      or cannot be read; no built-in regimes were found\n"
            "  70  internal error, or the policies failed to load (a broken policy module or\n"
            "      regime.lua is not the request's fault)\n"
            "\n"
            "Errors go to stderr as 'custos: FILE:LINE:COL: message'; the decision to stdout.\n",
            decide_usage);
}

typedef enum output_format { FORMAT_TEXT, FORMAT_JSON } output_format;

typedef struct decide_options {
    const char *request; /* path or "-" */
    output_format format;
    bool explain;
    render_langs lang; /* which languages text output shows */
    const char *as_of;
    bool has_policies;
    bool help;
} decide_options;

enum {
    OPT_POLICIES = 1,
    OPT_DATA,
    OPT_FORMAT,
    OPT_EXPLAIN,
    OPT_LANG,
    OPT_AS_OF,
    OPT_MODE,
    OPT_HELP
};

static const cli_option decide_options_table[] = {{"policies", 0, true, OPT_POLICIES},
                                                  {"data", 0, true, OPT_DATA},
                                                  {"format", 0, true, OPT_FORMAT},
                                                  {"explain", 0, false, OPT_EXPLAIN},
                                                  {"lang", 0, true, OPT_LANG},
                                                  {"as-of", 0, true, OPT_AS_OF},
                                                  {"regime-mode", 0, true, OPT_MODE},
                                                  {"help", 'h', false, OPT_HELP},
                                                  {NULL, 0, false, 0}};

/* Adds a --policies or --data path to cfg; an empty one is a usage error. */
static int add_path(custos_config *cfg, int id, const char *path) {
    const char *option = id == OPT_POLICIES ? "--policies" : "--data";
    if (!*path)
        return cli_usage_error(decide_usage, decide_hint, "%s needs a non-empty path", option);
    custos_status st = id == OPT_POLICIES ? custos_config_add_policies(cfg, path)
                                          : custos_config_add_data(cfg, path);
    if (st == CUSTOS_OK) return 0;
    cli_error_at(path, 0, 0, "%s: %s", option, custos_status_name(st));
    return cli_exit_for_status(st);
}

/* Parses argv into o and cfg; 0 on success, else the exit code (a message was printed). */
static int parse_arguments(int argc, char **argv, decide_options *o, custos_config *cfg) {
    cli_parser p;
    cli_parser_init(&p, argc, argv, 1);
    const char *value;
    int id, rc;
    while ((id = cli_next_option(&p, decide_options_table, &value)) != CLI_OPT_END) {
        switch (id) {
        case CLI_OPT_ERROR: return cli_usage_error(decide_usage, decide_hint, "%s", p.error);
        case CLI_OPT_POSITIONAL:
            if (o->request)
                return cli_usage_error(decide_usage, decide_hint,
                                       "one request at a time: got '%s' and '%s'", o->request,
                                       value);
            o->request = value;
            break;
        case OPT_POLICIES:
        case OPT_DATA:
            if ((rc = add_path(cfg, id, value))) return rc;
            if (id == OPT_POLICIES) o->has_policies = true;
            break;
        case OPT_FORMAT:
            if (strcmp(value, "text") == 0)
                o->format = FORMAT_TEXT;
            else if (strcmp(value, "json") == 0)
                o->format = FORMAT_JSON;
            else
                return cli_usage_error(decide_usage, decide_hint,
                                       "--format '%s': expected text or json", value);
            break;
        case OPT_EXPLAIN: o->explain = true; break;
        case OPT_LANG:
            if (strcmp(value, "zh") == 0)
                o->lang = (render_langs){true, false};
            else if (strcmp(value, "en") == 0)
                o->lang = (render_langs){false, true};
            else
                return cli_usage_error(decide_usage, decide_hint, "--lang '%s': expected zh or en",
                                       value);
            break;
        case OPT_AS_OF:
            if (!*value) return cli_usage_error(decide_usage, decide_hint, "--as-of needs a time");
            o->as_of = value;
            break;
        case OPT_MODE:
            if ((rc = cli_add_regime_mode(cfg, value, decide_usage, decide_hint))) return rc;
            break;
        case OPT_HELP: o->help = true; return 0;
        default: return cli_usage_error(decide_usage, decide_hint, "unhandled option");
        }
    }
    if (!o->request)
        return cli_usage_error(decide_usage, decide_hint,
                               "expected a request file (or '-' to read one from stdin)");
    return 0;
}

/* Reads and parses the request, then applies --as-of; 0 or the exit code. */
static int load_request(const decide_options *o, custos_request *req) {
    char *text;
    size_t len;
    int rc = cli_read_document(o->request, &text, &len);
    if (rc) return rc;
    const char *name = cli_document_name(o->request);
    custos_error err;
    memset(&err, 0, sizeof err);
    custos_status st = custos_request_parse(req, text, len, name, &err);
    free(text);
    if (st != CUSTOS_OK) return cli_report(&err, name);
    if (o->as_of && custos_request_set_string(req, "context.time", o->as_of, &err) != CUSTOS_OK)
        return cli_report(&err, "--as-of");
    return 0;
}

/* ---- the command ----------------------------------------------------------------------------- */

/* Decides the request on the engine and prints the result; returns the exit code. */
static int decide_and_print(const decide_options *o, custos_engine *eng, custos_request *req) {
    custos_decision *d = NULL;
    custos_error err;
    memset(&err, 0, sizeof err);
    if (custos_decision_new(&d) != CUSTOS_OK) {
        cli_error_at(NULL, 0, 0, "out of memory");
        return CLI_EXIT_SOFTWARE;
    }
    int rc;
    if (custos_decide(eng, req, o->explain ? CUSTOS_DECIDE_EXPLAIN : 0u, d, &err) != CUSTOS_OK) {
        rc = cli_report(&err, cli_document_name(o->request));
        custos_decision_free(d);
        return rc;
    }
    bool printed;
    if (o->format == FORMAT_JSON) {
        const char *json = NULL;
        printed = custos_decision_json(d, &json) == CUSTOS_OK;
        if (printed) printf("%s\n", json);
    } else {
        printed = render_decision(stdout, d, o->lang, o->explain);
    }
    rc = cli_exit_for_effect(custos_decision_effect(d));
    custos_decision_free(d);
    if (!printed) {
        cli_error_at(NULL, 0, 0, "cannot render the decision (out of memory?)");
        return CLI_EXIT_SOFTWARE;
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error_at(NULL, 0, 0, "cannot write the decision to stdout");
        return CLI_EXIT_SOFTWARE;
    }
    return rc;
}

int cli_cmd_decide(int argc, char **argv) {
    decide_options o = {NULL, FORMAT_TEXT, false, {true, true}, NULL, false, false};
    custos_config *cfg = NULL;
    custos_request *req = NULL;
    custos_engine *eng = NULL;
    if (custos_config_new(&cfg) != CUSTOS_OK || custos_request_new(&req) != CUSTOS_OK) {
        custos_config_free(cfg);
        cli_error_at(NULL, 0, 0, "out of memory");
        return CLI_EXIT_SOFTWARE;
    }
    int rc = parse_arguments(argc, argv, &o, cfg);
    if (rc == 0 && o.help) {
        cli_help_decide(stdout);
    } else if (rc == 0) {
        /* The request first: it is cheap to check, and its mistakes are the likeliest. */
        rc = load_request(&o, req);
        if (rc == 0) rc = cli_open_engine(cfg, o.has_policies, &eng);
        if (rc == 0) rc = decide_and_print(&o, eng, req);
    }
    custos_engine_close(eng);
    custos_request_free(req);
    custos_config_free(cfg);
    return rc;
}
