-- 005_knowledge: the releases of external knowledge imported into the
-- somatic knowledge base (src/interp/civic.c) and their evidence rows.
-- The curated base ships inside the binary and is not stored here.

-- One imported release: name ("civic") and version ("01-Aug-2021") are
-- unique together; a re-import of the same version replaces it only when
-- asked (--replace). row_count is the evidence rows stored (one CIViC item
-- can give several: one per OncoTree code, alteration and drug choice);
-- read_count, skipped_count and unmapped_count are items of the file: read =
-- skipped (out of scope: not Predictive, not Supports) + unmapped + mapped.
CREATE TABLE kb_release (
	id @PK@,
	name TEXT NOT NULL,
	version TEXT NOT NULL,
	source_file TEXT NOT NULL,
	imported_at TEXT NOT NULL,
	imported_by TEXT NOT NULL,
	read_count INTEGER NOT NULL,
	skipped_count INTEGER NOT NULL,
	mapped_count INTEGER NOT NULL,
	unmapped_count INTEGER NOT NULL,
	row_count INTEGER NOT NULL,
	UNIQUE (name, version)
);

-- Evidence rows in the knowledge base's terms (src/interp/kb.h): an
-- alteration specification, an OncoTree code ('' = any tumour type), an
-- AMP/ASCO/CAP level. source_id, disease and variant keep the item as the
-- release wrote it (CIViC "EID1409", "Melanoma", "V600E").
CREATE TABLE kb_evidence (
	id @PK@,
	release_id BIGINT NOT NULL REFERENCES kb_release (id),
	gene TEXT NOT NULL,
	alteration TEXT NOT NULL,
	tumor_type TEXT NOT NULL,
	drugs TEXT NOT NULL,
	effect TEXT NOT NULL CHECK (effect IN ('sensitivity', 'resistance')),
	amp_level TEXT NOT NULL,
	oncokb_level TEXT,
	sources TEXT NOT NULL,
	source_id TEXT NOT NULL,
	disease TEXT NOT NULL,
	variant TEXT NOT NULL
);
CREATE INDEX kb_evidence_release ON kb_evidence (release_id);
CREATE INDEX kb_evidence_gene ON kb_evidence (gene);

-- The in-scope items a release import could not map, with the reason, so
-- that nothing is dropped silently (`oncobank kb import --unmapped FILE`
-- writes the same list).
CREATE TABLE kb_unmapped (
	id @PK@,
	release_id BIGINT NOT NULL REFERENCES kb_release (id),
	source_id TEXT NOT NULL,
	gene TEXT NOT NULL,
	variant TEXT NOT NULL,
	disease TEXT NOT NULL,
	reason TEXT NOT NULL,
	detail TEXT NOT NULL
);
CREATE INDEX kb_unmapped_release ON kb_unmapped (release_id);
