/*
 * stats.h - the dashboard's figures: specimens by type, status, site and
 * diagnosis, and the latest audit events, all within the actor's read
 * scope (access.h). Read-only; one JSON document for GET /api/stats.
 */
#ifndef OB_STATS_H
#define OB_STATS_H

#include "bank/ctx.h"
#include "base/buf.h"

/* How many audit events "recent" lists when the caller gives 0. */
#define OB_STATS_RECENT 20

/* Appends the dashboard as one JSON object to out:
 *   {"scope": site path or null (the whole network),
 *    "specimens": N, "donors": N, "containers": N,
 *    "by_type": {type: N}, "by_status": {status: N},
 *    "by_site": [{"code","name","kind","parent","path","depth",
 *                 "specimens" (held by the site itself),
 *                 "total" (the site and every site below it)}]  tree order,
 *    "by_diagnosis": [{"topography" (group: "C50"), "donors", "specimens"}],
 *    "recent": [{"seq","at","actor","site","action","entity","key"}]}
 * recent is the number of events to list (0: OB_STATS_RECENT, at most
 * 1000). Events count as in scope when the acting user's site is in it
 * (events of the local operator only for whole-network readers). Returns 0,
 * or a store error; out may then hold part of the document. */
int ob_stats_json(const ob_ctx *cx, int recent, ob_buf *out);

#endif
