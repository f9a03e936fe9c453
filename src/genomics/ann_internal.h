/*
 * ann_internal.h - what annotate.c lends to the other parts of the
 * annotator inside src/genomics (haplo.c, the compound consequences): its
 * reference, its gene models and its contig-name matching. Not a public
 * interface: the CLI and other layers use annotate.h.
 */
#ifndef OB_ANN_INTERNAL_H
#define OB_ANN_INTERNAL_H

#include "genomics/annotate.h"
#include "genomics/refseq.h"

#include <stddef.h>
#include <stdint.h>

/* The annotator's reference and gene models (borrowed from a). */
ob_ref *ob_ann_ref(const ob_annotator *a);
const ob_gff *ob_ann_gff(const ob_annotator *a);

/* The contig name the FASTA (fasta_name) or the gene models (gff_name)
 * know for chrom, with or without a "chr" prefix: chrom itself or buf
 * (room for n bytes), NULL when neither matches. */
const char *ob_ann_fasta_name(const ob_annotator *a, const char *chrom, char *buf, size_t n);
const char *ob_ann_gff_name(const ob_annotator *a, const char *chrom, char *buf, size_t n);

/* The transcripts of contig gname (a gene-model name) overlapping
 * [beg, end], with --pick applied as ob_annotate_record() applies it;
 * stores at most max in out and returns how many it stored. */
size_t ob_ann_overlapping(const ob_annotator *a, const char *gname, int64_t beg, int64_t end,
	const ob_tx **out, size_t max);

#endif
