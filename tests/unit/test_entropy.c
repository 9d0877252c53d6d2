/*
 * test_entropy.c — a policy learns nothing the host did not give it: the same request on the
 * same policies gives the same bytes on two engines and on several threads (each a lua_State
 * with its own string-hash seed and addresses); pairs and next walk keys in one fixed order;
 * table.sort is stable and draws no random pivot; tostring and string.format show no
 * address; weak tables (what the collector keeps) are refused.  Fixtures:
 * tests/fixtures/entropy/.
 */
#include "test_support.h"

#include <pthread.h>

static const char expected_order[] =
    "-7,1,2.5,10,,Zed,a b,key1,key10,key11,key12,key13,key14,key15,key16,key17,key18,key19,"
    "key2,key20,key21,key22,key23,key24,key25,key26,key27,key28,key29,key3,key30,key31,key32,"
    "key33,key34,key35,key36,key37,key38,key39,key4,key40,key5,key6,key7,key8,key9,false,true";
/* list[1], list[24], ... of 300 records sorted by (i * 7) % 5: equal keys keep their order */
static const char expected_sorted[] = "5,120,235,48,163,278,91,206,24,139,254,67,182,297";
static const char expected_texts[] = "table|function|nil|table function   abc";

static custos_request *observe_request(void) {
    return parse_request("{\"subject\": {\"id\": \"alice\"}, \"action\": \"observe\","
                         " \"context\": {\"time\": \"2026-01-01T00:00:00Z\"}}");
}

/* The decision's JSON and its one reason's English message, copied into the buffers. */
static void observe(custos_engine *eng, char *json, size_t json_size, char *message,
                    size_t message_size) {
    custos_request *req = observe_request();
    custos_decision *d;
    assert_int_equal(custos_decision_new(&d), CUSTOS_OK);
    custos_error err;
    assert_int_equal(custos_decide(eng, req, 0, d, &err), CUSTOS_OK);
    if (custos_decision_effect(d) != CUSTOS_PERMIT) {
        custos_policy_error e;
        if (custos_decision_error(d, 0, &e) == CUSTOS_OK) fail_msg("not permitted: %s", e.message);
        fail_msg("not permitted");
    }
    const char *text;
    assert_int_equal(custos_decision_json(d, &text), CUSTOS_OK);
    snprintf(json, json_size, "%s", text);
    custos_reason r;
    assert_int_equal(custos_decision_reason(d, 0, &r), CUSTOS_OK);
    snprintf(message, message_size, "%s", r.message_en);
    custos_decision_free(d);
    custos_request_free(req);
}

/* Checks the four lines of the article's message: pairs order, next order, sort, texts. */
static void check_message(const char *message) {
    char expected[2048];
    snprintf(expected, sizeof expected, "%s\n%s\n%s\n%s", expected_order, expected_order,
             expected_sorted, expected_texts);
    assert_string_equal(message, expected);
    assert_null(strstr(message, "0x"));
}

static void test_two_engines_decide_the_same_bytes(void **state) {
    (void)state;
    custos_engine *a = open_engine("tests/fixtures/entropy", NULL);
    custos_engine *b = open_engine("tests/fixtures/entropy", NULL);
    static char json_a[16384], json_b[16384], message_a[4096], message_b[4096];
    observe(a, json_a, sizeof json_a, message_a, sizeof message_a);
    observe(b, json_b, sizeof json_b, message_b, sizeof message_b);
    assert_string_equal(json_a, json_b);
    check_message(message_a);
    custos_engine_close(a);
    custos_engine_close(b);
}

typedef struct thread_job {
    custos_engine *eng;
    char json[16384], message[4096];
} thread_job;

static void *observe_in_thread(void *arg) {
    thread_job *job = arg;
    observe(job->eng, job->json, sizeof job->json, job->message, sizeof job->message);
    return NULL;
}

static void test_threads_decide_the_same_bytes(void **state) {
    (void)state;
    custos_engine *eng = open_engine("tests/fixtures/entropy", NULL);
    static thread_job jobs[3];
    pthread_t threads[3];
    for (size_t i = 0; i < 3; i++) {
        jobs[i].eng = eng;
        assert_int_equal(pthread_create(&threads[i], NULL, observe_in_thread, &jobs[i]), 0);
    }
    for (size_t i = 0; i < 3; i++) assert_int_equal(pthread_join(threads[i], NULL), 0);
    for (size_t i = 0; i < 3; i++) {
        check_message(jobs[i].message);
        assert_string_equal(jobs[i].json, jobs[0].json);
    }
    custos_engine_close(eng);
}

/* What `=` in the REPL shows for code, which must succeed. */
static void eval_shows(custos_engine *eng, const char *code, const char *expected) {
    char *out = NULL;
    custos_error err;
    custos_status st = custos_engine_eval(eng, NULL, code, &out, &err);
    if (st != CUSTOS_OK) fail_msg("%s: %s", code, err.message);
    if (strcmp(out, expected) != 0) fail_msg("%s: shows %s, expected %s", code, out, expected);
    custos_free(out);
}

/* Code that must fail with an error containing `error`. */
static void eval_fails(custos_engine *eng, const char *code, const char *error) {
    char *out = NULL;
    custos_error err;
    custos_status st = custos_engine_eval(eng, NULL, code, &out, &err);
    if (st == CUSTOS_OK) fail_msg("%s: succeeded with %s", code, out);
    if (!strstr(err.message, error))
        fail_msg("%s: error \"%s\" lacks \"%s\"", code, err.message, error);
}

static void test_no_addresses(void **state) {
    (void)state;
    custos_engine *eng = open_engine("tests/fixtures/entropy", NULL);
    eval_shows(eng, "tostring({}), tostring(tostring), tostring(data)",
               "\"table\"\t\"function\"\t\"table\"");
    eval_shows(eng, "string.format('%s|%s', {}, string.rep)", "\"table|function\"");
    eval_shows(eng, "tostring(setmetatable({}, {__name = 'thing'}))", "\"thing\"");
    eval_shows(eng, "tostring(setmetatable({}, {__tostring = function() return 'mine' end}))",
               "\"mine\"");
    eval_shows(eng, "{f = tostring, t = {}}", "{f = function, t = {}}");
    eval_fails(eng, "string.format('%p', {})", "'%p' is not available to policies");
    eval_fails(eng, "string.format('%10p', 'x')", "'%p' is not available to policies");
    custos_engine_close(eng);
}

static void test_iteration_order_is_fixed(void **state) {
    (void)state;
    custos_engine *eng = open_engine("tests/fixtures/entropy", NULL);
    eval_shows(eng,
               "(function() local o = {} for k, v in pairs({b = 1, a = 2, [3] = 3, [1.5] = 4,"
               " [true] = 5, [-1] = 6}) do o[#o + 1] = tostring(k) .. '=' .. v end"
               " return table.concat(o, ' ') end)()",
               "\"-1=6 1.5=4 3=3 a=2 b=1 true=5\"");
    eval_shows(eng, "next({b = 1, a = 2}), next({b = 1, a = 2}, 'a'), next({b = 1}, 'b')",
               "\"a\"\t\"b\"\tnil");
    /* keys cleared during the loop are skipped, as Lua's own next does */
    eval_shows(eng,
               "(function() local t, o = {a = 1, b = 2, c = 3}, {} for k in pairs(t) do"
               " t.b = nil o[#o + 1] = k end return table.concat(o) end)()",
               "\"ac\"");
    /* __pairs is honoured, as Lua's pairs does */
    eval_shows(eng,
               "(function() local o = {} for k in pairs(setmetatable({}, {__pairs = function(t)"
               " return function(_, k) if not k then return 'only' end end, t, nil end}))"
               " do o[#o + 1] = k end return table.concat(o) end)()",
               "\"only\"");
    eval_fails(eng, "pairs({[{}] = 1})", "cannot iterate over a table with table keys");
    eval_fails(eng, "next({[tostring] = 1})", "cannot iterate over a table with function keys");
    custos_engine_close(eng);
}

static void test_sort_is_deterministic_and_stable(void **state) {
    (void)state;
    custos_engine *eng = open_engine("tests/fixtures/entropy", NULL);
    eval_shows(eng, "(function() local t = {'b', 'a', 'c', 'B'} table.sort(t) return t end)()",
               "{\"B\", \"a\", \"b\", \"c\"}");
    eval_shows(eng,
               "(function() local t = {} for i = 1, 500 do t[i] = {k = i % 3, i = i} end"
               " table.sort(t, function(a, b) return a.k < b.k end)"
               " return t[1].i, t[2].i, t[167].i, t[168].i, t[500].i end)()",
               "3\t6\t1\t4\t500");
    eval_fails(eng,
               "(function() local t = {} for i = 1, 200 do t[i] = i % 4 end"
               " table.sort(t, function(a, b) return a <= b end) end)()",
               "invalid order function for sorting");
    eval_fails(eng, "table.sort({1, 'x', 2})", "attempt to compare");
    custos_engine_close(eng);
}

/* Weak tables keep what the collector has not yet taken: that depends on the state's history. */
static void test_weak_tables_are_refused(void **state) {
    (void)state;
    custos_engine *eng = open_engine("tests/fixtures/entropy", NULL);
    eval_fails(eng, "setmetatable({}, {__mode = 'k'})", "weak tables (__mode) are not allowed");
    eval_fails(eng, "(function() local mt = {} setmetatable({}, mt) mt.__mode = 'v' end)()",
               "may not gain __mode or __gc");
    eval_fails(eng, "(function() local mt = setmetatable({}, {}) setmetatable({}, mt) end)()",
               "a table with a metatable of its own cannot be a metatable");
    eval_fails(eng, "setmetatable({}, {__gc = true})", "__gc metamethods are not allowed");
    eval_shows(eng,
               "(function() local C = {} C.__index = C setmetatable(C, nil)"
               " local o = setmetatable({}, C) function C.hello() return 'hi' end"
               " return o.hello() end)()",
               "\"hi\"");
    custos_engine_close(eng);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_engines_decide_the_same_bytes),
        cmocka_unit_test(test_threads_decide_the_same_bytes),
        cmocka_unit_test(test_no_addresses),
        cmocka_unit_test(test_iteration_order_is_fixed),
        cmocka_unit_test(test_sort_is_deterministic_and_stable),
        cmocka_unit_test(test_weak_tables_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
