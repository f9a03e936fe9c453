/*
 * http.h - the HTTP/JSON face of oncobank: routes, requests, responses.
 *
 * The server (server.c, libmicrohttpd) turns each request into an
 * ob_http_request, finds its route in the route tables, checks the login
 * and the route's roles and body limit BEFORE the handler runs, then calls
 * the handler. Handlers are thin: parse, call the domain with req->cx (which
 * acts as the logged-in user), encode. A handler returns 0 with the response
 * filled, or a negative OB_E* code with ob_error_set() called: one mapper
 * (ob_http_error) turns that into the JSON error body
 * {"error":{"code","message","field"}} and the status (400 invalid, 401 not
 * authenticated, 403 permission denied, 404 not found, 409 conflict or
 * exists, 413 too large, 429 too many attempts, 503 "busy" with
 * Retry-After when the database stayed busy (OB_ERETRY), 500 otherwise).
 * A handler that fails with OB_ERETRY having committed nothing is run
 * again (with back-off, within the store's wait budget) before that. Before
 * the handler, the dispatcher also answers 415 for a body not of the route's
 * media type, and 400 for a query parameter the route does not declare or
 * a value outside its kind, and for a path segment that is not text. For
 * OB_EINVALID, OB_ECONFLICT, OB_EEXISTS and OB_EPERM the field is the
 * message's prefix before ": " ("type: ..." ->
 * "type"; "FILE:LINE: column: ..." -> "column").
 *
 * Handlers can be called without sockets: build an ob_http_request, call
 * ob_http_dispatch() (routing and checks included) or the handler itself.
 */
#ifndef OB_HTTP_H
#define OB_HTTP_H

#include "bank/ctx.h"
#include "bank/user.h"
#include "base/buf.h"

#include <jansson.h>
#include <stddef.h>

#define OB_HTTP_MAX_PARAMS 4
#define OB_HTTP_MAX_QUERY 32

typedef struct ob_http_request {
	const char *method;                   /* "GET", "POST", ... */
	const char *path;                     /* decoded path, no query string */
	const char *params[OB_HTTP_MAX_PARAMS];  /* {name} captures, in pattern order */
	int nparams;
	const char *qkey[OB_HTTP_MAX_QUERY];  /* query string, decoded */
	const char *qval[OB_HTTP_MAX_QUERY];
	int nquery;
	const char *body;                     /* NUL-terminated; may be NULL */
	size_t body_len;
	const char *content_type;
	const char *authorization;            /* the Authorization header, or NULL */
	const char *client;                   /* client address ("127.0.0.1") */
	ob_ctx cx;                            /* store + acting user, set by dispatch */
	ob_user user;                         /* the logged-in user (routes with roles) */
	const char *token;                    /* the session token, when logged in */
	const char *route;                    /* the matched route's pattern (static
	                                         text), set by dispatch; NULL when none */
} ob_http_request;

typedef struct ob_http_response {
	int status;                 /* 200 unless set */
	const char *content_type;   /* "application/json" unless set; static text */
	ob_buf body;
	char disposition[160];      /* Content-Disposition value, or "" */
	unsigned retry_after;       /* seconds: a Retry-After header when > 0 */
} ob_http_response;

/* Retry-After of a 503 answered when the database stays busy beyond the
 * store's wait budget (another writer, such as a long import, holds it). */
#define OB_HTTP_RETRY_AFTER 5

typedef int (*ob_http_handler)(ob_http_request *req, ob_http_response *resp);

/* What a query parameter's value may be. */
typedef enum ob_http_param_kind {
	OB_PARAM_TEXT,  /* text within the field's length (bank/fields.h) */
	OB_PARAM_INT,   /* a whole number from min to max */
	OB_PARAM_ENUM,  /* one word of values */
	OB_PARAM_LIST   /* words of values separated by commas ("storage,genetic") */
} ob_http_param_kind;

/* A query parameter a route accepts; the dispatcher refuses any other, and
 * a value of the wrong kind, before the handler runs (OB_EINVALID naming
 * the parameter). openapi.json lists the same, with the same enums and
 * ranges (test_routes_bank.c compares them). */
typedef struct ob_http_param {
	const char *name;
	ob_http_param_kind kind;
	const char *const *values;  /* ENUM, LIST: the vocabulary, NULL-ended */
	long long min, max;         /* INT: the range */
} ob_http_param;

typedef struct ob_http_route {
	const char *method;
	const char *pattern;     /* "/api/specimens/{barcode}"; {x} matches one segment */
	ob_http_handler fn;
	unsigned roles;          /* OB_ROLE_* mask allowed; 0: public (no login) */
	size_t max_body;         /* bytes; 0: no body accepted */
	const char *summary;     /* one line, also the OpenAPI summary */
	const ob_http_param *query;  /* accepted query parameters, ended by a NULL name;
	                              * NULL: none */
	const char *media;       /* the body's media type; NULL: application/json */
} ob_http_route;

/* The route tables, each ended by an entry whose method is NULL. */
extern const ob_http_route ob_http_routes_auth[];  /* login, logout, me, users */
extern const ob_http_route ob_http_routes_bank[];  /* sites .. export, stats */
extern const ob_http_route ob_http_routes_ops[];   /* /healthz, /metrics, audit head */

#define OB_ROLES_ANY 63u
/* every role, the study researcher's (ctx.h OB_ROLE_STUDY) too: the routes
 * of one's own account (me, logout, password) */
#define OB_ROLES_EVERY 127u

/* The reference and gene models reports annotate with (NULL, NULL: none);
 * set once before the server starts (h_sequencing.c). */
void ob_http_set_genome(const char *fasta, const char *gff);

/* Routes, checks and calls the handler; always fills resp (errors too). */
void ob_http_dispatch(ob_store *st, ob_http_request *req, ob_http_response *resp);

/* Fills resp with the JSON error for code and the last error message. */
void ob_http_error(ob_http_response *resp, int code);

/* The value of query parameter name, or NULL. */
const char *ob_http_query(const ob_http_request *req, const char *name);

/* Parses the body as a JSON object; OB_EINVALID "body: ..." when it is not
 * one. The caller owns *out (json_decref). */
int ob_http_json_body(const ob_http_request *req, json_t **out);

/* Reads member name of obj as a string (NULL when absent or null);
 * OB_EINVALID naming the field when it has another type, or is not text
 * within the field's length (bank/fields.h: UTF-8, no control character). */
int ob_http_json_str(json_t *obj, const char *name, const char **out);
/* The same for numbers (NaN when absent) and integers (def when absent). */
int ob_http_json_num(json_t *obj, const char *name, double *out);
int ob_http_json_int(json_t *obj, const char *name, long long def, long long *out);

/* Sets a 200 JSON response taking the text in b (b is emptied). */
void ob_http_json(ob_http_response *resp, int status, ob_buf *b);

#endif
