/*
 * vcfread.h - the one door through which VCF and BCF records come in, for
 * every command that reads them (annotate, somatic and germline through
 * annread.h, prs). Opens plain VCF, bgzipped VCF or BCF ("-": standard
 * input), reads the header and streams the records one at a time: a text
 * file is read in large blocks and cut into lines in place, each line
 * counted and checked (vcfcheck.h) before htslib parses it, so that a
 * malformed record is refused as "FILE:LINE: FIELD: message" instead of
 * being read as POS 0 or an empty allele. Memory holds one line (or one BCF
 * record), whatever the size of the file.
 */
#ifndef OB_VCFREAD_H
#define OB_VCFREAD_H

#include <htslib/vcf.h>
#include <stdint.h>

typedef struct ob_vcfread ob_vcfread;

/* Opens path and reads its header. threads > 0: extra decompression threads
 * for a bgzipped input. Returns 0; OB_ERROR when it cannot be opened (the
 * message says why); OB_EINVALID "FILE: not a VCF (why)" for binary data,
 * another format, an empty file, a BGZF file without its end-of-file block;
 * "FILE:LINE: header: message" for a record before the #CHROM line, a
 * header htslib cannot parse. Free with ob_vcfread_free(). */
int ob_vcfread_open(ob_vcfread **out, const char *path, int threads);
void ob_vcfread_free(ob_vcfread *r);

/* The header (owned by r; htslib may add contigs and tags to it while
 * records are parsed). */
bcf_hdr_t *ob_vcfread_header(ob_vcfread *r);

/* 1 for VCF text, 0 for BCF. */
int ob_vcfread_is_text(const ob_vcfread *r);

/* The next record into rec, checked (vcfcheck.h, and htslib's parse
 * errors; contigs and tags missing from the header are allowed, as htslib
 * allows them). Returns 1, 0 at the end, OB_EINVALID naming FILE:LINE (BCF:
 * "FILE: record N") and the field, or "FILE: not a VCF (...)" for corrupt
 * or truncated compressed data. */
int ob_vcfread_next(ob_vcfread *r, bcf1_t *rec);

/* Text only: the next data line, checked, without parsing it (*s, *len, not
 * NUL-terminated, valid until the next call). Returns 1, 0 at the end or an
 * error as ob_vcfread_next(). For readers that parse only the lines they
 * need (prs.c): ob_vcfread_parse() then parses the current line. */
int ob_vcfread_next_line(ob_vcfread *r, const char **s, size_t *len);
int ob_vcfread_parse(ob_vcfread *r, bcf1_t *rec);

/* Text: the line number of the current record. BCF: the current record's
 * number (1-based). */
int64_t ob_vcfread_line(const ob_vcfread *r);

/* "FILE:LINE" (text) or "FILE: record N" (BCF) of the current record, for
 * callers' own messages; borrowed until the next call. */
const char *ob_vcfread_where(ob_vcfread *r);

#endif
