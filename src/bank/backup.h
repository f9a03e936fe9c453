/*
 * backup.h - whole-database copies that are checked before they are
 * trusted: `oncobank backup` and `oncobank restore` (docs/operations.md).
 *
 * A copy is taken while others go on writing (SQLite's online backup: one
 * moment's state), written to a temporary file beside its destination,
 * checked - the database's structure (PRAGMA integrity_check) and the audit
 * trail (ob_audit_verify) - and only then renamed into place; a copy that
 * fails its check is removed. A restore checks the backup the same way
 * before it touches the target, and the target again afterwards. Both are
 * recorded as audit events ("backup" in the database copied, "restore" in
 * the database restored). PostgreSQL databases are dumped with pg_dump
 * (custom format) and checked as far as an archive can be without a
 * server to restore it into: see ob_backup_create().
 */
#ifndef OB_BACKUP_H
#define OB_BACKUP_H

#include "base/buf.h"
#include "bank/ctx.h"

#include <stdbool.h>

/* Backs up the database of cx (opened from db_url) into the file path.
 * Needs OB_ACT_AUDIT (the local operator, an administrator or an auditor).
 * SQLite: the online backup into path, then integrity check and audit
 * verification of the copy; OB_ECONFLICT "backup: ..." (and no file) when
 * the copy fails them. PostgreSQL: pg_dump --format=custom of db_url
 * (its password travels in PGPASSWORD, never on a command line), the
 * archive then read back by pg_restore --list, and the live database's
 * audit trail verified. out gets what was checked. */
int ob_backup_create(const ob_ctx *cx, const char *db_url, const char *path, ob_buf *out);

/* Restores the SQLite backup file path into the SQLite database target (a
 * file path). Refuses (OB_ECONFLICT "target: ...") a target that exists and
 * is not empty unless force. Checks a private copy of the backup (migrated
 * to this binary's schema, integrity, audit trail) before anything of the
 * target changes, then puts it in place - a new target by an atomic
 * rename, an existing one (force) in one transaction through the online
 * backup API, so a server with it open sees the old or the new database -
 * checks the target again and records a "restore" event by actor. */
int ob_backup_restore(const char *path, const char *target, bool force, const char *actor,
                      ob_buf *out);

#endif
