/*
 * somatic_report.c - the clinician's HTML report of a somatic
 * interpretation (somatic.h): one self-contained page (inline CSS, no
 * script, no external resource) with the patient and specimen identifiers,
 * a summary table of the actionable biomarkers (VAF, best tier), drugs by
 * tier for the tumour's own type, resistance, evidence from other tumour
 * types, TMB and MSI, the knowledge-base version and the method's limits.
 * Every text from the input or the knowledge base is HTML-escaped.
 */
#include "interp/somatic.h"
#include "base/error.h"

#include <stdio.h>
#include <string.h>

static int cell(ob_buf *o, const char *s)
{
	int rc = ob_buf_puts(o, "<td>");
	rc |= ob_buf_html(o, s && *s ? s : "-");
	return rc | ob_buf_puts(o, "</td>");
}

static const char css[] =
	"body{font-family:sans-serif;margin:2em;color:#111;max-width:70em}"
	"h1{font-size:1.4em}h2{font-size:1.15em;border-bottom:1px solid #999;margin-top:1.6em}"
	"table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #bbb;padding:.25em .6em;"
	"text-align:left;vertical-align:top}th{background:#eee}.res{color:#a00;font-weight:bold}"
	".off{color:#555}.small{font-size:.85em;color:#444}dl{display:grid;grid-template-columns:"
	"max-content auto;gap:.2em 1em}dt{font-weight:bold}";

static const char *const tiers[] = { "I-A", "I-B", "II-C", "II-D", "III", "IV", NULL };

static int tier_index(const char *l)
{
	int i;
	for (i = 0; tiers[i]; i++)
		if (l && !strcmp(l, tiers[i]))
			break;
	return i;
}

/* The rows of evidence of one kind: effect, own type (1) or another (0),
 * grouped by reported tier (I-A first), biomarkers in their order. */
static int ev_rows(ob_buf *o, const ob_somatic *s, int effect, int own, int *count)
{
	int rc = 0;
	for (int t = 0; t <= 6; t++)
	for (size_t i = 0; i < s->nbm; i++) {
		const ob_som_biomarker *b = &s->bm[i];
		for (size_t k = 0; k < b->nev; k++) {
			const ob_som_evidence *e = &b->ev[k];
			if (e->row->effect != effect || (e->distance >= 0) != own ||
			    tier_index(e->level) != t)
				continue;
			(*count)++;
			rc |= ob_buf_puts(o, "<tr>");
			rc |= cell(o, e->level);
			rc |= ob_buf_puts(o, effect == OB_KB_RESISTANCE ? "<td class=\"res\">" : "<td>");
			rc |= ob_buf_html(o, e->row->drugs);
			rc |= ob_buf_puts(o, "</td>");
			rc |= ob_buf_puts(o, "<td>");
			rc |= ob_buf_html(o, b->gene[0] ? b->gene : "");
			rc |= ob_buf_puts(o, b->gene[0] ? " " : "");
			rc |= ob_buf_html(o, b->alteration);
			rc |= ob_buf_puts(o, "</td>");
			if (e->row->tumor_type[0] == '!') {
				char but[96];
				snprintf(but, sizeof but, "any tumour type but %s", e->row->tumor_type + 1);
				rc |= cell(o, but);
			} else {
				rc |= cell(o, e->row->tumor_type[0] ? e->row->tumor_type : "any tumour type");
			}
			rc |= cell(o, e->row->amp_level);
			rc |= cell(o, e->row->oncokb_level);
			rc |= cell(o, e->row->sources);
			rc |= ob_buf_puts(o, "</tr>\n");
		}
	}
	return rc;
}

static int ev_table(ob_buf *o, const ob_somatic *s, const char *title, int effect, int own)
{
	int rc = 0, count = 0;
	size_t mark;
	rc |= ob_buf_printf(o, "<h2>%s</h2>\n", title);
	mark = o->len;
	rc |= ob_buf_puts(o, "<table><tr><th>Level</th><th>Drug(s)</th><th>Biomarker</th>"
		"<th>Evidence tumour type</th><th>KB level</th><th>OncoKB level</th><th>Sources</th>"
		"</tr>\n");
	rc |= ev_rows(o, s, effect, own, &count);
	rc |= ob_buf_puts(o, "</table>\n");
	if (!count && !rc) {
		o->len = mark;
		o->s[mark] = 0;
		rc |= ob_buf_puts(o, "<p>None.</p>\n");
	}
	return rc;
}

int ob_somatic_html(const ob_somatic *s, ob_buf *o)
{
	int rc = 0;

	rc |= ob_buf_puts(o, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		"<title>Somatic interpretation");
	if (s->o.specimen) {
		rc |= ob_buf_puts(o, " - ");
		rc |= ob_buf_html(o, s->o.specimen);
	}
	rc |= ob_buf_printf(o, "</title><style>%s</style></head><body>\n", css);
	rc |= ob_buf_puts(o, "<h1>Somatic interpretation: targeted-drug susceptibility</h1>\n<dl>");
	rc |= ob_buf_puts(o, "<dt>Patient</dt><dd>");
	rc |= ob_buf_html(o, s->o.patient ? s->o.patient : "not given");
	rc |= ob_buf_puts(o, "</dd><dt>Specimen</dt><dd>");
	rc |= ob_buf_html(o, s->o.specimen ? s->o.specimen : "not given");
	rc |= ob_buf_puts(o, "</dd><dt>Tumour type</dt><dd>");
	rc |= ob_buf_html(o, s->tumor_type);
	rc |= ob_buf_puts(o, " (");
	rc |= ob_buf_html(o, s->tumor_name);
	rc |= ob_buf_puts(o, ", OncoTree)</dd><dt>Variant file</dt><dd>");
	rc |= ob_buf_html(o, s->input);
	rc |= ob_buf_puts(o, "; sample ");
	rc |= ob_buf_html(o, s->sample[0] ? s->sample : "none (VAF unknown)");
	rc |= ob_buf_printf(o, "; %lld records, %lld PASS, %lld filtered</dd>",
		(long long)s->records, (long long)s->passed, (long long)s->filtered);
	rc |= ob_buf_puts(o, "<dt>Knowledge base</dt><dd>");
	rc |= ob_buf_html(o, s->kb_version);
	rc |= ob_buf_puts(o, "</dd></dl>\n");

	rc |= ob_buf_puts(o, "<h2>Actionable biomarkers</h2>\n");
	if (!s->nbm) {
		rc |= ob_buf_puts(o, "<p>No biomarker of this tumour matched the knowledge base.</p>\n");
	} else {
		rc |= ob_buf_puts(o, "<table><tr><th>Gene</th><th>Alteration</th><th>Best tier</th>"
			"<th>VAF</th><th>Transcript / HGVS</th><th>Evidence for</th></tr>\n");
		for (size_t i = 0; i < s->nbm; i++) {
			const ob_som_biomarker *b = &s->bm[i];
			char vaf[32] = "-", tx[200] = "";
			if (b->vaf >= 0)
				snprintf(vaf, sizeof vaf, "%.1f%%", 100 * b->vaf);
			else if (b->value >= 0)
				snprintf(vaf, sizeof vaf, "value %.3g", b->value);
			if (b->pos)
				snprintf(tx, sizeof tx, "%s %s (%s)", b->transcript, b->hgvs_c,
					b->transcript_choice);
			rc |= ob_buf_puts(o, "<tr>");
			rc |= cell(o, b->gene);
			rc |= cell(o, b->alteration);
			rc |= cell(o, b->tier);
			rc |= cell(o, vaf);
			rc |= cell(o, tx);
			rc |= cell(o, b->own_type ? "this tumour type" : "other tumour types only");
			rc |= ob_buf_puts(o, "</tr>\n");
		}
		rc |= ob_buf_puts(o, "</table>\n");
	}
	rc |= ev_table(o, s, "Drugs for this tumour type, by tier", OB_KB_SENSITIVITY, 1);
	rc |= ev_table(o, s, "Resistance", OB_KB_RESISTANCE, 1);
	rc |= ev_table(o, s, "Evidence from other tumour types (off-label)", OB_KB_SENSITIVITY, 0);
	rc |= ev_table(o, s, "Resistance in other tumour types", OB_KB_RESISTANCE, 0);

	rc |= ob_buf_puts(o, "<h2>Tumour mutational burden and microsatellite status</h2>\n<p>");
	if (s->tmb >= 0)
		rc |= ob_buf_printf(o, "TMB %.2f mutations/Mb (%lld coding non-synonymous PASS "
			"variants over %g Mb): <b>%s</b> (threshold %g mut/Mb).", s->tmb,
			(long long)s->tmb_count, s->o.panel_size_mb, s->tmb_high ? "TMB-high" : "not high",
			s->o.tmb_high);
	else
		rc |= ob_buf_puts(o, "TMB not computed (panel size not given).");
	rc |= ob_buf_printf(o, " MSI: <b>%s</b>", s->msi_status == 1 ? "MSI-high" :
		s->msi_status == 2 ? "stable" : "not given");
	if (s->msi_score >= 0)
		rc |= ob_buf_printf(o, " (score %.3g; threshold %g)", s->msi_score, s->o.msi_score_high);
	rc |= ob_buf_puts(o, ".</p>\n<h2>Limits of the method</h2>\n<ul>");
	for (int i = 0; ob_somatic_limits[i]; i++) {
		rc |= ob_buf_puts(o, "<li>");
		rc |= ob_buf_html(o, ob_somatic_limits[i]);
		rc |= ob_buf_puts(o, "</li>");
	}
	rc |= ob_buf_puts(o, "</ul>\n<p class=\"small\">Levels: AMP/ASCO/CAP 2017 (Li MM et al., "
		"J Mol Diagn 2017;19:4-23). Tumour types: OncoTree, Memorial Sloan Kettering Cancer "
		"Center (CC BY 4.0). Generated by oncobank somatic.</p>\n</body></html>\n");
	return rc ? ob_error_set(OB_ERROR, "out of memory") : 0;
}
