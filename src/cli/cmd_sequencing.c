/*
 * cmd_sequencing.c - `oncobank sequencing`: keep a sequencing result (VCF)
 * with its specimen, list results, and make a result's report. A thin
 * shell over src/bank/sequencing.h and src/interp/seqreport.h.
 */
#include "cli/cmd_sequencing.h"
#include "cli/args.h"
#include "bank/sequencing.h"
#include "base/buf.h"
#include "base/error.h"
#include "base/util.h"
#include "interp/seqreport.h"
#include "view/view.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
	"usage: oncobank sequencing add BARCODE --vcf FILE --kind somatic|germline --assay NAME\n"
	"                           --genome BUILD [--tumor-type ONCOTREE] [--panel-size-mb N]\n"
	"                           [--msi high|stable|SCORE]\n"
	"       oncobank sequencing list [BARCODE] [--limit N] [--json]\n"
	"       oncobank sequencing report ID [--json] [-o OUT.html] [--fasta REF --gff GENES]\n"
	"\n"
	"add     keeps the VCF a molecular laboratory delivered for a specimen (usually a\n"
	"        DNA extract), as received, with its SHA-256 in the audit trail. Needs the\n"
	"        right to change specimens at the specimen's site and the donor's consent to\n"
	"        genetic research. A somatic result needs the tumour's OncoTree code.\n"
	"list    the results of one specimen, or the newest in your scope.\n"
	"report  the result's report: specimen and pre-analytical quality (SPREC, lineage,\n"
	"        tumour content, extract quality, flags), then the somatic interpretation\n"
	"        (targeted-drug susceptibility) or the germline classification. HTML to\n"
	"        standard output or -o, or --json. Records without ANN/CSQ are annotated\n"
	"        with --fasta/--gff.\n"
	"\n"
	"See docs/sequencing.md.\n";

static int read_file(const char *path, ob_buf *out)
{
	FILE *f = !strcmp(path, "-") ? stdin : fopen(path, "rb");
	char chunk[65536];
	size_t n;

	if (!f)
		return ob_error_set(OB_ERROR, "%s: cannot open", path);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (out->len + n > OB_SEQ_MAX_BYTES) {
			if (f != stdin)
				fclose(f);
			return ob_error_set(OB_ETOOBIG, "%s: larger than %u MiB", path,
				OB_SEQ_MAX_BYTES >> 20);
		}
		if (ob_buf_put(out, chunk, n) < 0) {
			if (f != stdin)
				fclose(f);
			return ob_error_set(OB_ERROR, "out of memory");
		}
	}
	int bad = ferror(f);
	if (f != stdin)
		fclose(f);
	if (bad)
		return ob_error_set(OB_ERROR, "%s: read error", path);
	/* an empty file still needs its terminating NUL */
	return ob_buf_puts(out, "") < 0 ? ob_error_set(OB_ERROR, "out of memory") : 0;
}

static int cmd_add(ob_cli *cli, int argc, char **argv)
{
	const char *vcf = NULL, *kind = NULL, *assay = NULL, *genome = NULL, *tt = NULL,
		*panel = NULL, *msi = NULL, *pos[1];
	const ob_opt opts[] = { { "vcf", &vcf, NULL }, { "kind", &kind, NULL },
		{ "assay", &assay, NULL }, { "genome", &genome, NULL }, { "tumor-type", &tt, NULL },
		{ "panel-size-mb", &panel, NULL }, { "msi", &msi, NULL }, { NULL, NULL, NULL } };
	ob_seq_new in = { 0 };
	ob_buf text = OB_BUF_INIT;
	ob_store *st;
	int64_t id;
	int rc, n;

	if ((rc = ob_args_parse("sequencing add", argc, argv, 2, opts, pos, 1, &n)) < 0)
		return rc;
	if (n != 1 || !vcf || !kind || !assay || !genome)
		return ob_cli_usage("sequencing", "add needs BARCODE, --vcf, --kind, --assay and"
			" --genome");
	in.specimen = pos[0];
	in.kind = kind;
	in.assay = assay;
	in.genome = genome;
	in.tumor_type = tt;
	in.msi = msi;
	in.panel_size_mb = NAN;
	if (panel && (rc = ob_args_double("panel-size-mb", panel, &in.panel_size_mb)) < 0)
		return rc;
	const char *base = strrchr(vcf, '/');
	in.file_name = base ? base + 1 : vcf;
	if ((rc = read_file(vcf, &text)) < 0)
		goto out;
	if ((rc = ob_cli_store(cli, &st)) < 0)
		goto out;
	ob_ctx cx = ob_cli_ctx(cli, st);
	if ((rc = ob_seq_add(&cx, &in, ob_buf_cstr(&text), text.len, &id)) < 0)
		goto out;
	printf("sequencing result %lld added to %s\n", (long long)id, in.specimen);
out:
	ob_buf_dispose(&text);
	return rc;
}

static void seq_heading(void)
{
	printf("%-6s %-16s %-10s %-9s %-10s %-8s %8s  %s\n", "id", "specimen", "donor", "kind",
		"tumor", "genome", "records", "file");
}

/* A row of the table, under the heading printed before the first (after
 * the walk's check of the barcode). */
static int seq_line(const ob_seq_row *r, void *arg)
{
	bool *headed = arg;

	if (!*headed)
		seq_heading();
	*headed = true;
	printf("%-6lld %-16s %-10s %-9s %-10s %-8s %8lld  %s\n", (long long)r->id, r->specimen,
		r->donor, r->kind, r->tumor_type ? r->tumor_type : "-", r->genome,
		(long long)r->variants, r->file_name);
	return 0;
}

static int seq_item(const ob_seq_row *r, void *arg)
{
	if (json_array_append_new(arg, ob_view_seq_row(r)) < 0)
		return ob_error_set(OB_ERROR, "sequencing list: out of memory");
	return 0;
}

static int cmd_list(ob_cli *cli, int argc, char **argv)
{
	const char *limit_s = NULL, *pos[1];
	bool json = false;
	const ob_opt opts[] = { { "limit", &limit_s, NULL }, { "json", NULL, &json },
		{ NULL, NULL, NULL } };
	ob_buf out = OB_BUF_INIT;
	ob_store *st;
	json_t *a;
	int rc, n, limit = 100;

	if ((rc = ob_args_parse("sequencing list", argc, argv, 2, opts, pos, 1, &n)) < 0)
		return rc;
	if (limit_s && (rc = ob_args_int("limit", limit_s, &limit)) < 0)
		return rc;
	if ((rc = ob_cli_store(cli, &st)) < 0)
		return rc;
	ob_ctx cx = ob_cli_ctx(cli, st);
	if (!json) {
		bool headed = false;
		if ((rc = ob_seq_list(&cx, n ? pos[0] : NULL, limit, seq_line, &headed)) == 0
		    && !headed)
			seq_heading();
		return rc;
	}
	if (!(a = json_array()))
		return ob_error_set(OB_ERROR, "sequencing list: out of memory");
	if ((rc = ob_seq_list(&cx, n ? pos[0] : NULL, limit, seq_item, a)) < 0) {
		json_decref(a);
		return rc;
	}
	if ((rc = ob_view_dump(a, &out)) == 0)
		printf("%s\n", ob_buf_cstr(&out));
	ob_buf_dispose(&out);
	return rc;
}

static int cmd_report(ob_cli *cli, int argc, char **argv)
{
	const char *out_path = NULL, *fasta = NULL, *gff = NULL, *pos[1];
	bool json = false;
	const ob_opt opts[] = { { "json", NULL, &json }, { "output", &out_path, NULL },
		{ "fasta", &fasta, NULL }, { "gff", &gff, NULL }, { NULL, NULL, NULL } };
	ob_seqreport_opts o = { 0 };
	ob_buf out = OB_BUF_INIT;
	ob_store *st;
	int64_t id;
	int rc, n;

	/* -o is the short form of --output */
	for (int i = 2; i < argc; i++)
		if (!strcmp(argv[i], "-o"))
			argv[i] = "--output";
	if ((rc = ob_args_parse("sequencing report", argc, argv, 2, opts, pos, 1, &n)) < 0)
		return rc;
	if (n != 1 || ob_parse_i64(pos[0], &id) < 0 || id <= 0)
		return ob_cli_usage("sequencing", "report needs a result ID (a number)");
	if (!fasta != !gff)
		return ob_cli_usage("sequencing", "--fasta and --gff go together");
	o.format = json ? "json" : "html";
	o.fasta = fasta;
	o.gff = gff;
	if ((rc = ob_cli_store(cli, &st)) < 0)
		return rc;
	ob_ctx cx = ob_cli_ctx(cli, st);
	if ((rc = ob_seqreport(&cx, id, &o, &out)) < 0)
		goto out;
	if (out_path && strcmp(out_path, "-")) {
		FILE *f = fopen(out_path, "wb");
		if (!f) {
			rc = ob_error_set(OB_ERROR, "%s: cannot create", out_path);
			goto out;
		}
		int bad = fwrite(ob_buf_cstr(&out), 1, out.len, f) != out.len;
		if ((fclose(f) != 0) | bad)
			rc = ob_error_set(OB_ERROR, "%s: cannot write", out_path);
	} else {
		fputs(ob_buf_cstr(&out), stdout);
	}
out:
	ob_buf_dispose(&out);
	return rc;
}

int ob_cmd_sequencing(ob_cli *cli, int argc, char **argv)
{
	if (argc < 2 || ob_cli_wants_help(argc, argv)) {
		fputs(usage, stdout);
		return argc < 2 ? OB_EUSAGE : 0;
	}
	if (!strcmp(argv[1], "add"))
		return cmd_add(cli, argc, argv);
	if (!strcmp(argv[1], "list"))
		return cmd_list(cli, argc, argv);
	if (!strcmp(argv[1], "report"))
		return cmd_report(cli, argc, argv);
	return ob_cli_usage("sequencing", "unknown subcommand (add, list, report)");
}
