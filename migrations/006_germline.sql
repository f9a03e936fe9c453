-- 006_germline: ClinVar releases and their variant records, read by the
-- germline classifier (src/interp/clinvar.c). A release is one ClinVar VCF
-- (its ##fileDate and ##reference); each variant row belongs to one
-- release, and look-ups read the newest release of the genome build asked.

CREATE TABLE clinvar_release (
	id @PK@,
	file_date TEXT NOT NULL,        -- ##fileDate of the VCF, YYYY-MM-DD
	reference TEXT NOT NULL,        -- ##reference, e.g. GRCh38
	source_file TEXT NOT NULL,      -- file name as given (no directory)
	imported_at TEXT NOT NULL,      -- ISO 8601 UTC
	records_read BIGINT NOT NULL,
	records_stored BIGINT NOT NULL,
	protein_derived INTEGER NOT NULL, -- 1: protein changes derived by annotation at import
	UNIQUE (file_date, reference)
);

-- One ClinVar VCF record. chrom is stored without a "chr" prefix.
-- significance is CLNSIG as written ("Pathogenic/Likely_pathogenic");
-- class its normalised first value: P LP PLP VUS LB B BLB CONF OTHER.
-- stars from CLNREVSTAT (practice guideline 4 ... no assertion 0).
-- consequence: MC terms as SO names joined by '&' (ClinVar's "nonsense"
-- written stop_gained, "initiator_codon_variant" start_lost).
-- protein_change/protein_pos: three-letter p. change and first residue,
-- NULL unless derived at import (clinvar import --fasta --gff).
CREATE TABLE clinvar_variant (
	id @PK@,
	release_id BIGINT NOT NULL REFERENCES clinvar_release (id),
	chrom TEXT NOT NULL,
	pos BIGINT NOT NULL,
	ref TEXT NOT NULL,
	alt TEXT NOT NULL,
	variation_id BIGINT NOT NULL,
	allele_id BIGINT,
	gene TEXT,                      -- first symbol of GENEINFO
	genes TEXT,                     -- every symbol, '|'-joined
	significance TEXT NOT NULL,
	class TEXT NOT NULL,
	review_status TEXT NOT NULL,
	stars INTEGER NOT NULL,
	conditions TEXT,                -- CLNDN, '|'-joined
	hgvs TEXT,                      -- CLNHGVS (genomic)
	variant_type TEXT,              -- CLNVC
	consequence TEXT,
	protein_change TEXT,
	protein_pos INTEGER
);
CREATE INDEX clinvar_variant_locus ON clinvar_variant (chrom, pos, release_id);
CREATE INDEX clinvar_variant_residue ON clinvar_variant (gene, protein_pos, release_id);
CREATE INDEX clinvar_variant_release ON clinvar_variant (release_id);
