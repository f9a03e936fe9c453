/*
 * prs.c - polygenic risk scores (prs.h): the PGS Catalog scoring file, the
 * streamed genotype pass, reference distributions.
 *
 * Speed comes from not parsing what is not scored: a VCF text line is looked
 * up by its CHROM and POS (read by hand from the raw line) and handed to
 * htslib's vcf_parse only when a score entry sits there; a BCF record is read
 * unpacked and its strings and genotypes are unpacked only on a hit.
 */
#include "genomics/prs.h"
#include "genomics/vcfread.h"
#include "base/error.h"

#include <htslib/bgzf.h>
#include <htslib/hfile.h>
#include <htslib/hts.h>
#include <htslib/kstring.h>
#include <htslib/vcf.h>

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry {
	char *id, *effect, *other;
	int chr;        /* index into chrs, -1 when matched by ID */
	int64_t pos;
	double weight;
	int line;
} entry;

typedef struct meta {
	char *key, *value;
} meta;

struct ob_prs_score {
	entry *e;       /* sorted: positioned entries by (chr, pos), then ID entries by id */
	size_t n, npos; /* all entries; the positioned ones come first */
	bool ids;       /* some entry is matched by a (non-empty) ID */
	char **chrs;    /* chromosome names without "chr" */
	size_t *cbeg, *cend; /* range of entries per chromosome */
	int nchr;
	meta *meta;
	int nmeta;
};

struct ob_prs_result {
	ob_prs_sample *s;
	int ns;
	unsigned char *status; /* per score entry */
	size_t nstatus;
	ob_prs_counts c;
};

/* ---- small helpers -------------------------------------------------------- */

static const char *strip_chr(const char *c)
{
	if (!strncasecmp(c, "chr", 3) && c[3])
		return c + 3;
	return c;
}

static int chr_index(const ob_prs_score *s, const char *name, size_t len)
{
	if (len > 3 && !strncasecmp(name, "chr", 3)) {
		name += 3;
		len -= 3;
	}
	for (int i = 0; i < s->nchr; i++)
		if (strlen(s->chrs[i]) == len && !memcmp(s->chrs[i], name, len))
			return i;
	return -1;
}

/* Splits line (modified) into at most max fields on tabs, or on runs of
 * blanks when tabs is false; returns the number of fields. */
static int split(char *line, bool tabs, char **f, int max)
{
	int n = 0;
	char *p = line;

	if (tabs) {
		while (n < max) {
			f[n++] = p;
			char *t = strchr(p, '\t');
			if (!t)
				break;
			*t = 0;
			p = t + 1;
		}
		return n;
	}
	while (*p && n < max) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		f[n++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (*p)
			*p++ = 0;
	}
	return n;
}

static void chomp(kstring_t *k)
{
	while (k->l && (k->s[k->l - 1] == '\r' || k->s[k->l - 1] == '\n'))
		k->s[--k->l] = 0;
}

static bool parse_int64(const char *s, int64_t *out)
{
	int64_t v = 0;
	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > INT64_MAX / 10 - 10)
			return false;
		v = v * 10 + (*s - '0');
	}
	*out = v;
	return true;
}

static bool parse_double(const char *s, double *out)
{
	char *end;
	if (!*s || isspace((unsigned char)*s))
		return false;
	errno = 0;
	double v = strtod(s, &end);
	if (*end || errno == ERANGE || !isfinite(v))
		return false;
	*out = v;
	return true;
}

/* Upper-cases an allele in place; true when it is made of A, C, G, T, N
 * (or is the deletion "-"). */
static bool allele_ok(char *a)
{
	if (!*a)
		return false;
	if (!strcmp(a, "-"))
		return true;
	for (char *p = a; *p; p++) {
		*p = (char)toupper((unsigned char)*p);
		if (!strchr("ACGTN", *p))
			return false;
	}
	return true;
}

static char comp(char b)
{
	switch (b) {
	case 'A': return 'T';
	case 'T': return 'A';
	case 'C': return 'G';
	case 'G': return 'C';
	default: return 0;
	}
}

/* ---- the scoring file ----------------------------------------------------- */

static int cmp_entry(const void *a, const void *b)
{
	const entry *x = a, *y = b;
	if ((x->chr < 0) != (y->chr < 0))
		return x->chr < 0 ? 1 : -1;
	if (x->chr < 0) {
		int c = strcmp(x->id, y->id);
		return c ? c : (x->line > y->line) - (x->line < y->line);
	}
	if (x->chr != y->chr)
		return x->chr - y->chr;
	if (x->pos != y->pos)
		return x->pos < y->pos ? -1 : 1;
	return (x->line > y->line) - (x->line < y->line);
}

void ob_prs_score_free(ob_prs_score *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		free(s->e[i].id);
		free(s->e[i].effect);
		free(s->e[i].other);
	}
	free(s->e);
	for (int i = 0; i < s->nchr; i++)
		free(s->chrs[i]);
	free(s->chrs);
	free(s->cbeg);
	free(s->cend);
	for (int i = 0; i < s->nmeta; i++) {
		free(s->meta[i].key);
		free(s->meta[i].value);
	}
	free(s->meta);
	free(s);
}

size_t ob_prs_score_size(const ob_prs_score *s)
{
	return s->n;
}

const char *ob_prs_score_meta(const ob_prs_score *s, const char *key)
{
	for (int i = 0; i < s->nmeta; i++)
		if (!strcmp(s->meta[i].key, key))
			return s->meta[i].value;
	return NULL;
}

const ob_prs_entry *ob_prs_score_entry(const ob_prs_score *s, size_t i)
{
	static _Thread_local ob_prs_entry out;
	const entry *e = &s->e[i];
	out.id = e->id;
	out.chr = e->chr >= 0 ? s->chrs[e->chr] : "";
	out.pos = e->pos;
	out.effect = e->effect;
	out.other = e->other;
	out.weight = e->weight;
	out.line = e->line;
	return &out;
}

static int add_meta(ob_prs_score *s, const char *line)
{
	const char *eq = strchr(line, '=');
	if (!eq || eq == line)
		return 0;
	meta *m = realloc(s->meta, (size_t)(s->nmeta + 1) * sizeof *m);
	if (!m)
		return ob_error_set(OB_ERROR, "out of memory");
	s->meta = m;
	m[s->nmeta].key = strndup(line, (size_t)(eq - line));
	m[s->nmeta].value = strdup(eq + 1);
	if (!m[s->nmeta].key || !m[s->nmeta].value) {
		free(m[s->nmeta].key);
		free(m[s->nmeta].value);
		return ob_error_set(OB_ERROR, "out of memory");
	}
	s->nmeta++;
	return 0;
}

static int add_chr(ob_prs_score *s, const char *name)
{
	int i = chr_index(s, name, strlen(name));
	if (i >= 0)
		return i;
	char **c = realloc(s->chrs, (size_t)(s->nchr + 1) * sizeof *c);
	if (!c)
		return ob_error_set(OB_ERROR, "out of memory");
	s->chrs = c;
	if (!(c[s->nchr] = strdup(strip_chr(name))))
		return ob_error_set(OB_ERROR, "out of memory");
	return s->nchr++;
}

enum { C_ID, C_RSID, C_CHR, C_POS, C_EA, C_OA, C_W, NCOL };
static const char *const colname[NCOL] = {
	"ID", "rsID", "chr_name", "chr_position", "effect_allele", "other_allele", "effect_weight"
};

/* Parses one data row (fields f[0..nf-1]) into a new entry of s. */
static int add_row(ob_prs_score *s, const char *path, int line, char **f, int nf,
	const int *col, size_t *cap, bool hm)
{
	for (int c = 0; c < NCOL; c++)
		if (col[c] >= nf && (c == C_EA || c == C_W))
			return ob_error_set(OB_EINVALID, "%s:%d: %s: missing field (the row has %d)",
				path, line, colname[c], nf);
	const char *fld[NCOL];
	for (int c = 0; c < NCOL; c++)
		fld[c] = col[c] >= 0 && col[c] < nf ? f[col[c]] : "";

	entry e = { .chr = -1, .line = line };
	if (!parse_double(fld[C_W], &e.weight))
		return ob_error_set(OB_EINVALID, "%s:%d: effect_weight: '%s' is not a number",
			path, line, fld[C_W]);
	char *ea = f[col[C_EA]];
	if (!allele_ok(ea))
		return ob_error_set(OB_EINVALID, "%s:%d: effect_allele: '%s' is not an allele (A, C, G, T, N)",
			path, line, ea);
	char *oa = col[C_OA] >= 0 && col[C_OA] < nf ? f[col[C_OA]] : NULL;
	if (oa && (!*oa || !strcmp(oa, "NA") || !strcmp(oa, ".")))
		oa = NULL;
	if (oa && !allele_ok(oa))
		return ob_error_set(OB_EINVALID, "%s:%d: other_allele: '%s' is not an allele (A, C, G, T, N)",
			path, line, oa);

	/* The locus: chr_name + chr_position, else an ID "chr:pos[:...]",
	 * else the ID itself (matched against the VCF's ID column). */
	const char *id = *fld[C_RSID] ? fld[C_RSID] : fld[C_ID];
	char chrbuf[64];
	const char *chr = NULL;
	if (*fld[C_CHR] || *fld[C_POS]) {
		if (!*fld[C_CHR] || !*fld[C_POS])
			return ob_error_set(OB_EINVALID, "%s:%d: %s: empty beside a %s", path, line,
				!*fld[C_CHR] ? (hm ? "hm_chr" : "chr_name") : (hm ? "hm_pos" : "chr_position"),
				!*fld[C_CHR] ? (hm ? "hm_pos" : "chr_position") : (hm ? "hm_chr" : "chr_name"));
		if (!parse_int64(fld[C_POS], &e.pos) || e.pos < 1)
			return ob_error_set(OB_EINVALID, "%s:%d: %s: '%s' is not a position",
				path, line, hm ? "hm_pos" : "chr_position", fld[C_POS]);
		chr = fld[C_CHR];
	} else if (*fld[C_ID]) {
		const char *colon = strchr(fld[C_ID], ':');
		size_t cl = colon ? (size_t)(colon - fld[C_ID]) : 0;
		if (colon && cl > 0 && cl < sizeof chrbuf) {
			char pbuf[32];
			const char *p = colon + 1, *pe = p + strcspn(p, ":_");
			if ((size_t)(pe - p) < sizeof pbuf) {
				memcpy(pbuf, p, (size_t)(pe - p));
				pbuf[pe - p] = 0;
				if (parse_int64(pbuf, &e.pos) && e.pos >= 1) {
					memcpy(chrbuf, fld[C_ID], cl);
					chrbuf[cl] = 0;
					chr = chrbuf;
				}
			}
		}
	}
	/* A harmonised file leaves hm_pos empty where the variant could not
	 * be mapped: such an entry stays unmatched (absent). */
	if (!chr && !*id && !hm)
		return ob_error_set(OB_EINVALID, "%s:%d: chr_position: no position and no variant ID",
			path, line);
	if (chr) {
		int ci = add_chr(s, chr);
		if (ci < 0)
			return ci;
		e.chr = ci;
	} else {
		e.pos = 0;
	}

	if (s->n == *cap) {
		size_t nc = *cap ? *cap * 2 : 256;
		entry *ne = realloc(s->e, nc * sizeof *ne);
		if (!ne)
			return ob_error_set(OB_ERROR, "out of memory");
		s->e = ne;
		*cap = nc;
	}
	e.id = strdup(id);
	e.effect = strdup(ea);
	e.other = strdup(oa ? oa : "");
	if (!e.id || !e.effect || !e.other) {
		free(e.id);
		free(e.effect);
		free(e.other);
		return ob_error_set(OB_ERROR, "out of memory");
	}
	s->e[s->n++] = e;
	return 0;
}

/* Sorts the entries, refuses duplicates and indexes the chromosomes. */
static int index_entries(ob_prs_score *s, const char *path)
{
	qsort(s->e, s->n, sizeof *s->e, cmp_entry);
	s->npos = 0;
	while (s->npos < s->n && s->e[s->npos].chr >= 0)
		s->npos++;
	for (size_t i = s->npos; i < s->n; i++)
		s->ids |= *s->e[i].id != 0;
	for (size_t i = 1; i < s->n; i++) {
		const entry *a = &s->e[i - 1], *b = &s->e[i];
		bool same = a->chr == b->chr && (a->chr >= 0 ? a->pos == b->pos : !strcmp(a->id, b->id));
		if (same && !strcmp(a->effect, b->effect) && !strcmp(a->other, b->other))
			return ob_error_set(OB_EINVALID, "%s:%d: effect_allele: the same variant and alleles as line %d",
				path, b->line, a->line);
	}
	s->cbeg = calloc((size_t)s->nchr + 1, sizeof *s->cbeg);
	s->cend = calloc((size_t)s->nchr + 1, sizeof *s->cend);
	if (!s->cbeg || !s->cend)
		return ob_error_set(OB_ERROR, "out of memory");
	for (size_t i = 0; i < s->npos; i++) {
		int c = s->e[i].chr;
		if (i == 0 || s->e[i - 1].chr != c)
			s->cbeg[c] = i;
		s->cend[c] = i + 1;
	}
	return 0;
}

int ob_prs_score_load(ob_prs_score **out, const char *path, const ob_prs_opts *opts)
{
	bool hm = opts && opts->harmonized;
	const char *names[NCOL];
	kstring_t k = { 0, 0, NULL };
	ob_prs_score *s = NULL;
	htsFile *fp = NULL;
	size_t cap = 0;
	int col[NCOL], line = 0, rc = 0, r;
	bool have_header = false, tabs = true;
	char *f[256];

	*out = NULL;
	if (!(fp = hts_open(path, "r")))
		return ob_error_set(OB_ERROR, "%s: cannot open: %s", path, strerror(errno));
	if (!(s = calloc(1, sizeof *s))) {
		rc = ob_error_set(OB_ERROR, "out of memory");
		goto out;
	}
	for (int c = 0; c < NCOL; c++) {
		col[c] = -1;
		names[c] = colname[c];
	}
	if (hm) {
		names[C_CHR] = "hm_chr";
		names[C_POS] = "hm_pos";
	}
	while ((r = hts_getline(fp, '\n', &k)) >= 0) {
		line++;
		chomp(&k);
		if (k.l == 0)
			continue;
		if (k.s[0] == '#') {
			if (k.s[1] != '#' && (rc = add_meta(s, k.s + 1)) < 0)
				goto out;
			continue;
		}
		if (!have_header) {
			tabs = strchr(k.s, '\t') != NULL;
			int nf = split(k.s, tabs, f, 256);
			for (int i = 0; i < nf; i++)
				for (int c = 0; c < NCOL; c++)
					if (!strcmp(f[i], names[c]) && col[c] < 0)
						col[c] = i;
			if (hm && (col[C_CHR] < 0 || col[C_POS] < 0)) {
				rc = ob_error_set(OB_EINVALID, "%s:%d: %s: no such column in the header row"
					" (--harmonized reads a PGS Catalog harmonized file)", path, line,
					col[C_CHR] < 0 ? "hm_chr" : "hm_pos");
				goto out;
			}
			for (int c = C_EA; c <= C_W; c++)
				if (c != C_OA && col[c] < 0) {
					rc = ob_error_set(OB_EINVALID, "%s:%d: %s: no such column in the header row",
						path, line, colname[c]);
					goto out;
				}
			if ((col[C_CHR] < 0) != (col[C_POS] < 0)) {
				rc = ob_error_set(OB_EINVALID, "%s:%d: %s: no such column in the header row",
					path, line, names[col[C_CHR] < 0 ? C_CHR : C_POS]);
				goto out;
			}
			if (col[C_CHR] < 0 && col[C_ID] < 0 && col[C_RSID] < 0) {
				rc = ob_error_set(OB_EINVALID, "%s:%d: chr_position: the header row names no"
					" locus (chr_name and chr_position, rsID or ID)", path, line);
				goto out;
			}
			have_header = true;
			continue;
		}
		int nf = split(k.s, tabs, f, 256);
		if ((rc = add_row(s, path, line, f, nf, col, &cap, hm)) < 0)
			goto out;
	}
	if (r < -1) {
		rc = ob_error_set(OB_ERROR, "%s:%d: read error (truncated or corrupt file?)", path, line + 1);
		goto out;
	}
	if (!have_header) {
		rc = ob_error_set(OB_EINVALID, "%s:%d: effect_weight: no header row (no column names)",
			path, line);
		goto out;
	}
	if (s->n == 0) {
		rc = ob_error_set(OB_EINVALID, "%s:%d: effect_weight: the score has no variants", path, line);
		goto out;
	}
	if ((rc = index_entries(s, path)) < 0)
		goto out;
	*out = s;
	s = NULL;
out:
	free(k.s);
	if (fp)
		hts_close(fp);
	ob_prs_score_free(s);
	return rc;
}

/* ---- the genotype pass ------------------------------------------------------- */

typedef struct pass {
	const ob_prs_score *s;
	const ob_prs_opts *o;
	const char *path;
	bcf_hdr_t *hdr;
	int ns;
	double *score, *dos;   /* per sample */
	int *miss;             /* per sample */
	double *d;             /* per sample, the current record's dosages */
	unsigned char *status; /* per entry */
	int32_t *gt;
	int ngt;
	float *ds;
	int nds;
	int gt_id, ds_id;      /* header ids, -1 when not declared */
	ob_prs_counts c;
} pass;

static int allele_of(const bcf1_t *r, const char *a)
{
	if (!*a)
		return -1;
	for (int i = 0; i < r->n_allele; i++)
		if (!strcasecmp(r->d.allele[i], a))
			return i;
	return -1;
}

/* Matches entry e to record r: the effect allele's index (>= 0), -1 when
 * the alleles differ. *flipped says the letters matched on the other strand. */
static int match(const entry *e, const bcf1_t *r, bool allow_flip, bool *flipped)
{
	int k = allele_of(r, e->effect);
	*flipped = false;
	if (k >= 0 && (!*e->other || (allele_of(r, e->other) >= 0 && strcasecmp(e->other, e->effect))))
		return k;
	/* Strand flip: only for SNVs whose two letters are known and not
	 * complementary (A/T, C/G are palindromic: taken as given, like plink2). */
	if (!allow_flip || strlen(e->effect) != 1 || strlen(e->other) != 1)
		return -1;
	char fe[2] = { comp(e->effect[0]), 0 }, fo[2] = { comp(e->other[0]), 0 };
	if (!fe[0] || !fo[0] || fe[0] == e->other[0])
		return -1;
	k = allele_of(r, fe);
	if (k >= 0 && allele_of(r, fo) >= 0) {
		*flipped = true;
		return k;
	}
	return -1;
}

/* Fills p->d with each sample's dosage of allele k (NAN when missing). */
static int dosages(pass *p, bcf1_t *r, int k, const char *loc)
{
	int ngt = -1, nds = -1, gper = 0, dper = 0;

	if (p->gt_id >= 0) {
		ngt = bcf_get_genotypes(p->hdr, r, &p->gt, &p->ngt);
		if (ngt > 0)
			gper = ngt / p->ns;
	}
	if (p->ds_id >= 0 && !p->o->gt_only) {
		nds = bcf_get_format_float(p->hdr, r, "DS", &p->ds, &p->nds);
		if (nds > 0)
			dper = nds / p->ns;
	}
	if (gper <= 0 && dper <= 0)
		return ob_error_set(OB_EINVALID, "%s: FORMAT: the record has no %s", loc,
			p->o->gt_only ? "GT" : "GT nor DS");
	for (int i = 0; i < p->ns; i++) {
		double v = NAN;
		if (dper > 0) {
			const float *x = p->ds + (size_t)i * dper;
			if (k > 0 && k - 1 < dper && !bcf_float_is_missing(x[k - 1]) &&
			    !bcf_float_is_vector_end(x[k - 1])) {
				v = x[k - 1];
			} else if (k == 0) {
				double sum = 0;
				int j;
				for (j = 0; j < dper && j < r->n_allele - 1; j++) {
					if (bcf_float_is_missing(x[j]) || bcf_float_is_vector_end(x[j]))
						break;
					sum += x[j];
				}
				if (j == r->n_allele - 1 && j > 0)
					v = 2 - sum;
			}
		}
		if (isnan(v) && gper > 0) {
			const int32_t *g = p->gt + (size_t)i * gper;
			int ploidy = 0, cnt = 0;
			bool missing = false;
			for (int j = 0; j < gper; j++) {
				if (g[j] == bcf_int32_vector_end)
					break;
				ploidy++;
				if (bcf_gt_is_missing(g[j])) {
					missing = true;
					continue;
				}
				int a = bcf_gt_allele(g[j]);
				if (a >= r->n_allele)
					return ob_error_set(OB_EINVALID, "%s: GT: allele %d of sample %s beyond the"
						" record's %d alleles", loc, a, p->hdr->samples[i], r->n_allele);
				cnt += a == k;
			}
			/* A half-missing call is missing; a haploid call counts
			 * twice, as plink2 imports it as homozygous. */
			if (!missing && ploidy > 0)
				v = ploidy == 1 ? 2.0 * cnt : cnt;
		} else if (!isnan(v)) {
			/* plink2 keeps dosages in units of 1/16384, and a haploid
			 * call's DS (out of 1) counts twice like its GT. */
			if (gper > 0 && p->gt[(size_t)i * gper] != bcf_int32_vector_end &&
			    (gper == 1 || p->gt[(size_t)i * gper + 1] == bcf_int32_vector_end))
				v *= 2;
			v = (double)lround(v * 16384) / 16384;
		}
		p->d[i] = v;
	}
	return 0;
}

/* Adds entry e (allele k of record r) to every sample. */
static int apply(pass *p, const entry *e, bcf1_t *r, int k, const char *loc)
{
	int rc = dosages(p, r, k, loc);
	if (rc < 0)
		return rc;
	double sum = 0;
	int called = 0;
	for (int i = 0; i < p->ns; i++)
		if (!isnan(p->d[i])) {
			sum += p->d[i];
			called++;
		}
	/* plink2's default: a missing dosage is 2 x the allele frequency among
	 * the called samples of this file. */
	double fill = p->o->no_mean_impute || called == 0 ? 0 : e->weight * (sum / called);
	for (int i = 0; i < p->ns; i++) {
		if (isnan(p->d[i])) {
			p->miss[i]++;
			p->score[i] += fill;
		} else {
			p->score[i] += e->weight * p->d[i];
			p->dos[i] += p->d[i];
		}
	}
	return 0;
}

/* The score entries [beg, end) share the record's position (or ID). */
static int visit(pass *p, bcf1_t *r, size_t beg, size_t end, const char *loc)
{
	int rc;
	if (bcf_unpack(r, BCF_UN_STR) < 0)
		return ob_error_set(OB_EINVALID, "%s: REF: cannot read the record's alleles", loc);
	p->c.parsed++;
	for (size_t i = beg; i < end; i++) {
		const entry *e = &p->s->e[i];
		bool flipped;
		int k = match(e, r, p->o->strand_flip, &flipped);
		if (k < 0) {
			/* Say when the other strand would have matched. */
			if (!p->o->strand_flip && match(e, r, true, &flipped) >= 0 &&
			    (p->status[i] == OB_PRS_ABSENT || p->status[i] == OB_PRS_ALLELE_MISMATCH))
				p->status[i] = OB_PRS_STRAND_MISMATCH;
			else if (p->status[i] == OB_PRS_ABSENT)
				p->status[i] = OB_PRS_ALLELE_MISMATCH;
			continue;
		}
		if (p->status[i] == OB_PRS_USED || p->status[i] == OB_PRS_USED_FLIPPED) {
			p->c.duplicates++;
			continue;
		}
		p->status[i] = flipped ? OB_PRS_USED_FLIPPED : OB_PRS_USED;
		if ((rc = apply(p, e, r, k, loc)) < 0)
			return rc;
	}
	return 0;
}

/* The range of positioned entries at (chr, pos); beg == end when none. */
static void find_pos(const ob_prs_score *s, int chr, int64_t pos, size_t *beg, size_t *end)
{
	size_t lo = s->cbeg[chr], hi = s->cend[chr];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->e[mid].pos < pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	*beg = *end = lo;
	while (*end < s->cend[chr] && s->e[*end].pos == pos)
		(*end)++;
}

/* The range of ID entries with this ID. */
static void find_id(const ob_prs_score *s, const char *id, size_t *beg, size_t *end)
{
	size_t lo = s->npos, hi = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(s->e[mid].id, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*beg = *end = lo;
	while (*end < s->n && !strcmp(s->e[*end].id, id))
		(*end)++;
}

static int visit_ids(pass *p, bcf1_t *r, const char *loc)
{
	if (bcf_unpack(r, BCF_UN_STR) < 0)
		return ob_error_set(OB_EINVALID, "%s: ID: cannot read the record", loc);
	const char *ids = r->d.id;
	if (!ids || !strcmp(ids, "."))
		return 0;
	/* A VCF ID may list several IDs separated by ';'. */
	char buf[256];
	for (const char *q = ids; *q;) {
		size_t n = strcspn(q, ";");
		if (n < sizeof buf) {
			memcpy(buf, q, n);
			buf[n] = 0;
			size_t b, e;
			find_id(p->s, buf, &b, &e);
			if (b < e) {
				int rc = visit(p, r, b, e, loc);
				if (rc < 0)
					return rc;
			}
		}
		q += n;
		if (*q)
			q++;
	}
	return 0;
}

static bool header_has_fmt(const bcf_hdr_t *h, const char *tag, int *id)
{
	*id = bcf_hdr_id2int(h, BCF_DT_ID, tag);
	if (*id >= 0 && !bcf_hdr_idinfo_exists(h, BCF_HL_FMT, *id))
		*id = -1;
	return *id >= 0;
}

/* True when the ID column of a raw VCF line (q points after CHROM's tab)
 * names a score entry, so that only such lines are parsed. */
static bool id_in_line(const ob_prs_score *s, const char *q, const char *end)
{
	const char *t = memchr(q, '\t', (size_t)(end - q)); /* after POS */
	if (!t)
		return false;
	const char *id = t + 1, *ide = memchr(id, '\t', (size_t)(end - id));
	if (!ide)
		ide = end;
	char buf[256];
	while (id < ide) {
		const char *semi = memchr(id, ';', (size_t)(ide - id));
		size_t n = (size_t)((semi ? semi : ide) - id);
		if (n > 0 && n < sizeof buf) {
			memcpy(buf, id, n);
			buf[n] = 0;
			size_t b, e;
			find_id(s, buf, &b, &e);
			if (b < e)
				return true;
		}
		id += n + 1;
	}
	return false;
}

/* VCF text: every line is checked (vcfread.h), only those at a score
 * entry's position or ID are parsed. */
static int text_pass(pass *p, ob_vcfread *in, bcf1_t *r)
{
	char prev[256] = "", loc[700];
	const char *l;
	size_t prevlen = (size_t)-1, len;
	int cidx = -1, rc = 0, ret;
	const ob_prs_score *s = p->s;
	bool ids = s->ids;

	while ((ret = ob_vcfread_next_line(in, &l, &len)) > 0) {
		p->c.records++;
		const char *t1 = memchr(l, '\t', len); /* checked: there are 8 columns */
		size_t cl = (size_t)(t1 - l);
		if (cl != prevlen || memcmp(prev, l, cl)) {
			cidx = chr_index(s, l, cl);
			if (cl < sizeof prev) {
				memcpy(prev, l, cl);
				prevlen = cl;
			} else {
				prevlen = (size_t)-1;
			}
		}
		size_t b = 0, e = 0;
		if (cidx >= 0) {
			int64_t pos = 0; /* checked: digits, 1 or more */
			for (const char *q = t1 + 1; *q != '\t'; q++)
				pos = pos * 10 + (*q - '0');
			find_pos(s, cidx, pos, &b, &e);
		}
		bool idhit = ids && id_in_line(s, t1 + 1, l + len);
		if (b == e && !idhit)
			continue;
		snprintf(loc, sizeof loc, "%s", ob_vcfread_where(in));
		if ((rc = ob_vcfread_parse(in, r)) < 0)
			goto out;
		if (b < e && (rc = visit(p, r, b, e, loc)) < 0)
			goto out;
		if (idhit && (rc = visit_ids(p, r, loc)) < 0)
			goto out;
	}
	rc = ret < 0 ? ret : 0;
out:
	return rc;
}

/* BCF: every record is read and checked (vcfread.h). */
static int bcf_pass(pass *p, ob_vcfread *in, bcf1_t *r)
{
	char loc[700];
	int rc = 0, ret, nrid = 0;
	int *ridmap = NULL;
	const ob_prs_score *s = p->s;
	bool ids = s->ids;

	while ((ret = ob_vcfread_next(in, r)) == 1) {
		p->c.records++;
		if (r->rid >= nrid) {
			int n = r->rid + 64;
			int *m = realloc(ridmap, (size_t)n * sizeof *m);
			if (!m) {
				rc = ob_error_set(OB_ERROR, "out of memory");
				goto out;
			}
			for (int i = nrid; i < n; i++)
				m[i] = -2;
			ridmap = m;
			nrid = n;
		}
		if (ridmap[r->rid] == -2) {
			const char *name = bcf_hdr_id2name(p->hdr, r->rid);
			ridmap[r->rid] = name ? chr_index(s, name, strlen(name)) : -1;
		}
		size_t b = 0, e = 0;
		if (ridmap[r->rid] >= 0)
			find_pos(s, ridmap[r->rid], (int64_t)r->pos + 1, &b, &e);
		if (b == e && !ids)
			continue;
		snprintf(loc, sizeof loc, "%s", ob_vcfread_where(in));
		if (b < e && (rc = visit(p, r, b, e, loc)) < 0)
			goto out;
		if (ids && (rc = visit_ids(p, r, loc)) < 0)
			goto out;
	}
	if (ret < 0)
		rc = ret;
out:
	free(ridmap);
	return rc;
}

void ob_prs_result_free(ob_prs_result *r)
{
	if (!r)
		return;
	for (int i = 0; i < r->ns; i++)
		free((char *)r->s[i].name);
	free(r->s);
	free(r->status);
	free(r);
}

int ob_prs_compute(ob_prs_result **out, const ob_prs_score *s, const char *path,
	const ob_prs_opts *opts)
{
	const char *vpath = path;
	static const ob_prs_opts defaults = { 0 };
	pass p = { .s = s, .o = opts ? opts : &defaults, .path = vpath };
	ob_vcfread *in = NULL;
	bcf1_t *r = NULL;
	ob_prs_result *res = NULL;
	int64_t hlines = 0;
	int rc = 0;

	*out = NULL;
	if ((rc = ob_vcfread_open(&in, vpath, p.o->threads)) < 0)
		goto out;
	p.hdr = ob_vcfread_header(in);
	bool text = ob_vcfread_is_text(in);
	hlines = ob_vcfread_line(in);
	bool has_gt = header_has_fmt(p.hdr, "GT", &p.gt_id);
	bool has_ds = header_has_fmt(p.hdr, "DS", &p.ds_id);
	if (!has_gt && (!has_ds || p.o->gt_only)) {
		const char *nor = p.o->gt_only ? "" : " (nor DS)";
		rc = text ? ob_error_set(OB_EINVALID, "%s:%lld: FORMAT: the header declares no GT%s field",
				vpath, (long long)hlines, nor)
			: ob_error_set(OB_EINVALID, "%s: header: FORMAT: the header declares no GT%s field",
				vpath, nor);
		goto out;
	}
	p.ns = bcf_hdr_nsamples(p.hdr);
	if (p.ns == 0) {
		rc = text ? ob_error_set(OB_EINVALID, "%s:%lld: #CHROM: the file has no samples", vpath, (long long)hlines)
			: ob_error_set(OB_EINVALID, "%s: header: the file has no samples", vpath);
		goto out;
	}
	p.score = calloc((size_t)p.ns, sizeof *p.score);
	p.dos = calloc((size_t)p.ns, sizeof *p.dos);
	p.d = calloc((size_t)p.ns, sizeof *p.d);
	p.miss = calloc((size_t)p.ns, sizeof *p.miss);
	p.status = calloc(s->n ? s->n : 1, 1);
	r = bcf_init();
	if (!p.score || !p.dos || !p.d || !p.miss || !p.status || !r) {
		rc = ob_error_set(OB_ERROR, "out of memory");
		goto out;
	}
	rc = text ? text_pass(&p, in, r) : bcf_pass(&p, in, r);
	if (rc < 0)
		goto out;

	if (!(res = calloc(1, sizeof *res)) || !(res->s = calloc((size_t)p.ns, sizeof *res->s))) {
		rc = ob_error_set(OB_ERROR, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < s->n; i++) {
		p.c.used += p.status[i] == OB_PRS_USED || p.status[i] == OB_PRS_USED_FLIPPED;
		p.c.flipped += p.status[i] == OB_PRS_USED_FLIPPED;
		p.c.absent += p.status[i] == OB_PRS_ABSENT;
		p.c.allele_mismatch += p.status[i] == OB_PRS_ALLELE_MISMATCH;
		p.c.strand_mismatch += p.status[i] == OB_PRS_STRAND_MISMATCH;
	}
	for (int i = 0; i < p.ns; i++) {
		ob_prs_sample *x = &res->s[i];
		if (!(x->name = strdup(p.hdr->samples[i]))) {
			rc = ob_error_set(OB_ERROR, "out of memory");
			goto out;
		}
		res->ns = i + 1;
		x->score = p.score[i];
		x->variants_used = p.c.used;
		x->variants_missing = p.miss[i];
		x->allele_ct = 2 * (p.c.used - p.miss[i]);
		x->effect_dosage = p.dos[i];
	}
	res->status = p.status;
	res->nstatus = s->n;
	p.status = NULL;
	res->c = p.c;
	*out = res;
	res = NULL;
out:
	ob_prs_result_free(res);
	free(p.score);
	free(p.dos);
	free(p.d);
	free(p.miss);
	free(p.status);
	free(p.gt);
	free(p.ds);
	if (r)
		bcf_destroy(r);
	ob_vcfread_free(in); /* and p.hdr with it */
	return rc;
}

int ob_prs_result_nsamples(const ob_prs_result *r)
{
	return r->ns;
}

const ob_prs_sample *ob_prs_result_sample(const ob_prs_result *r, int i)
{
	return &r->s[i];
}

const ob_prs_sample *ob_prs_result_find(const ob_prs_result *r, const char *name)
{
	for (int i = 0; i < r->ns; i++)
		if (!strcmp(r->s[i].name, name))
			return &r->s[i];
	return NULL;
}

int ob_prs_result_status(const ob_prs_result *r, size_t i)
{
	return i < r->nstatus ? r->status[i] : OB_PRS_ABSENT;
}

void ob_prs_result_counts(const ob_prs_result *r, ob_prs_counts *c)
{
	*c = r->c;
}

/* ---- reference distributions ------------------------------------------------ */

int ob_prs_refdist_parse(ob_prs_refdist *out, const char *text, const char *name)
{
	ob_prs_refdist rd = { .pgs_id = "" };
	int line = 0;

	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "\n");
		char buf[512], *f[3];
		line++;
		if (n >= sizeof buf)
			return ob_error_set(OB_EINVALID, "%s:%d: line: too long", name, line);
		memcpy(buf, p, n);
		buf[n] = 0;
		if (n && buf[n - 1] == '\r')
			buf[n - 1] = 0;
		p += n + (p[n] == '\n');
		if (!buf[0] || buf[0] == '#')
			continue;
		int nf = split(buf, false, f, 3);
		if (nf == 0)
			continue;
		if (nf != 2)
			return ob_error_set(OB_EINVALID, "%s:%d: %s: expected 'key<TAB>value'", name, line, f[0]);
		if (!strcmp(f[0], "pgs_id")) {
			snprintf(rd.pgs_id, sizeof rd.pgs_id, "%s", f[1]);
		} else if (!strcmp(f[0], "mean") || !strcmp(f[0], "sd")) {
			double v;
			if (!parse_double(f[1], &v))
				return ob_error_set(OB_EINVALID, "%s:%d: %s: '%s' is not a number", name, line, f[0], f[1]);
			if (f[0][0] == 'm') {
				rd.mean = v;
				rd.has_mean = true;
			} else {
				if (v <= 0)
					return ob_error_set(OB_EINVALID, "%s:%d: sd: must be positive", name, line);
				rd.sd = v;
				rd.has_sd = true;
			}
		} else if (!strcmp(f[0], "n")) {
			int64_t v;
			if (!parse_int64(f[1], &v) || v > INT32_MAX)
				return ob_error_set(OB_EINVALID, "%s:%d: n: '%s' is not a count", name, line, f[1]);
			rd.n = (int)v;
		}
		/* Other keys (source, note, ...) are documentation. */
	}
	if (!rd.has_mean || !rd.has_sd)
		return ob_error_set(OB_EINVALID, "%s:%d: %s: not given (a reference distribution needs"
			" both mean and sd)", name, line, rd.has_mean ? "sd" : "mean");
	*out = rd;
	return 0;
}

int ob_prs_refdist_load(ob_prs_refdist *out, const char *path)
{
	FILE *f = fopen(path, "r");
	char buf[16384];
	if (!f)
		return ob_error_set(OB_ERROR, "%s: cannot open: %s", path, strerror(errno));
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	bool more = !feof(f) && fgetc(f) != EOF;
	fclose(f);
	if (more)
		return ob_error_set(OB_EINVALID, "%s:1: file: too large for a reference distribution", path);
	buf[n] = 0;
	return ob_prs_refdist_parse(out, buf, path);
}

int ob_prs_refdist_from(ob_prs_refdist *out, const ob_prs_result *r, const char *pgs_id)
{
	if (r->ns < 2)
		return ob_error_set(OB_EINVALID, "a reference distribution needs at least two samples");
	double mean = 0, m2 = 0;
	/* Welford: one pass, no cancellation. */
	for (int i = 0; i < r->ns; i++) {
		double x = r->s[i].score, d = x - mean;
		mean += d / (i + 1);
		m2 += d * (x - mean);
	}
	memset(out, 0, sizeof *out);
	snprintf(out->pgs_id, sizeof out->pgs_id, "%s", pgs_id ? pgs_id : "");
	out->mean = mean;
	out->sd = sqrt(m2 / (r->ns - 1));
	out->has_mean = true;
	out->has_sd = out->sd > 0;
	out->n = r->ns;
	if (!out->has_sd)
		return ob_error_set(OB_EINVALID, "every sample has the same score: no spread to standardise by");
	return 0;
}

const char *ob_prs_category(double pct)
{
	if (pct < 10)
		return "low";
	if (pct < 20)
		return "below average";
	if (pct < 80)
		return "average";
	if (pct < 90)
		return "above average";
	if (pct < 99)
		return "high";
	return "very high";
}

int ob_prs_place(const ob_prs_refdist *rd, double score, ob_prs_risk *out)
{
	if (!rd->has_mean || !rd->has_sd || !(rd->sd > 0))
		return ob_error_set(OB_EINVALID, "reference distribution: mean and a positive sd are required");
	out->z = (score - rd->mean) / rd->sd;
	out->percentile = 100 * 0.5 * erfc(-out->z / sqrt(2.0));
	out->relative_risk = exp(score - rd->mean - rd->sd * rd->sd / 2);
	out->category = ob_prs_category(out->percentile);
	return 0;
}

int ob_prs_one(const char *score_path, const char *genotypes, const char *sample,
	const ob_prs_refdist *rd, const ob_prs_opts *opts, ob_prs_sample *out,
	ob_prs_risk *risk)
{
	ob_prs_score *s = NULL;
	ob_prs_result *r = NULL;
	int rc;

	memset(risk, 0, sizeof *risk);
	if ((rc = ob_prs_score_load(&s, score_path, opts)) < 0)
		return rc;
	if ((rc = ob_prs_compute(&r, s, genotypes, opts)) < 0)
		goto out;
	const ob_prs_sample *x = ob_prs_result_find(r, sample);
	if (!x) {
		rc = ob_error_set(OB_ENOTFOUND, "%s: sample '%s' is not in the file", genotypes, sample);
		goto out;
	}
	*out = *x;
	out->name = sample;
	if (rd)
		rc = ob_prs_place(rd, x->score, risk);
out:
	ob_prs_result_free(r);
	ob_prs_score_free(s);
	return rc;
}
