/*
 * seqreport.c - the report of a stored sequencing result (see seqreport.h):
 * the specimen's identity and pre-analytical quality above the somatic or
 * germline interpretation of its VCF.
 */
#include "interp/seqreport.h"
#include "bank/sequencing.h"
#include "bank/specimen.h"
#include "base/error.h"
#include "genomics/annotate.h"
#include "genomics/gff.h"
#include "interp/germline.h"
#include "interp/kb.h"
#include "interp/somatic.h"
#include "view/view.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One flag: text is plain (escaped for HTML, quoted for JSON). */
static int flag(ob_buf *out, int html, int *n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int flag(ob_buf *out, int html, int *n, const char *fmt, ...)
{
	char text[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	if (html) {
		int rc = ob_buf_puts(out, "<li>");
		rc |= ob_buf_html(out, text);
		return rc | ob_buf_puts(out, "</li>\n");
	}
	if (*n && ob_buf_putc(out, ',') < 0)
		return OB_ERROR;
	(*n)++;
	return ob_buf_json_str(out, text);
}

int ob_seqreport_flags(const ob_specimen_full *sp, const ob_specimen_full *pr, int html,
                       ob_buf *out)
{
	const ob_specimen *s = &sp->r, *tissue = pr ? &pr->r : &sp->r;
	int n = 0, rc = 0;
	double v;

	if (!html)
		rc |= ob_buf_putc(out, '[');
	if (!isnan(v = s->din) && v < 4.0)
		rc |= flag(out, html, &n, "DNA integrity number %.1f is below 4: degraded DNA gives"
			" uneven coverage and artefactual low-frequency calls", v);
	if (!isnan(v = s->rin) && v < 5.0)
		rc |= flag(out, html, &n, "RNA integrity number %.1f is below 5: fusion and"
			" expression results may be unreliable", v);
	if (!isnan(v = s->a260_280) && (v < 1.7 || v > 2.1))
		rc |= flag(out, html, &n, "A260/280 ratio %.2f is outside 1.7 to 2.1: the extract"
			" may carry protein or reagent contamination", v);
	if (s->freeze_thaw >= 3)
		rc |= flag(out, html, &n, "%.0f freeze-thaw cycles recorded for the sequenced"
			" specimen", (double)s->freeze_thaw);
	const char *type = tissue->type;
	if (type && !strcmp(ob_specimen_type_class(type) ? ob_specimen_type_class(type) : "",
		"tissue")) {
		if (!isnan(v = tissue->tumour_pct) && v < 20)
			rc |= flag(out, html, &n, "tumour content %.0f%% is below 20%%: somatic"
				" variants below about 10%% allele fraction may be missed", v);
		else if (isnan(v))
			rc |= flag(out, html, &n, "tumour content of the tissue was not recorded");
		if (!isnan(v = tissue->cold_ischaemia_min) && v > 60)
			rc |= flag(out, html, &n, "cold ischaemia time %.0f min exceeds 60 min", v);
		if (!isnan(v = tissue->fixation_min) && (v < 360 || v > 4320))
			rc |= flag(out, html, &n, "formalin fixation %.0f h is outside 6 to 72 h:"
				" under- or over-fixation damages nucleic acids", v / 60);
	}
	if (!html)
		rc |= ob_buf_putc(out, ']');
	return rc < 0 ? ob_error_set(OB_ERROR, "out of memory") : 0;
}

static int row(ob_buf *o, const char *k, const char *v)
{
	int rc = ob_buf_puts(o, "<dt>");
	rc |= ob_buf_html(o, k);
	rc |= ob_buf_puts(o, "</dt><dd>");
	rc |= ob_buf_html(o, v && *v ? v : "not recorded");
	return rc | ob_buf_puts(o, "</dd>");
}

/* The "Specimen and pre-analytical quality" section. */
static int quality_html(const ob_seq *r, const ob_specimen_full *spf,
                        const ob_specimen_full *prf, ob_buf *o)
{
	const ob_specimen *sp = &spf->r, *pr = prf ? &prf->r : NULL;
	const ob_specimen_full *src = prf ? prf : spf;
	char t[1024];
	int rc = ob_buf_puts(o, "<section class=\"preanalytical\"><style>"
		"section.preanalytical dl{display:grid;grid-template-columns:max-content auto;"
		"gap:.2em 1em}section.preanalytical dt{font-weight:bold}section.preanalytical dd"
		"{margin:0}</style><h2>Specimen and pre-analytical quality</h2>\n<dl>");

	rc |= row(o, "Sequenced specimen", r->specimen);
	rc |= row(o, "Donor", r->donor);
	snprintf(t, sizeof t, "%s at %s", sp->type ? sp->type : "?", r->site);
	rc |= row(o, "Type and site", t);
	if (pr) {
		snprintf(t, sizeof t, "%.64s (%.32s, collected %.32s)", pr->barcode,
			pr->type ? pr->type : "?", pr->collected_at ? pr->collected_at : "?");
		rc |= row(o, "Derived from", t);
	}
	rc |= row(o, "SPREC", src->r.sprec);
	if (src->sprec_ok) {
		rc |= ob_buf_puts(o, "<dt>SPREC in words</dt><dd>");
		for (int i = 0; i < OB_SPREC_NELEM; i++) {
			rc |= ob_buf_puts(o, i ? "; " : "");
			rc |= ob_buf_html(o, src->sprec.element[i].name);
			rc |= ob_buf_puts(o, ": ");
			rc |= ob_buf_html(o, src->sprec.element[i].meaning);
		}
		rc |= ob_buf_puts(o, "</dd>");
	}
	if (!isnan(src->r.tumour_pct)) {
		snprintf(t, sizeof t, "%.0f%%", src->r.tumour_pct);
		rc |= row(o, "Tumour content", t);
	}
	t[0] = '\0';
	if (!isnan(sp->concentration))
		snprintf(t + strlen(t), sizeof t - strlen(t), "%.1f ng/uL; ", sp->concentration);
	if (!isnan(sp->a260_280))
		snprintf(t + strlen(t), sizeof t - strlen(t), "A260/280 %.2f; ", sp->a260_280);
	if (!isnan(sp->din))
		snprintf(t + strlen(t), sizeof t - strlen(t), "DIN %.1f; ", sp->din);
	if (!isnan(sp->rin))
		snprintf(t + strlen(t), sizeof t - strlen(t), "RIN %.1f; ", sp->rin);
	if (t[0]) {
		t[strlen(t) - 2] = '\0';
		rc |= row(o, "Extract quality", t);
	}
	snprintf(t, sizeof t, "%.0f", (double)sp->freeze_thaw);
	rc |= row(o, "Freeze-thaw cycles", t);
	snprintf(t, sizeof t, "%s (%s, %lld records, SHA-256 %.16s...), stored %s by %s",
		r->file_name, r->genome, (long long)r->variants, r->sha256, r->created_at,
		r->created_by);
	rc |= row(o, "Result file", t);
	rc |= row(o, "Assay", r->assay);
	/* kept from before, but the donor's consent no longer covers it */
	if (r->consent[0]) {
		snprintf(t, sizeof t, "%s: the donor's current consent no longer permits genetic"
			" research with this result", r->consent);
		rc |= row(o, "Consent", t);
	}
	rc |= ob_buf_puts(o, "</dl>\n<h3>Quality flags</h3>\n<ul class=\"flags\">\n");
	size_t before = o->len;
	rc |= ob_seqreport_flags(spf, prf, 1, o);
	if (o->len == before)
		rc |= ob_buf_puts(o, "<li>none: the recorded pre-analytical values are within the"
			" limits oncobank checks (docs/sequencing.md)</li>\n");
	return rc | ob_buf_puts(o, "</ul></section>\n");
}

/* Inserts section into the report html after its identifiers (the first
 * </dl> of the somatic report, the first </table> of the germline one),
 * else after <body>. */
static int splice_in(ob_buf *report, const char *section, ob_buf *out)
{
	static const char *const marks[] = { "</dl>\n", "</table>\n", "<body>", NULL };
	const char *h = ob_buf_cstr(report), *at = NULL;
	size_t cut = 0;

	for (int i = 0; marks[i] && !at; i++)
		if ((at = strstr(h, marks[i])))
			cut = (size_t)(at - h) + strlen(marks[i]);
	int rc = ob_buf_put(out, h, cut);
	rc |= ob_buf_puts(out, section);
	return rc | ob_buf_puts(out, h + cut);
}

static const ob_kb_row *kb_rows(const void *ctx, const char *gene, size_t *n)
{
	return ob_kb_gene(ctx, gene, n);
}

/* Writes text to a private temporary file; its name into path. */
static int temp_vcf(const ob_buf *text, char *path, size_t n)
{
	const char *dir = getenv("TMPDIR");
	int fd;

	snprintf(path, n, "%s/oncobank-result-XXXXXX.vcf", dir && *dir ? dir : "/tmp");
	if ((fd = mkstemps(path, 4)) < 0)
		return ob_error_set(OB_ERROR, "%s: cannot create a temporary file", path);
	FILE *f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(path);
		return ob_error_set(OB_ERROR, "%s: cannot write", path);
	}
	size_t len = text->len;
	int bad = fwrite(ob_buf_cstr(text), 1, len, f) != len;
	bad |= fclose(f) != 0;
	if (bad) {
		unlink(path);
		return ob_error_set(OB_ERROR, "%s: cannot write (disk full?)", path);
	}
	return 0;
}

/* An error about the temporary copy ("/tmp/oncobank-result-X.vcf:12: POS:
 * ...") names the stored file instead ("tumour.vcf:12: POS: ..."): the
 * temporary name means nothing to the reader and is the server's business. */
static void rename_temp(int rc, const char *tmp, const char *name)
{
	const char *m = ob_error_last();
	size_t n = strlen(tmp);
	if (n && !strncmp(m, tmp, n))
		ob_error_set(rc, "%s%s", name && *name ? name : "vcf", m + n);
}

static int somatic_part(const ob_ctx *cx, const ob_seq *r, const char *path, ob_annotator *a,
	const ob_gff *models, int json, ob_buf *out)
{
	ob_somatic_opts so;
	ob_somatic s;
	ob_kb *kb = NULL;
	int rc, inited = 0;

	memset(&so, 0, sizeof so);
	so.tumor_type = r->tumor_type;
	so.panel_size_mb = isnan(r->panel_size_mb) ? 0 : r->panel_size_mb;
	so.msi = r->msi[0] ? r->msi : NULL;
	so.patient = r->donor;
	so.specimen = r->specimen;
	so.models = models;
	if ((rc = ob_kb_open(&kb, cx->st)) < 0)
		goto out;
	if ((rc = ob_somatic_init(&s, &so, kb_rows, kb, ob_kb_version(kb))) < 0)
		goto out;
	inited = 1;
	if ((rc = ob_somatic_read_vcf(&s, path, a)) < 0 || (rc = ob_somatic_finish(&s)) < 0)
		goto out;
	/* the temporary file's name means nothing to a reader */
	snprintf(s.input, sizeof s.input, "%.200s (result %lld)", r->file_name, (long long)r->id);
	rc = json ? ob_somatic_json(&s, out) : ob_somatic_html(&s, out);
out:
	if (inited)
		ob_somatic_dispose(&s);
	ob_kb_free(kb);
	return rc;
}

static int germline_part(const ob_ctx *cx, const ob_seq *r, const char *path, ob_annotator *a,
	const ob_gff *models, const char *fasta, int json, ob_buf *out)
{
	ob_germline_opts go;
	ob_germline *g = NULL;
	int rc;

	memset(&go, 0, sizeof go);
	go.store = cx->st;
	go.annotator = a;
	go.models = models;
	go.fasta = fasta;
	if ((rc = ob_germline_run(path, &go, &g)) < 0)
		return rc;
	snprintf(g->input, sizeof g->input, "%.200s (result %lld)", r->file_name, (long long)r->id);
	rc = json ? ob_germline_json(g, out) : ob_germline_html(g, out);
	ob_germline_free(g);
	return rc;
}

int ob_seqreport(const ob_ctx *cx, int64_t id, const ob_seqreport_opts *o, ob_buf *out)
{
	int json = o && o->format && !strcmp(o->format, "json");
	ob_buf vcf = OB_BUF_INIT, body = OB_BUF_INIT, sec = OB_BUF_INIT;
	ob_specimen_full sp, prim, *pr = NULL;
	bool have_sp = false;
	ob_annotator *a = NULL;
	ob_gff *models = NULL;
	char path[512] = "";
	ob_seq r;
	int rc;

	if ((rc = ob_seq_get(cx, id, &r, &vcf)) < 0)
		goto out;
	if ((rc = ob_specimen_full_read(cx, r.specimen, &sp)) < 0)
		goto out;
	have_sp = true;
	/* the primary specimen: the root of the lineage */
	const char *pb = sp.nlineage ? sp.lineage[0].barcode : NULL;
	if (pb && strcmp(pb, r.specimen)) {
		if ((rc = ob_specimen_full_read(cx, pb, &prim)) < 0)
			goto out;
		pr = &prim;
	}
	if (o && o->fasta && o->gff) {
		if ((rc = ob_annotator_new(&a, o->fasta, o->gff)) < 0
		    || (rc = ob_gff_load(&models, o->gff)) < 0)
			goto out;
	}
	if ((rc = temp_vcf(&vcf, path, sizeof path)) < 0) {
		path[0] = '\0';
		goto out;
	}
	if (!strcmp(r.kind, "somatic"))
		rc = somatic_part(cx, &r, path, a, models, json, &body);
	else
		rc = germline_part(cx, &r, path, a, models, o ? o->fasta : NULL, json, &body);
	if (rc < 0) {
		rename_temp(rc, path, r.file_name);
		goto out;
	}
	if (json) {
		rc = ob_buf_printf(out, "{\"result\":{\"id\":%lld,\"specimen\":", (long long)r.id);
		rc |= ob_buf_json_str(out, r.specimen);
		rc |= ob_buf_puts(out, ",\"donor\":");
		rc |= ob_buf_json_str(out, r.donor);
		rc |= ob_buf_puts(out, ",\"kind\":");
		rc |= ob_buf_json_str(out, r.kind);
		rc |= ob_buf_puts(out, ",\"assay\":");
		rc |= ob_buf_json_str(out, r.assay);
		rc |= ob_buf_puts(out, ",\"genome\":");
		rc |= ob_buf_json_str(out, r.genome);
		rc |= ob_buf_puts(out, ",\"file_name\":");
		rc |= ob_buf_json_str(out, r.file_name);
		rc |= ob_buf_puts(out, ",\"sha256\":");
		rc |= ob_buf_json_str(out, r.sha256);
		rc |= ob_buf_puts(out, ",\"consent\":");
		rc |= r.consent[0] ? ob_buf_json_str(out, r.consent) : ob_buf_puts(out, "null");
		rc |= ob_buf_puts(out, "},\"specimen\":");
		if (rc >= 0)
			rc = ob_view_specimen_full(&sp, out);
		rc |= ob_buf_puts(out, ",\"primary\":");
		if (rc >= 0)
			rc = pr ? ob_view_specimen_full(pr, out) : ob_buf_puts(out, "null");
		rc |= ob_buf_puts(out, ",\"quality_flags\":");
		if (rc >= 0)
			rc = ob_seqreport_flags(&sp, pr, 0, out);
		rc |= ob_buf_puts(out, ",\"interpretation\":");
		rc |= ob_buf_puts(out, ob_buf_cstr(&body));
		rc |= ob_buf_puts(out, "}\n");
	} else {
		rc = quality_html(&r, &sp, pr, &sec);
		if (rc >= 0)
			rc = splice_in(&body, ob_buf_cstr(&sec), out);
	}
	if (rc < 0)
		rc = ob_error_set(OB_ERROR, "out of memory");
out:
	if (path[0])
		unlink(path);
	if (have_sp)
		ob_specimen_full_free(&sp);
	if (pr)
		ob_specimen_full_free(pr);
	ob_annotator_free(a);
	ob_gff_free(models);
	ob_buf_dispose(&vcf);
	ob_buf_dispose(&body);
	ob_buf_dispose(&sec);
	return rc;
}
