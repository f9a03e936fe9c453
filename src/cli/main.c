/*
 * main.c - the `oncobank` command: global options, the command table, and
 * the one place where error codes become messages and exit statuses.
 */
#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/cmd_demo.h"
#include "cli/cmd_container.h"
#include "cli/cmd_import.h"
#include "cli/cmd_serve.h"
#include "cli/cmd_label.h"
#include "cli/cmd_annotate.h"
#include "cli/cmd_genes.h"
#include "cli/cmd_hgvs.h"
#include "cli/cmd_kb.h"
#include "cli/cmd_somatic.h"
#include "cli/cmd_clinvar.h"
#include "cli/cmd_germline.h"
#include "cli/cmd_prs.h"
#include "cli/cmd_sequencing.h"
#include "cli/cmd_ops.h"
#include "bank/access.h"
#include "base/error.h"
#include "store/store.h"
#include "view/view.h"

#include <errno.h>
#include <htslib/hts.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct command {
	const char *name;
	ob_cli_fn fn;
	const char *help;
} command;

static const command commands[] = {
	{ "init", ob_cmd_init, "create or upgrade the database" },
	{ "site", ob_cmd_site, "the network of sites: add, list" },
	{ "donor", ob_cmd_donor, "donors, diagnoses and consents" },
	{ "consent", ob_cmd_consent, "consent forms and their statements; record or withdraw a donor's consent" },
	{ "specimen", ob_cmd_specimen, "collect, aliquot, derive, find, show, change status" },
	{ "study", ob_cmd_study, "studies: protocols, events, enrolment, worklist, accrual" },
	{ "shipment", ob_cmd_shipment, "ship specimens and boxes between sites; receive by scanning" },
	{ "container", ob_cmd_container, "storage: freezers, racks, boxes; move specimens; freezer report" },
	{ "sprec", ob_cmd_sprec, "check or explain a SPREC code" },
	{ "import", ob_cmd_import, "bulk CSV import of sites, donors, consents, containers, specimens" },
	{ "label", ob_cmd_label, "print specimen or box labels (PDF, PNG)" },
	{ "export", ob_cmd_export, "export them as CSV (re-importable) or JSON" },
	{ "audit", ob_cmd_audit, "verify the tamper-evident audit trail; anchor its head" },
	{ "backup", ob_cmd_backup, "a checked copy of the whole database (while serving)" },
	{ "restore", ob_cmd_restore, "restore a checked backup into a database" },
	{ "demo-data", ob_cmd_demo, "fill an empty database with a realistic demo biobank" },
	{ "serve", ob_cmd_serve, "serve the HTTP/JSON API and the web interface" },
	{ "annotate", ob_cmd_annotate, "annotate a VCF/BCF with consequences and HGVS (ANN)" },
	{ "genes", ob_cmd_genes, "gene models: index a GFF3 into a fast-loading cache" },
	{ "hgvs", ob_cmd_hgvs, "HGVS c. of a transcript to genomic coordinates and back" },
	{ "kb", ob_cmd_kb, "the somatic knowledge base: import CIViC, show what it knows" },
	{ "somatic", ob_cmd_somatic, "targeted-drug susceptibility of a tumour from its variants" },
	{ "clinvar", ob_cmd_clinvar, "import ClinVar records for germline classification" },
	{ "germline", ob_cmd_germline, "inherited cancer risk: ACMG/AMP classification of germline variants" },
	{ "sequencing", ob_cmd_sequencing, "sequencing results of specimens: add, list, report" },
	{ "prs", ob_cmd_prs, "polygenic risk score of array genotypes (PGS Catalog scoring file)" },
	{ "user", ob_cmd_user, "accounts of the web interface: add, list, passwd, disable" },
	{ "identifiers", ob_cmd_identifiers, "the sites' keys of direct identifiers: keygen" },
	{ NULL, NULL, NULL }
};

static void usage(FILE *f)
{
	fprintf(f, "usage: oncobank [--db URL] [--user NAME] COMMAND [ARGS...]\n\n"
		"The research biobank of a cancer center network.\n\n"
		"Options:\n"
		"  --db URL      the database: an SQLite file path (default ./oncobank.db, or $OB_DB)\n"
		"  --user NAME   who acts (default $OB_USER or the login name): an account's name\n"
		"                acts with its role and site; otherwise the local operator\n"
		"  --wait SECS   how long a write waits while another writer holds the database\n"
		"                (default $OB_WAIT or 10; 0: not at all); then exit status 8\n"
		"  --key-dir DIR the sites' keys of direct identifiers (default $OB_KEY_DIR;\n"
		"                docs/identifiers.md)\n"
		"  --help        this text; COMMAND --help for a command's own\n\n"
		"Commands:\n");
	for (const command *c = commands; c->name; c++)
		fprintf(f, "  %-12s %s\n", c->name, c->help);
	fprintf(f, "\nExit status: 0 ok, 1 usage, 2 bad input, 3 not found, 4 conflict,"
		" 5 internal error,\n6 permission denied or not logged in, 7 too many attempts,"
		" 8 database busy\n(another writer held it longer than --wait).\n");
}

static void busy_note(void *arg, unsigned budget_ms)
{
	ob_cli *cli = arg;

	if (cli->waited)
		return;
	cli->waited = true;
	fprintf(stderr, "oncobank: database busy (another writer); waiting up to %u s\n",
		(budget_ms + 999) / 1000);
}

/* The commands a study researcher may run (access.h): their studies, and
 * the specimens collected in them; every other command reads or changes
 * records outside any study, as the HTTP route table refuses them. */
static bool study_reader_may(const char *words)
{
	static const char *const allowed[] = { "study", "specimen find", "specimen show",
		"user passwd", NULL };

	for (const char *const *a = allowed; *a; a++) {
		size_t n = strlen(*a);
		if (!strncmp(words, *a, n) && (words[n] == '\0' || words[n] == ' '))
			return true;
	}
	return false;
}

int ob_cli_store(ob_cli *cli, ob_store **out)
{
	int rc;

	if (!cli->store) {
		/* The wait applies to the migrations too. */
		if ((rc = ob_store_open_raw(&cli->store, cli->db_url)) < 0)
			return rc;
		ob_store_set_wait(cli->store, cli->wait_ms);
		ob_store_on_wait(cli->store, busy_note, cli);
		if ((rc = ob_store_migrate(cli->store)) < 0)
			return rc;
		if (cli->user_named) {
			ob_ctx cx = { .st = cli->store, .actor = cli->user };
			rc = ob_user_get(&cx, cli->user, &cli->account);
			if (rc == 0 && !cli->account.active)
				return ob_error_set(OB_EAUTH, "account '%s' is disabled", cli->user);
			if (rc < 0 && rc != OB_ENOTFOUND)
				return rc;
			cli->as_account = rc == 0;
			ob_error_clear();
			if (cli->as_account && cli->account.role == OB_ROLE_STUDY
			    && !study_reader_may(cli->words))
				return ob_error_set(OB_EPERM, "permission denied: a study_researcher sees"
					" only their studies and the specimens collected in them");
		}
	}
	*out = cli->store;
	return 0;
}

ob_ctx ob_cli_ctx(const ob_cli *cli, ob_store *st)
{
	ob_ctx cx = { .st = st, .actor = cli->user, .method = "cli", .path = cli->words,
		.client = "local", .key_dir = cli->key_dir };

	if (cli->as_account)
		ob_ctx_as(&cx, &cli->account);
	return cx;
}

bool ob_cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return true;
	return false;
}

int ob_cli_usage(const char *cmd, const char *what)
{
	return ob_error_set(OB_EUSAGE, "%s: %s (see oncobank %s --help)", cmd, what, cmd);
}

int ob_cli_print_json(json_t *v, int rc)
{
	ob_buf b = OB_BUF_INIT;

	if (rc < 0) {
		json_decref(v);
		return rc;
	}
	if ((rc = ob_view_dump_line(v, &b)) == 0)
		fputs(ob_buf_cstr(&b), stdout);
	ob_buf_dispose(&b);
	return rc;
}

/* "--wait" SECONDS: a whole number from 0 to 86400. */
static int parse_wait(const char *what, const char *v, unsigned *ms)
{
	char *end;
	long n;

	errno = 0;
	n = v && *v ? strtol(v, &end, 10) : -1;
	if (n < 0 || n > 86400 || errno || *end) {
		fprintf(stderr, "oncobank: %s: '%s' is not a number of seconds (0 to 86400)\n", what,
			v ? v : "");
		return -1;
	}
	*ms = (unsigned)n * 1000u;
	return 0;
}

static const char *login_name(void)
{
	struct passwd *pw = getpwuid(getuid());

	return pw ? pw->pw_name : "unknown";
}

int main(int argc, char **argv)
{
	ob_cli cli = { 0 };
	int i = 1, rc;
	const command *c;

	/* htslib logs its own lines to stderr ("[E::vcf_parse] ..."); every
	 * reader reports the error itself as FILE:LINE: field (the library
	 * never prints), so one message is all a user sees */
	hts_set_log_level(HTS_LOG_OFF);
	cli.db_url = getenv("OB_DB");
	cli.key_dir = getenv("OB_KEY_DIR");
	cli.user = getenv("OB_USER");
	cli.user_named = cli.user && *cli.user;
	cli.wait_ms = OB_STORE_WAIT_DEFAULT_MS;
	if (getenv("OB_WAIT") && *getenv("OB_WAIT") && parse_wait("OB_WAIT", getenv("OB_WAIT"),
			&cli.wait_ms) < 0)
		return 1;
	while (i < argc && argv[i][0] == '-') {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--db") && i + 1 < argc) {
			cli.db_url = argv[i + 1];
			i += 2;
		} else if (!strncmp(argv[i], "--db=", 5)) {
			cli.db_url = argv[i++] + 5;
		} else if (!strcmp(argv[i], "--user") && i + 1 < argc) {
			cli.user = argv[i + 1];
			cli.user_named = 1;
			i += 2;
		} else if (!strncmp(argv[i], "--user=", 7)) {
			cli.user = argv[i++] + 7;
			cli.user_named = 1;
		} else if (!strcmp(argv[i], "--key-dir") && i + 1 < argc) {
			cli.key_dir = argv[i + 1];
			i += 2;
		} else if (!strncmp(argv[i], "--key-dir=", 10)) {
			cli.key_dir = argv[i++] + 10;
		} else if (!strcmp(argv[i], "--wait") && i + 1 < argc) {
			if (parse_wait("--wait", argv[i + 1], &cli.wait_ms) < 0)
				return 1;
			i += 2;
		} else if (!strncmp(argv[i], "--wait=", 7)) {
			if (parse_wait("--wait", argv[i++] + 7, &cli.wait_ms) < 0)
				return 1;
		} else {
			fprintf(stderr, "oncobank: unknown option %s (see oncobank --help)\n", argv[i]);
			return 1;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return 1;
	}
	if (!cli.db_url || !*cli.db_url)
		cli.db_url = "oncobank.db";
	if (cli.key_dir && !*cli.key_dir)
		cli.key_dir = NULL;
	if (!cli.user || !*cli.user)
		cli.user = login_name();
	for (c = commands; c->name; c++)
		if (!strcmp(c->name, argv[i]))
			break;
	if (!c->name) {
		fprintf(stderr, "oncobank: unknown command '%s' (see oncobank --help)\n", argv[i]);
		return 1;
	}
	/* The command and its subcommand, never an option or its value. */
	snprintf(cli.words, sizeof cli.words, "%s", argv[i]);
	if (i + 1 < argc && argv[i + 1][0] != '-' && strlen(argv[i + 1]) < 24
	    && strspn(argv[i + 1], "abcdefghijklmnopqrstuvwxyz-") == strlen(argv[i + 1]))
		snprintf(cli.words + strlen(cli.words), sizeof cli.words - strlen(cli.words), " %s",
			argv[i + 1]);
	ob_error_clear();
	rc = c->fn(&cli, argc - i, argv + i);
	if (rc < 0 && cli.store) {
		/* A refusal, or a probe the scope answered "not found", is itself an
		 * event of the audit trail. */
		ob_ctx cx = ob_cli_ctx(&cli, cli.store);
		ob_access_record_refusal(&cx, rc);
	}
	if (rc < 0) {
		const char *msg = ob_error_last();
		fprintf(stderr, "oncobank: %s\n", *msg ? msg : ob_error_name(rc));
		if (rc == OB_ERETRY)
			fprintf(stderr, "oncobank: nothing was changed; run it again later, or wait"
				" longer with --wait SECONDS\n");
	}
	ob_store_free(cli.store);
	return ob_error_exit_status(rc < 0 ? rc : 0);
}
