/*
 * test_germline.c - germline interpretation (src/interp/germline.h): the
 * shipped panels and gene tables, RET codon -> ATA 2015 category and
 * management, the classification of tests/data/germline/sample.vcf
 * (PVS1 edge cases, frequency, REVEL, BP7, panels, genotypes), ClinVar
 * beside it and flagged disagreement, manual evidence, JSON and HTML,
 * annotation on the fly with PS1/PM5 (GRCh37 BRCA1), and the concordance
 * with ClinVar's expert panels on the shared GRCh38 excerpt (figure printed,
 * floor asserted).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "base/error.h"
#include "interp/germline.h"
#include "support/testdb.h"

#include <htslib/vcf.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SAMPLE "tests/data/germline/sample.vcf"

/* Concordance floors (percent of decidable expert-panel records whose
 * 3-tier class we match), a little under the figures measured when the
 * test was written (docs/germline.md): all routes 78.9%, null variants
 * 99.2%, and 99.5% of the records we put in P/LP or B/LB. */
#define CONCORDANCE_FLOOR 75.0
#define NULL_ROUTE_FLOOR 97.0
#define DECIDED_FLOOR 99.0

static char shared[400];

static void write_file(const char *path, const char *text);

static const char *data(const char *rel, char *buf, size_t n)
{
	snprintf(buf, n, "%s/data/genomics/%s", shared, rel);
	return buf;
}

static void test_panels_and_gene_tables(void **state)
{
	char genes[512];
	const ob_acmg_gene *g;
	size_t n;

	(void)state;
	assert_true(ob_germline_panel_known("breast"));
	assert_true(ob_germline_panel_known("thyroid"));
	assert_true(ob_germline_panel_known("hereditary-cancer"));
	assert_false(ob_germline_panel_known("lung"));
	assert_true(ob_germline_in_panel("breast", "RAD51D"));
	assert_false(ob_germline_in_panel("breast", "RET"));
	assert_true(ob_germline_in_panel("thyroid", "RET"));
	assert_true(ob_germline_in_panel("thyroid", "PRKAR1A"));
	assert_true(ob_germline_in_panel("hereditary-cancer", "EPCAM"));
	assert_true(ob_germline_in_panel(NULL, "WT1")); /* the table's last row was read */
	assert_false(ob_germline_in_panel(NULL, "KRAS"));
	ob_germline_panel_genes("breast", genes, sizeof genes);
	assert_string_equal(genes, "BRCA1, BRCA2, PALB2, ATM, CHEK2, TP53, PTEN, CDH1, STK11, "
		"BARD1, BRIP1, RAD51C, RAD51D");
	g = ob_germline_gene("RET");
	assert_false(g->lof_mechanism);
	assert_non_null(strstr(g->mechanism_note, "gain of function"));
	g = ob_germline_gene("BRCA1");
	assert_true(g->lof_mechanism);
	assert_true(fabs(g->ba1 - 0.001) < 1e-12);
	assert_true(fabs(g->bs1 - 0.0001) < 1e-12);
	g = ob_germline_gene("TP53");
	assert_true(g->ba1_gte);
	assert_true(fabs(g->bs1 - 0.0003) < 1e-12);
	g = ob_germline_gene("NOSUCHGENE");
	assert_false(g->lof_mechanism);
	assert_true(fabs(g->ba1 - 0.05) < 1e-12);
	const ob_acmg_region *r = ob_germline_regions(&n);
	assert_true(n >= 15);
	int tp53_175 = 0;
	for (size_t i = 0; i < n; i++)
		tp53_175 |= !strcmp(r[i].gene, "TP53") && r[i].beg == 175;
	assert_true(tp53_175);
}

static void test_ret_ata_categories(void **state)
{
	ob_ret_risk k;

	(void)state;
	assert_int_equal(ob_germline_ret_risk("p.Met918Thr", &k), 1);
	assert_string_equal(k.code, "HST");
	assert_string_equal(k.label, "highest");
	assert_non_null(strstr(k.thyroidectomy, "first year of life"));
	assert_int_equal(ob_germline_ret_risk("p.Cys634Arg", &k), 1);
	assert_string_equal(k.code, "H");
	assert_non_null(strstr(k.thyroidectomy, "age 5"));
	assert_string_equal(k.pheo, "age 11 years");
	assert_int_equal(ob_germline_ret_risk("C634W", &k), 1);
	assert_string_equal(k.code, "H");
	assert_int_equal(ob_germline_ret_risk("p.Val804Met", &k), 1);
	assert_string_equal(k.code, "MOD");
	assert_string_equal(k.hpth, "age 16 years");
	assert_int_equal(ob_germline_ret_risk("p.Val804Leu", &k), 1);
	assert_string_equal(k.code, "MOD");
	assert_int_equal(ob_germline_ret_risk("p.Ala883Phe", &k), 1);
	assert_string_equal(k.code, "H");
	/* a listed codon, an unlisted substitution */
	assert_int_equal(ob_germline_ret_risk("p.Cys634Ala", &k), 0);
	assert_non_null(strstr(k.note, "not"));
	assert_int_equal(ob_germline_ret_risk("p.Met918Val", &k), 0);
	/* an unlisted codon, a frameshift */
	assert_int_equal(ob_germline_ret_risk("p.Gly691Ser", &k), 0);
	assert_int_equal(ob_germline_ret_risk("p.Val1852fs", &k), 0);
}

static void test_ret_by_genomic_position_in_both_builds(void **state)
{
	ob_ret_risk k;
	char pc[32], in[] = "/tmp/ob-test-germline-ret-XXXXXX";
	ob_germline_opts o;
	ob_germline *g = NULL;
	int fd;

	(void)state;
	/* M918T c.2753T>C: NC_000010.10:g.43617416, NC_000010.11:g.43121968 */
	assert_int_equal(ob_germline_ret_locus("GRCh37", "10", 43617416, "T", "C", pc, sizeof pc,
		&k), 1);
	assert_string_equal(pc, "p.Met918Thr");
	assert_string_equal(k.code, "HST");
	assert_int_equal(ob_germline_ret_locus("GRCh38", "chr10", 43121968, "T", "C", pc, sizeof pc,
		&k), 1);
	assert_string_equal(k.code, "HST");
	/* C634R c.1900T>C (GRCh37 10:43609948); C634W at the codon's third base */
	assert_int_equal(ob_germline_ret_locus("GRCh37", "10", 43609948, "T", "C", pc, sizeof pc,
		&k), 1);
	assert_string_equal(pc, "p.Cys634Arg");
	assert_string_equal(k.code, "H");
	assert_int_equal(ob_germline_ret_locus("GRCh37", "10", 43609950, "C", "G", pc, sizeof pc,
		&k), 1);
	assert_string_equal(pc, "p.Cys634Trp");
	/* a synonymous change at 918; a position of no anchored codon; the
	 * other build's position */
	assert_int_equal(ob_germline_ret_locus("GRCh37", "10", 43617417, "G", "A", pc, sizeof pc,
		&k), 0);
	assert_string_equal(pc, "p.Met918Ile");
	assert_int_equal(ob_germline_ret_locus("GRCh37", "10", 43617500, "G", "A", pc, sizeof pc,
		&k), 0);
	assert_int_equal(k.codon, 0);
	assert_int_equal(ob_germline_ret_locus("GRCh37", "10", 43121968, "T", "C", pc, sizeof pc,
		&k), 0);
	/* an unannotated GRCh38 VCF: M918T found by position */
	assert_true((fd = mkstemp(in)) >= 0);
	close(fd);
	write_file(in, "##fileformat=VCFv4.2\n##reference=GRCh38\n##contig=<ID=10>\n"
		"##FORMAT=<ID=GT,Number=1,Type=String,Description=\"GT\">\n"
		"#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tP1\n"
		"10\t43121968\t.\tT\tC\t.\t.\t.\tGT\t0/1\n");
	memset(&o, 0, sizeof o);
	o.panel = "thyroid";
	assert_int_equal(ob_germline_run(in, &o, &g), 0);
	assert_int_equal(g->nvar, 1);
	assert_string_equal(g->var[0].hgvs_p, "p.Met918Thr");
	assert_true(g->var[0].ret_found);
	assert_string_equal(g->var[0].ret.code, "HST");
	ob_germline_free(g);
	o.panel = "breast"; /* RET is not on it */
	assert_int_equal(ob_germline_run(in, &o, &g), 0);
	assert_int_equal(g->nvar, 0);
	ob_germline_free(g);
	unlink(in);
}

static const ob_germline_var *by_key(const ob_germline *g, const char *key)
{
	for (size_t i = 0; i < g->nvar; i++)
		if (!strcmp(g->var[i].key, key))
			return &g->var[i];
	return NULL;
}

static const ob_acmg_crit *crit(const ob_germline_var *v, const char *code)
{
	for (size_t i = 0; i < v->ncrit; i++)
		if (!strcmp(v->crit[i].code, code))
			return &v->crit[i];
	return NULL;
}

static void test_sample_without_clinvar(void **state)
{
	ob_germline_opts o;
	ob_germline *g = NULL;
	const ob_germline_var *v;

	(void)state;
	memset(&o, 0, sizeof o);
	assert_int_equal(ob_germline_run(SAMPLE, &o, &g), 0);
	assert_int_equal(g->records, 11);
	assert_int_equal(g->in_panel, 9);           /* KRAS and a 0/0 call left out */
	assert_null(by_key(g, "12:25245350:C:T"));
	assert_null(by_key(g, "17:43067000:C:T"));
	assert_string_equal(g->sample, "S1");
	/* RET M918T: highest; C634R: high; V804M: moderate; no PVS1 ever for RET */
	assert_non_null(v = by_key(g, "10:43121968:T:C"));
	assert_true(v->ret_found);
	assert_string_equal(v->ret.code, "HST");
	assert_int_equal(crit(v, "PM1")->strength, OB_ACMG_MODERATE);
	assert_string_equal((v = by_key(g, "10:43114500:T:C"))->ret.code, "H");
	assert_string_equal((v = by_key(g, "10:43119548:G:A"))->ret.code, "MOD");
	/* RET G691S at AF 0.21: BA1, Benign, no ATA category */
	v = by_key(g, "10:43113620:G:A");
	assert_int_equal(v->result.cls, OB_ACMG_BENIGN);
	assert_false(v->ret_found);
	assert_string_equal(v->genotype, "1/1");
	/* BRCA1 nonsense mid-gene, absent from gnomAD: PVS1 + PM2_Supporting =
	 * LP by the SVI 2020 rule */
	v = by_key(g, "17:43106476:A:T");
	assert_int_equal(crit(v, "PVS1")->strength, OB_ACMG_VERY_STRONG);
	assert_int_equal(crit(v, "PM2")->strength, OB_ACMG_SUPPORTING);
	assert_int_equal(v->result.cls, OB_ACMG_LIKELY_PATHOGENIC);
	assert_true(v->svi_pm2_rule);
	assert_string_equal(v->result.path_rules, "LP.svi2020");
	/* frameshift in the last exon: NMD escape, downgraded */
	v = by_key(g, "17:43045705:TG:T");
	assert_int_equal(crit(v, "PVS1")->strength, OB_ACMG_MODERATE);
	assert_int_equal(v->result.cls, OB_ACMG_VUS);
	/* TP53 R175H: PM1 hotspot, REVEL 0.95 PP3_Strong, rare: LP */
	v = by_key(g, "17:7675088:C:T");
	assert_int_equal(crit(v, "PM1")->strength, OB_ACMG_MODERATE);
	assert_int_equal(crit(v, "PP3")->strength, OB_ACMG_STRONG);
	assert_int_equal(v->result.cls, OB_ACMG_LIKELY_PATHOGENIC);
	/* BRCA2 synonymous at 0.3%: BA1 (ENIGMA > 0.1%) and BP7 */
	v = by_key(g, "13:32319207:A:G");
	assert_int_equal(v->result.cls, OB_ACMG_BENIGN);
	assert_int_equal(crit(v, "BP7")->strength, OB_ACMG_SUPPORTING);
	/* CHEK2 canonical splice donor: PVS1 */
	v = by_key(g, "22:28695868:C:T");
	assert_int_equal(crit(v, "PVS1")->strength, OB_ACMG_VERY_STRONG);
	ob_germline_free(g);

	/* strict Table 5: the nonsense stays VUS */
	o.strict_2015 = 1;
	assert_int_equal(ob_germline_run(SAMPLE, &o, &g), 0);
	v = by_key(g, "17:43106476:A:T");
	assert_int_equal(v->result.cls, OB_ACMG_VUS);
	assert_false(v->svi_pm2_rule);
	ob_germline_free(g);

	/* the breast panel leaves RET out */
	o.strict_2015 = 0;
	o.panel = "breast";
	assert_int_equal(ob_germline_run(SAMPLE, &o, &g), 0);
	assert_int_equal(g->in_panel, 5);
	assert_null(by_key(g, "10:43121968:T:C"));
	ob_germline_free(g);
	o.panel = "lung";
	assert_int_equal(ob_germline_run(SAMPLE, &o, &g), OB_EUSAGE);
	assert_null(g);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_clinvar_beside_and_manual_evidence(void **state)
{
	ob_testdb t;
	ob_clinvar_stats s;
	ob_germline_opts o;
	ob_germline *g = NULL;
	const ob_germline_var *v;
	char path[512], ev[] = "/tmp/ob-test-evidence-XXXXXX";
	int fd;

	(void)state;
	ob_testdb_open(&t);
	assert_int_equal(ob_clinvar_import(t.st, data("germline/clinvar_20260226_panel_GRCh38.vcf.gz",
		path, sizeof path), NULL, &s), 0);
	assert_true((fd = mkstemp(ev)) >= 0);
	close(fd);
	/* the reviewer: functional evidence (PS3) for M918T and a PS4-level
	 * case-control; BA1 on R175H (made up, to force a disagreement) */
	write_file(ev, "variant\tcriterion\tstrength\treviewer\tnote\n"
		"10:43121968:T:C\tPS3\t\tdr-a\tkinase assay\n"
		"chr10:43121968:T:C\tPS4\tModerate\tdr-a\tcase-control\n"
		"17:7675088:C:T\tBA1\t\tdr-b\ttest only\n"
		"1:1:A:C\tPP4\t\tdr-b\tnot in the file\n");
	memset(&o, 0, sizeof o);
	o.store = t.st;
	o.evidence = ev;
	assert_int_equal(ob_germline_run(SAMPLE, &o, &g), 0);
	assert_string_equal(g->clinvar_release, "2026-02-26 (GRCh38)");
	assert_int_equal(g->evidence_rows, 4);
	assert_int_equal(g->evidence_unmatched, 1);
	/* BRCA1 nonsense: ClinVar expert panel says Pathogenic, we say LP: agree */
	v = by_key(g, "17:43106476:A:T");
	assert_true(v->cv_found);
	assert_int_equal(v->cv.variation_id, 141286);
	assert_true(v->cv_expert);
	assert_false(v->cv_disagree);
	/* M918T with the reviewer's PS3 + PS4_Moderate + PM1 + PM2_Supporting:
	 * PS3 + 2 PM + 1 PP -> LP.ii */
	v = by_key(g, "10:43121968:T:C");
	assert_true(v->manual);
	assert_int_equal(crit(v, "PS3")->strength, OB_ACMG_STRONG);
	assert_string_equal(crit(v, "PS3")->source, "reviewer dr-a");
	assert_int_equal(crit(v, "PS4")->strength, OB_ACMG_MODERATE);
	assert_int_equal(v->result.cls, OB_ACMG_LIKELY_PATHOGENIC);
	/* R175H: BA1 against PM1/PP3: conflict -> VUS; ClinVar's expert
	 * Pathogenic now disagrees and is flagged */
	v = by_key(g, "17:7675088:C:T");
	assert_true(v->result.conflict);
	assert_int_equal(v->result.cls, OB_ACMG_VUS);
	assert_true(v->cv_found && v->cv_expert);
	assert_true(v->cv_disagree);

	/* JSON is valid and carries the class, the criteria and ClinVar */
	ob_buf b = OB_BUF_INIT;
	json_error_t jerr;
	assert_int_equal(ob_germline_json(g, &b), 0);
	json_t *j = json_loads(b.s, 0, &jerr);
	if (!j)
		fprintf(stderr, "# JSON: %s at %d\n", jerr.text, jerr.position);
	assert_non_null(j);
	json_t *vars = json_object_get(j, "variants");
	assert_int_equal(json_array_size(vars), 9);
	int seen = 0;
	for (size_t i = 0; i < json_array_size(vars); i++) {
		json_t *x = json_array_get(vars, i);
		if (strcmp(json_string_value(json_object_get(x, "variant")), "17:7675088:C:T"))
			continue;
		seen = 1;
		assert_string_equal(json_string_value(json_object_get(x, "class")),
			"Uncertain significance");
		assert_true(json_is_true(json_object_get(json_object_get(x, "clinvar"), "disagrees")));
		assert_true(json_array_size(json_object_get(x, "criteria")) >= 3);
	}
	assert_true(seen);
	json_decref(j);
	/* HTML: self-contained, names the ATA category and the disagreement */
	ob_buf_clear(&b);
	assert_int_equal(ob_germline_html(g, &b), 0);
	assert_non_null(strstr(b.s, "<!DOCTYPE html>"));
	assert_null(strstr(b.s, "<script"));
	assert_null(strstr(b.s, "src=\"http"));
	assert_non_null(strstr(b.s, "risk category <b>highest</b>"));
	assert_non_null(strstr(b.s, "thyroidectomy in the first year of life"));
	assert_non_null(strstr(b.s, "expert panel differs"));
	ob_buf_dispose(&b);
	ob_germline_free(g);

	/* bad evidence: FILE:LINE: field, nothing classified */
	write_file(ev, "10:43121968:T:C\tPS9\t\tdr-a\tx\n");
	assert_int_equal(ob_germline_run(SAMPLE, &o, &g), OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), ":1: criterion:"));
	write_file(ev, "10:43121968:T:C\tPS3\tHuge\tdr-a\tx\n");
	assert_int_equal(ob_germline_run(SAMPLE, &o, &g), OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), ":1: strength:"));
	write_file(ev, "# a comment\n10:43121968:T:C\tPS3\t\t\tx\n");
	assert_int_equal(ob_germline_run(SAMPLE, &o, &g), OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), ":2: reviewer:"));
	unlink(ev);
	ob_testdb_close(&t);
}

static void test_on_the_fly_ps1_pm5_and_nmd_geometry(void **state)
{
	ob_testdb t;
	ob_clinvar_stats s;
	ob_clinvar_opts co = { 0, NULL, NULL };
	ob_germline_opts o;
	ob_germline *g = NULL;
	ob_annotator *a = NULL;
	ob_gff *models = NULL;
	const ob_germline_var *v;
	char fa[512], gff[512], in[] = "/tmp/ob-test-germline-XXXXXX";
	int fd;

	(void)state;
	data("brca1-grch37/GRCh37_17_brca1_padded.fa.gz", fa, sizeof fa);
	data("brca1-grch37/refseq_brca1.gff3", gff, sizeof gff);
	assert_int_equal(ob_annotator_new(&a, fa, gff), 0);
	assert_int_equal(ob_gff_load(&models, gff), 0);
	co.annotator = a;
	co.models = models;
	ob_testdb_open(&t);
	assert_int_equal(ob_clinvar_import(t.st, "tests/data/germline/clinvar_brca1_grch37.vcf", &co,
		&s), 0);
	assert_true((fd = mkstemp(in)) >= 0);
	close(fd);
	/* c.5259A>C p.Arg1753Ser (same residue change as the fixture's pathogenic
	 * c.5259A>T; Arg1753Lys likely pathogenic there too); and
	 * c.5545G>T p.Glu1849Ter, a nonsense in BRCA1's last exon (24 of 24
	 * on NM_007294.4: the frame is read from the models) */
	write_file(in, "##fileformat=VCFv4.2\n##contig=<ID=17>\n"
		"##INFO=<ID=gnomAD_AF,Number=A,Type=Float,Description=\"AF\">\n"
		"#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
		"17\t41209087\t.\tT\tG\t.\t.\t.\n"
		"17\t41197742\t.\tC\tA\t.\t.\t.\n");
	memset(&o, 0, sizeof o);
	o.store = t.st;
	o.annotator = a;
	o.models = models;
	assert_int_equal(ob_germline_run(in, &o, &g), 0);
	assert_int_equal(g->in_panel, 2);
	v = by_key(g, "17:41209087:T:G");
	assert_non_null(v);
	assert_string_equal(v->hgvs_p, "p.Arg1753Ser");
	assert_int_equal(crit(v, "PS1")->strength, OB_ACMG_STRONG);
	assert_non_null(strstr(crit(v, "PS1")->reason, "900001"));
	assert_int_equal(crit(v, "PM5")->strength, OB_ACMG_MODERATE);
	assert_non_null(strstr(crit(v, "PM5")->reason, "p.Arg1753Lys"));
	/* PS1 + PM5 + PM2_Supporting: LP.ii */
	assert_int_equal(v->result.cls, OB_ACMG_LIKELY_PATHOGENIC);
	v = by_key(g, "17:41197742:C:A");
	assert_non_null(v);
	fprintf(stderr, "# last-exon nonsense: %s %s %s\n", v->consequence, v->hgvs_p,
		crit(v, "PVS1") ? crit(v, "PVS1")->reason : "(no PVS1)");
	assert_non_null(strstr(v->consequence, "stop_gained"));
	assert_int_equal(crit(v, "PVS1")->strength, OB_ACMG_MODERATE); /* removes < 10% */
	assert_non_null(strstr(crit(v, "PVS1")->reason, "escape NMD"));
	ob_germline_free(g);
	unlink(in);
	ob_testdb_close(&t);
	ob_gff_free(models);
	ob_annotator_free(a);
}

static void test_inframe_repeat_context_pm4_bp3(void **state)
{
	char fa[] = "/tmp/ob-test-germline-fa-XXXXXX", in[] = "/tmp/ob-test-germline-vcf-XXXXXX";
	char fai[64];
	ob_germline_opts o;
	ob_germline *g = NULL;
	const ob_germline_var *v;
	int fd;

	(void)state;
	assert_true((fd = mkstemp(fa)) >= 0);
	close(fd);
	assert_true((fd = mkstemp(in)) >= 0);
	close(fd);
	/* 10-21: GAG x4 (a repeat); 28-30: AAA between TTT and CCC (none) */
	write_file(fa, ">T\nACGTACGTAGAGGAGGAGGAGCCCTTTAAACCCGGGTTTACGT\n");
#define ANN_DEL(a, c, p) "ANN=" a "|inframe_deletion|MODERATE|BRCA1|BRCA1|transcript|NM_007294.4|" \
	"protein_coding|10/23|" c "|" p "|||||"
	write_file(in, "##fileformat=VCFv4.2\n##contig=<ID=T>\n"
		"##INFO=<ID=ANN,Number=.,Type=String,Description=\"ANN\">\n"
		"#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
		"T\t9\t.\tAGAG\tA\t.\t.\t" ANN_DEL("A", "c.10_12del", "p.Glu4del") "\n"
		"T\t27\t.\tTAAA\tT\t.\t.\t" ANN_DEL("T", "c.28_30del", "p.Lys10del") "\n");
	memset(&o, 0, sizeof o);
	/* without a reference the context is unknown: PM4 with the caveat */
	assert_int_equal(ob_germline_run(in, &o, &g), 0);
	v = by_key(g, "T:9:AGAG:A");
	assert_int_equal(crit(v, "PM4")->strength, OB_ACMG_MODERATE);
	assert_non_null(strstr(crit(v, "PM4")->reason, "not checked"));
	ob_germline_free(g);
	o.fasta = fa;
	assert_int_equal(ob_germline_run(in, &o, &g), 0);
	v = by_key(g, "T:9:AGAG:A");
	assert_null(crit(v, "PM4"));
	assert_int_equal(crit(v, "BP3")->strength, OB_ACMG_SUPPORTING);
	v = by_key(g, "T:27:TAAA:T");
	assert_null(crit(v, "BP3"));
	assert_int_equal(crit(v, "PM4")->strength, OB_ACMG_MODERATE);
	assert_non_null(strstr(crit(v, "PM4")->reason, "outside repeat"));
	ob_germline_free(g);
	snprintf(fai, sizeof fai, "%s.fai", fa);
	unlink(fai);
	unlink(fa);
	unlink(in);
}

/* Classifies every expert-panel (3-4 star) record of the shared GRCh38
 * ClinVar excerpt in a panel gene from the record's own facts - ClinVar's
 * molecular consequence, its ExAC allele frequency (AF_EXAC, absent = not
 * seen) - never from its classification or its neighbours, and compares
 * the 3-tier class (P/LP, VUS, B/LB) for those whose criteria our data can
 * decide: a null variant (PVS1 considered), a frequency criterion (BA1,
 * BS1) or a synonymous change (BP7). */
static void test_concordance_with_clinvar_expert_panels(void **state)
{
	char path[512];
	htsFile *fp;
	bcf_hdr_t *h;
	bcf1_t *rec = bcf_init();
	char *sv = NULL;
	int nsv = 0;
	float *fv = NULL;
	int nfv = 0;
	ob_buf terms = OB_BUF_INIT;
	long expert = 0, decidable = 0, agree = 0;
	long route_n[3] = { 0, 0, 0 }, route_ok[3] = { 0, 0, 0 };
	long tier_n[3] = { 0, 0, 0 }, tier_ok[3] = { 0, 0, 0 };
	long decided = 0, decided_ok = 0;

	(void)state;
	data("germline/clinvar_20260226_panel_GRCh38.vcf.gz", path, sizeof path);
	assert_non_null(fp = hts_open(path, "r"));
	assert_non_null(h = bcf_hdr_read(fp));
	while (bcf_read(fp, h, rec) == 0) {
		char rev[128], sig[128], gene[32], mc[1024];
		if (bcf_get_info_string(h, rec, "CLNREVSTAT", &sv, &nsv) < 0)
			continue;
		snprintf(rev, sizeof rev, "%s", sv);
		if (ob_clinvar_stars(rev) < 3)
			continue;
		if (bcf_get_info_string(h, rec, "CLNSIG", &sv, &nsv) < 0)
			continue;
		snprintf(sig, sizeof sig, "%s", sv);
		int want = ob_clinvar_acmg_class(ob_clinvar_class(sig));
		if (want < 0 || bcf_get_info_string(h, rec, "GENEINFO", &sv, &nsv) < 0)
			continue;
		snprintf(gene, sizeof gene, "%.*s", (int)strcspn(sv, ":|"), sv);
		if (!ob_germline_in_panel(NULL, gene))
			continue;
		expert++;
		mc[0] = '\0';
		if (bcf_get_info_string(h, rec, "MC", &sv, &nsv) >= 0)
			snprintf(mc, sizeof mc, "%s", sv);
		assert_int_equal(ob_clinvar_mc_terms(mc, &terms), 0);

		ob_acmg_facts f;
		ob_germline_var v;
		memset(&f, 0, sizeof f);
		memset(&v, 0, sizeof v);
		f.gene = gene;
		f.consequence = terms.s ? terms.s : "";
		f.hgvs_p = "";
		f.nmd_escape = -1;
		f.repeat = -1;
		f.have_af = 1;
		f.af_field = "AF_EXAC";
		f.af = NAN;
		f.revel = NAN;
		if (bcf_get_info_float(h, rec, "AF_EXAC", &fv, &nfv) > 0 && !bcf_float_is_missing(fv[0]))
			f.af = fv[0];
		ob_germline_classify(&v, &f, 0);
		int route = -1;
		for (size_t i = 0; i < v.ncrit; i++) {
			if (!strcmp(v.crit[i].code, "PVS1"))
				route = 0;
			else if (route < 0 && v.crit[i].strength &&
			         (!strcmp(v.crit[i].code, "BA1") || !strcmp(v.crit[i].code, "BS1")))
				route = 1;
			else if (route < 0 && v.crit[i].strength && !strcmp(v.crit[i].code, "BP7"))
				route = 2;
		}
		if (route < 0)
			continue;
		decidable++;
		int ok = ob_germline_tier(v.result.cls) == ob_germline_tier(want);
		agree += ok;
		if (ob_germline_tier(v.result.cls) != 0) {
			decided++;
			decided_ok += ok;
		}
		route_n[route]++;
		route_ok[route] += ok;
		tier_n[1 - ob_germline_tier(want)]++;
		tier_ok[1 - ob_germline_tier(want)] += ok;
	}
	double pct = decidable ? 100.0 * agree / decidable : 0;
	fprintf(stderr, "# concordance with ClinVar expert panels: %ld of %ld decidable records "
		"agree (%.1f%%); %ld expert-panel records in panel genes\n", agree, decidable, pct, expert);
	fprintf(stderr, "#   by route: null variant %ld/%ld, frequency %ld/%ld, synonymous %ld/%ld\n",
		route_ok[0], route_n[0], route_ok[1], route_n[1], route_ok[2], route_n[2]);
	fprintf(stderr, "#   by expert class: P/LP %ld/%ld, VUS %ld/%ld, B/LB %ld/%ld\n",
		tier_ok[0], tier_n[0], tier_ok[1], tier_n[1], tier_ok[2], tier_n[2]);
	fprintf(stderr, "#   of the records we classify P/LP or B/LB: %ld/%ld agree (%.1f%%)\n",
		decided_ok, decided, decided ? 100.0 * decided_ok / decided : 0);
	assert_true(decidable > 1000);
	assert_true(pct >= CONCORDANCE_FLOOR);
	assert_true(100.0 * route_ok[0] / route_n[0] >= NULL_ROUTE_FLOOR);
	assert_true(100.0 * decided_ok / decided >= DECIDED_FLOOR);
	free(sv);
	free(fv);
	ob_buf_dispose(&terms);
	bcf_destroy(rec);
	bcf_hdr_destroy(h);
	hts_close(fp);
}

int main(void)
{
	const char *root = getenv("OB_SHARED");
	snprintf(shared, sizeof shared, "%s", root && *root ? root : "../shared");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_panels_and_gene_tables),
		cmocka_unit_test(test_ret_ata_categories),
		cmocka_unit_test(test_ret_by_genomic_position_in_both_builds),
		cmocka_unit_test(test_sample_without_clinvar),
		cmocka_unit_test(test_clinvar_beside_and_manual_evidence),
		cmocka_unit_test(test_on_the_fly_ps1_pm5_and_nmd_geometry),
		cmocka_unit_test(test_inframe_repeat_context_pm4_bp3),
		cmocka_unit_test(test_concordance_with_clinvar_expert_panels),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
