/*
 * test_hgvsmap.c - HGVS c./n. to genomic and back (src/genomics/hgvsmap.h):
 * the parser (accepted forms and refusals), the forward map on a
 * hand-made plus-strand transcript (tests/data/genes/hgvs_mini.*: exonic,
 * intronic, 5'/3' UTR and beyond, dup/del in a repeat left-aligned for VCF
 * and 3'-shifted for g., ins, delins, n.), bases that disagree with the
 * reference, and the real minus-strand BRCA1 cases of pyhgvs and
 * biocommons (skipped without the shared data). Works on copies in a
 * temporary folder (the FASTA index is written beside the copy).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "base/error.h"
#include "genomics/hgvsmap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[200], fa[256], fai[256], gff[256];

static void copy(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	char b[4096];
	size_t n;
	assert_non_null(in);
	assert_non_null(out);
	while ((n = fread(b, 1, sizeof b, in)) > 0)
		fwrite(b, 1, n, out);
	fclose(in);
	fclose(out);
}

static int setup(void **state)
{
	(void)state;
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/ob-test-hgvsmap-XXXXXX", tmp && *tmp ? tmp : P_tmpdir);
	if (!mkdtemp(dir))
		return -1;
	snprintf(fa, sizeof fa, "%s/m.fa", dir);
	snprintf(fai, sizeof fai, "%s/m.fa.fai", dir);
	snprintf(gff, sizeof gff, "%s/m.gff3", dir);
	copy("tests/data/genes/hgvs_mini.fa", fa);
	copy("tests/data/genes/hgvs_mini.gff3", gff);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(fa);
	unlink(fai);
	unlink(gff);
	rmdir(dir);
	return 0;
}

static void test_parse_accepts_the_forms(void **state)
{
	static const struct {
		const char *in, *acc, *gene;
		char kind;
		int64_t p1, o1, p2, o2;
		int a1, a2;
		ob_hgvs_edit edit;
		const char *ref, *alt;
		int64_t ref_len;
	} cases[] = {
		{ "NM_007294.3:c.68_69del", "NM_007294.3", "", 'c', 68, 0, 69, 0, 0, 0, OB_HGVS_DEL, "", "", 0 },
		{ "NM_007294.3(BRCA1):c.68_69delag", "NM_007294.3", "BRCA1", 'c', 68, 0, 69, 0, 0, 0, OB_HGVS_DEL, "AG", "", 0 },
		{ "NM_1:c.123+5G>A", "NM_1", "", 'c', 123, 5, 123, 5, 0, 0, OB_HGVS_SUB, "G", "A", 0 },
		{ "NM_1:c.-14-2del", "NM_1", "", 'c', -14, -2, -14, -2, 0, 0, OB_HGVS_DEL, "", "", 0 },
		{ "NM_1:c.*7dupT", "NM_1", "", 'c', 7, 0, 7, 0, '*', '*', OB_HGVS_DUP, "T", "", 0 },
		{ "NM_1:c.4185+2_4185+22del21insA", "NM_1", "", 'c', 4185, 2, 4185, 22, 0, 0, OB_HGVS_DELINS, "", "A", 21 },
		{ "NM_1:c.1389_1390delAAinsG", "NM_1", "", 'c', 1389, 0, 1390, 0, 0, 0, OB_HGVS_DELINS, "AA", "G", 0 },
		{ "NM_1:c.5_6insTT", "NM_1", "", 'c', 5, 0, 6, 0, 0, 0, OB_HGVS_INS, "", "TT", 0 },
		{ "NM_1:c.5_6delinsTT", "NM_1", "", 'c', 5, 0, 6, 0, 0, 0, OB_HGVS_DELINS, "", "TT", 0 },
		{ "NR_1.1:n.351=", "NR_1.1", "", 'n', 351, 0, 351, 0, 0, 0, OB_HGVS_IDENTITY, "", "", 0 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char buf[128];
		ob_hgvs_c h;
		snprintf(buf, sizeof buf, "%s", cases[i].in);
		if (ob_hgvs_parse(buf, &h) != 0)
			fail_msg("%s: %s", cases[i].in, ob_error_last());
		assert_string_equal(h.acc, cases[i].acc);
		assert_string_equal(h.gene, cases[i].gene);
		assert_int_equal(h.kind, cases[i].kind);
		assert_int_equal(h.start.pos, cases[i].p1);
		assert_int_equal(h.start.offset, cases[i].o1);
		assert_int_equal(h.start.anchor, cases[i].a1);
		assert_int_equal(h.end.pos, cases[i].p2);
		assert_int_equal(h.end.offset, cases[i].o2);
		assert_int_equal(h.end.anchor, cases[i].a2);
		assert_int_equal(h.edit, cases[i].edit);
		assert_string_equal(h.ref, cases[i].ref);
		assert_string_equal(h.alt, cases[i].alt);
		assert_int_equal(h.ref_len, cases[i].ref_len);
	}
}

static void test_parse_refuses_bad_forms(void **state)
{
	static const char *bad[] = {
		"c.68del", "NM_1:p.Val600Glu", "NM_1:g.5A>G", "NM_1:c.0A>G", "NM_1:c.5AG>T",
		"NM_1:c.5_6ins", "NM_1:c.5insA", "NM_1:c.5delAGx", "NM_1:c.5", "NM_1:c.5inv",
		"NM_1(BRCA1:c.5del", "NM_1:c.68_69delAG(185delAG", "NM_1:c.?del",
	};
	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char buf[128];
		ob_hgvs_c h;
		snprintf(buf, sizeof buf, "%s", bad[i]);
		if (ob_hgvs_parse(buf, &h) != OB_EINVALID)
			fail_msg("'%s' was accepted", bad[i]);
		assert_non_null(strstr(ob_error_last(), "HGVS"));
	}
}

static void test_parse_key(void **state)
{
	char a[] = "17:41245341:t:G", b[] = "chr17-5-AC-A", c[] = "17:x:A:G", d[] = "17:5:A";
	char *chrom, *ref, *alt;
	int64_t pos;

	(void)state;
	assert_int_equal(ob_hgvs_parse_key(a, &chrom, &pos, &ref, &alt), 0);
	assert_string_equal(chrom, "17");
	assert_int_equal(pos, 41245341);
	assert_string_equal(ref, "T");
	assert_string_equal(alt, "G");
	assert_int_equal(ob_hgvs_parse_key(b, &chrom, &pos, &ref, &alt), 0);
	assert_string_equal(chrom, "chr17");
	assert_string_equal(ref, "AC");
	assert_int_equal(ob_hgvs_parse_key(c, &chrom, &pos, &ref, &alt), OB_EINVALID);
	assert_int_equal(ob_hgvs_parse_key(d, &chrom, &pos, &ref, &alt), OB_EINVALID);
}

/* Maps in and checks the VCF-style result and the g. form. */
static void expect_map(ob_hgvs_map *m, const char *in, int64_t pos, const char *ref,
	const char *alt, const char *g)
{
	ob_hgvs_genomic v;
	if (ob_hgvs_map_c(m, in, &v) != 0)
		fail_msg("%s: %s", in, ob_error_last());
	if (v.pos != pos || strcmp(v.ref, ref) || strcmp(v.alt, alt) || strcmp(v.g, g))
		fail_msg("%s: got %s %lld %s %s %s, want %lld %s %s %s", in, v.chrom, (long long)v.pos,
			v.ref, v.alt, v.g, (long long)pos, ref, alt, g);
	ob_hgvs_genomic_dispose(&v);
}

static void expect_refused(ob_hgvs_map *m, const char *in, int code, const char *want)
{
	ob_hgvs_genomic v;
	assert_int_equal(ob_hgvs_map_c(m, in, &v), code);
	if (!strstr(ob_error_last(), want))
		fail_msg("%s: message '%s' lacks '%s'", in, ob_error_last(), want);
	assert_null(v.ref);
}

static void test_forward_on_plus_strand(void **state)
{
	ob_hgvs_map *m = NULL;

	(void)state;
	assert_int_equal(ob_hgvs_map_new(&m, fa, gff), 0);
	expect_map(m, "TP.2:c.1A>G", 14, "A", "G", "g.14A>G");
	expect_map(m, "TP:c.-3T>C", 11, "T", "C", "g.11T>C");
	expect_map(m, "TP(PLUS):c.7+1G>A", 21, "G", "A", "g.21G>A");
	expect_map(m, "TP:c.8-1G>T", 30, "G", "T", "g.30G>T");
	expect_map(m, "TP:c.*1C>A", 45, "C", "A", "g.45C>A");
	expect_map(m, "TP:c.*7=", 51, "G", "G", "g.51=");   /* beyond the last exon */
	expect_map(m, "TP:c.-4=", 10, "C", "C", "g.10=");   /* before the first */
	/* CA at the start of CACACA (31-36): left-aligned on the G before it for
	 * VCF, shifted to the 3' end for g. */
	expect_map(m, "TP:c.8_9dup", 30, "G", "GCA", "g.35_36dup");
	expect_map(m, "TP:c.13_14insCA", 30, "G", "GCA", "g.35_36dup");
	expect_map(m, "TP:c.10_11delCA", 30, "GCA", "G", "g.35_36del");
	expect_map(m, "TP:c.7+1_7+2insT", 21, "G", "GT", "g.22dup");
	expect_map(m, "TP:c.2_3delinsCC", 15, "TG", "CC", "g.15_16delinsCC");
	expect_map(m, "TP:c.2_3delinsTC", 16, "G", "C", "g.16G>C"); /* trimmed */
	expect_map(m, "NR_1:n.4A>G", 14, "A", "G", "g.14A>G");
	ob_hgvs_map_free(m);
}

static void test_forward_refusals(void **state)
{
	ob_hgvs_map *m = NULL;

	(void)state;
	assert_int_equal(ob_hgvs_map_new(&m, fa, gff), 0);
	expect_refused(m, "TP:c.1C>G", OB_EINVALID, "the reference at m:14 reads A on TP's strand, the description says C");
	expect_refused(m, "TP:c.8_9delAA", OB_EINVALID, "reads CA on TP's strand, the description says AA");
	expect_refused(m, "TP:c.8_10del2", OB_EINVALID, "is 3 bases (CAC), the description says 2");
	expect_refused(m, "TP:c.8_10dupCA", OB_EINVALID, "the description says CA");
	expect_refused(m, "XX_1:c.1A>G", OB_ENOTFOUND, "transcript XX_1 is not in the gene models");
	expect_refused(m, "NR_1:c.4A>G", OB_EINVALID, "NR_1.1 is non-coding: describe it with n.");
	expect_refused(m, "TP:n.4A>G", OB_EINVALID, "TP is coding: describe it with c.");
	expect_refused(m, "TP:c.1_3insA", OB_EINVALID, "two adjacent positions");
	expect_refused(m, "TP:c.3_1del", OB_EINVALID, "runs backwards");
	expect_refused(m, "TP:c.100A>G", OB_EINVALID, "outside the contig");
	expect_refused(m, "TP:c.2_3delinsTG", OB_EINVALID, "no change");
	ob_hgvs_map_free(m);
}

static void test_version_fallback(void **state)
{
	ob_hgvs_map *m = NULL;
	ob_hgvs_genomic v;

	(void)state;
	assert_int_equal(ob_hgvs_map_new(&m, fa, gff), 0);
	assert_int_equal(ob_hgvs_map_c(m, "TP.2:c.1A>G", &v), 0);
	assert_int_equal(v.other_version, 0);
	ob_hgvs_genomic_dispose(&v);
	assert_int_equal(ob_hgvs_map_c(m, "TP.1:c.1A>G", &v), 0);
	assert_int_equal(v.other_version, 1);
	assert_string_equal(v.tx->id, "TP");
	ob_hgvs_genomic_dispose(&v);
	assert_int_equal(ob_hgvs_map_c(m, "NR_1.1:n.4A>G", &v), 0);
	assert_int_equal(v.other_version, 0);
	ob_hgvs_genomic_dispose(&v);
	ob_hgvs_map_free(m);
}

static void test_backward_on_plus_strand(void **state)
{
	ob_annotator *a = NULL;
	ob_hgvs_desc *d = NULL;
	size_t n = 0;

	(void)state;
	assert_int_equal(ob_annotator_new(&a, fa, gff), 0);
	assert_int_equal(ob_hgvs_describe(a, "m", 21, "G", "A", "TP.2", &d, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(d[0].tx, "TP");
	assert_string_equal(d[0].c, "c.7+1G>A");
	ob_hgvs_descs_free(d, n);
	assert_int_equal(ob_hgvs_describe(a, "m", 14, "A", "G", NULL, &d, &n), 0);
	assert_int_equal(n, 2);
	ob_hgvs_descs_free(d, n);
	assert_int_equal(ob_hgvs_describe(a, "m", 14, "C", "G", NULL, &d, &n), OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), "REF C disagrees"));
	ob_annotator_free(a);
}

static void expect_outside(ob_hgvs_map *m, const char *chrom, int64_t pos, const char *ref,
	const char *alt, int code, const char *want)
{
	const ob_tx *t;
	char *c = NULL;
	int rc = ob_hgvs_map_outside(m, "TP.2", chrom, pos, ref, alt, &t, &c);
	if (rc != code)
		fail_msg("%s:%lld:%s:%s: rc %d (%s)", chrom, (long long)pos, ref, alt, rc, ob_error_last());
	if (!code) {
		assert_string_equal(c, want);
		assert_string_equal(t->id, "TP");
	} else if (!strstr(ob_error_last(), want)) {
		fail_msg("message '%s' lacks '%s'", ob_error_last(), want);
	}
	free(c);
}

static void test_outside_the_transcript(void **state)
{
	ob_hgvs_map *m = NULL;

	(void)state;
	assert_int_equal(ob_hgvs_map_new(&m, fa, gff), 0);
	expect_outside(m, "m", 10, "C", "T", 0, "c.-4C>T");
	expect_outside(m, "m", 51, "G", "A", 0, "c.*7G>A");
	expect_outside(m, "m", 4, "TA", "T", 0, "c.-9del");
	expect_outside(m, "m", 1, "A", "AA", 0, "c.-13dup");
	expect_outside(m, "m", 3, "G", "GTT", 0, "c.-10_-9insTT"); /* shifted 3' past T */
	expect_outside(m, "m", 51, "GGGGCC", "G", 0, "c.*8_*12del");
	expect_outside(m, "m", 51, "GG", "G", 0, "c.*10del"); /* GGGG: the 3'-most G */
	expect_outside(m, "m", 2, "CG", "TT", 0, "c.-12_-11delinsTT");
	expect_outside(m, "m", 11, "T", "C", OB_EINVALID, "touches the span of TP");
	expect_outside(m, "m", 10, "A", "T", OB_EINVALID, "REF A disagrees");
	expect_outside(m, "x", 10, "C", "T", OB_EINVALID, "TP is on contig m");
	const ob_tx *t;
	char *c;
	assert_int_equal(ob_hgvs_map_outside(m, "NO_1", "m", 10, "C", "T", &t, &c), OB_ENOTFOUND);
	/* and back: the forward map finds the same place */
	expect_map(m, "TP:c.-9del", 4, "TA", "T", "g.5del");
	expect_map(m, "TP:c.-4C>T", 10, "C", "T", "g.10C>T");
	ob_hgvs_map_free(m);
}

/* The real minus-strand cases: pyhgvs and biocommons, NM_007294 on GRCh37. */
static void test_brca1_cases(void **state)
{
	char rf[512], rg[512];
	const char *sh = getenv("OB_SHARED");
	ob_hgvs_map *m = NULL;

	(void)state;
	snprintf(rf, sizeof rf, "%s/data/genomics/brca1-grch37/GRCh37_17_brca1_padded.fa.gz", sh ? sh : "../shared");
	snprintf(rg, sizeof rg, "%s/data/genomics/brca1-grch37/refseq_brca1.gff3", sh ? sh : "../shared");
	if (access(rf, R_OK) != 0 || access(rg, R_OK) != 0)
		skip();
	assert_int_equal(ob_hgvs_map_new(&m, rf, rg), 0);
	expect_map(m, "NM_007294.3:c.2207A>C", 41245341, "T", "G", "g.41245341T>G");
	expect_map(m, "NM_007294.3(BRCA1):c.2207A>C", 41245341, "T", "G", "g.41245341T>G");
	expect_map(m, "NM_007294.3:c.68_69delAG", 41276044, "ACT", "A", "g.41276047_41276048del");
	expect_map(m, "NM_007294.3:c.66_67delAG", 41276044, "ACT", "A", "g.41276047_41276048del");
	expect_map(m, "NM_007294.3:c.5263_5264insC", 41209079, "T", "TG", "g.41209082dup");
	expect_map(m, "NM_007294.3:c.5266dupC", 41209079, "T", "TG", "g.41209082dup");
	expect_map(m, "NM_007294.3:c.1340_1341insG", 41246207, "A", "AC", "g.41246207_41246208insC");
	expect_map(m, "NM_007294.3:c.1389_1390delAAinsG", 41246158, "TT", "C", "g.41246158_41246159delinsC");
	expect_map(m, "NM_007294.3:c.4185+2_4185+22del21insA", 41242939, "CACACACACACACGCTTTTTA", "T",
		"g.41242939_41242959delinsT");
	expect_map(m, "NM_007294.3:c.80+1=", 41276033, "C", "C", "g.41276033=");
	expect_map(m, "NM_007294.3:c.-19-10=", 41276142, "A", "A", "g.41276142=");
	expect_map(m, "NM_007294.3:c.*1=", 41197694, "G", "G", "g.41197694=");
	expect_refused(m, "NM_007294.3:c.68_69delCT", OB_EINVALID, "reads AG on NM_007294.4's strand, the description says CT");
	ob_hgvs_map_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_accepts_the_forms),
		cmocka_unit_test(test_parse_refuses_bad_forms),
		cmocka_unit_test(test_parse_key),
		cmocka_unit_test_setup_teardown(test_forward_on_plus_strand, setup, teardown),
		cmocka_unit_test_setup_teardown(test_forward_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_version_fallback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_backward_on_plus_strand, setup, teardown),
		cmocka_unit_test_setup_teardown(test_outside_the_transcript, setup, teardown),
		cmocka_unit_test(test_brca1_cases),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
