/*
 * store_pg.c - the PostgreSQL backend (libpq).
 *
 * Each statement is prepared on the server once per connection (PQprepare,
 * the SQL as written: PostgreSQL takes $N natively) and described, so
 * column names and the parameter count are known before the first step.
 * Parameters travel as text with their types left to the server (declared
 * text where it cannot infer one). The first step executes and keeps the
 * whole result in memory - a query's rows, not the input's size, bound it;
 * later steps hand out its rows. Server notices ("relation already exists,
 * skipping") are dropped: the library never prints. Messages show the URL
 * without its password.
 */
#include "store/backend.h"
#include "base/error.h"

#include <libpq-fe.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The advisory lock every write transaction holds (any number will do, as
 * long as nothing else in the database uses it). */
#define WRITE_LOCK "5175131"

typedef struct pg_conn {
	PGconn *db;
	unsigned next_name;  /* names prepared statements s1, s2, ... */
} pg_conn;

typedef struct pg_stmt {
	pg_conn *c;
	char name[16];
	int nparams;
	char **values;       /* nparams owned strings; NULL binds SQL NULL */
	PGresult *desc;      /* column names and count */
	PGresult *res;       /* the executed result, or NULL */
	int row;             /* current row of res */
} pg_stmt;

static const char *one_line(const char *msg, char *out, size_t n);

/* The last error of res (or of the connection) as an OB_E* code. */
static int map_error(pg_conn *c, const PGresult *res, const char *what)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	char msg[1024];
	int code = OB_ERROR;

	one_line(res ? PQresultErrorMessage(res) : PQerrorMessage(c->db), msg, sizeof msg);
	if (state && !strcmp(state, "23505"))
		code = OB_EEXISTS;
	else if (state && !strncmp(state, "23", 2))
		code = OB_ECONFLICT;
	else if (state && (!strcmp(state, "40001") || !strcmp(state, "40P01") ||
			!strcmp(state, "55P03")))
		code = OB_ERETRY;
	if (code == OB_ERETRY)
		return ob_error_set(code, "database is busy: %s", msg);
	if (code != OB_ERROR)
		return ob_error_set(code, "%s", msg);
	return ob_error_set(code, "postgresql: %s%s%.200s", msg, what ? " in: " : "",
		what ? what : "");
}

/* url with its password, in the user info (user:password@) or as a
 * password= parameter, replaced by "***". */
static const char *redact(const char *url, char *out, size_t n)
{
	const char *p = strstr(url, "://"), *at, *colon, *slash, *pw;
	size_t k;

	snprintf(out, n, "%s", url);
	if (p) {
		p += 3;
		slash = strchr(p, '/');
		at = strchr(p, '@');
		if (at && (!slash || at < slash) && (colon = memchr(p, ':', (size_t)(at - p))))
			snprintf(out, n, "%.*s***%s", (int)(colon + 1 - url), url, at);
	}
	if ((pw = strstr(out, "password=")) && (k = (size_t)(pw - out) + 9) < n) {
		const char *end = strchr(out + k, '&');
		size_t tail = end ? strlen(end) : 0;
		if (k + 3 + tail < n) {
			memmove(out + k + 3, end ? end : "", tail + 1);
			memcpy(out + k, "***", 3);
		}
	}
	return out;
}

/* msg on one line, without trailing blanks. */
static const char *one_line(const char *msg, char *out, size_t n)
{
	size_t k = 0;

	for (const char *p = msg ? msg : ""; *p && k + 1 < n; p++) {
		char ch = *p == '\n' || *p == '\t' ? ' ' : *p;
		if (ch == ' ' && (k == 0 || out[k - 1] == ' '))
			continue;
		out[k++] = ch;
	}
	while (k && out[k - 1] == ' ')
		k--;
	out[k] = '\0';
	return out;
}

static void quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

static int pg_open(void **conn, const char *url)
{
	pg_conn *c = calloc(1, sizeof *c);
	PGresult *r;
	int rc = OB_ERROR;
	char shown[512], msg[512];

	if (!c)
		return ob_error_set(OB_ERROR, "out of memory");
	c->db = PQconnectdb(url);
	url = redact(url, shown, sizeof shown);
	if (!c->db || PQstatus(c->db) != CONNECTION_OK) {
		one_line(c->db ? PQerrorMessage(c->db) : "out of memory", msg, sizeof msg);
		ob_error_set(OB_ERROR, "%s: cannot connect to PostgreSQL: %s", url, msg);
		PQfinish(c->db);
		free(c);
		return OB_ERROR;
	}
	PQsetNoticeProcessor(c->db, quiet, NULL);
	/* Shortest exact float text (pg_format_double mirrors it), UTF-8, UTC;
	 * a writer waits for another as long as SQLite's busy timeout. */
	r = PQexec(c->db, "SET extra_float_digits = 1; SET client_encoding = 'UTF8';"
		" SET TIME ZONE 'UTC'; SET lock_timeout = '10s'");
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		ob_error_set(OB_ERROR, "%s: %s", url, one_line(PQresultErrorMessage(r), msg, sizeof msg));
		goto fail;
	}
	PQclear(r);
	/* Text must sort byte by byte, as in SQLite, or listings change order:
	 * asked of the database's default collation itself, whichever its
	 * provider (libc or ICU). */
	r = PQexec(c->db, "SELECT 'B' < 'a' AND 'Z' < '_' AND '_' < 'a'");
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
		ob_error_set(OB_ERROR, "%s: %s", url, one_line(PQresultErrorMessage(r), msg, sizeof msg));
		goto fail;
	}
	if (strcmp(PQgetvalue(r, 0, 0), "t")) {
		rc = ob_error_set(OB_EINVALID, "%s: the database does not collate text in byte"
			" order; oncobank needs it: create the database with"
			" createdb --locale=C --encoding=UTF8 --template=template0", url);
		goto fail;
	}
	PQclear(r);
	*conn = c;
	return 0;
fail:
	PQclear(r);
	PQfinish(c->db);
	free(c);
	return rc;
}

static void pg_close(void *conn)
{
	pg_conn *c = conn;

	if (!c)
		return;
	PQfinish(c->db);
	free(c);
}

static int pg_exec(void *conn, const char *sql)
{
	pg_conn *c = conn;
	PGresult *r = PQexec(c->db, sql);
	ExecStatusType s = PQresultStatus(r);
	int rc = 0;

	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK && s != PGRES_EMPTY_QUERY)
		rc = map_error(c, r, r ? NULL : sql);
	PQclear(r);
	/* A begin that failed half way (the lock timed out) leaves no
	 * transaction behind: store.c does not roll back a failed begin. */
	if (rc < 0 && !strncmp(sql, "BEGIN", 5) && PQtransactionStatus(c->db) == PQTRANS_INERROR)
		PQclear(PQexec(c->db, "ROLLBACK"));
	return rc;
}

/* The highest $N in sql, outside quoted literals and identifiers. */
static int max_param(const char *sql)
{
	char quote = 0;
	int max = 0;

	for (const char *p = sql; *p; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
		} else if (*p == '$' && p[1] >= '0' && p[1] <= '9') {
			int n = (int)strtol(p + 1, NULL, 10);
			if (n > max && n <= 999)
				max = n;
		}
	}
	return max;
}

/* The N of "could not determine data type of parameter $N", or 0. */
static int untyped_param(const PGresult *r, int nparams)
{
	const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
	const char *m = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
	const char *d;
	int n;

	if (!state || (strcmp(state, "42P18") && strcmp(state, "42P08")) || !m || !(d = strrchr(m, '$')))
		return 0;
	n = atoi(d + 1);
	return n >= 1 && n <= nparams ? n : 0;
}

/* Prepares sql with the server inferring each parameter's type; where it
 * cannot ("$1 IS NULL" alone, or a parameter the SQL skips) the parameter
 * is declared text, which is how SQLite would see the bound value. */
static int pg_prepare(void *conn, const char *sql, void **out)
{
	pg_conn *c = conn;
	pg_stmt *s = calloc(1, sizeof *s);
	int n = max_param(sql), bad;
	bool in_txn;
	Oid *types = calloc((size_t)n + 1, sizeof *types);
	PGresult *r;

	if (!s || !types) {
		free(s);
		free(types);
		return ob_error_set(OB_ERROR, "out of memory");
	}
	s->c = c;
	snprintf(s->name, sizeof s->name, "s%u", ++c->next_name);
	/* A failed PREPARE would abort the open transaction: guard it. */
	in_txn = PQtransactionStatus(c->db) == PQTRANS_INTRANS;
	for (;;) {
		if (in_txn)
			PQclear(PQexec(c->db, "SAVEPOINT ob_prepare"));
		r = PQprepare(c->db, s->name, sql, n, types);
		if (PQresultStatus(r) == PGRES_COMMAND_OK)
			break;
		if (in_txn)
			PQclear(PQexec(c->db, "ROLLBACK TO SAVEPOINT ob_prepare"));
		bad = untyped_param(r, n);
		if (!bad || types[bad - 1]) {
			map_error(c, r, sql);
			PQclear(r);
			if (in_txn)
				PQclear(PQexec(c->db, "RELEASE SAVEPOINT ob_prepare"));
			free(types);
			free(s);
			return OB_ERROR;
		}
		types[bad - 1] = 25;  /* TEXTOID */
		PQclear(r);
	}
	PQclear(r);
	if (in_txn)
		PQclear(PQexec(c->db, "RELEASE SAVEPOINT ob_prepare"));
	free(types);
	s->desc = PQdescribePrepared(c->db, s->name);
	if (PQresultStatus(s->desc) != PGRES_COMMAND_OK) {
		map_error(c, s->desc, sql);
		PQclear(s->desc);
		free(s);
		return OB_ERROR;
	}
	s->nparams = PQnparams(s->desc);
	if (s->nparams > 0 && !(s->values = calloc((size_t)s->nparams, sizeof *s->values))) {
		PQclear(s->desc);
		free(s);
		return ob_error_set(OB_ERROR, "out of memory");
	}
	s->row = -1;
	*out = s;
	return 0;
}

static void pg_reset(void *stmt)
{
	pg_stmt *s = stmt;

	PQclear(s->res);
	s->res = NULL;
	s->row = -1;
	for (int i = 0; i < s->nparams; i++) {
		free(s->values[i]);
		s->values[i] = NULL;
	}
}

static void pg_finalize(void *stmt)
{
	pg_stmt *s = stmt;

	if (!s)
		return;
	pg_reset(s);
	free(s->values);
	PQclear(s->desc);
	free(s);
}

static int set_param(pg_stmt *s, int idx, const char *text)
{
	char *v = NULL;

	if (idx < 1 || idx > s->nparams)
		return ob_error_set(OB_ERROR, "postgresql: parameter $%d out of range (statement has %d)",
			idx, s->nparams);
	if (text && !(v = strdup(text)))
		return ob_error_set(OB_ERROR, "out of memory");
	free(s->values[idx - 1]);
	s->values[idx - 1] = v;
	return 0;
}

static int pg_bind_int(void *s, int idx, int64_t v)
{
	char t[24];

	snprintf(t, sizeof t, "%" PRId64, v);
	return set_param(s, idx, t);
}

static void pg_format_double(double v, char *out, size_t n);

static int pg_bind_double(void *s, int idx, double v)
{
	char t[40];

	pg_format_double(v, t, sizeof t);
	return set_param(s, idx, t);
}

static int pg_bind_text(void *s, int idx, const char *v)
{
	return set_param(s, idx, v);
}

static int pg_bind_null(void *s, int idx)
{
	return set_param(s, idx, NULL);
}

static int pg_step(void *stmt)
{
	pg_stmt *s = stmt;

	if (!s->res) {
		ExecStatusType st;

		s->res = PQexecPrepared(s->c->db, s->name, s->nparams,
			(const char *const *)s->values, NULL, NULL, 0);
		st = PQresultStatus(s->res);
		if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
			int rc = map_error(s->c, s->res, NULL);
			PQclear(s->res);
			s->res = NULL;
			return rc;
		}
		s->row = -1;
	}
	if (s->row + 1 < PQntuples(s->res)) {
		s->row++;
		return OB_ROW;
	}
	s->row = PQntuples(s->res);
	return 0;
}

static bool have_row(const pg_stmt *s, int col)
{
	return s->res && s->row >= 0 && s->row < PQntuples(s->res) && col >= 0 &&
		col < PQnfields(s->res);
}

static bool pg_is_null(void *stmt, int col)
{
	pg_stmt *s = stmt;

	return !have_row(s, col) || PQgetisnull(s->res, s->row, col);
}

static int64_t pg_col_int(void *stmt, int col)
{
	pg_stmt *s = stmt;
	const char *v;

	if (pg_is_null(s, col))
		return 0;
	v = PQgetvalue(s->res, s->row, col);
	if (v[0] == 't' && !v[1])  /* boolean */
		return 1;
	if (v[0] == 'f' && !v[1])
		return 0;
	if (strpbrk(v, ".eE"))     /* numeric or float: truncate, as SQLite does */
		return (int64_t)strtod(v, NULL);
	return strtoll(v, NULL, 10);
}

static double pg_col_double(void *stmt, int col)
{
	pg_stmt *s = stmt;
	const char *v;

	if (pg_is_null(s, col))
		return 0.0;
	v = PQgetvalue(s->res, s->row, col);
	if (v[0] == 't' && !v[1])
		return 1.0;
	if (v[0] == 'f' && !v[1])
		return 0.0;
	return strtod(v, NULL);
}

static const char *pg_col_text(void *stmt, int col)
{
	pg_stmt *s = stmt;

	return pg_is_null(s, col) ? NULL : PQgetvalue(s->res, s->row, col);
}

static int pg_col_count(void *stmt)
{
	pg_stmt *s = stmt;

	return PQnfields(s->res ? s->res : s->desc);
}

static const char *pg_col_name(void *stmt, int col)
{
	pg_stmt *s = stmt;
	PGresult *r = s->res ? s->res : s->desc;

	return col >= 0 && col < PQnfields(r) ? PQfname(r, col) : NULL;
}

/* The key the last INSERT drew from its identity sequence; 0 if none. */
static int64_t pg_last_id(void *conn)
{
	pg_conn *c = conn;
	PGresult *r = PQexec(c->db, "SELECT lastval()");
	int64_t id = 0;

	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
		id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return id;
}

/* The text PostgreSQL gives for a DOUBLE PRECISION value with
 * extra_float_digits = 1 (float8out): the shortest digits that read back
 * exactly, in %e style when the decimal exponent is below -4 or at least 15
 * (DBL_DIG), otherwise plain; "NaN", "Infinity", "-Infinity". */
static void pg_format_double(double v, char *out, size_t n)
{
	char e[40], digits[24];
	int prec, exp, nd = 0, k = 0;
	const char *p;
	bool neg;

	if (isnan(v)) {
		snprintf(out, n, "NaN");
		return;
	}
	if (isinf(v)) {
		snprintf(out, n, "%s", v < 0 ? "-Infinity" : "Infinity");
		return;
	}
	if (v == 0.0) {
		snprintf(out, n, "%s", signbit(v) ? "-0" : "0");
		return;
	}
	for (prec = 1; prec <= 17; prec++) {
		snprintf(e, sizeof e, "%.*e", prec - 1, v);
		if (strtod(e, NULL) == v)
			break;
	}
	/* e is "-d.ddde-XX": split into sign, digits and exponent. */
	neg = e[0] == '-';
	for (p = e + neg; *p && *p != 'e'; p++)
		if (*p != '.')
			digits[nd++] = *p;
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	digits[nd] = '\0';
	exp = atoi(p + 1);
	char buf[64];
	if (neg)
		buf[k++] = '-';
	if (exp < -4 || exp >= 15) {
		buf[k++] = digits[0];
		if (nd > 1) {
			buf[k++] = '.';
			memcpy(buf + k, digits + 1, (size_t)nd - 1);
			k += nd - 1;
		}
		k += snprintf(buf + k, sizeof buf - (size_t)k, "e%c%02d", exp < 0 ? '-' : '+',
			exp < 0 ? -exp : exp);
	} else if (exp < 0) {
		buf[k++] = '0';
		buf[k++] = '.';
		for (int i = -1; i > exp; i--)
			buf[k++] = '0';
		memcpy(buf + k, digits, (size_t)nd);
		k += nd;
	} else {
		for (int i = 0; i <= exp || i < nd; i++) {
			if (i == exp + 1)
				buf[k++] = '.';
			buf[k++] = i < nd ? digits[i] : '0';
		}
	}
	buf[k] = '\0';
	snprintf(out, n, "%s", buf);
}

/* PostgreSQL checks its pages itself (checksums, amcheck); oncobank has no
 * portable check to add. */
static int pg_integrity(void *conn)
{
	(void)conn;
	return ob_error_set(OB_EINVALID, "integrity: PostgreSQL has no integrity check here"
		" (use pg_amcheck)");
}

const ob_backend ob_backend_pg = {
	.name = "postgresql",
	.pk_type = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
	.open = pg_open,
	.close = pg_close,
	.exec = pg_exec,
	.prepare = pg_prepare,
	.finalize = pg_finalize,
	.reset = pg_reset,
	.bind_int = pg_bind_int,
	.bind_double = pg_bind_double,
	.bind_text = pg_bind_text,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.is_null = pg_is_null,
	.col_int = pg_col_int,
	.col_double = pg_col_double,
	.col_text = pg_col_text,
	.col_count = pg_col_count,
	.col_name = pg_col_name,
	.last_id = pg_last_id,
	.format_double = pg_format_double,
	/* As SQLite's BEGIN IMMEDIATE: one writer at a time. Each attempt
	 * waits at most 200 ms for the lock (then OB_ERETRY, and store.c backs
	 * off and tries again within its budget); the transaction then runs
	 * with the connection's lock_timeout and sees every commit before its
	 * own; readers take a snapshot and wait for nobody. */
	.begin_sql = "BEGIN ISOLATION LEVEL READ COMMITTED; SET LOCAL lock_timeout = '200ms';"
		" SELECT pg_advisory_xact_lock(" WRITE_LOCK "); SET LOCAL lock_timeout = '10s'",
	.begin_read_sql = "BEGIN ISOLATION LEVEL REPEATABLE READ",
	.size_sql = "SELECT pg_database_size(current_database())",
	.integrity = pg_integrity,
};
