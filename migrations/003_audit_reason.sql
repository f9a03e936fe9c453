-- 003_audit_reason: why a change was made (the project a specimen was
-- distributed to, the cause of a destruction), kept in the event itself and
-- covered by its hash.
ALTER TABLE audit_event ADD COLUMN reason TEXT;
