/*
 * bench.c — custos-bench: how fast the engine decides, and whether it decides right.
 *
 * A deterministic workload (a fixed-seed splitmix64 generator, no rand()) is made up front:
 *
 *   - 200 outsourcing contracts over a pool of 2000 subjects, written as a YAML data document
 *     into a temporary file (mkstemp under $TMPDIR or /tmp, removed as soon as the engine has
 *     loaded it, or at exit).  Each contract
 *     has 2-4 stated purposes, 0-2 directly related purposes per stated one, 5-20 subjects, a
 *     subset of actions and a retention date;
 *   - 100,000 requests in a fixed mix of permits and denies over gz-2012 articles 10, 11 and 13
 *     (see `kinds` below), each with the effect the generator expects.  The expectation is
 *     computed by expect(), a C model of the three articles (the regulation as the modules'
 *     header comments read it) applied to the generated contracts — independent of the engine.
 *
 * The timed loop builds every request field by field (custos_request_clear, then
 * custos_request_set_string / set_bool / append_string) and decides it into a reused decision;
 * the latency of build + decide is measured with clock_gettime(CLOCK_MONOTONIC).  Each thread
 * warms up (its evaluator is built on its first decision) before the clock starts.  Runs: one
 * thread, then two threads sharing the engine (the requests split between them).
 *
 * Exit status: 0 when every decision had the expected effect and no policy error; 1 when any
 * did not (or the engine could not be set up); 64 on a usage error.  Missed timing targets are
 * reported but do not fail the run: timing depends on the machine.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include <custos.h>

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "workload.h"

#define MAX_RUNS 8

#define TARGET_MEDIAN_US 3.0
#define TARGET_SCALING 1.8

/* ---- the timed loop ------------------------------------------------------------------------ */

/* Builds the request from its spec, field by field. */
static custos_status build_request(custos_request *req, const spec *s, custos_error *err) {
    custos_status st;
    custos_request_clear(req);
    if ((st = custos_request_set_string(req, "subject.id", s->subject, err))) return st;
    if ((st = custos_request_set_string(req, "subject.org", s->org, err))) return st;
    if ((st = custos_request_set_string(req, "action", s->action, err))) return st;
    if ((st = custos_request_set_string(req, "resource.id", s->resource, err))) return st;
    if ((st = custos_request_set_string(req, "resource.owner", s->owner, err))) return st;
    if ((st = custos_request_set_string(req, "resource.category", s->category, err))) return st;
    if ((st = custos_request_set_bool(req, "resource.entrusted", s->entrusted, err))) return st;
    if ((st = custos_request_set_string(req, "resource.contract", s->contract, err))) return st;
    if ((st = custos_request_set_string(req, "purpose", s->purpose, err))) return st;
    if ((st = custos_request_set_string(req, "context.time", s->time, err))) return st;
    if (s->recipient &&
        (st = custos_request_set_string(req, "context.recipient", s->recipient, err)))
        return st;
    for (int i = 0; i < s->consent_count; i++)
        if ((st =
                 custos_request_append_string(req, "context.consent.purposes", s->consent[i], err)))
            return st;
    if (s->consent_count &&
        (st = custos_request_set_bool(req, "context.consent.written", true, err)))
        return st;
    if (s->consent_count && s->consent_by &&
        (st = custos_request_set_string(req, "context.consent.by", s->consent_by, err)))
        return st;
    return CUSTOS_OK;
}

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The calling thread's CPU time: what a decision took without the time it was descheduled
 * (on a shared machine the wall clock's tail is mostly other processes). */
static int64_t thread_cpu_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int cpu_clock; /* --contracts: also time decisions on the thread's CPU clock */

static uint32_t clamp_u32(int64_t v) {
    return (uint32_t)(v < 0 ? 0 : v > UINT32_MAX ? UINT32_MAX : v);
}

typedef struct worker {
    pthread_t thread;
    custos_engine *eng;
    pthread_barrier_t *barrier;
    pthread_barrier_t *warm; /* with the main thread: memory is measured while all are warm */
    const spec *specs;
    size_t first, count;  /* its slice of the requests */
    uint32_t *latency_ns; /* per request of the slice, indexed like specs */
    uint32_t *cpu_ns;     /* the same on the thread's CPU clock (no time descheduled), or NULL */
    uint8_t *effects;     /* per request */
    uint8_t *has_errors;  /* per request */
    int64_t start_ns, end_ns;
    custos_status status; /* the first failed call, or CUSTOS_OK */
    size_t failed_at;
    custos_error err;
    int64_t cpu_total_ns; /* CPU time of the timed loop: with the wall time, the CPUs it got */
} worker;

/* Untimed: builds this thread's evaluator and warms caches on up to 10,000 requests. */
static custos_status warm_up(worker *w, custos_request *req, custos_decision *d) {
    size_t n = w->count < 10000 ? w->count : 10000;
    for (size_t i = 0; i < n; i++) {
        const spec *s = &w->specs[w->first + i];
        custos_status st = build_request(req, s, &w->err);
        if (!st) st = custos_decide(w->eng, req, 0, d, &w->err);
        if (st) {
            w->failed_at = w->first + i;
            return st;
        }
    }
    return CUSTOS_OK;
}

static void *worker_main(void *arg) {
    worker *w = arg;
    custos_request *req = NULL;
    custos_decision *d = NULL;
    custos_status st = custos_request_new(&req);
    if (!st) st = custos_decision_new(&d);
    if (!st) st = warm_up(w, req, d);
    pthread_barrier_wait(w->warm); /* the main thread measures memory between these two */
    pthread_barrier_wait(w->warm);
    pthread_barrier_wait(w->barrier); /* everyone starts the clock together, ready or not */
    int64_t cpu_start = thread_cpu_ns();
    w->start_ns = now_ns();
    for (size_t i = w->first; !st && i < w->first + w->count; i++) {
        const spec *s = &w->specs[i];
        int64_t c0 = w->cpu_ns ? thread_cpu_ns() : 0;
        int64_t t0 = now_ns();
        st = build_request(req, s, &w->err);
        if (!st) st = custos_decide(w->eng, req, 0, d, &w->err);
        int64_t t1 = now_ns();
        if (w->cpu_ns) w->cpu_ns[i] = clamp_u32(thread_cpu_ns() - c0);
        if (st) {
            w->failed_at = i;
            break;
        }
        w->latency_ns[i] = (uint32_t)(t1 - t0 > UINT32_MAX ? UINT32_MAX : t1 - t0);
        w->effects[i] = (uint8_t)custos_decision_effect(d);
        w->has_errors[i] = custos_decision_error_count(d) > 0;
    }
    w->end_ns = now_ns();
    w->cpu_total_ns = thread_cpu_ns() - cpu_start;
    w->status = st;
    custos_decision_free(d);
    custos_request_free(req);
    return NULL;
}

typedef struct run {
    int threads;
    size_t decisions;
    double seconds, per_second;
    double cpus; /* CPU time of all threads / wall time: the CPUs the run actually got */
    double median_us, p90_us, p99_us, max_us;
    double p999_us;
    double cpu_median_us, cpu_p999_us; /* on the thread's CPU clock, with --contracts */
    size_t heap_bytes, rss_bytes;      /* the process's, every thread warm (see memory_now) */
    size_t effects[3];                 /* by custos_effect */
    size_t mismatches, with_errors;
} run;

static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* The q-quantile (0..1) of sorted values, in µs (nearest rank). */
static double quantile_us(const uint32_t *sorted, size_t n, double q) {
    size_t rank = (size_t)(q * (double)n + 0.999999);
    if (rank < 1) rank = 1;
    if (rank > n) rank = n;
    return sorted[rank - 1] / 1000.0;
}

/* Shows one request that went wrong: its JSON and the decision's, decided again. */
static void show_request(custos_engine *eng, const spec *s, size_t index, const char *why) {
    custos_request *req = NULL;
    custos_decision *d = NULL;
    custos_error err = {0};
    const char *rj = "?", *dj = "?";
    if (custos_request_new(&req) == CUSTOS_OK && custos_decision_new(&d) == CUSTOS_OK &&
        build_request(req, s, &err) == CUSTOS_OK) {
        custos_request_json(req, &rj);
        if (custos_decide(eng, req, CUSTOS_DECIDE_EXPLAIN, d, &err) == CUSTOS_OK)
            custos_decision_json(d, &dj);
        else
            dj = err.message;
    }
    fprintf(stderr, "custos-bench: request %zu (%s): %s\n  request:  %s\n  decision: %s\n", index,
            kinds[s->kind].name, why, rj, dj);
    custos_decision_free(d);
    custos_request_free(req);
}

/* The process's memory now: bytes the allocator has handed out and not taken back (mallinfo2:
 * every arena, mmapped blocks included) and the resident set (/proc/self/statm). */
static void memory_now(size_t *heap, size_t *rss) {
    struct mallinfo2 mi = mallinfo2();
    *heap = mi.uordblks + mi.hblkhd;
    *rss = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long size = 0, resident = 0;
    if (f && fscanf(f, "%lu %lu", &size, &resident) == 2)
        *rss = (size_t)resident * (size_t)sysconf(_SC_PAGESIZE);
    if (f) fclose(f);
}

/* Runs the workload on `threads` threads; fills *r.  Returns 0, or -1 when a call failed. */
static int run_workload(custos_engine *eng, const spec *specs, size_t n, int threads, run *r) {
    worker *workers = calloc((size_t)threads, sizeof *workers);
    uint32_t *latency = malloc(n * sizeof *latency);
    uint8_t *effects = calloc(n, 1), *errors = calloc(n, 1);
    uint32_t *cpu = cpu_clock ? malloc(n * sizeof *cpu) : NULL;
    if (!workers || !latency || !effects || !errors || (cpu_clock && !cpu)) {
        fprintf(stderr, "custos-bench: out of memory\n");
        free(workers), free(latency), free(effects), free(errors);
        return -1;
    }
    pthread_barrier_t barrier, warm;
    pthread_barrier_init(&barrier, NULL, (unsigned)threads);
    pthread_barrier_init(&warm, NULL, (unsigned)threads + 1);
    int started = 0, rc = 0;
    for (int t = 0; t < threads; t++) {
        worker *w = &workers[t];
        w->eng = eng;
        w->barrier = &barrier;
        w->warm = &warm;
        w->specs = specs;
        w->first = n * (size_t)t / (size_t)threads;
        w->count = n * (size_t)(t + 1) / (size_t)threads - w->first;
        w->latency_ns = latency;
        w->cpu_ns = cpu;
        w->effects = effects;
        w->has_errors = errors;
        if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
            fprintf(stderr, "custos-bench: cannot start thread %d: %s\n", t, strerror(errno));
            exit(1); /* the others wait at the barrier forever: give up */
        }
        started++;
    }
    pthread_barrier_wait(&warm);
    size_t heap_bytes = 0, rss_bytes = 0;
    memory_now(&heap_bytes, &rss_bytes);
    pthread_barrier_wait(&warm);
    for (int t = 0; t < started; t++) pthread_join(workers[t].thread, NULL);
    pthread_barrier_destroy(&barrier);
    pthread_barrier_destroy(&warm);

    memset(r, 0, sizeof *r);
    r->threads = threads;
    r->heap_bytes = heap_bytes;
    r->rss_bytes = rss_bytes;
    int64_t start = INT64_MAX, end = 0, cpu_total = 0;
    for (int t = 0; t < threads; t++) {
        worker *w = &workers[t];
        cpu_total += w->cpu_total_ns;
        if (w->status != CUSTOS_OK) {
            fprintf(stderr, "custos-bench: %d threads: request %zu: %s: %s\n", threads,
                    w->failed_at, custos_status_name(w->status), w->err.message);
            rc = -1;
        }
        if (w->start_ns < start) start = w->start_ns;
        if (w->end_ns > end) end = w->end_ns;
    }
    if (rc == 0) {
        int shown = 0;
        for (size_t i = 0; i < n; i++) {
            r->effects[effects[i] <= CUSTOS_DENY ? effects[i] : 0]++;
            int wrong = effects[i] != specs[i].expected;
            r->mismatches += (size_t)wrong;
            r->with_errors += errors[i];
            if ((wrong || errors[i]) && shown < 5) {
                char why[160];
                snprintf(why, sizeof why, "expected %s, got %s%s",
                         custos_effect_name((custos_effect)specs[i].expected),
                         custos_effect_name((custos_effect)effects[i]),
                         errors[i] ? " with policy errors" : "");
                show_request(eng, &specs[i], i, why);
                shown++;
            }
        }
        r->decisions = n;
        r->seconds = (double)(end - start) / 1e9;
        r->per_second = r->seconds > 0 ? (double)n / r->seconds : 0;
        r->cpus = end > start ? (double)cpu_total / (double)(end - start) : 0;
        qsort(latency, n, sizeof *latency, cmp_u32);
        r->median_us = quantile_us(latency, n, 0.50);
        r->p90_us = quantile_us(latency, n, 0.90);
        r->p99_us = quantile_us(latency, n, 0.99);
        r->p999_us = quantile_us(latency, n, 0.999);
        r->max_us = latency[n - 1] / 1000.0;
        if (cpu) {
            qsort(cpu, n, sizeof *cpu, cmp_u32);
            r->cpu_median_us = quantile_us(cpu, n, 0.50);
            r->cpu_p999_us = quantile_us(cpu, n, 0.999);
        }
    }
    free(cpu);
    free(workers), free(latency), free(effects), free(errors);
    return rc;
}

/* ---- setup --------------------------------------------------------------------------------- */

static char data_path[PATH_MAX];

static void remove_data(void) {
    if (data_path[0]) unlink(data_path);
}

/* Writes the data document to a fresh temporary file; returns 0 or -1. */
static int make_data_file(uint64_t seed) {
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir) dir = "/tmp";
    snprintf(data_path, sizeof data_path, "%s/custos-bench-XXXXXX", dir);
    int fd = mkstemp(data_path);
    if (fd < 0) {
        fprintf(stderr, "custos-bench: cannot create a file in %s: %s\n", dir, strerror(errno));
        data_path[0] = '\0';
        return -1;
    }
    atexit(remove_data);
    FILE *f = fdopen(fd, "w");
    if (!f || workload_write_contracts(f, seed) != 0 || fclose(f) != 0) {
        fprintf(stderr, "custos-bench: cannot write %s: %s\n", data_path, strerror(errno));
        return -1;
    }
    return 0;
}

static int is_dir(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* ---- the benchmarked articles --------------------------------------------------------------- */

static char subset_dir[PATH_MAX]; /* a temporary folder holding gz-2012/ with some articles */

static void remove_subset(void) {
    if (!subset_dir[0]) return;
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/gz-2012", subset_dir);
    DIR *d = opendir(path);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char file[PATH_MAX + 400];
        snprintf(file, sizeof file, "%s/%s", path, e->d_name);
        unlink(file);
    }
    if (d) closedir(d);
    rmdir(path);
    snprintf(path, sizeof path, "%s/lib", subset_dir); /* the shared libraries' link */
    unlink(path);
    snprintf(path, sizeof path, "%s/schema.lua", subset_dir); /* the shared vocabulary's */
    unlink(path);
    rmdir(subset_dir);
    subset_dir[0] = '\0';
}

/* Copies a file; 0 or -1. */
static int copy_file(const char *from, const char *to) {
    FILE *in = fopen(from, "rb"), *out = in ? fopen(to, "wb") : NULL;
    char buf[8192];
    size_t got;
    int rc = in && out ? 0 : -1;
    while (!rc && (got = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, got, out) != got) rc = -1;
    if (in) fclose(in);
    if (out && fclose(out)) rc = -1;
    return rc;
}

/* Links the folder src as dst when src exists (the libraries modules `require`). */
static int link_if_present(const char *src, const char *dst) {
    char real[PATH_MAX];
    if (!is_dir(src)) return 0;
    if (!realpath(src, real)) return -1;
    return symlink(real, dst);
}

/* Builds a regime folder with only the listed articles of `regime` (e.g. "10,11,13"), so the
 * bench measures the same three articles however many the library encodes.  Its regime.lua
 * is generated: the listed articles encoded, no others; the regime's own lib/ and the shared
 * lib/ beside it are linked in, and the shared schema.lua copied.  Returns the folder or NULL. */
static const char *make_subset(const char *regime, const char *articles) {
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir) dir = "/tmp";
    snprintf(subset_dir, sizeof subset_dir, "%s/custos-bench-regime-XXXXXX", dir);
    if (!mkdtemp(subset_dir)) {
        subset_dir[0] = '\0';
        return NULL;
    }
    atexit(remove_subset);
    static char out[PATH_MAX + 16];
    snprintf(out, sizeof out, "%s/gz-2012", subset_dir);
    if (mkdir(out, 0700)) return NULL;
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/regime.lua", out);
    FILE *f = fopen(path, "w");
    if (!f) return NULL;
    fprintf(f, "-- Generated by custos-bench: gz-2012 with only the benchmarked articles.\n"
               "return regime {\n  id = \"gz-2012\",\n"
               "  title = { zh = \"广州市服务外包企业信息安全保护实施办法（基准子集）\", "
               "en = \"gz-2012, the benchmark's subset\" },\n"
               "  document = \"穗外经贸法〔2012〕7号\",\n  issued = \"2012-04-24\", "
               "effective = \"2012-04-24\", expires = \"2017-04-23\",\n  articles = {\n");
    char list[128];
    snprintf(list, sizeof list, "%s", articles);
    int rc = 0;
    for (char *tok = strtok(list, ","); tok && !rc; tok = strtok(NULL, ",")) {
        fprintf(f,
                "    { number = \"%s\", title = { zh = \"第%s条\", en = \"Article %s\" }, "
                "encoded = true },\n",
                tok, tok, tok);
        char from[PATH_MAX + 64], to[PATH_MAX + 64];
        snprintf(from, sizeof from, "%s/art%s.lua", regime, tok);
        snprintf(to, sizeof to, "%s/art%s.lua", out, tok);
        rc = copy_file(from, to);
        if (rc) fprintf(stderr, "custos-bench: cannot copy %s\n", from);
    }
    fprintf(f, "  },\n}\n");
    if (fclose(f) || rc) return NULL;
    char own_lib[2 * PATH_MAX], shared_lib[2 * PATH_MAX], own_dst[2 * PATH_MAX],
        shared_dst[2 * PATH_MAX];
    snprintf(own_lib, sizeof own_lib, "%s/lib", regime);
    snprintf(shared_lib, sizeof shared_lib, "%s/../lib", regime);
    snprintf(own_dst, sizeof own_dst, "%s/lib", out);
    snprintf(shared_dst, sizeof shared_dst, "%s/lib", subset_dir);
    if (link_if_present(own_lib, own_dst) || link_if_present(shared_lib, shared_dst)) {
        fprintf(stderr, "custos-bench: cannot link the libraries of %s\n", regime);
        return NULL;
    }
    /* the request fields and data sections the articles read (policies/schema.lua) */
    snprintf(own_lib, sizeof own_lib, "%s/../schema.lua", regime);
    snprintf(own_dst, sizeof own_dst, "%s/schema.lua", subset_dir);
    if (access(own_lib, R_OK) == 0 && copy_file(own_lib, own_dst)) {
        fprintf(stderr, "custos-bench: cannot copy %s\n", own_lib);
        return NULL;
    }
    return out;
}

/* The policies folder: beside the executable's build tree (bin/../share/custos/policies), else
 * the source tree's, else the installed one. */
static const char *find_policies(const char *argv0, char *buf, size_t size) {
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len > 0)
        exe[len] = '\0';
    else
        snprintf(exe, sizeof exe, "%s", argv0);
    char *slash = strrchr(exe, '/');
    if (slash) {
        *slash = '\0';
        char rel[PATH_MAX + 32];
        snprintf(rel, sizeof rel, "%s/../share/custos/policies", exe);
        if (size >= PATH_MAX && realpath(rel, buf) && is_dir(buf)) return buf;
    }
#ifdef CUSTOS_SOURCE_DIR
    snprintf(buf, size, "%s/policies", CUSTOS_SOURCE_DIR);
    if (is_dir(buf)) return buf;
#endif
    return custos_builtin_policy_dir();
}

/* ---- output -------------------------------------------------------------------------------- */

static const char *pass(int ok) { return ok ? "PASS" : "MISS"; }

static void print_text(const run *runs, int nruns, size_t n, uint64_t seed, const size_t *mix,
                       const size_t *expected, const char *policies, const char *articles) {
    printf("custos-bench %s — gz-2012 articles %s\n", custos_version(),
           strcmp(articles, "all") == 0 ? "all encoded" : articles);
    printf("policies: %s\nworkload: %d contracts, %d subjects, %zu requests (seed %" PRIu64 ")\n\n",
           policies, contract_count, SUBJECTS, n, seed);
    printf("mix                             requests   share  expected\n");
    for (int k = 0; k < K_COUNT; k++)
        printf("  %-29s %8zu  %5.1f%%  %s\n", kinds[k].name, mix[k],
               100.0 * (double)mix[k] / (double)n, custos_effect_name(kinds[k].meant));
    printf("  expected effects: permit %zu, deny %zu, not_applicable %zu\n\n",
           expected[CUSTOS_PERMIT], expected[CUSTOS_DENY], expected[CUSTOS_NOT_APPLICABLE]);

    const run *one = NULL;
    for (int i = 0; i < nruns; i++)
        if (runs[i].threads == 1) one = &runs[i];
    printf("threads  CPUs got  decisions  median µs   p90 µs   p99 µs   max µs   decisions/s  vs 1 "
           "thread\n");
    for (int i = 0; i < nruns; i++) {
        printf("%7d  %8.2f  %9zu  %9.2f  %7.2f  %7.2f  %7.2f  %12.0f", runs[i].threads,
               runs[i].cpus, runs[i].decisions, runs[i].median_us, runs[i].p90_us, runs[i].p99_us,
               runs[i].max_us, runs[i].per_second);
        if (one) printf("  %10.2fx", runs[i].per_second / one->per_second);
        printf("\n");
    }
    printf("\n");
    for (int i = 0; i < nruns; i++)
        printf("%d thread%s: permit %zu, deny %zu, not_applicable %zu; %zu unexpected, %zu with "
               "policy errors\n",
               runs[i].threads, runs[i].threads == 1 ? " " : "s", runs[i].effects[CUSTOS_PERMIT],
               runs[i].effects[CUSTOS_DENY], runs[i].effects[CUSTOS_NOT_APPLICABLE],
               runs[i].mismatches, runs[i].with_errors);
    printf("\ntargets (reported, not enforced: timing depends on the machine)\n");
    if (one)
        printf("  median < %.0f µs, 1 thread:        %.2f µs   %s\n", TARGET_MEDIAN_US,
               one->median_us, pass(one->median_us < TARGET_MEDIAN_US));
    for (int i = 0; i < nruns && one; i++) {
        if (runs[i].threads == 1) continue;
        double ratio = runs[i].per_second / one->per_second;
        if (runs[i].threads == 2 && runs[i].cpus < 1.9)
            printf("  2 threads >= %.1fx of 1 thread:    %.2fx     not judged: the run got %.2f "
                   "CPUs, not 2\n",
                   TARGET_SCALING, ratio, runs[i].cpus);
        else if (runs[i].threads == 2)
            printf("  2 threads >= %.1fx of 1 thread:    %.2fx     %s\n", TARGET_SCALING, ratio,
                   pass(ratio >= TARGET_SCALING));
        else
            printf("  %d threads / 1 thread:            %.2fx\n", runs[i].threads, ratio);
    }
}

static void print_json(const run *runs, int nruns, size_t n, uint64_t seed, const size_t *mix,
                       const size_t *expected, int ok) {
    printf("{\"version\":\"%s\",\"seed\":%" PRIu64 ",\"contracts\":%d,\"subjects\":%d,"
           "\"requests\":%zu,\n \"mix\":[",
           custos_version(), seed, contract_count, SUBJECTS, n);
    for (int k = 0; k < K_COUNT; k++)
        printf("%s\n  {\"kind\":\"%s\",\"requests\":%zu,\"expected\":\"%s\"}", k ? "," : "",
               kinds[k].name, mix[k], custos_effect_name(kinds[k].meant));
    printf("],\n \"expected\":{\"permit\":%zu,\"deny\":%zu,\"not_applicable\":%zu},\n \"runs\":[",
           expected[CUSTOS_PERMIT], expected[CUSTOS_DENY], expected[CUSTOS_NOT_APPLICABLE]);
    const run *one = NULL;
    for (int i = 0; i < nruns; i++)
        if (runs[i].threads == 1) one = &runs[i];
    for (int i = 0; i < nruns; i++) {
        const run *r = &runs[i];
        printf("%s\n  {\"threads\":%d,\"decisions\":%zu,\"seconds\":%.6f,\"median_us\":%.2f,"
               "\"p90_us\":%.2f,\"p99_us\":%.2f,\"max_us\":%.2f,\"per_second\":%.0f,"
               "\"cpus\":%.2f,",
               i ? "," : "", r->threads, r->decisions, r->seconds, r->median_us, r->p90_us,
               r->p99_us, r->max_us, r->per_second, r->cpus);
        if (one) printf("\"ratio_to_1\":%.3f,", r->per_second / one->per_second);
        printf("\"effects\":{\"permit\":%zu,\"deny\":%zu,\"not_applicable\":%zu},"
               "\"unexpected\":%zu,\"with_policy_errors\":%zu}",
               r->effects[CUSTOS_PERMIT], r->effects[CUSTOS_DENY],
               r->effects[CUSTOS_NOT_APPLICABLE], r->mismatches, r->with_errors);
    }
    printf("],\n \"targets\":{");
    int comma = 0;
    if (one) {
        printf("\"median_us_1_thread\":{\"target\":%.2f,\"value\":%.2f,\"result\":\"%s\"}",
               TARGET_MEDIAN_US, one->median_us, pass(one->median_us < TARGET_MEDIAN_US));
        comma = 1;
    }
    for (int i = 0; i < nruns && one; i++)
        if (runs[i].threads == 2) {
            double ratio = runs[i].per_second / one->per_second;
            printf("%s\"ratio_2_to_1\":{\"target\":%.2f,\"value\":%.3f,\"result\":\"%s\"}",
                   comma ? "," : "", TARGET_SCALING, ratio, pass(ratio >= TARGET_SCALING));
        }
    printf("},\n \"ok\":%s}\n", ok ? "true" : "false");
}

/* --contracts: what the data costs — opening, memory, the tail of the latencies. */
typedef struct data_figures {
    size_t document_bytes;          /* the generated data document on disk */
    double open_ms;                 /* custos_engine_open */
    size_t heap_before, rss_before; /* before opening */
    size_t heap_open, rss_open;     /* right after */
} data_figures;

#define TARGET_MEMORY_RATIO 3.0 /* engine memory / document size, any thread count */
#define TARGET_OPEN_MS 300.0
#define TARGET_TAIL_RATIO 10.0 /* p99.9 / median */

static double mib(size_t bytes) { return (double)bytes / (1024.0 * 1024.0); }

static void print_data_figures(const data_figures *f, const run *runs, int nruns) {
    double doc = (double)f->document_bytes;
    size_t open_heap = f->heap_open - f->heap_before;
    printf("\ndata: %d contracts, a document of %.1f MiB; custos_engine_open %.0f ms; engine heap "
           "after open %.1f MiB (%.2fx the document)\n",
           contract_count, mib(f->document_bytes), f->open_ms, mib(open_heap),
           (double)open_heap / doc);
    printf("threads  engine heap MiB  x document  RSS MiB  median µs  p99 µs  p99.9 µs  "
           "p99.9/median  CPU: median µs  p99.9 µs  p99.9/median\n");
    double worst_ratio = 0, worst_tail = 0;
    for (int i = 0; i < nruns; i++) {
        const run *r = &runs[i];
        size_t heap = r->heap_bytes > f->heap_before ? r->heap_bytes - f->heap_before : 0;
        size_t rss = r->rss_bytes > f->rss_before ? r->rss_bytes - f->rss_before : 0;
        double ratio = (double)heap / doc, tail = r->p999_us / r->median_us;
        double cpu_tail = r->cpu_p999_us / r->cpu_median_us;
        if (ratio > worst_ratio) worst_ratio = ratio;
        if (cpu_tail > worst_tail) worst_tail = cpu_tail;
        printf("%7d  %15.1f  %10.2f  %7.1f  %9.2f  %6.2f  %8.2f  %12.1f  %14.2f  %8.2f  %12.1f\n",
               r->threads, mib(heap), ratio, mib(rss), r->median_us, r->p99_us, r->p999_us, tail,
               r->cpu_median_us, r->cpu_p999_us, cpu_tail);
    }
    printf("  (engine heap: bytes malloc has handed out, every thread warm, less those before "
           "open; RSS likewise)\n");
    printf("  engine memory <= %.0fx the document: %.2fx   %s\n", TARGET_MEMORY_RATIO, worst_ratio,
           pass(worst_ratio <= TARGET_MEMORY_RATIO));
    printf("  custos_engine_open <= %.0f ms:       %.0f ms   %s\n", TARGET_OPEN_MS, f->open_ms,
           pass(f->open_ms <= TARGET_OPEN_MS));
    printf("  p99.9 <= %.0fx the median (CPU):     %.1fx   %s\n", TARGET_TAIL_RATIO, worst_tail,
           pass(worst_tail <= TARGET_TAIL_RATIO));
}

/* --write-workload: the data and the requests as files, for timing `custos decide --batch`
 * on the same workload.  0, or 1 with a message. */
static int write_workload(const char *dir, const spec *specs, size_t n) {
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/contracts.yaml", dir);
    if (copy_file(data_path, path)) {
        fprintf(stderr, "custos-bench: cannot write %s\n", path);
        return 1;
    }
    snprintf(path, sizeof path, "%s/requests.jsonl", dir);
    FILE *f = fopen(path, "w");
    custos_request *req = NULL;
    custos_error err = {0};
    int rc = !f || custos_request_new(&req) ? 1 : 0;
    for (size_t i = 0; !rc && i < n; i++) {
        const char *json = NULL;
        if (build_request(req, &specs[i], &err) || custos_request_json(req, &json)) {
            rc = 1;
            break;
        }
        /* one line: the JSON's newlines and the indentation after them go (strings hold
         * escaped newlines only) */
        for (const char *c = json; *c; c++) {
            if (*c != '\n') {
                putc(*c, f);
                continue;
            }
            while (c[1] == ' ') c++;
        }
        if (putc('\n', f) == EOF) rc = 1;
    }
    custos_request_free(req);
    if (f && fclose(f)) rc = 1;
    if (rc) fprintf(stderr, "custos-bench: cannot write %s\n", path);
    return rc;
}

/* ---- --log: the decision log's cost ---------------------------------------------------------- */

/* One run of n requests on 1 thread with a log in `sync` mode attached (a temporary file). */
static int run_logged(custos_engine *eng, const spec *specs, size_t n, custos_log_sync sync,
                      run *r) {
    char path[PATH_MAX];
    const char *dir = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/custos-bench-log-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) {
        fprintf(stderr, "custos-bench: cannot create a log file: %s\n", strerror(errno));
        return 1;
    }
    close(fd);
    custos_log_options opt = {sync, 0, NULL, 0, NULL, 0};
    custos_log *log = NULL;
    custos_error err = {0};
    int rc = 0;
    if (custos_log_open(path, &opt, &log, &err) != CUSTOS_OK) {
        fprintf(stderr, "custos-bench: %s: %s\n", path, err.message);
        rc = 1;
    } else {
        custos_engine_set_log(eng, log);
        rc = run_workload(eng, specs, n, 1, r);
        custos_engine_set_log(eng, NULL);
        custos_log_close(log);
    }
    unlink(path);
    return rc || r->mismatches || r->with_errors;
}

/* Batched logging against no logging in the same run (both 1 thread, the same requests, one
 * after the other), then fsync-each throughput. */
static int bench_logging(custos_engine *eng, const spec *specs, size_t n, int json) {
    run plain, batched, synced;
    size_t n_sync = n < 2000 ? n : 2000;
    if (run_workload(eng, specs, n, 1, &plain) ||
        run_logged(eng, specs, n, CUSTOS_LOG_BATCHED, &batched) ||
        run_logged(eng, specs, n_sync, CUSTOS_LOG_FSYNC_EACH, &synced))
        return 1;
    double added = 100.0 * (batched.median_us / plain.median_us - 1.0);
    double throughput = plain.per_second / batched.per_second;
    if (json) {
        printf("{\"log\":{\"plain_median_us\":%.2f,\"batched_median_us\":%.2f,"
               "\"batched_added_percent\":%.1f,\"plain_over_batched_per_second\":%.3f,"
               "\"fsync_per_second\":%.0f,\"fsync_median_us\":%.1f}}\n",
               plain.median_us, batched.median_us, added, throughput, synced.per_second,
               synced.median_us);
        return 0;
    }
    printf("\ndecision log (1 thread, the same requests, one run after the other)\n");
    printf("  no log:          median %.2f µs, %.0f decisions/s\n", plain.median_us,
           plain.per_second);
    printf("  batched (100 ms): median %.2f µs, %.0f decisions/s: %+.1f%% per decision (target "
           "<= +25%%: %s)\n",
           batched.median_us, batched.per_second, added, pass(added <= 25.0));
    printf("  fsync each:      median %.1f µs, %.0f decisions/s (%zu requests)\n", synced.median_us,
           synced.per_second, n_sync);
    return 0;
}

/* ---- main ---------------------------------------------------------------------------------- */

static int usage(FILE *f) {
    fprintf(f,
            "usage: custos-bench [--requests N] [--threads N[,N...]] [--seed N] [--policies DIR]\n"
            "                    [--articles 10,11,13|all]\n"
            "                    [--contracts N] [--json] [--log]\n"
            "  --requests N   requests per run (default %d)\n"
            "  --threads LIST thread counts to run, e.g. 1 or 1,2,4 (default 1,2)\n"
            "  --seed N       the generator's seed (default %" PRIu64 ")\n"
            "  --policies DIR a regime folder or a folder of regimes (default: the gz-2012\n"
            "                 regime of the build tree's policies)\n"
            "  --articles L   which gz-2012 articles to load (default 10,11,13, the three the\n"
            "                 workload is about; `all` loads every encoded article)\n"
            "  --json         machine-readable output\n"
            "  --log          also decide with a decision log attached (1 thread): batched mode\n"
            "                 into a temporary file, reported as the ratio to no logging in\n"
            "                 this run; then fsync-each mode's throughput (at most 2000 requests)\n"
            "  --contracts N  contracts in the generated data (default %d); also reports the\n"
            "                 open time, memory and p99.9 (run with --threads 1,4)\n"
            "  --write-workload DIR  write the workload instead of timing it: DIR/contracts.yaml\n"
            "                 and DIR/requests.jsonl (one request a line, for `custos decide\n"
            "                 --batch`)\n",
            DEFAULT_REQUESTS, DEFAULT_SEED, CONTRACTS);
    return f == stderr ? 64 : 0;
}

static int parse_count(const char *s, unsigned long long max, unsigned long long *out) {
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || v == 0 || v > max || s[0] == '-') return -1;
    *out = v;
    return 0;
}

int main(int argc, char **argv) {
    size_t n = DEFAULT_REQUESTS;
    uint64_t seed = DEFAULT_SEED;
    int thread_counts[MAX_RUNS] = {1, 2}, nruns = 2, json = 0, with_log = 0, scale = 0;
    const char *policies_arg = NULL, *articles = "10,11,13", *write_dir = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        unsigned long long v;
        if (strcmp(a, "--json") == 0) {
            json = 1;
        } else if (strcmp(a, "--log") == 0) {
            with_log = 1;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            return usage(stdout);
        } else if (strcmp(a, "--requests") == 0 && i + 1 < argc) {
            if (parse_count(argv[++i], 100000000, &v)) {
                fprintf(stderr, "custos-bench: --requests: expected 1..100000000, got '%s'\n",
                        argv[i]);
                return 64;
            }
            n = (size_t)v;
        } else if (strcmp(a, "--seed") == 0 && i + 1 < argc) {
            if (parse_count(argv[++i], UINT64_MAX, &v)) {
                fprintf(stderr, "custos-bench: --seed: expected a positive integer, got '%s'\n",
                        argv[i]);
                return 64;
            }
            seed = (uint64_t)v;
        } else if (strcmp(a, "--contracts") == 0 && i + 1 < argc) {
            if (parse_count(argv[++i], 99999, &v)) {
                fprintf(stderr, "custos-bench: --contracts: expected 1..99999, got '%s'\n",
                        argv[i]);
                return 64;
            }
            contract_count = (int)v;
            scale = cpu_clock = 1;
        } else if (strcmp(a, "--write-workload") == 0 && i + 1 < argc) {
            write_dir = argv[++i];
        } else if (strcmp(a, "--policies") == 0 && i + 1 < argc) {
            policies_arg = argv[++i];
        } else if (strcmp(a, "--articles") == 0 && i + 1 < argc) {
            articles = argv[++i];
            if (strspn(articles, "0123456789,") != strlen(articles) &&
                strcmp(articles, "all") != 0) {
                fprintf(stderr,
                        "custos-bench: --articles: expected numbers like 10,11,13 or all\n");
                return 64;
            }
        } else if (strcmp(a, "--threads") == 0 && i + 1 < argc) {
            char list[128];
            snprintf(list, sizeof list, "%s", argv[++i]);
            nruns = 0;
            for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
                if (nruns == MAX_RUNS || parse_count(tok, 256, &v)) {
                    fprintf(stderr,
                            "custos-bench: --threads: expected up to %d counts of 1..256, "
                            "got '%s'\n",
                            MAX_RUNS, argv[i]);
                    return 64;
                }
                thread_counts[nruns++] = (int)v;
            }
            if (!nruns) return usage(stderr);
        } else {
            fprintf(stderr, "custos-bench: unknown or incomplete option '%s'\n", a);
            return usage(stderr);
        }
    }

    /* The workload, generated before anything is timed. */
    spec *specs = malloc(n * sizeof *specs);
    if (!specs) {
        fprintf(stderr, "custos-bench: out of memory for %zu requests\n", n);
        return 1;
    }
    size_t mix[K_COUNT] = {0}, expected[3] = {0};
    if (workload_make(seed, specs, n, mix, expected)) return 1;
    if (make_data_file(seed)) return 1;
    if (write_dir) {
        int rc = write_workload(write_dir, specs, n);
        remove_data();
        return rc;
    }

    /* The engine: the gz-2012 regime and the generated contracts. */
    char found[PATH_MAX], regime_dir[PATH_MAX + 16];
    const char *policies = policies_arg;
    if (!policies) {
        const char *root = find_policies(argv[0], found, sizeof found);
        if (!root) {
            fprintf(stderr, "custos-bench: cannot find the policies folder; use --policies DIR\n");
            return 1;
        }
        snprintf(regime_dir, sizeof regime_dir, "%s/gz-2012", root);
        policies = regime_dir;
        if (strcmp(articles, "all") != 0 && !(policies = make_subset(regime_dir, articles))) {
            fprintf(stderr, "custos-bench: cannot assemble the articles %s of %s\n", articles,
                    regime_dir);
            return 1;
        }
    }
    custos_config *cfg = NULL;
    custos_engine *eng = NULL;
    custos_error err = {0};
    if (custos_config_new(&cfg) || custos_config_add_policies(cfg, policies) ||
        custos_config_add_data(cfg, data_path)) {
        fprintf(stderr, "custos-bench: cannot configure the engine\n");
        return 1;
    }
    data_figures fig = {0};
    struct stat data_stat;
    if (stat(data_path, &data_stat) == 0) fig.document_bytes = (size_t)data_stat.st_size;
    memory_now(&fig.heap_before, &fig.rss_before);
    int64_t open_start = now_ns();
    custos_status st = custos_engine_open(cfg, &eng, &err);
    fig.open_ms = (double)(now_ns() - open_start) / 1e6;
    memory_now(&fig.heap_open, &fig.rss_open);
    custos_config_free(cfg);
    remove_data(); /* the engine holds the data now */
    data_path[0] = '\0';
    if (st) {
        fprintf(stderr, "custos-bench: %s%s%u:%u: %s (%s)\n", err.file, err.file[0] ? ":" : "",
                err.line, err.column, err.message, custos_status_name(st));
        return 1;
    }

    run runs[MAX_RUNS];
    int failed = 0;
    for (int i = 0; i < nruns; i++) {
        if (run_workload(eng, specs, n, thread_counts[i], &runs[i])) return 1;
        failed |= runs[i].mismatches || runs[i].with_errors;
    }
    if (json)
        print_json(runs, nruns, n, seed, mix, expected, !failed);
    else
        print_text(runs, nruns, n, seed, mix, expected, policies, articles);
    if (scale && !json) print_data_figures(&fig, runs, nruns);
    if (with_log && bench_logging(eng, specs, n, json)) failed = 1;
    if (failed)
        fprintf(stderr, "custos-bench: FAILED: some decisions were not what the generator expected "
                        "or had policy errors (examples above)\n");
    custos_engine_close(eng);
    free(specs);
    return failed ? 1 : 0;
}
