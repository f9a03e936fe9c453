/*
 * test_view.c - records as JSON: the numbers and texts print as the JSON the
 * API always gave ("%.15g", '/' and UTF-8 as they are, unknown as null).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "bank/specimen.h"
#include "view/jw.h"
#include "view/view.h"

#include <math.h>
#include <string.h>

static void assert_dump(json_t *v, const char *want)
{
	ob_buf b = OB_BUF_INIT;

	assert_int_equal(ob_view_dump(v, &b), 0);
	assert_string_equal(ob_buf_cstr(&b), want);
	ob_buf_dispose(&b);
}

static void test_numbers_print_as_15_significant_digits(void **state)
{
	(void)state;
	assert_dump(ob_view_real(NAN), "null");
	assert_dump(ob_view_real(2), "2");
	assert_dump(ob_view_real(-40), "-40");
	assert_dump(ob_view_real(0.5), "0.5");
	assert_dump(ob_view_real(2.345678901234567), "2.34567890123457");
	assert_dump(ob_view_real(1.92), "1.92");
	assert_dump(ob_view_real(328.1), "328.1");
}

static void test_texts_keep_slash_and_utf8(void **state)
{
	(void)state;
	assert_dump(ob_view_text(NULL), "null");
	assert_dump(ob_view_text("a/b \"\xc3\xa9\" \\x"), "\"a/b \\\"\xc3\xa9\\\" \\\\x\"");
	/* a byte that starts no UTF-8 sequence becomes U+FFFD */
	assert_dump(ob_view_text("a\xff" "b"), "\"a\xef\xbf\xbd" "b\"");
}

static void test_record_keeps_table_order_and_flags(void **state)
{
	ob_specimen r;
	ob_buf b = OB_BUF_INIT;

	(void)state;
	memset(&r, 0, sizeof r);
	ob_record_init(ob_specimen_fields, &r);
	r.barcode = "OB1";
	r.type = "plasma";
	r.quantity = 1.5;
	r.freeze_thaw = 2;
	r.collection = "SST";
	assert_int_equal(ob_view_dump(ob_view_specimen_row(&r), &b), 0);
	assert_non_null(strstr(ob_buf_cstr(&b), "{\"barcode\":\"OB1\",\"label\":null,"));
	assert_non_null(strstr(ob_buf_cstr(&b), "\"quantity\":1.5,\"initial_quantity\":null,"));
	assert_non_null(strstr(ob_buf_cstr(&b), "\"freeze_thaw\":2,"));
	assert_null(strstr(ob_buf_cstr(&b), "collection"));  /* not a row field */
	assert_null(strstr(ob_buf_cstr(&b), "parent_used"));
	ob_buf_clear(&b);
	assert_int_equal(ob_view_dump(ob_view_record(ob_specimen_fields, &r, OB_F_PRE), &b), 0);
	assert_non_null(strstr(ob_buf_cstr(&b), "{\"collection\":\"SST\",\"vessel\":null,"));
	ob_buf_dispose(&b);
}

/* The streaming writer of the read paths (jw.h) writes what the jansson
 * builders give, for every kind of value a record holds. */
static void test_streaming_writer_matches_jansson(void **state)
{
	static const double nums[] = { NAN, 0, 2, -40, 0.5, 1.92, 2.345678901234567, 1e-5,
		-3.5e-12, 1.5e20, 1e15, 999999999999999, 123456789012345678.0, 0.1 + 0.2, -1e-300,
		6.02214076e23, 4.9e-324 };
	static const char *const texts[] = { NULL, "", "plasma", "a/b", "\"q\" \\ x",
		"\xc3\xa9\xe4\xb8\xad\xe6\x96\x87", "line\nnext\ttab\r", "bad \xff byte",
		"\xf0\x9f\xa7\xaa tube", "ctl \x01\x1f\b\f end", "cut \xe4\xb8" };
	ob_specimen r;

	(void)state;
	for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++)
		for (size_t j = 0; j < sizeof texts / sizeof texts[0]; j++) {
			ob_buf a = OB_BUF_INIT, b = OB_BUF_INIT;
			ob_jw w;
			memset(&r, 0, sizeof r);
			ob_record_init(ob_specimen_fields, &r);
			r.barcode = "OB1";
			r.label = texts[j];
			r.anatomic_site = texts[(j + 3) % (sizeof texts / sizeof texts[0])];
			r.quantity = nums[i];
			r.tumour_pct = nums[(i + 5) % (sizeof nums / sizeof nums[0])];
			r.freeze_thaw = (int64_t)i * 1000003 - 7;
			assert_int_equal(ob_view_dump(ob_view_specimen_row(&r), &a), 0);
			ob_jw_init(&w, &b);
			ob_view_specimen_row_write(&w, &r);
			assert_int_equal(ob_jw_done(&w), 0);
			if (strcmp(ob_buf_cstr(&a), ob_buf_cstr(&b)))
				fail_msg("quantity %.17g, text %zu:\n jansson %s\n writer  %s", nums[i], j,
					ob_buf_cstr(&a), ob_buf_cstr(&b));
			ob_buf_dispose(&a);
			ob_buf_dispose(&b);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers_print_as_15_significant_digits),
		cmocka_unit_test(test_texts_keep_slash_and_utf8),
		cmocka_unit_test(test_record_keeps_table_order_and_flags),
		cmocka_unit_test(test_streaming_writer_matches_jansson),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
