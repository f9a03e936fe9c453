/*
 * text.h - the one check every text input passes (HTTP bodies, query
 * strings and path segments, CSV cells, command-line values): valid UTF-8,
 * no NUL, no control character, not longer than the field allows.
 * bank/fields.h holds the maximum length of each named field.
 */
#ifndef OB_TEXT_H
#define OB_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Flags for ob_text_check(). */
#define OB_TEXT_LINES 1u  /* line breaks (LF, CR) allowed: free text, file contents */

/* Checks the len bytes at s (which may hold NUL bytes: that is one of the
 * things refused) as text for field: well-formed UTF-8 (no overlong form,
 * no surrogate, nothing above U+10FFFF), no NUL, no C0 control but TAB
 * (and LF/CR with OB_TEXT_LINES), no DEL or C1 control, at most max bytes.
 * Returns 0, or OB_EINVALID with the message "FIELD: ..." giving the
 * byte offset of the first bad byte (never the bytes themselves). */
int ob_text_check(const char *field, const char *s, size_t len, size_t max, unsigned flags);

/* Length in bytes of the well-formed UTF-8 sequence at s (at most n bytes
 * available), or 0 when the bytes there are not one. */
size_t ob_utf8_seq(const unsigned char *s, size_t n);

#endif
