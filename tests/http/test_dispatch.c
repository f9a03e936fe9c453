/*
 * test_dispatch.c - unit tests of the HTTP core without sockets
 * (src/http/dispatch.c, routes_auth.c): requests are built as structs and
 * given to ob_http_dispatch() against a temporary database: routing (404,
 * 405), login and sessions (401), roles (403), body limits (413), JSON
 * errors (400 naming the field) and the error body's shape.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/testdb.h"
#include "bank/user.h"
#include "base/error.h"
#include "http/http.h"
#include "bank/barcode.h"
#include "bank/specimen.h"
#include "http/server.h"
#include "store/store.h"

static const char pw[] = "a long enough password";

typedef struct fixture {
	ob_testdb db;
	ob_http_response resp;
	char token[OB_TOKEN_HEX];
	char auth[100];
} fixture;

static void ok(int rc)
{
	if (rc < 0)
		fail_msg("unexpected error %d: %s", rc, ob_error_last());
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);

	if (!f)
		return -1;
	ob_testdb_open(&f->db);
	ob_testdb_network(&f->db);
	ok(ob_user_add(&f->db.cx, "admin", NULL, "administrator", pw));
	ok(ob_user_add(&f->db.cx, "res1", "REG01", "researcher", pw));
	f->resp.body = (ob_buf)OB_BUF_INIT;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	ob_buf_dispose(&f->resp.body);
	ob_testdb_close(&f->db);
	free(f);
	unsetenv("OB_NOW");
	return 0;
}

/* Dispatches one request; auth may be NULL. Returns the status. */
static int call(fixture *f, const char *method, const char *path, const char *body,
                const char *auth)
{
	ob_http_request req = { 0 };

	req.method = method;
	req.path = path;
	req.body = body;
	req.body_len = body ? strlen(body) : 0;
	req.content_type = body ? "application/json" : NULL;
	req.authorization = auth;
	req.client = "192.0.2.1";
	ob_http_dispatch(f->db.st, &req, &f->resp);
	return f->resp.status;
}

static const char *body(fixture *f)
{
	return ob_buf_cstr(&f->resp.body);
}

/* The error body's code and field (NULL for null). */
static void assert_error(fixture *f, const char *code, const char *field)
{
	json_error_t e;
	json_t *j = json_loads(body(f), 0, &e), *err, *fl;

	if (!j)
		fail_msg("not JSON: %s", body(f));
	err = json_object_get(j, "error");
	assert_non_null(err);
	assert_string_equal(json_string_value(json_object_get(err, "code")), code);
	assert_true(json_is_string(json_object_get(err, "message")));
	fl = json_object_get(err, "field");
	assert_non_null(fl);
	if (field)
		assert_string_equal(json_string_value(fl), field);
	else
		assert_true(json_is_null(fl));
	json_decref(j);
}

static void login_as(fixture *f, const char *name)
{
	char b[200];
	json_t *j;

	snprintf(b, sizeof b, "{\"username\":\"%s\",\"password\":\"%s\"}", name, pw);
	assert_int_equal(call(f, "POST", "/api/login", b, NULL), 200);
	j = json_loads(body(f), 0, NULL);
	assert_non_null(j);
	snprintf(f->token, sizeof f->token, "%s", json_string_value(json_object_get(j, "token")));
	json_decref(j);
	snprintf(f->auth, sizeof f->auth, "Bearer %s", f->token);
}

static void login_gives_token_and_user(void **state)
{
	fixture *f = *state;

	login_as(f, "res1");
	assert_int_equal(strlen(f->token), 64);
	assert_non_null(strstr(body(f), "\"user\":{\"username\":\"res1\",\"site\":\"REG01\","
		"\"role\":\"researcher\"}"));
}

static void me_needs_a_token(void **state)
{
	fixture *f = *state;

	assert_int_equal(call(f, "GET", "/api/me", NULL, NULL), 401);
	assert_error(f, "unauthorized", NULL);
	assert_int_equal(call(f, "GET", "/api/me", NULL, "Bearer 0123"), 401);
	login_as(f, "admin");
	assert_int_equal(call(f, "GET", "/api/me", NULL, f->auth), 200);
	assert_string_equal(body(f), "{\"username\":\"admin\",\"site\":null,\"role\":\"administrator\"}");
}

static void logout_ends_the_token(void **state)
{
	fixture *f = *state;

	login_as(f, "res1");
	assert_int_equal(call(f, "POST", "/api/logout", NULL, f->auth), 200);
	assert_int_equal(call(f, "GET", "/api/me", NULL, f->auth), 401);
}

static void bad_credentials_are_401_then_429(void **state)
{
	fixture *f = *state;

	/* A fixed clock: the wait answered is exact. */
	setenv("OB_NOW", "2025-03-01T10:00:00Z", 1);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(call(f, "POST", "/api/login",
			"{\"username\":\"res1\",\"password\":\"wrong one, sorry\"}", NULL), 401);
		assert_error(f, "unauthorized", NULL);
	}
	assert_int_equal(call(f, "POST", "/api/login",
		"{\"username\":\"res1\",\"password\":\"a long enough password\"}", NULL), 429);
	assert_error(f, "too_many", NULL);
	assert_null(strstr(body(f), "wrong one"));
	/* When to come back, in seconds, beside the message. */
	assert_non_null(strstr(body(f), "\"retry_after\":60"));
	assert_int_equal(f->resp.retry_after, 60);  /* the Retry-After header */
	assert_int_equal(call(f, "GET", "/api/me", NULL, NULL), 401);
	assert_int_equal(f->resp.retry_after, 0);
	unsetenv("OB_NOW");
}

/* Wrong current passwords count like failed logins of that account from
 * that address: the sixth is refused without a check, and other accounts
 * from the same address still log in. */
static void wrong_current_password_is_limited_for_that_account_only(void **state)
{
	fixture *f = *state;

	login_as(f, "res1");
	for (int i = 0; i < 5; i++) {
		assert_int_equal(call(f, "POST", "/api/me/password", "{\"current_password\":\"wrong one\","
			"\"password\":\"a brand new password\"}", f->auth), 400);
		assert_error(f, "invalid", "current_password");
	}
	assert_int_equal(call(f, "POST", "/api/me/password", "{\"current_password\":\"wrong one\","
		"\"password\":\"a brand new password\"}", f->auth), 429);
	assert_error(f, "too_many", NULL);
	assert_non_null(strstr(body(f), "\"retry_after\":"));
	assert_int_equal(ob_testdb_count(&f->db, "SELECT COUNT(*) FROM audit_event WHERE"
		" action = 'login_failed'"), 5);
	/* No session was opened by the checks. */
	assert_int_equal(ob_testdb_count(&f->db, "SELECT COUNT(*) FROM app_session"), 1);
	login_as(f, "admin");
}

/* A regional administrator: an auditor is beyond their reach (403); an
 * account outside their scope is as absent as one that does not exist (404
 * both); a site outside it is refused (403: the sites are public). */
static void regional_administrator_reach(void **state)
{
	fixture *f = *state;
	char msg[300];

	ok(ob_user_add(&f->db.cx, "adm2", "REG02", "administrator", pw));
	login_as(f, "adm2");
	assert_int_equal(call(f, "POST", "/api/users", "{\"username\":\"aud2\",\"site\":\"REG02\","
		"\"role\":\"auditor\",\"password\":\"another password\"}", f->auth), 403);
	assert_error(f, "forbidden", NULL);
	assert_int_equal(ob_testdb_count(&f->db, "SELECT COUNT(*) FROM audit_event WHERE"
		" action = 'denied' AND actor = 'adm2'"), 1);
	assert_int_equal(call(f, "POST", "/api/users", "{\"username\":\"r2\",\"site\":\"REG01\","
		"\"role\":\"researcher\",\"password\":\"another password\"}", f->auth), 403);
	assert_error(f, "forbidden", "site");  /* sites are public: refused as such */
	assert_non_null(strstr(body(f), "not on REG01"));
	assert_int_equal(call(f, "POST", "/api/users", "{\"username\":\"r2\",\"site\":\"ZZZ99\","
		"\"role\":\"researcher\",\"password\":\"another password\"}", f->auth), 404);
	assert_int_equal(call(f, "POST", "/api/users/res1/disable", NULL, f->auth), 404);
	snprintf(msg, sizeof msg, "%s", body(f));
	assert_int_equal(call(f, "POST", "/api/users/ghost/disable", NULL, f->auth), 404);
	assert_non_null(strstr(msg, "no account named 'res1'"));
	assert_non_null(strstr(body(f), "no account named 'ghost'"));
	assert_int_equal(call(f, "POST", "/api/users", "{\"username\":\"t2\",\"site\":\"REG02\","
		"\"role\":\"technician\",\"password\":\"another password\"}", f->auth), 201);
	assert_int_equal(ob_testdb_count(&f->db, "SELECT COUNT(*) FROM app_user WHERE"
		" username IN ('aud2', 'r2')"), 0);
}

static void wrong_method_is_405_unknown_path_404(void **state)
{
	fixture *f = *state;

	assert_int_equal(call(f, "GET", "/api/login", NULL, NULL), 405);
	assert_int_equal(call(f, "DELETE", "/api/users", NULL, NULL), 405);
	assert_int_equal(call(f, "GET", "/api/nothing/here", NULL, NULL), 404);
	assert_error(f, "not_found", NULL);
	assert_int_equal(call(f, "GET", "/api/me/", NULL, NULL), 404);
}

static void bad_json_is_400_naming_body(void **state)
{
	fixture *f = *state;

	assert_int_equal(call(f, "POST", "/api/login", "{\"username\":", NULL), 400);
	assert_error(f, "invalid", "body");
	assert_int_equal(call(f, "POST", "/api/login", "[1,2]", NULL), 400);
	assert_error(f, "invalid", "body");
	assert_int_equal(call(f, "POST", "/api/login", "{\"username\":5,\"password\":\"x\"}", NULL), 400);
	assert_error(f, "invalid", "username");
	assert_int_equal(call(f, "POST", "/api/login", "{\"username\":\"res1\"}", NULL), 400);
	assert_error(f, "invalid", "password");
	/* A member the route does not know is named, not ignored. */
	assert_int_equal(call(f, "POST", "/api/login", "{\"username\":\"res1\",\"password\":\"x\","
		"\"remember\":true}", NULL), 400);
	assert_error(f, "invalid", "remember");
	/* Text is UTF-8 within the field's length. */
	assert_int_equal(call(f, "POST", "/api/login", "{\"username\":\"res1\\u0000\","
		"\"password\":\"x\"}", NULL), 400);
	assert_int_equal(call(f, "POST", "/api/login", "{\"username\":\"res1\\u001b\","
		"\"password\":\"x\"}", NULL), 400);
	assert_error(f, "invalid", "username");
}

static void oversized_body_is_413(void **state)
{
	fixture *f = *state;
	size_t n = 10000;
	char *big = malloc(n + 1);

	assert_non_null(big);
	memset(big, ' ', n);
	big[n] = '\0';
	big[0] = '{';
	big[n - 1] = '}';
	assert_int_equal(call(f, "POST", "/api/login", big, NULL), 413);
	assert_error(f, "too_large", NULL);
	free(big);
	assert_true(ob_http_body_limit("POST", "/api/login") < n);
	assert_int_equal(ob_http_body_limit("GET", "/api/me"), 0);
}

static void researcher_cannot_add_users(void **state)
{
	fixture *f = *state;

	login_as(f, "res1");
	assert_int_equal(call(f, "POST", "/api/users", "{\"username\":\"x1\",\"site\":\"REG01\","
		"\"role\":\"researcher\",\"password\":\"another password\"}", f->auth), 403);
	assert_error(f, "forbidden", NULL);
	assert_int_equal(ob_testdb_count(&f->db, "SELECT COUNT(*) FROM audit_event WHERE"
		" action = 'denied'"), 1);
	assert_int_equal(call(f, "GET", "/api/users", NULL, f->auth), 403);
}

static void user_changes_own_password(void **state)
{
	fixture *f = *state;
	char old[100], b[200];

	login_as(f, "res1");
	snprintf(old, sizeof old, "%s", f->auth);
	assert_int_equal(call(f, "POST", "/api/me/password", "{\"current_password\":\"wrong one\","
		"\"password\":\"a brand new password\"}", f->auth), 400);
	assert_error(f, "invalid", "current_password");
	snprintf(b, sizeof b, "{\"current_password\":\"%s\",\"password\":\"a brand new password\"}", pw);
	assert_int_equal(call(f, "POST", "/api/me/password", b, f->auth), 200);
	/* the old session ended; the new password opens a new one */
	assert_int_equal(call(f, "GET", "/api/me", NULL, old), 401);
	assert_int_equal(call(f, "POST", "/api/login", "{\"username\":\"res1\","
		"\"password\":\"a brand new password\"}", NULL), 200);
}

static void administrator_disables_an_account(void **state)
{
	fixture *f = *state;
	char res[100];

	login_as(f, "res1");
	snprintf(res, sizeof res, "%s", f->auth);
	assert_int_equal(call(f, "POST", "/api/users/res1/disable", NULL, f->auth), 403);
	login_as(f, "admin");
	assert_int_equal(call(f, "POST", "/api/users/res1/disable", NULL, f->auth), 200);
	assert_int_equal(call(f, "POST", "/api/users/nobody/disable", NULL, f->auth), 404);
	assert_int_equal(call(f, "GET", "/api/me", NULL, res), 401);
	snprintf(res, sizeof res, "{\"username\":\"res1\",\"password\":\"%s\"}", pw);
	assert_int_equal(call(f, "POST", "/api/login", res, NULL), 401);
}

/* Another region's specimen is answered as if it did not exist (404, no
 * existence oracle), and the probe is an audit event, like a refusal by
 * role, with the request's facts. */
static void other_region_specimen_is_refused_and_audited(void **state)
{
	fixture *f = *state;
	ob_specimen_new s;
	char b[OB_BARCODE_MAX], path[80];

	ob_specimen_new_init(&s);
	s.site = "REG02";
	s.donor = "D2";
	s.type = "serum";
	ok(ob_specimen_create(&f->db.cx, &s, NULL, b));
	login_as(f, "res1");
	snprintf(path, sizeof path, "/api/specimens/%s", b);
	assert_int_equal(call(f, "GET", path, NULL, f->auth), 404);
	assert_error(f, "not_found", NULL);
	assert_int_equal(ob_testdb_count(&f->db, "SELECT COUNT(*) FROM audit_event WHERE"
		" action = 'denied' AND actor = 'res1' AND after LIKE '%\"answered\":\"not found\"%'"
		" AND after LIKE '%\"method\":\"GET\"%' AND after LIKE '%\"path\":\"/api/specimens/%'"
		" AND after LIKE '%\"client\":\"192.0.2.1\"%' AND after NOT LIKE '%Bearer%'"), 1);
}

static void administrator_adds_and_lists_users(void **state)
{
	fixture *f = *state;

	login_as(f, "admin");
	assert_int_equal(call(f, "POST", "/api/users", "{\"username\":\"tech9\",\"site\":\"REG02\","
		"\"role\":\"technician\",\"password\":\"another password\"}", f->auth), 201);
	assert_string_equal(body(f), "{\"username\":\"tech9\",\"site\":\"REG02\",\"role\":\"technician\"}");
	assert_int_equal(call(f, "POST", "/api/users", "{\"username\":\"tech9\",\"site\":\"REG02\","
		"\"role\":\"technician\",\"password\":\"another password\"}", f->auth), 409);
	assert_error(f, "conflict", "username");
	assert_int_equal(call(f, "POST", "/api/users", "{\"username\":\"t8\",\"site\":\"REG02\","
		"\"role\":\"wizard\",\"password\":\"another password\"}", f->auth), 400);
	assert_error(f, "invalid", "role");
	assert_int_equal(call(f, "GET", "/api/users", NULL, f->auth), 200);
	assert_non_null(strstr(body(f), "\"tech9\""));
	assert_null(strstr(body(f), "argon"));
}

static void query_string_is_decoded(void **state)
{
	ob_http_request req = { 0 };
	char qs[] = "site=REG%2001&type=plasma+serum&flag&empty=";

	(void)state;
	ok(ob_http_parse_query(&req, qs));
	assert_int_equal(req.nquery, 4);
	assert_string_equal(ob_http_query(&req, "site"), "REG 01");
	assert_string_equal(ob_http_query(&req, "type"), "plasma serum");
	assert_string_equal(ob_http_query(&req, "flag"), "");
	assert_string_equal(ob_http_query(&req, "empty"), "");
	assert_null(ob_http_query(&req, "nope"));
	char bad[] = "a=%zz";
	assert_int_equal(ob_http_parse_query(&req, bad), OB_EINVALID);
	char nul[] = "a=%00";
	assert_int_equal(ob_http_parse_query(&req, nul), OB_EINVALID);
}

static void error_field_skips_file_and_line(void **state)
{
	ob_http_response resp = { .body = OB_BUF_INIT };

	(void)state;
	ob_error_set(OB_EINVALID, "x.csv:12: quantity: not a number");
	ob_http_error(&resp, OB_EINVALID);
	assert_int_equal(resp.status, 400);
	assert_non_null(strstr(ob_buf_cstr(&resp.body), "\"field\":\"quantity\""));
	ob_error_set(OB_ERROR, "disk I/O error in /secret/path");
	ob_http_error(&resp, OB_ERROR);
	assert_int_equal(resp.status, 500);
	assert_null(strstr(ob_buf_cstr(&resp.body), "secret"));
	assert_non_null(strstr(ob_buf_cstr(&resp.body), "\"code\":\"internal\""));
	ob_buf_dispose(&resp.body);
}

/* Another connection holds the write lock beyond the store's wait: a write
 * is 503 "busy" with Retry-After (never 500), a read is served, and the
 * write goes through once the lock is free. */
static void busy_write_is_503_with_retry_after(void **state)
{
	fixture *f = *state;
	ob_store *other = NULL;
	uint64_t before = ob_store_busy_retries();
	const char *site = "{\"code\":\"REG09\",\"kind\":\"regional\",\"parent\":\"NCC\"}";

	login_as(f, "admin");
	ok(ob_store_open(&other, f->db.path));
	ok(ob_store_begin(other));
	ob_store_set_wait(f->db.st, 200);
	assert_int_equal(call(f, "POST", "/api/sites", site, f->auth), 503);
	assert_error(f, "busy", NULL);
	assert_int_equal(f->resp.retry_after, OB_HTTP_RETRY_AFTER);
	/* The server's log gets how long it waited. */
	assert_non_null(strstr(ob_error_last(), "another writer held it for 0.2 s"));
	assert_true(ob_store_busy_retries() > before);
	assert_false(ob_store_in_txn(f->db.st));
	assert_int_equal(call(f, "GET", "/api/sites", NULL, f->auth), 200);
	assert_int_equal(f->resp.retry_after, 0);
	ob_store_rollback(other);
	ob_store_free(other);
	assert_int_equal(call(f, "POST", "/api/sites", site, f->auth), 201);
	assert_int_equal(f->resp.retry_after, 0);
}

typedef struct searcher {
	const char *path, *auth;
	int fails;
} searcher;

/* One worker: its own connection, as in the server's pool. */
static void *search_many(void *arg)
{
	static const char *const queries[][2] = {
		{ "type", "plasma" }, { "status", "available" }, { "site", "REG01" },
		{ "donor", "D1" }, { "lineage", "primary" }, { "pathology", "tumour" },
	};
	searcher *s = arg;
	ob_http_response resp = { .body = OB_BUF_INIT };
	ob_store *st = NULL;

	if (ob_store_open(&st, s->path) < 0) {
		s->fails++;
		return NULL;
	}
	for (unsigned mask = 1; mask < 64; mask++) {
		ob_http_request req = { 0 };
		req.method = "GET";
		req.path = "/api/specimens";
		req.authorization = s->auth;
		req.client = "192.0.2.1";
		for (int i = 0; i < 6; i++)
			if (mask & (1u << i)) {
				req.qkey[req.nquery] = queries[i][0];
				req.qval[req.nquery++] = queries[i][1];
			}
		ob_http_dispatch(st, &req, &resp);
		if (resp.status != 200)
			s->fails++;
	}
	ob_buf_dispose(&resp.body);
	ob_store_free(st);
	return NULL;
}

/* Worker threads search at once with the same filters: the SQL they build
 * is shared (a data race before; the ThreadSanitizer build of make check
 * runs this). */
static void concurrent_searches_are_safe(void **state)
{
	fixture *f = *state;
	pthread_t th[6];
	searcher s[6];

	login_as(f, "admin");
	for (int i = 0; i < 6; i++) {
		s[i] = (searcher){ .path = f->db.path, .auth = f->auth };
		assert_int_equal(pthread_create(&th[i], NULL, search_many, &s[i]), 0);
	}
	for (int i = 0; i < 6; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(s[i].fails, 0);
	}
}

int main(void)
{
#define DB_TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		DB_TEST(login_gives_token_and_user),
		DB_TEST(me_needs_a_token),
		DB_TEST(logout_ends_the_token),
		DB_TEST(bad_credentials_are_401_then_429),
		DB_TEST(wrong_current_password_is_limited_for_that_account_only),
		DB_TEST(regional_administrator_reach),
		DB_TEST(wrong_method_is_405_unknown_path_404),
		DB_TEST(bad_json_is_400_naming_body),
		DB_TEST(oversized_body_is_413),
		DB_TEST(researcher_cannot_add_users),
		DB_TEST(administrator_adds_and_lists_users),
		DB_TEST(other_region_specimen_is_refused_and_audited),
		DB_TEST(user_changes_own_password),
		DB_TEST(administrator_disables_an_account),
		DB_TEST(busy_write_is_503_with_retry_after),
		DB_TEST(concurrent_searches_are_safe),
		cmocka_unit_test(query_string_is_decoded),
		cmocka_unit_test(error_field_skips_file_and_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
