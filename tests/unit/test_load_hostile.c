/*
 * test_load_hostile.c — loading and reloading never crash: hostile declarations in regime.lua,
 * article modules, schema.lua and libraries are refused with the file, the line and what is
 * wrong.  The classes: values given through metamethods (that raise, loop, or answer the
 * prelude's checks but are absent to a raw read), tables changed after article{} / regime{}
 * checked them (a module keeps what it passed, and the table article{} returns), forged
 * declarations, non-strings where C expects a string, huge and deep values, memory kept after
 * loading; and a reload with such a folder leaves the old bundle serving.  Run under ASan by
 * `make asan`.
 */
#include <pthread.h>
#include <stdatomic.h>

#include "temp_policies.h"

#include "doc.h"

#define NO_LINE 0xffffffffu

typedef struct hostile {
    const char *name;
    const char *file;  /* "regime.lua", "art1.lua", "schema.lua" or a library */
    unsigned line;     /* expected line; 0: any; NO_LINE: none known (a memory error) */
    const char *text;  /* the file's whole text (%s: nothing) */
    const char *error; /* what the message must say */
} hostile;

#define REGIME_SPEC                                                                                \
    "local s = {\n"                                                                                \
    "  id = \"r\",\n"                                                                              \
    "  title = { zh = \"测\", en = \"Test\" },\n"                                                 \
    "  document = \"TEST-R\",\n"                                                                   \
    "  issued = \"2020-01-01\",\n"                                                                 \
    "  effective = \"2020-01-01\",\n"                                                              \
    "  articles = { { number = \"1\", title = { zh = \"条\", en = \"Article\" }, encoded = true " \
    "} },\n"                                                                                       \
    "}\n"
/* lines 1-8 are the spec; line 9 is what the case adds before regime(s) */
#define REGIME(before, after) REGIME_SPEC before "\nlocal r = regime(s)\n" after "\nreturn r\n"

#define ARTICLE_SPEC                                                                               \
    "local t = { zh = \"测试条文。\", en = \"A test article.\" }\n"                           \
    "local s = {\n"                                                                                \
    "  number = \"1\",\n"                                                                          \
    "  text = t,\n"                                                                                \
    "  citation = \"TEST-R 1\",\n"                                                                 \
    "  messages = { ok = { zh = \"正常。\", en = \"Normal.\" } },\n"                            \
    "  rule = function(req, data) return permit(\"ok\") end,\n"                                    \
    "}\n"
#define ARTICLE(before, after) ARTICLE_SPEC before "\nlocal a = article(s)\n" after "\nreturn a\n"

static const hostile cases[] = {
    /* regime{} returns the very table it checked: the module may change it before returning */
    {"regime id changed", "regime.lua", 2, REGIME("", "s.id = 42"), "'id' must be"},
    {"regime id removed", "regime.lua", 2, REGIME("", "s.id = nil"), "'id' must be"},
    {"regime date changed", "regime.lua", 5, REGIME("", "s.issued = 'someday'"), "'issued'"},
    {"regime expires a table", "regime.lua", 0, REGIME("", "s.expires = {}"), "'expires' must be"},
    {"regime title emptied", "regime.lua", 3, REGIME("", "s.title.zh = nil"), "'title.zh'"},
    {"regime title a string", "regime.lua", 3, REGIME("", "s.title = 'x'"), "'title' must be"},
    {"regime articles a string", "regime.lua", 7, REGIME("", "s.articles = 'abc'"),
     "'articles' must be a table"},
    {"regime articles item", "regime.lua", 7, REGIME("", "s.articles[1] = 5"), "'articles'"},
    {"regime article number", "regime.lua", 0, REGIME("", "s.articles[1].number = {}"),
     "'number' must be"},
    {"regime article encoded", "regime.lua", 0, REGIME("", "s.articles[1].encoded = 'yes'"),
     "'encoded' must be a boolean"},
    {"regime default_mode", "regime.lua", 0, REGIME("", "s.default_mode = {}"),
     "'default_mode' must be"},
    {"regime default_mode word", "regime.lua", 0, REGIME("", "s.default_mode = 'sometimes'"),
     "'default_mode' must be"},
    /* metamethods that answer the checks but are absent to a raw read */
    {"regime title by __index", "regime.lua", 3,
     REGIME("s.title = setmetatable({}, {__index = function(_, k) return k == 'zh' and '测' or "
            "'Test' end})",
            ""),
     "'title.zh'"},
    {"regime title __index raises", "regime.lua", 0,
     REGIME("s.title = setmetatable({}, {__index = function() error('boom') end})", ""), "boom"},
    {"regime title __index loops", "regime.lua", 0,
     REGIME("s.title = setmetatable({}, {__index = function() while true do end end})", ""),
     "instruction limit exceeded"},
    {"regime title __pairs raises", "regime.lua", 0,
     REGIME("s.title = setmetatable({zh = 'a', en = 'b'}, {__pairs = function() error('pairs!') "
            "end})",
            ""),
     "pairs!"},
    {"regime articles __len", "regime.lua", 0,
     REGIME("s.articles = setmetatable({}, {__len = function() return 1e9 end, __index = "
            "function(_, i) if i == 1 then return {number = '1', title = {zh = 'a', en = 'b'}, "
            "encoded = true} end end})",
            ""),
     "article 1 is not listed with encoded = true"}, /* seen raw: no article is listed */
    /* article{} checks the spec, but the text table stays the module's */
    {"article text changed", "art1.lua", 4, ARTICLE("", "t.zh = nil"), "'text.zh'"},
    {"article text number", "art1.lua", 4, ARTICLE("", "t.en = 42"), "'text.en'"},
    {"article text __index", "art1.lua", 4,
     ARTICLE("s.text = setmetatable({}, {__index = function(_, k) return 'x' end})", ""),
     "'text.zh'"},
    /* and the table article{} returns is the module's until it returns it */
    {"article number removed", "art1.lua", 0, ARTICLE("", "a.number = nil"), "'number' must be"},
    {"article rule a number", "art1.lua", 0, ARTICLE("", "a.rule = 42"),
     "'rule' must be a Lua function"},
    {"article rule a C function", "art1.lua", 0, ARTICLE("", "a.rule = string.rep"),
     "'rule' must be a Lua function"},
    {"article messages a string", "art1.lua", 0, ARTICLE("", "a.messages = 'x'"),
     "'messages' must be a table"},
    {"article messages empty", "art1.lua", 0, ARTICLE("", "a.messages = {}"),
     "'messages' must be a table of message codes"},
    {"article message number", "art1.lua", 0, ARTICLE("", "a.messages.ok.zh = 1"),
     "'messages.ok.zh'"},
    {"article message key", "art1.lua", 0, ARTICLE("", "a.messages[1] = {zh = 'a', en = 'b'}"),
     "keyed by message codes"},
    {"article message a string", "art1.lua", 0, ARTICLE("", "a.messages.ok = 'x'"),
     "{zh = ..., en = ...}"},
    {"article implements a string", "art1.lua", 0, ARTICLE("", "a.implements = 'abc'"),
     "'implements' must be a table"},
    {"article implements item", "art1.lua", 0, ARTICLE("", "a.implements = {5}"),
     "'implements' must be a list"},
    {"article implements regime", "art1.lua", 0,
     ARTICLE("", "a.implements = {{regime = {}, article = '1'}}"), "'regime' must be"},
    {"article text a table of tables", "art1.lua", 4, ARTICLE("", "a.text = {zh = {}, en = 'x'}"),
     "'text.zh'"},
    /* a message whose __index answers the check, then nothing when article{} copies it */
    {"article message __index counter", "art1.lua", 0,
     ARTICLE("local n = 0 s.messages = {ok = setmetatable({}, {__index = function() n = n + 1 "
             "if n <= 2 then return 'x' end end})}",
             ""),
     "'messages.ok.zh'"},
    /* a forged declaration: the tag copied onto a table article{} never saw */
    /* (the declaration's tag is a table key: no iteration hands one out, since table keys have
     * no fixed order; were one forged, the loader reads every field raw and typed) */
    {"forged article", "art1.lua", 0,
     ARTICLE("", "local tag for k in pairs(a) do if type(k) == 'table' then tag = k end end "
                 "a = {[tag] = true, number = '1'}"),
     "cannot iterate over a table with table keys"},
    {"forged regime", "regime.lua", 0,
     REGIME("", "local tag for k in pairs(r) do if type(k) == 'table' then tag = k end end "
                "r = {[tag] = true, id = 'r'}"),
     "cannot iterate over a table with table keys"},
    /* huge values */
    {"regime huge string", "regime.lua", NO_LINE,
     REGIME("s.document = string.rep('x', 1 << 28)", ""), "memory limit exceeded"},
    {"article huge text", "art1.lua", NO_LINE,
     ARTICLE("t.zh = string.rep('x', 1 << 25) t.en = t.zh .. t.zh", ""), "memory limit exceeded"},
    {"article deep table", "art1.lua", 0,
     ARTICLE("local d = {} for i = 1, 1e5 do d = {d} end s.messages.ok.deep = d", ""),
     "unknown field 'deep'"},
    {"article self reference", "art1.lua", 0, ARTICLE("", "a.messages.ok.self = a"), NULL},
    /* memory a module keeps after loading: every thread's evaluator holds a copy */
    {"article keeps 32 MiB", "art1.lua", NO_LINE,
     ARTICLE("KEEP = {} for i = 1, 2e6 do KEEP[i] = i end", ""), "limit exceeded"},
    {"article keeps it through a library", "art1.lua", NO_LINE,
     ARTICLE("local big = require 'big'", ""), "limit exceeded"},
    /* schema.lua: read raw, typed, any depth of nonsense */
    {"schema enum __len", "schema.lua", 0,
     "return { types = { level = { enum = setmetatable({}, {__len = function() return 1e9 end}) "
     "} } }\n",
     "at least one value"},
    {"schema field type a number", "schema.lua", 0,
     "return { request = { { \"subject.id\", 42, \"doc\" } } }\n", "request[1]"},
    {"schema section field a table", "schema.lua", 0, "return { data = { s = { f = {} } } }\n",
     "data"},
    {"schema request a forged list", "schema.lua", 0,
     "return { request = setmetatable({}, {__index = function() error('x') end, __len = "
     "function() return 5 end}) }\n",
     NULL},
    {"schema huge doc", "schema.lua", NO_LINE,
     "return { request = { { \"subject.id\", \"string\", string.rep('x', 1 << 28) } } }\n",
     "memory limit exceeded"},
    {"schema a function", "schema.lua", NO_LINE, "return function() end\n", "schema.lua must end"},
    /* libraries: what they return is frozen (walked), whatever its shape */
    /* (freeze recurses into a cycle: refused, if not for the right reason) */
    /* sealing copies a cycle once (legitimate), and refuses what is nested past its bound */
    {"library self reference", "lib/x.lua", NO_LINE, "local t = {} t.t = t return t\n", NULL},
    {"library deep", "lib/x.lua", NO_LINE, "local t = {} for i = 1, 1e5 do t = {t} end return t\n",
     "levels deep cannot be sealed"},
    {"library too big to load", "lib/x.lua", NO_LINE,
     "local t = {} for i = 1, 1e6 do t = {t} end return t\n", "memory limit exceeded"},
    {"library loops", "lib/x.lua", NO_LINE, "while true do end\n",
     "x.lua:1: while loading: instruction limit exceeded"},
    {"library metatable raises", "lib/x.lua", 0,
     "return setmetatable({}, {__index = function() error('x') end, __pairs = function() "
     "error('y') end})\n",
     NULL},
    {"library huge", "lib/x.lua", NO_LINE, "return {string.rep('x', 1 << 28)}\n",
     "memory limit exceeded"},
};

/* Writes the case's file into a folder that is otherwise valid. */
static void write_case(temp_policies *t, const hostile *h) {
    temp_make(t, 1);
    temp_write_article(t, 1, "", "");
    char relative[64];
    bool at_root = strcmp(h->file, "schema.lua") == 0 || strncmp(h->file, "lib/", 4) == 0;
    snprintf(relative, sizeof relative, "%s%s", at_root ? "" : "r/", h->file);
    temp_write_text(t, relative, h->text);
}

static void test_hostile_declarations_are_refused(void **state) {
    (void)state;
    unsigned failures = 0;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const hostile *h = &cases[i];
        temp_policies t;
        write_case(&t, h);
        custos_engine *eng;
        custos_error err;
        memset(&err, 0, sizeof err);
        if (strstr(h->name, "through a library"))
            temp_write_text(&t, "lib/big.lua",
                            "local t = {} for i = 1, 2e6 do t[i] = i end return {t = t}\n");
        custos_status st = temp_open(&t, 0, &eng, &err);
        const char *problem = NULL;
        const char *reported = strcmp(h->name, "regime articles __len") == 0 ? "art1.lua" : h->file;
        if (!h->error) {
            /* legitimate, if odd: it loads and decides */
            if (st != CUSTOS_OK) problem = "refused";
        } else if (st == CUSTOS_OK) {
            problem = "loaded";
        } else if (st != CUSTOS_E_POLICY) {
            problem = "not a policy error";
        } else if (!strstr(err.message, h->error)) {
            problem = "wrong message";
        } else if (strlen(err.file) < strlen(reported) ||
                   strcmp(err.file + strlen(err.file) - strlen(reported), reported) != 0) {
            problem = "wrong file";
        } else if (h->line != NO_LINE && (h->line ? err.line != h->line : err.line == 0)) {
            problem = "wrong line";
        }
        if (problem) {
            print_error("%s: %s (%s, %s:%u: %s)\n", h->name, problem, custos_status_name(st),
                        err.file, err.line, err.message);
            failures++;
        }
        custos_engine_close(eng);
        temp_remove(&t);
    }
    assert_int_equal(failures, 0);
}

/* A reload with a hostile folder is refused and the old bundle keeps deciding. */
static void test_a_failed_reload_keeps_the_old_bundle(void **state) {
    (void)state;
    temp_policies t;
    temp_make(&t, 1);
    temp_write_article(&t, 1, "", "");
    custos_config *cfg;
    assert_int_equal(custos_config_new(&cfg), CUSTOS_OK);
    assert_int_equal(custos_config_add_policies(cfg, t.root), CUSTOS_OK);
    custos_engine *eng;
    custos_error err;
    assert_int_equal(custos_engine_open(cfg, &eng, &err), CUSTOS_OK);
    custos_request *req = parse_request("{context: {time: '2026-01-01T10:00:00+08:00'}}");
    custos_decision *d;
    assert_int_equal(custos_decision_new(&d), CUSTOS_OK);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        if (!cases[i].error) continue;
        if (strcmp(cases[i].file, "regime.lua") != 0 && strcmp(cases[i].file, "art1.lua") != 0)
            continue;
        char relative[64];
        snprintf(relative, sizeof relative, "r/%s", cases[i].file);
        temp_write_text(&t, relative, cases[i].text);
        if (custos_engine_reload(eng, cfg, &err) == CUSTOS_OK)
            fail_msg("%s: the reload was accepted", cases[i].name);
        assert_int_equal(custos_decide(eng, req, 0, d, &err), CUSTOS_OK);
        assert_int_equal(custos_decision_effect(d), CUSTOS_PERMIT);
        /* back to the valid folder for the next case */
        temp_write_text(&t, "r/regime.lua", temp_regime_lua(1));
        temp_write_article(&t, 1, "", "");
    }
    custos_decision_free(d);
    custos_request_free(req);
    custos_engine_close(eng);
    custos_config_free(cfg);
    temp_remove(&t);
}

/* The same while other threads decide: every reload is refused, every decision is the old
 * bundle's permit. */
typedef struct deciding {
    custos_engine *eng;
    atomic_int stop, wrong, decided;
} deciding;

static void *decide_until_stopped(void *arg) {
    deciding *dc = arg;
    custos_request *req = parse_request("{context: {time: '2026-01-01T10:00:00+08:00'}}");
    custos_decision *d;
    custos_decision_new(&d);
    while (!atomic_load(&dc->stop)) {
        custos_error err;
        if (custos_decide(dc->eng, req, 0, d, &err) != CUSTOS_OK ||
            custos_decision_effect(d) != CUSTOS_PERMIT)
            atomic_fetch_add(&dc->wrong, 1);
        atomic_fetch_add(&dc->decided, 1);
    }
    custos_decision_free(d);
    custos_request_free(req);
    return NULL;
}

static void test_hostile_reloads_while_deciding(void **state) {
    (void)state;
    temp_policies t;
    temp_make(&t, 1);
    temp_write_article(&t, 1, "", "");
    custos_config *cfg;
    assert_int_equal(custos_config_new(&cfg), CUSTOS_OK);
    assert_int_equal(custos_config_add_policies(cfg, t.root), CUSTOS_OK);
    deciding dc = {.eng = NULL};
    custos_error err;
    assert_int_equal(custos_engine_open(cfg, &dc.eng, &err), CUSTOS_OK);
    pthread_t threads[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&threads[i], NULL, decide_until_stopped, &dc), 0);
    unsigned refused = 0;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        if (!cases[i].error || strstr(cases[i].name, "keeps") || strstr(cases[i].name, "huge") ||
            (strcmp(cases[i].file, "regime.lua") != 0 && strcmp(cases[i].file, "art1.lua") != 0))
            continue;
        char relative[64];
        snprintf(relative, sizeof relative, "r/%s", cases[i].file);
        temp_write_text(&t, relative, cases[i].text);
        refused += custos_engine_reload(dc.eng, cfg, &err) != CUSTOS_OK;
        temp_write_text(&t, "r/regime.lua", temp_regime_lua(1));
        temp_write_article(&t, 1, "", "");
    }
    atomic_store(&dc.stop, 1);
    for (int i = 0; i < 2; i++) pthread_join(threads[i], NULL);
    assert_true(refused > 30);
    assert_int_equal(atomic_load(&dc.wrong), 0);
    assert_true(atomic_load(&dc.decided) > 0);
    custos_engine_close(dc.eng);
    custos_config_free(cfg);
    temp_remove(&t);
}

/* Modules each under the per-module limit, together over the total. */
static void test_what_all_modules_keep_is_bounded(void **state) {
    (void)state;
    temp_policies t;
    temp_make(&t, 6);
    for (unsigned i = 1; i <= 6; i++)
        temp_write_article(&t, i, "KEEP = {} for i = 1, 8e5 do KEEP[i] = i end", "");
    custos_engine *eng;
    custos_error err;
    assert_int_equal(temp_open(&t, 0, &eng, &err), CUSTOS_E_POLICY);
    if (!strstr(err.message, "KiB in all")) fail_msg("%s", err.message);
    temp_remove(&t);
}

/* Opens the valid folder with one data document `name` holding `text`; returns the status. */
static custos_status open_with_data(temp_policies *t, const char *name, const char *text,
                                    size_t len, custos_error *err) {
    temp_write(t, name, text, len);
    char path[400];
    snprintf(path, sizeof path, "%s/%s", t->root, name);
    custos_config *cfg;
    assert_int_equal(custos_config_new(&cfg), CUSTOS_OK);
    assert_int_equal(custos_config_add_policies(cfg, t->root), CUSTOS_OK);
    assert_int_equal(custos_config_add_data(cfg, path), CUSTOS_OK);
    custos_engine *eng = NULL;
    custos_status st = custos_engine_open(cfg, &eng, err);
    custos_engine_close(eng);
    custos_config_free(cfg);
    return st;
}

/* A list of `values` small values, as YAML ("- 1\n" ...) or JSON ("[1,1,...]"). */
static char *many_values(size_t values, bool json, size_t *len) {
    char *text = malloc(values * 4 + 16);
    assert_non_null(text);
    size_t n = 0;
    if (json) text[n++] = '[';
    for (size_t i = 0; i < values; i++) {
        if (json) {
            if (i) text[n++] = ',';
            text[n++] = '1';
        } else {
            memcpy(text + n, "- 1\n", 4);
            n += 4;
        }
    }
    if (json) text[n++] = ']';
    *len = n;
    return text;
}

/* A data document cannot become much bigger in memory than it is: no aliases (the exponential
 * "billion laughs"), no nesting past DOC_MAX_DEPTH, no more than DOC_MAX_NODES values; each
 * refused with file:line:col. */
static void test_data_documents_cannot_amplify(void **state) {
    (void)state;
    temp_policies t;
    temp_make(&t, 1);
    temp_write_article(&t, 1, "", "");
    custos_error err;
    static const char laughs[] = "contracts:\n"
                                 "  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
                                 "  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                                 "  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                                 "  d: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n";
    assert_int_equal(open_with_data(&t, "laughs.yaml", laughs, sizeof laughs - 1, &err),
                     CUSTOS_E_PARSE);
    assert_non_null(strstr(err.file, "laughs.yaml"));
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 6);

    size_t len;
    char *yaml = many_values(DOC_MAX_NODES, false, &len); /* the root list is one more */
    assert_int_equal(open_with_data(&t, "many.yaml", yaml, len, &err), CUSTOS_E_PARSE);
    assert_non_null(strstr(err.message, "values in a document"));
    assert_int_equal(err.line, DOC_MAX_NODES);
    assert_int_equal(err.column, 3);
    free(yaml);
    char *json = many_values(DOC_MAX_NODES, true, &len);
    assert_int_equal(open_with_data(&t, "many.json", json, len, &err), CUSTOS_E_PARSE);
    assert_non_null(strstr(err.message, "values in a document"));
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 2 * DOC_MAX_NODES);
    free(json);

    char deep[2 * (DOC_MAX_DEPTH + 1) + 1];
    memset(deep, '[', DOC_MAX_DEPTH + 1);
    memset(deep + DOC_MAX_DEPTH + 1, ']', DOC_MAX_DEPTH + 1);
    assert_int_equal(open_with_data(&t, "deep.json", deep, sizeof deep - 1, &err), CUSTOS_E_PARSE);
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, DOC_MAX_DEPTH + 1);
    temp_remove(&t);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hostile_declarations_are_refused),
        cmocka_unit_test(test_a_failed_reload_keeps_the_old_bundle),
        cmocka_unit_test(test_hostile_reloads_while_deciding),
        cmocka_unit_test(test_what_all_modules_keep_is_bounded),
        cmocka_unit_test(test_data_documents_cannot_amplify),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
