/*
 * cmd_check.c — `custos check`: lint a policy set without deciding anything.
 *
 * Errors (the exit code is decide's mapping): policies that do not load (a Lua error, an
 * undeclared message, two modules declaring one article, regime.lua and the modules
 * disagreeing), data documents that do not parse or do not fit the shapes the regimes declare,
 * suites that do not load or that cite articles the loaded regimes lack.
 * Warnings (exit 0, or 1 with --strict): encoded articles no suite case cites in
 * expect.because or expect.not_because, and articles regime.lua lists without a title.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli_common.h"
#include "custos_suite.h"
#include "test_util.h"

static const char check_usage[] =
    "custos check [--policies DIR]... [--data FILE]... [--strict] [--table|--fields] [PATH]...";
static const char check_hint[] = "custos help check";

void cli_help_check(FILE *out) {
    fprintf(out,
            "usage: %s\n"
            "\n"
            "Loads the policies and data documents as an engine would, and lints them: every\n"
            "load error is reported as 'custos: FILE:LINE:COL: message'; then each encoded\n"
            "article no suite case cites (expect.because or not_because, in the suites\n"
            "under the policy folders: tests/*.yaml) and each article regime.lua lists\n"
            "without a title is a warning.  A PATH that is a folder is taken as --policies, a file "
            "as --data.\n"
            "Without policies, the built-in regimes are checked.\n"
            "\n"
            "Options:\n"
            "  --policies DIR   a folder of regime folders, or one regime folder; repeatable\n"
            "  --data FILE      a data document, checked against the shapes the regimes\n"
            "                   declare; repeatable\n"
            "  --strict         exit 1 when there are warnings\n"
            "  --table          print every article of every regime as a Markdown table (encoded\n"
            "                   or not, module, suite cases citing it, rule or reason): the\n"
            "                   source of docs/regulations.md\n"
            "  --fields         print the request fields the policies declare as a Markdown page\n"
            "                   (path, type, description, where declared): the source of\n"
            "                   docs/request.md\n"
            "  -h, --help       show this help\n"
            "\n"
            "Exit status:\n"
            "  0   no error (warnings are printed, but do not fail without --strict)\n"
            "  1   warnings, with --strict\n"
            "  64  usage error\n"
            "  65  a data document or a suite does not parse or has a field of the wrong shape;\n"
            "      a suite cites an article the loaded regimes do not have\n"
            "  66  a policy folder or data document does not exist\n"
            "  70  the policies do not load (a broken module, a duplicate article, a regime.lua\n"
            "      that does not match its modules), or an internal error\n"
            "  74  the output could not be written (stdout closed, a full disk, a broken pipe)\n",
            check_usage);
}

enum { OPT_POLICIES = 1, OPT_DATA, OPT_STRICT, OPT_TABLE, OPT_FIELDS, OPT_HELP };

static const cli_option check_options_table[] = {{"policies", 0, true, OPT_POLICIES},
                                                 {"data", 0, true, OPT_DATA},
                                                 {"strict", 0, false, OPT_STRICT},
                                                 {"table", 0, false, OPT_TABLE},
                                                 {"fields", 0, false, OPT_FIELDS},
                                                 {"help", 'h', false, OPT_HELP},
                                                 {NULL, 0, false, 0}};

typedef struct check_state {
    custos_config *cfg;
    const char **policy_paths; /* where to look for suites */
    size_t policy_count;
    size_t data_count;
    bool strict, help, table, fields;
    size_t warnings, errors;
    size_t suites, cases;
    char **cited;        /* "regime/article" cited by some case */
    size_t *cited_cases; /* how many cases cite each */
    size_t cited_count, cited_cap;
} check_state;

static int add_path(check_state *cs, bool policies, const char *path) {
    const char *option = policies ? "--policies" : "--data";
    if (!*path)
        return cli_usage_error(check_usage, check_hint, "%s needs a non-empty path", option);
    custos_status st = policies ? custos_config_add_policies(cs->cfg, path)
                                : custos_config_add_data(cs->cfg, path);
    if (st != CUSTOS_OK) {
        cli_error_at(path, 0, 0, "%s: %s", option, custos_status_name(st));
        return cli_exit_for_status(st);
    }
    if (policies)
        cs->policy_paths[cs->policy_count++] = path;
    else
        cs->data_count++;
    return 0;
}

static int parse_arguments(int argc, char **argv, check_state *cs) {
    cli_parser p;
    cli_parser_init(&p, argc, argv, 1);
    const char *value;
    int id, rc;
    while ((id = cli_next_option(&p, check_options_table, &value)) != CLI_OPT_END) {
        switch (id) {
        case CLI_OPT_ERROR: return cli_usage_error(check_usage, check_hint, "%s", p.error);
        case CLI_OPT_POSITIONAL:
            if (!*value) return cli_usage_error(check_usage, check_hint, "an empty PATH");
            if (!path_is_dir(value) && !path_is_file(value)) {
                cli_error_at(value, 0, 0, "no such file or folder");
                return CLI_EXIT_NOINPUT;
            }
            if ((rc = add_path(cs, path_is_dir(value), value))) return rc;
            break;
        case OPT_POLICIES:
        case OPT_DATA:
            if ((rc = add_path(cs, id == OPT_POLICIES, value))) return rc;
            break;
        case OPT_STRICT: cs->strict = true; break;
        case OPT_TABLE: cs->table = true; break;
        case OPT_FIELDS: cs->fields = true; break;
        case OPT_HELP: cs->help = true; return 0;
        default: return cli_usage_error(check_usage, check_hint, "unhandled option");
        }
    }
    if (cs->table && cs->fields)
        return cli_usage_error(check_usage, check_hint, "--table and --fields: choose one");
    return 0;
}

static void warn(check_state *cs, const char *file, const char *fmt, ...) CLI_PRINTF(3, 4);
static void warn(check_state *cs, const char *file, const char *fmt, ...) {
    char *shown = file ? path_display(file) : NULL;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cli_error_at(shown ? shown : file, 0, 0, "warning: %s", msg);
    free(shown);
    cs->warnings++;
}

/* ---- titles -------------------------------------------------------------------------------- */

static void check_titles(check_state *cs, const custos_policies *pol) {
    for (size_t i = 0; i < custos_policies_regime_count(pol); i++) {
        custos_regime_info r;
        if (custos_policies_regime(pol, i, &r) != CUSTOS_OK) continue;
        char *regime_file = path_join(r.folder ? r.folder : ".", "regime.lua");
        for (size_t j = 0; j < r.article_count; j++) {
            custos_article_info a;
            if (custos_policies_article(pol, i, j, &a) != CUSTOS_OK) continue;
            bool zh = a.title_zh && *a.title_zh, en = a.title_en && *a.title_en;
            if (zh && en) continue;
            char label[256];
            snprintf(label, sizeof label, "%s art. %s", r.id, a.number);
            warn(cs, regime_file, "%s is listed without a title%s", label,
                 !zh && !en ? ""
                 : !zh      ? " in Chinese (title.zh)"
                            : " in English (title.en)");
        }
        free(regime_file);
    }
}

/* ---- citations by suite cases ---------------------------------------------------------------- */

static bool cite(check_state *cs, const char *regime, const char *article) {
    size_t n = strlen(regime) + strlen(article) + 2;
    char *key = malloc(n);
    if (!key) return false;
    snprintf(key, n, "%s/%s", regime, article);
    for (size_t i = 0; i < cs->cited_count; i++)
        if (strcmp(cs->cited[i], key) == 0) {
            free(key);
            cs->cited_cases[i]++;
            return true;
        }
    if (cs->cited_count == cs->cited_cap) {
        size_t cap = cs->cited_cap ? cs->cited_cap * 2 : 64;
        char **grown = realloc(cs->cited, cap * sizeof *grown);
        if (grown) cs->cited = grown;
        size_t *counts = grown ? realloc(cs->cited_cases, cap * sizeof *counts) : NULL;
        if (!counts) {
            free(key);
            return false;
        }
        cs->cited_cases = counts;
        cs->cited_cap = cap;
    }
    cs->cited_cases[cs->cited_count] = 1;
    cs->cited[cs->cited_count++] = key;
    return true;
}

/* How many suite cases cite regime/article (because or not_because). */
static size_t cited_cases(const check_state *cs, const char *regime, const char *article) {
    size_t nr = strlen(regime);
    for (size_t i = 0; i < cs->cited_count; i++)
        if (strncmp(cs->cited[i], regime, nr) == 0 && cs->cited[i][nr] == '/' &&
            strcmp(cs->cited[i] + nr + 1, article) == 0)
            return cs->cited_cases[i];
    return 0;
}

static bool is_cited(const check_state *cs, const char *regime, const char *article) {
    return cited_cases(cs, regime, article) > 0;
}

/* Prints a table cell: pipes and line breaks would break the row. */
static void cell(const char *text) {
    for (const char *p = text ? text : ""; *p; p++) {
        if (*p == '|')
            fputs("\\|", stdout);
        else if (*p == '\n')
            fputc(' ', stdout);
        else
            fputc(*p, stdout);
    }
}

/* The module's path from its regime folder on ("gz-2012/art11.lua"), so the table does not
 * depend on where the policies were read from. */
static const char *module_name(const char *module, const char *regime) {
    const char *hit = module ? strstr(module, regime) : NULL;
    return hit ? hit : module;
}

/* Every article of every regime, one row each: docs/regulations.md.  The rule of an encoded
 * article is its title; a listed one says why it is not encoded. */
static void print_table(const check_state *cs, const custos_policies *pol) {
    printf("| regime | art. | encoded | module | suite cases | rule (encoded), or why it is not "
           "encoded |\n"
           "|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < custos_policies_regime_count(pol); i++) {
        custos_regime_info r;
        if (custos_policies_regime(pol, i, &r) != CUSTOS_OK) continue;
        for (size_t j = 0; j < r.article_count; j++) {
            custos_article_info a;
            if (custos_policies_article(pol, i, j, &a) != CUSTOS_OK) continue;
            printf("| %s | %s | %s | ", r.id, a.number, a.encoded ? "yes" : "no");
            if (a.encoded) {
                cell(module_name(a.module, r.id));
                printf(" | %zu | ", cited_cases(cs, r.id, a.number));
                cell(a.title_en);
                printf(" (");
                cell(a.title_zh);
                printf(")");
            } else {
                printf(" |  | ");
                cell(a.title_en);
                printf(": ");
                cell(a.reason);
            }
            printf(" |\n");
        }
    }
}

/* ---- the request fields ------------------------------------------------------------------- */

static const char *const field_type_names[] = {"table",  "string", "enum", "boolean", "integer",
                                               "number", "time",   "date", "list"};

/* Every request field the policies declare, one row each: docs/request.md.  The type is the
 * field's kind, with its named type when the schema gives one, and an enum's values. */
static void print_fields(const custos_policies *pol) {
    printf(
        "# The request\n"
        "\n"
        "The fields of a request (`custos decide`, `custos_request_set_*`, a suite case's\n"
        "`request:`) that the loaded policies declare, with their types: a declared field is\n"
        "type-checked when the request is decided; any other field is kept and visible to\n"
        "policies too.\n"
        "Generated by `custos check --fields`; `make test` fails when this page and the\n"
        "policies disagree (the command to regenerate it is in `tests/cli/test_request_doc.sh`).\n"
        "\n"
        "| field | type | description | declared in |\n"
        "|---|---|---|---|\n");
    size_t kinds = sizeof field_type_names / sizeof *field_type_names;
    for (size_t i = 0; i < custos_policies_field_count(pol); i++) {
        custos_field_info f;
        if (custos_policies_field(pol, i, &f) != CUSTOS_OK) continue;
        const char *kind = (size_t)f.type < kinds ? field_type_names[f.type] : "?";
        printf("| `%s` | ", f.path);
        cell(kind);
        if (f.type_name && *f.type_name && strcmp(f.type_name, kind) != 0) {
            printf(" (");
            cell(f.type_name);
            printf(")");
        }
        for (size_t v = 0; f.type == CUSTOS_FIELD_ENUM && v < f.value_count; v++)
            printf("%s`%s`", v ? ", " : ": ", f.values[v]);
        printf(" | ");
        cell(f.doc);
        printf(" | ");
        if (f.declared_in && *f.declared_in) {
            char *shown = path_display(f.declared_in);
            cell(shown ? shown : f.declared_in);
            free(shown);
            if (f.line) printf(":%u", f.line);
        } else {
            printf("the engine");
        }
        printf(" |\n");
    }
}

/* The library's findings (a data field no loaded regime reads, ...): warnings with their
 * position. */
static void check_diagnostics(check_state *cs, const custos_policies *pol) {
    for (size_t i = 0; i < custos_policies_diagnostic_count(pol); i++) {
        custos_diagnostic d;
        if (custos_policies_diagnostic(pol, i, &d) != CUSTOS_OK) continue;
        cli_error_at(d.file, d.line, d.column, "warning: %s", d.message);
        cs->warnings++;
    }
}

static bool regime_loaded(const custos_policies *pol, const char *id) {
    for (size_t i = 0; i < custos_policies_regime_count(pol); i++) {
        custos_regime_info r;
        if (custos_policies_regime(pol, i, &r) == CUSTOS_OK && strcmp(r.id, id) == 0) return true;
    }
    return false;
}

/* Loads one suite and records what its cases cite; load errors are errors. */
static void scan_suite(check_state *cs, const custos_policies *pol, const char *path) {
    custos_suite *suite = NULL;
    custos_suite_info info;
    if (custos_suite_load(path, &suite) != CUSTOS_OK ||
        custos_suite_get_info(suite, &info) != CUSTOS_OK) {
        custos_suite_free(suite);
        cli_error_at(NULL, 0, 0, "out of memory");
        cs->errors++;
        return;
    }
    const custos_suite_info *s = &info;
    cs->suites++;
    for (size_t i = 0; i < s->error_count; i++)
        cli_error_at(s->errors[i].file, s->errors[i].line, s->errors[i].column, "%s",
                     s->errors[i].message);
    cs->errors += s->error_count;
    for (size_t i = 0; i < s->case_count; i++) {
        const custos_suite_case *x = &s->cases[i];
        cs->cases++;
        for (size_t k = 0; k < x->because_count + x->not_because_count; k++) {
            const custos_suite_ref *ref =
                k < x->because_count ? &x->because[k] : &x->not_because[k - x->because_count];
            const char *regime = ref->regime ? ref->regime : s->regime;
            if (!regime || !regime_loaded(pol, regime)) continue; /* checked by `custos test` */
            custos_article_info a;
            if (custos_policies_find(pol, regime, ref->article, &a) != CUSTOS_OK || !a.encoded) {
                cli_error_at(ref->file, ref->line, ref->column,
                             "%s: %s art. %s is not an encoded article of the loaded regimes",
                             k < x->because_count ? "expect.because" : "expect.not_because", regime,
                             ref->article);
                cs->errors++;
                continue;
            }
            if (!cite(cs, regime, ref->article)) cs->errors++;
        }
    }
    custos_suite_free(suite);
}

static void check_citations(check_state *cs, const custos_policies *pol) {
    for (size_t p = 0; p < cs->policy_count; p++) {
        custos_suite_paths found = {NULL, 0};
        if (custos_suite_find(cs->policy_paths[p], &found) != CUSTOS_OK) cs->errors++;
        for (size_t i = 0; i < found.count; i++) scan_suite(cs, pol, found.paths[i]);
        custos_suite_paths_free(&found);
    }
    for (size_t i = 0; i < custos_policies_regime_count(pol); i++) {
        custos_regime_info r;
        if (custos_policies_regime(pol, i, &r) != CUSTOS_OK) continue;
        for (size_t j = 0; j < r.article_count; j++) {
            custos_article_info a;
            if (custos_policies_article(pol, i, j, &a) != CUSTOS_OK || !a.encoded) continue;
            if (is_cited(cs, r.id, a.number)) continue;
            char label[256];
            snprintf(label, sizeof label, "%s art. %s", r.id, a.number);
            warn(cs, a.module,
                 "%s is encoded but no suite case cites it (expect.because / not_because)", label);
        }
    }
}

/* ---- the command --------------------------------------------------------------------------- */

static void summary(const check_state *cs, const custos_policies *pol) {
    size_t listed = 0, encoded = 0, regimes = custos_policies_regime_count(pol);
    for (size_t i = 0; i < regimes; i++) {
        custos_regime_info r;
        if (custos_policies_regime(pol, i, &r) != CUSTOS_OK) continue;
        listed += r.article_count;
        for (size_t j = 0; j < r.article_count; j++) {
            custos_article_info a;
            if (custos_policies_article(pol, i, j, &a) == CUSTOS_OK && a.encoded) encoded++;
        }
    }
    printf("revision %s\n", custos_policies_revision(pol));
    printf("checked %zu regime%s (%zu articles, %zu encoded), %zu data document%s, %zu suite%s "
           "(%zu cases): %zu error%s, %zu warning%s\n",
           regimes, regimes == 1 ? "" : "s", listed, encoded, cs->data_count,
           cs->data_count == 1 ? "" : "s", cs->suites, cs->suites == 1 ? "" : "s", cs->cases,
           cs->errors, cs->errors == 1 ? "" : "s", cs->warnings, cs->warnings == 1 ? "" : "s");
}

int cli_cmd_check(int argc, char **argv) {
    check_state cs;
    memset(&cs, 0, sizeof cs);
    char builtin[4096];
    cs.policy_paths = calloc((size_t)(argc > 0 ? argc : 1) + 1, sizeof *cs.policy_paths);
    if (!cs.policy_paths || custos_config_new(&cs.cfg) != CUSTOS_OK) {
        free(cs.policy_paths);
        cli_error_at(NULL, 0, 0, "out of memory");
        return CLI_EXIT_SOFTWARE;
    }
    int rc = parse_arguments(argc, argv, &cs);
    custos_engine *eng = NULL;
    custos_policies *pol = NULL;
    if (rc == 0 && cs.help) {
        cli_help_check(stdout);
    } else if (rc == 0) {
        if (!cs.policy_count && cli_builtin_policies(builtin, sizeof builtin))
            cs.policy_paths[cs.policy_count++] = builtin;
        /* cli_open_engine adds the built-in regimes itself when none were named. */
        rc = cli_open_engine(cs.cfg, cs.policy_count > 0 && cs.policy_paths[0] != builtin, &eng);
        if (rc == 0 && custos_engine_policies(eng, &pol) != CUSTOS_OK) {
            cli_error_at(NULL, 0, 0, "out of memory");
            rc = CLI_EXIT_SOFTWARE;
        }
        if (rc == 0) {
            check_titles(&cs, pol);
            check_citations(&cs, pol);
            check_diagnostics(&cs, pol);
            if (cs.table)
                print_table(&cs, pol);
            else if (cs.fields)
                print_fields(pol);
            else
                summary(&cs, pol);
            rc = cs.errors ? CLI_EXIT_DATAERR : cs.warnings && cs.strict ? 1 : 0;
        }
    }
    custos_policies_free(pol);
    custos_engine_close(eng);
    custos_config_free(cs.cfg);
    for (size_t i = 0; i < cs.cited_count; i++) free(cs.cited[i]);
    free(cs.cited);
    free(cs.cited_cases);
    free(cs.policy_paths);
    return rc;
}
