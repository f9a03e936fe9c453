/*
 * test_kb.c - the somatic knowledge base (src/interp/kb.h) and the CIViC
 * importer (src/interp/civic.h): the shipped curated base loads and covers
 * every biomarker of issue 5 and every level-A fact of the reference table;
 * bad curated rows are refused naming line and field; CIViC variant names
 * and diseases map as documented; an import lands in the base and a
 * malformed one writes nothing. Temporary files are removed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "base/error.h"
#include "interp/civic.h"
#include "interp/kb.h"
#include "interp/oncotree.h"
#include "store/store.h"
#include "support/testdb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define HEAD "##version=T1\ngene\talteration\ttumor_type\tdrugs\teffect\tamp_level\toncokb_level\tsources\n"

static void test_shipped_base_loads(void **state)
{
	ob_kb *kb = NULL;
	size_t n;

	(void)state;
	if (ob_kb_open(&kb, NULL) < 0)
		fail_msg("%s", ob_error_last());   /* names line and field */
	assert_non_null(ob_kb_all(kb, &n));
	assert_true(n > 100);
	assert_string_equal(ob_kb_version(kb), "curated 2026.11");
	ob_kb_free(kb);
}

/* A row of gene whose alteration, tumour type, effect and level are as
 * given and whose drugs contain drug (case-insensitively). */
static const ob_kb_row *find(const ob_kb *kb, const char *gene, const char *alt, const char *tumor,
                             const char *drug, int effect)
{
	size_t n;
	const ob_kb_row *r = ob_kb_gene(kb, gene, &n);

	for (size_t i = 0; i < n; i++)
		if (!strcmp(r[i].alteration, alt) && !strcmp(r[i].tumor_type, tumor)
		    && strcasestr(r[i].drugs, drug) && r[i].effect == effect)
			return &r[i];
	return NULL;
}

static void test_issue_biomarkers_are_covered(void **state)
{
	static const struct { const char *gene, *alt, *tumor, *drug; int effect; } want[] = {
		{ "EGFR", "p.L858R", "NSCLC", "Osimertinib", OB_KB_SENSITIVITY },
		{ "EGFR", "exon19 deletion", "NSCLC", "Osimertinib", OB_KB_SENSITIVITY },
		{ "EGFR", "p.T790M", "NSCLC", "Osimertinib", OB_KB_SENSITIVITY },
		{ "EGFR", "p.T790M", "NSCLC", "Erlotinib", OB_KB_RESISTANCE },
		{ "EGFR", "p.C797S", "NSCLC", "Osimertinib", OB_KB_RESISTANCE },
		{ "EGFR", "exon20 insertion", "NSCLC", "Amivantamab", OB_KB_SENSITIVITY },
		{ "EGFR", "p.G719", "NSCLC", "Afatinib", OB_KB_SENSITIVITY },
		{ "EGFR", "p.L861Q", "NSCLC", "Afatinib", OB_KB_SENSITIVITY },
		{ "EGFR", "p.S768I", "NSCLC", "Afatinib", OB_KB_SENSITIVITY },
		{ "KRAS", "p.G12C", "NSCLC", "Sotorasib", OB_KB_SENSITIVITY },
		{ "KRAS", "p.G13", "COADREAD", "Cetuximab", OB_KB_RESISTANCE },
		{ "KRAS", "p.Q61", "COADREAD", "Panitumumab", OB_KB_RESISTANCE },
		{ "NRAS", "p.Q61", "COADREAD", "Cetuximab", OB_KB_RESISTANCE },
		{ "BRAF", "p.V600E", "MEL", "Vemurafenib", OB_KB_SENSITIVITY },
		{ "BRAF", "p.V600K", "MEL", "Trametinib", OB_KB_SENSITIVITY },
		{ "BRAF", "p.V600E", "COADREAD", "Encorafenib", OB_KB_SENSITIVITY },
		{ "ERBB2", "amplification", "BREAST", "Trastuzumab", OB_KB_SENSITIVITY },
		{ "ERBB2", "exon20 insertion", "NSCLC", "Trastuzumab deruxtecan", OB_KB_SENSITIVITY },
		{ "MET", "exon14 skipping", "NSCLC", "Capmatinib", OB_KB_SENSITIVITY },
		{ "MET", "amplification", "NSCLC", "Gefitinib", OB_KB_RESISTANCE },
		{ "ALK", "fusion", "NSCLC", "Alectinib", OB_KB_SENSITIVITY },
		{ "ROS1", "fusion", "NSCLC", "Crizotinib", OB_KB_SENSITIVITY },
		{ "RET", "fusion", "NSCLC", "Selpercatinib", OB_KB_SENSITIVITY },
		{ "NTRK1", "fusion", "", "Larotrectinib", OB_KB_SENSITIVITY },
		{ "NTRK2", "fusion", "", "Larotrectinib", OB_KB_SENSITIVITY },
		{ "NTRK3", "fusion", "", "Entrectinib", OB_KB_SENSITIVITY },
		{ "PIK3CA", "p.H1047R", "BREAST", "Alpelisib", OB_KB_SENSITIVITY },
		{ "PIK3CA", "p.E545K", "BREAST", "Alpelisib", OB_KB_SENSITIVITY },
		{ "BRCA1", "loss", "OVARY", "Olaparib", OB_KB_SENSITIVITY },
		{ "BRCA2", "loss", "PRAD", "Olaparib", OB_KB_SENSITIVITY },
		{ "IDH1", "p.R132", "CHOL", "Ivosidenib", OB_KB_SENSITIVITY },
		{ "IDH2", "p.R140", "AML", "Enasidenib", OB_KB_SENSITIVITY },
		{ "FGFR2", "fusion", "CHOL", "Pemigatinib", OB_KB_SENSITIVITY },
		{ "FGFR3", "oncogenic", "BLCA", "Erdafitinib", OB_KB_SENSITIVITY },
		{ "KIT", "exon11 mutation", "GIST", "Imatinib", OB_KB_SENSITIVITY },
		{ "PDGFRA", "p.D842V", "GIST", "Avapritinib", OB_KB_SENSITIVITY },
		{ "PDGFRA", "p.D842V", "GIST", "Imatinib", OB_KB_RESISTANCE },
		{ "ESR1", "oncogenic", "BREAST", "Aromatase inhibitor", OB_KB_RESISTANCE },
		{ "ESR1", "p.D538G", "BREAST", "Elacestrant", OB_KB_SENSITIVITY },
		{ "", "msi-high", "", "Pembrolizumab", OB_KB_SENSITIVITY },
		{ "", "tmb-high", "", "Pembrolizumab", OB_KB_SENSITIVITY },
	};
	ob_kb *kb = NULL;

	(void)state;
	assert_int_equal(ob_kb_open(&kb, NULL), 0);
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		const ob_kb_row *r = find(kb, want[i].gene, want[i].alt, want[i].tumor, want[i].drug,
		                          want[i].effect);

		if (!r)
			fail_msg("no row %s %s %s %s", want[i].gene, want[i].alt, want[i].tumor, want[i].drug);
		assert_true(strlen(r->sources) > 10);
		assert_string_equal(r->release, "curated 2026.11");
	}
	ob_kb_free(kb);
}

/* Each level-A fact of the shared reference table is in the curated base
 * with level I-A (gene, drug, tumour type, effect). */
static void test_reference_level_a_rows_are_in_base(void **state)
{
	const char *dir = getenv("OB_SHARED");
	char path[512], line[4096];
	ob_kb *kb = NULL;
	FILE *f;
	int checked = 0;

	(void)state;
	snprintf(path, sizeof path, "%s/data/genomics/somatic/reference/canonical_biomarkers.tsv",
		dir ? dir : "../shared");
	if (!(f = fopen(path, "r")))
		skip();
	assert_int_equal(ob_kb_open(&kb, NULL), 0);
	while (fgets(line, sizeof line, f)) {
		char *fld[9], *p = line;
		int nf = 0;
		size_t n;
		const ob_kb_row *r;
		bool found = false;

		for (; nf < 9 && p; nf++) {
			fld[nf] = p;
			if ((p = strchr(p, '\t')))
				*p++ = '\0';
		}
		if (nf < 7 || strcmp(fld[5], "A"))
			continue;
		r = ob_kb_gene(kb, fld[0], &n);
		for (size_t i = 0; i < n && !found; i++)
			found = strcasestr(r[i].drugs, fld[3]) && !strcmp(r[i].amp_level, "I-A")
				&& (strcmp(fld[2], "TISSUE") ? !strcmp(r[i].tumor_type, fld[2])
					: !*r[i].tumor_type || *r[i].tumor_type == '!')
				&& !strcmp(ob_kb_effect_name(r[i].effect), fld[4]);
		if (!found)
			fail_msg("reference row %s %s %s %s not in the curated base", fld[0], fld[1], fld[2],
				fld[3]);
		checked++;
	}
	fclose(f);
	ob_kb_free(kb);
	assert_true(checked >= 60);
}

static void expect_bad(const char *text, const char *msg)
{
	ob_kb *kb = (ob_kb *)1;

	assert_int_equal(ob_kb_open_text(&kb, text, "x.tsv", NULL), OB_EINVALID);
	assert_null(kb);
	if (!strstr(ob_error_last(), msg))
		fail_msg("expected '%s' in '%s'", msg, ob_error_last());
}

static void test_bad_curated_rows_are_refused(void **state)
{
	(void)state;
	expect_bad("gene\talteration\n", "x.tsv:1: version:");
	expect_bad(HEAD "BRAF\tV600E\tMEL\tVemurafenib\tsensitivity\tI-A\t1\tsrc\n",
		"x.tsv:3: alteration:");
	expect_bad(HEAD "BRAF\tp.V600E\tMELX\tVemurafenib\tsensitivity\tI-A\t1\tsrc\n",
		"x.tsv:3: tumor_type:");
	expect_bad(HEAD "# a comment\nBRAF\tp.V600E\tMEL\tVemurafenib\tresponse\tI-A\t1\tsrc\n",
		"x.tsv:4: effect:");
	expect_bad(HEAD "BRAF\tp.V600E\tMEL\tVemurafenib\tsensitivity\tA\t1\tsrc\n",
		"x.tsv:3: amp_level:");
	expect_bad(HEAD "BRAF\tp.V600E\tMEL\tVemurafenib\tsensitivity\tI-A\t2B\tsrc\n",
		"x.tsv:3: oncokb_level:");
	expect_bad(HEAD "BRAF\tp.V600E\tMEL\tVemurafenib\tsensitivity\tI-A\tR1\tsrc\n",
		"x.tsv:3: oncokb_level:");
	expect_bad(HEAD "BRAF\tp.V600E\tMEL\tVemurafenib\tsensitivity\tI-A\t1\t\n",
		"x.tsv:3: sources:");
	expect_bad(HEAD "BRAF\tp.V600E\tMEL\t\tsensitivity\tI-A\t1\tsrc\n", "x.tsv:3: drugs:");
	expect_bad(HEAD "BRAF\tp.V600E\tMEL\tVemurafenib\tsensitivity\tI-A\t1\n",
		"x.tsv:3: line: fewer than 8 fields");
	expect_bad(HEAD "BRAF\tmsi-high\t\tPembrolizumab\tsensitivity\tI-A\t1\tsrc\n",
		"x.tsv:3: alteration:");
	expect_bad(HEAD "\tp.V600E\t\tX\tsensitivity\tI-A\t1\tsrc\n", "x.tsv:3: alteration:");
	expect_bad("##version=T1\ngene\talteration\ttumour\tdrugs\teffect\tamp_level\toncokb_level\tsources\n",
		"x.tsv:2: tumor_type: header expected");
}

static void test_gene_lookup_is_sorted_and_exact(void **state)
{
	ob_kb *kb = NULL;
	const ob_kb_row *r;
	size_t n;

	(void)state;
	assert_int_equal(ob_kb_open_text(&kb, HEAD
		"BRAF\tp.V600E\tMEL\tB\tsensitivity\tI-A\t\ts\n"
		"ALK\tfusion\tNSCLC\tA\tsensitivity\tI-A\t1\ts\n"
		"BRAF\tp.V600E\t\tA\tsensitivity\tII-C\t\ts\n"
		"BRAF2\tp.V600E\tMEL\tB\tsensitivity\tI-A\t\ts\n"
		"\ttmb-high\t\tP\tsensitivity\tI-A\t\ts\n"
		"BRAF\tp.V600K\tMEL\tC\tresistance\tIV\tR2\ts\n", "t.tsv", NULL), 0);
	r = ob_kb_gene(kb, "BRAF", &n);
	assert_int_equal(n, 3);
	assert_string_equal(r[0].tumor_type, "");      /* (gene, alteration, tumour) order */
	assert_string_equal(r[1].tumor_type, "MEL");
	assert_string_equal(r[2].alteration, "p.V600K");
	assert_int_equal(r[2].effect, OB_KB_RESISTANCE);
	assert_string_equal(r[2].oncokb_level, "R2");
	assert_null(ob_kb_gene(kb, "BRA", &n));
	assert_int_equal(n, 0);
	assert_null(ob_kb_gene(kb, "braf", &n));
	r = ob_kb_gene(kb, "", &n);
	assert_int_equal(n, 1);
	assert_string_equal(r[0].alteration, "tmb-high");
	assert_string_equal(ob_kb_version(kb), "curated T1");
	ob_kb_free(kb);
}

static void test_alteration_grammar(void **state)
{
	static const char *const good[] = {
		"p.V600E", "p.V600", "p.R132*", "p.E746_A750del", "p.Y772_A775dup", "p.P780insGHV",
		"p.T417_D419delinsY", "exon19 deletion", "exon20 insertion", "exon14 skipping",
		"exon11 mutation", "mutation", "oncogenic", "loss", "fusion", "fusion EML4",
		"amplification", "deletion", NULL
	};
	static const char *const bad[] = {
		"V600E", "p.V600e", "p.600E", "p.V0E", "exon deletion", "exon19 skip", "fusion ",
		"p.E746_A750", "p.P780ins", "MUTATION", "", NULL
	};

	(void)state;
	for (const char *const *g = good; *g; g++)
		if (ob_kb_alteration_check("EGFR", *g) != 0)
			fail_msg("'%s' refused: %s", *g, ob_error_last());
	for (const char *const *b = bad; *b; b++)
		if (ob_kb_alteration_check("EGFR", *b) == 0)
			fail_msg("'%s' accepted", *b);
	assert_int_equal(ob_kb_alteration_check("", "msi-high"), 0);
	assert_int_equal(ob_kb_alteration_check("EGFR", "tmb-high"), OB_EINVALID);
	assert_int_equal(ob_kb_alteration_check("", "p.V600E"), OB_EINVALID);
}

static void test_civic_variant_names(void **state)
{
	static const struct { const char *gene, *name; int reason; const char *alt[3]; } cases[] = {
		{ "BRAF", "V600E", 0, { "p.V600E" } },
		{ "BRAF", "V600", 0, { "p.V600" } },
		{ "KRAS", "G12", 0, { "p.G12" } },
		{ "EGFR", "G719X", 0, { "p.G719" } },
		{ "KRAS", "G12/G13", 0, { "p.G12", "p.G13" } },
		{ "ERBB2", "S310F/Y", 0, { "p.S310F", "p.S310Y" } },
		{ "EGFR", "EXON 19 DELETION", 0, { "exon19 deletion" } },
		{ "EGFR", "EXON 20 INSERTION", 0, { "exon20 insertion" } },
		{ "MET", "EXON 14 SKIPPING MUTATION", 0, { "exon14 skipping" } },
		{ "KRAS", "KRAS EXON 2 MUTATION", 0, { "exon2 mutation" } },
		{ "ERBB2", "AMPLIFICATION", 0, { "amplification" } },
		{ "ALK", "ALK FUSIONS", 0, { "fusion" } },
		{ "RET", "FUSION", 0, { "fusion" } },
		{ "ALK", "EML4-ALK", 0, { "fusion EML4" } },
		{ "NTRK3", "ETV6-NTRK3", 0, { "fusion ETV6" } },
		{ "BRAF", "KIAA1549-BRAF", 0, { "fusion KIAA1549" } },
		{ "FGFR2", "FGFR2-BICC1", 0, { "fusion BICC1" } },
		{ "BRAF", "MUTATION", 0, { "mutation" } },
		{ "BRCA1", "LOSS-OF-FUNCTION", 0, { "loss" } },
		{ "EGFR", "E746_A750del", 0, { "p.E746_A750del" } },
		{ "ERBB2", "Y772_A775DUP", 0, { "p.Y772_A775dup" } },
		{ "KIT", "W557_K558DELWK", 0, { "p.W557_K558del" } },
		{ "EGFR", "T790M AND L858R", OB_CIVIC_R_COMBINATION, { NULL } },
		{ "BRAF", "V600E AND AMPLIFICATION", OB_CIVIC_R_COMBINATION, { NULL } },
		{ "ALK", "EML4-ALK E6;A20", OB_CIVIC_R_FUSION_DETAIL, { NULL } },
		{ "ALK", "ALK FUSION G1202R", 0, { "p.G1202R" } },
		{ "ROS1", "CD74-ROS1 G2032R", 0, { "p.G2032R" } },
		{ "ALK", "EML4-ALK C1156Y-L1198F", OB_CIVIC_R_FUSION_DETAIL, { NULL } },
		{ "ALK", "EML4-ALK T1151INST", OB_CIVIC_R_FUSION_DETAIL, { NULL } },
		{ "EGFR", "OVEREXPRESSION", OB_CIVIC_R_EXPRESSION, { NULL } },
		{ "PTEN", "LOSS", OB_CIVIC_R_AMBIGUOUS, { NULL } },
		{ "EGFR", "VIII", OB_CIVIC_R_VARIANT, { NULL } },
		{ "ERBB2", "P780INS", OB_CIVIC_R_VARIANT, { NULL } },
		{ NULL, "BRAF V600E", 0, { "p.V600E" } },              /* v2 molecular profiles */
		{ NULL, "EML4::ALK Fusion", 0, { "fusion EML4" } },
		{ NULL, "EGFR L858R AND EGFR T790M", OB_CIVIC_R_COMBINATION, { NULL } },
	};
	ob_civic_alts a;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int rc = ob_civic_map_variant(cases[i].gene, cases[i].name, &a);

		if (rc != cases[i].reason)
			fail_msg("%s: reason %s, expected %s", cases[i].name, ob_civic_reason_name(rc),
				ob_civic_reason_name(cases[i].reason));
		for (int k = 0; k < 3 && cases[i].alt[k]; k++) {
			if (k >= a.n || strcmp(a.alt[k], cases[i].alt[k]))
				fail_msg("%s: alternative %d is '%s', expected '%s'", cases[i].name, k,
					k < a.n ? a.alt[k] : "(none)", cases[i].alt[k]);
		}
	}
	assert_int_equal(ob_civic_map_variant(NULL, "EML4::ALK Fusion", &a), 0);
	assert_string_equal(a.gene, "ALK");
}

static void test_civic_diseases(void **state)
{
	char codes[OB_CIVIC_MAX_CODES][16];
	int n;

	(void)state;
	if (ob_civic_check_disease_table() < 0)
		fail_msg("%s", ob_error_last());
	assert_int_equal(ob_civic_map_disease("Lung Non-small Cell Carcinoma", "3908", codes, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(codes[0], "NSCLC");
	assert_int_equal(ob_civic_map_disease("Colorectal Cancer", "9256", codes, &n), 0);
	assert_string_equal(codes[0], "COADREAD");
	assert_int_equal(ob_civic_map_disease("Cancer", "162", codes, &n), 0);
	assert_string_equal(codes[0], "");                 /* any tumour type */
	assert_int_equal(ob_civic_map_disease("Solid Tumor", "", codes, &n), 0);
	assert_string_equal(codes[0], "");
	assert_int_equal(ob_civic_map_disease("Sarcoma", "1115", codes, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(ob_civic_map_disease("Von Hippel-Lindau Disease", "14175", codes, &n),
		OB_CIVIC_R_DISEASE);
	assert_int_equal(ob_civic_map_disease("No Such Disease", "", codes, &n), OB_CIVIC_R_DISEASE);
	assert_string_equal(ob_civic_amp_level("A"), "I-A");
	assert_string_equal(ob_civic_amp_level("C"), "II-C");
	assert_string_equal(ob_civic_amp_level("E"), "II-D");
	assert_null(ob_civic_amp_level("F"));
}

#define CIVIC_HEAD "gene\tvariant\tdisease\tdoid\tdrugs\tdrug_interaction_type\tevidence_type" \
	"\tevidence_direction\tevidence_level\tclinical_significance\tcitation_id\tsource_type" \
	"\tcitation\tevidence_id\n"

static void write_file(char path[256], const char *text)
{
	const char *dir = getenv("TMPDIR");
	int fd;
	FILE *f;

	snprintf(path, 256, "%s/ob-test-civic-XXXXXX", dir && *dir ? dir : P_tmpdir);
	assert_true((fd = mkstemp(path)) >= 0);
	assert_non_null(f = fdopen(fd, "w"));
	fputs(text, f);
	fclose(f);
}

static void test_civic_import_lands_in_base(void **state)
{
	ob_testdb t;
	char path[256];
	ob_civic_opts o = { 0 };
	ob_civic_report rep;
	ob_kb *kb = NULL;
	const ob_kb_row *r;
	size_t n;

	(void)state;
	ob_testdb_open(&t);
	write_file(path, CIVIC_HEAD
		"BRAF\tV600E\tMelanoma\t1909\tDabrafenib,Trametinib\tCombination\tPredictive\tSupports"
		"\tA\tSensitivity/Response\t1\tPubMed\tA et al.\t10\n"
		"EGFR\tT790M\tLung Non-small Cell Carcinoma\t3908\tErlotinib,Gefitinib\tSubstitutes"
		"\tPredictive\tSupports\tB\tResistance\t2\tPubMed\tB et al.\t11\n"
		"EGFR\tOVEREXPRESSION\tLung Non-small Cell Carcinoma\t3908\tCetuximab\t\tPredictive"
		"\tSupports\tC\tSensitivity/Response\t3\tPubMed\tC\t12\n"
		"KRAS\tG12D\tColorectal Cancer\t9256\t\t\tPrognostic\tSupports\tB\tPoor Outcome\t4"
		"\tPubMed\tD\t13\n");
	o.path = path;
	o.version = "T-1";
	ob_civic_report_init(&rep);
	assert_int_equal(ob_civic_import(&t.cx, &o, &rep), 0);
	assert_int_equal(rep.read, 4);
	assert_int_equal(rep.skipped, 1);
	assert_int_equal(rep.mapped, 2);
	assert_int_equal(rep.unmapped, 1);
	assert_int_equal(rep.by_reason[OB_CIVIC_R_EXPRESSION], 1);
	assert_int_equal(rep.rows, 3);   /* the combination is one row, the substitutes two */
	assert_int_equal(rep.read, rep.skipped + rep.mapped + rep.unmapped);
	ob_civic_report_dispose(&rep);
	assert_int_equal(ob_testdb_count(&t, "SELECT COUNT(*) FROM kb_unmapped"), 1);

	assert_int_equal(ob_kb_open(&kb, t.st), 0);
	assert_non_null(strstr(ob_kb_version(kb), "; civic T-1"));
	r = ob_kb_gene(kb, "EGFR", &n);
	assert_non_null(r);
	{
		int civic = 0;

		for (size_t i = 0; i < n; i++)
			if (!strcmp(r[i].release, "civic T-1")) {
				civic++;
				assert_string_equal(r[i].alteration, "p.T790M");
				assert_string_equal(r[i].tumor_type, "NSCLC");
				assert_int_equal(r[i].effect, OB_KB_RESISTANCE);
				assert_string_equal(r[i].amp_level, "I-B");
				assert_non_null(strstr(r[i].sources, "PMID:2"));
				assert_non_null(strstr(r[i].sources, "EID11"));
			}
		assert_int_equal(civic, 2);
	}
	r = ob_kb_gene(kb, "BRAF", &n);
	{
		bool seen = false;

		for (size_t i = 0; i < n; i++)
			seen |= !strcmp(r[i].release, "civic T-1")
				&& !strcmp(r[i].drugs, "Dabrafenib + Trametinib") && !strcmp(r[i].tumor_type, "MEL");
		assert_true(seen);
	}
	ob_kb_free(kb);

	/* the same version again: refused, unless replaced */
	ob_civic_report_init(&rep);
	assert_int_equal(ob_civic_import(&t.cx, &o, &rep), OB_EEXISTS);
	ob_civic_report_dispose(&rep);
	o.replace = true;
	ob_civic_report_init(&rep);
	assert_int_equal(ob_civic_import(&t.cx, &o, &rep), 0);
	ob_civic_report_dispose(&rep);
	assert_int_equal(ob_testdb_count(&t, "SELECT COUNT(*) FROM kb_release"), 1);
	assert_int_equal(ob_testdb_count(&t, "SELECT COUNT(*) FROM kb_evidence"), 3);
	assert_int_equal(ob_testdb_count(&t,
		"SELECT COUNT(*) FROM audit_event WHERE entity = 'kb_release'"), 2);
	unlink(path);
	ob_testdb_close(&t);
}

static void test_civic_malformed_writes_nothing(void **state)
{
	static const struct { const char *text, *msg; } cases[] = {
		{ CIVIC_HEAD "BRAF\tV600E\tMelanoma\t1909\tVemurafenib\t\tPredictive\tSupports\tA"
		  "\tSensitivity/Response\t1\tPubMed\tA\t10\n"
		  "BRAF\tV600E\tMelanoma\t1909\tVemurafenib\t\tPredictive\tSupports\tZ"
		  "\tSensitivity/Response\t1\tPubMed\tA\t11\n", ":3: evidence_level:" },
		{ CIVIC_HEAD "BRAF\tV600E\tMelanoma\t1909\tVemurafenib\n", ":2: line: 5 fields" },
		{ CIVIC_HEAD "BRAF\tV600E\tMelanoma\t1909\tVemurafenib\t\tPredictive\tSupports\tA"
		  "\tSensitivity/Response\t1\tPubMed\tA\tx\n", ":2: evidence_id:" },
		{ "gene\tdisease\n", ":1: variant: column missing" },
		{ "", ":1: header: the file is empty" },
	};
	ob_testdb t;

	(void)state;
	ob_testdb_open(&t);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char path[256];
		ob_civic_opts o = { 0 };
		ob_civic_report rep;

		write_file(path, cases[i].text);
		o.path = path;
		o.version = "bad";
		ob_civic_report_init(&rep);
		assert_int_equal(ob_civic_import(&t.cx, &o, &rep), OB_EINVALID);
		ob_civic_report_dispose(&rep);
		if (!strstr(ob_error_last(), cases[i].msg) || strncmp(ob_error_last(), path, strlen(path)))
			fail_msg("expected %s%s, got %s", path, cases[i].msg, ob_error_last());
		unlink(path);
	}
	assert_int_equal(ob_testdb_count(&t, "SELECT COUNT(*) FROM kb_release"), 0);
	assert_int_equal(ob_testdb_count(&t, "SELECT COUNT(*) FROM kb_evidence"), 0);
	assert_int_equal(ob_testdb_count(&t, "SELECT COUNT(*) FROM kb_unmapped"), 0);
	ob_testdb_close(&t);
}

/* The v2 names (molecular_profile, therapies, significance) are read too,
 * and a researcher may not import. */
static void test_civic_v2_columns_and_permission(void **state)
{
	ob_testdb t;
	char path[256];
	ob_civic_opts o = { 0 };
	ob_civic_report rep;

	(void)state;
	ob_testdb_open(&t);
	write_file(path, "molecular_profile\tdisease\tdoid\ttherapies\ttherapy_interaction_type"
		"\tevidence_type\tevidence_direction\tevidence_level\tsignificance\tcitation_id"
		"\tsource_type\tcitation\tevidence_id\tis_flagged\n"
		"EML4::ALK Fusion\tLung Adenocarcinoma\t3910\tAlectinib\t\tPredictive\tSupports\tA"
		"\tSensitivity/Response\t7\tPubMed\tP\t20\tfalse\n"
		"EGFR L858R AND EGFR T790M\tLung Adenocarcinoma\t3910\tOsimertinib\t\tPredictive"
		"\tSupports\tB\tSensitivity/Response\t8\tPubMed\tQ\t21\tfalse\n");
	o.path = path;
	o.version = "v2-test";
	t.cx.role = OB_ROLE_RESEARCHER;
	ob_civic_report_init(&rep);
	assert_int_equal(ob_civic_import(&t.cx, &o, &rep), OB_EPERM);
	ob_civic_report_dispose(&rep);
	assert_int_equal(ob_testdb_count(&t, "SELECT COUNT(*) FROM kb_release"), 0);
	t.cx.role = 0;
	ob_civic_report_init(&rep);
	assert_int_equal(ob_civic_import(&t.cx, &o, &rep), 0);
	assert_int_equal(rep.mapped, 1);
	assert_int_equal(rep.by_reason[OB_CIVIC_R_COMBINATION], 1);
	ob_civic_report_dispose(&rep);
	assert_int_equal(ob_testdb_count(&t, "SELECT COUNT(*) FROM kb_evidence WHERE gene = 'ALK'"
		" AND alteration = 'fusion EML4' AND tumor_type = 'LUAD' AND amp_level = 'I-A'"), 1);
	unlink(path);
	ob_testdb_close(&t);
}

static void test_civic_version_from_file_name(void **state)
{
	char v[32];

	(void)state;
	assert_int_equal(ob_civic_version_from_name("a/b/01-Aug-2021-ClinicalEvidenceSummaries.tsv.gz",
		v, sizeof v), 0);
	assert_string_equal(v, "01-Aug-2021");
	assert_int_equal(ob_civic_version_from_name("evidence.tsv", v, sizeof v), OB_ENOTFOUND);
	assert_int_equal(ob_civic_version_from_name("01-Xyz-2021-x.tsv", v, sizeof v), OB_ENOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_base_loads),
		cmocka_unit_test(test_issue_biomarkers_are_covered),
		cmocka_unit_test(test_reference_level_a_rows_are_in_base),
		cmocka_unit_test(test_bad_curated_rows_are_refused),
		cmocka_unit_test(test_gene_lookup_is_sorted_and_exact),
		cmocka_unit_test(test_alteration_grammar),
		cmocka_unit_test(test_civic_variant_names),
		cmocka_unit_test(test_civic_diseases),
		cmocka_unit_test(test_civic_import_lands_in_base),
		cmocka_unit_test(test_civic_malformed_writes_nothing),
		cmocka_unit_test(test_civic_v2_columns_and_permission),
		cmocka_unit_test(test_civic_version_from_file_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
