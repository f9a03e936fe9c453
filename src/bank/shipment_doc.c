/*
 * shipment_doc.c - a shipment's documents (shipment.h): the manifest and
 * the receipt report, as CSV (RFC 4180, CRLF, the quoting of csvexport.c)
 * and as A4 PDF drawn by cairo with Code 128 symbols from zint (through
 * ob_label_modules(), the module matrix label.c draws its own symbols
 * from). Pure functions of an ob_shipment_full: no database, no scope;
 * the caller read the shipment within the reader's scope.
 *
 * The PDF is drawn in points in one pass, a table row at a time, a new page
 * when the next row does not fit, so a manifest of 10,000 items costs ten
 * times one of 1,000. Text is set in DejaVu Sans; a run of CJK characters
 * (notes, names) in WenQuanYi Micro Hei, which DejaVu lacks (cairo's toy
 * text API takes one face per call and falls back to no other).
 */
#include "bank/shipment.h"
#include "bank/label.h"
#include "base/error.h"
#include "base/text.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- CSV ---- */

/* A field as csvexport.c writes it: quoted when it holds a comma, a quote
 * or a line break, or starts or ends with a blank. */
static void csv_field(ob_buf *b, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	int quote = n && (strpbrk(s, ",\"\r\n") || s[0] == ' ' || s[0] == '\t'
		|| s[n - 1] == ' ' || s[n - 1] == '\t');

	if (!n)
		return;
	if (!quote) {
		ob_buf_put(b, s, n);
		return;
	}
	ob_buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			ob_buf_putc(b, '"');
		ob_buf_putc(b, *s);
	}
	ob_buf_putc(b, '"');
}

/* A row of n fields ending in CRLF. */
static void csv_row(ob_buf *b, const char *const *v, int n)
{
	for (int i = 0; i < n; i++) {
		if (i)
			ob_buf_putc(b, ',');
		csv_field(b, v[i]);
	}
	ob_buf_puts(b, "\r\n");
}

/* The shortest text that reads back as q ("" when unknown). */
static void fmt_quantity(double q, char out[32])
{
	out[0] = '\0';
	if (isnan(q))
		return;
	if (q == trunc(q) && fabs(q) < 1e15) {
		snprintf(out, 32, "%.0f", q);
		return;
	}
	snprintf(out, 32, "%.15g", q);
	if (strtod(out, NULL) != q)
		snprintf(out, 32, "%.17g", q);
}

/* Drops what a failed call appended, so out is as it was. */
static int undo(ob_buf *out, size_t start, const char *what)
{
	if (out->s && out->len > start) {
		out->len = start;
		out->s[start] = '\0';
	}
	out->failed = 0;
	return ob_error_set(OB_ERROR, "%s: out of memory or too large", what);
}

static const char *const manifest_cols[] = {
	"shipment", "from_site", "to_site", "box", "position", "barcode", "type", "donor",
	"donor_site", "quantity", "unit", "state", "discrepancies"
};

/* position is the specimen's place in the box it travels in; a specimen
 * shipped alone has none (where it came from is no place at the
 * destination). */
int ob_shipment_manifest_csv(const ob_shipment_full *f, ob_buf *out)
{
	size_t start = out->len;
	int failed = out->failed;
	char q[32];

	out->failed = 0;
	csv_row(out, manifest_cols, 13);
	for (size_t i = 0; i < f->nitems && !out->failed; i++) {
		const ob_shipment_item *it = &f->items[i];
		int boxed = it->box && *it->box;
		const char *v[13] = {
			f->r.code, f->r.from_site, f->r.to_site, boxed ? it->box : "",
			boxed ? it->from_position : "", it->barcode, it->type, it->donor,
			it->donor_site, q, it->unit, it->state, it->discrepancies
		};
		fmt_quantity(it->quantity, q);
		csv_row(out, v, 13);
	}
	if (out->failed)
		return undo(out, start, "manifest");
	out->failed = failed;
	return 0;
}

static const char *const receipt_cols[] = { "shipment", "barcode", "kind", "note", "by", "at" };

int ob_shipment_receipt_csv(const ob_shipment_full *f, ob_buf *out)
{
	size_t start = out->len;
	int failed = out->failed;

	out->failed = 0;
	csv_row(out, receipt_cols, 6);
	for (size_t i = 0; i < f->ndiscs && !out->failed; i++) {
		const ob_shipment_disc *d = &f->discs[i];
		const char *v[6] = { f->r.code, d->barcode, d->kind, d->note, d->by, d->at };
		csv_row(out, v, 6);
	}
	if (out->failed)
		return undo(out, start, "receipt");
	out->failed = failed;
	return 0;
}

/* ---- PDF: pages, text, symbols ---- */

/* A4 in points, and the layout. */
#define PAGE_W 595.28
#define PAGE_H 841.89
#define MARGIN 36.0
#define BOTTOM (PAGE_H - MARGIN - 18.0)  /* the footer lies below */
#define CONTENT_W (PAGE_W - 2 * MARGIN)
#define ROW_H 28.0        /* an item: bars 14 pt, the barcode in text below */
#define BOX_H 40.0        /* a box's heading in the item table */
#define SIGN_H 120.0      /* the signature area */

#define FONT "DejaVu Sans"
#define FONT_CJK "WenQuanYi Micro Hei"

enum { T_BOLD = 1, T_RIGHT = 2, T_GREY = 4 };

typedef struct pdf pdf;
struct pdf {
	cairo_surface_t *sf;
	cairo_t *cr;
	cairo_font_face_t *face[2][2];  /* [cjk][bold] */
	ob_buf *out;
	const ob_shipment_full *f;
	const char *title;               /* "Manifest", "Receipt" */
	double y;                        /* the top of what comes next */
	int page;                        /* pages begun */
	void (*heads)(pdf *);            /* column heads to repeat on a new page */
};

static cairo_status_t put_bytes(void *closure, const unsigned char *data, unsigned int len)
{
	return ob_buf_put(closure, data, len) < 0 ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

static const char *nz(const char *s)
{
	return s ? s : "";
}

/* A character needing the CJK face: CJK radicals and ideographs, kana,
 * hangul, CJK punctuation and the full-width forms. */
static int wide(const unsigned char *p, size_t k)
{
	unsigned cp;

	if (k < 3)
		return 0;
	cp = k == 3 ? (unsigned)(p[0] & 0x0F) << 12 | (unsigned)(p[1] & 0x3F) << 6 | (p[2] & 0x3F)
		: (unsigned)(p[0] & 0x07) << 18 | (unsigned)(p[1] & 0x3F) << 12
			| (unsigned)(p[2] & 0x3F) << 6 | (p[3] & 0x3F);
	return (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7AF)
		|| (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F)
		|| (cp >= 0xFF00 && cp <= 0xFFEF) || cp >= 0x20000;
}

/* The length of the next character at p, and whether it is wide; a byte
 * that is not well-formed UTF-8, or a control character, counts as one
 * (shown as '?', cairo refusing invalid UTF-8). */
static size_t next_char(const char *p, int *is_wide, int *bad)
{
	size_t k = ob_utf8_seq((const unsigned char *)p, strnlen(p, 4));

	*bad = k == 0 || (k == 1 && ((unsigned char)*p < 0x20 || *p == 0x7F));
	*is_wide = !*bad && wide((const unsigned char *)p, k);
	return *bad ? 1 : k;
}

/* Draws (draw != 0) or measures the n bytes of text at x, y (baseline) in
 * runs of one face each. Returns the advance. */
static double runs(pdf *p, double x, double y, double size, int bold, const char *text, size_t n,
                   int draw)
{
	char run[512];
	double w = 0;
	size_t i = 0;

	cairo_set_font_size(p->cr, size);
	while (i < n) {
		int cjk, bad, c2, b2;
		size_t r = 0;
		cairo_text_extents_t e;

		next_char(text + i, &cjk, &bad);
		/* a run: characters of one face, bad bytes as '?' */
		while (i < n && r + 5 < sizeof run) {
			size_t k = next_char(text + i, &c2, &b2);
			if (c2 != cjk || i + k > n)
				break;
			if (b2) {
				run[r++] = '?';
			} else {
				memcpy(run + r, text + i, k);
				r += k;
			}
			i += k;
		}
		run[r] = '\0';
		if (!r)  /* a character cut short by n */
			break;
		cairo_set_font_face(p->cr, p->face[cjk][bold]);
		cairo_text_extents(p->cr, run, &e);
		if (draw) {
			cairo_move_to(p->cr, x + w, y);
			cairo_show_text(p->cr, run);
		}
		w += e.x_advance;
	}
	return w;
}

/* Shows text with its baseline at y within maxw: shrunk to fit down to 70 %
 * of size, then cut short with an ellipsis. Returns the width drawn. */
static double text(pdf *p, double x, double y, double maxw, double size, int how, const char *s)
{
	int bold = how & T_BOLD;
	size_t n = strlen(nz(s));
	double w, ell;

	if (!n)
		return 0;
	w = runs(p, 0, 0, size, bold, s, n, 0);
	if (maxw > 0 && w > maxw) {
		double fit = size * maxw / w;
		size = fit < size * 0.7 ? size * 0.7 : fit;
		w = runs(p, 0, 0, size, bold, s, n, 0);
	}
	cairo_set_source_rgb(p->cr, (how & T_GREY) ? 0.35 : 0, (how & T_GREY) ? 0.35 : 0,
		(how & T_GREY) ? 0.35 : 0);
	if (maxw > 0 && w > maxw) {
		/* cut: drop characters from the end until the rest and "…" fit */
		ell = runs(p, 0, 0, size, bold, "\xE2\x80\xA6", 3, 0);
		while (n > 0 && w + ell > maxw) {
			while (n > 0 && ((unsigned char)s[--n] & 0xC0) == 0x80)
				;
			w = runs(p, 0, 0, size, bold, s, n, 0);
		}
		if (how & T_RIGHT)
			x -= w + ell;
		runs(p, x, y, size, bold, s, n, 1);
		runs(p, x + w, y, size, bold, "\xE2\x80\xA6", 3, 1);
		return w + ell;
	}
	runs(p, (how & T_RIGHT) ? x - w : x, y, size, bold, s, n, 1);
	return w;
}

/* Sets s in lines of at most maxw, breaking at a blank where one is near
 * or between any two characters (CJK text has no blanks), at most maxl
 * lines (the last cut short). Measures (draw 0) or draws. Returns the
 * lines used. */
static int wrap(pdf *p, double x, double y, double maxw, double size, double step, int maxl,
                const char *s, int draw)
{
	int lines = 0;

	s = nz(s);
	while (*s && lines < maxl) {
		size_t n = strlen(s), end = 0, blank = 0, i = 0;
		double w = 0;

		if (lines == maxl - 1) {
			end = n;
		} else {
			while (i < n) {
				int cjk, bad;
				size_t k = next_char(s + i, &cjk, &bad);
				if (s[i] == '\n') {
					end = i;
					break;
				}
				w += runs(p, 0, 0, size, 0, s + i, k, 0);
				if (w > maxw)
					break;
				if (s[i] == ' ')
					blank = i;
				i += k;
				end = i;
			}
			if (i < n && s[i] != '\n' && blank > end / 2)
				end = blank;
			if (end == 0)
				end = i < n ? next_char(s, &(int){ 0 }, &(int){ 0 }) : n;
		}
		if (draw) {
			char *line = strndup(s, end);
			if (line)
				text(p, x, y + lines * step, maxw, size, 0, line);
			free(line);
		}
		lines++;
		s += end;
		while (*s == ' ' || *s == '\n' || *s == '\r')
			s++;
	}
	return lines;
}

/* Code 128 for data in the box x, y, w, h (points), modules as wide as fit
 * with quiet zones of 10 modules, at most maxmod points, left-aligned.
 * Returns the width used, 0 when data cannot be encoded (the caller's text
 * shows it). */
static double bars(pdf *p, const char *data, double x, double y, double w, double h,
                   double maxmod)
{
	ob_buf m = OB_BUF_INIT;
	int rows, cols;
	double mod;

	if (!data || !*data || ob_label_modules(OB_LABEL_CODE128, data, &rows, &cols, &m) < 0) {
		ob_buf_dispose(&m);
		ob_error_clear();
		return 0;
	}
	mod = w / (cols + 20);
	if (mod > maxmod)
		mod = maxmod;
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	for (int c = 0; c < cols;) {
		int run = 0;
		if (m.s[c] != '1') {
			c++;
			continue;
		}
		while (c + run < cols && m.s[c + run] == '1')
			run++;
		cairo_rectangle(p->cr, x + (10 + c) * mod, y, run * mod, h);
		c += run;
	}
	cairo_fill(p->cr);
	ob_buf_dispose(&m);
	return (cols + 20) * mod;
}

static void rule(pdf *p, double y, double grey, double width)
{
	cairo_set_source_rgb(p->cr, grey, grey, grey);
	cairo_set_line_width(p->cr, width);
	cairo_move_to(p->cr, MARGIN, y);
	cairo_line_to(p->cr, PAGE_W - MARGIN, y);
	cairo_stroke(p->cr);
}

/* The footer of the page being drawn. */
static void footer(pdf *p)
{
	char t[96];

	rule(p, PAGE_H - MARGIN - 10, 0.6, 0.5);
	text(p, MARGIN, PAGE_H - MARGIN, CONTENT_W / 2, 7, T_GREY, "oncobank");
	snprintf(t, sizeof t, "%s %s \xC2\xB7 page %d", p->title, nz(p->f->r.code), p->page);
	text(p, PAGE_W - MARGIN, PAGE_H - MARGIN, CONTENT_W / 2, 7, T_GREY | T_RIGHT, t);
}

/* Ends the page and begins the next: a running head (title, code, from and
 * to) and the table's column heads. */
static void new_page(pdf *p)
{
	char t[160];

	footer(p);
	cairo_show_page(p->cr);
	p->page++;
	snprintf(t, sizeof t, "%s %s", p->title, nz(p->f->r.code));
	text(p, MARGIN, MARGIN + 10, CONTENT_W * 0.6, 10, T_BOLD, t);
	snprintf(t, sizeof t, "%s \xE2\x86\x92 %s", nz(p->f->r.from_site), nz(p->f->r.to_site));
	text(p, PAGE_W - MARGIN, MARGIN + 10, CONTENT_W * 0.4, 10, T_RIGHT, t);
	rule(p, MARGIN + 16, 0, 0.8);
	p->y = MARGIN + 24;
	if (p->heads)
		p->heads(p);
}

/* Makes room for h points, on a new page when this one lacks it. */
static void room(pdf *p, double h)
{
	if (p->y + h > BOTTOM)
		new_page(p);
}

static int pdf_open(pdf *p, const ob_shipment_full *f, const char *title, ob_buf *out)
{
	memset(p, 0, sizeof *p);
	p->f = f;
	p->title = title;
	p->out = out;
	p->page = 1;
	p->y = MARGIN;
	p->sf = cairo_pdf_surface_create_for_stream(put_bytes, out, PAGE_W, PAGE_H);
	p->cr = cairo_create(p->sf);
	if (cairo_status(p->cr) != CAIRO_STATUS_SUCCESS)
		return ob_error_set(OB_ERROR, "%s: cannot start the PDF: %s", title,
			cairo_status_to_string(cairo_status(p->cr)));
	cairo_pdf_surface_set_metadata(p->sf, CAIRO_PDF_METADATA_CREATOR, "oncobank");
	cairo_pdf_surface_set_metadata(p->sf, CAIRO_PDF_METADATA_TITLE, title);
	for (int c = 0; c < 2; c++)
		for (int b = 0; b < 2; b++)
			p->face[c][b] = cairo_toy_font_face_create(c ? FONT_CJK : FONT,
				CAIRO_FONT_SLANT_NORMAL,
				b ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	return 0;
}

/* Finishes the document into out (when ok) and frees the drawing; on
 * failure out is as it was before start. */
static int pdf_close(pdf *p, int ok, size_t start)
{
	cairo_status_t st = CAIRO_STATUS_SUCCESS;
	int rc = 0;

	if (p->cr) {
		if (ok) {
			footer(p);
			cairo_show_page(p->cr);
		}
		st = cairo_status(p->cr);
		cairo_destroy(p->cr);
	}
	if (p->sf) {
		if (ok && st == CAIRO_STATUS_SUCCESS) {
			cairo_surface_finish(p->sf);
			st = cairo_surface_status(p->sf);
		}
		cairo_surface_destroy(p->sf);
	}
	for (int c = 0; c < 2; c++)
		for (int b = 0; b < 2; b++)
			if (p->face[c][b])
				cairo_font_face_destroy(p->face[c][b]);
	if (ok && st != CAIRO_STATUS_SUCCESS)
		rc = ob_error_set(OB_ERROR, "%s: cannot write the PDF: %s", p->title,
			p->out->failed ? "out of memory or too large" : cairo_status_to_string(st));
	if (!ok || rc < 0) {
		int saved = rc ? rc : OB_ERROR;
		if (p->out->s && p->out->len > start) {
			p->out->len = start;
			p->out->s[start] = '\0';
		}
		p->out->failed = 0;
		rc = saved;
	}
	return rc;
}

/* ---- the shipment's facts (both documents) ---- */

/* "by, at" for a step, "" when not taken. */
static void who_when(char *t, size_t n, const char *by, const char *at)
{
	if (by && *by && at && *at)
		snprintf(t, n, "%s, %s", by, at);
	else
		snprintf(t, n, "%s%s", nz(by), nz(at));
}

/* A label and its value in a column of the facts. */
static void fact(pdf *p, double x, double y, double w, const char *label, const char *value)
{
	text(p, x, y, 70, 7.5, T_GREY, label);
	text(p, x + 72, y, w - 74, 8.5, 0, value && *value ? value : "\xE2\x80\x94");
}

/* The title, the shipment's code as a symbol, its facts, counts and notes;
 * p->y below them. */
static void facts(pdf *p, const char *title)
{
	const ob_shipment_full *f = p->f;
	const ob_shipment_record *r = &f->r;
	const ob_shipment_counts *c = &f->counts;
	double x2 = MARGIN + CONTENT_W / 2, cw = CONTENT_W / 2 - 8, y, bw;
	char t[4][200], n[200];

	text(p, MARGIN, MARGIN + 16, CONTENT_W - 240, 18, T_BOLD, title);
	text(p, MARGIN, MARGIN + 34, CONTENT_W - 240, 11, T_BOLD, r->code);
	snprintf(n, sizeof n, "%s \xE2\x86\x92 %s", nz(r->from_site), nz(r->to_site));
	text(p, MARGIN, MARGIN + 50, CONTENT_W - 240, 11, 0, n);
	bw = bars(p, r->code, PAGE_W - MARGIN - 220, MARGIN, 220, 44, 1.5);
	if (bw > 0)
		text(p, PAGE_W - MARGIN - 220 + bw / 2 - runs(p, 0, 0, 8, 0, r->code, strlen(r->code), 0) / 2,
			MARGIN + 54, 220, 8, 0, r->code);
	rule(p, MARGIN + 62, 0, 1);

	y = MARGIN + 78;
	fact(p, MARGIN, y, cw, "From", r->from_site);
	fact(p, x2, y, cw, "To", r->to_site);
	y += 13;
	fact(p, MARGIN, y, cw, "State", r->state);
	fact(p, x2, y, cw, "Condition", r->condition);
	y += 13;
	fact(p, MARGIN, y, cw, "Courier", r->courier);
	fact(p, x2, y, cw, "Tracking", r->tracking);
	y += 13;
	fact(p, MARGIN, y, cw, "Logger", r->logger);
	who_when(t[0], sizeof t[0], r->created_by, r->created_at);
	fact(p, x2, y, cw, "Created", t[0]);
	y += 13;
	who_when(t[1], sizeof t[1], r->packed_by, r->packed_at);
	who_when(t[2], sizeof t[2], r->shipped_by, r->shipped_at);
	fact(p, MARGIN, y, cw, "Packed", t[1]);
	fact(p, x2, y, cw, "Shipped", t[2]);
	y += 13;
	if (r->cancelled_at && *r->cancelled_at) {
		who_when(t[3], sizeof t[3], r->cancelled_by, r->cancelled_at);
		fact(p, MARGIN, y, cw, "Cancelled", t[3]);
		fact(p, x2, y, cw, "Reason", r->cancel_reason);
	} else {
		who_when(t[3], sizeof t[3], r->received_by, r->received_at);
		fact(p, MARGIN, y, cw, "Received", t[3]);
	}
	y += 13;
	snprintf(n, sizeof n,
		"%lld items, %lld boxes \xC2\xB7 received %lld \xC2\xB7 missing %lld \xC2\xB7 "
		"pending %lld \xC2\xB7 extra %lld \xC2\xB7 discrepancies %lld",
		(long long)c->items, (long long)c->boxes, (long long)c->received,
		(long long)c->missing, (long long)c->pending, (long long)c->extra,
		(long long)c->discrepancies);
	fact(p, MARGIN, y, CONTENT_W, "Counts", n);
	y += 13;
	if (r->notes && *r->notes) {
		text(p, MARGIN, y, 70, 7.5, T_GREY, "Notes");
		y += 11 * (wrap(p, MARGIN + 72, y, CONTENT_W - 72, 8.5, 11, 5, r->notes, 1) - 1);
		y += 13;
	}
	rule(p, y - 6, 0.6, 0.5);
	p->y = y + 4;
}

/* Two signature blocks side by side: who (known or blank), date, signature. */
static void signatures(pdf *p, const char *left, const char *lby, const char *lat,
                       const char *right, const char *rby, const char *rat)
{
	const char *what[2] = { left, right }, *by[2] = { lby, rby }, *at[2] = { lat, rat };
	double w = CONTENT_W / 2 - 12;

	room(p, SIGN_H);
	p->y += 14;
	for (int i = 0; i < 2; i++) {
		double x = MARGIN + i * (w + 24), y = p->y;
		text(p, x, y, w, 9, T_BOLD, what[i]);
		y += 26;
		text(p, x + 42, y - 3, w - 42, 9, 0, by[i]);
		cairo_set_source_rgb(p->cr, 0, 0, 0);
		cairo_set_line_width(p->cr, 0.5);
		for (int k = 0; k < 3; k++) {
			cairo_move_to(p->cr, x + 40, y + k * 26);
			cairo_line_to(p->cr, x + w, y + k * 26);
		}
		cairo_stroke(p->cr);
		text(p, x, y, 38, 7.5, T_GREY, "Name");
		text(p, x + 42, y + 23, w - 40, 9, 0, at[i]);
		text(p, x, y + 26, 38, 7.5, T_GREY, "Date");
		text(p, x, y + 52, 38, 7.5, T_GREY, "Signature");
	}
	p->y += SIGN_H - 14;
}

/* ---- the manifest ---- */

/* Columns of the item table: x offsets and widths. */
enum { C_NO, C_POS, C_CODE, C_TYPE, C_DONOR, C_QTY, C_STATE, C_TICK, NCOL };
static const double col_x[NCOL + 1] = { 0, 30, 68, 228, 318, 398, 448, 500, CONTENT_W };
static const char *const col_head[NCOL] = {
	"#", "Position", "Barcode", "Type", "Donor", "Quantity", "State", "\xE2\x9C\x93"
};

static void item_heads(pdf *p)
{
	room(p, 16);
	for (int i = 0; i < NCOL; i++)
		text(p, MARGIN + col_x[i], p->y + 9, col_x[i + 1] - col_x[i] - 4, 7.5,
			T_BOLD | T_GREY, col_head[i]);
	rule(p, p->y + 13, 0, 0.5);
	p->y += 16;
}

static const ob_shipment_box *find_box(const ob_shipment_full *f, const char *barcode)
{
	for (size_t i = 0; i < f->nboxes; i++)
		if (f->boxes[i].barcode && strcmp(f->boxes[i].barcode, barcode) == 0)
			return &f->boxes[i];
	return NULL;
}

/* The heading of a box's group (its symbol, name, size, where it was) or
 * of the specimens shipped alone. */
static void group_head(pdf *p, const char *box)
{
	const ob_shipment_box *b = box && *box ? find_box(p->f, box) : NULL;
	char t[256];
	double y;

	if (p->y + BOX_H + ROW_H > BOTTOM)
		new_page(p);
	y = p->y;
	cairo_set_source_rgb(p->cr, 0.93, 0.93, 0.93);
	cairo_rectangle(p->cr, MARGIN, y + 2, CONTENT_W, box && *box ? BOX_H - 6 : 18);
	cairo_fill(p->cr);
	if (!(box && *box)) {
		text(p, MARGIN + 4, y + 14, CONTENT_W - 8, 9, T_BOLD, "Specimens shipped alone");
		p->y += 22;
		return;
	}
	bars(p, box, MARGIN + 2, y + 6, 150, 18, 1.2);
	text(p, MARGIN + 10, y + 33, 140, 7.5, 0, box);
	snprintf(t, sizeof t, "Box %s%s%s", box, b && b->name && *b->name ? " \xC2\xB7 " : "",
		b ? nz(b->name) : "");
	text(p, MARGIN + 160, y + 15, CONTENT_W - 164, 9.5, T_BOLD, t);
	if (b)
		snprintf(t, sizeof t, "%d \xC3\x97 %d \xC2\xB7 %lld specimens \xC2\xB7 from %s%s%s",
			b->rows, b->cols, (long long)b->items,
			b->from_parent && *b->from_parent ? b->from_parent : "\xE2\x80\x94",
			b->parent && *b->parent ? " \xC2\xB7 received into " : "", nz(b->parent));
	else
		snprintf(t, sizeof t, "a box of the manifest");
	text(p, MARGIN + 160, y + 28, CONTENT_W - 164, 8, T_GREY, t);
	p->y += BOX_H;
}

static void item_row(pdf *p, size_t i, const ob_shipment_item *it)
{
	double y;
	char t[160], q[32];
	int boxed = it->box && *it->box;

	room(p, ROW_H);
	y = p->y;
	snprintf(t, sizeof t, "%zu", i + 1);
	text(p, MARGIN + col_x[C_NO], y + 12, col_x[C_POS] - 4, 7.5, T_GREY, t);
	if (boxed)
		text(p, MARGIN + col_x[C_POS], y + 12, col_x[C_CODE] - col_x[C_POS] - 4, 9, T_BOLD,
			it->from_position);
	else if (it->from_container && *it->from_container) {
		/* shipped alone: where to pick it from */
		text(p, MARGIN + col_x[C_POS], y + 10, col_x[C_CODE] - col_x[C_POS] - 4, 6.5, T_GREY,
			it->from_container);
		text(p, MARGIN + col_x[C_POS], y + 19, col_x[C_CODE] - col_x[C_POS] - 4, 6.5, T_GREY,
			it->from_position);
	}
	bars(p, it->barcode, MARGIN + col_x[C_CODE] - 6, y + 3, col_x[C_TYPE] - col_x[C_CODE], 13,
		1.0);
	text(p, MARGIN + col_x[C_CODE], y + 24, col_x[C_TYPE] - col_x[C_CODE] - 6, 8, 0,
		it->barcode);
	text(p, MARGIN + col_x[C_TYPE], y + 12, col_x[C_DONOR] - col_x[C_TYPE] - 4, 8.5, 0, it->type);
	text(p, MARGIN + col_x[C_DONOR], y + 12, col_x[C_QTY] - col_x[C_DONOR] - 4, 8.5, 0, it->donor);
	text(p, MARGIN + col_x[C_DONOR], y + 22, col_x[C_QTY] - col_x[C_DONOR] - 4, 7, T_GREY,
		it->donor_site);
	fmt_quantity(it->quantity, q);
	if (*q) {
		snprintf(t, sizeof t, "%s %s", q, nz(it->unit));
		text(p, MARGIN + col_x[C_QTY], y + 12, col_x[C_STATE] - col_x[C_QTY] - 4, 8.5, 0, t);
	}
	text(p, MARGIN + col_x[C_STATE], y + 12, col_x[C_TICK] - col_x[C_STATE] - 4, 8, 0, it->state);
	if (it->discrepancies && *it->discrepancies)
		text(p, MARGIN + col_x[C_STATE], y + 22, col_x[C_TICK] - col_x[C_STATE] - 4, 6.5,
			T_BOLD, it->discrepancies);
	/* a box to tick on packing and on receipt */
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	cairo_set_line_width(p->cr, 0.6);
	cairo_rectangle(p->cr, MARGIN + col_x[C_TICK] + 2, y + 4, 10, 10);
	cairo_stroke(p->cr);
	if (it->state && strcmp(it->state, "received") == 0) {
		cairo_move_to(p->cr, MARGIN + col_x[C_TICK] + 4, y + 9);
		cairo_line_to(p->cr, MARGIN + col_x[C_TICK] + 6.5, y + 12);
		cairo_line_to(p->cr, MARGIN + col_x[C_TICK] + 11, y + 5);
		cairo_stroke(p->cr);
	}
	rule(p, y + ROW_H - 0.5, 0.85, 0.3);
	p->y += ROW_H;
}

int ob_shipment_manifest_pdf(const ob_shipment_full *f, ob_buf *out)
{
	size_t start = out->len;
	const char *box = NULL;
	unsigned char *seen = NULL;
	pdf p;
	int rc;

	if ((rc = pdf_open(&p, f, "Manifest", out)) < 0)
		return pdf_close(&p, 0, start);
	if (f->nboxes && !(seen = calloc(f->nboxes, 1))) {
		ob_error_set(OB_ERROR, "manifest: out of memory");
		return pdf_close(&p, 0, start);
	}
	facts(&p, "Shipment manifest");
	p.heads = item_heads;
	item_heads(&p);
	for (size_t i = 0; i < f->nitems; i++) {
		const ob_shipment_item *it = &f->items[i];
		if (!box || strcmp(box, nz(it->box)) != 0) {
			box = nz(it->box);
			group_head(&p, box);
			if (*box) {
				const ob_shipment_box *b = find_box(f, box);
				if (b)
					seen[b - f->boxes] = 1;
			}
		}
		item_row(&p, i, it);
	}
	/* a box whose specimens the manifest does not list still shows */
	for (size_t i = 0; i < f->nboxes; i++)
		if (!seen[i] && f->boxes[i].barcode)
			group_head(&p, f->boxes[i].barcode);
	if (!f->nitems && !f->nboxes) {
		room(&p, 20);
		text(&p, MARGIN, p.y + 12, CONTENT_W, 9, T_GREY, "Nothing on this shipment yet.");
		p.y += 20;
	}
	free(seen);
	p.heads = NULL;
	signatures(&p, "Packed by", f->r.packed_by, f->r.packed_at, "Received by",
		f->r.received_by, f->r.received_at);
	return pdf_close(&p, 1, start);
}

/* ---- the receipt report ---- */

static const double cust_x[] = { 0, 96, 160, 230, 280, CONTENT_W };
static const char *const cust_head[] = { "At", "Action", "By", "Site", "Note" };
static const double disc_x[] = { 0, 92, 160, 370, 430, CONTENT_W };
static const char *const disc_head[] = { "Barcode", "Kind", "Note", "By", "At" };

static void heads5(pdf *p, const double *x, const char *const *h)
{
	room(p, 16);
	for (int i = 0; i < 5; i++)
		text(p, MARGIN + x[i], p->y + 9, x[i + 1] - x[i] - 4, 7.5, T_BOLD | T_GREY, h[i]);
	rule(p, p->y + 13, 0, 0.5);
	p->y += 16;
}

static void cust_heads(pdf *p)
{
	heads5(p, cust_x, cust_head);
}

static void disc_heads(pdf *p)
{
	heads5(p, disc_x, disc_head);
}

/* A row of five cells, the wrapped one (up to 4 lines) at index w. */
static void row5(pdf *p, const double *x, const char *const *v, int w)
{
	double cw = x[w + 1] - x[w] - 4;
	int lines = wrap(p, 0, 0, cw, 8, 10, 4, v[w], 0);
	double h = 6 + 10 * (lines ? lines : 1);

	room(p, h);
	for (int i = 0; i < 5; i++) {
		if (i == w)
			wrap(p, MARGIN + x[i], p->y + 10, cw, 8, 10, 4, v[i], 1);
		else
			text(p, MARGIN + x[i], p->y + 10, x[i + 1] - x[i] - 4, 8, i == 0 ? T_BOLD : 0,
				v[i]);
	}
	rule(p, p->y + h - 0.5, 0.85, 0.3);
	p->y += h;
}

static void section(pdf *p, const char *title)
{
	room(p, 24 + 16 + 16);
	text(p, MARGIN, p->y + 16, CONTENT_W, 11, T_BOLD, title);
	p->y += 22;
}

int ob_shipment_receipt_pdf(const ob_shipment_full *f, ob_buf *out)
{
	const ob_shipment_counts *c = &f->counts;
	size_t start = out->len;
	const char *what;
	char t[160];
	pdf p;

	if (pdf_open(&p, f, "Receipt", out) < 0)
		return pdf_close(&p, 0, start);
	facts(&p, "Shipment receipt");

	/* the counts, large */
	{
		const char *name[6] = { "items", "received", "missing", "pending", "extra",
			"discrepancies" };
		int64_t v[6] = { c->items, c->received, c->missing, c->pending, c->extra,
			c->discrepancies };
		double w = CONTENT_W / 6;
		for (int i = 0; i < 6; i++) {
			snprintf(t, sizeof t, "%lld", (long long)v[i]);
			text(&p, MARGIN + i * w, p.y + 20, w - 6, 18, T_BOLD, t);
			text(&p, MARGIN + i * w, p.y + 32, w - 6, 7.5, T_GREY, name[i]);
		}
		if (f->r.state && strcmp(f->r.state, "received") == 0)
			what = "The receipt is complete: every item is received or missing.";
		else if (f->r.state && strcmp(f->r.state, "shipped") == 0)
			what = c->pending ? "Receipt in progress: items are still pending."
				: "Every item is accounted for; the receipt is not finished yet.";
		else
			what = "Not shipped: nothing has been received.";
		text(&p, MARGIN, p.y + 48, CONTENT_W, 8.5, 0, what);
		p.y += 58;
	}

	section(&p, "Chain of custody");
	p.heads = cust_heads;
	cust_heads(&p);
	for (size_t i = 0; i < f->ncustody; i++) {
		const ob_shipment_step *s = &f->custody[i];
		const char *v[5] = { s->at, s->action, s->by, s->site, s->note };
		row5(&p, cust_x, v, 4);
	}
	p.heads = NULL;

	section(&p, "Discrepancies");
	if (!f->ndiscs) {
		text(&p, MARGIN, p.y + 10, CONTENT_W, 9, T_GREY, "None recorded.");
		p.y += 16;
	} else {
		p.heads = disc_heads;
		disc_heads(&p);
		for (size_t i = 0; i < f->ndiscs; i++) {
			const ob_shipment_disc *d = &f->discs[i];
			const char *v[5] = { d->barcode, d->kind, d->note, d->by, d->at };
			row5(&p, disc_x, v, 2);
		}
		p.heads = NULL;
	}
	signatures(&p, "Shipped by", f->r.shipped_by, f->r.shipped_at, "Received by",
		f->r.received_by, f->r.received_at);
	return pdf_close(&p, 1, start);
}
