/*
 * cmd_somatic.h - the `oncobank somatic` command: targeted-drug susceptibility of a tumour from its variants.
 * Listed in the command table of main.c.
 */
#ifndef OB_CMD_SOMATIC_H
#define OB_CMD_SOMATIC_H

#include "cli/cli.h"

/* `oncobank somatic ...`; argv[0] is "somatic". */
int ob_cmd_somatic(ob_cli *cli, int argc, char **argv);

#endif
