/*
 * store_sqlite.c - the embedded SQLite backend (WAL, foreign keys on, busy
 * timeout, full synchronous commits so nothing committed is lost).
 */
#include "store/backend.h"
#include "base/buf.h"
#include "base/error.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

static int map_rc(sqlite3 *db, int rc)
{
	int ext = sqlite3_extended_errcode(db);

	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_DONE:
		return 0;
	case SQLITE_ROW:
		return OB_ROW;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return ob_error_set(OB_ERETRY, "database is busy: %s", sqlite3_errmsg(db));
	case SQLITE_CONSTRAINT:
		if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
			return ob_error_set(OB_EEXISTS, "%s", sqlite3_errmsg(db));
		return ob_error_set(OB_ECONFLICT, "%s", sqlite3_errmsg(db));
	default:
		return ob_error_set(OB_ERROR, "sqlite: %s", sqlite3_errmsg(db));
	}
}

static pthread_once_t configured = PTHREAD_ONCE_INIT;

/* Memory statistics cost a global mutex on every allocation; oncobank never
 * reads them. Must precede the library's initialisation, once per process
 * (the server's workers open connections concurrently). */
static void configure(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static int sl_open(void **conn, const char *path)
{
	sqlite3 *db = NULL;
	int rc;

	pthread_once(&configured, configure);
	rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);

	if (rc != SQLITE_OK) {
		ob_error_set(OB_ERROR, "%s: cannot open database: %s", path,
			db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return OB_ERROR;
	}
	/* store.c sets the busy wait (its budget) right after opening. */
	sqlite3_busy_timeout(db, (int)OB_STORE_WAIT_DEFAULT_MS);
	rc = sqlite3_exec(db,
		"PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;"
		" PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536;", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		ob_error_set(OB_ERROR, "%s: %s", path, sqlite3_errmsg(db));
		sqlite3_close(db);
		return OB_ERROR;
	}
	*conn = db;
	return 0;
}

static void sl_set_busy_wait(void *conn, unsigned ms)
{
	sqlite3_busy_timeout(conn, ms > INT32_MAX ? INT32_MAX : (int)ms);
}

static void sl_close(void *conn)
{
	sqlite3_close(conn);
}

static int sl_exec(void *conn, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(conn, sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK) {
		int code = map_rc(conn, rc);
		if (msg)
			ob_error_set(code, "sqlite: %s", msg);
		sqlite3_free(msg);
		return code;
	}
	return 0;
}

/* $N parameters become ?N, outside quoted literals and identifiers. */
static int sl_prepare(void *conn, const char *sql, void **out)
{
	ob_buf b = OB_BUF_INIT;
	sqlite3_stmt *s = NULL;
	char quote = 0;
	int rc;

	for (const char *p = sql; *p; p++) {
		char c = *p;
		if (quote) {
			if (c == quote)
				quote = 0;
		} else if (c == '\'' || c == '"') {
			quote = c;
		} else if (c == '$' && p[1] >= '0' && p[1] <= '9') {
			c = '?';
		}
		if (ob_buf_putc(&b, c) < 0) {
			ob_buf_dispose(&b);
			return OB_ERROR;
		}
	}
	rc = sqlite3_prepare_v3(conn, ob_buf_cstr(&b), -1, SQLITE_PREPARE_PERSISTENT, &s, NULL);
	ob_buf_dispose(&b);
	if (rc != SQLITE_OK) {
		ob_error_set(OB_ERROR, "sqlite: %s in: %.200s", sqlite3_errmsg(conn), sql);
		return OB_ERROR;
	}
	*out = s;
	return 0;
}

static void sl_finalize(void *s)
{
	sqlite3_finalize(s);
}

static void sl_reset(void *s)
{
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
}

static int bind_rc(void *s, int rc)
{
	return rc == SQLITE_OK ? 0 : map_rc(sqlite3_db_handle(s), rc);
}

static int sl_bind_int(void *s, int idx, int64_t v)
{
	return bind_rc(s, sqlite3_bind_int64(s, idx, v));
}

static int sl_bind_double(void *s, int idx, double v)
{
	return bind_rc(s, sqlite3_bind_double(s, idx, v));
}

static int sl_bind_text(void *s, int idx, const char *v)
{
	return bind_rc(s, sqlite3_bind_text(s, idx, v, -1, SQLITE_TRANSIENT));
}

static int sl_bind_null(void *s, int idx)
{
	return bind_rc(s, sqlite3_bind_null(s, idx));
}

static int sl_step(void *s)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_ROW)
		return OB_ROW;
	if (rc == SQLITE_DONE)
		return 0;
	rc = map_rc(sqlite3_db_handle(s), rc);
	sqlite3_reset(s);
	return rc;
}

static bool sl_is_null(void *s, int col)
{
	return sqlite3_column_type(s, col) == SQLITE_NULL;
}

static int64_t sl_col_int(void *s, int col)
{
	return sqlite3_column_int64(s, col);
}

static double sl_col_double(void *s, int col)
{
	return sqlite3_column_double(s, col);
}

static const char *sl_col_text(void *s, int col)
{
	return (const char *)sqlite3_column_text(s, col);
}

static int sl_col_count(void *s)
{
	return sqlite3_column_count(s);
}

static const char *sl_col_name(void *s, int col)
{
	return sqlite3_column_name(s, col);
}

static int64_t sl_last_id(void *conn)
{
	return sqlite3_last_insert_rowid(conn);
}

/* The text SQLite gives for a REAL column (sqlite3VdbeMemStringify). */
static void sl_format_double(double v, char *out, size_t n)
{
	sqlite3_snprintf((int)n, out, "%!.15g", v);
}

/* ---- operations: integrity check, online backup and restore ---- */

static int sl_integrity(void *conn)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(conn, "PRAGMA integrity_check(1)", -1, &s, NULL);

	if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *msg = (const char *)sqlite3_column_text(s, 0);
		rc = msg && !strcmp(msg, "ok") ? 0
			: ob_error_set(OB_ECONFLICT, "integrity: %s", msg ? msg : "no answer");
		sqlite3_finalize(s);
		return rc;
	}
	rc = map_rc(conn, rc);
	sqlite3_finalize(s);
	/* A file that is not a database at all fails here. */
	return ob_error_set(OB_ECONFLICT, "integrity: %s", ob_error_last());
}

/* Copies every page of from into to in one pass: the reader's snapshot of
 * a WAL database, so writers go on meanwhile and the copy is one moment's
 * state. A busy destination (a writer of its own) is waited for, bounded. */
static int copy_db(sqlite3 *to, sqlite3 *from, const char *what)
{
	sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
	int rc, tries = 0;

	if (!b)
		return ob_error_set(OB_ERROR, "%s: %s", what, sqlite3_errmsg(to));
	while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) {
		if (++tries > 200)
			break;
		sqlite3_sleep(50);
	}
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE)
		return ob_error_set(rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? OB_ERETRY : OB_ERROR,
			"%s: %s", what, sqlite3_errstr(rc));
	return 0;
}

static int sl_backup_to(void *conn, const char *path)
{
	sqlite3 *dst = NULL;
	int rc = sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);

	if (rc != SQLITE_OK) {
		rc = ob_error_set(OB_ERROR, "%s: cannot create: %s", path,
			dst ? sqlite3_errmsg(dst) : "out of memory");
		sqlite3_close(dst);
		return rc;
	}
	rc = copy_db(dst, conn, path);
	/* One self-contained file: no -wal beside it to lose. */
	if (rc == 0 && sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK)
		rc = ob_error_set(OB_ERROR, "%s: %s", path, sqlite3_errmsg(dst));
	if (sqlite3_close(dst) != SQLITE_OK && rc == 0)
		rc = ob_error_set(OB_ERROR, "%s: cannot close the copy", path);
	return rc;
}

static int sl_restore_from(void *conn, const char *path)
{
	sqlite3 *src = NULL;
	int rc = sqlite3_open_v2(path, &src, SQLITE_OPEN_READONLY, NULL);

	if (rc != SQLITE_OK) {
		rc = ob_error_set(OB_ERROR, "%s: cannot open: %s", path,
			src ? sqlite3_errmsg(src) : "out of memory");
		sqlite3_close(src);
		return rc;
	}
	rc = copy_db(conn, src, path);
	sqlite3_close(src);
	/* The copy came in rollback-journal mode; the live file stays WAL. */
	if (rc == 0)
		rc = sl_exec(conn, "PRAGMA journal_mode=WAL");
	return rc;
}

const ob_backend ob_backend_sqlite = {
	.name = "sqlite",
	.pk_type = "INTEGER PRIMARY KEY",
	.open = sl_open,
	.close = sl_close,
	.exec = sl_exec,
	.prepare = sl_prepare,
	.finalize = sl_finalize,
	.reset = sl_reset,
	.bind_int = sl_bind_int,
	.bind_double = sl_bind_double,
	.bind_text = sl_bind_text,
	.bind_null = sl_bind_null,
	.step = sl_step,
	.is_null = sl_is_null,
	.col_int = sl_col_int,
	.col_double = sl_col_double,
	.col_text = sl_col_text,
	.col_count = sl_col_count,
	.col_name = sl_col_name,
	.last_id = sl_last_id,
	.format_double = sl_format_double,
	.set_busy_wait = sl_set_busy_wait,
	.begin_sql = "BEGIN IMMEDIATE",
	.begin_read_sql = "BEGIN DEFERRED",
	.size_sql = "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
	.seal_sql = "PRAGMA journal_mode=DELETE",
	.integrity = sl_integrity,
	.backup_to = sl_backup_to,
	.restore_from = sl_restore_from,
};
