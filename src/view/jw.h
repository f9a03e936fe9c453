/*
 * jw.h - a streaming JSON writer for the documents read most: a specimen's
 * row (every search result, every line of find --json) and its full record
 * (every scan at a bench). It writes the bytes ob_view_dump() gives for the
 * same jansson document - compact, members in order, text escaped as
 * jansson escapes it (invalid UTF-8 as U+FFFD), numbers as
 * ob_view_real() and jansson's JSON_REAL_PRECISION(15) spell them - without
 * building the tree: a jansson tree of a full record (some 200 allocations,
 * then freed) cost 28 us of the 44 us a show took, against 3 us here
 * (bench/part-records.sh measures the route against the build before the
 * record refactor). Every other document is built with jansson.
 *
 * Keys are NULL inside arrays and for the top value. Errors (out of
 * memory) are sticky in the buffer: ob_jw_done() reports them.
 */
#ifndef OB_VIEW_JW_H
#define OB_VIEW_JW_H

#include "bank/record.h"
#include "base/buf.h"

#include <stdbool.h>
#include <stdint.h>

#define OB_JW_DEPTH 16

typedef struct ob_jw {
	ob_buf *out;
	int depth;
	bool more[OB_JW_DEPTH];  /* a member was written at this depth */
	char close[OB_JW_DEPTH]; /* what ends it: '}' or ']' */
} ob_jw;

void ob_jw_init(ob_jw *w, ob_buf *out);
void ob_jw_object(ob_jw *w, const char *key);
void ob_jw_array(ob_jw *w, const char *key);
void ob_jw_end(ob_jw *w);                       /* closes the innermost */
void ob_jw_text(ob_jw *w, const char *key, const char *v);  /* NULL: null */
void ob_jw_real(ob_jw *w, const char *key, double v);       /* NaN: null */
void ob_jw_int(ob_jw *w, const char *key, int64_t v);
void ob_jw_null(ob_jw *w, const char *key);
/* A JSON text kept as it is (a stored canonical audit row); NULL: null. */
void ob_jw_raw(ob_jw *w, const char *key, const char *json);
/* The fields of rec flagged flags, as members of the open object. */
void ob_jw_fields(ob_jw *w, const ob_field *fields, const void *rec, unsigned flags);
/* 0, or OB_ERROR "json: out of memory". */
int ob_jw_done(ob_jw *w);

/* A real as jansson writes it with JSON_REAL_PRECISION(15), or as an
 * integer when integral below 1e15 (ob_view_real()): out holds 32 bytes. */
void ob_jw_number(double v, char out[32]);

#endif
