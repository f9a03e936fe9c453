/*
 * cmd_hgvs.c - `oncobank hgvs`: translate HGVS c. of a transcript to genomic coordinates and back.
 * PLACEHOLDER: being built in this session; refuses to run until then.
 */
#include "cli/cmd_hgvs.h"
#include "base/error.h"

#include <stdio.h>

int ob_cmd_hgvs(ob_cli *cli, int argc, char **argv)
{
	(void)cli;
	(void)argc;
	(void)argv;
	fputs("oncobank hgvs: not available in this build\n", stderr);
	return OB_EUSAGE;
}
