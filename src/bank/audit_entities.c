/*
 * audit_entities.c - the list of audited tables that `audit verify` checks
 * row by row against their latest audit event.
 */
#include "bank/audit.h"
#include "bank/container.h"
#include "bank/donor.h"
#include "bank/identifier.h"
#include "bank/sequencing.h"
#include "bank/shipment.h"
#include "bank/site.h"
#include "bank/specimen.h"
#include "bank/study.h"
#include "bank/user.h"

#include <stddef.h>

const ob_audit_entity *const ob_audited[] = {
	&ob_site_audit,
	&ob_donor_audit,
	&ob_diagnosis_audit,
	&ob_consent_audit,
	&ob_consent_response_audit,
	&ob_container_audit,
	&ob_specimen_audit,
	&ob_user_audit,
	&ob_seq_audit,
	&ob_study_audit,
	&ob_study_site_audit,
	&ob_study_form_audit,
	&ob_study_event_audit,
	&ob_study_req_audit,
	&ob_study_member_audit,
	&ob_study_participant_audit,
	&ob_identifier_audit,
	&ob_shipment_audit,
	NULL
};
