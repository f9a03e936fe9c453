/*
 * barcode.c - ISO/IEC 7064 MOD 37,36 check characters for barcodes.
 */
#include "bank/barcode.h"
#include "base/error.h"

#include <stdio.h>
#include <string.h>

static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

static int value_of(char c)
{
	const char *p = c ? strchr(alphabet, c) : NULL;

	return p ? (int)(p - alphabet) : -1;
}

char ob_barcode_check_char(const char *body)
{
	int p = 36;

	for (; *body; body++) {
		int v = value_of(*body), s;
		if (v < 0)
			return 0;
		s = (p + v) % 36;
		if (s == 0)
			s = 36;
		p = (s * 2) % 37;
	}
	return alphabet[(37 - p) % 36];
}

int ob_barcode_validate(const char *code)
{
	size_t n = code ? strlen(code) : 0;
	char body[OB_BARCODE_MAX];

	if (n < 4 || n >= OB_BARCODE_MAX)
		return ob_error_set(OB_EINVALID, "barcode: '%s' must be 4 to %d characters",
			code ? code : "", OB_BARCODE_MAX - 1);
	for (size_t i = 0; i < n; i++)
		if (value_of(code[i]) < 0)
			return ob_error_set(OB_EINVALID, "barcode: '%s' may hold only digits and"
				" upper-case letters (character %zu is '%c')", code, i + 1, code[i]);
	memcpy(body, code, n - 1);
	body[n - 1] = '\0';
	char want = ob_barcode_check_char(body);
	if (want != code[n - 1])
		return ob_error_set(OB_EINVALID, "barcode: '%s' has a wrong check character"
			" (a misread or mistyped barcode)", code);
	return 0;
}

int ob_barcode_make(const char *prefix, int64_t serial, char out[OB_BARCODE_MAX])
{
	char body[OB_BARCODE_MAX];
	int n = snprintf(body, sizeof body, "%s%09lld", prefix, (long long)serial);

	if (n < 0 || n >= OB_BARCODE_MAX - 1)
		return ob_error_set(OB_EINVALID, "barcode prefix '%s' is too long", prefix);
	char c = ob_barcode_check_char(body);
	if (!c)
		return ob_error_set(OB_EINVALID, "barcode prefix '%s' must be digits and upper-case"
			" letters", prefix);
	size_t n2 = strlen(body);
	memcpy(out, body, n2);
	out[n2] = c;
	out[n2 + 1] = '\0';
	return 0;
}
