/*
 * test_identifier.c - unit tests of src/bank/identifier.h: values round
 * trip through their site's key; a wrong key and a ciphertext moved to
 * another donor do not open; who may see them (the permission, the scope);
 * the database, the audit trail and the export never hold a value; the MRN
 * search is exact; bad values are refused naming the field. Each test runs
 * on a fresh temporary SQLite database with its own key directory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support/testdb.h"
#include "bank/audit.h"
#include "bank/csvimport.h"
#include "bank/donor.h"
#include "bank/identifier.h"
#include "bank/user.h"
#include "base/buf.h"
#include "base/error.h"
#include "store/store.h"

static const char pw[] = "correct horse battery";

typedef struct fx {
	ob_testdb db;
	char dir[64];
} fx;

static void ok(int rc)
{
	if (rc < 0)
		fail_msg("unexpected error %d: %s", rc, ob_error_last());
}

static void fails(int want, int rc, const char *text)
{
	if (rc != want)
		fail_msg("expected %d, got %d: %s", want, rc, ob_error_last());
	if (text && !strstr(ob_error_last(), text))
		fail_msg("'%s' lacks '%s'", ob_error_last(), text);
}

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);

	if (!f)
		return -1;
	ob_testdb_open(&f->db);
	ob_testdb_network(&f->db);
	snprintf(f->dir, sizeof f->dir, "/tmp/ob-keys-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	f->db.cx.key_dir = f->dir;
	ok(ob_identifier_keygen(&f->db.cx, "REG01", NULL, 0));
	ok(ob_identifier_keygen(&f->db.cx, "REG02", NULL, 0));
	*state = f;
	return 0;
}

static void rm_key(const fx *f, const char *site)
{
	char p[128];

	snprintf(p, sizeof p, "%s/%s.key", f->dir, site);
	unlink(p);
}

static int teardown(void **state)
{
	fx *f = *state;

	rm_key(f, "REG01");
	rm_key(f, "REG02");
	rm_key(f, "HOS01");
	rmdir(f->dir);
	ob_testdb_close(&f->db);
	free(f);
	return 0;
}

/* The identifiers the actor sees, as "kind=value@site;" text. */
static int collect(const ob_identifier *id, void *arg)
{
	ob_buf_printf(arg, "%s=%s@%s;", id->kind, id->value, id->site);
	return 0;
}

static int seen(const ob_ctx *cx, const char *site, const char *donor, ob_buf *out)
{
	ob_buf_clear(out);
	return ob_identifier_list(cx, site, donor, collect, out);
}

static int donor_cb(const char *site, const char *donor, void *arg)
{
	ob_buf_printf(arg, "%s/%s;", site, donor);
	return 0;
}

/* An account of role at site acting as itself. */
static void as_user(fx *f, const char *name, const char *site, const char *role, ob_user *u,
                    ob_ctx *cx)
{
	ok(ob_user_add(&f->db.cx, name, site, role, pw));
	ok(ob_user_get(&f->db.cx, name, u));
	*cx = f->db.cx;
	ob_ctx_as(cx, u);
}

static void set_all(fx *f)
{
	ok(ob_identifier_set(&f->db.cx, "REG01", "D1", "name", NULL, "  Jane Kane "));
	ok(ob_identifier_set(&f->db.cx, "REG01", "D1", "birth_date", NULL, "1970-08-01"));
	ok(ob_identifier_set(&f->db.cx, "REG01", "D1", "national_id", NULL, "11010519491231002x"));
	ok(ob_identifier_set(&f->db.cx, "REG01", "D1", "mrn", "REG01", " mrn-4711 "));
}

static void test_values_round_trip_normalised(void **state)
{
	fx *f = *state;
	ob_buf b = OB_BUF_INIT;

	set_all(f);
	ok(seen(&f->db.cx, "REG01", "D1", &b));
	assert_string_equal(ob_buf_cstr(&b), "name=Jane Kane@REG01;birth_date=1970-08-01@REG01;"
		"national_id=11010519491231002X@REG01;mrn=MRN-4711@REG01;");
	/* set again: replaced, one row per kind */
	ok(ob_identifier_set(&f->db.cx, "REG01", "D1", "name", NULL, "Jane K. Kane"));
	ok(seen(&f->db.cx, "REG01", "D1", &b));
	assert_non_null(strstr(ob_buf_cstr(&b), "name=Jane K. Kane@REG01;"));
	assert_int_equal(ob_testdb_count(&f->db, "SELECT COUNT(*) FROM donor_identifier"), 4);
	ok(ob_identifier_clear(&f->db.cx, "REG01", "D1", "name", NULL));
	ok(seen(&f->db.cx, "REG01", "D1", &b));
	assert_null(strstr(ob_buf_cstr(&b), "name="));
	fails(OB_ENOTFOUND, ob_identifier_clear(&f->db.cx, "REG01", "D1", "name", NULL), "name:");
	ob_buf_dispose(&b);
}

static void test_a_wrong_key_does_not_open(void **state)
{
	fx *f = *state;
	ob_buf b = OB_BUF_INIT;

	set_all(f);
	rm_key(f, "REG01");
	fails(OB_ECONFLICT, seen(&f->db.cx, "REG01", "D1", &b), "site 'REG01' has no key");
	ok(ob_identifier_keygen(&f->db.cx, "REG01", NULL, 0));
	fails(OB_ECONFLICT, seen(&f->db.cx, "REG01", "D1", &b), "does not open");
	/* keygen never overwrites */
	fails(OB_EEXISTS, ob_identifier_keygen(&f->db.cx, "REG01", NULL, 0), "never overwritten");
	ob_buf_dispose(&b);
}

static void test_a_key_others_may_read_is_refused(void **state)
{
	fx *f = *state;
	char p[128];

	snprintf(p, sizeof p, "%s/REG01.key", f->dir);
	assert_int_equal(chmod(p, 0644), 0);
	fails(OB_ECONFLICT, ob_identifier_set(&f->db.cx, "REG01", "D1", "name", NULL, "Jane"),
		"chmod 600");
	f->db.cx.key_dir = NULL;
	fails(OB_ECONFLICT, ob_identifier_set(&f->db.cx, "REG01", "D1", "name", NULL, "Jane"),
		"REG01");
	f->db.cx.key_dir = f->dir;
	assert_int_equal(ob_testdb_count(&f->db, "SELECT COUNT(*) FROM donor_identifier"), 0);
}

static void test_a_ciphertext_moved_to_another_donor_fails(void **state)
{
	fx *f = *state;
	ob_buf b = OB_BUF_INIT;

	ok(ob_donor_add(&f->db.cx, "REG01", "D3", "male", 0, NULL));
	ok(ob_identifier_set(&f->db.cx, "REG01", "D1", "name", NULL, "Jane Kane"));
	ok(ob_identifier_set(&f->db.cx, "REG01", "D3", "name", NULL, "John Roe"));
	ob_testdb_exec(&f->db, "UPDATE donor_identifier SET (nonce, ciphertext) = (SELECT nonce,"
		" ciphertext FROM donor_identifier i JOIN donor d ON d.id = i.donor_id"
		" WHERE d.code = 'D1') WHERE donor_id = (SELECT id FROM donor WHERE code = 'D3')");
	fails(OB_ECONFLICT, seen(&f->db.cx, "REG01", "D3", &b), "does not open");
	assert_null(strstr(ob_error_last(), "Jane"));
	ob_buf_dispose(&b);
}

static void test_only_granted_users_of_the_site_see_them(void **state)
{
	fx *f = *state;
	ob_user m1, m2, a1;
	ob_ctx c1, c2, ca;
	ob_buf b = OB_BUF_INIT;

	set_all(f);
	as_user(f, "mgr1", "REG01", "biobank_manager", &m1, &c1);
	as_user(f, "mgr2", "REG02", "biobank_manager", &m2, &c2);
	as_user(f, "aud", NULL, "auditor", &a1, &ca);
	/* not granted: refused, and not granted to set either */
	fails(OB_EPERM, seen(&c1, "REG01", "D1", &b), "identifiers: permission denied");
	assert_false(ob_identifier_granted(&c1));
	fails(OB_EPERM, ob_identifier_set(&c1, "REG01", "D1", "name", NULL, "X"), "identifiers:");
	ok(ob_user_grant_identifiers(&f->db.cx, "mgr1", true));
	ok(ob_user_grant_identifiers(&f->db.cx, "mgr2", true));
	ok(ob_user_grant_identifiers(&f->db.cx, "aud", true));
	assert_true(ob_identifier_granted(&c1));
	ok(seen(&c1, "REG01", "D1", &b));
	assert_non_null(strstr(ob_buf_cstr(&b), "Jane Kane"));
	/* another site's granted user: the site is not theirs */
	fails(OB_EPERM, seen(&c2, "REG01", "D1", &b), "site:");
	/* an auditor reads the network, but identifiers only in their own scope:
	 * a network-wide account's scope is the network */
	ok(seen(&ca, "REG01", "D1", &b));
	/* revoked: refused again; a disabled account is not granted */
	ok(ob_user_grant_identifiers(&f->db.cx, "mgr1", false));
	fails(OB_EPERM, seen(&c1, "REG01", "D1", &b), "identifiers:");
	ok(ob_user_grant_identifiers(&f->db.cx, "mgr1", true));
	ok(ob_user_disable(&f->db.cx, "mgr1"));
	assert_false(ob_identifier_granted(&c1));
	/* the grant is audited on the account */
	assert_int_equal(ob_testdb_count(&f->db, "SELECT COUNT(*) FROM audit_event WHERE entity ="
		" 'user' AND action = 'grant_identifiers'"), 4);
	ob_buf_dispose(&b);
}

static void test_an_mrn_belongs_to_its_hospital(void **state)
{
	fx *f = *state;
	ob_buf b = OB_BUF_INIT;
	ob_user m2;
	ob_ctx c2;

	fails(OB_EINVALID, ob_identifier_set(&f->db.cx, "REG01", "D1", "mrn", NULL, "77"), "mrn:");
	fails(OB_ECONFLICT, ob_identifier_set(&f->db.cx, "REG01", "D1", "mrn", "HOS01", "77"),
		"HOS01");
	ok(ob_identifier_keygen(&f->db.cx, "HOS01", NULL, 0));
	ok(ob_identifier_set(&f->db.cx, "REG01", "D1", "mrn", "HOS01", "h-77"));
	ok(ob_identifier_set(&f->db.cx, "REG01", "D1", "mrn", "REG01", "r-77"));
	ok(ob_identifier_set(&f->db.cx, "REG02", "D2", "mrn", "REG02", "H-77"));
	/* exact: the same normalised value at the same hospital only */
	ok(ob_identifier_find_mrn(&f->db.cx, "HOS01", " H-77", donor_cb, &b));
	assert_string_equal(ob_buf_cstr(&b), "REG01/D1;");
	ob_buf_clear(&b);
	ok(ob_identifier_find_mrn(&f->db.cx, "HOS01", "H-7", donor_cb, &b));
	ok(ob_identifier_find_mrn(&f->db.cx, "HOS01", "H-777", donor_cb, &b));
	ok(ob_identifier_find_mrn(&f->db.cx, "REG01", "h-77", donor_cb, &b));
	assert_string_equal(ob_buf_cstr(&b), "");
	ok(ob_identifier_find_mrn(&f->db.cx, "REG02", "h-77", donor_cb, &b));
	assert_string_equal(ob_buf_cstr(&b), "REG02/D2;");
	/* a REG02 user may not give a REG01 donor an MRN, nor name REG01's hospital */
	ok(ob_user_add(&f->db.cx, "mgr2", "REG02", "biobank_manager", pw));
	ok(ob_user_grant_identifiers(&f->db.cx, "mgr2", true));
	ok(ob_user_get(&f->db.cx, "mgr2", &m2));
	c2 = f->db.cx;
	ob_ctx_as(&c2, &m2);
	fails(OB_EPERM, ob_identifier_set(&c2, "REG02", "D2", "mrn", "HOS01", "1"), "mrn:");
	fails(OB_EPERM, ob_identifier_find_mrn(&c2, "HOS01", "H-77", donor_cb, &b), NULL);
	ob_buf_dispose(&b);
}

static void test_bad_values_are_refused_naming_the_field(void **state)
{
	fx *f = *state;
	char big[1200];

	fails(OB_EINVALID, ob_identifier_set(&f->db.cx, "REG01", "D1", "birth_date", NULL,
		"2023-02-30"), "birth_date:");
	fails(OB_EINVALID, ob_identifier_set(&f->db.cx, "REG01", "D1", "birth_date", NULL,
		"2199-01-01"), "birth_date: in the future");
	fails(OB_EINVALID, ob_identifier_set(&f->db.cx, "REG01", "D1", "national_id", NULL,
		"110105194912310021"), "national_id: the check character");
	fails(OB_EINVALID, ob_identifier_set(&f->db.cx, "REG01", "D1", "national_id", NULL,
		"ID\xC3\xA9"), "national_id:");
	fails(OB_EINVALID, ob_identifier_set(&f->db.cx, "REG01", "D1", "name", NULL, "   "),
		"name: empty");
	fails(OB_EINVALID, ob_identifier_set(&f->db.cx, "REG01", "D1", "name", NULL, "Jane\x01"),
		"name:");
	fails(OB_EINVALID, ob_identifier_set(&f->db.cx, "REG01", "D1", "name", NULL,
		"Jane \xC3"), "name:");
	memset(big, 'a', 201);
	big[201] = '\0';
	fails(OB_EINVALID, ob_identifier_set(&f->db.cx, "REG01", "D1", "name", NULL, big),
		"name: at most 200 characters");
	/* 200 characters of three bytes each are a name */
	for (int i = 0; i < 200; i++)
		memcpy(big + 3 * i, "\xE7\x8E\x8B", 3);
	big[600] = '\0';
	ok(ob_identifier_set(&f->db.cx, "REG01", "D1", "name", NULL, big));
	fails(OB_EINVALID, ob_identifier_set(&f->db.cx, "REG01", "D1", "nickname", NULL, "J"),
		"kind:");
	/* never the value in a message */
	fails(OB_EINVALID, ob_identifier_set(&f->db.cx, "REG01", "D1", "national_id", NULL,
		"999999999999999999"), NULL);
	assert_null(strstr(ob_error_last(), "999999"));
	assert_int_equal(ob_testdb_count(&f->db, "SELECT COUNT(*) FROM donor_identifier"), 1);
}

static bool file_has(const char *path, const char *text)
{
	FILE *fp = fopen(path, "rb");
	static char buf[1 << 20];
	size_t n;
	bool found = false;

	if (!fp)
		return false;
	while (!found && (n = fread(buf, 1, sizeof buf, fp)) > 0)
		found = memmem(buf, n, text, strlen(text)) != NULL;
	fclose(fp);
	return found;
}

static void test_no_value_in_the_database_audit_or_export(void **state)
{
	fx *f = *state;
	static const char *const values[] = { "Jane Kane", "1970-08-01", "11010519491231002X",
		"MRN-4711" };
	char path[128];
	ob_buf out = OB_BUF_INIT;
	FILE *fp;

	set_all(f);
	ok(ob_audit_verify(&f->db.cx, &out));
	if (!f->db.admin)  /* SQLite: the file itself is searched below */
		ob_testdb_exec(&f->db, "PRAGMA wal_checkpoint(TRUNCATE)");
	snprintf(path, sizeof path, "%s/export.csv", f->dir);
	for (int k = OB_IMPORT_SITES; k <= OB_IMPORT_DIAGNOSES; k++) {
		assert_non_null(fp = fopen(path, "w"));
		ok(ob_export(&f->db.cx, (ob_import_kind)k, NULL, OB_EXPORT_CSV, fp, NULL));
		fclose(fp);
		for (size_t i = 0; i < 4; i++)
			if (file_has(path, values[i]))
				fail_msg("the export of kind %d holds '%s'", k, values[i]);
	}
	unlink(path);
	for (size_t i = 0; i < 4; i++) {
		char sql[200];
		if (!f->db.admin && file_has(f->db.path, values[i]))
			fail_msg("the database file holds '%s'", values[i]);
		snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM audit_event WHERE after LIKE '%%%s%%'"
			" OR before LIKE '%%%s%%'", values[i], values[i]);
		assert_int_equal(ob_testdb_count(&f->db, sql), 0);
	}
	/* the audit event has the kind, the site, the donor and the digest */
	assert_int_equal(ob_testdb_count(&f->db, "SELECT COUNT(*) FROM audit_event WHERE entity ="
		" 'identifier' AND after LIKE '%\"kind\":\"name\"%' AND after LIKE '%\"digest\":%'"
		" AND after LIKE '%\"donor\":\"D1\"%'"), 1);
	ob_buf_dispose(&out);
}

static void test_audit_verify_sees_an_altered_identifier(void **state)
{
	fx *f = *state;
	ob_buf out = OB_BUF_INIT;

	set_all(f);
	ok(ob_identifier_clear(&f->db.cx, "REG01", "D1", "mrn", "REG01"));
	ok(ob_audit_verify(&f->db.cx, &out));
	ob_testdb_exec(&f->db, "UPDATE donor_identifier SET digest = '00' WHERE kind = 'name'");
	fails(OB_ECONFLICT, ob_audit_verify(&f->db.cx, &out), "identifier");
	ob_buf_dispose(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_values_round_trip_normalised, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_wrong_key_does_not_open, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_key_others_may_read_is_refused, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_a_ciphertext_moved_to_another_donor_fails, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_only_granted_users_of_the_site_see_them, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_an_mrn_belongs_to_its_hospital, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_values_are_refused_naming_the_field, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_no_value_in_the_database_audit_or_export, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_audit_verify_sees_an_altered_identifier, setup,
			teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
