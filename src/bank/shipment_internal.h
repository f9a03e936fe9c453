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

/* Adds to the maintained counters of shipment id. */
int ship_count_add(const ob_ctx *cx, int64_t id, int64_t received, int64_t missing,
                   int64_t extra, int64_t discrepancies);

/* Recounts every counter of shipment id from its rows. */
int ship_recount(const ob_ctx *cx, int64_t id);

/* Reads the counters of shipment id into c (pending computed). */
int ship_counts(const ob_ctx *cx, int64_t id, ob_shipment_counts *c);

/* When no item is pending any longer: the shipment becomes received (by
 * the actor, now), its row before that encoded into before (left empty
 * otherwise); *complete tells whether it is received. */
int ship_complete(const ob_ctx *cx, ship_head *h, bool *complete, ob_buf *before);

/* The row in b, or NULL when b is empty (for ship_event). */
const char *ship_before(const ob_buf *b);

/* A text a caller gave (NULL passes): within its field's length, UTF-8. */
int ship_text_ok(const char *field, const char *v);

/* Sets specimen id missing (status missing, out of storage; site kept),
 * audited "missing" with a reason naming the shipment. */
int ship_specimen_missing(const ob_ctx *cx, const ship_head *h, int64_t specimen_id,
                          const char *barcode);

/* Records a discrepancy row. item_id 0: none. */
int ship_disc_insert(const ob_ctx *cx, int64_t shipment_id, int64_t item_id, const char *barcode,
                     const char *kind, const char *note);

#endif
