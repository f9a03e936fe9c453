/*
 * shipment_receive.c - the receipt of a shipment at its destination
 * (shipment.h): one scan at a time, the discrepancies recorded, and the
 * finish that declares what never came missing.
 *
 * A scan must stay cheap (10,000 of them over HTTP at 1,000 a second): it
 * reads the shipment's head with its maintained counters, finds the
 * barcode on the manifest through two unique indexes, and writes the item,
 * the specimen and their audit events; it never reads the whole manifest.
 */
#include "bank/shipment.h"
#include "bank/barcode.h"
#include "bank/container.h"
#include "bank/shipment_internal.h"
#include "bank/specimen.h"
#include "base/error.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A barcode as found on the manifest. */
typedef struct found {
	int64_t item_id;        /* a specimen's item, 0 when not one */
	int64_t specimen_id;
	int64_t box_row;        /* its shipment_box row (the box's own row for a box) */
	int64_t box_container;  /* the box's container id */
	char barcode[64], type[32];
	char state[16];         /* the item's (or box's) state */
	char box[OB_CONTAINER_BARCODE_MAX];      /* the box it travels in; "" alone */
	char box_state[16];
	char by[128], at[OB_TIME_LEN];
} found;

/* Finds barcode on shipment h: 1 a specimen of the manifest, 2 a box of
 * it, 0 neither. */
static int find(const ob_ctx *cx, const ship_head *h, const char *barcode, found *f)
{
	static const char *const item =
		"SELECT i.id, s.id, i.box_id, b.container_id, s.barcode, s.type, i.state, c.barcode,"
		" b.state, i.received_by, i.received_at FROM shipment_item i"
		" JOIN specimen s ON s.id = i.specimen_id"
		" LEFT JOIN shipment_box b ON b.id = i.box_id"
		" LEFT JOIN container c ON c.id = b.container_id"
		" WHERE i.shipment_id = $1 AND s.barcode = $2";
	static const char *const box =
		"SELECT b.id, b.container_id, c.barcode, b.state, b.received_by, b.received_at"
		" FROM shipment_box b JOIN container c ON c.id = b.container_id"
		" WHERE b.shipment_id = $1 AND c.barcode = $2";
	const char *v;
	ob_stmt *s;
	int rc;

	memset(f, 0, sizeof *f);
	if ((rc = ob_store_prepare(cx->st, item, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, h->id);
	ob_stmt_bind_text(s, 2, barcode);
	if ((rc = ob_stmt_step(s)) == OB_ROW) {
		f->item_id = ob_stmt_int(s, 0);
		f->specimen_id = ob_stmt_int(s, 1);
		f->box_row = ob_stmt_is_null(s, 2) ? 0 : ob_stmt_int(s, 2);
		f->box_container = ob_stmt_is_null(s, 3) ? 0 : ob_stmt_int(s, 3);
		ob_strlcpy(f->barcode, ob_stmt_text(s, 4), sizeof f->barcode);
		ob_strlcpy(f->type, ob_stmt_text(s, 5), sizeof f->type);
		ob_strlcpy(f->state, ob_stmt_text(s, 6), sizeof f->state);
		if ((v = ob_stmt_text(s, 7)))
			ob_strlcpy(f->box, v, sizeof f->box);
		if ((v = ob_stmt_text(s, 8)))
			ob_strlcpy(f->box_state, v, sizeof f->box_state);
		if ((v = ob_stmt_text(s, 9)))
			ob_strlcpy(f->by, v, sizeof f->by);
		if ((v = ob_stmt_text(s, 10)))
			ob_strlcpy(f->at, v, sizeof f->at);
		rc = 1;
	}
	ob_stmt_reset(s);
	if (rc != 0)
		return rc;
	if ((rc = ob_store_prepare(cx->st, box, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, h->id);
	ob_stmt_bind_text(s, 2, barcode);
	if ((rc = ob_stmt_step(s)) == OB_ROW) {
		f->box_row = ob_stmt_int(s, 0);
		f->box_container = ob_stmt_int(s, 1);
		ob_strlcpy(f->barcode, ob_stmt_text(s, 2), sizeof f->barcode);
		ob_strlcpy(f->box, f->barcode, sizeof f->box);
		ob_strlcpy(f->type, "box", sizeof f->type);
		ob_strlcpy(f->state, ob_stmt_text(s, 3), sizeof f->state);
		ob_strlcpy(f->box_state, f->state, sizeof f->box_state);
		if ((v = ob_stmt_text(s, 4)))
			ob_strlcpy(f->by, v, sizeof f->by);
		if ((v = ob_stmt_text(s, 5)))
			ob_strlcpy(f->at, v, sizeof f->at);
		rc = 2;
	}
	ob_stmt_reset(s);
	return rc;
}

/* "HH:MM" of an ISO time, or the whole text when it is not one; a day
 * other than today is given in full. */
static void when(const char *at, char *out, size_t n)
{
	char now[OB_TIME_LEN];

	ob_time_now(now);
	if (strlen(at) >= 16 && !strncmp(at, now, 10))
		snprintf(out, n, "%.5s", at + 11);
	else
		ob_strlcpy(out, at, n);
}

/* OB_ECONFLICT for an item or box received or declared missing already. */
static int accounted(const found *f)
{
	char t[OB_TIME_LEN];

	when(f->at, t, sizeof t);
	return ob_error_set(OB_ECONFLICT, "barcode: %s%s was %s at %s by %s",
		f->item_id ? "" : "box ", f->barcode,
		!strcmp(f->state, "missing") ? "declared missing" : "received", t, f->by);
}

static int state_shipped(const ship_head *h, bool or_received)
{
	char t[OB_TIME_LEN];

	if (!strcmp(h->state, "shipped") || (or_received && !strcmp(h->state, "received")))
		return 0;
	if (!strcmp(h->state, "received")) {
		when(h->received_at, t, sizeof t);
		return ob_error_set(OB_ECONFLICT, "state: shipment %s was received at %s by %s: its"
			" receipt is complete", h->code, t, h->received_by);
	}
	return ob_error_set(OB_ECONFLICT, "state: shipment %s is %s: only a shipped shipment is"
		" received", h->code, h->state);
}

/* The first free position of box b into pos ("" when full). */
static int first_free(const ob_ctx *cx, const ob_container_info *b, char pos[OB_POSITION_MAX])
{
	static const char *const sql =
		"SELECT position FROM specimen WHERE container_id = $1 AND position IS NOT NULL";
	size_t cells = (size_t)b->rows * (size_t)b->cols;
	unsigned char *grid;
	ob_stmt *s;
	int rc, r, c;

	pos[0] = '\0';
	if (!cells)
		return 0;
	if (!(grid = calloc(cells, 1)))
		return ob_error_set(OB_ERROR, "out of memory");
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		goto out;
	ob_stmt_bind_int(s, 1, b->id);
	while ((rc = ob_stmt_step(s)) == OB_ROW)
		if (ob_position_parse(b->scheme, b->cols, ob_stmt_text(s, 0), &r, &c) == 0
		    && r >= 1 && c >= 1 && r <= b->rows && c <= b->cols)
			grid[(size_t)(r - 1) * (size_t)b->cols + (size_t)(c - 1)] = 1;
	ob_stmt_reset(s);
	if (rc < 0)
		goto out;
	for (size_t k = 0; k < cells; k++) {
		if (grid[k])
			continue;
		rc = ob_position_name(b->scheme, b->cols, (int)(k / (size_t)b->cols) + 1,
			(int)(k % (size_t)b->cols) + 1, pos);
		break;
	}
out:
	free(grid);
	return rc < 0 ? rc : 0;
}

/* The container a scan names, which must be of the to-site. */
static int dest_container(const ob_ctx *cx, const ship_head *h, const char *barcode,
                          ob_container_info *c)
{
	int rc = ob_scope_container(cx, OB_ACT_SHIPMENT, "container", barcode, c);

	if (rc < 0)
		return rc;
	if (strcmp(c->site, h->to))
		return ob_error_set(OB_EINVALID, "container: %s is at %s: shipment %s is received"
			" at %s", c->barcode, c->site, h->code, h->to);
	return 0;
}

/* Where a specimen scanned goes: box and position, or nowhere. */
static int placement(const ob_ctx *cx, const ship_head *h, const ob_shipment_scan *scan,
                     ob_container_info *c, char pos[OB_POSITION_MAX])
{
	char who[OB_BARCODE_MAX];
	int rc;

	memset(c, 0, sizeof *c);
	pos[0] = '\0';
	if (!scan->container || !*scan->container) {
		if (scan->position && *scan->position)
			return ob_error_set(OB_EINVALID, "position: given without a container");
		return 0;
	}
	if ((rc = dest_container(cx, h, scan->container, c)) < 0)
		return rc;
	if (strcmp(c->kind, "box"))
		return ob_error_set(OB_EINVALID, "container: %s is a %s, not a box: a specimen is"
			" put in a box", c->barcode, c->kind);
	if (scan->position && *scan->position) {
		if ((rc = ob_box_position(c, scan->position, pos)) < 0)
			return rc;
		if ((rc = ob_scope_occupant(cx, c->id, pos, 0, who, sizeof who)) < 0)
			return rc;
		if (rc)
			return ob_error_set(OB_ECONFLICT, "position: %s of %s is taken%s%s", pos,
				c->barcode, *who ? " by " : "", who);
		return 0;
	}
	if ((rc = first_free(cx, c, pos)) < 0)
		return rc;
	if (!*pos)
		return ob_error_set(OB_ECONFLICT, "container: box %s is full", c->barcode);
	return 0;
}

/* The specimen arrives: available at the to-site, where it was put;
 * audited "receive". container_id 0 keeps its place (a specimen of a box). */
static int specimen_arrives(const ob_ctx *cx, const ship_head *h, int64_t id, const char *barcode,
                            bool place, const ob_container_info *c, const char *pos)
{
	static const char *const moved =
		"UPDATE specimen SET status = 'available', site_id = $2, container_id = $3,"
		" position = $4 WHERE id = $1";
	static const char *const kept =
		"UPDATE specimen SET status = 'available', site_id = $2 WHERE id = $1";
	ship_change ch = { .status = "available", .site = h->to, .place = place };
	ob_buf before = OB_BUF_INIT, after = OB_BUF_INIT;
	char why[160];
	ob_ctx rcx = *cx;
	ob_stmt *s;
	int rc;

	snprintf(why, sizeof why, "shipment %s from %s", h->code, h->from);
	rcx.reason = why;
	if (place && c && c->id) {
		ch.container = c->barcode;
		ch.position = pos;
	}
	if ((rc = ship_specimen_rows(cx, id, &ch, &before, &after)) < 0
	    || (rc = ob_store_prepare(cx->st, place ? moved : kept, &s)) < 0)
		goto out;
	ob_stmt_bind_int(s, 1, id);
	ob_stmt_bind_int(s, 2, h->to_id);
	if (place) {
		if (c && c->id)
			ob_stmt_bind_int(s, 3, c->id);
		else
			ob_stmt_bind_null(s, 3);
		ob_stmt_bind_text(s, 4, pos && *pos ? pos : NULL);
	}
	if ((rc = ob_stmt_exec(s)) == OB_EEXISTS)  /* a concurrent writer took the place */
		rc = ob_error_set(OB_ECONFLICT, "position: %s is taken", pos ? pos : "");
	if (rc < 0)
		goto out;
	rc = ob_audit_append(&rcx, "receive", ob_specimen_audit.name, id, barcode,
		ob_buf_cstr(&before), ob_buf_cstr(&after));
out:
	ob_buf_dispose(&before);
	ob_buf_dispose(&after);
	return rc;
}

static int item_received(const ob_ctx *cx, int64_t item_id, int64_t container_id, const char *pos,
                         const char *now)
{
	static const char *const sql =
		"UPDATE shipment_item SET state = 'received', container_id = $2, position = $3,"
		" received_by = $4, received_at = $5 WHERE id = $1";
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, item_id);
	if (container_id)
		ob_stmt_bind_int(s, 2, container_id);
	else
		ob_stmt_bind_null(s, 2);
	ob_stmt_bind_text(s, 3, pos && *pos ? pos : NULL);
	ob_stmt_bind_text(s, 4, cx->actor ? cx->actor : "unknown");
	ob_stmt_bind_text(s, 5, now);
	return ob_stmt_exec(s);
}

/* The discrepancy bits of a scan, recorded; *n gets how many. */
static int scan_discs(const ob_ctx *cx, const ship_head *h, int64_t item_id, const char *barcode,
                      const ob_shipment_scan *scan, int64_t *n, ob_buf *note)
{
	static const struct {
		int bit;
		const char *kind;
	} bits[] = { { OB_DISC_DAMAGED, "damaged" }, { OB_DISC_THAWED, "thawed" },
		     { OB_DISC_WRONG_LABEL, "wrong_label" } };
	int rc = 0;

	*n = 0;
	for (size_t i = 0; i < sizeof bits / sizeof bits[0] && rc == 0; i++) {
		if (!(scan->discrepancies & bits[i].bit))
			continue;
		rc = ship_disc_insert(cx, h->id, item_id, barcode, bits[i].kind, scan->note);
		ob_buf_printf(note, "%s%s", *n ? ", " : " (", bits[i].kind);
		(*n)++;
	}
	if (*n)
		ob_buf_putc(note, ')');
	return rc;
}

static int receive_specimen(const ob_ctx *cx, ship_head *h, const found *f,
                            const ob_shipment_scan *scan, ob_shipment_scan_result *out,
                            ob_buf *note)
{
	ob_container_info c;
	char pos[OB_POSITION_MAX], now[OB_TIME_LEN];
	int64_t nd = 0;
	int rc;

	if (strcmp(f->state, "listed"))
		return accounted(f);
	if (f->box_row && !strcmp(f->box_state, "listed"))
		return ob_error_set(OB_ECONFLICT, "barcode: %s travels in box %s: scan the box",
			f->barcode, f->box);
	if ((rc = placement(cx, h, scan, &c, pos)) < 0)
		return rc;
	ob_time_now(now);
	if ((rc = specimen_arrives(cx, h, f->specimen_id, f->barcode, true, &c, pos)) < 0
	    || (rc = item_received(cx, f->item_id, c.id, pos, now)) < 0)
		return rc;
	ob_buf_printf(note, "%s", f->barcode);
	if (c.id)
		ob_buf_printf(note, " -> %s %s", c.barcode, pos);
	if ((rc = scan_discs(cx, h, f->item_id, f->barcode, scan, &nd, note)) < 0
	    || (rc = ship_count_add(cx, h, 1, 0, 0, nd)) < 0)
		return rc;
	ob_strlcpy(out->result, "received", sizeof out->result);
	ob_strlcpy(out->type, f->type, sizeof out->type);
	ob_strlcpy(out->container, c.barcode, sizeof out->container);
	ob_strlcpy(out->position, pos, sizeof out->position);
	out->n = 1;
	return 0;
}

/* The box's place in the to-site's tree, its path below its new parent. */
static int box_arrives(const ob_ctx *cx, const ship_head *h, int64_t box_id, const char *barcode,
                       const ob_container_info *p)
{
	static const char *const ppath_sql = "SELECT path FROM container WHERE id = $1";
	static const char *const upd =
		"UPDATE container SET site_id = $2, parent_id = $3, path = $4 WHERE id = $1";
	char ppath[512], path[600], why[160];
	ob_buf before = OB_BUF_INIT;
	ob_ctx rcx = *cx;
	ob_stmt *s;
	int rc, depth = 0;

	if ((rc = ob_store_prepare(cx->st, ppath_sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, p->id);
	if ((rc = ob_stmt_step(s)) == OB_ROW) {
		ob_strlcpy(ppath, ob_stmt_text(s, 0), sizeof ppath);
		rc = 0;
	} else if (rc == 0) {
		rc = ob_error_set(OB_ENOTFOUND, "container: %s not found", p->barcode);
	}
	ob_stmt_reset(s);
	if (rc < 0)
		return rc;
	for (const char *q = ppath; *q; q++)
		depth += *q == '/';
	if (depth > 16 || (size_t)snprintf(path, sizeof path, "%s%lld/", ppath, (long long)box_id)
			>= sizeof path)
		return ob_error_set(OB_EINVALID, "container: %s is too deep in the storage tree for"
			" a box", p->barcode);
	snprintf(why, sizeof why, "shipment %s from %s", h->code, h->from);
	rcx.reason = why;
	if ((rc = ob_audit_encode(cx, &ob_container_audit, box_id, &before)) < 0
	    || (rc = ob_store_prepare(cx->st, upd, &s)) < 0)
		goto out;
	ob_stmt_bind_int(s, 1, box_id);
	ob_stmt_bind_int(s, 2, h->to_id);
	ob_stmt_bind_int(s, 3, p->id);
	ob_stmt_bind_text(s, 4, path);
	if ((rc = ob_stmt_exec(s)) < 0)
		goto out;
	rc = ob_audit_record(&rcx, &ob_container_audit, "receive", box_id, barcode,
		ob_buf_cstr(&before));
out:
	ob_buf_dispose(&before);
	return rc;
}

/* The listed items of box row box_row: their ids, specimens and places. */
typedef struct inbox {
	int64_t item_id, specimen_id;
	char barcode[64], pos[OB_POSITION_MAX];
} inbox;

/* The listed items sql selects (item id, specimen id, barcode, position)
 * for id. */
static int listed_items(const ob_ctx *cx, const char *sql, int64_t id, inbox **out,
                        size_t *nout)
{
	inbox *v = NULL;
	size_t n = 0, cap = 0;
	ob_stmt *s;
	int rc;

	*out = NULL;
	*nout = 0;
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, id);
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		if ((rc = ship_grow(&v, &cap, n, sizeof *v)) < 0)
			break;
		memset(&v[n], 0, sizeof v[n]);
		v[n].item_id = ob_stmt_int(s, 0);
		v[n].specimen_id = ob_stmt_int(s, 1);
		ob_strlcpy(v[n].barcode, ob_stmt_text(s, 2), sizeof v[n].barcode);
		if (ob_stmt_text(s, 3))
			ob_strlcpy(v[n].pos, ob_stmt_text(s, 3), sizeof v[n].pos);
		n++;
	}
	ob_stmt_reset(s);
	if (rc < 0) {
		free(v);
		return rc;
	}
	*out = v;
	*nout = n;
	return 0;
}

static int box_items(const ob_ctx *cx, int64_t box_row, inbox **out, size_t *nout)
{
	static const char *const sql =
		"SELECT i.id, s.id, s.barcode, s.position FROM shipment_item i"
		" JOIN specimen s ON s.id = i.specimen_id"
		" WHERE i.box_id = $1 AND i.state = 'listed' ORDER BY i.id";

	return listed_items(cx, sql, box_row, out, nout);
}

static int box_state(const ob_ctx *cx, int64_t box_row, const char *state, int64_t parent,
                     const char *now)
{
	static const char *const sql =
		"UPDATE shipment_box SET state = $2, parent_id = $3, received_by = $4,"
		" received_at = $5 WHERE id = $1";
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, box_row);
	ob_stmt_bind_text(s, 2, state);
	if (parent)
		ob_stmt_bind_int(s, 3, parent);
	else
		ob_stmt_bind_null(s, 3);
	ob_stmt_bind_text(s, 4, cx->actor ? cx->actor : "unknown");
	ob_stmt_bind_text(s, 5, now);
	return ob_stmt_exec(s);
}

static int receive_box(const ob_ctx *cx, ship_head *h, const found *f,
                       const ob_shipment_scan *scan, ob_shipment_scan_result *out, ob_buf *note)
{
	ob_container_info p, box;
	char now[OB_TIME_LEN];
	inbox *v = NULL;
	size_t n = 0;
	int64_t nd = 0;
	int rc;

	if (strcmp(f->state, "listed"))
		return accounted(f);
	if (!scan->container || !*scan->container)
		return ob_error_set(OB_EINVALID, "container: box %s goes into a freezer, tank,"
			" refrigerator, shelf or rack of %s: name it", f->barcode, h->to);
	if (scan->position && *scan->position)
		return ob_error_set(OB_EINVALID, "position: a box is received whole, into a container"
			" without positions");
	if ((rc = dest_container(cx, h, scan->container, &p)) < 0)
		return rc;
	if (!strcmp(p.kind, "box"))
		return ob_error_set(OB_EINVALID, "container: %s is a box: box %s goes into a freezer,"
			" tank, refrigerator, shelf or rack", p.barcode, f->barcode);
	memset(&box, 0, sizeof box);
	ob_time_now(now);
	if ((rc = box_arrives(cx, h, f->box_container, f->barcode, &p)) < 0
	    || (rc = box_items(cx, f->box_row, &v, &n)) < 0)
		goto out;
	for (size_t i = 0; i < n && rc == 0; i++) {
		if ((rc = specimen_arrives(cx, h, v[i].specimen_id, v[i].barcode, false, NULL, NULL)) == 0)
			rc = item_received(cx, v[i].item_id, f->box_container, v[i].pos, now);
	}
	if (rc < 0 || (rc = box_state(cx, f->box_row, "received", p.id, now)) < 0)
		goto out;
	ob_buf_printf(note, "box %s (%zu specimen%s) -> %s", f->barcode, n, n == 1 ? "" : "s",
		p.barcode);
	if ((rc = scan_discs(cx, h, 0, f->barcode, scan, &nd, note)) < 0
	    || (rc = ship_count_add(cx, h, (int64_t)n, 0, 0, nd)) < 0)
		goto out;
	ob_strlcpy(out->result, "box", sizeof out->result);
	ob_strlcpy(out->type, "box", sizeof out->type);
	ob_strlcpy(out->container, p.barcode, sizeof out->container);
	out->n = (int64_t)n;
out:
	free(v);
	return rc;
}

/* A barcode not on the manifest: an "extra" discrepancy, recorded once.
 * *recorded tells whether it is new. */
static int extra(const ob_ctx *cx, ship_head *h, const char *barcode, const char *note,
                 bool *recorded)
{
	static const char *const sql =
		"SELECT 1 FROM shipment_discrepancy WHERE shipment_id = $1 AND barcode = $2"
		" AND kind = 'extra'";
	ob_stmt *s;
	int rc;

	*recorded = false;
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, h->id);
	ob_stmt_bind_text(s, 2, barcode);
	rc = ob_stmt_step(s);
	ob_stmt_reset(s);
	if (rc != 0)
		return rc == OB_ROW ? 0 : rc;
	if ((rc = ship_disc_insert(cx, h->id, 0, barcode, "extra", note)) < 0
	    || (rc = ship_count_add(cx, h, 0, 0, 1, 1)) < 0)
		return rc;
	*recorded = true;
	return 0;
}

static int scan_check(const ob_shipment_scan *scan)
{
	int rc;

	if (!scan || !scan->barcode || !*scan->barcode)
		return ob_error_set(OB_EINVALID, "barcode: a barcode is needed");
	if ((rc = ship_text_ok("barcode", scan->barcode)) < 0
	    || (rc = ship_text_ok("container", scan->container)) < 0
	    || (rc = ship_text_ok("position", scan->position)) < 0
	    || (rc = ship_text_ok("note", scan->note)) < 0)
		return rc;
	if (scan->discrepancies & ~(OB_DISC_DAMAGED | OB_DISC_THAWED | OB_DISC_WRONG_LABEL))
		return ob_error_set(OB_EINVALID, "discrepancies: a scan records damaged, thawed or"
			" wrong_label (missing and extra are found by the receipt)");
	return 0;
}

int ob_shipment_receive(const ob_ctx *cx, const char *code, const ob_shipment_scan *scan,
                        ob_shipment_scan_result *out)
{
	ob_shipment_scan_result res;
	ob_buf note = OB_BUF_INIT, before = OB_BUF_INIT;
	bool recorded = true;
	ship_head h;
	found f;
	int rc;

	memset(&res, 0, sizeof res);
	if ((rc = ob_access_check(cx, OB_ACT_SHIPMENT, NULL)) < 0 || (rc = scan_check(scan)) < 0)
		return rc;
	if ((rc = ob_store_begin(cx->st)) < 0)
		return rc;
	if ((rc = ship_load(cx, OB_ACT_SHIPMENT, SHIP_TO, code, &h)) < 0
	    || (rc = state_shipped(&h, false)) < 0)
		goto out;
	ob_strlcpy(res.barcode, scan->barcode, sizeof res.barcode);
	if ((rc = find(cx, &h, scan->barcode, &f)) < 0)
		goto out;
	if (rc == 1) {
		rc = receive_specimen(cx, &h, &f, scan, &res, &note);
	} else if (rc == 2) {
		rc = receive_box(cx, &h, &f, scan, &res, &note);
	} else {
		ob_strlcpy(res.result, "extra", sizeof res.result);
		ob_buf_printf(&note, "extra %s", scan->barcode);
		rc = extra(cx, &h, scan->barcode, scan->note, &recorded);
	}
	if (rc < 0 || (rc = ship_complete(cx, &h, &res.complete, &before)) < 0)
		goto out;
	res.counts = h.counts;
	if (recorded)
		rc = ship_event(cx, &h, "receive", note.failed ? scan->barcode : ob_buf_cstr(&note),
			ship_before(&before));
out:
	ob_buf_dispose(&note);
	ob_buf_dispose(&before);
	if (rc < 0) {
		ob_store_rollback(cx->st);
		return rc;
	}
	if ((rc = ob_store_commit(cx->st)) == 0 && out)
		*out = res;
	return rc;
}

/* Item f (listed, or received in its box) is missing. */
static int item_missing(const ob_ctx *cx, const ship_head *h, int64_t item_id, int64_t specimen_id,
                        const char *barcode, const char *note, const char *now)
{
	static const char *const sql =
		"UPDATE shipment_item SET state = 'missing', container_id = NULL, position = NULL,"
		" received_by = $2, received_at = $3 WHERE id = $1";
	ob_stmt *s;
	int rc;

	if ((rc = ship_specimen_missing(cx, h, specimen_id, barcode)) < 0
	    || (rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, item_id);
	ob_stmt_bind_text(s, 2, cx->actor ? cx->actor : "unknown");
	ob_stmt_bind_text(s, 3, now);
	if ((rc = ob_stmt_exec(s)) < 0)
		return rc;
	return ship_disc_insert(cx, h->id, item_id, barcode, "missing", note);
}

/* Every listed item of box row box_row missing, the box too; *n counts. */
static int box_missing(const ob_ctx *cx, const ship_head *h, int64_t box_row, const char *note,
                       const char *now, int64_t *n)
{
	inbox *v = NULL;
	size_t k = 0;
	int rc;

	if ((rc = box_items(cx, box_row, &v, &k)) < 0)
		return rc;
	for (size_t i = 0; i < k && rc == 0; i++)
		rc = item_missing(cx, h, v[i].item_id, v[i].specimen_id, v[i].barcode, note, now);
	free(v);
	if (rc == 0)
		rc = box_state(cx, box_row, "missing", 0, now);
	*n = (int64_t)k;
	return rc;
}

static bool kind_valid(const char *kind)
{
	for (const char *const *k = ob_shipment_discrepancy_kinds; kind && *k; k++)
		if (!strcmp(kind, *k))
			return true;
	return false;
}

/* A missing item or box (discrepancy kind missing). */
static int declare_missing(const ob_ctx *cx, ship_head *h, const found *f, int kind_of,
                           const char *note, const char *now)
{
	int64_t n = 0;
	int rc;

	if (kind_of == 2) {
		if (strcmp(f->state, "listed"))
			return strcmp(f->state, "missing") ? ob_error_set(OB_ECONFLICT, "barcode: box %s"
				" was received at %s by %s: declare missing the specimens not found"
				" in it", f->barcode, f->at, f->by) : accounted(f);
		if ((rc = box_missing(cx, h, f->box_row, note, now, &n)) < 0)
			return rc;
		return ship_count_add(cx, h, 0, n, 0, n);
	}
	if (!strcmp(f->state, "missing") || (!strcmp(f->state, "received") && !f->box_row))
		return accounted(f);
	if ((rc = item_missing(cx, h, f->item_id, f->specimen_id, f->barcode, note, now)) < 0)
		return rc;
	return ship_count_add(cx, h, !strcmp(f->state, "received") ? -1 : 0, 1, 0, 1);
}

int ob_shipment_discrepancy(const ob_ctx *cx, const char *code, const char *barcode,
                            const char *kind, const char *note)
{
	ob_buf msg = OB_BUF_INIT, before = OB_BUF_INIT;
	char now[OB_TIME_LEN];
	bool recorded = true, complete;
	ship_head h;
	found f;
	int rc, what;

	if ((rc = ob_access_check(cx, OB_ACT_SHIPMENT, NULL)) < 0)
		return rc;
	if ((rc = ship_text_ok("kind", kind)) < 0 || (rc = ship_text_ok("note", note)) < 0
	    || (rc = ship_text_ok("barcode", barcode)) < 0)
		return rc;
	if (!kind_valid(kind))
		return ob_error_set(OB_EINVALID, "kind: '%s' is not a discrepancy (missing, extra,"
			" damaged, thawed, wrong_label)", kind ? kind : "");
	if (!barcode || !*barcode)
		return ob_error_set(OB_EINVALID, "barcode: a barcode is needed");
	if ((rc = ob_store_begin(cx->st)) < 0)
		return rc;
	if ((rc = ship_load(cx, OB_ACT_SHIPMENT, SHIP_TO, code, &h)) < 0
	    || (rc = state_shipped(&h, true)) < 0 || (what = find(cx, &h, barcode, &f)) < 0) {
		rc = rc < 0 ? rc : what;
		goto out;
	}
	ob_time_now(now);
	if (!strcmp(kind, "extra")) {
		if (what) {
			rc = ob_error_set(OB_ECONFLICT, "barcode: %s is on the manifest of shipment %s:"
				" it is not extra", f.barcode, h.code);
			goto out;
		}
		rc = extra(cx, &h, barcode, note, &recorded);
	} else if (!what) {
		rc = ob_error_set(OB_ENOTFOUND, "barcode: '%s' is not on shipment %s", barcode, h.code);
	} else if (!strcmp(kind, "missing")) {
		rc = declare_missing(cx, &h, &f, what, note, now);
	} else if ((rc = ship_disc_insert(cx, h.id, f.item_id, f.barcode, kind, note)) == 0) {
		rc = ship_count_add(cx, &h, 0, 0, 0, 1);
	}
	if (rc < 0 || (rc = ship_complete(cx, &h, &complete, &before)) < 0 || !recorded)
		goto out;
	ob_buf_printf(&msg, "%s%s %s%s%s", what == 2 ? "box " : "", what ? f.barcode : barcode,
		kind, note && *note ? ": " : "", note && *note ? note : "");
	rc = ship_event(cx, &h, !strcmp(kind, "missing") ? "missing" : "discrepancy",
		msg.failed ? kind : ob_buf_cstr(&msg), ship_before(&before));
out:
	ob_buf_dispose(&msg);
	ob_buf_dispose(&before);
	if (rc < 0) {
		ob_store_rollback(cx->st);
		return rc;
	}
	return ob_store_commit(cx->st);
}

int ob_shipment_finish(const ob_ctx *cx, const char *code, const char *note)
{
	static const char *const boxes =
		"SELECT id FROM shipment_box WHERE shipment_id = $1 AND state = 'listed' ORDER BY id";
	static const char *const items =
		"SELECT i.id, s.id, s.barcode, s.position FROM shipment_item i"
		" JOIN specimen s ON s.id = i.specimen_id"
		" WHERE i.shipment_id = $1 AND i.state = 'listed' ORDER BY i.id";
	char now[OB_TIME_LEN], msg[2200];
	int64_t *bv = NULL, missing = 0, k;
	size_t nb = 0, cap = 0;
	ob_buf before = OB_BUF_INIT;
	inbox *v = NULL;
	bool complete;
	ship_head h;
	ob_stmt *s;
	int rc;

	if ((rc = ob_access_check(cx, OB_ACT_SHIPMENT, NULL)) < 0 || (rc = ship_text_ok("note", note)) < 0)
		return rc;
	if ((rc = ob_store_begin(cx->st)) < 0)
		return rc;
	if ((rc = ship_load(cx, OB_ACT_SHIPMENT, SHIP_TO, code, &h)) < 0
	    || (rc = state_shipped(&h, false)) < 0)
		goto out;
	ob_time_now(now);
	/* whole boxes first, then the items that travel alone */
	if ((rc = ob_store_prepare(cx->st, boxes, &s)) < 0)
		goto out;
	ob_stmt_bind_int(s, 1, h.id);
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		if ((rc = ship_grow(&bv, &cap, nb, sizeof *bv)) < 0)
			break;
		bv[nb++] = ob_stmt_int(s, 0);
	}
	ob_stmt_reset(s);
	for (size_t i = 0; i < nb && rc == 0; i++) {
		if ((rc = box_missing(cx, &h, bv[i], note, now, &k)) == 0)
			missing += k;
	}
	if (rc < 0 || (rc = listed_items(cx, items, h.id, &v, &nb)) < 0)
		goto out;
	for (size_t i = 0; i < nb && rc == 0; i++)
		rc = item_missing(cx, &h, v[i].item_id, v[i].specimen_id, v[i].barcode, note, now);
	missing += (int64_t)nb;
	if (rc < 0 || (rc = ship_recount(cx, h.id)) < 0 || (rc = ship_counts(cx, h.id, &h.counts)) < 0
	    || (rc = ship_complete(cx, &h, &complete, &before)) < 0)
		goto out;
	snprintf(msg, sizeof msg, "%lld item%s missing%s%s", (long long)missing,
		missing == 1 ? "" : "s", note && *note ? ": " : "", note && *note ? note : "");
	rc = ship_event(cx, &h, "finish", msg, ship_before(&before));
out:
	ob_buf_dispose(&before);
	free(bv);
	free(v);
	if (rc < 0) {
		ob_store_rollback(cx->st);
		return rc;
	}
	return ob_store_commit(cx->st);
}
