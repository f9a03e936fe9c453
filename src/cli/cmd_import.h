/*
 * cmd_import.h - the `oncobank import` and `oncobank export` commands: bulk
 * CSV in (all or nothing) and CSV or JSON out, for sites, donors, consents,
 * containers and specimens. A thin shell over src/bank/csvimport.h; listed
 * in the command table of main.c.
 */
#ifndef OB_CMD_IMPORT_H
#define OB_CMD_IMPORT_H

#include "cli/cli.h"

/* `oncobank import KIND FILE|- [options]`; argv[0] is "import". Prints each
 * bad row ("FILE:LINE: column: message") and each warning to stderr and a
 * summary line to stdout. Returns 0, OB_EUSAGE for bad arguments,
 * OB_EINVALID when a row was bad (nothing imported), or a store error. */
int ob_cmd_import(ob_cli *cli, int argc, char **argv);

/* `oncobank export KIND [--format csv|json] [filters] [-o FILE]`; argv[0] is
 * "export". Writes to stdout, or to FILE (replaced only when the export
 * succeeds). Returns 0, OB_EUSAGE, or the error of the failing call. */
int ob_cmd_export(ob_cli *cli, int argc, char **argv);

#endif
