/*
 * sequencing.h - sequencing results of banked specimens: the VCF a
 * molecular laboratory delivered for one specimen (usually a DNA extract),
 * kept as received with what its interpretation needs (kind, assay, tumour
 * type, panel size, MSI status, genome). Adding one is a change to the
 * specimen's record: it needs the right to change specimens at the
 * specimen's site, the donor's consent to genetic research, and it is
 * audited (with the SHA-256 of the file). Reports are made from a stored
 * result by src/interp/seqreport.h.
 */
#ifndef OB_SEQUENCING_H
#define OB_SEQUENCING_H

#include "bank/audit.h"
#include "bank/ctx.h"
#include "bank/record.h"
#include "base/buf.h"

#include <stddef.h>
#include <stdint.h>

/* Files larger than this are refused (a panel or exome VCF is far smaller;
 * whole genomes belong in a file store, not in a report database). */
#define OB_SEQ_MAX_BYTES (64u << 20)

typedef struct ob_seq_new {
	const char *specimen;   /* barcode */
	const char *kind;       /* "somatic" or "germline" */
	const char *assay;      /* "Solid tumour NGS panel v2" */
	const char *tumor_type; /* OncoTree code (somatic; may be NULL) */
	double panel_size_mb;   /* NaN when not given */
	const char *msi;        /* "high", "stable", a score, or NULL */
	const char *genome;     /* "GRCh38", ... */
	const char *file_name;  /* the file's name as delivered */
} ob_seq_new;

/* One stored result (texts NUL-terminated, "" when not set). */
typedef struct ob_seq {
	int64_t id, specimen_id, variants;
	char specimen[40], donor[40], site[40];
	char kind[16], assay[128], tumor_type[32], msi[32], genome[32], file_name[256];
	double panel_size_mb;   /* NaN when not set */
	char sha256[65], created_at[24], created_by[64];
	/* the donor's consent now: "" when it permits genetic research, else
	 * "withdrawn" or "genetic research not permitted" (OB_SEQ_CONSENT_SQL) */
	char consent[40];
} ob_seq;

/* A stored result's flag for its donor's consent now (donor d): NULL when
 * the current consent permits genetic research. */
#define OB_SEQ_CONSENT_SQL \
	"CASE WHEN d.withdrawn <> 0 THEN 'withdrawn' WHEN (d.consent_mask & 4) = 0" \
	" THEN 'genetic research not permitted' END"

/* Stores vcf (len bytes: VCF text, "##fileformat=VCF" first, a #CHROM line,
 * no NUL) for in->specimen. OB_EINVALID naming the field for a bad value
 * (kind, tumor_type form, panel_size_mb, a file that is not VCF text);
 * OB_ETOOBIG above OB_SEQ_MAX_BYTES; OB_ENOTFOUND for an unknown barcode;
 * OB_EPERM without the right; OB_ECONFLICT when the donor has withdrawn
 * consent or never gave consent to genetic research. *id (may be NULL)
 * receives the new result's id. */
int ob_seq_add(const ob_ctx *cx, const ob_seq_new *in, const char *vcf, size_t len, int64_t *id);

/* The result id (and its VCF text when vcf is not NULL; cleared first).
 * Reading needs the right to read the specimen's site. */
int ob_seq_get(const ob_ctx *cx, int64_t id, ob_seq *out, ob_buf *vcf);

/* A result as listed, without the VCF text (record.h): name, kind, select
 * expression (result r, its specimen p, donor d, site st), flags. */
#define OB_SEQ_ROW_FIELDS(X) \
	X(id, INT, "r.id", OB_F_ROW) \
	X(specimen, TEXT, "p.barcode", OB_F_ROW) \
	X(donor, TEXT, "d.code", OB_F_ROW) \
	X(site, TEXT, "st.code", OB_F_ROW) \
	X(kind, TEXT, "r.kind", OB_F_ROW) \
	X(assay, TEXT, "r.assay", OB_F_ROW) \
	X(tumor_type, TEXT, "r.tumor_type", OB_F_ROW) \
	X(panel_size_mb, REAL, "r.panel_size_mb", OB_F_ROW) \
	X(msi, TEXT, "r.msi", OB_F_ROW) \
	X(genome, TEXT, "r.genome", OB_F_ROW) \
	X(file_name, TEXT, "r.file_name", OB_F_ROW) \
	X(variants, INT, "r.variants", OB_F_ROW) \
	X(created_at, TEXT, "r.created_at", OB_F_ROW) \
	X(created_by, TEXT, "r.created_by", OB_F_ROW) \
	X(specimen_type, TEXT, "p.type", OB_F_ROW) \
	X(consent, TEXT, OB_SEQ_CONSENT_SQL, OB_F_ROW)

typedef struct ob_seq_row {
	OB_SEQ_ROW_FIELDS(OB_RECORD_MEMBER)
} ob_seq_row;

extern const ob_field ob_seq_row_fields[];

/* Calls cb for the results of one specimen (barcode), or for every result
 * in the actor's read scope when barcode is NULL (newest first, at most
 * limit); the row is borrowed for the call. A non-zero return stops the
 * walk and is returned. An unknown barcode, or one outside the scope, is
 * OB_ENOTFOUND, not an empty list. */
typedef int (*ob_seq_row_cb)(const ob_seq_row *r, void *arg);
int ob_seq_list(const ob_ctx *cx, const char *barcode, int limit, ob_seq_row_cb cb, void *arg);

/* The audited entity. */
extern const ob_audit_entity ob_seq_audit;

#endif
