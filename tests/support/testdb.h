/*
 * testdb.h - a fresh SQLite database in a temporary file for one test, and
 * a small network to put specimens in.
 */
#ifndef OB_TESTDB_H
#define OB_TESTDB_H

#include "bank/ctx.h"

typedef struct ob_testdb {
	char path[64];
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
