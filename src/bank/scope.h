/*
 * scope.h - every record a request names, resolved within the caller's
 * scope. The one door from a name a caller gave (a site code, a specimen or
 * container barcode, a donor's site and code, a box position) to a row: the
 * raw lookups by barcode and code live in scope.c and nowhere else, so no
 * code path of a request can reach a row outside the scope (docs/access.md).
 *
 * The rule:
 *   - a role that may not do act at all is refused first (OB_EPERM, "permission
 *     denied: a researcher cannot change specimens"), before any lookup;
 *   - sites: their codes are the network's public structure (GET /api/sites),
 *     so naming a site outside the scope is refused openly: OB_EPERM
 *     "FIELD: permission denied: ... not on REG02" (HTTP 403, exit 6);
 *   - records (specimens, containers, donors, positions' occupants): one
 *     outside the scope is answered exactly as one that does not exist,
 *     OB_ENOTFOUND "FIELD: no specimen has barcode 'X'" (HTTP 404, exit 3):
 *     no existence oracle. The probe is noted (ob_access_note_target, hidden)
 *     so that the edge audits it as a `denied` event all the same.
 *
 * act is the action the record is named for: OB_ACT_READ reads in the read
 * scope (auditors: the whole network); a change (OB_ACT_SPECIMEN, ...) in
 * the actor's own scope. field is the request's name for the value (JSON
 * field, CSV column, option): the message starts with it; NULL for none.
 */
#ifndef OB_SCOPE_H
#define OB_SCOPE_H

#include "bank/access.h"
#include "bank/container.h"
#include "bank/ctx.h"

#include <stdbool.h>
#include <stdint.h>

#define OB_SCOPE_PATH_MAX 512

/* A site by code: its id and materialised path (path may be NULL; else
 * OB_SCOPE_PATH_MAX bytes). OB_ENOTFOUND "FIELD: no site has code 'X'",
 * OB_EPERM when it lies outside the scope. */
int ob_scope_site(const ob_ctx *cx, ob_action act, const char *field, const char *code,
                  int64_t *id, char *path);

/* A site by code where any site of the network may be named (their codes
 * are public: a shipment's destination, a list's filter), with no scope
 * check: its id and path (either may be NULL). OB_ENOTFOUND "FIELD: no
 * site has code 'X'"; in_service refuses a retired site. */
int ob_scope_site_public(const ob_ctx *cx, const char *field, const char *code, bool in_service,
                         int64_t *id, char *path);
/* A site by code or, when no site has that code, by its exact name (as
 * OpenSpecimen files name sites; used by that import only): its code into
 * code (n bytes), then as ob_scope_site(). OB_ENOTFOUND "FIELD: no site
 * has code or name 'X'"; OB_ECONFLICT when several sites have the name. */
int ob_scope_site_named(const ob_ctx *cx, ob_action act, const char *field,
                        const char *code_or_name, char *code, size_t n);

/* A specimen by barcode: its id. OB_EINVALID when barcode is empty;
 * OB_ENOTFOUND "FIELD: no specimen has barcode 'X'" when absent or outside.
 * For OB_ACT_READ, one outside the scope that travels in a shipped
 * shipment to a site in the reader's scope is read too (shipment.h). */
int ob_scope_specimen(const ob_ctx *cx, ob_action act, const char *field, const char *barcode,
                      int64_t *id);

/* A specimen by its label (as OpenSpecimen files name parents): its
 * barcode. Only specimens in the scope are matched. OB_ENOTFOUND when
 * none is, OB_ECONFLICT when several are. */
int ob_scope_specimen_label(const ob_ctx *cx, ob_action act, const char *field, const char *label,
                            char *barcode, size_t n);

/* A container by barcode into *out. OB_EINVALID when barcode is empty;
 * OB_ENOTFOUND "FIELD: no container has barcode 'X'" when absent or outside.
 * For OB_ACT_READ, a box in transit to a site in the reader's scope is
 * read too (shipment.h). */
int ob_scope_container(const ob_ctx *cx, ob_action act, const char *field, const char *barcode,
                       ob_container_info *out);

/* A donor by site code and donor code: the site first (ob_scope_site,
 * site_field names it), then OB_ENOTFOUND "donor: no donor 'X' at site 'Y'".
 * withdrawn may be NULL. */
int ob_scope_donor(const ob_ctx *cx, ob_action act, const char *site_field, const char *site,
                   const char *code, int64_t *id, bool *withdrawn);

/* A record reached through another (a sequencing result through its
 * specimen) whose site path is site_path: 0 when in the scope; otherwise
 * OB_ENOTFOUND with the message what (as for an absent one), noted as
 * hidden under kind and key. */
int ob_scope_reached(const ob_ctx *cx, ob_action act, const char *site_path, const char *kind,
                     const char *key, const char *what);

/* Who holds position pos of container container_id (other than specimen
 * self; 0: none): 0 when free, 1 when taken. who gets the holder's barcode
 * when the caller may read it, "" otherwise, so that a conflict message
 * never names a record outside the scope. */
int ob_scope_occupant(const ob_ctx *cx, int64_t container_id, const char *pos, int64_t self,
                      char *who, size_t n);

#endif
