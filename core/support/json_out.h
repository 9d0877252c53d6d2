/*
 * json_out.h — writing JSON text, the one way the library produces it.
 *
 * A writer appends to a growable buffer from malloc (never jansson's allocator, which a host
 * may replace with json_set_alloc_funcs), so the text it hands over is always freed with
 * free().  Commas, separators and indentation follow from the calls; strings are escaped as
 * jansson escapes them (\" \\ \b \f \n \r \t, other control characters as \u00XX, everything
 * else as is) after replacing each byte that is not valid UTF-8 by U+FFFD, so the text is
 * always valid JSON in valid UTF-8.  The output is byte for byte what jansson's json_dumps
 * writes for the same values with JSON_COMPACT (indent 0) or JSON_INDENT(n) (indent n).
 *
 * Errors are sticky: after a failed allocation (or nesting deeper than JSON_OUT_MAX_DEPTH)
 * every call does nothing and json_out_finish returns NULL, so a producer checks once.
 *
 * Usage:
 *   json_out w;
 *   json_out_init(&w, 0);
 *   json_out_begin_object(&w);
 *   json_out_key(&w, "decision");
 *   json_out_string(&w, "permit");
 *   json_out_end_object(&w);
 *   size_t len;
 *   char *text = json_out_finish(&w, &len);   // NULL: out of memory; free(text) when done
 */
#ifndef CUSTOS_JSON_OUT_H
#define CUSTOS_JSON_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JSON_OUT_MAX_DEPTH 128

typedef struct json_out {
    char *text; /* malloc'd; NUL-terminated after every call that succeeded */
    size_t len, cap;
    bool failed;     /* sticky: out of memory, too deep, or calls out of order */
    unsigned indent; /* 0: compact; n: one member per line, n spaces per level */
    unsigned depth;  /* open objects and arrays */
    bool after_key;  /* a key was written; its value comes next */
    bool has_members[JSON_OUT_MAX_DEPTH + 1]; /* per open level: something written in it */
    bool is_object[JSON_OUT_MAX_DEPTH + 1];
} json_out;

/* Starts an empty writer; indent 0 writes compact JSON ("," and ":"), indent n > 0 writes
 * each member on its own line indented by n spaces per level, with ": " after keys. */
void json_out_init(json_out *w, unsigned indent);

void json_out_begin_object(json_out *w);
void json_out_end_object(json_out *w);
void json_out_begin_array(json_out *w);
void json_out_end_array(json_out *w);

/* A member's key (inside an object; its value is the next call). */
void json_out_key(json_out *w, const char *key);
void json_out_key_len(json_out *w, const char *key, size_t len);

/* A string value; NULL is written as "" (json_out_string) — use json_out_null for null.
 * len bytes may include NUL bytes (written as \u0000). */
void json_out_string(json_out *w, const char *s);
void json_out_string_len(json_out *w, const char *s, size_t len);

void json_out_bool(json_out *w, bool value);
void json_out_null(json_out *w);
void json_out_integer(json_out *w, int64_t value);
/* A number as jansson writes a real: "%.17g" with "." as the decimal point, ".0" added when it
 * would read as an integer, no '+' or leading zeros in the exponent.  A value that is not
 * finite (which JSON cannot hold) is written as null. */
void json_out_real(json_out *w, double value);

/* Ends the writer and hands over its text (malloc'd, NUL-terminated; free() it) and length
 * (len may be NULL).  NULL when anything failed or the value is incomplete; either way the
 * writer is left empty. */
char *json_out_finish(json_out *w, size_t *len);

/* Frees what the writer holds (after an error path that will not call json_out_finish). */
void json_out_discard(json_out *w);

#endif
