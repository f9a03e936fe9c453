/*
 * container_report.c - reading the storage tree out: the container list
 * (a site's or a subtree, depth first), a box's map as a grid, and the
 * freezer-failure report (every specimen below a container, with where it
 * is and whose it is). Read-only: typed results (container.h) that http
 * and cli render.
 */
#include "bank/container.h"
#include "bank/access.h"
#include "bank/scope.h"
#include "base/error.h"
#include "base/util.h"
#include "store/store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the tree in memory ------------------------------------------------- */

typedef struct node {
	ob_container_info c;
	char *path;       /* materialised ids "/12/40/" */
	char *text;       /* "FRZ-1 > RACK-1" */
	char *key;        /* barcodes joined by \1: sorts depth first by barcode */
	int depth;        /* 0 at the top of the whole tree */
	double storage;   /* own or nearest ancestor's temperature */
	int64_t specimens;
	size_t order;     /* index in depth-first order */
} node;

typedef struct tree {
	node *v;
	size_t n, cap;
	node **by_id;     /* sorted by id, for lookups */
} tree;

static void tree_dispose(tree *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].path);
		free(t->v[i].text);
		free(t->v[i].key);
	}
	free(t->v);
	free(t->by_id);
	memset(t, 0, sizeof *t);
}

static int cmp_id(const void *x, const void *y)
{
	const node *a = *(node *const *)x, *b = *(node *const *)y;

	return a->c.id < b->c.id ? -1 : a->c.id > b->c.id;
}

static int cmp_key(const void *x, const void *y)
{
	return strcmp(((const node *)x)->key, ((const node *)y)->key);
}

static node *tree_find(const tree *t, int64_t id)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (t->by_id[mid]->c.id == id)
			return t->by_id[mid];
		if (t->by_id[mid]->c.id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static char *join(const char *a, const char *sep, const char *b)
{
	size_t la = a ? strlen(a) : 0, ls = a ? strlen(sep) : 0, lb = strlen(b);
	char *s = malloc(la + ls + lb + 1);

	if (!s)
		return NULL;
	if (a) {
		memcpy(s, a, la);
		memcpy(s + la, sep, ls);
	}
	memcpy(s + la + ls, b, lb + 1);
	return s;
}

static int build_index(tree *t)
{
	free(t->by_id);
	if (!(t->by_id = malloc((t->n ? t->n : 1) * sizeof *t->by_id)))
		return ob_error_set(OB_ERROR, "out of memory");
	for (size_t i = 0; i < t->n; i++)
		t->by_id[i] = &t->v[i];
	qsort(t->by_id, t->n, sizeof *t->by_id, cmp_id);
	return 0;
}

/* Loads the containers whose path starts with under_path (NULL: all) and
 * whose site path starts with site_path (NULL: all), then derives each
 * one's path text, sort key and storage temperature, and orders them depth
 * first with siblings by barcode. Parents outside the selection (above
 * under) are asked for one by one. */
static int tree_load(const ob_ctx *cx, const char *under_path, const char *site_path, tree *t)
{
	static const char *const sql =
		"SELECT c.id, c.parent_id, c.barcode, c.name, c.kind, s.code, p.barcode,"
		" c.temperature, c.nrows, c.ncols, c.scheme, c.path,"
		" (SELECT COUNT(*) FROM specimen x WHERE x.container_id = c.id)"
		" FROM container c JOIN site s ON s.id = c.site_id"
		" LEFT JOIN container p ON p.id = c.parent_id"
		" WHERE ($1 IS NULL OR substr(c.path, 1, length($1)) = $1)"
		" AND ($2 IS NULL OR substr(s.path, 1, length($2)) = $2)"
		" ORDER BY c.path";
	ob_stmt *s;
	int rc;

	memset(t, 0, sizeof *t);
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_text(s, 1, under_path);
	ob_stmt_bind_text(s, 2, site_path);
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		node *x;
		const char *v;
		if (t->n == t->cap) {
			size_t ncap = t->cap ? t->cap * 2 : 32;
			node *nv = realloc(t->v, ncap * sizeof *nv);
			if (!nv) {
				rc = ob_error_set(OB_ERROR, "out of memory");
				break;
			}
			t->v = nv;
			t->cap = ncap;
		}
		x = &t->v[t->n++];
		memset(x, 0, sizeof *x);
		x->c.id = ob_stmt_int(s, 0);
		x->c.parent_id = ob_stmt_is_null(s, 1) ? 0 : ob_stmt_int(s, 1);
		ob_strlcpy(x->c.barcode, ob_stmt_text(s, 2), sizeof x->c.barcode);
		ob_strlcpy(x->c.name, ob_stmt_text(s, 3), sizeof x->c.name);
		ob_strlcpy(x->c.kind, ob_stmt_text(s, 4), sizeof x->c.kind);
		ob_strlcpy(x->c.site, ob_stmt_text(s, 5), sizeof x->c.site);
		if ((v = ob_stmt_text(s, 6)))
			ob_strlcpy(x->c.parent, v, sizeof x->c.parent);
		x->c.temperature = ob_stmt_double(s, 7);
		x->c.rows = ob_stmt_is_null(s, 8) ? 0 : (int)ob_stmt_int(s, 8);
		x->c.cols = ob_stmt_is_null(s, 9) ? 0 : (int)ob_stmt_int(s, 9);
		if ((v = ob_stmt_text(s, 10)))
			ob_strlcpy(x->c.scheme, v, sizeof x->c.scheme);
		x->specimens = ob_stmt_int(s, 12);
		if (!(x->path = strdup(ob_stmt_text(s, 11)))) {
			rc = ob_error_set(OB_ERROR, "out of memory");
			break;
		}
		for (const char *q = x->path; *q; q++)
			x->depth += *q == '/';
		x->depth = x->depth > 1 ? x->depth - 2 : 0;
	}
	ob_stmt_reset(s);
	if (rc < 0 || (rc = build_index(t)) < 0)
		goto fail;
	/* Ordered by path, so every parent in the selection comes first. */
	for (size_t i = 0; i < t->n; i++) {
		node *x = &t->v[i], *p = x->c.parent_id ? tree_find(t, x->c.parent_id) : NULL;
		if (p) {
			x->text = join(p->text, " > ", x->c.barcode);
			x->key = join(p->key, "\1", x->c.barcode);
			x->storage = isnan(x->c.temperature) ? p->storage : x->c.temperature;
		} else {
			ob_buf b = OB_BUF_INIT;
			if ((rc = ob_container_path_text(cx, x->c.id, &b)) < 0
			    || (rc = ob_container_temperature(cx, x->c.id, &x->storage)) < 0) {
				ob_buf_dispose(&b);
				goto fail;
			}
			x->text = ob_buf_detach(&b);
			x->key = x->text ? strdup(x->text) : NULL;
			for (char *q = x->key; q && *q; q++)
				if (*q == '>')
					*q = '\1';
		}
		if (!x->text || !x->key) {
			rc = ob_error_set(OB_ERROR, "out of memory");
			goto fail;
		}
	}
	if (t->n)
		qsort(t->v, t->n, sizeof *t->v, cmp_key);
	for (size_t i = 0; i < t->n; i++)
		t->v[i].order = i;
	if ((rc = build_index(t)) < 0)
		goto fail;
	return 0;
fail:
	tree_dispose(t);
	return rc;
}

/* The materialised path of a container the caller named (in field),
 * resolved within their read scope (scope.h). */
static int path_of(const ob_ctx *cx, const char *field, const char *barcode, char *out, size_t n)
{
	static const char *const sql = "SELECT path FROM container WHERE id = $1";
	ob_container_info c;
	ob_stmt *s;
	int rc;

	if ((rc = ob_scope_container(cx, OB_ACT_READ, field, barcode, &c)) < 0)
		return rc;
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, c.id);
	rc = ob_stmt_step(s);
	if (rc == OB_ROW) {
		ob_strlcpy(out, ob_stmt_text(s, 0), n);
		rc = 0;
	} else if (rc == 0) {
		rc = ob_error_set(OB_ENOTFOUND, "%s: no container has barcode '%s'", field, barcode);
	}
	ob_stmt_reset(s);
	return rc;
}

/* Ends the snapshot a read ran in. Commits rather than rolls back: a
 * rollback inside a caller's transaction would doom it. */
static int end_read(const ob_ctx *cx, int rc)
{
	int c = ob_store_commit(cx->st);

	return rc < 0 ? rc : c;
}

/* The tree as rows, in its depth-first order, depth counted from the
 * shallowest; the rows take the nodes' path texts. */
static int tree_rows(tree *t, ob_container_tree *out)
{
	int base = 0;

	memset(out, 0, sizeof *out);
	if (t->n && !(out->v = calloc(t->n, sizeof *out->v)))
		return ob_error_set(OB_ERROR, "out of memory");
	if (t->n)
		base = t->v[0].depth;
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].depth < base)
			base = t->v[i].depth;
	for (size_t i = 0; i < t->n; i++) {
		node *x = &t->v[i];
		ob_container_row *r = &out->v[i];
		r->c = x->c;
		r->path = x->text;
		x->text = NULL;
		r->depth = x->depth - base;
		r->storage = x->storage;
		r->specimens = x->specimens;
	}
	out->n = t->n;
	return 0;
}

void ob_container_tree_free(ob_container_tree *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].path);
	free(t->v);
	memset(t, 0, sizeof *t);
}

/* ---- list --------------------------------------------------------------- */

int ob_container_list(const ob_ctx *cx, const char *site, const char *under,
                      ob_container_tree *out)
{
	char upath[512], spath[512];
	tree t;
	int rc;

	memset(out, 0, sizeof *out);
	/* a user's list is their part of the network */
	if (!(site && *site) && !(under && *under) && ob_access_read_scope(cx))
		site = cx->actor_site;
	if ((rc = ob_store_begin_read(cx->st)) < 0)
		return rc;
	if (under && *under && (rc = path_of(cx, "under", under, upath, sizeof upath)) < 0)
		goto out;
	if (site && *site) {
		if ((rc = ob_scope_site(cx, OB_ACT_READ, "site", site, NULL, spath)) < 0)
			goto out;
	} else if (ob_access_read_scope(cx)) {
		/* whatever else was asked, a user lists their part of the network */
		ob_strlcpy(spath, ob_access_read_scope(cx), sizeof spath);
		site = cx->actor_site;
	}
	if ((rc = tree_load(cx, under && *under ? upath : NULL, site && *site ? spath : NULL, &t)) < 0)
		goto out;
	rc = tree_rows(&t, out);
	tree_dispose(&t);
out:
	return end_read(cx, rc);
}

/* ---- map ---------------------------------------------------------------- */

void ob_box_map_free(ob_box_map *m)
{
	size_t cells = (size_t)m->box.rows * (size_t)m->box.cols;

	for (size_t i = 0; m->cell && i < cells; i++)
		free(m->cell[i]);
	for (size_t i = 0; i < m->nstray; i++) {
		free(m->stray[i].specimen);
		free(m->stray[i].position);
	}
	free(m->cell);
	free(m->stray);
	free(m->path);
	memset(m, 0, sizeof *m);
}

/* Keeps a specimen whose position is not on the grid apart. */
static int stray_add(ob_box_map *m, const char *bc, const char *pos)
{
	ob_box_place *nv = realloc(m->stray, (m->nstray + 1) * sizeof *nv);

	if (!nv)
		return ob_error_set(OB_ERROR, "out of memory");
	m->stray = nv;
	nv[m->nstray].specimen = strdup(bc);
	nv[m->nstray].position = pos ? strdup(pos) : NULL;
	m->nstray++;
	if (!nv[m->nstray - 1].specimen || (pos && !nv[m->nstray - 1].position))
		return ob_error_set(OB_ERROR, "out of memory");
	return 0;
}

int ob_container_map(const ob_ctx *cx, const char *box, ob_box_map *m)
{
	static const char *const sql =
		"SELECT s.barcode, s.position, st.path FROM specimen s JOIN site st ON st.id = s.site_id"
		" WHERE s.container_id = $1 ORDER BY s.id";
	ob_buf path = OB_BUF_INIT;
	size_t cells;
	ob_stmt *s;
	int rc, r, c;

	memset(m, 0, sizeof *m);
	m->temperature = NAN;
	if ((rc = ob_store_begin_read(cx->st)) < 0)
		return rc;
	if ((rc = ob_scope_container(cx, OB_ACT_READ, "box", box, &m->box)) < 0)
		goto out;
	if (strcmp(m->box.kind, "box")) {
		rc = ob_error_set(OB_EINVALID, "box: %s is a %s, not a box", m->box.barcode,
			m->box.kind);
		goto out;
	}
	if ((rc = ob_container_path_text(cx, m->box.id, &path)) < 0
	    || (rc = ob_container_temperature(cx, m->box.id, &m->temperature)) < 0)
		goto out;
	if (!(m->path = ob_buf_detach(&path))) {
		rc = ob_error_set(OB_ERROR, "out of memory");
		goto out;
	}
	cells = (size_t)m->box.rows * (size_t)m->box.cols;
	if (!(m->cell = calloc(cells ? cells : 1, sizeof *m->cell))) {
		rc = ob_error_set(OB_ERROR, "out of memory");
		goto out;
	}
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		goto out;
	ob_stmt_bind_int(s, 1, m->box.id);
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		const char *bc = ob_stmt_text(s, 0), *pos = ob_stmt_text(s, 1);
		size_t k;
		/* Another site's material parked in this box: the place is taken,
		 * the barcode is not the reader's to see. */
		if (!ob_access_in_scope(cx, OB_ACT_READ, ob_stmt_text(s, 2)))
			bc = "(another site)";
		/* A position no longer on the grid (written behind our back) is
		 * reported apart, not dropped. */
		if (!pos || ob_position_parse(m->box.scheme, m->box.cols, pos, &r, &c) < 0
		    || r > m->box.rows || c > m->box.cols
		    || m->cell[k = (size_t)(r - 1) * (size_t)m->box.cols + (size_t)(c - 1)]) {
			if ((rc = stray_add(m, bc, pos)) < 0)
				break;
			continue;
		}
		if (!(m->cell[k] = strdup(bc))) {
			rc = ob_error_set(OB_ERROR, "out of memory");
			break;
		}
		m->used++;
	}
	ob_stmt_reset(s);
out:
	ob_buf_dispose(&path);
	rc = end_read(cx, rc);
	if (rc < 0)
		ob_box_map_free(m);
	return rc;
}

/* ---- the freezer report ------------------------------------------------- */

typedef struct held {
	ob_report_item it;
	const node *in;
	int row, col;
} held;

static void item_free(ob_report_item *it)
{
	free(it->barcode);
	free(it->type);
	free(it->status);
	free(it->donor);
	free(it->donor_site);
	free(it->site);
	free(it->position);
	free(it->unit);
}

static int by_location(const void *x, const void *y)
{
	const held *a = x, *b = y;

	if (a->in->order != b->in->order)
		return a->in->order < b->in->order ? -1 : 1;
	if (a->row != b->row)
		return a->row < b->row ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return strcmp(a->it.barcode, b->it.barcode);
}

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

static int load_held(const ob_ctx *cx, const char *root_path, const tree *t, held **out,
                     size_t *n)
{
	static const char *const sql =
		"SELECT sp.barcode, sp.type, sp.status, d.code, ds.code, ss.code, sp.container_id,"
		" sp.position, sp.quantity, sp.unit, ss.path FROM specimen sp"
		" JOIN container c ON c.id = sp.container_id"
		" JOIN donor d ON d.id = sp.donor_id JOIN site ds ON ds.id = d.site_id"
		" JOIN site ss ON ss.id = sp.site_id"
		" WHERE substr(c.path, 1, length($1)) = $1";
	held *v = NULL;
	size_t len = 0, cap = 0;
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_text(s, 1, root_path);
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		held *h;
		ob_report_item *it;
		const node *in = tree_find(t, ob_stmt_int(s, 6));
		if (!in)  /* added between the two reads: impossible in one transaction */
			continue;
		if (len == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			held *nv = realloc(v, ncap * sizeof *nv);
			if (!nv) {
				rc = ob_error_set(OB_ERROR, "out of memory");
				break;
			}
			v = nv;
			cap = ncap;
		}
		h = &v[len++];
		memset(h, 0, sizeof *h);
		it = &h->it;
		/* Another site's material parked here: where it is and what kind,
		 * not whose or which (scope.h). */
		bool mine = ob_access_in_scope(cx, OB_ACT_READ, ob_stmt_text(s, 10));
		it->barcode = dup_or_empty(mine ? ob_stmt_text(s, 0) : "(another site)");
		it->type = dup_or_empty(ob_stmt_text(s, 1));
		it->status = dup_or_empty(ob_stmt_text(s, 2));
		it->donor = dup_or_empty(mine ? ob_stmt_text(s, 3) : NULL);
		it->donor_site = dup_or_empty(mine ? ob_stmt_text(s, 4) : NULL);
		it->site = dup_or_empty(ob_stmt_text(s, 5));
		it->position = dup_or_empty(ob_stmt_text(s, 7));
		it->quantity = mine ? ob_stmt_double(s, 8) : NAN;
		it->unit = dup_or_empty(mine ? ob_stmt_text(s, 9) : NULL);
		h->in = in;
		if (!it->barcode || !it->type || !it->status || !it->donor || !it->donor_site
		    || !it->site || !it->position || !it->unit) {
			rc = ob_error_set(OB_ERROR, "out of memory");
			break;
		}
		if (!*in->c.scheme || ob_position_parse(in->c.scheme, in->c.cols, it->position,
							&h->row, &h->col) < 0)
			h->row = h->col = 1 << 20;
	}
	ob_stmt_reset(s);
	if (rc < 0) {
		for (size_t i = 0; i < len; i++)
			item_free(&v[i].it);
		free(v);
		return rc;
	}
	if (len)
		qsort(v, len, sizeof *v, by_location);
	*out = v;
	*n = len;
	return 0;
}

static int count_donors(const ob_ctx *cx, const char *root_path, int64_t *n)
{
	static const char *const sql =
		"SELECT COUNT(DISTINCT sp.donor_id) FROM specimen sp"
		" JOIN container c ON c.id = sp.container_id"
		" WHERE substr(c.path, 1, length($1)) = $1";
	ob_stmt *s;
	int rc;

	*n = 0;
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_text(s, 1, root_path);
	rc = ob_stmt_step(s);
	if (rc == OB_ROW) {
		*n = ob_stmt_int(s, 0);
		rc = 0;
	}
	ob_stmt_reset(s);
	return rc;
}

/* Counts per specimen type, in order of first appearance. */
static size_t tally_types(const ob_report_item *v, size_t n, ob_type_count *out)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		size_t j = 0;
		while (j < k && strcmp(out[j].type, v[i].type))
			j++;
		if (j == k)
			out[k++] = (ob_type_count){ v[i].type, 0 };
		out[j].n++;
	}
	return k;
}

void ob_freezer_report_free(ob_freezer_report *r)
{
	for (size_t i = 0; i < r->n; i++)
		item_free(&r->v[i]);
	free(r->v);
	free(r->by_type);
	ob_container_tree_free(&r->tree);
	memset(r, 0, sizeof *r);
}

int ob_container_report(const ob_ctx *cx, const char *container, ob_freezer_report *r)
{
	char root_path[512];
	held *v = NULL;
	size_t n = 0, root = 0;
	tree t = { 0 };
	int rc;

	memset(r, 0, sizeof *r);
	if (!container || !*container)
		return ob_error_set(OB_EINVALID, "container: a container barcode is needed");
	if ((rc = ob_store_begin_read(cx->st)) < 0)
		return rc;
	ob_time_now(r->generated_at);
	if ((rc = path_of(cx, "container", container, root_path, sizeof root_path)) < 0
	    || (rc = tree_load(cx, root_path, NULL, &t)) < 0)
		goto out;
	while (root < t.n && strcmp(t.v[root].path, root_path))
		root++;
	if (root == t.n) {
		rc = ob_error_set(OB_ENOTFOUND, "container: no container has barcode '%s'", container);
		goto out;
	}
	if ((rc = load_held(cx, root_path, &t, &v, &n)) < 0
	    || (rc = count_donors(cx, root_path, &r->donors)) < 0
	    || (rc = tree_rows(&t, &r->tree)) < 0)
		goto out;
	r->root = &r->tree.v[root];
	if (n && (!(r->v = malloc(n * sizeof *r->v)) || !(r->by_type = malloc(n * sizeof *r->by_type)))) {
		rc = ob_error_set(OB_ERROR, "out of memory");
		goto out;
	}
	/* the items, in location order, each with the row of its container
	 * (the tree's rows are in the nodes' order) */
	for (size_t i = 0; i < n; i++) {
		r->v[i] = v[i].it;
		r->v[i].in = &r->tree.v[v[i].in->order];
	}
	r->n = n;
	n = 0;
	r->ntypes = tally_types(r->v, r->n, r->by_type);
out:
	for (size_t i = 0; i < n; i++)
		item_free(&v[i].it);
	free(v);
	tree_dispose(&t);
	rc = end_read(cx, rc);
	if (rc < 0)
		ob_freezer_report_free(r);
	return rc;
}
