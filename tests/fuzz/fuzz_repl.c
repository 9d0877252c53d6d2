/*
 * fuzz_repl.c — libFuzzer target: arbitrary bytes as the lines of a piped `custos repl`
 * session, run through the REPL's own command dispatcher (repl_line, core/cli/repl_*.c, linked
 * into this target; they use only the public API) on the fuzz policy set
 * (tests/fuzz/policy-set) with a data document: :set, :unset, :show, :decide, :explain, :why,
 * :whynot, :cite, :lua and = lines evaluated in the policies' sandbox, pasted YAML and JSON
 * documents.  Lines naming :data or :reload are dropped: a fuzzed path may be a FIFO or a
 * device, and a reload costs a hundred decisions (fuzz_data and fuzz_policy fuzz both).  Each input starts from a fresh request and the
 * default settings.  A crash, leak, hang, abort or sanitizer report is a bug.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "repl_session.h"

static repl_session session;

static void setup(void) {
    static const char data[] = "contracts:\n"
                               "  C-1: {employer: globex, subjects: [alice], purposes: [billing],"
                               " related_purposes: {billing: [invoicing]}}\n"
                               "purposes:\n  billing: {related: [invoicing], title: Billing}\n";
    char path[4096];
    const char *policies = fuzz_scratch_setup();
    fuzz_scratch_write("data.yaml", data, strlen(data), path, sizeof path);
    fuzz_quiet_stdout();
    repl_session *s = &session;
    if (!repl_strings_push(&s->policies, policies) || !repl_add_data_path(s, path)) abort();
    custos_config *cfg;
    custos_error err;
    if (repl_build_config(s, &cfg, &err) != CUSTOS_OK ||
        custos_engine_open(cfg, &s->eng, &err) != CUSTOS_OK)
        abort();
    custos_config_free(cfg);
    repl_refresh_policies(s);
    if (custos_decision_new(&s->last) != CUSTOS_OK) abort();
    s->input_name = "<stdin>";
}

/* Back to a fresh session on the same engine: an empty request, default settings. */
static void reset(repl_session *s) {
    custos_request_free(s->req);
    s->req = NULL;
    if (custos_request_new(&s->req) != CUSTOS_OK) abort();
    s->req_version = 0;
    s->have_last = s->last_explained = false;
    s->lang = (render_langs){true, true};
    s->json = s->strict = s->quit = false;
    s->line_no = 0;
    repl_cancel_document(s);
    s->doc_depth = 0;
    s->doc_quote = 0;
    s->doc_escape = false;
}

/* Whether a line is a :data or :reload command (see above), split as repl_line splits it. */
static bool dropped(const char *line) {
    while (isspace((unsigned char)*line)) line++;
    if (*line++ != ':') return false;
    while (isspace((unsigned char)*line)) line++;
    char name[32];
    size_t n = 0;
    while (line[n] && !isspace((unsigned char)line[n])) n++;
    if (n == 0 || n >= sizeof name) return false;
    memcpy(name, line, n);
    name[n] = '\0';
    const repl_command *c = repl_find_command(name);
    return c && (strcmp(c->name, "data") == 0 || strcmp(c->name, "reload") == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!session.eng) setup();
    repl_session *s = &session;
    reset(s);
    char *text = malloc(size + 1);
    if (!text) abort();
    memcpy(text, data, size);
    text[size] = '\0';
    for (char *line = text; line && !s->quit;) {
        char *nl = memchr(line, '\n', (size_t)(text + size - line));
        if (nl) *nl = '\0';
        size_t n = strlen(line); /* a NUL inside ends the line, as getline's C string would */
        if (n && line[n - 1] == '\r') line[n - 1] = '\0';
        s->line_no++;
        if (!dropped(line)) repl_line(s, line);
        line = nl ? nl + 1 : NULL;
    }
    if (!s->quit) repl_end_of_input(s);
    free(text);
    return 0;
}
