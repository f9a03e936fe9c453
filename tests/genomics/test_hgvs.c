/*
 * test_hgvs.c - HGVS notation of src/genomics/annotate.h: c. positions in
 * exons, UTRs and introns on both strands, and protein changes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "base/buf.h"
#include "base/error.h"
#include "genomics/annotate.h"

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
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plus_strand_positions),
		cmocka_unit_test(test_minus_strand_positions),
		cmocka_unit_test(test_position_outside_transcript_is_refused),
		cmocka_unit_test(test_protein_changes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
