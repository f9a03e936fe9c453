/*
 * test_specimen.c - specimens, lineage, statuses, consent, barcodes and the
 * audit trail, through the domain API on a temporary database.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "support/testdb.h"
#include "bank/audit.h"
#include "bank/barcode.h"
#include "bank/container.h"
#include "bank/donor.h"
#include "bank/site.h"
#include "bank/specimen.h"
#include "base/error.h"
#include "store/store.h"
#include "view/view.h"

#include <math.h>
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

/* A primary plasma tube of D1 at REG01. */
static void plasma(ob_testdb *t, const char *barcode, double ml)
{
	ob_specimen_new s;

	ob_specimen_new_init(&s);
	s.barcode = barcode;
	s.site = "REG01";
	s.donor = "D1";
	s.type = "plasma";
	s.quantity = ml;
	s.unit = "ml";
	s.collected_at = "2024-03-01T08:00:00Z";
	assert_int_equal(ob_specimen_create(&t->cx, &s, NULL, NULL), 0);
}

static void test_barcode_check_character_catches_typos(void **state)
{
	char code[OB_BARCODE_MAX];

	(void)state;
	assert_int_equal(ob_barcode_make("OB", 42, code), 0);
	assert_int_equal(ob_barcode_validate(code), 0);
	/* one character changed */
	code[5] = code[5] == '1' ? '2' : '1';
	assert_int_equal(ob_barcode_validate(code), OB_EINVALID);
	/* two adjacent characters swapped */
	assert_int_equal(ob_barcode_make("AB", 123456789, code), 0);
	char t = code[3];
	code[3] = code[4];
	code[4] = t;
	assert_int_equal(ob_barcode_validate(code), OB_EINVALID);
	assert_int_equal(ob_barcode_validate("ob0001"), OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), "barcode"));
}

static void test_generated_barcode_is_valid_and_unique(void **state)
{
	ob_testdb *t = *state;
	ob_specimen_new s;
	char a[OB_BARCODE_MAX], b[OB_BARCODE_MAX];

	ob_specimen_new_init(&s);
	s.site = "REG01";
	s.donor = "D1";
	s.type = "serum";
	assert_int_equal(ob_specimen_create(&t->cx, &s, NULL, a), 0);
	assert_int_equal(ob_specimen_create(&t->cx, &s, NULL, b), 0);
	assert_int_equal(ob_barcode_validate(a), 0);
	assert_string_not_equal(a, b);
}

static void test_unknown_type_is_refused_naming_the_field(void **state)
{
	ob_testdb *t = *state;
	ob_specimen_new s;

	ob_specimen_new_init(&s);
	s.site = "REG01";
	s.donor = "D1";
	s.type = "blood_sausage";
	assert_int_equal(ob_specimen_create(&t->cx, &s, NULL, NULL), OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), "type:"));
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM specimen"), 0);
}

static void test_duplicate_barcode_is_refused(void **state)
{
	ob_testdb *t = *state;
	char code[OB_BARCODE_MAX];
	ob_specimen_new s;

	ob_barcode_make("T", 1, code);
	plasma(t, code, 2);
	ob_specimen_new_init(&s);
	s.barcode = code;
	s.site = "REG01";
	s.donor = "D1";
	s.type = "serum";
	assert_int_equal(ob_specimen_create(&t->cx, &s, NULL, NULL), OB_EEXISTS);
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM specimen"), 1);
}

static void test_aliquot_decrements_parent_and_depletes_it(void **state)
{
	ob_testdb *t = *state;
	char p[OB_BARCODE_MAX], a[OB_BARCODE_MAX];
	ob_specimen_new s;

	ob_barcode_make("T", 2, p);
	plasma(t, p, 1.0);
	ob_specimen_new_init(&s);
	s.parent = p;
	s.type = "plasma";
	s.quantity = 0.4;
	s.unit = "ml";
	assert_int_equal(ob_specimen_create(&t->cx, &s, NULL, a), 0);
	assert_int_equal(ob_specimen_create(&t->cx, &s, NULL, a), 0);
	/* 0.2 ml left: a third 0.4 ml aliquot is refused */
	assert_int_equal(ob_specimen_create(&t->cx, &s, NULL, a), OB_ECONFLICT);
	assert_non_null(strstr(ob_error_last(), "quantity"));
	s.quantity = 0.2;
	assert_int_equal(ob_specimen_create(&t->cx, &s, NULL, a), 0);
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM specimen WHERE status = 'depleted'"
		" AND lineage = 'primary'"), 1);
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM specimen WHERE lineage = 'aliquot'"), 3);
}

static void test_missing_parent_is_refused(void **state)
{
	ob_testdb *t = *state;
	ob_specimen_new s;

	ob_specimen_new_init(&s);
	s.parent = "NOSUCH1";
	s.type = "plasma";
	assert_int_equal(ob_specimen_create(&t->cx, &s, NULL, NULL), OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), "parent_barcode"));
}

static void test_derivative_records_extraction_quality(void **state)
{
	ob_testdb *t = *state;
	char p[OB_BARCODE_MAX], d[OB_BARCODE_MAX];
	ob_specimen_new s;
	ob_buf out = OB_BUF_INIT;

	ob_barcode_make("T", 3, p);
	plasma(t, p, 2.0);
	ob_specimen_new_init(&s);
	s.parent = p;
	s.type = "cfdna";
	s.quantity = 50;
	s.unit = "ul";
	s.parent_used = 1.5;
	s.concentration = 0.8;
	s.a260_280 = 1.85;
	s.din = 7.2;
	assert_int_equal(ob_specimen_create(&t->cx, &s, NULL, d), 0);
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM specimen WHERE lineage = 'derivative'"
		" AND type = 'cfdna' AND din = 7.2"), 1);
	assert_int_equal(show_json(&t->cx, d, &out), 0);
	assert_non_null(strstr(ob_buf_cstr(&out), "\"lineage\":\"derivative\""));
	assert_non_null(strstr(ob_buf_cstr(&out), "\"quantity\":0.5")); /* parent left */
	ob_buf_dispose(&out);
}

static int count_barcodes(const char *barcode, void *arg)
{
	int *n = arg;

	(void)barcode;
	(*n)++;
	return 0;
}

static void test_aliquot_run_is_all_or_none_with_one_thaw(void **state)
{
	ob_testdb *t = *state;
	const char *pos[] = { "A1", "A2" };
	/* one buffer per query: the statement cache keys by the text's address */
	char p[OB_BARCODE_MAX], sql1[256], sql2[256], sql3[256];
	ob_aliquot_req a;
	int n = 0;

	ob_barcode_make("T", 40, p);
	plasma(t, p, 2.0);
	memset(&a, 0, sizeof a);
	ob_specimen_new_init(&a.s);
	a.s.parent = p;
	a.s.lineage = "aliquot";
	a.s.quantity = 0.5;
	a.s.unit = "ml";
	a.s.parent_thawed = true;
	assert_int_equal(ob_specimen_aliquot(&t->cx, &a, count_barcodes, &n), OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), "count: 0 is not 1 to 1000"));
	a.count = 3;
	a.positions = pos;
	a.npositions = 2;
	assert_int_equal(ob_specimen_aliquot(&t->cx, &a, count_barcodes, &n), OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), "positions: must list one position per aliquot (3)"));
	/* the fifth finds too little left: none of the run is kept */
	a.positions = NULL;
	a.npositions = 0;
	a.count = 5;
	assert_true(ob_specimen_aliquot(&t->cx, &a, count_barcodes, &n) < 0);
	assert_int_equal(n, 4);
	snprintf(sql1, sizeof sql1, "SELECT COUNT(*) FROM specimen WHERE barcode = '%s'"
		" AND quantity = 2 AND freeze_thaw = 0 AND NOT EXISTS (SELECT 1 FROM specimen c"
		" WHERE c.parent_id = specimen.id)", p);
	assert_int_equal(ob_testdb_count(t, sql1), 1);
	/* three of them, the parent's type, one thaw for the run */
	n = 0;
	a.count = 3;
	assert_int_equal(ob_specimen_aliquot(&t->cx, &a, count_barcodes, &n), 0);
	assert_int_equal(n, 3);
	snprintf(sql2, sizeof sql2, "SELECT COUNT(*) FROM specimen WHERE barcode = '%s'"
		" AND quantity = 0.5 AND freeze_thaw = 1", p);
	assert_int_equal(ob_testdb_count(t, sql2), 1);
	snprintf(sql3, sizeof sql3, "SELECT COUNT(*) FROM specimen c JOIN specimen p ON"
		" p.id = c.parent_id WHERE p.barcode = '%s' AND c.type = 'plasma'", p);
	assert_int_equal(ob_testdb_count(t, sql3), 3);
}

static void test_lineage_tree_is_whole_from_any_member(void **state)
{
	ob_testdb *t = *state;
	char p[OB_BARCODE_MAX], a[OB_BARCODE_MAX], g[OB_BARCODE_MAX];
	ob_specimen_new s;
	ob_buf out = OB_BUF_INIT;

	ob_barcode_make("T", 4, p);
	plasma(t, p, 3.0);
	ob_specimen_new_init(&s);
	s.parent = p;
	s.type = "plasma";
	s.quantity = 1;
	s.unit = "ml";
	assert_int_equal(ob_specimen_create(&t->cx, &s, NULL, a), 0);
	s.parent = a;
	s.quantity = 0.5;
	assert_int_equal(ob_specimen_create(&t->cx, &s, NULL, g), 0);
	/* shown from the grandchild, the tree holds the root and depth 2 */
	assert_int_equal(show_json(&t->cx, g, &out), 0);
	const char *j = ob_buf_cstr(&out);
	const char *lin = strstr(j, "\"lineage\":[");
	assert_non_null(lin);
	assert_non_null(strstr(lin, p));
	assert_non_null(strstr(lin, "\"depth\":2"));
	ob_buf_dispose(&out);
}

static void test_status_follows_allowed_transitions(void **state)
{
	ob_testdb *t = *state;
	char p[OB_BARCODE_MAX];

	ob_barcode_make("T", 5, p);
	plasma(t, p, 1);
	assert_int_equal(ob_specimen_set_status(&t->cx, p, "destroyed", "broken tube"), 0);
	assert_int_equal(ob_specimen_set_status(&t->cx, p, "available", NULL), OB_ECONFLICT);
	assert_non_null(strstr(ob_error_last(), "destroyed to available"));
	assert_int_equal(ob_specimen_set_status(&t->cx, p, "frozen-ish", NULL), OB_EINVALID);
	assert_true(ob_specimen_transition_ok("in_transit", "available"));
	assert_false(ob_specimen_transition_ok("depleted", "available"));
}

static void test_withdrawn_consent_blocks_aliquots_and_distribution(void **state)
{
	ob_testdb *t = *state;
	char p[OB_BARCODE_MAX], a[OB_BARCODE_MAX];
	ob_specimen_new s;

	ob_barcode_make("T", 6, p);
	plasma(t, p, 2);
	ob_specimen_new_init(&s);
	s.parent = p;
	s.type = "plasma";
	s.quantity = 0.5;
	s.unit = "ml";
	assert_int_equal(ob_specimen_create(&t->cx, &s, NULL, a), 0);
	assert_int_equal(ob_consent_withdraw(&t->cx, "REG01", "D1", "2024-06-01", "donor request",
		"keep"), 0);
	assert_int_equal(ob_specimen_create(&t->cx, &s, NULL, NULL), OB_ECONFLICT);
	assert_non_null(strstr(ob_error_last(), "withdrew consent"));
	/* neither the parent nor what was derived from it can be distributed */
	assert_int_equal(ob_specimen_set_status(&t->cx, p, "distributed", NULL), OB_ECONFLICT);
	assert_int_equal(ob_specimen_set_status(&t->cx, a, "distributed", NULL), OB_ECONFLICT);
	/* but may still be destroyed */
	assert_int_equal(ob_specimen_set_status(&t->cx, a, "destroyed", "consent withdrawn"), 0);
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM consent WHERE withdrawn_by = 'tester'"
		" AND withdrawal_reason = 'donor request' AND withdrawn_on LIKE '2024-06-01%'"), 1);
}

static void test_find_filters_by_site_subtree_and_consent(void **state)
{
	ob_testdb *t = *state;
	ob_specimen_filter f;
	ob_specimen_new s;
	int64_t n;

	plasma(t, NULL, 1);
	ob_specimen_new_init(&s);
	s.site = "REG02";
	s.donor = "D2";
	s.type = "serum";
	assert_int_equal(ob_specimen_create(&t->cx, &s, NULL, NULL), 0);
	memset(&f, 0, sizeof f);
	f.site = "NCC";
	assert_int_equal(ob_specimen_count(&t->cx, &f, &n), 0);
	assert_int_equal(n, 2);
	f.site = "REG02";
	assert_int_equal(ob_specimen_count(&t->cx, &f, &n), 0);
	assert_int_equal(n, 1);
	f.site = NULL;
	f.consent = OB_CONSENT_GENETIC; /* only D1 consented to genetic research */
	assert_int_equal(ob_specimen_count(&t->cx, &f, &n), 0);
	assert_int_equal(n, 1);
	f.consent = 0;
	f.type = "nonsense";
	assert_int_equal(ob_specimen_count(&t->cx, &f, &n), OB_EINVALID);
	f.type = NULL;
	f.site = "'; DROP TABLE specimen; --";
	assert_int_equal(ob_specimen_count(&t->cx, &f, &n), OB_ENOTFOUND);
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM specimen"), 2);
}

static void test_find_by_diagnosis(void **state)
{
	ob_testdb *t = *state;
	ob_specimen_filter f;
	int64_t n;

	assert_int_equal(ob_donor_diagnose(&t->cx, "REG01", "D1", "C50.9", "8500/3", "2024-01-01"), 0);
	assert_int_equal(ob_donor_diagnose(&t->cx, "REG01", "D1", "C5O.9", "8500/3", NULL), OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), "topography"));
	assert_int_equal(ob_donor_diagnose(&t->cx, "REG01", "D1", "C50.9", "8500/7", NULL), OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), "morphology"));
	plasma(t, NULL, 1);
	memset(&f, 0, sizeof f);
	f.topography = "C50";
	assert_int_equal(ob_specimen_count(&t->cx, &f, &n), 0);
	assert_int_equal(n, 1);
	f.topography = "C34";
	assert_int_equal(ob_specimen_count(&t->cx, &f, &n), 0);
	assert_int_equal(n, 0);
}

static void test_audit_verify_passes_then_catches_tampering(void **state)
{
	ob_testdb *t = *state;
	char p[OB_BARCODE_MAX];
	ob_buf out = OB_BUF_INIT;

	ob_barcode_make("T", 7, p);
	plasma(t, p, 1);
	assert_int_equal(ob_specimen_set_status(&t->cx, p, "reserved", NULL), 0);
	assert_int_equal(ob_audit_verify(&t->cx, &out), 0);
	assert_non_null(strstr(ob_buf_cstr(&out), "intact"));
	/* a value changed behind the audit trail's back */
	ob_testdb_exec(t, "UPDATE specimen SET quantity = 5 WHERE lineage = 'primary'");
	assert_int_equal(ob_audit_verify(&t->cx, &out), OB_ECONFLICT);
	assert_non_null(strstr(ob_error_last(), "altered"));
	ob_buf_dispose(&out);
}

static void test_audit_verify_names_first_edited_event(void **state)
{
	ob_testdb *t = *state;
	ob_buf out = OB_BUF_INIT;

	plasma(t, NULL, 1);
	ob_testdb_exec(t, "UPDATE audit_event SET actor = 'mallory' WHERE seq = 3");
	assert_int_equal(ob_audit_verify(&t->cx, &out), OB_ECONFLICT);
	assert_non_null(strstr(ob_error_last(), "event 3"));
	ob_buf_dispose(&out);
}

static void test_status_reason_is_kept_in_the_hashed_event(void **state)
{
	ob_testdb *t = *state;
	char p[OB_BARCODE_MAX];
	ob_buf out = OB_BUF_INIT;

	ob_barcode_make("T", 8, p);
	plasma(t, p, 1);
	assert_int_equal(ob_specimen_set_status(&t->cx, p, "distributed", "project P-7"), 0);
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM audit_event WHERE"
		" action = 'status:distributed' AND reason = 'project P-7'"), 1);
	assert_int_equal(show_json(&t->cx, p, &out), 0);
	assert_non_null(strstr(ob_buf_cstr(&out), "\"reason\":\"project P-7\""));
	ob_testdb_exec(t, "UPDATE audit_event SET reason = 'project P-8' WHERE reason IS NOT NULL");
	assert_int_equal(ob_audit_verify(&t->cx, &out), OB_ECONFLICT);
	assert_non_null(strstr(ob_error_last(), "do not match its hash"));
	ob_buf_dispose(&out);
}

static void test_audit_verify_catches_deleted_event(void **state)
{
	ob_testdb *t = *state;
	ob_buf out = OB_BUF_INIT;

	plasma(t, NULL, 1);
	ob_testdb_exec(t, "DELETE FROM audit_event WHERE seq = 2");
	assert_int_equal(ob_audit_verify(&t->cx, &out), OB_ECONFLICT);
	assert_non_null(strstr(ob_error_last(), "event 3"));
	ob_buf_dispose(&out);
}

static void test_failed_create_leaves_no_trace(void **state)
{
	ob_testdb *t = *state;
	long long events = ob_testdb_count(t, "SELECT COUNT(*) FROM audit_event");
	ob_specimen_new s;

	ob_specimen_new_init(&s);
	s.site = "REG01";
	s.donor = "NOBODY";
	s.type = "plasma";
	assert_int_equal(ob_specimen_create(&t->cx, &s, NULL, NULL), OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), "donor"));
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM audit_event"), events);
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM specimen"), 0);
}

static void test_site_tree_rules(void **state)
{
	ob_testdb *t = *state;

	assert_int_equal(ob_site_add(&t->cx, "X1", "x", "regional", "HOS01", NULL), OB_EINVALID);
	assert_int_equal(ob_site_add(&t->cx, "NCC2", "x", "center", NULL, NULL), OB_ECONFLICT);
	assert_int_equal(ob_site_add(&t->cx, "REG01", "x", "regional", "NCC", NULL), OB_EEXISTS);
	assert_int_equal(ob_site_add(&t->cx, "SUB1", "x", "sub-centre", "NCC", NULL), 0);
	assert_int_equal(ob_site_add(&t->cx, "Z", "x", "moon base", "NCC", NULL), OB_EINVALID);
}

static void test_sprec_computed_from_measurements(void **state)
{
	ob_testdb *t = *state;
	ob_specimen_new s;
	char b[OB_BARCODE_MAX];
	ob_buf out = OB_BUF_INIT;

	ob_specimen_new_init(&s);
	s.site = "REG01";
	s.donor = "D1";
	s.type = "ffpe_block";
	s.collection = "SRG";
	s.warm_ischaemia_min = 5;
	s.cold_ischaemia_min = 25;
	s.fixation = "NBF";
	s.fixation_min = 20 * 60;
	s.vessel = "paraffin_block";
	assert_int_equal(ob_specimen_create(&t->cx, &s, NULL, b), 0);
	assert_int_equal(show_json(&t->cx, b, &out), 0);
	/* no container: storage temperature unknown, but a paraffin block */
	assert_non_null(strstr(ob_buf_cstr(&out), "\"sprec\":\"TIS-SRG-B-D-NBF-E-"));
	/* a hand-picked code that disagrees with the measurements is refused */
	s.sprec = "TIS-SRG-A-A-NBF-E-P";
	assert_int_equal(ob_specimen_create(&t->cx, &s, NULL, NULL), OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), "sprec"));
	/* a malformed code is refused naming the element */
	ob_specimen_new_init(&s);
	s.site = "REG01";
	s.donor = "D1";
	s.type = "serum";
	s.sprec = "SER-SST-A-B-N-A-9";
	assert_int_equal(ob_specimen_create(&t->cx, &s, NULL, NULL), OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), "sprec"));
	ob_buf_dispose(&out);
}

/* The audit event of a creation is built from the values written, not read
 * back: with every field set, awkward numbers included, audit verify must
 * still find the row equal to its event. */
static void test_creation_event_matches_row_for_every_field(void **state)
{
	ob_testdb *t = *state;
	ob_container_new c;
	ob_specimen_new s;
	char p[OB_BARCODE_MAX], a[OB_BARCODE_MAX];
	ob_buf out = OB_BUF_INIT;

	ob_container_new_init(&c);
	c.barcode = "FRZ-9";
	c.kind = "freezer";
	c.site = "REG01";
	c.temperature = -80;
	assert_int_equal(ob_container_add(&t->cx, &c, NULL), 0);
	ob_container_new_init(&c);
	c.barcode = "BOX-9";
	c.kind = "box";
	c.parent = "FRZ-9";
	c.rows = c.cols = 9;
	assert_int_equal(ob_container_add(&t->cx, &c, NULL), 0);

	ob_specimen_new_init(&s);
	s.label = "S19-04211 A1";
	s.site = "HOS01";
	s.donor = "D1";
	s.donor_site = "REG01";
	s.type = "fresh_frozen";
	s.anatomic_site = "C50.4";
	s.pathology = "tumour";
	s.tumour_pct = 62.5;
	s.quantity = 123456.789012345;
	s.unit = "mg";
	s.collected_at = "2024-03-01 09:15";
	s.freeze_thaw = 1;
	s.container = "BOX-9";
	s.position = "c04";
	s.collection = "SRG";
	s.warm_ischaemia_min = 0.1;
	s.cold_ischaemia_min = 12;
	s.fixation = "SNP";
	s.vessel = "cryotube_1_2ml";
	s.initial_quantity = 1.0;  /* less than what is left: refused */
	assert_int_equal(ob_specimen_create(&t->cx, &s, NULL, p), OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), "initial_quantity"));
	s.initial_quantity = 200000.5;
	assert_int_equal(ob_specimen_create(&t->cx, &s, NULL, p), 0);

	ob_specimen_new_init(&s);
	s.parent = p;
	s.type = "dna";
	s.quantity = 1e-7;
	s.unit = "ug";
	s.parent_used = 2.0;
	s.concentration = 0.1;
	s.a260_280 = 1.8;
	s.rin = 2;
	s.din = 9.95;
	assert_int_equal(ob_specimen_create(&t->cx, &s, NULL, a), 0);
	assert_int_equal(ob_audit_verify(&t->cx, &out), 0);
	ob_buf_dispose(&out);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_barcode_check_character_catches_typos),
		T(test_aliquot_run_is_all_or_none_with_one_thaw),
		T(test_generated_barcode_is_valid_and_unique),
		T(test_unknown_type_is_refused_naming_the_field),
		T(test_duplicate_barcode_is_refused),
		T(test_aliquot_decrements_parent_and_depletes_it),
		T(test_missing_parent_is_refused),
		T(test_derivative_records_extraction_quality),
		T(test_lineage_tree_is_whole_from_any_member),
		T(test_status_follows_allowed_transitions),
		T(test_withdrawn_consent_blocks_aliquots_and_distribution),
		T(test_find_filters_by_site_subtree_and_consent),
		T(test_find_by_diagnosis),
		T(test_audit_verify_passes_then_catches_tampering),
		T(test_audit_verify_names_first_edited_event),
		T(test_audit_verify_catches_deleted_event),
		T(test_status_reason_is_kept_in_the_hashed_event),
		T(test_failed_create_leaves_no_trace),
		T(test_site_tree_rules),
		T(test_sprec_computed_from_measurements),
		T(test_creation_event_matches_row_for_every_field),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
