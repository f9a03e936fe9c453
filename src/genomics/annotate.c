/*
 * annotate.c - consequences (SO terms) and HGVS of small variants against
 * the transcripts of gff.h; see annotate.h. Per allele and transcript: the
 * variant is trimmed to its minimal REF/ALT, placed (up/downstream, exon,
 * intron, splice sites), and when it touches the CDS the spliced CDS is
 * rebuilt with the ALT, both are translated and the proteins compared.
 */
#include "genomics/annotate.h"
#include "genomics/ann_internal.h"
#include "genomics/codon.h"
#include "genomics/refseq.h"
#include "base/error.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FLANK 5000 /* up/downstream reach */
#define MAXTX 256  /* transcripts considered per record */

const char ob_ann_header[] =
	"##INFO=<ID=ANN,Number=.,Type=String,Description=\"Functional annotations: 'Allele | "
	"Annotation | Annotation_Impact | Gene_Name | Gene_ID | Feature_Type | Feature_ID | "
	"Transcript_BioType | Rank | HGVS.c | HGVS.p | cDNA.pos / cDNA.length | CDS.pos / "
	"CDS.length | AA.pos / AA.length | Distance | ERRORS / WARNINGS / INFO'\">";

/* SO terms in the order they are joined; the table is the vocabulary. */
enum impact { MODIFIER, LOW, MODERATE, HIGH };
enum {
	T_FRAMESHIFT, T_STOP_GAINED, T_STOP_LOST, T_START_LOST, T_SPLICE_ACC,
	T_SPLICE_DON, T_INFRAME_INS, T_INFRAME_DEL, T_MISSENSE, T_SPLICE_REGION,
	T_SYNONYMOUS, T_STOP_RETAINED, T_START_RETAINED, T_CODING, T_5UTR, T_3UTR,
	T_NC_EXON, T_INTRON, T_UPSTREAM, T_DOWNSTREAM, T_INTERGENIC, T_SEQUENCE, T_N
};
static const struct { const char *name; enum impact impact; } terms[T_N] = {
	{ "frameshift_variant", HIGH },
	{ "stop_gained", HIGH },
	{ "stop_lost", HIGH },
	{ "start_lost", HIGH },
	{ "splice_acceptor_variant", HIGH },
	{ "splice_donor_variant", HIGH },
	{ "inframe_insertion", MODERATE },
	{ "inframe_deletion", MODERATE },
	{ "missense_variant", MODERATE },
	{ "splice_region_variant", LOW },
	{ "synonymous_variant", LOW },
	{ "stop_retained_variant", LOW },
	{ "start_retained_variant", LOW },
	{ "coding_sequence_variant", MODIFIER },
	{ "5_prime_UTR_variant", MODIFIER },
	{ "3_prime_UTR_variant", MODIFIER },
	{ "non_coding_transcript_exon_variant", MODIFIER },
	{ "intron_variant", MODIFIER },
	{ "upstream_gene_variant", MODIFIER },
	{ "downstream_gene_variant", MODIFIER },
	{ "intergenic_variant", MODIFIER },
	{ "sequence_variant", MODIFIER },
};
static const char *impact_names[] = { "MODIFIER", "LOW", "MODERATE", "HIGH" };

struct ob_annotator {
	ob_ref *ref;         /* the reference FASTA */
	ob_gff *gff;
	const ob_tx *cached; /* transcript whose CDS is in cds_seq */
	char *cds_seq;       /* its CDS bases in genomic order, plus strand */
	int64_t cds_len;
	char *tail;          /* its exonic bases 3' of the CDS, transcript strand */
	int64_t tail_len;
	char *tcds;          /* its CDS on the transcript strand, */
	char *prot;          /* translated from prot_ph on (whole, stops included), */
	char *pref;          /* and that up to its first stop: the reference protein */
	int64_t prot_ph;     /* (these seven borrowed from an entry of txc) */
	struct txcache *txc; /* the CDS and tail of transcripts near the VCF's */
	size_t ntxc, ctxc;   /* position, dropped once it has passed them */
	struct effect *eff;  /* a record's ANN entries; their buffers are kept */
	size_t ceff;         /* from record to record (slots allocated) */
	const ob_tx **picked; /* --pick: one transcript per gene, by address */
	size_t npicked;
	int64_t nrefbad;      /* records whose REF disagrees with the FASTA, */
	char refbad_chrom[128]; /* the first of them */
	int64_t refbad_pos;
};

#define MAXSHIFT 100000  /* an indel is 3'-shifted at most this far */

#define MAXTXC 512 /* cached transcripts; more (an unsorted VCF) clears the cache */

/* A transcript's spliced sequences, read once while the VCF is over it. */
struct txcache {
	const ob_tx *t;
	char *cds, *tail, *tcds, *prot, *pref;
	int64_t cds_len, tail_len, prot_ph;
};

static void drop_entry(struct txcache *c)
{
	free(c->cds);
	free(c->tail);
	free(c->tcds);
	free(c->prot);
	free(c->pref);
}

/* One ANN entry under construction. */
typedef struct effect {
	unsigned terms;
	const ob_tx *tx;
	int allele;
	size_t order;
	char rank[48];
	ob_buf c, p;
	int64_t cdna_pos, cdna_len, cds_pos, cds_len, aa_pos, aa_len, distance;
	const char *warn;
} effect;

/* A trimmed allele: REF bases [beg, beg+rlen) replaced by alt[0..alen).
 * An insertion (rlen 0) goes between beg-1 and beg. For a deletion or an
 * insertion, right and left are how far it can slide along the reference
 * (3' on the plus, 5' on the minus strand) and stay the same change. */
typedef struct var {
	int64_t beg;
	const char *ref, *alt;
	int64_t rlen, alen;
	int64_t right, left;
	int64_t rec_beg, rec_end; /* the VCF record's REF span, untrimmed */
} var;

int ob_annotator_new(ob_annotator **out, const char *fasta, const char *gff)
{
	ob_annotator *a = calloc(1, sizeof *a);
	int rc;

	*out = NULL;
	if (!a)
		return ob_error_set(OB_ERROR, "out of memory");
	if ((rc = ob_ref_open(&a->ref, fasta)) < 0) {
		free(a);
		return rc;
	}
	if ((rc = ob_gff_load(&a->gff, gff)) < 0) {
		ob_annotator_free(a);
		return rc;
	}
	*out = a;
	return 0;
}

void ob_annotator_free(ob_annotator *a)
{
	if (!a)
		return;
	ob_ref_free(a->ref);
	ob_gff_free(a->gff);
	for (size_t i = 0; i < a->ntxc; i++)
		drop_entry(&a->txc[i]);
	free(a->txc);
	for (size_t i = 0; i < a->ceff; i++) {
		ob_buf_dispose(&a->eff[i].c);
		ob_buf_dispose(&a->eff[i].p);
	}
	free(a->eff);
	free(a->picked);
	free(a);
}

static int64_t cds_length(const ob_tx *t)
{
	int64_t n = 0;
	for (size_t i = 0; i < t->ncds; i++)
		n += t->cds[i].end - t->cds[i].beg + 1;
	return n;
}

static const char *gene_key(const ob_tx *t)
{
	return t->gene_id && *t->gene_id ? t->gene_id : t->id;
}

/* By contig and gene, then the pick order: MANE Select, Ensembl
 * canonical, longest CDS, smallest ID. */
static int cmp_pick(const void *x, const void *y)
{
	const ob_tx *a = *(const ob_tx *const *)x, *b = *(const ob_tx *const *)y;
	int c = strcmp(a->chrom, b->chrom);
	if (!c)
		c = strcmp(gene_key(a), gene_key(b));
	if (c)
		return c;
	unsigned ma = a->flags & OB_TX_MANE_SELECT, mb = b->flags & OB_TX_MANE_SELECT;
	if (ma != mb)
		return ma ? -1 : 1;
	unsigned ca = a->flags & OB_TX_CANONICAL, cb = b->flags & OB_TX_CANONICAL;
	if (ca != cb)
		return ca ? -1 : 1;
	int64_t la = cds_length(a), lb = cds_length(b);
	if (la != lb)
		return la > lb ? -1 : 1;
	return strcmp(a->id, b->id);
}

static int cmp_ptr(const void *x, const void *y)
{
	uintptr_t a = (uintptr_t)*(const ob_tx *const *)x, b = (uintptr_t)*(const ob_tx *const *)y;
	return a < b ? -1 : a > b;
}

int ob_annotator_set_pick(ob_annotator *a, int on)
{
	size_t n = ob_gff_ntx(a->gff), np = 0;
	const ob_tx **all;

	free(a->picked);
	a->picked = NULL;
	a->npicked = 0;
	if (!on)
		return 0;
	if (!(all = malloc((n ? n : 1) * sizeof *all)))
		return ob_error_set(OB_ERROR, "out of memory");
	for (size_t i = 0; i < n; i++)
		all[i] = ob_gff_tx(a->gff, i);
	qsort(all, n, sizeof *all, cmp_pick);
	for (size_t i = 0; i < n; i++)
		if (!np || strcmp(all[i]->chrom, all[np - 1]->chrom) ||
		    strcmp(gene_key(all[i]), gene_key(all[np - 1])))
			all[np++] = all[i];
	qsort(all, np, sizeof *all, cmp_ptr);
	a->picked = all;
	a->npicked = np;
	return 0;
}

/* Drops from near[0..n) the transcripts --pick does not keep. */
static size_t keep_picked(const ob_annotator *a, const ob_tx **near, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (bsearch(&near[i], a->picked, a->npicked, sizeof *a->picked, cmp_ptr))
			near[k++] = near[i];
	return k;
}

/* The reference base at 1-based g of contig fname (upper case), 0 beyond
 * the contig or when it cannot be read (refseq.h: O(1) on a plain FASTA). */
static char base_at(ob_annotator *a, const char *fname, int64_t g)
{
	return ob_ref_base(a->ref, fname, g);
}

/* How far the indel v can slide right and left along the reference and
 * describe the same sequence (fills v->right, v->left). */
static void indel_room(ob_annotator *a, const char *fname, var *v)
{
	int64_t k = 0, n;
	v->right = v->left = 0;
	if (v->rlen && !v->alen) { /* deletion of [beg, beg+rlen) */
		n = v->rlen;
		while (k < MAXSHIFT && base_at(a, fname, v->beg + n + k) &&
		       base_at(a, fname, v->beg + n + k) == base_at(a, fname, v->beg + k))
			k++;
		v->right = k;
		k = 0;
		while (k < MAXSHIFT && v->beg - 1 - k >= 1 && base_at(a, fname, v->beg - 1 - k) &&
		       base_at(a, fname, v->beg - 1 - k) == base_at(a, fname, v->beg + n - 1 - k))
			k++;
		v->left = k;
	} else if (!v->rlen && v->alen) { /* insertion between beg-1 and beg */
		n = v->alen;
		while (k < MAXSHIFT && base_at(a, fname, v->beg + k) &&
		       base_at(a, fname, v->beg + k) == toupper((unsigned char)v->alt[k % n]))
			k++;
		v->right = k;
		k = 0;
		while (k < MAXSHIFT && v->beg - 1 - k >= 1 && base_at(a, fname, v->beg - 1 - k) &&
		       base_at(a, fname, v->beg - 1 - k) ==
			       toupper((unsigned char)v->alt[((n - 1 - k) % n + n) % n]))
			k++;
		v->left = k;
	}
}

/* 1-based position of g in the spliced transcript (transcript order), or
 * 0 when g is in no exon. */
static int64_t tx_pos(const ob_tx *t, int64_t g)
{
	int64_t before = 0;
	for (size_t i = 0; i < t->nexon; i++) {
		const ob_range *e = &t->exon[i];
		if (g >= e->beg && g <= e->end) {
			int64_t p = before + g - e->beg + 1;
			if (t->strand > 0)
				return p;
			int64_t len = 0;
			for (size_t j = 0; j < t->nexon; j++)
				len += t->exon[j].end - t->exon[j].beg + 1;
			return len - p + 1;
		}
		before += e->end - e->beg + 1;
	}
	return 0;
}

static int64_t tx_len(const ob_tx *t)
{
	int64_t len = 0;
	for (size_t j = 0; j < t->nexon; j++)
		len += t->exon[j].end - t->exon[j].beg + 1;
	return len;
}

/* Transcript positions of the first and last CDS bases (0 when non-coding). */
static void cds_bounds(const ob_tx *t, int64_t *cs, int64_t *ce)
{
	*cs = *ce = 0;
	if (!t->ncds)
		return;
	int64_t lo = tx_pos(t, t->cds[0].beg), hi = tx_pos(t, t->cds[t->ncds - 1].end);
	*cs = t->strand > 0 ? lo : hi;
	*ce = t->strand > 0 ? hi : lo;
}

/* Appends c (when not 0) and the decimal x: the ANN writer's hot path,
 * without printf. 0 or OB_ERROR. */
static int put_int(ob_buf *b, char c, int64_t x)
{
	char s[24], *p = s + sizeof s;
	uint64_t u = x < 0 ? -(uint64_t)x : (uint64_t)x;
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (x < 0)
		*--p = '-';
	if (c)
		*--p = c;
	return ob_buf_put(b, p, (size_t)(s + sizeof s - p));
}

static int put_exonic(const ob_tx *t, int64_t p, ob_buf *out)
{
	int64_t cs, ce;
	cds_bounds(t, &cs, &ce);
	if (!cs || !ce)
		return put_int(out, 0, p);
	if (p < cs)
		return put_int(out, '-', cs - p);
	if (p > ce)
		return put_int(out, '*', p - ce);
	return put_int(out, 0, p - cs + 1);
}

int ob_hgvs_pos(const ob_tx *t, int64_t g, ob_buf *out)
{
	int64_t p = tx_pos(t, g);

	if (g < t->beg || g > t->end)
		return ob_error_set(OB_EINVALID, "position %" PRId64 " outside transcript %s", g, t->id);
	if (p)
		return put_exonic(t, p, out) < 0 ? ob_error_set(OB_ERROR, "out of memory") : 0;
	for (size_t i = 0; i + 1 < t->nexon; i++) {
		int64_t le = t->exon[i].end, rb = t->exon[i + 1].beg;
		if (g <= le || g >= rb)
			continue;
		int64_t d5 = g - le, d3 = rb - g; /* genomic distances left, right */
		int rc;
		if (t->strand > 0) {
			if (d5 <= d3)
				rc = put_exonic(t, tx_pos(t, le), out) < 0 || put_int(out, '+', d5) < 0;
			else
				rc = put_exonic(t, tx_pos(t, rb), out) < 0 || put_int(out, '-', d3) < 0;
		} else {
			if (d3 <= d5)
				rc = put_exonic(t, tx_pos(t, rb), out) < 0 || put_int(out, '+', d3) < 0;
			else
				rc = put_exonic(t, tx_pos(t, le), out) < 0 || put_int(out, '-', d5) < 0;
		}
		return rc ? ob_error_set(OB_ERROR, "out of memory") : 0;
	}
	return ob_error_set(OB_EINVALID, "position %" PRId64 " not placed in %s", g, t->id);
}

/* The protein change from the first difference; *pos gets its 0-based
 * position in ref. */
static int protein_change(const char *P, const char *Q, int fs, ob_buf *out, int64_t *pos)
{
	size_t np = strlen(P), nq = strlen(Q), a = 0, b = 0;
	int rc = 0;

	while (a < np && a < nq && P[a] == Q[a])
		a++;
	*pos = (int64_t)a;
	if (fs) {
		if (a >= np)
			return ob_buf_puts(out, "?");
		if (a >= nq || Q[a] == '*')
			return ob_buf_printf(out, "%s%zuTer", ob_aa_three(P[a]), a + 1);
		const char *stop = strchr(Q + a, '*');
		if (stop)
			return ob_buf_printf(out, "%s%zu%sfsTer%td", ob_aa_three(P[a]), a + 1,
				ob_aa_three(Q[a]), stop - (Q + a) + 1);
		return ob_buf_printf(out, "%s%zu%sfsTer?", ob_aa_three(P[a]), a + 1, ob_aa_three(Q[a]));
	}
	if (a == np && a == nq)
		return ob_buf_puts(out, "=");
	if (a < np && a < nq && Q[a] == '*' && !(a == 0 && P[0] == 'M'))
		return ob_buf_printf(out, "%s%zuTer", ob_aa_three(P[a]), a + 1); /* nonsense */
	while (b < np - a && b < nq - a && P[np - 1 - b] == Q[nq - 1 - b])
		b++;
	size_t rl = np - a - b, al = nq - a - b;
	if (a == 0 && P[0] == 'M')
		return ob_buf_puts(out, "Met1?");
	if (rl == 1 && al == 1) /* missense, the common case: no printf */
		return ob_buf_puts(out, ob_aa_three(P[a])) | put_int(out, 0, (int64_t)a + 1) |
		       ob_buf_puts(out, ob_aa_three(Q[a]));
	if (rl == 0) {
		if (a == 0 || a >= np)
			return ob_buf_puts(out, "?");
		if (al <= a && !memcmp(Q + a, P + a - al, al)) {
			/* a repeat of the residues before it, already C-terminal-most
			 * since a is the longest common prefix */
			rc |= ob_buf_printf(out, "%s%zu", ob_aa_three(P[a - al]), a - al + 1);
			if (al > 1)
				rc |= ob_buf_printf(out, "_%s%zu", ob_aa_three(P[a - 1]), a);
			return rc | ob_buf_puts(out, "dup");
		}
		rc |= ob_buf_printf(out, "%s%zu_%s%zuins", ob_aa_three(P[a - 1]), a,
			ob_aa_three(P[a]), a + 1);
	} else {
		rc |= ob_buf_printf(out, "%s%zu", ob_aa_three(P[a]), a + 1);
		if (rl > 1)
			rc |= ob_buf_printf(out, "_%s%zu", ob_aa_three(P[a + rl - 1]), a + rl);
		rc |= ob_buf_puts(out, al ? "delins" : "del");
	}
	for (size_t i = 0; i < al; i++)
		rc |= ob_buf_puts(out, ob_aa_three(Q[a + i]));
	return rc;
}

int ob_hgvs_protein(const char *ref, const char *alt, int frameshift, ob_buf *out)
{
	int64_t pos;
	return protein_change(ref, alt, frameshift, out, &pos) < 0 ?
		ob_error_set(OB_ERROR, "out of memory") : 0;
}

/* The contig name the FASTA knows for chrom ("chr7" <-> "7"), or NULL. */
static const char *fasta_name(const ob_annotator *a, const char *chrom, char *alt, size_t n)
{
	if (ob_ref_len(a->ref, chrom) >= 0)
		return chrom;
	if (!strncmp(chrom, "chr", 3))
		snprintf(alt, n, "%s", chrom + 3);
	else
		snprintf(alt, n, "chr%s", chrom);
	return ob_ref_len(a->ref, alt) >= 0 ? alt : NULL;
}

static const char *gff_name(const ob_annotator *a, const char *chrom, char *alt, size_t n)
{
	if (ob_gff_has_contig(a->gff, chrom))
		return chrom;
	if (!strncmp(chrom, "chr", 3))
		snprintf(alt, n, "%s", chrom + 3);
	else
		snprintf(alt, n, "chr%s", chrom);
	return ob_gff_has_contig(a->gff, alt) ? alt : NULL;
}

int64_t ob_annotator_ref_mismatches(const ob_annotator *a, const char **chrom, int64_t *pos)
{
	*chrom = a->refbad_chrom;
	*pos = a->refbad_pos;
	return a->nrefbad;
}

int ob_annotator_knows(const ob_annotator *a, const char *chrom)
{
	char x[256], y[256];
	return fasta_name(a, chrom, x, sizeof x) || gff_name(a, chrom, y, sizeof y);
}

static void use_entry(ob_annotator *a, const struct txcache *c)
{
	a->cached = c->t;
	a->cds_seq = c->cds;
	a->cds_len = c->cds_len;
	a->tail = c->tail;
	a->tail_len = c->tail_len;
	a->tcds = c->tcds;
	a->prot = c->prot;
	a->pref = c->pref;
	a->prot_ph = c->prot_ph;
}

static char *translate(const char *s, int64_t n);

/* *prot: tcds[ph..n) translated whole; *pref: the same up to its first
 * stop. 0 or -1 (out of memory; both freed). */
static int ref_protein(const char *tcds, int64_t n, int64_t ph, char **prot, char **pref)
{
	*prot = translate(tcds + ph, n - ph);
	*pref = *prot ? strdup(*prot) : NULL;
	if (!*pref) {
		free(*prot);
		*prot = NULL;
		return -1;
	}
	char *st = strchr(*pref, '*');
	if (st)
		st[1] = 0;
	return 0;
}

/* Points cds_seq and tail at t's CDS (genomic order) and 3' UTR, read
 * into the transcript cache when absent; 0 or OB_ERROR. The cache keeps
 * the transcripts near the VCF's position: entering t drops those that
 * end before t begins or lie on another contig (a sorted VCF has passed
 * them), so it holds what overlaps one position, not the genome. */
static int load_cds(ob_annotator *a, const ob_tx *t, const char *fname)
{
	if (a->cached == t)
		return 0;
	for (size_t i = 0; i < a->ntxc; i++)
		if (a->txc[i].t == t) {
			use_entry(a, &a->txc[i]);
			return 0;
		}
	size_t keep = 0;
	for (size_t i = 0; i < a->ntxc; i++) {
		struct txcache *c = &a->txc[i];
		if (a->ntxc < MAXTXC && c->t->end >= t->beg && !strcmp(c->t->chrom, t->chrom))
			a->txc[keep++] = *c;
		else
			drop_entry(c);
	}
	a->ntxc = keep;
	a->cds_seq = a->tail = NULL;
	a->cached = NULL;
	if (a->ntxc == a->ctxc) {
		size_t n = a->ctxc ? 2 * a->ctxc : 16;
		struct txcache *q = realloc(a->txc, n * sizeof *q);
		if (!q)
			return ob_error_set(OB_ERROR, "out of memory");
		a->txc = q;
		a->ctxc = n;
	}
	int64_t total = 0;
	for (size_t i = 0; i < t->ncds; i++)
		total += t->cds[i].end - t->cds[i].beg + 1;
	char *s = malloc((size_t)total + 1);
	if (!s)
		return ob_error_set(OB_ERROR, "out of memory");
	int64_t k = 0, clen = ob_ref_len(a->ref, fname);
	for (size_t i = 0; i < t->ncds; i++) {
		int64_t len = t->cds[i].end - t->cds[i].beg + 1;
		if (t->cds[i].beg < 1 || t->cds[i].end > clen ||
		    ob_ref_copy(a->ref, fname, t->cds[i].beg, t->cds[i].end, s + k) < 0) {
			free(s);
			return ob_error_set(OB_ERROR, "%s:%" PRId64 "-%" PRId64 ": cannot read the reference",
				fname, t->cds[i].beg, t->cds[i].end);
		}
		k += len;
	}
	s[k] = 0;
	/* the 3' UTR, read on when a stop is lost or a frame shifted */
	int64_t cb = t->cds[0].beg, ce = t->cds[t->ncds - 1].end, tl = 0;
	for (size_t i = 0; i < t->nexon; i++) {
		int64_t b = t->exon[i].beg, e = t->exon[i].end;
		if (t->strand > 0 && b <= ce)
			b = ce + 1;
		if (t->strand < 0 && e >= cb)
			e = cb - 1;
		if (e >= b)
			tl += e - b + 1;
	}
	char *tail = malloc((size_t)tl + 1);
	if (!tail) {
		free(s);
		return ob_error_set(OB_ERROR, "out of memory");
	}
	int64_t m = 0;
	for (size_t i = 0; i < t->nexon && tl; i++) {
		int64_t b = t->exon[i].beg, e = t->exon[i].end;
		if (t->strand > 0 && b <= ce)
			b = ce + 1;
		if (t->strand < 0 && e >= cb)
			e = cb - 1;
		if (e > clen) /* as faidx did: what the contig holds */
			e = clen;
		if (b < 1)
			b = 1;
		if (e < b)
			continue;
		if (ob_ref_copy(a->ref, fname, b, e, tail + m) == 0)
			m += e - b + 1;
	}
	tail[m] = 0;
	if (t->strand < 0)
		ob_revcomp(tail, (size_t)m);
	struct txcache c = { t, s, tail, NULL, NULL, NULL, k, m, 0 };
	const ob_range *first = t->strand > 0 ? &t->cds[0] : &t->cds[t->ncds - 1];
	c.prot_ph = first->phase > 0 && first->phase <= k ? first->phase : 0;
	if ((c.tcds = malloc((size_t)k + 1)))
		memcpy(c.tcds, s, (size_t)k + 1);
	if (c.tcds && t->strand < 0)
		ob_revcomp(c.tcds, (size_t)k);
	if (!c.tcds || ref_protein(c.tcds, k, c.prot_ph, &c.prot, &c.pref) < 0) {
		drop_entry(&c);
		return ob_error_set(OB_ERROR, "out of memory");
	}
	a->txc[a->ntxc] = c;
	use_entry(a, &a->txc[a->ntxc++]);
	return 0;
}

static char *translate(const char *s, int64_t n)
{
	char *p = malloc((size_t)(n / 3) + 1);
	if (!p)
		return NULL;
	int64_t k = 0;
	for (int64_t i = 0; i + 2 < n; i += 3)
		p[k++] = ob_codon_translate(s + i);
	p[k] = 0;
	return p;
}

static int overlaps(int64_t b1, int64_t e1, int64_t b2, int64_t e2)
{
	return b1 <= e2 && b2 <= e1;
}

/* The variant protein, as far as the coding analysis reads it: the
 * cached transcript's CDS (transcript strand) with v's change at index c0,
 * then tl bases of its 3' UTR, translated from ph up to and including the
 * first stop. Codons before the change and, when it keeps the frame, after
 * it are taken from prot (the reference translated whole from ph); only
 * the others are translated. NULL when out of memory. */
static char *alt_protein(const ob_annotator *a, const var *v, int strand, int64_t c0,
	int64_t ph, int64_t tl, const char *prot)
{
	int64_t L = a->cds_len, nA = L - v->rlen + v->alen, delta = v->alen - v->rlen;
	int64_t n = nA + tl - ph, ncod = n > 0 ? n / 3 : 0, k0 = c0 > ph ? (c0 - ph) / 3 : 0;
	int64_t end = c0 + v->alen, m = k0; /* the ALT is at [c0, end) */
	char small[64], *alt = v->alen <= (int64_t)sizeof small ? small : malloc((size_t)v->alen);
	char *q = malloc((size_t)ncod + 1);
	const char *st;

	if (!q || !alt) {
		free(q);
		if (alt != small)
			free(alt);
		return NULL;
	}
	for (int64_t j = 0; j < v->alen; j++)
		alt[j] = (char)toupper((unsigned char)v->alt[j]);
	if (strand < 0)
		ob_revcomp(alt, (size_t)v->alen);
	if ((st = memchr(prot, '*', (size_t)k0))) { /* a stop before the change */
		m = st - prot + 1;
		memcpy(q, prot, (size_t)m);
		goto done;
	}
	memcpy(q, prot, (size_t)k0);
	while (m < ncod) {
		int64_t j = ph + 3 * m;
		if (delta % 3 == 0 && j >= end && j + 2 < nA) {
			/* in frame after the change: the reference's codons */
			int64_t cnt = (nA - ph - 3) / 3 - m + 1;
			const char *src = prot + (m - delta / 3);
			if ((st = memchr(src, '*', (size_t)cnt)))
				cnt = st - src + 1;
			memcpy(q + m, src, (size_t)cnt);
			m += cnt;
			if (st)
				break;
			continue;
		}
		char cod[3];
		for (int b = 0; b < 3; b++) {
			int64_t x = j + b;
			cod[b] = x < c0 ? a->tcds[x] : x < end ? alt[x - c0] : x < nA ? a->tcds[x - delta] :
				a->tail[x - nA];
		}
		if ((q[m++] = ob_codon_translate(cod)) == '*')
			break;
	}
done:
	q[m] = 0;
	if (alt != small)
		free(alt);
	return q;
}

/* The coding consequence of v (inside one CDS segment) on t. */
static int coding(ob_annotator *a, const ob_tx *t, const char *fname, const var *v, effect *e)
{
	int64_t i0, rc = 0;
	char *Pw = NULL, *Pt = NULL, *Q = NULL;

	if ((rc = load_cds(a, t, fname)) < 0)
		return (int)rc;
	if (v->rlen)
		i0 = ob_tx_cds_index(t, v->beg);
	else if ((i0 = ob_tx_cds_index(t, v->beg - 1)) >= 0)
		i0++;
	else
		i0 = ob_tx_cds_index(t, v->beg);
	if (i0 < 0) { /* callers place v inside a CDS segment; be safe anyway */
		e->terms |= 1u << T_CODING;
		return ob_buf_puts(&e->p, "p.?") < 0 ? ob_error_set(OB_ERROR, "out of memory") : 0;
	}
	int64_t L = a->cds_len, nA = L - v->rlen + v->alen;
	/* transcript-order index of the first affected base */
	int64_t c0 = t->strand > 0 ? i0 : L - (i0 + v->rlen);
	const ob_range *first = t->strand > 0 ? &t->cds[0] : &t->cds[t->ncds - 1];
	int64_t ph = first->phase > 0 ? first->phase : 0;
	if (ph > L || ph > nA)
		ph = 0;
	/* the reference protein (cached; it ends at its first stop) and the
	 * whole translation; translated here only for a CDS shorter than its
	 * phase once the change is made */
	const char *P = a->pref, *Pwhole = a->prot;
	if (ph != a->prot_ph) {
		if (ref_protein(a->tcds, L, ph, &Pw, &Pt) < 0) {
			rc = ob_error_set(OB_ERROR, "out of memory");
			goto out;
		}
		P = Pt;
		Pwhole = Pw;
	}
	/* read on into the 3' UTR only when the CDS ends in a stop */
	int64_t tl = strchr(P, '*') ? a->tail_len : 0;
	if (!(Q = alt_protein(a, v, t->strand, c0, ph, tl, Pwhole))) {
		rc = ob_error_set(OB_ERROR, "out of memory");
		goto out;
	}
	size_t np = strlen(P);
	int64_t delta = v->alen - v->rlen, aapos = 0;
	int fs = delta % 3 != 0;
	int64_t k0 = (c0 - ph) / 3, k1 = (c0 - ph + (v->rlen ? v->rlen - 1 : 0)) / 3;
	int refstop = np && P[np - 1] == '*';
	e->cds_pos = c0 + 1;
	e->cds_len = L;
	e->aa_len = (int64_t)np - refstop;
	if (fs && k0 == 0 && P[0] == 'M') {
		/* a frameshift that breaks the start codon: no protein to shift
		 * (bcftools csq likewise names only start_lost) */
		e->terms |= 1u << T_START_LOST;
	} else if (fs) {
		e->terms |= 1u << T_FRAMESHIFT;
		if (refstop && k1 >= (int64_t)np - 1)
			e->terms |= 1u << T_STOP_LOST;
	} else {
		char *qs = strchr(Q, '*');
		int64_t qstop = qs ? qs - Q : -1, rstop = refstop ? (int64_t)np - 1 : -1;
		if (qs)
			qs[1] = 0; /* the variant protein ends at its first stop */
		size_t nq = strlen(Q), x = 0, y = 0;
		while (x < np && x < nq && P[x] == Q[x])
			x++;
		while (y < np - x && y < nq - x && P[np - 1 - y] == Q[nq - 1 - y])
			y++;
		size_t rl = np - x - y, al = nq - x - y;
		int ref_has_stop = refstop && rstop >= (int64_t)x && rstop < (int64_t)(x + rl);
		int alt_has_stop = qstop >= 0 && (rstop < 0 || qstop < rstop + delta / 3);
		if (refstop && (qstop < 0 || qstop > rstop + delta / 3))
			ref_has_stop = 1, alt_has_stop = 0;
		if (alt_has_stop && (rl || al)) {
			x = 0;
			while (x < np && x < nq && P[x] == Q[x])
				x++;
			y = 0;
			rl = np - x;
			al = nq - x;
		}
		if (!rl && !al) {
			if (refstop && k1 >= (int64_t)np - 1 && delta == 0)
				e->terms |= 1u << T_STOP_RETAINED;
			else if (k0 == 0 && P[0] == 'M')
				e->terms |= 1u << T_START_RETAINED;
			else if (delta > 0)
				e->terms |= 1u << T_INFRAME_INS;
			else if (delta < 0)
				e->terms |= 1u << T_INFRAME_DEL;
			else
				e->terms |= 1u << T_SYNONYMOUS;
		} else {
			if (x == 0 && P[0] == 'M')
				e->terms |= 1u << T_START_LOST;
			if (ref_has_stop && !alt_has_stop)
				e->terms |= 1u << T_STOP_LOST;
			else if (alt_has_stop && !ref_has_stop)
				e->terms |= 1u << T_STOP_GAINED;
			if (delta > 0)
				e->terms |= 1u << T_INFRAME_INS;
			else if (delta < 0)
				e->terms |= 1u << T_INFRAME_DEL;
			else if (!(e->terms & (1u << T_STOP_LOST | 1u << T_STOP_GAINED | 1u << T_START_LOST)))
				e->terms |= 1u << T_MISSENSE;
		}
	}
	int64_t ext = refstop ? (int64_t)np - 1 + delta / 3 : -1;
	if (!fs && (e->terms & (1u << T_STOP_LOST)) && ext >= 0 && ext < (int64_t)strlen(Q)) {
		/* p.Ter172GlnextTer5: the new stop counted from the old one */
		const char *ns = strchr(Q + ext + 1, '*');
		aapos = (int64_t)np - 1;
		if (ns)
			rc = ob_buf_printf(&e->p, "p.Ter%zu%sextTer%td", np, ob_aa_three(Q[ext]),
				ns - (Q + ext));
		else
			rc = ob_buf_printf(&e->p, "p.Ter%zu%sextTer?", np, ob_aa_three(Q[ext]));
		if (rc < 0)
			rc = ob_error_set(OB_ERROR, "out of memory");
	} else if (e->terms & (1u << T_SYNONYMOUS | 1u << T_STOP_RETAINED | 1u << T_START_RETAINED)) {
		aapos = k0 < (int64_t)np ? k0 : (int64_t)np - 1;
		if ((ob_buf_puts(&e->p, "p.") | ob_buf_puts(&e->p, ob_aa_three(P[aapos])) |
		     put_int(&e->p, 0, aapos + 1) | ob_buf_putc(&e->p, '=')) < 0)
			rc = ob_error_set(OB_ERROR, "out of memory");
	} else if (fs && (e->terms & (1u << T_START_LOST))) {
		if (ob_buf_puts(&e->p, "p.Met1?") < 0)
			rc = ob_error_set(OB_ERROR, "out of memory");
	} else if (ob_buf_puts(&e->p, "p.") < 0 || protein_change(P, Q, fs, &e->p, &aapos) < 0) {
		rc = ob_error_set(OB_ERROR, "out of memory");
		goto out;
	}
	e->aa_pos = aapos + 1;
out:
	free(Pw); free(Pt); free(Q);
	return (int)rc;
}

/* The exon, intron or flank of t that holds g: [*sb, *se]. */
static void segment_of(const ob_tx *t, int64_t g, int64_t *sb, int64_t *se)
{
	if (g < t->beg) {
		*sb = INT64_MIN / 2;
		*se = t->beg - 1;
		return;
	}
	for (size_t i = 0; i < t->nexon; i++) {
		if (g >= t->exon[i].beg && g <= t->exon[i].end) {
			*sb = t->exon[i].beg;
			*se = t->exon[i].end;
			return;
		}
		if (i + 1 < t->nexon && g > t->exon[i].end && g < t->exon[i + 1].beg) {
			*sb = t->exon[i].end + 1;
			*se = t->exon[i + 1].beg - 1;
			return;
		}
	}
	*sb = t->end + 1;
	*se = INT64_MAX / 2;
}

/* Appends s[0..n) rotated left by off (s'[j] = s[(j + off) mod n]) on
 * the given strand: reverse-complemented for -1. */
static int put_bases(ob_buf *b, const char *s, int64_t n, int64_t off, int strand)
{
	int rc = 0;
	for (int64_t k = 0; k < n; k++) {
		int64_t j = strand > 0 ? k : n - 1 - k;
		char c = (char)toupper((unsigned char)s[((j + off) % n + n) % n]);
		rc |= ob_buf_putc(b, strand > 0 ? c : ob_base_comp(c));
	}
	return rc;
}

/* HGVS c. of v on t into e->c (bases on the transcript strand). A
 * deletion or insertion is shifted 3' in the transcript's direction as far
 * as the reference allows within its exon or intron (HGVS' 3' rule; on the
 * minus strand that is the genomic left), and an insertion that repeats
 * the bases before it is written as their dup. */
static int hgvs_c(ob_annotator *a, const char *fname, const ob_tx *t, const var *v, effect *e)
{
	ob_buf *b = &e->c;
	int64_t beg = v->beg, off = 0, lo, hi, n = v->alen;
	int rc = 0, dup = 0;

	if (fname && ((!v->rlen) != (!v->alen)) && (v->right || v->left)) {
		int64_t l0 = v->rlen ? beg : beg - 1, h0 = v->rlen ? beg + v->rlen - 1 : beg;
		int64_t b1, e1, b2, e2, k;
		segment_of(t, l0, &b1, &e1);
		segment_of(t, h0, &b2, &e2);
		if (b1 == b2 && t->strand > 0) {
			k = v->right < e1 - h0 ? v->right : e1 - h0;
			beg += k;
			off = k;
		} else if (b1 == b2) {
			k = v->left < l0 - b1 ? v->left : l0 - b1;
			beg -= k;
			off = -k;
		}
	}
	if (v->rlen) {
		lo = beg;
		hi = beg + v->rlen - 1;
	} else {
		lo = beg - 1;
		hi = beg;
	}
	if (fname && !v->rlen && n) {
		/* the n bases before the insertion, in the transcript's direction */
		int64_t d0 = t->strand > 0 ? beg - n : beg;
		dup = 1;
		for (int64_t j = 0; j < n && dup; j++)
			dup = base_at(a, fname, d0 + j) ==
			      toupper((unsigned char)v->alt[((j + off) % n + n) % n]);
		if (dup) {
			lo = d0;
			hi = d0 + n - 1;
		}
	}
	if (lo < t->beg || hi > t->end)
		return 0; /* reaches outside the transcript: no c. */
	int64_t first = t->strand > 0 ? lo : hi, last = t->strand > 0 ? hi : lo;
	rc |= ob_buf_puts(b, t->ncds ? "c." : "n.");
	rc |= ob_hgvs_pos(t, first, b);
	if (v->rlen == 1 && v->alen == 1) {
		rc |= put_bases(b, v->ref, 1, 0, t->strand);
		rc |= ob_buf_putc(b, '>');
		rc |= put_bases(b, v->alt, 1, 0, t->strand);
		goto out;
	}
	if (first != last) {
		rc |= ob_buf_putc(b, '_');
		rc |= ob_hgvs_pos(t, last, b);
	}
	if (dup) {
		rc |= ob_buf_puts(b, "dup");
	} else if (!v->rlen) {
		rc |= ob_buf_puts(b, "ins");
		rc |= put_bases(b, v->alt, n, off, t->strand);
	} else if (!v->alen) {
		rc |= ob_buf_puts(b, "del");
	} else {
		rc |= ob_buf_puts(b, "delins");
		rc |= put_bases(b, v->alt, n, 0, t->strand);
	}
out:
	if (rc)
		ob_buf_clear(b); /* a position that cannot be named leaves HGVS.c empty */
	return 0;
}

/* The splice terms of an insertion between a = v->beg - 1 and v->beg at
 * the intron [ib, ie], as bcftools csq places them: counted from the
 * exon before the intron, an insertion after intron base 0 (the exon's
 * last base) or 1 hits the site and after bases 2-7 the region; counted
 * from the exon after it (base 1 next to the exon), an insertion before
 * base 1 hits the site and before bases 2-7 the region, while one right
 * before the exon's first base is in the exon. On the exon side, an
 * insertion before either of the last two bases of the exon before, or
 * after any of the last base before the next exon and its first three
 * bases, is in the region. */
static unsigned ins_splice(const var *v, int64_t ib, int64_t ie, int donor_left)
{
	int64_t a = v->beg - 1, d5 = a - (ib - 1), d3 = (ie + 1) - v->beg;
	unsigned m = 0;
	if (d5 >= 0 && d5 <= 1)
		m |= 1u << (donor_left ? T_SPLICE_DON : T_SPLICE_ACC);
	else if (d5 >= 2 && d5 <= 7)
		m |= 1u << T_SPLICE_REGION;
	if (d3 == 1)
		m |= 1u << (donor_left ? T_SPLICE_ACC : T_SPLICE_DON);
	else if (d3 >= 2 && d3 <= 7)
		m |= 1u << T_SPLICE_REGION;
	if ((v->beg >= ib - 2 && v->beg <= ib - 1) || (a >= ie && a <= ie + 3))
		m |= 1u << T_SPLICE_REGION;
	return m;
}

/* True when an insertion between v->beg - 1 and v->beg lies in [b, e]:
 * its following base does (an insertion after an exon's last base is in
 * the intron, one before its first base in the exon). For other changes:
 * when they overlap. */
static int in_range(const var *v, int64_t sb, int64_t se, int64_t b, int64_t e)
{
	return v->rlen ? overlaps(sb, se, b, e) : v->beg >= b && v->beg <= e;
}

/* True for a deletion whose VCF record overlaps t's start codon while the
 * same deletion can be placed wholly in the 5' UTR, leaving ATG in place:
 * bcftools csq calls it start_retained, as we do. */
static int start_retained(const ob_tx *t, const var *v)
{
	if (!v->rlen || v->alen || !t->ncds)
		return 0;
	if (t->strand > 0) {
		int64_t s0 = t->cds[0].beg;
		return t->cds[0].phase <= 0 && overlaps(v->rec_beg, v->rec_end, s0, s0 + 2) &&
		       v->beg - v->left + v->rlen - 1 < s0;
	}
	int64_t s0 = t->cds[t->ncds - 1].end;
	return t->cds[t->ncds - 1].phase <= 0 && overlaps(v->rec_beg, v->rec_end, s0 - 2, s0) &&
	       v->beg + v->right > s0;
}

/* rank = "x/y" (room for 48 bytes), without printf: once per entry. */
static void set_rank(char *rank, size_t x, size_t y)
{
	char s[48], *p = s + sizeof s;
	*--p = 0;
	do
		*--p = (char)('0' + y % 10);
	while (y /= 10);
	*--p = '/';
	do
		*--p = (char)('0' + x % 10);
	while (x /= 10);
	memcpy(rank, p, (size_t)(s + sizeof s - p));
}

/* Places v on t and fills e. */
/* A deletion that straddles an exon's edge but can slide (within its
 * repeat) wholly into that exon is placed there, the nearest such way:
 * the splice site keeps its sequence and the exon loses the bases, as
 * bcftools csq reads it (CAG.GTGGCC -> CAG.---GCC). Returns the shift.
 * Only the consequence uses this placement; HGVS.c keeps the 3' rule. */
static int64_t into_exon(const ob_tx *t, const var *v)
{
	if (!v->rlen || v->alen)
		return 0;
	int64_t b = v->beg, e = v->beg + v->rlen - 1;
	for (size_t i = 0; i < t->nexon; i++) {
		const ob_range *x = &t->exon[i];
		if (!overlaps(b, e, x->beg, x->end) || (b >= x->beg && e <= x->end))
			continue;
		if (x->end - x->beg + 1 < v->rlen)
			return 0;
		if (b < x->beg && x->beg - b <= v->right)
			return x->beg - b;
		if (e > x->end && e - x->end <= v->left)
			return -(e - x->end);
		return 0;
	}
	return 0;
}

static int on_transcript(ob_annotator *a, const ob_tx *t, const char *fname, const var *v0, effect *e)
{
	var w = *v0;
	const var *v = &w;
	int64_t k = into_exon(t, v0);
	if (k) {
		w.beg += k;
		w.right -= k;
		w.left += k;
	}
	int64_t sb = v->rlen ? v->beg : v->beg - 1, se = v->rlen ? v->beg + v->rlen - 1 : v->beg;
	int rc;

	e->tx = t;
	if (v->rlen ? (se < t->beg || sb > t->end) : (sb < t->beg || se > t->end)) {
		int before = v->rlen ? se < t->beg : sb < t->beg;
		e->distance = before ? t->beg - se : sb - t->end;
		e->terms |= 1u << ((before == (t->strand > 0)) ? T_UPSTREAM : T_DOWNSTREAM);
		return 0;
	}
	size_t n = t->nexon;
	for (size_t i = 0; i + 1 < n; i++) {
		int64_t ib = t->exon[i].end + 1, ie = t->exon[i + 1].beg - 1;
		if (ie < ib)
			continue;
		int donor_left = t->strand > 0;
		if (!v->rlen) {
			e->terms |= ins_splice(v, ib, ie, donor_left);
			continue;
		}
		if (overlaps(sb, se, ib, ib + 1 < ie ? ib + 1 : ie))
			e->terms |= 1u << (donor_left ? T_SPLICE_DON : T_SPLICE_ACC);
		if (overlaps(sb, se, ie - 1 > ib ? ie - 1 : ib, ie))
			e->terms |= 1u << (donor_left ? T_SPLICE_ACC : T_SPLICE_DON);
		if (overlaps(sb, se, ib + 2, ib + 7 < ie ? ib + 7 : ie) ||
		    overlaps(sb, se, ie - 7 > ib ? ie - 7 : ib, ie - 2) ||
		    overlaps(sb, se, ib - 3, ib - 1) || overlaps(sb, se, ie + 1, ie + 3))
			e->terms |= 1u << T_SPLICE_REGION;
	}
	size_t hit = n;
	for (size_t i = 0; i < n; i++)
		if (in_range(v, sb, se, t->exon[i].beg, t->exon[i].end)) {
			hit = i;
			break;
		}
	if (hit == n) {
		int64_t g = v->rlen ? sb : v->beg;
		for (size_t i = 0; i + 1 < n; i++)
			if (g > t->exon[i].end && g < t->exon[i + 1].beg)
				set_rank(e->rank, t->strand > 0 ? i + 1 : n - 1 - i, n - 1);
		e->terms |= 1u << T_INTRON;
	} else {
		set_rank(e->rank, t->strand > 0 ? hit + 1 : n - hit, n);
		int64_t p = tx_pos(t, v->beg >= t->exon[hit].beg ? v->beg : t->exon[hit].beg);
		e->cdna_pos = p;
		e->cdna_len = tx_len(t);
		if (!t->ncds) {
			e->terms |= 1u << T_NC_EXON;
		} else {
			int64_t cb = t->cds[0].beg, ce = t->cds[t->ncds - 1].end;
			if (start_retained(t, v)) {
				e->terms |= 1u << T_START_RETAINED;
				e->aa_pos = 1;
				if (ob_buf_puts(&e->p, "p.Met1=") < 0)
					return ob_error_set(OB_ERROR, "out of memory");
				return hgvs_c(a, fname, t, v0, e);
			}
			/* UTR terms only for exon bases outside the CDS (not for the
			 * part of a change reaching past the transcript) */
			for (size_t i = 0; i < n; i++) {
				const ob_range *x = &t->exon[i];
				if (x->beg < cb && overlaps(sb, se, x->beg, x->end < cb ? x->end : cb - 1))
					e->terms |= 1u << (t->strand > 0 ? T_5UTR : T_3UTR);
				if (x->end > ce && overlaps(sb, se, x->beg > ce ? x->beg : ce + 1, x->end))
					e->terms |= 1u << (t->strand > 0 ? T_3UTR : T_5UTR);
			}
			/* the coding analysis needs the change inside one CDS segment */
			int64_t rb = v->beg, re = v->rlen ? v->beg + v->rlen - 1 : v->beg - 1;
			int inside = 0;
			for (size_t i = 0; i < t->ncds; i++) {
				const ob_range *c = &t->cds[i];
				if (v->rlen ? (rb >= c->beg && re <= c->end)
					    : (rb >= c->beg && rb - 1 <= c->end))
					inside = 1;
			}
			/* an insertion right before the first or after the last CDS
			 * base is in the UTR */
			if (!v->rlen && (rb == cb || rb - 1 == ce))
				inside = 0;
			if (inside) {
				if ((rc = coding(a, t, fname, v, e)) < 0)
					return rc;
			} else if (overlaps(sb, se, cb, ce)) {
				int any = 0;
				for (size_t i = 0; i < t->ncds; i++)
					any |= overlaps(rb, re, t->cds[i].beg, t->cds[i].end);
				if (any) {
					e->terms |= 1u << T_CODING;
					if (ob_buf_puts(&e->p, "p.?") < 0)
						return ob_error_set(OB_ERROR, "out of memory");
				} else if (!(e->terms & (1u << T_5UTR | 1u << T_3UTR))) {
					e->terms |= 1u << T_INTRON;
				}
			}
		}
	}
	return hgvs_c(a, fname, t, v0, e);
}

static enum impact impact_of(unsigned m)
{
	enum impact best = MODIFIER;
	for (int i = 0; i < T_N; i++)
		if ((m & (1u << i)) && terms[i].impact > best)
			best = terms[i].impact;
	return best;
}

static int cmp_effect(const void *x, const void *y)
{
	const effect *a = x, *b = y;
	enum impact ia = impact_of(a->terms), ib = impact_of(b->terms);
	if (ia != ib)
		return ia > ib ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

static int put_pair(ob_buf *o, int64_t x, int64_t n)
{
	if (!x)
		return ob_buf_putc(o, '|');
	return put_int(o, '|', x) | put_int(o, '/', n);
}

static int write_effect(ob_buf *o, const char *allele, const effect *e, const char *extra_warn)
{
	int rc = 0, first = 1;
	const ob_tx *t = e->tx;

	/* constant strings and integers appended as they are: no printf */
	rc |= ob_buf_puts(o, allele);
	rc |= ob_buf_putc(o, '|');
	for (int i = 0; i < T_N; i++)
		if (e->terms & (1u << i)) {
			if (!first)
				rc |= ob_buf_putc(o, '&');
			rc |= ob_buf_puts(o, terms[i].name);
			first = 0;
		}
	rc |= ob_buf_putc(o, '|');
	rc |= ob_buf_puts(o, impact_names[impact_of(e->terms)]);
	if (t) {
		const char *f[] = { t->gene_name, t->gene_id, "transcript", t->id, t->biotype, e->rank };
		for (size_t i = 0; i < sizeof f / sizeof *f; i++) {
			rc |= ob_buf_putc(o, '|');
			rc |= ob_buf_puts(o, f[i]);
		}
		rc |= ob_buf_putc(o, '|');
		rc |= ob_buf_put(o, e->c.s ? e->c.s : "", e->c.len);
	} else {
		rc |= ob_buf_puts(o, "|||||||");
	}
	rc |= ob_buf_putc(o, '|');
	rc |= ob_buf_put(o, e->p.s ? e->p.s : "", e->p.len);
	rc |= put_pair(o, e->cdna_pos, e->cdna_len);
	rc |= put_pair(o, e->cds_pos, e->cds_len);
	rc |= put_pair(o, e->aa_pos, e->aa_len);
	if (e->distance)
		rc |= put_int(o, '|', e->distance);
	else
		rc |= ob_buf_putc(o, '|');
	rc |= ob_buf_putc(o, '|');
	if (e->warn)
		rc |= ob_buf_puts(o, e->warn);
	if (extra_warn) {
		if (e->warn)
			rc |= ob_buf_putc(o, '&');
		rc |= ob_buf_puts(o, extra_warn);
	}
	return rc;
}

/* Slot i of the annotator's entries, emptied; its HGVS buffers keep their
 * memory from record to record (no malloc per entry). NULL when out of
 * memory. */
static effect *next_effect(ob_annotator *a, size_t i)
{
	if (i == a->ceff) {
		size_t n = a->ceff ? 2 * a->ceff : 8;
		effect *q = realloc(a->eff, n * sizeof *q);
		if (!q)
			return NULL;
		memset(q + a->ceff, 0, (n - a->ceff) * sizeof *q);
		a->eff = q;
		a->ceff = n;
	}
	effect *e = &a->eff[i];
	ob_buf c = e->c, p = e->p;
	memset(e, 0, sizeof *e);
	e->c = c;
	e->p = p;
	ob_buf_clear(&e->c);
	ob_buf_clear(&e->p);
	return e;
}

static int symbolic(const char *alt)
{
	return alt[0] == '<' || alt[0] == '*' || strchr(alt, '[') || strchr(alt, ']') ||
	       alt[0] == '.' || strspn(alt, "ACGTNacgtn") != strlen(alt);
}

int ob_annotate_record(ob_annotator *a, const char *chrom, int64_t pos, const char *ref,
	const char *const *alts, int nalt, ob_buf *out)
{
	char fa_alt[256], gf_alt[256];
	const char *fname = fasta_name(a, chrom, fa_alt, sizeof fa_alt);
	const char *gname = gff_name(a, chrom, gf_alt, sizeof gf_alt);
	const ob_tx *near[MAXTX];
	effect *eff = a->eff;
	size_t neff = 0;
	const char *refwarn = NULL;
	int rc = 0;
	int64_t rlen = (int64_t)strlen(ref);

	if (!fname && !gname) {
		for (int i = 0; i < nalt; i++)
			if (ob_buf_printf(out, "%s%s|sequence_variant|MODIFIER|||||||||||||ERROR_CHROMOSOME_NOT_FOUND",
				i ? "," : "", alts[i]) < 0)
				return ob_error_set(OB_ERROR, "out of memory");
		return 0;
	}
	if (fname) {
		for (int64_t j = 0; j < rlen && !refwarn; j++)
			if (base_at(a, fname, pos + j) != toupper((unsigned char)ref[j]))
				refwarn = "WARNING_REF_DOES_NOT_MATCH_GENOME";
		if (refwarn && !a->nrefbad++) {
			snprintf(a->refbad_chrom, sizeof a->refbad_chrom, "%s", chrom);
			a->refbad_pos = pos;
		}
	} else {
		refwarn = "WARNING_CHROMOSOME_NOT_IN_FASTA";
	}
	for (int ai = 0; ai < nalt; ai++) {
		const char *alt = alts[ai];
		if (symbolic(alt) || !fname || !gname || symbolic(ref)) {
			effect *e = next_effect(a, neff++);
			if (!e) { rc = ob_error_set(OB_ERROR, "out of memory"); goto out; }
			eff = a->eff;
			e->allele = ai;
			e->order = neff;
			if (!gname && !symbolic(alt) && !symbolic(ref)) {
				e->terms = 1u << T_INTERGENIC;
				e->warn = "WARNING_CHROMOSOME_NOT_IN_GFF";
			} else {
				e->terms = 1u << T_SEQUENCE;
				e->warn = "WARNING_ALLELE_NOT_ANNOTATED";
			}
			continue;
		}
		/* trim the common suffix, then the common prefix: the left-aligned
		 * change, as normalised VCF has it */
		var v = { pos, ref, alt, rlen, (int64_t)strlen(alt), 0, 0, pos, pos + rlen - 1 };
		while (v.rlen && v.alen && toupper((unsigned char)v.ref[v.rlen - 1]) ==
			toupper((unsigned char)v.alt[v.alen - 1])) {
			v.rlen--;
			v.alen--;
		}
		if (!v.rlen && v.beg == 1) {
			/* left-aligned past the contig start: keep the anchor */
			v.rlen = rlen;
			v.alen = (int64_t)strlen(alt);
		}
		while (v.rlen && v.alen && toupper((unsigned char)v.ref[0]) == toupper((unsigned char)v.alt[0])) {
			v.ref++; v.alt++; v.rlen--; v.alen--; v.beg++;
		}
		while (v.rlen && v.alen && toupper((unsigned char)v.ref[v.rlen - 1]) ==
			toupper((unsigned char)v.alt[v.alen - 1])) {
			v.rlen--;
			v.alen--;
		}
		v.right = v.left = 0;
		if ((!v.rlen) != (!v.alen))
			indel_room(a, fname, &v);
		int64_t sb = v.rlen ? v.beg : v.beg - 1, se = v.rlen ? v.beg + v.rlen - 1 : v.beg;
		size_t nn = ob_gff_near(a->gff, gname, sb, se, FLANK, near, MAXTX);
		if (nn > MAXTX)
			nn = MAXTX;
		if (a->picked)
			nn = keep_picked(a, near, nn);
		for (size_t k = 0; k < nn || (k == 0 && nn == 0); k++) {
			effect *e = next_effect(a, neff++);
			if (!e) { rc = ob_error_set(OB_ERROR, "out of memory"); goto out; }
			eff = a->eff;
			e->allele = ai;
			e->order = neff;
			if (!nn) {
				e->terms = 1u << T_INTERGENIC;
				break;
			}
			if (!v.rlen && !v.alen) {
				e->tx = near[k];
				e->terms = 1u << T_SEQUENCE;
				e->warn = "INFO_REF_EQUALS_ALT";
				continue;
			}
			if ((rc = on_transcript(a, near[k], fname, &v, e)) < 0)
				goto out;
			if (!e->terms)
				e->terms = 1u << T_SEQUENCE;
		}
	}
	if (neff > 1)
		qsort(eff, neff, sizeof *eff, cmp_effect);
	for (size_t i = 0; i < neff; i++) {
		if (i && ob_buf_putc(out, ',') < 0) { rc = ob_error_set(OB_ERROR, "out of memory"); goto out; }
		if (write_effect(out, alts[eff[i].allele], &eff[i], refwarn) < 0) {
			rc = ob_error_set(OB_ERROR, "out of memory");
			goto out;
		}
	}
out:
	return rc;
}

/* ann_internal.h: what haplo.c borrows */
ob_ref *ob_ann_ref(const ob_annotator *a)
{
	return a->ref;
}

const ob_gff *ob_ann_gff(const ob_annotator *a)
{
	return a->gff;
}

const char *ob_ann_fasta_name(const ob_annotator *a, const char *chrom, char *buf, size_t n)
{
	return fasta_name(a, chrom, buf, n);
}

const char *ob_ann_gff_name(const ob_annotator *a, const char *chrom, char *buf, size_t n)
{
	return gff_name(a, chrom, buf, n);
}

size_t ob_ann_overlapping(const ob_annotator *a, const char *gname, int64_t beg, int64_t end,
	const ob_tx **out, size_t max)
{
	size_t n = ob_gff_near(a->gff, gname, beg, end, 0, out, max);
	if (n > max)
		n = max;
	return a->picked ? keep_picked(a, out, n) : n;
}
