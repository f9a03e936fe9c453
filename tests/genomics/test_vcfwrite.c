/*
 * test_vcfwrite.c - a record written with ANN spliced in on the way out has
 * the very bytes bcf_update_info_string() + vcf_write() give, plain and
 * BGZF, with and without other INFO fields; records already carrying the
 * key and BCF output are not spliced.
 */
#include "genomics/vcfwrite.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <htslib/bgzf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char header[] =
	"##fileformat=VCFv4.2\n"
	"##contig=<ID=1,length=100000>\n"
	"##FILTER=<ID=q10,Description=\"quality below 10\">\n"
	"##INFO=<ID=DP,Number=1,Type=Integer,Description=\"depth\">\n"
	"##INFO=<ID=FLAG,Number=0,Type=Flag,Description=\"a flag\">\n"
	"##INFO=<ID=ANN,Number=.,Type=String,Description=\"annotation\">\n"
	"##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"
	"#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n";

static const char *const records[] = {
	"1\t100\t.\tA\tG\t.\t.\t.\tGT\t0/1",
	"1\t200\trs1\tAC\tA,ACC\t50\tPASS\tDP=12\tGT\t1/2",
	"1\t300\t.\tG\tT\t9.5\tq10\tDP=3;FLAG\tGT\t0|1",
	"1\t400\t.\tT\tC\t.\t.\tFLAG\tGT\t./.",
};

/* Reads a (possibly BGZF) file whole. */
static char *slurp(const char *path, size_t *n)
{
	BGZF *f = bgzf_open(path, "r");
	size_t cap = 1 << 16;
	char *s = malloc(cap);
	ssize_t got;

	assert_non_null(f);
	*n = 0;
	while ((got = bgzf_read(f, s + *n, cap - *n)) > 0) {
		*n += (size_t)got;
		if (*n == cap)
			s = realloc(s, cap *= 2);
	}
	bgzf_close(f);
	return s;
}

/* Writes every record with an ANN value, spliced (1) or stored (0). */
static void write_all(const char *path, const char *mode, int splice, bcf_hdr_t *h)
{
	htsFile *fo = hts_open(path, mode);
	kstring_t line = { 0, 0, NULL }, text = { 0, 0, NULL };
	bcf1_t *rec = bcf_init();
	char ann[300];

	assert_non_null(fo);
	assert_int_equal(bcf_hdr_write(fo, h), 0);
	for (size_t k = 0; k < 4 * 400; k++) {   /* ~450 kB: several BGZF blocks */
		size_t i = k % (sizeof records / sizeof records[0]);
		text.l = 0;
		kputs(records[i], &text);
		assert_int_equal(vcf_parse(&text, h, rec), 0);
		snprintf(ann, sizeof ann, "G|missense_variant|MODERATE|X|G%zu|transcript|T%zu|"
			"protein_coding|1/2|c.%zuA>G|p.Lys%zuGlu||||||", i, i, i + 10, i + 4);
		if (splice) {
			assert_true(ob_vcf_can_splice(fo, h, rec, "ANN"));
			assert_int_equal(ob_vcf_write_info(fo, h, rec, "ANN", ann, strlen(ann), &line), 0);
		} else {
			assert_int_equal(bcf_update_info_string(h, rec, "ANN", ann), 0);
			assert_int_equal(bcf_write(fo, h, rec), 0);
		}
	}
	bcf_destroy(rec);
	free(line.s);
	free(text.s);
	assert_int_equal(hts_close(fo), 0);
}

static bcf_hdr_t *make_header(void)
{
	bcf_hdr_t *h = bcf_hdr_init("w");
	assert_non_null(h);
	assert_int_equal(bcf_hdr_parse(h, (char *)header), 0);
	assert_int_equal(bcf_hdr_sync(h), 0);
	return h;
}

static void same_bytes(const char *mode)
{
	char a[] = "/tmp/ob-vcfwrite-a-XXXXXX", b[] = "/tmp/ob-vcfwrite-b-XXXXXX";
	bcf_hdr_t *h = make_header();
	size_t na, nb;

	close(mkstemp(a));
	close(mkstemp(b));
	write_all(a, mode, 0, h);
	write_all(b, mode, 1, h);
	/* the compressed files too: the same BGZF blocks */
	FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
	static char ra[1 << 20], rb[1 << 20];
	size_t la = fread(ra, 1, sizeof ra, fa), lb = fread(rb, 1, sizeof rb, fb);
	fclose(fa);
	fclose(fb);
	assert_int_equal(la, lb);
	assert_memory_equal(ra, rb, la);
	char *sa = slurp(a, &na), *sb = slurp(b, &nb);
	assert_int_equal(na, nb);
	assert_memory_equal(sa, sb, na);
	/* the spliced ANN is really there, after the other INFO fields */
	assert_non_null(strstr(sb, "\tDP=3;FLAG;ANN=G|missense_variant|"));
	assert_non_null(strstr(sb, "\t.\t.\tANN=G|missense_variant|MODERATE|X|G0|"));
	free(sa);
	free(sb);
	unlink(a);
	unlink(b);
	bcf_hdr_destroy(h);
}

static void test_plain_vcf_is_byte_identical(void **state)
{
	(void)state;
	same_bytes("w");
}

static void test_bgzf_vcf_is_byte_identical(void **state)
{
	(void)state;
	same_bytes("wz");
}

static void test_not_spliced_when_key_present_or_bcf(void **state)
{
	char path[] = "/tmp/ob-vcfwrite-c-XXXXXX";
	bcf_hdr_t *h = make_header();
	kstring_t text = { 0, 0, NULL };
	bcf1_t *rec = bcf_init();
	(void)state;

	close(mkstemp(path));
	kputs("1\t100\t.\tA\tG\t.\t.\tANN=old\tGT\t0/1", &text);
	assert_int_equal(vcf_parse(&text, h, rec), 0);
	htsFile *fo = hts_open(path, "w");
	assert_false(ob_vcf_can_splice(fo, h, rec, "ANN"));
	assert_true(ob_vcf_can_splice(fo, h, rec, "DP"));
	hts_close(fo);
	fo = hts_open(path, "wb");
	assert_false(ob_vcf_can_splice(fo, h, rec, "DP"));
	hts_close(fo);
	unlink(path);
	bcf_destroy(rec);
	free(text.s);
	bcf_hdr_destroy(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_vcf_is_byte_identical),
		cmocka_unit_test(test_bgzf_vcf_is_byte_identical),
		cmocka_unit_test(test_not_spliced_when_key_present_or_bcf),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
