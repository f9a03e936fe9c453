/*
 * testdb.c - temporary databases for the unit tests (see testdb.h).
 */
#include "testdb.h"
#include "bank/donor.h"
#include "bank/site.h"
#include "base/error.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Runs one statement on the OB_TEST_DB_URL server. */
static void admin_exec(const char *admin, const char *sql)
{
	ob_store *st;

	if (ob_store_open_raw(&st, admin) < 0 || ob_store_exec(st, sql) < 0) {
		fprintf(stderr, "%s: %s: %s\n", admin, sql, ob_error_last());
		exit(99);
	}
	ob_store_free(st);
}

/* A fresh database on the OB_TEST_DB_URL server: the URL with its
 * database name replaced. */
static void open_pg(ob_testdb *t, const char *admin)
{
	static unsigned serial;
	const char *slash = strrchr(admin, '/');
	char sql[160];

	if (!slash || slash - admin < 12 || strchr(slash, '?')) {
		fprintf(stderr, "OB_TEST_DB_URL must end in /DATABASE: %s\n", admin);
		exit(99);
	}
	snprintf(t->dbname, sizeof t->dbname, "ob_test_%ld_%u", (long)getpid(), serial++);
	if ((size_t)snprintf(t->path, sizeof t->path, "%.*s/%s", (int)(slash - admin), admin,
		t->dbname) >= sizeof t->path) {
		fprintf(stderr, "OB_TEST_DB_URL is too long for a test database's URL: %s\n", admin);
		exit(99);
	}
	snprintf(sql, sizeof sql, "CREATE DATABASE %s", t->dbname);
	admin_exec(admin, sql);
	t->admin = admin;
}

void ob_testdb_open(ob_testdb *t)
{
	const char *admin = getenv("OB_TEST_DB_URL");
	int fd;

	t->admin = NULL;
	if (admin && *admin) {
		open_pg(t, admin);
	} else {
		snprintf(t->path, sizeof t->path, "/tmp/ob-test-XXXXXX");
		fd = mkstemp(t->path);
		if (fd < 0) {
			perror("mkstemp");
			exit(99);
		}
		close(fd);
	}
	if (ob_store_open(&t->st, t->path) < 0) {
		fprintf(stderr, "open %s: %s\n", t->path, ob_error_last());
		exit(99);
	}
	memset(&t->cx, 0, sizeof t->cx);  /* the local operator */
	t->cx.st = t->st;
	t->cx.actor = "tester";
}

void ob_testdb_close(ob_testdb *t)
{
	char p[160];

	ob_store_free(t->st);
	t->st = NULL;
	if (t->admin) {
		snprintf(p, sizeof p, "DROP DATABASE IF EXISTS %s", t->dbname);
		admin_exec(t->admin, p);
		return;
	}
	unlink(t->path);
	snprintf(p, sizeof p, "%s-wal", t->path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", t->path);
	unlink(p);
}

static void must(int rc, const char *what)
{
	if (rc < 0) {
		fprintf(stderr, "%s: %s\n", what, ob_error_last());
		exit(99);
	}
}

void ob_testdb_network(ob_testdb *t)
{
	must(ob_site_add(&t->cx, "NCC", "National Cancer Center", "center", NULL, NULL), "NCC");
	must(ob_site_add(&t->cx, "REG01", "Region 1", "regional", "NCC", NULL), "REG01");
	must(ob_site_add(&t->cx, "REG02", "Region 2", "regional", "NCC", NULL), "REG02");
	must(ob_site_add(&t->cx, "HOS01", "Hospital 1", "hospital", "REG01", NULL), "HOS01");
	must(ob_donor_add(&t->cx, "REG01", "D1", "female", 1970, NULL), "D1");
	must(ob_consent_add(&t->cx, "REG01", "D1", "v2", "2024-01-10", OB_CONSENT_STORAGE
		| OB_CONSENT_RESEARCH | OB_CONSENT_GENETIC | OB_CONSENT_SHARING, NULL), "consent D1");
	must(ob_donor_add(&t->cx, "REG02", "D2", "male", 1961, NULL), "D2");
	must(ob_consent_add(&t->cx, "REG02", "D2", "v2", "2024-02-01", OB_CONSENT_STORAGE
		| OB_CONSENT_RESEARCH, NULL), "consent D2");
}

void ob_testdb_exec(ob_testdb *t, const char *sql)
{
	must(ob_store_exec(t->st, sql), sql);
}

long long ob_testdb_count(ob_testdb *t, const char *sql)
{
	ob_stmt *s;
	long long n = -1;

	must(ob_store_prepare(t->st, sql, &s), sql);
	if (ob_stmt_step(s) == OB_ROW)
		n = ob_stmt_int(s, 0);
	ob_stmt_reset(s);
	return n;
}
