/*
 * metrics.c - request counters and the latency histogram (metrics.h).
 *
 * The counters by (route, method, status) sit in a small open-addressed
 * table under a mutex (a request holds it for one probe); the histogram is
 * lock-free atomics. Both only grow, as Prometheus counters must.
 */
#include "http/metrics.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

/* Upper bounds in seconds, as Prometheus' default buckets. */
static const double bounds[] = { 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10 };
#define NBUCKETS (sizeof bounds / sizeof bounds[0])

/* Routes (~50) x methods x statuses seen stay far below this; a request
 * that finds the table full is counted under route "overflow". */
#define SLOTS 1024

typedef struct slot {
	const char *route;   /* NULL: free */
	const char *method;
	int status;
	uint64_t count;
} slot;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static slot table[SLOTS];
static uint64_t overflow;
static _Atomic uint64_t buckets[NBUCKETS];  /* not cumulative: render sums */
static _Atomic uint64_t count_all, sum_us;

static const char *method_word(const char *m)
{
	static const char *const known[] = { "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH",
		"OPTIONS" };

	for (size_t i = 0; m && i < sizeof known / sizeof known[0]; i++)
		if (!strcmp(m, known[i]))
			return known[i];
	return "other";
}

static size_t hash_of(const char *route, const char *method, int status)
{
	uint64_t h = (uintptr_t)route * 0x9E3779B97F4A7C15ull;

	h ^= (uintptr_t)method * 0xC2B2AE3D27D4EB4Full;
	h ^= (uint64_t)(unsigned)status * 0x165667B19E3779F9ull;
	return (size_t)(h >> 20) % SLOTS;
}

void ob_metrics_observe(const char *route, const char *method, int status, double seconds)
{
	const char *m = method_word(method);
	size_t i = hash_of(route, m, status), n;

	pthread_mutex_lock(&mu);
	for (n = 0; n < SLOTS; n++, i = (i + 1) % SLOTS) {
		slot *s = &table[i];
		if (!s->route) {
			s->route = route;
			s->method = m;
			s->status = status;
		}
		if (s->route == route && s->method == m && s->status == status) {
			s->count++;
			break;
		}
	}
	if (n == SLOTS)
		overflow++;
	pthread_mutex_unlock(&mu);

	for (size_t b = 0; b < NBUCKETS; b++)
		if (seconds <= bounds[b]) {
			atomic_fetch_add(&buckets[b], 1);
			break;
		}
	atomic_fetch_add(&count_all, 1);
	atomic_fetch_add(&sum_us, (uint64_t)(seconds > 0 ? seconds * 1e6 + 0.5 : 0));
}

/* A label value: \, " and line ends escaped (patterns have none, but the
 * format is the format). */
static void label(ob_buf *out, const char *v)
{
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			ob_buf_putc(out, '\\');
		if (*v == '\n')
			ob_buf_puts(out, "\\n");
		else
			ob_buf_putc(out, *v);
	}
}

void ob_metrics_render(ob_buf *out)
{
	slot copy[SLOTS];
	uint64_t over, cum = 0, total, sum;

	pthread_mutex_lock(&mu);
	memcpy(copy, table, sizeof copy);
	over = overflow;
	pthread_mutex_unlock(&mu);

	ob_buf_puts(out, "# HELP oncobank_http_requests_total HTTP requests answered, by route"
		" pattern, method and status.\n# TYPE oncobank_http_requests_total counter\n");
	for (size_t i = 0; i < SLOTS; i++) {
		if (!copy[i].route)
			continue;
		ob_buf_puts(out, "oncobank_http_requests_total{route=\"");
		label(out, copy[i].route);
		ob_buf_printf(out, "\",method=\"%s\",status=\"%d\"} %llu\n", copy[i].method,
			copy[i].status, (unsigned long long)copy[i].count);
	}
	if (over)
		ob_buf_printf(out, "oncobank_http_requests_total{route=\"overflow\",method=\"other\","
			"status=\"0\"} %llu\n", (unsigned long long)over);

	/* The count is read before the buckets and the +Inf bucket is the
	 * count: a request landing meanwhile can only make the finite buckets
	 * larger, and they are capped, so the buckets never decrease. */
	total = atomic_load(&count_all);
	sum = atomic_load(&sum_us);
	ob_buf_puts(out, "# HELP oncobank_http_request_duration_seconds Time from a request's"
		" first byte to its answer.\n"
		"# TYPE oncobank_http_request_duration_seconds histogram\n");
	for (size_t b = 0; b < NBUCKETS; b++) {
		cum += atomic_load(&buckets[b]);
		if (cum > total)
			cum = total;
		ob_buf_printf(out, "oncobank_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
			bounds[b], (unsigned long long)cum);
	}
	ob_buf_printf(out, "oncobank_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n"
		"oncobank_http_request_duration_seconds_sum %.6f\n"
		"oncobank_http_request_duration_seconds_count %llu\n", (unsigned long long)total,
		(double)sum / 1e6, (unsigned long long)total);
}

void ob_metrics_reset(void)
{
	pthread_mutex_lock(&mu);
	memset(table, 0, sizeof table);
	overflow = 0;
	pthread_mutex_unlock(&mu);
	for (size_t b = 0; b < NBUCKETS; b++)
		atomic_store(&buckets[b], 0);
	atomic_store(&count_all, 0);
	atomic_store(&sum_us, 0);
}
