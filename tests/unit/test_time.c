/* test_time.c — RFC 3339 instants, dates at UTC+08:00, calendar arithmetic. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "timeutil.h"

/* Parses a NUL-terminated instant, failing the test if it is refused. */
static int64_t instant(const char *s) {
    int64_t epoch = 0;
    const char *why = NULL;
    bool ok = time_parse_instant(s, strlen(s), &epoch, &why);
    if (!ok) fail_msg("'%s' refused: %s", s, why ? why : "(no reason)");
    return epoch;
}

/* Asserts that s is refused as an instant and that a reason starting "expected" is given. */
static void assert_instant_refused(const char *s) {
    int64_t epoch = 12345;
    const char *why = NULL;
    if (time_parse_instant(s, strlen(s), &epoch, &why)) fail_msg("'%s' was accepted", s);
    assert_non_null(why);
    assert_int_equal(strncmp(why, "expected", 8), 0);
    assert_int_equal(epoch, 12345); /* untouched on failure */
}

static void offsets_are_applied(void **state) {
    (void)state;
    assert_int_equal(instant("2026-11-22T10:00:00+08:00"), 1795312800);
    assert_int_equal(instant("2026-11-22T10:00:00Z"), 1795341600);
    assert_int_equal(instant("2026-11-22T10:00:00-05:30"), 1795361400);
    assert_int_equal(instant("2026-11-22t10:00:00z"), 1795341600);
    assert_int_equal(instant("2026-11-22 10:00:00+00:00"), 1795341600);
    assert_int_equal(instant("1970-01-01T00:00:00Z"), 0);
    assert_int_equal(instant("1969-12-31T23:59:59Z"), -1);
    assert_int_equal(instant("1900-01-01T00:00:00+08:00"), -2209017600LL);
    /* strftime's %z form, without the colon */
    assert_int_equal(instant("2026-11-22T10:00:00+0800"), 1795312800);
    assert_int_equal(instant("2026-11-22T10:00:00-0530"), 1795361400);
}

static void formatting_at_any_offset(void **state) {
    (void)state;
    char buf[40];
    assert_true(time_format_offset(1795312800, 8 * 60, buf, sizeof buf));
    assert_string_equal(buf, "2026-11-22T10:00:00+08:00");
    assert_true(time_format_offset(1795361400, -330, buf, sizeof buf));
    assert_string_equal(buf, "2026-11-22T10:00:00-05:30");
    assert_true(time_format_offset(0, -60, buf, sizeof buf));
    assert_string_equal(buf, "1969-12-31T23:00:00-01:00");
    assert_true(time_format_offset(1795341600, 0, buf, sizeof buf));
    assert_string_equal(buf, "2026-11-22T10:00:00+00:00");
    assert_false(time_format_offset(0, 24 * 60, buf, sizeof buf));
    assert_false(time_format_offset(INT64_MAX, 0, buf, sizeof buf));
    assert_false(time_format_offset(INT64_MIN, 0, buf, sizeof buf));
}

static void fractions_are_truncated(void **state) {
    (void)state;
    assert_int_equal(instant("2026-11-22T10:00:00.999999+08:00"), 1795312800);
    assert_int_equal(instant("2026-11-22T10:00:00.1Z"), 1795341600);
    assert_instant_refused("2026-11-22T10:00:00.Z");
}

static void leap_years_are_respected(void **state) {
    (void)state;
    int64_t day;
    const char *why = NULL;
    assert_int_equal(instant("2024-02-29T12:00:00+00:00"), 1709208000);
    assert_true(time_parse_date("2000-02-29", 10, &day, &why));
    assert_false(time_parse_date("2023-02-29", 10, &day, &why));
    assert_non_null(why);
    why = NULL;
    assert_false(time_parse_date("1900-02-29", 10, &day, &why));
    assert_non_null(why);
    assert_true(time_parse_date("2024-12-31", 10, &day, &why));
}

static void impossible_days_are_refused(void **state) {
    (void)state;
    int64_t day;
    const char *why = NULL;
    assert_false(time_parse_date("2026-04-31", 10, &day, &why));
    assert_non_null(why);
    assert_non_null(strstr(why, "day"));
    assert_true(time_parse_date("2026-04-30", 10, &day, &why));
    why = NULL;
    assert_false(time_parse_date("2026-13-01", 10, &day, &why));
    assert_non_null(strstr(why, "month"));
    assert_false(time_parse_date("2026-00-10", 10, &day, &why));
    assert_false(time_parse_date("2026-01-00", 10, &day, &why));
    assert_instant_refused("2026-04-31T10:00:00Z");
}

static void ranges_of_time_are_checked(void **state) {
    (void)state;
    assert_instant_refused("2026-11-22T24:00:00Z");
    assert_instant_refused("2026-11-22T10:60:00Z");
    assert_instant_refused("2026-11-22T10:00:61Z");
    assert_instant_refused("2026-11-22T10:00:00+24:00");
    assert_instant_refused("2026-11-22T10:00:00+08:60");
    /* A leap second is accepted and counted as the second before it. */
    assert_int_equal(instant("2016-12-31T23:59:60Z"), instant("2016-12-31T23:59:59Z"));
}

static void garbage_is_refused(void **state) {
    (void)state;
    assert_instant_refused("");
    assert_instant_refused("yesterday");
    assert_instant_refused("2026-11-22");
    assert_instant_refused("2026-11-22T10:00:00");      /* no offset */
    assert_instant_refused("2026-11-22T10:00+08:00");   /* no seconds */
    assert_instant_refused("2026-11-22T10:00:00+080");  /* a short offset */
    assert_instant_refused("2026-11-22T10:00:00+08:0"); /* a short offset */
    assert_instant_refused("2026-11-22T10:00:00+2400"); /* out of range */
    assert_instant_refused("2026-11-22T10:00:00+08:00x");
    assert_instant_refused("2026/11/22T10:00:00Z");
    assert_instant_refused("26-11-22T10:00:00Z");
    assert_instant_refused("2026-11-22X10:00:00Z");
    assert_instant_refused("-026-11-22T10:00:00Z");

    const char *why = NULL;
    int64_t epoch;
    assert_false(time_parse_instant(NULL, 0, &epoch, &why));
    assert_non_null(why);
    why = NULL;
    assert_false(time_parse_date("2026-11-2", 9, &epoch, &why));
    assert_non_null(why);
    why = NULL;
    assert_false(time_parse_date("2026-11-22T", 11, &epoch, &why));
    assert_non_null(why);
    why = NULL;
    assert_false(time_parse_bound("soon", 4, false, &epoch, &why));
    assert_non_null(why);
    /* A NULL why is allowed. */
    assert_false(time_parse_instant("x", 1, &epoch, NULL));
}

static void length_bounds_the_text(void **state) {
    (void)state;
    /* The text need not be NUL-terminated: only len bytes are read. */
    const char text[] = "2026-11-22T10:00:00+08:00trailing";
    int64_t epoch;
    const char *why = NULL;
    assert_true(time_parse_instant(text, 25, &epoch, &why));
    assert_int_equal(epoch, 1795312800);
    assert_false(time_parse_instant(text, 24, &epoch, &why));
    assert_true(time_parse_date(text, 10, &epoch, &why));
}

static void dates_run_in_china_standard_time(void **state) {
    (void)state;
    int64_t start, end, day;
    const char *why = NULL;
    assert_true(time_parse_date("2027-06-30", 10, &day, &why));
    assert_int_equal(day, instant("2027-06-30T00:00:00+08:00"));
    assert_int_equal(day, 1814284800);

    assert_true(time_parse_bound("2027-06-30", 10, true, &end, &why));
    assert_int_equal(end, instant("2027-06-30T23:59:59+08:00"));
    assert_int_equal(end, 1814371199);
    assert_true(time_parse_bound("2027-06-30", 10, false, &start, &why));
    assert_int_equal(start, day);

    /* An instant passed as a bound is taken as is, whatever end_of_day says. */
    assert_true(time_parse_bound("2027-06-30T12:00:00Z", 20, true, &end, &why));
    assert_int_equal(end, instant("2027-06-30T12:00:00Z"));

    why = NULL;
    assert_false(time_parse_bound("2027-02-30", 10, true, &end, &why));
    assert_non_null(why);
}

static void civil_days_match_known_values(void **state) {
    (void)state;
    assert_int_equal(time_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(time_days_from_civil(1969, 12, 31), -1);
    assert_int_equal(time_days_from_civil(2000, 3, 1), 11017);
    assert_int_equal(time_days_from_civil(2400, 12, 31), 157419);
    assert_int_equal(time_days_from_civil(1, 1, 1), -719162);
}

static void formatting_uses_china_standard_time(void **state) {
    (void)state;
    char buf[32];
    time_format_cst(1795341600, buf, sizeof buf);
    assert_string_equal(buf, "2026-11-22T18:00:00+08:00");
    time_format_cst(0, buf, sizeof buf);
    assert_string_equal(buf, "1970-01-01T08:00:00+08:00");
    time_format_cst(-8 * 3600 - 1, buf, sizeof buf);
    assert_string_equal(buf, "1969-12-31T23:59:59+08:00");
    time_format_cst(1814371199, buf, sizeof buf);
    assert_string_equal(buf, "2027-06-30T23:59:59+08:00");

    /* Round trip through the parser. */
    int64_t back;
    const char *why = NULL;
    time_format_cst(1709208000, buf, sizeof buf);
    assert_true(time_parse_instant(buf, strlen(buf), &back, &why));
    assert_int_equal(back, 1709208000);

    /* 26 bytes are enough; fewer truncate safely. */
    char exact[26];
    time_format_cst(0, exact, sizeof exact);
    assert_string_equal(exact, "1970-01-01T08:00:00+08:00");
    char small[8];
    time_format_cst(0, small, sizeof small);
    assert_string_equal(small, "1970-01");
    time_format_cst(INT64_MAX, buf, sizeof buf); /* must not overflow (UBSan watches) */
    time_format_cst(INT64_MIN, buf, sizeof buf);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(offsets_are_applied),
        cmocka_unit_test(fractions_are_truncated),
        cmocka_unit_test(leap_years_are_respected),
        cmocka_unit_test(impossible_days_are_refused),
        cmocka_unit_test(ranges_of_time_are_checked),
        cmocka_unit_test(garbage_is_refused),
        cmocka_unit_test(length_bounds_the_text),
        cmocka_unit_test(dates_run_in_china_standard_time),
        cmocka_unit_test(civil_days_match_known_values),
        cmocka_unit_test(formatting_uses_china_standard_time),
        cmocka_unit_test(formatting_at_any_offset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
