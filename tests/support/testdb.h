/*
 * testdb.h - a fresh SQLite database in a temporary file for one test, and
 * a small network to put specimens in.
 *
 * Opt-in: with OB_TEST_DB_URL set to a PostgreSQL URL
 * (postgresql://USER@HOST:PORT/DB, a database the user may create others
 * from), each test gets a new database on that server instead, dropped on
 * close; path is then that database's URL, so a test may open a second
 * connection to it. Tests that run SQLite-only SQL do not apply there.
 */
#ifndef OB_TESTDB_H
#define OB_TESTDB_H

#include "bank/ctx.h"

typedef struct ob_testdb {
	char path[64];      /* the SQLite file, or the PostgreSQL database's URL */
	char dbname[32];    /* PostgreSQL: the database's name */
	const char *admin;  /* OB_TEST_DB_URL, or NULL for SQLite */
	ob_store *st;
	ob_ctx cx;
} ob_testdb;

/* Creates and opens (migrated); aborts the test run on failure. */
void ob_testdb_open(ob_testdb *t);
/* Closes and removes the file and its -wal/-shm companions. */
void ob_testdb_close(ob_testdb *t);
/* Adds center NCC > regional REG01, REG02 > hospital HOS01 (under REG01),
 * donor D1 at REG01 with full consent, and donor D2 at REG02. */
void ob_testdb_network(ob_testdb *t);
/* Runs SQL directly (for tampering tests). */
void ob_testdb_exec(ob_testdb *t, const char *sql);
/* Integer result of a one-value query. */
long long ob_testdb_count(ob_testdb *t, const char *sql);

#endif
