/* test_utf8.c — the one UTF-8 module: decoding, validation, repair, trimming, counting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "utf8.h"

static size_t length_of(const char *s) { return utf8_sequence_length(s, strlen(s)); }

static void decodes_each_length(void **state) {
    (void)state;
    uint32_t cp;
    assert_int_equal(utf8_decode("A", 1, &cp), 1);
    assert_int_equal(cp, 0x41);
    assert_int_equal(utf8_decode("\xC3\xA9", 2, &cp), 2); /* é */
    assert_int_equal(cp, 0xE9);
    assert_int_equal(utf8_decode("\xE4\xB8\xAD", 3, &cp), 3); /* 中 */
    assert_int_equal(cp, 0x4E2D);
    assert_int_equal(utf8_decode("\xF0\x9F\x98\x80", 4, &cp), 4); /* U+1F600 */
    assert_int_equal(cp, 0x1F600);
    assert_int_equal(utf8_decode("\xF4\x8F\xBF\xBF", 4, &cp), 4); /* U+10FFFF, the last */
    assert_int_equal(cp, 0x10FFFF);
    assert_int_equal(utf8_decode("", 0, &cp), 0);
}

static void refuses_what_rfc3629_refuses(void **state) {
    (void)state;
    assert_int_equal(length_of("\x80"), 0);             /* a lone continuation byte */
    assert_int_equal(length_of("\xC0\x80"), 0);         /* overlong NUL */
    assert_int_equal(length_of("\xC1\xBF"), 0);         /* overlong two-byte */
    assert_int_equal(length_of("\xE0\x80\xAF"), 0);     /* overlong three-byte */
    assert_int_equal(length_of("\xF0\x80\x80\xAF"), 0); /* overlong four-byte */
    assert_int_equal(length_of("\xED\xA0\x80"), 0);     /* surrogate U+D800 */
    assert_int_equal(length_of("\xED\xBF\xBF"), 0);     /* surrogate U+DFFF */
    assert_int_equal(length_of("\xF4\x90\x80\x80"), 0); /* past U+10FFFF */
    assert_int_equal(length_of("\xF5\x80\x80\x80"), 0);
    assert_int_equal(length_of("\xFF"), 0);
    assert_int_equal(length_of("\xE4\xB8"), 0); /* truncated by the NUL */
    assert_int_equal(length_of("\xE4"
                               "A"
                               "\xAD"),
                     0); /* interrupted */
    /* the length bounds the read: a valid sequence cut by len is refused */
    assert_int_equal(utf8_sequence_length("\xE4\xB8\xAD", 2), 0);
}

static void validates_whole_strings(void **state) {
    (void)state;
    assert_true(utf8_valid("", 0));
    assert_true(utf8_valid("plain ASCII", 11));
    assert_true(utf8_valid("\xE4\xB8\xAD\xE6\x96\x87 ok", 9));
    assert_true(utf8_valid("a\0b", 3)); /* NUL is a character */
    assert_false(utf8_valid("ok \xFF", 4));
    assert_false(utf8_valid("\xE4\xB8\xAD\xE6\x96", 5));
}

static void repairs_each_bad_byte_with_one_replacement(void **state) {
    (void)state;
    const char *bad = "bad \xff byte \xe4\xb8";
    size_t len = strlen(bad);
    size_t need = utf8_repaired_length(bad, len);
    char *out = malloc(need + 1);
    assert_non_null(out);
    size_t n = utf8_repair_into(bad, len, out);
    out[n] = '\0';
    assert_int_equal(n, need);
    /* \xe4\xb8 is a truncated sequence: two bytes, two replacements */
    assert_string_equal(out, "bad \xEF\xBF\xBD byte \xEF\xBF\xBD\xEF\xBF\xBD");
    assert_true(utf8_valid(out, n));
    free(out);
    assert_int_equal(utf8_repaired_length("\xE4\xB8\xAD", 3), 3); /* valid: unchanged */
}

static void trims_to_a_character_boundary(void **state) {
    (void)state;
    char s[16];
    strcpy(s, "ab\xE4\xB8\xAD");
    utf8_trim(s);
    assert_string_equal(s, "ab\xE4\xB8\xAD"); /* whole: kept */
    strcpy(s, "ab\xE4\xB8");
    utf8_trim(s);
    assert_string_equal(s, "ab"); /* cut in the middle: dropped */
    strcpy(s, "ab\xF0\x9F\x98");
    utf8_trim(s);
    assert_string_equal(s, "ab");
    strcpy(s, "ab\xC3");
    utf8_trim(s);
    assert_string_equal(s, "ab");
    assert_int_equal(utf8_trim_length("\x80\x80", 2), 2); /* nothing to cut back to */
    assert_int_equal(utf8_trim_length("", 0), 0);
}

static void error_messages_are_cut_on_a_character(void **state) {
    (void)state;
    custos_error err;
    char long_text[2 * CUSTOS_ERROR_MESSAGE_MAX];
    size_t n = 0;
    while (n + 3 < sizeof long_text) {
        memcpy(long_text + n, "\xE4\xB8\xAD", 3); /* 中 repeated, 3 bytes each */
        n += 3;
    }
    long_text[n] = '\0';
    error_set(&err, CUSTOS_E_INPUT, "f", 1, 1, "x%s", long_text);
    size_t len = strlen(err.message);
    assert_true(len < CUSTOS_ERROR_MESSAGE_MAX);
    assert_true(len > CUSTOS_ERROR_MESSAGE_MAX - 4);
    assert_true(utf8_valid(err.message, len));
}

static void counts_characters_and_bom(void **state) {
    (void)state;
    assert_int_equal(utf8_count_chars("a\xE4\xB8\xAD"
                                      "b",
                                      5),
                     3);
    assert_int_equal(utf8_count_chars("\xFF\xFE", 2), 2);
    assert_int_equal(utf8_bom_length("\xEF\xBB\xBF{}", 5), 3);
    assert_int_equal(utf8_bom_length("{}", 2), 0);
    assert_int_equal(utf8_bom_length("\xEF\xBB", 2), 0);
    assert_true(utf8_is_continuation(0x80));
    assert_true(utf8_is_continuation(0xBF));
    assert_false(utf8_is_continuation(0xC0));
    assert_false(utf8_is_continuation('a'));
}

static void precisions_quote_whole_characters(void **state) {
    (void)state;
    assert_int_equal(utf8_precision("short", 40), 5);
    assert_int_equal(utf8_precision("\xE4\xB8\xAD\xE4\xB8\xAD", 4), 3); /* not 4 */
    assert_int_equal(utf8_precision("\xE4\xB8\xAD\xE4\xB8\xAD", 6), 6);
    assert_int_equal(utf8_precision("abcdef", 3), 3);
    assert_int_equal(utf8_precision("", 3), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(decodes_each_length),
        cmocka_unit_test(refuses_what_rfc3629_refuses),
        cmocka_unit_test(validates_whole_strings),
        cmocka_unit_test(repairs_each_bad_byte_with_one_replacement),
        cmocka_unit_test(trims_to_a_character_boundary),
        cmocka_unit_test(error_messages_are_cut_on_a_character),
        cmocka_unit_test(counts_characters_and_bom),
        cmocka_unit_test(precisions_quote_whole_characters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
