/*
 * cmd_clinvar.c - `oncobank clinvar`: import a ClinVar VCF release
 * (src/interp/clinvar.h) and look a variant up in it.
 */
#include "cli/cmd_clinvar.h"
#include "cli/args.h"
#include "interp/clinvar.h"
#include "base/error.h"
#include "base/util.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: oncobank clinvar import CLINVAR.vcf[.gz] [--replace] [--fasta REF --gff GENES]\n"
	"                               [--db DB]\n"
	"       oncobank clinvar lookup CHROM:POS:REF:ALT [--db DB]\n"
	"       oncobank clinvar residue GENE RESIDUE [p.CHANGE] [--db DB]\n"
	"\n"
	"import reads a ClinVar VCF (NCBI's file or a subset of it) in one transaction:\n"
	"significance, review status (stars), conditions, HGVS, variation id and\n"
	"molecular consequence of every record. The release is named by the file's\n"
	"##fileDate and ##reference; importing the same release again is refused\n"
	"unless --replace. With --fasta and --gff (the same genome build) each\n"
	"record's protein change is derived by annotation, which PS1/PM5 need.\n"
	"Prints records read, stored and skipped by reason.\n"
	"\n"
	"lookup prints the newest release's record of one variant. residue counts the\n"
	"pathogenic missense records (P/LP, >= 1 star) at a residue of GENE's protein\n"
	"(PM5), and with p.CHANGE those with that very change (PS1); it needs\n"
	"protein changes derived at import.\n"
	"\n"
	"See docs/germline.md.\n";

static int do_import(ob_cli *cli, int argc, char **argv)
{
	const char *fasta = NULL, *gff = NULL, *db = NULL, *pos[1];
	bool replace = false;
	const ob_opt opts[] = {
		{ "replace", NULL, &replace },
		{ "fasta", &fasta, NULL },
		{ "gff", &gff, NULL },
		{ "db", &db, NULL },
		{ NULL, NULL, NULL },
	};
	ob_clinvar_opts o = { 0, NULL, NULL };
	ob_gff *models = NULL;
	ob_clinvar_stats s;
	ob_store *st;
	int npos = 0, rc;

	if ((rc = ob_args_parse("clinvar import", argc, argv, 2, opts, pos, 1, &npos)) < 0)
		return rc;
	if (npos != 1)
		return ob_cli_usage("clinvar import", "give one ClinVar VCF");
	if (!fasta != !gff)
		return ob_cli_usage("clinvar import", "--fasta and --gff go together");
	if (db)
		cli->db_url = db;
	o.replace = replace;
	if (fasta && ((rc = ob_annotator_new(&o.annotator, fasta, gff)) < 0 ||
	              (rc = ob_gff_load(&models, gff)) < 0)) {
		ob_annotator_free(o.annotator);
		return rc;
	}
	o.models = models;
	if ((rc = ob_cli_store(cli, &st)) == 0)
		rc = ob_clinvar_import(st, pos[0], &o, &s);
	ob_annotator_free(o.annotator);
	ob_gff_free(models);
	if (rc < 0)
		return rc;
	printf("clinvar release %s (%s)%s: %" PRId64 " records read, %" PRId64 " stored, %" PRId64
		" skipped (%" PRId64 " without a germline classification, %" PRId64
		" without a plain ALT allele)", s.file_date, s.reference,
		s.replaced ? " replaced" : "", s.read, s.stored,
		s.skipped_no_class + s.skipped_no_alt, s.skipped_no_class, s.skipped_no_alt);
	if (fasta)
		printf("; %" PRId64 " with a protein change", s.with_protein);
	putchar('\n');
	return 0;
}

static int do_lookup(ob_cli *cli, int argc, char **argv)
{
	const char *db = NULL, *pos[1];
	const ob_opt opts[] = { { "db", &db, NULL }, { NULL, NULL, NULL } };
	char chrom[64], ref[512], alt[512];
	int64_t p;
	int npos = 0, rc;
	ob_clinvar_rec r;
	ob_store *st;

	if ((rc = ob_args_parse("clinvar lookup", argc, argv, 2, opts, pos, 1, &npos)) < 0)
		return rc;
	if (npos != 1)
		return ob_cli_usage("clinvar lookup", "give one variant as CHROM:POS:REF:ALT");
	{
		char pbuf[32];
		if (sscanf(pos[0], "%63[^:]:%31[^:]:%511[^:]:%511s", chrom, pbuf, ref, alt) != 4 ||
		    ob_parse_i64(pbuf, &p) < 0 || p <= 0)
			return ob_error_set(OB_EINVALID, "variant '%s': expected CHROM:POS:REF:ALT", pos[0]);
	}
	if (db)
		cli->db_url = db;
	if ((rc = ob_cli_store(cli, &st)) < 0)
		return rc;
	if ((rc = ob_clinvar_find(st, chrom, p, ref, alt, &r)) == OB_ENOTFOUND)
		return ob_error_set(OB_ENOTFOUND, "variant %s: not in ClinVar (newest release imported)",
			pos[0]);
	if (rc < 0)
		return rc;
	printf("variation_id\t%" PRId64 "\ngene\t%s\nsignificance\t%s\nreview_status\t%s\n"
		"stars\t%d\nconditions\t%s\nhgvs\t%s\nconsequence\t%s\nprotein_change\t%s\n"
		"release\t%s\n", r.variation_id, r.gene, r.significance, r.review_status, r.stars,
		r.conditions, r.hgvs, r.consequence, r.protein_change, r.file_date);
	return 0;
}

static int do_residue(ob_cli *cli, int argc, char **argv)
{
	const char *db = NULL, *pos[3];
	const ob_opt opts[] = { { "db", &db, NULL }, { NULL, NULL, NULL } };
	ob_acmg_clinvar cv;
	ob_store *st;
	int npos = 0, rc, residue;

	if ((rc = ob_args_parse("clinvar residue", argc, argv, 2, opts, pos, 3, &npos)) < 0)
		return rc;
	if (npos < 2)
		return ob_cli_usage("clinvar residue", "give GENE and RESIDUE");
	if ((rc = ob_args_int("RESIDUE", pos[1], &residue)) < 0)
		return rc;
	if (residue <= 0)
		return ob_cli_usage("clinvar residue", "RESIDUE counts from 1");
	if (db)
		cli->db_url = db;
	if ((rc = ob_cli_store(cli, &st)) < 0)
		return rc;
	if ((rc = ob_clinvar_residue(st, pos[0], residue, npos > 2 ? pos[2] : "", "", 0, "", "",
	                             &cv)) < 0)
		return rc;
	printf("gene\t%s\nresidue\t%d\n", pos[0], residue);
	if (npos > 2)
		printf("same_change_pathogenic\t%d\t%s\n", cv.same_aa_path, cv.same_aa_example);
	printf("other_change_pathogenic\t%d\t%s\n", cv.residue_path, cv.residue_example);
	return 0;
}

int ob_cmd_clinvar(ob_cli *cli, int argc, char **argv)
{
	if (ob_cli_wants_help(argc, argv)) {
		fputs(usage, stdout);
		return 0;
	}
	if (argc < 2)
		return ob_cli_usage("clinvar", "give a subcommand: import, lookup or residue");
	if (!strcmp(argv[1], "import"))
		return do_import(cli, argc, argv);
	if (!strcmp(argv[1], "lookup"))
		return do_lookup(cli, argc, argv);
	if (!strcmp(argv[1], "residue"))
		return do_residue(cli, argc, argv);
	return ob_cli_usage("clinvar", "unknown subcommand");
}
