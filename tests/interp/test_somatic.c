/*
 * test_somatic.c - somatic interpretation (src/interp/somatic.h).
 *
 * Part 1: the specification matcher and protein notation on hand-built
 * entries. Part 2: the interpretation with a small array of knowledge-base
 * rows built here (tumour-type hierarchy, resistance beside sensitivity,
 * a tumour type with no evidence, multi-allelic sites, a VCF without a
 * sample column, fusions, copy number, TMB, MSI, bad input). Part 3: a
 * table of known facts through the whole path - VCF -> annotation (the
 * synthetic genome of tests/data/somatic/, make_genome.py) -> match with
 * the shipped curated base -> JSON/HTML report.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "base/error.h"
#include "interp/kb.h"
#include "interp/somatic.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define DATA "tests/data/somatic/"

/* ---- part 1: matcher -------------------------------------------------- */

static ob_csq entry(const char *cons, const char *p, int exon, int intron)
{
	ob_csq c;
	memset(&c, 0, sizeof c);
	c.allele = "A";
	c.consequence = cons;
	c.impact = "";
	c.gene = "G";
	c.transcript = "T";
	c.biotype = "protein_coding";
	c.hgvs_c = "";
	c.hgvs_p = p;
	c.exon = exon;
	c.intron = intron;
	return c;
}

static void test_protein_short(void **state)
{
	char b[64];
	(void)state;
	ob_somatic_protein_short("p.Val600Glu", b, sizeof b);
	assert_string_equal(b, "p.V600E");
	ob_somatic_protein_short("p.(Gln5Ter)", b, sizeof b);
	assert_string_equal(b, "p.Q5*");
	ob_somatic_protein_short("p.Glu746_Ala750del", b, sizeof b);
	assert_string_equal(b, "p.E746_A750del");
	ob_somatic_protein_short("p.Arg700LysfsTer14", b, sizeof b);
	assert_string_equal(b, "p.R700Kfs*14");
	ob_somatic_protein_short("p.D770_N771insSVD", b, sizeof b); /* one-letter kept */
	assert_string_equal(b, "p.D770_N771insSVD");
	ob_somatic_protein_short("", b, sizeof b);
	assert_string_equal(b, "");
}

static void test_spec_levels_of_detail(void **state)
{
	(void)state;
	ob_csq v600e = entry("missense_variant", "p.Val600Glu", 15, 0);
	ob_csq v600k = entry("missense_variant", "p.Val600Lys", 15, 0);
	assert_int_equal(ob_somatic_spec_match("p.V600E", &v600e), OB_SOM_EXACT);
	assert_int_equal(ob_somatic_spec_match("p.V600E", &v600k), 0);
	assert_int_equal(ob_somatic_spec_match("p.V600", &v600k), OB_SOM_CODON);
	assert_int_equal(ob_somatic_spec_match("p.V60", &v600e), 0);  /* not a prefix match */
	assert_int_equal(ob_somatic_spec_match("mutation", &v600e), OB_SOM_MUTATION);
	assert_int_equal(ob_somatic_spec_match("loss", &v600e), 0);

	ob_csq syn = entry("synonymous_variant", "p.Gly12=", 2, 0);
	assert_int_equal(ob_somatic_spec_match("p.G12", &syn), 0);
	assert_int_equal(ob_somatic_spec_match("mutation", &syn), 0);
	ob_csq g13 = entry("missense_variant", "p.Gly13Asp", 2, 0);
	assert_int_equal(ob_somatic_spec_match("p.G12", &g13), 0);
	assert_int_equal(ob_somatic_spec_match("p.G13", &g13), OB_SOM_CODON);

	ob_csq del19 = entry("inframe_deletion", "p.Leu747_Pro753delinsSer", 19, 0);
	assert_int_equal(ob_somatic_spec_match("exon19 deletion", &del19), OB_SOM_EXON);
	assert_int_equal(ob_somatic_spec_match("exon20 deletion", &del19), 0);
	assert_int_equal(ob_somatic_spec_match("exon19 insertion", &del19), 0);
	ob_csq ins20 = entry("inframe_insertion", "p.Asp770_Asn771insSerValAsp", 20, 0);
	assert_int_equal(ob_somatic_spec_match("exon20 insertion", &ins20), OB_SOM_EXON);
	ob_csq fs = entry("frameshift_variant", "p.Arg700LysfsTer14", 9, 0);
	assert_int_equal(ob_somatic_spec_match("exon19 deletion", &fs), 0);
	assert_int_equal(ob_somatic_spec_match("loss", &fs), OB_SOM_LOSS);
	ob_csq kit11 = entry("missense_variant", "p.Val560Asp", 11, 0);
	assert_int_equal(ob_somatic_spec_match("exon11 mutation", &kit11), OB_SOM_EXON);
	assert_int_equal(ob_somatic_spec_match("exon9 mutation", &kit11), 0);
}

static void test_exon14_skipping_sites(void **state)
{
	(void)state;
	ob_csq don14 = entry("splice_donor_variant&intron_variant", "", 0, 14);
	ob_csq acc13 = entry("splice_acceptor_variant&intron_variant", "", 0, 13);
	ob_csq don13 = entry("splice_donor_variant&intron_variant", "", 0, 13);
	ob_csq del14 = entry("splice_donor_variant&coding_sequence_variant", "p.?", 14, 0);
	ob_csq reg14 = entry("splice_region_variant&intron_variant", "", 0, 14);
	assert_int_equal(ob_somatic_spec_match("exon14 skipping", &don14), OB_SOM_EXON);
	assert_int_equal(ob_somatic_spec_match("exon14 skipping", &acc13), OB_SOM_EXON);
	assert_int_equal(ob_somatic_spec_match("exon14 skipping", &don13), 0); /* exon 13's */
	assert_int_equal(ob_somatic_spec_match("exon14 skipping", &del14), OB_SOM_EXON);
	assert_int_equal(ob_somatic_spec_match("exon14 skipping", &reg14), 0);
	assert_int_equal(ob_somatic_spec_match("loss", &don14), OB_SOM_LOSS);
}

/* ---- part 2: interpretation with rows built here -------------------- */

static const ob_kb_row rows[] = {
	{ "", "msi-high", "", "Pembrolizumab", OB_KB_SENSITIVITY, "I-A", "1", "FDA 2017", "t" },
	{ "", "tmb-high", "", "Pembrolizumab", OB_KB_SENSITIVITY, "I-A", "1", "FDA 2020", "t" },
	{ "ALK", "fusion", "NSCLC", "Alectinib", OB_KB_SENSITIVITY, "I-A", "1", "FDA", "t" },
	{ "EGFR", "exon19 deletion", "NSCLC", "Osimertinib", OB_KB_SENSITIVITY, "I-A", "1", "FDA", "t" },
	{ "EGFR", "p.L858R", "NSCLC", "Osimertinib", OB_KB_SENSITIVITY, "I-A", "1", "FDA", "t" },
	{ "EGFR", "p.S768I", "LUAD", "Erlotinib", OB_KB_SENSITIVITY, "II-C", "", "case", "t" },
	{ "EGFR", "p.T790M", "NSCLC", "Erlotinib", OB_KB_RESISTANCE, "I-B", "", "paper", "t" },
	{ "EGFR", "p.T790M", "NSCLC", "Osimertinib", OB_KB_SENSITIVITY, "I-A", "1", "FDA", "t" },
	{ "ERBB2", "amplification", "BREAST", "Trastuzumab", OB_KB_SENSITIVITY, "I-A", "1", "FDA", "t" },
	{ "KRAS", "p.G12", "COADREAD", "Cetuximab", OB_KB_RESISTANCE, "I-A", "R1", "FDA", "t" },
	{ "NTRK1", "fusion", "", "Larotrectinib", OB_KB_SENSITIVITY, "I-A", "1", "FDA", "t" },
	{ "PIK3CA", "oncogenic", "BREAST", "Capivasertib", OB_KB_SENSITIVITY, "I-A", "1", "FDA", "t" },
	{ "PIK3CA", "p.H1047R", "BREAST", "Alpelisib", OB_KB_SENSITIVITY, "I-A", "1", "FDA", "t" },
	{ "RET", "fusion CCDC6", "NSCLC", "Selpercatinib", OB_KB_SENSITIVITY, "I-A", "1", "FDA", "t" },
};

static const ob_kb_row *test_rows(const void *ctx, const char *gene, size_t *n)
{
	const ob_kb_row *first = NULL;
	(void)ctx;
	*n = 0;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		if (!strcmp(rows[i].gene, gene)) {
			if (!first)
				first = &rows[i];
			(*n)++;
		}
	return first;
}

static char tmpdir[64];

static const char *tmpfile_with(const char *name, const char *text)
{
	static char path[4][128];
	static int k;
	char *p = path[k++ % 4];
	snprintf(p, 128, "%s/%s", tmpdir, name);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return p;
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/ob-test-somatic-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];
	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

#define HDR "##fileformat=VCFv4.2\n##contig=<ID=7,length=1000000>\n" \
	"##INFO=<ID=ANN,Number=.,Type=String,Description=\"Functional annotations\">\n"
#define ANN(al, cons, gene, exon, hgvsp) \
	"ANN=" al "|" cons "|MODERATE|" gene "|" gene "|transcript|T" gene "|protein_coding|" \
	exon "|c.1A>G|" hgvsp "|||||"
#define L858R ANN("G", "missense_variant", "EGFR", "21/28", "p.Leu858Arg")
#define T790M ANN("T", "missense_variant", "EGFR", "20/28", "p.Thr790Met")

static const ob_som_biomarker *find_bm(const ob_somatic *s, const char *gene, const char *alt)
{
	for (size_t i = 0; i < s->nbm; i++)
		if (!strcmp(s->bm[i].gene, gene) && !strcmp(s->bm[i].alteration, alt))
			return &s->bm[i];
	return NULL;
}

static const ob_som_evidence *find_ev(const ob_som_biomarker *b, const char *drug, int effect)
{
	for (size_t k = 0; b && k < b->nev; k++)
		if (!strcasecmp(b->ev[k].row->drugs, drug) && b->ev[k].row->effect == effect)
			return &b->ev[k];
	return NULL;
}

static int run(ob_somatic *s, const char *tumor, const char *vcf, ob_somatic_opts *extra)
{
	ob_somatic_opts o = { 0 };
	if (extra)
		o = *extra;
	o.tumor_type = tumor;
	int rc = ob_somatic_init(s, &o, test_rows, NULL, "test rows");
	if (rc < 0)
		return rc;
	if (vcf && (rc = ob_somatic_read_vcf(s, vcf, NULL)) < 0)
		return rc;
	return ob_somatic_finish(s);
}

static void test_resistance_beside_sensitivity_and_hierarchy(void **state)
{
	ob_somatic s;
	(void)state;
	const char *vcf = tmpfile_with("l858r_t790m.vcf", HDR
		"##FORMAT=<ID=AF,Number=A,Type=Float,Description=\"AF\">\n"
		"#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tTUMOR\n"
		"7\t100\t.\tT\tG\t.\tPASS\t" L858R "\tAF\t0.31\n"
		"7\t200\t.\tC\tT\t.\tPASS\t" T790M "\tAF\t0.12\n");
	assert_int_equal(run(&s, "LUAD", vcf, NULL), 0);
	assert_int_equal(s.nbm, 2);
	const ob_som_biomarker *l = find_bm(&s, "EGFR", "p.L858R"), *t = find_bm(&s, "EGFR", "p.T790M");
	assert_non_null(l);
	assert_non_null(t);
	assert_true(l->vaf > 0.30 && l->vaf < 0.32);
	assert_true(t->vaf > 0.11 && t->vaf < 0.13);
	/* NSCLC evidence applies to LUAD (its parent) */
	const ob_som_evidence *e = find_ev(l, "Osimertinib", OB_KB_SENSITIVITY);
	assert_non_null(e);
	assert_int_equal(e->distance, 1);
	assert_string_equal(e->level, "I-A");
	/* T790M: osimertinib sensitivity and erlotinib resistance, both shown */
	assert_non_null(find_ev(t, "Osimertinib", OB_KB_SENSITIVITY));
	e = find_ev(t, "Erlotinib", OB_KB_RESISTANCE);
	assert_non_null(e);
	assert_string_equal(e->level, "I-B");
	assert_string_equal(t->tier, "I-A");
	ob_buf o = OB_BUF_INIT;
	assert_int_equal(ob_somatic_json(&s, &o), 0);
	assert_non_null(strstr(ob_buf_cstr(&o), "\"effect\":\"resistance\""));
	assert_non_null(strstr(ob_buf_cstr(&o), "\"drugs\":\"Erlotinib\""));
	ob_buf_clear(&o);
	assert_int_equal(ob_somatic_html(&s, &o), 0);
	const char *h = ob_buf_cstr(&o);
	assert_non_null(strstr(h, "<h2>Resistance</h2>"));
	assert_non_null(strstr(h, "class=\"res\">Erlotinib"));
	ob_buf_dispose(&o);
	ob_somatic_dispose(&s);

	/* LUSC: NSCLC evidence applies; LUAD-only evidence would not */
	const char *v2 = tmpfile_with("s768i.vcf", HDR
		"#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
		"7\t300\t.\tG\tT\t.\tPASS\t" ANN("T", "missense_variant", "EGFR", "20/28",
		"p.Ser768Ile") "\n");
	assert_int_equal(run(&s, "LUSC", v2, NULL), 0);
	assert_int_equal(s.nbm, 1);
	e = find_ev(&s.bm[0], "Erlotinib", OB_KB_SENSITIVITY);
	assert_non_null(e);
	assert_int_equal(e->distance, -1); /* LUAD evidence is another type for LUSC */
	assert_false(s.bm[0].own_type);
	ob_somatic_dispose(&s);
}

static void test_tumour_type_without_evidence_invents_nothing(void **state)
{
	ob_somatic s;
	(void)state;
	const char *vcf = tmpfile_with("nothing.vcf", HDR
		"#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
		"7\t100\t.\tT\tG\t.\tPASS\t" L858R "\n"
		"7\t150\t.\tA\tG\t.\tPASS\t" ANN("G", "missense_variant", "TP53", "5/11",
		"p.Arg175His") "\n");
	assert_int_equal(run(&s, "PRAD", vcf, NULL), 0);
	/* EGFR L858R: only lung evidence, shown as another type at II-C at most */
	assert_int_equal(s.nbm, 1);
	assert_false(s.bm[0].own_type);
	for (size_t k = 0; k < s.bm[0].nev; k++) {
		assert_int_equal(s.bm[0].ev[k].distance, -1);
		assert_string_equal(s.bm[0].ev[k].level, "II-C");
	}
	assert_null(find_bm(&s, "TP53", "p.R175H")); /* no row: nothing */
	ob_somatic_dispose(&s);
	assert_int_equal(run(&s, "XYZ1", NULL, NULL), OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), "XYZ1"));
}

static void test_no_sample_column_and_multiallelic(void **state)
{
	ob_somatic s;
	(void)state;
	const char *vcf = tmpfile_with("nosample.vcf", HDR
		"#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
		"7\t100\t.\tT\tG\t.\tPASS\t" L858R "\n");
	assert_int_equal(run(&s, "NSCLC", vcf, NULL), 0);
	assert_int_equal(s.nbm, 1);
	assert_true(s.bm[0].vaf < 0);
	assert_string_equal(s.sample, "");
	ob_somatic_dispose(&s);

	/* KRAS codon 12, two ALTs; AD of the tumour (second) sample by
	 * ##tumor_sample; the first ALT's entry comes second in ANN */
	const char *v2 = tmpfile_with("multi.vcf", HDR
		"##tumor_sample=T1\n"
		"##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"AD\">\n"
		"#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tN1\tT1\n"
		"7\t500\t.\tC\tT,A\t.\tPASS\tANN=A|missense_variant|MODERATE|KRAS|KRAS|transcript|"
		"TK|protein_coding|2/5|c.34G>T|p.Gly12Cys|||||,T|missense_variant|MODERATE|KRAS|KRAS|"
		"transcript|TK|protein_coding|2/5|c.35G>A|p.Gly12Asp|||||\tAD\t50,0,0\t50,30,20\n");
	assert_int_equal(run(&s, "COAD", v2, NULL), 0);
	assert_string_equal(s.sample, "T1");
	assert_int_equal(s.nbm, 2);
	const ob_som_biomarker *d = find_bm(&s, "KRAS", "p.G12D"), *c = find_bm(&s, "KRAS", "p.G12C");
	assert_non_null(d);
	assert_non_null(c);
	assert_string_equal(d->alt, "T");
	assert_string_equal(c->alt, "A");
	assert_true(d->vaf > 0.29 && d->vaf < 0.31);
	assert_true(c->vaf > 0.19 && c->vaf < 0.21);
	assert_non_null(find_ev(d, "Cetuximab", OB_KB_RESISTANCE));
	assert_int_equal(find_ev(d, "Cetuximab", OB_KB_RESISTANCE)->distance, 1);
	ob_somatic_dispose(&s);

	ob_somatic_opts o = { .sample = "NOPE" };
	assert_int_equal(run(&s, "COAD", v2, &o), OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), "NOPE"));
	ob_somatic_dispose(&s);
}

static void test_oncogenic_limited_to_listed_hotspots(void **state)
{
	ob_somatic s;
	(void)state;
	const char *vcf = tmpfile_with("pik3ca.vcf", HDR
		"#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
		"7\t100\t.\tA\tG\t.\tPASS\t" ANN("G", "missense_variant", "PIK3CA", "21/21",
		"p.His1047Arg") "\n"
		"7\t200\t.\tA\tG\t.\tPASS\t" ANN("G", "missense_variant", "PIK3CA", "3/21",
		"p.Lys111Glu") "\n");
	assert_int_equal(run(&s, "IDC", vcf, NULL), 0);
	const ob_som_biomarker *h = find_bm(&s, "PIK3CA", "p.H1047R");
	assert_non_null(h);
	assert_non_null(find_ev(h, "Alpelisib", OB_KB_SENSITIVITY));
	assert_non_null(find_ev(h, "Capivasertib", OB_KB_SENSITIVITY));
	assert_null(find_bm(&s, "PIK3CA", "p.K111E")); /* not a hotspot the base lists */
	ob_somatic_dispose(&s);
}

static void test_tmb_counts_pass_coding_nonsynonymous(void **state)
{
	ob_somatic s;
	ob_somatic_opts o = { .panel_size_mb = 0.5 };
	(void)state;
	const char *vcf = tmpfile_with("tmb.vcf", HDR
		"##FILTER=<ID=LowQual,Description=\"low\">\n"
		"#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
		"7\t1\t.\tA\tG\t.\tPASS\t" ANN("G", "missense_variant", "X1", "1/2", "p.Lys1Glu") "\n"
		"7\t2\t.\tA\tG\t.\tPASS\t" ANN("G", "stop_gained", "X1", "1/2", "p.Lys2Ter") "\n"
		"7\t3\t.\tA\tG\t.\tPASS\t" ANN("G", "synonymous_variant", "X1", "1/2", "p.Lys3=") "\n"
		"7\t4\t.\tA\tG\t.\tLowQual\t" ANN("G", "missense_variant", "X1", "1/2", "p.Lys4Glu") "\n"
		"7\t5\t.\tA\tG\t.\t.\t" ANN("G", "frameshift_variant", "X1", "1/2", "p.Lys5fs") "\n"
		"7\t6\t.\tA\tG\t.\tPASS\t" ANN("G", "intron_variant", "X1", "1/2", "") "\n");
	assert_int_equal(run(&s, "LUAD", vcf, &o), 0);
	assert_int_equal(s.tmb_count, 3);
	assert_int_equal(s.filtered, 1);
	assert_true(s.tmb > 5.99 && s.tmb < 6.01);
	assert_false(s.tmb_high);
	assert_int_equal(s.nbm, 0);
	ob_somatic_dispose(&s);
	o.panel_size_mb = 0.2; /* 15 mut/Mb */
	assert_int_equal(run(&s, "LUAD", vcf, &o), 0);
	assert_true(s.tmb_high);
	const ob_som_biomarker *b = find_bm(&s, "", "TMB-high");
	assert_non_null(b);
	assert_non_null(find_ev(b, "Pembrolizumab", OB_KB_SENSITIVITY));
	ob_somatic_dispose(&s);
}

static void test_msi(void **state)
{
	ob_somatic s;
	ob_somatic_opts o = { .msi = "high" };
	(void)state;
	assert_int_equal(run(&s, "COAD", NULL, &o), 0);
	assert_non_null(find_bm(&s, "", "MSI-high"));
	ob_somatic_dispose(&s);
	o.msi = "4.2"; /* MSIsensor score below 10: stable */
	assert_int_equal(run(&s, "COAD", NULL, &o), 0);
	assert_int_equal(s.msi_status, 2);
	assert_int_equal(s.nbm, 0);
	ob_somatic_dispose(&s);
	o.msi = "maybe";
	assert_int_equal(run(&s, "COAD", NULL, &o), OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), "--msi"));
}

static void test_fusions_from_pcgr_tsv_and_breakends(void **state)
{
	ob_somatic s;
	char path[512];
	const char *sh = getenv("OB_SHARED");
	(void)state;
	snprintf(path, sizeof path, "%s/data/genomics/somatic/examples/pcgr/T001-BRCA.grch37.fusions.tsv",
		sh ? sh : "../shared");
	assert_int_equal(run(&s, "LUAD", NULL, NULL), 0);
	assert_int_equal(ob_somatic_read_fusions(&s, path), 0);
	assert_int_equal(ob_somatic_finish(&s), 0);
	const ob_som_biomarker *alk = find_bm(&s, "ALK", "EML4::ALK fusion");
	assert_non_null(alk);
	assert_non_null(find_ev(alk, "Alectinib", OB_KB_SENSITIVITY));
	assert_non_null(find_bm(&s, "ALK", "?::ALK fusion")); /* partner-less "--ALK" */
	assert_non_null(find_bm(&s, "RET", "CCDC6::RET fusion")); /* "fusion CCDC6" row */
	const ob_som_biomarker *nt = find_bm(&s, "NTRK1", "NTRK1::TPM3 fusion");
	assert_non_null(nt);
	assert_true(nt->own_type); /* tumour-agnostic row */
	ob_somatic_dispose(&s);

	/* a breakend pair naming its genes in INFO/FUSION: counted once */
	const char *vcf = tmpfile_with("bnd.vcf", "##fileformat=VCFv4.2\n"
		"##contig=<ID=2,length=1000000>\n"
		"##INFO=<ID=FUSION,Number=1,Type=String,Description=\"genes\">\n"
		"#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
		"2\t1000\tb1\tA\tA]2:5000]\t.\tPASS\tFUSION=EML4--ALK\n"
		"2\t5000\tb2\tC\tC]2:1000]\t.\tPASS\tFUSION=EML4--ALK\n");
	assert_int_equal(run(&s, "NSCLC", vcf, NULL), 0);
	assert_int_equal(s.nbm, 1);
	assert_string_equal(s.bm[0].alteration, "EML4::ALK fusion");
	ob_somatic_dispose(&s);

	const char *bad = tmpfile_with("bad_fusions.tsv", "gene1\tgene2\nEML4\n");
	assert_int_equal(run(&s, "NSCLC", NULL, NULL), 0);
	assert_int_equal(ob_somatic_read_fusions(&s, bad), OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), "bad_fusions.tsv:2: gene1"));
	ob_somatic_dispose(&s);
}

static void test_cnv_thresholds_and_errors(void **state)
{
	ob_somatic s;
	(void)state;
	const char *cnv = tmpfile_with("cnv.tsv", "gene\tcopy_number\nERBB2\t9\nNRAS\t24\n"
		"EGFR\t5.9\n");
	assert_int_equal(run(&s, "IDC", NULL, NULL), 0);
	assert_int_equal(ob_somatic_read_cnv(&s, cnv), 0);
	assert_int_equal(ob_somatic_finish(&s), 0);
	assert_int_equal(s.nbm, 1); /* NRAS and EGFR: no amplification row / below 6 */
	const ob_som_biomarker *b = find_bm(&s, "ERBB2", "amplification");
	assert_non_null(b);
	assert_true(b->value > 8.9);
	assert_non_null(find_ev(b, "Trastuzumab", OB_KB_SENSITIVITY));
	ob_somatic_dispose(&s);

	const char *lg = tmpfile_with("log2.tsv", "gene\tlog2\nERBB2\t1.7\n");
	assert_int_equal(run(&s, "IDC", NULL, NULL), 0);
	assert_int_equal(ob_somatic_read_cnv(&s, lg), 0); /* 2 * 2^1.7 = 6.5 */
	assert_int_equal(s.nbm, 1);
	ob_somatic_dispose(&s);

	const char *bad = tmpfile_with("badcnv.tsv", "gene\tcopy_number\nERBB2\tmany\n");
	assert_int_equal(run(&s, "IDC", NULL, NULL), 0);
	assert_int_equal(ob_somatic_read_cnv(&s, bad), OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), "badcnv.tsv:2: copy_number: 'many'"));
	ob_somatic_dispose(&s);
	const char *nohdr = tmpfile_with("nohdr.tsv", "ERBB2\t9\n");
	assert_int_equal(run(&s, "IDC", NULL, NULL), 0);
	assert_int_equal(ob_somatic_read_cnv(&s, nohdr), OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), "nohdr.tsv:1: header"));
	ob_somatic_dispose(&s);
}

/* ---- part 3: known facts through the whole path ---------------------- */

static const struct fact {
	const char *cas, *tumor, *gene, *alteration, *drug, *level;
	int effect;
	const char *match;
} facts[] = {
	/* FDA label TAGRISSO; FLAURA (Soria 2018) */
	{ "EGFR_L858R", "LUAD", "EGFR", "p.L858R", "Osimertinib", "I-A", OB_KB_SENSITIVITY, "exact" },
	/* exon 19 deletion written four ways: two positions of the same
	 * protein deletion, a non-minimal VCF allele, a delins */
	{ "EGFR_EX19_A", "LUAD", "EGFR", "p.E746_A750del", "Osimertinib", "I-A", OB_KB_SENSITIVITY, "exon" },
	{ "EGFR_EX19_B", "LUAD", "EGFR", "p.E746_A750del", "Osimertinib", "I-A", OB_KB_SENSITIVITY, "exon" },
	{ "EGFR_EX19_C", "LUAD", "EGFR", "p.E746_A750del", "Erlotinib", "I-A", OB_KB_SENSITIVITY, "exon" },
	{ "EGFR_EX19_D", "LUAD", "EGFR", "p.L747_P753delinsS", "Afatinib", "I-A", OB_KB_SENSITIVITY, "exon" },
	/* T790M: osimertinib (AURA3), first-generation TKIs resistant */
	{ "EGFR_T790M", "LUAD", "EGFR", "p.T790M", "Osimertinib", "I-A", OB_KB_SENSITIVITY, "exact" },
	{ "EGFR_T790M", "LUAD", "EGFR", "p.T790M", "Gefitinib", "I-B", OB_KB_RESISTANCE, "exact" },
	/* KRAS is on the minus strand: FDA label LUMAKRAS (sotorasib) */
	{ "KRAS_G12C", "NSCLC", "KRAS", "p.G12C", "Sotorasib", "I-A", OB_KB_SENSITIVITY, "exact" },
	/* BRAF (minus strand) V600E in cutaneous melanoma (MEL's child) */
	{ "BRAF_V600E", "SKCM", "BRAF", "p.V600E", "Dabrafenib + Trametinib", "I-A", OB_KB_SENSITIVITY, "exact" },
	/* PDGFRA D842V GIST: avapritinib (AYVAKIT), imatinib resistance */
	{ "PDGFRA_D842V", "GIST", "PDGFRA", "p.D842V", "Avapritinib", "I-A", OB_KB_SENSITIVITY, "exact" },
	{ "PDGFRA_D842V", "GIST", "PDGFRA", "p.D842V", "Imatinib", "I-A", OB_KB_RESISTANCE, "exact" },
	/* PIK3CA H1047R in ductal breast carcinoma (IDC -> BRCA -> BREAST): PIQRAY */
	{ "PIK3CA_H1047R", "IDC", "PIK3CA", "p.H1047R", "Alpelisib + Fulvestrant", "I-A", OB_KB_SENSITIVITY, "exact" },
	/* MET exon 14 splice donor: capmatinib (TABRECTA) */
	{ "MET_EX14", "LUAD", "MET", "c.3027+1G>A", "Capmatinib", "I-A", OB_KB_SENSITIVITY, "exon" },
	/* a deletion across the exon 14 / intron 14 boundary (donor removed) */
	{ "MET_EX14_DEL", "LUAD", "MET", "c.3023_3027+5del", "Tepotinib", "I-A", OB_KB_SENSITIVITY, "exon" },
	/* BRCA1 frameshift (minus strand) in high-grade serous ovarian: LYNPARZA */
	{ "BRCA1_FS", "HGSOC", "BRCA1", "p.R700Kfs*14", "Olaparib", "I-A", OB_KB_SENSITIVITY, "loss" },
	/* KRAS codon 12, two ALTs at one site, colorectal: anti-EGFR resistance */
	{ "KRAS_G12_MULTI", "COADREAD", "KRAS", "p.G12D", "Cetuximab", "I-A", OB_KB_RESISTANCE, "codon" },
	{ "KRAS_G12_MULTI", "COADREAD", "KRAS", "p.G12A", "Panitumumab", "I-A", OB_KB_RESISTANCE, "codon" },
};

static const ob_kb_row *kb_rows(const void *ctx, const char *gene, size_t *n)
{
	return ob_kb_gene(ctx, gene, n);
}

/* Interprets the records of cases.vcf whose INFO/CASE is cas. */
static void run_case(ob_somatic *s, const ob_kb *kb, ob_annotator *a, const char *cas,
	const char *tumor)
{
	ob_somatic_opts o = { .tumor_type = tumor };
	ob_annread *r = NULL;
	bcf1_t *rec;
	const ob_csq *c;
	int n, rc;
	char *v = NULL;
	int nv = 0;

	assert_int_equal(ob_somatic_init(s, &o, kb_rows, kb, ob_kb_version(kb)), 0);
	assert_int_equal(ob_annread_open(&r, DATA "cases.vcf", a), 0);
	bcf_hdr_t *h = ob_annread_header(r);
	int tumour = bcf_hdr_id2int(h, BCF_DT_SAMPLE, "TUMOR");
	while ((rc = ob_annread_next(r, &rec, &c, &n)) == 1) {
		assert_true(bcf_get_info_string(h, rec, "CASE", &v, &nv) > 0);
		if (strcmp(v, cas))
			continue;
		assert_true(n > 0); /* annotated on the fly */
		assert_int_equal(ob_somatic_add_record(s, h, rec, c, n, tumour, cas), 0);
	}
	assert_int_equal(rc, 0);
	free(v);
	ob_annread_free(r);
	assert_int_equal(ob_somatic_finish(s), 0);
}

static void test_known_facts_whole_path(void **state)
{
	ob_kb *kb = NULL;
	ob_annotator *a = NULL;
	char fai[] = DATA "genome.fa.fai";
	int had_fai = access(fai, F_OK) == 0;
	(void)state;

	assert_int_equal(ob_kb_open(&kb, NULL), 0);
	assert_int_equal(ob_annotator_new(&a, DATA "genome.fa", DATA "genes.gff3"), 0);
	for (size_t i = 0; i < sizeof facts / sizeof facts[0]; i++) {
		const struct fact *f = &facts[i];
		ob_somatic s;
		run_case(&s, kb, a, f->cas, f->tumor);
		const ob_som_biomarker *b = find_bm(&s, f->gene, f->alteration);
		if (!b)
			fail_msg("%s: no biomarker %s %s", f->cas, f->gene, f->alteration);
		const ob_som_evidence *e = find_ev(b, f->drug, f->effect);
		if (!e)
			fail_msg("%s: %s not found for %s %s", f->cas, f->drug, f->gene, f->alteration);
		if (strcmp(e->level, f->level) || e->distance < 0)
			fail_msg("%s: %s level %s distance %d, expected %s in its own type", f->cas,
				f->drug, e->level, e->distance, f->level);
		int want = !strcmp(f->match, "exact") ? OB_SOM_EXACT : !strcmp(f->match, "codon")
			? OB_SOM_CODON : !strcmp(f->match, "exon") ? OB_SOM_EXON : OB_SOM_LOSS;
		if (e->match != want)
			fail_msg("%s: %s matched as %d, expected %s", f->cas, f->drug, e->match, f->match);
		assert_true(b->vaf > 0.1); /* from the TUMOR column's AD */
		ob_buf o = OB_BUF_INIT;
		assert_int_equal(ob_somatic_json(&s, &o), 0);
		assert_non_null(strstr(ob_buf_cstr(&o), f->alteration));
		ob_buf_clear(&o);
		assert_int_equal(ob_somatic_html(&s, &o), 0);
		assert_non_null(strstr(ob_buf_cstr(&o), f->gene));
		ob_buf_dispose(&o);
		/* nothing of another gene is reported for a one-variant case */
		for (size_t k = 0; k < s.nbm; k++)
			assert_string_equal(s.bm[k].gene, f->gene);
		ob_somatic_dispose(&s);
	}
	ob_annotator_free(a);
	ob_kb_free(kb);
	if (!had_fai)
		unlink(fai);
}

/* The tumour-agnostic BRAF V600E label (dabrafenib + trametinib) excludes
 * colorectal cancer: a COADREAD tumour gets encorafenib + cetuximab at I-A
 * and no dabrafenib + trametinib of its own type; a pancreatic one gets the
 * agnostic row as its own. */
static void test_agnostic_label_exclusion(void **state)
{
	ob_kb *kb = NULL;
	ob_annotator *a = NULL;
	ob_somatic s;
	(void)state;

	assert_int_equal(ob_kb_open(&kb, NULL), 0);
	assert_int_equal(ob_annotator_new(&a, DATA "genome.fa", DATA "genes.gff3"), 0);
	run_case(&s, kb, a, "BRAF_V600E", "COADREAD");
	const ob_som_biomarker *b = find_bm(&s, "BRAF", "p.V600E");
	assert_non_null(b);
	const ob_som_evidence *e = find_ev(b, "Encorafenib + Cetuximab", OB_KB_SENSITIVITY);
	assert_non_null(e);
	assert_string_equal(e->level, "I-A");
	for (size_t k = 0; k < b->nev; k++)
		if (!strcmp(b->ev[k].row->drugs, "Dabrafenib + Trametinib"))
			assert_true(b->ev[k].distance < 0); /* only as another type's (melanoma...) */
	ob_somatic_dispose(&s);
	run_case(&s, kb, a, "BRAF_V600E", "PAAD");
	b = find_bm(&s, "BRAF", "p.V600E");
	assert_non_null(b);
	e = find_ev(b, "Dabrafenib + Trametinib", OB_KB_SENSITIVITY);
	assert_non_null(e);
	int own = 0;
	for (size_t k = 0; k < b->nev; k++)
		own |= !strcmp(b->ev[k].row->drugs, "Dabrafenib + Trametinib") && b->ev[k].distance >= 0
			&& !strcmp(b->ev[k].level, "I-A");
	assert_true(own);
	ob_somatic_dispose(&s);
	ob_annotator_free(a);
	ob_kb_free(kb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_agnostic_label_exclusion),
		cmocka_unit_test(test_protein_short),
		cmocka_unit_test(test_spec_levels_of_detail),
		cmocka_unit_test(test_exon14_skipping_sites),
		cmocka_unit_test(test_resistance_beside_sensitivity_and_hierarchy),
		cmocka_unit_test(test_tumour_type_without_evidence_invents_nothing),
		cmocka_unit_test(test_no_sample_column_and_multiallelic),
		cmocka_unit_test(test_oncogenic_limited_to_listed_hotspots),
		cmocka_unit_test(test_tmb_counts_pass_coding_nonsynonymous),
		cmocka_unit_test(test_msi),
		cmocka_unit_test(test_fusions_from_pcgr_tsv_and_breakends),
		cmocka_unit_test(test_cnv_thresholds_and_errors),
		cmocka_unit_test(test_known_facts_whole_path),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
