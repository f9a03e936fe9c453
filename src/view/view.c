/*
 * view.c - records as JSON (see view.h).
 */
#include "view/view.h"
#include "view/jw.h"
#include "bank/access.h"
#include "base/error.h"
#include "base/text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The text with every byte that starts no UTF-8 sequence replaced by
 * U+FFFD: jansson takes valid UTF-8 only. */
static json_t *repaired_text(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	ob_buf b = OB_BUF_INIT;
	json_t *v;

	while (*p) {
		size_t len = ob_utf8_seq(p, strnlen((const char *)p, 4));
		if (len == 0) {
			ob_buf_puts(&b, "\xef\xbf\xbd");
			p++;
		} else {
			ob_buf_put(&b, (const char *)p, len);
			p += len;
		}
	}
	v = b.failed ? NULL : json_string(ob_buf_cstr(&b));
	ob_buf_dispose(&b);
	return v;
}

json_t *ob_view_text(const char *s)
{
	json_t *v;

	if (!s)
		return json_null();
	return (v = json_string(s)) ? v : repaired_text(s);
}

json_t *ob_view_real(double v)
{
	/* "%.15g" writes an integral value below 1e15 without a point, as a
	 * JSON integer prints; jansson would add ".0" to it as a real. */
	if (isnan(v))
		return json_null();
	if (v == trunc(v) && fabs(v) < 1e15)
		return json_integer((json_int_t)v);
	return json_real(v);
}

json_t *ob_view_record(const ob_field *fields, const void *rec, unsigned flags)
{
	json_t *o = json_object();
	int bad = !o;

	for (const ob_field *f = fields; f->name && !bad; f++) {
		json_t *v = NULL;
		if (!(f->flags & flags) || ((f->flags & OB_F_OPT) && ob_field_unknown(f, rec)))
			continue;
		switch (f->kind) {
		case OB_FIELD_TEXT:
			v = ob_view_text(ob_field_text(f, rec));
			break;
		case OB_FIELD_REAL:
			v = ob_view_real(ob_field_real(f, rec));
			break;
		case OB_FIELD_INT:
			v = json_integer(ob_field_int(f, rec));
			break;
		}
		bad = json_object_set_new(o, f->name, v) < 0;
	}
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *ob_view_specimen_row(const ob_specimen *r)
{
	return ob_view_record(ob_specimen_fields, r, OB_F_ROW);
}

void ob_view_specimen_row_write(ob_jw *w, const ob_specimen *r)
{
	ob_jw_object(w, NULL);
	ob_jw_fields(w, ob_specimen_fields, r, OB_F_ROW);
	ob_jw_end(w);
}

/* The record is read at every scan: written by the streaming writer
 * (jw.h), byte for byte what the jansson builders above give. */
int ob_view_specimen_full(const ob_specimen_full *f, ob_buf *out)
{
	ob_jw w;

	ob_jw_init(&w, out);
	ob_jw_object(&w, NULL);
	ob_jw_fields(&w, ob_specimen_fields, &f->r, OB_F_ROW);
	ob_jw_object(&w, "preanalytics");
	ob_jw_fields(&w, ob_specimen_fields, &f->r, OB_F_PRE);
	ob_jw_end(&w);
	if (f->sprec_ok) {
		ob_jw_array(&w, "sprec_explained");
		for (int i = 0; i < OB_SPREC_NELEM; i++) {
			const ob_sprec_element *e = &f->sprec.element[i];
			ob_jw_object(&w, NULL);
			ob_jw_text(&w, "element", e->name);
			ob_jw_text(&w, "code", e->code);
			ob_jw_text(&w, "meaning", e->meaning);
			ob_jw_end(&w);
		}
		ob_jw_end(&w);
	} else {
		ob_jw_null(&w, "sprec_explained");
	}
	switch (f->location) {
	case OB_LOC_HERE:
		ob_jw_object(&w, "location");
		ob_jw_text(&w, "path", f->path);
		ob_jw_text(&w, "position", f->position);
		ob_jw_real(&w, "temperature", f->temperature);
		ob_jw_end(&w);
		break;
	case OB_LOC_ELSEWHERE:
		ob_jw_object(&w, "location");
		ob_jw_text(&w, "path", "(another site)");
		ob_jw_null(&w, "position");
		ob_jw_null(&w, "temperature");
		ob_jw_end(&w);
		break;
	default:
		ob_jw_null(&w, "location");
	}
	ob_jw_array(&w, "lineage");
	for (size_t i = 0; i < f->nlineage; i++) {
		ob_jw_object(&w, NULL);
		ob_jw_fields(&w, ob_lineage_node_fields, &f->lineage[i], OB_F_ROW);
		ob_jw_end(&w);
	}
	ob_jw_end(&w);
	ob_jw_array(&w, "audit");
	for (size_t i = 0; i < f->naudit; i++) {
		const ob_audit_event *e = &f->audit[i];
		ob_jw_object(&w, NULL);
		ob_jw_int(&w, "seq", e->seq);
		ob_jw_text(&w, "at", e->at);
		ob_jw_text(&w, "actor", e->actor);
		ob_jw_text(&w, "action", e->action);
		if (e->reason)
			ob_jw_text(&w, "reason", e->reason);
		/* the canonical rows, as stored: JSON the audit wrote */
		ob_jw_raw(&w, "before", e->before);
		ob_jw_raw(&w, "after", e->after);
		ob_jw_end(&w);
	}
	ob_jw_end(&w);
	ob_jw_end(&w);
	return ob_jw_done(&w);
}

json_t *ob_view_user(const ob_user *u)
{
	return json_pack("{s:o,s:o,s:s,s:b}", "username", ob_view_text(u->username), "site",
		ob_view_text(u->site[0] ? u->site : NULL), "role", ob_role_name(u->role), "active",
		u->active);
}

json_t *ob_view_seq_row(const ob_seq_row *r)
{
	ob_seq_row shown = *r;
	char text[32];

	if (!isnan(r->panel_size_mb)) {
		snprintf(text, sizeof text, "%.6g", r->panel_size_mb);
		shown.panel_size_mb = strtod(text, NULL);
	}
	return ob_view_record(ob_seq_row_fields, &shown, OB_F_ROW);
}

json_t *ob_view_site(const ob_site_record *r)
{
	return ob_view_record(ob_site_fields, r, OB_F_ROW);
}

/* Appends item (taken) to the array arr, naming what in the message. */
static int append(json_t *arr, json_t *item, const char *what)
{
	if (json_array_append_new(arr, item) < 0)
		return ob_error_set(OB_ERROR, "%s: out of memory", what);
	return 0;
}

int ob_view_site_append(const ob_site_record *r, int depth, void *arr)
{
	(void)depth;
	return append(arr, ob_view_site(r), "sites");
}

json_t *ob_view_donor(const ob_donor_record *r)
{
	json_t *o = ob_view_record(ob_donor_fields, r, OB_F_ROW);

	/* birth_year 0 is unknown; its place in the object stays */
	if (o && ((!r->birth_year && json_object_set_new(o, "birth_year", json_null()) < 0)
		  || json_object_set_new(o, "consent_withdrawn", json_boolean(r->withdrawn)) < 0)) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int ob_view_donor_append(const ob_donor_record *r, void *arr)
{
	return append(arr, ob_view_donor(r), "donors");
}

/* The words of a mask of uses (OB_USE_* bits), in bit order. */
json_t *ob_view_uses(int uses)
{
	json_t *a = json_array();

	for (int i = 0; a && ob_consent_scope_words[i]; i++)
		if ((uses & (1 << i)) && append(a, json_string(ob_consent_scope_words[i]), "donor") < 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static json_t *answer(const ob_consent_answer *a)
{
	return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "code", ob_view_text(a->code),
		"text", ob_view_text(a->text), "text_zh", ob_view_text(a->text_zh), "uses",
		ob_view_uses(a->uses), "response", ob_view_text(a->response), "withdrawn_on",
		ob_view_text(a->withdrawn_on), "withdrawn_by", ob_view_text(a->withdrawn_by),
		"withdrawal_reason", ob_view_text(a->withdrawal_reason));
}

static json_t *consent(const ob_consent_record *c)
{
	json_t *o, *r = json_array();

	for (size_t i = 0; r && i < c->nanswers; i++)
		if (append(r, answer(&c->answers[i]), "donor") < 0) {
			json_decref(r);
			return NULL;
		}
	if (!r)
		return NULL;
	o = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "form_version",
		ob_view_text(c->form_version), "signed_on", ob_view_text(c->signed_on), "witness",
		ob_view_text(c->witness), "recorded_by", ob_view_text(c->recorded_by), "scope",
		ob_view_uses(c->scope), "withdrawn_on", ob_view_text(c->withdrawn_on), "withdrawn_by",
		ob_view_text(c->withdrawn_by), "withdrawal_reason", ob_view_text(c->withdrawal_reason),
		"disposition", ob_view_text(c->disposition), "responses", r);
	return o;
}

json_t *ob_view_consent_form(const ob_consent_form *f)
{
	json_t *o, *a = json_array();

	for (size_t i = 0; a && i < f->nstatements; i++) {
		const ob_consent_statement *t = &f->statements[i];
		if (append(a, json_pack("{s:o,s:o,s:o,s:o}", "code", ob_view_text(t->code), "text",
				ob_view_text(t->text), "text_zh", ob_view_text(t->text_zh), "uses",
				ob_view_uses(t->uses)), "form") < 0) {
			json_decref(a);
			return NULL;
		}
	}
	if (!a)
		return NULL;
	o = json_pack("{s:o,s:o,s:o,s:o,s:o}", "form_version", ob_view_text(f->version), "title",
		ob_view_text(f->title), "effective_on", ob_view_text(f->effective_on), "created_at",
		ob_view_text(f->created_at), "statements", a);
	return o;
}

int ob_view_consent_form_append(const ob_consent_form *f, void *arr)
{
	return append(arr, ob_view_consent_form(f), "forms");
}

json_t *ob_view_donor_full(const ob_donor_full *f)
{
	json_t *o = ob_view_donor(&f->r), *diag = json_array(), *cons = json_array();
	int bad = !o || !diag || !cons;

	for (size_t i = 0; i < f->ndiagnoses && !bad; i++) {
		json_t *d = json_pack("{s:I}", "id", (json_int_t)f->diagnoses[i].id),
		       *row = ob_view_record(ob_diagnosis_fields, &f->diagnoses[i].r, OB_F_ROW);
		bad = !d || !row || json_object_update(d, row) < 0;
		json_decref(row);
		bad = append(diag, d, "donor") < 0 || bad;
	}
	for (size_t i = 0; i < f->nconsents && !bad; i++)
		bad = append(cons, consent(&f->consents[i]), "donor") < 0;
	if (!bad)
		bad = json_object_set_new(o, "consent_scope", ob_view_uses((int)f->r.consent_mask)) < 0
			|| json_object_set_new(o, "uses", ob_view_uses((int)f->r.consent_mask)) < 0
			|| json_object_set(o, "diagnoses", diag) < 0
			|| json_object_set(o, "consents", cons) < 0;
	json_decref(diag);
	json_decref(cons);
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* A number as "%g" shows it: 6 significant digits; NaN is null. */
static json_t *g_number(double v)
{
	char text[32];

	if (isnan(v))
		return json_null();
	snprintf(text, sizeof text, "%g", v);
	return ob_view_real(strtod(text, NULL));
}

/* A text, null when empty. */
static json_t *text_or_null(const char *s)
{
	return ob_view_text(s && *s ? s : NULL);
}

static json_t *container_row(const ob_container_row *x)
{
	const ob_container_info *c = &x->c;
	int64_t cap = (int64_t)c->rows * c->cols;
	json_t *o = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:i,s:o,s:o}", "barcode",
		ob_view_text(c->barcode), "name", ob_view_text(c->name), "kind",
		ob_view_text(c->kind), "site", ob_view_text(c->site), "parent",
		text_or_null(c->parent), "path", ob_view_text(x->path), "depth", x->depth,
		"temperature", g_number(c->temperature), "storage_temperature",
		g_number(x->storage));
	json_t *box = cap ? json_pack("{s:i,s:i,s:o,s:I,s:I}", "rows", c->rows, "cols", c->cols,
		"scheme", ob_view_text(c->scheme), "specimens", (json_int_t)x->specimens, "capacity",
		(json_int_t)cap)
		: json_pack("{s:n,s:n,s:n,s:I,s:n}", "rows", "cols", "scheme", "specimens",
		(json_int_t)x->specimens, "capacity");

	if (!o || !box || json_object_update(o, box) < 0) {
		json_decref(o);
		o = NULL;
	}
	json_decref(box);
	return o;
}

json_t *ob_view_container_tree(const ob_container_tree *t)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < t->n; i++)
		if (append(a, container_row(&t->v[i]), "containers") < 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

json_t *ob_view_box_map(const ob_box_map *m)
{
	const ob_container_info *b = &m->box;
	size_t cells = (size_t)b->rows * (size_t)b->cols;
	json_t *pos = json_array(), *o;
	int bad = !pos;

	for (int r = 1; r <= b->rows && !bad; r++)
		for (int c = 1; c <= b->cols && !bad; c++) {
			char name[OB_POSITION_MAX];
			ob_position_name(b->scheme, b->cols, r, c, name);
			bad = append(pos, json_pack("{s:s,s:i,s:i,s:o}", "position", name, "row", r,
				"col", c, "specimen", ob_view_text(m->cell[(size_t)(r - 1) *
				(size_t)b->cols + (size_t)(c - 1)])), "box") < 0;
		}
	if (bad) {
		json_decref(pos);
		return NULL;
	}
	o = json_pack("{s:o,s:o,s:i,s:i,s:o,s:o,s:I,s:I,s:o}", "barcode", ob_view_text(b->barcode),
		"path", ob_view_text(m->path), "rows", b->rows, "cols", b->cols, "scheme",
		ob_view_text(b->scheme), "temperature", g_number(m->temperature), "used",
		(json_int_t)m->used, "free", (json_int_t)(cells - m->used), "positions", pos);
	return o;
}

static json_t *report_item(const ob_report_item *h)
{
	return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "barcode",
		ob_view_text(h->barcode), "type", ob_view_text(h->type), "status",
		ob_view_text(h->status), "donor", ob_view_text(h->donor), "donor_site",
		ob_view_text(h->donor_site), "site", ob_view_text(h->site), "container",
		ob_view_text(h->in->c.barcode), "path", ob_view_text(h->in->path), "position",
		text_or_null(h->position), "quantity", g_number(h->quantity), "unit",
		text_or_null(h->unit));
}

json_t *ob_view_freezer_report(const ob_freezer_report *r)
{
	const ob_container_row *root = r->root;
	json_t *types = json_object(), *items = json_array();
	int bad = !types || !items;

	for (size_t i = 0; i < r->ntypes && !bad; i++)
		bad = json_object_set_new(types, r->by_type[i].type,
			json_integer((json_int_t)r->by_type[i].n)) < 0;
	for (size_t i = 0; i < r->n && !bad; i++)
		bad = append(items, report_item(&r->v[i]), "report") < 0;
	if (bad) {
		json_decref(types);
		json_decref(items);
		return NULL;
	}
	return json_pack("{s:o,s:o,s:o,s:o,s:o,s:s,s:I,s:I,s:o,s:o}", "container",
		ob_view_text(root->c.barcode), "kind", ob_view_text(root->c.kind), "site",
		ob_view_text(root->c.site), "path", ob_view_text(root->path), "temperature",
		g_number(root->storage), "generated_at", r->generated_at, "count", (json_int_t)r->n,
		"donors", (json_int_t)r->donors, "by_type", types, "specimens", items);
}

/* Counts by name as one object, in their order. */
static json_t *counts(const ob_stats_count *v, size_t n)
{
	json_t *o = json_object();

	for (size_t i = 0; o && i < n; i++)
		if (json_object_set_new(o, v[i].name, json_integer(v[i].n)) < 0) {
			json_decref(o);
			return NULL;
		}
	return o;
}

json_t *ob_view_stats(const ob_stats *st)
{
	json_t *sites = json_array(), *diag = json_array(), *ev = json_array();
	int bad = !sites || !diag || !ev;

	for (size_t i = 0; i < st->nsites && !bad; i++) {
		const ob_stats_site *x = &st->by_site[i];
		bad = append(sites, json_pack("{s:o,s:o,s:o,s:o,s:o,s:i,s:I,s:I}", "code",
			ob_view_text(x->code), "name", ob_view_text(x->name), "kind",
			ob_view_text(x->kind), "parent", ob_view_text(x->parent), "path",
			ob_view_text(x->path), "depth", x->depth, "specimens", (json_int_t)x->specimens,
			"total", (json_int_t)x->total), "stats") < 0;
	}
	for (size_t i = 0; i < st->ndiagnoses && !bad; i++) {
		const ob_stats_diagnosis *x = &st->by_diagnosis[i];
		bad = append(diag, json_pack("{s:o,s:I,s:I}", "topography",
			ob_view_text(x->topography), "donors", (json_int_t)x->donors, "specimens",
			(json_int_t)x->specimens), "stats") < 0;
	}
	for (size_t i = 0; i < st->nrecent && !bad; i++) {
		const ob_stats_event *e = &st->recent[i];
		bad = append(ev, json_pack("{s:I,s:o,s:o,s:o,s:o,s:o,s:o}", "seq", (json_int_t)e->seq,
			"at", ob_view_text(e->at), "actor", ob_view_text(e->actor), "site",
			ob_view_text(e->site), "action", ob_view_text(e->action), "entity",
			ob_view_text(e->entity), "key", ob_view_text(e->key)), "stats") < 0;
	}
	if (bad) {
		json_decref(sites);
		json_decref(diag);
		json_decref(ev);
		return NULL;
	}
	return json_pack("{s:I,s:I,s:I,s:o,s:o,s:o,s:o,s:o,s:o}", "specimens",
		(json_int_t)st->specimens, "donors", (json_int_t)st->donors, "containers",
		(json_int_t)st->containers, "scope", ob_view_text(st->scope), "by_type",
		counts(st->by_type, st->ntypes), "by_status", counts(st->by_status, st->nstatuses),
		"by_site", sites, "by_diagnosis", diag, "recent", ev);
}

static int put(const char *text, size_t n, void *arg)
{
	return ob_buf_put(arg, text, n) < 0 ? -1 : 0;
}

int ob_view_dump(json_t *v, ob_buf *out)
{
	/* Compact, keys in insertion order, reals to 15 significant digits as
	 * "%.15g"; '/' and non-ASCII text as they are. */
	int rc = v ? json_dump_callback(v, put, out, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(15)) : -1;

	json_decref(v);
	return rc < 0 ? ob_error_set(OB_ERROR, "json: out of memory") : 0;
}

int ob_view_dump_line(json_t *v, ob_buf *out)
{
	int rc = ob_view_dump(v, out);

	if (rc == 0 && ob_buf_putc(out, '\n') < 0)
		rc = ob_error_set(OB_ERROR, "json: out of memory");
	return rc;
}
