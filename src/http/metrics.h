/*
 * metrics.h - the server's request counters behind GET /metrics
 * (Prometheus text exposition format 0.0.4; docs/operations.md).
 *
 * Process-wide and shared by every worker thread: ob_metrics_observe() may
 * be called from any thread at once. Labels are bounded by construction: a
 * route is a pattern of the route tables ("/api/specimens/{barcode}"), or
 * "static" (the web interface's files) or "unmatched" - never a raw path,
 * a user name or a barcode; a method outside the HTTP verbs counts as
 * "other".
 */
#ifndef OB_METRICS_H
#define OB_METRICS_H

#include "base/buf.h"

/* Counts one finished request. route must be a string that lives as long
 * as the process (a pattern of the route tables, or a literal). */
void ob_metrics_observe(const char *route, const char *method, int status, double seconds);

/* Appends oncobank_http_requests_total{route,method,status} and the
 * oncobank_http_request_duration_seconds histogram, with their HELP and
 * TYPE lines, to out. */
void ob_metrics_render(ob_buf *out);

/* Forgets every count (tests). */
void ob_metrics_reset(void);

#endif
