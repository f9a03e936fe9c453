-- 009_studies: studies (collection protocols), the specimens collected in
-- them, the consent form versions they use (their statements and the
-- donors' answers come in 010), and the direct identifiers a site keeps for
-- recontact. Times are ISO 8601 UTC text; days "2024-03-05T00:00:00Z" as
-- elsewhere.

-- A study (collection protocol). ppid_format is a POSIX extended regular
-- expression a participant ID must match whole (NULL: any). status: draft,
-- active, closed; collecting needs active and an ethics approval that has
-- not expired.
CREATE TABLE study (
	id @PK@,
	code TEXT NOT NULL UNIQUE,
	title TEXT NOT NULL,
	pi_user_id BIGINT REFERENCES app_user (id),
	ethics_ref TEXT,
	ethics_approved_on TEXT,
	ethics_expires_on TEXT,
	ppid_format TEXT,
	status TEXT NOT NULL CHECK (status IN ('draft', 'active', 'closed')),
	created_at TEXT NOT NULL
);

-- The sites that collect for a study.
CREATE TABLE study_site (
	study_id BIGINT NOT NULL REFERENCES study (id),
	site_id BIGINT NOT NULL REFERENCES site (id),
	PRIMARY KEY (study_id, site_id)
);

-- A consent form version and the coded statements it carries. version is
-- what a donor's signed consent names ("v2.1", "BC-ICF 3.0"); its
-- statements are in 010.
CREATE TABLE consent_form (
	id @PK@,
	version TEXT NOT NULL UNIQUE,
	title TEXT NOT NULL,
	effective_on TEXT,
	created_at TEXT NOT NULL
);

-- The consent forms a study uses.
CREATE TABLE study_form (
	study_id BIGINT NOT NULL REFERENCES study (id),
	form_id BIGINT NOT NULL REFERENCES consent_form (id),
	PRIMARY KEY (study_id, form_id)
);

-- Planned events ("diagnosis", "surgery", "6-month follow-up"): day is the
-- planned day after enrolment (0: at enrolment).
CREATE TABLE study_event (
	id @PK@,
	study_id BIGINT NOT NULL REFERENCES study (id),
	code TEXT NOT NULL,
	label TEXT NOT NULL,
	position INTEGER NOT NULL,
	day INTEGER NOT NULL DEFAULT 0,
	UNIQUE (study_id, code)
);

-- The specimens expected at an event (OpenSpecimen's specimen
-- requirements): type, how many, how much, how processed.
CREATE TABLE study_requirement (
	id @PK@,
	event_id BIGINT NOT NULL REFERENCES study_event (id),
	code TEXT NOT NULL,
	type TEXT NOT NULL,
	pathology TEXT,
	anatomic_site TEXT,
	count INTEGER NOT NULL,
	quantity DOUBLE PRECISION,
	unit TEXT,
	processing TEXT,
	UNIQUE (event_id, code)
);

-- Study members besides their site role: investigator or coordinator.
CREATE TABLE study_member (
	study_id BIGINT NOT NULL REFERENCES study (id),
	user_id BIGINT NOT NULL REFERENCES app_user (id),
	role TEXT NOT NULL CHECK (role IN ('investigator', 'coordinator')),
	PRIMARY KEY (study_id, user_id)
);
CREATE INDEX study_member_user ON study_member (user_id);

-- A donor enrolled in a study under a participant ID unique in the study.
CREATE TABLE study_participant (
	id @PK@,
	study_id BIGINT NOT NULL REFERENCES study (id),
	donor_id BIGINT NOT NULL REFERENCES donor (id),
	site_id BIGINT NOT NULL REFERENCES site (id),
	ppid TEXT NOT NULL,
	enrolled_on TEXT NOT NULL,
	UNIQUE (study_id, ppid),
	UNIQUE (study_id, donor_id)
);
CREATE INDEX study_participant_donor ON study_participant (donor_id);

-- A specimen is collected in one study, at one of its events, for one of
-- the event's requirements (all NULL for specimens collected outside any
-- study, as every specimen before this migration). consent_disposition is
-- what the donor's full withdrawal decided for it (NULL: none).
ALTER TABLE specimen ADD COLUMN study_id BIGINT REFERENCES study (id);
ALTER TABLE specimen ADD COLUMN event_id BIGINT REFERENCES study_event (id);
ALTER TABLE specimen ADD COLUMN requirement_id BIGINT REFERENCES study_requirement (id);
ALTER TABLE specimen ADD COLUMN consent_disposition TEXT;
CREATE INDEX specimen_study ON specimen (study_id, event_id);

-- Direct identifiers a site keeps for recontact, encrypted at rest with the
-- site's key (kept outside the database): kind is name, birth_date,
-- national_id or mrn. nonce and ciphertext are hex (XChaCha20-Poly1305).
-- lookup is a keyed hash of the normalised value (exact MRN search); the
-- audit trail keeps digest, never the value.
CREATE TABLE donor_identifier (
	id @PK@,
	donor_id BIGINT NOT NULL REFERENCES donor (id),
	site_id BIGINT NOT NULL REFERENCES site (id),
	kind TEXT NOT NULL CHECK (kind IN ('name', 'birth_date', 'national_id', 'mrn')),
	nonce TEXT NOT NULL,
	ciphertext TEXT NOT NULL,
	lookup TEXT NOT NULL,
	digest TEXT NOT NULL,
	recorded_at TEXT NOT NULL,
	UNIQUE (donor_id, site_id, kind)
);
CREATE INDEX donor_identifier_lookup ON donor_identifier (site_id, kind, lookup);

-- The explicit permission to see a site's direct identifiers: the day it
-- was granted, NULL when not.
ALTER TABLE app_user ADD COLUMN identifiers TEXT;
