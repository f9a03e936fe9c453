/*
 * user.c - user accounts, who may manage which, login sessions and the
 * limit on password checks (see user.h). Tables app_user, app_session and
 * login_attempt (migrations/004_accounts.sql).
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
#include "bank/scope.h"
#include "base/error.h"
#include "base/util.h"
#include "store/store.h"

#include <pthread.h>
#include <stdbool.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define SESSION_SECONDS (12 * 3600)
/* The attempt limit (docs/access.md). One (address, account) pair has
 * PAIR_FREE failures; then each attempt waits BACKOFF_FIRST seconds after
 * the pair's last failure, doubling with each further failure up to
 * BACKOFF_MAX; the pair's failures are forgotten after a success from it
 * or after PAIR_MEMORY. An account with ACCOUNT_LIMIT failures from all
 * addresses together in WINDOW_SECONDS is checked for nobody until the
 * oldest of them leaves the window; that is more than one address can make
 * in the window under back-off (at most 8), so no single address locks an
 * account out. Names that are no account count for themselves only.
 * login_attempt.ok: 1 success, 0 failure, -1 pending (reserved, the
 * password being checked; it counts as a failure). */
#define PAIR_FREE 5
#define BACKOFF_FIRST 60L
#define BACKOFF_MAX 3600L
#define PAIR_MEMORY (24 * 3600)
#define ACCOUNT_LIMIT 30
#define WINDOW_SECONDS (15 * 60)
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

/* True when a site path covers the whole network: "" (an account without a
 * site) or the center's, the root of the tree ("/NCC/": one code). */
static bool path_network_wide(const char *path)
{
	return !path || !*path || strchr(path + 1, '/') == path + strlen(path) - 1;
}

/* Answers a named site or account the actor cannot reach exactly as one
 * that does not exist (OB_ENOTFOUND, msg), and records the refusal as a
 * "denied" event either way, so neither the answer nor the trail tells
 * the two apart. */
static int not_reachable(const ob_ctx *cx, const char *msg)
{
	/* Never inside a caller's transaction: the event would roll back with
	 * the refused work (ob_access_record_denial refuses to). */
	if (cx->role != 0 && !ob_store_in_txn(cx->st))
		ob_access_record_denial(cx, msg);
	return ob_error_set(OB_ENOTFOUND, "%s", msg);
}

/* The site named code, through the one scope-checked site look-up: one
 * outside the scope is refused as such (site codes are the network's public
 * structure; the caller records that refusal), a code that exists nowhere
 * is answered and recorded as an unreachable account is. */
static int site_reachable(const ob_ctx *cx, const char *code, int64_t *id, char path[OB_SCOPE_PATH_MAX])
{
	char msg[160];
	int rc = ob_scope_site(cx, OB_ACT_USER, "site", code, id, path);

	if (rc != OB_ENOTFOUND)
		return rc;
	ob_strlcpy(msg, ob_error_last(), sizeof msg);
	return not_reachable(cx, msg);
}

/* Whether the actor sees the account u: its site within the actor's read
 * scope (a network-wide account only for a network-wide reader). */
static bool user_visible(const ob_ctx *cx, const ob_user *u)
{
	return ob_access_in_scope(cx, OB_ACT_READ, u->site_path);
}

/* The account named username, resolved within the actor's scope;
 * record: whether a miss is a refusal to audit (a change, not a read). */
static int user_reachable(const ob_ctx *cx, const char *username, ob_user *u, bool record)
{
	char msg[128];
	ob_user found;
	int rc = user_load(cx, username, &found, NULL);

	if (rc < 0 && rc != OB_ENOTFOUND)
		return rc;
	/* out is written only for a visible account (it may be the actor's). */
	if (rc == 0 && user_visible(cx, &found)) {
		*u = found;
		return 0;
	}
	snprintf(msg, sizeof msg, "username: no account named '%s'", username);
	if (!record)
		return ob_error_set(OB_ENOTFOUND, "%s", msg);
	return not_reachable(cx, msg);
}

/* True when the actor acts on the whole network: the local operator, an
 * account without a site, or one of the center. */
static bool actor_network_wide(const ob_ctx *cx)
{
	return cx->role == 0 || path_network_wide(cx->scope);
}

/* Whether the actor may give an account role at site_path (creating it,
 * or changing it: a new password hands its holder the account's reach):
 * an administrator whose scope holds the site, who thereby gives no more
 * than they have; an auditor reads the whole network and a network-wide
 * account acts on it, so those need a network-wide administrator. */
static int within_reach(const ob_ctx *cx, unsigned role, const char *site_path)
{
	static const ob_action acts[] = { OB_ACT_READ, OB_ACT_SPECIMEN, OB_ACT_CONTAINER,
		OB_ACT_DONOR, OB_ACT_DIAGNOSIS, OB_ACT_SITE, OB_ACT_USER, OB_ACT_IMPORT, OB_ACT_AUDIT };
	int rc;

	if (cx->role == 0)
		return 0;
	if ((rc = ob_access_check(cx, OB_ACT_USER, NULL)) < 0)
		return rc;
	for (size_t i = 0; i < sizeof acts / sizeof acts[0]; i++)
		if ((ob_access_roles(acts[i]) & role) && !(ob_access_roles(acts[i]) & cx->role))
			return ob_error_set(OB_EPERM, "permission denied: a %s cannot give the role"
				" %s, which may do more", ob_role_name(cx->role), ob_role_name(role));
	if (actor_network_wide(cx))
		return 0;
	if (role == OB_ROLE_AUDITOR)
		return ob_error_set(OB_EPERM, "permission denied: only a center administrator manages"
			" auditor accounts (an auditor reads the whole network)");
	if (path_network_wide(site_path))
		return ob_error_set(OB_EPERM, "permission denied: only a center administrator manages"
			" network-wide accounts");
	return ob_access_check(cx, OB_ACT_USER, site_path);
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
			" biobank_manager, technician, pathologist, researcher, auditor,"
			" study_researcher)",
			role ? role : "");
	if ((rc = password_check(password)) < 0)
		return rc;
	/* Who may manage accounts at all, before anything is looked up. */
	if (cx->role != 0 && (rc = ob_access_check(cx, OB_ACT_USER, NULL)) < 0)
		return rc;
	if (site && *site && (rc = site_reachable(cx, site, &site_id, path)) < 0)
		return rc;
	if ((rc = within_reach(cx, r, path)) < 0)
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

/* The account named username, when the actor may change it: an
 * administrator (refused before any look-up otherwise), the account within
 * their scope (or as absent as a nonexistent one), within their reach. */
static int manageable(const ob_ctx *cx, const char *username, ob_user *u)
{
	int rc;

	if (cx->role != 0 && (rc = ob_access_check(cx, OB_ACT_USER, NULL)) < 0)
		return rc;
	if ((rc = user_reachable(cx, username, u, true)) < 0)
		return rc;
	return within_reach(cx, u->role, u->site_path);
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
	if (cx->role != 0 && cx->actor && !strcmp(cx->actor, username)) {
		/* Anyone with an account may change their own password. */
		if ((rc = user_load(cx, username, &u, NULL)) == OB_ENOTFOUND)
			return user_not_found(username);
		if (rc < 0)
			return rc;
	} else if ((rc = manageable(cx, username, &u)) < 0) {
		return rc;
	}
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
	if ((rc = manageable(cx, username, &u)) < 0)
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
	return user_reachable(cx, username ? username : "", out, false);
}

int ob_user_list(const ob_ctx *cx, ob_user_cb cb, void *arg)
{
	static const char *const sql =
		"SELECT u.username, s.code, u.role, u.active FROM app_user u"
		" LEFT JOIN site s ON s.id = u.site_id"
		" WHERE $1 IS NULL OR (s.path IS NOT NULL AND substr(s.path, 1, length($1)) = $1)"
		" ORDER BY u.username";
	const char *scope;
	ob_user u;
	ob_stmt *s;
	int rc;

	if ((rc = ob_access_check(cx, OB_ACT_READ, NULL)) < 0)
		return rc;
	scope = ob_access_read_scope(cx);
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_text(s, 1, scope && *scope ? scope : NULL);
	memset(&u, 0, sizeof u);
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		ob_strlcpy(u.username, ob_stmt_text(s, 0), sizeof u.username);
		ob_strlcpy(u.site, ob_stmt_text(s, 1) ? ob_stmt_text(s, 1) : "", sizeof u.site);
		u.role = ob_role_parse(ob_stmt_text(s, 2));
		u.active = ob_stmt_int(s, 3) != 0;
		if ((rc = cb(&u, arg)) != 0)
			break;
	}
	ob_stmt_reset(s);
	return rc < 0 || rc > OB_ROW ? rc : 0;
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

/* ---- sessions and the attempt limit ------------------------------------ */

/* Seconds from a to b (both ISO 8601 text). */
static long seconds_between(const char *a, const char *b)
{
	time_t ta = 0, tb = 0;

	ob_time_parse(a, NULL, &ta);
	ob_time_parse(b, NULL, &tb);
	return (long)(tb - ta);
}

/* The wait after the n-th failure of a pair (n >= PAIR_FREE): 60 s, then
 * doubling, at most BACKOFF_MAX. */
static long backoff(int64_t n)
{
	int64_t k = n - PAIR_FREE;

	if (k < 0)
		return 0;
	if (k >= 6)
		return BACKOFF_MAX;
	return BACKOFF_FIRST << k < BACKOFF_MAX ? BACKOFF_FIRST << k : BACKOFF_MAX;
}

/* How long this attempt must wait (0: it may go ahead), from the pair's
 * failures and the account's. Runs inside the reserving transaction, so
 * the attempts it counts cannot change under it. Pending attempts
 * (ok = -1: a password being checked right now) count as failures. */
static int wait_needed(const ob_ctx *cx, const char *username, const char *address,
                       const char *now, long *wait)
{
	/* The pair's failures since its last success, within PAIR_MEMORY. */
	static const char *const pair_sql =
		"SELECT COUNT(*), MAX(at) FROM login_attempt"
		" WHERE username = $1 AND address = $2 AND ok <= 0 AND at > $3"
		" AND at >= COALESCE((SELECT MAX(at) FROM login_attempt"
		" WHERE username = $1 AND address = $2 AND ok = 1), '')";
	/* The account's ACCOUNT_LIMIT-th latest failure within the window. */
	static const char *const account_sql =
		"SELECT at FROM login_attempt WHERE username = $1 AND ok <= 0 AND at > $2"
		" ORDER BY at DESC LIMIT 1 OFFSET $3";
	char since[OB_TIME_LEN], last[OB_TIME_LEN] = "";
	int64_t n = 0;
	ob_stmt *s;
	long w;
	int rc;

	*wait = 0;
	time_shift(now, -PAIR_MEMORY, since);
	if ((rc = ob_store_prepare(cx->st, pair_sql, &s)) < 0)
		return rc;
	if ((rc = ob_stmt_bind_text(s, 1, username)) < 0 || (rc = ob_stmt_bind_text(s, 2, address)) < 0
	    || (rc = ob_stmt_bind_text(s, 3, since)) < 0) {
		ob_stmt_reset(s);
		return rc;
	}
	if ((rc = ob_stmt_step(s)) == OB_ROW) {
		n = ob_stmt_int(s, 0);
		if (!ob_stmt_is_null(s, 1))
			ob_strlcpy(last, ob_stmt_text(s, 1), sizeof last);
	}
	ob_stmt_reset(s);
	if (rc < 0)
		return rc;
	if (n >= PAIR_FREE && last[0]) {
		w = backoff(n) - seconds_between(last, now);
		if (w > *wait)
			*wait = w;
	}
	time_shift(now, -WINDOW_SECONDS, since);
	if ((rc = ob_store_prepare(cx->st, account_sql, &s)) < 0)
		return rc;
	if ((rc = ob_stmt_bind_text(s, 1, username)) < 0 || (rc = ob_stmt_bind_text(s, 2, since)) < 0
	    || (rc = ob_stmt_bind_int(s, 3, ACCOUNT_LIMIT - 1)) < 0) {
		ob_stmt_reset(s);
		return rc;
	}
	if ((rc = ob_stmt_step(s)) == OB_ROW) {
		w = WINDOW_SECONDS - seconds_between(ob_stmt_text(s, 0), now);
		if (w < 1)
			w = 1;
		if (w > *wait)
			*wait = w;
	}
	ob_stmt_reset(s);
	return rc < 0 ? rc : 0;
}

/* {"username":..,"address":..[,"for":..]}: what a login event records. */
static void login_json(ob_buf *b, const char *username, const char *address, const char *purpose)
{
	ob_buf_puts(b, "{\"username\":");
	ob_buf_json_str(b, username);
	ob_buf_puts(b, ",\"address\":");
	ob_buf_json_str(b, address);
	if (purpose) {
		ob_buf_puts(b, ",\"for\":");
		ob_buf_json_str(b, purpose);
	}
	ob_buf_putc(b, '}');
}

/* Appends a session event acting as username (inside a transaction). */
static int login_event(const ob_ctx *cx, const char *action, int64_t sid, const char *username,
                       const char *site, const char *address, const char *purpose)
{
	ob_ctx acx = *cx;
	ob_buf ev = OB_BUF_INIT;
	int rc;

	acx.actor = username;
	acx.actor_site = site && *site ? site : NULL;
	acx.reason = NULL;
	login_json(&ev, username, address, purpose);
	if (ev.failed)
		rc = ob_error_set(OB_ERROR, "out of memory recording a login");
	else
		rc = ob_audit_append(&acx, action, "session", sid, username, NULL, ob_buf_cstr(&ev));
	ob_buf_dispose(&ev);
	return rc;
}

/* The first half of an attempt, in one write transaction: either the
 * attempt is refused (a "login_limited" event, *wait > 0) or a pending
 * attempt row is inserted (*id), which counts as a failure for every
 * attempt reserved after it until its outcome is known. Writers are
 * serialised (SQLite BEGIN IMMEDIATE, PostgreSQL's writer lock), so N
 * concurrent attempts see each other's reservations and at most the
 * limit's worth of them go on to check a password. */
static int reserve(const ob_ctx *cx, const char *username, const char *address, const char *now,
                   const char *purpose, int64_t *id, long *wait)
{
	static const char *const ins =
		"INSERT INTO login_attempt (username, address, at, ok) VALUES ($1, $2, $3, -1)";
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_begin(cx->st)) < 0)
		return rc;
	if ((rc = wait_needed(cx, username, address, now, wait)) < 0)
		goto out;
	if (*wait > 0) {
		rc = login_event(cx, "login_limited", 0, username, NULL, address, purpose);
		goto out;
	}
	if ((rc = ob_store_prepare(cx->st, ins, &s)) < 0)
		goto out;
	if ((rc = ob_stmt_bind_text(s, 1, username)) < 0 || (rc = ob_stmt_bind_text(s, 2, address)) < 0
	    || (rc = ob_stmt_bind_text(s, 3, now)) < 0) {
		ob_stmt_reset(s);
		goto out;
	}
	rc = ob_stmt_insert(s, id);
out:
	if (rc < 0) {
		ob_store_rollback(cx->st);
		return rc;
	}
	return ob_store_commit(cx->st);
}

/* The second half: the reserved attempt's outcome, the session when one is
 * opened (token_hash given), and the audit event, in one transaction. */
static int settle(const ob_ctx *cx, int64_t attempt, int ok, const ob_user *u,
                  const char *username, const char *address, const char *now,
                  const char *purpose, const char *token_hash)
{
	static const char *const upd = "UPDATE login_attempt SET ok = $2 WHERE id = $1";
	static const char *const ses_sql =
		"INSERT INTO app_session (token_hash, user_id, created_at, expires_at)"
		" VALUES ($1, $2, $3, $4)";
	char expires[OB_TIME_LEN];
	int64_t sid = 0;
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_begin(cx->st)) < 0)
		return rc;
	if ((rc = ob_store_prepare(cx->st, upd, &s)) < 0)
		goto out;
	if ((rc = ob_stmt_bind_int(s, 1, attempt)) < 0 || (rc = ob_stmt_bind_int(s, 2, ok)) < 0
	    || (rc = ob_stmt_exec(s)) < 0)
		goto out;
	if (ok && token_hash) {
		time_shift(now, SESSION_SECONDS, expires);
		if ((rc = ob_store_prepare(cx->st, ses_sql, &s)) < 0)
			goto out;
		if ((rc = ob_stmt_bind_text(s, 1, token_hash)) < 0 || (rc = ob_stmt_bind_int(s, 2, u->id)) < 0
		    || (rc = ob_stmt_bind_text(s, 3, now)) < 0
		    || (rc = ob_stmt_bind_text(s, 4, expires)) < 0) {
			ob_stmt_reset(s);
			goto out;
		}
		if ((rc = ob_stmt_insert(s, &sid)) < 0)
			goto out;
		rc = login_event(cx, "login", sid, u->username, u->site, address, purpose);
	} else if (!ok) {
		rc = login_event(cx, "login_failed", 0, username, NULL, address, purpose);
	}
out:
	if (rc < 0) {
		ob_store_rollback(cx->st);
		return rc;
	}
	return ob_store_commit(cx->st);
}

/* Checks username's password under the attempt limit: reserve a slot,
 * verify (slow, Argon2id, outside any lock), settle. With token given, a
 * session is opened on success. purpose names a check that is not a login
 * (recorded in the events). OB_EAUTH, OB_ELIMIT (*retry_after set), or 0
 * with *u filled. */
static int attempt(const ob_ctx *cx, const char *username, const char *password,
                   const char *address, const char *purpose, char token[OB_TOKEN_HEX], ob_user *u,
                   unsigned *retry_after)
{
	char hash[crypto_pwhash_STRBYTES] = "", now[OB_TIME_LEN], digest[OB_TOKEN_HEX];
	unsigned char raw[32];
	int64_t slot = 0;
	long wait = 0;
	int rc, ok = 0;

	if (retry_after)
		*retry_after = 0;
	if ((rc = crypto_ready()) < 0)
		return rc;
	ob_time_now(now);
	if ((rc = reserve(cx, username, address, now, purpose, &slot, &wait)) < 0)
		return rc;
	if (wait > 0) {
		if (retry_after)
			*retry_after = (unsigned)wait;
		return ob_error_set(OB_ELIMIT, "%s: too many failed attempts; try again in %ld"
			" second%s", purpose ? "current_password" : "login", wait, wait == 1 ? "" : "s");
	}
	rc = user_load(cx, username, u, hash);
	if (rc < 0 && rc != OB_ENOTFOUND)
		goto fail;
	if (rc == 0) {
		ok = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0 && u->active;
	} else {
		pthread_once(&dummy_once, dummy_make);
		/* The result does not matter: there is no account to open. */
		if (dummy_hash[0] && crypto_pwhash_str_verify(dummy_hash, password, strlen(password)) == 0)
			ok = 0;
	}
	sodium_memzero(hash, sizeof hash);
	if (ok && token) {
		randombytes_buf(raw, sizeof raw);
		sodium_bin2hex(token, OB_TOKEN_HEX, raw, sizeof raw);
		sodium_memzero(raw, sizeof raw);
		token_digest(token, digest);
	}
	if ((rc = settle(cx, slot, ok, u, ok ? u->username : username, address, now, purpose,
	                 ok && token ? digest : NULL)) < 0)
		goto fail;
	if (!ok)
		return ob_error_set(OB_EAUTH, "%s", bad_login);
	return 0;
fail:
	/* The pending row stays and counts as a failure: safe side. */
	if (token)
		sodium_memzero(token, OB_TOKEN_HEX);
	return rc;
}

int ob_session_login(const ob_ctx *cx, const char *username, const char *password,
                     const char *address, char token[OB_TOKEN_HEX], ob_user *user,
                     unsigned *retry_after)
{
	ob_user u;
	int rc;

	if (retry_after)
		*retry_after = 0;
	if (!address || !*address)
		address = "unknown";
	if (!username || !*username || strlen(username) >= OB_USERNAME_MAX || !password)
		return ob_error_set(OB_EAUTH, "%s", bad_login);
	if ((rc = attempt(cx, username, password, address, NULL, token, &u, retry_after)) < 0)
		return rc;
	if (user)
		*user = u;
	return 0;
}

int ob_user_change_own_password(const ob_ctx *cx, const char *current, const char *password,
                                const char *address, unsigned *retry_after)
{
	ob_user u;
	int rc;

	if (retry_after)
		*retry_after = 0;
	if (cx->role == 0 || !cx->actor)
		return ob_error_set(OB_EAUTH, "not logged in");
	if (!address || !*address)
		address = "unknown";
	if ((rc = password_check(password)) < 0)
		return rc;
	if (!current || !*current)
		return ob_error_set(OB_EINVALID, "current_password: is required");
	rc = attempt(cx, cx->actor, current, address, "password_change", NULL, &u, retry_after);
	if (rc == OB_EAUTH)
		return ob_error_set(OB_EINVALID, "current_password: is not this account's password");
	if (rc < 0)
		return rc;
	return ob_user_set_password(cx, cx->actor, password);
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
