/*
 * cmd_label.h - the `oncobank label` command: print a specimen's label or a
 * box's sheet of labels to a PDF or PNG file. A thin shell over
 * src/bank/label.h; listed in the command table of main.c.
 */
#ifndef OB_CMD_LABEL_H
#define OB_CMD_LABEL_H

#include "cli/cli.h"

/* `oncobank label SPECIMEN|--box BOX [--format F] [--symbology S] -o FILE`;
 * argv[0] is "label". Writes the document to FILE ("-": standard output)
 * and, for a file, a line saying what was written to stdout. Returns 0,
 * OB_EUSAGE for bad arguments, OB_EINVALID for a bad format or symbology
 * word, OB_ERROR when FILE cannot be written, or the domain call's code
 * unchanged (OB_ENOTFOUND, OB_EINVALID, OB_ETOOBIG, OB_EPERM, OB_ERROR). */
int ob_cmd_label(ob_cli *cli, int argc, char **argv);

#endif
