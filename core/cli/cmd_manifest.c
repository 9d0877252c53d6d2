/*
 * cmd_manifest.c — `custos manifest write DIR...`: writes DIR/.manifest.yaml, the list of every
 * file custos may load from a policy set or a data folder with its SHA-256, so that a load
 * refuses a set or a document that is missing a file, has an extra one, or holds one that
 * changed or was cut short (custos_manifest_write; docs/design.md, "Failure classes").
 */
#include <string.h>

#include "cli_common.h"

static const char manifest_usage[] = "custos manifest write DIR...";
static const char manifest_hint[] = "custos help manifest";

void cli_help_manifest(FILE *out) {
    fprintf(out,
            "usage: %s\n"
            "\n"
            "Writes DIR/.manifest.yaml for what DIR holds now.  For a policy set (a folder of\n"
            "regime folders, with schema.lua and lib/) it names the regimes and every Lua file\n"
            "the loader reads; for a folder of data documents, every *.yaml, *.yml and *.json.\n"
            "Each file is listed with its SHA-256.  Loading then refuses a regime or file that\n"
            "is missing, a file the manifest does not list, and one that changed or was cut\n"
            "short, and a reload keeps the old set serving.  Write it again after each\n"
            "deliberate change; `custos check` reports what no longer matches.\n"
            "\n"
            "Options:\n"
            "  -h, --help   show this help\n"
            "\n"
            "Exit status:\n"
            "  0   every manifest was written\n"
            "  64  usage error\n"
            "  66  DIR does not exist or a file in it cannot be read\n"
            "  70  an internal error\n",
            manifest_usage);
}

enum { OPT_HELP = 1 };

int cli_cmd_manifest(int argc, char **argv) {
    static const cli_option options[] = {{"help", 'h', false, OPT_HELP}, {NULL, 0, false, 0}};
    cli_parser p;
    cli_parser_init(&p, argc, argv, 1);
    const char *value, *action = NULL;
    const char *dirs[64];
    size_t dir_count = 0;
    for (int opt; (opt = cli_next_option(&p, options, &value)) != CLI_OPT_END;) {
        if (opt == CLI_OPT_ERROR)
            return cli_usage_error(manifest_usage, manifest_hint, "%s", p.error);
        if (opt == OPT_HELP) {
            cli_help_manifest(stdout);
            return 0;
        }
        if (!action)
            action = value;
        else if (dir_count < sizeof dirs / sizeof *dirs)
            dirs[dir_count++] = value;
        else
            return cli_usage_error(manifest_usage, manifest_hint, "at most %zu folders at once",
                                   sizeof dirs / sizeof *dirs);
    }
    if (!action) return cli_usage_error(manifest_usage, manifest_hint, "expected 'write'");
    if (strcmp(action, "write") != 0) {
        static const char *const actions[] = {"write"};
        char hint[128];
        cli_did_you_mean(hint, sizeof hint, "", cli_suggest_among(action, actions, 1));
        return cli_usage_error(manifest_usage, manifest_hint, "unknown action '%s'%s", action,
                               hint);
    }
    if (!dir_count) return cli_usage_error(manifest_usage, manifest_hint, "expected a folder");
    for (size_t i = 0; i < dir_count; i++) {
        custos_error err;
        size_t count = 0;
        if (custos_manifest_write(dirs[i], &count, &err) != CUSTOS_OK)
            return cli_report(&err, dirs[i]);
        if (printf("%s/.manifest.yaml: %zu files\n", dirs[i], count) < 0) return CLI_EXIT_SOFTWARE;
    }
    return fflush(stdout) == 0 ? 0 : CLI_EXIT_SOFTWARE;
}
