/*
 * test_container.c - unit tests of src/bank/container.h: the storage tree
 * and its rules, position naming schemes, moves, swaps, emptying a box,
 * maps, the freezer report, temperature inheritance, and the audit trail
 * catching a position changed behind its back. Each test runs on a fresh
 * temporary SQLite database (tests/support/testdb.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/testdb.h"
#include "bank/audit.h"
#include "bank/barcode.h"
#include "bank/container.h"
#include "bank/specimen.h"
#include "base/buf.h"
#include "base/error.h"
#include "store/store.h"
#include "view/view.h"

static void assert_error_is(const char *text)
{
	if (strcmp(ob_error_last(), text))
		fail_msg("error '%s' is not '%s'", ob_error_last(), text);
}

static void assert_error_has(const char *text)
{
	if (!strstr(ob_error_last(), text))
		fail_msg("error '%s' lacks '%s'", ob_error_last(), text);
}

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

static void add(ob_testdb *t, const char *barcode, const char *kind, const char *parent,
                const char *site, double temp, int rows, int cols, const char *scheme)
{
	ob_container_new c;

	ob_container_new_init(&c);
	c.barcode = barcode;
	c.kind = kind;
	c.parent = parent;
	c.site = site;
	c.temperature = temp;
	c.rows = rows;
	c.cols = cols;
	c.scheme = scheme;
	ok(ob_container_add(&t->cx, &c, NULL));
}

/* FRZ-1 (REG01, -80) > RACK-1 > BOX-1 (10 x 10 A1), BOX-2 (3 x 3 A1);
 * FRZ-1 > SHELF-1 > RACK-2 > BOX-3 (2 x 2 numbered);
 * FRZ-2 (REG02, -20) > BOX-9 (4 x 4 row-column). */
static void storage(ob_testdb *t)
{
	add(t, "FRZ-1", "freezer", NULL, "REG01", -80, 0, 0, NULL);
	add(t, "RACK-1", "rack", "FRZ-1", NULL, NAN, 0, 0, NULL);
	add(t, "BOX-1", "box", "RACK-1", NULL, NAN, 10, 10, NULL);
	add(t, "BOX-2", "box", "RACK-1", NULL, NAN, 3, 3, "A1");
	add(t, "SHELF-1", "shelf", "FRZ-1", NULL, NAN, 0, 0, NULL);
	add(t, "RACK-2", "rack", "SHELF-1", NULL, NAN, 0, 0, NULL);
	add(t, "BOX-3", "box", "RACK-2", NULL, NAN, 2, 2, "1");
	add(t, "FRZ-2", "freezer", NULL, "REG02", -20, 0, 0, NULL);
	add(t, "BOX-9", "box", "FRZ-2", NULL, NAN, 4, 4, "1-1");
}

/* A plasma specimen of D1 (or D2 for a REG02 box) at box/pos (box NULL:
 * not stored); its generated barcode into out. */
static void specimen(ob_testdb *t, const char *box, const char *pos, const char *status,
                     char out[OB_BARCODE_MAX])
{
	ob_specimen_new s;
	bool reg2 = box && !strcmp(box, "BOX-9");

	ob_specimen_new_init(&s);
	s.site = reg2 ? "REG02" : "REG01";
	s.donor = reg2 ? "D2" : "D1";
	s.type = "plasma";
	s.quantity = 0.5;
	s.unit = "ml";
	s.container = box;
	s.position = pos;
	s.status = status;
	ok(ob_specimen_create(&t->cx, &s, NULL, out));
}

/* "BOX:POS" of a specimen, "-" when not stored; static buffer. */
static const char *where(ob_testdb *t, const char *barcode)
{
	static const char *const sql =
		"SELECT c.barcode, s.position FROM specimen s LEFT JOIN container c"
		" ON c.id = s.container_id WHERE s.barcode = $1";
	static char buf[80];
	ob_stmt *s;

	ok(ob_store_prepare(t->st, sql, &s));
	ob_stmt_bind_text(s, 1, barcode);
	assert_int_equal(ob_stmt_step(s), OB_ROW);
	if (ob_stmt_is_null(s, 0))
		snprintf(buf, sizeof buf, "-");
	else
		snprintf(buf, sizeof buf, "%s:%s", ob_stmt_text(s, 0),
			 ob_stmt_text(s, 1) ? ob_stmt_text(s, 1) : "");
	ob_stmt_reset(s);
	return buf;
}

/* Runs `audit verify` the way the command does: on a connection of its
 * own. Returns its code; the message stays in ob_error_last(). */
static int verify(ob_testdb *t)
{
	ob_store *st;
	ob_buf out = OB_BUF_INIT;
	int rc;

	ok(ob_store_open(&st, t->path));
	ob_ctx cx = { .st = st, .actor = "auditor" };
	rc = ob_audit_verify(&cx, &out);
	ob_buf_dispose(&out);
	ob_store_free(st);
	return rc;
}

static void verify_ok(ob_testdb *t)
{
	ok(verify(t));
}

/* ---- positions ---------------------------------------------------------- */

static void position_a1_names_rows_as_letters(void **state)
{
	char p[OB_POSITION_MAX];

	(void)state;
	ok(ob_position_name("A1", 12, 1, 1, p));
	assert_string_equal(p, "A1");
	ok(ob_position_name("A1", 12, 8, 12, p));
	assert_string_equal(p, "H12");
	ok(ob_position_name("A1", 12, 26, 3, p));
	assert_string_equal(p, "Z3");
	ok(ob_position_name("A1", 12, 27, 3, p));
	assert_string_equal(p, "AA3");
	ok(ob_position_name("A1", 100, 100, 100, p));
	assert_string_equal(p, "CV100");
	assert_int_equal(ob_position_name("A1", 12, 0, 1, p), OB_EINVALID);
	assert_int_equal(ob_position_name("A1", 12, 101, 1, p), OB_EINVALID);
}

static void position_parse_normalises_case_and_zeros(void **state)
{
	int r, c;

	(void)state;
	ok(ob_position_parse("A1", 10, "a01", &r, &c));
	assert_int_equal(r, 1);
	assert_int_equal(c, 1);
	ok(ob_position_parse("A1", 10, "h012", &r, &c));
	assert_int_equal(r, 8);
	assert_int_equal(c, 12);
	ok(ob_position_parse("A1", 10, "Ab7", &r, &c));
	assert_int_equal(r, 28);
	assert_int_equal(c, 7);
	ok(ob_position_parse("1-1", 10, "03-010", &r, &c));
	assert_int_equal(r, 3);
	assert_int_equal(c, 10);
	ok(ob_position_parse("1", 12, "15", &r, &c));
	assert_int_equal(r, 2);
	assert_int_equal(c, 3);
	ok(ob_position_parse("1", 12, "012", &r, &c));
	assert_int_equal(r, 1);
	assert_int_equal(c, 12);
}

static void position_parse_rejects_malformed(void **state)
{
	static const char *const a1_bad[] = { "", "A", "1", "1A", "A1x", "A0", "ABCD1", " A1",
		"A-1", NULL };
	static const char *const rc_bad[] = { "", "1", "1-", "-1", "0-1", "1-0", "A-1", "1-1-1",
		NULL };
	static const char *const n_bad[] = { "", "0", "A1", "1-1", "-3", "99999999", NULL };
	int r, c;

	(void)state;
	for (int i = 0; a1_bad[i]; i++)
		if (ob_position_parse("A1", 10, a1_bad[i], &r, &c) != OB_EINVALID)
			fail_msg("A1 accepted '%s'", a1_bad[i]);
	for (int i = 0; rc_bad[i]; i++)
		if (ob_position_parse("1-1", 10, rc_bad[i], &r, &c) != OB_EINVALID)
			fail_msg("1-1 accepted '%s'", rc_bad[i]);
	for (int i = 0; n_bad[i]; i++)
		if (ob_position_parse("1", 10, n_bad[i], &r, &c) != OB_EINVALID)
			fail_msg("1 accepted '%s'", n_bad[i]);
	assert_int_equal(ob_position_parse("B2", 10, "A1", &r, &c), OB_EINVALID);
	assert_false(ob_position_scheme_valid("B2"));
	assert_true(ob_position_scheme_valid("1-1"));
}

static void position_name_round_trips_every_scheme(void **state)
{
	static const char *const schemes[] = { "A1", "1-1", "1" };
	char p[OB_POSITION_MAX];
	int r, c;

	(void)state;
	for (int k = 0; k < 3; k++)
		for (int row = 1; row <= 30; row++)
			for (int col = 1; col <= 13; col++) {
				ok(ob_position_name(schemes[k], 13, row, col, p));
				ok(ob_position_parse(schemes[k], 13, p, &r, &c));
				if (r != row || c != col)
					fail_msg("%s: %d,%d -> %s -> %d,%d", schemes[k], row, col, p, r, c);
			}
}

static void check_position_normalises(void **state)
{
	ob_testdb *t = *state;
	char p[OB_POSITION_MAX];
	int64_t id = 0, box;

	storage(t);
	ok(ob_container_lookup(&t->cx, "BOX-1", &box));
	ok(ob_container_check_position(&t->cx, "BOX-1", "j010", &id, p));
	assert_string_equal(p, "J10");
	assert_int_equal(id, box);
	ok(ob_container_check_position(&t->cx, "BOX-3", "04", NULL, p));
	assert_string_equal(p, "4");
	ok(ob_container_check_position(&t->cx, "BOX-9", "4-04", NULL, p));
	assert_string_equal(p, "4-4");
}

static void check_position_outside_box_is_invalid(void **state)
{
	ob_testdb *t = *state;
	char p[OB_POSITION_MAX];

	storage(t);
	assert_int_equal(ob_container_check_position(&t->cx, "BOX-1", "K11", NULL, p), OB_EINVALID);
	assert_error_is("position: 'K11' is outside box BOX-1 (10 x 10, A1..J10)");
	assert_int_equal(ob_container_check_position(&t->cx, "BOX-1", "A11", NULL, p), OB_EINVALID);
	assert_int_equal(ob_container_check_position(&t->cx, "BOX-3", "5", NULL, p), OB_EINVALID);
	assert_error_is("position: '5' is outside box BOX-3 (2 x 2, 1..4)");
	assert_int_equal(ob_container_check_position(&t->cx, "BOX-9", "5-1", NULL, p), OB_EINVALID);
	assert_error_is("position: '5-1' is outside box BOX-9 (4 x 4, 1-1..4-4)");
	assert_int_equal(ob_container_check_position(&t->cx, "BOX-1", "1-1", NULL, p), OB_EINVALID);
	assert_error_has("is not a position in box BOX-1");
	assert_int_equal(ob_container_check_position(&t->cx, "RACK-1", "A1", NULL, p), OB_EINVALID);
	assert_error_has("RACK-1 is a rack, not a box");
	assert_int_equal(ob_container_check_position(&t->cx, "NOPE", "A1", NULL, p), OB_ENOTFOUND);
}

/* ---- the tree ----------------------------------------------------------- */

static int try_add(ob_testdb *t, const char *barcode, const char *kind, const char *parent,
                   const char *site, int rows, int cols, const char *scheme)
{
	ob_container_new c;

	ob_container_new_init(&c);
	c.barcode = barcode;
	c.kind = kind;
	c.parent = parent;
	c.site = site;
	c.rows = rows;
	c.cols = cols;
	c.scheme = scheme;
	return ob_container_add(&t->cx, &c, NULL);
}

static void add_checks_kind_parent_site_and_size(void **state)
{
	ob_testdb *t = *state;

	storage(t);
	assert_int_equal(try_add(t, "X", "cupboard", NULL, "REG01", 0, 0, NULL), OB_EINVALID);
	assert_error_has("kind: 'cupboard'");
	assert_int_equal(try_add(t, "X", "freezer", NULL, NULL, 0, 0, NULL), OB_EINVALID);
	assert_error_has("site:");
	assert_int_equal(try_add(t, "X", "freezer", "FRZ-1", "REG01", 0, 0, NULL), OB_EINVALID);
	assert_error_has("parent:");
	assert_int_equal(try_add(t, "X", "rack", NULL, "REG01", 0, 0, NULL), OB_EINVALID);
	assert_error_has("parent: a rack needs a parent");
	assert_int_equal(try_add(t, "X", "rack", "NOPE", NULL, 0, 0, NULL), OB_ENOTFOUND);
	assert_error_is("parent: no container has barcode 'NOPE'");
	assert_int_equal(try_add(t, "X", "box", "BOX-1", NULL, 2, 2, NULL), OB_EINVALID);
	assert_error_has("a box holds specimens, not containers");
	assert_int_equal(try_add(t, "X", "box", "RACK-1", NULL, 0, 10, NULL), OB_EINVALID);
	assert_error_has("rows:");
	assert_int_equal(try_add(t, "X", "box", "RACK-1", NULL, 10, 101, NULL), OB_EINVALID);
	assert_error_has("cols:");
	assert_int_equal(try_add(t, "X", "box", "RACK-1", NULL, 10, 10, "B2"), OB_EINVALID);
	assert_error_has("scheme:");
	assert_int_equal(try_add(t, "X", "rack", "FRZ-1", NULL, 5, 0, NULL), OB_EINVALID);
	assert_error_has("rows: only boxes");
	assert_int_equal(try_add(t, "X", "rack", "FRZ-1", "REG02", 0, 0, NULL), OB_EINVALID);
	assert_error_has("site: a container belongs to its parent's site");
	assert_int_equal(try_add(t, "X", "freezer", NULL, "NOSITE", 0, 0, NULL), OB_ENOTFOUND);
	assert_int_equal(try_add(t, "bad code", "freezer", NULL, "REG01", 0, 0, NULL), OB_EINVALID);
	assert_error_has("barcode:");
	assert_int_equal(try_add(t, "BOX-1", "box", "RACK-1", NULL, 2, 2, NULL), OB_EEXISTS);
	assert_error_is("barcode: container 'BOX-1' exists already");
	ok(try_add(t, "X", "rack", "FRZ-1", "REG01", 0, 0, NULL));
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM container"), 10);
}

static void add_records_path_and_audit(void **state)
{
	ob_testdb *t = *state;
	ob_container_info c;
	ob_buf b = OB_BUF_INIT;
	int64_t frz, rack, box;

	storage(t);
	ok(ob_container_lookup(&t->cx, "FRZ-1", &frz));
	ok(ob_container_lookup(&t->cx, "RACK-1", &rack));
	ok(ob_container_lookup(&t->cx, "BOX-1", &box));
	ob_buf_printf(&b, "/%lld/%lld/%lld/", (long long)frz, (long long)rack, (long long)box);
	{
		static const char *const sql = "SELECT path FROM container WHERE id = $1";
		ob_stmt *s;
		ok(ob_store_prepare(t->st, sql, &s));
		ob_stmt_bind_int(s, 1, box);
		assert_int_equal(ob_stmt_step(s), OB_ROW);
		assert_string_equal(ob_stmt_text(s, 0), ob_buf_cstr(&b));
		ob_stmt_reset(s);
	}
	ob_buf_dispose(&b);
	ok(ob_container_get(&t->cx, "BOX-1", &c));
	assert_string_equal(c.kind, "box");
	assert_string_equal(c.site, "REG01");
	assert_string_equal(c.parent, "RACK-1");
	assert_string_equal(c.scheme, "A1");
	assert_string_equal(c.name, "BOX-1");
	assert_int_equal(c.rows, 10);
	assert_true(isnan(c.temperature));
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM audit_event"
		" WHERE entity = 'container' AND action = 'create'"), 9);
	verify_ok(t);
}

static void path_text_names_the_chain(void **state)
{
	ob_testdb *t = *state;
	ob_buf b = OB_BUF_INIT;
	int64_t id;

	storage(t);
	ok(ob_container_lookup(&t->cx, "BOX-3", &id));
	ok(ob_container_path_text(&t->cx, id, &b));
	assert_string_equal(ob_buf_cstr(&b), "FRZ-1 > SHELF-1 > RACK-2 > BOX-3");
	ob_buf_dispose(&b);
	assert_int_equal(ob_container_path_text(&t->cx, 9999, &b), OB_ENOTFOUND);
	ob_buf_dispose(&b);
}

static void temperature_comes_from_nearest_ancestor(void **state)
{
	ob_testdb *t = *state;
	int64_t id;
	double temp;

	storage(t);
	add(t, "RACK-W", "rack", "FRZ-1", NULL, -20, 0, 0, NULL);
	add(t, "BOX-W", "box", "RACK-W", NULL, NAN, 1, 1, NULL);
	add(t, "TANK-1", "ln2_tank", NULL, "REG01", NAN, 0, 0, NULL);
	add(t, "BOX-T", "box", "TANK-1", NULL, NAN, 1, 1, NULL);
	ok(ob_container_lookup(&t->cx, "BOX-3", &id));
	ok(ob_container_temperature(&t->cx, id, &temp));
	assert_true(temp == -80.0);
	ok(ob_container_lookup(&t->cx, "BOX-9", &id));
	ok(ob_container_temperature(&t->cx, id, &temp));
	assert_true(temp == -20.0);
	ok(ob_container_lookup(&t->cx, "BOX-W", &id));
	ok(ob_container_temperature(&t->cx, id, &temp));
	assert_true(temp == -20.0);
	ok(ob_container_lookup(&t->cx, "BOX-T", &id));
	ok(ob_container_temperature(&t->cx, id, &temp));
	assert_true(isnan(temp));
	assert_int_equal(ob_container_temperature(&t->cx, 9999, &temp), OB_ENOTFOUND);
}

/* ---- moves -------------------------------------------------------------- */

static void move_stores_normalised_position_and_audits(void **state)
{
	ob_testdb *t = *state;
	char a[OB_BARCODE_MAX];

	storage(t);
	specimen(t, NULL, NULL, NULL, a);
	assert_string_equal(where(t, a), "-");
	ok(ob_specimen_move(&t->cx, a, "BOX-1", "b02"));
	assert_string_equal(where(t, a), "BOX-1:B2");
	ok(ob_specimen_move(&t->cx, a, "BOX-3", "3"));
	assert_string_equal(where(t, a), "BOX-3:3");
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM audit_event"
		" WHERE entity = 'specimen' AND action = 'move'"), 2);
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM audit_event WHERE action = 'move'"
		" AND before LIKE '%\"position\":\"B2\"%' AND after LIKE '%\"position\":\"3\"%'"), 1);
	/* A move to where it is changes nothing and records nothing. */
	ok(ob_specimen_move(&t->cx, a, "BOX-3", "03"));
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM audit_event"
		" WHERE entity = 'specimen' AND action = 'move'"), 2);
	verify_ok(t);
}

static void move_to_taken_position_conflicts(void **state)
{
	ob_testdb *t = *state;
	char a[OB_BARCODE_MAX], b[OB_BARCODE_MAX], msg[128];

	storage(t);
	specimen(t, "BOX-1", "A1", NULL, a);
	specimen(t, "BOX-1", "A2", NULL, b);
	assert_int_equal(ob_specimen_move(&t->cx, b, "BOX-1", "a1"), OB_ECONFLICT);
	snprintf(msg, sizeof msg, "position: A1 of BOX-1 is taken by %s", a);
	assert_error_is(msg);
	assert_string_equal(where(t, b), "BOX-1:A2");
	assert_int_equal(ob_specimen_move(&t->cx, b, "BOX-1", "K11"), OB_EINVALID);
	assert_error_is("position: 'K11' is outside box BOX-1 (10 x 10, A1..J10)");
	assert_int_equal(ob_specimen_move(&t->cx, b, "RACK-1", NULL), OB_EINVALID);
	assert_int_equal(ob_specimen_move(&t->cx, b, "NOPE", "A1"), OB_ENOTFOUND);
	assert_int_equal(ob_specimen_move(&t->cx, "NOPE", "BOX-1", "A3"), OB_ENOTFOUND);
	assert_int_equal(ob_specimen_move(&t->cx, b, NULL, "A3"), OB_EINVALID);
	verify_ok(t);
}

static void move_refuses_specimen_that_left_the_bank(void **state)
{
	ob_testdb *t = *state;
	static const char *const gone[] = { "distributed", "destroyed", "depleted" };
	char a[OB_BARCODE_MAX];

	storage(t);
	for (int i = 0; i < 3; i++) {
		specimen(t, NULL, NULL, gone[i], a);
		assert_int_equal(ob_specimen_move(&t->cx, a, "BOX-1", "C3"), OB_ECONFLICT);
		assert_error_has(gone[i]);
		assert_string_equal(where(t, a), "-");
	}
	specimen(t, NULL, NULL, "reserved", a);
	ok(ob_specimen_move(&t->cx, a, "BOX-1", "C3"));
}

static void move_out_of_storage_clears_the_place(void **state)
{
	ob_testdb *t = *state;
	char a[OB_BARCODE_MAX], b[OB_BARCODE_MAX];

	storage(t);
	specimen(t, "BOX-1", "A1", NULL, a);
	ok(ob_specimen_move(&t->cx, a, NULL, NULL));
	assert_string_equal(where(t, a), "-");
	specimen(t, "BOX-1", "A1", NULL, b);
	assert_string_equal(where(t, b), "BOX-1:A1");
	verify_ok(t);
}

static void swap_exchanges_places_and_audits_both(void **state)
{
	ob_testdb *t = *state;
	char a[OB_BARCODE_MAX], b[OB_BARCODE_MAX], c[OB_BARCODE_MAX], d[OB_BARCODE_MAX];

	storage(t);
	specimen(t, "BOX-1", "A1", NULL, a);
	specimen(t, "BOX-1", "A2", NULL, b);
	specimen(t, "BOX-3", "4", NULL, c);
	specimen(t, NULL, NULL, NULL, d);
	ok(ob_specimen_swap(&t->cx, a, b));
	assert_string_equal(where(t, a), "BOX-1:A2");
	assert_string_equal(where(t, b), "BOX-1:A1");
	ok(ob_specimen_swap(&t->cx, a, c));
	assert_string_equal(where(t, a), "BOX-3:4");
	assert_string_equal(where(t, c), "BOX-1:A2");
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM audit_event"
		" WHERE entity = 'specimen' AND action = 'swap'"), 4);
	assert_int_equal(ob_specimen_swap(&t->cx, a, d), OB_ECONFLICT);
	assert_error_has("is not in storage");
	assert_int_equal(ob_specimen_swap(&t->cx, a, a), OB_EINVALID);
	assert_int_equal(ob_specimen_swap(&t->cx, a, "NOPE"), OB_ENOTFOUND);
	verify_ok(t);
}

static void empty_into_keeps_free_positions_and_fills_the_rest(void **state)
{
	ob_testdb *t = *state;
	char a[OB_BARCODE_MAX], b[OB_BARCODE_MAX], c[OB_BARCODE_MAX], x[OB_BARCODE_MAX];
	int64_t moved = -1;

	storage(t);
	specimen(t, "BOX-1", "A1", NULL, x);  /* already in the target */
	specimen(t, "BOX-2", "A1", NULL, a);
	specimen(t, "BOX-2", "B2", NULL, b);
	specimen(t, "BOX-2", "C3", NULL, c);
	ok(ob_container_empty_into(&t->cx, "BOX-2", "BOX-1", &moved));
	assert_int_equal(moved, 3);
	assert_string_equal(where(t, x), "BOX-1:A1");
	assert_string_equal(where(t, a), "BOX-1:A2");
	assert_string_equal(where(t, b), "BOX-1:B2");
	assert_string_equal(where(t, c), "BOX-1:C3");
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM specimen s JOIN container c"
		" ON c.id = s.container_id WHERE c.barcode = 'BOX-2'"), 0);
	/* Into a box of another scheme: rows and columns kept. */
	ok(ob_container_empty_into(&t->cx, "BOX-1", "BOX-9", &moved));
	assert_int_equal(moved, 4);
	assert_string_equal(where(t, x), "BOX-9:1-1");
	assert_string_equal(where(t, a), "BOX-9:1-2");
	assert_string_equal(where(t, b), "BOX-9:2-2");
	assert_string_equal(where(t, c), "BOX-9:3-3");
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM audit_event"
		" WHERE entity = 'specimen' AND action = 'move'"), 7);
	ok(ob_container_empty_into(&t->cx, "BOX-2", "BOX-1", &moved));
	assert_int_equal(moved, 0);
	verify_ok(t);
}

static void empty_into_without_room_moves_nothing(void **state)
{
	ob_testdb *t = *state;
	char a[OB_BARCODE_MAX], b[OB_BARCODE_MAX], y[OB_BARCODE_MAX];
	int64_t moved = -1;
	long long events;

	storage(t);
	specimen(t, "BOX-3", "1", NULL, y);
	specimen(t, "BOX-3", "2", NULL, y);
	specimen(t, "BOX-3", "3", NULL, y);
	specimen(t, "BOX-2", "A1", NULL, a);
	specimen(t, "BOX-2", "A2", NULL, b);
	events = ob_testdb_count(t, "SELECT COUNT(*) FROM audit_event");
	assert_int_equal(ob_container_empty_into(&t->cx, "BOX-2", "BOX-3", &moved), OB_ECONFLICT);
	assert_error_is("box BOX-3 has 1 free position; BOX-2 holds 2 specimens: nothing moved");
	assert_int_equal(moved, 0);
	assert_string_equal(where(t, a), "BOX-2:A1");
	assert_string_equal(where(t, b), "BOX-2:A2");
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM audit_event"), events);
	assert_int_equal(ob_container_empty_into(&t->cx, "BOX-2", "BOX-2", &moved), OB_EINVALID);
	assert_int_equal(ob_container_empty_into(&t->cx, "BOX-2", "RACK-1", &moved), OB_EINVALID);
	verify_ok(t);
}

/* ---- maps, lists, the report --------------------------------------------- */

static void map_shows_every_position(void **state)
{
	ob_testdb *t = *state;
	char a[OB_BARCODE_MAX];
	ob_box_map m;
	json_t *j, *p;

	storage(t);
	specimen(t, "BOX-2", "B3", NULL, a);
	ok(ob_container_map(&t->cx, "BOX-2", &m));
	assert_string_equal(m.path, "FRZ-1 > RACK-1 > BOX-2");
	assert_true(m.temperature == -80.0);
	assert_int_equal(m.used, 1);
	assert_int_equal(m.nstray, 0);
	assert_string_equal(m.cell[1 * 3 + 2], a);  /* B3: row 2, column 3 */
	assert_null(m.cell[0]);
	j = ob_view_box_map(&m);
	ob_box_map_free(&m);
	assert_non_null(j);
	assert_int_equal(json_integer_value(json_object_get(j, "rows")), 3);
	assert_int_equal(json_integer_value(json_object_get(j, "used")), 1);
	assert_int_equal(json_integer_value(json_object_get(j, "free")), 8);
	assert_int_equal(json_integer_value(json_object_get(j, "temperature")), -80);
	p = json_object_get(j, "positions");
	assert_int_equal(json_array_size(p), 9);
	assert_string_equal(json_string_value(json_object_get(json_array_get(p, 5), "position")), "B3");
	assert_string_equal(json_string_value(json_object_get(json_array_get(p, 5), "specimen")), a);
	assert_true(json_is_null(json_object_get(json_array_get(p, 0), "specimen")));
	json_decref(j);
	assert_int_equal(ob_container_map(&t->cx, "RACK-1", &m), OB_EINVALID);
}

/* The index of barcode's row in a list, or -1. */
static int row_of(const ob_container_tree *l, const char *barcode)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].c.barcode, barcode))
			return (int)i;
	return -1;
}

static void list_walks_a_subtree_or_a_site(void **state)
{
	ob_testdb *t = *state;
	ob_container_tree l;
	json_t *j;

	storage(t);
	ok(ob_container_list(&t->cx, NULL, "SHELF-1", &l));
	j = ob_view_container_tree(&l);
	ob_container_tree_free(&l);
	assert_non_null(j);
	assert_int_equal(json_array_size(j), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(j, 2), "path")),
			    "FRZ-1 > SHELF-1 > RACK-2 > BOX-3");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(j, 2), "depth")), 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(j, 2), "capacity")), 4);
	json_decref(j);
	ok(ob_container_list(&t->cx, "REG02", NULL, &l));
	assert_true(row_of(&l, "FRZ-2") >= 0);
	assert_true(row_of(&l, "BOX-9") >= 0);
	if (row_of(&l, "FRZ-1") >= 0)
		fail_msg("REG02 list shows FRZ-1");
	ob_container_tree_free(&l);
	/* The center's scope holds every site's containers, depth first. */
	ok(ob_container_list(&t->cx, "NCC", NULL, &l));
	assert_true(row_of(&l, "FRZ-1") >= 0);
	assert_int_equal(l.v[row_of(&l, "RACK-1")].depth, 1);
	assert_true(row_of(&l, "BOX-2") < row_of(&l, "SHELF-1"));
	ob_container_tree_free(&l);
	assert_int_equal(ob_container_list(&t->cx, NULL, "NOPE", &l), OB_ENOTFOUND);
}

/* True when the report holds the specimen barcode. */
static bool report_has(const ob_freezer_report *r, const char *barcode)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->v[i].barcode, barcode))
			return true;
	return false;
}

static void report_lists_everything_below_a_freezer(void **state)
{
	ob_testdb *t = *state;
	char a[OB_BARCODE_MAX], b[OB_BARCODE_MAX], c[OB_BARCODE_MAX], far[OB_BARCODE_MAX];
	ob_freezer_report r;
	json_t *j, *sp;

	storage(t);
	specimen(t, "BOX-3", "2", NULL, c);
	specimen(t, "BOX-1", "B1", NULL, b);
	specimen(t, "BOX-1", "A10", NULL, a);
	specimen(t, "BOX-9", "1-1", NULL, far);
	ok(ob_container_report(&t->cx, "FRZ-1", &r));
	assert_int_equal(r.ntypes, 1);
	assert_string_equal(r.by_type[0].type, "plasma");
	assert_int_equal(r.by_type[0].n, 3);
	if (report_has(&r, far))
		fail_msg("FRZ-1's report holds FRZ-2's %s", far);
	j = ob_view_freezer_report(&r);
	ob_freezer_report_free(&r);
	assert_non_null(j);
	assert_int_equal(json_integer_value(json_object_get(j, "count")), 3);
	assert_int_equal(json_integer_value(json_object_get(j, "donors")), 1);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "by_type"), "plasma")), 3);
	sp = json_object_get(j, "specimens");
	assert_int_equal(json_array_size(sp), 3);
	/* In location order: RACK-1 before SHELF-1, A10 before B1. */
	assert_string_equal(json_string_value(json_object_get(json_array_get(sp, 0), "barcode")), a);
	assert_string_equal(json_string_value(json_object_get(json_array_get(sp, 1), "barcode")), b);
	assert_string_equal(json_string_value(json_object_get(json_array_get(sp, 2), "barcode")), c);
	assert_string_equal(json_string_value(json_object_get(json_array_get(sp, 2), "path")),
			    "FRZ-1 > SHELF-1 > RACK-2 > BOX-3");
	assert_string_equal(json_string_value(json_object_get(json_array_get(sp, 2), "position")), "2");
	assert_string_equal(json_string_value(json_object_get(json_array_get(sp, 0), "donor")), "D1");
	assert_string_equal(json_string_value(json_object_get(json_array_get(sp, 0), "site")), "REG01");
	assert_string_equal(json_string_value(json_object_get(json_array_get(sp, 0), "type")), "plasma");
	assert_string_equal(json_string_value(json_object_get(json_array_get(sp, 0), "status")),
			    "available");
	json_decref(j);

	ok(ob_container_report(&t->cx, "RACK-2", &r));
	assert_string_equal(r.root->path, "FRZ-1 > SHELF-1 > RACK-2");
	assert_true(r.root->storage == -80.0);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.donors, 1);
	assert_true(report_has(&r, c));
	if (report_has(&r, a))
		fail_msg("RACK-2's report holds %s of RACK-1", a);
	ob_freezer_report_free(&r);
	assert_int_equal(ob_container_report(&t->cx, "NOPE", &r), OB_ENOTFOUND);
}

/* ---- the audit trail ------------------------------------------------------ */

static void tampered_position_is_caught_by_audit_verify(void **state)
{
	ob_testdb *t = *state;
	char a[OB_BARCODE_MAX];

	storage(t);
	specimen(t, NULL, NULL, NULL, a);
	ok(ob_specimen_move(&t->cx, a, "BOX-1", "A1"));
	verify_ok(t);
	ob_testdb_exec(t, "UPDATE specimen SET position = 'J10' WHERE position = 'A1'");
	assert_int_equal(verify(t), OB_ECONFLICT);
	assert_error_has("specimen");
	assert_error_has("altered behind the audit trail's back");
}

static void tampered_container_is_caught_by_audit_verify(void **state)
{
	ob_testdb *t = *state;

	storage(t);
	verify_ok(t);
	ob_testdb_exec(t, "UPDATE container SET temperature = -20 WHERE barcode = 'FRZ-1'");
	assert_int_equal(verify(t), OB_ECONFLICT);
	assert_error_has("container");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(position_a1_names_rows_as_letters),
		cmocka_unit_test(position_parse_normalises_case_and_zeros),
		cmocka_unit_test(position_parse_rejects_malformed),
		cmocka_unit_test(position_name_round_trips_every_scheme),
#define DB_TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		DB_TEST(check_position_normalises),
		DB_TEST(check_position_outside_box_is_invalid),
		DB_TEST(add_checks_kind_parent_site_and_size),
		DB_TEST(add_records_path_and_audit),
		DB_TEST(path_text_names_the_chain),
		DB_TEST(temperature_comes_from_nearest_ancestor),
		DB_TEST(move_stores_normalised_position_and_audits),
		DB_TEST(move_to_taken_position_conflicts),
		DB_TEST(move_refuses_specimen_that_left_the_bank),
		DB_TEST(move_out_of_storage_clears_the_place),
		DB_TEST(swap_exchanges_places_and_audits_both),
		DB_TEST(empty_into_keeps_free_positions_and_fills_the_rest),
		DB_TEST(empty_into_without_room_moves_nothing),
		DB_TEST(map_shows_every_position),
		DB_TEST(list_walks_a_subtree_or_a_site),
		DB_TEST(report_lists_everything_below_a_freezer),
		DB_TEST(tampered_position_is_caught_by_audit_verify),
		DB_TEST(tampered_container_is_caught_by_audit_verify),
#undef DB_TEST
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
