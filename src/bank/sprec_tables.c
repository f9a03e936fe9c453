/*
 * sprec_tables.c - the SPREC code tables as static data: one table per
 * element and kind, each row (code, meaning, version first seen).
 *
 * Origin:
 *  - SPREC 2.0 rows (OB_SPREC_V2): the transcription of the SPREC 2.0 fluid
 *    and solid tables in deniseribeiro-beep/RCS-validation-package,
 *    reference/sprec2_fluid_reference.csv and sprec2_solid_reference.csv
 *    (MIT licence). Meanings are kept verbatim except where SPREC 3.0
 *    renamed a code (marked "3.0 wording").
 *  - SPREC 3.0 and 4.0 rows: oncobank's compiled list of additions
 *    (data/biobank/sprec/sprec_v3_v4_additions_DERIVED.csv in the shared
 *    reference data), drawn from the BBMRI-ERIC MIABIS sample type mapping
 *    (SPREC V3 and V4 columns) and the Medizininformatik-Initiative
 *    kerndatensatzmodul-biobank ConceptMaps titled SPREC 4.0 (CC-BY-4.0).
 *  - No 2.0 code is known to have been withdrawn by 3.0 or 4.0, so every 2.0
 *    row is valid under both versions oncobank checks.
 * Check any change against the shared CSV files: tests/bank/test_sprec.c
 * reads them and fails when a code there is not accepted here.
 */
#include "bank/sprec.h"

#include <stddef.h>

#define V2 OB_SPREC_V2
#define V3 OB_SPREC_V3
#define V4 OB_SPREC_V4
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ---- fluid ------------------------------------------------------------- */

static const ob_sprec_entry fluid_type[] = {
	{ "ASC", "Ascites fluid", V2 },
	{ "AMN", "Amniotic fluid", V2 },
	{ "BAL", "Bronchoalveolar lavage", V2 },
	{ "BLD", "Blood (whole)", V2 },
	{ "BMA", "Bone marrow aspirate", V2 },
	{ "BMK", "Breast milk", V2 },
	{ "BUC", "Buccal cells", V2 },
	/* 3.0 wording; 2.0: "Unficolled buffy coat, viable" */
	{ "BUF", "Nondensity-gradient-centrifugation-separated buffy coat, viable", V2 },
	/* 3.0 wording; 2.0: "Unficolled buffy coat, non-viable" */
	{ "BFF", "Nondensity-gradient-centrifugation-separated buffy coat, nonviable", V2 },
	/* 3.0 wording; 2.0: "Ficoll mononuclear cells, viable" */
	{ "CEL", "Density-gradient-centrifugation-separated mononuclear cells, viable", V2 },
	{ "CEN", "Fresh cells from non-blood specimen type", V2 },
	{ "CLN", "Cells from non blood specimen type (e.g. ascites, amniotic), viable", V2 },
	{ "CRD", "Cord blood", V2 },
	{ "CSF", "Cerebrospinal fluid", V2 },
	{ "DWB", "Dried whole blood (e.g. Guthrie cards)", V2 },
	{ "NAS", "Nasal washing", V2 },
	{ "PEL", "Ficoll mononuclear cells, non viable", V2 },
	{ "PEN", "Cells from non blood specimen type (e.g. ascites, amniotic), non-viable", V2 },
	{ "PFL", "Pleural fluid", V2 },
	{ "PL1", "Plasma, single spun", V2 },
	{ "PL2", "Plasma, double spun", V2 },
	{ "RBC", "Red blood cells", V2 },
	{ "SAL", "Saliva", V2 },
	{ "SEM", "Semen", V2 },
	{ "SER", "Serum", V2 },
	{ "SPT", "Sputum", V2 },
	{ "STL", "Stool", V2 },
	{ "SYN", "Synovial fluid", V2 },
	{ "TER", "Tears", V2 },
	{ "U24", "24 h urine", V2 },
	{ "URN", "Urine, random (\u201cspot\u201d)", V2 },
	{ "URM", "Urine, first morning", V2 },
	{ "URT", "Urine, timed", V2 },
	{ "ZZZ", "Other", V2 },
	{ "EXO", "Isolated or enriched exosomes", V4 },
	{ "EBC", "Exhaled breath condensate", V4 },
	{ "PTF", "Peritoneal fluid", V4 },
	{ "SWT", "Sweat", V4 },
};

static const ob_sprec_entry fluid_container[] = {
	{ "ACD", "Acid citrate dextrose", V2 },
	/* 3.0 wording; 2.0: "Additives" */
	{ "ADD", "Chemical additives/stabilizers", V2 },
	{ "CAT", "Serum tube without clot activator", V2 },
	{ "CPD", "Citrate phosphate dextrose", V2 },
	/* 3.0 wording; 2.0: "Cell Preparation Tube(R)" */
	{ "CPT", "Cell Preparation Tube citrate", V2 },
	{ "EDG", "EDTA and gel", V2 },
	{ "HEP", "Lithium heparin", V2 },
	{ "HIR", "Hirudin", V2 },
	{ "LHG", "Lithium heparin and gel", V2 },
	{ "ORG", "Oragene collection container or equivalent", V2 },
	{ "PAX", "PAXgene\u00ae blood RNA+", V2 },
	{ "PED", "Potassium EDTA", V2 },
	{ "PET", "Polyethylene tube sterile", V2 },
	{ "PI1", "S8820 protease inhibitor tablets or equivalent", V2 },
	{ "PIX", "Protease inhibitors", V2 },
	{ "PPS", "Polypropylene tube sterile", V2 },
	{ "PXD", "PAXgene\u00ae blood DNA", V2 },
	{ "PXR", "PAXgene\u00ae bone marrow RNA", V2 },
	{ "SCI", "Sodium citrate", V2 },
	{ "SED", "Sodium EDTA", V2 },
	{ "SHP", "Sodium heparin", V2 },
	{ "SPO", "Sodium fluoride/potassium oxalate", V2 },
	{ "SST", "Serum separator tube with clot activator", V2 },
	{ "TEM", "Tempus\u00ae tube", V2 },
	{ "TRC", "Trace elements tube", V2 },
	{ "XXX", "Unknown", V2 },
	{ "ZZZ", "Other", V2 },
	{ "CPH", "Cell Preparation Tube heparin", V3 },
	{ "CSV", "Aldehyde-based stabilizer for CTCs", V3 },
	{ "GLS", "Glass", V3 },
	{ "LHB", "Lithium heparin and rubber plug", V3 },
	{ "OMN", "Stool collection container with DNA stabilizer", V3 },
	{ "CIF", "Citrate fluoride", V4 },
};

static const ob_sprec_entry fluid_precentrifugation[] = {
	{ "A", "< 2 h at RT", V2 },
	{ "B", "< 2 h at 2 to 10 \u00b0C", V2 },
	{ "C", "2\u20134 h at RT", V2 },
	{ "D", "2\u20134 h at 2 to 10 \u00b0C", V2 },
	{ "E", "4\u20138 h at RT", V2 },
	{ "F", "4\u20138 h at 2 to 10 \u00b0C", V2 },
	{ "G", "8\u201312 h at RT", V2 },
	{ "H", "8\u201312 h at 2 to 10 \u00b0C", V2 },
	{ "I", "12\u201324 h at RT", V2 },
	{ "J", "12\u201324 h at 2 to 10 \u00b0C", V2 },
	{ "K", "24\u201348 h at RT", V2 },
	{ "L", "24\u201348 h at 2 to 10 \u00b0C", V2 },
	{ "M", "> 48 h at RT", V2 },
	{ "N", "> 48 h at 2 to 10 \u00b0C", V2 },
	{ "O", "< 2 h at 35 to 38 \u00b0C", V2 },
	{ "X", "Unknown", V2 },
	{ "Z", "Other", V2 },
};

/* The second centrifugation shares these rows but for M (see below). */
static const ob_sprec_entry fluid_centrifugation[] = {
	{ "A", "RT 10 to 15 min; < 3000 g no braking", V2 },
	{ "B", "RT 10 to 15 min; < 3000 g with braking", V2 },
	{ "C", "2 to 10 \u00b0C 10 to 15 min; < 3000 g no braking", V2 },
	{ "D", "2 to 10 \u00b0C 10 to 15 min; < 3000 g with braking", V2 },
	{ "E", "RT 10 to 15 min; 3000 g to 6000 g with braking", V2 },
	{ "F", "2 to 10 \u00b0C 10 to 15 min; 3000 g to 6000 g with braking", V2 },
	{ "G", "RT 10 to 15 min; 6000 g to 10000 g with braking", V2 },
	{ "H", "2 to 10 \u00b0C 10 to 15 min; 6000 g to 10000 g with braking", V2 },
	{ "I", "RT 10 to 15 min; > 10000 g with braking", V2 },
	{ "J", "2 to 10 \u00b0C 10 to 15 min; > 10000 g with braking", V2 },
	{ "M", "RT 30 min; < 1000 g no braking", V2 },
	{ "N", "No centrifugation", V2 },
	{ "X", "Unknown", V2 },
	{ "Z", "Other", V2 },
};

static const ob_sprec_entry fluid_second_centrifugation[] = {
	{ "A", "RT 10 to 15 min; < 3000 g no braking", V2 },
	{ "B", "RT 10 to 15 min; < 3000 g with braking", V2 },
	{ "C", "2 to 10 \u00b0C 10 to 15 min; < 3000 g no braking", V2 },
	{ "D", "2 to 10 \u00b0C 10 to 15 min; < 3000 g with braking", V2 },
	{ "E", "RT 10 to 15 min; 3000 g to 6000 g with braking", V2 },
	{ "F", "2 to 10 \u00b0C 10 to 15 min; 3000 g to 6000 g with braking", V2 },
	{ "G", "RT 10 to 15 min; 6000 g to 10000 g with braking", V2 },
	{ "H", "2 to 10 \u00b0C 10 to 15 min; 6000 g to 10000 g with braking", V2 },
	{ "I", "RT 10 to 15 min; > 10000 g with braking", V2 },
	{ "J", "2 to 10 \u00b0C 10 to 15 min; > 10000 g with braking", V2 },
	{ "N", "No centrifugation", V2 },
	{ "X", "Unknown", V2 },
	{ "Z", "Other", V2 },
};

static const ob_sprec_entry fluid_postcentrifugation[] = {
	{ "A", "< 1 h 2 to 10 \u00b0C", V2 },
	{ "B", "< 1 h RT", V2 },
	{ "C", "1 to 2 h 2 to 10 \u00b0C", V2 },
	{ "D", "1 to 2 h RT", V2 },
	{ "E", "2 to 8 h 2 to 10 \u00b0C", V2 },
	{ "F", "2 to 8 h RT", V2 },
	{ "G", "8 to 24 h 2 to 10 \u00b0C", V2 },
	{ "H", "8 to 24 h RT", V2 },
	{ "I", "> 24 h 2 to 10 \u00b0C", V2 },
	{ "J", "> 24 h RT", V2 },
	{ "N", "Not applicable", V2 },
	{ "X", "Unknown", V2 },
	{ "Z", "Other", V2 },
};

static const ob_sprec_entry fluid_storage[] = {
	{ "A", "PP tube 0.5- to 2-mL; (\u221285) to (\u221260) \u00b0C", V2 },
	{ "B", "PP tube 0.5- to 2-mL; (\u221235) to (\u221218) \u00b0C", V2 },
	{ "V", "PP tube 0.5- to 2-mL; < \u2212135 \u00b0C", V2 },
	{ "C", "Cryotube 1- to 2-mL; LN", V2 },
	{ "D", "Cryotube 1- to 2-mL; (\u221285) to (\u221260) \u00b0C", V2 },
	{ "E", "Cryotube 1- to 2-mL; programmable freezing to < \u2212135 \u00b0C", V2 },
	{ "F", "Plastic cryo straw; LN", V2 },
	{ "G", "Straw; (\u221285) to (\u221260) \u00b0C", V2 },
	{ "H", "Straw; (\u221235) to (\u221218) \u00b0C", V2 },
	{ "I", "Straw; programmable freezing to < \u2212135 \u00b0C", V2 },
	{ "J", "PP tube \u2265 5 mL; (\u221285) to (\u221260) \u00b0C", V2 },
	{ "K", "PP tube \u2265 5 mL; (\u221235) to (\u221218) \u00b0C", V2 },
	{ "L", "Microplate; (\u221285) to (\u221260) \u00b0C", V2 },
	{ "M", "Microplate; (\u221235) to (\u221218) \u00b0C", V2 },
	{ "N", "Cryotube 1- to 2-mL; LN after temporary (\u221285) to (\u221260) \u00b0C", V2 },
	{ "O", "Plastic cryo straw; LN after temporary (\u221285) to (\u221260) \u00b0C", V2 },
	{ "P", "Paraffin block; RT or 2 to 10 \u00b0C", V2 },
	{ "Q", "Bag; LN", V2 },
	{ "R", "Dry technology medium; RT", V2 },
	{ "S", "PP tube 40- to 500-\u00b5L; (\u221285) to (\u221260) \u00b0C", V2 },
	{ "T", "PP tube 40- to 500-\u00b5L; (\u221235) to (\u221218) \u00b0C", V2 },
	{ "W", "PP tube 40- to 500-\u00b5L; < \u2212135 \u00b0C", V2 },
	{ "Y", "Original primary container; (\u221235) to (\u221218) \u00b0C or (\u221285) to (\u221260) \u00b0C", V2 },
	/* The MII SPREC 4.0 map lists U as a second paraffin-block code without
	 * its temperature; never computed. */
	{ "U", "Paraffin block (second paraffin-block code)", V3 },
	{ "X", "Unknown", V2 },
	{ "Z", "Other", V2 },
};

/* ---- solid ------------------------------------------------------------- */

static const ob_sprec_entry solid_type[] = {
	{ "CEN", "Fresh cells from non blood specimen type (e.g. biopsy)", V2 },
	{ "CLN", "Cells from non blood specimen type (e.g. dissociated tissue), viable", V2 },
	{ "FNA", "Cells from fine needle aspirate", V2 },
	{ "HAR", "Hair", V2 },
	{ "LCM", "Cells from laser capture microdissected tissue", V2 },
	{ "PEN", "Cells from non blood specimen type (e.g. dissociated tissue), non viable", V2 },
	{ "PLC", "Placenta", V2 },
	{ "TIS", "Solid tissue", V2 },
	{ "TCM", "Disrupted tissue, non-viable", V2 },
	{ "ZZZ", "Other", V2 },
	{ "BON", "Bone", V3 },
	{ "NAL", "Nails", V3 },
	{ "TTH", "Teeth", V3 },
};

static const ob_sprec_entry solid_collection[] = {
	{ "A06", "Autopsy < 6 h post-mortem", V2 },
	{ "A12", "Autopsy 6-12 h post-mortem", V2 },
	{ "A24", "Autopsy 12-24 h post-mortem", V2 },
	{ "A48", "Autopsy 24-48 h post-mortem", V2 },
	{ "A72", "Autopsy 48-72 h post-mortem", V2 },
	{ "BCM", "Biopsy in culture media", V2 },
	{ "BPS", "Biopsy", V2 },
	{ "BSL", "Biopsy in normal saline or phosphate buffered saline", V2 },
	{ "BTM", "Biopsy in tissue low temperature transport media", V2 },
	{ "FNA", "Fine needle aspirate", V2 },
	{ "PUN", "Punction", V2 },
	{ "SCM", "Surgical excision in culture media", V2 },
	{ "SRG", "Surgical excision", V2 },
	{ "SSL", "Surgical excision in normal saline or phosphate buffered saline", V2 },
	{ "STM", "Surgical excision in tissue low temperature transport media", V2 },
	{ "VAC", "Surgical excision in vacuum container", V2 },
	{ "SWB", "Swab", V2 },
	{ "ZZZ", "Other", V2 },
};

/* Warm and cold ischemia share one table. */
static const ob_sprec_entry solid_ischemia[] = {
	{ "A", "< 2 min", V2 },
	{ "B", "2 to 10 min", V2 },
	{ "C", "10 to 20 min", V2 },
	{ "D", "20 to 30 min", V2 },
	{ "E", "30 to 60 min", V2 },
	{ "F", "> 60 min", V2 },
	{ "X", "Unknown", V2 },
	{ "N", "Not applicable", V2 },
	{ "Z", "Other", V2 },
};

static const ob_sprec_entry solid_fixation[] = {
	{ "ACA", "Non-aldehyde with acetic acid", V2 },
	{ "ALD", "Aldehyde-based", V2 },
	{ "ALL", "Allprotect\u00ae tissue reagent", V2 },
	{ "ETH", "Alcohol-based", V2 },
	{ "FOR", "Non-buffered formalin", V2 },
	{ "HST", "Heat stabilization", V2 },
	{ "SNP", "Snap freezing", V2 },
	{ "NAA", "Non-aldehyde based without acetic acid", V2 },
	{ "NBF", "Neutral buffered formalin", V2 },
	{ "OCT", "Optimum cutting temperature medium", V2 },
	{ "PXT", "PAXgene\u00ae tissue", V2 },
	{ "RNL", "RNA Later\u00ae", V2 },
	{ "XXX", "Unknown", V2 },
	{ "ZZZ", "Other", V2 },
};

static const ob_sprec_entry solid_fixation_time[] = {
	{ "A", "< 15 min", V2 },
	{ "B", "15 min to 1 h", V2 },
	{ "C", "1 to 4 h", V2 },
	{ "D", "4 to 8 h", V2 },
	{ "E", "8 to 24 h", V2 },
	{ "F", "24 to 48 h", V2 },
	{ "G", "48 to 72 h", V2 },
	{ "N", "Not applicable", V2 },
	{ "X", "Unknown", V2 },
	{ "Z", "Other", V2 },
};

static const ob_sprec_entry solid_storage[] = {
	{ "A", "PP tube 0.5- to 2-mL; (\u221285) to (\u221260) \u00b0C", V2 },
	{ "B", "PP tube 0.5- to 2-mL; (\u221235) to (\u221218) \u00b0C", V2 },
	{ "V", "PP tube 0.5- to 2-mL; < \u2212135 \u00b0C", V2 },
	{ "C", "Cryotube 1- to 2-mL; liquid nitrogen", V2 },
	{ "D", "Cryotube 1- to 2-mL; (\u221285) to (\u221260) \u00b0C", V2 },
	{ "E", "Cryotube 1- to 2-mL; programmable freezing to < \u2212135 \u00b0C", V2 },
	{ "F", "Plastic cryostraw; liquid nitrogen", V2 },
	{ "G", "Straw; (\u221285) to (\u221260) \u00b0C", V2 },
	{ "H", "Straw; (\u221235) to (\u221218) \u00b0C", V2 },
	{ "I", "Straw; programmable freezing to < \u2212135 \u00b0C", V2 },
	{ "J", "PP tube \u2265 5 mL; (\u221285) to (\u221260) \u00b0C", V2 },
	{ "K", "PP tube \u2265 5 mL; (\u221235) to (\u221218) \u00b0C", V2 },
	{ "L", "Microplate; (\u221285) to (\u221260) \u00b0C", V2 },
	{ "M", "Microplate; (\u221235) to (\u221218) \u00b0C", V2 },
	{ "N", "Cryotube 1- to 2-mL; LN after temporary (\u221285) to (\u221260) \u00b0C", V2 },
	{ "O", "Straw; LN after temporary (\u221285) to (\u221260) \u00b0C", V2 },
	{ "P", "Paraffin block; RT or 2 to 10 \u00b0C", V2 },
	{ "Q", "Bag; LN", V2 },
	{ "R", "Dry technology medium; RT", V2 },
	{ "S", "PP tube 40 to 500\u00b5L; (\u221285) to (\u221260) \u00b0C", V2 },
	{ "T", "PP tube 40 to 500\u00b5L; (\u221235) to (\u221218) \u00b0C", V2 },
	{ "W", "PP tube 40- to 500-\u00b5L; < \u2212135 \u00b0C", V2 },
	{ "Y", "Original primary container; (\u221235) to (\u221218) \u00b0C or (\u221285) to (\u221260) \u00b0C", V2 },
	{ "U", "Paraffin block (second paraffin-block code)", V3 },
	{ "X", "Unknown", V2 },
	{ "Z", "Other", V2 },
};

/* ---- lookup ------------------------------------------------------------ */

struct table {
	const char *name;
	const ob_sprec_entry *rows;
	size_t n;
};

#define T(name, a) { name, a, N_OF(a) }

static const struct table fluid_tables[OB_SPREC_NELEM] = {
	T("type of sample", fluid_type),
	T("type of primary container", fluid_container),
	T("pre-centrifugation", fluid_precentrifugation),
	T("centrifugation", fluid_centrifugation),
	T("second centrifugation", fluid_second_centrifugation),
	T("post-centrifugation delay", fluid_postcentrifugation),
	T("long-term storage", fluid_storage),
};

static const struct table solid_tables[OB_SPREC_NELEM] = {
	T("type of sample", solid_type),
	T("type of collection", solid_collection),
	T("warm ischemia time", solid_ischemia),
	T("cold ischemia time", solid_ischemia),
	T("fixation/stabilisation type", solid_fixation),
	T("fixation time", solid_fixation_time),
	T("long-term storage", solid_storage),
};

static const struct table *table_of(ob_sprec_kind kind, int element)
{
	if (element < 1 || element > OB_SPREC_NELEM)
		return NULL;
	if (kind == OB_SPREC_FLUID)
		return &fluid_tables[element - 1];
	if (kind == OB_SPREC_SOLID)
		return &solid_tables[element - 1];
	return NULL;
}

size_t ob_sprec_table(ob_sprec_kind kind, int element, const ob_sprec_entry **entries)
{
	const struct table *t = table_of(kind, element);

	*entries = t ? t->rows : NULL;
	return t ? t->n : 0;
}

const char *ob_sprec_element_name(ob_sprec_kind kind, int element)
{
	const struct table *t = table_of(kind, element);

	return t ? t->name : NULL;
}
