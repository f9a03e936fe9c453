/*
 * codon.c - the standard genetic code as a 64-entry table indexed by the
 * three bases (T=0 C=1 A=2 G=3, the textbook order), amino-acid names and
 * reverse complements. See codon.h.
 */
#include "genomics/codon.h"

static const char code[] =
	"FFLLSSSSYY**CC*W" "LLLLPPPPHHQQRRRR" "IIIMTTTTNNKKSSRR" "VVVVAAAADDEEGGGG";

static int base_index(char b)
{
	switch (b) {
	case 'T': case 't': case 'U': case 'u': return 0;
	case 'C': case 'c': return 1;
	case 'A': case 'a': return 2;
	case 'G': case 'g': return 3;
	default: return -1;
	}
}

char ob_codon_translate(const char *c)
{
	int a = base_index(c[0]), b = base_index(c[1]), d = base_index(c[2]);

	if (a < 0 || b < 0 || d < 0)
		return 'X';
	return code[a * 16 + b * 4 + d];
}

const char *ob_aa_three(char aa)
{
	static const struct { char one; const char *three; } names[] = {
		{ 'A', "Ala" }, { 'R', "Arg" }, { 'N', "Asn" }, { 'D', "Asp" },
		{ 'C', "Cys" }, { 'Q', "Gln" }, { 'E', "Glu" }, { 'G', "Gly" },
		{ 'H', "His" }, { 'I', "Ile" }, { 'L', "Leu" }, { 'K', "Lys" },
		{ 'M', "Met" }, { 'F', "Phe" }, { 'P', "Pro" }, { 'S', "Ser" },
		{ 'T', "Thr" }, { 'W', "Trp" }, { 'Y', "Tyr" }, { 'V', "Val" },
		{ '*', "Ter" },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].one == aa)
			return names[i].three;
	return "Xaa";
}

char ob_base_comp(char b)
{
	switch (b) {
	case 'A': return 'T'; case 'T': return 'A';
	case 'C': return 'G'; case 'G': return 'C';
	case 'a': return 't'; case 't': return 'a';
	case 'c': return 'g'; case 'g': return 'c';
	default: return 'N';
	}
}

void ob_revcomp(char *s, size_t n)
{
	for (size_t i = 0, j = n; i < j; i++) {
		j--;
		char a = ob_base_comp(s[i]), b = ob_base_comp(s[j]);
		s[i] = b;
		s[j] = a;
	}
}
