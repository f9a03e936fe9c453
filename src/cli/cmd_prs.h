/*
 * cmd_prs.h - the `oncobank prs` command: polygenic risk score of array genotypes (PGS Catalog scoring file).
 * Listed in the command table of main.c.
 */
#ifndef OB_CMD_PRS_H
#define OB_CMD_PRS_H

#include "cli/cli.h"

/* `oncobank prs ...`; argv[0] is "prs". */
int ob_cmd_prs(ob_cli *cli, int argc, char **argv);

#endif
