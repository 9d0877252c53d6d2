/*
 * timeutil.c — RFC 3339 instants and calendar dates as Unix seconds, by arithmetic alone (no
 * mktime, localtime or TZ), so results never depend on the host's time zone.  See timeutil.h.
 */
#include "timeutil.h"

#include <stdio.h>

#define SECONDS_PER_DAY 86400

static const char WHY_DATE[] = "expected a date like 2027-06-30 (YYYY-MM-DD)";
static const char WHY_INSTANT[] =
    "expected an RFC 3339 time with an offset, like 2026-11-22T10:00:00+08:00";

static void set_why(const char **why, const char *text) {
    if (why) *why = text;
}

/* Reads exactly `count` decimal digits at s. */
static bool read_digits(const char *s, size_t count, unsigned *value) {
    unsigned v = 0;
    for (size_t i = 0; i < count; i++) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    *value = v;
    return true;
}

static bool is_leap_year(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static unsigned days_in_month(int64_t y, unsigned m) {
    static const unsigned days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap_year(y) ? 29 : days[m - 1];
}

int64_t time_days_from_civil(int64_t y, unsigned m, unsigned d) {
    /* Hinnant's days_from_civil: exact for every proleptic Gregorian date whose year fits in
     * a few hundred billion; m must be 1-12 and d 1-31. */
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t year_of_era = y - era * 400;                                   /* [0, 399] */
    int64_t day_of_year = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
    int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468;
}

/* The inverse of time_days_from_civil (Hinnant's civil_from_days). */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d) {
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t day_of_era = z - era * 146097;
    int64_t year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    int64_t mp = (5 * day_of_year + 2) / 153;
    *d = (unsigned)(day_of_year - (153 * mp + 2) / 5 + 1);
    *m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    *y = year_of_era + era * 400 + (*m <= 2);
}

/* Reads "YYYY-MM-DD" from the first 10 bytes of s into days since the epoch. */
static bool read_date(const char *s, size_t len, int64_t *days, const char **why) {
    unsigned y, m, d;
    if (len < 10 || !read_digits(s, 4, &y) || s[4] != '-' || !read_digits(s + 5, 2, &m) ||
        s[7] != '-' || !read_digits(s + 8, 2, &d)) {
        set_why(why, WHY_DATE);
        return false;
    }
    if (m < 1 || m > 12) {
        set_why(why, "expected a month from 01 to 12");
        return false;
    }
    if (d < 1 || d > days_in_month(y, m)) {
        set_why(why, "expected a day that exists in that month (e.g. no April 31 or "
                     "February 29 outside leap years)");
        return false;
    }
    *days = time_days_from_civil(y, m, d);
    return true;
}

bool time_parse_date(const char *s, size_t len, int64_t *day_start, const char **why) {
    /* Exactly ten characters; the day starts at 00:00:00 in UTC+08:00. */
    int64_t days;
    if (!s || len != 10) {
        set_why(why, WHY_DATE);
        return false;
    }
    if (!read_date(s, len, &days, why)) return false;
    *day_start = days * SECONDS_PER_DAY - CUSTOS_DATE_OFFSET_SECONDS;
    return true;
}

/* Reads "+HH:MM", "-HH:MM", "Z" or "z" at s[*i]; *offset in seconds east of UTC. */
static bool read_offset(const char *s, size_t len, size_t *i, int64_t *offset, const char **why) {
    if (*i < len && (s[*i] == 'Z' || s[*i] == 'z')) {
        *offset = 0;
        (*i)++;
        return true;
    }
    /* "+HH:MM", or strftime's %z form "+HHMM" */
    unsigned hours, minutes;
    bool colon = *i + 3 < len && s[*i + 3] == ':';
    size_t width = colon ? 6 : 5;
    if (*i + width > len || (s[*i] != '+' && s[*i] != '-') || !read_digits(s + *i + 1, 2, &hours) ||
        !read_digits(s + *i + width - 2, 2, &minutes)) {
        set_why(why, "expected an offset after the time: Z, +HH:MM / -HH:MM (e.g. +08:00) or "
                     "+HHMM (e.g. +0800)");
        return false;
    }
    if (hours > 23 || minutes > 59) {
        set_why(why, "expected an offset from -23:59 to +23:59");
        return false;
    }
    int64_t seconds = (int64_t)hours * 3600 + (int64_t)minutes * 60;
    *offset = s[*i] == '-' ? -seconds : seconds;
    *i += width;
    return true;
}

bool time_parse_instant(const char *s, size_t len, int64_t *epoch, const char **why) {
    /* date 'T' time [fraction] offset, with nothing after; a leap second counts as :59. */
    int64_t days, offset;
    unsigned hour, minute, second;
    if (!s || len < 10) {
        set_why(why, WHY_INSTANT);
        return false;
    }
    if (!read_date(s, len, &days, why)) {
        if (why && *why == WHY_DATE) *why = WHY_INSTANT;
        return false;
    }
    if (len < 19 || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
        !read_digits(s + 11, 2, &hour) || s[13] != ':' || !read_digits(s + 14, 2, &minute) ||
        s[16] != ':' || !read_digits(s + 17, 2, &second)) {
        set_why(why, WHY_INSTANT);
        return false;
    }
    if (hour > 23 || minute > 59 || second > 60) {
        set_why(why, "expected a time of day from 00:00:00 to 23:59:60");
        return false;
    }
    size_t i = 19;
    if (i < len && s[i] == '.') {
        size_t first = ++i;
        while (i < len && s[i] >= '0' && s[i] <= '9') i++;
        if (i == first) {
            set_why(why, "expected digits after the decimal point of the seconds");
            return false;
        }
    }
    if (!read_offset(s, len, &i, &offset, why)) return false;
    if (i != len) {
        set_why(why, "expected nothing after the offset");
        return false;
    }
    if (second == 60) second = 59; /* Unix time has no leap seconds */
    *epoch = days * SECONDS_PER_DAY + (int64_t)hour * 3600 + (int64_t)minute * 60 + second - offset;
    return true;
}

bool time_parse_bound(const char *s, size_t len, bool end_of_day, int64_t *epoch,
                      const char **why) {
    /* Ten characters are a date; anything longer must be an instant. */
    if (s && len == 10) {
        int64_t day_start;
        if (!time_parse_date(s, len, &day_start, why)) return false;
        *epoch = end_of_day ? day_start + SECONDS_PER_DAY - 1 : day_start;
        return true;
    }
    if (!s || len < 10) {
        set_why(why, "expected a date (YYYY-MM-DD) or an RFC 3339 time with an offset");
        return false;
    }
    return time_parse_instant(s, len, epoch, why);
}

bool time_format_offset(int64_t epoch, int offset_minutes, char *buf, size_t size) {
    /* Splits into day and second of day before adding the offset, so no sum can overflow. */
    if (!buf || size == 0) return false;
    if (offset_minutes <= -24 * 60 || offset_minutes >= 24 * 60) return false;
    int64_t offset = (int64_t)offset_minutes * 60;
    int64_t days = epoch / SECONDS_PER_DAY;
    int64_t second_of_day = epoch % SECONDS_PER_DAY;
    if (second_of_day < 0) {
        second_of_day += SECONDS_PER_DAY;
        days--;
    }
    second_of_day += offset;
    if (second_of_day >= SECONDS_PER_DAY) {
        second_of_day -= SECONDS_PER_DAY;
        days++;
    } else if (second_of_day < 0) {
        second_of_day += SECONDS_PER_DAY;
        days--;
    }
    int64_t y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    if (y < 0 || y > 9999) return false;
    unsigned off = (unsigned)(offset_minutes < 0 ? -offset_minutes : offset_minutes);
    snprintf(buf, size, "%04lld-%02u-%02uT%02u:%02u:%02u%c%02u:%02u", (long long)y, m, d,
             (unsigned)(second_of_day / 3600), (unsigned)(second_of_day / 60 % 60),
             (unsigned)(second_of_day % 60), offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
    return true;
}

void time_format_cst(int64_t epoch, char *buf, size_t size) {
    if (!time_format_offset(epoch, CUSTOS_DATE_OFFSET_SECONDS / 60, buf, size) && buf && size)
        buf[0] = '\0';
}
