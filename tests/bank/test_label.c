/*
 * test_label.c - unit tests of src/bank/label.h: a specimen's label as PNG
 * (signature, 591 x 295 pixels) and PDF (one page), the modules zint gives
 * for Data Matrix and Code 128 and that exactly those are drawn, a box's
 * sheet (box label first, pages as needed, PNG grid size), and the errors:
 * unknown barcode or box, a container that is not a box, a buffer too
 * small, a PNG sheet too large, text that is not UTF-8, a reader whose
 * scope lacks the site. Each test runs on a fresh temporary SQLite database.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/testdb.h"
#include "bank/barcode.h"
#include "bank/site.h"
#include "bank/container.h"
#include "bank/label.h"
#include "bank/specimen.h"
#include "base/buf.h"
#include "base/error.h"
#include "store/store.h"

static void ok(int rc)
{
	if (rc < 0)
		fail_msg("unexpected error %d: %s", rc, ob_error_last());
}

static int setup(void **state)
{
	ob_testdb *t = calloc(1, sizeof *t);

	if (!t)
		return -1;
	ob_testdb_open(t);
	ob_testdb_network(t);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	ob_testdb *t = *state;

	ob_testdb_close(t);
	free(t);
	return 0;
}

/* FRZ-1 (REG01, -80) > BOX-1 (rows x cols, A1 scheme). */
static void box(ob_testdb *t, const char *barcode, int rows, int cols)
{
	ob_container_new c;

	if (ob_container_lookup(&t->cx, "FRZ-1", &(int64_t){ 0 }) < 0) {
		ob_container_new_init(&c);
		c.barcode = "FRZ-1";
		c.kind = "freezer";
		c.site = "REG01";
		c.temperature = -80;
		ok(ob_container_add(&t->cx, &c, NULL));
	}
	ob_container_new_init(&c);
	c.barcode = barcode;
	c.kind = "box";
	c.parent = "FRZ-1";
	c.rows = rows;
	c.cols = cols;
	ok(ob_container_add(&t->cx, &c, NULL));
}

/* A plasma specimen of D1 at REG01, stored at box/pos when box is given. */
static void specimen(ob_testdb *t, const char *in_box, const char *pos, char out[OB_BARCODE_MAX])
{
	ob_specimen_new s;

	ob_specimen_new_init(&s);
	s.site = "REG01";
	s.donor = "D1";
	s.type = "plasma";
	s.quantity = 0.5;
	s.unit = "ml";
	s.collected_at = "2024-03-05T10:02:00Z";
	s.sprec = "PL1-SST-A-B-X-A-X";
	s.container = in_box;
	s.position = pos;
	ok(ob_specimen_create(&t->cx, &s, NULL, out));
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Checks the PNG signature and the IHDR size. */
static void assert_png(const ob_buf *b, unsigned w, unsigned h)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	const unsigned char *p = (const unsigned char *)b->s;

	assert_true(b->len > 33);
	assert_memory_equal(p, sig, 8);
	assert_memory_equal(p + 12, "IHDR", 4);
	assert_int_equal(be32(p + 16), w);
	assert_int_equal(be32(p + 20), h);
}

/* Pages of a PDF: "/Type /Page" objects, not the "/Type /Pages" tree. */
static int pdf_pages(const ob_buf *b)
{
	static const char key[] = "/Type /Page";
	int n = 0;

	assert_true(b->len > 5);
	assert_memory_equal(b->s, "%PDF-", 5);
	for (const char *p = b->s; (p = memmem(p, b->len - (size_t)(p - b->s), key,
	     sizeof key - 1)); p += sizeof key - 1)
		if (p[sizeof key - 1] != 's')
			n++;
	return n;
}

/* ---- reading a PNG back through cairo ---- */

typedef struct reader {
	const ob_buf *b;
	size_t at;
} reader;

static cairo_status_t read_bytes(void *closure, unsigned char *data, unsigned int len)
{
	reader *r = closure;

	if (r->b->len - r->at < len)
		return CAIRO_STATUS_READ_ERROR;
	memcpy(data, r->b->s + r->at, len);
	r->at += len;
	return CAIRO_STATUS_SUCCESS;
}

static cairo_surface_t *png_load(const ob_buf *b)
{
	reader r = { b, 0 };
	cairo_surface_t *sf = cairo_image_surface_create_from_png_stream(read_bytes, &r);

	assert_int_equal(cairo_surface_status(sf), CAIRO_STATUS_SUCCESS);
	cairo_surface_flush(sf);
	return sf;
}

static int dark_at(cairo_surface_t *sf, int x, int y)
{
	const unsigned char *d = cairo_image_surface_get_data(sf);
	uint32_t px = *(const uint32_t *)(d + (size_t)y * (size_t)cairo_image_surface_get_stride(sf)
		+ (size_t)x * 4);

	return (px & 0xff) < 128;  /* the blue channel of a black/white pixel */
}

static int column_dark(cairo_surface_t *sf, int x, int y0, int y1)
{
	for (int y = y0; y < y1; y++)
		if (dark_at(sf, x, y))
			return 1;
	return 0;
}

/* Compares the modules seen in the PNG's rectangle x0..x1, y0..y1 with the
 * matrix: finds the bounding box of dark pixels (ending at the first run
 * of gap blank columns when gap > 0: the space before a Data Matrix's
 * text; every column of a Data Matrix has a dark module in its bottom
 * row), divides it into rows x cols modules and samples each module's
 * centre. */
static void assert_drawn(cairo_surface_t *sf, int x0, int y0, int x1, int y1, int gap,
                         int rows, int cols, const char *modules)
{
	int minx = x1, maxx = -1, miny = y1, maxy = -1, blank = 0;
	double mw, mh;

	for (int x = x0; x < x1; x++) {
		if (!column_dark(sf, x, y0, y1)) {
			if (maxx >= 0 && gap > 0 && ++blank >= gap)
				break;
			continue;
		}
		blank = 0;
		for (int y = y0; y < y1; y++)
			if (dark_at(sf, x, y)) {
				minx = x < minx ? x : minx;
				maxx = x > maxx ? x : maxx;
				miny = y < miny ? y : miny;
				maxy = y > maxy ? y : maxy;
			}
	}
	assert_true(maxx > minx && maxy > miny);
	/* the matrix's first and last columns hold a dark module in every
	 * symbology used here, so the bounding box is the symbol */
	mw = (maxx + 1 - minx) / (double)cols;
	mh = (maxy + 1 - miny) / (double)rows;
	assert_true(fabs(mw - floor(mw + 0.5)) < 1e-9);  /* whole pixels per module */
	for (int r = 0; r < rows; r++)
		for (int c = 0; c < cols; c++) {
			int seen = dark_at(sf, minx + (int)((c + 0.5) * mw), miny + (int)((r + 0.5) * mh));
			if (seen != (modules[r * cols + c] == '1'))
				fail_msg("module row %d col %d: drawn %d, zint %c", r, c, seen,
					modules[r * cols + c]);
		}
}

/* ---- tests ---- */

static void format_and_symbology_words_parse(void **state)
{
	ob_label_format f;
	ob_label_symbology s;

	(void)state;
	ok(ob_label_format_parse(NULL, &f));
	assert_int_equal(f, OB_LABEL_PDF);
	ok(ob_label_format_parse("PNG", &f));
	assert_int_equal(f, OB_LABEL_PNG);
	assert_int_equal(ob_label_format_parse("svg", &f), OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), "format: 'svg'"));
	ok(ob_label_symbology_parse(NULL, &s));
	assert_int_equal(s, OB_LABEL_DATAMATRIX);
	ok(ob_label_symbology_parse("code128", &s));
	assert_int_equal(s, OB_LABEL_CODE128);
	assert_int_equal(ob_label_symbology_parse("qr", &s), OB_EINVALID);
	assert_string_equal(ob_label_content_type(OB_LABEL_PNG), "image/png");
	assert_string_equal(ob_label_content_type(OB_LABEL_PDF), "application/pdf");
}

static void datamatrix_has_finder_and_clock_patterns(void **state)
{
	ob_buf m = OB_BUF_INIT;
	int rows, cols;

	(void)state;
	ok(ob_label_modules(OB_LABEL_DATAMATRIX, "REG01000000123X", &rows, &cols, &m));
	assert_int_equal(rows, cols);          /* square symbols only */
	assert_true(rows >= 10 && rows % 2 == 0);
	assert_int_equal(m.len, (size_t)(rows * cols));
	for (int i = 0; i < rows; i++) {
		/* the L finder: left column and bottom row solid */
		assert_int_equal(m.s[i * cols], '1');
		assert_int_equal(m.s[(rows - 1) * cols + i], '1');
		/* the clock tracks: top row and right column alternate */
		assert_int_equal(m.s[i], i % 2 ? '0' : '1');
		assert_int_equal(m.s[i * cols + cols - 1], i % 2 ? '1' : '0');
	}
	ob_buf_dispose(&m);
}

static void code128_starts_and_stops_right(void **state)
{
	ob_buf m = OB_BUF_INIT;
	int rows, cols;

	(void)state;
	ok(ob_label_modules(OB_LABEL_CODE128, "REG01000000123X", &rows, &cols, &m));
	assert_int_equal(rows, 1);
	/* 11 modules a character and 13 for the stop pattern */
	assert_int_equal((cols - 13) % 11, 0);
	assert_memory_equal(m.s, "11010", 5);  /* every start character begins so */
	assert_string_equal(m.s + cols - 13, "1100011101011");
	ob_buf_dispose(&m);
	assert_int_equal(ob_label_modules(OB_LABEL_CODE128, "", &rows, &cols, &m), OB_EINVALID);
}

static void specimen_png_is_a_label_at_300_dpi(void **state)
{
	ob_testdb *t = *state;
	char bc[OB_BARCODE_MAX];
	ob_buf png = OB_BUF_INIT;

	specimen(t, NULL, NULL, bc);
	ok(ob_label_specimen(&t->cx, bc, OB_LABEL_PNG, OB_LABEL_DATAMATRIX, &png));
	assert_png(&png, OB_LABEL_WIDTH, OB_LABEL_HEIGHT);
	ob_buf_clear(&png);
	ok(ob_label_specimen(&t->cx, bc, OB_LABEL_PNG, OB_LABEL_CODE128, &png));
	assert_png(&png, OB_LABEL_WIDTH, OB_LABEL_HEIGHT);
	ob_buf_dispose(&png);
}

static void png_carries_exactly_the_datamatrix_modules(void **state)
{
	ob_testdb *t = *state;
	char bc[OB_BARCODE_MAX];
	ob_buf png = OB_BUF_INIT, m = OB_BUF_INIT;
	cairo_surface_t *sf;
	int rows, cols;

	specimen(t, NULL, NULL, bc);
	ok(ob_label_specimen(&t->cx, bc, OB_LABEL_PNG, OB_LABEL_DATAMATRIX, &png));
	ok(ob_label_modules(OB_LABEL_DATAMATRIX, bc, &rows, &cols, &m));
	sf = png_load(&png);
	/* the symbol sits in the left square of the label */
	assert_drawn(sf, 0, 0, OB_LABEL_WIDTH, OB_LABEL_HEIGHT, 10, rows, cols, m.s);
	cairo_surface_destroy(sf);
	ob_buf_dispose(&png);
	ob_buf_dispose(&m);
}

static void png_carries_exactly_the_code128_modules(void **state)
{
	ob_testdb *t = *state;
	char bc[OB_BARCODE_MAX];
	ob_buf png = OB_BUF_INIT, m = OB_BUF_INIT;
	cairo_surface_t *sf;
	int rows, cols;

	specimen(t, NULL, NULL, bc);
	ok(ob_label_specimen(&t->cx, bc, OB_LABEL_PNG, OB_LABEL_CODE128, &png));
	ok(ob_label_modules(OB_LABEL_CODE128, bc, &rows, &cols, &m));
	sf = png_load(&png);
	/* the bars run across the top of the label, text starts below 120 */
	assert_drawn(sf, 0, 40, OB_LABEL_WIDTH, 100, 0, rows, cols, m.s);
	cairo_surface_destroy(sf);
	ob_buf_dispose(&png);
	ob_buf_dispose(&m);
}

static void specimen_pdf_is_one_page(void **state)
{
	ob_testdb *t = *state;
	char bc[OB_BARCODE_MAX];
	ob_buf pdf = OB_BUF_INIT;

	specimen(t, NULL, NULL, bc);
	ok(ob_label_specimen(&t->cx, bc, OB_LABEL_PDF, OB_LABEL_DATAMATRIX, &pdf));
	assert_int_equal(pdf_pages(&pdf), 1);
	assert_non_null(memmem(pdf.s, pdf.len, "%%EOF", 5));
	ob_buf_dispose(&pdf);
}

static void unknown_barcode_is_not_found_and_leaves_the_buffer(void **state)
{
	ob_testdb *t = *state;
	ob_buf out = OB_BUF_INIT;

	ob_buf_puts(&out, "kept");
	assert_int_equal(ob_label_specimen(&t->cx, "NOPE0001X", OB_LABEL_PDF, OB_LABEL_DATAMATRIX,
		&out), OB_ENOTFOUND);
	assert_non_null(strstr(ob_error_last(), "NOPE0001X"));
	assert_string_equal(ob_buf_cstr(&out), "kept");
	assert_int_equal(ob_label_container(&t->cx, "NO-BOX", OB_LABEL_PDF, OB_LABEL_DATAMATRIX,
		&out), OB_ENOTFOUND);
	assert_string_equal(ob_buf_cstr(&out), "kept");
	ob_buf_dispose(&out);
}

static void a_buffer_too_small_fails_and_is_left_as_it_was(void **state)
{
	ob_testdb *t = *state;
	char bc[OB_BARCODE_MAX];
	ob_buf out;

	specimen(t, NULL, NULL, bc);
	ob_buf_init(&out, 1000);
	assert_int_equal(ob_label_specimen(&t->cx, bc, OB_LABEL_PNG, OB_LABEL_DATAMATRIX, &out),
		OB_ERROR);
	assert_int_equal(out.len, 0);
	assert_int_equal(out.failed, 0);
	assert_int_equal(ob_label_specimen(&t->cx, bc, OB_LABEL_PDF, OB_LABEL_DATAMATRIX, &out),
		OB_ERROR);
	assert_int_equal(out.len, 0);
	ob_buf_dispose(&out);
}

static void a_box_of_100_fills_three_a4_pages(void **state)
{
	ob_testdb *t = *state;
	char bc[OB_BARCODE_MAX], pos[8];
	ob_buf pdf = OB_BUF_INIT;

	box(t, "BOX-1", 10, 10);
	ok(ob_store_begin(t->st));
	for (int i = 0; i < 100; i++) {
		snprintf(pos, sizeof pos, "%c%d", 'A' + i / 10, i % 10 + 1);
		specimen(t, "BOX-1", pos, bc);
	}
	ok(ob_store_commit(t->st));
	ok(ob_label_container(&t->cx, "BOX-1", OB_LABEL_PDF, OB_LABEL_DATAMATRIX, &pdf));
	/* the box's label and 100 specimens' at 44 a page */
	assert_int_equal(pdf_pages(&pdf), 3);
	ob_buf_dispose(&pdf);
}

static void a_box_sheet_lists_by_position_after_the_box(void **state)
{
	ob_testdb *t = *state;
	char b1[OB_BARCODE_MAX], b2[OB_BARCODE_MAX], b3[OB_BARCODE_MAX];
	ob_buf png = OB_BUF_INIT, m = OB_BUF_INIT;
	cairo_surface_t *sf;
	int rows, cols;

	box(t, "BOX-1", 10, 10);
	specimen(t, "BOX-1", "C1", b1);
	specimen(t, "BOX-1", "A10", b2);
	specimen(t, "BOX-1", "A2", b3);
	ok(ob_label_container(&t->cx, "BOX-1", OB_LABEL_PNG, OB_LABEL_DATAMATRIX, &png));
	/* 4 labels: one row of the grid */
	assert_png(&png, OB_LABEL_SHEET_COLS * OB_LABEL_WIDTH, OB_LABEL_HEIGHT);
	sf = png_load(&png);
	/* the box first, then A2, A10, C1: read each symbol back */
	const char *order[] = { "BOX-1", b3, b2, b1 };
	for (int i = 0; i < 4; i++) {
		ob_buf_clear(&m);
		ok(ob_label_modules(OB_LABEL_DATAMATRIX, order[i], &rows, &cols, &m));
		assert_drawn(sf, i * OB_LABEL_WIDTH + 4, 4, (i + 1) * OB_LABEL_WIDTH - 4,
			OB_LABEL_HEIGHT - 4, 10, rows, cols, m.s);
	}
	cairo_surface_destroy(sf);
	ob_buf_dispose(&png);
	ob_buf_dispose(&m);
}

static void an_empty_box_gives_only_its_own_label(void **state)
{
	ob_testdb *t = *state;
	ob_buf out = OB_BUF_INIT;

	box(t, "BOX-E", 9, 9);
	ok(ob_label_container(&t->cx, "BOX-E", OB_LABEL_PDF, OB_LABEL_CODE128, &out));
	assert_int_equal(pdf_pages(&out), 1);
	ob_buf_clear(&out);
	ok(ob_label_container(&t->cx, "BOX-E", OB_LABEL_PNG, OB_LABEL_CODE128, &out));
	assert_png(&out, OB_LABEL_SHEET_COLS * OB_LABEL_WIDTH, OB_LABEL_HEIGHT);
	ob_buf_dispose(&out);
}

static void a_freezer_is_not_a_box(void **state)
{
	ob_testdb *t = *state;
	ob_buf out = OB_BUF_INIT;

	box(t, "BOX-1", 2, 2);
	assert_int_equal(ob_label_container(&t->cx, "FRZ-1", OB_LABEL_PDF, OB_LABEL_DATAMATRIX,
		&out), OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), "not a box"));
	assert_int_equal(out.len, 0);
	ob_buf_dispose(&out);
}

static void a_png_sheet_holds_at_most_200_labels(void **state)
{
	ob_testdb *t = *state;
	char bc[OB_BARCODE_MAX], pos[8];
	ob_buf out = OB_BUF_INIT;

	box(t, "BOX-1", 15, 15);
	ok(ob_store_begin(t->st));
	for (int i = 0; i < OB_LABEL_PNG_MAX; i++) {
		snprintf(pos, sizeof pos, "%c%d", 'A' + i / 15, i % 15 + 1);
		specimen(t, "BOX-1", pos, bc);
	}
	ok(ob_store_commit(t->st));
	/* 200 specimens and the box: one label too many for a PNG */
	assert_int_equal(ob_label_container(&t->cx, "BOX-1", OB_LABEL_PNG, OB_LABEL_DATAMATRIX,
		&out), OB_ETOOBIG);
	assert_non_null(strstr(ob_error_last(), "PDF"));
	assert_int_equal(out.len, 0);
	ok(ob_label_container(&t->cx, "BOX-1", OB_LABEL_PDF, OB_LABEL_DATAMATRIX, &out));
	assert_int_equal(pdf_pages(&out), 5);  /* 201 labels at 44 a page */
	ob_buf_dispose(&out);
}

static void text_that_is_not_utf8_still_prints(void **state)
{
	ob_testdb *t = *state;
	ob_buf out = OB_BUF_INIT;

	box(t, "BOX-1", 2, 2);
	/* cairo refuses invalid UTF-8 and would fail the whole drawing */
	ob_testdb_exec(t, "UPDATE container SET name = 'caf' || char(233) || X'FF' || 'x'"
		" WHERE barcode = 'BOX-1'");
	ok(ob_label_container(&t->cx, "BOX-1", OB_LABEL_PDF, OB_LABEL_DATAMATRIX, &out));
	ob_buf_clear(&out);
	ob_testdb_exec(t, "UPDATE container SET name = CAST(X'636166E9FF0A78' AS TEXT)"
		" WHERE barcode = 'BOX-1'");
	ok(ob_label_container(&t->cx, "BOX-1", OB_LABEL_PNG, OB_LABEL_CODE128, &out));
	ob_buf_dispose(&out);
}

static void reading_needs_the_site_in_scope(void **state)
{
	ob_testdb *t = *state;
	char bc[OB_BARCODE_MAX], reg1[512], reg2[512];
	ob_ctx cx = t->cx;
	ob_buf out = OB_BUF_INIT;
	int64_t id;

	box(t, "BOX-1", 2, 2);
	specimen(t, "BOX-1", "A1", bc);
	ok(ob_site_lookup(&t->cx, "REG01", &id, reg1));
	ok(ob_site_lookup(&t->cx, "REG02", &id, reg2));
	cx.role = OB_ROLE_RESEARCHER;
	cx.actor_site = "REG02";
	cx.scope = reg2;
	/* another site's specimen and box are as if they did not exist */
	assert_int_equal(ob_label_specimen(&cx, bc, OB_LABEL_PNG, OB_LABEL_DATAMATRIX, &out),
		OB_ENOTFOUND);
	assert_int_equal(ob_label_container(&cx, "BOX-1", OB_LABEL_PNG, OB_LABEL_DATAMATRIX, &out),
		OB_ENOTFOUND);
	assert_int_equal(out.len, 0);
	cx.actor_site = "REG01";
	cx.scope = reg1;
	ok(ob_label_specimen(&cx, bc, OB_LABEL_PNG, OB_LABEL_DATAMATRIX, &out));
	ok(ob_label_container(&cx, "BOX-1", OB_LABEL_PNG, OB_LABEL_DATAMATRIX, &out));
	ob_buf_dispose(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(format_and_symbology_words_parse),
		cmocka_unit_test(datamatrix_has_finder_and_clock_patterns),
		cmocka_unit_test(code128_starts_and_stops_right),
#define DB_TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		DB_TEST(specimen_png_is_a_label_at_300_dpi),
		DB_TEST(png_carries_exactly_the_datamatrix_modules),
		DB_TEST(png_carries_exactly_the_code128_modules),
		DB_TEST(specimen_pdf_is_one_page),
		DB_TEST(unknown_barcode_is_not_found_and_leaves_the_buffer),
		DB_TEST(a_buffer_too_small_fails_and_is_left_as_it_was),
		DB_TEST(a_box_of_100_fills_three_a4_pages),
		DB_TEST(a_box_sheet_lists_by_position_after_the_box),
		DB_TEST(an_empty_box_gives_only_its_own_label),
		DB_TEST(a_freezer_is_not_a_box),
		DB_TEST(a_png_sheet_holds_at_most_200_labels),
		DB_TEST(text_that_is_not_utf8_still_prints),
		DB_TEST(reading_needs_the_site_in_scope),
#undef DB_TEST
	};

	int failed = cmocka_run_group_tests(tests, NULL, NULL);

	ob_label_cleanup();
	return failed;
}
