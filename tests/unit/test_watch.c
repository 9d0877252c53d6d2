/*
 * test_watch.c — custos_engine_watch (issue 14, item 5): an engine serves what it loaded until
 * it reloads; a watcher reloads when the files change.  Attacks: a rule edited (the next
 * decisions follow it), the rule broken (the callback gets the error, the old rule keeps
 * deciding), a burst of writes (one reload, not twenty), a data document replaced by rename,
 * and no watcher at all (an edit changes nothing).  Waits are bounded (a hang guard, not a
 * timing assertion): the watcher reports through its callback, which the test waits for.
 */
#define _GNU_SOURCE /* mkdtemp */
#include <errno.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include "test_support.h"

#define DEBOUNCE_MS 300
#define WAIT_LIMIT_S 20

typedef struct reloads {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    unsigned ok, failed;
    char last_error[CUSTOS_ERROR_MESSAGE_MAX + CUSTOS_ERROR_FILE_MAX + 8];
    uint64_t generation;
} reloads;

static void on_reload(void *user, custos_status status, const custos_error *err,
                      uint64_t generation) {
    reloads *r = user;
    pthread_mutex_lock(&r->lock);
    if (status == CUSTOS_OK)
        r->ok++;
    else {
        r->failed++;
        snprintf(r->last_error, sizeof r->last_error, "%s: %s", err->file, err->message);
    }
    r->generation = generation;
    pthread_cond_broadcast(&r->changed);
    pthread_mutex_unlock(&r->lock);
}

/* Waits until ok + failed reaches n; fails the test after WAIT_LIMIT_S. */
static void wait_reloads(reloads *r, unsigned n) {
    struct timespec limit;
    clock_gettime(CLOCK_REALTIME, &limit);
    limit.tv_sec += WAIT_LIMIT_S;
    pthread_mutex_lock(&r->lock);
    while (r->ok + r->failed < n)
        if (pthread_cond_timedwait(&r->changed, &r->lock, &limit) == ETIMEDOUT) {
            pthread_mutex_unlock(&r->lock);
            fail_msg("no reload reported after %d s (%u so far, %u expected)", WAIT_LIMIT_S,
                     r->ok + r->failed, n);
        }
    pthread_mutex_unlock(&r->lock);
}

static unsigned reload_count(reloads *r) {
    pthread_mutex_lock(&r->lock);
    unsigned n = r->ok + r->failed;
    pthread_mutex_unlock(&r->lock);
    return n;
}

static void sleep_ms(unsigned ms) {
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {}
}

typedef struct scratch {
    char root[256], policies[300], article[400], data[400];
} scratch;

/* A copy of tests/fixtures/basic with a data document beside it. */
static void scratch_make(scratch *s) {
    char src[1024], cmd[2048];
    snprintf(s->root, sizeof s->root, "/tmp/custos-watch-XXXXXX");
    if (!mkdtemp(s->root)) fail_msg("mkdtemp: %s", strerror(errno));
    snprintf(s->policies, sizeof s->policies, "%s/p", s->root);
    snprintf(s->article, sizeof s->article, "%s/demo/art1.lua", s->policies);
    snprintf(s->data, sizeof s->data, "%s/data.yaml", s->root);
    snprintf(cmd, sizeof cmd, "cp -R '%s' '%s'",
             source_path(src, sizeof src, "tests/fixtures/basic"), s->policies);
    assert_int_equal(system(cmd), 0);
    FILE *f = fopen(s->data, "w");
    assert_non_null(f);
    fputs("notes: {a: {text: one}}\n", f);
    fclose(f);
}

static void scratch_remove(scratch *s) {
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", s->root);
    assert_int_equal(system(cmd), 0);
}

/* Replaces `from` with `to` in the article (written in place, as an editor saving does). */
static void edit_article(const scratch *s, const char *from, const char *to) {
    size_t len;
    char *text = read_whole_file(s->article, &len);
    char *at = strstr(text, from);
    if (!at) fail_msg("'%s' not in %s", from, s->article);
    FILE *f = fopen(s->article, "wb");
    assert_non_null(f);
    fwrite(text, 1, (size_t)(at - text), f);
    fputs(to, f);
    fputs(at + strlen(from), f);
    fclose(f);
    free(text);
}

static custos_engine *open_scratch(const scratch *s) {
    custos_config *cfg;
    assert_int_equal(custos_config_new(&cfg), CUSTOS_OK);
    assert_int_equal(custos_config_add_policies(cfg, s->policies), CUSTOS_OK);
    assert_int_equal(custos_config_add_data(cfg, s->data), CUSTOS_OK);
    custos_engine *eng = NULL;
    custos_error err;
    if (custos_engine_open(cfg, &eng, &err) != CUSTOS_OK) fail_msg("open: %s", err.message);
    custos_config_free(cfg);
    return eng;
}

static custos_effect decide_use(custos_engine *eng) {
    custos_request *req =
        parse_request("{subject: {id: alice}, action: use, resource: {entrusted: true}, "
                      "context: {time: \"2026-11-22T10:00:00+08:00\"}}");
    custos_decision *d;
    assert_int_equal(custos_decision_new(&d), CUSTOS_OK);
    custos_error err;
    assert_int_equal(custos_decide(eng, req, 0, d, &err), CUSTOS_OK);
    custos_effect e = custos_decision_effect(d);
    custos_decision_free(d);
    custos_request_free(req);
    return e;
}

/* Without a watcher an engine serves what it loaded, whatever happens to its files. */
static void test_an_unwatched_engine_serves_what_it_loaded(void **state) {
    (void)state;
    scratch s;
    scratch_make(&s);
    custos_engine *eng = open_scratch(&s);
    assert_int_equal(decide_use(eng), CUSTOS_PERMIT);
    edit_article(&s, "req.action == \"use\"", "req.action == \"read\"");
    sleep_ms(2 * DEBOUNCE_MS);
    assert_int_equal(decide_use(eng), CUSTOS_PERMIT);
    assert_int_equal(custos_engine_generation(eng), 1);
    /* until the host reloads */
    assert_int_equal(custos_engine_reload(eng, NULL, NULL), CUSTOS_OK);
    assert_int_equal(decide_use(eng), CUSTOS_DENY);
    custos_engine_close(eng);
    scratch_remove(&s);
}

/* An edit is picked up; a broken edit is refused, reported, and the last good rule decides;
 * the fix is picked up again. */
static void test_a_watched_engine_follows_good_edits_and_refuses_bad_ones(void **state) {
    (void)state;
    scratch s;
    scratch_make(&s);
    custos_engine *eng = open_scratch(&s);
    reloads r = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, "", 0};
    custos_watch_options opts = {DEBOUNCE_MS};
    custos_watch *w = NULL;
    custos_error err;
    assert_int_equal(custos_engine_watch(eng, &opts, on_reload, &r, &w, &err), CUSTOS_OK);
    assert_int_equal(decide_use(eng), CUSTOS_PERMIT);

    edit_article(&s, "req.action == \"use\"", "req.action == \"read\"");
    wait_reloads(&r, 1);
    assert_int_equal(r.ok, 1);
    assert_int_equal(r.generation, 2);
    assert_int_equal(decide_use(eng), CUSTOS_DENY);

    edit_article(&s, "rule = function", "rule = = function"); /* a syntax error */
    wait_reloads(&r, 2);
    assert_int_equal(r.failed, 1);
    assert_non_null(strstr(r.last_error, "art1.lua"));
    assert_int_equal(custos_engine_generation(eng), 2);
    assert_int_equal(decide_use(eng), CUSTOS_DENY); /* the last good set still decides */

    edit_article(&s, "rule = = function", "rule = function");
    wait_reloads(&r, 3);
    assert_int_equal(r.ok, 2);
    assert_int_equal(custos_engine_generation(eng), 3);

    /* a data document replaced by renaming a new one over it (as deploys do) */
    char fresh[450];
    snprintf(fresh, sizeof fresh, "%s.new", s.data);
    FILE *f = fopen(fresh, "w");
    assert_non_null(f);
    fputs("notes: {a: {text: two}}\n", f);
    fclose(f);
    assert_int_equal(rename(fresh, s.data), 0);
    wait_reloads(&r, 4);
    assert_int_equal(r.ok, 3);
    assert_int_equal(custos_engine_generation(eng), 4);

    custos_engine_unwatch(w);
    /* stopped: an edit is no longer picked up */
    edit_article(&s, "req.action == \"read\"", "req.action == \"use\"");
    sleep_ms(2 * DEBOUNCE_MS);
    assert_int_equal(reload_count(&r), 4);
    assert_int_equal(decide_use(eng), CUSTOS_DENY);
    custos_engine_close(eng);
    scratch_remove(&s);
}

/* Twenty writes in a row, each one a complete rule, end in one reload once they are quiet. */
static void test_a_burst_of_writes_is_one_reload(void **state) {
    (void)state;
    scratch s;
    scratch_make(&s);
    custos_engine *eng = open_scratch(&s);
    reloads r = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, "", 0};
    custos_watch_options opts = {DEBOUNCE_MS};
    custos_watch *w = NULL;
    assert_int_equal(custos_engine_watch(eng, &opts, on_reload, &r, &w, NULL), CUSTOS_OK);
    for (int i = 0; i < 20; i++) {
        if (i % 2 == 0)
            edit_article(&s, "req.action == \"use\"", "req.action == \"read\"");
        else
            edit_article(&s, "req.action == \"read\"", "req.action == \"use\"");
    }
    wait_reloads(&r, 1);
    sleep_ms(3 * DEBOUNCE_MS); /* room for a second reload, had the burst not been merged */
    assert_int_equal(reload_count(&r), 1);
    assert_int_equal(r.ok, 1);
    assert_int_equal(custos_engine_generation(eng), 2);
    assert_int_equal(decide_use(eng), CUSTOS_PERMIT); /* the last write: "use" */
    custos_engine_unwatch(w);
    custos_engine_unwatch(NULL);
    custos_engine_close(eng);
    scratch_remove(&s);
}

static void test_watch_arguments(void **state) {
    (void)state;
    custos_watch *w = (custos_watch *)&w;
    custos_error err;
    assert_int_equal(custos_engine_watch(NULL, NULL, NULL, NULL, &w, &err), CUSTOS_E_ARGUMENT);
    assert_null(w);
    assert_non_null(strstr(err.message, "custos_engine_watch"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_watch_arguments),
        cmocka_unit_test(test_an_unwatched_engine_serves_what_it_loaded),
        cmocka_unit_test(test_a_watched_engine_follows_good_edits_and_refuses_bad_ones),
        cmocka_unit_test(test_a_burst_of_writes_is_one_reload),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
