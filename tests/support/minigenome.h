/*
 * minigenome.h - a two-contig reference and its gene models for unit tests
 * of the annotator: contig 1 is C*10, a CDS ATG AAG AAG GGA TCC TGA at
 * 11-28 (c.1-c.18) on the plus strand, then C*12; contig 2 is its reverse
 * complement with the CDS at 13-30 on the minus strand.
 */
#ifndef OB_TEST_MINIGENOME_H
#define OB_TEST_MINIGENOME_H

typedef struct ob_minigenome {
	char dir[256], fa[300], fai[310], gff[300];
} ob_minigenome;

/* Writes ref.fa and genes.gff3 into a new temporary directory named after
 * tag. 0, or -1 when a file cannot be written. */
int ob_minigenome_write(ob_minigenome *g, const char *tag);

/* Removes the files (and a .fai the annotator built) and the directory. */
void ob_minigenome_remove(const ob_minigenome *g);

#endif
