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
       F_PATHOLOGY, F_LINEAGE, F_STUDY, F_EVENT, F_MEMBER, F_WITHDRAWN, F_COUNT };

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
	[F_STUDY] = "s.study_id IN (SELECT id FROM study WHERE code = $%d)",
	[F_EVENT] = "s.event_id IN (SELECT id FROM study_event WHERE code = $%d)",
	/* a study researcher: the specimens of the studies they are a member of */
	[F_MEMBER] = "s.study_id IN (SELECT m.study_id FROM study_member m"
		     " JOIN app_user u ON u.id = m.user_id WHERE u.username = $%d)",
	[F_WITHDRAWN] = "d.withdrawn = $%d",
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
	ob_buf_puts(&b, mask & ((1u << F_CONSENT) | (1u << F_DONOR) | (1u << F_WITHDRAWN))
		? DONOR_FROM : SPECIMEN_FROM);
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

int ob_specimen_withdrawn_parse(const char *word, int *out)
{
	static const char *const words[] = { "include", "exclude", "only" };

	for (int i = 0; word && i < 3; i++)
		if (!strcmp(word, words[i])) {
			*out = i;
			return 0;
		}
	return ob_error_set(OB_EINVALID, "withdrawn: '%.32s' is not include, exclude or only",
		word ? word : "");
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
	bool study_only = ob_access_study_only(cx);

	/* a study researcher reads no site: their studies' specimens instead */
	if (study_only) {
		text[F_MEMBER] = cx->actor ? cx->actor : "";
		scope = NULL;
	}
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
	if (f->withdrawn < OB_WITHDRAWN_INCLUDE || f->withdrawn > OB_WITHDRAWN_ONLY)
		return ob_error_set(OB_EINVALID, "withdrawn: not include, exclude or only");
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
	text[F_STUDY] = f->study;
	text[F_EVENT] = f->event;
	for (int i = 0; i < F_COUNT; i++)
		if (text[i] || (i == F_CONSENT && f->consent)
		    || (i == F_WITHDRAWN && f->withdrawn != OB_WITHDRAWN_INCLUDE))
			mask |= 1u << i;
	if (!(sql = sql_for(mask, count)))
		return ob_error_set(OB_ERROR, "out of memory");
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	for (int i = 0; i < F_COUNT; i++) {
		if (i == F_CONSENT && f->consent)
			ob_stmt_bind_int(s, i + 1, f->consent);
		else if (i == F_WITHDRAWN && f->withdrawn != OB_WITHDRAWN_INCLUDE)
			ob_stmt_bind_int(s, i + 1, f->withdrawn == OB_WITHDRAWN_ONLY);
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

/* ---- the full record ---- */

#define LINEAGE_NODE(name, kind) OB_RECORD_ENTRY(ob_lineage_node, name, kind, OB_F_ROW)
const ob_field ob_lineage_node_fields[] = {
	LINEAGE_NODE(barcode, TEXT) LINEAGE_NODE(parent, TEXT) LINEAGE_NODE(type, TEXT)
	LINEAGE_NODE(lineage, TEXT) LINEAGE_NODE(status, TEXT) LINEAGE_NODE(quantity, REAL)
	LINEAGE_NODE(unit, TEXT) LINEAGE_NODE(depth, INT) LINEAGE_NODE(concentration, REAL)
	LINEAGE_NODE(rin, REAL) LINEAGE_NODE(din, REAL)
	OB_RECORD_END
};

/* A copy of a column's text; *bad set when out of memory. */
/* A copy of s among the record's texts (freed with it, at once). */
static char *dup_text(ob_specimen_full *f, const char *s, bool *bad)
{
	char *d = ob_arena_strdup(&f->texts, s);

	if (s && !d)
		*bad = true;
	return d;
}

/* An array of n items of size sz grown to hold one more (a record has few
 * relatives and events). */
static void *grow(void *a, size_t n, size_t sz)
{
	return realloc(a, (n + 1) * sz);
}

static int read_lineage(const ob_ctx *cx, int64_t id, ob_specimen_full *f)
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
	bool bad = false;
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, id);
	while (!bad && (rc = ob_stmt_step(s)) == OB_ROW) {
		ob_lineage_node *a, *n;
		/* Relatives of another site (sent there, or taken from there) are
		 * left out, and not named as a parent either (scope.h). */
		if (!ob_access_in_scope(cx, OB_ACT_READ, ob_stmt_text(s, 11)))
			continue;
		if (!(a = grow(f->lineage, f->nlineage, sizeof *a))) {
			bad = true;
			break;
		}
		f->lineage = a;
		n = &a[f->nlineage++];
		memset(n, 0, sizeof *n);
		n->barcode = dup_text(f, ob_stmt_text(s, 0), &bad);
		n->parent = ob_stmt_is_null(s, 12)
			|| ob_access_in_scope(cx, OB_ACT_READ, ob_stmt_text(s, 12))
			? dup_text(f, ob_stmt_text(s, 1), &bad) : NULL;
		n->type = dup_text(f, ob_stmt_text(s, 2), &bad);
		n->lineage = dup_text(f, ob_stmt_text(s, 3), &bad);
		n->status = dup_text(f, ob_stmt_text(s, 4), &bad);
		n->quantity = ob_stmt_double(s, 5);
		n->unit = dup_text(f, ob_stmt_text(s, 6), &bad);
		n->depth = ob_stmt_int(s, 7);
		n->concentration = ob_stmt_double(s, 8);
		n->rin = ob_stmt_double(s, 9);
		n->din = ob_stmt_double(s, 10);
	}
	ob_stmt_reset(s);
	if (bad)
		return ob_error_set(OB_ERROR, "lineage: out of memory");
	return rc < 0 ? rc : 0;
}

static int read_location(const ob_ctx *cx, int64_t id, ob_specimen_full *f)
{
	static const char *const sql =
		"SELECT s.container_id, s.position, cs.path FROM specimen s"
		" LEFT JOIN container c ON c.id = s.container_id LEFT JOIN site cs ON cs.id = c.site_id"
		" WHERE s.id = $1";
	ob_buf path = OB_BUF_INIT;
	ob_stmt *s;
	int64_t cid = 0;
	int rc;

	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, id);
	if ((rc = ob_stmt_step(s)) == OB_ROW && !ob_stmt_is_null(s, 0)) {
		cid = ob_stmt_int(s, 0);
		ob_strlcpy(f->position, ob_stmt_text(s, 1), sizeof f->position);
		if (!ob_access_in_scope(cx, OB_ACT_READ, ob_stmt_text(s, 2)))
			cid = -1;  /* stored at a site the reader does not see */
	}
	ob_stmt_reset(s);
	if (rc < 0)
		return rc;
	if (cid <= 0) {
		f->location = cid ? OB_LOC_ELSEWHERE : OB_LOC_NONE;
		f->position[0] = '\0';
		return 0;
	}
	if ((rc = ob_container_path_text(cx, cid, &path)) < 0
	    || (rc = ob_container_temperature(cx, cid, &f->temperature)) < 0) {
		ob_buf_dispose(&path);
		return rc;
	}
	if (path.failed || !(f->path = ob_arena_strdup(&f->texts, ob_buf_cstr(&path))))
		rc = ob_error_set(OB_ERROR, "location: out of memory");
	ob_buf_dispose(&path);
	f->location = OB_LOC_HERE;
	return rc;
}

static int audit_cb(const ob_audit_event *e, void *arg)
{
	ob_specimen_full *f = arg;
	ob_audit_event *a;
	bool bad = false;

	if (!(a = grow(f->audit, f->naudit, sizeof *a)))
		return ob_error_set(OB_ERROR, "audit: out of memory");
	f->audit = a;
	a = &a[f->naudit++];
	a->seq = e->seq;
	a->at = dup_text(f, e->at, &bad);
	a->actor = dup_text(f, e->actor, &bad);
	a->action = dup_text(f, e->action, &bad);
	a->reason = dup_text(f, e->reason, &bad);
	a->before = dup_text(f, e->before, &bad);
	a->after = dup_text(f, e->after, &bad);
	return bad ? ob_error_set(OB_ERROR, "audit: out of memory") : 0;
}

void ob_specimen_full_free(ob_specimen_full *f)
{
	ob_arena_free(&f->texts);
	free(f->lineage);
	free(f->audit);
	memset(f, 0, sizeof *f);
	ob_record_init(ob_specimen_fields, &f->r);
}

static int full_read(const ob_ctx *cx, const char *barcode, ob_specimen_full *f)
{
	static const char *const sql = ROW_COLS " WHERE s.id = $1";
	int64_t id;
	ob_stmt *s;
	int rc;

	if ((rc = ob_scope_specimen(cx, OB_ACT_READ, NULL, barcode, &id)) < 0)
		return rc;
	/* The row itself, through the same columns the search uses. */
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, id);
	rc = ob_stmt_step(s);
	if (rc == OB_ROW) {
		bool bad = false;
		read_row(s, &f->r);
		hide_others(cx, s, &f->r);
		for (const ob_field *d = ob_specimen_fields; d->name; d++)
			if (d->kind == OB_FIELD_TEXT)
				*ob_field_text_at(d, &f->r) = dup_text(f, ob_field_text(d, &f->r), &bad);
		rc = bad ? ob_error_set(OB_ERROR, "specimen: out of memory") : 0;
	} else if (rc == 0) {
		rc = ob_error_set(OB_ENOTFOUND, "specimen: no specimen has barcode '%s'", barcode);
	}
	ob_stmt_reset(s);
	if (rc < 0)
		return rc;
	if (f->r.sprec && ob_sprec_parse(f->r.sprec, NULL, &f->sprec) == 0)
		f->sprec_ok = true;
	else
		ob_error_clear();
	if ((rc = read_location(cx, id, f)) < 0 || (rc = read_lineage(cx, id, f)) < 0)
		return rc;
	return ob_audit_events(cx, "specimen", id, audit_cb, f);
}

int ob_specimen_full_read(const ob_ctx *cx, const char *barcode, ob_specimen_full *f)
{
	int rc;

	memset(f, 0, sizeof *f);
	ob_record_init(ob_specimen_fields, &f->r);
	f->temperature = NAN;
	/* One snapshot for the several reads below: consistent, and the
	 * database's lock is taken once instead of once per statement. */
	if ((rc = ob_store_begin_read(cx->st)) < 0)
		return rc;
	if ((rc = full_read(cx, barcode, f)) < 0) {
		ob_store_rollback(cx->st);
		ob_specimen_full_free(f);
		return rc;
	}
	if ((rc = ob_store_commit(cx->st)) < 0)
		ob_specimen_full_free(f);
	return rc;
}
