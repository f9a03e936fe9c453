/*
 * args.c - the table-driven option parser of args.h.
 */
#include "cli/args.h"
#include "base/error.h"
#include "base/util.h"

#include <string.h>

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
			if (*npos >= maxpos)
				return ob_error_set(OB_EUSAGE, "%s: unexpected argument '%s' (see --help)", cmd, a);
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
		} else if (eq) {
			*o->value = eq + 1;
		} else {
			if (i + 1 >= argc)
				return ob_error_set(OB_EUSAGE, "%s: --%s needs a value", cmd, o->name);
			*o->value = argv[++i];
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
