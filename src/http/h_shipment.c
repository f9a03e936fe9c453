/*
 * h_shipment.c - the shipments' routes (docs/api.md, "Shipments";
 * bank/shipment.h): thin, as the other handlers: JSON in, one domain call
 * with the request's context, the records out as src/view/shipment_view.c
 * renders them. A change answers the full shipment; a scan answers only
 * what it did (the receive route runs once per barcode read), and items
 * refused answer 409 with every refusal listed.
 */
#include "http/handlers.h"
#include "bank/access.h"
#include "bank/fields.h"
#include "bank/shipment.h"
#include "base/error.h"
#include "base/util.h"
#include "store/store.h"
#include "view/shipment_view.h"
#include "view/view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Answers status with the full shipment code. */
static int full_reply(ob_http_request *req, ob_http_response *resp, int status, const char *code)
{
	ob_shipment_full f;
	int rc;

	if ((rc = ob_shipment_read(&req->cx, code, &f)) < 0)
		return rc;
	rc = ob_h_reply_view(resp, status, ob_view_shipment_full(&f), 0);
	ob_shipment_full_free(&f);
	return rc;
}

/* The domain refused items (rc, with ref): the usual error body with
 * "refusals": [{barcode, reason}] beside it, so that a client shows each
 * barcode with its reason. Other failures go to the dispatcher as they
 * are. */
static int refusal_reply(ob_http_request *req, ob_http_response *resp, int rc,
                         const ob_shipment_refusals *ref)
{
	json_t *j;

	if (rc != OB_ECONFLICT || !ref->n)
		return rc;
	ob_http_error(resp, rc);
	j = json_loadb(resp->body.s, resp->body.len, 0, NULL);
	if (!j || json_object_set_new(j, "refusals", ob_view_shipment_refusals(ref)) < 0) {
		json_decref(j);
		return ob_error_set(OB_ERROR, "response: out of memory");
	}
	/* answered here, not by the dispatcher: a probe the scope hid among
	 * the items is recorded as it would have been */
	ob_access_record_refusal(&req->cx, rc);
	return ob_h_reply_view(resp, 409, j, 0);
}

/* The body as an object checked against known: none at all reads as {}. */
static int body_of(ob_http_request *req, const char *const *known, json_t **j)
{
	int rc;

	if (!req->body_len) {
		*j = json_object();
		return *j ? 0 : ob_error_set(OB_ERROR, "body: out of memory");
	}
	if ((rc = ob_http_json_body(req, j)) == 0 && (rc = ob_h_json_known(*j, known)) < 0) {
		json_decref(*j);
		*j = NULL;
	}
	return rc;
}

/* Member name of j, an array of barcodes, into a new array *out of *n
 * (texts borrowed from j; free(*out)). Absent: none. */
static int barcodes_of(json_t *j, const char *name, const char ***out, size_t *n)
{
	json_t *a = json_object_get(j, name), *v;
	size_t i;
	int rc;

	*out = NULL;
	*n = 0;
	if (!a || json_is_null(a))
		return 0;
	if (!json_is_array(a))
		return ob_error_set(OB_EINVALID, "%s: must be an array of barcodes", name);
	if (json_array_size(a) && !(*out = malloc(json_array_size(a) * sizeof **out)))
		return ob_error_set(OB_ERROR, "%s: out of memory", name);
	json_array_foreach(a, i, v) {
		if (!json_is_string(v)) {
			rc = ob_error_set(OB_EINVALID, "%s: item %zu is not a barcode (a string)", name,
				i);
			goto bad;
		}
		if ((rc = ob_field_check("barcode", json_string_value(v), json_string_length(v))) < 0) {
			rc = ob_error_set(rc, "%s: item %zu: %s", name, i, ob_error_last());
			goto bad;
		}
		(*out)[(*n)++] = json_string_value(v);
	}
	return 0;
bad:
	free(*out);
	*out = NULL;
	*n = 0;
	return rc;
}

/* The editable fields of a body (POST and PATCH): absent leaves a field as
 * it is (NULL), null clears it (""). */
static int edit_str(json_t *j, const char *name, const char **out)
{
	json_t *v = json_object_get(j, name);

	if (v && json_is_null(v)) {
		*out = "";
		return 0;
	}
	return ob_http_json_str(j, name, out);
}

static int fields_of(json_t *j, ob_shipment_new *in)
{
	int rc;

	if ((rc = edit_str(j, "to_site", &in->to_site)) < 0
	    || (rc = edit_str(j, "courier", &in->courier)) < 0
	    || (rc = edit_str(j, "tracking", &in->tracking)) < 0
	    || (rc = edit_str(j, "condition", &in->condition)) < 0
	    || (rc = edit_str(j, "logger", &in->logger)) < 0
	    || (rc = edit_str(j, "notes", &in->notes)) < 0)
		return rc;
	return 0;
}

/* ---- lists ---- */

int ob_h_shipments_list(ob_http_request *req, ob_http_response *resp)
{
	ob_shipment_filter f = { 0 };
	const char *limit = ob_http_query(req, "limit"), *offset = ob_http_query(req, "offset");
	json_t *a = json_array();
	int64_t total = 0;
	int rc;

	f.direction = ob_http_query(req, "direction");
	f.state = ob_http_query(req, "state");
	f.site = ob_http_query(req, "site");
	f.q = ob_http_query(req, "q");
	/* the dispatcher checked both as whole numbers in range */
	if (limit)
		ob_parse_i64(limit, &f.limit);
	if (offset)
		ob_parse_i64(offset, &f.offset);
	if (!a)
		return ob_error_set(OB_ERROR, "shipments: out of memory");
	if ((rc = ob_shipment_list(&req->cx, &f, ob_view_shipment_append, a, &total)) < 0) {
		json_decref(a);
		return rc;
	}
	return ob_h_reply_view(resp, 200, json_pack("{s:o,s:I}", "shipments", a, "total",
		(json_int_t)total), 0);
}

int ob_h_specimen_shipments(ob_http_request *req, ob_http_response *resp)
{
	json_t *a = json_array();
	int rc;

	if (!a)
		return ob_error_set(OB_ERROR, "shipments: out of memory");
	if ((rc = ob_shipment_history(&req->cx, req->params[0], ob_view_shipment_history_append,
			a)) < 0) {
		json_decref(a);
		return rc;
	}
	return ob_h_reply_view(resp, 200, json_pack("{s:o}", "shipments", a), 0);
}

/* ---- building a shipment ---- */

/* Creates the shipment and adds its items in one transaction: an item
 * refused leaves no shipment behind. */
static int create_with_items(ob_http_request *req, const ob_shipment_new *in,
                             const char *const *items, size_t n, char *code,
                             ob_shipment_refusals *ref)
{
	ob_store *st = req->cx.st;
	int rc;

	if ((rc = ob_store_begin(st)) < 0)
		return rc;
	if ((rc = ob_shipment_create(&req->cx, in, code)) == 0 && n)
		rc = ob_shipment_add(&req->cx, code, items, n, ref);
	if (rc == 0)
		return ob_store_commit(st);
	ob_store_rollback(st);
	return rc;
}

int ob_h_shipments_add(ob_http_request *req, ob_http_response *resp)
{
	static const char *const known[] = { "to_site", "from_site", "code", "courier", "tracking",
		"condition", "logger", "notes", "items", NULL };
	ob_shipment_refusals ref = { 0 };
	char code[OB_SHIPMENT_CODE_MAX] = "";
	ob_shipment_new in = { 0 };
	const char **items = NULL;
	json_t *j = NULL;
	size_t n = 0;
	int rc;

	if ((rc = ob_http_json_body(req, &j)) < 0 || (rc = ob_h_json_known(j, known)) < 0
	    || (rc = ob_h_json_required(j, "to_site", &in.to_site)) < 0
	    || (rc = fields_of(j, &in)) < 0
	    || (rc = ob_http_json_str(j, "from_site", &in.from_site)) < 0
	    || (rc = ob_http_json_str(j, "code", &in.code)) < 0
	    || (rc = barcodes_of(j, "items", &items, &n)) < 0)
		goto out;
	rc = create_with_items(req, &in, items, n, code, &ref);
	if (rc == 0)
		rc = full_reply(req, resp, 201, code);
	else
		rc = refusal_reply(req, resp, rc, &ref);
out:
	ob_shipment_refusals_free(&ref);
	free(items);
	json_decref(j);
	return rc;
}

int ob_h_shipment_show(ob_http_request *req, ob_http_response *resp)
{
	return full_reply(req, resp, 200, req->params[0]);
}

int ob_h_shipment_edit(ob_http_request *req, ob_http_response *resp)
{
	static const char *const known[] = { "to_site", "courier", "tracking", "condition",
		"logger", "notes", NULL };
	ob_shipment_new in = { 0 };
	json_t *j = NULL;
	int rc;

	if ((rc = ob_http_json_body(req, &j)) == 0 && (rc = ob_h_json_known(j, known)) == 0
	    && (rc = fields_of(j, &in)) == 0
	    && (rc = ob_shipment_edit(&req->cx, req->params[0], &in)) == 0)
		rc = full_reply(req, resp, 200, req->params[0]);
	json_decref(j);
	return rc;
}

int ob_h_shipment_items_add(ob_http_request *req, ob_http_response *resp)
{
	static const char *const known[] = { "barcodes", NULL };
	ob_shipment_refusals ref = { 0 };
	const char **bc = NULL;
	json_t *j = NULL;
	size_t n = 0;
	int rc;

	if ((rc = ob_http_json_body(req, &j)) < 0 || (rc = ob_h_json_known(j, known)) < 0
	    || (rc = barcodes_of(j, "barcodes", &bc, &n)) < 0)
		goto out;
	if (!n) {
		rc = ob_error_set(OB_EINVALID, "barcodes: give at least one barcode");
		goto out;
	}
	if ((rc = ob_shipment_add(&req->cx, req->params[0], bc, n, &ref)) == 0)
		rc = full_reply(req, resp, 200, req->params[0]);
	else
		rc = refusal_reply(req, resp, rc, &ref);
out:
	ob_shipment_refusals_free(&ref);
	free(bc);
	json_decref(j);
	return rc;
}

int ob_h_shipment_item_remove(ob_http_request *req, ob_http_response *resp)
{
	static const char *const known[] = { NULL };
	json_t *j = NULL;
	int rc;

	if ((rc = body_of(req, known, &j)) < 0)
		return rc;
	json_decref(j);
	if ((rc = ob_shipment_remove(&req->cx, req->params[0], req->params[1])) < 0)
		return rc;
	return full_reply(req, resp, 200, req->params[0]);
}

int ob_h_shipment_pack(ob_http_request *req, ob_http_response *resp)
{
	static const char *const known[] = { NULL };
	ob_shipment_refusals ref = { 0 };
	json_t *j = NULL;
	int rc;

	if ((rc = body_of(req, known, &j)) < 0)
		return rc;
	json_decref(j);
	if ((rc = ob_shipment_pack(&req->cx, req->params[0], &ref)) == 0)
		rc = full_reply(req, resp, 200, req->params[0]);
	else
		rc = refusal_reply(req, resp, rc, &ref);
	ob_shipment_refusals_free(&ref);
	return rc;
}

int ob_h_shipment_ship(ob_http_request *req, ob_http_response *resp)
{
	static const char *const known[] = { "courier", "tracking", NULL };
	ob_shipment_refusals ref = { 0 };
	const char *courier = NULL, *tracking = NULL;
	json_t *j = NULL;
	int rc;

	if ((rc = body_of(req, known, &j)) < 0)
		return rc;
	if ((rc = ob_http_json_str(j, "courier", &courier)) == 0
	    && (rc = ob_http_json_str(j, "tracking", &tracking)) == 0) {
		if ((rc = ob_shipment_ship(&req->cx, req->params[0], courier, tracking, &ref)) == 0)
			rc = full_reply(req, resp, 200, req->params[0]);
		else
			rc = refusal_reply(req, resp, rc, &ref);
	}
	ob_shipment_refusals_free(&ref);
	json_decref(j);
	return rc;
}

int ob_h_shipment_cancel(ob_http_request *req, ob_http_response *resp)
{
	static const char *const known[] = { "reason", NULL };
	const char *reason;
	json_t *j = NULL;
	int rc;

	if ((rc = body_of(req, known, &j)) == 0 && (rc = ob_h_json_required(j, "reason",
			&reason)) == 0 && (rc = ob_shipment_cancel(&req->cx, req->params[0], reason)) == 0)
		rc = full_reply(req, resp, 200, req->params[0]);
	json_decref(j);
	return rc;
}

/* ---- receiving ---- */

/* "discrepancies": ["damaged", "thawed", "wrong_label"] as OB_DISC_* bits. */
static int disc_bits(json_t *j, int *bits)
{
	static const struct {
		const char *word;
		int bit;
	} words[] = { { "damaged", OB_DISC_DAMAGED }, { "thawed", OB_DISC_THAWED },
		{ "wrong_label", OB_DISC_WRONG_LABEL } };
	json_t *a = json_object_get(j, "discrepancies"), *v;
	size_t i, k;

	*bits = 0;
	if (!a || json_is_null(a))
		return 0;
	if (!json_is_array(a))
		return ob_error_set(OB_EINVALID, "discrepancies: an array of damaged, thawed,"
			" wrong_label");
	json_array_foreach(a, i, v) {
		for (k = 0; k < sizeof words / sizeof words[0]; k++)
			if (json_is_string(v) && !strcmp(json_string_value(v), words[k].word))
				break;
		if (k == sizeof words / sizeof words[0])
			return ob_error_set(OB_EINVALID, "discrepancies: item %zu is not damaged, thawed"
				" or wrong_label (missing and extra are recorded by their own routes)", i);
		*bits |= words[k].bit;
	}
	return 0;
}

int ob_h_shipment_receive(ob_http_request *req, ob_http_response *resp)
{
	static const char *const known[] = { "barcode", "container", "position", "discrepancies",
		"note", NULL };
	ob_shipment_scan scan = { 0 };
	ob_shipment_scan_result out;
	json_t *j = NULL;
	int rc;

	/* one scan: answered from what the scan did, never by reading the
	 * whole shipment again (a scanner sends one barcode after another) */
	if ((rc = ob_http_json_body(req, &j)) == 0 && (rc = ob_h_json_known(j, known)) == 0
	    && (rc = ob_h_json_required(j, "barcode", &scan.barcode)) == 0
	    && (rc = ob_http_json_str(j, "container", &scan.container)) == 0
	    && (rc = ob_http_json_str(j, "position", &scan.position)) == 0
	    && (rc = disc_bits(j, &scan.discrepancies)) == 0
	    && (rc = ob_http_json_str(j, "note", &scan.note)) == 0
	    && (rc = ob_shipment_receive(&req->cx, req->params[0], &scan, &out)) == 0)
		rc = ob_h_reply_view(resp, 200, ob_view_shipment_scan(&out), 0);
	json_decref(j);
	return rc;
}

int ob_h_shipment_discrepancy(ob_http_request *req, ob_http_response *resp)
{
	static const char *const known[] = { "barcode", "kind", "note", NULL };
	const char *barcode, *kind, *note;
	json_t *j = NULL;
	int rc;

	if ((rc = ob_http_json_body(req, &j)) == 0 && (rc = ob_h_json_known(j, known)) == 0
	    && (rc = ob_h_json_required(j, "barcode", &barcode)) == 0
	    && (rc = ob_h_json_required(j, "kind", &kind)) == 0
	    && (rc = ob_http_json_str(j, "note", &note)) == 0
	    && (rc = ob_shipment_discrepancy(&req->cx, req->params[0], barcode, kind, note)) == 0)
		rc = full_reply(req, resp, 200, req->params[0]);
	json_decref(j);
	return rc;
}

int ob_h_shipment_finish(ob_http_request *req, ob_http_response *resp)
{
	static const char *const known[] = { "note", NULL };
	const char *note;
	json_t *j = NULL;
	int rc;

	if ((rc = body_of(req, known, &j)) == 0 && (rc = ob_http_json_str(j, "note", &note)) == 0
	    && (rc = ob_shipment_finish(&req->cx, req->params[0], note)) == 0)
		rc = full_reply(req, resp, 200, req->params[0]);
	json_decref(j);
	return rc;
}

/* ---- documents ---- */

typedef int (*doc_fn)(const ob_shipment_full *f, ob_buf *out);

/* A document of the shipment straight into the response body. */
static int document(ob_http_request *req, ob_http_response *resp, doc_fn fn, const char *name,
                    bool pdf)
{
	ob_shipment_full f;
	int rc;

	if ((rc = ob_shipment_read(&req->cx, req->params[0], &f)) < 0)
		return rc;
	ob_buf_clear(&resp->body);
	rc = fn(&f, &resp->body);
	if (rc == 0 && resp->body.failed)
		rc = ob_error_set(OB_ERROR, "%s: out of memory", name);
	if (rc == 0) {
		resp->status = 200;
		resp->content_type = pdf ? "application/pdf" : "text/csv; charset=utf-8";
		snprintf(resp->disposition, sizeof resp->disposition,
			"%s; filename=\"%.40s-%s.%s\"", pdf ? "inline" : "attachment", f.r.code, name,
			pdf ? "pdf" : "csv");
	}
	ob_shipment_full_free(&f);
	return rc;
}

int ob_h_shipment_manifest_pdf(ob_http_request *req, ob_http_response *resp)
{
	return document(req, resp, ob_shipment_manifest_pdf, "manifest", true);
}

int ob_h_shipment_manifest_csv(ob_http_request *req, ob_http_response *resp)
{
	return document(req, resp, ob_shipment_manifest_csv, "manifest", false);
}

int ob_h_shipment_receipt_pdf(ob_http_request *req, ob_http_response *resp)
{
	return document(req, resp, ob_shipment_receipt_pdf, "receipt", true);
}

int ob_h_shipment_receipt_csv(ob_http_request *req, ob_http_response *resp)
{
	return document(req, resp, ob_shipment_receipt_csv, "receipt", false);
}
