/*
 * test_haplo.c - compound (haplotype-aware) consequences of
 * src/genomics/haplo.h against a small reference written by the test: one
 * gene on contig 1 (plus strand, CDS ATG AAG AAG GGA TCC TGA at 11-28) and
 * the same gene reverse-complemented on contig 2 (minus strand, CDS 13-30),
 * so both strands must combine the same way.
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
#include "genomics/haplo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static ob_minigenome genome;
static const char *fa = genome.fa, *gff = genome.gff;

static int setup_genome(void **state)
{
	(void)state;
	return ob_minigenome_write(&genome, "haplo");
}

static int teardown_genome(void **state)
{
	(void)state;
	ob_minigenome_remove(&genome);
	return 0;
}

/* One run: records pushed with their local ANN, the released ANN values
 * collected in order. */
struct run {
	ob_annotator *a;
	ob_haplo *h;
	char *out[16];
	size_t nout;
};

static void run_open(struct run *r)
{
	memset(r, 0, sizeof *r);
	assert_int_equal(ob_annotator_new(&r->a, fa, gff), 0);
	assert_int_equal(ob_haplo_new(&r->h, r->a), 0);
}

static void drain(struct run *r)
{
	ob_buf b = OB_BUF_INIT;
	int got;
	while ((got = ob_haplo_pop(r->h, &b)) == 1) {
		assert_true(r->nout < 16);
		r->out[r->nout++] = strdup(ob_buf_cstr(&b));
	}
	assert_int_equal(got, 0);
	ob_buf_dispose(&b);
}

static void push(struct run *r, const char *chrom, int64_t pos, const char *ref, const char *alt,
	const int *hap, int nhap)
{
	ob_buf b = OB_BUF_INIT;
	const char *alts[] = { alt };
	assert_int_equal(ob_annotate_record(r->a, chrom, pos, ref, alts, 1, &b), 0);
	assert_int_equal(ob_haplo_push(r->h, chrom, pos, ref, alts, 1, hap, nhap, ob_buf_cstr(&b)), 0);
	ob_buf_dispose(&b);
	drain(r);
}

static void run_finish(struct run *r)
{
	assert_int_equal(ob_haplo_finish(r->h), 0);
	drain(r);
	assert_int_equal(ob_haplo_held(r->h), 0);
}

static void run_close(struct run *r)
{
	for (size_t i = 0; i < r->nout; i++)
		free(r->out[i]);
	ob_haplo_free(r->h);
	ob_annotator_free(r->a);
}

static void expect_has(const char *ann, const char *want)
{
	if (!strstr(ann, want))
		fail_msg("want %s in %s", want, ann);
}

static void expect_lacks(const char *ann, const char *bad)
{
	if (strstr(ann, bad))
		fail_msg("do not want %s in %s", bad, ann);
}

static void test_phased_haplotypes_combine_only_on_the_one_carrying_both(void **state)
{
	struct run r;
	/* codon 2 AAG: A>T at c.4 alone is TAG (stop), A>G at c.5 alone AGG
	 * (Arg); haplotype 0 carries both: TGG (Trp). Haplotype 1 only c.5. */
	int h14[] = { 1, 0 }, h15[] = { 1, 1 };

	(void)state;
	run_open(&r);
	push(&r, "1", 14, "A", "T", h14, 2);
	push(&r, "1", 15, "A", "G", h15, 2);
	assert_int_equal(r.nout, 0); /* held: the transcript is not passed */
	assert_int_equal(ob_haplo_held(r.h), 2);
	run_finish(&r);
	assert_int_equal(r.nout, 2);
	/* the combined entry comes first, then the local one */
	expect_has(r.out[0], "T|missense_variant|MODERATE|GP|G1|transcript|TP|");
	expect_has(r.out[0], "|p.Lys2Trp|");
	expect_has(r.out[0], "|INFO_COMPOUND_WITH:15,");
	expect_has(r.out[0], ",T|stop_gained|HIGH|");
	expect_has(r.out[1], "|p.Lys2Arg|");
	expect_has(r.out[1], "|INFO_COMPOUND:14");
	run_close(&r);
}

static void test_variants_on_different_haplotypes_stay_apart(void **state)
{
	struct run r;
	int h14[] = { 1, 0 }, h15[] = { 0, 1 };

	(void)state;
	run_open(&r);
	push(&r, "1", 14, "A", "T", h14, 2);
	push(&r, "1", 15, "A", "G", h15, 2);
	run_finish(&r);
	assert_int_equal(r.nout, 2);
	expect_lacks(r.out[0], "INFO_COMPOUND");
	expect_lacks(r.out[1], "INFO_COMPOUND");
	expect_has(r.out[0], "|stop_gained|");
	run_close(&r);
}

static void test_unphased_heterozygotes_are_not_combined(void **state)
{
	struct run r;
	int unk[] = { -1, -1 };

	(void)state;
	run_open(&r);
	push(&r, "1", 14, "A", "T", unk, 2);
	push(&r, "1", 15, "A", "G", unk, 2);
	run_finish(&r);
	assert_int_equal(r.nout, 2);
	expect_lacks(r.out[0], "INFO_COMPOUND");
	expect_lacks(r.out[1], "INFO_COMPOUND");
	run_close(&r);
}

static void test_frameshift_restored_by_a_second_indel(void **state)
{
	struct run r;
	int one[] = { 1 };

	(void)state;
	run_open(&r);
	/* A inserted after c.3 shifts the frame; a G deleted from GG at c.9-10
	 * restores it: ATG AAA GAA GGA TCC TGA, one residue changed */
	push(&r, "1", 13, "G", "GA", one, 1);
	push(&r, "1", 19, "GG", "G", one, 1);
	run_finish(&r);
	assert_int_equal(r.nout, 2);
	expect_has(r.out[0], "GA|missense_variant|MODERATE|GP|G1|transcript|TP|");
	expect_has(r.out[0], "|p.Lys3Glu|");
	expect_has(r.out[0], "INFO_COMPOUND_WITH:19,");
	expect_has(r.out[0], "|frameshift_variant|HIGH|"); /* the local entry stays */
	expect_has(r.out[1], "INFO_COMPOUND:13");
	run_close(&r);
}

static void test_without_samples_all_records_are_one_haplotype(void **state)
{
	struct run r;
	int one[] = { 1 };

	(void)state;
	run_open(&r);
	push(&r, "1", 14, "A", "T", one, 1);
	push(&r, "1", 15, "A", "G", one, 1);
	/* a record past the transcript's end releases both, in order */
	push(&r, "1", 45, "C", "T", one, 1);
	assert_int_equal(r.nout, 3);
	assert_int_equal(ob_haplo_held(r.h), 0);
	expect_has(r.out[0], "|p.Lys2Trp|");
	expect_has(r.out[1], "INFO_COMPOUND:14");
	expect_lacks(r.out[2], "INFO_COMPOUND");
	run_finish(&r);
	run_close(&r);
}

static void test_variants_in_different_codons_are_reported_alone(void **state)
{
	struct run r;
	int one[] = { 1 };

	(void)state;
	run_open(&r);
	/* codons 2 and 3, frame kept: bcftools csq reports them apart too */
	push(&r, "1", 15, "A", "G", one, 1);
	push(&r, "1", 18, "A", "G", one, 1);
	run_finish(&r);
	assert_int_equal(r.nout, 2);
	expect_lacks(r.out[0], "INFO_COMPOUND");
	expect_lacks(r.out[1], "INFO_COMPOUND");
	run_close(&r);
}

static void test_minus_strand_combines_in_transcript_order(void **state)
{
	struct run r;
	int one[] = { 1 };

	(void)state;
	run_open(&r);
	/* contig 1's c.5 A>G and c.4 A>T on the reverse complement */
	push(&r, "2", 26, "T", "C", one, 1);
	push(&r, "2", 27, "T", "A", one, 1);
	run_finish(&r);
	assert_int_equal(r.nout, 2);
	expect_has(r.out[0], "C|missense_variant|MODERATE|GM|G2|transcript|TM|");
	expect_has(r.out[0], "|p.Lys2Trp|");
	expect_has(r.out[0], "INFO_COMPOUND_WITH:27,");
	expect_has(r.out[1], "INFO_COMPOUND:26");
	run_close(&r);
}

static void test_a_cluster_shared_by_two_haplotypes_is_written_once(void **state)
{
	struct run r;
	/* both haplotypes carry c.4 and c.5 (codon 2); haplotype 0 also c.8
	 * (codon 3, apart): one combined entry for codon 2, not two */
	int both[] = { 1, 1 }, first[] = { 1, 0 };

	(void)state;
	run_open(&r);
	push(&r, "1", 14, "A", "T", both, 2);
	push(&r, "1", 15, "A", "G", both, 2);
	push(&r, "1", 18, "A", "G", first, 2);
	run_finish(&r);
	assert_int_equal(r.nout, 3);
	const char *p = strstr(r.out[0], "INFO_COMPOUND_WITH:15,");
	assert_non_null(p);
	assert_null(strstr(p + 1, "INFO_COMPOUND_WITH:"));
	expect_lacks(r.out[2], "INFO_COMPOUND");
	run_close(&r);
}

static void test_two_missense_snvs_making_the_same_residue_are_synonymous(void **state)
{
	struct run r;
	int one[] = { 1 };

	(void)state;
	run_open(&r);
	/* codon 5 TCC (Ser): T>A alone ACC (Thr), C>G alone TGC (Cys), both
	 * AGC (Ser); codon 6 TGA: G>A and A>G make TAG, still a stop */
	push(&r, "1", 23, "T", "A", one, 1);
	push(&r, "1", 24, "C", "G", one, 1);
	push(&r, "1", 27, "G", "A", one, 1);
	push(&r, "1", 28, "A", "G", one, 1);
	run_finish(&r);
	assert_int_equal(r.nout, 4);
	expect_has(r.out[0], "A|synonymous_variant|LOW|GP|G1|transcript|TP|");
	expect_has(r.out[0], "|p.Ser5=|23/40|13/18|5/5||INFO_COMPOUND_WITH:24,");
	expect_has(r.out[0], ",A|missense_variant|MODERATE|GP|G1|transcript|TP||1/1|c.13T>A|p.Ser5Thr|");
	expect_has(r.out[1], "|p.Ser5Cys|");
	expect_has(r.out[1], "INFO_COMPOUND:23");
	expect_has(r.out[2], "A|stop_retained_variant|LOW|GP|G1|transcript|TP|");
	expect_has(r.out[2], "|p.Ter6=|27/40|17/18|6/5||INFO_COMPOUND_WITH:28,");
	expect_has(r.out[3], "INFO_COMPOUND:27");
	run_close(&r);
}

static void test_a_stop_lost_by_two_snvs_is_an_extension(void **state)
{
	struct run r;
	int one[] = { 1 };

	(void)state;
	run_open(&r);
	/* TGA -> CGC (Arg): read on into CCC... of the 3' UTR, no new stop */
	push(&r, "1", 26, "T", "C", one, 1);
	push(&r, "1", 28, "A", "C", one, 1);
	run_finish(&r);
	assert_int_equal(r.nout, 2);
	expect_has(r.out[0], "C|stop_lost|HIGH|GP|G1|transcript|TP|");
	expect_has(r.out[0], "|p.Ter6ArgextTer?|26/40|16/18|6/5||INFO_COMPOUND_WITH:28,");
	expect_has(r.out[1], "INFO_COMPOUND:26");
	run_close(&r);
}

static void test_another_contig_or_an_unsorted_record_closes_the_clusters(void **state)
{
	struct run r;
	int one[] = { 1 };

	(void)state;
	run_open(&r);
	push(&r, "1", 14, "A", "T", one, 1);
	assert_int_equal(r.nout, 0);
	push(&r, "2", 5, "G", "C", one, 1); /* another contig: 14 is released */
	assert_int_equal(r.nout, 2);
	push(&r, "1", 15, "A", "G", one, 1);
	push(&r, "1", 14, "A", "T", one, 1); /* before 15: nothing spans the jump */
	run_finish(&r);
	assert_int_equal(r.nout, 4);
	for (size_t i = 0; i < r.nout; i++)
		expect_lacks(r.out[i], "INFO_COMPOUND");
	expect_has(r.out[2], "|p.Lys2Arg|");
	expect_has(r.out[3], "|p.Lys2Ter|");
	run_close(&r);
}

static void test_changing_haplotype_count_is_refused(void **state)
{
	struct run r;
	int one[] = { 1 }, two[] = { 1, 1 };
	const char *alts[] = { "G" };

	(void)state;
	run_open(&r);
	push(&r, "1", 14, "A", "T", one, 1);
	assert_int_equal(ob_haplo_push(r.h, "1", 15, "A", alts, 1, two, 2, ""), OB_EINVALID);
	run_close(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_phased_haplotypes_combine_only_on_the_one_carrying_both),
		cmocka_unit_test(test_variants_on_different_haplotypes_stay_apart),
		cmocka_unit_test(test_unphased_heterozygotes_are_not_combined),
		cmocka_unit_test(test_frameshift_restored_by_a_second_indel),
		cmocka_unit_test(test_without_samples_all_records_are_one_haplotype),
		cmocka_unit_test(test_variants_in_different_codons_are_reported_alone),
		cmocka_unit_test(test_minus_strand_combines_in_transcript_order),
		cmocka_unit_test(test_a_cluster_shared_by_two_haplotypes_is_written_once),
		cmocka_unit_test(test_two_missense_snvs_making_the_same_residue_are_synonymous),
		cmocka_unit_test(test_a_stop_lost_by_two_snvs_is_an_extension),
		cmocka_unit_test(test_another_contig_or_an_unsorted_record_closes_the_clusters),
		cmocka_unit_test(test_changing_haplotype_count_is_refused),
	};
	return cmocka_run_group_tests(tests, setup_genome, teardown_genome);
}
