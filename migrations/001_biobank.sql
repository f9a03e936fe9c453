-- 001_biobank: the biobank's core tables. Shared by SQLite and PostgreSQL:
-- @PK@ is the backend's auto-assigned 64-bit key; times are ISO 8601 UTC text
-- ("2024-03-05T10:02:00Z"); flags are INTEGER 0/1.

-- The network: center > sub-center > regional center > hospital. path is the
-- materialised chain of codes ("/NCC/SUB1/REG03/") so "this site and every
-- site below it" is one prefix match.
CREATE TABLE site (
	id @PK@,
	code TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('center', 'sub-center', 'regional', 'hospital')),
	parent_id BIGINT REFERENCES site (id),
	path TEXT NOT NULL
);
CREATE INDEX site_path ON site (path);

-- Donors are pseudonymous: a code unique within their site.
-- consent_mask and withdrawn cache the donor's current consent (the latest
-- signed), kept in step by the consent functions in the same transaction.
CREATE TABLE donor (
	id @PK@,
	site_id BIGINT NOT NULL REFERENCES site (id),
	code TEXT NOT NULL,
	sex TEXT NOT NULL CHECK (sex IN ('female', 'male', 'other', 'unknown')),
	birth_year INTEGER,
	consent_mask INTEGER NOT NULL DEFAULT 0,
	withdrawn INTEGER NOT NULL DEFAULT 0,
	UNIQUE (site_id, code)
);

-- ICD-O-3: topography "C50.9", morphology "8500/3".
CREATE TABLE diagnosis (
	id @PK@,
	donor_id BIGINT NOT NULL REFERENCES donor (id),
	topography TEXT NOT NULL,
	morphology TEXT NOT NULL,
	diagnosed_on TEXT
);
CREATE INDEX diagnosis_donor ON diagnosis (donor_id);
CREATE INDEX diagnosis_codes ON diagnosis (topography, morphology);

CREATE TABLE consent (
	id @PK@,
	donor_id BIGINT NOT NULL REFERENCES donor (id),
	form_version TEXT NOT NULL,
	signed_on TEXT NOT NULL,
	storage INTEGER NOT NULL,
	research INTEGER NOT NULL,
	genetic INTEGER NOT NULL,
	sharing INTEGER NOT NULL,
	recontact INTEGER NOT NULL,
	withdrawn_on TEXT,
	withdrawn_by TEXT,
	withdrawal_reason TEXT
);
CREATE INDEX consent_donor ON consent (donor_id);

-- Storage: freezer or LN2 tank > rack > box; boxes have rows x cols
-- positions named by scheme ("A1": letters for rows, numbers for columns;
-- "1-1": row-column numbers; "1": positions numbered 1..rows*cols).
CREATE TABLE container (
	id @PK@,
	barcode TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('freezer', 'ln2_tank', 'refrigerator', 'shelf', 'rack', 'box')),
	site_id BIGINT NOT NULL REFERENCES site (id),
	parent_id BIGINT REFERENCES container (id),
	temperature DOUBLE PRECISION,
	nrows INTEGER,
	ncols INTEGER,
	scheme TEXT,
	path TEXT NOT NULL
);
CREATE INDEX container_parent ON container (parent_id);
CREATE INDEX container_path ON container (path);

-- Specimens, aliquots and derivatives. parent_id links the lineage; the
-- whole tree is one recursive query. One specimen per position. barcode is
-- network-wide with a check character; label is a site's own (legacy) name.
CREATE TABLE specimen (
	id @PK@,
	barcode TEXT NOT NULL UNIQUE,
	label TEXT,
	site_id BIGINT NOT NULL REFERENCES site (id),
	donor_id BIGINT NOT NULL REFERENCES donor (id),
	parent_id BIGINT REFERENCES specimen (id),
	lineage TEXT NOT NULL CHECK (lineage IN ('primary', 'aliquot', 'derivative')),
	type TEXT NOT NULL,
	anatomic_site TEXT,
	pathology TEXT NOT NULL CHECK (pathology IN ('tumour', 'normal', 'unknown')),
	tumour_pct DOUBLE PRECISION,
	quantity DOUBLE PRECISION,
	initial_quantity DOUBLE PRECISION,
	unit TEXT,
	collected_at TEXT,
	sprec TEXT,
	status TEXT NOT NULL CHECK (status IN ('available', 'reserved', 'in_transit', 'distributed', 'depleted', 'destroyed', 'missing')),
	freeze_thaw INTEGER NOT NULL DEFAULT 0,
	container_id BIGINT REFERENCES container (id),
	position TEXT,
	concentration DOUBLE PRECISION,
	a260_280 DOUBLE PRECISION,
	rin DOUBLE PRECISION,
	din DOUBLE PRECISION,
	created_at TEXT NOT NULL,
	UNIQUE (container_id, position)
);
CREATE INDEX specimen_parent ON specimen (parent_id);
CREATE INDEX specimen_label ON specimen (label);
CREATE INDEX specimen_donor ON specimen (donor_id);
CREATE INDEX specimen_site_type ON specimen (site_id, type, status);
CREATE INDEX specimen_type_status ON specimen (type, status);

-- The pre-analytical record a SPREC code is computed from (primary
-- specimens; derivatives carry their parent's code). Durations in minutes.
CREATE TABLE preanalytics (
	specimen_id BIGINT PRIMARY KEY REFERENCES specimen (id),
	collection TEXT,
	vessel TEXT,
	warm_ischaemia_min DOUBLE PRECISION,
	cold_ischaemia_min DOUBLE PRECISION,
	fixation TEXT,
	fixation_min DOUBLE PRECISION,
	precentrifugation_min DOUBLE PRECISION,
	precentrifugation_temp TEXT,
	centrifugation TEXT,
	second_centrifugation TEXT,
	postcentrifugation_min DOUBLE PRECISION,
	postcentrifugation_temp TEXT
);

-- The tamper-evident trail: append-only, hash-chained. seq is assigned by
-- the writer inside its transaction; hash = SHA-256 over a length-prefixed
-- encoding of every other column and the previous event's hash.
CREATE TABLE audit_event (
	seq BIGINT PRIMARY KEY,
	at TEXT NOT NULL,
	actor TEXT NOT NULL,
	site TEXT,
	action TEXT NOT NULL,
	entity TEXT NOT NULL,
	entity_id BIGINT,
	entity_key TEXT,
	before TEXT,
	after TEXT,
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL
);
CREATE INDEX audit_entity ON audit_event (entity, entity_id);
