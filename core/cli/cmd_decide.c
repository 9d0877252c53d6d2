/*
 * cmd_decide.c — `custos decide`: read one request, decide it on the loaded regimes, print the
 * decision as text or JSON, and exit with the decision's code (0 permit, 1 deny, 2 not
 * applicable) or an error's (64 usage, 65 bad input, 66 file not found, 70 internal, 74 output
 * lost).
 * The text rendering is render.c's, shared with `custos repl`.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "cli_common.h"
#include "cli_input.h"
#include "cli_streams.h"
#include "render.h"

static const char decide_usage[] =
    "custos decide [--policies DIR]... [--data FILE]... [--format text|json [--pretty]]\n"
    "                     [--explain] [--lang zh|en] [--as-of TIME|now] [--strict]\n"
    "                     [--regime-mode ID=MODE]... [--log FILE [--log-sync each|batched]\n"
    "                     [--log-redact FIELD]... [--log-key FILE]] REQUEST|-\n"
    "       custos decide --batch [options] [REQUESTS.jsonl|-]";
static const char decide_hint[] = "custos help decide";

void cli_help_decide(FILE *out) {
    fprintf(out,
            "usage: %s\n"
            "\n"
            "Decides one request (a YAML or JSON document; '-' reads it from stdin) on the\n"
            "loaded regimes and prints the decision, the articles that decided it, the\n"
            "obligations that come with it, and whether each regime was in force.  A field\n"
            "the policies do not declare is named on stderr with the nearest declared one.\n"
            "\n"
            "With --batch (-b): reads JSON Lines, one request per line (a file, or stdin when\n"
            "none or '-' is given), decides each on one engine and writes one JSON line per\n"
            "request, in order: the decision with \"line\" first, or {\"line\": N, \"error\":\n"
            "{...}} for a line that could not be decided; the stream goes on.  Blank lines are\n"
            "skipped.  A summary (counts by effect, errors, time) goes to stderr.\n"
            "\n"
            "Limits: a request (or one line of a batch) at most 1 MiB; a data document at\n"
            "most 64 MiB.  Larger ones are refused (65) before they are read.  A .json file is\n"
            "strict JSON (no trailing commas, no single quotes).\n"
            "\n"
            "Options:\n"
            "  --policies DIR        a folder of regime folders, or one regime folder; may be\n"
            "                        repeated.  Without it the built-in regimes are used.\n"
            "  --data FILE           a data document (contracts, purposes, ...); repeatable\n"
            "  --format text|json    text (default) or the decision document as one JSON line\n"
            "  --pretty              with --format json: indented JSON (a batch stays one\n"
            "                        line per decision)\n"
            "  -b, --batch           decide JSON Lines of requests (see above); JSON out\n"
            "  --strict              a field the policies do not declare is an error (65),\n"
            "                        not a warning\n"
            "  --explain             also list every article consulted, applied or not\n"
            "  --lang zh|en          text output: messages in one language (default: both)\n"
            "  --as-of TIME|now      decide as of this RFC 3339 time, e.g.\n"
            "                        2026-11-22T10:00:00+08:00 (or +0800), or now, the\n"
            "                        clock's time in the local offset (overrides context.time)\n"
            "  --regime-mode ID=MODE how regime ID binds: adopted (the default: at any\n"
            "                        time), in-force (only inside its validity window) or\n"
            "                        skipped; repeatable\n"
            "  --log FILE            append each decision to FILE, a hash-chained decision log\n"
            "                        (docs/audit-log.md; check it with custos audit verify)\n"
            "  --log-sync MODE       each (default): every record is fdatasync'd before the\n"
            "                        decision is printed; batched: synced every 100 ms\n"
            "  --log-redact FIELD    record this request field (dotted path) as its SHA-256\n"
            "                        digest, not its value; repeatable\n"
            "  --log-key FILE        sign checkpoints with the Ed25519 secret key in FILE\n"
            "                        (custos audit keygen): every 1000 records and at the end\n"
            "  -h, --help            show this help\n"
            "\n"
            "Exit status:\n"
            "  0   permit (--batch: every line was decided)\n"
            "  1   deny (also when a policy failed while deciding: fail closed)\n"
            "  2   not applicable: no article applied; the host's own default decides\n"
            "  64  usage error: unknown option, missing or bad option value, no request or\n"
            "      more than one, a --regime-mode for a regime that is not loaded\n"
            "  65  bad input: the request or a data document does not parse, a field has the\n"
            "      wrong type, a time is malformed, context.time is missing, an input is over\n"
            "      its size limit, an undeclared field under --strict; with --batch: any line\n"
            "      could not be decided (the others were)\n"
            "  66  not found: the request, a data document or a policy folder does not exist\n"
            "      or cannot be read, or is not a regular file (a folder, FIFO or device);\n"
            "      no built-in regimes were found\n"
            "  70  internal error, or the policies failed to load (a broken policy module or\n"
            "      regime.lua is not the request's fault)\n"
            "  74  the output could not be written (stdout closed, a full disk, a broken pipe)\n"
            "\n"
            "Errors go to stderr as 'custos: FILE:LINE:COL: message'; the decision to stdout.\n",
            decide_usage);
}

typedef enum output_format { FORMAT_TEXT, FORMAT_JSON } output_format;

#define CLI_MAX_REDACT 64

typedef struct decide_options {
    const char *request; /* path or "-" */
    output_format format;
    bool pretty;
    bool batch;
    bool strict;
    bool explain;
    render_langs lang; /* which languages text output shows */
    const char *as_of;
    bool has_policies;
    bool help;
    const char *log;  /* --log FILE */
    bool log_batched; /* --log-sync batched */
    const char *redact[CLI_MAX_REDACT];
    size_t redact_count;
    const char *log_key; /* --log-key FILE */
} decide_options;

enum {
    OPT_POLICIES = 1,
    OPT_DATA,
    OPT_FORMAT,
    OPT_EXPLAIN,
    OPT_LANG,
    OPT_AS_OF,
    OPT_MODE,
    OPT_PRETTY,
    OPT_BATCH,
    OPT_STRICT,
    OPT_LOG,
    OPT_LOG_SYNC,
    OPT_LOG_REDACT,
    OPT_LOG_KEY,
    OPT_HELP
};

static const cli_option decide_options_table[] = {{"policies", 0, true, OPT_POLICIES},
                                                  {"data", 0, true, OPT_DATA},
                                                  {"format", 0, true, OPT_FORMAT},
                                                  {"explain", 0, false, OPT_EXPLAIN},
                                                  {"lang", 0, true, OPT_LANG},
                                                  {"as-of", 0, true, OPT_AS_OF},
                                                  {"regime-mode", 0, true, OPT_MODE},
                                                  {"pretty", 0, false, OPT_PRETTY},
                                                  {"batch", 'b', false, OPT_BATCH},
                                                  {"strict", 0, false, OPT_STRICT},
                                                  {"log", 0, true, OPT_LOG},
                                                  {"log-sync", 0, true, OPT_LOG_SYNC},
                                                  {"log-redact", 0, true, OPT_LOG_REDACT},
                                                  {"log-key", 0, true, OPT_LOG_KEY},
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
        case OPT_PRETTY: o->pretty = true; break;
        case OPT_BATCH: o->batch = true; break;
        case OPT_STRICT: o->strict = true; break;
        case OPT_LOG:
            if (!*value) return cli_usage_error(decide_usage, decide_hint, "--log needs a file");
            o->log = value;
            break;
        case OPT_LOG_SYNC:
            if (strcmp(value, "each") != 0 && strcmp(value, "batched") != 0)
                return cli_usage_error(decide_usage, decide_hint,
                                       "--log-sync '%s': expected each or batched", value);
            o->log_batched = strcmp(value, "batched") == 0;
            break;
        case OPT_LOG_KEY:
            if (!*value)
                return cli_usage_error(decide_usage, decide_hint, "--log-key needs a file");
            o->log_key = value;
            break;
        case OPT_LOG_REDACT:
            if (!*value || o->redact_count == CLI_MAX_REDACT)
                return cli_usage_error(decide_usage, decide_hint,
                                       "--log-redact needs a field path (at most %d)",
                                       CLI_MAX_REDACT);
            o->redact[o->redact_count++] = value;
            break;
        case OPT_HELP: o->help = true; return 0;
        default: return cli_usage_error(decide_usage, decide_hint, "unhandled option");
        }
    }
    if (o->pretty && o->format != FORMAT_JSON && !o->batch)
        return cli_usage_error(decide_usage, decide_hint, "--pretty needs --format json");
    if ((o->log_batched || o->redact_count || o->log_key) && !o->log)
        return cli_usage_error(decide_usage, decide_hint,
                               "--log-sync, --log-redact and --log-key need --log");
    if (o->batch && !o->request) o->request = "-";
    if (!o->request)
        return cli_usage_error(decide_usage, decide_hint,
                               "expected a request file (or '-' to read one from stdin)");
    return 0;
}

/* Applies --as-of (a time, or now) to req; CUSTOS_OK or the failure in err. */
static custos_status apply_as_of(const decide_options *o, custos_request *req, custos_error *err) {
    if (!o->as_of) return CUSTOS_OK;
    if (strcmp(o->as_of, "now") == 0) return render_set_time_now(req, err);
    return custos_request_set_string(req, "context.time", o->as_of, err);
}

/* Reads and parses the request, then applies --as-of; 0 or the exit code. */
static int load_request(const decide_options *o, custos_request *req) {
    char *text;
    size_t len;
    int rc = cli_input_read(o->request, CUSTOS_MAX_REQUEST_BYTES, "a request", &text, &len);
    if (rc) return rc;
    const char *name = cli_document_name(o->request);
    custos_error err;
    memset(&err, 0, sizeof err);
    custos_status st = custos_request_parse(req, text, len, name, &err);
    free(text);
    if (st != CUSTOS_OK) return cli_report(&err, name);
    if (apply_as_of(o, req, &err) != CUSTOS_OK) return cli_report(&err, "--as-of");
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
    size_t unknown = render_unknown_fields(eng, req, cli_document_name(o->request), 0, o->strict);
    if (unknown && o->strict) {
        custos_decision_free(d);
        return CLI_EXIT_DATAERR;
    }
    if (custos_decide(eng, req, o->explain ? CUSTOS_DECIDE_EXPLAIN : 0u, d, &err) != CUSTOS_OK) {
        rc = cli_report(&err, cli_document_name(o->request));
        custos_decision_free(d);
        return rc;
    }
    bool printed;
    if (o->format == FORMAT_JSON) {
        const char *json = NULL;
        printed =
            custos_decision_json(d, &json) == CUSTOS_OK && render_json(stdout, json, o->pretty);
    } else {
        printed = render_decision(stdout, d, o->lang, o->explain);
    }
    rc = cli_exit_for_effect(custos_decision_effect(d));
    custos_decision_free(d);
    if (!printed) {
        cli_error_at(NULL, 0, 0, "cannot render the decision (out of memory?)");
        return CLI_EXIT_SOFTWARE;
    }
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) return cli_stdout_failed(errno);
    return rc;
}

/* ---- --batch ------------------------------------------------------------------------------ */

typedef struct batch_counts {
    unsigned long effects[3]; /* by custos_effect */
    unsigned long errors, lines;
} batch_counts;

/* Writes {"line": N, "error": {...}} for a line that could not be decided. */
static void batch_error(FILE *out, unsigned long line_no, custos_status st, const char *message,
                        unsigned column) {
    json_t *e = json_pack("{s:s, s:s, s:I, s:I}", "status", custos_status_name(st), "message",
                          message, "line", (json_int_t)line_no, "column", (json_int_t)column);
    char *text = e ? json_dumps(e, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    fprintf(out, "{\"line\":%lu,\"error\":%s}\n", line_no, text ? text : "null");
    free(text);
    json_decref(e);
}

/* Prints one line's error to stderr too, as "custos: NAME:LINE:COL: message". */
static void batch_report(const char *name, unsigned long line_no, unsigned column,
                         const char *message) {
    cli_error_at(name, (unsigned)line_no, column, "%s", message);
}

/* Decides one line; writes its JSON line; counts it. */
static void batch_line(const decide_options *o, custos_engine *eng, custos_request *req,
                       custos_decision *d, const char *name, unsigned long line_no,
                       const char *text, size_t len, batch_counts *c) {
    custos_error err;
    memset(&err, 0, sizeof err);
    custos_status st = custos_request_parse(req, text, len, name, &err);
    if (st == CUSTOS_OK) st = apply_as_of(o, req, &err);
    /* --strict: custos_decide refuses the first undeclared field (the error line names it) */
    if (st == CUSTOS_OK && !o->strict) render_unknown_fields(eng, req, name, line_no, false);
    unsigned flags =
        (o->explain ? CUSTOS_DECIDE_EXPLAIN : 0u) | (o->strict ? CUSTOS_DECIDE_STRICT : 0u);
    if (st == CUSTOS_OK) st = custos_decide(eng, req, flags, d, &err);
    const char *json = NULL;
    if (st == CUSTOS_OK && custos_decision_json(d, &json) == CUSTOS_OK && json[0] == '{') {
        custos_effect e = custos_decision_effect(d);
        if ((unsigned)e < 3) c->effects[e]++;
        fprintf(stdout, "{\"line\":%lu%s%s\n", line_no, json[1] == '}' ? "" : ",", json + 1);
        return;
    }
    if (st == CUSTOS_OK) st = CUSTOS_E_NOMEM;
    const char *message = err.message[0] ? err.message : custos_status_name(st);
    c->errors++;
    batch_error(stdout, line_no, st, message, err.column);
    batch_report(name, line_no, err.column, message);
}

/* --batch: JSON Lines in, JSON Lines out; returns 0 when every line was decided, else 65
 * (or the input's exit code). */
static int decide_batch(const decide_options *o, custos_engine *eng, custos_request *req) {
    FILE *in;
    int rc = cli_input_open(o->request, 0, "a batch", &in);
    if (rc) return rc;
    const char *name = cli_document_name(o->request);
    custos_decision *d = NULL;
    if (custos_decision_new(&d) != CUSTOS_OK) {
        if (in != stdin) fclose(in);
        cli_error_at(NULL, 0, 0, "out of memory");
        return CLI_EXIT_SOFTWARE;
    }
    static char out_buf[1 << 16];
    setvbuf(stdout, out_buf, _IOFBF, sizeof out_buf);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    batch_counts c;
    memset(&c, 0, sizeof c);
    cli_line_reader r;
    cli_line_reader_init(&r, in, CUSTOS_MAX_REQUEST_BYTES);
    const char *line;
    size_t len;
    cli_line_status ls = CLI_LINE_END;
    char limit[32];
    cli_input_describe_limit(CUSTOS_MAX_REQUEST_BYTES, limit, sizeof limit);
    /* a batch stops once its output is lost (a full disk, a closed pipe with SIGPIPE ignored) */
    while (!ferror(stdout) && (ls = cli_line_read(&r, &line, &len)) != CLI_LINE_END &&
           ls != CLI_LINE_ERROR) {
        if (ls == CLI_LINE_TOO_LONG) {
            char message[200];
            snprintf(message, sizeof message,
                     "the line is larger than the %s limit on a request (%zu bytes); refused",
                     limit, (size_t)CUSTOS_MAX_REQUEST_BYTES);
            c.lines++;
            c.errors++;
            batch_error(stdout, r.line_no, CUSTOS_E_INPUT, message, 0);
            batch_report(name, r.line_no, 0, message);
            continue;
        }
        size_t i = 0;
        while (i < len && (line[i] == ' ' || line[i] == '\t')) i++;
        if (i == len) continue; /* a blank line */
        c.lines++;
        batch_line(o, eng, req, d, name, r.line_no, line, len, &c);
    }
    int read_errno = errno;
    bool read_failed = ls == CLI_LINE_ERROR;
    cli_line_reader_free(&r);
    if (in != stdin) fclose(in);
    custos_decision_free(d);
    errno = 0;
    bool write_failed = fflush(stdout) != 0 || ferror(stdout);
    int write_errno = errno;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    fprintf(stderr,
            "custos: batch: %lu request%s in %.2f s (%.0f/s): %lu permit, %lu deny, %lu not "
            "applicable, %lu error%s\n",
            c.lines, c.lines == 1 ? "" : "s", seconds,
            seconds > 0 ? (double)c.lines / seconds : 0.0, c.effects[CUSTOS_PERMIT],
            c.effects[CUSTOS_DENY], c.effects[CUSTOS_NOT_APPLICABLE], c.errors,
            c.errors == 1 ? "" : "s");
    if (read_failed) {
        cli_error_at(name, (unsigned)r.line_no + 1, 0, "cannot read: %s", strerror(read_errno));
        return CLI_EXIT_NOINPUT;
    }
    if (write_failed) return cli_stdout_failed(write_errno);
    return c.errors ? CLI_EXIT_DATAERR : 0;
}

/* Reads --log-key's file: 128 hex digits (custos audit keygen).  0 or the exit code. */
static int read_log_key(const char *path, unsigned char key[64]) {
    char *text = NULL;
    size_t len = 0;
    int rc = cli_input_read(path, 4096, "a --log-key file", &text, &len);
    if (rc) return rc;
    while (len && (text[len - 1] == '\n' || text[len - 1] == '\r')) len--;
    bool ok = len == 128;
    for (size_t i = 0; ok && i < 64; i++) {
        unsigned v = 0;
        for (int k = 0; k < 2 && ok; k++) {
            char c = text[2 * i + (size_t)k];
            unsigned digit = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
                             : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                                                    : 16u;
            ok = digit < 16;
            v = v * 16 + digit;
        }
        key[i] = (unsigned char)v;
    }
    memset(text, 0, len);
    free(text);
    if (ok) return 0;
    cli_error_at(path, 1, 1,
                 "expected a secret key: 128 lower-case hex digits (custos audit keygen)");
    return CLI_EXIT_DATAERR;
}

/* --log: opens the decision log and attaches it to the engine; 0 or the exit code. */
static int open_log(const decide_options *o, custos_engine *eng, custos_log **log) {
    if (!o->log) return 0;
    unsigned char key[64];
    if (o->log_key) {
        int rc = read_log_key(o->log_key, key);
        if (rc) return rc;
    }
    custos_log_options opt = {o->log_batched ? CUSTOS_LOG_BATCHED : CUSTOS_LOG_FSYNC_EACH,
                              0,
                              o->redact,
                              o->redact_count,
                              o->log_key ? key : NULL,
                              o->log_key ? 1000 : 0};
    custos_error err;
    custos_status st = custos_log_open(o->log, &opt, log, &err);
    memset(key, 0, sizeof key);
    if (st != CUSTOS_OK) return cli_report(&err, o->log);
    custos_engine_set_log(eng, *log);
    return 0;
}

int cli_cmd_decide(int argc, char **argv) {
    decide_options o;
    memset(&o, 0, sizeof o);
    o.format = FORMAT_TEXT;
    o.lang = (render_langs){true, true};
    custos_log *log = NULL;
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
    } else if (rc == 0 && o.batch) {
        rc = cli_open_engine(cfg, o.has_policies, &eng);
        if (rc == 0) rc = open_log(&o, eng, &log);
        if (rc == 0) rc = decide_batch(&o, eng, req);
    } else if (rc == 0) {
        /* The request first: it is cheap to check, and its mistakes are the likeliest. */
        rc = load_request(&o, req);
        if (rc == 0) rc = cli_open_engine(cfg, o.has_policies, &eng);
        if (rc == 0) rc = open_log(&o, eng, &log);
        if (rc == 0) rc = decide_and_print(&o, eng, req);
    }
    if (eng) custos_engine_set_log(eng, NULL);
    custos_log_close(log);
    custos_engine_close(eng);
    custos_request_free(req);
    custos_config_free(cfg);
    return rc;
}
