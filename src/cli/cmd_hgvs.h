/*
 * cmd_hgvs.h - the `oncobank hgvs` command: HGVS c./n. of a transcript to a genomic variant and back.
 * Listed in the command table of main.c.
 */
#ifndef OB_CMD_HGVS_H
#define OB_CMD_HGVS_H

#include "cli/cli.h"

/* `oncobank hgvs ...`; argv[0] is "hgvs". */
int ob_cmd_hgvs(ob_cli *cli, int argc, char **argv);

#endif
