/*
 * h_consent.c - consent forms and their coded statements (docs/consent.md,
 * docs/api.md); a donor's consents and withdrawals are in h_network.c.
 */
#include "http/handlers.h"
#include "bank/consent.h"
#include "bank/fields.h"
#include "base/error.h"
#include "view/view.h"

#include <string.h>

int ob_h_consent_forms_list(ob_http_request *req, ob_http_response *resp)
{
	json_t *a = json_array();

	return ob_h_reply_view(resp, 200, a, ob_consent_form_list(&req->cx,
		ob_view_consent_form_append, a));
}

int ob_h_consent_form_show(ob_http_request *req, ob_http_response *resp)
{
	ob_consent_form f;
	int rc;

	if ((rc = ob_consent_form_read(&req->cx, req->params[0], &f)) < 0)
		return rc;
	rc = ob_h_reply_view(resp, 200, ob_view_consent_form(&f), 0);
	ob_consent_form_free(&f);
	return rc;
}

/* A statement of the body: {code, uses: [words], text, text_zh}. */
static int statement_of(json_t *e, size_t i, ob_consent_statement *st)
{
	static const char *const known[] = { "code", "uses", "text", "text_zh", NULL };
	json_t *u = json_object_get(e, "uses"), *w;
	size_t k;
	int rc, f;

	if (!json_is_object(e))
		return ob_error_set(OB_EINVALID, "statements: item %zu is not an object", i);
	memset(st, 0, sizeof *st);
	if ((rc = ob_h_json_known(e, known)) < 0
	    || (rc = ob_h_json_required(e, "code", &st->code)) < 0
	    || (rc = ob_h_json_required(e, "text", &st->text)) < 0
	    || (rc = ob_http_json_str(e, "text_zh", &st->text_zh)) < 0)
		return ob_error_set(rc, "statements: item %zu: %s", i, ob_error_last());
	if (!json_is_array(u))
		return ob_error_set(OB_EINVALID, "statements: item %zu: uses must be an array of use"
			" words ([\"storage\"])", i);
	json_array_foreach(u, k, w) {
		if (!json_is_string(w) || !(f = ob_consent_scope_flag(json_string_value(w))))
			return ob_error_set(OB_EINVALID, "statements: item %zu: uses: item %zu is not a"
				" consent use (storage, research, genetic, sharing, recontact, commercial,"
				" findings, transfer)", i, k);
		st->uses |= f;
	}
	return 0;
}

int ob_h_consent_forms_add(ob_http_request *req, ob_http_response *resp)
{
	static const char *const known[] = { "form_version", "title", "effective_on", "statements",
		NULL };
	ob_consent_statement st[OB_CONSENT_MAX_STATEMENTS];
	const char *version, *title, *eff;
	json_t *j = NULL, *a, *e;
	ob_consent_form f;
	size_t i;
	int rc;

	if ((rc = ob_http_json_body(req, &j)) < 0 || (rc = ob_h_json_known(j, known)) < 0
	    || (rc = ob_h_json_required(j, "form_version", &version)) < 0
	    || (rc = ob_h_json_required(j, "title", &title)) < 0
	    || (rc = ob_http_json_str(j, "effective_on", &eff)) < 0)
		goto out;
	a = json_object_get(j, "statements");
	if (!json_is_array(a) || json_array_size(a) == 0
	    || json_array_size(a) > OB_CONSENT_MAX_STATEMENTS) {
		rc = ob_error_set(OB_EINVALID, "statements: an array of 1 to %d statements"
			" ({code, uses, text, text_zh})", OB_CONSENT_MAX_STATEMENTS);
		goto out;
	}
	json_array_foreach(a, i, e)
		if ((rc = statement_of(e, i, &st[i])) < 0)
			goto out;
	if ((rc = ob_consent_form_add(&req->cx, version, title, eff, st, json_array_size(a),
			NULL)) < 0
	    || (rc = ob_consent_form_read(&req->cx, version, &f)) < 0)
		goto out;
	rc = ob_h_reply_view(resp, 201, ob_view_consent_form(&f), 0);
	ob_consent_form_free(&f);
out:
	json_decref(j);
	return rc;
}
