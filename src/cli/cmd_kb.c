/*
 * cmd_kb.c - `oncobank kb`: the somatic knowledge base: import CIViC, show what it knows.
 * PLACEHOLDER: being built in this session; refuses to run until then.
 */
#include "cli/cmd_kb.h"
#include "base/error.h"

#include <stdio.h>

int ob_cmd_kb(ob_cli *cli, int argc, char **argv)
{
	(void)cli;
	(void)argc;
	(void)argv;
	fputs("oncobank kb: not available in this build\n", stderr);
	return OB_EUSAGE;
}
