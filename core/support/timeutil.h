/*
 * timeutil.h — the times custos reads: RFC 3339 instants in requests, calendar dates in data.
 *
 * Instants must carry an offset ("2026-11-22T10:00:00+08:00", "...Z"); fractional seconds are
 * accepted and truncated.  Dates ("2027-06-30") are calendar days at UTC+08:00 (China Standard
 * Time, in which every shipped policy set writes its dates): a date bound "until 2027-06-30"
 * runs to the last second of that day in Beijing.  All results are seconds since the Unix
 * epoch (UTC).
 * Nothing here depends on the process's locale or TZ.
 */
#ifndef CUSTOS_TIMEUTIL_H
#define CUSTOS_TIMEUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CUSTOS_DATE_OFFSET_SECONDS (8 * 3600)

/* Parses an RFC 3339 date-time with offset.  Validates ranges (month 1-12, day within the
 * month including leap years, hour 0-23, minute 0-59, second 0-60).  Returns false with
 * *why set to a static description of what was expected on failure. */
bool time_parse_instant(const char *s, size_t len, int64_t *epoch, const char **why);

/* Parses "YYYY-MM-DD".  *day_start is 00:00:00 of that day at UTC+08:00. */
bool time_parse_date(const char *s, size_t len, int64_t *day_start, const char **why);

/* Accepts either a date or an instant: a date yields the first second of the day (for
 * "from" bounds) or the last second (for "until" bounds, inclusive) at UTC+08:00. */
bool time_parse_bound(const char *s, size_t len, bool end_of_day, int64_t *epoch, const char **why);

/* Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm). */
int64_t time_days_from_civil(int64_t y, unsigned m, unsigned d);

/* Formats epoch as "YYYY-MM-DDTHH:MM:SS+HH:MM" at offset_minutes east of UTC into buf (at
 * least 26 bytes); false (buf unchanged) when the offset is not within +-23:59 or the year is
 * outside 0000-9999. */
bool time_format_offset(int64_t epoch, int offset_minutes, char *buf, size_t size);

/* Formats epoch as "YYYY-MM-DDTHH:MM:SS+08:00" into buf (at least 26 bytes). */
void time_format_cst(int64_t epoch, char *buf, size_t size);

#endif
