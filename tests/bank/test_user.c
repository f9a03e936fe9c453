/*
 * test_user.c - unit tests of src/bank/user.h: accounts, password hashing,
 * logins and their rate limit, sessions (expiry, logout), disabled
 * accounts, who may manage accounts, and the audit events all of them
 * leave. Each test runs on a fresh temporary SQLite database.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/testdb.h"
#include "bank/access.h"
#include "bank/audit.h"
#include "bank/user.h"
#include "base/buf.h"
#include "base/error.h"
#include "store/store.h"
#include "view/view.h"

static int list_item(const ob_user *u, void *arg)
{
	return json_array_append_new(arg, ob_view_user(u)) < 0 ? OB_ERROR : 0;
}

/* The accounts as GET /api/users and user list --json show them. */
static int list_json(const ob_ctx *cx, ob_buf *out)
{
	json_t *a = json_array();
	int rc = ob_user_list(cx, list_item, a);

	if (rc < 0) {
		json_decref(a);
		return rc;
	}
	return ob_view_dump(a, out);
}

static const char pw[] = "correct horse battery";

static void ok(int rc)
{
	if (rc < 0)
		fail_msg("unexpected error %d: %s", rc, ob_error_last());
}

static void assert_has(const char *s, const char *text)
{
	if (!strstr(s, text))
		fail_msg("'%s' lacks '%s'", s, text);
}

static int setup(void **state)
{
	ob_testdb *t = calloc(1, sizeof *t);

	if (!t)
		return -1;
	ob_testdb_open(t);
	ob_testdb_network(t);
	ok(ob_user_add(&t->cx, "tech1", "REG01", "technician", pw));
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	ob_testdb *t = *state;

	ob_testdb_close(t);
	free(t);
	unsetenv("OB_NOW");
	return 0;
}

static long long events(ob_testdb *t, const char *action)
{
	static const char *const sql = "SELECT COUNT(*) FROM audit_event WHERE action = $1";
	int64_t n = -1;

	ok(ob_store_get_int(t->st, sql, action, &n));
	return n;
}

static void add_then_get_gives_site_and_role(void **state)
{
	ob_testdb *t = *state;
	ob_user u;

	ok(ob_user_get(&t->cx, "tech1", &u));
	assert_string_equal(u.username, "tech1");
	assert_string_equal(u.site, "REG01");
	assert_string_equal(u.site_path, "/NCC/REG01/");
	assert_int_equal(u.role, OB_ROLE_TECHNICIAN);
	assert_true(u.active);
	assert_int_equal(ob_user_get(&t->cx, "nobody", &u), OB_ENOTFOUND);
	assert_int_equal(ob_user_add(&t->cx, "tech1", "REG01", "technician", pw), OB_EEXISTS);
	assert_int_equal(ob_user_add(&t->cx, "x", "REG01", "wizard", pw), OB_EINVALID);
	assert_int_equal(ob_user_add(&t->cx, "x", "REG01", "researcher", "short"), OB_EINVALID);
	assert_int_equal(ob_user_add(&t->cx, "x", "NOPE", "researcher", pw), OB_ENOTFOUND);
	assert_string_equal(ob_error_last(), "site: no site has code 'NOPE'");
}

static void password_is_stored_as_argon2id_hash_only(void **state)
{
	ob_testdb *t = *state;

	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM app_user WHERE"
		" password_hash LIKE '$argon2id$%' AND password_hash NOT LIKE '%correct horse%'"), 1);
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM audit_event WHERE"
		" after LIKE '%argon2%' OR after LIKE '%correct horse%'"), 0);
}

static void login_opens_a_session_that_check_accepts(void **state)
{
	ob_testdb *t = *state;
	char token[OB_TOKEN_HEX];
	ob_user u, v;

	ok(ob_session_login(&t->cx, "tech1", pw, "10.0.0.1", token, &u, NULL));
	assert_int_equal(strlen(token), 64);
	assert_string_equal(u.username, "tech1");
	ok(ob_session_check(&t->cx, token, &v));
	assert_string_equal(v.site, "REG01");
	/* Only the token's hash is kept. */
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM app_session"), 1);
	assert_int_equal(events(t, "login"), 1);
	token[0] = token[0] == 'a' ? 'b' : 'a';
	assert_int_equal(ob_session_check(&t->cx, token, &v), OB_EAUTH);
}

static void wrong_password_and_unknown_user_fail_alike(void **state)
{
	ob_testdb *t = *state;
	char token[OB_TOKEN_HEX], msg[200];
	ob_user u;

	assert_int_equal(ob_session_login(&t->cx, "tech1", "wrong password!", "a", token, &u, NULL), OB_EAUTH);
	snprintf(msg, sizeof msg, "%s", ob_error_last());
	assert_int_equal(ob_session_login(&t->cx, "ghost", pw, "a", token, &u, NULL), OB_EAUTH);
	assert_string_equal(ob_error_last(), msg);
	assert_null(strstr(msg, "wrong password!"));
	assert_int_equal(events(t, "login_failed"), 2);
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM audit_event WHERE"
		" after LIKE '%wrong password!%' OR after LIKE '%correct horse%'"), 0);
}

/* Five failures of one (address, account) pair slow that pair down; the
 * owner, from another address, still logs in. */
static void five_failures_slow_the_address_not_the_owner(void **state)
{
	ob_testdb *t = *state;
	char token[OB_TOKEN_HEX];
	unsigned wait = 0;
	ob_user u;

	setenv("OB_NOW", "2025-03-01T10:00:00Z", 1);
	for (int i = 0; i < 5; i++)
		assert_int_equal(ob_session_login(&t->cx, "tech1", "not the password", "10.0.0.9",
			token, &u, NULL), OB_EAUTH);
	/* Even the right password is refused from that address ... */
	assert_int_equal(ob_session_login(&t->cx, "tech1", pw, "10.0.0.9", token, &u, &wait),
		OB_ELIMIT);
	assert_has(ob_error_last(), "try again in 60 seconds");
	assert_int_equal(wait, 60);
	assert_int_equal(events(t, "login_failed"), 5);
	assert_int_equal(events(t, "login_limited"), 1);
	/* ... not from another one. */
	ok(ob_session_login(&t->cx, "tech1", pw, "10.0.0.7", token, &u, NULL));
	ob_buf b = OB_BUF_INIT;
	ok(ob_audit_verify(&t->cx, &b));
	ob_buf_dispose(&b);
}

/* After the limit, each further failure of the pair doubles its wait (60 s,
 * 120 s, ...); a success from the pair starts it over. */
static void back_off_doubles_and_a_success_resets_it(void **state)
{
	ob_testdb *t = *state;
	char token[OB_TOKEN_HEX];
	ob_user u;

	setenv("OB_NOW", "2025-03-01T10:00:00Z", 1);
	for (int i = 0; i < 5; i++)
		assert_int_equal(ob_session_login(&t->cx, "tech1", "not the password", "10.0.0.9",
			token, &u, NULL), OB_EAUTH);
	setenv("OB_NOW", "2025-03-01T10:00:59Z", 1);
	assert_int_equal(ob_session_login(&t->cx, "tech1", "not the password", "10.0.0.9", token,
		&u, NULL), OB_ELIMIT);
	assert_has(ob_error_last(), "try again in 1 second");
	setenv("OB_NOW", "2025-03-01T10:01:00Z", 1);
	assert_int_equal(ob_session_login(&t->cx, "tech1", "not the password", "10.0.0.9", token,
		&u, NULL), OB_EAUTH);
	setenv("OB_NOW", "2025-03-01T10:02:59Z", 1);
	assert_int_equal(ob_session_login(&t->cx, "tech1", pw, "10.0.0.9", token, &u, NULL), OB_ELIMIT);
	setenv("OB_NOW", "2025-03-01T10:03:00Z", 1);
	ok(ob_session_login(&t->cx, "tech1", pw, "10.0.0.9", token, &u, NULL));
	assert_int_equal(ob_session_login(&t->cx, "tech1", "not the password", "10.0.0.9", token,
		&u, NULL), OB_EAUTH);
	/* Refused attempts check no password and leave no attempt row. */
	assert_int_equal(events(t, "login_limited"), 2);
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM login_attempt"), 8);
}

/* Failures with names that are no account, and failures on another
 * account, from one address lock no real account out. */
static void one_address_cannot_lock_other_accounts(void **state)
{
	ob_testdb *t = *state;
	char token[OB_TOKEN_HEX];
	ob_user u;
	char name[32];

	ok(ob_user_add(&t->cx, "tech2", "REG01", "technician", pw));
	for (int i = 0; i < 5; i++) {
		snprintf(name, sizeof name, "guess%d", i);
		assert_int_equal(ob_session_login(&t->cx, name, pw, "10.6.6.6", token, &u, NULL), OB_EAUTH);
	}
	for (int i = 0; i < 5; i++)
		assert_int_equal(ob_session_login(&t->cx, "tech1", "not the password", "10.6.6.6",
			token, &u, NULL), OB_EAUTH);
	assert_int_equal(ob_session_login(&t->cx, "tech1", pw, "10.6.6.6", token, &u, NULL), OB_ELIMIT);
	ok(ob_session_login(&t->cx, "tech2", pw, "10.6.6.6", token, &u, NULL));
}

/* Guesses from many addresses together: 30 failures of one account in 15
 * minutes stop every password check of it until the window passes. */
static void many_addresses_together_limit_the_account(void **state)
{
	ob_testdb *t = *state;
	char token[OB_TOKEN_HEX], sql[200];
	ob_user u;

	setenv("OB_NOW", "2025-03-01T10:00:00Z", 1);
	for (int i = 0; i < 30; i++) {
		snprintf(sql, sizeof sql, "INSERT INTO login_attempt (username, address, at, ok)"
			" VALUES ('tech1', '10.1.%d.1', '2025-03-01T09:5%d:00Z', 0)", i / 5, i % 10);
		ob_testdb_exec(t, sql);
	}
	assert_int_equal(ob_session_login(&t->cx, "tech1", pw, "10.9.9.9", token, &u, NULL), OB_ELIMIT);
	setenv("OB_NOW", "2025-03-01T10:10:00Z", 1);
	ok(ob_session_login(&t->cx, "tech1", pw, "10.9.9.9", token, &u, NULL));
}

/* Concurrent wrong logins, each on its own connection to one database:
 * the limit holds, no more than 5 passwords are checked. */
#define RACERS 12

typedef struct racer {
	const char *url;
	pthread_barrier_t *go;
	int rc;
} racer;

static void *race(void *arg)
{
	racer *r = arg;
	char token[OB_TOKEN_HEX];
	ob_store *st = NULL;
	ob_user u;

	r->rc = ob_store_open(&st, r->url);
	pthread_barrier_wait(r->go);
	if (r->rc == 0) {
		ob_ctx cx = { .st = st, .actor = "racer" };
		r->rc = ob_session_login(&cx, "tech1", "not the password", "10.7.7.7", token, &u, NULL);
	}
	ob_store_free(st);
	return NULL;
}

static void concurrent_wrong_logins_check_at_most_five_passwords(void **state)
{
	ob_testdb *t = *state;
	pthread_barrier_t go;
	pthread_t th[RACERS];
	racer r[RACERS];
	int failed = 0, limited = 0;

	pthread_barrier_init(&go, NULL, RACERS);
	for (int i = 0; i < RACERS; i++) {
		r[i] = (racer){ .url = t->path, .go = &go };
		assert_int_equal(pthread_create(&th[i], NULL, race, &r[i]), 0);
	}
	for (int i = 0; i < RACERS; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&go);
	for (int i = 0; i < RACERS; i++) {
		if (r[i].rc == OB_EAUTH)
			failed++;
		else if (r[i].rc == OB_ELIMIT)
			limited++;
		else
			fail_msg("racer %d: %d", i, r[i].rc);
	}
	assert_int_equal(failed, 5);
	assert_int_equal(limited, RACERS - 5);
	assert_int_equal(events(t, "login_failed"), 5);
	assert_int_equal(events(t, "login_limited"), RACERS - 5);
}

/* Changing one's own password asks the current one under the login limit:
 * a refused new password costs no attempt, a wrong current one counts, and
 * the check opens no session. */
static void own_password_change_checks_the_current_one_under_the_limit(void **state)
{
	ob_testdb *t = *state;
	char token[OB_TOKEN_HEX];
	unsigned wait = 0;
	ob_user tech;
	ob_ctx cx = t->cx;

	setenv("OB_NOW", "2025-03-01T10:00:00Z", 1);
	ok(ob_user_get(&t->cx, "tech1", &tech));
	ob_ctx_as(&cx, &tech);
	assert_int_equal(ob_user_change_own_password(&cx, pw, "short", "10.0.0.5", &wait),
		OB_EINVALID);
	assert_has(ob_error_last(), "password:");
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM login_attempt"), 0);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(ob_user_change_own_password(&cx, "not the password", "a new password",
			"10.0.0.5", &wait), OB_EINVALID);
		assert_has(ob_error_last(), "current_password:");
	}
	assert_int_equal(ob_user_change_own_password(&cx, pw, "a new password", "10.0.0.5", &wait),
		OB_ELIMIT);
	assert_int_equal(wait, 60);
	assert_int_equal(events(t, "login_failed"), 5);
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM audit_event WHERE"
		" action = 'login_failed' AND after LIKE '%password_change%'"), 5);
	/* From another address (another browser) it goes through. */
	ok(ob_user_change_own_password(&cx, pw, "a new password", "10.0.0.6", &wait));
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM app_session"), 0);
	ok(ob_session_login(&t->cx, "tech1", "a new password", "10.0.0.6", token, &tech, NULL));
}

static void expired_session_is_refused(void **state)
{
	ob_testdb *t = *state;
	char token[OB_TOKEN_HEX];
	ob_user u;

	ok(ob_session_login(&t->cx, "tech1", pw, "a", token, &u, NULL));
	ob_testdb_exec(t, "UPDATE app_session SET expires_at = '2001-01-01T00:00:00Z'");
	assert_int_equal(ob_session_check(&t->cx, token, &u), OB_EAUTH);
}

static void session_lasts_twelve_hours(void **state)
{
	ob_testdb *t = *state;
	char token[OB_TOKEN_HEX];
	ob_user u;

	setenv("OB_NOW", "2025-03-01T08:00:00Z", 1);
	ok(ob_session_login(&t->cx, "tech1", pw, "a", token, &u, NULL));
	setenv("OB_NOW", "2025-03-01T19:59:00Z", 1);
	ok(ob_session_check(&t->cx, token, &u));
	setenv("OB_NOW", "2025-03-01T20:00:01Z", 1);
	assert_int_equal(ob_session_check(&t->cx, token, &u), OB_EAUTH);
}

static void logout_ends_the_session(void **state)
{
	ob_testdb *t = *state;
	char token[OB_TOKEN_HEX];
	ob_user u;

	ok(ob_session_login(&t->cx, "tech1", pw, "a", token, &u, NULL));
	ok(ob_session_logout(&t->cx, token));
	assert_int_equal(ob_session_check(&t->cx, token, &u), OB_EAUTH);
	assert_int_equal(ob_session_logout(&t->cx, token), OB_EAUTH);
	assert_int_equal(events(t, "logout"), 1);
}

static void disabled_user_cannot_log_in_and_loses_sessions(void **state)
{
	ob_testdb *t = *state;
	char token[OB_TOKEN_HEX], t2[OB_TOKEN_HEX];
	ob_user u;

	ok(ob_session_login(&t->cx, "tech1", pw, "a", token, &u, NULL));
	ok(ob_user_disable(&t->cx, "tech1"));
	assert_int_equal(ob_session_check(&t->cx, token, &u), OB_EAUTH);
	assert_int_equal(ob_session_login(&t->cx, "tech1", pw, "a", t2, &u, NULL), OB_EAUTH);
	assert_string_equal(ob_error_last(), "login: unknown user or wrong password");
	ok(ob_user_get(&t->cx, "tech1", &u));
	assert_false(u.active);
}

static void new_password_replaces_the_old(void **state)
{
	ob_testdb *t = *state;
	char token[OB_TOKEN_HEX];
	ob_user u;

	ok(ob_user_set_password(&t->cx, "tech1", "another long password"));
	assert_int_equal(ob_session_login(&t->cx, "tech1", pw, "a", token, &u, NULL), OB_EAUTH);
	ok(ob_session_login(&t->cx, "tech1", "another long password", "a", token, &u, NULL));
}

static void only_administrators_in_scope_manage_accounts(void **state)
{
	ob_testdb *t = *state;
	char token[OB_TOKEN_HEX];
	ob_user admin, tech;
	ob_ctx cx = t->cx;

	ok(ob_user_add(&t->cx, "adm2", "REG02", "administrator", pw));
	ok(ob_session_login(&t->cx, "adm2", pw, "a", token, &admin, NULL));
	ob_ctx_as(&cx, &admin);
	assert_int_equal(cx.role, OB_ROLE_ADMIN);
	assert_string_equal(cx.scope, "/NCC/REG02/");
	ok(ob_user_add(&cx, "res2", "REG02", "researcher", pw));
	ok(ob_user_add(&cx, "adm3", "REG02", "administrator", pw));
	assert_int_equal(ob_user_add(&cx, "net", NULL, "auditor", pw), OB_EPERM);
	assert_int_equal(ob_user_add(&cx, "net", NULL, "researcher", pw), OB_EPERM);
	/* A technician may change their own password, not another's. */
	ok(ob_user_get(&t->cx, "tech1", &tech));
	ob_ctx_as(&cx, &tech);
	ok(ob_user_set_password(&cx, "tech1", "my own new password"));
	assert_int_equal(ob_user_set_password(&cx, "res2", "not mine to change"), OB_EPERM);
	assert_int_equal(ob_user_add(&cx, "x2", "REG01", "researcher", pw), OB_EPERM);
}

/* A regional administrator gives no account more reach than their own:
 * an auditor reads the whole network, so only a center administrator (or
 * the local operator) makes one, even at the region's own site. */
static void regional_administrator_cannot_make_an_auditor(void **state)
{
	ob_testdb *t = *state;
	ob_user admin;
	ob_ctx cx = t->cx;

	ok(ob_user_add(&t->cx, "adm2", "REG02", "administrator", pw));
	ok(ob_user_get(&t->cx, "adm2", &admin));
	ob_ctx_as(&cx, &admin);
	assert_int_equal(ob_user_add(&cx, "aud2", "REG02", "auditor", pw), OB_EPERM);
	assert_has(ob_error_last(), "auditor");
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM app_user WHERE username = 'aud2'"),
		0);
	/* A center administrator may. */
	ok(ob_user_add(&t->cx, "root", "NCC", "administrator", pw));
	ok(ob_user_get(&t->cx, "root", &admin));
	ob_ctx_as(&cx, &admin);
	ok(ob_user_add(&cx, "aud2", "REG02", "auditor", pw));
	ok(ob_user_add(&cx, "net", NULL, "researcher", pw));
}

/* An account the regional administrator could not have made is not theirs
 * to reset or disable: a new password would hand them its reach. */
static void regional_administrator_cannot_take_over_an_auditor(void **state)
{
	ob_testdb *t = *state;
	ob_user admin;
	ob_ctx cx = t->cx;

	ok(ob_user_add(&t->cx, "adm2", "REG02", "administrator", pw));
	ok(ob_user_add(&t->cx, "aud2", "REG02", "auditor", pw));
	ok(ob_user_get(&t->cx, "adm2", &admin));
	ob_ctx_as(&cx, &admin);
	assert_int_equal(ob_user_set_password(&cx, "aud2", "taken over, I hope"), OB_EPERM);
	assert_int_equal(ob_user_disable(&cx, "aud2"), OB_EPERM);
	ok(ob_user_add(&cx, "tech9", "REG02", "technician", pw));
	ok(ob_user_set_password(&cx, "tech9", "a reset password"));
	ok(ob_user_disable(&cx, "tech9"));
}

/* A site or an account outside the administrator's scope answers as one
 * that does not exist (no existence oracle), and both refusals are the
 * same audit event. */
static void out_of_scope_looks_like_nonexistent(void **state)
{
	ob_testdb *t = *state;
	char msg[200];
	ob_user admin;
	ob_ctx cx = t->cx;

	ok(ob_user_add(&t->cx, "adm2", "REG02", "administrator", pw));
	ok(ob_user_get(&t->cx, "adm2", &admin));
	ob_ctx_as(&cx, &admin);
	/* Sites are public: another one is refused as such (the callers audit
	 * that refusal); records are not found alike. */
	assert_int_equal(ob_user_add(&cx, "res1", "REG01", "researcher", pw), OB_EPERM);
	assert_string_equal(ob_error_last(), "site: permission denied: adm2 acts on REG02 and the"
		" sites below it, not on REG01");
	assert_int_equal(ob_user_add(&cx, "res1", "NCC", "researcher", pw), OB_EPERM);
	assert_int_equal(ob_user_add(&cx, "res1", "NOPE", "researcher", pw), OB_ENOTFOUND);
	assert_string_equal(ob_error_last(), "site: no site has code 'NOPE'");
	assert_int_equal(ob_user_disable(&cx, "tech1"), OB_ENOTFOUND);
	snprintf(msg, sizeof msg, "%s", ob_error_last());
	assert_string_equal(msg, "username: no account named 'tech1'");
	assert_int_equal(ob_user_disable(&cx, "ghost"), OB_ENOTFOUND);
	assert_string_equal(ob_error_last(), "username: no account named 'ghost'");
	assert_int_equal(ob_user_set_password(&cx, "tech1", "taken over, I hope"), OB_ENOTFOUND);
	assert_int_equal(ob_user_get(&cx, "tech1", &admin), OB_ENOTFOUND);
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM audit_event WHERE"
		" action = 'denied' AND actor = 'adm2'"), 4);
	ok(ob_user_get(&t->cx, "tech1", &admin));
	assert_true(admin.active);
}

static void list_is_limited_to_scope(void **state)
{
	ob_testdb *t = *state;
	ob_buf b = OB_BUF_INIT;
	ob_user admin;
	ob_ctx cx = t->cx;
	int none = 1;

	ok(ob_user_none(&t->cx, &none));
	assert_false(none);
	ok(ob_user_add(&t->cx, "root", NULL, "administrator", pw));
	ok(ob_user_add(&t->cx, "adm2", "REG02", "administrator", pw));
	ok(list_json(&t->cx, &b));
	assert_has(ob_buf_cstr(&b), "{\"username\":\"root\",\"site\":null,\"role\":\"administrator\","
		"\"active\":true}");
	assert_has(ob_buf_cstr(&b), "\"tech1\"");
	ob_buf_clear(&b);
	ok(ob_user_get(&t->cx, "adm2", &admin));
	ob_ctx_as(&cx, &admin);
	ok(list_json(&cx, &b));
	assert_has(ob_buf_cstr(&b), "\"adm2\"");
	assert_null(strstr(ob_buf_cstr(&b), "tech1"));
	assert_null(strstr(ob_buf_cstr(&b), "root"));
	ob_buf_dispose(&b);
}

static void user_changes_are_audited_and_verify(void **state)
{
	ob_testdb *t = *state;
	ob_buf b = OB_BUF_INIT;

	ok(ob_user_disable(&t->cx, "tech1"));
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM audit_event WHERE entity = 'user'"
		" AND action IN ('create', 'disable') AND entity_key = 'tech1'"), 2);
	ok(ob_audit_verify(&t->cx, &b));
	ob_buf_dispose(&b);
}

static void role_raised_behind_the_audit_is_caught(void **state)
{
	ob_testdb *t = *state;
	ob_buf b = OB_BUF_INIT;

	ob_testdb_exec(t, "UPDATE app_user SET role = 'administrator' WHERE username = 'tech1'");
	assert_int_equal(ob_audit_verify(&t->cx, &b), OB_ECONFLICT);
	assert_has(ob_error_last(), "user");
	ob_buf_dispose(&b);
}

static void first_run_has_no_account(void **state)
{
	ob_testdb t;
	int none = 0;

	(void)state;
	ob_testdb_open(&t);
	ok(ob_user_none(&t.cx, &none));
	assert_true(none);
	ob_testdb_close(&t);
}

int main(void)
{
#define DB_TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		DB_TEST(add_then_get_gives_site_and_role),
		DB_TEST(password_is_stored_as_argon2id_hash_only),
		DB_TEST(login_opens_a_session_that_check_accepts),
		DB_TEST(wrong_password_and_unknown_user_fail_alike),
		DB_TEST(five_failures_slow_the_address_not_the_owner),
		DB_TEST(back_off_doubles_and_a_success_resets_it),
		DB_TEST(one_address_cannot_lock_other_accounts),
		DB_TEST(many_addresses_together_limit_the_account),
		DB_TEST(concurrent_wrong_logins_check_at_most_five_passwords),
		DB_TEST(own_password_change_checks_the_current_one_under_the_limit),
		DB_TEST(expired_session_is_refused),
		DB_TEST(session_lasts_twelve_hours),
		DB_TEST(logout_ends_the_session),
		DB_TEST(disabled_user_cannot_log_in_and_loses_sessions),
		DB_TEST(new_password_replaces_the_old),
		DB_TEST(only_administrators_in_scope_manage_accounts),
		DB_TEST(regional_administrator_cannot_make_an_auditor),
		DB_TEST(regional_administrator_cannot_take_over_an_auditor),
		DB_TEST(out_of_scope_looks_like_nonexistent),
		DB_TEST(list_is_limited_to_scope),
		DB_TEST(user_changes_are_audited_and_verify),
		DB_TEST(role_raised_behind_the_audit_is_caught),
		cmocka_unit_test(first_run_has_no_account),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
