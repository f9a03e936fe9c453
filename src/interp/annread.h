/*
 * annread.h - reading annotated VCF/BCF records for interpretation: the
 * consequences a record carries in our ANN field, SnpEff's ANN (same
 * layout) or VEP's CSQ (field order taken from its header's "Format: ..."),
 * or - when the file carries neither and an annotator is given - the ones
 * oncobank annotate computes on the fly. Streams through htslib; memory
 * does not grow with the file.
 */
#ifndef OB_ANNREAD_H
#define OB_ANNREAD_H

#include "genomics/annotate.h"

#include <htslib/vcf.h>
#include <stdint.h>

/* One allele x transcript entry, fields borrowed until the next call. */
typedef struct ob_csq {
	const char *allele;      /* the ALT allele */
	const char *consequence; /* SO terms joined by '&' */
	const char *impact;      /* HIGH MODERATE LOW MODIFIER, "" when absent */
	const char *gene;        /* gene symbol */
	const char *transcript;  /* feature ID */
	const char *biotype;
	int exon, exon_count;    /* rank when in an exon, else 0 */
	int intron, intron_count;/* rank when in an intron, else 0 */
	const char *hgvs_c;      /* "c.35G>A" (transcript prefix removed), "" */
	const char *hgvs_p;      /* "p.Gly12Asp" three-letter, "" when none */
	int protein_pos;         /* first residue changed, 0 when none */
	int picked;              /* 1: the entry --pick would keep (MANE/canonical) */
} ob_csq;

typedef struct ob_annread ob_annread;

/* Opens path ("-" = stdin); a, when not NULL, annotates records that carry
 * no ANN/CSQ. Returns 0, OB_ERROR (unreadable), OB_EINVALID with
 * "FILE: not a VCF (why)" or "FILE:LINE: FIELD: message" (no header, bad
 * CSQ Format; see vcfread.h). */
int ob_annread_open(ob_annread **out, const char *path, ob_annotator *a);
void ob_annread_free(ob_annread *r);
bcf_hdr_t *ob_annread_header(ob_annread *r);

/* Next record: *rec (borrowed) and its entries (*csq, *n, borrowed until
 * the next call). Returns 1, 0 at end, OB_EINVALID with "FILE:LINE: FIELD:
 * message" for a malformed record (vcfcheck.h), "FILE: not a VCF (...)" for
 * a truncated or corrupt file. */
int ob_annread_next(ob_annread *r, bcf1_t **rec, const ob_csq **csq, int *n);

/* From now on, in records whose entries mark none as picked, marks those
 * whose transcript is tagged MANE Select or Ensembl canonical in g (IDs
 * compared without their ".N" version). g is read during this call only.
 * Returns 0 or OB_ERROR (out of memory). */
int ob_annread_prefer(ob_annread *r, const ob_gff *g);

/* Line number of the current record in a VCF text input (0 for BCF). */
int64_t ob_annread_line(const ob_annread *r);

#endif
