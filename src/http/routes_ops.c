/*
 * routes_ops.c - the operators' routes (docs/operations.md, docs/api.md):
 * GET /healthz for a load balancer or a process supervisor, GET /metrics
 * for a Prometheus scraper, and GET /api/audit/head for an auditor who
 * anchors the audit trail from elsewhere (docs/audit.md).
 *
 * /healthz and /metrics need no login: scrapers and probes carry no
 * session, and what they show holds no user name, barcode or other record
 * (route patterns and counts, the schema level, the database's size).
 * Keep them from the outside world by the listen address or a proxy.
 */
#include "http/http.h"
#include "http/handlers.h"
#include "http/metrics.h"
#include "bank/access.h"
#include "bank/audit.h"
#include "base/error.h"
#include "store/store.h"

#include <stddef.h>

/* 200 {"status":"ok","database":"ok","schema":N,"schema_expected":N} when
 * the database answers and every migration this binary knows is applied
 * (and none it does not know); 503 otherwise, saying which. */
static int healthz(ob_http_request *req, ob_http_response *resp)
{
	int have = 0, want = 0, pending = 0;
	int rc = ob_store_schema_status(req->cx.st, &have, &want, &pending);
	bool ok = rc == 0 && pending == 0 && have == want;
	json_t *j;

	if (rc < 0)
		j = json_pack("{s:s,s:s,s:n,s:n}", "status", "unavailable", "database", "error",
			"schema", "schema_expected");
	else
		j = json_pack("{s:s,s:s,s:i,s:i}", "status", ok ? "ok" : "unavailable", "database",
			"ok", "schema", have, "schema_expected", want);
	if (rc == 0 && !ok)
		json_object_set_new(j, "schema_pending", json_integer(pending));
	return ob_h_reply_json(resp, ok ? 200 : 503, j);
}

static int metrics(ob_http_request *req, ob_http_response *resp)
{
	ob_buf b = OB_BUF_INIT;
	int64_t bytes;
	int rc;

	ob_metrics_render(&b);
	if ((rc = ob_store_size(req->cx.st, &bytes)) < 0) {
		ob_buf_dispose(&b);
		return rc;
	}
	ob_buf_printf(&b, "# HELP oncobank_db_size_bytes Bytes the database occupies (SQLite: its"
		" pages, the WAL aside).\n# TYPE oncobank_db_size_bytes gauge\n"
		"oncobank_db_size_bytes %lld\n", (long long)bytes);
	ob_buf_printf(&b, "# HELP oncobank_db_busy_retries_total Times a write found the database"
		" busy and tried again (docs/storage.md).\n# TYPE oncobank_db_busy_retries_total counter\n"
		"oncobank_db_busy_retries_total %llu\n", (unsigned long long)ob_store_busy_retries());
	rc = ob_h_reply(resp, 200, &b, 0);
	resp->content_type = "text/plain; version=0.0.4";
	return rc;
}

/* {"seq":N,"hash":"..."}: what `oncobank audit anchor` writes, for an
 * auditor who keeps anchors on another machine. */
static int audit_head(ob_http_request *req, ob_http_response *resp)
{
	char hash[OB_AUDIT_HASH_HEX];
	int64_t seq;
	int rc;

	if ((rc = ob_audit_head(&req->cx, &seq, hash)) < 0)
		return rc;
	return ob_h_reply_json(resp, 200, json_pack("{s:I,s:s}", "seq", (json_int_t)seq, "hash",
		hash));
}

const ob_http_route ob_http_routes_ops[] = {
	{ "GET", "/healthz", healthz, 0, 0, "Health: the database answers, its schema is current",
	  NULL, NULL },
	{ "GET", "/metrics", metrics, 0, 0, "Metrics in the Prometheus text format", NULL, NULL },
	{ "GET", "/api/audit/head", audit_head, OB_ROLE_ADMIN | OB_ROLE_AUDITOR, 0,
	  "The audit trail's head, to anchor it elsewhere (administrators, auditors)", NULL, NULL },
	{ NULL, NULL, NULL, 0, 0, NULL, NULL, NULL }
};
