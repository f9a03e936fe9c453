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

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static double num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

static const char *str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

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

int ob_seqreport_flags(const char *spec_json, const char *prim_json, int html, ob_buf *out)
{
	json_t *sp = json_loads(spec_json, 0, NULL);
	json_t *pr = prim_json ? json_loads(prim_json, 0, NULL) : NULL;
	json_t *tissue = pr ? pr : sp;
	int n = 0, rc = 0;
	double v;

	if (!sp) {
		json_decref(pr);
		return ob_error_set(OB_ERROR, "internal: specimen record is not JSON");
	}
	if (!html)
		rc |= ob_buf_putc(out, '[');
	if (!isnan(v = num(sp, "din")) && v < 4.0)
		rc |= flag(out, html, &n, "DNA integrity number %.1f is below 4: degraded DNA gives"
			" uneven coverage and artefactual low-frequency calls", v);
	if (!isnan(v = num(sp, "rin")) && v < 5.0)
		rc |= flag(out, html, &n, "RNA integrity number %.1f is below 5: fusion and"
			" expression results may be unreliable", v);
	if (!isnan(v = num(sp, "a260_280")) && (v < 1.7 || v > 2.1))
		rc |= flag(out, html, &n, "A260/280 ratio %.2f is outside 1.7 to 2.1: the extract"
			" may carry protein or reagent contamination", v);
	if (!isnan(v = num(sp, "freeze_thaw")) && v >= 3)
		rc |= flag(out, html, &n, "%.0f freeze-thaw cycles recorded for the sequenced"
			" specimen", v);
	const char *type = str(tissue, "type");
	if (type && !strcmp(ob_specimen_type_class(type) ? ob_specimen_type_class(type) : "",
		"tissue")) {
		json_t *pa = json_object_get(tissue, "preanalytics");
		if (!isnan(v = num(tissue, "tumour_pct")) && v < 20)
			rc |= flag(out, html, &n, "tumour content %.0f%% is below 20%%: somatic"
				" variants below about 10%% allele fraction may be missed", v);
		else if (isnan(v))
			rc |= flag(out, html, &n, "tumour content of the tissue was not recorded");
		if (pa && !isnan(v = num(pa, "cold_ischaemia_min")) && v > 60)
			rc |= flag(out, html, &n, "cold ischaemia time %.0f min exceeds 60 min", v);
		if (pa && !isnan(v = num(pa, "fixation_min")) && (v < 360 || v > 4320))
			rc |= flag(out, html, &n, "formalin fixation %.0f h is outside 6 to 72 h:"
				" under- or over-fixation damages nucleic acids", v / 60);
	}
	if (!html)
		rc |= ob_buf_putc(out, ']');
	json_decref(sp);
	json_decref(pr);
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
static int quality_html(const ob_seq *r, json_t *sp, json_t *pr, const char *spj, const char *prj,
	ob_buf *o)
{
	char t[1024];
	double v;
	int rc = ob_buf_puts(o, "<section class=\"preanalytical\"><style>"
		"section.preanalytical dl{display:grid;grid-template-columns:max-content auto;"
		"gap:.2em 1em}section.preanalytical dt{font-weight:bold}section.preanalytical dd"
		"{margin:0}</style><h2>Specimen and pre-analytical quality</h2>\n<dl>");

	rc |= row(o, "Sequenced specimen", r->specimen);
	rc |= row(o, "Donor", r->donor);
	snprintf(t, sizeof t, "%s at %s", str(sp, "type") ? str(sp, "type") : "?", r->site);
	rc |= row(o, "Type and site", t);
	if (pr) {
		snprintf(t, sizeof t, "%.64s (%.32s, collected %.32s)", str(pr, "barcode"),
			str(pr, "type") ? str(pr, "type") : "?",
			str(pr, "collected_at") ? str(pr, "collected_at") : "?");
		rc |= row(o, "Derived from", t);
	}
	json_t *src = pr ? pr : sp;
	rc |= row(o, "SPREC", str(src, "sprec"));
	json_t *ex = json_object_get(src, "sprec_explained");
	if (json_is_array(ex) && json_array_size(ex)) {
		rc |= ob_buf_puts(o, "<dt>SPREC in words</dt><dd>");
		for (size_t i = 0; i < json_array_size(ex); i++) {
			json_t *e = json_array_get(ex, i);
			rc |= ob_buf_puts(o, i ? "; " : "");
			rc |= ob_buf_html(o, str(e, "element"));
			rc |= ob_buf_puts(o, ": ");
			rc |= ob_buf_html(o, str(e, "meaning"));
		}
		rc |= ob_buf_puts(o, "</dd>");
	}
	if (!isnan(v = num(src, "tumour_pct"))) {
		snprintf(t, sizeof t, "%.0f%%", v);
		rc |= row(o, "Tumour content", t);
	}
	t[0] = '\0';
	if (!isnan(v = num(sp, "concentration")))
		snprintf(t + strlen(t), sizeof t - strlen(t), "%.1f ng/uL; ", v);
	if (!isnan(v = num(sp, "a260_280")))
		snprintf(t + strlen(t), sizeof t - strlen(t), "A260/280 %.2f; ", v);
	if (!isnan(v = num(sp, "din")))
		snprintf(t + strlen(t), sizeof t - strlen(t), "DIN %.1f; ", v);
	if (!isnan(v = num(sp, "rin")))
		snprintf(t + strlen(t), sizeof t - strlen(t), "RIN %.1f; ", v);
	if (t[0]) {
		t[strlen(t) - 2] = '\0';
		rc |= row(o, "Extract quality", t);
	}
	snprintf(t, sizeof t, "%.0f", isnan(num(sp, "freeze_thaw")) ? 0.0 : num(sp, "freeze_thaw"));
	rc |= row(o, "Freeze-thaw cycles", t);
	snprintf(t, sizeof t, "%s (%s, %lld records, SHA-256 %.16s...), stored %s by %s",
		r->file_name, r->genome, (long long)r->variants, r->sha256, r->created_at,
		r->created_by);
	rc |= row(o, "Result file", t);
	rc |= row(o, "Assay", r->assay);
	rc |= ob_buf_puts(o, "</dl>\n<h3>Quality flags</h3>\n<ul class=\"flags\">\n");
	size_t before = o->len;
	rc |= ob_seqreport_flags(spj, prj, 1, o);
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
	ob_buf vcf = OB_BUF_INIT, spj = OB_BUF_INIT, prj = OB_BUF_INIT, body = OB_BUF_INIT,
		sec = OB_BUF_INIT;
	json_t *sp = NULL, *pr = NULL;
	ob_annotator *a = NULL;
	ob_gff *models = NULL;
	char path[512] = "";
	ob_seq r;
	int rc;

	if ((rc = ob_seq_get(cx, id, &r, &vcf)) < 0)
		goto out;
	if ((rc = ob_specimen_show_json(cx, r.specimen, &spj)) < 0)
		goto out;
	if (!(sp = json_loads(ob_buf_cstr(&spj), 0, NULL))) {
		rc = ob_error_set(OB_ERROR, "internal: specimen %s: record is not JSON", r.specimen);
		goto out;
	}
	/* the primary specimen: the root of the lineage */
	json_t *lin = json_object_get(sp, "lineage");
	json_t *root = json_is_array(lin) && json_array_size(lin) ? json_array_get(lin, 0) : NULL;
	const char *pb = root ? str(root, "barcode") : NULL;
	if (pb && strcmp(pb, r.specimen)) {
		if ((rc = ob_specimen_show_json(cx, pb, &prj)) < 0)
			goto out;
		pr = json_loads(ob_buf_cstr(&prj), 0, NULL);
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
		rc |= ob_buf_puts(out, "},\"specimen\":");
		rc |= ob_buf_puts(out, ob_buf_cstr(&spj));
		rc |= ob_buf_puts(out, ",\"primary\":");
		rc |= ob_buf_puts(out, pr ? ob_buf_cstr(&prj) : "null");
		rc |= ob_buf_puts(out, ",\"quality_flags\":");
		if (rc >= 0)
			rc = ob_seqreport_flags(ob_buf_cstr(&spj), pr ? ob_buf_cstr(&prj) : NULL, 0, out);
		rc |= ob_buf_puts(out, ",\"interpretation\":");
		rc |= ob_buf_puts(out, ob_buf_cstr(&body));
		rc |= ob_buf_puts(out, "}\n");
	} else {
		rc = quality_html(&r, sp, pr, ob_buf_cstr(&spj), pr ? ob_buf_cstr(&prj) : NULL, &sec);
		if (rc >= 0)
			rc = splice_in(&body, ob_buf_cstr(&sec), out);
	}
	if (rc < 0)
		rc = ob_error_set(OB_ERROR, "out of memory");
out:
	if (path[0])
		unlink(path);
	json_decref(sp);
	json_decref(pr);
	ob_annotator_free(a);
	ob_gff_free(models);
	ob_buf_dispose(&vcf);
	ob_buf_dispose(&spj);
	ob_buf_dispose(&prj);
	ob_buf_dispose(&body);
	ob_buf_dispose(&sec);
	return rc;
}
