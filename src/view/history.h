/*
 * history.h - corrections' views, shared by http and cli: one field's
 * change as JSON, a field table as JSON (what a form may offer).
 */
#ifndef OB_VIEW_HISTORY_H
#define OB_VIEW_HISTORY_H

#include "bank/audit.h"
#include "bank/record.h"

#include <jansson.h>

/* {"seq","at","actor","action","reason","field","before","after"}: values
 * as stored (text), null when none. NULL when out of memory. */
json_t *ob_view_change(const ob_audit_change *c);

/* The fields of a table in order: [{"name","kind":"text"|"number"|"integer",
 * "correctable":bool,"group":"record"|"preanalytics"}]. */
json_t *ob_view_fields(const ob_field *fields);

/* The field table of an entity by its API name ("specimen"), or NULL. */
const ob_field *ob_view_entity_fields(const char *entity);

#endif
