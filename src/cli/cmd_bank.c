/*
 * cmd_bank.c - the commands init, site, donor and audit (consent: cmd_consent.c).
 */
#include "cli/commands.h"
#include "cli/args.h"
#include "cli/correct.h"
#include "bank/audit.h"
#include "bank/donor.h"
#include "bank/site.h"
#include "base/buf.h"
#include "base/error.h"
#include "base/util.h"
#include "store/store.h"
#include "view/view.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int emit(ob_buf *b, int rc)
{
	if (rc == 0)
		fputs(ob_buf_cstr(b), stdout);
	ob_buf_dispose(b);
	return rc;
}

int ob_cmd_init(ob_cli *cli, int argc, char **argv)
{
	ob_store *st;
	int rc, v;

	if (ob_cli_wants_help(argc, argv)) {
		puts("usage: oncobank [--db URL] init\n\n"
		     "Creates the database, or applies the migrations it lacks. Every other command\n"
		     "does this too on first use; init says which schema version is in place.");
		return 0;
	}
	if (argc > 1)
		return ob_cli_usage("init", "takes no arguments");
	if ((rc = ob_cli_store(cli, &st)) < 0 || (rc = ob_store_schema_version(st, &v)) < 0)
		return rc;
	printf("%s: schema version %d (%s)\n", cli->db_url, v, ob_store_backend(st));
	return 0;
}

static const char site_help[] =
	"usage: oncobank site add CODE --kind KIND [--parent CODE] [--name NAME]\n"
	"       oncobank site list [--under CODE] [--json]\n"
	"       oncobank site correct CODE FIELD=VALUE... --reason TEXT\n"
	"       oncobank site history CODE [--json]\n\n"
	"The network is a tree: one center, sub-centers, regional centers, hospitals.\n"
	"KIND is center, sub-center, regional or hospital; a site sits below a site of a\n"
	"higher rank. list shows the tree (or the part under CODE); --json gives\n"
	"[{\"code\",\"name\",\"kind\",\"parent\",\"retired\"}].\n\n"
	"correct changes name, parent (moves the site with every site below it) or\n"
	"retired (yes or a date: the site takes no new donors, specimens or containers;\n"
	"no: back in service), with the reason in the audit trail (docs/corrections.md).\n"
	"history shows each field's changes.";

/* `correct` and `history` of site, donor and container: positional
 * arguments up to the changes, then FIELD=VALUE. */
#define CORRECT_ARGS (2 + OB_CLI_CHANGES_MAX + 1)

static int site_correct(ob_cli *cli, int argc, char **argv)
{
	const char *reason = NULL, *pos[CORRECT_ARGS];
	bool json = false;
	const ob_opt opts[] = { { "reason", &reason, NULL }, { "json", NULL, &json },
		{ NULL, NULL, NULL } };
	ob_cli_changes c;
	ob_cli_history h = { NULL };
	ob_store *st;
	int rc, n;

	if ((rc = ob_args_parse("site", argc, argv, 2, opts, pos, CORRECT_ARGS, &n)) < 0)
		return rc;
	if (n < 1)
		return ob_cli_usage("site", "give the site's CODE");
	if (!strcmp(argv[1], "correct")
	    && (rc = ob_cli_changes_read("site correct", pos + 1, n - 1, &c)) < 0)
		return rc;
	if (!strcmp(argv[1], "history") && n != 1)
		return ob_cli_usage("site", "history takes the site's CODE only");
	if ((rc = ob_cli_store(cli, &st)) < 0)
		return rc;
	ob_ctx cx = ob_cli_ctx(cli, st);
	if (!strcmp(argv[1], "history"))
		return ob_cli_history_print(&h, json, ob_site_changes(&cx, pos[0], ob_cli_history_cb,
			&h));
	if ((rc = ob_site_correct(&cx, pos[0], c.ch, c.n, reason)) == 0)
		printf("site %s corrected\n", pos[0]);
	return rc;
}

/* A site of the list as a line of the tree: indented by its depth, then
 * its code, kind, name and the day it was retired. */
static int site_line(const ob_site_record *r, int depth, void *arg)
{
	(void)arg;
	printf("%*s%-12s %-10s %s", depth * 2, "", r->code, r->kind, r->name);
	if (r->retired)
		printf(" (retired %.10s)", r->retired);
	putchar('\n');
	return 0;
}

int ob_cmd_site(ob_cli *cli, int argc, char **argv)
{
	const char *kind = NULL, *parent = NULL, *name = NULL, *under = NULL, *pos[2];
	bool json = false;
	const ob_opt opts[] = { { "kind", &kind, NULL }, { "parent", &parent, NULL },
		{ "name", &name, NULL }, { "under", &under, NULL }, { "json", NULL, &json },
		{ NULL, NULL, NULL } };
	ob_store *st;
	int rc, n;

	if (ob_cli_wants_help(argc, argv) || argc < 2) {
		puts(site_help);
		return argc < 2 ? ob_cli_usage("site", "a subcommand is needed") : 0;
	}
	if (!strcmp(argv[1], "correct") || !strcmp(argv[1], "history"))
		return site_correct(cli, argc, argv);
	if ((rc = ob_args_parse("site", argc, argv, 2, opts, pos, 2, &n)) < 0)
		return rc;
	if ((rc = ob_cli_store(cli, &st)) < 0)
		return rc;
	ob_ctx cx = ob_cli_ctx(cli, st);
	if (!strcmp(argv[1], "add")) {
		if (n != 1 || !kind)
			return ob_cli_usage("site", "add needs CODE and --kind");
		if ((rc = ob_site_add(&cx, pos[0], name, kind, parent, NULL)) < 0)
			return rc;
		printf("site %s added\n", pos[0]);
		return 0;
	}
	if (!strcmp(argv[1], "list") && json) {
		json_t *a = json_array();
		return ob_cli_print_json(a, ob_site_list(&cx, under, ob_view_site_append, a));
	}
	if (!strcmp(argv[1], "list"))
		return ob_site_list(&cx, under, site_line, NULL);
	return ob_cli_usage("site", "unknown subcommand");
}

static const char *or_dash(const char *s)
{
	return s ? s : "-";
}

/* The words of a mask of uses, each after a space ("none" for none). */
static void scope_words(int scope)
{
	if (!scope)
		printf(" none");
	for (int i = 0; ob_consent_scope_words[i]; i++)
		if (scope & (1 << i))
			printf(" %s", ob_consent_scope_words[i]);
}

/* The donor record as lines for a person at a terminal. */
void ob_cli_donor_text(const ob_donor_full *f)
{
	printf("donor            %s at %s\n", f->r.code, f->r.site);
	printf("sex              %s\n", or_dash(f->r.sex));
	if (f->r.birth_year)
		printf("birth year       %lld\n", (long long)f->r.birth_year);
	printf("consent          %s", f->r.withdrawn ? "WITHDRAWN" : "current uses:");
	if (!f->r.withdrawn)
		scope_words((int)f->r.consent_mask);
	printf("\n");
	for (size_t i = 0; i < f->ndiagnoses; i++) {
		const ob_diagnosis_record *d = &f->diagnoses[i].r;
		printf("diagnosis        %s %s %s (id %lld)\n", or_dash(d->topography),
			or_dash(d->morphology), or_dash(d->diagnosed_on),
			(long long)f->diagnoses[i].id);
	}
	for (size_t i = 0; i < f->nconsents; i++) {
		const ob_consent_record *c = &f->consents[i];
		printf("consent form     %s signed %.10s, uses", or_dash(c->form_version),
			or_dash(c->signed_on));
		scope_words(c->scope);
		if (c->withdrawn_on)
			printf("; withdrawn %.10s by %s: %s (%s)", c->withdrawn_on,
				or_dash(c->withdrawn_by), or_dash(c->withdrawal_reason),
				or_dash(c->disposition));
		printf("\n");
		for (size_t k = 0; k < c->nanswers; k++) {
			const ob_consent_answer *a = &c->answers[k];
			printf("  statement      %-12s %s", or_dash(a->code), or_dash(a->response));
			if (a->withdrawn_on)
				printf(", withdrawn %.10s by %s: %s", a->withdrawn_on,
					or_dash(a->withdrawn_by), or_dash(a->withdrawal_reason));
			printf("\n");
		}
	}
}

/* A donor of the list as a line: site, code, sex, birth year ("-":
 * unknown) and whether the consent was withdrawn. */
static int donor_line(const ob_donor_record *r, void *arg)
{
	char year[24] = "-";

	(void)arg;
	if (r->birth_year)
		snprintf(year, sizeof year, "%lld", (long long)r->birth_year);
	printf("%-10s %-16s %-8s %-5s%s\n", r->site, r->code, or_dash(r->sex), year,
		r->withdrawn ? " consent withdrawn" : "");
	return 0;
}

static const char donor_help[] =
	"usage: oncobank donor add CODE --site SITE [--sex female|male|other|unknown] [--birth-year Y]\n"
	"       oncobank donor diagnose CODE --site SITE --topography C50.9 --morphology 8500/3 [--date D]\n"
	"       oncobank donor show CODE --site SITE [--json]\n"
	"       oncobank donor list [--site SITE] [--json]\n"
	"       oncobank donor correct SITE CODE FIELD=VALUE... --reason TEXT\n"
	"       oncobank donor correct-diagnosis SITE CODE ID FIELD=VALUE... --reason TEXT\n"
	"       oncobank donor history SITE CODE [--json]\n\n"
	"Donors are pseudonymous: CODE is unique within the site. Diagnoses are ICD-O-3\n"
	"topography and morphology codes, checked for form.\n\n"
	"correct changes a donor's sex or birth_year (empty: unknown), correct-diagnosis\n"
	"the topography, morphology or diagnosed_on of diagnosis ID (donor show lists the\n"
	"ids); the reason goes into the audit trail (docs/corrections.md). SITE may also\n"
	"be given as --site SITE. history shows each field's changes.";

static int donor_correct(ob_cli *cli, int argc, char **argv)
{
	const char *reason = NULL, *site = NULL, *pos[CORRECT_ARGS];
	bool json = false, diag = !strcmp(argv[1], "correct-diagnosis");
	const ob_opt opts[] = { { "reason", &reason, NULL }, { "site", &site, NULL },
		{ "json", NULL, &json }, { NULL, NULL, NULL } };
	const char *const *rest;
	ob_cli_changes c;
	ob_cli_history h = { NULL };
	int64_t id = 0;
	ob_store *st;
	int rc, n, keys;

	if ((rc = ob_args_parse("donor", argc, argv, 2, opts, pos, CORRECT_ARGS, &n)) < 0)
		return rc;
	/* SITE CODE [ID], or --site SITE and CODE [ID] */
	keys = (site ? 1 : 2) + diag;
	if (n < keys)
		return ob_cli_usage("donor", diag ? "give SITE CODE ID" : "give SITE and CODE");
	rest = site ? pos : pos + 1;
	if (!site)
		site = pos[0];
	if (diag && ob_parse_i64(rest[1], &id) < 0)
		return ob_error_set(OB_EINVALID, "id: '%s' is not a diagnosis id (donor show lists"
			" them)", rest[1]);
	if (!strcmp(argv[1], "history") && n != keys)
		return ob_cli_usage("donor", "history takes SITE and CODE only");
	if (strcmp(argv[1], "history")
	    && (rc = ob_cli_changes_read("donor correct", pos + keys, n - keys, &c)) < 0)
		return rc;
	if ((rc = ob_cli_store(cli, &st)) < 0)
		return rc;
	ob_ctx cx = ob_cli_ctx(cli, st);
	if (!strcmp(argv[1], "history"))
		return ob_cli_history_print(&h, json, ob_donor_changes(&cx, site, rest[0],
			ob_cli_history_cb, &h));
	rc = diag ? ob_diagnosis_correct(&cx, site, rest[0], id, c.ch, c.n, reason)
		  : ob_donor_correct(&cx, site, rest[0], c.ch, c.n, reason);
	if (rc == 0)
		printf("%s %s at %s corrected\n", diag ? "diagnosis of donor" : "donor", rest[0], site);
	return rc;
}

int ob_cmd_donor(ob_cli *cli, int argc, char **argv)
{
	const char *site = NULL, *sex = NULL, *by = NULL, *topo = NULL, *morph = NULL,
		   *date = NULL, *pos[2];
	bool json = false;
	const ob_opt opts[] = { { "site", &site, NULL }, { "sex", &sex, NULL },
		{ "birth-year", &by, NULL }, { "topography", &topo, NULL },
		{ "morphology", &morph, NULL }, { "date", &date, NULL }, { "json", NULL, &json },
		{ NULL, NULL, NULL } };
	ob_store *st;
	int rc, n, year = 0;

	if (ob_cli_wants_help(argc, argv) || argc < 2) {
		puts(donor_help);
		return argc < 2 ? ob_cli_usage("donor", "a subcommand is needed") : 0;
	}
	if (!strcmp(argv[1], "correct") || !strcmp(argv[1], "correct-diagnosis")
	    || !strcmp(argv[1], "history"))
		return donor_correct(cli, argc, argv);
	if ((rc = ob_args_parse("donor", argc, argv, 2, opts, pos, 2, &n)) < 0)
		return rc;
	if (by && (rc = ob_args_int("birth-year", by, &year)) < 0)
		return rc;
	if ((rc = ob_cli_store(cli, &st)) < 0)
		return rc;
	ob_ctx cx = ob_cli_ctx(cli, st);
	if (!strcmp(argv[1], "list") && json) {
		json_t *a = json_array();
		return ob_cli_print_json(a, ob_donor_list(&cx, site, ob_view_donor_append, a));
	}
	if (!strcmp(argv[1], "list"))
		return ob_donor_list(&cx, site, donor_line, NULL);
	if (n != 1 || !site)
		return ob_cli_usage("donor", "CODE and --site are needed");
	if (!strcmp(argv[1], "add")) {
		if ((rc = ob_donor_add(&cx, site, pos[0], sex, year, NULL)) < 0)
			return rc;
		printf("donor %s added at %s\n", pos[0], site);
		return 0;
	}
	if (!strcmp(argv[1], "diagnose")) {
		if (!topo || !morph)
			return ob_cli_usage("donor", "diagnose needs --topography and --morphology");
		if ((rc = ob_donor_diagnose(&cx, site, pos[0], topo, morph, date)) < 0)
			return rc;
		printf("diagnosis %s %s recorded for %s\n", topo, morph, pos[0]);
		return 0;
	}
	if (!strcmp(argv[1], "show")) {
		ob_donor_full f;
		if ((rc = ob_donor_full_read(&cx, site, pos[0], &f)) < 0)
			return rc;
		if (json)
			rc = ob_cli_print_json(ob_view_donor_full(&f), 0);
		else
			ob_cli_donor_text(&f);
		ob_donor_full_free(&f);
		return rc;
	}
	return ob_cli_usage("donor", "unknown subcommand");
}

static const char audit_help[] =
	"usage: oncobank audit verify [--anchor FILE]\n"
	"       oncobank audit anchor FILE\n\n"
	"verify recomputes the hash chain of the audit trail and compares every audited\n"
	"row (sites, donors, diagnoses, consents, containers, specimens, accounts,\n"
	"sequencing results) with its latest audit event. Exits 0 when intact;\n"
	"otherwise 4, naming the first broken event or the first row altered behind\n"
	"the trail's back.\n\n"
	"anchor writes the chain's head (the last event's number and hash, and the\n"
	"time) to FILE, atomically. Keep it away from the database (another machine).\n"
	"verify --anchor FILE then also requires the trail to still reach that head:\n"
	"a trail whose last events were removed (a database copied without its -wal\n"
	"file, an older backup restored) or rewritten exits 4 with \"anchor: ...\"; an\n"
	"unreadable anchor file exits 2. Who may: the local operator, an administrator\n"
	"or an auditor.";

int ob_cmd_audit(ob_cli *cli, int argc, char **argv)
{
	const char *anchor = NULL, *pos[1];
	const ob_opt vopts[] = { { "anchor", &anchor, NULL }, { NULL, NULL, NULL } };
	const ob_opt aopts[] = { { NULL, NULL, NULL } };
	char hash[OB_AUDIT_HASH_HEX];
	int64_t seq;
	ob_store *st;
	ob_buf out = OB_BUF_INIT;
	int rc, n;

	if (ob_cli_wants_help(argc, argv) || argc < 2) {
		puts(audit_help);
		return argc < 2 ? ob_cli_usage("audit", "use: audit verify, audit anchor FILE") : 0;
	}
	if (!strcmp(argv[1], "verify")) {
		if ((rc = ob_args_parse("audit verify", argc, argv, 2, vopts, pos, 0, &n)) < 0)
			return rc;
		if (anchor && (rc = ob_audit_anchor_read(anchor, &seq, hash)) < 0)
			return rc;
		if ((rc = ob_cli_store(cli, &st)) < 0)
			return rc;
		ob_ctx cx = ob_cli_ctx(cli, st);
		return emit(&out, anchor ? ob_audit_verify_anchored(&cx, seq, hash, &out)
		                         : ob_audit_verify(&cx, &out));
	}
	if (!strcmp(argv[1], "anchor")) {
		if ((rc = ob_args_parse("audit anchor", argc, argv, 2, aopts, pos, 1, &n)) < 0)
			return rc;
		if (n != 1)
			return ob_cli_usage("audit", "anchor needs the FILE to write");
		if ((rc = ob_cli_store(cli, &st)) < 0)
			return rc;
		ob_ctx cx = ob_cli_ctx(cli, st);
		return emit(&out, ob_audit_anchor_write(&cx, pos[0], &out));
	}
	return ob_cli_usage("audit", "unknown subcommand (verify, anchor)");
}
