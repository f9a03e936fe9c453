/*
 * h_study.c - the studies' routes (docs/api.md, "Studies"): thin, as the
 * other handlers: JSON in, one domain call of bank/study.h with the
 * request's context, the records out as src/view/study_view.c renders them.
 */
#include "http/handlers.h"
#include "bank/study.h"
#include "base/error.h"
#include "bank/fields.h"
#include "view/study_view.h"
#include "view/view.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Answers with the study's full record. */
static int study_reply(ob_http_request *req, ob_http_response *resp, int status, const char *code)
{
	ob_study_full f;
	int rc;

	if ((rc = ob_study_read(&req->cx, code, &f)) < 0)
		return rc;
	rc = ob_h_reply_view(resp, status, ob_view_study(&f, true), 0);
	ob_study_full_free(&f);
	return rc;
}

int ob_h_studies_list(ob_http_request *req, ob_http_response *resp)
{
	json_t *a = json_array();
	int rc = ob_study_list(&req->cx, ob_view_study_append, a);

	if (rc < 0) {
		json_decref(a);
		return rc;
	}
	return ob_h_reply_view(resp, 200, json_pack("{s:o}", "studies", a), 0);
}

/* Reads member name of j, an array of strings, into out (at most max,
 * borrowed from j). */
static int str_array(json_t *j, const char *name, const char **out, size_t max, size_t *n)
{
	json_t *a = json_object_get(j, name), *v;
	size_t i;
	int rc;

	*n = 0;
	if (!a || json_is_null(a))
		return 0;
	if (!json_is_array(a))
		return ob_error_set(OB_EINVALID, "%s: must be an array of strings", name);
	if (json_array_size(a) > max)
		return ob_error_set(OB_EINVALID, "%s: at most %zu", name, max);
	json_array_foreach(a, i, v) {
		if (!json_is_string(v))
			return ob_error_set(OB_EINVALID, "%s: must be an array of strings", name);
		if ((rc = ob_field_check(name, json_string_value(v), json_string_length(v))) < 0)
			return rc;
		out[(*n)++] = json_string_value(v);
	}
	return 0;
}

int ob_h_studies_add(ob_http_request *req, ob_http_response *resp)
{
	static const char *const known[] = { "code", "title", "status", "pi", "ethics_ref",
		"ethics_approved_on", "ethics_expires_on", "ppid_format", "sites", "forms", NULL };
	const char *sites[64], *forms[64];
	ob_study_new in;
	json_t *j = NULL;
	int rc;

	memset(&in, 0, sizeof in);
	ob_record_init(ob_study_fields, &in.r);
	if ((rc = ob_http_json_body(req, &j)) < 0 || (rc = ob_h_json_known(j, known)) < 0
	    || (rc = ob_h_json_required(j, "code", &in.r.code)) < 0
	    || (rc = ob_h_json_required(j, "title", &in.r.title)) < 0
	    || (rc = ob_http_json_str(j, "status", &in.r.status)) < 0
	    || (rc = ob_http_json_str(j, "pi", &in.r.pi)) < 0
	    || (rc = ob_http_json_str(j, "ethics_ref", &in.r.ethics_ref)) < 0
	    || (rc = ob_http_json_str(j, "ethics_approved_on", &in.r.ethics_approved_on)) < 0
	    || (rc = ob_http_json_str(j, "ethics_expires_on", &in.r.ethics_expires_on)) < 0
	    || (rc = ob_http_json_str(j, "ppid_format", &in.r.ppid_format)) < 0
	    || (rc = str_array(j, "sites", sites, 64, &in.nsites)) < 0
	    || (rc = str_array(j, "forms", forms, 64, &in.nforms)) < 0)
		goto out;
	in.sites = sites;
	in.forms = forms;
	if ((rc = ob_study_add(&req->cx, &in, NULL)) == 0)
		rc = study_reply(req, resp, 201, in.r.code);
out:
	json_decref(j);
	return rc;
}

int ob_h_study_show(ob_http_request *req, ob_http_response *resp)
{
	return study_reply(req, resp, 200, req->params[0]);
}

int ob_h_study_correct(ob_http_request *req, ob_http_response *resp)
{
	ob_h_changes c;
	json_t *j = NULL;
	int rc;

	if ((rc = ob_http_json_body(req, &j)) == 0 && (rc = ob_h_json_changes(j, &c)) == 0
	    && (rc = ob_study_correct(&req->cx, req->params[0], c.ch, c.n, c.reason)) == 0)
		rc = study_reply(req, resp, 200, req->params[0]);
	json_decref(j);
	return rc;
}

int ob_h_study_history(ob_http_request *req, ob_http_response *resp)
{
	json_t *changes = NULL;
	int rc = ob_study_changes(&req->cx, req->params[0], ob_h_history_cb, &changes);

	return ob_h_reply_history(resp, changes, rc);
}

int ob_h_study_site_add(ob_http_request *req, ob_http_response *resp)
{
	static const char *const known[] = { "site", NULL };
	const char *site;
	json_t *j = NULL;
	int rc;

	if ((rc = ob_http_json_body(req, &j)) == 0 && (rc = ob_h_json_known(j, known)) == 0
	    && (rc = ob_h_json_required(j, "site", &site)) == 0
	    && (rc = ob_study_site_add(&req->cx, req->params[0], site)) == 0)
		rc = study_reply(req, resp, 201, req->params[0]);
	json_decref(j);
	return rc;
}

int ob_h_study_form_add(ob_http_request *req, ob_http_response *resp)
{
	static const char *const known[] = { "form_version", NULL };
	const char *version;
	json_t *j = NULL;
	int rc;

	if ((rc = ob_http_json_body(req, &j)) == 0 && (rc = ob_h_json_known(j, known)) == 0
	    && (rc = ob_h_json_required(j, "form_version", &version)) == 0
	    && (rc = ob_study_form_add(&req->cx, req->params[0], version)) == 0)
		rc = study_reply(req, resp, 201, req->params[0]);
	json_decref(j);
	return rc;
}

int ob_h_study_event_add(ob_http_request *req, ob_http_response *resp)
{
	static const char *const known[] = { "code", "label", "day", "position", NULL };
	const char *code, *label;
	long long day, position;
	json_t *j = NULL;
	int rc;

	if ((rc = ob_http_json_body(req, &j)) == 0 && (rc = ob_h_json_known(j, known)) == 0
	    && (rc = ob_h_json_required(j, "code", &code)) == 0
	    && (rc = ob_http_json_str(j, "label", &label)) == 0
	    && (rc = ob_http_json_int(j, "day", 0, &day)) == 0
	    && (rc = ob_http_json_int(j, "position", -1, &position)) == 0
	    && (rc = ob_study_event_add(&req->cx, req->params[0], code, label, day,
			position)) == 0)
		rc = study_reply(req, resp, 201, req->params[0]);
	json_decref(j);
	return rc;
}

int ob_h_study_requirement_add(ob_http_request *req, ob_http_response *resp)
{
	static const char *const known[] = { "code", "type", "pathology", "anatomic_site", "count",
		"quantity", "unit", "processing", NULL };
	ob_study_req_record r;
	long long count;
	json_t *j = NULL;
	int rc;

	ob_record_init(ob_study_req_fields, &r);
	if ((rc = ob_http_json_body(req, &j)) == 0 && (rc = ob_h_json_known(j, known)) == 0
	    && (rc = ob_h_json_required(j, "code", &r.code)) == 0
	    && (rc = ob_h_json_required(j, "type", &r.type)) == 0
	    && (rc = ob_http_json_str(j, "pathology", &r.pathology)) == 0
	    && (rc = ob_http_json_str(j, "anatomic_site", &r.anatomic_site)) == 0
	    && (rc = ob_http_json_int(j, "count", 1, &count)) == 0
	    && (rc = ob_http_json_num(j, "quantity", &r.quantity)) == 0
	    && (rc = ob_http_json_str(j, "unit", &r.unit)) == 0
	    && (rc = ob_http_json_str(j, "processing", &r.processing)) == 0) {
		r.count = count;
		if ((rc = ob_study_requirement_add(&req->cx, req->params[0], req->params[1], &r)) == 0)
			rc = study_reply(req, resp, 201, req->params[0]);
	}
	json_decref(j);
	return rc;
}

int ob_h_study_member_add(ob_http_request *req, ob_http_response *resp)
{
	static const char *const known[] = { "user", "role", NULL };
	const char *user, *role;
	json_t *j = NULL;
	int rc;

	if ((rc = ob_http_json_body(req, &j)) == 0 && (rc = ob_h_json_known(j, known)) == 0
	    && (rc = ob_h_json_required(j, "user", &user)) == 0
	    && (rc = ob_h_json_required(j, "role", &role)) == 0
	    && (rc = ob_study_member_add(&req->cx, req->params[0], user, role)) == 0)
		rc = study_reply(req, resp, 201, req->params[0]);
	json_decref(j);
	return rc;
}

int ob_h_study_member_remove(ob_http_request *req, ob_http_response *resp)
{
	static const char *const known[] = { NULL };
	json_t *j = NULL;
	int rc;

	/* no body, or an empty object: anything else is a mistake to report */
	if (req->body_len && ((rc = ob_http_json_body(req, &j)) < 0
			|| (rc = ob_h_json_known(j, known)) < 0)) {
		json_decref(j);
		return rc;
	}
	json_decref(j);
	if ((rc = ob_study_member_remove(&req->cx, req->params[0], req->params[1])) < 0)
		return rc;
	return study_reply(req, resp, 200, req->params[0]);
}

int ob_h_study_participants(ob_http_request *req, ob_http_response *resp)
{
	json_t *a = json_array();
	int rc = ob_study_participants(&req->cx, req->params[0], ob_view_study_participant_append,
		a);

	if (rc < 0) {
		json_decref(a);
		return rc;
	}
	return ob_h_reply_view(resp, 200, json_pack("{s:o}", "participants", a), 0);
}

int ob_h_study_enrol(ob_http_request *req, ob_http_response *resp)
{
	static const char *const known[] = { "site", "donor", "ppid", "date", NULL };
	const char *site, *donor, *ppid, *date;
	json_t *j = NULL;
	int rc;

	if ((rc = ob_http_json_body(req, &j)) == 0 && (rc = ob_h_json_known(j, known)) == 0
	    && (rc = ob_h_json_required(j, "site", &site)) == 0
	    && (rc = ob_h_json_required(j, "donor", &donor)) == 0
	    && (rc = ob_h_json_required(j, "ppid", &ppid)) == 0
	    && (rc = ob_http_json_str(j, "date", &date)) == 0
	    && (rc = ob_study_enrol(&req->cx, req->params[0], site, donor, ppid, date)) == 0)
		rc = ob_h_reply_view(resp, 201, json_pack("{s:s,s:s,s:s,s:s}", "study",
			req->params[0], "ppid", ppid, "site", site, "donor", donor), 0);
	json_decref(j);
	return rc;
}

/* The worklist as CSV: what a coordinator prints. */
static void csv_cell(ob_buf *b, const char *v, bool last)
{
	if (!v)
		v = "";
	if (strpbrk(v, ",\"\r\n")) {
		ob_buf_putc(b, '"');
		for (const char *p = v; *p; p++) {
			if (*p == '"')
				ob_buf_putc(b, '"');
			ob_buf_putc(b, *p);
		}
		ob_buf_putc(b, '"');
	} else {
		ob_buf_puts(b, v);
	}
	ob_buf_putc(b, last ? '\n' : ',');
}

static int due_csv(const ob_study_due *d, void *arg)
{
	ob_buf *b = arg;
	char n[3][24], q[40] = "";

	snprintf(n[0], sizeof n[0], "%lld", (long long)d->expected);
	snprintf(n[1], sizeof n[1], "%lld", (long long)d->collected);
	snprintf(n[2], sizeof n[2], "%lld", (long long)d->missing);
	if (!isnan(d->quantity))
		snprintf(q, sizeof q, "%g", d->quantity);
	const char *cells[] = { d->ppid, d->site, d->donor, d->event, d->event_label, d->due_on,
		d->requirement, d->type, n[0], n[1], n[2], q, d->unit, d->processing };
	for (size_t i = 0; i < sizeof cells / sizeof cells[0]; i++)
		csv_cell(b, cells[i], i + 1 == sizeof cells / sizeof cells[0]);
	return b->failed ? ob_error_set(OB_ERROR, "worklist: out of memory") : 0;
}

int ob_h_study_worklist(ob_http_request *req, ob_http_response *resp)
{
	const char *format = ob_http_query(req, "format"), *site = ob_http_query(req, "site");
	const char *event = ob_http_query(req, "event");
	int rc;

	if (format && !strcmp(format, "csv")) {
		ob_buf b = OB_BUF_INIT;
		ob_buf_puts(&b, "ppid,site,donor,event,event_label,due_on,requirement,type,expected,"
			"collected,missing,quantity,unit,processing\n");
		rc = ob_study_worklist(&req->cx, req->params[0], site, event, due_csv, &b);
		if (rc < 0) {
			ob_buf_dispose(&b);
			return rc;
		}
		ob_http_json(resp, 200, &b);
		ob_buf_dispose(&b);
		resp->content_type = "text/csv; charset=utf-8";
		snprintf(resp->disposition, sizeof resp->disposition,
			"attachment; filename=\"worklist.csv\"");
		return 0;
	}
	json_t *a = json_array();
	rc = ob_study_worklist(&req->cx, req->params[0], site, event, ob_view_study_due_append, a);
	if (rc < 0) {
		json_decref(a);
		return rc;
	}
	return ob_h_reply_view(resp, 200, json_pack("{s:s,s:o}", "study", req->params[0], "due", a),
		0);
}

int ob_h_study_accrual(ob_http_request *req, ob_http_response *resp)
{
	json_t *a = json_array();
	int64_t enrolled = 0;
	int rc = ob_study_accrual(&req->cx, req->params[0], &enrolled, ob_view_study_accrual_append,
		a);

	if (rc < 0) {
		json_decref(a);
		return rc;
	}
	return ob_h_reply_view(resp, 200, json_pack("{s:s,s:I,s:o}", "study", req->params[0],
		"enrolled", (json_int_t)enrolled, "rows", a), 0);
}
