/*
 * test_correct_dc.c - corrections of donors, diagnoses, containers and
 * sites (donor.h, container.h, site.h; record.h ob_record_change): each
 * rule and each refusal, that a refusal changes nothing, that the audit
 * trail keeps the reason with before and after and still verifies, that a
 * move carries the paths below it (and so the scope), and that a retired
 * site takes nothing new. Each test runs on a fresh temporary SQLite
 * database (tests/support/testdb.h).
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

#include "support/testdb.h"
#include "bank/audit.h"
#include "bank/barcode.h"
#include "bank/container.h"
#include "bank/donor.h"
#include "bank/site.h"
#include "bank/specimen.h"
#include "base/buf.h"
#include "base/error.h"
#include "store/store.h"

static void ok(int rc)
{
	if (rc < 0)
		fail_msg("unexpected error %d: %s", rc, ob_error_last());
}

/* rc is code and the message starts with prefix. */
static void refused(int rc, int code, const char *prefix)
{
	if (rc != code)
		fail_msg("expected %d, got %d: %s", code, rc, ob_error_last());
	if (strncmp(ob_error_last(), prefix, strlen(prefix)))
		fail_msg("error '%s' does not start with '%s'", ob_error_last(), prefix);
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

static long long events(ob_testdb *t)
{
	return ob_testdb_count(t, "SELECT COUNT(*) FROM audit_event");
}

static void verified(ob_testdb *t)
{
	ob_buf out = OB_BUF_INIT;

	ok(ob_audit_verify(&t->cx, &out));
	ob_buf_dispose(&out);
}

static void container(ob_testdb *t, const char *barcode, const char *kind, const char *parent,
                      const char *site)
{
	ob_container_new c;

	ob_container_new_init(&c);
	c.barcode = barcode;
	c.kind = kind;
	c.parent = parent;
	c.site = site;
	if (!strcmp(kind, "box"))
		c.rows = c.cols = 3;
	ok(ob_container_add(&t->cx, &c, NULL));
}

static int specimen(ob_testdb *t, const ob_ctx *cx, const char *site, const char *donor,
                    const char *box, const char *pos, char *out)
{
	ob_specimen_new s;

	ob_specimen_new_init(&s);
	s.site = site;
	s.donor = donor;
	s.type = "plasma";
	s.quantity = 1;
	s.unit = "ml";
	s.collected_at = "2024-03-01T10:00:00Z";
	s.container = box;
	s.position = pos;
	return ob_specimen_create(cx ? cx : &t->cx, &s, NULL, out);
}

/* A user of role at the site whose path is scope. */
static ob_ctx as(ob_testdb *t, unsigned role, const char *scope)
{
	ob_ctx cx = t->cx;

	cx.actor = "tester";
	cx.role = role;
	cx.scope = scope;
	return cx;
}

/* The last change of field in the entity's history. */
struct last {
	char before[64], after[64], reason[64], action[16];
	int n;
};

static int last_cb(const ob_audit_change *c, void *arg)
{
	struct last *l = arg;

	snprintf(l->before, sizeof l->before, "%s", c->before ? c->before : "(none)");
	snprintf(l->after, sizeof l->after, "%s", c->after ? c->after : "(none)");
	snprintf(l->reason, sizeof l->reason, "%s", c->event->reason ? c->event->reason : "");
	snprintf(l->action, sizeof l->action, "%s", c->event->action);
	l->n++;
	return 0;
}

static struct last last_change(ob_testdb *t, const char *entity, const char *key_sql,
                               const char *field)
{
	struct last l = { "", "", "", "", 0 };

	ok(ob_audit_changes(&t->cx, entity, ob_testdb_count(t, key_sql), field, last_cb, &l));
	return l;
}

#define CH(f, v) { (f), (v) }

/* ---- donors ------------------------------------------------------------- */

static void test_donor_correction_keeps_before_after_and_reason(void **state)
{
	ob_testdb *t = *state;
	const ob_change ch[] = { CH("sex", "M"), CH("birth_year", "1971") };
	struct last l;

	ok(ob_donor_correct(&t->cx, "REG01", "D1", ch, 2, "transcription error"));
	assert_int_equal(ob_testdb_count(t, "SELECT birth_year FROM donor WHERE code = 'D1'"), 1971);
	l = last_change(t, "donor", "SELECT id FROM donor WHERE code = 'D1'", "sex");
	assert_string_equal(l.before, "female");
	assert_string_equal(l.after, "male");  /* normalised as when added */
	assert_string_equal(l.reason, "transcription error");
	assert_string_equal(l.action, "correct");
	l = last_change(t, "donor", "SELECT id FROM donor WHERE code = 'D1'", "birth_year");
	assert_string_equal(l.before, "1970");
	assert_string_equal(l.after, "1971");
	verified(t);
	/* cleared: unknown again */
	const ob_change clear[] = { CH("birth_year", "") };
	ok(ob_donor_correct(&t->cx, "REG01", "D1", clear, 1, "not known after all"));
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM donor WHERE code = 'D1'"
		" AND birth_year IS NULL"), 1);
	verified(t);
}

static void test_donor_refusals_name_the_field_and_change_nothing(void **state)
{
	ob_testdb *t = *state;
	const ob_change sex[] = { CH("sex", "male") };
	const ob_change same[] = { CH("sex", "F") };
	const ob_change code[] = { CH("code", "D9") };
	const ob_change unknown[] = { CH("colour", "blue") };
	const ob_change twice[] = { CH("sex", "male"), CH("sex", "other") };
	const ob_change bad[] = { CH("sex", "sometimes") };
	const ob_change year[] = { CH("birth_year", "nineteen") };
	const ob_change future[] = { CH("birth_year", "2190") };
	long long before = events(t);

	refused(ob_donor_correct(&t->cx, "REG01", "D1", sex, 1, NULL), OB_EINVALID, "reason: ");
	refused(ob_donor_correct(&t->cx, "REG01", "D1", sex, 1, ""), OB_EINVALID, "reason: ");
	refused(ob_donor_correct(&t->cx, "REG01", "D1", sex, 0, "r"), OB_EINVALID, "field: ");
	refused(ob_donor_correct(&t->cx, "REG01", "D1", same, 1, "r"), OB_EINVALID, "sex: ");
	refused(ob_donor_correct(&t->cx, "REG01", "D1", code, 1, "r"), OB_EINVALID,
		"code: is not correctable");
	refused(ob_donor_correct(&t->cx, "REG01", "D1", unknown, 1, "r"), OB_EINVALID,
		"colour: a donor has no such field");
	refused(ob_donor_correct(&t->cx, "REG01", "D1", twice, 2, "r"), OB_EINVALID, "sex: ");
	refused(ob_donor_correct(&t->cx, "REG01", "D1", bad, 1, "r"), OB_EINVALID, "sex: ");
	refused(ob_donor_correct(&t->cx, "REG01", "D1", year, 1, "r"), OB_EINVALID, "birth_year: ");
	refused(ob_donor_correct(&t->cx, "REG01", "D1", future, 1, "r"), OB_EINVALID,
		"birth_year: ");
	refused(ob_donor_correct(&t->cx, "REG01", "NOPE", sex, 1, "r"), OB_ENOTFOUND, "donor: ");
	assert_int_equal(events(t), before);
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM donor WHERE code = 'D1'"
		" AND sex = 'female' AND birth_year = 1970"), 1);
}

static void test_birth_year_not_after_the_donors_records(void **state)
{
	ob_testdb *t = *state;
	char bc[OB_BARCODE_MAX];
	const ob_change late[] = { CH("birth_year", "2024") };
	const ob_change fine[] = { CH("birth_year", "1950") };

	ok(specimen(t, NULL, "REG01", "D1", NULL, NULL, bc));
	/* D1's consent was signed in 2024 and the specimen collected then too:
	 * 2024 itself is fine, 2025 is not */
	ok(ob_donor_correct(&t->cx, "REG01", "D1", late, 1, "r"));
	const ob_change later[] = { CH("birth_year", "2025") };
	refused(ob_donor_correct(&t->cx, "REG01", "D1", later, 1, "r"), OB_EINVALID,
		"birth_year: 2025 is after");
	ok(ob_donor_correct(&t->cx, "REG01", "D1", fine, 1, "r"));
	verified(t);
}

static void test_donor_scope_and_roles(void **state)
{
	ob_testdb *t = *state;
	const ob_change ch[] = { CH("sex", "other") };
	ob_ctx tech2 = as(t, OB_ROLE_TECHNICIAN, "/NCC/REG02/");
	ob_ctx res1 = as(t, OB_ROLE_RESEARCHER, "/NCC/REG01/");
	ob_ctx tech1 = as(t, OB_ROLE_TECHNICIAN, "/NCC/REG01/");

	refused(ob_donor_correct(&tech2, "REG01", "D1", ch, 1, "r"), OB_EPERM, "site: ");
	refused(ob_donor_correct(&res1, "REG01", "D1", ch, 1, "r"), OB_EPERM, "permission denied");
	ok(ob_donor_correct(&tech1, "REG01", "D1", ch, 1, "r"));
}

/* ---- diagnoses ---------------------------------------------------------- */

static void test_diagnosis_correction(void **state)
{
	ob_testdb *t = *state;
	const ob_change ch[] = { CH("topography", "C501"), CH("diagnosed_on", "2024-02-01") };
	const ob_change bad[] = { CH("morphology", "8500/7") };
	const ob_change early[] = { CH("diagnosed_on", "1960-01-01") };
	const ob_change gone[] = { CH("topography", "") };
	ob_ctx tech1 = as(t, OB_ROLE_TECHNICIAN, "/NCC/REG01/");
	ob_ctx path1 = as(t, OB_ROLE_PATHOLOGIST, "/NCC/REG01/");
	int64_t id;
	struct last l;
	long long before;

	ok(ob_donor_diagnose(&t->cx, "REG01", "D1", "C50.9", "8500/3", "2024-01-15"));
	id = ob_testdb_count(t, "SELECT MAX(id) FROM diagnosis");
	ok(ob_diagnosis_correct(&path1, "REG01", "D1", id, ch, 2, "pathology review"));
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM diagnosis WHERE topography ="
		" 'C50.1' AND diagnosed_on LIKE '2024-02-01%'"), 1);
	l = last_change(t, "diagnosis", "SELECT MAX(id) FROM diagnosis", "topography");
	assert_string_equal(l.before, "C50.9");
	assert_string_equal(l.after, "C50.1");
	assert_string_equal(l.reason, "pathology review");
	before = events(t);
	refused(ob_diagnosis_correct(&path1, "REG01", "D1", id, bad, 1, "r"), OB_EINVALID,
		"morphology: ");
	refused(ob_diagnosis_correct(&path1, "REG01", "D1", id, early, 1, "r"), OB_EINVALID,
		"diagnosed_on: ");
	refused(ob_diagnosis_correct(&path1, "REG01", "D1", id, gone, 1, "r"), OB_EINVALID,
		"topography: ");
	refused(ob_diagnosis_correct(&path1, "REG01", "D1", id + 1, bad, 1, "r"), OB_ENOTFOUND,
		"diagnosis: ");
	refused(ob_diagnosis_correct(&path1, "REG02", "D2", id, bad, 1, "r"), OB_EPERM, "site: ");
	refused(ob_diagnosis_correct(&tech1, "REG01", "D1", id, ch, 1, "r"), OB_EPERM,
		"permission denied");
	assert_int_equal(events(t), before);
	verified(t);
}

/* ---- containers --------------------------------------------------------- */

static void storage(ob_testdb *t)
{
	container(t, "FRZ1", "freezer", NULL, "REG01");
	container(t, "FRZ2", "freezer", NULL, "REG01");
	container(t, "RACK1", "rack", "FRZ1", NULL);
	container(t, "RACK2", "rack", "RACK1", NULL);
	container(t, "BOX1", "box", "RACK2", NULL);
	container(t, "BOX2", "box", "FRZ2", NULL);
	container(t, "FRZ9", "freezer", NULL, "REG02");
}

static void test_container_name_and_temperature(void **state)
{
	ob_testdb *t = *state;
	const ob_change ch[] = { CH("name", "Upright freezer 1"), CH("temperature", "-70.5") };
	const ob_change hot[] = { CH("temperature", "150") };
	const ob_change noname[] = { CH("name", "") };
	const ob_change kind[] = { CH("kind", "ln2_tank") };
	const ob_change clear[] = { CH("temperature", "") };
	struct last l;

	storage(t);
	ok(ob_container_correct(&t->cx, "FRZ1", ch, 2, "new label"));
	l = last_change(t, "container", "SELECT id FROM container WHERE barcode = 'FRZ1'", "name");
	assert_string_equal(l.before, "FRZ1");
	assert_string_equal(l.after, "Upright freezer 1");
	refused(ob_container_correct(&t->cx, "FRZ1", hot, 1, "r"), OB_EINVALID, "temperature: ");
	refused(ob_container_correct(&t->cx, "FRZ1", noname, 1, "r"), OB_EINVALID, "name: ");
	refused(ob_container_correct(&t->cx, "FRZ1", kind, 1, "r"), OB_EINVALID,
		"kind: is not correctable");
	refused(ob_container_correct(&t->cx, "NOPE", ch, 1, "r"), OB_ENOTFOUND, "container: ");
	ok(ob_container_correct(&t->cx, "FRZ1", clear, 1, "no setting"));
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM container WHERE barcode = 'FRZ1'"
		" AND temperature IS NULL"), 1);
	verified(t);
}

static void test_moving_a_rack_carries_its_contents(void **state)
{
	ob_testdb *t = *state;
	const ob_change ch[] = { CH("parent", "FRZ2") };
	char bc[OB_BARCODE_MAX], sql[300];
	struct last l;

	storage(t);
	ok(specimen(t, NULL, "REG01", "D1", "BOX1", "B2", bc));
	ok(ob_container_correct(&t->cx, "RACK1", ch, 1, "freezer FRZ1 defrosted"));
	/* every path below follows: the box under the moved rack starts with FRZ2's */
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM container c JOIN container f"
		" ON f.barcode = 'FRZ2' WHERE c.barcode IN ('RACK1', 'RACK2', 'BOX1')"
		" AND substr(c.path, 1, length(f.path)) = f.path"), 3);
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM container c JOIN container r"
		" ON r.barcode = 'RACK2' WHERE c.barcode = 'BOX1' AND c.path = r.path || c.id || '/'"), 1);
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM specimen s JOIN container c ON"
		" c.id = s.container_id WHERE s.barcode = '%s' AND c.barcode = 'BOX1' AND"
		" s.position = 'B2'", bc);
	assert_int_equal(ob_testdb_count(t, sql), 1);
	l = last_change(t, "container", "SELECT id FROM container WHERE barcode = 'RACK1'",
		"parent");
	assert_string_equal(l.before, "FRZ1");
	assert_string_equal(l.after, "FRZ2");
	assert_string_equal(l.reason, "freezer FRZ1 defrosted");
	/* the freezer report of the new freezer finds the specimen */
	ob_freezer_report r;
	ok(ob_container_report(&t->cx, "FRZ2", &r));
	size_t i = 0;
	while (i < r.n && strcmp(r.v[i].barcode, bc))
		i++;
	if (i == r.n)
		fail_msg("FRZ2's report lacks %s", bc);
	assert_int_equal(strncmp(r.v[i].in->path, "FRZ2 > RACK1 > ", 15), 0);
	ob_freezer_report_free(&r);
	verified(t);
}

static void test_container_move_refusals(void **state)
{
	ob_testdb *t = *state;
	const ob_change into_box[] = { CH("parent", "BOX2") };
	const ob_change into_self[] = { CH("parent", "RACK2") };
	const ob_change into_itself[] = { CH("parent", "RACK1") };
	const ob_change other_site[] = { CH("parent", "FRZ9") };
	const ob_change top[] = { CH("parent", "FRZ2") };
	const ob_change loose[] = { CH("parent", "") };
	const ob_change absent[] = { CH("parent", "NOPE") };
	ob_ctx tech1 = as(t, OB_ROLE_TECHNICIAN, "/NCC/REG01/");
	ob_ctx tech2 = as(t, OB_ROLE_TECHNICIAN, "/NCC/REG02/");
	const ob_change name[] = { CH("name", "mine now") };
	long long before;

	storage(t);
	before = events(t);
	refused(ob_container_correct(&t->cx, "BOX1", into_box, 1, "r"), OB_EINVALID,
		"parent: BOX2 is a box");
	refused(ob_container_correct(&t->cx, "RACK1", into_self, 1, "r"), OB_EINVALID,
		"parent: RACK2 lies inside RACK1");
	refused(ob_container_correct(&t->cx, "RACK2", into_itself, 1, "r"), OB_EINVALID,
		"parent: is 'RACK1' already");
	refused(ob_container_correct(&t->cx, "RACK1", other_site, 1, "r"), OB_EINVALID,
		"parent: FRZ9 is at site REG02");
	refused(ob_container_correct(&t->cx, "FRZ1", top, 1, "r"), OB_EINVALID,
		"parent: a freezer stands at the top");
	refused(ob_container_correct(&t->cx, "RACK1", loose, 1, "r"), OB_EINVALID,
		"parent: a rack needs a parent");
	refused(ob_container_correct(&t->cx, "RACK1", absent, 1, "r"), OB_ENOTFOUND,
		"parent: no container has barcode 'NOPE'");
	/* another site's containers are absent to a technician, as target and as subject */
	refused(ob_container_correct(&tech1, "RACK1", other_site, 1, "r"), OB_ENOTFOUND,
		"parent: no container has barcode 'FRZ9'");
	refused(ob_container_correct(&tech2, "RACK1", name, 1, "r"), OB_ENOTFOUND,
		"container: no container has barcode 'RACK1'");
	assert_int_equal(events(t), before);
	ok(ob_container_correct(&tech1, "RACK1", name, 1, "r"));
	verified(t);
}

/* ---- sites -------------------------------------------------------------- */

static void test_site_move_carries_paths_and_scope(void **state)
{
	ob_testdb *t = *state;
	const ob_change ch[] = { CH("parent", "REG02"), CH("name", "Hospital One") };
	ob_ctx tech1 = as(t, OB_ROLE_TECHNICIAN, "/NCC/REG01/");
	ob_ctx tech2 = as(t, OB_ROLE_TECHNICIAN, "/NCC/REG02/");
	ob_ctx admin1 = as(t, OB_ROLE_ADMIN, "/NCC/REG01/");
	ob_ctx admin = as(t, OB_ROLE_ADMIN, "");
	int64_t id;
	struct last l;

	ok(ob_site_add(&t->cx, "WARD1", NULL, "hospital", "REG01", NULL));
	ok(ob_donor_add(&t->cx, "HOS01", "H1", "female", 1980, NULL));
	/* REG01's administrator may not put it below REG02, outside their scope */
	refused(ob_site_correct(&admin1, "HOS01", ch, 1, "r"), OB_EPERM, "parent: ");
	refused(ob_site_correct(&tech1, "HOS01", ch, 1, "r"), OB_EPERM, "permission denied");
	ok(ob_donor_lookup(&tech1, "HOS01", "H1", &id));
	ok(ob_site_correct(&admin, "HOS01", ch, 2, "reorganised"));
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM site WHERE code = 'HOS01'"
		" AND path = '/NCC/REG02/HOS01/'"), 1);
	/* the scope follows the path */
	refused(ob_donor_lookup(&tech1, "HOS01", "H1", &id), OB_EPERM, "site: ");
	ok(ob_donor_lookup(&tech2, "HOS01", "H1", &id));
	l = last_change(t, "site", "SELECT id FROM site WHERE code = 'HOS01'", "parent");
	assert_string_equal(l.before, "REG01");
	assert_string_equal(l.after, "REG02");
	verified(t);
}

static void test_site_move_refusals(void **state)
{
	ob_testdb *t = *state;
	const ob_change up[] = { CH("parent", "HOS01") };
	const ob_change center[] = { CH("parent", "REG01") };
	const ob_change none[] = { CH("parent", "") };
	const ob_change kind[] = { CH("kind", "hospital") };
	const ob_change nobody[] = { CH("parent", "NOPE") };
	long long before = events(t);

	refused(ob_site_correct(&t->cx, "REG01", up, 1, "r"), OB_EINVALID, "parent: HOS01 lies"
		" below REG01");
	refused(ob_site_correct(&t->cx, "NCC", center, 1, "r"), OB_EINVALID, "parent: the center");
	refused(ob_site_correct(&t->cx, "REG02", none, 1, "r"), OB_EINVALID, "parent: a regional"
		" needs");
	refused(ob_site_correct(&t->cx, "REG02", kind, 1, "r"), OB_EINVALID,
		"kind: is not correctable");
	refused(ob_site_correct(&t->cx, "REG02", nobody, 1, "r"), OB_EINVALID, "parent: no site");
	refused(ob_site_correct(&t->cx, "NOPE", none, 1, "r"), OB_ENOTFOUND, "code: ");
	assert_int_equal(events(t), before);
}

static void test_retired_site_takes_nothing_new(void **state)
{
	ob_testdb *t = *state;
	const ob_change retire[] = { CH("retired", "yes") };
	const ob_change back[] = { CH("retired", "no") };
	const ob_change dated[] = { CH("retired", "2025-01-31") };
	char bc[OB_BARCODE_MAX];
	ob_container_new c;

	container(t, "FRZ1", "freezer", NULL, "REG01");
	container(t, "BOX1", "box", "FRZ1", NULL);
	ok(specimen(t, NULL, "REG01", "D1", "BOX1", "A1", bc));
	/* a site is retired after every site below it */
	refused(ob_site_correct(&t->cx, "REG01", retire, 1, "closed"), OB_EINVALID,
		"retired: site HOS01 below REG01 is in service");
	ok(ob_site_correct(&t->cx, "HOS01", retire, 1, "closed"));
	ok(ob_site_correct(&t->cx, "REG01", dated, 1, "closed"));
	refused(ob_site_correct(&t->cx, "HOS01", back, 1, "reopened"), OB_EINVALID,
		"retired: parent site REG01 is retired");
	/* nothing new: donors, specimens, containers (top level and inside) */
	refused(ob_donor_add(&t->cx, "REG01", "D7", NULL, 0, NULL), OB_ECONFLICT, "site: site REG01"
		" is retired");
	refused(specimen(t, NULL, "REG01", "D1", NULL, NULL, bc), OB_ECONFLICT, "site: ");
	ob_container_new_init(&c);
	c.barcode = "FRZ7";
	c.kind = "freezer";
	c.site = "REG01";
	refused(ob_container_add(&t->cx, &c, NULL), OB_ECONFLICT, "site: ");
	c.barcode = "RACK7";
	c.kind = "rack";
	c.site = NULL;
	c.parent = "FRZ1";
	refused(ob_container_add(&t->cx, &c, NULL), OB_ECONFLICT, "parent: ");
	refused(ob_site_add(&t->cx, "HOS07", NULL, "hospital", "REG01", NULL), OB_ECONFLICT,
		"parent: ");
	/* ... its records stay readable */
	ob_donor_full donor;
	ok(ob_donor_full_read(&t->cx, "REG01", "D1", &donor));
	ob_donor_full_free(&donor);
	ob_box_map map;
	ok(ob_container_map(&t->cx, "BOX1", &map));
	ob_box_map_free(&map);
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM site WHERE code = 'REG01' AND"
		" retired = '2025-01-31'"), 1);
	/* and back in service, from the top */
	ok(ob_site_correct(&t->cx, "REG01", back, 1, "reopened"));
	ok(ob_donor_add(&t->cx, "REG01", "D7", NULL, 0, NULL));
	verified(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_donor_correction_keeps_before_after_and_reason,
			setup, teardown),
		cmocka_unit_test_setup_teardown(test_donor_refusals_name_the_field_and_change_nothing,
			setup, teardown),
		cmocka_unit_test_setup_teardown(test_birth_year_not_after_the_donors_records, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_donor_scope_and_roles, setup, teardown),
		cmocka_unit_test_setup_teardown(test_diagnosis_correction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_container_name_and_temperature, setup, teardown),
		cmocka_unit_test_setup_teardown(test_moving_a_rack_carries_its_contents, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_container_move_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_site_move_carries_paths_and_scope, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_site_move_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_retired_site_takes_nothing_new, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
