/*
 * csvimport_os.c - the participant of an OpenSpecimen master-specimen row
 * (see csvimport_os.h): enrolment in the collection protocol, the donor
 * behind the PPID, and the direct identifiers into their encrypted fields.
 */
#include "bank/csvimport_os.h"
#include "bank/donor.h"
#include "bank/identifier.h"
#include "bank/study.h"
#include "base/error.h"
#include "base/util.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

/* The site code and donor code of donor id (found through the study). */
static int donor_codes(const ob_ctx *cx, int64_t id, ob_os_participant *p)
{
	static const char *const sql =
		"SELECT s.code, d.code FROM donor d JOIN site s ON s.id = d.site_id WHERE d.id = $1";
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, id);
	rc = ob_stmt_step(s);
	if (rc == OB_ROW) {
		ob_strlcpy(p->donor_site, ob_stmt_text(s, 0), sizeof p->donor_site);
		ob_strlcpy(p->donor, ob_stmt_text(s, 1), sizeof p->donor);
		rc = 0;
	} else if (rc == 0) {
		rc = ob_error_set(OB_ENOTFOUND, "ppid: the participant's donor is gone");
	}
	ob_stmt_reset(s);
	return rc;
}

/* The donor p->ppid at p->site, created when the site has none. */
static int donor_at_site(const ob_ctx *cx, ob_os_participant *p)
{
	int64_t id;
	int rc;

	if (!p->site)
		return ob_error_set(OB_EINVALID, "site: a new participant needs the Collection Site");
	rc = ob_donor_find(cx, p->site, p->ppid, &id, NULL);
	if (rc == OB_ENOTFOUND && !strncmp(ob_error_last(), "donor:", 6)) {
		ob_error_clear();
		rc = ob_donor_add(cx, p->site, p->ppid, p->sex, p->birth_year, NULL);
	}
	if (rc < 0)
		return rc;
	ob_strlcpy(p->donor_site, p->site, sizeof p->donor_site);
	ob_strlcpy(p->donor, p->ppid, sizeof p->donor);
	return 0;
}

static int participant(const ob_ctx *cx, ob_os_participant *p)
{
	int64_t study_id, donor_id;
	int rc;

	if (!p->study)
		return donor_at_site(cx, p);
	if ((rc = ob_study_find(cx, p->study, &study_id)) < 0)
		return rc;
	rc = ob_study_participant_find(cx, study_id, p->ppid, &donor_id);
	if (rc == 0)
		return donor_codes(cx, donor_id, p);
	if (rc != OB_ENOTFOUND)
		return rc;
	ob_error_clear();
	if ((rc = donor_at_site(cx, p)) < 0)
		return rc;
	return ob_study_enrol(cx, p->study, p->donor_site, p->donor, p->ppid, p->registered);
}

/* A refusal of an identifier, named by the column it came from. */
static int ident(const ob_ctx *cx, const ob_os_participant *p, const char *kind,
                 const char *issuer, const char *value, const char *col)
{
	char msg[512];
	int rc;

	if (!value)
		return 0;
	rc = ob_identifier_set(cx, p->donor_site, p->donor, kind, issuer, value);
	if (rc == OB_ECONFLICT || rc == OB_EINVALID) {
		const char *m = ob_error_last(), *colon = strstr(m, ": ");
		ob_strlcpy(msg, colon ? colon + 2 : m, sizeof msg);
		rc = ob_error_set(rc, "%s: %s", col, msg);
	}
	return rc;
}

int ob_os_participant_settle(const ob_ctx *cx, ob_os_participant *p)
{
	int rc;

	p->donor_site[0] = p->donor[0] = '\0';
	if (!p->ppid)
		return ob_error_set(OB_EINVALID, "ppid: the participant's PPID is needed");
	if ((rc = participant(cx, p)) < 0)
		return rc;
	if ((rc = ident(cx, p, "name", NULL, p->name, p->name_col)) < 0
	    || (rc = ident(cx, p, "birth_date", NULL, p->birth_date, "Date Of Birth")) < 0
	    || (rc = ident(cx, p, "national_id", NULL, p->national_id, "National ID")) < 0)
		return rc;
	for (int i = 0; i < OB_OS_PMI_MAX; i++)
		if (p->pmi[i].mrn
		    && (rc = ident(cx, p, "mrn", p->pmi[i].site, p->pmi[i].mrn, p->pmi[i].col)) < 0)
			return rc;
	return 0;
}
