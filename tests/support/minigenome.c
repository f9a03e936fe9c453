/*
 * minigenome.c - the unit tests' two-contig genome (see minigenome.h).
 */
#include "support/minigenome.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int ob_minigenome_write(ob_minigenome *g, const char *tag)
{
	const char *tmp = getenv("TMPDIR");
	FILE *f;

	snprintf(g->dir, sizeof g->dir, "%s/ob_%s_XXXXXX", tmp && *tmp ? tmp : P_tmpdir, tag);
	if (!mkdtemp(g->dir))
		return -1;
	snprintf(g->fa, sizeof g->fa, "%s/ref.fa", g->dir);
	snprintf(g->fai, sizeof g->fai, "%s/ref.fa.fai", g->dir);
	snprintf(g->gff, sizeof g->gff, "%s/genes.gff3", g->dir);
	if (!(f = fopen(g->fa, "w")))
		return -1;
	fputs(">1\nCCCCCCCCCCATGAAGAAGGGATCCTGACCCCCCCCCCCC\n"
	      ">2\nGGGGGGGGGGGGTCAGGATCCCTTCTTCATGGGGGGGGGG\n", f);
	if (fclose(f) != 0 || !(f = fopen(g->gff, "w")))
		return -1;
	fputs("1\tt\tgene\t1\t40\t.\t+\t.\tID=gene:G1;Name=GP\n"
	      "1\tt\tmRNA\t1\t40\t.\t+\t.\tID=transcript:TP;Parent=gene:G1\n"
	      "1\tt\texon\t1\t40\t.\t+\t.\tParent=transcript:TP\n"
	      "1\tt\tCDS\t11\t28\t.\t+\t0\tParent=transcript:TP\n"
	      "2\tt\tgene\t1\t40\t.\t-\t.\tID=gene:G2;Name=GM\n"
	      "2\tt\tmRNA\t1\t40\t.\t-\t.\tID=transcript:TM;Parent=gene:G2\n"
	      "2\tt\texon\t1\t40\t.\t-\t.\tParent=transcript:TM\n"
	      "2\tt\tCDS\t13\t30\t.\t-\t0\tParent=transcript:TM\n", f);
	return fclose(f) != 0 ? -1 : 0;
}

void ob_minigenome_remove(const ob_minigenome *g)
{
	unlink(g->fa);
	unlink(g->fai);
	unlink(g->gff);
	rmdir(g->dir);
}
