/*
 * test_store.c - the store interface: parameter numbering, the statement
 * cache, nested transactions, error mapping and migrations.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "support/testdb.h"
#include "base/error.h"
#include "store/store.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static int setup(void **state)
{
	static ob_testdb t;

	ob_testdb_open(&t);
	ob_testdb_exec(&t, "CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT, n DOUBLE PRECISION)");
	*state = &t;
	return 0;
}

static int teardown(void **state)
{
	ob_testdb_close(*state);
	return 0;
}

static void test_numbered_parameters_bind_by_number_not_order(void **state)
{
	ob_testdb *t = *state;
	static const char *const ins = "INSERT INTO kv (v, k) VALUES ($2, $1)";
	static const char *const sel = "SELECT v FROM kv WHERE k = $1";
	ob_stmt *s;

	assert_int_equal(ob_store_prepare(t->st, ins, &s), 0);
	ob_stmt_bind_text(s, 1, "key");
	ob_stmt_bind_text(s, 2, "value");
	assert_int_equal(ob_stmt_exec(s), 0);
	assert_int_equal(ob_store_prepare(t->st, sel, &s), 0);
	ob_stmt_bind_text(s, 1, "key");
	assert_int_equal(ob_stmt_step(s), OB_ROW);
	assert_string_equal(ob_stmt_text(s, 0), "value");
	ob_stmt_reset(s);
}

static void test_dollar_inside_literal_is_left_alone(void **state)
{
	ob_testdb *t = *state;
	static const char *const sql = "SELECT '$1 costs', $1";
	ob_stmt *s;

	assert_int_equal(ob_store_prepare(t->st, sql, &s), 0);
	ob_stmt_bind_int(s, 1, 7);
	assert_int_equal(ob_stmt_step(s), OB_ROW);
	assert_string_equal(ob_stmt_text(s, 0), "$1 costs");
	assert_int_equal(ob_stmt_int(s, 1), 7);
	ob_stmt_reset(s);
}

static void test_statement_is_cached_by_text_address(void **state)
{
	ob_testdb *t = *state;
	static const char *const sql = "SELECT 1";
	ob_stmt *a, *b;

	assert_int_equal(ob_store_prepare(t->st, sql, &a), 0);
	assert_int_equal(ob_store_prepare(t->st, sql, &b), 0);
	assert_ptr_equal(a, b);
}

/* A statement held while the cache grows must stay valid: 200 distinct
 * statements are prepared between the held one's steps. */
static void test_held_statement_survives_cache_growth(void **state)
{
	ob_testdb *t = *state;
	static const char *const held = "SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3";
	static char texts[200][32];
	ob_stmt *h, *s;
	int rows = 0;

	assert_int_equal(ob_store_prepare(t->st, held, &h), 0);
	while (ob_stmt_step(h) == OB_ROW) {
		rows++;
		for (int i = 0; i < 200; i++) {
			snprintf(texts[i], sizeof texts[i], "SELECT %d", i);
			assert_int_equal(ob_store_prepare(t->st, texts[i], &s), 0);
		}
	}
	ob_stmt_reset(h);
	assert_int_equal(rows, 3);
}

static void test_unique_violation_maps_to_exists(void **state)
{
	ob_testdb *t = *state;
	static const char *const ins = "INSERT INTO kv (k) VALUES ($1)";
	ob_stmt *s;

	assert_int_equal(ob_store_prepare(t->st, ins, &s), 0);
	ob_stmt_bind_text(s, 1, "a");
	assert_int_equal(ob_stmt_exec(s), 0);
	assert_int_equal(ob_store_prepare(t->st, ins, &s), 0);
	ob_stmt_bind_text(s, 1, "a");
	assert_int_equal(ob_stmt_exec(s), OB_EEXISTS);
}

static void test_inner_rollback_dooms_outer_transaction(void **state)
{
	ob_testdb *t = *state;

	assert_int_equal(ob_store_begin(t->st), 0);
	ob_testdb_exec(t, "INSERT INTO kv (k) VALUES ('x')");
	assert_int_equal(ob_store_begin(t->st), 0);
	ob_store_rollback(t->st);
	assert_true(ob_store_in_txn(t->st));
	assert_int_equal(ob_store_commit(t->st), OB_ERROR);
	assert_false(ob_store_in_txn(t->st));
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM kv"), 0);
}

static void test_nested_commit_reaches_database_once(void **state)
{
	ob_testdb *t = *state;
	uint64_t serial = ob_store_txn_serial(t->st);

	assert_int_equal(ob_store_begin(t->st), 0);
	assert_int_equal(ob_store_begin(t->st), 0);
	ob_testdb_exec(t, "INSERT INTO kv (k) VALUES ('y')");
	assert_int_equal(ob_store_commit(t->st), 0);
	assert_true(ob_store_in_txn(t->st));
	assert_int_equal(ob_store_commit(t->st), 0);
	assert_int_equal(ob_store_txn_serial(t->st), serial + 1);
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM kv"), 1);
}

static void test_null_and_nan_round_trip(void **state)
{
	ob_testdb *t = *state;
	static const char *const ins = "INSERT INTO kv (k, n) VALUES ($1, $2)";
	static const char *const sel = "SELECT n, v FROM kv WHERE k = $1";
	ob_stmt *s;

	assert_int_equal(ob_store_prepare(t->st, ins, &s), 0);
	ob_stmt_bind_text(s, 1, "z");
	ob_stmt_bind_double_or_null(s, 2, NAN);
	assert_int_equal(ob_stmt_exec(s), 0);
	assert_int_equal(ob_store_prepare(t->st, sel, &s), 0);
	ob_stmt_bind_text(s, 1, "z");
	assert_int_equal(ob_stmt_step(s), OB_ROW);
	assert_true(ob_stmt_is_null(s, 0));
	assert_true(isnan(ob_stmt_double(s, 0)));
	assert_null(ob_stmt_text(s, 1));
	ob_stmt_reset(s);
}

static void test_migrations_are_applied_once(void **state)
{
	ob_testdb *t = *state;
	int v1, v2;

	assert_int_equal(ob_store_schema_version(t->st, &v1), 0);
	assert_true(v1 >= 1);
	assert_int_equal(ob_store_migrate(t->st), 0);
	assert_int_equal(ob_store_schema_version(t->st, &v2), 0);
	assert_int_equal(v1, v2);
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM schema_migration"), v1);
}

/* A PostgreSQL URL goes to the PostgreSQL backend: an unreachable server
 * is an error naming it, on one line, without the URL's password
 * (tests/cli/test_postgres.sh runs the backend on a real server). */
static void test_unreachable_postgresql_is_a_clear_error(void **state)
{
	ob_store *st = NULL;

	(void)state;
	assert_int_equal(ob_store_open(&st, "postgresql://ob:secret@127.0.0.1:1/ob"), OB_ERROR);
	assert_null(st);
	assert_non_null(strstr(ob_error_last(), "cannot connect to PostgreSQL"));
	assert_null(strstr(ob_error_last(), "secret"));
	assert_null(strchr(ob_error_last(), '\n'));
}

/* A bind that fails (index out of range) makes the step fail: nothing runs
 * with a parameter missing; a reset clears it. */
static void test_failed_bind_fails_the_step(void **state)
{
	ob_testdb *t = *state;
	static const char *const sql = "INSERT INTO kv (k, v) VALUES ($1, $2)";
	ob_stmt *s;

	assert_int_equal(ob_store_prepare(t->st, sql, &s), 0);
	assert_int_equal(ob_stmt_bind_text(s, 1, "a"), 0);
	assert_true(ob_stmt_bind_text(s, 9, "b") < 0);
	ob_error_clear();
	assert_int_equal(ob_stmt_step(s), OB_ERROR);
	assert_true(*ob_error_last());
	ob_stmt_reset(s);
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM kv"), 0);
	assert_int_equal(ob_store_prepare(t->st, sql, &s), 0);
	assert_int_equal(ob_stmt_bind_text(s, 1, "a"), 0);
	assert_int_equal(ob_stmt_bind_text(s, 2, "b"), 0);
	assert_int_equal(ob_stmt_exec(s), 0);
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM kv"), 1);
}

static uint64_t ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void count_wait(void *arg, unsigned budget_ms)
{
	assert_int_equal(budget_ms, 300);
	(*(int *)arg)++;
}

/* Another connection holds the write lock: a begin backs off for the wait
 * budget (not the engine's fixed timeout), says so once, counts its
 * retries, then fails with OB_ERETRY; once the lock is free it succeeds. */
static void test_busy_begin_waits_its_budget_then_retry(void **state)
{
	ob_testdb *t = *state;
	ob_store *other = NULL;
	uint64_t before = ob_store_busy_retries(), t0, took;
	int notes = 0;

	assert_int_equal(ob_store_open(&other, t->path), 0);
	assert_int_equal(ob_store_begin(other), 0);
	assert_int_equal(ob_store_wait(t->st), OB_STORE_WAIT_DEFAULT_MS);
	ob_store_set_wait(t->st, 300);
	ob_store_on_wait(t->st, count_wait, &notes);
	t0 = ms_now();
	assert_int_equal(ob_store_begin(t->st), OB_ERETRY);
	took = ms_now() - t0;
	assert_non_null(strstr(ob_error_last(), "database busy"));
	assert_false(ob_store_in_txn(t->st));
	assert_true(took >= 290 && took < 3000);
	assert_int_equal(notes, 1);
	assert_true(ob_store_busy_retries() > before + 3);
	/* Reads are not held up by the writer. */
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM kv"), 0);
	ob_store_rollback(other);
	assert_int_equal(ob_store_begin(t->st), 0);
	assert_int_equal(ob_store_commit(t->st), 0);
	ob_store_set_wait(t->st, 0);
	assert_int_equal(ob_store_begin(other), 0);
	t0 = ms_now();
	assert_int_equal(ob_store_begin(t->st), OB_ERETRY);  /* 0: does not wait */
	assert_true(ms_now() - t0 < 200);
	ob_store_rollback(other);
	ob_store_free(other);
}

typedef struct flaky {
	int runs, fail_first;
} flaky;

/* Inserts a row, then fails as a mid-transaction busy would, fail_first
 * times. */
static int flaky_insert(ob_store *st, void *arg)
{
	flaky *f = arg;
	int rc = ob_store_exec(st, "INSERT INTO kv (k) VALUES ('row')");

	if (rc < 0)
		return rc;
	if (f->runs++ < f->fail_first)
		return ob_error_set(OB_ERETRY, "database busy: simulated");
	return 0;
}

static void test_txn_runs_the_whole_transaction_again_on_retry(void **state)
{
	ob_testdb *t = *state;
	flaky f = { .fail_first = 2 };
	uint64_t before = ob_store_busy_retries(), commits = ob_store_commits(t->st);

	assert_int_equal(ob_store_txn(t->st, flaky_insert, &f), 0);
	assert_int_equal(f.runs, 3);
	/* The failed runs were rolled back: one row, one commit. */
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM kv"), 1);
	assert_int_equal(ob_store_commits(t->st), commits + 1);
	assert_true(ob_store_busy_retries() >= before + 2);
	/* Bounded: a unit that stays busy fails once the budget is spent. */
	ob_store_set_wait(t->st, 100);
	f = (flaky){ .fail_first = 1000000 };
	ob_testdb_exec(t, "DELETE FROM kv");
	assert_int_equal(ob_store_txn(t->st, flaky_insert, &f), OB_ERETRY);
	assert_true(f.runs > 1 && f.runs < 1000);
	assert_int_equal(ob_testdb_count(t, "SELECT COUNT(*) FROM kv"), 0);
	/* Inside an open transaction the outermost unit retries, not this. */
	f = (flaky){ .fail_first = 1 };
	assert_int_equal(ob_store_begin(t->st), 0);
	assert_int_equal(ob_store_txn(t->st, flaky_insert, &f), OB_ERETRY);
	assert_int_equal(f.runs, 1);
	ob_store_rollback(t->st);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_numbered_parameters_bind_by_number_not_order),
		T(test_dollar_inside_literal_is_left_alone),
		T(test_statement_is_cached_by_text_address),
		T(test_held_statement_survives_cache_growth),
		T(test_unique_violation_maps_to_exists),
		T(test_inner_rollback_dooms_outer_transaction),
		T(test_nested_commit_reaches_database_once),
		T(test_null_and_nan_round_trip),
		T(test_migrations_are_applied_once),
		T(test_failed_bind_fails_the_step),
		T(test_busy_begin_waits_its_budget_then_retry),
		T(test_txn_runs_the_whole_transaction_again_on_retry),
		cmocka_unit_test(test_unreachable_postgresql_is_a_clear_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
