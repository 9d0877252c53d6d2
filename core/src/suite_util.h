/*
 * suite_util.h — small helpers of the suite reader and runner (suite_*.c): a growing string
 * buffer, path joining and display, and a monotonic clock.
 */
#ifndef CUSTOS_SUITE_UTIL_H
#define CUSTOS_SUITE_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#if defined(__GNUC__)
#define SUITE_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define SUITE_PRINTF(f, a)
#endif

/* A NUL-terminated, malloc'd string that grows; `failed` sticks after an allocation failure
 * (every later append is a no-op), so callers check once at the end. */
typedef struct sbuf {
    char *s;
    size_t len, cap;
    bool failed;
} sbuf;

void sbuf_init(sbuf *b);
void sbuf_free(sbuf *b);
void sbuf_clear(sbuf *b); /* keeps the memory */
void sbuf_addn(sbuf *b, const char *s, size_t n);
void sbuf_add(sbuf *b, const char *s);
void sbuf_addc(sbuf *b, char c);
void sbuf_printf(sbuf *b, const char *fmt, ...) SUITE_PRINTF(2, 3);
/* s as a JSON string literal, quotes included (also a YAML double-quoted scalar). */
void sbuf_add_json_string(sbuf *b, const char *s, size_t n);
/* The text (never NULL: "" before anything was added or after a failure). */
const char *sbuf_str(const sbuf *b);
/* Hands the text over (malloc'd; NULL after a failure) and resets the buffer. */
char *sbuf_take(sbuf *b);

/* `rel` resolved against the folder of `file` ("a/b/suite.yaml" + "../x" -> "a/b/../x");
 * an absolute rel is returned as is.  malloc'd. */
char *path_beside(const char *file, const char *rel);
/* a + "/" + b, malloc'd. */
char *path_join(const char *a, const char *b);
/* The folder part of a path ("." when there is none), malloc'd. */
char *path_dir(const char *path);
/* The last component (pointer into path). */
const char *path_base(const char *path);
/* A path for messages: "." and ".." components folded lexically, and an absolute path under
 * the current folder made relative to it.  malloc'd. */
char *path_display(const char *path);

bool path_is_dir(const char *path);
bool path_is_file(const char *path);

/* Seconds on a monotonic clock. */
double clock_seconds(void);

/* strdup that reports failure the same way (NULL). */
char *xstrdup(const char *s);

#endif
