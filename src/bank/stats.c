/*
 * stats.c - the dashboard's figures (stats.h): grouped counts over the
 * specimens, donors and containers of the actor's read scope, and the
 * latest audit events. Every query takes the scope's site path as $1 ("":
 * the whole network) and filters with a prefix match on site.path, the way
 * specimen search does. The figures are read in one snapshot.
 */
#include "bank/stats.h"
#include "bank/access.h"
#include "base/error.h"
#include "store/store.h"

#include <stdbool.h>
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

/* A copy of s, or NULL for NULL; *bad is set when out of memory. */
static char *dup_text(const char *s, bool *bad)
{
	char *c = s ? strdup(s) : NULL;

	if (s && !c)
		*bad = true;
	return c;
}

/* The array v (n elements used, room for *cap) with room for one more,
 * that one zeroed; NULL when out of memory (v is then kept as it is). */
static void *more(void *v, size_t n, size_t *cap, size_t sz)
{
	char *nv = v;

	if (n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		if (!(nv = realloc(v, ncap * sz)))
			return NULL;
		*cap = ncap;
	}
	memset(nv + n * sz, 0, sz);
	return nv;
}

/* Runs sql ($1 = scope): a name in column 0 ("unknown" when NULL) and its
 * count in column 1, into v. */
static int count_by(const ob_ctx *cx, const char *sql, const char *scope, ob_stats_count **v,
                    size_t *n)
{
	size_t cap = 0;
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0 || (rc = ob_stmt_bind_text(s, 1, scope)) < 0)
		return rc;
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		const char *k = ob_stmt_text(s, 0);
		bool bad = false;
		ob_stats_count *nv = more(*v, *n, &cap, sizeof *nv);
		if (!nv) {
			rc = oom();
			break;
		}
		*v = nv;
		(*v)[*n].name = dup_text(k ? k : "unknown", &bad);
		(*v)[(*n)++].n = ob_stmt_int(s, 1);
		if (bad) {
			rc = oom();
			break;
		}
	}
	ob_stmt_reset(s);
	return rc;
}

static int count_one(const ob_ctx *cx, const char *sql, const char *scope, int64_t *n)
{
	int rc = ob_store_get_int(cx->st, sql, scope, n);

	if (rc == OB_ENOTFOUND)
		*n = 0;
	return rc < 0 && rc != OB_ENOTFOUND ? rc : 0;
}

/* One grouped count per site, then each site's subtree total in C: sites
 * come in path order, so a site's subtree is the run of rows after it whose
 * path starts with its own (one scan of specimen, not one per site). */
static int by_site(const ob_ctx *cx, const char *scope, ob_stats *st)
{
	static const char *const sql =
		"SELECT t.code, t.name, t.kind, p.code, t.path, COALESCE(c.n, 0)"
		" FROM site t LEFT JOIN site p ON p.id = t.parent_id"
		" LEFT JOIN (SELECT site_id, COUNT(*) AS n FROM specimen GROUP BY site_id) c"
		"   ON c.site_id = t.id"
		" WHERE $1 = '' OR substr(t.path, 1, length($1)) = $1"
		" ORDER BY t.path";
	size_t cap = 0;
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0 || (rc = ob_stmt_bind_text(s, 1, scope)) < 0)
		return rc;
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		const char *path = ob_stmt_text(s, 4);
		ob_stats_site *x;
		bool bad = false;
		int depth = -1;
		if (!(x = more(st->by_site, st->nsites, &cap, sizeof *x))) {
			rc = oom();
			break;
		}
		st->by_site = x;
		x = &st->by_site[st->nsites++];
		for (const char *c = path; c && *c; c++)
			depth += *c == '/';
		x->code = dup_text(ob_stmt_text(s, 0), &bad);
		x->name = dup_text(ob_stmt_text(s, 1), &bad);
		x->kind = dup_text(ob_stmt_text(s, 2), &bad);
		x->parent = dup_text(ob_stmt_text(s, 3), &bad);
		x->path = dup_text(path ? path : "", &bad);
		x->depth = depth > 0 ? depth - 1 : 0;
		x->specimens = ob_stmt_int(s, 5);
		if (bad) {
			rc = oom();
			break;
		}
	}
	ob_stmt_reset(s);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < st->nsites; i++) {
		ob_stats_site *x = &st->by_site[i];
		size_t len = strlen(x->path);
		for (size_t j = i; j < st->nsites && !strncmp(st->by_site[j].path, x->path, len); j++)
			x->total += st->by_site[j].specimens;
	}
	return 0;
}

static int by_diagnosis(const ob_ctx *cx, const char *scope, ob_stats *st)
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
	size_t cap = 0;
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0 || (rc = ob_stmt_bind_text(s, 1, scope)) < 0)
		return rc;
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		ob_stats_diagnosis *x;
		bool bad = false;
		if (!(x = more(st->by_diagnosis, st->ndiagnoses, &cap, sizeof *x))) {
			rc = oom();
			break;
		}
		st->by_diagnosis = x;
		x = &st->by_diagnosis[st->ndiagnoses++];
		x->topography = dup_text(ob_stmt_text(s, 0), &bad);
		x->donors = ob_stmt_int(s, 1);
		x->specimens = ob_stmt_int(s, 2);
		if (bad) {
			rc = oom();
			break;
		}
	}
	ob_stmt_reset(s);
	return rc;
}

static int recent_events(const ob_ctx *cx, const char *scope, int n, ob_stats *st)
{
	static const char *const sql =
		"SELECT e.seq, e.at, e.actor, e.site, e.action, e.entity, e.entity_key"
		" FROM audit_event e"
		" WHERE $1 = '' OR e.site IN"
		"  (SELECT code FROM site WHERE substr(path, 1, length($1)) = $1)"
		" ORDER BY e.seq DESC LIMIT $2";
	size_t cap = 0;
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0 || (rc = ob_stmt_bind_text(s, 1, scope)) < 0
	    || (rc = ob_stmt_bind_int(s, 2, n)) < 0)
		return rc;
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		ob_stats_event *e;
		bool bad = false;
		if (!(e = more(st->recent, st->nrecent, &cap, sizeof *e))) {
			rc = oom();
			break;
		}
		st->recent = e;
		e = &st->recent[st->nrecent++];
		e->seq = ob_stmt_int(s, 0);
		e->at = dup_text(ob_stmt_text(s, 1), &bad);
		e->actor = dup_text(ob_stmt_text(s, 2), &bad);
		e->site = dup_text(ob_stmt_text(s, 3), &bad);
		e->action = dup_text(ob_stmt_text(s, 4), &bad);
		e->entity = dup_text(ob_stmt_text(s, 5), &bad);
		e->key = dup_text(ob_stmt_text(s, 6), &bad);
		if (bad) {
			rc = oom();
			break;
		}
	}
	ob_stmt_reset(s);
	return rc;
}

void ob_stats_free(ob_stats *st)
{
	for (size_t i = 0; i < st->ntypes; i++)
		free(st->by_type[i].name);
	for (size_t i = 0; i < st->nstatuses; i++)
		free(st->by_status[i].name);
	for (size_t i = 0; i < st->nsites; i++) {
		ob_stats_site *x = &st->by_site[i];
		free(x->code);
		free(x->name);
		free(x->kind);
		free(x->parent);
		free(x->path);
	}
	for (size_t i = 0; i < st->ndiagnoses; i++)
		free(st->by_diagnosis[i].topography);
	for (size_t i = 0; i < st->nrecent; i++) {
		ob_stats_event *e = &st->recent[i];
		free(e->at);
		free(e->actor);
		free(e->site);
		free(e->action);
		free(e->entity);
		free(e->key);
	}
	free(st->by_type);
	free(st->by_status);
	free(st->by_site);
	free(st->by_diagnosis);
	free(st->recent);
	free(st->scope);
	memset(st, 0, sizeof *st);
}

int ob_stats_read(const ob_ctx *cx, int recent, ob_stats *out)
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
	bool bad = false;
	int rc, c;

	memset(out, 0, sizeof *out);
	if (recent <= 0)
		recent = OB_STATS_RECENT;
	if (recent > 1000)
		recent = 1000;
	if (*scope && !(out->scope = dup_text(scope, &bad)))
		return oom();
	if ((rc = ob_store_begin_read(cx->st)) < 0) {
		ob_stats_free(out);
		return rc;
	}
	if ((rc = count_one(cx, n_specimens, scope, &out->specimens)) == 0
	    && (rc = count_one(cx, n_donors, scope, &out->donors)) == 0
	    && (rc = count_one(cx, n_containers, scope, &out->containers)) == 0
	    && (rc = count_by(cx, types, scope, &out->by_type, &out->ntypes)) == 0
	    && (rc = count_by(cx, statuses, scope, &out->by_status, &out->nstatuses)) == 0
	    && (rc = by_site(cx, scope, out)) == 0
	    && (rc = by_diagnosis(cx, scope, out)) == 0)
		rc = recent_events(cx, scope, recent, out);
	/* a read ends in a commit: a rollback would doom a caller's transaction */
	c = ob_store_commit(cx->st);
	if (rc == 0)
		rc = c;
	if (rc < 0)
		ob_stats_free(out);
	return rc < 0 ? rc : 0;
}
