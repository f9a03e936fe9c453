/*
 * shipment_view.h - shipments as JSON (jansson): the documents of the
 * /api/shipments routes and of `oncobank shipment ... --json` (view.h's
 * conventions; docs/api.md, "Shipments"). A text unknown or empty is null.
 */
#ifndef OB_SHIPMENT_VIEW_H
#define OB_SHIPMENT_VIEW_H

#include "bank/shipment.h"

#include <jansson.h>

/* {items, boxes, received, missing, pending, extra, discrepancies}. */
json_t *ob_view_shipment_counts(const ob_shipment_counts *c);

/* A shipment of a list: the record's fields in table order (code,
 * from_site, to_site, state, courier, tracking, condition, logger, notes,
 * created_by, created_at, packed_by, ..., cancel_reason) and "counts". */
json_t *ob_view_shipment(const ob_shipment_record *r, const ob_shipment_counts *c);

/* An ob_shipment_cb appending ob_view_shipment() to the JSON array arr. */
int ob_view_shipment_append(const ob_shipment_record *r, const ob_shipment_counts *c, void *arr);

/* The full shipment: the summary, then "items" [{barcode, type, donor,
 * donor_site, quantity, unit, box, from_container, from_position, state,
 * container, position, received_by, received_at, discrepancies: [kinds]}],
 * "boxes" [{barcode, name, rows, cols, items, from_parent, state, parent}],
 * "discrepancies" [{barcode, kind, note, by, at}] and "custody" [{action,
 * by, site, at, note}]. */
json_t *ob_view_shipment_full(const ob_shipment_full *f);

/* What a scan did: {result, barcode, type, container, position, n, counts,
 * complete}. */
json_t *ob_view_shipment_scan(const ob_shipment_scan_result *s);

/* The refusals of a call: [{barcode, reason}]. */
json_t *ob_view_shipment_refusals(const ob_shipment_refusals *r);

/* An ob_shipment_history_cb appending to the JSON array arr the summary of
 * a shipment a specimen travelled in (no counts), with "item_state" and
 * "item_discrepancies": [kinds]. */
int ob_view_shipment_history_append(const ob_shipment_record *r, const char *item_state,
                                    const char *discrepancies, void *arr);

#endif
