PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE schema_migration ( version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);
INSERT INTO schema_migration VALUES(1,'001_biobank','2026-12-08T01:50:03Z');
INSERT INTO schema_migration VALUES(2,'002_import_deferred','2026-12-08T01:50:03Z');
INSERT INTO schema_migration VALUES(3,'003_audit_reason','2026-12-08T01:50:03Z');
INSERT INTO schema_migration VALUES(4,'004_accounts','2026-12-08T01:50:03Z');
INSERT INTO schema_migration VALUES(5,'005_knowledge','2026-12-08T01:50:03Z');
INSERT INTO schema_migration VALUES(6,'006_germline','2026-12-08T01:50:03Z');
INSERT INTO schema_migration VALUES(7,'007_sequencing','2026-12-08T01:50:03Z');
INSERT INTO schema_migration VALUES(8,'008_site_retired','2026-12-08T01:50:04Z');
INSERT INTO schema_migration VALUES(9,'009_studies','2026-12-08T01:50:04Z');
INSERT INTO schema_migration VALUES(10,'010_consent_statements','2026-12-08T01:50:04Z');
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
INSERT INTO donor VALUES(3,3,'D3','female',1971,4,0);
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
	withdrawn_on TEXT,
	withdrawn_by TEXT,
	withdrawal_reason TEXT
, form_id BIGINT REFERENCES consent_form (id), witness TEXT, recorded_by TEXT, disposition TEXT);
INSERT INTO consent VALUES(1,1,'v3','2025-01-05T00:00:00Z',NULL,NULL,NULL,1,NULL,'operator',NULL);
INSERT INTO consent VALUES(2,2,'v3','2025-02-01T00:00:00Z','2025-05-20T00:00:00Z','operator','asked by the donor',1,NULL,'operator','keep');
INSERT INTO consent VALUES(3,3,'v4','2025-03-01T00:00:00Z',NULL,NULL,NULL,2,'Nurse Li','operator',NULL);
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
INSERT INTO specimen VALUES(4,'OB000000004Y',NULL,3,2,NULL,'primary','whole_blood',NULL,'unknown',NULL,5.0,5.0,'ml','2025-05-03T10:00:00Z',NULL,'available',0,NULL,NULL,NULL,NULL,NULL,NULL,'2025-06-02T09:00:00Z',NULL,NULL,NULL,'keep');
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
INSERT INTO audit_event VALUES(6,'2025-06-02T09:00:00Z','operator',NULL,'create','consent_form',1,'v3',NULL,'{"version":"v3","title":"Consent form v3","effective_on":"2025-01-05T00:00:00Z","created_at":"2025-01-05T00:00:00Z"}','ebded2cde0ea1c5718ec85aef60a1c195e2f95a17a858f8a25532a8b0a3e7cee','5c20c6e5b0a5595534de3c411ecdd4e9798df18304bb651dafa19988d7faa099',NULL);
INSERT INTO audit_event VALUES(7,'2025-06-02T09:00:00Z','operator',NULL,'create','consent_statement',1,'STORAGE',NULL,'{"form_version":"v3","code":"STORAGE","position":"1","text":"My samples may be stored in the biobank.","text_zh":"我同意我的样本保存在生物样本库。","uses":"1"}','5c20c6e5b0a5595534de3c411ecdd4e9798df18304bb651dafa19988d7faa099','d617d7cf6932392cb633c07fbb5db661c06cf77721ac87daab9ad8ad18ee96d2',NULL);
INSERT INTO audit_event VALUES(8,'2025-06-02T09:00:00Z','operator',NULL,'create','consent_statement',2,'RESEARCH',NULL,'{"form_version":"v3","code":"RESEARCH","position":"2","text":"My samples and data may be used for medical research.","text_zh":"我同意我的样本和数据用于医学研究。","uses":"2"}','d617d7cf6932392cb633c07fbb5db661c06cf77721ac87daab9ad8ad18ee96d2','0a526070885f4c1f42d6c824b25ac11ca0173f1c1b9a1644ed8d84cd63e1b185',NULL);
INSERT INTO audit_event VALUES(9,'2025-06-02T09:00:00Z','operator',NULL,'create','consent_statement',3,'GENETIC',NULL,'{"form_version":"v3","code":"GENETIC","position":"3","text":"My samples may be used for genetic research.","text_zh":"我同意我的样本用于遗传学研究。","uses":"4"}','0a526070885f4c1f42d6c824b25ac11ca0173f1c1b9a1644ed8d84cd63e1b185','8215191bceeeebe0ca7b058c230f9e542bc988a8d842c11a154345c97159c1b1',NULL);
INSERT INTO audit_event VALUES(10,'2025-06-02T09:00:00Z','operator',NULL,'create','consent_statement',4,'SHARING',NULL,'{"form_version":"v3","code":"SHARING","position":"4","text":"My coded data may be shared with researchers outside the network.","text_zh":"我同意我的编码数据与网络以外的研究者共享。","uses":"8"}','8215191bceeeebe0ca7b058c230f9e542bc988a8d842c11a154345c97159c1b1','24f693adc2605852e9b39bd1b5fdf65ea8fe626f0a366b6ab2ad2a53d518ac86',NULL);
INSERT INTO audit_event VALUES(11,'2025-06-02T09:00:00Z','operator',NULL,'create','consent_statement',5,'RECONTACT',NULL,'{"form_version":"v3","code":"RECONTACT","position":"5","text":"I may be contacted again about this research.","text_zh":"我同意就本研究再次与我联系。","uses":"16"}','24f693adc2605852e9b39bd1b5fdf65ea8fe626f0a366b6ab2ad2a53d518ac86','76ac0d79674636408d0638ab08aaa160fda23f4e86d013d4be5d288946c5dba8',NULL);
INSERT INTO audit_event VALUES(12,'2025-06-02T09:00:00Z','operator',NULL,'create','consent',1,'D1',NULL,'{"site":"REG01","donor":"D1","form_version":"v3","signed_on":"2025-01-05T00:00:00Z","recorded_by":"operator"}','76ac0d79674636408d0638ab08aaa160fda23f4e86d013d4be5d288946c5dba8','eedeaa48151882cedbe7089c7dc39e71c825ba592e90beaf478bb7b513b39136',NULL);
INSERT INTO audit_event VALUES(13,'2025-06-02T09:00:00Z','operator',NULL,'create','consent_response',1,'D1',NULL,'{"consent":"1","statement":"STORAGE","response":"yes"}','eedeaa48151882cedbe7089c7dc39e71c825ba592e90beaf478bb7b513b39136','51bfc8202abe1f4daf5dcc48255243cfef9938b6855be68b47d94029cae82932',NULL);
INSERT INTO audit_event VALUES(14,'2025-06-02T09:00:00Z','operator',NULL,'create','consent_response',2,'D1',NULL,'{"consent":"1","statement":"RESEARCH","response":"yes"}','51bfc8202abe1f4daf5dcc48255243cfef9938b6855be68b47d94029cae82932','3e02fdac4065fc48122a49adc3e748f0c7191dde919d93740019b6fe3e31aebc',NULL);
INSERT INTO audit_event VALUES(15,'2025-06-02T09:00:00Z','operator',NULL,'create','consent_response',3,'D1',NULL,'{"consent":"1","statement":"GENETIC","response":"yes"}','3e02fdac4065fc48122a49adc3e748f0c7191dde919d93740019b6fe3e31aebc','e2e0f8939a93f943e91a0acb058cf5e8c4ef3385d2805cf49f606a9f5cdf6d87',NULL);
INSERT INTO audit_event VALUES(16,'2025-06-02T09:00:00Z','operator',NULL,'create','consent_response',4,'D1',NULL,'{"consent":"1","statement":"SHARING","response":"yes"}','e2e0f8939a93f943e91a0acb058cf5e8c4ef3385d2805cf49f606a9f5cdf6d87','c9585d5f98019eba20d598b413200fc5be2dd9d71fa6698a24131d3317e0911c',NULL);
INSERT INTO audit_event VALUES(17,'2025-06-02T09:00:00Z','operator',NULL,'create','consent_response',5,'D1',NULL,'{"consent":"1","statement":"RECONTACT","response":"no"}','c9585d5f98019eba20d598b413200fc5be2dd9d71fa6698a24131d3317e0911c','06fff65e72f3b6ee76e74ee31d8b5ad65482fc943bb25dd6716849834421b309',NULL);
INSERT INTO audit_event VALUES(18,'2025-06-02T09:00:00Z','operator',NULL,'consent','donor',1,NULL,'{"site":"REG01","code":"D1","sex":"female","birth_year":"1968","consent_mask":"0","withdrawn":"0"}','{"site":"REG01","code":"D1","sex":"female","birth_year":"1968","consent_mask":"15","withdrawn":"0"}','06fff65e72f3b6ee76e74ee31d8b5ad65482fc943bb25dd6716849834421b309','811a9f983a84bf1c558a61d10e7c993150967c51c115ce207b250354e3c2a5ac',NULL);
INSERT INTO audit_event VALUES(19,'2025-06-02T09:00:00Z','operator',NULL,'create','donor',2,'D2',NULL,'{"site":"HOS01","code":"D2","sex":"male","birth_year":"1955","consent_mask":"0","withdrawn":"0"}','811a9f983a84bf1c558a61d10e7c993150967c51c115ce207b250354e3c2a5ac','8de26619deaa04fe1f7cff9fec5b10d7b36f3325af274d814a6b18d8b2936ec4',NULL);
INSERT INTO audit_event VALUES(20,'2025-06-02T09:00:00Z','operator',NULL,'create','consent',2,'D2',NULL,'{"site":"HOS01","donor":"D2","form_version":"v3","signed_on":"2025-02-01T00:00:00Z","recorded_by":"operator"}','8de26619deaa04fe1f7cff9fec5b10d7b36f3325af274d814a6b18d8b2936ec4','ebe865b77e0bf360ca85e118b605d749d7de05e5bd3c52b34c71c87e14a8ce28',NULL);
INSERT INTO audit_event VALUES(21,'2025-06-02T09:00:00Z','operator',NULL,'create','consent_response',6,'D2',NULL,'{"consent":"2","statement":"STORAGE","response":"yes"}','ebe865b77e0bf360ca85e118b605d749d7de05e5bd3c52b34c71c87e14a8ce28','f15ae4ce42dce9800c66202faa8868a03cdce694792965c445b8fc91851331ee',NULL);
INSERT INTO audit_event VALUES(22,'2025-06-02T09:00:00Z','operator',NULL,'create','consent_response',7,'D2',NULL,'{"consent":"2","statement":"RESEARCH","response":"yes"}','f15ae4ce42dce9800c66202faa8868a03cdce694792965c445b8fc91851331ee','8366fafbd9bb08735cb2934eab675d453ca17116850acbd63b95f30799b47385',NULL);
INSERT INTO audit_event VALUES(23,'2025-06-02T09:00:00Z','operator',NULL,'create','consent_response',8,'D2',NULL,'{"consent":"2","statement":"GENETIC","response":"no"}','8366fafbd9bb08735cb2934eab675d453ca17116850acbd63b95f30799b47385','76065318b7d27ca6df7b0a8a7f56640bf611561633668bcbeb784b1546580a10',NULL);
INSERT INTO audit_event VALUES(24,'2025-06-02T09:00:00Z','operator',NULL,'create','consent_response',9,'D2',NULL,'{"consent":"2","statement":"SHARING","response":"no"}','76065318b7d27ca6df7b0a8a7f56640bf611561633668bcbeb784b1546580a10','26357d0c381c74ed6b90356134a4d89f8acc3c053dc97e465a9c52b841d3f910',NULL);
INSERT INTO audit_event VALUES(25,'2025-06-02T09:00:00Z','operator',NULL,'create','consent_response',10,'D2',NULL,'{"consent":"2","statement":"RECONTACT","response":"no"}','26357d0c381c74ed6b90356134a4d89f8acc3c053dc97e465a9c52b841d3f910','3a8948bdf64859659727f0d7d72cfd0191368e937b465fc9a467d004fd1bd325',NULL);
INSERT INTO audit_event VALUES(26,'2025-06-02T09:00:00Z','operator',NULL,'consent','donor',2,NULL,'{"site":"HOS01","code":"D2","sex":"male","birth_year":"1955","consent_mask":"0","withdrawn":"0"}','{"site":"HOS01","code":"D2","sex":"male","birth_year":"1955","consent_mask":"3","withdrawn":"0"}','3a8948bdf64859659727f0d7d72cfd0191368e937b465fc9a467d004fd1bd325','cdd0f2ea4619064f4da6ea9e6422254e7a6c994cef1e0c82d5ed589fb9eee91c',NULL);
INSERT INTO audit_event VALUES(27,'2025-06-02T09:00:00Z','operator',NULL,'create','container',1,'FRZ1',NULL,'{"barcode":"FRZ1","name":"FRZ1","kind":"freezer","site":"REG01","temperature":"-80.0"}','cdd0f2ea4619064f4da6ea9e6422254e7a6c994cef1e0c82d5ed589fb9eee91c','8bba44f15e0dda208bbd27ef55879a8072f00ab7b097d5aea945cb49ad8221ed',NULL);
INSERT INTO audit_event VALUES(28,'2025-06-02T09:00:00Z','operator',NULL,'create','container',2,'BOX1',NULL,'{"barcode":"BOX1","name":"BOX1","kind":"box","site":"REG01","parent":"FRZ1","nrows":"9","ncols":"9","scheme":"A1"}','8bba44f15e0dda208bbd27ef55879a8072f00ab7b097d5aea945cb49ad8221ed','14af951d3901081bb10266e16771d1ba188375dacdacc89cefcebfbc639861e8',NULL);
INSERT INTO audit_event VALUES(29,'2025-06-02T09:00:00Z','operator',NULL,'create','specimen',1,'OB0000000013',NULL,'{"barcode":"OB0000000013","site":"REG01","donor":"D1","donor_site":"REG01","type":"plasma","lineage":"primary","pathology":"unknown","quantity":"4.0","initial_quantity":"4.0","unit":"ml","collected_at":"2025-05-02T08:30:00Z","sprec":"PL1-PED-A-D-X-X-X","status":"available","freeze_thaw":"0","container":"BOX1","position":"A1","collection":"PED","precentrifugation_min":"45.0","precentrifugation_temp":"RT","centrifugation":"4/10/2000/brake"}','14af951d3901081bb10266e16771d1ba188375dacdacc89cefcebfbc639861e8','f5da5f0a60c8cae2cc044e18239705c818a2d224e1f17e32d9959f7bbf8fb605',NULL);
INSERT INTO audit_event VALUES(30,'2025-06-02T09:00:00Z','operator',NULL,'portion-taken','specimen',1,'OB0000000013','{"barcode":"OB0000000013","site":"REG01","donor":"D1","donor_site":"REG01","type":"plasma","lineage":"primary","pathology":"unknown","quantity":"4.0","initial_quantity":"4.0","unit":"ml","collected_at":"2025-05-02T08:30:00Z","sprec":"PL1-PED-A-D-X-X-X","status":"available","freeze_thaw":"0","container":"BOX1","position":"A1","collection":"PED","precentrifugation_min":"45.0","precentrifugation_temp":"RT","centrifugation":"4/10/2000/brake"}','{"barcode":"OB0000000013","site":"REG01","donor":"D1","donor_site":"REG01","type":"plasma","lineage":"primary","pathology":"unknown","quantity":"3.5","initial_quantity":"4.0","unit":"ml","collected_at":"2025-05-02T08:30:00Z","sprec":"PL1-PED-A-D-X-X-X","status":"available","freeze_thaw":"0","container":"BOX1","position":"A1","collection":"PED","precentrifugation_min":"45.0","precentrifugation_temp":"RT","centrifugation":"4/10/2000/brake"}','f5da5f0a60c8cae2cc044e18239705c818a2d224e1f17e32d9959f7bbf8fb605','760fb01d4442d7e16efa9228a2fb1970b8d5622c609a2bee8d9715933bda8a2b',NULL);
INSERT INTO audit_event VALUES(31,'2025-06-02T09:00:00Z','operator',NULL,'create','specimen',2,'OB0000000021',NULL,'{"barcode":"OB0000000021","site":"REG01","donor":"D1","donor_site":"REG01","type":"plasma","parent":"OB0000000013","lineage":"aliquot","pathology":"unknown","quantity":"0.5","initial_quantity":"0.5","unit":"ml","collected_at":"2025-06-02T09:00:00Z","sprec":"PL1-PED-A-D-X-X-X","status":"available","freeze_thaw":"0","container":"BOX1","position":"B1"}','760fb01d4442d7e16efa9228a2fb1970b8d5622c609a2bee8d9715933bda8a2b','f815a91f818ad4436c1b87f74a48dc12f971b8632f83a4f565930487c0851626',NULL);
INSERT INTO audit_event VALUES(32,'2025-06-02T09:00:00Z','operator',NULL,'portion-taken','specimen',1,'OB0000000013','{"barcode":"OB0000000013","site":"REG01","donor":"D1","donor_site":"REG01","type":"plasma","lineage":"primary","pathology":"unknown","quantity":"3.5","initial_quantity":"4.0","unit":"ml","collected_at":"2025-05-02T08:30:00Z","sprec":"PL1-PED-A-D-X-X-X","status":"available","freeze_thaw":"0","container":"BOX1","position":"A1","collection":"PED","precentrifugation_min":"45.0","precentrifugation_temp":"RT","centrifugation":"4/10/2000/brake"}','{"barcode":"OB0000000013","site":"REG01","donor":"D1","donor_site":"REG01","type":"plasma","lineage":"primary","pathology":"unknown","quantity":"3.0","initial_quantity":"4.0","unit":"ml","collected_at":"2025-05-02T08:30:00Z","sprec":"PL1-PED-A-D-X-X-X","status":"available","freeze_thaw":"0","container":"BOX1","position":"A1","collection":"PED","precentrifugation_min":"45.0","precentrifugation_temp":"RT","centrifugation":"4/10/2000/brake"}','f815a91f818ad4436c1b87f74a48dc12f971b8632f83a4f565930487c0851626','553c62f7dc7268230d94df1b24554102b0fc874bdfc09dd67b5ff0c609f8b61d',NULL);
INSERT INTO audit_event VALUES(33,'2025-06-02T09:00:00Z','operator',NULL,'create','specimen',3,'OB0000000030',NULL,'{"barcode":"OB0000000030","site":"REG01","donor":"D1","donor_site":"REG01","type":"plasma","parent":"OB0000000013","lineage":"aliquot","pathology":"unknown","quantity":"0.5","initial_quantity":"0.5","unit":"ml","collected_at":"2025-06-02T09:00:00Z","sprec":"PL1-PED-A-D-X-X-X","status":"available","freeze_thaw":"0","container":"BOX1","position":"B2"}','553c62f7dc7268230d94df1b24554102b0fc874bdfc09dd67b5ff0c609f8b61d','16c33ab4eb73fb5b0200eb44f38dcb1b05f286c160c5a32476319a3839390127',NULL);
INSERT INTO audit_event VALUES(34,'2025-06-02T09:00:00Z','operator',NULL,'create','specimen',4,'OB000000004Y',NULL,'{"barcode":"OB000000004Y","site":"HOS01","donor":"D2","donor_site":"HOS01","type":"whole_blood","lineage":"primary","pathology":"unknown","quantity":"5.0","initial_quantity":"5.0","unit":"ml","collected_at":"2025-05-03T10:00:00Z","status":"available","freeze_thaw":"0"}','16c33ab4eb73fb5b0200eb44f38dcb1b05f286c160c5a32476319a3839390127','0a0ac7b50fc6bd3b1e83a0eeb5e9375993e305585cfd5e435e34b671acd08ce0',NULL);
INSERT INTO audit_event VALUES(35,'2025-06-02T09:00:00Z','operator',NULL,'status:reserved','specimen',1,'OB0000000013','{"barcode":"OB0000000013","site":"REG01","donor":"D1","donor_site":"REG01","type":"plasma","lineage":"primary","pathology":"unknown","quantity":"3.0","initial_quantity":"4.0","unit":"ml","collected_at":"2025-05-02T08:30:00Z","sprec":"PL1-PED-A-D-X-X-X","status":"available","freeze_thaw":"0","container":"BOX1","position":"A1","collection":"PED","precentrifugation_min":"45.0","precentrifugation_temp":"RT","centrifugation":"4/10/2000/brake"}','{"barcode":"OB0000000013","site":"REG01","donor":"D1","donor_site":"REG01","type":"plasma","lineage":"primary","pathology":"unknown","quantity":"3.0","initial_quantity":"4.0","unit":"ml","collected_at":"2025-05-02T08:30:00Z","sprec":"PL1-PED-A-D-X-X-X","status":"reserved","freeze_thaw":"0","container":"BOX1","position":"A1","collection":"PED","precentrifugation_min":"45.0","precentrifugation_temp":"RT","centrifugation":"4/10/2000/brake"}','0a0ac7b50fc6bd3b1e83a0eeb5e9375993e305585cfd5e435e34b671acd08ce0','629f7c564d201353bcf162f263d29cc9664f12ad9af51027efc7bad0d8251ee7','project P-12');
INSERT INTO audit_event VALUES(36,'2025-06-02T09:00:00Z','operator',NULL,'consent','donor',2,NULL,'{"site":"HOS01","code":"D2","sex":"male","birth_year":"1955","consent_mask":"3","withdrawn":"0"}','{"site":"HOS01","code":"D2","sex":"male","birth_year":"1955","consent_mask":"0","withdrawn":"1"}','629f7c564d201353bcf162f263d29cc9664f12ad9af51027efc7bad0d8251ee7','270acac5c237d484ada2e608b22e47300b6eba6c21947ab068cdd9211fdf1965',NULL);
INSERT INTO audit_event VALUES(37,'2025-06-02T09:00:00Z','operator',NULL,'withdraw','consent',2,'D2','{"site":"HOS01","donor":"D2","form_version":"v3","signed_on":"2025-02-01T00:00:00Z","recorded_by":"operator"}','{"site":"HOS01","donor":"D2","form_version":"v3","signed_on":"2025-02-01T00:00:00Z","recorded_by":"operator","withdrawn_on":"2025-05-20T00:00:00Z","withdrawn_by":"operator","withdrawal_reason":"asked by the donor","disposition":"keep"}','270acac5c237d484ada2e608b22e47300b6eba6c21947ab068cdd9211fdf1965','2c16807add9794aecc91a026e336cbdb1184d56889d8e4d81f1c8c5c7a28ecca',NULL);
INSERT INTO audit_event VALUES(38,'2025-06-02T09:00:00Z','operator',NULL,'withdraw','specimen',4,'OB000000004Y','{"barcode":"OB000000004Y","site":"HOS01","donor":"D2","donor_site":"HOS01","type":"whole_blood","lineage":"primary","pathology":"unknown","quantity":"5.0","initial_quantity":"5.0","unit":"ml","collected_at":"2025-05-03T10:00:00Z","status":"available","freeze_thaw":"0"}','{"barcode":"OB000000004Y","site":"HOS01","donor":"D2","donor_site":"HOS01","type":"whole_blood","lineage":"primary","pathology":"unknown","quantity":"5.0","initial_quantity":"5.0","unit":"ml","collected_at":"2025-05-03T10:00:00Z","status":"available","freeze_thaw":"0","consent_disposition":"keep"}','2c16807add9794aecc91a026e336cbdb1184d56889d8e4d81f1c8c5c7a28ecca','52fab4e6240fddb4b662c1808af5e9caf72060349eacafd839e8c33159bd1b06',NULL);
INSERT INTO audit_event VALUES(39,'2025-06-02T09:00:00Z','operator',NULL,'create','consent_form',2,'v4',NULL,'{"version":"v4","title":"Biobank consent 4","effective_on":"2025-01-01T00:00:00Z","created_at":"2025-06-02T09:00:00Z"}','52fab4e6240fddb4b662c1808af5e9caf72060349eacafd839e8c33159bd1b06','942693fc69e7d6f09932373e79c71347db2115c7db083b8a1063c558f6788175',NULL);
INSERT INTO audit_event VALUES(40,'2025-06-02T09:00:00Z','operator',NULL,'create','consent_statement',6,'STORE',NULL,'{"form_version":"v4","code":"STORE","position":"1","text":"My samples may be stored and used for research.","uses":"3"}','942693fc69e7d6f09932373e79c71347db2115c7db083b8a1063c558f6788175','709acfbe20cf2b76667c64c02271df14e842e7595146b21bb8b81db871f61dd3',NULL);
INSERT INTO audit_event VALUES(41,'2025-06-02T09:00:00Z','operator',NULL,'create','consent_statement',7,'DNA',NULL,'{"form_version":"v4","code":"DNA","position":"2","text":"My samples may be used for genetic research.","uses":"4"}','709acfbe20cf2b76667c64c02271df14e842e7595146b21bb8b81db871f61dd3','b2ed3ea0ebd780975b8ce78c7866de5f5e4138c2632339635ef53e787507fca6',NULL);
INSERT INTO audit_event VALUES(42,'2025-06-02T09:00:00Z','operator',NULL,'create','donor',3,'D3',NULL,'{"site":"HOS01","code":"D3","sex":"female","birth_year":"1971","consent_mask":"0","withdrawn":"0"}','b2ed3ea0ebd780975b8ce78c7866de5f5e4138c2632339635ef53e787507fca6','9ee219741cf59cd7907aefd3a746f73688ce4b089257df875374fa8ba9d1eb03',NULL);
INSERT INTO audit_event VALUES(43,'2025-06-02T09:00:00Z','operator',NULL,'create','consent',3,'D3',NULL,'{"site":"HOS01","donor":"D3","form_version":"v4","signed_on":"2025-03-01T00:00:00Z","witness":"Nurse Li","recorded_by":"operator"}','9ee219741cf59cd7907aefd3a746f73688ce4b089257df875374fa8ba9d1eb03','c3966260edd7ff6608917686270e0066b723861518fec915c31ce7306c13d22f',NULL);
INSERT INTO audit_event VALUES(44,'2025-06-02T09:00:00Z','operator',NULL,'create','consent_response',11,'D3',NULL,'{"consent":"3","statement":"STORE","response":"no"}','c3966260edd7ff6608917686270e0066b723861518fec915c31ce7306c13d22f','d1f3be8207c87da19e9474b263e2a2a3c397c7cd5b3d622822c0815e64ea4e7f',NULL);
INSERT INTO audit_event VALUES(45,'2025-06-02T09:00:00Z','operator',NULL,'create','consent_response',12,'D3',NULL,'{"consent":"3","statement":"DNA","response":"yes"}','d1f3be8207c87da19e9474b263e2a2a3c397c7cd5b3d622822c0815e64ea4e7f','d9229a8833a2ee95c23f1f50698320cdb32507ab7cc8e2e2d12bace3c43f5a51',NULL);
INSERT INTO audit_event VALUES(46,'2025-06-02T09:00:00Z','operator',NULL,'consent','donor',3,NULL,'{"site":"HOS01","code":"D3","sex":"female","birth_year":"1971","consent_mask":"0","withdrawn":"0"}','{"site":"HOS01","code":"D3","sex":"female","birth_year":"1971","consent_mask":"4","withdrawn":"0"}','d9229a8833a2ee95c23f1f50698320cdb32507ab7cc8e2e2d12bace3c43f5a51','e827bee8b5d63bcab64fa5e4ca57d610a14bb7eec00f5c1fe8093106dcd42020',NULL);
INSERT INTO audit_event VALUES(47,'2025-06-02T09:00:00Z','operator',NULL,'create','user',1,'tech01',NULL,'{"username":"tech01","site":"REG01","role":"technician","active":"1"}','e827bee8b5d63bcab64fa5e4ca57d610a14bb7eec00f5c1fe8093106dcd42020','afe3033b6ab233b0b9be9ef2f1b345940d4ba68389e0f1f3b9794716071da2fe',NULL);
INSERT INTO audit_event VALUES(48,'2025-06-02T09:00:00Z','operator',NULL,'create','sequencing_result',1,'OB0000000013',NULL,'{"specimen":"OB0000000013","kind":"germline","assay":"HBOC panel","genome":"GRCh38","file_name":"empty.vcf","vcf_sha256":"8960b21239fe3528b424057b54b3e2752d2802f52c14032512eca1f744595595","variants":"0","created_at":"2025-06-02T09:00:00Z","created_by":"operator"}','afe3033b6ab233b0b9be9ef2f1b345940d4ba68389e0f1f3b9794716071da2fe','d0ee034d07b76eb5d84be4788dcc450a0b001ed3d92347ffa9fe381dc2d48036',NULL);
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
INSERT INTO app_user VALUES(1,'tech01',2,'technician','$argon2id$v=19$m=65536,t=2,p=1$TqhS8FwZmMt5ggH0ryqmRQ$4qMyrLcAe/0CAWVtu4Pq934Ilw6wO/Yg0NL0xV+wQI0',1,'2025-06-02T09:00:00Z',NULL);
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
INSERT INTO consent_form VALUES(1,'v3','Consent form v3','2025-01-05T00:00:00Z','2025-01-05T00:00:00Z');
INSERT INTO consent_form VALUES(2,'v4','Biobank consent 4','2025-01-01T00:00:00Z','2025-06-02T09:00:00Z');
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
CREATE TABLE consent_statement (
	id INTEGER PRIMARY KEY,
	form_id BIGINT NOT NULL REFERENCES consent_form (id),
	code TEXT NOT NULL,
	position INTEGER NOT NULL,
	text TEXT NOT NULL,
	text_zh TEXT,
	uses INTEGER NOT NULL,
	UNIQUE (form_id, code)
);
INSERT INTO consent_statement VALUES(1,1,'STORAGE',1,'My samples may be stored in the biobank.','我同意我的样本保存在生物样本库。',1);
INSERT INTO consent_statement VALUES(2,1,'RESEARCH',2,'My samples and data may be used for medical research.','我同意我的样本和数据用于医学研究。',2);
INSERT INTO consent_statement VALUES(3,1,'GENETIC',3,'My samples may be used for genetic research.','我同意我的样本用于遗传学研究。',4);
INSERT INTO consent_statement VALUES(4,1,'SHARING',4,'My coded data may be shared with researchers outside the network.','我同意我的编码数据与网络以外的研究者共享。',8);
INSERT INTO consent_statement VALUES(5,1,'RECONTACT',5,'I may be contacted again about this research.','我同意就本研究再次与我联系。',16);
INSERT INTO consent_statement VALUES(6,2,'STORE',1,'My samples may be stored and used for research.',NULL,3);
INSERT INTO consent_statement VALUES(7,2,'DNA',2,'My samples may be used for genetic research.',NULL,4);
CREATE TABLE consent_response (
	id INTEGER PRIMARY KEY,
	consent_id BIGINT NOT NULL REFERENCES consent (id),
	statement_id BIGINT NOT NULL REFERENCES consent_statement (id),
	response TEXT NOT NULL CHECK (response IN ('yes', 'no', 'not_asked')),
	withdrawn_on TEXT,
	withdrawn_by TEXT,
	withdrawal_reason TEXT,
	UNIQUE (consent_id, statement_id)
);
INSERT INTO consent_response VALUES(1,1,1,'yes',NULL,NULL,NULL);
INSERT INTO consent_response VALUES(2,1,2,'yes',NULL,NULL,NULL);
INSERT INTO consent_response VALUES(3,1,3,'yes',NULL,NULL,NULL);
INSERT INTO consent_response VALUES(4,1,4,'yes',NULL,NULL,NULL);
INSERT INTO consent_response VALUES(5,1,5,'no',NULL,NULL,NULL);
INSERT INTO consent_response VALUES(6,2,1,'yes',NULL,NULL,NULL);
INSERT INTO consent_response VALUES(7,2,2,'yes',NULL,NULL,NULL);
INSERT INTO consent_response VALUES(8,2,3,'no',NULL,NULL,NULL);
INSERT INTO consent_response VALUES(9,2,4,'no',NULL,NULL,NULL);
INSERT INTO consent_response VALUES(10,2,5,'no',NULL,NULL,NULL);
INSERT INTO consent_response VALUES(11,3,6,'no',NULL,NULL,NULL);
INSERT INTO consent_response VALUES(12,3,7,'yes',NULL,NULL,NULL);
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
CREATE INDEX consent_response_statement ON consent_response (statement_id, response);
COMMIT;
