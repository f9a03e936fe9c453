/*
 * h_containers.c - the storage routes: list and add containers, a box's map
 * (or what another container holds), the freezer-failure report, emptying
 * a box into another (docs/api.md; the domain is container.h).
 */
#include "http/handlers.h"
#include "bank/container.h"
#include "base/error.h"
#include "view/view.h"

#include <math.h>
#include <string.h>

/* Replies with the containers of site or below under (src/view). */
static int list_reply(ob_http_request *req, ob_http_response *resp, const char *site,
                      const char *under)
{
	ob_container_tree t;
	int rc;

	if ((rc = ob_container_list(&req->cx, site, under, &t)) < 0)
		return rc;
	rc = ob_h_reply_view(resp, 200, ob_view_container_tree(&t), 0);
	ob_container_tree_free(&t);
	return rc;
}

int ob_h_containers_list(ob_http_request *req, ob_http_response *resp)
{
	return list_reply(req, resp, ob_http_query(req, "site"), ob_http_query(req, "under"));
}

static json_t *info_json(const ob_container_info *c)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:o}", "barcode", c->barcode, "name", c->name,
		"kind", c->kind, "site", c->site,
		"parent", *c->parent ? json_string(c->parent) : json_null());

	if (!o)
		return NULL;
	json_object_set_new(o, "temperature", isnan(c->temperature) ? json_null()
		: json_real(c->temperature));
	if (c->rows) {
		json_object_set_new(o, "rows", json_integer(c->rows));
		json_object_set_new(o, "cols", json_integer(c->cols));
		json_object_set_new(o, "scheme", json_string(c->scheme));
	}
	return o;
}

int ob_h_containers_add(ob_http_request *req, ob_http_response *resp)
{
	static const char *const known[] = { "barcode", "name", "kind", "site", "parent",
		"temperature", "rows", "cols", "scheme", NULL };
	ob_container_new c;
	ob_container_info info;
	long long rows, cols;
	json_t *j = NULL;
	int rc;

	ob_container_new_init(&c);
	if ((rc = ob_http_json_body(req, &j)) < 0 || (rc = ob_h_json_known(j, known)) < 0
	    || (rc = ob_h_json_required(j, "barcode", &c.barcode)) < 0
	    || (rc = ob_http_json_str(j, "name", &c.name)) < 0
	    || (rc = ob_h_json_required(j, "kind", &c.kind)) < 0
	    || (rc = ob_http_json_str(j, "site", &c.site)) < 0
	    || (rc = ob_http_json_str(j, "parent", &c.parent)) < 0
	    || (rc = ob_http_json_num(j, "temperature", &c.temperature)) < 0
	    || (rc = ob_http_json_int(j, "rows", 0, &rows)) < 0
	    || (rc = ob_http_json_int(j, "cols", 0, &cols)) < 0
	    || (rc = ob_http_json_str(j, "scheme", &c.scheme)) < 0)
		goto out;
	if (rows < 0 || rows > OB_CONTAINER_DIM_MAX || cols < 0 || cols > OB_CONTAINER_DIM_MAX) {
		rc = ob_error_set(OB_EINVALID, "%s: a box has 1 to %d rows and columns",
			rows < 0 || rows > OB_CONTAINER_DIM_MAX ? "rows" : "cols", OB_CONTAINER_DIM_MAX);
		goto out;
	}
	c.rows = (int)rows;
	c.cols = (int)cols;
	if ((rc = ob_container_add(&req->cx, &c, NULL)) < 0
	    || (rc = ob_container_get(&req->cx, c.barcode, &info)) < 0)
		goto out;
	rc = ob_h_reply_json(resp, 201, info_json(&info));
out:
	json_decref(j);
	return rc;
}

int ob_h_container_show(ob_http_request *req, ob_http_response *resp)
{
	ob_container_info c;
	ob_box_map m;
	int rc;

	if ((rc = ob_container_get(&req->cx, req->params[0], &c)) < 0)
		return rc;
	if (strcmp(c.kind, "box"))
		return list_reply(req, resp, NULL, c.barcode);
	if ((rc = ob_container_map(&req->cx, c.barcode, &m)) < 0)
		return rc;
	rc = ob_h_reply_view(resp, 200, ob_view_box_map(&m), 0);
	ob_box_map_free(&m);
	return rc;
}

int ob_h_container_report(ob_http_request *req, ob_http_response *resp)
{
	ob_freezer_report r;
	int rc;

	if ((rc = ob_container_report(&req->cx, req->params[0], &r)) < 0)
		return rc;
	rc = ob_h_reply_view(resp, 200, ob_view_freezer_report(&r), 0);
	ob_freezer_report_free(&r);
	return rc;
}

int ob_h_container_empty(ob_http_request *req, ob_http_response *resp)
{
	static const char *const known[] = { "into", NULL };
	const char *into;
	int64_t moved = 0;
	json_t *j = NULL;
	int rc;

	if ((rc = ob_http_json_body(req, &j)) < 0 || (rc = ob_h_json_known(j, known)) < 0
	    || (rc = ob_h_json_required(j, "into", &into)) < 0
	    || (rc = ob_container_empty_into(&req->cx, req->params[0], into, &moved)) < 0)
		goto out;
	rc = ob_h_reply_json(resp, 200, json_pack("{s:s, s:s, s:I}", "from", req->params[0],
		"into", into, "moved", (json_int_t)moved));
out:
	json_decref(j);
	return rc;
}

int ob_h_container_correct(ob_http_request *req, ob_http_response *resp)
{
	ob_h_changes c;
	json_t *j = NULL;
	int rc;

	if ((rc = ob_http_json_body(req, &j)) == 0 && (rc = ob_h_json_changes(j, &c)) == 0
	    && (rc = ob_container_correct(&req->cx, req->params[0], c.ch, c.n, c.reason)) == 0)
		rc = ob_h_container_show(req, resp);
	json_decref(j);
	return rc;
}

int ob_h_container_history(ob_http_request *req, ob_http_response *resp)
{
	json_t *changes = NULL;
	int rc = ob_container_changes(&req->cx, req->params[0], ob_h_history_cb, &changes);

	return ob_h_reply_history(resp, changes, rc);
}
