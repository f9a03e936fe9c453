/*
 * user.c - user accounts, login sessions and login rate limiting (see
 * user.h). Tables app_user, app_session and login_attempt
 * (migrations/004_accounts.sql).
 *
 * Passwords go in as Argon2id strings and are checked with libsodium;
 * nothing here ever copies a password or a token into a message, a row or
 * an audit event. Logins are audited as "session" events (login,
 * login_failed, login_limited, logout) so that the "user" entity's latest
 * event is always its canonical row, as `audit verify` expects.
 */
#include "bank/user.h"
#include "bank/access.h"
#include "bank/audit.h"
#include "base/error.h"
#include "base/util.h"
#include "store/store.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define SESSION_SECONDS (12 * 3600)
#define WINDOW_SECONDS (15 * 60)
#define MAX_FAILURES 5
#define PASSWORD_MIN 10
#define PASSWORD_MAX 1024

static const char *const one_sql =
	"SELECT u.id, u.username, s.code AS site, u.role, u.active FROM app_user u"
	" LEFT JOIN site s ON s.id = u.site_id WHERE u.id = $1";
static const char *const all_sql =
	"SELECT u.id, u.username, s.code AS site, u.role, u.active FROM app_user u"
	" LEFT JOIN site s ON s.id = u.site_id ORDER BY u.id";

const ob_audit_entity ob_user_audit = { "user", one_sql, all_sql };

/* One message for an unknown user, a wrong password and a disabled
 * account, so that a login tells a guesser nothing. */
static const char bad_login[] = "login: unknown user or wrong password";

static int crypto_ready(void)
{
	if (sodium_init() < 0)
		return ob_error_set(OB_ERROR, "libsodium failed to initialise");
	return 0;
}

/* A hash checked against when the account does not exist, so that an
 * unknown name costs the same time as a wrong password. Made once, for
 * every thread. */
static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_make(void)
{
	static const char pw[] = "no account has this password";

	if (crypto_pwhash_str_alg(dummy_hash, pw, sizeof pw - 1, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                          crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13))
		dummy_hash[0] = 0;
}

static int name_check(const char *username)
{
	size_t n = username ? strlen(username) : 0;

	if (n == 0 || n >= OB_USERNAME_MAX)
		return ob_error_set(OB_EINVALID, "username: 1 to %d characters", OB_USERNAME_MAX - 1);
	for (size_t i = 0; i < n; i++) {
		char c = username[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
		      || c == '.' || c == '-' || c == '_' || c == '@'))
			return ob_error_set(OB_EINVALID, "username: may hold only letters, digits,"
				" '.', '-', '_' and '@'");
	}
	return 0;
}

static int password_check(const char *password)
{
	size_t n = password ? strlen(password) : 0;

	if (n < PASSWORD_MIN)
		return ob_error_set(OB_EINVALID, "password: at least %d characters", PASSWORD_MIN);
	if (n > PASSWORD_MAX)
		return ob_error_set(OB_EINVALID, "password: at most %d characters", PASSWORD_MAX);
	return 0;
}

static int hash_password(const char *password, char out[crypto_pwhash_STRBYTES])
{
	int rc;

	if ((rc = crypto_ready()) < 0)
		return rc;
	if (crypto_pwhash_str_alg(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                          crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13))
		return ob_error_set(OB_ERROR, "password hashing failed (out of memory)");
	return 0;
}

/* SHA-256 of the token as text, in hex: what app_session keeps. */
static void token_digest(const char *token, char out[OB_TOKEN_HEX])
{
	unsigned char d[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(d, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(out, OB_TOKEN_HEX, d, sizeof d);
}

static void time_shift(const char *now, long secs, char out[OB_TIME_LEN])
{
	time_t t = 0;

	ob_time_parse(now, NULL, &t);
	ob_time_format(t + secs, out);
}

/* Fills u from the row (id, username, site code, site path, role, active). */
static void user_from_row(ob_stmt *s, ob_user *u)
{
	const char *site = ob_stmt_text(s, 2), *path = ob_stmt_text(s, 3);

	memset(u, 0, sizeof *u);
	u->id = ob_stmt_int(s, 0);
	ob_strlcpy(u->username, ob_stmt_text(s, 1), sizeof u->username);
	ob_strlcpy(u->site, site ? site : "", sizeof u->site);
	ob_strlcpy(u->site_path, path ? path : "", sizeof u->site_path);
	u->role = ob_role_parse(ob_stmt_text(s, 4));
	u->active = (int)ob_stmt_int(s, 5);
}

/* The account and, when hash is given, its password hash. OB_ENOTFOUND
 * without a message when there is none. */
static int user_load(const ob_ctx *cx, const char *username, ob_user *u,
                     char hash[crypto_pwhash_STRBYTES])
{
	static const char *const sql =
		"SELECT u.id, u.username, s.code, s.path, u.role, u.active, u.password_hash"
		" FROM app_user u LEFT JOIN site s ON s.id = u.site_id WHERE u.username = $1";
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_text(s, 1, username);
	rc = ob_stmt_step(s);
	if (rc == OB_ROW) {
		user_from_row(s, u);
		if (hash) {
			const char *h = ob_stmt_text(s, 6);
			ob_strlcpy(hash, h ? h : "", crypto_pwhash_STRBYTES);
		}
		rc = 0;
	} else if (rc == 0) {
		rc = OB_ENOTFOUND;
	}
	ob_stmt_reset(s);
	return rc;
}

/* Whether the actor may manage the account of a user at site_path ("" for
 * a network-wide account): an administrator whose scope holds it, or the
 * local operator. A network-wide account needs a network-wide actor. */
static int may_manage(const ob_ctx *cx, const char *site_path)
{
	const char *sc;
	int rc;

	if (*site_path)
		return ob_access_check(cx, OB_ACT_USER, site_path);
	if ((rc = ob_access_check(cx, OB_ACT_USER, NULL)) < 0)
		return rc;
	sc = ob_access_read_scope(cx);
	/* A scope of one site, "/NCC/", is the center's: the whole network. */
	if (cx->role != 0 && sc && *sc && strchr(sc + 1, '/') != sc + strlen(sc) - 1)
		return ob_error_set(OB_EPERM, "permission denied: only a network-wide administrator"
			" manages network-wide accounts");
	return 0;
}

int ob_user_add(const ob_ctx *cx, const char *username, const char *site, const char *role,
                const char *password)
{
	static const char *const ins =
		"INSERT INTO app_user (username, site_id, role, password_hash, active, created_at)"
		" VALUES ($1, $2, $3, $4, 1, $5)";
	char hash[crypto_pwhash_STRBYTES], path[512] = "", now[OB_TIME_LEN];
	int64_t site_id = 0, id = 0;
	unsigned r;
	ob_stmt *s;
	int rc;

	if ((rc = name_check(username)) < 0)
		return rc;
	r = role ? ob_role_parse(role) : 0;
	if (!r)
		return ob_error_set(OB_EINVALID, "role: '%s' is not a role (administrator,"
			" biobank_manager, technician, pathologist, researcher, auditor)",
			role ? role : "");
	if ((rc = password_check(password)) < 0)
		return rc;
	if (site && *site) {
		if ((rc = ob_site_lookup(cx, site, &site_id, path)) == OB_ENOTFOUND)
			return ob_error_set(OB_EINVALID, "site: no site has code '%s'", site);
		if (rc < 0)
			return rc;
	}
	if ((rc = may_manage(cx, path)) < 0)
		return rc;
	if ((rc = hash_password(password, hash)) < 0)
		return rc;
	ob_time_now(now);
	if ((rc = ob_store_begin(cx->st)) < 0)
		goto wipe;
	if ((rc = ob_store_prepare(cx->st, ins, &s)) < 0)
		goto out;
	ob_stmt_bind_text(s, 1, username);
	if (site_id)
		ob_stmt_bind_int(s, 2, site_id);
	else
		ob_stmt_bind_null(s, 2);
	ob_stmt_bind_text(s, 3, ob_role_name(r));
	ob_stmt_bind_text(s, 4, hash);
	ob_stmt_bind_text(s, 5, now);
	rc = ob_stmt_insert(s, &id);
	if (rc == OB_EEXISTS)
		rc = ob_error_set(OB_EEXISTS, "username: '%s' is taken", username);
	if (rc < 0)
		goto out;
	rc = ob_audit_record(cx, &ob_user_audit, "create", id, username, NULL);
out:
	if (rc < 0)
		ob_store_rollback(cx->st);
	else
		rc = ob_store_commit(cx->st);
wipe:
	sodium_memzero(hash, sizeof hash);
	return rc;
}

/* Ends every live session of user id (inside the caller's transaction). */
static int end_sessions(const ob_ctx *cx, int64_t id, const char *now)
{
	static const char *const sql =
		"UPDATE app_session SET ended_at = $2 WHERE user_id = $1 AND ended_at IS NULL";
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, id);
	ob_stmt_bind_text(s, 2, now);
	return ob_stmt_exec(s);
}

static int user_not_found(const char *username)
{
	return ob_error_set(OB_ENOTFOUND, "username: no account named '%s'", username);
}

int ob_user_set_password(const ob_ctx *cx, const char *username, const char *password)
{
	static const char *const sql = "UPDATE app_user SET password_hash = $2 WHERE id = $1";
	char hash[crypto_pwhash_STRBYTES], before_now[OB_TIME_LEN];
	ob_buf before = OB_BUF_INIT;
	ob_user u;
	ob_stmt *s;
	int rc;

	if ((rc = name_check(username)) < 0)
		return rc;
	if ((rc = password_check(password)) < 0)
		return rc;
	if ((rc = user_load(cx, username, &u, NULL)) == OB_ENOTFOUND)
		return user_not_found(username);
	if (rc < 0)
		return rc;
	/* Anyone with an account may change their own password. */
	if (!(cx->role != 0 && cx->actor && !strcmp(cx->actor, username))
	    && (rc = may_manage(cx, u.site_path)) < 0)
		return rc;
	if ((rc = hash_password(password, hash)) < 0)
		return rc;
	ob_time_now(before_now);
	if ((rc = ob_store_begin(cx->st)) < 0)
		goto wipe;
	if ((rc = ob_audit_encode(cx, &ob_user_audit, u.id, &before)) < 0)
		goto out;
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		goto out;
	ob_stmt_bind_int(s, 1, u.id);
	ob_stmt_bind_text(s, 2, hash);
	if ((rc = ob_stmt_exec(s)) < 0)
		goto out;
	/* Sessions opened with the old password end with it. */
	if ((rc = end_sessions(cx, u.id, before_now)) < 0)
		goto out;
	rc = ob_audit_record(cx, &ob_user_audit, "password", u.id, username, ob_buf_cstr(&before));
out:
	if (rc < 0)
		ob_store_rollback(cx->st);
	else
		rc = ob_store_commit(cx->st);
wipe:
	sodium_memzero(hash, sizeof hash);
	ob_buf_dispose(&before);
	return rc;
}

int ob_user_disable(const ob_ctx *cx, const char *username)
{
	static const char *const sql = "UPDATE app_user SET active = 0 WHERE id = $1";
	char now[OB_TIME_LEN];
	ob_buf before = OB_BUF_INIT;
	ob_user u;
	ob_stmt *s;
	int rc;

	if ((rc = name_check(username)) < 0)
		return rc;
	if ((rc = user_load(cx, username, &u, NULL)) == OB_ENOTFOUND)
		return user_not_found(username);
	if (rc < 0)
		return rc;
	if ((rc = may_manage(cx, u.site_path)) < 0)
		return rc;
	if (!u.active)
		return 0;
	ob_time_now(now);
	if ((rc = ob_store_begin(cx->st)) < 0)
		return rc;
	if ((rc = ob_audit_encode(cx, &ob_user_audit, u.id, &before)) < 0)
		goto out;
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		goto out;
	ob_stmt_bind_int(s, 1, u.id);
	if ((rc = ob_stmt_exec(s)) < 0)
		goto out;
	if ((rc = end_sessions(cx, u.id, now)) < 0)
		goto out;
	rc = ob_audit_record(cx, &ob_user_audit, "disable", u.id, username, ob_buf_cstr(&before));
out:
	ob_buf_dispose(&before);
	if (rc < 0) {
		ob_store_rollback(cx->st);
		return rc;
	}
	return ob_store_commit(cx->st);
}

int ob_user_get(const ob_ctx *cx, const char *username, ob_user *out)
{
	int rc = user_load(cx, username ? username : "", out, NULL);

	if (rc == OB_ENOTFOUND)
		return user_not_found(username ? username : "");
	return rc;
}

int ob_user_list_json(const ob_ctx *cx, ob_buf *out)
{
	static const char *const sql =
		"SELECT u.username, s.code, u.role, u.active FROM app_user u"
		" LEFT JOIN site s ON s.id = u.site_id"
		" WHERE $1 IS NULL OR (s.path IS NOT NULL AND substr(s.path, 1, length($1)) = $1)"
		" ORDER BY u.username";
	const char *scope;
	ob_stmt *s;
	int rc, n = 0;

	if ((rc = ob_access_check(cx, OB_ACT_READ, NULL)) < 0)
		return rc;
	scope = ob_access_read_scope(cx);
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_text(s, 1, scope && *scope ? scope : NULL);
	ob_buf_putc(out, '[');
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		const char *site = ob_stmt_text(s, 1);
		ob_buf_puts(out, n++ ? ",{\"username\":" : "{\"username\":");
		ob_buf_json_str(out, ob_stmt_text(s, 0));
		ob_buf_puts(out, ",\"site\":");
		if (site)
			ob_buf_json_str(out, site);
		else
			ob_buf_puts(out, "null");
		ob_buf_puts(out, ",\"role\":");
		ob_buf_json_str(out, ob_stmt_text(s, 2));
		ob_buf_printf(out, ",\"active\":%s}", ob_stmt_int(s, 3) ? "true" : "false");
	}
	ob_stmt_reset(s);
	ob_buf_putc(out, ']');
	if (rc < 0)
		return rc;
	if (out->failed)
		return ob_error_set(OB_ERROR, "out of memory listing users");
	return 0;
}

int ob_user_none(const ob_ctx *cx, int *none)
{
	static const char *const sql = "SELECT id FROM app_user WHERE $1 IS NOT NULL LIMIT 1";
	int64_t id;
	int rc = ob_store_get_int(cx->st, sql, "any", &id);

	if (rc == 0)
		*none = 0;
	else if (rc == OB_ENOTFOUND)
		*none = 1;
	else
		return rc;
	return 0;
}

/* ---- sessions ---------------------------------------------------------- */

static int count_failures(const ob_ctx *cx, const char *sql, const char *key, const char *since,
                          int64_t *n)
{
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_text(s, 1, key);
	ob_stmt_bind_text(s, 2, since);
	rc = ob_stmt_step(s);
	*n = rc == OB_ROW ? ob_stmt_int(s, 0) : 0;
	ob_stmt_reset(s);
	return rc < 0 ? rc : 0;
}

/* Whether the account or the address has used up its failures: an
 * account's count restarts after a successful login, an address's does not
 * (a guesser could otherwise interleave logins to an account of their own). */
static int limited(const ob_ctx *cx, const char *username, const char *address, const char *now,
                   int *out)
{
	static const char *const user_sql =
		"SELECT COUNT(*) FROM login_attempt WHERE username = $1 AND ok = 0 AND at > $2"
		" AND at >= COALESCE((SELECT MAX(at) FROM login_attempt"
		" WHERE username = $1 AND ok = 1), '')";
	static const char *const addr_sql =
		"SELECT COUNT(*) FROM login_attempt WHERE address = $1 AND ok = 0 AND at > $2";
	char since[OB_TIME_LEN];
	int64_t n = 0;
	int rc;

	time_shift(now, -WINDOW_SECONDS, since);
	if ((rc = count_failures(cx, user_sql, username, since, &n)) < 0)
		return rc;
	if (n < MAX_FAILURES && (rc = count_failures(cx, addr_sql, address, since, &n)) < 0)
		return rc;
	*out = n >= MAX_FAILURES;
	return 0;
}

/* {"username":..,"address":..}: what a login event records. */
static void login_json(ob_buf *b, const char *username, const char *address)
{
	ob_buf_puts(b, "{\"username\":");
	ob_buf_json_str(b, username);
	ob_buf_puts(b, ",\"address\":");
	ob_buf_json_str(b, address);
	ob_buf_putc(b, '}');
}

/* Records the attempt, opens the session when ok, and audits, in one
 * transaction of its own that commits even for a failure. */
static int record_attempt(const ob_ctx *cx, const char *username, const char *address,
                          const char *now, const char *action, int ok, const ob_user *u,
                          const char *token_hash)
{
	static const char *const att_sql =
		"INSERT INTO login_attempt (username, address, at, ok) VALUES ($1, $2, $3, $4)";
	static const char *const ses_sql =
		"INSERT INTO app_session (token_hash, user_id, created_at, expires_at)"
		" VALUES ($1, $2, $3, $4)";
	char expires[OB_TIME_LEN];
	ob_ctx acx = *cx;
	ob_buf ev = OB_BUF_INIT;
	int64_t sid = 0;
	ob_stmt *s;
	int rc;

	acx.actor = username;
	acx.actor_site = u && u->site[0] ? u->site : NULL;
	acx.reason = NULL;
	if ((rc = ob_store_begin(cx->st)) < 0)
		return rc;
	if (action && strcmp(action, "login_limited")) {
		if ((rc = ob_store_prepare(cx->st, att_sql, &s)) < 0)
			goto out;
		ob_stmt_bind_text(s, 1, username);
		ob_stmt_bind_text(s, 2, address);
		ob_stmt_bind_text(s, 3, now);
		ob_stmt_bind_int(s, 4, ok);
		if ((rc = ob_stmt_exec(s)) < 0)
			goto out;
	}
	if (ok) {
		time_shift(now, SESSION_SECONDS, expires);
		if ((rc = ob_store_prepare(cx->st, ses_sql, &s)) < 0)
			goto out;
		ob_stmt_bind_text(s, 1, token_hash);
		ob_stmt_bind_int(s, 2, u->id);
		ob_stmt_bind_text(s, 3, now);
		ob_stmt_bind_text(s, 4, expires);
		if ((rc = ob_stmt_insert(s, &sid)) < 0)
			goto out;
	}
	login_json(&ev, username, address);
	if (ev.failed) {
		rc = ob_error_set(OB_ERROR, "out of memory recording a login");
		goto out;
	}
	rc = ob_audit_append(&acx, action, "session", sid, username, NULL, ob_buf_cstr(&ev));
out:
	ob_buf_dispose(&ev);
	if (rc < 0) {
		ob_store_rollback(cx->st);
		return rc;
	}
	return ob_store_commit(cx->st);
}

int ob_session_login(const ob_ctx *cx, const char *username, const char *password,
                     const char *address, char token[OB_TOKEN_HEX], ob_user *user)
{
	char hash[crypto_pwhash_STRBYTES] = "", now[OB_TIME_LEN], digest[OB_TOKEN_HEX];
	unsigned char raw[32];
	int rc, is_limited = 0, ok = 0, found;
	ob_user u;

	if (!address || !*address)
		address = "unknown";
	if (!username || !*username || strlen(username) >= OB_USERNAME_MAX || !password)
		return ob_error_set(OB_EAUTH, "%s", bad_login);
	if ((rc = crypto_ready()) < 0)
		return rc;
	ob_time_now(now);
	if ((rc = limited(cx, username, address, now, &is_limited)) < 0)
		return rc;
	if (is_limited) {
		if ((rc = record_attempt(cx, username, address, now, "login_limited", 0, NULL, NULL)) < 0)
			return rc;
		return ob_error_set(OB_ELIMIT, "login: too many failed attempts; try again in %d"
			" minutes", WINDOW_SECONDS / 60);
	}
	rc = user_load(cx, username, &u, hash);
	if (rc < 0 && rc != OB_ENOTFOUND)
		return rc;
	found = rc == 0;
	if (found) {
		ok = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0 && u.active;
	} else {
		pthread_once(&dummy_once, dummy_make);
		/* The result does not matter: there is no account to open. */
		if (dummy_hash[0] && crypto_pwhash_str_verify(dummy_hash, password, strlen(password)) == 0)
			ok = 0;
	}
	sodium_memzero(hash, sizeof hash);
	if (!ok) {
		if ((rc = record_attempt(cx, username, address, now, "login_failed", 0, NULL, NULL)) < 0)
			return rc;
		return ob_error_set(OB_EAUTH, "%s", bad_login);
	}
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(token, OB_TOKEN_HEX, raw, sizeof raw);
	sodium_memzero(raw, sizeof raw);
	token_digest(token, digest);
	if ((rc = record_attempt(cx, u.username, address, now, "login", 1, &u, digest)) < 0) {
		sodium_memzero(token, OB_TOKEN_HEX);
		return rc;
	}
	if (user)
		*user = u;
	return 0;
}

static int session_find(const ob_ctx *cx, const char *token, ob_user *u, int64_t *sid)
{
	static const char *const sql =
		"SELECT u.id, u.username, s.code, s.path, u.role, u.active, x.id"
		" FROM app_session x JOIN app_user u ON u.id = x.user_id"
		" LEFT JOIN site s ON s.id = u.site_id"
		" WHERE x.token_hash = $1 AND x.ended_at IS NULL AND x.expires_at > $2"
		" AND u.active = 1";
	char digest[OB_TOKEN_HEX], now[OB_TIME_LEN];
	ob_stmt *s;
	int rc;

	if (!token || strlen(token) != OB_TOKEN_HEX - 1)
		return ob_error_set(OB_EAUTH, "not logged in, or the session has ended");
	if ((rc = crypto_ready()) < 0)
		return rc;
	token_digest(token, digest);
	ob_time_now(now);
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_text(s, 1, digest);
	ob_stmt_bind_text(s, 2, now);
	rc = ob_stmt_step(s);
	if (rc == OB_ROW) {
		user_from_row(s, u);
		*sid = ob_stmt_int(s, 6);
		rc = 0;
	} else if (rc == 0) {
		rc = ob_error_set(OB_EAUTH, "not logged in, or the session has ended");
	}
	ob_stmt_reset(s);
	return rc;
}

int ob_session_check(const ob_ctx *cx, const char *token, ob_user *user)
{
	int64_t sid;
	ob_user u;
	int rc = session_find(cx, token, &u, &sid);

	if (rc == 0 && user)
		*user = u;
	return rc;
}

int ob_session_logout(const ob_ctx *cx, const char *token)
{
	static const char *const sql =
		"UPDATE app_session SET ended_at = $2 WHERE id = $1 AND ended_at IS NULL";
	char now[OB_TIME_LEN];
	ob_ctx acx = *cx;
	int64_t sid;
	ob_user u;
	ob_stmt *s;
	int rc;

	if ((rc = session_find(cx, token, &u, &sid)) < 0)
		return rc;
	ob_time_now(now);
	acx.actor = u.username;
	acx.actor_site = u.site[0] ? u.site : NULL;
	acx.reason = NULL;
	if ((rc = ob_store_begin(cx->st)) < 0)
		return rc;
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		goto out;
	ob_stmt_bind_int(s, 1, sid);
	ob_stmt_bind_text(s, 2, now);
	if ((rc = ob_stmt_exec(s)) < 0)
		goto out;
	rc = ob_audit_append(&acx, "logout", "session", sid, u.username, NULL, NULL);
out:
	if (rc < 0) {
		ob_store_rollback(cx->st);
		return rc;
	}
	return ob_store_commit(cx->st);
}

void ob_ctx_as(ob_ctx *cx, const ob_user *u)
{
	cx->actor = u->username;
	cx->actor_site = u->site[0] ? u->site : NULL;
	cx->role = u->role;
	cx->scope = u->site_path[0] ? u->site_path : NULL;
}
