/*
 * cmd_germline.h - the `oncobank germline` command: inherited cancer risk: ACMG/AMP classification of a germline VCF.
 * Listed in the command table of main.c.
 */
#ifndef OB_CMD_GERMLINE_H
#define OB_CMD_GERMLINE_H

#include "cli/cli.h"

/* `oncobank germline ...`; argv[0] is "germline". */
int ob_cmd_germline(ob_cli *cli, int argc, char **argv);

#endif
