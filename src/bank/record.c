/*
 * record.c - the field-table walks every entity shares (record.h).
 */
#include "bank/record.h"
#include "bank/audit.h"
#include "bank/fields.h"
#include "base/error.h"
#include "base/util.h"
#include "store/store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ob_record_init(const ob_field *fields, void *rec)
{
	for (const ob_field *f = fields; f->name; f++) {
		switch (f->kind) {
		case OB_FIELD_TEXT: *ob_field_text_at(f, rec) = NULL; break;
		case OB_FIELD_REAL: *ob_field_real_at(f, rec) = NAN; break;
		case OB_FIELD_INT: *ob_field_int_at(f, rec) = 0; break;
		}
	}
}

void ob_record_read(const ob_field *fields, ob_stmt *s, int first, void *rec)
{
	int col = first;

	for (const ob_field *f = fields; f->name; f++, col++) {
		switch (f->kind) {
		case OB_FIELD_TEXT: *ob_field_text_at(f, rec) = ob_stmt_text(s, col); break;
		case OB_FIELD_REAL: *ob_field_real_at(f, rec) = ob_stmt_double(s, col); break;
		case OB_FIELD_INT: *ob_field_int_at(f, rec) = ob_stmt_int(s, col); break;
		}
	}
}

const ob_field *ob_field_find(const ob_field *fields, const char *name)
{
	for (const ob_field *f = fields; name && f->name; f++)
		if (!strcmp(f->name, name))
			return f;
	return NULL;
}

bool ob_field_unknown(const ob_field *f, const void *rec)
{
	switch (f->kind) {
	case OB_FIELD_TEXT: return ob_field_text(f, rec) == NULL;
	case OB_FIELD_REAL: return isnan(ob_field_real(f, rec));
	default: return false;
	}
}

int ob_field_parse(const ob_field *f, void *rec, const char *text)
{
	bool empty = !text || !*text;

	switch (f->kind) {
	case OB_FIELD_TEXT:
		*ob_field_text_at(f, rec) = empty ? NULL : text;
		return 0;
	case OB_FIELD_REAL:
		if (empty) {
			*ob_field_real_at(f, rec) = NAN;
			return 0;
		}
		if (ob_parse_double(text, ob_field_real_at(f, rec)) < 0
		    || !isfinite(*ob_field_real_at(f, rec)))
			return ob_error_set(OB_EINVALID, "%s: '%s' is not a number", f->name, text);
		return 0;
	case OB_FIELD_INT:
		if (empty) {
			*ob_field_int_at(f, rec) = 0;
			return 0;
		}
		if (ob_parse_i64(text, ob_field_int_at(f, rec)) < 0)
			return ob_error_set(OB_EINVALID, "%s: '%s' is not a whole number", f->name, text);
		return 0;
	}
	return ob_error_set(OB_ERROR, "%s: unknown field kind", f->name);
}

void ob_field_format(const ob_field *f, const void *rec, char *out, size_t n)
{
	if (!n)
		return;
	out[0] = '\0';
	switch (f->kind) {
	case OB_FIELD_TEXT:
		if (ob_field_text(f, rec))
			ob_strlcpy(out, ob_field_text(f, rec), n);
		break;
	case OB_FIELD_REAL:
		if (!isnan(ob_field_real(f, rec)))
			snprintf(out, n, "%.15g", ob_field_real(f, rec));
		break;
	case OB_FIELD_INT:
		snprintf(out, n, "%lld", (long long)ob_field_int(f, rec));
		break;
	}
}

bool ob_field_same(const ob_field *f, const void *a, const void *b)
{
	switch (f->kind) {
	case OB_FIELD_TEXT: {
		const char *x = ob_field_text(f, a), *y = ob_field_text(f, b);
		return x == y || (x && y && !strcmp(x, y));
	}
	case OB_FIELD_REAL: {
		double x = ob_field_real(f, a), y = ob_field_real(f, b);
		return (isnan(x) && isnan(y)) || x == y;
	}
	case OB_FIELD_INT:
		return ob_field_int(f, a) == ob_field_int(f, b);
	}
	return false;
}

void ob_record_audit_row(const ob_ctx *cx, const ob_field *fields, const void *rec, ob_buf *out)
{
	for (const ob_field *f = fields; f->name; f++) {
		if (!(f->flags & OB_F_AUDIT))
			continue;
		switch (f->kind) {
		case OB_FIELD_TEXT: ob_audit_row_text(out, f->name, ob_field_text(f, rec)); break;
		case OB_FIELD_REAL: ob_audit_row_double(cx, out, f->name, ob_field_real(f, rec)); break;
		case OB_FIELD_INT: ob_audit_row_int(out, f->name, ob_field_int(f, rec)); break;
		}
	}
}

int ob_record_own(const ob_field *fields, void *rec)
{
	for (const ob_field *f = fields; f->name; f++) {
		const char **p;
		if (f->kind != OB_FIELD_TEXT || !*(p = ob_field_text_at(f, rec)))
			continue;
		char *copy = strdup(*p);
		if (!copy) {
			/* the fields before f are owned, f and the rest are not */
			*p = NULL;
			for (const ob_field *g = f + 1; g->name; g++)
				if (g->kind == OB_FIELD_TEXT)
					*ob_field_text_at(g, rec) = NULL;
			ob_record_release(fields, rec);
			return ob_error_set(OB_ERROR, "out of memory");
		}
		*p = copy;
	}
	return 0;
}

void ob_record_release(const ob_field *fields, void *rec)
{
	for (const ob_field *f = fields; f->name; f++) {
		if (f->kind != OB_FIELD_TEXT)
			continue;
		free((char *)*ob_field_text_at(f, rec));
		*ob_field_text_at(f, rec) = NULL;
	}
}

int ob_record_change(const ob_field *fields, const char *what, const void *before, void *after,
                     const ob_change *ch, size_t n, const char *reason, ob_change_check check,
                     void *arg)
{
	int rc;

	if (!reason || !*reason)
		return ob_error_set(OB_EINVALID, "reason: a correction needs a reason");
	if ((rc = ob_field_check("reason", reason, strlen(reason))) < 0)
		return rc;
	if (n == 0)
		return ob_error_set(OB_EINVALID, "field: nothing to correct (give FIELD=VALUE)");
	for (size_t i = 0; i < n; i++) {
		const ob_field *f = ob_field_find(fields, ch[i].field);
		const char *v = ch[i].value;
		char was[256];

		if (!f)
			return ob_error_set(OB_EINVALID, "%s: a %s has no such field",
				ch[i].field && *ch[i].field ? ch[i].field : "field", what);
		if (!(f->flags & OB_F_FIX))
			return ob_error_set(OB_EINVALID, "%s: is not correctable", f->name);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(ch[j].field, f->name))
				return ob_error_set(OB_EINVALID, "%s: given more than once", f->name);
		if (v && (rc = ob_field_check(f->name, v, strlen(v))) < 0)
			return rc;
		if ((rc = ob_field_parse(f, after, v)) < 0 || (check && (rc = check(f, after, arg)) < 0))
			return rc;
		if (ob_field_same(f, before, after)) {
			ob_field_format(f, before, was, sizeof was);
			return ob_error_set(OB_EINVALID, "%s: is %s%s%s already: nothing to correct",
				f->name, *was ? "'" : "", *was ? was : "empty", *was ? "'" : "");
		}
	}
	return 0;
}

int ob_record_load(const ob_ctx *cx, const char *sql, const ob_field *fields, int64_t id,
                   void *rec)
{
	ob_stmt *s;
	int rc;

	ob_record_init(fields, rec);
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, id);
	rc = ob_stmt_step(s);
	if (rc == OB_ROW) {
		ob_record_read(fields, s, 1, rec);
		rc = ob_record_own(fields, rec);
	} else if (rc == 0) {
		rc = ob_error_set(OB_ENOTFOUND, "record %lld not found", (long long)id);
	}
	ob_stmt_reset(s);
	return rc;
}
