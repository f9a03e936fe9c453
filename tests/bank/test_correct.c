/*
 * test_correct.c - the field table (record.h) and corrections of specimens
 * with a reason, through the domain API on a temporary database.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "support/testdb.h"
#include "bank/audit.h"
#include "bank/barcode.h"
#include "bank/record.h"
#include "bank/specimen.h"
#include "base/error.h"
#include "store/store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int setup(void **state)
{
	static ob_testdb t;

	ob_testdb_open(&t);
	ob_testdb_network(&t);
	*state = &t;
	return 0;
}

static int teardown(void **state)
{
	ob_testdb_close(*state);
	return 0;
}

static void add(ob_testdb *t, const char *barcode, const char *type, double q, const char *unit,
                const char *parent)
{
	ob_specimen_new s;

	ob_specimen_new_init(&s);
	s.barcode = barcode;
	s.type = type;
	s.quantity = q;
	s.unit = unit;
	if (parent) {
		s.parent = parent;
	} else {
		s.site = "REG01";
		s.donor = "D1";
		s.collected_at = "2024-03-01T08:00:00Z";
	}
	if (ob_specimen_create(&t->cx, &s, NULL, NULL) < 0)
		fail_msg("create %s: %s", barcode, ob_error_last());
}

/* The stored record's field as text, read by the audit query and the
 * field table's row reader. */
static void field_text(ob_testdb *t, const char *barcode, const char *name, char *out, size_t n)
{
	ob_stmt *s;

	out[0] = '\0';
	assert_int_equal(ob_store_prepare(t->st, ob_specimen_audit.all_sql, &s), 0);
	while (ob_stmt_step(s) == OB_ROW) {
		ob_specimen r;
		r.id = ob_stmt_int(s, 0);
		ob_record_read(ob_specimen_fields, s, 1, &r);
		if (!strcmp(r.barcode, barcode)) {
			ob_field_format(ob_field_find(ob_specimen_fields, name), &r, out, n);
			break;
		}
	}
	ob_stmt_reset(s);
}

/* Fixed, valid barcodes: OB + serial n + check character. */
static const char *bc(int n)
{
	static char codes[100][OB_BARCODE_MAX];

	if (!codes[n][0] && ob_barcode_make("OB", 900000 + n, codes[n]) < 0)
		fail_msg("barcode %d: %s", n, ob_error_last());
	return codes[n];
}

static long long events(ob_testdb *t)
{
	return ob_testdb_count(t, "SELECT COUNT(*) FROM audit_event");
}

static int correct1(ob_testdb *t, const char *barcode, const char *field, const char *value,
                    const char *reason)
{
	ob_change ch = { field, value };

	return ob_specimen_correct(&t->cx, barcode, &ch, 1, reason);
}

/* ---- the field table ---- */

static void test_field_table_is_whole_and_unique(void **state)
{
	size_t n = 0;

	(void)state;
	for (const ob_field *f = ob_specimen_fields; f->name; f++, n++) {
		for (const ob_field *g = f + 1; g->name; g++)
			if (!strcmp(f->name, g->name))
				fail_msg("field %s twice", f->name);
		/* what a person entered is in the record and its audit row */
		if ((f->flags & OB_F_FIX) && !(f->flags & OB_F_AUDIT))
			fail_msg("%s is correctable but not audited", f->name);
	}
	assert_int_equal(n, OB_SPECIMEN_NFIELDS);
	assert_non_null(ob_field_find(ob_specimen_fields, "tumour_pct"));
	assert_null(ob_field_find(ob_specimen_fields, "no_such_field"));
	/* the audit query selects the table's columns under their names */
	for (const ob_field *f = ob_specimen_fields; f->name; f++) {
		char as[80];
		snprintf(as, sizeof as, " AS %s", f->name);
		assert_non_null(strstr(ob_specimen_audit.one_sql, as));
	}
}

static void test_field_parse_format_same(void **state)
{
	ob_specimen a, b;
	const ob_field *q = ob_field_find(ob_specimen_fields, "quantity");
	const ob_field *ft = ob_field_find(ob_specimen_fields, "freeze_thaw");
	const ob_field *lab = ob_field_find(ob_specimen_fields, "label");
	char out[64];

	(void)state;
	ob_record_init(ob_specimen_fields, &a);
	ob_record_init(ob_specimen_fields, &b);
	assert_true(ob_field_unknown(q, &a));
	assert_true(ob_field_same(q, &a, &b));
	assert_int_equal(ob_field_parse(q, &a, "1.25"), 0);
	assert_false(ob_field_same(q, &a, &b));
	ob_field_format(q, &a, out, sizeof out);
	assert_string_equal(out, "1.25");
	assert_int_equal(ob_field_parse(q, &a, "1.25ml"), OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), "quantity: '1.25ml' is not a number"));
	assert_int_equal(ob_field_parse(q, &a, "inf"), OB_EINVALID);
	assert_int_equal(ob_field_parse(ft, &a, "2.5"), OB_EINVALID);
	assert_int_equal(ob_field_parse(ft, &a, "3"), 0);
	assert_int_equal(a.freeze_thaw, 3);
	assert_int_equal(ob_field_parse(lab, &a, ""), 0);
	assert_null(a.label);
	assert_int_equal(ob_field_parse(lab, &a, "T-1"), 0);
	assert_int_equal(ob_record_own(ob_specimen_fields, &a), 0);
	assert_string_equal(a.label, "T-1");
	ob_record_release(ob_specimen_fields, &a);
	assert_null(a.label);
}

/* ---- corrections ---- */

static void test_correction_changes_fields_and_keeps_history(void **state)
{
	ob_testdb *t = *state;
	ob_change ch[] = { { "quantity", "1.5" }, { "label", "P-1" } };
	char v[64];
	long long before;

	add(t, bc(1), "plasma", 2, "ml", NULL);
	before = events(t);
	assert_int_equal(ob_specimen_correct(&t->cx, bc(1), ch, 2, "recounted"), 0);
	assert_int_equal(events(t), before + 1);
	field_text(t, bc(1), "quantity", v, sizeof v);
	assert_string_equal(v, "1.5");
	field_text(t, bc(1), "label", v, sizeof v);
	assert_string_equal(v, "P-1");
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM audit_event WHERE action = 'correct'"
		" AND reason = 'recounted' AND before LIKE '%\"quantity\":\"2%'"
		" AND after LIKE '%\"quantity\":\"1.5\"%'"), 1);
	ob_buf b = OB_BUF_INIT;
	assert_int_equal(ob_audit_verify(&t->cx, &b), 0);
	ob_buf_dispose(&b);
}

struct seen {
	int n;
	char fields[8][32];
	char reason[64];
};

static int seen_cb(const ob_audit_change *c, void *arg)
{
	struct seen *s = arg;

	if (strcmp(c->event->action, "correct"))
		return 0;
	if (s->n < 8)
		snprintf(s->fields[s->n], sizeof s->fields[0], "%s", c->field);
	snprintf(s->reason, sizeof s->reason, "%s", c->event->reason ? c->event->reason : "");
	s->n++;
	return 0;
}

static void test_history_lists_only_changed_fields(void **state)
{
	ob_testdb *t = *state;
	ob_change ch[] = { { "rin", "7.5" } };
	struct seen s = { 0 };
	int64_t id;

	add(t, bc(2), "rna", 5, "ug", NULL);
	assert_int_equal(ob_specimen_correct(&t->cx, bc(2), ch, 1, "bioanalyzer rerun"), 0);
	/* naming a field with the value it has is refused, the others too */
	ob_change same[] = { { "rin", "8" }, { "label", "" } };
	assert_int_equal(ob_specimen_correct(&t->cx, bc(2), same, 2, "again"), OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), "label: is empty already"));
	assert_int_equal(ob_specimen_id(&t->cx, bc(2), &id), 0);
	assert_int_equal(ob_audit_changes(&t->cx, "specimen", id, NULL, seen_cb, &s), 0);
	/* one event, one field: rin; nothing of the refused one */
	assert_int_equal(s.n, 1);
	assert_string_equal(s.fields[0], "rin");
	assert_string_equal(s.reason, "bioanalyzer rerun");
	memset(&s, 0, sizeof s);
	assert_int_equal(ob_audit_changes(&t->cx, "specimen", id, "label", seen_cb, &s), 0);
	assert_int_equal(s.n, 0);
}

static void test_refusals_name_the_field_and_change_nothing(void **state)
{
	ob_testdb *t = *state;
	const struct {
		const char *barcode, *field, *value, *reason;
		int rc;
		const char *msg;
	} bad[] = {
		{ bc(3), "quantity", "1", NULL, OB_EINVALID, "reason:" },
		{ bc(3), "quantity", "1", "  ", OB_EINVALID, "reason:" },
		{ bc(3), "colour", "red", "r", OB_EINVALID, "colour: a specimen has no such field" },
		{ bc(3), "status", "destroyed", "r", OB_EINVALID, "status: is not correctable; change it" },
		{ bc(3), "container", "BOX", "r", OB_EINVALID, "container: is not correctable; move" },
		{ bc(3), "quantity", "lots", "r", OB_EINVALID, "quantity: 'lots' is not a number" },
		{ bc(3), "quantity", "0", "r", OB_EINVALID, "quantity:" },
		{ bc(3), "quantity", "50000", "r", OB_EINVALID, "quantity:" },
		{ bc(3), "unit", "mg", "r", OB_ECONFLICT, "unit:" },
		{ bc(3), "type", "serum", "r", OB_ECONFLICT, "type: aliquot" },
		{ bc(3), "initial_quantity", "0.5", "r", OB_ECONFLICT, "initial_quantity:" },
		{ bc(3), "tumour_pct", "40", "r", OB_EINVALID, "tumour_pct:" },
		{ bc(3), "pathology", "cancerous", "r", OB_EINVALID, "pathology:" },
		{ bc(3), "collected_at", "2099-01-01", "r", OB_EINVALID, "collected_at:" },
		{ bc(3), "collected_at", "1901-01-01", "r", OB_EINVALID, "collected_at:" },
		{ bc(3), "collected_at", "yesterday", "r", OB_EINVALID, "collected_at:" },
		{ bc(3), "rin", "11", "r", OB_EINVALID, "rin:" },
		{ bc(3), "precentrifugation_temp", "warm", "r", OB_EINVALID, "precentrifugation_temp:" },
		{ bc(3), "quantity", "1", "r", OB_EINVALID, "quantity: is '1' already" },
		{ bc(4), "type", "serum", "r", OB_ECONFLICT, "type:" },
		{ bc(4), "fixation", "NBF", "r", OB_EINVALID, "fixation: the pre-analytical record" },
		{ bc(4), "unit", "mg", "r", OB_EINVALID, "unit: mg does not measure plasma" },
		{ bc(99), "label", "x", "r", OB_ENOTFOUND, "" },
	};
	long long n;

	add(t, bc(3), "plasma", 2, "ml", NULL);
	add(t, bc(4), "plasma", 1, "ml", bc(3));  /* 1 ml left in OB-P */
	n = events(t);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int rc = correct1(t, bad[i].barcode, bad[i].field, bad[i].value, bad[i].reason);
		if (rc != bad[i].rc || !strstr(ob_error_last(), bad[i].msg))
			fail_msg("%s %s=%s: %d '%s', expected %d '%s'", bad[i].barcode, bad[i].field,
				bad[i].value, rc, ob_error_last(), bad[i].rc, bad[i].msg);
	}
	/* the same field twice */
	ob_change twice[] = { { "label", "a" }, { "label", "b" } };
	assert_int_equal(ob_specimen_correct(&t->cx, bc(3), twice, 2, "r"), OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), "label: given more than once"));
	assert_int_equal(ob_specimen_correct(&t->cx, bc(3), twice, 0, "r"), OB_EINVALID);
	assert_int_equal(events(t), n);
	char v[64];
	field_text(t, bc(3), "quantity", v, sizeof v);
	assert_string_equal(v, "1");
}

static void test_initial_quantity_carries_what_was_taken(void **state)
{
	ob_testdb *t = *state;
	char v[64];

	add(t, bc(5), "plasma", 5, "ml", NULL);
	add(t, bc(6), "plasma", 2, "ml", bc(5));
	assert_int_equal(correct1(t, bc(5), "initial_quantity", "6", "the tube held 6 ml"), 0);
	field_text(t, bc(5), "quantity", v, sizeof v);
	assert_string_equal(v, "4");
	/* both together: as given */
	ob_change both[] = { { "initial_quantity", "7" }, { "quantity", "3" } };
	assert_int_equal(ob_specimen_correct(&t->cx, bc(5), both, 2, "weighed again"), 0);
	field_text(t, bc(5), "quantity", v, sizeof v);
	assert_string_equal(v, "3");
	assert_int_equal(correct1(t, bc(5), "quantity", "8", "x"), OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), "quantity: 8 is more than the initial quantity"));
}

static void test_sprec_follows_its_inputs_down_the_lineage(void **state)
{
	ob_testdb *t = *state;
	ob_specimen_new s;
	char v[64], a[64];

	ob_specimen_new_init(&s);
	s.barcode = bc(7);
	s.site = "REG01";
	s.donor = "D1";
	s.type = "serum";
	s.quantity = 2;
	s.unit = "ml";
	s.collection = "SST";
	s.precentrifugation_min = 90;
	s.precentrifugation_temp = "RT";
	s.centrifugation = "20/10/2000/brake";
	s.second_centrifugation = "none";
	s.postcentrifugation_min = 30;
	s.postcentrifugation_temp = "2-10";
	assert_int_equal(ob_specimen_create(&t->cx, &s, NULL, NULL), 0);
	add(t, bc(8), "serum", 0.5, "ml", bc(7));
	add(t, bc(9), "serum", 0.1, "ml", bc(8));
	field_text(t, bc(7), "sprec", v, sizeof v);
	assert_string_equal(v, "SER-SST-A-B-N-A-X");
	assert_int_equal(correct1(t, bc(7), "precentrifugation_temp", "2-10", "fridge"), 0);
	field_text(t, bc(7), "sprec", v, sizeof v);
	assert_string_equal(v, "SER-SST-B-B-N-A-X");
	field_text(t, bc(9), "sprec", a, sizeof a);
	assert_string_equal(a, v);
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM audit_event WHERE action = 'correct'"
		" AND entity_key = '%s' AND reason = 'SPREC of %s corrected: fridge'", bc(9), bc(7));
	assert_int_equal(ob_testdb_count(t, sql), 1);
	/* a code that disagrees with the record is refused */
	assert_int_equal(correct1(t, bc(7), "sprec", "SER-SST-A-B-N-A-X", "x"), OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), "sprec:"));
	ob_buf b = OB_BUF_INIT;
	assert_int_equal(ob_audit_verify(&t->cx, &b), 0);
	ob_buf_dispose(&b);
}

static void test_scope_and_roles(void **state)
{
	ob_testdb *t = *state;
	ob_ctx other = t->cx, path = t->cx, res = t->cx;

	add(t, bc(10), "fresh_frozen", 100, "mg", NULL);
	other.actor = "tech2";
	other.role = OB_ROLE_TECHNICIAN;
	other.actor_site = "REG02";
	other.scope = "/NCC/REG02/";
	ob_change ch = { "label", "x" };
	assert_int_equal(ob_specimen_correct(&other, bc(10), &ch, 1, "r"), OB_ENOTFOUND);
	path.actor = "path1";
	path.role = OB_ROLE_PATHOLOGIST;
	path.actor_site = "REG01";
	path.scope = "/NCC/REG01/";
	ob_change pt[] = { { "pathology", "tumour" }, { "tumour_pct", "30" } };
	assert_int_equal(ob_specimen_correct(&path, bc(10), pt, 2, "read"), 0);
	assert_int_equal(ob_specimen_correct(&path, bc(10), &ch, 1, "r"), OB_EPERM);
	res.actor = "res1";
	res.role = OB_ROLE_RESEARCHER;
	res.actor_site = "REG01";
	res.scope = "/NCC/REG01/";
	assert_int_equal(ob_specimen_correct(&res, bc(10), pt + 1, 1, "r"), OB_EPERM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_field_table_is_whole_and_unique),
		cmocka_unit_test(test_field_parse_format_same),
		cmocka_unit_test_setup_teardown(test_correction_changes_fields_and_keeps_history, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_history_lists_only_changed_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusals_name_the_field_and_change_nothing, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_initial_quantity_carries_what_was_taken, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_sprec_follows_its_inputs_down_the_lineage, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_scope_and_roles, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
