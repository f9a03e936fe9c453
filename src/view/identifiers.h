/*
 * identifiers.h - a donor's direct identifiers (bank/identifier.h) as JSON,
 * the document GET /api/donors/{site}/{code}/identifiers answers and
 * `oncobank donor identifiers --json` prints:
 *
 *   {"site": "REG01", "donor": "D1", "name": "...", "birth_date": "YYYY-MM-DD",
 *    "national_id": "...", "mrn": [{"site": "HOS01", "value": "..."}]}
 *
 * a kind the donor has none of (or the reader may not see) is left out;
 * "mrn", when there, is an array: one entry per issuing hospital.
 */
#ifndef OB_VIEW_IDENTIFIERS_H
#define OB_VIEW_IDENTIFIERS_H

#include "bank/identifier.h"

#include <jansson.h>

/* The document's start: {"site", "donor"}; NULL when out of memory. */
json_t *ob_view_identifiers_new(const char *site, const char *donor);

/* An ob_identifier_cb: adds one identifier to the object arg. */
int ob_view_identifier_add(const ob_identifier *id, void *obj);

/* An ob_identifier_donor_cb: appends {"site", "donor"} to the array arg. */
int ob_view_identified_donor_append(const char *site, const char *donor, void *arr);

/* Adds "identifiers": {name, birth_date, national_id, mrn} (the document
 * above without site and donor) to a donor's document doc when the reader
 * may see some; nothing otherwise, and no error (a reader without the
 * permission, a site without its key: the donor's record reads as
 * without them). */
void ob_view_donor_identifiers(const ob_ctx *cx, const char *site, const char *code, json_t *doc);

#endif
