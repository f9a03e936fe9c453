/*
 * prs.h - polygenic risk scores of array (biochip) or imputed genotypes: a
 * PGS Catalog scoring file applied to a VCF/BCF, plink2-compatible sums
 * (`plink2 --score ... cols=+scoresums`, SCORE1_SUM), and a reference
 * distribution that turns a score into a z-score, percentile and risk
 * category. Sits in src/genomics beside the annotator; knows neither the
 * store nor HTTP. See docs/prs.md for the matching and missing-call rules.
 *
 * Memory is the score table plus a few numbers per sample: the genotype file
 * is streamed, and a record whose position is in no score entry is skipped
 * before its genotypes are parsed.
 */
#ifndef OB_PRS_H
#define OB_PRS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A loaded scoring file (opaque). */
typedef struct ob_prs_score ob_prs_score;

/* What became of one score entry after ob_prs_compute(). */
enum {
	OB_PRS_ABSENT = 0,      /* no genotype record at its position (or ID) */
	OB_PRS_USED,            /* matched, letters as given */
	OB_PRS_USED_FLIPPED,    /* matched on the other strand (strand_flip only) */
	OB_PRS_ALLELE_MISMATCH, /* a record at the position, alleles differ */
	OB_PRS_STRAND_MISMATCH  /* alleles match on the other strand only
	                         * (not used: strand_flip is off) */
};

/* Reads a PGS Catalog scoring file (plain or gzipped): `#key=value` header
 * comments, then a tab-separated header row naming the columns rsID,
 * chr_name, chr_position, effect_allele, other_allele, effect_weight (only
 * effect_allele and effect_weight are required besides a locus), or the
 * plink2-ready `ID effect_allele other_allele effect_weight` (an ID
 * `chr:pos[:...]` gives the position, any other ID is matched against the
 * VCF's ID column). With opts->harmonized the locus is read from hm_chr and
 * hm_pos (a PGS Catalog harmonized file); a row whose hm_pos is empty and
 * that has no ID stays unmatched. opts may be NULL. On success *out is the
 * caller's (ob_prs_score_free). Returns OB_EINVALID with "FILE:LINE: column:
 * message" for bad input, OB_ERROR when the file cannot be read. */
typedef struct ob_prs_opts ob_prs_opts;
int ob_prs_score_load(ob_prs_score **out, const char *path, const ob_prs_opts *opts);

/* Frees a score; NULL is harmless. */
void ob_prs_score_free(ob_prs_score *s);

/* Number of entries (variants) of the score. */
size_t ob_prs_score_size(const ob_prs_score *s);

/* The value of a `#key=value` header line (pgs_id, genome_build, ...), or
 * NULL. Borrowed from s. */
const char *ob_prs_score_meta(const ob_prs_score *s, const char *key);

/* One entry as read (entries are sorted by chromosome and position, then
 * the ID-matched ones by ID). The returned struct is valid until the next
 * call on this thread; its strings are borrowed from s. */
typedef struct ob_prs_entry {
	const char *id;      /* rsID or ID column, or "" */
	const char *chr;     /* chromosome without "chr", or "" when matched by ID */
	int64_t pos;         /* 1-based, 0 when matched by ID */
	const char *effect;  /* effect allele (upper case) */
	const char *other;   /* other allele, or "" when not given */
	double weight;
	int line;            /* line of the scoring file */
} ob_prs_entry;
const ob_prs_entry *ob_prs_score_entry(const ob_prs_score *s, size_t i);

struct ob_prs_opts {
	bool harmonized;     /* loci from hm_chr/hm_pos (ob_prs_score_load) */
	bool no_mean_impute; /* a missing call adds 0 (plink2 no-mean-imputation) */
	bool strand_flip;    /* also match non-palindromic SNVs on the other strand */
	bool gt_only;        /* ignore FORMAT/DS, use GT hard calls only */
	int threads;         /* extra decompression threads for bgzipped input */
};

/* One sample's result. */
typedef struct ob_prs_sample {
	const char *name;        /* borrowed from the result */
	double score;            /* sum of weight x effect-allele dosage (SCORE1_SUM) */
	int variants_used;       /* score entries matched in the genotype file */
	int variants_missing;    /* of those, missing calls of this sample */
	int allele_ct;           /* 2 x non-missing (plink2 ALLELE_CT) */
	double effect_dosage;    /* effect alleles over non-missing calls
	                          * (plink2 NAMED_ALLELE_DOSAGE_SUM) */
} ob_prs_sample;

/* The result of applying a score to a genotype file (opaque). */
typedef struct ob_prs_result ob_prs_result;

/* Streams the genotype file vcf (VCF, bgzipped VCF or BCF; "-" for standard
 * input) and computes every sample's score. Hard calls (GT) give the effect
 * dosage; a record's FORMAT/DS wins over GT for a sample where it is present
 * and not missing, unless opts->gt_only. A missing call is mean-imputed as
 * 2 x weight x the effect-allele frequency among the called samples of the
 * record, unless opts->no_mean_impute (then 0). opts may be NULL (defaults).
 * On success *out is the caller's (ob_prs_result_free). Returns OB_EINVALID
 * "FILE:LINE: field: message" for a malformed file or a file without GT or
 * DS, OB_ERROR when it cannot be read. */
int ob_prs_compute(ob_prs_result **out, const ob_prs_score *s, const char *vcf,
	const ob_prs_opts *opts);

void ob_prs_result_free(ob_prs_result *r);
int ob_prs_result_nsamples(const ob_prs_result *r);
/* Sample i (0-based, file order); borrowed from r. */
const ob_prs_sample *ob_prs_result_sample(const ob_prs_result *r, int i);
/* Sample by name, or NULL. */
const ob_prs_sample *ob_prs_result_find(const ob_prs_result *r, const char *name);
/* What became of score entry i (ob_prs_score_entry order): OB_PRS_*. */
int ob_prs_result_status(const ob_prs_result *r, size_t i);

typedef struct ob_prs_counts {
	int used, flipped, absent, allele_mismatch, strand_mismatch; /* entries */
	int64_t records;       /* genotype records read */
	int64_t parsed;        /* of those, records whose genotypes were parsed */
	int64_t duplicates;    /* records matching an entry already used (ignored) */
} ob_prs_counts;
void ob_prs_result_counts(const ob_prs_result *r, ob_prs_counts *c);

/* A reference distribution of a score: mean and SD in a reference set. */
typedef struct ob_prs_refdist {
	char pgs_id[64];   /* "" when not given */
	double mean, sd;
	bool has_mean, has_sd;
	int n;             /* size of the reference set, 0 when unknown */
} ob_prs_refdist;

/* Reads the documented `key<TAB>value` format (pgs_id, mean, sd, n; '#'
 * comments); name is used in messages. Both mean and sd are required:
 * OB_EINVALID "NAME:LINE: key: message" otherwise. */
int ob_prs_refdist_parse(ob_prs_refdist *out, const char *text, const char *name);
int ob_prs_refdist_load(ob_prs_refdist *out, const char *path);

/* Mean and sample SD (n - 1) of the scores of r. OB_EINVALID with fewer than
 * two samples. */
int ob_prs_refdist_from(ob_prs_refdist *out, const ob_prs_result *r, const char *pgs_id);

/* A score placed in a reference distribution. */
typedef struct ob_prs_risk {
	double z;               /* (score - mean) / sd */
	double percentile;      /* 100 x normal CDF of z */
	double relative_risk;   /* exp(score - mean - sd^2 / 2): risk relative to
	                         * the population average when weights are log(OR) */
	const char *category;   /* ob_prs_category(percentile); static */
} ob_prs_risk;

/* Fills *out; OB_EINVALID when rd lacks mean or a positive sd. */
int ob_prs_place(const ob_prs_refdist *rd, double score, ob_prs_risk *out);

/* The risk category of a percentile (docs/prs.md): "low" (< 10),
 * "below average" (< 20), "average" (< 80), "above average" (< 90),
 * "high" (< 99), "very high" (>= 99). Static string. */
const char *ob_prs_category(double percentile);

/* For a report on one person: loads the score, scores the genotype file and
 * places sample's score in rd (rd may be NULL: *risk is then zeroed with
 * category NULL). Mean imputation uses the whole file's frequencies. Fills
 * *sample (name borrowed from the argument) and *risk. OB_ENOTFOUND when the
 * file has no such sample; otherwise as ob_prs_score_load/ob_prs_compute. */
int ob_prs_one(const char *score_path, const char *genotypes, const char *sample,
	const ob_prs_refdist *rd, const ob_prs_opts *opts, ob_prs_sample *out,
	ob_prs_risk *risk);

#endif
