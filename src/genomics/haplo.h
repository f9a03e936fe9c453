/*
 * haplo.h - compound (haplotype-aware) consequences for `oncobank annotate
 * --compound`: the coding variants that one haplotype carries in one
 * transcript are applied together to its spliced CDS and translated once,
 * as bcftools csq does in its default (non-local) mode.
 *
 * The caller (vcfio.c) pushes records in input order with the ANN value
 * the annotator gave each on its own (annotate.h), and which ALT allele
 * each haplotype carries. A record is held until the input has passed the
 * end of every transcript in whose CDS it lies; then its groups are
 * complete and it comes back, in input order, with its ANN rewritten:
 *
 *  - the first record of a group of two or more variants of one haplotype
 *    in one transcript gets an extra ANN entry (placed first) with the
 *    combined consequence, impact, HGVS.p and AA.pos of the combined
 *    protein, its own HGVS.c, and the warning INFO_COMPOUND_WITH:P2+P3...
 *    naming the positions of the other records;
 *  - the local entry of every other record of the group, for that
 *    transcript and allele, gets the warning INFO_COMPOUND:P1 (the
 *    position of the first record).
 *
 * Memory holds the records between the start and end of the transcripts
 * they lie in, not the file. Records on another contig or before the
 * previous one (an unsorted VCF) close every group first. Not thread-safe.
 */
#ifndef OB_HAPLO_H
#define OB_HAPLO_H

#include "base/buf.h"
#include "genomics/annotate.h"

#include <stdint.h>

typedef struct ob_haplo ob_haplo;

/* A new engine over annotator a (borrowed; it must outlive *out, which the
 * caller frees with ob_haplo_free()). Returns 0 or OB_ERROR. */
int ob_haplo_new(ob_haplo **out, ob_annotator *a);

/* Frees h and the records it still holds; NULL is a no-op. */
void ob_haplo_free(ob_haplo *h);

/* Takes one record: chrom, 1-based pos, REF, the nalt ALTs, its local ANN
 * value (copied) and, per haplotype, the allele it carries: hap[i] for
 * i < nhap is 0 (REF), k (ALT k) or negative (missing or unphased: not
 * combined). Haplotype i is the same haplotype (sample and copy) in every
 * record. First closes the groups of the transcripts that end before pos.
 * Returns 0, OB_EINVALID when nhap changes between records, OB_ERROR (out
 * of memory or the reference cannot be read). */
int ob_haplo_push(ob_haplo *h, const char *chrom, int64_t pos, const char *ref,
	const char *const *alts, int nalt, const int *hap, int nhap, const char *ann);

/* Closes every group: at the end of the input all records are ready.
 * Returns 0 or OB_ERROR. */
int ob_haplo_finish(ob_haplo *h);

/* When the oldest record held is ready, replaces the contents of ann with
 * its (rewritten) ANN value, drops it and returns 1; returns 0 when none
 * is ready, OB_ERROR when out of memory. */
int ob_haplo_pop(ob_haplo *h, ob_buf *ann);

/* How many records h holds now (for tests and the memory bound). */
size_t ob_haplo_held(const ob_haplo *h);

#endif
