/*
 * shipment_common.c - what the shipment functions share (shipment_internal.h):
 * the head of a shipment looked up within the scope, its custody events,
 * its counters and completion, the audit rows of a specimen a step changes,
 * discrepancy rows, and the refusals of items with the checks they come
 * from.
 */
#include "bank/shipment.h"
#include "bank/consent.h"
#include "bank/fields.h"
#include "bank/shipment_internal.h"
#include "bank/specimen.h"
#include "base/error.h"
#include "store/store.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the head, its events and counters ---------------------------------- */

int ship_text_ok(const char *field, const char *v)
{
	return v ? ob_field_check(field, v, strlen(v)) : 0;
}

int ship_grow(void *v, size_t *cap, size_t n, size_t size)
{
	void **pv = v;
	size_t ncap;
	void *nv;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 16;
	if (!(nv = realloc(*pv, ncap * size)))
		return ob_error_set(OB_ERROR, "out of memory");
	*pv = nv;
	*cap = ncap;
	return 0;
}

int ship_load(const ob_ctx *cx, ob_action act, enum ship_side side, const char *code,
              ship_head *h)
{
	static const char *const sql =
		"SELECT h.id, h.code, h.state, h.from_site_id, h.to_site_id, fs.code, ts.code,"
		" fs.path, ts.path, h.received_by, h.received_at, h.n_items, h.n_boxes, h.n_received,"
		" h.n_missing, h.n_extra, h.n_discrepancies FROM shipment h"
		" JOIN site fs ON fs.id = h.from_site_id JOIN site ts ON ts.id = h.to_site_id"
		" WHERE h.code = $1";
	bool in = false;
	ob_stmt *s;
	const char *v;
	int rc;

	memset(h, 0, sizeof *h);
	if ((rc = ob_access_check(cx, act, NULL)) < 0)
		return rc;
	if (!code || !*code)
		return ob_error_set(OB_EINVALID, "shipment: a shipment code is needed");
	if ((rc = ship_text_ok("shipment", code)) < 0)
		return rc;
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	if ((rc = ob_stmt_bind_text(s, 1, code)) == 0)
		rc = ob_stmt_step(s);
	if (rc == OB_ROW) {
		h->id = ob_stmt_int(s, 0);
		ob_strlcpy(h->code, ob_stmt_text(s, 1), sizeof h->code);
		ob_strlcpy(h->state, ob_stmt_text(s, 2), sizeof h->state);
		h->from_id = ob_stmt_int(s, 3);
		h->to_id = ob_stmt_int(s, 4);
		ob_strlcpy(h->from, ob_stmt_text(s, 5), sizeof h->from);
		ob_strlcpy(h->to, ob_stmt_text(s, 6), sizeof h->to);
		ob_strlcpy(h->from_path, ob_stmt_text(s, 7), sizeof h->from_path);
		ob_strlcpy(h->to_path, ob_stmt_text(s, 8), sizeof h->to_path);
		if ((v = ob_stmt_text(s, 9)))
			ob_strlcpy(h->received_by, v, sizeof h->received_by);
		if ((v = ob_stmt_text(s, 10)))
			ob_strlcpy(h->received_at, v, sizeof h->received_at);
		h->counts.items = ob_stmt_int(s, 11);
		h->counts.boxes = ob_stmt_int(s, 12);
		h->counts.received = ob_stmt_int(s, 13);
		h->counts.missing = ob_stmt_int(s, 14);
		h->counts.extra = ob_stmt_int(s, 15);
		h->counts.discrepancies = ob_stmt_int(s, 16);
		h->counts.pending = h->counts.items - h->counts.received - h->counts.missing;
		if (side != SHIP_TO)
			in = ob_access_in_scope(cx, act, h->from_path);
		if (!in && side != SHIP_FROM)
			in = ob_access_in_scope(cx, act, h->to_path);
		rc = 0;
	} else if (rc == 0) {
		rc = OB_ENOTFOUND;
	}
	ob_stmt_reset(s);
	if (rc == 0 && !in) {
		ob_access_note_target("shipment", code, true);
		rc = OB_ENOTFOUND;
	}
	if (rc == OB_ENOTFOUND)
		return ob_error_set(rc, "shipment: no shipment '%s'", code);
	return rc;
}

const char *ship_before(const ob_buf *b)
{
	return b->len ? ob_buf_cstr(b) : NULL;
}

int ship_event(const ob_ctx *cx, const ship_head *h, const char *action, const char *note,
               const char *before)
{
	ob_buf row = OB_BUF_INIT;
	ob_ctx rcx = *cx;
	int rc;

	rcx.reason = note && *note ? note : NULL;
	if ((rc = ob_audit_encode(cx, &ob_shipment_audit, h->id, &row)) == 0)
		rc = ob_audit_append(&rcx, action, ob_shipment_audit.name, h->id, h->code,
			before ? before : ob_buf_cstr(&row), ob_buf_cstr(&row));
	ob_buf_dispose(&row);
	return rc;
}

int ship_count_add(const ob_ctx *cx, ship_head *h, int64_t received, int64_t missing,
                   int64_t extra, int64_t discrepancies)
{
	static const char *const sql =
		"UPDATE shipment SET n_received = n_received + $2, n_missing = n_missing + $3,"
		" n_extra = n_extra + $4, n_discrepancies = n_discrepancies + $5 WHERE id = $1";
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, h->id);
	ob_stmt_bind_int(s, 2, received);
	ob_stmt_bind_int(s, 3, missing);
	ob_stmt_bind_int(s, 4, extra);
	ob_stmt_bind_int(s, 5, discrepancies);
	if ((rc = ob_stmt_exec(s)) < 0)
		return rc;
	h->counts.received += received;
	h->counts.missing += missing;
	h->counts.extra += extra;
	h->counts.discrepancies += discrepancies;
	h->counts.pending = h->counts.items - h->counts.received - h->counts.missing;
	return 0;
}

int ship_recount(const ob_ctx *cx, int64_t id)
{
	static const char *const sql =
		"UPDATE shipment SET"
		" n_items = (SELECT COUNT(*) FROM shipment_item WHERE shipment_id = $1),"
		" n_boxes = (SELECT COUNT(*) FROM shipment_box WHERE shipment_id = $1),"
		" n_received = (SELECT COUNT(*) FROM shipment_item WHERE shipment_id = $1"
		" AND state = 'received'),"
		" n_missing = (SELECT COUNT(*) FROM shipment_item WHERE shipment_id = $1"
		" AND state = 'missing'),"
		" n_extra = (SELECT COUNT(*) FROM shipment_discrepancy WHERE shipment_id = $1"
		" AND kind = 'extra'),"
		" n_discrepancies = (SELECT COUNT(*) FROM shipment_discrepancy WHERE shipment_id = $1)"
		" WHERE id = $1";
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, id);
	return ob_stmt_exec(s);
}

int ship_counts(const ob_ctx *cx, int64_t id, ob_shipment_counts *c)
{
	static const char *const sql =
		"SELECT n_items, n_boxes, n_received, n_missing, n_extra, n_discrepancies"
		" FROM shipment WHERE id = $1";
	ob_stmt *s;
	int rc;

	memset(c, 0, sizeof *c);
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, id);
	rc = ob_stmt_step(s);
	if (rc == OB_ROW) {
		c->items = ob_stmt_int(s, 0);
		c->boxes = ob_stmt_int(s, 1);
		c->received = ob_stmt_int(s, 2);
		c->missing = ob_stmt_int(s, 3);
		c->extra = ob_stmt_int(s, 4);
		c->discrepancies = ob_stmt_int(s, 5);
		c->pending = c->items - c->received - c->missing;
		rc = 0;
	} else if (rc == 0) {
		rc = ob_error_set(OB_ENOTFOUND, "shipment %lld not found", (long long)id);
	}
	ob_stmt_reset(s);
	return rc;
}

int ship_complete(const ob_ctx *cx, ship_head *h, bool *complete, ob_buf *before)
{
	static const char *const sql =
		"UPDATE shipment SET state = 'received', received_by = $2, received_at = $3"
		" WHERE id = $1";
	char now[OB_TIME_LEN];
	ob_stmt *s;
	int rc;

	*complete = !strcmp(h->state, "received");
	if (*complete || h->counts.pending > 0)
		return 0;
	ob_time_now(now);
	if ((rc = ob_audit_encode(cx, &ob_shipment_audit, h->id, before)) < 0
	    || (rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, h->id);
	ob_stmt_bind_text(s, 2, cx->actor ? cx->actor : "unknown");
	ob_stmt_bind_text(s, 3, now);
	if ((rc = ob_stmt_exec(s)) < 0)
		return rc;
	ob_strlcpy(h->state, "received", sizeof h->state);
	ob_strlcpy(h->received_by, cx->actor ? cx->actor : "unknown", sizeof h->received_by);
	ob_strlcpy(h->received_at, now, sizeof h->received_at);
	*complete = true;
	return 0;
}

int ship_specimen_rows(const ob_ctx *cx, int64_t id, const ship_change *ch, ob_buf *before,
                       ob_buf *after)
{
	ob_specimen sp;
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, ob_specimen_audit.one_sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, id);
	rc = ob_stmt_step(s);
	if (rc == OB_ROW) {
		memset(&sp, 0, sizeof sp);
		ob_record_read(ob_specimen_fields, s, 1, &sp);
		ob_audit_row_begin(before);
		ob_record_audit_row(cx, ob_specimen_fields, &sp, before);
		if ((rc = ob_audit_row_end(before)) == 0) {
			sp.status = ch->status;
			if (ch->site)
				sp.site = ch->site;
			if (ch->place) {
				sp.container = ch->container && *ch->container ? ch->container : NULL;
				sp.position = ch->position && *ch->position ? ch->position : NULL;
			}
			ob_audit_row_begin(after);
			ob_record_audit_row(cx, ob_specimen_fields, &sp, after);
			rc = ob_audit_row_end(after);
		}
	} else if (rc == 0) {
		rc = ob_error_set(OB_ENOTFOUND, "specimen %lld not found", (long long)id);
	}
	ob_stmt_reset(s);
	return rc;
}

int ship_specimen_missing(const ob_ctx *cx, const ship_head *h, int64_t specimen_id,
                          const char *barcode)
{
	static const char *const sql =
		"UPDATE specimen SET status = 'missing', container_id = NULL, position = NULL"
		" WHERE id = $1";
	static const ship_change ch = { .status = "missing", .place = true };
	ob_buf before = OB_BUF_INIT, after = OB_BUF_INIT;
	char why[160];
	ob_ctx rcx = *cx;
	ob_stmt *s;
	int rc;

	snprintf(why, sizeof why, "missing from shipment %s (%s to %s)", h->code, h->from, h->to);
	rcx.reason = why;
	if ((rc = ship_specimen_rows(cx, specimen_id, &ch, &before, &after)) < 0
	    || (rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		goto out;
	ob_stmt_bind_int(s, 1, specimen_id);
	if ((rc = ob_stmt_exec(s)) < 0)
		goto out;
	rc = ob_audit_append(&rcx, "missing", ob_specimen_audit.name, specimen_id, barcode,
		ob_buf_cstr(&before), ob_buf_cstr(&after));
out:
	ob_buf_dispose(&before);
	ob_buf_dispose(&after);
	return rc;
}

int ship_disc_insert(const ob_ctx *cx, int64_t shipment_id, int64_t item_id, const char *barcode,
                     const char *kind, const char *note)
{
	static const char *const sql =
		"INSERT INTO shipment_discrepancy (shipment_id, item_id, barcode, kind, note,"
		" recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
	char now[OB_TIME_LEN];
	ob_stmt *s;
	int rc;

	ob_time_now(now);
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, shipment_id);
	if (item_id)
		ob_stmt_bind_int(s, 2, item_id);
	else
		ob_stmt_bind_null(s, 2);
	ob_stmt_bind_text(s, 3, barcode);
	ob_stmt_bind_text(s, 4, kind);
	ob_stmt_bind_text(s, 5, note && *note ? note : NULL);
	ob_stmt_bind_text(s, 6, cx->actor ? cx->actor : "unknown");
	ob_stmt_bind_text(s, 7, now);
	return ob_stmt_exec(s);
}

/* ---- refusals ------------------------------------------------------------ */

void ob_shipment_refusals_free(ob_shipment_refusals *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].barcode);
		free(r->v[i].reason);
	}
	free(r->v);
	r->v = NULL;
	r->n = 0;
}

void ship_refuse(ship_refusals *rf, const char *barcode, const char *fmt, ...)
{
	char reason[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	if (rf->r.n == 0 || strcmp(rf->r.v[rf->r.n - 1].barcode, barcode))
		rf->barcodes++;
	if (ship_grow(&rf->r.v, &rf->cap, rf->r.n, sizeof *rf->r.v) < 0) {
		rf->oom = true;
		return;
	}
	rf->r.v[rf->r.n].barcode = strdup(barcode);
	rf->r.v[rf->r.n].reason = strdup(reason);
	if (!rf->r.v[rf->r.n].barcode || !rf->r.v[rf->r.n].reason) {
		free(rf->r.v[rf->r.n].barcode);
		free(rf->r.v[rf->r.n].reason);
		rf->oom = true;
		return;
	}
	rf->r.n++;
}

int ship_refusals_end(ship_refusals *rf, size_t total, ob_shipment_refusals *out)
{
	ob_buf msg = OB_BUF_INIT;
	int rc = 0;

	if (rf->oom)
		rc = ob_error_set(OB_ERROR, "out of memory collecting refusals");
	else if (rf->r.n) {
		ob_buf_printf(&msg, "%zu of %zu item%s cannot go: ", rf->barcodes, total,
			total == 1 ? "" : "s");
		for (size_t i = 0; i < rf->r.n && i < 10; i++)
			ob_buf_printf(&msg, "%s%s: %s", i ? "; " : "", rf->r.v[i].barcode,
				rf->r.v[i].reason);
		if (rf->r.n > 10)
			ob_buf_printf(&msg, "; and %zu more", rf->r.n - 10);
		rc = ob_error_set(OB_ECONFLICT, "%s", msg.failed ? "items cannot go"
			: ob_buf_cstr(&msg));
	}
	ob_buf_dispose(&msg);
	if (out && rc == OB_ECONFLICT) {
		ob_shipment_refusals_free(out);
		*out = rf->r;
	} else {
		ob_shipment_refusals_free(&rf->r);
	}
	memset(rf, 0, sizeof *rf);
	return rc;
}

/* ---- what can go --------------------------------------------------------- */

/* Why the specimen of the current row of s cannot go on h (reason into
 * why), or false when it can. */
bool ship_why_not(const ship_head *h, ob_stmt *s, char *why, size_t n)
{
	const char *status = ob_stmt_text(s, 2), *dpath = ob_stmt_text(s, 6);
	const char *other = ob_stmt_text(s, 11);

	if (ob_stmt_int(s, 3) != h->from_id)
		snprintf(why, n, "not a specimen of %s", h->from);
	else if (strcmp(status, "available"))
		snprintf(why, n, "status is %s", status);
	else if (ob_stmt_int(s, 4) || (ob_stmt_text(s, 8) && *ob_stmt_text(s, 8)))
		snprintf(why, n, "the donor withdrew consent");
	else if (strncmp(h->to_path, dpath, strlen(dpath))
		 && !(ob_stmt_int(s, 5) & OB_USE_TRANSFER))
		snprintf(why, n, "the donor's consent does not permit transfer outside %s",
			ob_stmt_text(s, 7));
	else if (other)
		snprintf(why, n, "in shipment %s", other);
	else
		return false;
	return true;
}

/* ---- material on its way: the guards of the other doors ----------------- */

/* The code of the shipped shipment whose item or box row sql names id
 * (state listed), into code; 1 when there is one, 0 when none. */
static int on_the_way(const ob_ctx *cx, const char *sql, int64_t id, char *code, size_t n)
{
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	if ((rc = ob_stmt_bind_int(s, 1, id)) == 0)
		rc = ob_stmt_step(s);
	if (rc == OB_ROW) {
		ob_strlcpy(code, ob_stmt_text(s, 0), n);
		rc = 1;
	}
	ob_stmt_reset(s);
	return rc;
}

int ob_shipment_specimen_home(const ob_ctx *cx, const char *field, int64_t specimen_id,
                              const char *barcode)
{
	static const char *const sql =
		"SELECT h.code FROM shipment_item i JOIN shipment h ON h.id = i.shipment_id"
		" WHERE i.specimen_id = $1 AND i.state = 'listed' AND h.state = 'shipped'";
	char code[OB_SHIPMENT_CODE_MAX];
	int rc = on_the_way(cx, sql, specimen_id, code, sizeof code);

	if (rc <= 0)
		return rc;
	return ob_error_set(OB_ECONFLICT, "%s%s%s is in transit on shipment %s: it is received"
		" or recorded missing there", field ? field : "", field ? ": " : "", barcode, code);
}

int ob_shipment_box_home(const ob_ctx *cx, const char *field, int64_t container_id,
                         const char *barcode)
{
	static const char *const sql =
		"SELECT h.code FROM shipment_box b JOIN shipment h ON h.id = b.shipment_id"
		" WHERE b.container_id = $1 AND b.state = 'listed' AND h.state = 'shipped'";
	char code[OB_SHIPMENT_CODE_MAX];
	int rc = on_the_way(cx, sql, container_id, code, sizeof code);

	if (rc <= 0)
		return rc;
	return ob_error_set(OB_ECONFLICT, "%s%sbox %s is in transit on shipment %s: it is"
		" received or recorded missing there", field ? field : "", field ? ": " : "",
		barcode, code);
}
