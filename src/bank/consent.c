/*
 * consent.c - consent forms, their coded statements, donors' signed
 * consents and withdrawals (see consent.h, docs/consent.md).
 */
#include "bank/consent.h"
#include "bank/access.h"
#include "bank/donor.h"
#include "bank/fields.h"
#include "bank/scope.h"
#include "bank/specimen.h"
#include "base/error.h"
#include "base/util.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONSENT_COLS \
	"SELECT c.id, s.code AS site, d.code AS donor, c.form_version, c.signed_on, c.witness," \
	" c.recorded_by, c.withdrawn_on, c.withdrawn_by, c.withdrawal_reason, c.disposition" \
	" FROM consent c JOIN donor d ON d.id = c.donor_id JOIN site s ON s.id = d.site_id"
const ob_audit_entity ob_consent_audit = { "consent",
	CONSENT_COLS " WHERE c.id = $1", CONSENT_COLS " ORDER BY c.id" };

#define RESPONSE_COLS \
	"SELECT r.id, r.consent_id AS consent, t.code AS statement, r.response, r.withdrawn_on," \
	" r.withdrawn_by, r.withdrawal_reason FROM consent_response r" \
	" JOIN consent_statement t ON t.id = r.statement_id"
const ob_audit_entity ob_consent_response_audit = { "consent_response",
	RESPONSE_COLS " WHERE r.id = $1", RESPONSE_COLS " ORDER BY r.id" };

/* Forms and statements never change once added: their creation is in the
 * trail, but audit verify does not walk them (a study's form of migration
 * 009 may predate this trail). */
#define FORM_COLS "SELECT f.id, f.version, f.title, f.effective_on, f.created_at FROM consent_form f"
const ob_audit_entity ob_consent_form_audit = { "consent_form", FORM_COLS " WHERE f.id = $1",
	FORM_COLS " ORDER BY f.id" };
#define STATEMENT_COLS \
	"SELECT t.id, f.version AS form_version, t.code, t.position, t.text, t.text_zh, t.uses" \
	" FROM consent_statement t JOIN consent_form f ON f.id = t.form_id"
const ob_audit_entity ob_consent_statement_audit = { "consent_statement",
	STATEMENT_COLS " WHERE t.id = $1", STATEMENT_COLS " ORDER BY t.id" };

/* ---- words ------------------------------------------------------------- */

static const struct {
	const char *word;
	int flag;
} uses[] = {
	{ "storage", OB_USE_STORAGE },
	{ "research", OB_USE_RESEARCH },
	{ "genetic", OB_USE_GENETIC },
	{ "genetic research", OB_USE_GENETIC },
	{ "genetic_research", OB_USE_GENETIC },
	{ "sharing", OB_USE_SHARING },
	{ "data sharing", OB_USE_SHARING },
	{ "data_sharing", OB_USE_SHARING },
	{ "recontact", OB_USE_RECONTACT },
	{ "commercial", OB_USE_COMMERCIAL },
	{ "commercial use", OB_USE_COMMERCIAL },
	{ "commercial_use", OB_USE_COMMERCIAL },
	{ "findings", OB_USE_FINDINGS },
	{ "incidental findings", OB_USE_FINDINGS },
	{ "incidental_findings", OB_USE_FINDINGS },
	{ "transfer", OB_USE_TRANSFER },
	{ "transfer to other sites", OB_USE_TRANSFER },
	{ "transfer_to_other_sites", OB_USE_TRANSFER },
	{ "material transfer", OB_USE_TRANSFER },
	{ "material_transfer", OB_USE_TRANSFER },
};

const char *const ob_consent_scope_words[] = { "storage", "research", "genetic", "sharing",
	"recontact", "commercial", "findings", "transfer", NULL };

const char *const ob_consent_dispositions[] = { "destroy", "keep", "data_only", NULL };

int ob_consent_scope_flag(const char *word)
{
	for (size_t i = 0; i < sizeof uses / sizeof uses[0]; i++)
		if (ob_streq_ci(word, uses[i].word))
			return uses[i].flag;
	return 0;
}

int ob_consent_uses_parse(const char *field, const char *list, int *mask)
{
	char word[64];
	size_t n = 0;

	*mask = 0;
	for (const char *p = list;; p++) {
		if (*p == ',' || *p == ';' || *p == '|' || *p == '\0') {
			while (n && word[n - 1] == ' ')
				n--;
			word[n] = '\0';
			if (n) {
				int f = ob_consent_scope_flag(word);
				if (!f)
					return ob_error_set(OB_EINVALID, "%s: '%s' is not a consent use"
						" (storage, research, genetic, sharing, recontact, commercial,"
						" findings, transfer)", field, word);
				*mask |= f;
			}
			n = 0;
			if (!*p)
				break;
		} else if (n < sizeof word - 1 && !(n == 0 && *p == ' ')) {
			word[n++] = *p;
		}
	}
	return 0;
}

int ob_consent_scope_parse(const char *list, int *mask)
{
	return ob_consent_uses_parse("scope", list, mask);
}

static bool is_disposition(const char *w)
{
	for (int i = 0; w && ob_consent_dispositions[i]; i++)
		if (!strcmp(w, ob_consent_dispositions[i]))
			return true;
	return false;
}

static int response_check(const char *field, const char *r)
{
	if (r && (!strcmp(r, "yes") || !strcmp(r, "no") || !strcmp(r, "not_asked")))
		return 0;
	return ob_error_set(OB_EINVALID, "%s: '%s' is not yes, no or not_asked", field,
		r ? r : "");
}

/* A text input: within its field's limit, UTF-8, no NUL (required: not
 * empty). */
static int text_check(const char *field, const char *s, bool required)
{
	if (!s || !*s)
		return required ? ob_error_set(OB_EINVALID, "%s: required", field) : 0;
	return ob_field_check(field, s, strlen(s));
}

/* ---- forms ------------------------------------------------------------- */

static int statement_check(const ob_consent_statement *st, size_t i)
{
	size_t len = st->code ? strlen(st->code) : 0;
	int rc;

	if (len == 0 || len > 32)
		return ob_error_set(OB_EINVALID, "statements: statement %zu: a code is 1 to 32"
			" characters", i + 1);
	for (size_t k = 0; k < len; k++)
		if (!((st->code[k] >= 'A' && st->code[k] <= 'Z') || (st->code[k] >= '0'
		      && st->code[k] <= '9') || st->code[k] == '_' || st->code[k] == '-'))
			return ob_error_set(OB_EINVALID, "statements: code '%s' may hold only A-Z, 0-9,"
				" '_' and '-'", st->code);
	if (!st->text || !*st->text)
		return ob_error_set(OB_EINVALID, "statements: statement %s has no text", st->code);
	if ((rc = ob_field_check("text", st->text, strlen(st->text))) < 0
	    || (st->text_zh && (rc = ob_field_check("text_zh", st->text_zh,
			strlen(st->text_zh))) < 0))
		return ob_error_set(rc, "statements: %s: %s", st->code, ob_error_last());
	if (st->uses <= 0 || (st->uses & ~OB_USE_ALL))
		return ob_error_set(OB_EINVALID, "statements: statement %s covers no use (storage,"
			" research, genetic, sharing, recontact, commercial, findings, transfer)",
			st->code);
	return 0;
}

/* Inserts the form and its statements, audited; the caller holds the
 * transaction and checked the input. */
static int form_insert(const ob_ctx *cx, const char *version, const char *title,
                       const char *effective_on, const char *created_at,
                       const ob_consent_statement *st, size_t n, int64_t *id_out)
{
	static const char *const ins =
		"INSERT INTO consent_form (version, title, effective_on, created_at)"
		" VALUES ($1, $2, $3, $4) RETURNING id";
	static const char *const ins_st =
		"INSERT INTO consent_statement (form_id, code, position, text, text_zh, uses)"
		" VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
	int64_t id = 0, sid = 0;
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, ins, &s)) < 0)
		return rc;
	if ((rc = ob_stmt_bind_text(s, 1, version)) == 0 && (rc = ob_stmt_bind_text(s, 2, title)) == 0
	    && (rc = ob_stmt_bind_text(s, 3, effective_on)) == 0
	    && (rc = ob_stmt_bind_text(s, 4, created_at)) == 0 && (rc = ob_stmt_step(s)) == OB_ROW) {
		id = ob_stmt_int(s, 0);
		rc = 0;
	}
	ob_stmt_reset(s);
	if (rc == OB_EEXISTS)
		return ob_error_set(OB_EEXISTS, "version: consent form '%s' exists already", version);
	if (rc < 0 || (rc = ob_audit_record(cx, &ob_consent_form_audit, "create", id, version, NULL)) < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		if ((rc = ob_store_prepare(cx->st, ins_st, &s)) < 0)
			return rc;
		if ((rc = ob_stmt_bind_int(s, 1, id)) == 0
		    && (rc = ob_stmt_bind_text(s, 2, st[i].code)) == 0
		    && (rc = ob_stmt_bind_int(s, 3, (int64_t)i + 1)) == 0
		    && (rc = ob_stmt_bind_text(s, 4, st[i].text)) == 0
		    && (rc = ob_stmt_bind_text(s, 5, st[i].text_zh && *st[i].text_zh
				? st[i].text_zh : NULL)) == 0
		    && (rc = ob_stmt_bind_int(s, 6, st[i].uses)) == 0
		    && (rc = ob_stmt_step(s)) == OB_ROW) {
			sid = ob_stmt_int(s, 0);
			rc = 0;
		}
		ob_stmt_reset(s);
		if (rc < 0 || (rc = ob_audit_record(cx, &ob_consent_statement_audit, "create", sid, st[i].code,
				NULL)) < 0)
			return rc;
	}
	if (id_out)
		*id_out = id;
	return 0;
}

int ob_consent_form_add(const ob_ctx *cx, const char *version, const char *title,
                        const char *effective_on, const ob_consent_statement *st, size_t n,
                        int64_t *id_out)
{
	char day[OB_TIME_LEN], now[OB_TIME_LEN];
	int rc;

	if ((rc = text_check("form_version", version, true)) < 0
	    || (rc = text_check("title", title, true)) < 0)
		return rc;
	if (effective_on && *effective_on && (ob_time_parse(effective_on, day, NULL) < 0))
		return ob_error_set(OB_EINVALID, "effective_on: '%s' is not an ISO 8601 date",
			effective_on);
	if (n == 0 || n > OB_CONSENT_MAX_STATEMENTS)
		return ob_error_set(OB_EINVALID, "statements: a form has 1 to %d statements",
			OB_CONSENT_MAX_STATEMENTS);
	for (size_t i = 0; i < n; i++) {
		if ((rc = statement_check(&st[i], i)) < 0)
			return rc;
		for (size_t k = 0; k < i; k++)
			if (!strcmp(st[k].code, st[i].code))
				return ob_error_set(OB_EINVALID, "statements: code '%s' appears twice in"
					" the form", st[i].code);
	}
	ob_time_now(now);
	if ((rc = ob_store_begin(cx->st)) < 0)
		return rc;
	if ((rc = ob_access_check(cx, OB_ACT_DONOR, NULL)) == 0)
		rc = form_insert(cx, version, title, effective_on && *effective_on ? day : NULL, now,
			st, n, id_out);
	if (rc < 0) {
		ob_store_rollback(cx->st);
		return rc;
	}
	return ob_store_commit(cx->st);
}

void ob_consent_form_free(ob_consent_form *f)
{
	for (size_t i = 0; i < f->nstatements; i++) {
		free((char *)f->statements[i].code);
		free((char *)f->statements[i].text);
		free((char *)f->statements[i].text_zh);
	}
	free(f->statements);
	free(f->version);
	free(f->title);
	free(f->effective_on);
	free(f->created_at);
	memset(f, 0, sizeof *f);
}

/* A copy of s, or NULL for NULL; *bad is set when out of memory. */
static char *dup_text(const char *s, bool *bad)
{
	char *c = s ? strdup(s) : NULL;

	if (s && !c)
		*bad = true;
	return c;
}

static int no_memory(void)
{
	return ob_error_set(OB_ERROR, "consent: out of memory");
}

/* Reads form version into f (inside the caller's transaction or read). */
static int form_load(const ob_ctx *cx, const char *version, ob_consent_form *f)
{
	static const char *const one = FORM_COLS " WHERE f.version = $1";
	static const char *const sts =
		"SELECT code, text, text_zh, uses FROM consent_statement WHERE form_id = $1"
		" ORDER BY position, id";
	bool bad = false;
	ob_stmt *s;
	int rc;

	memset(f, 0, sizeof *f);
	if ((rc = ob_store_prepare(cx->st, one, &s)) < 0)
		return rc;
	if ((rc = ob_stmt_bind_text(s, 1, version)) == 0 && (rc = ob_stmt_step(s)) == OB_ROW) {
		f->id = ob_stmt_int(s, 0);
		f->version = dup_text(ob_stmt_text(s, 1), &bad);
		f->title = dup_text(ob_stmt_text(s, 2), &bad);
		f->effective_on = dup_text(ob_stmt_text(s, 3), &bad);
		f->created_at = dup_text(ob_stmt_text(s, 4), &bad);
		rc = 0;
	} else if (rc == 0) {
		rc = ob_error_set(OB_ENOTFOUND, "form_version: no consent form '%s'", version);
	}
	ob_stmt_reset(s);
	if (rc == 0 && bad)
		rc = no_memory();
	if (rc < 0 || (rc = ob_store_prepare(cx->st, sts, &s)) < 0) {
		ob_consent_form_free(f);
		return rc;
	}
	ob_stmt_bind_int(s, 1, f->id);
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		ob_consent_statement *nv = realloc(f->statements, (f->nstatements + 1) * sizeof *nv);
		if (!nv) {
			rc = no_memory();
			break;
		}
		f->statements = nv;
		nv += f->nstatements++;
		nv->code = dup_text(ob_stmt_text(s, 0), &bad);
		nv->text = dup_text(ob_stmt_text(s, 1), &bad);
		nv->text_zh = dup_text(ob_stmt_text(s, 2), &bad);
		nv->uses = (int)ob_stmt_int(s, 3);
		if (bad) {
			rc = no_memory();
			break;
		}
	}
	ob_stmt_reset(s);
	if (rc < 0)
		ob_consent_form_free(f);
	return rc < 0 ? rc : 0;
}

int ob_consent_form_read(const ob_ctx *cx, const char *version, ob_consent_form *f)
{
	int rc, c;

	memset(f, 0, sizeof *f);
	if ((rc = ob_store_begin_read(cx->st)) < 0)
		return rc;
	rc = ob_access_check(cx, OB_ACT_READ, NULL);
	if (rc == 0)
		rc = form_load(cx, version, f);
	c = ob_store_commit(cx->st);
	if (rc == 0 && c < 0) {
		ob_consent_form_free(f);
		rc = c;
	}
	return rc;
}

int ob_consent_form_list(const ob_ctx *cx, ob_consent_form_cb cb, void *arg)
{
	static const char *const sql = "SELECT version FROM consent_form ORDER BY version";
	char **versions = NULL;
	size_t n = 0;
	bool bad = false;
	ob_stmt *s;
	int rc, c;

	if ((rc = ob_store_begin_read(cx->st)) < 0)
		return rc;
	if ((rc = ob_access_check(cx, OB_ACT_READ, NULL)) < 0
	    || (rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		goto out;
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		char **nv = realloc(versions, (n + 1) * sizeof *nv);
		if (!nv) {
			rc = no_memory();
			break;
		}
		versions = nv;
		if (!(versions[n++] = dup_text(ob_stmt_text(s, 0), &bad))) {
			rc = no_memory();
			break;
		}
	}
	ob_stmt_reset(s);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		ob_consent_form f;
		if ((rc = form_load(cx, versions[i], &f)) < 0)
			break;
		rc = cb(&f, arg);
		ob_consent_form_free(&f);
	}
out:
	for (size_t i = 0; i < n; i++)
		free(versions[i]);
	free(versions);
	c = ob_store_commit(cx->st);
	return rc != 0 ? rc : c;
}

/* The five statements of a legacy form (migration 010 writes the same). */
static const ob_consent_statement legacy_statements[] = {
	{ "STORAGE", "My samples may be stored in the biobank.",
	  "我同意我的样本保存在生物样本库。", OB_USE_STORAGE },
	{ "RESEARCH", "My samples and data may be used for medical research.",
	  "我同意我的样本和数据用于医学研究。", OB_USE_RESEARCH },
	{ "GENETIC", "My samples may be used for genetic research.",
	  "我同意我的样本用于遗传学研究。", OB_USE_GENETIC },
	{ "SHARING", "My coded data may be shared with researchers outside the network.",
	  "我同意我的编码数据与网络以外的研究者共享。", OB_USE_SHARING },
	{ "RECONTACT", "I may be contacted again about this research.",
	  "我同意就本研究再次与我联系。", OB_USE_RECONTACT },
};

/* ---- the rule ---------------------------------------------------------- */

/* The uses consent id permits: those covered by a statement of its form
 * whose every covering statement is answered yes and not withdrawn. A form
 * with no statement on transfer predates the use (the five legacy
 * statements among them): its consents were given to the network's
 * biobank as a whole, so storage there permits transfer as well. A form
 * that asks about transfer follows the rule: its "no" keeps the material
 * at the collecting site's scope. Migration 012 applies the same to the
 * donors' masks it found. */
static int consent_permits(const ob_ctx *cx, int64_t id, int *mask)
{
	static const char *const sql =
		"SELECT t.uses, r.response, r.withdrawn_on FROM consent c"
		" JOIN consent_statement t ON t.form_id = c.form_id"
		" LEFT JOIN consent_response r ON r.consent_id = c.id AND r.statement_id = t.id"
		" WHERE c.id = $1";
	int covered = 0, denied = 0;
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, id);
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		int u = (int)ob_stmt_int(s, 0);
		const char *r = ob_stmt_text(s, 1);
		covered |= u;
		if (!r || strcmp(r, "yes") || !ob_stmt_is_null(s, 2))
			denied |= u;
	}
	ob_stmt_reset(s);
	*mask = covered & ~denied & OB_USE_ALL;
	if (!(covered & OB_USE_TRANSFER) && (*mask & OB_USE_STORAGE))
		*mask |= OB_USE_TRANSFER;
	return rc < 0 ? rc : 0;
}

/* Recomputes the donor's cached consent state from the latest signed
 * consent, and audits the donor row that holds it. */
static int refresh_donor_consent(const ob_ctx *cx, int64_t donor_id)
{
	static const char *const cur =
		"SELECT id, withdrawn_on FROM consent WHERE donor_id = $1"
		" ORDER BY signed_on DESC, id DESC LIMIT 1";
	static const char *const upd =
		"UPDATE donor SET consent_mask = $2, withdrawn = $3 WHERE id = $1";
	ob_buf before = OB_BUF_INIT;
	int64_t cid = 0;
	ob_stmt *s;
	int rc, mask = 0, wd = 0;

	if ((rc = ob_store_prepare(cx->st, cur, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, donor_id);
	rc = ob_stmt_step(s);
	if (rc == OB_ROW) {
		cid = ob_stmt_int(s, 0);
		wd = !ob_stmt_is_null(s, 1);
		rc = 0;
	}
	ob_stmt_reset(s);
	if (rc < 0 || (cid && !wd && (rc = consent_permits(cx, cid, &mask)) < 0))
		return rc;
	if ((rc = ob_audit_encode(cx, &ob_donor_audit, donor_id, &before)) < 0)
		return rc;
	if ((rc = ob_store_prepare(cx->st, upd, &s)) == 0) {
		ob_stmt_bind_int(s, 1, donor_id);
		ob_stmt_bind_int(s, 2, wd ? 0 : mask);
		ob_stmt_bind_int(s, 3, wd);
		rc = ob_stmt_exec(s);
	}
	if (rc == 0)
		rc = ob_audit_record(cx, &ob_donor_audit, "consent", donor_id, NULL, ob_buf_cstr(&before));
	ob_buf_dispose(&before);
	return rc;
}

/* ---- signing ----------------------------------------------------------- */

/* Inserts a consent of donor_id on form f with answers[i] the response to
 * f's statement i, audited, and refreshes the donor. */
static int consent_insert(const ob_ctx *cx, int64_t donor_id, const char *donor,
                          const ob_consent_form *f, const char *day, const char *witness,
                          const char *const *answers, int64_t *id_out)
{
	static const char *const ins =
		"INSERT INTO consent (donor_id, form_version, form_id, signed_on, witness, recorded_by)"
		" VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
	static const char *const ins_r =
		"INSERT INTO consent_response (consent_id, statement_id, response)"
		" SELECT $1, id, $3 FROM consent_statement WHERE form_id = $2 AND code = $4"
		" RETURNING id";
	int64_t id = 0, rid = 0;
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, ins, &s)) < 0)
		return rc;
	if ((rc = ob_stmt_bind_int(s, 1, donor_id)) == 0
	    && (rc = ob_stmt_bind_text(s, 2, f->version)) == 0
	    && (rc = ob_stmt_bind_int(s, 3, f->id)) == 0 && (rc = ob_stmt_bind_text(s, 4, day)) == 0
	    && (rc = ob_stmt_bind_text(s, 5, witness && *witness ? witness : NULL)) == 0
	    && (rc = ob_stmt_bind_text(s, 6, cx->actor ? cx->actor : "unknown")) == 0
	    && (rc = ob_stmt_step(s)) == OB_ROW) {
		id = ob_stmt_int(s, 0);
		rc = 0;
	}
	ob_stmt_reset(s);
	if (rc < 0 || (rc = ob_audit_record(cx, &ob_consent_audit, "create", id, donor, NULL)) < 0)
		return rc;
	for (size_t i = 0; i < f->nstatements; i++) {
		if ((rc = ob_store_prepare(cx->st, ins_r, &s)) < 0)
			return rc;
		if ((rc = ob_stmt_bind_int(s, 1, id)) == 0 && (rc = ob_stmt_bind_int(s, 2, f->id)) == 0
		    && (rc = ob_stmt_bind_text(s, 3, answers[i])) == 0
		    && (rc = ob_stmt_bind_text(s, 4, f->statements[i].code)) == 0
		    && (rc = ob_stmt_step(s)) == OB_ROW) {
			rid = ob_stmt_int(s, 0);
			rc = 0;
		} else if (rc == 0) {
			rc = ob_error_set(OB_ERROR, "consent: statement %s vanished",
				f->statements[i].code);
		}
		ob_stmt_reset(s);
		if (rc < 0 || (rc = ob_audit_record(cx, &ob_consent_response_audit, "create", rid,
				donor, NULL)) < 0)
			return rc;
	}
	if ((rc = refresh_donor_consent(cx, donor_id)) < 0)
		return rc;
	if (id_out)
		*id_out = id;
	return 0;
}

/* The checks every signing shares, before the transaction. */
static int signing_check(const char *form_version, const char *signed_on, const char *witness,
                         char day[OB_TIME_LEN])
{
	int rc;

	if ((rc = text_check("form_version", form_version, true)) < 0)
		return ob_error_set(rc, "form_version: the consent form version is required%s",
			form_version && *form_version ? " (1 to 64 characters of text)" : "");
	if (!signed_on || ob_time_parse(signed_on, day, NULL) < 0)
		return ob_error_set(OB_EINVALID, "signed_on: '%s' is not an ISO 8601 date",
			signed_on ? signed_on : "");
	return text_check("witness", witness, false);
}

/* Each statement's answer (not_asked unless given) for sg's responses;
 * a code not in the form is refused naming it. */
static int answers_of(const ob_consent_form *f, const ob_consent_signing *sg,
                      const char **answers)
{
	for (size_t i = 0; i < f->nstatements; i++)
		answers[i] = "not_asked";
	for (size_t k = 0; k < sg->nresponses; k++) {
		const ob_consent_response *r = &sg->responses[k];
		size_t i;
		int rc;

		for (i = 0; i < f->nstatements; i++)
			if (r->code && !strcmp(r->code, f->statements[i].code))
				break;
		if (i == f->nstatements)
			return ob_error_set(OB_EINVALID, "responses: form %s has no statement '%s'",
				f->version, r->code ? r->code : "");
		if ((rc = response_check("responses", r->response)) < 0)
			return ob_error_set(rc, "responses: %s: '%s' is not yes, no or not_asked",
				r->code, r->response ? r->response : "");
		for (size_t j = 0; j < k; j++)
			if (!strcmp(sg->responses[j].code, r->code))
				return ob_error_set(OB_EINVALID, "responses: statement '%s' is answered"
					" twice", r->code);
		answers[i] = r->response;
	}
	return 0;
}

/* Every response of sg names a statement of the legacy forms. */
static bool legacy_codes(const ob_consent_signing *sg)
{
	size_t n = sizeof legacy_statements / sizeof legacy_statements[0], k;

	for (size_t i = 0; i < sg->nresponses; i++) {
		for (k = 0; k < n; k++)
			if (sg->responses[i].code && !strcmp(sg->responses[i].code, legacy_statements[k].code))
				break;
		if (k == n)
			return false;
	}
	return true;
}

/* Signs in the caller's transaction: form loaded (or, legacy, created). */
static int sign(const ob_ctx *cx, const char *site, const char *donor,
                const ob_consent_signing *sg, const char *day, int legacy, int64_t *id_out)
{
	ob_consent_form f;
	const char **answers = NULL;
	int64_t donor_id;
	int rc;

	if ((rc = ob_scope_donor(cx, OB_ACT_DONOR, "site", site, donor, &donor_id, NULL)) < 0
	    || (rc = ob_donor_date_check(cx, donor_id, "signed_on", day)) < 0)
		return rc;
	rc = form_load(cx, sg->form_version, &f);
	if (rc == OB_ENOTFOUND && (legacy >= 0 || (sg->legacy_form && legacy_codes(sg)))) {
		char title[128];
		snprintf(title, sizeof title, "Consent form %s", sg->form_version);
		rc = form_insert(cx, sg->form_version, title, day, day, legacy_statements,
			sizeof legacy_statements / sizeof legacy_statements[0], NULL);
		if (rc == 0)
			rc = form_load(cx, sg->form_version, &f);
	}
	if (rc < 0)
		return rc;
	if (!(answers = calloc(f.nstatements + 1, sizeof *answers))) {
		rc = no_memory();
	} else if (legacy >= 0) {
		for (size_t i = 0; i < f.nstatements; i++)
			answers[i] = (f.statements[i].uses & ~legacy) ? "no" : "yes";
	} else {
		rc = answers_of(&f, sg, answers);
	}
	if (rc == 0)
		rc = consent_insert(cx, donor_id, donor, &f, day, sg->witness, answers, id_out);
	free(answers);
	ob_consent_form_free(&f);
	return rc;
}

static int sign_tx(const ob_ctx *cx, const char *site, const char *donor,
                   const ob_consent_signing *sg, int legacy, int64_t *id_out)
{
	char day[OB_TIME_LEN];
	int rc;

	if ((rc = signing_check(sg->form_version, sg->signed_on, sg->witness, day)) < 0)
		return rc;
	if ((rc = ob_store_begin(cx->st)) < 0)
		return rc;
	if ((rc = sign(cx, site, donor, sg, day, legacy, id_out)) < 0) {
		ob_store_rollback(cx->st);
		return rc;
	}
	return ob_store_commit(cx->st);
}

int ob_consent_sign(const ob_ctx *cx, const char *site, const char *donor,
                    const ob_consent_signing *sg, int64_t *id_out)
{
	return sign_tx(cx, site, donor, sg, -1, id_out);
}

int ob_consent_add(const ob_ctx *cx, const char *site, const char *donor,
                   const char *form_version, const char *signed_on, int scope,
                   int64_t *id_out)
{
	ob_consent_signing sg = { form_version, signed_on, NULL, NULL, 0, false };

	return sign_tx(cx, site, donor, &sg, scope & OB_USE_ALL, id_out);
}

/* ---- withdrawal -------------------------------------------------------- */

/* The date of a withdrawal and its reason, checked. */
static int withdrawal_check(const char *date, const char *reason, char day[OB_TIME_LEN])
{
	int rc;

	if (date && *date) {
		if (ob_time_parse(date, day, NULL) < 0)
			return ob_error_set(OB_EINVALID, "date: '%s' is not an ISO 8601 date", date);
	} else {
		ob_time_now(day);
	}
	if (!reason || !*reason)
		return ob_error_set(OB_EINVALID, "reason: a withdrawal needs a reason");
	if ((rc = ob_field_check("reason", reason, strlen(reason))) < 0)
		return rc;
	return 0;
}

/* The donor's current consent (not fully withdrawn): its id. */
static int current_consent(const ob_ctx *cx, int64_t donor_id, const char *donor, int64_t *cid,
                           char *form, size_t n)
{
	static const char *const cur =
		"SELECT id, withdrawn_on, form_version FROM consent WHERE donor_id = $1"
		" ORDER BY signed_on DESC, id DESC LIMIT 1";
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, cur, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, donor_id);
	rc = ob_stmt_step(s);
	if (rc == OB_ROW) {
		*cid = ob_stmt_int(s, 0);
		if (form)
			ob_strlcpy(form, ob_stmt_text(s, 2), n);
		rc = ob_stmt_is_null(s, 1) ? 0
			: ob_error_set(OB_ECONFLICT, "donor '%s' withdrew consent already on %.10s",
				donor, ob_stmt_text(s, 1));
	} else if (rc == 0) {
		rc = ob_error_set(OB_ENOTFOUND, "donor '%s' has no consent to withdraw", donor);
	}
	ob_stmt_reset(s);
	return rc;
}

/* Marks every specimen of the donor, at any site, with the disposition:
 * the withdrawal is the donor's, wherever their material went. */
static int mark_specimens(const ob_ctx *cx, int64_t donor_id, const char *disposition)
{
	static const char *const sel =
		"SELECT id, barcode FROM specimen WHERE donor_id = $1 ORDER BY id";
	static const char *const upd = "UPDATE specimen SET consent_disposition = $2 WHERE id = $1";
	struct sp {
		int64_t id;
		char barcode[64];
	} *v = NULL;
	size_t n = 0;
	ob_buf before = OB_BUF_INIT;
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, sel, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, donor_id);
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		struct sp *nv = realloc(v, (n + 1) * sizeof *nv);
		if (!nv) {
			rc = no_memory();
			break;
		}
		v = nv;
		v[n].id = ob_stmt_int(s, 0);
		ob_strlcpy(v[n++].barcode, ob_stmt_text(s, 1), sizeof v->barcode);
	}
	ob_stmt_reset(s);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		if ((rc = ob_audit_encode(cx, &ob_specimen_audit, v[i].id, &before)) < 0
		    || (rc = ob_store_prepare(cx->st, upd, &s)) < 0)
			break;
		if ((rc = ob_stmt_bind_int(s, 1, v[i].id)) == 0
		    && (rc = ob_stmt_bind_text(s, 2, disposition)) == 0)
			rc = ob_stmt_exec(s);
		if (rc == 0)
			rc = ob_audit_record(cx, &ob_specimen_audit, "withdraw", v[i].id, v[i].barcode,
				ob_buf_cstr(&before));
	}
	ob_buf_dispose(&before);
	free(v);
	return rc < 0 ? rc : 0;
}

int ob_consent_withdraw(const ob_ctx *cx, const char *site, const char *donor,
                        const char *date, const char *reason, const char *disposition)
{
	static const char *const upd =
		"UPDATE consent SET withdrawn_on = $2, withdrawn_by = $3, withdrawal_reason = $4,"
		" disposition = $5 WHERE id = $1";
	char day[OB_TIME_LEN];
	int64_t donor_id, cid = 0;
	ob_buf before = OB_BUF_INIT;
	ob_stmt *s;
	int rc;

	if ((rc = withdrawal_check(date, reason, day)) < 0)
		return rc;
	if (!disposition || !*disposition)
		return ob_error_set(OB_EINVALID, "disposition: a full withdrawal needs one (destroy,"
			" keep, data_only)");
	if (!is_disposition(disposition))
		return ob_error_set(OB_EINVALID, "disposition: '%.40s' is not destroy, keep or"
			" data_only", disposition);
	if ((rc = ob_store_begin(cx->st)) < 0)
		return rc;
	if ((rc = ob_scope_donor(cx, OB_ACT_DONOR, "site", site, donor, &donor_id, NULL)) < 0
	    || (rc = ob_donor_date_check(cx, donor_id, "date", day)) < 0
	    || (rc = current_consent(cx, donor_id, donor, &cid, NULL, 0)) < 0
	    || (rc = ob_audit_encode(cx, &ob_consent_audit, cid, &before)) < 0
	    || (rc = ob_store_prepare(cx->st, upd, &s)) < 0)
		goto out;
	if ((rc = ob_stmt_bind_int(s, 1, cid)) == 0 && (rc = ob_stmt_bind_text(s, 2, day)) == 0
	    && (rc = ob_stmt_bind_text(s, 3, cx->actor ? cx->actor : "unknown")) == 0
	    && (rc = ob_stmt_bind_text(s, 4, reason)) == 0
	    && (rc = ob_stmt_bind_text(s, 5, disposition)) == 0)
		rc = ob_stmt_exec(s);
	if (rc < 0 || (rc = refresh_donor_consent(cx, donor_id)) < 0
	    || (rc = ob_audit_record(cx, &ob_consent_audit, "withdraw", cid, donor,
			ob_buf_cstr(&before))) < 0)
		goto out;
	rc = mark_specimens(cx, donor_id, disposition);
out:
	ob_buf_dispose(&before);
	if (rc < 0) {
		ob_store_rollback(cx->st);
		return rc;
	}
	return ob_store_commit(cx->st);
}

int ob_consent_withdraw_statement(const ob_ctx *cx, const char *site, const char *donor,
                                  const char *statement, const char *date, const char *reason)
{
	static const char *const find =
		"SELECT r.id, r.withdrawn_on FROM consent_response r"
		" JOIN consent_statement t ON t.id = r.statement_id"
		" WHERE r.consent_id = $1 AND t.code = $2";
	static const char *const upd =
		"UPDATE consent_response SET response = 'no', withdrawn_on = $2, withdrawn_by = $3,"
		" withdrawal_reason = $4 WHERE id = $1";
	char day[OB_TIME_LEN], form[128] = "";
	int64_t donor_id, cid = 0, rid = 0;
	ob_buf before = OB_BUF_INIT;
	ob_stmt *s;
	int rc;

	if (!statement || !*statement)
		return ob_error_set(OB_EINVALID, "statement: the statement code is required");
	if ((rc = ob_field_check("statement", statement, strlen(statement))) < 0
	    || (rc = withdrawal_check(date, reason, day)) < 0)
		return rc;
	if ((rc = ob_store_begin(cx->st)) < 0)
		return rc;
	if ((rc = ob_scope_donor(cx, OB_ACT_DONOR, "site", site, donor, &donor_id, NULL)) < 0
	    || (rc = ob_donor_date_check(cx, donor_id, "date", day)) < 0
	    || (rc = current_consent(cx, donor_id, donor, &cid, form, sizeof form)) < 0
	    || (rc = ob_store_prepare(cx->st, find, &s)) < 0)
		goto out;
	ob_stmt_bind_int(s, 1, cid);
	ob_stmt_bind_text(s, 2, statement);
	rc = ob_stmt_step(s);
	if (rc == OB_ROW) {
		rid = ob_stmt_int(s, 0);
		rc = ob_stmt_is_null(s, 1) ? 0
			: ob_error_set(OB_ECONFLICT, "statement: donor '%s' withdrew %s already on"
				" %.10s", donor, statement, ob_stmt_text(s, 1));
	} else if (rc == 0) {
		rc = ob_error_set(OB_EINVALID, "statement: form %s has no statement '%s'", form,
			statement);
	}
	ob_stmt_reset(s);
	if (rc < 0 || (rc = ob_audit_encode(cx, &ob_consent_response_audit, rid, &before)) < 0
	    || (rc = ob_store_prepare(cx->st, upd, &s)) < 0)
		goto out;
	if ((rc = ob_stmt_bind_int(s, 1, rid)) == 0 && (rc = ob_stmt_bind_text(s, 2, day)) == 0
	    && (rc = ob_stmt_bind_text(s, 3, cx->actor ? cx->actor : "unknown")) == 0
	    && (rc = ob_stmt_bind_text(s, 4, reason)) == 0)
		rc = ob_stmt_exec(s);
	if (rc == 0)
		rc = ob_audit_record(cx, &ob_consent_response_audit, "withdraw", rid, donor,
			ob_buf_cstr(&before));
	if (rc == 0)
		rc = refresh_donor_consent(cx, donor_id);
out:
	ob_buf_dispose(&before);
	if (rc < 0) {
		ob_store_rollback(cx->st);
		return rc;
	}
	return ob_store_commit(cx->st);
}

int ob_donor_consent(const ob_ctx *cx, int64_t donor_id, int *mask, bool *withdrawn)
{
	static const char *const sql = "SELECT consent_mask, withdrawn FROM donor WHERE id = $1";
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, donor_id);
	rc = ob_stmt_step(s);
	if (rc == OB_ROW) {
		*mask = (int)ob_stmt_int(s, 0);
		*withdrawn = ob_stmt_int(s, 1) != 0;
		rc = 0;
	} else if (rc == 0) {
		rc = ob_error_set(OB_ENOTFOUND, "donor %lld not found", (long long)donor_id);
	}
	ob_stmt_reset(s);
	return rc;
}

/* ---- reading a donor's consents ---------------------------------------- */

static void answer_free(ob_consent_answer *a)
{
	free(a->code);
	free(a->text);
	free(a->text_zh);
	free(a->response);
	free(a->withdrawn_on);
	free(a->withdrawn_by);
	free(a->withdrawal_reason);
}

void ob_consent_records_free(ob_consent_record *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < c[i].nanswers; k++)
			answer_free(&c[i].answers[k]);
		free(c[i].answers);
		free(c[i].form_version);
		free(c[i].signed_on);
		free(c[i].witness);
		free(c[i].recorded_by);
		free(c[i].withdrawn_on);
		free(c[i].withdrawn_by);
		free(c[i].withdrawal_reason);
		free(c[i].disposition);
	}
	free(c);
}

static int read_answers(const ob_ctx *cx, ob_consent_record *c)
{
	static const char *const sql =
		"SELECT t.code, t.text, t.text_zh, t.uses, r.response, r.withdrawn_on, r.withdrawn_by,"
		" r.withdrawal_reason FROM consent_response r"
		" JOIN consent_statement t ON t.id = r.statement_id WHERE r.consent_id = $1"
		" ORDER BY t.position, t.id";
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, c->id);
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		ob_consent_answer *a, *nv = realloc(c->answers, (c->nanswers + 1) * sizeof *nv);
		bool bad = false;
		if (!nv) {
			rc = no_memory();
			break;
		}
		c->answers = nv;
		a = &nv[c->nanswers++];
		memset(a, 0, sizeof *a);
		a->code = dup_text(ob_stmt_text(s, 0), &bad);
		a->text = dup_text(ob_stmt_text(s, 1), &bad);
		a->text_zh = dup_text(ob_stmt_text(s, 2), &bad);
		a->uses = (int)ob_stmt_int(s, 3);
		a->response = dup_text(ob_stmt_text(s, 4), &bad);
		a->withdrawn_on = dup_text(ob_stmt_text(s, 5), &bad);
		a->withdrawn_by = dup_text(ob_stmt_text(s, 6), &bad);
		a->withdrawal_reason = dup_text(ob_stmt_text(s, 7), &bad);
		if (bad) {
			rc = no_memory();
			break;
		}
	}
	ob_stmt_reset(s);
	return rc < 0 ? rc : 0;
}

int ob_consent_read_donor(const ob_ctx *cx, int64_t donor_id, ob_consent_record **out,
                          size_t *n)
{
	static const char *const sql =
		"SELECT id, form_version, signed_on, witness, recorded_by, withdrawn_on, withdrawn_by,"
		" withdrawal_reason, disposition FROM consent WHERE donor_id = $1"
		" ORDER BY signed_on, id";
	ob_consent_record *v = NULL;
	size_t k = 0;
	ob_stmt *s;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, donor_id);
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		ob_consent_record *c, *nv = realloc(v, (k + 1) * sizeof *nv);
		bool bad = false;
		if (!nv) {
			rc = no_memory();
			break;
		}
		v = nv;
		c = &v[k++];
		memset(c, 0, sizeof *c);
		c->id = ob_stmt_int(s, 0);
		c->form_version = dup_text(ob_stmt_text(s, 1), &bad);
		c->signed_on = dup_text(ob_stmt_text(s, 2), &bad);
		c->witness = dup_text(ob_stmt_text(s, 3), &bad);
		c->recorded_by = dup_text(ob_stmt_text(s, 4), &bad);
		c->withdrawn_on = dup_text(ob_stmt_text(s, 5), &bad);
		c->withdrawn_by = dup_text(ob_stmt_text(s, 6), &bad);
		c->withdrawal_reason = dup_text(ob_stmt_text(s, 7), &bad);
		c->disposition = dup_text(ob_stmt_text(s, 8), &bad);
		if (bad) {
			rc = no_memory();
			break;
		}
	}
	ob_stmt_reset(s);
	for (size_t i = 0; rc >= 0 && i < k; i++) {
		if ((rc = read_answers(cx, &v[i])) < 0)
			break;
		if (!v[i].withdrawn_on)
			rc = consent_permits(cx, v[i].id, &v[i].scope);
	}
	if (rc < 0) {
		ob_consent_records_free(v, k);
		return rc;
	}
	*out = v;
	*n = k;
	return 0;
}
