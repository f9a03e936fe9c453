/*
 * server.h - `oncobank serve`: the libmicrohttpd server around
 * ob_http_dispatch() (http.h), and the static web UI it also serves.
 *
 * The server runs its own threads (a pool of 2 x cores, epoll), gives each
 * request one of its own SQLite connections (never one shared by two
 * threads at once), reads a request's body only up to its route's limit
 * (413 beyond), and serves files of a web root for paths outside /api/.
 * The library prints nothing: what the server has to say (a request that
 * failed with an internal error) goes to opts->log.
 */
#ifndef OB_SERVER_H
#define OB_SERVER_H

#include "http/http.h"

#include <stddef.h>
#include <stdint.h>

typedef struct ob_server ob_server;

typedef struct ob_server_opts {
	const char *db_url;    /* the database every connection opens */
	const char *listen;    /* "HOST:PORT" ("[::1]:8080" for IPv6); port 0 picks one */
	const char *web_root;  /* directory of the static UI, or NULL for none */
	const char *tls_cert;  /* PEM certificate file: https (with tls_key) */
	const char *tls_key;   /* PEM private key file */
	unsigned threads;      /* worker threads; 0: twice the processors */
	const char *access_log; /* file to append one line per request to ("-":
	                           stderr), or NULL for none (docs/operations.md) */
	const char *key_dir;   /* the sites' keys of direct identifiers (ctx.h), or NULL */
	int wait_ms;           /* how long a write waits for a busy database before
	                          503: 0 the store's default, negative not at all */
	void (*log)(void *arg, const char *line);  /* one line, no newline; may be NULL */
	void *log_arg;
} ob_server_opts;

/* Starts serving in threads of its own and returns at once. *out is owned
 * by the caller: ob_server_stop(). OB_EINVALID for a bad listen address,
 * TLS file or web root; OB_ERROR when the socket cannot be opened. */
int ob_server_start(const ob_server_opts *opts, ob_server **out);
/* "http://127.0.0.1:8080/" (with the port actually bound); borrowed. */
const char *ob_server_url(const ob_server *srv);
/* Stops accepting, waits for the requests in flight and frees everything;
 * NULL is a no-op. */
void ob_server_stop(ob_server *srv);

/* From dispatch.c: the largest body the route for method and path accepts
 * (a small default when no route matches, so that the 404 or 405 is what
 * the client hears). */
size_t ob_http_body_limit(const char *method, const char *path);

/* From dispatch.c: decodes %XX escapes (and '+' as a space when plus is
 * set) in place. OB_EINVALID for a malformed escape or an encoded NUL. */
int ob_http_url_decode(char *s, int plus);
/* From dispatch.c: splits a query string ("a=1&b=x%20y") in place into
 * req->qkey/qval, decoded; parameters past OB_HTTP_MAX_QUERY are an
 * OB_EINVALID. */
int ob_http_parse_query(ob_http_request *req, char *qs);

/* From static.c: the file of the web root root (an absolute, resolved
 * path) that the URL path names ("/" is index.html). Opens it into *fd
 * (the caller closes it) with its size and MIME type. OB_EPERM for a path
 * with "..", an encoded or odd character, or one resolving outside root;
 * OB_ENOTFOUND for a missing file or a directory (no listings). */
int ob_http_static_open(const char *root, const char *path, int *fd, uint64_t *size,
                        const char **mime);

#endif
