/*
 * csvexport.c - export of sites, donors, diagnoses, consents, containers, specimens,
 * studies, their events, requirements and participants as CSV (the import's column names, so an export imports again) or as a
 * JSON array; streamed row by row (see csvimport.h, docs/import.md).
 */
#include "bank/csvimport.h"
#include "bank/access.h"
#include "bank/study.h"
#include "base/error.h"
#include "base/util.h"
#include "store/store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct writer {
	FILE *out;
	ob_export_format fmt;
	ob_buf line;
	int64_t n;
	const char *const *cols;
	int ncols;
	const ob_field *const *fields;  /* specimens: the field of each column */
	int field;       /* fields written on the current row */
} writer;

/* The shortest text that reads back as the same double: a whole number
 * (counts, most quantities) without printf's floating-point path, which
 * "%.15g" writes the same. */
static void fmt_double(double v, char out[32])
{
	if (v == trunc(v) && fabs(v) < 1e15) {
		char t[24], *p = t + sizeof t;
		long long x = (long long)v;
		unsigned long long u = x < 0 ? 0ULL - (unsigned long long)x : (unsigned long long)x;
		*--p = '\0';
		do
			*--p = (char)('0' + u % 10);
		while (u /= 10);
		if (x < 0 || signbit(v))
			*--p = '-';
		memcpy(out, p, (size_t)(t + sizeof t - p));
		return;
	}
	snprintf(out, 32, "%.15g", v);
	if (strtod(out, NULL) != v)
		snprintf(out, 32, "%.17g", v);
}

static void csv_field(ob_buf *b, const char *s)
{
	bool quote = s && (strpbrk(s, ",\"\r\n") || *s == ' ' || *s == '\t'
		|| (*s && (s[strlen(s) - 1] == ' ' || s[strlen(s) - 1] == '\t')));

	if (!s)
		return;
	if (!quote) {
		ob_buf_puts(b, s);
		return;
	}
	ob_buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			ob_buf_putc(b, '"');
		ob_buf_putc(b, *s);
	}
	ob_buf_putc(b, '"');
}

static void row_begin(writer *w)
{
	ob_buf_clear(&w->line);
	w->field = 0;
	if (w->fmt == OB_EXPORT_JSON)
		ob_buf_puts(&w->line, w->n ? ",\n{" : "\n{");
}

/* Appends the next column's value: text (NULL is empty / null). */
static void put_text(writer *w, const char *s)
{
	int i = w->field++;

	if (w->fmt == OB_EXPORT_CSV) {
		if (i)
			ob_buf_putc(&w->line, ',');
		csv_field(&w->line, s);
		return;
	}
	if (i)
		ob_buf_putc(&w->line, ',');
	ob_buf_json_str(&w->line, w->cols[i]);
	ob_buf_putc(&w->line, ':');
	if (s)
		ob_buf_json_str(&w->line, s);
	else
		ob_buf_puts(&w->line, "null");
}

/* A number: written bare in JSON; NaN is empty / null. */
static void put_num(writer *w, double v)
{
	char t[32];
	int i;

	if (isnan(v)) {
		put_text(w, NULL);
		return;
	}
	fmt_double(v, t);
	if (w->fmt == OB_EXPORT_CSV) {
		put_text(w, t);
		return;
	}
	i = w->field++;
	if (i)
		ob_buf_putc(&w->line, ',');
	ob_buf_json_str(&w->line, w->cols[i]);
	ob_buf_printf(&w->line, ":%s", t);
}

static int row_end(writer *w)
{
	ob_buf_puts(&w->line, w->fmt == OB_EXPORT_CSV ? "\r\n" : "}");
	if (w->line.len && fwrite(w->line.s, 1, w->line.len, w->out) != w->line.len)
		return ob_error_set(OB_ERROR, "export: write failed");
	w->n++;
	return 0;
}

static int begin(writer *w)
{
	if (w->fmt == OB_EXPORT_JSON)
		return fputc('[', w->out) == EOF ? ob_error_set(OB_ERROR, "export: write failed") : 0;
	ob_buf_clear(&w->line);
	for (int i = 0; i < w->ncols; i++) {
		if (i)
			ob_buf_putc(&w->line, ',');
		ob_buf_puts(&w->line, w->cols[i]);
	}
	ob_buf_puts(&w->line, "\r\n");
	if (fwrite(w->line.s, 1, w->line.len, w->out) != w->line.len)
		return ob_error_set(OB_ERROR, "export: write failed");
	return 0;
}

static int finish(writer *w)
{
	if (w->fmt == OB_EXPORT_JSON && fputs(w->n ? "\n]\n" : "]\n", w->out) == EOF)
		return ob_error_set(OB_ERROR, "export: write failed");
	if (fflush(w->out) != 0 || ferror(w->out))
		return ob_error_set(OB_ERROR, "export: write failed");
	return 0;
}

/* ---- sites, donors, consents, containers: one query each ---- */

static const char *const site_cols[] = { "code", "name", "kind", "parent" };
static const char *const site_sql =
	"SELECT s.code, s.name, s.kind, p.code FROM site s LEFT JOIN site p ON p.id = s.parent_id"
	" ORDER BY s.id";

static const char *const donor_cols[] = { "site", "donor", "sex", "birth_year" };
static const char *const donor_sql =
	"SELECT s.code, d.code, d.sex, d.birth_year FROM donor d JOIN site s ON s.id = d.site_id"
	" ORDER BY d.id";

static const char *const diagnosis_cols[] = {
	"site", "donor", "topography", "morphology", "diagnosed_on"
};
static const char *const diagnosis_sql =
	"SELECT s.code, d.code, g.topography, g.morphology, g.diagnosed_on FROM diagnosis g"
	" JOIN donor d ON d.id = g.donor_id JOIN site s ON s.id = d.site_id ORDER BY g.id";

/* A consent's answers are one cell, "CODE=yes;CODE2=no" in statement
 * order (a statement withdrawn alone shows as its "no"). */
static const char *const consent_cols[] = {
	"site", "donor", "form_version", "signed_on", "witness", "responses", "withdrawn_on",
	"withdrawn_by", "withdrawal_reason", "disposition"
};
static const char *const consent_sql =
	"SELECT s.code, d.code, c.form_version, c.signed_on, c.witness, c.id, c.withdrawn_on,"
	" c.withdrawn_by, c.withdrawal_reason, c.disposition"
	" FROM consent c JOIN donor d ON d.id = c.donor_id JOIN site s ON s.id = d.site_id"
	" ORDER BY c.id";
static const char *const responses_sql =
	"SELECT t.code, r.response FROM consent_response r"
	" JOIN consent_statement t ON t.id = r.statement_id WHERE r.consent_id = $1"
	" ORDER BY t.position, t.id";

/* The responses cell of consent id into out. */
static int consent_responses(const ob_ctx *cx, int64_t id, ob_buf *out)
{
	ob_stmt *s;
	int rc;

	ob_buf_clear(out);
	if ((rc = ob_store_prepare(cx->st, responses_sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, id);
	while ((rc = ob_stmt_step(s)) == OB_ROW)
		ob_buf_printf(out, "%s%s=%s", out->len ? ";" : "", ob_stmt_text(s, 0),
			ob_stmt_text(s, 1));
	ob_stmt_reset(s);
	if (rc == 0 && out->failed)
		rc = ob_error_set(OB_ERROR, "export: out of memory");
	return rc;
}

static const char *const container_cols[] = {
	"barcode", "name", "kind", "site", "parent", "temperature", "rows", "cols", "scheme"
};
static const char *const container_sql =
	"SELECT c.barcode, c.name, c.kind, s.code, p.barcode, c.temperature, c.nrows, c.ncols,"
	" c.scheme FROM container c JOIN site s ON s.id = c.site_id"
	" LEFT JOIN container p ON p.id = c.parent_id ORDER BY c.id";

static void put_col(writer *w, ob_stmt *s, int col, bool number)
{
	if (number)
		put_num(w, ob_stmt_double(s, col));
	else
		put_text(w, ob_stmt_text(s, col));
}

static int export_query(const ob_ctx *cx, ob_import_kind kind, writer *w)
{
	const char *sql = kind == OB_IMPORT_SITES ? site_sql : kind == OB_IMPORT_DONORS ? donor_sql
		: kind == OB_IMPORT_CONSENTS ? consent_sql : kind == OB_IMPORT_DIAGNOSES ? diagnosis_sql
		: container_sql;
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	while (rc >= 0 && (rc = ob_stmt_step(s)) == OB_ROW) {
		row_begin(w);
		switch (kind) {
		case OB_IMPORT_SITES:
			for (int i = 0; i < 4; i++)
				put_col(w, s, i, false);
			break;
		case OB_IMPORT_DONORS:
			for (int i = 0; i < 4; i++)
				put_col(w, s, i, i == 3);
			break;
		case OB_IMPORT_DIAGNOSES:
			for (int i = 0; i < 5; i++)
				put_col(w, s, i, false);
			break;
		case OB_IMPORT_CONSENTS: {
			ob_buf resp = OB_BUF_INIT;
			for (int i = 0; i < 5; i++)
				put_col(w, s, i, false);
			rc = consent_responses(cx, ob_stmt_int(s, 5), &resp);
			put_text(w, ob_buf_cstr(&resp));
			ob_buf_dispose(&resp);
			for (int i = 6; i < 10; i++)
				put_col(w, s, i, false);
			break;
		}
		default:
			for (int i = 0; i < 9; i++)
				put_col(w, s, i, i >= 5 && i <= 7);
			break;
		}
		if (rc >= 0)
			rc = row_end(w);
	}
	ob_stmt_reset(s);
	return rc < 0 ? rc : 0;
}

/* ---- specimens: through ob_specimen_find ---- */

/* A specimen field's CSV column: its name, except the parent, which the
 * import also finds by label (parent_label) and so names by barcode. */
const char *ob_specimen_csv_column(const ob_field *f)
{
	return !strcmp(f->name, "parent") ? "parent_barcode" : f->name;
}

static int spec_row(const ob_specimen *r, void *arg)
{
	writer *w = arg;

	row_begin(w);
	for (int i = 0; i < w->ncols; i++) {
		const ob_field *f = w->fields[i];
		/* a field JSON leaves out while unknown (record.h OB_F_OPT): an
		 * empty CSV cell, no JSON member */
		if ((f->flags & OB_F_OPT) && w->fmt == OB_EXPORT_JSON && ob_field_unknown(f, r)) {
			w->field++;
			continue;
		}
		switch (f->kind) {
		case OB_FIELD_TEXT:
			put_text(w, ob_field_text(f, r));
			break;
		case OB_FIELD_REAL:
			/* quantity and initial_quantity say what a specimen has and
			 * had; what its children took is already out of it, so on
			 * import they take 0 */
			put_num(w, f->off == offsetof(ob_specimen, parent_used)
				? (r->parent ? 0 : NAN) : ob_field_real(f, r));
			break;
		case OB_FIELD_INT:
			put_num(w, (double)ob_field_int(f, r));
			break;
		}
	}
	return row_end(w);
}

/* ---- studies and what they hold: through ob_study_list ---- */

static const char *const study_cols[] = {
	"code", "title", "status", "pi", "ethics_ref", "ethics_approved_on", "ethics_expires_on",
	"ppid_format", "sites", "forms"
};
static const char *const event_cols[] = { "study", "code", "label", "day", "position" };
static const char *const requirement_cols[] = {
	"study", "event", "code", "type", "pathology", "anatomic_site", "count", "quantity",
	"unit", "processing"
};
static const char *const participant_cols[] = { "study", "ppid", "site", "donor", "enrolled_on" };

typedef struct study_walk {
	const ob_ctx *cx;
	ob_import_kind kind;
	writer *w;
} study_walk;

/* list's n items ';'-joined into b. */
static const char *joined(ob_buf *b, const char *const *list, size_t n)
{
	ob_buf_clear(b);
	for (size_t i = 0; i < n; i++)
		ob_buf_printf(b, "%s%s", i ? ";" : "", list[i]);
	return b->failed ? NULL : ob_buf_cstr(b);
}

static int study_row(const ob_study_full *f, writer *w)
{
	ob_buf b = OB_BUF_INIT;
	int rc;

	row_begin(w);
	put_text(w, f->r.code);
	put_text(w, f->r.title);
	put_text(w, f->r.status);
	put_text(w, f->r.pi);
	put_text(w, f->r.ethics_ref);
	put_text(w, f->r.ethics_approved_on);
	put_text(w, f->r.ethics_expires_on);
	put_text(w, f->r.ppid_format);
	put_text(w, joined(&b, f->sites, f->nsites));
	put_text(w, joined(&b, f->forms, f->nforms));
	rc = b.failed ? ob_error_set(OB_ERROR, "export: out of memory") : row_end(w);
	ob_buf_dispose(&b);
	return rc;
}

static int requirement_rows(const ob_study_full *f, const ob_study_event_full *e, writer *w)
{
	int rc = 0;

	for (size_t i = 0; i < e->nreqs && rc == 0; i++) {
		const ob_study_req_record *q = &e->reqs[i];
		row_begin(w);
		put_text(w, f->r.code);
		put_text(w, e->r.code);
		put_text(w, q->code);
		put_text(w, q->type);
		put_text(w, q->pathology);
		put_text(w, q->anatomic_site);
		put_num(w, (double)q->count);
		put_num(w, q->quantity);
		put_text(w, q->unit);
		put_text(w, q->processing);
		rc = row_end(w);
	}
	return rc;
}

static int participant_row(const ob_study_participant *p, void *arg)
{
	study_walk *sw = arg;
	writer *w = sw->w;

	row_begin(w);
	put_text(w, p->r.study);
	put_text(w, p->r.ppid);
	put_text(w, p->r.site);
	put_text(w, p->r.donor);
	put_text(w, p->r.enrolled_on);
	return row_end(w);
}

static int study_walk_cb(const ob_study_full *f, void *arg)
{
	study_walk *sw = arg;
	writer *w = sw->w;
	int rc = 0;

	switch (sw->kind) {
	case OB_IMPORT_STUDIES:
		return study_row(f, w);
	case OB_IMPORT_PARTICIPANTS:
		return ob_study_participants(sw->cx, f->r.code, participant_row, sw);
	default:
		break;
	}
	for (size_t i = 0; i < f->nevents && rc == 0; i++) {
		const ob_study_event_full *e = &f->events[i];
		if (sw->kind == OB_IMPORT_REQUIREMENTS) {
			rc = requirement_rows(f, e, w);
			continue;
		}
		row_begin(w);
		put_text(w, f->r.code);
		put_text(w, e->r.code);
		put_text(w, e->r.label);
		put_num(w, (double)e->r.day);
		put_num(w, (double)e->r.position);
		rc = row_end(w);
	}
	return rc;
}

/* The studies the reader sees (ob_study_list: a study researcher, their
 * own), with their events and requirements, and the participants of each
 * in the reader's scope (ob_study_participants). */
static int export_studies(const ob_ctx *cx, ob_import_kind kind, writer *w)
{
	study_walk sw = { cx, kind, w };

	return ob_study_list(cx, study_walk_cb, &sw);
}

static bool study_kind(ob_import_kind kind)
{
	return kind == OB_IMPORT_STUDIES || kind == OB_IMPORT_EVENTS
		|| kind == OB_IMPORT_REQUIREMENTS || kind == OB_IMPORT_PARTICIPANTS;
}

int ob_export(const ob_ctx *cx, ob_import_kind kind, const ob_specimen_filter *f,
              ob_export_format fmt, FILE *out, int64_t *count)
{
	writer w = { out, fmt, OB_BUF_INIT, 0, NULL, 0, NULL, 0 };
	const char *specimen_cols[OB_SPECIMEN_NFIELDS];
	const ob_field *specimen_fields[OB_SPECIMEN_NFIELDS];
	ob_specimen_filter none;
	int rc;

	if (study_kind(kind))
		goto columns;  /* ob_study_list and ob_study_participants scope them */
	if ((rc = ob_access_check(cx, OB_ACT_READ, NULL)) < 0)
		return rc;
	if (kind != OB_IMPORT_SPECIMENS && ob_access_read_scope(cx))
		return ob_error_set(OB_EPERM, "permission denied: exporting whole tables is for users"
			" who read the whole network; export specimens, which follow your scope");
columns:
	switch (kind) {
	case OB_IMPORT_SITES: w.cols = site_cols; w.ncols = 4; break;
	case OB_IMPORT_DONORS: w.cols = donor_cols; w.ncols = 4; break;
	case OB_IMPORT_CONSENTS: w.cols = consent_cols; w.ncols = 10; break;
	case OB_IMPORT_CONTAINERS: w.cols = container_cols; w.ncols = 9; break;
	case OB_IMPORT_DIAGNOSES: w.cols = diagnosis_cols; w.ncols = 5; break;
	case OB_IMPORT_STUDIES: w.cols = study_cols; w.ncols = 10; break;
	case OB_IMPORT_EVENTS: w.cols = event_cols; w.ncols = 5; break;
	case OB_IMPORT_REQUIREMENTS: w.cols = requirement_cols; w.ncols = 10; break;
	case OB_IMPORT_PARTICIPANTS: w.cols = participant_cols; w.ncols = 5; break;
	case OB_IMPORT_SPECIMENS:
		for (const ob_field *fl = ob_specimen_fields; fl->name; fl++)
			if (fl->flags & OB_F_CSV) {
				specimen_fields[w.ncols] = fl;
				specimen_cols[w.ncols++] = ob_specimen_csv_column(fl);
			}
		w.cols = specimen_cols;
		w.fields = specimen_fields;
		break;
	default:
		return ob_error_set(OB_EINVALID, "unknown export kind %d", (int)kind);
	}
	/* No transaction: BEGIN IMMEDIATE would hold writers off for as long
	 * as the export runs; the walk is one statement, one snapshot. */
	if ((rc = begin(&w)) < 0)
		goto out;
	if (kind == OB_IMPORT_SPECIMENS) {
		if (!f) {
			memset(&none, 0, sizeof none);
			f = &none;
		}
		rc = ob_specimen_find(cx, f, spec_row, &w);
	} else if (study_kind(kind)) {
		rc = export_studies(cx, kind, &w);
	} else {
		rc = export_query(cx, kind, &w);
	}
	if (rc == 0)
		rc = finish(&w);
out:
	ob_buf_dispose(&w.line);
	if (count)
		*count = w.n;
	return rc;
}
