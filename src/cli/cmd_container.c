/*
 * cmd_container.c - `oncobank container`: add containers to the storage
 * tree, list it, show a box's map, print the freezer-failure report, and
 * move, swap or empty specimens between boxes. Each subcommand is a row of
 * the table below; the work is done by src/bank/container.h, whose typed
 * results are printed here as text or (--json) as src/view renders them.
 */
#include "cli/cmd_container.h"
#include "cli/args.h"
#include "cli/correct.h"
#include "bank/container.h"
#include "base/buf.h"
#include "base/error.h"
#include "store/store.h"
#include "view/view.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char usage_main[] =
	"usage: oncobank container add BARCODE --kind KIND [--parent BARCODE] [--site CODE]\n"
	"                [--name NAME] [--temperature C] [--rows N --cols N] [--scheme S]\n"
	"       oncobank container list [--site CODE] [--under BARCODE] [--json]\n"
	"       oncobank container show BARCODE [--json]\n"
	"       oncobank container report BARCODE [--json]\n"
	"       oncobank container move SPECIMEN BOX POSITION | move SPECIMEN --out\n"
	"       oncobank container swap SPECIMEN_A SPECIMEN_B\n"
	"       oncobank container empty FROM_BOX TO_BOX\n"
	"       oncobank container correct BARCODE FIELD=VALUE... --reason TEXT\n"
	"       oncobank container history BARCODE [--json]\n"
	"\n"
	"Storage is a tree: freezers, LN2 tanks and refrigerators at the top, shelves\n"
	"and racks inside them, boxes of rows x columns positions inside those, one\n"
	"specimen per position. Positions are named by the box's scheme: A1 (rows as\n"
	"letters, the default), 1-1 (row-column) or 1 (numbered row by row).\n"
	"'report' lists every specimen below a freezer: the list to act on when it\n"
	"fails. Every move is recorded in the audit trail. See docs/storage.md.\n"
	"Run 'oncobank container SUBCOMMAND --help' for a subcommand's options.\n";

static const char usage_add[] =
	"usage: oncobank container add BARCODE --kind KIND [--parent BARCODE] [--site CODE]\n"
	"                [--name NAME] [--temperature C] [--rows N --cols N] [--scheme S]\n"
	"\n"
	"Adds a container. KIND is freezer, ln2_tank or refrigerator (top level: need\n"
	"--site, no --parent) or shelf, rack or box (need --parent; they belong to the\n"
	"parent's site). A box needs --rows and --cols (1..100) and takes --scheme A1\n"
	"(default), 1-1 or 1. --temperature is the storage temperature in degrees C;\n"
	"containers without one inherit their nearest ancestor's.\n";

static const char usage_list[] =
	"usage: oncobank container list [--site CODE] [--under BARCODE] [--json]\n"
	"\n"
	"Lists containers depth first, indented: all of them, those of a site and the\n"
	"sites below it, or those below (and including) one container.\n";

static const char usage_show[] =
	"usage: oncobank container show BARCODE [--json]\n"
	"\n"
	"For a box, prints its map: a grid of positions with each specimen's barcode\n"
	"or '.' when free (--json: every position with its specimen or null). For any\n"
	"other container, lists what it holds.\n";

static const char usage_report[] =
	"usage: oncobank container report BARCODE [--json]\n"
	"\n"
	"The freezer-failure report: every specimen anywhere below the container, with\n"
	"its barcode, type, status, donor, site, position and location path, ordered by\n"
	"location, and counts by type.\n";

static const char usage_move[] =
	"usage: oncobank container move SPECIMEN BOX POSITION\n"
	"       oncobank container move SPECIMEN --out\n"
	"\n"
	"Puts a specimen at a position of a box (case and leading zeros are ignored:\n"
	"a01 is A1), or takes it out of storage with --out. Exits 4 when the position\n"
	"is taken or the specimen is distributed, depleted or destroyed.\n";

static const char usage_swap[] =
	"usage: oncobank container swap SPECIMEN_A SPECIMEN_B\n"
	"\n"
	"Exchanges the places of two stored specimens.\n";

static const char usage_empty[] =
	"usage: oncobank container empty FROM_BOX TO_BOX\n"
	"\n"
	"Moves every specimen of FROM_BOX into TO_BOX, keeping each position where it\n"
	"is free in TO_BOX, else filling the first free positions. All or nothing:\n"
	"exits 4 and moves nothing when TO_BOX lacks room.\n";

static const char usage_correct[] =
	"usage: oncobank container correct BARCODE FIELD=VALUE... --reason TEXT\n"
	"\n"
	"Corrects a container's name, temperature (degrees C; empty: none, it keeps its\n"
	"contents at its nearest ancestor's) or parent: parent=RACK-2 moves a shelf, rack\n"
	"or box with everything inside it (specimens keep their positions) to another\n"
	"container of the same site, never into a box or into itself. The reason goes\n"
	"into the audit trail (docs/corrections.md).\n";

static const char usage_history[] =
	"usage: oncobank container history BARCODE [--json]\n"
	"\n"
	"Each change of each field of the container, oldest first, with who, when and\n"
	"why; --json: {\"changes\":[{\"seq\",\"at\",\"actor\",\"action\",\"reason\",\n"
	"\"field\",\"before\",\"after\"}]}.\n";

/* Prints out on success; disposes of it either way. */
static int emit(ob_buf *out, int rc)
{
	if (rc == 0 && out->failed)
		rc = ob_error_set(OB_ERROR, "container: out of memory");
	if (rc == 0)
		fputs(ob_buf_cstr(out), stdout);
	ob_buf_dispose(out);
	return rc;
}

/* The list as lines indented by depth: barcode, kind, site, then the
 * temperature, a box's size and use, and a name other than the barcode. */
static void list_text(const ob_container_tree *t, ob_buf *out)
{
	int wcode = 1, wsite = 1;

	for (size_t i = 0; i < t->n; i++) {
		int w = 2 * t->v[i].depth + (int)strlen(t->v[i].c.barcode);
		if (w > wcode)
			wcode = w;
		if ((int)strlen(t->v[i].c.site) > wsite)
			wsite = (int)strlen(t->v[i].c.site);
	}
	for (size_t i = 0; i < t->n; i++) {
		const ob_container_row *x = &t->v[i];
		int64_t cap = (int64_t)x->c.rows * x->c.cols;
		char det[320] = "";
		size_t k = 0;
		int indent = 2 * x->depth;
		if (!isnan(x->c.temperature))
			k += (size_t)snprintf(det + k, sizeof det - k, "%g C", x->c.temperature);
		if (cap && k < sizeof det)
			k += (size_t)snprintf(det + k, sizeof det - k, "%s%d x %d %s, %lld/%lld used",
				k ? ", " : "", x->c.rows, x->c.cols, x->c.scheme,
				(long long)x->specimens, (long long)cap);
		if (strcmp(x->c.name, x->c.barcode) && k < sizeof det)
			snprintf(det + k, sizeof det - k, "%s\"%s\"", k ? ", " : "", x->c.name);
		if (*det)
			ob_buf_printf(out, "%*s%-*s  %-12s  %-*s  %s\n", indent, "", wcode - indent,
				x->c.barcode, x->c.kind, wsite, x->c.site, det);
		else
			ob_buf_printf(out, "%*s%-*s  %-12s  %s\n", indent, "", wcode - indent,
				x->c.barcode, x->c.kind, x->c.site);
	}
}

/* A grid row's label: its letters (A1), its number (1-1), or its first
 * position (1). */
static void row_label(const ob_container_info *b, int row, char out[OB_POSITION_MAX])
{
	if (!strcmp(b->scheme, "A1")) {
		ob_position_name(b->scheme, b->cols, row, 1, out);
		out[strcspn(out, "0123456789")] = '\0';
	} else if (!strcmp(b->scheme, "1-1")) {
		snprintf(out, OB_POSITION_MAX, "%d", row);
	} else {
		ob_position_name(b->scheme, b->cols, row, 1, out);
	}
}

/* Ends a line of the grid: no trailing blanks. */
static void end_line(ob_buf *out)
{
	while (out->len && out->s[out->len - 1] == ' ')
		out->s[--out->len] = '\0';
	ob_buf_putc(out, '\n');
}

/* The box's map as a grid: a heading, the column numbers, a line per row
 * with each position's barcode or '.', then what is not on the grid. */
static void map_text(const ob_box_map *m, ob_buf *out)
{
	const ob_container_info *b = &m->box;
	size_t cells = (size_t)b->rows * (size_t)b->cols, width = 1;
	char label[OB_POSITION_MAX];
	int lw = 1, r, c;

	for (size_t i = 0; i < cells; i++)
		if (m->cell[i] && strlen(m->cell[i]) > width)
			width = strlen(m->cell[i]);
	ob_buf_printf(out, "%s  box %d x %d (%s), %s", b->barcode, b->rows, b->cols, b->scheme,
		m->path);
	if (!isnan(m->temperature))
		ob_buf_printf(out, ", %g C", m->temperature);
	ob_buf_printf(out, ", %zu used, %zu free\n", m->used, cells - m->used);
	for (r = 1; r <= b->rows; r++) {
		row_label(b, r, label);
		if ((int)strlen(label) > lw)
			lw = (int)strlen(label);
	}
	ob_buf_printf(out, "%*s", lw, "");
	for (c = 1; c <= b->cols; c++)
		ob_buf_printf(out, " %-*d", (int)width, c);
	end_line(out);
	for (r = 1; r <= b->rows; r++) {
		row_label(b, r, label);
		ob_buf_printf(out, "%-*s", lw, label);
		for (c = 1; c <= b->cols; c++) {
			const char *v = m->cell[(size_t)(r - 1) * (size_t)b->cols + (size_t)(c - 1)];
			ob_buf_printf(out, " %-*s", (int)width, v ? v : ".");
		}
		end_line(out);
	}
	for (size_t i = 0; i < m->nstray; i++)
		ob_buf_printf(out, "%s%s@%s%s", i ? ", " : "not on the grid: ", m->stray[i].specimen,
			m->stray[i].position ? m->stray[i].position : "-",
			i + 1 == m->nstray ? "\n" : "");
}

/* The freezer report: a heading, a line per specimen with columns as wide
 * as their widest value (at least the heading's), and the count by type. */
static void report_text(const ob_freezer_report *r, ob_buf *out)
{
	const ob_container_row *root = r->root;
	int wb = 7, wt = 4, ws = 6, wd = 5, wsite = 4, wp = 8;

	for (size_t i = 0; i < r->n; i++) {
		const ob_report_item *h = &r->v[i];
#define WIDEN(w, s) if ((int)strlen(s) > (w)) (w) = (int)strlen(s)
		WIDEN(wb, h->barcode);
		WIDEN(wt, h->type);
		WIDEN(ws, h->status);
		WIDEN(wd, h->donor);
		WIDEN(wsite, h->site);
		WIDEN(wp, h->position);
#undef WIDEN
	}
	ob_buf_printf(out, "Storage report for %s (%s at %s", root->path, root->c.kind,
		root->c.site);
	if (!isnan(root->storage))
		ob_buf_printf(out, ", %g C", root->storage);
	ob_buf_printf(out, "): %zu specimen%s from %lld donor%s\n", r->n, r->n == 1 ? "" : "s",
		(long long)r->donors, r->donors == 1 ? "" : "s");
	if (!r->n)
		return;
	ob_buf_printf(out, "%-*s  %-*s  %-*s  %-*s  %-*s  %-*s  %s\n", wb, "BARCODE", wt, "TYPE",
		ws, "STATUS", wd, "DONOR", wsite, "SITE", wp, "POSITION", "LOCATION");
	for (size_t i = 0; i < r->n; i++) {
		const ob_report_item *h = &r->v[i];
		ob_buf_printf(out, "%-*s  %-*s  %-*s  %-*s  %-*s  %-*s  %s\n", wb, h->barcode, wt,
			h->type, ws, h->status, wd, h->donor, wsite, h->site, wp,
			*h->position ? h->position : "-", h->in->path);
	}
	ob_buf_puts(out, "by type:");
	for (size_t i = 0; i < r->ntypes; i++)
		ob_buf_printf(out, "%s %s %zu", i ? "," : "", r->by_type[i].type, r->by_type[i].n);
	ob_buf_putc(out, '\n');
}

/* Prints the containers of site or below under: lines, or --json. */
static int print_list(const ob_ctx *cx, const char *site, const char *under, bool json)
{
	ob_container_tree t;
	ob_buf out = OB_BUF_INIT;
	int rc;

	if ((rc = ob_container_list(cx, site, under, &t)) < 0)
		return rc;
	if (json)
		rc = ob_cli_print_json(ob_view_container_tree(&t), 0);
	else
		list_text(&t, &out);
	ob_container_tree_free(&t);
	return emit(&out, rc);
}

static int sub_add(const ob_ctx *cx, int argc, char **argv)
{
	const char *kind = NULL, *parent = NULL, *site = NULL, *name = NULL, *temp = NULL,
		   *rows = NULL, *cols = NULL, *scheme = NULL, *pos[1];
	const ob_opt opts[] = { { "kind", &kind, NULL }, { "parent", &parent, NULL },
		{ "site", &site, NULL }, { "name", &name, NULL }, { "temperature", &temp, NULL },
		{ "rows", &rows, NULL }, { "cols", &cols, NULL }, { "scheme", &scheme, NULL },
		{ NULL, NULL, NULL } };
	ob_container_new c;
	ob_buf path = OB_BUF_INIT;
	int64_t id;
	int rc, n;

	if ((rc = ob_args_parse("container add", argc, argv, 2, opts, pos, 1, &n)) < 0)
		return rc;
	if (n != 1)
		return ob_cli_usage("container add", "give the new container's BARCODE");
	if (!kind)
		return ob_cli_usage("container add", "--kind is needed");
	ob_container_new_init(&c);
	c.barcode = pos[0];
	c.kind = kind;
	c.parent = parent;
	c.site = site;
	c.name = name;
	c.scheme = scheme;
	if ((temp && (rc = ob_args_double("temperature", temp, &c.temperature)) < 0)
	    || (rows && (rc = ob_args_int("rows", rows, &c.rows)) < 0)
	    || (cols && (rc = ob_args_int("cols", cols, &c.cols)) < 0))
		return rc;
	if ((rc = ob_container_add(cx, &c, &id)) < 0)
		return rc;
	if ((rc = ob_container_path_text(cx, id, &path)) == 0)
		printf("container %s added: %s\n", c.barcode, ob_buf_cstr(&path));
	ob_buf_dispose(&path);
	return rc;
}

static int sub_list(const ob_ctx *cx, int argc, char **argv)
{
	const char *site = NULL, *under = NULL, *pos[1];
	bool json = false;
	const ob_opt opts[] = { { "site", &site, NULL }, { "under", &under, NULL },
		{ "json", NULL, &json }, { NULL, NULL, NULL } };
	int rc, n;

	if ((rc = ob_args_parse("container list", argc, argv, 2, opts, pos, 0, &n)) < 0)
		return rc;
	return print_list(cx, site, under, json);
}

static int sub_show(const ob_ctx *cx, int argc, char **argv)
{
	const char *pos[1];
	bool json = false;
	const ob_opt opts[] = { { "json", NULL, &json }, { NULL, NULL, NULL } };
	ob_container_info c;
	ob_box_map m;
	ob_buf out = OB_BUF_INIT;
	int rc, n;

	if ((rc = ob_args_parse("container show", argc, argv, 2, opts, pos, 1, &n)) < 0)
		return rc;
	if (n != 1)
		return ob_cli_usage("container show", "give a container BARCODE");
	if ((rc = ob_container_get(cx, pos[0], &c)) < 0)
		return rc;
	if (strcmp(c.kind, "box"))
		return print_list(cx, NULL, pos[0], json);
	if ((rc = ob_container_map(cx, pos[0], &m)) < 0)
		return rc;
	if (json)
		rc = ob_cli_print_json(ob_view_box_map(&m), 0);
	else
		map_text(&m, &out);
	ob_box_map_free(&m);
	return emit(&out, rc);
}

static int sub_report(const ob_ctx *cx, int argc, char **argv)
{
	const char *pos[1];
	bool json = false;
	const ob_opt opts[] = { { "json", NULL, &json }, { NULL, NULL, NULL } };
	ob_freezer_report r;
	ob_buf out = OB_BUF_INIT;
	int rc, n;

	if ((rc = ob_args_parse("container report", argc, argv, 2, opts, pos, 1, &n)) < 0)
		return rc;
	if (n != 1)
		return ob_cli_usage("container report", "give a container BARCODE");
	if ((rc = ob_container_report(cx, pos[0], &r)) < 0)
		return rc;
	if (json)
		rc = ob_cli_print_json(ob_view_freezer_report(&r), 0);
	else
		report_text(&r, &out);
	ob_freezer_report_free(&r);
	return emit(&out, rc);
}

static int sub_move(const ob_ctx *cx, int argc, char **argv)
{
	const char *pos[3];
	bool out = false;
	const ob_opt opts[] = { { "out", NULL, &out }, { NULL, NULL, NULL } };
	int rc, n;

	if ((rc = ob_args_parse("container move", argc, argv, 2, opts, pos, 3, &n)) < 0)
		return rc;
	if (out ? n != 1 : n != 3)
		return ob_cli_usage("container move", "give SPECIMEN BOX POSITION, or SPECIMEN --out");
	if (out) {
		if ((rc = ob_specimen_move(cx, pos[0], NULL, NULL)) == 0)
			printf("%s taken out of storage\n", pos[0]);
		return rc;
	}
	if ((rc = ob_specimen_move(cx, pos[0], pos[1], pos[2])) == 0) {
		char norm[OB_POSITION_MAX];
		if ((rc = ob_container_check_position(cx, pos[1], pos[2], NULL, norm)) == 0)
			printf("%s moved to %s %s\n", pos[0], pos[1], norm);
	}
	return rc;
}

static int sub_swap(const ob_ctx *cx, int argc, char **argv)
{
	const char *pos[2];
	int rc, n;

	if ((rc = ob_args_parse("container swap", argc, argv, 2, NULL, pos, 2, &n)) < 0)
		return rc;
	if (n != 2)
		return ob_cli_usage("container swap", "give two specimen barcodes");
	if ((rc = ob_specimen_swap(cx, pos[0], pos[1])) == 0)
		printf("%s and %s swapped\n", pos[0], pos[1]);
	return rc;
}

static int sub_empty(const ob_ctx *cx, int argc, char **argv)
{
	const char *pos[2];
	int64_t moved = 0;
	int rc, n;

	if ((rc = ob_args_parse("container empty", argc, argv, 2, NULL, pos, 2, &n)) < 0)
		return rc;
	if (n != 2)
		return ob_cli_usage("container empty", "give FROM_BOX and TO_BOX");
	if ((rc = ob_container_empty_into(cx, pos[0], pos[1], &moved)) == 0)
		printf("%lld specimen%s moved from %s into %s\n", (long long)moved,
		       moved == 1 ? "" : "s", pos[0], pos[1]);
	return rc;
}

static int sub_correct(const ob_ctx *cx, int argc, char **argv)
{
	const char *reason = NULL, *pos[1 + OB_CLI_CHANGES_MAX + 1];
	const ob_opt opts[] = { { "reason", &reason, NULL }, { NULL, NULL, NULL } };
	ob_cli_changes c;
	int rc, n;

	if ((rc = ob_args_parse("container correct", argc, argv, 2, opts, pos,
			1 + OB_CLI_CHANGES_MAX + 1, &n)) < 0)
		return rc;
	if (n < 1)
		return ob_cli_usage("container correct", "give a container BARCODE");
	if ((rc = ob_cli_changes_read("container correct", pos + 1, n - 1, &c)) < 0
	    || (rc = ob_container_correct(cx, pos[0], c.ch, c.n, reason)) < 0)
		return rc;
	printf("container %s corrected\n", pos[0]);
	return 0;
}

static int sub_history(const ob_ctx *cx, int argc, char **argv)
{
	const char *pos[1];
	bool json = false;
	const ob_opt opts[] = { { "json", NULL, &json }, { NULL, NULL, NULL } };
	ob_cli_history h = { NULL };
	int rc, n;

	if ((rc = ob_args_parse("container history", argc, argv, 2, opts, pos, 1, &n)) < 0)
		return rc;
	if (n != 1)
		return ob_cli_usage("container history", "give a container BARCODE");
	return ob_cli_history_print(&h, json, ob_container_changes(cx, pos[0], ob_cli_history_cb,
		&h));
}

static const struct {
	const char *name;
	int (*fn)(const ob_ctx *cx, int argc, char **argv);
	const char *usage;
} subs[] = {
	{ "add", sub_add, usage_add },
	{ "list", sub_list, usage_list },
	{ "show", sub_show, usage_show },
	{ "report", sub_report, usage_report },
	{ "move", sub_move, usage_move },
	{ "swap", sub_swap, usage_swap },
	{ "empty", sub_empty, usage_empty },
	{ "correct", sub_correct, usage_correct },
	{ "history", sub_history, usage_history },
};

int ob_cmd_container(ob_cli *cli, int argc, char **argv)
{
	ob_store *st;
	size_t i;
	int rc;

	if (argc < 2 || argv[1][0] == '-') {
		if (ob_cli_wants_help(argc, argv)) {
			fputs(usage_main, stdout);
			return 0;
		}
		return ob_cli_usage("container", "a subcommand is needed");
	}
	for (i = 0; i < sizeof subs / sizeof subs[0]; i++)
		if (!strcmp(argv[1], subs[i].name))
			break;
	if (i == sizeof subs / sizeof subs[0]) {
		if (ob_cli_wants_help(argc, argv)) {
			fputs(usage_main, stdout);
			return 0;
		}
		return ob_error_set(OB_EUSAGE, "container: unknown subcommand '%s' (see oncobank"
				    " container --help)", argv[1]);
	}
	if (ob_cli_wants_help(argc - 1, argv + 1)) {
		fputs(subs[i].usage, stdout);
		return 0;
	}
	if ((rc = ob_cli_store(cli, &st)) < 0)
		return rc;
	ob_ctx cx = ob_cli_ctx(cli, st);
	return subs[i].fn(&cx, argc, argv);
}
