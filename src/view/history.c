/*
 * history.c - corrections' views (history.h).
 */
#include "view/history.h"
#include "bank/container.h"
#include "bank/donor.h"
#include "bank/site.h"
#include "bank/specimen.h"

#include <string.h>

json_t *ob_view_change(const ob_audit_change *c)
{
	json_t *o = json_object();

	if (!o)
		return NULL;
	if (json_object_set_new(o, "seq", json_integer(c->event->seq)) < 0
	    || json_object_set_new(o, "at", json_string(c->event->at)) < 0
	    || json_object_set_new(o, "actor", json_string(c->event->actor)) < 0
	    || json_object_set_new(o, "action", json_string(c->event->action)) < 0
	    || json_object_set_new(o, "reason",
		c->event->reason ? json_string(c->event->reason) : json_null()) < 0
	    || json_object_set_new(o, "field", json_string(c->field)) < 0
	    || json_object_set_new(o, "before", c->before ? json_string(c->before) : json_null()) < 0
	    || json_object_set_new(o, "after", c->after ? json_string(c->after) : json_null()) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static const char *kind_word(ob_field_kind k)
{
	switch (k) {
	case OB_FIELD_REAL: return "number";
	case OB_FIELD_INT: return "integer";
	default: return "text";
	}
}

json_t *ob_view_fields(const ob_field *fields)
{
	json_t *a = json_array();

	for (const ob_field *f = fields; a && f->name; f++) {
		json_t *o;
		if (!(f->flags & (OB_F_ROW | OB_F_PRE)))
			continue;  /* kept, not shown (a donor's consent mask), or an input
			              of creation only (parent_used) */
		o = json_pack("{s:s,s:s,s:b,s:s}", "name", f->name, "kind", kind_word(f->kind),
			"correctable", (f->flags & OB_F_FIX) != 0, "group",
			(f->flags & OB_F_PRE) ? "preanalytics" : "record");
		if (!o || json_array_append_new(a, o) < 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

const ob_field *ob_view_entity_fields(const char *entity)
{
	static const struct {
		const char *name;
		const ob_field *fields;
	} entities[] = {
		{ "specimen", ob_specimen_fields },
		{ "donor", ob_donor_fields },
		{ "diagnosis", ob_diagnosis_fields },
		{ "container", ob_container_fields },
		{ "site", ob_site_fields },
	};

	for (size_t i = 0; entity && i < sizeof entities / sizeof entities[0]; i++)
		if (!strcmp(entity, entities[i].name))
			return entities[i].fields;
	return NULL;
}
