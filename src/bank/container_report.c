/*
 * container_report.c - reading the storage tree out: the container list
 * (a site's or a subtree, depth first), a box's map as a grid, and the
 * freezer-failure report (every specimen below a container, with where it
 * is and whose it is). Read-only; see container.h for the formats.
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

static int put_num(ob_buf *b, double v)
{
	return isnan(v) ? ob_buf_puts(b, "null") : ob_buf_printf(b, "%g", v);
}

static int put_str_or_null(ob_buf *b, const char *s)
{
	return s && *s ? ob_buf_json_str(b, s) : ob_buf_puts(b, "null");
}

/* ---- list --------------------------------------------------------------- */

int ob_container_list(const ob_ctx *cx, const char *site, const char *under, int json, ob_buf *out)
{
	char upath[512], spath[512];
	tree t;
	int rc, base = 0, e = 0, wcode = 1, wsite = 1;

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
	if (t.n)
		base = t.v[0].depth;
	for (size_t i = 0; i < t.n; i++)
		if (t.v[i].depth < base)
			base = t.v[i].depth;
	for (size_t i = 0; i < t.n; i++) {
		int w = 2 * (t.v[i].depth - base) + (int)strlen(t.v[i].c.barcode);
		if (w > wcode)
			wcode = w;
		if ((int)strlen(t.v[i].c.site) > wsite)
			wsite = (int)strlen(t.v[i].c.site);
	}
	if (json)
		e |= ob_buf_putc(out, '[');
	for (size_t i = 0; i < t.n; i++) {
		const node *x = &t.v[i];
		int64_t cap = (int64_t)x->c.rows * x->c.cols;
		if (json) {
			e |= ob_buf_puts(out, i ? ",{\"barcode\":" : "{\"barcode\":");
			e |= ob_buf_json_str(out, x->c.barcode);
			e |= ob_buf_puts(out, ",\"name\":");
			e |= ob_buf_json_str(out, x->c.name);
			e |= ob_buf_puts(out, ",\"kind\":");
			e |= ob_buf_json_str(out, x->c.kind);
			e |= ob_buf_puts(out, ",\"site\":");
			e |= ob_buf_json_str(out, x->c.site);
			e |= ob_buf_puts(out, ",\"parent\":");
			e |= put_str_or_null(out, x->c.parent);
			e |= ob_buf_puts(out, ",\"path\":");
			e |= ob_buf_json_str(out, x->text);
			e |= ob_buf_printf(out, ",\"depth\":%d,\"temperature\":", x->depth - base);
			e |= put_num(out, x->c.temperature);
			e |= ob_buf_puts(out, ",\"storage_temperature\":");
			e |= put_num(out, x->storage);
			if (cap) {
				e |= ob_buf_printf(out, ",\"rows\":%d,\"cols\":%d,\"scheme\":", x->c.rows,
					x->c.cols);
				e |= ob_buf_json_str(out, x->c.scheme);
				e |= ob_buf_printf(out, ",\"specimens\":%lld,\"capacity\":%lld}",
					(long long)x->specimens, (long long)cap);
			} else {
				e |= ob_buf_printf(out, ",\"rows\":null,\"cols\":null,\"scheme\":null,"
					"\"specimens\":%lld,\"capacity\":null}", (long long)x->specimens);
			}
		} else {
			char det[320] = "";
			size_t k = 0;
			int indent = 2 * (x->depth - base);
			if (!isnan(x->c.temperature))
				k += (size_t)snprintf(det + k, sizeof det - k, "%g C", x->c.temperature);
			if (cap && k < sizeof det)
				k += (size_t)snprintf(det + k, sizeof det - k, "%s%d x %d %s, %lld/%lld used",
					k ? ", " : "", x->c.rows, x->c.cols, x->c.scheme,
					(long long)x->specimens, (long long)cap);
			if (strcmp(x->c.name, x->c.barcode) && k < sizeof det)
				snprintf(det + k, sizeof det - k, "%s\"%s\"", k ? ", " : "", x->c.name);
			if (*det)
				e |= ob_buf_printf(out, "%*s%-*s  %-12s  %-*s  %s", indent, "",
					wcode - indent, x->c.barcode, x->c.kind, wsite, x->c.site, det);
			else
				e |= ob_buf_printf(out, "%*s%-*s  %-12s  %s", indent, "", wcode - indent,
					x->c.barcode, x->c.kind, x->c.site);
			e |= ob_buf_putc(out, '\n');
		}
	}
	if (json)
		e |= ob_buf_puts(out, "]\n");
	tree_dispose(&t);
	if (e)
		rc = ob_error_set(OB_ERROR, "out of memory");
out:
	return end_read(cx, rc);
}

/* ---- map ---------------------------------------------------------------- */

/* A grid row's label: its letters (A1), its number (1-1), or its first
 * position (1). */
static void row_label(const ob_container_info *b, int row, char out[OB_POSITION_MAX])
{
	if (!strcmp(b->scheme, "A1")) {
		ob_position_name(b->scheme, b->cols, row, 1, out);
		out[strcspn(out, "0123456789")] = '\0';
	} else if (!strcmp(b->scheme, "1-1")) {
		snprintf(out, OB_POSITION_MAX, "%d", row);
	} else {
		ob_position_name(b->scheme, b->cols, row, 1, out);
	}
}

int ob_container_map(const ob_ctx *cx, const char *box, int json, ob_buf *out)
{
	static const char *const sql =
		"SELECT s.barcode, s.position, st.path FROM specimen s JOIN site st ON st.id = s.site_id"
		" WHERE s.container_id = $1 ORDER BY s.id";
	ob_container_info b;
	ob_buf path = OB_BUF_INIT, stray = OB_BUF_INIT;
	char **cell = NULL;
	size_t cells = 0, used = 0, width = 1;
	double temp = NAN;
	ob_stmt *s;
	int rc, e = 0, r, c;

	if ((rc = ob_store_begin_read(cx->st)) < 0)
		return rc;
	if ((rc = ob_scope_container(cx, OB_ACT_READ, "box", box, &b)) < 0)
		goto out;
	if (strcmp(b.kind, "box")) {
		rc = ob_error_set(OB_EINVALID, "box: %s is a %s, not a box", b.barcode, b.kind);
		goto out;
	}
	if ((rc = ob_container_path_text(cx, b.id, &path)) < 0
	    || (rc = ob_container_temperature(cx, b.id, &temp)) < 0)
		goto out;
	cells = (size_t)b.rows * (size_t)b.cols;
	if (!(cell = calloc(cells, sizeof *cell))) {
		rc = ob_error_set(OB_ERROR, "out of memory");
		goto out;
	}
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		goto out;
	ob_stmt_bind_int(s, 1, b.id);
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		const char *bc = ob_stmt_text(s, 0), *pos = ob_stmt_text(s, 1);
		size_t k;
		/* Another site's material parked in this box: the place is taken,
		 * the barcode is not the reader's to see. */
		if (!ob_access_in_scope(cx, OB_ACT_READ, ob_stmt_text(s, 2)))
			bc = "(another site)";
		/* A position no longer on the grid (written behind our back) is
		 * reported apart, not dropped. */
		if (!pos || ob_position_parse(b.scheme, b.cols, pos, &r, &c) < 0 || r > b.rows
		    || c > b.cols || cell[k = (size_t)(r - 1) * (size_t)b.cols + (size_t)(c - 1)]) {
			e |= ob_buf_printf(&stray, "%s%s@%s", stray.len ? ", " : "", bc, pos ? pos : "-");
			continue;
		}
		if (!(cell[k] = strdup(bc))) {
			rc = ob_error_set(OB_ERROR, "out of memory");
			break;
		}
		used++;
		if (strlen(bc) > width)
			width = strlen(bc);
	}
	ob_stmt_reset(s);
	if (rc < 0)
		goto out;
	if (json) {
		int first = 1;
		e |= ob_buf_puts(out, "{\"barcode\":");
		e |= ob_buf_json_str(out, b.barcode);
		e |= ob_buf_puts(out, ",\"path\":");
		e |= ob_buf_json_str(out, ob_buf_cstr(&path));
		e |= ob_buf_printf(out, ",\"rows\":%d,\"cols\":%d,\"scheme\":", b.rows, b.cols);
		e |= ob_buf_json_str(out, b.scheme);
		e |= ob_buf_puts(out, ",\"temperature\":");
		e |= put_num(out, temp);
		e |= ob_buf_printf(out, ",\"used\":%zu,\"free\":%zu,\"positions\":[", used, cells - used);
		for (r = 1; r <= b.rows; r++) {
			for (c = 1; c <= b.cols; c++) {
				char pos[OB_POSITION_MAX];
				ob_position_name(b.scheme, b.cols, r, c, pos);
				e |= ob_buf_puts(out, first ? "{\"position\":" : ",{\"position\":");
				e |= ob_buf_json_str(out, pos);
				e |= ob_buf_printf(out, ",\"row\":%d,\"col\":%d,\"specimen\":", r, c);
				e |= put_str_or_null(out, cell[(size_t)(r - 1) * (size_t)b.cols + (size_t)(c - 1)]);
				e |= ob_buf_putc(out, '}');
				first = 0;
			}
		}
		e |= ob_buf_puts(out, "]}\n");
	} else {
		char label[OB_POSITION_MAX];
		int lw = 1;
		e |= ob_buf_printf(out, "%s  box %d x %d (%s), %s", b.barcode, b.rows, b.cols, b.scheme,
			ob_buf_cstr(&path));
		if (!isnan(temp))
			e |= ob_buf_printf(out, ", %g C", temp);
		e |= ob_buf_printf(out, ", %zu used, %zu free\n", used, cells - used);
		for (r = 1; r <= b.rows; r++) {
			row_label(&b, r, label);
			if ((int)strlen(label) > lw)
				lw = (int)strlen(label);
		}
		e |= ob_buf_printf(out, "%*s", lw, "");
		for (c = 1; c <= b.cols; c++)
			e |= ob_buf_printf(out, " %-*d", (int)width, c);
		while (out->len && out->s[out->len - 1] == ' ')
			out->s[--out->len] = '\0';
		e |= ob_buf_putc(out, '\n');
		for (r = 1; r <= b.rows; r++) {
			row_label(&b, r, label);
			e |= ob_buf_printf(out, "%-*s", lw, label);
			for (c = 1; c <= b.cols; c++) {
				const char *v = cell[(size_t)(r - 1) * (size_t)b.cols + (size_t)(c - 1)];
				e |= ob_buf_printf(out, " %-*s", (int)width, v ? v : ".");
			}
			/* No trailing blanks. */
			while (out->len && out->s[out->len - 1] == ' ')
				out->s[--out->len] = '\0';
			e |= ob_buf_putc(out, '\n');
		}
		if (stray.len)
			e |= ob_buf_printf(out, "not on the grid: %s\n", ob_buf_cstr(&stray));
	}
	if (e)
		rc = ob_error_set(OB_ERROR, "out of memory");
out:
	for (size_t i = 0; cell && i < cells; i++)
		free(cell[i]);
	free(cell);
	ob_buf_dispose(&path);
	ob_buf_dispose(&stray);
	return end_read(cx, rc);
}

/* ---- the freezer report ------------------------------------------------- */

typedef struct held {
	char *barcode, *type, *status, *donor, *donor_site, *site, *position, *unit;
	double quantity;
	const node *in;
	int row, col;
} held;

static void held_free(held *h)
{
	free(h->barcode);
	free(h->type);
	free(h->status);
	free(h->donor);
	free(h->donor_site);
	free(h->site);
	free(h->position);
	free(h->unit);
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
	return strcmp(a->barcode, b->barcode);
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
		/* Another site's material parked here: where it is and what kind,
		 * not whose or which (scope.h). */
		bool mine = ob_access_in_scope(cx, OB_ACT_READ, ob_stmt_text(s, 10));
		h->barcode = dup_or_empty(mine ? ob_stmt_text(s, 0) : "(another site)");
		h->type = dup_or_empty(ob_stmt_text(s, 1));
		h->status = dup_or_empty(ob_stmt_text(s, 2));
		h->donor = dup_or_empty(mine ? ob_stmt_text(s, 3) : NULL);
		h->donor_site = dup_or_empty(mine ? ob_stmt_text(s, 4) : NULL);
		h->site = dup_or_empty(ob_stmt_text(s, 5));
		h->position = dup_or_empty(ob_stmt_text(s, 7));
		h->quantity = mine ? ob_stmt_double(s, 8) : NAN;
		h->unit = dup_or_empty(mine ? ob_stmt_text(s, 9) : NULL);
		h->in = in;
		if (!h->barcode || !h->type || !h->status || !h->donor || !h->donor_site || !h->site
		    || !h->position || !h->unit) {
			rc = ob_error_set(OB_ERROR, "out of memory");
			break;
		}
		if (!*in->c.scheme || ob_position_parse(in->c.scheme, in->c.cols, h->position,
							&h->row, &h->col) < 0)
			h->row = h->col = 1 << 20;
	}
	ob_stmt_reset(s);
	if (rc < 0) {
		for (size_t i = 0; i < len; i++)
			held_free(&v[i]);
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
typedef struct tally {
	const char *type;
	size_t n;
} tally;

static size_t tally_types(const held *v, size_t n, tally *out)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		size_t j = 0;
		while (j < k && strcmp(out[j].type, v[i].type))
			j++;
		if (j == k)
			out[k++] = (tally){ v[i].type, 0 };
		out[j].n++;
	}
	return k;
}

static int report_json(const node *root, const held *v, size_t n, const tally *ty, size_t nt,
                       int64_t donors, ob_buf *out)
{
	char now[OB_TIME_LEN];
	int e = 0;

	ob_time_now(now);
	e |= ob_buf_puts(out, "{\"container\":");
	e |= ob_buf_json_str(out, root->c.barcode);
	e |= ob_buf_puts(out, ",\"kind\":");
	e |= ob_buf_json_str(out, root->c.kind);
	e |= ob_buf_puts(out, ",\"site\":");
	e |= ob_buf_json_str(out, root->c.site);
	e |= ob_buf_puts(out, ",\"path\":");
	e |= ob_buf_json_str(out, root->text);
	e |= ob_buf_puts(out, ",\"temperature\":");
	e |= put_num(out, root->storage);
	e |= ob_buf_puts(out, ",\"generated_at\":");
	e |= ob_buf_json_str(out, now);
	e |= ob_buf_printf(out, ",\"count\":%zu,\"donors\":%lld,\"by_type\":{", n, (long long)donors);
	for (size_t i = 0; i < nt; i++) {
		e |= ob_buf_puts(out, i ? "," : "");
		e |= ob_buf_json_str(out, ty[i].type);
		e |= ob_buf_printf(out, ":%zu", ty[i].n);
	}
	e |= ob_buf_puts(out, "},\"specimens\":[");
	for (size_t i = 0; i < n; i++) {
		const held *h = &v[i];
		e |= ob_buf_puts(out, i ? ",{\"barcode\":" : "{\"barcode\":");
		e |= ob_buf_json_str(out, h->barcode);
		e |= ob_buf_puts(out, ",\"type\":");
		e |= ob_buf_json_str(out, h->type);
		e |= ob_buf_puts(out, ",\"status\":");
		e |= ob_buf_json_str(out, h->status);
		e |= ob_buf_puts(out, ",\"donor\":");
		e |= ob_buf_json_str(out, h->donor);
		e |= ob_buf_puts(out, ",\"donor_site\":");
		e |= ob_buf_json_str(out, h->donor_site);
		e |= ob_buf_puts(out, ",\"site\":");
		e |= ob_buf_json_str(out, h->site);
		e |= ob_buf_puts(out, ",\"container\":");
		e |= ob_buf_json_str(out, h->in->c.barcode);
		e |= ob_buf_puts(out, ",\"path\":");
		e |= ob_buf_json_str(out, h->in->text);
		e |= ob_buf_puts(out, ",\"position\":");
		e |= put_str_or_null(out, h->position);
		e |= ob_buf_puts(out, ",\"quantity\":");
		e |= put_num(out, h->quantity);
		e |= ob_buf_puts(out, ",\"unit\":");
		e |= put_str_or_null(out, h->unit);
		e |= ob_buf_putc(out, '}');
	}
	e |= ob_buf_puts(out, "]}\n");
	return e ? OB_ERROR : 0;
}

static int report_text(const node *root, const held *v, size_t n, const tally *ty, size_t nt,
                       int64_t donors, ob_buf *out)
{
	/* Column widths: at least the heading's. */
	int wb = 7, wt = 4, ws = 6, wd = 5, wsite = 4, wp = 8;
	int e = 0;

	for (size_t i = 0; i < n; i++) {
		const held *h = &v[i];
#define WIDEN(w, s) if ((int)strlen(s) > (w)) (w) = (int)strlen(s)
		WIDEN(wb, h->barcode);
		WIDEN(wt, h->type);
		WIDEN(ws, h->status);
		WIDEN(wd, h->donor);
		WIDEN(wsite, h->site);
		WIDEN(wp, h->position);
#undef WIDEN
	}
	e |= ob_buf_printf(out, "Storage report for %s (%s at %s", root->text, root->c.kind,
		root->c.site);
	if (!isnan(root->storage))
		e |= ob_buf_printf(out, ", %g C", root->storage);
	e |= ob_buf_printf(out, "): %zu specimen%s from %lld donor%s\n", n, n == 1 ? "" : "s",
		(long long)donors, donors == 1 ? "" : "s");
	if (n) {
		e |= ob_buf_printf(out, "%-*s  %-*s  %-*s  %-*s  %-*s  %-*s  %s\n", wb, "BARCODE", wt,
			"TYPE", ws, "STATUS", wd, "DONOR", wsite, "SITE", wp, "POSITION", "LOCATION");
		for (size_t i = 0; i < n; i++) {
			const held *h = &v[i];
			e |= ob_buf_printf(out, "%-*s  %-*s  %-*s  %-*s  %-*s  %-*s  %s\n", wb, h->barcode,
				wt, h->type, ws, h->status, wd, h->donor, wsite, h->site, wp,
				*h->position ? h->position : "-", h->in->text);
		}
		e |= ob_buf_puts(out, "by type:");
		for (size_t i = 0; i < nt; i++)
			e |= ob_buf_printf(out, "%s %s %zu", i ? "," : "", ty[i].type, ty[i].n);
		e |= ob_buf_putc(out, '\n');
	}
	return e ? OB_ERROR : 0;
}

int ob_container_report(const ob_ctx *cx, const char *container, int json, ob_buf *out)
{
	char root_path[512];
	held *v = NULL;
	tally *ty = NULL;
	size_t n = 0, nt = 0;
	int64_t donors = 0;
	const node *root = NULL;
	tree t = { 0 };
	int rc;

	if (!container || !*container)
		return ob_error_set(OB_EINVALID, "container: a container barcode is needed");
	if ((rc = ob_store_begin_read(cx->st)) < 0)
		return rc;
	if ((rc = path_of(cx, "container", container, root_path, sizeof root_path)) < 0
	    || (rc = tree_load(cx, root_path, NULL, &t)) < 0)
		goto out;
	for (size_t i = 0; i < t.n && !root; i++)
		if (!strcmp(t.v[i].path, root_path))
			root = &t.v[i];
	if (!root) {
		rc = ob_error_set(OB_ENOTFOUND, "container: no container has barcode '%s'", container);
		goto out;
	}
	if ((rc = load_held(cx, root_path, &t, &v, &n)) < 0
	    || (rc = count_donors(cx, root_path, &donors)) < 0)
		goto out;
	if (n && !(ty = malloc(n * sizeof *ty))) {
		rc = ob_error_set(OB_ERROR, "out of memory");
		goto out;
	}
	nt = tally_types(v, n, ty);
	rc = json ? report_json(root, v, n, ty, nt, donors, out)
		  : report_text(root, v, n, ty, nt, donors, out);
	if (rc < 0)
		rc = ob_error_set(OB_ERROR, "out of memory");
out:
	for (size_t i = 0; i < n; i++)
		held_free(&v[i]);
	free(v);
	free(ty);
	tree_dispose(&t);
	return end_read(cx, rc);
}
