/*
 * vcfcheck.h - the checks a VCF record passes before anything believes it.
 * htslib's vcf_parse is lenient: it reads POS "abc" as 0, takes "A*Z" as a
 * REF and a 3-column line as a record without alleles. These functions look
 * at the raw text of one data line (or at the alleles of a BCF record) and
 * refuse what is not VCF with a one-line message naming the place and the
 * column: "FILE:LINE: POS: 'abc' is not a position (a whole number from
 * 1)". Pure functions without htslib (src/bank checks uploaded text with
 * them); the streaming reader vcfread.h calls them on every record.
 *
 * The convention of every VCF reader (docs/annotation.md, "Malformed
 * input"): a bad line is "FILE:LINE: FIELD: message" (FIELD a column name,
 * or "header"); a file that is not VCF at all (binary data, another format,
 * empty, a truncated or corrupt BGZF stream) is "FILE: not a VCF (why)"; a
 * BCF record, which has no line, is "FILE: record N: FIELD: message".
 */
#ifndef OB_VCFCHECK_H
#define OB_VCFCHECK_H

#include <stddef.h>
#include <stdint.h>

/* Checks one data line of a VCF text file (s, len: without its newline; it
 * need not be NUL-terminated). nsamples: the samples the #CHROM line names
 * (a record then has 9 + nsamples columns; without samples, 8 or 9). Checks the
 * column count, CHROM, POS (1 or more), ID, REF (bases A C G T N),
 * ALT (bases, '*', '.', <ID> or a breakend), QUAL (a number or '.'),
 * FILTER and INFO not empty. file and line name the place: "FILE:LINE";
 * line = -N gives "FILE: record N" (BCF). Returns 0 or OB_EINVALID with
 * "FILE:LINE: FIELD: message". */
int ob_vcf_check_line(const char *s, size_t len, int nsamples, const char *file, int64_t line);

/* The REF and ALT alleles of a record already split (a BCF record):
 * alleles[0] is REF; file and line as for ob_vcf_check_line(). Returns 0
 * or OB_EINVALID with "FILE: record N: REF|ALT: message". */
int ob_vcf_check_alleles(const char *const *alleles, int n, const char *file, int64_t line);

/* The samples a #CHROM header line (s, len) names: its columns after the
 * ninth, 0 when it has 9 or fewer. */
int ob_vcf_header_samples(const char *s, size_t len);

#endif
