/*
 * consent.h - consent as coded statements (docs/consent.md).
 *
 * A consent form version carries statements; each has a code unique in
 * the form, a text (English, and Chinese), and the uses a "yes" to it
 * permits. A donor's signed consent names its form and answers each
 * statement yes, no or not_asked. The rule: a use is permitted by a consent
 * when its form has at least one statement covering the use and every
 * statement covering it is answered yes and not withdrawn; except transfer,
 * which a form without any statement covering it (every form older than the
 * use, the five legacy statements included) permits exactly when it permits
 * storage: those consents were given to the network's biobank as a whole.
 * The donor's current consent is the one signed last; donor.consent_mask keeps the uses
 * it permits (0 once fully withdrawn) and donor.withdrawn whether it was
 * fully withdrawn, both kept in the transaction that changes the consent.
 *
 * A full withdrawal names a disposition for the donor's material: every
 * specimen, aliquot and derivative of the donor, at any site, is marked
 * with it. A partial withdrawal turns one statement's answer to no and
 * blocks only the uses that need it.
 */
#ifndef OB_CONSENT_H
#define OB_CONSENT_H

#include "bank/audit.h"
#include "bank/ctx.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Uses, as bits (the first five are the flags of the five-column consent
 * before migration 010, with the same values). */
enum {
	OB_USE_STORAGE = 1,
	OB_USE_RESEARCH = 2,
	OB_USE_GENETIC = 4,
	OB_USE_SHARING = 8,     /* data sharing outside the network */
	OB_USE_RECONTACT = 16,
	OB_USE_COMMERCIAL = 32,
	OB_USE_FINDINGS = 64,   /* return of incidental findings */
	OB_USE_TRANSFER = 128,  /* samples may be sent to other sites of the
	                           network (outside the collecting site's scope);
	                           migration 012 */
	OB_USE_ALL = 255,
	/* the five legacy words, as the importer and the demo name them */
	OB_CONSENT_STORAGE = OB_USE_STORAGE,
	OB_CONSENT_RESEARCH = OB_USE_RESEARCH,
	OB_CONSENT_GENETIC = OB_USE_GENETIC,
	OB_CONSENT_SHARING = OB_USE_SHARING,
	OB_CONSENT_RECONTACT = OB_USE_RECONTACT,
	OB_CONSENT_LEGACY = 31
};

/* The use words in bit order, NULL-ended: storage, research, genetic,
 * sharing, recontact, commercial, findings, transfer. */
extern const char *const ob_consent_scope_words[];
/* A use word (also the aliases of imported files: "genetic research",
 * "data sharing", "commercial use", "incidental findings", "material
 * transfer", ...) to its bit, or 0. */
int ob_consent_scope_flag(const char *word);
/* A comma/semicolon/bar-separated list of use words into a mask;
 * OB_EINVALID "scope: ..." naming the unknown word. */
int ob_consent_scope_parse(const char *list, int *mask);
/* The same, the refusal naming field. */
int ob_consent_uses_parse(const char *field, const char *list, int *mask);

/* The full-withdrawal dispositions: "destroy" (destroy the material),
 * "keep" (stop future use, keep the material), "data_only" (keep the data
 * only). NULL-ended. */
extern const char *const ob_consent_dispositions[];

/* The most statements a form holds. */
#define OB_CONSENT_MAX_STATEMENTS 100

/* A statement of a form: code ([A-Z0-9_-], 1 to 32), text (required),
 * text_zh (NULL: none), uses (a non-zero mask of OB_USE_* bits). */
typedef struct ob_consent_statement {
	const char *code, *text, *text_zh;
	int uses;
} ob_consent_statement;

/* A form as read: every text owned (ob_consent_form_free). */
typedef struct ob_consent_form {
	int64_t id;
	char *version, *title, *effective_on, *created_at;
	ob_consent_statement *statements;   /* in position order */
	size_t nstatements;
} ob_consent_form;

/* Adds form version (1 to 64 characters, unique) with its title,
 * effective_on ("" / NULL: none; a date) and its n statements (at least
 * one; codes unique in the form). Needs OB_ACT_DONOR. Audited ("create"
 * consent_form, the statements in the event). OB_EINVALID naming the
 * field ("statements: ..." for a statement), OB_EEXISTS "version: ...". */
int ob_consent_form_add(const ob_ctx *cx, const char *version, const char *title,
                        const char *effective_on, const ob_consent_statement *st, size_t n,
                        int64_t *id_out);
/* Reads form version; OB_ENOTFOUND "form_version: ..." when none. */
int ob_consent_form_read(const ob_ctx *cx, const char *version, ob_consent_form *f);
void ob_consent_form_free(ob_consent_form *f);
/* Calls cb for each form by version, statements included; f is freed after
 * the call. A non-zero return stops the walk and is returned. */
typedef int (*ob_consent_form_cb)(const ob_consent_form *f, void *arg);
int ob_consent_form_list(const ob_ctx *cx, ob_consent_form_cb cb, void *arg);

/* A response given: statement code and "yes", "no" or "not_asked". */
typedef struct ob_consent_response {
	const char *code, *response;
} ob_consent_response;

/* A consent being recorded: the form's version, the day signed (not in the
 * future, not before the donor's birth year), the witness (NULL: none) and
 * the responses (statements not answered are not_asked). legacy_form (the
 * importer's): a form version not yet known is created with the five
 * legacy statements when every response names one of them (a consent of
 * a migrated database, exported and imported into a new one). */
typedef struct ob_consent_signing {
	const char *form_version, *signed_on, *witness;
	const ob_consent_response *responses;
	size_t nresponses;
	bool legacy_form;
} ob_consent_signing;

/* Records a donor's signed consent on a known form; recorded_by is the
 * actor. Needs OB_ACT_DONOR at the donor's site. OB_EINVALID "responses:
 * form v2.1 has no statement 'FOO'", "form_version: no consent form ..."
 * and the like; refreshes the donor's consent state. Audited (the consent
 * and each response, "create"). */
int ob_consent_sign(const ob_ctx *cx, const char *site, const char *donor,
                    const ob_consent_signing *sg, int64_t *id_out);

/* The legacy entry (the importer's scope columns, the demo): scope is a
 * mask of uses; each statement of the form whose uses all lie in scope is
 * answered yes, every other no. A form version not yet known is created
 * with the five legacy statements (STORAGE, RESEARCH, GENETIC, SHARING,
 * RECONTACT, as migration 010 creates them); such a form has no transfer
 * statement, so storage in scope permits transfer too. */
int ob_consent_add(const ob_ctx *cx, const char *site, const char *donor,
                   const char *form_version, const char *signed_on, int scope,
                   int64_t *id_out);

/* Fully withdraws the donor's current consent: stamped with date (NULL /
 * "": today; not in the future nor before the donor's birth), the actor and
 * reason (required), with disposition (ob_consent_dispositions; required).
 * Every specimen of the donor, at any site, gets consent_disposition set
 * and a "withdraw" audit event; the donor must be in the actor's scope. */
int ob_consent_withdraw(const ob_ctx *cx, const char *site, const char *donor,
                        const char *date, const char *reason, const char *disposition);

/* Withdraws one statement of the donor's current consent: its response
 * becomes no, stamped with date, the actor and reason; only the uses that
 * need it are blocked. OB_EINVALID "statement: form V has no statement
 * 'X'"; OB_ECONFLICT when already withdrawn. */
int ob_consent_withdraw_statement(const ob_ctx *cx, const char *site, const char *donor,
                                  const char *statement, const char *date, const char *reason);

/* The donor's consent state: the current mask of permitted uses (0 when
 * none or withdrawn) and whether it was fully withdrawn. */
int ob_donor_consent(const ob_ctx *cx, int64_t donor_id, int *mask, bool *withdrawn);

/* A response of a read consent: its statement and answer. */
typedef struct ob_consent_answer {
	char *code, *text, *text_zh;
	int uses;
	char *response;
	char *withdrawn_on, *withdrawn_by, *withdrawal_reason;
} ob_consent_answer;

/* A signed consent as read: its form, the uses it permits (scope, by the
 * rule; 0 once fully withdrawn), its answers in statement order and, once
 * fully withdrawn, when, by whom, why and the disposition. */
typedef struct ob_consent_record {
	int64_t id;
	char *form_version, *signed_on, *witness, *recorded_by;
	int scope;
	char *withdrawn_on, *withdrawn_by, *withdrawal_reason, *disposition;
	ob_consent_answer *answers;
	size_t nanswers;
} ob_consent_record;

/* The consents of donor donor_id in the order signed (no scope check: the
 * caller checked the donor). *out is NULL when none. */
int ob_consent_read_donor(const ob_ctx *cx, int64_t donor_id, ob_consent_record **out,
                          size_t *n);
void ob_consent_records_free(ob_consent_record *c, size_t n);

extern const ob_audit_entity ob_consent_audit;
extern const ob_audit_entity ob_consent_response_audit;
/* Forms and statements never change: their creation is in the trail, but
 * audit verify does not walk them (not in ob_audited). */
extern const ob_audit_entity ob_consent_form_audit;
extern const ob_audit_entity ob_consent_statement_audit;

#endif
