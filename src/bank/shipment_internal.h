/*
 * shipment_internal.h - what shipment.c (the manifest: create, add, pack,
 * ship, cancel), shipment_receive.c (the receipt) and shipment_read.c
 * (reading, lists) share. Not part of the domain's API.
 */
#ifndef OB_SHIPMENT_INTERNAL_H
#define OB_SHIPMENT_INTERNAL_H

#include "bank/access.h"
#include "bank/scope.h"
#include "bank/shipment.h"
#include "bank/site.h"
#include "base/util.h"


/* A shipment's head as the functions need it. */
typedef struct ship_head {
	int64_t id, from_id, to_id;
	char code[OB_SHIPMENT_CODE_MAX];
	char state[16];
	char from[OB_SITE_CODE_MAX], to[OB_SITE_CODE_MAX];
	char from_path[OB_SCOPE_PATH_MAX], to_path[OB_SCOPE_PATH_MAX];
	char received_by[128], received_at[OB_TIME_LEN];
	ob_shipment_counts counts;  /* the maintained counters */
} ship_head;

/* Which site of the shipment the actor's scope must hold for act. */
enum ship_side { SHIP_FROM, SHIP_TO, SHIP_EITHER };

/* Shipment code, with act allowed at side: the role is refused first
 * (OB_EPERM), then a shipment absent or outside the scope is answered
 * OB_ENOTFOUND "shipment: no shipment 'X'". */
int ship_load(const ob_ctx *cx, ob_action act, enum ship_side side, const char *code,
              ship_head *h);

/* Appends the shipment's audit event (its canonical row as after; before
 * as given, or the same row when NULL: a step that changed no field of
 * the row), with note as the event's reason: a custody step. */
int ship_event(const ob_ctx *cx, const ship_head *h, const char *action, const char *note,
               const char *before);

/* Adds to the maintained counters of shipment h, and to h->counts. */
int ship_count_add(const ob_ctx *cx, ship_head *h, int64_t received, int64_t missing,
                   int64_t extra, int64_t discrepancies);

/* Recounts every counter of shipment id from its rows. */
int ship_recount(const ob_ctx *cx, int64_t id);

/* Reads the counters of shipment id into c (pending computed). */
int ship_counts(const ob_ctx *cx, int64_t id, ob_shipment_counts *c);

/* When no item is pending any longer (h->counts, kept by ship_count_add):
 * the shipment becomes received (by the actor, now), its row before that
 * encoded into before (left empty otherwise); *complete tells whether it
 * is received. */
int ship_complete(const ob_ctx *cx, ship_head *h, bool *complete, ob_buf *before);

/* The row in b, or NULL when b is empty (for ship_event). */
const char *ship_before(const ob_buf *b);

/* A text a caller gave (NULL passes): within its field's length, UTF-8. */
int ship_text_ok(const char *field, const char *v);

/* Makes room for element n of the array *v of *cap elements of size
 * bytes (doubling, at least 16); 0, or OB_ERROR "out of memory" with *v
 * left as it was. */
int ship_grow(void *v, size_t *cap, size_t n, size_t size);

/* What a shipment step changes of a specimen: its status, its site (code;
 * NULL: kept) and, with place, its container (barcode) and position. */
typedef struct ship_change {
	const char *status, *site;
	bool place;
	const char *container, *position;
} ship_change;

/* The canonical audit rows of specimen id before and after ch, built from
 * one read of the row (the change itself is the caller's UPDATE). */
int ship_specimen_rows(const ob_ctx *cx, int64_t id, const ship_change *ch, ob_buf *before,
                       ob_buf *after);

/* Sets specimen id missing (status missing, out of storage; site kept),
 * audited "missing" with a reason naming the shipment. */
int ship_specimen_missing(const ob_ctx *cx, const ship_head *h, int64_t specimen_id,
                          const char *barcode);

/* Records a discrepancy row. item_id 0: none. */
int ship_disc_insert(const ob_ctx *cx, int64_t shipment_id, int64_t item_id, const char *barcode,
                     const char *kind, const char *note);

/* The refusals of one call, collected whether or not the caller keeps
 * them: the error message lists the first ones. */
typedef struct ship_refusals {
	ob_shipment_refusals r;
	size_t cap;
	size_t barcodes;       /* distinct barcodes refused (consecutive) */
	bool oom;
} ship_refusals;

void ship_refuse(ship_refusals *rf, const char *barcode, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* OB_ECONFLICT "3 of 10 items cannot go: A: why; B: why; ..." (the first
 * ten), handing the refusals to out (or freeing them). 0 when none. */
int ship_refusals_end(ship_refusals *rf, size_t total, ob_shipment_refusals *out);

/* The columns every check reads, of specimen s ($1: this shipment's id):
 * 0 id, 1 barcode, 2 status, 3 site id, 4 donor withdrawn, 5 consent mask,
 * 6 donor's site path, 7 donor's site code, 8 consent disposition,
 * 9 container id, 10 position, 11 the other open shipment it is on. */
#define CHECK_COLS \
	"s.id, s.barcode, s.status, s.site_id, d.withdrawn, d.consent_mask, ds.path, ds.code," \
	" s.consent_disposition, s.container_id, s.position," \
	" (SELECT h2.code FROM shipment_item o JOIN shipment h2 ON h2.id = o.shipment_id" \
	" WHERE o.specimen_id = s.id AND o.shipment_id <> $1" \
	" AND h2.state IN ('draft', 'packed', 'shipped') LIMIT 1)"
#define CHECK_JOINS \
	" JOIN donor d ON d.id = s.donor_id JOIN site ds ON ds.id = d.site_id"

/* Why the specimen of the current row of s (CHECK_COLS) cannot go on h
 * (reason into why), or false when it can. */
bool ship_why_not(const ship_head *h, ob_stmt *s, char *why, size_t n);

#endif
