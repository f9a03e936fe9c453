/*
 * gff.c - loads GFF3 gene models (see gff.h). One pass collects genes,
 * transcripts and exon/CDS features in file order; a second pass links each
 * feature to its parent by binary search on the sorted IDs, so children may
 * come before their parents, and reports FILE:LINE for a bad link.
 */
#include "genomics/gff.h"
#include "genomics/genecache.h"
#include "base/error.h"

#include <htslib/hts.h>
#include <htslib/kseq.h>
#include <htslib/kstring.h>

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

typedef struct contig {
	const char *name; /* borrowed from its first transcript */
	size_t lo, hi;    /* its transcripts: tx[lo..hi) */
} contig;

struct ob_gff {
	ob_tx *tx;       /* sorted by chrom, then beg */
	size_t ntx;
	int64_t *maxend; /* maxend[i]: the furthest end of tx[lo..i] of its contig
	                  * (non-decreasing along a contig: binary-searchable) */
	contig *ctg;     /* sorted by name */
	size_t nctg;
};

typedef struct gene {
	char *id, *name;
} gene;

typedef struct txrec {
	char *id, *parent; /* full IDs ("transcript:X", "gene:Y") */
	long line;
	size_t index;      /* into the transcript array */
} txrec;

typedef struct feat {
	char *parent;
	char *protein_id; /* CDS only, NULL when none */
	int cds;          /* 1 CDS, 0 exon, 2 UTR (five/three_prime_UTR, UTR) */
	ob_range r;
	long line;
} feat;

typedef struct loader {
	const char *path;
	gene *genes; size_t ngene, cgene;
	ob_tx *tx; size_t ntx, ctx;
	txrec *rec; size_t crec;
	feat *feats; size_t nfeat, cfeat;
} loader;

static int grow(void **p, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return 0;
	size_t nc = *cap ? *cap * 2 : 64;
	void *q = realloc(*p, nc * size);
	if (!q)
		return ob_error_set(OB_ERROR, "out of memory");
	*p = q;
	*cap = nc;
	return 0;
}

/* The value of key in a GFF attribute column, as a new string, or NULL. */
static char *attr(const char *col, const char *key)
{
	size_t kl = strlen(key);
	const char *p = col;

	while (p && *p) {
		if (!strncmp(p, key, kl) && p[kl] == '=') {
			const char *v = p + kl + 1, *e = strchr(v, ';');
			size_t n = e ? (size_t)(e - v) : strlen(v);
			while (n && (v[n - 1] == '\n' || v[n - 1] == '\r'))
				n--;
			return strndup(v, n);
		}
		p = strchr(p, ';');
		if (p)
			p++;
	}
	return NULL;
}

static const char *strip_prefix(const char *id)
{
	const char *c = strchr(id, ':');
	return c ? c + 1 : id;
}

static int parse_pos(const char *s, int64_t *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || *end)
		return -1;
	*out = v;
	return 0;
}

/* OB_TX_* bits of a tag= value: comma-separated, each maybe %-encoded
 * ("MANE%20Select") or with a space ("MANE Select", RefSeq's spelling). */
static unsigned tag_flags(const char *tags)
{
	unsigned f = 0;
	const char *p = tags;

	while (p && *p) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char one[64];
		size_t k = 0;
		for (size_t i = 0; i < n && k + 1 < sizeof one; i++) {
			if (p[i] == '%' && i + 2 < n && p[i + 1] == '2' && p[i + 2] == '0') {
				one[k++] = '_';
				i += 2;
			} else {
				one[k++] = p[i] == ' ' ? '_' : p[i];
			}
		}
		one[k] = 0;
		if (!strcmp(one, "MANE_Select"))
			f |= OB_TX_MANE_SELECT;
		else if (!strcmp(one, "Ensembl_canonical"))
			f |= OB_TX_CANONICAL;
		p = e ? e + 1 : NULL;
	}
	return f;
}

void ob_tx_dispose(ob_tx *t)
{
	free(t->id); free(t->gene_id); free(t->gene_name); free(t->biotype);
	free(t->protein_id);
	free(t->chrom); free(t->exon); free(t->cds);
}

static void loader_dispose(loader *L)
{
	for (size_t i = 0; i < L->ngene; i++) {
		free(L->genes[i].id);
		free(L->genes[i].name);
	}
	free(L->genes);
	for (size_t i = 0; i < L->ntx; i++) {
		ob_tx_dispose(&L->tx[i]);
		free(L->rec[i].id);
		free(L->rec[i].parent);
	}
	free(L->tx);
	free(L->rec);
	for (size_t i = 0; i < L->nfeat; i++) {
		free(L->feats[i].parent);
		free(L->feats[i].protein_id);
	}
	free(L->feats);
}

/* Handles one GFF line split into its nine columns. */
static int take_line(loader *L, char **col, long line)
{
	const char *type = col[2];
	char *id = attr(col[8], "ID");
	int64_t beg, end;
	int rc = 0;

	if (parse_pos(col[3], &beg) < 0 || parse_pos(col[4], &end) < 0 || end < beg) {
		free(id);
		return ob_error_set(OB_EINVALID, "%s:%ld: bad start or end '%s' '%s'",
			L->path, line, col[3], col[4]);
	}
	if (!strcmp(type, "gene") || (id && !strncmp(id, "gene:", 5))) {
		if (!id)
			return ob_error_set(OB_EINVALID, "%s:%ld: gene without ID", L->path, line);
		if ((rc = grow((void **)&L->genes, &L->cgene, L->ngene, sizeof *L->genes)) < 0)
			goto out;
		gene *g = &L->genes[L->ngene++];
		g->id = id;
		g->name = attr(col[8], "Name");
		return 0;
	}
	if (!strcmp(type, "transcript") || !strcmp(type, "mRNA") ||
	    (id && !strncmp(id, "transcript:", 11))) {
		if (!id)
			return ob_error_set(OB_EINVALID, "%s:%ld: %s without ID", L->path, line, type);
		if (strcmp(col[6], "+") && strcmp(col[6], "-")) {
			rc = ob_error_set(OB_EINVALID, "%s:%ld: transcript %s has no strand ('%s')",
				L->path, line, id, col[6]);
			goto out;
		}
		size_t crec = L->crec;
		if ((rc = grow((void **)&L->tx, &L->ctx, L->ntx, sizeof *L->tx)) < 0 ||
		    (rc = grow((void **)&L->rec, &crec, L->ntx, sizeof *L->rec)) < 0)
			goto out;
		L->crec = crec;
		ob_tx *t = &L->tx[L->ntx];
		txrec *r = &L->rec[L->ntx];
		memset(t, 0, sizeof *t);
		t->id = strdup(strip_prefix(id));
		t->biotype = attr(col[8], "biotype");
		t->chrom = strdup(col[0]);
		char *tags = attr(col[8], "tag"), *ver = attr(col[8], "version");
		t->flags = tag_flags(tags);
		int64_t v;
		if (ver && parse_pos(ver, &v) == 0 && v > 0 && v < 1000000)
			t->version = (int)v;
		free(tags);
		free(ver);
		t->strand = col[6][0] == '+' ? 1 : -1;
		t->beg = beg;
		t->end = end;
		r->id = id;
		r->parent = attr(col[8], "Parent");
		r->line = line;
		r->index = L->ntx++;
		if (!t->id || !t->chrom)
			return ob_error_set(OB_ERROR, "out of memory");
		if (!t->biotype)
			t->biotype = strdup("");
		return 0;
	}
	int cds = !strcmp(type, "CDS") ? 1 : !strcmp(type, "five_prime_UTR")
		|| !strcmp(type, "three_prime_UTR") || !strcmp(type, "UTR") ? 2 : 0;
	if (cds || !strcmp(type, "exon")) {
		char *parents = attr(col[8], "Parent");
		if (!parents) {
			rc = ob_error_set(OB_EINVALID, "%s:%ld: %s without Parent", L->path, line, type);
			goto out;
		}
		/* one feature per listed parent */
		char *p = parents;
		while (p && *p) {
			char *comma = strchr(p, ',');
			if (comma)
				*comma = 0;
			if ((rc = grow((void **)&L->feats, &L->cfeat, L->nfeat, sizeof *L->feats)) < 0)
				break;
			feat *f = &L->feats[L->nfeat];
			f->parent = strdup(p);
			if (!f->parent) {
				rc = ob_error_set(OB_ERROR, "out of memory");
				break;
			}
			f->cds = cds;
			f->protein_id = cds == 1 ? attr(col[8], "protein_id") : NULL;
			f->r.beg = beg;
			f->r.end = end;
			f->r.phase = cds == 1 && col[7][0] >= '0' && col[7][0] <= '2' ? col[7][0] - '0' : -1;
			f->line = line;
			L->nfeat++;
			p = comma ? comma + 1 : NULL;
		}
		free(parents);
	}
out:
	free(id);
	return rc;
}

/* qsort and bsearch, harmless on an empty (NULL) array. */
static void sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

static void *find(const void *key, void *base, size_t n, size_t size,
	int (*cmp)(const void *, const void *))
{
	return n ? bsearch(key, base, n, size, cmp) : NULL;
}

static int cmp_gene(const void *a, const void *b)
{
	return strcmp(((const gene *)a)->id, ((const gene *)b)->id);
}

static int cmp_rec(const void *a, const void *b)
{
	return strcmp(((const txrec *)a)->id, ((const txrec *)b)->id);
}

static int cmp_range(const void *a, const void *b)
{
	const ob_range *x = a, *y = b;
	return x->beg < y->beg ? -1 : x->beg > y->beg;
}

static int cmp_tx(const void *a, const void *b)
{
	const ob_tx *x = a, *y = b;
	int c = strcmp(x->chrom, y->chrom);
	if (c)
		return c;
	return x->beg < y->beg ? -1 : x->beg > y->beg;
}

static int add_range(ob_range **arr, size_t *n, ob_range r)
{
	ob_range *q = realloc(*arr, (*n + 1) * sizeof *q);
	if (!q)
		return ob_error_set(OB_ERROR, "out of memory");
	q[(*n)++] = r;
	*arr = q;
	return 0;
}

static const char *kind_name(int kind)
{
	return kind == 1 ? "CDS" : kind == 2 ? "UTR" : "exon";
}

/* Links transcripts to genes and features to transcripts. */
static int link(loader *L)
{
	sort(L->genes, L->ngene, sizeof *L->genes, cmp_gene);
	sort(L->rec, L->ntx, sizeof *L->rec, cmp_rec);
	for (size_t i = 0; i < L->ntx; i++) {
		txrec *r = &L->rec[i];
		ob_tx *t = &L->tx[r->index];
		const char *gid = r->parent ? r->parent : "";
		gene key = { .id = (char *)gid };
		gene *g = r->parent ? find(&key, L->genes, L->ngene, sizeof *L->genes, cmp_gene) : NULL;
		if (r->parent && !g)
			return ob_error_set(OB_EINVALID, "%s:%ld: transcript %s: unknown parent '%s'",
				L->path, r->line, t->id, r->parent);
		t->gene_id = strdup(strip_prefix(gid));
		t->gene_name = strdup(g && g->name ? g->name : strip_prefix(gid));
		if (!t->gene_id || !t->gene_name)
			return ob_error_set(OB_ERROR, "out of memory");
	}
	for (size_t i = 0; i < L->nfeat; i++) {
		feat *f = &L->feats[i];
		txrec key = { .id = f->parent };
		txrec *r = find(&key, L->rec, L->ntx, sizeof *L->rec, cmp_rec);
		if (!r)
			return ob_error_set(OB_EINVALID, "%s:%ld: %s: unknown parent '%s'",
				L->path, f->line, kind_name(f->cds), f->parent);
		ob_tx *t = &L->tx[r->index];
		if (f->r.beg < t->beg || f->r.end > t->end)
			return ob_error_set(OB_EINVALID,
				"%s:%ld: %s %" PRId64 "-%" PRId64 " outside its transcript %s (%" PRId64 "-%" PRId64 ")",
				L->path, f->line, kind_name(f->cds), f->r.beg, f->r.end,
				t->id, t->beg, t->end);
		if (f->protein_id && !t->protein_id) {
			t->protein_id = f->protein_id;
			f->protein_id = NULL;
		}
		if (f->cds == 2)
			continue;   /* UTRs serve only transcripts without exons, below */
		int rc = f->cds ? add_range(&t->cds, &t->ncds, f->r) : add_range(&t->exon, &t->nexon, f->r);
		if (rc < 0)
			return rc;
	}
	/* A transcript given without exon records (some GFFs give CDS and UTR
	 * only): its exons are its CDS and UTR segments, adjacent ones merged,
	 * as bcftools csq takes them. */
	unsigned char *had = calloc(L->ntx ? L->ntx : 1, 1);
	if (!had)
		return ob_error_set(OB_ERROR, "out of memory");
	for (size_t i = 0; i < L->ntx; i++)
		had[i] = L->tx[i].nexon > 0;
	for (size_t i = 0; i < L->nfeat; i++) {
		feat *f = &L->feats[i];
		txrec key = { .id = f->parent };
		txrec *r = find(&key, L->rec, L->ntx, sizeof *L->rec, cmp_rec);
		if (f->cds == 0 || had[r->index])
			continue;
		ob_tx *t = &L->tx[r->index];
		if (add_range(&t->exon, &t->nexon, f->r) < 0) {
			free(had);
			return OB_ERROR;
		}
	}
	for (size_t i = 0; i < L->ntx; i++) {
		ob_tx *t = &L->tx[i];
		sort(t->exon, t->nexon, sizeof *t->exon, cmp_range);
		sort(t->cds, t->ncds, sizeof *t->cds, cmp_range);
		if (!had[i] && t->nexon > 1) {   /* merge touching segments */
			size_t k = 0;
			for (size_t j = 1; j < t->nexon; j++) {
				if (t->exon[j].beg <= t->exon[k].end + 1) {
					if (t->exon[j].end > t->exon[k].end)
						t->exon[k].end = t->exon[j].end;
				} else {
					t->exon[++k] = t->exon[j];
				}
			}
			t->nexon = k + 1;
		}
		for (size_t j = 0; j < t->nexon; j++)
			t->exon[j].phase = -1;
		if (!t->protein_id && !(t->protein_id = strdup(""))) {
			free(had);
			return ob_error_set(OB_ERROR, "out of memory");
		}
		/* a transcript given without exons, CDS or UTRs is one exon */
		if (!t->nexon) {
			ob_range r = { t->beg, t->end, -1 };
			if (add_range(&t->exon, &t->nexon, r) < 0) {
				free(had);
				return OB_ERROR;
			}
		}
	}
	free(had);
	return 0;
}

/* Sorts tx and builds the lookup: the contig table and each transcript's
 * running furthest end; g->tx must be set. */
static int finish(ob_gff *g)
{
	sort(g->tx, g->ntx, sizeof *g->tx, cmp_tx);
	if (!(g->maxend = malloc((g->ntx ? g->ntx : 1) * sizeof *g->maxend)))
		return ob_error_set(OB_ERROR, "out of memory");
	for (size_t i = 0; i < g->ntx; i++) {
		const ob_tx *t = &g->tx[i];
		int first = i == 0 || strcmp(t->chrom, g->tx[i - 1].chrom);
		g->maxend[i] = first || t->end > g->maxend[i - 1] ? t->end : g->maxend[i - 1];
		if (first) {
			contig *c = realloc(g->ctg, (g->nctg + 1) * sizeof *c);
			if (!c)
				return ob_error_set(OB_ERROR, "out of memory");
			g->ctg = c;
			c[g->nctg++] = (contig){ t->chrom, i, i };
		}
		g->ctg[g->nctg - 1].hi = i + 1;
	}
	return 0;
}

/* The contig named chrom, or NULL (contigs are sorted by name, as the
 * transcripts are). */
static const contig *find_contig(const ob_gff *g, const char *chrom)
{
	size_t lo = 0, hi = g->nctg;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(g->ctg[mid].name, chrom);
		if (!c)
			return &g->ctg[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int ob_gff_load(ob_gff **out, const char *path)
{
	*out = NULL;
	int rc = ob_genecache_sniff(path);
	if (rc < 0)
		return rc;
	return rc ? ob_genecache_read(out, path) : ob_gff_load_text(out, path);
}

int ob_gff_adopt(ob_gff **out, ob_tx *tx, size_t ntx)
{
	ob_gff *g = calloc(1, sizeof *g);

	*out = NULL;
	if (!g) {
		for (size_t i = 0; i < ntx; i++)
			ob_tx_dispose(&tx[i]);
		free(tx);
		return ob_error_set(OB_ERROR, "out of memory");
	}
	g->tx = tx;
	g->ntx = ntx;
	if (finish(g) < 0) {
		ob_gff_free(g);
		return OB_ERROR;
	}
	*out = g;
	return 0;
}

int ob_gff_load_text(ob_gff **out, const char *path)
{
	loader L = { .path = path };
	kstring_t ks = { 0, 0, NULL };
	ob_gff *g = NULL;
	long line = 0;
	int rc = 0, r;

	*out = NULL;
	htsFile *fp = hts_open(path, "r");
	if (!fp)
		return ob_error_set(OB_ERROR, "%s: cannot open: %s", path, strerror(errno));
	while ((r = hts_getline(fp, KS_SEP_LINE, &ks)) >= 0) {
		line++;
		if (!ks.l || ks.s[0] == '#')
			continue;
		if (!strncmp(ks.s, "##FASTA", 7))
			break;
		char *col[9];
		int n = 0;
		char *p = ks.s;
		while (n < 9) {
			col[n++] = p;
			char *tab = strchr(p, '\t');
			if (!tab)
				break;
			*tab = 0;
			p = tab + 1;
		}
		if (n < 9) {
			rc = ob_error_set(OB_EINVALID, "%s:%ld: %d columns, GFF3 needs 9", path, line, n);
			goto out;
		}
		if ((rc = take_line(&L, col, line)) < 0)
			goto out;
	}
	if (r < -1) {
		rc = ob_error_set(OB_ERROR, "%s:%ld: read error", path, line + 1);
		goto out;
	}
	if ((rc = link(&L)) < 0)
		goto out;
	if (!(g = calloc(1, sizeof *g))) {
		rc = ob_error_set(OB_ERROR, "out of memory");
		goto out;
	}
	g->tx = L.tx;
	g->ntx = L.ntx;
	L.tx = NULL;
	if ((rc = finish(g)) < 0) {
		ob_gff_free(g);
		g = NULL;
		goto out;
	}
	for (size_t i = 0; i < L.ntx; i++) {
		free(L.rec[i].id);
		free(L.rec[i].parent);
	}
	L.ntx = 0;
	*out = g;
out:
	loader_dispose(&L);
	free(ks.s);
	hts_close(fp);
	return rc;
}

void ob_gff_free(ob_gff *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->ntx; i++)
		ob_tx_dispose(&g->tx[i]);
	free(g->tx);
	free(g->maxend);
	free(g->ctg);
	free(g);
}

int64_t ob_tx_cds_index(const ob_tx *t, int64_t g)
{
	int64_t before = 0;
	for (size_t i = 0; i < t->ncds; i++) {
		if (g >= t->cds[i].beg && g <= t->cds[i].end)
			return before + g - t->cds[i].beg;
		before += t->cds[i].end - t->cds[i].beg + 1;
	}
	return -1;
}

size_t ob_gff_ntx(const ob_gff *g)
{
	return g->ntx;
}

const ob_tx *ob_gff_tx(const ob_gff *g, size_t i)
{
	return i < g->ntx ? &g->tx[i] : NULL;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int ob_gff_get_stats(const ob_gff *g, ob_gff_stats *st)
{
	memset(st, 0, sizeof *st);
	st->transcripts = g->ntx;
	if (!g->ntx)
		return 0;
	const char **ids = malloc(g->ntx * sizeof *ids);
	if (!ids)
		return ob_error_set(OB_ERROR, "out of memory");
	for (size_t i = 0; i < g->ntx; i++) {
		const ob_tx *t = &g->tx[i];
		st->coding += t->ncds > 0;
		st->exons += t->nexon;
		st->mane_select += !!(t->flags & OB_TX_MANE_SELECT);
		st->canonical += !!(t->flags & OB_TX_CANONICAL);
		/* tx are sorted by contig: a new name starts a new contig */
		if (i == 0 || strcmp(t->chrom, g->tx[i - 1].chrom))
			st->contigs++;
		ids[i] = t->gene_id;
	}
	qsort(ids, g->ntx, sizeof *ids, cmp_str);
	for (size_t i = 0; i < g->ntx; i++)
		if (!*ids[i] || i == 0 || strcmp(ids[i], ids[i - 1]))
			st->genes++;
	free(ids);
	return 0;
}

int ob_gff_has_contig(const ob_gff *g, const char *chrom)
{
	return find_contig(g, chrom) != NULL;
}

size_t ob_gff_near(const ob_gff *g, const char *chrom, int64_t beg, int64_t end,
	int64_t pad, const ob_tx **out, size_t max)
{
	const contig *c = find_contig(g, chrom);
	size_t n = 0;
	if (!c)
		return 0;
	/* the first transcript of the contig whose running furthest end
	 * reaches beg: none before it can overlap */
	size_t lo = c->lo, hi = c->hi;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (g->maxend[mid] + pad < beg)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < c->hi; i++) {
		const ob_tx *t = &g->tx[i];
		if (t->beg - pad > end)
			break;
		if (t->end + pad < beg)
			continue;
		if (n < max)
			out[n] = t;
		n++;
	}
	return n;
}
