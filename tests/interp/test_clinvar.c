/*
 * test_clinvar.c - ClinVar import and look-ups (src/interp/clinvar.h): the
 * shared GRCh38 panel excerpt (figures: read, stored, skipped by reason;
 * stars), re-import refused unless replaced, all-or-nothing on bad input
 * with FILE:LINE: FIELD, protein changes derived with the GRCh37 BRCA1
 * models and the PS1/PM5 residue look-up on the hand-written fixture.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "base/error.h"
#include "interp/clinvar.h"
#include "support/testdb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char shared[400];

static const char *data(const char *rel, char *buf, size_t n)
{
	snprintf(buf, n, "%s/data/genomics/%s", shared, rel);
	return buf;
}

static void test_mappings(void **state)
{
	(void)state;
	assert_string_equal(ob_clinvar_class("Pathogenic/Likely_pathogenic"), "PLP");
	assert_string_equal(ob_clinvar_class("Pathogenic|risk_factor"), "P");
	assert_string_equal(ob_clinvar_class("Conflicting_interpretations_of_pathogenicity"), "CONF");
	assert_string_equal(ob_clinvar_class("Conflicting_classifications_of_pathogenicity"), "CONF");
	assert_string_equal(ob_clinvar_class("drug_response"), "OTHER");
	assert_int_equal(ob_clinvar_stars("practice_guideline"), 4);
	assert_int_equal(ob_clinvar_stars("reviewed_by_expert_panel"), 3);
	assert_int_equal(ob_clinvar_stars("criteria_provided,_multiple_submitters,_no_conflicts"), 2);
	assert_int_equal(ob_clinvar_stars("criteria_provided,_conflicting_interpretations"), 1);
	assert_int_equal(ob_clinvar_stars("criteria_provided,_conflicting_classifications"), 1);
	assert_int_equal(ob_clinvar_stars("no_assertion_criteria_provided"), 0);
	assert_int_equal(ob_clinvar_stars("made_up"), -1);
	assert_int_equal(ob_clinvar_acmg_class("PLP"), OB_ACMG_PATHOGENIC);
	assert_int_equal(ob_clinvar_acmg_class("CONF"), -1);
}

static void test_import_shared_excerpt(void **state)
{
	ob_testdb t;
	ob_clinvar_stats s;
	ob_clinvar_opts o = { 0, NULL, NULL };
	ob_clinvar_rec r;
	char path[512];

	(void)state;
	ob_testdb_open(&t);
	data("germline/clinvar_20260226_panel_GRCh38.vcf.gz", path, sizeof path);
	assert_int_equal(ob_clinvar_import(t.st, path, &o, &s), 0);
	fprintf(stderr, "# clinvar import: %lld read, %lld stored, %lld skipped without CLNSIG, "
		"%lld without a plain ALT\n", (long long)s.read, (long long)s.stored,
		(long long)s.skipped_no_class, (long long)s.skipped_no_alt);
	assert_string_equal(s.file_date, "2026-02-26");
	assert_string_equal(s.reference, "GRCh38");
	assert_int_equal(s.read, 59832);          /* the README's record count */
	assert_int_equal(s.skipped_no_class, 2214); /* its records without CLNSIG */
	assert_int_equal(s.read, s.stored + s.skipped_no_class + s.skipped_no_alt);
	assert_int_equal(ob_testdb_count(&t, "SELECT count(*) FROM clinvar_variant"), s.stored);
	assert_int_equal(ob_testdb_count(&t, "SELECT count(*) FROM clinvar_variant WHERE stars = 2"),
		15852); /* multiple submitters, no conflicts: none skipped */
	assert_int_equal(ob_testdb_count(&t, "SELECT count(*) FROM clinvar_variant WHERE "
		"review_status = 'reviewed_by_expert_panel' AND stars <> 3"), 0);
	/* a BRCA1 record by exact variant (first data line of BRCA1 in the excerpt) */
	long long pos = ob_testdb_count(&t, "SELECT min(pos) FROM clinvar_variant WHERE gene = 'BRCA1' "
		"AND stars = 3 AND class = 'P' AND consequence LIKE '%stop_gained%'");
	assert_true(pos > 43000000);
	ob_testdb_exec(&t, "CREATE TEMP TABLE pick AS SELECT chrom, pos, ref, alt, variation_id "
		"FROM clinvar_variant WHERE gene = 'BRCA1' AND stars = 3 AND class = 'P' "
		"AND consequence LIKE '%stop_gained%' ORDER BY pos LIMIT 1");
	{
		ob_stmt *q;
		assert_int_equal(ob_store_prepare(t.st, "SELECT chrom, pos, ref, alt, variation_id "
			"FROM pick", &q), 0);
		assert_int_equal(ob_stmt_step(q), OB_ROW);
		char chrom[16], ref[64], alt[64];
		int64_t p = ob_stmt_int(q, 1), vid = ob_stmt_int(q, 4);
		snprintf(chrom, sizeof chrom, "chr%s", ob_stmt_text(q, 0)); /* prefix ignored */
		snprintf(ref, sizeof ref, "%s", ob_stmt_text(q, 2));
		snprintf(alt, sizeof alt, "%s", ob_stmt_text(q, 3));
		ob_stmt_reset(q);
		assert_int_equal(ob_clinvar_find(t.st, chrom, p, ref, alt, &r), 0);
		assert_int_equal(r.variation_id, vid);
		assert_string_equal(r.cls, "P");
		assert_int_equal(r.stars, 3);
		assert_string_equal(r.gene, "BRCA1");
		assert_non_null(strstr(r.consequence, "stop_gained"));
		assert_int_equal(ob_clinvar_find(t.st, chrom, p, ref, "N", &r), OB_ENOTFOUND);
	}
	/* the same release again: refused, then replaced */
	assert_int_equal(ob_clinvar_import(t.st, path, &o, &s), OB_EEXISTS);
	o.replace = 1;
	assert_int_equal(ob_clinvar_import(t.st, path, &o, &s), 0);
	assert_true(s.replaced);
	assert_int_equal(ob_testdb_count(&t, "SELECT count(*) FROM clinvar_variant"), s.stored);
	assert_int_equal(ob_testdb_count(&t, "SELECT count(*) FROM clinvar_release"), 1);
	ob_testdb_close(&t);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

#define HDR "##fileformat=VCFv4.1\n##fileDate=2024-01-01\n##reference=GRCh38\n##contig=<ID=17>\n" \
	"##INFO=<ID=CLNSIG,Number=.,Type=String,Description=\"s\">\n" \
	"##INFO=<ID=CLNREVSTAT,Number=.,Type=String,Description=\"r\">\n" \
	"##INFO=<ID=GENEINFO,Number=1,Type=String,Description=\"g\">\n" \
	"#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
#define GOOD "17\t100\t1\tA\tG\t.\t.\tCLNSIG=Benign;CLNREVSTAT=reviewed_by_expert_panel;GENEINFO=BRCA1:672\n"

static void test_bad_input_writes_nothing(void **state)
{
	ob_testdb t;
	ob_clinvar_stats s;
	char path[] = "/tmp/ob-test-clinvar-XXXXXX";
	int fd;

	(void)state;
	ob_testdb_open(&t);
	assert_true((fd = mkstemp(path)) >= 0);
	close(fd);
	/* line 10: an unknown review status */
	write_file(path, HDR GOOD "17\t101\t2\tA\tC\t.\t.\tCLNSIG=Benign;CLNREVSTAT=five_stars\n");
	assert_int_equal(ob_clinvar_import(t.st, path, NULL, &s), OB_EINVALID);
	fprintf(stderr, "# %s\n", ob_error_last());
	assert_non_null(strstr(ob_error_last(), ":10: CLNREVSTAT: unknown review status 'five_stars'"));
	assert_non_null(strstr(ob_error_last(), path));
	assert_int_equal(ob_testdb_count(&t, "SELECT count(*) FROM clinvar_variant"), 0);
	assert_int_equal(ob_testdb_count(&t, "SELECT count(*) FROM clinvar_release"), 0);
	/* a variation id that is no number */
	write_file(path, HDR GOOD "17\t101\tvcv\tA\tC\t.\t.\tCLNSIG=Benign;CLNREVSTAT=reviewed_by_expert_panel\n");
	assert_int_equal(ob_clinvar_import(t.st, path, NULL, &s), OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), ":10: ID:"));
	/* no fileDate */
	write_file(path, "##fileformat=VCFv4.1\n##reference=GRCh38\n"
		"##INFO=<ID=CLNSIG,Number=.,Type=String,Description=\"s\">\n"
		"#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n");
	assert_int_equal(ob_clinvar_import(t.st, path, NULL, &s), OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), "fileDate"));
	/* the good record alone goes in */
	write_file(path, HDR GOOD);
	assert_int_equal(ob_clinvar_import(t.st, path, NULL, &s), 0);
	assert_int_equal(s.stored, 1);
	unlink(path);
	ob_testdb_close(&t);
}

static void test_protein_changes_and_residue_lookup(void **state)
{
	ob_testdb t;
	ob_clinvar_stats s;
	ob_clinvar_opts o = { 0, NULL, NULL };
	ob_gff *g = NULL;
	ob_acmg_clinvar cv;
	char fa[512], gff[512];

	(void)state;
	data("brca1-grch37/GRCh37_17_brca1_padded.fa.gz", fa, sizeof fa);
	data("brca1-grch37/refseq_brca1.gff3", gff, sizeof gff);
	assert_int_equal(ob_annotator_new(&o.annotator, fa, gff), 0);
	assert_int_equal(ob_gff_load(&g, gff), 0);
	o.models = g;
	ob_testdb_open(&t);
	assert_int_equal(ob_clinvar_import(t.st, "tests/data/germline/clinvar_brca1_grch37.vcf", &o,
		&s), 0);
	assert_int_equal(s.with_protein, 4);
	/* on NM_007294.4 (MANE Select), not another BRCA1 isoform */
	assert_int_equal(ob_testdb_count(&t, "SELECT count(*) FROM clinvar_variant WHERE "
		"variation_id = 900001 AND protein_change = 'p.Arg1753Ser' AND protein_pos = 1753"), 1);
	/* c.5259A>C gives the same p.Arg1753Ser as pathogenic 900001 (PS1); 900002
	 * p.Arg1753Lys is likely pathogenic (PM5); 900003 is benign (ignored) */
	assert_int_equal(ob_clinvar_residue(t.st, "BRCA1", 1753, "p.Arg1753Ser", "17", 41209087, "T",
		"G", &cv), 0);
	assert_int_equal(cv.same_aa_path, 1);
	assert_int_equal(cv.residue_path, 1);
	assert_non_null(strstr(cv.same_aa_example, "900001"));
	assert_non_null(strstr(cv.residue_example, "p.Arg1753Lys"));
	/* the pathogenic record itself is not its own PS1 */
	assert_int_equal(ob_clinvar_residue(t.st, "BRCA1", 1753, "p.Arg1753Ser", "17", 41209087, "T",
		"A", &cv), 0);
	assert_int_equal(cv.same_aa_path, 0);
	assert_int_equal(cv.residue_path, 1);
	ob_testdb_close(&t);
	ob_gff_free(g);
	ob_annotator_free(o.annotator);
}

int main(void)
{
	const char *root = getenv("OB_SHARED");
	snprintf(shared, sizeof shared, "%s", root && *root ? root : "../shared");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mappings),
		cmocka_unit_test(test_import_shared_excerpt),
		cmocka_unit_test(test_bad_input_writes_nothing),
		cmocka_unit_test(test_protein_changes_and_residue_lookup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
