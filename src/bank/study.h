/*
 * study.h - studies (collection protocols, as OpenSpecimen calls them): who
 * runs one and under which ethics approval, the sites that collect for it,
 * the consent form versions it uses, its planned events and the specimens
 * each event expects (requirements), its members, and the donors enrolled
 * in it under a participant ID (PPID). What is due (the worklist) and how
 * far collection got (accrual) are read from the same tables.
 *
 * Who may do what (access.h): administrators and biobank managers create
 * and change studies (OB_ACT_STUDY); enrolling a donor needs OB_ACT_DONOR
 * at the donor's site. Every role that reads sees the studies; a study
 * researcher (OB_ROLE_STUDY, no site) sees only the studies they are a
 * member of - any other is answered as not found - with their worklists,
 * accruals and specimens (docs/studies.md).
 *
 * Days are stored as the other dates are ("2024-03-05T00:00:00Z").
 */
#ifndef OB_STUDY_H
#define OB_STUDY_H

#include "bank/audit.h"
#include "bank/ctx.h"
#include "bank/record.h"
#include "base/arena.h"

#include <stdbool.h>
#include <stdint.h>

/* A study's fields (record.h), in the order of its canonical audit row;
 * study y, its PI u. status: draft, active, closed. */
#define OB_STUDY_FIELDS(X) \
	X(code, TEXT, "y.code", OB_F_ROW | OB_F_AUDIT) \
	X(title, TEXT, "y.title", OB_F_ROW | OB_F_AUDIT | OB_F_FIX) \
	X(status, TEXT, "y.status", OB_F_ROW | OB_F_AUDIT | OB_F_FIX) \
	X(pi, TEXT, "u.username", OB_F_ROW | OB_F_AUDIT | OB_F_FIX) \
	X(ethics_ref, TEXT, "y.ethics_ref", OB_F_ROW | OB_F_AUDIT | OB_F_FIX) \
	X(ethics_approved_on, TEXT, "y.ethics_approved_on", OB_F_ROW | OB_F_AUDIT | OB_F_FIX) \
	X(ethics_expires_on, TEXT, "y.ethics_expires_on", OB_F_ROW | OB_F_AUDIT | OB_F_FIX) \
	X(ppid_format, TEXT, "y.ppid_format", OB_F_ROW | OB_F_AUDIT | OB_F_FIX)

/* An event of a study (e; its study y): day is the planned day after
 * enrolment, position its place in the study's schedule. */
#define OB_STUDY_EVENT_FIELDS(X) \
	X(study, TEXT, "y.code", OB_F_AUDIT) \
	X(code, TEXT, "e.code", OB_F_ROW | OB_F_AUDIT) \
	X(label, TEXT, "e.label", OB_F_ROW | OB_F_AUDIT) \
	X(day, INT, "e.day", OB_F_ROW | OB_F_AUDIT) \
	X(position, INT, "e.position", OB_F_ROW | OB_F_AUDIT)

/* A requirement of an event (q; its event e, study y): count specimens of
 * type, each of quantity unit. */
#define OB_STUDY_REQ_FIELDS(X) \
	X(study, TEXT, "y.code", OB_F_AUDIT) \
	X(event, TEXT, "e.code", OB_F_AUDIT) \
	X(code, TEXT, "q.code", OB_F_ROW | OB_F_AUDIT) \
	X(type, TEXT, "q.type", OB_F_ROW | OB_F_AUDIT) \
	X(pathology, TEXT, "q.pathology", OB_F_ROW | OB_F_AUDIT) \
	X(anatomic_site, TEXT, "q.anatomic_site", OB_F_ROW | OB_F_AUDIT) \
	X(count, INT, "q.count", OB_F_ROW | OB_F_AUDIT) \
	X(quantity, REAL, "q.quantity", OB_F_ROW | OB_F_AUDIT) \
	X(unit, TEXT, "q.unit", OB_F_ROW | OB_F_AUDIT) \
	X(processing, TEXT, "q.processing", OB_F_ROW | OB_F_AUDIT)

/* A participant (p; study y, donor d, enrolling site st). withdrawn is
 * the donor's consent (not part of the audit row: the donor's). */
#define OB_STUDY_PARTICIPANT_FIELDS(X) \
	X(study, TEXT, "y.code", OB_F_AUDIT) \
	X(ppid, TEXT, "p.ppid", OB_F_ROW | OB_F_AUDIT) \
	X(site, TEXT, "st.code", OB_F_ROW | OB_F_AUDIT) \
	X(donor, TEXT, "d.code", OB_F_ROW | OB_F_AUDIT) \
	X(enrolled_on, TEXT, "p.enrolled_on", OB_F_ROW | OB_F_AUDIT)

typedef struct ob_study_record {
	OB_STUDY_FIELDS(OB_RECORD_MEMBER)
} ob_study_record;

typedef struct ob_study_event_record {
	OB_STUDY_EVENT_FIELDS(OB_RECORD_MEMBER)
} ob_study_event_record;

typedef struct ob_study_req_record {
	OB_STUDY_REQ_FIELDS(OB_RECORD_MEMBER)
} ob_study_req_record;

typedef struct ob_study_participant_record {
	OB_STUDY_PARTICIPANT_FIELDS(OB_RECORD_MEMBER)
} ob_study_participant_record;

extern const ob_field ob_study_fields[];
extern const ob_field ob_study_event_fields[];
extern const ob_field ob_study_req_fields[];
extern const ob_field ob_study_participant_fields[];

/* The words of a study's status and of a member's role, NULL-ended. */
extern const char *const ob_study_statuses[];
extern const char *const ob_study_roles[];

/* ---- creating and changing ---- */

/* A study to add: the record's fields as given (status NULL: draft; pi an
 * existing username, may be NULL; dates ISO 8601, expiry not before
 * approval; ppid_format a POSIX extended regular expression a PPID must
 * match whole, NULL: any), the collecting sites (codes in the actor's
 * scope) and the consent form versions it uses (which must exist). */
typedef struct ob_study_new {
	ob_study_record r;
	const char *const *sites;
	size_t nsites;
	const char *const *forms;
	size_t nforms;
} ob_study_new;

/* Adds a study. Needs OB_ACT_STUDY (and the sites in scope: OB_EPERM
 * "sites: ..."). OB_EINVALID naming the field; OB_EEXISTS "code: study
 * 'X' exists already". Audited: the study, each site and form. */
int ob_study_add(const ob_ctx *cx, const ob_study_new *in, int64_t *id_out);

/* Corrects a study's OB_F_FIX fields with a reason (record.h's PATCH
 * semantics: only the fields named change), status included (draft,
 * active, closed). Audited ("correct"). */
int ob_study_correct(const ob_ctx *cx, const char *code, const ob_change *ch, size_t n,
                     const char *reason);

/* Closes a study (status closed), with a reason: no more collection. */
int ob_study_close(const ob_ctx *cx, const char *code, const char *reason);

/* Adds a collecting site (in the actor's scope) to a study. OB_EEXISTS
 * when it collects for it already. */
int ob_study_site_add(const ob_ctx *cx, const char *study, const char *site);

/* Adds a consent form version the study uses (a form that exists:
 * OB_EINVALID "form_version: no consent form 'X'"). OB_EEXISTS when the
 * study uses it already. */
int ob_study_form_add(const ob_ctx *cx, const char *study, const char *form_version);

/* Adds an event: code unique in the study, label (default the code), day
 * after enrolment (>= 0), position (< 0: after the last). */
int ob_study_event_add(const ob_ctx *cx, const char *study, const char *code,
                       const char *label, int64_t day, int64_t position);

/* Adds a requirement to event (code or label) of a study: r.code unique
 * in the event, r.type a specimen type, r.pathology tumour/normal/unknown
 * or NULL, r.count >= 1, r.quantity > 0 (NaN: unknown) with a unit that
 * measures the type (specimen.h's rule), r.processing free text.
 * r.study and r.event are ignored. */
int ob_study_requirement_add(const ob_ctx *cx, const char *study, const char *event,
                             const ob_study_req_record *r);

/* Adds or removes a member (username, role investigator or coordinator).
 * Needs OB_ACT_STUDY. OB_EEXISTS / OB_ENOTFOUND "user: ...". */
int ob_study_member_add(const ob_ctx *cx, const char *study, const char *user, const char *role);
int ob_study_member_remove(const ob_ctx *cx, const char *study, const char *user);

/* Enrols the donor (code) of site in study under ppid on date (NULL or "":
 * today). The donor is resolved within the actor's scope for OB_ACT_DONOR
 * (scope.h); the site must collect for the study ("site: ..."); the PPID
 * must match the study's format (OB_EINVALID "ppid: 'X' does not match the
 * study's format 'F'") and be free in the study (OB_ECONFLICT "ppid: study
 * S already has participant X"); a donor is enrolled once per study
 * (OB_ECONFLICT "donor: ..."); the date not in the future nor before the
 * donor's birth. A closed study enrols nobody. Audited. */
int ob_study_enrol(const ob_ctx *cx, const char *study, const char *site, const char *donor,
                   const char *ppid, const char *date);

/* ---- lookups (the OpenSpecimen import calls these) ---- */

/* A study by code, else by exact title. OB_ENOTFOUND "study: no study 'X'"
 * (also for a study a study researcher is not a member of). */
int ob_study_find(const ob_ctx *cx, const char *code_or_title, int64_t *id);

/* An event of study study_id by code, else by label. OB_ENOTFOUND
 * "event: study S has no event 'X'". */
int ob_study_event_find(const ob_ctx *cx, int64_t study_id, const char *code_or_label,
                        int64_t *event_id);

/* The donor enrolled in study study_id as ppid. OB_ENOTFOUND "ppid: ..."
 * when nobody is. */
int ob_study_participant_find(const ob_ctx *cx, int64_t study_id, const char *ppid,
                              int64_t *donor_id);

/* What a specimen collected in a study refers to, resolved by
 * ob_specimen_create (specimen.c): study code, event (code or label),
 * requirement code (may be NULL) for the donor donor_id, collected on day
 * (normalised time; "" or NULL: today). The study must be active and its
 * ethics approval valid that day (OB_ECONFLICT "study: study X is closed",
 * "study: the ethics approval of study X expired on D"), the donor
 * enrolled, the event the study's, the requirement the event's and of
 * type. study_code and event_code get the codes (a study may be named by
 * title, an event by label). OB_EINVALID naming the field otherwise. */
int ob_study_collect_check(const ob_ctx *cx, const char *study, const char *event,
                           const char *requirement, const char *type, int64_t donor_id,
                           const char *day, int64_t *study_id, int64_t *event_id,
                           int64_t *requirement_id, char study_code[65], char event_code[65]);

/* ---- reading ---- */

typedef struct ob_study_event_full {
	ob_study_event_record r;
	ob_study_req_record *reqs;
	size_t nreqs;
} ob_study_event_full;

typedef struct ob_study_member {
	const char *user, *role;
} ob_study_member;

/* A study with everything it holds, read in one snapshot; texts in the
 * arena. ob_study_full_free() releases it. */
typedef struct ob_study_full {
	ob_study_record r;
	int64_t participants;
	const char **sites;
	size_t nsites;
	const char **forms;
	size_t nforms;
	ob_study_event_full *events;
	size_t nevents;
	ob_study_member *members;
	size_t nmembers;
	ob_arena texts;
} ob_study_full;

/* Reads study code (or title). OB_ENOTFOUND as ob_study_find. f is
 * released on failure. */
int ob_study_read(const ob_ctx *cx, const char *code, ob_study_full *f);
void ob_study_full_free(ob_study_full *f);

/* Calls cb for each study the actor sees, by code, with its full record
 * (borrowed for the call). A non-zero return stops the walk. */
typedef int (*ob_study_cb)(const ob_study_full *f, void *arg);
int ob_study_list(const ob_ctx *cx, ob_study_cb cb, void *arg);

/* A participant as listed: the record and whether the donor withdrew
 * consent. */
typedef struct ob_study_participant {
	ob_study_participant_record r;
	bool withdrawn;
} ob_study_participant;

/* Calls cb for each participant of study whose site lies in the actor's
 * read scope (a study researcher: every participant of their study), by
 * PPID. */
typedef int (*ob_study_participant_cb)(const ob_study_participant *p, void *arg);
int ob_study_participants(const ob_ctx *cx, const char *study, ob_study_participant_cb cb,
                          void *arg);

/* One line of what is due: a requirement of an event not yet collected in
 * full for one participant. Texts borrowed for the callback. */
typedef struct ob_study_due {
	const char *ppid, *site, *donor, *event, *event_label;
	char due_on[32];         /* enrolled_on + the event's day */
	const char *requirement, *type;
	int64_t expected, collected, missing;
	double quantity;         /* NaN: unknown */
	const char *unit, *processing;
} ob_study_due;

/* The worklist of study: for each participant (site NULL: every one in
 * the actor's scope; else those enrolled at site) whose donor has not
 * withdrawn consent, each event (event NULL: all) and requirement, the
 * primary specimens collected for it (or, collected at the event without
 * a requirement, of its type) against the count expected; only lines
 * with something missing, by PPID, event position, requirement. */
typedef int (*ob_study_due_cb)(const ob_study_due *d, void *arg);
int ob_study_worklist(const ob_ctx *cx, const char *study, const char *site, const char *event,
                      ob_study_due_cb cb, void *arg);

/* Accrual: participants enrolled (in scope) and, by site and event,
 * specimens planned (the event's requirement counts for each participant
 * of the site) and collected (primary specimens of the event). */
typedef struct ob_study_accrual_row {
	const char *site, *event;
	int64_t planned, collected;
} ob_study_accrual_row;

typedef int (*ob_study_accrual_cb)(const ob_study_accrual_row *r, void *arg);
int ob_study_accrual(const ob_ctx *cx, const char *study, int64_t *enrolled,
                     ob_study_accrual_cb cb, void *arg);

/* The per-field history of a study (audit.h). */
int ob_study_changes(const ob_ctx *cx, const char *code, ob_audit_change_cb cb, void *arg);

extern const ob_audit_entity ob_study_audit;
extern const ob_audit_entity ob_study_event_audit;
extern const ob_audit_entity ob_study_req_audit;
extern const ob_audit_entity ob_study_participant_audit;
extern const ob_audit_entity ob_study_site_audit;
extern const ob_audit_entity ob_study_form_audit;
extern const ob_audit_entity ob_study_member_audit;

#endif
