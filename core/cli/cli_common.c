/* cli_common.c — see cli_common.h. */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700 /* realpath */
#endif
#include "cli_common.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *const cli_program = "custos";
static const char *cli_argv0 = NULL;

/* Remembers how the program was started, for finding the built-in regimes. */
void cli_set_argv0(const char *argv0) { cli_argv0 = argv0; }

/* ---- exit codes ------------------------------------------------------------------------------ */

/* The one mapping from library statuses to exit codes (documented in cli_common.h and in
 * `custos help decide`). */
int cli_exit_for_status(custos_status status) {
    switch (status) {
    case CUSTOS_OK: return 0;
    case CUSTOS_E_ARGUMENT: return CLI_EXIT_USAGE;
    case CUSTOS_E_NOT_FOUND:
    case CUSTOS_E_IO: return CLI_EXIT_NOINPUT;
    case CUSTOS_E_PARSE:
    case CUSTOS_E_INPUT: return CLI_EXIT_DATAERR;
    case CUSTOS_E_POLICY:
    case CUSTOS_E_NOMEM:
    case CUSTOS_E_INTERNAL: return CLI_EXIT_SOFTWARE;
    }
    return CLI_EXIT_SOFTWARE; /* a status this program does not know */
}

/* 0 permit, 1 deny, 2 not applicable; anything else fails closed as a deny. */
int cli_exit_for_effect(custos_effect effect) {
    switch (effect) {
    case CUSTOS_PERMIT: return CLI_EXIT_PERMIT;
    case CUSTOS_NOT_APPLICABLE: return CLI_EXIT_NOT_APPLICABLE;
    case CUSTOS_DENY: return CLI_EXIT_DENY;
    }
    return CLI_EXIT_DENY;
}

/* ---- messages -------------------------------------------------------------------------------- */

/* Writes "custos: FILE:LINE:COL: " with the empty parts left out, then the message. */
static void error_vprint(const char *file, unsigned line, unsigned column, const char *fmt,
                         va_list ap) {
    fprintf(stderr, "%s: ", cli_program);
    bool located = false;
    if (file && *file) {
        fputs(file, stderr);
        located = true;
    }
    if (line) {
        fprintf(stderr, located ? ":%u" : "%u", line);
        if (column) fprintf(stderr, ":%u", column);
        located = true;
    }
    if (located) fputs(": ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

/* Prints one located error to stderr. */
void cli_error_at(const char *file, unsigned line, unsigned column, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    error_vprint(file, line, column, fmt, ap);
    va_end(ap);
}

/* Prints a library error and returns its exit code. */
int cli_report(const custos_error *err, const char *fallback_file) {
    const char *file = err->file[0] ? err->file : fallback_file;
    const char *message = err->message[0] ? err->message : custos_status_name(err->status);
    cli_error_at(file, err->line, err->column, "%s", message);
    return cli_exit_for_status(err->status);
}

/* Prints a usage error with the usage line; returns 64. */
int cli_usage_error(const char *usage, const char *help_hint, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    error_vprint(NULL, 0, 0, fmt, ap);
    va_end(ap);
    if (usage) fprintf(stderr, "usage: %s\n", usage);
    if (help_hint) fprintf(stderr, "Try '%s' for more information.\n", help_hint);
    return CLI_EXIT_USAGE;
}

/* ---- option parsing -------------------------------------------------------------------------- */

void cli_parser_init(cli_parser *p, int argc, char **argv, int first) {
    p->argc = argc;
    p->argv = argv;
    p->index = first;
    p->operands_only = false;
    p->error[0] = '\0';
}

/* Finds a long option by the name between "--" and "=" (or the end). */
static const cli_option *find_long(const cli_option *options, const char *name, size_t len) {
    for (const cli_option *o = options; o->name; o++)
        if (strlen(o->name) == len && memcmp(o->name, name, len) == 0) return o;
    return NULL;
}

static const cli_option *find_short(const cli_option *options, char c) {
    for (const cli_option *o = options; o->name; o++)
        if (o->short_name && o->short_name == c) return o;
    return NULL;
}

/* The long option nearest to a misspelt one (did you mean), or NULL. */
#define CLI_SUGGEST_WORD 96
static const char *nearest_option(const cli_option *options, const char *word) {
    cli_suggest s;
    cli_suggest_init(&s, word);
    for (const cli_option *o = options; o->name; o++) cli_suggest_consider(&s, o->name);
    return cli_suggest_best(&s);
}

/* Reads the next argument; see cli_common.h. */
int cli_next_option(cli_parser *p, const cli_option *options, const char **value) {
    *value = NULL;
    p->error[0] = '\0';
    if (p->index >= p->argc) return CLI_OPT_END;
    const char *arg = p->argv[p->index++];
    if (!p->operands_only && strcmp(arg, "--") == 0) {
        p->operands_only = true;
        return cli_next_option(p, options, value);
    }
    if (p->operands_only || arg[0] != '-' || arg[1] == '\0') {
        *value = arg; /* an operand, "-" (stdin) included */
        return CLI_OPT_POSITIONAL;
    }
    const cli_option *o;
    const char *inline_value = NULL;
    if (arg[1] == '-') {
        const char *name = arg + 2, *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        o = find_long(options, name, len);
        if (!o) {
            char word[CLI_SUGGEST_WORD];
            snprintf(word, sizeof word, "%.*s", (int)len, name);
            char hint[CLI_SUGGEST_WORD + 32];
            cli_did_you_mean(hint, sizeof hint, "--", nearest_option(options, word));
            snprintf(p->error, sizeof p->error, "unknown option '--%.*s'%s", (int)len, name, hint);
            return CLI_OPT_ERROR;
        }
        if (eq) inline_value = eq + 1;
    } else {
        o = arg[2] == '\0' ? find_short(options, arg[1]) : NULL;
        if (!o) {
            char hint[CLI_SUGGEST_WORD + 32] = "";
            if (arg[2] != '\0') /* "-policies": a long option with one dash? */
                cli_did_you_mean(hint, sizeof hint, "--", nearest_option(options, arg + 1));
            snprintf(p->error, sizeof p->error, "unknown option '%.80s'%s", arg, hint);
            return CLI_OPT_ERROR;
        }
    }
    if (!o->takes_value) {
        if (inline_value) {
            snprintf(p->error, sizeof p->error, "option '--%s' takes no value", o->name);
            return CLI_OPT_ERROR;
        }
        return o->id;
    }
    if (inline_value) {
        *value = inline_value;
        return o->id;
    }
    /* The next argument is the value, unless it is missing or is itself a long option (then
     * the value was forgotten; "--name=--odd" still passes an odd value on purpose). */
    if (p->index >= p->argc || strncmp(p->argv[p->index], "--", 2) == 0) {
        snprintf(p->error, sizeof p->error, "option '--%s' needs a value", o->name);
        return CLI_OPT_ERROR;
    }
    *value = p->argv[p->index++];
    return o->id;
}

/* ---- files ----------------------------------------------------------------------------------- */

const char *cli_document_name(const char *path) {
    return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

/* ---- engines --------------------------------------------------------------------------------- */

static bool is_dir(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The running executable's absolute path into buf: /proc/self/exe where there is one, else
 * argv[0] resolved when it names a path.  False when neither works. */
static bool executable_path(char *buf, size_t size) {
    ssize_t n = readlink("/proc/self/exe", buf, size - 1);
    if (n > 0 && (size_t)n < size - 1) {
        buf[n] = '\0';
        return true;
    }
    if (cli_argv0 && strchr(cli_argv0, '/')) {
        char *resolved = realpath(cli_argv0, NULL);
        if (resolved && strlen(resolved) < size) {
            memcpy(buf, resolved, strlen(resolved) + 1);
            free(resolved);
            return true;
        }
        free(resolved);
    }
    return false;
}

/* Cuts the last path component (and its slash) off path; false when there is none. */
static bool strip_last_component(char *path) {
    char *slash = strrchr(path, '/');
    if (!slash) return false;
    if (slash == path)
        slash[1] = '\0';
    else
        *slash = '\0';
    return true;
}

/* The built-in regimes, as the library finds them (custos_builtin_policy_dir) but with the
 * program's own folder first: $CUSTOS_POLICY_DIR when set (and nothing else then), else
 * <prefix>/bin/custos -> <prefix>/share/custos/policies, else the library's
 * <libdir>/../share/custos/policies.  In an install both are the same folder. */
const char *cli_builtin_policies(char *buf, size_t size) {
    const char *env = getenv(CUSTOS_POLICY_DIR_ENV);
    if (env && env[0]) {
        const char *dir = custos_builtin_policy_dir(); /* NULL when it is not a folder */
        if (!dir || strlen(dir) >= size) return NULL;
        snprintf(buf, size, "%s", dir);
        return buf;
    }
    char exe[4096];
    static const char tail[] = "/share/custos/policies";
    /* <prefix>/bin/custos -> <prefix>/share/custos/policies */
    if (executable_path(exe, sizeof exe) && strip_last_component(exe) &&
        strip_last_component(exe)) {
        const char *prefix = strcmp(exe, "/") == 0 ? "" : exe;
        if (strlen(prefix) + sizeof tail <= size) {
            snprintf(buf, size, "%s%s", prefix, tail);
            if (is_dir(buf)) return buf;
        }
    }
    const char *installed = custos_builtin_policy_dir();
    if (installed && strlen(installed) < size) {
        snprintf(buf, size, "%s", installed);
        return buf;
    }
    return NULL;
}

int cli_open_engine(custos_config *cfg, bool has_policies, custos_engine **out) {
    *out = NULL;
    if (!has_policies) {
        char dir[4096];
        if (!cli_builtin_policies(dir, sizeof dir)) {
            const char *env = getenv(CUSTOS_POLICY_DIR_ENV);
            if (env && env[0])
                cli_error_at(NULL, 0, 0,
                             "no built-in regimes found: " CUSTOS_POLICY_DIR_ENV
                             "=%s is not a folder; name a policy folder with --policies",
                             env);
            else
                cli_error_at(NULL, 0, 0,
                             "no built-in regimes found (looked in <program folder>/../share/"
                             "custos/policies and <library folder>/../share/custos/policies); "
                             "name a policy folder with --policies or " CUSTOS_POLICY_DIR_ENV);
            return CLI_EXIT_NOINPUT;
        }
        custos_status st = custos_config_add_policies(cfg, dir);
        if (st != CUSTOS_OK) {
            cli_error_at(dir, 0, 0, "cannot use the built-in regimes: %s", custos_status_name(st));
            return cli_exit_for_status(st);
        }
    }
    custos_error err;
    memset(&err, 0, sizeof err);
    if (custos_engine_open(cfg, out, &err) != CUSTOS_OK) return cli_report(&err, NULL);
    return 0;
}

int cli_add_regime_mode(custos_config *cfg, const char *spec, const char *usage,
                        const char *help_hint) {
    static const struct {
        const char *name;
        custos_regime_mode mode;
    } modes[] = {{"adopted", CUSTOS_REGIME_ADOPTED},
                 {"in-force", CUSTOS_REGIME_IN_FORCE},
                 {"in_force", CUSTOS_REGIME_IN_FORCE},
                 {"skipped", CUSTOS_REGIME_SKIPPED}};
    const char *eq = strchr(spec, '=');
    if (!eq || eq == spec)
        return cli_usage_error(usage, help_hint,
                               "--regime-mode '%s': expected ID=adopted, ID=in-force or ID=skipped",
                               spec);
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
        if (strcmp(eq + 1, modes[i].name) != 0) continue;
        size_t len = (size_t)(eq - spec);
        char *id = malloc(len + 1);
        if (!id) {
            cli_error_at(NULL, 0, 0, "out of memory");
            return CLI_EXIT_SOFTWARE;
        }
        memcpy(id, spec, len);
        id[len] = '\0';
        custos_status st = custos_config_set_regime_mode(cfg, id, modes[i].mode);
        free(id);
        if (st == CUSTOS_OK) return 0;
        cli_error_at(NULL, 0, 0, "--regime-mode '%s': %s", spec, custos_status_name(st));
        return cli_exit_for_status(st);
    }
    static const char *const names[] = {"adopted", "in-force", "skipped"};
    const char *near = cli_suggest_among(eq + 1, names, 3);
    if (near)
        return cli_usage_error(usage, help_hint,
                               "--regime-mode '%s': unknown mode '%s' (did you mean '%s'?)", spec,
                               eq + 1, near);
    return cli_usage_error(usage, help_hint,
                           "--regime-mode '%s': unknown mode '%s' (expected adopted, in-force or "
                           "skipped)",
                           spec, eq + 1);
}

/* ---- text output ----------------------------------------------------------------------------- */

/* Whether code point c is East Asian wide or fullwidth (two terminal columns). */
static bool wide_code_point(uint32_t c) {
    return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) ||
           (c >= 0x3041 && c <= 0x33FF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
           (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
           (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x20000 && c <= 0x3FFFD);
}

size_t cli_display_width(const char *s) {
    size_t width = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        uint32_t c = *p;
        size_t n = 1;
        if (c >= 0xF0 && c <= 0xF4)
            n = 4, c &= 0x07;
        else if (c >= 0xE0)
            n = 3, c &= 0x0F;
        else if (c >= 0xC2 && c < 0xE0)
            n = 2, c &= 0x1F;
        for (size_t k = 1; k < n; k++) {
            if ((p[k] & 0xC0) != 0x80) { /* malformed: count the lead byte as one column */
                n = 1;
                c = 0;
                break;
            }
            c = (c << 6) | (p[k] & 0x3F);
        }
        width += wide_code_point(c) ? 2 : 1;
        p += n;
    }
    return width;
}

void cli_print_padded(FILE *out, const char *s, size_t width) {
    fputs(s, out);
    for (size_t w = cli_display_width(s); w < width; w++) fputc(' ', out);
}

bool cli_use_color(FILE *out) {
    const char *no_color = getenv("NO_COLOR");
    const char *term = getenv("TERM");
    if (no_color && *no_color) return false;
    if (term && strcmp(term, "dumb") == 0) return false;
    return isatty(fileno(out)) != 0;
}

/* ---- "did you mean" ------------------------------------------------------------------------ */

/* Edit distance over bytes, a swap of two neighbours counting as one edit (optimal string
 * alignment); words longer than CLI_SUGGEST_MAX count as far apart. */
#define CLI_SUGGEST_MAX 64

size_t cli_edit_distance(const char *a, const char *b) {
    size_t na = strlen(a), nb = strlen(b);
    if (na > CLI_SUGGEST_MAX || nb > CLI_SUGGEST_MAX) return SIZE_MAX;
    size_t rows[3][CLI_SUGGEST_MAX + 1]; /* rows i-2, i-1, i, used in turn */
    for (size_t j = 0; j <= nb; j++) rows[0][j] = j;
    for (size_t i = 1; i <= na; i++) {
        size_t *cur = rows[i % 3], *up = rows[(i - 1) % 3], *up2 = rows[(i + 1) % 3];
        cur[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t best = up[j - 1] + (a[i - 1] != b[j - 1]);
            if (up[j] + 1 < best) best = up[j] + 1;
            if (cur[j - 1] + 1 < best) best = cur[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                up2[j - 2] + 1 < best)
                best = up2[j - 2] + 1;
            cur[j] = best;
        }
    }
    return rows[na % 3][nb];
}

void cli_suggest_init(cli_suggest *s, const char *word) {
    s->word = word;
    s->best = NULL;
    s->distance = SIZE_MAX;
}

/* Close enough: a third of the word's length, at least 1 and at most 3 edits; a word of 3 or
 * more characters that begins the candidate counts as 1 edit (an abbreviation). */
void cli_suggest_consider(cli_suggest *s, const char *candidate) {
    if (!s->word || !candidate || !*candidate) return;
    size_t len = strlen(s->word);
    size_t limit = len / 3 < 1 ? 1 : len / 3 > 3 ? 3 : len / 3;
    size_t d = cli_edit_distance(s->word, candidate);
    if (len >= 3 && strncmp(candidate, s->word, len) == 0 && d > 1) d = 1;
    if (d <= limit && d < s->distance) {
        s->distance = d;
        s->best = candidate;
    }
}

const char *cli_suggest_best(const cli_suggest *s) { return s->best; }

const char *cli_suggest_among(const char *word, const char *const *names, size_t count) {
    cli_suggest s;
    cli_suggest_init(&s, word);
    for (size_t i = 0; i < count; i++) cli_suggest_consider(&s, names[i]);
    return cli_suggest_best(&s);
}

int cli_did_you_mean(char *buf, size_t size, const char *prefix, const char *near) {
    if (!near) {
        if (size) buf[0] = '\0';
        return 0;
    }
    return snprintf(buf, size, " (did you mean '%s%s'?)", prefix ? prefix : "", near);
}

const char *cli_nearest_field(const custos_policies *p, const char *path) {
    cli_suggest s;
    cli_suggest_init(&s, path);
    custos_field_info f;
    for (size_t i = 0; i < custos_policies_field_count(p); i++)
        if (custos_policies_field(p, i, &f) == CUSTOS_OK) cli_suggest_consider(&s, f.path);
    return cli_suggest_best(&s);
}

const char *cli_nearest_regime(const custos_policies *p, const char *id) {
    cli_suggest s;
    cli_suggest_init(&s, id);
    custos_regime_info r;
    for (size_t i = 0; i < custos_policies_regime_count(p); i++)
        if (custos_policies_regime(p, i, &r) == CUSTOS_OK) cli_suggest_consider(&s, r.id);
    return cli_suggest_best(&s);
}

const char *cli_nearest_article(const custos_policies *p, const char *regime, const char *number) {
    cli_suggest s;
    cli_suggest_init(&s, number);
    custos_regime_info r;
    custos_article_info a;
    for (size_t i = 0; i < custos_policies_regime_count(p); i++) {
        if (custos_policies_regime(p, i, &r) != CUSTOS_OK || strcmp(r.id, regime) != 0) continue;
        for (size_t j = 0; j < r.article_count; j++)
            if (custos_policies_article(p, i, j, &a) == CUSTOS_OK && a.encoded)
                cli_suggest_consider(&s, a.number);
    }
    return cli_suggest_best(&s);
}
