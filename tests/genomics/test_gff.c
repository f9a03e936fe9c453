/*
 * test_gff.c - loading GFF3 gene models (src/genomics/gff.h): a good model
 * is found by position; bad input is refused with FILE:LINE messages.
 * Writes its inputs to temporary files and removes them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "base/error.h"
#include "genomics/gff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define GENE "1\tt\tgene\t100\t300\t.\t+\t.\tID=gene:G1;Name=ABC;biotype=protein_coding\n"
#define TX "1\tt\tmRNA\t100\t300\t.\t+\t.\tID=transcript:T1;Parent=gene:G1;biotype=protein_coding\n"

/* Loads text as a GFF file; the path is written to path. */
static int load(const char *text, ob_gff **g, char path[64])
{
	snprintf(path, 64, "/tmp/ob-test-gff-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	int rc = ob_gff_load(g, path);
	unlink(path);
	return rc;
}

static void test_model_is_loaded_and_found(void **state)
{
	char path[64];
	ob_gff *g = NULL;
	const ob_tx *near[4];

	(void)state;
	assert_int_equal(load("##gff-version 3\n" GENE TX
		"1\tt\texon\t200\t300\t.\t+\t.\tParent=transcript:T1\n"
		"1\tt\texon\t100\t150\t.\t+\t.\tParent=transcript:T1\n"
		"1\tt\tCDS\t120\t150\t.\t+\t0\tParent=transcript:T1\n"
		"1\tt\tCDS\t200\t250\t.\t+\t2\tParent=transcript:T1\n", &g, path), 0);
	assert_int_equal(ob_gff_ntx(g), 1);
	assert_true(ob_gff_has_contig(g, "1"));
	assert_false(ob_gff_has_contig(g, "2"));
	assert_int_equal(ob_gff_near(g, "1", 160, 160, 0, near, 4), 1);
	assert_string_equal(near[0]->id, "T1");
	assert_string_equal(near[0]->gene_name, "ABC");
	assert_int_equal(near[0]->strand, 1);
	assert_int_equal(near[0]->nexon, 2);
	assert_int_equal(near[0]->exon[0].beg, 100); /* sorted */
	assert_int_equal(near[0]->cds[1].phase, 2);
	assert_int_equal(ob_gff_near(g, "1", 5000, 5000, 0, near, 4), 0);
	assert_int_equal(ob_gff_near(g, "1", 5000, 5000, 5000, near, 4), 1);
	ob_gff_free(g);
}

/* A long transcript that starts early is found far from its start, beside
 * short ones; contigs are kept apart. */
static void test_near_finds_long_and_short_transcripts(void **state)
{
	char path[64];
	ob_gff *g = NULL;
	const ob_tx *near[8];

	(void)state;
	assert_int_equal(load("##gff-version 3\n"
		"1\tt\tgene\t100\t100000\t.\t+\t.\tID=gene:L;Name=LONG\n"
		"1\tt\tmRNA\t100\t100000\t.\t+\t.\tID=transcript:L1;Parent=gene:L\n"
		"1\tt\tgene\t200\t300\t.\t+\t.\tID=gene:S;Name=SHORT\n"
		"1\tt\tmRNA\t200\t300\t.\t+\t.\tID=transcript:S1;Parent=gene:S\n"
		"1\tt\tmRNA\t5000\t6000\t.\t-\t.\tID=transcript:S2;Parent=gene:S\n"
		"2\tt\tgene\t1\t500\t.\t+\t.\tID=gene:O;Name=OTHER\n"
		"2\tt\tmRNA\t1\t500\t.\t+\t.\tID=transcript:O1;Parent=gene:O\n", &g, path), 0);
	assert_int_equal(ob_gff_near(g, "1", 50000, 50000, 0, near, 8), 1);
	assert_string_equal(near[0]->id, "L1");
	assert_int_equal(ob_gff_near(g, "1", 250, 250, 0, near, 8), 2);
	assert_int_equal(ob_gff_near(g, "1", 5500, 5500, 0, near, 8), 2);
	assert_int_equal(ob_gff_near(g, "1", 6500, 6500, 0, near, 8), 1);
	assert_int_equal(ob_gff_near(g, "1", 6500, 6500, 1000, near, 8), 2);   /* S2 within pad */
	assert_int_equal(ob_gff_near(g, "1", 100001, 100001, 0, near, 8), 0);
	assert_int_equal(ob_gff_near(g, "2", 250, 250, 0, near, 8), 1);
	assert_string_equal(near[0]->id, "O1");
	assert_int_equal(ob_gff_near(g, "3", 250, 250, 0, near, 8), 0);
	assert_true(ob_gff_has_contig(g, "2"));
	assert_false(ob_gff_has_contig(g, "10"));
	ob_gff_free(g);
}

/* Without exon records the exons are the CDS and UTR segments, touching
 * ones merged (as bcftools csq reads such files); without any, the
 * transcript's span is one exon. */
static void test_exons_from_cds_and_utr(void **state)
{
	char path[64];
	ob_gff *g = NULL;
	const ob_tx *near[4];

	(void)state;
	assert_int_equal(load("##gff-version 3\n" GENE TX
		"1\tt\tfive_prime_UTR\t100\t119\t.\t+\t.\tParent=transcript:T1\n"
		"1\tt\tCDS\t120\t150\t.\t+\t0\tParent=transcript:T1\n"
		"1\tt\tCDS\t200\t250\t.\t+\t2\tParent=transcript:T1\n"
		"1\tt\tthree_prime_UTR\t251\t300\t.\t+\t.\tParent=transcript:T1\n", &g, path), 0);
	assert_int_equal(ob_gff_near(g, "1", 160, 160, 0, near, 4), 1);
	assert_int_equal(near[0]->nexon, 2);
	assert_int_equal(near[0]->exon[0].beg, 100);
	assert_int_equal(near[0]->exon[0].end, 150);
	assert_int_equal(near[0]->exon[1].beg, 200);
	assert_int_equal(near[0]->exon[1].end, 300);
	assert_int_equal(near[0]->ncds, 2);
	ob_gff_free(g);
	/* exon records win: UTRs are then not exons */
	assert_int_equal(load("##gff-version 3\n" GENE TX
		"1\tt\texon\t100\t300\t.\t+\t.\tParent=transcript:T1\n"
		"1\tt\tthree_prime_UTR\t251\t300\t.\t+\t.\tParent=transcript:T1\n", &g, path), 0);
	assert_int_equal(ob_gff_near(g, "1", 160, 160, 0, near, 4), 1);
	assert_int_equal(near[0]->nexon, 1);
	ob_gff_free(g);
	/* neither: one exon over the span */
	assert_int_equal(load("##gff-version 3\n" GENE TX, &g, path), 0);
	assert_int_equal(ob_gff_near(g, "1", 160, 160, 0, near, 4), 1);
	assert_int_equal(near[0]->nexon, 1);
	assert_int_equal(near[0]->exon[0].end, 300);
	ob_gff_free(g);
	/* a UTR with an unknown parent is refused like an exon */
	assert_int_equal(load("##gff-version 3\n" GENE TX
		"1\tt\tfive_prime_UTR\t100\t119\t.\t+\t.\tParent=transcript:T9\n", &g, path),
		OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), "UTR: unknown parent 'transcript:T9'"));
}

static void test_unknown_parent_names_file_and_line(void **state)
{
	char path[64], want[128];
	ob_gff *g = NULL;

	(void)state;
	assert_int_equal(load(GENE TX "1\tt\tCDS\t120\t150\t.\t+\t0\tParent=transcript:T9\n",
		&g, path), OB_EINVALID);
	snprintf(want, sizeof want, "%s:3: CDS: unknown parent 'transcript:T9'", path);
	assert_string_equal(ob_error_last(), want);
	assert_null(g);
}

static void test_cds_outside_transcript_is_refused(void **state)
{
	char path[64], want[128];
	ob_gff *g = NULL;

	(void)state;
	assert_int_equal(load(GENE TX "1\tt\tCDS\t50\t60\t.\t+\t0\tParent=transcript:T1\n",
		&g, path), OB_EINVALID);
	snprintf(want, sizeof want, "%s:3: CDS 50-60 outside its transcript T1 (100-300)", path);
	assert_string_equal(ob_error_last(), want);
}

static void test_short_line_and_unknown_gene_are_refused(void **state)
{
	char path[64], want[128];
	ob_gff *g = NULL;

	(void)state;
	assert_int_equal(load(GENE "1\tt\texon\t100\n", &g, path), OB_EINVALID);
	snprintf(want, sizeof want, "%s:2: 4 columns, GFF3 needs 9", path);
	assert_string_equal(ob_error_last(), want);
	assert_int_equal(load(TX, &g, path), OB_EINVALID);
	snprintf(want, sizeof want, "%s:1: transcript T1: unknown parent 'gene:G1'", path);
	assert_string_equal(ob_error_last(), want);
}

/* Finds transcript id among the loaded models (they are few here). */
static const ob_tx *by_id(const ob_gff *g, const char *id)
{
	const ob_tx *near[16];
	size_t n = ob_gff_near(g, "1", 1, 1000, 0, near, 16);
	for (size_t i = 0; i < n && i < 16; i++)
		if (!strcmp(near[i]->id, id))
			return near[i];
	return NULL;
}

static void test_tags_protein_and_version_are_kept(void **state)
{
	char path[64];
	ob_gff *g = NULL;

	(void)state;
	assert_int_equal(load(GENE
		"1\tt\tmRNA\t100\t300\t.\t+\t.\tID=transcript:T1;Parent=gene:G1;version=7;tag=basic,Ensembl_canonical,MANE_Select\n"
		"1\tt\tmRNA\t100\t300\t.\t+\t.\tID=transcript:NM_1.2;Parent=gene:G1;tag=MANE Select\n"
		"1\tt\tmRNA\t100\t300\t.\t+\t.\tID=transcript:T3;Parent=gene:G1;tag=MANE%20Select,CCDS\n"
		"1\tt\tmRNA\t100\t300\t.\t+\t.\tID=transcript:T4;Parent=gene:G1;tag=basic,MANE_Plus_Clinical;version=x\n"
		"1\tt\tCDS\t120\t150\t.\t+\t0\tParent=transcript:T1;protein_id=ENSP1\n"
		"1\tt\tCDS\t120\t150\t.\t+\t0\tParent=transcript:NM_1.2;protein_id=NP_9.1\n",
		&g, path), 0);
	const ob_tx *t1 = by_id(g, "T1"), *t2 = by_id(g, "NM_1.2");
	const ob_tx *t3 = by_id(g, "T3"), *t4 = by_id(g, "T4");
	assert_non_null(t1); assert_non_null(t2); assert_non_null(t3); assert_non_null(t4);
	assert_int_equal(t1->flags, OB_TX_MANE_SELECT | OB_TX_CANONICAL);
	assert_int_equal(t2->flags, OB_TX_MANE_SELECT);
	assert_int_equal(t3->flags, OB_TX_MANE_SELECT);
	assert_int_equal(t4->flags, 0);
	assert_int_equal(t1->version, 7);
	assert_int_equal(t2->version, 0);
	assert_int_equal(t4->version, 0); /* not a number: ignored */
	assert_string_equal(t1->protein_id, "ENSP1");
	assert_string_equal(t2->protein_id, "NP_9.1");
	assert_string_equal(t3->protein_id, "");
	ob_gff_free(g);
}

static void test_real_refseq_marks_mane(void **state)
{
	char path[512];
	const char *dir = getenv("OB_SHARED");
	ob_gff *g = NULL;
	const ob_tx *near[64];

	(void)state;
	snprintf(path, sizeof path, "%s/data/genomics/brca1-grch37/refseq_brca1.gff3",
		dir ? dir : "../shared");
	if (access(path, R_OK) != 0)
		skip();
	assert_int_equal(ob_gff_load(&g, path), 0);
	size_t n = ob_gff_near(g, "17", 41196312, 41277500, 0, near, 64);
	assert_int_equal(n, 6);
	int mane = 0;
	for (size_t i = 0; i < n; i++)
		if (near[i]->flags & OB_TX_MANE_SELECT) {
			mane++;
			assert_string_equal(near[i]->id, "NM_007294.4");
			assert_string_equal(near[i]->protein_id, "NP_009225.1");
		}
	assert_int_equal(mane, 1);
	ob_gff_free(g);
}

static void test_missing_file_is_an_error(void **state)
{
	ob_gff *g = NULL;

	(void)state;
	assert_int_equal(ob_gff_load(&g, "/nonexistent/x.gff"), OB_ERROR);
	ob_gff_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_model_is_loaded_and_found),
		cmocka_unit_test(test_near_finds_long_and_short_transcripts),
		cmocka_unit_test(test_exons_from_cds_and_utr),
		cmocka_unit_test(test_unknown_parent_names_file_and_line),
		cmocka_unit_test(test_cds_outside_transcript_is_refused),
		cmocka_unit_test(test_short_line_and_unknown_gene_are_refused),
		cmocka_unit_test(test_tags_protein_and_version_are_kept),
		cmocka_unit_test(test_real_refseq_marks_mane),
		cmocka_unit_test(test_missing_file_is_an_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
