/*
 * vcfio.h - streams a VCF/BCF through an annotator with htslib: one record
 * in memory at a time (with OB_VCF_COMPOUND: the records inside the
 * transcripts at the current position), so memory does not grow with the
 * input. Adds the ANN header line and an ANN INFO field to every record.
 */
#ifndef OB_VCFIO_H
#define OB_VCFIO_H

#include "genomics/annotate.h"

#include <stdint.h>

typedef struct ob_vcf_stats {
	int64_t records;          /* records written */
	int64_t unknown;          /* records on contigs matching nothing */
	char first_unknown[128];  /* the first such contig ("" when none) */
} ob_vcf_stats;

/* ob_vcf_annotate() flags. OB_VCF_COMPOUND: compound (haplotype-aware)
 * consequences (haplo.h): records are held until the input passes the end
 * of the transcripts whose CDS they lie in; the haplotypes are the phased
 * (or homozygous) GT alleles of each sample's first two copies, or with no
 * samples one haplotype carrying every record's first ALT. */
#define OB_VCF_COMPOUND 1u

/* Reads in ("-": standard input; VCF, bgzipped VCF or BCF) through
 * vcfread.h, writes to out ("-": standard output) as mode 'v' (VCF), 'z'
 * (bgzipped VCF) or 'b' (BCF). Fills *stats. Returns 0, OB_ERROR when a
 * file cannot be opened or written, OB_EINVALID for input that is not VCF
 * ("FILE: not a VCF (why)": binary data, a BGZF file without its
 * end-of-file block - checked before anything is written -, corrupt data)
 * or a malformed line ("FILE:LINE: FIELD: message"). On error an output
 * file (not "-") is removed; standard output has had the records before
 * the bad one. */
int ob_vcf_annotate(ob_annotator *a, const char *in, const char *out, char mode,
	unsigned flags, ob_vcf_stats *stats);

#endif
