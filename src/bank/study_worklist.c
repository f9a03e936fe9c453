/*
 * study_worklist.c - reading studies: the full record, the list, the
 * participants, what is due (the worklist) and the accrual (study.h).
 */
#include "bank/study.h"
#include "bank/access.h"
#include "bank/scope.h"
#include "bank/site.h"
#include "bank/study_internal.h"
#include "base/error.h"
#include "base/util.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Whether a participant enrolled at the site whose path is given is
 * shown: in the read scope; a study researcher (whose study it is: the
 * look-up checked) sees every participant of the study. */
static bool participant_visible(const ob_ctx *cx, const char *path)
{
	return ob_access_study_only(cx) || ob_access_in_scope(cx, OB_ACT_READ, path);
}

/* ---- the full record ---------------------------------------------------- */

static void *grow(void *a, size_t n, size_t sz)
{
	return realloc(a, (n + 1) * sz);
}

/* The texts of rec copied into the arena. */
static void own_texts(ob_arena *a, const ob_field *fields, void *rec)
{
	for (const ob_field *f = fields; f->name; f++)
		if (f->kind == OB_FIELD_TEXT)
			*ob_field_text_at(f, rec) = ob_arena_strdup(a, ob_field_text(f, rec));
}

/* Appends column 0 of every row of sql ($1 the study) to *list. */
static int read_words(const ob_ctx *cx, const char *sql, int64_t id, ob_study_full *f,
                      const char ***list, size_t *n)
{
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, id);
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		const char **a = grow(*list, *n, sizeof *a);
		if (!a) {
			rc = ob_error_set(OB_ERROR, "study: out of memory");
			break;
		}
		*list = a;
		a[(*n)++] = ob_arena_strdup(&f->texts, ob_stmt_text(s, 0));
	}
	ob_stmt_reset(s);
	return rc < 0 ? rc : 0;
}

static int read_events(const ob_ctx *cx, int64_t id, ob_study_full *f)
{
	static const char *const events =
		"SELECT e.id" OB_STUDY_EVENT_FIELDS(OB_RECORD_SQL)
		" FROM study_event e JOIN study y ON y.id = e.study_id WHERE e.study_id = $1"
		" ORDER BY e.position, e.id";
	static const char *const reqs =
		"SELECT q.id" OB_STUDY_REQ_FIELDS(OB_RECORD_SQL)
		" FROM study_requirement q JOIN study_event e ON e.id = q.event_id"
		" JOIN study y ON y.id = e.study_id WHERE q.event_id = $1 ORDER BY q.id";
	int64_t *ids = NULL;
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, events, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, id);
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		ob_study_event_full *a = grow(f->events, f->nevents, sizeof *a);
		int64_t *b = grow(ids, f->nevents, sizeof *b);
		if (b)
			ids = b;
		if (a)
			f->events = a;
		if (!a || !b) {
			rc = ob_error_set(OB_ERROR, "study: out of memory");
			break;
		}
		memset(&a[f->nevents], 0, sizeof *a);
		ids[f->nevents] = ob_stmt_int(s, 0);
		ob_record_read(ob_study_event_fields, s, 1, &a[f->nevents].r);
		own_texts(&f->texts, ob_study_event_fields, &a[f->nevents].r);
		f->nevents++;
	}
	ob_stmt_reset(s);
	for (size_t i = 0; rc >= 0 && i < f->nevents; i++) {
		ob_study_event_full *e = &f->events[i];
		if ((rc = ob_store_prepare(cx->st, reqs, &s)) < 0)
			break;
		ob_stmt_bind_int(s, 1, ids[i]);
		while ((rc = ob_stmt_step(s)) == OB_ROW) {
			ob_study_req_record *a = grow(e->reqs, e->nreqs, sizeof *a);
			if (!a) {
				rc = ob_error_set(OB_ERROR, "study: out of memory");
				break;
			}
			e->reqs = a;
			ob_record_read(ob_study_req_fields, s, 1, &a[e->nreqs]);
			own_texts(&f->texts, ob_study_req_fields, &a[e->nreqs]);
			e->nreqs++;
		}
		ob_stmt_reset(s);
	}
	free(ids);
	return rc < 0 ? rc : 0;
}

static int read_members(const ob_ctx *cx, int64_t id, ob_study_full *f)
{
	static const char *const sql =
		"SELECT u.username, m.role FROM study_member m JOIN app_user u ON u.id = m.user_id"
		" WHERE m.study_id = $1 ORDER BY u.username";
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, id);
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		ob_study_member *a = grow(f->members, f->nmembers, sizeof *a);
		if (!a) {
			rc = ob_error_set(OB_ERROR, "study: out of memory");
			break;
		}
		f->members = a;
		a[f->nmembers].user = ob_arena_strdup(&f->texts, ob_stmt_text(s, 0));
		a[f->nmembers].role = ob_arena_strdup(&f->texts, ob_stmt_text(s, 1));
		f->nmembers++;
	}
	ob_stmt_reset(s);
	return rc < 0 ? rc : 0;
}

static int full_read(const ob_ctx *cx, int64_t id, ob_study_full *f)
{
	static const char *const one =
		"SELECT y.id" OB_STUDY_FIELDS(OB_RECORD_SQL)
		", (SELECT COUNT(*) FROM study_participant p WHERE p.study_id = y.id)"
		" FROM study y LEFT JOIN app_user u ON u.id = y.pi_user_id WHERE y.id = $1";
	static const char *const sites =
		"SELECT s.code FROM study_site x JOIN site s ON s.id = x.site_id"
		" WHERE x.study_id = $1 ORDER BY s.code";
	static const char *const forms =
		"SELECT c.version FROM study_form x JOIN consent_form c ON c.id = x.form_id"
		" WHERE x.study_id = $1 ORDER BY c.version";
	enum { NF = 0 OB_STUDY_FIELDS(OB_RECORD_COUNT) };
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, one, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, id);
	if ((rc = ob_stmt_step(s)) == OB_ROW) {
		ob_record_read(ob_study_fields, s, 1, &f->r);
		own_texts(&f->texts, ob_study_fields, &f->r);
		f->participants = ob_stmt_int(s, 1 + NF);
		rc = 0;
	} else if (rc == 0) {
		rc = ob_error_set(OB_ENOTFOUND, "study: no study %lld", (long long)id);
	}
	ob_stmt_reset(s);
	if (rc < 0 || (rc = read_words(cx, sites, id, f, &f->sites, &f->nsites)) < 0
	    || (rc = read_words(cx, forms, id, f, &f->forms, &f->nforms)) < 0
	    || (rc = read_events(cx, id, f)) < 0 || (rc = read_members(cx, id, f)) < 0)
		return rc;
	return f->texts.failed ? ob_error_set(OB_ERROR, "study: out of memory") : 0;
}

void ob_study_full_free(ob_study_full *f)
{
	for (size_t i = 0; i < f->nevents; i++)
		free(f->events[i].reqs);
	free(f->events);
	free(f->sites);
	free(f->forms);
	free(f->members);
	ob_arena_free(&f->texts);
	memset(f, 0, sizeof *f);
}

/* Reads study id into f (cleared first) inside the caller's snapshot. */
static int read_id(const ob_ctx *cx, int64_t id, ob_study_full *f)
{
	int rc;

	memset(f, 0, sizeof *f);
	ob_record_init(ob_study_fields, &f->r);
	if ((rc = full_read(cx, id, f)) < 0)
		ob_study_full_free(f);
	return rc;
}

int ob_study_read(const ob_ctx *cx, const char *code, ob_study_full *f)
{
	int64_t id;
	int rc;

	memset(f, 0, sizeof *f);
	ob_record_init(ob_study_fields, &f->r);
	if ((rc = ob_store_begin_read(cx->st)) < 0)
		return rc;
	if ((rc = ob_study_lookup(cx, OB_ACT_READ, "study", code, &id, NULL, 0)) == 0)
		rc = read_id(cx, id, f);
	if (rc < 0) {
		ob_store_rollback(cx->st);
		return rc;
	}
	if ((rc = ob_store_commit(cx->st)) < 0)
		ob_study_full_free(f);
	return rc;
}

int ob_study_list(const ob_ctx *cx, ob_study_cb cb, void *arg)
{
	static const char *const all = "SELECT id, code FROM study ORDER BY code";
	static const char *const mine =
		"SELECT y.id, y.code FROM study y JOIN study_member m ON m.study_id = y.id"
		" JOIN app_user u ON u.id = m.user_id WHERE u.username = $1 ORDER BY y.code";
	bool study_only = ob_access_study_only(cx);
	int64_t *ids = NULL;
	size_t n = 0;
	ob_stmt *s;
	int rc;

	if (!study_only && (rc = ob_access_check(cx, OB_ACT_READ, NULL)) < 0)
		return rc;
	if ((rc = ob_store_begin_read(cx->st)) < 0)
		return rc;
	if ((rc = ob_store_prepare(cx->st, study_only ? mine : all, &s)) < 0)
		goto out;
	if (study_only)
		ob_stmt_bind_text(s, 1, cx->actor ? cx->actor : "");
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		int64_t *a = grow(ids, n, sizeof *a);
		if (!a) {
			rc = ob_error_set(OB_ERROR, "study: out of memory");
			break;
		}
		ids = a;
		ids[n++] = ob_stmt_int(s, 0);
	}
	ob_stmt_reset(s);
	for (size_t i = 0; rc >= 0 && i < n; i++) {
		ob_study_full f;
		if ((rc = read_id(cx, ids[i], &f)) < 0)
			break;
		rc = cb(&f, arg);
		ob_study_full_free(&f);
		if (rc != 0)
			break;
	}
out:
	free(ids);
	if (rc < 0) {
		ob_store_rollback(cx->st);
		return rc;
	}
	ob_store_commit(cx->st);
	return rc > OB_ROW ? rc : 0;
}

/* ---- participants --------------------------------------------------------- */

int ob_study_participants(const ob_ctx *cx, const char *study, ob_study_participant_cb cb,
                          void *arg)
{
	static const char *const sql =
		"SELECT p.id" OB_STUDY_PARTICIPANT_FIELDS(OB_RECORD_SQL) ", d.withdrawn, st.path"
		" FROM study_participant p JOIN study y ON y.id = p.study_id"
		" JOIN donor d ON d.id = p.donor_id JOIN site st ON st.id = p.site_id"
		" WHERE p.study_id = $1 ORDER BY p.ppid";
	enum { NF = 0 OB_STUDY_PARTICIPANT_FIELDS(OB_RECORD_COUNT) };
	ob_study_participant p;
	int64_t id;
	ob_stmt *s;
	int rc;

	if ((rc = ob_study_lookup(cx, OB_ACT_READ, "study", study, &id, NULL, 0)) < 0)
		return rc;
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, id);
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		if (!participant_visible(cx, ob_stmt_text(s, 2 + NF)))
			continue;
		ob_record_read(ob_study_participant_fields, s, 1, &p.r);
		p.withdrawn = ob_stmt_int(s, 1 + NF) != 0;
		if ((rc = cb(&p, arg)) != 0)
			break;
	}
	ob_stmt_reset(s);
	return rc < 0 || rc > OB_ROW ? rc : 0;
}

/* ---- the worklist --------------------------------------------------------- */

/* The site named to narrow a study's lists: its id (0: none named). A
 * reader names a site of their scope (scope.h: another is refused
 * openly); a study researcher, who reads no site, any site of the study's,
 * whose rows are theirs to see. */
static int narrow_site(const ob_ctx *cx, const char *site, int64_t *id)
{
	*id = 0;
	if (!site || !*site)
		return 0;
	if (!ob_access_study_only(cx))
		return ob_scope_site(cx, OB_ACT_READ, "site", site, id, NULL);
	if (ob_site_lookup(cx, site, id, NULL) < 0)
		return ob_error_set(OB_ENOTFOUND, "site: no site has code '%s'", site);
	return 0;
}

/* day days after the day enrolled into out. */
static void due_day(const char *enrolled, int64_t day, char *out, size_t n)
{
	char t[OB_TIME_LEN];
	time_t e;

	if (ob_time_parse(enrolled, NULL, &e) < 0) {
		ob_strlcpy(out, enrolled, n);
		return;
	}
	ob_time_format(e + (time_t)day * 86400, t);
	ob_strlcpy(out, t, n);
}

int ob_study_worklist(const ob_ctx *cx, const char *study, const char *site, const char *event,
                      ob_study_due_cb cb, void *arg)
{
	/* A specimen counts for a requirement when collected for it, or at its
	 * event, of its type, without naming a requirement; primary specimens
	 * only (an aliquot is not a new collection). */
	static const char *const sql =
		"SELECT p.ppid, st.code, d.code, e.code, e.label, p.enrolled_on, e.day, q.code,"
		" q.type, q.count, (SELECT COUNT(*) FROM specimen s WHERE s.donor_id = p.donor_id"
		" AND s.study_id = p.study_id AND s.lineage = 'primary' AND (s.requirement_id = q.id"
		" OR (s.requirement_id IS NULL AND s.event_id = e.id AND s.type = q.type))),"
		" q.quantity, q.unit, q.processing, st.path"
		" FROM study_participant p JOIN donor d ON d.id = p.donor_id"
		" JOIN site st ON st.id = p.site_id JOIN study_event e ON e.study_id = p.study_id"
		" JOIN study_requirement q ON q.event_id = e.id"
		" WHERE p.study_id = $1 AND d.withdrawn = 0 AND ($2 = 0 OR p.site_id = $2)"
		" AND ($3 = 0 OR e.id = $3) ORDER BY p.ppid, e.position, e.id, q.id";
	int64_t id, site_id, event_id = 0;
	ob_study_due d;
	ob_stmt *s;
	int rc;

	if ((rc = ob_study_lookup(cx, OB_ACT_READ, "study", study, &id, NULL, 0)) < 0
	    || (rc = narrow_site(cx, site, &site_id)) < 0)
		return rc;
	if (event && *event && (rc = ob_study_event_find(cx, id, event, &event_id)) < 0)
		return rc;
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, id);
	ob_stmt_bind_int(s, 2, site_id);
	ob_stmt_bind_int(s, 3, event_id);
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		if (!participant_visible(cx, ob_stmt_text(s, 14)))
			continue;
		d.expected = ob_stmt_int(s, 9);
		d.collected = ob_stmt_int(s, 10);
		d.missing = d.expected - d.collected;
		if (d.missing <= 0)
			continue;
		d.ppid = ob_stmt_text(s, 0);
		d.site = ob_stmt_text(s, 1);
		d.donor = ob_stmt_text(s, 2);
		d.event = ob_stmt_text(s, 3);
		d.event_label = ob_stmt_text(s, 4);
		due_day(ob_stmt_text(s, 5), ob_stmt_int(s, 6), d.due_on, sizeof d.due_on);
		d.requirement = ob_stmt_text(s, 7);
		d.type = ob_stmt_text(s, 8);
		d.quantity = ob_stmt_double(s, 11);
		d.unit = ob_stmt_text(s, 12);
		d.processing = ob_stmt_text(s, 13);
		if ((rc = cb(&d, arg)) != 0)
			break;
	}
	ob_stmt_reset(s);
	return rc < 0 || rc > OB_ROW ? rc : 0;
}

/* ---- accrual -------------------------------------------------------------- */

int ob_study_accrual(const ob_ctx *cx, const char *study, int64_t *enrolled,
                     ob_study_accrual_cb cb, void *arg)
{
	static const char *const count =
		"SELECT st.path FROM study_participant p JOIN site st ON st.id = p.site_id"
		" WHERE p.study_id = $1";
	/* per site and event: the participants times the event's requirement
	 * counts, and the primary specimens collected at the event from the
	 * site's participants */
	static const char *const rows =
		"SELECT st.code, st.path, e.code, COUNT(*) * (SELECT COALESCE(SUM(q.count), 0)"
		" FROM study_requirement q WHERE q.event_id = e.id),"
		" (SELECT COUNT(*) FROM specimen s JOIN study_participant x"
		" ON x.donor_id = s.donor_id AND x.study_id = s.study_id"
		" WHERE s.study_id = $1 AND s.event_id = e.id AND s.lineage = 'primary'"
		" AND x.site_id = st.id)"
		" FROM study_participant p JOIN site st ON st.id = p.site_id"
		" JOIN study_event e ON e.study_id = p.study_id WHERE p.study_id = $1"
		" GROUP BY st.id, st.code, st.path, e.id, e.code, e.position"
		" ORDER BY st.code, e.position, e.id";
	ob_study_accrual_row r;
	int64_t id;
	ob_stmt *s;
	int rc;

	*enrolled = 0;
	if ((rc = ob_study_lookup(cx, OB_ACT_READ, "study", study, &id, NULL, 0)) < 0)
		return rc;
	if ((rc = ob_store_prepare(cx->st, count, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, id);
	while ((rc = ob_stmt_step(s)) == OB_ROW)
		*enrolled += participant_visible(cx, ob_stmt_text(s, 0));
	ob_stmt_reset(s);
	if (rc < 0 || (rc = ob_store_prepare(cx->st, rows, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, id);
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		if (!participant_visible(cx, ob_stmt_text(s, 1)))
			continue;
		r.site = ob_stmt_text(s, 0);
		r.event = ob_stmt_text(s, 2);
		r.planned = ob_stmt_int(s, 3);
		r.collected = ob_stmt_int(s, 4);
		if ((rc = cb(&r, arg)) != 0)
			break;
	}
	ob_stmt_reset(s);
	return rc < 0 || rc > OB_ROW ? rc : 0;
}

int ob_study_changes(const ob_ctx *cx, const char *code, ob_audit_change_cb cb, void *arg)
{
	int64_t id;
	int rc;

	if ((rc = ob_study_lookup(cx, OB_ACT_READ, "code", code, &id, NULL, 0)) < 0)
		return rc;
	return ob_audit_changes(cx, "study", id, NULL, cb, arg);
}
