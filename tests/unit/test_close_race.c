/*
 * test_close_race.c — custos_engine_close while the threads that decided on the engine exit.
 *
 * Each thread's evaluator is freed by its thread's exit or by close, whichever comes first;
 * before the fix close walked the evaluators without the lock while exiting threads freed their
 * own (a double free under ASan, a race under TSan).  The rounds here close the engine the
 * moment the deciders have returned from custos_decide, so their thread-exit destructors run
 * during close; `make asan` and `make tsan` run this file.  Threads that outlive a close and go
 * on to decide on another engine must release what they kept of the closed one (a leak under
 * LeakSanitizer otherwise).
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

#include "test_support.h"

#define ROUNDS 200
#define THREADS 4

static const char request_text[] = "{action: use, context: {time: \"2026-11-22T10:00:00+08:00\"}}";

/* True when eng decides the request with one reason whose code is want_code. */
static bool decides_with_code(custos_engine *eng, const char *want_code) {
    custos_request *req = parse_request(request_text);
    custos_decision *d;
    custos_decision_new(&d);
    custos_error err;
    bool ok = custos_decide(eng, req, 0, d, &err) == CUSTOS_OK &&
              custos_decision_error_count(d) == 0 && custos_decision_reason_count(d) == 1;
    custos_reason r;
    ok = ok && custos_decision_reason(d, 0, &r) == CUSTOS_OK && strcmp(r.code, want_code) == 0;
    custos_decision_free(d);
    custos_request_free(req);
    return ok;
}

typedef struct round_state {
    custos_engine *eng;
    atomic_int decided;
    atomic_int wrong;
} round_state;

/* Decides once, says so, and exits at once: its destructor races the main thread's close. */
static void *decide_then_exit(void *arg) {
    round_state *rs = arg;
    if (!decides_with_code(rs->eng, "v1")) atomic_fetch_add(&rs->wrong, 1);
    atomic_fetch_add_explicit(&rs->decided, 1, memory_order_release);
    return NULL;
}

static void test_close_while_deciders_exit(void **state) {
    (void)state;
    int wrong = 0;
    for (int round = 0; round < ROUNDS; round++) {
        round_state rs = {.eng = open_engine("tests/fixtures/reload/v1", NULL)};
        atomic_init(&rs.decided, 0);
        atomic_init(&rs.wrong, 0);
        /* The main thread decides too: its evaluator is freed by close (it never exits). */
        if (!decides_with_code(rs.eng, "v1")) wrong++;
        pthread_t threads[THREADS];
        for (int i = 0; i < THREADS; i++)
            assert_int_equal(pthread_create(&threads[i], NULL, decide_then_exit, &rs), 0);
        while (atomic_load_explicit(&rs.decided, memory_order_acquire) < THREADS) sched_yield();
        custos_engine_close(rs.eng); /* the deciders are exiting now */
        for (int i = 0; i < THREADS; i++) pthread_join(threads[i], NULL);
        wrong += atomic_load(&rs.wrong);
    }
    assert_int_equal(wrong, 0);
}

/* Threads that keep running across closes: each decides on engine A, waits for the main thread
 * to close it, decides on engine B (opened after A closed), waits again, and exits. */
typedef struct long_lived {
    custos_engine *a, *b;
    pthread_barrier_t step;
    atomic_int wrong;
} long_lived;

static void *decide_across_closes(void *arg) {
    long_lived *ll = arg;
    if (!decides_with_code(ll->a, "v1")) atomic_fetch_add(&ll->wrong, 1);
    pthread_barrier_wait(&ll->step); /* decided on A */
    pthread_barrier_wait(&ll->step); /* A is closed, B is open */
    if (!decides_with_code(ll->b, "v2")) atomic_fetch_add(&ll->wrong, 1);
    pthread_barrier_wait(&ll->step); /* decided on B */
    return NULL;                     /* B closes while this thread exits */
}

static void test_threads_outliving_a_close(void **state) {
    (void)state;
    int wrong = 0;
    for (int round = 0; round < ROUNDS / 4; round++) {
        long_lived ll = {.a = open_engine("tests/fixtures/reload/v1", NULL)};
        atomic_init(&ll.wrong, 0);
        assert_int_equal(pthread_barrier_init(&ll.step, NULL, THREADS + 1), 0);
        pthread_t threads[THREADS];
        for (int i = 0; i < THREADS; i++)
            assert_int_equal(pthread_create(&threads[i], NULL, decide_across_closes, &ll), 0);
        pthread_barrier_wait(&ll.step);
        custos_engine_close(ll.a); /* the threads live on, holding slots on a closed engine */
        ll.a = NULL;
        ll.b = open_engine("tests/fixtures/reload/v2", NULL);
        pthread_barrier_wait(&ll.step);
        pthread_barrier_wait(&ll.step);
        custos_engine_close(ll.b);
        for (int i = 0; i < THREADS; i++) pthread_join(threads[i], NULL);
        pthread_barrier_destroy(&ll.step);
        wrong += atomic_load(&ll.wrong);
    }
    assert_int_equal(wrong, 0);
}

/* A closed engine's address may be reused by the next one: a thread's slot on the old engine
 * must never be taken for the new engine's (the new one has other policies). */
static void test_reused_address_gets_its_own_evaluator(void **state) {
    (void)state;
    for (int round = 0; round < 20; round++) {
        custos_engine *a = open_engine("tests/fixtures/reload/v1", NULL);
        assert_true(decides_with_code(a, "v1"));
        custos_engine_close(a);
        custos_engine *b = open_engine("tests/fixtures/reload/v2", NULL);
        assert_true(decides_with_code(b, "v2"));
        custos_engine_close(b);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_close_while_deciders_exit),
        cmocka_unit_test(test_threads_outliving_a_close),
        cmocka_unit_test(test_reused_address_gets_its_own_evaluator),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
