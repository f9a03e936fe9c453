/*
 * specimen_correct.c - correcting what a person entered about a specimen,
 * with a reason (specimen.h, ob_specimen_correct; docs/specimens.md,
 * "Corrections").
 *
 * The corrected record is checked as a whole by the rules of creation
 * (specimen_rules.h), then against what depends on it: the lineage's
 * types, what its aliquots and derivatives already took, the donor's
 * dates. SPREC follows its inputs: recomputed from a corrected
 * pre-analytical record, and carried to the descendants that inherited it.
 */
#include "bank/specimen.h"
#include "bank/access.h"
#include "bank/barcode.h"
#include "bank/donor.h"
#include "bank/scope.h"
#include "bank/specimen_rules.h"
#include "base/error.h"
#include "base/util.h"
#include "store/store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Where a specimen stands: the ids its rules need. */
typedef struct standing {
	int64_t donor_id, parent_id, container_id;
	bool has_pre;
	char parent_type[32];
	int64_t children;        /* aliquots and derivatives taken from it */
} standing;

static int load_standing(const ob_ctx *cx, int64_t id, standing *st)
{
	static const char *const sql =
		"SELECT s.donor_id, s.parent_id, s.container_id,"
		" (SELECT COUNT(*) FROM preanalytics pa WHERE pa.specimen_id = s.id),"
		" p.type, (SELECT COUNT(*) FROM specimen c WHERE c.parent_id = s.id)"
		" FROM specimen s LEFT JOIN specimen p ON p.id = s.parent_id WHERE s.id = $1";
	ob_stmt *s;
	int rc;

	memset(st, 0, sizeof *st);
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, id);
	rc = ob_stmt_step(s);
	if (rc == OB_ROW) {
		st->donor_id = ob_stmt_int(s, 0);
		st->parent_id = ob_stmt_int(s, 1);
		st->container_id = ob_stmt_int(s, 2);
		st->has_pre = ob_stmt_int(s, 3) > 0;
		if (!ob_stmt_is_null(s, 4))
			ob_strlcpy(st->parent_type, ob_stmt_text(s, 4), sizeof st->parent_type);
		st->children = ob_stmt_int(s, 5);
		rc = 0;
	} else if (rc == 0) {
		rc = ob_error_set(OB_ENOTFOUND, "specimen %lld not found", (long long)id);
	}
	ob_stmt_reset(s);
	return rc;
}

/* What a pathologist may correct alone. */
static bool pathology_field(const char *name)
{
	return !strcmp(name, "pathology") || !strcmp(name, "tumour_pct")
	       || !strcmp(name, "anatomic_site");
}

/* Where a field that is not corrected here is changed. */
static const char *changed_by(const char *name)
{
	if (!strcmp(name, "status"))
		return "; change it with specimen status";
	if (!strcmp(name, "container") || !strcmp(name, "position"))
		return "; move the specimen with container move, which checks the position";
	if (!strcmp(name, "freeze_thaw"))
		return "; record a thaw with specimen thaw";
	return "";
}

/* A field that another command changes is named with it. */
static int check_correctable(const ob_change *ch, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const ob_field *f = ob_field_find(ob_specimen_fields, ch[i].field);
		if (f && !(f->flags & OB_F_FIX) && *changed_by(f->name))
			return ob_error_set(OB_EINVALID, "%s: is not correctable%s", f->name,
				changed_by(f->name));
	}
	return 0;
}

/* The quantities after a correction: what was taken from the specimen
 * (initial - left) stays taken, so a corrected initial quantity moves what
 * is left with it, and cannot fall below what its aliquots and
 * derivatives took. */
static int settle_quantities(const ob_specimen *old, ob_specimen *rec, const unsigned *named,
                             const standing *st)
{
	int qi = (int)(ob_field_find(ob_specimen_fields, "quantity") - ob_specimen_fields);
	int ii = (int)(ob_field_find(ob_specimen_fields, "initial_quantity") - ob_specimen_fields);
	int ui = (int)(ob_field_find(ob_specimen_fields, "unit") - ob_specimen_fields);
	double taken = !isnan(old->initial_quantity) && !isnan(old->quantity)
		? old->initial_quantity - old->quantity : 0;

	if (named[ui] && st->children && taken > 0 && !ob_field_same(&ob_specimen_fields[ui], old, rec))
		return ob_error_set(OB_ECONFLICT, "unit: %s already gave %g %s to its aliquots or"
			" derivatives; a new unit would misstate it (correct the quantities instead)",
			old->barcode, taken, old->unit ? old->unit : "");
	if (named[ii] && !named[qi] && !isnan(rec->initial_quantity))
		rec->quantity = rec->initial_quantity - taken;
	if (named[ii] && isnan(rec->initial_quantity) && !isnan(rec->quantity))
		return ob_error_set(OB_EINVALID, "initial_quantity: cannot be unknown while a quantity"
			" is recorded");
	if (named[ii] && !named[qi] && !isnan(rec->quantity) && rec->quantity < 0)
		return ob_error_set(OB_ECONFLICT, "initial_quantity: %g %s is less than the %g %s"
			" already taken from %s", rec->initial_quantity, rec->unit ? rec->unit : "", taken,
			rec->unit ? rec->unit : "", old->barcode);
	if (named[qi] && !named[ii] && !isnan(rec->quantity) && !isnan(rec->initial_quantity)
	    && rec->quantity > rec->initial_quantity)
		return ob_error_set(OB_EINVALID, "quantity: %g is more than the initial quantity %g;"
			" correct initial_quantity too", rec->quantity, rec->initial_quantity);
	return 0;
}

/* An aliquot has its parent's type and its aliquots have its own. */
static int check_lineage_types(const ob_ctx *cx, int64_t id, const ob_specimen *rec,
                               const standing *st)
{
	static const char *const sql =
		"SELECT barcode FROM specimen WHERE parent_id = $1 AND lineage = 'aliquot'"
		" AND type <> $2 ORDER BY id LIMIT 1";
	ob_stmt *s;
	int rc;

	if (!strcmp(rec->lineage, "aliquot") && st->parent_type[0]
	    && strcmp(st->parent_type, rec->type))
		return ob_error_set(OB_ECONFLICT, "type: %s is an aliquot of a %s specimen; an aliquot"
			" has its parent's type", rec->barcode, st->parent_type);
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, id);
	ob_stmt_bind_text(s, 2, rec->type);
	rc = ob_stmt_step(s);
	if (rc == OB_ROW)
		rc = ob_error_set(OB_ECONFLICT, "type: aliquot %s of %s has the type it had; an"
			" aliquot has its parent's type", ob_stmt_text(s, 0), rec->barcode);
	ob_stmt_reset(s);
	return rc;
}

static int write_record(const ob_ctx *cx, int64_t id, const ob_specimen *r)
{
	static const char *const sql =
		"UPDATE specimen SET label = $2, type = $3, anatomic_site = $4, pathology = $5,"
		" tumour_pct = $6, quantity = $7, initial_quantity = $8, unit = $9, collected_at = $10,"
		" sprec = $11, concentration = $12, a260_280 = $13, rin = $14, din = $15 WHERE id = $1";
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, id);
	ob_stmt_bind_text(s, 2, r->label);
	ob_stmt_bind_text(s, 3, r->type);
	ob_stmt_bind_text(s, 4, r->anatomic_site);
	ob_stmt_bind_text(s, 5, r->pathology);
	ob_stmt_bind_double_or_null(s, 6, r->tumour_pct);
	ob_stmt_bind_double_or_null(s, 7, r->quantity);
	ob_stmt_bind_double_or_null(s, 8, r->initial_quantity);
	ob_stmt_bind_text(s, 9, r->unit);
	ob_stmt_bind_text(s, 10, r->collected_at);
	ob_stmt_bind_text(s, 11, r->sprec);
	ob_stmt_bind_double_or_null(s, 12, r->concentration);
	ob_stmt_bind_double_or_null(s, 13, r->a260_280);
	ob_stmt_bind_double_or_null(s, 14, r->rin);
	ob_stmt_bind_double_or_null(s, 15, r->din);
	return ob_stmt_exec(s);
}

static int drop_pre(const ob_ctx *cx, int64_t id)
{
	static const char *const sql = "DELETE FROM preanalytics WHERE specimen_id = $1";
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, id);
	return ob_stmt_exec(s);
}

/* The descendants that carry the code they inherited (no pre-analytical
 * record of their own) take the corrected one, each with its own event. */
static int carry_sprec(const ob_ctx *cx, int64_t id, const char *from, const char *to,
                       const char *barcode)
{
	static const char *const sql =
		"WITH RECURSIVE down(id) AS (SELECT id FROM specimen WHERE parent_id = $1"
		" UNION ALL SELECT c.id FROM specimen c JOIN down ON c.parent_id = down.id)"
		" SELECT s.id, s.barcode FROM down JOIN specimen s ON s.id = down.id"
		" WHERE s.sprec = $2 AND NOT EXISTS (SELECT 1 FROM preanalytics pa"
		" WHERE pa.specimen_id = s.id) ORDER BY s.id";
	static const char *const upd = "UPDATE specimen SET sprec = $2 WHERE id = $1";
	struct heir {
		int64_t id;
		char barcode[OB_BARCODE_MAX];
	} *heirs = NULL, *more;
	size_t n = 0;
	ob_buf before = OB_BUF_INIT;
	char why[512];
	ob_ctx rcx = *cx;
	ob_stmt *s;
	int rc;

	if (!from || !to || !strcmp(from, to))
		return 0;
	/* collected first: the walk's statement is done before the updates */
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, id);
	ob_stmt_bind_text(s, 2, from);
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		if (!(more = realloc(heirs, (n + 1) * sizeof *heirs))) {
			rc = ob_error_set(OB_ERROR, "out of memory");
			break;
		}
		heirs = more;
		heirs[n].id = ob_stmt_int(s, 0);
		ob_strlcpy(heirs[n++].barcode, ob_stmt_text(s, 1), OB_BARCODE_MAX);
	}
	ob_stmt_reset(s);
	snprintf(why, sizeof why, "SPREC of %s corrected: %s", barcode, cx->reason ? cx->reason : "");
	rcx.reason = why;
	for (size_t i = 0; rc >= 0 && i < n; i++) {
		if ((rc = ob_audit_encode(cx, &ob_specimen_audit, heirs[i].id, &before)) < 0
		    || (rc = ob_store_prepare(cx->st, upd, &s)) < 0)
			break;
		ob_stmt_bind_int(s, 1, heirs[i].id);
		ob_stmt_bind_text(s, 2, to);
		if ((rc = ob_stmt_exec(s)) < 0)
			break;
		rc = ob_audit_record(&rcx, &ob_specimen_audit, "correct", heirs[i].id,
			heirs[i].barcode, ob_buf_cstr(&before));
	}
	ob_buf_dispose(&before);
	free(heirs);
	return rc < 0 ? rc : 0;
}

static int correct(const ob_ctx *cx, const char *barcode, const ob_change *ch, size_t n)
{
	unsigned named[OB_SPECIMEN_NFIELDS] = { 0 };
	ob_specimen old, rec;
	ob_specimen_new in;
	ob_preanalytics pre;
	ob_pre_text pt;
	standing st;
	ob_buf before = OB_BUF_INIT;
	char sprec[64], collected[OB_TIME_LEN];
	bool pathology_only = true, measured, pre_named = false;
	ob_action act;
	int64_t id;
	int rc;

	for (size_t i = 0; i < n; i++)
		if (!ch[i].field || !pathology_field(ch[i].field))
			pathology_only = false;
	act = pathology_only ? OB_ACT_PATHOLOGY : OB_ACT_SPECIMEN;
	if ((rc = ob_scope_specimen(cx, act, NULL, barcode, &id)) < 0)
		return rc;
	if ((rc = check_correctable(ch, n)) < 0)
		return rc;
	if ((rc = ob_record_load(cx, ob_specimen_audit.one_sql, ob_specimen_fields, id, &old)) < 0)
		return rc;
	old.id = id;
	if ((rc = load_standing(cx, id, &st)) < 0)
		goto out;
	rec = old;
	if ((rc = ob_record_change(ob_specimen_fields, "specimen", &old, &rec, ch, n, cx->reason,
			NULL, NULL)) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		const ob_field *f = ob_field_find(ob_specimen_fields, ch[i].field);
		named[f - ob_specimen_fields] = 1;
		if (f->flags & OB_F_PRE)
			pre_named = true;
	}
	if (pre_named && strcmp(rec.lineage, "primary")) {
		for (size_t i = 0; i < n; i++)
			if (ob_field_find(ob_specimen_fields, ch[i].field)->flags & OB_F_PRE) {
				rc = ob_error_set(OB_EINVALID, "%s: the pre-analytical record is the"
					" primary specimen's; correct it there", ch[i].field);
				break;
			}
		goto out;
	}
	if ((rc = settle_quantities(&old, &rec, named, &st)) < 0)
		goto out;
	/* the whole record by the rules of creation */
	memset(&in, 0, sizeof in);
	in.r = rec;
	in.r.barcode = NULL;  /* not corrected here: checked when it was made */
	if ((rc = ob_specimen_check_fields(&in)) < 0)
		goto out;
	if ((rc = check_lineage_types(cx, id, &rec, &st)) < 0)
		goto out;
	if (named[ob_field_find(ob_specimen_fields, "collected_at") - ob_specimen_fields]
	    && rec.collected_at) {
		if (ob_time_parse(rec.collected_at, collected, NULL) < 0) {
			rc = ob_error_set(OB_EINVALID, "collected_at: '%s' is not an ISO 8601 time"
				" (YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]Z)", rec.collected_at);
			goto out;
		}
		if ((rc = ob_donor_date_check(cx, st.donor_id, "collected_at", collected)) < 0)
			goto out;
		rec.collected_at = collected;
	}
	/* SPREC follows its inputs: a primary with measurements has it
	 * computed (a code given with the correction must agree). */
	measured = !strcmp(rec.lineage, "primary") && ob_specimen_has_measurements(&rec);
	if (measured) {
		if (!named[ob_field_find(ob_specimen_fields, "sprec") - ob_specimen_fields])
			rec.sprec = NULL;
		if ((rc = ob_specimen_pre_parse(&rec, &pre)) < 0)
			goto out;
	}
	if (measured || named[ob_field_find(ob_specimen_fields, "sprec") - ob_specimen_fields]) {
		if ((rc = ob_specimen_settle_sprec(cx, &rec, measured ? &pre : NULL, NULL,
				st.container_id, sprec)) < 0)
			goto out;
		rec.sprec = sprec[0] ? sprec : NULL;
	}
	if ((rc = ob_audit_encode(cx, &ob_specimen_audit, id, &before)) < 0
	    || (rc = write_record(cx, id, &rec)) < 0)
		goto out;
	if (pre_named) {
		if ((st.has_pre && (rc = drop_pre(cx, id)) < 0))
			goto out;
		if (measured) {
			ob_specimen_pre_store(&pre, &rec, &pt);
			if ((rc = ob_specimen_pre_insert(cx, id, &rec)) < 0)
				goto out;
		}
	}
	if ((rc = ob_audit_record(cx, &ob_specimen_audit, "correct", id, old.barcode,
			ob_buf_cstr(&before))) < 0)
		goto out;
	rc = carry_sprec(cx, id, old.sprec, rec.sprec, old.barcode);
out:
	ob_buf_dispose(&before);
	ob_record_release(ob_specimen_fields, &old);
	return rc;
}

int ob_specimen_correct(const ob_ctx *cx, const char *barcode, const ob_change *ch, size_t n,
                        const char *reason)
{
	ob_ctx rcx = *cx;
	int rc;

	/* a reason of blanks is none (ob_record_change checks the rest) */
	if (!reason || strspn(reason, " \t\r\n") == strlen(reason))
		return ob_error_set(OB_EINVALID, "reason: a correction needs a reason");
	rcx.reason = reason;
	if ((rc = ob_store_begin(cx->st)) < 0)
		return rc;
	if ((rc = correct(&rcx, barcode, ch, n)) < 0) {
		ob_store_rollback(cx->st);
		return rc;
	}
	return ob_store_commit(cx->st);
}
