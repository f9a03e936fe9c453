/*
 * test_annread.c - reading annotated VCF records (src/interp/annread.h):
 * SnpEff ANN and VEP CSQ on real BRCA1 lines (tests/data/somatic/brca1_*.vcf,
 * from the shared ClinVar truth set), a VEP CSQ with PICK/SYMBOL/HGVS
 * (vep_picked.vcf), our own ANN computed on the fly for a one-gene genome
 * written here, and bad input: no header, a truncated bgzip file, an ANN
 * entry with the wrong number of fields.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "base/error.h"
#include "interp/annread.h"

#include <htslib/bgzf.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DATA "tests/data/somatic/"

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* The entry of transcript tx for ALT alt, or NULL. */
static const ob_csq *entry(const ob_csq *c, int n, const char *alt, const char *tx)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(c[i].allele, alt) && !strcmp(c[i].transcript, tx))
			return &c[i];
	return NULL;
}

static void test_snpeff_ann_real_lines(void **state)
{
	ob_annread *r = NULL;
	bcf1_t *rec;
	const ob_csq *c, *e;
	int n, k = 0;

	(void)state;
	assert_int_equal(ob_annread_open(&r, DATA "brca1_snpeff.vcf", NULL), 0);
	while (ob_annread_next(r, &rec, &c, &n) == 1) {
		k++;
		assert_true(n >= 5); /* six RefSeq transcripts */
		if (rec->pos + 1 == 41197699) {
			assert_non_null(e = entry(c, n, "C", "NM_007294.4"));
			assert_string_equal(e->consequence, "missense_variant");
			assert_string_equal(e->impact, "MODERATE");
			assert_string_equal(e->gene, "BRCA1");
			assert_string_equal(e->hgvs_c, "c.5588A>G");
			assert_string_equal(e->hgvs_p, "p.Tyr1863Cys");
			assert_int_equal(e->protein_pos, 1863);
			assert_int_equal(e->exon, 23);
			assert_int_equal(e->exon_count, 23);
			assert_int_equal(e->intron, 0);
			assert_int_equal(ob_annread_line(r), 7 + k);
		}
		if (rec->pos + 1 == 41197708 && rec->d.allele[1][1]) { /* T>TG */
			assert_non_null(e = entry(c, n, "TG", "NM_007294.4"));
			assert_string_equal(e->consequence, "frameshift_variant");
			assert_int_equal(e->protein_pos, 1860);
		}
		if (rec->pos + 1 == 41197820 && !strcmp(rec->d.allele[1], "A")) {
			assert_non_null(e = entry(c, n, "A", "NM_007294.4"));
			assert_string_equal(e->consequence, "splice_acceptor_variant&intron_variant");
			assert_int_equal(e->intron, 22);
			assert_int_equal(e->exon, 0);
			assert_int_equal(e->protein_pos, 0);
		}
	}
	assert_int_equal(k, 8);
	ob_annread_free(r);
}

static void test_vep_csq_real_lines(void **state)
{
	ob_annread *r = NULL;
	bcf1_t *rec;
	const ob_csq *c, *e;
	int n, k = 0, seen_del = 0;

	(void)state;
	assert_int_equal(ob_annread_open(&r, DATA "brca1_vep.vcf", NULL), 0);
	while (ob_annread_next(r, &rec, &c, &n) == 1) {
		k++;
		if (rec->pos + 1 == 41197699) {
			assert_non_null(e = entry(c, n, "C", "NM_007294.4"));
			assert_string_equal(e->consequence, "missense_variant");
			assert_int_equal(e->protein_pos, 1863);
			assert_int_equal(e->exon, 23);
			assert_string_equal(e->gene, ""); /* this Format has no SYMBOL */
		}
		if (rec->pos + 1 == 41197708 && !strcmp(rec->d.allele[0], "TG")) {
			/* VEP writes the deletion's allele "-": mapped back to ALT T */
			assert_non_null(e = entry(c, n, "T", "NM_007294.4"));
			assert_string_equal(e->consequence, "frameshift_variant");
			seen_del = 1;
		}
		if (rec->pos + 1 == 41197820 && !strcmp(rec->d.allele[1], "T")) {
			assert_non_null(e = entry(c, n, "T", "NM_007294.4"));
			assert_int_equal(e->intron, 22);
			assert_int_equal(e->intron_count, 22);
		}
	}
	assert_int_equal(k, 8);
	assert_true(seen_del);
	ob_annread_free(r);
}

static void test_vep_pick_hgvs_and_multiallelic(void **state)
{
	ob_annread *r = NULL;
	bcf1_t *rec;
	const ob_csq *c, *e;
	int n;

	(void)state;
	assert_int_equal(ob_annread_open(&r, DATA "vep_picked.vcf", NULL), 0);
	assert_int_equal(ob_annread_next(r, &rec, &c, &n), 1);
	assert_int_equal(n, 2);
	assert_non_null(e = entry(c, n, "G", "ENST00000275493"));
	assert_true(e->picked);
	assert_string_equal(e->gene, "EGFR");
	assert_string_equal(e->hgvs_c, "c.2573T>G");
	assert_string_equal(e->hgvs_p, "p.Leu858Arg");
	assert_int_equal(e->exon, 21);
	assert_non_null(e = entry(c, n, "G", "ENST00000455089"));
	assert_false(e->picked);
	assert_int_equal(e->protein_pos, 813);

	assert_int_equal(ob_annread_next(r, &rec, &c, &n), 1); /* exon 19 deletion */
	assert_int_equal(n, 1);
	assert_string_equal(c[0].allele, "G");
	assert_string_equal(c[0].consequence, "inframe_deletion");
	assert_int_equal(c[0].protein_pos, 746);
	assert_int_equal(c[0].exon, 19);

	assert_int_equal(ob_annread_next(r, &rec, &c, &n), 1); /* C>T,G */
	assert_int_equal(n, 2);
	assert_string_equal(c[0].allele, "T");
	assert_string_equal(c[0].hgvs_p, "p.Thr790Met");
	assert_string_equal(c[1].allele, "G");
	assert_string_equal(c[1].hgvs_p, "p.Thr790Arg");

	assert_int_equal(ob_annread_next(r, &rec, &c, &n), 1);
	assert_string_equal(c[0].hgvs_p, "p.Thr790="); /* %3D decoded */

	assert_int_equal(ob_annread_next(r, &rec, &c, &n), 1); /* no CSQ, no annotator */
	assert_int_equal(n, 0);
	assert_int_equal(ob_annread_line(r), 10);
	assert_int_equal(ob_annread_next(r, &rec, &c, &n), 0);
	ob_annread_free(r);
}

static void test_bcf_input(void **state)
{
	char path[] = "/tmp/ob-test-annread-XXXXXX.bcf";
	ob_annread *r = NULL;
	bcf1_t *rec;
	const ob_csq *c;
	int n, k = 0, fd = mkstemps(path, 4);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	/* the VEP fixture rewritten as BCF by htslib */
	htsFile *in = hts_open(DATA "vep_picked.vcf", "r"), *out = hts_open(path, "wb");
	assert_non_null(in);
	assert_non_null(out);
	bcf_hdr_t *h = bcf_hdr_read(in);
	bcf1_t *b = bcf_init();
	assert_int_equal(bcf_hdr_write(out, h), 0);
	while (bcf_read(in, h, b) == 0)
		assert_int_equal(bcf_write(out, h, b), 0);
	bcf_destroy(b);
	bcf_hdr_destroy(h);
	hts_close(in);
	assert_int_equal(hts_close(out), 0);

	assert_int_equal(ob_annread_open(&r, path, NULL), 0);
	while (ob_annread_next(r, &rec, &c, &n) == 1) {
		if (!k++) {
			assert_int_equal(n, 2);
			assert_string_equal(c[0].hgvs_p, "p.Leu858Arg");
			assert_true(c[0].picked);
		}
		assert_int_equal(ob_annread_line(r), 0); /* no lines in BCF */
	}
	assert_int_equal(k, 5);
	ob_annread_free(r);
	unlink(path);
}

/* A one-exon plus-strand gene: CDS 11..40 of contig "g" codes
 * M A V L K G D E F Q (ATG GCT GTT CTG AAA GGT GAC GAA TTT CAG). */
#define SEQ "CCCCCCCCCC" "ATGGCTGTTCTGAAAGGTGACGAATTTCAG" "TAACCCCCCCCCCCCCCCCC"

static void test_on_the_fly_annotation(void **state)
{
	char dir[] = "/tmp/ob-test-annread-XXXXXX", fa[96], gff[96], vcf[96], fai[100];
	ob_annotator *a = NULL;
	ob_annread *r = NULL;
	bcf1_t *rec;
	const ob_csq *c;
	int n;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(fa, sizeof fa, "%s/g.fa", dir);
	snprintf(fai, sizeof fai, "%s/g.fa.fai", dir);
	snprintf(gff, sizeof gff, "%s/g.gff3", dir);
	snprintf(vcf, sizeof vcf, "%s/in.vcf", dir);
	write_file(fa, ">g\n" SEQ "\n");
	write_file(gff, "##gff-version 3\n"
		"g\tt\tgene\t1\t60\t.\t+\t.\tID=gene:G1;Name=GENE1;biotype=protein_coding\n"
		"g\tt\tmRNA\t1\t60\t.\t+\t.\tID=transcript:T1;Parent=gene:G1;biotype=protein_coding\n"
		"g\tt\texon\t1\t60\t.\t+\t.\tParent=transcript:T1\n"
		"g\tt\tCDS\t11\t43\t.\t+\t0\tParent=transcript:T1\n");
	/* codon 3 GTT (V) -> GAT (D) at position 18 */
	write_file(vcf, "##fileformat=VCFv4.2\n##contig=<ID=g,length=60>\n"
		"#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
		"g\t18\t.\tT\tA\t.\tPASS\t.\n");
	assert_int_equal(ob_annotator_new(&a, fa, gff), 0);
	assert_int_equal(ob_annread_open(&r, vcf, a), 0);
	assert_int_equal(ob_annread_next(r, &rec, &c, &n), 1);
	assert_int_equal(n, 1);
	assert_string_equal(c[0].allele, "A");
	assert_string_equal(c[0].gene, "GENE1");
	assert_string_equal(c[0].consequence, "missense_variant");
	assert_string_equal(c[0].hgvs_p, "p.Val3Asp");
	assert_int_equal(c[0].protein_pos, 3);
	assert_int_equal(c[0].exon, 1);
	assert_int_equal(ob_annread_next(r, &rec, &c, &n), 0);
	ob_annread_free(r);
	ob_annotator_free(a);
	unlink(fa);
	unlink(fai);
	unlink(gff);
	unlink(vcf);
	rmdir(dir);
}

/* The somatic fixture genome: EGFR has a canonical and an untagged
 * transcript; preferring the models' tags marks the canonical entry. */
static void test_prefer_canonical_from_models(void **state)
{
	const char *fai = DATA "genome.fa.fai";
	int had_fai = access(fai, F_OK) == 0;
	ob_annotator *a = NULL;
	ob_gff *g = NULL;
	ob_annread *r = NULL;
	bcf1_t *rec;
	const ob_csq *c, *e;
	int n, seen = 0;

	(void)state;
	assert_int_equal(ob_annotator_new(&a, DATA "genome.fa", DATA "genes.gff3"), 0);
	assert_int_equal(ob_gff_load(&g, DATA "genes.gff3"), 0);
	assert_int_equal(ob_annread_open(&r, DATA "cases.vcf", a), 0);
	assert_int_equal(ob_annread_prefer(r, g), 0);
	ob_gff_free(g); /* read during the call only */
	while (ob_annread_next(r, &rec, &c, &n) == 1) {
		if (!(e = entry(c, n, "G", "ENST00000455089")))
			continue; /* not an EGFR SNV to G */
		if (strcmp(e->hgvs_p, "p.Leu817Arg"))
			continue;
		seen = 1; /* L858R, numbered 817 on the transcript without exon 2 */
		assert_false(e->picked);
		assert_non_null(e = entry(c, n, "G", "ENST00000275493"));
		assert_true(e->picked);
		assert_string_equal(e->hgvs_p, "p.Leu858Arg");
		assert_int_equal(e->exon, 21);
	}
	assert_true(seen);
	ob_annread_free(r);
	ob_annotator_free(a);
	if (!had_fai)
		unlink(fai);
}

static void test_no_header_is_refused(void **state)
{
	char path[] = "/tmp/ob-test-annread-XXXXXX";
	ob_annread *r = NULL;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	write_file(path, "7\t100\t.\tA\tG\t.\tPASS\t.\n");
	assert_int_equal(ob_annread_open(&r, path, NULL), OB_EINVALID);
	assert_null(r);
	assert_non_null(strstr(ob_error_last(), ":1: header: a record before the #CHROM line"));
	write_file(path, "");
	assert_int_equal(ob_annread_open(&r, path, NULL), OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), ": not a VCF (empty file)"));
	unlink(path);
}

static void test_truncated_bgzip_is_an_error(void **state)
{
	char path[] = "/tmp/ob-test-annread-XXXXXX.vcf.gz";
	ob_annread *r = NULL;
	bcf1_t *rec;
	const ob_csq *c;
	int n, rc, fd = mkstemps(path, 7);
	char line[128];

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	BGZF *z = bgzf_open(path, "w");
	assert_non_null(z);
	const char *h = "##fileformat=VCFv4.2\n##contig=<ID=7,length=1000000>\n"
		"#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n";
	assert_true(bgzf_write(z, h, strlen(h)) > 0);
	assert_int_equal(bgzf_flush(z), 0); /* header in its own block */
	for (int i = 1; i <= 3000; i++) {
		snprintf(line, sizeof line, "7\t%d\t.\tA\tG\t.\tPASS\t.\n", i);
		assert_true(bgzf_write(z, line, strlen(line)) > 0);
	}
	assert_int_equal(bgzf_close(z), 0);
	FILE *f = fopen(path, "r+");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	fclose(f);
	assert_int_equal(truncate(path, size / 2), 0);
	/* a file without its BGZF end-of-file block is refused at once */
	assert_int_equal(ob_annread_open(&r, path, NULL), OB_EINVALID);
	assert_null(r);
	assert_non_null(strstr(ob_error_last(), ": not a VCF (truncated BGZF file"));
	/* read through a pipe, the end cannot be checked first: the error
	 * comes where the data breaks off */
	char cmd[200];
	snprintf(cmd, sizeof cmd, "cat %s", path);
	FILE *pipe = popen(cmd, "r");
	assert_non_null(pipe);
	int saved = dup(0);
	assert_true(saved >= 0);
	assert_true(dup2(fileno(pipe), 0) == 0);
	int k = 0;
	if ((rc = ob_annread_open(&r, "-", NULL)) == 0)
		while ((rc = ob_annread_next(r, &rec, &c, &n)) == 1)
			k++;
	assert_int_equal(rc, OB_EINVALID);
	assert_true(k < 3000);
	assert_non_null(strstr(ob_error_last(), "-: not a VCF (corrupt or truncated"));
	ob_annread_free(r);
	assert_true(dup2(saved, 0) == 0);
	close(saved);
	pclose(pipe);
	unlink(path);
}

static void test_bad_ann_entry_names_line(void **state)
{
	char path[] = "/tmp/ob-test-annread-XXXXXX";
	ob_annread *r = NULL;
	bcf1_t *rec;
	const ob_csq *c;
	int n, fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	write_file(path, "##fileformat=VCFv4.2\n##contig=<ID=7,length=1000>\n"
		"##INFO=<ID=ANN,Number=.,Type=String,Description=\"Functional annotations\">\n"
		"#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
		"7\t10\t.\tA\tG\t.\tPASS\tANN=G|missense_variant|MODERATE|X|X|transcript|T|protein_coding|1/1|c.1A>G|p.Met1?|1/9|1/9|1/3||\n"
		"7\t11\t.\tA\tG\t.\tPASS\tANN=G|missense_variant|MODERATE\n");
	assert_int_equal(ob_annread_open(&r, path, NULL), 0);
	assert_int_equal(ob_annread_next(r, &rec, &c, &n), 1);
	assert_int_equal(n, 1);
	assert_int_equal(ob_annread_next(r, &rec, &c, &n), OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), ":6: ANN: entry 1 has 3 fields"));
	ob_annread_free(r);
	unlink(path);
}

static void test_csq_without_format_is_refused(void **state)
{
	char path[] = "/tmp/ob-test-annread-XXXXXX";
	ob_annread *r = NULL;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	write_file(path, "##fileformat=VCFv4.2\n"
		"##INFO=<ID=CSQ,Number=.,Type=String,Description=\"Consequences\">\n"
		"#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n");
	assert_int_equal(ob_annread_open(&r, path, NULL), OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), "Format"));
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_snpeff_ann_real_lines),
		cmocka_unit_test(test_vep_csq_real_lines),
		cmocka_unit_test(test_vep_pick_hgvs_and_multiallelic),
		cmocka_unit_test(test_bcf_input),
		cmocka_unit_test(test_on_the_fly_annotation),
		cmocka_unit_test(test_prefer_canonical_from_models),
		cmocka_unit_test(test_no_header_is_refused),
		cmocka_unit_test(test_truncated_bgzip_is_an_error),
		cmocka_unit_test(test_bad_ann_entry_names_line),
		cmocka_unit_test(test_csq_without_format_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
