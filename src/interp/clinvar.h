/*
 * clinvar.h - ClinVar for germline classification: importing a ClinVar VCF
 * (the NCBI file or a subset of it) into the tables of
 * migrations/006_germline.sql, and the look-ups the classifier needs: the
 * record of an exact variant, and the pathogenic records at the same
 * residue (PS1, PM5). Streams the VCF through htslib; one transaction.
 */
#ifndef OB_CLINVAR_H
#define OB_CLINVAR_H

#include "genomics/annotate.h"
#include "base/buf.h"
#include "genomics/gff.h"
#include "interp/acmg.h"
#include "store/store.h"

#include <stdint.h>

typedef struct ob_clinvar_opts {
	int replace;          /* re-import a release already stored (its rows are replaced) */
	ob_annotator *annotator; /* optional: derive each record's protein change */
	const ob_gff *models;    /* optional, with annotator: prefer MANE Select/canonical */
} ob_clinvar_opts;

typedef struct ob_clinvar_stats {
	int64_t release_id;
	char file_date[16], reference[32];
	int64_t read, stored;
	int64_t skipped_no_class;  /* no CLNSIG: somatic/oncogenicity-only records */
	int64_t skipped_no_alt;    /* ALT "." or symbolic */
	int64_t with_protein;      /* stored with a derived protein change */
	int replaced;              /* 1 when an earlier import of the release was replaced */
} ob_clinvar_stats;

/* Imports path (VCF, bgzip or plain). The release is named by the
 * header's ##fileDate and ##reference; a release already stored is refused
 * (OB_EEXISTS) unless opts->replace. Bad input: OB_EINVALID "FILE:LINE:
 * FIELD: message" and nothing written. OB_ERROR when unreadable. */
int ob_clinvar_import(ob_store *st, const char *path, const ob_clinvar_opts *opts,
	ob_clinvar_stats *out);

/* ClinVar's MC ("SO:0001587|nonsense,SO:...") as SO names joined by '&'
 * ("stop_gained&..."; "initiator_codon_variant" -> start_lost) into out
 * (cleared first). 0 or OB_ERROR. */
int ob_clinvar_mc_terms(const char *mc, ob_buf *out);

/* "Pathogenic/Likely_pathogenic" -> "PLP" etc. (see the migration). */
const char *ob_clinvar_class(const char *clnsig);
/* CLNREVSTAT -> stars 0..4, or -1 when unknown. */
int ob_clinvar_stars(const char *revstat);
/* A class code as words: "PLP" -> "Pathogenic/Likely pathogenic". */
const char *ob_clinvar_class_words(const char *cls);
/* The ACMG class a ClinVar class code stands for; -1 for CONF/OTHER. */
int ob_clinvar_acmg_class(const char *cls);

typedef struct ob_clinvar_rec {
	int64_t variation_id;
	char gene[32];
	char significance[160];
	char cls[8];
	char review_status[96];
	int stars;
	char conditions[400];
	char hgvs[200];
	char consequence[96];
	char protein_change[64];
	char file_date[16];
} ob_clinvar_rec;

/* The record of chrom:pos:ref>alt ("chr" prefix ignored) in the newest
 * release: 0, OB_ENOTFOUND (no message) when none, an error otherwise. */
int ob_clinvar_find(ob_store *st, const char *chrom, int64_t pos, const char *ref,
	const char *alt, ob_clinvar_rec *out);

/* True when at least one release is stored. */
int ob_clinvar_have(ob_store *st);

/* Fills out with ClinVar's pathogenic records (class P, LP or PLP, at
 * least one star; newest release) at residue protein_pos of gene:
 * same_aa_path counts those whose protein change equals hgvs_p but whose
 * genomic change differs from chrom:pos:ref>alt (PS1); residue_path those
 * with another missense change (PM5); start_path, when protein_pos is 1,
 * other changes of the initiation codon. Needs protein changes derived at
 * import; without them every count is 0. */
int ob_clinvar_residue(ob_store *st, const char *gene, int protein_pos, const char *hgvs_p,
	const char *chrom, int64_t pos, const char *ref, const char *alt, ob_acmg_clinvar *out);

#endif
