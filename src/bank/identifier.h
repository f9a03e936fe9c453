/*
 * identifier.h - the direct identifiers a site keeps for recontact (a
 * donor's name, date of birth, national ID, and a medical record number
 * per hospital), encrypted at rest with the site's key (docs/identifiers.md).
 *
 * The bank itself is pseudonymous: these live apart, in donor_identifier
 * (migrations/009_studies.sql), each value sealed with XChaCha20-Poly1305
 * under a key derived from its site's key, with a random nonce and the
 * donor, the site and the kind as additional data, so a ciphertext copied
 * to another row does not open. The site keys are files outside the
 * database: KEY_DIR/<SITE>.key, 32 random bytes in hex, mode 0600; the key
 * directory comes with the context (ctx.h key_dir). A missing key refuses
 * naming the site.
 *
 * Each row also keeps two keyed hashes of the normalised value: lookup (an
 * exact search, e.g. by MRN) and digest (what the audit trail keeps: an
 * identifier's audit event holds its site, donor, kind and digest, never
 * the value). No value is ever written to a message, a log, the audit
 * trail or an export.
 *
 * Who sees them: an account granted the identifiers permission (user.h
 * ob_user_grant_identifiers) whose own scope holds the identifier's site,
 * and the local operator. Changing them needs that and the right to change
 * the donor (OB_ACT_DONOR). The site of an MRN is the hospital that issued
 * it: the donor's site or a site in the actor's scope.
 */
#ifndef OB_IDENTIFIER_H
#define OB_IDENTIFIER_H

#include "bank/audit.h"
#include "bank/ctx.h"

#include <stdbool.h>
#include <stdint.h>

/* The kinds, NULL-ended: "name", "birth_date", "national_id", "mrn". */
extern const char *const ob_identifier_kinds[];

/* One identifier of a donor, borrowed for the callback's duration. */
typedef struct ob_identifier {
	const char *kind;         /* one of ob_identifier_kinds */
	const char *site;         /* the site keeping it (an MRN's issuing hospital) */
	const char *value;        /* the value, decrypted, as normalised when set */
	const char *recorded_at;  /* when it was set (ISO 8601 UTC) */
} ob_identifier;

typedef int (*ob_identifier_cb)(const ob_identifier *id, void *arg);

/* A donor found by an identifier: the donor's site code and donor code. */
typedef int (*ob_identifier_donor_cb)(const char *site, const char *donor, void *arg);

/* Checks and normalises value as an identifier of kind into out (n bytes,
 * at least 1024): trimmed of spaces; name 1 to 200 characters; birth_date
 * a real day, not in the future nor before 1880, written YYYY-MM-DD;
 * national_id an 18-character Chinese resident ID (17 digits and a check
 * character, ISO 7064 MOD 11-2, X upper-cased) when it has that form,
 * otherwise 1 to 32 printable ASCII characters; mrn 1 to 64 characters,
 * upper-cased. Valid UTF-8 without NUL or control characters. OB_EINVALID
 * "KIND: ..." never quoting the value. */
int ob_identifier_normalise(const char *kind, const char *value, char *out, size_t n);

/* Sets (or replaces) the donor's identifier of kind: donor code donor at
 * site. issuer_site is the hospital that issued an MRN (required for
 * "mrn", NULL otherwise). Needs OB_ACT_DONOR on the donor, the identifiers
 * permission at the identifier's site, and that site's key. Audited
 * ("create" or "change", with the digest). OB_EINVALID naming the field;
 * OB_EPERM; OB_ENOTFOUND for a donor outside the scope as for an absent
 * one; OB_ECONFLICT "key: ..." when the site has no key. */
int ob_identifier_set(const ob_ctx *cx, const char *site, const char *donor, const char *kind,
                      const char *issuer_site, const char *value);

/* Removes the donor's identifier of kind (an MRN: issued by issuer_site).
 * The same rules, without the key; OB_ENOTFOUND "KIND: ..." when there is
 * none. Audited ("clear": the event's before holds the digest). */
int ob_identifier_clear(const ob_ctx *cx, const char *site, const char *donor, const char *kind,
                        const char *issuer_site);

/* True when the actor may see direct identifiers at all: the local
 * operator, or an active account granted the permission. */
bool ob_identifier_granted(const ob_ctx *cx);

/* Calls cb for each identifier of the donor the actor may see, decrypted,
 * by kind (name, birth_date, national_id, mrn) and site. OB_EPERM when the
 * actor may not see the identifiers of the donor's site; OB_ENOTFOUND for
 * a donor outside the read scope as for an absent one; OB_ECONFLICT when a
 * site's key is missing or a value does not decrypt (a wrong key, or a
 * ciphertext moved from another row). A non-zero return from cb stops the
 * walk and is returned. */
int ob_identifier_list(const ob_ctx *cx, const char *site, const char *donor,
                       ob_identifier_cb cb, void *arg);

/* The donors whose MRN issued by hospital site is exactly mrn (normalised
 * as set: trimmed, upper-cased), by site and donor code; donors outside
 * the actor's read scope are left out. Needs the identifiers permission at
 * site and its key. */
int ob_identifier_find_mrn(const ob_ctx *cx, const char *site, const char *mrn,
                           ob_identifier_donor_cb cb, void *arg);

/* Creates the key of site in cx->key_dir: KEY_DIR/<SITE>.key, 32 random
 * bytes as 64 hex digits and a newline, mode 0600 (the directory is made,
 * 0700, when missing). OB_EEXISTS when the file exists (never
 * overwritten); OB_EINVALID when no key directory is set; the site must
 * exist and be the actor's to manage (the local operator, or an
 * administrator in scope). path (may be NULL) gets the file's path. */
int ob_identifier_keygen(const ob_ctx *cx, const char *site, char *path, size_t n);

/* The audited rows: site, donor_site, donor, kind, digest (never the
 * value, nonce or ciphertext). */
extern const ob_audit_entity ob_identifier_audit;

#endif
