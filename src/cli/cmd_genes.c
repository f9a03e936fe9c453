/*
 * cmd_genes.c - `oncobank genes`: gene models: index a GFF3 into a fast-loading cache.
 * PLACEHOLDER: being built in this session; refuses to run until then.
 */
#include "cli/cmd_genes.h"
#include "base/error.h"

#include <stdio.h>

int ob_cmd_genes(ob_cli *cli, int argc, char **argv)
{
	(void)cli;
	(void)argc;
	(void)argv;
	fputs("oncobank genes: not available in this build\n", stderr);
	return OB_EUSAGE;
}
