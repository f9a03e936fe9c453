/*
 * cmd_germline.c - `oncobank germline`: inherited cancer risk: ACMG/AMP classification of a germline VCF.
 * PLACEHOLDER: being built in this session; refuses to run until then.
 */
#include "cli/cmd_germline.h"
#include "base/error.h"

#include <stdio.h>

int ob_cmd_germline(ob_cli *cli, int argc, char **argv)
{
	(void)cli;
	(void)argc;
	(void)argv;
	fputs("oncobank germline: not available in this build\n", stderr);
	return OB_EUSAGE;
}
