/*
 * test_base.c - the base layer: strict number parsing, ISO 8601 times, the
 * buffer and its JSON string escaping.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/text.h"
#include "base/util.h"

#include <string.h>

static void test_numbers_are_parsed_whole(void **state)
{
	int64_t i;
	double d;

	(void)state;
	assert_int_equal(ob_parse_i64("42", &i), 0);
	assert_int_equal(i, 42);
	assert_int_equal(ob_parse_i64("42x", &i), OB_EINVALID);
	assert_int_equal(ob_parse_i64("", &i), OB_EINVALID);
	assert_int_equal(ob_parse_i64(" 4", &i), OB_EINVALID);
	assert_int_equal(ob_parse_i64("99999999999999999999", &i), OB_EINVALID);
	assert_int_equal(ob_parse_double("1.5", &d), 0);
	assert_true(d == 1.5);
	assert_int_equal(ob_parse_double("1,5", &d), OB_EINVALID);
	assert_int_equal(ob_parse_double("nan", &d), OB_EINVALID);
	assert_int_equal(ob_parse_double("inf", &d), OB_EINVALID);
}

static void test_times_are_normalised_and_calendar_checked(void **state)
{
	char out[OB_TIME_LEN];
	time_t t;

	(void)state;
	assert_int_equal(ob_time_parse("2024-02-29", out, &t), 0);
	assert_string_equal(out, "2024-02-29T00:00:00Z");
	assert_int_equal(ob_time_parse("2024-03-01 08:30", out, NULL), 0);
	assert_string_equal(out, "2024-03-01T08:30:00Z");
	assert_int_equal(ob_time_parse("2024-03-01T08:30:15Z", out, NULL), 0);
	assert_string_equal(out, "2024-03-01T08:30:15Z");
	assert_int_equal(ob_time_parse("2023-02-29", out, NULL), OB_EINVALID);
	assert_int_equal(ob_time_parse("2024-13-01", out, NULL), OB_EINVALID);
	assert_int_equal(ob_time_parse("2024-01-01T24:00", out, NULL), OB_EINVALID);
	assert_int_equal(ob_time_parse("01-02-2016", out, NULL), OB_EINVALID);
	assert_int_equal(ob_time_parse("2024-01-01T10:00+02:00", out, NULL), OB_EINVALID);
}

static void test_json_strings_are_escaped(void **state)
{
	ob_buf b = OB_BUF_INIT;

	(void)state;
	assert_int_equal(ob_buf_json_str(&b, "a\"b\\c\nd\x01"), 0);
	assert_string_equal(ob_buf_cstr(&b), "\"a\\\"b\\\\c\\nd\\u0001\"");
	ob_buf_dispose(&b);
}

/* Text input: UTF-8 without overlong forms, surrogates or NUL, no control
 * characters, within the length; the message names the field and the
 * byte, never quotes the bytes. */
static void test_text_is_checked(void **state)
{
	static const struct {
		const char *s;
		size_t len;
		unsigned flags;
		const char *want;  /* NULL: accepted */
	} cases[] = {
		{ "Plasma \xc3\xa9\xe2\x82\xac\xf0\x9f\xa7\xaa", 16, 0, NULL },
		{ "a\tb", 3, 0, NULL },
		{ "a\nb", 3, OB_TEXT_LINES, NULL },
		{ "a\nb", 3, 0, "f: a control character (U+000A) at byte 2" },
		{ "a\0b", 3, 0, "f: a NUL byte at byte 2" },
		{ "caf\xe9", 4, 0, "f: not valid UTF-8 at byte 4" },
		{ "\xc0\xaf", 2, 0, "f: not valid UTF-8 at byte 1" },          /* overlong '/' */
		{ "\xe0\x80\xaf", 3, 0, "f: not valid UTF-8 at byte 1" },      /* overlong */
		{ "\xed\xa0\x80", 3, 0, "f: not valid UTF-8 at byte 1" },      /* surrogate */
		{ "\xf4\x90\x80\x80", 4, 0, "f: not valid UTF-8 at byte 1" }, /* > U+10FFFF */
		{ "ab\xe2\x82", 4, 0, "f: not valid UTF-8 at byte 3" },         /* cut short */
		{ "\x7f", 1, 0, "f: a control character (U+007F) at byte 1" },
		{ "x\xc2\x85", 3, 0, "f: a control character (U+0085) at byte 2" },
		{ "\x1b[2J", 4, 0, "f: a control character (U+001B) at byte 1" },
		{ "abcdefghi", 9, 0, "f: 9 bytes is longer than the 8 this field takes" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int rc = ob_text_check("f", cases[i].s, cases[i].len, 8 + 8 * !cases[i].want,
			cases[i].flags);
		if (!cases[i].want) {
			if (rc != 0)
				fail_msg("case %zu refused: %s", i, ob_error_last());
			continue;
		}
		assert_int_equal(rc, OB_EINVALID);
		assert_string_equal(ob_error_last(), cases[i].want);
	}
}

/* Bytes stored before input was checked never make invalid JSON. */
static void test_json_strings_replace_invalid_utf8(void **state)
{
	ob_buf b = OB_BUF_INIT;

	(void)state;
	ob_buf_json_str(&b, "caf\xe9 \xc3\xa9 \xed\xa0\x80!");
	assert_string_equal(ob_buf_cstr(&b), "\"caf\\ufffd \xc3\xa9 \\ufffd\\ufffd\\ufffd!\"");
	ob_buf_dispose(&b);
}

static void test_html_is_escaped(void **state)
{
	ob_buf b = OB_BUF_INIT;
	(void)state;

	assert_int_equal(ob_buf_html(&b, "a<b> & \"c\" 'd' e"), 0);
	assert_string_equal(ob_buf_cstr(&b), "a&lt;b&gt; &amp; &quot;c&quot; &#39;d&#39; e");
	ob_buf_clear(&b);
	assert_int_equal(ob_buf_html(&b, "<"), 0);
	assert_int_equal(ob_buf_html(&b, ""), 0);
	assert_int_equal(ob_buf_html(&b, NULL), 0);
	assert_int_equal(ob_buf_html(&b, "x"), 0);
	assert_string_equal(ob_buf_cstr(&b), "&lt;x");
	ob_buf_dispose(&b);
	/* a limited buffer refuses what does not fit */
	ob_buf_init(&b, 4);
	assert_true(ob_buf_html(&b, "<<") < 0);
	ob_buf_dispose(&b);
}

static void test_buffer_limit_is_kept(void **state)
{
	ob_buf b;

	(void)state;
	ob_buf_init(&b, 8);
	assert_int_equal(ob_buf_puts(&b, "12345678"), 0);
	assert_int_equal(ob_buf_puts(&b, "9"), OB_ERROR);
	assert_string_equal(ob_buf_cstr(&b), "12345678");
	ob_buf_dispose(&b);
}

static void test_printf_grows_and_keeps_the_limit(void **state)
{
	char long_text[301];
	ob_buf b = OB_BUF_INIT, m;

	(void)state;
	memset(long_text, 'x', 300);
	long_text[300] = '\0';
	assert_int_equal(ob_buf_printf(&b, "<%s>", "short"), 0);
	assert_int_equal(ob_buf_printf(&b, "[%s]", long_text), 0);
	assert_int_equal(b.len, 7 + 302);
	assert_int_equal(b.s[b.len - 1], ']');
	assert_int_equal(strlen(ob_buf_cstr(&b)), b.len);
	ob_buf_dispose(&b);
	ob_buf_init(&m, 10);
	assert_int_equal(ob_buf_printf(&m, "%s", "12345"), 0);
	assert_int_equal(ob_buf_printf(&m, "%s", "678901"), OB_ERROR);
	assert_string_equal(ob_buf_cstr(&m), "12345");
	assert_true(m.failed);
	assert_int_equal(ob_buf_printf(&m, "%s", "67890"), 0);
	assert_string_equal(ob_buf_cstr(&m), "1234567890");
	ob_buf_dispose(&m);
}

static void test_error_message_may_quote_itself(void **state)
{
	(void)state;
	ob_error_set(OB_EINVALID, "donor: no donor 'X'");
	ob_error_set(OB_EINVALID, "row 3: %s", ob_error_last());
	assert_string_equal(ob_error_last(), "row 3: donor: no donor 'X'");
	assert_int_equal(ob_error_exit_status(OB_EINVALID), 2);
	assert_int_equal(ob_error_exit_status(OB_ENOTFOUND), 3);
	assert_int_equal(ob_error_exit_status(OB_ECONFLICT), 4);
	assert_int_equal(ob_error_exit_status(OB_ERROR), 5);
	assert_int_equal(ob_error_exit_status(OB_ERETRY), 8);  /* busy: not an internal error */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers_are_parsed_whole),
		cmocka_unit_test(test_times_are_normalised_and_calendar_checked),
		cmocka_unit_test(test_json_strings_are_escaped),
		cmocka_unit_test(test_html_is_escaped),
		cmocka_unit_test(test_text_is_checked),
		cmocka_unit_test(test_json_strings_replace_invalid_utf8),
		cmocka_unit_test(test_buffer_limit_is_kept),
		cmocka_unit_test(test_printf_grows_and_keeps_the_limit),
		cmocka_unit_test(test_error_message_may_quote_itself),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
