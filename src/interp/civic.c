/*
 * civic.c - the CIViC importer (civic.h): the variant-name and disease
 * mappings, then one streaming pass over the export that writes a release
 * into kb_release / kb_evidence / kb_unmapped inside one transaction. Lines
 * are read with htslib (plain or gzip); one line is held at a time.
 */
#include "interp/civic.h"
#include "interp/kb.h"
#include "interp/oncotree.h"
#include "bank/access.h"
#include "bank/audit.h"
#include "base/error.h"
#include "base/util.h"
#include "store/store.h"

#include <ctype.h>
#include <htslib/hts.h>
#include <htslib/kstring.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

extern const char ob_data_kb_civic_disease_oncotree[];

static const char *const reason_names[OB_CIVIC_NREASONS] = {
	"mapped", "significance", "no drug", "combination", "expression",
	"fusion detail", "ambiguous", "variant", "disease"
};

const char *ob_civic_reason_name(int reason)
{
	return reason >= 0 && reason < OB_CIVIC_NREASONS ? reason_names[reason] : "?";
}

const char *ob_civic_amp_level(const char *l)
{
	if (!l || !l[0] || l[1])
		return NULL;
	switch (l[0]) {
	case 'A': return "I-A";
	case 'B': return "I-B";
	case 'C': return "II-C";
	case 'D': return "II-D";
	case 'E': return "II-D";
	default: return NULL;
	}
}

/* ---- variant names ---------------------------------------------------- */

static int add_alt(ob_civic_alts *out, const char *fmt, const char *a, const char *b)
{
	if (out->n == OB_CIVIC_MAX_ALTS)
		return OB_CIVIC_R_VARIANT;
	snprintf(out->alt[out->n], sizeof out->alt[0], fmt, a, b ? b : "");
	if (ob_kb_alteration_check(out->gene, out->alt[out->n]) < 0)
		return OB_CIVIC_R_VARIANT;
	out->n++;
	return 0;
}

/* "V600", "E746": residue and position; characters read or 0. */
static size_t res_pos(const char *s)
{
	size_t i;

	if (!isupper((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) || s[1] == '0')
		return 0;
	for (i = 1; isdigit((unsigned char)s[i]); i++)
		;
	return i;
}

static bool residues(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isupper((unsigned char)*s))
			return false;
	return true;
}

/* One protein-level name (upper case): V600E, V600, G719X, E746_A750DEL,
 * Y772_A775DUP, P772_H773INSYNP, T417_D419DELINSY, W557_K558DELWK. */
static int protein(ob_civic_alts *out, const char *u)
{
	char head[40];
	size_t k = res_pos(u), h;
	const char *s = u + k;

	if (!k)
		return OB_CIVIC_R_VARIANT;
	if (!*s)
		return add_alt(out, "p.%s%s", u, NULL);
	if (s[1] == '\0' && (isupper((unsigned char)*s) || *s == '*')) {
		if (*s == 'X') {   /* G719X: any change at the codon */
			snprintf(head, sizeof head, "%.*s", (int)k, u);
			return add_alt(out, "p.%s%s", head, NULL);
		}
		return add_alt(out, "p.%s%s", u, NULL);
	}
	if (*s == '_') {
		size_t k2 = res_pos(s + 1);

		if (!k2)
			return OB_CIVIC_R_VARIANT;
		s += 1 + k2;
	}
	h = (size_t)(s - u);
	if (h >= sizeof head)
		return OB_CIVIC_R_VARIANT;
	memcpy(head, u, h);
	head[h] = '\0';
	if (!strcmp(s, "DUP") || (!strncmp(s, "DUP", 3) && residues(s + 3)))
		return add_alt(out, "p.%sdup%s", head, NULL);
	if (!strncmp(s, "DELINS", 6) && residues(s + 6))
		return add_alt(out, "p.%sdelins%s", head, s + 6);
	if (!strcmp(s, "DEL") || (!strncmp(s, "DEL", 3) && residues(s + 3)))
		return add_alt(out, "p.%sdel%s", head, NULL);
	if (!strncmp(s, "INS", 3) && residues(s + 3))
		return add_alt(out, "p.%sins%s", head, s + 3);
	return OB_CIVIC_R_VARIANT;
}

static bool word_in(const char *u, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(u, *list))
			return true;
	return false;
}

/* A fusion carrying a secondary kinase-domain mutation ("CD74-ROS1 G2032R",
 * "ALK FUSION G1202R") is the point mutation: it arises in the fused gene,
 * and the curated base writes these rows the same way. A breakpoint
 * ("E6;A20") or anything else is detail the grammar cannot hold. */
static int secondary(ob_civic_alts *out, const char *rest)
{
	size_t k = res_pos(rest);

	if (k && isupper((unsigned char)rest[k]) && rest[k] != 'X' && !rest[k + 1])
		return protein(out, rest);
	return OB_CIVIC_R_FUSION_DETAIL;
}

/* A fusion name "A-B", "A::B", "A--B" (5' partner first), optionally with
 * " FUSION" after it, filed under gene. */
static int fusion(ob_civic_alts *out, const char *u, bool v2)
{
	char a[32], b[32];
	const char *sep, *rest;
	size_t la, seplen;

	if ((sep = strstr(u, "::")))
		seplen = 2;
	else if ((sep = strstr(u, "--")))
		seplen = 2;
	else if ((sep = strchr(u, '-')))
		seplen = 1;
	else
		return -1;
	la = (size_t)(sep - u);
	rest = sep + seplen;
	if (la == 0 || la >= sizeof a)
		return -1;
	memcpy(a, u, la);
	a[la] = '\0';
	{
		size_t lb = strcspn(rest, " ");

		if (lb == 0 || lb >= sizeof b)
			return -1;
		memcpy(b, rest, lb);
		b[lb] = '\0';
		rest += lb;
	}
	for (const char *p = a; *p; p++)
		if (!isupper((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '.')
			return -1;
	for (const char *p = b; *p; p++)
		if (!isupper((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '.')
			return -1;
	if (v2) {
		/* the profile names no gene: the 3' partner is the kinase in
		 * most actionable fusions; FGFR1-3 lead theirs (FGFR2::BICC1) */
		bool five = !strncmp(a, "FGFR", 4) && a[4] >= '1' && a[4] <= '3' && !a[5];

		snprintf(out->gene, sizeof out->gene, "%s", five ? a : b);
	}
	while (*rest == ' ')
		rest++;
	if (*rest && strcmp(rest, "FUSION") && strcmp(rest, "FUSIONS"))
		return secondary(out, rest);
	{
		size_t lg = strlen(out->gene);
		/* v1 "BCR-ABL" is filed under ABL1: a side may drop the digits */
		bool is_a = !strcmp(a, out->gene) || (!strncmp(out->gene, a, strlen(a))
		             && strspn(out->gene + strlen(a), "0123456789") == lg - strlen(a));
		bool is_b = !strcmp(b, out->gene) || (!strncmp(out->gene, b, strlen(b))
		             && strspn(out->gene + strlen(b), "0123456789") == lg - strlen(b));

		if (is_a == is_b)
			return OB_CIVIC_R_VARIANT;
		return add_alt(out, "fusion %s%s", is_a ? b : a, NULL);
	}
}

int ob_civic_map_variant(const char *gene, const char *variant, ob_civic_alts *out)
{
	static const char *const w_mutation[] = { "MUTATION", "MUTATIONS", NULL };
	static const char *const w_oncogenic[] = {
		"ACTIVATING MUTATION", "ONCOGENIC MUTATION", "GAIN-OF-FUNCTION", NULL
	};
	static const char *const w_loss[] = {
		"LOSS-OF-FUNCTION", "LOSS OF FUNCTION", "DELETERIOUS MUTATION", "FRAMESHIFT TRUNCATION",
		"TRUNCATING MUTATION", "BIALLELIC INACTIVATION", NULL
	};
	static const char *const w_fusion[] = {
		"FUSION", "FUSIONS", "REARRANGEMENT", "REARRANGEMENTS", "TRANSLOCATION", NULL
	};
	static const char *const w_expr[] = { "EXPRESSION", "METHYLATION", "PHOSPHORYLATION",
		"SERUM LEVELS", NULL };
	char u[256], *v;
	size_t len;
	bool v2 = gene == NULL;
	int rc;

	memset(out, 0, sizeof *out);
	len = strlen(variant);
	if (len >= sizeof u)
		return OB_CIVIC_R_VARIANT;
	for (size_t i = 0; i <= len; i++)
		u[i] = (char)toupper((unsigned char)variant[i]);
	v = u;
	while (*v == ' ')
		v++;
	for (char *e = v + strlen(v); e > v && e[-1] == ' ';)
		*--e = '\0';
	if (strstr(v, " AND ") || strstr(v, " OR "))
		return OB_CIVIC_R_COMBINATION;
	if (v2) {
		size_t g = strcspn(v, " ");

		if (memchr(v, ':', g) || (memchr(v, '-', g) && !strncmp(v + g, " FUSION", 7)))
			return (rc = fusion(out, v, true)) < 0 ? OB_CIVIC_R_VARIANT : rc;
		if (!g || !v[g] || g >= sizeof out->gene)
			return OB_CIVIC_R_VARIANT;
		memcpy(out->gene, v, g);
		out->gene[g] = '\0';
		v += g + 1;
	} else {
		size_t g = strlen(gene);

		if (g >= sizeof out->gene)
			return OB_CIVIC_R_VARIANT;
		memcpy(out->gene, gene, g + 1);
		/* "KRAS EXON 2 MUTATION", "ALK FUSIONS": the gene repeated */
		if (!strncmp(v, out->gene, g) && v[g] == ' ')
			v += g + 1;
	}
	/* a few names give the gene in lower case: compare in upper case */
	for (char *p = out->gene; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	if (word_in(v, w_mutation))
		return add_alt(out, "mutation%s%s", "", NULL);
	if (word_in(v, w_oncogenic))
		return add_alt(out, "oncogenic%s%s", "", NULL);
	if (word_in(v, w_loss))
		return add_alt(out, "loss%s%s", "", NULL);
	if (!strcmp(v, "LOSS"))
		return OB_CIVIC_R_AMBIGUOUS;
	if (!strcmp(v, "AMPLIFICATION"))
		return add_alt(out, "amplification%s%s", "", NULL);
	if (!strcmp(v, "DELETION"))
		return add_alt(out, "deletion%s%s", "", NULL);
	if (word_in(v, w_fusion))
		return add_alt(out, "fusion%s%s", "", NULL);
	if (!strncmp(v, "FUSION ", 7))
		return secondary(out, v + 7);    /* "ALK FUSION G1202R" */
	if (!strncmp(v, "FUSIONS ", 8))
		return secondary(out, v + 8);
	for (const char *const *w = w_expr; *w; w++)
		if (strstr(v, *w))
			return OB_CIVIC_R_EXPRESSION;
	if (!strncmp(v, "EXON ", 5) && isdigit((unsigned char)v[5])) {
		char n[8];
		const char *p = v + 5, *kind;
		size_t k = strspn(p, "0123456789");

		if (k >= sizeof n)
			return OB_CIVIC_R_VARIANT;
		memcpy(n, p, k);
		n[k] = '\0';
		p += k;
		if (!strcmp(p, " DELETION"))
			kind = "deletion";
		else if (!strcmp(p, " INSERTION"))
			kind = "insertion";
		else if (!strcmp(p, " SKIPPING MUTATION") || !strcmp(p, " SKIPPING"))
			kind = "skipping";
		else if (!strcmp(p, " MUTATION"))
			kind = "mutation";
		else
			return OB_CIVIC_R_VARIANT;
		return add_alt(out, "exon%s %s", n, kind);
	}
	if ((rc = fusion(out, v, false)) >= 0)
		return rc;
	if (strchr(v, '/')) {   /* G12/G13, S310F/Y: each part an alternative */
		char buf[256], *part, *next, last[40] = "";

		snprintf(buf, sizeof buf, "%s", v);
		for (part = buf; part; part = next) {
			char whole[64];
			size_t k;

			if ((next = strchr(part, '/')))
				*next++ = '\0';
			k = res_pos(part);

			if (strlen(part) >= sizeof last)
				return OB_CIVIC_R_VARIANT;
			if (k) {
				snprintf(last, sizeof last, "%.*s", (int)k, part);
				memcpy(whole, part, strlen(part) + 1);
			} else if (*last && (isupper((unsigned char)part[0]) || part[0] == '*') && !part[1]) {
				memcpy(whole, last, strlen(last));
				whole[strlen(last)] = part[0];
				whole[strlen(last) + 1] = '\0';
			} else {
				return OB_CIVIC_R_VARIANT;
			}
			if ((rc = protein(out, whole)) != 0)
				return rc;
		}
		return out->n ? 0 : OB_CIVIC_R_VARIANT;
	}
	return protein(out, v);
}

/* ---- diseases ---------------------------------------------------------- */

typedef struct disease {
	const char *name, *doid;   /* doid: bare number, "" when none */
	const char *codes;         /* "NSCLC", "SOFT_TISSUE,BONE", "" unmapped */
} disease;

static pthread_once_t dis_once = PTHREAD_ONCE_INIT;
static disease *dis;
static size_t ndis;
static char *dis_text;
static char dis_msg[256];
static int dis_rc;

static int dis_fail(int line, const char *field, const char *msg, const char *what)
{
	snprintf(dis_msg, sizeof dis_msg, "data/kb/civic_disease_oncotree.tsv:%d: %s: %s%s", line,
		field, msg, what ? what : "");
	return OB_EINVALID;
}

static int dis_parse(void)
{
	size_t cap = 0;
	int line = 0;
	bool header = false;

	if (!(dis_text = strdup(ob_data_kb_civic_disease_oncotree)))
		return OB_ERROR;
	for (char *p = dis_text; *p;) {
		char *eol = strchr(p, '\n'), *f[4];
		int nf = 0;

		line++;
		if (eol)
			*eol = '\0';
		if (*p == '#' || !*p)
			goto next;
		for (char *q = p; nf < 4;) {
			char *tab = strchr(q, '\t');

			f[nf++] = q;
			if (!tab)
				break;
			*tab = '\0';
			q = tab + 1;
		}
		if (nf != 4)
			return dis_fail(line, "line", "4 fields expected", NULL);
		if (!header) {
			if (strcmp(f[0], "civic_disease") || strcmp(f[1], "doid") || strcmp(f[2], "oncotree_codes"))
				return dis_fail(line, "line", "header expected here", NULL);
			header = true;
			goto next;
		}
		if (!*f[0])
			return dis_fail(line, "civic_disease", "empty", NULL);
		if (*f[1] && strncmp(f[1], "DOID:", 5))
			return dis_fail(line, "doid", "not DOID:N: ", f[1]);
		/* every code must be an OncoTree code */
		for (const char *c = f[2]; *c;) {
			char code[32];
			size_t k = strcspn(c, ",");

			if (k == 0 || k >= sizeof code)
				return dis_fail(line, "oncotree_codes", "bad list: ", f[2]);
			memcpy(code, c, k);
			code[k] = '\0';
			if (!ob_oncotree_known(code))
				return dis_fail(line, "oncotree_codes", "not an OncoTree code: ", code);
			c += k + (c[k] == ',');
		}
		if (ndis == cap) {
			disease *d = realloc(dis, (cap = cap ? cap * 2 : 256) * sizeof *d);

			if (!d)
				return OB_ERROR;
			dis = d;
		}
		dis[ndis].name = f[0];
		dis[ndis].doid = *f[1] ? f[1] + 5 : "";
		dis[ndis++].codes = f[2];
next:
		if (!eol)
			break;
		p = eol + 1;
	}
	return header ? 0 : dis_fail(line, "line", "no header", NULL);
}

static void dis_load(void)
{
	if ((dis_rc = ob_oncotree_check()) < 0) {
		snprintf(dis_msg, sizeof dis_msg, "%s", ob_error_last());
		return;
	}
	if ((dis_rc = dis_parse()) < 0) {
		if (dis_rc == OB_ERROR)
			snprintf(dis_msg, sizeof dis_msg, "out of memory");
		free(dis);
		dis = NULL;
		ndis = 0;
	}
}

int ob_civic_check_disease_table(void)
{
	pthread_once(&dis_once, dis_load);
	return dis_rc < 0 ? ob_error_set(dis_rc, "%s", dis_msg) : 0;
}

int ob_civic_map_disease(const char *name, const char *doid, char codes[OB_CIVIC_MAX_CODES][16],
                         int *n)
{
	const disease *d = NULL;

	*n = 0;
	pthread_once(&dis_once, dis_load);
	if (doid && !strncmp(doid, "DOID:", 5))
		doid += 5;
	for (size_t i = 0; doid && *doid && i < ndis && !d; i++)
		if (!strcmp(dis[i].doid, doid))
			d = &dis[i];
	for (size_t i = 0; name && i < ndis && !d; i++)
		if (!strcmp(dis[i].name, name))
			d = &dis[i];
	if (!d || !*d->codes)
		return OB_CIVIC_R_DISEASE;
	for (const char *c = d->codes; *c && *n < OB_CIVIC_MAX_CODES;) {
		size_t k = strcspn(c, ",");

		snprintf(codes[*n], 16, "%.*s", (int)k, c);
		if (!strcmp(codes[*n], OB_ONCOTREE_ROOT))
			codes[*n][0] = '\0';   /* any tumour type */
		(*n)++;
		c += k + (c[k] == ',');
	}
	return OB_CIVIC_MAPPED;
}

/* ---- the import --------------------------------------------------------- */

int ob_civic_version_from_name(const char *path, char *out, size_t n)
{
	static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
		"Sep", "Oct", "Nov", "Dec", NULL };
	const char *b = strrchr(path, '/');

	b = b ? b + 1 : path;
	/* DD-Mon-YYYY- */
	if (strlen(b) > 12 && isdigit((unsigned char)b[0]) && isdigit((unsigned char)b[1])
	    && b[2] == '-' && b[6] == '-' && isdigit((unsigned char)b[7]) && isdigit((unsigned char)b[8])
	    && isdigit((unsigned char)b[9]) && isdigit((unsigned char)b[10]) && b[11] == '-') {
		for (const char *const *m = mon; *m; m++)
			if (!strncmp(b + 3, *m, 3) && n > 11) {
				memcpy(out, b, 11);
				out[11] = '\0';
				return 0;
			}
	}
	return OB_ENOTFOUND;
}

void ob_civic_report_init(ob_civic_report *rep)
{
	memset(rep, 0, sizeof *rep);
	ob_buf_init(&rep->first, 0);
}

void ob_civic_report_dispose(ob_civic_report *rep)
{
	ob_buf_dispose(&rep->first);
}

/* The columns the importer reads, by their v1 and v2 names. */
enum { K_GENE, K_VARIANT, K_PROFILE, K_DISEASE, K_DOID, K_DRUGS, K_INTERACTION, K_TYPE,
       K_DIRECTION, K_LEVEL, K_SIGNIFICANCE, K_CITATION_ID, K_SOURCE_TYPE, K_CITATION,
       K_EID, NK };
static const struct { const char *v1, *v2; bool required; } colspec[NK] = {
	[K_GENE] = { "gene", NULL, false },
	[K_VARIANT] = { "variant", NULL, false },
	[K_PROFILE] = { NULL, "molecular_profile", false },
	[K_DISEASE] = { "disease", "disease", true },
	[K_DOID] = { "doid", "doid", true },
	[K_DRUGS] = { "drugs", "therapies", true },
	[K_INTERACTION] = { "drug_interaction_type", "therapy_interaction_type", true },
	[K_TYPE] = { "evidence_type", "evidence_type", true },
	[K_DIRECTION] = { "evidence_direction", "evidence_direction", true },
	[K_LEVEL] = { "evidence_level", "evidence_level", true },
	[K_SIGNIFICANCE] = { "clinical_significance", "significance", true },
	[K_CITATION_ID] = { "citation_id", "citation_id", true },
	[K_SOURCE_TYPE] = { "source_type", "source_type", true },
	[K_CITATION] = { "citation", "citation", true },
	[K_EID] = { "evidence_id", "evidence_id", true },
};

#define MAX_FIELDS 128

typedef struct importer {
	const ob_ctx *cx;
	const ob_civic_opts *o;
	ob_civic_report *rep;
	const char *fname;
	int64_t release_id;
	int line;
	int col[NK];
	int ncols;
	char *f[MAX_FIELDS];
	ob_buf tmp, src, drug;
} importer;

static int split(char *s, char **f, int max)
{
	int n = 0;

	for (;;) {
		char *tab = strchr(s, '\t');

		if (n == max)
			return max + 1;
		f[n++] = s;
		if (!tab)
			return n;
		*tab = '\0';
		s = tab + 1;
	}
}

static int header(importer *im, char *s)
{
	char *h[MAX_FIELDS];
	int n = split(s, h, MAX_FIELDS);
	bool v2;

	if (n > MAX_FIELDS)
		return ob_error_set(OB_EINVALID, "%s:1: header: more than %d columns", im->fname, MAX_FIELDS);
	im->ncols = n;
	for (int k = 0; k < NK; k++)
		im->col[k] = -1;
	for (int i = 0; i < n; i++)
		for (int k = 0; k < NK; k++)
			if ((colspec[k].v1 && !strcmp(h[i], colspec[k].v1))
			    || (colspec[k].v2 && !strcmp(h[i], colspec[k].v2)))
				im->col[k] = i;
	v2 = im->col[K_PROFILE] >= 0;
	if (!v2 && (im->col[K_GENE] < 0 || im->col[K_VARIANT] < 0))
		return ob_error_set(OB_EINVALID, "%s:1: %s: column missing (a CIViC"
			" ClinicalEvidenceSummaries TSV has gene and variant, or molecular_profile)",
			im->fname, im->col[K_GENE] < 0 ? "gene" : "variant");
	for (int k = 0; k < NK; k++)
		if (colspec[k].required && im->col[k] < 0)
			return ob_error_set(OB_EINVALID, "%s:1: %s: column missing", im->fname,
				v2 ? colspec[k].v2 : colspec[k].v1);
	return 0;
}

static const char *F(importer *im, int k)
{
	return im->col[k] >= 0 ? im->f[im->col[k]] : "";
}

static int unmapped(importer *im, int reason, const char *detail)
{
	static const char sql[] =
		"INSERT INTO kb_unmapped (release_id, source_id, gene, variant, disease, reason, detail)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7)";
	const char *gene = im->col[K_GENE] >= 0 ? F(im, K_GENE) : "";
	const char *variant = im->col[K_VARIANT] >= 0 ? F(im, K_VARIANT) : F(im, K_PROFILE);
	ob_stmt *s;
	int64_t id;
	int rc;

	im->rep->unmapped++;
	im->rep->by_reason[reason]++;
	ob_buf_clear(&im->tmp);
	ob_buf_printf(&im->tmp, "EID%s", F(im, K_EID));
	if ((rc = ob_store_prepare(im->cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, im->release_id);
	ob_stmt_bind_text(s, 2, ob_buf_cstr(&im->tmp));
	ob_stmt_bind_text(s, 3, gene);
	ob_stmt_bind_text(s, 4, variant);
	ob_stmt_bind_text(s, 5, F(im, K_DISEASE));
	ob_stmt_bind_text(s, 6, ob_civic_reason_name(reason));
	ob_stmt_bind_text(s, 7, detail);
	if ((rc = ob_stmt_insert(s, &id)) < 0)
		return rc;
	if (im->o->unmapped && fprintf(im->o->unmapped, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
	                               ob_buf_cstr(&im->tmp), gene, variant, F(im, K_DISEASE),
	                               F(im, K_DOID), F(im, K_DRUGS),
	                               ob_civic_reason_name(reason), detail) < 0)
		return ob_error_set(OB_ERROR, "cannot write the unmapped list: %m");
	if (im->rep->unmapped <= 20)
		ob_buf_printf(&im->rep->first, "%s\t%s %s\t%s\t%s: %s\n", ob_buf_cstr(&im->tmp), gene,
			variant, F(im, K_DISEASE), ob_civic_reason_name(reason), detail);
	return 0;
}

static int insert_row(importer *im, const char *gene, const char *alt, const char *tumor,
                      const char *drugs, const char *effect, const char *amp)
{
	static const char sql[] =
		"INSERT INTO kb_evidence (release_id, gene, alteration, tumor_type, drugs, effect,"
		" amp_level, oncokb_level, sources, source_id, disease, variant)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8, $9, $10, $11)";
	ob_stmt *s;
	int64_t id;
	int rc;

	if ((rc = ob_store_prepare(im->cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, im->release_id);
	ob_stmt_bind_text(s, 2, gene);
	ob_stmt_bind_text(s, 3, alt);
	ob_stmt_bind_text(s, 4, tumor);
	ob_stmt_bind_text(s, 5, drugs);
	ob_stmt_bind_text(s, 6, effect);
	ob_stmt_bind_text(s, 7, amp);
	ob_stmt_bind_text(s, 8, ob_buf_cstr(&im->src));
	ob_stmt_bind_text(s, 9, ob_buf_cstr(&im->tmp));
	ob_stmt_bind_text(s, 10, F(im, K_DISEASE));
	ob_stmt_bind_text(s, 11, im->col[K_VARIANT] >= 0 ? F(im, K_VARIANT) : F(im, K_PROFILE));
	if ((rc = ob_stmt_insert(s, &id)) < 0)
		return rc;
	im->rep->rows++;
	return 0;
}

/* One data line, already split. */
static int item(importer *im)
{
	const char *type = F(im, K_TYPE), *dir = F(im, K_DIRECTION), *level = F(im, K_LEVEL);
	const char *sig = F(im, K_SIGNIFICANCE), *drugs = F(im, K_DRUGS), *amp, *effect;
	const char *inter = F(im, K_INTERACTION);
	char codes[OB_CIVIC_MAX_CODES][16];
	ob_civic_alts alts;
	int64_t eid;
	int ncodes, reason;
	int rc = 0;

	if (ob_parse_i64(F(im, K_EID), &eid) < 0 || eid <= 0)
		return ob_error_set(OB_EINVALID, "%s:%d: evidence_id: '%s' is not a positive number",
			im->fname, im->line, F(im, K_EID));
	if (!*type)
		return ob_error_set(OB_EINVALID, "%s:%d: evidence_type: empty", im->fname, im->line);
	if (!(amp = ob_civic_amp_level(level)))
		return ob_error_set(OB_EINVALID, "%s:%d: evidence_level: '%s' is not A, B, C, D or E",
			im->fname, im->line, level);
	if (im->col[K_GENE] >= 0 && !*F(im, K_GENE))
		return ob_error_set(OB_EINVALID, "%s:%d: gene: empty", im->fname, im->line);
	if (strcmp(type, "Predictive")) {
		im->rep->skipped++;
		im->rep->skipped_type++;
		return 0;
	}
	if (strcmp(dir, "Supports")) {
		im->rep->skipped++;
		im->rep->skipped_direction++;
		return 0;
	}
	if (!strcmp(sig, "Sensitivity/Response") || !strcmp(sig, "Sensitivity")
	    || !strcmp(sig, "Response"))
		effect = "sensitivity";
	else if (!strcmp(sig, "Resistance"))
		effect = "resistance";
	else
		return unmapped(im, OB_CIVIC_R_SIGNIFICANCE, *sig ? sig : "(empty)");
	if (!*drugs)
		return unmapped(im, OB_CIVIC_R_NO_DRUG, "no drug named");
	reason = ob_civic_map_variant(im->col[K_GENE] >= 0 ? F(im, K_GENE) : NULL,
		im->col[K_VARIANT] >= 0 ? F(im, K_VARIANT) : F(im, K_PROFILE), &alts);
	if (reason)
		return unmapped(im, reason, im->col[K_VARIANT] >= 0 ? F(im, K_VARIANT) : F(im, K_PROFILE));
	if ((reason = ob_civic_map_disease(F(im, K_DISEASE), F(im, K_DOID), codes, &ncodes)))
		return unmapped(im, reason, F(im, K_DISEASE));
	im->rep->mapped++;
	/* the citation, then the item itself */
	ob_buf_clear(&im->src);
	if (!strcmp(F(im, K_SOURCE_TYPE), "PubMed"))
		ob_buf_printf(&im->src, "PMID:%s", F(im, K_CITATION_ID));
	else
		ob_buf_printf(&im->src, "%s %s", F(im, K_SOURCE_TYPE), F(im, K_CITATION_ID));
	if (*F(im, K_CITATION))
		ob_buf_printf(&im->src, " (%s)", F(im, K_CITATION));
	ob_buf_printf(&im->src, "; CIViC EID%s(%s)", F(im, K_EID), level);
	ob_buf_clear(&im->tmp);
	ob_buf_printf(&im->tmp, "EID%s", F(im, K_EID));
	if (im->src.failed || im->tmp.failed)
		return ob_error_set(OB_ERROR, "out of memory");
	/* drugs: a combination or a sequence is one row; substitutes (or a
	 * list without a type) one row per drug */
	for (const char *d = drugs; *d && rc == 0;) {
		bool together = !strcmp(inter, "Combination") || !strcmp(inter, "Sequential");

		ob_buf_clear(&im->drug);
		if (together) {
			for (const char *p = d; *p; p++) {
				if (*p == ',') {
					ob_buf_puts(&im->drug, !strcmp(inter, "Combination") ? " + " : " then ");
					while (p[1] == ' ')
						p++;
				} else {
					ob_buf_putc(&im->drug, *p);
				}
			}
			d += strlen(d);
		} else {
			size_t k = strcspn(d, ",");

			ob_buf_put(&im->drug, d, k);
			d += k + (d[k] == ',');
			while (*d == ' ')
				d++;
		}
		for (int a = 0; a < alts.n && rc == 0; a++)
			for (int c = 0; c < ncodes && rc == 0; c++)
				rc = insert_row(im, alts.gene, alts.alt[a], codes[c], ob_buf_cstr(&im->drug),
					effect, amp);
	}
	return rc;
}

static int begin_release(importer *im, const char *source)
{
	static const char q_find[] =
		"SELECT id FROM kb_release WHERE name = 'civic' AND version = $1";
	static const char q_who[] =
		"SELECT imported_at || ' by ' || imported_by FROM kb_release"
		" WHERE name = 'civic' AND version = $1";
	static const char d_ev[] = "DELETE FROM kb_evidence WHERE release_id = $1";
	static const char d_un[] = "DELETE FROM kb_unmapped WHERE release_id = $1";
	static const char d_rel[] = "DELETE FROM kb_release WHERE id = $1";
	static const char ins[] =
		"INSERT INTO kb_release (name, version, source_file, imported_at, imported_by,"
		" read_count, skipped_count, mapped_count, unmapped_count, row_count)"
		" VALUES ('civic', $1, $2, $3, $4, 0, 0, 0, 0, 0)";
	const char *del[] = { d_ev, d_un, d_rel };
	char when[OB_TIME_LEN], who[128];
	int64_t old;
	ob_stmt *s;
	int rc;

	rc = ob_store_get_int(im->cx->st, q_find, im->o->version, &old);
	if (rc == 0 && !im->o->replace) {
		if (ob_store_get_text(im->cx->st, q_who, im->o->version, who, sizeof who) < 0)
			who[0] = '\0';
		return ob_error_set(OB_EEXISTS, "civic %s is already imported (%s); --replace imports"
			" it again", im->o->version, who);
	}
	if (rc == 0) {
		for (int i = 0; i < 3; i++) {
			if ((rc = ob_store_prepare(im->cx->st, del[i], &s)) < 0)
				return rc;
			ob_stmt_bind_int(s, 1, old);
			if ((rc = ob_stmt_exec(s)) < 0)
				return rc;
		}
	} else if (rc != OB_ENOTFOUND) {
		return rc;
	}
	ob_time_now(when);
	if ((rc = ob_store_prepare(im->cx->st, ins, &s)) < 0)
		return rc;
	ob_stmt_bind_text(s, 1, im->o->version);
	ob_stmt_bind_text(s, 2, source);
	ob_stmt_bind_text(s, 3, when);
	ob_stmt_bind_text(s, 4, im->cx->actor ? im->cx->actor : "");
	return ob_stmt_insert(s, &im->release_id);
}

static int end_release(importer *im, const char *source)
{
	static const char upd[] =
		"UPDATE kb_release SET read_count = $2, skipped_count = $3, mapped_count = $4,"
		" unmapped_count = $5, row_count = $6 WHERE id = $1";
	ob_civic_report *r = im->rep;
	ob_stmt *s;
	ob_buf j;
	char key[128];
	int rc;

	if ((rc = ob_store_prepare(im->cx->st, upd, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, im->release_id);
	ob_stmt_bind_int(s, 2, r->read);
	ob_stmt_bind_int(s, 3, r->skipped);
	ob_stmt_bind_int(s, 4, r->mapped);
	ob_stmt_bind_int(s, 5, r->unmapped);
	ob_stmt_bind_int(s, 6, r->rows);
	if ((rc = ob_stmt_exec(s)) < 0)
		return rc;
	/* the audit trail records who brought which knowledge in */
	ob_buf_init(&j, 0);
	ob_buf_puts(&j, "{\"name\":\"civic\",\"version\":");
	ob_buf_json_str(&j, im->o->version);
	ob_buf_puts(&j, ",\"source_file\":");
	ob_buf_json_str(&j, source);
	ob_buf_printf(&j, ",\"read\":%lld,\"skipped\":%lld,\"mapped\":%lld,\"unmapped\":%lld,"
		"\"rows\":%lld}", (long long)r->read, (long long)r->skipped, (long long)r->mapped,
		(long long)r->unmapped, (long long)r->rows);
	snprintf(key, sizeof key, "civic %s", im->o->version);
	rc = j.failed ? ob_error_set(OB_ERROR, "out of memory")
		: ob_audit_append(im->cx, im->o->replace ? "kb-import-replace" : "kb-import",
		                  "kb_release", im->release_id, key, NULL, ob_buf_cstr(&j));
	ob_buf_dispose(&j);
	return rc;
}

int ob_civic_import(const ob_ctx *cx, const ob_civic_opts *o, ob_civic_report *rep)
{
	importer im = { 0 };
	kstring_t ks = { 0, 0, NULL };
	htsFile *fp = NULL;
	const char *base;
	int rc, got;

	if ((rc = ob_access_check(cx, OB_ACT_IMPORT, NULL)) < 0)
		return rc;
	if (!o->version || !*o->version)
		return ob_error_set(OB_EINVALID, "a CIViC release needs a version");
	if ((rc = ob_civic_check_disease_table()) < 0)
		return rc;
	im.cx = cx;
	im.o = o;
	im.rep = rep;
	im.fname = o->path;
	base = strrchr(o->path, '/');
	base = base ? base + 1 : o->path;
	ob_buf_init(&im.tmp, 0);
	ob_buf_init(&im.src, 0);
	ob_buf_init(&im.drug, 0);
	{
		/* htslib would log the reason to stderr: ask the system first */
		FILE *probe = fopen(o->path, "rb");

		if (!probe) {
			rc = ob_error_set(OB_ENOTFOUND, "%s: cannot open: %m", o->path);
			goto out;
		}
		fclose(probe);
	}
	if (!(fp = hts_open(o->path, "r"))) {
		rc = ob_error_set(OB_ENOTFOUND, "%s: cannot open", o->path);
		goto out;
	}
	if ((rc = ob_store_begin(cx->st)) < 0)
		goto out;
	if (o->unmapped)
		fputs("evidence_id\tgene\tvariant\tdisease\tdoid\tdrugs\treason\tdetail\n", o->unmapped);
	while ((got = hts_getline(fp, '\n', &ks)) >= 0) {
		char *s = ks.s;

		im.line++;
		if (ks.l && s[ks.l - 1] == '\r')
			s[--ks.l] = '\0';
		if (im.line == 1) {
			if ((rc = header(&im, s)) < 0 || (rc = begin_release(&im, base)) < 0)
				break;
			continue;
		}
		if (!ks.l)
			continue;
		if ((got = split(s, im.f, MAX_FIELDS)) != im.ncols) {
			rc = ob_error_set(OB_EINVALID, "%s:%d: line: %d fields, the header has %d", im.fname,
				im.line, got > MAX_FIELDS ? MAX_FIELDS : got, im.ncols);
			break;
		}
		rep->read++;
		if ((rc = item(&im)) < 0)
			break;
	}
	if (rc == 0 && got < -1)
		rc = ob_error_set(OB_EINVALID, "%s:%d: line: cannot read (corrupt compressed data?)",
			im.fname, im.line + 1);
	if (rc == 0 && im.line == 0)
		rc = ob_error_set(OB_EINVALID, "%s:1: header: the file is empty", im.fname);
	if (rc == 0)
		rc = end_release(&im, base);
	if (rc == 0)
		rc = ob_store_commit(cx->st);
	else
		ob_store_rollback(cx->st);
out:
	if (fp)
		hts_close(fp);
	free(ks.s);
	ob_buf_dispose(&im.tmp);
	ob_buf_dispose(&im.src);
	ob_buf_dispose(&im.drug);
	return rc;
}
