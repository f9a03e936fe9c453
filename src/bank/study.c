/*
 * study.c - studies: adding and changing them, their sites, forms, events,
 * requirements and members, enrolment, the look-ups other code resolves
 * names with, and the full record (see study.h). The worklist and the
 * accrual are in study_worklist.c.
 */
#include "bank/study.h"
#include "bank/access.h"
#include "bank/donor.h"
#include "bank/fields.h"
#include "bank/scope.h"
#include "bank/site.h"
#include "bank/specimen.h"
#include "bank/study_internal.h"
#include "base/error.h"
#include "base/util.h"
#include "store/store.h"

#include <ctype.h>
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STUDY_COLS \
	"SELECT y.id" OB_STUDY_FIELDS(OB_RECORD_SQL) \
	" FROM study y LEFT JOIN app_user u ON u.id = y.pi_user_id"
#define EVENT_COLS \
	"SELECT e.id" OB_STUDY_EVENT_FIELDS(OB_RECORD_SQL) \
	" FROM study_event e JOIN study y ON y.id = e.study_id"
#define REQ_COLS \
	"SELECT q.id" OB_STUDY_REQ_FIELDS(OB_RECORD_SQL) \
	" FROM study_requirement q JOIN study_event e ON e.id = q.event_id" \
	" JOIN study y ON y.id = e.study_id"
#define PARTICIPANT_COLS \
	"SELECT p.id" OB_STUDY_PARTICIPANT_FIELDS(OB_RECORD_SQL) \
	" FROM study_participant p JOIN study y ON y.id = p.study_id" \
	" JOIN donor d ON d.id = p.donor_id JOIN site st ON st.id = p.site_id"

/* The link tables (a study's sites, forms, members) have no id of their
 * own: the audit trail keys a link by the study's id and the other side's
 * (study id * 2^32 + the other id), so that `audit verify` checks them
 * row by row like every other audited table. */
#define LINK_ID(a, b) "(" a " * 4294967296 + " b ")"
#define SITE_LINK_COLS \
	"SELECT " LINK_ID("x.study_id", "x.site_id") " AS id, y.code AS study, s.code AS site" \
	" FROM study_site x JOIN study y ON y.id = x.study_id JOIN site s ON s.id = x.site_id"
#define FORM_LINK_COLS \
	"SELECT " LINK_ID("x.study_id", "x.form_id") " AS id, y.code AS study, f.version AS form" \
	" FROM study_form x JOIN study y ON y.id = x.study_id" \
	" JOIN consent_form f ON f.id = x.form_id"
#define MEMBER_LINK_COLS \
	"SELECT " LINK_ID("m.study_id", "m.user_id") " AS id, y.code AS study, u.username AS user," \
	" m.role FROM study_member m JOIN study y ON y.id = m.study_id" \
	" JOIN app_user u ON u.id = m.user_id"

#define ENTRY(name, kind, sql, flags) OB_RECORD_ENTRY(ob_study_record, name, kind, flags)
const ob_field ob_study_fields[] = { OB_STUDY_FIELDS(ENTRY) OB_RECORD_END };
#undef ENTRY
#define ENTRY(name, kind, sql, flags) OB_RECORD_ENTRY(ob_study_event_record, name, kind, flags)
const ob_field ob_study_event_fields[] = { OB_STUDY_EVENT_FIELDS(ENTRY) OB_RECORD_END };
#undef ENTRY
#define ENTRY(name, kind, sql, flags) OB_RECORD_ENTRY(ob_study_req_record, name, kind, flags)
const ob_field ob_study_req_fields[] = { OB_STUDY_REQ_FIELDS(ENTRY) OB_RECORD_END };
#undef ENTRY
#define ENTRY(name, kind, sql, flags) \
	OB_RECORD_ENTRY(ob_study_participant_record, name, kind, flags)
const ob_field ob_study_participant_fields[] = { OB_STUDY_PARTICIPANT_FIELDS(ENTRY) OB_RECORD_END };
#undef ENTRY

static const char *const study_one_sql = STUDY_COLS " WHERE y.id = $1";

const ob_audit_entity ob_study_audit = { "study", study_one_sql, STUDY_COLS " ORDER BY y.id" };
const ob_audit_entity ob_study_event_audit = { "study_event", EVENT_COLS " WHERE e.id = $1",
	EVENT_COLS " ORDER BY e.id" };
const ob_audit_entity ob_study_req_audit = { "study_requirement", REQ_COLS " WHERE q.id = $1",
	REQ_COLS " ORDER BY q.id" };
const ob_audit_entity ob_study_participant_audit = { "study_participant",
	PARTICIPANT_COLS " WHERE p.id = $1", PARTICIPANT_COLS " ORDER BY p.id" };
const ob_audit_entity ob_study_site_audit = { "study_site",
	SITE_LINK_COLS " WHERE " LINK_ID("x.study_id", "x.site_id") " = $1",
	SITE_LINK_COLS " ORDER BY 1" };
const ob_audit_entity ob_study_form_audit = { "study_form",
	FORM_LINK_COLS " WHERE " LINK_ID("x.study_id", "x.form_id") " = $1",
	FORM_LINK_COLS " ORDER BY 1" };
const ob_audit_entity ob_study_member_audit = { "study_member",
	MEMBER_LINK_COLS " WHERE " LINK_ID("m.study_id", "m.user_id") " = $1",
	MEMBER_LINK_COLS " ORDER BY 1" };

const char *const ob_study_statuses[] = { "draft", "active", "closed", NULL };
const char *const ob_study_roles[] = { "investigator", "coordinator", NULL };

static int64_t link_id(int64_t study_id, int64_t other)
{
	return study_id * 4294967296LL + other;
}

static bool word_in(const char *w, const char *const *words)
{
	for (; w && *words; words++)
		if (!strcmp(w, *words))
			return true;
	return false;
}

/* A code of a study, event or requirement: 1 to 64 letters, digits, '-',
 * '_' or '.'. */
static int code_check(const char *field, const char *code)
{
	size_t n = code ? strlen(code) : 0;

	if (n == 0 || n > 64)
		return ob_error_set(OB_EINVALID, "%s: a code is 1 to 64 characters", field);
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)code[i]) && !strchr("-_.", code[i]))
			return ob_error_set(OB_EINVALID, "%s: '%s' may hold only letters, digits, '-',"
				" '_' and '.'", field, code);
	return 0;
}

/* A text a caller gave (NULL passes): within its field's length, valid
 * UTF-8 without NUL (fields.h), the domain's own check of what the doors
 * check first. */
static int text_ok(const char *field, const char *v)
{
	return v ? ob_field_check(field, v, strlen(v)) : 0;
}

/* A day: parsed and normalised into out, not in the future when past. */
static int day_parse(const char *field, const char *v, bool past, char out[OB_TIME_LEN])
{
	if (ob_time_parse(v, out, NULL) < 0)
		return ob_error_set(OB_EINVALID, "%s: '%s' is not an ISO 8601 date (YYYY-MM-DD)",
			field, v);
	/* a day: its time of day is noise */
	memcpy(out + 10, "T00:00:00Z", 11);
	return past ? ob_time_check_past(field, out) : 0;
}

int ob_study_ppid_check(const char *format, const char *ppid)
{
	regmatch_t m;
	regex_t re;
	int rc;

	if (!format || !*format)
		return 0;
	if (regcomp(&re, format, REG_EXTENDED) != 0)
		return ob_error_set(OB_EINVALID, "ppid_format: '%s' is not a POSIX extended regular"
			" expression", format);
	rc = regexec(&re, ppid, 1, &m, 0);
	regfree(&re);
	/* the whole ID, not a part of it (POSIX matches leftmost-longest) */
	if (rc != 0 || m.rm_so != 0 || (size_t)m.rm_eo != strlen(ppid))
		return ob_error_set(OB_EINVALID, "ppid: '%s' does not match the study's format '%s'",
			ppid, format);
	return 0;
}

/* ---- finding a study ---------------------------------------------------- */

/* Whether the actor may see study id: every reader; a study researcher
 * only as a member. */
static int member_of(const ob_ctx *cx, int64_t study_id, bool *yes)
{
	static const char *const sql =
		"SELECT 1 FROM study_member m JOIN app_user u ON u.id = m.user_id"
		" WHERE m.study_id = $1 AND u.username = $2";
	ob_stmt *s;
	int rc;

	*yes = false;
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	if ((rc = ob_stmt_bind_int(s, 1, study_id)) == 0
	    && (rc = ob_stmt_bind_text(s, 2, cx->actor ? cx->actor : "")) == 0)
		rc = ob_stmt_step(s);
	*yes = rc == OB_ROW;
	ob_stmt_reset(s);
	return rc < 0 ? rc : 0;
}

/* The study called key (code, else exact title): id and status, without
 * any access check. OB_ENOTFOUND "FIELD: no study 'X'". */
static int study_row(const ob_ctx *cx, const char *field, const char *key, int64_t *id,
                     char *status, size_t n)
{
	static const char *const by_code = "SELECT id, status FROM study WHERE code = $1";
	static const char *const by_title =
		"SELECT id, status FROM study WHERE title = $1 ORDER BY id";
	const char *const sqls[] = { by_code, by_title };
	int found = 0;
	ob_stmt *s;
	int rc = 0;

	if (!key || !*key)
		return ob_error_set(OB_EINVALID, "%s: a study code is needed", field);
	for (int i = 0; i < 2 && !found; i++) {
		if ((rc = ob_store_prepare(cx->st, sqls[i], &s)) < 0)
			return rc;
		ob_stmt_bind_text(s, 1, key);
		while ((rc = ob_stmt_step(s)) == OB_ROW) {
			if (found++ == 0) {
				*id = ob_stmt_int(s, 0);
				if (status)
					ob_strlcpy(status, ob_stmt_text(s, 1), n);
			}
		}
		ob_stmt_reset(s);
		if (rc < 0)
			return rc;
	}
	if (found > 1)
		return ob_error_set(OB_ECONFLICT, "%s: several studies are titled '%s': name it by"
			" code", field, key);
	if (!found)
		return ob_error_set(OB_ENOTFOUND, "%s: no study '%s'", field, key);
	return 0;
}

int ob_study_lookup(const ob_ctx *cx, ob_action act, const char *field, const char *key,
                    int64_t *id, char *status, size_t n)
{
	bool yes;
	int rc;

	/* the role first, whatever the study (scope.h) */
	if (!(act == OB_ACT_READ && ob_access_study_only(cx))
	    && (rc = ob_access_check(cx, act, NULL)) < 0)
		return rc;
	if ((rc = study_row(cx, field, key, id, status, n)) < 0)
		return rc;
	if (!ob_access_study_only(cx))
		return 0;
	if ((rc = member_of(cx, *id, &yes)) < 0)
		return rc;
	if (yes)
		return 0;
	/* another study: as if there were none, and noted for the trail */
	ob_access_note_target("study", key, true);
	return ob_error_set(OB_ENOTFOUND, "%s: no study '%s'", field, key);
}

int ob_study_find(const ob_ctx *cx, const char *code_or_title, int64_t *id)
{
	return ob_study_lookup(cx, OB_ACT_READ, "study", code_or_title, id, NULL, 0);
}

/* The code of study id into out (65 bytes). */
static int study_code(const ob_ctx *cx, int64_t id, char out[65])
{
	static const char *const sql = "SELECT code FROM study WHERE id = $1";
	ob_stmt *s;
	int rc;

	out[0] = '\0';
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, id);
	if ((rc = ob_stmt_step(s)) == OB_ROW) {
		ob_strlcpy(out, ob_stmt_text(s, 0), 65);
		rc = 0;
	} else if (rc == 0) {
		rc = ob_error_set(OB_ENOTFOUND, "study: no study %lld", (long long)id);
	}
	ob_stmt_reset(s);
	return rc;
}

int ob_study_event_find(const ob_ctx *cx, int64_t study_id, const char *code_or_label,
                        int64_t *event_id)
{
	static const char *const by_code =
		"SELECT id FROM study_event WHERE study_id = $1 AND code = $2";
	static const char *const by_label =
		"SELECT id FROM study_event WHERE study_id = $1 AND label = $2 ORDER BY position, id";
	const char *const sqls[] = { by_code, by_label };
	char code[65];
	ob_stmt *s;
	int rc;

	if (!code_or_label || !*code_or_label)
		return ob_error_set(OB_EINVALID, "event: an event code is needed");
	for (int i = 0; i < 2; i++) {
		if ((rc = ob_store_prepare(cx->st, sqls[i], &s)) < 0)
			return rc;
		ob_stmt_bind_int(s, 1, study_id);
		ob_stmt_bind_text(s, 2, code_or_label);
		if ((rc = ob_stmt_step(s)) == OB_ROW)
			*event_id = ob_stmt_int(s, 0);
		ob_stmt_reset(s);
		if (rc < 0)
			return rc;
		if (rc == OB_ROW)
			return 0;
	}
	if ((rc = study_code(cx, study_id, code)) < 0)
		return rc;
	return ob_error_set(OB_ENOTFOUND, "event: study %s has no event '%s'", code, code_or_label);
}

int ob_study_participant_find(const ob_ctx *cx, int64_t study_id, const char *ppid,
                              int64_t *donor_id)
{
	static const char *const sql =
		"SELECT donor_id FROM study_participant WHERE study_id = $1 AND ppid = $2";
	char code[65];
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, study_id);
	ob_stmt_bind_text(s, 2, ppid ? ppid : "");
	if ((rc = ob_stmt_step(s)) == OB_ROW)
		*donor_id = ob_stmt_int(s, 0);
	ob_stmt_reset(s);
	if (rc < 0)
		return rc;
	if (rc == OB_ROW)
		return 0;
	if ((rc = study_code(cx, study_id, code)) < 0)
		return rc;
	return ob_error_set(OB_ENOTFOUND, "ppid: study %s has no participant '%s'", code,
		ppid ? ppid : "");
}

/* ---- adding and changing ------------------------------------------------ */

/* The id of the account username. OB_EINVALID "FIELD: no user 'X'". */
/* An account by username, within the caller's scope: one at a site the
 * caller may not manage studies for, or a network-wide one (other than a
 * study researcher, who belongs to no site and only to studies) named by a
 * caller who is not network-wide, is answered as one that does not exist
 * (scope.h) and noted for the denial event. */
static int user_id(const ob_ctx *cx, const char *field, const char *username, int64_t *id)
{
	static const char *const sql =
		"SELECT u.id, s.path, u.role FROM app_user u LEFT JOIN site s ON s.id = u.site_id"
		" WHERE u.username = $1";
	ob_stmt *s;
	bool reach = false;
	int rc;

	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_text(s, 1, username);
	if ((rc = ob_stmt_step(s)) == OB_ROW) {
		*id = ob_stmt_int(s, 0);
		reach = !ob_stmt_is_null(s, 1) ? ob_access_in_scope(cx, OB_ACT_STUDY, ob_stmt_text(s, 1))
			: ob_access_read_scope(cx) == NULL
				|| ob_role_parse(ob_stmt_text(s, 2)) == OB_ROLE_STUDY;
		rc = 0;
	}
	ob_stmt_reset(s);
	if (rc < 0)
		return rc;
	if (rc == 0 && !reach) {
		ob_access_note_target("user", username, true);
		return ob_error_set(OB_EINVALID, "%s: no user '%s'", field, username);
	}
	return 0;
}

/* What a correction and an addition check alike; normalises the dates
 * into the buffers of x. */
struct study_fix {
	char approved[OB_TIME_LEN], expires[OB_TIME_LEN];
};

static int study_check(const ob_field *f, void *rec, void *arg)
{
	ob_study_record *r = rec;
	struct study_fix *x = arg;
	int rc;

	if (!strcmp(f->name, "title") && !r->title)
		return ob_error_set(OB_EINVALID, "title: a study needs a title");
	if (!strcmp(f->name, "status") && !word_in(r->status, ob_study_statuses))
		return ob_error_set(OB_EINVALID, "status: '%s' is not draft, active or closed",
			r->status ? r->status : "");
	if (!strcmp(f->name, "ethics_approved_on") && r->ethics_approved_on) {
		if ((rc = day_parse(f->name, r->ethics_approved_on, true, x->approved)) < 0)
			return rc;
		r->ethics_approved_on = x->approved;
	}
	if (!strcmp(f->name, "ethics_expires_on") && r->ethics_expires_on) {
		if ((rc = day_parse(f->name, r->ethics_expires_on, false, x->expires)) < 0)
			return rc;
		r->ethics_expires_on = x->expires;
	}
	if (!strcmp(f->name, "ppid_format") && r->ppid_format) {
		regex_t re;
		if (regcomp(&re, r->ppid_format, REG_EXTENDED | REG_NOSUB) != 0)
			return ob_error_set(OB_EINVALID, "ppid_format: '%s' is not a POSIX extended"
				" regular expression", r->ppid_format);
		regfree(&re);
	}
	return 0;
}

/* The rules between fields, once each field is right by itself. */
static int study_whole_check(const ob_study_record *r)
{
	if (r->ethics_approved_on && r->ethics_expires_on
	    && strcmp(r->ethics_expires_on, r->ethics_approved_on) < 0)
		return ob_error_set(OB_EINVALID, "ethics_expires_on: %.10s is before the approval"
			" (%.10s)", r->ethics_expires_on, r->ethics_approved_on);
	return 0;
}

static int link_site(const ob_ctx *cx, int64_t study_id, const char *code, const char *site)
{
	static const char *const ins = "INSERT INTO study_site (study_id, site_id) VALUES ($1, $2)";
	int64_t site_id;
	ob_stmt *s;
	int rc;

	if ((rc = ob_scope_site(cx, OB_ACT_STUDY, "sites", site, &site_id, NULL)) < 0)
		return rc == OB_ENOTFOUND ? ob_error_set(OB_EINVALID, "%s", ob_error_last()) : rc;
	if ((rc = ob_site_in_service(cx, site_id, "sites")) < 0)
		return rc;
	if ((rc = ob_store_prepare(cx->st, ins, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, study_id);
	ob_stmt_bind_int(s, 2, site_id);
	if ((rc = ob_stmt_exec(s)) == OB_EEXISTS)
		return ob_error_set(OB_EEXISTS, "sites: %s collects for study %s already", site, code);
	if (rc < 0)
		return rc;
	return ob_audit_record(cx, &ob_study_site_audit, "create", link_id(study_id, site_id), code,
		NULL);
}

static int link_form(const ob_ctx *cx, int64_t study_id, const char *code, const char *version)
{
	static const char *const find = "SELECT id FROM consent_form WHERE version = $1";
	static const char *const ins = "INSERT INTO study_form (study_id, form_id) VALUES ($1, $2)";
	int64_t form_id = 0;
	ob_stmt *s;
	int rc;

	if ((rc = text_ok("forms", version)) < 0)
		return rc;
	if ((rc = ob_store_prepare(cx->st, find, &s)) < 0)
		return rc;
	ob_stmt_bind_text(s, 1, version);
	if ((rc = ob_stmt_step(s)) == OB_ROW)
		form_id = ob_stmt_int(s, 0);
	ob_stmt_reset(s);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return ob_error_set(OB_EINVALID, "forms: no consent form '%s'", version);
	if ((rc = ob_store_prepare(cx->st, ins, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, study_id);
	ob_stmt_bind_int(s, 2, form_id);
	if ((rc = ob_stmt_exec(s)) == OB_EEXISTS)
		return ob_error_set(OB_EINVALID, "forms: '%s' is named twice", version);
	if (rc < 0)
		return rc;
	return ob_audit_record(cx, &ob_study_form_audit, "create", link_id(study_id, form_id), code,
		NULL);
}

static int study_texts_ok(const ob_study_record *r)
{
	int rc;

	if ((rc = text_ok("title", r->title)) < 0 || (rc = text_ok("pi", r->pi)) < 0
	    || (rc = text_ok("ethics_ref", r->ethics_ref)) < 0
	    || (rc = text_ok("ethics_approved_on", r->ethics_approved_on)) < 0
	    || (rc = text_ok("ethics_expires_on", r->ethics_expires_on)) < 0
	    || (rc = text_ok("ppid_format", r->ppid_format)) < 0
	    || (rc = text_ok("status", r->status)) < 0)
		return rc;
	return 0;
}

int ob_study_add(const ob_ctx *cx, const ob_study_new *in, int64_t *id_out)
{
	static const char *const ins =
		"INSERT INTO study (code, title, pi_user_id, ethics_ref, ethics_approved_on,"
		" ethics_expires_on, ppid_format, status, created_at)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
	ob_study_record r = in->r;
	struct study_fix fix;
	char now[OB_TIME_LEN];
	int64_t id = 0, pi = 0;
	ob_stmt *s;
	int rc;

	if ((rc = ob_access_check(cx, OB_ACT_STUDY, NULL)) < 0)
		return rc;
	if ((rc = code_check("code", r.code)) < 0 || (rc = study_texts_ok(&r)) < 0)
		return rc;
	if (r.title && !*r.title)
		r.title = NULL;
	if (!r.status || !*r.status)
		r.status = "draft";
	for (const ob_field *f = ob_study_fields; f->name; f++) {
		const char **t = ob_field_text_at(f, &r);
		if (*t && !**t)
			*t = NULL;
		if ((f->flags & OB_F_FIX) && (rc = study_check(f, &r, &fix)) < 0)
			return rc;
	}
	if ((rc = study_whole_check(&r)) < 0)
		return rc;
	if ((rc = ob_store_begin(cx->st)) < 0)
		return rc;
	if (r.pi && (rc = user_id(cx, "pi", r.pi, &pi)) < 0)
		goto out;
	ob_time_now(now);
	if ((rc = ob_store_prepare(cx->st, ins, &s)) < 0)
		goto out;
	ob_stmt_bind_text(s, 1, r.code);
	ob_stmt_bind_text(s, 2, r.title);
	if (pi)
		ob_stmt_bind_int(s, 3, pi);
	else
		ob_stmt_bind_null(s, 3);
	ob_stmt_bind_text(s, 4, r.ethics_ref);
	ob_stmt_bind_text(s, 5, r.ethics_approved_on);
	ob_stmt_bind_text(s, 6, r.ethics_expires_on);
	ob_stmt_bind_text(s, 7, r.ppid_format);
	ob_stmt_bind_text(s, 8, r.status);
	ob_stmt_bind_text(s, 9, now);
	rc = ob_stmt_insert(s, &id);
	if (rc == OB_EEXISTS)
		rc = ob_error_set(OB_EEXISTS, "code: study '%s' exists already", r.code);
	if (rc < 0 || (rc = ob_audit_record(cx, &ob_study_audit, "create", id, r.code, NULL)) < 0)
		goto out;
	for (size_t i = 0; i < in->nsites && rc == 0; i++)
		rc = link_site(cx, id, r.code, in->sites[i]);
	for (size_t i = 0; i < in->nforms && rc == 0; i++)
		rc = link_form(cx, id, r.code, in->forms[i]);
out:
	if (rc < 0) {
		ob_store_rollback(cx->st);
		return rc;
	}
	if (id_out)
		*id_out = id;
	return ob_store_commit(cx->st);
}

int ob_study_correct(const ob_ctx *cx, const char *code, const ob_change *ch, size_t n,
                     const char *reason)
{
	static const char *const upd =
		"UPDATE study SET title = $2, status = $3, pi_user_id = $4, ethics_ref = $5,"
		" ethics_approved_on = $6, ethics_expires_on = $7, ppid_format = $8 WHERE id = $1";
	ob_ctx why = *cx;
	ob_study_record before, after;
	struct study_fix fix;
	ob_buf old = OB_BUF_INIT;
	int64_t id = 0, pi = 0;
	ob_stmt *s;
	int rc;

	ob_record_init(ob_study_fields, &before);
	why.reason = reason;
	if ((rc = ob_store_begin(cx->st)) < 0)
		return rc;
	if ((rc = ob_study_lookup(cx, OB_ACT_STUDY, "code", code, &id, NULL, 0)) < 0
	    || (rc = ob_record_load(cx, study_one_sql, ob_study_fields, id, &before)) < 0)
		goto out;
	after = before;
	if ((rc = ob_record_change(ob_study_fields, "study", &before, &after, ch, n, reason,
			study_check, &fix)) < 0
	    || (rc = study_whole_check(&after)) < 0)
		goto out;
	if (after.pi && (rc = user_id(cx, "pi", after.pi, &pi)) < 0)
		goto out;
	if ((rc = ob_audit_encode(cx, &ob_study_audit, id, &old)) < 0
	    || (rc = ob_store_prepare(cx->st, upd, &s)) < 0)
		goto out;
	ob_stmt_bind_int(s, 1, id);
	ob_stmt_bind_text(s, 2, after.title);
	ob_stmt_bind_text(s, 3, after.status);
	if (pi)
		ob_stmt_bind_int(s, 4, pi);
	else
		ob_stmt_bind_null(s, 4);
	ob_stmt_bind_text(s, 5, after.ethics_ref);
	ob_stmt_bind_text(s, 6, after.ethics_approved_on);
	ob_stmt_bind_text(s, 7, after.ethics_expires_on);
	ob_stmt_bind_text(s, 8, after.ppid_format);
	if ((rc = ob_stmt_exec(s)) < 0)
		goto out;
	rc = ob_audit_record(&why, &ob_study_audit, "correct", id, before.code, ob_buf_cstr(&old));
out:
	ob_buf_dispose(&old);
	ob_record_release(ob_study_fields, &before);
	if (rc < 0) {
		ob_store_rollback(cx->st);
		return rc;
	}
	return ob_store_commit(cx->st);
}

int ob_study_close(const ob_ctx *cx, const char *code, const char *reason)
{
	const ob_change ch = { "status", "closed" };

	return ob_study_correct(cx, code, &ch, 1, reason);
}

/* Opens a change of study key: the transaction, the role, the study. */
static int change_begin(const ob_ctx *cx, const char *key, int64_t *id, char code[65])
{
	int rc;

	if ((rc = ob_access_check(cx, OB_ACT_STUDY, NULL)) < 0)
		return rc;
	if ((rc = ob_store_begin(cx->st)) < 0)
		return rc;
	if ((rc = ob_study_lookup(cx, OB_ACT_STUDY, "study", key, id, NULL, 0)) < 0
	    || (rc = study_code(cx, *id, code)) < 0) {
		ob_store_rollback(cx->st);
		return rc;
	}
	return 0;
}

static int change_end(const ob_ctx *cx, int rc)
{
	if (rc < 0) {
		ob_store_rollback(cx->st);
		return rc;
	}
	return ob_store_commit(cx->st);
}

int ob_study_site_add(const ob_ctx *cx, const char *study, const char *site)
{
	char code[65];
	int64_t id;
	int rc;

	if ((rc = change_begin(cx, study, &id, code)) < 0)
		return rc;
	rc = link_site(cx, id, code, site);
	if (rc < 0 && !strncmp(ob_error_last(), "sites: ", 7)) {
		char msg[512];
		ob_strlcpy(msg, ob_error_last() + 7, sizeof msg);
		ob_error_set(rc, "site: %s", msg);
	}
	return change_end(cx, rc);
}

int ob_study_form_add(const ob_ctx *cx, const char *study, const char *form_version)
{
	char code[65];
	int64_t id;
	int rc;

	if (!form_version || !*form_version)
		return ob_error_set(OB_EINVALID, "form_version: a consent form version is required");
	if ((rc = change_begin(cx, study, &id, code)) < 0)
		return rc;
	rc = link_form(cx, id, code, form_version);
	if (rc < 0 && !strncmp(ob_error_last(), "forms: ", 7)) {
		char msg[512];
		bool twice = strstr(ob_error_last(), "named twice") != NULL;
		ob_strlcpy(msg, ob_error_last() + 7, sizeof msg);
		if (twice)
			rc = ob_error_set(OB_EEXISTS, "form_version: study %s uses form '%s' already",
				code, form_version);
		else
			ob_error_set(rc, "form_version: %s", msg);
	}
	return change_end(cx, rc);
}

int ob_study_event_add(const ob_ctx *cx, const char *study, const char *code,
                       const char *label, int64_t day, int64_t position)
{
	static const char *const last =
		"SELECT COALESCE(MAX(position), 0) FROM study_event WHERE study_id = $1";
	static const char *const ins =
		"INSERT INTO study_event (study_id, code, label, position, day)"
		" VALUES ($1, $2, $3, $4, $5)";
	char scode[65];
	int64_t id, eid = 0;
	ob_stmt *s;
	int rc;

	if ((rc = code_check("code", code)) < 0 || (rc = text_ok("label", label)) < 0)
		return rc;
	if (day < 0 || day > 36500)
		return ob_error_set(OB_EINVALID, "day: %lld is not a day after enrolment (0 to 36500)",
			(long long)day);
	if (position > 100000)
		return ob_error_set(OB_EINVALID, "position: %lld is too large", (long long)position);
	if ((rc = change_begin(cx, study, &id, scode)) < 0)
		return rc;
	if (position < 0) {
		if ((rc = ob_store_prepare(cx->st, last, &s)) < 0)
			goto out;
		ob_stmt_bind_int(s, 1, id);
		if ((rc = ob_stmt_step(s)) == OB_ROW)
			position = ob_stmt_int(s, 0) + 1;
		ob_stmt_reset(s);
		if (rc < 0)
			goto out;
	}
	if ((rc = ob_store_prepare(cx->st, ins, &s)) < 0)
		goto out;
	ob_stmt_bind_int(s, 1, id);
	ob_stmt_bind_text(s, 2, code);
	ob_stmt_bind_text(s, 3, label && *label ? label : code);
	ob_stmt_bind_int(s, 4, position);
	ob_stmt_bind_int(s, 5, day);
	rc = ob_stmt_insert(s, &eid);
	if (rc == OB_EEXISTS)
		rc = ob_error_set(OB_EEXISTS, "code: study %s has an event '%s' already", scode, code);
	if (rc == 0)
		rc = ob_audit_record(cx, &ob_study_event_audit, "create", eid, code, NULL);
out:
	return change_end(cx, rc);
}

int ob_study_requirement_add(const ob_ctx *cx, const char *study, const char *event,
                             const ob_study_req_record *r)
{
	static const char *const ins =
		"INSERT INTO study_requirement (event_id, code, type, pathology, anatomic_site,"
		" count, quantity, unit, processing) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
	const char *path = r->pathology && *r->pathology ? r->pathology : NULL;
	const char *unit = r->unit && *r->unit ? r->unit : NULL;
	char scode[65];
	int64_t id, eid, qid = 0;
	ob_stmt *s;
	int rc;

	if ((rc = code_check("code", r->code)) < 0 || (rc = text_ok("type", r->type)) < 0
	    || (rc = text_ok("anatomic_site", r->anatomic_site)) < 0
	    || (rc = text_ok("unit", r->unit)) < 0 || (rc = text_ok("processing", r->processing)) < 0)
		return rc;
	if (!r->type || !ob_specimen_type_valid(r->type))
		return ob_error_set(OB_EINVALID, "type: '%s' is not a specimen type (%s)",
			r->type ? r->type : "", ob_specimen_type_list());
	if (path && !word_in(path, ob_specimen_pathologies))
		return ob_error_set(OB_EINVALID, "pathology: '%s' is not tumour, normal or unknown",
			path);
	if (r->count < 1 || r->count > 1000)
		return ob_error_set(OB_EINVALID, "count: %lld is not 1 to 1000", (long long)r->count);
	if ((rc = ob_specimen_amount_rule(r->type, r->quantity, unit)) < 0)
		return rc;
	if ((rc = change_begin(cx, study, &id, scode)) < 0)
		return rc;
	if ((rc = ob_study_event_find(cx, id, event, &eid)) < 0) {
		rc = rc == OB_ENOTFOUND ? ob_error_set(OB_EINVALID, "%s", ob_error_last()) : rc;
		goto out;
	}
	if ((rc = ob_store_prepare(cx->st, ins, &s)) < 0)
		goto out;
	ob_stmt_bind_int(s, 1, eid);
	ob_stmt_bind_text(s, 2, r->code);
	ob_stmt_bind_text(s, 3, r->type);
	ob_stmt_bind_text(s, 4, path);
	ob_stmt_bind_text(s, 5, r->anatomic_site && *r->anatomic_site ? r->anatomic_site : NULL);
	ob_stmt_bind_int(s, 6, r->count);
	ob_stmt_bind_double_or_null(s, 7, r->quantity);
	ob_stmt_bind_text(s, 8, unit);
	ob_stmt_bind_text(s, 9, r->processing && *r->processing ? r->processing : NULL);
	rc = ob_stmt_insert(s, &qid);
	if (rc == OB_EEXISTS)
		rc = ob_error_set(OB_EEXISTS, "code: event %s of study %s has a requirement '%s'"
			" already", event, scode, r->code);
	if (rc == 0)
		rc = ob_audit_record(cx, &ob_study_req_audit, "create", qid, r->code, NULL);
out:
	return change_end(cx, rc);
}

int ob_study_member_add(const ob_ctx *cx, const char *study, const char *user, const char *role)
{
	static const char *const ins =
		"INSERT INTO study_member (study_id, user_id, role) VALUES ($1, $2, $3)";
	char code[65], key[160];
	int64_t id, uid = 0;
	ob_stmt *s;
	int rc;

	if (!word_in(role, ob_study_roles))
		return ob_error_set(OB_EINVALID, "role: '%s' is not investigator or coordinator",
			role ? role : "");
	if (!user || !*user)
		return ob_error_set(OB_EINVALID, "user: a username is needed");
	if ((rc = text_ok("user", user)) < 0)
		return rc;
	if ((rc = change_begin(cx, study, &id, code)) < 0)
		return rc;
	if ((rc = user_id(cx, "user", user, &uid)) < 0
	    || (rc = ob_store_prepare(cx->st, ins, &s)) < 0)
		goto out;
	ob_stmt_bind_int(s, 1, id);
	ob_stmt_bind_int(s, 2, uid);
	ob_stmt_bind_text(s, 3, role);
	rc = ob_stmt_exec(s);
	if (rc == OB_EEXISTS)
		rc = ob_error_set(OB_EEXISTS, "user: %s is a member of study %s already", user, code);
	snprintf(key, sizeof key, "%s/%s", code, user);
	if (rc == 0)
		rc = ob_audit_record(cx, &ob_study_member_audit, "create", link_id(id, uid), key, NULL);
out:
	return change_end(cx, rc);
}

int ob_study_member_remove(const ob_ctx *cx, const char *study, const char *user)
{
	static const char *const del = "DELETE FROM study_member WHERE study_id = $1 AND user_id = $2";
	ob_buf old = OB_BUF_INIT;
	char code[65], key[160];
	int64_t id, uid = 0;
	ob_stmt *s;
	int rc;

	if (!user || !*user)
		return ob_error_set(OB_EINVALID, "user: a username is needed");
	if ((rc = change_begin(cx, study, &id, code)) < 0)
		return rc;
	if ((rc = user_id(cx, "user", user, &uid)) < 0) {
		rc = ob_error_set(OB_ENOTFOUND, "user: %s is not a member of study %s", user, code);
		goto out;
	}
	rc = ob_audit_encode(cx, &ob_study_member_audit, link_id(id, uid), &old);
	if (rc == OB_ENOTFOUND)
		rc = ob_error_set(OB_ENOTFOUND, "user: %s is not a member of study %s", user, code);
	if (rc < 0 || (rc = ob_store_prepare(cx->st, del, &s)) < 0)
		goto out;
	ob_stmt_bind_int(s, 1, id);
	ob_stmt_bind_int(s, 2, uid);
	if ((rc = ob_stmt_exec(s)) < 0)
		goto out;
	snprintf(key, sizeof key, "%s/%s", code, user);
	rc = ob_audit_append(cx, "delete", ob_study_member_audit.name, link_id(id, uid), key,
		ob_buf_cstr(&old), NULL);
out:
	ob_buf_dispose(&old);
	return change_end(cx, rc);
}

/* ---- enrolment ---------------------------------------------------------- */

/* The study's format, into out (may be ""). */
static int study_format(const ob_ctx *cx, int64_t id, char *out, size_t n)
{
	static const char *const sql = "SELECT ppid_format FROM study WHERE id = $1";
	ob_stmt *s;
	int rc;

	out[0] = '\0';
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, id);
	if ((rc = ob_stmt_step(s)) == OB_ROW && !ob_stmt_is_null(s, 0))
		ob_strlcpy(out, ob_stmt_text(s, 0), n);
	ob_stmt_reset(s);
	return rc < 0 ? rc : 0;
}

/* 1 when sql ($1 the study, $2 the other id) has a row, 0 when not. */
static int has_row(const ob_ctx *cx, const char *sql, int64_t study_id, int64_t other,
                   const char *text)
{
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, study_id);
	if (text)
		ob_stmt_bind_text(s, 2, text);
	else
		ob_stmt_bind_int(s, 2, other);
	rc = ob_stmt_step(s);
	ob_stmt_reset(s);
	return rc < 0 ? rc : rc == OB_ROW;
}

int ob_study_enrol(const ob_ctx *cx, const char *study, const char *site, const char *donor,
                   const char *ppid, const char *date)
{
	static const char *const collects =
		"SELECT 1 FROM study_site WHERE study_id = $1 AND site_id = $2";
	static const char *const ppid_taken =
		"SELECT 1 FROM study_participant WHERE study_id = $1 AND ppid = $2";
	static const char *const donor_in =
		"SELECT 1 FROM study_participant WHERE study_id = $1 AND donor_id = $2";
	static const char *const ins =
		"INSERT INTO study_participant (study_id, donor_id, site_id, ppid, enrolled_on)"
		" VALUES ($1, $2, $3, $4, $5)";
	char code[65], status[16], format[256], day[OB_TIME_LEN];
	int64_t sid, did, site_id, pid = 0;
	bool withdrawn = false;
	ob_stmt *s;
	int rc;

	if (!ppid || !*ppid)
		return ob_error_set(OB_EINVALID, "ppid: a participant ID is needed");
	if ((rc = text_ok("ppid", ppid)) < 0)
		return rc;
	if (date && *date) {
		if ((rc = day_parse("date", date, false, day)) < 0)
			return rc;
	} else {
		ob_time_now(day);
		memcpy(day + 10, "T00:00:00Z", 11);
	}
	if ((rc = ob_store_begin(cx->st)) < 0)
		return rc;
	/* the donor within the actor's scope first: a role that may not
	 * enrol is refused before any study is looked up (scope.h) */
	if ((rc = ob_scope_donor(cx, OB_ACT_DONOR, "site", site, donor, &did, &withdrawn)) < 0
	    || (rc = ob_site_lookup(cx, site, &site_id, NULL)) < 0
	    || (rc = ob_study_lookup(cx, OB_ACT_DONOR, "study", study, &sid, status,
			sizeof status)) < 0
	    || (rc = study_code(cx, sid, code)) < 0)
		goto out;
	if (!strcmp(status, "closed")) {
		rc = ob_error_set(OB_ECONFLICT, "study: study %s is closed: it enrols nobody", code);
		goto out;
	}
	if ((rc = has_row(cx, collects, sid, site_id, NULL)) < 0)
		goto out;
	if (rc == 0) {
		rc = ob_error_set(OB_EINVALID, "site: %s does not collect for study %s", site, code);
		goto out;
	}
	if (withdrawn) {
		rc = ob_error_set(OB_ECONFLICT, "donor: donor %s of %s withdrew consent: not enrolled",
			donor, site);
		goto out;
	}
	if ((rc = study_format(cx, sid, format, sizeof format)) < 0
	    || (rc = ob_study_ppid_check(format, ppid)) < 0
	    || (rc = ob_donor_date_check(cx, did, "date", day)) < 0)
		goto out;
	if ((rc = has_row(cx, ppid_taken, sid, 0, ppid)) < 0)
		goto out;
	if (rc == 1) {
		rc = ob_error_set(OB_ECONFLICT, "ppid: study %s already has participant %s", code, ppid);
		goto out;
	}
	if ((rc = has_row(cx, donor_in, sid, did, NULL)) < 0)
		goto out;
	if (rc == 1) {
		rc = ob_error_set(OB_ECONFLICT, "donor: donor %s of %s is enrolled in study %s already",
			donor, site, code);
		goto out;
	}
	if ((rc = ob_store_prepare(cx->st, ins, &s)) < 0)
		goto out;
	ob_stmt_bind_int(s, 1, sid);
	ob_stmt_bind_int(s, 2, did);
	ob_stmt_bind_int(s, 3, site_id);
	ob_stmt_bind_text(s, 4, ppid);
	ob_stmt_bind_text(s, 5, day);
	if ((rc = ob_stmt_insert(s, &pid)) == 0)
		rc = ob_audit_record(cx, &ob_study_participant_audit, "create", pid, ppid, NULL);
out:
	return change_end(cx, rc);
}

/* ---- collecting in a study (specimen.c) --------------------------------- */

int ob_study_collect_check(const ob_ctx *cx, const char *study, const char *event,
                           const char *requirement, const char *type, int64_t donor_id,
                           const char *day, int64_t *study_id, int64_t *event_id,
                           int64_t *requirement_id, char study_code[65], char event_code[65])
{
	static const char *const event_sql = "SELECT code FROM study_event WHERE id = $1";
	static const char *const info =
		"SELECT code, status, ethics_expires_on FROM study WHERE id = $1";
	static const char *const enrolled =
		"SELECT 1 FROM study_participant WHERE study_id = $1 AND donor_id = $2";
	static const char *const req =
		"SELECT id, type FROM study_requirement WHERE event_id = $1 AND code = $2";
	char code[65], status[16], expires[OB_TIME_LEN] = "", today[OB_TIME_LEN], rtype[32] = "";
	ob_stmt *s;
	int rc;

	*requirement_id = 0;
	if (!event || !*event)
		return ob_error_set(OB_EINVALID, "event: a specimen collected in study %s needs the"
			" event it was collected at", study);
	/* the study as the collector names it: a technician sees every study */
	if ((rc = study_row(cx, "study", study, study_id, NULL, 0)) < 0)
		return rc == OB_ENOTFOUND ? ob_error_set(OB_EINVALID, "%s", ob_error_last()) : rc;
	if ((rc = ob_store_prepare(cx->st, info, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, *study_id);
	if ((rc = ob_stmt_step(s)) == OB_ROW) {
		ob_strlcpy(code, ob_stmt_text(s, 0), sizeof code);
		ob_strlcpy(status, ob_stmt_text(s, 1), sizeof status);
		if (!ob_stmt_is_null(s, 2))
			ob_strlcpy(expires, ob_stmt_text(s, 2), sizeof expires);
		rc = 0;
	}
	ob_stmt_reset(s);
	if (rc < 0)
		return rc;
	if (!strcmp(status, "closed"))
		return ob_error_set(OB_ECONFLICT, "study: study %s is closed", code);
	if (!strcmp(status, "draft"))
		return ob_error_set(OB_ECONFLICT, "study: study %s is a draft: it collects nothing"
			" until it is active", code);
	if (!day || !*day) {
		ob_time_now(today);
		day = today;
	}
	if (*expires && strncmp(day, expires, 10) > 0)
		return ob_error_set(OB_ECONFLICT, "study: the ethics approval of study %s expired on"
			" %.10s", code, expires);
	if ((rc = has_row(cx, enrolled, *study_id, donor_id, NULL)) < 0)
		return rc;
	if (rc == 0)
		return ob_error_set(OB_EINVALID, "donor: the donor is not enrolled in study %s", code);
	if ((rc = ob_study_event_find(cx, *study_id, event, event_id)) < 0)
		return rc == OB_ENOTFOUND ? ob_error_set(OB_EINVALID, "%s", ob_error_last()) : rc;
	ob_strlcpy(study_code, code, 65);
	if ((rc = ob_store_prepare(cx->st, event_sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, *event_id);
	if ((rc = ob_stmt_step(s)) == OB_ROW)
		ob_strlcpy(event_code, ob_stmt_text(s, 0), 65);
	ob_stmt_reset(s);
	if (rc < 0)
		return rc;
	if (!requirement || !*requirement)
		return 0;
	if ((rc = ob_store_prepare(cx->st, req, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, *event_id);
	ob_stmt_bind_text(s, 2, requirement);
	if ((rc = ob_stmt_step(s)) == OB_ROW) {
		*requirement_id = ob_stmt_int(s, 0);
		ob_strlcpy(rtype, ob_stmt_text(s, 1), sizeof rtype);
	}
	ob_stmt_reset(s);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return ob_error_set(OB_EINVALID, "requirement: event %s of study %s has no requirement"
			" '%s'", event, code, requirement);
	if (type && strcmp(type, rtype))
		return ob_error_set(OB_EINVALID, "type: requirement %s of study %s expects %s, not %s",
			requirement, code, rtype, type);
	return 0;
}
