/*
 * cmd_hgvs.c - `oncobank hgvs`: an HGVS c./n. description of a transcript
 * to a genomic variant (VCF-style and g.), or a genomic variant to the
 * c./n. description on each transcript it touches. A thin shell over
 * src/genomics/hgvsmap.h; `-` reads one input per line (batch).
 */
#include "cli/cmd_hgvs.h"
#include "genomics/hgvsmap.h"
#include "base/error.h"

#include <jansson.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: oncobank hgvs --fasta REF.fa[.gz] --gff GENES.gff3[.gz]|GENES.obgc\n"
	"                     [--transcript ID] [--json] INPUT|-\n"
	"\n"
	"INPUT is either an HGVS c. or n. description of a transcript of the gene\n"
	"models, e.g. NM_007294.3:c.68_69del, NM_007294.3(BRCA1):c.5266dupC,\n"
	"ENST00000357654:c.4185+2_4185+22del21insA - printed as CHROM POS REF ALT\n"
	"(VCF-style: left-aligned, indels with the base before) and the genomic\n"
	"CHROM:g. form - or a genomic variant CHROM:POS:REF:ALT (or CHROM-POS-REF-ALT),\n"
	"printed as one line per transcript it touches: TRANSCRIPT GENE c./n. p.\n"
	"CONSEQUENCE. A transcript is found with or without its version; another\n"
	"version than the one given is used with a warning. Bases a description\n"
	"states (c.100A>G, delAG) must match the reference: a mismatch is an error.\n"
	"\n"
	"Options:\n"
	"  --fasta FILE       the reference sequence\n"
	"  --gff FILE         the gene models (GFF3 or a cache of oncobank genes index)\n"
	"  --transcript ID    genomic input: only this transcript\n"
	"  --json             one JSON object per input\n"
	"  -                  read inputs from standard input, one per line; each output\n"
	"                     line (or JSON object) starts with its input; a failed input\n"
	"                     gives an ERROR line and the others go on (exit 2 at the end)\n"
	"\n"
	"See docs/hgvs.md.\n";

typedef struct opts {
	const char *fasta, *gff, *only_tx;
	int json, batch;
	ob_hgvs_map *map;    /* loaded on first forward input */
	ob_annotator *ann;   /* loaded on first genomic input */
} opts;

static int is_description(const char *s)
{
	return strstr(s, ":c.") || strstr(s, ":n.") || strstr(s, "):c.") || strstr(s, "):n.");
}

static void print_json(json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (s)
		puts(s);
	free(s);
	json_decref(o);
}

/* The transcript's accession with its version: the ID when it carries
 * one (RefSeq), else ID.version (Ensembl's version= attribute). */
static const char *tx_name(const ob_tx *t, char *buf, size_t n)
{
	const char *dot = strrchr(t->id, '.');
	if (t->version <= 0 || (dot && dot[1] && strspn(dot + 1, "0123456789") == strlen(dot + 1)))
		return t->id;
	snprintf(buf, n, "%s.%d", t->id, t->version);
	return buf;
}

static int forward(opts *o, const char *in)
{
	ob_hgvs_genomic v;
	char name[300];
	int rc;

	if (!o->map && (rc = ob_hgvs_map_new(&o->map, o->fasta, o->gff)) < 0)
		return rc;
	if ((rc = ob_hgvs_map_c(o->map, in, &v)) < 0)
		return rc;
	const char *txn = tx_name(v.tx, name, sizeof name);
	if (v.other_version)
		fprintf(stderr, "oncobank hgvs: warning: %s: that version is not in the gene models; used %s\n",
			in, txn);
	if (o->json) {
		json_t *j = json_pack("{s:s, s:s, s:s, s:b, s:s, s:I, s:s, s:s, s:s}",
			"input", in, "transcript", txn, "gene", v.tx->gene_name,
			"other_version", v.other_version, "chrom", v.chrom, "pos", (json_int_t)v.pos,
			"ref", v.ref, "alt", v.alt, "g", v.g);
		if (!j) {
			ob_hgvs_genomic_dispose(&v);
			return ob_error_set(OB_ERROR, "out of memory");
		}
		print_json(j);
	} else {
		if (o->batch)
			printf("%s\t", in);
		printf("%s\t%" PRId64 "\t%s\t%s\t%s:%s\n", v.chrom, v.pos, v.ref, v.alt, v.chrom, v.g);
	}
	ob_hgvs_genomic_dispose(&v);
	return 0;
}

static int backward(opts *o, const char *in)
{
	char *copy = strdup(in), *chrom, *ref, *alt;
	int64_t pos;
	ob_hgvs_desc *d = NULL;
	size_t n = 0;
	int rc;

	if (!copy)
		return ob_error_set(OB_ERROR, "out of memory");
	if ((rc = ob_hgvs_parse_key(copy, &chrom, &pos, &ref, &alt)) < 0)
		goto out;
	if (!o->ann && (rc = ob_annotator_new(&o->ann, o->fasta, o->gff)) < 0)
		goto out;
	if ((rc = ob_hgvs_describe(o->ann, chrom, pos, ref, alt, o->only_tx, &d, &n)) < 0)
		goto out;
	if (!n && o->only_tx) {
		/* upstream or downstream of it: c.-N / c.*N, which the annotator
		 * leaves unnamed */
		const ob_tx *t;
		char *c;
		if (!o->map && (rc = ob_hgvs_map_new(&o->map, o->fasta, o->gff)) < 0)
			goto out;
		rc = ob_hgvs_map_outside(o->map, o->only_tx, chrom, pos, ref, alt, &t, &c);
		if (rc == OB_EINVALID && strstr(ob_error_last(), "touches the span"))
			rc = ob_error_set(OB_ENOTFOUND, "%s: not on transcript %s", in, o->only_tx);
		if (rc < 0)
			goto out;
		if (!(d = calloc(1, sizeof *d))) {
			free(c);
			rc = ob_error_set(OB_ERROR, "out of memory");
			goto out;
		}
		n = 1;
		d->c = c;
		d->tx = strdup(t->id);
		d->gene = strdup(t->gene_name);
		d->p = strdup("");
		d->consequence = strdup(c[2] == '-' ? "upstream_gene_variant" : "downstream_gene_variant");
		if (!d->tx || !d->gene || !d->p || !d->consequence) {
			rc = ob_error_set(OB_ERROR, "out of memory");
			goto out;
		}
	}
	if (o->json) {
		json_t *arr = json_array(), *j;
		for (size_t i = 0; arr && i < n; i++)
			json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:s}", "transcript", d[i].tx,
				"gene", d[i].gene, "hgvs_c", d[i].c, "hgvs_p", d[i].p, "consequence", d[i].consequence));
		j = json_pack("{s:s, s:s, s:I, s:s, s:s, s:o}", "input", in, "chrom", chrom,
			"pos", (json_int_t)pos, "ref", ref, "alt", alt, "transcripts", arr);
		if (!j) {
			rc = ob_error_set(OB_ERROR, "out of memory");
			goto out;
		}
		print_json(j);
	} else {
		for (size_t i = 0; i < n; i++) {
			if (o->batch)
				printf("%s\t", in);
			printf("%s\t%s\t%s\t%s\t%s\n", d[i].tx, d[i].gene, d[i].c,
				*d[i].p ? d[i].p : ".", d[i].consequence);
		}
		if (!n)
			printf("%s%sno transcript\n", o->batch ? in : "", o->batch ? "\t" : "");
	}
out:
	ob_hgvs_descs_free(d, n);
	free(copy);
	return rc;
}

static int one(opts *o, const char *in)
{
	return is_description(in) ? forward(o, in) : backward(o, in);
}

static int batch(opts *o)
{
	char *line = NULL;
	size_t cap = 0, total = 0, failed = 0;
	ssize_t len;
	int rc = 0;

	while ((len = getline(&line, &cap, stdin)) >= 0) {
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = 0;
		if (!len || line[0] == '#')
			continue;
		total++;
		if ((rc = one(o, line)) == 0)
			continue;
		if (rc == OB_ERROR && !strstr(ob_error_last(), "HGVS")) /* I/O, memory: stop */
			break;
		failed++;
		if (o->json) {
			json_t *j = json_pack("{s:s, s:s}", "input", line, "error", ob_error_last());
			if (j)
				print_json(j);
		} else {
			printf("%s\tERROR\t%s\n", line, ob_error_last());
		}
		rc = 0;
	}
	free(line);
	if (rc < 0)
		return rc;
	if (failed)
		return ob_error_set(OB_EINVALID, "%zu of %zu inputs failed", failed, total);
	return 0;
}

int ob_cmd_hgvs(ob_cli *cli, int argc, char **argv)
{
	opts o = { 0 };
	const char *in = NULL;
	int rc;

	(void)cli;
	if (ob_cli_wants_help(argc, argv)) {
		fputs(usage, stdout);
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], **dst = NULL;
		if (!strcmp(a, "--fasta"))
			dst = &o.fasta;
		else if (!strcmp(a, "--gff"))
			dst = &o.gff;
		else if (!strcmp(a, "--transcript"))
			dst = &o.only_tx;
		else if (!strcmp(a, "--json"))
			o.json = 1;
		else if (a[0] == '-' && a[1])
			return ob_cli_usage("hgvs", "unknown option");
		else if (in)
			return ob_cli_usage("hgvs", "one input only (or - for many)");
		else
			in = a;
		if (dst) {
			if (i + 1 >= argc)
				return ob_cli_usage("hgvs", "an option lacks its value");
			*dst = argv[++i];
		}
	}
	if (!o.fasta || !o.gff || !in)
		return ob_cli_usage("hgvs", "--fasta, --gff and an input are required");
	o.batch = !strcmp(in, "-");
	rc = o.batch ? batch(&o) : one(&o, in);
	ob_hgvs_map_free(o.map);
	ob_annotator_free(o.ann);
	return rc;
}
