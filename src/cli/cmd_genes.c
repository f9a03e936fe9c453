/*
 * cmd_genes.c - `oncobank genes`: `index` loads a GFF3 and writes the
 * binary cache (src/genomics/genecache.h) that every --gff option also
 * takes; `stats` prints the counts of a GFF3 or a cache.
 */
#include "cli/cmd_genes.h"
#include "genomics/genecache.h"
#include "genomics/gff.h"
#include "base/error.h"

#include <stdio.h>
#include <string.h>

static const char usage[] =
	"usage: oncobank genes index GENES.gff3[.gz] -o GENES.obgc\n"
	"       oncobank genes stats GENES.gff3[.gz]|GENES.obgc [--json]\n"
	"\n"
	"index  loads the gene models of an Ensembl-style GFF3 and writes them to a\n"
	"       binary cache (written to a temporary file, then renamed into place).\n"
	"       Every --gff option (oncobank annotate, oncobank hgvs) takes the cache\n"
	"       as it takes the GFF3, and loads it much faster. A cache whose source\n"
	"       GFF3 has changed since, or that is damaged or of another format\n"
	"       version, is refused (exit 2): rebuild it.\n"
	"stats  prints the counts: genes, transcripts, coding transcripts, contigs,\n"
	"       exons, MANE Select and Ensembl canonical transcripts.\n"
	"\n"
	"See docs/genes.md.\n";

static int cmd_index(int argc, char **argv)
{
	const char *in = NULL, *out = NULL;
	ob_gff *g = NULL;
	int rc;

	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) {
			if (i + 1 >= argc)
				return ob_cli_usage("genes", "-o lacks its value");
			out = argv[++i];
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return ob_cli_usage("genes", "unknown option");
		} else if (in) {
			return ob_cli_usage("genes", "one GFF3 only");
		} else {
			in = argv[i];
		}
	}
	if (!in || !out)
		return ob_cli_usage("genes", "index needs a GFF3 and -o CACHE");
	if (ob_genecache_sniff(in))
		return ob_error_set(OB_EINVALID, "%s: is a gene cache already; index the GFF3 it came from", in);
	if ((rc = ob_gff_load_text(&g, in)) < 0)
		return rc;
	rc = ob_genecache_write(g, in, out);
	if (rc == 0)
		fprintf(stderr, "oncobank genes: %zu transcripts of %s written to %s\n",
			ob_gff_ntx(g), in, out);
	ob_gff_free(g);
	return rc;
}

static int cmd_stats(int argc, char **argv)
{
	const char *in = NULL;
	int json = 0, rc;
	ob_gff *g = NULL;
	ob_gff_stats st;

	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = 1;
		else if (argv[i][0] == '-' && argv[i][1])
			return ob_cli_usage("genes", "unknown option");
		else if (in)
			return ob_cli_usage("genes", "one file only");
		else
			in = argv[i];
	}
	if (!in)
		return ob_cli_usage("genes", "stats needs a GFF3 or a cache");
	int cache = ob_genecache_sniff(in);
	if ((rc = ob_gff_load(&g, in)) < 0)
		return rc;
	rc = ob_gff_get_stats(g, &st);
	ob_gff_free(g);
	if (rc < 0)
		return rc;
	if (json)
		printf("{\"format\":\"%s\",\"genes\":%zu,\"transcripts\":%zu,\"coding\":%zu,"
			"\"contigs\":%zu,\"exons\":%zu,\"mane_select\":%zu,\"canonical\":%zu}\n",
			cache ? "cache" : "gff3", st.genes, st.transcripts, st.coding, st.contigs,
			st.exons, st.mane_select, st.canonical);
	else
		printf("format\t%s\ngenes\t%zu\ntranscripts\t%zu\ncoding\t%zu\ncontigs\t%zu\n"
			"exons\t%zu\nmane_select\t%zu\ncanonical\t%zu\n",
			cache ? "cache" : "gff3", st.genes, st.transcripts, st.coding, st.contigs,
			st.exons, st.mane_select, st.canonical);
	return 0;
}

int ob_cmd_genes(ob_cli *cli, int argc, char **argv)
{
	(void)cli;
	if (ob_cli_wants_help(argc, argv)) {
		fputs(usage, stdout);
		return 0;
	}
	if (argc < 2)
		return ob_cli_usage("genes", "index or stats?");
	if (!strcmp(argv[1], "index"))
		return cmd_index(argc, argv);
	if (!strcmp(argv[1], "stats"))
		return cmd_stats(argc, argv);
	return ob_cli_usage("genes", "unknown subcommand (index, stats)");
}
