/*
 * cmd_decide.c — `custos decide`: read one request, decide it on the loaded regimes, print the
 * decision as text or JSON, and exit with the decision's code (0 permit, 1 deny, 2 not
 * applicable) or an error's (64 usage, 65 bad input, 66 file not found, 70 internal).
 */
#include <stdlib.h>
#include <string.h>

#include "cli_common.h"

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

/* Which languages text output shows. */
typedef struct languages {
    bool zh, en;
} languages;

typedef struct decide_options {
    const char *request; /* path or "-" */
    output_format format;
    bool explain;
    languages lang;
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

static const cli_option decide_options_table[] = {
    {"policies", 0, true, OPT_POLICIES}, {"data", 0, true, OPT_DATA},
    {"format", 0, true, OPT_FORMAT},     {"explain", 0, false, OPT_EXPLAIN},
    {"lang", 0, true, OPT_LANG},         {"as-of", 0, true, OPT_AS_OF},
    {"regime-mode", 0, true, OPT_MODE},  {"help", 'h', false, OPT_HELP},
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
            if (strcmp(value, "text") == 0) o->format = FORMAT_TEXT;
            else if (strcmp(value, "json") == 0) o->format = FORMAT_JSON;
            else
                return cli_usage_error(decide_usage, decide_hint,
                                       "--format '%s': expected text or json", value);
            break;
        case OPT_EXPLAIN: o->explain = true; break;
        case OPT_LANG:
            if (strcmp(value, "zh") == 0) o->lang = (languages){true, false};
            else if (strcmp(value, "en") == 0) o->lang = (languages){false, true};
            else
                return cli_usage_error(decide_usage, decide_hint,
                                       "--lang '%s': expected zh or en", value);
            break;
        case OPT_AS_OF:
            if (!*value)
                return cli_usage_error(decide_usage, decide_hint, "--as-of needs a time");
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

/* ---- text output ----------------------------------------------------------------------------- */

/* ANSI sequences, or empty strings when colour is off. */
typedef struct style {
    const char *bold, *dim, *red, *green, *yellow, *reset;
} style;

static const style plain_style = {"", "", "", "", "", ""};
static const style color_style = {"\033[1m", "\033[2m", "\033[1;31m", "\033[1;32m", "\033[1;33m",
                                  "\033[0m"};

static const char *str(const char *s) { return s ? s : ""; }

static const char *effect_label(custos_effect e) {
    switch (e) {
    case CUSTOS_PERMIT: return "permit";
    case CUSTOS_DENY: return "deny";
    case CUSTOS_NOT_APPLICABLE: return "not applicable";
    }
    return "unknown";
}

/* "gz-2012 art. 13" into buf; "(engine)" for an entry tied to no article. */
static const char *article_label(char *buf, size_t size, const char *regime, const char *article) {
    if (!*str(regime) && !*str(article)) snprintf(buf, size, "(engine)");
    else if (!*str(article)) snprintf(buf, size, "%s", str(regime));
    else snprintf(buf, size, "%s art. %s", str(regime), str(article));
    return buf;
}

/* The wider of width and the display width of the label of (regime, article). */
static size_t widen_for_label(size_t width, const char *regime, const char *article) {
    char label[256];
    size_t w = cli_display_width(article_label(label, sizeof label, regime, article));
    return w > width ? w : width;
}

static size_t max_size(size_t a, size_t b) { return a > b ? a : b; }

static void print_heading(FILE *out, const style *s, const char *title) {
    fprintf(out, "\n%s%s%s\n", s->bold, title, s->reset);
}

/* The indented "zh  …" / "en  …" lines of a message, in the chosen languages. */
static void print_messages(FILE *out, const style *s, languages lang, const char *zh,
                           const char *en) {
    if (lang.zh && *str(zh)) fprintf(out, "      %szh%s  %s\n", s->dim, s->reset, zh);
    if (lang.en && *str(en)) fprintf(out, "      %sen%s  %s\n", s->dim, s->reset, en);
}

/* Reasons: label, effect, citation; then the title and the messages.  False on an error. */
static bool print_reasons(FILE *out, const style *s, languages lang, custos_decision *d) {
    size_t n = custos_decision_reason_count(d), label_w = 0;
    char label[256];
    if (!n) return true;
    for (size_t i = 0; i < n; i++) {
        custos_reason r;
        if (custos_decision_reason(d, i, &r) != CUSTOS_OK) return false;
        label_w = widen_for_label(label_w, r.regime, r.article);
    }
    print_heading(out, s, "Reasons");
    for (size_t i = 0; i < n; i++) {
        custos_reason r;
        if (custos_decision_reason(d, i, &r) != CUSTOS_OK) return false;
        fputs("  ", out);
        cli_print_padded(out, article_label(label, sizeof label, r.regime, r.article), label_w);
        const char *color = r.effect == CUSTOS_DENY ? s->red : s->green;
        fprintf(out, "  %s%-6s%s  %s\n", color, effect_label(r.effect), s->reset, str(r.citation));
        const char *zh = lang.zh ? str(r.title_zh) : "", *en = lang.en ? str(r.title_en) : "";
        if (*zh || *en)
            fprintf(out, "      %s%s%s\n", zh, (*zh && *en) ? " / " : "", en);
        print_messages(out, s, lang, r.message_zh, r.message_en);
    }
    return true;
}

/* Obligations: id, the article that imposed it, its params as key=value. */
static bool print_obligations(FILE *out, const style *s, const custos_decision *d) {
    size_t n = custos_decision_obligation_count(d), id_w = 0, label_w = 0;
    char label[256];
    if (!n) return true;
    for (size_t i = 0; i < n; i++) {
        custos_obligation ob;
        if (custos_decision_obligation(d, i, &ob) != CUSTOS_OK) return false;
        id_w = max_size(id_w, cli_display_width(str(ob.id)));
        label_w = widen_for_label(label_w, ob.regime, ob.article);
    }
    print_heading(out, s, "Obligations");
    for (size_t i = 0; i < n; i++) {
        custos_obligation ob;
        if (custos_decision_obligation(d, i, &ob) != CUSTOS_OK) return false;
        fputs("  ", out);
        cli_print_padded(out, str(ob.id), id_w);
        fputs("  ", out);
        article_label(label, sizeof label, ob.regime, ob.article);
        if (ob.param_count) cli_print_padded(out, label, label_w);
        else fputs(label, out);
        for (size_t k = 0; k < ob.param_count; k++)
            fprintf(out, "%s%s=%s", k ? " " : "  ", str(ob.param_keys[k]), str(ob.param_values[k]));
        fputc('\n', out);
    }
    return true;
}

/* Regimes: whether each was in force at the request's time and whether it bound. */
static bool print_regimes(FILE *out, const style *s, const custos_decision *d) {
    size_t n = custos_decision_regime_count(d), id_w = 0;
    if (!n) return true;
    for (size_t i = 0; i < n; i++) {
        custos_regime_status r;
        if (custos_decision_regime(d, i, &r) != CUSTOS_OK) return false;
        id_w = max_size(id_w, cli_display_width(str(r.id)));
    }
    print_heading(out, s, "Regimes");
    for (size_t i = 0; i < n; i++) {
        custos_regime_status r;
        if (custos_decision_regime(d, i, &r) != CUSTOS_OK) return false;
        fputs("  ", out);
        cli_print_padded(out, str(r.id), id_w);
        fprintf(out, "  %-12s  %s\n", r.in_force ? "in force" : "not in force",
                r.adopted ? "adopted" : "not adopted");
    }
    return true;
}

/* Errors inside policies (each one made the decision deny). */
static bool print_errors(FILE *out, const style *s, const custos_decision *d) {
    size_t n = custos_decision_error_count(d), label_w = 0;
    char label[256];
    if (!n) return true;
    for (size_t i = 0; i < n; i++) {
        custos_policy_error e;
        if (custos_decision_error(d, i, &e) != CUSTOS_OK) return false;
        label_w = widen_for_label(label_w, e.regime, e.article);
    }
    print_heading(out, s, "Errors");
    for (size_t i = 0; i < n; i++) {
        custos_policy_error e;
        if (custos_decision_error(d, i, &e) != CUSTOS_OK) return false;
        fputs("  ", out);
        cli_print_padded(out, article_label(label, sizeof label, e.regime, e.article), label_w);
        fprintf(out, "  %s%s%s\n", s->red, str(e.message), s->reset);
    }
    return true;
}

/* --explain: every article consulted, whether it applied, its verdict and message. */
static bool print_trace(FILE *out, const style *s, languages lang, custos_decision *d) {
    size_t n = custos_decision_trace_count(d), label_w = 0;
    char label[256];
    print_heading(out, s, "Articles consulted");
    if (!n) {
        fputs("  (none)\n", out);
        return true;
    }
    for (size_t i = 0; i < n; i++) {
        custos_trace t;
        if (custos_decision_trace(d, i, &t) != CUSTOS_OK) return false;
        label_w = widen_for_label(label_w, t.regime, t.article);
    }
    for (size_t i = 0; i < n; i++) {
        custos_trace t;
        if (custos_decision_trace(d, i, &t) != CUSTOS_OK) return false;
        const char *verdict = t.failed ? "error" : effect_label(t.effect);
        const char *color = t.failed || (t.applied && t.effect == CUSTOS_DENY) ? s->red
                            : t.applied                                       ? s->green
                                                                              : s->dim;
        fputs("  ", out);
        cli_print_padded(out, article_label(label, sizeof label, t.regime, t.article), label_w);
        fprintf(out, "  %-11s  %s%-14s%s", t.applied ? "applied" : "not applied", color, verdict,
                s->reset);
        if (*str(t.code)) fprintf(out, "  %s", t.code);
        fputc('\n', out);
        if (t.failed) /* the error is one message, the same in both languages */
            fprintf(out, "      %s\n", *str(t.message_en) ? t.message_en : str(t.message_zh));
        else
            print_messages(out, s, lang, t.message_zh, t.message_en);
    }
    return true;
}

/* Prints the decision as readable text; false when a part of it could not be read. */
static bool print_text(FILE *out, const decide_options *o, custos_decision *d) {
    const style *s = cli_use_color(out) ? &color_style : &plain_style;
    custos_effect effect = custos_decision_effect(d);
    switch (effect) {
    case CUSTOS_PERMIT: fprintf(out, "%sPERMIT%s\n", s->green, s->reset); break;
    case CUSTOS_DENY: fprintf(out, "%sDENY%s\n", s->red, s->reset); break;
    case CUSTOS_NOT_APPLICABLE:
        fprintf(out, "%sNOT APPLICABLE%s\n", s->yellow, s->reset);
        fputs("  no article applied; the host's own default decides\n", out);
        break;
    }
    return print_reasons(out, s, o->lang, d) && print_obligations(out, s, d) &&
           print_regimes(out, s, d) && print_errors(out, s, d) &&
           (!o->explain || print_trace(out, s, o->lang, d));
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
        printed = print_text(stdout, o, d);
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
