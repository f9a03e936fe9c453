/*
 * h_network.c - the network's routes: sites, and donors with their
 * diagnoses and consents (docs/api.md). Thin: JSON in, domain call
 * (site.h, donor.h) with the request's context, its records out as
 * src/view renders them.
 */
#include "http/handlers.h"
#include "bank/donor.h"
#include "bank/fields.h"
#include "bank/site.h"
#include "base/error.h"
#include "base/util.h"
#include "view/identifiers.h"
#include "view/view.h"

#include <math.h>
#include <string.h>

int ob_h_sites_list(ob_http_request *req, ob_http_response *resp)
{
	json_t *a = json_array();

	return ob_h_reply_view(resp, 200, a, ob_site_list(&req->cx, ob_http_query(req, "under"),
		ob_view_site_append, a));
}

int ob_h_sites_add(ob_http_request *req, ob_http_response *resp)
{
	static const char *const known[] = { "code", "name", "kind", "parent", NULL };
	const char *code, *name, *kind, *parent, *norm;
	json_t *j = NULL;
	int rc;

	if ((rc = ob_http_json_body(req, &j)) < 0 || (rc = ob_h_json_known(j, known)) < 0
	    || (rc = ob_h_json_required(j, "code", &code)) < 0
	    || (rc = ob_http_json_str(j, "name", &name)) < 0
	    || (rc = ob_h_json_required(j, "kind", &kind)) < 0
	    || (rc = ob_http_json_str(j, "parent", &parent)) < 0)
		goto out;
	norm = ob_site_kind(kind);
	if ((rc = ob_site_add(&req->cx, code, name ? name : code, kind, parent, NULL)) < 0)
		goto out;
	rc = ob_h_reply_json(resp, 201, json_pack("{s:s, s:s, s:s?, s:s?}", "code", code,
		"name", name ? name : code, "kind", norm ? norm : kind, "parent", parent));
out:
	json_decref(j);
	return rc;
}

int ob_h_donors_list(ob_http_request *req, ob_http_response *resp)
{
	json_t *a = json_array();

	return ob_h_reply_view(resp, 200, a, ob_donor_list(&req->cx, ob_http_query(req, "site"),
		ob_view_donor_append, a));
}

/* Answers with the donor's record (after a change). */
static int donor_reply(ob_http_request *req, ob_http_response *resp, int status,
                       const char *site, const char *code)
{
	ob_donor_full f;
	int rc;

	if ((rc = ob_donor_full_read(&req->cx, site, code, &f)) < 0)
		return rc;
	json_t *doc = ob_view_donor_full(&f);
	ob_view_donor_identifiers(&req->cx, site, code, doc);
	rc = ob_h_reply_view(resp, status, doc, 0);
	ob_donor_full_free(&f);
	return rc;
}

int ob_h_donors_add(ob_http_request *req, ob_http_response *resp)
{
	static const char *const known[] = { "site", "code", "sex", "birth_year", NULL };
	const char *site, *code, *sex;
	long long year;
	json_t *j = NULL;
	int rc;

	if ((rc = ob_http_json_body(req, &j)) < 0 || (rc = ob_h_json_known(j, known)) < 0
	    || (rc = ob_h_json_required(j, "site", &site)) < 0
	    || (rc = ob_h_json_required(j, "code", &code)) < 0
	    || (rc = ob_http_json_str(j, "sex", &sex)) < 0
	    || (rc = ob_http_json_int(j, "birth_year", 0, &year)) < 0)
		goto out;
	if (year < 0 || year > 9999) {
		rc = ob_error_set(OB_EINVALID, "birth_year: %lld is not a year", year);
		goto out;
	}
	if ((rc = ob_donor_add(&req->cx, site, code, sex ? sex : "unknown", (int)year, NULL)) < 0)
		goto out;
	rc = donor_reply(req, resp, 201, site, code);
out:
	json_decref(j);
	return rc;
}

int ob_h_donor_show(ob_http_request *req, ob_http_response *resp)
{
	return donor_reply(req, resp, 200, req->params[0], req->params[1]);
}

int ob_h_donor_diagnose(ob_http_request *req, ob_http_response *resp)
{
	static const char *const known[] = { "topography", "morphology", "date", NULL };
	const char *topo, *morph, *date;
	json_t *j = NULL;
	int rc;

	if ((rc = ob_http_json_body(req, &j)) < 0 || (rc = ob_h_json_known(j, known)) < 0
	    || (rc = ob_h_json_required(j, "topography", &topo)) < 0
	    || (rc = ob_h_json_required(j, "morphology", &morph)) < 0
	    || (rc = ob_http_json_str(j, "date", &date)) < 0)
		goto out;
	if ((rc = ob_donor_diagnose(&req->cx, req->params[0], req->params[1], topo, morph, date)) < 0)
		goto out;
	rc = donor_reply(req, resp, 201, req->params[0], req->params[1]);
out:
	json_decref(j);
	return rc;
}

/* "scope": an array of use words (the legacy body: the form's statements
 * covering those uses answered yes, the others no). A string is refused,
 * not split: JSON has lists, and "storage" alone where a list is meant is a
 * client's mistake to show, not to guess (the CLI and CSV take comma
 * lists). */
static int scope_mask(json_t *v, int *mask)
{
	json_t *e;
	size_t i;
	int f;

	*mask = 0;
	if (!json_is_array(v))
		return ob_error_set(OB_EINVALID, "scope: must be an array of use words"
			" ([\"storage\", \"research\"]), not a %s", json_is_string(v) ? "string"
			: json_is_object(v) ? "object" : json_is_number(v) ? "number" : "boolean");
	json_array_foreach(v, i, e) {
		if (!json_is_string(e) || !(f = ob_consent_scope_flag(json_string_value(e))))
			return ob_error_set(OB_EINVALID, "scope: item %zu is not a consent use"
				" (storage, research, genetic, sharing, recontact, commercial, findings,"
				" transfer)", i);
		*mask |= f;
	}
	return 0;
}

/* "responses": {"CODE": "yes" | "no" | "not_asked", ...} into r (at most
 * max), borrowing j's strings. */
static int responses_of(json_t *v, ob_consent_response *r, size_t max, size_t *n)
{
	const char *code;
	json_t *e;
	int rc;

	*n = 0;
	if (!json_is_object(v))
		return ob_error_set(OB_EINVALID, "responses: must be an object of statement codes"
			" and answers ({\"STORAGE\": \"yes\"})");
	if (json_object_size(v) > max)
		return ob_error_set(OB_EINVALID, "responses: at most %zu statements", max);
	json_object_foreach(v, code, e) {
		if (!json_is_string(e))
			return ob_error_set(OB_EINVALID, "responses: %.32s: must be \"yes\", \"no\" or"
				" \"not_asked\"", code);
		if ((rc = ob_field_check("statement", code, strlen(code))) < 0)
			return ob_error_set(rc, "responses: %s", ob_error_last());
		r[*n].code = code;
		r[(*n)++].response = json_string_value(e);
	}
	return 0;
}

int ob_h_donor_consent(ob_http_request *req, ob_http_response *resp)
{
	static const char *const known[] = { "form_version", "signed_on", "witness", "responses",
		"scope", NULL };
	ob_consent_response r[OB_CONSENT_MAX_STATEMENTS];
	ob_consent_signing sg = { NULL, NULL, NULL, r, 0, false };
	json_t *j = NULL, *resps, *scope;
	int rc, mask;

	if ((rc = ob_http_json_body(req, &j)) < 0 || (rc = ob_h_json_known(j, known)) < 0
	    || (rc = ob_h_json_required(j, "form_version", &sg.form_version)) < 0
	    || (rc = ob_h_json_required(j, "signed_on", &sg.signed_on)) < 0
	    || (rc = ob_http_json_str(j, "witness", &sg.witness)) < 0)
		goto out;
	resps = json_object_get(j, "responses");
	scope = json_object_get(j, "scope");
	resps = json_is_null(resps) ? NULL : resps;
	scope = json_is_null(scope) ? NULL : scope;
	if (resps && scope) {
		rc = ob_error_set(OB_EINVALID, "scope: give responses or the legacy scope, not both");
		goto out;
	}
	if (scope) {
		if ((rc = scope_mask(scope, &mask)) < 0)
			goto out;
		if (sg.witness && *sg.witness) {
			rc = ob_error_set(OB_EINVALID, "witness: give responses with a witness (the"
				" legacy scope records none)");
			goto out;
		}
		rc = ob_consent_add(&req->cx, req->params[0], req->params[1], sg.form_version,
			sg.signed_on, mask, NULL);
	} else if (resps) {
		if ((rc = responses_of(resps, r, OB_CONSENT_MAX_STATEMENTS, &sg.nresponses)) == 0)
			rc = ob_consent_sign(&req->cx, req->params[0], req->params[1], &sg, NULL);
	} else {
		rc = ob_error_set(OB_EINVALID, "responses: is required ({\"CODE\": \"yes\", ...};"
			" or the legacy \"scope\")");
	}
	if (rc < 0)
		goto out;
	rc = donor_reply(req, resp, 201, req->params[0], req->params[1]);
out:
	json_decref(j);
	return rc;
}

int ob_h_donor_withdraw(ob_http_request *req, ob_http_response *resp)
{
	static const char *const known[] = { "reason", "date", "disposition", "statement", NULL };
	const char *reason, *date, *disposition, *statement;
	json_t *j = NULL;
	int rc;

	if ((rc = ob_http_json_body(req, &j)) < 0 || (rc = ob_h_json_known(j, known)) < 0
	    || (rc = ob_http_json_str(j, "reason", &reason)) < 0
	    || (rc = ob_http_json_str(j, "date", &date)) < 0
	    || (rc = ob_http_json_str(j, "disposition", &disposition)) < 0
	    || (rc = ob_http_json_str(j, "statement", &statement)) < 0)
		goto out;
	if (statement && *statement && disposition)
		rc = ob_error_set(OB_EINVALID, "disposition: a withdrawal of one statement keeps the"
			" material as it is; give a disposition with a full withdrawal only");
	else if (statement && *statement)
		rc = ob_consent_withdraw_statement(&req->cx, req->params[0], req->params[1],
			statement, date, reason);
	else
		rc = ob_consent_withdraw(&req->cx, req->params[0], req->params[1], date, reason,
			disposition);
	if (rc < 0)
		goto out;
	rc = donor_reply(req, resp, 200, req->params[0], req->params[1]);
out:
	json_decref(j);
	return rc;
}

/* ---- corrections and history ------------------------------------------ */

static int site_reply(ob_http_request *req, ob_http_response *resp, const char *code)
{
	ob_site_record s;
	int rc = ob_site_get(&req->cx, code, &s);

	if (rc < 0)
		return rc;
	rc = ob_h_reply_json(resp, 200, ob_view_record(ob_site_fields, &s, OB_F_ROW));
	ob_record_release(ob_site_fields, &s);
	return rc;
}

int ob_h_site_show(ob_http_request *req, ob_http_response *resp)
{
	return site_reply(req, resp, req->params[0]);
}

int ob_h_site_correct(ob_http_request *req, ob_http_response *resp)
{
	ob_h_changes c;
	json_t *j = NULL;
	int rc;

	if ((rc = ob_http_json_body(req, &j)) == 0 && (rc = ob_h_json_changes(j, &c)) == 0
	    && (rc = ob_site_correct(&req->cx, req->params[0], c.ch, c.n, c.reason)) == 0)
		rc = site_reply(req, resp, req->params[0]);
	json_decref(j);
	return rc;
}

int ob_h_site_history(ob_http_request *req, ob_http_response *resp)
{
	json_t *changes = NULL;
	int rc = ob_site_changes(&req->cx, req->params[0], ob_h_history_cb, &changes);

	return ob_h_reply_history(resp, changes, rc);
}

int ob_h_donor_correct(ob_http_request *req, ob_http_response *resp)
{
	ob_h_changes c;
	json_t *j = NULL;
	int rc;

	if ((rc = ob_http_json_body(req, &j)) == 0 && (rc = ob_h_json_changes(j, &c)) == 0
	    && (rc = ob_donor_correct(&req->cx, req->params[0], req->params[1], c.ch, c.n,
			c.reason)) == 0)
		rc = donor_reply(req, resp, 200, req->params[0], req->params[1]);
	json_decref(j);
	return rc;
}

int ob_h_donor_history(ob_http_request *req, ob_http_response *resp)
{
	json_t *changes = NULL;
	int rc = ob_donor_changes(&req->cx, req->params[0], req->params[1], ob_h_history_cb,
		&changes);

	return ob_h_reply_history(resp, changes, rc);
}

int ob_h_diagnosis_correct(ob_http_request *req, ob_http_response *resp)
{
	ob_h_changes c;
	json_t *j = NULL;
	int64_t id;
	int rc;

	if (ob_parse_i64(req->params[2], &id) < 0 || id < 1)
		return ob_error_set(OB_EINVALID, "id: '%s' is not a diagnosis id", req->params[2]);
	if ((rc = ob_http_json_body(req, &j)) == 0 && (rc = ob_h_json_changes(j, &c)) == 0
	    && (rc = ob_diagnosis_correct(&req->cx, req->params[0], req->params[1], id, c.ch, c.n,
			c.reason)) == 0)
		rc = donor_reply(req, resp, 200, req->params[0], req->params[1]);
	json_decref(j);
	return rc;
}
