-- 002_import_deferred: statuses an import sets after its last row (a
-- depleted parent cannot get children, and files list parents first). Kept
-- in the database, inside the import's transaction, so that memory does not
-- grow with the file; always empty outside an import.
CREATE TABLE import_deferred_status (
	line BIGINT NOT NULL,
	barcode TEXT NOT NULL,
	status TEXT NOT NULL
);
