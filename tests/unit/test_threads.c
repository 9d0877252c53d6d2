/*
 * test_threads.c — one engine, several threads deciding while another reloads between two
 * policy versions: every decision must be wholly one version's (v1 permits with code "v1",
 * v2 denies with code "v2"), never a mix, never an error; and once a reload has returned,
 * later decisions use the new version.
 */
#include <pthread.h>
#include <stdatomic.h>

#include "test_support.h"

#define DECIDERS 4
#define DECISIONS_PER_THREAD 20000

typedef struct shared {
    custos_engine *eng;
    atomic_int running;
    atomic_int wrong;
    atomic_int seen_v1, seen_v2;
    atomic_int decided;
    atomic_int reloads; /* published by the reloading thread */
} shared;

/* Deciders go on past their quota until the reloader has swapped versions a few times and both
 * versions have served, so the race is really run however the threads are scheduled (a
 * bounded wait: 50 quotas at most). */
#define RELOADS_WANTED 4

static bool race_was_run(shared *sh) {
    return atomic_load(&sh->reloads) >= RELOADS_WANTED && atomic_load(&sh->seen_v1) > 0 &&
           atomic_load(&sh->seen_v2) > 0;
}

static void *decider(void *arg) {
    shared *sh = arg;
    custos_request *req =
        parse_request("{action: use, context: {time: \"2026-11-22T10:00:00+08:00\"}}");
    custos_decision *d;
    custos_decision_new(&d);
    for (int i = 0;
         i < DECISIONS_PER_THREAD || (!race_was_run(sh) && i < 50 * DECISIONS_PER_THREAD); i++) {
        atomic_fetch_add(&sh->decided, 1);
        custos_error err;
        if (custos_decide(sh->eng, req, 0, d, &err) != CUSTOS_OK ||
            custos_decision_error_count(d) != 0 || custos_decision_reason_count(d) != 1) {
            atomic_fetch_add(&sh->wrong, 1);
            continue;
        }
        custos_reason r;
        custos_decision_reason(d, 0, &r);
        custos_effect e = custos_decision_effect(d);
        bool v1 = e == CUSTOS_PERMIT && strcmp(r.code, "v1") == 0 &&
                  strcmp(r.message_en, "Version one permits.") == 0 && strstr(r.module, "/v1/");
        bool v2 = e == CUSTOS_DENY && strcmp(r.code, "v2") == 0 &&
                  strcmp(r.message_en, "Version two denies.") == 0 && strstr(r.module, "/v2/");
        if (v1)
            atomic_fetch_add(&sh->seen_v1, 1);
        else if (v2)
            atomic_fetch_add(&sh->seen_v2, 1);
        else
            atomic_fetch_add(&sh->wrong, 1);
    }
    custos_decision_free(d);
    custos_request_free(req);
    atomic_fetch_sub(&sh->running, 1);
    return NULL;
}

static void test_decisions_during_reloads_are_each_one_version(void **state) {
    (void)state;
    char v1_path[1024], v2_path[1024];
    custos_config *v1, *v2;
    custos_config_new(&v1);
    custos_config_new(&v2);
    custos_config_add_policies(v1,
                               source_path(v1_path, sizeof v1_path, "tests/fixtures/reload/v1"));
    custos_config_add_policies(v2,
                               source_path(v2_path, sizeof v2_path, "tests/fixtures/reload/v2"));
    shared sh = {.eng = NULL};
    custos_error err;
    assert_int_equal(custos_engine_open(v1, &sh.eng, &err), CUSTOS_OK);
    atomic_init(&sh.running, DECIDERS);
    pthread_t threads[DECIDERS];
    for (int i = 0; i < DECIDERS; i++)
        assert_int_equal(pthread_create(&threads[i], NULL, decider, &sh), 0);
    int reloads = 0;
    while (atomic_load(&sh.running) > 0) {
        assert_int_equal(custos_engine_reload(sh.eng, reloads % 2 ? v1 : v2, &err), CUSTOS_OK);
        reloads++;
        atomic_store(&sh.reloads, reloads);
    }
    for (int i = 0; i < DECIDERS; i++) pthread_join(threads[i], NULL);
    assert_int_equal(atomic_load(&sh.wrong), 0);
    /* the race really happened: both versions served, across several reloads */
    assert_true(reloads >= RELOADS_WANTED);
    assert_true(atomic_load(&sh.seen_v1) > 0);
    assert_true(atomic_load(&sh.seen_v2) > 0);
    assert_int_equal(atomic_load(&sh.seen_v1) + atomic_load(&sh.seen_v2), atomic_load(&sh.decided));
    assert_true(atomic_load(&sh.decided) >= DECIDERS * DECISIONS_PER_THREAD);
    assert_int_equal(custos_engine_generation(sh.eng), 1 + (uint64_t)reloads);

    /* After a reload returns, the next decision on any thread is the new version's. */
    custos_request *req =
        parse_request("{action: use, context: {time: \"2026-11-22T10:00:00+08:00\"}}");
    custos_decision *d;
    custos_decision_new(&d);
    assert_int_equal(custos_engine_reload(sh.eng, v2, &err), CUSTOS_OK);
    assert_int_equal(custos_decide(sh.eng, req, 0, d, &err), CUSTOS_OK);
    assert_int_equal(custos_decision_effect(d), CUSTOS_DENY);
    assert_int_equal(custos_engine_reload(sh.eng, v1, &err), CUSTOS_OK);
    assert_int_equal(custos_decide(sh.eng, req, 0, d, &err), CUSTOS_OK);
    assert_int_equal(custos_decision_effect(d), CUSTOS_PERMIT);
    custos_decision_free(d);
    custos_request_free(req);
    custos_engine_close(sh.eng);
    custos_config_free(v1);
    custos_config_free(v2);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decisions_during_reloads_are_each_one_version),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
