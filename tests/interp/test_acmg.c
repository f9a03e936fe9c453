/*
 * test_acmg.c - the ACMG/AMP 2015 classifier (src/interp/acmg.h): Table 5
 * rule by rule, every row of the shared 3,240-row truth table
 * ($OB_SHARED/data/genomics/germline/acmg2015_truth_table.tsv), strength
 * labels, and the criteria decided from data (PVS1 edge cases: last exon,
 * start loss, canonical splice; frequency; REVEL; BP7; PM4).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "base/error.h"
#include "interp/acmg.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ob_acmg_class classify(int pvs, int ps, int pm, int pp, int ba, int bs, int bp)
{
	ob_acmg_counts c = { pvs, ps, pm, pp, ba, bs, bp };
	ob_acmg_result r;
	ob_acmg_combine(&c, &r);
	return r.cls;
}

static void test_pathogenic_rules_one_by_one(void **state)
{
	(void)state;
	assert_int_equal(classify(1, 1, 0, 0, 0, 0, 0), OB_ACMG_PATHOGENIC); /* P.i.a */
	assert_int_equal(classify(1, 0, 2, 0, 0, 0, 0), OB_ACMG_PATHOGENIC); /* P.i.b */
	assert_int_equal(classify(1, 0, 1, 1, 0, 0, 0), OB_ACMG_PATHOGENIC); /* P.i.c */
	assert_int_equal(classify(1, 0, 0, 2, 0, 0, 0), OB_ACMG_PATHOGENIC); /* P.i.d */
	assert_int_equal(classify(0, 2, 0, 0, 0, 0, 0), OB_ACMG_PATHOGENIC); /* P.ii */
	assert_int_equal(classify(0, 1, 3, 0, 0, 0, 0), OB_ACMG_PATHOGENIC); /* P.iii.a */
	assert_int_equal(classify(0, 1, 2, 2, 0, 0, 0), OB_ACMG_PATHOGENIC); /* P.iii.b */
	assert_int_equal(classify(0, 1, 1, 4, 0, 0, 0), OB_ACMG_PATHOGENIC); /* P.iii.c */
	assert_int_equal(classify(0, 1, 1, 3, 0, 0, 0), OB_ACMG_LIKELY_PATHOGENIC);
}

static void test_likely_pathogenic_rules_one_by_one(void **state)
{
	(void)state;
	assert_int_equal(classify(1, 0, 1, 0, 0, 0, 0), OB_ACMG_LIKELY_PATHOGENIC); /* LP.i */
	assert_int_equal(classify(0, 1, 1, 0, 0, 0, 0), OB_ACMG_LIKELY_PATHOGENIC); /* LP.ii */
	assert_int_equal(classify(0, 1, 2, 0, 0, 0, 0), OB_ACMG_LIKELY_PATHOGENIC); /* LP.ii */
	assert_int_equal(classify(0, 1, 0, 2, 0, 0, 0), OB_ACMG_LIKELY_PATHOGENIC); /* LP.iii */
	assert_int_equal(classify(0, 0, 3, 0, 0, 0, 0), OB_ACMG_LIKELY_PATHOGENIC); /* LP.iv */
	assert_int_equal(classify(0, 0, 2, 2, 0, 0, 0), OB_ACMG_LIKELY_PATHOGENIC); /* LP.v */
	assert_int_equal(classify(0, 0, 1, 4, 0, 0, 0), OB_ACMG_LIKELY_PATHOGENIC); /* LP.vi */
	/* strict 2015: these are not enough */
	assert_int_equal(classify(1, 0, 0, 1, 0, 0, 0), OB_ACMG_VUS);
	assert_int_equal(classify(1, 0, 0, 0, 0, 0, 0), OB_ACMG_VUS);
	assert_int_equal(classify(0, 1, 0, 0, 0, 0, 0), OB_ACMG_VUS);
	assert_int_equal(classify(0, 1, 0, 1, 0, 0, 0), OB_ACMG_VUS);
	assert_int_equal(classify(0, 0, 2, 1, 0, 0, 0), OB_ACMG_VUS);
	assert_int_equal(classify(0, 0, 1, 3, 0, 0, 0), OB_ACMG_VUS);
}

static void test_benign_rules_and_conflict(void **state)
{
	ob_acmg_counts c = { 1, 1, 0, 0, 1, 0, 0 };
	ob_acmg_result r;

	(void)state;
	assert_int_equal(classify(0, 0, 0, 0, 1, 0, 0), OB_ACMG_BENIGN);        /* B.i */
	assert_int_equal(classify(0, 0, 0, 0, 0, 2, 0), OB_ACMG_BENIGN);        /* B.ii */
	assert_int_equal(classify(0, 0, 0, 0, 0, 1, 1), OB_ACMG_LIKELY_BENIGN); /* LB.i */
	assert_int_equal(classify(0, 0, 0, 0, 0, 0, 2), OB_ACMG_LIKELY_BENIGN); /* LB.ii */
	assert_int_equal(classify(0, 0, 0, 0, 0, 1, 0), OB_ACMG_VUS);
	assert_int_equal(classify(0, 0, 0, 0, 0, 0, 1), OB_ACMG_VUS);
	ob_acmg_combine(&c, &r);
	assert_int_equal(r.cls, OB_ACMG_VUS);
	assert_true(r.conflict);
	assert_int_equal(r.path_side, OB_ACMG_PATHOGENIC);
	assert_int_equal(r.benign_side, OB_ACMG_BENIGN);
	assert_string_equal(r.path_rules, "P.i.a");
	assert_string_equal(r.benign_rules, "B.i");
}

static const char *cls_text(ob_acmg_class c)
{
	return c == OB_ACMG_VUS ? "." : ob_acmg_class_name(c);
}

static void test_every_row_of_the_truth_table(void **state)
{
	const char *root = getenv("OB_SHARED");
	char path[512], line[512];
	int rows = 0, agree = 0;

	(void)state;
	snprintf(path, sizeof path, "%s/data/genomics/germline/acmg2015_truth_table.tsv",
		root && *root ? root : "../shared");
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "# %s missing\n", path);
		fail();
	}
	assert_non_null(fgets(line, sizeof line, f)); /* header */
	while (fgets(line, sizeof line, f)) {
		ob_acmg_counts c;
		ob_acmg_result r;
		char pside[40], prules[64], bside[40], brules[64], cls[40];
		line[strcspn(line, "\n")] = '\0';
		/* class words contain spaces: split on tabs */
		char *fld[12];
		int nf = 0;
		for (char *p = line; nf < 12;) {
			fld[nf++] = p;
			char *t = strchr(p, '\t');
			if (!t)
				break;
			*t = '\0';
			p = t + 1;
		}
		assert_int_equal(nf, 12);
		c.pvs = (int)strtol(fld[0], NULL, 10); c.ps = (int)strtol(fld[1], NULL, 10); c.pm = (int)strtol(fld[2], NULL, 10); c.pp = (int)strtol(fld[3], NULL, 10);
		c.ba = (int)strtol(fld[4], NULL, 10); c.bs = (int)strtol(fld[5], NULL, 10); c.bp = (int)strtol(fld[6], NULL, 10);
		snprintf(pside, sizeof pside, "%s", fld[7]);
		snprintf(prules, sizeof prules, "%s", fld[8]);
		snprintf(bside, sizeof bside, "%s", fld[9]);
		snprintf(brules, sizeof brules, "%s", fld[10]);
		snprintf(cls, sizeof cls, "%s", fld[11]);
		ob_acmg_combine(&c, &r);
		rows++;
		int ok = !strcmp(ob_acmg_class_name(r.cls), cls) &&
			!strcmp(cls_text(r.path_side), pside) && !strcmp(cls_text(r.benign_side), bside) &&
			!strcmp(r.path_rules[0] ? r.path_rules : ".", prules) &&
			!strcmp(r.benign_rules[0] ? r.benign_rules : ".", brules);
		if (ok)
			agree++;
		else
			fprintf(stderr, "# disagree: %s %s %s %s %s %s %s: want %s (%s|%s) got %s (%s|%s)\n",
				fld[0], fld[1], fld[2], fld[3], fld[4], fld[5], fld[6], cls, prules, brules,
				ob_acmg_class_name(r.cls), r.path_rules, r.benign_rules);
	}
	fclose(f);
	fprintf(stderr, "# ACMG truth table: %d of %d rows agree (class, both sides, rule ids)\n",
		agree, rows);
	assert_int_equal(rows, 3240);
	assert_int_equal(agree, rows);
}

static void test_labels_and_counting(void **state)
{
	char code[8], lab[24];
	int s;
	ob_acmg_crit cr[4] = {
		{ "PVS1", OB_ACMG_STRONG, "", "" },
		{ "PM2", OB_ACMG_SUPPORTING, "", "" },
		{ "BP4", OB_ACMG_MODERATE, "", "" },
		{ "PS3", OB_ACMG_OFF, "", "" },
	};
	ob_acmg_counts c;

	(void)state;
	assert_int_equal(ob_acmg_parse_label("PM2_Supporting", code, &s), 0);
	assert_string_equal(code, "PM2");
	assert_int_equal(s, OB_ACMG_SUPPORTING);
	assert_int_equal(ob_acmg_parse_label("pvs1_strong", code, &s), 0);
	assert_string_equal(code, "PVS1");
	assert_int_equal(s, OB_ACMG_STRONG);
	assert_int_equal(ob_acmg_parse_label("PS3", code, &s), 0);
	assert_int_equal(s, OB_ACMG_STRONG);
	assert_int_equal(ob_acmg_parse_label("BA1", code, &s), 0);
	assert_int_equal(s, OB_ACMG_STAND_ALONE);
	assert_int_equal(ob_acmg_parse_label("PM7", code, &s), OB_EINVALID);
	assert_int_equal(ob_acmg_parse_label("PM1_Huge", code, &s), OB_EINVALID);
	assert_int_equal(ob_acmg_parse_label("PS1_StandAlone", code, &s), OB_EINVALID);
	assert_int_equal(ob_acmg_parse_label("BA1_Strong", code, &s), OB_EINVALID);
	ob_acmg_label("PVS1", OB_ACMG_STRONG, lab, sizeof lab);
	assert_string_equal(lab, "PVS1_Strong");
	ob_acmg_label("PM2", OB_ACMG_MODERATE, lab, sizeof lab);
	assert_string_equal(lab, "PM2");
	ob_acmg_count(cr, 4, &c);
	assert_int_equal(c.pvs, 0);
	assert_int_equal(c.ps, 1);
	assert_int_equal(c.pp, 1);
	assert_int_equal(c.bp, 1); /* benign Moderate counts as Supporting */
	assert_int_equal(ob_acmg_points(cr, 4), 4 + 1 - 2);
}

/* facts of a loss-of-function gene variant; the caller edits */
static ob_acmg_facts facts(const char *cons)
{
	ob_acmg_facts f;
	memset(&f, 0, sizeof f);
	f.gene = "BRCA1";
	f.consequence = cons;
	f.hgvs_p = "";
	f.nmd_escape = -1;
	f.repeat = -1;
	f.af = NAN;
	f.revel = NAN;
	f.af_field = "gnomAD_AF";
	return f;
}

static const ob_acmg_gene brca1 = { "BRCA1", 1, "", 0.001, 0.0001, 0.0001, 0, 0, "ENIGMA VCEP" };
static const ob_acmg_gene ret = { "RET", 0, "gain of function (MEN2)", 0.05, 0.01, 0.0001, 0, 0,
                                  "default" };

/* the criterion code of crit[], or NULL */
static const ob_acmg_crit *find(const ob_acmg_crit *c, size_t n, const char *code)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(c[i].code, code))
			return &c[i];
	return NULL;
}

static void test_pvs1_edge_cases(void **state)
{
	ob_acmg_crit c[16];
	size_t n;
	ob_acmg_facts f;
	const ob_acmg_crit *p;

	(void)state;
	/* nonsense in a middle exon, gene model says NMD: PVS1 */
	f = facts("stop_gained");
	f.exon = 10; f.exon_count = 23; f.nmd_escape = 0;
	n = ob_acmg_evaluate(&f, &brca1, NULL, 0, c, 16);
	assert_non_null(p = find(c, n, "PVS1"));
	assert_int_equal(p->strength, OB_ACMG_VERY_STRONG);
	/* frameshift in the last exon removing 30%: PVS1_Strong */
	f = facts("frameshift_variant");
	f.exon = 23; f.exon_count = 23; f.protein_pos = 1300; f.protein_len = 1863;
	n = ob_acmg_evaluate(&f, &brca1, NULL, 0, c, 16);
	assert_non_null(p = find(c, n, "PVS1"));
	assert_int_equal(p->strength, OB_ACMG_STRONG);
	assert_non_null(strstr(p->reason, "escape NMD"));
	/* ... and removing 2%: PVS1_Moderate */
	f.protein_pos = 1830;
	n = ob_acmg_evaluate(&f, &brca1, NULL, 0, c, 16);
	assert_int_equal(find(c, n, "PVS1")->strength, OB_ACMG_MODERATE);
	/* last 50 nt of the penultimate exon (told by the model) */
	f = facts("stop_gained");
	f.exon = 22; f.exon_count = 23; f.nmd_escape = 1;
	n = ob_acmg_evaluate(&f, &brca1, NULL, 0, c, 16);
	assert_int_equal(find(c, n, "PVS1")->strength, OB_ACMG_MODERATE);
	/* start loss: Supporting, Moderate with a pathogenic neighbour at Met1 */
	f = facts("start_lost");
	f.protein_pos = 1;
	n = ob_acmg_evaluate(&f, &brca1, NULL, 0, c, 16);
	assert_int_equal(find(c, n, "PVS1")->strength, OB_ACMG_SUPPORTING);
	f.have_clinvar = 1; f.cv.start_path = 2;
	n = ob_acmg_evaluate(&f, &brca1, NULL, 0, c, 16);
	assert_int_equal(find(c, n, "PVS1")->strength, OB_ACMG_MODERATE);
	/* canonical splice: PVS1; in the last intron: PVS1_Strong */
	f = facts("splice_donor_variant&intron_variant");
	f.intron = 5; f.intron_count = 22;
	n = ob_acmg_evaluate(&f, &brca1, NULL, 0, c, 16);
	assert_int_equal(find(c, n, "PVS1")->strength, OB_ACMG_VERY_STRONG);
	f.intron = 22;
	n = ob_acmg_evaluate(&f, &brca1, NULL, 0, c, 16);
	assert_int_equal(find(c, n, "PVS1")->strength, OB_ACMG_STRONG);
	/* RET: gain of function, never PVS1 */
	f = facts("stop_gained");
	f.gene = "RET"; f.exon = 3; f.exon_count = 20; f.nmd_escape = 0;
	n = ob_acmg_evaluate(&f, &ret, NULL, 0, c, 16);
	assert_non_null(p = find(c, n, "PVS1"));
	assert_int_equal(p->strength, OB_ACMG_OFF);
	assert_non_null(strstr(p->reason, "gain of function"));
	/* a missense is no null variant */
	f = facts("missense_variant");
	n = ob_acmg_evaluate(&f, &brca1, NULL, 0, c, 16);
	assert_null(find(c, n, "PVS1"));
}

static void test_frequency_criteria(void **state)
{
	ob_acmg_crit c[16];
	size_t n;
	ob_acmg_facts f = facts("missense_variant");

	(void)state;
	n = ob_acmg_evaluate(&f, &brca1, NULL, 0, c, 16); /* no AF field in the input */
	assert_int_equal(find(c, n, "PM2")->strength, OB_ACMG_OFF);
	f.have_af = 1; /* declared, absent in the record */
	n = ob_acmg_evaluate(&f, &brca1, NULL, 0, c, 16);
	assert_int_equal(find(c, n, "PM2")->strength, OB_ACMG_SUPPORTING);
	f.af = 0.002; /* BRCA1 VCEP BA1 > 0.001 */
	n = ob_acmg_evaluate(&f, &brca1, NULL, 0, c, 16);
	assert_int_equal(find(c, n, "BA1")->strength, OB_ACMG_STAND_ALONE);
	f.af = 0.0005;
	n = ob_acmg_evaluate(&f, &brca1, NULL, 0, c, 16);
	assert_null(find(c, n, "BA1"));
	assert_int_equal(find(c, n, "BS1")->strength, OB_ACMG_STRONG);
	f.af = 0.0005; /* same AF, default thresholds: neither BA1 nor BS1 */
	n = ob_acmg_evaluate(&f, NULL, NULL, 0, c, 16);
	assert_null(find(c, n, "BS1"));
	assert_int_equal(find(c, n, "PM2")->strength, OB_ACMG_OFF);
}

static void test_insilico_synonymous_inframe_and_regions(void **state)
{
	ob_acmg_crit c[16];
	size_t n;
	ob_acmg_facts f = facts("missense_variant");
	ob_acmg_region reg[1] = { { "BRCA1", 1, 109, OB_ACMG_MODERATE, "the RING domain", "test" } };

	(void)state;
	f.revel = 0.95;
	f.protein_pos = 61;
	n = ob_acmg_evaluate(&f, &brca1, reg, 1, c, 16);
	assert_int_equal(find(c, n, "PP3")->strength, OB_ACMG_STRONG);
	assert_int_equal(find(c, n, "PM1")->strength, OB_ACMG_MODERATE);
	f.revel = 0.1;
	f.protein_pos = 200;
	n = ob_acmg_evaluate(&f, &brca1, reg, 1, c, 16);
	assert_int_equal(find(c, n, "BP4")->strength, OB_ACMG_MODERATE);
	assert_null(find(c, n, "PM1"));
	f = facts("synonymous_variant");
	n = ob_acmg_evaluate(&f, &brca1, NULL, 0, c, 16);
	assert_int_equal(find(c, n, "BP7")->strength, OB_ACMG_SUPPORTING);
	f = facts("splice_region_variant&synonymous_variant");
	n = ob_acmg_evaluate(&f, &brca1, NULL, 0, c, 16);
	assert_int_equal(find(c, n, "BP7")->strength, OB_ACMG_OFF);
	f = facts("inframe_deletion");
	f.repeat = 1;
	n = ob_acmg_evaluate(&f, &brca1, NULL, 0, c, 16);
	assert_non_null(find(c, n, "BP3"));
	assert_null(find(c, n, "PM4"));
	f.repeat = 0;
	n = ob_acmg_evaluate(&f, &brca1, NULL, 0, c, 16);
	assert_int_equal(find(c, n, "PM4")->strength, OB_ACMG_MODERATE);
}

static void test_clinvar_neighbours_and_reviewer(void **state)
{
	ob_acmg_crit c[16];
	size_t n;
	ob_acmg_counts k;
	ob_acmg_result r;
	ob_acmg_facts f = facts("missense_variant");

	(void)state;
	f.protein_pos = 175;
	f.have_clinvar = 1;
	f.cv.same_aa_path = 1;
	f.cv.residue_path = 3;
	n = ob_acmg_evaluate(&f, &brca1, NULL, 0, c, 16);
	assert_int_equal(find(c, n, "PS1")->strength, OB_ACMG_STRONG);
	assert_int_equal(find(c, n, "PM5")->strength, OB_ACMG_MODERATE);
	ob_acmg_count(c, n, &k);
	ob_acmg_combine(&k, &r);
	assert_int_equal(r.cls, OB_ACMG_LIKELY_PATHOGENIC); /* PS1 + PM5 */
	/* the reviewer adds PS3 and the class becomes Pathogenic */
	assert_int_equal(ob_acmg_set(c, &n, 16, "PS3", OB_ACMG_STRONG, "reviewer A", "assay"), 0);
	ob_acmg_count(c, n, &k);
	ob_acmg_combine(&k, &r);
	assert_int_equal(r.cls, OB_ACMG_PATHOGENIC);
	/* ... and removes PS1 again */
	assert_int_equal(ob_acmg_set(c, &n, 16, "PS1", OB_ACMG_OFF, "reviewer A", "no"), 0);
	ob_acmg_count(c, n, &k);
	ob_acmg_combine(&k, &r);
	assert_int_equal(r.cls, OB_ACMG_LIKELY_PATHOGENIC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pathogenic_rules_one_by_one),
		cmocka_unit_test(test_likely_pathogenic_rules_one_by_one),
		cmocka_unit_test(test_benign_rules_and_conflict),
		cmocka_unit_test(test_every_row_of_the_truth_table),
		cmocka_unit_test(test_labels_and_counting),
		cmocka_unit_test(test_pvs1_edge_cases),
		cmocka_unit_test(test_frequency_criteria),
		cmocka_unit_test(test_insilico_synonymous_inframe_and_regions),
		cmocka_unit_test(test_clinvar_neighbours_and_reviewer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
