/*
 * h_data.c - the data routes: all-or-nothing CSV import, export as CSV or
 * JSON, specimen and box labels (PDF or PNG), a SPREC code in words, the
 * dashboard's statistics and the OpenAPI document (docs/api.md).
 *
 * Import reads the request body through a memory stream, so the importer's
 * streaming reader is used unchanged. Export is written into a memory
 * stream and sent as one body: the response holds the whole export (the
 * server's streaming responses can take over later).
 */
#include "http/handlers.h"
#include "bank/access.h"
#include "bank/csvimport.h"
#include "bank/label.h"
#include "bank/sprec.h"
#include "bank/stats.h"
#include "base/error.h"
#include "base/util.h"
#include "view/view.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The OpenAPI document, embedded from src/http/openapi.json by the build. */
extern const char ob_text_openapi[];

/* ---- import --------------------------------------------------------- */

/* Turns "upload.csv:LINE: column: message" lines into row objects. */
static int report_rows(const char *name, const char *messages, json_t *rows)
{
	size_t nlen = strlen(name);
	const char *line = messages;

	while (line && *line) {
		const char *end = strchr(line, '\n'), *p = line, *colon;
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char text[1024];
		json_t *o;
		long long ln = 0;
		int n = 0;

		if (len >= sizeof text)
			len = sizeof text - 1;
		memcpy(text, line, len);
		text[len] = '\0';
		line = end ? end + 1 : NULL;
		p = text;
		if (!strncmp(p, name, nlen) && p[nlen] == ':')
			p += nlen + 1;
		if (sscanf(p, "%lld:%n", &ln, &n) == 1 && n > 0)
			p += n;
		while (*p == ' ')
			p++;
		/* A column name has no blank; a message may start with words. */
		colon = strstr(p, ": ");
		o = json_object();
		if (!o)
			return OB_ERROR;
		json_object_set_new(o, "line", ln > 0 ? json_integer(ln) : json_null());
		if (colon && !memchr(p, ' ', (size_t)(colon - p))) {
			json_object_set_new(o, "column", json_stringn(p, (size_t)(colon - p)));
			json_object_set_new(o, "message", json_string(colon + 2));
		} else {
			json_object_set_new(o, "column", json_null());
			json_object_set_new(o, "message", json_string(p));
		}
		if (json_array_append_new(rows, o) < 0)
			return OB_ERROR;
	}
	return 0;
}

/* The mapper's error body, with the bad rows added. */
static void import_error(ob_http_response *resp, int code, const char *name,
                         const ob_import_report *rep)
{
	json_t *body, *rows;
	char *text;

	ob_http_error(resp, code);
	body = json_loads(ob_buf_cstr(&resp->body), 0, NULL);
	rows = json_array();
	if (!body || !rows || report_rows(name, ob_buf_cstr(&rep->messages), rows) < 0
	    || json_object_set(body, "rows", rows) < 0 || !(text = json_dumps(body, JSON_COMPACT)))
		goto out;
	ob_buf_clear(&resp->body);
	ob_buf_puts(&resp->body, text);
	free(text);
out:
	json_decref(rows);
	json_decref(body);
}

static int lines_json(const char *text, json_t *arr)
{
	while (text && *text) {
		const char *end = strchr(text, '\n');
		size_t len = end ? (size_t)(end - text) : strlen(text);
		if (len && json_array_append_new(arr, json_stringn(text, len)) < 0)
			return OB_ERROR;
		text = end ? end + 1 : NULL;
	}
	return 0;
}

int ob_h_import(ob_http_request *req, ob_http_response *resp)
{
	static const char name[] = "upload.csv";
	const char *order = ob_http_query(req, "date_order");
	const char *phase = ob_http_query(req, "consent_phase");
	const char *mode = ob_http_query(req, "mode");
	ob_import_opts o = { name, 0, OB_DATE_DMY, OB_CONSENT_PHASE_ALL };
	bool update = false;
	ob_import_report rep;
	ob_import_kind kind;
	json_t *warn = NULL;
	FILE *in;
	int rc;

	if (ob_import_kind_parse(req->params[0], &kind) < 0)
		return ob_error_set(OB_ENOTFOUND, "kind: '%s' is not something to import (sites,"
			" donors, diagnoses, consents, containers, specimens, studies, events,"
			" requirements, participants, openspecimen)",
			req->params[0]);
	if (order && !strcmp(order, "mdy"))
		o.date_order = OB_DATE_MDY;
	else if (order && strcmp(order, "dmy"))
		return ob_error_set(OB_EINVALID, "date_order: '%s' is dmy or mdy", order);
	else if (!order && kind == OB_IMPORT_OPENSPECIMEN)
		o.date_order = OB_DATE_MDY;  /* OpenSpecimen writes mm-dd-yyyy */
	if (phase && !strcmp(phase, "signed"))
		o.consent_phase = OB_CONSENT_PHASE_SIGNED;
	else if (phase && !strcmp(phase, "withdrawals"))
		o.consent_phase = OB_CONSENT_PHASE_WITHDRAWALS;
	else if (phase && strcmp(phase, "all"))
		return ob_error_set(OB_EINVALID, "consent_phase: '%s' is all, signed or withdrawals",
			phase);
	/* mode=update: each row corrects the specimen it names (docs/import.md) */
	if (mode && !strcmp(mode, "update"))
		update = true;
	else if (mode && strcmp(mode, "create"))
		return ob_error_set(OB_EINVALID, "mode: '%s' is create or update", mode);
	if (update && kind != OB_IMPORT_SPECIMENS)
		return ob_error_set(OB_EINVALID, "mode: only specimens are corrected by an import");
	if (!req->body || !req->body_len)
		return ob_error_set(OB_EINVALID, "body: the CSV is empty");
	if (!(in = fmemopen((void *)req->body, req->body_len, "r")))
		return ob_error_set(OB_ERROR, "import: cannot open the body as a stream");
	ob_import_report_init(&rep);
	rc = update ? ob_import_corrections(&req->cx, in, &o, &rep)
		: ob_import_csv(&req->cx, kind, in, &o, &rep);
	fclose(in);
	if (rc == OB_EINVALID || rc == OB_EPERM) {
		/* the error with its rows; a refused row (OB_EPERM), or one naming
		 * a record the scope hides, is audited as a refusal */
		import_error(resp, rc, name, &rep);
		ob_access_record_refusal(&req->cx, rc);
		rc = 0;
		goto out;
	}
	if (rc < 0)
		goto out;
	if (!(warn = json_array()) || lines_json(ob_buf_cstr(&rep.warnings), warn) < 0) {
		rc = ob_error_set(OB_ERROR, "import: out of memory");
		goto out;
	}
	rc = ob_h_reply_json(resp, 200, json_pack("{s:I, s:I, s:I, s:O}",
		"imported", (json_int_t)rep.imported, "rows", (json_int_t)rep.rows,
		"skipped", (json_int_t)rep.skipped, "warnings", warn));
out:
	json_decref(warn);
	ob_import_report_dispose(&rep);
	return rc;
}

/* ---- export --------------------------------------------------------- */

int ob_h_export(ob_http_request *req, ob_http_response *resp)
{
	const char *format = ob_http_query(req, "format");
	ob_export_format fmt = OB_EXPORT_CSV;
	ob_specimen_filter f;
	ob_import_kind kind;
	char *text = NULL;
	size_t len = 0;
	FILE *out;
	int rc;

	if (ob_import_kind_parse(req->params[0], &kind) < 0 || kind == OB_IMPORT_OPENSPECIMEN)
		return ob_error_set(OB_ENOTFOUND, "kind: '%s' is not something to export (sites,"
			" donors, diagnoses, consents, containers, specimens, studies, events,"
			" requirements, participants)", req->params[0]);
	if (format && !strcmp(format, "json"))
		fmt = OB_EXPORT_JSON;
	else if (format && strcmp(format, "csv"))
		return ob_error_set(OB_EINVALID, "format: '%s' is csv or json", format);
	if ((rc = ob_h_specimen_filter(req, &f)) < 0)
		return rc;
	if (!(out = open_memstream(&text, &len)))
		return ob_error_set(OB_ERROR, "export: out of memory");
	rc = ob_export(&req->cx, kind, &f, fmt, out, NULL);
	if (fclose(out) != 0 && rc == 0)
		rc = ob_error_set(OB_ERROR, "export: out of memory");
	if (rc == 0 && ob_buf_put(&resp->body, text, len) < 0)
		rc = ob_error_set(OB_ERROR, "export: out of memory");
	free(text);
	if (rc < 0)
		return rc;
	resp->status = 200;
	resp->content_type = fmt == OB_EXPORT_JSON ? "application/json" : "text/csv; charset=utf-8";
	snprintf(resp->disposition, sizeof resp->disposition, "attachment; filename=\"%s.%s\"",
		req->params[0], fmt == OB_EXPORT_JSON ? "json" : "csv");
	return 0;
}

/* ---- labels ------------------------------------------------------------ */

/* A label document (binary) straight into the response body. */
static int label(ob_http_request *req, ob_http_response *resp, bool box)
{
	ob_label_format fmt;
	ob_label_symbology sym;
	int rc;

	if ((rc = ob_label_format_parse(ob_http_query(req, "format"), &fmt)) < 0
	    || (rc = ob_label_symbology_parse(ob_http_query(req, "symbology"), &sym)) < 0)
		return rc;
	ob_buf_clear(&resp->body);
	rc = box ? ob_label_container(&req->cx, req->params[0], fmt, sym, &resp->body)
		 : ob_label_specimen(&req->cx, req->params[0], fmt, sym, &resp->body);
	if (rc < 0)
		return rc;
	resp->status = 200;
	resp->content_type = ob_label_content_type(fmt);
	snprintf(resp->disposition, sizeof resp->disposition, "inline; filename=\"%.100s.%s\"",
		req->params[0], ob_label_extension(fmt));
	return 0;
}

int ob_h_label_specimen(ob_http_request *req, ob_http_response *resp)
{
	return label(req, resp, false);
}

int ob_h_label_container(ob_http_request *req, ob_http_response *resp)
{
	return label(req, resp, true);
}

/* ---- SPREC, statistics, OpenAPI ---------------------------------------- */

int ob_h_sprec(ob_http_request *req, ob_http_response *resp)
{
	const char *version = ob_http_query(req, "version");
	ob_sprec_parsed p;
	json_t *doc, *els;
	int rc;

	if ((rc = ob_sprec_parse(req->params[0], version, &p)) < 0) {
		/* Name the parameter, keeping the element's own message. */
		char msg[512];
		ob_strlcpy(msg, ob_error_last(), sizeof msg);
		return ob_error_set(rc, "%s: %s", strstr(msg, "version") ? "version" : "code", msg);
	}
	if (!(els = json_array()))
		return ob_error_set(OB_ERROR, "sprec: out of memory");
	for (int i = 0; i < OB_SPREC_NELEM; i++) {
		const ob_sprec_element *e = &p.element[i];
		char since[24];
		snprintf(since, sizeof since, "%d.%d", e->since / 10, e->since % 10);
		json_array_append_new(els, json_pack("{s:i, s:s, s:s, s:s, s:s}", "element", i + 1,
			"name", e->name, "code", e->code, "meaning", e->meaning, "since", since));
	}
	doc = json_pack("{s:s, s:s, s:s, s:o}", "code", req->params[0],
		"kind", p.kind == OB_SPREC_FLUID ? "fluid" : "solid",
		"version", p.version == OB_SPREC_V3 ? "3.0" : "4.0", "elements", els);
	return ob_h_reply_json(resp, 200, doc);
}

int ob_h_stats(ob_http_request *req, ob_http_response *resp)
{
	const char *recent = ob_http_query(req, "recent");
	ob_buf b = OB_BUF_INIT;
	ob_stats st;
	int64_t n = 0;
	int rc;

	if (recent && (ob_parse_i64(recent, &n) < 0 || n < 1 || n > 1000))
		return ob_error_set(OB_EINVALID, "recent: '%s' is not a whole number from 1 to 1000",
			recent);
	if ((rc = ob_stats_read(&req->cx, (int)n, &st)) < 0)
		return rc;
	/* the dashboard's document, unlike the lists, ends without a newline */
	rc = ob_view_dump(ob_view_stats(&st), &b);
	ob_stats_free(&st);
	return ob_h_reply(resp, 200, &b, rc);
}

int ob_h_openapi(ob_http_request *req, ob_http_response *resp)
{
	(void)req;
	resp->status = 200;
	resp->content_type = "application/json";
	if (ob_buf_puts(&resp->body, ob_text_openapi) < 0)
		return ob_error_set(OB_ERROR, "openapi: out of memory");
	return 0;
}
