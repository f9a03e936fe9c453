/*
 * kb.h - the somatic knowledge base: biomarker -> (tumour type, drugs,
 * effect, evidence level, sources). Held in memory once opened, so that
 * matching a million variants costs no database round trip. Rows come from
 * the curated base the binary ships (data/kb/, origin recorded per row) and
 * from releases imported into the database (`oncobank kb import civic`),
 * each release with its name and version.
 *
 * A biomarker is a gene plus an alteration specification (the grammar the
 * matcher in somatic.h understands; written here in canonical form):
 *   p.V600E            one exact protein change (one-letter, HGVS-like)
 *   p.G12              any missense change at that codon
 *   exon19 deletion    an in-frame deletion in exon 19 (likewise "exon20
 *                      insertion", "exon14 skipping": splice site or
 *                      deletion removing exon 14's splice sites)
 *   mutation           any protein-changing variant of the gene
 *   oncogenic          as mutation, limited to the gene's known hotspots
 *                      when the base lists them
 *   loss               loss of function: frameshift, stop gained, splice
 *                      donor/acceptor, start lost (tumour suppressors)
 *   fusion             any fusion of the gene; "fusion PARTNER" one partner
 *   amplification, deletion   copy number
 *   msi-high, tmb-high  gene "" (a tumour-wide biomarker)
 */
#ifndef OB_KB_H
#define OB_KB_H

#include "store/store.h"

#include <stddef.h>

enum ob_kb_effect { OB_KB_SENSITIVITY = 1, OB_KB_RESISTANCE = 2 };

typedef struct ob_kb_row {
	const char *gene;         /* HGNC symbol; "" for msi-high, tmb-high */
	const char *alteration;   /* specification, grammar above */
	const char *tumor_type;   /* OncoTree code; "" = any solid tumour */
	const char *drugs;        /* "Osimertinib", "Dabrafenib + Trametinib" */
	int effect;               /* enum ob_kb_effect */
	const char *amp_level;    /* AMP/ASCO/CAP 2017: I-A I-B II-C II-D III IV */
	const char *oncokb_level; /* 1 2 3A 3B 4 R1 R2, or "" when not known */
	const char *sources;      /* citations: "PMID:123; FDA label ..." */
	const char *release;      /* "curated 2026.11", "civic 01-Aug-2021" */
} ob_kb_row;

typedef struct ob_kb ob_kb;

/* Loads the shipped curated base and, when st is not NULL, every release
 * imported into that database. Returns 0, OB_ERROR (out of memory or a
 * database error). The caller frees *out with ob_kb_free(). */
int ob_kb_open(ob_kb **out, ob_store *st);
void ob_kb_free(ob_kb *kb);

/* "curated 2026.11; civic 01-Aug-2021" - what the base holds, for reports. */
const char *ob_kb_version(const ob_kb *kb);

/* The rows of gene (case-sensitive HGNC symbol; "" for tumour-wide
 * biomarkers), *n set to their number; NULL with *n 0 when none. The
 * pointers stay valid until ob_kb_free(). */
const ob_kb_row *ob_kb_gene(const ob_kb *kb, const char *gene, size_t *n);

/* Every row, in a stable order (gene, alteration, tumour type). */
const ob_kb_row *ob_kb_all(const ob_kb *kb, size_t *n);

#endif
