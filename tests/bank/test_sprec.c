/*
 * test_sprec.c - unit tests of src/bank/sprec.h: checking and explaining
 * SPREC codes, the code tables against the shared reference CSV files, and
 * computing codes from measurements, boundaries included (docs/sprec.md).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bank/sprec.h"
#include "base/buf.h"
#include "base/error.h"

#define FLUID "SER-SST-A-B-N-A-D"
#define SOLID "TIS-SRG-A-B-NBF-E-P"

static void assert_error_has(const char *text)
{
	if (!strstr(ob_error_last(), text))
		fail_msg("error '%s' lacks '%s'", ob_error_last(), text);
}

/* ---- check ------------------------------------------------------------- */

static void check_accepts_valid_fluid_code(void **state)
{
	ob_sprec_parsed ps;

	(void)state;
	assert_int_equal(ob_sprec_parse(FLUID, "4.0", &ps), 0);
	assert_int_equal(ps.kind, OB_SPREC_FLUID);
	assert_int_equal(ob_sprec_check(FLUID, "3.0"), 0);
}

static void check_accepts_valid_solid_code(void **state)
{
	ob_sprec_parsed ps;

	(void)state;
	assert_int_equal(ob_sprec_parse(SOLID, "4.0", &ps), 0);
	assert_int_equal(ps.kind, OB_SPREC_SOLID);
	assert_int_equal(ob_sprec_check(SOLID, "3.0"), 0);
}

static void check_null_version_means_4_0(void **state)
{
	ob_sprec_parsed ps;

	(void)state;
	assert_int_equal(ob_sprec_parse("EXO-SST-A-B-N-A-D", NULL, &ps), 0);
	assert_int_equal(ps.version, OB_SPREC_V4);
}

static void check_rejects_unknown_version(void **state)
{
	(void)state;
	assert_int_equal(ob_sprec_check(FLUID, "2.0"), OB_EINVALID);
	assert_error_has("version '2.0'");
}

static void check_trims_surrounding_white_space(void **state)
{
	(void)state;
	assert_int_equal(ob_sprec_check("  " FLUID "\n", NULL), 0);
}

static void check_rejects_inner_white_space(void **state)
{
	(void)state;
	assert_int_equal(ob_sprec_check("SER - SST-A-B-N-A-D", NULL), OB_EINVALID);
	assert_error_has("element 1 (type of sample)");
}

static void check_rejects_lower_case_and_says_why(void **state)
{
	(void)state;
	assert_int_equal(ob_sprec_check("ser-sst-a-b-n-a-d", NULL), OB_EINVALID);
	assert_error_has("element 1");
	assert_error_has("upper case");
}

static void check_rejects_too_few_elements(void **state)
{
	(void)state;
	assert_int_equal(ob_sprec_check("SER-SST-A-B-N-A", NULL), OB_EINVALID);
	assert_error_has("has 6 elements");
	assert_error_has("SPREC has 7");
}

static void check_rejects_too_many_elements(void **state)
{
	(void)state;
	assert_int_equal(ob_sprec_check(FLUID "-A", NULL), OB_EINVALID);
	assert_error_has("has 8 elements");
}

static void check_rejects_empty_code(void **state)
{
	(void)state;
	assert_int_equal(ob_sprec_check("   ", NULL), OB_EINVALID);
	assert_error_has("empty");
	assert_int_equal(ob_sprec_check(NULL, NULL), OB_EINVALID);
}

static void check_rejects_empty_element(void **state)
{
	(void)state;
	assert_int_equal(ob_sprec_check("SER-SST--B-N-A-D", NULL), OB_EINVALID);
	assert_error_has("element 3 (pre-centrifugation): empty");
}

static void check_message_matches_documented_form(void **state)
{
	(void)state;
	assert_int_equal(ob_sprec_check("TIS-SRG-A-Q-NBF-E-P", "4.0"), OB_EINVALID);
	assert_string_equal(ob_error_last(),
			    "SPREC element 4 (cold ischemia time): 'Q' is not a code in SPREC 4.0");
}

/* One invalid element: a valid code with element k replaced by bad. */
struct bad_element {
	const char *base;
	int k;
	const char *bad;
	const char *name;
};

static void substitute(char *out, size_t outlen, const char *base, int k, const char *code)
{
	const char *p = base;
	int i;

	out[0] = '\0';
	for (i = 1; i <= OB_SPREC_NELEM; i++) {
		const char *dash = strchr(p, '-');
		size_t n = dash ? (size_t)(dash - p) : strlen(p), len = strlen(out);

		if (i == k)
			snprintf(out + len, outlen - len, "%s%s", i > 1 ? "-" : "", code);
		else
			snprintf(out + len, outlen - len, "%s%.*s", i > 1 ? "-" : "", (int)n, p);
		p = dash ? dash + 1 : p + n;
	}
}

static void check_names_the_invalid_element(void **state)
{
	const struct bad_element *c = *state;
	char code[64], want[128];

	substitute(code, sizeof code, c->base, c->k, c->bad);
	assert_int_equal(ob_sprec_check(code, "4.0"), OB_EINVALID);
	snprintf(want, sizeof want, "SPREC element %d (%s): '%s' is not a code in SPREC 4.0", c->k,
		 c->name, c->bad);
	assert_string_equal(ob_error_last(), want);
}

static struct bad_element bad_fluid[] = {
	{ FLUID, 1, "QQQ", "type of sample" },
	{ FLUID, 2, "QQQ", "type of primary container" },
	{ FLUID, 3, "Q", "pre-centrifugation" },
	{ FLUID, 4, "Q", "centrifugation" },
	{ FLUID, 5, "M", "second centrifugation" }, /* M exists for the first spin only */
	{ FLUID, 6, "K", "post-centrifugation delay" },
	{ FLUID, 7, "QQ", "long-term storage" },
};

static struct bad_element bad_solid[] = {
	{ SOLID, 1, "QQQ", "type of sample" },
	{ SOLID, 2, "SST", "type of collection" },
	{ SOLID, 3, "G", "warm ischemia time" },
	{ SOLID, 4, "Q", "cold ischemia time" },
	{ SOLID, 5, "QQQ", "fixation/stabilisation type" },
	{ SOLID, 6, "H", "fixation time" },
	{ SOLID, 7, "AA", "long-term storage" },
};

static void check_rejects_4_0_code_under_3_0(void **state)
{
	(void)state;
	assert_int_equal(ob_sprec_check("EXO-SST-A-B-N-A-D", "3.0"), OB_EINVALID);
	assert_string_equal(ob_error_last(), "SPREC element 1 (type of sample): 'EXO' is not a "
					     "code in SPREC 3.0 (added in SPREC 4.0)");
	assert_int_equal(ob_sprec_check("SER-CIF-A-B-N-A-D", "3.0"), OB_EINVALID);
	assert_error_has("element 2 (type of primary container)");
	assert_int_equal(ob_sprec_check("SER-CIF-A-B-N-A-D", "4.0"), 0);
}

static void check_accepts_3_0_codes_under_3_0(void **state)
{
	(void)state;
	assert_int_equal(ob_sprec_check("BON-SRG-A-B-NBF-E-P", "3.0"), 0);
	assert_int_equal(ob_sprec_check("PL1-CPH-A-B-N-A-D", "3.0"), 0);
	assert_int_equal(ob_sprec_check("TIS-SRG-A-B-NBF-E-U", "3.0"), 0);
}

static void check_tells_fluid_from_solid_for_shared_type_codes(void **state)
{
	ob_sprec_parsed ps;

	(void)state;
	assert_int_equal(ob_sprec_parse("CEN-SST-A-B-N-A-D", NULL, &ps), 0);
	assert_int_equal(ps.kind, OB_SPREC_FLUID);
	assert_int_equal(ob_sprec_parse("CEN-BPS-A-B-SNP-N-C", NULL, &ps), 0);
	assert_int_equal(ps.kind, OB_SPREC_SOLID);
	assert_int_equal(ob_sprec_parse("ZZZ-ZZZ-A-B-N-A-D", NULL, &ps), 0);
	assert_int_equal(ps.kind, OB_SPREC_FLUID);
	assert_int_equal(ob_sprec_parse("ZZZ-ZZZ-A-B-ZZZ-A-D", NULL, &ps), 0);
	assert_int_equal(ps.kind, OB_SPREC_SOLID);
}

/* ---- explain and the parsed form ---------------------------------------- */

static void explain_spells_out_each_element(void **state)
{
	ob_buf b = OB_BUF_INIT;

	(void)state;
	assert_int_equal(ob_sprec_explain(SOLID, NULL, &b), 0);
	assert_string_equal(ob_buf_cstr(&b),
			    "type of sample: TIS = Solid tissue\n"
			    "type of collection: SRG = Surgical excision\n"
			    "warm ischemia time: A = < 2 min\n"
			    "cold ischemia time: B = 2 to 10 min\n"
			    "fixation/stabilisation type: NBF = Neutral buffered formalin\n"
			    "fixation time: E = 8 to 24 h\n"
			    "long-term storage: P = Paraffin block; RT or 2 to 10 \u00b0C\n");
	ob_buf_dispose(&b);
}

static void explain_rejects_invalid_code_and_appends_nothing(void **state)
{
	ob_buf b = OB_BUF_INIT;

	(void)state;
	assert_int_equal(ob_sprec_explain("SER-SST-A-B-N-A-9", NULL, &b), OB_EINVALID);
	assert_error_has("element 7 (long-term storage)");
	assert_int_equal(b.len, 0);
	ob_buf_dispose(&b);
}

static void parse_gives_name_code_meaning_per_element(void **state)
{
	ob_sprec_parsed ps;

	(void)state;
	assert_int_equal(ob_sprec_parse(FLUID, NULL, &ps), 0);
	assert_string_equal(ps.element[0].name, "type of sample");
	assert_string_equal(ps.element[0].code, "SER");
	assert_string_equal(ps.element[0].meaning, "Serum");
	assert_string_equal(ps.element[3].name, "centrifugation");
	assert_string_equal(ps.element[3].code, "B");
	assert_string_equal(ps.element[3].meaning, "RT 10 to 15 min; < 3000 g with braking");
	assert_string_equal(ps.element[6].code, "D");
}

static void tables_have_unique_codes_of_the_right_length(void **state)
{
	static const int len[2][OB_SPREC_NELEM] = { { 3, 3, 1, 1, 1, 1, 1 },
						    { 3, 3, 1, 1, 3, 1, 1 } };
	int kind, k;

	(void)state;
	for (kind = OB_SPREC_FLUID; kind <= OB_SPREC_SOLID; kind++) {
		for (k = 1; k <= OB_SPREC_NELEM; k++) {
			const ob_sprec_entry *rows;
			size_t n = ob_sprec_table(kind, k, &rows), i, j;

			assert_true(n > 0);
			assert_non_null(ob_sprec_element_name(kind, k));
			for (i = 0; i < n; i++) {
				assert_int_equal(strlen(rows[i].code), len[kind - 1][k - 1]);
				assert_true(rows[i].since == OB_SPREC_V2 ||
					    rows[i].since == OB_SPREC_V3 ||
					    rows[i].since == OB_SPREC_V4);
				for (j = i + 1; j < n; j++)
					assert_string_not_equal(rows[i].code, rows[j].code);
			}
		}
	}
	assert_int_equal(ob_sprec_table(OB_SPREC_FLUID, 8, &(const ob_sprec_entry *){ NULL }), 0);
	assert_null(ob_sprec_element_name(OB_SPREC_SOLID, 0));
}

static void find_respects_the_version(void **state)
{
	(void)state;
	assert_non_null(ob_sprec_find(OB_SPREC_FLUID, 1, "SWT", OB_SPREC_V4));
	assert_null(ob_sprec_find(OB_SPREC_FLUID, 1, "SWT", OB_SPREC_V3));
	assert_non_null(ob_sprec_find(OB_SPREC_SOLID, 1, "TTH", OB_SPREC_V3));
	assert_null(ob_sprec_find(OB_SPREC_SOLID, 1, "SER", OB_SPREC_V4));
}

/* ---- the shared reference tables --------------------------------------- */

/* Splits one CSV line into at most max fields (quotes and "" handled), in
 * place. Returns the number of fields. */
static int csv_split(char *line, char **field, int max)
{
	char *r = line, *w = line;
	int n = 0;

	line[strcspn(line, "\r\n")] = '\0';
	while (n < max) {
		int quoted = *r == '"';

		field[n++] = w;
		if (quoted)
			r++;
		for (;;) {
			if (quoted && r[0] == '"' && r[1] == '"') {
				*w++ = '"';
				r += 2;
			} else if (quoted && *r == '"') {
				quoted = 0;
				r++;
			} else if (*r == '\0' || (!quoted && *r == ',')) {
				break;
			} else {
				*w++ = *r++;
			}
		}
		if (*r == '\0') {
			*w = '\0';
			break;
		}
		*w++ = '\0';
		r++;
	}
	return n;
}

static const char *shared_dir(char *buf, size_t len)
{
	const char *root = getenv("OB_SHARED");
	struct stat st;

	snprintf(buf, len, "%s/data/biobank/sprec", root && *root ? root : "../shared");
	return stat(buf, &st) == 0 && S_ISDIR(st.st_mode) ? buf : NULL;
}

static FILE *open_shared(const char *name)
{
	char dir[1024], path[1200];
	FILE *f;

	if (!shared_dir(dir, sizeof dir))
		return NULL;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s", path);
	return f;
}

/* Element number of a table descriptor of the shared CSV files; 0 unknown. */
static int element_of(const char *d)
{
	static const struct {
		const char *prefix;
		int k;
	} map[] = {
		{ "Type of sample", 1 },     { "Type of primary container", 2 },
		{ "Type of collection", 2 }, { "Pre-centrifugation", 3 },
		{ "Warm ischemia", 3 },      { "Centrifugation", 4 },
		{ "Cold ischemia", 4 },      { "Second centrifugation", 5 },
		{ "Fixation/stabil", 5 },    { "Post-centrifugation", 6 },
		{ "Fixation time", 6 },      { "Long-term storage", 7 },
	};
	size_t i;

	for (i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strncmp(d, map[i].prefix, strlen(map[i].prefix)) == 0)
			return map[i].k;
	return 0;
}

/* Whether code is accepted as element k of a fluid or solid code. */
static int accepted(int k, const char *code, const char *version)
{
	char full[64];

	substitute(full, sizeof full, FLUID, k, code);
	if (ob_sprec_check(full, version) == 0)
		return 1;
	substitute(full, sizeof full, SOLID, k, code);
	return ob_sprec_check(full, version) == 0;
}

/* Every code of a SPREC 2.0 transcription file is accepted by 3.0 and 4.0
 * in the base code of its kind. */
static void check_reference_file(const char *name, const char *base)
{
	char line[1024], *f[8];
	FILE *in = open_shared(name);
	int rows = 0;

	if (!in)
		skip();
	assert_non_null(fgets(line, sizeof line, in)); /* header */
	while (fgets(line, sizeof line, in)) {
		char full[64];
		int k;

		if (csv_split(line, f, 8) != 3)
			fail_msg("%s: bad line: %s", name, line);
		k = element_of(f[0]);
		if (!k)
			fail_msg("%s: unknown descriptor '%s'", name, f[0]);
		substitute(full, sizeof full, base, k, f[2]);
		if (ob_sprec_check(full, "3.0") != 0 || ob_sprec_check(full, "4.0") != 0)
			fail_msg("%s: %s '%s' rejected: %s", name, f[0], f[2], ob_error_last());
		rows++;
	}
	fclose(in);
	assert_true(rows > 50);
}

static void shared_fluid_table_codes_are_all_accepted(void **state)
{
	(void)state;
	check_reference_file("sprec2_fluid_reference.csv", FLUID);
}

static void shared_solid_table_codes_are_all_accepted(void **state)
{
	(void)state;
	check_reference_file("sprec2_solid_reference.csv", SOLID);
}

/* Additions: accepted from their version on, and a 4.0 code not before. */
static void shared_v3_v4_additions_are_accepted_from_their_version(void **state)
{
	char line[1024], *f[8];
	FILE *in = open_shared("sprec_v3_v4_additions_DERIVED.csv");
	int rows = 0;

	(void)state;
	if (!in)
		skip();
	assert_non_null(fgets(line, sizeof line, in));
	while (fgets(line, sizeof line, in)) {
		int k, v4;

		if (csv_split(line, f, 8) != 5)
			fail_msg("additions: bad line: %s", line);
		k = element_of(f[0]);
		if (!k)
			fail_msg("additions: unknown element '%s'", f[0]);
		v4 = strncmp(f[3], "SPREC 4.0", 9) == 0;
		if (!v4 && strncmp(f[3], "SPREC 3.0", 9) != 0)
			fail_msg("additions: unknown version '%s'", f[3]);
		if (!accepted(k, f[1], "4.0"))
			fail_msg("additions: %s '%s' rejected under 4.0", f[0], f[1]);
		if (accepted(k, f[1], "3.0") == v4)
			fail_msg("additions: %s '%s' %s under 3.0", f[0], f[1],
				 v4 ? "accepted" : "rejected");
		rows++;
	}
	fclose(in);
	assert_true(rows > 10);
}

/* ---- compute ----------------------------------------------------------- */

/* A complete plasma record: PL1-PED-A-B-N-A-D. */
static void fluid_record(ob_preanalytics *p)
{
	ob_preanalytics_init(p);
	p->type = "plasma";
	p->collection = "PED";
	p->precentrifugation_min = 30;
	p->precentrifugation_temp = OB_TEMP_RT;
	p->centrifugation = (ob_centrifugation){ 1, 20, 10, 2000, 1 };
	p->second_centrifugation.done = 0;
	p->postcentrifugation_min = 30;
	p->postcentrifugation_temp = OB_TEMP_2_10;
	p->storage_vessel = "cryotube_1_2ml";
	p->storage_temp_c = -80;
}

/* A complete FFPE record: TIS-SRG-A-B-NBF-E-P. */
static void solid_record(ob_preanalytics *p)
{
	ob_preanalytics_init(p);
	p->type = "ffpe_block";
	p->collection = "SRG";
	p->warm_ischaemia_min = 1;
	p->cold_ischaemia_min = 5;
	p->fixation = "NBF";
	p->fixation_min = 12 * 60;
	p->storage_vessel = "paraffin_block";
	p->storage_temp_c = 20;
}

/* Computes p and returns element k (1..7) of the code, or fails. */
static const char *element(const ob_preanalytics *p, int k)
{
	static char code[OB_SPREC_BUFSIZE], el[8];
	const char *s = code;
	int i;

	if (ob_sprec_compute(p, code, sizeof code) != 0)
		fail_msg("compute failed: %s", ob_error_last());
	for (i = 1; i < k; i++)
		s = strchr(s, '-') + 1;
	snprintf(el, sizeof el, "%.*s", (int)strcspn(s, "-"), s);
	return el;
}

static void compute_fluid_record(void **state)
{
	ob_preanalytics p;
	char code[OB_SPREC_BUFSIZE];

	(void)state;
	fluid_record(&p);
	assert_int_equal(ob_sprec_compute(&p, code, sizeof code), 0);
	assert_string_equal(code, "PL1-PED-A-B-N-A-D");
}

static void compute_solid_record(void **state)
{
	ob_preanalytics p;
	char code[OB_SPREC_BUFSIZE];

	(void)state;
	solid_record(&p);
	assert_int_equal(ob_sprec_compute(&p, code, sizeof code), 0);
	assert_string_equal(code, "TIS-SRG-A-B-NBF-E-P");
}

static void compute_plasma_after_second_spin_is_pl2(void **state)
{
	ob_preanalytics p;

	(void)state;
	fluid_record(&p);
	p.second_centrifugation = (ob_centrifugation){ 1, 4, 10, 16000, 1 };
	assert_string_equal(element(&p, 1), "PL2");
	assert_string_equal(element(&p, 5), "J");
}

static void compute_all_unknown_gives_x(void **state)
{
	ob_preanalytics p;
	char code[OB_SPREC_BUFSIZE];

	(void)state;
	ob_preanalytics_init(&p);
	p.type = "serum";
	assert_int_equal(ob_sprec_compute(&p, code, sizeof code), 0);
	assert_string_equal(code, "SER-XXX-X-X-X-X-X");
	ob_preanalytics_init(&p);
	p.type = "ffpe_block";
	p.collection = "SRG";
	assert_int_equal(ob_sprec_compute(&p, code, sizeof code), 0);
	assert_string_equal(code, "TIS-SRG-X-X-XXX-X-X");
}

static void compute_treats_non_finite_values_as_unknown(void **state)
{
	ob_preanalytics p;

	(void)state;
	solid_record(&p);
	p.warm_ischaemia_min = INFINITY;
	p.cold_ischaemia_min = NAN;
	p.fixation_min = INFINITY;
	assert_string_equal(element(&p, 3), "X");
	assert_string_equal(element(&p, 4), "X");
	assert_string_equal(element(&p, 6), "X");
	fluid_record(&p);
	p.precentrifugation_min = INFINITY;
	p.centrifugation.g = INFINITY;
	assert_string_equal(element(&p, 3), "X");
	assert_string_equal(element(&p, 4), "X");
}

static void compute_no_second_spin_gives_n(void **state)
{
	ob_preanalytics p;

	(void)state;
	fluid_record(&p);
	assert_string_equal(element(&p, 5), "N");
	p.second_centrifugation.done = -1;
	assert_string_equal(element(&p, 5), "X");
}

static void compute_no_centrifugation_gives_n_for_spins_and_delay(void **state)
{
	ob_preanalytics p;
	char code[OB_SPREC_BUFSIZE];

	(void)state;
	fluid_record(&p);
	p.type = "whole_blood";
	p.centrifugation.done = 0;
	p.second_centrifugation.done = -1;
	p.postcentrifugation_min = -1;
	p.postcentrifugation_temp = OB_TEMP_UNKNOWN;
	assert_int_equal(ob_sprec_compute(&p, code, sizeof code), 0);
	assert_string_equal(code, "BLD-PED-A-N-N-N-D");
}

static void compute_snap_freezing_fixation_time_is_n(void **state)
{
	ob_preanalytics p;

	(void)state;
	solid_record(&p);
	p.type = "fresh_frozen";
	p.fixation = "SNP";
	p.fixation_min = -1;
	p.storage_vessel = "cryotube_1_2ml";
	p.storage_temp_c = -196;
	assert_string_equal(element(&p, 6), "N");
	assert_string_equal(element(&p, 7), "C");
	p.fixation = "OCT";
	assert_string_equal(element(&p, 6), "N");
}

static void compute_warm_ischemia_of_unrecorded_biopsy_is_n(void **state)
{
	ob_preanalytics p;

	(void)state;
	solid_record(&p);
	p.collection = "BPS";
	p.warm_ischaemia_min = -1;
	assert_string_equal(element(&p, 3), "N");
	p.collection = "SRG";
	assert_string_equal(element(&p, 3), "X");
	p.collection = "BPS";
	p.warm_ischaemia_min = 3; /* a recorded time is used */
	assert_string_equal(element(&p, 3), "B");
}

struct boundary {
	double minutes;
	const char *letter;
};

static void ischemia_boundaries(int k)
{
	static const struct boundary b[] = {
		{ 0, "A" },  { 1.99, "A" }, { 2, "B" },  { 9.99, "B" },  { 10, "C" },
		{ 20, "D" }, { 30, "E" },   { 59, "E" }, { 60, "F" },    { 6000, "F" },
	};
	ob_preanalytics p;
	size_t i;

	solid_record(&p);
	for (i = 0; i < sizeof b / sizeof b[0]; i++) {
		if (k == 3)
			p.warm_ischaemia_min = b[i].minutes;
		else
			p.cold_ischaemia_min = b[i].minutes;
		if (strcmp(element(&p, k), b[i].letter) != 0)
			fail_msg("%g min gave %s, expected %s", b[i].minutes, element(&p, k),
				 b[i].letter);
	}
}

static void compute_warm_ischemia_boundaries(void **state)
{
	(void)state;
	ischemia_boundaries(3);
}

static void compute_cold_ischemia_boundaries(void **state)
{
	(void)state;
	ischemia_boundaries(4);
}

static void compute_fixation_time_boundaries(void **state)
{
	static const struct boundary b[] = {
		{ 14.9, "A" },   { 15, "B" },      { 60, "C" },      { 4 * 60, "D" },
		{ 8 * 60, "E" }, { 24 * 60, "F" }, { 48 * 60, "G" }, { 72 * 60 - 1, "G" },
		{ 72 * 60, "Z" }, /* beyond 72 h: no code, Other */
	};
	ob_preanalytics p;
	size_t i;

	(void)state;
	solid_record(&p);
	for (i = 0; i < sizeof b / sizeof b[0]; i++) {
		p.fixation_min = b[i].minutes;
		assert_string_equal(element(&p, 6), b[i].letter);
	}
	p.fixation_min = -1;
	assert_string_equal(element(&p, 6), "X");
}

static void compute_precentrifugation_boundaries(void **state)
{
	static const struct {
		double minutes;
		const char *rt, *cold;
	} b[] = {
		{ 0, "A", "B" },        { 119, "A", "B" },      { 120, "C", "D" },
		{ 239, "C", "D" },      { 240, "E", "F" },      { 480, "G", "H" },
		{ 720, "I", "J" },      { 1440, "K", "L" },     { 2879, "K", "L" },
		{ 2880, "M", "N" },     { 10000, "M", "N" },
	};
	ob_preanalytics p;
	size_t i;

	(void)state;
	fluid_record(&p);
	for (i = 0; i < sizeof b / sizeof b[0]; i++) {
		p.precentrifugation_min = b[i].minutes;
		p.precentrifugation_temp = OB_TEMP_RT;
		assert_string_equal(element(&p, 3), b[i].rt);
		p.precentrifugation_temp = OB_TEMP_2_10;
		assert_string_equal(element(&p, 3), b[i].cold);
	}
}

static void compute_precentrifugation_at_body_temperature(void **state)
{
	ob_preanalytics p;

	(void)state;
	fluid_record(&p);
	p.precentrifugation_temp = OB_TEMP_35_38;
	p.precentrifugation_min = 119;
	assert_string_equal(element(&p, 3), "O");
	p.precentrifugation_min = 120; /* no code for 2 h at 35-38 C */
	assert_string_equal(element(&p, 3), "Z");
	p.precentrifugation_temp = OB_TEMP_OTHER;
	p.precentrifugation_min = 30;
	assert_string_equal(element(&p, 3), "Z");
	p.precentrifugation_temp = OB_TEMP_UNKNOWN;
	assert_string_equal(element(&p, 3), "X");
}

static void compute_postcentrifugation_boundaries(void **state)
{
	static const struct {
		double minutes;
		const char *rt, *cold;
	} b[] = {
		{ 0, "B", "A" },   { 59, "B", "A" },   { 60, "D", "C" },     { 120, "F", "E" },
		{ 480, "H", "G" }, { 1440, "J", "I" }, { 100000, "J", "I" },
	};
	ob_preanalytics p;
	size_t i;

	(void)state;
	fluid_record(&p);
	for (i = 0; i < sizeof b / sizeof b[0]; i++) {
		p.postcentrifugation_min = b[i].minutes;
		p.postcentrifugation_temp = OB_TEMP_RT;
		assert_string_equal(element(&p, 6), b[i].rt);
		p.postcentrifugation_temp = OB_TEMP_2_10;
		assert_string_equal(element(&p, 6), b[i].cold);
	}
	p.postcentrifugation_temp = OB_TEMP_35_38;
	assert_string_equal(element(&p, 6), "Z");
	p.postcentrifugation_min = -1;
	p.postcentrifugation_temp = OB_TEMP_RT;
	assert_string_equal(element(&p, 6), "X");
}

static void compute_temperature_bands_are_closed(void **state)
{
	(void)state;
	assert_int_equal(ob_temp_band_of(18), OB_TEMP_RT);
	assert_int_equal(ob_temp_band_of(28), OB_TEMP_RT);
	assert_int_equal(ob_temp_band_of(17.9), OB_TEMP_OTHER);
	assert_int_equal(ob_temp_band_of(28.1), OB_TEMP_OTHER);
	assert_int_equal(ob_temp_band_of(2), OB_TEMP_2_10);
	assert_int_equal(ob_temp_band_of(10), OB_TEMP_2_10);
	assert_int_equal(ob_temp_band_of(14), OB_TEMP_OTHER);
	assert_int_equal(ob_temp_band_of(35), OB_TEMP_35_38);
	assert_int_equal(ob_temp_band_of(38), OB_TEMP_35_38);
	assert_int_equal(ob_temp_band_of(-20), OB_TEMP_OTHER);
	assert_int_equal(ob_temp_band_of(NAN), OB_TEMP_UNKNOWN);
}

/* Centrifugation: temp_c, minutes, g, braking -> letter (first spin). */
static void compute_centrifugation_letters(void **state)
{
	static const struct {
		double temp, minutes, g;
		int braking;
		const char *letter;
	} b[] = {
		{ 20, 10, 2000, 0, "A" },    { 20, 10, 2000, 1, "B" },
		{ 4, 10, 2000, 0, "C" },     { 4, 10, 2000, 1, "D" },
		{ 20, 10, 3000, 1, "E" },    { 4, 10, 5999, 1, "F" },
		{ 20, 10, 6000, 1, "G" },    { 4, 10, 9999, 1, "H" },
		{ 20, 10, 10000, 1, "I" },   { 4, 15, 20000, 1, "J" },
		{ 20, 30, 999, 0, "M" },     { 20, 30, 1000, 0, "Z" }, /* 30 min needs < 1000 g */
		{ 20, 30, 800, 1, "Z" },     /* M is without braking */
		{ 4, 30, 800, 0, "Z" },      /* M is at RT */
		{ 20, 10, 2999, 1, "B" },    { 20, 10, 3000, 0, "Z" }, /* >= 3000 g only with braking */
		{ 18, 10, 2000, 1, "B" },    { 28, 10, 2000, 1, "B" },
		{ 28.5, 10, 2000, 1, "Z" },  { 2, 10, 2000, 1, "D" },
		{ 10, 10, 2000, 1, "D" },    { 12, 10, 2000, 1, "Z" }, /* between bands */
		{ 37, 10, 2000, 1, "Z" },    { 20, 15, 2000, 1, "B" },
		{ 20, 15.4, 2000, 1, "B" },  { 20, 15.5, 2000, 1, "Z" }, /* whole minutes */
		{ 20, 9.5, 2000, 1, "B" },   { 20, 9, 2000, 1, "Z" },
		{ 20, 20, 2000, 1, "Z" },
		{ NAN, 10, 2000, 1, "X" },   { 20, -1, 2000, 1, "X" },
		{ 20, 10, -1, 1, "X" },      { 20, 10, 2000, -1, "X" },
		{ 37, -1, 2000, 1, "Z" },    /* known values already rule every code out */
	};
	ob_preanalytics p;
	size_t i;

	(void)state;
	fluid_record(&p);
	for (i = 0; i < sizeof b / sizeof b[0]; i++) {
		p.centrifugation = (ob_centrifugation){ 1, b[i].temp, b[i].minutes, b[i].g,
							 b[i].braking };
		if (strcmp(element(&p, 4), b[i].letter) != 0)
			fail_msg("row %zu: %g C %g min %g g braking %d gave %s, expected %s", i,
				 b[i].temp, b[i].minutes, b[i].g, b[i].braking, element(&p, 4),
				 b[i].letter);
	}
	p.centrifugation.done = -1;
	assert_string_equal(element(&p, 4), "X");
}

static void compute_second_spin_has_no_30_minute_code(void **state)
{
	ob_preanalytics p;

	(void)state;
	fluid_record(&p);
	p.second_centrifugation = (ob_centrifugation){ 1, 20, 30, 500, 0 };
	assert_string_equal(element(&p, 5), "Z");
}

static void compute_storage_letters(void **state)
{
	static const struct {
		const char *vessel;
		double temp;
		const char *letter;
	} b[] = {
		{ "pp_tube_0.5_2ml", -80, "A" },     { "pp_tube_0.5_2ml", -60, "A" },
		{ "pp_tube_0.5_2ml", -85, "A" },     { "pp_tube_0.5_2ml", -59, "Z" },
		{ "pp_tube_0.5_2ml", -86, "Z" },     { "pp_tube_0.5_2ml", -20, "B" },
		{ "pp_tube_0.5_2ml", -18, "B" },     { "pp_tube_0.5_2ml", -35, "B" },
		{ "pp_tube_0.5_2ml", -40, "Z" },     { "pp_tube_0.5_2ml", -135, "Z" },
		{ "pp_tube_0.5_2ml", -136, "V" },    { "pp_tube_0.5_2ml", -196, "V" },
		{ "cryotube_1_2ml", -196, "C" },     { "cryotube_1_2ml", -150, "C" },
		{ "cryotube_1_2ml", -149, "Z" },     { "cryotube_1_2ml", -80, "D" },
		{ "cryotube_1_2ml", -20, "Z" },      { "straw", -196, "F" },
		{ "straw", -80, "G" },               { "straw", -20, "H" },
		{ "pp_tube_5ml", -80, "J" },         { "pp_tube_5ml", -20, "K" },
		{ "microplate", -80, "L" },          { "microplate", -20, "M" },
		{ "paraffin_block", 20, "P" },       { "paraffin_block", 4, "P" },
		{ "paraffin_block", 15, "Z" },       { "paraffin_block", -20, "Z" },
		{ "bag", -196, "Q" },                { "bag", -80, "Z" },
		{ "dry_medium", 22, "R" },           { "dry_medium", 4, "Z" },
		{ "pp_tube_40_500ul", -80, "S" },    { "pp_tube_40_500ul", -20, "T" },
		{ "pp_tube_40_500ul", -140, "W" },   { "original_container", -80, "Y" },
		{ "original_container", -20, "Y" },  { "original_container", -196, "Z" },
		{ "cryotube_1_2ml", NAN, "X" },      { NULL, -80, "X" },
	};
	ob_preanalytics p;
	size_t i;

	(void)state;
	fluid_record(&p);
	for (i = 0; i < sizeof b / sizeof b[0]; i++) {
		p.storage_vessel = b[i].vessel;
		p.storage_temp_c = b[i].temp;
		if (strcmp(element(&p, 7), b[i].letter) != 0)
			fail_msg("%s at %g C gave %s, expected %s", b[i].vessel, b[i].temp,
				 element(&p, 7), b[i].letter);
	}
}

static void compute_sample_type_mapping(void **state)
{
	static const char *const map[][2] = {
		{ "ffpe_block", "TIS" }, { "ffpe_slide", "TIS" },  { "fresh_frozen", "TIS" },
		{ "oct", "TIS" },        { "whole_blood", "BLD" }, { "plasma", "PL1" },
		{ "serum", "SER" },      { "buffy_coat", "BFF" },  { "pbmc", "CEL" },
		{ "urine", "URN" },      { "ascites", "ASC" },     { "pleural_fluid", "PFL" },
		{ "csf", "CSF" },        { "saliva", "SAL" },
	};
	ob_preanalytics p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof map / sizeof map[0]; i++)
		assert_string_equal(ob_sprec_sample_type(map[i][0], NULL), map[i][1]);
	ob_preanalytics_init(&p);
	p.second_centrifugation.done = 1;
	assert_string_equal(ob_sprec_sample_type("plasma", &p), "PL2");
	assert_null(ob_sprec_sample_type("dna", NULL));
	assert_null(ob_sprec_sample_type("rna", NULL));
	assert_null(ob_sprec_sample_type("cfdna", NULL));
	assert_null(ob_sprec_sample_type("blood", NULL));
	assert_null(ob_sprec_sample_type(NULL, NULL));
}

/* Every computed code must pass the checker: a sweep over the inputs. */
static void compute_always_gives_a_valid_code(void **state)
{
	static const char *const fluids[] = { "whole_blood", "plasma", "serum", "buffy_coat",
					      "pbmc", "urine", "csf" };
	static const char *const vessels[] = { "pp_tube_0.5_2ml", "cryotube_1_2ml", "straw",
					       "paraffin_block", "bag", "dry_medium", NULL };
	static const double minutes[] = { -1, 0, 5, 60, 700, 5000 };
	static const double temps[] = { NAN, -196, -80, -20, 4, 20, 37 };
	char code[OB_SPREC_BUFSIZE];
	ob_preanalytics p;
	size_t a, b, c, d;
	int n = 0;

	(void)state;
	for (a = 0; a < sizeof fluids / sizeof fluids[0]; a++)
		for (b = 0; b < sizeof minutes / sizeof minutes[0]; b++)
			for (c = 0; c < sizeof temps / sizeof temps[0]; c++)
				for (d = 0; d < sizeof vessels / sizeof vessels[0]; d++) {
					fluid_record(&p);
					p.type = fluids[a];
					p.precentrifugation_min = minutes[b];
					p.precentrifugation_temp = ob_temp_band_of(temps[c]);
					p.postcentrifugation_min = minutes[b];
					p.centrifugation.temp_c = temps[c];
					p.centrifugation.minutes = minutes[b];
					p.storage_vessel = vessels[d];
					p.storage_temp_c = temps[c];
					assert_int_equal(ob_sprec_compute(&p, code, sizeof code), 0);
					if (ob_sprec_check(code, "4.0") != 0)
						fail_msg("%s: %s", code, ob_error_last());
					n++;
				}
	for (b = 0; b < sizeof minutes / sizeof minutes[0]; b++)
		for (c = 0; c < sizeof temps / sizeof temps[0]; c++) {
			solid_record(&p);
			p.warm_ischaemia_min = p.cold_ischaemia_min = minutes[b];
			p.fixation_min = minutes[b] * 3;
			p.storage_temp_c = temps[c];
			assert_int_equal(ob_sprec_compute(&p, code, sizeof code), 0);
			if (ob_sprec_check(code, "4.0") != 0)
				fail_msg("%s: %s", code, ob_error_last());
			n++;
		}
	assert_true(n > 1000);
}

/* ---- compute: inconsistent records ------------------------------------- */

static void expect_compute_error(const ob_preanalytics *p, const char *text)
{
	char code[OB_SPREC_BUFSIZE] = "junk";

	assert_int_equal(ob_sprec_compute(p, code, sizeof code), OB_EINVALID);
	assert_string_equal(code, "");
	assert_error_has(text);
}

static void compute_rejects_unknown_type(void **state)
{
	ob_preanalytics p;

	(void)state;
	fluid_record(&p);
	p.type = "blood";
	expect_compute_error(&p, "type: 'blood'");
	p.type = NULL;
	expect_compute_error(&p, "type: missing");
}

static void compute_rejects_nucleic_acids(void **state)
{
	ob_preanalytics p;

	(void)state;
	ob_preanalytics_init(&p);
	p.type = "cfdna";
	expect_compute_error(&p, "type: cfdna is a nucleic acid");
}

static void compute_rejects_fixation_for_fluid(void **state)
{
	ob_preanalytics p;

	(void)state;
	fluid_record(&p);
	p.fixation = "NBF";
	expect_compute_error(&p, "fixation: given for a fluid sample");
	fluid_record(&p);
	p.cold_ischaemia_min = 10;
	expect_compute_error(&p, "cold_ischaemia_min");
}

static void compute_rejects_centrifugation_for_solid(void **state)
{
	ob_preanalytics p;

	(void)state;
	solid_record(&p);
	p.centrifugation.done = 1;
	expect_compute_error(&p, "centrifugation: given for a solid sample");
	solid_record(&p);
	p.precentrifugation_min = 10;
	expect_compute_error(&p, "precentrifugation");
}

static void compute_rejects_plasma_without_centrifugation(void **state)
{
	ob_preanalytics p;

	(void)state;
	fluid_record(&p);
	p.centrifugation.done = 0;
	expect_compute_error(&p, "centrifugation: none");
}

static void compute_rejects_second_spin_without_first(void **state)
{
	ob_preanalytics p;

	(void)state;
	fluid_record(&p);
	p.type = "urine";
	p.centrifugation.done = 0;
	p.second_centrifugation.done = 1;
	expect_compute_error(&p, "second_centrifugation");
}

static void compute_rejects_post_delay_without_centrifugation(void **state)
{
	ob_preanalytics p;

	(void)state;
	fluid_record(&p);
	p.type = "urine";
	p.centrifugation.done = 0;
	expect_compute_error(&p, "postcentrifugation: given");
}

static void compute_rejects_codes_not_in_the_table(void **state)
{
	ob_preanalytics p;

	(void)state;
	fluid_record(&p);
	p.collection = "SRG"; /* a solid collection, not a container */
	expect_compute_error(&p, "collection: 'SRG' is not a SPREC 4.0 type of primary container");
	p.collection = "ped";
	expect_compute_error(&p, "upper case");
	solid_record(&p);
	p.fixation = "FFPE";
	expect_compute_error(&p, "fixation: 'FFPE'");
	solid_record(&p);
	p.storage_vessel = "freezer";
	expect_compute_error(&p, "storage_vessel: 'freezer'");
}

static void compute_rejects_unknown_solid_collection(void **state)
{
	ob_preanalytics p;

	(void)state;
	solid_record(&p);
	p.collection = NULL; /* the table has no Unknown code */
	expect_compute_error(&p, "collection: unknown");
}

static void compute_rejects_fixation_time_for_snap_freezing(void **state)
{
	ob_preanalytics p;

	(void)state;
	solid_record(&p);
	p.type = "fresh_frozen";
	p.fixation = "SNP";
	expect_compute_error(&p, "fixation_min");
}

static void compute_rejects_frozen_fixation_for_ffpe(void **state)
{
	ob_preanalytics p;

	(void)state;
	solid_record(&p);
	p.fixation = "SNP";
	p.fixation_min = -1;
	expect_compute_error(&p, "contradicts type ffpe_block");
	solid_record(&p);
	p.type = "oct";
	expect_compute_error(&p, "contradicts type oct");
}

static void compute_rejects_small_output_buffer(void **state)
{
	ob_preanalytics p;
	char code[10];

	(void)state;
	fluid_record(&p);
	assert_int_equal(ob_sprec_compute(&p, code, sizeof code), OB_EINVALID);
	assert_error_has("too small");
}

#define BAD(name, table, i) { name, check_names_the_invalid_element, NULL, NULL, &table[i] }

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(check_accepts_valid_fluid_code),
		cmocka_unit_test(check_accepts_valid_solid_code),
		cmocka_unit_test(check_null_version_means_4_0),
		cmocka_unit_test(check_rejects_unknown_version),
		cmocka_unit_test(check_trims_surrounding_white_space),
		cmocka_unit_test(check_rejects_inner_white_space),
		cmocka_unit_test(check_rejects_lower_case_and_says_why),
		cmocka_unit_test(check_rejects_too_few_elements),
		cmocka_unit_test(check_rejects_too_many_elements),
		cmocka_unit_test(check_rejects_empty_code),
		cmocka_unit_test(check_rejects_empty_element),
		cmocka_unit_test(check_message_matches_documented_form),
		BAD("check_names_invalid_fluid_element_1_type_of_sample", bad_fluid, 0),
		BAD("check_names_invalid_fluid_element_2_primary_container", bad_fluid, 1),
		BAD("check_names_invalid_fluid_element_3_pre_centrifugation", bad_fluid, 2),
		BAD("check_names_invalid_fluid_element_4_centrifugation", bad_fluid, 3),
		BAD("check_names_invalid_fluid_element_5_second_centrifugation", bad_fluid, 4),
		BAD("check_names_invalid_fluid_element_6_post_centrifugation", bad_fluid, 5),
		BAD("check_names_invalid_fluid_element_7_long_term_storage", bad_fluid, 6),
		BAD("check_names_invalid_solid_element_1_type_of_sample", bad_solid, 0),
		BAD("check_names_invalid_solid_element_2_type_of_collection", bad_solid, 1),
		BAD("check_names_invalid_solid_element_3_warm_ischemia", bad_solid, 2),
		BAD("check_names_invalid_solid_element_4_cold_ischemia", bad_solid, 3),
		BAD("check_names_invalid_solid_element_5_fixation_type", bad_solid, 4),
		BAD("check_names_invalid_solid_element_6_fixation_time", bad_solid, 5),
		BAD("check_names_invalid_solid_element_7_long_term_storage", bad_solid, 6),
		cmocka_unit_test(check_rejects_4_0_code_under_3_0),
		cmocka_unit_test(check_accepts_3_0_codes_under_3_0),
		cmocka_unit_test(check_tells_fluid_from_solid_for_shared_type_codes),
		cmocka_unit_test(explain_spells_out_each_element),
		cmocka_unit_test(explain_rejects_invalid_code_and_appends_nothing),
		cmocka_unit_test(parse_gives_name_code_meaning_per_element),
		cmocka_unit_test(tables_have_unique_codes_of_the_right_length),
		cmocka_unit_test(find_respects_the_version),
		cmocka_unit_test(shared_fluid_table_codes_are_all_accepted),
		cmocka_unit_test(shared_solid_table_codes_are_all_accepted),
		cmocka_unit_test(shared_v3_v4_additions_are_accepted_from_their_version),
		cmocka_unit_test(compute_fluid_record),
		cmocka_unit_test(compute_solid_record),
		cmocka_unit_test(compute_plasma_after_second_spin_is_pl2),
		cmocka_unit_test(compute_all_unknown_gives_x),
		cmocka_unit_test(compute_treats_non_finite_values_as_unknown),
		cmocka_unit_test(compute_no_second_spin_gives_n),
		cmocka_unit_test(compute_no_centrifugation_gives_n_for_spins_and_delay),
		cmocka_unit_test(compute_snap_freezing_fixation_time_is_n),
		cmocka_unit_test(compute_warm_ischemia_of_unrecorded_biopsy_is_n),
		cmocka_unit_test(compute_warm_ischemia_boundaries),
		cmocka_unit_test(compute_cold_ischemia_boundaries),
		cmocka_unit_test(compute_fixation_time_boundaries),
		cmocka_unit_test(compute_precentrifugation_boundaries),
		cmocka_unit_test(compute_precentrifugation_at_body_temperature),
		cmocka_unit_test(compute_postcentrifugation_boundaries),
		cmocka_unit_test(compute_temperature_bands_are_closed),
		cmocka_unit_test(compute_centrifugation_letters),
		cmocka_unit_test(compute_second_spin_has_no_30_minute_code),
		cmocka_unit_test(compute_storage_letters),
		cmocka_unit_test(compute_sample_type_mapping),
		cmocka_unit_test(compute_always_gives_a_valid_code),
		cmocka_unit_test(compute_rejects_unknown_type),
		cmocka_unit_test(compute_rejects_nucleic_acids),
		cmocka_unit_test(compute_rejects_fixation_for_fluid),
		cmocka_unit_test(compute_rejects_centrifugation_for_solid),
		cmocka_unit_test(compute_rejects_plasma_without_centrifugation),
		cmocka_unit_test(compute_rejects_second_spin_without_first),
		cmocka_unit_test(compute_rejects_post_delay_without_centrifugation),
		cmocka_unit_test(compute_rejects_codes_not_in_the_table),
		cmocka_unit_test(compute_rejects_unknown_solid_collection),
		cmocka_unit_test(compute_rejects_fixation_time_for_snap_freezing),
		cmocka_unit_test(compute_rejects_frozen_fixation_for_ffpe),
		cmocka_unit_test(compute_rejects_small_output_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
