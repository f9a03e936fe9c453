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
 *
 * Framing is checked on that first call too, before any byte of a body is
 * read (docs/api.md, "Framing"): libmicrohttpd 0.9.75 takes the first of
 * two Content-Length headers, lets chunked win over Content-Length, reads
 * an unknown transfer coding until the client closes, and passes HTTP/1.2
 * to 1.9 as 1.1; each of those, and HTTP/1.1 without exactly one Host, is
 * answered 400 with the JSON error body. A response queued on the first
 * call makes MHD drop the body and close the connection.
 */
#include "http/server.h"
#include "http/metrics.h"
#include "base/buf.h"
#include "base/error.h"
#include "base/util.h"
#include "store/store.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define PEM_MAX ((size_t)1 << 20)

struct ob_server {
	struct MHD_Daemon *d;
	char *db_url;
	char root[PATH_MAX];   /* resolved web root, or "" */
	char url[300];
	char *cert, *key;      /* PEM texts: MHD reads them until it stops */
	int wait_ms;           /* ob_server_opts.wait_ms */
	char *key_dir;         /* ob_server_opts.key_dir, or NULL */
	void (*log)(void *arg, const char *line);
	void *log_arg;
	/* One connection per worker: a request borrows a free one. */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	ob_store **pool;
	bool *busy;
	unsigned npool;
	int access_fd;         /* the access log, or -1 */
};

/* What the server keeps about one request between answer() calls. */
typedef struct conn {
	char *uri;          /* raw, as received */
	bool started;
	bool too_big;
	size_t limit;
	ob_buf body;
	/* For the access log and the metrics, written at completion. */
	struct timespec t0;
	char method[16];
	const char *route;  /* a route's pattern, "static" or "unmatched" */
	char user[64];      /* the logged-in user, or "" */
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
	clock_gettime(CLOCK_MONOTONIC, &k->t0);
	k->route = "unmatched";
	return k;
}

static void client_of(struct MHD_Connection *c, char *out, size_t n);

/* s with every byte outside printable ASCII, and blanks, as '?': a log
 * line stays one line of fields whatever the client sent. */
static void log_field(char *out, size_t n, const char *s, size_t max)
{
	size_t k = 0;

	for (; s && *s && k + 1 < n && k < max; s++)
		out[k++] = *s > ' ' && *s < 127 ? *s : '?';
	if (k == 0 && n > 1)
		out[k++] = '-';
	out[k] = '\0';
}

/* One line per request: time, client, user, method, route (or the path
 * without its query), status, milliseconds. Never a header, a body, a
 * query string or a token. One write(2) per line: threads never mix. */
static void request_done(ob_server *srv, struct MHD_Connection *c, conn *k)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_HTTP_STATUS);
	int status = ci ? (int)ci->http_status : 0;
	struct timespec t1;
	double secs;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - k->t0.tv_sec) + (double)(t1.tv_nsec - k->t0.tv_nsec) / 1e9;
	ob_metrics_observe(k->route, k->method, status, secs);
	if (srv->access_fd >= 0) {
		char at[OB_TIME_LEN], client[INET6_ADDRSTRLEN + 1], user[80], method[20], what[200];
		char line[600];
		const char *path = strcmp(k->route, "unmatched") && strcmp(k->route, "static")
			? k->route : k->uri;
		int n;

		ob_time_now(at);
		client_of(c, client, sizeof client);
		log_field(user, sizeof user, k->user, 64);
		log_field(method, sizeof method, k->method, 16);
		log_field(what, sizeof what, path, strcspn(path, "?"));
		n = snprintf(line, sizeof line, "%s %s %s %s %s %d %.1fms\n", at, client, user, method,
			what, status, secs * 1000);
		if (n > 0 && write(srv->access_fd, line, (size_t)n < sizeof line ? (size_t)n
				: sizeof line - 1) < 0) {
			/* Nothing to tell: the log is where we would say it. */
		}
	}
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
	conn *k = *con_cls;

	(void)toe;
	if (!k)
		return;
	if (k->started)
		request_done(cls, c, k);
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
	if (resp->retry_after) {
		char secs[16];
		snprintf(secs, sizeof secs, "%u", resp->retry_after);
		MHD_add_response_header(r, "Retry-After", secs);
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

/* What the framing check counts in the request's headers. */
typedef struct framing {
	unsigned content_length, transfer_encoding, host;
	const char *te;
} framing;

static enum MHD_Result count_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                    const char *value)
{
	framing *f = cls;

	(void)kind;
	if (!key)
		return MHD_YES;
	if (!strcasecmp(key, "Content-Length")) {
		f->content_length++;
	} else if (!strcasecmp(key, "Transfer-Encoding")) {
		f->transfer_encoding++;
		f->te = value;
	} else if (!strcasecmp(key, "Host")) {
		f->host++;
	}
	return MHD_YES;
}

/* The framing rules MHD 0.9.75 does not enforce (RFC 9112 section 6.3:
 * an ambiguous length is an error, never a guess). OB_EINVALID naming the
 * header. */
static int framing_check(struct MHD_Connection *c, const char *version)
{
	framing f = { 0, 0, 0, NULL };
	bool v11 = version && !strcmp(version, "HTTP/1.1");

	if (!v11 && !(version && !strcmp(version, "HTTP/1.0")))
		return ob_error_set(OB_EINVALID, "version: %.20s is not HTTP/1.1 or HTTP/1.0",
			version ? version : "(none)");
	MHD_get_connection_values(c, MHD_HEADER_KIND, count_header, &f);
	if (f.content_length > 1)
		return ob_error_set(OB_EINVALID, "Content-Length: given more than once");
	if (f.transfer_encoding > 1)
		return ob_error_set(OB_EINVALID, "Transfer-Encoding: given more than once");
	if (f.transfer_encoding && f.content_length)
		return ob_error_set(OB_EINVALID, "Content-Length: given with Transfer-Encoding");
	if (f.transfer_encoding && (!v11 || !f.te || strcasecmp(f.te, "chunked")))
		return ob_error_set(OB_EINVALID, "Transfer-Encoding: '%.40s' is not a coding this"
			" server reads (chunked only, with HTTP/1.1)", f.te ? f.te : "");
	if (v11 && f.host != 1)
		return ob_error_set(OB_EINVALID, "Host: HTTP/1.1 needs exactly one Host header"
			" (%u given)", f.host);
	return 0;
}

static bool is_api(const char *path)
{
	return !strncmp(path, "/api/", 5) || !strcmp(path, "/api") || !strcmp(path, "/healthz")
	       || !strcmp(path, "/metrics");
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
	req.key_dir = srv->key_dir;
	if (!(st = pool_get(srv)))
		return send_error(c, ob_error_set(OB_ERROR, "no database connection"));
	ob_http_dispatch(st, &req, &resp);
	if (req.route)
		k->route = req.route;
	if (req.token)
		ob_strlcpy(k->user, req.user.username, sizeof k->user);
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
	if (!k)
		return MHD_NO;
	if (!k->started) {
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
		char *q;
		int64_t n = 0;
		int rc;

		k->started = true;
		ob_strlcpy(k->method, method, sizeof k->method);
		if ((rc = framing_check(c, version)) < 0)
			return send_error(c, rc);
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
	if (is_api(path)) {
		ret = serve_api(srv, c, method, path, query, k);
	} else {
		k->route = "static";
		ret = serve_static(srv, c, method, path);
	}
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
	srv->access_fd = -1;
	if (o->access_log && !strcmp(o->access_log, "-")) {
		srv->access_fd = dup(STDERR_FILENO);
	} else if (o->access_log && (srv->access_fd = open(o->access_log,
			O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640)) < 0) {
		rc = ob_error_set(OB_EINVALID, "access-log: cannot open %s: %s", o->access_log,
			strerror(errno));
		goto fail;
	}
	srv->log = o->log;
	srv->log_arg = o->log_arg;
	srv->wait_ms = o->wait_ms;
	if (o->key_dir && *o->key_dir && !(srv->key_dir = strdup(o->key_dir))) {
		rc = ob_error_set(OB_ERROR, "out of memory");
		goto fail;
	}
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
		MHD_OPTION_NOTIFY_COMPLETED, completed, srv,
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
	free(srv->key_dir);
	if (srv->key) {
		memset(srv->key, 0, strlen(srv->key));
		free(srv->key);
	}
	free(srv->cert);
	if (srv->access_fd >= 0)
		close(srv->access_fd);
	pthread_cond_destroy(&srv->cv);
	pthread_mutex_destroy(&srv->mu);
	free(srv);
}
