/*
 * cmd_demo.h - the `oncobank demo-data` command: fills an empty database
 * with the demonstration biobank of src/bank/demo.h and prints what it
 * built. Listed in the command table of main.c.
 */
#ifndef OB_CMD_DEMO_H
#define OB_CMD_DEMO_H

#include "cli/cli.h"

/* `oncobank demo-data [--scale F] [--seed N]`; argv[0] is "demo-data".
 * Prints a summary (counts per kind, elapsed time) to stdout. Returns 0,
 * OB_EUSAGE for bad arguments, OB_EINVALID for a scale out of range,
 * OB_ECONFLICT when the database has sites already, or the failing domain
 * call's code unchanged (nothing is written then). */
int ob_cmd_demo(ob_cli *cli, int argc, char **argv);

#endif
