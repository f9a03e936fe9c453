/*
 * cmd_ops.c - `oncobank backup` and `oncobank restore` (cmd_ops.h).
 */
#include "cli/cmd_ops.h"
#include "cli/args.h"
#include "bank/backup.h"
#include "base/buf.h"
#include "base/error.h"

#include <stdio.h>
#include <string.h>

static const char backup_help[] =
	"usage: oncobank [--db URL] backup FILE\n\n"
	"Writes a copy of the whole database to FILE while the server may go on\n"
	"writing, and checks it before keeping it: SQLite's online backup into a\n"
	"temporary file beside FILE, PRAGMA integrity_check and audit verify on the\n"
	"copy, then an atomic rename onto FILE. A copy that fails is removed (exit 4).\n"
	"PostgreSQL (--db postgresql://...): pg_dump --format=custom, read back with\n"
	"pg_restore --list, and the database's audit trail verified.\n"
	"The backup is recorded as a \"backup\" audit event naming FILE and the head\n"
	"of the trail it holds. Who may: the local operator, an administrator or an\n"
	"auditor. Schedule it, and keep copies and an audit anchor elsewhere:\n"
	"docs/operations.md.";

static const char restore_help[] =
	"usage: oncobank restore FILE --db TARGET [--force]\n"
	"       oncobank --db TARGET restore FILE [--force]\n\n"
	"Restores the SQLite backup FILE into the SQLite database TARGET. Checks a\n"
	"private copy of FILE first (schema brought up to date, PRAGMA\n"
	"integrity_check, audit verify); a backup that fails changes nothing (exit 4).\n"
	"A TARGET that exists and is not empty is refused unless --force; a new\n"
	"TARGET appears by an atomic rename, an existing one is replaced in one\n"
	"transaction. TARGET is checked again afterwards and a \"restore\" audit event\n"
	"is appended to it. Run `oncobank audit verify --anchor ANCHOR` next to see\n"
	"whether the backup reaches your latest anchor (docs/operations.md).";

int ob_cmd_backup(ob_cli *cli, int argc, char **argv)
{
	const char *pos[1];
	const ob_opt opts[] = { { NULL, NULL, NULL } };
	ob_buf out = OB_BUF_INIT;
	ob_store *st;
	int rc, n;

	if (ob_cli_wants_help(argc, argv)) {
		puts(backup_help);
		return 0;
	}
	if ((rc = ob_args_parse("backup", argc, argv, 1, opts, pos, 1, &n)) < 0)
		return rc;
	if (n != 1)
		return ob_cli_usage("backup", "give the backup FILE");
	if ((rc = ob_cli_store(cli, &st)) < 0)
		return rc;
	ob_ctx cx = ob_cli_ctx(cli, st);
	rc = ob_backup_create(&cx, cli->db_url, pos[0], &out);
	if (rc == 0)
		fputs(ob_buf_cstr(&out), stdout);
	ob_buf_dispose(&out);
	return rc;
}

int ob_cmd_restore(ob_cli *cli, int argc, char **argv)
{
	const char *pos[1], *target = NULL;
	bool force = false;
	const ob_opt opts[] = { { "db", &target, NULL }, { "force", NULL, &force },
		{ NULL, NULL, NULL } };
	ob_buf out = OB_BUF_INIT;
	int rc, n;

	if (ob_cli_wants_help(argc, argv)) {
		puts(restore_help);
		return 0;
	}
	if ((rc = ob_args_parse("restore", argc, argv, 1, opts, pos, 1, &n)) < 0)
		return rc;
	if (n != 1)
		return ob_cli_usage("restore", "give the backup FILE");
	/* The target is never opened through ob_cli_store(): that would create
	 * and migrate it before the backup is checked. */
	rc = ob_backup_restore(pos[0], target ? target : cli->db_url, force, cli->user, &out);
	if (rc == 0)
		fputs(ob_buf_cstr(&out), stdout);
	ob_buf_dispose(&out);
	return rc;
}
