/*
 * haplo.c - compound (haplotype-aware) consequences: groups the coding
 * variants of one haplotype per transcript while the VCF is over the
 * transcript, then applies each group to the spliced CDS at once,
 * translates it and rewrites the ANN values of the group's records. See
 * haplo.h for what the output looks like and docs/annotation.md for the
 * rules. The per-record annotation stays annotate.c's; this file only
 * adds the combined entry and the pointers to it.
 */
#include "genomics/haplo.h"
#include "genomics/ann_internal.h"
#include "genomics/codon.h"
#include "base/error.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXOVL 256 /* transcripts looked at per variant */

/* One variant of a group: record seq (input order) at VCF position pos,
 * its ALT as written (allele) and the trimmed change: REF bases
 * [beg, beg + rlen) replaced by allele[aoff .. aoff + alen). */
struct member {
	int64_t seq, pos, beg, rlen, alen;
	size_t aoff;
	char *allele;
};

/* The variants haplotype hap carries in the CDS of t, in input order. */
struct group {
	const ob_tx *t;
	int hap;
	struct member *m;
	size_t n, cap;
	int done; /* a duplicate of an earlier group: written once */
};

/* A record held until its transcripts are passed. */
struct held {
	int64_t hold; /* the largest end of a transcript it is coding in; 0: none */
	char *ann;
};

struct ob_haplo {
	ob_annotator *a;
	struct held *q; /* q[qhead .. qn) are held; q[qhead] has seq front */
	size_t qhead, qn, qcap;
	int64_t front, next; /* seq of q[qhead]; seq of the next record */
	int64_t ready_seq;   /* records before it are ready whatever their hold */
	int64_t frontier;    /* the position of the newest record */
	struct group *g;
	size_t ng, cg;
	char chrom[256];
	int nhap;            /* -1 before the first record */
};

int ob_haplo_new(ob_haplo **out, ob_annotator *a)
{
	ob_haplo *h = calloc(1, sizeof *h);
	*out = NULL;
	if (!h)
		return ob_error_set(OB_ERROR, "out of memory");
	h->a = a;
	h->nhap = -1;
	*out = h;
	return 0;
}

static void group_dispose(struct group *g)
{
	for (size_t i = 0; i < g->n; i++)
		free(g->m[i].allele);
	free(g->m);
}

void ob_haplo_free(ob_haplo *h)
{
	if (!h)
		return;
	for (size_t i = h->qhead; i < h->qn; i++)
		free(h->q[i].ann);
	free(h->q);
	for (size_t i = 0; i < h->ng; i++)
		group_dispose(&h->g[i]);
	free(h->g);
	free(h);
}

size_t ob_haplo_held(const ob_haplo *h)
{
	return h->qn - h->qhead;
}

static struct held *held_of(ob_haplo *h, int64_t seq)
{
	if (seq < h->front || seq >= h->front + (int64_t)(h->qn - h->qhead))
		return NULL;
	return &h->q[h->qhead + (size_t)(seq - h->front)];
}

/* ---- the ANN value of a held record: entries split at ',', fields at '|' */

/* The span [*b, *e) of the entry of ann for allele and transcript id that
 * is not a compound entry; 0 when there is none. */
static int find_entry(const char *ann, const char *allele, const char *id, size_t *b, size_t *e)
{
	size_t al = strlen(allele), il = strlen(id), i = 0, n = strlen(ann);
	while (i < n) {
		size_t j = i;
		while (j < n && ann[j] != ',')
			j++;
		/* field 1 (allele) and field 7 (feature ID) */
		const char *f = ann + i, *end = ann + j, *s[17];
		int k = 0;
		s[k++] = f;
		for (const char *p = f; p < end && k < 17; p++)
			if (*p == '|')
				s[k++] = p + 1;
		if (k == 16 && (size_t)(s[1] - s[0] - 1) == al && !memcmp(s[0], allele, al) &&
		    (size_t)(s[7] - s[6] - 1) == il && !memcmp(s[6], id, il)) {
			size_t wl = (size_t)(end - s[15]);
			int compound = 0;
			for (size_t x = 0; x + 19 <= wl && !compound; x++)
				compound = !memcmp(s[15] + x, "INFO_COMPOUND_WITH:", 19);
			if (!compound) {
				*b = i;
				*e = j;
				return 1;
			}
		}
		i = j + 1;
	}
	return 0;
}

/* Replaces ann[b, e) with the n bytes of s; 0 or -1 (out of memory). */
static int splice_ann(char **ann, size_t b, size_t e, const char *s, size_t n)
{
	size_t len = strlen(*ann), nl = len - (e - b) + n;
	char *x = malloc(nl + 1);
	if (!x)
		return -1;
	memcpy(x, *ann, b);
	memcpy(x + b, s, n);
	memcpy(x + b + n, *ann + e, len - e + 1);
	free(*ann);
	*ann = x;
	return 0;
}

/* Adds the warning w to the entry [b, e) of *ann unless it has it. */
static int add_warning(char **ann, size_t b, size_t e, const char *w)
{
	const char *last = *ann + b;
	for (const char *p = *ann + b; p < *ann + e; p++)
		if (*p == '|')
			last = p + 1;
	size_t wl = strlen(w), have = (size_t)(*ann + e - last);
	for (const char *p = last; p + wl <= *ann + e; p++)
		if (!memcmp(p, w, wl) && (p == last || p[-1] == '&') &&
		    (p + wl == *ann + e || p[wl] == '&'))
			return 0;
	ob_buf x = OB_BUF_INIT;
	int rc = (have ? ob_buf_putc(&x, '&') : 0) | ob_buf_puts(&x, w);
	if (rc == 0)
		rc = splice_ann(ann, e, e, x.s, x.len);
	ob_buf_dispose(&x);
	return rc < 0 ? -1 : 0;
}

/* ---- the combined change ---- */

/* Appends the translation of s[0..n) up to and including its first stop. */
static int translate_to_stop(ob_buf *out, const char *s, int64_t n)
{
	for (int64_t i = 0; i + 2 < n; i += 3) {
		char aa = ob_codon_translate(s + i);
		if (ob_buf_putc(out, aa) < 0)
			return -1;
		if (aa == '*')
			break;
	}
	return 0;
}

static void put_rev(ob_buf *b, int strand)
{
	if (strand < 0 && b->len)
		ob_revcomp(b->s, b->len);
}

/* The transcript's CDS, with the members m[0..n) (sorted by beg) applied
 * when m is not NULL, into cds; its 3' UTR into tail (transcript strand
 * both). 0, 1 when a member does not fit (skip the group), or OB_ERROR. */
static int spliced(ob_haplo *h, const ob_tx *t, const char *fname, struct member *const *m,
	size_t n, ob_buf *cds, ob_buf *tail)
{
	ob_ref *ref = ob_ann_ref(h->a);
	int64_t clen = ob_ref_len(ref, fname), cb = t->cds[0].beg, ce = t->cds[t->ncds - 1].end;
	size_t mi = 0;
	int rc;

	for (size_t i = 0; i < t->ncds; i++) {
		int64_t b = t->cds[i].beg, e = t->cds[i].end, skip = 0;
		if (b < 1 || e > clen || ob_buf_grow(cds, (size_t)(e - b + 1)) < 0)
			return ob_error_set(OB_ERROR, "%s:%" PRId64 "-%" PRId64 ": cannot read the "
				"reference", fname, b, e);
		char *s = cds->s + cds->len;
		if ((rc = ob_ref_copy(ref, fname, b, e, s)) < 0)
			return rc;
		if (!m) {
			cds->len += (size_t)(e - b + 1);
			cds->s[cds->len] = 0;
			continue;
		}
		/* the segment's bases are copied out of the buffer, then rebuilt */
		char *seg = malloc((size_t)(e - b + 1));
		if (!seg)
			return ob_error_set(OB_ERROR, "out of memory");
		memcpy(seg, s, (size_t)(e - b + 1));
		for (int64_t g = b; g <= e + 1; g++) {
			while (mi < n && !m[mi]->rlen && m[mi]->beg == g)
				ob_buf_put(cds, m[mi]->allele + m[mi]->aoff, (size_t)m[mi]->alen), mi++;
			if (g > e)
				break;
			if (skip) {
				skip--;
				continue;
			}
			if (mi < n && m[mi]->rlen && m[mi]->beg == g) {
				ob_buf_put(cds, m[mi]->allele + m[mi]->aoff, (size_t)m[mi]->alen);
				skip = m[mi]->rlen - 1;
				mi++;
				continue;
			}
			ob_buf_putc(cds, seg[g - b]);
		}
		free(seg);
	}
	if (cds->failed)
		return ob_error_set(OB_ERROR, "out of memory");
	if (m && mi < n)
		return 1;
	for (size_t i = 0; i < cds->len; i++)
		cds->s[i] = (char)toupper((unsigned char)cds->s[i]);
	put_rev(cds, t->strand);
	for (size_t i = 0; i < t->nexon; i++) {
		int64_t b = t->exon[i].beg, e = t->exon[i].end;
		if (t->strand > 0 && b <= ce)
			b = ce + 1;
		if (t->strand < 0 && e >= cb)
			e = cb - 1;
		if (e > clen)
			e = clen;
		if (b < 1)
			b = 1;
		if (e < b)
			continue;
		if (ob_buf_grow(tail, (size_t)(e - b + 1)) < 0)
			return ob_error_set(OB_ERROR, "out of memory");
		if (ob_ref_copy(ref, fname, b, e, tail->s + tail->len) == 0) {
			tail->len += (size_t)(e - b + 1);
			tail->s[tail->len] = 0;
		}
	}
	put_rev(tail, t->strand);
	return 0;
}

/* SO terms of a combined change, in annotate.c's order, with impacts. */
enum { C_FRAMESHIFT, C_STOP_GAINED, C_STOP_LOST, C_START_LOST, C_INFRAME_INS, C_INFRAME_DEL,
	C_MISSENSE, C_SYNONYMOUS, C_STOP_RETAINED, C_N };
static const struct { const char *name, *impact; } cterms[C_N] = {
	{ "frameshift_variant", "HIGH" },
	{ "stop_gained", "HIGH" },
	{ "stop_lost", "HIGH" },
	{ "start_lost", "HIGH" },
	{ "inframe_insertion", "MODERATE" },
	{ "inframe_deletion", "MODERATE" },
	{ "missense_variant", "MODERATE" },
	{ "synonymous_variant", "LOW" },
	{ "stop_retained_variant", "LOW" },
};

/* The combined consequence of ALT protein Q against P (both cut after
 * their first stop), with net length change delta: a bit set of cterms,
 * the HGVS.p (without "p.") in hp and the first changed residue in *x
 * (for an unchanged protein: k0, the first codon the changes touch). */
static unsigned classify(const char *P, const char *Q, int64_t delta, int64_t k0, ob_buf *hp,
	size_t *x)
{
	size_t np = strlen(P), nq = strlen(Q), a = 0;
	int fs = delta % 3 != 0, refstop = np && P[np - 1] == '*';
	unsigned m = 0;

	while (a < np && a < nq && P[a] == Q[a])
		a++;
	*x = a;
	if (fs && a == 0 && P[0] == 'M') {
		ob_buf_puts(hp, "Met1?");
		return 1u << C_START_LOST;
	}
	if (!fs && a == np && a == nq && delta == 0 && k0 >= 0 && k0 < (int64_t)np) {
		/* the same protein: p.Leu12=, or the stop codon kept */
		*x = (size_t)k0;
		ob_buf_printf(hp, "%s%" PRId64 "=", ob_aa_three(P[k0]), k0 + 1);
		return 1u << (P[k0] == '*' ? C_STOP_RETAINED : C_SYNONYMOUS);
	}
	ob_hgvs_protein(P, Q, fs, hp);
	if (fs)
		return 1u << C_FRAMESHIFT;
	if (a == np && a == nq)
		return 1u << (delta > 0 ? C_INFRAME_INS : delta < 0 ? C_INFRAME_DEL : C_SYNONYMOUS);
	int qstop = nq && Q[nq - 1] == '*';
	if (a == 0 && P[0] == 'M')
		m |= 1u << C_START_LOST;
	if (refstop && (!qstop || (int64_t)nq > (int64_t)np + delta / 3))
		m |= 1u << C_STOP_LOST;
	else if (qstop && (!refstop || (int64_t)nq < (int64_t)np + delta / 3))
		m |= 1u << C_STOP_GAINED;
	if (delta > 0)
		m |= 1u << C_INFRAME_INS;
	else if (delta < 0)
		m |= 1u << C_INFRAME_DEL;
	else if (!m)
		m |= 1u << C_MISSENSE;
	int64_t ext = (int64_t)np - 1 + delta / 3;
	if ((m & (1u << C_STOP_LOST)) && ext >= 0 && ext < (int64_t)nq) {
		/* p.Ter6ArgextTer4: the new stop counted from the old one */
		const char *ns = strchr(Q + ext + 1, '*');
		ob_buf_clear(hp);
		*x = np - 1;
		if (ns)
			ob_buf_printf(hp, "Ter%zu%sextTer%td", np, ob_aa_three(Q[ext]), ns - (Q + ext));
		else
			ob_buf_printf(hp, "Ter%zu%sextTer?", np, ob_aa_three(Q[ext]));
	}
	return m;
}

static int cmp_beg(const void *x, const void *y)
{
	const struct member *a = *(struct member *const *)x, *b = *(struct member *const *)y;
	if (a->beg != b->beg)
		return a->beg < b->beg ? -1 : 1;
	if (!a->rlen != !b->rlen)
		return a->rlen ? 1 : -1; /* an insertion goes before the base at beg */
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Doubled coordinates: a change of bases [beg, beg+rlen) covers
 * [2beg, 2(beg+rlen)), an insertion before beg covers [2beg-1, 2beg). */
static int clash(const struct member *a, const struct member *b)
{
	int64_t ab = a->rlen ? 2 * a->beg : 2 * a->beg - 1, ae = 2 * (a->beg + a->rlen);
	int64_t bb = b->rlen ? 2 * b->beg : 2 * b->beg - 1, be = 2 * (b->beg + b->rlen);
	return ab < be && bb < ae;
}

/* Writes group g (two or more members that do not overlap, in input
 * order; k0 the first codon they touch): the combined entry on the first
 * record, the pointer on the others. */
static int write_group(ob_haplo *h, struct group *g, struct member **use, size_t n, int64_t k0)
{
	const ob_tx *t = g->t;
	char fa[256];
	const char *fname = ob_ann_fasta_name(h->a, t->chrom, fa, sizeof fa);
	ob_buf rc0 = OB_BUF_INIT, ra = OB_BUF_INIT, tail = OB_BUF_INIT, P = OB_BUF_INIT;
	ob_buf Q = OB_BUF_INIT, hp = OB_BUF_INIT, ent = OB_BUF_INIT, tmp = OB_BUF_INIT;
	struct member **sorted = malloc(n * sizeof *sorted);
	int rc = 0;

	if (!sorted)
		return ob_error_set(OB_ERROR, "out of memory");
	if (!fname)
		goto out;
	memcpy(sorted, use, n * sizeof *sorted);
	qsort(sorted, n, sizeof *sorted, cmp_beg);
	if ((rc = spliced(h, t, fname, NULL, 0, &rc0, &tail)) < 0)
		goto out;
	ob_buf_clear(&tail);
	if ((rc = spliced(h, t, fname, sorted, n, &ra, &tail)) != 0) {
		if (rc > 0)
			rc = 0;
		goto out;
	}
	int64_t delta = 0, L = (int64_t)rc0.len, La = (int64_t)ra.len;
	for (size_t i = 0; i < n; i++)
		delta += use[i]->alen - use[i]->rlen;
	const ob_range *first = t->strand > 0 ? &t->cds[0] : &t->cds[t->ncds - 1];
	int64_t ph = first->phase > 0 ? first->phase : 0;
	if (ph > L || ph > La)
		ph = 0;
	if (translate_to_stop(&P, ob_buf_cstr(&rc0) + ph, L - ph) < 0)
		goto oom;
	/* read on into the 3' UTR only when the reference CDS ends in a stop */
	if (P.len && P.s[P.len - 1] == '*' && tail.len && ob_buf_put(&ra, tail.s, tail.len) < 0)
		goto oom;
	if (translate_to_stop(&Q, ob_buf_cstr(&ra) + ph, (int64_t)ra.len - ph) < 0)
		goto oom;
	size_t x;
	unsigned terms = classify(ob_buf_cstr(&P), ob_buf_cstr(&Q), delta, k0, &hp, &x);
	if (hp.failed)
		goto oom;

	/* the first record: a combined entry built from its local one */
	struct held *head = held_of(h, use[0]->seq);
	size_t b, e;
	if (!head || !find_entry(head->ann, use[0]->allele, t->id, &b, &e))
		goto out;
	const char *f[16];
	size_t fl[16];
	int k = 0;
	f[0] = head->ann + b;
	for (size_t i = b; i < e && k < 15; i++)
		if (head->ann[i] == '|') {
			fl[k] = (size_t)(head->ann + i - f[k]);
			f[++k] = head->ann + i + 1;
		}
	fl[15] = (size_t)(head->ann + e - f[15]);
	const char *impact = "LOW"; /* cterms is ordered by impact: the first term's */
	for (int i = C_N - 1; i >= 0; i--)
		if (terms & (1u << i))
			impact = cterms[i].impact;
	size_t np = P.len - (P.len && P.s[P.len - 1] == '*');
	for (int i = 0; i < 16; i++) {
		if (i)
			ob_buf_putc(&ent, '|');
		if (i == 1) {
			int any = 0;
			for (int j = 0; j < C_N; j++)
				if (terms & (1u << j)) {
					if (any++)
						ob_buf_putc(&ent, '&');
					ob_buf_puts(&ent, cterms[j].name);
				}
		} else if (i == 2) {
			ob_buf_puts(&ent, impact);
		} else if (i == 10) {
			ob_buf_puts(&ent, "p.");
			ob_buf_put(&ent, hp.s, hp.len);
		} else if (i == 13) {
			ob_buf_printf(&ent, "%zu/%zu", (x < P.len ? x : P.len ? P.len - 1 : 0) + 1, np);
		} else if (i == 15) {
			ob_buf_put(&ent, f[i], fl[i]);
			if (fl[i])
				ob_buf_putc(&ent, '&');
			ob_buf_puts(&ent, "INFO_COMPOUND_WITH:");
			for (size_t j = 1; j < n; j++)
				ob_buf_printf(&ent, "%s%" PRId64, j > 1 ? "+" : "", use[j]->pos);
		} else {
			ob_buf_put(&ent, f[i], fl[i]);
		}
	}
	ob_buf_putc(&ent, ',');
	if (ent.failed)
		goto oom;
	/* haplotypes whose groups differ can share a cluster: write it once
	 * (the pointers below are added once whatever happens) */
	int have = 0;
	for (const char *p = head->ann; !have && (p = strstr(p, ent.s)); p++)
		have = p == head->ann || p[-1] == ',';
	if (!have && splice_ann(&head->ann, 0, 0, ent.s, ent.len) < 0)
		goto oom;
	/* the others point at it */
	if (ob_buf_printf(&tmp, "INFO_COMPOUND:%" PRId64, use[0]->pos) < 0)
		goto oom;
	for (size_t i = 1; i < n; i++) {
		struct held *r = held_of(h, use[i]->seq);
		if (r && find_entry(r->ann, use[i]->allele, t->id, &b, &e) &&
		    add_warning(&r->ann, b, e, ob_buf_cstr(&tmp)) < 0)
			goto oom;
	}
	goto out;
oom:
	rc = ob_error_set(OB_ERROR, "out of memory");
out:
	free(sorted);
	ob_buf_dispose(&rc0);
	ob_buf_dispose(&ra);
	ob_buf_dispose(&tail);
	ob_buf_dispose(&P);
	ob_buf_dispose(&Q);
	ob_buf_dispose(&hp);
	ob_buf_dispose(&ent);
	ob_buf_dispose(&tmp);
	return rc;
}

/* A member with its place in the CDS, transcript order: first affected
 * base c0 and the codons [k0, k1] it touches (counted from the phase). */
struct placed {
	struct member *m;
	int64_t c0, k0, k1;
};

static int cmp_placed(const void *x, const void *y)
{
	const struct placed *a = x, *b = y;
	if (a->c0 != b->c0)
		return a->c0 < b->c0 ? -1 : 1;
	return a->m->seq < b->m->seq ? -1 : a->m->seq > b->m->seq;
}

static int cmp_seq(const void *x, const void *y)
{
	const struct member *a = *(struct member *const *)x, *b = *(struct member *const *)y;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Splits the members of g (no two overlapping) into the changes that act
 * on the protein together, as bcftools csq does: walking the CDS in
 * transcript order, a variant joins the one before when it touches a
 * codon that one touched, or when the frame is shifted at its place (a
 * frameshift not yet restored). Writes each cluster of two or more. */
static int write_clusters(struct group *g, struct member **use, size_t n, ob_haplo *h)
{
	const ob_tx *t = g->t;
	struct placed *pl = malloc(n * sizeof *pl);
	struct member **cl = malloc(n * sizeof *cl);
	int64_t L = 0;
	int rc = 0;

	if (!pl || !cl) {
		free(pl);
		free(cl);
		return ob_error_set(OB_ERROR, "out of memory");
	}
	for (size_t i = 0; i < t->ncds; i++)
		L += t->cds[i].end - t->cds[i].beg + 1;
	const ob_range *first = t->strand > 0 ? &t->cds[0] : &t->cds[t->ncds - 1];
	int64_t ph = first->phase > 0 && first->phase <= L ? first->phase : 0;
	size_t np = 0;
	for (size_t i = 0; i < n; i++) {
		struct member *m = use[i];
		int64_t i0;
		if (m->rlen)
			i0 = ob_tx_cds_index(t, m->beg);
		else if ((i0 = ob_tx_cds_index(t, m->beg - 1)) >= 0)
			i0++;
		else
			i0 = ob_tx_cds_index(t, m->beg);
		if (i0 < 0)
			continue;
		int64_t c0 = t->strand > 0 ? i0 : L - (i0 + m->rlen);
		int64_t last = c0 + (m->rlen ? m->rlen - 1 : 0);
		pl[np++] = (struct placed){ m, c0, (c0 - ph) / 3, (last - ph) / 3 };
	}
	qsort(pl, np, sizeof *pl, cmp_placed);
	for (size_t i = 0; i < np && rc == 0;) {
		size_t j = i + 1, k = 0;
		int64_t kmax = pl[i].k1, delta = pl[i].m->alen - pl[i].m->rlen;
		while (j < np && (pl[j].k0 <= kmax || delta % 3 != 0)) {
			if (pl[j].k1 > kmax)
				kmax = pl[j].k1;
			delta += pl[j].m->alen - pl[j].m->rlen;
			j++;
		}
		if (j - i >= 2) {
			for (size_t x = i; x < j; x++)
				cl[k++] = pl[x].m;
			qsort(cl, k, sizeof *cl, cmp_seq);
			rc = write_group(h, g, cl, k, pl[i].k0);
		}
		i = j;
	}
	free(pl);
	free(cl);
	return rc;
}

static int same_members(const struct group *a, const struct group *b)
{
	if (a->t != b->t || a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (a->m[i].seq != b->m[i].seq || strcmp(a->m[i].allele, b->m[i].allele))
			return 0;
	return 1;
}

/* Closes the groups of transcripts that end before pos (all when pos is
 * INT64_MAX): writes each once (haplotypes with the same variants share
 * one entry) and drops them. */
static int close_groups(ob_haplo *h, int64_t pos)
{
	size_t keep = 0;
	int rc = 0;

	for (size_t i = 0; i < h->ng && rc == 0; i++) {
		struct group *g = &h->g[i];
		if (g->t->end >= pos || g->done)
			continue;
		for (size_t j = i + 1; j < h->ng; j++)
			if (!h->g[j].done && same_members(g, &h->g[j]))
				h->g[j].done = 1;
		/* drop the members that overlap an earlier one: one haplotype
		 * cannot carry both */
		struct member **use = malloc(g->n * sizeof *use);
		size_t n = 0;
		if (!use)
			return ob_error_set(OB_ERROR, "out of memory");
		for (size_t j = 0; j < g->n; j++) {
			int ok = 1;
			for (size_t k = 0; k < n && ok; k++)
				ok = !clash(use[k], &g->m[j]);
			if (ok)
				use[n++] = &g->m[j];
		}
		if (n >= 2)
			rc = write_clusters(g, use, n, h);
		free(use);
	}
	for (size_t i = 0; i < h->ng; i++) {
		if (h->g[i].t->end < pos)
			group_dispose(&h->g[i]);
		else
			h->g[keep++] = h->g[i];
	}
	h->ng = keep;
	return rc;
}

static int add_member(ob_haplo *h, const ob_tx *t, int hap, const struct member *m)
{
	struct group *g = NULL;
	for (size_t i = 0; i < h->ng && !g; i++)
		if (h->g[i].t == t && h->g[i].hap == hap)
			g = &h->g[i];
	if (!g) {
		if (h->ng == h->cg) {
			size_t n = h->cg ? 2 * h->cg : 16;
			struct group *x = realloc(h->g, n * sizeof *x);
			if (!x)
				return ob_error_set(OB_ERROR, "out of memory");
			h->g = x;
			h->cg = n;
		}
		g = &h->g[h->ng++];
		memset(g, 0, sizeof *g);
		g->t = t;
		g->hap = hap;
	}
	if (g->n == g->cap) {
		size_t n = g->cap ? 2 * g->cap : 4;
		struct member *x = realloc(g->m, n * sizeof *x);
		if (!x)
			return ob_error_set(OB_ERROR, "out of memory");
		g->m = x;
		g->cap = n;
	}
	g->m[g->n] = *m;
	if (!(g->m[g->n].allele = strdup(m->allele)))
		return ob_error_set(OB_ERROR, "out of memory");
	g->n++;
	return 0;
}

/* True when the trimmed change m lies inside one CDS segment of t, as
 * annotate.c requires for its coding analysis. */
static int in_cds(const ob_tx *t, const struct member *m)
{
	if (!t->ncds)
		return 0;
	int64_t cb = t->cds[0].beg, ce = t->cds[t->ncds - 1].end, rb = m->beg;
	if (!m->rlen && (rb == cb || rb - 1 == ce))
		return 0;
	for (size_t i = 0; i < t->ncds; i++) {
		const ob_range *c = &t->cds[i];
		if (m->rlen ? (rb >= c->beg && rb + m->rlen - 1 <= c->end)
			    : (rb >= c->beg && rb - 1 <= c->end))
			return 1;
	}
	return 0;
}

static int plain_bases(const char *s)
{
	return *s && strspn(s, "ACGTacgt") == strlen(s);
}

int ob_haplo_push(ob_haplo *h, const char *chrom, int64_t pos, const char *ref,
	const char *const *alts, int nalt, const int *hap, int nhap, const char *ann)
{
	int rc;

	if (h->nhap >= 0 && nhap != h->nhap)
		return ob_error_set(OB_EINVALID, "%s:%" PRId64 ": %d haplotypes where earlier "
			"records had %d", chrom, pos, nhap, h->nhap);
	h->nhap = nhap;
	if (strcmp(chrom, h->chrom) || pos < h->frontier) {
		/* another contig, or an unsorted VCF: nothing spans the jump */
		if ((rc = close_groups(h, INT64_MAX)) < 0)
			return rc;
		h->ready_seq = h->next;
		snprintf(h->chrom, sizeof h->chrom, "%s", chrom);
	} else if ((rc = close_groups(h, pos)) < 0) {
		return rc;
	}
	h->frontier = pos;
	if (h->qn == h->qcap) {
		if (h->qhead) {
			memmove(h->q, h->q + h->qhead, (h->qn - h->qhead) * sizeof *h->q);
			h->qn -= h->qhead;
			h->qhead = 0;
		} else {
			size_t n = h->qcap ? 2 * h->qcap : 64;
			struct held *x = realloc(h->q, n * sizeof *x);
			if (!x)
				return ob_error_set(OB_ERROR, "out of memory");
			h->q = x;
			h->qcap = n;
		}
	}
	if (h->qn == h->qhead)
		h->front = h->next;
	struct held *r = &h->q[h->qn];
	r->hold = 0;
	if (!(r->ann = strdup(ann)))
		return ob_error_set(OB_ERROR, "out of memory");
	h->qn++;
	int64_t seq = h->next++;

	char gbuf[256];
	const char *gname = ob_ann_gff_name(h->a, chrom, gbuf, sizeof gbuf);
	int64_t rlen = (int64_t)strlen(ref);
	if (!gname || !plain_bases(ref))
		return 0;
	for (int ai = 1; ai <= nalt; ai++) {
		int carried = 0;
		for (int i = 0; i < nhap && !carried; i++)
			carried = hap[i] == ai;
		if (!carried || !plain_bases(alts[ai - 1]))
			continue;
		/* trimmed as annotate.c trims: common suffix, prefix, suffix (the
		 * insertion is not 3'-shifted: it stays where the VCF puts it) */
		const char *alt = alts[ai - 1];
		struct member m = { seq, pos, pos, rlen, (int64_t)strlen(alt), 0, (char *)alt };
		const char *rs = ref;
		while (m.rlen && m.alen && toupper((unsigned char)rs[m.rlen - 1]) ==
			toupper((unsigned char)alt[m.aoff + (size_t)m.alen - 1]))
			m.rlen--, m.alen--;
		if (!m.rlen && m.beg == 1) { /* left-aligned past the contig start */
			m.rlen = rlen;
			m.alen = (int64_t)strlen(alt);
		}
		while (m.rlen && m.alen && toupper((unsigned char)rs[0]) ==
			toupper((unsigned char)alt[m.aoff]))
			rs++, m.aoff++, m.rlen--, m.alen--, m.beg++;
		while (m.rlen && m.alen && toupper((unsigned char)rs[m.rlen - 1]) ==
			toupper((unsigned char)alt[m.aoff + (size_t)m.alen - 1]))
			m.rlen--, m.alen--;
		if (!m.rlen && !m.alen)
			continue;
		const ob_tx *ov[MAXOVL];
		int64_t sb = m.rlen ? m.beg : m.beg - 1, se = m.rlen ? m.beg + m.rlen - 1 : m.beg;
		size_t nt = ob_ann_overlapping(h->a, gname, sb, se, ov, MAXOVL);
		for (size_t k = 0; k < nt; k++) {
			if (!in_cds(ov[k], &m))
				continue;
			if (ov[k]->end > r->hold)
				r->hold = ov[k]->end;
			for (int i = 0; i < nhap; i++)
				if (hap[i] == ai && (rc = add_member(h, ov[k], i, &m)) < 0)
					return rc;
		}
	}
	return 0;
}

int ob_haplo_finish(ob_haplo *h)
{
	int rc = close_groups(h, INT64_MAX);
	h->ready_seq = h->next;
	return rc;
}

int ob_haplo_pop(ob_haplo *h, ob_buf *ann)
{
	if (h->qhead == h->qn)
		return 0;
	struct held *r = &h->q[h->qhead];
	if (h->front >= h->ready_seq && r->hold >= h->frontier)
		return 0;
	ob_buf_clear(ann);
	if (ob_buf_puts(ann, r->ann) < 0)
		return ob_error_set(OB_ERROR, "out of memory");
	free(r->ann);
	h->qhead++;
	h->front++;
	if (h->qhead == h->qn)
		h->qhead = h->qn = 0;
	return 1;
}
