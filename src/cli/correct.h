/*
 * correct.h - what the `correct` and `history` subcommands of donor,
 * container and site share: FIELD=VALUE arguments read into changes
 * (bank/record.h), and an entity's per-field history printed as text lines
 * or as the JSON the HTTP API answers ({"changes":[...]}).
 */
#ifndef OB_CLI_CORRECT_H
#define OB_CLI_CORRECT_H

#include "bank/audit.h"
#include "bank/record.h"

#include <stdbool.h>
#include <stddef.h>

#define OB_CLI_CHANGES_MAX 16

/* The FIELD=VALUE arguments of a correction. */
typedef struct ob_cli_changes {
	ob_change ch[OB_CLI_CHANGES_MAX];
	char field[OB_CLI_CHANGES_MAX][64];
	size_t n;
} ob_cli_changes;

/* Reads args[0..nargs) as FIELD=VALUE (VALUE may be empty: clears the
 * field) into out; values are borrowed from args. OB_EUSAGE naming cmd
 * for an argument without '=' or too many of them. */
int ob_cli_changes_read(const char *cmd, const char *const *args, int nargs,
                        ob_cli_changes *out);

/* Collects an entity's history: fn is ob_donor_changes & co. bound by the
 * caller; call ob_cli_history_cb with it, then ob_cli_history_print. */
typedef struct ob_cli_history {
	void *changes;  /* json_t array */
} ob_cli_history;

int ob_cli_history_cb(const ob_audit_change *c, void *arg);

/* Prints the collected history (text: one line per field change; json:
 * {"changes":[{"seq","at","actor","action","reason","field","before",
 * "after"}]}) and frees it. rc is the walk's result, passed through. */
int ob_cli_history_print(ob_cli_history *h, bool json, int rc);

#endif
