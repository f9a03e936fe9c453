/*
 * http_bare.c - the peer of the HTTP benchmark: a bare libmicrohttpd server
 * that answers every request with the same bytes (a file read at start),
 * using the same threading as `oncobank serve`. What oncobank adds on top
 * (routing, token check, database, JSON) is the difference.
 *
 * usage: http_bare PORT FILE THREADS
 */
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *body;
static size_t body_len;
static volatile sig_atomic_t stop;

static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **state)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	(void)cls; (void)url; (void)method; (void)version; (void)upload; (void)upload_size;
	(void)state;
	r = MHD_create_response_from_buffer(body_len, body, MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(r, "Content-Type", "application/json");
	ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	struct MHD_Daemon *d;
	FILE *f;
	long n;
	int port, threads;

	if (argc != 4) {
		fprintf(stderr, "usage: http_bare PORT FILE THREADS\n");
		return 1;
	}
	port = (int)strtol(argv[1], NULL, 10);
	threads = (int)strtol(argv[3], NULL, 10);
	if (!(f = fopen(argv[2], "rb")) || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0
	    || fseek(f, 0, SEEK_SET) || !(body = malloc((size_t)n + 1))
	    || fread(body, 1, (size_t)n, f) != (size_t)n) {
		perror(argv[2]);
		return 1;
	}
	fclose(f);
	body_len = (size_t)n;
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL, (uint16_t)port,
		NULL, NULL, answer, NULL, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads,
		MHD_OPTION_CONNECTION_LIMIT, 2048u, MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "http_bare: cannot listen on port %d\n", port);
		return 1;
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	while (!stop)
		pause();
	MHD_stop_daemon(d);
	free(body);
	return 0;
}
