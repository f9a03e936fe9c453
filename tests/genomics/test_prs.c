/*
 * test_prs.c - polygenic risk scores (src/genomics/prs.h): scoring-file
 * parsing and its errors, dosage rules worked by hand on small VCFs (effect
 * allele as REF or ALT, missing calls with and without mean imputation, DS
 * over GT, haploid and multiallelic calls, strand flips, palindromic SNPs),
 * BCF input, reference distributions, and agreement with plink2's
 * precomputed sums in $OB_SHARED/data/genomics/prs to the 6 significant
 * digits plink2 prints. Temporary files are removed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "base/error.h"
#include "genomics/prs.h"

#include <htslib/vcf.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char prsdir[1024];

/* Writes text to a new temporary file; its path goes to path. */
static void write_tmp(const char *text, char path[64])
{
	snprintf(path, 64, "/tmp/ob-test-prs-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int load_text(const char *text, ob_prs_score **s, char path[64])
{
	write_tmp(text, path);
	int rc = ob_prs_score_load(s, path, NULL);
	unlink(path);
	return rc;
}

#define PGS_HEAD "###PGS CATALOG SCORING FILE\n#format_version=2.0\n#pgs_id=PGS999\n" \
	"##SOURCE\n#genome_build=GRCh37\n"

/* Three samples. Record 1 (1:100 A>G): G is ALT. Record 2 (1:200 C>T):
 * the score's effect allele C is REF. Record 3 (2:50 G>A,T): multiallelic,
 * effect T = allele 2; sample C misses its call. Record 4 (2:60) is not in
 * the score. */
#define VCF_HEAD "##fileformat=VCFv4.2\n##contig=<ID=1>\n##contig=<ID=2>\n" \
	"##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n" \
	"##FORMAT=<ID=DS,Number=A,Type=Float,Description=\"Dosage\">\n" \
	"#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tA\tB\tC\n"
#define SMALL_VCF VCF_HEAD \
	"1\t100\trs1\tA\tG\t.\tPASS\t.\tGT\t0/1\t1/1\t0/0\n" \
	"1\t200\trs2\tC\tT\t.\tPASS\t.\tGT\t0/1\t0/0\t1|1\n" \
	"2\t50\trs3\tG\tA,T\t.\tPASS\t.\tGT\t2/2\t1/2\t./.\n" \
	"2\t60\trs4\tG\tA\t.\tPASS\t.\tGT\t1/1\t1/1\t1/1\n"
#define SMALL_SCORE PGS_HEAD "chr_name\tchr_position\teffect_allele\tother_allele\teffect_weight\n" \
	"1\t100\tG\tA\t0.5\n" \
	"chr1\t200\tC\tT\t-0.25\n" \
	"2\t50\tT\tG\t2\n" \
	"3\t10\tA\tC\t9\n"

static ob_prs_result *run(const char *score_text, const char *vcf_text, const ob_prs_opts *o,
	ob_prs_score **sout)
{
	char sp[64], vp[64];
	ob_prs_score *s = NULL;
	ob_prs_result *r = NULL;

	assert_int_equal(load_text(score_text, &s, sp), 0);
	write_tmp(vcf_text, vp);
	int rc = ob_prs_compute(&r, s, vp, o);
	unlink(vp);
	if (rc < 0)
		fail_msg("%s", ob_error_last());
	if (sout)
		*sout = s;
	else
		ob_prs_score_free(s);
	return r;
}

static void test_header_comments_and_columns_are_read(void **state)
{
	char p[64];
	ob_prs_score *s = NULL;

	(void)state;
	/* Columns in another order, empty trailing fields, rsID kept. */
	assert_int_equal(load_text(PGS_HEAD "effect_weight\trsID\teffect_allele\tchr_position\tchr_name\tother_allele\tlocus_name\n"
		"1.5e-2\trs9\tg\t123\t22\ta\t\n", &s, p), 0);
	assert_string_equal(ob_prs_score_meta(s, "pgs_id"), "PGS999");
	assert_string_equal(ob_prs_score_meta(s, "genome_build"), "GRCh37");
	assert_null(ob_prs_score_meta(s, "SOURCE"));
	assert_int_equal(ob_prs_score_size(s), 1);
	const ob_prs_entry *e = ob_prs_score_entry(s, 0);
	assert_string_equal(e->id, "rs9");
	assert_string_equal(e->chr, "22");
	assert_int_equal(e->pos, 123);
	assert_string_equal(e->effect, "G");
	assert_string_equal(e->other, "A");
	assert_true(fabs(e->weight - 0.015) < 1e-15);
	assert_int_equal(e->line, 7);
	ob_prs_score_free(s);
}

static void test_plink2_layout_id_gives_the_position(void **state)
{
	char p[64];
	ob_prs_score *s = NULL;

	(void)state;
	assert_int_equal(load_text("ID\teffect_allele\tother_allele\teffect_weight\n"
		"1:7917076\tA\tG\t-0.0409\nrs42\tT\tC\t0.1\n", &s, p), 0);
	assert_int_equal(ob_prs_score_size(s), 2);
	const ob_prs_entry *e = ob_prs_score_entry(s, 0);
	assert_string_equal(e->chr, "1");
	assert_int_equal(e->pos, 7917076);
	e = ob_prs_score_entry(s, 1); /* no position: matched by ID */
	assert_string_equal(e->chr, "");
	assert_string_equal(e->id, "rs42");
	ob_prs_score_free(s);
}

static void test_harmonized_reads_hm_positions_and_keeps_unmapped_rows(void **state)
{
	char p[64];
	ob_prs_score *s = NULL;
	ob_prs_opts o = { .harmonized = true };

	(void)state;
	write_tmp("#HmPOS_build=GRCh38\nchr_name\tchr_position\teffect_allele\teffect_weight\thm_chr\thm_pos\n"
		"1\t100\tA\t1\t1\t5000\n1\t200\tG\t1\t\t\n", p);
	assert_int_equal(ob_prs_score_load(&s, p, &o), 0);
	unlink(p);
	assert_int_equal(ob_prs_score_size(s), 2);
	assert_int_equal(ob_prs_score_entry(s, 0)->pos, 5000);
	assert_string_equal(ob_prs_score_entry(s, 1)->chr, ""); /* unmapped: never matched */
	ob_prs_score_free(s);
}

static void test_score_missing_a_column_names_file_line_and_column(void **state)
{
	char p[64], want[160];
	ob_prs_score *s = NULL;

	(void)state;
	assert_int_equal(load_text(PGS_HEAD "chr_name\tchr_position\teffect_allele\tother_allele\n"
		"1\t100\tG\tA\n", &s, p), OB_EINVALID);
	snprintf(want, sizeof want, "%s:6: effect_weight: no such column in the header row", p);
	assert_string_equal(ob_error_last(), want);
	assert_null(s);
	assert_int_equal(load_text("rsID\teffect_weight\nrs1\t0.1\n", &s, p), OB_EINVALID);
	snprintf(want, sizeof want, "%s:1: effect_allele: no such column in the header row", p);
	assert_string_equal(ob_error_last(), want);
}

static void test_weight_not_a_number_is_refused(void **state)
{
	char p[64], want[160];
	ob_prs_score *s = NULL;

	(void)state;
	assert_int_equal(load_text("chr_name\tchr_position\teffect_allele\teffect_weight\n"
		"1\t100\tG\t0.1\n1\t200\tA\t0.2x\n", &s, p), OB_EINVALID);
	snprintf(want, sizeof want, "%s:3: effect_weight: '0.2x' is not a number", p);
	assert_string_equal(ob_error_last(), want);
	assert_int_equal(load_text("chr_name\tchr_position\teffect_allele\teffect_weight\n"
		"1\tabc\tG\t0.1\n", &s, p), OB_EINVALID);
	snprintf(want, sizeof want, "%s:2: chr_position: 'abc' is not a position", p);
	assert_string_equal(ob_error_last(), want);
	assert_int_equal(load_text("chr_name\tchr_position\teffect_allele\teffect_weight\n"
		"1\t5\tZ\t0.1\n", &s, p), OB_EINVALID);
	snprintf(want, sizeof want, "%s:2: effect_allele: 'Z' is not an allele (A, C, G, T, N)", p);
	assert_string_equal(ob_error_last(), want);
	assert_int_equal(load_text("chr_name\tchr_position\teffect_allele\teffect_weight\n"
		"1\t5\tA\t0.1\n1\t5\tA\t0.3\n", &s, p), OB_EINVALID);
	snprintf(want, sizeof want, "%s:3: effect_allele: the same variant and alleles as line 2", p);
	assert_string_equal(ob_error_last(), want);
}

static void test_vcf_without_gt_is_refused(void **state)
{
	char sp[64], vp[64], want[160];
	ob_prs_score *s = NULL;
	ob_prs_result *r = NULL;

	(void)state;
	assert_int_equal(load_text(SMALL_SCORE, &s, sp), 0);
	write_tmp("##fileformat=VCFv4.2\n##contig=<ID=1>\n"
		"##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"depth\">\n"
		"#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tA\n"
		"1\t100\t.\tA\tG\t.\t.\t.\tAD\t3,4\n", vp);
	assert_int_equal(ob_prs_compute(&r, s, vp, NULL), OB_EINVALID);
	snprintf(want, sizeof want, "%s:4: FORMAT: the header declares no GT (nor DS) field", vp);
	assert_string_equal(ob_error_last(), want);
	assert_null(r);
	/* GT declared but a scored record lacks it: the record's line. */
	unlink(vp);
	write_tmp("##fileformat=VCFv4.2\n##contig=<ID=1>\n"
		"##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"depth\">\n"
		"##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"
		"#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tA\n"
		"1\t90\t.\tA\tG\t.\t.\t.\tGT\t0/0\n"
		"1\t100\t.\tA\tG\t.\t.\t.\tAD\t3,4\n", vp);
	assert_int_equal(ob_prs_compute(&r, s, vp, NULL), OB_EINVALID);
	snprintf(want, sizeof want, "%s:7: FORMAT: the record has no GT nor DS", vp);
	assert_string_equal(ob_error_last(), want);
	unlink(vp);
	ob_prs_score_free(s);
}

static void test_dosages_by_hand(void **state)
{
	ob_prs_score *s = NULL;
	ob_prs_counts c;

	(void)state;
	ob_prs_result *r = run(SMALL_SCORE, SMALL_VCF, NULL, &s);
	ob_prs_result_counts(r, &c);
	assert_int_equal(c.used, 3);
	assert_int_equal(c.absent, 1);
	assert_int_equal(c.records, 4);
	assert_int_equal(c.parsed, 3); /* 2:60 skipped by position */
	/* Record 3: T dosages A=2, B=1, C missing -> frequency 3/4, imputed
	 * 2 x 0.75 = 1.5 alleles. */
	const ob_prs_sample *a = ob_prs_result_find(r, "A"), *b = ob_prs_result_find(r, "B"),
		*cc = ob_prs_result_find(r, "C");
	assert_non_null(a);
	assert_true(fabs(a->score - (0.5 * 1 - 0.25 * 1 + 2 * 2)) < 1e-12);
	assert_true(fabs(b->score - (0.5 * 2 - 0.25 * 2 + 2 * 1)) < 1e-12);
	assert_true(fabs(cc->score - (0.5 * 0 - 0.25 * 0 + 2 * 1.5)) < 1e-12);
	assert_int_equal(a->variants_used, 3);
	assert_int_equal(cc->variants_missing, 1);
	assert_int_equal(cc->allele_ct, 4);
	assert_true(fabs(cc->effect_dosage - 0) < 1e-12);
	assert_true(fabs(a->effect_dosage - 4) < 1e-12);
	assert_int_equal(ob_prs_result_status(r, 3), OB_PRS_ABSENT);
	ob_prs_result_free(r);
	ob_prs_score_free(s);

	ob_prs_opts o = { .no_mean_impute = true };
	r = run(SMALL_SCORE, SMALL_VCF, &o, NULL);
	assert_true(fabs(ob_prs_result_find(r, "C")->score - 0) < 1e-12);
	assert_true(fabs(ob_prs_result_find(r, "A")->score - 4.25) < 1e-12);
	ob_prs_result_free(r);
}

static void test_ds_wins_over_gt_unless_gt_only(void **state)
{
	const char *vcf = VCF_HEAD
		"1\t100\t.\tA\tG\t.\t.\t.\tGT:DS\t0/1:0.8\t1/1:.\t0/0:0.1\n";
	const char *score = "chr_name\tchr_position\teffect_allele\teffect_weight\n1\t100\tA\t1\n";

	(void)state;
	/* effect = REF: dosage 2 - DS; B has no DS: its GT counts (0 REF). */
	/* Dosages sit on plink2's grid of 1/16384: 1.2 is 19661/16384. */
	ob_prs_result *r = run(score, vcf, NULL, NULL);
	assert_true(fabs(ob_prs_result_find(r, "A")->score - 19661.0 / 16384) < 1e-12);
	assert_true(fabs(ob_prs_result_find(r, "B")->score - 0) < 1e-12);
	assert_true(fabs(ob_prs_result_find(r, "C")->score - 31130.0 / 16384) < 1e-12);
	ob_prs_result_free(r);
	ob_prs_opts o = { .gt_only = true };
	r = run(score, vcf, &o, NULL);
	assert_true(fabs(ob_prs_result_find(r, "A")->score - 1) < 1e-12);
	assert_true(fabs(ob_prs_result_find(r, "C")->score - 2) < 1e-12);
	ob_prs_result_free(r);
}

static void test_haploid_counts_twice_and_half_missing_is_missing(void **state)
{
	const char *vcf = VCF_HEAD "1\t100\t.\tA\tG\t.\t.\t.\tGT\t1\t./1\t0/1\n";
	const char *score = "chr_name\tchr_position\teffect_allele\teffect_weight\n1\t100\tG\t1\n";

	(void)state;
	ob_prs_opts o = { .no_mean_impute = true };
	ob_prs_result *r = run(score, vcf, &o, NULL);
	assert_true(fabs(ob_prs_result_find(r, "A")->score - 2) < 1e-12);
	assert_int_equal(ob_prs_result_find(r, "B")->variants_missing, 1);
	assert_true(fabs(ob_prs_result_find(r, "B")->score) < 1e-12);
	ob_prs_result_free(r);
}

static void test_strand_flip_only_on_request_and_never_palindromic(void **state)
{
	/* 1:100 is G/A in the score, C>T in the VCF (other strand); 1:200 is
	 * the palindromic A/T pair written as T>A: letters as given. */
	const char *vcf = VCF_HEAD "1\t100\t.\tC\tT\t.\t.\t.\tGT\t0/1\t1/1\t0/0\n"
		"1\t200\t.\tT\tA\t.\t.\t.\tGT\t0/1\t1/1\t0/0\n";
	const char *score = "chr_name\tchr_position\teffect_allele\tother_allele\teffect_weight\n"
		"1\t100\tA\tG\t1\n1\t200\tT\tA\t10\n";
	ob_prs_score *s = NULL;
	ob_prs_counts c;

	(void)state;
	ob_prs_result *r = run(score, vcf, NULL, &s);
	ob_prs_result_counts(r, &c);
	assert_int_equal(c.used, 1);
	assert_int_equal(c.allele_mismatch, 0);
	assert_int_equal(c.strand_mismatch, 1);
	assert_int_equal(ob_prs_result_status(r, 0), OB_PRS_STRAND_MISMATCH);
	/* palindromic: effect T is REF -> 2 - ALT count */
	assert_true(fabs(ob_prs_result_find(r, "A")->score - 10) < 1e-12);
	assert_true(fabs(ob_prs_result_find(r, "B")->score - 0) < 1e-12);
	assert_true(fabs(ob_prs_result_find(r, "C")->score - 20) < 1e-12);
	ob_prs_result_free(r);
	ob_prs_score_free(s);

	ob_prs_opts o = { .strand_flip = true };
	r = run(score, vcf, &o, &s);
	ob_prs_result_counts(r, &c);
	assert_int_equal(c.used, 2);
	assert_int_equal(c.flipped, 1);
	assert_int_equal(ob_prs_result_status(r, 0), OB_PRS_USED_FLIPPED);
	assert_int_equal(ob_prs_result_status(r, 1), OB_PRS_USED);
	/* effect A = T on the VCF strand, the ALT */
	assert_true(fabs(ob_prs_result_find(r, "B")->score - 2) < 1e-12);
	assert_true(fabs(ob_prs_result_find(r, "C")->score - 20) < 1e-12);
	ob_prs_result_free(r);
	ob_prs_score_free(s);
}

/* The other allele, when the score gives one, must be in the record too
 * (plink2, matching by ID, looks at the effect allele only); a second record
 * for an entry already used is ignored and counted. */
static void test_other_allele_must_match_and_duplicates_are_ignored(void **state)
{
	const char *vcf = VCF_HEAD "1\t100\t.\tA\tC\t.\t.\t.\tGT\t0/1\t1/1\t0/0\n"
		"1\t200\t.\tA\tG\t.\t.\t.\tGT\t0/1\t1/1\t0/0\n"
		"1\t200\t.\tA\tG\t.\t.\t.\tGT\t1/1\t1/1\t1/1\n";
	const char *score = "chr_name\tchr_position\teffect_allele\tother_allele\teffect_weight\n"
		"1\t100\tA\tG\t1\n1\t200\tG\tA\t1\n";
	ob_prs_counts c;

	(void)state;
	ob_prs_result *r = run(score, vcf, NULL, NULL);
	ob_prs_result_counts(r, &c);
	assert_int_equal(c.used, 1);
	assert_int_equal(c.allele_mismatch, 1);
	assert_int_equal(c.strand_mismatch, 0);
	assert_int_equal(c.duplicates, 1);
	assert_int_equal(ob_prs_result_status(r, 0), OB_PRS_ALLELE_MISMATCH);
	assert_true(fabs(ob_prs_result_find(r, "A")->score - 1) < 1e-12); /* first record */
	assert_true(fabs(ob_prs_result_find(r, "C")->score - 0) < 1e-12);
	ob_prs_result_free(r);
}

static void test_id_only_entries_match_the_vcf_id(void **state)
{
	const char *score = "ID\teffect_allele\tother_allele\teffect_weight\nrs3\tT\tG\t1\nrs1\tG\tA\t0.5\n";

	(void)state;
	ob_prs_result *r = run(score, SMALL_VCF, NULL, NULL);
	ob_prs_counts c;
	ob_prs_result_counts(r, &c);
	assert_int_equal(c.used, 2);
	assert_int_equal(c.records, 4);
	assert_int_equal(c.parsed, 2); /* rs2 and rs4 are skipped unparsed */
	assert_true(fabs(ob_prs_result_find(r, "A")->score - (2 + 0.5)) < 1e-12);
	ob_prs_result_free(r);
}

static void test_refdist_places_a_score(void **state)
{
	ob_prs_refdist rd;
	ob_prs_risk k;

	(void)state;
	assert_int_equal(ob_prs_refdist_parse(&rd, "# PGS999\npgs_id\tPGS999\nmean\t-0.4\nsd\t0.5\nsource\tx y\n", "rd"),
		OB_EINVALID); /* "source x y" has three fields */
	assert_int_equal(ob_prs_refdist_parse(&rd, "# PGS999\npgs_id\tPGS999\nmean\t-0.4\nsd\t0.5\nn\t100\n", "rd"), 0);
	assert_string_equal(rd.pgs_id, "PGS999");
	assert_int_equal(rd.n, 100);
	assert_int_equal(ob_prs_place(&rd, -0.4, &k), 0);
	assert_true(fabs(k.z) < 1e-12);
	assert_true(fabs(k.percentile - 50) < 1e-9);
	assert_string_equal(k.category, "average");
	assert_true(fabs(k.relative_risk - exp(-0.125)) < 1e-12);
	assert_int_equal(ob_prs_place(&rd, -0.4 + 0.5 * 1.959963985, &k), 0);
	assert_true(fabs(k.percentile - 97.5) < 1e-6);
	assert_string_equal(k.category, "high");
	assert_string_equal(ob_prs_category(99.5), "very high");
	assert_string_equal(ob_prs_category(5), "low");
	assert_string_equal(ob_prs_category(15), "below average");
	assert_string_equal(ob_prs_category(85), "above average");
	assert_int_equal(ob_prs_refdist_parse(&rd, "sd\t0.61\n", "rd"), OB_EINVALID);
	assert_string_equal(ob_error_last(), "rd:1: mean: not given (a reference distribution needs both mean and sd)");
	assert_int_equal(ob_prs_refdist_parse(&rd, "mean\t1\nsd\t-1\n", "rd"), OB_EINVALID);
	assert_string_equal(ob_error_last(), "rd:2: sd: must be positive");
}

/* ---- agreement with plink2 on the shared data ------------------------------ */

/* True when ours rounds to plink's 6-significant-digit value. */
static bool same6(double ours, double plink)
{
	if (plink == 0)
		return fabs(ours) < 5e-7;
	double ulp = 0.5 * pow(10, floor(log10(fabs(plink))) - 5);
	return fabs(ours - plink) <= ulp * (1 + 1e-9) + 1e-12;
}

/* Compares r with a plink2 .sscore (cols=+scoresums); returns samples checked. */
static int compare_sscore(const ob_prs_result *r, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[512], iid[128];
	int n = 0, ct;
	double named, avg, sum;

	assert_non_null(f);
	assert_non_null(fgets(line, sizeof line, f));
	assert_non_null(strstr(line, "SCORE1_SUM"));
	while (fgets(line, sizeof line, f)) {
		assert_int_equal(sscanf(line, "%127s %d %lf %lf %lf", iid, &ct, &named, &avg, &sum), 5);
		const ob_prs_sample *x = ob_prs_result_sample(r, n);
		/* plink2 names a VCF sample FID_IID when it holds '_'... here IID only */
		assert_true(!strcmp(x->name, iid) || !strncmp(iid, x->name, strlen(x->name)));
		if (!same6(x->score, sum))
			fail_msg("%s: sample %s: ours %.10g, plink2 %s", path, iid, x->score, line);
		assert_int_equal(x->allele_ct, ct);
		assert_true(same6(x->effect_dosage, named));
		n++;
	}
	fclose(f);
	assert_int_equal(n, ob_prs_result_nsamples(r));
	return n;
}

/* The entries used must be exactly plink2's .sscore.vars (IDs chr:pos). */
static void compare_vars(const ob_prs_score *s, const ob_prs_result *r, const char *path, bool by_id)
{
	FILE *f = fopen(path, "r");
	char line[256];
	int nvars = 0, used = 0;

	assert_non_null(f);
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = 0;
		nvars++;
		bool found = false;
		for (size_t i = 0; i < ob_prs_score_size(s) && !found; i++) {
			const ob_prs_entry *e = ob_prs_score_entry(s, i);
			char id[128];
			if (by_id)
				snprintf(id, sizeof id, "%s", e->id);
			else
				snprintf(id, sizeof id, "%s:%lld", e->chr, (long long)e->pos);
			if (!strcmp(id, line)) {
				found = true;
				assert_int_equal(ob_prs_result_status(r, i), OB_PRS_USED);
			}
		}
		if (!found)
			fail_msg("%s: %s is not a used entry", path, line);
	}
	fclose(f);
	for (size_t i = 0; i < ob_prs_score_size(s); i++)
		used += ob_prs_result_status(r, i) == OB_PRS_USED;
	assert_int_equal(used, nvars);
}

static void check_set(const char *score, const char *vcf, bool no_mi, const char *sscore,
	const char *vars, bool by_id, int want_used)
{
	char sp[1200], vp[1200], pp[1200], lp[1200];
	ob_prs_score *s = NULL;
	ob_prs_result *r = NULL;
	ob_prs_opts o = { .no_mean_impute = no_mi };
	ob_prs_counts c;

	snprintf(sp, sizeof sp, "%s/%s", prsdir, score);
	snprintf(vp, sizeof vp, "%s/%s", prsdir, vcf);
	snprintf(pp, sizeof pp, "%s/%s", prsdir, sscore);
	snprintf(lp, sizeof lp, "%s/%s", prsdir, vars);
	if (ob_prs_score_load(&s, sp, NULL) < 0 || ob_prs_compute(&r, s, vp, &o) < 0)
		fail_msg("%s", ob_error_last());
	ob_prs_result_counts(r, &c);
	assert_int_equal(c.used, want_used);
	assert_true(compare_sscore(r, pp) > 0);
	compare_vars(s, r, lp, by_id);
	ob_prs_result_free(r);
	ob_prs_score_free(s);
}

static void test_synthetic_complete_equals_plink2(void **state)
{
	(void)state;
	check_set("PGS000004_GRCh37.txt", "synthetic/synthetic_prs313_GRCh37_complete.vcf.gz", false,
		"synthetic/plink2_complete.sscore", "synthetic/plink2_complete.sscore.vars", false, 312);
	/* the plink2-ready layout gives the same */
	check_set("PGS000004_GRCh37.plink2.tsv", "synthetic/synthetic_prs313_GRCh37_complete.vcf.gz", false,
		"synthetic/plink2_complete.sscore", "synthetic/plink2_complete.sscore.vars", false, 312);
}

static void test_synthetic_missing_equals_plink2_both_conventions(void **state)
{
	(void)state;
	check_set("PGS000004_GRCh37.txt", "synthetic/synthetic_prs313_GRCh37_missing.vcf.gz", false,
		"synthetic/plink2_missing_meanimpute.sscore",
		"synthetic/plink2_missing_meanimpute.sscore.vars", false, 312);
	check_set("PGS000004_GRCh37.txt", "synthetic/synthetic_prs313_GRCh37_missing.vcf.gz", true,
		"synthetic/plink2_missing_nomeanimpute.sscore",
		"synthetic/plink2_missing_nomeanimpute.sscore.vars", false, 312);
}

static void test_pgsc_calc_example_equals_plink2(void **state)
{
	(void)state;
	check_set("pgsc_calc_example/PGS001229_22.txt", "pgsc_calc_example/cineca_synthetic_subset.vcf.gz",
		false, "pgsc_calc_example/plink2_PGS001229_22.sscore",
		"pgsc_calc_example/plink2_PGS001229_22.sscore.vars", true, 829);
	/* the plink2-ready file names rsIDs only: matched by the VCF's ID column */
	check_set("pgsc_calc_example/PGS001229_22.plink2.tsv", "pgsc_calc_example/cineca_synthetic_subset.vcf.gz",
		false, "pgsc_calc_example/plink2_PGS001229_22.sscore",
		"pgsc_calc_example/plink2_PGS001229_22.sscore.vars", true, 829);
	check_set("pgsc_calc_example/PGS001229_22.txt", "pgsc_calc_example/cineca_synthetic_subset.vcf.gz",
		true, "pgsc_calc_example/plink2_PGS001229_22_nomeanimpute.sscore",
		"pgsc_calc_example/plink2_PGS001229_22_nomeanimpute.sscore.vars", true, 829);
}

/* The same genotypes as BCF (written here with htslib) give the same sums. */
static void test_bcf_input_equals_vcf(void **state)
{
	char sp[1200], vp[1200], bp[64];
	ob_prs_score *s = NULL;
	ob_prs_result *a = NULL, *b = NULL;

	(void)state;
	snprintf(sp, sizeof sp, "%s/PGS000004_GRCh37.txt", prsdir);
	snprintf(vp, sizeof vp, "%s/synthetic/synthetic_prs313_GRCh37_missing.vcf.gz", prsdir);
	write_tmp("", bp);
	htsFile *in = hts_open(vp, "r"), *out = hts_open(bp, "wb");
	assert_non_null(in);
	assert_non_null(out);
	bcf_hdr_t *h = bcf_hdr_read(in);
	assert_int_equal(bcf_hdr_write(out, h), 0);
	bcf1_t *rec = bcf_init();
	while (bcf_read(in, h, rec) == 0)
		assert_int_equal(bcf_write(out, h, rec), 0);
	bcf_destroy(rec);
	bcf_hdr_destroy(h);
	hts_close(in);
	hts_close(out);

	assert_int_equal(ob_prs_score_load(&s, sp, NULL), 0);
	assert_int_equal(ob_prs_compute(&a, s, vp, NULL), 0);
	if (ob_prs_compute(&b, s, bp, NULL) < 0)
		fail_msg("%s", ob_error_last());
	unlink(bp);
	ob_prs_counts ca, cb;
	ob_prs_result_counts(a, &ca);
	ob_prs_result_counts(b, &cb);
	assert_int_equal(cb.used, 312);
	assert_int_equal(cb.parsed, ca.parsed);
	assert_int_equal(ob_prs_result_nsamples(b), 200);
	for (int i = 0; i < 200; i++) {
		assert_true(fabs(ob_prs_result_sample(a, i)->score - ob_prs_result_sample(b, i)->score) < 1e-12);
		assert_int_equal(ob_prs_result_sample(a, i)->variants_missing,
			ob_prs_result_sample(b, i)->variants_missing);
	}
	ob_prs_result_free(a);
	ob_prs_result_free(b);
	ob_prs_score_free(s);
}

static void test_one_sample_for_a_report(void **state)
{
	char sp[1200], vp[1200];
	ob_prs_sample x;
	ob_prs_risk k;
	ob_prs_score *s = NULL;
	ob_prs_result *r = NULL;
	ob_prs_refdist rd;

	(void)state;
	snprintf(sp, sizeof sp, "%s/PGS000004_GRCh37.txt", prsdir);
	snprintf(vp, sizeof vp, "%s/synthetic/synthetic_prs313_GRCh37_missing.vcf.gz", prsdir);
	assert_int_equal(ob_prs_score_load(&s, sp, NULL), 0);
	assert_int_equal(ob_prs_compute(&r, s, vp, NULL), 0);
	assert_int_equal(ob_prs_refdist_from(&rd, r, ob_prs_score_meta(s, "pgs_id")), 0);
	assert_string_equal(rd.pgs_id, "PGS000004");
	assert_int_equal(rd.n, 200);
	/* the cohort's own z-scores have mean 0 and SD 1 */
	double sz = 0, sz2 = 0;
	for (int i = 0; i < 200; i++) {
		assert_int_equal(ob_prs_place(&rd, ob_prs_result_sample(r, i)->score, &k), 0);
		sz += k.z;
		sz2 += k.z * k.z;
	}
	assert_true(fabs(sz / 200) < 1e-9);
	assert_true(fabs(sz2 / 199 - 1) < 1e-9);

	assert_int_equal(ob_prs_one(sp, vp, "S007", &rd, NULL, &x, &k), 0);
	const ob_prs_sample *w = ob_prs_result_find(r, "S007");
	assert_true(fabs(x.score - w->score) < 1e-12);
	assert_string_equal(x.name, "S007");
	assert_true(fabs(k.z - (w->score - rd.mean) / rd.sd) < 1e-12);
	assert_int_equal(ob_prs_one(sp, vp, "NOPE", NULL, NULL, &x, &k), OB_ENOTFOUND);
	ob_prs_result_free(r);
	ob_prs_score_free(s);
}

int main(void)
{
	const char *sh = getenv("OB_SHARED");
	snprintf(prsdir, sizeof prsdir, "%s/data/genomics/prs", sh && *sh ? sh : "../shared");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_comments_and_columns_are_read),
		cmocka_unit_test(test_plink2_layout_id_gives_the_position),
		cmocka_unit_test(test_harmonized_reads_hm_positions_and_keeps_unmapped_rows),
		cmocka_unit_test(test_score_missing_a_column_names_file_line_and_column),
		cmocka_unit_test(test_weight_not_a_number_is_refused),
		cmocka_unit_test(test_vcf_without_gt_is_refused),
		cmocka_unit_test(test_dosages_by_hand),
		cmocka_unit_test(test_ds_wins_over_gt_unless_gt_only),
		cmocka_unit_test(test_haploid_counts_twice_and_half_missing_is_missing),
		cmocka_unit_test(test_strand_flip_only_on_request_and_never_palindromic),
		cmocka_unit_test(test_other_allele_must_match_and_duplicates_are_ignored),
		cmocka_unit_test(test_id_only_entries_match_the_vcf_id),
		cmocka_unit_test(test_refdist_places_a_score),
		cmocka_unit_test(test_synthetic_complete_equals_plink2),
		cmocka_unit_test(test_synthetic_missing_equals_plink2_both_conventions),
		cmocka_unit_test(test_pgsc_calc_example_equals_plink2),
		cmocka_unit_test(test_bcf_input_equals_vcf),
		cmocka_unit_test(test_one_sample_for_a_report),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
