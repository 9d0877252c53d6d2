/*
 * cmd_audit.c — `custos audit verify|head|show`: checking and reading decision logs
 * (docs/audit-log.md).  The checking is the library's (custos_log_verify); this file parses
 * arguments, prints, and filters records for `show`.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cli_common.h"
#include "cli_input.h"

static const char audit_usage[] =
    "custos audit verify FILE... [--head DIGEST] [--after DIGEST] [--key PUBKEY]\n"
    "       custos audit head FILE...\n"
    "       custos audit keygen SECRET-KEY-FILE\n"
    "       custos audit show FILE... [--subject S] [--resource R] [--regime ID]\n"
    "                     [--article N] [--effect E] [--since T] [--until T]\n"
    "                     [--format text|json]";
static const char audit_hint[] = "custos help audit";

/* Exit codes of verify and head (docs/cli.md). */
enum { AUDIT_TAMPERED = 1, AUDIT_TORN = 2, AUDIT_TRUNCATED = 3 };

void cli_help_audit(FILE *out) {
    fprintf(out,
            "usage: %s\n"
            "\n"
            "Checks and reads decision logs: the JSON Lines files `custos decide --log` and\n"
            "hosts (custos_log_open) write, one hash-chained record per decision\n"
            "(docs/audit-log.md).  Several files are one chain, oldest first (rotation).\n"
            "\n"
            "verify  recomputes every record's hash from its bytes and follows the chain: a\n"
            "        changed byte, a record deleted, inserted or moved is reported at its\n"
            "        file and line.  The first record must start a chain (prev is 64 zeros)\n"
            "        unless --after names the hash it follows.\n"
            "  --head DIGEST   a head kept elsewhere (custos audit head): the chain must hold\n"
            "                  it, else records after it were cut off (exit 3)\n"
            "  --after DIGEST  the hash of the record before the first file's first\n"
            "  --key PUBKEY    the Ed25519 public key (64 hex digits) that signs the log's\n"
            "                  checkpoints: every checkpoint must verify\n"
            "head    verifies, then prints the hash of the last complete record: an anchor to\n"
            "        keep elsewhere for verify --head\n"
            "keygen  makes an Ed25519 key pair for signed checkpoints: writes the secret key\n"
            "        (128 hex digits) to a new file readable by its owner only, for\n"
            "        `custos decide --log-key`, and prints the public key for verify --key\n"
            "show    prints the decision records that match every filter given:\n"
            "  --subject S     request field subject.id is S (or S's digest, when redacted)\n"
            "  --resource R    request field resource.id is R (or R's digest)\n"
            "  --regime ID     an article of regime ID was cited\n"
            "  --article N     article N was cited (of --regime ID when given)\n"
            "  --effect permit|deny|not_applicable\n"
            "                  the decision's effect\n"
            "  --since TIME    decided at or after TIME (an RFC 3339 time with an offset, or\n"
            "                  a date: its day at UTC+08:00)\n"
            "  --until TIME    decided at or before TIME (a date: to the end of its day)\n"
            "  --format text|json\n"
            "                  text (default: one line per decision) or json (the records)\n"
            "  -h, --help      show this help\n"
            "\n"
            "Exit status:\n"
            "  0   verify, head: intact; show: at least one record matched; keygen: done\n"
            "  1   verify, head: a record was changed, deleted, inserted or moved, or a\n"
            "      checkpoint's signature is bad (the first bad record's FILE:LINE on\n"
            "      stderr); show: no record matched\n"
            "  2   verify, head: intact but the last line is torn (a write cut by a crash;\n"
            "      the next open of the log cuts it and records a recovery)\n"
            "  3   verify: intact, but the --head given is not in the chain (truncated)\n"
            "  64  usage error\n"
            "  65  show: a line is not JSON\n"
            "  66  a file does not exist or cannot be read\n"
            "  73  keygen: the key file exists or cannot be created\n",
            audit_usage);
}

/* ---- verify and head --------------------------------------------------------------------- */

enum {
    OPT_HEAD = 1,
    OPT_AFTER,
    OPT_KEY,
    OPT_SUBJECT,
    OPT_RESOURCE,
    OPT_REGIME,
    OPT_ARTICLE,
    OPT_EFFECT,
    OPT_SINCE,
    OPT_UNTIL,
    OPT_FORMAT,
    OPT_HELP
};

static const cli_option audit_options[] = {{"head", 0, true, OPT_HEAD},
                                           {"after", 0, true, OPT_AFTER},
                                           {"key", 0, true, OPT_KEY},
                                           {"subject", 0, true, OPT_SUBJECT},
                                           {"resource", 0, true, OPT_RESOURCE},
                                           {"regime", 0, true, OPT_REGIME},
                                           {"article", 0, true, OPT_ARTICLE},
                                           {"effect", 0, true, OPT_EFFECT},
                                           {"since", 0, true, OPT_SINCE},
                                           {"until", 0, true, OPT_UNTIL},
                                           {"format", 0, true, OPT_FORMAT},
                                           {"help", 'h', false, OPT_HELP},
                                           {NULL, 0, false, 0}};

typedef struct audit_args {
    const char **files;
    size_t file_count;
    const char *head, *after, *key;
    const char *subject, *resource, *regime, *article, *effect;
    bool has_since, has_until;
    int64_t since_us, until_us; /* microseconds since the epoch */
    bool json;
    bool help;
} audit_args;

static int verify_exit(custos_log_verdict v) {
    switch (v) {
    case CUSTOS_LOG_INTACT: return 0;
    case CUSTOS_LOG_TAMPERED: return AUDIT_TAMPERED;
    case CUSTOS_LOG_TORN: return AUDIT_TORN;
    case CUSTOS_LOG_TRUNCATED: return AUDIT_TRUNCATED;
    }
    return AUDIT_TAMPERED;
}

static int run_verify(const audit_args *a, bool head_only) {
    custos_log_report rep;
    custos_error err;
    if (custos_log_verify(a->files, a->file_count, a->after, a->head, a->key, &rep, &err) !=
        CUSTOS_OK)
        return err.status == CUSTOS_E_ARGUMENT
                   ? cli_usage_error(audit_usage, audit_hint, "%s", err.message)
                   : cli_report(&err, NULL);
    if (rep.verdict != CUSTOS_LOG_INTACT) cli_error_at(rep.file, rep.line, 0, "%s", rep.message);
    if (rep.verdict == CUSTOS_LOG_TAMPERED) return AUDIT_TAMPERED;
    if (head_only) {
        puts(rep.head);
        return verify_exit(rep.verdict);
    }
    printf("%s: %zu record%s, head %s\n",
           rep.verdict == CUSTOS_LOG_INTACT ? "intact"
           : rep.verdict == CUSTOS_LOG_TORN ? "intact up to a torn last line"
                                            : "intact but truncated",
           rep.records, rep.records == 1 ? "" : "s", rep.head);
    if (a->key)
        printf("%zu checkpoint%s verified; %zu record%s after the last\n", rep.checkpoints,
               rep.checkpoints == 1 ? "" : "s", rep.after_checkpoint,
               rep.after_checkpoint == 1 ? "" : "s");
    return verify_exit(rep.verdict);
}

/* ---- show ---------------------------------------------------------------------------------- */

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

/* An RFC 3339 time with an offset ("Z", "+08:00", "+0800"; fractions kept to microseconds), or
 * a date (a day at UTC+08:00: its first microsecond, or its last when end_of_day). */
static bool parse_time(const char *s, bool end_of_day, int64_t *us) {
    int y, mo, d, h = 0, mi = 0, sec = 0, n = 0;
    if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10 || mo < 1 || mo > 12 || d < 1 ||
        d > 31)
        return false;
    int64_t day = days_from_civil(y, (unsigned)mo, (unsigned)d);
    if (s[10] == '\0') {
        int64_t start = (day * 86400 - 8 * 3600) * 1000000;
        *us = end_of_day ? start + 86400LL * 1000000 - 1 : start;
        return true;
    }
    const char *p = s + 10;
    if ((*p != 'T' && *p != 't' && *p != ' ') ||
        sscanf(p + 1, "%2d:%2d:%2d%n", &h, &mi, &sec, &n) != 3 || n != 8 || h > 23 || mi > 59 ||
        sec > 60)
        return false;
    p += 9;
    int64_t frac = 0;
    if (*p == '.') {
        int digits = 0;
        for (p++; *p >= '0' && *p <= '9'; p++, digits++)
            if (digits < 6) frac = frac * 10 + (*p - '0');
        if (!digits) return false;
        for (; digits < 6; digits++) frac *= 10;
    }
    int offset = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om, sign = *p == '-' ? -1 : 1;
        if (sscanf(p + 1, "%2d:%2d%n", &oh, &om, &n) == 2 && n == 5)
            p += 6;
        else if (sscanf(p + 1, "%2d%2d%n", &oh, &om, &n) == 2 && n == 4)
            p += 5;
        else
            return false;
        offset = sign * (oh * 60 + om);
        if (oh > 23 || om > 59) return false;
    } else
        return false;
    if (*p) return false;
    *us = ((day * 86400 + h * 3600 + mi * 60 + sec) - (int64_t)offset * 60) * 1000000 + frac;
    return true;
}

/* The request field equals value, or value's digest (a redacted field). */
static bool field_is(json_t *request, const char *field, const char *value) {
    const char *got = json_string_value(json_object_get(request, field));
    if (!got) return false;
    if (strcmp(got, value) == 0) return true;
    char digest[CUSTOS_DIGEST_SIZE];
    custos_digest(value, strlen(value), digest);
    return strcmp(got, digest) == 0;
}

static bool matches(const audit_args *a, json_t *rec) {
    const char *type = json_string_value(json_object_get(rec, "type"));
    if (!type || strcmp(type, "decision") != 0) return false;
    json_t *request = json_object_get(rec, "request");
    if (a->subject && !field_is(request, "subject.id", a->subject)) return false;
    if (a->resource && !field_is(request, "resource.id", a->resource)) return false;
    const char *effect = json_string_value(json_object_get(rec, "effect"));
    if (a->effect && (!effect || strcmp(effect, a->effect) != 0)) return false;
    if (a->regime || a->article) {
        bool cited = false;
        size_t i;
        json_t *ref;
        json_array_foreach(json_object_get(rec, "articles"), i, ref) {
            const char *regime = json_string_value(json_object_get(ref, "regime"));
            const char *article = json_string_value(json_object_get(ref, "article"));
            if ((!a->regime || (regime && strcmp(regime, a->regime) == 0)) &&
                (!a->article || (article && strcmp(article, a->article) == 0)))
                cited = true;
        }
        if (!cited) return false;
    }
    if (a->has_since || a->has_until) {
        const char *when = json_string_value(json_object_get(rec, "time"));
        int64_t us;
        if (!when || !parse_time(when, false, &us)) return false;
        if ((a->has_since && us < a->since_us) || (a->has_until && us > a->until_us)) return false;
    }
    return true;
}

static void print_text(json_t *rec) {
    json_t *request = json_object_get(rec, "request");
    const char *fields[] = {"subject.id", "action", "resource.id"};
    printf("%s  %-14s", json_string_value(json_object_get(rec, "time")),
           json_string_value(json_object_get(rec, "effect")));
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        const char *v = json_string_value(json_object_get(request, fields[i]));
        if (v) printf("  %s=%s", fields[i], v);
    }
    size_t i;
    json_t *ref;
    const char *sep = "  cites ";
    json_array_foreach(json_object_get(rec, "articles"), i, ref) {
        printf("%s%s/%s", sep, json_string_value(json_object_get(ref, "regime")),
               json_string_value(json_object_get(ref, "article")));
        sep = ",";
    }
    printf("  id %s\n", json_string_value(json_object_get(rec, "id")));
}

static int run_show(const audit_args *a) {
    size_t shown = 0;
    for (size_t f = 0; f < a->file_count; f++) {
        FILE *in = NULL;
        int rc = cli_input_open(a->files[f], 0, "a decision log", &in);
        if (rc) return rc;
        char *line = NULL;
        size_t cap = 0;
        ssize_t n;
        unsigned line_no = 0;
        while ((n = getline(&line, &cap, in)) > 0) {
            line_no++;
            if (line[n - 1] != '\n') break; /* a torn last line: not a record */
            json_error_t jerr;
            json_t *rec = json_loadb(line, (size_t)n, 0, &jerr);
            if (!rec) {
                cli_error_at(a->files[f], line_no, (unsigned)jerr.column, "not JSON: %s",
                             jerr.text);
                free(line);
                fclose(in);
                return CLI_EXIT_DATAERR;
            }
            if (matches(a, rec)) {
                shown++;
                if (a->json)
                    fwrite(line, 1, (size_t)n, stdout);
                else
                    print_text(rec);
            }
            json_decref(rec);
        }
        free(line);
        fclose(in);
    }
    return shown ? 0 : 1;
}

/* ---- keygen ------------------------------------------------------------------------------------ */

static int run_keygen(int argc, char **argv) {
    if (argc != 3 || argv[2][0] == '-')
        return cli_usage_error(audit_usage, audit_hint, "keygen takes one file: the secret key's");
    unsigned char secret[64];
    char public_hex[65], secret_hex[129];
    if (custos_log_keygen(secret, public_hex) != CUSTOS_OK) {
        cli_error_at(NULL, 0, 0, "cannot make a key pair");
        return CLI_EXIT_SOFTWARE;
    }
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < sizeof secret; i++) {
        secret_hex[2 * i] = hex[secret[i] >> 4];
        secret_hex[2 * i + 1] = hex[secret[i] & 15];
    }
    secret_hex[128] = '\0';
    memset(secret, 0, sizeof secret);
    /* a new file only, its owner's alone: a key is never written over or left readable */
    int fd = open(argv[2], O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    bool written = f && fprintf(f, "%s\n", secret_hex) == 129;
    memset(secret_hex, 0, sizeof secret_hex);
    if (f ? fclose(f) != 0 : fd >= 0 && close(fd) != 0) written = false;
    if (!written) {
        cli_error_at(argv[2], 0, 0, "cannot create the key file (it must not exist yet): %s",
                     strerror(errno));
        return CLI_EXIT_CANTCREAT;
    }
    puts(public_hex);
    return 0;
}

/* ---- the command ------------------------------------------------------------------------------ */

static int parse_args(int argc, char **argv, const char *sub, audit_args *a) {
    cli_parser p;
    cli_parser_init(&p, argc, argv, 2);
    const char *value;
    int id;
    bool show = strcmp(sub, "show") == 0, verify = strcmp(sub, "verify") == 0;
    while ((id = cli_next_option(&p, audit_options, &value)) != CLI_OPT_END) {
        if (id == CLI_OPT_ERROR) return cli_usage_error(audit_usage, audit_hint, "%s", p.error);
        if (id == CLI_OPT_POSITIONAL) {
            a->files[a->file_count++] = value;
            continue;
        }
        if (id == OPT_HELP) {
            a->help = true;
            return 0;
        }
        bool for_verify = id == OPT_HEAD || id == OPT_AFTER || id == OPT_KEY;
        if ((for_verify && !verify) || (!for_verify && !show))
            return cli_usage_error(audit_usage, audit_hint, "audit %s takes no option '%s'", sub,
                                   argv[p.index - 1]);
        switch (id) {
        case OPT_HEAD: a->head = value; break;
        case OPT_AFTER: a->after = value; break;
        case OPT_KEY: a->key = value; break;
        case OPT_SUBJECT: a->subject = value; break;
        case OPT_RESOURCE: a->resource = value; break;
        case OPT_REGIME: a->regime = value; break;
        case OPT_ARTICLE: a->article = value; break;
        case OPT_EFFECT:
            if (strcmp(value, "permit") && strcmp(value, "deny") && strcmp(value, "not_applicable"))
                return cli_usage_error(audit_usage, audit_hint,
                                       "--effect '%s': expected permit, deny or not_applicable",
                                       value);
            a->effect = value;
            break;
        case OPT_SINCE:
        case OPT_UNTIL: {
            bool until = id == OPT_UNTIL;
            int64_t *us = until ? &a->until_us : &a->since_us;
            if (!parse_time(value, until, us))
                return cli_usage_error(audit_usage, audit_hint,
                                       "--%s '%s': expected an RFC 3339 time with an offset "
                                       "(2026-11-22T10:00:00+08:00) or a date (2026-11-22)",
                                       until ? "until" : "since", value);
            *(until ? &a->has_until : &a->has_since) = true;
            break;
        }
        case OPT_FORMAT:
            if (strcmp(value, "text") && strcmp(value, "json"))
                return cli_usage_error(audit_usage, audit_hint,
                                       "--format '%s': expected text or json", value);
            a->json = strcmp(value, "json") == 0;
            break;
        default: return cli_usage_error(audit_usage, audit_hint, "unhandled option");
        }
    }
    if (!a->file_count) return cli_usage_error(audit_usage, audit_hint, "expected a log file");
    return 0;
}

int cli_cmd_audit(int argc, char **argv) {
    const char *sub = argc > 1 ? argv[1] : "";
    if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
        cli_help_audit(stdout);
        return 0;
    }
    if (strcmp(sub, "keygen") == 0) return run_keygen(argc, argv);
    static const char *const subs[] = {"verify", "head", "show", "keygen"};
    if (strcmp(sub, "verify") && strcmp(sub, "head") && strcmp(sub, "show")) {
        char hint[128];
        cli_did_you_mean(hint, sizeof hint, "", cli_suggest_among(sub, subs, 4));
        return cli_usage_error(audit_usage, audit_hint,
                               *sub ? "unknown audit command '%s'%s"
                                    : "expected verify, head, show or keygen%s%s",
                               sub, hint);
    }
    audit_args a;
    memset(&a, 0, sizeof a);
    a.files = calloc((size_t)argc, sizeof *a.files);
    if (!a.files) {
        cli_error_at(NULL, 0, 0, "out of memory");
        return CLI_EXIT_SOFTWARE;
    }
    int rc = parse_args(argc, argv, sub, &a);
    if (rc == 0 && a.help)
        cli_help_audit(stdout);
    else if (rc == 0)
        rc = strcmp(sub, "show") == 0 ? run_show(&a) : run_verify(&a, strcmp(sub, "head") == 0);
    free(a.files);
    return rc;
}
