/*
 * codon.h - the standard genetic code: codons to amino acids, one-letter to
 * three-letter amino-acid names, and reverse complements. Pure functions,
 * no allocation; the bottom of the genomics layer.
 */
#ifndef OB_CODON_H
#define OB_CODON_H

#include <stddef.h>

/* The one-letter amino acid of the codon at c[0..2] (upper or lower case
 * A, C, G, T/U): '*' for a stop, 'X' when a base is not ACGT. */
char ob_codon_translate(const char *c);

/* The three-letter name ("Val", "Ter" for '*', "Xaa" for anything else) of
 * a one-letter amino acid. Static storage. */
const char *ob_aa_three(char aa);

/* The complement of base b (case kept; anything but ACGT gives N). */
char ob_base_comp(char b);

/* Reverse-complements s[0..n) in place (IUPAC N and unknowns stay N). */
void ob_revcomp(char *s, size_t n);

#endif
