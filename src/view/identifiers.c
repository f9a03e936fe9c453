/*
 * identifiers.c - direct identifiers as JSON (see identifiers.h).
 */
#include "view/identifiers.h"
#include "view/view.h"
#include "base/error.h"

#include <string.h>

json_t *ob_view_identifiers_new(const char *site, const char *donor)
{
	return json_pack("{s:o,s:o}", "site", ob_view_text(site), "donor", ob_view_text(donor));
}

int ob_view_identifier_add(const ob_identifier *id, void *obj)
{
	json_t *o = obj, *mrn;
	int rc;

	if (!strcmp(id->kind, "mrn")) {
		/* listed last, so the array comes after the other kinds */
		if (!(mrn = json_object_get(o, "mrn")) && json_object_set_new(o, "mrn",
				mrn = json_array()) < 0)
			return ob_error_set(OB_ERROR, "identifiers: out of memory");
		rc = json_array_append_new(mrn, json_pack("{s:o,s:o}", "site",
			ob_view_text(id->site), "value", ob_view_text(id->value)));
	} else {
		rc = json_object_set_new(o, id->kind, ob_view_text(id->value));
	}
	return rc < 0 ? ob_error_set(OB_ERROR, "identifiers: out of memory") : 0;
}

int ob_view_identified_donor_append(const char *site, const char *donor, void *arr)
{
	if (json_array_append_new(arr, json_pack("{s:o,s:o}", "site", ob_view_text(site), "donor",
			ob_view_text(donor))) < 0)
		return ob_error_set(OB_ERROR, "identifiers: out of memory");
	return 0;
}

void ob_view_donor_identifiers(const ob_ctx *cx, const char *site, const char *code, json_t *doc)
{
	json_t *o;

	if (!doc || !ob_identifier_granted(cx) || !(o = ob_view_identifiers_new(site, code)))
		return;
	if (ob_identifier_list(cx, site, code, ob_view_identifier_add, o) == 0
	    && json_object_size(o) > 2) {
		json_object_del(o, "site");
		json_object_del(o, "donor");
		json_object_set(doc, "identifiers", o);
	}
	/* not seen is not an error: a reader without the permission, a
	 * missing key */
	ob_error_clear();
	json_decref(o);
}
