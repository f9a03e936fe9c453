/*
 * annread.c - reading annotated VCF/BCF records for interpretation (see
 * annread.h). Records come through vcfread.h, which checks every line
 * (FILE:LINE: FIELD: message) before htslib parses it.
 * The consequences are taken, in this order of preference, from INFO/ANN
 * (ours or SnpEff's: 16 pipe-separated fields per allele x transcript),
 * INFO/CSQ (VEP: fields named by the header's "Format: A|B|..."), any
 * other INFO tag whose ID ends in "ANN" or "CSQ" (e.g. SNPEFF_ANN,
 * VEP_CSQ), or - when the record has none and an annotator was given -
 * from ob_annotate_record(). One record and its entries are held at a time.
 */
#include "interp/annread.h"
#include "base/buf.h"
#include "base/error.h"
#include "genomics/vcfread.h"

#include <htslib/hts.h>
#include <htslib/kseq.h>
#include <htslib/kstring.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

enum src_kind { SRC_NONE, SRC_ANN, SRC_CSQ };

/* Column positions of a VEP CSQ format; -1 when the column is absent. */
enum vep_col {
	V_ALLELE, V_CONSEQ, V_IMPACT, V_SYMBOL, V_GENE, V_FEATURE, V_BIOTYPE, V_EXON, V_INTRON,
	V_HGVSC, V_HGVSP, V_PROTPOS, V_PICK, V_CANONICAL, V_MANE, V_MANE2, V_ALLELE_NUM, V_N
};
static const char *const vep_names[V_N] = {
	"Allele", "Consequence", "IMPACT", "SYMBOL", "Gene", "Feature", "BIOTYPE", "EXON",
	"INTRON", "HGVSc", "HGVSp", "Protein_position", "PICK", "CANONICAL", "MANE_SELECT",
	"MANE", "ALLELE_NUM"
};

struct ob_annread {
	char *path;
	ob_vcfread *in;     /* the checked record stream (vcfread.h) */
	bcf_hdr_t *hdr;     /* borrowed from in */
	bcf1_t *rec;
	ob_annotator *a;
	enum src_kind kind; /* what the header offers */
	char tag[64];       /* the INFO tag read */
	int vep[V_N];       /* CSQ column of each field, -1 absent */
	int vep_ncol;
	char *val;          /* the INFO value, split in place */
	int nval;
	ob_buf ann;         /* on-the-fly ANN */
	char *work;         /* copy of ann split in place */
	size_t work_cap;
	ob_csq *csq;
	int ncsq, ccsq;
	char **vep_alt;     /* ALT alleles as VEP writes them (first base trimmed) */
	int nvep_alt;
	size_t vep_alt_cap, vep_alt_n;
	char *vep_alt_mem;
	char empty[1];      /* a writable "" for absent CSQ columns */
	char **pref;        /* sorted version-less IDs of preferred transcripts */
	size_t npref;
};

/* The INFO header ID whose name is exactly id, else ending in suffix. */
static int find_tag(bcf_hdr_t *h, const char *exact, const char *suffix, char *out, size_t n)
{
	int id = bcf_hdr_id2int(h, BCF_DT_ID, exact);
	if (id >= 0 && bcf_hdr_idinfo_exists(h, BCF_HL_INFO, id)) {
		snprintf(out, n, "%s", exact);
		return 1;
	}
	for (int i = 0; i < h->nhrec; i++) {
		bcf_hrec_t *r = h->hrec[i];
		if (r->type != BCF_HL_INFO)
			continue;
		int k = bcf_hrec_find_key(r, "ID");
		if (k < 0)
			continue;
		const char *v = r->vals[k];
		size_t lv = strlen(v), ls = strlen(suffix);
		if (lv > ls && !strcmp(v + lv - ls, suffix)) {
			snprintf(out, n, "%s", v);
			return 1;
		}
	}
	return 0;
}

/* Reads the VEP "Format: A|B|C" of the CSQ header line into r->vep. */
static int vep_format(ob_annread *r)
{
	bcf_hrec_t *h = bcf_hdr_get_hrec(r->hdr, BCF_HL_INFO, "ID", r->tag, NULL);
	int k = h ? bcf_hrec_find_key(h, "Description") : -1;
	const char *d = k >= 0 ? strstr(h->vals[k], "Format:") : NULL;
	for (int i = 0; i < V_N; i++)
		r->vep[i] = -1;
	if (!d)
		return ob_error_set(OB_EINVALID, "%s: INFO/%s header has no \"Format: ...\" list",
			r->path, r->tag);
	d += 7;
	int col = 0;
	while (*d && *d != '"') {
		while (*d == ' ')
			d++;
		const char *e = d;
		while (*e && *e != '|' && *e != '"' && *e != ' ')
			e++;
		for (int i = 0; i < V_N; i++)
			if ((size_t)(e - d) == strlen(vep_names[i]) && !strncmp(d, vep_names[i], e - d))
				r->vep[i] = col;
		col++;
		while (*e == ' ')
			e++;
		d = *e == '|' ? e + 1 : e;
		if (*e != '|')
			break;
	}
	r->vep_ncol = col;
	if (r->vep[V_ALLELE] < 0 || r->vep[V_CONSEQ] < 0)
		return ob_error_set(OB_EINVALID, "%s: INFO/%s Format lacks Allele or Consequence",
			r->path, r->tag);
	return 0;
}

int ob_annread_open(ob_annread **out, const char *path, ob_annotator *a)
{
	ob_annread *r = calloc(1, sizeof *r);
	int rc = 0;

	*out = NULL;
	if (!r || !(r->path = strdup(path))) {
		free(r);
		return ob_error_set(OB_ERROR, "out of memory");
	}
	r->a = a;
	if ((rc = ob_vcfread_open(&r->in, path, 0)) < 0)
		goto fail;
	r->hdr = ob_vcfread_header(r->in);
	if (!(r->rec = bcf_init())) {
		rc = ob_error_set(OB_ERROR, "out of memory");
		goto fail;
	}
	if (find_tag(r->hdr, "ANN", "ANN", r->tag, sizeof r->tag)) {
		r->kind = SRC_ANN;
	} else if (find_tag(r->hdr, "CSQ", "CSQ", r->tag, sizeof r->tag)) {
		r->kind = SRC_CSQ;
		if ((rc = vep_format(r)) < 0)
			goto fail;
	}
	*out = r;
	return 0;
fail:
	ob_annread_free(r);
	return rc;
}

void ob_annread_free(ob_annread *r)
{
	if (!r)
		return;
	if (r->rec)
		bcf_destroy(r->rec);
	ob_vcfread_free(r->in);
	free(r->val);
	free(r->work);
	free(r->csq);
	free(r->vep_alt);
	free(r->vep_alt_mem);
	for (size_t i = 0; i < r->npref; i++)
		free(r->pref[i]);
	free(r->pref);
	ob_buf_dispose(&r->ann);
	free(r->path);
	free(r);
}

bcf_hdr_t *ob_annread_header(ob_annread *r)
{
	return r->hdr;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The length of id without a trailing ".N" version. */
static size_t unversioned(const char *id)
{
	const char *dot = strrchr(id, '.');
	if (dot && dot[1] && strspn(dot + 1, "0123456789") == strlen(dot + 1))
		return (size_t)(dot - id);
	return strlen(id);
}

int ob_annread_prefer(ob_annread *r, const ob_gff *g)
{
	size_t n = ob_gff_ntx(g), k = 0;
	char **p = calloc(n ? n : 1, sizeof *p);
	if (!p)
		return ob_error_set(OB_ERROR, "out of memory");
	for (size_t i = 0; i < n; i++) {
		const ob_tx *t = ob_gff_tx(g, i);
		if (!(t->flags & (OB_TX_MANE_SELECT | OB_TX_CANONICAL)))
			continue;
		if (!(p[k] = strndup(t->id, unversioned(t->id)))) {
			for (size_t j = 0; j < k; j++)
				free(p[j]);
			free(p);
			return ob_error_set(OB_ERROR, "out of memory");
		}
		k++;
	}
	qsort(p, k, sizeof *p, cmp_str);
	for (size_t i = 0; i < r->npref; i++)
		free(r->pref[i]);
	free(r->pref);
	r->pref = p;
	r->npref = k;
	return 0;
}

/* Marks the preferred transcripts' entries when none is marked. */
static void mark_preferred(ob_annread *r)
{
	char id[128];
	for (int i = 0; i < r->ncsq; i++)
		if (r->csq[i].picked)
			return;
	for (int i = 0; i < r->ncsq; i++) {
		const char *t = r->csq[i].transcript;
		size_t l = unversioned(t);
		if (l >= sizeof id)
			continue;
		memcpy(id, t, l);
		id[l] = 0;
		char *key = id;
		r->csq[i].picked = bsearch(&key, r->pref, r->npref, sizeof *r->pref, cmp_str) != NULL;
	}
}

int64_t ob_annread_line(const ob_annread *r)
{
	return r->in && ob_vcfread_is_text(r->in) ? ob_vcfread_line(r->in) : 0;
}

/* Splits s at sep in place into at most max fields; returns their count. */
static int split(char *s, char sep, char **f, int max)
{
	int n = 0;
	f[n++] = s;
	for (char *p = s; *p; p++)
		if (*p == sep) {
			*p = 0;
			if (n == max)
				return max + 1; /* too many */
			f[n++] = p + 1;
		}
	return n;
}

/* "19/28" -> 19, 28; "" -> 0, 0. VEP may write "2-3/28": the first. */
static void rank(const char *s, int *x, int *n)
{
	*x = *n = 0;
	if (!*s)
		return;
	*x = (int)strtol(s, NULL, 10);
	const char *sl = strchr(s, '/');
	if (sl)
		*n = (int)strtol(sl + 1, NULL, 10);
}

/* The first residue of "858/1210", "746-750", "?-5", "" -> 0. */
static int first_num(const char *s)
{
	while (*s && !isdigit((unsigned char)*s))
		s++;
	return (int)strtol(s, NULL, 10);
}

/* The residue number in "p.Val600Glu" / "p.V600E" / "p.Glu746_Ala750del". */
static int hgvs_p_pos(const char *p)
{
	if (strncmp(p, "p.", 2))
		return 0;
	p += 2;
	if (*p == '(')
		p++;
	while (*p && isalpha((unsigned char)*p))
		p++;
	return isdigit((unsigned char)*p) ? (int)strtol(p, NULL, 10) : 0;
}

/* Drops a "TRANSCRIPT:" prefix (VEP HGVSc/HGVSp) and decodes %3D as '='. */
static char *strip_ref(char *s)
{
	char *c = strchr(s, ':');
	if (c)
		s = c + 1;
	char *w = s;
	for (char *p = s; *p; p++) {
		if (p[0] == '%' && p[1] == '3' && (p[2] == 'D' || p[2] == 'd')) {
			*w++ = '=';
			p += 2;
		} else {
			*w++ = *p;
		}
	}
	*w = 0;
	return s;
}

static int push(ob_annread *r, ob_csq **c)
{
	if (r->ncsq == r->ccsq) {
		int nc = r->ccsq ? 2 * r->ccsq : 16;
		ob_csq *p = realloc(r->csq, (size_t)nc * sizeof *p);
		if (!p)
			return ob_error_set(OB_ERROR, "out of memory");
		r->csq = p;
		r->ccsq = nc;
	}
	*c = &r->csq[r->ncsq++];
	memset(*c, 0, sizeof **c);
	return 0;
}

/* The record's ALT matching allele a, else a itself. */
static const char *alt_of(bcf1_t *rec, const char *a)
{
	for (int i = 1; i < rec->n_allele; i++)
		if (!strcmp(rec->d.allele[i], a))
			return rec->d.allele[i];
	return a;
}

/* Parses an ANN value (ours or SnpEff's) split in place. */
static int parse_ann(ob_annread *r, char *v, const char *where_tag)
{
	char *e = v, *next;
	int k = 0;

	for (; e; e = next, k++) {
		next = strchr(e, ',');
		if (next)
			*next++ = 0;
		char *f[17];
		int n = split(e, '|', f, 16);
		if (n != 16)
			return ob_error_set(OB_EINVALID, "%s: %s: entry %d has %d fields, 16 expected",
				ob_vcfread_where(r->in), where_tag, k + 1, n > 16 ? 17 : n);
		ob_csq *c;
		int rc;
		if ((rc = push(r, &c)) < 0)
			return rc;
		c->allele = alt_of(r->rec, f[0]);
		c->consequence = f[1];
		c->impact = f[2];
		c->gene = f[3];
		c->transcript = f[6];
		c->biotype = f[7];
		if (strstr(f[1], "intron_variant") && !strstr(f[1], "exon") &&
		    !strstr(f[1], "frameshift") && !strstr(f[1], "inframe") && !strstr(f[1], "missense") &&
		    !strstr(f[1], "stop_") && !strstr(f[1], "synonymous") && !strstr(f[1], "UTR"))
			rank(f[8], &c->intron, &c->intron_count);
		else if (strstr(f[1], "splice_donor") || strstr(f[1], "splice_acceptor")) {
			/* a site variant: an intron rank when it touches no exon
			 * base; our annotator and SnpEff give the exon rank when it
			 * does. Without an exonic term we take it for an intron. */
			if (strstr(f[1], "coding") || strstr(f[1], "inframe") || strstr(f[1], "frameshift") ||
			    strstr(f[1], "exon") || strstr(f[1], "missense") || strstr(f[1], "stop_") ||
			    strstr(f[1], "synonymous"))
				rank(f[8], &c->exon, &c->exon_count);
			else
				rank(f[8], &c->intron, &c->intron_count);
		} else
			rank(f[8], &c->exon, &c->exon_count);
		c->hgvs_c = strip_ref(f[9]);
		c->hgvs_p = strip_ref(f[10]);
		c->protein_pos = first_num(f[13]);
		if (!c->protein_pos)
			c->protein_pos = hgvs_p_pos(c->hgvs_p);
		c->picked = strstr(f[15], "CANONICAL") || strstr(f[15], "MANE") || strstr(f[15], "PICK");
	}
	return 0;
}

/* VEP's allele spelling of each ALT: when every allele shares its first
 * base with REF (an indel in VCF style), that base is dropped and an
 * empty allele is written "-". */
static int vep_alts(ob_annread *r)
{
	bcf1_t *rec = r->rec;
	int trim = rec->n_allele > 1;
	size_t need = 0;
	for (int i = 0; i < rec->n_allele; i++) {
		const char *al = rec->d.allele[i];
		need += strlen(al) + 2;
		if (al[0] == '<' || al[0] == '*' || al[0] != rec->d.allele[0][0] ||
		    (i && strlen(al) == 1 && strlen(rec->d.allele[0]) == 1))
			trim = 0;
	}
	if (need > r->vep_alt_cap) {
		char *m = realloc(r->vep_alt_mem, need);
		if (!m)
			return ob_error_set(OB_ERROR, "out of memory");
		r->vep_alt_mem = m;
		r->vep_alt_cap = need;
	}
	if ((size_t)rec->n_allele > r->vep_alt_n) {
		char **p = realloc(r->vep_alt, (size_t)rec->n_allele * sizeof *p);
		if (!p)
			return ob_error_set(OB_ERROR, "out of memory");
		r->vep_alt = p;
		r->vep_alt_n = (size_t)rec->n_allele;
	}
	char *w = r->vep_alt_mem;
	for (int i = 1; i < rec->n_allele; i++) {
		const char *al = rec->d.allele[i] + trim;
		r->vep_alt[i - 1] = w;
		if (!*al)
			al = "-";
		size_t l = strlen(al);
		memcpy(w, al, l + 1);
		w += l + 1;
	}
	r->nvep_alt = rec->n_allele - 1;
	return 0;
}

static int parse_csq(ob_annread *r, char *v)
{
	char *e = v, *next;
	int k = 0, rc;
	char *f[256];

	if ((rc = vep_alts(r)) < 0)
		return rc;
	for (; e; e = next, k++) {
		next = strchr(e, ',');
		if (next)
			*next++ = 0;
		int n = split(e, '|', f, 255);
		if (n != r->vep_ncol)
			return ob_error_set(OB_EINVALID, "%s: %s: entry %d has %d fields, its header "
				"Format names %d", ob_vcfread_where(r->in), r->tag, k + 1,
				n > 255 ? 256 : n, r->vep_ncol);
		ob_csq *c;
		if ((rc = push(r, &c)) < 0)
			return rc;
#define COL(x) (r->vep[x] >= 0 ? f[r->vep[x]] : (r->empty[0] = 0, r->empty))
		const char *al = COL(V_ALLELE);
		c->allele = al;
		int num = r->vep[V_ALLELE_NUM] >= 0 ? (int)strtol(COL(V_ALLELE_NUM), NULL, 10) : 0;
		if (num >= 1 && num < r->rec->n_allele)
			c->allele = r->rec->d.allele[num];
		else
			for (int i = 0; i < r->nvep_alt; i++)
				if (!strcmp(r->vep_alt[i], al)) {
					c->allele = r->rec->d.allele[i + 1];
					break;
				}
		c->consequence = COL(V_CONSEQ);
		c->impact = COL(V_IMPACT);
		c->gene = COL(V_SYMBOL);
		c->transcript = COL(V_FEATURE);
		c->biotype = COL(V_BIOTYPE);
		rank(COL(V_EXON), &c->exon, &c->exon_count);
		rank(COL(V_INTRON), &c->intron, &c->intron_count);
		c->hgvs_c = strip_ref(COL(V_HGVSC));
		c->hgvs_p = strip_ref(COL(V_HGVSP));
		c->protein_pos = first_num(COL(V_PROTPOS));
		if (!c->protein_pos)
			c->protein_pos = hgvs_p_pos(c->hgvs_p);
		if (r->vep[V_PICK] >= 0)
			c->picked = !strcmp(COL(V_PICK), "1");
		else
			c->picked = !strcmp(COL(V_CANONICAL), "YES") || *COL(V_MANE) || *COL(V_MANE2);
#undef COL
	}
	return 0;
}

int ob_annread_next(ob_annread *r, bcf1_t **rec, const ob_csq **csq, int *n)
{
	int ret, rc;

	*rec = NULL;
	*csq = NULL;
	*n = 0;
	r->ncsq = 0;
	if ((ret = ob_vcfread_next(r->in, r->rec)) <= 0)
		return ret;
	if (bcf_unpack(r->rec, BCF_UN_ALL) < 0 || r->rec->n_allele < 1)
		return ob_error_set(OB_EINVALID, "%s: record: cannot be unpacked",
			ob_vcfread_where(r->in));
	int got = -1;
	if (r->kind != SRC_NONE)
		got = bcf_get_info_string(r->hdr, r->rec, r->tag, &r->val, &r->nval);
	if (got > 0 && r->val[0] && strcmp(r->val, ".")) {
		rc = r->kind == SRC_ANN ? parse_ann(r, r->val, r->tag) : parse_csq(r, r->val);
		if (rc < 0)
			return rc;
	} else if (r->a && r->rec->n_allele > 1) {
		ob_buf_clear(&r->ann);
		if ((rc = ob_annotate_record(r->a, bcf_seqname(r->hdr, r->rec), r->rec->pos + 1,
			r->rec->d.allele[0], (const char *const *)r->rec->d.allele + 1,
			r->rec->n_allele - 1, &r->ann)) < 0)
			return rc;
		size_t l = r->ann.len + 1;
		if (l > r->work_cap) {
			char *w = realloc(r->work, l);
			if (!w)
				return ob_error_set(OB_ERROR, "out of memory");
			r->work = w;
			r->work_cap = l;
		}
		memcpy(r->work, ob_buf_cstr(&r->ann), l);
		if (r->ann.len && (rc = parse_ann(r, r->work, "ANN")) < 0)
			return rc;
	}
	if (r->npref && r->ncsq)
		mark_preferred(r);
	*rec = r->rec;
	*csq = r->csq;
	*n = r->ncsq;
	return 1;
}
