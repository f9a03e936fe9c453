/*
 * cmd_prs.c - `oncobank prs`: polygenic risk score of array genotypes (PGS Catalog scoring file).
 * PLACEHOLDER: being built in this session; refuses to run until then.
 */
#include "cli/cmd_prs.h"
#include "base/error.h"

#include <stdio.h>

int ob_cmd_prs(ob_cli *cli, int argc, char **argv)
{
	(void)cli;
	(void)argc;
	(void)argv;
	fputs("oncobank prs: not available in this build\n", stderr);
	return OB_EUSAGE;
}
