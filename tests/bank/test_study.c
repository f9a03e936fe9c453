/*
 * test_study.c - studies (study.h): adding one with its sites and forms,
 * the look-ups the OpenSpecimen import calls, enrolment and its rules,
 * collecting in a study, the worklist and the accrual, a study
 * researcher's reach, and that the audit trail verifies every study table
 * (and catches one altered behind its back). Each test runs on a fresh
 * temporary SQLite database (tests/support/testdb.h).
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
#include "bank/access.h"
#include "bank/audit.h"
#include "bank/specimen.h"
#include "bank/study.h"
#include "bank/user.h"
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

/* The network of testdb.h, an account sr1 (study researcher) and a study
 * BC with event SURG (two tumour pieces, one plasma) and FU6. */
static int setup(void **state)
{
	ob_testdb *t = calloc(1, sizeof *t);
	const char *sites[] = { "REG01" };
	ob_study_new in;
	ob_study_req_record r;

	if (!t)
		return -1;
	ob_testdb_open(t);
	ob_testdb_network(t);
	ok(ob_user_add(&t->cx, "sr1", NULL, "study_researcher", "a long password for sr1"));
	ob_testdb_exec(t, "INSERT INTO consent_form (version, title, created_at)"
		" VALUES ('BC-ICF 3.0', 'BC consent', '2024-01-01T00:00:00Z')");
	memset(&in, 0, sizeof in);
	ob_record_init(ob_study_fields, &in.r);
	in.r.code = "BC";
	in.r.title = "Breast cohort";
	in.r.status = "active";
	in.r.ethics_approved_on = "2024-01-10";
	in.r.ethics_expires_on = "2030-12-31";
	in.r.ppid_format = "BC-[0-9]{4}";
	in.sites = sites;
	in.nsites = 1;
	ok(ob_study_add(&t->cx, &in, NULL));
	ok(ob_study_event_add(&t->cx, "BC", "SURG", "Surgery", 0, -1));
	ok(ob_study_event_add(&t->cx, "BC", "FU6", "6-month follow-up", 182, -1));
	ob_record_init(ob_study_req_fields, &r);
	r.code = "TUM";
	r.type = "fresh_frozen";
	r.count = 2;
	r.quantity = 50;
	r.unit = "mg";
	ok(ob_study_requirement_add(&t->cx, "BC", "SURG", &r));
	r.code = "PL";
	r.type = "plasma";
	r.count = 1;
	r.quantity = 2;
	r.unit = "ml";
	ok(ob_study_requirement_add(&t->cx, "BC", "SURG", &r));
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

static void verified(ob_testdb *t)
{
	ob_buf out = OB_BUF_INIT;

	ok(ob_audit_verify(&t->cx, &out));
	ob_buf_dispose(&out);
}

static int collect(ob_testdb *t, const char *type, const char *study, const char *event,
                   const char *req, const char *day, char *barcode)
{
	ob_specimen_new s;

	ob_specimen_new_init(&s);
	s.site = "REG01";
	s.donor = "D1";
	s.type = type;
	s.quantity = !strcmp(type, "plasma") ? 2 : 50;
	s.unit = !strcmp(type, "plasma") ? "ml" : "mg";
	s.collected_at = day;
	s.study = study;
	s.event = event;
	s.requirement = req;
	return ob_specimen_create(&t->cx, &s, NULL, barcode);
}

static void test_lookups_by_code_title_label(void **state)
{
	ob_testdb *t = *state;
	int64_t id, id2, ev, ev2, donor;

	ok(ob_study_find(&t->cx, "BC", &id));
	ok(ob_study_find(&t->cx, "Breast cohort", &id2));
	assert_int_equal(id, id2);
	refused(ob_study_find(&t->cx, "NOPE", &id2), OB_ENOTFOUND, "study: no study 'NOPE'");
	ok(ob_study_event_find(&t->cx, id, "SURG", &ev));
	ok(ob_study_event_find(&t->cx, id, "Surgery", &ev2));
	assert_int_equal(ev, ev2);
	refused(ob_study_event_find(&t->cx, id, "V9", &ev2), OB_ENOTFOUND,
		"event: study BC has no event 'V9'");
	refused(ob_study_participant_find(&t->cx, id, "BC-0001", &donor), OB_ENOTFOUND, "ppid:");
	ok(ob_study_enrol(&t->cx, "BC", "REG01", "D1", "BC-0001", "2024-03-01"));
	ok(ob_study_participant_find(&t->cx, id, "BC-0001", &donor));
	assert_int_equal(donor, ob_testdb_count(t, "SELECT id FROM donor WHERE code = 'D1'"));
}

static void test_add_checks_each_field(void **state)
{
	ob_testdb *t = *state;
	const char *forms[] = { "BC-ICF 3.0" }, *bad_forms[] = { "v9" }, *far[] = { "REG02" };
	ob_study_new in;
	ob_study_full f;
	long long before = ob_testdb_count(t, "SELECT COUNT(*) FROM audit_event");

	memset(&in, 0, sizeof in);
	ob_record_init(ob_study_fields, &in.r);
	in.r.code = "X1";
	in.r.title = "X";
	in.r.ethics_approved_on = "2024-05-01";
	in.r.ethics_expires_on = "2024-04-30";
	refused(ob_study_add(&t->cx, &in, NULL), OB_EINVALID, "ethics_expires_on:");
	in.r.ethics_expires_on = NULL;
	in.r.ppid_format = "(";
	refused(ob_study_add(&t->cx, &in, NULL), OB_EINVALID, "ppid_format:");
	in.r.ppid_format = NULL;
	in.r.pi = "nobody";
	refused(ob_study_add(&t->cx, &in, NULL), OB_EINVALID, "pi: no user 'nobody'");
	in.r.pi = "sr1";
	in.forms = bad_forms;
	in.nforms = 1;
	refused(ob_study_add(&t->cx, &in, NULL), OB_EINVALID, "forms: no consent form 'v9'");
	in.r.code = "bad code";
	refused(ob_study_add(&t->cx, &in, NULL), OB_EINVALID, "code:");
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM audit_event"), before);
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM study"), 1);
	/* a regional manager names a site outside their scope: refused openly */
	ob_ctx reg = t->cx;
	reg.actor = "mgr1";
	reg.role = OB_ROLE_MANAGER;
	reg.scope = "/NCC/REG01/";
	in.r.code = "X1";
	in.forms = forms;
	in.sites = far;
	in.nsites = 1;
	refused(ob_study_add(&reg, &in, NULL), OB_EPERM, "sites: permission denied");
	in.nsites = 0;
	ok(ob_study_add(&reg, &in, NULL));
	ok(ob_study_read(&t->cx, "X1", &f));
	assert_int_equal(f.nforms, 1);
	assert_string_equal(f.forms[0], "BC-ICF 3.0");
	assert_string_equal(f.r.status, "draft");
	assert_string_equal(f.r.pi, "sr1");
	ob_study_full_free(&f);
	/* a technician may not */
	reg.role = OB_ROLE_TECHNICIAN;
	in.r.code = "X2";
	refused(ob_study_add(&reg, &in, NULL), OB_EPERM, "permission denied: a technician");
	verified(t);
}

static void test_enrolment_rules(void **state)
{
	ob_testdb *t = *state;

	refused(ob_study_enrol(&t->cx, "BC", "REG01", "D1", "BC-1", NULL), OB_EINVALID,
		"ppid: 'BC-1' does not match the study's format 'BC-[0-9]{4}'");
	ok(ob_study_enrol(&t->cx, "BC", "REG01", "D1", "BC-0001", "2024-03-01"));
	refused(ob_study_enrol(&t->cx, "BC", "REG01", "D1", "BC-0002", NULL), OB_ECONFLICT,
		"donor: donor D1 of REG01 is enrolled in study BC already");
	/* D2 is at REG02, which does not collect for BC */
	refused(ob_study_enrol(&t->cx, "BC", "REG02", "D2", "BC-0001", NULL), OB_EINVALID,
		"site: REG02 does not collect for study BC");
	ok(ob_study_site_add(&t->cx, "BC", "REG02"));
	refused(ob_study_enrol(&t->cx, "BC", "REG02", "D2", "BC-0001", NULL), OB_ECONFLICT,
		"ppid: study BC already has participant BC-0001");
	/* a technician of REG01: D2 lies outside their scope */
	ob_ctx tech = t->cx;
	tech.actor = "tech1";
	tech.role = OB_ROLE_TECHNICIAN;
	tech.scope = "/NCC/REG01/";
	refused(ob_study_enrol(&tech, "BC", "REG02", "D2", "BC-0002", NULL), OB_EPERM, "site:");
	refused(ob_study_enrol(&t->cx, "BC", "REG02", "D2", "BC-0002", "2999-01-01"), OB_EINVALID,
		"date:");
	ok(ob_study_enrol(&t->cx, "BC", "REG02", "D2", "BC-0002", NULL));
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM study_participant"), 2);
	verified(t);
}

static int count_due(const ob_study_due *d, void *arg)
{
	long long *n = arg;

	if (!strcmp(d->requirement, "TUM")) {
		assert_int_equal(d->expected, 2);
		assert_int_equal(d->missing, d->expected - d->collected);
		assert_string_equal(d->due_on, "2024-03-01T00:00:00Z");
	}
	*n += d->missing;
	return 0;
}

static void test_collecting_and_worklist(void **state)
{
	ob_testdb *t = *state;
	char bc[64];
	long long missing = 0;

	ok(ob_study_enrol(&t->cx, "BC", "REG01", "D1", "BC-0001", "2024-03-01"));
	ok(ob_study_worklist(&t->cx, "BC", NULL, NULL, count_due, &missing));
	assert_int_equal(missing, 3);
	ok(collect(t, "fresh_frozen", "BC", "SURG", "TUM", "2024-03-01", bc));
	ok(collect(t, "plasma", "BC", "SURG", NULL, "2024-03-01", bc));
	missing = 0;
	ok(ob_study_worklist(&t->cx, "BC", "REG01", "SURG", count_due, &missing));
	assert_int_equal(missing, 1);
	refused(collect(t, "plasma", "BC", "SURG", "TUM", "2024-03-01", bc), OB_EINVALID,
		"type: requirement TUM of study BC expects fresh_frozen, not plasma");
	refused(collect(t, "plasma", "BC", "NOEV", NULL, "2024-03-01", bc), OB_EINVALID,
		"event: study BC has no event 'NOEV'");
	refused(collect(t, "plasma", "BC", "SURG", NULL, "2031-01-01", bc), OB_EINVALID,
		"collected_at:");
	ob_testdb_exec(t, "UPDATE study SET ethics_expires_on = '2024-02-29T00:00:00Z'");
	refused(collect(t, "plasma", "BC", "SURG", NULL, "2024-03-01", bc), OB_ECONFLICT,
		"study: the ethics approval of study BC expired on 2024-02-29");
	/* the update above went behind the audit trail's back: verify says so */
	ob_buf out = OB_BUF_INIT;
	refused(ob_audit_verify(&t->cx, &out), OB_ECONFLICT, "study 1 differs");
	ob_buf_dispose(&out);
}

static int accrual_row(const ob_study_accrual_row *r, void *arg)
{
	long long *v = arg;

	if (!strcmp(r->event, "SURG")) {
		v[0] = r->planned;
		v[1] = r->collected;
	}
	return 0;
}

static void test_accrual_counts_plan_and_collection(void **state)
{
	ob_testdb *t = *state;
	long long v[2] = { -1, -1 };
	int64_t enrolled;
	char bc[64];

	ok(ob_study_enrol(&t->cx, "BC", "REG01", "D1", "BC-0001", "2024-03-01"));
	ok(collect(t, "fresh_frozen", "BC", "SURG", "TUM", "2024-03-01", bc));
	ok(ob_study_accrual(&t->cx, "BC", &enrolled, accrual_row, v));
	assert_int_equal(enrolled, 1);
	assert_int_equal(v[0], 3);
	assert_int_equal(v[1], 1);
}

static int count_rows(const ob_specimen *r, void *arg)
{
	(void)r;
	(*(int *)arg)++;
	return 0;
}

static void test_study_researcher_reach(void **state)
{
	ob_testdb *t = *state;
	ob_specimen_filter f;
	char in_study[64], outside[64];
	int64_t id;
	int n = 0;

	ok(ob_study_enrol(&t->cx, "BC", "REG01", "D1", "BC-0001", "2024-03-01"));
	ok(collect(t, "plasma", "BC", "SURG", NULL, "2024-03-01", in_study));
	ok(collect(t, "plasma", NULL, NULL, NULL, "2024-03-01", outside));
	ob_ctx sr = t->cx;
	sr.actor = "sr1";
	sr.role = OB_ROLE_STUDY;
	sr.scope = NULL;
	/* not a member yet: the study is as absent */
	refused(ob_study_find(&sr, "BC", &id), OB_ENOTFOUND, "study: no study 'BC'");
	ok(ob_study_member_add(&t->cx, "BC", "sr1", "investigator"));
	ok(ob_study_find(&sr, "BC", &id));
	memset(&f, 0, sizeof f);
	ok(ob_specimen_find(&sr, &f, count_rows, &n));
	assert_int_equal(n, 1);
	ok(ob_specimen_id(&sr, in_study, &id));
	refused(ob_specimen_id(&sr, outside, &id), OB_ENOTFOUND, "no specimen has barcode");
	/* no general reading, no changes */
	refused(ob_access_check(&sr, OB_ACT_READ, NULL), OB_EPERM, "permission denied");
	refused(ob_study_event_add(&sr, "BC", "X", NULL, 0, -1), OB_EPERM, "permission denied");
	ok(ob_study_member_remove(&t->cx, "BC", "sr1"));
	n = 0;
	ok(ob_specimen_find(&sr, &f, count_rows, &n));
	assert_int_equal(n, 0);
	verified(t);
}

static void test_closing_stops_collection(void **state)
{
	ob_testdb *t = *state;
	const ob_change none[] = { { "status", "running" } };
	char bc[64];

	ok(ob_study_enrol(&t->cx, "BC", "REG01", "D1", "BC-0001", "2024-03-01"));
	refused(ob_study_correct(&t->cx, "BC", none, 1, "x"), OB_EINVALID, "status:");
	refused(ob_study_close(&t->cx, "BC", NULL), OB_EINVALID, "reason:");
	ok(ob_study_close(&t->cx, "BC", "accrual complete"));
	refused(collect(t, "plasma", "BC", "SURG", NULL, "2024-03-01", bc), OB_ECONFLICT,
		"study: study BC is closed");
	verified(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_lookups_by_code_title_label, setup, teardown),
		cmocka_unit_test_setup_teardown(test_add_checks_each_field, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enrolment_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_collecting_and_worklist, setup, teardown),
		cmocka_unit_test_setup_teardown(test_accrual_counts_plan_and_collection, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_study_researcher_reach, setup, teardown),
		cmocka_unit_test_setup_teardown(test_closing_stops_collection, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
