/*
 * site.c - the network tree of sites (see site.h).
 */
#include "bank/site.h"
#include "bank/access.h"
#include "bank/scope.h"
#include "base/error.h"
#include "base/util.h"
#include "store/store.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define SITE_COLS \
	"SELECT s.id" OB_SITE_FIELDS(OB_RECORD_SQL) \
	" FROM site s LEFT JOIN site p ON p.id = s.parent_id"

#define ENTRY(name, kind, sql, flags) OB_RECORD_ENTRY(ob_site_record, name, kind, flags)
const ob_field ob_site_fields[] = { OB_SITE_FIELDS(ENTRY) OB_RECORD_END };
#undef ENTRY

static const char *const one_sql = SITE_COLS " WHERE s.id = $1";

const ob_audit_entity ob_site_audit = { "site", one_sql, SITE_COLS " ORDER BY s.id" };

static const struct {
	const char *kind;
	int rank;
	const char *aliases[4];
} kinds[] = {
	{ "center", 0, { "centre", "main center", "main centre", "national center" } },
	{ "sub-center", 1, { "sub_center", "subcenter", "sub-centre", "sub center" } },
	{ "regional", 2, { "regional center", "regional centre", "regional_center", "region" } },
	{ "hospital", 3, { "grass-roots hospital", "grassroots hospital", "clinic", NULL } },
};

const char *ob_site_kind(const char *word)
{
	if (!word)
		return NULL;
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		if (ob_streq_ci(word, kinds[i].kind))
			return kinds[i].kind;
		for (int j = 0; j < 4 && kinds[i].aliases[j]; j++)
			if (ob_streq_ci(word, kinds[i].aliases[j]))
				return kinds[i].kind;
	}
	return NULL;
}

static int rank_of(const char *kind)
{
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (!strcmp(kind, kinds[i].kind))
			return kinds[i].rank;
	return -1;
}

static int code_check(const char *code)
{
	size_t n = code ? strlen(code) : 0;

	if (n == 0 || n >= OB_SITE_CODE_MAX)
		return ob_error_set(OB_EINVALID, "code: a site code is 1 to %d characters",
			OB_SITE_CODE_MAX - 1);
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)code[i]) && code[i] != '-' && code[i] != '_')
			return ob_error_set(OB_EINVALID, "code: '%s' may hold only letters, digits,"
				" '-' and '_'", code);
	return 0;
}

int ob_site_lookup(const ob_ctx *cx, const char *code, int64_t *id, char *path)
{
	static const char *const sql = "SELECT id, path FROM site WHERE code = $1";
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_text(s, 1, code);
	rc = ob_stmt_step(s);
	if (rc == OB_ROW) {
		*id = ob_stmt_int(s, 0);
		if (path)
			ob_strlcpy(path, ob_stmt_text(s, 1), 512);
		rc = 0;
	} else if (rc == 0) {
		rc = ob_error_set(OB_ENOTFOUND, "site: no site has code '%s'", code ? code : "");
	}
	ob_stmt_reset(s);
	return rc;
}

int ob_site_add(const ob_ctx *cx, const char *code, const char *name, const char *kind,
                const char *parent, int64_t *id_out)
{
	static const char *const parent_sql =
		"SELECT id, path, kind, retired FROM site WHERE code = $1";
	static const char *const center_sql = "SELECT code FROM site WHERE parent_id IS NULL";
	static const char *const ins =
		"INSERT INTO site (code, name, kind, parent_id, path) VALUES ($1, $2, $3, $4, $5)"
		" RETURNING id";
	const char *k = ob_site_kind(kind);
	char path[600], pkind[16] = "";
	int64_t pid = 0, id = 0;
	ob_stmt *s;
	int rc;

	if ((rc = code_check(code)) < 0)
		return rc;
	if (!k)
		return ob_error_set(OB_EINVALID, "kind: '%s' is not a site kind (center, sub-center,"
			" regional, hospital)", kind ? kind : "");
	if ((rc = ob_store_begin(cx->st)) < 0)
		return rc;
	if (parent && *parent) {
		if ((rc = ob_store_prepare(cx->st, parent_sql, &s)) < 0)
			goto out;
		ob_stmt_bind_text(s, 1, parent);
		rc = ob_stmt_step(s);
		if (rc == OB_ROW) {
			pid = ob_stmt_int(s, 0);
			snprintf(path, sizeof path, "%s%s/", ob_stmt_text(s, 1), code);
			ob_strlcpy(pkind, ob_stmt_text(s, 2), sizeof pkind);
			rc = ob_stmt_is_null(s, 3) ? 0 : ob_error_set(OB_ECONFLICT, "parent: site %s is"
				" retired (%.10s): it takes no new sites", parent, ob_stmt_text(s, 3));
		} else if (rc == 0) {
			rc = ob_error_set(OB_EINVALID, "parent: no site has code '%s'", parent);
		}
		ob_stmt_reset(s);
		if (rc < 0)
			goto out;
		if (rank_of(k) <= rank_of(pkind)) {
			rc = ob_error_set(OB_EINVALID, "kind: a %s cannot sit below a %s (%s)", k, pkind, parent);
			goto out;
		}
	} else {
		if (strcmp(k, "center")) {
			rc = ob_error_set(OB_EINVALID, "parent: a %s needs a parent site", k);
			goto out;
		}
		if ((rc = ob_store_prepare(cx->st, center_sql, &s)) < 0)
			goto out;
		rc = ob_stmt_step(s);
		if (rc == OB_ROW)
			rc = ob_error_set(OB_ECONFLICT, "the network already has its center (%s)",
				ob_stmt_text(s, 0));
		ob_stmt_reset(s);
		if (rc < 0)
			goto out;
		snprintf(path, sizeof path, "/%s/", code);
	}
	if ((rc = ob_access_check(cx, OB_ACT_SITE, path)) < 0) {
		/* name the field: the parent is what lies outside the scope */
		if (pid && cx->role && (ob_access_roles(OB_ACT_SITE) & cx->role))
			ob_error_set(rc, "parent: %.400s", ob_error_last());
		goto out;
	}
	if ((rc = ob_store_prepare(cx->st, ins, &s)) < 0)
		goto out;
	ob_stmt_bind_text(s, 1, code);
	ob_stmt_bind_text(s, 2, name && *name ? name : code);
	ob_stmt_bind_text(s, 3, k);
	if (pid)
		ob_stmt_bind_int(s, 4, pid);
	ob_stmt_bind_text(s, 5, path);
	rc = ob_stmt_step(s);
	if (rc == OB_ROW) {
		id = ob_stmt_int(s, 0);
		rc = 0;
	}
	ob_stmt_reset(s);
	if (rc == OB_EEXISTS)
		rc = ob_error_set(OB_EEXISTS, "code: site '%s' exists already", code);
	if (rc < 0)
		goto out;
	rc = ob_audit_record(cx, &ob_site_audit, "create", id, code, NULL);
out:
	if (rc < 0) {
		ob_store_rollback(cx->st);
		return rc;
	}
	if (id_out)
		*id_out = id;
	return ob_store_commit(cx->st);
}

int ob_site_list(const ob_ctx *cx, const char *under, ob_site_cb cb, void *arg)
{
	static const char *const sql =
		"SELECT s.path" OB_SITE_FIELDS(OB_RECORD_SQL)
		" FROM site s LEFT JOIN site p ON p.id = s.parent_id"
		" WHERE $1 IS NULL OR substr(s.path, 1, length($1)) = $1 ORDER BY s.path";
	ob_site_record r;
	char path[512];
	int64_t id;
	ob_stmt *s;
	int rc;

	if (under && (rc = ob_site_lookup(cx, under, &id, path)) < 0)
		return rc;
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_text(s, 1, under ? path : NULL);
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		int depth = -2;  /* "/NCC/" is the center */
		for (const char *p = ob_stmt_text(s, 0); *p; p++)
			depth += *p == '/';
		ob_record_read(ob_site_fields, s, 1, &r);
		if ((rc = cb(&r, depth, arg)) != 0)
			break;
	}
	ob_stmt_reset(s);
	return rc < 0 || rc > OB_ROW ? rc : 0;
}

/* ---- the record, corrections ------------------------------------------ */

int ob_site_get(const ob_ctx *cx, const char *code, ob_site_record *out)
{
	int64_t id;
	int rc;

	ob_record_init(ob_site_fields, out);
	if ((rc = ob_site_lookup(cx, code, &id, NULL)) < 0)
		return ob_error_set(rc, "code: no site has code '%s'", code ? code : "");
	return ob_record_load(cx, one_sql, ob_site_fields, id, out);
}

int ob_site_retired_error(const char *field, const char *code, const char *retired)
{
	return ob_error_set(OB_ECONFLICT, "%s: site %s is retired (%.10s): it takes no new donors,"
		" specimens or containers", field, code, retired);
}

int ob_site_in_service(const ob_ctx *cx, int64_t site_id, const char *field)
{
	static const char *const sql = "SELECT code, retired FROM site WHERE id = $1";
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, site_id);
	rc = ob_stmt_step(s);
	if (rc == OB_ROW)
		rc = ob_stmt_is_null(s, 1) ? 0
			: ob_site_retired_error(field, ob_stmt_text(s, 0), ob_stmt_text(s, 1));
	ob_stmt_reset(s);
	return rc;
}

/* What a correction of one site knows while it checks the new values. */
struct site_fix {
	char retired[OB_TIME_LEN];
};

static int site_check(const ob_field *f, void *rec, void *arg)
{
	ob_site_record *r = rec;
	struct site_fix *x = arg;

	if (!strcmp(f->name, "name") && !r->name)
		return ob_error_set(OB_EINVALID, "name: a site needs a name");
	if (!strcmp(f->name, "retired") && r->retired) {
		const char *v = r->retired;
		if (ob_streq_ci(v, "no") || ob_streq_ci(v, "false")) {
			r->retired = NULL;
			return 0;
		}
		if (ob_streq_ci(v, "yes") || ob_streq_ci(v, "true"))
			ob_time_now(x->retired);
		else if (ob_time_parse(v, x->retired, NULL) < 0)
			return ob_error_set(OB_EINVALID, "retired: '%s' is not yes, no or an ISO 8601"
				" date", v);
		if (ob_time_check_past("retired", x->retired) < 0)
			return OB_EINVALID;
		x->retired[10] = '\0';  /* the day */
		r->retired = x->retired;
		return 0;
	}
	return 0;
}

/* The first site below path (not path itself) still in service, into
 * who; "" when none. */
static int site_below(const ob_ctx *cx, const char *path, char *who, size_t n)
{
	static const char *const sql =
		"SELECT code FROM site WHERE substr(path, 1, length($1)) = $1 AND path <> $1"
		" AND retired IS NULL ORDER BY path";
	ob_stmt *s;
	int rc;

	who[0] = '\0';
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_text(s, 1, path);
	rc = ob_stmt_step(s);
	if (rc == OB_ROW) {
		ob_strlcpy(who, ob_stmt_text(s, 0), n);
		rc = 0;
	}
	ob_stmt_reset(s);
	return rc;
}

/* Moves site id (at path old) below the site pid at ppath: its parent, then
 * the materialised path of it and of every site below it. */
static int site_move(const ob_ctx *cx, int64_t id, const char *code, const char *old,
                     int64_t pid, const char *ppath)
{
	static const char *const longest =
		"SELECT MAX(length(path)) FROM site WHERE substr(path, 1, length($1)) = $1";
	static const char *const set_parent = "UPDATE site SET parent_id = $2 WHERE id = $1";
	static const char *const set_paths =
		"UPDATE site SET path = CAST($1 AS TEXT) || substr(path, $2)"
		" WHERE substr(path, 1, $3) = $4";
	char path[OB_SCOPE_PATH_MAX];
	int64_t len = 0;
	ob_stmt *s;
	int rc;

	if ((size_t)snprintf(path, sizeof path, "%s%s/", ppath, code) >= sizeof path)
		return ob_error_set(OB_EINVALID, "parent: the network is too deep there");
	if ((rc = ob_store_prepare(cx->st, longest, &s)) < 0)
		return rc;
	ob_stmt_bind_text(s, 1, old);
	if ((rc = ob_stmt_step(s)) == OB_ROW)
		len = ob_stmt_int(s, 0);
	ob_stmt_reset(s);
	if (rc < 0)
		return rc;
	if (len - (int64_t)strlen(old) + (int64_t)strlen(path) >= OB_SCOPE_PATH_MAX)
		return ob_error_set(OB_EINVALID, "parent: the network is too deep there");
	if ((rc = ob_store_prepare(cx->st, set_parent, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, id);
	ob_stmt_bind_int(s, 2, pid);
	if ((rc = ob_stmt_exec(s)) < 0)
		return rc;
	if ((rc = ob_store_prepare(cx->st, set_paths, &s)) < 0)
		return rc;
	ob_stmt_bind_text(s, 1, path);
	ob_stmt_bind_int(s, 2, (int64_t)strlen(old) + 1);
	ob_stmt_bind_int(s, 3, (int64_t)strlen(old));
	ob_stmt_bind_text(s, 4, old);
	return ob_stmt_exec(s);
}

/* The rules a new parent keeps (site.h); sets *pid and ppath. */
static int parent_check(const ob_ctx *cx, const ob_site_record *r, const char *path,
                        int64_t *pid, char ppath[OB_SCOPE_PATH_MAX])
{
	static const char *const sql = "SELECT kind, retired FROM site WHERE id = $1";
	char pkind[16] = "", pretired[OB_TIME_LEN] = "";
	ob_stmt *s;
	int rc;

	if (!strcmp(r->kind, "center"))
		return ob_error_set(OB_EINVALID, "parent: the center stands at the top of the network");
	if (!r->parent)
		return ob_error_set(OB_EINVALID, "parent: a %s needs a parent site", r->kind);
	if ((rc = ob_scope_site(cx, OB_ACT_SITE, "parent", r->parent, pid, ppath)) < 0)
		return rc == OB_ENOTFOUND ? ob_error_set(OB_EINVALID, "%s", ob_error_last()) : rc;
	if (!strncmp(ppath, path, strlen(path)))
		return ob_error_set(OB_EINVALID, "parent: %s lies below %s: a site cannot go below"
			" itself", r->parent, r->code);
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, *pid);
	if ((rc = ob_stmt_step(s)) == OB_ROW) {
		ob_strlcpy(pkind, ob_stmt_text(s, 0), sizeof pkind);
		if (ob_stmt_text(s, 1))
			ob_strlcpy(pretired, ob_stmt_text(s, 1), sizeof pretired);
		rc = 0;
	}
	ob_stmt_reset(s);
	if (rc < 0)
		return rc;
	if (rank_of(r->kind) <= rank_of(pkind))
		return ob_error_set(OB_EINVALID, "parent: a %s cannot sit below a %s (%s)", r->kind,
			pkind, r->parent);
	if (*pretired && !r->retired)
		return ob_error_set(OB_EINVALID, "parent: site %s is retired (%.10s)", r->parent,
			pretired);
	return 0;
}

int ob_site_correct(const ob_ctx *cx, const char *code, const ob_change *ch, size_t n,
                    const char *reason)
{
	static const char *const upd =
		"UPDATE site SET name = $2, retired = $3 WHERE id = $1";
	ob_ctx why = *cx;
	char path[OB_SCOPE_PATH_MAX], ppath[OB_SCOPE_PATH_MAX], who[OB_SITE_CODE_MAX];
	ob_site_record before, after;
	struct site_fix fix;
	ob_buf old = OB_BUF_INIT;
	int64_t id, pid = 0;
	ob_stmt *s;
	int rc;

	ob_record_init(ob_site_fields, &before);
	why.reason = reason;
	if ((rc = ob_store_begin(cx->st)) < 0)
		return rc;
	if ((rc = ob_scope_site(cx, OB_ACT_SITE, "code", code, &id, path)) < 0
	    || (rc = ob_record_load(cx, one_sql, ob_site_fields, id, &before)) < 0)
		goto out;
	after = before;
	if ((rc = ob_record_change(ob_site_fields, "site", &before, &after, ch, n, reason,
			site_check, &fix)) < 0)
		goto out;
	if (!ob_field_same(ob_field_find(ob_site_fields, "parent"), &before, &after)
	    && (rc = parent_check(cx, &after, path, &pid, ppath)) < 0)
		goto out;
	if (after.retired && !before.retired) {
		if ((rc = site_below(cx, path, who, sizeof who)) < 0)
			goto out;
		if (*who) {
			rc = ob_error_set(OB_EINVALID, "retired: site %s below %s is in service: retire"
				" it first", who, code);
			goto out;
		}
	}
	if (!after.retired && before.retired && !pid && before.parent) {
		ob_site_record p;
		if ((rc = ob_site_get(cx, before.parent, &p)) < 0)
			goto out;
		if (p.retired)
			rc = ob_error_set(OB_EINVALID, "retired: parent site %s is retired (%.10s)",
				p.code, p.retired);
		ob_record_release(ob_site_fields, &p);
		if (rc < 0)
			goto out;
	}
	if ((rc = ob_audit_encode(cx, &ob_site_audit, id, &old)) < 0
	    || (rc = ob_store_prepare(cx->st, upd, &s)) < 0)
		goto out;
	ob_stmt_bind_int(s, 1, id);
	ob_stmt_bind_text(s, 2, after.name);
	ob_stmt_bind_text(s, 3, after.retired);
	if ((rc = ob_stmt_exec(s)) < 0)
		goto out;
	if (pid && (rc = site_move(cx, id, code, path, pid, ppath)) < 0)
		goto out;
	rc = ob_audit_record(&why, &ob_site_audit, "correct", id, code, ob_buf_cstr(&old));
out:
	ob_buf_dispose(&old);
	ob_record_release(ob_site_fields, &before);
	if (rc < 0) {
		ob_store_rollback(cx->st);
		return rc;
	}
	return ob_store_commit(cx->st);
}

int ob_site_changes(const ob_ctx *cx, const char *code, ob_audit_change_cb cb, void *arg)
{
	int64_t id;
	int rc;

	if ((rc = ob_scope_site(cx, OB_ACT_READ, "code", code, &id, NULL)) < 0)
		return rc;
	return ob_audit_changes(cx, "site", id, NULL, cb, arg);
}
