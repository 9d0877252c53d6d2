/*
 * repl_complete.c — tab completion for the REPL under GNU readline:
 *   the first word           :commands
 *   :set / :unset FIELD      request fields (the policy set's schema; :set offers the settable ones)
 *   :set FIELD VALUE         an enum's values (classification levels), true/false
 *   :whynot / :cite ARTICLE  "regime/number" of every loaded article (:cite: regime ids too)
 *   :data FILE               file names (readline's own completion)
 *   :lang, :json, :show, :as-of, :help   their words
 */
#include <stdio.h> /* before readline.h, which uses FILE */
#include <stdlib.h>
#include <string.h>

#include <readline/readline.h>

#include "repl_session.h"

static repl_session *session;

/* The candidates of one completion, matched against the word by `generate`. */
static struct {
    char **items;
    size_t count, cap, next;
} cands;

static void cands_clear(void) {
    for (size_t i = 0; i < cands.count; i++) free(cands.items[i]);
    cands.count = cands.next = 0;
}

static void cand_add(const char *prefix, const char *s) {
    if (cands.count == cands.cap) {
        size_t cap = cands.cap ? cands.cap * 2 : 64;
        char **grown = realloc(cands.items, cap * sizeof *grown);
        if (!grown) return;
        cands.items = grown;
        cands.cap = cap;
    }
    size_t n = strlen(prefix), m = strlen(s);
    char *c = malloc(n + m + 1);
    if (!c) return;
    memcpy(c, prefix, n);
    memcpy(c + n, s, m + 1);
    cands.items[cands.count++] = c;
}

/* readline's generator: each candidate that starts with text, one per call. */
static char *generate(const char *text, int state) {
    size_t len = strlen(text);
    if (!state) cands.next = 0;
    while (cands.next < cands.count) {
        const char *c = cands.items[cands.next++];
        if (strncmp(c, text, len) == 0) {
            char *match = malloc(strlen(c) + 1); /* readline frees it */
            if (match) strcpy(match, c);
            return match;
        }
    }
    return NULL;
}

static void add_fields(bool settable_only) {
    const custos_policies *p = session->loaded;
    custos_field_info f;
    for (size_t i = 0; i < custos_policies_field_count(p); i++)
        if (custos_policies_field(p, i, &f) == CUSTOS_OK &&
            (!settable_only || f.type != CUSTOS_FIELD_TABLE))
            cand_add("", f.path);
}

/* "gz-2012/11" for every loaded article; regime ids too when asked; with a word starting
 * with a digit, the bare numbers as well (they are accepted when one regime has them). */
static void add_articles(bool regimes_too, const char *text) {
    const custos_policies *p = session->loaded;
    size_t n = p ? custos_policies_regime_count(p) : 0;
    bool numbers = text[0] >= '0' && text[0] <= '9';
    for (size_t i = 0; i < n; i++) {
        custos_regime_info r;
        if (custos_policies_regime(p, i, &r) != CUSTOS_OK) continue;
        if (regimes_too) cand_add("", r.id);
        for (size_t j = 0; j < r.article_count; j++) {
            custos_article_info a;
            if (custos_policies_article(p, i, j, &a) != CUSTOS_OK) continue;
            char ref[256];
            snprintf(ref, sizeof ref, "%s/", r.id);
            cand_add(ref, a.number);
            if (numbers) cand_add("", a.number);
        }
    }
}

/* The candidates for the word at `start`, from the words before it. */
static void gather(const char *text, int start) {
    char before[1024];
    size_t n = (size_t)start < sizeof before ? (size_t)start : sizeof before - 1;
    memcpy(before, rl_line_buffer, n);
    before[n] = '\0';
    char *rest = before, *words[3];
    int count = 0;
    while (count < 3) {
        char *w = repl_next_word(&rest);
        if (!*w) break;
        words[count++] = w;
    }
    if (count == 0) {
        for (size_t i = 0; i < repl_command_count; i++) cand_add(":", repl_commands[i].name);
        return;
    }
    if (words[0][0] != ':') return;
    const repl_command *c = repl_find_command(words[0] + 1);
    if (!c) return;
    if (count == 2 && strcmp(c->name, "set") == 0) { /* the value of :set FIELD */
        custos_field_info f;
        bool known = session->loaded &&
                     custos_policies_find_field(session->loaded, words[1], &f) == CUSTOS_OK;
        if (known && f.type == CUSTOS_FIELD_ENUM)
            for (size_t v = 0; v < f.value_count; v++) cand_add("", f.values[v]);
        if (known && f.type == CUSTOS_FIELD_BOOLEAN) {
            cand_add("", "true");
            cand_add("", "false");
        }
        return;
    }
    if (count != 1) return;
    switch (c->arg) {
    case REPL_ARG_NONE: break;
    case REPL_ARG_FIELD: add_fields(strcmp(c->name, "set") == 0); break;
    case REPL_ARG_ARTICLE: add_articles(strcmp(c->name, "cite") == 0, text); break;
    case REPL_ARG_FILE: break; /* readline's file names: see complete() */
    case REPL_ARG_CHOICE:
        for (const char *const *v = c->choices; v && *v; v++) cand_add("", *v);
        break;
    case REPL_ARG_HELP:
        cand_add("", "fields");
        for (size_t i = 0; i < repl_command_count; i++) cand_add("", repl_commands[i].name);
        break;
    }
}

/* Whether the word at `start` is the file name of :data. */
static bool wants_file(int start) {
    char before[1024];
    size_t n = (size_t)start < sizeof before ? (size_t)start : sizeof before - 1;
    memcpy(before, rl_line_buffer, n);
    before[n] = '\0';
    char *rest = before;
    char *first = repl_next_word(&rest), *second = repl_next_word(&rest);
    const repl_command *c = first[0] == ':' ? repl_find_command(first + 1) : NULL;
    return c && c->arg == REPL_ARG_FILE && !*second;
}

static char **complete(const char *text, int start, int end) {
    (void)end;
    if (wants_file(start)) {
        rl_attempted_completion_over = 0; /* readline completes file names */
        return NULL;
    }
    rl_attempted_completion_over = 1; /* nothing else: no file names after other commands */
    cands_clear();
    gather(text, start);
    return cands.count ? rl_completion_matches(text, generate) : NULL;
}

void repl_complete_install(repl_session *s) {
    session = s;
    rl_readline_name = "custos"; /* for $if custos in ~/.inputrc */
    rl_attempted_completion_function = complete;
    rl_completer_word_break_characters = " \t\n";
}

void repl_complete_done(void) {
    cands_clear();
    free(cands.items);
    cands.items = NULL;
    cands.cap = 0;
    session = NULL;
}
