/*
 * buf.c - the growable text buffer of buf.h.
 */
#include "base/buf.h"
#include "base/text.h"
#include "base/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ob_buf_init(ob_buf *b, size_t max)
{
	b->s = NULL;
	b->len = b->cap = 0;
	b->max = max;
	b->failed = 0;
}

void ob_buf_dispose(ob_buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

void ob_buf_clear(ob_buf *b)
{
	b->len = 0;
	b->failed = 0;
	if (b->s)
		b->s[0] = '\0';
}

int ob_buf_grow(ob_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1, cap;
	char *s;

	if (b->max && b->len + extra > b->max) {
		b->failed = 1;
		return ob_error_set(OB_ERROR, "buffer limit of %zu bytes reached", b->max);
	}
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	s = realloc(b->s, cap);
	if (!s) {
		b->failed = 1;
		return ob_error_set(OB_ERROR, "out of memory");
	}
	b->s = s;
	b->cap = cap;
	return 0;
}

int ob_buf_put_slow(ob_buf *b, const void *data, size_t n)
{
	if (ob_buf_grow(b, n) < 0)
		return OB_ERROR;
	if (n)
		memcpy(b->s + b->len, data, n);
	b->len += n;
	b->s[b->len] = '\0';
	return 0;
}

int ob_buf_vprintf(ob_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	size_t room;
	int n;

	/* Format straight into the spare room; measure and retry only when the
	 * text does not fit (one pass for the common short case). */
	room = b->max && b->max - b->len < 64 ? b->max - b->len : 64;
	if (ob_buf_grow(b, room) < 0)
		return OB_ERROR;
	room = b->cap - b->len;
	va_copy(ap2, ap);
	n = vsnprintf(b->s + b->len, room, fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		b->s[b->len] = '\0';
		return ob_error_set(OB_ERROR, "bad format");
	}
	if ((size_t)n >= room) {
		b->s[b->len] = '\0';
		if (ob_buf_grow(b, (size_t)n) < 0)
			return OB_ERROR;
		vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	}
	if (b->max && b->len + (size_t)n > b->max) {
		b->s[b->len] = '\0';
		b->failed = 1;
		return ob_error_set(OB_ERROR, "buffer limit of %zu bytes reached", b->max);
	}
	b->len += (size_t)n;
	return 0;
}

int ob_buf_printf(ob_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = ob_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

int ob_buf_html(ob_buf *b, const char *s)
{
	for (const char *run = s; s && *s; s++) {
		const char *ent = *s == '<' ? "&lt;" : *s == '>' ? "&gt;" : *s == '&' ? "&amp;"
			: *s == '"' ? "&quot;" : *s == '\'' ? "&#39;" : NULL;
		if (!ent && s[1])
			continue;
		size_t n = (size_t)(s - run) + (ent ? 0 : 1);
		if (ob_buf_put(b, run, n) < 0 || (ent && ob_buf_puts(b, ent) < 0))
			return OB_ERROR;
		run = s + 1;
	}
	return 0;
}

int ob_buf_json_str(ob_buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t start = b->len;

	if (ob_buf_putc(b, '"') < 0)
		return OB_ERROR;
	for (; *p; p++) {
		char esc[7];
		size_t n = 0;

		switch (*p) {
		case '"': esc[n++] = '\\'; esc[n++] = '"'; break;
		case '\\': esc[n++] = '\\'; esc[n++] = '\\'; break;
		case '\n': esc[n++] = '\\'; esc[n++] = 'n'; break;
		case '\r': esc[n++] = '\\'; esc[n++] = 'r'; break;
		case '\t': esc[n++] = '\\'; esc[n++] = 't'; break;
		default:
			if (*p < 0x20) {
				memcpy(esc, "\\u00", 4);
				esc[4] = hex[*p >> 4];
				esc[5] = hex[*p & 15];
				n = 6;
			} else if (*p < 0x80) {
				esc[n++] = (char)*p;
			} else {
				/* A whole UTF-8 sequence as it is; a byte that starts none
				 * (text stored before input was checked) becomes U+FFFD, so
				 * the document stays valid JSON. */
				size_t len = ob_utf8_seq(p, strnlen((const char *)p, 4));
				if (len == 0) {
					memcpy(esc, "\\ufffd", 6);
					n = 6;
				} else {
					memcpy(esc, p, len);
					n = len;
					p += len - 1;
				}
			}
		}
		if (ob_buf_put(b, esc, n) < 0)
			goto fail;
	}
	if (ob_buf_putc(b, '"') < 0)
		goto fail;
	return 0;
fail:
	b->len = start;
	b->s[start] = '\0';
	return OB_ERROR;
}

const char *ob_buf_cstr(const ob_buf *b)
{
	return b->s ? b->s : "";
}

char *ob_buf_detach(ob_buf *b)
{
	char *s = b->s;

	if (!s)
		s = calloc(1, 1);
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}
