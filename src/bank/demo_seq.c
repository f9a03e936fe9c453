/*
 * demo_seq.c - sequencing results for the demo network (see demo.h):
 * tumour panels of DNA extracted from fresh-frozen tumour tissue and
 * germline panels of DNA from buffy coat, as a molecular laboratory would
 * deliver them, stored through ob_seq_add() like any other result.
 *
 * The variants sit on the synthetic panel genome shipped in
 * data/demo-genome/ (contigs 3, 4, 7, 12 and 17 with EGFR, MET, BRAF, KRAS,
 * PIK3CA, PDGFRA and BRCA1 built so that the real codons fall at the real
 * residue numbers; its README tells how it was made): the server, given
 * that genome (`serve --fasta --gff`, as `make demo` does), annotates them
 * when a report is opened.
 */
#include "bank/demo.h"
#include "bank/sequencing.h"
#include "base/error.h"
#include "store/store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A biomarker variant on the demo genome (positions as in the genome's
 * test cases: tests/data/somatic/cases.vcf). */
typedef struct dvar {
	const char *name, *chrom;
	int pos;
	const char *ref, *alt;
} dvar;

static const dvar V_EGFR_L858R = { "EGFR L858R", "7", 4503, "T", "G" };
static const dvar V_EGFR_T790M = { "EGFR T790M", "7", 4219, "C", "T" };
static const dvar V_EGFR_EX19 = { "EGFR exon 19 deletion", "7", 4005, "GGAATTAAGAGAAGCA", "G" };
static const dvar V_KRAS_G12C = { "KRAS G12C", "12", 1117, "C", "A" };
static const dvar V_KRAS_G12D = { "KRAS G12D", "12", 1116, "C", "T" };
static const dvar V_MET_EX14 = { "MET exon 14 donor", "7", 10561, "G", "A" };
static const dvar V_BRAF_V600E = { "BRAF V600E", "7", 13389, "A", "T" };
static const dvar V_PIK3CA_H1047R = { "PIK3CA H1047R", "3", 5070, "A", "G" };
static const dvar V_BRCA1_FS = { "BRCA1 frameshift", "17", 4873, "TC", "T" };

static const char header[] =
	"##fileformat=VCFv4.2\n"
	"##source=oncobank demo-data (synthetic panel genome, data/demo-genome)\n"
	"##reference=oncobank-demo-panel\n"
	"##contig=<ID=3,length=5477>\n##contig=<ID=4,length=5700>\n"
	"##contig=<ID=7,length=16637>\n##contig=<ID=12,length=1590>\n"
	"##contig=<ID=17,length=7942>\n"
	"##FILTER=<ID=PASS,Description=\"All filters passed\">\n"
	"##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"
	"##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"Allelic depths\">\n"
	"##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"Read depth\">\n";

/* xorshift64*: a stream of its own, so the bank's data do not change. */
static uint64_t next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ull;
}

static double unif(uint64_t *s)
{
	return (double)(next(s) >> 11) / 9007199254740992.0;
}

/* The OncoTree code of an ICD-O-3 topography + morphology, for the cancers
 * the demo makes; NULL when the demo sequences none of that kind. */
static const char *oncotree(const char *topo, const char *morph)
{
	if (!strncmp(topo, "C34", 3))
		return !strncmp(morph, "8140", 4) ? "LUAD" : !strncmp(morph, "8070", 4) ? "LUSC"
			: NULL;
	if (!strncmp(topo, "C50", 3))
		return !strncmp(morph, "8500", 4) ? "IDC" : !strncmp(morph, "8520", 4) ? "ILC"
			: "BRCA";
	if (!strncmp(topo, "C18", 3) || !strncmp(topo, "C19", 3) || !strncmp(topo, "C20", 3))
		return "COADREAD";
	if (!strncmp(topo, "C16", 3))
		return "STAD";
	if (!strncmp(topo, "C56", 3) && !strncmp(morph, "8441", 4))
		return "HGSOC";
	if (!strncmp(topo, "C73", 3) && !strncmp(morph, "8260", 4))
		return "THPA";
	return NULL;
}

/* The somatic variants of one tumour (at most 3). */
static int tumour_variants(const char *tt, uint64_t *s, const dvar **v)
{
	double u = unif(s);
	int n = 0;

	if (!strcmp(tt, "LUAD")) {
		if (u < 0.40) {
			v[n++] = &V_EGFR_L858R;
			if (unif(s) < 0.25)
				v[n++] = &V_EGFR_T790M;
		} else if (u < 0.65) {
			v[n++] = &V_EGFR_EX19;
		} else if (u < 0.85) {
			v[n++] = &V_KRAS_G12C;
		} else if (u < 0.93) {
			v[n++] = &V_MET_EX14;
		}
	} else if (!strcmp(tt, "COADREAD")) {
		if (u < 0.45)
			v[n++] = &V_KRAS_G12D;
		else if (u < 0.60)
			v[n++] = &V_BRAF_V600E;
	} else if (!strcmp(tt, "IDC") || !strcmp(tt, "ILC") || !strcmp(tt, "BRCA")) {
		if (u < 0.40)
			v[n++] = &V_PIK3CA_H1047R;
	} else if (!strcmp(tt, "HGSOC")) {
		if (u < 0.20)
			v[n++] = &V_BRCA1_FS;
	} else if (!strcmp(tt, "THPA")) {
		if (u < 0.60)
			v[n++] = &V_BRAF_V600E;
	} else if (!strcmp(tt, "LUSC")) {
		if (u < 0.15)
			v[n++] = &V_PIK3CA_H1047R;
	}
	return n;
}

static int cmp_pos(const void *a, const void *b)
{
	const dvar *x = *(const dvar *const *)a, *y = *(const dvar *const *)b;
	int cx = atoi(x->chrom), cy = atoi(y->chrom);

	return cx != cy ? (cx > cy) - (cx < cy) : (x->pos > y->pos) - (x->pos < y->pos);
}

/* The VCF text of a tumour/normal pair or of one germline sample. */
static int vcf_text(ob_buf *b, const dvar **v, int n, int germline, uint64_t *s)
{
	ob_buf_clear(b);
	ob_buf_puts(b, header);
	if (!germline)
		ob_buf_puts(b, "##tumor_sample=TUMOR\n##normal_sample=NORMAL\n");
	else  /* the laboratory's pipeline adds the population frequency */
		ob_buf_puts(b, "##INFO=<ID=gnomAD_AF,Number=A,Type=Float,Description=\"gnomAD"
			" allele frequency (0: absent)\">\n");
	ob_buf_puts(b, germline ? "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tGERMLINE\n"
		: "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tNORMAL\tTUMOR\n");
	qsort(v, (size_t)n, sizeof *v, cmp_pos);
	for (int i = 0; i < n; i++) {
		int dp = 150 + (int)(unif(s) * 450);
		double vaf = germline ? 0.42 + unif(s) * 0.16 : 0.05 + unif(s) * 0.45;
		int alt = (int)lround(dp * vaf), ndp = 80 + (int)(unif(s) * 120);
		ob_buf_printf(b, "%s\t%d\t.\t%s\t%s\t%d\tPASS\t%s\tGT:AD:DP", v[i]->chrom, v[i]->pos,
			v[i]->ref, v[i]->alt, 50 + (int)(unif(s) * 50), germline ? "gnomAD_AF=0" : ".");
		if (germline)
			ob_buf_printf(b, "\t0/1:%d,%d:%d\n", dp - alt, alt, dp);
		else
			ob_buf_printf(b, "\t0/0:%d,0:%d\t0/1:%d,%d:%d\n", ndp, ndp, dp - alt, alt, dp);
	}
	return b->failed ? ob_error_set(OB_ERROR, "out of memory") : 0;
}

typedef struct cand {
	char barcode[40], parent_type[24], topo[8], morph[8];
} cand;

int ob_demo_sequencing(const ob_ctx *cx, uint64_t seed, int64_t counts[2])
{
	static const char *const sql =
		"SELECT s.barcode, p.type, g.topography, g.morphology FROM specimen s"
		" JOIN specimen p ON p.id = s.parent_id JOIN donor d ON d.id = s.donor_id"
		" JOIN diagnosis g ON g.id = (SELECT MIN(id) FROM diagnosis WHERE donor_id = d.id)"
		" WHERE s.type = 'dna' AND s.status = 'available' AND d.withdrawn = 0"
		" AND (d.consent_mask & 4) <> 0 ORDER BY s.id";
	cand *c = NULL;
	size_t n = 0, cap = 0;
	ob_buf vcf = OB_BUF_INIT;
	uint64_t s = seed ^ 0x5e9e5e5e5eull;
	ob_stmt *st;
	int rc;

	counts[0] = counts[1] = 0;
	if ((rc = ob_store_prepare(cx->st, sql, &st)) < 0)
		return rc;
	while ((rc = ob_stmt_step(st)) == OB_ROW) {
		if (n == cap) {
			cand *m = realloc(c, (cap = cap ? cap * 2 : 256) * sizeof *c);
			if (!m) {
				rc = ob_error_set(OB_ERROR, "out of memory");
				break;
			}
			c = m;
		}
		snprintf(c[n].barcode, sizeof c[n].barcode, "%s", ob_stmt_text(st, 0));
		snprintf(c[n].parent_type, sizeof c[n].parent_type, "%s", ob_stmt_text(st, 1));
		snprintf(c[n].topo, sizeof c[n].topo, "%s", ob_stmt_text(st, 2));
		snprintf(c[n].morph, sizeof c[n].morph, "%s", ob_stmt_text(st, 3));
		n++;
	}
	ob_stmt_reset(st);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		const dvar *v[4];
		ob_seq_new in = { 0 };
		int nv;

		in.specimen = c[i].barcode;
		in.genome = "oncobank-demo-panel";
		in.panel_size_mb = NAN;
		if (!strcmp(c[i].parent_type, "buffy_coat")) {
			/* hereditary breast/ovarian panel for breast and ovarian cancer */
			if ((strncmp(c[i].topo, "C50", 3) && strncmp(c[i].topo, "C56", 3))
			    || unif(&s) >= 0.5)
				continue;
			nv = unif(&s) < 0.12 ? (v[0] = &V_BRCA1_FS, 1) : 0;
			in.kind = "germline";
			in.assay = "Hereditary breast/ovarian cancer panel (13 genes)";
			in.file_name = "germline_panel.vcf";
			if ((rc = vcf_text(&vcf, v, nv, 1, &s)) == 0
			    && (rc = ob_seq_add(cx, &in, ob_buf_cstr(&vcf), vcf.len, NULL)) == 0)
				counts[1]++;
			continue;
		}
		const char *tt = oncotree(c[i].topo, c[i].morph);
		if (!tt || unif(&s) >= 0.4)
			continue;
		nv = tumour_variants(tt, &s, v);
		in.kind = "somatic";
		in.assay = "Solid tumour NGS panel (52 genes, 1.2 Mb)";
		in.tumor_type = tt;
		in.panel_size_mb = 1.2;
		in.msi = !strcmp(tt, "COADREAD") || !strcmp(tt, "STAD")
			? (unif(&s) < 0.15 ? "high" : "stable") : NULL;
		in.file_name = "tumour_panel.vcf";
		if ((rc = vcf_text(&vcf, v, nv, 0, &s)) == 0
		    && (rc = ob_seq_add(cx, &in, ob_buf_cstr(&vcf), vcf.len, NULL)) == 0)
			counts[0]++;
	}
	if (rc < 0)
		rc = ob_error_set(rc, "demo: sequencing results: %s", ob_error_last());
	free(c);
	ob_buf_dispose(&vcf);
	return rc;
}
