/*
 * repl_input.c — reading the REPL's lines.
 *
 * Piped (stdin not a terminal): getline, no prompt, no history.  On a terminal: GNU readline
 * through its callback interface, so that Ctrl-C can drop the line being typed (and a document
 * half pasted) and give a fresh prompt instead of ending the session; history is read from
 * and written back to a file.  A bracketed paste can hand over several lines at once: each is
 * run in turn.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h> /* before readline.h, which uses FILE */
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "cli_input.h"
#include "cli_streams.h"
#include "repl_session.h"

enum { HISTORY_MAX = 1000 };

/* Runs one line unless --strict already stopped the session; records a --strict failure. */
static int run_line(repl_session *s, char *line, int *strict_rc) {
    size_t n = strlen(line);
    if (n && line[n - 1] == '\r') line[n - 1] = '\0'; /* CRLF input */
    s->line_no++;
    int rc = repl_line(s, line);
    if (rc && s->strict) {
        *strict_rc = rc;
        s->quit = true;
    }
    if (ferror(stdout)) { /* the output is lost: nothing more to say to anyone */
        *strict_rc = cli_stdout_failed(0);
        s->quit = true;
    }
    return rc;
}

int repl_run_piped(repl_session *s) {
    /* each line within the request limit: stdin may be a file with no newline (/dev/zero) */
    cli_line_reader r;
    cli_line_reader_init(&r, stdin, CUSTOS_MAX_REQUEST_BYTES);
    const char *line;
    size_t len;
    cli_line_status ls = CLI_LINE_END;
    int strict_rc = 0;
    while (!s->quit && (ls = cli_line_read(&r, &line, &len)) != CLI_LINE_END &&
           ls != CLI_LINE_ERROR) {
        if (ls == CLI_LINE_TOO_LONG) {
            s->line_no++;
            int rc = repl_fail(s, REPL_FAIL_INPUT,
                               "the line is larger than the 1 MiB limit on a line (%zu bytes); "
                               "skipped",
                               (size_t)CUSTOS_MAX_REQUEST_BYTES);
            if (s->strict) {
                strict_rc = rc;
                s->quit = true;
            }
            continue;
        }
        run_line(s, (char *)line, &strict_rc);
    }
    bool read_error = !s->quit && ls == CLI_LINE_ERROR;
    cli_line_reader_free(&r);
    if (!s->quit) {
        int rc = repl_end_of_input(s);
        if (rc && s->strict) strict_rc = rc;
    }
    if (read_error) return repl_fail(s, REPL_FAIL_OTHER, "cannot read stdin: %s", strerror(errno));
    return strict_rc;
}

/* ---- the terminal ---------------------------------------------------------------------- */

static repl_session *active;
static int terminal_rc;
static bool reading;
static volatile sig_atomic_t interrupted;

static void on_sigint(int sig) {
    (void)sig;
    interrupted = 1;
}

static const char *prompt_for(const repl_session *s) {
    return repl_in_document(s) ? "   ...> " : "custos> ";
}

/* Adds a line to the history unless it is empty or repeats the one before. */
static void remember(const char *line) {
    if (!*line) return;
    HIST_ENTRY *last = history_length > 0 ? history_get(history_base + history_length - 1) : NULL;
    if (last && strcmp(last->line, line) == 0) return;
    add_history(line);
}

/* readline's line handler: NULL at Ctrl-D on an empty line. */
static void on_line(char *line) {
    repl_session *s = active;
    if (!line) {
        putchar('\n');
        int rc = repl_end_of_input(s);
        if (rc && s->strict) terminal_rc = rc;
        s->quit = true;
    } else {
        remember(line);
        /* a bracketed paste may bring several lines */
        for (char *p = line; p && !s->quit;) {
            char *nl = strchr(p, '\n');
            if (nl) *nl = '\0';
            run_line(s, p, &terminal_rc);
            p = nl ? nl + 1 : NULL;
        }
        free(line);
    }
    if (s->quit) {
        rl_callback_handler_remove(); /* no prompt after the last line */
        reading = false;
    } else {
        rl_set_prompt(prompt_for(s));
    }
}

/* Ctrl-C: drop the line being typed and any document half pasted; a fresh prompt. */
static void on_interrupt(repl_session *s) {
    interrupted = 0;
    repl_cancel_document(s);
    rl_free_line_state();
    rl_callback_sigcleanup();
    rl_replace_line("", 0);
    fputs("^C", rl_outstream);
    rl_crlf();
    rl_set_prompt(prompt_for(s));
    rl_on_new_line();
    rl_redisplay();
}

static void load_history(const char *file) {
    using_history();
    stifle_history(HISTORY_MAX);
    if (!file) return;
    int e = read_history(file);
    if (e != 0 && e != ENOENT)
        repl_note(active, "cannot read the history %s: %s", file, strerror(e));
}

static void save_history(const char *file) {
    if (!file) return;
    int e = write_history(file);
    if (e != 0) repl_note(active, "cannot write the history %s: %s", file, strerror(e));
}

int repl_run_terminal(repl_session *s, const char *history_file) {
    active = s;
    terminal_rc = 0;
    reading = true;
    const char *kind = history_file ? cli_input_special_kind(history_file) : NULL;
    if (kind) { /* readline would block on a FIFO, or read a device forever */
        repl_note(s, "the history %s is %s, not a file: history is not kept", history_file, kind);
        history_file = NULL;
    }
    load_history(history_file);
    repl_complete_install(s);
    repl_print_banner(s);
    fflush(stdout);

    /* Ctrl-C is ours: SIGINT sets a flag, and is let through only while waiting for input
     * (pselect), so one arriving while a line runs is not lost before the wait. */
    struct sigaction sa, old_sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigset_t block, old_mask, wait_mask;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigprocmask(SIG_BLOCK, &block, &old_mask);
    wait_mask = old_mask;
    sigdelset(&wait_mask, SIGINT);
    sigaction(SIGINT, &sa, &old_sa);
    rl_catch_signals = 0; /* readline keeps SIGWINCH only */

    rl_callback_handler_install(prompt_for(s), on_line);
    while (reading) {
        if (interrupted) {
            on_interrupt(s);
            continue;
        }
        fd_set fds;
        int fd = fileno(rl_instream ? rl_instream : stdin);
        FD_ZERO(&fds);
        FD_SET(fd, &fds);
        if (pselect(fd + 1, &fds, NULL, NULL, NULL, &wait_mask) < 0) {
            if (errno == EINTR) continue;
            repl_fail(s, REPL_FAIL_OTHER, "cannot read the terminal: %s", strerror(errno));
            break;
        }
        rl_callback_read_char();
    }
    if (reading) rl_callback_handler_remove();
    sigaction(SIGINT, &old_sa, NULL);
    sigprocmask(SIG_SETMASK, &old_mask, NULL);
    save_history(history_file);
    clear_history();
    repl_complete_done();
    active = NULL;
    return terminal_rc;
}

/* Creates a folder if it is missing; a failure shows when the history is written. */
static void make_dir(const char *path) { (void)mkdir(path, 0700); }

const char *repl_default_history(char *buf, size_t size) {
    const char *state = getenv("XDG_STATE_HOME");
    if (state && state[0] == '/') { /* the XDG spec ignores relative paths */
        int n = snprintf(buf, size, "%s/custos", state);
        if (n < 0 || (size_t)n + sizeof "/history" > size) return NULL;
        make_dir(state);
        make_dir(buf);
        strcat(buf, "/history");
        return buf;
    }
    const char *home = getenv("HOME");
    if (!home || !*home) return NULL;
    int n = snprintf(buf, size, "%s/.custos_history", home);
    return n < 0 || (size_t)n >= size ? NULL : buf;
}
