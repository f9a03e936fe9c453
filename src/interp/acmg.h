/*
 * acmg.h - ACMG/AMP 2015 germline variant classification (Richards et al.,
 * Genet Med 2015;17:405-424): the 28 evidence criteria with their strength,
 * ClinGen strength modifiers ("PVS1_Strong", "PM2_Supporting"), the
 * combining rules of Table 5 exactly, and the evaluation of the criteria
 * that data can decide from the facts of one variant (consequence, exon,
 * population frequency, in-silico score, ClinVar neighbours, shipped gene
 * tables). Pure computation: no I/O, no store; src/interp/germline.c
 * gathers the facts.
 *
 * Combining (strict 2015 Table 5): a criterion counts at its applied
 * strength, so PM2_Supporting counts as one Supporting (PP) and
 * PVS1_Strong as one Strong (PS). Table 5 has no benign Moderate or Very
 * strong column: a benign criterion at Moderate counts as Supporting, at
 * Very strong as Strong. Pathogenic beats Likely pathogenic and Benign
 * beats Likely benign; when a pathogenic-side and a benign-side rule are
 * both met the class is Uncertain significance (Table 5 VUS ii, flagged
 * `conflict`). PVS1 + one Supporting is VUS under these rules (ClinGen's
 * points framework would say Likely pathogenic; we do not).
 */
#ifndef OB_ACMG_H
#define OB_ACMG_H

#include <stddef.h>

typedef enum ob_acmg_class {
	OB_ACMG_VUS = 0,
	OB_ACMG_PATHOGENIC,
	OB_ACMG_LIKELY_PATHOGENIC,
	OB_ACMG_LIKELY_BENIGN,
	OB_ACMG_BENIGN
} ob_acmg_class;

/* Strengths, weakest first; 0 means "not applied". */
typedef enum ob_acmg_strength {
	OB_ACMG_OFF = 0,
	OB_ACMG_SUPPORTING,
	OB_ACMG_MODERATE,
	OB_ACMG_STRONG,
	OB_ACMG_VERY_STRONG,
	OB_ACMG_STAND_ALONE
} ob_acmg_strength;

/* Numbers of criteria met per column of Table 5. */
typedef struct ob_acmg_counts {
	int pvs, ps, pm, pp; /* pathogenic: very strong, strong, moderate, supporting */
	int ba, bs, bp;      /* benign: stand-alone, strong, supporting */
} ob_acmg_counts;

typedef struct ob_acmg_result {
	ob_acmg_class cls;          /* the final class */
	ob_acmg_class path_side;    /* PATHOGENIC, LIKELY_PATHOGENIC or VUS (none met) */
	ob_acmg_class benign_side;  /* BENIGN, LIKELY_BENIGN or VUS (none met) */
	int conflict;               /* both sides met: VUS by Table 5 VUS ii */
	char path_rules[64];        /* rule ids met, "P.i.a,P.ii" ("" none) */
	char benign_rules[32];      /* "B.i", "LB.ii" ("" none) */
} ob_acmg_result;

/* One criterion as applied to a variant. */
typedef struct ob_acmg_crit {
	char code[8];       /* "PVS1", "PM2", "BA1" */
	int strength;       /* ob_acmg_strength as applied */
	char source[48];    /* "data", "clinvar", "reviewer NAME" */
	char reason[400];   /* why it was (or, with strength OFF, was not) applied */
} ob_acmg_crit;

/* Applies Table 5 to counts (negative counts are refused by assert). */
void ob_acmg_combine(const ob_acmg_counts *c, ob_acmg_result *out);

/* "Pathogenic", "Likely pathogenic", "Uncertain significance",
 * "Likely benign", "Benign". */
const char *ob_acmg_class_name(ob_acmg_class c);
/* "Supporting", "Moderate", "Strong", "VeryStrong", "StandAlone", "off". */
const char *ob_acmg_strength_name(int s);

/* The 2015 default strength of code ("PVS1" -> VERY_STRONG, "PM2" ->
 * MODERATE), or OFF when code is not one of the 28 criteria. *benign is
 * set to 1 for B* codes. */
int ob_acmg_default_strength(const char *code, int *benign);

/* Parses "PM2", "PM2_Supporting", "PVS1_Strong", "BP4_Moderate" (case of
 * the suffix ignored; "VeryStrong", "Very_Strong", "Stand-alone" accepted)
 * into code and strength. BA1 is only stand-alone; a pathogenic criterion
 * cannot be stand-alone. Returns 0 or OB_EINVALID with a message. */
int ob_acmg_parse_label(const char *label, char code[8], int *strength);
/* Parses a strength word alone ("Moderate", "off", "none"). */
int ob_acmg_parse_strength(const char *word, int *strength);

/* Writes the label of a criterion at a strength: "PVS1" at its default
 * strength, else "PVS1_Strong". */
void ob_acmg_label(const char *code, int strength, char *out, size_t n);

/* Counts the applied criteria of crit[0..n-1] into out (Table 5 columns). */
void ob_acmg_count(const ob_acmg_crit *crit, size_t n, ob_acmg_counts *out);

/* Tavtigian 2020 points of the applied criteria (Supporting 1, Moderate 2,
 * Strong 4, Very strong 8, benign negative, BA1 -8): shown beside the
 * class for information, never used to decide it. */
int ob_acmg_points(const ob_acmg_crit *crit, size_t n);

/* ---- evaluation from data ------------------------------------------- */

/* Per-gene knowledge the criteria need (from the shipped tables). */
typedef struct ob_acmg_gene {
	const char *symbol;
	int lof_mechanism;       /* 1: loss of function causes disease (PVS1 may apply) */
	const char *mechanism_note; /* why not, e.g. "gain of function (MEN2)" */
	double ba1, bs1, pm2;    /* BA1 if af > ba1; BS1 if af > bs1; PM2_Supporting if af <= pm2 */
	int ba1_gte, bs1_gte;    /* comparator >= instead of > (VCEP tables) */
	const char *freq_source; /* where the thresholds come from */
} ob_acmg_gene;

/* A PM1 region: residues beg..end of gene's protein. */
typedef struct ob_acmg_region {
	const char *gene;
	int beg, end;
	int strength;
	const char *what, *source;
} ob_acmg_region;

/* What ClinVar says around a variant (filled by the caller). */
typedef struct ob_acmg_clinvar {
	int same_aa_path;         /* pathogenic records with the same amino-acid change, other nucleotide change */
	char same_aa_example[96]; /* "VCV 12345 c.524G>A p.Arg175His" */
	int residue_path;         /* pathogenic records with another missense change at the same residue */
	char residue_example[96];
	int start_path;           /* pathogenic records at residue 1 other than this variant */
} ob_acmg_clinvar;

/* The facts of one variant allele on its chosen transcript. */
typedef struct ob_acmg_facts {
	const char *gene;
	const char *consequence;   /* SO terms joined by '&' */
	const char *hgvs_p;        /* "p.Arg175His" or "" */
	int protein_pos;           /* first residue changed, 0 when none */
	int protein_len;           /* residues of the reference protein, 0 when unknown */
	int exon, exon_count;      /* exon rank of the change, 0 when not in an exon */
	int intron, intron_count;
	int nmd_escape;            /* 1 last exon or last 50 nt of the penultimate; 0 no; -1 unknown */
	int repeat;                /* in-frame change inside a repeat: 1, 0 no, -1 unknown */
	int have_af;               /* the input declares the frequency field */
	double af;                 /* population AF, NaN when the record has none (absent) */
	const char *af_field;
	double revel;              /* NaN when absent */
	int have_clinvar;          /* a ClinVar release was consulted */
	ob_acmg_clinvar cv;
} ob_acmg_facts;

/* Evaluates PVS1, PS1, PM1, PM2, PM4, PM5, PP3, BA1, BS1, BP3, BP4, BP7
 * for f with gene knowledge g (NULL: gene not known to the tables) and PM1
 * regions reg[0..nreg-1]. Appends to crit (room for cap entries, cap >= 16)
 * every criterion applied and every criterion considered but not applied
 * with strength OFF and its reason. Returns the number written. */
size_t ob_acmg_evaluate(const ob_acmg_facts *f, const ob_acmg_gene *g,
	const ob_acmg_region *reg, size_t nreg, ob_acmg_crit *crit, size_t cap);

/* Sets (replacing an automatic one with the same code) criterion code at
 * strength (OFF removes it) from a reviewer; n is updated. Returns 0,
 * OB_ETOOBIG when crit is full. */
int ob_acmg_set(ob_acmg_crit *crit, size_t *n, size_t cap, const char *code, int strength,
	const char *source, const char *reason);

#endif
