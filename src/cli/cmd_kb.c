/*
 * cmd_kb.c - `oncobank kb`: the somatic knowledge base. `kb import civic`
 * over src/interp/civic.h, `kb show` and `kb releases` over
 * src/interp/kb.h; this file parses options and prints. The base, its
 * format and the mappings are in docs/knowledge-base.md.
 */
#include "cli/cmd_kb.h"
#include "cli/args.h"
#include "interp/civic.h"
#include "interp/kb.h"
#include "interp/oncotree.h"
#include "base/buf.h"
#include "base/error.h"

#include <stdio.h>
#include <string.h>

static const char usage[] =
	"usage: oncobank kb import civic FILE [--version V] [--replace] [--unmapped OUT.tsv]\n"
	"       oncobank kb show GENE [--json]\n"
	"       oncobank kb releases [--json]\n"
	"\n"
	"The somatic knowledge base: the curated base shipped in the binary plus the\n"
	"releases imported into the database (docs/knowledge-base.md).\n"
	"\n"
	"import civic  reads a CIViC ClinicalEvidenceSummaries TSV (plain or .gz; v1 or\n"
	"              v2 column names), keeps Predictive evidence that Supports its\n"
	"              significance, maps diseases to OncoTree codes and variant names to\n"
	"              alteration specifications, and stores it as release 'civic V' in one\n"
	"              transaction. V comes from the file name (01-Aug-2021-...) unless\n"
	"              --version gives it. Items it cannot map are counted by reason,\n"
	"              stored, and written to --unmapped as TSV. Importing a version\n"
	"              again is refused (exit 4) unless --replace.\n"
	"show GENE     every row the base holds for GENE (HGNC symbol); GENE '-' shows\n"
	"              the tumour-wide biomarkers (msi-high, tmb-high).\n"
	"releases      the imported releases with their counts.\n";

static int json_row(ob_buf *b, const ob_kb_row *r)
{
	ob_buf_puts(b, "{\"gene\":");
	ob_buf_json_str(b, r->gene);
	ob_buf_puts(b, ",\"alteration\":");
	ob_buf_json_str(b, r->alteration);
	ob_buf_puts(b, ",\"tumor_type\":");
	ob_buf_json_str(b, r->tumor_type);
	ob_buf_puts(b, ",\"tumor_type_name\":");
	/* a release imported under an older OncoTree may name a retired code */
	if (*r->tumor_type == '!') {
		char t[96];
		snprintf(t, sizeof t, "any tumour type but %s", r->tumor_type + 1);
		ob_buf_json_str(b, t);
	} else {
		ob_buf_json_str(b, !*r->tumor_type ? "any tumour type"
			: ob_oncotree_name(r->tumor_type) ? ob_oncotree_name(r->tumor_type) : "");
	}
	ob_buf_puts(b, ",\"drugs\":");
	ob_buf_json_str(b, r->drugs);
	ob_buf_puts(b, ",\"effect\":");
	ob_buf_json_str(b, ob_kb_effect_name(r->effect));
	ob_buf_puts(b, ",\"amp_level\":");
	ob_buf_json_str(b, r->amp_level);
	ob_buf_puts(b, ",\"oncokb_level\":");
	ob_buf_json_str(b, r->oncokb_level);
	ob_buf_puts(b, ",\"sources\":");
	ob_buf_json_str(b, r->sources);
	ob_buf_puts(b, ",\"release\":");
	ob_buf_json_str(b, r->release);
	return ob_buf_putc(b, '}');
}

static int kb_show(ob_cli *cli, int argc, char **argv)
{
	bool json = false;
	const char *pos[1];
	const ob_opt opts[] = { { "json", NULL, &json }, { NULL, NULL, NULL } };
	const ob_kb_row *rows;
	const char *gene;
	ob_store *st;
	ob_kb *kb;
	size_t n;
	int npos, rc;

	if ((rc = ob_args_parse("kb show", argc, argv, 2, opts, pos, 1, &npos)) < 0)
		return rc;
	if (npos != 1)
		return ob_cli_usage("kb", "kb show takes one gene");
	gene = strcmp(pos[0], "-") ? pos[0] : "";
	if ((rc = ob_cli_store(cli, &st)) < 0 || (rc = ob_kb_open(&kb, st)) < 0)
		return rc;
	rows = ob_kb_gene(kb, gene, &n);
	if (json) {
		ob_buf b = OB_BUF_INIT;

		ob_buf_puts(&b, "{\"gene\":");
		ob_buf_json_str(&b, gene);
		ob_buf_puts(&b, ",\"kb_version\":");
		ob_buf_json_str(&b, ob_kb_version(kb));
		ob_buf_puts(&b, ",\"rows\":[");
		for (size_t i = 0; i < n; i++) {
			if (i)
				ob_buf_putc(&b, ',');
			json_row(&b, &rows[i]);
		}
		ob_buf_puts(&b, "]}\n");
		if (b.failed)
			rc = ob_error_set(OB_ERROR, "out of memory");
		else
			fputs(ob_buf_cstr(&b), stdout);
		ob_buf_dispose(&b);
	} else {
		printf("# %s: %zu row(s) in %s\n", *gene ? gene : "tumour-wide biomarkers", n,
			ob_kb_version(kb));
		printf("alteration\ttumor_type\tdrugs\teffect\tamp_level\toncokb_level\trelease\tsources\n");
		for (size_t i = 0; i < n; i++)
			printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", rows[i].alteration,
				*rows[i].tumor_type ? rows[i].tumor_type : "(any)", rows[i].drugs,
				ob_kb_effect_name(rows[i].effect), rows[i].amp_level,
				*rows[i].oncokb_level ? rows[i].oncokb_level : "-", rows[i].release,
				rows[i].sources);
	}
	ob_kb_free(kb);
	if (rc == 0 && n == 0)
		fprintf(stderr, "oncobank kb: the base holds nothing for %s\n", *gene ? gene : "'-'");
	return rc;
}

static int kb_releases(ob_cli *cli, int argc, char **argv)
{
	bool json = false;
	const ob_opt opts[] = { { "json", NULL, &json }, { NULL, NULL, NULL } };
	ob_kb_release *r;
	ob_store *st;
	size_t n;
	int npos, rc;

	if ((rc = ob_args_parse("kb releases", argc, argv, 2, opts, NULL, 0, &npos)) < 0)
		return rc;
	if ((rc = ob_cli_store(cli, &st)) < 0 || (rc = ob_kb_releases(st, &r, &n)) < 0)
		return rc;
	if (json) {
		ob_buf b = OB_BUF_INIT;

		ob_buf_putc(&b, '[');
		for (size_t i = 0; i < n; i++) {
			ob_buf_puts(&b, i ? ",{\"name\":" : "{\"name\":");
			ob_buf_json_str(&b, r[i].name);
			ob_buf_puts(&b, ",\"version\":");
			ob_buf_json_str(&b, r[i].version);
			ob_buf_puts(&b, ",\"source_file\":");
			ob_buf_json_str(&b, r[i].source_file);
			ob_buf_puts(&b, ",\"imported_at\":");
			ob_buf_json_str(&b, r[i].imported_at);
			ob_buf_puts(&b, ",\"imported_by\":");
			ob_buf_json_str(&b, r[i].imported_by);
			ob_buf_printf(&b, ",\"read\":%lld,\"skipped\":%lld,\"mapped\":%lld,\"unmapped\":%lld,"
				"\"rows\":%lld}", r[i].read, r[i].skipped, r[i].mapped, r[i].unmapped,
				r[i].rows);
		}
		ob_buf_puts(&b, "]\n");
		if (b.failed)
			rc = ob_error_set(OB_ERROR, "out of memory");
		else
			fputs(ob_buf_cstr(&b), stdout);
		ob_buf_dispose(&b);
	} else {
		printf("name\tversion\tsource_file\timported_at\timported_by\tread\tskipped\tmapped"
			"\tunmapped\trows\n");
		for (size_t i = 0; i < n; i++)
			printf("%s\t%s\t%s\t%s\t%s\t%lld\t%lld\t%lld\t%lld\t%lld\n", r[i].name, r[i].version,
				r[i].source_file, r[i].imported_at, r[i].imported_by, r[i].read, r[i].skipped,
				r[i].mapped, r[i].unmapped, r[i].rows);
	}
	ob_kb_releases_free(r, n);
	return rc;
}

static int kb_import(ob_cli *cli, int argc, char **argv)
{
	const char *version = NULL, *unmapped = NULL, *pos[2];
	bool replace = false;
	const ob_opt opts[] = {
		{ "version", &version, NULL },
		{ "replace", NULL, &replace },
		{ "unmapped", &unmapped, NULL },
		{ NULL, NULL, NULL }
	};
	char ver[32];
	ob_civic_opts o = { 0 };
	ob_civic_report rep;
	ob_store *st;
	FILE *um = NULL;
	int npos, rc;

	if ((rc = ob_args_parse("kb import", argc, argv, 2, opts, pos, 2, &npos)) < 0)
		return rc;
	if (npos != 2 || strcmp(pos[0], "civic"))
		return ob_cli_usage("kb", "kb import civic FILE");
	if (!version) {
		if (ob_civic_version_from_name(pos[1], ver, sizeof ver) < 0)
			return ob_cli_usage("kb", "the file name carries no release date"
				" (DD-Mon-YYYY-...): give --version");
		version = ver;
	}
	if ((rc = ob_cli_store(cli, &st)) < 0)
		return rc;
	if (unmapped && !(um = fopen(unmapped, "w")))
		return ob_error_set(OB_ERROR, "%s: cannot write: %m", unmapped);
	o.path = pos[1];
	o.version = version;
	o.replace = replace;
	o.unmapped = um;
	ob_civic_report_init(&rep);
	{
		ob_ctx cx = ob_cli_ctx(cli, st);

		rc = ob_civic_import(&cx, &o, &rep);
	}
	if (um && fclose(um) != 0 && rc == 0)
		rc = ob_error_set(OB_ERROR, "%s: cannot write: %m", unmapped);
	if (rc < 0 && unmapped)
		remove(unmapped);   /* nothing was imported: no list of it either */
	if (rc == 0) {
		printf("imported civic %s from %s: read %lld, skipped %lld (not Predictive %lld,"
			" does not support %lld), kept %lld = mapped %lld + unmapped %lld;"
			" %lld knowledge-base rows\n", version, pos[1], (long long)rep.read,
			(long long)rep.skipped, (long long)rep.skipped_type,
			(long long)rep.skipped_direction, (long long)(rep.mapped + rep.unmapped),
			(long long)rep.mapped, (long long)rep.unmapped, (long long)rep.rows);
		if (rep.unmapped) {
			printf("unmapped by reason:");
			for (int i = 1; i < OB_CIVIC_NREASONS; i++)
				if (rep.by_reason[i])
					printf(" %s %lld;", ob_civic_reason_name(i), (long long)rep.by_reason[i]);
			printf("\n");
			fprintf(stderr, "oncobank kb: %lld item(s) not mapped%s:\n%s",
				(long long)rep.unmapped, rep.unmapped > 20 ? " (the first 20; --unmapped FILE"
				" lists all, kb_unmapped holds all)" : "", ob_buf_cstr(&rep.first));
		}
	}
	ob_civic_report_dispose(&rep);
	return rc;
}

int ob_cmd_kb(ob_cli *cli, int argc, char **argv)
{
	if (ob_cli_wants_help(argc, argv)) {
		fputs(usage, stdout);
		return 0;
	}
	if (argc < 2)
		return ob_cli_usage("kb", "give import, show or releases");
	if (!strcmp(argv[1], "import"))
		return kb_import(cli, argc, argv);
	if (!strcmp(argv[1], "show"))
		return kb_show(cli, argc, argv);
	if (!strcmp(argv[1], "releases"))
		return kb_releases(cli, argc, argv);
	return ob_cli_usage("kb", "unknown subcommand (import, show, releases)");
}
