/*
 * cmd_correct.c - `oncobank specimen correct` and `specimen history`:
 * corrections with a reason, and each field's history.
 */
#include "cli/args.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "bank/audit.h"
#include "bank/specimen.h"
#include "base/error.h"
#include "view/history.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CHANGES 64

/* FIELD=VALUE words into changes; VALUE may be empty (clears the field). */
static int parse_changes(const char *cmd, const char *const *words, int n, ob_change *ch,
                         char names[][64])
{
	for (int i = 0; i < n; i++) {
		const char *eq = strchr(words[i], '=');
		size_t len = eq ? (size_t)(eq - words[i]) : 0;
		if (!eq || !len || len >= sizeof names[i])
			return ob_error_set(OB_EUSAGE, "%s: '%s' is not FIELD=VALUE", cmd, words[i]);
		memcpy(names[i], words[i], len);
		names[i][len] = '\0';
		ch[i].field = names[i];
		ch[i].value = eq + 1;
	}
	return 0;
}

struct hist {
	bool json;
	json_t *arr;
};

static int hist_cb(const ob_audit_change *c, void *arg)
{
	struct hist *h = arg;

	if (h->json)
		return json_array_append_new(h->arr, ob_view_change(c)) < 0
			? ob_error_set(OB_ERROR, "out of memory") : 0;
	printf("%-20s  %-12s %-14s %-22s %s -> %s%s%s\n", c->event->at, c->event->actor,
		c->event->action, c->field, c->before ? c->before : "-", c->after ? c->after : "-",
		c->event->reason ? "  # " : "", c->event->reason ? c->event->reason : "");
	return 0;
}

int ob_cmd_specimen_fix(ob_cli *cli, int argc, char **argv)
{
	const char *reason = NULL, *field = NULL, *pos[1 + MAX_CHANGES];
	bool json = false;
	const ob_opt opts[] = { { "reason", &reason, NULL }, { "field", &field, NULL },
		{ "json", NULL, &json }, { NULL, NULL, NULL } };
	const char *sub = argv[1];
	char cmd[32];
	ob_change ch[MAX_CHANGES];
	char names[MAX_CHANGES][64];
	ob_store *st;
	int rc, n;

	snprintf(cmd, sizeof cmd, "specimen %s", sub);
	if ((rc = ob_args_parse(cmd, argc, argv, 2, opts, pos, 1 + MAX_CHANGES, &n)) < 0)
		return rc;
	if (n < 1)
		return ob_cli_usage("specimen", !strcmp(sub, "correct")
			? "correct needs BARCODE FIELD=VALUE... --reason TEXT" : "history needs a BARCODE");
	if ((rc = ob_cli_store(cli, &st)) < 0)
		return rc;
	ob_ctx cx = ob_cli_ctx(cli, st);

	if (!strcmp(sub, "correct")) {
		if (n < 2)
			return ob_cli_usage("specimen", "correct needs BARCODE FIELD=VALUE... --reason TEXT");
		if ((rc = parse_changes(cmd, pos + 1, n - 1, ch, names)) < 0)
			return rc;
		if ((rc = ob_specimen_correct(&cx, pos[0], ch, (size_t)(n - 1), reason)) < 0)
			return rc;
		printf("%s corrected: ", pos[0]);
		for (int i = 0; i < n - 1; i++)
			printf("%s%s", i ? ", " : "", ch[i].field);
		printf("\n");
		return 0;
	}
	/* history */
	struct hist h = { json, json ? json_array() : NULL };
	int64_t id;
	if (n != 1)
		return ob_cli_usage("specimen", "history takes one BARCODE");
	if (field && !ob_field_find(ob_specimen_fields, field))
		return ob_error_set(OB_EINVALID, "--field: '%s' is not a field of a specimen", field);
	if ((rc = ob_specimen_id(&cx, pos[0], &id)) < 0)
		goto out;
	if (!json)
		printf("%-20s  %-12s %-14s %-22s %s\n", "AT", "ACTOR", "ACTION", "FIELD",
			"BEFORE -> AFTER  # REASON");
	if ((rc = ob_audit_changes(&cx, "specimen", id, field, hist_cb, &h)) < 0)
		goto out;
	if (json) {
		char *text = json_dumps(h.arr, JSON_COMPACT);
		if (!text) {
			rc = ob_error_set(OB_ERROR, "out of memory");
			goto out;
		}
		puts(text);
		free(text);
	}
out:
	json_decref(h.arr);
	return rc;
}
