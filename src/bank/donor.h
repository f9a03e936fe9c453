/*
 * donor.h - pseudonymous donors, their diagnoses (ICD-O-3) and consents.
 *
 * A donor's current consent is the one signed last (consent.h: its coded
 * statements and the uses they permit); a withdrawn current consent blocks
 * new specimens and aliquots of the donor and every distribution of the
 * donor's specimens and of everything derived from them.
 */
#ifndef OB_DONOR_H
#define OB_DONOR_H

#include "bank/audit.h"
#include "bank/consent.h"
#include "bank/ctx.h"
#include "bank/record.h"

#include <stdbool.h>
#include <stdint.h>

/* A donor's fields and a diagnosis's, in the order of their canonical
 * audit rows. birth_year 0 is unknown (NULL in the table); consent_mask and
 * withdrawn cache the current consent (the consent functions keep them). */
#define OB_DONOR_FIELDS(X) \
	X(site, TEXT, "s.code", OB_F_ROW | OB_F_AUDIT) \
	X(code, TEXT, "d.code", OB_F_ROW | OB_F_AUDIT) \
	X(sex, TEXT, "d.sex", OB_F_ROW | OB_F_AUDIT | OB_F_FIX) \
	X(birth_year, INT, "d.birth_year", OB_F_ROW | OB_F_AUDIT | OB_F_FIX) \
	X(consent_mask, INT, "d.consent_mask", OB_F_AUDIT) \
	X(withdrawn, INT, "d.withdrawn", OB_F_AUDIT)

#define OB_DIAGNOSIS_FIELDS(X) \
	X(site, TEXT, "s.code", OB_F_AUDIT) \
	X(donor, TEXT, "d.code", OB_F_AUDIT) \
	X(topography, TEXT, "g.topography", OB_F_ROW | OB_F_AUDIT | OB_F_FIX) \
	X(morphology, TEXT, "g.morphology", OB_F_ROW | OB_F_AUDIT | OB_F_FIX) \
	X(diagnosed_on, TEXT, "g.diagnosed_on", OB_F_ROW | OB_F_AUDIT | OB_F_FIX)

typedef struct ob_donor_record {
	OB_DONOR_FIELDS(OB_RECORD_MEMBER)
} ob_donor_record;

typedef struct ob_diagnosis_record {
	OB_DIAGNOSIS_FIELDS(OB_RECORD_MEMBER)
} ob_diagnosis_record;

extern const ob_field ob_donor_fields[];
extern const ob_field ob_diagnosis_fields[];

/* Checks a date of the donor with id donor_id (normalised, as
 * ob_time_parse() writes it): not in the future (ob_time_check_past), and
 * not in a year before the donor's birth year. OB_EINVALID naming field. */
int ob_donor_date_check(const ob_ctx *cx, int64_t donor_id, const char *field, const char *day);

/* sex: female, male, other, unknown (also F/M/U). birth_year 0 = unknown. */
int ob_donor_add(const ob_ctx *cx, const char *site, const char *code, const char *sex,
                 int birth_year, int64_t *id_out);
/* Finds a donor by site code and donor code. */
int ob_donor_lookup(const ob_ctx *cx, const char *site, const char *code, int64_t *id);
/* The same, also telling whether the donor's current consent is withdrawn
 * (withdrawn may be NULL). */
int ob_donor_find(const ob_ctx *cx, const char *site, const char *code, int64_t *id,
                  bool *withdrawn);

/* ICD-O-3 form checks: topography "C50.9" (C00-C80, one decimal), morphology
 * "8500/3" (4 digits, slash, behaviour 0-3, 6 or 9). */
int ob_icdo3_topography_check(const char *code);
int ob_icdo3_morphology_check(const char *code);
int ob_donor_diagnose(const ob_ctx *cx, const char *site, const char *donor,
                      const char *topography, const char *morphology, const char *date);

/* Corrects a donor: sex (as ob_donor_add takes it) and birth_year (1880 to
 * this year, "" unknown; not after the year of any dated record of the
 * donor: a specimen's collection, a diagnosis, a signed consent). Needs
 * OB_ACT_DONOR at the donor's site. Audited ("correct", with the reason).
 * OB_EINVALID naming the field otherwise (record.h). */
int ob_donor_correct(const ob_ctx *cx, const char *site, const char *code, const ob_change *ch,
                     size_t n, const char *reason);

/* Corrects diagnosis id of a donor: topography, morphology (checked as
 * ob_donor_diagnose checks them) and diagnosed_on ("" unknown; not in the
 * future nor before the donor's birth year). Needs OB_ACT_DIAGNOSIS.
 * OB_ENOTFOUND "diagnosis: ..." when the donor has no diagnosis id. */
int ob_diagnosis_correct(const ob_ctx *cx, const char *site, const char *donor, int64_t id,
                         const ob_change *ch, size_t n, const char *reason);

/* The per-field history of a donor (audit.h ob_audit_changes), within the
 * caller's read scope. */
int ob_donor_changes(const ob_ctx *cx, const char *site, const char *code,
                     ob_audit_change_cb cb, void *arg);

/* A diagnosis of a donor's record, with its id (what correcting it names). */
typedef struct ob_donor_diagnosis {
	int64_t id;
	ob_diagnosis_record r;
} ob_donor_diagnosis;

/* A donor's record: the donor, the diagnoses by id and the consents in the
 * order signed, read in one snapshot; every text owned.
 * ob_donor_full_free() releases it. */
typedef struct ob_donor_full {
	ob_donor_record r;
	ob_donor_diagnosis *diagnoses;
	size_t ndiagnoses;
	ob_consent_record *consents;
	size_t nconsents;
} ob_donor_full;

/* Reads the record of donor code at site, within the reader's scope
 * (OB_ENOTFOUND outside it, as for no such donor). f is released on
 * failure and must be freed after success. */
int ob_donor_full_read(const ob_ctx *cx, const char *site, const char *code, ob_donor_full *f);
void ob_donor_full_free(ob_donor_full *f);

/* Calls cb for each donor of the site under and every site below it
 * (NULL: the reader's part of the network), by site code and donor code;
 * r borrows its texts for the call only. A non-zero return from cb stops
 * the walk and is returned. */
typedef int (*ob_donor_cb)(const ob_donor_record *r, void *arg);
int ob_donor_list(const ob_ctx *cx, const char *under, ob_donor_cb cb, void *arg);

extern const ob_audit_entity ob_donor_audit;
extern const ob_audit_entity ob_diagnosis_audit;

#endif
