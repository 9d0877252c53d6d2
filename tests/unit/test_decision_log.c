/*
 * test_decision_log.c — the decision log and the policy set's revision, attacked: every
 * one-byte change of a log, records deleted, inserted, moved, cut off behind an anchor, a torn
 * last line, a chain rewritten without the signing key, a disk that refuses the write (the
 * decision must fail closed); threads deciding at once (one chain, every record, ids in order);
 * the revision following the bytes loaded.
 */
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_support.h"

#define REQUEST                                                                                    \
    "{subject: {id: alice}, action: use, resource: {entrusted: true}, context: {time: "            \
    "\"2026-11-22T10:00:00+08:00\"}}"

static char dir[256];

static int setup(void **state) {
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/custos-log-XXXXXX");
    assert_non_null(mkdtemp(dir));
    return 0;
}

static int teardown(void **state) {
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *tmp(const char *name) {
    static char paths[4][300];
    static int next;
    char *p = paths[next++ % 4];
    snprintf(p, 300, "%s/%s", dir, name);
    return p;
}

static custos_engine *basic_engine(void) {
    return open_engine("tests/fixtures/basic", "tests/fixtures/data/basic.yaml");
}

/* Decides n times on eng with log attached. */
static void decide_logged(custos_engine *eng, custos_log *log, int n) {
    custos_request *req = parse_request(REQUEST);
    custos_decision *d;
    custos_decision_new(&d);
    custos_engine_set_log(eng, log);
    for (int i = 0; i < n; i++) {
        custos_error err;
        if (custos_decide(eng, req, 0, d, &err) != CUSTOS_OK) fail_msg("decide: %s", err.message);
    }
    custos_engine_set_log(eng, NULL);
    custos_decision_free(d);
    custos_request_free(req);
}

/* Writes a log of n records at path; returns its head in head (may be NULL). */
static void make_log(const char *path, const custos_log_options *opt, int n, char *head) {
    custos_engine *eng = basic_engine();
    custos_log *log;
    custos_error err;
    if (custos_log_open(path, opt, &log, &err) != CUSTOS_OK) fail_msg("open: %s", err.message);
    decide_logged(eng, log, n);
    if (head) assert_int_equal(custos_log_head(log, head), CUSTOS_OK);
    custos_log_close(log);
    custos_engine_close(eng);
}

static custos_log_report verify(const char *const *paths, size_t n, const char *after,
                                const char *head, const char *key) {
    custos_log_report rep;
    custos_error err;
    if (custos_log_verify(paths, n, after, head, key, &rep, &err) != CUSTOS_OK)
        fail_msg("verify: %s", err.message);
    return rep;
}

static custos_log_report verify_one(const char *path) {
    const char *paths[] = {path};
    return verify(paths, 1, NULL, NULL, NULL);
}

/* The lines of a file (malloc'd copies). */
static size_t split_lines(const char *text, char **lines, size_t max) {
    size_t n = 0;
    for (const char *p = text; *p && n < max;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) + 1 : strlen(p);
        lines[n] = strndup(p, len);
        n++;
        p += len;
    }
    return n;
}

static void join_lines(const char *path, char **lines, const size_t *order, size_t n) {
    FILE *f = fopen(path, "wb");
    for (size_t i = 0; i < n; i++) fputs(lines[order[i]], f);
    fclose(f);
}

/* ---- the chain ------------------------------------------------------------------------------ */

static void test_chain_verifies(void **state) {
    (void)state;
    char head[CUSTOS_DIGEST_SIZE];
    make_log(tmp("a.jsonl"), NULL, 5, head);
    custos_log_report rep = verify_one(tmp("a.jsonl"));
    assert_int_equal(rep.verdict, CUSTOS_LOG_INTACT);
    assert_int_equal(rep.records, 5);
    assert_string_equal(rep.head, head);
    assert_string_equal(rep.start, "sha256:0000000000000000000000000000000000000000000000000000000"
                                   "000000000");
    /* a second open continues the same chain */
    make_log(tmp("a.jsonl"), NULL, 2, NULL);
    rep = verify_one(tmp("a.jsonl"));
    assert_int_equal(rep.verdict, CUSTOS_LOG_INTACT);
    assert_int_equal(rep.records, 7);
}

/* Every byte of a small log, changed, is detected: a changed record at its own line; the last
 * byte (the final end of line) turns into a torn last line. */
static void test_every_byte_flip_detected(void **state) {
    (void)state;
    make_log(tmp("flip.jsonl"), NULL, 3, NULL);
    size_t len;
    char *text = read_whole_file(tmp("flip.jsonl"), &len);
    const char *copy = tmp("flipped.jsonl");
    unsigned line = 1;
    for (size_t i = 0; i < len; i++) {
        for (int bit = 0; bit < 8; bit += 7) { /* low and high bit: ASCII and beyond */
            text[i] ^= (char)(1 << bit);
            write_whole_file(copy, text, len);
            text[i] ^= (char)(1 << bit);
            custos_log_report rep = verify_one(copy);
            if (i == len - 1) {
                assert_int_equal(rep.verdict, CUSTOS_LOG_TORN);
                continue;
            }
            if (rep.verdict != CUSTOS_LOG_TAMPERED)
                fail_msg("byte %zu (bit %d) changed: verdict %d", i, bit, rep.verdict);
            assert_int_equal(rep.line, line);
        }
        if (text[i] == '\n') line++;
    }
    free(text);
}

static void test_deletion_insertion_reordering(void **state) {
    (void)state;
    make_log(tmp("d.jsonl"), NULL, 4, NULL);
    size_t len;
    char *text = read_whole_file(tmp("d.jsonl"), &len);
    char *lines[8];
    assert_int_equal(split_lines(text, lines, 8), 4);
    const char *out = tmp("d2.jsonl");
    static const struct {
        size_t order[5], n;
        unsigned bad_line;
    } cases[] = {
        {{0, 2, 3}, 3, 2},       /* the second record deleted */
        {{1, 2, 3}, 3, 1},       /* the first deleted: the chain no longer starts */
        {{0, 1, 1, 2, 3}, 5, 3}, /* a record inserted (a copy) */
        {{0, 2, 1, 3}, 4, 2},    /* two records swapped */
        {{0, 1, 3}, 3, 3},       /* the third deleted */
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        join_lines(out, lines, cases[c].order, cases[c].n);
        custos_log_report rep = verify_one(out);
        assert_int_equal(rep.verdict, CUSTOS_LOG_TAMPERED);
        assert_int_equal(rep.line, cases[c].bad_line);
    }
    for (int i = 0; i < 4; i++) free(lines[i]);
    free(text);
}

/* Cutting the last records off leaves an intact chain: only an anchor kept elsewhere shows it. */
static void test_truncation_needs_the_anchor(void **state) {
    (void)state;
    char head[CUSTOS_DIGEST_SIZE];
    make_log(tmp("t.jsonl"), NULL, 4, head);
    const char *paths[] = {tmp("t.jsonl")};
    assert_int_equal(verify(paths, 1, NULL, head, NULL).verdict, CUSTOS_LOG_INTACT);
    size_t len;
    char *text = read_whole_file(tmp("t.jsonl"), &len);
    char *lines[8];
    split_lines(text, lines, 8);
    size_t order[] = {0, 1};
    join_lines(tmp("t.jsonl"), lines, order, 2);
    assert_int_equal(verify(paths, 1, NULL, NULL, NULL).verdict, CUSTOS_LOG_INTACT);
    assert_int_equal(verify(paths, 1, NULL, head, NULL).verdict, CUSTOS_LOG_TRUNCATED);
    for (int i = 0; i < 4; i++) free(lines[i]);
    free(text);
}

/* A last line cut short is torn, not tampering; the next open cuts it, records what it cut and
 * continues the chain. */
static void test_torn_tail_recovered(void **state) {
    (void)state;
    make_log(tmp("torn.jsonl"), NULL, 2, NULL);
    size_t len;
    char *text = read_whole_file(tmp("torn.jsonl"), &len);
    char *lines[4];
    split_lines(text, lines, 4);
    FILE *f = fopen(tmp("torn.jsonl"), "ab");
    fwrite(lines[1], 1, 100, f); /* the start of a record, as a crash leaves it */
    fclose(f);
    custos_log_report rep = verify_one(tmp("torn.jsonl"));
    assert_int_equal(rep.verdict, CUSTOS_LOG_TORN);
    assert_int_equal(rep.line, 3);
    assert_int_equal(rep.records, 2);
    make_log(tmp("torn.jsonl"), NULL, 1, NULL);
    rep = verify_one(tmp("torn.jsonl"));
    assert_int_equal(rep.verdict, CUSTOS_LOG_INTACT);
    assert_int_equal(rep.records, 4); /* two, the recovery, one more */
    free(text);
    text = read_whole_file(tmp("torn.jsonl"), &len);
    const char *recovery = strstr(text, "\"type\":\"recovery\"");
    assert_non_null(recovery);
    assert_non_null(strstr(recovery, "\"cut_line\":3,\"cut_bytes\":100,"));
    for (int i = 0; i < 2; i++) free(lines[i]);
    free(text);
}

static void test_rotation_keeps_the_chain(void **state) {
    (void)state;
    custos_engine *eng = basic_engine();
    custos_log *log;
    custos_error err;
    assert_int_equal(custos_log_open(tmp("r1.jsonl"), NULL, &log, &err), CUSTOS_OK);
    decide_logged(eng, log, 2);
    char first_head[CUSTOS_DIGEST_SIZE];
    custos_log_head(log, first_head);
    /* only into an empty file */
    assert_int_equal(custos_log_rotate(log, tmp("r1.jsonl"), &err), CUSTOS_E_ARGUMENT);
    assert_int_equal(custos_log_rotate(log, tmp("r2.jsonl"), &err), CUSTOS_OK);
    decide_logged(eng, log, 2);
    custos_log_close(log);
    custos_engine_close(eng);
    const char *both[] = {tmp("r1.jsonl"), tmp("r2.jsonl")};
    custos_log_report rep = verify(both, 2, NULL, NULL, NULL);
    assert_int_equal(rep.verdict, CUSTOS_LOG_INTACT);
    assert_int_equal(rep.records, 4);
    const char *second[] = {tmp("r2.jsonl")};
    assert_int_equal(verify(second, 1, NULL, NULL, NULL).verdict, CUSTOS_LOG_TAMPERED);
    assert_int_equal(verify(second, 1, first_head, NULL, NULL).verdict, CUSTOS_LOG_INTACT);
    const char *swapped[] = {tmp("r2.jsonl"), tmp("r1.jsonl")};
    assert_int_equal(verify(swapped, 2, NULL, NULL, NULL).verdict, CUSTOS_LOG_TAMPERED);
}

/* A log is continued only after a record: a last line that is not one is refused with its line
 * (appending would chain onto something no verifier accepts); a folder is not a log. */
static void test_open_refuses_what_is_not_a_log(void **state) {
    (void)state;
    make_log(tmp("g.jsonl"), NULL, 2, NULL);
    FILE *f = fopen(tmp("g.jsonl"), "ab");
    fputs("{\"not\":\"a record\"}\n", f);
    fclose(f);
    custos_log *log = NULL;
    custos_error err;
    assert_int_equal(custos_log_open(tmp("g.jsonl"), NULL, &log, &err), CUSTOS_E_INPUT);
    assert_null(log);
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.file, "g.jsonl"));
    assert_non_null(strstr(err.message, "not a log record"));
    assert_int_not_equal(custos_log_open(dir, NULL, &log, &err), CUSTOS_OK);
    assert_null(log);
    custos_log_options bad = {(custos_log_sync)7, 0, NULL, 0, NULL, 0};
    assert_int_equal(custos_log_open(tmp("h.jsonl"), &bad, &log, &err), CUSTOS_E_ARGUMENT);
}

/* ---- checkpoints ------------------------------------------------------------------------------ */

/* Rewrites every record's prev and hash from the first changed one on, as someone who can write
 * the file but holds no key would. */
static void rechain(char *text) {
    char prev[CUSTOS_DIGEST_SIZE] = "sha256:0000000000000000000000000000000000000000000000000000"
                                    "000000000000";
    for (char *line = text, *nl; (nl = strchr(line, '\n')); line = nl + 1) {
        char *p = strstr(line, ",\"prev\":\"sha256:");
        assert_true(p && p < nl);
        memcpy(p + 9, prev, CUSTOS_DIGEST_SIZE - 1);
        size_t body = (size_t)(nl - line) - 82;
        char *closed = strndup(line, body + 1);
        closed[body] = '}';
        unsigned char digest[32];
        crypto_hash_sha256(digest, (unsigned char *)closed, body + 1);
        free(closed);
        memcpy(prev, "sha256:", 7);
        sodium_bin2hex(prev + 7, 65, digest, 32);
        memcpy(line + body + 9, prev, CUSTOS_DIGEST_SIZE - 1);
    }
}

static void test_signed_checkpoints(void **state) {
    (void)state;
    assert_true(sodium_init() >= 0);
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    crypto_sign_keypair(pk, sk);
    char pk_hex[65], other_hex[65];
    sodium_bin2hex(pk_hex, sizeof pk_hex, pk, sizeof pk);
    unsigned char other_pk[crypto_sign_PUBLICKEYBYTES], other_sk[crypto_sign_SECRETKEYBYTES];
    crypto_sign_keypair(other_pk, other_sk);
    sodium_bin2hex(other_hex, sizeof other_hex, other_pk, sizeof other_pk);
    custos_log_options opt = {CUSTOS_LOG_FSYNC_EACH, 0, NULL, 0, sk, 2};
    make_log(tmp("s.jsonl"), &opt, 5, NULL);
    const char *paths[] = {tmp("s.jsonl")};
    custos_log_report rep = verify(paths, 1, NULL, NULL, pk_hex);
    assert_int_equal(rep.verdict, CUSTOS_LOG_INTACT);
    assert_int_equal(rep.checkpoints, 3); /* after 2, after 4, at close */
    assert_int_equal(rep.after_checkpoint, 0);
    assert_int_equal(verify(paths, 1, NULL, NULL, other_hex).verdict, CUSTOS_LOG_TAMPERED);
    /* the attack: a decision's effect changed and the whole chain recomputed without the key */
    size_t len;
    char *text = read_whole_file(tmp("s.jsonl"), &len);
    char *effect = strstr(text, "\"effect\":\"");
    assert_non_null(effect);
    effect[10] = effect[10] == 'p' ? 'q' : 'p';
    rechain(text);
    write_whole_file(tmp("s.jsonl"), text, len);
    assert_int_equal(verify(paths, 1, NULL, NULL, NULL).verdict, CUSTOS_LOG_INTACT);
    rep = verify(paths, 1, NULL, NULL, pk_hex);
    assert_int_equal(rep.verdict, CUSTOS_LOG_TAMPERED);
    assert_int_equal(rep.line, 3); /* the first checkpoint no longer signs its head */
    free(text);
}

/* ---- what a record holds ------------------------------------------------------------------------ */

static void test_redacted_fields_are_digests(void **state) {
    (void)state;
    const char *redact[] = {"subject"};
    custos_log_options opt = {CUSTOS_LOG_BATCHED, 0, redact, 1, NULL, 0};
    make_log(tmp("x.jsonl"), &opt, 1, NULL);
    size_t len;
    char *text = read_whole_file(tmp("x.jsonl"), &len);
    char digest[CUSTOS_DIGEST_SIZE], member[128];
    custos_digest("alice", 5, digest);
    snprintf(member, sizeof member, "\"subject.id\":\"%s\"", digest);
    assert_non_null(strstr(text, member));
    assert_null(strstr(text, "alice"));
    assert_non_null(strstr(text, "\"action\":\"use\""));
    assert_non_null(strstr(text, "\"request_time\":\"2026-11-22T10:00:00+08:00\""));
    char revision[CUSTOS_DIGEST_SIZE + 16];
    custos_engine *eng = basic_engine();
    char rev[CUSTOS_DIGEST_SIZE];
    custos_engine_revision(eng, rev);
    snprintf(revision, sizeof revision, "\"revision\":\"%s\"", rev);
    assert_non_null(strstr(text, revision));
    custos_engine_close(eng);
    free(text);
}

/* A record that cannot be written: the decision becomes a deny saying so, and the caller hears
 * CUSTOS_E_IO; nothing later is appended after a partial write. */
static void test_unwritable_log_fails_closed(void **state) {
    (void)state;
    custos_engine *eng = basic_engine();
    custos_log *log;
    custos_error err;
    assert_int_equal(custos_log_open(tmp("full.jsonl"), NULL, &log, &err), CUSTOS_OK);
    custos_request *req = parse_request(REQUEST);
    custos_decision *d;
    custos_decision_new(&d);
    custos_engine_set_log(eng, log);
    assert_int_equal(custos_decide(eng, req, 0, d, &err), CUSTOS_OK);
    assert_int_equal(custos_decision_effect(d), CUSTOS_PERMIT);
    /* the disk is "full": the file may not grow */
    struct rlimit old, small;
    getrlimit(RLIMIT_FSIZE, &old);
    small = old;
    small.rlim_cur = 10;
    signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
    custos_status st = custos_decide(eng, req, 0, d, &err);
    setrlimit(RLIMIT_FSIZE, &old);
    assert_int_equal(st, CUSTOS_E_IO);
    assert_int_equal(custos_decision_effect(d), CUSTOS_DENY);
    assert_int_equal(custos_decision_error_count(d), 1);
    assert_non_null(strstr(err.message, "decision log"));
    /* sticky: the next decision is refused too */
    assert_int_equal(custos_decide(eng, req, 0, d, &err), CUSTOS_E_IO);
    assert_int_equal(custos_decision_effect(d), CUSTOS_DENY);
    custos_engine_set_log(eng, NULL);
    custos_log_close(log);
    custos_decision_free(d);
    custos_request_free(req);
    custos_engine_close(eng);
    assert_int_equal(verify_one(tmp("full.jsonl")).records, 1);
}

/* ---- threads ---------------------------------------------------------------------------------- */

#define THREADS 4
#define PER_THREAD 300

typedef struct thread_job {
    custos_engine *eng;
    int failures;
} thread_job;

static void *decide_many(void *arg) {
    thread_job *job = arg;
    custos_request *req = parse_request(REQUEST);
    custos_decision *d;
    custos_decision_new(&d);
    for (int i = 0; i < PER_THREAD; i++)
        if (custos_decide(job->eng, req, 0, d, NULL) != CUSTOS_OK) job->failures++;
    custos_decision_free(d);
    custos_request_free(req);
    return NULL;
}

static void run_threads(custos_log_sync sync, const char *name) {
    custos_engine *eng = basic_engine();
    custos_log *log;
    custos_error err;
    custos_log_options opt = {sync, 5, NULL, 0, NULL, 0};
    assert_int_equal(custos_log_open(tmp(name), &opt, &log, &err), CUSTOS_OK);
    custos_engine_set_log(eng, log);
    pthread_t t[THREADS];
    thread_job jobs[THREADS];
    for (int i = 0; i < THREADS; i++) {
        jobs[i] = (thread_job){eng, 0};
        pthread_create(&t[i], NULL, decide_many, &jobs[i]);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(jobs[i].failures, 0);
    }
    custos_engine_set_log(eng, NULL);
    custos_log_close(log);
    custos_engine_close(eng);
    custos_log_report rep = verify_one(tmp(name));
    assert_int_equal(rep.verdict, CUSTOS_LOG_INTACT);
    assert_int_equal(rep.records, THREADS * PER_THREAD);
    /* ids are time-ordered in the chain's order */
    size_t len;
    char *text = read_whole_file(tmp(name), &len);
    char last[37] = "";
    static const char start[] = "{\"v\":1,\"id\":\"";
    for (char *p = text; (p = strstr(p, start)); p += sizeof start - 1) {
        char id[37];
        memcpy(id, p + sizeof start - 1, 36);
        id[36] = '\0';
        assert_true(id[14] == '7'); /* UUID version 7 */
        assert_true(strcmp(last, id) < 0);
        memcpy(last, id, sizeof id);
    }
    free(text);
}

static void test_threads_one_chain_batched(void **state) {
    (void)state;
    run_threads(CUSTOS_LOG_BATCHED, "threads-batched.jsonl");
}

static void test_threads_one_chain_fsync(void **state) {
    (void)state;
    run_threads(CUSTOS_LOG_FSYNC_EACH, "threads-fsync.jsonl");
}

/* ---- the revision ------------------------------------------------------------------------------ */

static void copy_file(const char *from, const char *to) {
    size_t len;
    char *text = read_whole_file(from, &len);
    write_whole_file(to, text, len);
    free(text);
}

static void revision_of(const char *policies, const char *data, char *out) {
    custos_config *cfg;
    custos_config_new(&cfg);
    custos_config_add_policies(cfg, policies);
    custos_config_add_data(cfg, data);
    custos_engine *eng;
    custos_error err;
    if (custos_engine_open(cfg, &eng, &err) != CUSTOS_OK) fail_msg("open: %s", err.message);
    custos_config_free(cfg);
    assert_int_equal(custos_engine_revision(eng, out), CUSTOS_OK);
    custos_policies *p;
    custos_engine_policies(eng, &p);
    assert_string_equal(custos_policies_revision(p), out);
    custos_policies_free(p);
    custos_engine_close(eng);
}

static void test_revision_follows_the_bytes(void **state) {
    (void)state;
    char src[1024], data[300], a[CUSTOS_DIGEST_SIZE], b[CUSTOS_DIGEST_SIZE], c[CUSTOS_DIGEST_SIZE],
        d[CUSTOS_DIGEST_SIZE];
    source_path(src, sizeof src, "tests/fixtures/data/basic.yaml");
    snprintf(data, sizeof data, "%s/basic.yaml", dir);
    copy_file(src, data);
    source_path(src, sizeof src, "tests/fixtures/basic");
    revision_of(src, data, a);
    assert_int_equal(strlen(a), CUSTOS_DIGEST_SIZE - 1);
    assert_memory_equal(a, "sha256:", 7);
    /* the same bytes elsewhere: the same revision */
    char other_dir[300], other[330];
    snprintf(other_dir, sizeof other_dir, "%s/elsewhere", dir);
    mkdir(other_dir, 0700);
    snprintf(other, sizeof other, "%s/basic.yaml", other_dir);
    copy_file(data, other);
    revision_of(src, other, b);
    assert_string_equal(a, b);
    /* one byte more in a data document: another revision */
    FILE *f = fopen(data, "ab");
    fputs("\n", f);
    fclose(f);
    revision_of(src, data, c);
    assert_string_not_equal(a, c);
    /* and a reload publishes it */
    custos_config *cfg;
    custos_config_new(&cfg);
    custos_config_add_policies(cfg, src);
    custos_config_add_data(cfg, other);
    custos_engine *eng;
    assert_int_equal(custos_engine_open(cfg, &eng, NULL), CUSTOS_OK);
    custos_engine_revision(eng, d);
    assert_string_equal(d, a);
    f = fopen(other, "ab");
    fputs("\n", f);
    fclose(f);
    assert_int_equal(custos_engine_reload(eng, NULL, NULL), CUSTOS_OK);
    custos_engine_revision(eng, d);
    assert_string_equal(d, c);
    custos_engine_close(eng);
    custos_config_free(cfg);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_chain_verifies, setup, teardown),
        cmocka_unit_test_setup_teardown(test_every_byte_flip_detected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deletion_insertion_reordering, setup, teardown),
        cmocka_unit_test_setup_teardown(test_truncation_needs_the_anchor, setup, teardown),
        cmocka_unit_test_setup_teardown(test_torn_tail_recovered, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rotation_keeps_the_chain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_refuses_what_is_not_a_log, setup, teardown),
        cmocka_unit_test_setup_teardown(test_signed_checkpoints, setup, teardown),
        cmocka_unit_test_setup_teardown(test_redacted_fields_are_digests, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unwritable_log_fails_closed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_threads_one_chain_batched, setup, teardown),
        cmocka_unit_test_setup_teardown(test_threads_one_chain_fsync, setup, teardown),
        cmocka_unit_test_setup_teardown(test_revision_follows_the_bytes, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
