-- 010_consent_statements: consent as coded statements, versioned with the
-- form that carries them; today's five flags become answers to five
-- statements of each form version, with no loss (src/bank/migrate.c audits
-- the rewritten consents in the same transaction).
--
-- Uses, as bits (src/bank/consent.h): storage 1, research 2, genetic
-- research 4, data sharing outside the network 8, recontact 16, commercial
-- use 32, return of incidental findings 64. donor.consent_mask keeps the
-- uses the donor's current consent permits (the same bits as before for the
-- first five), kept in step by the consent functions.

-- A statement of a form: its code (unique in the form), its text in
-- English and Chinese, and the uses a "yes" to it permits. A use is
-- permitted by a consent when the form has a statement covering it and
-- every statement covering it is answered yes.
CREATE TABLE consent_statement (
	id @PK@,
	form_id BIGINT NOT NULL REFERENCES consent_form (id),
	code TEXT NOT NULL,
	position INTEGER NOT NULL,
	text TEXT NOT NULL,
	text_zh TEXT,
	uses INTEGER NOT NULL,
	UNIQUE (form_id, code)
);

-- The forms of today's consents, each with the five statements its flags
-- answered, so that no answer is lost.
-- (consent_form itself came in 009; a study may have named a version
-- already: that form is kept and gets the statements.)
INSERT INTO consent_form (version, title, effective_on, created_at)
	SELECT c.form_version, 'Consent form ' || c.form_version, MIN(c.signed_on), MIN(c.signed_on)
	FROM consent c WHERE NOT EXISTS (SELECT 1 FROM consent_form f WHERE f.version = c.form_version)
	GROUP BY c.form_version;
INSERT INTO consent_statement (form_id, code, position, text, text_zh, uses)
	SELECT f.id, v.code, v.position, v.text, v.text_zh, v.uses FROM consent_form f CROSS JOIN (
		SELECT 'STORAGE' AS code, 1 AS position,
			'My samples may be stored in the biobank.' AS text,
			'我同意我的样本保存在生物样本库。' AS text_zh, 1 AS uses
		UNION ALL SELECT 'RESEARCH', 2, 'My samples and data may be used for medical research.',
			'我同意我的样本和数据用于医学研究。', 2
		UNION ALL SELECT 'GENETIC', 3, 'My samples may be used for genetic research.',
			'我同意我的样本用于遗传学研究。', 4
		UNION ALL SELECT 'SHARING', 4, 'My coded data may be shared with researchers outside the network.',
			'我同意我的编码数据与网络以外的研究者共享。', 8
		UNION ALL SELECT 'RECONTACT', 5, 'I may be contacted again about this research.',
			'我同意就本研究再次与我联系。', 16
	) v
	WHERE f.version IN (SELECT form_version FROM consent);

-- A signed consent now names its form, and records the witness, who
-- recorded it, and (on a full withdrawal) the disposition chosen for the
-- donor's material: destroy, keep (stop future use, keep the material),
-- data_only (keep the data, no material use).
ALTER TABLE consent ADD COLUMN form_id BIGINT REFERENCES consent_form (id);
ALTER TABLE consent ADD COLUMN witness TEXT;
ALTER TABLE consent ADD COLUMN recorded_by TEXT;
ALTER TABLE consent ADD COLUMN disposition TEXT;
UPDATE consent SET form_id = (SELECT f.id FROM consent_form f WHERE f.version = consent.form_version);

-- A consent's answer to each statement of its form. A partial withdrawal
-- turns one answer to "no" and stamps it.
CREATE TABLE consent_response (
	id @PK@,
	consent_id BIGINT NOT NULL REFERENCES consent (id),
	statement_id BIGINT NOT NULL REFERENCES consent_statement (id),
	response TEXT NOT NULL CHECK (response IN ('yes', 'no', 'not_asked')),
	withdrawn_on TEXT,
	withdrawn_by TEXT,
	withdrawal_reason TEXT,
	UNIQUE (consent_id, statement_id)
);
CREATE INDEX consent_response_statement ON consent_response (statement_id, response);

INSERT INTO consent_response (consent_id, statement_id, response)
	SELECT c.id, t.id, CASE WHEN (CASE t.code WHEN 'STORAGE' THEN c.storage
		WHEN 'RESEARCH' THEN c.research WHEN 'GENETIC' THEN c.genetic
		WHEN 'SHARING' THEN c.sharing ELSE c.recontact END) <> 0 THEN 'yes' ELSE 'no' END
	FROM consent c JOIN consent_statement t ON t.form_id = c.form_id
	ORDER BY c.id, t.position;

ALTER TABLE consent DROP COLUMN storage;
ALTER TABLE consent DROP COLUMN research;
ALTER TABLE consent DROP COLUMN genetic;
ALTER TABLE consent DROP COLUMN sharing;
ALTER TABLE consent DROP COLUMN recontact;

-- (specimen.consent_disposition, what a full withdrawal decided for each
-- specimen, aliquot and derivative of the donor, came in 009.)

