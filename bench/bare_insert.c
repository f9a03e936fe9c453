/*
 * bare_insert.c - the peer of `oncobank import specimens`: the same CSV
 * rows inserted into the same `specimen` table (a database made by
 * `oncobank init` and the same site and donor imports, so the same schema
 * and indexes) with one prepared SQLite INSERT per row, in one transaction,
 * under the same connection settings as src/store/store_sqlite.c. No
 * validation, no audit trail: the floor the import is measured against.
 *
 * usage: bare_insert DB specimens.csv
 * prints "ROWS SECONDS". The CSV is gen.c's: no quoting, fixed columns
 * barcode,site,donor,type,pathology,quantity,unit,collected_at,sprec,status.
 */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NCOLS 10
#define MAX_SITES 64
#define MAX_DONORS 1000000

static sqlite3 *db;

static void die(const char *what)
{
	fprintf(stderr, "bare_insert: %s: %s\n", what, db ? sqlite3_errmsg(db) : "");
	exit(1);
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	static const char *const ins =
		"INSERT INTO specimen (barcode, label, site_id, donor_id, parent_id, lineage, type,"
		" anatomic_site, pathology, tumour_pct, quantity, initial_quantity, unit, collected_at,"
		" sprec, status, freeze_thaw, container_id, position, concentration, a260_280, rin, din,"
		" created_at) VALUES (?1, NULL, ?2, ?3, NULL, 'primary', ?4, NULL, ?5, NULL, ?6, ?6, ?7,"
		" ?8, ?9, ?10, 0, NULL, NULL, NULL, NULL, NULL, NULL, ?11)";
	static char site_code[MAX_SITES][40];
	static int64_t site_id[MAX_SITES], *donor_id;
	int nsites = 0;
	char line[4096], created[32];
	sqlite3_stmt *s;
	int64_t rows = 0;
	double t0;
	FILE *in;
	time_t tnow = time(NULL);
	struct tm tm;

	if (argc != 3) {
		fprintf(stderr, "usage: bare_insert DB specimens.csv\n");
		return 1;
	}
	gmtime_r(&tnow, &tm);
	strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm);
	t0 = now();
	if (sqlite3_open(argv[1], &db) != SQLITE_OK)
		die("open");
	if (sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;"
	                 " PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536;", NULL, NULL, NULL))
		die("pragmas");
	/* Site and donor ids by code, as the import resolves them. */
	if (sqlite3_prepare_v2(db, "SELECT id, code FROM site", -1, &s, NULL))
		die("sites");
	while (sqlite3_step(s) == SQLITE_ROW && nsites < MAX_SITES) {
		site_id[nsites] = sqlite3_column_int64(s, 0);
		snprintf(site_code[nsites++], sizeof site_code[0], "%s", sqlite3_column_text(s, 1));
	}
	sqlite3_finalize(s);
	if (!(donor_id = calloc(MAX_DONORS, sizeof *donor_id)))
		die("out of memory");
	if (sqlite3_prepare_v2(db, "SELECT id, code FROM donor", -1, &s, NULL))
		die("donors");
	while (sqlite3_step(s) == SQLITE_ROW) {
		long k = strtol((const char *)sqlite3_column_text(s, 1) + 1, NULL, 10);
		if (k > 0 && k < MAX_DONORS)
			donor_id[k] = sqlite3_column_int64(s, 0);
	}
	sqlite3_finalize(s);

	if (!(in = fopen(argv[2], "r")))
		die(argv[2]);
	if (!fgets(line, sizeof line, in))
		die("empty CSV");
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL))
		die("begin");
	if (sqlite3_prepare_v3(db, ins, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL))
		die("prepare");
	while (fgets(line, sizeof line, in)) {
		char *f[NCOLS], *p = line;
		int n = 0, si;
		long d;

		line[strcspn(line, "\r\n")] = '\0';
		while (n < NCOLS) {
			f[n++] = p;
			if (!(p = strchr(p, ',')))
				break;
			*p++ = '\0';
		}
		if (n != NCOLS)
			die("short row");
		for (si = 0; si < nsites && strcmp(site_code[si], f[1]); si++)
			;
		d = strtol(f[2] + 1, NULL, 10);
		if (si == nsites || d <= 0 || d >= MAX_DONORS || !donor_id[d])
			die("unknown site or donor");
		sqlite3_bind_text(s, 1, f[0], -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(s, 2, site_id[si]);
		sqlite3_bind_int64(s, 3, donor_id[d]);
		sqlite3_bind_text(s, 4, f[3], -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 5, f[4], -1, SQLITE_TRANSIENT);
		sqlite3_bind_double(s, 6, strtod(f[5], NULL));
		sqlite3_bind_text(s, 7, f[6], -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 8, f[7], -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 9, f[8], -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 10, f[9], -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 11, created, -1, SQLITE_STATIC);
		if (sqlite3_step(s) != SQLITE_DONE)
			die("insert");
		sqlite3_reset(s);
		rows++;
	}
	fclose(in);
	sqlite3_finalize(s);
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL))
		die("commit");
	if (sqlite3_close(db) != SQLITE_OK)
		die("close");
	printf("%lld %.3f\n", (long long)rows, now() - t0);
	return 0;
}
