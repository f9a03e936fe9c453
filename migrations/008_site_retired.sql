-- 008_site_retired: a site taken out of service. retired holds the day it
-- was retired (ISO 8601 UTC text), NULL while the site is in service. A
-- retired site takes no new donors, specimens or containers; its records
-- stay readable. NULL leaves a site's canonical audit row as it was, so the
-- audit trail of a database made before this migration still verifies.
ALTER TABLE site ADD COLUMN retired TEXT;
