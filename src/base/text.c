/*
 * text.c - UTF-8 and control-character checks of text input (text.h).
 */
#include "base/text.h"
#include "base/error.h"

size_t ob_utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len;
	unsigned lo = 0x80, hi = 0xbf;

	if (n == 0)
		return 0;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4;
	else
		return 0;  /* continuation byte, overlong lead (C0, C1) or F5..FF */
	if (n < len)
		return 0;
	/* RFC 3629's table: the second byte's range excludes overlong forms,
	 * surrogates (ED A0..BF) and code points above U+10FFFF. */
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

int ob_text_check(const char *field, const char *s, size_t len, size_t max, unsigned flags)
{
	const unsigned char *p = (const unsigned char *)s;

	if (len > max)
		return ob_error_set(OB_EINVALID, "%s: %zu bytes is longer than the %zu this field"
			" takes", field, len, max);
	for (size_t i = 0; i < len;) {
		size_t n = ob_utf8_seq(p + i, len - i);
		unsigned c = p[i];

		if (n == 0)
			return ob_error_set(OB_EINVALID, "%s: not valid UTF-8 at byte %zu", field, i + 1);
		if (c == 0)
			return ob_error_set(OB_EINVALID, "%s: a NUL byte at byte %zu", field, i + 1);
		if ((c < 0x20 && c != '\t' && !((flags & OB_TEXT_LINES) && (c == '\n' || c == '\r')))
		    || c == 0x7f || (c == 0xc2 && p[i + 1] < 0xa0))
			return ob_error_set(OB_EINVALID, "%s: a control character (U+%04X) at byte %zu",
				field, c == 0xc2 ? p[i + 1] : c, i + 1);
		i += n;
	}
	return 0;
}
