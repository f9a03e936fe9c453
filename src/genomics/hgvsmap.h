/*
 * hgvsmap.h - HGVS c./n. descriptions of a transcript to genomic variants
 * and back: the reverse map `oncobank hgvs` and the interpretation
 * commands use. The forward map parses "NM_007294.3(BRCA1):c.68_69del",
 * places it on a transcript of the gene models (gff.h) and reads the
 * reference (htslib faidx) to give a VCF-style variant, left-aligned, with
 * the anchor base for indels, and the genomic g. form. The backward map
 * runs the annotator (annotate.h) over a genomic variant and collects the
 * HGVS c./n. of each transcript it touches. See docs/hgvs.md.
 */
#ifndef OB_HGVSMAP_H
#define OB_HGVSMAP_H

#include "genomics/annotate.h"
#include "genomics/gff.h"

#include <stdint.h>

/* One position of a c./n. description: c.123+5 is { 123, 0, +5 },
 * c.-14-2 { -14, 0, -2 }, c.*7 { 7, '*', 0 }. */
typedef struct ob_hgvs_coord {
	int64_t pos;    /* c.: from the first CDS base (c.1), negative 5' of it; n.: transcript position */
	int anchor;     /* 0, or '*' for a position 3' of the stop codon */
	int64_t offset; /* intronic offset, 0 when exonic */
} ob_hgvs_coord;

typedef enum ob_hgvs_edit {
	OB_HGVS_SUB, OB_HGVS_DEL, OB_HGVS_DUP, OB_HGVS_INS, OB_HGVS_DELINS, OB_HGVS_IDENTITY
} ob_hgvs_edit;

/* A parsed description. Strings point into the caller's buffer given to
 * ob_hgvs_parse() (which it cuts), or are "" when absent. */
typedef struct ob_hgvs_c {
	char *acc;        /* "NM_007294.3" */
	char *gene;       /* "BRCA1" from "(BRCA1)", "" when none */
	char kind;        /* 'c' or 'n' */
	ob_hgvs_coord start, end; /* end equals start for a single position */
	ob_hgvs_edit edit;
	char *ref;        /* bases the description states as deleted or replaced ("" none) */
	int64_t ref_len;  /* del21: 21; else 0 */
	char *alt;        /* substituted, inserted bases (upper case) */
} ob_hgvs_c;

/* Parses s (modified in place: cut into the strings of *out). Accepts
 * ACC[(GENE)]:c.|n. POS[_POS] EDIT with EDIT one of A>G, del, delAG, del2,
 * dup, dupAG, insAG, delinsAG, delAGinsT, del2insT, =. Returns 0 or
 * OB_EINVALID "HGVS: message" naming the part that does not parse. */
int ob_hgvs_parse(char *s, ob_hgvs_c *out);

typedef struct ob_hgvs_map ob_hgvs_map;

/* Opens the FASTA (the .fai is built when missing) and loads the gene
 * models (GFF3 or gene cache). Free with ob_hgvs_map_free(). Returns 0,
 * OB_ERROR when a file cannot be read, OB_EINVALID for a bad GFF. */
int ob_hgvs_map_new(ob_hgvs_map **out, const char *fasta, const char *gff);

/* Frees m; NULL is a no-op. */
void ob_hgvs_map_free(ob_hgvs_map *m);

/* A genomic variant: VCF-style (pos 1-based; indels carry the anchor base
 * on their left, and are shifted left as far as the reference allows). */
typedef struct ob_hgvs_genomic {
	const ob_tx *tx;  /* the transcript used, borrowed from the map */
	int other_version;/* 1 when the description named another version of tx */
	char chrom[256];  /* as the FASTA names it */
	int64_t pos;
	char *ref, *alt;  /* owned */
	char *g;          /* owned: "g.41276047_41276048del" (3'-shifted, as HGVS wants) */
} ob_hgvs_genomic;

/* Frees what v owns. */
void ob_hgvs_genomic_dispose(ob_hgvs_genomic *v);

/* Maps one c./n. description to *out (dispose with
 * ob_hgvs_genomic_dispose()). The transcript is found by accession with
 * its version, else by accession alone (highest version; other_version
 * set when a version was given). Returns 0; OB_EINVALID for a description
 * that does not parse, a c. on a non-coding transcript, a position outside
 * the contig, or stated bases that disagree with the reference (the
 * message names the description, the bases and the genomic place);
 * OB_ENOTFOUND when no transcript has that accession; OB_ERROR. */
int ob_hgvs_map_c(ob_hgvs_map *m, const char *hgvs, ob_hgvs_genomic *out);

/* The c./n. description of chrom:pos:ref>alt on transcript acc (with or
 * without version) when the variant lies wholly outside the transcript's
 * span, upstream (c.-N from the CDS start, n.-N) or downstream (c.*N,
 * n.*N), which the annotator leaves without HGVS.c; indels are shifted 3'
 * along the transcript (not into it), an insertion that repeats the bases
 * 5' of it is a dup. *c (caller frees) e.g. "c.-116C>T"; *tx the
 * transcript, borrowed. Returns 0, OB_ENOTFOUND (no such transcript),
 * OB_EINVALID (REF disagrees with the FASTA, another contig, REF equals
 * ALT, or the variant touches the span: the annotator names those),
 * OB_ERROR. */
int ob_hgvs_map_outside(ob_hgvs_map *m, const char *acc, const char *chrom, int64_t pos,
	const char *ref, const char *alt, const ob_tx **tx, char **c);

/* Splits "CHROM:POS:REF:ALT" or "CHROM-POS-REF-ALT" (s is cut in place).
 * Returns 0 or OB_EINVALID. */
int ob_hgvs_parse_key(char *s, char **chrom, int64_t *pos, char **ref, char **alt);

/* One transcript's description of a genomic variant. */
typedef struct ob_hgvs_desc {
	char *tx, *gene, *c, *p, *consequence; /* owned; c is "c.68_69del" or "n.…" */
} ob_hgvs_desc;

/* The c./n. (and p.) description of chrom:pos:ref>alt on each transcript
 * the annotator places it in (only_tx: just that transcript, with or
 * without version; NULL: all), in the annotator's order (highest impact
 * first). *out (n entries) is freed with ob_hgvs_descs_free(). Returns 0
 * (n may be 0: no transcript overlaps), OB_ERROR. */
int ob_hgvs_describe(ob_annotator *a, const char *chrom, int64_t pos, const char *ref,
	const char *alt, const char *only_tx, ob_hgvs_desc **out, size_t *n);

/* Frees n descriptions; NULL is a no-op. */
void ob_hgvs_descs_free(ob_hgvs_desc *d, size_t n);

#endif
