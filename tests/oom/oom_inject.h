/*
 * oom_inject.h — allocation-failure injection for tests/oom (test-only, never in libcustos).
 *
 * oom_inject.c defines malloc, calloc, realloc and free in the test program, so every
 * allocation of the process goes through it: libcustos's own, Lua's (sandbox_alloc calls
 * realloc), jansson's and libyaml's, and libc's (fopen, opendir, pthread_create).  Each forwards
 * to the allocator next in line (libc's, or ASan's in `make asan`).  While a phase is open the
 * allocations are numbered from 0; an armed injector fails the ones numbered [first, first+run)
 * (run 0: every one from first on).  It also counts live blocks, to find leaks without a
 * sanitizer, and can name each allocation's call site (a hash of its first stack frames).
 */
#ifndef OOM_INJECT_H
#define OOM_INJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OOM_SITE_FRAMES 4 /* frames above malloc that name a call site */

/* Starts numbering allocations from 0 (the phase under test); oom_end_phase stops. */
void oom_begin_phase(void);
void oom_end_phase(void);
/* Fails allocations first .. first+run-1 of the open phase; run 0 fails all from first on. */
void oom_arm(uint64_t first, uint64_t run);
void oom_disarm(void);
/* Allocations numbered in the current (or last) phase, and how many of them were failed. */
uint64_t oom_allocations(void);
uint64_t oom_failures(void);
/* Blocks allocated and not yet freed, process-wide, since the program started. */
long oom_live_blocks(void);

/* Called for each numbered allocation while recording, with its number and call site. */
typedef void (*oom_site_fn)(void *ud, uint64_t index, uint32_t site,
                            void *const frames[OOM_SITE_FRAMES]);
void oom_record_sites(oom_site_fn fn, void *ud); /* NULL stops */

#endif
