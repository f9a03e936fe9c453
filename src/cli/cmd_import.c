/*
 * cmd_import.c - `oncobank import` and `oncobank export`: argument parsing,
 * opening the input or output file, and printing the import's report. The
 * work is done by src/bank/csvimport.h; the formats are in docs/import.md.
 */
#include "cli/cmd_import.h"
#include "cli/args.h"
#include "bank/csvimport.h"
#include "base/error.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_import[] =
	"usage: oncobank import KIND FILE [--date-order dmy|mdy] [--max-errors N]\n"
	"                       [--signed-only | --withdrawals-only]\n"
	"       oncobank import specimens --update FILE [the options above]\n"
	"\n"
	"Imports a CSV file (RFC 4180, UTF-8; FILE '-' reads standard input) of KIND:\n"
	"sites, donors, diagnoses, consents, containers, specimens, studies, events,\n"
	"requirements or participants (OpenSpecimen's cp, cpe, sr and cpr templates\n"
	"too), or openspecimen (an OpenSpecimen master-specimen file: participants,\n"
	"visits and specimens; its dates mm-dd-yyyy unless --date-order dmy). The\n"
	"header names the columns (case and surrounding spaces ignored; OpenSpecimen\n"
	"bulk-import names are accepted as aliases). The whole file is one\n"
	"transaction: every bad row is reported as FILE:LINE: column: message (up to\n"
	"--max-errors, default 100) and then nothing is imported (exit 2). Numeric\n"
	"dates like 01-02-2016 are read as dd-mm-yyyy unless --date-order mdy. For\n"
	"consents, --signed-only ignores the withdrawal columns and --withdrawals-only\n"
	"applies only them (rebuilding a database from its export: see\n"
	"docs/import.md).\n"
	"\n"
	"With --update each row corrects the specimen its barcode names: the columns\n"
	"are barcode, reason (required on every row) and the correctable fields; an\n"
	"empty cell leaves its field as it is. All rows or none, as above.\n";

static const char usage_export[] =
	"usage: oncobank export KIND [--format csv|json] [-o FILE]\n"
	"                       [--site CODE] [--type TYPE] [--status STATUS]\n"
	"                       [--container BARCODE] [--donor CODE]   (specimens)\n"
	"\n"
	"Writes every row of KIND (sites, donors, diagnoses, consents, containers,\n"
	"specimens, studies, events, requirements, participants), oldest first, as\n"
	"CSV with the import's column names (the default) or as a JSON array, to\n"
	"standard output or to FILE. Studies, events and requirements are those of the\n"
	"studies you see, participants those enrolled at a site in your scope.\n"
	"Exported files import again into an empty database to give the same data\n"
	"(docs/import.md). The filters select specimens: --site takes the site and\n"
	"every site below it, --container the container and everything inside it.\n";

int ob_cmd_import(ob_cli *cli, int argc, char **argv)
{
	const char *order = NULL, *maxerr = NULL, *pos[2];
	bool signed_only = false, withdrawals_only = false, update = false;
	const ob_opt opts[] = {
		{ "date-order", &order, NULL },
		{ "max-errors", &maxerr, NULL },
		{ "signed-only", NULL, &signed_only },
		{ "withdrawals-only", NULL, &withdrawals_only },
		{ "update", NULL, &update },
		{ NULL, NULL, NULL }
	};
	ob_import_opts o = { 0 };
	ob_import_report rep;
	ob_import_kind kind;
	ob_store *st;
	FILE *in;
	int npos, rc;

	if (ob_cli_wants_help(argc, argv)) {
		fputs(usage_import, stdout);
		return 0;
	}
	if ((rc = ob_args_parse("import", argc, argv, 1, opts, pos, 2, &npos)) < 0)
		return rc;
	if (npos != 2)
		return ob_cli_usage("import", "give what to import and the file");
	if (ob_import_kind_parse(pos[0], &kind) < 0)
		return ob_cli_usage("import", ob_error_last());
	if (order && !strcmp(order, "mdy"))
		o.date_order = OB_DATE_MDY;
	else if (order && strcmp(order, "dmy"))
		return ob_cli_usage("import", "--date-order is dmy or mdy");
	else if (!order && kind == OB_IMPORT_OPENSPECIMEN)
		o.date_order = OB_DATE_MDY;  /* OpenSpecimen writes mm-dd-yyyy */
	if (maxerr && ((rc = ob_args_int("--max-errors", maxerr, &o.max_errors)) < 0
	               || o.max_errors < 1))
		return ob_cli_usage("import", "--max-errors needs a positive number");
	if (signed_only && withdrawals_only)
		return ob_cli_usage("import", "--signed-only and --withdrawals-only exclude each other");
	if ((signed_only || withdrawals_only) && kind != OB_IMPORT_CONSENTS)
		return ob_cli_usage("import", "--signed-only and --withdrawals-only are for consents");
	if (update && kind != OB_IMPORT_SPECIMENS)
		return ob_cli_usage("import", "--update corrects specimens only");
	o.consent_phase = signed_only ? OB_CONSENT_PHASE_SIGNED
		: withdrawals_only ? OB_CONSENT_PHASE_WITHDRAWALS : OB_CONSENT_PHASE_ALL;
	o.name = pos[1];
	if (!strcmp(pos[1], "-"))
		in = stdin;
	else if (!(in = fopen(pos[1], "rb")))
		return ob_error_set(OB_ENOTFOUND, "%s: cannot open: %m", pos[1]);
	if ((rc = ob_cli_store(cli, &st)) == 0) {
		ob_ctx cx = ob_cli_ctx(cli, st);

		ob_import_report_init(&rep);
		rc = update ? ob_import_corrections(&cx, in, &o, &rep)
			: ob_import_csv(&cx, kind, in, &o, &rep);
		fputs(ob_buf_cstr(&rep.warnings), stderr);
		fputs(ob_buf_cstr(&rep.messages), stderr);
		if (rc == 0)
			printf("%s %lld %s from %s%s\n", update ? "corrected" : "imported",
				(long long)rep.imported, pos[0],
				!strcmp(pos[1], "-") ? "stdin" : pos[1],
				rep.skipped ? " (rows without a withdrawal skipped)" : "");
		ob_import_report_dispose(&rep);
	}
	if (in != stdin)
		fclose(in);
	return rc;
}

int ob_cmd_export(ob_cli *cli, int argc, char **argv)
{
	const char *format = NULL, *output = NULL, *pos[1];
	ob_specimen_filter f;
	const ob_opt opts[] = {
		{ "format", &format, NULL },
		{ "output", &output, NULL },
		{ "site", &f.site, NULL },
		{ "type", &f.type, NULL },
		{ "status", &f.status, NULL },
		{ "container", &f.container, NULL },
		{ "donor", &f.donor, NULL },
		{ NULL, NULL, NULL }
	};
	ob_export_format fmt = OB_EXPORT_CSV;
	ob_import_kind kind;
	char **args, *tmp = NULL;
	ob_store *st;
	FILE *out = stdout;
	int npos, rc;

	memset(&f, 0, sizeof f);
	if (ob_cli_wants_help(argc, argv)) {
		fputs(usage_export, stdout);
		return 0;
	}
	/* "-o FILE" is the one short option: spelled out for the parser */
	if (!(args = calloc((size_t)argc + 1, sizeof *args)))
		return ob_error_set(OB_ERROR, "out of memory");
	for (int i = 0; i < argc; i++)
		args[i] = !strcmp(argv[i], "-o") ? "--output" : argv[i];
	rc = ob_args_parse("export", argc, args, 1, opts, pos, 1, &npos);
	free(args);
	if (rc < 0)
		return rc;
	if (npos != 1)
		return ob_cli_usage("export", "give what to export");
	if (ob_import_kind_parse(pos[0], &kind) < 0)
		return ob_cli_usage("export", ob_error_last());
	if (kind == OB_IMPORT_OPENSPECIMEN)
		return ob_cli_usage("export", "openspecimen is a kind to import only");
	if (format && !strcmp(format, "json"))
		fmt = OB_EXPORT_JSON;
	else if (format && strcmp(format, "csv"))
		return ob_cli_usage("export", "--format is csv or json");
	if (kind != OB_IMPORT_SPECIMENS && (f.site || f.type || f.status || f.container || f.donor))
		return ob_cli_usage("export", "the filters select specimens only");
	if ((rc = ob_cli_store(cli, &st)) < 0)
		return rc;
	if (output && strcmp(output, "-")) {
		/* written beside the target and renamed: a failed export leaves
		 * the old file as it was */
		size_t n = strlen(output) + 16;
		if (!(tmp = malloc(n)))
			return ob_error_set(OB_ERROR, "out of memory");
		snprintf(tmp, n, "%s.tmp%ld", output, (long)getpid());
		if (!(out = fopen(tmp, "wb"))) {
			rc = ob_error_set(OB_ERROR, "%s: cannot create: %m", tmp);
			free(tmp);
			return rc;
		}
	}
	{
		ob_ctx cx = ob_cli_ctx(cli, st);
		rc = ob_export(&cx, kind, &f, fmt, out, NULL);
	}
	if (tmp) {
		if (fclose(out) != 0 && rc == 0)
			rc = ob_error_set(OB_ERROR, "%s: write failed: %m", output);
		if (rc == 0 && rename(tmp, output) != 0)
			rc = ob_error_set(OB_ERROR, "%s: cannot rename into place: %m", output);
		if (rc < 0)
			unlink(tmp);
		free(tmp);
	}
	return rc;
}
