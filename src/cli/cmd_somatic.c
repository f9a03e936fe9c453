/*
 * cmd_somatic.c - `oncobank somatic`: targeted-drug susceptibility of a
 * tumour from its variants. Parses the options, opens the knowledge base
 * (kb.h; the database's imported releases when one is given), and runs the
 * interpretation of src/interp/somatic.h; prints text, JSON or writes the
 * HTML report.
 */
#include "cli/cmd_somatic.h"
#include "cli/args.h"
#include "base/buf.h"
#include "base/error.h"
#include "genomics/annotate.h"
#include "interp/kb.h"
#include "interp/somatic.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
	"usage: oncobank somatic --tumor-type ONCOTREE [--panel-size-mb N] [--fusions F]\n"
	"                        [--cnv F] [--msi high|stable|SCORE] [--sample S]\n"
	"                        [--patient ID --specimen BARCODE] [--fasta REF --gff GENES]\n"
	"                        [--db DB] IN.vcf[.gz]|IN.bcf [--json | --html OUT]\n"
	"\n"
	"Matches a tumour's variants (annotated with ANN - ours or SnpEff's - or VEP's\n"
	"CSQ; annotated here when --fasta and --gff are given and a record has\n"
	"neither), fusions, copy numbers, TMB and MSI against the knowledge base for\n"
	"the tumour's OncoTree type, and prints the drugs by tier, resistance first\n"
	"beside sensitivity, with the evidence behind each line.\n"
	"\n"
	"Options:\n"
	"  --tumor-type CODE   OncoTree code of the tumour (LUAD, COADREAD, ...)\n"
	"  --panel-size-mb N   coding size of the panel: TMB = coding non-synonymous\n"
	"                      PASS variants / N (TMB-high at >= 10 mut/Mb)\n"
	"  --fusions F         fusions TSV: gene1<TAB>gene2, or A--B / A::B\n"
	"  --cnv F             copy numbers TSV: header gene + copy_number|log2|call\n"
	"  --msi S             high, stable, or an MSIsensor score (high at >= 10)\n"
	"  --sample S          the tumour sample (default ##tumor_sample, else first)\n"
	"  --patient ID, --specimen BARCODE   identifiers printed in the report\n"
	"  --fasta F --gff F   annotate records that carry no annotation\n"
	"  --gff F             (also alone) prefer the models' MANE Select / canonical\n"
	"                      transcripts where the annotation marks no picked one\n"
	"  --db DB             also use the releases imported into this database\n"
	"                      (`oncobank kb import`); an existing $OB_DB is used too\n"
	"  --json              print the interpretation as JSON (docs/somatic.md)\n"
	"  --html OUT          write the clinician's HTML report to OUT\n"
	"\n"
	"A malformed VCF record: exit 2 and one line FILE:LINE: FIELD: message\n"
	"(docs/annotation.md, \"Malformed input\"). See docs/somatic.md.\n";

static const ob_kb_row *kb_rows(const void *ctx, const char *gene, size_t *n)
{
	return ob_kb_gene(ctx, gene, n);
}

static int write_file(const char *path, const ob_buf *b)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return ob_error_set(OB_ERROR, "%s: cannot open for writing", path);
	size_t w = fwrite(ob_buf_cstr(b), 1, b->len, f);
	if (fclose(f) != 0 || w != b->len)
		return ob_error_set(OB_ERROR, "%s: write error", path);
	return 0;
}

int ob_cmd_somatic(ob_cli *cli, int argc, char **argv)
{
	const char *tumor = NULL, *panel = NULL, *fusions = NULL, *cnv = NULL, *msi = NULL,
		   *sample = NULL, *patient = NULL, *specimen = NULL, *fasta = NULL, *gff = NULL,
		   *db = NULL, *html = NULL, *pos[2];
	bool json = false;
	const ob_opt opts[] = {
		{ "tumor-type", &tumor, NULL }, { "panel-size-mb", &panel, NULL },
		{ "fusions", &fusions, NULL }, { "cnv", &cnv, NULL }, { "msi", &msi, NULL },
		{ "sample", &sample, NULL }, { "patient", &patient, NULL },
		{ "specimen", &specimen, NULL }, { "fasta", &fasta, NULL }, { "gff", &gff, NULL },
		{ "db", &db, NULL }, { "html", &html, NULL }, { "json", NULL, &json },
		{ NULL, NULL, NULL },
	};
	ob_somatic_opts so = { 0 };
	ob_somatic s;
	ob_annotator *a = NULL;
	ob_gff *models = NULL;
	ob_kb *kb = NULL;
	ob_store *st = NULL;
	ob_buf out = OB_BUF_INIT;
	int rc, npos = 0, inited = 0;

	if (ob_cli_wants_help(argc, argv)) {
		fputs(usage, stdout);
		return 0;
	}
	if ((rc = ob_args_parse("somatic", argc, argv, 1, opts, pos, 2, &npos)) < 0)
		return rc;
	if (npos != 1)
		return ob_cli_usage("somatic", npos ? "one input VCF only" : "the input VCF is missing");
	if (!tumor)
		return ob_cli_usage("somatic", "--tumor-type is required");
	if (json && html)
		return ob_cli_usage("somatic", "--json and --html exclude each other");
	if (fasta && !gff)
		return ob_cli_usage("somatic", "--fasta needs --gff");
	if (panel && (rc = ob_args_double("panel-size-mb", panel, &so.panel_size_mb)) < 0)
		return rc;
	if (panel && so.panel_size_mb <= 0)
		return ob_cli_usage("somatic", "--panel-size-mb must be positive");
	so.tumor_type = tumor;
	so.msi = msi;
	so.sample = sample;
	so.patient = patient;
	so.specimen = specimen;

	/* a database only when named here or when $OB_DB/--db names an
	 * existing file: this command never creates one */
	if (db)
		cli->db_url = db;
	if (db || (cli->db_url && (strstr(cli->db_url, "://") || (access(cli->db_url, F_OK) == 0
		&& strcmp(cli->db_url, "oncobank.db"))))) {
		if ((rc = ob_cli_store(cli, &st)) < 0)
			return rc;
	}
	if ((rc = ob_kb_open(&kb, st)) < 0)
		goto out;
	if ((rc = ob_somatic_init(&s, &so, kb_rows, kb, ob_kb_version(kb))) < 0)
		goto out;
	inited = 1;
	if (fasta && (rc = ob_annotator_new(&a, fasta, gff)) < 0)
		goto out;
	/* the models again, for their MANE Select / canonical tags (the
	 * annotator keeps its own copy to itself) */
	if (gff && (rc = ob_gff_load(&models, gff)) < 0)
		goto out;
	s.o.models = models;
	/* htslib's own log is off (main.c): a contig missing from the header
	 * (the PCGR examples have none) is read silently, and a malformed
	 * record is one FILE:LINE: FIELD: message (vcfread.h) */
	if ((rc = ob_somatic_read_vcf(&s, pos[0], a)) < 0)
		goto out;
	if (fusions && (rc = ob_somatic_read_fusions(&s, fusions)) < 0)
		goto out;
	if (cnv && (rc = ob_somatic_read_cnv(&s, cnv)) < 0)
		goto out;
	if ((rc = ob_somatic_finish(&s)) < 0)
		goto out;
	if (html) {
		if ((rc = ob_somatic_html(&s, &out)) < 0 || (rc = write_file(html, &out)) < 0)
			goto out;
	} else {
		rc = json ? ob_somatic_json(&s, &out) : ob_somatic_text(&s, &out);
		if (rc < 0)
			goto out;
		fputs(ob_buf_cstr(&out), stdout);
	}
out:
	ob_buf_dispose(&out);
	if (inited)
		ob_somatic_dispose(&s);
	ob_annotator_free(a);
	ob_gff_free(models);
	ob_kb_free(kb);
	return rc;
}
