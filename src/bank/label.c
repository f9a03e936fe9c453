/*
 * label.c - specimen and box labels (label.h): reads what a label shows
 * through store.h, asks zint for the symbol's modules and draws them with
 * the text by cairo into a PDF or PNG held in an ob_buf.
 *
 * Everything is laid out in dots of a 300 dpi printer: PNG pixels are dots,
 * and a PDF is scaled by 72/300. Every module is a whole number of dots at
 * a whole-dot origin, so bars print crisp on a 300 dpi thermal printer and
 * a PNG holds no grey edges for a scanner to guess at.
 */
#include "bank/label.h"
#include "bank/access.h"
#include "bank/scope.h"
#include "bank/barcode.h"
#include "bank/container.h"
#include "bank/site.h"
#include "base/error.h"
#include "base/text.h"
#include "base/util.h"
#include "store/store.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <dlfcn.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zint.h>

/* Layout in dots. */
enum {
	MARGIN = 24,           /* 2 mm round the label */
	GAP = 18,              /* between a Data Matrix and the text */
	BAR_HEIGHT = 96,       /* Code 128 bars: 8 mm */
	DM_QUIET = 1,          /* quiet zones in modules (ISO/IEC 16022, 15417) */
	C128_QUIET = 10,
	DM_MAX_MODULE = 12,    /* 1 mm */
	SIZE_HEAD = 34,        /* the barcode in text: 8 pt */
	SIZE_BODY = 26,        /* the other lines: 6 pt */
	LINE_STEP = 38,
	A4_WIDTH = 2480,       /* 210 x 297 mm */
	A4_HEIGHT = 3508,
	MAX_LINES = 6
};

#define FONT "DejaVu Sans"

/* ---- symbols ---- */

/* A symbol as its module matrix, rows x cols, dark[r * cols + c]. */
typedef struct symbol {
	int rows, cols;
	unsigned char *dark;
} symbol;

static void symbol_dispose(symbol *s)
{
	free(s->dark);
	s->dark = NULL;
}

/* Encodes data with zint and reads the modules back from its vector
 * output (the public form of the matrix: rectangles in units of
 * width / cols per module). */
static int symbol_make(ob_label_symbology sym, const char *data, symbol *out)
{
	struct zint_symbol *z = NULL;
	const struct zint_vector_rect *r;
	size_t len = data ? strlen(data) : 0;
	double ux, uy;
	int zr, rc = 0;

	out->rows = out->cols = 0;
	out->dark = NULL;
	if (len == 0 || len > 64)
		return ob_error_set(OB_EINVALID, "barcode: '%s' cannot be printed: 1 to 64 characters",
			data ? data : "");
	if (!(z = ZBarcode_Create()))
		return ob_error_set(OB_ERROR, "label: out of memory");
	z->symbology = sym == OB_LABEL_CODE128 ? BARCODE_CODE128 : BARCODE_DATAMATRIX;
	z->input_mode = DATA_MODE;
	z->show_hrt = 0;
	if (sym == OB_LABEL_DATAMATRIX)
		z->option_3 = DM_SQUARE;
	zr = ZBarcode_Encode_and_Buffer_Vector(z, (const unsigned char *)data, (int)len, 0);
	if (zr >= ZINT_ERROR || !z->vector || z->rows < 1 || z->width < 1) {
		rc = ob_error_set(OB_EINVALID, "barcode: '%s' cannot be encoded as %s: %s", data,
			sym == OB_LABEL_CODE128 ? "Code 128" : "Data Matrix", z->errtxt);
		goto out;
	}
	out->rows = z->rows;
	out->cols = z->width;
	if (!(out->dark = calloc((size_t)out->rows * (size_t)out->cols, 1))) {
		rc = ob_error_set(OB_ERROR, "label: out of memory");
		goto out;
	}
	ux = z->vector->width / out->cols;
	uy = z->vector->height / out->rows;
	for (r = z->vector->rectangles; r; r = r->next) {
		int c0 = (int)lround(r->x / ux), c1 = (int)lround((r->x + r->width) / ux);
		int r0 = (int)lround(r->y / uy), r1 = (int)lround((r->y + r->height) / uy);

		if (r->colour != -1)  /* only the foreground is ink */
			continue;
		c0 = c0 < 0 ? 0 : c0;
		r0 = r0 < 0 ? 0 : r0;
		c1 = c1 > out->cols ? out->cols : c1;
		r1 = r1 > out->rows ? out->rows : r1;
		for (int y = r0; y < r1; y++)
			memset(out->dark + (size_t)y * (size_t)out->cols + c0, 1,
				c1 > c0 ? (size_t)(c1 - c0) : 0);
	}
out:
	if (rc < 0)
		symbol_dispose(out);
	ZBarcode_Delete(z);
	return rc;
}

int ob_label_modules(ob_label_symbology sym, const char *data, int *rows, int *cols,
                     ob_buf *out)
{
	symbol s;
	char *text;
	size_t n;
	int rc;

	if ((rc = symbol_make(sym, data, &s)) < 0)
		return rc;
	n = (size_t)s.rows * (size_t)s.cols;
	if (!(text = malloc(n))) {
		rc = ob_error_set(OB_ERROR, "label: out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		text[i] = s.dark[i] ? '1' : '0';
	if (ob_buf_put(out, text, n) < 0) {
		rc = ob_error_set(OB_ERROR, "label: out of memory");
		goto out;
	}
	*rows = s.rows;
	*cols = s.cols;
out:
	free(text);
	symbol_dispose(&s);
	return rc;
}

/* Draws s in the box x, y, w, h (dots) with quiet zones of quiet modules
 * inside the box: the largest whole-dot module that fits, up to maxmod
 * dots; a one-row symbol (Code 128) fills the height and is centred
 * across, a matrix sits at the box's left, centred down. *used receives
 * the width taken, quiet zones included. OB_EINVALID when a module would
 * be under one dot. */
static int draw_symbol(cairo_t *cr, const symbol *s, int x, int y, int w, int h, int quiet,
                       int maxmod, int *used)
{
	int tw = s->cols + 2 * quiet, th = s->rows + 2 * quiet;
	int mod = w / tw, modh, x0, y0;

	if (s->rows > 1 && h / th < mod)
		mod = h / th;
	if (mod > maxmod)
		mod = maxmod;
	if (mod < 1)
		return ob_error_set(OB_EINVALID, "barcode: too long for a label (%d modules)", s->cols);
	modh = s->rows > 1 ? mod : h;
	x0 = x + (s->rows > 1 ? 0 : (w - tw * mod) / 2) + quiet * mod;
	y0 = s->rows > 1 ? y + (h - th * mod) / 2 + quiet * mod : y;
	*used = tw * mod;
	cairo_set_source_rgb(cr, 0, 0, 0);
	for (int r = 0; r < s->rows; r++) {
		const unsigned char *row = s->dark + (size_t)r * (size_t)s->cols;
		for (int c = 0; c < s->cols;) {
			int run = 0;
			if (!row[c]) {
				c++;
				continue;
			}
			while (c + run < s->cols && row[c + run])
				run++;
			cairo_rectangle(cr, x0 + c * mod, y0 + r * modh, run * mod, modh);
			c += run;
		}
	}
	/* one fill for the whole symbol: no seams between touching modules */
	cairo_fill(cr);
	return 0;
}

/* ---- text ---- */

/* Copies src into dst (n bytes) as valid UTF-8 without control characters
 * (cairo refuses invalid UTF-8 and would stop drawing), '?' for bad bytes. */
static void clean_text(char *dst, size_t n, const char *src)
{
	size_t o = 0;
	const unsigned char *p = (const unsigned char *)(src ? src : "");

	while (*p && o + 1 < n) {
		size_t k = ob_utf8_seq(p, strnlen((const char *)p, 4));
		if (k == 0 || (k == 1 && *p < 0x20) || *p == 0x7F) {
			dst[o++] = '?';
			p++;
			continue;
		}
		if (o + k >= n)
			break;
		memcpy(dst + o, p, k);
		o += k;
		p += k;
	}
	dst[o] = '\0';
}

/* The advance of text at size in the label font. */
static double text_width(cairo_t *cr, double size, int bold, const char *text)
{
	cairo_text_extents_t e;

	cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL,
		bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, size);
	cairo_text_extents(cr, text, &e);
	return e.x_advance;
}

/* How draw_text() sets a line. */
enum {
	T_BOLD = 1,   /* bold face */
	T_RIGHT = 2,  /* x is where the text ends, not where it starts */
	T_CUT = 4     /* may be cut short (with an ellipsis) rather than shrunk
	                 below 60 %: names and paths, never codes */
};

/* Shows text with its baseline at y, within maxw: shrunk to fit, and for
 * T_CUT lines shrunk to 60 % of size at most and then cut short, so that
 * they stay legible. Returns the width drawn. */
static double draw_text(cairo_t *cr, double x, double y, double maxw, double size, int how,
                        const char *text)
{
	int bold = how & T_BOLD;
	char cut[256];
	double w;
	size_t n;

	if (!text || !*text)
		return 0;
	if ((w = text_width(cr, size, bold, text)) > maxw && maxw > 0) {
		double fit = size * maxw / w;
		size = (how & T_CUT) && fit < size * 0.6 ? size * 0.6 : fit;
		w = text_width(cr, size, bold, text);
	}
	if (w > maxw && maxw > 0 && (how & T_CUT)) {
		ob_strlcpy(cut, text, sizeof cut - 4);
		for (n = strlen(cut); n > 0 && w > maxw; ) {
			while (n > 0 && ((unsigned char)cut[--n] & 0xC0) == 0x80)
				;  /* back to the start of a UTF-8 character */
			memcpy(cut + n, "\xE2\x80\xA6", 4);  /* U+2026 and the NUL */
			w = text_width(cr, size, bold, cut);
		}
		text = cut;
	}
	cairo_move_to(cr, (how & T_RIGHT) ? x - w : x, y);
	cairo_show_text(cr, text);
	return w;
}

/* ---- one label ---- */

/* What a label shows: the symbol's data, text lines (the first in bold),
 * and an optional bold mark (a position on a box sheet). */
typedef struct label {
	const char *data;
	const char *line[MAX_LINES];
	int nline;
	unsigned cut;  /* bit i: line i may be cut short (T_CUT) */
	const char *mark;
} label;

/* How line i of a label is set: the first bold. */
static int how(const label *lb, int i)
{
	return (i == 0 ? T_BOLD : 0) | (lb->cut >> i & 1 ? T_CUT : 0);
}

/* Data Matrix left, text right; the mark ends the second line. */
static void text_beside(cairo_t *cr, const label *lb, int x, int y, int tx)
{
	double right = x + OB_LABEL_WIDTH - MARGIN, w = right - tx;
	int base = y + MARGIN + 30;

	cairo_set_source_rgb(cr, 0, 0, 0);
	for (int i = 0; i < lb->nline; i++, base += i == 1 ? 42 : LINE_STEP) {
		double mw = 0;
		if (i == 1 && lb->mark)
			mw = draw_text(cr, right, base, w / 3, SIZE_HEAD, T_BOLD | T_RIGHT, lb->mark) + 12;
		draw_text(cr, tx, base, w - mw, i ? SIZE_BODY : SIZE_HEAD, how(lb, i), lb->line[i]);
	}
}

/* Code 128 on top, text below: the bold line with the mark at its end,
 * then the other lines two to a row (one from the left, one ending at the
 * right) where both fit at full size, else one to a row; when that takes
 * more rows than there is room for, strictly two to a row in halves. */
static void text_below(cairo_t *cr, const label *lb, int x, int y)
{
	double left = x + MARGIN, right = x + OB_LABEL_WIDTH - MARGIN, full = right - left;
	int base = y + MARGIN + BAR_HEIGHT + 40, rows = 0, room = 3, pair[MAX_LINES] = { 0 };
	double mw = 0, w[MAX_LINES] = { 0 };

	cairo_set_source_rgb(cr, 0, 0, 0);
	if (lb->mark)
		mw = draw_text(cr, right, base, full / 4, SIZE_HEAD, T_BOLD | T_RIGHT, lb->mark) + 12;
	draw_text(cr, left, base, full - mw, SIZE_HEAD, how(lb, 0), lb->line[0]);
	for (int i = 1; i < lb->nline; i++)
		w[i] = text_width(cr, SIZE_BODY, 0, lb->line[i]);
	/* pair[i]: line i shares its row with line i + 1 */
	for (int i = 1; i < lb->nline; i++, rows++)
		if ((pair[i] = i + 1 < lb->nline && w[i] + 24 + w[i + 1] <= full))
			i++;
	if (rows > room)
		for (int i = 1; i < lb->nline; i++)
			pair[i] = i + 1 < lb->nline;
	for (int i = 1; i < lb->nline; i++) {
		base += LINE_STEP;
		double mx = !pair[i] || rows <= room ? full : full / 2 - 12;
		draw_text(cr, left, base, mx, SIZE_BODY, how(lb, i), lb->line[i]);
		if (pair[i]) {
			i++;
			draw_text(cr, right, base, mx, SIZE_BODY, how(lb, i) | T_RIGHT, lb->line[i]);
		}
	}
}

/* Draws one label with its top-left corner at x, y (whole dots). */
static int draw_label(cairo_t *cr, ob_label_symbology sym, const label *lb, int x, int y)
{
	symbol s;
	int rc, used, side = OB_LABEL_HEIGHT - 2 * MARGIN;

	if ((rc = symbol_make(sym, lb->data, &s)) < 0)
		return rc;
	if (sym == OB_LABEL_CODE128) {
		/* the quiet zones may lie in the label's blank margins */
		rc = draw_symbol(cr, &s, x, y + MARGIN, OB_LABEL_WIDTH, BAR_HEIGHT, C128_QUIET,
			OB_LABEL_WIDTH, &used);
		if (rc == 0)
			text_below(cr, lb, x, y);
	} else {
		/* modules of 1 mm at most leave the text room when the symbol is small */
		rc = draw_symbol(cr, &s, x + MARGIN, y + MARGIN, side, side, DM_QUIET, DM_MAX_MODULE,
			&used);
		if (rc == 0)
			text_beside(cr, lb, x, y, x + MARGIN + used + GAP);
	}
	symbol_dispose(&s);
	return rc;
}

/* ---- documents ---- */

static cairo_status_t put_bytes(void *closure, const unsigned char *data, unsigned int len)
{
	return ob_buf_put(closure, data, len) < 0 ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

/* A PDF or PNG being drawn: a single label, or a sheet of n labels. */
typedef struct doc {
	ob_label_format fmt;
	int sheet;         /* labels in a grid with cut lines */
	int placed;        /* labels drawn so far */
	cairo_surface_t *sf;
	cairo_t *cr;
	ob_buf *out;
} doc;

static int doc_open(doc *d, ob_label_format fmt, int sheet, int n, ob_buf *out)
{
	int w = OB_LABEL_WIDTH, h = OB_LABEL_HEIGHT;

	memset(d, 0, sizeof *d);
	d->fmt = fmt;
	d->sheet = sheet;
	d->out = out;
	if (sheet && fmt == OB_LABEL_PDF) {
		w = A4_WIDTH;
		h = A4_HEIGHT;
	} else if (sheet) {
		w = OB_LABEL_SHEET_COLS * OB_LABEL_WIDTH;
		h = ((n + OB_LABEL_SHEET_COLS - 1) / OB_LABEL_SHEET_COLS) * OB_LABEL_HEIGHT;
	}
	if (fmt == OB_LABEL_PDF)
		d->sf = cairo_pdf_surface_create_for_stream(put_bytes, out, w * 72.0 / OB_LABEL_DPI,
			h * 72.0 / OB_LABEL_DPI);
	else
		d->sf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	d->cr = cairo_create(d->sf);
	if (cairo_status(d->cr) != CAIRO_STATUS_SUCCESS)
		return ob_error_set(OB_ERROR, "label: cannot start the drawing: %s",
			cairo_status_to_string(cairo_status(d->cr)));
	if (fmt == OB_LABEL_PDF) {
		cairo_pdf_surface_set_metadata(d->sf, CAIRO_PDF_METADATA_CREATOR, "oncobank");
		cairo_scale(d->cr, 72.0 / OB_LABEL_DPI, 72.0 / OB_LABEL_DPI);
	} else {
		cairo_set_source_rgb(d->cr, 1, 1, 1);
		cairo_paint(d->cr);
		/* whole-dot rectangles stay sharp; text keeps its antialiasing */
		cairo_set_antialias(d->cr, CAIRO_ANTIALIAS_NONE);
	}
	return 0;
}

/* Where the next label goes, starting a new PDF page when one is full. */
static void doc_next(doc *d, int *x, int *y)
{
	int per_page = OB_LABEL_SHEET_COLS * OB_LABEL_SHEET_ROWS, i = d->placed++;

	if (!d->sheet) {
		*x = *y = 0;
		return;
	}
	if (d->fmt == OB_LABEL_PNG) {
		*x = (i % OB_LABEL_SHEET_COLS) * OB_LABEL_WIDTH;
		*y = (i / OB_LABEL_SHEET_COLS) * OB_LABEL_HEIGHT;
	} else {
		if (i > 0 && i % per_page == 0)
			cairo_show_page(d->cr);
		i %= per_page;
		*x = (A4_WIDTH - OB_LABEL_SHEET_COLS * OB_LABEL_WIDTH) / 2
			+ (i % OB_LABEL_SHEET_COLS) * OB_LABEL_WIDTH;
		*y = (A4_HEIGHT - OB_LABEL_SHEET_ROWS * OB_LABEL_HEIGHT) / 2
			+ (i / OB_LABEL_SHEET_COLS) * OB_LABEL_HEIGHT;
	}
	/* a light cut line round each label of a sheet */
	cairo_save(d->cr);
	cairo_set_source_rgb(d->cr, 0.75, 0.75, 0.75);
	cairo_set_line_width(d->cr, 1);
	cairo_rectangle(d->cr, *x + 0.5, *y + 0.5, OB_LABEL_WIDTH - 1, OB_LABEL_HEIGHT - 1);
	cairo_stroke(d->cr);
	cairo_restore(d->cr);
}

static int doc_add(doc *d, ob_label_symbology sym, const label *lb)
{
	int x, y;

	doc_next(d, &x, &y);
	return draw_label(d->cr, sym, lb, x, y);
}

/* Finishes the document into d->out (when ok) and frees the drawing. */
static int doc_close(doc *d, int ok)
{
	cairo_status_t st = CAIRO_STATUS_SUCCESS;
	int rc = 0;

	if (d->cr) {
		if (ok && d->fmt == OB_LABEL_PDF)
			cairo_show_page(d->cr);
		st = cairo_status(d->cr);
		cairo_destroy(d->cr);
	}
	if (d->sf) {
		if (ok && st == CAIRO_STATUS_SUCCESS) {
			if (d->fmt == OB_LABEL_PNG) {
				cairo_surface_flush(d->sf);
				st = cairo_surface_write_to_png_stream(d->sf, put_bytes, d->out);
			} else {
				cairo_surface_finish(d->sf);
				st = cairo_surface_status(d->sf);
			}
		}
		cairo_surface_destroy(d->sf);
	}
	if (ok && st != CAIRO_STATUS_SUCCESS)
		rc = ob_error_set(OB_ERROR, "label: cannot write the %s: %s",
			d->fmt == OB_LABEL_PDF ? "PDF" : "PNG",
			d->out->failed ? "out of memory or too large" : cairo_status_to_string(st));
	d->cr = NULL;
	d->sf = NULL;
	return rc;
}

/* Drops what a failed call appended, so out is as it was. */
static void buf_truncate(ob_buf *b, size_t len)
{
	if (b->s && b->len > len) {
		b->len = len;
		b->s[len] = '\0';
	}
	b->failed = 0;
}

/* ---- what a specimen label shows ---- */

typedef struct spec {
	char barcode[OB_BARCODE_MAX];
	char site_path[512];
	char position[OB_POSITION_MAX];
	int row, col;
	/* the text lines, ready to draw */
	char type[48], site[48], donor[96], collected[32], sprec[64];
} spec;

#define SPEC_COLS \
	"SELECT s.barcode, s.type, si.code, si.path, d.code, s.collected_at, s.sprec," \
	" s.position, d.withdrawn FROM specimen s JOIN site si ON si.id = s.site_id" \
	" JOIN donor d ON d.id = s.donor_id"

/* prefix, then src cleaned (or alt when src is NULL or empty), into dst. */
static void prefixed(char *dst, size_t n, const char *prefix, const char *src, const char *alt)
{
	size_t k = strlen(prefix);

	ob_strlcpy(dst, prefix, n);
	if (k + 1 < n)
		clean_text(dst + k, n - k, src && *src ? src : alt);
}

static void spec_read(ob_stmt *s, spec *p)
{
	char date[11];

	clean_text(p->barcode, sizeof p->barcode, ob_stmt_text(s, 0));
	clean_text(p->type, sizeof p->type, ob_stmt_text(s, 1));
	prefixed(p->site, sizeof p->site, "site ", ob_stmt_text(s, 2), "?");
	ob_strlcpy(p->site_path, ob_stmt_text(s, 3) ? ob_stmt_text(s, 3) : "", sizeof p->site_path);
	prefixed(p->donor, sizeof p->donor, "donor ", ob_stmt_text(s, 4), "?");
	clean_text(date, sizeof date, ob_stmt_text(s, 5));  /* the date of an ISO 8601 time */
	prefixed(p->collected, sizeof p->collected, "coll. ", date, "unknown");
	prefixed(p->sprec, sizeof p->sprec, "SPREC ", ob_stmt_text(s, 6), "-");
	clean_text(p->position, sizeof p->position, ob_stmt_text(s, 7));
	p->row = p->col = INT_MAX;
}

static void spec_label(const spec *p, label *lb, int with_position)
{
	memset(lb, 0, sizeof *lb);
	lb->data = p->barcode;
	lb->line[0] = p->barcode;
	lb->line[1] = p->type;
	lb->line[2] = p->site;
	lb->line[3] = p->donor;
	lb->line[4] = p->collected;
	lb->line[5] = p->sprec;
	lb->nline = 6;
	lb->mark = with_position && p->position[0] ? p->position : NULL;
}

static int spec_get(const ob_ctx *cx, const char *barcode, spec *p)
{
	static const char *const sql = SPEC_COLS " WHERE s.id = $1";
	int64_t id;
	ob_stmt *s;
	int rc;

	if ((rc = ob_scope_specimen(cx, OB_ACT_READ, NULL, barcode, &id)) < 0)
		return rc;
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, id);
	rc = ob_stmt_step(s);
	if (rc == OB_ROW && ob_stmt_int(s, 8)) {
		/* a withdrawn donor's material gets no new label to travel with */
		rc = ob_error_set(OB_ECONFLICT, "label: the donor of specimen %s withdrew consent:"
			" no label is printed", barcode);
	} else if (rc == OB_ROW) {
		spec_read(s, p);
		rc = 0;
	} else if (rc == 0) {
		rc = ob_error_set(OB_ENOTFOUND, "label: no specimen has barcode '%s'", barcode);
	}
	ob_stmt_reset(s);
	return rc;
}

/* ---- the API ---- */

int ob_label_format_parse(const char *word, ob_label_format *out)
{
	if (!word || ob_streq_ci(word, "pdf"))
		*out = OB_LABEL_PDF;
	else if (ob_streq_ci(word, "png"))
		*out = OB_LABEL_PNG;
	else
		return ob_error_set(OB_EINVALID, "format: '%s' is not a label format (pdf, png)", word);
	return 0;
}

int ob_label_symbology_parse(const char *word, ob_label_symbology *out)
{
	if (!word || ob_streq_ci(word, "datamatrix") || ob_streq_ci(word, "data-matrix"))
		*out = OB_LABEL_DATAMATRIX;
	else if (ob_streq_ci(word, "code128") || ob_streq_ci(word, "code-128"))
		*out = OB_LABEL_CODE128;
	else
		return ob_error_set(OB_EINVALID,
			"symbology: '%s' is not a symbology (datamatrix, code128)", word);
	return 0;
}

const char *ob_label_content_type(ob_label_format fmt)
{
	return fmt == OB_LABEL_PNG ? "image/png" : "application/pdf";
}

const char *ob_label_extension(ob_label_format fmt)
{
	return fmt == OB_LABEL_PNG ? "png" : "pdf";
}

int ob_label_specimen(const ob_ctx *cx, const char *barcode, ob_label_format fmt,
                      ob_label_symbology sym, ob_buf *out)
{
	size_t start = out->len;
	spec p;
	label lb;
	doc d;
	int rc, crc;

	if (!barcode || !*barcode)
		return ob_error_set(OB_EINVALID, "barcode: a specimen barcode is needed");
	if ((rc = spec_get(cx, barcode, &p)) < 0
	    || (rc = ob_access_check(cx, OB_ACT_READ, p.site_path)) < 0)
		return rc;
	spec_label(&p, &lb, 0);
	if ((rc = doc_open(&d, fmt, 0, 1, out)) == 0)
		rc = doc_add(&d, sym, &lb);
	crc = doc_close(&d, rc == 0);
	if (rc == 0)
		rc = crc;
	if (rc == 0 && out->failed)
		rc = ob_error_set(OB_ERROR, "label: out of memory");
	if (rc < 0)
		buf_truncate(out, start);
	return rc;
}

static int by_position(const void *a, const void *b)
{
	const spec *x = a, *y = b;

	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return strcmp(x->barcode, y->barcode);
}

/* The box's own label text. */
typedef struct box_text {
	char barcode[OB_CONTAINER_BARCODE_MAX];
	char name[OB_CONTAINER_NAME_MAX];
	char size[96];
	char site[48];
	char path[256];
} box_text;

/* Reads the box and its specimens (sorted by position) in one read
 * transaction; checks read access to each site. *specs is the caller's. */
static int box_read(const ob_ctx *cx, const char *box, box_text *bt, spec **specs, int *n)
{
	static const char *const sql = SPEC_COLS " WHERE s.container_id = $1 ORDER BY s.id";
	ob_container_info info;
	ob_buf path = OB_BUF_INIT;
	char site_path[512];
	int64_t site_id;
	ob_stmt *s = NULL;
	spec *v = NULL;
	int rc, cap = 0, count = 0;

	if ((rc = ob_container_get(cx, box, &info)) < 0)
		return rc;
	if (strcmp(info.kind, "box"))
		return ob_error_set(OB_EINVALID, "container: %s is a %s, not a box: only boxes have"
			" specimen labels", info.barcode, info.kind);
	if ((rc = ob_site_lookup(cx, info.site, &site_id, site_path)) < 0
	    || (rc = ob_access_check(cx, OB_ACT_READ, site_path)) < 0
	    || (rc = ob_container_path_text(cx, info.id, &path)) < 0)
		goto out;
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		goto out;
	ob_stmt_bind_int(s, 1, info.id);
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		if (count == cap) {
			int ncap = cap ? cap * 2 : 64;
			spec *nv = realloc(v, (size_t)ncap * sizeof *nv);
			if (!nv) {
				rc = ob_error_set(OB_ERROR, "label: out of memory");
				break;
			}
			v = nv;
			cap = ncap;
		}
		spec_read(s, &v[count]);
		if (ob_position_parse(info.scheme, info.cols, v[count].position, &v[count].row,
		    &v[count].col) < 0)
			v[count].row = v[count].col = INT_MAX;
		count++;
	}
	ob_stmt_reset(s);
	for (int i = 0; rc == 0 && i < count; i++)
		rc = ob_access_check(cx, OB_ACT_READ, v[i].site_path);
	if (rc < 0)
		goto out;
	if (count > 1)
		qsort(v, (size_t)count, sizeof *v, by_position);
	clean_text(bt->barcode, sizeof bt->barcode, info.barcode);
	clean_text(bt->name, sizeof bt->name, info.name);
	snprintf(bt->size, sizeof bt->size, "box %d x %d, %d specimen%s", info.rows, info.cols,
		count, count == 1 ? "" : "s");
	prefixed(bt->site, sizeof bt->site, "site ", info.site, "?");
	clean_text(bt->path, sizeof bt->path, ob_buf_cstr(&path));
	*specs = v;
	*n = count;
	v = NULL;
out:
	free(v);
	ob_buf_dispose(&path);
	return rc;
}

int ob_label_container(const ob_ctx *cx, const char *box, ob_label_format fmt,
                       ob_label_symbology sym, ob_buf *out)
{
	size_t start = out->len;
	spec *v = NULL;
	box_text bt;
	label lb;
	doc d = { 0 };
	int rc, crc, n = 0, opened = 0;

	if (!box || !*box)
		return ob_error_set(OB_EINVALID, "container: a box barcode is needed");
	if ((rc = ob_store_begin_read(cx->st)) < 0)
		return rc;
	rc = box_read(cx, box, &bt, &v, &n);
	/* a read: commit even after an error, so that an enclosing
	 * transaction is not doomed by a label that could not be made */
	crc = ob_store_commit(cx->st);
	if (rc == 0)
		rc = crc;
	if (rc < 0)
		goto out;
	if (fmt == OB_LABEL_PNG && n + 1 > OB_LABEL_PNG_MAX) {
		rc = ob_error_set(OB_ETOOBIG, "label: box %s holds %d specimens: a PNG sheet holds"
			" at most %d labels; ask for a PDF", bt.barcode, n, OB_LABEL_PNG_MAX);
		goto out;
	}
	rc = doc_open(&d, fmt, 1, n + 1, out);
	opened = 1;
	if (rc < 0)
		goto out;
	memset(&lb, 0, sizeof lb);
	lb.data = bt.barcode;
	lb.line[0] = bt.barcode;
	lb.line[1] = bt.name;
	lb.line[2] = bt.size;
	lb.line[3] = bt.site;
	lb.line[4] = bt.path;
	lb.nline = 5;
	lb.cut = 1u << 1 | 1u << 4;  /* the name and the path */
	rc = doc_add(&d, sym, &lb);
	for (int i = 0; rc == 0 && i < n; i++) {
		spec_label(&v[i], &lb, 1);
		rc = doc_add(&d, sym, &lb);
	}
out:
	if (opened && (crc = doc_close(&d, rc == 0)) < 0 && rc == 0)
		rc = crc;
	if (rc == 0 && out->failed)
		rc = ob_error_set(OB_ERROR, "label: out of memory");
	if (rc < 0)
		buf_truncate(out, start);
	free(v);
	return rc;
}

/* FcFini is looked up rather than linked: the build links cairo, which
 * brings fontconfig in, but not fontconfig itself. */
void ob_label_cleanup(void)
{
	void (*fc_fini)(void);

	cairo_debug_reset_static_data();
	*(void **)&fc_fini = dlsym(RTLD_DEFAULT, "FcFini");
	if (fc_fini)
		fc_fini();
}
