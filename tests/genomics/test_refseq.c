/*
 * test_refseq.c - src/genomics/refseq.h against htslib's faidx: the same
 * bases (upper-cased) at random positions and ranges of a plain FASTA (the
 * mapped reader) and of its bgzip copy (the window reader), contig edges,
 * lower case, N, line widths, unknown contigs, and reads after the mapped
 * reader has given pages back or the window has moved on. Then the
 * annotator on top of it: the same ANN from either file, and whatever the
 * order of the records (its transcript cache).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "genomics/refseq.h"
#include "genomics/annotate.h"
#include "base/buf.h"
#include "base/error.h"

#include <htslib/bgzf.h>
#include <htslib/faidx.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Contigs: name, length, bases per line. "big" is larger than the
 * window reader's window, "huge" than the span after which the mapped
 * reader gives pages back. */
static const struct { const char *name; int64_t len; int width; } contigs[] = {
	{ "chr1", 1000, 60 },
	{ "two", 7, 7 },       /* one full line */
	{ "odd", 1001, 7 },    /* short last line */
	{ "one", 1, 60 },
	{ "big", 2600000, 80 },
	{ "huge", 40000000, 70 },
};
#define NCTG (sizeof contigs / sizeof *contigs)

static char dir[64], plain[128], gz[128];
static uint64_t rng = 0x9E3779B97F4A7C15u;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static char draw_base(int64_t i)
{
	static const char b[] = "ACGTacgtACGTACGTN";
	if (i % 100000 < 50) /* a run of N every 100 kb */
		return 'N';
	return b[next() % (sizeof b - 1)];
}

/* Writes the FASTA to path through BGZF (mode "wu": plain, "w": bgzip). */
static void write_fasta(const char *path, const char *mode)
{
	BGZF *f = bgzf_open(path, mode);
	char line[128];
	assert_non_null(f);
	rng = 42;
	for (size_t c = 0; c < NCTG; c++) {
		int n = snprintf(line, sizeof line, ">%s description\n", contigs[c].name);
		assert_int_equal(bgzf_write(f, line, (size_t)n), n);
		for (int64_t i = 0; i < contigs[c].len; i += contigs[c].width) {
			int64_t k = 0;
			for (; k < contigs[c].width && i + k < contigs[c].len; k++)
				line[k] = draw_base(i + k);
			line[k++] = '\n';
			assert_int_equal(bgzf_write(f, line, (size_t)k), k);
		}
	}
	assert_int_equal(bgzf_close(f), 0);
	assert_int_equal(fai_build(path), 0);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "%s/ob-test-refseq-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir))
		return -1;
	snprintf(plain, sizeof plain, "%s/ref.fa", dir);
	snprintf(gz, sizeof gz, "%s/ref.fa.gz", dir);
	write_fasta(plain, "wu");
	write_fasta(gz, "w");
	return 0;
}

static int teardown(void **state)
{
	static const char *ext[] = { "", ".fai", ".gzi" };
	char p[160];
	(void)state;
	snprintf(p, sizeof p, "%s/genes.gff3", dir);
	unlink(p);
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof p, "%s%s", plain, ext[i]);
		unlink(p);
		snprintf(p, sizeof p, "%s%s", gz, ext[i]);
		unlink(p);
	}
	rmdir(dir);
	return 0;
}

/* faidx's base at 1-based pos, upper-cased; 0 outside the contig. */
static char fai_base(faidx_t *fai, const char *chrom, int64_t pos)
{
	hts_pos_t len = 0;
	if (pos < 1 || pos > faidx_seq_len(fai, chrom))
		return 0;
	char *s = faidx_fetch_seq64(fai, chrom, pos - 1, pos - 1, &len);
	assert_non_null(s);
	assert_int_equal(len, 1);
	char c = (char)toupper((unsigned char)s[0]);
	free(s);
	return c;
}

static void check_range(ob_ref *r, faidx_t *fai, const char *chrom, int64_t beg, int64_t end)
{
	hts_pos_t len = 0;
	char *want = faidx_fetch_seq64(fai, chrom, beg - 1, end - 1, &len);
	char *got = malloc((size_t)(end - beg + 1));
	assert_non_null(want);
	assert_non_null(got);
	assert_int_equal(len, end - beg + 1);
	for (hts_pos_t j = 0; j < len; j++)
		want[j] = (char)toupper((unsigned char)want[j]);
	assert_int_equal(ob_ref_copy(r, chrom, beg, end, got), 0);
	assert_memory_equal(got, want, (size_t)len);
	free(want);
	free(got);
}

/* Both readers agree with faidx: edges, random positions, random ranges. */
static void agree_with_faidx(const char *path, int mapped)
{
	ob_ref *r = NULL;
	faidx_t *fai = fai_load(path);
	assert_non_null(fai);
	assert_int_equal(ob_ref_open(&r, path), 0);
	assert_int_equal(ob_ref_mapped(r), mapped);
	rng = 7;
	for (size_t c = 0; c < NCTG; c++) {
		const char *n = contigs[c].name;
		int64_t L = contigs[c].len;
		assert_int_equal(ob_ref_len(r, n), L);
		assert_int_equal(ob_ref_base(r, n, 0), 0);
		assert_int_equal(ob_ref_base(r, n, L + 1), 0);
		assert_int_equal(ob_ref_base(r, n, 1), fai_base(fai, n, 1));
		assert_int_equal(ob_ref_base(r, n, L), fai_base(fai, n, L));
		check_range(r, fai, n, 1, L < 500 ? L : 500);
		check_range(r, fai, n, L > 300 ? L - 300 : 1, L);
		/* forward, as a sorted VCF reads, with steps back */
		int64_t pos = 1;
		for (int i = 0; i < 400; i++) {
			pos += (int64_t)(next() % (uint64_t)(L / 200 + 2));
			if (pos > L)
				break;
			int64_t p = next() % 4 ? pos : pos - (int64_t)(next() % 5000);
			if (p < 1)
				p = 1;
			assert_int_equal(ob_ref_base(r, n, p), fai_base(fai, n, p));
			/* and up to 70 kb behind, where a moved window keeps its overlap */
			int64_t q = pos - (int64_t)(next() % 70000);
			if (q >= 1)
				assert_int_equal(ob_ref_base(r, n, q), fai_base(fai, n, q));
			int64_t e = p + (int64_t)(next() % 3000);
			check_range(r, fai, n, p, e < L ? e : L);
		}
		/* and anywhere, after the reader has moved on */
		for (int i = 0; i < 100; i++) {
			int64_t p = 1 + (int64_t)(next() % (uint64_t)L);
			assert_int_equal(ob_ref_base(r, n, p), fai_base(fai, n, p));
		}
	}
	fai_destroy(fai);
	ob_ref_free(r);
}

static void test_plain_fasta_is_mapped_and_matches_faidx(void **state)
{
	(void)state;
	agree_with_faidx(plain, 1);
}

static void test_bgzip_fasta_is_read_in_windows_and_matches_faidx(void **state)
{
	(void)state;
	agree_with_faidx(gz, 0);
}

static void test_lower_case_and_n_come_back_upper_case(void **state)
{
	ob_ref *r = NULL;
	char s[60];
	int lower = 0, upper = 0, n = 0;
	(void)state;
	assert_int_equal(ob_ref_open(&r, plain), 0);
	/* the file has both cases; the reader gives upper case only */
	assert_int_equal(ob_ref_copy(r, "chr1", 1, 60, s), 0);
	for (int i = 0; i < 60; i++) {
		lower += islower((unsigned char)s[i]) != 0;
		upper += isupper((unsigned char)s[i]) != 0;
	}
	assert_int_equal(lower, 0);
	assert_int_equal(upper, 60);
	for (int64_t p = 1; p <= 50; p++)
		n += ob_ref_base(r, "chr1", p) == 'N';
	assert_int_equal(n, 50);
	for (int64_t p = 51; p <= 110; p++)
		n += ob_ref_base(r, "chr1", p) == 'N';
	assert_true(n < 60); /* and bases after them */
	ob_ref_free(r);
}

static void test_unknown_contig_and_bad_ranges_are_refused(void **state)
{
	const char *paths[] = { plain, gz };
	char s[16];
	(void)state;
	for (int i = 0; i < 2; i++) {
		ob_ref *r = NULL;
		assert_int_equal(ob_ref_open(&r, paths[i]), 0);
		assert_int_equal(ob_ref_len(r, "chr2"), -1);
		assert_int_equal(ob_ref_base(r, "chr2", 1), 0);
		assert_int_equal(ob_ref_copy(r, "chr2", 1, 2, s), OB_ENOTFOUND);
		assert_non_null(strstr(ob_error_last(), "chr2"));
		assert_int_equal(ob_ref_copy(r, "two", 5, 8, s), OB_EINVALID);
		assert_non_null(strstr(ob_error_last(), "two:5-8"));
		assert_int_equal(ob_ref_copy(r, "two", 0, 3, s), OB_EINVALID);
		assert_int_equal(ob_ref_copy(r, "two", 4, 3, s), OB_EINVALID);
		assert_int_equal(ob_ref_copy(r, "two", 1, 7, s), 0);
		assert_int_equal(ob_ref_base(r, "one", 1) != 0, 1);
		assert_int_equal(ob_ref_base(r, "one", 2), 0);
		/* a prefix of a contig's name is not that contig */
		assert_int_equal(ob_ref_len(r, "chr"), -1);
		assert_int_equal(ob_ref_len(r, "tw"), -1);
		ob_ref_free(r);
	}
}

static void test_missing_file_is_an_error_naming_it(void **state)
{
	ob_ref *r = (ob_ref *)&r;
	char p[160];
	(void)state;
	snprintf(p, sizeof p, "%s/absent.fa", dir);
	assert_int_equal(ob_ref_open(&r, p), OB_ERROR);
	assert_null(r);
	assert_non_null(strstr(ob_error_last(), "absent.fa"));
	ob_ref_free(NULL);
}

/* Genes on contig "big" every 100 kb, alternating strands, each with a
 * three-exon transcript and one skipping the middle exon (in frame):
 * exons [b, b+299], [b+1000, b+1299], [b+2000, b+2299], CDS 150 bases in
 * each. */
#define NGENE 25
static int64_t gene_base(int k)
{
	return 100000 * (int64_t)k + 5000;
}

static void write_gff(const char *path)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "##gff-version 3\n");
	for (int k = 0; k < NGENE; k++) {
		int64_t b = gene_base(k);
		char st = k % 2 ? '-' : '+';
		fprintf(f, "big\tt\tgene\t%lld\t%lld\t.\t%c\t.\tID=gene:G%d;Name=GENE%d;biotype=protein_coding\n",
			(long long)b, (long long)b + 2299, st, k, k);
		for (int x = 0; x < 2; x++) {
			fprintf(f, "big\tt\tmRNA\t%lld\t%lld\t.\t%c\t.\tID=transcript:T%d%c;Parent=gene:G%d;biotype=protein_coding\n",
				(long long)b, (long long)b + 2299, st, k, 'a' + x, k);
			for (int e = 0; e < 3; e++) {
				if (x && e == 1)
					continue;
				int64_t eb = b + 1000 * e;
				fprintf(f, "big\tt\texon\t%lld\t%lld\t.\t%c\t.\tParent=transcript:T%d%c\n",
					(long long)eb, (long long)eb + 299, st, k, 'a' + x);
				fprintf(f, "big\tt\tCDS\t%lld\t%lld\t.\t%c\t0\tParent=transcript:T%d%c\n",
					(long long)eb + 100, (long long)eb + 249, st, k, 'a' + x);
			}
		}
	}
	assert_int_equal(fclose(f), 0);
}

typedef struct rec {
	int64_t pos;
	char ref[8], alt[12];
} rec;

/* SNVs, deletions and insertions in and beside every exon; REF from faidx. */
static size_t draw_records(faidx_t *fai, rec *r, size_t max)
{
	static const char acgt[] = "ACGT";
	size_t n = 0;
	rng = 99;
	for (int k = 0; k < NGENE * 3; k++)
		for (int64_t p = gene_base(k / 3) + 1000 * (k % 3) - 10;
		     p < gene_base(k / 3) + 1000 * (k % 3) + 310 && n < max; p += 1 + (int64_t)(next() % 4)) {
			int kind = (int)(next() % 4), len = kind == 1 ? 2 + (int)(next() % 4) : 1;
			hts_pos_t got = 0;
			char *s = faidx_fetch_seq64(fai, "big", p - 1, p + len - 2, &got);
			assert_non_null(s);
			assert_int_equal(got, len);
			rec *x = &r[n++];
			x->pos = p;
			for (int j = 0; j < len; j++)
				x->ref[j] = (char)toupper((unsigned char)s[j]);
			x->ref[len] = 0;
			free(s);
			if (kind == 1) { /* deletion: keep the anchor */
				x->alt[0] = x->ref[0];
				x->alt[1] = 0;
			} else if (kind == 2) { /* insertion of 1-6 bases */
				int m = 1 + (int)(next() % 6);
				x->alt[0] = x->ref[0];
				for (int j = 1; j <= m; j++)
					x->alt[j] = acgt[next() % 4];
				x->alt[m + 1] = 0;
			} else { /* SNV */
				char c = acgt[next() % 4];
				x->alt[0] = c == x->ref[0] ? (c == 'A' ? 'C' : 'A') : c;
				x->alt[1] = 0;
			}
		}
	return n;
}

static char *annotate_one(ob_annotator *a, const rec *x)
{
	ob_buf b = OB_BUF_INIT;
	const char *alts[] = { x->alt };
	assert_int_equal(ob_annotate_record(a, "big", x->pos, x->ref, alts, 1, &b), 0);
	char *s = strdup(ob_buf_cstr(&b));
	assert_non_null(s);
	ob_buf_dispose(&b);
	return s;
}

static void test_annotation_is_the_same_from_either_file_and_in_any_order(void **state)
{
	char gff[160];
	ob_annotator *plain_a = NULL, *gz_a = NULL, *back_a = NULL;
	faidx_t *fai = fai_load(plain);
	static rec recs[16000];
	int coding = 0, frameshift = 0, utr = 0;
	(void)state;
	assert_non_null(fai);
	snprintf(gff, sizeof gff, "%s/genes.gff3", dir);
	write_gff(gff);
	size_t n = draw_records(fai, recs, sizeof recs / sizeof *recs);
	assert_true(n > 5000);
	assert_int_equal(ob_annotator_new(&plain_a, plain, gff), 0);
	assert_int_equal(ob_annotator_new(&gz_a, gz, gff), 0);
	assert_int_equal(ob_annotator_new(&back_a, plain, gff), 0);
	char **fwd = calloc(n, sizeof *fwd);
	assert_non_null(fwd);
	for (size_t i = 0; i < n; i++) { /* sorted, as a VCF */
		fwd[i] = annotate_one(plain_a, &recs[i]);
		char *z = annotate_one(gz_a, &recs[i]);
		assert_string_equal(z, fwd[i]);
		free(z);
		coding += strstr(fwd[i], "|p.") != NULL;
		frameshift += strstr(fwd[i], "frameshift_variant") != NULL;
		utr += strstr(fwd[i], "UTR_variant") != NULL;
		assert_null(strstr(fwd[i], "WARNING_REF_DOES_NOT_MATCH_GENOME"));
	}
	/* the coding path, UTRs and frameshifts were all reached */
	assert_true(coding > 1000);
	assert_true(frameshift > 50);
	assert_true(utr > 50);
	for (size_t i = n; i-- > 0;) { /* backwards: every transcript re-read */
		char *z = annotate_one(back_a, &recs[i]);
		assert_string_equal(z, fwd[i]);
		free(z);
	}
	for (size_t i = 0; i < n; i++)
		free(fwd[i]);
	free(fwd);
	ob_annotator_free(plain_a);
	ob_annotator_free(gz_a);
	ob_annotator_free(back_a);
	fai_destroy(fai);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_fasta_is_mapped_and_matches_faidx),
		cmocka_unit_test(test_bgzip_fasta_is_read_in_windows_and_matches_faidx),
		cmocka_unit_test(test_lower_case_and_n_come_back_upper_case),
		cmocka_unit_test(test_unknown_contig_and_bad_ranges_are_refused),
		cmocka_unit_test(test_missing_file_is_an_error_naming_it),
		cmocka_unit_test(test_annotation_is_the_same_from_either_file_and_in_any_order),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
