/*
 * shipment.h - material sent from one site of the network to another: the
 * manifest (specimens, and whole boxes that travel with their contents and
 * layout), custody in transit, and the receipt at the destination by
 * scanning, with the discrepancies found (docs/shipments.md).
 *
 * States: draft -> packed -> shipped -> received, or cancelled (from draft
 * or packed only: a shipped shipment is on its way and is received, what
 * did not arrive recorded as missing).
 *
 * Who (access.h, OB_ACT_SHIPMENT: administrators, biobank managers,
 * technicians): creating, editing, adding and removing items, packing,
 * shipping and cancelling need the from-site in the actor's scope;
 * receiving, recording discrepancies and finishing need the to-site in the
 * actor's scope. Every reader whose scope holds either site reads the
 * shipment; anyone else is answered as for a shipment that does not exist
 * (OB_ENOTFOUND "shipment: no shipment 'X'"). A specimen in transit (and a
 * box in transit) is read by the destination's users as well (scope.c).
 *
 * What can go (checked on adding and again on packing and shipping; each
 * refusal names the barcode and the reason): a specimen of the from-site,
 * available (not reserved, in transit, distributed, depleted, destroyed or
 * missing), not in another open (draft, packed, shipped) shipment, whose
 * donor has not withdrawn, and whose donor's consent permits transfer
 * (OB_USE_TRANSFER) when the to-site lies outside the collecting site's
 * scope (the donor's site and the sites below it). A box goes with every
 * specimen it holds, each checked the same way; a box with nothing in it
 * is refused.
 *
 * Shipping (packed -> shipped), in one transaction: every specimen becomes
 * in_transit; a specimen shipped alone leaves its box position (which
 * becomes free); a whole box leaves its rack (parent none) and keeps its
 * contents in their positions. Nothing changes site until received. Each
 * specimen is audited ("ship").
 *
 * Receiving (shipped), one scan at a time, in as many sessions as needed:
 * a specimen of the manifest becomes available at the to-site, placed in
 * the box and position given (position NULL: the box's first free one;
 * container NULL: unplaced); a box of the manifest is received with all it
 * holds, keeping its layout, and is put in the container given (a freezer,
 * tank, refrigerator, shelf or rack of the to-site; required). A barcode
 * not on the manifest is recorded as an "extra" discrepancy. An item
 * declared missing becomes missing (its status, site unchanged, the
 * shipment named in the audit reason). The shipment is received when every
 * item is received or missing. Each change audited ("receive", "missing").
 *
 * Every refusal changes nothing; messages start with the field
 * ("to_site: ...", "barcode: ...").
 */
#ifndef OB_SHIPMENT_H
#define OB_SHIPMENT_H

#include "bank/audit.h"
#include "bank/ctx.h"
#include "bank/record.h"
#include "base/buf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OB_SHIPMENT_CODE_MAX 33   /* 1-32 characters of A-Z a-z 0-9 . _ - */

/* The words, NULL-ended. States: draft, packed, shipped, received,
 * cancelled. Conditions in transit: ambient, refrigerated (2-8 °C),
 * dry_ice, ln2_dry_shipper (aliases accepted by ob_shipment_condition:
 * "2-8C", "2-8", "ln2", "dry ice", ...). Discrepancy kinds: missing,
 * extra, damaged, thawed (a temperature excursion), wrong_label. */
extern const char *const ob_shipment_states[];
extern const char *const ob_shipment_conditions[];
extern const char *const ob_shipment_discrepancy_kinds[];

/* A condition word or alias to its word; NULL when unknown. */
const char *ob_shipment_condition(const char *word);

/* A shipment's fields (record.h), in the order of its canonical audit row;
 * shipment h, its sites fs (from) and ts (to). Times are ISO 8601 UTC;
 * *_by are usernames. */
#define OB_SHIPMENT_FIELDS(X) \
	X(code, TEXT, "h.code", OB_F_ROW | OB_F_AUDIT) \
	X(from_site, TEXT, "fs.code", OB_F_ROW | OB_F_AUDIT) \
	X(to_site, TEXT, "ts.code", OB_F_ROW | OB_F_AUDIT | OB_F_FIX) \
	X(state, TEXT, "h.state", OB_F_ROW | OB_F_AUDIT) \
	X(courier, TEXT, "h.courier", OB_F_ROW | OB_F_AUDIT | OB_F_FIX) \
	X(tracking, TEXT, "h.tracking", OB_F_ROW | OB_F_AUDIT | OB_F_FIX) \
	X(condition, TEXT, "h.condition", OB_F_ROW | OB_F_AUDIT | OB_F_FIX) \
	X(logger, TEXT, "h.logger", OB_F_ROW | OB_F_AUDIT | OB_F_FIX) \
	X(notes, TEXT, "h.notes", OB_F_ROW | OB_F_AUDIT | OB_F_FIX) \
	X(created_by, TEXT, "h.created_by", OB_F_ROW | OB_F_AUDIT) \
	X(created_at, TEXT, "h.created_at", OB_F_ROW | OB_F_AUDIT) \
	X(packed_by, TEXT, "h.packed_by", OB_F_ROW | OB_F_AUDIT) \
	X(packed_at, TEXT, "h.packed_at", OB_F_ROW | OB_F_AUDIT) \
	X(shipped_by, TEXT, "h.shipped_by", OB_F_ROW | OB_F_AUDIT) \
	X(shipped_at, TEXT, "h.shipped_at", OB_F_ROW | OB_F_AUDIT) \
	X(received_by, TEXT, "h.received_by", OB_F_ROW | OB_F_AUDIT) \
	X(received_at, TEXT, "h.received_at", OB_F_ROW | OB_F_AUDIT) \
	X(cancelled_by, TEXT, "h.cancelled_by", OB_F_ROW | OB_F_AUDIT) \
	X(cancelled_at, TEXT, "h.cancelled_at", OB_F_ROW | OB_F_AUDIT) \
	X(cancel_reason, TEXT, "h.cancel_reason", OB_F_ROW | OB_F_AUDIT)

typedef struct ob_shipment_record {
	OB_SHIPMENT_FIELDS(OB_RECORD_MEMBER)
} ob_shipment_record;

extern const ob_field ob_shipment_fields[];
extern const ob_audit_entity ob_shipment_audit;

/* How far a shipment got: items (specimens on the manifest, those in its
 * boxes included), boxes, and of the items: received, missing, pending
 * (neither yet); extra (barcodes scanned that are not on the manifest)
 * and discrepancies (every one recorded, extras and missing included). */
typedef struct ob_shipment_counts {
	int64_t items, boxes, received, missing, pending, extra, discrepancies;
} ob_shipment_counts;

/* ---- creating and packing ---- */

/* A new shipment, or the changes to one (ob_shipment_edit: NULL leaves a
 * field as it is, "" clears it). code NULL: generated ("SH" + the day +
 * "-" + a number: SH20261208-0003); from_site NULL: the actor's site. */
typedef struct ob_shipment_new {
	const char *code, *from_site, *to_site;
	const char *courier, *tracking, *condition, *logger, *notes;
} ob_shipment_new;

/* One refusal of an item: the barcode as given and why ("status is
 * reserved", "in shipment SH20261208-0002", "the donor's consent does not
 * permit transfer outside REG01", "another site's specimen"). */
typedef struct ob_shipment_refusal {
	char *barcode, *reason;
} ob_shipment_refusal;

/* The refusals of one call; ob_shipment_refusals_free() releases them. */
typedef struct ob_shipment_refusals {
	ob_shipment_refusal *v;
	size_t n;
} ob_shipment_refusals;
void ob_shipment_refusals_free(ob_shipment_refusals *r);

/* Creates a draft shipment: to_site required, not from_site, known and not
 * retired; courier, tracking, logger up to 100 characters, notes 2000;
 * condition a word of ob_shipment_conditions. Audited ("create"). code_out
 * (OB_SHIPMENT_CODE_MAX bytes, may be NULL) receives the code. OB_EINVALID
 * "to_site: a shipment goes to another site"; OB_ENOTFOUND "to_site: no
 * site has code 'X'" (the to-site need not be in the actor's scope: site
 * codes are public; a retired one is refused); OB_EEXISTS "code: ...";
 * OB_EPERM "from_site: ..." outside the actor's scope. */
int ob_shipment_create(const ob_ctx *cx, const ob_shipment_new *in, char *code_out);

/* Changes courier, tracking, condition, logger, notes (draft, packed or
 * shipped: a tracking number is often known only at the courier's desk)
 * and to_site (draft only). Audited ("edit"). OB_ECONFLICT in another
 * state. */
int ob_shipment_edit(const ob_ctx *cx, const char *code, const ob_shipment_new *in);

/* Adds n barcodes (specimens or boxes) to a draft or packed shipment (a
 * packed one goes back to draft). All or nothing: when any is refused,
 * nothing is added, every refusal is put in *ref and OB_ECONFLICT returned
 * ("3 of 10 items cannot go: OB1234X: status is reserved; ..."). A
 * barcode already on the manifest is refused ("already on this
 * shipment"); so is a specimen inside a box on it. ref may be NULL. */
int ob_shipment_add(const ob_ctx *cx, const char *code, const char *const *barcodes, size_t n,
                    ob_shipment_refusals *ref);

/* Removes a specimen or box from a draft or packed shipment (back to
 * draft). OB_ENOTFOUND "barcode: 'X' is not on shipment Y". */
int ob_shipment_remove(const ob_ctx *cx, const char *code, const char *barcode);

/* draft -> packed (the actor is the packer): every item checked again
 * (refusals as ob_shipment_add); an empty shipment is refused. */
int ob_shipment_pack(const ob_ctx *cx, const char *code, ob_shipment_refusals *ref);

/* packed -> shipped, as described above; courier and tracking (NULL: as
 * they are) may be given now. Every item checked again. */
int ob_shipment_ship(const ob_ctx *cx, const char *code, const char *courier,
                     const char *tracking, ob_shipment_refusals *ref);

/* draft or packed -> cancelled, with a reason (required). OB_ECONFLICT
 * "state: shipment X is shipped: ..." for a shipped one. */
int ob_shipment_cancel(const ob_ctx *cx, const char *code, const char *reason);

/* ---- receiving ---- */

/* Discrepancy bits of a scan (besides missing and extra). */
enum {
	OB_DISC_DAMAGED = 1,
	OB_DISC_THAWED = 2,
	OB_DISC_WRONG_LABEL = 4
};

/* One scan at the destination: the barcode read; where to put it
 * (container: a box for a specimen, with position NULL for its first free
 * one; for a box, the freezer, tank, refrigerator, shelf or rack it goes
 * into; NULL: a specimen stays unplaced); what was wrong with it
 * (OB_DISC_* bits) and a note (up to 2000 characters). */
typedef struct ob_shipment_scan {
	const char *barcode, *container, *position;
	int discrepancies;
	const char *note;
} ob_shipment_scan;

/* What a scan did: result "received" (a specimen), "box" (a box and its n
 * specimens) or "extra" (not on the manifest: recorded); barcode as
 * scanned; for a specimen its type and where it was put (container and
 * position, "" when unplaced); the shipment's counts after the scan and
 * whether the receipt is now complete. */
typedef struct ob_shipment_scan_result {
	char result[16];
	char barcode[64];
	char type[32];
	char container[OB_SHIPMENT_CODE_MAX];
	char position[16];
	int64_t n;
	ob_shipment_counts counts;
	bool complete;
} ob_shipment_scan_result;

/* Receives one scan into a shipped shipment, one transaction. Refused,
 * changing nothing: a shipment not shipped (OB_ECONFLICT "state: ..."), a
 * to-site outside the actor's scope (as not found), an item already
 * received or declared missing (OB_ECONFLICT "barcode: OB... was received
 * at 10:02 by tech-ncc"), a specimen of a box on the manifest scanned
 * alone before its box (OB_ECONFLICT: scan the box), a container not of the
 * to-site or of the wrong kind, a position taken. An extra barcode scanned
 * twice is recorded once. */
int ob_shipment_receive(const ob_ctx *cx, const char *code, const ob_shipment_scan *scan,
                        ob_shipment_scan_result *out);

/* Records a discrepancy about barcode on a shipped or received shipment:
 * kind missing (a pending item, or one received in its box but not found
 * in it: it becomes missing and leaves its position), damaged, thawed or
 * wrong_label (an item of the manifest), extra (a barcode not on it); with
 * a note. Audited. */
int ob_shipment_discrepancy(const ob_ctx *cx, const char *code, const char *barcode,
                            const char *kind, const char *note);

/* Completes the receipt of a shipped shipment: every pending item is
 * declared missing (note recorded), the shipment becomes received. */
int ob_shipment_finish(const ob_ctx *cx, const char *code, const char *note);

/* ---- reading ---- */

/* A discrepancy as recorded. */
typedef struct ob_shipment_disc {
	char *barcode, *kind, *note, *by, *at;
} ob_shipment_disc;

/* An item of the manifest: the specimen's barcode, type, donor and donor
 * site, quantity and unit (NaN / "" unknown); the box it travels in ("":
 * alone); where it was (container, position) when added; its state
 * (listed, received, missing); where it was put on receipt ("" unplaced);
 * who received it and when; its discrepancies (kinds joined by ","). */
typedef struct ob_shipment_item {
	char *barcode, *type, *donor, *donor_site, *unit, *box;
	double quantity;
	char *from_container, *from_position;
	char *state, *container, *position, *received_by, *received_at;
	char *discrepancies;
} ob_shipment_item;

/* A box of the manifest: barcode, name, rows x cols, how many specimens,
 * where it was (its rack) and where it went (the receiving container). */
typedef struct ob_shipment_box {
	char *barcode, *name, *from_parent, *state, *parent;
	int rows, cols;
	int64_t items;
} ob_shipment_box;

/* A step of the chain of custody: action (create, edit, add, remove, pack,
 * ship, receive, missing, discrepancy, finish, cancel), by, the actor's
 * site, at, and a note (the items scanned, the reason). Read from the
 * audit trail. */
typedef struct ob_shipment_step {
	char *action, *by, *site, *at, *note;
} ob_shipment_step;

/* A shipment as read: the record, its counts, items (manifest order:
 * boxes' specimens by box and position, then the others as added), boxes,
 * discrepancies (in the order recorded) and custody steps.
 * ob_shipment_full_free() releases it. */
typedef struct ob_shipment_full {
	int64_t id;
	ob_shipment_record r;
	ob_shipment_counts counts;
	ob_shipment_item *items;
	size_t nitems;
	ob_shipment_box *boxes;
	size_t nboxes;
	ob_shipment_disc *discs;
	size_t ndiscs;
	ob_shipment_step *custody;
	size_t ncustody;
} ob_shipment_full;

/* Reads shipment code within the reader's scope (either site). */
int ob_shipment_read(const ob_ctx *cx, const char *code, ob_shipment_full *out);
void ob_shipment_full_free(ob_shipment_full *f);

/* Which shipments a list shows: direction "outgoing" (from a site in the
 * reader's scope, or from site when given), "incoming" (to it), NULL/"all"
 * both; state NULL: any; site a code (NULL: the reader's whole scope); q a
 * substring of the code, tracking number or courier; limit (0: 50, at most
 * 1000) and offset. */
typedef struct ob_shipment_filter {
	const char *direction, *state, *site, *q;
	int64_t limit, offset;
} ob_shipment_filter;

/* A shipment of a list: the record and its counts. */
typedef int (*ob_shipment_cb)(const ob_shipment_record *r, const ob_shipment_counts *c,
                              void *arg);
/* Calls cb for each shipment of the filter, newest first; *total (may be
 * NULL) receives how many match without limit and offset. */
int ob_shipment_list(const ob_ctx *cx, const ob_shipment_filter *f, ob_shipment_cb cb, void *arg,
                     int64_t *total);

/* The shipments a specimen travelled in (as an item or in a box), oldest
 * first, within the reader's scope: the record, the item's state on it,
 * and its discrepancies (kinds joined by ","; "" none). */
typedef int (*ob_shipment_history_cb)(const ob_shipment_record *r, const char *item_state,
                                      const char *discrepancies, void *arg);
int ob_shipment_history(const ob_ctx *cx, const char *barcode, ob_shipment_history_cb cb,
                        void *arg);

/* ---- documents (shipment_doc.c) ---- */

/* The manifest as CSV (header: shipment,from_site,to_site,box,position,
 * barcode,type,donor,donor_site,quantity,unit,state,discrepancies), one row
 * per item, appended to out. */
int ob_shipment_manifest_csv(const ob_shipment_full *f, ob_buf *out);
/* The manifest as PDF (A4; cairo): the shipment's barcode (Code 128, zint)
 * and facts, then a table of items with a barcode each, boxes grouped; the
 * packer's and receiver's signature lines. Appended to out. */
int ob_shipment_manifest_pdf(const ob_shipment_full *f, ob_buf *out);
/* The receipt report as PDF: the shipment's facts, counts, custody steps
 * and every discrepancy; and as CSV (header: shipment,barcode,kind,note,by,
 * at). */
int ob_shipment_receipt_pdf(const ob_shipment_full *f, ob_buf *out);
int ob_shipment_receipt_csv(const ob_shipment_full *f, ob_buf *out);

#endif
