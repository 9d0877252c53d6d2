/*
 * main.c — the `custos` program: `custos <command> [args]`.
 *
 * Like lua.c, the program only parses arguments, sets up and hands the work to the library.
 * Each command is its own file (cmd_<name>.c) exporting cli_cmd_<name> and cli_help_<name>;
 * adding one is a line in the table below and its declaration in cli_common.h.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli_common.h"
#include "cli_streams.h"

static const cli_command commands[] = {
    {"decide", "decide one request and print the decision", cli_cmd_decide, cli_help_decide},
    {"repl", "build requests, decide and explain them interactively", cli_cmd_repl, cli_help_repl},
    {"test", "run policy unit-test suites (docs/testing.md)", cli_cmd_test, cli_help_test},
    {"check", "lint policies, data documents and suite coverage", cli_cmd_check, cli_help_check},
    {"manifest", "write the list of files (and digests) a policy set or data folder must hold",
     cli_cmd_manifest, cli_help_manifest},
    {"audit", "verify and read decision logs (decide --log)", cli_cmd_audit, cli_help_audit},
};
static const size_t command_count = sizeof commands / sizeof commands[0];

static const char main_usage[] = "custos <command> [options] [args]";

static const cli_command *find_command(const char *name) {
    for (size_t i = 0; i < command_count; i++)
        if (strcmp(commands[i].name, name) == 0) return &commands[i];
    return NULL;
}

/* " (did you mean 'NAME'?)" for a misspelt command, or "". */
static const char *command_hint(const char *name, char *buf, size_t size) {
    cli_suggest s;
    cli_suggest_init(&s, name);
    for (size_t i = 0; i < command_count; i++) cli_suggest_consider(&s, commands[i].name);
    cli_suggest_consider(&s, "help");
    cli_did_you_mean(buf, size, "", cli_suggest_best(&s));
    return buf;
}

static void print_help(FILE *out) {
    fprintf(out,
            "usage: %s\n"
            "       custos --version | --help | help COMMAND\n"
            "\n"
            "custos decides, before a program touches entrusted data, whether the act is\n"
            "permitted by the loaded regulations (Lua policy modules, one per article).\n"
            "\n"
            "Commands:\n",
            main_usage);
    for (size_t i = 0; i < command_count; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fputs("\nRun 'custos help COMMAND' for a command's options and exit codes.\n", out);
}

static void print_version(void) {
    /* Name the linked library too when it is not the one this program was built against. */
    if (strcmp(custos_version(), CUSTOS_VERSION_STRING) == 0)
        printf("custos %s\n", CUSTOS_VERSION_STRING);
    else
        printf("custos %s (libcustos %s)\n", CUSTOS_VERSION_STRING, custos_version());
}

/* `custos --complete WHAT [--policies DIR]...`: words for the shell completions (completions/),
 * one a line, nothing on stderr; not in --help.  WHAT is `commands`, `regimes` (the loaded
 * regimes' ids: the built-in ones, or those under each --policies) or `articles`
 * (REGIME/NUMBER of every encoded article).  Exit 0, or 64 for a WHAT it does not know. */
static int run_complete(int argc, char **argv) {
    const char *what = argc > 1 ? argv[1] : "";
    if (strcmp(what, "commands") == 0) {
        for (size_t i = 0; i < command_count; i++) puts(commands[i].name);
        puts("help");
        return 0;
    }
    bool regimes = strcmp(what, "regimes") == 0;
    if (!regimes && strcmp(what, "articles") != 0) return CLI_EXIT_USAGE;
    custos_config *cfg = NULL;
    if (custos_config_new(&cfg) != CUSTOS_OK) return CLI_EXIT_SOFTWARE;
    bool has_policies = false;
    for (int i = 2; i + 1 < argc; i++)
        if (strcmp(argv[i], "--policies") == 0 &&
            custos_config_add_policies(cfg, argv[++i]) == CUSTOS_OK)
            has_policies = true;
    FILE *quiet = freopen("/dev/null", "w", stderr); /* a completion never prints errors */
    (void)quiet;
    custos_engine *eng = NULL;
    custos_policies *pol = NULL;
    int rc = cli_open_engine(cfg, has_policies, &eng);
    custos_config_free(cfg);
    if (rc == 0 && custos_engine_policies(eng, &pol) == CUSTOS_OK) {
        custos_regime_info r;
        custos_article_info a;
        for (size_t i = 0; i < custos_policies_regime_count(pol); i++) {
            if (custos_policies_regime(pol, i, &r) != CUSTOS_OK) continue;
            if (regimes) puts(r.id);
            for (size_t j = 0; !regimes && j < r.article_count; j++)
                if (custos_policies_article(pol, i, j, &a) == CUSTOS_OK && a.encoded)
                    printf("%s/%s\n", a.regime, a.number);
        }
    }
    custos_policies_free(pol);
    custos_engine_close(eng);
    return 0;
}

/* `custos help [COMMAND]`. */
static int run_help(int argc, char **argv) {
    if (argc < 2) {
        print_help(stdout);
        return 0;
    }
    if (argc > 2)
        return cli_usage_error("custos help [COMMAND]", NULL, "help takes one command name");
    const cli_command *cmd = find_command(argv[1]);
    char hint[128];
    if (!cmd)
        return cli_usage_error("custos help [COMMAND]", "custos --help", "unknown command '%s'%s",
                               argv[1], command_hint(argv[1], hint, sizeof hint));
    cmd->help(stdout);
    return 0;
}

static int run(int argc, char **argv) {
    if (argc < 2) return cli_usage_error(main_usage, "custos --help", "expected a command");
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        print_help(stdout);
        return 0;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
        print_version();
        return 0;
    }
    if (strcmp(name, "help") == 0) return run_help(argc - 1, argv + 1);
    if (strcmp(name, "--complete") == 0) return run_complete(argc - 1, argv + 1);
    const cli_command *cmd = find_command(name);
    if (!cmd) {
        char hint[128];
        if (name[0] == '-') {
            static const char *const options[] = {"--help", "--version"};
            cli_did_you_mean(hint, sizeof hint, "", cli_suggest_among(name, options, 2));
            return cli_usage_error(main_usage, "custos --help", "unknown option '%s'%s", name,
                                   hint);
        }
        return cli_usage_error(main_usage, "custos --help", "unknown command '%s'%s", name,
                               command_hint(name, hint, sizeof hint));
    }
    return cmd->run(argc - 1, argv + 1);
}

int main(int argc, char **argv) {
    cli_guard_std_streams();
    cli_set_argv0(argc > 0 ? argv[0] : NULL);
    /* Every command's output is checked here, once: lost output is never exit 0. */
    return cli_finish_stdout(run(argc, argv));
}
