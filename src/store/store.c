/*
 * store.c - backend-independent half of the store: URL dispatch, the
 * per-connection statement cache, nested transactions and migrations.
 */
#include "store/store.h"
#include "store/backend.h"
#include "store/migrations.h"
#include "base/buf.h"
#include "base/error.h"

#include <errno.h>
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <time.h>

struct ob_stmt {
	ob_store *st;
	const char *key;  /* address of the SQL text: the cache key */
	void *impl;
	int failed;       /* the first failed bind's code: step returns it */
	char msg[256];    /* and its message */
};

struct ob_store {
	const ob_backend *be;
	void *conn;
	ob_stmt **cache;  /* open-addressed by key address; each statement is
	                     its own allocation so handed-out pointers survive
	                     the table's growth */
	size_t cache_cap, cache_len;
	int depth;        /* transaction nesting */
	bool doomed;
	uint64_t txn_serial;
	uint64_t commits;
	unsigned wait_ms;     /* busy budget */
	bool spent;           /* the last write begin gave up: budget spent */
	uint64_t rng;         /* back-off jitter */
	void (*on_wait)(void *arg, unsigned budget_ms);
	void *on_wait_arg;
};

/* Process-wide: read by /metrics from any thread. */
static _Atomic uint64_t busy_retries;

static int open_backend(ob_store **out, const char *url)
{
	ob_store *st;
	const ob_backend *be = &ob_backend_sqlite;
	const char *target = url;
	int rc;

	*out = NULL;
	if (!url || !*url)
		return ob_error_set(OB_EINVALID, "database URL is empty");
	if (!strncmp(url, "postgresql://", 13) || !strncmp(url, "postgres://", 11))
		be = &ob_backend_pg;
	else if (!strncmp(url, "sqlite:", 7))
		target = url + 7;
	st = calloc(1, sizeof *st);
	if (!st)
		return ob_error_set(OB_ERROR, "out of memory");
	st->be = be;
	st->wait_ms = OB_STORE_WAIT_DEFAULT_MS;
	st->rng = (uint64_t)(uintptr_t)st ^ (uint64_t)time(NULL) * 0x9E3779B97F4A7C15ull;
	rc = be->open(&st->conn, target);
	if (rc < 0) {
		free(st);
		return rc;
	}
	if (be->set_busy_wait)
		be->set_busy_wait(st->conn, st->wait_ms);
	*out = st;
	return 0;
}

int ob_store_open_raw(ob_store **out, const char *url)
{
	return open_backend(out, url);
}

int ob_store_open(ob_store **out, const char *url)
{
	int rc = open_backend(out, url);

	if (rc < 0)
		return rc;
	rc = ob_store_migrate(*out);
	if (rc < 0) {
		ob_store_free(*out);
		*out = NULL;
	}
	return rc;
}

void ob_store_free(ob_store *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < st->cache_cap; i++)
		if (st->cache[i]) {
			st->be->finalize(st->cache[i]->impl);
			free(st->cache[i]);
		}
	free(st->cache);
	st->be->close(st->conn);
	free(st);
}

const char *ob_store_backend(const ob_store *st)
{
	return st->be->name;
}

int ob_store_exec(ob_store *st, const char *sql)
{
	return st->be->exec(st->conn, sql);
}

static int begin_with(ob_store *st, const char *sql)
{
	int rc;

	if (st->depth++ > 0)
		return 0;
	st->doomed = false;
	st->txn_serial++;
	rc = st->be->exec(st->conn, sql);
	if (rc < 0)
		st->depth = 0;
	else
		st->spent = false;  /* a unit that began can be retried */
	return rc;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

bool ob_store_retry_wait(ob_store *st, ob_store_retry *r)
{
	uint64_t now = now_ns(), waited, budget = (uint64_t)st->wait_ms * 1000000u, base, ns;
	struct timespec ts;

	if (st->spent)  /* a begin gave up already; its message stands */
		return false;
	if (!r->start_ns) {
		r->start_ns = now;
		r->attempt = 0;
		if (st->on_wait && st->wait_ms)
			st->on_wait(st->on_wait_arg, st->wait_ms);
	}
	waited = now - r->start_ns;
	if (waited >= budget) {
		st->spent = true;
		ob_error_set(OB_ERETRY, "database busy: another writer held it for %.1f s (the"
			" wait limit); try again later", (double)waited / 1e9);
		return false;
	}
	/* 1 ms doubling to 100 ms, each sleep a random point in its upper
	 * half, so that waiting writers spread out instead of colliding. */
	base = r->attempt < 7 ? 1000000ull << r->attempt : 100000000ull;
	if (base > 100000000ull)
		base = 100000000ull;
	st->rng ^= st->rng << 13;
	st->rng ^= st->rng >> 7;
	st->rng ^= st->rng << 17;
	ns = base / 2 + st->rng % (base / 2 + 1);
	if (ns > budget - waited)
		ns = budget - waited;
	r->attempt++;
	atomic_fetch_add_explicit(&busy_retries, 1, memory_order_relaxed);
	ts.tv_sec = (time_t)(ns / 1000000000u);
	ts.tv_nsec = (long)(ns % 1000000000u);
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
	return true;
}

int ob_store_begin(ob_store *st)
{
	ob_store_retry r = { 0 };
	int rc;

	if (st->depth > 0)
		return begin_with(st, st->be->begin_sql);
	/* The engine fails at once and this loop does the waiting, so that the
	 * back-off, the budget and the count are the same on every backend. */
	st->spent = false;
	if (st->be->set_busy_wait)
		st->be->set_busy_wait(st->conn, 0);
	while ((rc = begin_with(st, st->be->begin_sql)) == OB_ERETRY && ob_store_retry_wait(st, &r))
		;
	if (st->be->set_busy_wait)
		st->be->set_busy_wait(st->conn, st->wait_ms);
	return rc;
}

int ob_store_begin_read(ob_store *st)
{
	return begin_with(st, st->be->begin_read_sql);
}

void ob_store_set_wait(ob_store *st, unsigned ms)
{
	st->wait_ms = ms;
	if (st->be->set_busy_wait)
		st->be->set_busy_wait(st->conn, ms);
}

unsigned ob_store_wait(const ob_store *st)
{
	return st->wait_ms;
}

void ob_store_on_wait(ob_store *st, void (*fn)(void *arg, unsigned budget_ms), void *arg)
{
	st->on_wait = fn;
	st->on_wait_arg = arg;
}

uint64_t ob_store_busy_retries(void)
{
	return atomic_load_explicit(&busy_retries, memory_order_relaxed);
}

uint64_t ob_store_commits(const ob_store *st)
{
	return st->commits;
}

int ob_store_txn(ob_store *st, int (*fn)(ob_store *st, void *arg), void *arg)
{
	ob_store_retry r = { 0 };
	int rc;

	if (st->depth > 0)
		return fn(st, arg);
	for (;;) {
		if ((rc = ob_store_begin(st)) < 0)
			return rc;
		rc = fn(st, arg);
		if (rc < 0) {
			ob_store_rollback(st);
		} else {
			int crc = ob_store_commit(st);
			if (crc < 0)
				rc = crc;
		}
		if (rc != OB_ERETRY || !ob_store_retry_wait(st, &r))
			return rc;
	}
}

int ob_store_commit(ob_store *st)
{
	int rc;

	if (st->depth <= 0)
		return ob_error_set(OB_ERROR, "commit without a transaction");
	if (--st->depth > 0)
		return 0;
	if (st->doomed) {
		st->be->exec(st->conn, "ROLLBACK");
		st->doomed = false;
		return ob_error_set(OB_ERROR, "transaction was rolled back by an inner failure");
	}
	rc = st->be->exec(st->conn, "COMMIT");
	if (rc < 0)
		st->be->exec(st->conn, "ROLLBACK");
	else
		st->commits++;
	return rc;
}

void ob_store_rollback(ob_store *st)
{
	if (st->depth <= 0)
		return;
	if (--st->depth > 0) {
		st->doomed = true;
		return;
	}
	st->doomed = false;
	/* Keep the caller's error message: the rollback is a consequence. */
	char saved[1024];
	int code = ob_error_code();
	snprintf(saved, sizeof saved, "%s", ob_error_last());
	st->be->exec(st->conn, "ROLLBACK");
	ob_error_set(code, "%s", saved);
}

bool ob_store_in_txn(const ob_store *st)
{
	return st->depth > 0;
}

uint64_t ob_store_txn_serial(const ob_store *st)
{
	return st->txn_serial;
}

static size_t slot_of(const ob_store *st, const char *key)
{
	uintptr_t h = (uintptr_t)key;

	h ^= h >> 17;
	h *= 0x9E3779B97F4A7C15ull;
	return (size_t)(h >> 7) & (st->cache_cap - 1);
}

static int cache_grow(ob_store *st)
{
	size_t ncap = st->cache_cap ? st->cache_cap * 2 : 64;
	ob_stmt **old = st->cache, **nc = calloc(ncap, sizeof *nc);
	size_t ocap = st->cache_cap;

	if (!nc)
		return ob_error_set(OB_ERROR, "out of memory");
	st->cache = nc;
	st->cache_cap = ncap;
	for (size_t i = 0; i < ocap; i++) {
		if (!old[i])
			continue;
		size_t j = slot_of(st, old[i]->key);
		while (nc[j])
			j = (j + 1) & (ncap - 1);
		nc[j] = old[i];
	}
	free(old);
	return 0;
}

int ob_store_prepare(ob_store *st, const char *sql, ob_stmt **out)
{
	size_t i;
	int rc;

	*out = NULL;
	if ((st->cache_len + 1) * 2 > st->cache_cap && cache_grow(st) < 0)
		return OB_ERROR;
	i = slot_of(st, sql);
	while (st->cache[i] && st->cache[i]->key != sql)
		i = (i + 1) & (st->cache_cap - 1);
	if (!st->cache[i]) {
		ob_stmt *n = calloc(1, sizeof *n);
		void *impl;

		if (!n)
			return ob_error_set(OB_ERROR, "out of memory");
		rc = st->be->prepare(st->conn, sql, &impl);
		if (rc < 0) {
			free(n);
			return rc;
		}
		n->st = st;
		n->key = sql;
		n->impl = impl;
		st->cache[i] = n;
		st->cache_len++;
	} else {
		st->be->reset(st->cache[i]->impl);
		st->cache[i]->failed = 0;
	}
	*out = st->cache[i];
	return 0;
}

/* A failed bind is sticky: the statement's next step returns its error, so
 * that no call site has to check a bind, and none can run with a parameter
 * missing. */
static int bound(ob_stmt *s, int rc)
{
	if (rc < 0 && !s->failed) {
		s->failed = rc;
		snprintf(s->msg, sizeof s->msg, "%s", ob_error_last());
	}
	return rc;
}

int ob_stmt_bind_int(ob_stmt *s, int idx, int64_t v)
{
	return bound(s, s->st->be->bind_int(s->impl, idx, v));
}

int ob_stmt_bind_double(ob_stmt *s, int idx, double v)
{
	return bound(s, s->st->be->bind_double(s->impl, idx, v));
}

int ob_stmt_bind_double_or_null(ob_stmt *s, int idx, double v)
{
	return isnan(v) ? ob_stmt_bind_null(s, idx) : ob_stmt_bind_double(s, idx, v);
}

int ob_stmt_bind_text(ob_stmt *s, int idx, const char *v)
{
	return v ? bound(s, s->st->be->bind_text(s->impl, idx, v)) : ob_stmt_bind_null(s, idx);
}

int ob_stmt_bind_null(ob_stmt *s, int idx)
{
	return bound(s, s->st->be->bind_null(s->impl, idx));
}

int ob_stmt_step(ob_stmt *s)
{
	if (s->failed)
		return ob_error_set(s->failed, "%s", s->msg);
	return s->st->be->step(s->impl);
}

int ob_stmt_exec(ob_stmt *s)
{
	int rc = ob_stmt_step(s);

	ob_stmt_reset(s);
	return rc == OB_ROW ? 0 : rc;
}

void ob_store_format_double(const ob_store *st, double v, char *out, size_t n)
{
	st->be->format_double(v, out, n);
}

int ob_stmt_insert(ob_stmt *s, int64_t *id)
{
	int rc = ob_stmt_exec(s);

	if (rc == 0)
		*id = s->st->be->last_id(s->st->conn);
	return rc;
}

void ob_stmt_reset(ob_stmt *s)
{
	s->st->be->reset(s->impl);
	s->failed = 0;
}

bool ob_stmt_is_null(ob_stmt *s, int col)
{
	return s->st->be->is_null(s->impl, col);
}

int64_t ob_stmt_int(ob_stmt *s, int col)
{
	return s->st->be->col_int(s->impl, col);
}

double ob_stmt_double(ob_stmt *s, int col)
{
	return s->st->be->is_null(s->impl, col) ? NAN : s->st->be->col_double(s->impl, col);
}

const char *ob_stmt_text(ob_stmt *s, int col)
{
	return s->st->be->col_text(s->impl, col);
}

int ob_stmt_column_count(ob_stmt *s)
{
	return s->st->be->col_count(s->impl);
}

const char *ob_stmt_column_name(ob_stmt *s, int col)
{
	return s->st->be->col_name(s->impl, col);
}

static int get_one(ob_store *st, const char *sql, const char *key, ob_stmt **s)
{
	int rc = ob_store_prepare(st, sql, s);

	if (rc < 0)
		return rc;
	ob_stmt_bind_text(*s, 1, key);
	rc = ob_stmt_step(*s);
	if (rc == 0)
		rc = OB_ENOTFOUND;
	if (rc != OB_ROW)
		ob_stmt_reset(*s);
	return rc;
}

int ob_store_get_int(ob_store *st, const char *sql, const char *key, int64_t *out)
{
	ob_stmt *s;
	int rc = get_one(st, sql, key, &s);

	if (rc != OB_ROW)
		return rc;
	*out = ob_stmt_int(s, 0);
	ob_stmt_reset(s);
	return 0;
}

int ob_store_get_text(ob_store *st, const char *sql, const char *key, char *out, size_t n)
{
	ob_stmt *s;
	const char *v;
	int rc = get_one(st, sql, key, &s);

	if (rc != OB_ROW)
		return rc;
	v = ob_stmt_text(s, 0);
	rc = v && strlen(v) < n ? 0 : ob_error_set(OB_ERROR, "value too long or missing for '%s'", key);
	if (rc == 0)
		memcpy(out, v, strlen(v) + 1);
	ob_stmt_reset(s);
	return rc;
}

/* ---- migrations ---- */

static const char *const version_table =
	"CREATE TABLE IF NOT EXISTS schema_migration ("
	" version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)";

int ob_store_schema_version(ob_store *st, int *out)
{
	static const char *const sql = "SELECT COALESCE(MAX(version), 0) FROM schema_migration";
	ob_stmt *s;
	int rc;

	*out = 0;
	if ((rc = ob_store_exec(st, version_table)) < 0)
		return rc;
	if ((rc = ob_store_prepare(st, sql, &s)) < 0)
		return rc;
	rc = ob_stmt_step(s);
	if (rc == OB_ROW)
		*out = (int)ob_stmt_int(s, 0);
	ob_stmt_reset(s);
	return rc < 0 ? rc : 0;
}

/* Replaces each @PK@ with the backend's primary-key type. */
static int expand(const ob_backend *be, const char *sql, ob_buf *out)
{
	const char *p = sql, *q;

	while ((q = strstr(p, "@PK@"))) {
		if (ob_buf_put(out, p, (size_t)(q - p)) < 0 || ob_buf_puts(out, be->pk_type) < 0)
			return OB_ERROR;
		p = q + 4;
	}
	return ob_buf_puts(out, p);
}

/* 1 when version is recorded as applied, 0 when not, or an error. A
 * database of a branch that numbered its migrations out of order (006
 * before 005) lacks one below its highest. */
static int applied(ob_store *st, int version)
{
	static const char *const sql = "SELECT 1 FROM schema_migration WHERE version = $1";
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, version);
	rc = ob_stmt_step(s);
	ob_stmt_reset(s);
	return rc == OB_ROW ? 1 : rc;
}

static const ob_migration_step *step_of(int version)
{
	for (const ob_migration_step *p = ob_migration_steps; p->version; p++)
		if (p->version == version)
			return p;
	return NULL;
}

int ob_store_migrate(ob_store *st)
{
	static const char *const ins =
		"INSERT INTO schema_migration (version, name, applied_at) VALUES ($1, $2, $3)";
	int have, rc;

	if ((rc = ob_store_schema_version(st, &have)) < 0)
		return rc;
	for (const ob_migration *m = ob_migrations; m->name; m++) {
		ob_buf sql = OB_BUF_INIT;
		ob_stmt *s;
		char now[32];
		time_t t = time(NULL);
		struct tm tm;

		if (m->version <= have && (rc = applied(st, m->version)) != 0) {
			if (rc < 0)
				return rc;
			continue;
		}
		gmtime_r(&t, &tm);
		strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
		if ((rc = ob_store_begin(st)) < 0)
			return rc;
		const ob_migration_step *step = step_of(m->version);
		rc = step && step->before ? step->before(st) : 0;
		if (rc == 0)
			rc = expand(st->be, m->sql, &sql);
		if (rc == 0)
			rc = ob_store_exec(st, ob_buf_cstr(&sql));
		ob_buf_dispose(&sql);
		if (rc == 0 && step && step->after)
			rc = step->after(st);
		if (rc == 0)
			rc = ob_store_prepare(st, ins, &s);
		if (rc == 0) {
			ob_stmt_bind_int(s, 1, m->version);
			ob_stmt_bind_text(s, 2, m->name);
			ob_stmt_bind_text(s, 3, now);
			rc = ob_stmt_exec(s);
		}
		if (rc < 0) {
			ob_store_rollback(st);
			return ob_error_set(rc, "migration %s: %s", m->name, ob_error_last());
		}
		if ((rc = ob_store_commit(st)) < 0)
			return rc;
	}
	return 0;
}

/* ---- operations: health, size, backup ---- */

int ob_store_schema_status(ob_store *st, int *have, int *want, int *pending)
{
	int rc;

	*want = 0;
	*pending = 0;
	if ((rc = ob_store_schema_version(st, have)) < 0)
		return rc;
	for (const ob_migration *m = ob_migrations; m->name; m++) {
		if (m->version > *want)
			*want = m->version;
		if ((rc = applied(st, m->version)) < 0)
			return rc;
		*pending += rc == 0;
	}
	return 0;
}

int ob_store_size(ob_store *st, int64_t *bytes)
{
	ob_stmt *s;
	int rc;

	*bytes = 0;
	if ((rc = ob_store_prepare(st, st->be->size_sql, &s)) < 0)
		return rc;
	rc = ob_stmt_step(s);
	if (rc == OB_ROW)
		*bytes = ob_stmt_int(s, 0);
	ob_stmt_reset(s);
	return rc < 0 ? rc : 0;
}

int ob_store_integrity(ob_store *st)
{
	return st->be->integrity(st->conn);
}

int ob_store_backup_to(ob_store *st, const char *path)
{
	if (!st->be->backup_to)
		return ob_error_set(OB_EINVALID, "backup: the %s backend is backed up with its own"
			" tools", st->be->name);
	return st->be->backup_to(st->conn, path);
}

int ob_store_restore_from(ob_store *st, const char *path)
{
	if (!st->be->restore_from)
		return ob_error_set(OB_EINVALID, "restore: the %s backend is restored with its own"
			" tools", st->be->name);
	if (st->depth > 0)
		return ob_error_set(OB_ERROR, "restore: inside a transaction");
	return st->be->restore_from(st->conn, path);
}

int ob_store_seal(ob_store *st)
{
	return st->be->seal_sql ? st->be->exec(st->conn, st->be->seal_sql) : 0;
}
