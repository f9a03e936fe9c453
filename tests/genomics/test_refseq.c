/*
 * test_refseq.c - src/genomics/refseq.h against htslib's faidx: the same
 * bases (upper-cased) at random positions and ranges of a plain FASTA (the
 * mapped reader) and of its bgzip copy (the window reader), contig edges,
 * lower case, N, line widths, unknown contigs, and reads after the mapped
 * reader has given pages back or the window has moved on.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "genomics/refseq.h"
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_fasta_is_mapped_and_matches_faidx),
		cmocka_unit_test(test_bgzip_fasta_is_read_in_windows_and_matches_faidx),
		cmocka_unit_test(test_lower_case_and_n_come_back_upper_case),
		cmocka_unit_test(test_unknown_contig_and_bad_ranges_are_refused),
		cmocka_unit_test(test_missing_file_is_an_error_naming_it),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
