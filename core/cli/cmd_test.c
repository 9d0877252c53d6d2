/*
 * cmd_test.c — `custos test`: run policy unit-test suites (docs/testing.md) and report.
 *
 * The library finds, loads and runs suites (custos_suite.h); test_report.c prints text / TAP /
 * JSON / JUnit and test_coverage.c the coverage report.  This file parses the command line
 * and drives them.
 *
 * Exit: 0 every case passed, 1 a case failed (or coverage under --coverage-min), 3 a suite or
 * its policies did not load, 64 usage.
 */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700 /* realpath */
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_common.h"
#include "custos_suite.h"
#include "test_coverage.h"
#include "test_report.h"
#include "test_util.h"

enum { EXIT_PASSED = 0, EXIT_FAILED = 1, EXIT_NOT_LOADED = 3 };

static const char test_usage[] =
    "custos test [--format text|tap|json] [--junit FILE] [--filter PATTERN]\n"
    "                   [--coverage] [--coverage-min N] [--coverage-format text|json] [PATH]...";
static const char test_hint[] = "custos help test";

void cli_help_test(FILE *out) {
    fprintf(
        out,
        "usage: %s\n"
        "\n"
        "Runs policy unit-test suites: YAML files of cases, each a request and the decision\n"
        "it must get (docs/testing.md).  PATH is a suite file, or a folder searched\n"
        "recursively for suites: *.yaml and *.yml files directly inside a folder named\n"
        "`tests` (policies/<regime>/tests/).  Without PATH, the suites of the built-in\n"
        "regimes run.\n"
        "\n"
        "Options:\n"
        "  --format text|tap|json   text (default): a line per suite and each failure with\n"
        "                           its file:line and expected against actual; tap: TAP\n"
        "                           version 13; json: one JSON document\n"
        "  --junit FILE             also write JUnit XML to FILE (a testsuite per suite file,\n"
        "                           a testcase per case)\n"
        "  --filter PATTERN         run only the cases whose name, or whose suite's name or\n"
        "                           file, contains PATTERN (a plain substring, case-sensitive;\n"
        "                           a matrix case's name includes its [combination])\n"
        "  --coverage               report, per regime and article, the articles applied and\n"
        "                           cited and the lines of each module that ran\n"
        "  --coverage-min N         fail (exit 1) when total line coverage is below N%%\n"
        "                           (implies --coverage)\n"
        "  --coverage-format text|json\n"
        "                           the coverage report's form in text or TAP output (with\n"
        "                           --format json it is always inside the document);\n"
        "                           implies --coverage\n"
        "  -h, --help               show this help\n"
        "\n"
        "Exit status:\n"
        "  0   every case passed (also when no suite was found under an existing folder)\n"
        "  1   a case failed, or line coverage is below --coverage-min\n"
        "  3   a suite or its policies did not load: bad YAML, an unknown key, a missing\n"
        "      request_file, an expect naming an article or code the policies lack, a\n"
        "      PATH that does not exist\n"
        "  64  usage error (also: the --junit file cannot be created)\n"
        "  74  the output could not be written (stdout closed, a full disk, a broken pipe)\n"
        "\n"
        "Load errors go to stderr as 'custos: FILE:LINE:COL: message'; results to stdout.\n",
        test_usage);
}

typedef struct test_options {
    t_format format;
    const char *junit;
    const char *filter;
    bool coverage;
    bool coverage_json;
    double coverage_min;
    const char **paths;
    size_t path_count;
    bool help;
} test_options;

enum {
    OPT_FORMAT = 1,
    OPT_JUNIT,
    OPT_FILTER,
    OPT_COVERAGE,
    OPT_COVERAGE_MIN,
    OPT_COVERAGE_FORMAT,
    OPT_HELP
};

static const cli_option test_options_table[] = {{"format", 0, true, OPT_FORMAT},
                                                {"junit", 0, true, OPT_JUNIT},
                                                {"filter", 0, true, OPT_FILTER},
                                                {"coverage", 0, false, OPT_COVERAGE},
                                                {"coverage-min", 0, true, OPT_COVERAGE_MIN},
                                                {"coverage-format", 0, true, OPT_COVERAGE_FORMAT},
                                                {"help", 'h', false, OPT_HELP},
                                                {NULL, 0, false, 0}};

static int parse_arguments(int argc, char **argv, test_options *o) {
    cli_parser p;
    cli_parser_init(&p, argc, argv, 1);
    const char *value;
    int id;
    while ((id = cli_next_option(&p, test_options_table, &value)) != CLI_OPT_END) {
        switch (id) {
        case CLI_OPT_ERROR: return cli_usage_error(test_usage, test_hint, "%s", p.error);
        case CLI_OPT_POSITIONAL:
            if (!*value) return cli_usage_error(test_usage, test_hint, "an empty PATH");
            o->paths[o->path_count++] = value;
            break;
        case OPT_FORMAT:
            if (strcmp(value, "text") == 0)
                o->format = T_FORMAT_TEXT;
            else if (strcmp(value, "tap") == 0)
                o->format = T_FORMAT_TAP;
            else if (strcmp(value, "json") == 0)
                o->format = T_FORMAT_JSON;
            else
                return cli_usage_error(test_usage, test_hint,
                                       "--format '%s': expected text, tap or json", value);
            break;
        case OPT_JUNIT:
            if (!*value) return cli_usage_error(test_usage, test_hint, "--junit needs a file");
            o->junit = value;
            break;
        case OPT_FILTER: o->filter = value; break;
        case OPT_COVERAGE: o->coverage = true; break;
        case OPT_COVERAGE_MIN: {
            char *end;
            errno = 0;
            double n = strtod(value, &end);
            if (end != value && *end == '%') end++;
            if (!*value || *end || errno || !(n >= 0 && n <= 100))
                return cli_usage_error(test_usage, test_hint,
                                       "--coverage-min '%s': expected a percentage from 0 to 100",
                                       value);
            o->coverage_min = n;
            o->coverage = true;
            break;
        }
        case OPT_COVERAGE_FORMAT:
            if (strcmp(value, "text") == 0)
                o->coverage_json = false;
            else if (strcmp(value, "json") == 0)
                o->coverage_json = true;
            else
                return cli_usage_error(test_usage, test_hint,
                                       "--coverage-format '%s': expected text or json", value);
            o->coverage = true;
            break;
        case OPT_HELP: o->help = true; return 0;
        default: return cli_usage_error(test_usage, test_hint, "unhandled option");
        }
    }
    return 0;
}

/* ---- the run ----------------------------------------------------------------------------------- */

typedef struct session {
    test_options *o;
    t_reporter rep;
    custos_suite_runner *runner;
    custos_suite **runs; /* every selected suite, kept for JSON and JUnit */
    size_t run_count, run_cap;
    t_totals totals;
    char **seen; /* real paths of suites already run */
    size_t seen_count, seen_cap;
    FILE *junit; /* --junit, opened before the run */
    bool oom;
} session;

static void print_load_errors(const custos_suite_info *s, size_t from) {
    for (size_t i = from; i < s->error_count; i++)
        cli_error_at(s->errors[i].file, s->errors[i].line, s->errors[i].column, "%s",
                     s->errors[i].message);
}

/* True when the suite at path was run already (the same file reached twice). */
static bool already_seen(session *ss, const char *path) {
    char *real = realpath(path, NULL);
    if (!real) return false;
    for (size_t i = 0; i < ss->seen_count; i++)
        if (strcmp(ss->seen[i], real) == 0) {
            free(real);
            return true;
        }
    if (ss->seen_count == ss->seen_cap) {
        size_t cap = ss->seen_cap ? ss->seen_cap * 2 : 32;
        char **grown = realloc(ss->seen, cap * sizeof *grown);
        if (!grown) {
            free(real);
            return false;
        }
        ss->seen = grown;
        ss->seen_cap = cap;
    }
    ss->seen[ss->seen_count++] = real;
    return false;
}

static void run_suite(session *ss, const char *path) {
    if (already_seen(ss, path)) return;
    custos_suite *s = NULL;
    custos_suite_info info;
    if (custos_suite_load(path, &s) != CUSTOS_OK || custos_suite_get_info(s, &info) != CUSTOS_OK) {
        custos_suite_free(s);
        ss->oom = true;
        return;
    }
    size_t errors_before = info.error_count;
    print_load_errors(&info, 0);
    if (custos_suite_run(ss->runner, s) != CUSTOS_OK) ss->oom = true;
    if (custos_suite_get_info(s, &info) != CUSTOS_OK) {
        custos_suite_free(s);
        ss->oom = true;
        return;
    }
    print_load_errors(&info, errors_before);
    if (!info.selected) {
        custos_suite_free(s);
        return;
    }
    report_suite(&ss->rep, &info);
    ss->totals.suites++;
    if (info.error_count) ss->totals.broken++;
    ss->totals.passed += info.passed;
    ss->totals.failed += info.failed;
    ss->totals.skipped += info.skipped;
    if (ss->run_count == ss->run_cap) {
        size_t cap = ss->run_cap ? ss->run_cap * 2 : 32;
        custos_suite **grown = realloc(ss->runs, cap * sizeof *grown);
        if (!grown) {
            ss->oom = true;
            custos_suite_free(s);
            return;
        }
        ss->runs = grown;
        ss->run_cap = cap;
    }
    ss->runs[ss->run_count++] = s;
}

/* Runs the suites a PATH names; a missing PATH counts as a suite that did not load. */
static void run_path(session *ss, const char *path) {
    if (!path_is_dir(path) && !path_is_file(path)) {
        cli_error_at(path, 0, 0, "no such suite file or folder");
        ss->totals.broken++;
        return;
    }
    custos_suite_paths found = {NULL, 0};
    if (custos_suite_find(path, &found) != CUSTOS_OK) {
        ss->oom = true;
    } else if (!found.count) {
        char *shown = path_display(path);
        char note[4200];
        snprintf(note, sizeof note, "no suites found under %s (looked for tests/*.yaml)",
                 shown ? shown : path);
        report_note(&ss->rep, note);
        free(shown);
    }
    for (size_t i = 0; i < found.count && !ss->oom; i++) run_suite(ss, found.paths[i]);
    custos_suite_paths_free(&found);
}

static int finish(session *ss) {
    t_totals *t = &ss->totals;
    if (ss->o->filter && !t->passed && !t->failed && !t->skipped && !t->broken) {
        char note[512];
        snprintf(note, sizeof note, "no case matches --filter '%.400s'", ss->o->filter);
        report_note(&ss->rep, note);
    }
    /* Views of every suite for the closing reports (each lives until its suite is freed). */
    custos_suite_info *infos = calloc(ss->run_count ? ss->run_count : 1, sizeof *infos);
    if (!infos) ss->oom = true;
    for (size_t i = 0; infos && i < ss->run_count; i++)
        if (custos_suite_get_info(ss->runs[i], &infos[i]) != CUSTOS_OK) ss->oom = true;
    custos_coverage cov;
    if (ss->o->coverage) {
        if (custos_suite_runner_coverage(ss->runner, &cov) == CUSTOS_OK)
            ss->rep.cov = &cov;
        else
            ss->oom = true;
    }
    size_t reported = infos ? ss->run_count : 0;
    report_end(&ss->rep, infos, reported, t);
    int rc = t->broken ? EXIT_NOT_LOADED : t->failed ? EXIT_FAILED : EXIT_PASSED;
    if (ss->junit) {
        bool written = report_junit(ss->junit, infos, reported, t);
        ss->junit = NULL;
        if (!written) {
            cli_error_at(ss->o->junit, 0, 0, "cannot write the JUnit report: %s", strerror(errno));
            rc = CLI_EXIT_IOERR;
        }
    }
    if (ss->rep.cov && ss->o->coverage_min >= 0) {
        double got = cov_percent(ss->rep.cov);
        if (got < ss->o->coverage_min) {
            cli_error_at(NULL, 0, 0, "line coverage %.1f%% is below --coverage-min %g%%", got,
                         ss->o->coverage_min);
            if (rc == EXIT_PASSED) rc = EXIT_FAILED;
        }
    }
    if (ss->oom) {
        cli_error_at(NULL, 0, 0, "out of memory");
        rc = CLI_EXIT_SOFTWARE;
    }
    ss->rep.cov = NULL;
    free(infos);
    return rc;
}

/* Opens the --junit file for writing without blocking: a FIFO with no reader is refused at once
 * (ENXIO) rather than hanging the run; one with a reader is then written blocking as usual. */
static FILE *open_report(const char *path) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0666);
    if (fd < 0) return NULL;
    int flags = fcntl(fd, F_GETFL);
    FILE *f = flags != -1 && fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        int e = errno;
        close(fd);
        errno = e;
    }
    return f;
}

int cli_cmd_test(int argc, char **argv) {
    test_options o;
    memset(&o, 0, sizeof o);
    o.coverage_min = -1;
    o.paths = calloc((size_t)(argc > 0 ? argc : 1), sizeof *o.paths);
    if (!o.paths) {
        cli_error_at(NULL, 0, 0, "out of memory");
        return CLI_EXIT_SOFTWARE;
    }
    int rc = parse_arguments(argc, argv, &o);
    if (rc || o.help) {
        if (!rc) cli_help_test(stdout);
        free(o.paths);
        return rc;
    }
    char builtin[4096];
    char *builtin_real = NULL;
    if (!o.path_count) {
        if (!cli_builtin_policies(builtin, sizeof builtin)) {
            cli_error_at(NULL, 0, 0,
                         "no built-in regimes found (looked in <program folder>/../share/custos/"
                         "policies and the install folder); name a folder of suites");
            free(o.paths);
            return EXIT_NOT_LOADED;
        }
        builtin_real = realpath(builtin, NULL); /* the source tree's path, not the link's */
        o.paths[o.path_count++] = builtin_real ? builtin_real : builtin;
    }

    session ss;
    memset(&ss, 0, sizeof ss);
    ss.o = &o;
    if (o.junit && !(ss.junit = open_report(o.junit))) {
        int e = errno;
        free(builtin_real);
        free(o.paths);
        return cli_usage_error(test_usage, test_hint, "--junit '%s': cannot write it: %s", o.junit,
                               e == ENXIO ? "a named pipe (FIFO) with no reader" : strerror(e));
    }
    ss.rep = (t_reporter){o.format, stdout,          cli_use_color(stdout), 0,
                          NULL,     o.coverage_json, o.coverage_min};
    custos_suite_options run_options = {o.filter, o.coverage, o.format == T_FORMAT_JSON};
    if (custos_suite_runner_new(&run_options, &ss.runner) != CUSTOS_OK) ss.oom = true;
    double start = clock_seconds();
    report_begin(&ss.rep);
    for (size_t i = 0; i < o.path_count && !ss.oom; i++) run_path(&ss, o.paths[i]);
    ss.totals.seconds = clock_seconds() - start;
    rc = finish(&ss);

    for (size_t i = 0; i < ss.run_count; i++) custos_suite_free(ss.runs[i]);
    free(ss.runs);
    for (size_t i = 0; i < ss.seen_count; i++) free(ss.seen[i]);
    free(ss.seen);
    custos_suite_runner_free(ss.runner);
    free(builtin_real);
    free(o.paths);
    return rc;
}
