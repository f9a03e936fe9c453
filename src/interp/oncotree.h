/*
 * oncotree.h - the OncoTree tumour-type hierarchy (release shipped in
 * data/oncotree/, CC BY 4.0, Memorial Sloan Kettering Cancer Center),
 * embedded in the binary. Codes are OncoTree codes such as LUAD, NSCLC,
 * LUNG (the tissue root), BRCA, COADREAD. Above the tissue roots is
 * TISSUE, the table's root: evidence filed under TISSUE applies to every
 * tumour type (ob_oncotree_distance() reaches it), but no tumour type has
 * TISSUE as its parent (ob_oncotree_parent() stops at the tissue root).
 *
 * The table is parsed once, on first use, thread-safely; the strings
 * returned are borrowed and live until the process ends.
 */
#ifndef OB_ONCOTREE_H
#define OB_ONCOTREE_H

#include <stddef.h>

/* The root code above every tissue: "any tumour type". */
#define OB_ONCOTREE_ROOT "TISSUE"

/* The OncoTree release the binary carries. */
#define OB_ONCOTREE_RELEASE "oncotree_2025_10_03"

/* True when code is an OncoTree code. */
int ob_oncotree_known(const char *code);

/* The name ("Lung Adenocarcinoma") or NULL for an unknown code. */
const char *ob_oncotree_name(const char *code);

/* The parent code, NULL at a tissue root or for an unknown code. */
const char *ob_oncotree_parent(const char *code);

/* How many steps up from code ancestor is: 0 when equal, 1 for the parent,
 * ...; -1 when ancestor is not on code's path to its root (or either code
 * is unknown). The walk continues past the tissue root to TISSUE, so
 * ob_oncotree_distance("LUAD", "TISSUE") is 3. */
int ob_oncotree_distance(const char *code, const char *ancestor);

/* The main type ("Non-Small Cell Lung Cancer") and tissue ("Lung"); NULL
 * for an unknown code, "" for TISSUE. */
const char *ob_oncotree_main_type(const char *code);
const char *ob_oncotree_tissue(const char *code);

/* Number of codes in the table (0 when it failed to parse). */
size_t ob_oncotree_count(void);

/* 0 when the shipped table parsed; otherwise its error (OB_EINVALID with
 * "data/oncotree/oncotree.tsv:LINE: field: message", or OB_ERROR), with
 * the message set. Every other function treats a table that failed to
 * parse as empty. */
int ob_oncotree_check(void);

#endif
