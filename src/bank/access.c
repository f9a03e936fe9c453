/*
 * access.c - the permission table and the scope rule of access.h.
 */
#include "bank/access.h"
#include "bank/audit.h"
#include "base/buf.h"
#include "base/error.h"
#include "base/util.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

/* The record the current refusal is about (access.h): per thread, like the
 * last error, and cleared when recorded. */
static _Thread_local struct {
	char target[160];
	bool hidden;    /* answered "not found": it lies outside the scope */
} refusal;

#define WRITERS (OB_ROLE_ADMIN | OB_ROLE_MANAGER | OB_ROLE_TECHNICIAN)
#define EVERYONE (OB_ROLE_ADMIN | OB_ROLE_MANAGER | OB_ROLE_TECHNICIAN | OB_ROLE_PATHOLOGIST \
		  | OB_ROLE_RESEARCHER | OB_ROLE_AUDITOR)

static const struct {
	ob_action act;
	unsigned roles;
	const char *verb;   /* "a researcher cannot <verb>" */
} table[] = {
	{ OB_ACT_READ, EVERYONE, "read records" },
	{ OB_ACT_SPECIMEN, WRITERS, "change specimens" },
	{ OB_ACT_CONTAINER, WRITERS, "change storage containers" },
	{ OB_ACT_DONOR, WRITERS, "register donors or record consents" },
	{ OB_ACT_DIAGNOSIS, OB_ROLE_ADMIN | OB_ROLE_MANAGER | OB_ROLE_PATHOLOGIST, "record diagnoses" },
	{ OB_ACT_SITE, OB_ROLE_ADMIN, "change the network of sites" },
	{ OB_ACT_USER, OB_ROLE_ADMIN, "manage user accounts" },
	{ OB_ACT_IMPORT, WRITERS, "import files" },
	{ OB_ACT_AUDIT, OB_ROLE_ADMIN | OB_ROLE_AUDITOR, "verify the audit trail or export whole tables" },
	{ OB_ACT_PATHOLOGY, WRITERS | OB_ROLE_PATHOLOGIST, "correct a specimen's pathology" },
	{ OB_ACT_STUDY, OB_ROLE_ADMIN | OB_ROLE_MANAGER, "create or change studies" },
	{ OB_ACT_SHIPMENT, WRITERS, "ship or receive material" },
};

static const struct {
	unsigned role;
	const char *name, *alias;
} roles[] = {
	{ OB_ROLE_ADMIN, "administrator", "admin" },
	{ OB_ROLE_MANAGER, "biobank_manager", "biobank manager" },
	{ OB_ROLE_TECHNICIAN, "technician", "tech" },
	{ OB_ROLE_PATHOLOGIST, "pathologist", NULL },
	{ OB_ROLE_RESEARCHER, "researcher", NULL },
	{ OB_ROLE_AUDITOR, "auditor", "quality manager" },
	{ OB_ROLE_STUDY, "study_researcher", "study researcher" },
};

unsigned ob_access_roles(ob_action act)
{
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if (table[i].act == act)
			return table[i].roles;
	return 0;
}

const char *ob_role_name(unsigned role)
{
	if (role == 0)
		return "local operator";
	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
		if (roles[i].role == role)
			return roles[i].name;
	return "unknown role";
}

unsigned ob_role_parse(const char *word)
{
	for (size_t i = 0; word && i < sizeof roles / sizeof roles[0]; i++)
		if (ob_streq_ci(word, roles[i].name) || (roles[i].alias && ob_streq_ci(word, roles[i].alias)))
			return roles[i].role;
	return 0;
}

static const char *verb_of(ob_action act)
{
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if (table[i].act == act)
			return table[i].verb;
	return "do that";
}

bool ob_access_study_only(const ob_ctx *cx)
{
	return cx->role == OB_ROLE_STUDY;
}

/* True when the actor's scope covers everything. A study researcher's
 * account has no site, yet covers nothing: no site is in their scope. */
static bool network_wide(const ob_ctx *cx)
{
	if (cx->role == OB_ROLE_STUDY)
		return false;
	return cx->role == 0 || !cx->scope || !*cx->scope;
}

/* The first code of a site path ("/NCC/REG01/" -> "REG01", the last one). */
static void last_code(const char *path, char *out, size_t n)
{
	size_t len = strlen(path);
	const char *end = path + len, *p;

	while (end > path && end[-1] == '/')
		end--;
	for (p = end; p > path && p[-1] != '/'; p--)
		;
	len = (size_t)(end - p) < n ? (size_t)(end - p) : n - 1;
	memcpy(out, p, len);
	out[len] = '\0';
}

bool ob_access_in_scope(const ob_ctx *cx, ob_action act, const char *site_path)
{
	if (cx->role == 0 || network_wide(cx))
		return true;
	/* Auditors read the whole network. */
	if (act == OB_ACT_READ && cx->role == OB_ROLE_AUDITOR)
		return true;
	if (cx->role == OB_ROLE_STUDY)
		return false;
	return site_path && !strncmp(site_path, cx->scope, strlen(cx->scope));
}

int ob_access_check(const ob_ctx *cx, ob_action act, const char *site_path)
{
	char mine[64], theirs[64];

	if (cx->role == 0)
		return 0;
	if (!(ob_access_roles(act) & cx->role)) {
		ob_access_note_target(NULL, NULL, false);
		return ob_error_set(OB_EPERM, "permission denied: a %s cannot %s",
			ob_role_name(cx->role), verb_of(act));
	}
	if (!site_path || ob_access_in_scope(cx, act, site_path))
		return 0;
	last_code(cx->scope ? cx->scope : "", mine, sizeof mine);
	last_code(site_path, theirs, sizeof theirs);
	ob_access_note_target("site", theirs, false);
	return ob_error_set(OB_EPERM, "permission denied: %s acts on %s and the sites below"
		" it, not on %s", cx->actor ? cx->actor : "this user", mine, theirs);
}

static int check_path_query(const ob_ctx *cx, ob_action act, const char *sql, const char *key,
                            int64_t id)
{
	char path[512];
	ob_stmt *s;
	int rc;

	if (cx->role == 0)
		return 0;
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	if (key)
		ob_stmt_bind_text(s, 1, key);
	else
		ob_stmt_bind_int(s, 1, id);
	rc = ob_stmt_step(s);
	if (rc == OB_ROW) {
		ob_strlcpy(path, ob_stmt_text(s, 0), sizeof path);
		rc = 0;
	} else if (rc == 0) {
		rc = ob_error_set(OB_ENOTFOUND, "site: no site has code '%s'", key ? key : "?");
	}
	ob_stmt_reset(s);
	return rc < 0 ? rc : ob_access_check(cx, act, path);
}

int ob_access_check_site(const ob_ctx *cx, ob_action act, const char *site_code)
{
	static const char *const sql = "SELECT path FROM site WHERE code = $1";

	return check_path_query(cx, act, sql, site_code ? site_code : "", 0);
}

int ob_access_check_site_id(const ob_ctx *cx, ob_action act, int64_t site_id)
{
	static const char *const sql = "SELECT path FROM site WHERE id = $1";

	return check_path_query(cx, act, sql, NULL, site_id);
}

const char *ob_access_read_scope(const ob_ctx *cx)
{
	if (cx->role == OB_ROLE_STUDY)
		return "//";
	if (cx->role == 0 || cx->role == OB_ROLE_AUDITOR || network_wide(cx))
		return NULL;
	return cx->scope;
}

void ob_access_note_target(const char *kind, const char *key, bool hidden)
{
	if (kind && key)
		snprintf(refusal.target, sizeof refusal.target, "%s %.120s", kind, key);
	else
		refusal.target[0] = '\0';
	refusal.hidden = hidden;
}

void ob_access_refusal_reset(void)
{
	ob_access_note_target(NULL, NULL, false);
}

/* ,"name":"v" with v cut at 300 bytes (a request path can be long: the
 * trail keeps what identifies it), or null. */
static void json_member(ob_buf *j, const char *name, const char *v)
{
	char cut[301];

	ob_buf_puts(j, ",\"");
	ob_buf_puts(j, name);
	ob_buf_puts(j, "\":");
	if (v && *v) {
		size_t n = strlen(v) < sizeof cut ? strlen(v) : sizeof cut - 1;
		/* never inside a UTF-8 sequence */
		while (n && n < strlen(v) && ((unsigned char)v[n] & 0xC0) == 0x80)
			n--;
		memcpy(cut, v, n);
		cut[n] = '\0';
		ob_buf_json_str(j, cut);
	} else {
		ob_buf_puts(j, "null");
	}
}

int ob_access_record_refusal(const ob_ctx *cx, int rc)
{
	if (rc == OB_EPERM || (rc < 0 && refusal.hidden))
		return ob_access_record_denial(cx, ob_error_last());
	ob_access_refusal_reset();
	return 0;
}

int ob_access_record_denial(const ob_ctx *cx, const char *what)
{
	ob_buf j = OB_BUF_INIT;
	char saved[1024];
	int rc, code = ob_error_code();

	/* The refusal's own message stays the last error. */
	ob_strlcpy(saved, ob_error_last(), sizeof saved);
	if (ob_store_in_txn(cx->st))
		return ob_error_set(OB_ERROR, "a refusal is recorded outside the refused transaction");
	ob_buf_puts(&j, "{\"refused\":");
	ob_buf_json_str(&j, what ? what : "");
	json_member(&j, "answered", refusal.hidden ? "not found" : "forbidden");
	json_member(&j, "target", refusal.target);
	json_member(&j, "method", cx->method);
	json_member(&j, "path", cx->path);
	json_member(&j, "client", cx->client);
	ob_buf_putc(&j, '}');
	ob_access_refusal_reset();
	if ((rc = ob_store_begin(cx->st)) == 0) {
		rc = ob_audit_append(cx, "denied", "access", 0, cx->actor, NULL, ob_buf_cstr(&j));
		if (rc == 0)
			rc = ob_store_commit(cx->st);
		else
			ob_store_rollback(cx->st);
	}
	ob_buf_dispose(&j);
	ob_error_set(code, "%s", saved);
	return rc;
}
