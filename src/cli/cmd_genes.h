/*
 * cmd_genes.h - the `oncobank genes` command: gene models: `oncobank genes index` (binary cache) and `stats`.
 * Listed in the command table of main.c.
 */
#ifndef OB_CMD_GENES_H
#define OB_CMD_GENES_H

#include "cli/cli.h"

/* `oncobank genes ...`; argv[0] is "genes". */
int ob_cmd_genes(ob_cli *cli, int argc, char **argv);

#endif
