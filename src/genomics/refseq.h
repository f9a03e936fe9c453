/*
 * refseq.h - fast access to the bases of a reference FASTA for the
 * annotator: one handle for a plain FASTA (with its .fai) and for a bgzip
 * FASTA (.fa.gz with .fai and .gzi).
 *
 * A plain FASTA is mapped into memory (mmap) and a base's offset is
 * computed from the .fai (offset, bases per line, bytes per line): O(1)
 * per base, no copy, no read call. Pages left behind a forward-moving
 * reader are given back (madvise), so the resident size stays that of a
 * few megabytes of the file, not of the genome. A bgzip FASTA (or a plain
 * one that cannot be mapped) is read through one large window that moves
 * forward: each part of the genome is decompressed once while the callers
 * move forward (a sorted VCF), and a window re-read only when they jump
 * back before it.
 *
 * Bases come back in upper case, as they are in the file otherwise (N,
 * IUPAC codes). Positions are 1-based and inclusive, as in a VCF. Not
 * thread-safe: one handle per thread.
 */
#ifndef OB_REFSEQ_H
#define OB_REFSEQ_H

#include <stddef.h>
#include <stdint.h>

typedef struct ob_ref ob_ref;

/* Opens fasta (plain or bgzip), building its .fai when absent as htslib
 * does. Returns 0 and *out (free with ob_ref_free), or OB_ERROR when the
 * file or its index cannot be opened or the index does not fit the file
 * (the message names the file). */
int ob_ref_open(ob_ref **out, const char *fasta);

/* Frees r; ob_ref_free(NULL) is a no-op. */
void ob_ref_free(ob_ref *r);

/* Length of contig chrom, or -1 when the FASTA has no such contig. */
int64_t ob_ref_len(ob_ref *r, const char *chrom);

/* The base at 1-based pos of chrom, in upper case; 0 when chrom is
 * unknown, pos is outside [1, length] or the file cannot be read. */
char ob_ref_base(ob_ref *r, const char *chrom, int64_t pos);

/* Copies the bases [beg, end] (1-based, inclusive) of chrom, in upper
 * case, to dst[0 .. end - beg] (no terminating NUL). Returns 0,
 * OB_ENOTFOUND for an unknown contig, OB_EINVALID when the range is empty
 * or not inside the contig, OB_ERROR when the file cannot be read or
 * memory runs out (the message names contig and range). */
int ob_ref_copy(ob_ref *r, const char *chrom, int64_t beg, int64_t end, char *dst);

/* True when r maps a plain FASTA (the fast path), false when it reads
 * windows through htslib's faidx (bgzip). For tests and diagnostics. */
int ob_ref_mapped(const ob_ref *r);

#endif
