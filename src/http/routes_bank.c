/*
 * routes_bank.c - the biobank's routes: sites, donors, specimens,
 * containers, import and export, labels, SPREC, statistics, the OpenAPI
 * document (docs/api.md), and the helpers the handlers share (handlers.h).
 *
 * Each row is {method, pattern, handler, roles, body limit, summary, query
 * parameters, body media type}; the dispatcher checks login, roles, body
 * size and type, and the query parameters before the handler runs.
 * Reads are open to every role; the site a change touches is checked by
 * the domain (access.h), which sees the logged-in user through req->cx.
 * Fixed segments come before {captures} so that /api/specimens/swap is
 * never read as a barcode.
 */
#include "http/handlers.h"
#include "view/history.h"
#include "view/view.h"
#include "bank/donor.h"
#include "bank/shipment.h"
#include "base/error.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define J OB_BODY_JSON

/* ---- query parameters (http.h: checked before the handler runs) ------- */

/* Words of the HTTP options; the domain's vocabularies come from src/bank. */
static const char *const export_formats[] = { "csv", "json", NULL };
static const char *const label_formats[] = { "pdf", "png", NULL };
static const char *const symbologies[] = { "datamatrix", "code128", NULL };
static const char *const report_formats[] = { "html", "json", NULL };
static const char *const date_orders[] = { "dmy", "mdy", NULL };
static const char *const consent_phases[] = { "all", "signed", "withdrawals", NULL };
static const char *const import_modes[] = { "create", "update", NULL };
static const char *const sprec_versions[] = { "3.0", "4.0", NULL };
static const char *const withdrawn_words[] = { "include", "exclude", "only", NULL };

#define T(name) { name, OB_PARAM_TEXT, NULL, 0, 0 }
#define E(name, words) { name, OB_PARAM_ENUM, words, 0, 0 }
#define END { NULL, OB_PARAM_TEXT, NULL, 0, 0 }
/* The specimen filters (ob_h_specimen_filter). */
#define FILTERS T("site"), E("type", ob_specimen_types), E("status", ob_specimen_statuses), \
	T("topography"), T("morphology"), \
	{ "consent", OB_PARAM_LIST, ob_consent_scope_words, 0, 0 }, T("container"), T("donor"), \
	E("pathology", ob_specimen_pathologies), E("lineage", ob_specimen_lineages), T("study"), \
	T("event"), E("withdrawn", withdrawn_words)

static const ob_http_param q_under[] = { T("under"), END };
static const ob_http_param q_site[] = { T("site"), END };
static const ob_http_param q_site_under[] = { T("site"), T("under"), END };
static const ob_http_param q_search[] = { FILTERS,
	{ "limit", OB_PARAM_INT, NULL, 0, OB_SEARCH_LIMIT_MAX },
	{ "offset", OB_PARAM_INT, NULL, 0, INT64_MAX }, END };
static const ob_http_param q_export[] = { E("format", export_formats), FILTERS, END };
static const ob_http_param q_seq_list[] = { { "limit", OB_PARAM_INT, NULL, 1, 1000 }, END };
static const ob_http_param q_report[] = { E("format", report_formats), END };
static const ob_http_param q_import[] = { E("date_order", date_orders),
	E("consent_phase", consent_phases), E("mode", import_modes), END };
static const ob_http_param q_label[] = { E("format", label_formats),
	E("symbology", symbologies), END };
static const ob_http_param q_sprec[] = { E("version", sprec_versions), END };
static const ob_http_param q_history[] = { T("field"), END };
static const char *const worklist_formats[] = { "csv", "json", NULL };
static const ob_http_param q_worklist[] = { T("site"), T("event"),
	E("format", worklist_formats), END };
static const char *const directions[] = { "outgoing", "incoming", "all", NULL };
static const ob_http_param q_shipments[] = { E("direction", directions),
	E("state", ob_shipment_states), T("site"), T("q"),
	{ "limit", OB_PARAM_INT, NULL, 0, OB_SEARCH_LIMIT_MAX },
	{ "offset", OB_PARAM_INT, NULL, 0, INT64_MAX }, END };
static const ob_http_param q_stats[] = { { "recent", OB_PARAM_INT, NULL, 1, 1000 }, END };

const ob_http_route ob_http_routes_bank[] = {
	{ "GET", "/api/openapi.json", ob_h_openapi, 0, 0, "This API as OpenAPI 3", NULL,
	  NULL },
	{ "GET", "/api/sites", ob_h_sites_list, OB_ROLES_READ, 0, "The network of sites",
	  q_under, NULL },
	{ "POST", "/api/sites", ob_h_sites_add, OB_ROLES_SITE, J, "Add a site", NULL, NULL },
	{ "GET", "/api/sites/{code}", ob_h_site_show, OB_ROLES_READ, 0, "A site", NULL, NULL },
	{ "PATCH", "/api/sites/{code}", ob_h_site_correct, OB_ROLES_SITE, J,
	  "Correct a site: name, parent (moves it), retired", NULL, NULL },
	{ "GET", "/api/sites/{code}/history", ob_h_site_history, OB_ROLES_READ, 0,
	  "Each change of each field of a site", NULL, NULL },
	{ "GET", "/api/donors", ob_h_donors_list, OB_ROLES_READ, 0, "Donors in scope", q_site, NULL },
	{ "POST", "/api/donors", ob_h_donors_add, OB_ROLES_DONOR, J, "Add a donor", NULL, NULL },
	{ "GET", "/api/donors/{site}/mrn/{mrn}", ob_h_donors_by_mrn, OB_ROLES_READ, 0,
	  "Donors with exactly this MRN at a hospital (identifiers permission)", NULL, NULL },
	{ "GET", "/api/donors/{site}/{code}/identifiers", ob_h_donor_identifiers, OB_ROLES_READ, 0,
	  "A donor's direct identifiers (identifiers permission)", NULL, NULL },
	{ "PUT", "/api/donors/{site}/{code}/identifiers", ob_h_donor_identify, OB_ROLES_DONOR, J,
	  "Set or clear a donor's direct identifiers (identifiers permission)", NULL, NULL },
	{ "GET", "/api/donors/{site}/{code}", ob_h_donor_show, OB_ROLES_READ, 0,
	  "A donor with diagnoses and consents", NULL, NULL },
	{ "PATCH", "/api/donors/{site}/{code}", ob_h_donor_correct, OB_ROLES_DONOR, J,
	  "Correct a donor's sex or birth year", NULL, NULL },
	{ "GET", "/api/donors/{site}/{code}/history", ob_h_donor_history, OB_ROLES_READ, 0,
	  "Each change of each field of a donor", NULL, NULL },
	{ "PATCH", "/api/donors/{site}/{code}/diagnoses/{id}", ob_h_diagnosis_correct,
	  OB_ROLES_DIAGNOSIS, J, "Correct a diagnosis", NULL, NULL },
	{ "POST", "/api/donors/{site}/{code}/diagnoses", ob_h_donor_diagnose, OB_ROLES_DIAGNOSIS, J,
	  "Record a diagnosis", NULL, NULL },
	{ "POST", "/api/donors/{site}/{code}/consents", ob_h_donor_consent, OB_ROLES_DONOR, J,
	  "Record a signed consent", NULL, NULL },
	{ "POST", "/api/donors/{site}/{code}/withdrawal", ob_h_donor_withdraw, OB_ROLES_DONOR, J,
	  "Withdraw the current consent (fully, with a disposition), or one statement", NULL,
	  NULL },
	{ "GET", "/api/consent-forms", ob_h_consent_forms_list, OB_ROLES_READ, 0,
	  "Consent forms and their coded statements", NULL, NULL },
	{ "POST", "/api/consent-forms", ob_h_consent_forms_add, OB_ROLES_DONOR, J,
	  "Add a consent form version with its statements", NULL, NULL },
	{ "GET", "/api/consent-forms/{form_version}", ob_h_consent_form_show, OB_ROLES_READ, 0,
	  "A consent form with its statements", NULL, NULL },
	{ "GET", "/api/studies", ob_h_studies_list, OB_ROLES_STUDY_READ, 0,
	  "Studies (a study researcher: their own)", NULL, NULL },
	{ "POST", "/api/studies", ob_h_studies_add, OB_ROLES_STUDY, J, "Add a study", NULL, NULL },
	{ "GET", "/api/studies/{code}", ob_h_study_show, OB_ROLES_STUDY_READ, 0,
	  "A study: sites, forms, events and requirements, members", NULL, NULL },
	{ "PATCH", "/api/studies/{code}", ob_h_study_correct, OB_ROLES_STUDY, J,
	  "Correct a study or change its status, with a reason", NULL, NULL },
	{ "GET", "/api/studies/{code}/history", ob_h_study_history, OB_ROLES_STUDY_READ, 0,
	  "Each change of each field of a study", NULL, NULL },
	{ "POST", "/api/studies/{code}/sites", ob_h_study_site_add, OB_ROLES_STUDY, J,
	  "Add a collecting site to a study", NULL, NULL },
	{ "POST", "/api/studies/{code}/forms", ob_h_study_form_add, OB_ROLES_STUDY, J,
	  "Add a consent form version the study uses", NULL, NULL },
	{ "POST", "/api/studies/{code}/events", ob_h_study_event_add, OB_ROLES_STUDY, J,
	  "Add a planned event to a study", NULL, NULL },
	{ "POST", "/api/studies/{code}/events/{event}/requirements", ob_h_study_requirement_add,
	  OB_ROLES_STUDY, J, "Add a specimen requirement to an event", NULL, NULL },
	{ "POST", "/api/studies/{code}/members", ob_h_study_member_add, OB_ROLES_STUDY, J,
	  "Add a member to a study", NULL, NULL },
	{ "DELETE", "/api/studies/{code}/members/{user}", ob_h_study_member_remove, OB_ROLES_STUDY,
	  J, "Remove a member from a study", NULL, NULL },
	{ "GET", "/api/studies/{code}/participants", ob_h_study_participants, OB_ROLES_STUDY_READ, 0,
	  "The study's participants in scope", NULL, NULL },
	{ "POST", "/api/studies/{code}/participants", ob_h_study_enrol, OB_ROLES_DONOR, J,
	  "Enrol a donor under a participant ID", NULL, NULL },
	{ "GET", "/api/studies/{code}/worklist", ob_h_study_worklist, OB_ROLES_STUDY_READ, 0,
	  "What is due and not yet collected (JSON or CSV)", q_worklist, NULL },
	{ "GET", "/api/studies/{code}/accrual", ob_h_study_accrual, OB_ROLES_STUDY_READ, 0,
	  "Participants, and specimens collected against the plan", NULL, NULL },
	{ "GET", "/api/specimens", ob_h_specimens_search, OB_ROLES_STUDY_READ, 0, "Search specimens",
	  q_search, NULL },
	{ "POST", "/api/specimens", ob_h_specimens_add, OB_ROLES_SPECIMEN, J, "Collect a specimen",
	  NULL, NULL },
	{ "POST", "/api/specimens/swap", ob_h_specimens_swap, OB_ROLES_SPECIMEN, J,
	  "Swap two stored specimens", NULL, NULL },
	{ "GET", "/api/specimens/{barcode}", ob_h_specimen_show, OB_ROLES_STUDY_READ, 0,
	  "A specimen's full record", NULL, NULL },
	{ "PATCH", "/api/specimens/{barcode}", ob_h_specimen_correct, OB_ROLES_CORRECT, J,
	  "Correct a specimen's fields, with a reason", NULL, NULL },
	{ "GET", "/api/specimens/{barcode}/history", ob_h_specimen_history, OB_ROLES_READ, 0,
	  "Each field's changes: when, who, before, after, why", q_history, NULL },
	{ "POST", "/api/specimens/{barcode}/aliquots", ob_h_specimen_aliquot, OB_ROLES_SPECIMEN, J,
	  "Aliquot a specimen", NULL, NULL },
	{ "POST", "/api/specimens/{barcode}/derivatives", ob_h_specimen_derive, OB_ROLES_SPECIMEN, J,
	  "Extract DNA or RNA", NULL, NULL },
	{ "POST", "/api/specimens/{barcode}/move", ob_h_specimen_move, OB_ROLES_SPECIMEN, J,
	  "Move a specimen, or take it out of storage", NULL, NULL },
	{ "POST", "/api/specimens/{barcode}/status", ob_h_specimen_status, OB_ROLES_SPECIMEN, J,
	  "Change a specimen's status", NULL, NULL },
	{ "POST", "/api/specimens/{barcode}/thaw", ob_h_specimen_thaw, OB_ROLES_SPECIMEN, J,
	  "Count a freeze-thaw cycle", NULL, NULL },
	{ "GET", "/api/specimens/{barcode}/sequencing", ob_h_specimen_sequencing, OB_ROLES_READ, 0,
		"Sequencing results of a specimen", NULL, NULL },
	{ "GET", "/api/specimens/{barcode}/shipments", ob_h_specimen_shipments, OB_ROLES_READ, 0,
	  "The shipments a specimen travelled in, with what was found on receipt", NULL, NULL },
	{ "POST", "/api/specimens/{barcode}/sequencing", ob_h_specimen_sequencing_add,
		OB_ROLES_SPECIMEN, OB_BODY_SEQUENCING, "Keep a sequencing result (VCF) with a specimen",
		NULL, NULL },
	{ "GET", "/api/sequencing", ob_h_sequencing_list, OB_ROLES_READ, 0,
		"Newest sequencing results in scope", q_seq_list, NULL },
	{ "GET", "/api/sequencing/{id}/report", ob_h_sequencing_report, OB_ROLES_READ, 0,
		"A result's report: pre-analytical quality and interpretation (HTML or JSON)",
		q_report, NULL },
	{ "GET", "/api/containers", ob_h_containers_list, OB_ROLES_READ, 0, "Containers",
	  q_site_under, NULL },
	{ "POST", "/api/containers", ob_h_containers_add, OB_ROLES_CONTAINER, J, "Add a container",
	  NULL, NULL },
	{ "GET", "/api/containers/{barcode}", ob_h_container_show, OB_ROLES_READ, 0,
	  "A box map, or what a container holds", NULL, NULL },
	{ "PATCH", "/api/containers/{barcode}", ob_h_container_correct, OB_ROLES_CONTAINER, J,
	  "Correct a container: name, temperature, parent (moves it with its contents)", NULL,
	  NULL },
	{ "GET", "/api/containers/{barcode}/history", ob_h_container_history, OB_ROLES_READ, 0,
	  "Each change of each field of a container", NULL, NULL },
	{ "GET", "/api/containers/{barcode}/report", ob_h_container_report, OB_ROLES_READ, 0,
	  "Everything a container holds (freezer failure)", NULL, NULL },
	{ "POST", "/api/containers/{barcode}/empty", ob_h_container_empty, OB_ROLES_CONTAINER, J,
	  "Empty a box into another", NULL, NULL },
	{ "GET", "/api/shipments", ob_h_shipments_list, OB_ROLES_READ, 0,
	  "Shipments from or to the caller's sites, newest first", q_shipments, NULL },
	{ "POST", "/api/shipments", ob_h_shipments_add, OB_ROLES_SHIPMENT, OB_BODY_SHIPMENT,
	  "Create a draft shipment, with its items", NULL, NULL },
	{ "GET", "/api/shipments/{code}", ob_h_shipment_show, OB_ROLES_READ, 0,
	  "A shipment: items, boxes, discrepancies, chain of custody", NULL, NULL },
	{ "PATCH", "/api/shipments/{code}", ob_h_shipment_edit, OB_ROLES_SHIPMENT, J,
	  "Change a shipment's destination (draft), courier, tracking, condition, logger, notes",
	  NULL, NULL },
	{ "POST", "/api/shipments/{code}/items", ob_h_shipment_items_add, OB_ROLES_SHIPMENT,
	  OB_BODY_SHIPMENT, "Add specimens or boxes to a shipment (all or none)", NULL, NULL },
	{ "DELETE", "/api/shipments/{code}/items/{barcode}", ob_h_shipment_item_remove,
	  OB_ROLES_SHIPMENT, J, "Take a specimen or box off a shipment", NULL, NULL },
	{ "POST", "/api/shipments/{code}/pack", ob_h_shipment_pack, OB_ROLES_SHIPMENT, J,
	  "Pack a shipment: every item checked again", NULL, NULL },
	{ "POST", "/api/shipments/{code}/ship", ob_h_shipment_ship, OB_ROLES_SHIPMENT, J,
	  "Ship a packed shipment: its items are in transit", NULL, NULL },
	{ "POST", "/api/shipments/{code}/cancel", ob_h_shipment_cancel, OB_ROLES_SHIPMENT, J,
	  "Cancel a draft or packed shipment, with a reason", NULL, NULL },
	{ "POST", "/api/shipments/{code}/receive", ob_h_shipment_receive, OB_ROLES_SHIPMENT, J,
	  "Receive one scanned barcode at the destination", NULL, NULL },
	{ "POST", "/api/shipments/{code}/discrepancies", ob_h_shipment_discrepancy,
	  OB_ROLES_SHIPMENT, J, "Record a discrepancy: missing, extra, damaged, thawed, wrong label",
	  NULL, NULL },
	{ "POST", "/api/shipments/{code}/finish", ob_h_shipment_finish, OB_ROLES_SHIPMENT, J,
	  "Complete the receipt: what is still pending is missing", NULL, NULL },
	{ "GET", "/api/shipments/{code}/manifest.pdf", ob_h_shipment_manifest_pdf, OB_ROLES_READ, 0,
	  "The manifest as PDF, a barcode per item", NULL, NULL },
	{ "GET", "/api/shipments/{code}/manifest.csv", ob_h_shipment_manifest_csv, OB_ROLES_READ, 0,
	  "The manifest as CSV", NULL, NULL },
	{ "GET", "/api/shipments/{code}/receipt.pdf", ob_h_shipment_receipt_pdf, OB_ROLES_READ, 0,
	  "The receipt report as PDF: counts, custody, discrepancies", NULL, NULL },
	{ "GET", "/api/shipments/{code}/receipt.csv", ob_h_shipment_receipt_csv, OB_ROLES_READ, 0,
	  "The receipt's discrepancies as CSV", NULL, NULL },
	{ "POST", "/api/import/{kind}", ob_h_import, OB_ROLES_IMPORT, OB_BODY_IMPORT,
	  "All-or-nothing CSV import", q_import, "text/csv" },
	{ "GET", "/api/export/{kind}", ob_h_export, OB_ROLES_READ, 0, "Export as CSV or JSON",
	  q_export, NULL },
	{ "GET", "/api/labels/specimens/{barcode}", ob_h_label_specimen, OB_ROLES_READ, 0,
	  "A specimen's label (PDF or PNG)", q_label, NULL },
	{ "GET", "/api/labels/containers/{barcode}", ob_h_label_container, OB_ROLES_READ, 0,
	  "A box's labels, one per stored specimen (PDF or PNG)", q_label, NULL },
	{ "GET", "/api/sprec/{code}", ob_h_sprec, OB_ROLES_READ, 0, "A SPREC code in words",
	  q_sprec, NULL },
	{ "GET", "/api/fields/{entity}", ob_h_fields, OB_ROLES_READ, 0,
	  "An entity's fields: kind, correctable, group", NULL, NULL },
	{ "GET", "/api/stats", ob_h_stats, OB_ROLES_READ, 0, "Dashboard statistics", q_stats,
	  NULL },
	{ NULL, NULL, NULL, 0, 0, NULL, NULL, NULL }
};

/* ---- shared by the handlers ------------------------------------------- */

int ob_h_reply(ob_http_response *resp, int status, ob_buf *b, int rc)
{
	if (rc == 0 && b->failed)
		rc = ob_error_set(OB_ERROR, "response: out of memory");
	if (rc == 0)
		ob_http_json(resp, status, b);
	ob_buf_dispose(b);
	return rc;
}

int ob_h_reply_view(ob_http_response *resp, int status, json_t *v, int rc)
{
	ob_buf b = OB_BUF_INIT;

	if (rc < 0) {
		json_decref(v);
		return rc;
	}
	return ob_h_reply(resp, status, &b, ob_view_dump_line(v, &b));
}

int ob_h_reply_json(ob_http_response *resp, int status, json_t *v)
{
	ob_buf b = OB_BUF_INIT;
	char *text = v ? json_dumps(v, JSON_COMPACT) : NULL;
	int rc = 0;

	json_decref(v);
	if (!text || ob_buf_puts(&b, text) < 0)
		rc = ob_error_set(OB_ERROR, "response: out of memory");
	free(text);
	return ob_h_reply(resp, status, &b, rc);
}

int ob_h_specimen_filter(const ob_http_request *req, ob_specimen_filter *f)
{
	const char *consent = ob_http_query(req, "consent");
	const char *withdrawn = ob_http_query(req, "withdrawn");
	int rc;

	memset(f, 0, sizeof *f);
	f->site = ob_http_query(req, "site");
	f->type = ob_http_query(req, "type");
	f->status = ob_http_query(req, "status");
	f->topography = ob_http_query(req, "topography");
	f->morphology = ob_http_query(req, "morphology");
	f->container = ob_http_query(req, "container");
	f->donor = ob_http_query(req, "donor");
	f->pathology = ob_http_query(req, "pathology");
	f->lineage = ob_http_query(req, "lineage");
	f->study = ob_http_query(req, "study");
	f->event = ob_http_query(req, "event");
	/* Known vocabularies are checked here so a typo is an error, not an
	 * empty page; free text (codes, ICD-O-3 prefixes) goes to the domain
	 * as bound parameters. */
	if (f->type && !ob_specimen_type_valid(f->type))
		return ob_error_set(OB_EINVALID, "type: '%s' is not a specimen type (%s)", f->type,
			ob_specimen_type_list());
	if (f->status && !ob_specimen_status_valid(f->status))
		return ob_error_set(OB_EINVALID, "status: '%s' is not a status", f->status);
	if (consent && (rc = ob_consent_uses_parse("consent", consent, &f->consent)) < 0)
		return rc;
	if (withdrawn && (rc = ob_specimen_withdrawn_parse(withdrawn, &f->withdrawn)) < 0)
		return rc;
	return 0;
}

int ob_h_json_required(json_t *obj, const char *name, const char **out)
{
	int rc = ob_http_json_str(obj, name, out);

	if (rc == 0 && (!*out || !**out))
		return ob_error_set(OB_EINVALID, "%s: is required", name);
	return rc;
}

int ob_h_json_known(json_t *obj, const char *const *names)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v) {
		const char *const *n = names;
		while (*n && strcmp(*n, key))
			n++;
		if (!*n)
			return ob_error_set(OB_EINVALID, "%s: is not a field of this request", key);
	}
	return 0;
}

int ob_h_json_changes(json_t *j, ob_h_changes *out)
{
	const char *key;
	json_t *v;
	int rc;

	out->n = 0;
	out->reason = NULL;
	json_object_foreach(j, key, v) {
		ob_change *c;
		if (!strcmp(key, "reason")) {
			if ((rc = ob_http_json_str(j, "reason", &out->reason)) < 0)
				return rc;
			continue;
		}
		if (out->n == OB_H_CHANGES_MAX)
			return ob_error_set(OB_EINVALID, "body: at most %d fields at once",
				OB_H_CHANGES_MAX);
		c = &out->ch[out->n];
		c->field = key;
		c->value = NULL;
		if (json_is_string(v)) {
			if ((rc = ob_http_json_str(j, key, &c->value)) < 0)
				return rc;
		} else if (json_is_integer(v)) {
			snprintf(out->num[out->n], sizeof out->num[0], "%lld",
				(long long)json_integer_value(v));
			c->value = out->num[out->n];
		} else if (json_is_real(v)) {
			snprintf(out->num[out->n], sizeof out->num[0], "%.15g", json_real_value(v));
			c->value = out->num[out->n];
		} else if (json_is_boolean(v)) {
			c->value = json_is_true(v) ? "yes" : "no";
		} else if (!json_is_null(v)) {
			return ob_error_set(OB_EINVALID, "%s: a string, number, true, false or null is"
				" expected", key);
		}
		out->n++;
	}
	return 0;
}

int ob_h_history_cb(const ob_audit_change *c, void *arg)
{
	json_t **changes = arg, *o;

	if (!*changes && !(*changes = json_array()))
		return ob_error_set(OB_ERROR, "out of memory");
	o = ob_view_change(c);
	if (!o || json_array_append_new(*changes, o) < 0)
		return ob_error_set(OB_ERROR, "out of memory");
	return 0;
}

int ob_h_reply_history(ob_http_response *resp, json_t *changes, int rc)
{
	if (rc < 0) {
		json_decref(changes);
		return rc;
	}
	return ob_h_reply_json(resp, 200, json_pack("{s:o}", "changes",
		changes ? changes : json_array()));
}
