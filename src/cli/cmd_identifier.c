/*
 * cmd_identifier.c - direct identifiers on the command line
 * (bank/identifier.h): `oncobank identifiers keygen SITE`, and the donor
 * subcommands identify, identifiers and find-mrn (ob_cmd_donor hands them
 * here). Values are printed only by `donor identifiers`, to a reader the
 * domain let see them; no message carries one.
 */
#include "cli/commands.h"
#include "cli/args.h"
#include "bank/identifier.h"
#include "base/error.h"
#include "base/util.h"
#include "store/store.h"
#include "view/identifiers.h"

#include <stdio.h>
#include <string.h>

static const char identifiers_help[] =
	"usage: oncobank [--key-dir DIR] identifiers keygen SITE\n\n"
	"Creates the key that encrypts the direct identifiers kept by SITE: the file\n"
	"DIR/SITE.key (32 random bytes as hex, mode 0600) in the key directory\n"
	"(--key-dir, or $OB_KEY_DIR; made 0700 when missing). An existing key is never\n"
	"overwritten. Keep the keys outside the database and back them up apart from\n"
	"it: without its key a site's identifiers cannot be read (docs/identifiers.md).\n"
	"Who may: the local operator, or an administrator of the site.";

int ob_cmd_identifiers(ob_cli *cli, int argc, char **argv)
{
	const char *pos[1];
	const ob_opt opts[] = { { NULL, NULL, NULL } };
	char path[4096];
	ob_store *st;
	int rc, n;

	if (ob_cli_wants_help(argc, argv) || argc < 2) {
		puts(identifiers_help);
		return argc < 2 ? ob_cli_usage("identifiers", "a subcommand is needed") : 0;
	}
	if (strcmp(argv[1], "keygen"))
		return ob_cli_usage("identifiers", "unknown subcommand (keygen)");
	if ((rc = ob_args_parse("identifiers keygen", argc, argv, 2, opts, pos, 1, &n)) < 0)
		return rc;
	if (n != 1)
		return ob_cli_usage("identifiers", "keygen needs the SITE");
	if ((rc = ob_cli_store(cli, &st)) < 0)
		return rc;
	ob_ctx cx = ob_cli_ctx(cli, st);
	if ((rc = ob_identifier_keygen(&cx, pos[0], path, sizeof path)) == 0)
		printf("key of site %s written to %s\n", pos[0], path);
	return rc;
}

static const char ident_help[] =
	"usage: oncobank donor identify SITE DONOR [--name NAME] [--birth-date YYYY-MM-DD]\n"
	"                [--national-id ID] [--mrn HOSPITAL:MRN] [--clear KIND]\n"
	"       oncobank donor identifiers SITE DONOR [--json]\n"
	"       oncobank donor find-mrn HOSPITAL MRN [--json]\n\n"
	"The direct identifiers a site keeps for recontact, encrypted with the site's\n"
	"key (--key-dir DIR or $OB_KEY_DIR; docs/identifiers.md). identify sets those\n"
	"given, all in one transaction; an MRN belongs to the hospital that issued it\n"
	"(the donor's site or one in your scope). --clear removes one (name,\n"
	"birth_date, national_id, or mrn:HOSPITAL). identifiers shows them; find-mrn\n"
	"lists the donors with exactly that MRN at HOSPITAL. Only the local operator\n"
	"and accounts granted the permission (oncobank user grant-identifiers) whose\n"
	"scope holds the site may.";

/* Splits "HOSPITAL:MRN" into hospital (n bytes) and the MRN after it. */
static int mrn_split(const char *arg, char *hospital, size_t n, const char **mrn)
{
	const char *colon = strchr(arg, ':');

	if (!colon || colon == arg || !colon[1] || (size_t)(colon - arg) >= n)
		return ob_error_set(OB_EINVALID, "mrn: give it as HOSPITAL:MRN (the site code of the"
			" hospital that issued it)");
	memcpy(hospital, arg, (size_t)(colon - arg));
	hospital[colon - arg] = '\0';
	*mrn = colon + 1;
	return 0;
}

static int identify(ob_ctx *cx, const char *site, const char *donor, const char *const *v,
                    const char *mrn_arg, const char *clear)
{
	static const char *const kinds[] = { "name", "birth_date", "national_id" };
	char hospital[64];
	const char *mrn = NULL;
	int rc;

	if (mrn_arg && (rc = mrn_split(mrn_arg, hospital, sizeof hospital, &mrn)) < 0)
		return rc;
	if ((rc = ob_store_begin(cx->st)) < 0)
		return rc;
	for (int i = 0; rc == 0 && i < 3; i++)
		if (v[i])
			rc = ob_identifier_set(cx, site, donor, kinds[i], NULL, v[i]);
	if (rc == 0 && mrn)
		rc = ob_identifier_set(cx, site, donor, "mrn", hospital, mrn);
	if (rc == 0 && clear) {
		if (!strncmp(clear, "mrn:", 4))
			rc = ob_identifier_clear(cx, site, donor, "mrn", clear + 4);
		else
			rc = ob_identifier_clear(cx, site, donor, clear, NULL);
	}
	if (rc < 0) {
		ob_store_rollback(cx->st);
		return rc;
	}
	return ob_store_commit(cx->st);
}

static int ident_line(const ob_identifier *id, void *arg)
{
	(void)arg;
	if (!strcmp(id->kind, "mrn"))
		printf("%-12s %s (issued by %s)\n", id->kind, id->value, id->site);
	else
		printf("%-12s %s\n", id->kind, id->value);
	return 0;
}

static int donor_found(const char *site, const char *donor, void *arg)
{
	(void)arg;
	printf("%-10s %s\n", site, donor);
	return 0;
}

int ob_cmd_donor_identifiers(ob_cli *cli, int argc, char **argv)
{
	const char *v[3] = { NULL, NULL, NULL }, *mrn = NULL, *clear = NULL, *pos[2];
	bool json = false;
	const ob_opt opts[] = { { "name", &v[0], NULL }, { "birth-date", &v[1], NULL },
		{ "national-id", &v[2], NULL }, { "mrn", &mrn, NULL }, { "clear", &clear, NULL },
		{ "json", NULL, &json }, { NULL, NULL, NULL } };
	ob_store *st;
	int rc, n;

	if (ob_cli_wants_help(argc, argv)) {
		puts(ident_help);
		return 0;
	}
	if ((rc = ob_args_parse("donor", argc, argv, 2, opts, pos, 2, &n)) < 0)
		return rc;
	if (n != 2)
		return ob_cli_usage("donor", !strcmp(argv[1], "find-mrn") ? "find-mrn needs HOSPITAL"
			" and MRN" : "give SITE and DONOR");
	if (!strcmp(argv[1], "identify") && !v[0] && !v[1] && !v[2] && !mrn && !clear)
		return ob_cli_usage("donor", "identify needs --name, --birth-date, --national-id,"
			" --mrn or --clear");
	if ((rc = ob_cli_store(cli, &st)) < 0)
		return rc;
	ob_ctx cx = ob_cli_ctx(cli, st);
	if (!strcmp(argv[1], "identify")) {
		if ((rc = identify(&cx, pos[0], pos[1], v, mrn, clear)) == 0)
			printf("identifiers of donor %s at %s recorded\n", pos[1], pos[0]);
		return rc;
	}
	if (!strcmp(argv[1], "identifiers") && json) {
		json_t *o = ob_view_identifiers_new(pos[0], pos[1]);
		return ob_cli_print_json(o, ob_identifier_list(&cx, pos[0], pos[1],
			ob_view_identifier_add, o));
	}
	if (!strcmp(argv[1], "identifiers"))
		return ob_identifier_list(&cx, pos[0], pos[1], ident_line, NULL);
	if (json) {
		json_t *a = json_array();
		return ob_cli_print_json(a, ob_identifier_find_mrn(&cx, pos[0], pos[1],
			ob_view_identified_donor_append, a));
	}
	return ob_identifier_find_mrn(&cx, pos[0], pos[1], donor_found, NULL);
}
