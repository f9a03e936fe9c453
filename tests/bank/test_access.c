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
#include "store/store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	assert_int_equal(ob_specimen_set_status(&cx, reg02_sp, "reserved", NULL), OB_EPERM);
	assert_int_equal(ob_specimen_thaw(&cx, reg02_sp), OB_EPERM);
	assert_int_equal(ob_specimen_move(&cx, reg02_sp, "B2", "B1"), OB_EPERM);
	/* nor into another region's freezer */
	assert_int_equal(ob_specimen_move(&cx, reg01_sp, "B2", "C3"), OB_EPERM);
	assert_int_equal(ob_specimen_move(&cx, reg01_sp, "B1", "C3"), 0);
}

static void test_technician_cannot_read_another_region(void **state)
{
	ob_testdb *t = *state;
	ob_ctx cx = as(t, OB_ROLE_TECHNICIAN, "REG01", "/NCC/REG01/");
	ob_specimen_filter f;
	ob_buf out = OB_BUF_INIT;
	int64_t n;

	assert_int_equal(ob_specimen_show_json(&cx, reg02_sp, &out), OB_EPERM);
	assert_int_equal(ob_specimen_show_json(&cx, reg01_sp, &out), 0);
	memset(&f, 0, sizeof f);
	assert_int_equal(ob_specimen_count(&cx, &f, &n), 0);
	assert_int_equal(n, 1); /* only REG01's */
	f.site = "REG02";
	assert_int_equal(ob_specimen_count(&cx, &f, &n), OB_EPERM);
	f.site = "NCC";  /* above their scope: refused, not widened */
	assert_int_equal(ob_specimen_count(&cx, &f, &n), OB_EPERM);
	ob_buf_clear(&out);
	assert_int_equal(ob_container_map(&cx, "B2", 1, &out), OB_EPERM);
	assert_int_equal(ob_container_report(&cx, "F2", 1, &out), OB_EPERM);
	ob_buf_clear(&out);
	assert_int_equal(ob_donor_list(&cx, NULL, 1, &out), 0);
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
	assert_int_equal(ob_specimen_show_json(&r, reg01_sp, &out), 0);
	assert_int_equal(ob_donor_diagnose(&r, "REG01", "D1", "C50.9", "8500/3", NULL), OB_EPERM);
	assert_int_equal(ob_donor_diagnose(&p, "REG01", "D1", "C50.9", "8500/3", NULL), 0);
	assert_int_equal(ob_donor_diagnose(&p, "REG02", "D2", "C50.9", "8500/3", NULL), OB_EPERM);
	assert_int_equal(ob_consent_withdraw(&p, "REG01", "D1", NULL, "asked"), OB_EPERM);
	ob_buf_dispose(&out);
}

static void test_auditor_reads_everything_changes_nothing(void **state)
{
	ob_testdb *t = *state;
	ob_ctx a = as(t, OB_ROLE_AUDITOR, "REG05", "/NCC/REG05/");
	ob_buf out = OB_BUF_INIT;

	assert_int_equal(ob_specimen_show_json(&a, reg02_sp, &out), 0);
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
		cmocka_unit_test(test_role_words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
