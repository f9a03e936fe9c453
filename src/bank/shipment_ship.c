/*
 * shipment_ship.c - a shipment leaving its site (shipment.h): packing and
 * shipping, every item checked again, and cancelling one that has not
 * left. Shipping is one transaction, set-based where it matters (10,000
 * specimens in well under 2 s on SQLite): the rows are read once, the
 * specimens changed by two UPDATEs, and each specimen's audit event is
 * written from the rows built before and after.
 */
#include "bank/shipment.h"
#include "bank/container.h"
#include "bank/shipment_internal.h"
#include "bank/specimen.h"
#include "base/error.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* v, or NULL for "" */
static const char *or_null(const char *v)
{
	return v && *v ? v : NULL;
}

/* Every item checked again (packing, shipping), refusals into rf: the
 * specimens, and the boxes' contents as they are now against the manifest. */
static int recheck(const ob_ctx *cx, const ship_head *h, ship_refusals *rf)
{
	static const char *const items =
		"SELECT " CHECK_COLS ", c.barcode FROM shipment_item i"
		" JOIN specimen s ON s.id = i.specimen_id" CHECK_JOINS
		" LEFT JOIN shipment_box b ON b.id = i.box_id"
		" LEFT JOIN container c ON c.id = b.container_id"
		" WHERE i.shipment_id = $1 ORDER BY i.id";
	static const char *const left =
		"SELECT c.barcode, s.barcode FROM shipment_item i"
		" JOIN shipment_box b ON b.id = i.box_id JOIN container c ON c.id = b.container_id"
		" JOIN specimen s ON s.id = i.specimen_id WHERE i.shipment_id = $1"
		" AND (s.container_id IS NULL OR s.container_id <> b.container_id) ORDER BY i.id";
	static const char *const came =
		"SELECT c.barcode, s.barcode FROM shipment_box b"
		" JOIN container c ON c.id = b.container_id"
		" JOIN specimen s ON s.container_id = b.container_id WHERE b.shipment_id = $1"
		" AND NOT EXISTS (SELECT 1 FROM shipment_item i WHERE i.shipment_id = $1"
		" AND i.specimen_id = s.id AND i.box_id = b.id) ORDER BY s.id";
	char why[256];
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, items, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, h->id);
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		const char *box = ob_stmt_text(s, 12);
		if (!ship_why_not(h, s, why, sizeof why))
			continue;
		if (box)
			ship_refuse(rf, box, "its specimen %s: %s", ob_stmt_text(s, 1), why);
		else
			ship_refuse(rf, ob_stmt_text(s, 1), "%s", why);
	}
	ob_stmt_reset(s);
	if (rc < 0)
		return rc;
	for (int q = 0; q < 2; q++) {
		if ((rc = ob_store_prepare(cx->st, q ? came : left, &s)) < 0)
			return rc;
		ob_stmt_bind_int(s, 1, h->id);
		while ((rc = ob_stmt_step(s)) == OB_ROW)
			ship_refuse(rf, ob_stmt_text(s, 0), "%s %s since it was added: remove the box and add"
				" it again", ob_stmt_text(s, 1), q ? "was put in it" : "left it");
		ob_stmt_reset(s);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* The shipment's state moves: state into the columns who and when
 * (packed_by, packed_at; shipped_by ...). */
static int set_state(const ob_ctx *cx, ship_head *h, const char *sql)
{
	char now[OB_TIME_LEN];
	ob_stmt *s;
	int rc;

	ob_time_now(now);
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, h->id);
	ob_stmt_bind_text(s, 2, cx->actor ? cx->actor : "unknown");
	ob_stmt_bind_text(s, 3, now);
	return ob_stmt_exec(s);
}

int ob_shipment_pack(const ob_ctx *cx, const char *code, ob_shipment_refusals *ref)
{
	static const char *const sql =
		"UPDATE shipment SET state = 'packed', packed_by = $2, packed_at = $3 WHERE id = $1";
	ob_buf before = OB_BUF_INIT;
	ship_refusals rf = { 0 };
	ship_head h;
	int rc;

	if (ref)
		memset(ref, 0, sizeof *ref);
	if ((rc = ob_store_begin(cx->st)) < 0)
		return rc;
	if ((rc = ship_load(cx, OB_ACT_SHIPMENT, SHIP_FROM, code, &h)) < 0)
		goto out;
	if (strcmp(h.state, "draft")) {
		rc = ob_error_set(OB_ECONFLICT, "state: shipment %s is %s: only a draft is packed",
			h.code, h.state);
		goto out;
	}
	if (h.counts.items == 0) {
		rc = ob_error_set(OB_ECONFLICT, "items: shipment %s is empty: add specimens or boxes"
			" first", h.code);
		goto out;
	}
	if ((rc = recheck(cx, &h, &rf)) < 0 || (rc = ship_refusals_end(&rf, (size_t)h.counts.items, ref)) < 0)
		goto out;
	if ((rc = ob_audit_encode(cx, &ob_shipment_audit, h.id, &before)) < 0
	    || (rc = set_state(cx, &h, sql)) < 0)
		goto out;
	rc = ship_event(cx, &h, "pack", NULL, ob_buf_cstr(&before));
out:
	ob_shipment_refusals_free(&rf.r);
	ob_buf_dispose(&before);
	if (rc < 0) {
		ob_store_rollback(cx->st);
		return rc;
	}
	return ob_store_commit(cx->st);
}

/* The audit rows of one specimen being shipped, built from the row read
 * before the change (the change itself is set-based). */
typedef struct shipped {
	int64_t id;
	char *barcode, *before, *after;
} shipped;

static void shipped_free(shipped *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].barcode);
		free(v[i].before);
		free(v[i].after);
	}
	free(v);
}

/* Reads every specimen of the manifest and builds its rows before and
 * after shipping: in_transit, and out of its box when it goes alone. */
static int ship_rows(const ob_ctx *cx, const ship_head *h, shipped **out, size_t *nout)
{
	static const char *const sql =
		"SELECT s.id" OB_SPECIMEN_FIELDS(OB_RECORD_SQL) ", i.box_id FROM shipment_item i"
		" JOIN specimen s ON s.id = i.specimen_id" OB_SPECIMEN_JOINS
		" WHERE i.shipment_id = $1 ORDER BY i.id";
	ob_buf b = OB_BUF_INIT, a = OB_BUF_INIT;
	shipped *v = NULL;
	size_t n = 0, cap = 0;
	ob_specimen sp;
	ob_stmt *s;
	int rc;

	*out = NULL;
	*nout = 0;
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, h->id);
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		if ((rc = ship_grow(&v, &cap, n, sizeof *v)) < 0)
			break;
		memset(&sp, 0, sizeof sp);
		sp.id = ob_stmt_int(s, 0);
		ob_record_read(ob_specimen_fields, s, 1, &sp);
		ob_audit_row_begin(&b);
		ob_record_audit_row(cx, ob_specimen_fields, &sp, &b);
		if ((rc = ob_audit_row_end(&b)) < 0)
			break;
		sp.status = "in_transit";
		if (ob_stmt_is_null(s, 1 + OB_SPECIMEN_NFIELDS)) {
			sp.container = NULL;
			sp.position = NULL;
		}
		ob_audit_row_begin(&a);
		ob_record_audit_row(cx, ob_specimen_fields, &sp, &a);
		if ((rc = ob_audit_row_end(&a)) < 0)
			break;
		v[n].id = sp.id;
		v[n].barcode = strdup(ob_stmt_text(s, 1));
		v[n].before = strdup(ob_buf_cstr(&b));
		v[n].after = strdup(ob_buf_cstr(&a));
		n++;
		if (!v[n - 1].barcode || !v[n - 1].before || !v[n - 1].after) {
			rc = ob_error_set(OB_ERROR, "out of memory");
			break;
		}
	}
	ob_stmt_reset(s);
	ob_buf_dispose(&b);
	ob_buf_dispose(&a);
	if (rc < 0) {
		shipped_free(v, n);
		return rc;
	}
	*out = v;
	*nout = n;
	return 0;
}

/* The boxes leave their racks: parent none, a path of their own. */
static int ship_boxes(const ob_ctx *cx, const ship_head *h, const ob_ctx *rcx)
{
	static const char *const sql =
		"SELECT c.id, c.barcode, c.parent_id FROM shipment_box b"
		" JOIN container c ON c.id = b.container_id WHERE b.shipment_id = $1 ORDER BY b.id";
	static const char *const from =
		"UPDATE shipment_box SET from_parent_id = $2 WHERE shipment_id = $1 AND container_id = $3";
	static const char *const upd =
		"UPDATE container SET parent_id = NULL, path = $2 WHERE id = $1";
	struct {
		int64_t id, parent;
		char barcode[OB_CONTAINER_BARCODE_MAX];
	} *v = NULL;
	size_t n = 0, cap = 0;
	ob_buf before = OB_BUF_INIT;
	char path[32];
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, h->id);
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		if ((rc = ship_grow(&v, &cap, n, sizeof *v)) < 0)
			break;
		v[n].id = ob_stmt_int(s, 0);
		ob_strlcpy(v[n].barcode, ob_stmt_text(s, 1), sizeof v[n].barcode);
		v[n].parent = ob_stmt_is_null(s, 2) ? 0 : ob_stmt_int(s, 2);
		n++;
	}
	ob_stmt_reset(s);
	for (size_t i = 0; i < n && rc == 0; i++) {
		if ((rc = ob_audit_encode(cx, &ob_container_audit, v[i].id, &before)) < 0
		    || (rc = ob_store_prepare(cx->st, from, &s)) < 0)
			break;
		ob_stmt_bind_int(s, 1, h->id);
		if (v[i].parent)
			ob_stmt_bind_int(s, 2, v[i].parent);
		else
			ob_stmt_bind_null(s, 2);
		ob_stmt_bind_int(s, 3, v[i].id);
		if ((rc = ob_stmt_exec(s)) < 0 || (rc = ob_store_prepare(cx->st, upd, &s)) < 0)
			break;
		snprintf(path, sizeof path, "/%lld/", (long long)v[i].id);
		ob_stmt_bind_int(s, 1, v[i].id);
		ob_stmt_bind_text(s, 2, path);
		if ((rc = ob_stmt_exec(s)) < 0)
			break;
		rc = ob_audit_record(rcx, &ob_container_audit, "ship", v[i].id, v[i].barcode,
			ob_buf_cstr(&before));
	}
	ob_buf_dispose(&before);
	free(v);
	return rc;
}

int ob_shipment_ship(const ob_ctx *cx, const char *code, const char *courier,
                     const char *tracking, ob_shipment_refusals *ref)
{
	static const char *const where_alone =
		"UPDATE shipment_item SET"
		" from_container_id = (SELECT container_id FROM specimen WHERE id = shipment_item.specimen_id),"
		" from_position = (SELECT position FROM specimen WHERE id = shipment_item.specimen_id)"
		" WHERE shipment_id = $1 AND box_id IS NULL";
	static const char *const alone =
		"UPDATE specimen SET status = 'in_transit', container_id = NULL, position = NULL"
		" WHERE id IN (SELECT specimen_id FROM shipment_item WHERE shipment_id = $1"
		" AND box_id IS NULL)";
	static const char *const boxed_sql =
		"UPDATE specimen SET status = 'in_transit' WHERE id IN (SELECT specimen_id"
		" FROM shipment_item WHERE shipment_id = $1 AND box_id IS NOT NULL)";
	static const char *const state =
		"UPDATE shipment SET state = 'shipped', shipped_by = $2, shipped_at = $3 WHERE id = $1";
	static const char *const courier_sql =
		"UPDATE shipment SET courier = $2 WHERE id = $1";
	static const char *const tracking_sql =
		"UPDATE shipment SET tracking = $2 WHERE id = $1";
	ob_buf before = OB_BUF_INIT;
	ship_refusals rf = { 0 };
	shipped *v = NULL;
	size_t n = 0;
	char why[160];
	ob_ctx rcx;
	ship_head h;
	ob_stmt *s;
	int rc;

	if (ref)
		memset(ref, 0, sizeof *ref);
	if ((rc = ob_access_check(cx, OB_ACT_SHIPMENT, NULL)) < 0)
		return rc;
	if ((rc = ship_text_ok("courier", courier)) < 0 || (rc = ship_text_ok("tracking", tracking)) < 0)
		return rc;
	if ((rc = ob_store_begin(cx->st)) < 0)
		return rc;
	if ((rc = ship_load(cx, OB_ACT_SHIPMENT, SHIP_FROM, code, &h)) < 0)
		goto out;
	if (strcmp(h.state, "packed")) {
		rc = ob_error_set(OB_ECONFLICT, "state: shipment %s is %s: %s", h.code, h.state,
			!strcmp(h.state, "draft") ? "pack it first" : "only a packed shipment is shipped");
		goto out;
	}
	if ((rc = recheck(cx, &h, &rf)) < 0 || (rc = ship_refusals_end(&rf, (size_t)h.counts.items, ref)) < 0)
		goto out;
	if ((rc = ob_audit_encode(cx, &ob_shipment_audit, h.id, &before)) < 0
	    || (rc = ship_rows(cx, &h, &v, &n)) < 0)
		goto out;
	for (int q = 0; q < 3; q++) {
		if ((rc = ob_store_prepare(cx->st, q == 0 ? where_alone : q == 1 ? alone : boxed_sql,
				&s)) < 0)
			goto out;
		ob_stmt_bind_int(s, 1, h.id);
		if ((rc = ob_stmt_exec(s)) < 0)
			goto out;
	}
	snprintf(why, sizeof why, "shipment %s (%s to %s)", h.code, h.from, h.to);
	rcx = *cx;
	rcx.reason = why;
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = ob_audit_append(&rcx, "ship", ob_specimen_audit.name, v[i].id, v[i].barcode,
			v[i].before, v[i].after);
	if (rc < 0 || (rc = ship_boxes(cx, &h, &rcx)) < 0)
		goto out;
	for (int q = 0; q < 2; q++) {
		const char *val = q ? tracking : courier;
		if (!val)
			continue;
		if ((rc = ob_store_prepare(cx->st, q ? tracking_sql : courier_sql, &s)) < 0)
			goto out;
		ob_stmt_bind_int(s, 1, h.id);
		ob_stmt_bind_text(s, 2, or_null(val));
		if ((rc = ob_stmt_exec(s)) < 0)
			goto out;
	}
	if ((rc = set_state(cx, &h, state)) < 0)
		goto out;
	snprintf(why, sizeof why, "%zu specimen%s, %lld box%s", n, n == 1 ? "" : "s",
		(long long)h.counts.boxes, h.counts.boxes == 1 ? "" : "es");
	rc = ship_event(cx, &h, "ship", why, ob_buf_cstr(&before));
out:
	shipped_free(v, n);
	ob_shipment_refusals_free(&rf.r);
	ob_buf_dispose(&before);
	if (rc < 0) {
		ob_store_rollback(cx->st);
		return rc;
	}
	return ob_store_commit(cx->st);
}

int ob_shipment_cancel(const ob_ctx *cx, const char *code, const char *reason)
{
	static const char *const sql =
		"UPDATE shipment SET state = 'cancelled', cancelled_by = $2, cancelled_at = $3,"
		" cancel_reason = $4 WHERE id = $1";
	ob_buf before = OB_BUF_INIT;
	char now[OB_TIME_LEN];
	ship_head h;
	ob_stmt *s;
	int rc;

	if ((rc = ob_access_check(cx, OB_ACT_SHIPMENT, NULL)) < 0)
		return rc;
	if ((rc = ship_text_ok("reason", reason)) < 0)
		return rc;
	if (!reason || !*reason)
		return ob_error_set(OB_EINVALID, "reason: a cancelled shipment needs a reason");
	if ((rc = ob_store_begin(cx->st)) < 0)
		return rc;
	if ((rc = ship_load(cx, OB_ACT_SHIPMENT, SHIP_FROM, code, &h)) < 0)
		goto out;
	if (!strcmp(h.state, "shipped")) {
		rc = ob_error_set(OB_ECONFLICT, "state: shipment %s is shipped: it cannot be"
			" cancelled; receive it, recording what is missing", h.code);
		goto out;
	}
	if (strcmp(h.state, "draft") && strcmp(h.state, "packed")) {
		rc = ob_error_set(OB_ECONFLICT, "state: shipment %s is %s: it cannot be cancelled",
			h.code, h.state);
		goto out;
	}
	ob_time_now(now);
	if ((rc = ob_audit_encode(cx, &ob_shipment_audit, h.id, &before)) < 0
	    || (rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		goto out;
	ob_stmt_bind_int(s, 1, h.id);
	ob_stmt_bind_text(s, 2, cx->actor ? cx->actor : "unknown");
	ob_stmt_bind_text(s, 3, now);
	ob_stmt_bind_text(s, 4, reason);
	if ((rc = ob_stmt_exec(s)) < 0)
		goto out;
	rc = ship_event(cx, &h, "cancel", reason, ob_buf_cstr(&before));
out:
	ob_buf_dispose(&before);
	if (rc < 0) {
		ob_store_rollback(cx->st);
		return rc;
	}
	return ob_store_commit(cx->st);
}
