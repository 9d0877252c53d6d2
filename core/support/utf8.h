/*
 * utf8.h — the one UTF-8 decoder of the library.  Everything that looks at UTF-8 bytes
 * (validating, counting columns, repairing text for JSON, cutting a message short) goes
 * through these, so every part agrees on what a character is.
 *
 * Valid means RFC 3629: no overlong forms, no surrogates (U+D800..U+DFFF), nothing past
 * U+10FFFF, no truncated sequence.
 */
#ifndef CUSTOS_UTF8_H
#define CUSTOS_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* U+FFFD REPLACEMENT CHARACTER, which stands for each byte that is not valid UTF-8. */
#define UTF8_REPLACEMENT "\xEF\xBF\xBD"
#define UTF8_REPLACEMENT_LEN 3

/* True for a continuation byte (10xxxxxx): not the start of a character. */
static inline bool utf8_is_continuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

/* Decodes the character at s (at most `len` bytes are read): returns its length (1-4) and sets
 * *code_point, or returns 0 when the bytes there are not a valid sequence (*code_point is then
 * the first byte).  len 0 returns 0. */
size_t utf8_decode(const char *s, size_t len, uint32_t *code_point);

/* The length (1-4) of the valid sequence at s, 0 when invalid; as utf8_decode. */
size_t utf8_sequence_length(const char *s, size_t len);

/* True when all len bytes of s are valid UTF-8. */
bool utf8_valid(const char *s, size_t len);

/* How many bytes s (len bytes) takes once each invalid byte is replaced by U+FFFD. */
size_t utf8_repaired_length(const char *s, size_t len);

/* Writes s with every byte that is not part of a valid sequence replaced by U+FFFD into out,
 * which must hold utf8_repaired_length(s, len) bytes; returns the bytes written (no NUL). */
size_t utf8_repair_into(const char *s, size_t len, char *out);

/* The number of characters in s (len bytes): bytes that are not continuation bytes, so each
 * invalid byte counts as one, as a text editor shows it. */
size_t utf8_count_chars(const char *s, size_t len);

/* The largest n <= len such that s[0..n) does not end inside a character: drops a lead byte
 * and the continuation bytes after it when they are fewer than it announces.  For cutting a
 * string that was truncated at a byte count. */
size_t utf8_trim_length(const char *s, size_t len);

/* Cuts a NUL-terminated string back to its last whole character (utf8_trim_length). */
void utf8_trim(char *s);

/* A printf precision for quoting at most max_bytes of NUL-terminated s without cutting a
 * character in two: `"found '%.*s'", utf8_precision(s, 80), s` where "%.80s" would cut
 * bytes.  A string shorter than max_bytes is quoted whole. */
int utf8_precision(const char *s, size_t max_bytes);

/* 3 when s starts with a UTF-8 byte order mark (EF BB BF), else 0. */
size_t utf8_bom_length(const char *s, size_t len);

#endif
