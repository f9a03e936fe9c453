/*
 * germline_report.c - the germline result as one self-contained HTML page
 * for a genetic counsellor (no script, no external file): a summary of the
 * reportable findings first, then every panel variant with its class, the
 * criteria with their reasons, ClinVar beside it, and for RET the ATA 2015
 * risk category with the guideline's management; the methods and limits at
 * the end. See germline.h.
 */
#include "interp/germline.h"
#include "base/error.h"

#include <math.h>
#include <string.h>

static void esc(ob_buf *o, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': ob_buf_puts(o, "&lt;"); break;
		case '>': ob_buf_puts(o, "&gt;"); break;
		case '&': ob_buf_puts(o, "&amp;"); break;
		case '"': ob_buf_puts(o, "&quot;"); break;
		case '_': ob_buf_putc(o, ' '); break; /* ClinVar writes spaces as '_' */
		default: ob_buf_putc(o, *s);
		}
	}
}

/* esc without turning '_' into a space (criterion labels, HGVS) */
static void esc_raw(ob_buf *o, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '<') ob_buf_puts(o, "&lt;");
		else if (*s == '>') ob_buf_puts(o, "&gt;");
		else if (*s == '&') ob_buf_puts(o, "&amp;");
		else if (*s == '"') ob_buf_puts(o, "&quot;");
		else ob_buf_putc(o, *s);
	}
}

static const char *css_class(int c)
{
	switch (c) {
	case OB_ACMG_PATHOGENIC: return "p";
	case OB_ACMG_LIKELY_PATHOGENIC: return "lp";
	case OB_ACMG_LIKELY_BENIGN: return "lb";
	case OB_ACMG_BENIGN: return "b";
	default: return "vus";
	}
}

static void variant_title(ob_buf *o, const ob_germline_var *v)
{
	esc_raw(o, v->gene);
	ob_buf_puts(o, " ");
	esc_raw(o, v->hgvs_c[0] ? v->hgvs_c : v->key);
	if (v->hgvs_p[0]) {
		ob_buf_puts(o, " (");
		esc_raw(o, v->hgvs_p);
		ob_buf_puts(o, ")");
	}
}

static void ret_block(ob_buf *o, const ob_germline_var *v)
{
	if (v->ret_found) {
		ob_buf_printf(o, "<div class=\"ret\"><b>RET and medullary thyroid cancer (ATA 2015):"
			"</b> codon %d - risk category <b>", v->ret.codon);
		esc_raw(o, v->ret.label);
		ob_buf_puts(o, "</b> (");
		esc_raw(o, v->ret.code);
		ob_buf_puts(o, ").<ul><li>Prophylactic thyroidectomy: ");
		esc_raw(o, v->ret.thyroidectomy);
		ob_buf_puts(o, "</li><li>Screening for pheochromocytoma from: ");
		esc_raw(o, v->ret.pheo);
		ob_buf_puts(o, "</li><li>Screening for hyperparathyroidism from: ");
		esc_raw(o, v->ret.hpth);
		ob_buf_puts(o, "</li></ul><small>Source: Wells SA Jr et al., Revised American Thyroid "
			"Association guidelines for the management of medullary thyroid carcinoma, Thyroid "
			"2015;25:567-610. The category applies to a germline pathogenic RET variant; "
			"timing is decided with the family, the endocrinologist and the surgeon."
			"</small></div>\n");
	} else if (v->ret.note[0]) {
		ob_buf_puts(o, "<div class=\"ret\"><b>RET (ATA 2015):</b> ");
		esc_raw(o, v->ret.note);
		ob_buf_puts(o, "</div>\n");
	}
}

int ob_germline_html(const ob_germline *g, ob_buf *o)
{
	size_t nrep = 0;

	ob_buf_puts(o, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		"<title>Germline report - ");
	esc_raw(o, g->sample[0] ? g->sample : g->input);
	ob_buf_puts(o, "</title><style>\n"
		"body{font-family:sans-serif;max-width:60em;margin:2em auto;color:#222;line-height:1.4}\n"
		"h1{font-size:1.5em}h2{font-size:1.2em;border-bottom:1px solid #ccc}\n"
		"table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3em;"
		"text-align:left;vertical-align:top}th{background:#f3f3f3}\n"
		".cls{font-weight:bold;padding:.1em .4em;border-radius:.3em}\n"
		".p{background:#c62828;color:#fff}.lp{background:#ef6c00;color:#fff}"
		".vus{background:#fdd835}.lb{background:#9ccc65}.b{background:#43a047;color:#fff}\n"
		".off{color:#888}.warn{color:#b71c1c;font-weight:bold}"
		".ret{background:#e3f2fd;padding:.5em;margin:.5em 0}\n"
		".var{border:1px solid #bbb;padding:.6em;margin:1em 0}small{color:#555}\n"
		"</style></head><body>\n<h1>Germline variant report: inherited cancer risk</h1>\n");
	ob_buf_puts(o, "<table><tr><th>Sample</th><td>");
	esc_raw(o, g->sample[0] ? g->sample : "(no sample column)");
	ob_buf_puts(o, "</td></tr><tr><th>Input</th><td>");
	esc_raw(o, g->input);
	ob_buf_puts(o, "</td></tr><tr><th>Panel</th><td>");
	esc_raw(o, g->panel);
	ob_buf_puts(o, ": ");
	esc_raw(o, g->panel_genes);
	ob_buf_puts(o, "</td></tr><tr><th>ClinVar release</th><td>");
	esc_raw(o, g->clinvar_release[0] ? g->clinvar_release : "none imported (PS1/PM5 and "
		"ClinVar comparison not available)");
	ob_buf_puts(o, "</td></tr><tr><th>Population frequency</th><td>INFO/");
	esc_raw(o, g->af_field);
	ob_buf_printf(o, "</td></tr><tr><th>Variants</th><td>%lld records read, %lld alleles, "
		"%lld carried in the panel's genes</td></tr></table>\n",
		(long long)g->records, (long long)g->alleles, (long long)g->in_panel);

	/* summary: P/LP first, then VUS, then the rest */
	ob_buf_puts(o, "<h2>Summary</h2>\n");
	for (size_t i = 0; i < g->nvar; i++)
		nrep += ob_germline_tier(g->var[i].result.cls) > 0;
	if (nrep == 0)
		ob_buf_puts(o, "<p>No pathogenic or likely pathogenic variant was found in the genes of "
			"this panel. This does not exclude an inherited predisposition: see the limits "
			"below.</p>\n");
	else
		ob_buf_printf(o, "<p><b>%zu pathogenic or likely pathogenic variant(s)</b> found; "
			"confirm by an independent method before clinical use.</p>\n", nrep);
	ob_buf_puts(o, "<table><tr><th>Gene</th><th>Variant</th><th>Zygosity</th><th>Class</th>"
		"<th>ClinVar</th><th>Gene-specific risk</th></tr>\n");
	for (int tier = 1; tier >= -1; tier--)
		for (size_t i = 0; i < g->nvar; i++) {
			const ob_germline_var *v = &g->var[i];
			if (ob_germline_tier(v->result.cls) != tier)
				continue;
			ob_buf_puts(o, "<tr><td>");
			esc_raw(o, v->gene);
			ob_buf_printf(o, "</td><td><a href=\"#v%zu\">", i);
			esc_raw(o, v->hgvs_c[0] ? v->hgvs_c : v->key);
			ob_buf_puts(o, " ");
			esc_raw(o, v->hgvs_p);
			ob_buf_puts(o, "</a></td><td>");
			esc_raw(o, !strcmp(v->genotype, "0/1") || !strcmp(v->genotype, "0|1") ||
				!strcmp(v->genotype, "1|0") ? "heterozygous" : !strcmp(v->genotype, "1/1") ||
				!strcmp(v->genotype, "1|1") ? "homozygous" : v->genotype);
			ob_buf_printf(o, "</td><td><span class=\"cls %s\">%s</span></td><td>",
				css_class(v->result.cls), ob_acmg_class_name(v->result.cls));
			if (v->cv_found) {
				esc(o, v->cv.significance);
				ob_buf_printf(o, " (%d star%s)", v->cv.stars, v->cv.stars == 1 ? "" : "s");
				if (v->cv_disagree)
					ob_buf_puts(o, " <span class=\"warn\">differs</span>");
			} else {
				ob_buf_puts(o, "-");
			}
			ob_buf_puts(o, "</td><td>");
			if (v->ret_found) {
				ob_buf_puts(o, "MTC risk (ATA 2015): <b>");
				esc_raw(o, v->ret.label);
				ob_buf_puts(o, "</b>");
			} else {
				ob_buf_puts(o, "-");
			}
			ob_buf_puts(o, "</td></tr>\n");
		}
	ob_buf_puts(o, "</table>\n");
	if (g->have_prs) {
		ob_buf_puts(o, "<h2>Polygenic risk</h2>\n<p>Score ");
		esc_raw(o, g->prs_score_file);
		ob_buf_puts(o, " for ");
		esc_raw(o, g->prs_sample);
		ob_buf_printf(o, ": %.6g (%d score variants used, %d missing calls imputed).",
			g->prs_score, g->prs_used, g->prs_missing);
		if (g->have_prs_risk) {
			ob_buf_printf(o, " In the reference distribution: percentile <b>%.1f</b>, "
				"relative risk %.2f, category <b>", g->prs_percentile, g->prs_relative_risk);
			esc_raw(o, g->prs_category);
			ob_buf_puts(o, "</b>.");
		} else {
			ob_buf_puts(o, " No reference distribution was given: no percentile.");
		}
		ob_buf_puts(o, " <small>A polygenic score adds to, and does not replace, the "
			"classification of the variants above; it is valid only for the population its "
			"reference distribution describes.</small></p>\n");
	}
	ob_buf_puts(o, "<h2>Variants in detail</h2>\n");
	for (size_t i = 0; i < g->nvar; i++) {
		const ob_germline_var *v = &g->var[i];
		ob_buf_printf(o, "<div class=\"var\" id=\"v%zu\"><b>", i);
		variant_title(o, v);
		ob_buf_printf(o, "</b> <span class=\"cls %s\">%s</span><br><small>",
			css_class(v->result.cls), ob_acmg_class_name(v->result.cls));
		esc_raw(o, v->key);
		ob_buf_puts(o, " - ");
		esc_raw(o, v->transcript);
		ob_buf_puts(o, " - ");
		esc_raw(o, v->consequence);
		if (!isnan(v->af))
			ob_buf_printf(o, " - population AF %.3g", v->af);
		ob_buf_puts(o, "</small>\n");
		if (v->result.conflict)
			ob_buf_puts(o, "<p class=\"warn\">Pathogenic and benign criteria are both met: "
				"Uncertain significance by the 2015 rules (evidence contradictory).</p>\n");
		if (v->svi_pm2_rule)
			ob_buf_puts(o, "<p><small>Likely pathogenic by the ClinGen SVI 2020 rule (PVS1 + "
				"PM2_Supporting); the 2015 table alone would say Uncertain significance."
				"</small></p>\n");
		ob_buf_puts(o, "<table><tr><th>Criterion</th><th>Applied</th><th>Why</th>"
			"<th>By</th></tr>\n");
		for (size_t j = 0; j < v->ncrit; j++) {
			const ob_acmg_crit *c = &v->crit[j];
			char lab[32];
			ob_acmg_label(c->code, c->strength, lab, sizeof lab);
			ob_buf_printf(o, "<tr class=\"%s\"><td>", c->strength ? "" : "off");
			esc_raw(o, lab);
			ob_buf_printf(o, "</td><td>%s</td><td>", c->strength ? "yes" : "no");
			esc_raw(o, c->reason);
			ob_buf_puts(o, "</td><td>");
			esc_raw(o, c->source);
			ob_buf_puts(o, "</td></tr>\n");
		}
		if (v->ncrit == 0)
			ob_buf_puts(o, "<tr><td colspan=\"4\">No criterion could be decided from the "
				"available data.</td></tr>\n");
		ob_buf_puts(o, "</table>\n<p>ClinVar: ");
		if (v->cv_found) {
			ob_buf_printf(o, "variation %lld, ", (long long)v->cv.variation_id);
			esc(o, v->cv.significance);
			ob_buf_puts(o, ", ");
			esc(o, v->cv.review_status);
			ob_buf_printf(o, " (%d star%s)", v->cv.stars, v->cv.stars == 1 ? "" : "s");
			if (v->cv.conditions[0]) {
				ob_buf_puts(o, "; conditions: ");
				esc(o, v->cv.conditions);
			}
			if (v->cv_disagree)
				ob_buf_printf(o, ". <span class=\"warn\">ClinVar%s differs from this "
					"classification: review before reporting.</span>", v->cv_expert ?
					"'s expert panel" : "");
		} else {
			ob_buf_puts(o, g->clinvar_release[0] ? "not in the imported release" : "not consulted");
		}
		ob_buf_puts(o, "</p>\n");
		ret_block(o, v);
		ob_buf_puts(o, "</div>\n");
	}
	ob_buf_puts(o, "<h2>Methods and limits</h2>\n<ul>"
		"<li>Classification by the ACMG/AMP 2015 standards (Richards et al., Genet Med "
		"2015;17:405-424), Table 5 combining rules");
	if (!g->strict_2015)
		ob_buf_puts(o, ", with the ClinGen SVI 2020 rule that PVS1 + PM2_Supporting is "
			"Likely pathogenic");
	ob_buf_puts(o, ". Only criteria that data can decide are evaluated automatically (PVS1, PS1, "
		"PM1, PM2, PM4, PM5, PP3, BA1, BS1, BP3, BP4, BP7); segregation, de novo, functional "
		"and phenotype evidence (PS2-PS4, PM3, PM6, PP1, PP4, BS2-BS4, BP2, BP5) need a "
		"reviewer's manual evidence.</li>"
		"<li>Copy-number changes, large rearrangements and variants outside the panel's "
		"genes are not assessed.</li>"
		"<li>A result is for research use until confirmed by an accredited laboratory.</li>"
		"</ul>\n</body></html>\n");
	return o->failed ? ob_error_set(OB_ERROR, "out of memory") : 0;
}
