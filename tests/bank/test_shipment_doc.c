/*
 * test_shipment_doc.c - unit tests of the shipment documents (shipment.h,
 * shipment_doc.c) on an ob_shipment_full built by hand: no database. The
 * manifest and receipt CSV exactly (RFC 4180 quoting of commas, quotes and
 * Chinese text, an unknown quantity empty, rows appended after what the
 * buffer held); the PDFs start with %PDF, end with %%EOF, have the pages
 * the layout gives for 1 and 1,000 items, set Chinese text in the CJK
 * face; a buffer too small fails leaving it as it was; bytes that are not
 * UTF-8 still give a PDF. The time of a 10,000-item manifest is printed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bank/label.h"
#include "bank/shipment.h"
#include "base/buf.h"
#include "base/error.h"

static void ok(int rc)
{
	if (rc < 0)
		fail_msg("unexpected error %d: %s", rc, ob_error_last());
}

/* A shipment from REG01 to NCC, received: box BOX-7 (2 specimens), one
 * specimen alone; a thawed and a missing item, an extra barcode. */
static ob_shipment_item items3[] = {
	{ "OB0000000013", "plasma", "P0001", "REG01", "ml", "BOX-7", 0.5, "BOX-7", "A1",
	  "received", "NCC-BOX-1", "A1", "tech-ncc", "2026-12-08T09:00:00Z", "thawed" },
	{ "OB0000000021", "serum", "P0002", "HOS01", "ml", "BOX-7", 1, "BOX-7", "A2",
	  "missing", "", "", "", "", "missing" },
	{ "OB0000000039", "FFPE block", "P0001", "REG01", "", "", NAN, "BOX-3", "C4",
	  "received", "", "", "tech-ncc", "2026-12-08T09:01:00Z", "thawed,damaged" },
};

static ob_shipment_box boxes1[] = {
	{ "BOX-7", "Plasma week 49", "RACK-2", "received", "NCC-FRZ-1", 9, 9, 2 },
};

static ob_shipment_disc discs3[] = {
	{ "OB0000000013", "thawed", "样本解冻，温度记录仪显示 12 °C", "tech-ncc",
	  "2026-12-08T09:00:00Z" },
	{ "OB0000000099", "extra", "label \"OB99\" smudged, re-read", "tech-ncc",
	  "2026-12-08T09:02:00Z" },
	{ "OB0000000021", "missing", "", "lead-ncc", "2026-12-08T10:00:00Z" },
};

static ob_shipment_step steps[] = {
	{ "create", "tech-reg01", "REG01", "2026-12-07T08:00:00Z", "" },
	{ "pack", "tech-reg01", "REG01", "2026-12-07T08:30:00Z", "" },
	{ "ship", "mgr-reg01", "REG01", "2026-12-07T09:00:00Z", "SF Express 1234" },
	{ "receive", "tech-ncc", "NCC", "2026-12-08T09:00:00Z", "OB0000000013, OB0000000039" },
	{ "finish", "lead-ncc", "NCC", "2026-12-08T10:00:00Z", "箱内未找到一管血清" },
};

static void sample(ob_shipment_full *f)
{
	memset(f, 0, sizeof *f);
	f->r.code = "SH20261207-0001";
	f->r.from_site = "REG01";
	f->r.to_site = "NCC";
	f->r.state = "received";
	f->r.courier = "SF Express";
	f->r.tracking = "SF1234567890";
	f->r.condition = "dry_ice";
	f->r.logger = "TL-0042";
	f->r.notes = "冷链运输，干冰 5 kg; call \"Dr. Wang\", ext. 12";
	f->r.created_by = "tech-reg01";
	f->r.created_at = "2026-12-07T08:00:00Z";
	f->r.packed_by = "tech-reg01";
	f->r.packed_at = "2026-12-07T08:30:00Z";
	f->r.shipped_by = "mgr-reg01";
	f->r.shipped_at = "2026-12-07T09:00:00Z";
	f->r.received_by = "lead-ncc";
	f->r.received_at = "2026-12-08T10:00:00Z";
	f->counts = (ob_shipment_counts){ .items = 3, .boxes = 1, .received = 2, .missing = 1,
		.pending = 0, .extra = 1, .discrepancies = 4 };
	f->items = items3;
	f->nitems = 3;
	f->boxes = boxes1;
	f->nboxes = 1;
	f->discs = discs3;
	f->ndiscs = 3;
	f->custody = steps;
	f->ncustody = 5;
}

/* n specimens shipped alone, OB + 10 digits. */
static ob_shipment_item *many(size_t n, char **store)
{
	ob_shipment_item *v = calloc(n, sizeof *v);
	char *bc = malloc(n * 16);

	assert_non_null(v);
	assert_non_null(bc);
	for (size_t i = 0; i < n; i++) {
		snprintf(bc + i * 16, 16, "OB%010zu", i + 1);
		v[i] = (ob_shipment_item){ bc + i * 16, "plasma", "P0001", "REG01", "ml", "", 0.5,
			"BOX-1", "A1", "listed", "", "", "", "", "" };
	}
	*store = bc;
	return v;
}

/* Page objects of a PDF ("/Type /Page", not the "/Type /Pages" tree). */
static int pages(const ob_buf *b)
{
	int n = 0;
	const char *p = b->s, *end = b->s + b->len;

	while ((p = memmem(p, (size_t)(end - p), "/Type /Page", 11))) {
		p += 11;
		if (p < end && *p != 's')
			n++;
	}
	return n;
}

static int is_pdf(const ob_buf *b)
{
	return b->len > 8 && memcmp(b->s, "%PDF-", 5) == 0
		&& memmem(b->s + b->len - 8, 8, "%%EOF", 5) != NULL;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void manifest_csv_is_exact(void **state)
{
	ob_shipment_full f;
	ob_buf b = OB_BUF_INIT;

	(void)state;
	sample(&f);
	ob_buf_puts(&b, "before\n");
	ok(ob_shipment_manifest_csv(&f, &b));
	assert_string_equal(b.s,
		"before\n"
		"shipment,from_site,to_site,box,position,barcode,type,donor,donor_site,quantity,unit,"
		"state,discrepancies\r\n"
		"SH20261207-0001,REG01,NCC,BOX-7,A1,OB0000000013,plasma,P0001,REG01,0.5,ml,received,"
		"thawed\r\n"
		"SH20261207-0001,REG01,NCC,BOX-7,A2,OB0000000021,serum,P0002,HOS01,1,ml,missing,"
		"missing\r\n"
		"SH20261207-0001,REG01,NCC,,,OB0000000039,FFPE block,P0001,REG01,,,received,"
		"\"thawed,damaged\"\r\n");
	ob_buf_dispose(&b);
}

static void receipt_csv_quotes_and_keeps_chinese(void **state)
{
	ob_shipment_full f;
	ob_buf b = OB_BUF_INIT;

	(void)state;
	sample(&f);
	ok(ob_shipment_receipt_csv(&f, &b));
	assert_string_equal(b.s,
		"shipment,barcode,kind,note,by,at\r\n"
		"SH20261207-0001,OB0000000013,thawed,样本解冻，温度记录仪显示 12 °C,tech-ncc,"
		"2026-12-08T09:00:00Z\r\n"
		"SH20261207-0001,OB0000000099,extra,\"label \"\"OB99\"\" smudged, re-read\",tech-ncc,"
		"2026-12-08T09:02:00Z\r\n"
		"SH20261207-0001,OB0000000021,missing,,lead-ncc,2026-12-08T10:00:00Z\r\n");
	ob_buf_dispose(&b);
}

/* Only a comma, a quote, a line break or a blank at either end quotes a
 * field (as csvexport.c, so the files read alike): not Chinese text, nor
 * a blank inside. */
static void csv_quotes_only_what_rfc4180_needs(void **state)
{
	ob_shipment_full f;
	ob_shipment_disc d[] = {
		{ "OB1", "damaged", "破损", "a", "t" },
		{ "OB2", "damaged", " lead", "a", "t" },
		{ "OB3", "damaged", "two\nlines", "a", "t" },
	};
	ob_buf b = OB_BUF_INIT;

	(void)state;
	sample(&f);
	f.discs = d;
	f.ndiscs = 3;
	ok(ob_shipment_receipt_csv(&f, &b));
	assert_string_equal(b.s,
		"shipment,barcode,kind,note,by,at\r\n"
		"SH20261207-0001,OB1,damaged,破损,a,t\r\n"
		"SH20261207-0001,OB2,damaged,\" lead\",a,t\r\n"
		"SH20261207-0001,OB3,damaged,\"two\nlines\",a,t\r\n");
	ob_buf_dispose(&b);
}

static void empty_shipment_gives_headers_and_one_page(void **state)
{
	ob_shipment_full f;
	ob_buf b = OB_BUF_INIT;

	(void)state;
	memset(&f, 0, sizeof f);
	f.r.code = "SH-EMPTY";
	f.r.from_site = "HOS01";
	f.r.to_site = "REG01";
	f.r.state = "draft";
	ok(ob_shipment_manifest_csv(&f, &b));
	assert_string_equal(b.s, "shipment,from_site,to_site,box,position,barcode,type,donor,"
		"donor_site,quantity,unit,state,discrepancies\r\n");
	ob_buf_clear(&b);
	ok(ob_shipment_receipt_csv(&f, &b));
	assert_string_equal(b.s, "shipment,barcode,kind,note,by,at\r\n");
	ob_buf_clear(&b);
	ok(ob_shipment_manifest_pdf(&f, &b));
	assert_true(is_pdf(&b));
	assert_int_equal(pages(&b), 1);
	ob_buf_clear(&b);
	ok(ob_shipment_receipt_pdf(&f, &b));
	assert_true(is_pdf(&b));
	assert_int_equal(pages(&b), 1);
	ob_buf_dispose(&b);
}

static void manifest_pdf_of_the_sample_is_one_page_with_cjk_face(void **state)
{
	ob_shipment_full f;
	ob_buf b = OB_BUF_INIT;

	(void)state;
	sample(&f);
	ob_buf_puts(&b, "x");
	ok(ob_shipment_manifest_pdf(&f, &b));
	assert_true(b.len > 1000);
	assert_memory_equal(b.s, "x%PDF-", 6);
	assert_int_equal(pages(&b), 1);
	/* the notes' Chinese is set in the CJK face, embedded as a subset */
	assert_non_null(memmem(b.s, b.len, "WenQuanYi", 9));
	assert_non_null(memmem(b.s, b.len, "DejaVu", 6));
	ob_buf_dispose(&b);
}

/* The layout (shipment_doc.c): the first page holds the facts (a line of
 * notes), the column heads, the "shipped alone" heading and 18 rows of
 * 28 pt; each further page the running head, the column heads and 25
 * rows; the signatures take 120 pt, so 14 items and the signatures fill
 * the first page and 15 push the signatures to a second. 1 item: one
 * page; 1,000: 18 + 39 x 25 = 993 on 40 pages, the last 7 on the 41st
 * with the signatures. */
static void manifest_pdf_pages_follow_the_items(void **state)
{
	ob_shipment_full f;
	ob_buf b = OB_BUF_INIT;
	char *bc;

	(void)state;
	sample(&f);
	f.boxes = NULL;
	f.nboxes = 0;
	f.items = many(1000, &bc);
	f.nitems = 1;
	ok(ob_shipment_manifest_pdf(&f, &b));
	assert_true(is_pdf(&b));
	assert_int_equal(pages(&b), 1);
	ob_buf_clear(&b);
	f.nitems = 14;
	ok(ob_shipment_manifest_pdf(&f, &b));
	assert_int_equal(pages(&b), 1);
	ob_buf_clear(&b);
	f.nitems = 15;
	ok(ob_shipment_manifest_pdf(&f, &b));
	assert_int_equal(pages(&b), 2);
	ob_buf_clear(&b);
	f.nitems = 1000;
	ok(ob_shipment_manifest_pdf(&f, &b));
	assert_true(is_pdf(&b));
	assert_int_equal(pages(&b), 41);
	ob_buf_dispose(&b);
	free(f.items);
	free(bc);
}

/* Linear: 10,000 items cost about ten times 1,000 (printed; asserted only
 * loosely, under 30 times, against a quadratic layout's 100). */
static void manifest_pdf_of_10000_items_is_linear(void **state)
{
	ob_shipment_full f;
	ob_buf b = OB_BUF_INIT;
	double t0, t1, t2;
	char *bc;

	(void)state;
	sample(&f);
	f.boxes = NULL;
	f.nboxes = 0;
	f.items = many(10000, &bc);
	f.nitems = 1000;
	t0 = now();
	ok(ob_shipment_manifest_pdf(&f, &b));
	t1 = now();
	ob_buf_clear(&b);
	f.nitems = 10000;
	ok(ob_shipment_manifest_pdf(&f, &b));
	t2 = now();
	assert_true(is_pdf(&b));
	assert_int_equal(pages(&b), 401);  /* 18 + 399 x 25 = 9,993, then 7 */
	printf("manifest PDF: 1,000 items %.3f s, 10,000 items %.3f s (%zu bytes, %d pages)\n",
		t1 - t0, t2 - t1, b.len, pages(&b));
	assert_true(t2 - t1 < 30 * (t1 - t0) + 0.5);
	ob_buf_dispose(&b);
	free(f.items);
	free(bc);
}

static void receipt_pdf_holds_custody_and_discrepancies(void **state)
{
	ob_shipment_full f;
	ob_shipment_disc *d = calloc(300, sizeof *d);
	ob_buf b = OB_BUF_INIT;

	(void)state;
	assert_non_null(d);
	sample(&f);
	ok(ob_shipment_receipt_pdf(&f, &b));
	assert_true(is_pdf(&b));
	assert_int_equal(pages(&b), 1);
	assert_non_null(memmem(b.s, b.len, "WenQuanYi", 9));
	/* 300 discrepancies of 18 pt rows run over several pages */
	for (int i = 0; i < 300; i++)
		d[i] = (ob_shipment_disc){ "OB0000000013", "damaged", "tube cracked, 运输中破损",
			"tech-ncc", "2026-12-08T09:00:00Z" };
	f.discs = d;
	f.ndiscs = 300;
	ob_buf_clear(&b);
	ok(ob_shipment_receipt_pdf(&f, &b));
	assert_true(is_pdf(&b));
	assert_in_range(pages(&b), 7, 20);
	ob_buf_dispose(&b);
	free(d);
}

static void a_full_buffer_fails_and_leaves_it_as_it_was(void **state)
{
	ob_shipment_full f;
	ob_buf b;

	(void)state;
	sample(&f);
	ob_buf_init(&b, 2000);
	ob_buf_puts(&b, "kept");
	assert_int_equal(ob_shipment_manifest_pdf(&f, &b), OB_ERROR);
	assert_string_equal(b.s, "kept");
	assert_int_equal(b.failed, 0);
	assert_int_equal(ob_shipment_receipt_pdf(&f, &b), OB_ERROR);
	assert_string_equal(b.s, "kept");
	ob_buf_dispose(&b);
	ob_buf_init(&b, 100);
	ob_buf_puts(&b, "kept");
	assert_int_equal(ob_shipment_manifest_csv(&f, &b), OB_ERROR);
	assert_string_equal(b.s, "kept");
	assert_int_equal(ob_shipment_receipt_csv(&f, &b), OB_ERROR);
	assert_string_equal(b.s, "kept");
	ob_buf_dispose(&b);
}

/* Text that is not UTF-8 (it never should be: every door checks) and a
 * barcode Code 128 cannot encode still give a document. */
static void bad_bytes_and_unencodable_barcodes_still_draw(void **state)
{
	ob_shipment_full f;
	ob_shipment_item it = items3[0];
	ob_buf b = OB_BUF_INIT;

	(void)state;
	sample(&f);
	f.r.notes = "bad \xff\xfe bytes \x01 and a cut \xe6\xa0";
	it.barcode = "条码";
	f.items = &it;
	f.nitems = 1;
	ok(ob_shipment_manifest_pdf(&f, &b));
	assert_true(is_pdf(&b));
	assert_int_equal(pages(&b), 1);
	ob_buf_dispose(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(manifest_csv_is_exact),
		cmocka_unit_test(receipt_csv_quotes_and_keeps_chinese),
		cmocka_unit_test(csv_quotes_only_what_rfc4180_needs),
		cmocka_unit_test(empty_shipment_gives_headers_and_one_page),
		cmocka_unit_test(manifest_pdf_of_the_sample_is_one_page_with_cjk_face),
		cmocka_unit_test(manifest_pdf_pages_follow_the_items),
		cmocka_unit_test(manifest_pdf_of_10000_items_is_linear),
		cmocka_unit_test(receipt_pdf_holds_custody_and_discrepancies),
		cmocka_unit_test(a_full_buffer_fails_and_leaves_it_as_it_was),
		cmocka_unit_test(bad_bytes_and_unencodable_barcodes_still_draw),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);

	ob_label_cleanup();
	return failed ? 1 : 0;
}
