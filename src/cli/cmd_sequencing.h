/*
 * cmd_sequencing.h - the `oncobank sequencing` command: keep a sequencing
 * result with its specimen, list results, make a result's report. Listed in
 * the command table of main.c.
 */
#ifndef OB_CMD_SEQUENCING_H
#define OB_CMD_SEQUENCING_H

#include "cli/cli.h"

/* `oncobank sequencing add|list|report ...`; argv[0] is "sequencing". */
int ob_cmd_sequencing(ob_cli *cli, int argc, char **argv);

#endif
