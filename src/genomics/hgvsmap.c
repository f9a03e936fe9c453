/*
 * hgvsmap.c - HGVS c./n. to genomic and back (see hgvsmap.h). The forward
 * map works in three steps: parse the description, place its positions on
 * the transcript (exons in transcript order, CDS start and end, intronic
 * offsets along the genome), then turn the edit into genomic REF/ALT read
 * from the FASTA, checking any bases the description states, and normalise
 * (trim, shift left, anchor). The backward map is the annotator's HGVS.c.
 */
#include "genomics/hgvsmap.h"
#include "base/buf.h"
#include "base/error.h"

#include <htslib/faidx.h>

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXLEN 100000 /* longest span a description may cover, in bases */
#define WIN 4096

/* --- parsing --- */

static int is_base(int c)
{
	c = toupper(c);
	return c == 'A' || c == 'C' || c == 'G' || c == 'T' || c == 'N';
}

/* Reads bases at *p (upper-cased in place); returns how many. */
static size_t bases(char **p)
{
	size_t n = 0;
	while (is_base((*p)[n])) {
		(*p)[n] = (char)toupper((unsigned char)(*p)[n]);
		n++;
	}
	*p += n;
	return n;
}

static int number(char **p, int64_t *out)
{
	char *e;
	if (!isdigit((unsigned char)**p))
		return -1;
	errno = 0;
	long long v = strtoll(*p, &e, 10);
	if (errno || v > 1000000000LL)
		return -1;
	*out = v;
	*p = e;
	return 0;
}

static int coord(char **p, ob_hgvs_coord *c, char kind)
{
	int neg = 0;
	memset(c, 0, sizeof *c);
	if (**p == '-') {
		neg = 1;
		(*p)++;
	} else if (**p == '*') {
		c->anchor = '*';
		(*p)++;
	}
	if (number(p, &c->pos) < 0 || (c->pos == 0 && kind == 'c') || (c->pos == 0 && (neg || c->anchor)))
		return -1;
	if (neg)
		c->pos = -c->pos;
	if ((**p == '+' || **p == '-') && isdigit((unsigned char)(*p)[1])) {
		int s = **p == '+' ? 1 : -1;
		(*p)++;
		if (number(p, &c->offset) < 0 || c->offset == 0)
			return -1;
		c->offset *= s;
	}
	return 0;
}

int ob_hgvs_parse(char *s, ob_hgvs_c *out)
{
	char *colon = strchr(s, ':'), *p;
	static char empty[] = "";

	char in[256]; /* the description whole, for messages (s gets cut) */
	snprintf(in, sizeof in, "%s", s);
	memset(out, 0, sizeof *out);
	out->gene = out->ref = out->alt = empty;
	if (!colon || colon == s)
		return ob_error_set(OB_EINVALID, "HGVS %s: no transcript accession before ':'", in);
	*colon = 0;
	out->acc = s;
	char *par = strchr(s, '(');
	if (par) {
		size_t n = strlen(par);
		if (n < 3 || par[n - 1] != ')')
			return ob_error_set(OB_EINVALID, "HGVS %s: gene in parentheses not closed", in);
		par[n - 1] = 0;
		*par = 0;
		out->gene = par + 1;
	}
	p = colon + 1;
	if ((p[0] != 'c' && p[0] != 'n') || p[1] != '.')
		return ob_error_set(OB_EINVALID, "HGVS %s: only c. and n. descriptions are mapped", in);
	out->kind = p[0];
	p += 2;
	const char *pos_text = p;
	if (coord(&p, &out->start, out->kind) < 0)
		return ob_error_set(OB_EINVALID, "HGVS %s: bad position at '%s'", in, pos_text);
	out->end = out->start;
	if (*p == '_') {
		p++;
		pos_text = p;
		if (coord(&p, &out->end, out->kind) < 0)
			return ob_error_set(OB_EINVALID, "HGVS %s: bad position at '%s'", in, pos_text);
	}
	char *edit = p;
	size_t n;
	if (!strcmp(p, "=")) {
		out->edit = OB_HGVS_IDENTITY;
		return 0;
	}
	if ((n = bases(&p)) > 0 && *p == '>') {
		if (n != 1)
			return ob_error_set(OB_EINVALID, "HGVS %s: a substitution replaces one base ('%s')", in, edit);
		out->ref = edit;
		p++;
		char *a = p;
		if (bases(&p) != 1 || *p)
			return ob_error_set(OB_EINVALID, "HGVS %s: bad substitution '%s'", in, edit);
		out->alt = a;
		edit[1] = 0;
		out->edit = OB_HGVS_SUB;
		return 0;
	}
	p = edit;
	if (!strncmp(p, "delins", 6)) {
		p += 6;
		out->alt = p;
		if (!bases(&p) || *p)
			return ob_error_set(OB_EINVALID, "HGVS %s: bad delins '%s'", in, edit);
		out->edit = OB_HGVS_DELINS;
		return 0;
	}
	if (!strncmp(p, "del", 3) || !strncmp(p, "dup", 3)) {
		int dup = p[1] == 'u';
		p += 3;
		char *r = p;
		n = bases(&p);
		if (!n && isdigit((unsigned char)*p) && number(&p, &out->ref_len) < 0)
			return ob_error_set(OB_EINVALID, "HGVS %s: bad length in '%s'", in, edit);
		char *after = p;
		if (!dup && !strncmp(p, "ins", 3)) {
			p += 3;
			out->alt = p;
			if (!bases(&p) || *p)
				return ob_error_set(OB_EINVALID, "HGVS %s: bad del...ins '%s'", in, edit);
			out->edit = OB_HGVS_DELINS;
		} else if (*p) {
			return ob_error_set(OB_EINVALID, "HGVS %s: unexpected '%s' after %s", in, p, dup ? "dup" : "del");
		} else {
			out->edit = dup ? OB_HGVS_DUP : OB_HGVS_DEL;
		}
		*after = 0;
		if (n)
			out->ref = r;
		return 0;
	}
	if (!strncmp(p, "ins", 3)) {
		p += 3;
		out->alt = p;
		if (!bases(&p) || *p)
			return ob_error_set(OB_EINVALID, "HGVS %s: insertion needs its bases ('%s')", in, edit);
		out->edit = OB_HGVS_INS;
		if (out->start.pos == out->end.pos && out->start.anchor == out->end.anchor &&
		    out->start.offset == out->end.offset)
			return ob_error_set(OB_EINVALID, "HGVS %s: an insertion goes between two positions (X_Yins)", in);
		return 0;
	}
	return ob_error_set(OB_EINVALID, "HGVS %s: unknown edit '%s' (substitution, del, dup, ins, delins)",
		in, edit);
}

int ob_hgvs_parse_key(char *s, char **chrom, int64_t *pos, char **ref, char **alt)
{
	char sep = strchr(s, ':') ? ':' : '-';
	char in[256], *f[4];
	int n = 0;
	char *p = s;

	snprintf(in, sizeof in, "%s", s);
	/* the contig may itself hold the separator (HLA-A*01:01): split from the right */
	for (int k = 0; k < 3; k++) {
		char *q = strrchr(p, sep);
		if (!q)
			break;
		f[3 - k] = q + 1;
		*q = 0;
		n++;
	}
	f[0] = s;
	if (n != 3 || !*f[0])
		return ob_error_set(OB_EINVALID, "variant '%s': expected CHROM:POS:REF:ALT or CHROM-POS-REF-ALT", in);
	char *q = f[1];
	int64_t v;
	if (number(&q, &v) < 0 || *q || v < 1)
		return ob_error_set(OB_EINVALID, "variant %s: bad position '%s'", in, f[1]);
	for (int k = 2; k < 4; k++) {
		char *b = f[k];
		if (!bases(&b) || *b)
			return ob_error_set(OB_EINVALID, "variant %s: bad %s allele '%s' (bases A, C, G, T, N)",
				in, k == 2 ? "REF" : "ALT", f[k]);
	}
	*chrom = f[0];
	*pos = v;
	*ref = f[2];
	*alt = f[3];
	return 0;
}

/* --- the map --- */

struct ob_hgvs_map {
	faidx_t *fai;
	ob_gff *gff;
	const ob_tx **byacc; /* the transcripts sorted by accession without version */
	char ctg[256];    /* window of the reference: contig, */
	char *win;        /* bases (upper case), */
	int64_t win_beg, win_len, ctg_len;
};

static int cmp_byacc(const void *x, const void *y);

int ob_hgvs_map_new(ob_hgvs_map **out, const char *fasta, const char *gff)
{
	ob_hgvs_map *m = calloc(1, sizeof *m);
	int rc;

	*out = NULL;
	if (!m)
		return ob_error_set(OB_ERROR, "out of memory");
	if (!(m->fai = fai_load(fasta))) {
		free(m);
		return ob_error_set(OB_ERROR, "%s: cannot open or index the FASTA", fasta);
	}
	if ((rc = ob_gff_load(&m->gff, gff)) < 0) {
		ob_hgvs_map_free(m);
		return rc;
	}
	size_t n = ob_gff_ntx(m->gff);
	if (!(m->byacc = malloc((n ? n : 1) * sizeof *m->byacc))) {
		ob_hgvs_map_free(m);
		return ob_error_set(OB_ERROR, "out of memory");
	}
	for (size_t i = 0; i < n; i++)
		m->byacc[i] = ob_gff_tx(m->gff, i);
	if (n > 1)
		qsort(m->byacc, n, sizeof *m->byacc, cmp_byacc);
	*out = m;
	return 0;
}

void ob_hgvs_map_free(ob_hgvs_map *m)
{
	if (!m)
		return;
	if (m->fai)
		fai_destroy(m->fai);
	ob_gff_free(m->gff);
	free(m->byacc);
	free(m->win);
	free(m);
}

void ob_hgvs_genomic_dispose(ob_hgvs_genomic *v)
{
	free(v->ref);
	free(v->alt);
	free(v->g);
	v->ref = v->alt = v->g = NULL;
}

/* The reference base at 1-based g of m->ctg (upper case), 0 outside. */
static char base(ob_hgvs_map *m, int64_t g)
{
	if (g < 1 || g > m->ctg_len)
		return 0;
	if (m->win && g >= m->win_beg && g < m->win_beg + m->win_len)
		return m->win[g - m->win_beg];
	int64_t b = g > WIN / 2 ? g - WIN / 2 : 1, e = b + WIN - 1;
	if (e > m->ctg_len)
		e = m->ctg_len;
	hts_pos_t len = 0;
	free(m->win);
	m->win = faidx_fetch_seq64(m->fai, m->ctg, b - 1, e - 1, &len);
	m->win_beg = b;
	m->win_len = m->win && len > 0 ? len : 0;
	for (hts_pos_t j = 0; j < m->win_len; j++)
		m->win[j] = (char)toupper((unsigned char)m->win[j]);
	return g - b < m->win_len ? m->win[g - b] : 0;
}

/* Points m at the FASTA contig for chrom (as is, or with "chr" added or
 * removed). */
static int use_contig(ob_hgvs_map *m, const char *chrom)
{
	char alt[256];
	const char *name = chrom;

	if (!faidx_has_seq(m->fai, chrom)) {
		if (!strncmp(chrom, "chr", 3))
			snprintf(alt, sizeof alt, "%s", chrom + 3);
		else
			snprintf(alt, sizeof alt, "chr%s", chrom);
		if (!faidx_has_seq(m->fai, alt))
			return ob_error_set(OB_EINVALID, "contig %s of the gene models is not in the FASTA"
				" (nor as %s)", chrom, alt);
		name = alt;
	}
	if (strcmp(m->ctg, name)) {
		snprintf(m->ctg, sizeof m->ctg, "%s", name);
		m->ctg_len = faidx_seq_len(m->fai, name);
		free(m->win);
		m->win = NULL;
		m->win_len = 0;
	}
	return 0;
}

/* Splits an accession into its base and version (-1 when none). */
static size_t acc_base(const char *acc, int *ver)
{
	const char *dot = strrchr(acc, '.');
	*ver = -1;
	if (dot && dot[1] && strspn(dot + 1, "0123456789") == strlen(dot + 1)) {
		*ver = atoi(dot + 1) /* digits only, checked */;
		return (size_t)(dot - acc);
	}
	return strlen(acc);
}

/* Compares accessions without their versions (a[0..al) with b[0..bl)). */
static int cmp_base(const char *a, size_t al, const char *b, size_t bl)
{
	int c = memcmp(a, b, al < bl ? al : bl);
	return c ? c : al < bl ? -1 : al > bl;
}

static int cmp_byacc(const void *x, const void *y)
{
	const ob_tx *a = *(const ob_tx *const *)x, *b = *(const ob_tx *const *)y;
	int va, vb;
	size_t al = acc_base(a->id, &va), bl = acc_base(b->id, &vb);
	return cmp_base(a->id, al, b->id, bl);
}

/* The transcript acc names: exact (ID with version, or ID plus its
 * version= attribute), else the highest version of the same accession.
 * Binary search on m->byacc, then a walk over the equal accessions. */
static const ob_tx *find_tx(const ob_hgvs_map *m, const char *acc, int *other)
{
	int ver, best_ver = -2;
	size_t bl = acc_base(acc, &ver), lo = 0, hi = ob_gff_ntx(m->gff);
	const ob_tx *best = NULL;

	*other = 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int tv;
		size_t tl = acc_base(m->byacc[mid]->id, &tv);
		if (cmp_base(m->byacc[mid]->id, tl, acc, bl) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < ob_gff_ntx(m->gff); i++) {
		const ob_tx *t = m->byacc[i];
		int tv;
		size_t tl = acc_base(t->id, &tv);
		if (cmp_base(t->id, tl, acc, bl))
			break;
		if (tv < 0 && t->version > 0)
			tv = t->version;
		if (ver >= 0 && tv == ver) {
			*other = 0;
			return t;
		}
		if (tv > best_ver) {
			best = t;
			best_ver = tv;
		}
	}
	if (best && ver >= 0)
		*other = 1;
	return best;
}

static int64_t exon_len(const ob_tx *t)
{
	int64_t n = 0;
	for (size_t i = 0; i < t->nexon; i++)
		n += t->exon[i].end - t->exon[i].beg + 1;
	return n;
}

/* Transcript position (1-based, transcript order) of exonic g, 0 when g is
 * in no exon. */
static int64_t tx_of(const ob_tx *t, int64_t g)
{
	int64_t before = 0;
	for (size_t i = 0; i < t->nexon; i++) {
		const ob_range *e = &t->exon[i];
		if (g >= e->beg && g <= e->end) {
			int64_t p = before + g - e->beg + 1;
			return t->strand > 0 ? p : exon_len(t) - p + 1;
		}
		before += e->end - e->beg + 1;
	}
	return 0;
}

/* Genomic position of transcript position p; beyond the ends of the
 * transcript it continues along the genome (c.*1384, c.-233). */
static int64_t genomic_of(const ob_tx *t, int64_t p)
{
	int64_t len = exon_len(t);
	size_t n = t->nexon;

	if (p < 1)
		return t->strand > 0 ? t->exon[0].beg - (1 - p) : t->exon[n - 1].end + (1 - p);
	if (p > len)
		return t->strand > 0 ? t->exon[n - 1].end + (p - len) : t->exon[0].beg - (p - len);
	int64_t q = t->strand > 0 ? p : len - p + 1; /* position counted from the left */
	for (size_t i = 0; i < n; i++) {
		int64_t el = t->exon[i].end - t->exon[i].beg + 1;
		if (q <= el)
			return t->exon[i].beg + q - 1;
		q -= el;
	}
	return 0; /* not reached: p <= len */
}

static int place(const ob_tx *t, char kind, const ob_hgvs_coord *c, int64_t *g)
{
	int64_t p, len = exon_len(t);

	if (kind == 'c') {
		int64_t cs = tx_of(t, t->strand > 0 ? t->cds[0].beg : t->cds[t->ncds - 1].end);
		int64_t ce = tx_of(t, t->strand > 0 ? t->cds[t->ncds - 1].end : t->cds[0].beg);
		if (!cs || !ce)
			return ob_error_set(OB_EINVALID, "transcript %s: its CDS ends are not in its exons", t->id);
		if (c->anchor == '*')
			p = ce + c->pos;
		else if (c->pos < 0)
			p = cs + c->pos;
		else
			p = cs + c->pos - 1;
	} else {
		p = c->anchor == '*' ? len + c->pos : c->pos < 0 ? 1 + c->pos : c->pos;
	}
	*g = genomic_of(t, p) + t->strand * c->offset;
	return 0;
}

static void revcomp(char *s, size_t n)
{
	for (size_t i = 0; i < n / 2 + n % 2; i++) {
		char a = s[i], b = s[n - 1 - i];
		s[i] = b;
		s[n - 1 - i] = a;
	}
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case 'A': s[i] = 'T'; break;
		case 'C': s[i] = 'G'; break;
		case 'G': s[i] = 'C'; break;
		case 'T': s[i] = 'A'; break;
		default: break;
		}
	}
}

/* New string of the reference [lo, hi] (empty when hi < lo), or NULL. */
static char *ref_span(ob_hgvs_map *m, int64_t lo, int64_t hi)
{
	size_t n = hi >= lo ? (size_t)(hi - lo + 1) : 0;
	char *s = malloc(n + 1);
	if (!s)
		return NULL;
	for (size_t i = 0; i < n; i++)
		s[i] = base(m, lo + (int64_t)i);
	s[n] = 0;
	return s;
}

/* The genomic change: the reference [beg, beg + strlen(ref)) becomes alt.
 * Writes the left-aligned VCF form and the 3'-shifted g. form to out. */
static int normalise(ob_hgvs_map *m, int64_t beg, char *ref, char *alt, int identity,
	ob_hgvs_genomic *out)
{
	size_t rl = strlen(ref), al = strlen(alt);
	ob_buf g = OB_BUF_INIT;
	int rc = 0;

	if (identity) {
		out->pos = beg;
		out->ref = ref;
		out->alt = alt;
		rc = rl > 1 ? ob_buf_printf(&g, "g.%" PRId64 "_%" PRId64 "=", beg, beg + (int64_t)rl - 1)
			    : ob_buf_printf(&g, "g.%" PRId64 "=", beg);
		out->g = ob_buf_detach(&g);
		return rc < 0 || !out->g ? ob_error_set(OB_ERROR, "out of memory") : 0;
	}
	/* trim the common suffix, then the common prefix */
	while (rl && al && ref[rl - 1] == alt[al - 1])
		rl--, al--;
	size_t k = 0;
	while (k < rl && k < al && ref[k] == alt[k])
		k++;
	beg += (int64_t)k;
	memmove(ref, ref + k, rl - k);
	memmove(alt, alt + k, al - k);
	rl -= k;
	al -= k;
	ref[rl] = alt[al] = 0;
	if (!rl && !al) { /* a delins that changes nothing */
		free(ref);
		free(alt);
		return ob_error_set(OB_EINVALID, "the change is no change at %s:%" PRId64, m->ctg, beg);
	}

	/* the g. form, 3'-shifted on the genome */
	if (rl && al) {
		if (rl == 1 && al == 1)
			rc = ob_buf_printf(&g, "g.%" PRId64 "%c>%c", beg, ref[0], alt[0]);
		else if (rl == 1)
			rc = ob_buf_printf(&g, "g.%" PRId64 "delins%s", beg, alt);
		else
			rc = ob_buf_printf(&g, "g.%" PRId64 "_%" PRId64 "delins%s", beg,
				beg + (int64_t)rl - 1, alt);
	} else if (rl) {
		int64_t b = beg, L = (int64_t)rl;
		while (base(m, b + L) && base(m, b + L) == base(m, b))
			b++;
		rc = L == 1 ? ob_buf_printf(&g, "g.%" PRId64 "del", b)
			    : ob_buf_printf(&g, "g.%" PRId64 "_%" PRId64 "del", b, b + L - 1);
	} else {
		/* insertion of alt before beg; shift right, then see whether it repeats
		 * the bases before it (a dup) */
		char *s = strdup(alt);
		int64_t b = beg, L = (int64_t)al;
		if (!s)
			goto oom;
		while (base(m, b) && base(m, b) == s[0]) {
			memmove(s, s + 1, al - 1);
			s[al - 1] = base(m, b);
			b++;
		}
		int dup = b - L >= 1;
		for (int64_t j = 0; j < L && dup; j++)
			dup = base(m, b - L + j) == s[j];
		if (dup)
			rc = L == 1 ? ob_buf_printf(&g, "g.%" PRId64 "dup", b - 1)
				    : ob_buf_printf(&g, "g.%" PRId64 "_%" PRId64 "dup", b - L, b - 1);
		else
			rc = ob_buf_printf(&g, "g.%" PRId64 "_%" PRId64 "ins%s", b - 1, b, s);
		free(s);
	}
	if (rc < 0)
		goto oom;

	/* the VCF form: indels shifted left and anchored on the base before */
	if (!rl || !al) {
		if (rl) {
			while (beg > 1 && base(m, beg - 1) == base(m, beg + (int64_t)rl - 1))
				beg--;
			for (size_t j = 0; j < rl; j++)
				ref[j] = base(m, beg + (int64_t)j);
		} else {
			while (beg > 1 && base(m, beg - 1) == alt[al - 1]) {
				memmove(alt + 1, alt, al - 1);
				alt[0] = base(m, beg - 1);
				beg--;
			}
		}
		if (beg > 1) {
			char *r2 = malloc(rl + 2), *a2 = malloc(al + 2);
			if (!r2 || !a2) {
				free(r2);
				free(a2);
				goto oom;
			}
			r2[0] = a2[0] = base(m, beg - 1);
			memcpy(r2 + 1, ref, rl + 1);
			memcpy(a2 + 1, alt, al + 1);
			free(ref);
			free(alt);
			ref = r2;
			alt = a2;
			beg--;
		} else { /* at the contig start the anchor is the base after */
			char nb = base(m, beg + (int64_t)rl);
			char *r2 = realloc(ref, rl + 2), *a2;
			if (!r2)
				goto oom;
			ref = r2;
			if (!(a2 = realloc(alt, al + 2)))
				goto oom;
			alt = a2;
			ref[rl] = nb;
			ref[rl + 1] = 0;
			alt[al] = nb;
			alt[al + 1] = 0;
		}
	}
	out->pos = beg;
	out->ref = ref;
	out->alt = alt;
	out->g = ob_buf_detach(&g);
	if (!out->g)
		return ob_error_set(OB_ERROR, "out of memory");
	return 0;
oom:
	free(ref);
	free(alt);
	ob_buf_dispose(&g);
	return ob_error_set(OB_ERROR, "out of memory");
}

int ob_hgvs_map_c(ob_hgvs_map *m, const char *hgvs, ob_hgvs_genomic *out)
{
	ob_hgvs_c h;
	char *copy = strdup(hgvs), *ref = NULL, *alt = NULL;
	int64_t g1, g2;
	int rc;

	memset(out, 0, sizeof *out);
	if (!copy)
		return ob_error_set(OB_ERROR, "out of memory");
	if ((rc = ob_hgvs_parse(copy, &h)) < 0)
		goto out;
	const ob_tx *t = find_tx(m, h.acc, &out->other_version);
	if (!t) {
		rc = ob_error_set(OB_ENOTFOUND, "%s: transcript %s is not in the gene models", hgvs, h.acc);
		goto out;
	}
	if (h.kind == 'c' && !t->ncds) {
		rc = ob_error_set(OB_EINVALID, "%s: %s is non-coding: describe it with n.", hgvs, t->id);
		goto out;
	}
	if (h.kind == 'n' && t->ncds) {
		rc = ob_error_set(OB_EINVALID, "%s: %s is coding: describe it with c.", hgvs, t->id);
		goto out;
	}
	out->tx = t;
	if ((rc = use_contig(m, t->chrom)) < 0 ||
	    (rc = place(t, h.kind, &h.start, &g1)) < 0 || (rc = place(t, h.kind, &h.end, &g2)) < 0)
		goto out;
	snprintf(out->chrom, sizeof out->chrom, "%s", m->ctg);
	if (t->strand * (g2 - g1) < 0) {
		rc = ob_error_set(OB_EINVALID, "%s: the range runs backwards along %s", hgvs, t->id);
		goto out;
	}
	int64_t lo = g1 < g2 ? g1 : g2, hi = g1 < g2 ? g2 : g1;
	char where[320];
	if (lo == hi)
		snprintf(where, sizeof where, "%s:%" PRId64, m->ctg, lo);
	else
		snprintf(where, sizeof where, "%s:%" PRId64 "-%" PRId64, m->ctg, lo, hi);
	if (lo < 1 || hi > m->ctg_len) {
		rc = ob_error_set(OB_EINVALID, "%s: %s is outside the contig (1-%" PRId64 ")", hgvs, where, m->ctg_len);
		goto out;
	}
	if (hi - lo >= MAXLEN) {
		rc = ob_error_set(OB_EINVALID, "%s: spans %" PRId64 " bases, more than %d", hgvs, hi - lo + 1, MAXLEN);
		goto out;
	}
	if (h.edit == OB_HGVS_SUB && lo != hi) {
		rc = ob_error_set(OB_EINVALID, "%s: a substitution takes one position", hgvs);
		goto out;
	}
	if (h.edit == OB_HGVS_INS && hi - lo != 1) {
		rc = ob_error_set(OB_EINVALID, "%s: an insertion goes between two adjacent positions, these are %s:%"
			PRId64 " and %" PRId64, hgvs, m->ctg, lo, hi);
		goto out;
	}
	/* the reference of the affected span, on the transcript's strand, to
	 * check against the bases the description states */
	int64_t rlo = lo, rhi = h.edit == OB_HGVS_INS ? lo - 1 : hi;
	if (!(ref = ref_span(m, rlo, rhi)))
		goto oom;
	if ((int64_t)strlen(ref) != (rhi >= rlo ? rhi - rlo + 1 : 0) || strchr(ref, 'N')) {
		rc = ob_error_set(OB_EINVALID, "%s: the reference at %s is unknown (N)", hgvs, where);
		goto out;
	}
	char *txref = strdup(ref);
	if (!txref)
		goto oom;
	if (t->strand < 0)
		revcomp(txref, strlen(txref));
	int bad = 0;
	if (*h.ref && strcmp(h.ref, txref))
		bad = 1;
	if (h.ref_len && h.ref_len != (int64_t)strlen(txref))
		bad = 2;
	if (bad) {
		if (bad == 1)
			rc = ob_error_set(OB_EINVALID, "%s: the reference at %s reads %s on %s's strand,"
				" the description says %s", hgvs, where, txref, t->id, h.ref);
		else
			rc = ob_error_set(OB_EINVALID, "%s: the reference at %s is %zu bases (%s),"
				" the description says %" PRId64, hgvs, where, strlen(txref), txref, h.ref_len);
		free(txref);
		goto out;
	}
	free(txref);
	switch (h.edit) {
	case OB_HGVS_SUB:
	case OB_HGVS_INS:
	case OB_HGVS_DELINS:
		alt = strdup(h.alt);
		if (alt && t->strand < 0)
			revcomp(alt, strlen(alt));
		if (h.edit == OB_HGVS_INS) { /* ref is empty: insert before hi */
			free(ref);
			ref = strdup("");
			lo = hi;
		}
		break;
	case OB_HGVS_DEL:
		alt = strdup("");
		break;
	case OB_HGVS_DUP: /* the span again, after it */
		alt = malloc(2 * strlen(ref) + 1);
		if (alt) {
			memcpy(alt, ref, strlen(ref));
			memcpy(alt + strlen(ref), ref, strlen(ref) + 1);
		}
		break;
	case OB_HGVS_IDENTITY:
		alt = strdup(ref);
		break;
	}
	if (!alt || !ref)
		goto oom;
	rc = normalise(m, lo, ref, alt, h.edit == OB_HGVS_IDENTITY, out);
	ref = alt = NULL; /* normalise() owns them now */
	goto out;
oom:
	rc = ob_error_set(OB_ERROR, "out of memory");
out:
	free(ref);
	free(alt);
	free(copy);
	if (rc < 0)
		ob_hgvs_genomic_dispose(out);
	return rc;
}

/* --- outside a transcript: c.-N upstream, c.*N downstream --- */

/* The c./n. position (without prefix) of genomic g outside t's span. */
static int put_outside(const ob_tx *t, int64_t g, ob_buf *b)
{
	int64_t len = exon_len(t), p;
	size_t n = t->nexon;

	if (t->strand > 0)
		p = g < t->exon[0].beg ? 1 - (t->exon[0].beg - g) : len + (g - t->exon[n - 1].end);
	else
		p = g > t->exon[n - 1].end ? 1 - (g - t->exon[n - 1].end) : len + (t->exon[0].beg - g);
	if (!t->ncds)
		return p < 1 ? ob_buf_printf(b, "-%" PRId64, 1 - p) : ob_buf_printf(b, "*%" PRId64, p - len);
	int64_t cs = tx_of(t, t->strand > 0 ? t->cds[0].beg : t->cds[t->ncds - 1].end);
	int64_t ce = tx_of(t, t->strand > 0 ? t->cds[t->ncds - 1].end : t->cds[0].beg);
	return p < cs ? ob_buf_printf(b, "-%" PRId64, cs - p) : ob_buf_printf(b, "*%" PRId64, p - ce);
}

/* Appends bases s[0..n) as read along t (reverse complement on minus). */
static int put_tx_bases(ob_buf *b, const char *s, size_t n, int strand)
{
	char *c = strndup(s, n);
	if (!c)
		return OB_ERROR;
	if (strand < 0)
		revcomp(c, n);
	int rc = ob_buf_puts(b, c);
	free(c);
	return rc;
}

static int same_contig(const char *a, const char *b)
{
	if (!strncmp(a, "chr", 3))
		a += 3;
	if (!strncmp(b, "chr", 3))
		b += 3;
	return !strcmp(a, b);
}

int ob_hgvs_map_outside(ob_hgvs_map *m, const char *acc, const char *chrom, int64_t pos,
	const char *ref, const char *alt, const ob_tx **tx, char **c)
{
	ob_buf b = OB_BUF_INIT;
	char *r = strdup(ref), *a = strdup(alt);
	int other, rc = 0;

	*c = NULL;
	*tx = NULL;
	if (!r || !a)
		goto oom;
	const ob_tx *t = find_tx(m, acc, &other);
	if (!t) {
		rc = ob_error_set(OB_ENOTFOUND, "transcript %s is not in the gene models", acc);
		goto out;
	}
	*tx = t;
	if (!same_contig(chrom, t->chrom)) {
		rc = ob_error_set(OB_EINVALID, "%s:%" PRId64 ": %s is on contig %s", chrom, pos, t->id, t->chrom);
		goto out;
	}
	if ((rc = use_contig(m, t->chrom)) < 0)
		goto out;
	size_t rl = strlen(r), al = strlen(a);
	for (size_t i = 0; i < rl; i++)
		if (base(m, pos + (int64_t)i) != r[i]) {
			rc = ob_error_set(OB_EINVALID, "%s:%" PRId64 ": REF %s disagrees with the reference", chrom, pos, ref);
			goto out;
		}
	/* trim as normalise() does: suffix, then prefix */
	while (rl && al && r[rl - 1] == a[al - 1])
		rl--, al--;
	size_t k = 0;
	while (k < rl && k < al && r[k] == a[k])
		k++;
	int64_t beg = pos + (int64_t)k; /* first changed base; an insertion goes before it */
	rl -= k;
	al -= k;
	memmove(r, r + k, rl);
	memmove(a, a + k, al);
	r[rl] = a[al] = 0;
	if (!rl && !al) {
		rc = ob_error_set(OB_EINVALID, "%s:%" PRId64 ": REF and ALT are the same", chrom, pos);
		goto out;
	}
	int64_t lo = rl ? beg : beg - 1, hi = rl ? beg + (int64_t)rl - 1 : beg;
	if (hi >= t->beg && lo <= t->end) {
		rc = ob_error_set(OB_EINVALID, "%s:%" PRId64 ": touches the span of %s: the annotator names it",
			chrom, pos, t->id);
		goto out;
	}
	/* indels slide to their 3'-most place along the transcript, without
	 * entering its span */
	int up = t->strand > 0 ? hi < t->beg : lo > t->end; /* upstream of the transcript */
	int64_t minpos = up && t->strand < 0 ? t->end + 1 : 1;         /* leftmost base allowed */
	int64_t maxpos = up && t->strand > 0 ? t->beg - 1 : m->ctg_len; /* rightmost */
	int dup = 0;
	if (!al) {
		if (t->strand > 0)
			while (hi + 1 <= maxpos && base(m, hi + 1) == base(m, lo))
				lo++, hi++;
		else
			while (lo - 1 >= minpos && base(m, lo - 1) == base(m, hi))
				lo--, hi--;
	} else if (!rl) {
		/* insertion of a between lo and hi (= lo + 1) */
		if (t->strand > 0)
			while (hi <= maxpos && base(m, hi) == a[0]) {
				memmove(a, a + 1, al - 1);
				a[al - 1] = base(m, hi);
				lo++, hi++;
			}
		else
			while (lo >= minpos && base(m, lo) == a[al - 1]) {
				memmove(a + 1, a, al - 1);
				a[0] = base(m, lo);
				lo--, hi--;
			}
		/* a copy of the bases 5' of it (along the transcript) is a dup */
		int64_t d0 = t->strand > 0 ? lo - (int64_t)al + 1 : hi;
		dup = d0 >= 1;
		for (size_t j = 0; j < al && dup; j++)
			dup = base(m, d0 + (int64_t)j) == a[j];
		if (dup) {
			lo = d0;
			hi = d0 + (int64_t)al - 1;
		}
	}
	int64_t first = t->strand > 0 ? lo : hi, last = t->strand > 0 ? hi : lo;
	rc |= ob_buf_puts(&b, t->ncds ? "c." : "n.");
	rc |= put_outside(t, first, &b);
	if (rl == 1 && al == 1) {
		rc |= put_tx_bases(&b, r, 1, t->strand);
		rc |= ob_buf_putc(&b, '>');
		rc |= put_tx_bases(&b, a, 1, t->strand);
	} else {
		if (first != last) {
			rc |= ob_buf_putc(&b, '_');
			rc |= put_outside(t, last, &b);
		}
		if (dup) {
			rc |= ob_buf_puts(&b, "dup");
		} else if (!rl) {
			rc |= ob_buf_puts(&b, "ins");
			rc |= put_tx_bases(&b, a, al, t->strand);
		} else if (!al) {
			rc |= ob_buf_puts(&b, "del");
		} else {
			rc |= ob_buf_puts(&b, "delins");
			rc |= put_tx_bases(&b, a, al, t->strand);
		}
	}
	if (rc)
		goto oom;
	if (!(*c = ob_buf_detach(&b)))
		goto oom;
	goto out;
oom:
	rc = ob_error_set(OB_ERROR, "out of memory");
out:
	ob_buf_dispose(&b);
	free(r);
	free(a);
	return rc;
}

/* --- backward --- */

void ob_hgvs_descs_free(ob_hgvs_desc *d, size_t n)
{
	if (!d)
		return;
	for (size_t i = 0; i < n; i++) {
		free(d[i].tx);
		free(d[i].gene);
		free(d[i].c);
		free(d[i].p);
		free(d[i].consequence);
	}
	free(d);
}

/* Field i (0-based) of a '|'-separated ANN entry [s, e), as a new string. */
static char *field(const char *s, const char *e, int i)
{
	for (; i > 0 && s < e; i--) {
		const char *bar = memchr(s, '|', (size_t)(e - s));
		if (!bar)
			return strdup("");
		s = bar + 1;
	}
	const char *bar = memchr(s, '|', (size_t)(e - s));
	return strndup(s, bar ? (size_t)(bar - s) : (size_t)(e - s));
}

static int same_acc(const char *id, const char *want)
{
	int v1, v2;
	size_t a = acc_base(id, &v1), b = acc_base(want, &v2);
	if (!strcmp(id, want))
		return 1;
	return a == b && !strncmp(id, want, a) && (v2 < 0 || v1 < 0);
}

int ob_hgvs_describe(ob_annotator *a, const char *chrom, int64_t pos, const char *ref,
	const char *alt, const char *only_tx, ob_hgvs_desc **out, size_t *n)
{
	ob_buf ann = OB_BUF_INIT;
	ob_hgvs_desc *d = NULL;
	size_t nd = 0, cap = 0;
	const char *alts[1] = { alt };
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = ob_annotate_record(a, chrom, pos, ref, alts, 1, &ann)) < 0)
		goto out;
	const char *s = ob_buf_cstr(&ann);
	if (strstr(s, "ERROR_CHROMOSOME_NOT_FOUND")) {
		rc = ob_error_set(OB_ENOTFOUND, "%s:%" PRId64 ": contig %s is in neither the FASTA nor the gene models",
			chrom, pos, chrom);
		goto out;
	}
	if (strstr(s, "WARNING_REF_DOES_NOT_MATCH_GENOME")) {
		rc = ob_error_set(OB_EINVALID, "%s:%" PRId64 ": REF %s disagrees with the reference", chrom, pos, ref);
		goto out;
	}
	while (*s) {
		const char *e = strchr(s, ',');
		if (!e)
			e = s + strlen(s);
		char *tx = field(s, e, 6), *c = field(s, e, 9);
		if (!tx || !c) {
			free(tx);
			free(c);
			goto oom;
		}
		if (*c && (!only_tx || same_acc(tx, only_tx))) {
			if (nd == cap) {
				size_t nc = cap ? cap * 2 : 8;
				ob_hgvs_desc *q = realloc(d, nc * sizeof *q);
				if (!q) {
					free(tx);
					free(c);
					goto oom;
				}
				d = q;
				cap = nc;
			}
			ob_hgvs_desc *x = &d[nd++];
			x->tx = tx;
			x->c = c;
			x->gene = field(s, e, 3);
			x->p = field(s, e, 10);
			x->consequence = field(s, e, 1);
			if (!x->gene || !x->p || !x->consequence)
				goto oom;
		} else {
			free(tx);
			free(c);
		}
		s = *e ? e + 1 : e;
	}
	*out = d;
	*n = nd;
	d = NULL;
	nd = 0;
	goto out;
oom:
	rc = ob_error_set(OB_ERROR, "out of memory");
out:
	ob_hgvs_descs_free(d, nd);
	ob_buf_dispose(&ann);
	return rc;
}
