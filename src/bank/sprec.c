/*
 * sprec.c - checking, explaining and computing SPREC codes (sprec.h). The
 * code tables are data in sprec_tables.c; this file holds the rules that turn
 * measurements into codes. Those rules, boundaries included, are documented
 * in docs/sprec.md: keep the two in step.
 */
#include "bank/sprec.h"
#include "base/error.h"

#include <assert.h>
#include <ctype.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* ---- checking ----------------------------------------------------------- */

/* Longest element shown in a message; longer ones are cut. */
#define SHOW_MAX 24

struct span {
	const char *s;
	size_t n;
};

static const char *version_text(int version)
{
	return version == OB_SPREC_V3 ? "3.0" : version == OB_SPREC_V4 ? "4.0" : "2.0";
}

static bool span_is(struct span sp, const char *code)
{
	return strlen(code) == sp.n && memcmp(sp.s, code, sp.n) == 0;
}

/* The entry for sp in any version (NULL when none). */
static const ob_sprec_entry *find_span(ob_sprec_kind kind, int element, struct span sp)
{
	const ob_sprec_entry *rows;
	size_t n = ob_sprec_table(kind, element, &rows), i;

	for (i = 0; i < n; i++)
		if (span_is(sp, rows[i].code))
			return &rows[i];
	return NULL;
}

const ob_sprec_entry *ob_sprec_find(ob_sprec_kind kind, int element, const char *code,
				    int version)
{
	struct span sp;
	const ob_sprec_entry *e;

	if (!code)
		return NULL;
	sp.s = code;
	sp.n = strlen(code);
	e = find_span(kind, element, sp);
	return e && e->since <= version ? e : NULL;
}

int ob_sprec_version(const char *version, int *out)
{
	if (!version || strcmp(version, "4.0") == 0)
		*out = OB_SPREC_V4;
	else if (strcmp(version, "3.0") == 0)
		*out = OB_SPREC_V3;
	else
		return ob_error_set(OB_EINVALID,
				    "SPREC version '%.*s' is not supported (use 3.0 or 4.0)",
				    SHOW_MAX, version);
	return 0;
}

static bool has_lower(struct span sp)
{
	size_t i;

	for (i = 0; i < sp.n; i++)
		if (islower((unsigned char)sp.s[i]))
			return true;
	return false;
}

/* Sets the message for element k (1..7) holding sp, which is not a code of
 * the given version; adds why when that can be told. */
static int element_error(ob_sprec_kind kind, int k, struct span sp, int version)
{
	const char *name = ob_sprec_element_name(kind, k);
	const ob_sprec_entry *later = find_span(kind, k, sp);
	const char *hint = "";

	if (later && later->since > version)
		hint = later->since == OB_SPREC_V4 ? " (added in SPREC 4.0)" : " (added in SPREC 3.0)";
	else if (has_lower(sp))
		hint = " (SPREC codes are upper case)";
	return ob_error_set(OB_EINVALID, "SPREC element %d (%s): '%.*s'%s is not a code in SPREC %s%s",
			    k, name, (int)(sp.n < SHOW_MAX ? sp.n : SHOW_MAX), sp.s,
			    sp.n > SHOW_MAX ? "..." : "", version_text(version), hint);
}

/* Fluid or solid, from element 1 (and, for the few type codes both tables
 * hold - CEN, CLN, PEN, ZZZ - from elements 2 and 5). 0 when neither table
 * holds element 1 in version. */
static ob_sprec_kind kind_of(const struct span el[OB_SPREC_NELEM], int version)
{
	bool fluid = false, solid = false;
	const ob_sprec_entry *e;

	e = find_span(OB_SPREC_FLUID, 1, el[0]);
	fluid = e && e->since <= version;
	e = find_span(OB_SPREC_SOLID, 1, el[0]);
	solid = e && e->since <= version;
	if (fluid != solid)
		return fluid ? OB_SPREC_FLUID : OB_SPREC_SOLID;
	if (!fluid)
		return 0;
	/* Containers and collections share only ZZZ; then the fifth element
	 * tells: a three-letter fixation type is solid, one letter is fluid. */
	fluid = find_span(OB_SPREC_FLUID, 2, el[1]) != NULL;
	solid = find_span(OB_SPREC_SOLID, 2, el[1]) != NULL;
	if (fluid != solid)
		return fluid ? OB_SPREC_FLUID : OB_SPREC_SOLID;
	return el[4].n == 3 ? OB_SPREC_SOLID : OB_SPREC_FLUID;
}

int ob_sprec_parse(const char *code, const char *version, ob_sprec_parsed *out)
{
	struct span el[OB_SPREC_NELEM];
	const char *s, *end, *p;
	ob_sprec_kind kind;
	int v, k, rc, n;

	if ((rc = ob_sprec_version(version, &v)) < 0)
		return rc;
	if (!code)
		return ob_error_set(OB_EINVALID, "SPREC code is missing");
	s = code;
	end = code + strlen(code);
	while (s < end && isspace((unsigned char)*s))
		s++;
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	if (s == end)
		return ob_error_set(OB_EINVALID, "SPREC code is empty");

	n = 1;
	for (p = s; p < end; p++)
		n += *p == '-';
	if (n != OB_SPREC_NELEM)
		return ob_error_set(OB_EINVALID,
				    "SPREC code '%.*s%s' has %d element%s; SPREC has %d, separated by '-'",
				    (int)(end - s < 64 ? end - s : 64), s, end - s > 64 ? "..." : "",
				    n, n == 1 ? "" : "s", OB_SPREC_NELEM);
	for (k = 0, p = s; k < OB_SPREC_NELEM; k++) {
		const char *dash = memchr(p, '-', (size_t)(end - p));

		el[k].s = p;
		el[k].n = (size_t)((dash ? dash : end) - p);
		p = dash ? dash + 1 : end;
	}

	if (el[0].n == 0)
		return ob_error_set(OB_EINVALID, "SPREC element 1 (type of sample): empty");
	kind = kind_of(el, v);
	if (!kind) {
		const ob_sprec_entry *f = find_span(OB_SPREC_FLUID, 1, el[0]);

		return element_error(f ? OB_SPREC_FLUID : OB_SPREC_SOLID, 1, el[0], v);
	}
	if (out) {
		out->kind = kind;
		out->version = v;
	}
	for (k = 1; k <= OB_SPREC_NELEM; k++) {
		const ob_sprec_entry *e;

		if (el[k - 1].n == 0)
			return ob_error_set(OB_EINVALID, "SPREC element %d (%s): empty", k,
					    ob_sprec_element_name(kind, k));
		e = find_span(kind, k, el[k - 1]);
		if (!e || e->since > v)
			return element_error(kind, k, el[k - 1], v);
		if (out) {
			ob_sprec_element *o = &out->element[k - 1];

			o->name = ob_sprec_element_name(kind, k);
			memcpy(o->code, e->code, strlen(e->code) + 1);
			o->meaning = e->meaning;
			o->since = e->since;
		}
	}
	return 0;
}

int ob_sprec_check(const char *code, const char *version)
{
	return ob_sprec_parse(code, version, NULL);
}

int ob_sprec_explain(const char *code, const char *version, ob_buf *out)
{
	ob_sprec_parsed ps;
	int rc, k;

	if ((rc = ob_sprec_parse(code, version, &ps)) < 0)
		return rc;
	for (k = 0; k < OB_SPREC_NELEM; k++)
		if (ob_buf_printf(out, "%s: %s = %s\n", ps.element[k].name, ps.element[k].code,
				  ps.element[k].meaning) < 0)
			return OB_ERROR;
	return 0;
}

/* ---- computing ---------------------------------------------------------- */

void ob_preanalytics_init(ob_preanalytics *p)
{
	static const ob_centrifugation none = { -1, NAN, -1, -1, -1 };

	memset(p, 0, sizeof *p);
	p->type = p->collection = p->fixation = p->storage_vessel = NULL;
	p->warm_ischaemia_min = p->cold_ischaemia_min = p->fixation_min = -1;
	p->precentrifugation_min = p->postcentrifugation_min = -1;
	p->precentrifugation_temp = p->postcentrifugation_temp = OB_TEMP_UNKNOWN;
	p->centrifugation = p->second_centrifugation = none;
	p->storage_temp_c = NAN;
}

/* Temperature bands are closed intervals: a thermostat set to 10 C is in the
 * "2 to 10" band, and no two bands touch, so there is nothing to break. */
static bool in(double x, double lo, double hi)
{
	return x >= lo && x <= hi;
}

ob_temp_band ob_temp_band_of(double celsius)
{
	if (isnan(celsius))
		return OB_TEMP_UNKNOWN;
	if (in(celsius, 18, 28))
		return OB_TEMP_RT;
	if (in(celsius, 2, 10))
		return OB_TEMP_2_10;
	if (in(celsius, 35, 38))
		return OB_TEMP_35_38;
	return OB_TEMP_OTHER;
}

/* A duration (or g) is known when it is finite and >= 0: NAN, infinities and
 * negatives are unknown. */
static bool known(double minutes)
{
	return minutes >= 0 && isfinite(minutes);
}

/* oncobank specimen types. */
enum family { TISSUE_FFPE, TISSUE_FROZEN, BLOOD_SPUN, FLUID, NUCLEIC };

static const struct type_row {
	const char *type;
	const char *sprec; /* NULL: carries the parent's code */
	enum family family;
} types[] = {
	{ "ffpe_block", "TIS", TISSUE_FFPE },
	{ "ffpe_slide", "TIS", TISSUE_FFPE },
	{ "fresh_frozen", "TIS", TISSUE_FROZEN },
	{ "oct", "TIS", TISSUE_FROZEN },
	{ "whole_blood", "BLD", FLUID },
	{ "plasma", "PL1", BLOOD_SPUN }, /* PL2 after a second spin */
	{ "serum", "SER", BLOOD_SPUN },
	{ "buffy_coat", "BFF", BLOOD_SPUN },
	{ "pbmc", "CEL", BLOOD_SPUN },
	{ "urine", "URN", FLUID },
	{ "ascites", "ASC", FLUID },
	{ "pleural_fluid", "PFL", FLUID },
	{ "csf", "CSF", FLUID },
	{ "saliva", "SAL", FLUID },
	{ "dna", NULL, NUCLEIC },
	{ "rna", NULL, NUCLEIC },
	{ "cfdna", NULL, NUCLEIC },
};

static const struct type_row *type_row(const char *type)
{
	size_t i;

	if (!type)
		return NULL;
	for (i = 0; i < sizeof types / sizeof types[0]; i++)
		if (strcmp(types[i].type, type) == 0)
			return &types[i];
	return NULL;
}

const char *ob_sprec_sample_type(const char *type, const ob_preanalytics *p)
{
	const struct type_row *t = type_row(type);

	if (!t)
		return NULL;
	if (strcmp(t->type, "plasma") == 0 && p && p->second_centrifugation.done == 1)
		return "PL2";
	return t->sprec;
}

/* A duration band: [from previous upper, upper) minutes gives the letter. */
struct band {
	double upper;
	char rt, cold; /* the letter at RT and at 2-10 C ('\0': no code) */
};

/* Pre-centrifugation: < 2 h ... > 48 h; 35-38 C only below 2 h ('O'). */
static const struct band pre_bands[] = {
	{ 2 * 60, 'A', 'B' },   { 4 * 60, 'C', 'D' },   { 8 * 60, 'E', 'F' },
	{ 12 * 60, 'G', 'H' },  { 24 * 60, 'I', 'J' },  { 48 * 60, 'K', 'L' },
	{ INFINITY, 'M', 'N' },
};

/* Post-centrifugation: the table lists 2-10 C first. */
static const struct band post_bands[] = {
	{ 60, 'B', 'A' }, { 2 * 60, 'D', 'C' }, { 8 * 60, 'F', 'E' },
	{ 24 * 60, 'H', 'G' }, { INFINITY, 'J', 'I' },
};

/* Warm and cold ischemia, no temperature: rt holds the letter. */
static const struct band ischemia_bands[] = {
	{ 2, 'A', 0 }, { 10, 'B', 0 }, { 20, 'C', 0 }, { 30, 'D', 0 }, { 60, 'E', 0 },
	{ INFINITY, 'F', 0 },
};

/* Fixation time: nothing beyond 72 h, which falls to Z. */
static const struct band fixation_bands[] = {
	{ 15, 'A', 0 },      { 60, 'B', 0 },      { 4 * 60, 'C', 0 },  { 8 * 60, 'D', 0 },
	{ 24 * 60, 'E', 0 }, { 48 * 60, 'F', 0 }, { 72 * 60, 'G', 0 },
};

/* The band holding minutes (known): bands are half-open [low, high). */
static const struct band *band_of(const struct band *b, size_t n, double minutes)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (minutes < b[i].upper)
			return &b[i];
	return NULL;
}

#define BAND_OF(a, m) band_of(a, sizeof(a) / sizeof((a)[0]), m)

static char delay_letter(const struct band *bands, size_t n, double minutes, ob_temp_band t)
{
	const struct band *b;

	if (t == OB_TEMP_OTHER)
		return 'Z';
	if (!known(minutes) || t == OB_TEMP_UNKNOWN)
		return 'X';
	b = band_of(bands, n, minutes);
	if (!b)
		return 'Z';
	if (t == OB_TEMP_RT)
		return b->rt;
	if (t == OB_TEMP_2_10)
		return b->cold;
	/* 35-38 C: pre-centrifugation below 2 h only. */
	return bands == pre_bands && b == &pre_bands[0] ? 'O' : 'Z';
}

static char ischemia_letter(double minutes)
{
	const struct band *b;

	if (!known(minutes))
		return 'X';
	b = BAND_OF(ischemia_bands, minutes);
	return b ? b->rt : 'Z';
}

/* Centrifugation conditions, one row per lettered code. */
enum spin_time { T_10_15, T_30 };
enum spin_g { G_LT1000, G_LT3000, G_3000_6000, G_6000_10000, G_GE10000 };

static const struct spin_rule {
	char letter;
	ob_temp_band temp;
	enum spin_time time;
	enum spin_g g;
	int braking;
	bool first_only;
} spin_rules[] = {
	{ 'A', OB_TEMP_RT, T_10_15, G_LT3000, 0, false },
	{ 'B', OB_TEMP_RT, T_10_15, G_LT3000, 1, false },
	{ 'C', OB_TEMP_2_10, T_10_15, G_LT3000, 0, false },
	{ 'D', OB_TEMP_2_10, T_10_15, G_LT3000, 1, false },
	{ 'E', OB_TEMP_RT, T_10_15, G_3000_6000, 1, false },
	{ 'F', OB_TEMP_2_10, T_10_15, G_3000_6000, 1, false },
	{ 'G', OB_TEMP_RT, T_10_15, G_6000_10000, 1, false },
	{ 'H', OB_TEMP_2_10, T_10_15, G_6000_10000, 1, false },
	{ 'I', OB_TEMP_RT, T_10_15, G_GE10000, 1, false },
	{ 'J', OB_TEMP_2_10, T_10_15, G_GE10000, 1, false },
	{ 'M', OB_TEMP_RT, T_30, G_LT1000, 0, true },
};

static bool g_matches(enum spin_g band, double g)
{
	switch (band) {
	case G_LT1000: return g < 1000;
	case G_LT3000: return g < 3000;
	case G_3000_6000: return g >= 3000 && g < 6000;
	case G_6000_10000: return g >= 6000 && g < 10000;
	case G_GE10000: return g >= 10000;
	}
	return false;
}

/* Durations are compared in whole minutes (rounded half up): "10 to 15 min"
 * is 10..15 inclusive, "30 min" is 30. */
static bool time_matches(enum spin_time t, double minutes)
{
	double m = floor(minutes + 0.5);

	return t == T_30 ? m == 30 : m >= 10 && m <= 15;
}

/* The letter for one centrifugation: N when none, X when not known, Z when
 * the known values already rule out every lettered code, X when a value is
 * missing, else the one code that fits. */
static char spin_letter(const ob_centrifugation *c, bool first)
{
	ob_temp_band t = ob_temp_band_of(c->temp_c);
	bool any_unknown, candidate = false;
	char letter = 'Z';
	size_t i;

	if (c->done == 0)
		return 'N';
	if (c->done != 1)
		return 'X';
	any_unknown = t == OB_TEMP_UNKNOWN || !known(c->minutes) || !known(c->g) ||
		      (c->braking != 0 && c->braking != 1);
	for (i = 0; i < sizeof spin_rules / sizeof spin_rules[0]; i++) {
		const struct spin_rule *r = &spin_rules[i];

		if (r->first_only && !first)
			continue;
		if (t != OB_TEMP_UNKNOWN && t != r->temp)
			continue;
		if (known(c->minutes) && !time_matches(r->time, c->minutes))
			continue;
		if (known(c->g) && !g_matches(r->g, c->g))
			continue;
		if ((c->braking == 0 || c->braking == 1) && c->braking != r->braking)
			continue;
		candidate = true;
		letter = r->letter;
	}
	if (!candidate)
		return 'Z';
	return any_unknown ? 'X' : letter;
}

/* Long-term storage: vessel and temperature band to letter. */
enum store_band { S_LN, S_BELOW135, S_M85_M60, S_M35_M18, S_AMBIENT, S_NONE };

static enum store_band store_band_of(double c)
{
	if (c <= -150)
		return S_LN;
	if (c < -135)
		return S_BELOW135;
	if (in(c, -85, -60))
		return S_M85_M60;
	if (in(c, -35, -18))
		return S_M35_M18;
	if (in(c, 2, 10) || in(c, 18, 28))
		return S_AMBIENT;
	return S_NONE;
}

static const struct vessel_row {
	const char *vessel;
	char ln, below135, m85_m60, m35_m18, ambient; /* '\0': no code, gives Z */
} vessels[] = {
	/* LN is also below -135 C, so the PP tubes take V / W there. */
	{ "pp_tube_0.5_2ml", 'V', 'V', 'A', 'B', 0 },
	/* E and I need programmable freezing, N and O a temporary -80 C stay:
	 * the record does not tell, so those are never computed. */
	{ "cryotube_1_2ml", 'C', 0, 'D', 0, 0 },
	{ "straw", 'F', 0, 'G', 'H', 0 },
	{ "pp_tube_5ml", 0, 0, 'J', 'K', 0 },
	{ "microplate", 0, 0, 'L', 'M', 0 },
	{ "paraffin_block", 0, 0, 0, 0, 'P' },
	{ "bag", 'Q', 0, 0, 0, 0 },
	/* "Dry technology medium; RT": 2-10 C is not RT. */
	{ "dry_medium", 0, 0, 0, 0, 'R' },
	{ "pp_tube_40_500ul", 'W', 'W', 'S', 'T', 0 },
	{ "original_container", 0, 0, 'Y', 'Y', 0 },
};

static int storage_letter(const ob_preanalytics *p, char *letter)
{
	const struct vessel_row *v = NULL;
	enum store_band b;
	size_t i;

	if (p->storage_vessel) {
		for (i = 0; i < sizeof vessels / sizeof vessels[0]; i++)
			if (strcmp(vessels[i].vessel, p->storage_vessel) == 0)
				v = &vessels[i];
		if (!v)
			return ob_error_set(OB_EINVALID,
					    "storage_vessel: '%.*s' is not an oncobank storage vessel",
					    SHOW_MAX, p->storage_vessel);
	}
	if (!v || isnan(p->storage_temp_c)) {
		*letter = 'X';
		return 0;
	}
	b = store_band_of(p->storage_temp_c);
	switch (b) {
	case S_LN: *letter = v->ln; break;
	case S_BELOW135: *letter = v->below135; break;
	case S_M85_M60: *letter = v->m85_m60; break;
	case S_M35_M18: *letter = v->m35_m18; break;
	case S_AMBIENT:
		*letter = v->ambient;
		if (*letter == 'R' && !in(p->storage_temp_c, 18, 28))
			*letter = 0;
		break;
	case S_NONE: *letter = 0; break;
	}
	if (!*letter)
		*letter = 'Z';
	return 0;
}

/* Checks a three-letter code given for element k against the 4.0 table;
 * NULL gives "XXX" when the table has it. */
static int code_field(ob_sprec_kind kind, int k, const char *field, const char *code,
		      const char **out)
{
	if (!code) {
		if (!ob_sprec_find(kind, k, "XXX", OB_SPREC_V4))
			return ob_error_set(OB_EINVALID,
					    "%s: unknown, and the SPREC table of %s has no Unknown code"
					    " (use ZZZ for Other)",
					    field, ob_sprec_element_name(kind, k));
		*out = "XXX";
		return 0;
	}
	if (!ob_sprec_find(kind, k, code, OB_SPREC_V4)) {
		struct span sp = { code, strlen(code) };

		return ob_error_set(OB_EINVALID, "%s: '%.*s' is not a SPREC 4.0 %s code%s", field,
				    SHOW_MAX, code, ob_sprec_element_name(kind, k),
				    has_lower(sp) ? " (SPREC codes are upper case)" : "");
	}
	*out = code;
	return 0;
}

static bool surgical(const char *collection)
{
	static const char *const codes[] = { "SRG", "SCM", "SSL", "STM", "VAC" };
	size_t i;

	for (i = 0; i < sizeof codes / sizeof codes[0]; i++)
		if (strcmp(collection, codes[i]) == 0)
			return true;
	return false;
}

static int compute_solid(const ob_preanalytics *p, const struct type_row *t, char *out,
			 size_t outlen)
{
	const char *coll, *fix;
	char warm, cold, ftime, store;
	int rc;

	if (known(p->precentrifugation_min) || p->precentrifugation_temp != OB_TEMP_UNKNOWN)
		return ob_error_set(OB_EINVALID, "precentrifugation: given for a solid sample (%s)",
				    t->type);
	if (p->centrifugation.done == 1 || p->second_centrifugation.done == 1)
		return ob_error_set(OB_EINVALID, "centrifugation: given for a solid sample (%s)",
				    t->type);
	if (known(p->postcentrifugation_min) || p->postcentrifugation_temp != OB_TEMP_UNKNOWN)
		return ob_error_set(OB_EINVALID, "postcentrifugation: given for a solid sample (%s)",
				    t->type);
	if ((rc = code_field(OB_SPREC_SOLID, 2, "collection", p->collection, &coll)) < 0)
		return rc;
	if ((rc = code_field(OB_SPREC_SOLID, 5, "fixation", p->fixation, &fix)) < 0)
		return rc;

	/* Warm ischemia runs from vascular clamping to excision: it has no
	 * meaning for a biopsy, aspirate, swab or autopsy, which get N when
	 * nothing was recorded. A recorded time is always used. */
	if (known(p->warm_ischaemia_min))
		warm = ischemia_letter(p->warm_ischaemia_min);
	else if (strcmp(coll, "ZZZ") != 0 && !surgical(coll))
		warm = 'N';
	else
		warm = 'X';
	cold = ischemia_letter(p->cold_ischaemia_min);

	if (t->family == TISSUE_FFPE && (strcmp(fix, "SNP") == 0 || strcmp(fix, "OCT") == 0))
		return ob_error_set(OB_EINVALID,
				    "fixation: '%s' (frozen) contradicts type %s (formalin-fixed)",
				    fix, t->type);
	if (t->family == TISSUE_FROZEN && (strcmp(fix, "NBF") == 0 || strcmp(fix, "FOR") == 0))
		return ob_error_set(OB_EINVALID,
				    "fixation: '%s' (formalin) contradicts type %s (frozen)", fix,
				    t->type);
	/* Snap freezing and OCT embedding have no fixation time. */
	if (strcmp(fix, "SNP") == 0 || strcmp(fix, "OCT") == 0) {
		if (known(p->fixation_min))
			return ob_error_set(OB_EINVALID,
					    "fixation_min: given, but fixation '%s' has no fixation time",
					    fix);
		ftime = 'N';
	} else if (!known(p->fixation_min)) {
		ftime = 'X';
	} else {
		const struct band *b = BAND_OF(fixation_bands, p->fixation_min);

		ftime = b ? b->rt : 'Z';
	}
	if ((rc = storage_letter(p, &store)) < 0)
		return rc;
	if (outlen < OB_SPREC_BUFSIZE)
		return ob_error_set(OB_EINVALID, "out: %zu bytes is too small (need %d)", outlen,
				    OB_SPREC_BUFSIZE);
	snprintf(out, outlen, "%s-%s-%c-%c-%s-%c-%c", t->sprec, coll, warm, cold, fix, ftime,
		 store);
	return 0;
}

static int compute_fluid(const ob_preanalytics *p, const struct type_row *t, char *out,
			 size_t outlen)
{
	const ob_centrifugation *c1 = &p->centrifugation, *c2 = &p->second_centrifugation;
	const char *container;
	char pre, spin1, spin2, post, store;
	int rc;

	if (p->fixation)
		return ob_error_set(OB_EINVALID, "fixation: given for a fluid sample (%s)", t->type);
	if (known(p->fixation_min))
		return ob_error_set(OB_EINVALID, "fixation_min: given for a fluid sample (%s)",
				    t->type);
	if (known(p->warm_ischaemia_min))
		return ob_error_set(OB_EINVALID,
				    "warm_ischaemia_min: given for a fluid sample (%s)", t->type);
	if (known(p->cold_ischaemia_min))
		return ob_error_set(OB_EINVALID,
				    "cold_ischaemia_min: given for a fluid sample (%s)", t->type);
	if ((rc = code_field(OB_SPREC_FLUID, 2, "collection", p->collection, &container)) < 0)
		return rc;
	if (t->family == BLOOD_SPUN && c1->done == 0)
		return ob_error_set(OB_EINVALID,
				    "centrifugation: none, but %s is separated by centrifugation",
				    t->type);
	if (c2->done == 1 && c1->done == 0)
		return ob_error_set(OB_EINVALID,
				    "second_centrifugation: done, but there was no first centrifugation");

	pre = delay_letter(pre_bands, sizeof pre_bands / sizeof pre_bands[0],
			   p->precentrifugation_min, p->precentrifugation_temp);
	spin1 = spin_letter(c1, true);
	/* No first spin means no second one either. */
	spin2 = c1->done == 0 ? 'N' : spin_letter(c2, false);
	if (c1->done == 0) {
		if (known(p->postcentrifugation_min) || p->postcentrifugation_temp != OB_TEMP_UNKNOWN)
			return ob_error_set(OB_EINVALID,
					    "postcentrifugation: given, but there was no centrifugation");
		post = 'N';
	} else {
		post = delay_letter(post_bands, sizeof post_bands / sizeof post_bands[0],
				    p->postcentrifugation_min, p->postcentrifugation_temp);
	}
	if ((rc = storage_letter(p, &store)) < 0)
		return rc;
	if (outlen < OB_SPREC_BUFSIZE)
		return ob_error_set(OB_EINVALID, "out: %zu bytes is too small (need %d)", outlen,
				    OB_SPREC_BUFSIZE);
	snprintf(out, outlen, "%s-%s-%c-%c-%c-%c-%c", ob_sprec_sample_type(t->type, p), container,
		 pre, spin1, spin2, post, store);
	return 0;
}

int ob_sprec_compute(const ob_preanalytics *p, char *out, size_t outlen)
{
	const struct type_row *t;
	int rc;

	assert(p && out);
	if (outlen)
		out[0] = '\0';
	if (!p->type)
		return ob_error_set(OB_EINVALID, "type: missing");
	t = type_row(p->type);
	if (!t)
		return ob_error_set(OB_EINVALID, "type: '%.*s' is not an oncobank specimen type",
				    SHOW_MAX, p->type);
	if (t->family == NUCLEIC)
		return ob_error_set(OB_EINVALID,
				    "type: %s is a nucleic acid; it carries its parent specimen's SPREC",
				    t->type);
	if (t->family == TISSUE_FFPE || t->family == TISSUE_FROZEN)
		rc = compute_solid(p, t, out, outlen);
	else
		rc = compute_fluid(p, t, out, outlen);
	if (rc < 0 && outlen)
		out[0] = '\0';
	/* Every letter above comes from the tables: the result must check. */
	assert(rc < 0 || ob_sprec_check(out, "4.0") == 0);
	return rc;
}
