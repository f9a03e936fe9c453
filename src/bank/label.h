/*
 * label.h - printable labels with real barcodes: one cryo label for a
 * specimen, or a sheet for a storage box (the box's own label, then one per
 * specimen it holds, by position). Symbols come from zint, drawing from
 * cairo; the document is written into a buffer as PDF or PNG.
 *
 * A label is 50 x 25 mm, laid out in dots of a 300 dpi label printer
 * (591 x 295): a PNG label is that many pixels; a PDF label is 50 x 25 mm
 * (141.7 x 70.9 pt) and its barcode modules are whole printer dots when
 * printed at 100 %. A specimen label shows the symbol and, as text, the
 * barcode, type, owning site, donor code, collection date and SPREC code.
 * See docs/labels.md.
 */
#ifndef OB_LABEL_H
#define OB_LABEL_H

#include "bank/ctx.h"
#include "base/buf.h"

#define OB_LABEL_DPI 300
#define OB_LABEL_WIDTH 591    /* dots (50 mm at 300 dpi): a PNG label's width in pixels */
#define OB_LABEL_HEIGHT 295   /* dots (25 mm) */
#define OB_LABEL_SHEET_COLS 4 /* labels across an A4 page and a PNG sheet */
#define OB_LABEL_SHEET_ROWS 11 /* labels down an A4 page: 44 labels a page */
#define OB_LABEL_PNG_MAX 200  /* most labels in one PNG sheet (memory bound) */

typedef enum ob_label_format {
	OB_LABEL_PDF,  /* application/pdf */
	OB_LABEL_PNG   /* image/png, 8-bit RGB */
} ob_label_format;

typedef enum ob_label_symbology {
	OB_LABEL_DATAMATRIX,  /* ECC 200, square symbols: the default, fits a tube cap */
	OB_LABEL_CODE128      /* linear, for scanners that read no 2D symbols */
} ob_label_symbology;

/* Parses "pdf" / "png" and "datamatrix" / "code128" (case ignored; NULL
 * gives the default: PDF, Data Matrix). OB_EINVALID naming the field
 * ("format: ...", "symbology: ...") otherwise. */
int ob_label_format_parse(const char *word, ob_label_format *out);
int ob_label_symbology_parse(const char *word, ob_label_symbology *out);

/* "application/pdf" or "image/png"; "pdf" or "png". */
const char *ob_label_content_type(ob_label_format fmt);
const char *ob_label_extension(ob_label_format fmt);

/* One specimen's label, appended to out (binary: use out->len, not a
 * string function). Needs read access to the specimen's site.
 * Returns 0; OB_ENOTFOUND for an unknown barcode; OB_EPERM; OB_EINVALID
 * when the barcode cannot be encoded; OB_ERROR (out of memory, cairo,
 * out->max passed). On failure out is as it was. */
int ob_label_specimen(const ob_ctx *cx, const char *barcode, ob_label_format fmt,
                      ob_label_symbology sym, ob_buf *out);

/* A box's sheet, appended to out: the box's own label first (barcode,
 * name, size, site, location path, specimen count), then each specimen
 * stored in it, ordered by position, each with its position in a corner.
 * PDF: A4 pages of OB_LABEL_SHEET_COLS x OB_LABEL_SHEET_ROWS labels, as
 * many pages as needed. PNG: one image OB_LABEL_SHEET_COLS labels wide.
 * An empty box gives a sheet holding only the box's label. Needs read
 * access to the box's site and to each specimen's. Returns 0;
 * OB_ENOTFOUND for an unknown container; OB_EINVALID when it is not a box;
 * OB_ETOOBIG for a PNG of more than OB_LABEL_PNG_MAX labels (use PDF);
 * OB_EPERM; OB_ERROR. On failure out is as it was. */
int ob_label_container(const ob_ctx *cx, const char *box, ob_label_format fmt,
                       ob_label_symbology sym, ob_buf *out);

/* The symbol drawn for data, as its module matrix: appends rows * cols
 * characters to out, row by row from the top, '1' for a dark module and '0'
 * for a light one (quiet zones excluded; Code 128 has one row). For tests
 * and previews. OB_EINVALID when data cannot be encoded; OB_ERROR. */
int ob_label_modules(ob_label_symbology sym, const char *data, int *rows, int *cols,
                     ob_buf *out);

/* Releases the caches cairo and fontconfig keep for the whole process
 * (fonts, the fontconfig configuration). Call once, at exit, when nothing
 * in the process draws text any more: it keeps leak checkers quiet;
 * skipping it loses nothing. */
void ob_label_cleanup(void);

#endif
