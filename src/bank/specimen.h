/*
 * specimen.h - specimens from collection to freezer: creation (primary,
 * aliquot, derivative), lineage, status transitions, freeze-thaw cycles,
 * search and the full record.
 *
 * Types (fixed vocabulary): tissue ffpe_block, ffpe_slide, fresh_frozen,
 * oct; blood whole_blood, plasma, serum, buffy_coat, pbmc; fluids urine,
 * ascites, pleural_fluid, csf, saliva; nucleic acids dna, rna, cfdna.
 * Statuses: available, reserved, in_transit, distributed, depleted,
 * destroyed, missing - changed only along the allowed transitions
 * (docs/specimens.md).
 */
#ifndef OB_SPECIMEN_H
#define OB_SPECIMEN_H

#include "bank/audit.h"
#include "bank/ctx.h"
#include "bank/sprec.h"
#include "base/buf.h"

#include <stdbool.h>
#include <stdint.h>

/* A specimen to create. Strings may be NULL (unknown); numbers NaN. */
typedef struct ob_specimen_new {
	const char *barcode;      /* NULL or "": generated (site prefix + serial) */
	const char *label;        /* the site's own name for it, optional */
	const char *site;         /* owning site code; default: the parent's */
	const char *donor;        /* donor code; default: the parent's donor */
	const char *donor_site;   /* site code of the donor; default: site */
	const char *type;
	const char *parent;       /* parent barcode, NULL for a primary specimen */
	const char *lineage;      /* NULL: aliquot when the parent has the same type,
	                             derivative otherwise */
	const char *anatomic_site;
	const char *pathology;    /* tumour, normal, unknown (default) */
	double tumour_pct;        /* 0-100, tumour only */
	double quantity;
	double initial_quantity;  /* what it was created with; NaN: quantity. Given
	                             when loading a specimen already partly used */
	const char *unit;         /* ml, ul, mg, g, ug, ng, block, slide, cells */
	double parent_used;       /* amount taken from the parent (parent's unit);
	                             NaN: the quantity itself for an aliquot, 0 for
	                             a derivative */
	bool parent_thawed;       /* taking it thawed the parent: +1 cycle */
	const char *collected_at; /* ISO 8601; aliquots/derivatives: creation time */
	const char *sprec;        /* a given code, checked; computed from pre when
	                             pre has measurements (they must agree) */
	ob_preanalytics pre;      /* pre.type is ignored (type above is used);
	                             storage temperature comes from the container */
	const char *vessel;       /* storage vessel (ob_preanalytics.storage_vessel) */
	const char *status;       /* default available */
	const char *final_status; /* the import's status set after its last row
	                             (NULL: status); depleted, distributed or
	                             destroyed allow a quantity of 0 */
	int freeze_thaw;
	const char *container;    /* container barcode */
	const char *position;     /* position in a box ("A1") */
	double concentration;     /* ng/ul, nucleic acids */
	double a260_280;
	double rin;
	double din;
} ob_specimen_new;

/* Sets every field to unknown (NULL / NaN / 0). */
void ob_specimen_new_init(ob_specimen_new *s);

/* Creates a specimen. Checks the type, the barcode's check character and
 * uniqueness, the parent, the donor's consent, the parent's remaining
 * quantity (decremented; depleted at zero), the position. OB_EINVALID names
 * the field in the message ("type: ..."). barcode_out (may be NULL) receives
 * the barcode, at least OB_BARCODE_MAX bytes. */
int ob_specimen_create(const ob_ctx *cx, const ob_specimen_new *in, int64_t *id_out,
                       char *barcode_out);

/* 0 when the actor may do act (an ob_action of access.h) on specimen id's
 * site; OB_EPERM (or OB_ENOTFOUND) otherwise. */
int ob_specimen_check(const ob_ctx *cx, int act, int64_t id);

/* The specimen's id by barcode, within the caller's read scope (scope.h);
 * OB_ENOTFOUND when none, or when it lies outside the scope. */
int ob_specimen_id(const ob_ctx *cx, const char *barcode, int64_t *id);

/* The type of specimen barcode, which the actor is to take material from
 * (an aliquot has its parent's type): within their scope for changing
 * specimens, OB_ENOTFOUND otherwise (scope.h). type holds n bytes. */
int ob_specimen_parent_type(const ob_ctx *cx, const char *barcode, char *type, size_t n);

/* Changes status along an allowed transition; reason is recorded in the
 * audit event. Distribution (and reservation) of a withdrawn donor's
 * material is refused with OB_ECONFLICT. */
int ob_specimen_set_status(const ob_ctx *cx, const char *barcode, const char *status,
                           const char *reason);

/* Records one more freeze-thaw cycle. */
int ob_specimen_thaw(const ob_ctx *cx, const char *barcode);

/* The vocabularies, NULL-ended: the route table's query parameters and
 * the OpenAPI document list the same words. */
extern const char *const ob_specimen_types[];
extern const char *const ob_specimen_statuses[];
extern const char *const ob_specimen_pathologies[];
extern const char *const ob_specimen_lineages[];

/* The largest quantity of one specimen in unit ("ml": 10000), 0 for a
 * word that is not a unit. Quantities must be more than 0 and at most
 * this (0 only for a depleted, distributed or destroyed specimen). */
double ob_specimen_unit_max(const char *unit);

/* True for a known type / status word. */
bool ob_specimen_type_valid(const char *type);
bool ob_specimen_status_valid(const char *status);
/* "tissue", "blood", "fluid", "nucleic_acid" for a type; NULL if unknown. */
const char *ob_specimen_type_class(const char *type);
/* Comma-separated list of the types (for messages and --help). */
const char *ob_specimen_type_list(void);
/* True when from -> to is an allowed status transition. */
bool ob_specimen_transition_ok(const char *from, const char *to);

/* Search filters; NULL / 0 means no filter. */
typedef struct ob_specimen_filter {
	const char *site;         /* site code: that site and every site below it */
	const char *type;
	const char *status;
	const char *topography;   /* donor diagnosis ICD-O-3 topography prefix ("C50") */
	const char *morphology;   /* donor diagnosis morphology prefix ("8500") */
	int consent;              /* required consent scope mask (not withdrawn) */
	const char *container;    /* container barcode: it and everything inside it */
	const char *donor;        /* donor code */
	const char *pathology;
	const char *lineage;
	int64_t limit;            /* 0: no limit */
	int64_t offset;
} ob_specimen_filter;

/* One row of a search or export, borrowed for the callback's duration. */
typedef struct ob_specimen_row {
	int64_t id;
	const char *barcode, *label, *site, *donor, *donor_site, *type, *parent, *lineage;
	const char *anatomic_site, *pathology;
	double tumour_pct, quantity, initial_quantity;
	const char *unit, *collected_at, *sprec, *status;
	int freeze_thaw;
	const char *container, *position;
	double concentration, a260_280, rin, din;
	/* the pre-analytical record (primary specimens), as stored */
	const char *collection, *vessel;
	double warm_ischaemia_min, cold_ischaemia_min;
	const char *fixation;
	double fixation_min, precentrifugation_min;
	const char *precentrifugation_temp, *centrifugation, *second_centrifugation;
	double postcentrifugation_min;
	const char *postcentrifugation_temp;
} ob_specimen_row;

typedef int (*ob_specimen_cb)(const ob_specimen_row *row, void *arg);

/* Calls cb for each matching specimen, ordered by id; a non-zero return
 * from cb stops the walk and is returned. */
int ob_specimen_find(const ob_ctx *cx, const ob_specimen_filter *f, ob_specimen_cb cb, void *arg);
/* Counts matching specimens. */
int ob_specimen_count(const ob_ctx *cx, const ob_specimen_filter *f, int64_t *n);

/* Text forms of the pre-analytical measurements, as stored and exported:
 * temperature bands "RT", "2-10", "35-38"; centrifugation
 * "TEMP_C/MINUTES/G/brake" or ".../nobrake", or "none". */
int ob_temp_band_parse(const char *s, ob_temp_band *out);
const char *ob_temp_band_text(ob_temp_band b);
int ob_centrifugation_parse(const char *s, ob_centrifugation *out);
void ob_centrifugation_text(const ob_centrifugation *c, char *out, size_t n);

/* Appends a row as a JSON object (keys as in ob_specimen_row). */
int ob_specimen_row_json(const ob_specimen_row *r, ob_buf *out);

/* The full record as JSON: the row's fields plus "sprec_explained",
 * "preanalytics", "lineage" (the whole tree from the root, each node with
 * barcode, parent, type, lineage, status, quantity, unit, depth),
 * "location" (container path and position) and "audit" (the history). */
int ob_specimen_show_json(const ob_ctx *cx, const char *barcode, ob_buf *out);

extern const ob_audit_entity ob_specimen_audit;

#endif
