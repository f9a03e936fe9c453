/*
 * cmd_ops.h - the operator's commands `oncobank backup` and `oncobank
 * restore` (docs/operations.md): thin shells over src/bank/backup.h,
 * listed in the command table of main.c.
 */
#ifndef OB_CMD_OPS_H
#define OB_CMD_OPS_H

#include "cli/cli.h"

/* `oncobank [--db URL] backup FILE`: a checked copy of the database in
 * FILE. Returns 0, OB_EUSAGE, OB_EPERM (an account without OB_ACT_AUDIT),
 * OB_ECONFLICT (the copy failed its check; no file is left), or the
 * domain's code. */
int ob_cmd_backup(ob_cli *cli, int argc, char **argv);

/* `oncobank restore FILE --db TARGET [--force]` (or `oncobank --db TARGET
 * restore FILE`): FILE checked, restored into TARGET, TARGET checked.
 * OB_ECONFLICT for a non-empty target without --force or a backup that
 * fails its check (nothing changed). */
int ob_cmd_restore(ob_cli *cli, int argc, char **argv);

#endif
