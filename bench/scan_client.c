/*
 * scan_client.c - the HTTP client of bench/part-shipment.sh: sends one POST
 * per line of a file, each line once, over C keep-alive connections to
 * 127.0.0.1 (one thread each, taking the next line as it gets an answer),
 * and prints what came back and how long it took. Exact where a load tool
 * driven by time is not: every line is sent once and answered once.
 *
 * usage: scan_client PORT TOKEN MODE PATH FILE CONNECTIONS
 *   MODE receive: POST PATH {"barcode":B,"container":BOX} for a line "B BOX"
 *                 ("B -": no container)
 *   MODE thaw:    POST /api/specimens/B/thaw {}
 * prints "scan: ok N other M seconds S p99_ms P" (ok: 2xx answers).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static char **lines;
static size_t nlines;
static atomic_size_t next_line;
static atomic_long ok, other;
static double *lat;  /* each line's latency, seconds */
static int port;
static const char *token, *mode, *path;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int dial(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
		perror("scan_client: connect");
		exit(1);
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	return fd;
}

static int send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t k = write(fd, p, n);
		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/* Reads one answer (headers and a Content-Length body); its status, or -1
 * when the connection closed. *close set when the server will close it. */
static int answer(int fd, char *buf, size_t cap, int *close_after)
{
	size_t have = 0, need = 0;
	char *end = NULL;
	long len = 0;
	int status;

	for (;;) {
		ssize_t k = read(fd, buf + have, cap - 1 - have);
		if (k <= 0)
			return -1;
		have += (size_t)k;
		buf[have] = '\0';
		if (!end && (end = strstr(buf, "\r\n\r\n"))) {
			char *cl = strcasestr(buf, "\r\nContent-Length:");
			len = cl && cl < end ? strtol(cl + 17, NULL, 10) : 0;
			need = (size_t)(end + 4 - buf) + (size_t)len;
			if (need >= cap)
				return -1;
		}
		if (end && have >= need)
			break;
	}
	status = (int)strtol(buf + 9, NULL, 10);
	*close_after = strcasestr(buf, "\r\nConnection: close") != NULL;
	return status;
}

static void *worker(void *arg)
{
	char req[1024], body[256], *buf = malloc(1 << 20);
	int fd = dial(), close_after;

	(void)arg;
	for (;;) {
		size_t i = atomic_fetch_add(&next_line, 1);
		char *b, *box;
		double t0;
		int n, st;

		if (i >= nlines)
			break;
		b = lines[i];
		box = strchr(b, ' ');
		if (box)
			*box++ = '\0';
		if (!strcmp(mode, "thaw")) {
			n = snprintf(req, sizeof req, "POST /api/specimens/%s/thaw HTTP/1.1\r\n"
				"Host: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
				"Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}", b, token);
		} else {
			if (box && strcmp(box, "-"))
				snprintf(body, sizeof body, "{\"barcode\":\"%s\",\"container\":\"%s\"}", b, box);
			else
				snprintf(body, sizeof body, "{\"barcode\":\"%s\"}", b);
			n = snprintf(req, sizeof req, "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
				"Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
				"Content-Length: %zu\r\n\r\n%s", path, token, strlen(body), body);
		}
		t0 = now();
		if (send_all(fd, req, (size_t)n) < 0 || (st = answer(fd, buf, 1 << 20, &close_after)) < 0) {
			fprintf(stderr, "scan_client: %s: the connection broke\n", b);
			atomic_fetch_add(&other, 1);
			close(fd);
			fd = dial();
			continue;
		}
		lat[i] = now() - t0;
		if (st >= 200 && st < 300)
			atomic_fetch_add(&ok, 1);
		else {
			if (atomic_fetch_add(&other, 1) < 5)
				fprintf(stderr, "scan_client: %s: %d %s\n", b, st, strstr(buf, "\r\n\r\n") + 4);
		}
		if (close_after) {
			close(fd);
			fd = dial();
		}
	}
	close(fd);
	free(buf);
	return NULL;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	size_t cap = 0, n = 0;
	char *line = NULL;
	pthread_t *t;
	int conns;
	FILE *f;
	double t0, t1;

	if (argc != 7) {
		fprintf(stderr, "usage: scan_client PORT TOKEN MODE PATH FILE CONNECTIONS\n");
		return 1;
	}
	port = (int)strtol(argv[1], NULL, 10);
	token = argv[2];
	mode = argv[3];
	path = argv[4];
	conns = (int)strtol(argv[6], NULL, 10);
	if (!(f = fopen(argv[5], "r"))) {
		perror(argv[5]);
		return 1;
	}
	while (getline(&line, &cap, f) > 0) {
		line[strcspn(line, "\r\n")] = '\0';
		if (!*line)
			continue;
		if (n == nlines) {
			nlines = nlines ? 2 * nlines : 1024;
			lines = realloc(lines, nlines * sizeof *lines);
		}
		lines[n++] = strdup(line);
	}
	fclose(f);
	free(line);
	nlines = n;
	lat = calloc(n ? n : 1, sizeof *lat);
	t = calloc((size_t)conns, sizeof *t);
	t0 = now();
	for (int i = 0; i < conns; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	for (int i = 0; i < conns; i++)
		pthread_join(t[i], NULL);
	t1 = now();
	qsort(lat, n, sizeof *lat, cmp);
	printf("scan: ok %ld other %ld seconds %.3f p99_ms %.2f\n", (long)ok, (long)other, t1 - t0,
		n ? lat[(size_t)((double)(n - 1) * 0.99)] * 1000 : 0.0);
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	free(lat);
	free(t);
	return 0;
}
