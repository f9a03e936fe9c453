/*
 * test_codon.c - the genetic code, amino-acid names and reverse
 * complements of src/genomics/codon.h.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "genomics/codon.h"

#include <string.h>

static void test_codons_translate_with_the_standard_code(void **state)
{
	(void)state;
	assert_int_equal(ob_codon_translate("ATG"), 'M');
	assert_int_equal(ob_codon_translate("TGG"), 'W');
	assert_int_equal(ob_codon_translate("GTG"), 'V');
	assert_int_equal(ob_codon_translate("GAG"), 'E');
	assert_int_equal(ob_codon_translate("TTT"), 'F');
	assert_int_equal(ob_codon_translate("GGC"), 'G');
	assert_int_equal(ob_codon_translate("CGA"), 'R');
	assert_int_equal(ob_codon_translate("AGA"), 'R');
	assert_int_equal(ob_codon_translate("TAA"), '*');
	assert_int_equal(ob_codon_translate("TAG"), '*');
	assert_int_equal(ob_codon_translate("TGA"), '*');
	assert_int_equal(ob_codon_translate("aug"), 'M');
	assert_int_equal(ob_codon_translate("ANG"), 'X');
}

static void test_amino_acids_have_three_letter_names(void **state)
{
	(void)state;
	assert_string_equal(ob_aa_three('V'), "Val");
	assert_string_equal(ob_aa_three('E'), "Glu");
	assert_string_equal(ob_aa_three('*'), "Ter");
	assert_string_equal(ob_aa_three('W'), "Trp");
	assert_string_equal(ob_aa_three('X'), "Xaa");
}

static void test_reverse_complement_in_place(void **state)
{
	char odd[] = "ATGCA", even[] = "acgN";

	(void)state;
	ob_revcomp(odd, strlen(odd));
	assert_string_equal(odd, "TGCAT");
	ob_revcomp(even, strlen(even));
	assert_string_equal(even, "Ncgt");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_codons_translate_with_the_standard_code),
		cmocka_unit_test(test_amino_acids_have_three_letter_names),
		cmocka_unit_test(test_reverse_complement_in_place),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
