/*
 * cmd_serve.c - `oncobank serve` (the HTTP server, src/http/server.h) and
 * `oncobank user` (accounts, src/bank/user.h). serve prints where it
 * listens and runs until SIGINT or SIGTERM; user reads passwords from
 * stdin only, so that they appear in no process list or shell history.
 */
#include "cli/cmd_serve.h"
#include "cli/args.h"
#include "bank/access.h"
#include "bank/user.h"
#include "base/buf.h"
#include "base/error.h"
#include "base/util.h"
#include "http/http.h"
#include "http/server.h"
#include "store/store.h"
#include "view/view.h"

#include <jansson.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PASSWORD_LINE 1100

static const char serve_help[] =
	"usage: oncobank [--db URL] serve [--listen HOST:PORT] [--web DIR]\n"
	"                [--tls-cert FILE --tls-key FILE] [--threads N]\n"
	"                [--fasta REF.fa --gff GENES.gff3] [--access-log FILE]\n"
	"                [--key-dir DIR]\n\n"
	"Serves the HTTP/JSON API (docs/api.md) and the web interface until\n"
	"interrupted (Ctrl-C, SIGTERM).\n\n"
	"  --listen HOST:PORT  address to listen on (default 127.0.0.1:8080; port 0\n"
	"                      picks a free one; [::1]:8080 for IPv6)\n"
	"  --web DIR           the web interface's files (default ./web when present)\n"
	"  --tls-cert FILE     PEM certificate: serve https (with --tls-key)\n"
	"  --tls-key FILE      PEM private key\n"
	"  --threads N         worker threads (default twice the processors)\n"
	"  --fasta, --gff      reference and gene models (GFF3 or a genes index) that\n"
	"                      annotate stored sequencing results without ANN/CSQ\n"
	"                      when their report is opened (docs/sequencing.md)\n"
	"  --access-log FILE   append one line per request to FILE ('-': stderr): time,\n"
	"                      client, user, method, route, status, milliseconds\n"
	"  --key-dir DIR       the sites' keys of direct identifiers (default the global\n"
	"                      --key-dir, or $OB_KEY_DIR; docs/identifiers.md)\n\n"
	"GET /healthz and GET /metrics (Prometheus) answer without a login: bind the\n"
	"server to an address only your network reaches (docs/operations.md).\n\n"
	"Prints 'oncobank: serving URL' once listening. On a database without any\n"
	"account it first creates the network-wide administrator 'admin' with a\n"
	"random password printed once; change it with 'oncobank user passwd admin'.";

static const char user_help[] =
	"usage: oncobank [--db URL] user add NAME [--site CODE] --role ROLE --password-stdin\n"
	"       oncobank [--db URL] user list [--json]\n"
	"       oncobank [--db URL] user passwd NAME --password-stdin\n"
	"       oncobank [--db URL] user disable NAME\n"
	"       oncobank [--db URL] user grant-identifiers|revoke-identifiers NAME\n\n"
	"Accounts of the web interface and the API. An account belongs to a site and\n"
	"acts on it and the sites below it; without --site it is network-wide.\n"
	"Roles: administrator, biobank_manager, technician, pathologist, researcher,\n"
	"auditor (docs/api.md). Passwords (at least 10 characters) are read from the\n"
	"first line of stdin, never from the command line. Only the database's local\n"
	"operator or an administrator (within their scope) manages accounts.\n"
	"grant-identifiers lets the account see and change the direct identifiers\n"
	"(names, dates of birth, national IDs, MRNs) kept by the sites of its scope;\n"
	"revoke-identifiers takes that back (docs/identifiers.md).";

static const char add_help[] =
	"usage: oncobank user add NAME [--site CODE] --role ROLE --password-stdin\n\n"
	"Adds an account; reads its password from the first line of stdin.\n"
	"  --site CODE       its site (omit for a network-wide account)\n"
	"  --role ROLE       administrator, biobank_manager, technician, pathologist,\n"
	"                    researcher or auditor\n"
	"  --password-stdin  read the password from stdin (required)\n\n"
	"Acting as an account (--user NAME), an administrator gives only a site in\n"
	"their scope and no more reach than their own: an auditor or a network-wide\n"
	"account needs a center administrator (docs/access.md). The same holds for\n"
	"passwd and disable.";

static const char list_help[] =
	"usage: oncobank user list [--json]\n\n"
	"Lists the accounts (username, site, role, active); --json prints\n"
	"[{\"username\",\"site\",\"role\",\"active\"}].";

static const char passwd_help[] =
	"usage: oncobank user passwd NAME --password-stdin\n\n"
	"Sets a new password, read from the first line of stdin, and ends the\n"
	"account's open sessions.";

static const char disable_help[] =
	"usage: oncobank user disable NAME\n\n"
	"Deactivates an account and ends its sessions; it can no longer log in.";

static const char grant_help[] =
	"usage: oncobank user grant-identifiers NAME\n"
	"       oncobank user revoke-identifiers NAME\n\n"
	"Grants (or revokes) the permission to see and change the direct identifiers\n"
	"kept by the sites of the account's scope (docs/identifiers.md). An\n"
	"administrator within reach, or the local operator; audited.";

/* ---- serve ------------------------------------------------------------- */

static void log_line(void *arg, const char *line)
{
	(void)arg;
	fprintf(stderr, "oncobank serve: %s\n", line);
}

/* 16 characters from an alphabet without look-alikes. */
static void random_password(char out[17])
{
	static const char abc[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

	for (int i = 0; i < 16; i++)
		out[i] = abc[randombytes_uniform(sizeof abc - 1)];
	out[16] = '\0';
}

static int first_run(ob_cli *cli)
{
	ob_store *st;
	ob_ctx cx;
	char pw[17];
	int rc, none = 0;

	if ((rc = ob_cli_store(cli, &st)) < 0)
		return rc;
	cx = ob_cli_ctx(cli, st);
	if ((rc = ob_user_none(&cx, &none)) < 0 || !none)
		return rc;
	if (sodium_init() < 0)
		return ob_error_set(OB_ERROR, "libsodium failed to initialise");
	random_password(pw);
	rc = ob_user_add(&cx, "admin", NULL, "administrator", pw);
	if (rc == 0)
		printf("first run: created administrator 'admin' with password %s"
			" - change it with `oncobank user passwd admin`\n", pw);
	sodium_memzero(pw, sizeof pw);
	return rc;
}

int ob_cmd_serve(ob_cli *cli, int argc, char **argv)
{
	const char *listen = NULL, *web = NULL, *cert = NULL, *key = NULL, *threads_s = NULL;
	const char *fasta = NULL, *gff = NULL, *access_log = NULL, *key_dir = NULL, *pos[1];
	const ob_opt opts[] = { { "listen", &listen, NULL }, { "web", &web, NULL },
		{ "tls-cert", &cert, NULL }, { "tls-key", &key, NULL },
		{ "threads", &threads_s, NULL }, { "fasta", &fasta, NULL }, { "gff", &gff, NULL },
		{ "access-log", &access_log, NULL }, { "key-dir", &key_dir, NULL },
		{ NULL, NULL, NULL } };
	ob_server_opts o = { 0 };
	ob_server *srv = NULL;
	sigset_t set;
	struct stat sb;
	int rc, n, threads = 0, sig = 0;

	if (ob_cli_wants_help(argc, argv)) {
		puts(serve_help);
		return 0;
	}
	if ((rc = ob_args_parse("serve", argc, argv, 1, opts, pos, 0, &n)) < 0)
		return rc;
	if (threads_s && ((rc = ob_args_int("threads", threads_s, &threads)) < 0
	                  || threads < 1 || threads > 256))
		return ob_error_set(OB_EUSAGE, "--threads: 1 to 256");
	if (!cert != !key)
		return ob_cli_usage("serve", "--tls-cert and --tls-key go together");
	if (!fasta != !gff)
		return ob_cli_usage("serve", "--fasta and --gff go together");
	if (fasta && (access(fasta, R_OK) != 0 || access(gff, R_OK) != 0))
		return ob_error_set(OB_ERROR, "%s: cannot read", access(fasta, R_OK) ? fasta : gff);
	ob_http_set_genome(fasta, gff);
	if (!web && stat("web", &sb) == 0 && S_ISDIR(sb.st_mode))
		web = "web";
	if ((rc = first_run(cli)) < 0)
		return rc;
	o.db_url = cli->db_url;
	o.listen = listen ? listen : "127.0.0.1:8080";
	o.web_root = web;
	o.tls_cert = cert;
	o.tls_key = key;
	o.threads = (unsigned)threads;
	o.access_log = access_log;
	o.key_dir = key_dir ? key_dir : cli->key_dir;
	o.wait_ms = cli->wait_ms ? (int)cli->wait_ms : -1;
	o.log = log_line;
	/* The server's threads inherit a mask without these: only this thread
	 * takes them, in sigwait(). */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if ((rc = ob_server_start(&o, &srv)) < 0) {
		pthread_sigmask(SIG_UNBLOCK, &set, NULL);
		return rc;
	}
	printf("oncobank: serving %s%s\n", ob_server_url(srv),
		web ? "" : " (API only: no web directory)");
	fflush(stdout);
	sigwait(&set, &sig);
	ob_server_stop(srv);
	fprintf(stderr, "oncobank serve: database busy retries: %llu\n",
		(unsigned long long)ob_store_busy_retries());
	printf("oncobank: stopped (%s)\n", sig == SIGINT ? "interrupt" : "terminated");
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	return 0;
}

/* ---- user -------------------------------------------------------------- */

/* The first line of stdin, without its line end. */
static int password_stdin(char *out, size_t n)
{
	size_t len;

	if (!fgets(out, (int)n, stdin))
		return ob_error_set(OB_EINVALID, "password: nothing on stdin");
	len = strlen(out);
	if (len == n - 1 && out[len - 1] != '\n') {
		sodium_memzero(out, n);
		return ob_error_set(OB_EINVALID, "password: too long");
	}
	while (len && (out[len - 1] == '\n' || out[len - 1] == '\r'))
		out[--len] = '\0';
	return 0;
}

static int user_add(ob_cli *cli, int argc, char **argv)
{
	const char *site = NULL, *role = NULL, *pos[1];
	bool from_stdin = false;
	const ob_opt opts[] = { { "site", &site, NULL }, { "role", &role, NULL },
		{ "password-stdin", NULL, &from_stdin }, { NULL, NULL, NULL } };
	char pw[PASSWORD_LINE];
	ob_store *st;
	ob_ctx cx;
	int rc, n;

	if ((rc = ob_args_parse("user add", argc, argv, 2, opts, pos, 1, &n)) < 0)
		return rc;
	if (n != 1)
		return ob_cli_usage("user add", "give the account's NAME");
	if (!role)
		return ob_cli_usage("user add", "--role is required");
	if (!from_stdin)
		return ob_cli_usage("user add", "--password-stdin is required (passwords never go"
			" on the command line)");
	if ((rc = password_stdin(pw, sizeof pw)) < 0)
		return rc;
	if ((rc = ob_cli_store(cli, &st)) == 0) {
		cx = ob_cli_ctx(cli, st);
		rc = ob_user_add(&cx, pos[0], site, role, pw);
	}
	sodium_memzero(pw, sizeof pw);
	if (rc == 0)
		printf("added %s (%s%s%s)\n", pos[0], ob_role_name(ob_role_parse(role)),
			site ? " at " : ", network-wide", site ? site : "");
	return rc;
}

static void user_heading(void)
{
	printf("%-24s %-10s %-16s %s\n", "USERNAME", "SITE", "ROLE", "ACTIVE");
}

/* A row of the table, under the heading printed before the first (after
 * the walk's check that the actor may list accounts). */
static int user_row(const ob_user *u, void *arg)
{
	bool *headed = arg;

	if (!*headed)
		user_heading();
	*headed = true;
	printf("%-24s %-10s %-16s %s\n", u->username, u->site[0] ? u->site : "(network)",
		ob_role_name(u->role), u->active ? "yes" : "no");
	return 0;
}

static int user_item(const ob_user *u, void *arg)
{
	if (json_array_append_new(arg, ob_view_user(u)) < 0)
		return ob_error_set(OB_ERROR, "user list: out of memory");
	return 0;
}

static int user_list(ob_cli *cli, int argc, char **argv)
{
	bool json = false;
	const char *pos[1];
	const ob_opt opts[] = { { "json", NULL, &json }, { NULL, NULL, NULL } };
	ob_buf b = OB_BUF_INIT;
	json_t *arr;
	ob_store *st;
	ob_ctx cx;
	int rc, n;

	if ((rc = ob_args_parse("user list", argc, argv, 2, opts, pos, 0, &n)) < 0)
		return rc;
	if ((rc = ob_cli_store(cli, &st)) < 0)
		return rc;
	cx = ob_cli_ctx(cli, st);
	if (!json) {
		bool headed = false;
		if ((rc = ob_user_list(&cx, user_row, &headed)) == 0 && !headed)
			user_heading();
		return rc;
	}
	if (!(arr = json_array()))
		return ob_error_set(OB_ERROR, "user list: out of memory");
	if ((rc = ob_user_list(&cx, user_item, arr)) < 0) {
		json_decref(arr);
		return rc;
	}
	if ((rc = ob_view_dump(arr, &b)) == 0)
		puts(ob_buf_cstr(&b));
	ob_buf_dispose(&b);
	return rc;
}

static int user_passwd(ob_cli *cli, int argc, char **argv)
{
	bool from_stdin = false;
	const char *pos[1];
	const ob_opt opts[] = { { "password-stdin", NULL, &from_stdin }, { NULL, NULL, NULL } };
	char pw[PASSWORD_LINE];
	ob_store *st;
	ob_ctx cx;
	int rc, n;

	if ((rc = ob_args_parse("user passwd", argc, argv, 2, opts, pos, 1, &n)) < 0)
		return rc;
	if (n != 1)
		return ob_cli_usage("user passwd", "give the account's NAME");
	if (!from_stdin)
		return ob_cli_usage("user passwd", "--password-stdin is required (passwords never go"
			" on the command line)");
	if ((rc = password_stdin(pw, sizeof pw)) < 0)
		return rc;
	if ((rc = ob_cli_store(cli, &st)) == 0) {
		cx = ob_cli_ctx(cli, st);
		rc = ob_user_set_password(&cx, pos[0], pw);
	}
	sodium_memzero(pw, sizeof pw);
	if (rc == 0)
		printf("password of %s changed; its sessions are ended\n", pos[0]);
	return rc;
}

static int user_disable(ob_cli *cli, int argc, char **argv)
{
	const char *pos[1];
	const ob_opt opts[] = { { NULL, NULL, NULL } };
	ob_store *st;
	ob_ctx cx;
	int rc, n;

	if ((rc = ob_args_parse("user disable", argc, argv, 2, opts, pos, 1, &n)) < 0)
		return rc;
	if (n != 1)
		return ob_cli_usage("user disable", "give the account's NAME");
	if ((rc = ob_cli_store(cli, &st)) < 0)
		return rc;
	cx = ob_cli_ctx(cli, st);
	if ((rc = ob_user_disable(&cx, pos[0])) == 0)
		printf("disabled %s\n", pos[0]);
	return rc;
}

static int user_grant(ob_cli *cli, int argc, char **argv)
{
	bool grant = !strcmp(argv[1], "grant-identifiers");
	const char *pos[1];
	const ob_opt opts[] = { { NULL, NULL, NULL } };
	ob_store *st;
	ob_ctx cx;
	int rc, n;

	if ((rc = ob_args_parse(grant ? "user grant-identifiers" : "user revoke-identifiers", argc,
			argv, 2, opts, pos, 1, &n)) < 0)
		return rc;
	if (n != 1)
		return ob_cli_usage("user", "give the account's NAME");
	if ((rc = ob_cli_store(cli, &st)) < 0)
		return rc;
	cx = ob_cli_ctx(cli, st);
	if ((rc = ob_user_grant_identifiers(&cx, pos[0], grant)) == 0)
		printf("%s %s the direct identifiers of its sites\n", pos[0],
			grant ? "may see" : "may no longer see");
	return rc;
}

int ob_cmd_user(ob_cli *cli, int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(ob_cli *, int, char **);
		const char *help;
	} subs[] = {
		{ "add", user_add, add_help },
		{ "list", user_list, list_help },
		{ "passwd", user_passwd, passwd_help },
		{ "disable", user_disable, disable_help },
		{ "grant-identifiers", user_grant, grant_help },
		{ "revoke-identifiers", user_grant, grant_help },
	};

	if (argc < 2)
		return ob_cli_usage("user", "give a subcommand (add, list, passwd, disable)");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		puts(user_help);
		return 0;
	}
	for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
		if (!strcmp(argv[1], subs[i].name)) {
			if (ob_cli_wants_help(argc - 1, argv + 1)) {
				puts(subs[i].help);
				return 0;
			}
			return subs[i].fn(cli, argc, argv);
		}
	return ob_cli_usage("user", "unknown subcommand (add, list, passwd, disable)");
}
