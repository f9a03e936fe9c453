/*
 * h_specimens.c - the specimen routes: search, collect, the full record,
 * aliquot, derive, move, status, thaw, swap (docs/api.md). The JSON fields
 * of a new specimen are the columns of a specimen row (ob_specimen),
 * the same names search returns, so a client can post back what it read.
 */
#include "http/handlers.h"
#include "bank/barcode.h"
#include "bank/container.h"
#include "bank/donor.h"
#include "bank/fields.h"
#include "bank/specimen.h"
#include "base/error.h"
#include "base/text.h"
#include "base/util.h"
#include "store/store.h"
#include "view/jw.h"
#include "view/view.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- search --------------------------------------------------------- */

static int add_item(const ob_specimen *r, void *arg)
{
	ob_jw *w = arg;

	ob_view_specimen_row_write(w, r);
	return ob_jw_done(w);
}

static int query_count(const ob_http_request *req, const char *name, int64_t def, int64_t max,
                       int64_t *out)
{
	const char *v = ob_http_query(req, name);

	*out = def;
	if (!v)
		return 0;
	if (ob_parse_i64(v, out) < 0 || *out < 0 || (max && *out > max))
		return ob_error_set(OB_EINVALID, "%s: '%s' is not a whole number from 0%s", name, v,
			max == OB_SEARCH_LIMIT_MAX ? " to 1000" : "");
	return 0;
}

int ob_h_specimens_search(ob_http_request *req, ob_http_response *resp)
{
	ob_specimen_filter f;
	ob_buf b = OB_BUF_INIT;
	int64_t total;
	ob_jw w;
	int rc;

	if ((rc = ob_h_specimen_filter(req, &f)) < 0
	    || (rc = query_count(req, "limit", OB_SEARCH_LIMIT, OB_SEARCH_LIMIT_MAX, &f.limit)) < 0
	    || (rc = query_count(req, "offset", 0, 0, &f.offset)) < 0)
		return rc;
	if ((rc = ob_specimen_count(&req->cx, &f, &total)) < 0)
		return rc;
	/* the rows of a page are written as they are read (jw.h) */
	ob_jw_init(&w, &b);
	ob_jw_object(&w, NULL);
	ob_jw_int(&w, "total", total);
	ob_jw_array(&w, "items");
	/* limit 0 asks for the count alone; the filter reads 0 as "no limit". */
	if (f.limit > 0 && (rc = ob_specimen_find(&req->cx, &f, add_item, &w)) < 0) {
		ob_buf_dispose(&b);
		return rc;
	}
	ob_jw_end(&w);
	ob_jw_end(&w);
	return ob_h_reply(resp, 200, &b, ob_jw_done(&w));
}

/* ---- reading a specimen from JSON ------------------------------------- */

/* A field's key in a request body: its name, but "used" for the amount
 * taken from the parent. */
static const char *request_key(const ob_field *f)
{
	return !strcmp(f->name, "parent_used") ? "used" : f->name;
}

/* The body's fields, read by the field table into s; "thawed" says that
 * taking the material thawed the parent. */
static int fill(json_t *j, ob_specimen_new *s)
{
	const char *known[OB_SPECIMEN_NFIELDS + 2];
	size_t n = 0;
	long long v;
	json_t *th;
	int rc;

	ob_specimen_new_init(s);
	for (const ob_field *f = ob_specimen_fields; f->name; f++)
		known[n++] = request_key(f);
	known[n++] = "thawed";
	known[n] = NULL;
	if ((rc = ob_h_json_known(j, known)) < 0)
		return rc;
	for (const ob_field *f = ob_specimen_fields; f->name; f++) {
		const char *key = request_key(f);
		switch (f->kind) {
		case OB_FIELD_TEXT:
			rc = ob_http_json_str(j, key, ob_field_text_at(f, &s->r));
			break;
		case OB_FIELD_REAL:
			rc = ob_http_json_num(j, key, ob_field_real_at(f, &s->r));
			break;
		case OB_FIELD_INT:
			if ((rc = ob_http_json_int(j, key, 0, &v)) == 0 && (v < 0 || v > 1000))
				rc = ob_error_set(OB_EINVALID, "%s: %lld is not a count of cycles", key, v);
			*ob_field_int_at(f, &s->r) = v;
			break;
		}
		if (rc < 0)
			return rc;
	}
	th = json_object_get(j, "thawed");
	if (th && !json_is_null(th) && !json_is_boolean(th))
		return ob_error_set(OB_EINVALID, "thawed: must be true or false");
	s->parent_thawed = json_is_true(th);
	return 0;
}

int ob_h_specimen_record(ob_http_request *req, ob_http_response *resp, int status,
                         const char *barcode)
{
	ob_specimen_full f;
	ob_buf b = OB_BUF_INIT;
	int rc;

	if ((rc = ob_specimen_full_read(&req->cx, barcode, &f)) == 0) {
		rc = ob_view_specimen_full(&f, &b);
		ob_specimen_full_free(&f);
	}
	return ob_h_reply(resp, status, &b, rc);
}

int ob_h_specimens_add(ob_http_request *req, ob_http_response *resp)
{
	char barcode[OB_BARCODE_MAX];
	ob_specimen_new s;
	json_t *j = NULL;
	int rc;

	if ((rc = ob_http_json_body(req, &j)) < 0 || (rc = fill(j, &s)) < 0
	    || (rc = ob_specimen_create(&req->cx, &s, NULL, barcode)) < 0)
		goto out;
	rc = ob_h_specimen_record(req, resp, 201, barcode);
out:
	json_decref(j);
	return rc;
}

int ob_h_specimen_show(ob_http_request *req, ob_http_response *resp)
{
	return ob_h_specimen_record(req, resp, 200, req->params[0]);
}

/* ---- aliquots and derivatives ------------------------------------------ */

static int add_barcode(const char *barcode, void *arg)
{
	if (json_array_append_new(arg, json_string(barcode)) < 0)
		return ob_error_set(OB_ERROR, "aliquot: out of memory");
	return 0;
}

int ob_h_specimen_aliquot(ob_http_request *req, ob_http_response *resp)
{
	static const char *const known[] = { "quantity", "unit", "count", "container",
		"positions", "position", "thawed", "used", "label", NULL };
	const char **plist = NULL;
	ob_aliquot_req a;
	json_t *j = NULL, *pos, *out = NULL, *th;
	int rc;

	memset(&a, 0, sizeof a);
	if ((rc = ob_http_json_body(req, &j)) < 0 || (rc = ob_h_json_known(j, known)) < 0)
		goto out;
	ob_specimen_new_init(&a.s);
	a.s.parent = req->params[0];
	a.s.lineage = "aliquot";
	if ((rc = ob_http_json_num(j, "quantity", &a.s.quantity)) < 0
	    || (rc = ob_http_json_str(j, "unit", &a.s.unit)) < 0
	    || (rc = ob_http_json_int(j, "count", 1, &a.count)) < 0
	    || (rc = ob_http_json_str(j, "container", &a.s.container)) < 0
	    || (rc = ob_http_json_str(j, "position", &a.s.position)) < 0
	    || (rc = ob_http_json_str(j, "label", &a.s.label)) < 0
	    || (rc = ob_http_json_num(j, "used", &a.s.parent_used)) < 0)
		goto out;
	th = json_object_get(j, "thawed");
	if (th && !json_is_null(th) && !json_is_boolean(th)) {
		rc = ob_error_set(OB_EINVALID, "thawed: must be true or false");
		goto out;
	}
	a.s.parent_thawed = json_is_true(th);
	pos = json_object_get(j, "positions");
	if (pos && !json_is_null(pos)) {
		if (!json_is_array(pos)) {
			rc = ob_error_set(OB_EINVALID, "positions: must list one position per aliquot"
				" (%lld)", a.count);
			goto out;
		}
		if (!(plist = calloc(json_array_size(pos) + 1, sizeof *plist))) {
			rc = ob_error_set(OB_ERROR, "aliquot: out of memory");
			goto out;
		}
		for (size_t i = 0; i < json_array_size(pos); i++) {
			json_t *e = json_array_get(pos, i);
			if (!json_is_string(e)) {
				rc = ob_error_set(OB_EINVALID, "positions: item %zu is not a string", i);
				goto out;
			}
			plist[i] = json_string_value(e);
		}
		a.positions = plist;
		a.npositions = json_array_size(pos);
	}
	if (!(out = json_array())) {
		rc = ob_error_set(OB_ERROR, "aliquot: out of memory");
		goto out;
	}
	if ((rc = ob_specimen_aliquot(&req->cx, &a, add_barcode, out)) < 0)
		goto out;
	rc = ob_h_reply_json(resp, 201, json_pack("{s:O}", "barcodes", out));
out:
	free(plist);
	json_decref(out);
	json_decref(j);
	return rc;
}

static int keep_barcode(const char *barcode, void *arg)
{
	ob_strlcpy(arg, barcode, OB_BARCODE_MAX);
	return 0;
}

int ob_h_specimen_derive(ob_http_request *req, ob_http_response *resp)
{
	static const char *const known[] = { "type", "quantity", "unit", "used", "concentration",
		"a260_280", "rin", "din", "container", "position", "label", "thawed", NULL };
	char barcode[OB_BARCODE_MAX];
	ob_aliquot_req a = { .count = 1 };
	ob_specimen_new *s = &a.s;
	json_t *j = NULL, *th;
	int rc;

	if ((rc = ob_http_json_body(req, &j)) < 0 || (rc = ob_h_json_known(j, known)) < 0)
		goto out;
	ob_specimen_new_init(s);
	s->parent = req->params[0];
	s->lineage = "derivative";
	if ((rc = ob_h_json_required(j, "type", &s->type)) < 0
	    || (rc = ob_http_json_num(j, "quantity", &s->quantity)) < 0
	    || (rc = ob_http_json_str(j, "unit", &s->unit)) < 0
	    || (rc = ob_http_json_num(j, "used", &s->parent_used)) < 0
	    || (rc = ob_http_json_num(j, "concentration", &s->concentration)) < 0
	    || (rc = ob_http_json_num(j, "a260_280", &s->a260_280)) < 0
	    || (rc = ob_http_json_num(j, "rin", &s->rin)) < 0
	    || (rc = ob_http_json_num(j, "din", &s->din)) < 0
	    || (rc = ob_http_json_str(j, "container", &s->container)) < 0
	    || (rc = ob_http_json_str(j, "position", &s->position)) < 0
	    || (rc = ob_http_json_str(j, "label", &s->label)) < 0)
		goto out;
	th = json_object_get(j, "thawed");
	if (th && !json_is_null(th) && !json_is_boolean(th)) {
		rc = ob_error_set(OB_EINVALID, "thawed: must be true or false");
		goto out;
	}
	s->parent_thawed = json_is_true(th);
	if ((rc = ob_specimen_aliquot(&req->cx, &a, keep_barcode, barcode)) < 0)
		goto out;
	rc = ob_h_specimen_record(req, resp, 201, barcode);
out:
	json_decref(j);
	return rc;
}

/* ---- changes to one specimen ------------------------------------------- */

int ob_h_specimen_move(ob_http_request *req, ob_http_response *resp)
{
	static const char *const known[] = { "container", "position", NULL };
	const char *container, *position;
	json_t *j = NULL;
	int rc;

	if ((rc = ob_http_json_body(req, &j)) < 0 || (rc = ob_h_json_known(j, known)) < 0
	    || (rc = ob_http_json_str(j, "container", &container)) < 0
	    || (rc = ob_http_json_str(j, "position", &position)) < 0)
		goto out;
	if (!json_object_get(j, "container")) {
		rc = ob_error_set(OB_EINVALID, "container: is required (null takes the specimen"
			" out of storage)");
		goto out;
	}
	if (container && !position) {
		rc = ob_error_set(OB_EINVALID, "position: is required with a container");
		goto out;
	}
	if ((rc = ob_specimen_move(&req->cx, req->params[0], container,
			container ? position : NULL)) < 0)
		goto out;
	rc = ob_h_specimen_record(req, resp, 200, req->params[0]);
out:
	json_decref(j);
	return rc;
}

int ob_h_specimen_status(ob_http_request *req, ob_http_response *resp)
{
	static const char *const known[] = { "status", "reason", NULL };
	const char *status, *reason;
	json_t *j = NULL;
	int rc;

	if ((rc = ob_http_json_body(req, &j)) < 0 || (rc = ob_h_json_known(j, known)) < 0
	    || (rc = ob_h_json_required(j, "status", &status)) < 0
	    || (rc = ob_http_json_str(j, "reason", &reason)) < 0)
		goto out;
	if (!ob_specimen_status_valid(status)) {
		rc = ob_error_set(OB_EINVALID, "status: '%s' is not a status (available, reserved,"
			" in_transit, distributed, depleted, destroyed, missing)", status);
		goto out;
	}
	if ((rc = ob_specimen_set_status(&req->cx, req->params[0], status, reason)) < 0)
		goto out;
	rc = ob_h_specimen_record(req, resp, 200, req->params[0]);
out:
	json_decref(j);
	return rc;
}

int ob_h_specimen_thaw(ob_http_request *req, ob_http_response *resp)
{
	static const char *const known[] = { NULL };
	json_t *j = NULL;
	int rc;

	/* No body needed; one given must be an empty JSON object. */
	if (req->body && req->body_len
	    && ((rc = ob_http_json_body(req, &j)) < 0 || (rc = ob_h_json_known(j, known)) < 0))
		goto out;
	if ((rc = ob_specimen_thaw(&req->cx, req->params[0])) < 0)
		goto out;
	rc = ob_h_specimen_record(req, resp, 200, req->params[0]);
out:
	json_decref(j);
	return rc;
}

int ob_h_specimens_swap(ob_http_request *req, ob_http_response *resp)
{
	static const char *const known[] = { "a", "b", NULL };
	const char *a, *b;
	json_t *j = NULL;
	int rc;

	if ((rc = ob_http_json_body(req, &j)) < 0 || (rc = ob_h_json_known(j, known)) < 0
	    || (rc = ob_h_json_required(j, "a", &a)) < 0 || (rc = ob_h_json_required(j, "b", &b)) < 0
	    || (rc = ob_specimen_swap(&req->cx, a, b)) < 0)
		goto out;
	rc = ob_h_reply_json(resp, 200, json_pack("{s:s, s:s}", "a", a, "b", b));
out:
	json_decref(j);
	return rc;
}
