/*
 * h_identifiers.c - a donor's direct identifiers over HTTP
 * (bank/identifier.h, docs/identifiers.md): set or clear them, read them,
 * find donors by MRN. Thin: the domain decides who may, and the answers
 * carry values only to a reader it let see them.
 */
#include "http/handlers.h"
#include "bank/identifier.h"
#include "base/error.h"
#include "store/store.h"
#include "view/identifiers.h"

#include <string.h>

/* Answers the donor's identifiers document (view/identifiers.h). */
static int ident_reply(ob_http_request *req, ob_http_response *resp)
{
	json_t *o = ob_view_identifiers_new(req->params[0], req->params[1]);

	return ob_h_reply_view(resp, 200, o, ob_identifier_list(&req->cx, req->params[0],
		req->params[1], ob_view_identifier_add, o));
}

int ob_h_donor_identifiers(ob_http_request *req, ob_http_response *resp)
{
	return ident_reply(req, resp);
}

/* One kind of the body: a string sets it, null clears it, absent leaves it. */
static int put_one(ob_http_request *req, json_t *j, const char *kind)
{
	json_t *v = json_object_get(j, kind);
	const char *s;
	int rc;

	if (!v)
		return 0;
	if (json_is_null(v))
		return ob_identifier_clear(&req->cx, req->params[0], req->params[1], kind, NULL);
	if ((rc = ob_http_json_str(j, kind, &s)) < 0)
		return rc;
	return ob_identifier_set(&req->cx, req->params[0], req->params[1], kind, NULL, s);
}

/* "mrn": {"site": HOSPITAL, "value": MRN (null clears)}. */
static int put_mrn(ob_http_request *req, json_t *j)
{
	static const char *const known[] = { "site", "value", NULL };
	json_t *m = json_object_get(j, "mrn");
	const char *site, *value;
	int rc;

	if (!m)
		return 0;
	if (!json_is_object(m))
		return ob_error_set(OB_EINVALID, "mrn: an object {\"site\", \"value\"}");
	if ((rc = ob_h_json_known(m, known)) < 0 || (rc = ob_h_json_required(m, "site", &site)) < 0)
		return rc;
	if (json_is_null(json_object_get(m, "value")))
		return ob_identifier_clear(&req->cx, req->params[0], req->params[1], "mrn", site);
	if ((rc = ob_h_json_required(m, "value", &value)) < 0)
		return rc;
	return ob_identifier_set(&req->cx, req->params[0], req->params[1], "mrn", site, value);
}

int ob_h_donor_identify(ob_http_request *req, ob_http_response *resp)
{
	static const char *const known[] = { "name", "birth_date", "national_id", "mrn", NULL };
	json_t *j = NULL;
	int rc;

	if ((rc = ob_http_json_body(req, &j)) < 0 || (rc = ob_h_json_known(j, known)) < 0)
		goto out;
	/* every kind given, or none: one transaction */
	if ((rc = ob_store_begin(req->cx.st)) < 0)
		goto out;
	for (int i = 0; rc == 0 && i < 3; i++)
		rc = put_one(req, j, known[i]);
	if (rc == 0)
		rc = put_mrn(req, j);
	if (rc < 0) {
		ob_store_rollback(req->cx.st);
		goto out;
	}
	if ((rc = ob_store_commit(req->cx.st)) == 0)
		rc = ident_reply(req, resp);
out:
	json_decref(j);
	return rc;
}

int ob_h_donors_by_mrn(ob_http_request *req, ob_http_response *resp)
{
	json_t *a = json_array();

	return ob_h_reply_view(resp, 200, a, ob_identifier_find_mrn(&req->cx, req->params[0],
		req->params[1], ob_view_identified_donor_append, a));
}
