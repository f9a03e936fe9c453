/*
 * cmd_germline.c - `oncobank germline`: classify the variants of a gene
 * panel in a germline VCF (src/interp/germline.h) and write the result as
 * text, JSON or the HTML report for a genetic counsellor.
 */
#include "cli/cmd_germline.h"
#include "cli/args.h"
#include "interp/germline.h"
#include "base/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: oncobank germline [--panel breast|thyroid|hereditary-cancer] [--af-field NAME]\n"
	"                         [--revel-field NAME] [--db DB] [--fasta REF --gff GENES]\n"
	"                         [--evidence FILE] [--strict-2015]\n"
	"                         [--prs-score SCORE --prs-genotypes GENO [--prs-ref-dist FILE]\n"
	"                          [--prs-sample NAME]] IN.vcf[.gz]|IN.bcf\n"
	"                         [--json | --html OUT]\n"
	"\n"
	"Classifies every variant of the panel's genes that the (first) sample carries\n"
	"by the ACMG/AMP 2015 criteria that data can decide, each with its reason:\n"
	"PVS1, PS1/PM5 (ClinVar, imported with `oncobank clinvar import`), PM1, PM2,\n"
	"BA1, BS1 (population AF from INFO/NAME, default gnomAD_AF), PM4/BP3, PP3/BP4\n"
	"(REVEL from INFO/REVEL), BP7. ClinVar's classification is shown beside ours\n"
	"and a disagreement flagged; RET variants get their ATA 2015 risk category.\n"
	"The input carries ANN (oncobank annotate, SnpEff) or VEP CSQ, or is annotated\n"
	"on the fly with --fasta and --gff (the GFF also gives exon geometry for PVS1).\n"
	"\n"
	"  --panel P        breast, thyroid or hereditary-cancer (default: all genes)\n"
	"  --evidence FILE  reviewer's criteria: variant, criterion, strength, reviewer,\n"
	"                   note (tab-separated; strength off removes a criterion)\n"
	"  --strict-2015    Table 5 only: PVS1 + PM2_Supporting stays VUS\n"
	"  --prs-score S --prs-genotypes G  the sample's polygenic score (oncobank prs)\n"
	"                   from array genotypes; --prs-ref-dist F adds its percentile;\n"
	"                   --prs-sample names the sample in G (default: IN's sample)\n"
	"  --json           JSON on standard output (default: a text table)\n"
	"  --html OUT       the report for a genetic counsellor, one HTML file\n"
	"\n"
	"A malformed VCF record: exit 2 and one line FILE:LINE: FIELD: message\n"
	"(docs/annotation.md, \"Malformed input\"). See docs/germline.md.\n";

static int write_file(const char *path, const ob_buf *b)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return ob_error_set(OB_ERROR, "%s: cannot write", path);
	size_t n = fwrite(b->s ? b->s : "", 1, b->len, f);
	if (fclose(f) != 0 || n != b->len)
		return ob_error_set(OB_ERROR, "%s: write failed", path);
	return 0;
}

static void text_table(const ob_germline *g)
{
	if (g->have_prs) {
		printf("# polygenic score %s of %s: %.6g (%d variants used)", g->prs_score_file,
			g->prs_sample, g->prs_score, g->prs_used);
		if (g->have_prs_risk)
			printf("; percentile %.1f, %s", g->prs_percentile, g->prs_category);
		putchar('\n');
	}
	printf("# sample %s; panel %s; ClinVar %s; %lld records, %lld in the panel's genes\n",
		g->sample[0] ? g->sample : "-", g->panel, g->clinvar_release[0] ? g->clinvar_release
		: "not imported", (long long)g->records, (long long)g->in_panel);
	printf("variant\tgene\thgvs_c\thgvs_p\tclass\tcriteria\tclinvar\tret_ata2015\n");
	for (size_t i = 0; i < g->nvar; i++) {
		const ob_germline_var *v = &g->var[i];
		printf("%s\t%s\t%s\t%s\t%s%s\t", v->key, v->gene, v->hgvs_c, v->hgvs_p,
			ob_acmg_class_name(v->result.cls), v->result.conflict ? " (conflict)" : "");
		int first = 1;
		for (size_t j = 0; j < v->ncrit; j++) {
			char lab[32];
			if (!v->crit[j].strength)
				continue;
			ob_acmg_label(v->crit[j].code, v->crit[j].strength, lab, sizeof lab);
			printf("%s%s", first ? "" : ",", lab);
			first = 0;
		}
		if (first)
			fputs("-", stdout);
		if (v->cv_found)
			printf("\t%s (%d*)%s", v->cv.significance, v->cv.stars,
				v->cv_disagree ? " DISAGREES" : "");
		else
			fputs("\t-", stdout);
		if (v->ret_found)
			printf("\t%s (%s)\n", v->ret.label, v->ret.code);
		else
			fputs("\t-\n", stdout);
	}
}

int ob_cmd_germline(ob_cli *cli, int argc, char **argv)
{
	const char *panel = NULL, *af = NULL, *revel = NULL, *db = NULL, *fasta = NULL, *gff = NULL,
		*evidence = NULL, *html = NULL, *prs_score = NULL, *prs_geno = NULL, *prs_ref = NULL,
		*prs_sample = NULL, *pos[1];
	bool json = false, strict = false;
	const ob_opt opts[] = {
		{ "panel", &panel, NULL },
		{ "af-field", &af, NULL },
		{ "revel-field", &revel, NULL },
		{ "db", &db, NULL },
		{ "fasta", &fasta, NULL },
		{ "gff", &gff, NULL },
		{ "evidence", &evidence, NULL },
		{ "html", &html, NULL },
		{ "json", NULL, &json },
		{ "strict-2015", NULL, &strict },
		{ "prs-score", &prs_score, NULL },
		{ "prs-genotypes", &prs_geno, NULL },
		{ "prs-ref-dist", &prs_ref, NULL },
		{ "prs-sample", &prs_sample, NULL },
		{ NULL, NULL, NULL },
	};
	ob_germline_opts o;
	ob_annotator *a = NULL;
	ob_gff *models = NULL;
	ob_germline *g = NULL;
	ob_buf out = OB_BUF_INIT;
	int npos = 0, rc;

	if (ob_cli_wants_help(argc, argv)) {
		fputs(usage, stdout);
		return 0;
	}
	if ((rc = ob_args_parse("germline", argc, argv, 1, opts, pos, 1, &npos)) < 0)
		return rc;
	if (npos != 1)
		return ob_cli_usage("germline", "give one input VCF");
	if (json && html)
		return ob_cli_usage("germline", "--json or --html, not both");
	if (!fasta != !gff)
		return ob_cli_usage("germline", "--fasta and --gff go together");
	if (panel && !ob_germline_panel_known(panel))
		return ob_cli_usage("germline", "--panel takes breast, thyroid or hereditary-cancer");
	memset(&o, 0, sizeof o);
	o.panel = panel;
	o.af_field = af;
	o.revel_field = revel;
	o.evidence = evidence;
	o.strict_2015 = strict;
	if (!prs_score != !prs_geno)
		return ob_cli_usage("germline", "--prs-score and --prs-genotypes go together");
	if ((prs_ref || prs_sample) && !prs_score)
		return ob_cli_usage("germline", "--prs-ref-dist and --prs-sample need --prs-score");
	o.prs_score = prs_score;
	o.prs_genotypes = prs_geno;
	o.prs_ref_dist = prs_ref;
	o.prs_sample = prs_sample;
	if (db)
		cli->db_url = db;
	/* ClinVar is read from the database when it exists (never created
	 * here); a server database (postgresql://) is opened as named */
	{
		const char *path = !strncmp(cli->db_url, "sqlite:", 7) ? cli->db_url + 7 : cli->db_url;
		int server = strstr(cli->db_url, "://") != NULL && strncmp(cli->db_url, "sqlite:", 7);
		FILE *f = server ? NULL : fopen(path, "r");
		if (f || server) {
			if (f)
				fclose(f);
			if ((rc = ob_cli_store(cli, &o.store)) < 0)
				return rc;
		} else if (db) {
			return ob_error_set(OB_ENOTFOUND, "%s: no such database", db);
		}
	}
	if (fasta) {
		if ((rc = ob_annotator_new(&a, fasta, gff)) < 0 || (rc = ob_gff_load(&models, gff)) < 0)
			goto out;
		o.annotator = a;
		o.models = models;
		o.fasta = fasta;
	}
	if ((rc = ob_germline_run(pos[0], &o, &g)) < 0)
		goto out;
	if (g->evidence_unmatched)
		fprintf(stderr, "oncobank germline: warning: %lld evidence row(s) name no variant of the "
			"panel in %s\n", (long long)g->evidence_unmatched, pos[0]);
	if (json) {
		if ((rc = ob_germline_json(g, &out)) == 0)
			fwrite(out.s, 1, out.len, stdout);
	} else if (html) {
		if ((rc = ob_germline_html(g, &out)) == 0)
			rc = write_file(html, &out);
	} else {
		text_table(g);
	}
out:
	ob_buf_dispose(&out);
	ob_germline_free(g);
	ob_gff_free(models);
	ob_annotator_free(a);
	return rc;
}
