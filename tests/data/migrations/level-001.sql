PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE schema_migration ( version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);
INSERT INTO schema_migration VALUES(1,'001_biobank','2026-12-07T17:12:08Z');
CREATE TABLE site (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('center', 'sub-center', 'regional', 'hospital')),
	parent_id BIGINT REFERENCES site (id),
	path TEXT NOT NULL
);
INSERT INTO site VALUES(1,'NCC','National Cancer Center','center',NULL,'/NCC/');
INSERT INTO site VALUES(2,'REG01','Regional Center 1','regional',1,'/NCC/REG01/');
INSERT INTO site VALUES(3,'HOS01','HOS01','hospital',2,'/NCC/REG01/HOS01/');
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
	created_at TEXT NOT NULL,
	UNIQUE (container_id, position)
);
INSERT INTO specimen VALUES(1,'OB0000000013',NULL,2,1,NULL,'primary','plasma',NULL,'unknown',NULL,3.0,4.0,'ml','2025-05-02T08:30:00Z','PL1-PED-A-D-X-X-X','reserved',0,2,'A1',NULL,NULL,NULL,NULL,'2025-06-02T09:00:00Z');
INSERT INTO specimen VALUES(2,'OB0000000021',NULL,2,1,1,'aliquot','plasma',NULL,'unknown',NULL,0.5,0.5,'ml','2025-06-02T09:00:00Z','PL1-PED-A-D-X-X-X','available',0,2,'B1',NULL,NULL,NULL,NULL,'2025-06-02T09:00:00Z');
INSERT INTO specimen VALUES(3,'OB0000000030',NULL,2,1,1,'aliquot','plasma',NULL,'unknown',NULL,0.5,0.5,'ml','2025-06-02T09:00:00Z','PL1-PED-A-D-X-X-X','available',0,2,'B2',NULL,NULL,NULL,NULL,'2025-06-02T09:00:00Z');
INSERT INTO specimen VALUES(4,'OB000000004Y',NULL,3,2,NULL,'primary','whole_blood',NULL,'unknown',NULL,5.0,5.0,'ml','2025-05-03T10:00:00Z',NULL,'available',0,NULL,NULL,NULL,NULL,NULL,NULL,'2025-06-02T09:00:00Z');
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
);
INSERT INTO audit_event VALUES(1,'2025-06-02T09:00:00Z','operator',NULL,'create','site',1,'NCC',NULL,'{"code":"NCC","name":"National Cancer Center","kind":"center"}','0000000000000000000000000000000000000000000000000000000000000000','80da40dbec3090e7214f9328de1ff1579c671d155e0b10257a33099c1f5e19ff');
INSERT INTO audit_event VALUES(2,'2025-06-02T09:00:00Z','operator',NULL,'create','site',2,'REG01',NULL,'{"code":"REG01","name":"Regional Center 1","kind":"regional","parent":"NCC"}','80da40dbec3090e7214f9328de1ff1579c671d155e0b10257a33099c1f5e19ff','d6ac66e6c8aa1848a2fcecae6acaf48181d7f09897301842f4aaf4c772334dac');
INSERT INTO audit_event VALUES(3,'2025-06-02T09:00:00Z','operator',NULL,'create','site',3,'HOS01',NULL,'{"code":"HOS01","name":"HOS01","kind":"hospital","parent":"REG01"}','d6ac66e6c8aa1848a2fcecae6acaf48181d7f09897301842f4aaf4c772334dac','fa2ef392c96bb33976be6d615f438c8a5f9c65943371b9e5b52bf92407a61dce');
INSERT INTO audit_event VALUES(4,'2025-06-02T09:00:00Z','operator',NULL,'create','donor',1,'D1',NULL,'{"site":"REG01","code":"D1","sex":"female","birth_year":"1968","consent_mask":"0","withdrawn":"0"}','fa2ef392c96bb33976be6d615f438c8a5f9c65943371b9e5b52bf92407a61dce','65deefb8afe794319a54d3f4d704fb1197adf0a72b6be1244eb593194f328302');
INSERT INTO audit_event VALUES(5,'2025-06-02T09:00:00Z','operator',NULL,'create','diagnosis',1,'D1',NULL,'{"site":"REG01","donor":"D1","topography":"C50.9","morphology":"8500/3","diagnosed_on":"2025-05-01T00:00:00Z"}','65deefb8afe794319a54d3f4d704fb1197adf0a72b6be1244eb593194f328302','96ce074bf9d428fd717e313f5e37c477654a0bf122083b8fd26eab8347f4b813');
INSERT INTO audit_event VALUES(6,'2025-06-02T09:00:00Z','operator',NULL,'consent','donor',1,NULL,'{"site":"REG01","code":"D1","sex":"female","birth_year":"1968","consent_mask":"0","withdrawn":"0"}','{"site":"REG01","code":"D1","sex":"female","birth_year":"1968","consent_mask":"15","withdrawn":"0"}','96ce074bf9d428fd717e313f5e37c477654a0bf122083b8fd26eab8347f4b813','cd090104a9450de60f75058785cbc00e63754fed01c1fee929b0d9554a45f820');
INSERT INTO audit_event VALUES(7,'2025-06-02T09:00:00Z','operator',NULL,'create','consent',1,'D1',NULL,'{"site":"REG01","donor":"D1","form_version":"v3","signed_on":"2025-01-05T00:00:00Z","storage":"1","research":"1","genetic":"1","sharing":"1","recontact":"0"}','cd090104a9450de60f75058785cbc00e63754fed01c1fee929b0d9554a45f820','a2ff9ec40e2a4202ed477874175adda2f23854a02987e6b92fbb89ee64fa268a');
INSERT INTO audit_event VALUES(8,'2025-06-02T09:00:00Z','operator',NULL,'create','donor',2,'D2',NULL,'{"site":"HOS01","code":"D2","sex":"male","birth_year":"1955","consent_mask":"0","withdrawn":"0"}','a2ff9ec40e2a4202ed477874175adda2f23854a02987e6b92fbb89ee64fa268a','281a0f2f74f76574dfbbf383fbaa906189270d9624eacc88cc6d67ce7dd78404');
INSERT INTO audit_event VALUES(9,'2025-06-02T09:00:00Z','operator',NULL,'consent','donor',2,NULL,'{"site":"HOS01","code":"D2","sex":"male","birth_year":"1955","consent_mask":"0","withdrawn":"0"}','{"site":"HOS01","code":"D2","sex":"male","birth_year":"1955","consent_mask":"3","withdrawn":"0"}','281a0f2f74f76574dfbbf383fbaa906189270d9624eacc88cc6d67ce7dd78404','bbc24f7c7656a24ebfa39b5b7d63c3753a9d07b7c061a46561b3dc53a8fd8414');
INSERT INTO audit_event VALUES(10,'2025-06-02T09:00:00Z','operator',NULL,'create','consent',2,'D2',NULL,'{"site":"HOS01","donor":"D2","form_version":"v3","signed_on":"2025-02-01T00:00:00Z","storage":"1","research":"1","genetic":"0","sharing":"0","recontact":"0"}','bbc24f7c7656a24ebfa39b5b7d63c3753a9d07b7c061a46561b3dc53a8fd8414','0082493707efd8dd5a17a3e43e0f557af522b5ba67f25a45560e01dc88123ada');
INSERT INTO audit_event VALUES(11,'2025-06-02T09:00:00Z','operator',NULL,'create','container',1,'FRZ1',NULL,'{"barcode":"FRZ1","name":"FRZ1","kind":"freezer","site":"REG01","temperature":"-80.0"}','0082493707efd8dd5a17a3e43e0f557af522b5ba67f25a45560e01dc88123ada','0171764b63a0d8d4eadc98cc68e522bff75b7886cf70f4b514fbac32e346d927');
INSERT INTO audit_event VALUES(12,'2025-06-02T09:00:00Z','operator',NULL,'create','container',2,'BOX1',NULL,'{"barcode":"BOX1","name":"BOX1","kind":"box","site":"REG01","parent":"FRZ1","nrows":"9","ncols":"9","scheme":"A1"}','0171764b63a0d8d4eadc98cc68e522bff75b7886cf70f4b514fbac32e346d927','e812768f884d739fcff29f303afe16eb6c6ef40003a0a3dd2345e9fa11d1e8f9');
INSERT INTO audit_event VALUES(13,'2025-06-02T09:00:00Z','operator',NULL,'create','specimen',1,'OB0000000013',NULL,'{"barcode":"OB0000000013","site":"REG01","donor":"D1","donor_site":"REG01","type":"plasma","lineage":"primary","pathology":"unknown","quantity":"4.0","initial_quantity":"4.0","unit":"ml","collected_at":"2025-05-02T08:30:00Z","sprec":"PL1-PED-A-D-X-X-X","status":"available","freeze_thaw":"0","container":"BOX1","position":"A1","collection":"PED","precentrifugation_min":"45.0","precentrifugation_temp":"RT","centrifugation":"4/10/2000/brake"}','e812768f884d739fcff29f303afe16eb6c6ef40003a0a3dd2345e9fa11d1e8f9','ed183395680c7bb35082779b7bdd56cf261f15a0c20867de70cecf8568ec9f1c');
INSERT INTO audit_event VALUES(14,'2025-06-02T09:00:00Z','operator',NULL,'portion-taken','specimen',1,'OB0000000013','{"barcode":"OB0000000013","site":"REG01","donor":"D1","donor_site":"REG01","type":"plasma","lineage":"primary","pathology":"unknown","quantity":"4.0","initial_quantity":"4.0","unit":"ml","collected_at":"2025-05-02T08:30:00Z","sprec":"PL1-PED-A-D-X-X-X","status":"available","freeze_thaw":"0","container":"BOX1","position":"A1","collection":"PED","precentrifugation_min":"45.0","precentrifugation_temp":"RT","centrifugation":"4/10/2000/brake"}','{"barcode":"OB0000000013","site":"REG01","donor":"D1","donor_site":"REG01","type":"plasma","lineage":"primary","pathology":"unknown","quantity":"3.5","initial_quantity":"4.0","unit":"ml","collected_at":"2025-05-02T08:30:00Z","sprec":"PL1-PED-A-D-X-X-X","status":"available","freeze_thaw":"0","container":"BOX1","position":"A1","collection":"PED","precentrifugation_min":"45.0","precentrifugation_temp":"RT","centrifugation":"4/10/2000/brake"}','ed183395680c7bb35082779b7bdd56cf261f15a0c20867de70cecf8568ec9f1c','9afa277048636a827c0366a05b7d7ca99fbd789892a0b07024b6177677dbe994');
INSERT INTO audit_event VALUES(15,'2025-06-02T09:00:00Z','operator',NULL,'create','specimen',2,'OB0000000021',NULL,'{"barcode":"OB0000000021","site":"REG01","donor":"D1","donor_site":"REG01","type":"plasma","parent":"OB0000000013","lineage":"aliquot","pathology":"unknown","quantity":"0.5","initial_quantity":"0.5","unit":"ml","collected_at":"2025-06-02T09:00:00Z","sprec":"PL1-PED-A-D-X-X-X","status":"available","freeze_thaw":"0","container":"BOX1","position":"B1"}','9afa277048636a827c0366a05b7d7ca99fbd789892a0b07024b6177677dbe994','f1a37adcec5d366281bbf6177beae69edc135f1848a4eb783a8206b6a6a9a1e9');
INSERT INTO audit_event VALUES(16,'2025-06-02T09:00:00Z','operator',NULL,'portion-taken','specimen',1,'OB0000000013','{"barcode":"OB0000000013","site":"REG01","donor":"D1","donor_site":"REG01","type":"plasma","lineage":"primary","pathology":"unknown","quantity":"3.5","initial_quantity":"4.0","unit":"ml","collected_at":"2025-05-02T08:30:00Z","sprec":"PL1-PED-A-D-X-X-X","status":"available","freeze_thaw":"0","container":"BOX1","position":"A1","collection":"PED","precentrifugation_min":"45.0","precentrifugation_temp":"RT","centrifugation":"4/10/2000/brake"}','{"barcode":"OB0000000013","site":"REG01","donor":"D1","donor_site":"REG01","type":"plasma","lineage":"primary","pathology":"unknown","quantity":"3.0","initial_quantity":"4.0","unit":"ml","collected_at":"2025-05-02T08:30:00Z","sprec":"PL1-PED-A-D-X-X-X","status":"available","freeze_thaw":"0","container":"BOX1","position":"A1","collection":"PED","precentrifugation_min":"45.0","precentrifugation_temp":"RT","centrifugation":"4/10/2000/brake"}','f1a37adcec5d366281bbf6177beae69edc135f1848a4eb783a8206b6a6a9a1e9','e890bf0dcb38a90f2691aada56df0929d58007f0c02d5c8718b189484fe42d07');
INSERT INTO audit_event VALUES(17,'2025-06-02T09:00:00Z','operator',NULL,'create','specimen',3,'OB0000000030',NULL,'{"barcode":"OB0000000030","site":"REG01","donor":"D1","donor_site":"REG01","type":"plasma","parent":"OB0000000013","lineage":"aliquot","pathology":"unknown","quantity":"0.5","initial_quantity":"0.5","unit":"ml","collected_at":"2025-06-02T09:00:00Z","sprec":"PL1-PED-A-D-X-X-X","status":"available","freeze_thaw":"0","container":"BOX1","position":"B2"}','e890bf0dcb38a90f2691aada56df0929d58007f0c02d5c8718b189484fe42d07','8ce530d7db3afb677ae46dccb2e481fc8cfd0db8929a9444238965cb96d3b0ba');
INSERT INTO audit_event VALUES(18,'2025-06-02T09:00:00Z','operator',NULL,'create','specimen',4,'OB000000004Y',NULL,'{"barcode":"OB000000004Y","site":"HOS01","donor":"D2","donor_site":"HOS01","type":"whole_blood","lineage":"primary","pathology":"unknown","quantity":"5.0","initial_quantity":"5.0","unit":"ml","collected_at":"2025-05-03T10:00:00Z","status":"available","freeze_thaw":"0"}','8ce530d7db3afb677ae46dccb2e481fc8cfd0db8929a9444238965cb96d3b0ba','e739afaf09413a9add9cfb90d869512d98a73a806996c18d097e34a64757f1ce');
INSERT INTO audit_event VALUES(19,'2025-06-02T09:00:00Z','operator',NULL,'status:reserved','specimen',1,'OB0000000013','{"barcode":"OB0000000013","site":"REG01","donor":"D1","donor_site":"REG01","type":"plasma","lineage":"primary","pathology":"unknown","quantity":"3.0","initial_quantity":"4.0","unit":"ml","collected_at":"2025-05-02T08:30:00Z","sprec":"PL1-PED-A-D-X-X-X","status":"available","freeze_thaw":"0","container":"BOX1","position":"A1","collection":"PED","precentrifugation_min":"45.0","precentrifugation_temp":"RT","centrifugation":"4/10/2000/brake"}','{"barcode":"OB0000000013","site":"REG01","donor":"D1","donor_site":"REG01","type":"plasma","lineage":"primary","pathology":"unknown","quantity":"3.0","initial_quantity":"4.0","unit":"ml","collected_at":"2025-05-02T08:30:00Z","sprec":"PL1-PED-A-D-X-X-X","status":"reserved","freeze_thaw":"0","container":"BOX1","position":"A1","collection":"PED","precentrifugation_min":"45.0","precentrifugation_temp":"RT","centrifugation":"4/10/2000/brake"}','e739afaf09413a9add9cfb90d869512d98a73a806996c18d097e34a64757f1ce','c6fdd133872152b50740925ced751320ae8201d5d6dd300279950461e3553264');
INSERT INTO audit_event VALUES(20,'2025-06-02T09:00:00Z','operator',NULL,'status-reason','note',NULL,'OB0000000013',NULL,'{"reason":"project P-12"}','c6fdd133872152b50740925ced751320ae8201d5d6dd300279950461e3553264','f04038e37cf6403e63f6251f5f4876978543ed034d096923d8af32568ac500ed');
INSERT INTO audit_event VALUES(21,'2025-06-02T09:00:00Z','operator',NULL,'consent','donor',2,NULL,'{"site":"HOS01","code":"D2","sex":"male","birth_year":"1955","consent_mask":"3","withdrawn":"0"}','{"site":"HOS01","code":"D2","sex":"male","birth_year":"1955","consent_mask":"0","withdrawn":"1"}','f04038e37cf6403e63f6251f5f4876978543ed034d096923d8af32568ac500ed','c40843deee70e76858cf5500738659179c407ad3880b16feeaa9aa50bd86e2e7');
INSERT INTO audit_event VALUES(22,'2025-06-02T09:00:00Z','operator',NULL,'withdraw','consent',2,'D2','{"site":"HOS01","donor":"D2","form_version":"v3","signed_on":"2025-02-01T00:00:00Z","storage":"1","research":"1","genetic":"0","sharing":"0","recontact":"0"}','{"site":"HOS01","donor":"D2","form_version":"v3","signed_on":"2025-02-01T00:00:00Z","storage":"1","research":"1","genetic":"0","sharing":"0","recontact":"0","withdrawn_on":"2025-05-20T00:00:00Z","withdrawn_by":"operator","withdrawal_reason":"asked by the donor"}','c40843deee70e76858cf5500738659179c407ad3880b16feeaa9aa50bd86e2e7','daf298ce119fde9fed9a7ea4983bb549a35a101187dfabeee727b5b6767d9ff0');
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
COMMIT;
