/*
 * oom_sweep.c — fails allocations at every call site of a host's life with libcustos and checks
 * that the library keeps its promises (tests/oom/README.md).
 *
 * A scenario opens an engine on the repository's policies and example data, builds requests,
 * decides (the thread's evaluator built, warm, on a fresh thread, after a reload), reloads,
 * evaluates REPL code, takes a snapshot of the policies, writes JSON and frees everything, in
 * that order; each step is a phase.  A counting run numbers every allocation of each phase and
 * names its call site (oom_inject.h).
 * Then, for each distinct (phase, call site), three cases fail its first allocation: that one
 * alone, a run of three, and all from there on; a fourth its last allocation alone, when it
 * allocates more than once.  Every case runs in its own forked process
 * and must end with no crash, no abort, no hang and no leaked block; every call that fails says
 * CUSTOS_E_NOMEM with "out of memory"; a decision is either exactly the one made without
 * failures or a deny listing an "out of memory" error — never a permit or a not applicable it
 * would not have given.
 *
 * oom_sweep [--sample N] [--jobs J] [--phase NAME] [--case PHASE:FIRST:RUN]... [--list]
 *           [--self-test] [--verbose]
 *   --sample N  run N cases spread evenly over all of them (default: all)
 *   --phase P   only the call sites of phase P
 *   --case      only this case: fail allocations FIRST .. FIRST+RUN-1 of PHASE (RUN 0: all
 *               from FIRST on), e.g. decide-thread:0:0 (a thread's evaluator built with no
 *               memory left)
 *   --list      the call sites per phase, and no case
 *   --self-test plants faults in the scenario (a leak, an abort, a hang, a silent not
 *               applicable, out of memory called a policy error): each must be reported
 */
#define _GNU_SOURCE
#include <errno.h>
#include <execinfo.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__) /* gcc */
#define OOM_UNDER_ASAN 1
#elif defined(__has_feature) /* clang */
#if __has_feature(address_sanitizer)
#define OOM_UNDER_ASAN 1
#endif
#endif
#ifdef OOM_UNDER_ASAN
#include <sanitizer/lsan_interface.h>
#endif

#include "custos.h"
#include "oom_inject.h"

enum {
    P_OPEN,
    P_REQUEST,
    P_DECIDE,
    P_DECIDE_WARM,
    P_DECIDE_THREAD,
    P_RELOAD,
    P_DECIDE_RELOADED,
    P_EVAL,
    P_POLICIES,
    P_JSON,
    P_FREE,
    PHASES
};
static const char *const phase_names[PHASES] = {
    "open", "request",  "decide", "decide-warm", "decide-thread", "reload", "decide-reloaded",
    "eval", "policies", "json",   "free"};

static unsigned case_seconds = 60; /* a case running longer hangs (ASan builds are slow) */

/* --self-test: faults planted in the scenario, each of which the sweep must report. */
enum {
    SABOTAGE_NONE,
    SABOTAGE_LEAK,
    SABOTAGE_ABORT,
    SABOTAGE_HANG,
    SABOTAGE_NOT_APPLICABLE,
    SABOTAGE_MISLABEL,
    SABOTAGES
};
static const char *const sabotage_names[SABOTAGES] = {
    "none",   "a leaked block",          "an abort",
    "a hang", "a silent not applicable", "out of memory reported as a policy error"};
static int sabotage;
#define VIOLATION_EXIT 3

/* ---- what a run does ---------------------------------------------------------------------- */

typedef struct plan {
    int phase; /* the phase to fail allocations in; -1: none */
    bool count_all;
    uint64_t first, run;
} plan;

static const plan *current_plan;
static int numbered_phase = -1;

/* What the scenario decides and prints without failures (the warm-up run fills it). */
typedef struct baseline {
    char *deny_json, *permit_json, *explained_json, *set_json, *eval_text, *deny_request_json;
    size_t policy_counts[4]; /* regimes, libraries, fields, diagnostics */
} baseline;
static baseline expected;
static bool warming_up;

static char source_dir[1024];
static char *deny_yaml, *permit_yaml;
static size_t deny_len, permit_len;
static const char *permit_name = "permit.yaml";
static const char *const data_files[] = {"contracts.yaml", "cooperations.yaml", "evaluations.yaml",
                                         "gz-extra.yaml",  "holidays.yaml",     "providers.yaml",
                                         "purposes.yaml",  "subjects.yaml"};
#define EVAL_CODE "string.rep(req.action, 2) .. ' ' .. req.subject.id"

static bool violated;

static void violation(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "  violation in %s: ",
            current_plan->phase >= 0 ? phase_names[current_plan->phase] : "warm-up");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    violated = true;
}

static void begin(int phase) {
    const plan *p = current_plan;
    if (!p->count_all && p->phase != phase) return;
    numbered_phase = phase;
    oom_begin_phase();
    if (!p->count_all) oom_arm(p->first, p->run);
}

static void end(int phase) {
    if (numbered_phase != phase) return;
    oom_end_phase();
    numbered_phase = -1;
}

/* A call that failed must say it ran out of memory. */
static void expect_nomem(const char *call, custos_status st, const custos_error *err) {
    if (st != CUSTOS_E_NOMEM)
        violation("%s returned %s (%s), expected nomem", call, custos_status_name(st),
                  err ? err->message : "");
    else if (err && !strstr(err->message, "out of memory"))
        violation("%s returned nomem saying \"%s\", expected \"out of memory\"", call,
                  err->message);
}

static bool mentions_nomem(const custos_decision *d) {
    for (size_t i = 0; i < custos_decision_error_count(d); i++) {
        custos_policy_error e;
        if (custos_decision_error(d, i, &e) == CUSTOS_OK && strstr(e.message, "out of memory"))
            return true;
    }
    return false;
}

/* Replaces *slot (a baseline) by a copy of s. */
static void keep_text(char **slot, const char *s) {
    char *copy = s ? strdup(s) : NULL;
    if (s && !copy) abort();
    free(*slot);
    *slot = copy;
}

/* A decision made while allocations may have failed: the one made without failures, or a
 * deny (status ok with an "out of memory" error, or nomem) — never anything else. */
static void check_decision(const char *what, custos_status st, custos_decision *d,
                           const custos_error *err, char **baseline_json) {
    if (warming_up) {
        const char *json = NULL;
        if (st != CUSTOS_OK || custos_decision_json(d, &json) != CUSTOS_OK) {
            violation("%s: %s without failures: %s", what, custos_status_name(st), err->message);
            return;
        }
        keep_text(baseline_json, json);
        return;
    }
    if (st != CUSTOS_OK) {
        expect_nomem(what, st, err);
        if (custos_decision_effect(d) != CUSTOS_DENY)
            violation("%s failed (%s) and the decision reads %s, expected deny", what,
                      custos_status_name(st), custos_effect_name(custos_decision_effect(d)));
        return;
    }
    if (custos_decision_error_count(d) > 0) {
        if (custos_decision_effect(d) != CUSTOS_DENY)
            violation("%s: a decision with errors reads %s", what,
                      custos_effect_name(custos_decision_effect(d)));
        if (!mentions_nomem(d)) {
            custos_policy_error e;
            custos_decision_error(d, 0, &e);
            violation("%s: a decision's errors do not say out of memory: \"%s\"", what, e.message);
        }
        return;
    }
    const char *json = NULL;
    custos_status js = custos_decision_json(d, &json);
    if (js != CUSTOS_OK)
        violation("%s: custos_decision_json %s without injection", what, custos_status_name(js));
    else if (strcmp(json, *baseline_json) != 0)
        violation("%s: the decision differs from the one made without failures, with no error:\n"
                  "    got      %s\n    expected %s",
                  what, json, *baseline_json);
}

typedef struct worker {
    custos_engine *eng;
    custos_request *req;
    custos_decision *d;
    custos_error err;
    custos_status st;
    sem_t ready, go, done;
} worker;

static void *worker_main(void *arg) {
    worker *w = arg;
    sem_post(&w->ready); /* the thread's own start (ASan's, libc's) is over: not in the phase */
    sem_wait(&w->go);
    w->st = custos_decide(w->eng, w->req, 0, w->d, &w->err);
    sem_post(&w->done);
    return NULL;
}

/* The life of a host, phase by phase; returns early (freeing everything) after a failure the
 * host would not go on from. */
static void scenario(void) {
    custos_error err = {0};
    custos_config *cfg = NULL;
    custos_engine *eng = NULL;
    custos_request *req_deny = NULL, *req_permit = NULL, *req_set = NULL;
    custos_decision *d = NULL, *d_thread = NULL;
    custos_status st;
    char path[2048];

    begin(P_OPEN);
    st = custos_config_new(&cfg);
    snprintf(path, sizeof path, "%s/policies", source_dir);
    if (!st) st = custos_config_add_policies(cfg, path);
    for (size_t i = 0; !st && i < sizeof data_files / sizeof *data_files; i++) {
        snprintf(path, sizeof path, "%s/examples/data/%s", source_dir, data_files[i]);
        st = custos_config_add_data(cfg, path);
    }
    if (st) {
        end(P_OPEN);
        expect_nomem("custos_config_*", st, NULL);
        goto out;
    }
    st = custos_engine_open(cfg, &eng, &err);
    end(P_OPEN);
    if (st) {
        expect_nomem("custos_engine_open", st, &err);
        goto out;
    }

    begin(P_REQUEST);
    st = custos_request_new(&req_deny);
    if (!st) st = custos_request_parse(req_deny, deny_yaml, deny_len, "deny.yaml", &err);
    if (!st) st = custos_request_new(&req_permit);
    if (!st) st = custos_request_parse(req_permit, permit_yaml, permit_len, permit_name, &err);
    if (!st) st = custos_request_new(&req_set);
    if (!st) st = custos_request_set_string(req_set, "subject.id", "alice", &err);
    if (!st) st = custos_request_set_string(req_set, "action", "use", &err);
    if (!st) st = custos_request_set_bool(req_set, "resource.entrusted", true, &err);
    if (!st) st = custos_request_set_integer(req_set, "resource.size", 12, &err);
    if (!st) st = custos_request_set_number(req_set, "resource.score", 1.5, &err);
    if (!st) st = custos_request_append_string(req_set, "resource.tags", "q3", &err);
    if (!st) st = custos_request_append_string(req_set, "resource.tags", "orders", &err);
    if (!st) st = custos_request_set_time(req_set, 1795000000, 480, &err);
    end(P_REQUEST);
    if (st) {
        expect_nomem("building a request", st,
                     st == CUSTOS_E_NOMEM && !err.message[0] ? NULL : &err);
        goto out;
    }
    if (custos_decision_new(&d) || custos_decision_new(&d_thread)) {
        violation("custos_decision_new failed without injection");
        goto out;
    }

    begin(P_DECIDE); /* builds this thread's evaluator */
    st = custos_decide(eng, req_deny, 0, d, &err);
    end(P_DECIDE);
    if (sabotage == SABOTAGE_ABORT) abort();
    if (sabotage == SABOTAGE_HANG) pause();
    if (sabotage == SABOTAGE_NOT_APPLICABLE) { /* an empty decision, "made" with no error */
        custos_decision_free(d);
        custos_decision_new(&d);
        custos_request *empty;
        custos_request_new(&empty);
        custos_request_set_time(empty, 1795000000, 480, NULL);
        st = custos_decide(eng, empty, 0, d, &err);
        custos_request_free(empty);
    }
    if (sabotage == SABOTAGE_MISLABEL) expect_nomem("a sabotaged call", CUSTOS_E_POLICY, &err);
    if (sabotage == SABOTAGE_LEAK) {
        void *volatile block = malloc(16); /* volatile: a compiler may drop an unused malloc */
        if (!block) abort();
    }
    check_decision("decide (building the evaluator)", st, d, &err, &expected.deny_json);

    begin(P_DECIDE_WARM);
    st = custos_decide(eng, req_deny, 0, d, &err);
    end(P_DECIDE_WARM);
    check_decision("decide (warm)", st, d, &err, &expected.deny_json);
    begin(P_DECIDE_WARM);
    st = custos_decide(eng, req_permit, CUSTOS_DECIDE_EXPLAIN | CUSTOS_DECIDE_COVERAGE, d, &err);
    end(P_DECIDE_WARM);
    check_decision("decide (warm, explained, covered)", st, d, &err, &expected.permit_json);

    worker w = {.eng = eng, .req = req_deny, .d = d_thread};
    sem_init(&w.ready, 0, 0);
    sem_init(&w.go, 0, 0);
    sem_init(&w.done, 0, 0);
    pthread_t thread;
    if (pthread_create(&thread, NULL, worker_main, &w) != 0) {
        violation("pthread_create failed without injection");
        goto out;
    }
    sem_wait(&w.ready);
    begin(P_DECIDE_THREAD);
    sem_post(&w.go);
    sem_wait(&w.done);
    end(P_DECIDE_THREAD);
    pthread_join(thread, NULL);
    sem_destroy(&w.ready);
    sem_destroy(&w.go);
    sem_destroy(&w.done);
    check_decision("decide (a fresh thread)", w.st, d_thread, &w.err, &expected.deny_json);

    begin(P_RELOAD);
    st = custos_engine_reload(eng, NULL, &err);
    end(P_RELOAD);
    if (st) expect_nomem("custos_engine_reload", st, &err);
    if (custos_engine_generation(eng) != (st ? 1u : 2u))
        violation("generation %llu after a reload that returned %s",
                  (unsigned long long)custos_engine_generation(eng), custos_status_name(st));

    begin(P_DECIDE_RELOADED); /* rebuilds the evaluator on the new bundle */
    st = custos_decide(eng, req_deny, 0, d, &err);
    end(P_DECIDE_RELOADED);
    check_decision("decide (after a reload)", st, d, &err, &expected.deny_json);

    char *text = NULL;
    begin(P_EVAL);
    st = custos_engine_eval(eng, req_deny, EVAL_CODE, &text, &err);
    end(P_EVAL);
    if (warming_up) {
        if (st) violation("custos_engine_eval: %s", err.message);
        keep_text(&expected.eval_text, text);
    } else if (st) {
        expect_nomem("custos_engine_eval", st, &err);
    } else if (strcmp(text, expected.eval_text) != 0) {
        violation("custos_engine_eval gave \"%s\", expected \"%s\"", text, expected.eval_text);
    }
    custos_free(text);

    custos_policies *pol = NULL;
    begin(P_POLICIES);
    st = custos_engine_policies(eng, &pol);
    end(P_POLICIES);
    if (st) {
        expect_nomem("custos_engine_policies", st, NULL);
    } else {
        size_t got[4] = {custos_policies_regime_count(pol), custos_policies_library_count(pol),
                         custos_policies_field_count(pol), custos_policies_diagnostic_count(pol)};
        if (warming_up)
            memcpy(expected.policy_counts, got, sizeof got);
        else if (memcmp(got, expected.policy_counts, sizeof got) != 0)
            violation("custos_engine_policies: %zu regimes, %zu libraries, %zu fields, %zu "
                      "diagnostics; expected %zu, %zu, %zu, %zu",
                      got[0], got[1], got[2], got[3], expected.policy_counts[0],
                      expected.policy_counts[1], expected.policy_counts[2],
                      expected.policy_counts[3]);
    }
    custos_policies_free(pol);

    /* a fresh decision, so that its JSON is written in the phase */
    st = custos_decide(eng, req_deny, CUSTOS_DECIDE_EXPLAIN, d, &err);
    if (st) violation("decide before the json phase: %s", err.message);
    const char *json[3] = {NULL, NULL, NULL};
    custos_status js[3];
    begin(P_JSON);
    js[0] = custos_decision_json(d, &json[0]);
    js[1] = custos_request_json(req_set, &json[1]);
    js[2] = custos_request_json(req_deny, &json[2]);
    end(P_JSON);
    char **want[3] = {&expected.explained_json, &expected.set_json, &expected.deny_request_json};
    for (int i = 0; i < 3; i++) {
        if (warming_up) {
            if (js[i])
                violation("json %d: %s", i, custos_status_name(js[i]));
            else
                keep_text(want[i], json[i]);
        } else if (js[i]) {
            expect_nomem("custos_*_json", js[i], NULL);
        } else if (strcmp(json[i], *want[i]) != 0) {
            violation("json %d differs:\n    got      %s\n    expected %s", i, json[i], *want[i]);
        }
    }

out:
    begin(P_FREE);
    custos_decision_free(d);
    custos_decision_free(d_thread);
    custos_request_free(req_deny);
    custos_request_free(req_permit);
    custos_request_free(req_set);
    custos_engine_close(eng);
    custos_config_free(cfg);
    end(P_FREE);
}

/* ---- the call sites ----------------------------------------------------------------------- */

typedef struct site_entry {
    uint32_t site, phase, used;
    uint64_t first, last, hits;
    void *frames[OOM_SITE_FRAMES];
} site_entry;

#define SITE_SLOTS (1u << 16)
typedef struct shared_counts {
    site_entry sites[SITE_SLOTS];
} shared_counts;
static shared_counts *counts;

static void record_site(void *ud, uint64_t index, uint32_t site,
                        void *const frames[OOM_SITE_FRAMES]) {
    (void)ud;
    uint32_t phase = (uint32_t)numbered_phase;
    uint32_t h = (site ^ (phase * 0x9e3779b9u)) & (SITE_SLOTS - 1);
    for (uint32_t probe = 0; probe < SITE_SLOTS; probe++, h = (h + 1) & (SITE_SLOTS - 1)) {
        site_entry *e = &counts->sites[h];
        if (e->used && (e->site != site || e->phase != phase)) continue;
        if (!e->used) {
            *e = (site_entry){site, phase, 1, index, index, 0, {0}};
            memcpy(e->frames, frames, sizeof e->frames);
        }
        e->hits++;
        e->last = index;
        return;
    }
}

static int compare_sites(const void *a, const void *b) {
    const site_entry *x = a, *y = b;
    if (x->phase != y->phase) return x->phase < y->phase ? -1 : 1;
    return x->first < y->first ? -1 : x->first > y->first;
}

/* ---- running cases ------------------------------------------------------------------------ */

typedef struct test_case {
    int phase;
    const site_entry *site; /* NULL for a case given on the command line */
    uint64_t first, run;
} test_case;

static bool verbose;

/* Runs p in a child process; 0 when it kept every promise, else a word for what happened. */
static const char *run_child(const plan *p, pid_t *pid_out) {
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) return "fork failed";
    if (pid == 0) {
        if (!verbose && !p->count_all && freopen("/dev/null", "w", stdout) == NULL) _exit(99);
        alarm(case_seconds);
        current_plan = p;
        long live_before = oom_live_blocks();
        if (p->count_all) oom_record_sites(record_site, NULL);
        scenario();
        oom_record_sites(NULL, NULL);
#ifndef OOM_UNDER_ASAN
        long leaked = oom_live_blocks() - live_before;
        if (leaked != 0) violation("%ld blocks leaked", leaked);
#else
        (void)live_before; /* ASan's own strdup and friends bypass the count: LeakSanitizer
                              checks as the process exits */
#endif
        fflush(NULL);
        exit(violated ? VIOLATION_EXIT : 0);
    }
    *pid_out = pid;
    return NULL;
}

static const char *outcome(int status) {
    static char word[64];
    if (WIFEXITED(status)) {
        if (WEXITSTATUS(status) == 0) return NULL;
        if (WEXITSTATUS(status) == VIOLATION_EXIT) return "broken promise";
        snprintf(word, sizeof word, "exit %d (a sanitizer's report?)", WEXITSTATUS(status));
        return word;
    }
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        snprintf(word, sizeof word, "%s",
                 sig == SIGALRM   ? "hang"
                 : sig == SIGABRT ? "abort"
                                  : strsignal(sig));
        return word;
    }
    return "stopped";
}

static void describe_site(const site_entry *s) {
    if (!s) return;
    char **names = backtrace_symbols((void *const *)s->frames, OOM_SITE_FRAMES);
    for (int i = 0; i < OOM_SITE_FRAMES && s->frames[i]; i++)
        fprintf(stderr, "      %s\n", names ? names[i] : "?");
    free(names);
}

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "oom_sweep: cannot read %s: %s\n", path, strerror(errno));
        exit(2);
    }
    char *text = malloc(1 << 20);
    *len = fread(text, 1, (1 << 20) - 1, f);
    text[*len] = '\0';
    fclose(f);
    return text;
}

int main(int argc, char **argv) {
    size_t sample = 0;
    int jobs = 1;
    const char *only_phase = NULL;
    bool list = false;
    test_case given[16];
    size_t given_count = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--sample") == 0 && i + 1 < argc)
            sample = strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--jobs") == 0 && i + 1 < argc)
            jobs = atoi(argv[++i]);
        else if (strcmp(argv[i], "--phase") == 0 && i + 1 < argc)
            only_phase = argv[++i];
        else if (strcmp(argv[i], "--case") == 0 && i + 1 < argc && given_count < 16) {
            char name[32];
            unsigned long long first, run;
            int phase = -1;
            if (sscanf(argv[++i], "%31[a-z-]:%llu:%llu", name, &first, &run) == 3)
                for (int p = 0; p < PHASES; p++)
                    if (strcmp(phase_names[p], name) == 0) phase = p;
            if (phase < 0) {
                fprintf(stderr, "oom_sweep: --case %s: expected PHASE:FIRST:RUN\n", argv[i]);
                return 2;
            }
            given[given_count++] = (test_case){phase, NULL, first, run};
        } else if (strcmp(argv[i], "--list") == 0)
            list = true;
        else if (strcmp(argv[i], "--self-test") == 0)
            sabotage = -1;
        else if (strcmp(argv[i], "--verbose") == 0)
            verbose = true;
        else {
            fprintf(stderr, "usage: oom_sweep [--sample N] [--jobs J] [--phase NAME] [--case "
                            "PHASE:FIRST:RUN]... "
                            "[--list] [--self-test] [--verbose]\n");
            return 2;
        }
    }
    if (jobs < 1) jobs = 1;
    const char *src = getenv("CUSTOS_SOURCE_DIR");
    snprintf(source_dir, sizeof source_dir, "%s", src && *src ? src : ".");
    char path[2048];
    snprintf(path, sizeof path, "%s/examples/requests/after-retention.yaml", source_dir);
    deny_yaml = read_file(path, &deny_len);
    snprintf(path, sizeof path, "%s/examples/requests/permitted-use.yaml", source_dir);
    permit_yaml = read_file(path, &permit_len);

    void *unwinder[2]; /* backtrace loads libgcc_s once: before any block is counted */
#ifdef OOM_UNDER_ASAN
    __lsan_disable(); /* what the loader keeps of it is not ours */
#endif
    backtrace(unwinder, 2);
#ifdef OOM_UNDER_ASAN
    __lsan_enable();
#endif
    /* Warm up: what the scenario gives without failures, and the process's one-time setup
     * (every case is forked from here, so all start alike). */
    plan none = {-1, false, 0, 0};
    current_plan = &none;
    warming_up = true;
    scenario();
    warming_up = false;
    if (violated) {
        fprintf(stderr, "oom_sweep: the scenario fails without any injected failure\n");
        return 1;
    }
    /* the permitted request again, as JSON, so request building also goes through jansson */
    {
        custos_request *r;
        const char *json;
        custos_request_new(&r);
        custos_request_parse(r, permit_yaml, permit_len, "permit.yaml", NULL);
        custos_request_json(r, &json);
        char *yaml = permit_yaml;
        permit_yaml = NULL;
        keep_text(&permit_yaml, json);
        free(yaml);
        permit_len = strlen(permit_yaml);
        permit_name = "permit.json";
        custos_request_free(r);
        free(expected.permit_json);
        expected.permit_json = NULL;
        warming_up = true;
        scenario();
        warming_up = false;
        if (violated) return 1;
    }

    if (sabotage < 0) { /* each planted fault, in a run with no allocation failing */
        size_t caught = 0;
        const char *bad;
        case_seconds = 3;
        for (sabotage = 1; sabotage < SABOTAGES; sabotage++) {
            plan p = {P_DECIDE, false, UINT64_MAX, 1}; /* numbered, never failed */
            pid_t child;
            int status;
            if ((bad = run_child(&p, &child)) || waitpid(child, &status, 0) != child) return 2;
            bad = outcome(status);
            printf("%s: %s\n", sabotage_names[sabotage], bad ? bad : "NOT CAUGHT");
            caught += bad != NULL;
        }
        printf("oom: %zu of %d planted faults caught\n", caught, SABOTAGES - 1);
        return caught == SABOTAGES - 1 ? 0 : 1;
    }
    size_t case_count, site_count = 0;
    size_t per_phase[PHASES] = {0};
    test_case *cases;
    if (given_count) {
        cases = given;
        case_count = given_count;
        goto run;
    }
    counts = mmap(NULL, sizeof *counts, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (counts == MAP_FAILED) return 2;
    plan count = {-1, true, 0, 0};
    pid_t pid;
    int status;
    const char *bad = run_child(&count, &pid);
    if (bad || waitpid(pid, &status, 0) != pid || (bad = outcome(status))) {
        fprintf(stderr, "oom_sweep: the counting run failed: %s\n", bad ? bad : "wait");
        return 1;
    }
    for (size_t i = 0; i < SITE_SLOTS; i++)
        if (counts->sites[i].used) counts->sites[site_count++] = counts->sites[i];
    qsort(counts->sites, site_count, sizeof *counts->sites, compare_sites);
    size_t kept = 0;
    for (size_t i = 0; i < site_count; i++)
        if (!only_phase || strcmp(phase_names[counts->sites[i].phase], only_phase) == 0)
            counts->sites[kept++] = counts->sites[i];
    site_count = kept;

    cases = calloc(site_count * 4 + 1, sizeof *cases);
    case_count = 0;
    for (size_t i = 0; i < site_count; i++) {
        const site_entry *s = &counts->sites[i];
        int phase = (int)s->phase;
        cases[case_count++] = (test_case){phase, s, s->first, 1}; /* that allocation alone */
        cases[case_count++] = (test_case){phase, s, s->first, 3}; /* three in a row */
        cases[case_count++] = (test_case){phase, s, s->first, 0}; /* all from there on */
        if (s->last != s->first) /* a site in a loop fails late too: its last allocation */
            cases[case_count++] = (test_case){phase, s, s->last, 1};
    }
    if (sample && sample < case_count) { /* evenly spread, so every phase gets its share */
        for (size_t i = 0; i < sample; i++) cases[i] = cases[i * case_count / sample];
        case_count = sample;
    }
    for (size_t i = 0; i < site_count; i++) per_phase[counts->sites[i].phase]++;
    if (list) {
        for (int p = 0; p < PHASES; p++)
            printf("%-16s %6zu call sites\n", phase_names[p], per_phase[p]);
        free(cases);
        return 0;
    }

run:;
    size_t failed = 0, done = 0, running = 0, next = 0;
    pid_t *pids = calloc((size_t)jobs, sizeof *pids);
    size_t *which = calloc((size_t)jobs, sizeof *which);
    plan *plans = calloc(case_count ? case_count : 1, sizeof *plans);
    while (done < case_count) {
        while (running < (size_t)jobs && next < case_count) {
            plans[next] = (plan){cases[next].phase, false, cases[next].first, cases[next].run};
            int slot = 0;
            while (pids[slot]) slot++;
            if ((bad = run_child(&plans[next], &pids[slot]))) {
                fprintf(stderr, "oom_sweep: %s\n", bad);
                return 2;
            }
            which[slot] = next++;
            running++;
        }
        pid_t ended = wait(&status);
        int slot = 0;
        while (slot < jobs && pids[slot] != ended) slot++;
        if (slot == jobs) continue;
        pids[slot] = 0;
        running--;
        done++;
        const test_case *c = &cases[which[slot]];
        if ((bad = outcome(status))) {
            failed++;
            fprintf(stderr, "FAIL %s: allocation %llu %s: %s; the call site:\n",
                    phase_names[c->phase], (unsigned long long)c->first,
                    c->run == 1 ? "alone"
                    : c->run    ? "and the next two"
                                : "and all after it",
                    bad);
            describe_site(c->site);
        }
    }
    size_t phases_seen = 0;
    for (int p = 0; p < PHASES; p++) phases_seen += per_phase[p] > 0;
    if (given_count)
        printf("oom: %zu cases given: %zu failed\n", case_count, failed);
    else
        printf("oom: %zu cases over %zu call sites in %zu phases (%s): %zu failed\n", case_count,
               site_count, phases_seen, sample ? "sampled" : "all", failed);
    if (cases != given) free(cases);
    free(pids);
    free(which);
    free(plans);
    return failed ? 1 : 0;
}
