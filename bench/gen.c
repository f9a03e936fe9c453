/*
 * gen.c - the bench's input: a small site tree, donors and N specimens as
 * CSV files for `oncobank import`, drawn from a fixed seed (splitmix64), so
 * every run measures the same rows.
 *
 * usage: gen OUTDIR N [SEED]
 * writes OUTDIR/sites.csv, OUTDIR/donors.csv, OUTDIR/specimens.csv.
 * Specimen barcodes are ob_barcode_make("BX", serial) for serial 1..N, so
 * lookup.c can draw existing barcodes without reading the file.
 */
#include "bank/barcode.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NDONORS 10000
#define NREG 8

static uint64_t state;

static uint64_t rnext(void)
{
	uint64_t z = (state += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static double unif(void)
{
	return (double)(rnext() >> 11) * (1.0 / 9007199254740992.0);
}

static const struct {
	const char *type, *unit, *sprec;
	double lo, hi;
	int weight;
	int tissue;
} types[] = {
	{ "plasma", "ml", "PL1-PED-A-B-N-B-J", 0.5, 4.5, 25, 0 },
	{ "serum", "ml", "SER-SST-A-B-N-B-J", 0.5, 3, 20, 0 },
	{ "whole_blood", "ml", "BLD-PED-A-N-N-N-Y", 2, 4, 10, 0 },
	{ "buffy_coat", "ml", "BFF-PED-A-B-N-A-D", 0.5, 1, 8, 0 },
	{ "ffpe_block", "block", "TIS-SRG-C-D-NBF-E-P", 1, 1, 15, 1 },
	{ "fresh_frozen", "mg", "TIS-SRG-C-B-SNP-N-C", 30, 250, 10, 1 },
	{ "oct", "mg", "TIS-SRG-C-B-OCT-N-D", 50, 200, 3, 1 },
	{ "urine", "ml", "URN-PPS-A-N-N-N-J", 10, 50, 4, 0 },
	{ "saliva", "ml", "SAL-ORG-A-N-N-N-J", 2, 2, 2, 0 },
	{ "ascites", "ml", "ASC-PPS-B-D-N-A-J", 10, 50, 1, 0 },
	{ "pleural_fluid", "ml", "PFL-PPS-B-D-N-A-J", 10, 50, 1, 0 },
	{ "csf", "ml", "CSF-PPS-B-D-N-A-A", 1, 2, 1, 0 },
};
#define NTYPES ((int)(sizeof types / sizeof types[0]))

static FILE *open_out(const char *dir, const char *name)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (!(f = fopen(path, "w"))) {
		perror(path);
		exit(1);
	}
	return f;
}

static void close_out(FILE *f)
{
	if (fclose(f) != 0) {
		perror("gen: write");
		exit(1);
	}
}

int main(int argc, char **argv)
{
	char *end;
	long long n;
	int total = 0, donor_site[NDONORS + 1];
	FILE *f;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: gen OUTDIR N [SEED]\n");
		return 1;
	}
	n = strtoll(argv[2], &end, 10);
	if (*end || n < 1) {
		fprintf(stderr, "gen: N must be a positive number\n");
		return 1;
	}
	state = argc == 4 ? strtoull(argv[3], NULL, 10) : 42;

	f = open_out(argv[1], "sites.csv");
	fprintf(f, "code,name,kind,parent\nNCC,National Cancer Center,center,\n"
		"SUB1,Northern Sub-center,sub-center,NCC\nSUB2,Southern Sub-center,sub-center,NCC\n");
	for (int i = 1; i <= NREG; i++)
		fprintf(f, "REG%02d,Regional Cancer Center %d,regional,SUB%d\n", i, i, i <= NREG / 2 ? 1 : 2);
	close_out(f);

	f = open_out(argv[1], "donors.csv");
	fprintf(f, "site,donor,sex,birth_year\n");
	for (int d = 1; d <= NDONORS; d++) {
		donor_site[d] = 1 + (int)(unif() * NREG);
		fprintf(f, "REG%02d,D%05d,%s,%d\n", donor_site[d], d, unif() < 0.55 ? "female" : "male",
			1930 + (int)(unif() * 70));
	}
	close_out(f);

	for (int t = 0; t < NTYPES; t++)
		total += types[t].weight;
	f = open_out(argv[1], "specimens.csv");
	fprintf(f, "barcode,site,donor,type,pathology,quantity,unit,collected_at,sprec,status\n");
	for (long long i = 1; i <= n; i++) {
		char bc[OB_BARCODE_MAX];
		int d = 1 + (int)(unif() * NDONORS), t = 0, w = (int)(unif() * total);
		long long day = 16800 + (long long)(unif() * 3000);  /* 2016 .. 2024 */
		time_t secs = (time_t)(day * 86400 + 8 * 3600 + (long long)(unif() * 36000));
		struct tm tm;
		char when[32];

		while (w >= types[t].weight)
			w -= types[t++].weight;
		if (ob_barcode_make("BX", i, bc) < 0)
			return 1;
		gmtime_r(&secs, &tm);
		strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
		fprintf(f, "%s,REG%02d,D%05d,%s,%s,%.1f,%s,%s,%s,%s\n", bc, donor_site[d], d, types[t].type,
			types[t].tissue ? (unif() < 0.7 ? "tumour" : "normal") : "unknown",
			types[t].lo + unif() * (types[t].hi - types[t].lo), types[t].unit, when,
			types[t].sprec, unif() < 0.92 ? "available" : "reserved");
	}
	close_out(f);
	return 0;
}
