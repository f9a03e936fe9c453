/*
 * cmd_clinvar.h - the `oncobank clinvar` command: import ClinVar records for germline classification.
 * Listed in the command table of main.c.
 */
#ifndef OB_CMD_CLINVAR_H
#define OB_CMD_CLINVAR_H

#include "cli/cli.h"

/* `oncobank clinvar ...`; argv[0] is "clinvar". */
int ob_cmd_clinvar(ob_cli *cli, int argc, char **argv);

#endif
