/*
 * backend.h - the interface a database backend implements for store.c.
 * Private to src/store.
 */
#ifndef OB_STORE_BACKEND_H
#define OB_STORE_BACKEND_H

#include "store/store.h"

#include <stddef.h>

typedef struct ob_backend {
	const char *name;
	const char *pk_type;  /* replaces @PK@ in migrations */
	int (*open)(void **conn, const char *target);
	void (*close)(void *conn);
	int (*exec)(void *conn, const char *sql);
	int (*prepare)(void *conn, const char *sql, void **stmt);
	void (*finalize)(void *stmt);
	void (*reset)(void *stmt);
	int (*bind_int)(void *stmt, int idx, int64_t v);
	int (*bind_double)(void *stmt, int idx, double v);
	int (*bind_text)(void *stmt, int idx, const char *v);
	int (*bind_null)(void *stmt, int idx);
	int (*step)(void *stmt);
	bool (*is_null)(void *stmt, int col);
	int64_t (*col_int)(void *stmt, int col);
	double (*col_double)(void *stmt, int col);
	const char *(*col_text)(void *stmt, int col);
	int (*col_count)(void *stmt);
	const char *(*col_name)(void *stmt, int col);
	int64_t (*last_id)(void *conn);
	void (*format_double)(double v, char *out, size_t n);
	/* How long the engine itself waits on a lock (ms); store.c sets 0
	 * around its own back-off loop of a write begin. NULL: none (the
	 * backend's begin_sql bounds each attempt). */
	void (*set_busy_wait)(void *conn, unsigned ms);
	const char *begin_sql;
	const char *begin_read_sql;
	/* Operations (docs/operations.md). size_sql: one row, one column, the
	 * bytes the database occupies. integrity: 0 when the database's
	 * structure checks out, OB_ECONFLICT naming the first problem, or
	 * OB_EINVALID when the backend has no such check. backup_to/restore_from:
	 * the online copy of the whole database into a new file, and its
	 * replacement by such a file in one transaction; NULL where the
	 * backend's own tools do it (pg_dump, pg_restore). */
	const char *size_sql;
	const char *seal_sql;  /* a copy made one self-contained file, or NULL */
	int (*integrity)(void *conn);
	int (*backup_to)(void *conn, const char *path);
	int (*restore_from)(void *conn, const char *path);
} ob_backend;

extern const ob_backend ob_backend_sqlite;
extern const ob_backend ob_backend_pg;

#endif
