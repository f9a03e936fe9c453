/*
 * util.c - strict number parsing and ISO 8601 UTC time handling.
 */
#include "base/util.h"
#include "base/error.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ob_parse_i64(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (!s || !*s || isspace((unsigned char)*s))
		return OB_EINVALID;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end)
		return OB_EINVALID;
	*out = v;
	return 0;
}

int ob_parse_double(const char *s, double *out)
{
	char *end;
	double v;

	if (!s || !*s || isspace((unsigned char)*s))
		return OB_EINVALID;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || !isfinite(v))
		return OB_EINVALID;
	*out = v;
	return 0;
}

void ob_time_format(time_t t, char out[OB_TIME_LEN])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, OB_TIME_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void ob_time_now(char out[OB_TIME_LEN])
{
	const char *fixed = getenv("OB_NOW");

	if (fixed && ob_time_parse(fixed, out, NULL) == 0)
		return;
	ob_time_format(time(NULL), out);
}

static int digits(const char *s, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

int ob_time_parse(const char *s, char out[OB_TIME_LEN], time_t *t)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, mo, d, h = 0, mi = 0, sec = 0;
	size_t n = s ? strlen(s) : 0;
	struct tm tm;
	time_t e;

	if (n < 10 || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) || s[7] != '-'
	    || digits(s + 8, 2, &d))
		return OB_EINVALID;
	s += 10;
	if (*s == 'T' || *s == ' ') {
		if (digits(s + 1, 2, &h) || s[3] != ':' || digits(s + 4, 2, &mi))
			return OB_EINVALID;
		s += 6;
		if (*s == ':') {
			if (digits(s + 1, 2, &sec))
				return OB_EINVALID;
			s += 3;
		}
		if (*s == 'Z')
			s++;
	}
	if (*s)
		return OB_EINVALID;
	if (y < 1800 || y > 2200 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 59)
		return OB_EINVALID;
	int dim = mdays[mo - 1] + (mo == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
	if (d > dim)
		return OB_EINVALID;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	e = timegm(&tm);
	if (out)
		ob_time_format(e, out);
	if (t)
		*t = e;
	return 0;
}

int ob_time_check_past(const char *field, const char *t)
{
	char now[OB_TIME_LEN];
	time_t a, b;

	/* The later of the two clocks: OB_NOW set in the past (reproducible
	 * demo data) must not turn real dates into future ones. */
	ob_time_now(now);
	if (ob_time_parse(t, NULL, &a) < 0 || ob_time_parse(now, NULL, &b) < 0)
		return ob_error_set(OB_EINVALID, "%s: '%s' is not an ISO 8601 time", field, t);
	if (time(NULL) > b) {
		b = time(NULL);
		ob_time_format(b, now);
	}
	if (a > b + 86400)
		return ob_error_set(OB_EINVALID, "%s: %.10s is in the future (today is %.10s)", field,
			t, now);
	return 0;
}

bool ob_streq_ci(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return false;
	return *a == *b;
}

bool ob_strlcpy(char *dst, const char *src, size_t n)
{
	size_t len = strlen(src);

	if (n == 0)
		return false;
	if (len >= n) {
		memcpy(dst, src, n - 1);
		dst[n - 1] = '\0';
		return false;
	}
	memcpy(dst, src, len + 1);
	return true;
}
