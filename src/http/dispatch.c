/*
 * dispatch.c - the HTTP core without sockets (http.h): route matching over
 * the route tables, the login, role, body-limit, media-type, path and query
 * parameter checks made before any handler runs, the one error-to-HTTP
 * mapper, the JSON helpers, and query string decoding. server.c feeds it;
 * tests call it directly.
 */
#include "http/http.h"
#include "http/server.h"
#include "bank/access.h"
#include "bank/fields.h"
#include "base/error.h"
#include "base/text.h"
#include "base/util.h"
#include "store/store.h"

#include <math.h>
#include <stdint.h>
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

static const ob_http_route *const tables[] = { ob_http_routes_auth, ob_http_routes_bank,
	ob_http_routes_ops };

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
	if (code == OB_EINVALID || code == OB_ECONFLICT || code == OB_EEXISTS || code == OB_EPERM)
		field_of(msg, field, sizeof field);
	error_body(resp, status, word, msg, field);
}

/* The name of the i-th {capture} of pattern into out ("" when none). */
static void capture_name(const char *pat, int i, char *out, size_t n)
{
	out[0] = '\0';
	for (const char *p = pat; (p = strchr(p, '{')); p++) {
		const char *close = strchr(p, '}');
		if (!close)
			return;
		if (i-- == 0) {
			size_t len = (size_t)(close - p - 1);
			if (len < n) {
				memcpy(out, p + 1, len);
				out[len] = '\0';
			}
			return;
		}
	}
}

/* Path segments are text input too: each is checked as its field. */
static int check_path(const ob_http_route *r, const ob_http_request *req)
{
	char name[32];
	int rc;

	for (int i = 0; i < req->nparams; i++) {
		capture_name(r->pattern, i, name, sizeof name);
		if ((rc = ob_field_check(name, req->params[i], strlen(req->params[i]))) < 0)
			return rc;
	}
	return 0;
}

static bool in_vocab(const char *const *values, const char *w, size_t len)
{
	for (; values && *values; values++)
		if (strlen(*values) == len && !memcmp(*values, w, len))
			return true;
	return false;
}

/* "a, b, c" into out: the words a parameter takes. */
static void vocab_text(const char *const *values, char *out, size_t n)
{
	size_t used = 0;

	out[0] = '\0';
	for (; values && *values && used < n; values++)
		used += (size_t)snprintf(out + used, n - used, "%s%s", used ? ", " : "", *values);
}

static int check_param(const ob_http_param *p, const char *v)
{
	char words[400];
	int64_t x;
	int rc;

	if ((rc = ob_field_check(p->name, v, strlen(v))) < 0)
		return rc;
	switch (p->kind) {
	case OB_PARAM_TEXT:
		return 0;
	case OB_PARAM_INT:
		if (ob_parse_i64(v, &x) < 0 || x < p->min || x > p->max) {
			if (p->max == INT64_MAX)
				return ob_error_set(OB_EINVALID, "%s: '%s' is not a whole number from %lld"
					" up", p->name, v, p->min);
			return ob_error_set(OB_EINVALID, "%s: '%s' is not a whole number from %lld to"
				" %lld", p->name, v, p->min, p->max);
		}
		return 0;
	case OB_PARAM_ENUM:
		if (in_vocab(p->values, v, strlen(v)))
			return 0;
		vocab_text(p->values, words, sizeof words);
		return ob_error_set(OB_EINVALID, "%s: '%s' is not one of %s", p->name, v, words);
	case OB_PARAM_LIST:
		for (const char *w = v;;) {
			size_t len = strcspn(w, ",");
			if (!in_vocab(p->values, w, len)) {
				vocab_text(p->values, words, sizeof words);
				return ob_error_set(OB_EINVALID, "%s: '%.*s' is not one of %s (a list is"
					" comma-separated)", p->name, (int)len, w, words);
			}
			if (!w[len])
				return 0;
			w += len + 1;
		}
	}
	return 0;
}

/* Every query parameter must be one the route declares, given once, with
 * a value of its kind: a misspelt filter is an error, never an unfiltered
 * page. */
static int check_query(const ob_http_route *r, const ob_http_request *req)
{
	int rc;

	for (int i = 0; i < req->nquery; i++) {
		const char *k = req->qkey[i];
		const ob_http_param *p = r->query;

		if ((rc = ob_text_check("query", k, strlen(k), 64, 0)) < 0)
			return rc;
		while (p && p->name && strcmp(p->name, k))
			p++;
		if (!p || !p->name) {
			char names[400] = "";
			size_t used = 0;
			for (p = r->query; p && p->name && used < sizeof names; p++)
				used += (size_t)snprintf(names + used, sizeof names - used, "%s%s",
					used ? ", " : "", p->name);
			return ob_error_set(OB_EINVALID, "%s: is not a parameter of %s %s (%s%s)", k,
				r->method, r->pattern, used ? "it takes " : "it takes none", names);
		}
		for (int j = 0; j < i; j++)
			if (!strcmp(req->qkey[j], k))
				return ob_error_set(OB_EINVALID, "%s: given more than once", k);
		if ((rc = check_param(p, req->qval[i] ? req->qval[i] : "")) < 0)
			return rc;
	}
	return 0;
}

/* A body must be of the route's media type: JSON unless the route says
 * otherwise ("application/json; charset=utf-8" is JSON too). */
static bool media_ok(const ob_http_route *r, const char *ct)
{
	const char *want = r->media ? r->media : "application/json";
	size_t n = strlen(want);

	if (!ct)
		return false;
	while (*ct == ' ')
		ct++;
	if (strncasecmp(ct, want, n))
		return false;
	ct += n;
	while (*ct == ' ')
		ct++;
	if (*ct == '\0')
		return true;
	if (*ct != ';')
		return false;
	for (ct++; *ct == ' '; ct++)
		;
	return !strncasecmp(ct, "charset=utf-8", 13) || !strncasecmp(ct, "charset=\"utf-8\"", 15);
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
	req->cx = (ob_ctx){ .st = st, .actor = "anonymous", .role = ROLE_NOBODY,
		.method = req->method, .path = req->path, .client = req->client,
		.key_dir = req->key_dir };
	ob_error_clear();
	ob_access_refusal_reset();

	r = route_find(req->method, req->path, req, pbuf, sizeof pbuf, &known);
	req->route = r ? r->pattern : NULL;
	/* a path naming a direct identifier (an MRN) is recorded with a
	 * refusal as its pattern: the audit trail never holds such a value
	 * (bank/identifier.h) */
	if (r && strstr(r->pattern, "{mrn}"))
		req->cx.path = r->pattern;
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
	if (req->body_len && !media_ok(r, req->content_type)) {
		char msg[300];
		const char *ct = req->content_type;
		if (ct && ob_text_check("Content-Type", ct, strlen(ct), 200, 0) < 0)
			ct = "(not text)";
		snprintf(msg, sizeof msg, "Content-Type: %s %s takes a body of type %s (with"
			" charset=utf-8 or no charset), not %s%.60s%s", r->method, r->pattern,
			r->media ? r->media : "application/json", ct ? "'" : "", ct ? ct : "none",
			ct ? "'" : "");
		error_body(resp, 415, "unsupported_media_type", msg, "Content-Type");
		return;
	}
	if ((rc = check_path(r, req)) < 0 || (rc = check_query(r, req)) < 0)
		goto fail;
	rc = run_handler(st, r, req, resp);
	if (rc >= 0)
		return;
	/* refused by the domain (or a record hidden by the scope, answered "not
	 * found"): audited like a role refusal */
	ob_access_record_refusal(&req->cx, rc);
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
	int rc;

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return ob_error_set(OB_EINVALID, "%s: a string is expected", name);
	if ((rc = ob_field_check(name, json_string_value(v), json_string_length(v))) < 0)
		return rc;
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
