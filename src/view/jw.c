/*
 * jw.c - the streaming JSON writer (jw.h).
 */
#include "view/jw.h"
#include "base/error.h"
#include "base/text.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* A string as jansson writes it: '"', '\\' and the control characters
 * escaped (\b \f \n \r \t, others \u00XX), UTF-8 as it is, a byte that
 * starts no UTF-8 sequence as U+FFFD (jansson takes valid UTF-8 only, and
 * ob_view_text() repairs text so). */
static void str(ob_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *run = p;
	size_t left = strlen(s);

	ob_buf_putc(b, '"');
	while (left) {
		unsigned char c = *p;
		size_t n = c < 0x80 ? 1 : ob_utf8_seq(p, left < 4 ? left : 4);
		const char *esc = NULL;
		char u[8];
		if (c >= 0x20 && c != '"' && c != '\\' && n) {
			p += n;
			left -= n;
			continue;
		}
		ob_buf_put(b, (const char *)run, (size_t)(p - run));
		switch (c) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		default:
			if (c < 0x20) {
				snprintf(u, sizeof u, "\\u%04X", c);
				esc = u;
			} else {
				esc = "\xef\xbf\xbd";  /* not UTF-8: U+FFFD */
			}
		}
		ob_buf_puts(b, esc);
		p++;
		left--;
		run = p;
	}
	ob_buf_put(b, (const char *)run, (size_t)(p - run));
	ob_buf_putc(b, '"');
}

void ob_jw_init(ob_jw *w, ob_buf *out)
{
	w->out = out;
	w->depth = 0;
	w->more[0] = false;
}

/* The separator and key before a value. */
static void lead(ob_jw *w, const char *key)
{
	if (w->more[w->depth])
		ob_buf_putc(w->out, ',');
	w->more[w->depth] = true;
	if (key) {
		str(w->out, key);
		ob_buf_putc(w->out, ':');
	}
}

static void open_(ob_jw *w, const char *key, char c)
{
	lead(w, key);
	ob_buf_putc(w->out, c);
	if (w->depth + 1 < OB_JW_DEPTH) {
		w->more[++w->depth] = false;
		w->close[w->depth] = c == '{' ? '}' : ']';
	} else {
		w->out->failed = 1;  /* deeper than any document here */
	}
}

void ob_jw_object(ob_jw *w, const char *key)
{
	open_(w, key, '{');
}

void ob_jw_array(ob_jw *w, const char *key)
{
	open_(w, key, '[');
}

void ob_jw_end(ob_jw *w)
{
	if (w->depth > 0)
		ob_buf_putc(w->out, w->close[w->depth--]);
}

void ob_jw_text(ob_jw *w, const char *key, const char *v)
{
	lead(w, key);
	if (v)
		str(w->out, v);
	else
		ob_buf_puts(w->out, "null");
}

void ob_jw_number(double v, char out[32])
{
	char *e, *p;
	size_t n;

	if (v == trunc(v) && fabs(v) < 1e15) {
		snprintf(out, 32, "%lld", (long long)v);
		return;
	}
	snprintf(out, 32, "%.15g", v);
	/* as jansson: a point or an exponent always; the exponent without
	 * '+' and leading zeros */
	if (!strchr(out, '.') && !strchr(out, 'e') && strlen(out) + 3 <= 32)
		strcat(out, ".0");
	if ((e = strchr(out, 'e'))) {
		p = e + 1;
		if (*p == '-')
			p++;
		n = strspn(p + (*p == '+'), "0") + (*p == '+');
		memmove(p, p + n, strlen(p + n) + 1);
	}
}

void ob_jw_real(ob_jw *w, const char *key, double v)
{
	char t[32];

	lead(w, key);
	if (isnan(v) || isinf(v)) {
		ob_buf_puts(w->out, "null");
		return;
	}
	ob_jw_number(v, t);
	ob_buf_puts(w->out, t);
}

void ob_jw_int(ob_jw *w, const char *key, int64_t v)
{
	lead(w, key);
	ob_buf_printf(w->out, "%lld", (long long)v);
}

void ob_jw_null(ob_jw *w, const char *key)
{
	lead(w, key);
	ob_buf_puts(w->out, "null");
}

void ob_jw_raw(ob_jw *w, const char *key, const char *json)
{
	lead(w, key);
	ob_buf_puts(w->out, json ? json : "null");
}

void ob_jw_fields(ob_jw *w, const ob_field *fields, const void *rec, unsigned flags)
{
	for (const ob_field *f = fields; f->name; f++) {
		if (!(f->flags & flags) || ((f->flags & OB_F_OPT) && ob_field_unknown(f, rec)))
			continue;
		switch (f->kind) {
		case OB_FIELD_TEXT: ob_jw_text(w, f->name, ob_field_text(f, rec)); break;
		case OB_FIELD_REAL: ob_jw_real(w, f->name, ob_field_real(f, rec)); break;
		case OB_FIELD_INT: ob_jw_int(w, f->name, ob_field_int(f, rec)); break;
		}
	}
}

int ob_jw_done(ob_jw *w)
{
	if (w->out->failed)
		return ob_error_set(OB_ERROR, "json: out of memory");
	return 0;
}
