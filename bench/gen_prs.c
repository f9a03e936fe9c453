/*
 * gen_prs.c - input of the PRS benchmark (bench/part-prs.sh): a bgzipped VCF
 * of NSAMPLES samples x NVARIANTS biallelic SNVs (GT only, ~1% missing
 * calls, ID = chr:pos) over chromosomes 1-22, and a score of NSCORE of those
 * variants in two layouts: PGS Catalog (score.txt) and plink2-ready
 * (score.plink2.tsv, ID effect_allele other_allele effect_weight). A third
 * of the score's effect alleles are the VCF REF. Same seed, same bytes.
 *
 *   gen_prs DIR NSAMPLES NVARIANTS NSCORE SEED
 */
#include <htslib/bgzf.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng;

static uint64_t next(void)
{
	/* xorshift64*: fast and good enough for test genotypes */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

static double unif(void)
{
	return (double)(next() >> 11) / 9007199254740992.0;
}

int main(int argc, char **argv)
{
	if (argc != 6) {
		fprintf(stderr, "usage: gen_prs DIR NSAMPLES NVARIANTS NSCORE SEED\n");
		return 1;
	}
	const char *dir = argv[1];
	int ns = atoi(argv[2]), nv = atoi(argv[3]), nscore = atoi(argv[4]);
	rng = strtoull(argv[5], NULL, 10) * 0x9E3779B97F4A7C15ULL + 1;
	static const char base[] = "ACGT";
	char path[4096];

	/* Which variants are scored: nscore distinct indices, spread evenly
	 * with a random jitter so they are not all at fixed strides. */
	unsigned char *scored = calloc((size_t)nv, 1);
	if (!scored || nscore > nv)
		return 1;
	for (int k = 0; k < nscore; k++) {
		int i = (int)(((int64_t)k * nv) / nscore + (int64_t)(unif() * ((double)nv / nscore)));
		while (i >= nv || scored[i])
			i = (i + 1) % nv;
		scored[i] = 1;
	}

	snprintf(path, sizeof path, "%s/genotypes.vcf.gz", dir);
	BGZF *out = bgzf_open(path, "w6");
	snprintf(path, sizeof path, "%s/score.txt", dir);
	FILE *sc = fopen(path, "w");
	snprintf(path, sizeof path, "%s/score.plink2.tsv", dir);
	FILE *p2 = fopen(path, "w");
	if (!out || !sc || !p2)
		return 1;
	bgzf_mt(out, 2, 256);
	fprintf(sc, "###PGS CATALOG SCORING FILE (synthetic, oncobank bench)\n#pgs_id=BENCH\n"
		"#genome_build=GRCh37\n#variants_number=%d\n"
		"chr_name\tchr_position\teffect_allele\tother_allele\teffect_weight\n", nscore);
	fputs("ID\teffect_allele\tother_allele\teffect_weight\n", p2);

	size_t cap = 64 + (size_t)ns * 4;
	char *line = malloc(cap);
	int n = snprintf(line, cap, "##fileformat=VCFv4.2\n");
	for (int c = 1; c <= 22; c++)
		n += snprintf(line + n, cap - (size_t)n, "##contig=<ID=%d,length=250000000>\n", c);
	n += snprintf(line + n, cap - (size_t)n,
		"##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"
		"#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT");
	if (bgzf_write(out, line, (size_t)n) < 0)
		return 1;
	for (int s = 0; s < ns; s++) {
		n = snprintf(line, cap, "\tS%05d", s + 1);
		if (bgzf_write(out, line, (size_t)n) < 0)
			return 1;
	}
	if (bgzf_write(out, "\n", 1) < 0)
		return 1;

	int per = (nv + 21) / 22;
	for (int i = 0; i < nv; i++) {
		int chr = 1 + i / per;
		int64_t pos = 10000 + (int64_t)(i % per) * 1000 + (int64_t)(unif() * 900);
		int r = (int)(next() % 4), a = (r + 1 + (int)(next() % 3)) % 4;
		double p = 0.05 + 0.9 * unif();
		n = snprintf(line, cap, "%d\t%lld\t%d:%lld\t%c\t%c\t.\tPASS\t.\tGT", chr, (long long)pos,
			chr, (long long)pos, base[r], base[a]);
		for (int s = 0; s < ns; s++) {
			char *g = line + n;
			if (next() % 100 == 0) {
				memcpy(g, "\t./.", 4);
			} else {
				g[0] = '\t';
				g[1] = unif() < p ? '1' : '0';
				g[2] = '/';
				g[3] = unif() < p ? '1' : '0';
			}
			n += 4;
		}
		line[n++] = '\n';
		if (bgzf_write(out, line, (size_t)n) < 0)
			return 1;
		if (scored[i]) {
			int eff_ref = next() % 3 == 0;
			double w = (unif() - 0.5) * 0.2;
			char e = eff_ref ? base[r] : base[a], o = eff_ref ? base[a] : base[r];
			fprintf(sc, "%d\t%lld\t%c\t%c\t%.6g\n", chr, (long long)pos, e, o, w);
			fprintf(p2, "%d:%lld\t%c\t%c\t%.6g\n", chr, (long long)pos, e, o, w);
		}
	}
	free(line);
	free(scored);
	if (bgzf_close(out) < 0 || fclose(sc) || fclose(p2))
		return 1;
	return 0;
}
