/*
 * arena.h — bump allocation in chunks: many small objects freed (or reset) at once.
 * Used for document trees, request fields and decision strings, so the hot path reuses memory
 * instead of calling malloc per field.
 */
#ifndef CUSTOS_ARENA_H
#define CUSTOS_ARENA_H

#include <stddef.h>

typedef struct arena_chunk arena_chunk;

typedef struct arena {
    arena_chunk *head;  /* chunk being filled */
    arena_chunk *spare; /* chunks kept by arena_reset for reuse */
    size_t chunk_size;  /* default size of new chunks */
} arena;

/* Starts an empty arena; nothing is allocated until the first arena_alloc. */
void arena_init(arena *a, size_t chunk_size);

/* Returns size bytes aligned for any object, or NULL when out of memory.  Valid until
 * arena_reset or arena_free. */
void *arena_alloc(arena *a, size_t size);

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
