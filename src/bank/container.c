/*
 * container.c - the storage tree (freezers, tanks, refrigerators, shelves,
 * racks, boxes): adding and looking up containers, position naming schemes,
 * temperature inheritance and path text. Moves live in container_move.c,
 * listings, maps and the freezer report in container_report.c.
 */
#include "bank/container.h"
#include "bank/access.h"
#include "bank/scope.h"
#include "bank/shipment.h"
#include "bank/site.h"
#include "base/error.h"
#include "base/util.h"
#include "store/store.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* The audited columns: id first, the fields encoded by name. */
#define CONTAINER_AUDIT_COLS \
	"SELECT c.id" OB_CONTAINER_FIELDS(OB_RECORD_SQL) " FROM container c" \
	" JOIN site s ON s.id = c.site_id LEFT JOIN container p ON p.id = c.parent_id"

#define ENTRY(name, kind, sql, flags) OB_RECORD_ENTRY(ob_container_record, name, kind, flags)
const ob_field ob_container_fields[] = { OB_CONTAINER_FIELDS(ENTRY) OB_RECORD_END };
#undef ENTRY

static const char *const one_sql = CONTAINER_AUDIT_COLS " WHERE c.id = $1";

const ob_audit_entity ob_container_audit = { "container", one_sql,
	CONTAINER_AUDIT_COLS " ORDER BY c.id" };

/* Deep enough for site > room > freezer > shelf > rack > drawer > box many
 * times over; bounds every walk up the tree. */
#define DEPTH_MAX 16

static const struct {
	const char *kind;
	bool top;  /* stands at the top of the tree: no parent */
} kinds[] = {
	{ "freezer", true },
	{ "ln2_tank", true },
	{ "refrigerator", true },
	{ "shelf", false },
	{ "rack", false },
	{ "box", false },
};

bool ob_container_kind_valid(const char *kind)
{
	for (size_t i = 0; kind && i < sizeof kinds / sizeof kinds[0]; i++)
		if (!strcmp(kind, kinds[i].kind))
			return true;
	return false;
}

bool ob_container_kind_top(const char *kind)
{
	for (size_t i = 0; kind && i < sizeof kinds / sizeof kinds[0]; i++)
		if (!strcmp(kind, kinds[i].kind))
			return kinds[i].top;
	return false;
}

void ob_container_new_init(ob_container_new *c)
{
	memset(c, 0, sizeof *c);
	c->temperature = NAN;
}

/* ---- positions ---------------------------------------------------------- */

bool ob_position_scheme_valid(const char *scheme)
{
	return scheme && (!strcmp(scheme, "A1") || !strcmp(scheme, "1-1") || !strcmp(scheme, "1"));
}

/* Reads decimal digits (at least one) at *p into *v, advancing *p; fails
 * on a value above 1,000,000 so nothing overflows. */
static int read_number(const char **p, int *v)
{
	const char *s = *p;
	long n = 0;

	if (!isdigit((unsigned char)*s))
		return OB_EINVALID;
	while (isdigit((unsigned char)*s)) {
		n = n * 10 + (*s++ - '0');
		if (n > 1000000)
			return OB_EINVALID;
	}
	*p = s;
	*v = (int)n;
	return 0;
}

int ob_position_parse(const char *scheme, int cols, const char *text, int *row, int *col)
{
	const char *p = text;
	int r = 0, c = 0, n;

	if (!text || !ob_position_scheme_valid(scheme))
		return OB_EINVALID;
	if (!strcmp(scheme, "A1")) {
		/* Rows as letters, counted like spreadsheet columns: Z, AA, AB. */
		int letters = 0;
		while (isalpha((unsigned char)*p)) {
			if (++letters > 3)
				return OB_EINVALID;
			r = r * 26 + (toupper((unsigned char)*p++) - 'A' + 1);
		}
		if (!letters || read_number(&p, &c) < 0)
			return OB_EINVALID;
	} else if (!strcmp(scheme, "1-1")) {
		if (read_number(&p, &r) < 0 || *p++ != '-' || read_number(&p, &c) < 0)
			return OB_EINVALID;
	} else {
		if (cols < 1 || read_number(&p, &n) < 0 || n < 1)
			return OB_EINVALID;
		r = (n - 1) / cols + 1;
		c = (n - 1) % cols + 1;
	}
	if (*p || r < 1 || c < 1)
		return OB_EINVALID;
	*row = r;
	*col = c;
	return 0;
}

int ob_position_name(const char *scheme, int cols, int row, int col, char out[OB_POSITION_MAX])
{
	if (row < 1 || col < 1 || row > OB_CONTAINER_DIM_MAX || col > OB_CONTAINER_DIM_MAX
	    || !ob_position_scheme_valid(scheme))
		return OB_EINVALID;
	if (!strcmp(scheme, "A1")) {
		char letters[8];
		int n = 0, i = 0;
		for (int r = row; r > 0; r = (r - 1) / 26)
			letters[n++] = (char)('A' + (r - 1) % 26);
		while (n > 0)
			out[i++] = letters[--n];
		snprintf(out + i, OB_POSITION_MAX - (size_t)i, "%d", col);
	} else if (!strcmp(scheme, "1-1")) {
		snprintf(out, OB_POSITION_MAX, "%d-%d", row, col);
	} else {
		if (cols < col)
			return OB_EINVALID;
		snprintf(out, OB_POSITION_MAX, "%d", (row - 1) * cols + col);
	}
	return 0;
}

/* ---- looking containers up ---------------------------------------------- */

/* By barcode, always within the caller's scope (scope.h): a container of
 * another site is as absent as one that does not exist. */
int ob_container_get(const ob_ctx *cx, const char *barcode, ob_container_info *out)
{
	return ob_scope_container(cx, OB_ACT_READ, "container", barcode, out);
}

int ob_container_lookup(const ob_ctx *cx, const char *barcode, int64_t *id)
{
	ob_container_info c;
	int rc = ob_scope_container(cx, OB_ACT_READ, "container", barcode, &c);

	if (rc == 0)
		*id = c.id;
	return rc;
}

/* The site and materialised path of container id. */
static int node_of(const ob_ctx *cx, int64_t id, int64_t *site_id, char *path, size_t pathsz)
{
	static const char *const sql = "SELECT site_id, path FROM container WHERE id = $1";
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, id);
	rc = ob_stmt_step(s);
	if (rc == OB_ROW) {
		*site_id = ob_stmt_int(s, 0);
		if (!ob_strlcpy(path, ob_stmt_text(s, 1), pathsz))
			rc = ob_error_set(OB_ERROR, "container %lld: path too long", (long long)id);
		else
			rc = 0;
	} else if (rc == 0) {
		rc = ob_error_set(OB_ENOTFOUND, "container %lld not found", (long long)id);
	}
	ob_stmt_reset(s);
	return rc;
}

/* "10 x 10, A1..J10" for a box. */
static void box_extent(const ob_container_info *b, char *out, size_t n)
{
	char first[OB_POSITION_MAX] = "?", last[OB_POSITION_MAX] = "?";

	ob_position_name(b->scheme, b->cols, 1, 1, first);
	ob_position_name(b->scheme, b->cols, b->rows, b->cols, last);
	snprintf(out, n, "%d x %d, %s..%s", b->rows, b->cols, first, last);
}

int ob_container_check_position(const ob_ctx *cx, const char *container, const char *position,
                                int64_t *container_id, char pos_out[OB_POSITION_MAX])
{
	ob_container_info b;
	int rc;

	if ((rc = ob_container_get(cx, container, &b)) < 0
	    || (rc = ob_box_position(&b, position, pos_out)) < 0)
		return rc;
	if (container_id)
		*container_id = b.id;
	return 0;
}

int ob_box_position(const ob_container_info *box, const char *position,
                    char pos_out[OB_POSITION_MAX])
{
	const ob_container_info b = *box;
	char extent[64];
	int r, c;

	if (strcmp(b.kind, "box"))
		return ob_error_set(OB_EINVALID, "container: %s is a %s, not a box: only boxes have"
			" positions", b.barcode, b.kind);
	box_extent(&b, extent, sizeof extent);
	if (!position || !*position)
		return ob_error_set(OB_EINVALID, "position: a position in box %s is needed (%s)",
			b.barcode, extent);
	if (ob_position_parse(b.scheme, b.cols, position, &r, &c) < 0)
		return ob_error_set(OB_EINVALID, "position: '%s' is not a position in box %s (%s)",
			position, b.barcode, extent);
	if (r > b.rows || c > b.cols || ob_position_name(b.scheme, b.cols, r, c, pos_out) < 0)
		return ob_error_set(OB_EINVALID, "position: '%s' is outside box %s (%s)",
			position, b.barcode, extent);
	return 0;
}

int ob_container_temperature(const ob_ctx *cx, int64_t container_id, double *temp)
{
	static const char *const sql = "SELECT temperature, parent_id FROM container WHERE id = $1";
	int64_t id = container_id;
	ob_stmt *s;
	int rc;

	*temp = NAN;
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	for (int depth = 0; id && depth <= DEPTH_MAX; depth++) {
		ob_stmt_bind_int(s, 1, id);
		rc = ob_stmt_step(s);
		if (rc == 0 && depth == 0)
			rc = ob_error_set(OB_ENOTFOUND, "container %lld not found", (long long)container_id);
		if (rc != OB_ROW) {
			ob_stmt_reset(s);
			return rc;
		}
		if (!ob_stmt_is_null(s, 0)) {
			*temp = ob_stmt_double(s, 0);
			id = 0;
		} else {
			id = ob_stmt_is_null(s, 1) ? 0 : ob_stmt_int(s, 1);
		}
		ob_stmt_reset(s);
	}
	return 0;
}

int ob_container_path_text(const ob_ctx *cx, int64_t container_id, ob_buf *out)
{
	static const char *const sql = "SELECT barcode, parent_id FROM container WHERE id = $1";
	char chain[DEPTH_MAX + 1][OB_CONTAINER_BARCODE_MAX];
	int64_t id = container_id;
	int n = 0, rc;
	ob_stmt *s;

	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	while (id && n <= DEPTH_MAX) {
		ob_stmt_bind_int(s, 1, id);
		rc = ob_stmt_step(s);
		if (rc == 0)
			rc = ob_error_set(OB_ENOTFOUND, "container %lld not found", (long long)id);
		if (rc != OB_ROW) {
			ob_stmt_reset(s);
			return rc;
		}
		ob_strlcpy(chain[n++], ob_stmt_text(s, 0), sizeof chain[0]);
		id = ob_stmt_is_null(s, 1) ? 0 : ob_stmt_int(s, 1);
		ob_stmt_reset(s);
	}
	rc = 0;
	while (n > 0 && rc == 0) {
		n--;
		rc = ob_buf_puts(out, chain[n]);
		if (rc == 0 && n > 0)
			rc = ob_buf_puts(out, " > ");
	}
	return rc;
}

/* ---- adding ------------------------------------------------------------- */

static int barcode_check(const char *code)
{
	size_t n = code ? strlen(code) : 0;

	if (n == 0 || n >= OB_CONTAINER_BARCODE_MAX)
		return ob_error_set(OB_EINVALID, "barcode: a container barcode is 1 to %d characters",
			OB_CONTAINER_BARCODE_MAX - 1);
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)code[i]) && !strchr("-_.", code[i]))
			return ob_error_set(OB_EINVALID, "barcode: '%s' may hold only letters, digits,"
				" '-', '_' and '.'", code);
	return 0;
}

/* Checks what needs no database. */
static int check_new(const ob_container_new *in, bool *is_box)
{
	int rc;

	if ((rc = barcode_check(in->barcode)) < 0)
		return rc;
	if (!ob_container_kind_valid(in->kind))
		return ob_error_set(OB_EINVALID, "kind: '%s' is not a container kind (freezer, ln2_tank,"
			" refrigerator, shelf, rack, box)", in->kind ? in->kind : "");
	if (in->name && strlen(in->name) >= OB_CONTAINER_NAME_MAX)
		return ob_error_set(OB_EINVALID, "name: at most %d bytes", OB_CONTAINER_NAME_MAX - 1);
	if (ob_container_kind_top(in->kind) && in->parent && *in->parent)
		return ob_error_set(OB_EINVALID, "parent: a %s stands at the top of the storage tree"
			" and has no parent", in->kind);
	if (!ob_container_kind_top(in->kind) && !(in->parent && *in->parent))
		return ob_error_set(OB_EINVALID, "parent: a %s needs a parent container", in->kind);
	if (!isnan(in->temperature) && !(in->temperature >= -273.0 && in->temperature <= 100.0))
		return ob_error_set(OB_EINVALID, "temperature: %g C is outside -273..100",
			in->temperature);
	*is_box = !strcmp(in->kind, "box");
	if (*is_box) {
		if (in->rows < 1 || in->rows > OB_CONTAINER_DIM_MAX)
			return ob_error_set(OB_EINVALID, "rows: a box has 1 to %d rows (got %d)",
				OB_CONTAINER_DIM_MAX, in->rows);
		if (in->cols < 1 || in->cols > OB_CONTAINER_DIM_MAX)
			return ob_error_set(OB_EINVALID, "cols: a box has 1 to %d columns (got %d)",
				OB_CONTAINER_DIM_MAX, in->cols);
		if (in->scheme && *in->scheme && !ob_position_scheme_valid(in->scheme))
			return ob_error_set(OB_EINVALID, "scheme: '%s' is not a position scheme"
				" (A1, 1-1, 1)", in->scheme);
	} else if (in->rows || in->cols || (in->scheme && *in->scheme)) {
		return ob_error_set(OB_EINVALID, "%s: only boxes have rows, columns and a scheme",
			in->rows ? "rows" : in->cols ? "cols" : "scheme");
	}
	return 0;
}

int ob_container_add(const ob_ctx *cx, const ob_container_new *in, int64_t *id_out)
{
	static const char *const exists_sql = "SELECT id FROM container WHERE barcode = $1";
	static const char *const ins =
		"INSERT INTO container (barcode, name, kind, site_id, parent_id, temperature,"
		" nrows, ncols, scheme, path) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
		" RETURNING id";
	static const char *const set_path = "UPDATE container SET path = $2 WHERE id = $1";
	char ppath[512] = "/", path[600];
	int64_t site_id = 0, parent_id = 0, id = 0;
	bool is_box = false;
	ob_stmt *s;
	int rc;

	if ((rc = check_new(in, &is_box)) < 0)
		return rc;
	if ((rc = ob_store_begin(cx->st)) < 0)
		return rc;
	if (in->parent && *in->parent) {
		ob_container_info p;
		if ((rc = ob_scope_container(cx, OB_ACT_CONTAINER, "parent", in->parent, &p)) < 0)
			goto out;
		if (!strcmp(p.kind, "box")) {
			rc = ob_error_set(OB_EINVALID, "parent: %s is a box; a box holds specimens, not"
				" containers", p.barcode);
			goto out;
		}
		if (in->site && *in->site && strcmp(in->site, p.site)) {
			rc = ob_error_set(OB_EINVALID, "site: a container belongs to its parent's site"
				" (%s is at %s, not %s)", p.barcode, p.site, in->site);
			goto out;
		}
		if ((rc = node_of(cx, p.id, &site_id, ppath, sizeof ppath)) < 0)
			goto out;
		int depth = 0;
		for (const char *q = ppath; *q; q++)
			depth += *q == '/';
		if (depth > DEPTH_MAX) {
			rc = ob_error_set(OB_EINVALID, "parent: %s is %d levels deep; the storage tree"
				" ends at %d", p.barcode, depth - 1, DEPTH_MAX);
			goto out;
		}
		parent_id = p.id;
	} else {
		if (!in->site || !*in->site) {
			rc = ob_error_set(OB_EINVALID, "site: a %s needs a site", in->kind);
			goto out;
		}
		if ((rc = ob_scope_site(cx, OB_ACT_CONTAINER, "site", in->site, &site_id, NULL)) < 0)
			goto out;
	}
	if ((rc = ob_access_check_site_id(cx, OB_ACT_CONTAINER, site_id)) < 0
	    || (parent_id && (rc = ob_site_in_service(cx, site_id, "parent")) < 0))
		goto out;
	if ((rc = ob_store_prepare(cx->st, exists_sql, &s)) < 0)
		goto out;
	ob_stmt_bind_text(s, 1, in->barcode);
	rc = ob_stmt_step(s);
	ob_stmt_reset(s);
	if (rc == OB_ROW)
		rc = ob_error_set(OB_EEXISTS, "barcode: container '%s' exists already", in->barcode);
	if (rc < 0)
		goto out;

	if ((rc = ob_store_prepare(cx->st, ins, &s)) < 0)
		goto out;
	ob_stmt_bind_text(s, 1, in->barcode);
	ob_stmt_bind_text(s, 2, in->name && *in->name ? in->name : in->barcode);
	ob_stmt_bind_text(s, 3, in->kind);
	ob_stmt_bind_int(s, 4, site_id);
	if (parent_id)
		ob_stmt_bind_int(s, 5, parent_id);
	ob_stmt_bind_double_or_null(s, 6, in->temperature);
	if (is_box) {
		ob_stmt_bind_int(s, 7, in->rows);
		ob_stmt_bind_int(s, 8, in->cols);
		ob_stmt_bind_text(s, 9, in->scheme && *in->scheme ? in->scheme : "A1");
	}
	ob_stmt_bind_text(s, 10, ppath);
	rc = ob_stmt_step(s);
	if (rc == OB_ROW) {
		id = ob_stmt_int(s, 0);
		rc = 0;
	}
	ob_stmt_reset(s);
	if (rc == OB_EEXISTS)
		rc = ob_error_set(OB_EEXISTS, "barcode: container '%s' exists already", in->barcode);
	if (rc < 0)
		goto out;
	/* The path ends with the row's own id, known only now. */
	snprintf(path, sizeof path, "%s%lld/", ppath, (long long)id);
	if ((rc = ob_store_prepare(cx->st, set_path, &s)) < 0)
		goto out;
	ob_stmt_bind_int(s, 1, id);
	ob_stmt_bind_text(s, 2, path);
	if ((rc = ob_stmt_exec(s)) < 0)
		goto out;
	rc = ob_audit_record(cx, &ob_container_audit, "create", id, in->barcode, NULL);
out:
	if (rc < 0) {
		ob_store_rollback(cx->st);
		return rc;
	}
	if (id_out)
		*id_out = id;
	return ob_store_commit(cx->st);
}

/* ---- corrections -------------------------------------------------------- */

static int container_check(const ob_field *f, void *rec, void *arg)
{
	ob_container_record *r = rec;

	(void)arg;
	if (!strcmp(f->name, "name") && !r->name)
		return ob_error_set(OB_EINVALID, "name: a container needs a name");
	if (!strcmp(f->name, "temperature") && !isnan(r->temperature)
	    && !(r->temperature >= -273.0 && r->temperature <= 100.0))
		return ob_error_set(OB_EINVALID, "temperature: %g C is outside -273..100",
			r->temperature);
	return 0;
}

/* The number of ids in a materialised path ("/12/40/" holds 2). */
static int path_depth(const char *path)
{
	int n = 0;

	for (const char *q = path; *q; q++)
		n += *q == '/';
	return n ? n - 1 : 0;
}

/* Moves container c (at path old) into parent p: checks the rules of
 * container.h, then sets its parent and rewrites the path of it and of
 * everything below it. */
static int container_move(const ob_ctx *cx, const ob_container_record *c, int64_t id,
                          const char *old, const char *parent)
{
	static const char *const deepest =
		"SELECT path FROM container WHERE substr(path, 1, length($1)) = $1"
		" ORDER BY length(path) DESC LIMIT 1";
	static const char *const set_parent = "UPDATE container SET parent_id = $2 WHERE id = $1";
	static const char *const set_paths =
		"UPDATE container SET path = CAST($1 AS TEXT) || substr(path, $2)"
		" WHERE substr(path, 1, $3) = $4";
	char ppath[512], path[600];
	ob_container_info p;
	int64_t psite, csite;
	int depth = 0, rc;
	ob_stmt *s;

	if (ob_container_kind_top(c->kind))
		return ob_error_set(OB_EINVALID, "parent: a %s stands at the top of the storage tree"
			" and has no parent", c->kind);
	if (!parent)
		return ob_error_set(OB_EINVALID, "parent: a %s needs a parent container", c->kind);
	if ((rc = ob_scope_container(cx, OB_ACT_CONTAINER, "parent", parent, &p)) < 0)
		return rc;
	if (!strcmp(p.kind, "box"))
		return ob_error_set(OB_EINVALID, "parent: %s is a box; a box holds specimens, not"
			" containers", p.barcode);
	if ((rc = node_of(cx, p.id, &psite, ppath, sizeof ppath)) < 0
	    || (rc = node_of(cx, id, &csite, path, sizeof path)) < 0)
		return rc;
	if (psite != csite)
		return ob_error_set(OB_EINVALID, "parent: %s is at site %s, %s at %s: a container"
			" moves within its site", p.barcode, p.site, c->barcode, c->site);
	if (!strncmp(ppath, old, strlen(old)))
		return ob_error_set(OB_EINVALID, "parent: %s lies inside %s: a container cannot go"
			" into itself", p.barcode, c->barcode);
	if ((rc = ob_store_prepare(cx->st, deepest, &s)) < 0)
		return rc;
	ob_stmt_bind_text(s, 1, old);
	if ((rc = ob_stmt_step(s)) == OB_ROW) {
		depth = path_depth(ob_stmt_text(s, 0)) - path_depth(old);
		rc = 0;
	}
	ob_stmt_reset(s);
	if (rc < 0)
		return rc;
	/* the deepest container below it, at its new place */
	if (path_depth(ppath) + 1 + depth > DEPTH_MAX)
		return ob_error_set(OB_EINVALID, "parent: %s is %d levels deep and %s holds %d more;"
			" the storage tree ends at %d", p.barcode, path_depth(ppath), c->barcode,
			depth + 1, DEPTH_MAX);
	if ((size_t)snprintf(path, sizeof path, "%s%lld/", ppath, (long long)id) >= sizeof path)
		return ob_error_set(OB_EINVALID, "parent: the storage tree is too deep there");
	if ((rc = ob_store_prepare(cx->st, set_parent, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, id);
	ob_stmt_bind_int(s, 2, p.id);
	if ((rc = ob_stmt_exec(s)) < 0 || (rc = ob_store_prepare(cx->st, set_paths, &s)) < 0)
		return rc;
	ob_stmt_bind_text(s, 1, path);
	ob_stmt_bind_int(s, 2, (int64_t)strlen(old) + 1);
	ob_stmt_bind_int(s, 3, (int64_t)strlen(old));
	ob_stmt_bind_text(s, 4, old);
	return ob_stmt_exec(s);
}

int ob_container_correct(const ob_ctx *cx, const char *barcode, const ob_change *ch, size_t n,
                         const char *reason)
{
	static const char *const upd =
		"UPDATE container SET name = $2, temperature = $3 WHERE id = $1";
	ob_ctx why = *cx;
	ob_container_record before, after;
	ob_container_info c;
	char old[600];
	int64_t site_id;
	ob_buf enc = OB_BUF_INIT;
	ob_stmt *s;
	int rc;

	ob_record_init(ob_container_fields, &before);
	why.reason = reason;
	if ((rc = ob_store_begin(cx->st)) < 0)
		return rc;
	if ((rc = ob_scope_container(cx, OB_ACT_CONTAINER, "container", barcode, &c)) < 0
	    || (rc = ob_record_load(cx, one_sql, ob_container_fields, c.id, &before)) < 0
	    || (rc = node_of(cx, c.id, &site_id, old, sizeof old)) < 0)
		goto out;
	after = before;
	if ((rc = ob_record_change(ob_container_fields, "container", &before, &after, ch, n, reason,
			container_check, NULL)) < 0)
		goto out;
	if ((rc = ob_audit_encode(cx, &ob_container_audit, c.id, &enc)) < 0)
		goto out;
	/* a box on its way to another site is re-racked by its receipt */
	if (!ob_field_same(ob_field_find(ob_container_fields, "parent"), &before, &after)
	    && ((!c.parent_id && (rc = ob_shipment_box_home(cx, "parent", c.id, c.barcode)) < 0)
		|| (rc = container_move(cx, &after, c.id, old, after.parent)) < 0))
		goto out;
	if ((rc = ob_store_prepare(cx->st, upd, &s)) < 0)
		goto out;
	ob_stmt_bind_int(s, 1, c.id);
	ob_stmt_bind_text(s, 2, after.name);
	ob_stmt_bind_double_or_null(s, 3, after.temperature);
	if ((rc = ob_stmt_exec(s)) < 0)
		goto out;
	rc = ob_audit_record(&why, &ob_container_audit, "correct", c.id, c.barcode,
		ob_buf_cstr(&enc));
out:
	ob_buf_dispose(&enc);
	ob_record_release(ob_container_fields, &before);
	if (rc < 0) {
		ob_store_rollback(cx->st);
		return rc;
	}
	return ob_store_commit(cx->st);
}

int ob_container_changes(const ob_ctx *cx, const char *barcode, ob_audit_change_cb cb, void *arg)
{
	int64_t id;
	int rc;

	if ((rc = ob_container_lookup(cx, barcode, &id)) < 0)
		return rc;
	return ob_audit_changes(cx, "container", id, NULL, cb, arg);
}
