/*
 * handlers.h - private to src/http: the biobank's route handlers, one file
 * per resource (h_network.c sites and donors, h_specimens.c, h_containers.c,
 * h_data.c import, export, labels, SPREC, statistics, the OpenAPI
 * document), and the few helpers they share. routes_bank.c lists them with
 * their roles.
 *
 * Every handler follows http.h: parse, call the domain with &req->cx,
 * encode; it returns 0 with resp filled or a negative OB_E* code with the
 * message set (ob_http_dispatch maps it to the error body).
 */
#ifndef OB_HTTP_HANDLERS_H
#define OB_HTTP_HANDLERS_H

#include "http/http.h"
#include "bank/audit.h"
#include "bank/record.h"
#include "bank/specimen.h"

/* Roles per kind of change, as access.h's table gives them
 * (ob_access_roles(OB_ACT_...)); routes check them before the handler, the
 * domain checks them again with the site. A route table needs constants. */
#define OB_ROLES_READ OB_ROLES_ANY
#define OB_ROLES_SPECIMEN (OB_ROLE_ADMIN | OB_ROLE_MANAGER | OB_ROLE_TECHNICIAN)
#define OB_ROLES_CONTAINER (OB_ROLE_ADMIN | OB_ROLE_MANAGER | OB_ROLE_TECHNICIAN)
#define OB_ROLES_DONOR (OB_ROLE_ADMIN | OB_ROLE_MANAGER | OB_ROLE_TECHNICIAN)
#define OB_ROLES_DIAGNOSIS (OB_ROLE_ADMIN | OB_ROLE_MANAGER | OB_ROLE_PATHOLOGIST)
#define OB_ROLES_SITE OB_ROLE_ADMIN
/* studies: changed by administrators and biobank managers (OB_ACT_STUDY);
 * read by every reader and by a study researcher, whom the domain limits to
 * their studies */
#define OB_ROLES_STUDY (OB_ROLE_ADMIN | OB_ROLE_MANAGER)
#define OB_ROLES_STUDY_READ (OB_ROLES_READ | OB_ROLE_STUDY)
#define OB_ROLES_IMPORT (OB_ROLE_ADMIN | OB_ROLE_MANAGER | OB_ROLE_TECHNICIAN)
/* shipments: built and sent at the from-site, received at the to-site
 * (OB_ACT_SHIPMENT); the domain checks which site */
#define OB_ROLES_SHIPMENT (OB_ROLE_ADMIN | OB_ROLE_MANAGER | OB_ROLE_TECHNICIAN)
/* correcting a specimen: a pathologist corrects what a pathologist reads
 * (OB_ACT_PATHOLOGY), the domain decides field by field */
#define OB_ROLES_CORRECT (OB_ROLES_SPECIMEN | OB_ROLE_PATHOLOGIST)

/* Body limits. */
#define OB_BODY_JSON ((size_t)64 << 10)
#define OB_BODY_IMPORT ((size_t)256 << 20)
/* a shipment's barcodes (POST /api/shipments, .../items): some 30,000 */
#define OB_BODY_SHIPMENT ((size_t)1 << 20)
/* a sequencing result: the VCF (bank/sequencing.h's limit) in JSON */
#define OB_BODY_SEQUENCING ((size_t)72 << 20)

/* Search: default and largest page. */
#define OB_SEARCH_LIMIT 50
#define OB_SEARCH_LIMIT_MAX 1000

/* Finishes a handler whose domain call appended JSON to b: on rc == 0 the
 * response takes b with status; b is disposed of either way. Returns rc. */
int ob_h_reply(ob_http_response *resp, int status, ob_buf *b, int rc);

/* Replies status with v (taken), filled by a domain read that returned rc,
 * as src/view writes it, and a newline; returns rc when it failed. */
int ob_h_reply_view(ob_http_response *resp, int status, json_t *v, int rc);

/* Sets a JSON response from a jansson value (taken: decref'd). */
int ob_h_reply_json(ob_http_response *resp, int status, json_t *v);

/* Replies with the full record of specimen barcode (src/view), status on
 * success: what every route that changes a specimen answers. */
int ob_h_specimen_record(ob_http_request *req, ob_http_response *resp, int status,
                         const char *barcode);

/* Fills f from the query string's specimen filters (site, type, status,
 * topography, morphology, consent, container, donor, pathology, lineage);
 * OB_EINVALID naming the parameter. limit and offset are left to the
 * caller. */
int ob_h_specimen_filter(const ob_http_request *req, ob_specimen_filter *f);

/* Reads the required string member name: OB_EINVALID "name: is required". */
int ob_h_json_required(json_t *obj, const char *name, const char **out);

/* Checks that every member of obj is one of the NULL-ended names, so that
 * a misspelt field is reported instead of ignored. */
int ob_h_json_known(json_t *obj, const char *const *names);

/* The body of a correction (PATCH): {"reason": "...", FIELD: value, ...}
 * with strings, numbers (as text, the way the CLI takes them), true/false
 * ("yes"/"no") or null (clears the field). */
#define OB_H_CHANGES_MAX 16
typedef struct ob_h_changes {
	ob_change ch[OB_H_CHANGES_MAX];
	char num[OB_H_CHANGES_MAX][40];
	size_t n;
	const char *reason;
} ob_h_changes;

/* Reads j into out (texts borrowed from j); OB_EINVALID naming the field. */
int ob_h_json_changes(json_t *j, ob_h_changes *out);

/* Collects an entity's per-field history (audit.h) into *arg, a json_t *
 * array created on the first change; ob_h_reply_history answers
 * {"changes":[...]} with it (rc: the walk's result). */
int ob_h_history_cb(const ob_audit_change *c, void *arg);
int ob_h_reply_history(ob_http_response *resp, json_t *changes, int rc);

/* h_network.c */
int ob_h_sites_list(ob_http_request *req, ob_http_response *resp);
int ob_h_sites_add(ob_http_request *req, ob_http_response *resp);
int ob_h_donors_list(ob_http_request *req, ob_http_response *resp);
int ob_h_donors_add(ob_http_request *req, ob_http_response *resp);
int ob_h_donor_show(ob_http_request *req, ob_http_response *resp);
int ob_h_donor_diagnose(ob_http_request *req, ob_http_response *resp);
int ob_h_donor_consent(ob_http_request *req, ob_http_response *resp);
int ob_h_donor_withdraw(ob_http_request *req, ob_http_response *resp);
int ob_h_site_show(ob_http_request *req, ob_http_response *resp);
int ob_h_site_correct(ob_http_request *req, ob_http_response *resp);
int ob_h_site_history(ob_http_request *req, ob_http_response *resp);
int ob_h_donor_correct(ob_http_request *req, ob_http_response *resp);
int ob_h_donor_history(ob_http_request *req, ob_http_response *resp);
int ob_h_diagnosis_correct(ob_http_request *req, ob_http_response *resp);

/* h_identifiers.c */
int ob_h_donor_identifiers(ob_http_request *req, ob_http_response *resp);
int ob_h_donor_identify(ob_http_request *req, ob_http_response *resp);
int ob_h_donors_by_mrn(ob_http_request *req, ob_http_response *resp);

/* h_consent.c */
int ob_h_consent_forms_list(ob_http_request *req, ob_http_response *resp);
int ob_h_consent_forms_add(ob_http_request *req, ob_http_response *resp);
int ob_h_consent_form_show(ob_http_request *req, ob_http_response *resp);

/* h_specimens.c */
int ob_h_specimens_search(ob_http_request *req, ob_http_response *resp);
int ob_h_specimens_add(ob_http_request *req, ob_http_response *resp);
int ob_h_specimen_show(ob_http_request *req, ob_http_response *resp);
int ob_h_specimen_aliquot(ob_http_request *req, ob_http_response *resp);
int ob_h_specimen_derive(ob_http_request *req, ob_http_response *resp);
int ob_h_specimen_move(ob_http_request *req, ob_http_response *resp);
int ob_h_specimen_status(ob_http_request *req, ob_http_response *resp);
int ob_h_specimen_thaw(ob_http_request *req, ob_http_response *resp);
int ob_h_specimens_swap(ob_http_request *req, ob_http_response *resp);

/* h_correct.c */
int ob_h_specimen_correct(ob_http_request *req, ob_http_response *resp);
int ob_h_specimen_history(ob_http_request *req, ob_http_response *resp);
int ob_h_fields(ob_http_request *req, ob_http_response *resp);

/* h_sequencing.c */
int ob_h_sequencing_list(ob_http_request *req, ob_http_response *resp);
int ob_h_specimen_sequencing(ob_http_request *req, ob_http_response *resp);
int ob_h_specimen_sequencing_add(ob_http_request *req, ob_http_response *resp);
int ob_h_sequencing_report(ob_http_request *req, ob_http_response *resp);

/* h_containers.c */
int ob_h_containers_list(ob_http_request *req, ob_http_response *resp);
int ob_h_containers_add(ob_http_request *req, ob_http_response *resp);
int ob_h_container_show(ob_http_request *req, ob_http_response *resp);
int ob_h_container_report(ob_http_request *req, ob_http_response *resp);
int ob_h_container_empty(ob_http_request *req, ob_http_response *resp);
int ob_h_container_correct(ob_http_request *req, ob_http_response *resp);
int ob_h_container_history(ob_http_request *req, ob_http_response *resp);

/* h_study.c */
int ob_h_studies_list(ob_http_request *req, ob_http_response *resp);
int ob_h_studies_add(ob_http_request *req, ob_http_response *resp);
int ob_h_study_show(ob_http_request *req, ob_http_response *resp);
int ob_h_study_correct(ob_http_request *req, ob_http_response *resp);
int ob_h_study_history(ob_http_request *req, ob_http_response *resp);
int ob_h_study_site_add(ob_http_request *req, ob_http_response *resp);
int ob_h_study_form_add(ob_http_request *req, ob_http_response *resp);
int ob_h_study_event_add(ob_http_request *req, ob_http_response *resp);
int ob_h_study_requirement_add(ob_http_request *req, ob_http_response *resp);
int ob_h_study_member_add(ob_http_request *req, ob_http_response *resp);
int ob_h_study_member_remove(ob_http_request *req, ob_http_response *resp);
int ob_h_study_participants(ob_http_request *req, ob_http_response *resp);
int ob_h_study_enrol(ob_http_request *req, ob_http_response *resp);
int ob_h_study_worklist(ob_http_request *req, ob_http_response *resp);
int ob_h_study_accrual(ob_http_request *req, ob_http_response *resp);

/* h_shipment.c */
int ob_h_shipments_list(ob_http_request *req, ob_http_response *resp);
int ob_h_shipments_add(ob_http_request *req, ob_http_response *resp);
int ob_h_shipment_show(ob_http_request *req, ob_http_response *resp);
int ob_h_shipment_edit(ob_http_request *req, ob_http_response *resp);
int ob_h_shipment_items_add(ob_http_request *req, ob_http_response *resp);
int ob_h_shipment_item_remove(ob_http_request *req, ob_http_response *resp);
int ob_h_shipment_pack(ob_http_request *req, ob_http_response *resp);
int ob_h_shipment_ship(ob_http_request *req, ob_http_response *resp);
int ob_h_shipment_cancel(ob_http_request *req, ob_http_response *resp);
int ob_h_shipment_receive(ob_http_request *req, ob_http_response *resp);
int ob_h_shipment_discrepancy(ob_http_request *req, ob_http_response *resp);
int ob_h_shipment_finish(ob_http_request *req, ob_http_response *resp);
int ob_h_shipment_manifest_pdf(ob_http_request *req, ob_http_response *resp);
int ob_h_shipment_manifest_csv(ob_http_request *req, ob_http_response *resp);
int ob_h_shipment_receipt_pdf(ob_http_request *req, ob_http_response *resp);
int ob_h_shipment_receipt_csv(ob_http_request *req, ob_http_response *resp);
int ob_h_specimen_shipments(ob_http_request *req, ob_http_response *resp);

/* h_data.c */
int ob_h_import(ob_http_request *req, ob_http_response *resp);
int ob_h_export(ob_http_request *req, ob_http_response *resp);
int ob_h_label_specimen(ob_http_request *req, ob_http_response *resp);
int ob_h_label_container(ob_http_request *req, ob_http_response *resp);
int ob_h_sprec(ob_http_request *req, ob_http_response *resp);
int ob_h_stats(ob_http_request *req, ob_http_response *resp);
int ob_h_openapi(ob_http_request *req, ob_http_response *resp);

#endif
