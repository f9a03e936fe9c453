/*
 * somatic.c - somatic interpretation (see somatic.h): the specification
 * matcher, the per-allele walk over annotated records (picked transcript
 * first), fusions and copy numbers from TSV files or VCF breakends, TMB and
 * MSI, the ranking of evidence by tumour type, and the JSON and text
 * writers. The HTML report is somatic_report.c.
 */
#include "interp/somatic.h"
#include "interp/oncotree.h"
#include "base/error.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#ifndef OB_ONCOTREE_ROOT
#define OB_ONCOTREE_ROOT "TISSUE" /* oncotree.h names it in newer trees */
#endif

const char *const ob_somatic_limits[] = {
	"Only variants that PASS the caller's filters are interpreted; filtered calls are counted, not matched.",
	"Matching uses the annotation's protein change, exon and consequence: a wrong or missing "
	"annotation gives a wrong or missing match. Variants of uncertain significance are not reported.",
	"Evidence comes only from the knowledge base named above; absence of a match is not evidence "
	"of absence of benefit.",
	"Evidence for another tumour type is shown as off-label and reported at most at level II-C "
	"(AMP/ASCO/CAP 2017).",
	"Germline and somatic origin are not distinguished; no tumour purity or clonality correction is made.",
	"TMB counts PASS coding non-synonymous alleles over the panel size given; it is not calibrated "
	"against a reference assay.",
	"Copy number and fusions are taken as given in the input files; they are not called here.",
	"This is a decision-support summary for a molecular tumour board, not a treatment prescription.",
	NULL
};

/* ---- protein notation ---------------------------------------------- */

static const char aa3[][4] = { "Ala", "Arg", "Asn", "Asp", "Cys", "Gln", "Glu", "Gly", "His",
	"Ile", "Leu", "Lys", "Met", "Phe", "Pro", "Ser", "Thr", "Trp", "Tyr", "Val", "Ter", "Sec",
	"Pyl", "Xaa" };
static const char aa1[] = "ARNDCQEGHILKMFPSTWYV*UOX";

void ob_somatic_protein_short(const char *p, char *out, size_t n)
{
	size_t w = 0;

	if (!n)
		return;
	out[0] = 0;
	if (!p || strncmp(p, "p.", 2))
		return;
	for (const char *q = p; *q && w + 1 < n; q++) {
		if (*q == '(' || *q == ')')
			continue;
		if (isupper((unsigned char)q[0]) && islower((unsigned char)q[1]) &&
		    islower((unsigned char)q[2])) {
			int k = -1;
			for (int i = 0; i < (int)(sizeof aa3 / sizeof aa3[0]); i++)
				if (!strncmp(q, aa3[i], 3))
					k = i;
			if (k >= 0) {
				out[w++] = aa1[k];
				q += 2;
				continue;
			}
		}
		out[w++] = *q;
	}
	out[w] = 0;
}

/* ---- consequences --------------------------------------------------- */

static int has(const char *cons, const char *term)
{
	size_t l = strlen(term);
	for (const char *p = cons; (p = strstr(p, term)); p += l)
		if ((p == cons || p[-1] == '&' || p[-1] == ',') && (!p[l] || p[l] == '&' || p[l] == ','))
			return 1;
	return 0;
}

static const char *const coding_terms[] = { "missense_variant", "stop_gained", "stop_lost",
	"start_lost", "frameshift_variant", "inframe_insertion", "inframe_deletion",
	"protein_altering_variant", NULL };

static int any_of(const char *cons, const char *const *terms)
{
	for (int i = 0; terms[i]; i++)
		if (has(cons, terms[i]))
			return 1;
	return 0;
}

/* Counted by TMB: coding and non-synonymous. */
static int coding_nonsyn(const char *cons)
{
	return any_of(cons, coding_terms);
}

/* "mutation": any protein-changing variant, splice sites included. */
static int protein_changing(const char *cons)
{
	return coding_nonsyn(cons) || has(cons, "splice_donor_variant") ||
	       has(cons, "splice_acceptor_variant");
}

static const char *const loss_terms[] = { "frameshift_variant", "stop_gained",
	"splice_donor_variant", "splice_acceptor_variant", "start_lost", NULL };

int ob_somatic_spec_match(const char *spec, const ob_csq *c)
{
	const char *cons = c->consequence ? c->consequence : "";

	if (!strncmp(spec, "p.", 2)) {
		char sh[96];
		ob_somatic_protein_short(c->hgvs_p, sh, sizeof sh);
		if (!sh[0])
			return OB_SOM_NONE;
		if (!strcmp(sh, spec))
			return OB_SOM_EXACT;
		/* p.G12: the residue and number, nothing after them */
		size_t l = strlen(spec);
		if (l > 3 && isdigit((unsigned char)spec[l - 1]) && !strncmp(sh, spec, l) &&
		    isupper((unsigned char)sh[l]) && !sh[l + 1] && sh[l] != spec[2] &&
		    has(cons, "missense_variant"))
			return OB_SOM_CODON;
		return OB_SOM_NONE;
	}
	if (!strncmp(spec, "exon", 4) && isdigit((unsigned char)spec[4])) {
		char *end;
		long ex = strtol(spec + 4, &end, 10);
		while (*end == ' ')
			end++;
		if (!strcmp(end, "deletion"))
			return c->exon == ex && has(cons, "inframe_deletion") ? OB_SOM_EXON : 0;
		if (!strcmp(end, "insertion"))
			return c->exon == ex && has(cons, "inframe_insertion") ? OB_SOM_EXON : 0;
		if (!strcmp(end, "mutation"))
			return c->exon == ex && protein_changing(cons) ? OB_SOM_EXON : 0;
		if (!strcmp(end, "skipping")) {
			int acc = has(cons, "splice_acceptor_variant"), don = has(cons, "splice_donor_variant");
			if ((acc || don) && c->exon == ex)
				return OB_SOM_EXON;
			if (acc && c->intron == ex - 1)
				return OB_SOM_EXON;
			if (don && c->intron == ex)
				return OB_SOM_EXON;
			return OB_SOM_NONE;
		}
		return OB_SOM_NONE;
	}
	if (!strcmp(spec, "loss"))
		return any_of(cons, loss_terms) ? OB_SOM_LOSS : 0;
	if (!strcmp(spec, "mutation"))
		return protein_changing(cons) ? OB_SOM_MUTATION : 0;
	if (!strcmp(spec, "oncogenic"))
		return protein_changing(cons) ? OB_SOM_ONCOGENIC : 0;
	return OB_SOM_NONE;
}

/* ---- levels and ranking ---------------------------------------------- */

static const char *const levels[] = { "I-A", "I-B", "II-C", "II-D", "III", "IV", NULL };

static int level_rank(const char *l)
{
	for (int i = 0; levels[i]; i++)
		if (l && !strcmp(l, levels[i]))
			return i;
	return 6;
}

#define EXCLUDED (-2)

/* distance of the tumour type up to the row's type; "" = any type;
 * "!A,B" = any type but A and B and the types below them: EXCLUDED for
 * those (a tumour-agnostic label that names exceptions) */
static int type_distance(const ob_somatic *s, const char *row_type)
{
	if (row_type && *row_type == '!') {
		char code[32];
		for (const char *p = row_type + 1; *p;) {
			size_t n = strcspn(p, ",");
			snprintf(code, sizeof code, "%.*s", (int)(n < sizeof code ? n : sizeof code - 1), p);
			if (ob_oncotree_distance(s->tumor_type, code) >= 0)
				return EXCLUDED;
			p += n;
			if (*p == ',')
				p++;
			if (*p == '!')
				p++;
		}
		row_type = NULL;
	}
	if (!row_type || !*row_type)
		return ob_oncotree_distance(s->tumor_type, OB_ONCOTREE_ROOT);
	return ob_oncotree_distance(s->tumor_type, row_type);
}

static const char *reported_level(const ob_kb_row *r, int distance)
{
	if (distance >= 0 || level_rank(r->amp_level) >= 2)
		return r->amp_level;
	return "II-C";
}

/* ---- biomarkers ------------------------------------------------------- */

static void cut(char *dst, size_t n, const char *src)
{
	size_t l = strlen(src ? src : "");
	if (l < n) {
		memcpy(dst, src ? src : "", l + 1);
		return;
	}
	memcpy(dst, src, n - 4);
	memcpy(dst + n - 4, "...", 4);
}

static ob_som_biomarker *new_bm(ob_somatic *s)
{
	if (s->nbm == s->cbm) {
		size_t nc = s->cbm ? 2 * s->cbm : 8;
		ob_som_biomarker *p = realloc(s->bm, nc * sizeof *p);
		if (!p)
			return NULL;
		s->bm = p;
		s->cbm = nc;
	}
	ob_som_biomarker *b = &s->bm[s->nbm];
	memset(b, 0, sizeof *b);
	b->vaf = -1;
	b->value = -1;
	return b;
}

static int add_ev(ob_som_biomarker *b, size_t *cap, const ob_kb_row *r, int dist, int match)
{
	if (dist == EXCLUDED)   /* the row's own words exclude this tumour type */
		return 0;
	if (b->nev == *cap) {
		size_t nc = *cap ? 2 * *cap : 4;
		ob_som_evidence *p = realloc(b->ev, nc * sizeof *p);
		if (!p)
			return ob_error_set(OB_ERROR, "out of memory");
		b->ev = p;
		*cap = nc;
	}
	ob_som_evidence *e = &b->ev[b->nev++];
	e->row = r;
	e->distance = dist;
	e->level = reported_level(r, dist);
	e->match = match;
	return 0;
}

/* Keeps b (matched at least one row) or drops it. */
static void commit_bm(ob_somatic *s, ob_som_biomarker *b)
{
	if (b->nev)
		s->nbm++;
	else
		free(b->ev);
}

/* ---- variants ---------------------------------------------------------- */

/* Matches one gene's entries (candidates) of one allele against its rows.
 * Picked entries are the candidates when there are any. */
static int match_gene(ob_somatic *s, const ob_csq *c, const int *idx, int nidx,
	const ob_kb_row *rows, size_t nrows, bcf1_t *rec, int ai, double vaf, const char *where)
{
	int npick = 0, cand[64], ncand = 0;
	for (int i = 0; i < nidx; i++)
		npick += c[idx[i]].picked;
	for (int i = 0; i < nidx && ncand < 64; i++)
		if (!npick || c[idx[i]].picked)
			cand[ncand++] = idx[i];

	/* hotspots of the gene: exact or codon rows, and whether one matches */
	int hot_rows = 0, hot_hit = 0;
	for (size_t r = 0; r < nrows; r++)
		if (!strncmp(rows[r].alteration, "p.", 2)) {
			hot_rows = 1;
			for (int k = 0; k < ncand; k++)
				if (ob_somatic_spec_match(rows[r].alteration, &c[cand[k]]))
					hot_hit = 1;
		}

	ob_som_biomarker *b = new_bm(s);
	size_t cap = 0;
	int shown = -1, best = 0, rc;
	if (!b)
		return ob_error_set(OB_ERROR, "out of memory");
	for (size_t r = 0; r < nrows; r++) {
		int m = 0, which = -1;
		for (int k = 0; k < ncand && !m; k++)
			if ((m = ob_somatic_spec_match(rows[r].alteration, &c[cand[k]])))
				which = cand[k];
		if (m == OB_SOM_ONCOGENIC && hot_rows && !hot_hit)
			m = 0;
		if (!m)
			continue;
		if ((rc = add_ev(b, &cap, &rows[r], type_distance(s, rows[r].tumor_type), m)) < 0) {
			free(b->ev);
			return rc;
		}
		if (m > best) {
			best = m;
			shown = which;
		}
	}
	if (b->nev) {
		const ob_csq *e = &c[shown];
		cut(b->gene, sizeof b->gene, e->gene);
		snprintf(b->kind, sizeof b->kind, "variant");
		char sh[96];
		ob_somatic_protein_short(e->hgvs_p, sh, sizeof sh);
		int known_p = sh[0] && strcmp(sh, "p.?"); /* "p.?": protein effect unknown */
		cut(b->alteration, sizeof b->alteration,
			known_p ? sh : e->hgvs_c[0] ? e->hgvs_c : e->consequence);
		b->pos = rec->pos + 1;
		cut(b->ref, sizeof b->ref, rec->d.allele[0]);
		cut(b->alt, sizeof b->alt, rec->d.allele[ai]);
		cut(b->hgvs_c, sizeof b->hgvs_c, e->hgvs_c);
		cut(b->hgvs_p, sizeof b->hgvs_p, e->hgvs_p);
		cut(b->transcript, sizeof b->transcript, e->transcript);
		cut(b->consequence, sizeof b->consequence, e->consequence);
		if (npick)
			snprintf(b->transcript_choice, sizeof b->transcript_choice, "picked");
		else if (ncand == 1)
			snprintf(b->transcript_choice, sizeof b->transcript_choice, "only one");
		else
			snprintf(b->transcript_choice, sizeof b->transcript_choice,
				"first matching of %d", ncand);
		b->vaf = vaf;
		cut(b->source, sizeof b->source, where);
	}
	commit_bm(s, b);
	return 0;
}

/* The tumour sample's allele fraction of ALT ai: FORMAT AF, else AD. */
static double vaf_of(ob_somatic *s, const bcf_hdr_t *h, bcf1_t *rec, int sample, int ai)
{
	int ns = bcf_hdr_nsamples(h);
	if (sample < 0)
		return -1;
	int n = bcf_get_format_float(h, rec, "AF", &s->af, &s->naf);
	if (n > 0 && ns > 0) {
		int per = n / ns;
		if (ai - 1 < per) {
			float v = s->af[sample * per + ai - 1];
			if (!bcf_float_is_missing(v) && !bcf_float_is_vector_end(v))
				return v;
		}
	}
	n = bcf_get_format_int32(h, rec, "AD", &s->ad, &s->nad);
	if (n > 0 && ns > 0) {
		int per = n / ns;
		double tot = 0;
		if (ai >= per)
			return -1;
		for (int i = 0; i < per; i++) {
			int32_t v = s->ad[sample * per + i];
			if (v == bcf_int32_missing || v == bcf_int32_vector_end)
				return -1;
			tot += v;
		}
		return tot > 0 ? s->ad[sample * per + ai] / tot : -1;
	}
	return -1;
}

static int passes(const bcf_hdr_t *h, bcf1_t *rec)
{
	if (rec->d.n_flt == 0)
		return 1;
	for (int i = 0; i < rec->d.n_flt; i++)
		if (strcmp(bcf_hdr_int2id(h, BCF_DT_ID, rec->d.flt[i]), "PASS"))
			return 0;
	return 1;
}

/* Gene names of a breakend record: INFO FUSION ("A--B"/"A::B"), GENE1 +
 * GENE2, GENEA + GENEB, or a gene_fusion ANN entry whose gene is "A&B". */
static int fusion_genes(const bcf_hdr_t *h, bcf1_t *rec, const ob_csq *c, int n, char *g1,
	char *g2, size_t gn)
{
	char *v = NULL;
	int nv = 0, ok = 0;
	g1[0] = g2[0] = 0;
	if (bcf_get_info_string(h, rec, "FUSION", &v, &nv) > 0) {
		char *sep = strstr(v, "--");
		int sl = 2;
		if (!sep)
			sep = strstr(v, "::");
		if (sep) {
			snprintf(g1, gn, "%.*s", (int)(sep - v), v);
			snprintf(g2, gn, "%s", sep + sl);
			ok = 1;
		}
	}
	static const char *const pairs[][2] = { { "GENE1", "GENE2" }, { "GENEA", "GENEB" } };
	for (int p = 0; !ok && p < 2; p++) {
		char *w = NULL;
		int nw = 0;
		if (bcf_get_info_string(h, rec, pairs[p][0], &v, &nv) > 0 &&
		    bcf_get_info_string(h, rec, pairs[p][1], &w, &nw) > 0) {
			snprintf(g1, gn, "%s", v);
			snprintf(g2, gn, "%s", w);
			ok = 1;
		}
		free(w);
	}
	for (int i = 0; !ok && i < n; i++)
		if (strstr(c[i].consequence, "gene_fusion")) {
			const char *amp = strchr(c[i].gene, '&');
			if (amp) {
				snprintf(g1, gn, "%.*s", (int)(amp - c[i].gene), c[i].gene);
				snprintf(g2, gn, "%s", amp + 1);
				ok = 1;
			}
		}
	free(v);
	return ok;
}

static int is_breakend(bcf1_t *rec, int ai)
{
	const char *a = rec->d.allele[ai];
	return strchr(a, '[') || strchr(a, ']') || !strcmp(a, "<FUS>") || !strcmp(a, "<TRA>");
}

int ob_somatic_add_record(ob_somatic *s, const bcf_hdr_t *h, bcf1_t *rec, const ob_csq *c,
	int n, int sample, const char *where)
{
	int rc;

	s->records++;
	if (!passes(h, rec)) {
		s->filtered++;
		return 0;
	}
	s->passed++;
	if (!n && rec->n_allele > 1)
		s->unannotated++;
	for (int ai = 1; ai < rec->n_allele; ai++) {
		const char *alt = rec->d.allele[ai];
		if (!strcmp(alt, "*") || !strcmp(alt, "."))
			continue;
		s->alleles++;
		if (is_breakend(rec, ai)) {
			char g1[64], g2[64];
			if (fusion_genes(h, rec, c, n, g1, g2, sizeof g1) &&
			    (rc = ob_somatic_add_fusion(s, g1, g2, where)) < 0)
				return rc;
			continue;
		}
		int idx[256], nidx = 0, counted = 0, npick = 0;
		for (int i = 0; i < n && nidx < 256; i++)
			if (c[i].allele == alt || !strcmp(c[i].allele, alt))
				idx[nidx++] = i;
		for (int i = 0; i < nidx; i++)
			npick += c[idx[i]].picked;
		for (int i = 0; i < nidx && !counted; i++)
			if ((!npick || c[idx[i]].picked) && coding_nonsyn(c[idx[i]].consequence))
				counted = 1;
		s->tmb_count += counted;
		/* one gene at a time, in order of first appearance */
		double vaf = -2;
		for (int i = 0; i < nidx; i++) {
			const char *g = c[idx[i]].gene;
			int first = 1;
			if (!g[0])
				continue;
			for (int j = 0; j < i; j++)
				if (!strcmp(c[idx[j]].gene, g))
					first = 0;
			if (!first)
				continue;
			size_t nrows;
			const ob_kb_row *rows = s->rows(s->rows_ctx, g, &nrows);
			if (!nrows)
				continue;
			int gidx[256], ng = 0;
			for (int j = i; j < nidx; j++)
				if (!strcmp(c[idx[j]].gene, g))
					gidx[ng++] = idx[j];
			if (vaf == -2)
				vaf = vaf_of(s, h, rec, sample, ai);
			size_t before = s->nbm;
			if ((rc = match_gene(s, c, gidx, ng, rows, nrows, rec, ai, vaf, where)) < 0)
				return rc;
			if (s->nbm > before)
				cut(s->bm[before].chrom, sizeof s->bm[before].chrom,
					bcf_seqname(h, rec));
		}
	}
	return 0;
}

int ob_somatic_read_vcf(ob_somatic *s, const char *path, ob_annotator *a)
{
	ob_annread *r = NULL;
	bcf1_t *rec;
	const ob_csq *c;
	int n, rc, sample = -1;
	char where[320];

	if ((rc = ob_annread_open(&r, path, a)) < 0)
		return rc;
	if (s->o.models && (rc = ob_annread_prefer(r, s->o.models)) < 0)
		goto out;
	bcf_hdr_t *h = ob_annread_header(r);
	int ns = bcf_hdr_nsamples(h);
	const char *want = s->o.sample;
	if (!want) {
		bcf_hrec_t *hr = bcf_hdr_get_hrec(h, BCF_HL_GEN, "tumor_sample", NULL, NULL);
		if (hr && hr->value)
			want = hr->value;
	}
	if (want && !s->o.sample && ns == 0)
		want = NULL; /* ##tumor_sample in a file without sample columns */
	if (want) {
		sample = bcf_hdr_id2int(h, BCF_DT_SAMPLE, want);
		if (sample < 0 || sample >= ns) {
			rc = ob_error_set(OB_EINVALID, "%s: no sample named '%s'%s", path, want,
				s->o.sample ? "" : " (from ##tumor_sample)");
			goto out;
		}
	} else if (ns > 0) {
		sample = 0;
	}
	snprintf(s->sample, sizeof s->sample, "%s", sample >= 0 ? h->samples[sample] : "");
	snprintf(s->input, sizeof s->input, "%s", path);
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	while ((rc = ob_annread_next(r, &rec, &c, &n)) == 1) {
		int64_t line = ob_annread_line(r);
		if (line)
			snprintf(where, sizeof where, "%s:%lld", base, (long long)line);
		else
			snprintf(where, sizeof where, "%s:%s:%lld", base, bcf_seqname(h, rec),
				(long long)rec->pos + 1);
		if ((rc = ob_somatic_add_record(s, h, rec, c, n, sample, where)) < 0)
			goto out;
	}
out:
	ob_annread_free(r);
	return rc;
}

/* ---- fusions and copy number ----------------------------------------- */

static const ob_kb_row *gene_rows(ob_somatic *s, const char *g, size_t *n)
{
	*n = 0;
	if (!g || !*g)
		return NULL;
	return s->rows(s->rows_ctx, g, n);
}

int ob_somatic_add_fusion(ob_somatic *s, const char *g1, const char *g2, const char *where)
{
	char key[66];
	int rc;

	snprintf(key, sizeof key, "%.32s:%.32s", g1, g2);
	for (size_t i = 0; i < s->nfus; i++)
		if (!strcmp(s->fus_seen[i], key))
			return 0; /* the mate of a breakend pair, or listed twice */
	if (s->nfus == s->cfus) {
		size_t nc = s->cfus ? 2 * s->cfus : 8;
		char (*p)[66] = realloc(s->fus_seen, nc * sizeof *p);
		if (!p)
			return ob_error_set(OB_ERROR, "out of memory");
		s->fus_seen = p;
		s->cfus = nc;
	}
	memcpy(s->fus_seen[s->nfus++], key, sizeof key);
	for (int side = 0; side < 2; side++) {
		const char *g = side ? g2 : g1, *other = side ? g1 : g2;
		size_t nrows, cap = 0;
		const ob_kb_row *rows = gene_rows(s, g, &nrows);
		if (!nrows)
			continue;
		ob_som_biomarker *b = new_bm(s);
		if (!b)
			return ob_error_set(OB_ERROR, "out of memory");
		for (size_t r = 0; r < nrows; r++) {
			const char *a = rows[r].alteration;
			int m = 0;
			if (!strcmp(a, "fusion"))
				m = OB_SOM_FUSION;
			else if (!strncmp(a, "fusion ", 7) && *other && !strcmp(a + 7, other))
				m = OB_SOM_FUSION_PARTNER;
			if (m && (rc = add_ev(b, &cap, &rows[r], type_distance(s, rows[r].tumor_type),
				m)) < 0) {
				free(b->ev);
				return rc;
			}
		}
		if (b->nev) {
			cut(b->gene, sizeof b->gene, g);
			snprintf(b->kind, sizeof b->kind, "fusion");
			snprintf(b->alteration, sizeof b->alteration, "%s::%s fusion",
				*g1 ? g1 : "?", *g2 ? g2 : "?");
			cut(b->source, sizeof b->source, where);
		}
		commit_bm(s, b);
	}
	return 0;
}

static char *trim(char *x)
{
	while (isspace((unsigned char)*x))
		x++;
	size_t l = strlen(x);
	while (l && isspace((unsigned char)x[l - 1]))
		x[--l] = 0;
	return x;
}

/* Splits a tab-separated line in place; returns the field count. */
static int tabs(char *line, char **f, int max)
{
	int n = 0;
	f[n++] = line;
	for (char *p = line; *p && n < max; p++)
		if (*p == '\t') {
			*p = 0;
			f[n++] = p + 1;
		}
	for (int i = 0; i < n; i++)
		f[i] = trim(f[i]);
	return n;
}

int ob_somatic_read_fusions(ob_somatic *s, const char *path)
{
	FILE *fp = fopen(path, "r");
	char line[4096], where[320];
	long ln = 0;
	int rc = 0;

	if (!fp)
		return ob_error_set(OB_ERROR, "%s: cannot open", path);
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	while (fgets(line, sizeof line, fp)) {
		char *f[8], g1[64], g2[64];
		ln++;
		if (!strchr(line, '\n') && !feof(fp)) {
			rc = ob_error_set(OB_EINVALID, "%s:%ld: line longer than %zu bytes", path, ln,
				sizeof line - 1);
			break;
		}
		char *t = trim(line);
		if (!*t || *t == '#')
			continue;
		int n = tabs(t, f, 8);
		if (ln == 1 && (!strcasecmp(f[0], "gene1") || !strcasecmp(f[0], "FusionGene") ||
		    !strcasecmp(f[0], "fusion")))
			continue;
		char *sep = strstr(f[0], "--");
		if (!sep)
			sep = strstr(f[0], "::");
		if (sep) {
			snprintf(g1, sizeof g1, "%.*s", (int)(sep - f[0]), f[0]);
			snprintf(g2, sizeof g2, "%s", sep + 2);
		} else if (n >= 2) {
			snprintf(g1, sizeof g1, "%s", f[0]);
			snprintf(g2, sizeof g2, "%s", f[1]);
		} else {
			rc = ob_error_set(OB_EINVALID, "%s:%ld: gene1: '%s' is neither \"A--B\", "
				"\"A::B\" nor followed by a gene2 column", path, ln, f[0]);
			break;
		}
		if (!g1[0] && !g2[0]) {
			rc = ob_error_set(OB_EINVALID, "%s:%ld: gene1: no gene named", path, ln);
			break;
		}
		snprintf(where, sizeof where, "%s:%ld", base, ln);
		if ((rc = ob_somatic_add_fusion(s, g1, g2, where)) < 0)
			break;
	}
	fclose(fp);
	return rc;
}

int ob_somatic_add_cnv(ob_somatic *s, const char *gene, double cn, const char *where)
{
	const char *kind = cn >= s->o.amp_cn ? "amplification" : cn < OB_SOMATIC_DEL_CN ? "deletion"
		: NULL;
	size_t nrows, cap = 0;
	int rc;

	if (!kind)
		return 0;
	const ob_kb_row *rows = gene_rows(s, gene, &nrows);
	if (!nrows)
		return 0;
	ob_som_biomarker *b = new_bm(s);
	if (!b)
		return ob_error_set(OB_ERROR, "out of memory");
	for (size_t r = 0; r < nrows; r++) {
		const char *a = rows[r].alteration;
		/* a deep deletion removes the gene: loss of function too */
		if (!strcmp(a, kind) || (kind[0] == 'd' && !strcmp(a, "loss"))) {
			if ((rc = add_ev(b, &cap, &rows[r], type_distance(s, rows[r].tumor_type),
				OB_SOM_CNV)) < 0) {
				free(b->ev);
				return rc;
			}
		}
	}
	if (b->nev) {
		cut(b->gene, sizeof b->gene, gene);
		snprintf(b->kind, sizeof b->kind, "cnv");
		snprintf(b->alteration, sizeof b->alteration, "%s", kind);
		b->value = cn;
		cut(b->source, sizeof b->source, where);
	}
	commit_bm(s, b);
	return 0;
}

static int parse_num(const char *v, double *out)
{
	char *end;
	errno = 0;
	double d = strtod(v, &end);
	if (!*v || *end || errno || !isfinite(d))
		return -1;
	*out = d;
	return 0;
}

int ob_somatic_read_cnv(ob_somatic *s, const char *path)
{
	FILE *fp = fopen(path, "r");
	char line[4096], where[320];
	long ln = 0;
	int rc = 0, cg = -1, ccn = -1, clog = -1, ccall = -1, header = 0;

	if (!fp)
		return ob_error_set(OB_ERROR, "%s: cannot open", path);
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	while (fgets(line, sizeof line, fp)) {
		char *f[64];
		ln++;
		if (!strchr(line, '\n') && !feof(fp)) {
			rc = ob_error_set(OB_EINVALID, "%s:%ld: line longer than %zu bytes", path, ln,
				sizeof line - 1);
			break;
		}
		size_t l = strlen(line);
		while (l && (line[l - 1] == '\n' || line[l - 1] == '\r'))
			line[--l] = 0;
		if (!line[0] || line[0] == '#')
			continue;
		int n = tabs(line, f, 64);
		if (!header) {
			for (int i = 0; i < n; i++) {
				if (!strcasecmp(f[i], "gene"))
					cg = i;
				else if (!strcasecmp(f[i], "copy_number"))
					ccn = i;
				else if (!strcasecmp(f[i], "log2"))
					clog = i;
				else if (!strcasecmp(f[i], "call"))
					ccall = i;
			}
			if (cg < 0 || (ccn < 0 && clog < 0 && ccall < 0)) {
				rc = ob_error_set(OB_EINVALID, "%s:%ld: header: needs a \"gene\" column and "
					"one of \"copy_number\", \"log2\", \"call\"", path, ln);
				break;
			}
			header = 1;
			continue;
		}
		double cn = -1;
		if (cg >= n || !f[cg][0]) {
			rc = ob_error_set(OB_EINVALID, "%s:%ld: gene: missing", path, ln);
			break;
		}
		if (ccn >= 0 && ccn < n && f[ccn][0]) {
			if (parse_num(f[ccn], &cn) < 0 || cn < 0) {
				rc = ob_error_set(OB_EINVALID, "%s:%ld: copy_number: '%s' is not a "
					"non-negative number", path, ln, f[ccn]);
				break;
			}
		} else if (clog >= 0 && clog < n && f[clog][0]) {
			double lg;
			if (parse_num(f[clog], &lg) < 0) {
				rc = ob_error_set(OB_EINVALID, "%s:%ld: log2: '%s' is not a number", path,
					ln, f[clog]);
				break;
			}
			cn = 2.0 * pow(2.0, lg);
		} else if (ccall >= 0 && ccall < n) {
			const char *v = f[ccall];
			if (!strcasecmp(v, "amplification") || !strcasecmp(v, "amp"))
				cn = s->o.amp_cn;
			else if (!strcasecmp(v, "deletion") || !strcasecmp(v, "del") ||
				 !strcasecmp(v, "homdel"))
				cn = 0;
			else if (!strcasecmp(v, "gain") || !strcasecmp(v, "loss") ||
				 !strcasecmp(v, "neutral") || !*v)
				continue;
			else {
				rc = ob_error_set(OB_EINVALID, "%s:%ld: call: '%s' is not amplification, "
					"deletion, gain, loss or neutral", path, ln, v);
				break;
			}
		} else {
			rc = ob_error_set(OB_EINVALID, "%s:%ld: no copy_number, log2 or call value",
				path, ln);
			break;
		}
		snprintf(where, sizeof where, "%s:%ld", base, ln);
		if ((rc = ob_somatic_add_cnv(s, f[cg], cn, where)) < 0)
			break;
	}
	if (!rc && !header)
		rc = ob_error_set(OB_EINVALID, "%s: empty (no header line)", path);
	fclose(fp);
	return rc;
}

/* ---- the whole ------------------------------------------------------- */

int ob_somatic_init(ob_somatic *s, const ob_somatic_opts *o, ob_somatic_rows_fn rows,
	const void *ctx, const char *kb_version)
{
	memset(s, 0, sizeof *s);
	s->o = *o;
	s->rows = rows;
	s->rows_ctx = ctx;
	s->kb_version = kb_version ? kb_version : "";
	s->tmb = -1;
	s->msi_score = -1;
	if (!s->o.tmb_high)
		s->o.tmb_high = OB_SOMATIC_TMB_HIGH;
	if (!s->o.msi_score_high)
		s->o.msi_score_high = OB_SOMATIC_MSI_SCORE_HIGH;
	if (!s->o.amp_cn)
		s->o.amp_cn = OB_SOMATIC_AMP_CN;
	if (!o->tumor_type || !ob_oncotree_known(o->tumor_type))
		return ob_error_set(OB_EINVALID, "unknown tumour type '%s' (not an OncoTree code)",
			o->tumor_type ? o->tumor_type : "");
	snprintf(s->tumor_type, sizeof s->tumor_type, "%s", o->tumor_type);
	s->tumor_name = ob_oncotree_name(o->tumor_type);
	if (o->msi) {
		double v;
		if (!strcasecmp(o->msi, "high") || !strcasecmp(o->msi, "msi-h"))
			s->msi_status = 1;
		else if (!strcasecmp(o->msi, "stable") || !strcasecmp(o->msi, "mss"))
			s->msi_status = 2;
		else if (parse_num(o->msi, &v) == 0 && v >= 0) {
			s->msi_score = v;
			s->msi_status = v >= s->o.msi_score_high ? 1 : 2;
		} else
			return ob_error_set(OB_EINVALID, "--msi: '%s' is not high, stable or a score",
				o->msi);
	}
	if (o->panel_size_mb < 0)
		return ob_error_set(OB_EINVALID, "--panel-size-mb: must be positive");
	return 0;
}

void ob_somatic_dispose(ob_somatic *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nbm; i++)
		free(s->bm[i].ev);
	free(s->bm);
	free(s->fus_seen);
	free(s->af);
	free(s->ad);
	memset(s, 0, sizeof *s);
}

static int tumor_wide(ob_somatic *s, const char *spec, const char *kind, const char *label,
	double value, const char *where)
{
	size_t nrows, cap = 0;
	int rc;
	const ob_kb_row *rows = s->rows(s->rows_ctx, "", &nrows);
	ob_som_biomarker *b = new_bm(s);
	if (!b)
		return ob_error_set(OB_ERROR, "out of memory");
	for (size_t r = 0; r < nrows; r++)
		if (!strcmp(rows[r].alteration, spec) &&
		    (rc = add_ev(b, &cap, &rows[r], type_distance(s, rows[r].tumor_type),
			OB_SOM_TUMOR_WIDE)) < 0) {
			free(b->ev);
			return rc;
		}
	if (b->nev) {
		snprintf(b->kind, sizeof b->kind, "%s", kind);
		snprintf(b->alteration, sizeof b->alteration, "%s", label);
		b->value = value;
		cut(b->source, sizeof b->source, where);
	}
	commit_bm(s, b);
	return 0;
}

static int cmp_ev(const void *x, const void *y)
{
	const ob_som_evidence *a = x, *b = y;
	int ao = a->distance >= 0, bo = b->distance >= 0;
	if (ao != bo)
		return bo - ao;
	if (a->row->effect != b->row->effect)
		return a->row->effect - b->row->effect;
	int la = level_rank(a->level), lb = level_rank(b->level);
	if (la != lb)
		return la - lb;
	if (a->match != b->match)
		return b->match - a->match;
	if (ao && a->distance != b->distance)
		return a->distance - b->distance;
	return strcmp(a->row->drugs, b->row->drugs);
}

static int bm_rank(const ob_som_biomarker *b)
{
	return (b->own_type ? 0 : 100) + level_rank(b->tier);
}

static int cmp_bm(const void *x, const void *y)
{
	const ob_som_biomarker *a = x, *b = y;
	int ra = bm_rank(a), rb = bm_rank(b);
	if (ra != rb)
		return ra - rb;
	int g = strcmp(a->gene, b->gene);
	return g ? g : strcmp(a->alteration, b->alteration);
}

int ob_somatic_finish(ob_somatic *s)
{
	int rc;
	char where[64];

	if (s->o.panel_size_mb > 0) {
		s->tmb = (double)s->tmb_count / s->o.panel_size_mb;
		s->tmb_high = s->tmb >= s->o.tmb_high;
		if (s->tmb_high) {
			snprintf(where, sizeof where, "computed (--panel-size-mb %g)", s->o.panel_size_mb);
			if ((rc = tumor_wide(s, "tmb-high", "tmb", "TMB-high", s->tmb, where)) < 0)
				return rc;
		}
	}
	if (s->msi_status == 1 && (rc = tumor_wide(s, "msi-high", "msi", "MSI-high", s->msi_score,
		"--msi")) < 0)
		return rc;
	for (size_t i = 0; i < s->nbm; i++) {
		ob_som_biomarker *b = &s->bm[i];
		if (b->nev)
			qsort(b->ev, b->nev, sizeof *b->ev, cmp_ev);
		b->tier = NULL;
		b->own_type = 0;
		for (size_t k = 0; k < b->nev; k++)
			if (b->ev[k].distance >= 0)
				b->own_type = 1;
		/* best sensitivity level, own type first; else best resistance */
		for (int pass = 0; pass < 4 && !b->tier; pass++)
			for (size_t k = 0; k < b->nev; k++) {
				const ob_som_evidence *e = &b->ev[k];
				if ((pass < 2) != (e->row->effect == OB_KB_SENSITIVITY) ||
				    (pass % 2 == 0) != (e->distance >= 0))
					continue;
				if (!b->tier || level_rank(e->level) < level_rank(b->tier))
					b->tier = e->level;
			}
	}
	if (s->nbm)
		qsort(s->bm, s->nbm, sizeof *s->bm, cmp_bm);
	return 0;
}

/* ---- writers ---------------------------------------------------------- */

static const char *match_name(int m)
{
	static const char *const names[] = { "none", "mutation", "oncogenic", "loss", "exon",
		"codon", "exact", "fusion", "fusion partner", "copy number", "tumour-wide" };
	return m >= 0 && m <= OB_SOM_TUMOR_WIDE ? names[m] : "?";
}

static int json_num(ob_buf *o, double v)
{
	if (v < 0)
		return ob_buf_puts(o, "null");
	return ob_buf_printf(o, "%.4g", v);
}

static int json_kv(ob_buf *o, const char *k, const char *v, int comma)
{
	int rc = ob_buf_printf(o, "%s\"%s\":", comma ? "," : "", k);
	if (!v)
		return rc | ob_buf_puts(o, "null");
	return rc | ob_buf_json_str(o, v);
}

int ob_somatic_json(const ob_somatic *s, ob_buf *o)
{
	int rc = 0;

	rc |= ob_buf_puts(o, "{");
	rc |= json_kv(o, "tumor_type", s->tumor_type, 0);
	rc |= json_kv(o, "tumor_type_name", s->tumor_name, 1);
	rc |= json_kv(o, "patient", s->o.patient, 1);
	rc |= json_kv(o, "specimen", s->o.specimen, 1);
	rc |= json_kv(o, "input", s->input, 1);
	rc |= json_kv(o, "sample", s->sample[0] ? s->sample : NULL, 1);
	rc |= json_kv(o, "kb_version", s->kb_version, 1);
	rc |= ob_buf_printf(o, ",\"counts\":{\"records\":%lld,\"passed\":%lld,\"filtered\":%lld,"
		"\"alleles\":%lld,\"unannotated_records\":%lld}", (long long)s->records,
		(long long)s->passed, (long long)s->filtered, (long long)s->alleles,
		(long long)s->unannotated);
	rc |= ob_buf_printf(o, ",\"tmb\":{\"coding_nonsynonymous\":%lld,\"panel_size_mb\":",
		(long long)s->tmb_count);
	rc |= json_num(o, s->o.panel_size_mb > 0 ? s->o.panel_size_mb : -1);
	rc |= ob_buf_puts(o, ",\"mut_per_mb\":");
	rc |= json_num(o, s->tmb);
	rc |= ob_buf_printf(o, ",\"threshold\":%g,\"high\":%s}", s->o.tmb_high,
		s->tmb < 0 ? "null" : s->tmb_high ? "true" : "false");
	rc |= ob_buf_printf(o, ",\"msi\":{\"status\":%s,\"score\":",
		s->msi_status == 1 ? "\"high\"" : s->msi_status == 2 ? "\"stable\"" : "null");
	rc |= json_num(o, s->msi_score);
	rc |= ob_buf_printf(o, ",\"score_threshold\":%g}", s->o.msi_score_high);
	rc |= ob_buf_puts(o, ",\"biomarkers\":[");
	for (size_t i = 0; i < s->nbm; i++) {
		const ob_som_biomarker *b = &s->bm[i];
		rc |= ob_buf_puts(o, i ? ",{" : "{");
		rc |= json_kv(o, "gene", b->gene, 0);
		rc |= json_kv(o, "alteration", b->alteration, 1);
		rc |= json_kv(o, "kind", b->kind, 1);
		rc |= json_kv(o, "tier", b->tier, 1);
		rc |= ob_buf_printf(o, ",\"own_tumor_type\":%s", b->own_type ? "true" : "false");
		if (b->pos) {
			rc |= json_kv(o, "chrom", b->chrom, 1);
			rc |= ob_buf_printf(o, ",\"pos\":%lld", (long long)b->pos);
			rc |= json_kv(o, "ref", b->ref, 1);
			rc |= json_kv(o, "alt", b->alt, 1);
			rc |= json_kv(o, "hgvs_c", b->hgvs_c, 1);
			rc |= json_kv(o, "hgvs_p", b->hgvs_p, 1);
			rc |= json_kv(o, "transcript", b->transcript, 1);
			rc |= json_kv(o, "transcript_choice", b->transcript_choice, 1);
			rc |= json_kv(o, "consequence", b->consequence, 1);
		}
		rc |= ob_buf_puts(o, ",\"vaf\":");
		rc |= json_num(o, b->vaf);
		rc |= ob_buf_puts(o, ",\"value\":");
		rc |= json_num(o, b->value);
		rc |= json_kv(o, "source", b->source, 1);
		rc |= ob_buf_puts(o, ",\"evidence\":[");
		for (size_t k = 0; k < b->nev; k++) {
			const ob_som_evidence *e = &b->ev[k];
			rc |= ob_buf_puts(o, k ? ",{" : "{");
			rc |= json_kv(o, "drugs", e->row->drugs, 0);
			rc |= json_kv(o, "effect", e->row->effect == OB_KB_RESISTANCE ? "resistance"
				: "sensitivity", 1);
			rc |= json_kv(o, "level", e->level, 1);
			rc |= json_kv(o, "kb_level", e->row->amp_level, 1);
			rc |= json_kv(o, "oncokb_level", e->row->oncokb_level, 1);
			rc |= json_kv(o, "kb_tumor_type", e->row->tumor_type, 1);
			rc |= ob_buf_printf(o, ",\"own_tumor_type\":%s", e->distance >= 0 ? "true"
				: "false");
			rc |= json_kv(o, "kb_alteration", e->row->alteration, 1);
			rc |= json_kv(o, "match", match_name(e->match), 1);
			rc |= json_kv(o, "sources", e->row->sources, 1);
			rc |= json_kv(o, "release", e->row->release, 1);
			rc |= ob_buf_puts(o, "}");
		}
		rc |= ob_buf_puts(o, "]}");
	}
	rc |= ob_buf_puts(o, "],\"limits\":[");
	for (int i = 0; ob_somatic_limits[i]; i++) {
		rc |= ob_buf_puts(o, i ? "," : "");
		rc |= ob_buf_json_str(o, ob_somatic_limits[i]);
	}
	rc |= ob_buf_puts(o, "]}\n");
	return rc ? ob_error_set(OB_ERROR, "out of memory") : 0;
}

static int text_ev(ob_buf *o, const ob_som_biomarker *b, int effect, int own)
{
	int rc = 0;
	for (size_t k = 0; k < b->nev; k++) {
		const ob_som_evidence *e = &b->ev[k];
		if (e->row->effect != effect || (e->distance >= 0) != own)
			continue;
		const char *tt = e->row->tumor_type;
		rc |= ob_buf_printf(o, "      %-4s %s%s%s  [%s in %s%s; %s match]\n", e->level,
			e->row->drugs, effect == OB_KB_RESISTANCE ? " (resistance)" : "",
			own ? "" : " (other tumour type)", e->row->amp_level,
			tt[0] == '!' ? "any tumour but " : "", tt[0] == '!' ? tt + 1
			: tt[0] ? tt : "any tumour", match_name(e->match));
	}
	return rc;
}

int ob_somatic_text(const ob_somatic *s, ob_buf *o)
{
	int rc = 0;

	rc |= ob_buf_printf(o, "Tumour type: %s (%s)\n", s->tumor_type,
		s->tumor_name ? s->tumor_name : "");
	if (s->o.patient || s->o.specimen)
		rc |= ob_buf_printf(o, "Patient: %s  Specimen: %s\n", s->o.patient ? s->o.patient : "-",
			s->o.specimen ? s->o.specimen : "-");
	rc |= ob_buf_printf(o, "Input: %s  sample: %s\n", s->input, s->sample[0] ? s->sample
		: "(no sample column: VAF unknown)");
	rc |= ob_buf_printf(o, "Records: %lld (%lld PASS, %lld filtered), %lld without annotation\n",
		(long long)s->records, (long long)s->passed, (long long)s->filtered,
		(long long)s->unannotated);
	if (s->tmb >= 0)
		rc |= ob_buf_printf(o, "TMB: %.2f mut/Mb (%lld coding non-synonymous / %g Mb): %s "
			"(threshold %g)\n", s->tmb, (long long)s->tmb_count, s->o.panel_size_mb,
			s->tmb_high ? "TMB-high" : "not high", s->o.tmb_high);
	else
		rc |= ob_buf_printf(o, "TMB: not computed (no --panel-size-mb); %lld coding "
			"non-synonymous\n", (long long)s->tmb_count);
	rc |= ob_buf_printf(o, "MSI: %s\n", s->msi_status == 1 ? "high" : s->msi_status == 2
		? "stable" : "not given");
	rc |= ob_buf_printf(o, "Knowledge base: %s\n\n", s->kb_version);
	if (!s->nbm)
		rc |= ob_buf_puts(o, "No actionable biomarker found in the knowledge base.\n");
	for (size_t i = 0; i < s->nbm; i++) {
		const ob_som_biomarker *b = &s->bm[i];
		rc |= ob_buf_printf(o, "%s %s  tier %s%s", b->gene[0] ? b->gene : "-", b->alteration,
			b->tier ? b->tier : "-", b->own_type ? "" : " (other tumour types only)");
		if (b->vaf >= 0)
			rc |= ob_buf_printf(o, "  VAF %.2f", b->vaf);
		if (b->value >= 0)
			rc |= ob_buf_printf(o, "  value %.3g", b->value);
		rc |= ob_buf_printf(o, "  [%s]\n", b->source);
		if (b->pos)
			rc |= ob_buf_printf(o, "    %s:%lld %s>%s %s %s %s (%s transcript)\n", b->chrom,
				(long long)b->pos, b->ref, b->alt, b->transcript, b->hgvs_c, b->consequence,
				b->transcript_choice);
		rc |= text_ev(o, b, OB_KB_SENSITIVITY, 1);
		rc |= text_ev(o, b, OB_KB_RESISTANCE, 1);
		rc |= text_ev(o, b, OB_KB_SENSITIVITY, 0);
		rc |= text_ev(o, b, OB_KB_RESISTANCE, 0);
	}
	return rc ? ob_error_set(OB_ERROR, "out of memory") : 0;
}
