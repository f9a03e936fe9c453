/*
 * scope.c - the scope-checked lookups of scope.h: the only place that
 * turns a barcode or a code a caller named into a row. A row outside the
 * caller's scope is read here, found out of scope and dropped: its caller
 * gets the answer it would get if the row did not exist.
 */
#include "bank/scope.h"
#include "bank/site.h"
#include "base/error.h"
#include "base/util.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

/* "FIELD: " or "" */
static const char *sep(const char *field)
{
	return field && *field ? ": " : "";
}

static const char *name(const char *field)
{
	return field && *field ? field : "";
}

/* Refuses a role that may not do act anywhere, before anything is looked
 * up: the same answer whatever the record. */
static int role_check(const ob_ctx *cx, ob_action act)
{
	return ob_access_check(cx, act, NULL);
}

/* The answer for an absent record; the same for one outside the scope,
 * which is also noted for the audit trail. */
static int hidden(const char *kind, const char *key)
{
	ob_access_note_target(kind, key, true);
	return OB_ENOTFOUND;
}

/* Whether act is allowed at the site whose path is given; site codes are
 * public, so a refusal names the field openly. */
static int site_allowed(const ob_ctx *cx, ob_action act, const char *field, const char *path)
{
	int rc = ob_access_check(cx, act, path);

	if (rc < 0 && field && *field) {
		char msg[512];
		ob_strlcpy(msg, ob_error_last(), sizeof msg);
		ob_error_set(rc, "%s: %s", field, msg);
	}
	return rc;
}

/* The acts that put new records at a site, which a retired site refuses. */
static bool adds_records(ob_action act)
{
	return act == OB_ACT_SPECIMEN || act == OB_ACT_DONOR || act == OB_ACT_CONTAINER;
}

/* The site of code: its id, path (OB_SCOPE_PATH_MAX) and retirement day
 * ("" when in service); OB_ENOTFOUND "FIELD: no site has code 'X'". */
static int site_row(const ob_ctx *cx, const char *field, const char *code, int64_t *id,
                    char *path, char retired[32])
{
	static const char *const sql = "SELECT id, path, retired FROM site WHERE code = $1";
	ob_stmt *s;
	int rc;

	retired[0] = '\0';
	if (!code || !*code)
		return ob_error_set(OB_EINVALID, "%s%sa site code is needed", name(field), sep(field));
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	if ((rc = ob_stmt_bind_text(s, 1, code)) == 0)
		rc = ob_stmt_step(s);
	if (rc == OB_ROW) {
		*id = ob_stmt_int(s, 0);
		ob_strlcpy(path, ob_stmt_text(s, 1), OB_SCOPE_PATH_MAX);
		if (!ob_stmt_is_null(s, 2))
			ob_strlcpy(retired, ob_stmt_text(s, 2), 32);
		rc = 0;
	} else if (rc == 0) {
		rc = ob_error_set(OB_ENOTFOUND, "%s%sno site has code '%s'", name(field), sep(field),
			code);
	}
	ob_stmt_reset(s);
	return rc;
}

int ob_scope_site(const ob_ctx *cx, ob_action act, const char *field, const char *code,
                  int64_t *id, char *path)
{
	char p[OB_SCOPE_PATH_MAX], retired[32];
	int64_t sid = 0;
	int rc;

	if (code && *code && (rc = role_check(cx, act)) < 0)
		return rc;
	if ((rc = site_row(cx, field, code, &sid, p, retired)) < 0
	    || (rc = site_allowed(cx, act, field, p)) < 0)
		return rc;
	if (adds_records(act) && retired[0])
		return ob_site_retired_error(name(field), code, retired);
	if (id)
		*id = sid;
	if (path)
		ob_strlcpy(path, p, OB_SCOPE_PATH_MAX);
	return 0;
}

int ob_scope_site_public(const ob_ctx *cx, const char *field, const char *code, bool in_service,
                         int64_t *id, char *path)
{
	char p[OB_SCOPE_PATH_MAX], retired[32];
	int64_t sid = 0;
	int rc;

	if ((rc = site_row(cx, field, code, &sid, p, retired)) < 0)
		return rc;
	if (in_service && retired[0])
		return ob_site_retired_error(name(field), code, retired);
	if (id)
		*id = sid;
	if (path)
		ob_strlcpy(path, p, OB_SCOPE_PATH_MAX);
	return 0;
}

int ob_scope_site_named(const ob_ctx *cx, ob_action act, const char *field,
                        const char *code_or_name, char *code, size_t n)
{
	static const char *const sql = "SELECT code FROM site WHERE name = $1 ORDER BY code";
	char found[64] = "";
	int rc, named = 0;
	ob_stmt *s;

	rc = ob_scope_site(cx, act, field, code_or_name, NULL, NULL);
	if (rc != OB_ENOTFOUND) {
		if (rc == 0)
			ob_strlcpy(code, code_or_name, n);
		return rc;
	}
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_text(s, 1, code_or_name);
	while ((rc = ob_stmt_step(s)) == OB_ROW)
		if (named++ == 0)
			ob_strlcpy(found, ob_stmt_text(s, 0), sizeof found);
	ob_stmt_reset(s);
	if (rc < 0)
		return rc;
	if (named == 0)
		return ob_error_set(OB_ENOTFOUND, "%s%sno site has code or name '%s'", name(field),
			sep(field), code_or_name);
	if (named > 1)
		return ob_error_set(OB_ECONFLICT, "%s%s%d sites are named '%s': give the code",
			name(field), sep(field), named, code_or_name);
	/* then as one named by code: the scope and the retirement apply */
	if ((rc = ob_scope_site(cx, act, field, found, NULL, NULL)) == 0)
		ob_strlcpy(code, found, n);
	return rc;
}

/* A specimen a study researcher reads: one collected in a study they are
 * a member of (access.h), any other as absent. */
static int study_specimen(const ob_ctx *cx, const char *barcode, int64_t *id, bool *in)
{
	static const char *const sql =
		"SELECT s.id, (SELECT 1 FROM study_member m JOIN app_user u ON u.id = m.user_id"
		" WHERE m.study_id = s.study_id AND u.username = $2) FROM specimen s"
		" WHERE s.barcode = $1";
	ob_stmt *s;
	int rc;

	*in = false;
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	if ((rc = ob_stmt_bind_text(s, 1, barcode)) == 0
	    && (rc = ob_stmt_bind_text(s, 2, cx->actor ? cx->actor : "")) == 0)
		rc = ob_stmt_step(s);
	if (rc == OB_ROW) {
		if ((*in = !ob_stmt_is_null(s, 1)) && id)
			*id = ob_stmt_int(s, 0);
		rc = *in ? 0 : hidden("specimen", barcode);
	} else if (rc == 0) {
		rc = OB_ENOTFOUND;
	}
	ob_stmt_reset(s);
	return rc;
}

/* A specimen or box outside the reader's scope that travels in a shipped
 * shipment to a site in it is read all the same: the destination sees
 * what is coming (shipment.h). One indexed look-up, made only for a
 * record found outside the scope: 1 when it is coming, 0 when not, or the
 * store's error (a busy database is not an absent record). */
static int in_transit_to_reader(const ob_ctx *cx, const char *sql, int64_t id)
{
	ob_stmt *s;
	int rc, in = 0;

	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	if ((rc = ob_stmt_bind_int(s, 1, id)) == 0)
		while (!in && (rc = ob_stmt_step(s)) == OB_ROW)
			in = ob_access_in_scope(cx, OB_ACT_READ, ob_stmt_text(s, 0));
	ob_stmt_reset(s);
	return rc < 0 ? rc : in;
}

static int specimen_coming(const ob_ctx *cx, ob_action act, int64_t id)
{
	static const char *const sql =
		"SELECT ts.path FROM shipment_item i JOIN shipment h ON h.id = i.shipment_id"
		" JOIN site ts ON ts.id = h.to_site_id WHERE i.specimen_id = $1"
		" AND i.state = 'listed' AND h.state = 'shipped'";

	return act == OB_ACT_READ ? in_transit_to_reader(cx, sql, id) : 0;
}

static int box_coming(const ob_ctx *cx, ob_action act, int64_t id)
{
	static const char *const sql =
		"SELECT ts.path FROM shipment_box b JOIN shipment h ON h.id = b.shipment_id"
		" JOIN site ts ON ts.id = h.to_site_id WHERE b.container_id = $1"
		" AND b.state = 'listed' AND h.state = 'shipped'";

	return act == OB_ACT_READ ? in_transit_to_reader(cx, sql, id) : 0;
}

int ob_scope_specimen(const ob_ctx *cx, ob_action act, const char *field, const char *barcode,
                      int64_t *id)
{
	static const char *const sql =
		"SELECT s.id, st.path FROM specimen s JOIN site st ON st.id = s.site_id"
		" WHERE s.barcode = $1";
	/* An actor whose reach is the whole network needs no site: the look-up
	 * by barcode alone (a third cheaper; imports and the server's reads). */
	static const char *const sql_any = "SELECT id, NULL FROM specimen WHERE barcode = $1";
	bool all = ob_access_in_scope(cx, act, NULL), in = false;
	ob_stmt *s;
	int rc;

	if (!barcode || !*barcode)
		return ob_error_set(OB_EINVALID, "%s%sa specimen barcode is needed", name(field),
			sep(field));
	if (act == OB_ACT_READ && ob_access_study_only(cx)) {
		rc = study_specimen(cx, barcode, id, &in);
		if (rc == OB_ENOTFOUND)
			return ob_error_set(rc, "%s%sno specimen has barcode '%s'", name(field),
				sep(field), barcode);
		return rc;
	}
	if ((rc = role_check(cx, act)) < 0)
		return rc;
	if ((rc = ob_store_prepare(cx->st, all ? sql_any : sql, &s)) < 0)
		return rc;
	if ((rc = ob_stmt_bind_text(s, 1, barcode)) == 0)
		rc = ob_stmt_step(s);
	if (rc == OB_ROW) {
		int64_t sid = ob_stmt_int(s, 0);
		int coming = 0;

		in = all || ob_access_in_scope(cx, act, ob_stmt_text(s, 1));
		if (!in && (coming = specimen_coming(cx, act, sid)) > 0)
			in = true;
		if (in && id)
			*id = sid;
		rc = coming < 0 ? coming : in ? 0 : hidden("specimen", barcode);
	} else if (rc == 0) {
		rc = OB_ENOTFOUND;
	}
	ob_stmt_reset(s);
	if (rc == OB_ENOTFOUND)
		return ob_error_set(rc, "%s%sno specimen has barcode '%s'", name(field), sep(field),
			barcode);
	return rc;
}

int ob_scope_specimen_label(const ob_ctx *cx, ob_action act, const char *field, const char *label,
                            char *barcode, size_t n)
{
	static const char *const sql =
		"SELECT s.barcode, st.path FROM specimen s JOIN site st ON st.id = s.site_id"
		" WHERE s.label = $1 ORDER BY s.id";
	ob_stmt *s;
	int rc, found = 0;

	if ((rc = role_check(cx, act)) < 0)
		return rc;
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_text(s, 1, label);
	/* Labels are a site's own names: another site's are not even counted. */
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		if (!ob_access_in_scope(cx, act, ob_stmt_text(s, 1)))
			continue;
		if (found++ == 0)
			ob_strlcpy(barcode, ob_stmt_text(s, 0), n);
	}
	ob_stmt_reset(s);
	if (rc < 0)
		return rc;
	if (found == 0)
		return ob_error_set(OB_ENOTFOUND, "%s%sno specimen is labelled '%s'", name(field),
			sep(field), label);
	if (found > 1)
		return ob_error_set(OB_ECONFLICT, "%s%sseveral specimens are labelled '%s'",
			name(field), sep(field), label);
	return 0;
}

#define INFO_COLS \
	"SELECT c.id, c.parent_id, c.barcode, c.name, c.kind, s.code, p.barcode," \
	" c.temperature, c.nrows, c.ncols, c.scheme, s.path FROM container c" \
	" JOIN site s ON s.id = c.site_id LEFT JOIN container p ON p.id = c.parent_id"

static void read_info(ob_stmt *s, ob_container_info *out)
{
	const char *v;

	memset(out, 0, sizeof *out);
	out->id = ob_stmt_int(s, 0);
	out->parent_id = ob_stmt_is_null(s, 1) ? 0 : ob_stmt_int(s, 1);
	ob_strlcpy(out->barcode, ob_stmt_text(s, 2), sizeof out->barcode);
	ob_strlcpy(out->name, ob_stmt_text(s, 3), sizeof out->name);
	ob_strlcpy(out->kind, ob_stmt_text(s, 4), sizeof out->kind);
	ob_strlcpy(out->site, ob_stmt_text(s, 5), sizeof out->site);
	if ((v = ob_stmt_text(s, 6)))
		ob_strlcpy(out->parent, v, sizeof out->parent);
	out->temperature = ob_stmt_double(s, 7);
	out->rows = ob_stmt_is_null(s, 8) ? 0 : (int)ob_stmt_int(s, 8);
	out->cols = ob_stmt_is_null(s, 9) ? 0 : (int)ob_stmt_int(s, 9);
	if ((v = ob_stmt_text(s, 10)))
		ob_strlcpy(out->scheme, v, sizeof out->scheme);
}

int ob_scope_container(const ob_ctx *cx, ob_action act, const char *field, const char *barcode,
                       ob_container_info *out)
{
	static const char *const sql = INFO_COLS " WHERE c.barcode = $1";
	ob_stmt *s;
	int rc;

	if (!barcode || !*barcode)
		return ob_error_set(OB_EINVALID, "%s%sa container barcode is needed", name(field),
			sep(field));
	if ((rc = role_check(cx, act)) < 0)
		return rc;
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_text(s, 1, barcode);
	rc = ob_stmt_step(s);
	if (rc == OB_ROW) {
		int coming = 0;

		if (ob_access_in_scope(cx, act, ob_stmt_text(s, 11))
		    || (coming = box_coming(cx, act, ob_stmt_int(s, 0))) > 0) {
			read_info(s, out);
			rc = 0;
		} else {
			rc = coming < 0 ? coming : hidden("container", barcode);
		}
	} else if (rc == 0) {
		rc = OB_ENOTFOUND;
	}
	ob_stmt_reset(s);
	if (rc == OB_ENOTFOUND)
		return ob_error_set(rc, "%s%sno container has barcode '%s'", name(field), sep(field),
			barcode);
	return rc;
}

int ob_scope_donor(const ob_ctx *cx, ob_action act, const char *site_field, const char *site,
                   const char *code, int64_t *id, bool *withdrawn)
{
	/* The site and the donor in one statement (a row per specimen of an
	 * import): the site's row, with the donor's columns NULL when it has
	 * no donor of that code. */
	static const char *const sql =
		"SELECT st.path, d.id, d.withdrawn FROM site st"
		" LEFT JOIN donor d ON d.site_id = st.id AND d.code = $2 WHERE st.code = $1";
	char path[OB_SCOPE_PATH_MAX];
	bool found = false, off = false;
	int64_t donor_id = 0;
	ob_stmt *s;
	int rc;

	if (!site || !*site)
		return ob_error_set(OB_EINVALID, "%s%sa site code is needed", name(site_field),
			sep(site_field));
	if ((rc = role_check(cx, act)) < 0)
		return rc;
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	if ((rc = ob_stmt_bind_text(s, 1, site)) == 0
	    && (rc = ob_stmt_bind_text(s, 2, code ? code : "")) == 0)
		rc = ob_stmt_step(s);
	if (rc == OB_ROW) {
		ob_strlcpy(path, ob_stmt_text(s, 0), sizeof path);
		if ((found = !ob_stmt_is_null(s, 1))) {
			donor_id = ob_stmt_int(s, 1);
			off = ob_stmt_int(s, 2) != 0;
		}
		rc = 0;
	} else if (rc == 0) {
		rc = ob_error_set(OB_ENOTFOUND, "%s%sno site has code '%s'", name(site_field),
			sep(site_field), site);
	}
	ob_stmt_reset(s);
	if (rc < 0 || (rc = site_allowed(cx, act, site_field, path)) < 0)
		return rc;
	if (!found)
		return ob_error_set(OB_ENOTFOUND, "donor: no donor '%s' at site '%s'", code ? code : "",
			site);
	*id = donor_id;
	if (withdrawn)
		*withdrawn = off;
	return 0;
}

int ob_scope_reached(const ob_ctx *cx, ob_action act, const char *site_path, const char *kind,
                     const char *key, const char *what)
{
	if (ob_access_in_scope(cx, act, site_path))
		return 0;
	hidden(kind, key);
	return ob_error_set(OB_ENOTFOUND, "%s", what);
}

int ob_scope_occupant(const ob_ctx *cx, int64_t container_id, const char *pos, int64_t self,
                      char *who, size_t n)
{
	static const char *const sql =
		"SELECT s.barcode, st.path FROM specimen s JOIN site st ON st.id = s.site_id"
		" WHERE s.container_id = $1 AND s.position = $2 AND s.id <> $3";
	ob_stmt *s;
	int rc;

	who[0] = '\0';
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, container_id);
	ob_stmt_bind_text(s, 2, pos);
	ob_stmt_bind_int(s, 3, self);
	rc = ob_stmt_step(s);
	if (rc == OB_ROW) {
		if (ob_access_in_scope(cx, OB_ACT_READ, ob_stmt_text(s, 1)))
			ob_strlcpy(who, ob_stmt_text(s, 0), n);
		rc = 1;
	}
	ob_stmt_reset(s);
	return rc;
}
