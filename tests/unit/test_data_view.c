/*
 * test_data_view.c — the shared data as policies see it (core/src/data_store.c, data_view.c):
 * large tables are lazy proxies made on first read, and they must read exactly as the frozen
 * tables they replace (#, pairs order, custos.has, custos.field, show, ipairs, table.concat),
 * refuse writes and metatable changes as frozen tables do, keep a thread's memory bounded
 * however much it reads, and spend none of a decision's memory limit on making what it reads —
 * while the policy's own allocations stay limited.
 */
#include <malloc.h>
#include <pthread.h>

#include "data_view.h"
#include "temp_policies.h"

#define RECORDS 3000 /* each ~40 values: 120,000 in all, far past the view's cache */
#define TAGS 30
#define BIG_LIST 400
#define WIDE_FIELDS 300
#define LONG_TAGS 40
_Static_assert(LONG_TAGS > DATA_VIEW_SCAN_ITEMS, "data.long.l.tags must be long enough for a set");

/* The data document: records (a lazy mapping of small records), big_list (a lazy list of
 * strings), wide.w (a record too large to be made whole: lazy itself). */
static void write_data(temp_policies *t) {
    size_t cap = 16u << 20, used = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    used += (size_t)snprintf(text + used, cap - used, "records:\n");
    for (int i = 0; i < RECORDS; i++) {
        used += (size_t)snprintf(text + used, cap - used,
                                 "  r-%d:\n    name: name-%d\n    n: %d\n    gone: ~\n    tags: [",
                                 i, i, i);
        for (int k = 0; k < TAGS; k++)
            used += (size_t)snprintf(text + used, cap - used, "%st%d", k ? ", " : "", i + k);
        used += (size_t)snprintf(text + used, cap - used, "]\n");
    }
    used += (size_t)snprintf(text + used, cap - used, "big_list:\n");
    for (int i = 0; i < BIG_LIST; i++) {
        used += (size_t)snprintf(text + used, cap - used, "  - s%03d\n", i);
        if (i == 10) used += (size_t)snprintf(text + used, cap - used, "  - ~\n"); /* no hole */
    }
    /* a record made for one decision whose list is long enough to be given a set */
    used += (size_t)snprintf(text + used, cap - used, "long:\n  l:\n    tags: [");
    for (int k = 0; k < LONG_TAGS; k++)
        used += (size_t)snprintf(text + used, cap - used, "%su%d", k ? ", " : "", k);
    used += (size_t)snprintf(text + used, cap - used, "]\n");
    used += (size_t)snprintf(text + used, cap - used, "wide:\n  w:\n");
    for (int i = 0; i < WIDE_FIELDS; i++)
        used += (size_t)snprintf(text + used, cap - used, "    f-%d: %d\n", i, i);
    assert_true(used < cap);
    temp_write(t, "data.yaml", text, used);
    free(text);
}

static custos_engine *open_with_data(temp_policies *t, size_t memory_limit) {
    temp_make(t, 1);
    temp_write_article(t, 1, "", "");
    write_data(t);
    char path[400];
    snprintf(path, sizeof path, "%s/data.yaml", t->root);
    custos_config *cfg;
    assert_int_equal(custos_config_new(&cfg), CUSTOS_OK);
    assert_int_equal(custos_config_add_policies(cfg, t->root), CUSTOS_OK);
    assert_int_equal(custos_config_add_data(cfg, path), CUSTOS_OK);
    assert_int_equal(custos_config_set_limits(cfg, memory_limit, 0), CUSTOS_OK);
    custos_engine *eng = NULL;
    custos_error err;
    custos_status st = custos_engine_open(cfg, &eng, &err);
    if (st) fail_msg("open: %s:%u: %s", err.file, err.line, err.message);
    custos_config_free(cfg);
    return eng;
}

/* Evaluates code and checks the text it shows. */
static void expect_eval(custos_engine *eng, const char *code, const char *expected) {
    char *out = NULL;
    custos_error err;
    custos_status st = custos_engine_eval(eng, NULL, code, &out, &err);
    if (st) fail_msg("%s: %s", code, err.message);
    if (strcmp(out, expected) != 0)
        fail_msg("%s:\n  got      %s\n  expected %s", code, out, expected);
    custos_free(out);
}

/* Evaluates code that must fail with a message containing `why`. */
static void expect_refused(custos_engine *eng, const char *code, const char *why) {
    char *out = NULL;
    custos_error err;
    custos_status st = custos_engine_eval(eng, NULL, code, &out, &err);
    if (st == CUSTOS_OK) fail_msg("%s: ran, showing %s", code, out);
    assert_int_equal(st, CUSTOS_E_POLICY);
    if (!strstr(err.message, why)) fail_msg("%s: %s (expected: %s)", code, err.message, why);
}

static void test_lazy_tables_read_as_frozen_ones(void **state) {
    (void)state;
    temp_policies t;
    custos_engine *eng = open_with_data(&t, 0);
    /* lists: length without the null item, items in order, set lookup, library functions */
    expect_eval(eng, "#data.big_list", "400");
    expect_eval(eng, "data.big_list[1], data.big_list[12], data.big_list[400], data.big_list[401]",
                "\"s000\"\t\"s011\"\t\"s399\"\tnil");
    expect_eval(eng, "data.big_list[0], data.big_list['1'], data.big_list[1.0], data.big_list[1.5]",
                "nil\tnil\t\"s000\"\tnil");
    expect_eval(eng, "custos.has(data.big_list, 's123'), custos.has(data.big_list, 's400')",
                "true\tfalse");
    expect_eval(eng, "table.concat(data.big_list, ',', 1, 3)", "\"s000,s001,s002\"");
    expect_eval(eng, "local n = 0 for i, s in ipairs(data.big_list) do n = n + 1 end return n",
                "400");
    /* mappings: pairs in bytewise order of keys, nulls absent, # is 0, lookups by string only */
    expect_eval(eng,
                "local ks = {} for k in pairs(data.records) do ks[#ks + 1] = k end "
                "return #ks, ks[1], ks[2], ks[3], ks[4], ks[#ks]",
                "3000\t\"r-0\"\t\"r-1\"\t\"r-10\"\t\"r-100\"\t\"r-999\"");
    expect_eval(eng, "#data.records, data.records[1], data.records.nope", "0\tnil\tnil");
    expect_eval(eng, "data.records['r-7'].name, data.records['r-7'].n, data.records['r-7'].gone",
                "\"name-7\"\t7\tnil");
    expect_eval(eng, "custos.has(data.records['r-7'].tags, 't36'), #data.records['r-7'].tags",
                "true\t30");
    expect_eval(eng,
                "custos.field(data, 'records.r-5.name'), custos.field(data, 'records.nope.name'), "
                "custos.field(data, 'wide.w.f-3')",
                "\"name-5\"\tnil\t3");
    /* a record made whole reads as a frozen table too (its real table is kept apart) */
    expect_eval(eng,
                "local ks = {} for k, v in pairs(data.records['r-7']) do ks[#ks + 1] = k end "
                "return table.concat(ks, ','), custos.field(data.records['r-7'], 'tags')[2]",
                "\"n,name,tags\"\t\"t8\"");
    expect_eval(
        eng,
        "data.records['r-7'].tags[31], #data.records['r-7'], getmetatable(data.records['r-7'])",
        "nil\t0\t\"frozen\"");
    /* a record too large to be made whole is lazy too */
    expect_eval(eng,
                "local n, last = 0 for k, v in pairs(data.wide.w) do n = n + 1 last = k end "
                "return n, last, data.wide.w['f-10'], #data.wide.w",
                "300\t\"f-99\"\t10\t0");
    /* the same table on every read within a run; next() sees nothing, as on a frozen table */
    expect_eval(eng,
                "rawequal(data.records['r-1'], data.records['r-1']), "
                "rawequal(data.records, data.records), next(data.records)",
                "true\ttrue\tnil");
    expect_eval(eng, "getmetatable(data.records), getmetatable(data), type(data.wide.w)",
                "\"frozen\"\t\"frozen\"\t\"table\"");
    /* the REPL shows a lazy table by its contents, in the same order */
    char *out = NULL;
    custos_error err;
    assert_int_equal(custos_engine_eval(eng, NULL, "data.big_list", &out, &err), CUSTOS_OK);
    assert_true(strncmp(out, "{\"s000\", \"s001\", \"s002\", ", 24) == 0);
    custos_free(out);
    assert_int_equal(custos_engine_eval(eng, NULL, "data.records['r-7']", &out, &err), CUSTOS_OK);
    const char *record = "{n = 7, name = \"name-7\", tags = {\"t7\", \"t8\", \"t9\", ";
    if (strncmp(out, record, strlen(record)) != 0) fail_msg("a record shows %.200s", out);
    custos_free(out);
    assert_int_equal(custos_engine_eval(eng, NULL, "data.wide", &out, &err), CUSTOS_OK);
    const char *wide = "{w = {[\"f-0\"] = 0, [\"f-1\"] = 1, [\"f-10\"] = 10, [\"f-100\"] = 100, ";
    if (strncmp(out, wide, strlen(wide)) != 0) fail_msg("data.wide shows %.200s", out);
    custos_free(out);
    custos_engine_close(eng);
    temp_remove(&t);
}

/* custos.has (host_has in sandbox.c) answers as the Lua loop it replaced, for every kind of
 * list: sets the sandbox knows (a lazy list's, a kept-apart record's), the policy's own tables
 * scanned with Lua's own == (numbers, __eq) and reads (__index, __len), nil lists and values;
 * and a length that is not a number is an error, not a silent answer. */
static void test_has_reads_every_kind_of_list(void **state) {
    (void)state;
    temp_policies t;
    custos_engine *eng = open_with_data(&t, 0);
    expect_eval(eng, "custos.has(nil, 'x'), custos.has({'a', 'b'}, 'b'), custos.has({'a'}, 'c')",
                "false\ttrue\tfalse");
    expect_eval(eng, "custos.has({}, nil), custos.has({1, 2.0, 3}, 2), custos.has({1, 3}, 2)",
                "false\ttrue\tfalse");
    expect_eval(eng,
                "local mt = {__eq = function() return true end} "
                "return custos.has({setmetatable({}, mt)}, setmetatable({}, mt)), "
                "custos.has({{}}, {})",
                "true\tfalse");
    expect_eval(eng,
                "local l = setmetatable({}, {__len = function() return 3 end, "
                "__index = function(_, i) return 'v' .. i end}) "
                "return custos.has(l, 'v2'), custos.has(l, 'v4')",
                "true\tfalse");
    expect_eval(eng,
                "local tags = data.records['r-9'].tags "
                "return custos.has(tags, 't9'), custos.has(tags, 't38'), custos.has(tags, 't8'), "
                "custos.has(tags, nil)",
                "true\ttrue\tfalse\tfalse");
    expect_eval(eng, "custos.has(data.big_list, nil), custos.has(data.wide.w, 3)", "false\tfalse");
    /* a short list made for one decision is scanned, a long one looked up in its set */
    expect_eval(eng,
                "local tags = data.long.l.tags "
                "return custos.has(tags, 'u0'), custos.has(tags, 'u39'), custos.has(tags, 'u40'), "
                "#tags",
                "true\ttrue\tfalse\t40");
    expect_refused(eng, "custos.has(setmetatable({}, {__len = function() return 'x' end}), 1)",
                   "length is not a number");
    custos_engine_close(eng);
    temp_remove(&t);
}

static void test_lazy_tables_refuse_changes(void **state) {
    (void)state;
    temp_policies t;
    custos_engine *eng = open_with_data(&t, 0);
    expect_refused(eng, "data.records['r-1'] = 1", "attempt to modify a frozen table");
    expect_refused(eng, "data.records.new = {}", "attempt to modify a frozen table");
    expect_refused(eng, "data.records['r-1'].name = 'x'", "attempt to modify a frozen table");
    expect_refused(eng, "data.records['r-1'].tags[1] = 'x'", "attempt to modify a frozen table");
    expect_refused(eng, "setmetatable(data.records['r-1'], nil)",
                   "cannot change a protected metatable");
    /* a table of the policy's own cannot pass for one made from the data */
    expect_eval(eng,
                "local fake = setmetatable({}, {__index = {'x'}, __len = function() return 1 end}) "
                "return custos.has(fake, 'x'), custos.has(fake, 'y'), custos.field(fake, 'a')",
                "true\tfalse\tnil");
    expect_refused(eng, "data.big_list[1] = 'x'", "attempt to modify a frozen table");
    expect_refused(eng, "data.big_list[401] = 'x'", "attempt to modify a frozen table");
    expect_refused(eng, "data.wide.w['f-1'] = 0", "attempt to modify a frozen table");
    expect_refused(eng, "data.new_section = {}", "attempt to modify a frozen table");
    expect_refused(eng, "setmetatable(data.records, {})", "cannot change a protected metatable");
    expect_refused(eng, "table.insert(data.big_list, 'x')", "attempt to modify a frozen table");
    /* a lazy table as a metatable works through a copy: reads, never the cache itself */
    expect_eval(eng,
                "local o = setmetatable({}, data.wide.w) return getmetatable(o) == data.wide.w",
                "true");
    /* nothing of the attempts stuck */
    expect_eval(eng, "data.records['r-1'].name, data.big_list[1], #data.big_list, data.new_section",
                "\"name-1\"\t\"s000\"\t400\tnil");
    custos_engine_close(eng);
    temp_remove(&t);
}

static size_t heap_in_use(void) {
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
}

/* Reading every record, one per run, many times over: the thread's memory stays near the view's
 * bound instead of growing to a copy of the data (all 120,000 values would take ~12 MB). */
static void test_reading_everything_keeps_memory_bounded(void **state) {
    (void)state;
    temp_policies t;
    custos_engine *eng = open_with_data(&t, 0);
    expect_eval(eng, "data.records['r-0'].name", "\"name-0\""); /* the thread's evaluator */
    size_t before = heap_in_use();
    char code[128], expected[64];
    for (int pass = 0; pass < 3; pass++)
        for (int i = 0; i < RECORDS; i++) {
            snprintf(code, sizeof code, "data.records['r-%d'].tags[30]", i);
            snprintf(expected, sizeof expected, "\"t%d\"", i + 29);
            expect_eval(eng, code, expected);
        }
    size_t after = heap_in_use();
    size_t grown = after > before ? after - before : 0;
    if (grown > ((size_t)5 << 20))
        fail_msg("reading every record grew the heap by %zu bytes", grown);
    custos_engine_close(eng);
    temp_remove(&t);
}

/* Making what a policy reads is the engine's work: a run that reads ~12 MB worth of records
 * under a 512 KiB limit succeeds.  The policy's own allocations are still limited, before and
 * after such reads. */
static void test_reads_spend_no_memory_limit_but_allocations_do(void **state) {
    (void)state;
    temp_policies t;
    custos_engine *eng = open_with_data(&t, 512 * 1024);
    const char *allocate = "local t = {} for i = 1, 200000 do t[i] = i end return #t";
    expect_refused(eng, allocate, "memory limit exceeded");
    expect_eval(eng,
                "local n = 0 for id, r in pairs(data.records) do "
                "if custos.has(r.tags, 't' .. (r.n + 29)) then n = n + 1 end end return n",
                "3000");
    expect_refused(eng,
                   "local n = 0 for id, r in pairs(data.records) do n = n + #r.tags end "
                   "local t = {} for i = 1, 200000 do t[i] = i end return n",
                   "memory limit exceeded");
    expect_refused(eng, allocate, "memory limit exceeded");
    custos_engine_close(eng);
    temp_remove(&t);
}

/* Reading a new record between bits of work must not hide the work from the instruction count
 * (re-installing the count hook around each read would reset it, forgiving up to 999
 * instructions per read: 3,000 reads of 500 would then run 1.5 M instructions unmetered). */
static void test_reads_cannot_hide_work_from_metering(void **state) {
    (void)state;
    temp_policies t;
    temp_make(&t, 1);
    temp_write_article(&t, 1, "", "");
    write_data(&t);
    char path[400];
    snprintf(path, sizeof path, "%s/data.yaml", t.root);
    custos_config *cfg;
    assert_int_equal(custos_config_new(&cfg), CUSTOS_OK);
    assert_int_equal(custos_config_add_policies(cfg, t.root), CUSTOS_OK);
    assert_int_equal(custos_config_add_data(cfg, path), CUSTOS_OK);
    assert_int_equal(custos_config_set_limits(cfg, 0, 200000), CUSTOS_OK);
    custos_engine *eng = NULL;
    custos_error err;
    assert_int_equal(custos_engine_open(cfg, &eng, &err), CUSTOS_OK);
    custos_config_free(cfg);
    expect_refused(eng,
                   "local x = 0 for i = 0, 2999 do local r = data.records['r-' .. i] "
                   "for k = 1, 120 do x = x + k end end return x",
                   "instruction limit");
    custos_engine_close(eng);
    temp_remove(&t);
}

typedef struct reader {
    pthread_t thread;
    custos_engine *eng;
    int first, wrong;
} reader;

static void *read_records(void *arg) {
    reader *r = arg;
    for (int i = r->first; i < r->first + 300; i++) {
        char code[160], expected[64];
        snprintf(code, sizeof code, "data.records['r-%d'].tags[30], data.records['r-%d'].name", i,
                 i);
        snprintf(expected, sizeof expected, "\"t%d\"\t\"name-%d\"", i + 29, i);
        char *out = NULL;
        custos_error err;
        if (custos_engine_eval(r->eng, NULL, code, &out, &err) != CUSTOS_OK ||
            strcmp(out, expected) != 0)
            r->wrong++;
        custos_free(out);
    }
    return NULL;
}

/* Four threads read the one store at once, each through its own view (make tsan runs this). */
static void test_threads_share_the_store(void **state) {
    (void)state;
    temp_policies t;
    custos_engine *eng = open_with_data(&t, 0);
    reader readers[4];
    for (int i = 0; i < 4; i++) {
        readers[i] = (reader){.eng = eng, .first = i * 600, .wrong = 0};
        assert_int_equal(pthread_create(&readers[i].thread, NULL, read_records, &readers[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(readers[i].thread, NULL);
        assert_int_equal(readers[i].wrong, 0);
    }
    custos_engine_close(eng);
    temp_remove(&t);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lazy_tables_read_as_frozen_ones),
        cmocka_unit_test(test_has_reads_every_kind_of_list),
        cmocka_unit_test(test_lazy_tables_refuse_changes),
        cmocka_unit_test(test_reading_everything_keeps_memory_bounded),
        cmocka_unit_test(test_reads_spend_no_memory_limit_but_allocations_do),
        cmocka_unit_test(test_reads_cannot_hide_work_from_metering),
        cmocka_unit_test(test_threads_share_the_store),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
