/* test_arena.c — the bump allocator under the decide path: the inline bump in the head chunk,
 * sizes that overflow its rounding, chunks bigger than the default, and reuse after a reset. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "arena.h"

#define CHUNK 256

static void assert_aligned(const void *p) {
    assert_non_null(p);
    assert_int_equal((uintptr_t)p % ARENA_ALIGN, 0);
}

/* Allocations of every small size are aligned, and none overlaps another: each is filled with
 * its own byte and all are read back after the last one. */
static void allocations_are_aligned_and_apart(void **state) {
    (void)state;
    arena a;
    arena_init(&a, CHUNK);
    unsigned char *blocks[200];
    size_t sizes[200];
    for (size_t i = 0; i < 200; i++) {
        sizes[i] = i % 70; /* 0 too: a distinct, usable byte */
        blocks[i] = arena_alloc(&a, sizes[i]);
        assert_aligned(blocks[i]);
        memset(blocks[i], (int)i, sizes[i] ? sizes[i] : 1);
    }
    for (size_t i = 0; i < 200; i++)
        for (size_t k = 0; k < (sizes[i] ? sizes[i] : 1); k++)
            assert_int_equal(blocks[i][k], (unsigned char)i);
    arena_free(&a);
}

/* Sizes whose rounding up to the alignment wraps around must fail, not hand out a few bytes
 * of the head chunk: with the head partly used (the inline path's case) and with none. */
static void overflowing_sizes_fail_and_leave_the_arena_usable(void **state) {
    (void)state;
    size_t huge[] = {SIZE_MAX, SIZE_MAX - 1, SIZE_MAX - ARENA_ALIGN + 2};
    for (int used = 0; used < 2; used++) {
        arena a;
        arena_init(&a, CHUNK);
        unsigned char *before = used ? arena_alloc(&a, 8) : NULL;
        if (before) memset(before, 0xAB, 8);
        for (size_t i = 0; i < sizeof huge / sizeof huge[0]; i++)
            assert_null(arena_alloc(&a, huge[i]));
        unsigned char *after = arena_alloc(&a, 8);
        assert_aligned(after);
        memset(after, 0xCD, 8);
        if (before) {
            assert_true(after >= before + 8 || after + 8 <= before);
            for (size_t k = 0; k < 8; k++) assert_int_equal(before[k], 0xAB);
        }
        arena_free(&a);
    }
}

/* A block larger than the chunk size gets a chunk of its own; small blocks go on after it. */
static void a_block_larger_than_a_chunk_gets_its_own(void **state) {
    (void)state;
    arena a;
    arena_init(&a, CHUNK);
    unsigned char *small = arena_alloc(&a, 16);
    unsigned char *big = arena_alloc(&a, 10 * CHUNK);
    unsigned char *next = arena_alloc(&a, 16);
    assert_aligned(small);
    assert_aligned(big);
    assert_aligned(next);
    memset(small, 1, 16);
    memset(big, 2, 10 * CHUNK);
    memset(next, 3, 16);
    assert_int_equal(small[15], 1);
    assert_int_equal(big[0], 2);
    assert_int_equal(big[10 * CHUNK - 1], 2);
    assert_int_equal(next[0], 3);
    arena_free(&a);
}

/* After a reset the kept chunk is used again from its start: a decision reusing its arena
 * allocates nothing in steady state. */
static void a_reset_reuses_the_memory(void **state) {
    (void)state;
    arena a;
    arena_init(&a, CHUNK);
    void *first = arena_alloc(&a, 40);
    void *second = arena_alloc(&a, 40);
    for (int round = 0; round < 3; round++) {
        arena_reset(&a);
        assert_ptr_equal(arena_alloc(&a, 40), first);
        assert_ptr_equal(arena_alloc(&a, 40), second);
    }
    arena_free(&a);
}

/* arena_grow keeps what the array held and reports the capacity it gave. */
static void grow_keeps_the_items(void **state) {
    (void)state;
    arena a;
    arena_init(&a, CHUNK);
    int *items = NULL;
    size_t cap = 0;
    for (int i = 0; i < 100; i++) {
        items = arena_grow(&a, items, (size_t)i, &cap, (size_t)i + 1, sizeof *items);
        assert_non_null(items);
        assert_true(cap >= (size_t)i + 1);
        items[i] = i * 7;
    }
    for (int i = 0; i < 100; i++) assert_int_equal(items[i], i * 7);
    assert_null(arena_grow(&a, items, 100, &cap, SIZE_MAX, sizeof *items));
    arena_free(&a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(allocations_are_aligned_and_apart),
        cmocka_unit_test(overflowing_sizes_fail_and_leave_the_arena_usable),
        cmocka_unit_test(a_block_larger_than_a_chunk_gets_its_own),
        cmocka_unit_test(a_reset_reuses_the_memory),
        cmocka_unit_test(grow_keeps_the_items),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
