-- 007_sequencing: sequencing results of banked specimens (src/bank/sequencing.c).
-- A result is the VCF the molecular laboratory delivered for one specimen
-- (usually a DNA extract), kept as received so that a report can be made
-- again with a newer knowledge base or newer gene models. kind says which
-- interpretation applies: "somatic" (a tumour: targeted-drug susceptibility)
-- or "germline" (inherited cancer risk). vcf_sha256 is the SHA-256 (hex) of
-- the stored text, recorded in the audit trail, so the audited event pins
-- the exact file. Times are ISO 8601 UTC text.
CREATE TABLE sequencing_result (
	id @PK@,
	specimen_id BIGINT NOT NULL REFERENCES specimen (id),
	kind TEXT NOT NULL,
	assay TEXT NOT NULL,
	tumor_type TEXT,
	panel_size_mb DOUBLE PRECISION,
	msi TEXT,
	genome TEXT NOT NULL,
	file_name TEXT NOT NULL,
	vcf TEXT NOT NULL,
	vcf_sha256 TEXT NOT NULL,
	variants BIGINT NOT NULL,
	created_at TEXT NOT NULL,
	created_by TEXT NOT NULL
);
CREATE INDEX sequencing_result_specimen ON sequencing_result (specimen_id);
