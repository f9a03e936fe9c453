/*
 * demo.h - a realistic demonstration biobank, built from a seed.
 *
 * ob_demo_build() fills an empty database with a cancer center network (one
 * center, two sub-centers, twenty regional centers, six hospitals), donors
 * with ICD-O-3 diagnoses and consents, freezers, LN2 tanks and an FFPE
 * archive with racks, shelves and boxes, and specimens - FFPE blocks,
 * fresh-frozen and OCT tissue, blood and body fluids with their
 * pre-analytical record (so each carries a computed SPREC code), plasma and
 * serum aliquots, DNA and RNA extracts - some reserved, distributed or
 * depleted, about 2% of the donors withdrawn after collection, and shipments
 * between hospitals, regional centers and the main center in every state
 * (demo_ship.c).
 *
 * Everything goes through the domain API (site.h, donor.h, container.h,
 * specimen.h, shipment.h), so every row is validated and audited exactly as if typed in
 * by hand, inside one transaction: all or nothing. The same seed and scale
 * give the same data (barcodes, codes, values); only the audit and creation
 * timestamps follow the clock (fix them with OB_NOW).
 */
#ifndef OB_DEMO_H
#define OB_DEMO_H

#include "bank/ctx.h"
#include "base/buf.h"

#include <stdint.h>

/* Scale 1.0 is about 55,000 tissue and 75,000 blood and fluid specimens
 * (plus aliquots and extracts) from about 22,000 donors; the site network
 * does not scale. */
#define OB_DEMO_SCALE_MIN 0.0001
#define OB_DEMO_SCALE_MAX 10.0
#define OB_DEMO_SEED_DEFAULT 20240917u

typedef struct ob_demo_opts {
	double scale;   /* OB_DEMO_SCALE_MIN .. OB_DEMO_SCALE_MAX; 0 means 1.0 */
	uint64_t seed;  /* 0 means OB_DEMO_SEED_DEFAULT */
} ob_demo_opts;

/* What was built, counted as it was built. */
typedef struct ob_demo_report {
	int64_t sites[4];          /* center, sub-center, regional, hospital */
	int64_t donors, diagnoses, consents, withdrawn;
	int64_t partial;           /* partial withdrawals (one statement) */
	int64_t transfer_declined; /* donors who answered no to v3.0's TRANSFER:
	                              their material stays at their site's scope */
	int64_t studies, enrolments;
	int64_t flagged;           /* donors with sequencing results who then
	                              withdrew genetic research */
	int64_t containers[4];     /* freezer, ln2_tank, refrigerator, rack/shelf */
	int64_t boxes;
	int64_t tissue, blood, fluid;  /* primary specimens by class of type */
	int64_t aliquots;              /* plasma and serum aliquots */
	int64_t derivatives;           /* DNA and RNA extracts */
	int64_t reserved, distributed, depleted;     /* status changes made */
	int64_t sequencing[2];     /* somatic and germline results (demo_seq.c) */
	int64_t shipments[5];      /* by state, as ob_shipment_states: draft,
	                              packed, shipped, received, cancelled
	                              (demo_ship.c) */
	int64_t shipment_items, shipment_boxes;  /* on them, boxes' contents
	                                            among the items */
	int64_t events;            /* audit events written */
} ob_demo_report;

/* Builds the demo network into the database of cx, in one transaction.
 * o may be NULL (scale 1.0, the default seed); rep may be NULL.
 * Returns 0; OB_ECONFLICT when the database has sites already (nothing is
 * written); OB_EINVALID for a scale out of range; or the first failing
 * domain call's code unchanged, with its message prefixed by the demo step
 * (nothing is written then either). */
int ob_demo_build(const ob_ctx *cx, const ob_demo_opts *o, ob_demo_report *rep);

/* Adds sequencing results to DNA extracts of consenting donors (tumour
 * panels on DNA from tumour tissue, hereditary panels on DNA from buffy
 * coat), their variants on the synthetic panel genome of data/demo-genome/;
 * counts[0] somatic, counts[1] germline. Called by ob_demo_build(). */
int ob_demo_sequencing(const ob_ctx *cx, uint64_t seed, int64_t counts[2]);

/* Sends the demo's shipments between hospitals, regional centers and the
 * main center through shipment.h, one left in each state (draft, packed,
 * shipped, received, cancelled), a receipt with a missing and a thawed
 * item, a whole box; counts them in rep. Called by ob_demo_build(), after
 * everything else (it ships what was built). */
int ob_demo_shipments(const ob_ctx *cx, ob_demo_report *rep);

/* Appends the report as aligned text lines ("sites: 1 center, ..."). */
int ob_demo_report_text(const ob_demo_report *rep, ob_buf *out);

#endif
