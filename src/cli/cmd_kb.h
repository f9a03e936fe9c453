/*
 * cmd_kb.h - the `oncobank kb` command: the somatic knowledge base: import CIViC, show what it knows.
 * Listed in the command table of main.c.
 */
#ifndef OB_CMD_KB_H
#define OB_CMD_KB_H

#include "cli/cli.h"

/* `oncobank kb ...`; argv[0] is "kb". */
int ob_cmd_kb(ob_cli *cli, int argc, char **argv);

#endif
