/*
 * repl_commands.c — one line of REPL input in: a :command, a Lua line (`= EXPR`, `:lua CODE`),
 * or a line of a pasted document; the command table; the session-wide commands (:help, :lang,
 * :json, :data, :reload, :quit, Lua).  The request commands live in repl_request.c, the
 * decision commands in repl_explain.c.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cli_common.h"
#include "repl_session.h"

/* ---- session commands ------------------------------------------------------------------ */

static const char *const lang_choices[] = {"zh", "en", "both", NULL};
static const char *const json_choices[] = {"on", "off", NULL};
static const char *const show_choices[] = {"yaml", "json", NULL};
static const char *const as_of_choices[] = {"now", NULL};

static const char *lang_name(render_langs l) { return l.zh && l.en ? "both" : l.zh ? "zh" : "en"; }

static int cmd_lang(repl_session *s, char *args) {
    char *v = repl_trim(args);
    if (!*v)
        printf("lang %s\n", lang_name(s->lang));
    else if (strcmp(v, "zh") == 0)
        s->lang = (render_langs){true, false};
    else if (strcmp(v, "en") == 0)
        s->lang = (render_langs){false, true};
    else if (strcmp(v, "both") == 0)
        s->lang = (render_langs){true, true};
    else
        return repl_fail(s, REPL_FAIL_INPUT, ":lang '%s': expected zh, en or both", v);
    return 0;
}

static int cmd_json(repl_session *s, char *args) {
    char *v = repl_trim(args);
    if (!*v)
        printf("json %s\n", s->json ? "on" : "off");
    else if (strcmp(v, "on") == 0)
        s->json = true;
    else if (strcmp(v, "off") == 0)
        s->json = false;
    else
        return repl_fail(s, REPL_FAIL_INPUT, ":json '%s': expected on or off", v);
    return 0;
}

/* Rebuilds the configuration from the session's lists and reloads the engine; prints what is
 * loaded.  On failure the old policies and data keep serving. */
static int reload(repl_session *s) {
    custos_config *cfg = NULL;
    custos_error err;
    memset(&err, 0, sizeof err);
    if (repl_build_config(s, &cfg, &err) != CUSTOS_OK) return repl_fail_lib(s, &err, 0);
    custos_status st = custos_engine_reload(s->eng, cfg, &err);
    custos_config_free(cfg);
    if (st != CUSTOS_OK) return repl_fail_lib(s, &err, 0);
    repl_refresh_policies(s);
    size_t regimes = s->loaded ? custos_policies_regime_count(s->loaded) : 0;
    printf("reloaded: %zu regime%s, %zu data document%s (generation %llu)\n", regimes,
           regimes == 1 ? "" : "s", s->data.count, s->data.count == 1 ? "" : "s",
           (unsigned long long)custos_engine_generation(s->eng));
    return 0;
}

static int cmd_reload(repl_session *s, char *args) {
    if (*repl_trim(args)) return repl_fail(s, REPL_FAIL_INPUT, ":reload takes no argument");
    return reload(s);
}

static int cmd_data(repl_session *s, char *args) {
    char *path = repl_trim(args);
    if (!*path) return repl_fail(s, REPL_FAIL_INPUT, "usage: :data FILE");
    if (!repl_add_data_path(s, path)) return repl_fail(s, REPL_FAIL_OTHER, "out of memory");
    int rc = reload(s);
    if (rc) repl_drop_last_data_path(s); /* the engine still serves without it */
    return rc;
}

/* `= EXPR` and `:lua CODE`: run in the sandbox with `data` and `req` (the current request). */
static int cmd_lua(repl_session *s, char *args) {
    const char *code = repl_trim(args);
    if (!*code) return repl_fail(s, REPL_FAIL_INPUT, "usage: = EXPRESSION, or :lua CODE");
    char *out = NULL;
    custos_error err;
    memset(&err, 0, sizeof err);
    if (custos_engine_eval(s->eng, s->req, code, &out, &err) != CUSTOS_OK)
        return repl_fail_lib(s, &err, 0);
    if (*out) printf("%s\n", out);
    custos_free(out);
    return repl_flush(s);
}

static int cmd_help(repl_session *s, char *args) {
    repl_print_help(s, repl_trim(args));
    return 0;
}

static int cmd_quit(repl_session *s, char *args) {
    (void)args;
    s->quit = true;
    return 0;
}

/* ---- the table ------------------------------------------------------------------------- */

const repl_command repl_commands[] = {
    {"set", "FIELD VALUE", "set a field (true|false; lists: a, b or [a, b])", REPL_ARG_FIELD, NULL,
     repl_cmd_set},
    {"unset", "FIELD", "remove a field (a table: everything under it)", REPL_ARG_FIELD, NULL,
     repl_cmd_unset},
    {"show", "[yaml|json]", "print the request (YAML, or JSON with :json on)", REPL_ARG_CHOICE,
     show_choices, repl_cmd_show},
    {"clear", "", "empty the request (context.time stays)", REPL_ARG_NONE, NULL, repl_cmd_clear},
    {"as-of", "TIME|now", "set context.time (RFC 3339 with an offset, or now)", REPL_ARG_CHOICE,
     as_of_choices, repl_cmd_as_of},
    {"decide", "", "decide the request, as 'custos decide' prints it (no time: now)", REPL_ARG_NONE,
     NULL, repl_cmd_decide},
    {"explain", "", "decide, and list every article consulted and its verdict", REPL_ARG_NONE, NULL,
     repl_cmd_explain},
    {"why", "", "the reasons of the last decision: the articles that decided", REPL_ARG_NONE, NULL,
     repl_cmd_why},
    {"whynot", "ARTICLE", "why an article (gz-2012/11, or 11) did not permit/deny",
     REPL_ARG_ARTICLE, NULL, repl_cmd_whynot},
    {"cite", "ARTICLE|REGIME", "an article's title, citation and text; a regime's list",
     REPL_ARG_ARTICLE, NULL, repl_cmd_cite},
    {"data", "FILE", "add a data document and reload", REPL_ARG_FILE, NULL, cmd_data},
    {"reload", "", "re-read policies and data (the request is kept)", REPL_ARG_NONE, NULL,
     cmd_reload},
    {"lang", "zh|en|both", "the languages of messages and texts", REPL_ARG_CHOICE, lang_choices,
     cmd_lang},
    {"json", "on|off", "print decisions and the request as JSON", REPL_ARG_CHOICE, json_choices,
     cmd_json},
    {"lua", "CODE", "run Lua in the policies' sandbox, with data and req", REPL_ARG_NONE, NULL,
     cmd_lua},
    {"help", "[COMMAND|fields]", "this list, a command's usage, the request fields", REPL_ARG_HELP,
     NULL, cmd_help},
    {"quit", "", "leave (also :q, :exit, Ctrl-D)", REPL_ARG_NONE, NULL, cmd_quit},
};
const size_t repl_command_count = sizeof repl_commands / sizeof repl_commands[0];

const repl_command *repl_find_command(const char *name) {
    if (*name == ':') name++;
    if (strcmp(name, "q") == 0 || strcmp(name, "exit") == 0) name = "quit";
    if (strcmp(name, "h") == 0 || strcmp(name, "?") == 0) name = "help";
    for (size_t i = 0; i < repl_command_count; i++)
        if (strcmp(repl_commands[i].name, name) == 0) return &repl_commands[i];
    return NULL;
}

/* " (did you mean ':NAME'?)" for a misspelt command, or "" ; a :help topic may be "fields". */
static const char *repl_command_hint(const char *name, bool topic, char *buf, size_t size) {
    cli_suggest sg;
    cli_suggest_init(&sg, *name == ':' ? name + 1 : name);
    for (size_t i = 0; i < repl_command_count; i++)
        cli_suggest_consider(&sg, repl_commands[i].name);
    if (topic) cli_suggest_consider(&sg, "fields");
    cli_did_you_mean(buf, size, topic ? "" : ":", cli_suggest_best(&sg));
    return buf;
}

/* ---- help ------------------------------------------------------------------------------ */

/* The type column of :help fields. */
static const char *type_label(custos_field_type type) {
    switch (type) {
    case CUSTOS_FIELD_TABLE: return "table";
    case CUSTOS_FIELD_STRING: return "string";
    case CUSTOS_FIELD_ENUM: return "enum";
    case CUSTOS_FIELD_BOOLEAN: return "true|false";
    case CUSTOS_FIELD_INTEGER: return "integer";
    case CUSTOS_FIELD_NUMBER: return "number";
    case CUSTOS_FIELD_TIME: return "time";
    case CUSTOS_FIELD_DATE: return "date";
    case CUSTOS_FIELD_LIST: return "list";
    }
    return "string";
}

/* The request schema of the loaded policy set (refreshed on :reload). */
static void print_fields(const repl_session *s) {
    size_t width = 0, n = custos_policies_field_count(s->loaded);
    custos_field_info f;
    for (size_t i = 0; i < n; i++)
        if (custos_policies_field(s->loaded, i, &f) == CUSTOS_OK && strlen(f.path) > width)
            width = strlen(f.path);
    puts("Request fields (other fields are kept and visible to policies too):");
    for (size_t i = 0; i < n; i++) {
        if (custos_policies_field(s->loaded, i, &f) != CUSTOS_OK) continue;
        bool listed = f.type == CUSTOS_FIELD_ENUM && f.value_count;
        printf("  %-*s  %-10s  %s", (int)width, f.path, type_label(f.type), f.doc);
        for (size_t v = 0; listed && v < f.value_count; v++)
            printf("%s%s", v == 0 ? " (" : "|", f.values[v]);
        puts(listed ? ")" : "");
    }
}

void repl_print_help(repl_session *s, const char *topic) {
    if (topic && strcmp(topic, "fields") == 0) {
        print_fields(s);
        return;
    }
    if (topic && *topic) {
        const repl_command *c = repl_find_command(topic);
        if (!c && (strcmp(topic, "=") == 0)) c = repl_find_command("lua");
        if (!c) {
            char hint[128];
            printf("no command '%s'%s; :help lists them\n", topic,
                   repl_command_hint(topic, true, hint, sizeof hint));
            return;
        }
        printf(":%s%s%s\n  %s\n", c->name, *c->args ? " " : "", c->args, c->summary);
        return;
    }
    puts("Commands (TAB completes commands, fields, values, articles and file names):");
    for (size_t i = 0; i < repl_command_count; i++) {
        char head[64];
        const repl_command *c = &repl_commands[i];
        snprintf(head, sizeof head, ":%s%s%s", c->name, *c->args ? " " : "", c->args);
        printf("  %-22s %s\n", head, c->summary);
    }
    puts("  = EXPR                 evaluate Lua, e.g. = data.contracts[\"C-2026-001\"].purposes\n"
         "\n"
         "Documents: a line starting with '{', or with a top-level 'key:', begins a YAML or\n"
         "JSON request document; balanced braces or an empty line end it (a line starting\n"
         "with ':' or '=' ends a YAML one too).  It is merged into the request: mappings\n"
         "key by key, other values (lists included) replaced.  :clear first to replace it.\n"
         "Lines starting with '#' are comments.");
}

void repl_print_banner(repl_session *s) {
    size_t regimes = s->loaded ? custos_policies_regime_count(s->loaded) : 0;
    printf("custos %s  ", custos_version());
    for (size_t i = 0; i < regimes; i++) {
        custos_regime_info r;
        if (custos_policies_regime(s->loaded, i, &r) == CUSTOS_OK)
            printf("%s%s", i ? ", " : "regimes: ", r.id);
    }
    printf("%sdata: %zu document%s\n", regimes ? "; " : "", s->data.count,
           s->data.count == 1 ? "" : "s");
    puts("Type :help for commands, TAB to complete, :quit or Ctrl-D to leave.");
}

/* ---- pasted documents ------------------------------------------------------------------ */

bool repl_in_document(const repl_session *s) { return s->doc_state != REPL_DOC_NONE; }

void repl_cancel_document(repl_session *s) {
    s->doc_state = REPL_DOC_NONE;
    s->doc_len = 0;
}

/* Whether a line begins a YAML block document: "---", or a top-level key ("key:" at column
 * 0, followed by a space or the end). */
static bool starts_block_document(const char *line) {
    if (strncmp(line, "---", 3) == 0 && (!line[3] || isspace((unsigned char)line[3]))) return true;
    const char *p = line;
    if (*p == '"') { /* "key": */
        p = strchr(p + 1, '"');
        if (!p) return false;
        p++;
    } else {
        if (!isalpha((unsigned char)*p) && *p != '_') return false;
        while (isalnum((unsigned char)*p) || *p == '_' || *p == '-' || *p == '.') p++;
    }
    while (*p == ' ' || *p == '\t') p++;
    return *p == ':' && (!p[1] || isspace((unsigned char)p[1]));
}

/* Appends a line to the pasted document; 0, or the failure (printed; the document dropped). */
static int doc_append(repl_session *s, const char *line) {
    size_t n = strlen(line);
    if (s->doc_len + n + 1 > CUSTOS_MAX_REQUEST_BYTES) { /* a pasted document is a request */
        repl_cancel_document(s);
        return repl_fail(s, REPL_FAIL_INPUT,
                         "the pasted document is larger than the 1 MiB limit on a request (%zu "
                         "bytes); dropped",
                         (size_t)CUSTOS_MAX_REQUEST_BYTES);
    }
    if (s->doc_len + n + 2 > s->doc_cap) {
        size_t cap = s->doc_cap ? s->doc_cap : 1024;
        while (cap < s->doc_len + n + 2) cap *= 2;
        char *grown = realloc(s->doc, cap);
        if (!grown) {
            repl_cancel_document(s);
            return repl_fail(s, REPL_FAIL_OTHER, "out of memory");
        }
        s->doc = grown;
        s->doc_cap = cap;
    }
    memcpy(s->doc + s->doc_len, line, n);
    s->doc_len += n;
    s->doc[s->doc_len++] = '\n';
    s->doc[s->doc_len] = '\0';
    return 0;
}

/* Follows the braces of a flow line (outside quoted strings and comments); true when the
 * document's outermost brace closed on it. */
static bool flow_closes(repl_session *s, const char *line) {
    char prev = ' ';
    bool closed = false;
    for (const char *p = line; *p; p++) {
        char c = *p;
        if (s->doc_quote) {
            if (s->doc_escape)
                s->doc_escape = false;
            else if (c == '\\' && s->doc_quote == '"')
                s->doc_escape = true;
            else if (c == s->doc_quote)
                s->doc_quote = 0;
            continue;
        }
        if (c == '"' || (c == '\'' && strchr("{[,: \t", prev)))
            s->doc_quote = c;
        else if (c == '#' && (prev == ' ' || prev == '\t'))
            break; /* a YAML comment */
        else if (c == '{' || c == '[')
            s->doc_depth++;
        else if ((c == '}' || c == ']') && s->doc_depth > 0 && --s->doc_depth == 0)
            closed = true;
        if (!isspace((unsigned char)c) || prev != ' ') prev = c;
    }
    return closed && s->doc_depth == 0;
}

/* Reads the document gathered so far and merges it into the request. */
static int finish_document(repl_session *s) {
    s->doc_state = REPL_DOC_NONE;
    int rc = repl_merge_document(s, s->doc ? s->doc : "", s->doc_len, s->doc_line);
    s->doc_len = 0;
    return rc;
}

static int begin_document(repl_session *s, repl_doc_state state, const char *line) {
    s->doc_state = state;
    s->doc_len = 0;
    s->doc_line = s->line_no ? s->line_no : 1;
    s->doc_depth = 0;
    s->doc_quote = 0;
    s->doc_escape = false;
    int rc = doc_append(s, line);
    if (rc) return rc;
    if (state == REPL_DOC_FLOW && flow_closes(s, line)) return finish_document(s);
    return 0;
}

/* A line inside a document; *handled is false when the line ended a YAML document without
 * being part of it (a command), so the caller runs it next. */
static int document_line(repl_session *s, const char *line, bool *handled) {
    *handled = true;
    const char *p = line;
    while (*p == ' ' || *p == '\t') p++;
    if (!*p) return finish_document(s);
    if (s->doc_state == REPL_DOC_BLOCK && (line[0] == ':' || line[0] == '=')) {
        *handled = false;
        return finish_document(s);
    }
    int rc = doc_append(s, line);
    if (rc) return rc;
    if (s->doc_state == REPL_DOC_FLOW && flow_closes(s, line)) return finish_document(s);
    return 0;
}

int repl_end_of_input(repl_session *s) { return repl_in_document(s) ? finish_document(s) : 0; }

/* ---- one line -------------------------------------------------------------------------- */

static int run_command(repl_session *s, char *text) {
    char *rest = text + 1; /* after ':' */
    char *name = repl_next_word(&rest);
    if (!*name) return repl_fail(s, REPL_FAIL_INPUT, "expected a command after ':' (try :help)");
    const repl_command *c = repl_find_command(name);
    if (!c) {
        char hint[128];
        return repl_fail(s, REPL_FAIL_INPUT, "unknown command ':%s'%s (try :help)", name,
                         repl_command_hint(name, false, hint, sizeof hint));
    }
    return c->run(s, rest);
}

int repl_line(repl_session *s, const char *line) {
    if (repl_in_document(s)) {
        bool handled;
        int rc = document_line(s, line, &handled);
        if (handled || (rc && s->strict)) return rc;
        int next = repl_line(s, line);
        return rc ? rc : next;
    }
    const char *p = line;
    while (isspace((unsigned char)*p)) p++;
    if (!*p || *p == '#') return 0;
    if (*p == '{') return begin_document(s, REPL_DOC_FLOW, line);
    if (starts_block_document(line)) return begin_document(s, REPL_DOC_BLOCK, line);
    if (*p != ':' && *p != '=') {
        char word[64];
        snprintf(word, sizeof word, "%.*s", (int)strcspn(p, " \t"), p);
        if (repl_find_command(word))
            return repl_fail(s, REPL_FAIL_INPUT, "commands start with ':': did you mean ':%s'?",
                             word);
        return repl_fail(s, REPL_FAIL_INPUT,
                         "cannot read '%.40s%s': commands start with ':', Lua with '=', and a "
                         "document with '{' or a top-level 'key:' (try :help)",
                         p, strlen(p) > 40 ? "..." : "");
    }
    char *copy = malloc(strlen(p) + 1);
    if (!copy) return repl_fail(s, REPL_FAIL_OTHER, "out of memory");
    strcpy(copy, p);
    int rc = *copy == '=' ? cmd_lua(s, copy + 1) : run_command(s, copy);
    free(copy);
    if (rc == 0)
        rc = repl_flush(s);
    else
        fflush(stdout);
    return rc;
}
