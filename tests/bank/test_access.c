/*
 * test_access.c - who may do what, where: roles and site scopes enforced in
 * the domain, whoever calls it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "support/testdb.h"
#include "bank/access.h"
#include "bank/audit.h"
#include "bank/barcode.h"
#include "bank/container.h"
#include "bank/csvimport.h"
#include "bank/donor.h"
#include "bank/site.h"
#include "bank/specimen.h"
#include "base/error.h"
#include "base/util.h"
#include "store/store.h"
#include "view/view.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The full record as the API and --json show it. */
static int show_json(const ob_ctx *cx, const char *barcode, ob_buf *out)
{
	ob_specimen_full f;
	int rc = ob_specimen_full_read(cx, barcode, &f);

	if (rc == 0) {
		rc = ob_view_specimen_full(&f, out);
		ob_specimen_full_free(&f);
	}
	return rc;
}

/* The storage reads as the API renders them (src/view). */
static int map_json(const ob_ctx *cx, const char *box, ob_buf *out)
{
	ob_box_map m;
	int rc = ob_container_map(cx, box, &m);

	if (rc == 0) {
		rc = ob_view_dump(ob_view_box_map(&m), out);
		ob_box_map_free(&m);
	}
	return rc;
}

static int report_json(const ob_ctx *cx, const char *container, ob_buf *out)
{
	ob_freezer_report r;
	int rc = ob_container_report(cx, container, &r);

	if (rc == 0) {
		rc = ob_view_dump(ob_view_freezer_report(&r), out);
		ob_freezer_report_free(&r);
	}
	return rc;
}

static int list_json(const ob_ctx *cx, const char *under, ob_buf *out)
{
	ob_container_tree t;
	int rc = ob_container_list(cx, NULL, under, &t);

	if (rc == 0) {
		rc = ob_view_dump(ob_view_container_tree(&t), out);
		ob_container_tree_free(&t);
	}
	return rc;
}

static char reg01_sp[OB_BARCODE_MAX], reg02_sp[OB_BARCODE_MAX];

static void box(ob_testdb *t, const char *site, const char *freezer, const char *b)
{
	ob_container_new c;

	ob_container_new_init(&c);
	c.barcode = freezer;
	c.kind = "freezer";
	c.site = site;
	c.temperature = -80;
	assert_int_equal(ob_container_add(&t->cx, &c, NULL), 0);
	ob_container_new_init(&c);
	c.barcode = b;
	c.kind = "box";
	c.parent = freezer;
	c.rows = c.cols = 9;
	assert_int_equal(ob_container_add(&t->cx, &c, NULL), 0);
}

static int setup(void **state)
{
	static ob_testdb t;
	ob_specimen_new s;

	ob_testdb_open(&t);
	ob_testdb_network(&t);
	box(&t, "REG01", "F1", "B1");
	box(&t, "REG02", "F2", "B2");
	ob_specimen_new_init(&s);
	s.site = "REG01";
	s.donor = "D1";
	s.type = "serum";
	s.container = "B1";
	s.position = "A1";
	assert_int_equal(ob_specimen_create(&t.cx, &s, NULL, reg01_sp), 0);
	ob_specimen_new_init(&s);
	s.site = "REG02";
	s.donor = "D2";
	s.type = "serum";
	s.container = "B2";
	s.position = "A1";
	assert_int_equal(ob_specimen_create(&t.cx, &s, NULL, reg02_sp), 0);
	*state = &t;
	return 0;
}

static int teardown(void **state)
{
	ob_testdb_close(*state);
	return 0;
}

/* The test's context acting as a user of site (path) with role. */
static ob_ctx as(ob_testdb *t, unsigned role, const char *site, const char *path)
{
	ob_ctx cx = t->cx;

	cx.actor = "someone";
	cx.role = role;
	cx.actor_site = site;
	cx.scope = path;
	return cx;
}

static void serum_at(const ob_ctx *cx, const char *site, const char *donor, int want)
{
	ob_specimen_new s;

	ob_specimen_new_init(&s);
	s.site = site;
	s.donor = donor;
	s.type = "serum";
	assert_int_equal(ob_specimen_create(cx, &s, NULL, NULL), want);
}

static void test_technician_works_only_in_own_region(void **state)
{
	ob_testdb *t = *state;
	ob_ctx cx = as(t, OB_ROLE_TECHNICIAN, "REG01", "/NCC/REG01/");

	serum_at(&cx, "REG01", "D1", 0);
	serum_at(&cx, "REG02", "D2", OB_EPERM);
	assert_non_null(strstr(ob_error_last(), "acts on REG01"));
	assert_int_equal(ob_specimen_set_status(&cx, reg01_sp, "reserved", NULL), 0);
	/* another region's specimens and boxes are as if they did not exist */
	assert_int_equal(ob_specimen_set_status(&cx, reg02_sp, "reserved", NULL), OB_ENOTFOUND);
	assert_int_equal(ob_specimen_thaw(&cx, reg02_sp), OB_ENOTFOUND);
	assert_int_equal(ob_specimen_move(&cx, reg02_sp, "B2", "B1"), OB_ENOTFOUND);
	/* nor into another region's freezer */
	assert_int_equal(ob_specimen_move(&cx, reg01_sp, "B2", "C3"), OB_ENOTFOUND);
	assert_int_equal(ob_specimen_move(&cx, reg01_sp, "B1", "C3"), 0);
}

static void test_technician_cannot_read_another_region(void **state)
{
	ob_testdb *t = *state;
	ob_ctx cx = as(t, OB_ROLE_TECHNICIAN, "REG01", "/NCC/REG01/");
	ob_specimen_filter f;
	ob_buf out = OB_BUF_INIT;
	int64_t n;

	assert_int_equal(show_json(&cx, reg02_sp, &out), OB_ENOTFOUND);
	assert_int_equal(show_json(&cx, reg01_sp, &out), 0);
	memset(&f, 0, sizeof f);
	assert_int_equal(ob_specimen_count(&cx, &f, &n), 0);
	assert_int_equal(n, 1); /* only REG01's */
	f.site = "REG02";
	assert_int_equal(ob_specimen_count(&cx, &f, &n), OB_EPERM);
	f.site = "NCC";  /* above their scope: refused, not widened */
	assert_int_equal(ob_specimen_count(&cx, &f, &n), OB_EPERM);
	ob_buf_clear(&out);
	assert_int_equal(map_json(&cx, "B2", &out), OB_ENOTFOUND);
	assert_int_equal(report_json(&cx, "F2", &out), OB_ENOTFOUND);
	ob_buf_clear(&out);
	json_t *donors = json_array();
	assert_int_equal(ob_donor_list(&cx, NULL, ob_view_donor_append, donors), 0);
	assert_int_equal(ob_view_dump(donors, &out), 0);
	assert_null(strstr(ob_buf_cstr(&out), "\"D2\""));
	assert_non_null(strstr(ob_buf_cstr(&out), "\"D1\""));
	ob_buf_dispose(&out);
}

static void test_center_user_sees_the_whole_network(void **state)
{
	ob_testdb *t = *state;
	ob_ctx cx = as(t, OB_ROLE_MANAGER, "NCC", "/NCC/");
	ob_specimen_filter f;
	int64_t n;

	memset(&f, 0, sizeof f);
	assert_int_equal(ob_specimen_count(&cx, &f, &n), 0);
	assert_int_equal(n, 2);
	serum_at(&cx, "REG02", "D2", 0);
}

static void test_researcher_and_pathologist_roles(void **state)
{
	ob_testdb *t = *state;
	ob_ctx r = as(t, OB_ROLE_RESEARCHER, "REG01", "/NCC/REG01/");
	ob_ctx p = as(t, OB_ROLE_PATHOLOGIST, "REG01", "/NCC/REG01/");
	ob_buf out = OB_BUF_INIT;

	serum_at(&r, "REG01", "D1", OB_EPERM);
	assert_non_null(strstr(ob_error_last(), "a researcher cannot change specimens"));
	assert_int_equal(show_json(&r, reg01_sp, &out), 0);
	assert_int_equal(ob_donor_diagnose(&r, "REG01", "D1", "C50.9", "8500/3", NULL), OB_EPERM);
	assert_int_equal(ob_donor_diagnose(&p, "REG01", "D1", "C50.9", "8500/3", NULL), 0);
	assert_int_equal(ob_donor_diagnose(&p, "REG02", "D2", "C50.9", "8500/3", NULL), OB_EPERM);
	assert_int_equal(ob_consent_withdraw(&p, "REG01", "D1", NULL, "asked", "keep"), OB_EPERM);
	ob_buf_dispose(&out);
}

static void test_auditor_reads_everything_changes_nothing(void **state)
{
	ob_testdb *t = *state;
	ob_ctx a = as(t, OB_ROLE_AUDITOR, "REG05", "/NCC/REG05/");
	ob_buf out = OB_BUF_INIT;

	assert_int_equal(show_json(&a, reg02_sp, &out), 0);
	ob_buf_clear(&out);
	assert_int_equal(ob_audit_verify(&a, &out), 0);
	assert_int_equal(ob_specimen_set_status(&a, reg01_sp, "missing", NULL), OB_EPERM);
	assert_int_equal(ob_donor_add(&a, "REG01", "D77", "female", 1970, NULL), OB_EPERM);
	ob_buf_dispose(&out);
	/* and a technician may not verify the audit trail */
	ob_ctx tech = as(t, OB_ROLE_TECHNICIAN, "REG01", "/NCC/REG01/");
	ob_buf o2 = OB_BUF_INIT;
	assert_int_equal(ob_audit_verify(&tech, &o2), OB_EPERM);
	ob_buf_dispose(&o2);
}

static void test_only_administrators_change_the_network(void **state)
{
	ob_testdb *t = *state;
	ob_ctx m = as(t, OB_ROLE_MANAGER, "NCC", "/NCC/");
	ob_ctx ra = as(t, OB_ROLE_ADMIN, "REG01", "/NCC/REG01/");
	ob_ctx ca = as(t, OB_ROLE_ADMIN, "NCC", "/NCC/");

	assert_int_equal(ob_site_add(&m, "H9", "x", "hospital", "REG01", NULL), OB_EPERM);
	assert_int_equal(ob_site_add(&ra, "H9", "x", "hospital", "REG02", NULL), OB_EPERM);
	assert_int_equal(ob_site_add(&ra, "H9", "x", "hospital", "REG01", NULL), 0);
	assert_int_equal(ob_site_add(&ca, "H10", "x", "hospital", "REG02", NULL), 0);
}

static void test_whole_table_export_needs_network_scope(void **state)
{
	ob_testdb *t = *state;
	ob_ctx tech = as(t, OB_ROLE_TECHNICIAN, "REG01", "/NCC/REG01/");
	char *text = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&text, &n);

	assert_int_equal(ob_export(&tech, OB_IMPORT_DONORS, NULL, OB_EXPORT_CSV, f, NULL), OB_EPERM);
	assert_int_equal(ob_export(&tech, OB_IMPORT_SPECIMENS, NULL, OB_EXPORT_CSV, f, NULL), 0);
	fclose(f);
	assert_non_null(strstr(text, reg01_sp));
	assert_null(strstr(text, reg02_sp));
	free(text);
}

static void test_refusal_is_an_audit_event(void **state)
{
	ob_testdb *t = *state;
	ob_ctx r = as(t, OB_ROLE_RESEARCHER, "REG01", "/NCC/REG01/");
	ob_buf out = OB_BUF_INIT;

	serum_at(&r, "REG01", "D1", OB_EPERM);
	assert_int_equal(ob_access_record_denial(&r, ob_error_last()), 0);
	/* the refusal's message survives the recording */
	assert_non_null(strstr(ob_error_last(), "a researcher cannot change specimens"));
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM audit_event WHERE action = 'denied'"
		" AND actor = 'someone' AND after LIKE '%researcher cannot%'"), 1);
	assert_int_equal(ob_audit_verify(&t->cx, &out), 0);
	ob_buf_dispose(&out);
}


/* ---- every record a request names is resolved within the scope ---------- */

/* (The store caches statements by their text's address: the SQL is
 * static, the value bound.) */
static double quantity_of(ob_testdb *t, const char *barcode)
{
	static const char *const sql = "SELECT COALESCE(CAST(quantity * 1000 AS INTEGER), -1)"
		" FROM specimen WHERE barcode = $1";
	int64_t n = 0;

	assert_int_equal(ob_store_get_int(t->st, sql, barcode, &n), 0);
	return (double)n / 1000;
}

static long long in_box(ob_testdb *t, const char *box)
{
	static const char *const sql = "SELECT COUNT(*) FROM specimen s JOIN container c"
		" ON c.id = s.container_id WHERE c.barcode = $1";
	int64_t n = 0;

	assert_int_equal(ob_store_get_int(t->st, sql, box, &n), 0);
	return (long long)n;
}

/* The refusal of a record outside the scope, compared with the answer for
 * a record that does not exist: same code, same message once the name is
 * taken out. */
static void same_as_absent(int rc_other, const char *msg_other, const char *other,
                           int rc_absent, const char *msg_absent, const char *absent)
{
	char a[512], b[512];
	const char *p;
	size_t n;

	assert_int_equal(rc_other, rc_absent);
	p = strstr(msg_other, other);
	assert_non_null(p);
	n = (size_t)(p - msg_other);
	snprintf(a, sizeof a, "%.*s<X>%s", (int)n, msg_other, p + strlen(other));
	p = strstr(msg_absent, absent);
	assert_non_null(p);
	n = (size_t)(p - msg_absent);
	snprintf(b, sizeof b, "%.*s<X>%s", (int)n, msg_absent, p + strlen(absent));
	assert_string_equal(a, b);
}

static void test_aliquot_of_another_regions_parent_is_refused(void **state)
{
	ob_testdb *t = *state;
	ob_ctx cx = as(t, OB_ROLE_TECHNICIAN, "REG01", "/NCC/REG01/");
	char m1[512];
	int rc1, rc2;
	ob_specimen_new s;
	long long events;
	double before;

	ob_testdb_exec(t, "UPDATE specimen SET quantity = 2, unit = 'ml' WHERE site_id ="
		" (SELECT id FROM site WHERE code = 'REG02')");
	events = ob_testdb_count(t, "SELECT COUNT(*) FROM audit_event WHERE action <> 'denied'");
	before = quantity_of(t, reg02_sp);
	assert_true(before == 2);
	ob_specimen_new_init(&s);
	s.site = "REG01";
	s.parent = reg02_sp;
	s.lineage = "aliquot";
	s.type = "serum";
	s.quantity = 0.5;
	s.unit = "ml";
	s.container = "B2";
	s.position = "B2";
	rc1 = ob_specimen_create(&cx, &s, NULL, NULL);
	ob_strlcpy(m1, ob_error_last(), sizeof m1);
	assert_true(rc1 < 0);
	s.parent = "OB9999999999";
	rc2 = ob_specimen_create(&cx, &s, NULL, NULL);
	same_as_absent(rc1, m1, reg02_sp, rc2, ob_error_last(), "OB9999999999");
	assert_true(quantity_of(t, reg02_sp) == before);
	assert_int_equal(in_box(t, "B2"), 1);
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM audit_event"
		" WHERE action <> 'denied'"), events);
}

static void test_specimen_into_another_regions_box_is_refused(void **state)
{
	ob_testdb *t = *state;
	ob_ctx cx = as(t, OB_ROLE_TECHNICIAN, "REG01", "/NCC/REG01/");
	char m1[512];
	int rc1, rc2;
	ob_specimen_new s;

	/* a new primary specimen, and an aliquot of a REG01 specimen */
	for (int aliquot = 0; aliquot < 2; aliquot++) {
		ob_specimen_new_init(&s);
		s.site = "REG01";
		s.donor = aliquot ? NULL : "D1";
		s.parent = aliquot ? reg01_sp : NULL;
		s.type = "serum";
		s.container = "B2";
		s.position = "A1";  /* taken by REG02's specimen */
		rc1 = ob_specimen_create(&cx, &s, NULL, NULL);
		ob_strlcpy(m1, ob_error_last(), sizeof m1);
		assert_true(rc1 < 0);
		assert_null(strstr(m1, reg02_sp));
		s.container = "NO-SUCH-BOX";
		rc2 = ob_specimen_create(&cx, &s, NULL, NULL);
		same_as_absent(rc1, m1, "B2", rc2, ob_error_last(), "NO-SUCH-BOX");
	}
	assert_int_equal(in_box(t, "B2"), 1);
	/* moving there, or emptying a box into it, is the same */
	rc1 = ob_specimen_move(&cx, reg01_sp, "B2", "C3");
	ob_strlcpy(m1, ob_error_last(), sizeof m1);
	rc2 = ob_specimen_move(&cx, reg01_sp, "NO-SUCH-BOX", "C3");
	same_as_absent(rc1, m1, "B2", rc2, ob_error_last(), "NO-SUCH-BOX");
	rc1 = ob_container_empty_into(&cx, "B1", "B2", NULL);
	ob_strlcpy(m1, ob_error_last(), sizeof m1);
	rc2 = ob_container_empty_into(&cx, "B1", "NO-SUCH-BOX", NULL);
	same_as_absent(rc1, m1, "B2", rc2, ob_error_last(), "NO-SUCH-BOX");
	assert_int_equal(in_box(t, "B2"), 1);
	assert_int_equal(in_box(t, "B1"), 1);
}

static void test_donor_site_of_another_region_is_refused_without_oracle(void **state)
{
	ob_testdb *t = *state;
	ob_ctx cx = as(t, OB_ROLE_TECHNICIAN, "REG01", "/NCC/REG01/");
	char m1[512];
	ob_specimen_new s;

	ob_specimen_new_init(&s);
	s.site = "REG01";
	s.donor = "D2";        /* exists at REG02 */
	s.donor_site = "REG02";
	s.type = "serum";
	assert_int_equal(ob_specimen_create(&cx, &s, NULL, NULL), OB_EPERM);
	ob_strlcpy(m1, ob_error_last(), sizeof m1);
	assert_non_null(strstr(m1, "donor_site"));
	s.donor = "D404";      /* does not */
	assert_int_equal(ob_specimen_create(&cx, &s, NULL, NULL), OB_EPERM);
	assert_string_equal(m1, ob_error_last());
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM specimen s JOIN donor d"
		" ON d.id = s.donor_id WHERE d.code = 'D2'"), 1);
}

static void test_containers_under_another_regions_freezer_are_hidden(void **state)
{
	ob_testdb *t = *state;
	ob_ctx cx = as(t, OB_ROLE_RESEARCHER, "REG01", "/NCC/REG01/");
	ob_buf out = OB_BUF_INIT;
	char m1[512];
	int rc1, rc2;

	rc1 = list_json(&cx, "F2", &out);
	ob_strlcpy(m1, ob_error_last(), sizeof m1);
	assert_null(strstr(ob_buf_cstr(&out), "B2"));
	rc2 = list_json(&cx, "F404", &out);
	same_as_absent(rc1, m1, "F2", rc2, ob_error_last(), "F404");
	assert_int_equal(rc1, OB_ENOTFOUND);
	/* a box map, a report, a label, a record: as if they did not exist */
	assert_int_equal(map_json(&cx, "B2", &out), OB_ENOTFOUND);
	assert_int_equal(report_json(&cx, "F2", &out), OB_ENOTFOUND);
	assert_int_equal(show_json(&cx, reg02_sp, &out), OB_ENOTFOUND);
	ob_buf_dispose(&out);
}

static void test_taken_position_names_only_visible_specimens(void **state)
{
	ob_testdb *t = *state;
	ob_ctx center = as(t, OB_ROLE_MANAGER, "NCC", "/NCC/");
	ob_ctx cx = as(t, OB_ROLE_TECHNICIAN, "REG01", "/NCC/REG01/");
	char b[OB_BARCODE_MAX];
	ob_specimen_new s;

	/* the center parks a REG02 specimen in REG01's box */
	ob_specimen_new_init(&s);
	s.site = "REG02";
	s.donor = "D2";
	s.type = "serum";
	s.container = "B1";
	s.position = "D4";
	assert_int_equal(ob_specimen_create(&center, &s, NULL, b), 0);
	assert_int_equal(ob_specimen_move(&cx, reg01_sp, "B1", "D4"), OB_ECONFLICT);
	assert_non_null(strstr(ob_error_last(), "D4"));
	assert_null(strstr(ob_error_last(), b));
	/* the same as the center sees it, with the barcode */
	assert_int_equal(ob_specimen_move(&center, reg01_sp, "B1", "D4"), OB_ECONFLICT);
	assert_non_null(strstr(ob_error_last(), b));
	/* the box's map and the freezer's report show the place taken, not by
	 * which specimen; emptying the box would move it: refused */
	ob_buf out = OB_BUF_INIT;
	assert_int_equal(map_json(&cx, "B1", &out), 0);
	assert_null(strstr(ob_buf_cstr(&out), b));
	assert_non_null(strstr(ob_buf_cstr(&out), "(another site)"));
	assert_non_null(strstr(ob_buf_cstr(&out), reg01_sp));
	ob_buf_clear(&out);
	assert_int_equal(report_json(&cx, "F1", &out), 0);
	assert_null(strstr(ob_buf_cstr(&out), b));
	assert_non_null(strstr(ob_buf_cstr(&out), reg01_sp));
	ob_buf_dispose(&out);
	ob_container_new c;
	ob_container_new_init(&c);
	c.barcode = "B1X";
	c.kind = "box";
	c.parent = "F1";
	c.rows = c.cols = 9;
	assert_int_equal(ob_container_add(&cx, &c, NULL), 0);
	assert_int_equal(ob_container_empty_into(&cx, "B1", "B1X", NULL), OB_ECONFLICT);
	assert_int_equal(in_box(t, "B1"), 2);
}

static void test_lineage_leaves_out_another_sites_relatives(void **state)
{
	ob_testdb *t = *state;
	ob_ctx center = as(t, OB_ROLE_MANAGER, "NCC", "/NCC/");
	ob_ctx cx = as(t, OB_ROLE_TECHNICIAN, "REG01", "/NCC/REG01/");
	char child[OB_BARCODE_MAX];
	ob_buf out = OB_BUF_INIT;
	ob_specimen_new s;

	/* the center sends an aliquot of REG01's specimen to REG02 */
	ob_specimen_new_init(&s);
	s.parent = reg01_sp;
	s.site = "REG02";
	s.type = "serum";
	assert_int_equal(ob_specimen_create(&center, &s, NULL, child), 0);
	assert_int_equal(show_json(&cx, reg01_sp, &out), 0);
	assert_null(strstr(ob_buf_cstr(&out), child));
	ob_buf_clear(&out);
	assert_int_equal(show_json(&center, reg01_sp, &out), 0);
	assert_non_null(strstr(ob_buf_cstr(&out), child));
	/* and sends REG01's specimen to a REG02 box: REG01 reads that it is
	 * stored at another site, not in which box */
	assert_int_equal(ob_specimen_move(&center, reg01_sp, "B2", "E5"), 0);
	ob_buf_clear(&out);
	assert_int_equal(show_json(&cx, reg01_sp, &out), 0);
	/* (the record's own audit history, after it, is shown whole) */
	char *audit = strstr(out.s, ",\"audit\":");
	assert_non_null(audit);
	*audit = '\0';
	assert_null(strstr(out.s, "B2"));
	assert_non_null(strstr(out.s, "\"location\":{\"path\":\"(another site)\""));
	ob_buf_dispose(&out);
	/* nor may a swap put REG01's other specimen into that box */
	ob_specimen_new_init(&s);
	s.site = "REG01";
	s.donor = "D1";
	s.type = "serum";
	s.container = "B1";
	s.position = "A2";
	assert_int_equal(ob_specimen_create(&cx, &s, NULL, child), 0);
	assert_int_equal(ob_specimen_swap(&cx, child, reg01_sp), OB_ECONFLICT);
	assert_int_equal(in_box(t, "B2"), 2);
	assert_int_equal(in_box(t, "B1"), 1);
}

static void test_import_rows_outside_the_scope_are_denied(void **state)
{
	ob_testdb *t = *state;
	ob_ctx cx = as(t, OB_ROLE_TECHNICIAN, "REG01", "/NCC/REG01/");
	static const char csv[] = "site,donor,sex,birth_year\nREG01,D31,male,1950\n"
		"REG02,D32,female,1951\n";
	ob_import_opts o = { "d.csv", 0, OB_DATE_DMY, OB_CONSENT_PHASE_ALL };
	ob_import_report rep;
	FILE *f = fmemopen((void *)csv, strlen(csv), "r");
	long long donors = ob_testdb_count(t, "SELECT COUNT(*) FROM donor");

	cx.method = "cli";
	cx.path = "import donors";
	cx.client = "local";
	ob_import_report_init(&rep);
	assert_int_equal(ob_import_csv(&cx, OB_IMPORT_DONORS, f, &o, &rep), OB_EPERM);
	fclose(f);
	assert_non_null(strstr(ob_error_last(), "d.csv:3: site: permission denied"));
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM donor"), donors);
	ob_import_report_dispose(&rep);
	assert_int_equal(ob_access_record_refusal(&cx, OB_EPERM), 0);
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM audit_event WHERE action ="
		" 'denied' AND after LIKE '%d.csv:3: site: permission denied%'"), 1);
}

static void test_denial_records_the_request(void **state)
{
	ob_testdb *t = *state;
	ob_ctx cx = as(t, OB_ROLE_TECHNICIAN, "REG01", "/NCC/REG01/");
	ob_buf out = OB_BUF_INIT;
	int rc;

	cx.method = "POST";
	cx.path = "/api/specimens";
	cx.client = "192.0.2.9";
	serum_at(&cx, "REG02", "D2", OB_EPERM);
	assert_int_equal(ob_access_record_refusal(&cx, OB_EPERM), 0);
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM audit_event WHERE action ="
		" 'denied' AND after LIKE '%\"method\":\"POST\"%' AND after LIKE"
		" '%\"path\":\"/api/specimens\"%' AND after LIKE '%\"client\":\"192.0.2.9\"%'"
		" AND after LIKE '%\"target\":\"site REG02\"%'"), 1);
	/* a record hidden by the scope is answered "not found", and the probe
	 * is an audit event too */
	cx.method = "GET";
	cx.path = "/api/containers/F2/report";
	rc = report_json(&cx, "F2", &out);
	assert_int_equal(rc, OB_ENOTFOUND);
	assert_int_equal(ob_access_record_refusal(&cx, rc), 0);
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM audit_event WHERE action ="
		" 'denied' AND after LIKE '%\"target\":\"container F2\"%'"
		" AND after LIKE '%\"answered\":\"not found\"%'"), 1);
	/* a record that does not exist leaves nothing to record */
	rc = report_json(&cx, "F404", &out);
	assert_int_equal(ob_access_record_refusal(&cx, rc), 0);
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM audit_event WHERE action ="
		" 'denied'"), 2);
	ob_buf_clear(&out);
	assert_int_equal(ob_audit_verify(&t->cx, &out), 0);
	ob_buf_dispose(&out);
}

static void test_role_words(void **state)
{
	(void)state;
	assert_int_equal(ob_role_parse("biobank manager"), OB_ROLE_MANAGER);
	assert_int_equal(ob_role_parse("Administrator"), OB_ROLE_ADMIN);
	assert_int_equal(ob_role_parse("janitor"), 0);
	assert_string_equal(ob_role_name(OB_ROLE_AUDITOR), "auditor");
	assert_true(ob_access_roles(OB_ACT_SPECIMEN) & OB_ROLE_TECHNICIAN);
	assert_false(ob_access_roles(OB_ACT_SPECIMEN) & OB_ROLE_AUDITOR);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_technician_works_only_in_own_region),
		T(test_technician_cannot_read_another_region),
		T(test_center_user_sees_the_whole_network),
		T(test_researcher_and_pathologist_roles),
		T(test_auditor_reads_everything_changes_nothing),
		T(test_only_administrators_change_the_network),
		T(test_whole_table_export_needs_network_scope),
		T(test_refusal_is_an_audit_event),
		T(test_aliquot_of_another_regions_parent_is_refused),
		T(test_specimen_into_another_regions_box_is_refused),
		T(test_donor_site_of_another_region_is_refused_without_oracle),
		T(test_containers_under_another_regions_freezer_are_hidden),
		T(test_taken_position_names_only_visible_specimens),
		T(test_lineage_leaves_out_another_sites_relatives),
		T(test_import_rows_outside_the_scope_are_denied),
		T(test_denial_records_the_request),
		cmocka_unit_test(test_role_words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
