/*
 * access.h - who may do what, where. Enforced in the domain, so the command
 * line (acting as a named user) and the HTTP API obey the same rules.
 *
 * A user belongs to a site and acts on that site and every site below it in
 * the network tree; a user of the center therefore acts on the whole
 * network. By role:
 *
 *   administrator    everything in scope, including sites and user accounts
 *   biobank manager  donors, consents, containers, specimens, imports
 *   technician       specimens (collect, aliquot, derive, move, status,
 *                    thaw), containers, imports
 *   pathologist      diagnoses, and reading
 *   researcher       reading
 *   auditor          reading everything in the network and verifying the
 *                    audit trail; changes nothing
 *   study researcher no site and no general reading: the studies they are
 *                    a member of, their worklists and accruals, and the
 *                    specimens collected in them (study.h, scope.c)
 *
 * The local operator (role 0: the command line without --user naming an
 * account) holds the database file and may do everything.
 */
#ifndef OB_ACCESS_H
#define OB_ACCESS_H

#include "bank/ctx.h"

#include <stdbool.h>
#include <stdint.h>

/* What is being done, for the permission table. */
typedef enum ob_action {
	OB_ACT_READ,       /* see records */
	OB_ACT_SPECIMEN,   /* create, aliquot, derive, move, status, thaw */
	OB_ACT_CONTAINER,  /* add containers */
	OB_ACT_DONOR,      /* add donors, record and withdraw consents */
	OB_ACT_DIAGNOSIS,  /* record diagnoses */
	OB_ACT_SITE,       /* add sites */
	OB_ACT_USER,       /* manage accounts */
	OB_ACT_IMPORT,     /* bulk import */
	OB_ACT_AUDIT,      /* verify the audit trail, export whole tables */
	OB_ACT_PATHOLOGY,  /* correct a specimen's pathology, tumour % and anatomic
	                      site (what a pathologist reads), with a reason */
	OB_ACT_STUDY,      /* create and change studies, their events,
	                      requirements, sites and members */
	OB_ACT_SHIPMENT    /* create, pack, ship, cancel and receive shipments
	                      (shipment.h) */
} ob_action;

/* Roles mask allowed to do act (anywhere in their scope). */
unsigned ob_access_roles(ob_action act);

/* "administrator", "biobank_manager", "technician", "pathologist",
 * "researcher", "auditor", "study_researcher" (and "local operator" for
 * 0). */
const char *ob_role_name(unsigned role);
/* Parses a role word (also "biobank manager", "admin"); 0 when unknown. */
unsigned ob_role_parse(const char *word);

/* True when the site whose materialised path is site_path lies in the
 * actor's scope for act (the role is not looked at): the local operator and
 * network-wide users everywhere, auditors everywhere for reading. */
bool ob_access_in_scope(const ob_ctx *cx, ob_action act, const char *site_path);

/* 0 when the actor may do act on something belonging to the site whose
 * materialised path is site_path (NULL: nothing site-bound, e.g. a
 * network-wide list). OB_EPERM otherwise, with a message naming what was
 * refused ("permission denied: a researcher cannot change specimens"). */
int ob_access_check(const ob_ctx *cx, ob_action act, const char *site_path);

/* The same for a site given by code, or by id. */
int ob_access_check_site(const ob_ctx *cx, ob_action act, const char *site_code);
int ob_access_check_site_id(const ob_ctx *cx, ob_action act, int64_t site_id);

/* The path reads are limited to: the actor's scope, or NULL when the actor
 * reads the whole network (local operator, center users, auditors). A
 * study researcher reads no site ("//", a path no site has): what they see
 * is reached through their studies' membership (scope.c, study.c). */
const char *ob_access_read_scope(const ob_ctx *cx);

/* True for a study researcher (OB_ROLE_STUDY). */
bool ob_access_study_only(const ob_ctx *cx);

/* Records a refused action as a `denied` audit event of its own
 * transaction (the refused one was rolled back; OB_ERROR when called inside
 * a transaction). what is the refusal message. The event's "after" holds
 * {"refused", "answered", "target", "method", "path", "client"}: the
 * message, "forbidden" or "not found", the refused record ("site REG02",
 * "specimen OB..."; null when a role was refused), and the request facts of
 * cx (ctx.h). The last error is kept. */
int ob_access_record_denial(const ob_ctx *cx, const char *what);

/* Notes the record a refusal was about, for the next denial event:
 * ob_access_check() notes the refused site itself; scope.h notes a record
 * it answered "not found" because it lies outside the scope (hidden). */
void ob_access_note_target(const char *kind, const char *key, bool hidden);

/* Called by the edges (dispatch.c, cli/main.c) once a request failed with
 * rc: records the denial when rc is OB_EPERM, or when a lookup hid an
 * out-of-scope record (the caller was told "not found": the probe is
 * audited all the same). Clears what was noted; 0 when nothing was to be
 * recorded or it was recorded. */
int ob_access_record_refusal(const ob_ctx *cx, int rc);

/* Forgets a noted target (at the start of a request). */
void ob_access_refusal_reset(void);

#endif
