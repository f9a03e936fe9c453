/*
 * cmd_serve.h - the `oncobank serve` command (the HTTP/JSON API and the web
 * UI, src/http/server.h) and `oncobank user` (accounts, src/bank/user.h).
 * Listed in the command table of main.c.
 */
#ifndef OB_CMD_SERVE_H
#define OB_CMD_SERVE_H

#include "cli/cli.h"

/* `oncobank serve [--listen HOST:PORT] [--web DIR] [--tls-cert F --tls-key F]
 * [--threads N]`; argv[0] is "serve". Prints the URL, serves until SIGINT or
 * SIGTERM, returns 0. On a database without accounts it first creates the
 * network-wide administrator 'admin' and prints its one-time password.
 * OB_EUSAGE / OB_EINVALID for bad options, OB_ERROR when it cannot listen. */
int ob_cmd_serve(ob_cli *cli, int argc, char **argv);

/* `oncobank user add|list|passwd|disable ...`; argv[0] is "user".
 * Passwords are read from stdin (--password-stdin), never from argv. */
int ob_cmd_user(ob_cli *cli, int argc, char **argv);

#endif
