/*
 * shipment_read.c - reading shipments (shipment.h): one in full (record,
 * counts, manifest, boxes, discrepancies, the chain of custody read from
 * the audit trail), the lists by direction and state, and the shipments a
 * specimen travelled in. A reader whose read scope holds either site reads
 * a shipment; anyone else is answered as for one that does not exist.
 */
#include "bank/shipment.h"
#include "bank/scope.h"
#include "bank/shipment_internal.h"
#include "base/error.h"
#include "store/store.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHIP_LIST_COLS \
	"SELECT h.id" OB_SHIPMENT_FIELDS(OB_RECORD_SQL) ", h.n_items, h.n_boxes, h.n_received," \
	" h.n_missing, h.n_extra, h.n_discrepancies, fs.path, ts.path"
#define SHIP_SELECT SHIP_LIST_COLS " FROM shipment h" \
	" JOIN site fs ON fs.id = h.from_site_id JOIN site ts ON ts.id = h.to_site_id"

enum { NSHIP = 0 OB_SHIPMENT_FIELDS(OB_RECORD_COUNT) };

/* The counters of a row of SHIP_SELECT. */
static void read_counts(ob_stmt *s, ob_shipment_counts *c)
{
	int k = 1 + NSHIP;

	c->items = ob_stmt_int(s, k);
	c->boxes = ob_stmt_int(s, k + 1);
	c->received = ob_stmt_int(s, k + 2);
	c->missing = ob_stmt_int(s, k + 3);
	c->extra = ob_stmt_int(s, k + 4);
	c->discrepancies = ob_stmt_int(s, k + 5);
	c->pending = c->items - c->received - c->missing;
}

/* A copy of v ("" for NULL); *oom set when out of memory. */
static char *dup(const char *v, bool *oom)
{
	char *d = strdup(v ? v : "");

	if (!d)
		*oom = true;
	return d;
}

static void *grow(void *v, size_t *cap, size_t n, size_t size, bool *oom)
{
	size_t ncap;
	void *nv;

	if (n < *cap)
		return v;
	ncap = *cap ? *cap * 2 : 32;
	if (!(nv = realloc(v, ncap * size))) {
		*oom = true;
		return NULL;
	}
	memset((char *)nv + *cap * size, 0, (ncap - *cap) * size);
	*cap = ncap;
	return nv;
}

void ob_shipment_full_free(ob_shipment_full *f)
{
	if (!f)
		return;
	ob_record_release(ob_shipment_fields, &f->r);
	for (size_t i = 0; i < f->nitems; i++) {
		ob_shipment_item *it = &f->items[i];
		free(it->barcode);
		free(it->type);
		free(it->donor);
		free(it->donor_site);
		free(it->unit);
		free(it->box);
		free(it->from_container);
		free(it->from_position);
		free(it->state);
		free(it->container);
		free(it->position);
		free(it->received_by);
		free(it->received_at);
		free(it->discrepancies);
	}
	free(f->items);
	for (size_t i = 0; i < f->nboxes; i++) {
		free(f->boxes[i].barcode);
		free(f->boxes[i].name);
		free(f->boxes[i].from_parent);
		free(f->boxes[i].state);
		free(f->boxes[i].parent);
	}
	free(f->boxes);
	for (size_t i = 0; i < f->ndiscs; i++) {
		free(f->discs[i].barcode);
		free(f->discs[i].kind);
		free(f->discs[i].note);
		free(f->discs[i].by);
		free(f->discs[i].at);
	}
	free(f->discs);
	for (size_t i = 0; i < f->ncustody; i++) {
		free(f->custody[i].action);
		free(f->custody[i].by);
		free(f->custody[i].site);
		free(f->custody[i].at);
		free(f->custody[i].note);
	}
	free(f->custody);
	memset(f, 0, sizeof *f);
	ob_record_init(ob_shipment_fields, &f->r);
}

/* An item's row id and its place in the manifest, to attach its
 * discrepancies. */
typedef struct item_ref {
	int64_t id;
	size_t at;
} item_ref;

static int by_id(const void *x, const void *y)
{
	const item_ref *a = x, *b = y;

	return a->id < b->id ? -1 : a->id > b->id;
}

/* Appends kind to the item's discrepancies ("thawed,damaged"). */
static int add_kind(ob_shipment_item *it, const char *kind)
{
	size_t a = strlen(it->discrepancies), b = strlen(kind);
	char *n = realloc(it->discrepancies, a + b + 2);

	if (!n)
		return ob_error_set(OB_ERROR, "out of memory");
	if (a)
		n[a++] = ',';
	memcpy(n + a, kind, b + 1);
	it->discrepancies = n;
	return 0;
}

static int read_items(const ob_ctx *cx, ob_shipment_full *f)
{
	static const char *const sql =
		"SELECT s.barcode, s.type, d.code, ds.code, s.unit, bc.barcode, s.quantity,"
		" fc.barcode, i.from_position, i.state, c.barcode, i.position, i.received_by,"
		" i.received_at, i.id FROM shipment_item i JOIN specimen s ON s.id = i.specimen_id"
		" JOIN donor d ON d.id = s.donor_id JOIN site ds ON ds.id = d.site_id"
		" LEFT JOIN shipment_box b ON b.id = i.box_id"
		" LEFT JOIN container bc ON bc.id = b.container_id"
		" LEFT JOIN container fc ON fc.id = i.from_container_id"
		" LEFT JOIN container c ON c.id = i.container_id WHERE i.shipment_id = $1"
		" ORDER BY CASE WHEN i.box_id IS NULL THEN 1 ELSE 0 END, i.box_id, i.id";
	static const char *const discs =
		"SELECT item_id, kind FROM shipment_discrepancy WHERE shipment_id = $1"
		" AND item_id IS NOT NULL ORDER BY id";
	item_ref *refs = NULL;
	size_t cap = 0, rcap = 0;
	bool oom = false;
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, f->id);
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		ob_shipment_item *it;
		if (!(f->items = grow(f->items, &cap, f->nitems, sizeof *f->items, &oom))
		    || !(refs = grow(refs, &rcap, f->nitems, sizeof *refs, &oom)))
			break;
		it = &f->items[f->nitems];
		refs[f->nitems].id = ob_stmt_int(s, 14);
		refs[f->nitems].at = f->nitems;
		f->nitems++;
		it->barcode = dup(ob_stmt_text(s, 0), &oom);
		it->type = dup(ob_stmt_text(s, 1), &oom);
		it->donor = dup(ob_stmt_text(s, 2), &oom);
		it->donor_site = dup(ob_stmt_text(s, 3), &oom);
		it->unit = dup(ob_stmt_text(s, 4), &oom);
		it->box = dup(ob_stmt_text(s, 5), &oom);
		it->quantity = ob_stmt_double(s, 6);
		it->from_container = dup(ob_stmt_text(s, 7), &oom);
		it->from_position = dup(ob_stmt_text(s, 8), &oom);
		it->state = dup(ob_stmt_text(s, 9), &oom);
		it->container = dup(ob_stmt_text(s, 10), &oom);
		it->position = dup(ob_stmt_text(s, 11), &oom);
		it->received_by = dup(ob_stmt_text(s, 12), &oom);
		it->received_at = dup(ob_stmt_text(s, 13), &oom);
		it->discrepancies = dup(NULL, &oom);
		if (oom)
			break;
	}
	ob_stmt_reset(s);
	if (oom)
		rc = ob_error_set(OB_ERROR, "out of memory");
	if (rc < 0 || f->nitems == 0)
		goto out;
	qsort(refs, f->nitems, sizeof *refs, by_id);
	if ((rc = ob_store_prepare(cx->st, discs, &s)) < 0)
		goto out;
	ob_stmt_bind_int(s, 1, f->id);
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		item_ref key = { ob_stmt_int(s, 0), 0 }, *r;
		if ((r = bsearch(&key, refs, f->nitems, sizeof *refs, by_id))
		    && (rc = add_kind(&f->items[r->at], ob_stmt_text(s, 1))) < 0)
			break;
	}
	ob_stmt_reset(s);
out:
	free(refs);
	return rc < 0 ? rc : 0;
}

/* Fills one element from a row; *oom set when a copy failed. */
typedef void (*row_fill)(ob_stmt *s, void *elem, bool *oom);

/* The rows sql gives for shipment id, each filled into a new element of
 * *v (n elements of size bytes, grown as needed). */
static int read_rows(const ob_ctx *cx, const char *sql, int64_t id, void **v, size_t *n,
                     size_t size, row_fill fill)
{
	size_t cap = 0;
	bool oom = false;
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, id);
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		void *nv = grow(*v, &cap, *n, size, &oom);
		if (!nv)
			break;   /* *v kept: its elements are freed with the rest */
		*v = nv;
		fill(s, (char *)nv + (*n)++ * size, &oom);
		if (oom)
			break;
	}
	ob_stmt_reset(s);
	if (oom)
		return ob_error_set(OB_ERROR, "out of memory");
	return rc < 0 ? rc : 0;
}

static void fill_box(ob_stmt *s, void *elem, bool *oom)
{
	ob_shipment_box *b = elem;

	b->barcode = dup(ob_stmt_text(s, 0), oom);
	b->name = dup(ob_stmt_text(s, 1), oom);
	b->rows = ob_stmt_is_null(s, 2) ? 0 : (int)ob_stmt_int(s, 2);
	b->cols = ob_stmt_is_null(s, 3) ? 0 : (int)ob_stmt_int(s, 3);
	b->items = ob_stmt_int(s, 4);
	b->from_parent = dup(ob_stmt_text(s, 5), oom);
	b->state = dup(ob_stmt_text(s, 6), oom);
	b->parent = dup(ob_stmt_text(s, 7), oom);
}

static void fill_disc(ob_stmt *s, void *elem, bool *oom)
{
	ob_shipment_disc *d = elem;

	d->barcode = dup(ob_stmt_text(s, 0), oom);
	d->kind = dup(ob_stmt_text(s, 1), oom);
	d->note = dup(ob_stmt_text(s, 2), oom);
	d->by = dup(ob_stmt_text(s, 3), oom);
	d->at = dup(ob_stmt_text(s, 4), oom);
}

static void fill_step(ob_stmt *s, void *elem, bool *oom)
{
	ob_shipment_step *st = elem;

	st->action = dup(ob_stmt_text(s, 0), oom);
	st->by = dup(ob_stmt_text(s, 1), oom);
	st->site = dup(ob_stmt_text(s, 2), oom);
	st->at = dup(ob_stmt_text(s, 3), oom);
	st->note = dup(ob_stmt_text(s, 4), oom);
}

static int read_boxes(const ob_ctx *cx, ob_shipment_full *f)
{
	static const char *const sql =
		"SELECT c.barcode, c.name, c.nrows, c.ncols,"
		" (SELECT COUNT(*) FROM shipment_item i WHERE i.box_id = b.id), fp.barcode, b.state,"
		" p.barcode FROM shipment_box b JOIN container c ON c.id = b.container_id"
		" LEFT JOIN container fp ON fp.id = b.from_parent_id"
		" LEFT JOIN container p ON p.id = b.parent_id WHERE b.shipment_id = $1 ORDER BY b.id";

	return read_rows(cx, sql, f->id, (void **)&f->boxes, &f->nboxes, sizeof *f->boxes,
		fill_box);
}

static int read_discs(const ob_ctx *cx, ob_shipment_full *f)
{
	static const char *const sql =
		"SELECT barcode, kind, note, recorded_by, recorded_at FROM shipment_discrepancy"
		" WHERE shipment_id = $1 ORDER BY id";

	return read_rows(cx, sql, f->id, (void **)&f->discs, &f->ndiscs, sizeof *f->discs,
		fill_disc);
}

/* The chain of custody: the shipment's own audit events. */
static int read_custody(const ob_ctx *cx, ob_shipment_full *f)
{
	static const char *const sql =
		"SELECT action, actor, site, at, reason FROM audit_event"
		" WHERE entity = 'shipment' AND entity_id = $1 ORDER BY seq";

	return read_rows(cx, sql, f->id, (void **)&f->custody, &f->ncustody, sizeof *f->custody,
		fill_step);
}

int ob_shipment_read(const ob_ctx *cx, const char *code, ob_shipment_full *out)
{
	ship_head h;
	int rc;

	memset(out, 0, sizeof *out);
	ob_record_init(ob_shipment_fields, &out->r);
	if ((rc = ob_store_begin_read(cx->st)) < 0)
		return rc;
	if ((rc = ship_load(cx, OB_ACT_READ, SHIP_EITHER, code, &h)) < 0)
		goto out;
	out->id = h.id;
	out->counts = h.counts;
	if ((rc = ob_record_load(cx, ob_shipment_audit.one_sql, ob_shipment_fields, h.id,
			&out->r)) < 0
	    || (rc = read_items(cx, out)) < 0 || (rc = read_boxes(cx, out)) < 0
	    || (rc = read_discs(cx, out)) < 0)
		goto out;
	rc = read_custody(cx, out);
out:
	if (rc < 0) {
		ob_store_rollback(cx->st);
		ob_shipment_full_free(out);
		return rc;
	}
	return ob_store_commit(cx->st);
}

/* ---- lists --------------------------------------------------------------- */

/* A site named to filter by: public codes, no scope check. */
static int site_id(const ob_ctx *cx, const char *code, int64_t *id)
{
	return ob_scope_site_public(cx, "site", code, false, id, NULL);
}

/* $1 the reader's read scope (NULL: everything), $2 state, $3 direction
 * (0 all, 1 outgoing, 2 incoming), $4 a site's id (0: the reader's scope),
 * $5 '%q%' lower-cased. A site "matches" when it is site $4, or (no site
 * given) lies in the reader's scope. */
#define IN_SCOPE(p) "($1 IS NULL OR substr(" p ".path, 1, length($1)) = $1)"
#define MATCH(p) "(" p ".id = $4 OR ($4 = 0 AND " IN_SCOPE(p) "))"
#define LIST_WHERE \
	" WHERE (" IN_SCOPE("fs") " OR " IN_SCOPE("ts") ")" \
	" AND ($2 IS NULL OR h.state = $2)" \
	" AND (($3 <> 2 AND " MATCH("fs") ") OR ($3 <> 1 AND " MATCH("ts") "))" \
	" AND ($5 IS NULL OR lower(h.code) LIKE $5 OR lower(h.tracking) LIKE $5" \
	" OR lower(h.courier) LIKE $5)"

static bool word_in(const char *w, const char *const *words)
{
	for (; w && *words; words++)
		if (!strcmp(w, *words))
			return true;
	return false;
}

static int bind_filter(ob_stmt *s, const char *scope, const char *state, int dir, int64_t site,
                       const char *q)
{
	ob_stmt_bind_text(s, 1, scope);
	ob_stmt_bind_text(s, 2, state);
	ob_stmt_bind_int(s, 3, dir);
	ob_stmt_bind_int(s, 4, site);
	return ob_stmt_bind_text(s, 5, q);
}

int ob_shipment_list(const ob_ctx *cx, const ob_shipment_filter *f, ob_shipment_cb cb, void *arg,
                     int64_t *total)
{
	static const char *const rows = SHIP_SELECT LIST_WHERE
		" ORDER BY h.created_at DESC, h.id DESC LIMIT $6 OFFSET $7";
	static const char *const count =
		"SELECT COUNT(*) FROM shipment h JOIN site fs ON fs.id = h.from_site_id"
		" JOIN site ts ON ts.id = h.to_site_id" LIST_WHERE;
	static const ob_shipment_filter none = { 0 };
	const char *scope, *state;
	char q[512] = "";
	int64_t site = 0, limit;
	ob_shipment_record r;
	ob_shipment_counts c;
	int dir = 0, rc;
	ob_stmt *s;

	if (total)
		*total = 0;
	if (!f)
		f = &none;
	if ((rc = ob_access_check(cx, OB_ACT_READ, NULL)) < 0)
		return rc;
	if ((rc = ship_text_ok("direction", f->direction)) < 0
	    || (rc = ship_text_ok("state", f->state)) < 0 || (rc = ship_text_ok("site", f->site)) < 0
	    || (rc = ship_text_ok("q", f->q)) < 0)
		return rc;
	if (f->direction && *f->direction && strcmp(f->direction, "all")) {
		if (!strcmp(f->direction, "outgoing"))
			dir = 1;
		else if (!strcmp(f->direction, "incoming"))
			dir = 2;
		else
			return ob_error_set(OB_EINVALID, "direction: '%s' is not a direction (outgoing,"
				" incoming, all)", f->direction);
	}
	state = f->state && *f->state ? f->state : NULL;
	if (state && !word_in(state, ob_shipment_states))
		return ob_error_set(OB_EINVALID, "state: '%s' is not a shipment state (draft, packed,"
			" shipped, received, cancelled)", state);
	if (f->limit < 0 || f->limit > 1000)
		return ob_error_set(OB_EINVALID, "limit: 1 to 1000 (0: 50)");
	if (f->offset < 0)
		return ob_error_set(OB_EINVALID, "offset: not negative");
	limit = f->limit ? f->limit : 50;
	if (f->q && *f->q) {
		size_t k = 0;
		q[k++] = '%';
		for (const char *p = f->q; *p && k < sizeof q - 2; p++)
			q[k++] = (char)tolower((unsigned char)*p);
		q[k++] = '%';
		q[k] = '\0';
	}
	scope = ob_access_read_scope(cx);
	if ((rc = ob_store_begin_read(cx->st)) < 0)
		return rc;
	if (f->site && *f->site && (rc = site_id(cx, f->site, &site)) < 0)
		goto out;
	if (total) {
		if ((rc = ob_store_prepare(cx->st, count, &s)) < 0)
			goto out;
		bind_filter(s, scope, state, dir, site, *q ? q : NULL);
		if ((rc = ob_stmt_step(s)) == OB_ROW) {
			*total = ob_stmt_int(s, 0);
			rc = 0;
		}
		ob_stmt_reset(s);
		if (rc < 0)
			goto out;
	}
	if ((rc = ob_store_prepare(cx->st, rows, &s)) < 0)
		goto out;
	bind_filter(s, scope, state, dir, site, *q ? q : NULL);
	ob_stmt_bind_int(s, 6, limit);
	ob_stmt_bind_int(s, 7, f->offset);
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		ob_record_init(ob_shipment_fields, &r);
		ob_record_read(ob_shipment_fields, s, 1, &r);
		read_counts(s, &c);
		if ((rc = cb(&r, &c, arg)) != 0)
			break;
	}
	ob_stmt_reset(s);
out:
	if (rc < 0) {
		ob_store_rollback(cx->st);
		return rc;
	}
	ob_store_commit(cx->st);
	return rc;
}

/* ---- a specimen's shipments ---------------------------------------------- */

typedef struct trip {
	ob_shipment_record r;
	char *state;
	int64_t item_id;
} trip;

int ob_shipment_history(const ob_ctx *cx, const char *barcode, ob_shipment_history_cb cb,
                        void *arg)
{
	static const char *const sql =
		SHIP_LIST_COLS ", i.state, i.id FROM shipment_item i"
		" JOIN shipment h ON h.id = i.shipment_id"
		" JOIN site fs ON fs.id = h.from_site_id JOIN site ts ON ts.id = h.to_site_id"
		" WHERE i.specimen_id = $1 ORDER BY h.created_at, h.id";
	static const char *const discs =
		"SELECT kind FROM shipment_discrepancy WHERE item_id = $1 ORDER BY id";
	trip *v = NULL;
	size_t n = 0, cap = 0;
	ob_buf kinds = OB_BUF_INIT;
	bool oom = false;
	int64_t id;
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_begin_read(cx->st)) < 0)
		return rc;
	if ((rc = ob_scope_specimen(cx, OB_ACT_READ, "barcode", barcode, &id)) < 0
	    || (rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		goto out;
	ob_stmt_bind_int(s, 1, id);
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		int k = 1 + NSHIP + 6;
		if (!ob_access_in_scope(cx, OB_ACT_READ, ob_stmt_text(s, k))
		    && !ob_access_in_scope(cx, OB_ACT_READ, ob_stmt_text(s, k + 1)))
			continue;
		if (!(v = grow(v, &cap, n, sizeof *v, &oom)))
			break;
		ob_record_init(ob_shipment_fields, &v[n].r);
		ob_record_read(ob_shipment_fields, s, 1, &v[n].r);
		v[n].item_id = ob_stmt_int(s, k + 3);
		v[n].state = dup(ob_stmt_text(s, k + 2), &oom);
		n++;
		if (oom || ob_record_own(ob_shipment_fields, &v[n - 1].r) < 0) {
			oom = true;
			break;
		}
	}
	ob_stmt_reset(s);
	if (oom)
		rc = ob_error_set(OB_ERROR, "out of memory");
	if (rc < 0)
		goto out;
	for (size_t i = 0; i < n && rc == 0; i++) {
		ob_buf_clear(&kinds);
		ob_buf_puts(&kinds, "");
		if ((rc = ob_store_prepare(cx->st, discs, &s)) < 0)
			break;
		ob_stmt_bind_int(s, 1, v[i].item_id);
		while ((rc = ob_stmt_step(s)) == OB_ROW)
			ob_buf_printf(&kinds, "%s%s", kinds.len ? "," : "", ob_stmt_text(s, 0));
		ob_stmt_reset(s);
		if (rc < 0)
			break;
		rc = cb(&v[i].r, v[i].state, ob_buf_cstr(&kinds), arg);
	}
out:
	for (size_t i = 0; i < n; i++) {
		ob_record_release(ob_shipment_fields, &v[i].r);
		free(v[i].state);
	}
	free(v);
	ob_buf_dispose(&kinds);
	if (rc < 0) {
		ob_store_rollback(cx->st);
		return rc;
	}
	ob_store_commit(cx->st);
	return rc;
}
