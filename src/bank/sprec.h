/*
 * sprec.h - the Standard PREanalytical Code (SPREC): check a code, spell it
 * out, and compute one from recorded pre-analytical measurements.
 *
 * A SPREC code is seven elements separated by '-'. The first element (type of
 * sample) decides whether the code describes a fluid or a solid sample:
 *
 *   fluid: type of sample - type of primary container - pre-centrifugation -
 *          centrifugation - second centrifugation - post-centrifugation delay -
 *          long-term storage                          e.g. SER-SST-A-B-N-A-D
 *   solid: type of sample - type of collection - warm ischemia time -
 *          cold ischemia time - fixation/stabilisation type - fixation time -
 *          long-term storage                          e.g. TIS-SRG-A-B-NBF-E-P
 *
 * SPREC 3.0 is the base; 4.0 adds codes. The code tables (sprec_tables.c)
 * record for every code the version it was first seen in, so a 4.0-only code
 * is rejected under "3.0". Codes are upper case: lower case is rejected, not
 * folded. Leading and trailing white space around the whole code is ignored.
 * Pure C, no database, no allocation except into a caller's ob_buf. The
 * boundary rules of ob_sprec_compute() are in docs/sprec.md.
 */
#ifndef OB_SPREC_H
#define OB_SPREC_H

#include <stddef.h>

#include "base/buf.h"

/* Number of elements in every SPREC code. */
#define OB_SPREC_NELEM 7

/* Bytes enough for any SPREC code and its NUL ("ZZZ-ZZZ-Z-Z-ZZZ-Z-Z" is 19). */
#define OB_SPREC_BUFSIZE 24

/* Versions, as the tables store them: the version number times ten. */
#define OB_SPREC_V2 20 /* in the SPREC 2.0 transcription, kept by 3.0 */
#define OB_SPREC_V3 30
#define OB_SPREC_V4 40

typedef enum ob_sprec_kind {
	OB_SPREC_FLUID = 1,
	OB_SPREC_SOLID = 2
} ob_sprec_kind;

/* One row of a SPREC code table. */
typedef struct ob_sprec_entry {
	const char *code;    /* "SER", "A", "NBF" */
	const char *meaning; /* words, UTF-8 ("< 2 h at RT") */
	int since;           /* version first seen: OB_SPREC_V2, _V3 or _V4 */
} ob_sprec_entry;

/* One element of a checked code: the machine-readable form of explain. */
typedef struct ob_sprec_element {
	const char *name;    /* "cold ischemia time"; static */
	char code[4];        /* the element's code, NUL-terminated */
	const char *meaning; /* static */
	int since;           /* version the code was first seen in */
} ob_sprec_element;

/* A checked SPREC code, element by element (element[0] is element 1). */
typedef struct ob_sprec_parsed {
	ob_sprec_kind kind;
	int version; /* the version checked against: OB_SPREC_V3 or OB_SPREC_V4 */
	ob_sprec_element element[OB_SPREC_NELEM];
} ob_sprec_parsed;

/* ---- the code tables --------------------------------------------------- */

/* The table of element (1..7) for kind: sets *entries to a static array and
 * returns its length; returns 0 (and sets *entries to NULL) for an element
 * out of range. For pick lists: filter on entry.since <= version. */
size_t ob_sprec_table(ob_sprec_kind kind, int element, const ob_sprec_entry **entries);

/* The lower-case name of element (1..7) for kind ("warm ischemia time"), or
 * NULL out of range. Static. */
const char *ob_sprec_element_name(ob_sprec_kind kind, int element);

/* The table entry for code in element (1..7) of kind, if the code exists in
 * SPREC version (OB_SPREC_V3 or OB_SPREC_V4); NULL otherwise. Static. */
const ob_sprec_entry *ob_sprec_find(ob_sprec_kind kind, int element, const char *code,
				    int version);

/* ---- checking and explaining a code ----------------------------------- */

/* Parses version "3.0" or "4.0" (NULL means "4.0") into *out (OB_SPREC_V3 or
 * OB_SPREC_V4). Returns 0, or OB_EINVALID with the message set. */
int ob_sprec_version(const char *version, int *out);

/* Checks code against SPREC version ("3.0", "4.0"; NULL = "4.0") and fills
 * *out (which may be NULL when only the verdict is wanted). Returns 0, or
 * OB_EINVALID with ob_error_set() naming the element at fault, e.g.
 * "SPREC element 4 (cold ischemia time): 'Q' is not a code in SPREC 4.0";
 * a wrong number of elements, an empty element or an unknown version are
 * reported as such. *out is unspecified after an error. */
int ob_sprec_parse(const char *code, const char *version, ob_sprec_parsed *out);

/* ob_sprec_parse() without the parsed form: 0 or OB_EINVALID. */
int ob_sprec_check(const char *code, const char *version);

/* Checks code and appends one line per element to out:
 * "element name: CODE = meaning\n" (7 lines). Returns 0, OB_EINVALID as
 * ob_sprec_check(), or OB_ERROR when out cannot grow (out then holds the
 * lines appended so far). */
int ob_sprec_explain(const char *code, const char *version, ob_buf *out);

/* ---- computing a code from measurements ------------------------------- */

/* A temperature band as recorded for a delay (pre-/post-centrifugation).
 * OB_TEMP_OTHER (an oncobank addition) means: measured, but in no SPREC band;
 * it yields the table's Z (Other). */
typedef enum {
	OB_TEMP_UNKNOWN = 0,
	OB_TEMP_RT,    /* room temperature, 18 to 28 C */
	OB_TEMP_2_10,  /* 2 to 10 C */
	OB_TEMP_35_38, /* 35 to 38 C */
	OB_TEMP_OTHER  /* outside every band */
} ob_temp_band;

typedef struct ob_centrifugation {
	int done;       /* -1 unknown, 0 none, 1 done */
	double temp_c;  /* centrifuge temperature (C); NAN unknown */
	double minutes; /* < 0 unknown */
	double g;       /* relative centrifugal force; < 0 unknown */
	int braking;    /* 1 with braking, 0 without, -1 unknown */
} ob_centrifugation;

/* The recorded pre-analytics of one specimen. Start from
 * ob_preanalytics_init() and fill in what is known. Durations are minutes
 * (< 0, NAN or infinite: unknown); strings are borrowed. */
typedef struct ob_preanalytics {
	const char *type;          /* oncobank specimen type, see ob_sprec_sample_type() */
	const char *collection;    /* solid: SPREC type of collection ("SRG", "BPS");
				      fluid: primary container ("SST", "PED"); NULL unknown */
	double warm_ischaemia_min; /* solid; < 0 unknown */
	double cold_ischaemia_min; /* solid; < 0 unknown */
	const char *fixation;      /* solid: fixation/stabilisation type ("NBF", "SNP",
				      "OCT"); NULL unknown */
	double fixation_min;       /* solid; < 0 unknown */
	double precentrifugation_min;        /* fluid; < 0 unknown */
	ob_temp_band precentrifugation_temp; /* fluid */
	ob_centrifugation centrifugation, second_centrifugation; /* fluid */
	double postcentrifugation_min;        /* fluid; < 0 unknown */
	ob_temp_band postcentrifugation_temp; /* fluid */
	const char *storage_vessel; /* "pp_tube_0.5_2ml", "cryotube_1_2ml", "pp_tube_5ml",
				       "pp_tube_40_500ul", "straw", "microplate",
				       "paraffin_block", "bag", "dry_medium",
				       "original_container"; NULL unknown */
	double storage_temp_c;      /* long-term storage temperature; NAN unknown;
				       <= -150 is liquid nitrogen */
} ob_preanalytics;

/* Sets everything to unknown: NULL strings, -1 durations, -1 flags,
 * OB_TEMP_UNKNOWN, NAN temperatures. */
void ob_preanalytics_init(ob_preanalytics *p);

/* The band of a temperature in C: OB_TEMP_UNKNOWN for NAN, else RT for
 * [18, 28], OB_TEMP_2_10 for [2, 10], OB_TEMP_35_38 for [35, 38] (closed
 * intervals), OB_TEMP_OTHER otherwise. */
ob_temp_band ob_temp_band_of(double celsius);

/* Computes the SPREC 4.0 code of p into out (at least OB_SPREC_BUFSIZE
 * bytes). Unknown measurements give the table's Unknown code (X, XXX);
 * inapplicable ones its N; values no code covers its Z. Returns 0, or
 * OB_EINVALID with the message naming the field ("type: ...",
 * "fixation: ...") when p is inconsistent: an unknown or nucleic-acid type,
 * a code not in the table, a solid field set for a fluid or the reverse, a
 * second centrifugation without a first, plasma without centrifugation,
 * an unknown solid type of collection (that table has no Unknown code), or
 * out too small. out is "" after an error. */
int ob_sprec_compute(const ob_preanalytics *p, char *out, size_t outlen);

/* The SPREC type-of-sample code for an oncobank specimen type: tissue types
 * (ffpe_block, ffpe_slide, fresh_frozen, oct) -> "TIS"; whole_blood "BLD";
 * plasma "PL1", or "PL2" when p says a second centrifugation was done (p may
 * be NULL); serum "SER"; buffy_coat "BFF" (non-viable: oncobank keeps buffy
 * coat for DNA, not as living cells); pbmc "CEL"; urine "URN"; ascites "ASC";
 * pleural_fluid "PFL"; csf "CSF"; saliva "SAL". NULL for the nucleic acids
 * (dna, rna, cfdna: they carry their parent's SPREC) and for unknown types.
 * Static. */
const char *ob_sprec_sample_type(const char *type, const ob_preanalytics *p);

#endif
