/*
 * h_correct.c - corrections with a reason over HTTP: PATCH of a specimen,
 * each field's history, and the field tables a correction form offers
 * (docs/api.md). The body's reading and the history's shape are
 * routes_bank.c's, shared with donors, containers and sites.
 */
#include "http/handlers.h"
#include "bank/audit.h"
#include "base/error.h"
#include "view/history.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ob_h_specimen_correct(ob_http_request *req, ob_http_response *resp)
{
	ob_h_changes c;
	json_t *j = NULL;
	int rc;

	if ((rc = ob_http_json_body(req, &j)) == 0 && (rc = ob_h_json_changes(j, &c)) == 0
	    && (rc = ob_specimen_correct(&req->cx, req->params[0], c.ch, c.n, c.reason)) == 0)
		rc = ob_h_specimen_record(req, resp, 200, req->params[0]);
	json_decref(j);
	return rc;
}

int ob_h_specimen_history(ob_http_request *req, ob_http_response *resp)
{
	const char *field = ob_http_query(req, "field");
	json_t *changes = NULL;
	int64_t id;
	int rc;

	if (field && !ob_field_find(ob_specimen_fields, field))
		rc = ob_error_set(OB_EINVALID, "field: '%s' is not a field of a specimen", field);
	else if ((rc = ob_specimen_id(&req->cx, req->params[0], &id)) == 0)
		rc = ob_audit_changes(&req->cx, "specimen", id, field, ob_h_history_cb, &changes);
	return ob_h_reply_history(resp, changes, rc);
}

int ob_h_fields(ob_http_request *req, ob_http_response *resp)
{
	const ob_field *fields = ob_view_entity_fields(req->params[0]);

	if (!fields)
		return ob_error_set(OB_ENOTFOUND, "no entity '%s' (specimen, donor, diagnosis,"
			" container, site)", req->params[0]);
	return ob_h_reply_json(resp, 200, ob_view_fields(fields));
}
