/*
 * stats.h - the dashboard's figures: specimens by type, status, site and
 * diagnosis, and the latest audit events, all within the actor's read
 * scope (access.h). Read-only; a typed result that GET /api/stats renders
 * (src/view).
 */
#ifndef OB_STATS_H
#define OB_STATS_H

#include "bank/ctx.h"

#include <stddef.h>
#include <stdint.h>

/* How many audit events "recent" lists when the caller gives 0. */
#define OB_STATS_RECENT 20

/* A count under a name (a specimen type or status; "unknown" for none). */
typedef struct ob_stats_count {
	char *name;
	int64_t n;
} ob_stats_count;

/* A site of the scope: code, name, kind, parent (NULL at the top), path
 * ("/NCC/REG01/"), depth below the center, the specimens the site holds
 * itself and the total of the site and every site below it. */
typedef struct ob_stats_site {
	char *code, *name, *kind, *parent, *path;
	int depth;
	int64_t specimens, total;
} ob_stats_site;

/* A topography group ("C50": the three-character ICD-O-3 site): its
 * donors, each once, and all of their specimens. */
typedef struct ob_stats_diagnosis {
	char *topography;
	int64_t donors, specimens;
} ob_stats_diagnosis;

/* An audit event as listed: site and key NULL when it has none. */
typedef struct ob_stats_event {
	int64_t seq;
	char *at, *actor, *site, *action, *entity, *key;
} ob_stats_event;

/* The dashboard, read in one snapshot: the scope's site path (NULL: the
 * whole network), the counts, by type and by status (by name), by site
 * (tree order), by diagnosis (most specimens first) and the latest events
 * (newest first). ob_stats_free() releases it. */
typedef struct ob_stats {
	char *scope;
	int64_t specimens, donors, containers;
	ob_stats_count *by_type, *by_status;
	size_t ntypes, nstatuses;
	ob_stats_site *by_site;
	size_t nsites;
	ob_stats_diagnosis *by_diagnosis;
	size_t ndiagnoses;
	ob_stats_event *recent;
	size_t nrecent;
} ob_stats;

/* Reads the dashboard into *out; recent is the number of events to list
 * (0: OB_STATS_RECENT, at most 1000). Events count as in scope when the
 * acting user's site is in it (events of the local operator only for
 * whole-network readers). Returns 0, or a store error (out is then
 * released); free out after success. */
int ob_stats_read(const ob_ctx *cx, int recent, ob_stats *out);
void ob_stats_free(ob_stats *s);

#endif
