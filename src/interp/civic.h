/*
 * civic.h - the CIViC importer: reads a CIViC ClinicalEvidenceSummaries TSV
 * export (v1 columns, as in the monthly releases up to 2022, or the v2
 * names: molecular_profile, therapies, significance), keeps the Predictive
 * evidence that Supports its significance, and writes it into the
 * knowledge base's tables (kb_release, kb_evidence, kb_unmapped) as one
 * release, in one transaction. Disease names become OncoTree codes through
 * the shipped table data/kb/civic_disease_oncotree.tsv; variant names
 * become alteration specifications (kb.h); CIViC levels become AMP/ASCO/CAP
 * levels. What cannot be mapped is counted by reason, stored and listed,
 * never dropped silently. The rules are in docs/knowledge-base.md.
 */
#ifndef OB_CIVIC_H
#define OB_CIVIC_H

#include "base/buf.h"
#include "bank/ctx.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Why an in-scope item was not mapped (0 is "mapped"). */
enum ob_civic_reason {
	OB_CIVIC_MAPPED = 0,
	OB_CIVIC_R_SIGNIFICANCE = 1, /* Reduced Sensitivity, Adverse Response, N/A */
	OB_CIVIC_R_NO_DRUG,          /* Predictive item without a drug */
	OB_CIVIC_R_COMBINATION,      /* "V600E AND AMPLIFICATION": needs all parts */
	OB_CIVIC_R_EXPRESSION,       /* OVEREXPRESSION, EXPRESSION, METHYLATION ... */
	OB_CIVIC_R_FUSION_DETAIL,    /* a fusion with a breakpoint or a secondary mutation */
	OB_CIVIC_R_AMBIGUOUS,        /* LOSS: copy number or function not stated */
	OB_CIVIC_R_VARIANT,          /* any other variant name the grammar cannot express */
	OB_CIVIC_R_DISEASE,          /* a disease with no OncoTree code */
	OB_CIVIC_NREASONS
};

/* "significance", "no drug", ...: the words of reports and of the TSV. */
const char *ob_civic_reason_name(int reason);

#define OB_CIVIC_MAX_ALTS 8

/* The alteration specifications one CIViC variant name stands for ("G12/G13"
 * is two); gene is the gene the item is filed under. */
typedef struct ob_civic_alts {
	int n;
	char gene[32];                       /* v2: taken from the profile */
	char alt[OB_CIVIC_MAX_ALTS][64];
} ob_civic_alts;

/* Maps a v1 variant name (gene given) or, with gene NULL, a v2 molecular
 * profile ("BRAF V600E", "EML4::ALK Fusion"). Returns OB_CIVIC_MAPPED with
 * out filled, or the reason it cannot. */
int ob_civic_map_variant(const char *gene, const char *variant, ob_civic_alts *out);

#define OB_CIVIC_MAX_CODES 4

/* OncoTree codes of a CIViC disease (doid the bare number or "", name as
 * CIViC writes it): looked up by DOID, then by name. "Cancer" and "Solid
 * Tumor" give one code "" (any tumour type). Returns OB_CIVIC_MAPPED with
 * *n set, or OB_CIVIC_R_DISEASE. */
int ob_civic_map_disease(const char *disease, const char *doid,
                         char codes[OB_CIVIC_MAX_CODES][16], int *n);

/* 0 when the shipped disease table parsed and each of its codes is in
 * OncoTree; OB_EINVALID naming line and field otherwise. */
int ob_civic_check_disease_table(void);

/* The AMP/ASCO/CAP level of a CIViC evidence level (A-E), NULL for another
 * letter: A I-A, B I-B, C II-C, D II-D, E II-D. */
const char *ob_civic_amp_level(const char *civic_level);

/* The release version a CIViC file name carries ("01-Aug-2021" from
 * ".../01-Aug-2021-ClinicalEvidenceSummaries.tsv.gz"): 0, or OB_ENOTFOUND. */
int ob_civic_version_from_name(const char *path, char *out, size_t n);

typedef struct ob_civic_opts {
	const char *path;     /* the TSV, plain or gzip-compressed */
	const char *version;  /* the release version (required) */
	bool replace;         /* replace an already imported release of that version */
	FILE *unmapped;       /* when set: every unmapped item, TSV with a header */
} ob_civic_opts;

typedef struct ob_civic_report {
	int64_t read;         /* evidence items (data lines) in the file */
	int64_t skipped;      /* out of scope: skipped_type + skipped_direction */
	int64_t skipped_type;       /* not Predictive */
	int64_t skipped_direction;  /* Predictive but Does Not Support */
	int64_t mapped;       /* in scope and stored */
	int64_t unmapped;     /* in scope, not stored: by_reason */
	int64_t by_reason[OB_CIVIC_NREASONS];
	int64_t rows;         /* kb_evidence rows written (>= mapped) */
	ob_buf first;         /* the first 20 unmapped items, one line each */
} ob_civic_report;

void ob_civic_report_init(ob_civic_report *rep);
void ob_civic_report_dispose(ob_civic_report *rep);

/* Imports o->path as release "civic" o->version, acting as cx (needs the
 * import permission). All or nothing: OB_EINVALID for a malformed file
 * ("FILE:LINE: column: message"), OB_EEXISTS when that version is imported
 * already and o->replace is not set, OB_ENOTFOUND when the file cannot be
 * opened, OB_EPERM, OB_ERROR; nothing is written then. rep holds the
 * counts. Memory does not grow with the file. */
int ob_civic_import(const ob_ctx *cx, const ob_civic_opts *o, ob_civic_report *rep);

#endif
