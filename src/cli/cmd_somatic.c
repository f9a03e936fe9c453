/*
 * cmd_somatic.c - `oncobank somatic`: targeted-drug susceptibility of a tumour from its variants.
 * PLACEHOLDER: being built in this session; refuses to run until then.
 */
#include "cli/cmd_somatic.h"
#include "base/error.h"

#include <stdio.h>

int ob_cmd_somatic(ob_cli *cli, int argc, char **argv)
{
	(void)cli;
	(void)argc;
	(void)argv;
	fputs("oncobank somatic: not available in this build\n", stderr);
	return OB_EUSAGE;
}
