/*
 * cmd_annotate.c - `oncobank annotate`: parses the options, builds the
 * annotator (src/genomics/annotate.h) and streams the VCF through it
 * (src/genomics/vcfio.h).
 */
#include "cli/cmd_annotate.h"
#include "genomics/annotate.h"
#include "genomics/vcfio.h"
#include "base/error.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
	"usage: oncobank annotate --fasta REF.fa[.gz] --gff GENES.gff3[.gz] IN.vcf[.gz]|IN.bcf|-\n"
	"                         [--pick] [--compound] [-o OUT] [-O v|z|b]\n"
	"\n"
	"Adds to every record an ANN INFO field (the VCF annotation format): per ALT\n"
	"allele and transcript the consequence (SO terms), impact, gene, transcript,\n"
	"exon or intron rank, HGVS c. and p., positions and warnings; highest impact\n"
	"first. Gene models come from an Ensembl-style GFF3; the FASTA is indexed\n"
	"(.fai) when needed. Contig names are matched with or without a \"chr\" prefix.\n"
	"\n"
	"Options:\n"
	"  --fasta FILE     the reference sequence\n"
	"  --gff FILE       the gene models (GFF3)\n"
	"  --pick           one transcript per gene: MANE Select, else the Ensembl\n"
	"                   canonical tag, else the longest CDS, else the smallest ID\n"
	"  --compound       compound (haplotype-aware) consequences: the coding variants\n"
	"                   one haplotype carries in a transcript are translated together;\n"
	"                   the first record gets the combined entry (INFO_COMPOUND_WITH),\n"
	"                   the others point at it (INFO_COMPOUND:POS). Haplotypes: phased\n"
	"                   GTs; no samples: all records one haplotype\n"
	"  -o, --output F   where to write (default -: standard output)\n"
	"  -O, --output-type T  v (VCF, default), z (bgzipped VCF) or b (BCF)\n"
	"\n"
	"A malformed VCF record: exit 2 and one line FILE:LINE: FIELD: message\n"
	"(docs/annotation.md, \"Malformed input\"). See docs/annotation.md.\n";

int ob_cmd_annotate(ob_cli *cli, int argc, char **argv)
{
	const char *fasta = NULL, *gff = NULL, *out = "-", *type = "v", *in = NULL;
	ob_annotator *a = NULL;
	ob_vcf_stats st;
	int rc, pick = 0;
	unsigned flags = 0;

	(void)cli;
	if (ob_cli_wants_help(argc, argv)) {
		fputs(usage, stdout);
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i], **dst = NULL;
		if (!strcmp(o, "--fasta"))
			dst = &fasta;
		else if (!strcmp(o, "--gff"))
			dst = &gff;
		else if (!strcmp(o, "-o") || !strcmp(o, "--output"))
			dst = &out;
		else if (!strcmp(o, "-O") || !strcmp(o, "--output-type"))
			dst = &type;
		else if (!strcmp(o, "--pick")) {
			pick = 1;
			continue;
		} else if (!strcmp(o, "--compound")) {
			flags |= OB_VCF_COMPOUND;
			continue;
		} else if (o[0] == '-' && o[1])
			return ob_cli_usage("annotate", "unknown option");
		if (dst) {
			if (i + 1 >= argc)
				return ob_cli_usage("annotate", "an option lacks its value");
			*dst = argv[++i];
		} else if (in) {
			return ob_cli_usage("annotate", "one input file only");
		} else {
			in = o;
		}
	}
	if (!fasta || !gff || !in)
		return ob_cli_usage("annotate", "--fasta, --gff and an input are required");
	if (strlen(type) != 1 || !strchr("vzb", type[0]))
		return ob_cli_usage("annotate", "-O takes v, z or b");
	if ((rc = ob_annotator_new(&a, fasta, gff)) < 0)
		return rc;
	if ((rc = ob_annotator_set_pick(a, pick)) < 0) {
		ob_annotator_free(a);
		return rc;
	}
	rc = ob_vcf_annotate(a, in, out, type[0], flags, &st);
	const char *bad_chrom;
	int64_t bad_pos, nbad = ob_annotator_ref_mismatches(a, &bad_chrom, &bad_pos);
	if (rc == 0 && nbad)
		fprintf(stderr, "oncobank annotate: warning: %s: %" PRId64 " record(s) have a REF that"
			" disagrees with %s (the first at %s:%" PRId64 "); annotated against their REF"
			" and flagged WARNING_REF_DOES_NOT_MATCH_GENOME\n", in, nbad, fasta, bad_chrom,
			bad_pos);
	ob_annotator_free(a);
	if (rc == 0 && st.unknown)
		fprintf(stderr, "oncobank annotate: warning: contig '%s' matches no contig of %s or %s"
			" (also with or without \"chr\"); %" PRId64 " record(s) on unknown contigs"
			" carry ERROR_CHROMOSOME_NOT_FOUND\n", st.first_unknown, fasta, gff, st.unknown);
	return rc;
}
