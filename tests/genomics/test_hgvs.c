/*
 * test_hgvs.c - HGVS notation of src/genomics/annotate.h: c. positions in
 * exons, UTRs and introns on both strands, and protein changes; dup and
 * the 3' shift of indels against a small reference written by the test
 * (the same gene on contig 1, plus strand, and on contig 2, minus strand,
 * as its reverse complement, so both must give the same c. and p.).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "support/minigenome.h"

#include "base/buf.h"
#include "base/error.h"
#include "genomics/annotate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Exons 100-120 and 200-230, CDS 110-120 and 200-215. */
static ob_range exons[] = { { 100, 120, -1 }, { 200, 230, -1 } };
static ob_range cds[] = { { 110, 120, 0 }, { 200, 215, 1 } };

static ob_tx model(int strand)
{
	ob_tx t = { .id = "T1", .gene_id = "G1", .gene_name = "GENE", .biotype = "protein_coding",
		.chrom = "1", .strand = strand, .beg = 100, .end = 230, .nexon = 2, .ncds = 2,
		.exon = exons, .cds = cds };
	return t;
}

static void expect_pos(const ob_tx *t, int64_t g, const char *want)
{
	ob_buf b = OB_BUF_INIT;
	assert_int_equal(ob_hgvs_pos(t, g, &b), 0);
	assert_string_equal(ob_buf_cstr(&b), want);
	ob_buf_dispose(&b);
}

static void test_plus_strand_positions(void **state)
{
	ob_tx t = model(1);

	(void)state;
	expect_pos(&t, 110, "1");
	expect_pos(&t, 120, "11");
	expect_pos(&t, 200, "12");
	expect_pos(&t, 105, "-5");
	expect_pos(&t, 220, "*5");
	expect_pos(&t, 121, "11+1");
	expect_pos(&t, 125, "11+5");
	expect_pos(&t, 199, "12-1");
	expect_pos(&t, 160, "11+40"); /* a tie goes upstream */
}

static void test_minus_strand_positions(void **state)
{
	ob_tx t = model(-1);

	(void)state;
	expect_pos(&t, 215, "1");
	expect_pos(&t, 200, "16");
	expect_pos(&t, 120, "17");
	expect_pos(&t, 110, "27");
	expect_pos(&t, 230, "-15");
	expect_pos(&t, 100, "*10");
	expect_pos(&t, 199, "16+1");
	expect_pos(&t, 195, "16+5");
	expect_pos(&t, 121, "17-1");
}

static void test_position_outside_transcript_is_refused(void **state)
{
	ob_tx t = model(1);
	ob_buf b = OB_BUF_INIT;

	(void)state;
	assert_int_equal(ob_hgvs_pos(&t, 99, &b), OB_EINVALID);
	ob_buf_dispose(&b);
}

static void expect_protein(const char *ref, const char *alt, int fs, const char *want)
{
	ob_buf b = OB_BUF_INIT;
	assert_int_equal(ob_hgvs_protein(ref, alt, fs, &b), 0);
	assert_string_equal(ob_buf_cstr(&b), want);
	ob_buf_dispose(&b);
}

static void test_protein_changes(void **state)
{
	(void)state;
	expect_protein("MVVK*", "MVEK*", 0, "Val3Glu");
	expect_protein("MVVK*", "MVVK*", 0, "=");
	expect_protein("MVK*", "IVK*", 0, "Met1?");
	expect_protein("MVQK*", "MV*", 0, "Gln3Ter");
	expect_protein("MVVKR*", "MVKR*", 0, "Val3del");
	expect_protein("MVK*", "MVRK*", 0, "Val2_Lys3insArg");
	expect_protein("MVVKR*", "MVEGQTL*", 1, "Val3GlufsTer6");
	expect_protein("MKKGS*", "MKKKGS*", 0, "Lys3dup");
	expect_protein("MKKGS*", "MKKGKGS*", 0, "Lys3_Gly4dup");
	expect_protein("MKGS*", "MKGKS*", 0, "Gly3_Ser4insLys"); /* not a repeat */
}

/* Contig 1: C*10, CDS ATG AAG AAG GGA TCC TGA (11-28, c.1-c.18), C*12.
 * Contig 2: its reverse complement, CDS 13-30 on the minus strand. */
static ob_minigenome genome;
static const char *fa = genome.fa, *gff = genome.gff;

static int setup_genome(void **state)
{
	(void)state;
	return ob_minigenome_write(&genome, "hgvs");
}

static int teardown_genome(void **state)
{
	(void)state;
	ob_minigenome_remove(&genome);
	return 0;
}

/* The HGVS.c and HGVS.p fields of the first ANN entry of one record. */
static void expect_ann(const char *chrom, int64_t pos, const char *ref, const char *alt,
	const char *want_c, const char *want_p)
{
	ob_annotator *a = NULL;
	ob_buf b = OB_BUF_INIT;
	const char *alts[] = { alt };
	char want[128];

	assert_int_equal(ob_annotator_new(&a, fa, gff), 0);
	assert_int_equal(ob_annotate_record(a, chrom, pos, ref, alts, 1, &b), 0);
	snprintf(want, sizeof want, "|%s|%s|", want_c, want_p);
	if (!strstr(ob_buf_cstr(&b), want))
		fail_msg("%s:%lld %s>%s: want %s in %s", chrom, (long long)pos, ref, alt, want,
			ob_buf_cstr(&b));
	ob_buf_dispose(&b);
	ob_annotator_free(a);
}

static void test_plus_strand_dup_and_3prime_shift(void **state)
{
	(void)state;
	/* AAG inserted after c.3, slides through AAG AAG: a dup of c.7_9 */
	expect_ann("1", 13, "G", "GAAG", "c.7_9dup", "p.Lys3dup");
	/* A inserted after c.3, slides over AA: c.5dup, AAG AAG -> AAA GAA G.. */
	expect_ann("1", 13, "G", "GA", "c.5dup", "p.Lys3GlufsTer?");
	/* AAG deleted at c.4_6, shifted to the last copy */
	expect_ann("1", 13, "GAAG", "G", "c.7_9del", "p.Lys3del");
	/* AAGGGA inserted after c.6: a two-codon dup */
	expect_ann("1", 16, "G", "GAAGGGA", "c.7_12dup", "p.Lys3_Gly4dup");
	/* not a repeat: an insertion stays an insertion */
	expect_ann("1", 25, "C", "CAAA", "c.15_16insAAA", "p.Ser5_Ter6insLys");
}

static void test_minus_strand_dup_and_3prime_shift(void **state)
{
	(void)state;
	/* the same changes on the reverse complement; VCF's left-aligned form
	 * is already 3' in the transcript, a right-placed one slides left */
	expect_ann("2", 21, "C", "CCTT", "c.7_9dup", "p.Lys3dup");
	expect_ann("2", 27, "T", "TCTT", "c.7_9dup", "p.Lys3dup");
	expect_ann("2", 25, "C", "CT", "c.5dup", "p.Lys3GlufsTer?");
	expect_ann("2", 21, "CCTT", "C", "c.7_9del", "p.Lys3del");
	expect_ann("2", 24, "TCTT", "T", "c.7_9del", "p.Lys3del");
	expect_ann("2", 18, "A", "ATCCCTT", "c.7_12dup", "p.Lys3_Gly4dup");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plus_strand_positions),
		cmocka_unit_test(test_minus_strand_positions),
		cmocka_unit_test(test_position_outside_transcript_is_refused),
		cmocka_unit_test(test_protein_changes),
		cmocka_unit_test_setup_teardown(test_plus_strand_dup_and_3prime_shift,
			setup_genome, teardown_genome),
		cmocka_unit_test_setup_teardown(test_minus_strand_dup_and_3prime_shift,
			setup_genome, teardown_genome),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
