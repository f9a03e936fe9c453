/*
 * h_sequencing.c - sequencing results over HTTP: keep a VCF with its
 * specimen, list results, and the result's report (HTML for a browser tab,
 * or JSON). The server's reference and gene models, when it was given them
 * (`serve --fasta --gff`), annotate the records that carry no ANN/CSQ.
 */
#include "http/handlers.h"
#include "bank/sequencing.h"
#include "base/error.h"
#include "base/util.h"
#include "interp/seqreport.h"
#include "view/view.h"

#include <math.h>
#include <string.h>

static const char *genome_fasta, *genome_gff;

void ob_http_set_genome(const char *fasta, const char *gff)
{
	genome_fasta = fasta;
	genome_gff = gff;
}

static int add_seq(const ob_seq_row *r, void *arg)
{
	if (json_array_append_new(arg, ob_view_seq_row(r)) < 0)
		return ob_error_set(OB_ERROR, "sequencing: out of memory");
	return 0;
}

/* The results of barcode (NULL: all in scope) as a JSON array. */
static int list_reply(ob_http_request *req, ob_http_response *resp, const char *barcode,
                      int limit)
{
	ob_buf b = OB_BUF_INIT;
	json_t *a = json_array();
	int rc;

	if (!a)
		return ob_error_set(OB_ERROR, "sequencing: out of memory");
	if ((rc = ob_seq_list(&req->cx, barcode, limit, add_seq, a)) < 0) {
		json_decref(a);
		return rc;
	}
	return ob_h_reply(resp, 200, &b, ob_view_dump(a, &b));
}

int ob_h_sequencing_list(ob_http_request *req, ob_http_response *resp)
{
	const char *limit_s = ob_http_query(req, "limit");
	int64_t limit = 100;

	if (limit_s && (ob_parse_i64(limit_s, &limit) < 0 || limit < 1 || limit > 1000))
		return ob_error_set(OB_EINVALID, "limit: '%s' is not a number from 1 to 1000",
			limit_s);
	return list_reply(req, resp, NULL, (int)limit);
}

int ob_h_specimen_sequencing(ob_http_request *req, ob_http_response *resp)
{
	return list_reply(req, resp, req->params[0], 1000);
}

int ob_h_specimen_sequencing_add(ob_http_request *req, ob_http_response *resp)
{
	static const char *const known[] = { "kind", "assay", "genome", "tumor_type",
		"panel_size_mb", "msi", "file_name", "vcf", NULL };
	ob_seq_new in = { 0 };
	const char *vcf = NULL;
	json_t *body;
	int64_t id = 0;
	int rc;

	if ((rc = ob_http_json_body(req, &body)) < 0)
		return rc;
	in.specimen = req->params[0];
	in.panel_size_mb = NAN;
	if ((rc = ob_h_json_known(body, known)) < 0
	    || (rc = ob_h_json_required(body, "kind", &in.kind)) < 0
	    || (rc = ob_h_json_required(body, "assay", &in.assay)) < 0
	    || (rc = ob_h_json_required(body, "genome", &in.genome)) < 0
	    || (rc = ob_h_json_required(body, "vcf", &vcf)) < 0
	    || (rc = ob_http_json_str(body, "tumor_type", &in.tumor_type)) < 0
	    || (rc = ob_http_json_str(body, "msi", &in.msi)) < 0
	    || (rc = ob_http_json_str(body, "file_name", &in.file_name)) < 0
	    || (rc = ob_http_json_num(body, "panel_size_mb", &in.panel_size_mb)) < 0)
		goto out;
	if ((rc = ob_seq_add(&req->cx, &in, vcf, strlen(vcf), &id)) < 0)
		goto out;
	rc = ob_h_reply_json(resp, 201, json_pack("{s:I, s:s}", "id", (json_int_t)id,
		"specimen", in.specimen));
out:
	json_decref(body);
	return rc;
}

int ob_h_sequencing_report(ob_http_request *req, ob_http_response *resp)
{
	const char *format = ob_http_query(req, "format");
	ob_seqreport_opts o = { 0 };
	ob_buf b = OB_BUF_INIT;
	int64_t id;
	int rc;

	if (ob_parse_i64(req->params[0], &id) < 0 || id <= 0)
		return ob_error_set(OB_ENOTFOUND, "no sequencing result has id '%s'", req->params[0]);
	if (format && strcmp(format, "html") && strcmp(format, "json"))
		return ob_error_set(OB_EINVALID, "format: '%s' is neither html nor json", format);
	o.format = format ? format : "html";
	o.fasta = genome_fasta;
	o.gff = genome_gff;
	if ((rc = ob_seqreport(&req->cx, id, &o, &b)) < 0 || b.failed) {
		ob_buf_dispose(&b);
		return rc < 0 ? rc : ob_error_set(OB_ERROR, "report: out of memory");
	}
	if (!strcmp(o.format, "json"))
		return ob_h_reply(resp, 200, &b, 0);
	resp->status = 200;
	resp->content_type = "text/html; charset=utf-8";
	resp->body = b;
	return 0;
}
