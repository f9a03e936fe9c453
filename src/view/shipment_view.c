/*
 * shipment_view.c - shipments as JSON (see shipment_view.h).
 */
#include "view/shipment_view.h"
#include "view/view.h"
#include "base/error.h"

#include <string.h>

/* A text as JSON: null when unknown or empty (the domain gives "" for
 * "none" in its item and box rows). */
static json_t *nz(const char *s)
{
	return s && *s ? ob_view_text(s) : json_null();
}

/* Kinds joined by "," as an array of words ("" none: []). */
static json_t *kinds(const char *joined)
{
	json_t *a = json_array();

	for (const char *p = joined; a && p && *p;) {
		const char *c = strchr(p, ',');
		size_t n = c ? (size_t)(c - p) : strlen(p);
		if (n && json_array_append_new(a, json_stringn(p, n)) < 0) {
			json_decref(a);
			return NULL;
		}
		p = c ? c + 1 : NULL;
	}
	return a;
}

/* Sets member name of o to v (taken); false when either failed. */
static bool set(json_t *o, const char *name, json_t *v)
{
	return v && json_object_set_new(o, name, v) == 0;
}

static int append(json_t *arr, json_t *item, const char *what)
{
	if (!item || json_array_append_new(arr, item) < 0)
		return ob_error_set(OB_ERROR, "%s: out of memory", what);
	return 0;
}

json_t *ob_view_shipment_counts(const ob_shipment_counts *c)
{
	return json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "items", (json_int_t)c->items, "boxes",
		(json_int_t)c->boxes, "received", (json_int_t)c->received, "missing",
		(json_int_t)c->missing, "pending", (json_int_t)c->pending, "extra",
		(json_int_t)c->extra, "discrepancies", (json_int_t)c->discrepancies);
}

/* The record's row fields, all text, in table order. */
static json_t *record(const ob_shipment_record *r)
{
	json_t *o = json_object();

	for (const ob_field *d = ob_shipment_fields; o && d->name; d++)
		if ((d->flags & OB_F_ROW) && !set(o, d->name, nz(ob_field_text(d, r)))) {
			json_decref(o);
			return NULL;
		}
	return o;
}

json_t *ob_view_shipment(const ob_shipment_record *r, const ob_shipment_counts *c)
{
	json_t *o = record(r);

	if (o && !set(o, "counts", ob_view_shipment_counts(c))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int ob_view_shipment_append(const ob_shipment_record *r, const ob_shipment_counts *c, void *arr)
{
	return append(arr, ob_view_shipment(r, c), "shipments");
}

static json_t *item(const ob_shipment_item *i)
{
	json_t *o = json_object();
	bool ok = o;

	ok = ok && set(o, "barcode", nz(i->barcode)) && set(o, "type", nz(i->type));
	ok = ok && set(o, "donor", nz(i->donor)) && set(o, "donor_site", nz(i->donor_site));
	ok = ok && set(o, "quantity", ob_view_real(i->quantity)) && set(o, "unit", nz(i->unit));
	ok = ok && set(o, "box", nz(i->box)) && set(o, "from_container", nz(i->from_container));
	ok = ok && set(o, "from_position", nz(i->from_position)) && set(o, "state", nz(i->state));
	ok = ok && set(o, "container", nz(i->container)) && set(o, "position", nz(i->position));
	ok = ok && set(o, "received_by", nz(i->received_by));
	ok = ok && set(o, "received_at", nz(i->received_at));
	ok = ok && set(o, "discrepancies", kinds(i->discrepancies));
	if (!ok) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *box(const ob_shipment_box *b)
{
	return json_pack("{s:o,s:o,s:i,s:i,s:I,s:o,s:o,s:o}", "barcode", nz(b->barcode), "name",
		nz(b->name), "rows", b->rows, "cols", b->cols, "items", (json_int_t)b->items,
		"from_parent", nz(b->from_parent), "state", nz(b->state), "parent", nz(b->parent));
}

static json_t *disc(const ob_shipment_disc *d)
{
	return json_pack("{s:o,s:o,s:o,s:o,s:o}", "barcode", nz(d->barcode), "kind", nz(d->kind),
		"note", nz(d->note), "by", nz(d->by), "at", nz(d->at));
}

static json_t *step(const ob_shipment_step *s)
{
	return json_pack("{s:o,s:o,s:o,s:o,s:o}", "action", nz(s->action), "by", nz(s->by), "site",
		nz(s->site), "at", nz(s->at), "note", nz(s->note));
}

/* An array of what fn makes of each of the n elements of v (size each). */
static json_t *array_of(const void *v, size_t n, size_t size, json_t *(*fn)(const void *))
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < n; i++)
		if (json_array_append_new(a, fn((const char *)v + i * size)) < 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static json_t *item_v(const void *p) { return item(p); }
static json_t *box_v(const void *p) { return box(p); }
static json_t *disc_v(const void *p) { return disc(p); }
static json_t *step_v(const void *p) { return step(p); }

json_t *ob_view_shipment_full(const ob_shipment_full *f)
{
	json_t *o = ob_view_shipment(&f->r, &f->counts);
	bool ok = o;

	ok = ok && set(o, "items", array_of(f->items, f->nitems, sizeof *f->items, item_v));
	ok = ok && set(o, "boxes", array_of(f->boxes, f->nboxes, sizeof *f->boxes, box_v));
	ok = ok && set(o, "discrepancies", array_of(f->discs, f->ndiscs, sizeof *f->discs,
		disc_v));
	ok = ok && set(o, "custody", array_of(f->custody, f->ncustody, sizeof *f->custody,
		step_v));
	if (!ok) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *ob_view_shipment_scan(const ob_shipment_scan_result *s)
{
	return json_pack("{s:o,s:o,s:o,s:o,s:o,s:I,s:o,s:b}", "result", nz(s->result), "barcode",
		nz(s->barcode), "type", nz(s->type), "container", nz(s->container), "position",
		nz(s->position), "n", (json_int_t)s->n, "counts", ob_view_shipment_counts(&s->counts),
		"complete", s->complete);
}

json_t *ob_view_shipment_refusals(const ob_shipment_refusals *r)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < r->n; i++)
		if (json_array_append_new(a, json_pack("{s:o,s:o}", "barcode",
				ob_view_text(r->v[i].barcode), "reason", ob_view_text(r->v[i].reason))) < 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

int ob_view_shipment_history_append(const ob_shipment_record *r, const char *item_state,
                                    const char *discrepancies, void *arr)
{
	json_t *o = record(r);

	if (o && (!set(o, "item_state", nz(item_state))
		  || !set(o, "item_discrepancies", kinds(discrepancies)))) {
		json_decref(o);
		o = NULL;
	}
	return append(arr, o, "shipments");
}
