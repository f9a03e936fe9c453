/*
 * args.h - the option parser every command uses: "--name VALUE",
 * "--name=VALUE" and "--flag" options from a table, the rest positional.
 */
#ifndef OB_ARGS_H
#define OB_ARGS_H

#include <stdbool.h>

typedef struct ob_opt {
	const char *name;     /* without the leading "--" */
	const char **value;   /* set for options taking a value */
	bool *flag;           /* set for flags */
} ob_opt;

/* Parses argv[first..argc-1]; positional arguments go to pos (at most
 * maxpos, count in *npos). OB_EUSAGE naming the offending option;
 * OB_EINVALID "--NAME: ..." when the value of an option named like a text
 * field of bank/fields.h ("--label") is not text within that field's limit,
 * or "argument: ..." for a positional argument that is not UTF-8 text
 * without control characters (at most 4096 bytes). */
int ob_args_parse(const char *cmd, int argc, char **argv, int first, const ob_opt *opts,
                  const char **pos, int maxpos, int *npos);

/* Number parse for an option value: OB_EUSAGE naming the option. */
int ob_args_double(const char *opt, const char *v, double *out);
int ob_args_int(const char *opt, const char *v, int *out);

#endif
