/*
 * germline.c - the shipped germline tables (panels, gene knowledge, PM1
 * regions, RET ATA 2015), the classification of a germline VCF's panel
 * variants and its JSON (see germline.h). The tables are the data/TOPIC/
 * NAME.tsv files embedded at build time, parsed once.
 */
#include "interp/germline.h"
#include "interp/annread.h"
#include "genomics/codon.h"
#include "genomics/prs.h"
#include "base/error.h"
#include "base/util.h"

#include <htslib/faidx.h>
#include <htslib/vcf.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

extern const char ob_data_panels_panels[];
extern const char ob_data_acmg_genes[];
extern const char ob_data_acmg_frequency_thresholds[];
extern const char ob_data_acmg_pm1_regions[];
extern const char ob_data_ret_ata2015_risk[];
extern const char ob_data_ret_ata2015_management[];

/* ---- the tables -------------------------------------------------------- */

#define MAXROWS 128
#define MAXF 12

typedef struct table {
	char *text;                 /* the copy that fields point into */
	char *f[MAXROWS][MAXF];
	int nf[MAXROWS];
	int n;                      /* data rows (header skipped) */
} table;

static table t_panels, t_genes, t_freq, t_pm1, t_ret, t_mgmt;
static ob_acmg_gene genes[MAXROWS];
static size_t ngenes;
static ob_acmg_gene default_gene;
static ob_acmg_region regions[MAXROWS];
static size_t nregions;
static pthread_once_t loaded = PTHREAD_ONCE_INIT;

/* Splits src (TSV with a header line) into t; rows beyond MAXROWS are a
 * build-time mistake caught by the tests. */
static void split(table *t, const char *src)
{
	char *p;
	t->text = strdup(src);
	t->n = 0;
	if (!t->text)
		return;
	p = strchr(t->text, '\n');
	p = p ? p + 1 : NULL; /* header */
	while (p && *p && t->n < MAXROWS) {
		char *eol = strchr(p, '\n');
		if (eol)
			*eol = '\0';
		if (*p && *p != '#') {
			int k = 0;
			for (char *q = p; q && k < MAXF;) {
				char *tab = strchr(q, '\t');
				if (tab)
					*tab = '\0';
				t->f[t->n][k++] = q;
				q = tab ? tab + 1 : NULL;
			}
			t->nf[t->n++] = k;
		}
		p = eol ? eol + 1 : NULL;
	}
}

static double num(const char *s)
{
	double v = NAN;
	ob_parse_double(s, &v);
	return v;
}

static void set_freq(ob_acmg_gene *g, const char *sym)
{
	int star = -1, hit = -1;
	for (int i = 0; i < t_freq.n; i++) {
		if (t_freq.nf[i] < 7)
			continue;
		if (!strcmp(t_freq.f[i][0], sym))
			hit = i;
		else if (!strcmp(t_freq.f[i][0], "*"))
			star = i;
	}
	int r = hit >= 0 ? hit : star;
	if (r < 0)
		return;
	g->ba1 = num(t_freq.f[r][1]);
	g->ba1_gte = !strcmp(t_freq.f[r][2], "gte");
	g->bs1 = num(t_freq.f[r][3]);
	g->bs1_gte = !strcmp(t_freq.f[r][4], "gte");
	g->pm2 = num(t_freq.f[r][5]);
	g->freq_source = t_freq.f[r][6];
}

static void load(void)
{
	int strength;
	split(&t_panels, ob_data_panels_panels);
	split(&t_genes, ob_data_acmg_genes);
	split(&t_freq, ob_data_acmg_frequency_thresholds);
	split(&t_pm1, ob_data_acmg_pm1_regions);
	split(&t_ret, ob_data_ret_ata2015_risk);
	split(&t_mgmt, ob_data_ret_ata2015_management);
	for (int i = 0; i < t_genes.n; i++) {
		if (t_genes.nf[i] < 4)
			continue;
		ob_acmg_gene *g = &genes[ngenes++];
		g->symbol = t_genes.f[i][0];
		g->lof_mechanism = !strcmp(t_genes.f[i][1], "1");
		g->mechanism_note = t_genes.f[i][2];
		set_freq(g, g->symbol);
	}
	default_gene.symbol = "*";
	default_gene.mechanism_note = "not in oncobank's gene table (data/acmg/genes.tsv)";
	set_freq(&default_gene, "*");
	for (int i = 0; i < t_pm1.n; i++) {
		if (t_pm1.nf[i] < 6 || ob_acmg_parse_strength(t_pm1.f[i][3], &strength) < 0)
			continue;
		ob_acmg_region *r = &regions[nregions++];
		r->gene = t_pm1.f[i][0];
		r->beg = (int)strtol(t_pm1.f[i][1], NULL, 10);
		r->end = (int)strtol(t_pm1.f[i][2], NULL, 10);
		r->strength = strength;
		r->what = t_pm1.f[i][4];
		r->source = t_pm1.f[i][5];
	}
	ob_error_clear();
}

static void ensure(void)
{
	pthread_once(&loaded, load);
}

int ob_germline_panel_known(const char *name)
{
	ensure();
	for (int i = 0; i < t_panels.n; i++)
		if (!strcmp(t_panels.f[i][0], name))
			return 1;
	return 0;
}

int ob_germline_in_panel(const char *panel, const char *gene)
{
	ensure();
	if (!gene || !*gene)
		return 0;
	for (int i = 0; i < t_panels.n; i++)
		if ((!panel || !strcmp(t_panels.f[i][0], panel)) && t_panels.nf[i] > 1 &&
		    !strcmp(t_panels.f[i][1], gene))
			return 1;
	return 0;
}

void ob_germline_panel_genes(const char *panel, char *out, size_t n)
{
	size_t len = 0;
	ensure();
	out[0] = '\0';
	for (int i = 0; i < t_panels.n; i++) {
		if (panel && strcmp(t_panels.f[i][0], panel))
			continue;
		const char *g = t_panels.f[i][1];
		int seen = 0;
		for (int j = 0; j < i && !seen; j++)
			seen = (!panel || !strcmp(t_panels.f[j][0], panel)) && !strcmp(t_panels.f[j][1], g);
		if (seen)
			continue;
		int w = snprintf(out + len, n - len, "%s%s", len ? ", " : "", g);
		if (w < 0 || (size_t)w >= n - len)
			break;
		len += (size_t)w;
	}
}

const ob_acmg_gene *ob_germline_gene(const char *gene)
{
	ensure();
	for (size_t i = 0; i < ngenes; i++)
		if (!strcmp(genes[i].symbol, gene))
			return &genes[i];
	return &default_gene;
}

const ob_acmg_region *ob_germline_regions(size_t *n)
{
	ensure();
	*n = nregions;
	return regions;
}

/* ---- RET ---------------------------------------------------------------- */

static const char aa3[] = "AlaArgAsnAspCysGlnGluGlyHisIleLeuLysMetPheProSerThrTrpTyrVal";
static const char aa1[] = "ARNDCQEGHILKMFPSTWYV";

static char one_letter(const char *s, size_t *used)
{
	for (int i = 0; i < 20; i++)
		if (!strncmp(s, aa3 + 3 * i, 3)) {
			*used = 3;
			return aa1[i];
		}
	if (*s && strchr(aa1, *s)) {
		*used = 1;
		return *s;
	}
	*used = 0;
	return 0;
}

/* "p.Met918Thr", "p.(Met918Thr)", "M918T" -> 'M', 918, 'T' */
static int parse_missense(const char *p, char *ref, int *codon, char *alt)
{
	size_t u;
	char *end;
	if (!strncmp(p, "p.", 2))
		p += 2;
	if (*p == '(')
		p++;
	if (!(*ref = one_letter(p, &u)))
		return 0;
	p += u;
	long c = strtol(p, &end, 10);
	if (end == p || c <= 0)
		return 0;
	*codon = (int)c;
	if (!(*alt = one_letter(end, &u)))
		return 0;
	return 1;
}

int ob_germline_ret_risk(const char *pc, ob_ret_risk *out)
{
	char ref, alt;
	int codon;

	ensure();
	memset(out, 0, sizeof *out);
	if (!pc || !parse_missense(pc, &ref, &codon, &alt))
		return 0;
	out->codon = codon;
	for (int i = 0; i < t_ret.n; i++) {
		if (t_ret.nf[i] < 6 || (int)strtol(t_ret.f[i][0], NULL, 10) != codon)
			continue;
		const char *listed = t_ret.f[i][2];
		snprintf(out->listed, sizeof out->listed, "%s", listed);
		/* tokens "C634F/G/R/S/W/Y" or "V804L;V804M" */
		int hit = 0;
		for (const char *p = listed; p && *p && !hit;) {
			const char *semi = strchr(p, ';');
			const char *e = semi ? semi : p + strlen(p);
			const char *q = p;
			if (*q == ref)
				while (++q < e && *q >= '0' && *q <= '9')
					;
			for (; q < e && !hit; q++)
				hit = *q == alt && (q[-1] == '/' || (q[-1] >= '0' && q[-1] <= '9'));
			p = semi ? semi + 1 : NULL;
		}
		if (!hit) {
			snprintf(out->note, sizeof out->note, "codon %d is listed by ATA 2015 only for %s; "
				"this substitution is not: no ATA risk category", codon, listed);
			return 0;
		}
		snprintf(out->code, sizeof out->code, "%s", t_ret.f[i][4]);
		snprintf(out->label, sizeof out->label, "%s", t_ret.f[i][5]);
		for (int j = 0; j < t_mgmt.n; j++)
			if (t_mgmt.nf[j] >= 5 && !strcmp(t_mgmt.f[j][0], out->code)) {
				snprintf(out->thyroidectomy, sizeof out->thyroidectomy, "%s", t_mgmt.f[j][2]);
				snprintf(out->pheo, sizeof out->pheo, "%s", t_mgmt.f[j][3]);
				snprintf(out->hpth, sizeof out->hpth, "%s", t_mgmt.f[j][4]);
			}
		return 1;
	}
	snprintf(out->note, sizeof out->note, "codon %d is not in the ATA 2015 table", codon);
	return 0;
}

int ob_germline_ret_locus(const char *build, const char *chrom, int64_t pos, const char *ref,
	const char *alt, char *pchange, size_t n, ob_ret_risk *out)
{
	int col = strstr(build, "37") ? 8 : strstr(build, "38") ? 9 : -1;
	static const char b[] = "ACGT";

	ensure();
	memset(out, 0, sizeof *out);
	if (n)
		*pchange = '\0';
	if (!strncasecmp(chrom, "chr", 3))
		chrom += 3;
	if (col < 0 || strcmp(chrom, "10") || strlen(ref) != 1 || strlen(alt) != 1)
		return 0;
	for (int i = 0; i < t_ret.n; i++) {
		int64_t first;
		if (t_ret.nf[i] <= col || !*t_ret.f[i][col] || ob_parse_i64(t_ret.f[i][col], &first) < 0)
			continue;
		if (pos < first || pos > first + 2)
			continue;
		int off = (int)(pos - first), codon = (int)strtol(t_ret.f[i][0], NULL, 10);
		char want = t_ret.f[i][1][0], altaa = 0;
		out->codon = codon;
		/* every codon of the reference amino acid with REF at off */
		for (int c = 0; c < 64; c++) {
			char cod[4] = { b[c >> 4], b[(c >> 2) & 3], b[c & 3], '\0' };
			if (ob_codon_translate(cod) != want || cod[off] != (ref[0] & ~32))
				continue;
			cod[off] = (char)(alt[0] & ~32);
			char a = ob_codon_translate(cod);
			if (altaa && a != altaa) {
				snprintf(out->note, sizeof out->note, "codon %d: the change cannot be "
					"translated without the codon's sequence", codon);
				return 0;
			}
			altaa = a;
		}
		if (!altaa || altaa == 'X')
			return 0;
		const char *r3 = ob_aa_three(want), *a3 = ob_aa_three(altaa);
		snprintf(pchange, n, "p.%s%d%s", r3, codon, altaa == want ? "=" : a3);
		return altaa != want && ob_germline_ret_risk(pchange, out);
	}
	return 0;
}

/* ---- classification ---------------------------------------------------- */

int ob_germline_tier(int c)
{
	if (c == OB_ACMG_PATHOGENIC || c == OB_ACMG_LIKELY_PATHOGENIC)
		return 1;
	if (c == OB_ACMG_BENIGN || c == OB_ACMG_LIKELY_BENIGN)
		return -1;
	return 0;
}

static void recompute(ob_germline_var *v, int strict)
{
	int pvs1 = 0, pm2s = 0;
	ob_acmg_count(v->crit, v->ncrit, &v->counts);
	ob_acmg_combine(&v->counts, &v->result);
	v->points = ob_acmg_points(v->crit, v->ncrit);
	v->svi_pm2_rule = 0;
	for (size_t i = 0; i < v->ncrit; i++) {
		pvs1 |= !strcmp(v->crit[i].code, "PVS1") && v->crit[i].strength == OB_ACMG_VERY_STRONG;
		pm2s |= !strcmp(v->crit[i].code, "PM2") && v->crit[i].strength == OB_ACMG_SUPPORTING;
	}
	/* ClinGen SVI 2020 (PM2 recommendation): PVS1 + PM2_Supporting is
	 * Likely pathogenic, which strict Table 5 counts call VUS. */
	if (!strict && pvs1 && pm2s && v->result.path_side == OB_ACMG_VUS) {
		v->result.path_side = OB_ACMG_LIKELY_PATHOGENIC;
		snprintf(v->result.path_rules, sizeof v->result.path_rules, "LP.svi2020");
		v->svi_pm2_rule = 1;
		if (v->result.benign_side != OB_ACMG_VUS) {
			v->result.conflict = 1;
			v->result.cls = OB_ACMG_VUS;
		} else {
			v->result.cls = OB_ACMG_LIKELY_PATHOGENIC;
		}
	}
	if (v->cv_found) {
		int c = ob_clinvar_acmg_class(v->cv.cls);
		v->cv_disagree = c >= 0 && ob_germline_tier(c) != ob_germline_tier(v->result.cls);
	}
}

void ob_germline_classify(ob_germline_var *v, const ob_acmg_facts *f, int strict)
{
	size_t nreg;
	const ob_acmg_region *reg = ob_germline_regions(&nreg);
	v->ncrit = ob_acmg_evaluate(f, ob_germline_gene(f->gene), reg, nreg, v->crit,
		OB_GERMLINE_MAXCRIT);
	recompute(v, strict);
}

/* ---- manual evidence ----------------------------------------------------- */

typedef struct evidence {
	char key[160], code[8], reviewer[64], note[256];
	int strength, used;
	int64_t line;
} evidence;

static int load_evidence(const char *path, evidence **out, size_t *n)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	int64_t ln = 0;
	size_t cap = 0;
	int rc = 0;

	*out = NULL;
	*n = 0;
	if (!f)
		return ob_error_set(OB_ERROR, "%s: cannot open", path);
	while (fgets(line, sizeof line, f)) {
		char *fld[5] = { NULL, NULL, NULL, NULL, NULL };
		int nf = 0;
		ln++;
		if (!strchr(line, '\n') && !feof(f)) {
			rc = ob_error_set(OB_EINVALID, "%s:%lld: line longer than 1023 bytes", path,
				(long long)ln);
			break;
		}
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0] || line[0] == '#' || (ln == 1 && !strncmp(line, "variant\t", 8)))
			continue;
		for (char *p = line; p && nf < 5;) {
			char *tab = strchr(p, '\t');
			if (tab)
				*tab = '\0';
			fld[nf++] = p;
			p = tab ? tab + 1 : NULL;
		}
		if (nf < 4) {
			rc = ob_error_set(OB_EINVALID, "%s:%lld: expected variant, criterion, strength, "
				"reviewer[, note] separated by tabs", path, (long long)ln);
			break;
		}
		if (*n == cap) {
			size_t nc = cap ? cap * 2 : 16;
			evidence *e = realloc(*out, nc * sizeof *e);
			if (!e) {
				rc = ob_error_set(OB_ERROR, "out of memory");
				break;
			}
			*out = e;
			cap = nc;
		}
		evidence *e = &(*out)[*n];
		memset(e, 0, sizeof *e);
		e->line = ln;
		if (strchr(fld[0], ':') == NULL || strlen(fld[0]) >= sizeof e->key) {
			rc = ob_error_set(OB_EINVALID, "%s:%lld: variant: '%s' is not CHROM:POS:REF:ALT",
				path, (long long)ln, fld[0]);
			break;
		}
		snprintf(e->key, sizeof e->key, "%s", fld[0]);
		if (ob_acmg_parse_label(fld[1], e->code, &e->strength) < 0) {
			rc = ob_error_set(OB_EINVALID, "%s:%lld: criterion: %s", path, (long long)ln,
				ob_error_last());
			break;
		}
		if (*fld[2] && ob_acmg_parse_strength(fld[2], &e->strength) < 0) {
			rc = ob_error_set(OB_EINVALID, "%s:%lld: strength: %s", path, (long long)ln,
				ob_error_last());
			break;
		}
		if (e->strength == OB_ACMG_STAND_ALONE && strcmp(e->code, "BA1")) {
			rc = ob_error_set(OB_EINVALID, "%s:%lld: strength: only BA1 is stand-alone", path,
				(long long)ln);
			break;
		}
		if (!*fld[3]) {
			rc = ob_error_set(OB_EINVALID, "%s:%lld: reviewer: empty (manual evidence needs "
				"its reviewer)", path, (long long)ln);
			break;
		}
		snprintf(e->reviewer, sizeof e->reviewer, "%s", fld[3]);
		snprintf(e->note, sizeof e->note, "%s", nf > 4 ? fld[4] : "");
		(*n)++;
	}
	fclose(f);
	if (rc < 0) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

/* "chr17:100:A:G" and "17:100:A:G" name the same variant. */
static int same_key(const char *a, const char *b)
{
	if (!strncasecmp(a, "chr", 3))
		a += 3;
	if (!strncasecmp(b, "chr", 3))
		b += 3;
	return !strcmp(a, b);
}

static void apply_evidence(ob_germline_var *v, evidence *ev, size_t nev, int strict)
{
	for (size_t i = 0; i < nev; i++) {
		char src[64], why[400];
		if (!same_key(ev[i].key, v->key))
			continue;
		ev[i].used = 1;
		snprintf(src, sizeof src, "reviewer %s", ev[i].reviewer);
		snprintf(why, sizeof why, "manual evidence%s%s", ev[i].note[0] ? ": " : "", ev[i].note);
		if (ob_acmg_set(v->crit, &v->ncrit, OB_GERMLINE_MAXCRIT, ev[i].code, ev[i].strength, src,
		                why) == 0)
			v->manual = 1;
	}
	if (v->manual)
		recompute(v, strict);
}

/* ---- reading the VCF ------------------------------------------------------ */

/* Exon geometry of transcript tid at chrom:pos from the models: NMD escape
 * (last exon, or last 50 nt of the penultimate) and the protein length. */
static void geometry(const ob_gff *g, const char *chrom, int64_t pos, const char *tid,
	int *escape, int *plen)
{
	const ob_tx *near[64];
	size_t k, tl = strlen(tid);

	*escape = -1;
	*plen = 0;
	if (!g || !*tid)
		return;
	k = ob_gff_near(g, chrom, pos, pos, 0, near, 64);
	if (k == 0 && !strncasecmp(chrom, "chr", 3))
		k = ob_gff_near(g, chrom + 3, pos, pos, 0, near, 64);
	for (size_t i = 0; i < k && i < 64; i++) {
		const ob_tx *t = near[i];
		size_t il = strlen(t->id);
		if (!(il <= tl && !strncmp(t->id, tid, il) && (il == tl || tid[il] == '.')))
			continue;
		int64_t cds = 0;
		for (size_t c = 0; c < t->ncds; c++)
			cds += t->cds[c].end - t->cds[c].beg + 1;
		*plen = (int)(cds / 3);
		if (t->nexon == 0)
			return;
		/* exon index in transcript order */
		for (size_t e = 0; e < t->nexon; e++) {
			if (pos < t->exon[e].beg || pos > t->exon[e].end)
				continue;
			size_t rank = t->strand > 0 ? e : t->nexon - 1 - e;
			if (rank == t->nexon - 1) {
				*escape = 1;
			} else if (rank + 2 == t->nexon) {
				int64_t to3 = t->strand > 0 ? t->exon[e].end - pos : pos - t->exon[e].beg;
				*escape = to3 < 50;
			} else {
				*escape = 0;
			}
			return;
		}
		return;
	}
}

/* Repeat context of an in-frame indel (anchored VCF alleles): 1 when the
 * reference holds the indel's repeat unit in tandem over at least three
 * times the indel's length at the site (e.g. a deleted GAG in GAGGAGGAG),
 * 0 when not or when the change is no indel, -1 unknown (no reference,
 * complex allele, contig missing). */
static int repeat_context(const faidx_t *fai, const char *chrom, int64_t pos, const char *ref,
	const char *alt)
{
	size_t rl = strlen(ref), al = strlen(alt), k = 0, d, p;
	const char *ind;
	char ctg[64];
	int64_t s, beg, end;
	hts_pos_t len = 0;
	char *w;
	int n = 0;

	if (rl == al)
		return 0;
	if (!fai)
		return -1;
	while (k < rl && k < al && ref[k] == alt[k])
		k++;
	if (k == 0 || k != (rl < al ? rl : al))
		return -1;
	ind = (rl > al ? ref : alt) + k;
	d = (rl > al ? rl : al) - k;
	for (p = 1; p < d; p++) {
		size_t i;
		if (d % p)
			continue;
		for (i = p; i < d && ind[i] == ind[i - p]; i++)
			;
		if (i == d)
			break;
	}
	snprintf(ctg, sizeof ctg, "%s", chrom);
	if (!faidx_has_seq(fai, ctg))
		snprintf(ctg, sizeof ctg, !strncasecmp(chrom, "chr", 3) ? "%s" : "chr%s",
			!strncasecmp(chrom, "chr", 3) ? chrom + 3 : chrom);
	if (!faidx_has_seq(fai, ctg))
		return -1;
	s = pos - 1 + (int64_t)k; /* 0-based first base after the anchor */
	beg = s - 3 * (int64_t)d - 3 > 0 ? s - 3 * (int64_t)d - 3 : 0;
	end = s + 4 * (int64_t)d + 3;
	if (!(w = faidx_fetch_seq64(fai, ctg, beg, end, &len)) || len <= 0) {
		free(w);
		return -1;
	}
	int64_t at = s - beg;
	for (int64_t i = at; i + (int64_t)p <= len && !strncasecmp(w + i, ind, p); i += (int64_t)p)
		n++;
	for (int64_t i = at - (int64_t)p; i >= 0 && !strncasecmp(w + i, ind, p); i -= (int64_t)p)
		n++;
	free(w);
	return (size_t)n * p >= 3 * d;
}

static double info_num(bcf_hdr_t *h, bcf1_t *rec, const char *key, int allele, float **fv,
	int *nf, char **sv, int *ns)
{
	int id = bcf_hdr_id2int(h, BCF_DT_ID, key);
	if (id < 0 || !bcf_hdr_idinfo_exists(h, BCF_HL_INFO, id))
		return NAN;
	int type = bcf_hdr_id2type(h, BCF_HL_INFO, id);
	int num = bcf_hdr_id2length(h, BCF_HL_INFO, id);
	int idx = num == BCF_VL_A ? allele - 1 : num == BCF_VL_R ? allele : 0;
	if (type == BCF_HT_REAL) {
		int k = bcf_get_info_float(h, rec, key, fv, nf);
		if (k <= idx || bcf_float_is_missing((*fv)[idx]) || bcf_float_is_vector_end((*fv)[idx]))
			return NAN;
		return (*fv)[idx];
	}
	if (type == BCF_HT_STR) {
		/* VEP/dbNSFP write scores as text, sometimes "0.5&." or "0.5,0.6" */
		if (bcf_get_info_string(h, rec, key, sv, ns) < 0)
			return NAN;
		char *p = *sv;
		for (int i = 0; i < idx && p; i++) {
			p = strchr(p, ',');
			p = p ? p + 1 : NULL;
		}
		if (!p)
			return NAN;
		char *end;
		double v = strtod(p, &end);
		return end == p ? NAN : v;
	}
	return NAN;
}

/* The sample's polygenic score and, with a reference distribution, its
 * percentile (src/genomics/prs.h). */
static int polygenic(ob_germline *g, const ob_germline_opts *o)
{
	ob_prs_refdist rd;
	ob_prs_sample ps;
	ob_prs_risk risk;
	const char *sample = o->prs_sample ? o->prs_sample : g->sample;
	const char *base = strrchr(o->prs_score, '/');
	int rc;

	if (!o->prs_genotypes)
		return ob_error_set(OB_EUSAGE, "a polygenic score needs the genotypes it is applied to");
	if (!*sample)
		return ob_error_set(OB_EUSAGE, "polygenic score: the germline VCF names no sample; "
			"name the one in the genotypes");
	if (o->prs_ref_dist && (rc = ob_prs_refdist_load(&rd, o->prs_ref_dist)) < 0)
		return rc;
	if ((rc = ob_prs_one(o->prs_score, o->prs_genotypes, sample, o->prs_ref_dist ? &rd : NULL,
	                     NULL, &ps, &risk)) < 0)
		return rc;
	g->have_prs = 1;
	snprintf(g->prs_score_file, sizeof g->prs_score_file, "%s", base ? base + 1 : o->prs_score);
	snprintf(g->prs_sample, sizeof g->prs_sample, "%s", sample);
	g->prs_score = ps.score;
	g->prs_used = ps.variants_used;
	g->prs_missing = ps.variants_missing;
	if (o->prs_ref_dist && risk.category) {
		g->have_prs_risk = 1;
		g->prs_z = risk.z;
		g->prs_percentile = risk.percentile;
		g->prs_relative_risk = risk.relative_risk;
		snprintf(g->prs_category, sizeof g->prs_category, "%s", risk.category);
	}
	return 0;
}

static int push(ob_germline *g, ob_germline_var **v)
{
	if (g->nvar == g->cap) {
		size_t nc = g->cap ? g->cap * 2 : 32;
		ob_germline_var *n = realloc(g->var, nc * sizeof *n);
		if (!n)
			return ob_error_set(OB_ERROR, "out of memory");
		g->var = n;
		g->cap = nc;
	}
	*v = &g->var[g->nvar++];
	memset(*v, 0, sizeof **v);
	return 0;
}

static void allele_copy(char *dst, size_t n, const char *s)
{
	if (strlen(s) < n)
		snprintf(dst, n, "%s", s);
	else
		snprintf(dst, n, "%.*s...", (int)(n - 4), s);
}

int ob_germline_run(const char *in, const ob_germline_opts *o, ob_germline **out)
{
	ob_germline *g = NULL;
	ob_annread *r = NULL;
	evidence *ev = NULL;
	size_t nev = 0;
	float *fv = NULL;
	char *sv = NULL;
	int32_t *gt = NULL;
	int nfv = 0, nsv = 0, ngt = 0, rc = 0, have_af, have_cv = 0;
	const char *af_field = o->af_field ? o->af_field : "gnomAD_AF";
	const char *revel_field = o->revel_field ? o->revel_field : "REVEL";
	faidx_t *fai = NULL;
	char build[16] = "";
	bcf_hdr_t *hdr;

	*out = NULL;
	ensure();
	if (o->panel && !ob_germline_panel_known(o->panel))
		return ob_error_set(OB_EUSAGE, "panel '%s': expected breast, thyroid or "
			"hereditary-cancer", o->panel);
	if (o->evidence && (rc = load_evidence(o->evidence, &ev, &nev)) < 0)
		return rc;
	if (!(g = calloc(1, sizeof *g))) {
		rc = ob_error_set(OB_ERROR, "out of memory");
		goto out;
	}
	snprintf(g->input, sizeof g->input, "%s", in);
	snprintf(g->panel, sizeof g->panel, "%s", o->panel ? o->panel : "all");
	ob_germline_panel_genes(o->panel, g->panel_genes, sizeof g->panel_genes);
	snprintf(g->af_field, sizeof g->af_field, "%s", af_field);
	g->strict_2015 = o->strict_2015;
	g->evidence_rows = (int64_t)nev;
	if (o->store && ob_clinvar_have(o->store)) {
		ob_stmt *q;
		have_cv = 1;
		if (ob_store_prepare(o->store, "SELECT file_date, reference FROM clinvar_release"
		                     " ORDER BY file_date DESC, id DESC LIMIT 1", &q) == 0) {
			if (ob_stmt_step(q) == OB_ROW)
				snprintf(g->clinvar_release, sizeof g->clinvar_release, "%s (%s)",
					ob_stmt_text(q, 0), ob_stmt_text(q, 1));
			ob_stmt_reset(q);
		}
	}
	if (o->fasta && !(fai = fai_load(o->fasta))) {
		rc = ob_error_set(OB_ERROR, "%s: cannot read the reference (or its index)", o->fasta);
		goto out;
	}
	if ((rc = ob_annread_open(&r, in, o->annotator)) < 0)
		goto out;
	hdr = ob_annread_header(r);
	{
		int id = bcf_hdr_id2int(hdr, BCF_DT_ID, af_field);
		have_af = id >= 0 && bcf_hdr_idinfo_exists(hdr, BCF_HL_INFO, id);
	}
	if (bcf_hdr_nsamples(hdr) > 0)
		snprintf(g->sample, sizeof g->sample, "%s", hdr->samples[0]);
	{
		/* the genome build, for RET codons located without annotation */
		bcf_hrec_t *hr = bcf_hdr_get_hrec(hdr, BCF_HL_GEN, "reference", NULL, NULL);
		const char *v = hr && hr->value ? hr->value : "";
		if (strstr(v, "38"))
			snprintf(build, sizeof build, "GRCh38");
		else if (strstr(v, "37") || strstr(v, "19"))
			snprintf(build, sizeof build, "GRCh37");
	}

	for (;;) {
		bcf1_t *rec;
		const ob_csq *csq;
		int n, k = ob_annread_next(r, &rec, &csq, &n);
		if (k == 0)
			break;
		if (k < 0) {
			rc = k;
			goto out;
		}
		g->records++;
		int ng = bcf_hdr_nsamples(hdr) > 0 ? bcf_get_genotypes(hdr, rec, &gt, &ngt) : -1;
		int ploidy = ng > 0 ? ng / bcf_hdr_nsamples(hdr) : 0;
		for (int a = 1; a < rec->n_allele; a++) {
			const char *alt = rec->d.allele[a];
			const ob_csq *c = NULL;
			int carried = ploidy == 0;
			g->alleles++;
			for (int p = 0; p < ploidy; p++)
				if (!bcf_gt_is_missing(gt[p]) && gt[p] != bcf_int32_vector_end &&
				    bcf_gt_allele(gt[p]) == a)
					carried = 1;
			if (!carried)
				continue;
			for (int pass = 0; pass < 2 && !c; pass++)
				for (int i = 0; i < n && !c; i++)
					if (!strcmp(csq[i].allele, alt) && (pass || csq[i].picked) &&
					    ob_germline_in_panel(o->panel, csq[i].gene))
						c = &csq[i];
			ob_csq fake;
			char pchange[32], cons[24];
			ob_ret_risk rr;
			if (!c && n == 0 && build[0] && ob_germline_in_panel(o->panel, "RET")) {
				/* no annotation: RET codons the table anchors in this build */
				ob_germline_ret_locus(build, bcf_seqname(hdr, rec), rec->pos + 1,
					rec->d.allele[0], alt, pchange, sizeof pchange, &rr);
				if (rr.codon > 0 && pchange[0]) {
					snprintf(cons, sizeof cons, "%s", strstr(pchange, "Ter") ? "stop_gained"
						: strchr(pchange, '=') ? "synonymous_variant" : "missense_variant");
					memset(&fake, 0, sizeof fake);
					fake.allele = alt;
					fake.consequence = cons;
					fake.impact = "";
					fake.gene = "RET";
					fake.transcript = "NM_020975";
					fake.biotype = "protein_coding";
					fake.hgvs_c = "";
					fake.hgvs_p = pchange;
					fake.protein_pos = rr.codon;
					c = &fake;
				}
			}
			if (!c)
				continue;
			g->in_panel++;
			ob_germline_var *v = NULL;
			if ((rc = push(g, &v)) < 0)
				goto out;
			const char *chrom = bcf_seqname(hdr, rec);
			snprintf(v->chrom, sizeof v->chrom, "%s", chrom);
			v->pos = rec->pos + 1;
			allele_copy(v->ref, sizeof v->ref, rec->d.allele[0]);
			allele_copy(v->alt, sizeof v->alt, alt);
			snprintf(v->key, sizeof v->key, "%s:%lld:%s:%s", chrom, (long long)v->pos,
				rec->d.allele[0], alt);
			if (ploidy > 0) {
				size_t len = 0;
				for (int p = 0; p < ploidy && gt[p] != bcf_int32_vector_end; p++) {
					int w = snprintf(v->genotype + len, sizeof v->genotype - len, "%s%s",
						p ? (bcf_gt_is_phased(gt[p]) ? "|" : "/") : "", "");
					len += (size_t)w;
					if (bcf_gt_is_missing(gt[p]))
						w = snprintf(v->genotype + len, sizeof v->genotype - len, ".");
					else
						w = snprintf(v->genotype + len, sizeof v->genotype - len, "%d",
							bcf_gt_allele(gt[p]));
					len += (size_t)w;
					if (len >= sizeof v->genotype - 4)
						break;
				}
			}
			snprintf(v->gene, sizeof v->gene, "%s", c->gene);
			snprintf(v->transcript, sizeof v->transcript, "%s", c->transcript);
			snprintf(v->consequence, sizeof v->consequence, "%s", c->consequence);
			snprintf(v->hgvs_c, sizeof v->hgvs_c, "%s", c->hgvs_c);
			snprintf(v->hgvs_p, sizeof v->hgvs_p, "%s", strcmp(c->hgvs_p, ".") ? c->hgvs_p : "");
			if (!strcmp(v->hgvs_c, "."))
				v->hgvs_c[0] = '\0';
			v->protein_pos = c->protein_pos;
			v->af = info_num(hdr, rec, af_field, a, &fv, &nfv, &sv, &nsv);
			v->revel = info_num(hdr, rec, revel_field, a, &fv, &nfv, &sv, &nsv);

			ob_acmg_facts f;
			memset(&f, 0, sizeof f);
			f.gene = v->gene;
			f.consequence = v->consequence;
			f.hgvs_p = v->hgvs_p;
			f.protein_pos = v->protein_pos;
			f.exon = c->exon;
			f.exon_count = c->exon_count;
			f.intron = c->intron;
			f.intron_count = c->intron_count;
			f.repeat = -1;
			if (strstr(v->consequence, "inframe") || strstr(v->consequence, "stop_lost"))
				f.repeat = repeat_context(fai, chrom, v->pos, rec->d.allele[0], alt);
			geometry(o->models, chrom, v->pos, v->transcript, &f.nmd_escape, &f.protein_len);
			f.have_af = have_af;
			f.af = v->af;
			f.af_field = af_field;
			f.revel = v->revel;
			if (have_cv) {
				f.have_clinvar = 1;
				rc = ob_clinvar_find(o->store, chrom, v->pos, rec->d.allele[0], alt, &v->cv);
				if (rc == 0) {
					v->cv_found = 1;
					v->cv_expert = v->cv.stars >= 3;
				} else if (rc != OB_ENOTFOUND) {
					goto out;
				}
				if ((rc = ob_clinvar_residue(o->store, v->gene, v->protein_pos, v->hgvs_p, chrom,
				                             v->pos, rec->d.allele[0], alt, &f.cv)) < 0)
					goto out;
			}
			ob_germline_classify(v, &f, o->strict_2015);
			apply_evidence(v, ev, nev, o->strict_2015);
			if (!strcmp(v->gene, "RET")) {
				v->ret_found = ob_germline_ret_risk(v->hgvs_p, &v->ret);
				if (!v->ret_found && !v->ret.note[0] && v->hgvs_p[0])
					snprintf(v->ret.note, sizeof v->ret.note, "%s is not a missense change "
						"listed by ATA 2015", v->hgvs_p);
			}
		}
	}
	for (size_t i = 0; i < nev; i++)
		g->evidence_unmatched += !ev[i].used;
	if (o->prs_score && (rc = polygenic(g, o)) < 0)
		goto out;
	*out = g;
	g = NULL;
	rc = 0;
out:
	ob_annread_free(r);
	if (fai)
		fai_destroy(fai);
	ob_germline_free(g);
	free(ev);
	free(fv);
	free(sv);
	free(gt);
	return rc;
}

void ob_germline_free(ob_germline *g)
{
	if (!g)
		return;
	free(g->var);
	free(g);
}

/* ---- JSON ----------------------------------------------------------------- */

static void kv(ob_buf *o, const char *k, const char *v, int comma)
{
	ob_buf_printf(o, "%s\"%s\":", comma ? "," : "", k);
	ob_buf_json_str(o, v ? v : "");
}

static void knum(ob_buf *o, const char *k, double v)
{
	if (isnan(v))
		ob_buf_printf(o, ",\"%s\":null", k);
	else
		ob_buf_printf(o, ",\"%s\":%.6g", k, v);
}

int ob_germline_json(const ob_germline *g, ob_buf *o)
{
	ob_buf_puts(o, "{");
	kv(o, "input", g->input, 0);
	kv(o, "sample", g->sample, 1);
	kv(o, "panel", g->panel, 1);
	kv(o, "panel_genes", g->panel_genes, 1);
	kv(o, "af_field", g->af_field, 1);
	kv(o, "clinvar_release", g->clinvar_release, 1);
	kv(o, "combining_rules", g->strict_2015 ? "ACMG/AMP 2015 Table 5"
		: "ACMG/AMP 2015 Table 5 + ClinGen SVI 2020 (PVS1 + PM2_Supporting = LP)", 1);
	if (g->have_prs) {
		ob_buf_puts(o, ",\"prs\":{");
		kv(o, "score_file", g->prs_score_file, 0);
		kv(o, "sample", g->prs_sample, 1);
		ob_buf_printf(o, ",\"score\":%.6g,\"variants_used\":%d,\"variants_missing\":%d",
			g->prs_score, g->prs_used, g->prs_missing);
		if (g->have_prs_risk) {
			ob_buf_printf(o, ",\"z\":%.4g,\"percentile\":%.4g,\"relative_risk\":%.4g",
				g->prs_z, g->prs_percentile, g->prs_relative_risk);
			kv(o, "category", g->prs_category, 1);
		}
		ob_buf_puts(o, "}");
	}
	ob_buf_printf(o, ",\"records\":%lld,\"alleles\":%lld,\"in_panel\":%lld,"
		"\"evidence_rows\":%lld,\"evidence_unmatched\":%lld,\"variants\":[",
		(long long)g->records, (long long)g->alleles, (long long)g->in_panel,
		(long long)g->evidence_rows, (long long)g->evidence_unmatched);
	for (size_t i = 0; i < g->nvar; i++) {
		const ob_germline_var *v = &g->var[i];
		ob_buf_puts(o, i ? ",{" : "{");
		kv(o, "variant", v->key, 0);
		kv(o, "chrom", v->chrom, 1);
		ob_buf_printf(o, ",\"pos\":%lld", (long long)v->pos);
		kv(o, "ref", v->ref, 1);
		kv(o, "alt", v->alt, 1);
		kv(o, "genotype", v->genotype, 1);
		kv(o, "gene", v->gene, 1);
		kv(o, "transcript", v->transcript, 1);
		kv(o, "consequence", v->consequence, 1);
		kv(o, "hgvs_c", v->hgvs_c, 1);
		kv(o, "hgvs_p", v->hgvs_p, 1);
		knum(o, "af", v->af);
		knum(o, "revel", v->revel);
		kv(o, "class", ob_acmg_class_name(v->result.cls), 1);
		ob_buf_printf(o, ",\"conflict\":%s", v->result.conflict ? "true" : "false");
		kv(o, "pathogenic_rules", v->result.path_rules, 1);
		kv(o, "benign_rules", v->result.benign_rules, 1);
		ob_buf_printf(o, ",\"points\":%d,\"manual_evidence\":%s,\"criteria\":[", v->points,
			v->manual ? "true" : "false");
		int first = 1;
		for (size_t j = 0; j < v->ncrit; j++) {
			const ob_acmg_crit *c = &v->crit[j];
			char lab[32];
			ob_acmg_label(c->code, c->strength, lab, sizeof lab);
			ob_buf_puts(o, first ? "{" : ",{");
			first = 0;
			kv(o, "code", c->code, 0);
			kv(o, "label", lab, 1);
			kv(o, "strength", ob_acmg_strength_name(c->strength), 1);
			ob_buf_printf(o, ",\"applied\":%s", c->strength ? "true" : "false");
			kv(o, "source", c->source, 1);
			kv(o, "reason", c->reason, 1);
			ob_buf_puts(o, "}");
		}
		ob_buf_puts(o, "],\"clinvar\":");
		if (v->cv_found) {
			ob_buf_printf(o, "{\"variation_id\":%lld", (long long)v->cv.variation_id);
			kv(o, "significance", v->cv.significance, 1);
			kv(o, "review_status", v->cv.review_status, 1);
			ob_buf_printf(o, ",\"stars\":%d,\"expert\":%s,\"disagrees\":%s", v->cv.stars,
				v->cv_expert ? "true" : "false", v->cv_disagree ? "true" : "false");
			kv(o, "conditions", v->cv.conditions, 1);
			ob_buf_puts(o, "}");
		} else {
			ob_buf_puts(o, "null");
		}
		ob_buf_puts(o, ",\"ret_ata2015\":");
		if (v->ret_found) {
			ob_buf_puts(o, "{");
			kv(o, "category", v->ret.code, 0);
			kv(o, "risk", v->ret.label, 1);
			kv(o, "listed", v->ret.listed, 1);
			kv(o, "prophylactic_thyroidectomy", v->ret.thyroidectomy, 1);
			kv(o, "pheochromocytoma_screening", v->ret.pheo, 1);
			kv(o, "hyperparathyroidism_screening", v->ret.hpth, 1);
			ob_buf_puts(o, "}");
		} else if (v->ret.note[0]) {
			ob_buf_puts(o, "{");
			kv(o, "category", "", 0);
			kv(o, "note", v->ret.note, 1);
			ob_buf_puts(o, "}");
		} else {
			ob_buf_puts(o, "null");
		}
		ob_buf_puts(o, "}");
	}
	ob_buf_puts(o, "]}\n");
	return o->failed ? ob_error_set(OB_ERROR, "out of memory") : 0;
}
