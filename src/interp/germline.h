/*
 * germline.h - germline interpretation for inherited cancer risk: the
 * shipped gene panels (data/panels/), gene knowledge for the ACMG/AMP
 * criteria (data/acmg/), RET codon -> ATA 2015 risk category and its
 * management (data/ret/), and the classification of every variant of a
 * panel's genes in an annotated VCF (annread.h): criteria from data
 * (acmg.h), ClinVar beside it (clinvar.h), a reviewer's manual evidence.
 * The result is a transparent value that the JSON writer here and the HTML
 * report (germline_report.c) print. Memory grows with the number of panel
 * variants kept, never with the records read. docs/germline.md.
 */
#ifndef OB_GERMLINE_H
#define OB_GERMLINE_H

#include "base/buf.h"
#include "genomics/annotate.h"
#include "genomics/gff.h"
#include "interp/acmg.h"
#include "interp/clinvar.h"
#include "store/store.h"

#include <stdint.h>
#include <stdio.h>

/* ---- shipped tables -------------------------------------------------- */

/* True when name is a shipped panel ("breast", "thyroid",
 * "hereditary-cancer"). */
int ob_germline_panel_known(const char *name);
/* True when gene is on panel (NULL panel: on any panel). */
int ob_germline_in_panel(const char *panel, const char *gene);
/* Writes the genes of panel, comma-separated, into out. */
void ob_germline_panel_genes(const char *panel, char *out, size_t n);

/* The ACMG gene knowledge of gene (loss-of-function mechanism, frequency
 * thresholds with their source), or NULL when no table names it. Borrowed
 * (static storage, loaded once). */
const ob_acmg_gene *ob_germline_gene(const char *gene);
/* The PM1 regions of every gene; *n set. Borrowed. */
const ob_acmg_region *ob_germline_regions(size_t *n);

/* RET: the ATA 2015 category of a protein change ("p.Met918Thr" or
 * "M918T"). Returns 1 with the category code ("HST", "H", "MOD") and label
 * ("highest" ...) when the substitution is listed; 0 when not (note then
 * says whether the codon is listed for other substitutions). */
typedef struct ob_ret_risk {
	char code[8], label[16];
	int codon;
	char listed[48];            /* "C634F/G/R/S/W/Y" */
	char thyroidectomy[256], pheo[64], hpth[96];
	char note[160];
} ob_ret_risk;
int ob_germline_ret_risk(const char *protein_change, ob_ret_risk *out);

/* RET by genomic position, for input without a protein annotation: an SNV
 * in a codon whose first base the table anchors in build ("GRCh37" or
 * "GRCh38"; today codons 634 and 918) is translated (the codon from the
 * reference amino acid and the VCF REF base; refused when ambiguous) and
 * looked up as above. Writes the change ("p.Met918Thr") into pchange.
 * Returns 1 for a listed substitution, 0 otherwise (out->codon 0 when the
 * position is no anchored codon). */
int ob_germline_ret_locus(const char *build, const char *chrom, int64_t pos, const char *ref,
	const char *alt, char *pchange, size_t n, ob_ret_risk *out);

/* ---- the interpretation ---------------------------------------------- */

typedef struct ob_germline_opts {
	const char *panel;         /* NULL: every gene of every panel */
	const char *af_field;      /* INFO field of the population AF; NULL: "gnomAD_AF" */
	const char *revel_field;   /* NULL: "REVEL" */
	ob_store *store;           /* ClinVar; NULL: none */
	ob_annotator *annotator;   /* records without ANN/CSQ are annotated; may be NULL */
	const ob_gff *models;      /* exon geometry for NMD and protein length; may be NULL */
	const char *fasta;         /* reference (indexed): repeat context for PM4/BP3; may be NULL */
	const char *evidence;      /* manual evidence TSV; may be NULL */
	int strict_2015;           /* 1: no ClinGen SVI 2020 PVS1 + PM2_Supporting -> LP */
	/* polygenic risk (src/genomics/prs.h), all optional: */
	const char *prs_score;     /* PGS Catalog scoring file */
	const char *prs_genotypes; /* genotypes (VCF/BCF) holding the sample */
	const char *prs_ref_dist;  /* reference distribution (docs/prs.md): percentile */
	const char *prs_sample;    /* NULL: the germline VCF's sample */
} ob_germline_opts;

#define OB_GERMLINE_MAXCRIT 28

typedef struct ob_germline_var {
	char chrom[32];
	int64_t pos;
	char ref[64], alt[64];      /* truncated with "..." beyond 60 bases */
	char key[160];              /* CHROM:POS:REF:ALT as given (full alleles when they fit) */
	char genotype[16];          /* "0/1", "1/1", "" when no sample */
	char gene[32], transcript[64], consequence[128], hgvs_c[128], hgvs_p[96];
	int protein_pos;
	double af, revel;           /* NaN when absent */
	ob_acmg_crit crit[OB_GERMLINE_MAXCRIT];
	size_t ncrit;
	ob_acmg_counts counts;
	ob_acmg_result result;
	int svi_pm2_rule;           /* class raised to LP by the SVI 2020 PVS1 + PM2_Supporting rule */
	int points;                 /* Tavtigian points, for information */
	int manual;                 /* criteria set by a reviewer */
	int cv_found;               /* ClinVar has this exact variant */
	ob_clinvar_rec cv;
	int cv_expert;              /* its review is expert panel or practice guideline */
	int cv_disagree;            /* ClinVar class (3-tier) differs from ours */
	int ret_found;
	ob_ret_risk ret;
} ob_germline_var;

typedef struct ob_germline {
	char input[256];
	char sample[64];
	char panel[32];
	char panel_genes[512];
	char af_field[64];
	char clinvar_release[48];   /* "2026-02-26 (GRCh38)" or "" */
	int strict_2015;
	int64_t records, alleles, in_panel;
	int64_t evidence_rows, evidence_unmatched;
	ob_germline_var *var;
	size_t nvar, cap;
	/* polygenic risk, when opts->prs_score was given */
	int have_prs, have_prs_risk;
	char prs_score_file[256], prs_sample[64], prs_category[24];
	double prs_score, prs_z, prs_percentile, prs_relative_risk;
	int prs_used, prs_missing;
} ob_germline;

/* Classifies every ALT allele of in (VCF/BCF, ANN or CSQ, or annotated on
 * the fly) that falls in the panel's genes and that the first sample
 * carries. *out is owned by the caller: ob_germline_free(). Returns 0,
 * OB_EINVALID "FILE:LINE: field: message" for bad input (VCF or evidence),
 * OB_EUSAGE for an unknown panel, OB_ERROR. */
int ob_germline_run(const char *in, const ob_germline_opts *o, ob_germline **out);
void ob_germline_free(ob_germline *g);

/* Classifies one variant from facts already gathered: criteria from data,
 * then class (shared by ob_germline_run() and the concordance test). */
void ob_germline_classify(ob_germline_var *v, const ob_acmg_facts *f, int strict_2015);

/* 3-tier group of an ACMG class: 1 P/LP, 0 VUS, -1 B/LB. */
int ob_germline_tier(int acmg_class);

/* The JSON document of g (docs/germline.md). */
int ob_germline_json(const ob_germline *g, ob_buf *out);
/* The self-contained HTML report for a genetic counsellor
 * (germline_report.c). */
int ob_germline_html(const ob_germline *g, ob_buf *out);

#endif
