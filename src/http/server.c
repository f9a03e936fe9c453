/*
 * server.c - the libmicrohttpd server of `oncobank serve` (server.h).
 *
 * MHD runs a pool of worker threads over epoll. A request's life: the URI
 * log callback keeps the raw URI (decoded here, not by MHD, so that an
 * encoded "..", "%2e%2e", is seen for what it is); the first call of
 * answer() looks up the route's body limit and refuses an announced
 * Content-Length above it; the body is accumulated up to the limit and
 * dropped beyond it (413); the last call borrows a database connection
 * from the pool, dispatches (dispatch.c) and queues the response. Paths
 * outside /api/ are files of the web root (static.c).
 */
#include "http/server.h"
#include "base/buf.h"
#include "base/error.h"
#include "base/util.h"
#include "store/store.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <errno.h>
#include <limits.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define PEM_MAX ((size_t)1 << 20)

struct ob_server {
	struct MHD_Daemon *d;
	char *db_url;
	char root[PATH_MAX];   /* resolved web root, or "" */
	char url[300];
	char *cert, *key;      /* PEM texts: MHD reads them until it stops */
	int wait_ms;           /* ob_server_opts.wait_ms */
	void (*log)(void *arg, const char *line);
	void *log_arg;
	/* One connection per worker: a request borrows a free one. */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	ob_store **pool;
	bool *busy;
	unsigned npool;
};

/* What the server keeps about one request between answer() calls. */
typedef struct conn {
	char *uri;          /* raw, as received */
	bool started;
	bool too_big;
	size_t limit;
	ob_buf body;
} conn;

static void logf_(ob_server *srv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void logf_(ob_server *srv, const char *fmt, ...)
{
	char line[600];
	va_list ap;

	if (!srv->log)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	srv->log(srv->log_arg, line);
}

static void set_wait(const ob_server *srv, ob_store *st)
{
	if (srv->wait_ms)
		ob_store_set_wait(st, srv->wait_ms < 0 ? 0 : (unsigned)srv->wait_ms);
}

static ob_store *pool_get(ob_server *srv)
{
	ob_store *st = NULL;
	unsigned i;

	pthread_mutex_lock(&srv->mu);
	for (;;) {
		for (i = 0; i < srv->npool && srv->busy[i]; i++)
			;
		if (i < srv->npool)
			break;
		pthread_cond_wait(&srv->cv, &srv->mu);
	}
	srv->busy[i] = true;
	st = srv->pool[i];
	pthread_mutex_unlock(&srv->mu);
	if (!st) {
		/* Opened outside the lock: opening may wait on the database. */
		if (ob_store_open(&st, srv->db_url) < 0) {
			logf_(srv, "database %s: %s", srv->db_url, ob_error_last());
			st = NULL;
		} else {
			set_wait(srv, st);
		}
		pthread_mutex_lock(&srv->mu);
		srv->pool[i] = st;
		if (!st)
			srv->busy[i] = false;
		pthread_mutex_unlock(&srv->mu);
	}
	return st;
}

static void pool_put(ob_server *srv, ob_store *st)
{
	pthread_mutex_lock(&srv->mu);
	for (unsigned i = 0; i < srv->npool; i++)
		if (srv->pool[i] == st && srv->busy[i]) {
			srv->busy[i] = false;
			break;
		}
	pthread_cond_signal(&srv->cv);
	pthread_mutex_unlock(&srv->mu);
}

static void *uri_log(void *cls, const char *uri, struct MHD_Connection *c)
{
	conn *k = calloc(1, sizeof *k);

	(void)cls;
	(void)c;
	if (!k)
		return NULL;
	k->uri = strdup(uri ? uri : "/");
	if (!k->uri) {
		free(k);
		return NULL;
	}
	return k;
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
	conn *k = *con_cls;

	(void)cls;
	(void)c;
	(void)toe;
	if (!k)
		return;
	ob_buf_dispose(&k->body);
	free(k->uri);
	free(k);
	*con_cls = NULL;
}

static void add_common_headers(struct MHD_Response *r)
{
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
}

/* Queues resp (its body handed to MHD). */
static enum MHD_Result send_resp(struct MHD_Connection *c, ob_http_response *resp)
{
	struct MHD_Response *r;
	enum MHD_Result ret;
	size_t len = resp->body.len;

	if (len) {
		char *text = ob_buf_detach(&resp->body);
		r = MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
		if (!r)
			free(text);
	} else {
		r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	}
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type",
		resp->content_type ? resp->content_type : "application/json");
	MHD_add_response_header(r, "Cache-Control", "no-store");
	if (resp->disposition[0])
		MHD_add_response_header(r, "Content-Disposition", resp->disposition);
	if (resp->status == 401)
		MHD_add_response_header(r, "WWW-Authenticate", "Bearer");
	if (resp->retry_after > 0) {
		char ra[16];
		snprintf(ra, sizeof ra, "%d", resp->retry_after);
		MHD_add_response_header(r, "Retry-After", ra);
	}
	add_common_headers(r);
	ret = MHD_queue_response(c, (unsigned)resp->status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result send_error(struct MHD_Connection *c, int code)
{
	ob_http_response resp = { .status = 200, .body = OB_BUF_INIT };
	enum MHD_Result ret;

	ob_http_error(&resp, code);
	ret = send_resp(c, &resp);
	ob_buf_dispose(&resp.body);
	return ret;
}

static void client_of(struct MHD_Connection *c, char *out, size_t n)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	ob_strlcpy(out, "unknown", n);
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
			(socklen_t)n);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
			(socklen_t)n);
}

static bool is_api(const char *path)
{
	return !strncmp(path, "/api/", 5) || !strcmp(path, "/api");
}

static enum MHD_Result serve_static(ob_server *srv, struct MHD_Connection *c, const char *method,
                                    const char *path)
{
	struct MHD_Response *r;
	const char *mime;
	enum MHD_Result ret;
	uint64_t size;
	int fd, rc;

	if (strcmp(method, "GET") && strcmp(method, "HEAD")) {
		ob_http_response resp = { .body = OB_BUF_INIT };
		ob_buf_puts(&resp.body, "{\"error\":{\"code\":\"method_not_allowed\",\"message\":"
			"\"only GET reads the web interface's files\",\"field\":null}}");
		resp.status = 405;
		ret = send_resp(c, &resp);
		ob_buf_dispose(&resp.body);
		return ret;
	}
	if (!srv->root[0])
		rc = ob_error_set(OB_ENOTFOUND, "no web interface is served here");
	else
		rc = ob_http_static_open(srv->root, path, &fd, &size, &mime);
	if (rc < 0)
		return send_error(c, rc);
	r = MHD_create_response_from_fd64(size, fd);
	if (!r) {
		close(fd);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", mime);
	MHD_add_response_header(r, "Cache-Control", "no-cache");
	add_common_headers(r);
	ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result serve_api(ob_server *srv, struct MHD_Connection *c, const char *method,
                                 char *path, char *query, conn *k)
{
	ob_http_request req = { 0 };
	ob_http_response resp = { .status = 200, .body = OB_BUF_INIT };
	char client[INET6_ADDRSTRLEN + 1];
	enum MHD_Result ret;
	ob_store *st;
	int rc;

	if (query && (rc = ob_http_parse_query(&req, query)) < 0)
		return send_error(c, rc);
	client_of(c, client, sizeof client);
	req.method = method;
	req.path = path;
	req.body = k->body.len ? k->body.s : NULL;
	req.body_len = k->body.len;
	req.content_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
	req.authorization = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
	req.client = client;
	if (!(st = pool_get(srv)))
		return send_error(c, ob_error_set(OB_ERROR, "no database connection"));
	ob_http_dispatch(st, &req, &resp);
	if (resp.status >= 500)
		/* The message only: never a body, a header or a token. */
		logf_(srv, "%s %s: %d: %s", method, path, resp.status, ob_error_last());
	pool_put(srv, st);
	ret = send_resp(c, &resp);
	ob_buf_dispose(&resp.body);
	return ret;
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
	ob_server *srv = cls;
	conn *k = *con_cls;
	char *path, *query;
	enum MHD_Result ret;

	(void)url;
	(void)version;
	if (!k)
		return MHD_NO;
	if (!k->started) {
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
		char *q;
		int64_t n = 0;

		k->started = true;
		/* The route's limit, from the path as it will be decoded. */
		path = strdup(k->uri);
		if (!path)
			return MHD_NO;
		if ((q = strchr(path, '?')))
			*q = '\0';
		k->limit = ob_http_url_decode(path, 0) == 0 && is_api(path)
			? ob_http_body_limit(method, path) : 0;
		free(path);
		ob_buf_init(&k->body, k->limit);
		if (cl && ob_parse_i64(cl, &n) == 0 && n > (int64_t)k->limit)
			return send_error(c, ob_error_set(OB_ETOOBIG, "body: larger than the %zu bytes"
				" this route accepts", k->limit));
		return MHD_YES;
	}
	if (*upload_size) {
		if (!k->too_big && ob_buf_put(&k->body, upload, *upload_size) < 0) {
			/* Stop keeping it; the rest is read and dropped. */
			k->too_big = true;
			ob_buf_dispose(&k->body);
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (k->too_big)
		return send_error(c, ob_error_set(OB_ETOOBIG, "body: larger than the %zu bytes this"
			" route accepts", k->limit));
	path = k->uri;
	query = strchr(path, '?');
	if (query)
		*query++ = '\0';
	if (ob_http_url_decode(path, 0) < 0)
		return send_error(c, OB_EINVALID);
	if (is_api(path))
		ret = serve_api(srv, c, method, path, query, k);
	else
		ret = serve_static(srv, c, method, path);
	return ret;
}

static int read_pem(const char *file, const char *what, char **out)
{
	ob_buf b = OB_BUF_INIT;
	char chunk[4096];
	size_t n;
	FILE *f = fopen(file, "rb");

	if (!f)
		return ob_error_set(OB_EINVALID, "%s: cannot read %s: %s", what, file, strerror(errno));
	ob_buf_init(&b, PEM_MAX);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (ob_buf_put(&b, chunk, n) < 0)
			break;
	fclose(f);
	if (b.failed || b.len == 0) {
		ob_buf_dispose(&b);
		return ob_error_set(OB_EINVALID, "%s: %s is empty or too large", what, file);
	}
	*out = ob_buf_detach(&b);
	return 0;
}

/* "HOST:PORT" or "[V6]:PORT" into an address. */
static int parse_listen(const char *listen, struct sockaddr_storage *ss, socklen_t *sslen,
                        char *host, size_t hn, uint16_t *port)
{
	struct addrinfo hints = { 0 }, *ai = NULL;
	const char *colon, *h = listen;
	size_t len;
	int64_t p;

	if (!listen || !*listen)
		return ob_error_set(OB_EINVALID, "listen: HOST:PORT expected");
	if (*h == '[') {
		const char *close = strchr(h, ']');
		if (!close || close[1] != ':')
			return ob_error_set(OB_EINVALID, "listen: '%s' is not [ADDRESS]:PORT", listen);
		len = (size_t)(close - h - 1);
		h++;
		colon = close + 1;
	} else {
		colon = strrchr(h, ':');
		if (!colon)
			return ob_error_set(OB_EINVALID, "listen: '%s' is not HOST:PORT", listen);
		len = (size_t)(colon - h);
	}
	if (len == 0 || len >= hn)
		return ob_error_set(OB_EINVALID, "listen: '%s' has no host", listen);
	memcpy(host, h, len);
	host[len] = '\0';
	if (ob_parse_i64(colon + 1, &p) < 0 || p < 0 || p > 65535)
		return ob_error_set(OB_EINVALID, "listen: '%s' is not a port (0 to 65535)", colon + 1);
	*port = (uint16_t)p;
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	if (getaddrinfo(host, colon + 1, &hints, &ai) != 0 || !ai)
		return ob_error_set(OB_EINVALID, "listen: cannot resolve '%s'", host);
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*sslen = ai->ai_addrlen;
	freeaddrinfo(ai);
	return 0;
}

static unsigned processors(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 && n < 256 ? (unsigned)n : 2;
}

int ob_server_start(const ob_server_opts *o, ob_server **out)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	char host[256];
	uint16_t port = 0;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL;
	const union MHD_DaemonInfo *di;
	ob_server *srv;
	int rc;

	*out = NULL;
	if ((rc = parse_listen(o->listen, &ss, &sslen, host, sizeof host, &port)) < 0)
		return rc;
	if (!(srv = calloc(1, sizeof *srv)))
		return ob_error_set(OB_ERROR, "out of memory");
	pthread_mutex_init(&srv->mu, NULL);
	pthread_cond_init(&srv->cv, NULL);
	srv->log = o->log;
	srv->log_arg = o->log_arg;
	srv->wait_ms = o->wait_ms;
	srv->npool = o->threads ? o->threads : 2 * processors();
	srv->db_url = strdup(o->db_url ? o->db_url : "oncobank.db");
	srv->pool = calloc(srv->npool, sizeof *srv->pool);
	srv->busy = calloc(srv->npool, sizeof *srv->busy);
	if (!srv->db_url || !srv->pool || !srv->busy) {
		rc = ob_error_set(OB_ERROR, "out of memory");
		goto fail;
	}
	if (o->web_root && *o->web_root) {
		struct stat sb;
		if (!realpath(o->web_root, srv->root) || stat(srv->root, &sb) < 0 || !S_ISDIR(sb.st_mode)) {
			rc = ob_error_set(OB_EINVALID, "web: '%s' is not a directory", o->web_root);
			goto fail;
		}
	}
	/* The first connection migrates the database and proves it opens. */
	if ((rc = ob_store_open(&srv->pool[0], srv->db_url)) < 0)
		goto fail;
	set_wait(srv, srv->pool[0]);
	if (o->tls_cert || o->tls_key) {
		if (!o->tls_cert || !o->tls_key) {
			rc = ob_error_set(OB_EINVALID, "tls: --tls-cert and --tls-key go together");
			goto fail;
		}
		if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
			rc = ob_error_set(OB_EINVALID, "tls: this libmicrohttpd has no TLS support");
			goto fail;
		}
		if ((rc = read_pem(o->tls_cert, "tls-cert", &srv->cert)) < 0
		    || (rc = read_pem(o->tls_key, "tls-key", &srv->key)) < 0)
			goto fail;
		flags |= MHD_USE_TLS;
	}
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	srv->d = MHD_start_daemon(flags, port, NULL, NULL, answer, srv,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_THREAD_POOL_SIZE, srv->npool,
		MHD_OPTION_URI_LOG_CALLBACK, uri_log, NULL,
		MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
		srv->cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, srv->cert,
		MHD_OPTION_HTTPS_MEM_KEY, srv->key,
		MHD_OPTION_END);
	if (!srv->d) {
		rc = ob_error_set(OB_ERROR, "cannot listen on %s (address in use, or not allowed)",
			o->listen);
		goto fail;
	}
	di = MHD_get_daemon_info(srv->d, MHD_DAEMON_INFO_BIND_PORT);
	if (di && di->port)
		port = di->port;
	snprintf(srv->url, sizeof srv->url, "%s://%s%s%s:%u/", srv->cert ? "https" : "http",
		strchr(host, ':') ? "[" : "", host, strchr(host, ':') ? "]" : "", (unsigned)port);
	*out = srv;
	return 0;
fail:
	ob_server_stop(srv);
	return rc;
}

const char *ob_server_url(const ob_server *srv)
{
	return srv->url;
}

void ob_server_stop(ob_server *srv)
{
	if (!srv)
		return;
	if (srv->d)
		MHD_stop_daemon(srv->d);
	for (unsigned i = 0; srv->pool && i < srv->npool; i++)
		ob_store_free(srv->pool[i]);
	free(srv->pool);
	free(srv->busy);
	free(srv->db_url);
	if (srv->key) {
		memset(srv->key, 0, strlen(srv->key));
		free(srv->key);
	}
	free(srv->cert);
	pthread_cond_destroy(&srv->cv);
	pthread_mutex_destroy(&srv->mu);
	free(srv);
}
