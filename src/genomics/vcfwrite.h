/*
 * vcfwrite.h - writing a VCF text record with a long INFO value added
 * without storing it in the record first: the record is formatted as it
 * is (htslib's vcf_format) and the value is spliced into the INFO column
 * on the way out. bcf_update_info_string() would copy the string into the
 * record's packed INFO and vcf_format() would then decode it again - for
 * ANN, which is longer than the rest of the record, that is a third of
 * `oncobank annotate`'s time (docs/benchmarks-annotation.md).
 */
#ifndef OB_VCFWRITE_H
#define OB_VCFWRITE_H

#include <htslib/kstring.h>
#include <htslib/vcf.h>
#include <stddef.h>

/* True when fo writes VCF text (plain or BGZF) and rec carries no INFO
 * field key, so that ob_vcf_write_info() may be used. */
int ob_vcf_can_splice(const htsFile *fo, const bcf_hdr_t *h, bcf1_t *rec, const char *key);

/* Writes rec to fo (VCF text, plain or BGZF) with key=value (len bytes) as
 * the last INFO field - the bytes bcf_update_info_string() + vcf_write()
 * would write. line is scratch space reused between calls (free its .s).
 * Returns 0 or -1 on a write error. */
int ob_vcf_write_info(htsFile *fo, const bcf_hdr_t *h, bcf1_t *rec, const char *key,
	const char *value, size_t len, kstring_t *line);

#endif
