/*
 * fields.h - the text fields of the biobank and the longest value each
 * takes: one table (fields.c, docs/api.md "Text fields") used by every
 * reader of text input - the HTTP JSON readers, query strings and path
 * segments, the CSV import's cells and the command line's option values -
 * so that a value refused at one door is refused at all of them.
 */
#ifndef OB_FIELDS_H
#define OB_FIELDS_H

#include <stddef.h>

/* The longest value of a field not in the table, in bytes. */
#define OB_FIELD_MAX_DEFAULT 200

typedef struct ob_field_limit {
	const char *name;    /* the JSON member, query parameter or CSV column */
	size_t max;          /* bytes */
	unsigned flags;      /* OB_TEXT_LINES for free text (base/text.h) */
} ob_field_limit;

/* The table, ended by an entry whose name is NULL. */
extern const ob_field_limit ob_field_limits[];

/* The limit for name; the default (OB_FIELD_MAX_DEFAULT, one line) for a
 * name not in the table. Never NULL. */
const ob_field_limit *ob_field_limit_of(const char *name);

/* ob_text_check() with name's limit: OB_EINVALID "NAME: ...". s holds
 * len bytes (NUL bytes among them are refused). */
int ob_field_check(const char *name, const char *s, size_t len);

#endif
