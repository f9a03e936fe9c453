-- 012_consent_transfer: the consent use "transfer" (bit 128, src/bank/
-- consent.h): the donor's samples may be sent to other sites of the
-- network, outside the collecting site's scope (shipments check it).
--
-- No form before this use has a statement covering it (a statement's uses
-- were 1 to 127), and such a form permits transfer exactly when it permits
-- storage: those consents were given to the network's biobank as a whole.
-- So every donor whose current consent permits storage, and who has not
-- withdrawn, now permits transfer too. A form that asks about transfer
-- follows the ordinary rule from now on. src/bank/migrate.c checks the
-- donors against the audit trail before, and records one "migrate" event
-- per donor changed after, in the same transaction.
UPDATE donor SET consent_mask = consent_mask | 128
	WHERE withdrawn = 0 AND (consent_mask & 1) <> 0 AND (consent_mask & 128) = 0;
