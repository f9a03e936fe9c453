/*
 * test_vcfcheck.c - the checks of one VCF data line (vcfcheck.h): what VCF
 * allows passes (symbolic and breakend alleles, '*', '.', lower case, a
 * FORMAT column without samples), what it does not is refused naming
 * FILE:LINE and the column; the sample columns are counted exactly at every
 * length and offset (the count goes eight bytes at a time), also next to
 * bytes that differ from a tab in one bit.
 */
#include "genomics/vcfcheck.h"
#include "base/error.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

static int check(const char *line, int nsamples)
{
	return ob_vcf_check_line(line, strlen(line), nsamples, "in.vcf", 7);
}

static void refused(const char *line, int nsamples, const char *want)
{
	if (check(line, nsamples) != OB_EINVALID)
		fail_msg("accepted: %s", line);
	if (strcmp(ob_error_last(), want))
		fail_msg("for %s\n  got  %s\n  want %s", line, ob_error_last(), want);
}

static void test_valid_records_pass(void **state)
{
	static const char *const ok[] = {
		"7\t100\t.\tA\tG\t.\t.\t.",
		"chr7\t1\trs1;rs2\tacgtn\tACGTN,a,*\t50.5\tPASS\tDP=3;X",
		"7\t100\t.\tA\t<DEL>\t1e3\tq10\tSVTYPE=DEL",
		"7\t100\t.\tA\t<INS:ME:ALU>,<*>\t.\t.\t.",
		"7\t100\t.\tG\tG]17:198982]\t.\t.\t.",
		"7\t100\t.\tT\t]13:123456]T\t.\t.\t.",
		"7\t100\t.\tA\t[<ctg1>:7[A\t.\t.\t.",
		"7\t100\t.\tA\tA.\t.\t.\t.",
		"7\t100\t.\tA\t.A\t.\t.\t.",
		"7\t4611686018427387904\t.\tA\tG\t.\t.\t.",
		"7\t100\t.\tA\tG\t.\t.\t.\tGT", /* a FORMAT column, no samples */
	};
	(void)state;
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (check(ok[i], 0) != 0)
			fail_msg("%s: %s", ok[i], ob_error_last());
	assert_int_equal(check("7\t100\t.\tA\tG\t.\t.\t.\tGT:AD\t0/1:3,4\t1|1:0,9", 2), 0);
}

static void test_bad_columns_are_named(void **state)
{
	(void)state;
	refused("7\tabc\t.\tA\tG\t.\t.\t.", 0,
		"in.vcf:7: POS: 'abc' is not a position (a whole number from 1)");
	refused("7\t0\t.\tA\tG\t.\t.\t.", 0,
		"in.vcf:7: POS: '0' is not a position (a whole number from 1)");
	refused("7\t+5\t.\tA\tG\t.\t.\t.", 0,
		"in.vcf:7: POS: '+5' is not a position (a whole number from 1)");
	refused("7\t4611686018427387905\t.\tA\tG\t.\t.\t.", 0,
		"in.vcf:7: POS: '4611686018427387905' is not a position (a whole number from 1)");
	refused("7\t5\t.\tR\tG\t.\t.\t.", 0,
		"in.vcf:7: REF: 'R' is not a sequence of bases (A C G T N)");
	refused("7\t5\t.\tA\t<DEL\t.\t.\t.", 0,
		"in.vcf:7: ALT: '<DEL' is not an allele (bases A C G T N, '*', <ID> or a breakend)");
	refused("7\t5\t.\tA\tG]17:5]C\t.\t.\t.", 0,
		"in.vcf:7: ALT: 'G]17:5]C' is not an allele (bases A C G T N, '*', <ID> or a breakend)");
	refused("7\t5\t.\tA\tG,\t.\t.\t.", 0, "in.vcf:7: ALT: 'G,' has an empty allele");
	refused("7\t5\t.\tA\tG\tnan\t.\t.", 0, "in.vcf:7: QUAL: 'nan' is not a number");
	refused("7\t5\t.\tA\tG\t.\t\t.", 0, "in.vcf:7: FILTER: empty (a missing value is '.')");
	refused("7 5\t.\tA\tG\t.\t.\t.\t.", 0, "in.vcf:7: CHROM: '7 5' is not a contig name");
	refused("7\t5\t.\tA\tG\t.\t.", 0,
		"in.vcf:7: INFO: missing (the record has 7 columns, the #CHROM line 8)");
	refused("7", 1, "in.vcf:7: POS: missing (the record has 1 column, the #CHROM line 10)");
	refused("7\t5\t.\tA\tG\t.\t.\t.\tGT\t0/1", 0,
		"in.vcf:7: FORMAT: the record has 10 columns, the #CHROM line names no samples");
	refused("7\t5\t.\tA\tG\t.\t.\t.\tGT\t0/1", 2,
		"in.vcf:7: FORMAT: the record has 10 columns, the #CHROM line 11");
	/* binary bytes are shown escaped, the line stays one line */
	refused("7\t5\t.\t\x01\n\xff\tG\t.\t.\t.", 0,
		"in.vcf:7: REF: '\\x01\\x0a\\xff' is not a sequence of bases (A C G T N)");
	/* BCF: "record N" */
	const char *al[] = { "A", "T!" };
	assert_int_equal(ob_vcf_check_alleles(al, 2, "in.bcf", -3), OB_EINVALID);
	assert_string_equal(ob_error_last(), "in.bcf: record 3: ALT: 'T!' is not an allele (bases A C"
		" G T N, '*', <ID> or a breakend)");
}

/* Lines of every length up to 70 with n sample columns whose values are
 * bytes one bit away from a tab (0x08, 0x0b, 0x19, 0x29, 0x49, 0x89): the
 * count is exact wherever the tabs fall against the 8-byte words. */
static void test_sample_columns_counted_exactly(void **state)
{
	static const char near[] = { 0x08, 0x0b, 0x19, 0x29, 0x49, (char)0x89, 'x' };
	char line[256];
	(void)state;
	for (int ns = 1; ns <= 12; ns++)
		for (int w = 1; w <= 5; w++) {
			int n = snprintf(line, sizeof line, "7\t5\t.\tA\tG\t.\t.\t.\tGT");
			for (int k = 0; k < ns; k++) {
				line[n++] = '\t';
				for (int j = 0; j < w; j++)
					line[n++] = near[(k + j) % sizeof near];
			}
			line[n] = '\0';
			if (ob_vcf_check_line(line, (size_t)n, ns, "f", 1) != 0)
				fail_msg("ns %d w %d: %s", ns, w, ob_error_last());
			assert_int_equal(ob_vcf_check_line(line, (size_t)n, ns + 1, "f", 1), OB_EINVALID);
			assert_int_equal(ob_vcf_check_line(line, (size_t)n, ns - 1 ? ns - 1 : 2, "f", 1),
				OB_EINVALID);
		}
	/* a long line: the per-byte counters are summed before they overflow */
	static char big[40000];
	int n = snprintf(big, sizeof big, "7\t5\t.\tA\tG\t.\t.\t.\tGT");
	for (int k = 0; k < 9000; k++) {
		big[n++] = '\t';
		big[n++] = near[k % sizeof near];
		if (k % 3 == 0)
			big[n++] = '1';
	}
	assert_int_equal(ob_vcf_check_line(big, (size_t)n, 9000, "f", 1), 0);
	assert_int_equal(ob_vcf_check_line(big, (size_t)n, 8999, "f", 1), OB_EINVALID);
	assert_string_equal(ob_error_last(), "f:1: FORMAT: the record has 9009 columns, the #CHROM line 9008");
	const char *h8 = "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO";
	const char *h11 = "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tA\tB";
	assert_int_equal(ob_vcf_header_samples(h8, strlen(h8)), 0);
	assert_int_equal(ob_vcf_header_samples(h11, strlen(h11)), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_records_pass),
		cmocka_unit_test(test_bad_columns_are_named),
		cmocka_unit_test(test_sample_columns_counted_exactly),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
