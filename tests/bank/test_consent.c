/*
 * test_consent.c - consent forms, coded statements, the rule that turns
 * answers into permitted uses, full and partial withdrawals, and every
 * place that checks consent (new specimens, distribution, sequencing,
 * search, labels), through the domain API on a temporary database.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "support/testdb.h"
#include "bank/audit.h"
#include "bank/consent.h"
#include "bank/donor.h"
#include "bank/label.h"
#include "bank/sequencing.h"
#include "bank/specimen.h"
#include "base/error.h"
#include "store/store.h"

#include <math.h>
#include <string.h>

static const char vcf[] = "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n";

/* Form v4: STORE covers storage and research, DNA genetic research,
 * SHARE data sharing and genetic research (a second statement covering
 * genetic), FIND the return of incidental findings. */
static const ob_consent_statement v4[] = {
	{ "STORE", "My samples may be stored and used for research.", "我同意保存并用于研究。",
	  OB_USE_STORAGE | OB_USE_RESEARCH },
	{ "DNA", "My samples may be used for genetic research.", NULL, OB_USE_GENETIC },
	{ "SHARE", "My genetic data may be shared outside the network.", NULL,
	  OB_USE_SHARING | OB_USE_GENETIC },
	{ "FIND", "I want to learn of incidental findings.", NULL, OB_USE_FINDINGS },
};

/* Form v5 asks about transfer: STORE covers storage and research, MOVE the
 * transfer to other sites of the network. */
static const ob_consent_statement v5[] = {
	{ "STORE", "My samples may be stored and used for research.", NULL,
	  OB_USE_STORAGE | OB_USE_RESEARCH },
	{ "MOVE", "My samples may be sent to other centres of the network for storage and"
	  " research.", "我同意我的样本被送往本网络的其他中心保存和用于研究。", OB_USE_TRANSFER },
};

static int setup(void **state)
{
	static ob_testdb t;

	ob_testdb_open(&t);
	ob_testdb_network(&t);
	assert_int_equal(ob_consent_form_add(&t.cx, "v4", "Biobank consent 4", "2024-01-01", v4,
		4, NULL), 0);
	*state = &t;
	return 0;
}

static int teardown(void **state)
{
	ob_testdb_close(*state);
	return 0;
}

static ob_ctx as(ob_testdb *t, unsigned role, const char *site, const char *path)
{
	ob_ctx cx = t->cx;

	cx.actor = "manager1";
	cx.role = role;
	cx.actor_site = site;
	cx.scope = path;
	return cx;
}

static int mask_of(ob_testdb *t, const char *site, const char *code)
{
	int64_t id;
	int mask = -1;
	bool wd;

	assert_int_equal(ob_donor_lookup(&t->cx, site, code, &id), 0);
	assert_int_equal(ob_donor_consent(&t->cx, id, &mask, &wd), 0);
	return mask;
}

static int sign(ob_testdb *t, const char *donor, const char *day, const ob_consent_response *r,
                size_t n)
{
	ob_consent_signing sg = { "v4", day, "Nurse Li", r, n, false };

	return ob_consent_sign(&t->cx, "REG01", donor, &sg, NULL);
}

static char *specimen(ob_testdb *t, const char *site, const char *donor, const char *type,
                      char *barcode)
{
	ob_specimen_new s;

	ob_specimen_new_init(&s);
	s.site = site;
	s.donor = donor;
	s.donor_site = "REG01";
	s.type = type;
	s.quantity = 2;
	s.unit = "ml";
	s.collected_at = "2024-05-01T08:00:00Z";
	assert_int_equal(ob_specimen_create(&t->cx, &s, NULL, barcode), 0);
	return barcode;
}

/* A DNA extract of parent. */
static char *dna_of(ob_testdb *t, const char *parent, char *barcode)
{
	ob_specimen_new s;

	ob_specimen_new_init(&s);
	s.parent = parent;
	s.type = "dna";
	s.quantity = 10;
	s.unit = "ug";
	assert_int_equal(ob_specimen_create(&t->cx, &s, NULL, barcode), 0);
	return barcode;
}

static int seq_add(ob_testdb *t, const char *barcode)
{
	ob_seq_new in = { barcode, "germline", "HBOC panel", NULL, NAN, NULL, "GRCh38", "x.vcf" };

	return ob_seq_add(&t->cx, &in, vcf, sizeof vcf - 1, NULL);
}

static void audit_intact(ob_testdb *t)
{
	ob_buf out = OB_BUF_INIT;

	assert_int_equal(ob_audit_verify(&t->cx, &out), 0);
	ob_buf_dispose(&out);
}

static void test_forms_refuse_bad_statements(void **state)
{
	ob_testdb *t = *state;
	ob_consent_statement bad[2] = { v4[0], v4[1] };
	long long forms = ob_testdb_count(t, "SELECT COUNT(*) FROM consent_form");

	bad[1].code = "dna";
	assert_int_equal(ob_consent_form_add(&t->cx, "v5", "t", NULL, bad, 2, NULL), OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), "statements: code 'dna'"));
	bad[1].code = "STORE";
	assert_int_equal(ob_consent_form_add(&t->cx, "v5", "t", NULL, bad, 2, NULL), OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), "appears twice"));
	bad[1] = v4[1];
	bad[1].uses = 0;
	assert_int_equal(ob_consent_form_add(&t->cx, "v5", "t", NULL, bad, 2, NULL), OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), "covers no use"));
	bad[1] = v4[1];
	bad[1].text = "";
	assert_int_equal(ob_consent_form_add(&t->cx, "v5", "t", NULL, bad, 2, NULL), OB_EINVALID);
	assert_int_equal(ob_consent_form_add(&t->cx, "v5", "t", NULL, bad, 0, NULL), OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), "statements:"));
	assert_int_equal(ob_consent_form_add(&t->cx, "v5", "", NULL, v4, 1, NULL), OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), "title:"));
	assert_int_equal(ob_consent_form_add(&t->cx, "v5", "t", "yesterday", v4, 1, NULL),
		OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), "effective_on:"));
	assert_int_equal(ob_consent_form_add(&t->cx, "v4", "again", NULL, v4, 1, NULL), OB_EEXISTS);
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM consent_form"), forms);

	ob_consent_form f;
	assert_int_equal(ob_consent_form_read(&t->cx, "v4", &f), 0);
	assert_int_equal(f.nstatements, 4);
	assert_string_equal(f.statements[0].code, "STORE");
	assert_string_equal(f.statements[0].text_zh, "我同意保存并用于研究。");
	assert_null(f.statements[1].text_zh);
	assert_int_equal(f.statements[2].uses, OB_USE_SHARING | OB_USE_GENETIC);
	ob_consent_form_free(&f);
	assert_int_equal(ob_consent_form_read(&t->cx, "v9", &f), OB_ENOTFOUND);
	assert_non_null(strstr(ob_error_last(), "form_version:"));
}

static void test_responses_name_statements_of_the_form(void **state)
{
	ob_testdb *t = *state;
	const ob_consent_response foo[] = { { "STORE", "yes" }, { "FOO", "yes" } };
	const ob_consent_response word[] = { { "STORE", "maybe" } };
	const ob_consent_response twice[] = { { "STORE", "yes" }, { "STORE", "no" } };
	long long n = ob_testdb_count(t, "SELECT COUNT(*) FROM consent");

	assert_int_equal(sign(t, "D1", "2024-06-01", foo, 2), OB_EINVALID);
	assert_string_equal(ob_error_last(), "responses: form v4 has no statement 'FOO'");
	assert_int_equal(sign(t, "D1", "2024-06-01", word, 1), OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), "responses: STORE"));
	assert_int_equal(sign(t, "D1", "2024-06-01", twice, 2), OB_EINVALID);
	assert_int_equal(sign(t, "D1", "2199-06-01", foo, 1), OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), "signed_on:"));
	assert_int_equal(sign(t, "D1", "1960-06-01", foo, 1), OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), "before the donor's birth"));
	ob_consent_signing sg = { "v9", "2024-06-01", NULL, foo, 1, false };
	assert_int_equal(ob_consent_sign(&t->cx, "REG01", "D1", &sg, NULL), OB_ENOTFOUND);
	assert_non_null(strstr(ob_error_last(), "form_version: no consent form 'v9'"));
	/* nothing was written, the donor keeps the legacy consent's uses
	 * (transfer with storage: the legacy form has no transfer statement) */
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM consent"), n);
	assert_int_equal(mask_of(t, "REG01", "D1"), OB_USE_STORAGE | OB_USE_RESEARCH
		| OB_USE_GENETIC | OB_USE_SHARING | OB_USE_TRANSFER);
}

static void test_the_rule_needs_every_covering_statement(void **state)
{
	ob_testdb *t = *state;
	const ob_consent_response r[] = { { "STORE", "yes" }, { "DNA", "yes" } };
	const ob_consent_response all[] = { { "STORE", "yes" }, { "DNA", "yes" },
		{ "SHARE", "yes" }, { "FIND", "no" } };
	ob_donor_full f;

	/* SHARE unanswered: not_asked; genetic is covered by SHARE too (v4
	 * asks nothing of transfer: it comes with storage) */
	assert_int_equal(sign(t, "D1", "2024-06-01", r, 2), 0);
	assert_int_equal(mask_of(t, "REG01", "D1"), OB_USE_STORAGE | OB_USE_RESEARCH
		| OB_USE_TRANSFER);
	assert_int_equal(ob_donor_full_read(&t->cx, "REG01", "D1", &f), 0);
	const ob_consent_record *c = &f.consents[f.nconsents - 1];
	assert_string_equal(c->form_version, "v4");
	assert_string_equal(c->witness, "Nurse Li");
	assert_non_null(c->recorded_by);
	assert_int_equal(c->nanswers, 4);
	assert_string_equal(c->answers[2].code, "SHARE");
	assert_string_equal(c->answers[2].response, "not_asked");
	assert_string_equal(c->answers[3].response, "not_asked");
	ob_donor_full_free(&f);
	/* a later consent is the current one */
	assert_int_equal(sign(t, "D1", "2024-07-01", all, 4), 0);
	assert_int_equal(mask_of(t, "REG01", "D1"), OB_USE_STORAGE | OB_USE_RESEARCH
		| OB_USE_GENETIC | OB_USE_SHARING | OB_USE_TRANSFER);
	audit_intact(t);
	/* each response is audited */
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM audit_event WHERE entity ="
		" 'consent_response' AND action = 'create'"), ob_testdb_count(t, "SELECT COUNT(*)"
		" FROM consent_response"));
}

static void test_legacy_scope_answers_the_statements(void **state)
{
	ob_testdb *t = *state;

	/* an unknown form gets the five legacy statements */
	assert_int_equal(ob_consent_add(&t->cx, "REG02", "D2", "v2.9", "2024-06-01",
		OB_CONSENT_STORAGE | OB_CONSENT_GENETIC, NULL), 0);
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM consent_statement t JOIN"
		" consent_form f ON f.id = t.form_id WHERE f.version = 'v2.9'"), 5);
	assert_int_equal(mask_of(t, "REG02", "D2"), OB_USE_STORAGE | OB_USE_GENETIC
		| OB_USE_TRANSFER);
	/* a form's statement is yes only when all its uses are in the scope */
	assert_int_equal(ob_consent_add(&t->cx, "REG02", "D2", "v4", "2024-07-01",
		OB_USE_STORAGE | OB_USE_GENETIC | OB_USE_FINDINGS, NULL), 0);
	assert_int_equal(mask_of(t, "REG02", "D2"), OB_USE_FINDINGS);
	assert_int_equal(ob_consent_add(&t->cx, "REG02", "D2", "v4", "2024-08-01", OB_USE_ALL,
		NULL), 0);
	assert_int_equal(mask_of(t, "REG02", "D2"), OB_USE_STORAGE | OB_USE_RESEARCH
		| OB_USE_GENETIC | OB_USE_SHARING | OB_USE_FINDINGS | OB_USE_TRANSFER);
	int m;
	assert_int_equal(ob_consent_scope_parse("storage, commercial;findings", &m), 0);
	assert_int_equal(m, OB_USE_STORAGE | OB_USE_COMMERCIAL | OB_USE_FINDINGS);
	assert_int_equal(ob_consent_scope_parse("storage,everything", &m), OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), "scope: 'everything'"));
	audit_intact(t);
}

static void test_partial_withdrawal_blocks_genetic_only(void **state)
{
	ob_testdb *t = *state;
	const ob_consent_response all[] = { { "STORE", "yes" }, { "DNA", "yes" },
		{ "SHARE", "yes" } };
	char dna[40], plasma[40], later[40];
	ob_ctx mgr = as(t, OB_ROLE_MANAGER, "REG01", "/NCC/REG01/");

	assert_int_equal(sign(t, "D1", "2024-06-01", all, 3), 0);
	specimen(t, "REG01", "D1", "plasma", plasma);
	dna_of(t, plasma, dna);
	assert_int_equal(seq_add(t, dna), 0);
	/* bad input changes nothing */
	assert_int_equal(ob_consent_withdraw_statement(&mgr, "REG01", "D1", "FOO", NULL, "asked"),
		OB_EINVALID);
	assert_string_equal(ob_error_last(), "statement: form v4 has no statement 'FOO'");
	assert_int_equal(ob_consent_withdraw_statement(&mgr, "REG01", "D1", "DNA", NULL, ""),
		OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), "reason:"));
	assert_int_equal(ob_consent_withdraw_statement(&mgr, "REG01", "D1", "DNA", "2199-01-01",
		"asked"), OB_EINVALID);
	assert_int_equal(mask_of(t, "REG01", "D1"), OB_USE_STORAGE | OB_USE_RESEARCH
		| OB_USE_GENETIC | OB_USE_SHARING | OB_USE_TRANSFER);
	/* withdrawn: genetic and sharing (SHARE needs nothing of DNA but
	 * covers genetic; DNA's no blocks genetic; sharing stays) */
	assert_int_equal(ob_consent_withdraw_statement(&mgr, "REG01", "D1", "DNA", "2024-09-01",
		"no more genetics"), 0);
	assert_int_equal(mask_of(t, "REG01", "D1"), OB_USE_STORAGE | OB_USE_RESEARCH
		| OB_USE_SHARING | OB_USE_TRANSFER);
	assert_int_equal(ob_consent_withdraw_statement(&mgr, "REG01", "D1", "DNA", NULL, "again"),
		OB_ECONFLICT);
	/* sequencing refused, distribution and new specimens allowed */
	assert_int_equal(seq_add(t, dna), OB_ECONFLICT);
	assert_non_null(strstr(ob_error_last(), "genetic research"));
	assert_int_equal(ob_specimen_set_status(&t->cx, plasma, "reserved", "project P"), 0);
	assert_int_equal(ob_specimen_set_status(&t->cx, plasma, "distributed", "project P"), 0);
	specimen(t, "REG01", "D1", "serum", later);
	/* the stored result is flagged */
	ob_seq r;
	assert_int_equal(ob_seq_get(&t->cx, 1, &r, NULL), 0);
	assert_string_equal(r.consent, "genetic research not permitted");
	/* the answer is stamped */
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM consent_response r JOIN"
		" consent_statement s ON s.id = r.statement_id WHERE s.code = 'DNA' AND r.response"
		" = 'no' AND r.withdrawn_on LIKE '2024-09-01%' AND r.withdrawn_by = 'manager1'"), 1);
	audit_intact(t);
}

static void test_research_and_storage_follow_the_statements(void **state)
{
	ob_testdb *t = *state;
	const ob_consent_response no_store[] = { { "STORE", "no" }, { "DNA", "yes" } };
	char plasma[40];
	ob_specimen_new s;

	specimen(t, "REG01", "D1", "plasma", plasma);
	assert_int_equal(sign(t, "D1", "2024-06-01", no_store, 2), 0);
	assert_int_equal(mask_of(t, "REG01", "D1"), 0);
	assert_int_equal(ob_specimen_set_status(&t->cx, plasma, "reserved", "project P"),
		OB_ECONFLICT);
	assert_non_null(strstr(ob_error_last(), "does not permit research"));
	ob_specimen_new_init(&s);
	s.site = "REG01";
	s.donor = "D1";
	s.type = "serum";
	assert_int_equal(ob_specimen_create(&t->cx, &s, NULL, NULL), OB_ECONFLICT);
	assert_non_null(strstr(ob_error_last(), "does not permit storage"));
	ob_specimen_new_init(&s);
	s.parent = plasma;
	s.type = "plasma";
	s.quantity = 0.5;
	s.unit = "ml";
	assert_int_equal(ob_specimen_create(&t->cx, &s, NULL, NULL), OB_ECONFLICT);
	assert_non_null(strstr(ob_error_last(), "does not permit storage"));
}

static void test_full_withdrawal_marks_every_specimen(void **state)
{
	ob_testdb *t = *state;
	ob_ctx mgr = as(t, OB_ROLE_MANAGER, "REG01", "/NCC/REG01/");
	ob_ctx other = as(t, OB_ROLE_MANAGER, "REG02", "/NCC/REG02/");
	char p1[40], far[40], al[40], dna[40];
	ob_specimen_new s;
	ob_buf out = OB_BUF_INIT;
	int64_t n;

	specimen(t, "REG01", "D1", "plasma", p1);
	specimen(t, "REG02", "D1", "plasma", far);   /* collected at another site */
	dna_of(t, p1, dna);
	assert_int_equal(seq_add(t, dna), 0);
	ob_specimen_new_init(&s);
	s.parent = far;
	s.type = "plasma";
	s.quantity = 0.5;
	s.unit = "ml";
	assert_int_equal(ob_specimen_create(&t->cx, &s, NULL, al), 0);   /* aliquot at REG02 */
	/* without a disposition, or with another word, nothing happens */
	assert_int_equal(ob_consent_withdraw(&mgr, "REG01", "D1", NULL, "asked", NULL),
		OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), "disposition:"));
	assert_int_equal(ob_consent_withdraw(&mgr, "REG01", "D1", NULL, "asked", "burn"),
		OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), "disposition: 'burn'"));
	/* another region's manager may not act at REG01 (sites are named openly) */
	assert_int_equal(ob_consent_withdraw(&other, "REG01", "D1", NULL, "asked", "destroy"),
		OB_EPERM);
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM specimen WHERE"
		" consent_disposition IS NOT NULL"), 0);
	assert_int_equal(mask_of(t, "REG01", "D1") & OB_USE_STORAGE, OB_USE_STORAGE);
	/* REG01's manager withdraws: REG02's specimen and aliquot are marked too */
	assert_int_equal(ob_consent_withdraw(&mgr, "REG01", "D1", "2024-10-01", "asked",
		"destroy"), 0);
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM specimen s JOIN donor d ON"
		" d.id = s.donor_id WHERE d.code = 'D1' AND (s.consent_disposition IS NULL"
		" OR s.consent_disposition <> 'destroy')"), 0);
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM specimen s JOIN site st ON"
		" st.id = s.site_id WHERE st.code = 'REG02' AND s.consent_disposition = 'destroy'"), 2);
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM audit_event WHERE entity ="
		" 'specimen' AND action = 'withdraw'"), 4);
	assert_int_equal(mask_of(t, "REG01", "D1"), 0);
	assert_int_equal(ob_consent_withdraw(&mgr, "REG01", "D1", NULL, "again", "keep"),
		OB_ECONFLICT);
	/* a stored result is flagged, a label refused, a search filters */
	ob_seq r;
	assert_int_equal(ob_seq_get(&t->cx, 1, &r, NULL), 0);
	assert_string_equal(r.consent, "withdrawn");
	assert_int_equal(ob_label_specimen(&t->cx, p1, OB_LABEL_PNG, OB_LABEL_DATAMATRIX, &out),
		OB_ECONFLICT);
	assert_non_null(strstr(ob_error_last(), p1));
	assert_int_equal(out.len, 0);
	ob_specimen_filter f;
	memset(&f, 0, sizeof f);
	assert_int_equal(ob_specimen_count(&t->cx, &f, &n), 0);
	assert_int_equal(n, 4);
	f.withdrawn = OB_WITHDRAWN_EXCLUDE;
	assert_int_equal(ob_specimen_count(&t->cx, &f, &n), 0);
	assert_int_equal(n, 0);
	f.withdrawn = OB_WITHDRAWN_ONLY;
	assert_int_equal(ob_specimen_count(&t->cx, &f, &n), 0);
	assert_int_equal(n, 4);
	int w;
	assert_int_equal(ob_specimen_withdrawn_parse("sometimes", &w), OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), "withdrawn:"));
	ob_buf_dispose(&out);
	audit_intact(t);
}

static void test_search_by_uses(void **state)
{
	ob_testdb *t = *state;
	const ob_consent_response r[] = { { "STORE", "yes" }, { "FIND", "yes" } };
	char a[40], b[40];
	ob_specimen_filter f;
	int64_t n;

	specimen(t, "REG01", "D1", "plasma", a);
	assert_int_equal(ob_donor_add(&t->cx, "REG01", "D3", "female", 1980, NULL), 0);
	assert_int_equal(sign(t, "D3", "2024-06-01", r, 2), 0);
	specimen(t, "REG01", "D3", "plasma", b);
	memset(&f, 0, sizeof f);
	assert_int_equal(ob_consent_uses_parse("consent", "findings", &f.consent), 0);
	assert_int_equal(ob_specimen_count(&t->cx, &f, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(ob_consent_uses_parse("consent", "genetic", &f.consent), 0);
	assert_int_equal(ob_specimen_count(&t->cx, &f, &n), 0);
	assert_int_equal(n, 1);   /* D1's legacy consent */
	f.withdrawn = OB_WITHDRAWN_EXCLUDE;
	assert_int_equal(ob_specimen_count(&t->cx, &f, &n), 0);
	assert_int_equal(n, 1);
}

static void test_transfer_comes_with_storage_without_a_transfer_statement(void **state)
{
	ob_testdb *t = *state;
	const ob_consent_response store[] = { { "STORE", "yes" }, { "DNA", "no" } };
	const ob_consent_response no_store[] = { { "STORE", "no" }, { "DNA", "yes" },
		{ "SHARE", "yes" } };
	ob_ctx mgr = as(t, OB_ROLE_MANAGER, "REG01", "/NCC/REG01/");
	ob_donor_full f;

	/* v4 asks nothing of transfer: storage permits it */
	assert_int_equal(sign(t, "D1", "2024-06-01", store, 2), 0);
	assert_int_equal(mask_of(t, "REG01", "D1"), OB_USE_STORAGE | OB_USE_RESEARCH
		| OB_USE_TRANSFER);
	/* the consent as read says so too */
	assert_int_equal(ob_donor_full_read(&t->cx, "REG01", "D1", &f), 0);
	assert_int_equal(f.consents[f.nconsents - 1].scope, OB_USE_STORAGE | OB_USE_RESEARCH
		| OB_USE_TRANSFER);
	ob_donor_full_free(&f);
	/* no storage, no transfer */
	assert_int_equal(sign(t, "D1", "2024-07-01", no_store, 3), 0);
	assert_int_equal(mask_of(t, "REG01", "D1"), OB_USE_GENETIC | OB_USE_SHARING);
	/* storage withdrawn alone takes transfer with it */
	assert_int_equal(sign(t, "D1", "2024-08-01", store, 2), 0);
	assert_int_equal(ob_consent_withdraw_statement(&mgr, "REG01", "D1", "STORE", "2024-09-01",
		"no more storage"), 0);
	assert_int_equal(mask_of(t, "REG01", "D1"), 0);
	/* the legacy five statements: transfer with storage, not without */
	assert_int_equal(ob_consent_add(&t->cx, "REG02", "D2", "v2.9", "2024-06-01",
		OB_USE_RESEARCH, NULL), 0);
	assert_int_equal(mask_of(t, "REG02", "D2"), OB_USE_RESEARCH);
	assert_int_equal(ob_consent_add(&t->cx, "REG02", "D2", "v2.9", "2024-07-01",
		OB_USE_STORAGE, NULL), 0);
	assert_int_equal(mask_of(t, "REG02", "D2"), OB_USE_STORAGE | OB_USE_TRANSFER);
	/* a full withdrawal clears every use */
	assert_int_equal(ob_consent_withdraw(&t->cx, "REG02", "D2", "2024-10-01", "asked", "keep"),
		0);
	assert_int_equal(mask_of(t, "REG02", "D2"), 0);
	audit_intact(t);
}

static void test_a_transfer_statement_decides_transfer(void **state)
{
	ob_testdb *t = *state;
	const ob_consent_response yes[] = { { "STORE", "yes" }, { "MOVE", "yes" } };
	const ob_consent_response no[] = { { "STORE", "yes" }, { "MOVE", "no" } };
	const ob_consent_response unasked[] = { { "STORE", "yes" } };
	const ob_consent_response move_only[] = { { "STORE", "no" }, { "MOVE", "yes" } };
	ob_consent_signing sg = { "v5", "2024-06-01", NULL, yes, 2, false };
	ob_ctx mgr = as(t, OB_ROLE_MANAGER, "REG01", "/NCC/REG01/");
	ob_consent_form form;

	assert_int_equal(ob_consent_form_add(&t->cx, "v5", "Biobank consent 5", "2025-07-01", v5,
		2, NULL), 0);
	assert_int_equal(ob_consent_form_read(&t->cx, "v5", &form), 0);
	assert_int_equal(form.statements[1].uses, OB_USE_TRANSFER);
	assert_string_equal(form.statements[1].text_zh,
		"我同意我的样本被送往本网络的其他中心保存和用于研究。");
	ob_consent_form_free(&form);
	/* yes: transfer */
	assert_int_equal(ob_consent_sign(&t->cx, "REG01", "D1", &sg, NULL), 0);
	assert_int_equal(mask_of(t, "REG01", "D1"), OB_USE_STORAGE | OB_USE_RESEARCH
		| OB_USE_TRANSFER);
	/* no: the material stays at the collecting site's scope */
	sg.signed_on = "2024-07-01";
	sg.responses = no;
	assert_int_equal(ob_consent_sign(&t->cx, "REG01", "D1", &sg, NULL), 0);
	assert_int_equal(mask_of(t, "REG01", "D1"), OB_USE_STORAGE | OB_USE_RESEARCH);
	/* not asked: not permitted either */
	sg.signed_on = "2024-08-01";
	sg.responses = unasked;
	sg.nresponses = 1;
	assert_int_equal(ob_consent_sign(&t->cx, "REG01", "D1", &sg, NULL), 0);
	assert_int_equal(mask_of(t, "REG01", "D1"), OB_USE_STORAGE | OB_USE_RESEARCH);
	/* a yes to transfer alone permits transfer alone */
	sg.signed_on = "2024-09-01";
	sg.responses = move_only;
	sg.nresponses = 2;
	assert_int_equal(ob_consent_sign(&t->cx, "REG01", "D1", &sg, NULL), 0);
	assert_int_equal(mask_of(t, "REG01", "D1"), OB_USE_TRANSFER);
	/* withdrawing MOVE alone keeps storage and research */
	sg.signed_on = "2024-10-01";
	sg.responses = yes;
	assert_int_equal(ob_consent_sign(&t->cx, "REG01", "D1", &sg, NULL), 0);
	assert_int_equal(ob_consent_withdraw_statement(&mgr, "REG01", "D1", "MOVE", "2024-11-01",
		"keep my samples here"), 0);
	assert_int_equal(mask_of(t, "REG01", "D1"), OB_USE_STORAGE | OB_USE_RESEARCH);
	/* the legacy scope answers MOVE like any statement */
	assert_int_equal(ob_consent_add(&t->cx, "REG02", "D2", "v5", "2024-06-01",
		OB_USE_STORAGE | OB_USE_RESEARCH, NULL), 0);
	assert_int_equal(mask_of(t, "REG02", "D2"), OB_USE_STORAGE | OB_USE_RESEARCH);
	assert_int_equal(ob_consent_add(&t->cx, "REG02", "D2", "v5", "2024-07-01",
		OB_USE_STORAGE | OB_USE_RESEARCH | OB_USE_TRANSFER, NULL), 0);
	assert_int_equal(mask_of(t, "REG02", "D2"), OB_USE_STORAGE | OB_USE_RESEARCH
		| OB_USE_TRANSFER);
	/* a full withdrawal clears it */
	assert_int_equal(ob_consent_withdraw(&t->cx, "REG02", "D2", "2024-10-01", "asked",
		"destroy"), 0);
	assert_int_equal(mask_of(t, "REG02", "D2"), 0);
	audit_intact(t);
}

static void test_transfer_is_a_use_word(void **state)
{
	ob_testdb *t = *state;
	ob_consent_statement bad = v5[1];
	char a[40], b[40];
	ob_specimen_filter f;
	int64_t n;
	int m;

	assert_int_equal(ob_consent_scope_flag("transfer"), OB_USE_TRANSFER);
	assert_int_equal(ob_consent_scope_flag("Transfer to other sites"), OB_USE_TRANSFER);
	assert_int_equal(ob_consent_scope_flag("material transfer"), OB_USE_TRANSFER);
	assert_int_equal(ob_consent_scope_flag("material_transfer"), OB_USE_TRANSFER);
	assert_int_equal(ob_consent_scope_flag("teleport"), 0);
	assert_string_equal(ob_consent_scope_words[7], "transfer");
	assert_null(ob_consent_scope_words[8]);
	assert_int_equal(ob_consent_scope_parse("storage|transfer", &m), 0);
	assert_int_equal(m, OB_USE_STORAGE | OB_USE_TRANSFER);
	assert_int_equal(ob_consent_scope_parse("storage,teleport", &m), OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), "findings, transfer)"));
	/* a use beyond transfer is none */
	bad.uses = OB_USE_TRANSFER << 1;
	assert_int_equal(ob_consent_form_add(&t->cx, "v6", "t", NULL, &bad, 1, NULL), OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), "covers no use"));
	/* a search by transfer: D1's legacy consent has it, D3's v5 "no" not */
	assert_int_equal(ob_consent_form_add(&t->cx, "v5", "Biobank consent 5", NULL, v5, 2,
		NULL), 0);
	const ob_consent_response no[] = { { "STORE", "yes" }, { "MOVE", "no" } };
	ob_consent_signing sg = { "v5", "2024-06-01", NULL, no, 2, false };
	assert_int_equal(ob_donor_add(&t->cx, "REG01", "D3", "female", 1980, NULL), 0);
	assert_int_equal(ob_consent_sign(&t->cx, "REG01", "D3", &sg, NULL), 0);
	specimen(t, "REG01", "D1", "plasma", a);
	specimen(t, "REG01", "D3", "plasma", b);
	memset(&f, 0, sizeof f);
	assert_int_equal(ob_consent_uses_parse("consent", "transfer", &f.consent), 0);
	assert_int_equal(ob_specimen_count(&t->cx, &f, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(ob_consent_uses_parse("consent", "storage", &f.consent), 0);
	assert_int_equal(ob_specimen_count(&t->cx, &f, &n), 0);
	assert_int_equal(n, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_forms_refuse_bad_statements, setup, teardown),
		cmocka_unit_test_setup_teardown(test_responses_name_statements_of_the_form, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_the_rule_needs_every_covering_statement, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_legacy_scope_answers_the_statements, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_partial_withdrawal_blocks_genetic_only, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_research_and_storage_follow_the_statements, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_full_withdrawal_marks_every_specimen, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_search_by_uses, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_transfer_comes_with_storage_without_a_transfer_statement, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_transfer_statement_decides_transfer, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_transfer_is_a_use_word, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
