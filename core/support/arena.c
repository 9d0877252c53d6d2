/* arena.c — see arena.h. */
#include "arena.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

struct arena_chunk {
    arena_chunk *next;
    size_t size; /* usable bytes after the header */
    alignas(max_align_t) unsigned char data[];
};

void arena_init(arena *a, size_t chunk_size) {
    a->head = NULL;
    a->spare = NULL;
    a->chunk_size = chunk_size ? chunk_size : 4096;
    a->free = a->end = NULL;
}

/* Takes a spare chunk big enough, or mallocs one; links it as the new head, whose free part
 * it becomes (what the old head had left is not used again until a reset). */
static arena_chunk *arena_new_chunk(arena *a, size_t need) {
    arena_chunk **link = &a->spare;
    arena_chunk *c = NULL;
    while (*link && !c) {
        if ((*link)->size >= need) {
            c = *link;
            *link = c->next;
        } else {
            link = &(*link)->next;
        }
    }
    if (!c) {
        size_t size = need > a->chunk_size ? need : a->chunk_size;
        if (size > SIZE_MAX - sizeof *c || !(c = malloc(sizeof *c + size))) return NULL;
        c->size = size;
    }
    c->next = a->head;
    a->head = c;
    a->free = c->data;
    a->end = c->data + c->size;
    return c;
}

void *arena_alloc_chunk(arena *a, size_t size) {
    if (size == 0) size = 1;
    size_t rounded = (size + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
    if (rounded < size) return NULL; /* overflow */
    if (!a->head || (size_t)(a->end - a->free) < rounded) {
        if (!arena_new_chunk(a, rounded)) return NULL;
    }
    void *p = a->free;
    a->free += rounded;
    return p;
}

char *arena_strndup(arena *a, const char *s, size_t len) {
    char *p = arena_alloc(a, len + 1);
    if (!p) return NULL;
    if (len) memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *arena_strdup(arena *a, const char *s) { return arena_strndup(a, s, strlen(s)); }

void *arena_grow(arena *a, void *items, size_t count, size_t *cap, size_t need, size_t elem) {
    if (need <= *cap && items) return items;
    size_t new_cap = *cap ? *cap : 4;
    while (new_cap < need) {
        if (new_cap > (size_t)-1 / 2) return NULL;
        new_cap *= 2;
    }
    if (elem && new_cap > (size_t)-1 / elem) return NULL;
    void *fresh = arena_alloc(a, new_cap * elem);
    if (!fresh) return NULL;
    if (count) memcpy(fresh, items, count * elem);
    *cap = new_cap;
    return fresh;
}

void arena_reset(arena *a) {
    while (a->head) {
        arena_chunk *c = a->head;
        a->head = c->next;
        c->next = a->spare;
        a->spare = c;
    }
    a->free = a->end = NULL;
}

void arena_free(arena *a) {
    arena_reset(a);
    while (a->spare) {
        arena_chunk *c = a->spare;
        a->spare = c->next;
        free(c);
    }
}
