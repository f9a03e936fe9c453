/*
 * routes_auth.c - the account routes (docs/api.md): log in, log out, who
 * am I, and the administrators' list and creation of accounts. Thin
 * handlers over src/bank/user.h; ob_http_dispatch has checked the login,
 * the role and the body size before any of them runs.
 */
#include "http/http.h"
#include "http/handlers.h"
#include "bank/access.h"
#include "base/error.h"
#include "view/view.h"

#include <sodium.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define BODY_SMALL ((size_t)4096)

static int required(json_t *j, const char *name, const char **out)
{
	int rc = ob_http_json_str(j, name, out);

	if (rc == 0 && (!*out || !**out))
		rc = ob_error_set(OB_EINVALID, "%s: is required", name);
	return rc;
}

/* {"username","site","role"} of u, site null for a network-wide account. */
static void user_json(ob_buf *b, const ob_user *u)
{
	ob_buf_puts(b, "{\"username\":");
	ob_buf_json_str(b, u->username);
	ob_buf_puts(b, ",\"site\":");
	if (u->site[0])
		ob_buf_json_str(b, u->site);
	else
		ob_buf_puts(b, "null");
	ob_buf_puts(b, ",\"role\":");
	ob_buf_json_str(b, ob_role_name(u->role));
	ob_buf_putc(b, '}');
}

static int reply(ob_http_response *resp, int status, ob_buf *b)
{
	if (b->failed) {
		ob_buf_dispose(b);
		return ob_error_set(OB_ERROR, "out of memory building a response");
	}
	ob_http_json(resp, status, b);
	ob_buf_dispose(b);
	return 0;
}

/* The 429 answer: the usual error body (ob_http_error) with the seconds to
 * wait as error.retry_after, and as a Retry-After header. */
static int too_many(ob_http_response *resp, unsigned retry_after)
{
	json_t *j, *err;
	char *text = NULL;

	ob_http_error(resp, OB_ELIMIT);
	resp->retry_after = retry_after;
	j = json_loadb(resp->body.s, resp->body.len, 0, NULL);
	err = json_object_get(j, "error");
	if (err && json_object_set_new(err, "retry_after", json_integer(retry_after)) == 0)
		text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	if (!text)
		return 0;  /* the body without the member is still a true answer */
	ob_buf_clear(&resp->body);
	ob_buf_puts(&resp->body, text);
	free(text);
	return 0;
}

static int login(ob_http_request *req, ob_http_response *resp)
{
	static const char *const known[] = { "username", "password", NULL };
	const char *name, *password;
	char token[OB_TOKEN_HEX];
	ob_buf b = OB_BUF_INIT;
	unsigned wait = 0;
	json_t *j;
	ob_user u;
	int rc;

	if ((rc = ob_http_json_body(req, &j)) < 0)
		return rc;
	if ((rc = ob_h_json_known(j, known)) < 0
	    || (rc = required(j, "username", &name)) < 0 || (rc = required(j, "password", &password)) < 0
	    || (rc = ob_session_login(&req->cx, name, password, req->client, token, &u, &wait)) < 0) {
		json_decref(j);
		return rc == OB_ELIMIT ? too_many(resp, wait) : rc;
	}
	json_decref(j);
	ob_buf_puts(&b, "{\"token\":");
	ob_buf_json_str(&b, token);
	sodium_memzero(token, sizeof token);
	ob_buf_puts(&b, ",\"user\":");
	user_json(&b, &u);
	ob_buf_putc(&b, '}');
	return reply(resp, 200, &b);
}

static int logout(ob_http_request *req, ob_http_response *resp)
{
	ob_buf b = OB_BUF_INIT;
	int rc;

	if ((rc = ob_session_logout(&req->cx, req->token)) < 0)
		return rc;
	ob_buf_puts(&b, "{\"ok\":true}");
	return reply(resp, 200, &b);
}

static int me(ob_http_request *req, ob_http_response *resp)
{
	ob_buf b = OB_BUF_INIT;

	user_json(&b, &req->user);
	return reply(resp, 200, &b);
}

static int user_item(const ob_user *u, void *arg)
{
	if (json_array_append_new(arg, ob_view_user(u)) < 0)
		return ob_error_set(OB_ERROR, "users: out of memory");
	return 0;
}

static int users_list(ob_http_request *req, ob_http_response *resp)
{
	ob_buf b = OB_BUF_INIT;
	json_t *arr = json_array();
	int rc;

	if (!arr)
		return ob_error_set(OB_ERROR, "users: out of memory");
	if ((rc = ob_user_list(&req->cx, user_item, arr)) < 0) {
		json_decref(arr);
		return rc;
	}
	if ((rc = ob_view_dump(arr, &b)) < 0) {
		ob_buf_dispose(&b);
		return rc;
	}
	return reply(resp, 200, &b);
}

static int users_add(ob_http_request *req, ob_http_response *resp)
{
	static const char *const known[] = { "username", "site", "role", "password", NULL };
	const char *name, *site, *role, *password;
	ob_buf b = OB_BUF_INIT;
	json_t *j;
	ob_user u;
	int rc;

	if ((rc = ob_http_json_body(req, &j)) < 0)
		return rc;
	if ((rc = ob_h_json_known(j, known)) < 0
	    || (rc = required(j, "username", &name)) < 0 || (rc = ob_http_json_str(j, "site", &site)) < 0
	    || (rc = required(j, "role", &role)) < 0 || (rc = required(j, "password", &password)) < 0
	    || (rc = ob_user_add(&req->cx, name, site, role, password)) < 0
	    || (rc = ob_user_get(&req->cx, name, &u)) < 0) {
		json_decref(j);
		return rc;
	}
	json_decref(j);
	user_json(&b, &u);
	return reply(resp, 201, &b);
}

/* A user changes their own password; the current one is asked again, so a
 * token left on an unattended screen cannot take the account over, and
 * that check is limited like a login. The account's sessions end (this one
 * too): the client logs in again. */
static int me_password(ob_http_request *req, ob_http_response *resp)
{
	static const char *const known[] = { "current_password", "password", NULL };
	const char *current, *password;
	ob_buf b = OB_BUF_INIT;
	unsigned wait = 0;
	json_t *j;
	int rc;

	if ((rc = ob_http_json_body(req, &j)) < 0)
		return rc;
	if ((rc = ob_h_json_known(j, known)) == 0 && (rc = required(j, "current_password", &current)) == 0
	    && (rc = required(j, "password", &password)) == 0)
		rc = ob_user_change_own_password(&req->cx, current, password, req->client, &wait);
	json_decref(j);
	if (rc == OB_ELIMIT)
		return too_many(resp, wait);
	if (rc < 0)
		return rc;
	ob_buf_puts(&b, "{\"ok\":true}");
	return reply(resp, 200, &b);
}

static int users_disable(ob_http_request *req, ob_http_response *resp)
{
	static const char *const known[] = { NULL };
	ob_buf b = OB_BUF_INIT;
	json_t *j = NULL;
	ob_user u;
	int rc;

	/* No body needed; one given must be an empty JSON object. */
	if (req->body && req->body_len) {
		if ((rc = ob_http_json_body(req, &j)) == 0)
			rc = ob_h_json_known(j, known);
		json_decref(j);
		if (rc < 0)
			return rc;
	}
	if ((rc = ob_user_disable(&req->cx, req->params[0])) < 0
	    || (rc = ob_user_get(&req->cx, req->params[0], &u)) < 0)
		return rc;
	user_json(&b, &u);
	return reply(resp, 200, &b);
}

const ob_http_route ob_http_routes_auth[] = {
	{ "POST", "/api/login", login, 0, BODY_SMALL, "open a session", NULL, NULL },
	{ "POST", "/api/logout", logout, OB_ROLES_EVERY, BODY_SMALL, "end the session", NULL, NULL },
	{ "GET", "/api/me", me, OB_ROLES_EVERY, 0, "the logged-in user", NULL, NULL },
	{ "GET", "/api/users", users_list, OB_ROLE_ADMIN, 0, "accounts in scope (administrators)",
	  NULL, NULL },
	{ "POST", "/api/users", users_add, OB_ROLE_ADMIN, BODY_SMALL,
	  "add an account (administrators)", NULL, NULL },
	{ "POST", "/api/me/password", me_password, OB_ROLES_EVERY, BODY_SMALL,
	  "change one's own password (ends the account's sessions)", NULL, NULL },
	{ "POST", "/api/users/{username}/disable", users_disable, OB_ROLE_ADMIN, BODY_SMALL,
	  "disable an account and end its sessions (administrators)", NULL, NULL },
	{ NULL, NULL, NULL, 0, 0, NULL, NULL, NULL }
};
