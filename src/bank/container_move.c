/*
 * container_move.c - putting specimens into storage and moving them about:
 * one specimen to a position, two specimens swapped, a whole box emptied
 * into another. Every change is audited in the same transaction (see
 * container.h for the rules, container.c for the tree and positions).
 */
#include "bank/container.h"
#include "bank/access.h"
#include "bank/scope.h"
#include "bank/shipment.h"
#include "bank/specimen.h"
#include "base/error.h"
#include "base/util.h"
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

#define SPECIMEN_KEY_MAX 64

/* A specimen's place in storage. */
typedef struct placed {
	int64_t id;
	char barcode[SPECIMEN_KEY_MAX];
	char status[16];
	int64_t container_id;                    /* 0: not in storage */
	char container[OB_CONTAINER_BARCODE_MAX];
	char position[OB_POSITION_MAX];          /* "" when none */
	bool box_in_scope;                       /* its box is the actor's to change */
} placed;

/* The specimen named barcode (in field), which the actor is to move. */
static int load_placed(const ob_ctx *cx, const char *field, const char *barcode, placed *out)
{
	static const char *const sql =
		"SELECT sp.id, sp.barcode, sp.status, sp.container_id, c.barcode, sp.position, cs.path"
		" FROM specimen sp LEFT JOIN container c ON c.id = sp.container_id"
		" LEFT JOIN site cs ON cs.id = c.site_id WHERE sp.id = $1";
	int64_t id;
	ob_stmt *s;
	const char *v;
	int rc;

	if ((rc = ob_scope_specimen(cx, OB_ACT_SPECIMEN, field, barcode, &id)) < 0)
		return rc;
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, id);
	rc = ob_stmt_step(s);
	if (rc == OB_ROW) {
		memset(out, 0, sizeof *out);
		out->id = ob_stmt_int(s, 0);
		ob_strlcpy(out->barcode, ob_stmt_text(s, 1), sizeof out->barcode);
		ob_strlcpy(out->status, ob_stmt_text(s, 2), sizeof out->status);
		out->container_id = ob_stmt_is_null(s, 3) ? 0 : ob_stmt_int(s, 3);
		if ((v = ob_stmt_text(s, 4)))
			ob_strlcpy(out->container, v, sizeof out->container);
		if ((v = ob_stmt_text(s, 5)))
			ob_strlcpy(out->position, v, sizeof out->position);
		out->box_in_scope = !out->container_id
			|| ob_access_in_scope(cx, OB_ACT_SPECIMEN, ob_stmt_text(s, 6));
		rc = 0;
	} else if (rc == 0) {
		rc = ob_error_set(OB_ENOTFOUND, "specimen: no specimen has barcode '%s'", barcode);
	}
	ob_stmt_reset(s);
	return rc;
}

/* Sets the place of specimen id; container_id 0 and position NULL clear. */
static int set_place(const ob_ctx *cx, int64_t id, int64_t container_id, const char *position)
{
	static const char *const sql =
		"UPDATE specimen SET container_id = $2, position = $3 WHERE id = $1";
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, id);
	if (container_id)
		ob_stmt_bind_int(s, 2, container_id);
	else
		ob_stmt_bind_null(s, 2);
	ob_stmt_bind_text(s, 3, position && *position ? position : NULL);
	return ob_stmt_exec(s);
}

/* Moves specimen id and records the event; before is encoded here. */
static int audited_place(const ob_ctx *cx, const char *action, int64_t id, const char *barcode,
                         int64_t container_id, const char *position)
{
	ob_buf before = OB_BUF_INIT;
	int rc = ob_audit_encode(cx, &ob_specimen_audit, id, &before);

	if (rc == 0)
		rc = set_place(cx, id, container_id, position);
	if (rc == 0)
		rc = ob_audit_record(cx, &ob_specimen_audit, action, id, barcode, ob_buf_cstr(&before));
	ob_buf_dispose(&before);
	return rc;
}

/* A box that sits in no rack may be on its way to another site: it is
 * then left alone until received (shipment.h). */
static int box_home(const ob_ctx *cx, const char *field, const ob_container_info *c)
{
	if (c->parent_id || strcmp(c->kind, "box"))
		return 0;
	return ob_shipment_box_home(cx, field, c->id, c->barcode);
}

/* Specimens that have left the bank, or no longer exist, stay out of
 * storage. */
static bool storable(const char *status)
{
	return strcmp(status, "distributed") && strcmp(status, "destroyed")
	       && strcmp(status, "depleted");
}

int ob_specimen_move(const ob_ctx *cx, const char *barcode, const char *container,
                     const char *position)
{
	char pos[OB_POSITION_MAX] = "", who[SPECIMEN_KEY_MAX];
	ob_container_info c = { 0 };
	placed sp;
	int rc;

	if ((rc = ob_store_begin(cx->st)) < 0)
		return rc;
	if ((rc = load_placed(cx, "specimen", barcode, &sp)) < 0)
		goto out;
	if (!strcmp(sp.status, "in_transit")
	    && (rc = ob_shipment_specimen_home(cx, NULL, sp.id, sp.barcode)) < 0)
		goto out;
	if (container && *container) {
		if (!storable(sp.status)) {
			rc = ob_error_set(OB_ECONFLICT, "specimen %s is %s: only specimens the bank holds"
				" go into storage", sp.barcode, sp.status);
			goto out;
		}
		if ((rc = ob_scope_container(cx, OB_ACT_SPECIMEN, "container", container, &c)) < 0
		    || (rc = ob_box_position(&c, position, pos)) < 0
		    || (rc = box_home(cx, "container", &c)) < 0)
			goto out;
	} else if (position && *position) {
		rc = ob_error_set(OB_EINVALID, "position: given without a container");
		goto out;
	}
	if (c.id == sp.container_id && !strcmp(pos, sp.position))
		goto out;  /* already there */
	if (*pos) {
		if ((rc = ob_scope_occupant(cx, c.id, pos, sp.id, who, sizeof who)) < 0)
			goto out;
		if (rc) {
			/* The holder is named only when the actor may see it. */
			rc = ob_error_set(OB_ECONFLICT, "position: %s of %s is taken%s%s", pos,
				c.barcode, *who ? " by " : "", who);
			goto out;
		}
	}
	rc = audited_place(cx, "move", sp.id, sp.barcode, c.id, pos);
	if (rc == OB_EEXISTS)  /* a concurrent writer took the place */
		rc = ob_error_set(OB_ECONFLICT, "position %s of %s is taken", pos, c.barcode);
out:
	if (rc < 0) {
		ob_store_rollback(cx->st);
		return rc;
	}
	return ob_store_commit(cx->st);
}

int ob_specimen_swap(const ob_ctx *cx, const char *a, const char *b)
{
	ob_buf before_a = OB_BUF_INIT, before_b = OB_BUF_INIT;
	placed pa, pb;
	int rc;

	if ((rc = ob_store_begin(cx->st)) < 0)
		return rc;
	if ((rc = load_placed(cx, "a", a, &pa)) < 0 || (rc = load_placed(cx, "b", b, &pb)) < 0)
		goto out;
	if (pa.id == pb.id) {
		rc = ob_error_set(OB_EINVALID, "specimen: cannot swap %s with itself", pa.barcode);
		goto out;
	}
	if ((!strcmp(pa.status, "in_transit")
	     && (rc = ob_shipment_specimen_home(cx, "a", pa.id, pa.barcode)) < 0)
	    || (!strcmp(pb.status, "in_transit")
		&& (rc = ob_shipment_specimen_home(cx, "b", pb.id, pb.barcode)) < 0))
		goto out;
	for (const placed *p = &pa; p; p = p == &pa ? &pb : NULL) {
		if (!p->container_id) {
			rc = ob_error_set(OB_ECONFLICT, "specimen %s is not in storage: move it instead"
				" of swapping", p->barcode);
			goto out;
		}
		/* a swap puts the other one into this one's box */
		if (!p->box_in_scope) {
			rc = ob_error_set(OB_ECONFLICT, "%s: specimen %s is stored at a site outside"
				" your scope: move it instead of swapping", p == &pa ? "a" : "b",
				p->barcode);
			goto out;
		}
	}
	if (pa.container_id == pb.container_id && !strcmp(pa.position, pb.position))
		goto out;  /* both loose in one container: nothing changes */
	if ((rc = ob_audit_encode(cx, &ob_specimen_audit, pa.id, &before_a)) < 0
	    || (rc = ob_audit_encode(cx, &ob_specimen_audit, pb.id, &before_b)) < 0)
		goto out;
	/* UNIQUE (container_id, position): a parks at no position first. */
	if ((rc = set_place(cx, pa.id, pa.container_id, NULL)) < 0
	    || (rc = set_place(cx, pb.id, pa.container_id, pa.position)) < 0
	    || (rc = set_place(cx, pa.id, pb.container_id, pb.position)) < 0)
		goto out;
	if ((rc = ob_audit_record(cx, &ob_specimen_audit, "swap", pa.id, pa.barcode,
				  ob_buf_cstr(&before_a))) < 0)
		goto out;
	rc = ob_audit_record(cx, &ob_specimen_audit, "swap", pb.id, pb.barcode,
			     ob_buf_cstr(&before_b));
out:
	ob_buf_dispose(&before_a);
	ob_buf_dispose(&before_b);
	if (rc < 0) {
		ob_store_rollback(cx->st);
		return rc;
	}
	return ob_store_commit(cx->st);
}

/* One specimen of the box being emptied. */
typedef struct emptied {
	int64_t id;
	char barcode[SPECIMEN_KEY_MAX];
	int row, col;      /* in the source box; 0 when unplaced */
	int trow, tcol;    /* assigned in the target */
} emptied;

static int by_place(const void *x, const void *y)
{
	const emptied *a = x, *b = y;
	/* Unplaced (row 0) last, then row by row. */
	int ra = a->row ? a->row : 1 << 20, rb = b->row ? b->row : 1 << 20;

	if (ra != rb)
		return ra < rb ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

static int load_contents(const ob_ctx *cx, const ob_container_info *box, emptied **out, size_t *n)
{
	static const char *const sql =
		"SELECT s.id, s.barcode, s.position, st.path FROM specimen s"
		" JOIN site st ON st.id = s.site_id WHERE s.container_id = $1 ORDER BY s.id";
	emptied *v = NULL;
	size_t len = 0, cap = 0;
	ob_stmt *s;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, box->id);
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		const char *pos = ob_stmt_text(s, 2);
		emptied *e;
		if (!ob_access_in_scope(cx, OB_ACT_SPECIMEN, ob_stmt_text(s, 3))) {
			/* Another site's material parked here is not the actor's to move. */
			rc = ob_error_set(OB_ECONFLICT, "container: box %s holds specimens of a site"
				" outside your scope; nothing moved", box->barcode);
			break;
		}
		if (len == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			emptied *nv = realloc(v, ncap * sizeof *nv);
			if (!nv) {
				rc = ob_error_set(OB_ERROR, "out of memory");
				break;
			}
			v = nv;
			cap = ncap;
		}
		e = &v[len++];
		memset(e, 0, sizeof *e);
		e->id = ob_stmt_int(s, 0);
		ob_strlcpy(e->barcode, ob_stmt_text(s, 1), sizeof e->barcode);
		if (!pos || !*box->scheme
		    || ob_position_parse(box->scheme, box->cols, pos, &e->row, &e->col) < 0)
			e->row = e->col = 0;
	}
	ob_stmt_reset(s);
	if (rc < 0) {
		free(v);
		return rc;
	}
	*out = v;
	*n = len;
	return 0;
}

/* Marks the target's taken positions in grid (rows x cols, row-major). */
static int load_taken(const ob_ctx *cx, const ob_container_info *box, unsigned char *grid,
                      size_t *taken)
{
	static const char *const sql =
		"SELECT position FROM specimen WHERE container_id = $1 AND position IS NOT NULL";
	ob_stmt *s;
	int rc, r, c;

	*taken = 0;
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, box->id);
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		if (ob_position_parse(box->scheme, box->cols, ob_stmt_text(s, 0), &r, &c) == 0
		    && r <= box->rows && c <= box->cols) {
			grid[(size_t)(r - 1) * (size_t)box->cols + (size_t)(c - 1)] = 1;
			(*taken)++;
		}
	}
	ob_stmt_reset(s);
	return rc < 0 ? rc : 0;
}

int ob_container_empty_into(const ob_ctx *cx, const char *from, const char *to, int64_t *moved)
{
	ob_container_info src, dst;
	unsigned char *grid = NULL;
	emptied *v = NULL;
	size_t n = 0, taken = 0, cells, next = 0;
	int rc;

	if (moved)
		*moved = 0;
	if ((rc = ob_store_begin(cx->st)) < 0)
		return rc;
	if ((rc = ob_scope_container(cx, OB_ACT_SPECIMEN, "container", from, &src)) < 0
	    || (rc = ob_scope_container(cx, OB_ACT_SPECIMEN, "into", to, &dst)) < 0
	    || (rc = box_home(cx, "container", &src)) < 0 || (rc = box_home(cx, "into", &dst)) < 0)
		goto out;
	if (src.id == dst.id) {
		rc = ob_error_set(OB_EINVALID, "to: cannot empty %s into itself", src.barcode);
		goto out;
	}
	if (strcmp(dst.kind, "box")) {
		rc = ob_error_set(OB_EINVALID, "to: %s is a %s, not a box", dst.barcode, dst.kind);
		goto out;
	}
	cells = (size_t)dst.rows * (size_t)dst.cols;
	if (!(grid = calloc(cells, 1))) {
		rc = ob_error_set(OB_ERROR, "out of memory");
		goto out;
	}
	if ((rc = load_contents(cx, &src, &v, &n)) < 0 || (rc = load_taken(cx, &dst, grid, &taken)) < 0)
		goto out;
	if (n > cells - taken) {
		rc = ob_error_set(OB_ECONFLICT, "box %s has %zu free position%s; %s holds %zu"
			" specimen%s: nothing moved", dst.barcode, cells - taken,
			cells - taken == 1 ? "" : "s", src.barcode, n, n == 1 ? "" : "s");
		goto out;
	}
	if (n)
		qsort(v, n, sizeof *v, by_place);
	/* First keep every position the target has free, then fill the rest
	 * into the first free positions in order. */
	for (size_t i = 0; i < n; i++) {
		emptied *e = &v[i];
		if (e->row && e->row <= dst.rows && e->col <= dst.cols) {
			size_t k = (size_t)(e->row - 1) * (size_t)dst.cols + (size_t)(e->col - 1);
			if (!grid[k]) {
				grid[k] = 1;
				e->trow = e->row;
				e->tcol = e->col;
			}
		}
	}
	for (size_t i = 0; i < n; i++) {
		emptied *e = &v[i];
		if (e->trow)
			continue;
		while (next < cells && grid[next])
			next++;
		grid[next] = 1;  /* the room check above guarantees next < cells */
		e->trow = (int)(next / (size_t)dst.cols) + 1;
		e->tcol = (int)(next % (size_t)dst.cols) + 1;
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		char pos[OB_POSITION_MAX];
		if ((rc = ob_position_name(dst.scheme, dst.cols, v[i].trow, v[i].tcol, pos)) < 0) {
			rc = ob_error_set(OB_ERROR, "box %s: cannot name position %d,%d", dst.barcode,
				v[i].trow, v[i].tcol);
			break;
		}
		rc = audited_place(cx, "move", v[i].id, v[i].barcode, dst.id, pos);
	}
out:
	free(grid);
	free(v);
	if (rc < 0) {
		ob_store_rollback(cx->st);
		return rc;
	}
	if ((rc = ob_store_commit(cx->st)) == 0 && moved)
		*moved = (int64_t)n;
	return rc;
}
