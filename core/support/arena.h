/*
 * arena.h — bump allocation in chunks: many small objects freed (or reset) at once.
 * Used for document trees, request fields and decision strings, so the hot path reuses memory
 * instead of calling malloc per field.
 */
#ifndef CUSTOS_ARENA_H
#define CUSTOS_ARENA_H

#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>

typedef struct arena_chunk arena_chunk;

typedef struct arena {
    arena_chunk *head;   /* chunk being filled */
    arena_chunk *spare;  /* chunks kept by arena_reset for reuse */
    size_t chunk_size;   /* default size of new chunks */
    unsigned char *free; /* head's unused bytes: [free, end) */
    unsigned char *end;
} arena;

#define ARENA_ALIGN alignof(max_align_t)

/* Starts an empty arena; nothing is allocated until the first arena_alloc. */
void arena_init(arena *a, size_t chunk_size);

/* arena_alloc when the head chunk has no room: a spare or new chunk. */
void *arena_alloc_chunk(arena *a, size_t size);

/* Returns size bytes aligned for any object, or NULL when out of memory.  Valid until
 * arena_reset or arena_free.  Inline: the hot paths allocate a few small objects per call, and
 * a bump in the head chunk is a handful of instructions. */
static inline void *arena_alloc(arena *a, size_t size) {
    size_t rounded = ((size ? size : 1) + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
    if (rounded >= size && rounded <= (uintptr_t)a->end - (uintptr_t)a->free) {
        void *p = a->free;
        a->free += rounded;
        return p;
    }
    return arena_alloc_chunk(a, size);
}

/* Copies len bytes of s and a terminating NUL; NULL when out of memory. */
char *arena_strndup(arena *a, const char *s, size_t len);
char *arena_strdup(arena *a, const char *s);

/* Grows (or starts) an array of `elem` bytes per item so it can hold `need` items, copying the
 * `count` items it held.  *cap is updated.  Returns the array or NULL when out of memory. */
void *arena_grow(arena *a, void *items, size_t count, size_t *cap, size_t need, size_t elem);

/* Forgets every allocation but keeps the memory for reuse. */
void arena_reset(arena *a);

/* Releases everything. */
void arena_free(arena *a);

#endif
