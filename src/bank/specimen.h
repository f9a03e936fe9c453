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
#include "bank/container.h"
#include "bank/ctx.h"
#include "bank/record.h"
#include "bank/sprec.h"
#include "base/arena.h"
#include "base/buf.h"

#include <stdbool.h>
#include <stdint.h>

/* The specimen's fields, once (record.h): name, kind, select expression
 * (specimen s, its sites st and ds, donor d, parent p, container c,
 * pre-analytical record pa), flags. Table order is the order of the JSON
 * row, the canonical audit row and the CSV columns. parent_used is not
 * stored: it is the amount taken from the parent, an input of creation and
 * a column of the CSV (0 for an exported child, whose quantity is already
 * out of its parent). The pre-analytical record is kept as text forms:
 * temperature bands "RT", "2-10", "35-38"; centrifugation
 * "TEMP_C/MINUTES/G/brake" or ".../nobrake", or "none"; durations in
 * minutes. study, event and requirement (codes) say in which study, at
 * which of its events and for which requirement a specimen was collected
 * (study.h); an aliquot or derivative has its parent's study and event;
 * they are left out of JSON while unknown, and read by subqueries so that
 * the audit rows of specimens collected before studies existed (which
 * have none) still verify. */
#define OB_SP_R (OB_F_ROW | OB_F_CSV | OB_F_AUDIT)
#define OB_SP_RF (OB_SP_R | OB_F_FIX)
#define OB_SP_PF (OB_F_PRE | OB_F_CSV | OB_F_AUDIT | OB_F_FIX)
#define OB_SPECIMEN_FIELDS(X) \
	X(barcode, TEXT, "s.barcode", OB_SP_R) \
	X(label, TEXT, "s.label", OB_SP_RF) \
	X(site, TEXT, "st.code", OB_SP_R) \
	X(donor, TEXT, "d.code", OB_SP_R) \
	X(donor_site, TEXT, "ds.code", OB_SP_R) \
	X(type, TEXT, "s.type", OB_SP_RF) \
	X(parent, TEXT, "p.barcode", OB_SP_R) \
	X(lineage, TEXT, "s.lineage", OB_SP_R) \
	X(anatomic_site, TEXT, "s.anatomic_site", OB_SP_RF) \
	X(pathology, TEXT, "s.pathology", OB_SP_RF) \
	X(tumour_pct, REAL, "s.tumour_pct", OB_SP_RF) \
	X(quantity, REAL, "s.quantity", OB_SP_RF) \
	X(initial_quantity, REAL, "s.initial_quantity", OB_SP_RF) \
	X(unit, TEXT, "s.unit", OB_SP_RF) \
	X(parent_used, REAL, "NULL", OB_F_CSV) \
	X(collected_at, TEXT, "s.collected_at", OB_SP_RF) \
	X(sprec, TEXT, "s.sprec", OB_SP_RF) \
	X(status, TEXT, "s.status", OB_SP_R) \
	X(freeze_thaw, INT, "s.freeze_thaw", OB_SP_R) \
	X(container, TEXT, "c.barcode", OB_SP_R) \
	X(position, TEXT, "s.position", OB_SP_R) \
	X(concentration, REAL, "s.concentration", OB_SP_RF) \
	X(a260_280, REAL, "s.a260_280", OB_SP_RF) \
	X(rin, REAL, "s.rin", OB_SP_RF) \
	X(din, REAL, "s.din", OB_SP_RF) \
	X(consent_disposition, TEXT, "s.consent_disposition", OB_SP_R) \
	X(collection, TEXT, "pa.collection", OB_SP_PF) \
	X(vessel, TEXT, "pa.vessel", OB_SP_PF) \
	X(warm_ischaemia_min, REAL, "pa.warm_ischaemia_min", OB_SP_PF) \
	X(cold_ischaemia_min, REAL, "pa.cold_ischaemia_min", OB_SP_PF) \
	X(fixation, TEXT, "pa.fixation", OB_SP_PF) \
	X(fixation_min, REAL, "pa.fixation_min", OB_SP_PF) \
	X(precentrifugation_min, REAL, "pa.precentrifugation_min", OB_SP_PF) \
	X(precentrifugation_temp, TEXT, "pa.precentrifugation_temp", OB_SP_PF) \
	X(centrifugation, TEXT, "pa.centrifugation", OB_SP_PF) \
	X(second_centrifugation, TEXT, "pa.second_centrifugation", OB_SP_PF) \
	X(postcentrifugation_min, REAL, "pa.postcentrifugation_min", OB_SP_PF) \
	X(postcentrifugation_temp, TEXT, "pa.postcentrifugation_temp", OB_SP_PF) \
	X(study, TEXT, "(SELECT y.code FROM study y WHERE y.id = s.study_id)", OB_SP_R | OB_F_OPT) \
	X(event, TEXT, "(SELECT e.code FROM study_event e WHERE e.id = s.event_id)", \
	  OB_SP_R | OB_F_OPT) \
	X(requirement, TEXT, \
	  "(SELECT q.code FROM study_requirement q WHERE q.id = s.requirement_id)", \
	  OB_SP_R | OB_F_OPT)

/* The record: one specimen as stored (texts borrowed or owned, see
 * record.h). */
typedef struct ob_specimen {
	int64_t id;
	OB_SPECIMEN_FIELDS(OB_RECORD_MEMBER)
} ob_specimen;

/* Its field table, ended by a NULL name, and the number of fields. */
extern const ob_field ob_specimen_fields[];
enum { OB_SPECIMEN_NFIELDS = 0 OB_SPECIMEN_FIELDS(OB_RECORD_COUNT) };

/* The joins the select expressions above read from, specimen s given. */
#define OB_SPECIMEN_JOINS \
	" JOIN site st ON st.id = s.site_id JOIN donor d ON d.id = s.donor_id" \
	" JOIN site ds ON ds.id = d.site_id LEFT JOIN specimen p ON p.id = s.parent_id" \
	" LEFT JOIN container c ON c.id = s.container_id" \
	" LEFT JOIN preanalytics pa ON pa.specimen_id = s.id"

/* A specimen to create: the record's fields as given (NULL / NaN unknown;
 * r.barcode NULL: generated; r.site default the parent's; r.donor_site
 * default r.site; r.lineage NULL: aliquot when the parent has the same
 * type, derivative otherwise; r.parent_used NaN: the quantity itself for
 * an aliquot, 0 for a derivative; r.initial_quantity NaN: the quantity;
 * r.collected_at of an aliquot or derivative: creation time; r.sprec
 * checked, computed from the pre-analytical record when it has
 * measurements; storage temperature comes from the container), and what
 * creation alone needs. The record's members are reachable directly
 * (s.type) and as one record (s.r) for the field table. */
typedef struct ob_specimen_new {
	union {
		ob_specimen r;
		struct {
			int64_t id_unused;
			OB_SPECIMEN_FIELDS(OB_RECORD_MEMBER)
		};
	};
	bool parent_thawed;       /* taking it thawed the parent: +1 cycle */
	const char *final_status; /* the import's status set after its last row
	                             (NULL: status); depleted, distributed or
	                             destroyed allow a quantity of 0 */
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

/* Corrects fields a person entered (OB_F_FIX) of specimen barcode, with a
 * reason (required): every change is checked by the rules of creation and
 * against what depends on it (the lineage's types, what aliquots already
 * took, the donor's dates); SPREC is recomputed when its inputs change.
 * One audit event "correct" keeps the row before and after, and the
 * reason. A refusal names the field ("tumour_pct: ...") and changes
 * nothing; a correction that changes nothing is refused too. */
int ob_specimen_correct(const ob_ctx *cx, const char *barcode, const ob_change *ch, size_t n,
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

/* The amount rule of creation for a planned specimen (a study's
 * requirement): quantity (NaN: unknown) more than 0 and within its unit's
 * maximum, a unit that measures type. OB_EINVALID "quantity: ..." or
 * "unit: ...". */
int ob_specimen_amount_rule(const char *type, double quantity, const char *unit);

/* True for a known type / status word. */
bool ob_specimen_type_valid(const char *type);
bool ob_specimen_status_valid(const char *status);
/* "tissue", "blood", "fluid", "nucleic_acid" for a type; NULL if unknown. */
const char *ob_specimen_type_class(const char *type);
/* Comma-separated list of the types (for messages and --help). */
const char *ob_specimen_type_list(void);
/* True when from -> to is an allowed status transition. */
bool ob_specimen_transition_ok(const char *from, const char *to);

/* Which specimens of donors who fully withdrew consent a search keeps. */
enum { OB_WITHDRAWN_INCLUDE = 0, OB_WITHDRAWN_EXCLUDE, OB_WITHDRAWN_ONLY };
/* "include", "exclude", "only"; OB_EINVALID "withdrawn: ..." otherwise. */
int ob_specimen_withdrawn_parse(const char *word, int *out);

/* Search filters; NULL / 0 means no filter. */
typedef struct ob_specimen_filter {
	const char *site;         /* site code: that site and every site below it */
	const char *type;
	const char *status;
	const char *topography;   /* donor diagnosis ICD-O-3 topography prefix ("C50") */
	const char *morphology;   /* donor diagnosis morphology prefix ("8500") */
	int consent;              /* uses the donor's current consent must permit
	                             (consent.h: OB_USE_*; not withdrawn) */
	const char *container;    /* container barcode: it and everything inside it */
	const char *donor;        /* donor code */
	const char *pathology;
	const char *lineage;
	const char *study;        /* study code */
	const char *event;        /* event code (of the study, when one is named) */
	int withdrawn;            /* OB_WITHDRAWN_*: the donors who withdrew */
	int64_t limit;            /* 0: no limit */
	int64_t offset;
} ob_specimen_filter;

/* A row of a search or export is the record, borrowed for the callback's
 * duration. */
typedef int (*ob_specimen_cb)(const ob_specimen *row, void *arg);

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

/* A node of the lineage tree of a full record: a relative from the root
 * down, with its depth below the root (0: the root). Texts owned by the
 * full record. */
typedef struct ob_lineage_node {
	const char *barcode, *parent, *type, *lineage, *status;
	double quantity;
	const char *unit;
	int64_t depth;
	double concentration, rin, din;
} ob_lineage_node;

/* Its fields (record.h), in the order of the JSON node. */
extern const ob_field ob_lineage_node_fields[];

/* Where a specimen is stored. */
typedef enum ob_location_kind {
	OB_LOC_NONE,       /* not in storage */
	OB_LOC_HERE,       /* path, position and temperature below */
	OB_LOC_ELSEWHERE,  /* in a box of a site the reader does not see */
} ob_location_kind;

/* The full record of one specimen, read in one snapshot: the record (its
 * texts owned), its SPREC code element by element, its location, the
 * lineage tree from the root (relatives the reader may not see left out,
 * and not named as parents) and the audit history, oldest first.
 * ob_specimen_full_free() releases it. */
typedef struct ob_specimen_full {
	ob_specimen r;
	bool sprec_ok;               /* sprec parsed (a valid code) */
	ob_sprec_parsed sprec;
	ob_location_kind location;
	char *path;                  /* OB_LOC_HERE: the container path */
	char position[OB_POSITION_MAX];
	double temperature;          /* NaN: unknown */
	ob_lineage_node *lineage;
	size_t nlineage;
	ob_audit_event *audit;
	size_t naudit;
	ob_arena texts;              /* every text above lives here */
} ob_specimen_full;

/* Reads the full record of barcode, within the reader's scope (OB_ENOTFOUND
 * outside it). f is released on failure and must be freed after success. */
int ob_specimen_full_read(const ob_ctx *cx, const char *barcode, ob_specimen_full *f);
void ob_specimen_full_free(ob_specimen_full *f);

/* Aliquots or derivatives of one parent, all or none: count specimens
 * like s (s.parent required; s.type NULL: the parent's, which the actor
 * must be able to change; s.lineage as ob_specimen_create reads it), the
 * ith at positions[i] when positions is given (npositions must be count).
 * One thaw of the parent for the whole run (s.parent_thawed). cb (may be
 * NULL) is called with each barcode as it is created, inside the
 * transaction; a non-zero return stops the run, which is then rolled back,
 * and is returned. OB_EINVALID "count: ..." (1 to 1000), "positions: ...",
 * or ob_specimen_create's refusal. */
typedef struct ob_aliquot_req {
	ob_specimen_new s;
	long long count;
	const char *const *positions;
	size_t npositions;
} ob_aliquot_req;

int ob_specimen_aliquot(const ob_ctx *cx, const ob_aliquot_req *req,
                        int (*cb)(const char *barcode, void *arg), void *arg);

/* A field's CSV column name (export and import): its name, but
 * "parent_barcode" for parent. */
const char *ob_specimen_csv_column(const ob_field *f);

extern const ob_audit_entity ob_specimen_audit;

#endif
