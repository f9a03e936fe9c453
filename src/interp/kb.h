/*
 * kb.h - the somatic knowledge base: biomarker -> (tumour type, drugs,
 * effect, evidence level, sources). Held in memory once opened, so that
 * matching a million variants costs no database round trip. Rows come from
 * the curated base the binary ships (data/kb/, origin recorded per row) and
 * from releases imported into the database (`oncobank kb import civic`),
 * each release with its name and version.
 *
 * A biomarker is a gene plus an alteration specification (the grammar the
 * matcher in somatic.h understands; written here in canonical form):
 *   p.V600E            one exact protein change (one-letter, HGVS-like)
 *   p.G12              any missense change at that codon
 *   p.E746_A750del     an exact in-frame change written HGVS-like with
 *                      one-letter residues: del, dup, insXYZ, delinsXYZ
 *                      after a residue or a range (from CIViC names such as
 *                      E746_A750DEL, Y772_A775DUP)
 *   exon19 deletion    an in-frame deletion in exon 19 (likewise "exon20
 *                      insertion", "exon14 skipping": splice site or
 *                      deletion removing exon 14's splice sites)
 *   exon11 mutation    any protein-changing variant in exon 11 (KIT in GIST)
 *   mutation           any protein-changing variant of the gene
 *   oncogenic          as mutation, limited to the gene's known hotspots
 *                      when the base lists them
 *   loss               loss of function: frameshift, stop gained, splice
 *                      donor/acceptor, start lost (tumour suppressors)
 *   fusion             any fusion of the gene; "fusion PARTNER" one partner
 *   amplification, deletion   copy number
 *   msi-high, tmb-high  gene "" (a tumour-wide biomarker)
 * A row's alternatives are separate rows: "KRAS G12/G13" is two rows.
 *
 * The curated base's format, the CIViC mappings and the level rules are in
 * docs/knowledge-base.md.
 */
#ifndef OB_KB_H
#define OB_KB_H

#include "store/store.h"

#include <stddef.h>

enum ob_kb_effect { OB_KB_SENSITIVITY = 1, OB_KB_RESISTANCE = 2 };

typedef struct ob_kb_row {
	const char *gene;         /* HGNC symbol; "" for msi-high, tmb-high */
	const char *alteration;   /* specification, grammar above */
	const char *tumor_type;   /* OncoTree code; "" = any solid tumour;
	                           * "!A,B" = any but A, B and the types below them */
	const char *drugs;        /* "Osimertinib", "Dabrafenib + Trametinib" */
	int effect;               /* enum ob_kb_effect */
	const char *amp_level;    /* AMP/ASCO/CAP 2017: I-A I-B II-C II-D III IV */
	const char *oncokb_level; /* 1 2 3A 3B 4 R1 R2, or "" when not known */
	const char *sources;      /* citations: "PMID:123; FDA label ..." */
	const char *release;      /* "curated 2026.11", "civic 01-Aug-2021" */
} ob_kb_row;

typedef struct ob_kb ob_kb;

/* Loads the shipped curated base and, when st is not NULL, every release
 * imported into that database. Returns 0, OB_ERROR (out of memory or a
 * database error), or OB_EINVALID when the shipped curated base has an
 * invalid row (message "data/kb/curated.tsv:LINE: field: message"; a
 * test keeps that from shipping). The caller frees *out with ob_kb_free(). */
int ob_kb_open(ob_kb **out, ob_store *st);
void ob_kb_free(ob_kb *kb);

/* As ob_kb_open() with the curated base read from text (the format of
 * data/kb/curated.tsv), named name in messages. Every row is checked: a
 * bad one fails the whole load with OB_EINVALID "NAME:LINE: field:
 * message". */
int ob_kb_open_text(ob_kb **out, const char *text, const char *name, ob_store *st);

/* 0 when alteration is a specification of the grammar above that fits
 * gene (msi-high and tmb-high take gene "", every other one a gene);
 * OB_EINVALID with a message otherwise (the caller adds the place). */
int ob_kb_alteration_check(const char *gene, const char *alteration);

/* A release imported into a database (kb_release). */
typedef struct ob_kb_release {
	char *name, *version, *source_file, *imported_at, *imported_by;
	long long read, skipped, mapped, unmapped, rows;
} ob_kb_release;

/* The releases imported into st, oldest first; *n set. 0 or OB_ERROR. The
 * caller frees the array with ob_kb_releases_free(). */
int ob_kb_releases(ob_store *st, ob_kb_release **out, size_t *n);
void ob_kb_releases_free(ob_kb_release *r, size_t n);

/* "sensitivity" / "resistance"; NULL for another value. */
const char *ob_kb_effect_name(int effect);
/* 0 and *effect set for "sensitivity" / "resistance"; OB_EINVALID. */
int ob_kb_effect_parse(const char *word, int *effect);
/* True for I-A I-B II-C II-D III IV, and for 1 2 3A 3B 4 R1 R2. */
int ob_kb_amp_level_known(const char *level);
int ob_kb_oncokb_level_known(const char *level);

/* "curated 2026.11; civic 01-Aug-2021" - what the base holds, for reports. */
const char *ob_kb_version(const ob_kb *kb);

/* The rows of gene (case-sensitive HGNC symbol; "" for tumour-wide
 * biomarkers), *n set to their number; NULL with *n 0 when none. The
 * pointers stay valid until ob_kb_free(). */
const ob_kb_row *ob_kb_gene(const ob_kb *kb, const char *gene, size_t *n);

/* Every row, in a stable order (gene, alteration, tumour type). */
const ob_kb_row *ob_kb_all(const ob_kb *kb, size_t *n);

#endif
