/*
 * fields.c - the maximum length of every named text field (fields.h).
 * Codes and barcodes follow their own rules too (site.h, barcode.h,
 * container.h); the figures here are the outer bound every door checks
 * first. Keep docs/api.md's table and openapi.json's maxLength in step.
 */
#include "bank/fields.h"
#include "bank/sequencing.h"
#include "base/text.h"

#include <string.h>

#define LINES OB_TEXT_LINES

const ob_field_limit ob_field_limits[] = {
	/* identifiers and codes */
	{ "barcode", 32, 0 }, { "parent", 32, 0 }, { "container", 32, 0 }, { "into", 32, 0 },
	{ "a", 32, 0 }, { "b", 32, 0 }, { "under", 32, 0 }, { "position", 16, 0 },
	{ "site", 32, 0 }, { "code", 64, 0 }, { "donor", 64, 0 },
	{ "donor_site", 32, 0 }, { "username", 64, 0 }, { "id", 20, 0 },
	/* words of a vocabulary */
	{ "kind", 32, 0 }, { "type", 32, 0 }, { "status", 32, 0 }, { "unit", 16, 0 },
	{ "sex", 16, 0 }, { "role", 32, 0 }, { "lineage", 16, 0 }, { "pathology", 16, 0 },
	{ "scheme", 16, 0 }, { "collection", 16, 0 }, { "vessel", 32, 0 }, { "fixation", 16, 0 },
	{ "precentrifugation_temp", 16, 0 }, { "postcentrifugation_temp", 16, 0 },
	{ "centrifugation", 32, 0 }, { "second_centrifugation", 32, 0 }, { "consent", 100, 0 },
	{ "scope", 100, 0 }, { "format", 16, 0 }, { "symbology", 16, 0 }, { "version", 16, 0 },
	{ "date_order", 8, 0 }, { "consent_phase", 16, 0 }, { "genome", 32, 0 },
	{ "tumor_type", 32, 0 }, { "msi", 16, 0 }, { "disposition", 16, 0 },
	{ "consent_disposition", 16, 0 }, { "statement", 32, 0 }, { "response", 16, 0 },
	{ "withdrawn", 16, 0 },
	/* coded clinical values, dates */
	{ "topography", 16, 0 }, { "morphology", 16, 0 }, { "anatomic_site", 100, 0 },
	{ "sprec", 40, 0 }, { "collected_at", 32, 0 }, { "date", 32, 0 }, { "signed_on", 32, 0 },
	{ "diagnosed_on", 32, 0 }, { "withdrawn_on", 32, 0 }, { "form_version", 64, 0 },
	{ "retired", 32, 0 }, { "effective_on", 32, 0 }, { "ethics_approved_on", 32, 0 }, { "ethics_expires_on", 32, 0 },
	{ "enrolled_on", 32, 0 },
	/* studies */
	{ "study", 64, 0 }, { "event", 64, 0 }, { "requirement", 64, 0 }, { "ppid", 64, 0 },
	{ "pi", 64, 0 }, { "user", 64, 0 }, { "title", 200, 0 }, { "ethics_ref", 100, 0 },
	{ "ppid_format", 200, 0 }, { "processing", 1000, LINES }, { "forms", 64, 0 },
	{ "sites", 32, 0 },
	/* shipments (shipment.h) */
	{ "shipment", 32, 0 }, { "from_site", 32, 0 }, { "to_site", 32, 0 },
	{ "courier", 100, 0 }, { "tracking", 100, 0 }, { "logger", 100, 0 },
	{ "condition", 32, 0 }, { "direction", 16, 0 }, { "q", 200, 0 },
	{ "notes", 2000, LINES }, { "note", 2000, LINES },
	/* names and free text */
	{ "label", 64, 0 }, { "name", 200, 0 }, { "assay", 200, 0 }, { "file_name", 255, 0 },
	{ "withdrawn_by", 100, 0 }, { "witness", 200, 0 }, { "recorded_by", 100, 0 },
	{ "text", 2000, LINES }, { "text_zh", 2000, LINES },
	{ "reason", 1000, LINES }, { "withdrawal_reason", 1000, LINES },
	/* secrets: user.h checks their own rules */
	{ "password", 1024, 0 }, { "current_password", 1024, 0 },
	/* a file's contents */
	{ "vcf", OB_SEQ_MAX_BYTES, LINES },
	{ NULL, 0, 0 }
};

static const ob_field_limit fallback = { "", OB_FIELD_MAX_DEFAULT, 0 };

const ob_field_limit *ob_field_limit_of(const char *name)
{
	for (const ob_field_limit *f = ob_field_limits; name && f->name; f++)
		if (!strcmp(f->name, name))
			return f;
	return &fallback;
}

int ob_field_check(const char *name, const char *s, size_t len)
{
	const ob_field_limit *f = ob_field_limit_of(name);

	return ob_text_check(name, s, len, f->max, f->flags);
}
