/*
 * cmd_clinvar.c - `oncobank clinvar`: import ClinVar records for germline classification.
 * PLACEHOLDER: being built in this session; refuses to run until then.
 */
#include "cli/cmd_clinvar.h"
#include "base/error.h"

#include <stdio.h>

int ob_cmd_clinvar(ob_cli *cli, int argc, char **argv)
{
	(void)cli;
	(void)argc;
	(void)argv;
	fputs("oncobank clinvar: not available in this build\n", stderr);
	return OB_EUSAGE;
}
