/*
 * specimen_query.c - finding specimens with filters, and the full record of
 * one specimen (lineage tree, location, SPREC in words, audit history).
 */
#include "bank/specimen.h"
#include "bank/access.h"
#include "bank/container.h"
#include "bank/scope.h"
#include "bank/site.h"
#include "base/error.h"
#include "base/util.h"
#include "store/store.h"

#include <math.h>
#include <stdio.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* Filter bits: the SQL for each combination is built once and kept for the
 * life of the process, so its address keys the statement cache. */
enum { F_SITE, F_TYPE, F_STATUS, F_TOPO, F_MORPH, F_CONSENT, F_CONTAINER, F_DONOR,
       F_PATHOLOGY, F_LINEAGE, F_COUNT };

static const char *const clause[F_COUNT] = {
	[F_SITE] = "s.site_id IN (SELECT id FROM site WHERE substr(path, 1, length($%d)) = $%d)",
	[F_TYPE] = "s.type = $%d",
	[F_STATUS] = "s.status = $%d",
	[F_TOPO] = "EXISTS (SELECT 1 FROM diagnosis g WHERE g.donor_id = s.donor_id"
		   " AND substr(g.topography, 1, length($%d)) = $%d)",
	[F_MORPH] = "EXISTS (SELECT 1 FROM diagnosis g WHERE g.donor_id = s.donor_id"
		    " AND substr(g.morphology, 1, length($%d)) = $%d)",
	[F_CONSENT] = "d.withdrawn = 0 AND (d.consent_mask & $%d) = $%d",
	[F_CONTAINER] = "s.container_id IN (SELECT id FROM container"
			" WHERE substr(path, 1, length($%d)) = $%d)",
	[F_DONOR] = "d.code = $%d",
	[F_PATHOLOGY] = "s.pathology = $%d",
	[F_LINEAGE] = "s.lineage = $%d",
};

/* The record's columns (specimen.h), then the paths of the sites of the
 * parent and of the container, which decide whether the reader may see
 * them (hide_others). */
#define ROW_SELECT "SELECT s.id" OB_SPECIMEN_FIELDS(OB_RECORD_SQL) ", ps.path, cs.path"
enum { COL_PARENT_PATH = 1 + OB_SPECIMEN_NFIELDS, COL_CONTAINER_PATH };
/* What a row is read from, specimen s given: its sites, donor, parent,
 * container and pre-analytical record. */
#define ROW_JOINS OB_SPECIMEN_JOINS \
	" LEFT JOIN site ps ON ps.id = p.site_id LEFT JOIN site cs ON cs.id = c.site_id"
#define ROW_COLS ROW_SELECT " FROM specimen s" ROW_JOINS
#define SPECIMEN_FROM " FROM specimen s"
#define DONOR_FROM " FROM specimen s JOIN donor d ON d.id = s.donor_id"

/* The server's worker threads share the table: a slot is published once with
 * a compare-and-swap, and a thread that loses the race frees its own copy
 * and takes the winner's, so every thread keys the cache with one address. */
static _Atomic(char *) built[2][1 << F_COUNT];

static const char *sql_for(unsigned mask, int count)
{
	ob_buf b = OB_BUF_INIT;
	char *have = atomic_load_explicit(&built[count][mask], memory_order_acquire), *mine;
	int n = 0;

	if (have)
		return have;
	/* The filters read the specimen alone, joining the donor only when one
	 * needs it. A page is chosen by id among the matching specimens first
	 * and only its rows are joined to their sites, donor, parent, container
	 * and pre-analytics: joining every match before the sort cost a search
	 * of 25,000 plasma specimens 30 ms instead of 6. */
	if (count)
		ob_buf_puts(&b, "SELECT COUNT(*)");
	else
		ob_buf_puts(&b, ROW_SELECT " FROM (SELECT s.id");
	ob_buf_puts(&b, mask & ((1u << F_CONSENT) | (1u << F_DONOR)) ? DONOR_FROM : SPECIMEN_FROM);
	for (int f = 0; f < F_COUNT; f++) {
		if (!(mask & (1u << f)))
			continue;
		ob_buf_puts(&b, n++ ? " AND " : " WHERE ");
		ob_buf_printf(&b, clause[f], f + 1, f + 1);
	}
	if (!count)
		ob_buf_puts(&b, " ORDER BY s.id LIMIT $20 OFFSET $21) pg"
			" JOIN specimen s ON s.id = pg.id" ROW_JOINS " ORDER BY s.id");
	if (!b.s || b.failed) {
		ob_buf_dispose(&b);
		return NULL;
	}
	mine = ob_buf_detach(&b);
	if (!atomic_compare_exchange_strong_explicit(&built[count][mask], &have, mine,
			memory_order_acq_rel, memory_order_acquire)) {
		free(mine);
		return have;
	}
	return mine;
}

/* The materialised path of the container a filter names, resolved within
 * the read scope (another site's container is as unknown as an absent one). */
static int container_path(const ob_ctx *cx, const char *barcode, char *path, size_t n)
{
	static const char *const sql = "SELECT path FROM container WHERE id = $1";
	ob_container_info c;
	ob_stmt *s;
	int rc;

	if ((rc = ob_scope_container(cx, OB_ACT_READ, "container", barcode, &c)) < 0)
		return rc;
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, c.id);
	rc = ob_stmt_step(s);
	if (rc == OB_ROW) {
		ob_strlcpy(path, ob_stmt_text(s, 0), n);
		rc = 0;
	} else if (rc == 0) {
		rc = ob_error_set(OB_ENOTFOUND, "container: no container has barcode '%s'", barcode);
	}
	ob_stmt_reset(s);
	return rc;
}

/* Prepares the filtered statement and binds the filter values. */
static int prepare_filtered(const ob_ctx *cx, const ob_specimen_filter *f, int count, ob_stmt **out)
{
	char site_path[OB_SCOPE_PATH_MAX], cont_path[512];
	const char *text[F_COUNT] = { 0 };
	unsigned mask = 0;
	const char *sql;
	ob_stmt *s;
	int rc;

	const char *scope = ob_access_read_scope(cx);

	if (f->site) {
		if ((rc = ob_scope_site(cx, OB_ACT_READ, "site", f->site, NULL, site_path)) < 0)
			return rc;
		text[F_SITE] = site_path;
	} else if (scope) {
		/* a user searches their own part of the network */
		ob_strlcpy(site_path, scope, sizeof site_path);
		text[F_SITE] = site_path;
	}
	if (f->container) {
		if ((rc = container_path(cx, f->container, cont_path, sizeof cont_path)) < 0)
			return rc;
		text[F_CONTAINER] = cont_path;
	}
	if (f->type && !ob_specimen_type_valid(f->type))
		return ob_error_set(OB_EINVALID, "type: '%s' is not a specimen type (%s)", f->type,
			ob_specimen_type_list());
	if (f->status && !ob_specimen_status_valid(f->status))
		return ob_error_set(OB_EINVALID, "status: '%s' is not a status", f->status);
	text[F_TYPE] = f->type;
	text[F_STATUS] = f->status;
	text[F_TOPO] = f->topography;
	text[F_MORPH] = f->morphology;
	text[F_DONOR] = f->donor;
	text[F_PATHOLOGY] = f->pathology;
	text[F_LINEAGE] = f->lineage;
	for (int i = 0; i < F_COUNT; i++)
		if (text[i] || (i == F_CONSENT && f->consent))
			mask |= 1u << i;
	if (!(sql = sql_for(mask, count)))
		return ob_error_set(OB_ERROR, "out of memory");
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	for (int i = 0; i < F_COUNT; i++) {
		if (i == F_CONSENT && f->consent)
			ob_stmt_bind_int(s, i + 1, f->consent);
		else if (text[i])
			ob_stmt_bind_text(s, i + 1, text[i]);
	}
	if (!count) {
		ob_stmt_bind_int(s, 20, f->limit > 0 ? f->limit : INT64_MAX);  /* PostgreSQL refuses -1 */
		ob_stmt_bind_int(s, 21, f->offset > 0 ? f->offset : 0);
	}
	*out = s;
	return 0;
}

static void read_row(ob_stmt *s, ob_specimen *r)
{
	r->id = ob_stmt_int(s, 0);
	ob_record_read(ob_specimen_fields, s, 1, r);
}

/* A row in the reader's scope may still point at another site's records:
 * a parent it was taken from, a box it was sent to (by a network-wide
 * user). Those are not named (scope.h). */
static void hide_others(const ob_ctx *cx, ob_stmt *s, ob_specimen *r)
{
	if (!ob_stmt_is_null(s, COL_PARENT_PATH)
	    && !ob_access_in_scope(cx, OB_ACT_READ, ob_stmt_text(s, COL_PARENT_PATH)))
		r->parent = NULL;
	if (!ob_stmt_is_null(s, COL_CONTAINER_PATH)
	    && !ob_access_in_scope(cx, OB_ACT_READ, ob_stmt_text(s, COL_CONTAINER_PATH)))
		r->container = r->position = NULL;
}

int ob_specimen_find(const ob_ctx *cx, const ob_specimen_filter *f, ob_specimen_cb cb, void *arg)
{
	ob_specimen row;
	ob_stmt *s;
	int rc;

	if ((rc = prepare_filtered(cx, f, 0, &s)) < 0)
		return rc;
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		read_row(s, &row);
		hide_others(cx, s, &row);
		if ((rc = cb(&row, arg)) != 0)
			break;
	}
	ob_stmt_reset(s);
	return rc < 0 || rc > OB_ROW ? rc : 0;
}

int ob_specimen_count(const ob_ctx *cx, const ob_specimen_filter *f, int64_t *n)
{
	ob_stmt *s;
	int rc;

	*n = 0;
	if ((rc = prepare_filtered(cx, f, 1, &s)) < 0)
		return rc;
	rc = ob_stmt_step(s);
	if (rc == OB_ROW)
		*n = ob_stmt_int(s, 0);
	ob_stmt_reset(s);
	return rc < 0 ? rc : 0;
}

static void kv_str(ob_buf *o, const char *k, const char *v)
{
	ob_buf_puts(o, ",\"");
	ob_buf_puts(o, k);
	ob_buf_puts(o, "\":");
	if (v)
		ob_buf_json_str(o, v);
	else
		ob_buf_puts(o, "null");
}

static void kv_num(ob_buf *o, const char *k, double v)
{
	if (isnan(v))
		ob_buf_printf(o, ",\"%s\":null", k);
	else
		ob_buf_printf(o, ",\"%s\":%.15g", k, v);
}

int ob_specimen_row_json(const ob_specimen *r, ob_buf *o)
{
	ob_buf_puts(o, "{\"barcode\":");
	ob_buf_json_str(o, r->barcode);
	kv_str(o, "label", r->label);
	kv_str(o, "site", r->site);
	kv_str(o, "donor", r->donor);
	kv_str(o, "donor_site", r->donor_site);
	kv_str(o, "type", r->type);
	kv_str(o, "parent", r->parent);
	kv_str(o, "lineage", r->lineage);
	kv_str(o, "anatomic_site", r->anatomic_site);
	kv_str(o, "pathology", r->pathology);
	kv_num(o, "tumour_pct", r->tumour_pct);
	kv_num(o, "quantity", r->quantity);
	kv_num(o, "initial_quantity", r->initial_quantity);
	kv_str(o, "unit", r->unit);
	kv_str(o, "collected_at", r->collected_at);
	kv_str(o, "sprec", r->sprec);
	kv_str(o, "status", r->status);
	ob_buf_printf(o, ",\"freeze_thaw\":%lld", (long long)r->freeze_thaw);
	kv_str(o, "container", r->container);
	kv_str(o, "position", r->position);
	kv_num(o, "concentration", r->concentration);
	kv_num(o, "a260_280", r->a260_280);
	kv_num(o, "rin", r->rin);
	kv_num(o, "din", r->din);
	return ob_buf_putc(o, '}');
}

/* ---- the full record ---- */

static int lineage_json(const ob_ctx *cx, int64_t id, ob_buf *o)
{
	/* Up to the root, then the whole tree below it: one query. */
	static const char *const sql =
		"WITH RECURSIVE up(id, parent_id) AS ("
		" SELECT id, parent_id FROM specimen WHERE id = $1"
		" UNION ALL SELECT p.id, p.parent_id FROM specimen p JOIN up ON p.id = up.parent_id),"
		" tree(id, depth) AS ("
		" SELECT id, 0 FROM up WHERE parent_id IS NULL"
		" UNION ALL SELECT c.id, tree.depth + 1 FROM specimen c JOIN tree ON c.parent_id = tree.id)"
		" SELECT s.barcode, p.barcode, s.type, s.lineage, s.status, s.quantity, s.unit,"
		" tree.depth, s.concentration, s.rin, s.din, ss.path, ps.path"
		" FROM tree JOIN specimen s ON s.id = tree.id JOIN site ss ON ss.id = s.site_id"
		" LEFT JOIN specimen p ON p.id = s.parent_id LEFT JOIN site ps ON ps.id = p.site_id"
		" ORDER BY tree.depth, s.id";
	ob_stmt *s;
	int rc, n = 0;

	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, id);
	ob_buf_puts(o, ",\"lineage\":[");
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		/* Relatives of another site (sent there, or taken from there) are
		 * left out, and not named as a parent either (scope.h). */
		if (!ob_access_in_scope(cx, OB_ACT_READ, ob_stmt_text(s, 11)))
			continue;
		ob_buf_puts(o, n++ ? ",{\"barcode\":" : "{\"barcode\":");
		ob_buf_json_str(o, ob_stmt_text(s, 0));
		kv_str(o, "parent", ob_stmt_is_null(s, 12)
			|| ob_access_in_scope(cx, OB_ACT_READ, ob_stmt_text(s, 12)) ? ob_stmt_text(s, 1)
			: NULL);
		kv_str(o, "type", ob_stmt_text(s, 2));
		kv_str(o, "lineage", ob_stmt_text(s, 3));
		kv_str(o, "status", ob_stmt_text(s, 4));
		kv_num(o, "quantity", ob_stmt_double(s, 5));
		kv_str(o, "unit", ob_stmt_text(s, 6));
		ob_buf_printf(o, ",\"depth\":%lld", (long long)ob_stmt_int(s, 7));
		kv_num(o, "concentration", ob_stmt_double(s, 8));
		kv_num(o, "rin", ob_stmt_double(s, 9));
		kv_num(o, "din", ob_stmt_double(s, 10));
		ob_buf_putc(o, '}');
	}
	ob_stmt_reset(s);
	ob_buf_putc(o, ']');
	return rc < 0 ? rc : 0;
}

static int location_json(const ob_ctx *cx, int64_t id, ob_buf *o)
{
	static const char *const sql =
		"SELECT s.container_id, s.position, cs.path FROM specimen s"
		" LEFT JOIN container c ON c.id = s.container_id LEFT JOIN site cs ON cs.id = c.site_id"
		" WHERE s.id = $1";
	ob_buf path = OB_BUF_INIT;
	ob_stmt *s;
	int64_t cid = 0;
	char pos[OB_POSITION_MAX] = "";
	int rc;

	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, id);
	if ((rc = ob_stmt_step(s)) == OB_ROW && !ob_stmt_is_null(s, 0)) {
		cid = ob_stmt_int(s, 0);
		ob_strlcpy(pos, ob_stmt_text(s, 1), sizeof pos);
		if (!ob_access_in_scope(cx, OB_ACT_READ, ob_stmt_text(s, 2)))
			cid = -1;  /* stored at a site the reader does not see */
	}
	ob_stmt_reset(s);
	if (rc < 0)
		return rc;
	if (!cid) {
		ob_buf_puts(o, ",\"location\":null");
		return 0;
	}
	if (cid < 0) {
		ob_buf_puts(o, ",\"location\":{\"path\":\"(another site)\",\"position\":null,"
			"\"temperature\":null}");
		return 0;
	}
	double temp = NAN;
	if ((rc = ob_container_path_text(cx, cid, &path)) < 0
	    || (rc = ob_container_temperature(cx, cid, &temp)) < 0) {
		ob_buf_dispose(&path);
		return rc;
	}
	ob_buf_puts(o, ",\"location\":{\"path\":");
	ob_buf_json_str(o, ob_buf_cstr(&path));
	kv_str(o, "position", pos);
	kv_num(o, "temperature", temp);
	ob_buf_putc(o, '}');
	ob_buf_dispose(&path);
	return 0;
}

static int sprec_json(const char *code, ob_buf *o)
{
	ob_sprec_parsed p;

	ob_buf_puts(o, ",\"sprec_explained\":");
	if (!code || ob_sprec_parse(code, NULL, &p) < 0) {
		ob_error_clear();
		return ob_buf_puts(o, "null");
	}
	ob_buf_putc(o, '[');
	for (int i = 0; i < OB_SPREC_NELEM; i++) {
		ob_buf_puts(o, i ? ",{\"element\":" : "{\"element\":");
		ob_buf_json_str(o, p.element[i].name);
		kv_str(o, "code", p.element[i].code);
		kv_str(o, "meaning", p.element[i].meaning);
		ob_buf_putc(o, '}');
	}
	return ob_buf_putc(o, ']');
}

static int preanalytics_json(const ob_specimen *r, ob_buf *o)
{
	ob_buf_puts(o, ",\"preanalytics\":{\"collection\":");
	if (r->collection)
		ob_buf_json_str(o, r->collection);
	else
		ob_buf_puts(o, "null");
	kv_str(o, "vessel", r->vessel);
	kv_num(o, "warm_ischaemia_min", r->warm_ischaemia_min);
	kv_num(o, "cold_ischaemia_min", r->cold_ischaemia_min);
	kv_str(o, "fixation", r->fixation);
	kv_num(o, "fixation_min", r->fixation_min);
	kv_num(o, "precentrifugation_min", r->precentrifugation_min);
	kv_str(o, "precentrifugation_temp", r->precentrifugation_temp);
	kv_str(o, "centrifugation", r->centrifugation);
	kv_str(o, "second_centrifugation", r->second_centrifugation);
	kv_num(o, "postcentrifugation_min", r->postcentrifugation_min);
	kv_str(o, "postcentrifugation_temp", r->postcentrifugation_temp);
	return ob_buf_putc(o, '}');
}

struct full {
	ob_buf *out;
	int found;
	int64_t id;
	char sprec[64];
};

static int full_cb(const ob_specimen *r, void *arg)
{
	struct full *f = arg;

	f->found = 1;
	f->id = r->id;
	ob_strlcpy(f->sprec, r->sprec ? r->sprec : "", sizeof f->sprec);
	ob_specimen_row_json(r, f->out);
	f->out->len--; /* reopen the object */
	f->out->s[f->out->len] = '\0';
	return preanalytics_json(r, f->out);
}

static int show_json(const ob_ctx *cx, const char *barcode, ob_buf *out);

int ob_specimen_show_json(const ob_ctx *cx, const char *barcode, ob_buf *out)
{
	int rc;

	/* One snapshot for the several reads below: consistent, and the
	 * database's lock is taken once instead of once per statement. */
	if ((rc = ob_store_begin_read(cx->st)) < 0)
		return rc;
	rc = show_json(cx, barcode, out);
	if (rc < 0) {
		ob_store_rollback(cx->st);
		return rc;
	}
	return ob_store_commit(cx->st);
}

static int show_json(const ob_ctx *cx, const char *barcode, ob_buf *out)
{
	struct full f = { out, 0, 0, "" };
	int64_t id;
	ob_stmt *s;
	int rc;

	if ((rc = ob_scope_specimen(cx, OB_ACT_READ, NULL, barcode, &id)) < 0)
		return rc;
	/* The row itself, through the same columns the search uses. */
	{
		static const char *const sql = ROW_COLS " WHERE s.id = $1";
		ob_specimen row;
		if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
			return rc;
		ob_stmt_bind_int(s, 1, id);
		rc = ob_stmt_step(s);
		if (rc == OB_ROW) {
			read_row(s, &row);
			hide_others(cx, s, &row);
			rc = full_cb(&row, &f);
		}
		ob_stmt_reset(s);
		if (rc < 0)
			return rc;
	}
	if ((rc = sprec_json(f.sprec[0] ? f.sprec : NULL, out)) < 0)
		return rc;
	if ((rc = location_json(cx, id, out)) < 0)
		return rc;
	if ((rc = lineage_json(cx, id, out)) < 0)
		return rc;
	ob_buf_puts(out, ",\"audit\":");
	if ((rc = ob_audit_history_json(cx, "specimen", id, out)) < 0)
		return rc;
	return ob_buf_puts(out, "}");
}
