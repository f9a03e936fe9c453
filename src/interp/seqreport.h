/*
 * seqreport.h - the clinical report of a stored sequencing result
 * (bank/sequencing.h): the somatic interpretation (somatic.h) or the germline
 * classification (germline.h) of the VCF
 * kept for the specimen, headed by the specimen's identity and its
 * pre-analytical quality - type, lineage up to the primary specimen, SPREC
 * code in words, freeze-thaw cycles, tumour content, extract quality - with
 * flags where that quality limits what the result can say. Used by
 * `oncobank sequencing report` and by GET /api/sequencing/{id}/report.
 */
#ifndef OB_SEQREPORT_H
#define OB_SEQREPORT_H

#include "bank/ctx.h"
#include "bank/specimen.h"
#include "base/buf.h"

#include <stdint.h>

typedef struct ob_seqreport_opts {
	const char *format;  /* "html" (default) or "json" */
	const char *fasta;   /* reference and gene models to annotate records */
	const char *gff;     /* that carry no ANN/CSQ; both NULL: none */
} ob_seqreport_opts;

/* Appends the report of result id to out: a somatic result's
 * interpretation (somatic.h), a germline result's classification over
 * every panel gene (germline.h, ClinVar from the same database), each
 * headed by the specimen section. Reading the result needs the right to
 * read the specimen's site (bank/sequencing.h). OB_ENOTFOUND, OB_EPERM,
 * OB_EINVALID (a stored file the reader refuses, an unknown tumour type). */
int ob_seqreport(const ob_ctx *cx, int64_t id, const ob_seqreport_opts *o, ob_buf *out);

/* The quality flags of a specimen's full record (the sequenced specimen,
 * and its primary when it is a derivative; prim may be NULL): appends one
 * HTML <li> per flag when html, else a JSON array of strings. Rules and
 * their reasons are in docs/sequencing.md. */
int ob_seqreport_flags(const ob_specimen_full *spec, const ob_specimen_full *prim, int html,
                       ob_buf *out);

#endif
