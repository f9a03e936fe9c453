/*
 * cmd_prs.c - `oncobank prs`: a polygenic risk score (PGS Catalog scoring
 * file) over array genotypes, through src/genomics/prs.h. Writes one TSV row
 * per sample, or with --make-ref-dist the reference distribution of the
 * cohort; a one-line summary of the matching goes to stderr.
 */
#include "cli/cmd_prs.h"
#include "genomics/prs.h"
#include "base/error.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
	"usage: oncobank prs --score SCORE.txt[.gz] GENOTYPES.vcf[.gz]|.bcf|-\n"
	"                    [-o OUT.tsv] [--ref-dist FILE | --make-ref-dist]\n"
	"                    [--no-mean-impute] [--strand-flip] [--gt-only] [--harmonized]\n"
	"                    [--variants FILE] [--threads N]\n"
	"\n"
	"Applies a PGS Catalog scoring file to every sample of a VCF/BCF and writes\n"
	"  sample score variants_used variants_missing allele_ct effect_dosage_sum\n"
	"(score = sum of weight x effect-allele dosage, plink2's SCORE1_SUM), plus\n"
	"  z percentile relative_risk category\n"
	"with --ref-dist. Variants match by chromosome, position and alleles (by the\n"
	"ID column when the score gives no position). FORMAT/DS wins over GT where\n"
	"present. A missing call is mean-imputed from the file's allele frequency,\n"
	"as plink2 does by default.\n"
	"\n"
	"Options:\n"
	"  --score FILE      the scoring file (PGS Catalog, or ID effect_allele\n"
	"                    other_allele effect_weight)\n"
	"  -o, --output F    where to write (default -: standard output)\n"
	"  --ref-dist FILE   reference distribution (pgs_id/mean/sd lines): adds z,\n"
	"                    percentile, relative risk and category\n"
	"  --make-ref-dist   write the reference distribution (mean, SD) of this\n"
	"                    file's scores instead of the per-sample table\n"
	"  --no-mean-impute  a missing call adds 0 (plink2 no-mean-imputation)\n"
	"  --strand-flip     also match non-palindromic SNVs on the other strand\n"
	"                    (plink2 does not: off by default)\n"
	"  --gt-only         ignore FORMAT/DS, use the GT hard calls\n"
	"  --harmonized      positions from hm_chr/hm_pos (PGS Catalog harmonized file,\n"
	"                    e.g. GRCh38 genotypes with a GRCh37 score)\n"
	"  --variants FILE   write what became of each score variant\n"
	"  --threads N       extra decompression threads (default 0)\n"
	"\n"
	"A malformed VCF record: exit 2 and one line FILE:LINE: FIELD: message\n"
	"(docs/annotation.md, \"Malformed input\"). See docs/prs.md.\n";

static const char *const status_name[] = {
	"absent", "used", "used_flipped", "allele_mismatch", "strand_mismatch"
};

static int write_variants(const char *path, const ob_prs_score *s, const ob_prs_result *r)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return ob_error_set(OB_ERROR, "%s: cannot write: %s", path, strerror(errno));
	fputs("id\tchr\tpos\teffect_allele\tother_allele\teffect_weight\tline\tstatus\n", f);
	for (size_t i = 0; i < ob_prs_score_size(s); i++) {
		const ob_prs_entry *e = ob_prs_score_entry(s, i);
		fprintf(f, "%s\t%s\t%lld\t%s\t%s\t%.10g\t%d\t%s\n", *e->id ? e->id : ".",
			*e->chr ? e->chr : ".", (long long)e->pos, e->effect, *e->other ? e->other : ".",
			e->weight, e->line, status_name[ob_prs_result_status(r, i)]);
	}
	if (fclose(f) != 0)
		return ob_error_set(OB_ERROR, "%s: cannot write: %s", path, strerror(errno));
	return 0;
}

static int write_table(FILE *f, const ob_prs_result *r, const ob_prs_refdist *rd)
{
	fputs("sample\tscore\tvariants_used\tvariants_missing\tallele_ct\teffect_dosage_sum", f);
	fputs(rd ? "\tz\tpercentile\trelative_risk\tcategory\n" : "\n", f);
	for (int i = 0; i < ob_prs_result_nsamples(r); i++) {
		const ob_prs_sample *x = ob_prs_result_sample(r, i);
		fprintf(f, "%s\t%.10g\t%d\t%d\t%d\t%.10g", x->name, x->score, x->variants_used,
			x->variants_missing, x->allele_ct, x->effect_dosage);
		if (rd) {
			ob_prs_risk k;
			int rc = ob_prs_place(rd, x->score, &k);
			if (rc < 0)
				return rc;
			fprintf(f, "\t%.4f\t%.2f\t%.4g\t%s", k.z, k.percentile, k.relative_risk, k.category);
		}
		fputc('\n', f);
	}
	return 0;
}

int ob_cmd_prs(ob_cli *cli, int argc, char **argv)
{
	const char *score = NULL, *out = "-", *refpath = NULL, *varpath = NULL, *in = NULL,
		*threads = "0";
	bool make_ref = false;
	ob_prs_opts o = { 0 };
	ob_prs_score *s = NULL;
	ob_prs_result *r = NULL;
	ob_prs_refdist rd;
	FILE *f = NULL;
	int rc;

	(void)cli;
	if (ob_cli_wants_help(argc, argv)) {
		fputs(usage, stdout);
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], **dst = NULL;
		if (!strcmp(a, "--score"))
			dst = &score;
		else if (!strcmp(a, "-o") || !strcmp(a, "--output"))
			dst = &out;
		else if (!strcmp(a, "--ref-dist"))
			dst = &refpath;
		else if (!strcmp(a, "--variants"))
			dst = &varpath;
		else if (!strcmp(a, "--threads"))
			dst = &threads;
		else if (!strcmp(a, "--make-ref-dist"))
			make_ref = true;
		else if (!strcmp(a, "--no-mean-impute"))
			o.no_mean_impute = true;
		else if (!strcmp(a, "--strand-flip"))
			o.strand_flip = true;
		else if (!strcmp(a, "--gt-only"))
			o.gt_only = true;
		else if (!strcmp(a, "--harmonized"))
			o.harmonized = true;
		else if (a[0] == '-' && a[1])
			return ob_cli_usage("prs", "unknown option");
		else if (in)
			return ob_cli_usage("prs", "one genotype file only");
		else
			in = a;
		if (dst) {
			if (i + 1 >= argc)
				return ob_cli_usage("prs", "an option lacks its value");
			*dst = argv[++i];
		}
	}
	if (!score || !in)
		return ob_cli_usage("prs", "--score and a genotype file are required");
	if (make_ref && refpath)
		return ob_cli_usage("prs", "--ref-dist and --make-ref-dist exclude each other");
	if (sscanf(threads, "%d", &o.threads) != 1 || o.threads < 0 || o.threads > 64)
		return ob_cli_usage("prs", "--threads takes a number from 0 to 64");

	if (refpath && (rc = ob_prs_refdist_load(&rd, refpath)) < 0)
		return rc;
	if ((rc = ob_prs_score_load(&s, score, &o)) < 0)
		return rc;
	const char *pgs = ob_prs_score_meta(s, "pgs_id");
	if (refpath && pgs && rd.pgs_id[0] && strcmp(pgs, rd.pgs_id)) {
		rc = ob_error_set(OB_EINVALID, "%s: pgs_id: '%s' but the score is '%s'", refpath, rd.pgs_id, pgs);
		goto out;
	}
	if ((rc = ob_prs_compute(&r, s, in, &o)) < 0)
		goto out;
	if (varpath && (rc = write_variants(varpath, s, r)) < 0)
		goto out;
	if (strcmp(out, "-") && !(f = fopen(out, "w"))) {
		rc = ob_error_set(OB_ERROR, "%s: cannot write: %s", out, strerror(errno));
		goto out;
	}
	FILE *w = f ? f : stdout;
	if (make_ref) {
		ob_prs_refdist m;
		if ((rc = ob_prs_refdist_from(&m, r, pgs)) < 0)
			goto out;
		fprintf(w, "# oncobank prs --make-ref-dist: mean and sample SD of the score over %d samples"
			" of %s\n", m.n, in);
		if (m.pgs_id[0])
			fprintf(w, "pgs_id\t%s\n", m.pgs_id);
		fprintf(w, "n\t%d\nmean\t%.10g\nsd\t%.10g\n", m.n, m.mean, m.sd);
	} else if ((rc = write_table(w, r, refpath ? &rd : NULL)) < 0) {
		goto out;
	}
	if (fflush(w) != 0 || ferror(w)) {
		rc = ob_error_set(OB_ERROR, "%s: cannot write: %s", out, strerror(errno));
		goto out;
	}
	ob_prs_counts c;
	ob_prs_result_counts(r, &c);
	fprintf(stderr, "oncobank prs: %d of %zu score variants used (%d on the other strand),"
		" %d absent, %d with other alleles, %d on the other strand only%s; %d samples,"
		" %lld records read, %lld parsed", c.used, ob_prs_score_size(s), c.flipped, c.absent,
		c.allele_mismatch, c.strand_mismatch, c.strand_mismatch ? " (--strand-flip uses them)" : "",
		ob_prs_result_nsamples(r), (long long)c.records, (long long)c.parsed);
	if (c.duplicates)
		fprintf(stderr, ", %lld records matching a variant already used ignored",
			(long long)c.duplicates);
	fputc('\n', stderr);
out:
	if (f && fclose(f) != 0 && rc == 0)
		rc = ob_error_set(OB_ERROR, "%s: cannot write: %s", out, strerror(errno));
	ob_prs_result_free(r);
	ob_prs_score_free(s);
	return rc;
}
