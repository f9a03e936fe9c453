/*
 * cli.h - what every command of the `oncobank` tool shares: the global
 * options, the lazily opened store, and the command function type.
 *
 * A command is `int fn(ob_cli *cli, int argc, char **argv)`: argv[0] is the
 * command's own name ("specimen"), the rest its arguments. It returns 0 or a
 * negative OB_E* code with ob_error_set() called; main() prints the message
 * and maps the code to the exit status. `--help` anywhere prints the
 * command's usage to stdout and returns 0.
 */
#ifndef OB_CLI_H
#define OB_CLI_H

#include "bank/ctx.h"
#include "bank/user.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

typedef struct ob_cli {
	const char *db_url;  /* --db, $OB_DB, or ./oncobank.db */
	const char *user;    /* --user, $OB_USER, or the login name: the audit actor */
	int user_named;      /* --user or $OB_USER was given */
	unsigned wait_ms;    /* --wait, $OB_WAIT: how long a write waits for a busy
	                        database (default OB_STORE_WAIT_DEFAULT_MS) */
	bool waited;         /* the "database busy" line was printed */
	const char *key_dir; /* --key-dir, $OB_KEY_DIR: the sites' keys of direct
	                        identifiers (bank/identifier.h); NULL: none */
	ob_store *store;     /* opened by ob_cli_store() */
	int as_account;      /* user names an account: act as it */
	ob_user account;
	char words[96];      /* the command words ("specimen move"), for the audit
	                        of a refusal: never an option's value */
} ob_cli;

typedef int (*ob_cli_fn)(ob_cli *cli, int argc, char **argv);

/* Opens (and migrates) the database on first use; borrowed. A write that
 * finds the database busy waits up to cli->wait_ms (saying so once on
 * stderr), then fails with OB_ERETRY (exit status 8). When --user
 * names an account, the command acts as that account (its role and site);
 * a disabled account is refused (OB_EAUTH). */
int ob_cli_store(ob_cli *cli, ob_store **out);

/* The domain context of a command: the store, the acting user and the
 * request facts (method "cli", the command words, client "local"). */
ob_ctx ob_cli_ctx(const ob_cli *cli, ob_store *st);

/* True when argv[1..] holds "--help" or "-h". */
bool ob_cli_wants_help(int argc, char **argv);

/* Returns OB_EUSAGE with a message naming the command and pointing at --help. */
int ob_cli_usage(const char *cmd, const char *what);

/* --json: prints v (taken), filled by a domain read that returned rc, as
 * the API gives it (src/view), and a newline; returns rc when it failed. */
int ob_cli_print_json(json_t *v, int rc);

#endif
