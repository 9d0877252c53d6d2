/* oom_inject.c — see oom_inject.h. */
#define _GNU_SOURCE
#include "oom_inject.h"

#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <stdlib.h>
#include <stdatomic.h>
#include <string.h>

/* The build hides symbols by default; these must replace libc's for every library. */
#define OOM_EXPORT __attribute__((visibility("default")))

static void *(*next_malloc)(size_t);
static void *(*next_calloc)(size_t, size_t);
static void *(*next_realloc)(void *, size_t);
static void (*next_free)(void *);

/* dlsym may allocate before the next allocator is known: serve it from here (never freed). */
static _Alignas(16) char bootstrap[16384];
static size_t bootstrap_used;
static _Thread_local int inside; /* in the injector itself (dlsym, backtrace): pass through */

static atomic_bool numbering, armed;
static atomic_uint_fast64_t allocations, failures;
static uint64_t fail_first, fail_run;
static atomic_long live;
static oom_site_fn recorder;
static void *recorder_ud;

static bool from_bootstrap(const void *p) {
    return (const char *)p >= bootstrap && (const char *)p < bootstrap + sizeof bootstrap;
}

static void *bootstrap_alloc(size_t size) {
    size = (size + 15) & ~(size_t)15;
    if (size > sizeof bootstrap - bootstrap_used) return NULL;
    void *p = bootstrap + bootstrap_used;
    bootstrap_used += size;
    return p;
}

static bool resolve(void) {
    static _Thread_local bool resolving; /* dlsym allocating: serve it from the bootstrap */
    if (next_free) return true;
    if (resolving) return false;
    resolving = true;
    inside++;
    next_malloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
    next_calloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "calloc");
    next_realloc = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
    next_free = (void (*)(void *))dlsym(RTLD_NEXT, "free");
    inside--;
    resolving = false;
    return next_free != NULL;
}

/* Numbers this allocation when a phase is open; true when it must fail. */
__attribute__((noinline)) static bool must_fail(void) {
    if (inside || !atomic_load_explicit(&numbering, memory_order_relaxed)) return false;
    uint64_t index = atomic_fetch_add(&allocations, 1);
    if (recorder) {
        inside++;
        void *frames[OOM_SITE_FRAMES + 2];
        int n = backtrace(frames, OOM_SITE_FRAMES + 2);
        void *site_frames[OOM_SITE_FRAMES] = {0};
        uint32_t site = 2166136261u; /* FNV-1a over the return addresses above the hook */
        for (int i = 2; i < n && i < OOM_SITE_FRAMES + 2; i++) {
            site_frames[i - 2] = frames[i];
            uintptr_t a = (uintptr_t)frames[i];
            for (size_t b = 0; b < sizeof a; b++)
                site = (site ^ ((a >> (8 * b)) & 0xff)) * 16777619u;
        }
        recorder(recorder_ud, index, site, site_frames);
        inside--;
    }
    if (!atomic_load_explicit(&armed, memory_order_relaxed) || index < fail_first ||
        (fail_run && index - fail_first >= fail_run))
        return false;
    atomic_fetch_add(&failures, 1);
    errno = ENOMEM; /* as the real allocator says it */
    return true;
}

OOM_EXPORT void *malloc(size_t size) {
    if (!resolve()) return bootstrap_alloc(size);
    if (must_fail()) return NULL;
    void *p = next_malloc(size);
    if (p) atomic_fetch_add_explicit(&live, 1, memory_order_relaxed);
    return p;
}

OOM_EXPORT void *calloc(size_t count, size_t size) {
    if (!resolve()) {
        if (size && count > SIZE_MAX / size) return NULL;
        void *p = bootstrap_alloc(count * size);
        if (p) memset(p, 0, count * size);
        return p;
    }
    if (must_fail()) return NULL;
    void *p = next_calloc(count, size);
    if (p) atomic_fetch_add_explicit(&live, 1, memory_order_relaxed);
    return p;
}

OOM_EXPORT void *realloc(void *ptr, size_t size) {
    if (!resolve() || from_bootstrap(ptr)) {
        void *p = resolve() ? malloc(size) : bootstrap_alloc(size);
        if (p && ptr) memcpy(p, ptr, size); /* the old block is at least this large or ends */
        return p;                           /* the bootstrap buffer: dlsym's only, tiny */
    }
    if (size == 0 && ptr) { /* frees */
        atomic_fetch_sub_explicit(&live, 1, memory_order_relaxed);
        return next_realloc(ptr, 0);
    }
    if (must_fail()) return NULL;
    void *p = next_realloc(ptr, size);
    if (p && !ptr) atomic_fetch_add_explicit(&live, 1, memory_order_relaxed);
    return p;
}

OOM_EXPORT void free(void *ptr) {
    if (!ptr || from_bootstrap(ptr)) return;
    atomic_fetch_sub_explicit(&live, 1, memory_order_relaxed);
    next_free(ptr);
}

void oom_begin_phase(void) {
    atomic_store(&allocations, 0);
    atomic_store(&failures, 0);
    atomic_store(&numbering, true);
}

void oom_end_phase(void) {
    atomic_store(&numbering, false);
    atomic_store(&armed, false);
}

void oom_arm(uint64_t first, uint64_t run) {
    fail_first = first;
    fail_run = run;
    atomic_store(&armed, true);
}

void oom_disarm(void) { atomic_store(&armed, false); }

uint64_t oom_allocations(void) { return atomic_load(&allocations); }
uint64_t oom_failures(void) { return atomic_load(&failures); }
long oom_live_blocks(void) { return atomic_load(&live); }

void oom_record_sites(oom_site_fn fn, void *ud) {
    if (fn) { /* backtrace loads its unwinder on first use: not inside a phase */
        void *warm[2];
        inside++;
        backtrace(warm, 2);
        inside--;
    }
    recorder_ud = ud;
    recorder = fn;
}
