/*
 * site.c - the network tree of sites (see site.h).
 */
#include "bank/site.h"
#include "bank/access.h"
#include "base/error.h"
#include "base/util.h"
#include "store/store.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const char *const one_sql =
	"SELECT s.id, s.code, s.name, s.kind, p.code AS parent FROM site s"
	" LEFT JOIN site p ON p.id = s.parent_id WHERE s.id = $1";
static const char *const all_sql =
	"SELECT s.id, s.code, s.name, s.kind, p.code AS parent FROM site s"
	" LEFT JOIN site p ON p.id = s.parent_id ORDER BY s.id";

const ob_audit_entity ob_site_audit = { "site", one_sql, all_sql };

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
	static const char *const parent_sql = "SELECT id, path, kind FROM site WHERE code = $1";
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
			rc = 0;
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

int ob_site_list(const ob_ctx *cx, const char *under, int json, ob_buf *out)
{
	static const char *const sql =
		"SELECT s.code, s.name, s.kind, p.code, s.path FROM site s"
		" LEFT JOIN site p ON p.id = s.parent_id"
		" WHERE $1 IS NULL OR substr(s.path, 1, length($1)) = $1 ORDER BY s.path";
	char path[512];
	int64_t id;
	ob_stmt *s;
	int rc, n = 0;

	if (under && (rc = ob_site_lookup(cx, under, &id, path)) < 0)
		return rc;
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_text(s, 1, under ? path : NULL);
	if (json)
		ob_buf_putc(out, '[');
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		const char *code = ob_stmt_text(s, 0), *name = ob_stmt_text(s, 1);
		const char *kind = ob_stmt_text(s, 2), *par = ob_stmt_text(s, 3);
		if (json) {
			ob_buf_puts(out, n ? ",{\"code\":" : "{\"code\":");
			ob_buf_json_str(out, code);
			ob_buf_puts(out, ",\"name\":");
			ob_buf_json_str(out, name);
			ob_buf_puts(out, ",\"kind\":");
			ob_buf_json_str(out, kind);
			ob_buf_puts(out, ",\"parent\":");
			if (par)
				ob_buf_json_str(out, par);
			else
				ob_buf_puts(out, "null");
			ob_buf_putc(out, '}');
		} else {
			int depth = 0;
			for (const char *p = ob_stmt_text(s, 4); *p; p++)
				depth += *p == '/';
			ob_buf_printf(out, "%*s%-12s %-10s %s\n", (depth - 2) * 2, "", code, kind, name);
		}
		n++;
	}
	ob_stmt_reset(s);
	if (json)
		ob_buf_puts(out, "]\n");
	return rc < 0 ? rc : 0;
}
