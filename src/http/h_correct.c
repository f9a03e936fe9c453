/*
 * h_correct.c - corrections with a reason over HTTP: PATCH of a specimen,
 * each field's history, and the field tables a correction form offers
 * (docs/api.md, "Corrections").
 */
#include "http/handlers.h"
#include "bank/audit.h"
#include "base/error.h"
#include "view/history.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CHANGES 64

/* The body {"reason": TEXT, FIELD: value, ...} as changes: a string is the
 * value, a number its exact text, null clears the field. texts holds the
 * numbers' texts. */
static int read_changes(json_t *j, const char **reason, ob_change *ch, size_t *n,
                        char texts[][32])
{
	const char *key;
	json_t *v;
	int rc;

	*n = 0;
	if ((rc = ob_h_json_required(j, "reason", reason)) < 0)
		return rc;
	json_object_foreach(j, key, v) {
		if (!strcmp(key, "reason"))
			continue;
		if (*n == MAX_CHANGES)
			return ob_error_set(OB_EINVALID, "%s: at most %d fields in one correction", key,
				MAX_CHANGES);
		ch[*n].field = key;
		if (json_is_string(v)) {
			ch[*n].value = json_string_value(v);
		} else if (json_is_integer(v)) {
			snprintf(texts[*n], 32, "%lld", (long long)json_integer_value(v));
			ch[*n].value = texts[*n];
		} else if (json_is_real(v)) {
			snprintf(texts[*n], 32, "%.17g", json_real_value(v));
			ch[*n].value = texts[*n];
		} else if (json_is_null(v)) {
			ch[*n].value = NULL;
		} else {
			return ob_error_set(OB_EINVALID, "%s: must be text, a number or null", key);
		}
		(*n)++;
	}
	return 0;
}

int ob_h_specimen_correct(ob_http_request *req, ob_http_response *resp)
{
	char texts[MAX_CHANGES][32];
	ob_change ch[MAX_CHANGES];
	const char *reason;
	json_t *j = NULL;
	size_t n;
	int rc;

	if ((rc = ob_http_json_body(req, &j)) < 0
	    || (rc = read_changes(j, &reason, ch, &n, texts)) < 0
	    || (rc = ob_specimen_correct(&req->cx, req->params[0], ch, n, reason)) < 0) {
		json_decref(j);
		return rc;
	}
	json_decref(j);
	return ob_h_specimen_record(req, resp, 200, req->params[0]);
}

static int add_change(const ob_audit_change *c, void *arg)
{
	json_t *o = ob_view_change(c);

	if (!o || json_array_append_new(arg, o) < 0)
		return ob_error_set(OB_ERROR, "history: out of memory");
	return 0;
}

int ob_h_specimen_history(ob_http_request *req, ob_http_response *resp)
{
	const char *field = ob_http_query(req, "field");
	json_t *changes = json_array();
	int64_t id;
	int rc;

	if (!changes)
		return ob_error_set(OB_ERROR, "history: out of memory");
	if (field && !ob_field_find(ob_specimen_fields, field))
		rc = ob_error_set(OB_EINVALID, "field: '%s' is not a field of a specimen", field);
	else if ((rc = ob_specimen_id(&req->cx, req->params[0], &id)) == 0)
		rc = ob_audit_changes(&req->cx, "specimen", id, field, add_change, changes);
	if (rc < 0) {
		json_decref(changes);
		return rc;
	}
	return ob_h_reply_json(resp, 200, json_pack("{s:s,s:o}", "barcode", req->params[0],
		"changes", changes));
}

int ob_h_fields(ob_http_request *req, ob_http_response *resp)
{
	const ob_field *fields = ob_view_entity_fields(req->params[0]);

	if (!fields)
		return ob_error_set(OB_ENOTFOUND, "no entity '%s' (specimen)", req->params[0]);
	return ob_h_reply_json(resp, 200, ob_view_fields(fields));
}
