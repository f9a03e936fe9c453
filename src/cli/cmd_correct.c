/*
 * cmd_correct.c - `oncobank specimen correct` and `specimen history`:
 * corrections with a reason, and each field's history (the FIELD=VALUE
 * reading and the history's printing are correct.c's, shared with donor,
 * container and site).
 */
#include "cli/args.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/correct.h"
#include "bank/audit.h"
#include "bank/specimen.h"
#include "base/error.h"

#include <stdio.h>
#include <string.h>

int ob_cmd_specimen_fix(ob_cli *cli, int argc, char **argv)
{
	const char *reason = NULL, *field = NULL, *pos[1 + OB_CLI_CHANGES_MAX + 1];
	bool json = false;
	const ob_opt opts[] = { { "reason", &reason, NULL }, { "field", &field, NULL },
		{ "json", NULL, &json }, { NULL, NULL, NULL } };
	const char *sub = argv[1];
	char cmd[32];
	ob_cli_changes ch;
	ob_store *st;
	int rc, n;

	snprintf(cmd, sizeof cmd, "specimen %s", sub);
	if ((rc = ob_args_parse(cmd, argc, argv, 2, opts, pos, 1 + OB_CLI_CHANGES_MAX + 1, &n)) < 0)
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
		if ((rc = ob_cli_changes_read(cmd, pos + 1, n - 1, &ch)) < 0
		    || (rc = ob_specimen_correct(&cx, pos[0], ch.ch, ch.n, reason)) < 0)
			return rc;
		printf("%s corrected: ", pos[0]);
		for (size_t i = 0; i < ch.n; i++)
			printf("%s%s", i ? ", " : "", ch.ch[i].field);
		printf("\n");
		return 0;
	}
	/* history */
	ob_cli_history h = { NULL };
	int64_t id;
	if (n != 1)
		return ob_cli_usage("specimen", "history takes one BARCODE");
	if (field && !ob_field_find(ob_specimen_fields, field))
		return ob_error_set(OB_EINVALID, "--field: '%s' is not a field of a specimen", field);
	if ((rc = ob_specimen_id(&cx, pos[0], &id)) == 0)
		rc = ob_audit_changes(&cx, "specimen", id, field, ob_cli_history_cb, &h);
	return ob_cli_history_print(&h, json, rc);
}
