/*
 * test_import.c - the CSV import (all or nothing, FILE:LINE: column:
 * messages, line counting, aliases) and the export it round-trips with,
 * through src/bank/csvimport.h on temporary databases.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "support/testdb.h"
#include "bank/barcode.h"
#include "bank/container.h"
#include "bank/csvimport.h"
#include "bank/donor.h"
#include "bank/specimen.h"
#include "base/error.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int setup(void **state)
{
	static ob_testdb t;
	ob_container_new c;
	ob_specimen_new s;

	ob_testdb_open(&t);
	ob_testdb_network(&t);
	/* a box at REG01, a specimen SP1 in it at A1, a donor D3 who withdrew */
	ob_container_new_init(&c);
	c.barcode = "FRZ1"; c.kind = "freezer"; c.site = "REG01"; c.temperature = -80;
	assert_int_equal(ob_container_add(&t.cx, &c, NULL), 0);
	ob_container_new_init(&c);
	c.barcode = "BOX1"; c.kind = "box"; c.parent = "FRZ1"; c.rows = 9; c.cols = 9;
	assert_int_equal(ob_container_add(&t.cx, &c, NULL), 0);
	ob_specimen_new_init(&s);
	s.barcode = NULL;
	s.label = "EXISTING";
	s.site = "REG01"; s.donor = "D1"; s.type = "plasma"; s.quantity = 2; s.unit = "ml";
	s.container = "BOX1"; s.position = "A1";
	assert_int_equal(ob_specimen_create(&t.cx, &s, NULL, NULL), 0);
	assert_int_equal(ob_donor_add(&t.cx, "REG01", "D3", "female", 1950, NULL), 0);
	assert_int_equal(ob_consent_add(&t.cx, "REG01", "D3", "v2", "2024-01-01",
		OB_CONSENT_STORAGE, NULL), 0);
	assert_int_equal(ob_consent_withdraw(&t.cx, "REG01", "D3", "2024-02-01", "asked", "keep"), 0);
	*state = &t;
	return 0;
}

static int teardown(void **state)
{
	ob_testdb_close(*state);
	return 0;
}

/* Barcode n of the tests: "T" + serial + check character. */
static const char *bc(int n)
{
	static char out[8][OB_BARCODE_MAX];
	static int i;
	char *b = out[i++ % 8];

	assert_int_equal(ob_barcode_make("T", n, b), 0);
	return b;
}

static const char *existing(ob_testdb *t)
{
	static char b[OB_BARCODE_MAX];
	ob_stmt *s;

	assert_int_equal(ob_store_prepare(t->st, "SELECT barcode FROM specimen WHERE label = 'EXISTING'",
		&s), 0);
	assert_int_equal(ob_stmt_step(s), OB_ROW);
	snprintf(b, sizeof b, "%s", ob_stmt_text(s, 0));
	ob_stmt_reset(s);
	return b;
}

typedef struct counts {
	long long specimens, events, containers, consents;
} counts;

static counts count(ob_testdb *t)
{
	counts c = {
		ob_testdb_count(t, "SELECT COUNT(*) FROM specimen"),
		ob_testdb_count(t, "SELECT COUNT(*) FROM audit_event"),
		ob_testdb_count(t, "SELECT COUNT(*) FROM container"),
		ob_testdb_count(t, "SELECT COUNT(*) FROM consent"),
	};
	return c;
}

static int import_text(ob_testdb *t, ob_import_kind kind, const char *csv, ob_import_report *rep)
{
	ob_import_opts o = { "t.csv", 0, OB_DATE_DMY, OB_CONSENT_PHASE_ALL };
	FILE *f = fmemopen((void *)csv, strlen(csv), "r");
	int rc;

	assert_non_null(f);
	ob_import_report_init(rep);
	rc = ob_import_csv(&t->cx, kind, f, &o, rep);
	fclose(f);
	return rc;
}

/* import_text() of len bytes, NUL bytes among them. */
static int import_bytes(ob_testdb *t, ob_import_kind kind, const char *csv, size_t len,
                        ob_import_report *rep)
{
	ob_import_opts o = { "t.csv", 0, OB_DATE_DMY, OB_CONSENT_PHASE_ALL };
	FILE *f = fmemopen((void *)csv, len, "r");
	int rc;

	assert_non_null(f);
	ob_import_report_init(rep);
	rc = ob_import_csv(&t->cx, kind, f, &o, rep);
	fclose(f);
	return rc;
}

static bool has(const ob_import_report *rep, const char *text)
{
	if (strstr(ob_buf_cstr(&rep->messages), text))
		return true;
	print_error("messages lack '%s':\n%s", text, ob_buf_cstr(&rep->messages));
	return false;
}

static void test_good_file_imports_every_row_with_audit(void **state)
{
	ob_testdb *t = *state;
	ob_import_report rep;
	counts before = count(t), after;
	char csv[1024];

	snprintf(csv, sizeof csv,
		"Barcode , DONOR,site,type,collected_at,quantity,unit,container,position,sprec\n"
		"%s,D1,REG01,plasma,2024-03-01T08:00:00Z,2,ml,BOX1,A2,PL1-SST-A-B-N-B-D\n"
		"%s,D2,REG02,Fixed Tissue Block,01-02-2024 10:30,1,block,,,\n", bc(1), bc(2));
	assert_int_equal(import_text(t, OB_IMPORT_SPECIMENS, csv, &rep), 0);
	assert_int_equal(rep.imported, 2);
	assert_int_equal(rep.errors, 0);
	after = count(t);
	assert_int_equal(after.specimens, before.specimens + 2);
	assert_int_equal(after.events, before.events + 2);
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM specimen WHERE type = 'ffpe_block'"
		" AND collected_at = '2024-02-01T10:30:00Z'"), 1);
	ob_import_report_dispose(&rep);
}

/* One bad row of each kind: the message names the line and the column,
 * and nothing is written, not even the good row before it. */
static void test_each_bad_row_is_reported_and_nothing_written(void **state)
{
	ob_testdb *t = *state;
	const char *ex = existing(t);
	const char *hdr = "barcode,donor,site,type,collected_at,quantity,unit,parent_barcode,"
		"container,position,sprec\n";
	struct {
		const char *row;  /* the bad row (line 3), "%s" for a fresh barcode */
		const char *want;
	} cases[] = {
		{ "%s,D1,REG01,blood_orange,,1,ml,,,,", "t.csv:3: type: 'blood_orange'" },
		{ "EXISTING_BC,D1,REG01,plasma,,1,ml,,,,", "t.csv:3: barcode:" },
		{ "%s,D1,REG01,plasma,,1,ml,,BOX1,A1,", "t.csv:3: position: A1 of BOX1 is taken" },
		{ "%s,D1,REG01,plasma,,1,ml,T999999999Z,,,", "t.csv:3: parent_barcode:" },
		{ "%s,D3,REG01,plasma,,1,ml,,,,", "t.csv:3: donor:" },
		{ "%s,D1,REG01,plasma,,1,ml,,,,SER-SST-Q-B-N-A-D", "t.csv:3: sprec:" },
		{ "%s,D1,REG01,plasma,2024-02-30,1,ml,,,,", "t.csv:3: collected_at: '2024-02-30'" },
		{ "%s,D1,REG01,plasma,,1.2.3,ml,,,,", "t.csv:3: quantity: '1.2.3' is not a number" },
		{ "%s,D1,REG01,pla\"sma,,1,ml,,,,", "t.csv:3: type: malformed quoting" },
		{ "%s,D1,REG01,plasma,,1,ml", "t.csv:3: parent_barcode: missing" },
		{ "%s,D1,REG01,plasma,,1,ml,,,,,extra", "t.csv:3: row: the row has 12 fields" },
		{ "%s,D9,REG01,plasma,,1,ml,,,,", "t.csv:3: donor: no donor 'D9'" },
		{ "%s,D1,REG01,plasma,,-1,ml,,,,", "t.csv:3: quantity:" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ob_import_report rep;
		counts before = count(t), after;
		char row[256], csv[1024];
		const char *r = cases[i].row;

		if (!strncmp(r, "EXISTING_BC", 11))
			snprintf(row, sizeof row, "%s%s", ex, r + 11);
		else
			snprintf(row, sizeof row, r, bc(100 + (int)i));
		snprintf(csv, sizeof csv, "%s%s,D1,REG01,plasma,,1,ml,,BOX1,B1,\n%s\n", hdr,
			bc(200 + (int)i), row);
		assert_int_equal(import_text(t, OB_IMPORT_SPECIMENS, csv, &rep), OB_EINVALID);
		assert_true(has(&rep, cases[i].want));
		assert_int_equal(rep.errors, 1);
		assert_int_equal(rep.imported, 0);
		after = count(t);
		assert_int_equal(after.specimens, before.specimens);
		assert_int_equal(after.events, before.events);
		assert_non_null(strstr(ob_error_last(), "t.csv: 1 bad row; nothing imported"));
		ob_import_report_dispose(&rep);
	}
}

static void test_duplicate_barcode_within_the_file(void **state)
{
	ob_testdb *t = *state;
	ob_import_report rep;
	counts before = count(t);
	const char *b = bc(300);
	char csv[512];

	snprintf(csv, sizeof csv, "barcode,donor,site,type\n%s,D1,REG01,serum\n%s,D1,REG01,serum\n",
		b, b);
	assert_int_equal(import_text(t, OB_IMPORT_SPECIMENS, csv, &rep), OB_EINVALID);
	assert_true(has(&rep, "t.csv:3: barcode:"));
	assert_true(has(&rep, "exists already"));
	assert_int_equal(count(t).specimens, before.specimens);
	ob_import_report_dispose(&rep);
}

static void test_parent_created_earlier_in_the_same_file(void **state)
{
	ob_testdb *t = *state;
	ob_import_report rep;
	char csv[1024];
	const char *p = bc(400), *a = bc(401), *d = bc(402);

	/* by barcode, and by label (OpenSpecimen's Parent Specimen Label) */
	snprintf(csv, sizeof csv,
		"barcode,label,donor,site,type,quantity,unit,parent_barcode,Parent Specimen Label\n"
		"%s,P-400,D1,REG01,whole_blood,10,ml,,\n"
		"%s,A-401,,,whole_blood,4,ml,%s,\n"
		"%s,D-402,,,DNA,5,ug,,P-400\n", p, a, p, d);
	assert_int_equal(import_text(t, OB_IMPORT_SPECIMENS, csv, &rep), 0);
	assert_int_equal(rep.imported, 3);
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM specimen c JOIN specimen p"
		" ON p.id = c.parent_id WHERE p.label = 'P-400'"), 2);
	assert_int_equal(ob_testdb_count(t, "SELECT quantity FROM specimen WHERE label = 'P-400'"), 6);
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM specimen WHERE label = 'D-402'"
		" AND lineage = 'derivative' AND type = 'dna'"), 1);
	ob_import_report_dispose(&rep);
}

static void test_errors_are_collected_up_to_the_limit(void **state)
{
	ob_testdb *t = *state;
	ob_import_report rep;
	ob_buf csv = OB_BUF_INIT;
	counts before = count(t);
	int lines = 0;

	ob_buf_puts(&csv, "barcode,donor,site,type\n");
	ob_buf_printf(&csv, "%s,D1,REG01,plasma\n", bc(500));
	for (int i = 0; i < 150; i++)
		ob_buf_printf(&csv, ",D1,REG01,nonsense%d\n", i);
	assert_int_equal(import_text(t, OB_IMPORT_SPECIMENS, ob_buf_cstr(&csv), &rep), OB_EINVALID);
	assert_int_equal(rep.errors, 100);
	for (const char *p = ob_buf_cstr(&rep.messages); (p = strchr(p, '\n')); p++)
		lines++;
	assert_int_equal(lines, 100);
	assert_true(has(&rep, "t.csv:3: type: 'nonsense0'"));
	assert_true(has(&rep, "t.csv:102: type: 'nonsense99'"));
	assert_non_null(strstr(ob_error_last(), "stopped at the limit"));
	assert_int_equal(count(t).specimens, before.specimens);
	assert_int_equal(count(t).events, before.events);
	ob_import_report_dispose(&rep);
	ob_buf_dispose(&csv);
}

static void test_validation_goes_on_after_a_bad_row(void **state)
{
	ob_testdb *t = *state;
	ob_import_report rep;
	char csv[1024];

	snprintf(csv, sizeof csv, "barcode,donor,site,type,quantity,unit\n"
		"%s,D1,REG01,plasma,x,ml\n%s,D1,REG01,plasma,1,ml\n%s,D1,REG01,plasma,1,kg\n",
		bc(600), bc(601), bc(602));
	assert_int_equal(import_text(t, OB_IMPORT_SPECIMENS, csv, &rep), OB_EINVALID);
	assert_int_equal(rep.errors, 2);
	assert_true(has(&rep, "t.csv:2: quantity: 'x'"));
	assert_true(has(&rep, "t.csv:4: unit: 'kg'"));
	ob_import_report_dispose(&rep);
}

static void test_bom_is_stripped(void **state)
{
	ob_testdb *t = *state;
	ob_import_report rep;
	char csv[512];

	snprintf(csv, sizeof csv, "\xEF\xBB\xBF" "barcode,donor,site,type\r\n%s,D1,REG01,serum\r\n",
		bc(700));
	assert_int_equal(import_text(t, OB_IMPORT_SPECIMENS, csv, &rep), 0);
	assert_int_equal(rep.imported, 1);
	ob_import_report_dispose(&rep);
}

static void test_quoted_newlines_count_as_lines(void **state)
{
	ob_testdb *t = *state;
	ob_import_report rep;
	char csv[512];

	/* the label of line 2 runs over three lines: the next row is on line 5
	 * (a label is one line, so both are refused, each where it starts) */
	snprintf(csv, sizeof csv, "barcode,label,donor,site,type\n"
		"%s,\"two\nmore\nlines\",D1,REG01,serum\n"
		",\"x\ny\",D1,REG01,serum\n", bc(800));
	assert_int_equal(import_text(t, OB_IMPORT_SPECIMENS, csv, &rep), OB_EINVALID);
	assert_true(has(&rep, "t.csv:2: label:"));
	assert_true(has(&rep, "t.csv:5: label:"));
	ob_import_report_dispose(&rep);
}

static void test_unclosed_quote_at_end_of_file(void **state)
{
	ob_testdb *t = *state;
	ob_import_report rep;

	assert_int_equal(import_text(t, OB_IMPORT_SPECIMENS,
		"barcode,donor,site,type\n,D1,REG01,\"serum\n", &rep), OB_EINVALID);
	assert_true(has(&rep, "t.csv:2:"));
	ob_import_report_dispose(&rep);
}

static void test_unknown_column_is_named(void **state)
{
	ob_testdb *t = *state;
	ob_import_report rep;

	assert_int_equal(import_text(t, OB_IMPORT_SPECIMENS,
		"barcode,donor,site,type,colour,First Name\n,D1,REG01,serum,red,Jane\n", &rep),
		OB_EINVALID);
	assert_true(has(&rep, "t.csv:1: header: unknown column 'colour'"));
	ob_import_report_dispose(&rep);
	/* a known OpenSpecimen column without meaning here is a warning */
	assert_int_equal(import_text(t, OB_IMPORT_SPECIMENS,
		"barcode,donor,site,type,First Name\n,D1,REG01,serum,Jane\n", &rep), 0);
	assert_non_null(strstr(ob_buf_cstr(&rep.warnings), "'First Name'"));
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM specimen WHERE label IS NULL"
		" AND type = 'serum'"), 1);
	ob_import_report_dispose(&rep);
}

static void test_openspecimen_aliases(void **state)
{
	ob_testdb *t = *state;
	ob_import_report rep;

	assert_int_equal(import_text(t, OB_IMPORT_SPECIMENS,
		"CP Short Title,PPID,Collection Site,Specimen Label,Class,Type,Lineage,"
		"Parent Specimen Label,Anatomic Site,Pathological Status,Quantity,Concentration,"
		"Freeze/Thaw Cycles,Container,Row,Column,Collection Date\n"
		"CP,D1,REG01,OS-1,Fluid,Whole Blood,New,,Blood,Non-Malignant,5,,1,BOX1,C,3,"
		"02-03-2016 09:05\n"
		"CP,,,OS-2,Molecular,DNA,Derived,OS-1,,Malignant,10,50.5,,,,,\n", &rep), 0);
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM specimen WHERE label = 'OS-1'"
		" AND type = 'whole_blood' AND pathology = 'normal' AND unit = 'ml' AND quantity = 5"
		" AND freeze_thaw = 1 AND position = 'C3' AND collected_at = '2016-03-02T09:05:00Z'"), 1);
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM specimen WHERE label = 'OS-2'"
		" AND type = 'dna' AND lineage = 'derivative' AND unit = 'ug' AND pathology = 'tumour'"
		" AND concentration = 50.5"), 1);
	ob_import_report_dispose(&rep);
}

static void test_sites_donors_consents_containers(void **state)
{
	ob_testdb *t = *state;
	ob_import_report rep;
	counts before = count(t);

	assert_int_equal(import_text(t, OB_IMPORT_SITES,
		"code,name,kind,parent\nHOS02,Hospital 2,hospital,REG02\n", &rep), 0);
	ob_import_report_dispose(&rep);
	assert_int_equal(import_text(t, OB_IMPORT_DONORS,
		"Registration Site,PPID,Gender,Date Of Birth\nHOS02,P1,Female,14-07-1980\n", &rep), 0);
	ob_import_report_dispose(&rep);
	assert_int_equal(ob_testdb_count(t, "SELECT birth_year FROM donor WHERE code = 'P1'"), 1980);
	assert_int_equal(import_text(t, OB_IMPORT_CONSENTS,
		"site,donor,form_version,signed_on,scope\nHOS02,P1,v3,2024-05-01,storage;genetic\n",
		&rep), 0);
	ob_import_report_dispose(&rep);
	assert_int_equal(import_text(t, OB_IMPORT_CONTAINERS,
		"barcode,kind,parent,rows,cols,scheme\nRACK9,rack,FRZ1,,,\nBOX9,box,RACK9,2,2,1-1\n",
		&rep), 0);
	ob_import_report_dispose(&rep);
	assert_int_equal(count(t).containers, before.containers + 2);
	assert_int_equal(count(t).consents, before.consents + 1);
	/* a bad container row rolls back the good one before it */
	before = count(t);
	assert_int_equal(import_text(t, OB_IMPORT_CONTAINERS,
		"barcode,kind,parent,rows,cols\nBOX10,box,RACK9,2,2\nBOX11,box,RACK9,0,2\n", &rep),
		OB_EINVALID);
	assert_true(has(&rep, "t.csv:3: rows:"));
	assert_int_equal(count(t).containers, before.containers);
	ob_import_report_dispose(&rep);
}

static char *export_all(ob_testdb *t, ob_import_kind kind)
{
	char *text = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&text, &n);

	assert_int_equal(ob_export(&t->cx, kind, NULL, OB_EXPORT_CSV, f, NULL), 0);
	fclose(f);
	return text;
}

/* Export, import into an empty database, export again: the same bytes. */
static void test_export_then_import_gives_the_same_data(void **state)
{
	ob_testdb *t = *state, u;
	ob_import_kind order[] = { OB_IMPORT_SITES, OB_IMPORT_DONORS, OB_IMPORT_DIAGNOSES,
		OB_IMPORT_CONTAINERS, OB_IMPORT_CONSENTS, OB_IMPORT_SPECIMENS, OB_IMPORT_CONSENTS };
	char *a[7], *b[7];
	char csv[1024];
	ob_import_report rep;
	const char *p = bc(900);

	/* lineage with a depleted parent, a position, a status */
	snprintf(csv, sizeof csv, "barcode,label,donor,site,type,quantity,unit,parent_barcode,"
		"container,position,status\n"
		"%s,RT-P,D1,REG01,plasma,1.5,ml,,BOX1,D4,\n"
		"%s,RT-A1,,,plasma,0.5,ml,%s,BOX1,D5,reserved\n"
		"%s,RT-A2,,,plasma,1,ml,%s,,,missing\n", p, bc(901), p, bc(902), p);
	assert_int_equal(import_text(t, OB_IMPORT_SPECIMENS, csv, &rep), 0);
	ob_import_report_dispose(&rep);
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM specimen WHERE label = 'RT-P'"
		" AND status = 'depleted'"), 1);
	/* the held-back status was set, and its waiting room emptied */
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM specimen WHERE label = 'RT-A2'"
		" AND status = 'missing'"), 1);
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM import_deferred_status"), 0);

	assert_int_equal(ob_donor_diagnose(&t->cx, "REG01", "D1", "C50.9", "8500/3", "2023-05-02"), 0);

	ob_testdb_open(&u);
	for (int i = 0; i < 7; i++) {
		ob_import_opts o = { "rt.csv", 0, OB_DATE_DMY,
			i == 4 ? OB_CONSENT_PHASE_SIGNED : OB_CONSENT_PHASE_WITHDRAWALS };
		FILE *f;

		a[i] = export_all(t, order[i]);
		f = fmemopen(a[i], strlen(a[i]), "r");
		ob_import_report_init(&rep);
		if (ob_import_csv(&u.cx, order[i], f, &o, &rep) != 0)
			fail_msg("round trip %d: %s\n%s", i, ob_error_last(), ob_buf_cstr(&rep.messages));
		fclose(f);
		ob_import_report_dispose(&rep);
	}
	for (int i = 0; i < 6; i++) {
		b[i] = export_all(&u, order[i]);
		assert_string_equal(a[i], b[i]);
	}
	for (int i = 0; i < 7; i++)
		free(a[i]);
	for (int i = 0; i < 6; i++)
		free(b[i]);
	ob_testdb_close(&u);
}

/* OpenSpecimen's Initial and Available Quantity: what it had and has. */
static void test_initial_and_available_quantity(void **state)
{
	ob_testdb *t = *state;
	ob_import_report rep;
	char csv[512];

	static const char head[] = "Barcode,PPID,Collection Site,Type,Initial Quantity,"
		"Available Quantity,unit\n";

	/* more available than there ever was: refused */
	snprintf(csv, sizeof csv, "%s%s,D1,REG01,Serum,1,1.5,ml\n", head, bc(952));
	assert_int_equal(import_text(t, OB_IMPORT_SPECIMENS, csv, &rep), OB_EINVALID);
	assert_true(has(&rep, "t.csv:2: initial_quantity:"));
	ob_import_report_dispose(&rep);
	snprintf(csv, sizeof csv, "%s%s,D1,REG01,Serum,2,0.5,ml\n%s,D1,REG01,Serum,2,,ml\n",
		head, bc(950), bc(951));
	assert_int_equal(import_text(t, OB_IMPORT_SPECIMENS, csv, &rep), 0);
	ob_import_report_dispose(&rep);
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM specimen WHERE initial_quantity = 2"
		" AND quantity = 0.5"), 1);
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM specimen WHERE initial_quantity = 2"
		" AND quantity = 2 AND type = 'serum'"), 1);
}

/* Every cell is text as docs/api.md defines it: a NUL byte is an error at
 * its line and column, not the end of a shorter value; invalid UTF-8, a
 * control character and an over-long value too; quantities are
 * quantities. Nothing is written. */
static void test_cells_are_text_and_quantities_are_quantities(void **state)
{
	ob_testdb *t = *state;
	static const char head[] = "barcode,donor,site,type,quantity,unit,label\n";
	struct {
		const char *row;  /* "%s" for a fresh barcode; '|' stands for a NUL byte */
		const char *want;
	} cases[] = {
		{ "%s,D1,REG01,plasma,1,ml,ab|cd", "t.csv:2: label: a NUL byte at byte 3" },
		{ "%s,D1,REG01,plasma,1,ml,\"ab|\"", "t.csv:2: label: a NUL byte at byte 3" },
		{ "%s,D1,REG01,plasma,1,ml,caf\xe9", "t.csv:2: label: not valid UTF-8 at byte 4" },
		{ "%s,D1,REG01,plasma,1,ml,\xc0\xae", "t.csv:2: label: not valid UTF-8 at byte 1" },
		{ "%s,D1,REG01,plasma,1,ml,a\x1b[2Jb", "t.csv:2: label: a control character" },
		{ "%s,D1,REG\x7f" "01,plasma,1,ml,", "t.csv:2: site: a control character" },
		{ "%s,D1,REG01,plasma,1e308,ml,", "t.csv:2: quantity: 1e+308 ml is more than" },
		{ "%s,D1,REG01,plasma,0,ml,", "t.csv:2: quantity: 0 is not a quantity" },
		{ "%s,D1,REG01,plasma,-0.5,ml,", "t.csv:2: quantity: -0.5 is not a quantity" },
	};
	counts before = count(t), after;
	ob_import_report rep;
	char *big;
	size_t n;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char csv[512];
		int len = snprintf(csv, sizeof csv, "%s", head);
		len += snprintf(csv + len, sizeof csv - (size_t)len, cases[i].row, bc(960 + (int)i));
		csv[len++] = '\n';
		for (int k = 0; k < len; k++)
			if (csv[k] == '|')
				csv[k] = '\0';
		assert_int_equal(import_bytes(t, OB_IMPORT_SPECIMENS, csv, (size_t)len, &rep),
			OB_EINVALID);
		assert_true(has(&rep, cases[i].want));
		ob_import_report_dispose(&rep);
	}
	/* A 1 MB label. */
	big = malloc(2u << 20);
	assert_non_null(big);
	n = (size_t)snprintf(big, 4096, "%s%s,D1,REG01,plasma,1,ml,", head, bc(980));
	memset(big + n, 'x', 1u << 20);
	n += 1u << 20;
	big[n++] = '\n';
	assert_int_equal(import_bytes(t, OB_IMPORT_SPECIMENS, big, n, &rep), OB_EINVALID);
	assert_true(has(&rep, "t.csv:2: label: 1048576 bytes is longer than the 64"));
	ob_import_report_dispose(&rep);
	free(big);
	/* A header cell with a control character stops the import. */
	assert_int_equal(import_text(t, OB_IMPORT_SPECIMENS, "barcode,do\x01nor\n", &rep),
		OB_EINVALID);
	assert_true(has(&rep, "t.csv:1: header: a control character (U+0001) at byte 3"));
	ob_import_report_dispose(&rep);
	after = count(t);
	assert_int_equal(after.specimens, before.specimens);
	assert_int_equal(after.events, before.events);
}

/* Diagnoses import all-or-nothing and export in the same columns. */
static void test_diagnoses_import_and_export(void **state)
{
	ob_testdb *t = *state;
	ob_import_report rep;
	char *out;

	assert_int_equal(import_text(t, OB_IMPORT_DIAGNOSES,
		"site,donor,topography,morphology,diagnosed_on\n"
		"REG01,D1,C50.9,8500/3,2023-05-02\n"
		"REG01,D1,C5O.9,8500/3,\n", &rep), OB_EINVALID);
	assert_true(has(&rep, "t.csv:3: topography:"));
	ob_import_report_dispose(&rep);
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM diagnosis"), 0);

	assert_int_equal(import_text(t, OB_IMPORT_DIAGNOSES,
		"site,donor,topography,morphology,diagnosed_on\n"
		"REG01,D1,C50.9,8500/3,2023-05-02\n"
		"REG01,D1,C73.9,8345/3,\n", &rep), 0);
	ob_import_report_dispose(&rep);
	out = export_all(t, OB_IMPORT_DIAGNOSES);
	assert_string_equal(out, "site,donor,topography,morphology,diagnosed_on\r\n"
		"REG01,D1,C50.9,8500/3,2023-05-02T00:00:00Z\r\n"
		"REG01,D1,C73.9,8345/3,\r\n");
	free(out);
}

/* ---- corrections by CSV (ob_import_corrections) ---- */

static int correct_text(ob_testdb *t, const char *csv, ob_import_report *rep)
{
	ob_import_opts o = { "u.csv", 0, OB_DATE_DMY, OB_CONSENT_PHASE_ALL };
	FILE *f = fmemopen((void *)csv, strlen(csv), "r");
	int rc;

	assert_non_null(f);
	ob_import_report_init(rep);
	rc = ob_import_corrections(&t->cx, f, &o, rep);
	fclose(f);
	return rc;
}

/* A primary tissue specimen to correct, made by the create import. */
static void tissue(ob_testdb *t, const char *barcode)
{
	ob_import_report rep;
	char csv[256];

	snprintf(csv, sizeof csv, "barcode,donor,site,type,pathology,tumour_pct,quantity,unit,"
		"collected_at\n%s,D1,REG01,fresh_frozen,tumour,50,200,mg,2024-03-01\n", barcode);
	assert_int_equal(import_text(t, OB_IMPORT_SPECIMENS, csv, &rep), 0);
	ob_import_report_dispose(&rep);
}

static void test_corrections_change_named_fields_and_keep_the_rest(void **state)
{
	ob_testdb *t = *state;
	ob_import_report rep;
	char csv[512], q[256];
	const char *a = bc(960), *sp1 = existing(t);

	tissue(t, a);
	/* aliases and the create import's spellings: "Pathological Status"
	 * normal, a dd-mm-yyyy date; empty cells leave their fields alone */
	snprintf(csv, sizeof csv, "Barcode,tumour_pct,Specimen Label,Pathological Status,"
		"Collection Date,reason\n%s,60,T-7,,02-03-2024,pathology review\n"
		"%s,,RELABELLED,,,label was wrong\n", a, sp1);
	assert_int_equal(correct_text(t, csv, &rep), 0);
	assert_int_equal(rep.imported, 2);
	assert_int_equal(rep.rows, 2);
	ob_import_report_dispose(&rep);
	snprintf(q, sizeof q, "SELECT COUNT(*) FROM specimen WHERE barcode = '%s' AND tumour_pct = 60"
		" AND label = 'T-7' AND pathology = 'tumour' AND quantity = 200"
		" AND collected_at = '2024-03-02T00:00:00Z'", a);
	assert_int_equal(ob_testdb_count(t, q), 1);
	snprintf(q, sizeof q, "SELECT COUNT(*) FROM specimen s JOIN container c ON c.id ="
		" s.container_id WHERE s.barcode = '%s' AND s.label = 'RELABELLED' AND s.quantity = 2"
		" AND c.barcode = 'BOX1' AND s.position = 'A1'", sp1);
	assert_int_equal(ob_testdb_count(t, q), 1);
	/* one "correct" event per row, each with its row's reason */
	snprintf(q, sizeof q, "SELECT COUNT(*) FROM audit_event WHERE action = 'correct' AND"
		" entity_key = '%s' AND reason = 'pathology review'", a);
	assert_int_equal(ob_testdb_count(t, q), 1);
	snprintf(q, sizeof q, "SELECT COUNT(*) FROM audit_event WHERE action = 'correct' AND"
		" entity_key = '%s' AND reason = 'label was wrong'", sp1);
	assert_int_equal(ob_testdb_count(t, q), 1);
}

static void test_a_bad_correction_row_changes_nothing(void **state)
{
	ob_testdb *t = *state;
	ob_import_report rep;
	char csv[768], q[256];
	const char *a = bc(961), *sp1 = existing(t);
	counts before;

	tissue(t, a);
	before = count(t);
	snprintf(csv, sizeof csv, "barcode,tumour_pct,quantity,reason\n"
		"%s,60,,fine\n"           /* 2: good, but the file is refused */
		"%s,70,,\n"               /* 3: no reason */
		"%s,,,wrong\n"            /* 4: nothing to correct */
		"NOSUCH1,10,,wrong\n"     /* 5: no such specimen */
		"%s,lots,,bad value\n"    /* 6: not a number */
		"%s,,-1,bad value\n"      /* 7: a quantity the rules forbid */
		",10,,no barcode\n"       /* 8 */
		"%s,60,,same value\n",    /* 9: what line 2 made it already */
		a, a, a, a, sp1, a);
	assert_int_equal(correct_text(t, csv, &rep), OB_EINVALID);
	assert_true(has(&rep, "u.csv:3: reason: a correction needs a reason"));
	assert_true(has(&rep, "u.csv:4: row: nothing to correct"));
	assert_true(has(&rep, "u.csv:5: barcode: no specimen has barcode 'NOSUCH1'"));
	assert_true(has(&rep, "u.csv:6: tumour_pct: 'lots' is not a number"));
	assert_true(has(&rep, "u.csv:7: quantity:"));
	assert_true(has(&rep, "u.csv:8: barcode: the barcode of the specimen to correct is required"));
	assert_true(has(&rep, "u.csv:9: tumour_pct:"));
	assert_int_equal(rep.errors, 7);
	assert_int_equal(rep.imported, 0);
	assert_string_equal(ob_error_last(), "u.csv: 7 bad rows; nothing corrected");
	ob_import_report_dispose(&rep);
	snprintf(q, sizeof q, "SELECT COUNT(*) FROM specimen WHERE barcode = '%s' AND tumour_pct = 50",
		a);
	assert_int_equal(ob_testdb_count(t, q), 1);
	assert_int_equal(count(t).events, before.events);
}

/* Only correctable fields: a status, a place, a lineage are changed
 * otherwise, and the file says so at its header before any row runs. */
static void test_columns_a_correction_cannot_change_refuse_the_file(void **state)
{
	ob_testdb *t = *state;
	ob_import_report rep;
	char csv[256];
	const char *sp1 = existing(t);

	snprintf(csv, sizeof csv, "barcode,status,Location#Position,donor,reason\n"
		"%s,destroyed,B1,D2,oops\n", sp1);
	assert_int_equal(correct_text(t, csv, &rep), OB_EINVALID);
	assert_true(has(&rep, "u.csv:1: status: not correctable here; use specimen status"));
	assert_true(has(&rep, "u.csv:1: position: not correctable here; use container move"));
	assert_true(has(&rep, "u.csv:1: donor: not correctable here\n"));
	assert_int_equal(rep.rows, 0);
	ob_import_report_dispose(&rep);
	snprintf(csv, sizeof csv, "barcode,label\n%s,X\n", sp1);
	assert_int_equal(correct_text(t, csv, &rep), OB_EINVALID);
	assert_true(has(&rep, "u.csv:1: header: the required column 'reason' is missing"));
	ob_import_report_dispose(&rep);
	/* reason is a column of an update file only: the create import warns
	 * about OpenSpecimen's Reason as before */
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM specimen WHERE label = 'X'"), 0);
}

/* Every field the export writes is a column of the import: a field added
 * to specimen.h needs no edit in csvimport.c. */
static void test_every_csv_field_is_an_import_column(void **state)
{
	ob_testdb *t = *state;
	ob_import_report rep;
	ob_buf csv = OB_BUF_INIT;

	for (const ob_field *f = ob_specimen_fields; f->name; f++)
		if (f->flags & OB_F_CSV)
			ob_buf_printf(&csv, "%s%s", csv.len ? "," : "", ob_specimen_csv_column(f));
	ob_buf_puts(&csv, "\n");
	assert_int_equal(import_text(t, OB_IMPORT_SPECIMENS, ob_buf_cstr(&csv), &rep), 0);
	assert_int_equal(rep.rows, 0);
	ob_import_report_dispose(&rep);
	ob_buf_dispose(&csv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_good_file_imports_every_row_with_audit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_each_bad_row_is_reported_and_nothing_written, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_barcode_within_the_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parent_created_earlier_in_the_same_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors_are_collected_up_to_the_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_validation_goes_on_after_a_bad_row, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bom_is_stripped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_quoted_newlines_count_as_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unclosed_quote_at_end_of_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_column_is_named, setup, teardown),
		cmocka_unit_test_setup_teardown(test_openspecimen_aliases, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sites_donors_consents_containers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_export_then_import_gives_the_same_data, setup, teardown),
		cmocka_unit_test_setup_teardown(test_diagnoses_import_and_export, setup, teardown),
		cmocka_unit_test_setup_teardown(test_initial_and_available_quantity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrections_change_named_fields_and_keep_the_rest,
			setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_bad_correction_row_changes_nothing, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_columns_a_correction_cannot_change_refuse_the_file,
			setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_csv_field_is_an_import_column, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cells_are_text_and_quantities_are_quantities, setup,
			teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
