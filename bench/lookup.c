/*
 * lookup.c - in-process read benchmarks on the database the import bench
 * filled (linked with libob.a): barcode lookup through ob_specimen_id()
 * beside a bare prepared SQLite SELECT, the full record as the API gives it
 * (ob_specimen_full_read() rendered by ob_view_specimen_full()), and a three-filter count (site subtree + type
 * + status) through ob_specimen_count() beside a bare SQL count.
 *
 * usage: lookup DB NROWS [SEED]
 * Barcodes are drawn from gen.c's series ("BX" + serial 1..NROWS) with a
 * fixed seed. Prints "bench: ..." lines (see bench/run); times only, never
 * a verdict.
 */
#include "bank/barcode.h"
#include "bank/ctx.h"
#include "bank/specimen.h"
#include "base/buf.h"
#include "base/error.h"
#include "store/store.h"
#include "view/view.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NLOOKUP 100000
#define NSHOW 2000
#define NCOUNT 5

static uint64_t state;

static uint64_t rnext(void)
{
	uint64_t z = (state += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void fail(const char *what)
{
	fprintf(stderr, "lookup: %s: %s\n", what, ob_error_last());
	exit(1);
}

static void line(const char *name, double v, const char *unit, const char *peer, double pv,
                 double ratio)
{
	printf("bench: %s %.3g %s vs %s %.3g %s ratio %.2f\n", name, v, unit, peer, pv, unit, ratio);
}

int main(int argc, char **argv)
{
	static char (*codes)[OB_BARCODE_MAX];
	static const char *const bare_sql = "SELECT id FROM specimen WHERE barcode = ?1";
	static const char *const bare_count =
		"SELECT COUNT(*) FROM specimen WHERE type = ?2 AND status = ?3 AND site_id IN"
		" (SELECT id FROM site WHERE substr(path, 1, length(?1)) = ?1)";
	ob_specimen_filter f = { 0 };
	ob_store *st;
	sqlite3 *db;
	sqlite3_stmt *s;
	ob_buf out = OB_BUF_INIT;
	int64_t n, id, sum = 0, bsum = 0, cnt = 0, bcnt = 0;
	double t, t_ob, t_bare, t_show, t_cnt = 0, t_bcnt = 0;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: lookup DB NROWS [SEED]\n");
		return 1;
	}
	n = strtoll(argv[2], NULL, 10);
	state = argc == 4 ? strtoull(argv[3], NULL, 10) : 7;
	if (n < 1 || !(codes = malloc(NLOOKUP * sizeof *codes)))
		return 1;
	for (int i = 0; i < NLOOKUP; i++)
		if (ob_barcode_make("BX", 1 + (int64_t)(rnext() % (uint64_t)n), codes[i]) < 0)
			fail("barcode");
	if (ob_store_open(&st, argv[1]) < 0)
		fail(argv[1]);
	ob_ctx cx = { .st = st, .actor = "bench" };
	if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		fail("sqlite3_open");
	sqlite3_exec(db, "PRAGMA cache_size=-65536", NULL, NULL, NULL);

	/* Warm both caches the same way, then time. */
	for (int i = 0; i < 1000; i++)
		ob_specimen_id(&cx, codes[i], &id);
	t = now();
	for (int i = 0; i < NLOOKUP; i++) {
		if (ob_specimen_id(&cx, codes[i], &id) < 0)
			fail(codes[i]);
		sum += id;
	}
	t_ob = (now() - t) / NLOOKUP * 1e6;
	if (sqlite3_prepare_v2(db, bare_sql, -1, &s, NULL) != SQLITE_OK)
		fail("prepare");
	t = now();
	for (int i = 0; i < NLOOKUP; i++) {
		sqlite3_bind_text(s, 1, codes[i], -1, SQLITE_STATIC);
		if (sqlite3_step(s) != SQLITE_ROW)
			fail(codes[i]);
		bsum += sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
	}
	t_bare = (now() - t) / NLOOKUP * 1e6;
	sqlite3_finalize(s);
	if (sum != bsum)
		fail("lookups disagree");
	line("barcode_lookup", t_ob, "us", "sqlite_bare_select", t_bare, t_bare / t_ob);

	t = now();
	for (int i = 0; i < NSHOW; i++) {
		ob_specimen_full full;
		ob_buf_clear(&out);
		if (ob_specimen_full_read(&cx, codes[i], &full) < 0)
			fail(codes[i]);
		if (ob_view_specimen_full(&full, &out) < 0)
			fail(codes[i]);
		ob_specimen_full_free(&full);
	}
	t_show = (now() - t) / NSHOW * 1e6;
	printf("bench: specimen_show_json %.3g us\n", t_show);
	ob_buf_dispose(&out);

	f.site = "SUB1";
	f.type = "plasma";
	f.status = "available";
	if (sqlite3_prepare_v2(db, bare_count, -1, &s, NULL) != SQLITE_OK)
		fail("prepare count");
	for (int k = 0; k <= NCOUNT; k++) {  /* run 0 warms the cache */
		t = now();
		if (ob_specimen_count(&cx, &f, &cnt) < 0)
			fail("count");
		if (k)
			t_cnt += now() - t;
		t = now();
		sqlite3_bind_text(s, 1, "/NCC/SUB1/", -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, "plasma", -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, "available", -1, SQLITE_STATIC);
		if (sqlite3_step(s) != SQLITE_ROW)
			fail("bare count");
		bcnt = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
		if (k)
			t_bcnt += now() - t;
	}
	sqlite3_finalize(s);
	if (cnt != bcnt)
		fprintf(stderr, "lookup: counts disagree: %lld vs %lld\n", (long long)cnt, (long long)bcnt);
	t_cnt = t_cnt / NCOUNT * 1e3;
	t_bcnt = t_bcnt / NCOUNT * 1e3;
	line("count_site_type_status", t_cnt, "ms", "sqlite_bare_count", t_bcnt, t_bcnt / t_cnt);
	printf("bench: count_site_type_status_rows %lld specimens\n", (long long)cnt);
	sqlite3_close(db);
	ob_store_free(st);
	free(codes);
	return 0;
}
