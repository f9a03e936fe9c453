/*
 * gen_annot.c - the annotation bench's input (bench/part-annotate.sh), drawn
 * from a fixed seed (splitmix64) so every run measures the same records:
 *
 *   OUTDIR/ref.fa (+ ref.fa.fai)  5 contigs "1".."5" of 20-50 Mb; GC drifts
 *                                 between 35 % and 55 % per 50 kb block and
 *                                 CpG is depleted, as in a mammalian genome
 *   OUTDIR/genes.gff3             ~3,000 protein-coding genes in the Ensembl
 *                                 GFF3 layout bcftools csq reads (gene ->
 *                                 transcript -> exon, CDS with phase,
 *                                 five/three_prime_UTR), both strands; ~40 %
 *                                 of genes have 2-3 transcripts (a skipped
 *                                 in-frame exon, shorter UTRs)
 *   OUTDIR/variants.vcf           N sorted records, one sample with a phased
 *                                 GT: 85 % SNVs, 8 % deletions and 7 %
 *                                 insertions of 1-10 bases; 35 % of records
 *                                 fall in or within 10 bases of an exon, 15 %
 *                                 elsewhere in a gene, 50 % anywhere; every
 *                                 REF is the reference's
 *
 * Each primary transcript's CDS is written into the reference as an open
 * reading frame (ATG, sense codons, a stop), so consequences are those of a
 * real protein, not of a random frame full of stops.
 *
 * usage: gen_annot OUTDIR N [SEED]   (SEED defaults to 42)
 * The reference and genes depend on SEED only, not on N.
 * Memory: one contig's sequence and its genes and variants at a time.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NCONTIG 5
#define NGENES 3000
#define MAXEXON 16
#define MAXTX 3

/* Two streams from the seed: the genome and genes, and the variants, so the
 * genome does not depend on N. `cur` is the stream in use. */
static uint64_t gstate, vstate, *cur = &gstate;

static uint64_t rnext(void)
{
	uint64_t z = (*cur += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static double unif(void)
{
	return (double)(rnext() >> 11) * (1.0 / 9007199254740992.0);
}

/* uniform integer in [lo, hi] */
static long urange(long lo, long hi)
{
	return lo + (long)(rnext() % (uint64_t)(hi - lo + 1));
}

/* An exon in genomic coordinates, 1-based inclusive. */
typedef struct {
	long beg, end;
} span;

typedef struct {
	int nexon;
	span exon[MAXEXON]; /* in genomic order */
	long cds_beg, cds_end; /* genomic, inclusive */
} tx;

typedef struct {
	long beg, end;
	int strand; /* +1 / -1 */
	int ntx;
	tx t[MAXTX];
} gene;

static const char comp[256] = {
	['A'] = 'T', ['C'] = 'G', ['G'] = 'C', ['T'] = 'A',
};
static const char bases[] = "ACGT";

/* The sequence of one contig: GC drifting per 50 kb block, CpG depleted. */
static void make_seq(char *s, long len)
{
	double gc = 0.41;
	for (long i = 0; i < len; i++) {
		if (i % 50000 == 0)
			gc = 0.35 + 0.20 * unif();
		double u = unif();
		char b;
		if (u < gc) {
			b = unif() < 0.5 ? 'C' : 'G';
			/* CpG is a quarter as common as chance would have it */
			if (b == 'G' && i > 0 && s[i - 1] == 'C' && unif() < 0.75)
				b = 'C';
		} else {
			b = unif() < 0.5 ? 'A' : 'T';
		}
		s[i] = b;
	}
}

static const char *stops[] = { "TAA", "TAG", "TGA" };

static int is_stop(const char *c)
{
	return !memcmp(c, "TAA", 3) || !memcmp(c, "TAG", 3) || !memcmp(c, "TGA", 3);
}

/*
 * Lays out one gene starting at `at` (exon lengths, introns, UTRs), writes
 * the primary transcript's ORF into the sequence and derives 0-2
 * alternative transcripts. Returns the gene's end.
 */
static long make_gene(gene *g, char *s, long at, long contig_len)
{
	int n = 1 + (int)urange(0, 11) + (unif() < 0.2 ? (int)urange(0, 3) : 0);
	long elen[MAXEXON], ilen[MAXEXON];
	long u5, u3, mrna = 0, cds;

	if (n > MAXEXON)
		n = MAXEXON;
	for (int i = 0; i < n; i++) {
		elen[i] = urange(60, 250);
		ilen[i] = unif() < 0.8 ? urange(80, 3000) : urange(3000, 15000);
	}
	u5 = urange(10, 150);
	u3 = urange(60, 900);
	elen[0] += u5;
	elen[n - 1] += u3;
	for (int i = 0; i < n; i++)
		mrna += elen[i];
	cds = mrna - u5 - u3;
	/* a CDS of whole codons: lengthen the last exon's coding part */
	elen[n - 1] += (3 - cds % 3) % 3;
	cds += (3 - cds % 3) % 3;
	mrna = 0;
	for (int i = 0; i < n; i++)
		mrna += elen[i];

	long spanlen = 0;
	for (int i = 0; i < n; i++)
		spanlen += elen[i] + (i + 1 < n ? ilen[i] : 0);
	if (at + spanlen + 100 >= contig_len)
		return -1;
	g->beg = at;
	g->end = at + spanlen - 1;
	g->strand = unif() < 0.5 ? 1 : -1;

	/* exons in transcript order as offsets from the transcript's 5' end */
	long toff[MAXEXON];
	long o = 0;
	for (int i = 0; i < n; i++) {
		toff[i] = o;
		o += elen[i] + (i + 1 < n ? ilen[i] : 0);
	}
	/* transcript offset -> genomic position */
#define G(t) (g->strand > 0 ? g->beg + (t) : g->end - (t))
	tx *p = &g->t[0];
	p->nexon = n;
	for (int i = 0; i < n; i++) {
		long a = G(toff[i]), b = G(toff[i] + elen[i] - 1);
		int k = g->strand > 0 ? i : n - 1 - i;
		p->exon[k].beg = a < b ? a : b;
		p->exon[k].end = a < b ? b : a;
	}

	/* the ORF, written base by base along the spliced transcript */
	long m = 0, ci = 0;
	char codon[3];
	for (int i = 0; i < n; i++) {
		for (long j = 0; j < elen[i]; j++, m++) {
			if (m < u5 || m >= u5 + cds)
				continue;
			long pos = G(toff[i] + j);
			if (ci % 3 == 0) {
				if (ci == 0) {
					memcpy(codon, "ATG", 3);
				} else if (ci == cds - 3) {
					memcpy(codon, stops[urange(0, 2)], 3);
				} else {
					do {
						for (int k = 0; k < 3; k++)
							codon[k] = bases[urange(0, 3)];
					} while (is_stop(codon));
				}
			}
			char b = codon[ci % 3];
			s[pos - 1] = g->strand > 0 ? b : comp[(unsigned char)b];
			if (ci == 0)
				(g->strand > 0 ? &p->cds_beg : &p->cds_end)[0] = pos;
			if (ci == cds - 1)
				(g->strand > 0 ? &p->cds_end : &p->cds_beg)[0] = pos;
			ci++;
		}
	}
#undef G

	/* alternative transcripts */
	g->ntx = 1;
	int want = unif() < 0.4 ? (unif() < 0.3 ? 3 : 2) : 1;
	while (g->ntx < want) {
		tx *a = &g->t[g->ntx];
		*a = *p;
		int skip = -1;
		/* an internal exon (all CDS) of whole codons keeps the frame */
		for (int tries = 0; tries < 6 && n > 2; tries++) {
			int k = (int)urange(1, n - 2);
			if ((p->exon[k].end - p->exon[k].beg + 1) % 3 == 0) {
				skip = k;
				break;
			}
		}
		if (skip >= 0 && g->ntx == 1) {
			memmove(&a->exon[skip], &a->exon[skip + 1],
				(size_t)(a->nexon - skip - 1) * sizeof(span));
			a->nexon--;
		} else {
			/* shorter UTRs at both ends */
			span *first = &a->exon[0], *last = &a->exon[a->nexon - 1];
			long room5 = p->cds_beg - first->beg, room3 = last->end - p->cds_end;
			if (room5 > 2)
				first->beg += urange(1, room5 - 1);
			if (room3 > 2)
				last->end -= urange(1, room3 - 1);
		}
		g->ntx++;
	}
	return g->end;
}

static void gff_gene(FILE *f, const char *ctg, const gene *g, long *gid, long *tid)
{
	char sc = g->strand > 0 ? '+' : '-';
	long id = ++*gid;

	fprintf(f, "%s\tgen_annot\tgene\t%ld\t%ld\t.\t%c\t.\tID=gene:ENSG%011ld;Name=GENE%ld;"
		"biotype=protein_coding;gene_id=ENSG%011ld;version=1\n",
		ctg, g->beg, g->end, sc, id, id, id);
	for (int t = 0; t < g->ntx; t++) {
		const tx *x = &g->t[t];
		long id2 = ++*tid;
		long tb = x->exon[0].beg, te = x->exon[x->nexon - 1].end;
		fprintf(f, "%s\tgen_annot\ttranscript\t%ld\t%ld\t.\t%c\t.\tID=transcript:ENST%011ld;"
			"Parent=gene:ENSG%011ld;Name=GENE%ld-%03d;biotype=protein_coding;%s"
			"transcript_id=ENST%011ld;version=1\n",
			ctg, tb, te, sc, id2, id, id, 201 + t,
			t == 0 ? "tag=basic,Ensembl_canonical;" : "tag=basic;", id2);
		/* phases: CDS bases before each segment, in transcript order */
		long before[MAXEXON] = { 0 }, cum = 0;
		for (int k = 0; k < x->nexon; k++) {
			int e = g->strand > 0 ? k : x->nexon - 1 - k;
			long a = x->exon[e].beg > x->cds_beg ? x->exon[e].beg : x->cds_beg;
			long b = x->exon[e].end < x->cds_end ? x->exon[e].end : x->cds_end;
			before[e] = cum;
			if (a <= b)
				cum += b - a + 1;
		}
		for (int e = 0; e < x->nexon; e++) {
			const span *s = &x->exon[e];
			int rank = g->strand > 0 ? e + 1 : x->nexon - e;
			long a = s->beg > x->cds_beg ? s->beg : x->cds_beg;
			long b = s->end < x->cds_end ? s->end : x->cds_end;
			/* UTR before the CDS in genomic order: 5' on +, 3' on - */
			const char *lo = g->strand > 0 ? "five_prime_UTR" : "three_prime_UTR";
			const char *hi = g->strand > 0 ? "three_prime_UTR" : "five_prime_UTR";
			if (s->beg < x->cds_beg)
				fprintf(f, "%s\tgen_annot\t%s\t%ld\t%ld\t.\t%c\t.\tParent=transcript:ENST%011ld\n",
					ctg, lo, s->beg, s->end < x->cds_beg ? s->end : x->cds_beg - 1, sc, id2);
			fprintf(f, "%s\tgen_annot\texon\t%ld\t%ld\t.\t%c\t.\tParent=transcript:ENST%011ld;"
				"Name=ENSE%011ld;rank=%d\n", ctg, s->beg, s->end, sc, id2, id2 * 20 + e, rank);
			if (a <= b)
				fprintf(f, "%s\tgen_annot\tCDS\t%ld\t%ld\t.\t%c\t%ld\tID=CDS:ENSP%011ld;"
					"Parent=transcript:ENST%011ld;protein_id=ENSP%011ld\n",
					ctg, a, b, sc, (3 - before[e] % 3) % 3, id2, id2, id2);
			if (s->end > x->cds_end)
				fprintf(f, "%s\tgen_annot\t%s\t%ld\t%ld\t.\t%c\t.\tParent=transcript:ENST%011ld\n",
					ctg, hi, s->beg > x->cds_end ? s->beg : x->cds_end + 1, s->end, sc, id2);
		}
	}
}

typedef struct {
	uint32_t pos;
	uint32_t r; /* kind and sizes, drawn once */
} var;

static int cmp_var(const void *a, const void *b)
{
	const var *x = a, *y = b;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static char other_base(char b)
{
	char c;
	do
		c = bases[urange(0, 3)];
	while (c == b);
	return c;
}

static int die(const char *what, const char *path)
{
	fprintf(stderr, "gen_annot: %s %s\n", what, path);
	return 1;
}

int main(int argc, char **argv)
{
	char path[4096];
	long nvar, lens[NCONTIG], total = 0, gid = 0, tid = 0, written = 0;
	FILE *fa, *fai, *gff, *vcf;

	if (argc < 3 || argc > 4) {
		fputs("usage: gen_annot OUTDIR N [SEED]\n", stderr);
		return 1;
	}
	nvar = strtol(argv[2], NULL, 10);
	gstate = argc > 3 ? strtoull(argv[3], NULL, 10) : 42;
	vstate = gstate ^ 0x5DEECE66Dull;
	if (nvar < 1)
		return die("N must be positive:", argv[2]);

	snprintf(path, sizeof path, "%s/ref.fa", argv[1]);
	if (!(fa = fopen(path, "w")))
		return die("cannot write", path);
	snprintf(path, sizeof path, "%s/ref.fa.fai", argv[1]);
	if (!(fai = fopen(path, "w")))
		return die("cannot write", path);
	snprintf(path, sizeof path, "%s/genes.gff3", argv[1]);
	if (!(gff = fopen(path, "w")))
		return die("cannot write", path);
	snprintf(path, sizeof path, "%s/variants.vcf", argv[1]);
	if (!(vcf = fopen(path, "w")))
		return die("cannot write", path);

	for (int c = 0; c < NCONTIG; c++) {
		lens[c] = urange(20000000, 50000000);
		total += lens[c];
	}
	fputs("##gff-version 3\n", gff);
	fputs("##fileformat=VCFv4.2\n", vcf);
	for (int c = 0; c < NCONTIG; c++) {
		fprintf(gff, "##sequence-region %d 1 %ld\n", c + 1, lens[c]);
		fprintf(vcf, "##contig=<ID=%d,length=%ld>\n", c + 1, lens[c]);
	}
	fputs("##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"
	      "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tSAMPLE1\n", vcf);

	long fa_off = 0;
	for (int c = 0; c < NCONTIG; c++) {
		char ctg[16];
		long len = lens[c];
		char *s = malloc((size_t)len);
		int ng = (int)((double)NGENES * (double)len / (double)total);
		gene *g = calloc((size_t)ng, sizeof *g);
		long nv = c == NCONTIG - 1 ? nvar - written : (long)((double)nvar * (double)len / (double)total);
		var *v = malloc((size_t)(nv > 0 ? nv : 1) * sizeof *v);

		if (!s || !g || !v)
			return die("out of memory for contig", "");
		snprintf(ctg, sizeof ctg, "%d", c + 1);
		make_seq(s, len);

		/* genes laid end to end with gaps that fill the contig */
		double gap = (double)len / ng - 30000.0;
		if (gap < 5000)
			gap = 5000;
		long at = 20000;
		int made = 0;
		while (made < ng) {
			at += (long)(gap * 2 * unif());
			long e = make_gene(&g[made], s, at, len);
			if (e < 0)
				break;
			at = e + 1;
			made++;
		}
		ng = made;
		for (int i = 0; i < ng; i++)
			gff_gene(gff, ctg, &g[i], &gid, &tid);

		/* FASTA, 60 bases a line, and its index */
		int hdr = fprintf(fa, ">%s\n", ctg);
		fprintf(fai, "%s\t%ld\t%ld\t60\t61\n", ctg, len, fa_off + hdr);
		for (long i = 0; i < len; i += 60) {
			long k = len - i < 60 ? len - i : 60;
			fwrite(s + i, 1, (size_t)k, fa);
			fputc('\n', fa);
		}
		fa_off += hdr + len + (len + 59) / 60;

		/* variant positions: near exons, in genes, anywhere */
		cur = &vstate;
		for (long i = 0; i < nv; i++) {
			double u = unif();
			long pos;
			if (u < 0.35 && ng) {
				const gene *x = &g[urange(0, ng - 1)];
				const tx *t = &x->t[urange(0, x->ntx - 1)];
				const span *e = &t->exon[urange(0, t->nexon - 1)];
				pos = urange(e->beg - 10, e->end + 10);
			} else if (u < 0.5 && ng) {
				const gene *x = &g[urange(0, ng - 1)];
				pos = urange(x->beg, x->end);
			} else {
				pos = urange(2, len - 20);
			}
			v[i].pos = (uint32_t)pos;
			v[i].r = (uint32_t)rnext();
		}
		qsort(v, (size_t)nv, sizeof *v, cmp_var);
		for (long i = 0; i < nv; i++) {
			long pos = v[i].pos;
			uint32_t r = v[i].r;
			double kind = (r & 0xffff) / 65536.0;
			int n = 1 + (int)((r >> 16) % 10);
			static const char *gts[] = { "0|1", "1|0", "1|1", "0|1" };
			const char *gt = gts[(r >> 24) & 3];
			/* short indels are the common ones: 1-3 bases three times in four */
			if (((r >> 28) & 3) != 0)
				n = 1 + (int)((r >> 16) % 3);
			fprintf(vcf, "%s\t%ld\t.\t", ctg, pos);
			if (kind < 0.85) {
				fprintf(vcf, "%c\t%c", s[pos - 1], other_base(s[pos - 1]));
			} else if (kind < 0.93) { /* deletion of n bases after the anchor */
				fwrite(s + pos - 1, 1, (size_t)n + 1, vcf);
				fprintf(vcf, "\t%c", s[pos - 1]);
			} else { /* insertion of n bases after the anchor */
				fprintf(vcf, "%c\t%c", s[pos - 1], s[pos - 1]);
				for (int k = 0; k < n; k++)
					fputc(bases[urange(0, 3)], vcf);
			}
			fprintf(vcf, "\t.\tPASS\t.\tGT\t%s\n", gt);
		}
		cur = &gstate;
		written += nv;
		free(v);
		free(g);
		free(s);
	}
	if (fclose(fa) || fclose(fai) || fclose(gff) || fclose(vcf))
		return die("write error in", argv[1]);
	return 0;
}
