/*
 * somatic.h - somatic interpretation: a tumour's annotated variants
 * (annread.h), fusions, copy numbers, TMB and MSI matched against the
 * knowledge base (kb.h) for the tumour's OncoTree type (oncotree.h). The
 * result is a transparent value (ob_somatic) that the JSON and text
 * writers here and the HTML report (somatic_report.c) print. Memory grows
 * with the number of matched biomarkers, never with the number of
 * variants read. docs/somatic.md describes the rules and their sources.
 */
#ifndef OB_SOMATIC_H
#define OB_SOMATIC_H

#include "base/buf.h"
#include "interp/annread.h"
#include "interp/kb.h"

#include <stddef.h>
#include <stdint.h>

/* Defaults, documented in docs/somatic.md with their sources. */
#define OB_SOMATIC_TMB_HIGH 10.0    /* mut/Mb: FDA pembrolizumab TMB-H, 2020 */
#define OB_SOMATIC_MSI_SCORE_HIGH 10.0 /* MSIsensor score (%) */
#define OB_SOMATIC_AMP_CN 6.0       /* total copy number: amplification */
#define OB_SOMATIC_DEL_CN 0.5       /* total copy number below: deep deletion */

/* Where the matcher finds the KB rows of a gene ("" for tumour-wide
 * biomarkers): ob_kb_gene() in the tool, an array in tests. */
typedef const ob_kb_row *(*ob_somatic_rows_fn)(const void *ctx, const char *gene, size_t *n);

typedef struct ob_somatic_opts {
	const char *tumor_type;  /* OncoTree code (required) */
	double panel_size_mb;    /* > 0: TMB computed from the VCF */
	double tmb_high;         /* mut/Mb; 0: OB_SOMATIC_TMB_HIGH */
	const char *msi;         /* "high", "stable", a numeric score, NULL */
	double msi_score_high;   /* 0: OB_SOMATIC_MSI_SCORE_HIGH */
	double amp_cn;           /* 0: OB_SOMATIC_AMP_CN */
	const char *sample;      /* tumour sample; NULL: ##tumor_sample, else first */
	const ob_gff *models;    /* when set: its MANE Select / canonical
	                          * transcripts are the picked ones where the
	                          * annotation marks none (ob_annread_prefer) */
	const char *patient;     /* identifiers printed in reports, may be NULL */
	const char *specimen;
} ob_somatic_opts;

/* How a KB row matched, most specific first. */
enum ob_som_match {
	OB_SOM_NONE = 0, OB_SOM_MUTATION, OB_SOM_ONCOGENIC, OB_SOM_LOSS, OB_SOM_EXON,
	OB_SOM_CODON, OB_SOM_EXACT, OB_SOM_FUSION, OB_SOM_FUSION_PARTNER, OB_SOM_CNV,
	OB_SOM_TUMOR_WIDE
};

typedef struct ob_som_evidence {
	const ob_kb_row *row;    /* borrowed from the knowledge base */
	int distance;            /* OncoTree steps from the tumour type up to the
	                          * row's type (0 own type); -1: another type */
	const char *level;       /* reported AMP level: the row's for its own type
	                          * (or an ancestor); I-A/I-B of another type
	                          * reported as II-C (Li et al. 2017, level C) */
	int match;               /* enum ob_som_match */
} ob_som_evidence;

typedef struct ob_som_biomarker {
	char gene[32];
	char alteration[128];    /* "p.L858R", "EML4::ALK fusion", "amplification" */
	char kind[12];           /* variant, fusion, cnv, tmb, msi */
	char chrom[32];
	int64_t pos;             /* 1-based, 0 when not a VCF variant */
	char ref[40], alt[40];   /* longer alleles cut, ending in "..." */
	char hgvs_c[64], hgvs_p[64], transcript[48], consequence[80];
	char transcript_choice[32]; /* "picked", "only one", "first matching of N" */
	double vaf;              /* tumour allele fraction; -1 unknown */
	double value;            /* copy number, TMB or MSI score; -1 none */
	char source[160];        /* "IN.vcf:LINE", "cnv.tsv:4", "--msi" */
	ob_som_evidence *ev;
	size_t nev;
	const char *tier;        /* best sensitivity level (own type first), else
	                          * best resistance level */
	int own_type;            /* 1: some evidence is for the tumour's own type
	                          * or an ancestor */
} ob_som_biomarker;

typedef struct ob_somatic {
	ob_somatic_opts o;
	char tumor_type[32];
	const char *tumor_name;
	char sample[128];        /* "" when the VCF has no sample column */
	char input[256];
	const char *kb_version;
	ob_som_biomarker *bm;
	size_t nbm, cbm;
	int64_t records, passed, filtered, alleles, unannotated;
	int64_t tmb_count;       /* PASS coding non-synonymous alleles */
	double tmb;              /* -1 when not computed (no panel size) */
	int tmb_high;
	int msi_status;          /* 0 not given, 1 high, 2 stable */
	double msi_score;        /* -1 when none given */
	/* private */
	ob_somatic_rows_fn rows;
	const void *rows_ctx;
	char (*fus_seen)[66];
	size_t nfus, cfus;
	float *af;
	int32_t *ad;
	int naf, nad;
} ob_somatic;

/* Starts an interpretation. OB_EINVALID "unknown tumour type 'X'" when the
 * OncoTree does not know o->tumor_type; "--msi: ..." for a bad MSI value.
 * kb_version is borrowed. Release with ob_somatic_dispose(). */
int ob_somatic_init(ob_somatic *s, const ob_somatic_opts *o, ob_somatic_rows_fn rows,
	const void *ctx, const char *kb_version);
void ob_somatic_dispose(ob_somatic *s);

/* Reads every record of path (see annread.h; a, when not NULL, annotates
 * records that carry no annotation), counting TMB and matching each PASS
 * allele. Returns 0 or the reader's error; OB_EINVALID when --sample names
 * no sample of the file. */
int ob_somatic_read_vcf(ob_somatic *s, const char *path, ob_annotator *a);

/* One record's alleles (rec unpacked, entries from annread); sample is the
 * tumour's column or -1; where names it in the output ("in.vcf:12"). */
int ob_somatic_add_record(ob_somatic *s, const bcf_hdr_t *h, bcf1_t *rec, const ob_csq *c,
	int n, int sample, const char *where);

/* A fusion 5' gene1 :: 3' gene2 (one may be "" when unknown). */
int ob_somatic_add_fusion(ob_somatic *s, const char *gene1, const char *gene2, const char *where);

/* Fusion TSV: "gene1<TAB>gene2" or one column "A--B" / "A::B" (PCGR's
 * FusionGene), '#' comments, an optional header. FILE:LINE errors. */
int ob_somatic_read_fusions(ob_somatic *s, const char *path);

/* A gene's total copy number (amplification at >= amp_cn, deep deletion
 * below OB_SOMATIC_DEL_CN). */
int ob_somatic_add_cnv(ob_somatic *s, const char *gene, double cn, const char *where);

/* CNV TSV with a header naming "gene" and one of "copy_number", "log2"
 * (copy number 2 * 2^log2) or "call" (amplification/amp, deletion/del/
 * homdel; gain, loss, neutral ignored). FILE:LINE: field errors. */
int ob_somatic_read_cnv(ob_somatic *s, const char *path);

/* Computes TMB, applies TMB/MSI evidence and sorts the result. */
int ob_somatic_finish(ob_somatic *s);

/* How spec (kb.h grammar) matches one entry: enum ob_som_match, 0 none.
 * "oncogenic" answers OB_SOM_ONCOGENIC for any protein-changing entry; the
 * hotspot restriction is applied by the caller. */
int ob_somatic_spec_match(const char *spec, const ob_csq *c);

/* "p.Val600Glu" -> "p.V600E", "p.(Gln5Ter)" -> "p.Q5*"; "" for none. */
void ob_somatic_protein_short(const char *hgvs_p, char *out, size_t n);

/* Writers: the documented JSON (docs/somatic.md), a plain-text summary,
 * and the self-contained HTML report (somatic_report.c). 0 or OB_ERROR. */
int ob_somatic_json(const ob_somatic *s, ob_buf *out);
int ob_somatic_text(const ob_somatic *s, ob_buf *out);
int ob_somatic_html(const ob_somatic *s, ob_buf *out);

/* The method's limits, printed in every report; NULL-terminated. */
extern const char *const ob_somatic_limits[];

#endif
