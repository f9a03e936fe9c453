/*
 * args.c - the table-driven option parser of args.h.
 */
#include "cli/args.h"
#include "bank/fields.h"
#include "base/error.h"
#include "base/text.h"
#include "base/util.h"

#include <stdio.h>
#include <string.h>

/* The longest positional argument: a file name may be this long. */
#define POSITIONAL_MAX 4096

/* The value of an option named like a field of bank/fields.h ("--label",
 * "--anatomic-site") is checked as that field, as the HTTP API and the CSV
 * import check it; file names and numbers are left to their readers. */
static int check_value(const ob_opt *o, const char *v)
{
	char field[64], opt[70];
	const ob_field_limit *f;
	size_t i;

	for (i = 0; o->name[i] && i < sizeof field - 1; i++)
		field[i] = o->name[i] == '-' ? '_' : o->name[i];
	field[i] = '\0';
	f = ob_field_limit_of(field);
	if (!f->name[0])
		return 0;
	snprintf(opt, sizeof opt, "--%s", o->name);
	return ob_text_check(opt, v, strlen(v), f->max, f->flags);
}

int ob_args_parse(const char *cmd, int argc, char **argv, int first, const ob_opt *opts,
                  const char **pos, int maxpos, int *npos)
{
	*npos = 0;
	for (int i = first; i < argc; i++) {
		const char *a = argv[i];
		const ob_opt *o;
		const char *eq;
		size_t n;

		if (strncmp(a, "--", 2) || a[2] == '\0') {
			if (!strcmp(a, "--"))
				continue;
			int rc;
			if (*npos >= maxpos)
				return ob_error_set(OB_EUSAGE, "%s: unexpected argument '%s' (see --help)", cmd, a);
			/* Codes, barcodes and file names: text, whatever they name. */
			if ((rc = ob_text_check("argument", a, strlen(a), POSITIONAL_MAX, 0)) < 0)
				return rc;
			pos[(*npos)++] = a;
			continue;
		}
		a += 2;
		eq = strchr(a, '=');
		n = eq ? (size_t)(eq - a) : strlen(a);
		for (o = opts; o && o->name; o++)
			if (strlen(o->name) == n && !strncmp(o->name, a, n))
				break;
		if (!o || !o->name)
			return ob_error_set(OB_EUSAGE, "%s: unknown option --%.*s (see --help)", cmd, (int)n, a);
		if (o->flag) {
			if (eq)
				return ob_error_set(OB_EUSAGE, "%s: --%s takes no value", cmd, o->name);
			*o->flag = true;
		} else {
			int rc;
			if (!eq && i + 1 >= argc)
				return ob_error_set(OB_EUSAGE, "%s: --%s needs a value", cmd, o->name);
			*o->value = eq ? eq + 1 : argv[++i];
			if ((rc = check_value(o, *o->value)) < 0)
				return rc;
		}
	}
	return 0;
}

int ob_args_double(const char *opt, const char *v, double *out)
{
	if (ob_parse_double(v, out) < 0)
		return ob_error_set(OB_EUSAGE, "--%s: '%s' is not a number", opt, v);
	return 0;
}

int ob_args_int(const char *opt, const char *v, int *out)
{
	int64_t x;

	if (ob_parse_i64(v, &x) < 0 || x < -2147483647 || x > 2147483647)
		return ob_error_set(OB_EUSAGE, "--%s: '%s' is not a whole number", opt, v);
	*out = (int)x;
	return 0;
}
