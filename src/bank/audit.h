/*
 * audit.h - the tamper-evident audit trail.
 *
 * Every change to an audited entity appends one audit_event row in the same
 * transaction as the change. Each event's hash is SHA-256 over a
 * length-prefixed encoding of its fields and the previous event's hash, so
 * editing, inserting or deleting an event breaks the chain from there on.
 * The event's `after` is the entity's canonical JSON as stored (see
 * ob_audit_entity): ob_audit_verify() also re-encodes every audited row and
 * compares it with its latest event, so a value altered behind the audit's
 * back is caught too.
 */
#ifndef OB_AUDIT_H
#define OB_AUDIT_H

#include "base/buf.h"
#include "bank/ctx.h"

#include <stdint.h>

/* An audited table: one_sql selects the canonical columns of one row by id
 * ($1), all_sql of every row ordered by id; both start with the id column,
 * which is not encoded. */
typedef struct ob_audit_entity {
	const char *name;     /* "specimen" */
	const char *one_sql;
	const char *all_sql;
} ob_audit_entity;

/* Appends an event. before/after are JSON texts or NULL. entity_key is the
 * human key (barcode, code); cx->reason, when set, is recorded as the
 * event's reason. Must run inside a transaction. */
int ob_audit_append(const ob_ctx *cx, const char *action, const char *entity,
                    int64_t entity_id, const char *entity_key,
                    const char *before, const char *after);

/* Encodes the current row id of an audited entity into out (cleared first).
 * OB_ENOTFOUND when the row does not exist. */
int ob_audit_encode(const ob_ctx *cx, const ob_audit_entity *e, int64_t id, ob_buf *out);

/* Building a canonical row from values just written, without reading it
 * back: append the entity's columns in the order of its one_sql, under the
 * names that query gives them, between ob_audit_row_begin() and
 * ob_audit_row_end(). NULL (text) and NaN (number) columns are left out, as
 * ob_audit_encode() leaves out NULL columns. audit verify compares the two,
 * so a writer that drifts from its query is caught by every test that
 * verifies. */
void ob_audit_row_begin(ob_buf *out);
void ob_audit_row_text(ob_buf *out, const char *col, const char *v);
void ob_audit_row_int(ob_buf *out, const char *col, int64_t v);
void ob_audit_row_double(const ob_ctx *cx, ob_buf *out, const char *col, double v);
int ob_audit_row_end(ob_buf *out);

/* Encode the row, then append an event with it as `after` (and before as
 * given): the common case for a change. */
int ob_audit_record(const ob_ctx *cx, const ob_audit_entity *e, const char *action,
                    int64_t id, const char *key, const char *before);

/* Verifies the chain and the audited values. Returns 0 when intact (out
 * gets a summary line), OB_ECONFLICT naming the first broken event or the
 * first altered row in the error message. */
int ob_audit_verify(const ob_ctx *cx, ob_buf *out);

/* Verifies one entity's rows against their latest events only (not the
 * chain): what a migration checks before it rewrites audited rows. rows
 * gets the number of rows checked. OB_ECONFLICT as ob_audit_verify(). */
int ob_audit_verify_entity(const ob_ctx *cx, const ob_audit_entity *e, int64_t *rows);

/* One event of an entity's history, borrowed for the callback's duration:
 * before and after are the canonical rows as JSON texts (NULL when none). */
typedef struct ob_audit_event {
	int64_t seq;
	const char *at, *actor, *action, *reason;
	const char *before, *after;
} ob_audit_event;

typedef int (*ob_audit_event_cb)(const ob_audit_event *e, void *arg);

/* Calls cb for each event of one entity, oldest first; a non-zero return
 * stops the walk and is returned. */
int ob_audit_events(const ob_ctx *cx, const char *entity, int64_t id, ob_audit_event_cb cb,
                    void *arg);

/* One field's change in one event: the history of each field. */
typedef struct ob_audit_change {
	const ob_audit_event *event;
	const char *field;
	const char *before, *after;  /* the values as stored (text); NULL: none */
} ob_audit_change;

typedef int (*ob_audit_change_cb)(const ob_audit_change *c, void *arg);

/* Calls cb for every field whose value an event of the entity changed,
 * oldest event first and, within one, in the row's key order (a creation
 * gives every field it set, with before NULL). field, when not NULL, keeps
 * that field's changes only. */
int ob_audit_changes(const ob_ctx *cx, const char *entity, int64_t id, const char *field,
                     ob_audit_change_cb cb, void *arg);

/* The audited entities, in verification order (ends with a NULL name). */
extern const ob_audit_entity *const ob_audited[];

/* ---- the chain's head and anchors (docs/audit.md) ----
 * verify alone cannot see the last events removed together with the
 * changes they record (a copy of an SQLite file without its -wal, a
 * restored older backup): the shorter chain is consistent. An anchor - the
 * head's sequence number and hash, kept outside the database - closes
 * that: the chain must still reach it. */

#define OB_AUDIT_HASH_HEX 65

/* The last event's sequence number and hash; 0 and 64 zeros for an empty
 * trail. Needs OB_ACT_AUDIT. */
int ob_audit_head(const ob_ctx *cx, int64_t *seq, char hash[OB_AUDIT_HASH_HEX]);

/* ob_audit_verify(), and then the chain must hold event seq with hash
 * (and, verified, everything before it): OB_ECONFLICT "anchor: ..." when
 * the trail ends before seq (a truncated tail) or has another event there.
 * seq 0 (the empty trail's anchor) is reached by every chain. */
int ob_audit_verify_anchored(const ob_ctx *cx, int64_t seq, const char *hash, ob_buf *out);

/* Writes the head to path, atomically (a temporary file beside it, synced,
 * renamed over it): {"format":"oncobank-audit-anchor/1","seq":N,
 * "hash":"...","at":"ISO time"}. out gets a summary line. */
int ob_audit_anchor_write(const ob_ctx *cx, const char *path, ob_buf *out);

/* Reads an anchor file. OB_EINVALID "path: ..." naming the bad field. */
int ob_audit_anchor_read(const char *path, int64_t *seq, char hash[OB_AUDIT_HASH_HEX]);

#endif
