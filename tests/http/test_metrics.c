/*
 * test_metrics.c - the request counters behind GET /metrics
 * (src/http/metrics.c): counts by route, method and status; a method that
 * is not an HTTP verb counts as "other"; the histogram's buckets are
 * cumulative and end at the count; many threads counting at once lose
 * nothing (the ThreadSanitizer build runs this too).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/metrics.h"

/* The value of the sample named exactly key in text, or -1. */
static double sample(const char *text, const char *key)
{
	size_t n = strlen(key);

	for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, key, n) && p[n] == ' ')
			return strtod(p + n + 1, NULL);
	return -1;
}

static char *render(void)
{
	ob_buf b = OB_BUF_INIT;

	ob_metrics_render(&b);
	assert_false(b.failed);
	return ob_buf_detach(&b);
}

static void test_counts_by_route_method_and_status(void **state)
{
	char *t;

	(void)state;
	ob_metrics_reset();
	ob_metrics_observe("/api/me", "GET", 200, 0.001);
	ob_metrics_observe("/api/me", "GET", 200, 0.002);
	ob_metrics_observe("/api/me", "GET", 401, 0.001);
	ob_metrics_observe("unmatched", "BREW", 404, 0.001);
	t = render();
	assert_true(sample(t, "oncobank_http_requests_total{route=\"/api/me\",method=\"GET\","
		"status=\"200\"}") == 2);
	assert_true(sample(t, "oncobank_http_requests_total{route=\"/api/me\",method=\"GET\","
		"status=\"401\"}") == 1);
	assert_true(sample(t, "oncobank_http_requests_total{route=\"unmatched\",method=\"other\","
		"status=\"404\"}") == 1);
	assert_null(strstr(t, "BREW"));
	assert_non_null(strstr(t, "# TYPE oncobank_http_requests_total counter\n"));
	free(t);
}

static void test_histogram_buckets_are_cumulative_and_end_at_the_count(void **state)
{
	char *t;

	(void)state;
	ob_metrics_reset();
	ob_metrics_observe("/a", "GET", 200, 0.004);   /* <= 0.005 */
	ob_metrics_observe("/a", "GET", 200, 0.2);     /* <= 0.25 */
	ob_metrics_observe("/a", "GET", 200, 30);      /* beyond 10 s: +Inf only */
	t = render();
	assert_true(sample(t, "oncobank_http_request_duration_seconds_bucket{le=\"0.005\"}") == 1);
	assert_true(sample(t, "oncobank_http_request_duration_seconds_bucket{le=\"0.1\"}") == 1);
	assert_true(sample(t, "oncobank_http_request_duration_seconds_bucket{le=\"0.25\"}") == 2);
	assert_true(sample(t, "oncobank_http_request_duration_seconds_bucket{le=\"10\"}") == 2);
	assert_true(sample(t, "oncobank_http_request_duration_seconds_bucket{le=\"+Inf\"}") == 3);
	assert_true(sample(t, "oncobank_http_request_duration_seconds_count") == 3);
	assert_true(sample(t, "oncobank_http_request_duration_seconds_sum") > 30.2);
	free(t);
}

#define THREADS 8
#define EACH 5000

static void *worker(void *arg)
{
	static const char *const routes[] = { "/api/a", "/api/b", "/api/c" };
	long id = (long)arg;

	for (int i = 0; i < EACH; i++)
		ob_metrics_observe(routes[(id + i) % 3], i % 2 ? "GET" : "POST", 200 + i % 3, 0.001);
	return NULL;
}

static void *scraper(void *arg)
{
	(void)arg;
	for (int i = 0; i < 50; i++)
		free(render());
	return NULL;
}

static void test_threads_counting_at_once_lose_nothing(void **state)
{
	pthread_t th[THREADS + 1];
	double sum = 0;
	char *t;

	(void)state;
	ob_metrics_reset();
	for (long i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&th[i], NULL, worker, (void *)i), 0);
	assert_int_equal(pthread_create(&th[THREADS], NULL, scraper, NULL), 0);
	for (int i = 0; i <= THREADS; i++)
		pthread_join(th[i], NULL);
	t = render();
	for (const char *p = strstr(t, "oncobank_http_requests_total{"); p;
	     p = strstr(p + 1, "oncobank_http_requests_total{"))
		sum += strtod(strchr(p, '}') + 2, NULL);
	assert_true(sum == THREADS * EACH);
	assert_true(sample(t, "oncobank_http_request_duration_seconds_count") == THREADS * EACH);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_by_route_method_and_status),
		cmocka_unit_test(test_histogram_buckets_are_cumulative_and_end_at_the_count),
		cmocka_unit_test(test_threads_counting_at_once_lose_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
