/*
 * view.h - records as JSON (jansson): the one mapping from the domain's
 * typed records to the JSON documents the HTTP API answers and the CLI's
 * --json prints (docs/architecture.md, "Records and fields"). The domain
 * returns records, never JSON text; http and cli render them here and
 * serialise with ob_view_dump().
 *
 * Builders return a new reference, or NULL when out of memory (or when a
 * stored audit row is not JSON); ob_view_dump() takes either.
 */
#ifndef OB_VIEW_H
#define OB_VIEW_H

#include "bank/audit.h"
#include "bank/container.h"
#include "bank/donor.h"
#include "bank/record.h"
#include "bank/sequencing.h"
#include "bank/site.h"
#include "bank/specimen.h"
#include "bank/stats.h"
#include "bank/user.h"
#include "base/buf.h"

#include <jansson.h>

/* A text as a JSON string (NULL: null). A byte that starts no UTF-8
 * sequence (text stored before input was checked) becomes U+FFFD. */
json_t *ob_view_text(const char *s);

/* A number as the record's text showed it ("%.15g"): NaN is null, an
 * integral value below 1e15 a JSON integer, anything else a real (printed
 * to 15 significant digits by ob_view_dump). */
json_t *ob_view_real(double v);

/* The fields of rec flagged with any of flags, in table order, as one
 * object: TEXT a string or null, REAL as ob_view_real, INT an integer. */
json_t *ob_view_record(const ob_field *fields, const void *rec, unsigned flags);

/* A specimen's row (search results): its OB_F_ROW fields. */
json_t *ob_view_specimen_row(const ob_specimen *r);
/* The same, written by the streaming writer of the read paths (jw.h). */
struct ob_jw;
void ob_view_specimen_row_write(struct ob_jw *w, const ob_specimen *r);

/* Appends the full record as JSON to out: the row's fields, then
 * "preanalytics" (the OB_F_PRE fields), "sprec_explained" ([{element, code,
 * meaning}] or null), "location" ({path, position, temperature} or null),
 * "lineage" (the nodes) and "audit" (the events). The object has the key
 * "lineage" twice (the row's kind of specimen, then the tree), as it always
 * had: it is written as text (by the streaming writer, jw.h), not returned
 * as a json_t. */
int ob_view_specimen_full(const ob_specimen_full *f, ob_buf *out);

/* An account of a list: {username, site (null: network-wide), role,
 * active}. */
json_t *ob_view_user(const ob_user *u);

/* A stored sequencing result as listed: its fields, panel_size_mb to 6
 * significant digits as the list always gave it. */
json_t *ob_view_seq_row(const ob_seq_row *r);

/* A site of a list: {code, name, kind, parent, retired} (null when in
 * service). */
json_t *ob_view_site(const ob_site_record *r);
/* An ob_site_cb of ob_site_list(): appends ob_view_site(r) to the JSON
 * array arr. */
int ob_view_site_append(const ob_site_record *r, int depth, void *arr);

/* A donor of a list: {site, code, sex, birth_year (null: unknown),
 * consent_withdrawn}. */
json_t *ob_view_donor(const ob_donor_record *r);
/* An ob_donor_cb of ob_donor_list(): appends ob_view_donor(r) to the JSON
 * array arr. */
int ob_view_donor_append(const ob_donor_record *r, void *arr);

/* A donor's record: the list's fields, then "consent_scope" and "uses"
 * (both the words of the uses the current consent permits; consent_scope
 * is the older name), "diagnoses" ([{id, topography, morphology,
 * diagnosed_on}]) and "consents" ([{form_version, signed_on, witness,
 * recorded_by, scope (the uses it permits), withdrawn_on, withdrawn_by,
 * withdrawal_reason, disposition, responses: [{code, text, text_zh, uses,
 * response, withdrawn_on, withdrawn_by, withdrawal_reason}]}]). */
json_t *ob_view_donor_full(const ob_donor_full *f);

/* The words of a mask of uses (consent.h), in bit order: ["storage", ...]. */
json_t *ob_view_uses(int uses);
/* A consent form: {version, title, effective_on, created_at, statements:
 * [{code, text, text_zh, uses}]}. */
json_t *ob_view_consent_form(const ob_consent_form *f);
/* An ob_consent_form_cb: appends ob_view_consent_form(f) to the array arr. */
int ob_view_consent_form_append(const ob_consent_form *f, void *arr);

/* Storage. Temperatures and quantities show as "%g" (6 significant
 * digits), as these documents always gave them.
 *
 * A container list: [{barcode, name, kind, site, parent (null at the top),
 * path, depth, temperature, storage_temperature, rows, cols, scheme,
 * specimens, capacity}] (rows, cols, scheme and capacity null unless a
 * box). */
json_t *ob_view_container_tree(const ob_container_tree *t);

/* A box's map: {barcode, path, rows, cols, scheme, temperature, used,
 * free, positions: [{position, row, col, specimen (null: free)}]}. */
json_t *ob_view_box_map(const ob_box_map *m);

/* The freezer report: {container, kind, site, path, temperature,
 * generated_at, count, donors, by_type: {type: n}, specimens: [{barcode,
 * type, status, donor, donor_site, site, container, path, position,
 * quantity, unit}]} (position and unit null when none). */
json_t *ob_view_freezer_report(const ob_freezer_report *r);

/* The dashboard (GET /api/stats): {specimens, donors, containers, scope
 * (null: the whole network), by_type: {type: n}, by_status: {status: n},
 * by_site: [{code, name, kind, parent, path, depth, specimens, total}],
 * by_diagnosis: [{topography, donors, specimens}], recent: [{seq, at,
 * actor, site, action, entity, key}]}. */
json_t *ob_view_stats(const ob_stats *st);

/* Appends v to out as compact JSON (the bytes the API and --json give)
 * and releases v. OB_ERROR when v is NULL or out of memory. */
int ob_view_dump(json_t *v, ob_buf *out);
/* The same, then a newline: the lists and records that always ended with
 * one. */
int ob_view_dump_line(json_t *v, ob_buf *out);

#endif
