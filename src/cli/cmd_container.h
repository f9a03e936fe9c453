/*
 * cmd_container.h - the `oncobank container` command: the storage tree
 * (add, list, show a box's map, the freezer report) and moving specimens
 * about in it (move, swap, empty). A thin shell over src/bank/container.h;
 * listed in the command table of main.c.
 */
#ifndef OB_CMD_CONTAINER_H
#define OB_CMD_CONTAINER_H

#include "cli/cli.h"

/* `oncobank container SUBCOMMAND ...`; argv[0] is "container". Prints
 * results to stdout. Returns 0, OB_EUSAGE for bad arguments, or the domain
 * call's code unchanged (OB_EINVALID, OB_ENOTFOUND, OB_EEXISTS,
 * OB_ECONFLICT, OB_ERROR) with its message set. */
int ob_cmd_container(ob_cli *cli, int argc, char **argv);

#endif
