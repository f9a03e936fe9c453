/*
 * stats.c - the dashboard's figures (stats.h): grouped counts over the
 * specimens, donors and containers of the actor's read scope, and the
 * latest audit events. Every query takes the scope's site path as $1 ("":
 * the whole network) and filters with a prefix match on site.path, the way
 * specimen search does.
 */
#include "bank/stats.h"
#include "bank/access.h"
#include "base/error.h"
#include "store/store.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* The path reads are limited to, "" for the whole network. */
static const char *read_scope(const ob_ctx *cx)
{
	const char *scope = ob_access_read_scope(cx);

	return scope ? scope : "";
}

static int oom(void)
{
	return ob_error_set(OB_ERROR, "stats: out of memory");
}

/* Runs sql ($1 = scope) and stores column 1 under the name in column 0. */
static int count_by(const ob_ctx *cx, const char *sql, const char *scope, json_t *obj)
{
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0 || (rc = ob_stmt_bind_text(s, 1, scope)) < 0)
		return rc;
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		const char *k = ob_stmt_text(s, 0);
		if (json_object_set_new(obj, k ? k : "unknown", json_integer(ob_stmt_int(s, 1))) < 0) {
			rc = oom();
			break;
		}
	}
	ob_stmt_reset(s);
	return rc;
}

static int count_one(const ob_ctx *cx, const char *sql, const char *scope, json_t *doc,
                     const char *name)
{
	int64_t n = 0;
	int rc = ob_store_get_int(cx->st, sql, scope, &n);

	if (rc < 0 && rc != OB_ENOTFOUND)
		return rc;
	return json_object_set_new(doc, name, json_integer(n)) < 0 ? oom() : 0;
}

static json_t *text_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* One grouped count per site, then each site's subtree total in C: sites
 * come in path order, so a site's subtree is the run of rows after it whose
 * path starts with its own (one scan of specimen, not one per site). */
static int by_site(const ob_ctx *cx, const char *scope, json_t *arr)
{
	static const char *const sql =
		"SELECT t.code, t.name, t.kind, p.code, t.path, COALESCE(c.n, 0)"
		" FROM site t LEFT JOIN site p ON p.id = t.parent_id"
		" LEFT JOIN (SELECT site_id, COUNT(*) AS n FROM specimen GROUP BY site_id) c"
		"   ON c.site_id = t.id"
		" WHERE $1 = '' OR substr(t.path, 1, length($1)) = $1"
		" ORDER BY t.path";
	ob_stmt *s;
	size_t n, i, j;
	json_t *o;
	int rc;

	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0 || (rc = ob_stmt_bind_text(s, 1, scope)) < 0)
		return rc;
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		const char *path = ob_stmt_text(s, 4);
		int depth = -1;
		for (const char *c = path; c && *c; c++)
			depth += *c == '/';
		o = json_pack("{s:s?, s:s?, s:s?, s:o, s:s?, s:i, s:I}",
			"code", ob_stmt_text(s, 0), "name", ob_stmt_text(s, 1),
			"kind", ob_stmt_text(s, 2), "parent", text_or_null(ob_stmt_text(s, 3)),
			"path", path ? path : "", "depth", depth > 0 ? depth - 1 : 0,
			"specimens", (json_int_t)ob_stmt_int(s, 5));
		if (!o || json_array_append_new(arr, o) < 0) {
			rc = oom();
			break;
		}
	}
	ob_stmt_reset(s);
	if (rc < 0)
		return rc;
	n = json_array_size(arr);
	for (i = 0; i < n; i++) {
		json_t *si = json_array_get(arr, i);
		const char *pi = json_string_value(json_object_get(si, "path"));
		size_t len = strlen(pi);
		json_int_t total = 0;
		for (j = i; j < n; j++) {
			json_t *sj = json_array_get(arr, j);
			if (strncmp(json_string_value(json_object_get(sj, "path")), pi, len))
				break;
			total += json_integer_value(json_object_get(sj, "specimens"));
		}
		if (json_object_set_new(si, "total", json_integer(total)) < 0)
			return oom();
	}
	return 0;
}

static int by_diagnosis(const ob_ctx *cx, const char *scope, json_t *arr)
{
	/* Topography groups: the three-character ICD-O-3 site ("C50" for
	 * C50.1 and C50.9); a donor counts once per group, with all of the
	 * donor's specimens. */
	static const char *const sql =
		"SELECT x.grp, COUNT(*),"
		" SUM((SELECT COUNT(*) FROM specimen s WHERE s.donor_id = x.donor_id))"
		" FROM (SELECT DISTINCT donor_id, substr(topography, 1, 3) AS grp FROM diagnosis) x"
		" JOIN donor d ON d.id = x.donor_id JOIN site t ON t.id = d.site_id"
		" WHERE $1 = '' OR substr(t.path, 1, length($1)) = $1"
		" GROUP BY x.grp ORDER BY 3 DESC, 1";
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0 || (rc = ob_stmt_bind_text(s, 1, scope)) < 0)
		return rc;
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		json_t *o = json_pack("{s:s?, s:I, s:I}", "topography", ob_stmt_text(s, 0),
			"donors", (json_int_t)ob_stmt_int(s, 1), "specimens", (json_int_t)ob_stmt_int(s, 2));
		if (!o || json_array_append_new(arr, o) < 0) {
			rc = oom();
			break;
		}
	}
	ob_stmt_reset(s);
	return rc;
}

static int recent_events(const ob_ctx *cx, const char *scope, int n, json_t *arr)
{
	static const char *const sql =
		"SELECT e.seq, e.at, e.actor, e.site, e.action, e.entity, e.entity_key"
		" FROM audit_event e"
		" WHERE $1 = '' OR e.site IN"
		"  (SELECT code FROM site WHERE substr(path, 1, length($1)) = $1)"
		" ORDER BY e.seq DESC LIMIT $2";
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0 || (rc = ob_stmt_bind_text(s, 1, scope)) < 0
	    || (rc = ob_stmt_bind_int(s, 2, n)) < 0)
		return rc;
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		json_t *o = json_pack("{s:I, s:s?, s:s?, s:o, s:s?, s:s?, s:o}",
			"seq", (json_int_t)ob_stmt_int(s, 0), "at", ob_stmt_text(s, 1),
			"actor", ob_stmt_text(s, 2), "site", text_or_null(ob_stmt_text(s, 3)),
			"action", ob_stmt_text(s, 4), "entity", ob_stmt_text(s, 5),
			"key", text_or_null(ob_stmt_text(s, 6)));
		if (!o || json_array_append_new(arr, o) < 0) {
			rc = oom();
			break;
		}
	}
	ob_stmt_reset(s);
	return rc;
}

int ob_stats_json(const ob_ctx *cx, int recent, ob_buf *out)
{
	static const char *const n_specimens =
		"SELECT COUNT(*) FROM specimen s JOIN site t ON t.id = s.site_id"
		" WHERE $1 = '' OR substr(t.path, 1, length($1)) = $1";
	static const char *const n_donors =
		"SELECT COUNT(*) FROM donor d JOIN site t ON t.id = d.site_id"
		" WHERE $1 = '' OR substr(t.path, 1, length($1)) = $1";
	static const char *const n_containers =
		"SELECT COUNT(*) FROM container c JOIN site t ON t.id = c.site_id"
		" WHERE $1 = '' OR substr(t.path, 1, length($1)) = $1";
	/* Grouped per site first, over the (site_id, type, status) index; the
	 * scope then filters a few hundred rows instead of every specimen. */
	static const char *const types =
		"SELECT c.type, SUM(c.n) FROM (SELECT site_id, type, COUNT(*) AS n FROM specimen"
		"  GROUP BY site_id, type) c JOIN site t ON t.id = c.site_id"
		" WHERE $1 = '' OR substr(t.path, 1, length($1)) = $1"
		" GROUP BY c.type ORDER BY c.type";
	static const char *const statuses =
		"SELECT c.status, SUM(c.n) FROM (SELECT site_id, type, status, COUNT(*) AS n"
		"  FROM specimen GROUP BY site_id, type, status) c JOIN site t ON t.id = c.site_id"
		" WHERE $1 = '' OR substr(t.path, 1, length($1)) = $1"
		" GROUP BY c.status ORDER BY c.status";
	const char *scope = read_scope(cx);
	json_t *doc = json_object(), *bt = json_object(), *bs = json_object(), *site = json_array(),
	       *diag = json_array(), *ev = json_array();
	char *text = NULL;
	int rc = 0;

	if (recent <= 0)
		recent = OB_STATS_RECENT;
	if (recent > 1000)
		recent = 1000;
	if (!doc || !bt || !bs || !site || !diag || !ev) {
		rc = oom();
		goto out;
	}
	if ((rc = count_one(cx, n_specimens, scope, doc, "specimens")) < 0
	    || (rc = count_one(cx, n_donors, scope, doc, "donors")) < 0
	    || (rc = count_one(cx, n_containers, scope, doc, "containers")) < 0
	    || (rc = count_by(cx, types, scope, bt)) < 0
	    || (rc = count_by(cx, statuses, scope, bs)) < 0
	    || (rc = by_site(cx, scope, site)) < 0
	    || (rc = by_diagnosis(cx, scope, diag)) < 0
	    || (rc = recent_events(cx, scope, recent, ev)) < 0)
		goto out;
	if (json_object_set_new(doc, "scope", *scope ? json_string(scope) : json_null()) < 0
	    || json_object_set(doc, "by_type", bt) < 0 || json_object_set(doc, "by_status", bs) < 0
	    || json_object_set(doc, "by_site", site) < 0
	    || json_object_set(doc, "by_diagnosis", diag) < 0
	    || json_object_set(doc, "recent", ev) < 0 || !(text = json_dumps(doc, JSON_COMPACT))) {
		rc = oom();
		goto out;
	}
	rc = ob_buf_puts(out, text) < 0 ? oom() : 0;
out:
	free(text);
	json_decref(doc);
	json_decref(bt);
	json_decref(bs);
	json_decref(site);
	json_decref(diag);
	json_decref(ev);
	return rc < 0 ? rc : 0;
}
