/*
 * dispatch.c - the HTTP core without sockets (http.h): route matching over
 * the route tables, the login, role and body-limit checks made before any
 * handler runs, the one error-to-HTTP mapper, the JSON helpers, and query
 * string decoding. server.c feeds it; tests call it directly.
 */
#include "http/http.h"
#include "http/server.h"
#include "bank/access.h"
#include "base/error.h"
#include "base/util.h"
#include "store/store.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* The role of a request that is not logged in: no bit of a real role, so
 * that a public handler's context is refused every change. Role 0 would be
 * the local operator, who may do everything. */
#define ROLE_NOBODY (1u << 30)

/* Body limit of a request that matches no route: enough for the 404. */
#define BODY_UNROUTED ((size_t)4096)

#define PARAM_SPACE 1024

static const ob_http_route *const tables[] = { ob_http_routes_auth, ob_http_routes_bank };

/* Matches path against pattern, capturing {name} segments into buf. */
static bool match(const char *pat, const char *path, const char **params, int *nparams,
                  char *buf, size_t cap)
{
	size_t used = 0;
	int n = 0;

	while (*pat && *path) {
		if (*pat == '{') {
			const char *close = strchr(pat, '}');
			size_t len = strcspn(path, "/");
			if (!close || len == 0 || n >= OB_HTTP_MAX_PARAMS || used + len + 1 > cap)
				return false;
			if (params) {
				memcpy(buf + used, path, len);
				buf[used + len] = '\0';
				params[n] = buf + used;
			}
			n++;
			used += len + 1;
			pat = close + 1;
			path += len;
		} else if (*pat++ != *path++) {
			return false;
		}
	}
	if (*pat || *path)
		return false;
	if (nparams)
		*nparams = n;
	return true;
}

/* The route for method and path (captures into req when given); NULL when
 * none, with *known set when the path exists under another method. */
static const ob_http_route *route_find(const char *method, const char *path, ob_http_request *req,
                                       char *buf, size_t cap, bool *known)
{
	*known = false;
	if (!method || !path)
		return NULL;
	for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
		for (const ob_http_route *r = tables[t]; r->method; r++) {
			if (!match(r->pattern, path, NULL, NULL, NULL, cap))
				continue;
			if (strcmp(r->method, method)) {
				*known = true;
				continue;
			}
			if (req)
				match(r->pattern, path, req->params, &req->nparams, buf, cap);
			return r;
		}
	return NULL;
}

size_t ob_http_body_limit(const char *method, const char *path)
{
	bool known;
	const ob_http_route *r = route_find(method, path, NULL, NULL, PARAM_SPACE, &known);

	return r ? r->max_body : BODY_UNROUTED;
}

static void error_body(ob_http_response *resp, int status, const char *code, const char *msg,
                       const char *field)
{
	ob_buf *b = &resp->body;

	resp->status = status;
	resp->content_type = "application/json";
	resp->disposition[0] = '\0';
	ob_buf_clear(b);
	ob_buf_puts(b, "{\"error\":{\"code\":");
	ob_buf_json_str(b, code);
	ob_buf_puts(b, ",\"message\":");
	ob_buf_json_str(b, msg);
	ob_buf_puts(b, ",\"field\":");
	if (field && *field)
		ob_buf_json_str(b, field);
	else
		ob_buf_puts(b, "null");
	ob_buf_puts(b, "}}");
}

static bool field_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
	       || c == '.' || c == '-' || c == '[' || c == ']';
}

/* "type: ..." -> "type"; "FILE:LINE: column: ..." -> "column"; "" when the
 * message names no field. */
static void field_of(const char *msg, char *out, size_t n)
{
	const char *p = msg, *sep = strstr(p, ": ");
	size_t len;

	out[0] = '\0';
	if (!sep)
		return;
	/* A FILE:LINE prefix: a colon followed by digits only. */
	const char *colon = memchr(p, ':', (size_t)(sep - p));
	if (colon && colon + 1 < sep && strspn(colon + 1, "0123456789") == (size_t)(sep - colon - 1)) {
		p = sep + 2;
		if (!(sep = strstr(p, ": ")))
			return;
	}
	len = (size_t)(sep - p);
	if (len == 0 || len >= n)
		return;
	for (size_t i = 0; i < len; i++)
		if (!field_char(p[i]))
			return;
	memcpy(out, p, len);
	out[len] = '\0';
}

void ob_http_error(ob_http_response *resp, int code)
{
	static const struct {
		int code, status;
		const char *word;
	} map[] = {
		{ OB_EINVALID, 400, "invalid" },
		{ OB_EUSAGE, 400, "invalid" },
		{ OB_EAUTH, 401, "unauthorized" },
		{ OB_EPERM, 403, "forbidden" },
		{ OB_ENOTFOUND, 404, "not_found" },
		{ OB_EEXISTS, 409, "conflict" },
		{ OB_ECONFLICT, 409, "conflict" },
		{ OB_ETOOBIG, 413, "too_large" },
		{ OB_ELIMIT, 429, "too_many" },
		{ OB_ERETRY, 503, "busy" },
	};
	const char *msg = ob_error_last();
	char field[64] = "";
	int status = 500;
	const char *word = "internal";

	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (map[i].code == code) {
			status = map[i].status;
			word = map[i].word;
		}
	if (code == OB_ERETRY) {
		/* Busy beyond the wait budget: the client may try again later. */
		resp->retry_after = OB_HTTP_RETRY_AFTER;
		msg = "the database is busy (another writer holds it); try again later";
	} else if (status == 500)
		/* Database and system messages stay in the server's log. */
		msg = "internal error; the server log has the details";
	else if (!*msg)
		msg = ob_error_name(code);
	/* Bad input and conflicts name their field first ("position: A1 of B1
	 * is taken by ..."): the client can show the message at the field. */
	if (code == OB_EINVALID || code == OB_ECONFLICT || code == OB_EEXISTS)
		field_of(msg, field, sizeof field);
	error_body(resp, status, word, msg, field);
}

/* Ends a transaction a failed handler left open, so the connection goes
 * back to the pool clean. */
static void txn_cleanup(ob_store *st)
{
	for (int i = 0; i < 32 && ob_store_in_txn(st); i++)
		ob_store_rollback(st);
}

/* Runs the handler; when it fails with OB_ERETRY having committed nothing
 * (its rollback undid all it did, and a response is only written on
 * success), runs it again with back-off within the store's wait budget. */
static int run_handler(ob_store *st, const ob_http_route *r, ob_http_request *req,
                       ob_http_response *resp)
{
	ob_store_retry retry = { 0 };
	uint64_t commits = ob_store_commits(st);
	int rc;

	for (;;) {
		rc = r->fn(req, resp);
		txn_cleanup(st);
		if (rc != OB_ERETRY || ob_store_commits(st) != commits
		    || !ob_store_retry_wait(st, &retry))
			return rc;
		resp->status = 200;
		resp->content_type = "application/json";
		resp->disposition[0] = '\0';
		ob_buf_clear(&resp->body);
		ob_error_clear();
	}
}

static int login_check(ob_http_request *req)
{
	const char *auth = req->authorization, *token;
	int rc;

	if (!auth || strncasecmp(auth, "Bearer ", 7))
		return ob_error_set(OB_EAUTH, "not logged in: send 'Authorization: Bearer TOKEN'"
			" (POST /api/login gives one)");
	token = auth + 7;
	while (*token == ' ')
		token++;
	if ((rc = ob_session_check(&req->cx, token, &req->user)) < 0)
		return rc;
	req->token = token;
	ob_ctx_as(&req->cx, &req->user);
	return 0;
}

void ob_http_dispatch(ob_store *st, ob_http_request *req, ob_http_response *resp)
{
	char pbuf[PARAM_SPACE];
	const ob_http_route *r;
	bool known;
	int rc;

	resp->status = 200;
	resp->content_type = "application/json";
	resp->disposition[0] = '\0';
	resp->retry_after = 0;
	ob_buf_clear(&resp->body);
	memset(&req->user, 0, sizeof req->user);
	req->token = NULL;
	req->nparams = 0;
	req->cx = (ob_ctx){ .st = st, .actor = "anonymous", .role = ROLE_NOBODY };
	ob_error_clear();

	r = route_find(req->method, req->path, req, pbuf, sizeof pbuf, &known);
	if (!r) {
		char msg[300];
		snprintf(msg, sizeof msg, known ? "%s is not allowed on %.200s" : "%s %.200s: no such route",
			req->method ? req->method : "?", req->path ? req->path : "?");
		if (known)
			error_body(resp, 405, "method_not_allowed", msg, NULL);
		else
			error_body(resp, 404, "not_found", msg, NULL);
		return;
	}
	if (r->roles) {
		if ((rc = login_check(req)) < 0)
			goto fail;
		if (!(r->roles & req->user.role)) {
			char what[300];
			ob_error_set(OB_EPERM, "permission denied: a %s cannot use %s %s",
				ob_role_name(req->user.role), r->method, r->pattern);
			ob_strlcpy(what, ob_error_last(), sizeof what);
			ob_access_record_denial(&req->cx, what);
			ob_error_set(OB_EPERM, "%s", what);
			rc = OB_EPERM;
			goto fail;
		}
	}
	if (req->body_len > r->max_body) {
		rc = ob_error_set(OB_ETOOBIG, "body: larger than the %zu bytes %s %s accepts",
			r->max_body, r->method, r->pattern);
		goto fail;
	}
	rc = run_handler(st, r, req, resp);
	if (rc >= 0)
		return;
	if (rc == OB_EPERM)  /* refused by the domain: audited like a role refusal */
		ob_access_record_denial(&req->cx, ob_error_last());
fail:
	ob_http_error(resp, rc);
}

const char *ob_http_query(const ob_http_request *req, const char *name)
{
	for (int i = 0; i < req->nquery; i++)
		if (req->qkey[i] && !strcmp(req->qkey[i], name))
			return req->qval[i] ? req->qval[i] : "";
	return NULL;
}

int ob_http_json_body(const ob_http_request *req, json_t **out)
{
	json_error_t err;
	json_t *j;

	*out = NULL;
	if (!req->body || req->body_len == 0)
		return ob_error_set(OB_EINVALID, "body: a JSON object is expected, the body is empty");
	j = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &err);
	if (!j)
		return ob_error_set(OB_EINVALID, "body: not valid JSON (line %d, column %d: %s)",
			err.line, err.column, err.text);
	if (!json_is_object(j)) {
		json_decref(j);
		return ob_error_set(OB_EINVALID, "body: a JSON object is expected");
	}
	*out = j;
	return 0;
}

int ob_http_json_str(json_t *obj, const char *name, const char **out)
{
	json_t *v = json_object_get(obj, name);

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return ob_error_set(OB_EINVALID, "%s: a string is expected", name);
	*out = json_string_value(v);
	return 0;
}

int ob_http_json_num(json_t *obj, const char *name, double *out)
{
	json_t *v = json_object_get(obj, name);

	*out = NAN;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_number(v))
		return ob_error_set(OB_EINVALID, "%s: a number is expected", name);
	*out = json_number_value(v);
	return 0;
}

int ob_http_json_int(json_t *obj, const char *name, long long def, long long *out)
{
	json_t *v = json_object_get(obj, name);

	*out = def;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v))
		return ob_error_set(OB_EINVALID, "%s: a whole number is expected", name);
	*out = (long long)json_integer_value(v);
	return 0;
}

void ob_http_json(ob_http_response *resp, int status, ob_buf *b)
{
	ob_buf old = resp->body;
	size_t max = b->max;

	resp->status = status;
	resp->content_type = "application/json";
	resp->body = *b;
	resp->body.max = 0;
	ob_buf_dispose(&old);
	ob_buf_init(b, max);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int ob_http_url_decode(char *s, int plus)
{
	char *w = s;

	for (const char *r = s; *r; r++) {
		if (*r == '%') {
			int hi = hexval(r[1]), lo = hi < 0 ? -1 : hexval(r[2]);
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				return ob_error_set(OB_EINVALID, "url: malformed %%-escape");
			*w++ = (char)(hi * 16 + lo);
			r += 2;
		} else if (*r == '+' && plus) {
			*w++ = ' ';
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
	return 0;
}

int ob_http_parse_query(ob_http_request *req, char *qs)
{
	char *p = qs;
	int rc;

	req->nquery = 0;
	while (p && *p) {
		char *amp = strchr(p, '&'), *eq;
		if (amp)
			*amp = '\0';
		if (*p) {
			if (req->nquery >= OB_HTTP_MAX_QUERY)
				return ob_error_set(OB_EINVALID, "query: more than %d parameters",
					OB_HTTP_MAX_QUERY);
			eq = strchr(p, '=');
			if (eq)
				*eq = '\0';
			if ((rc = ob_http_url_decode(p, 1)) < 0
			    || (eq && (rc = ob_http_url_decode(eq + 1, 1)) < 0))
				return rc;
			req->qkey[req->nquery] = p;
			req->qval[req->nquery] = eq ? eq + 1 : "";
			req->nquery++;
		}
		p = amp ? amp + 1 : NULL;
	}
	return 0;
}
