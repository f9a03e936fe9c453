/*
 * gff.h - gene models from an Ensembl-style GFF3 file (plain or gzipped),
 * loaded once into memory: genes, transcripts (transcript, mRNA or any
 * record whose ID is "transcript:..."), their exons and CDS segments. The
 * transcripts are kept sorted per contig by start, so the ones near a
 * position are found by binary search. Coordinates are 1-based, inclusive.
 */
#ifndef OB_GFF_H
#define OB_GFF_H

#include <stddef.h>
#include <stdint.h>

typedef struct ob_range {
	int64_t beg, end; /* 1-based inclusive */
	int phase;        /* CDS phase (0..2), -1 when not given */
} ob_range;

/* ob_tx.flags: tag=MANE_Select (RefSeq also writes "MANE Select") and
 * tag=Ensembl_canonical among the comma-separated tags of the transcript. */
#define OB_TX_MANE_SELECT 1u
#define OB_TX_CANONICAL 2u

typedef struct ob_tx {
	char *id;        /* transcript ID without the "transcript:" prefix */
	char *gene_id;   /* gene ID without the "gene:" prefix ("" when none) */
	char *gene_name; /* gene Name, else gene_id */
	char *biotype;   /* transcript biotype ("" when none) */
	char *protein_id; /* protein_id of its CDS, version kept ("" when none) */
	char *chrom;
	int version;     /* transcript version= attribute, 0 when none (RefSeq
	                  * IDs carry their version in id instead) */
	unsigned flags;  /* OB_TX_* bits from the GFF3 tag= attribute */
	int strand;      /* +1 or -1 */
	int64_t beg, end;
	size_t nexon, ncds;
	ob_range *exon;  /* sorted by position, ascending */
	ob_range *cds;   /* sorted by position, ascending; ncds 0: non-coding */
} ob_tx;

typedef struct ob_gff ob_gff;

/* Loads path (GFF3, gzip or bgzip allowed, or a cache written by
 * `oncobank genes index`, recognised by its magic: genecache.h) into *out,
 * which the caller frees with ob_gff_free(). Returns 0; OB_ERROR when the
 * file cannot be read; OB_EINVALID with "FILE:LINE: message" for a
 * malformed line, a feature whose Parent is unknown, or an exon/CDS outside
 * its transcript, and "FILE: message" for a corrupt, truncated, stale or
 * other-version cache. */
int ob_gff_load(ob_gff **out, const char *path);

/* Reads only GFF3 text (never a cache); as ob_gff_load() otherwise. */
int ob_gff_load_text(ob_gff **out, const char *path);

/* Builds a model set from ntx transcripts whose every field is filled as
 * ob_gff_load() fills it. Takes ownership of tx (a malloc'ed array, also
 * on failure). Returns 0 or OB_ERROR (out of memory). */
int ob_gff_adopt(ob_gff **out, ob_tx *tx, size_t ntx);

/* Frees what t owns (not t itself). */
void ob_tx_dispose(ob_tx *t);

/* Index of genomic position g in t's CDS segments joined in genomic order
 * (the plus-strand CDS string), or -1 when g is in no CDS segment. */
int64_t ob_tx_cds_index(const ob_tx *t, int64_t g);

/* Frees g; NULL is a no-op. */
void ob_gff_free(ob_gff *g);

/* Number of transcripts loaded. */
size_t ob_gff_ntx(const ob_gff *g);

/* Transcript i (< ob_gff_ntx()), in order of contig name, then start;
 * borrowed from g. */
const ob_tx *ob_gff_tx(const ob_gff *g, size_t i);

/* Counts of a model set. */
typedef struct ob_gff_stats {
	size_t genes;       /* distinct gene IDs (transcripts without a gene: one each) */
	size_t transcripts;
	size_t coding;      /* transcripts with a CDS */
	size_t contigs;
	size_t exons;       /* summed over transcripts */
	size_t mane_select; /* transcripts tagged OB_TX_MANE_SELECT */
	size_t canonical;   /* transcripts tagged OB_TX_CANONICAL */
} ob_gff_stats;

/* Fills *st for g. Returns 0 or OB_ERROR (out of memory). */
int ob_gff_get_stats(const ob_gff *g, ob_gff_stats *st);

/* True when the models name contig chrom. */
int ob_gff_has_contig(const ob_gff *g, const char *chrom);

/* Collects into out (room for max entries) the transcripts of contig chrom
 * whose span extended by pad on both sides overlaps [beg, end]; returns
 * how many there are (can exceed max: then only max were stored). The
 * pointers are borrowed from g. */
size_t ob_gff_near(const ob_gff *g, const char *chrom, int64_t beg, int64_t end,
	int64_t pad, const ob_tx **out, size_t max);

#endif
