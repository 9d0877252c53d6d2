/*
 * thread_slots.c — see thread_slots.h.
 *
 * Why not one pthread key per engine, deleted at close: glibc's thread exit reads a key's
 * destructor and the thread's value before calling it, so a close that deletes the key and
 * frees the slots can race a thread that already started its destructor — both free the same
 * evaluator.  Here the key is process-wide and never deleted while the library is loaded; each
 * thread's key value is the list of its slots (one per engine it decided on), and a slot is
 * released under its set's lock by its thread's exit or by close, whichever comes first.
 */
#include "thread_slots.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "error.h"

struct thread_slots {
    pthread_mutex_t lock; /* guards slots, closed, refs and every slot's ev */
    thread_slot *slots;   /* the live threads' slots; empty once closed */
    bool closed;
    size_t refs; /* the engine's (until close) + one per slot */
};

static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static pthread_key_t thread_key; /* value: the thread's first slot (thread_next links them) */
static bool key_made;

/* Frees the set once its last reference (the engine's or a slot's) was dropped. */
static void free_if_last(thread_slots *set, bool last) {
    if (!last) return;
    pthread_mutex_destroy(&set->lock);
    free(set);
}

/* Unlinks slot from its set, frees its evaluator and the slot, and drops its reference on the
 * set.  Called by the slot's own thread only (its exit, close, or pruning); the set's lock
 * makes it exclusive with thread_slots_close freeing the same evaluator. */
static void slot_release(thread_slot *slot) {
    thread_slots *set = slot->set;
    pthread_mutex_lock(&set->lock);
    if (!set->closed) {
        if (slot->prev)
            slot->prev->next = slot->next;
        else
            set->slots = slot->next;
        if (slot->next) slot->next->prev = slot->prev;
    }
    evaluator *ev = slot->ev;
    slot->ev = NULL;
    bool last = --set->refs == 0;
    pthread_mutex_unlock(&set->lock);
    evaluator_free(ev);
    free(slot);
    free_if_last(set, last);
}

/* The key's destructor: the thread is exiting; value is its first slot. */
static void thread_exiting(void *value) {
    for (thread_slot *slot = value, *next; slot; slot = next) {
        next = slot->thread_next;
        slot_release(slot);
    }
}

static void make_key(void) { key_made = pthread_key_create(&thread_key, thread_exiting) == 0; }

/* When the library is unloaded (dlclose), no thread may keep a destructor in its code. */
__attribute__((destructor)) static void drop_key(void) {
    if (key_made) pthread_key_delete(thread_key);
    key_made = false;
}

custos_status thread_slots_new(thread_slots **out, custos_error *err) {
    *out = NULL;
    pthread_once(&key_once, make_key);
    if (!key_made)
        return error_set(err, CUSTOS_E_INTERNAL, NULL, 0, 0, "no thread-specific key left");
    thread_slots *set = calloc(1, sizeof *set);
    if (!set) return error_set(err, CUSTOS_E_NOMEM, NULL, 0, 0, "out of memory");
    if (pthread_mutex_init(&set->lock, NULL) != 0) {
        free(set);
        return error_set(err, CUSTOS_E_NOMEM, NULL, 0, 0, "out of memory");
    }
    set->refs = 1;
    *out = set;
    return CUSTOS_OK;
}

thread_slot *thread_slots_mine(thread_slots *set) {
    /* A slot keeps its set allocated, so a set's address names it while any slot refers to it. */
    for (thread_slot *slot = pthread_getspecific(thread_key); slot; slot = slot->thread_next)
        if (slot->set == set) return slot;
    return NULL;
}

/* Releases the calling thread's slots on closed sets (their evaluators are already freed). */
static void prune_closed(void) {
    thread_slot *keep = NULL, **tail = &keep;
    for (thread_slot *slot = pthread_getspecific(thread_key), *next; slot; slot = next) {
        next = slot->thread_next;
        pthread_mutex_lock(&slot->set->lock);
        bool closed = slot->set->closed;
        pthread_mutex_unlock(&slot->set->lock);
        if (closed) {
            slot_release(slot);
        } else {
            *tail = slot;
            tail = &slot->thread_next;
        }
    }
    *tail = NULL;
    pthread_setspecific(thread_key, keep);
}

thread_slot *thread_slots_add(thread_slots *set) {
    prune_closed();
    thread_slot *slot = calloc(1, sizeof *slot);
    if (!slot) return NULL;
    slot->set = set;
    slot->thread_next = pthread_getspecific(thread_key);
    if (pthread_setspecific(thread_key, slot) != 0) {
        free(slot);
        return NULL;
    }
    pthread_mutex_lock(&set->lock);
    set->refs++;
    slot->next = set->slots;
    if (set->slots) set->slots->prev = slot;
    set->slots = slot;
    pthread_mutex_unlock(&set->lock);
    return slot;
}

evaluator *thread_slot_replace(thread_slots *set, thread_slot *slot, evaluator *ev,
                               uint64_t generation) {
    pthread_mutex_lock(&set->lock);
    evaluator *old = slot->ev;
    slot->ev = ev;
    slot->generation = generation;
    pthread_mutex_unlock(&set->lock);
    return old;
}

void thread_slots_close(thread_slots *set) {
    if (!set) return;
    /* The calling thread's own slot goes now: a program's main thread never runs destructors. */
    thread_slot *head = pthread_getspecific(thread_key);
    for (thread_slot **link = &head; *link; link = &(*link)->thread_next)
        if ((*link)->set == set) {
            thread_slot *mine = *link;
            *link = mine->thread_next;
            pthread_setspecific(thread_key, head);
            slot_release(mine);
            break;
        }
    /* Other threads' evaluators are freed here; their slots stay theirs to release. */
    pthread_mutex_lock(&set->lock);
    set->closed = true;
    for (thread_slot *slot = set->slots; slot; slot = slot->next) {
        evaluator_free(slot->ev);
        slot->ev = NULL;
    }
    set->slots = NULL;
    bool last = --set->refs == 0;
    pthread_mutex_unlock(&set->lock);
    free_if_last(set, last);
}
