/*
 * buf.h - one growable text buffer, always NUL-terminated.
 *
 * Initialise with OB_BUF_INIT (or ob_buf_init() to set a hard maximum for
 * anything fed from the network); release with ob_buf_dispose(). Appends
 * return 0 or OB_ERROR when memory runs out or the maximum would be passed;
 * the buffer is then unchanged and `failed` is set, so a run of appends can
 * be checked once at its end.
 */
#ifndef OB_BUF_H
#define OB_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

typedef struct ob_buf {
	char *s;     /* contents, NUL-terminated once anything is appended */
	size_t len;  /* bytes used, not counting the NUL */
	size_t cap;  /* bytes allocated */
	size_t max;  /* hard limit on len; 0 means none */
	int failed;  /* set when an append failed; cleared by ob_buf_clear() */
} ob_buf;

#define OB_BUF_INIT { NULL, 0, 0, 0, 0 }

void ob_buf_init(ob_buf *b, size_t max);
void ob_buf_dispose(ob_buf *b);
/* Empties the buffer, keeping its memory. */
void ob_buf_clear(ob_buf *b);
int ob_buf_grow(ob_buf *b, size_t extra);
/* Appends n bytes (puts: a C string; putc: one byte). 0, or OB_ERROR with
 * b->failed set when out of memory or beyond the limit. The common case -
 * room left - is inline: annotation appends millions of short pieces. */
int ob_buf_put_slow(ob_buf *b, const void *data, size_t n);
static inline int ob_buf_put(ob_buf *b, const void *data, size_t n)
{
	if (b->len + n < b->cap && (!b->max || b->len + n <= b->max)) {
		if (n)
			memcpy(b->s + b->len, data, n);
		b->len += n;
		b->s[b->len] = '\0';
		return 0;
	}
	return ob_buf_put_slow(b, data, n);
}
static inline int ob_buf_puts(ob_buf *b, const char *s)
{
	return ob_buf_put(b, s, strlen(s));
}
static inline int ob_buf_putc(ob_buf *b, char c)
{
	if (b->len + 1 < b->cap && (!b->max || b->len + 1 <= b->max)) {
		b->s[b->len++] = c;
		b->s[b->len] = '\0';
		return 0;
	}
	return ob_buf_put_slow(b, &c, 1);
}
int ob_buf_printf(ob_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int ob_buf_vprintf(ob_buf *b, const char *fmt, va_list ap);
/* Appends s as a JSON string literal, quotes included; a byte of s that
 * is not part of well-formed UTF-8 is written as U+FFFD. */
int ob_buf_json_str(ob_buf *b, const char *s);
/* Appends s escaped for HTML text and attribute values (& < > " '); NULL
 * appends nothing. */
int ob_buf_html(ob_buf *b, const char *s);
/* The contents as a C string ("" for an empty buffer); borrowed. */
const char *ob_buf_cstr(const ob_buf *b);
/* Hands the contents to the caller (free() them) and empties the buffer. */
char *ob_buf_detach(ob_buf *b);

#endif
