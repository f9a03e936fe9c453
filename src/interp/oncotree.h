/*
 * oncotree.h - the OncoTree tumour-type hierarchy (release shipped in
 * data/oncotree/, CC BY 4.0, Memorial Sloan Kettering Cancer Center),
 * embedded in the binary. Codes are OncoTree codes such as LUAD, NSCLC,
 * LUNG (the tissue root), BRCA, COADREAD.
 */
#ifndef OB_ONCOTREE_H
#define OB_ONCOTREE_H

/* True when code is an OncoTree code. */
int ob_oncotree_known(const char *code);

/* The name ("Lung Adenocarcinoma") or NULL for an unknown code. */
const char *ob_oncotree_name(const char *code);

/* The parent code, NULL at a tissue root or for an unknown code. */
const char *ob_oncotree_parent(const char *code);

/* How many steps up from code ancestor is: 0 when equal, 1 for the parent,
 * ...; -1 when ancestor is not on code's path to its root. */
int ob_oncotree_distance(const char *code, const char *ancestor);

#endif
