/*
 * clinvar.c - ClinVar import and look-ups (see clinvar.h). The VCF is read
 * record by record (htslib), every row goes in through one prepared INSERT
 * inside one transaction, so memory stays flat and a bad record leaves the
 * database as it was.
 */
#include "interp/clinvar.h"
#include "genomics/vcfread.h"
#include "base/buf.h"
#include "base/error.h"
#include "base/util.h"

#include <htslib/hts.h>
#include <htslib/kseq.h>
#include <htslib/kstring.h>
#include <htslib/vcf.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
	const char *word, *cls;
} classes[] = {
	{ "Pathogenic", "P" },
	{ "Likely_pathogenic", "LP" },
	{ "Pathogenic/Likely_pathogenic", "PLP" },
	{ "Pathogenic,_low_penetrance", "P" },
	{ "Likely_pathogenic,_low_penetrance", "LP" },
	{ "Pathogenic/Likely_pathogenic/Pathogenic,_low_penetrance", "PLP" },
	{ "Uncertain_significance", "VUS" },
	{ "Likely_benign", "LB" },
	{ "Benign", "B" },
	{ "Benign/Likely_benign", "BLB" },
	{ "Conflicting_classifications_of_pathogenicity", "CONF" },
	{ "Conflicting_interpretations_of_pathogenicity", "CONF" },
};

const char *ob_clinvar_class(const char *clnsig)
{
	size_t n = strcspn(clnsig, "|");
	for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++)
		if (strlen(classes[i].word) == n && !strncmp(clnsig, classes[i].word, n))
			return classes[i].cls;
	return "OTHER";
}

const char *ob_clinvar_class_words(const char *cls)
{
	static const struct { const char *c, *w; } words[] = {
		{ "P", "Pathogenic" }, { "LP", "Likely pathogenic" },
		{ "PLP", "Pathogenic/Likely pathogenic" }, { "VUS", "Uncertain significance" },
		{ "LB", "Likely benign" }, { "B", "Benign" }, { "BLB", "Benign/Likely benign" },
		{ "CONF", "Conflicting classifications" },
	};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (!strcmp(cls, words[i].c))
			return words[i].w;
	return "other";
}

int ob_clinvar_acmg_class(const char *cls)
{
	if (!strcmp(cls, "P") || !strcmp(cls, "PLP"))
		return OB_ACMG_PATHOGENIC;
	if (!strcmp(cls, "LP"))
		return OB_ACMG_LIKELY_PATHOGENIC;
	if (!strcmp(cls, "VUS"))
		return OB_ACMG_VUS;
	if (!strcmp(cls, "LB"))
		return OB_ACMG_LIKELY_BENIGN;
	if (!strcmp(cls, "B") || !strcmp(cls, "BLB"))
		return OB_ACMG_BENIGN;
	return -1;
}

int ob_clinvar_stars(const char *r)
{
	static const struct { const char *s; int stars; } map[] = {
		{ "practice_guideline", 4 },
		{ "reviewed_by_expert_panel", 3 },
		{ "criteria_provided,_multiple_submitters,_no_conflicts", 2 },
		{ "criteria_provided,_single_submitter", 1 },
		{ "criteria_provided,_conflicting_classifications", 1 },
		{ "criteria_provided,_conflicting_interpretations", 1 },
		{ "no_assertion_criteria_provided", 0 },
		{ "no_classification_provided", 0 },
		{ "no_classification_for_the_single_variant", 0 },
		{ "no_classifications_from_unflagged_records", 0 },
		{ "no_assertion_provided", 0 },
		{ "no_interpretation_for_the_single_variant", 0 },
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (!strcmp(r, map[i].s))
			return map[i].stars;
	return -1;
}

/* ClinVar's MC names that differ from the SO names the annotator writes. */
static const char *so_name(const char *t, size_t n)
{
	if (n == 8 && !strncmp(t, "nonsense", n))
		return "stop_gained";
	if (n == 23 && !strncmp(t, "initiator_codon_variant", n))
		return "start_lost";
	return NULL;
}

int ob_clinvar_mc_terms(const char *mc, ob_buf *out)
{
	ob_buf_clear(out);
	for (const char *p = mc; p && *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		const char *bar = memchr(p, '|', len);
		if (bar) {
			const char *t = bar + 1;
			size_t tl = len - (size_t)(t - p);
			const char *so = so_name(t, tl);
			if (out->len)
				ob_buf_putc(out, '&');
			if (so)
				ob_buf_puts(out, so);
			else
				ob_buf_put(out, t, tl);
		}
		p = e ? e + 1 : NULL;
	}
	if (!out->len)
		ob_buf_puts(out, "");
	return out->failed ? OB_ERROR : 0;
}

static const char *strip_chr(const char *c)
{
	return !strncasecmp(c, "chr", 3) && c[3] ? c + 3 : c;
}

/* True when transcript id (n bytes) is a MANE Select or canonical model
 * overlapping chrom:pos in g. */
static int preferred_tx(const ob_gff *g, const char *chrom, int64_t pos, const char *id, size_t n)
{
	const ob_tx *near[64];
	size_t k;

	if (!g)
		return 0;
	k = ob_gff_near(g, chrom, pos, pos, 0, near, 64);
	if (k == 0 && !strncasecmp(chrom, "chr", 3))
		k = ob_gff_near(g, chrom + 3, pos, pos, 0, near, 64);
	for (size_t i = 0; i < k && i < 64; i++) {
		size_t il = strlen(near[i]->id);
		if ((near[i]->flags & (OB_TX_MANE_SELECT | OB_TX_CANONICAL)) && il <= n &&
		    !strncmp(near[i]->id, id, il) && (il == n || id[il] == '.'))
			return 1;
	}
	return 0;
}

/* The ANN entry for gene with a protein change - on the MANE Select or
 * canonical transcript of g when there is one, else the first - gives
 * HGVS.p and the residue. ANN: Allele|Annotation|Impact|Gene_Name|Gene_ID|
 * Feature_Type|Feature_ID (6)|...|HGVS.p (10)|...|AA.pos/len (13) */
static void ann_protein(const char *ann, const char *gene, const ob_gff *g, const char *chrom,
	int64_t pos, char *pchange, size_t n, int *ppos)
{
	*pchange = '\0';
	*ppos = 0;
	for (int pass = g ? 0 : 1; pass < 2; pass++) {
		for (const char *e = ann; e && *e;) {
			const char *end = strchr(e, ',');
			size_t elen = end ? (size_t)(end - e) : strlen(e);
			const char *f[16];
			size_t fl[16];
			int nf = 0;
			for (const char *p = e; nf < 16;) {
				const char *bar = memchr(p, '|', (size_t)(e + elen - p));
				f[nf] = p;
				fl[nf++] = bar ? (size_t)(bar - p) : (size_t)(e + elen - p);
				if (!bar)
					break;
				p = bar + 1;
			}
			if (nf >= 14 && fl[10] > 2 && fl[10] < n && fl[3] == strlen(gene) &&
			    !strncmp(f[3], gene, fl[3]) &&
			    (pass == 1 || preferred_tx(g, chrom, pos, f[6], fl[6]))) {
				memcpy(pchange, f[10], fl[10]);
				pchange[fl[10]] = '\0';
				*ppos = (int)strtol(f[13], NULL, 10);
				return;
			}
			e = end ? end + 1 : NULL;
		}
	}
}

typedef struct reader {
	const char *path;
	bcf_hdr_t *hdr;
	int64_t line;
	char *v;      /* bcf_get_info_string buffer */
	int nv;
} reader;

/* INFO/key as a string into dst (n bytes); 0 found, 1 absent. */
static int info_str(reader *r, bcf1_t *rec, const char *key, char *dst, size_t n)
{
	int len = bcf_get_info_string(r->hdr, rec, key, &r->v, &r->nv);
	if (len < 0) {
		*dst = '\0';
		return 1;
	}
	snprintf(dst, n, "%s", r->v);
	return 0;
}

static int bad(reader *r, const char *field, const char *msg, const char *val)
{
	return ob_error_set(OB_EINVALID, "%s:%lld: %s: %s%s%s%s", r->path, (long long)r->line, field,
		msg, val ? " '" : "", val ? val : "", val ? "'" : "");
}

static const char sql_release_find[] =
	"SELECT id FROM clinvar_release WHERE file_date = $1 AND reference = $2";
static const char sql_release_add[] =
	"INSERT INTO clinvar_release (file_date, reference, source_file, imported_at, records_read,"
	" records_stored, protein_derived) VALUES ($1, $2, $3, $4, 0, 0, $5)";
static const char sql_release_set[] =
	"UPDATE clinvar_release SET records_read = $2, records_stored = $3, imported_at = $4,"
	" source_file = $5, protein_derived = $6 WHERE id = $1";
static const char sql_variants_drop[] = "DELETE FROM clinvar_variant WHERE release_id = $1";
static const char sql_variant_add[] =
	"INSERT INTO clinvar_variant (release_id, chrom, pos, ref, alt, variation_id, allele_id,"
	" gene, genes, significance, class, review_status, stars, conditions, hgvs, variant_type,"
	" consequence, protein_change, protein_pos)"
	" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)";

static int header_value(bcf_hdr_t *h, const char *key, char *dst, size_t n)
{
	bcf_hrec_t *hr = bcf_hdr_get_hrec(h, BCF_HL_GEN, key, NULL, NULL);
	if (!hr || !hr->value || !*hr->value)
		return 1;
	snprintf(dst, n, "%s", hr->value);
	return 0;
}

static int release_begin(ob_store *st, reader *r, const char *path, const ob_clinvar_opts *o,
	ob_clinvar_stats *s)
{
	ob_stmt *q;
	char now[OB_TIME_LEN];
	const char *base = strrchr(path, '/');
	int rc;

	if ((rc = ob_store_prepare(st, sql_release_find, &q)) < 0)
		return rc;
	ob_stmt_bind_text(q, 1, s->file_date);
	ob_stmt_bind_text(q, 2, s->reference);
	rc = ob_stmt_step(q);
	if (rc == OB_ROW) {
		s->release_id = ob_stmt_int(q, 0);
		ob_stmt_reset(q);
		if (!o->replace)
			return ob_error_set(OB_EEXISTS, "%s: ClinVar release %s (%s) is already imported; "
				"--replace replaces it", r->path, s->file_date, s->reference);
		s->replaced = 1;
		if ((rc = ob_store_prepare(st, sql_variants_drop, &q)) < 0)
			return rc;
		ob_stmt_bind_int(q, 1, s->release_id);
		return ob_stmt_exec(q);
	}
	ob_stmt_reset(q);
	if (rc < 0)
		return rc;
	ob_time_now(now);
	if ((rc = ob_store_prepare(st, sql_release_add, &q)) < 0)
		return rc;
	ob_stmt_bind_text(q, 1, s->file_date);
	ob_stmt_bind_text(q, 2, s->reference);
	ob_stmt_bind_text(q, 3, base ? base + 1 : path);
	ob_stmt_bind_text(q, 4, now);
	ob_stmt_bind_int(q, 5, o->annotator != NULL);
	return ob_stmt_insert(q, &s->release_id);
}

/* Reads one record into the INSERT; 1 stored, 0 skipped (counted). */
static int one_record(ob_store *st, reader *r, bcf1_t *rec, const ob_clinvar_opts *o,
	ob_clinvar_stats *s, ob_buf *tmp)
{
	char sig[256], rev[160], geneinfo[256], gene[64], genes[256], dn[1024], hgvs[512],
		vc[64], mc[1024], pchange[64];
	int64_t vid = 0, allele_id = 0;
	int ppos = 0, stars, rc;
	ob_stmt *q;

	if (bcf_unpack(rec, BCF_UN_STR | BCF_UN_INFO) < 0 || rec->errcode)
		return bad(r, "record", "malformed VCF record", NULL);
	if (rec->n_allele > 2)
		return bad(r, "ALT", "more than one ALT allele (a ClinVar record has one)", NULL);
	if (rec->n_allele < 2 || rec->d.allele[1][0] == '<' || !strcmp(rec->d.allele[1], ".") ||
	    !strcmp(rec->d.allele[1], "*")) {
		s->skipped_no_alt++;
		return 0;
	}
	if (info_str(r, rec, "CLNSIG", sig, sizeof sig) || !strcmp(sig, ".")) {
		s->skipped_no_class++;
		return 0;
	}
	if (info_str(r, rec, "CLNREVSTAT", rev, sizeof rev))
		return bad(r, "CLNREVSTAT", "missing beside CLNSIG", NULL);
	if ((stars = ob_clinvar_stars(rev)) < 0)
		return bad(r, "CLNREVSTAT", "unknown review status", rev);
	if (!rec->d.id || ob_parse_i64(rec->d.id, &vid) < 0 || vid <= 0)
		return bad(r, "ID", "not a ClinVar variation id", rec->d.id);
	{
		int32_t *iv = NULL;
		int ni = 0;
		if (bcf_get_info_int32(r->hdr, rec, "ALLELEID", &iv, &ni) > 0)
			allele_id = iv[0];
		free(iv);
	}
	gene[0] = genes[0] = '\0';
	if (!info_str(r, rec, "GENEINFO", geneinfo, sizeof geneinfo)) {
		size_t gl = 0;
		for (const char *p = geneinfo; p && *p;) {
			const char *colon = strchr(p, ':'), *bar = strchr(p, '|');
			size_t n = colon && (!bar || colon < bar) ? (size_t)(colon - p)
				: bar ? (size_t)(bar - p) : strlen(p);
			if (!gene[0] && n < sizeof gene) {
				memcpy(gene, p, n);
				gene[n] = '\0';
			}
			if (gl + n + 2 < sizeof genes) {
				if (gl)
					genes[gl++] = '|';
				memcpy(genes + gl, p, n);
				gl += n;
				genes[gl] = '\0';
			}
			p = bar ? bar + 1 : NULL;
		}
	}
	if (info_str(r, rec, "CLNDN", dn, sizeof dn))
		dn[0] = '\0';
	if (info_str(r, rec, "CLNHGVS", hgvs, sizeof hgvs))
		hgvs[0] = '\0';
	if (info_str(r, rec, "CLNVC", vc, sizeof vc))
		vc[0] = '\0';
	if (info_str(r, rec, "MC", mc, sizeof mc))
		mc[0] = '\0';
	if ((rc = ob_clinvar_mc_terms(mc, tmp)) < 0)
		return ob_error_set(rc, "out of memory");
	pchange[0] = '\0';
	if (o->annotator && gene[0]) {
		ob_buf ann = OB_BUF_INIT;
		const char *alts[1] = { rec->d.allele[1] };
		if (ob_annotate_record(o->annotator, bcf_seqname(r->hdr, rec), rec->pos + 1,
		                       rec->d.allele[0], alts, 1, &ann) < 0) {
			ob_buf_dispose(&ann);
			return ob_error_set(OB_ERROR, "out of memory");
		}
		if (ann.len)
			ann_protein(ann.s, gene, o->models, bcf_seqname(r->hdr, rec), rec->pos + 1,
				pchange, sizeof pchange, &ppos);
		ob_buf_dispose(&ann);
		if (pchange[0])
			s->with_protein++;
	}
	if ((rc = ob_store_prepare(st, sql_variant_add, &q)) < 0)
		return rc;
	ob_stmt_bind_int(q, 1, s->release_id);
	ob_stmt_bind_text(q, 2, strip_chr(bcf_seqname(r->hdr, rec)));
	ob_stmt_bind_int(q, 3, rec->pos + 1);
	ob_stmt_bind_text(q, 4, rec->d.allele[0]);
	ob_stmt_bind_text(q, 5, rec->d.allele[1]);
	ob_stmt_bind_int(q, 6, vid);
	if (allele_id)
		ob_stmt_bind_int(q, 7, allele_id);
	ob_stmt_bind_text(q, 8, gene[0] ? gene : NULL);
	ob_stmt_bind_text(q, 9, genes[0] ? genes : NULL);
	ob_stmt_bind_text(q, 10, sig);
	ob_stmt_bind_text(q, 11, ob_clinvar_class(sig));
	ob_stmt_bind_text(q, 12, rev);
	ob_stmt_bind_int(q, 13, stars);
	ob_stmt_bind_text(q, 14, dn[0] ? dn : NULL);
	ob_stmt_bind_text(q, 15, hgvs[0] ? hgvs : NULL);
	ob_stmt_bind_text(q, 16, vc[0] ? vc : NULL);
	ob_stmt_bind_text(q, 17, tmp->len ? tmp->s : NULL);
	ob_stmt_bind_text(q, 18, pchange[0] ? pchange : NULL);
	if (ppos > 0)
		ob_stmt_bind_int(q, 19, ppos);
	if ((rc = ob_stmt_exec(q)) < 0)
		return rc;
	return 1;
}

int ob_clinvar_import(ob_store *st, const char *path, const ob_clinvar_opts *opts,
	ob_clinvar_stats *out)
{
	static const ob_clinvar_opts none = { 0, NULL, NULL };
	const ob_clinvar_opts *o = opts ? opts : &none;
	reader r = { path, NULL, 0, NULL, 0 };
	ob_vcfread *in = NULL;
	bcf1_t *rec = NULL;
	ob_buf tmp = OB_BUF_INIT;
	int rc = 0, in_txn = 0;

	memset(out, 0, sizeof *out);
	/* every record checked as it is read: FILE:LINE: FIELD: message */
	if ((rc = ob_vcfread_open(&in, path, 0)) < 0)
		goto out;
	r.hdr = ob_vcfread_header(in);
	if (header_value(r.hdr, "fileDate", out->file_date, sizeof out->file_date)) {
		rc = ob_error_set(OB_EINVALID, "%s: header: no ##fileDate (it names the ClinVar release)",
			path);
		goto out;
	}
	/* ClinVar writes 20260226 in older files and 2026-02-26 now: store ISO */
	if (strlen(out->file_date) == 8 && !strchr(out->file_date, '-')) {
		char d[16];
		snprintf(d, sizeof d, "%.4s-%.2s-%.2s", out->file_date, out->file_date + 4,
			out->file_date + 6);
		snprintf(out->file_date, sizeof out->file_date, "%s", d);
	}
	if (header_value(r.hdr, "reference", out->reference, sizeof out->reference)) {
		rc = ob_error_set(OB_EINVALID, "%s: header: no ##reference (the genome build)", path);
		goto out;
	}
	if (bcf_hdr_id2int(r.hdr, BCF_DT_ID, "CLNSIG") < 0) {
		rc = ob_error_set(OB_EINVALID, "%s: header: no INFO/CLNSIG: not a ClinVar VCF", path);
		goto out;
	}
	if ((rc = ob_store_begin(st)) < 0)
		goto out;
	in_txn = 1;
	if ((rc = release_begin(st, &r, path, o, out)) < 0)
		goto out;
	rec = bcf_init();
	if (!rec) {
		rc = ob_error_set(OB_ERROR, "out of memory");
		goto out;
	}
	for (;;) {
		int k = ob_vcfread_next(in, rec);
		if (k < 0) {
			rc = k;
			goto out;
		}
		if (k == 0)
			break;
		r.line = ob_vcfread_line(in);
		out->read++;
		if ((k = one_record(st, &r, rec, o, out, &tmp)) < 0) {
			rc = k;
			goto out;
		}
		out->stored += k;
	}
	{
		ob_stmt *q;
		char now[OB_TIME_LEN];
		const char *base = strrchr(path, '/');
		ob_time_now(now);
		if ((rc = ob_store_prepare(st, sql_release_set, &q)) < 0)
			goto out;
		ob_stmt_bind_int(q, 1, out->release_id);
		ob_stmt_bind_int(q, 2, out->read);
		ob_stmt_bind_int(q, 3, out->stored);
		ob_stmt_bind_text(q, 4, now);
		ob_stmt_bind_text(q, 5, base ? base + 1 : path);
		ob_stmt_bind_int(q, 6, o->annotator != NULL);
		if ((rc = ob_stmt_exec(q)) < 0)
			goto out;
	}
	in_txn = 0;
	rc = ob_store_commit(st);
out:
	if (in_txn)
		ob_store_rollback(st);
	bcf_destroy(rec);
	ob_vcfread_free(in); /* and r.hdr with it */
	free(r.v);
	ob_buf_dispose(&tmp);
	return rc;
}

/* ---- look-ups -------------------------------------------------------- */

/* The newest release (by fileDate) is the one look-ups read. */
#define NEWEST "(SELECT id FROM clinvar_release ORDER BY file_date DESC, id DESC LIMIT 1)"

static const char sql_find[] =
	"SELECT v.variation_id, v.gene, v.significance, v.class, v.review_status, v.stars,"
	" v.conditions, v.hgvs, v.consequence, v.protein_change, r.file_date"
	" FROM clinvar_variant v JOIN clinvar_release r ON r.id = v.release_id"
	" WHERE v.chrom = $1 AND v.pos = $2 AND v.ref = $3 AND v.alt = $4 AND v.release_id = " NEWEST;

static void col(ob_stmt *q, int i, char *dst, size_t n)
{
	const char *t = ob_stmt_text(q, i);
	snprintf(dst, n, "%s", t ? t : "");
}

int ob_clinvar_find(ob_store *st, const char *chrom, int64_t pos, const char *ref,
	const char *alt, ob_clinvar_rec *out)
{
	ob_stmt *q;
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = ob_store_prepare(st, sql_find, &q)) < 0)
		return rc;
	ob_stmt_bind_text(q, 1, strip_chr(chrom));
	ob_stmt_bind_int(q, 2, pos);
	ob_stmt_bind_text(q, 3, ref);
	ob_stmt_bind_text(q, 4, alt);
	rc = ob_stmt_step(q);
	if (rc == OB_ROW) {
		out->variation_id = ob_stmt_int(q, 0);
		col(q, 1, out->gene, sizeof out->gene);
		col(q, 2, out->significance, sizeof out->significance);
		col(q, 3, out->cls, sizeof out->cls);
		col(q, 4, out->review_status, sizeof out->review_status);
		out->stars = (int)ob_stmt_int(q, 5);
		col(q, 6, out->conditions, sizeof out->conditions);
		col(q, 7, out->hgvs, sizeof out->hgvs);
		col(q, 8, out->consequence, sizeof out->consequence);
		col(q, 9, out->protein_change, sizeof out->protein_change);
		col(q, 10, out->file_date, sizeof out->file_date);
		rc = 0;
	} else if (rc == 0) {
		rc = OB_ENOTFOUND;
	}
	ob_stmt_reset(q);
	return rc;
}

int ob_clinvar_have(ob_store *st)
{
	ob_stmt *q;
	int rc;
	if (ob_store_prepare(st, "SELECT 1 FROM clinvar_release LIMIT 1", &q) < 0)
		return 0;
	rc = ob_stmt_step(q);
	ob_stmt_reset(q);
	return rc == OB_ROW;
}

static const char sql_residue[] =
	"SELECT variation_id, chrom, pos, ref, alt, protein_change, consequence"
	" FROM clinvar_variant WHERE gene = $1 AND protein_pos = $2"
	" AND class IN ('P', 'LP', 'PLP') AND stars >= 1 AND release_id = " NEWEST;

int ob_clinvar_residue(ob_store *st, const char *gene, int protein_pos, const char *hgvs_p,
	const char *chrom, int64_t pos, const char *ref, const char *alt, ob_acmg_clinvar *out)
{
	ob_stmt *q;
	int rc;

	memset(out, 0, sizeof *out);
	if (!gene || !*gene || protein_pos <= 0)
		return 0;
	if ((rc = ob_store_prepare(st, sql_residue, &q)) < 0)
		return rc;
	ob_stmt_bind_text(q, 1, gene);
	ob_stmt_bind_int(q, 2, protein_pos);
	while ((rc = ob_stmt_step(q)) == OB_ROW) {
		const char *pc = ob_stmt_text(q, 5), *cons = ob_stmt_text(q, 6);
		int self = !strcmp(ob_stmt_text(q, 1), strip_chr(chrom)) && ob_stmt_int(q, 2) == pos &&
			!strcmp(ob_stmt_text(q, 3), ref) && !strcmp(ob_stmt_text(q, 4), alt);
		if (self || !pc)
			continue;
		if (protein_pos == 1)
			out->start_path++;
		if (!cons || !strstr(cons, "missense_variant"))
			continue;
		if (hgvs_p && *hgvs_p && !strcmp(pc, hgvs_p)) {
			if (!out->same_aa_path++)
				snprintf(out->same_aa_example, sizeof out->same_aa_example,
					"VCV %lld %s", (long long)ob_stmt_int(q, 0), pc);
		} else {
			if (!out->residue_path++)
				snprintf(out->residue_example, sizeof out->residue_example,
					"VCV %lld %s", (long long)ob_stmt_int(q, 0), pc);
		}
	}
	ob_stmt_reset(q);
	return rc < 0 ? rc : 0;
}
