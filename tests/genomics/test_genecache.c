/*
 * test_genecache.c - the binary gene-model cache (src/genomics/genecache.h):
 * every field of every transcript survives a round trip; ob_gff_load()
 * takes a cache by its magic; damaged, truncated, other-version and stale
 * caches are refused naming the file; a failed write leaves nothing behind.
 * Works in a temporary folder that it removes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "base/error.h"
#include "genomics/genecache.h"
#include "genomics/gff.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MINI "tests/data/genes/mini.gff3"

static char dir[200];
static char src[256], cache[256];

static int setup(void **state)
{
	(void)state;
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/ob-test-genecache-XXXXXX", tmp && *tmp ? tmp : P_tmpdir);
	if (!mkdtemp(dir))
		return -1;
	snprintf(src, sizeof src, "%s/mini.gff3", dir);
	snprintf(cache, sizeof cache, "%s/mini.obgc", dir);
	/* a private copy of the fixture, so the stale test may change it */
	FILE *in = fopen(MINI, "rb"), *out = fopen(src, "wb");
	if (!in || !out)
		return -1;
	char b[4096];
	size_t n;
	while ((n = fread(b, 1, sizeof b, in)) > 0)
		fwrite(b, 1, n, out);
	fclose(in);
	fclose(out);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[512];
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		unlink(p);
	}
	if (d)
		closedir(d);
	rmdir(dir);
	return 0;
}

static size_t files_in_dir(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;
	while (d && (e = readdir(d)))
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

static void assert_ranges_equal(const ob_range *a, const ob_range *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(a[i].beg, b[i].beg);
		assert_int_equal(a[i].end, b[i].end);
		assert_int_equal(a[i].phase, b[i].phase);
	}
}

static void assert_same_models(const ob_gff *a, const ob_gff *b)
{
	assert_int_equal(ob_gff_ntx(a), ob_gff_ntx(b));
	for (size_t i = 0; i < ob_gff_ntx(a); i++) {
		const ob_tx *x = ob_gff_tx(a, i), *y = ob_gff_tx(b, i);
		assert_string_equal(x->id, y->id);
		assert_string_equal(x->gene_id, y->gene_id);
		assert_string_equal(x->gene_name, y->gene_name);
		assert_string_equal(x->biotype, y->biotype);
		assert_string_equal(x->protein_id, y->protein_id);
		assert_string_equal(x->chrom, y->chrom);
		assert_int_equal(x->strand, y->strand);
		assert_int_equal(x->version, y->version);
		assert_int_equal(x->flags, y->flags);
		assert_int_equal(x->beg, y->beg);
		assert_int_equal(x->end, y->end);
		assert_int_equal(x->nexon, y->nexon);
		assert_int_equal(x->ncds, y->ncds);
		assert_ranges_equal(x->exon, y->exon, x->nexon);
		assert_ranges_equal(x->cds, y->cds, x->ncds);
	}
}

static void round_trip(const char *gff)
{
	ob_gff *a = NULL, *b = NULL;

	assert_int_equal(ob_gff_load_text(&a, gff), 0);
	assert_int_equal(ob_genecache_write(a, gff, cache), 0);
	assert_int_equal(ob_genecache_sniff(cache), 1);
	assert_int_equal(ob_genecache_sniff(gff), 0);
	assert_int_equal(ob_gff_load(&b, cache), 0); /* recognised by its magic */
	assert_same_models(a, b);
	ob_gff_free(a);
	ob_gff_free(b);
}

static void test_round_trip_keeps_every_field(void **state)
{
	ob_gff *g = NULL;
	ob_gff_stats st;

	(void)state;
	round_trip(src);
	assert_int_equal(ob_gff_load(&g, cache), 0);
	assert_int_equal(ob_gff_get_stats(g, &st), 0);
	assert_int_equal(st.transcripts, 5);
	assert_int_equal(st.genes, 4); /* G1, G2, G5 and T4 without a gene */
	assert_int_equal(st.coding, 2);
	assert_int_equal(st.contigs, 3);
	assert_int_equal(st.mane_select, 2);
	assert_int_equal(st.canonical, 1);
	/* T2 is on the minus strand with a shared exon, a version, a protein */
	const ob_tx *near[8];
	size_t n = ob_gff_near(g, "chr2", 1400, 1400, 0, near, 8);
	assert_int_equal(n, 2);
	const ob_tx *t2 = !strcmp(near[0]->id, "T2") ? near[0] : near[1];
	assert_string_equal(t2->id, "T2");
	assert_int_equal(t2->version, 3);
	assert_string_equal(t2->protein_id, "P2.1");
	assert_int_equal(t2->flags, OB_TX_MANE_SELECT | OB_TX_CANONICAL);
	assert_int_equal(t2->cds[0].phase, 1);
	ob_gff_free(g);
}

static void test_round_trip_of_real_gencode(void **state)
{
	char p[512];
	const char *sh = getenv("OB_SHARED");

	(void)state;
	snprintf(p, sizeof p, "%s/data/genomics/brca1-grch37/gencode19_brca1.gff3", sh ? sh : "../shared");
	if (access(p, R_OK) != 0)
		skip();
	round_trip(p);
}

/* Writes a cache of the fixture, lets change() damage it, then expects
 * ob_gff_load() to refuse it with a message naming the cache and holding
 * want. */
static void expect_refused(void (*change)(FILE *f, long size), const char *want)
{
	ob_gff *g = NULL;
	struct stat st;

	assert_int_equal(ob_gff_load_text(&g, src), 0);
	assert_int_equal(ob_genecache_write(g, src, cache), 0);
	ob_gff_free(g);
	g = NULL;
	assert_int_equal(stat(cache, &st), 0);
	FILE *f = fopen(cache, "r+b");
	assert_non_null(f);
	change(f, (long)st.st_size);
	fclose(f);
	assert_int_equal(ob_gff_load(&g, cache), OB_EINVALID);
	assert_null(g);
	assert_non_null(strstr(ob_error_last(), cache));
	if (!strstr(ob_error_last(), want))
		fail_msg("message '%s' lacks '%s'", ob_error_last(), want);
}

static void flip_payload_byte(FILE *f, long size)
{
	fseek(f, size - 10, SEEK_SET);
	int c = fgetc(f);
	fseek(f, size - 10, SEEK_SET);
	fputc(c ^ 0x40, f);
}

static void cut_in_half(FILE *f, long size)
{
	assert_int_equal(ftruncate(fileno(f), size / 2), 0);
}

static void cut_header(FILE *f, long size)
{
	(void)size;
	assert_int_equal(ftruncate(fileno(f), 12), 0);
}

static void set_version_99(FILE *f, long size)
{
	(void)size;
	fseek(f, 8, SEEK_SET);
	fputc(99, f);
}

static void test_corrupt_cache_is_refused(void **state)
{
	(void)state;
	expect_refused(flip_payload_byte, "checksum mismatch");
}

static void test_truncated_cache_is_refused(void **state)
{
	(void)state;
	expect_refused(cut_in_half, "truncated gene cache");
	expect_refused(cut_header, "truncated gene cache");
}

static void test_other_version_is_refused(void **state)
{
	(void)state;
	expect_refused(set_version_99, "format version 99, this oncobank reads 1");
}

static void touch_source(FILE *f, long size)
{
	(void)f;
	(void)size;
	FILE *s = fopen(src, "ab");
	assert_non_null(s);
	fputs("# changed\n", s);
	fclose(s);
}

static void test_stale_cache_is_refused(void **state)
{
	(void)state;
	expect_refused(touch_source, "stale gene cache");
}

static void test_cache_without_its_source_loads(void **state)
{
	ob_gff *a = NULL, *b = NULL;

	(void)state;
	assert_int_equal(ob_gff_load_text(&a, src), 0);
	assert_int_equal(ob_genecache_write(a, src, cache), 0);
	char moved[300];
	snprintf(moved, sizeof moved, "%s.moved", src);
	assert_int_equal(rename(src, moved), 0);
	assert_int_equal(ob_gff_load(&b, cache), 0);
	assert_same_models(a, b);
	ob_gff_free(a);
	ob_gff_free(b);
}

static void test_failed_write_leaves_nothing(void **state)
{
	ob_gff *g = NULL;
	char bad[300];

	(void)state;
	assert_int_equal(ob_gff_load_text(&g, src), 0);
	snprintf(bad, sizeof bad, "%s/no/such/dir/x.obgc", dir);
	assert_int_equal(ob_genecache_write(g, src, bad), OB_ERROR);
	assert_non_null(strstr(ob_error_last(), bad));
	size_t before = files_in_dir();
	/* over an existing cache: replaced whole, no temporary left */
	assert_int_equal(ob_genecache_write(g, src, cache), 0);
	assert_int_equal(ob_genecache_write(g, src, cache), 0);
	assert_true(files_in_dir() <= before + 1);
	ob_gff_free(g);
}

static void test_text_that_is_not_a_cache(void **state)
{
	ob_gff *g = NULL;

	(void)state;
	FILE *f = fopen(cache, "wb");
	assert_non_null(f);
	fputs("\x89OBGxyz", f); /* the start of the magic, then garbage */
	fclose(f);
	assert_int_equal(ob_genecache_sniff(cache), 0);
	f = fopen(cache, "wb");
	fputs("\x89OB", f);
	fputc('G', f);
	fclose(f);
	assert_int_equal(ob_genecache_sniff(cache), 1);
	assert_int_equal(ob_gff_load(&g, cache), OB_EINVALID);
	assert_non_null(strstr(ob_error_last(), "not an oncobank gene cache (truncated header)"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip_keeps_every_field, setup, teardown),
		cmocka_unit_test_setup_teardown(test_round_trip_of_real_gencode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_cache_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated_cache_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_version_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_cache_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cache_without_its_source_loads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_write_leaves_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text_that_is_not_a_cache, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
