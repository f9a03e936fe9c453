/*
 * annotate.h - variant consequences and HGVS against gene models: for one
 * VCF record (contig, position, REF, ALTs) the value of the ANN INFO field
 * in the community "VCF annotation format" (one entry per allele and
 * transcript, highest impact first). Sits on gff.h (models) and codon.h;
 * reads the reference with htslib's faidx. Knows nothing of VCF files:
 * vcfio.h streams records through it.
 */
#ifndef OB_ANNOTATE_H
#define OB_ANNOTATE_H

#include "base/buf.h"
#include "genomics/gff.h"

#include <stdint.h>

/* The ##INFO header line that describes ANN (no trailing newline). */
extern const char ob_ann_header[];

typedef struct ob_annotator ob_annotator;

/* Opens the indexed FASTA (plain or bgzip; the .fai is built when
 * missing) and loads the GFF3 models. The caller frees *out with
 * ob_annotator_free(). Returns 0, OB_ERROR when a file cannot be read,
 * OB_EINVALID with FILE:LINE for a malformed GFF. */
int ob_annotator_new(ob_annotator **out, const char *fasta, const char *gff);

/* Frees a; NULL is a no-op. */
void ob_annotator_free(ob_annotator *a);

/* With on, ob_annotate_record() keeps one transcript per gene (genes are
 * told apart by contig and gene ID; a transcript without a gene is its
 * own): the MANE Select one, else the one tagged Ensembl canonical, else
 * the one with the longest CDS, else the smallest ID. The choice is made
 * once over the whole gene set, so a record near only the other
 * transcripts of a gene is annotated as if they were absent. Returns 0
 * or OB_ERROR (out of memory). */
int ob_annotator_set_pick(ob_annotator *a, int on);

/* How many records so far had a REF that disagrees with the FASTA (they
 * are annotated against their REF and flagged in ANN); *chrom and *pos
 * get the first of them (borrowed; valid until a is freed). */
int64_t ob_annotator_ref_mismatches(const ob_annotator *a, const char **chrom, int64_t *pos);

/* True when chrom (or chrom with a "chr" prefix added or removed) names a
 * contig of the FASTA or of the gene models. */
int ob_annotator_knows(const ob_annotator *a, const char *chrom);

/* Appends to out the ANN value (without "ANN=") of one record: chrom, the
 * 1-based pos, REF and the nalt ALT alleles. Symbolic (<DEL>), breakend
 * and '*' alleles get an entry with a warning; a REF that disagrees with
 * the FASTA is annotated with WARNING_REF_DOES_NOT_MATCH_GENOME; a contig
 * known to neither the FASTA nor the models (also after adding or removing
 * a "chr" prefix) gives ERROR_CHROMOSOME_NOT_FOUND. Returns 0 or OB_ERROR
 * (out of memory). */
int ob_annotate_record(ob_annotator *a, const char *chrom, int64_t pos, const char *ref,
	const char *const *alts, int nalt, ob_buf *out);

/* Appends to out the HGVS c. (n. for a non-coding transcript) position of
 * genomic position g (1-based) in t, without the "c." prefix: "123",
 * "-14", "*7", "123+5", "124-2". Positions outside t's exons but inside
 * its span get intronic offsets from the nearer exon (upstream on a tie).
 * Returns 0, OB_EINVALID when g is outside t, OB_ERROR for out of memory. */
int ob_hgvs_pos(const ob_tx *t, int64_t g, ob_buf *out);

/* Appends the HGVS p. change (without "p.") for a protein whose reference
 * is ref (one-letter, may end in '*') and whose variant is alt, where alt
 * differs from ref in frame (frameshift 0) or by a frameshift (1):
 * "Val600Glu", "Val600=", "Lys5del", "Lys5_Gly6insArg", "Arg7ProfsTer3",
 * "Met1?". Returns 0 or OB_ERROR. */
int ob_hgvs_protein(const char *ref, const char *alt, int frameshift, ob_buf *out);

#endif
