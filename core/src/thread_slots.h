/*
 * thread_slots.h — an engine's per-thread evaluators, and who frees each one.
 *
 * Each thread that decides on an engine owns one slot: its evaluator and the bundle generation
 * it was built on.  A slot is freed exactly once, by whichever comes first under the set's
 * lock: the thread exiting (a thread-specific destructor on a process-wide key that is never
 * deleted while the library is loaded, so it cannot be lost to a racing close) or
 * thread_slots_close.  The set itself is reference-counted by the engine and by every slot, so
 * a thread exiting during or after close still finds the lock it needs.
 */
#ifndef CUSTOS_THREAD_SLOTS_H
#define CUSTOS_THREAD_SLOTS_H

#include <stdint.h>

#include "custos.h"
#include "evaluator.h"

typedef struct thread_slots thread_slots;

/* One thread's evaluator on one engine.  Only its own thread reads these fields (between calls
 * on the engine); they change through thread_slot_replace. */
typedef struct thread_slot {
    evaluator *ev;
    uint64_t generation;
    /* internal: the set (referenced), its list (under the set's lock), the thread's list */
    thread_slots *set;
    struct thread_slot *prev, *next, *thread_next;
} thread_slot;

/* A new, empty set (the engine's reference); CUSTOS_E_NOMEM or CUSTOS_E_INTERNAL (no
 * thread-specific key) with err filled. */
custos_status thread_slots_new(thread_slots **out, custos_error *err);

/* The calling thread's slot in set, or NULL when it has none yet. */
thread_slot *thread_slots_mine(thread_slots *set);

/* Gives the calling thread an empty slot in set (ev NULL, generation 0); NULL when out of
 * memory.  Releases first the calling thread's slots on sets already closed. */
thread_slot *thread_slots_add(thread_slots *set);

/* Installs ev (built on `generation`) in the calling thread's slot and returns the evaluator
 * it replaces, for the caller to free. */
evaluator *thread_slot_replace(thread_slots *set, thread_slot *slot, evaluator *ev,
                               uint64_t generation);

/* Frees every thread's evaluator and drops the engine's reference.  No thread may be inside a
 * call on the engine; threads may be exiting.  The calling thread's slot is freed at once,
 * other threads' when they exit or next add a slot. */
void thread_slots_close(thread_slots *set);

#endif
