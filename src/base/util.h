/*
 * util.h - small parsing and time helpers shared by every layer: numbers
 * parsed strictly (no atoi), ISO 8601 UTC times, case-insensitive compare.
 */
#ifndef OB_UTIL_H
#define OB_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Whole-string integer / number parse; OB_EINVALID (no message set) when s
 * is empty, has trailing text or is out of range. */
int ob_parse_i64(const char *s, int64_t *out);
int ob_parse_double(const char *s, double *out);

#define OB_TIME_LEN 21  /* "2024-03-05T10:02:00Z" + NUL */

/* Current UTC time as "YYYY-MM-DDTHH:MM:SSZ". OB_NOW in the environment
 * fixes the clock (tests, reproducible demo data). */
void ob_time_now(char out[OB_TIME_LEN]);

/* Parses "YYYY-MM-DD", "YYYY-MM-DD HH:MM[:SS]" or "YYYY-MM-DDTHH:MM[:SS][Z]"
 * (UTC), checking the calendar; writes the normalised form to out (may be
 * NULL) and the epoch seconds to t (may be NULL). OB_EINVALID otherwise. */
int ob_time_parse(const char *s, char out[OB_TIME_LEN], time_t *t);

/* OB_EINVALID "FIELD: T is in the future" when the normalised time t
 * ("YYYY-MM-DDTHH:MM:SSZ") is more than a day (time zones, clocks) after
 * the later of ob_time_now() and the system clock, so that OB_NOW fixed in
 * the past never makes a real date a future one; 0 otherwise. */
int ob_time_check_past(const char *field, const char *t);

/* Formats epoch seconds as "YYYY-MM-DDTHH:MM:SSZ". */
void ob_time_format(time_t t, char out[OB_TIME_LEN]);

/* ASCII case-insensitive equality. */
bool ob_streq_ci(const char *a, const char *b);

/* Copies at most n-1 bytes and terminates; returns false if truncated. */
bool ob_strlcpy(char *dst, const char *src, size_t n);

#endif
