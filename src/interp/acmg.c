/*
 * acmg.c - ACMG/AMP 2015 criteria, their combination by Table 5 of Richards
 * et al. 2015, and the criteria decided from data (see acmg.h). The rule
 * ids follow the shared table acmg2015_combining_rules.tsv (P.i.a ... LB.ii).
 */
#include "interp/acmg.h"
#include "base/error.h"

#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const struct {
	const char *code;
	int strength;
} criteria[] = {
	{ "PVS1", OB_ACMG_VERY_STRONG },
	{ "PS1", OB_ACMG_STRONG }, { "PS2", OB_ACMG_STRONG }, { "PS3", OB_ACMG_STRONG },
	{ "PS4", OB_ACMG_STRONG },
	{ "PM1", OB_ACMG_MODERATE }, { "PM2", OB_ACMG_MODERATE }, { "PM3", OB_ACMG_MODERATE },
	{ "PM4", OB_ACMG_MODERATE }, { "PM5", OB_ACMG_MODERATE }, { "PM6", OB_ACMG_MODERATE },
	{ "PP1", OB_ACMG_SUPPORTING }, { "PP2", OB_ACMG_SUPPORTING }, { "PP3", OB_ACMG_SUPPORTING },
	{ "PP4", OB_ACMG_SUPPORTING }, { "PP5", OB_ACMG_SUPPORTING },
	{ "BA1", OB_ACMG_STAND_ALONE },
	{ "BS1", OB_ACMG_STRONG }, { "BS2", OB_ACMG_STRONG }, { "BS3", OB_ACMG_STRONG },
	{ "BS4", OB_ACMG_STRONG },
	{ "BP1", OB_ACMG_SUPPORTING }, { "BP2", OB_ACMG_SUPPORTING }, { "BP3", OB_ACMG_SUPPORTING },
	{ "BP4", OB_ACMG_SUPPORTING }, { "BP5", OB_ACMG_SUPPORTING }, { "BP6", OB_ACMG_SUPPORTING },
	{ "BP7", OB_ACMG_SUPPORTING },
};

static void add_rule(char *dst, size_t n, const char *id)
{
	size_t len = strlen(dst);
	snprintf(dst + len, n - len, "%s%s", len ? "," : "", id);
}

void ob_acmg_combine(const ob_acmg_counts *c, ob_acmg_result *out)
{
	char p[64] = "", lp[64] = "", b[32] = "", lb[32] = "";
	int vs = c->pvs, s = c->ps, m = c->pm, pp = c->pp;

	assert(c->pvs >= 0 && c->ps >= 0 && c->pm >= 0 && c->pp >= 0 && c->ba >= 0 &&
	       c->bs >= 0 && c->bp >= 0);
	memset(out, 0, sizeof *out);
	/* Table 5, Pathogenic (i a-d, ii, iii a-c) */
	if (vs >= 1 && s >= 1) add_rule(p, sizeof p, "P.i.a");
	if (vs >= 1 && m >= 2) add_rule(p, sizeof p, "P.i.b");
	if (vs >= 1 && m == 1 && pp >= 1) add_rule(p, sizeof p, "P.i.c");
	if (vs >= 1 && pp >= 2) add_rule(p, sizeof p, "P.i.d");
	if (s >= 2) add_rule(p, sizeof p, "P.ii");
	if (s == 1 && m >= 3) add_rule(p, sizeof p, "P.iii.a");
	if (s == 1 && m == 2 && pp >= 2) add_rule(p, sizeof p, "P.iii.b");
	if (s == 1 && m == 1 && pp >= 4) add_rule(p, sizeof p, "P.iii.c");
	/* Likely pathogenic (i-vi) */
	if (vs >= 1 && m == 1) add_rule(lp, sizeof lp, "LP.i");
	if (s == 1 && m >= 1 && m <= 2) add_rule(lp, sizeof lp, "LP.ii");
	if (s == 1 && pp >= 2) add_rule(lp, sizeof lp, "LP.iii");
	if (m >= 3) add_rule(lp, sizeof lp, "LP.iv");
	if (m == 2 && pp >= 2) add_rule(lp, sizeof lp, "LP.v");
	if (m == 1 && pp >= 4) add_rule(lp, sizeof lp, "LP.vi");
	/* Benign (i-ii), Likely benign (i-ii) */
	if (c->ba >= 1) add_rule(b, sizeof b, "B.i");
	if (c->bs >= 2) add_rule(b, sizeof b, "B.ii");
	if (c->bs == 1 && c->bp >= 1) add_rule(lb, sizeof lb, "LB.i");
	if (c->bp >= 2) add_rule(lb, sizeof lb, "LB.ii");

	out->path_side = p[0] ? OB_ACMG_PATHOGENIC : lp[0] ? OB_ACMG_LIKELY_PATHOGENIC : OB_ACMG_VUS;
	out->benign_side = b[0] ? OB_ACMG_BENIGN : lb[0] ? OB_ACMG_LIKELY_BENIGN : OB_ACMG_VUS;
	snprintf(out->path_rules, sizeof out->path_rules, "%s", p[0] ? p : lp);
	snprintf(out->benign_rules, sizeof out->benign_rules, "%s", b[0] ? b : lb);
	if (out->path_side != OB_ACMG_VUS && out->benign_side != OB_ACMG_VUS) {
		out->conflict = 1;
		out->cls = OB_ACMG_VUS;
	} else if (out->path_side != OB_ACMG_VUS) {
		out->cls = out->path_side;
	} else {
		out->cls = out->benign_side;
	}
}

const char *ob_acmg_class_name(ob_acmg_class c)
{
	switch (c) {
	case OB_ACMG_PATHOGENIC: return "Pathogenic";
	case OB_ACMG_LIKELY_PATHOGENIC: return "Likely pathogenic";
	case OB_ACMG_LIKELY_BENIGN: return "Likely benign";
	case OB_ACMG_BENIGN: return "Benign";
	case OB_ACMG_VUS: break;
	}
	return "Uncertain significance";
}

const char *ob_acmg_strength_name(int s)
{
	static const char *names[] = { "off", "Supporting", "Moderate", "Strong", "VeryStrong",
	                               "StandAlone" };
	return s >= 0 && s <= OB_ACMG_STAND_ALONE ? names[s] : "?";
}

int ob_acmg_default_strength(const char *code, int *benign)
{
	for (size_t i = 0; i < sizeof criteria / sizeof criteria[0]; i++)
		if (!strcasecmp(code, criteria[i].code)) {
			if (benign)
				*benign = criteria[i].code[0] == 'B';
			return criteria[i].strength;
		}
	return OB_ACMG_OFF;
}

int ob_acmg_parse_strength(const char *w, int *strength)
{
	static const struct { const char *w; int s; } words[] = {
		{ "supporting", OB_ACMG_SUPPORTING }, { "supp", OB_ACMG_SUPPORTING },
		{ "moderate", OB_ACMG_MODERATE }, { "mod", OB_ACMG_MODERATE },
		{ "strong", OB_ACMG_STRONG }, { "str", OB_ACMG_STRONG },
		{ "verystrong", OB_ACMG_VERY_STRONG }, { "very_strong", OB_ACMG_VERY_STRONG },
		{ "very strong", OB_ACMG_VERY_STRONG },
		{ "standalone", OB_ACMG_STAND_ALONE }, { "stand-alone", OB_ACMG_STAND_ALONE },
		{ "stand_alone", OB_ACMG_STAND_ALONE },
		{ "off", OB_ACMG_OFF }, { "none", OB_ACMG_OFF }, { "not_met", OB_ACMG_OFF },
	};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (!strcasecmp(w, words[i].w)) {
			*strength = words[i].s;
			return 0;
		}
	return ob_error_set(OB_EINVALID, "strength '%s': expected Supporting, Moderate, Strong, "
		"VeryStrong, StandAlone or off", w);
}

int ob_acmg_parse_label(const char *label, char code[8], int *strength)
{
	const char *us = strchr(label, '_');
	size_t n = us ? (size_t)(us - label) : strlen(label);
	int benign = 0, def;

	if (n == 0 || n >= 8)
		return ob_error_set(OB_EINVALID, "criterion '%s': not an ACMG/AMP criterion", label);
	memcpy(code, label, n);
	code[n] = '\0';
	for (size_t i = 0; i < n; i++)
		code[i] = (char)(code[i] >= 'a' && code[i] <= 'z' ? code[i] - 32 : code[i]);
	if (!(def = ob_acmg_default_strength(code, &benign)))
		return ob_error_set(OB_EINVALID, "criterion '%s': not an ACMG/AMP criterion", label);
	*strength = def;
	if (us && ob_acmg_parse_strength(us + 1, strength) < 0)
		return ob_error_set(OB_EINVALID, "criterion '%s': unknown strength '%s'", label, us + 1);
	if (*strength == OB_ACMG_STAND_ALONE && strcmp(code, "BA1"))
		return ob_error_set(OB_EINVALID, "criterion '%s': only BA1 is stand-alone", label);
	if (!strcmp(code, "BA1") && *strength != OB_ACMG_STAND_ALONE && *strength != OB_ACMG_OFF)
		return ob_error_set(OB_EINVALID, "criterion '%s': BA1 is stand-alone only", label);
	return 0;
}

void ob_acmg_label(const char *code, int strength, char *out, size_t n)
{
	if (strength == ob_acmg_default_strength(code, NULL) || strength == OB_ACMG_OFF)
		snprintf(out, n, "%s", code);
	else
		snprintf(out, n, "%s_%s", code, ob_acmg_strength_name(strength));
}

void ob_acmg_count(const ob_acmg_crit *crit, size_t n, ob_acmg_counts *out)
{
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < n; i++) {
		int s = crit[i].strength;
		if (s == OB_ACMG_OFF)
			continue;
		if (crit[i].code[0] == 'B') {
			if (s == OB_ACMG_STAND_ALONE)
				out->ba++;
			else if (s >= OB_ACMG_STRONG)
				out->bs++;
			else
				out->bp++; /* Supporting, and Moderate (no benign Moderate column) */
		} else {
			if (s >= OB_ACMG_VERY_STRONG)
				out->pvs++;
			else if (s == OB_ACMG_STRONG)
				out->ps++;
			else if (s == OB_ACMG_MODERATE)
				out->pm++;
			else
				out->pp++;
		}
	}
}

int ob_acmg_points(const ob_acmg_crit *crit, size_t n)
{
	static const int pts[] = { 0, 1, 2, 4, 8, 8 };
	int sum = 0;
	for (size_t i = 0; i < n; i++) {
		int s = crit[i].strength;
		if (s < 0 || s > OB_ACMG_STAND_ALONE)
			continue;
		sum += crit[i].code[0] == 'B' ? -pts[s] : pts[s];
	}
	return sum;
}

int ob_acmg_set(ob_acmg_crit *crit, size_t *n, size_t cap, const char *code, int strength,
	const char *source, const char *reason)
{
	size_t i;
	for (i = 0; i < *n; i++)
		if (!strcmp(crit[i].code, code))
			break;
	if (i == *n) {
		if (*n >= cap)
			return ob_error_set(OB_ETOOBIG, "too many criteria for one variant");
		(*n)++;
	}
	snprintf(crit[i].code, sizeof crit[i].code, "%s", code);
	crit[i].strength = strength;
	snprintf(crit[i].source, sizeof crit[i].source, "%s", source);
	snprintf(crit[i].reason, sizeof crit[i].reason, "%s", reason);
	return 0;
}

/* ---- evaluation from data ------------------------------------------- */

/* True when the '&'-joined SO term list cons holds term. */
static int has_term(const char *cons, const char *term)
{
	size_t n = strlen(term);
	for (const char *p = cons; p && *p;) {
		const char *e = strchr(p, '&');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == n && !strncmp(p, term, n))
			return 1;
		p = e ? e + 1 : NULL;
	}
	return 0;
}

typedef struct out_list {
	ob_acmg_crit *c;
	size_t n, cap;
} out_list;

static void put(out_list *o, const char *code, int strength, const char *source,
	const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void put(out_list *o, const char *code, int strength, const char *source,
	const char *fmt, ...)
{
	va_list ap;
	if (o->n >= o->cap)
		return;
	ob_acmg_crit *c = &o->c[o->n++];
	snprintf(c->code, sizeof c->code, "%s", code);
	c->strength = strength;
	snprintf(c->source, sizeof c->source, "%s", source);
	va_start(ap, fmt);
	vsnprintf(c->reason, sizeof c->reason, fmt, ap);
	va_end(ap);
}

static void eval_pvs1(const ob_acmg_facts *f, const ob_acmg_gene *g, out_list *o)
{
	const char *c = f->consequence;
	int trunc = has_term(c, "stop_gained") || has_term(c, "frameshift_variant");
	int splice = has_term(c, "splice_acceptor_variant") || has_term(c, "splice_donor_variant");
	int start = has_term(c, "start_lost");

	if (!trunc && !splice && !start)
		return;
	if (!g || !g->lof_mechanism) {
		put(o, "PVS1", OB_ACMG_OFF, "data", "null variant, but %s is not a gene where loss of "
			"function is an established disease mechanism%s%s", f->gene,
			g && g->mechanism_note && *g->mechanism_note ? ": " : "",
			g && g->mechanism_note ? g->mechanism_note : "");
		return;
	}
	if (start) {
		if (f->have_clinvar && f->cv.start_path > 0)
			put(o, "PVS1", OB_ACMG_MODERATE, "data", "start lost; ClinVar has %d other "
				"pathogenic change(s) of the initiation codon (ClinGen SVI: PVS1_Moderate)",
				f->cv.start_path);
		else
			put(o, "PVS1", OB_ACMG_SUPPORTING, "data", "start lost; no pathogenic variant "
				"upstream of the next in-frame start known (ClinGen SVI: PVS1_Supporting)");
		return;
	}
	if (splice) {
		if (f->intron > 0 && f->intron_count > 0 && f->intron == f->intron_count)
			put(o, "PVS1", OB_ACMG_STRONG, "data", "canonical splice site of the last intron "
				"(%d/%d): the altered transcript may escape NMD (ClinGen SVI: PVS1_Strong)",
				f->intron, f->intron_count);
		else
			put(o, "PVS1", OB_ACMG_VERY_STRONG, "data", "canonical +/-1,2 splice site%s; "
				"exon skipping presumed to disrupt the reading frame and cause NMD",
				f->intron > 0 ? " (not the last intron)" : "");
		return;
	}
	/* nonsense or frameshift */
	const char *what = has_term(c, "stop_gained") ? "nonsense" : "frameshift";
	int escape = f->nmd_escape;
	if (escape < 0 && f->exon > 0 && f->exon_count > 0 && f->exon == f->exon_count)
		escape = 1;
	if (escape == 1) {
		if (f->protein_len > 0 && f->protein_pos > 0) {
			double removed = 1.0 - (double)(f->protein_pos - 1) / f->protein_len;
			if (removed > 0.10)
				put(o, "PVS1", OB_ACMG_STRONG, "data", "%s predicted to escape NMD (last exon "
					"or last 50 nt of the penultimate); removes %.0f%% (>10%%) of the protein "
					"(ClinGen SVI: PVS1_Strong)", what, removed * 100);
			else
				put(o, "PVS1", OB_ACMG_MODERATE, "data", "%s predicted to escape NMD; removes "
					"%.0f%% (<=10%%) of the protein (ClinGen SVI: PVS1_Moderate)", what,
					removed * 100);
		} else {
			put(o, "PVS1", OB_ACMG_MODERATE, "data", "%s predicted to escape NMD (last exon "
				"or last 50 nt of the penultimate); share of the protein removed unknown "
				"(ClinGen SVI: PVS1_Moderate at most)", what);
		}
		return;
	}
	if (escape < 0)
		put(o, "PVS1", OB_ACMG_VERY_STRONG, "data", "%s in exon %d of %d, predicted NMD (the "
			"last-50-nt rule of the penultimate exon was not checked: no gene model)", what,
			f->exon, f->exon_count);
	else
		put(o, "PVS1", OB_ACMG_VERY_STRONG, "data", "%s in exon %d of %d, before the last 50 nt "
			"of the penultimate exon: predicted NMD in a loss-of-function gene", what, f->exon,
			f->exon_count);
}

static int freq_above(double af, double t, int gte)
{
	return gte ? af >= t : af > t;
}

static void eval_freq(const ob_acmg_facts *f, const ob_acmg_gene *g, out_list *o)
{
	static const ob_acmg_gene dflt = { "*", 0, NULL, 0.05, 0.01, 0.0001, 0, 0,
	                                   "oncobank default (BA1: Ghosh 2018)" };
	const ob_acmg_gene *t = g && g->freq_source ? g : &dflt;

	if (!f->have_af) {
		put(o, "PM2", OB_ACMG_OFF, "data", "no population frequency: the input has no INFO/%s",
			f->af_field);
		return;
	}
	if (isnan(f->af)) {
		put(o, "PM2", OB_ACMG_SUPPORTING, "data", "absent from the population data (no %s) "
			"(ClinGen SVI 2020: PM2 at Supporting)", f->af_field);
		return;
	}
	if (freq_above(f->af, t->ba1, t->ba1_gte)) {
		put(o, "BA1", OB_ACMG_STAND_ALONE, "data", "%s=%g %s %g (%s)", f->af_field, f->af,
			t->ba1_gte ? ">=" : ">", t->ba1, t->freq_source);
		return;
	}
	if (freq_above(f->af, t->bs1, t->bs1_gte)) {
		put(o, "BS1", OB_ACMG_STRONG, "data", "%s=%g %s %g, greater than expected for the "
			"disorder (%s)", f->af_field, f->af, t->bs1_gte ? ">=" : ">", t->bs1, t->freq_source);
		return;
	}
	if (f->af <= t->pm2)
		put(o, "PM2", OB_ACMG_SUPPORTING, "data", "%s=%g <= %g: extremely rare (%s; PM2 at "
			"Supporting per ClinGen SVI 2020)", f->af_field, f->af, t->pm2, t->freq_source);
	else
		put(o, "PM2", OB_ACMG_OFF, "data", "%s=%g: above the rarity cut-off %g, below BS1 %g",
			f->af_field, f->af, t->pm2, t->bs1);
}

static void eval_revel(const ob_acmg_facts *f, out_list *o)
{
	double r = f->revel;
	if (isnan(r) || !has_term(f->consequence, "missense_variant"))
		return;
	/* Pejaver et al. 2022 calibrated REVEL thresholds */
	if (r >= 0.932)
		put(o, "PP3", OB_ACMG_STRONG, "data", "REVEL %.3f >= 0.932 (Pejaver 2022: PP3_Strong)", r);
	else if (r >= 0.773)
		put(o, "PP3", OB_ACMG_MODERATE, "data", "REVEL %.3f >= 0.773 (Pejaver 2022: PP3_Moderate)", r);
	else if (r >= 0.644)
		put(o, "PP3", OB_ACMG_SUPPORTING, "data", "REVEL %.3f >= 0.644 (Pejaver 2022: PP3)", r);
	else if (r <= 0.016)
		put(o, "BP4", OB_ACMG_STRONG, "data", "REVEL %.3f <= 0.016 (Pejaver 2022: BP4_Strong)", r);
	else if (r <= 0.183)
		put(o, "BP4", OB_ACMG_MODERATE, "data", "REVEL %.3f <= 0.183 (Pejaver 2022: BP4_Moderate, "
			"counted as Supporting by Table 5)", r);
	else if (r <= 0.290)
		put(o, "BP4", OB_ACMG_SUPPORTING, "data", "REVEL %.3f <= 0.290 (Pejaver 2022: BP4)", r);
	else
		put(o, "PP3", OB_ACMG_OFF, "data", "REVEL %.3f between 0.290 and 0.644: no in-silico "
			"evidence either way", r);
}

size_t ob_acmg_evaluate(const ob_acmg_facts *f, const ob_acmg_gene *g,
	const ob_acmg_region *reg, size_t nreg, ob_acmg_crit *crit, size_t cap)
{
	out_list o = { crit, 0, cap };
	const char *c = f->consequence ? f->consequence : "";
	int missense = has_term(c, "missense_variant");
	int inframe = has_term(c, "inframe_insertion") || has_term(c, "inframe_deletion") ||
		has_term(c, "disruptive_inframe_insertion") || has_term(c, "disruptive_inframe_deletion") ||
		has_term(c, "inframe_indel");

	eval_pvs1(f, g, &o);

	if (missense && f->have_clinvar) {
		if (f->cv.same_aa_path > 0)
			put(&o, "PS1", OB_ACMG_STRONG, "clinvar", "same amino-acid change as %d pathogenic "
				"ClinVar record(s) with another nucleotide change (%s)", f->cv.same_aa_path,
				f->cv.same_aa_example);
		if (f->cv.residue_path > 0)
			put(&o, "PM5", OB_ACMG_MODERATE, "clinvar", "another missense change at residue "
				"%d is pathogenic in ClinVar (%d record(s), e.g. %s)", f->protein_pos,
				f->cv.residue_path, f->cv.residue_example);
	}

	if (missense && f->protein_pos > 0) {
		for (size_t i = 0; i < nreg; i++)
			if (!strcmp(reg[i].gene, f->gene) && f->protein_pos >= reg[i].beg &&
			    f->protein_pos <= reg[i].end) {
				put(&o, "PM1", reg[i].strength, "data", "residue %d lies in %s (%s)",
					f->protein_pos, reg[i].what, reg[i].source);
				break;
			}
	}

	eval_freq(f, g, &o);

	if (inframe || has_term(c, "stop_lost")) {
		const char *what = inframe ? "in-frame length change" : "stop loss";
		if (f->repeat == 1)
			put(&o, "BP3", OB_ACMG_SUPPORTING, "data", "%s inside a repeat region", what);
		else if (f->repeat == 0)
			put(&o, "PM4", OB_ACMG_MODERATE, "data", "%s outside repeat regions", what);
		else
			put(&o, "PM4", OB_ACMG_MODERATE, "data", "%s (repeat context not checked: no "
				"reference sequence)", what);
	}

	eval_revel(f, &o);

	if (has_term(c, "synonymous_variant")) {
		if (has_term(c, "splice_region_variant"))
			put(&o, "BP7", OB_ACMG_OFF, "data", "synonymous but in a splice region");
		else
			put(&o, "BP7", OB_ACMG_SUPPORTING, "data", "synonymous, outside the splice "
				"region (conservation not assessed)");
	}
	return o.n;
}
