/*
 * cmd_label.c - `oncobank label`: a specimen's label or a box's sheet of
 * labels as PDF or PNG (src/bank/label.h does the drawing), written to the
 * file named by -o.
 */
#include "cli/cmd_label.h"
#include "cli/args.h"
#include "bank/label.h"
#include "base/buf.h"
#include "base/error.h"
#include "store/store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
	"usage: oncobank label SPECIMEN [--format pdf|png] [--symbology datamatrix|code128] -o FILE\n"
	"       oncobank label --box BOX [--format pdf|png] [--symbology datamatrix|code128] -o FILE\n"
	"\n"
	"Prints labels with real barcodes for the bench's label printer. A label is\n"
	"50 x 25 mm laid out for 300 dpi: the barcode symbol, the barcode in text, the\n"
	"specimen type, owning site, donor code, collection date and SPREC code.\n"
	"\n"
	"With SPECIMEN: that specimen's label (PDF: one 50 x 25 mm page; PNG: 591 x 295\n"
	"pixels). With --box: a sheet with the box's own label first, then one label\n"
	"per specimen stored in the box in position order, each with its position\n"
	"(PDF: A4 pages of 4 x 11 labels; PNG: one image 4 labels wide, at most 200\n"
	"labels).\n"
	"\n"
	"Options:\n"
	"  --format F       pdf (default) or png\n"
	"  --symbology S    datamatrix (default, square 2D symbol) or code128 (linear)\n"
	"  -o, --output FILE  where to write; - for standard output\n"
	"\n"
	"Exit status 3 when the specimen or box does not exist. See docs/labels.md.\n";

/* Writes n bytes to path ("-": stdout); a partly written file is removed. */
static int write_out(const char *path, const ob_buf *b)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "wb") : stdout;
	int err;

	if (!f)
		return ob_error_set(OB_ERROR, "label: cannot write %s: %s", path, strerror(errno));
	err = b->len && fwrite(b->s, 1, b->len, f) != b->len;
	if (f == stdout)
		err |= fflush(f) != 0;
	else
		err |= fclose(f) != 0;
	if (err) {
		int e = errno;
		if (f != stdout)
			unlink(path);
		return ob_error_set(OB_ERROR, "label: cannot write %s: %s", path, strerror(e));
	}
	return 0;
}

int ob_cmd_label(ob_cli *cli, int argc, char **argv)
{
	const char *box = NULL, *format = NULL, *symbology = NULL, *output = NULL, *pos[1];
	const ob_opt opts[] = { { "box", &box, NULL }, { "format", &format, NULL },
		{ "symbology", &symbology, NULL }, { "output", &output, NULL },
		{ NULL, NULL, NULL } };
	ob_buf out = OB_BUF_INIT;
	ob_label_format fmt;
	ob_label_symbology sym;
	ob_store *st;
	ob_ctx cx;
	char **args;
	int rc, n;

	if (ob_cli_wants_help(argc, argv)) {
		fputs(usage, stdout);
		return 0;
	}
	/* the option parser knows long options only: -o is --output */
	if (!(args = malloc((size_t)argc * sizeof *args)))
		return ob_error_set(OB_ERROR, "label: out of memory");
	for (int i = 0; i < argc; i++)
		args[i] = !strcmp(argv[i], "-o") ? (char *)"--output" : argv[i];
	rc = ob_args_parse("label", argc, args, 1, opts, pos, 1, &n);
	free(args);
	if (rc < 0)
		return rc;
	if ((box != NULL) == (n == 1))
		return ob_cli_usage("label", "give a SPECIMEN barcode or --box BOX");
	if (!output || !*output)
		return ob_cli_usage("label", "-o FILE is needed (- for standard output)");
	if ((rc = ob_label_format_parse(format, &fmt)) < 0
	    || (rc = ob_label_symbology_parse(symbology, &sym)) < 0
	    || (rc = ob_cli_store(cli, &st)) < 0)
		return rc;
	cx = ob_cli_ctx(cli, st);
	rc = box ? ob_label_container(&cx, box, fmt, sym, &out)
		 : ob_label_specimen(&cx, pos[0], fmt, sym, &out);
	if (rc == 0 && (rc = write_out(output, &out)) == 0 && strcmp(output, "-"))
		printf("%s %s written to %s (%zu bytes)\n", box ? "labels of box" : "label of",
			box ? box : pos[0], output, out.len);
	ob_buf_dispose(&out);
	ob_label_cleanup();
	return rc;
}
