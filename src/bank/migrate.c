/*
 * migrate.c - the code steps of schema migrations (store/migrations.h): a
 * migration that rewrites audited rows checks them against the audit trail
 * first and records what it changed in the trail after.
 */
#include "store/migrations.h"
#include "bank/audit.h"
#include "bank/consent.h"
#include "bank/donor.h"
#include "base/error.h"
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

/* ---- 010: consent as coded statements ----------------------------------- */

#define ACTOR_010 "migration 010"

/* The consent's canonical row before 010: the five flags as columns. */
#define CONSENT_009_COLS \
	"SELECT c.id, s.code AS site, d.code AS donor, c.form_version, c.signed_on, c.storage," \
	" c.research, c.genetic, c.sharing, c.recontact, c.withdrawn_on, c.withdrawn_by," \
	" c.withdrawal_reason FROM consent c JOIN donor d ON d.id = c.donor_id" \
	" JOIN site s ON s.id = d.site_id"
static const ob_audit_entity consent_009 = { "consent",
	CONSENT_009_COLS " WHERE c.id = $1", CONSENT_009_COLS " ORDER BY c.id" };

/* A tampered trail is not carried into the new form: the rewritten rows
 * would bless the altered values. */
static int before_010(ob_store *st)
{
	ob_ctx cx = { .st = st, .actor = ACTOR_010 };
	int64_t rows;
	int rc;

	if ((rc = ob_audit_verify_entity(&cx, &consent_009, &rows)) < 0)
		return ob_error_set(rc, "the consents do not match their audit trail, so they are"
			" not rewritten: %s", ob_error_last());
	return 0;
}

/* An id and the key its event names. */
struct keyed {
	int64_t id;
	char *key;
};

static void keyed_free(struct keyed *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].key);
	free(v);
}

/* The rows sql selects (id, key), read whole before events are written. */
static int keyed_rows(ob_store *st, const char *sql, struct keyed **out, size_t *n)
{
	struct keyed *v = NULL;
	ob_stmt *s;
	int rc;

	*n = 0;
	if ((rc = ob_store_prepare(st, sql, &s)) < 0)
		return rc;
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		struct keyed *nv = realloc(v, (*n + 1) * sizeof *nv);
		const char *k = ob_stmt_text(s, 1);
		if (!nv || !(nv[*n].key = strdup(k ? k : ""))) {
			v = nv ? nv : v;
			rc = ob_error_set(OB_ERROR, "out of memory");
			break;
		}
		v = nv;
		v[(*n)++].id = ob_stmt_int(s, 0);
	}
	ob_stmt_reset(s);
	if (rc < 0) {
		keyed_free(v, *n);
		return rc;
	}
	*out = v;
	return 0;
}

/* The latest audited row of entity id, into out ("" when none). */
static int latest_after(ob_store *st, const char *entity, int64_t id, ob_buf *out)
{
	static const char *const sql =
		"SELECT after FROM audit_event WHERE entity = $1 AND entity_id = $2"
		" ORDER BY seq DESC LIMIT 1";
	ob_stmt *s;
	int rc;

	ob_buf_clear(out);
	if ((rc = ob_store_prepare(st, sql, &s)) < 0)
		return rc;
	if ((rc = ob_stmt_bind_text(s, 1, entity)) == 0 && (rc = ob_stmt_bind_int(s, 2, id)) == 0
	    && (rc = ob_stmt_step(s)) == OB_ROW) {
		rc = ob_stmt_text(s, 0) ? ob_buf_puts(out, ob_stmt_text(s, 0)) : 0;
	}
	ob_stmt_reset(s);
	return rc < 0 ? rc : 0;
}

/* One event per row of sql: action, with the row's latest audited state
 * as before when with_before. */
static int audit_rows(const ob_ctx *cx, const char *sql, const ob_audit_entity *e,
                      const char *action, int with_before)
{
	ob_buf before = OB_BUF_INIT;
	struct keyed *v = NULL;
	size_t n;
	int rc;

	if ((rc = keyed_rows(cx->st, sql, &v, &n)) < 0)
		return rc;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		if (with_before && (rc = latest_after(cx->st, e->name, v[i].id, &before)) < 0)
			break;
		rc = ob_audit_record(cx, e, action, v[i].id, v[i].key,
			with_before && before.len ? ob_buf_cstr(&before) : NULL);
	}
	ob_buf_dispose(&before);
	keyed_free(v, n);
	return rc;
}

static int after_010(ob_store *st)
{
	ob_ctx cx = { .st = st, .actor = ACTOR_010 };
	int rc;

	/* the forms it made (a study's form of 009 was there before) */
	if ((rc = audit_rows(&cx, "SELECT f.id, f.version FROM consent_form f WHERE NOT EXISTS"
			" (SELECT 1 FROM audit_event a WHERE a.entity = 'consent_form'"
			" AND a.entity_id = f.id) ORDER BY f.id", &ob_consent_form_audit, "create",
			0)) < 0
	    || (rc = audit_rows(&cx, "SELECT id, code FROM consent_statement ORDER BY id",
			&ob_consent_statement_audit, "create", 0)) < 0
	    || (rc = audit_rows(&cx, "SELECT c.id, d.code FROM consent c JOIN donor d"
			" ON d.id = c.donor_id ORDER BY c.id", &ob_consent_audit, "migrate", 1)) < 0)
		return rc;
	return audit_rows(&cx, "SELECT r.id, d.code FROM consent_response r JOIN consent c"
		" ON c.id = r.consent_id JOIN donor d ON d.id = c.donor_id ORDER BY r.id",
		&ob_consent_response_audit, "create", 0);
}

/* ---- 012: the consent use transfer ------------------------------------- */

#define ACTOR_012 "migration 012"

/* The donors' masks are audited (donor.h): a donor altered behind the
 * trail's back would have its altered mask blessed by the migrate event. */
static int before_012(ob_store *st)
{
	ob_ctx cx = { .st = st, .actor = ACTOR_012 };
	int64_t rows;
	int rc;

	if ((rc = ob_audit_verify_entity(&cx, &ob_donor_audit, &rows)) < 0)
		return ob_error_set(rc, "the donors do not match their audit trail, so their consent"
			" uses are not rewritten: %s", ob_error_last());
	return 0;
}

/* One event per row of sql whose audited row now differs from its latest
 * event (before_012 found them all equal): action, with that event's row
 * as before. */
static int audit_changed(const ob_ctx *cx, const char *sql, const ob_audit_entity *e,
                         const char *action)
{
	ob_buf before = OB_BUF_INIT, now = OB_BUF_INIT;
	struct keyed *v = NULL;
	size_t n;
	int rc;

	if ((rc = keyed_rows(cx->st, sql, &v, &n)) < 0)
		return rc;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		if ((rc = latest_after(cx->st, e->name, v[i].id, &before)) < 0
		    || (rc = ob_audit_encode(cx, e, v[i].id, &now)) < 0)
			break;
		if (strcmp(ob_buf_cstr(&before), ob_buf_cstr(&now)))
			rc = ob_audit_record(cx, e, action, v[i].id, v[i].key,
				before.len ? ob_buf_cstr(&before) : NULL);
	}
	ob_buf_dispose(&before);
	ob_buf_dispose(&now);
	keyed_free(v, n);
	return rc;
}

static int after_012(ob_store *st)
{
	ob_ctx cx = { .st = st, .actor = ACTOR_012,
		.reason = "consent use transfer: a form without a transfer statement permits it"
			" with storage" };

	return audit_changed(&cx, "SELECT id, code FROM donor WHERE withdrawn = 0"
		" AND (consent_mask & 129) = 129 ORDER BY id", &ob_donor_audit, "migrate");
}

const ob_migration_step ob_migration_steps[] = {
	{ 10, before_010, after_010 },
	{ 12, before_012, after_012 },
	{ 0, NULL, NULL }
};
