/*
 * test_oncotree.c - the OncoTree table the binary carries
 * (src/interp/oncotree.h): it parses, the lung branch has the distances of
 * the tree, the tissue roots stop the parent walk, unknown codes are
 * unknown.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "base/error.h"
#include "interp/oncotree.h"

#include <string.h>

static void test_shipped_table_parses(void **state)
{
	(void)state;
	if (ob_oncotree_check() < 0)
		fail_msg("%s", ob_error_last());
	/* the 2025-10-03 release: 898 codes, the TISSUE root among them */
	assert_int_equal(ob_oncotree_count(), 898);
}

static void test_lung_branch_distances(void **state)
{
	(void)state;
	assert_int_equal(ob_oncotree_distance("LUAD", "LUAD"), 0);
	assert_int_equal(ob_oncotree_distance("LUAD", "NSCLC"), 1);
	assert_int_equal(ob_oncotree_distance("LUAD", "LUNG"), 2);
	assert_int_equal(ob_oncotree_distance("LUAD", OB_ONCOTREE_ROOT), 3);
	/* evidence for LUAD does not apply to LUSC, evidence for NSCLC does */
	assert_int_equal(ob_oncotree_distance("LUSC", "LUAD"), -1);
	assert_int_equal(ob_oncotree_distance("LUSC", "NSCLC"), 1);
	/* downwards is not an ancestor */
	assert_int_equal(ob_oncotree_distance("NSCLC", "LUAD"), -1);
	assert_int_equal(ob_oncotree_distance("COAD", "COADREAD"), 1);
	assert_int_equal(ob_oncotree_distance("COAD", "BREAST"), -1);
}

static void test_names_and_parents(void **state)
{
	(void)state;
	assert_string_equal(ob_oncotree_name("LUAD"), "Lung Adenocarcinoma");
	assert_string_equal(ob_oncotree_main_type("LUAD"), "Non-Small Cell Lung Cancer");
	assert_string_equal(ob_oncotree_tissue("LUAD"), "Lung");
	assert_string_equal(ob_oncotree_parent("LUAD"), "NSCLC");
	assert_string_equal(ob_oncotree_parent("NSCLC"), "LUNG");
	/* the tissue root has no parent: TISSUE is not a tumour type */
	assert_null(ob_oncotree_parent("LUNG"));
	assert_null(ob_oncotree_parent(OB_ONCOTREE_ROOT));
	/* a pitfall of this release: CHOL sits under IPN */
	assert_string_equal(ob_oncotree_parent("CHOL"), "IPN");
}

static void test_unknown_codes(void **state)
{
	(void)state;
	assert_false(ob_oncotree_known("LUNGX"));
	assert_false(ob_oncotree_known("luad"));   /* codes are case-sensitive */
	assert_false(ob_oncotree_known(""));
	assert_false(ob_oncotree_known(NULL));
	assert_true(ob_oncotree_known("GIST"));
	assert_null(ob_oncotree_name("LUNGX"));
	assert_null(ob_oncotree_parent("LUNGX"));
	assert_int_equal(ob_oncotree_distance("LUNGX", "LUNG"), -1);
	assert_int_equal(ob_oncotree_distance("LUAD", "LUNGX"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_table_parses),
		cmocka_unit_test(test_lung_branch_distances),
		cmocka_unit_test(test_names_and_parents),
		cmocka_unit_test(test_unknown_codes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
