/*
 * donor.c - donors and diagnoses (see donor.h; consents are in consent.c).
 */
#include "bank/donor.h"
#include "bank/access.h"
#include "bank/scope.h"
#include "bank/site.h"
#include "base/error.h"
#include "base/util.h"
#include "store/store.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DONOR_COLS \
	"SELECT d.id" OB_DONOR_FIELDS(OB_RECORD_SQL) \
	" FROM donor d JOIN site s ON s.id = d.site_id"
#define DIAGNOSIS_COLS \
	"SELECT g.id" OB_DIAGNOSIS_FIELDS(OB_RECORD_SQL) \
	" FROM diagnosis g JOIN donor d ON d.id = g.donor_id JOIN site s ON s.id = d.site_id"

#define ENTRY(name, kind, sql, flags) OB_RECORD_ENTRY(ob_donor_record, name, kind, flags)
const ob_field ob_donor_fields[] = { OB_DONOR_FIELDS(ENTRY) OB_RECORD_END };
#undef ENTRY
#define ENTRY(name, kind, sql, flags) OB_RECORD_ENTRY(ob_diagnosis_record, name, kind, flags)
const ob_field ob_diagnosis_fields[] = { OB_DIAGNOSIS_FIELDS(ENTRY) OB_RECORD_END };
#undef ENTRY

static const char *const donor_one_sql = DONOR_COLS " WHERE d.id = $1";
static const char *const diagnosis_one_sql = DIAGNOSIS_COLS " WHERE g.id = $1";

const ob_audit_entity ob_donor_audit = { "donor", donor_one_sql, DONOR_COLS " ORDER BY d.id" };

const ob_audit_entity ob_diagnosis_audit = { "diagnosis", diagnosis_one_sql,
	DIAGNOSIS_COLS " ORDER BY g.id" };

static const char *sex_word(const char *s)
{
	if (!s || !*s)
		return "unknown";
	if (ob_streq_ci(s, "f") || ob_streq_ci(s, "female"))
		return "female";
	if (ob_streq_ci(s, "m") || ob_streq_ci(s, "male"))
		return "male";
	if (ob_streq_ci(s, "o") || ob_streq_ci(s, "other"))
		return "other";
	if (ob_streq_ci(s, "u") || ob_streq_ci(s, "unknown") || ob_streq_ci(s, "not specified")
	    || ob_streq_ci(s, "unspecified"))
		return "unknown";
	return NULL;
}

static int code_check(const char *code)
{
	size_t n = code ? strlen(code) : 0;

	if (n == 0 || n > 64)
		return ob_error_set(OB_EINVALID, "donor: a donor code is 1 to 64 characters");
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)code[i]) && !strchr("-_.", code[i]))
			return ob_error_set(OB_EINVALID, "donor: '%s' may hold only letters, digits,"
				" '-', '_' and '.'", code);
	return 0;
}

/* By site and code, always within the caller's read scope (scope.h). */
int ob_donor_find(const ob_ctx *cx, const char *site, const char *code, int64_t *id,
                  bool *withdrawn)
{
	return ob_scope_donor(cx, OB_ACT_READ, "site", site, code, id, withdrawn);
}

/* The year of a normalised date ("2024-03-01..."). */
static int64_t year_of(const char *day)
{
	return (day[0] - '0') * 1000 + (day[1] - '0') * 100 + (day[2] - '0') * 10 + (day[3] - '0');
}

int ob_donor_date_check(const ob_ctx *cx, int64_t donor_id, const char *field, const char *day)
{
	static const char *const sql = "SELECT birth_year FROM donor WHERE id = $1";
	int64_t year = 0;
	ob_stmt *s;
	int rc;

	if ((rc = ob_time_check_past(field, day)) < 0)
		return rc;
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	if ((rc = ob_stmt_bind_int(s, 1, donor_id)) == 0 && (rc = ob_stmt_step(s)) == OB_ROW
	    && !ob_stmt_is_null(s, 0))
		year = ob_stmt_int(s, 0);
	ob_stmt_reset(s);
	if (rc < 0)
		return rc;
	if (year > 0 && year_of(day) < year)
		return ob_error_set(OB_EINVALID, "%s: %.10s is before the donor's birth (%lld)", field,
			day, (long long)year);
	return 0;
}

int ob_donor_lookup(const ob_ctx *cx, const char *site, const char *code, int64_t *id)
{
	return ob_donor_find(cx, site, code, id, NULL);
}

int ob_donor_add(const ob_ctx *cx, const char *site, const char *code, const char *sex,
                 int birth_year, int64_t *id_out)
{
	static const char *const ins =
		"INSERT INTO donor (site_id, code, sex, birth_year) VALUES ($1, $2, $3, $4) RETURNING id";
	const char *sx = sex_word(sex);
	char jan1[OB_TIME_LEN + 8];
	int64_t site_id, id = 0;
	ob_stmt *s;
	int rc;

	if ((rc = code_check(code)) < 0)
		return rc;
	if (!sx)
		return ob_error_set(OB_EINVALID, "sex: '%s' is not female, male, other or unknown", sex);
	snprintf(jan1, sizeof jan1, "%04d-01-01T00:00:00Z", birth_year);
	if (birth_year && (birth_year < 1880 || birth_year > 2200
			   || ob_time_check_past("birth_year", jan1) < 0))
		return ob_error_set(OB_EINVALID, "birth_year: %d is not a plausible year (1880 to"
			" this year)", birth_year);
	if ((rc = ob_store_begin(cx->st)) < 0)
		return rc;
	if ((rc = ob_scope_site(cx, OB_ACT_DONOR, "site", site, &site_id, NULL)) < 0)
		goto out;
	if ((rc = ob_store_prepare(cx->st, ins, &s)) < 0)
		goto out;
	ob_stmt_bind_int(s, 1, site_id);
	ob_stmt_bind_text(s, 2, code);
	ob_stmt_bind_text(s, 3, sx);
	if (birth_year)
		ob_stmt_bind_int(s, 4, birth_year);
	rc = ob_stmt_step(s);
	if (rc == OB_ROW) {
		id = ob_stmt_int(s, 0);
		rc = 0;
	}
	ob_stmt_reset(s);
	if (rc == OB_EEXISTS)
		rc = ob_error_set(OB_EEXISTS, "donor: '%s' exists already at site '%s'", code, site);
	if (rc == 0)
		rc = ob_audit_record(cx, &ob_donor_audit, "create", id, code, NULL);
out:
	if (rc < 0) {
		ob_store_rollback(cx->st);
		return rc;
	}
	if (id_out)
		*id_out = id;
	return ob_store_commit(cx->st);
}

int ob_icdo3_topography_check(const char *c)
{
	/* C00.0 - C80.9: 'C', two digits, '.', one digit (the dot is optional). */
	if (c && c[0] == 'C' && isdigit((unsigned char)c[1]) && isdigit((unsigned char)c[2])) {
		const char *d = c[3] == '.' ? c + 4 : c + 3;
		int major = (c[1] - '0') * 10 + (c[2] - '0');
		if (major <= 80 && isdigit((unsigned char)d[0]) && d[1] == '\0')
			return 0;
	}
	return ob_error_set(OB_EINVALID, "topography: '%s' is not an ICD-O-3 topography code"
		" (C00.0 to C80.9, e.g. C50.9)", c ? c : "");
}

int ob_icdo3_morphology_check(const char *c)
{
	/* 8000/0 - 9999/9: four digits, '/', behaviour 0, 1, 2, 3, 6 or 9. */
	if (c && strlen(c) == 6 && c[4] == '/' && strchr("012369", c[5]) && c[5]) {
		int ok = 1;
		for (int i = 0; i < 4; i++)
			ok &= isdigit((unsigned char)c[i]) != 0;
		if (ok && c[0] >= '8')
			return 0;
	}
	return ob_error_set(OB_EINVALID, "morphology: '%s' is not an ICD-O-3 morphology code"
		" (8000/0 to 9999/9 with behaviour 0, 1, 2, 3, 6 or 9, e.g. 8500/3)", c ? c : "");
}

static int normalise_topography(const char *in, char out[8])
{
	if (ob_icdo3_topography_check(in) < 0)
		return OB_EINVALID;
	if (in[3] == '.')
		ob_strlcpy(out, in, 8);
	else
		snprintf(out, 8, "%.3s.%c", in, in[3]);
	return 0;
}

int ob_donor_diagnose(const ob_ctx *cx, const char *site, const char *donor,
                      const char *topography, const char *morphology, const char *date)
{
	static const char *const ins =
		"INSERT INTO diagnosis (donor_id, topography, morphology, diagnosed_on)"
		" VALUES ($1, $2, $3, $4) RETURNING id";
	char topo[8], day[OB_TIME_LEN];
	int64_t donor_id, id = 0;
	ob_stmt *s;
	int rc;

	if ((rc = normalise_topography(topography, topo)) < 0
	    || (rc = ob_icdo3_morphology_check(morphology)) < 0)
		return rc;
	if (date && *date && ob_time_parse(date, day, NULL) < 0)
		return ob_error_set(OB_EINVALID, "date: '%s' is not an ISO 8601 date", date);
	if ((rc = ob_store_begin(cx->st)) < 0)
		return rc;
	if ((rc = ob_scope_donor(cx, OB_ACT_DIAGNOSIS, "site", site, donor, &donor_id, NULL)) < 0
	    || (date && *date && (rc = ob_donor_date_check(cx, donor_id, "date", day)) < 0))
		goto out;
	if ((rc = ob_store_prepare(cx->st, ins, &s)) < 0)
		goto out;
	ob_stmt_bind_int(s, 1, donor_id);
	ob_stmt_bind_text(s, 2, topo);
	ob_stmt_bind_text(s, 3, morphology);
	ob_stmt_bind_text(s, 4, date && *date ? day : NULL);
	rc = ob_stmt_step(s);
	if (rc == OB_ROW) {
		id = ob_stmt_int(s, 0);
		rc = 0;
	}
	ob_stmt_reset(s);
	if (rc == 0)
		rc = ob_audit_record(cx, &ob_diagnosis_audit, "create", id, donor, NULL);
out:
	if (rc < 0) {
		ob_store_rollback(cx->st);
		return rc;
	}
	return ob_store_commit(cx->st);
}

void ob_donor_full_free(ob_donor_full *f)
{
	ob_record_release(ob_donor_fields, &f->r);
	for (size_t i = 0; i < f->ndiagnoses; i++)
		ob_record_release(ob_diagnosis_fields, &f->diagnoses[i].r);
	ob_consent_records_free(f->consents, f->nconsents);
	free(f->diagnoses);
	memset(f, 0, sizeof *f);
	ob_record_init(ob_donor_fields, &f->r);
}

static int read_diagnoses(const ob_ctx *cx, int64_t donor_id, ob_donor_full *f)
{
	static const char *const sql = DIAGNOSIS_COLS " WHERE g.donor_id = $1 ORDER BY g.id";
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, donor_id);
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		ob_donor_diagnosis *nv = realloc(f->diagnoses, (f->ndiagnoses + 1) * sizeof *nv);
		if (!nv) {
			rc = ob_error_set(OB_ERROR, "donor: out of memory");
			break;
		}
		f->diagnoses = nv;
		nv[f->ndiagnoses].id = ob_stmt_int(s, 0);
		ob_record_read(ob_diagnosis_fields, s, 1, &nv[f->ndiagnoses].r);
		if ((rc = ob_record_own(ob_diagnosis_fields, &nv[f->ndiagnoses].r)) < 0)
			break;
		f->ndiagnoses++;
	}
	ob_stmt_reset(s);
	return rc;
}

int ob_donor_full_read(const ob_ctx *cx, const char *site, const char *code, ob_donor_full *f)
{
	int64_t id;
	int rc, c;

	memset(f, 0, sizeof *f);
	ob_record_init(ob_donor_fields, &f->r);
	if ((rc = ob_store_begin_read(cx->st)) < 0)
		return rc;
	if ((rc = ob_scope_donor(cx, OB_ACT_READ, "site", site, code, &id, NULL)) == 0
	    && (rc = ob_record_load(cx, donor_one_sql, ob_donor_fields, id, &f->r)) == 0
	    && (rc = read_diagnoses(cx, id, f)) == 0)
		rc = ob_consent_read_donor(cx, id, &f->consents, &f->nconsents);
	/* a read ends in a commit: a rollback would doom a caller's transaction */
	c = ob_store_commit(cx->st);
	if (rc == 0)
		rc = c;
	if (rc < 0)
		ob_donor_full_free(f);
	return rc;
}

int ob_donor_list(const ob_ctx *cx, const char *under, ob_donor_cb cb, void *arg)
{
	static const char *const sql = DONOR_COLS
		" WHERE $1 IS NULL OR substr(s.path, 1, length($1)) = $1 ORDER BY s.code, d.code";
	const char *scope = ob_access_read_scope(cx);
	char path[OB_SCOPE_PATH_MAX];
	ob_donor_record r;
	ob_stmt *s;
	int rc;

	if (under && (rc = ob_scope_site(cx, OB_ACT_READ, "site", under, NULL, path)) < 0)
		return rc;
	if (!under && scope) {
		/* a user's list is their part of the network */
		ob_strlcpy(path, scope, sizeof path);
		under = path;
	}
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_text(s, 1, under ? path : NULL);
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		ob_record_read(ob_donor_fields, s, 1, &r);
		if ((rc = cb(&r, arg)) != 0)
			break;
	}
	ob_stmt_reset(s);
	return rc < 0 || rc > OB_ROW ? rc : 0;
}

/* ---- corrections -------------------------------------------------------- */

static int donor_check(const ob_field *f, void *rec, void *arg)
{
	ob_donor_record *r = rec;
	char jan1[OB_TIME_LEN + 8];

	(void)arg;
	if (!strcmp(f->name, "sex")) {
		const char *w = sex_word(r->sex);
		if (!w)
			return ob_error_set(OB_EINVALID, "sex: '%s' is not female, male, other or unknown",
				r->sex);
		r->sex = w;
	} else if (!strcmp(f->name, "birth_year") && r->birth_year) {
		snprintf(jan1, sizeof jan1, "%04lld-01-01T00:00:00Z",
			(long long)(r->birth_year > 0 && r->birth_year < 10000 ? r->birth_year : 0));
		if (r->birth_year < 1880 || r->birth_year > 2200
		    || ob_time_check_past("birth_year", jan1) < 0)
			return ob_error_set(OB_EINVALID, "birth_year: %lld is not a plausible year (1880"
				" to this year)", (long long)r->birth_year);
	}
	return 0;
}

/* A donor born in year keeps every dated record of theirs on or after it. */
static int birth_year_check(const ob_ctx *cx, int64_t donor_id, int64_t year)
{
	static const struct {
		const char *sql, *what;
	} dated[] = {
		{ "SELECT collected_at, barcode FROM specimen WHERE donor_id = $1 AND collected_at IS"
		  " NOT NULL ORDER BY collected_at LIMIT 1", "the collection of specimen" },
		{ "SELECT diagnosed_on, topography FROM diagnosis WHERE donor_id = $1 AND diagnosed_on"
		  " IS NOT NULL ORDER BY diagnosed_on LIMIT 1", "the diagnosis" },
		{ "SELECT signed_on, form_version FROM consent WHERE donor_id = $1 ORDER BY signed_on"
		  " LIMIT 1", "the consent signed on form" },
	};
	ob_stmt *s;
	int rc = 0;

	for (size_t i = 0; rc == 0 && year && i < sizeof dated / sizeof dated[0]; i++) {
		if ((rc = ob_store_prepare(cx->st, dated[i].sql, &s)) < 0)
			return rc;
		ob_stmt_bind_int(s, 1, donor_id);
		rc = ob_stmt_step(s);
		if (rc == OB_ROW) {
			const char *day = ob_stmt_text(s, 0);
			rc = strlen(day) >= 4 && year_of(day) < year
				? ob_error_set(OB_EINVALID, "birth_year: %lld is after %s %s (%.10s)",
					(long long)year, dated[i].what, ob_stmt_text(s, 1), day)
				: 0;
		}
		ob_stmt_reset(s);
	}
	return rc;
}

int ob_donor_correct(const ob_ctx *cx, const char *site, const char *code, const ob_change *ch,
                     size_t n, const char *reason)
{
	static const char *const upd = "UPDATE donor SET sex = $2, birth_year = $3 WHERE id = $1";
	ob_ctx why = *cx;
	ob_donor_record before, after;
	ob_buf enc = OB_BUF_INIT;
	int64_t id;
	ob_stmt *s;
	int rc;

	ob_record_init(ob_donor_fields, &before);
	why.reason = reason;
	if ((rc = ob_store_begin(cx->st)) < 0)
		return rc;
	if ((rc = ob_scope_donor(cx, OB_ACT_DONOR, "site", site, code, &id, NULL)) < 0
	    || (rc = ob_record_load(cx, donor_one_sql, ob_donor_fields, id, &before)) < 0)
		goto out;
	after = before;
	if ((rc = ob_record_change(ob_donor_fields, "donor", &before, &after, ch, n, reason,
			donor_check, NULL)) < 0
	    || (rc = birth_year_check(cx, id, after.birth_year)) < 0
	    || (rc = ob_audit_encode(cx, &ob_donor_audit, id, &enc)) < 0
	    || (rc = ob_store_prepare(cx->st, upd, &s)) < 0)
		goto out;
	ob_stmt_bind_int(s, 1, id);
	ob_stmt_bind_text(s, 2, after.sex);
	if (after.birth_year)
		ob_stmt_bind_int(s, 3, after.birth_year);
	else
		ob_stmt_bind_null(s, 3);
	if ((rc = ob_stmt_exec(s)) < 0)
		goto out;
	rc = ob_audit_record(&why, &ob_donor_audit, "correct", id, code, ob_buf_cstr(&enc));
out:
	ob_buf_dispose(&enc);
	ob_record_release(ob_donor_fields, &before);
	if (rc < 0) {
		ob_store_rollback(cx->st);
		return rc;
	}
	return ob_store_commit(cx->st);
}

struct diagnosis_fix {
	const ob_ctx *cx;
	int64_t donor_id;
	char topo[8];
	char day[OB_TIME_LEN];
};

static int diagnosis_check(const ob_field *f, void *rec, void *arg)
{
	ob_diagnosis_record *r = rec;
	struct diagnosis_fix *x = arg;
	int rc;

	if (!strcmp(f->name, "topography")) {
		if (!r->topography)
			return ob_error_set(OB_EINVALID, "topography: a diagnosis needs one");
		if ((rc = normalise_topography(r->topography, x->topo)) < 0)
			return rc;
		r->topography = x->topo;
	} else if (!strcmp(f->name, "morphology")) {
		if (!r->morphology)
			return ob_error_set(OB_EINVALID, "morphology: a diagnosis needs one");
		return ob_icdo3_morphology_check(r->morphology);
	} else if (!strcmp(f->name, "diagnosed_on") && r->diagnosed_on) {
		if (ob_time_parse(r->diagnosed_on, x->day, NULL) < 0)
			return ob_error_set(OB_EINVALID, "diagnosed_on: '%s' is not an ISO 8601 date",
				r->diagnosed_on);
		if ((rc = ob_donor_date_check(x->cx, x->donor_id, "diagnosed_on", x->day)) < 0)
			return rc;
		r->diagnosed_on = x->day;
	}
	return 0;
}

int ob_diagnosis_correct(const ob_ctx *cx, const char *site, const char *donor, int64_t id,
                         const ob_change *ch, size_t n, const char *reason)
{
	static const char *const owner = "SELECT donor_id FROM diagnosis WHERE id = $1";
	static const char *const upd =
		"UPDATE diagnosis SET topography = $2, morphology = $3, diagnosed_on = $4 WHERE id = $1";
	ob_ctx why = *cx;
	ob_diagnosis_record before, after;
	struct diagnosis_fix fix = { cx, 0, "", "" };
	ob_buf enc = OB_BUF_INIT;
	ob_stmt *s;
	int rc;

	ob_record_init(ob_diagnosis_fields, &before);
	why.reason = reason;
	if ((rc = ob_store_begin(cx->st)) < 0)
		return rc;
	if ((rc = ob_scope_donor(cx, OB_ACT_DIAGNOSIS, "site", site, donor, &fix.donor_id, NULL)) < 0
	    || (rc = ob_store_prepare(cx->st, owner, &s)) < 0)
		goto out;
	ob_stmt_bind_int(s, 1, id);
	rc = ob_stmt_step(s);
	rc = rc < 0 ? rc : rc == OB_ROW && ob_stmt_int(s, 0) == fix.donor_id ? 0
		: ob_error_set(OB_ENOTFOUND, "diagnosis: donor %s at %s has no diagnosis %lld", donor,
			site, (long long)id);
	ob_stmt_reset(s);
	if (rc < 0 || (rc = ob_record_load(cx, diagnosis_one_sql, ob_diagnosis_fields, id,
			&before)) < 0)
		goto out;
	after = before;
	if ((rc = ob_record_change(ob_diagnosis_fields, "diagnosis", &before, &after, ch, n, reason,
			diagnosis_check, &fix)) < 0
	    || (rc = ob_audit_encode(cx, &ob_diagnosis_audit, id, &enc)) < 0
	    || (rc = ob_store_prepare(cx->st, upd, &s)) < 0)
		goto out;
	ob_stmt_bind_int(s, 1, id);
	ob_stmt_bind_text(s, 2, after.topography);
	ob_stmt_bind_text(s, 3, after.morphology);
	ob_stmt_bind_text(s, 4, after.diagnosed_on);
	if ((rc = ob_stmt_exec(s)) < 0)
		goto out;
	rc = ob_audit_record(&why, &ob_diagnosis_audit, "correct", id, donor, ob_buf_cstr(&enc));
out:
	ob_buf_dispose(&enc);
	ob_record_release(ob_diagnosis_fields, &before);
	if (rc < 0) {
		ob_store_rollback(cx->st);
		return rc;
	}
	return ob_store_commit(cx->st);
}

int ob_donor_changes(const ob_ctx *cx, const char *site, const char *code,
                     ob_audit_change_cb cb, void *arg)
{
	int64_t id;
	int rc;

	if ((rc = ob_donor_lookup(cx, site, code, &id)) < 0)
		return rc;
	return ob_audit_changes(cx, "donor", id, NULL, cb, arg);
}
