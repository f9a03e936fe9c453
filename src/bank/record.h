/*
 * record.h - one typed record per entity and one field table that drives
 * everything done field by field: the columns read, the row reader, the
 * canonical audit row, CSV export and import, the HTTP and CLI mappers and
 * corrections (docs/architecture.md, "Records and fields").
 *
 * An entity lists its fields once, as an X-macro in its header:
 *
 *   #define OB_SPECIMEN_FIELDS(X) \
 *       X(barcode, TEXT, "s.barcode", OB_F_ROW | OB_F_CSV | OB_F_AUDIT) \
 *       X(tumour_pct, REAL, "s.tumour_pct", OB_F_ROW | ... | OB_F_FIX) ...
 *
 * From that one list come the record's members (OB_RECORD_MEMBER), the
 * field table (OB_RECORD_ENTRY) and, by string-literal concatenation at
 * compile time, the SELECT column list (OB_RECORD_SQL: "expr AS name" in
 * table order), so the statement is a constant the statement cache keys
 * by its address. A new field is one line in one place.
 *
 * Kinds: TEXT is a const char * (NULL: unknown), REAL a double (NaN:
 * unknown), INT an int64_t. A record read by ob_record_read() borrows its
 * texts from the statement until the statement is stepped or reset;
 * ob_record_own() copies them so that the record outlives it.
 */
#ifndef OB_RECORD_H
#define OB_RECORD_H

#include "bank/ctx.h"
#include "base/buf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ob_stmt ob_stmt;

typedef enum ob_field_kind { OB_FIELD_TEXT, OB_FIELD_REAL, OB_FIELD_INT } ob_field_kind;

/* What a field takes part in. */
enum {
	OB_F_ROW = 1 << 0,    /* the record's row: search results, the JSON object */
	OB_F_PRE = 1 << 1,    /* the pre-analytical sub-record ("preanalytics") */
	OB_F_CSV = 1 << 2,    /* a column of the CSV export and import */
	OB_F_FIX = 1 << 3,    /* entered by a person: correctable, with a reason */
	OB_F_AUDIT = 1 << 4,  /* a key of the canonical audit row */
	OB_F_OPT = 1 << 5,    /* left out of a JSON object while unknown (a field
	                         added to a row whose documents never had it) */
};

typedef struct ob_field {
	const char *name;     /* JSON key, CSV column, audit key, FIELD of a correction */
	ob_field_kind kind;
	size_t off;           /* offsetof() in the record */
	unsigned flags;       /* OB_F_* */
} ob_field;

#define OB_FIELD_CTYPE_TEXT const char *
#define OB_FIELD_CTYPE_REAL double
#define OB_FIELD_CTYPE_INT int64_t

/* X-macro expanders: a member of the record struct; the SELECT list; an
 * entry of the field table of record type T (an entity's .c file defines
 * its own one-argument-list expander with it, and ends the table with
 * OB_RECORD_END). */
#define OB_RECORD_MEMBER(name, kind, sql, flags) OB_FIELD_CTYPE_##kind name;
#define OB_RECORD_SQL(name, kind, sql, flags) ", " sql " AS " #name
#define OB_RECORD_COUNT(name, kind, sql, flags) + 1
#define OB_RECORD_ENTRY(T, name, kind, flags) \
	{ #name, OB_FIELD_##kind, offsetof(T, name), (flags) },
#define OB_RECORD_END { NULL, OB_FIELD_TEXT, 0, 0 }

/* One change of a correction: a field by name and its new value as text
 * (NULL or "": unknown, for a field that may be unknown). */
typedef struct ob_change {
	const char *field;
	const char *value;
} ob_change;

/* Sets every field to unknown: NULL, NaN, 0. */
void ob_record_init(const ob_field *fields, void *rec);

/* Reads the fields, in table order, from columns first, first + 1, ... of
 * the current row: NULL columns as unknown. */
void ob_record_read(const ob_field *fields, ob_stmt *s, int first, void *rec);

/* The field named name (its table name), or NULL. */
const ob_field *ob_field_find(const ob_field *fields, const char *name);

/* Pointers into a record, and its values: inline, as every table walk
 * (a row read, a CSV line, a JSON object) calls them once per field. */
static inline const char **ob_field_text_at(const ob_field *f, void *rec)
{
	return (const char **)((char *)rec + f->off);
}

static inline double *ob_field_real_at(const ob_field *f, void *rec)
{
	return (double *)((char *)rec + f->off);
}

static inline int64_t *ob_field_int_at(const ob_field *f, void *rec)
{
	return (int64_t *)((char *)rec + f->off);
}

static inline const char *ob_field_text(const ob_field *f, const void *rec)
{
	return *(const char *const *)((const char *)rec + f->off);
}

static inline double ob_field_real(const ob_field *f, const void *rec)
{
	return *(const double *)((const char *)rec + f->off);
}

static inline int64_t ob_field_int(const ob_field *f, const void *rec)
{
	return *(const int64_t *)((const char *)rec + f->off);
}

/* True when the field holds no value (NULL text, NaN number). An INT is
 * never unknown. */
bool ob_field_unknown(const ob_field *f, const void *rec);

/* Sets field f of rec from text: NULL or "" makes it unknown (a TEXT
 * borrows text, not copied); a REAL or INT must parse completely.
 * OB_EINVALID "NAME: 'TEXT' is not a number" otherwise. */
int ob_field_parse(const ob_field *f, void *rec, const char *text);

/* The value as text into out (n bytes): "" when unknown; numbers as
 * "%.15g" (the form CSV export writes and JSON shows). */
void ob_field_format(const ob_field *f, const void *rec, char *out, size_t n);

/* True when field f holds the same value in a and b (both unknown counts
 * as the same). */
bool ob_field_same(const ob_field *f, const void *a, const void *b);

/* Appends the fields flagged OB_F_AUDIT, in table order, to an audit row
 * being built (ob_audit_row_begin ... end): the canonical row as
 * ob_audit_encode() reads it back. */
void ob_record_audit_row(const ob_ctx *cx, const ob_field *fields, const void *rec, ob_buf *out);

/* Copies every text of rec, so that it outlives the statement it was read
 * from; ob_record_release() frees them. OB_ERROR when out of memory (the
 * record is then released). */
int ob_record_own(const ob_field *fields, void *rec);
void ob_record_release(const ob_field *fields, void *rec);

/* Reads row id with sql (an entity's audit one_sql: the id column, then
 * the fields in table order, id bound as $1) into rec, owned: release it
 * with ob_record_release(). OB_ENOTFOUND when there is no such row. */
int ob_record_load(const ob_ctx *cx, const char *sql, const ob_field *fields, int64_t id,
                   void *rec);

/* ---- corrections (ob_change is above) ---- */

/* Checks an entity's new value of field f in after (parsed already): 0, or
 * OB_EINVALID "NAME: ..." (it may normalise the value in place, pointing a
 * text at static storage or at arg's). */
typedef int (*ob_change_check)(const ob_field *f, void *after, void *arg);

/* Applies the changes ch[0..n) to after, a copy of the stored record
 * before (the caller copies it), as a correction with reason does: every
 * field must be in the table (what names the entity: "FIELD: a donor has
 * no such field") and flagged OB_F_FIX ("FIELD: is not correctable"),
 * named once; a text within its length (bank/fields.h); parsed by
 * ob_field_parse(); then checked by check (may be NULL); and it must
 * differ from before ("FIELD: is 'X' already: nothing to correct"). A
 * correction needs a reason ("reason: ...") and at least one change.
 * OB_EINVALID naming the field; after then holds a partial change. */
int ob_record_change(const ob_field *fields, const char *what, const void *before, void *after,
                     const ob_change *ch, size_t n, const char *reason, ob_change_check check,
                     void *arg);

#endif
