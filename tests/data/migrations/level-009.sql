PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE schema_migration ( version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);
INSERT INTO schema_migration VALUES(1,'001_biobank','2026-12-07T22:26:38Z');
INSERT INTO schema_migration VALUES(2,'002_import_deferred','2026-12-07T22:26:38Z');
INSERT INTO schema_migration VALUES(3,'003_audit_reason','2026-12-07T22:26:38Z');
INSERT INTO schema_migration VALUES(4,'004_accounts','2026-12-07T22:26:38Z');
INSERT INTO schema_migration VALUES(5,'005_knowledge','2026-12-07T22:26:38Z');
INSERT INTO schema_migration VALUES(6,'006_germline','2026-12-07T22:26:38Z');
INSERT INTO schema_migration VALUES(7,'007_sequencing','2026-12-07T22:26:38Z');
INSERT INTO schema_migration VALUES(8,'008_site_retired','2026-12-07T22:26:38Z');
INSERT INTO schema_migration VALUES(9,'009_studies','2026-12-07T22:26:38Z');
CREATE TABLE site (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('center', 'sub-center', 'regional', 'hospital')),
	parent_id BIGINT REFERENCES site (id),
	path TEXT NOT NULL
, retired TEXT);
INSERT INTO site VALUES(1,'NCC','National Cancer Center','center',NULL,'/NCC/',NULL);
INSERT INTO site VALUES(2,'REG01','Regional Center 1','regional',1,'/NCC/REG01/',NULL);
INSERT INTO site VALUES(3,'HOS01','HOS01','hospital',2,'/NCC/REG01/HOS01/',NULL);
CREATE TABLE donor (
	id INTEGER PRIMARY KEY,
	site_id BIGINT NOT NULL REFERENCES site (id),
	code TEXT NOT NULL,
	sex TEXT NOT NULL CHECK (sex IN ('female', 'male', 'other', 'unknown')),
	birth_year INTEGER,
	consent_mask INTEGER NOT NULL DEFAULT 0,
	withdrawn INTEGER NOT NULL DEFAULT 0,
	UNIQUE (site_id, code)
);
INSERT INTO donor VALUES(1,2,'D1','female',1968,15,0);
INSERT INTO donor VALUES(2,3,'D2','male',1955,0,1);
CREATE TABLE diagnosis (
	id INTEGER PRIMARY KEY,
	donor_id BIGINT NOT NULL REFERENCES donor (id),
	topography TEXT NOT NULL,
	morphology TEXT NOT NULL,
	diagnosed_on TEXT
);
INSERT INTO diagnosis VALUES(1,1,'C50.9','8500/3','2025-05-01T00:00:00Z');
CREATE TABLE consent (
	id INTEGER PRIMARY KEY,
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
INSERT INTO consent VALUES(1,1,'v3','2025-01-05T00:00:00Z',1,1,1,1,0,NULL,NULL,NULL);
INSERT INTO consent VALUES(2,2,'v3','2025-02-01T00:00:00Z',1,1,0,0,0,'2025-05-20T00:00:00Z','operator','asked by the donor');
CREATE TABLE container (
	id INTEGER PRIMARY KEY,
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
INSERT INTO container VALUES(1,'FRZ1','FRZ1','freezer',2,NULL,-80.0,NULL,NULL,NULL,'/1/');
INSERT INTO container VALUES(2,'BOX1','BOX1','box',2,1,NULL,9,9,'A1','/1/2/');
CREATE TABLE specimen (
	id INTEGER PRIMARY KEY,
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
	created_at TEXT NOT NULL, study_id BIGINT REFERENCES study (id), event_id BIGINT REFERENCES study_event (id), requirement_id BIGINT REFERENCES study_requirement (id), consent_disposition TEXT,
	UNIQUE (container_id, position)
);
INSERT INTO specimen VALUES(1,'OB0000000013',NULL,2,1,NULL,'primary','plasma',NULL,'unknown',NULL,3.0,4.0,'ml','2025-05-02T08:30:00Z','PL1-PED-A-D-X-X-X','reserved',0,2,'A1',NULL,NULL,NULL,NULL,'2025-06-02T09:00:00Z',NULL,NULL,NULL,NULL);
INSERT INTO specimen VALUES(2,'OB0000000021',NULL,2,1,1,'aliquot','plasma',NULL,'unknown',NULL,0.5,0.5,'ml','2025-06-02T09:00:00Z','PL1-PED-A-D-X-X-X','available',0,2,'B1',NULL,NULL,NULL,NULL,'2025-06-02T09:00:00Z',NULL,NULL,NULL,NULL);
INSERT INTO specimen VALUES(3,'OB0000000030',NULL,2,1,1,'aliquot','plasma',NULL,'unknown',NULL,0.5,0.5,'ml','2025-06-02T09:00:00Z','PL1-PED-A-D-X-X-X','available',0,2,'B2',NULL,NULL,NULL,NULL,'2025-06-02T09:00:00Z',NULL,NULL,NULL,NULL);
INSERT INTO specimen VALUES(4,'OB000000004Y',NULL,3,2,NULL,'primary','whole_blood',NULL,'unknown',NULL,5.0,5.0,'ml','2025-05-03T10:00:00Z',NULL,'available',0,NULL,NULL,NULL,NULL,NULL,NULL,'2025-06-02T09:00:00Z',NULL,NULL,NULL,NULL);
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
INSERT INTO preanalytics VALUES(1,'PED',NULL,NULL,NULL,NULL,NULL,45.0,'RT','4/10/2000/brake',NULL,NULL,NULL);
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
, reason TEXT);
INSERT INTO audit_event VALUES(1,'2025-06-02T09:00:00Z','operator',NULL,'create','site',1,'NCC',NULL,'{"code":"NCC","name":"National Cancer Center","kind":"center"}','0000000000000000000000000000000000000000000000000000000000000000','7ccfd6db51dcffae8f271a0a82e71f601aeadf6bf229502a55e5d5f29896089d',NULL);
INSERT INTO audit_event VALUES(2,'2025-06-02T09:00:00Z','operator',NULL,'create','site',2,'REG01',NULL,'{"code":"REG01","name":"Regional Center 1","kind":"regional","parent":"NCC"}','7ccfd6db51dcffae8f271a0a82e71f601aeadf6bf229502a55e5d5f29896089d','a556679cb88c9dc7eeb846ab0682bef62da7c6d7ed63493fdbdc2d21c46683d1',NULL);
INSERT INTO audit_event VALUES(3,'2025-06-02T09:00:00Z','operator',NULL,'create','site',3,'HOS01',NULL,'{"code":"HOS01","name":"HOS01","kind":"hospital","parent":"REG01"}','a556679cb88c9dc7eeb846ab0682bef62da7c6d7ed63493fdbdc2d21c46683d1','3210e51a0cf3f108c58505bd0f3cfa1c9c1ec1fc6b634cd47197e6962f3282e7',NULL);
INSERT INTO audit_event VALUES(4,'2025-06-02T09:00:00Z','operator',NULL,'create','donor',1,'D1',NULL,'{"site":"REG01","code":"D1","sex":"female","birth_year":"1968","consent_mask":"0","withdrawn":"0"}','3210e51a0cf3f108c58505bd0f3cfa1c9c1ec1fc6b634cd47197e6962f3282e7','3d35de54faef9c271f98d62e3d53eb9216e58725c87e81ca721ccf2cce2ea0eb',NULL);
INSERT INTO audit_event VALUES(5,'2025-06-02T09:00:00Z','operator',NULL,'create','diagnosis',1,'D1',NULL,'{"site":"REG01","donor":"D1","topography":"C50.9","morphology":"8500/3","diagnosed_on":"2025-05-01T00:00:00Z"}','3d35de54faef9c271f98d62e3d53eb9216e58725c87e81ca721ccf2cce2ea0eb','ebded2cde0ea1c5718ec85aef60a1c195e2f95a17a858f8a25532a8b0a3e7cee',NULL);
INSERT INTO audit_event VALUES(6,'2025-06-02T09:00:00Z','operator',NULL,'consent','donor',1,NULL,'{"site":"REG01","code":"D1","sex":"female","birth_year":"1968","consent_mask":"0","withdrawn":"0"}','{"site":"REG01","code":"D1","sex":"female","birth_year":"1968","consent_mask":"15","withdrawn":"0"}','ebded2cde0ea1c5718ec85aef60a1c195e2f95a17a858f8a25532a8b0a3e7cee','e97b769d9d16d0f1066f6353bbbc4836fe8dd914054348533bab5aa34e92caf5',NULL);
INSERT INTO audit_event VALUES(7,'2025-06-02T09:00:00Z','operator',NULL,'create','consent',1,'D1',NULL,'{"site":"REG01","donor":"D1","form_version":"v3","signed_on":"2025-01-05T00:00:00Z","storage":"1","research":"1","genetic":"1","sharing":"1","recontact":"0"}','e97b769d9d16d0f1066f6353bbbc4836fe8dd914054348533bab5aa34e92caf5','a8c9085cc4f2e56f74931e076a8790ae315313fed9676e820d36dd590b344c77',NULL);
INSERT INTO audit_event VALUES(8,'2025-06-02T09:00:00Z','operator',NULL,'create','donor',2,'D2',NULL,'{"site":"HOS01","code":"D2","sex":"male","birth_year":"1955","consent_mask":"0","withdrawn":"0"}','a8c9085cc4f2e56f74931e076a8790ae315313fed9676e820d36dd590b344c77','1e4d0378a862fb5d6889ac7f8a1f9562db2f5bbd69f8b5b9a56e1098c85ee1fe',NULL);
INSERT INTO audit_event VALUES(9,'2025-06-02T09:00:00Z','operator',NULL,'consent','donor',2,NULL,'{"site":"HOS01","code":"D2","sex":"male","birth_year":"1955","consent_mask":"0","withdrawn":"0"}','{"site":"HOS01","code":"D2","sex":"male","birth_year":"1955","consent_mask":"3","withdrawn":"0"}','1e4d0378a862fb5d6889ac7f8a1f9562db2f5bbd69f8b5b9a56e1098c85ee1fe','8440be137f75e17a17785054c4b867f34841b4da3767cfebaf5861f96f699826',NULL);
INSERT INTO audit_event VALUES(10,'2025-06-02T09:00:00Z','operator',NULL,'create','consent',2,'D2',NULL,'{"site":"HOS01","donor":"D2","form_version":"v3","signed_on":"2025-02-01T00:00:00Z","storage":"1","research":"1","genetic":"0","sharing":"0","recontact":"0"}','8440be137f75e17a17785054c4b867f34841b4da3767cfebaf5861f96f699826','7e4879160e210c2b0b503ddfe4402db7d68a6e255f11cb867555d36663a2e211',NULL);
INSERT INTO audit_event VALUES(11,'2025-06-02T09:00:00Z','operator',NULL,'create','container',1,'FRZ1',NULL,'{"barcode":"FRZ1","name":"FRZ1","kind":"freezer","site":"REG01","temperature":"-80.0"}','7e4879160e210c2b0b503ddfe4402db7d68a6e255f11cb867555d36663a2e211','48f8e4cd3f3f9a7d5ff8c09cc159b85be11d58ddfe753e0b3698871cca0a687e',NULL);
INSERT INTO audit_event VALUES(12,'2025-06-02T09:00:00Z','operator',NULL,'create','container',2,'BOX1',NULL,'{"barcode":"BOX1","name":"BOX1","kind":"box","site":"REG01","parent":"FRZ1","nrows":"9","ncols":"9","scheme":"A1"}','48f8e4cd3f3f9a7d5ff8c09cc159b85be11d58ddfe753e0b3698871cca0a687e','342af6826594f3e6b48c074f9d2c9167281466d48616038e2c2195ef43b88035',NULL);
INSERT INTO audit_event VALUES(13,'2025-06-02T09:00:00Z','operator',NULL,'create','specimen',1,'OB0000000013',NULL,'{"barcode":"OB0000000013","site":"REG01","donor":"D1","donor_site":"REG01","type":"plasma","lineage":"primary","pathology":"unknown","quantity":"4.0","initial_quantity":"4.0","unit":"ml","collected_at":"2025-05-02T08:30:00Z","sprec":"PL1-PED-A-D-X-X-X","status":"available","freeze_thaw":"0","container":"BOX1","position":"A1","collection":"PED","precentrifugation_min":"45.0","precentrifugation_temp":"RT","centrifugation":"4/10/2000/brake"}','342af6826594f3e6b48c074f9d2c9167281466d48616038e2c2195ef43b88035','4655b068e1a5ed0593a909652cc8c0704768761cd2d6a6bd70390f8c2165a656',NULL);
INSERT INTO audit_event VALUES(14,'2025-06-02T09:00:00Z','operator',NULL,'portion-taken','specimen',1,'OB0000000013','{"barcode":"OB0000000013","site":"REG01","donor":"D1","donor_site":"REG01","type":"plasma","lineage":"primary","pathology":"unknown","quantity":"4.0","initial_quantity":"4.0","unit":"ml","collected_at":"2025-05-02T08:30:00Z","sprec":"PL1-PED-A-D-X-X-X","status":"available","freeze_thaw":"0","container":"BOX1","position":"A1","collection":"PED","precentrifugation_min":"45.0","precentrifugation_temp":"RT","centrifugation":"4/10/2000/brake"}','{"barcode":"OB0000000013","site":"REG01","donor":"D1","donor_site":"REG01","type":"plasma","lineage":"primary","pathology":"unknown","quantity":"3.5","initial_quantity":"4.0","unit":"ml","collected_at":"2025-05-02T08:30:00Z","sprec":"PL1-PED-A-D-X-X-X","status":"available","freeze_thaw":"0","container":"BOX1","position":"A1","collection":"PED","precentrifugation_min":"45.0","precentrifugation_temp":"RT","centrifugation":"4/10/2000/brake"}','4655b068e1a5ed0593a909652cc8c0704768761cd2d6a6bd70390f8c2165a656','707aad00429479997ebebe7273edd4eea2ae4beabc38c10d994507de45027c8e',NULL);
INSERT INTO audit_event VALUES(15,'2025-06-02T09:00:00Z','operator',NULL,'create','specimen',2,'OB0000000021',NULL,'{"barcode":"OB0000000021","site":"REG01","donor":"D1","donor_site":"REG01","type":"plasma","parent":"OB0000000013","lineage":"aliquot","pathology":"unknown","quantity":"0.5","initial_quantity":"0.5","unit":"ml","collected_at":"2025-06-02T09:00:00Z","sprec":"PL1-PED-A-D-X-X-X","status":"available","freeze_thaw":"0","container":"BOX1","position":"B1"}','707aad00429479997ebebe7273edd4eea2ae4beabc38c10d994507de45027c8e','6df60fbc29e668b480a2a4a6b4c5b527b25a5176aedd7a52a4c2b9c0115e54bf',NULL);
INSERT INTO audit_event VALUES(16,'2025-06-02T09:00:00Z','operator',NULL,'portion-taken','specimen',1,'OB0000000013','{"barcode":"OB0000000013","site":"REG01","donor":"D1","donor_site":"REG01","type":"plasma","lineage":"primary","pathology":"unknown","quantity":"3.5","initial_quantity":"4.0","unit":"ml","collected_at":"2025-05-02T08:30:00Z","sprec":"PL1-PED-A-D-X-X-X","status":"available","freeze_thaw":"0","container":"BOX1","position":"A1","collection":"PED","precentrifugation_min":"45.0","precentrifugation_temp":"RT","centrifugation":"4/10/2000/brake"}','{"barcode":"OB0000000013","site":"REG01","donor":"D1","donor_site":"REG01","type":"plasma","lineage":"primary","pathology":"unknown","quantity":"3.0","initial_quantity":"4.0","unit":"ml","collected_at":"2025-05-02T08:30:00Z","sprec":"PL1-PED-A-D-X-X-X","status":"available","freeze_thaw":"0","container":"BOX1","position":"A1","collection":"PED","precentrifugation_min":"45.0","precentrifugation_temp":"RT","centrifugation":"4/10/2000/brake"}','6df60fbc29e668b480a2a4a6b4c5b527b25a5176aedd7a52a4c2b9c0115e54bf','36d1b13a1cd98a5fa998ddeadbcf6a6a07e74201a99c5bf45e4e415423ce6a01',NULL);
INSERT INTO audit_event VALUES(17,'2025-06-02T09:00:00Z','operator',NULL,'create','specimen',3,'OB0000000030',NULL,'{"barcode":"OB0000000030","site":"REG01","donor":"D1","donor_site":"REG01","type":"plasma","parent":"OB0000000013","lineage":"aliquot","pathology":"unknown","quantity":"0.5","initial_quantity":"0.5","unit":"ml","collected_at":"2025-06-02T09:00:00Z","sprec":"PL1-PED-A-D-X-X-X","status":"available","freeze_thaw":"0","container":"BOX1","position":"B2"}','36d1b13a1cd98a5fa998ddeadbcf6a6a07e74201a99c5bf45e4e415423ce6a01','fd80e54a99c7af04702e30ee244c46f05e12b05155fdd24df84790f8e91f59af',NULL);
INSERT INTO audit_event VALUES(18,'2025-06-02T09:00:00Z','operator',NULL,'create','specimen',4,'OB000000004Y',NULL,'{"barcode":"OB000000004Y","site":"HOS01","donor":"D2","donor_site":"HOS01","type":"whole_blood","lineage":"primary","pathology":"unknown","quantity":"5.0","initial_quantity":"5.0","unit":"ml","collected_at":"2025-05-03T10:00:00Z","status":"available","freeze_thaw":"0"}','fd80e54a99c7af04702e30ee244c46f05e12b05155fdd24df84790f8e91f59af','31e6c3fd896f948f7ed4d5772a9059171f2efe2b362a1ec77af7e9e4f463f789',NULL);
INSERT INTO audit_event VALUES(19,'2025-06-02T09:00:00Z','operator',NULL,'status:reserved','specimen',1,'OB0000000013','{"barcode":"OB0000000013","site":"REG01","donor":"D1","donor_site":"REG01","type":"plasma","lineage":"primary","pathology":"unknown","quantity":"3.0","initial_quantity":"4.0","unit":"ml","collected_at":"2025-05-02T08:30:00Z","sprec":"PL1-PED-A-D-X-X-X","status":"available","freeze_thaw":"0","container":"BOX1","position":"A1","collection":"PED","precentrifugation_min":"45.0","precentrifugation_temp":"RT","centrifugation":"4/10/2000/brake"}','{"barcode":"OB0000000013","site":"REG01","donor":"D1","donor_site":"REG01","type":"plasma","lineage":"primary","pathology":"unknown","quantity":"3.0","initial_quantity":"4.0","unit":"ml","collected_at":"2025-05-02T08:30:00Z","sprec":"PL1-PED-A-D-X-X-X","status":"reserved","freeze_thaw":"0","container":"BOX1","position":"A1","collection":"PED","precentrifugation_min":"45.0","precentrifugation_temp":"RT","centrifugation":"4/10/2000/brake"}','31e6c3fd896f948f7ed4d5772a9059171f2efe2b362a1ec77af7e9e4f463f789','ae2112dfe1bce7dc6e9c44460ecc9922134c1847a0f13dfd27b676cc2e7352c8','project P-12');
INSERT INTO audit_event VALUES(20,'2025-06-02T09:00:00Z','operator',NULL,'consent','donor',2,NULL,'{"site":"HOS01","code":"D2","sex":"male","birth_year":"1955","consent_mask":"3","withdrawn":"0"}','{"site":"HOS01","code":"D2","sex":"male","birth_year":"1955","consent_mask":"0","withdrawn":"1"}','ae2112dfe1bce7dc6e9c44460ecc9922134c1847a0f13dfd27b676cc2e7352c8','69660afb69ccf793b5738b2f7b94ebf59b7afa31de659dadb1c7ae0496142816',NULL);
INSERT INTO audit_event VALUES(21,'2025-06-02T09:00:00Z','operator',NULL,'withdraw','consent',2,'D2','{"site":"HOS01","donor":"D2","form_version":"v3","signed_on":"2025-02-01T00:00:00Z","storage":"1","research":"1","genetic":"0","sharing":"0","recontact":"0"}','{"site":"HOS01","donor":"D2","form_version":"v3","signed_on":"2025-02-01T00:00:00Z","storage":"1","research":"1","genetic":"0","sharing":"0","recontact":"0","withdrawn_on":"2025-05-20T00:00:00Z","withdrawn_by":"operator","withdrawal_reason":"asked by the donor"}','69660afb69ccf793b5738b2f7b94ebf59b7afa31de659dadb1c7ae0496142816','5837c1ce9d291a66ff3467aa27b1064cc43452b5b7d616412bd4a76faa7524b3',NULL);
INSERT INTO audit_event VALUES(22,'2025-06-02T09:00:00Z','operator',NULL,'create','user',1,'tech01',NULL,'{"username":"tech01","site":"REG01","role":"technician","active":"1"}','5837c1ce9d291a66ff3467aa27b1064cc43452b5b7d616412bd4a76faa7524b3','ed31ecc420ede12e962a845771eb022bf9de88554a90f0f3b2b549a7e685fd30',NULL);
INSERT INTO audit_event VALUES(23,'2025-06-02T09:00:00Z','operator',NULL,'create','sequencing_result',1,'OB0000000013',NULL,'{"specimen":"OB0000000013","kind":"germline","assay":"HBOC panel","genome":"GRCh38","file_name":"empty.vcf","vcf_sha256":"8960b21239fe3528b424057b54b3e2752d2802f52c14032512eca1f744595595","variants":"0","created_at":"2025-06-02T09:00:00Z","created_by":"operator"}','ed31ecc420ede12e962a845771eb022bf9de88554a90f0f3b2b549a7e685fd30','e2f2822dd1fb6a8bf924891788169ec7bda968aa1e88d9f98c0d845c20195fac',NULL);
CREATE TABLE import_deferred_status (
	line BIGINT NOT NULL,
	barcode TEXT NOT NULL,
	status TEXT NOT NULL
);
CREATE TABLE app_user (
	id INTEGER PRIMARY KEY,
	username TEXT NOT NULL UNIQUE,
	site_id BIGINT REFERENCES site (id),
	role TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	active INTEGER NOT NULL DEFAULT 1,
	created_at TEXT NOT NULL
, identifiers TEXT);
INSERT INTO app_user VALUES(1,'tech01',2,'technician','$argon2id$v=19$m=65536,t=2,p=1$/VVxeXJTeU1f1ML83cqg8w$/SIlZ55Qf/225KlmQMqCEm74Ulmiuss6xtm+4dYCVfk',1,'2025-06-02T09:00:00Z',NULL);
CREATE TABLE app_session (
	id INTEGER PRIMARY KEY,
	token_hash TEXT NOT NULL UNIQUE,
	user_id BIGINT NOT NULL REFERENCES app_user (id),
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL,
	ended_at TEXT
);
CREATE TABLE login_attempt (
	id INTEGER PRIMARY KEY,
	username TEXT NOT NULL,
	address TEXT NOT NULL,
	at TEXT NOT NULL,
	ok INTEGER NOT NULL
);
CREATE TABLE kb_release (
	id INTEGER PRIMARY KEY,
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
CREATE TABLE kb_evidence (
	id INTEGER PRIMARY KEY,
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
CREATE TABLE kb_unmapped (
	id INTEGER PRIMARY KEY,
	release_id BIGINT NOT NULL REFERENCES kb_release (id),
	source_id TEXT NOT NULL,
	gene TEXT NOT NULL,
	variant TEXT NOT NULL,
	disease TEXT NOT NULL,
	reason TEXT NOT NULL,
	detail TEXT NOT NULL
);
CREATE TABLE clinvar_release (
	id INTEGER PRIMARY KEY,
	file_date TEXT NOT NULL,        -- ##fileDate of the VCF, YYYY-MM-DD
	reference TEXT NOT NULL,        -- ##reference, e.g. GRCh38
	source_file TEXT NOT NULL,      -- file name as given (no directory)
	imported_at TEXT NOT NULL,      -- ISO 8601 UTC
	records_read BIGINT NOT NULL,
	records_stored BIGINT NOT NULL,
	protein_derived INTEGER NOT NULL, -- 1: protein changes derived by annotation at import
	UNIQUE (file_date, reference)
);
CREATE TABLE clinvar_variant (
	id INTEGER PRIMARY KEY,
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
CREATE TABLE sequencing_result (
	id INTEGER PRIMARY KEY,
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
INSERT INTO sequencing_result VALUES(1,1,'germline','HBOC panel',NULL,NULL,NULL,'GRCh38','empty.vcf',replace('##fileformat=VCFv4.2\n#CHROM	POS	ID	REF	ALT	QUAL	FILTER	INFO\n','\n',char(10)),'8960b21239fe3528b424057b54b3e2752d2802f52c14032512eca1f744595595',0,'2025-06-02T09:00:00Z','operator');
CREATE TABLE study (
	id INTEGER PRIMARY KEY,
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
CREATE TABLE study_site (
	study_id BIGINT NOT NULL REFERENCES study (id),
	site_id BIGINT NOT NULL REFERENCES site (id),
	PRIMARY KEY (study_id, site_id)
);
CREATE TABLE consent_form (
	id INTEGER PRIMARY KEY,
	version TEXT NOT NULL UNIQUE,
	title TEXT NOT NULL,
	effective_on TEXT,
	created_at TEXT NOT NULL
);
CREATE TABLE study_form (
	study_id BIGINT NOT NULL REFERENCES study (id),
	form_id BIGINT NOT NULL REFERENCES consent_form (id),
	PRIMARY KEY (study_id, form_id)
);
CREATE TABLE study_event (
	id INTEGER PRIMARY KEY,
	study_id BIGINT NOT NULL REFERENCES study (id),
	code TEXT NOT NULL,
	label TEXT NOT NULL,
	position INTEGER NOT NULL,
	day INTEGER NOT NULL DEFAULT 0,
	UNIQUE (study_id, code)
);
CREATE TABLE study_requirement (
	id INTEGER PRIMARY KEY,
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
CREATE TABLE study_member (
	study_id BIGINT NOT NULL REFERENCES study (id),
	user_id BIGINT NOT NULL REFERENCES app_user (id),
	role TEXT NOT NULL CHECK (role IN ('investigator', 'coordinator')),
	PRIMARY KEY (study_id, user_id)
);
CREATE TABLE study_participant (
	id INTEGER PRIMARY KEY,
	study_id BIGINT NOT NULL REFERENCES study (id),
	donor_id BIGINT NOT NULL REFERENCES donor (id),
	site_id BIGINT NOT NULL REFERENCES site (id),
	ppid TEXT NOT NULL,
	enrolled_on TEXT NOT NULL,
	UNIQUE (study_id, ppid),
	UNIQUE (study_id, donor_id)
);
CREATE TABLE donor_identifier (
	id INTEGER PRIMARY KEY,
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
CREATE INDEX site_path ON site (path);
CREATE INDEX diagnosis_donor ON diagnosis (donor_id);
CREATE INDEX diagnosis_codes ON diagnosis (topography, morphology);
CREATE INDEX consent_donor ON consent (donor_id);
CREATE INDEX container_parent ON container (parent_id);
CREATE INDEX container_path ON container (path);
CREATE INDEX specimen_parent ON specimen (parent_id);
CREATE INDEX specimen_label ON specimen (label);
CREATE INDEX specimen_donor ON specimen (donor_id);
CREATE INDEX specimen_site_type ON specimen (site_id, type, status);
CREATE INDEX specimen_type_status ON specimen (type, status);
CREATE INDEX audit_entity ON audit_event (entity, entity_id);
CREATE INDEX app_session_user ON app_session (user_id);
CREATE INDEX login_attempt_user ON login_attempt (username, at);
CREATE INDEX login_attempt_address ON login_attempt (address, at);
CREATE INDEX kb_evidence_release ON kb_evidence (release_id);
CREATE INDEX kb_evidence_gene ON kb_evidence (gene);
CREATE INDEX kb_unmapped_release ON kb_unmapped (release_id);
CREATE INDEX clinvar_variant_locus ON clinvar_variant (chrom, pos, release_id);
CREATE INDEX clinvar_variant_residue ON clinvar_variant (gene, protein_pos, release_id);
CREATE INDEX clinvar_variant_release ON clinvar_variant (release_id);
CREATE INDEX sequencing_result_specimen ON sequencing_result (specimen_id);
CREATE INDEX study_member_user ON study_member (user_id);
CREATE INDEX study_participant_donor ON study_participant (donor_id);
CREATE INDEX specimen_study ON specimen (study_id, event_id);
CREATE INDEX donor_identifier_lookup ON donor_identifier (site_id, kind, lookup);
COMMIT;
