/*
 * repl_session.c — the REPL session's state and the helpers every REPL file uses: what the
 * engine is built from (policy folders, data documents, regime modes), the loaded policies
 * snapshot, and error printing and word splitting for commands.  It calls nothing of the
 * other repl_*.c files (the layering is in repl_session.h).
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli_common.h"
#include "cli_streams.h"
#include "repl_session.h"

/* ---- the session's configuration ------------------------------------------------------- */

bool repl_strings_push(repl_strings *list, const char *s) {
    if (list->count == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 4;
        char **grown = realloc(list->items, cap * sizeof *grown);
        if (!grown) return false;
        list->items = grown;
        list->cap = cap;
    }
    char *copy = malloc(strlen(s) + 1);
    if (!copy) return false;
    strcpy(copy, s);
    list->items[list->count++] = copy;
    return true;
}

static void strings_free(repl_strings *list) {
    for (size_t i = 0; i < list->count; i++) free(list->items[i]);
    free(list->items);
    memset(list, 0, sizeof *list);
}

bool repl_add_data_path(repl_session *s, const char *path) {
    return repl_strings_push(&s->data, path);
}

void repl_drop_last_data_path(repl_session *s) {
    if (s->data.count) free(s->data.items[--s->data.count]);
}

/* A fresh configuration from the session's lists (see repl_session.h). */
custos_status repl_build_config(const repl_session *s, custos_config **out, custos_error *err) {
    custos_config *cfg = NULL;
    custos_status st = custos_config_new(&cfg);
    for (size_t i = 0; st == CUSTOS_OK && i < s->policies.count; i++)
        st = custos_config_add_policies(cfg, s->policies.items[i]);
    for (size_t i = 0; st == CUSTOS_OK && i < s->data.count; i++)
        st = custos_config_add_data(cfg, s->data.items[i]);
    for (size_t i = 0; st == CUSTOS_OK && i < s->modes.count; i++) {
        const char *spec = s->modes.items[i], *eq = strchr(spec, '=');
        char id[256];
        snprintf(id, sizeof id, "%.*s", (int)(eq - spec), spec);
        custos_regime_mode mode = strcmp(eq + 1, "skipped") == 0   ? CUSTOS_REGIME_SKIPPED
                                  : strcmp(eq + 1, "adopted") == 0 ? CUSTOS_REGIME_ADOPTED
                                                                   : CUSTOS_REGIME_IN_FORCE;
        st = custos_config_set_regime_mode(cfg, id, mode);
    }
    if (st != CUSTOS_OK) {
        custos_config_free(cfg);
        if (err) {
            memset(err, 0, sizeof *err);
            err->status = st;
            snprintf(err->message, sizeof err->message, "cannot build the configuration: %s",
                     custos_status_name(st));
        }
        return st;
    }
    *out = cfg;
    return CUSTOS_OK;
}

void repl_refresh_policies(repl_session *s) {
    custos_policies *fresh = NULL;
    if (custos_engine_policies(s->eng, &fresh) != CUSTOS_OK) return; /* keep the old list */
    custos_policies_free(s->loaded);
    s->loaded = fresh;
}

void repl_session_free(repl_session *s) {
    free(s->doc);
    custos_decision_free(s->last);
    custos_request_free(s->req);
    custos_policies_free(s->loaded);
    custos_engine_close(s->eng);
    strings_free(&s->policies);
    strings_free(&s->data);
    strings_free(&s->modes);
}

/* ---- shared helpers -------------------------------------------------------------------- */

/* Prints "custos: [<stdin>:LINE: ]message" (the location only when input is piped). */
static void verror(const repl_session *s, unsigned line, unsigned column, const char *fmt,
                   va_list ap) {
    char msg[2048];
    vsnprintf(msg, sizeof msg, fmt, ap);
    if (s->input_name)
        cli_error_at(s->input_name, line, column, "%s", msg);
    else
        cli_error_at(NULL, 0, 0, "%s", msg);
}

int repl_fail(const repl_session *s, int code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    verror(s, s->line_no, 0, fmt, ap);
    va_end(ap);
    return code;
}

void repl_note(const repl_session *s, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (s && s->input_name)
        cli_error_at(s->input_name, s->line_no, 0, "note: %s", msg);
    else
        cli_error_at(NULL, 0, 0, "note: %s", msg);
}

/* The library refused what the user typed (argument: a malformed field path), or could not
 * read it: bad input.  Anything else is a command that failed. */
int repl_exit_for_status(custos_status st) {
    return st == CUSTOS_E_PARSE || st == CUSTOS_E_INPUT || st == CUSTOS_E_ARGUMENT
               ? REPL_FAIL_INPUT
               : REPL_FAIL_OTHER;
}

int repl_fail_lib(const repl_session *s, const custos_error *err, unsigned first_line) {
    const char *message = err->message[0] ? err->message : custos_status_name(err->status);
    if (first_line && err->line) { /* a line of a pasted document: where it is in the input */
        if (s->input_name)
            cli_error_at(s->input_name, first_line + err->line - 1, err->column, "%s", message);
        else
            cli_error_at("<document>", err->line, err->column, "%s", message);
    } else if (err->file[0] && (!s->input_name || strcmp(err->file, s->input_name) != 0)) {
        cli_error_at(err->file, err->line, err->column, "%s", message); /* a data file's error */
    } else if (s->input_name) {
        cli_error_at(s->input_name, s->line_no, 0, "%s", message);
    } else {
        cli_error_at(NULL, 0, 0, "%s", message);
    }
    return repl_exit_for_status(err->status);
}

char *repl_trim(char *p) {
    while (*p && isspace((unsigned char)*p)) p++;
    size_t n = strlen(p);
    while (n && isspace((unsigned char)p[n - 1])) p[--n] = '\0';
    return p;
}

char *repl_next_word(char **p) {
    char *w = *p;
    while (*w && isspace((unsigned char)*w)) w++;
    char *end = w;
    while (*end && !isspace((unsigned char)*end)) end++;
    if (*end) *end++ = '\0';
    *p = end;
    return w;
}

int repl_flush(const repl_session *s) {
    (void)s;
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) return cli_stdout_failed(errno);
    return 0;
}
