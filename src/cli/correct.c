/*
 * correct.c - FIELD=VALUE arguments and history printing for the
 * correction subcommands (correct.h).
 */
#include "cli/correct.h"
#include "view/history.h"
#include "base/error.h"
#include "base/util.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ob_cli_changes_read(const char *cmd, const char *const *args, int nargs,
                        ob_cli_changes *out)
{
	out->n = 0;
	for (int i = 0; i < nargs; i++) {
		const char *eq = strchr(args[i], '=');
		size_t len = eq ? (size_t)(eq - args[i]) : 0;

		if (!eq || len == 0 || len >= sizeof out->field[0])
			return ob_error_set(OB_EUSAGE, "%s: '%s' is not FIELD=VALUE (see oncobank %s"
				" --help)", cmd, args[i], cmd);
		if (out->n == OB_CLI_CHANGES_MAX)
			return ob_error_set(OB_EUSAGE, "%s: at most %d fields at once", cmd,
				OB_CLI_CHANGES_MAX);
		memcpy(out->field[out->n], args[i], len);
		out->field[out->n][len] = '\0';
		out->ch[out->n].field = out->field[out->n];
		out->ch[out->n].value = eq + 1;
		out->n++;
	}
	return 0;
}

int ob_cli_history_cb(const ob_audit_change *c, void *arg)
{
	ob_cli_history *h = arg;
	json_t *o;

	if (!h->changes && !(h->changes = json_array()))
		return ob_error_set(OB_ERROR, "out of memory");
	o = ob_view_change(c);
	if (!o || json_array_append_new(h->changes, o) < 0)
		return ob_error_set(OB_ERROR, "out of memory");
	return 0;
}

static const char *text(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));

	return v ? v : "-";
}

int ob_cli_history_print(ob_cli_history *h, bool json, int rc)
{
	json_t *all = h->changes ? h->changes : json_array(), *e;
	size_t i;

	h->changes = NULL;
	if (rc == 0 && json) {
		json_t *doc = json_pack("{s:o}", "changes", all);
		char *s = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
		if (s)
			printf("%s\n", s);
		else
			rc = ob_error_set(OB_ERROR, "out of memory");
		free(s);
		json_decref(doc);
		return rc;
	}
	json_array_foreach(rc == 0 ? all : NULL, i, e) {
		json_t *r = json_object_get(e, "reason");
		printf("%lld %s %s %-8s %s: %s -> %s", (long long)json_integer_value(json_object_get(e,
			"seq")), text(e, "at"), text(e, "actor"), text(e, "action"), text(e, "field"),
			text(e, "before"), text(e, "after"));
		if (json_is_string(r))
			printf(" (%s)", json_string_value(r));
		printf("\n");
	}
	json_decref(all);
	return rc;
}
