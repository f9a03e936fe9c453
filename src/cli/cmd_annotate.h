/*
 * cmd_annotate.h - the `oncobank annotate` command: stream a VCF/BCF and
 * add consequences and HGVS in an ANN INFO field. A thin shell over
 * src/genomics/vcfio.h; listed in the command table of main.c.
 */
#ifndef OB_CMD_ANNOTATE_H
#define OB_CMD_ANNOTATE_H

#include "cli/cli.h"

/* `oncobank annotate --fasta REF --gff GENES IN [-o OUT] [-O v|z|b]`;
 * argv[0] is "annotate". Needs no database. Returns 0, OB_EUSAGE for bad
 * arguments, OB_EINVALID for a malformed GFF or VCF, OB_ERROR when a file
 * cannot be read or written. A contig that matches nothing is reported on
 * standard error, and its records are written with an ERROR entry. */
int ob_cmd_annotate(ob_cli *cli, int argc, char **argv);

#endif
