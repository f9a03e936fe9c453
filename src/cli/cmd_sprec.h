/*
 * cmd_sprec.h - the `oncobank sprec` command: check, explain or compute a
 * SPREC code (src/bank/sprec.h). Listed in the command table of main.c.
 */
#ifndef OB_CMD_SPREC_H
#define OB_CMD_SPREC_H

#include "cli/cli.h"

/* `oncobank sprec check|explain|compute ...`; argv[0] is "sprec". Prints
 * results to stdout. Returns 0, OB_EINVALID for an invalid code or
 * inconsistent measurements (the message names the element or field),
 * OB_EUSAGE for bad arguments, OB_ERROR when out of memory. cli is unused:
 * the command needs no database. */
int ob_cmd_sprec(ob_cli *cli, int argc, char **argv);

#endif
