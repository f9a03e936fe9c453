/*
 * cmd_shipment.c - the command `shipment`: material sent from one site to
 * another, from the draft to the receipt by scanning (docs/shipments.md).
 * Every subcommand is one domain call of bank/shipment.h (receive: one per
 * barcode read, as a scanner sends them).
 */
#include "cli/commands.h"
#include "cli/args.h"
#include "bank/fields.h"
#include "bank/shipment.h"
#include "base/buf.h"
#include "base/error.h"
#include "base/util.h"
#include "store/store.h"
#include "view/shipment_view.h"
#include "view/view.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
	"usage: oncobank shipment create --to SITE [--from SITE] [--code CODE]\n"
	"                [--courier X] [--tracking X] [--condition C] [--logger X]\n"
	"                [--notes X] [BARCODE...] [--file FILE|-]\n"
	"       oncobank shipment edit CODE [--to SITE] [--courier X] [--tracking X]\n"
	"                [--condition C] [--logger X] [--notes X]\n"
	"       oncobank shipment add CODE BARCODE... [--file FILE|-]\n"
	"       oncobank shipment remove CODE BARCODE\n"
	"       oncobank shipment pack CODE\n"
	"       oncobank shipment ship CODE [--courier X] [--tracking X]\n"
	"       oncobank shipment cancel CODE --reason TEXT\n"
	"       oncobank shipment receive CODE BARCODE... [--file FILE|-] [--container C]\n"
	"                [--position P] [--damaged] [--thawed] [--wrong-label] [--note X]\n"
	"       oncobank shipment discrepancy CODE BARCODE --kind KIND [--note X]\n"
	"       oncobank shipment finish CODE [--note X]\n"
	"       oncobank shipment show CODE [--json]\n"
	"       oncobank shipment list [--incoming|--outgoing] [--state S] [--site SITE]\n"
	"                [--q TEXT] [--limit N] [--offset N] [--json]\n"
	"       oncobank shipment manifest CODE [--pdf FILE|--csv FILE]\n"
	"       oncobank shipment receipt CODE [--pdf FILE|--csv FILE]\n"
	"       oncobank shipment history BARCODE [--json]\n\n"
	"A shipment carries specimens and whole boxes (with their contents and layout)\n"
	"from one site to another: draft -> packed -> shipped -> received, or cancelled\n"
	"before it is shipped. Items are checked when added, packed and shipped (status,\n"
	"another open shipment, withdrawal, consent to transfer outside the collecting\n"
	"site's scope); a refusal lists every barcode with its reason and adds nothing.\n"
	"Shipping puts every item in transit. At the destination each barcode scanned is\n"
	"received (--container: a box for a specimen, with --position or its first free\n"
	"one; a freezer, rack or shelf for a whole box), recorded as extra when not on\n"
	"the manifest, or refused when received already. finish declares what is still\n"
	"pending missing. Conditions: ambient, refrigerated (2-8C), dry_ice,\n"
	"ln2_dry_shipper. Discrepancy kinds: missing, extra, damaged, thawed, wrong_label.\n"
	"manifest and receipt write CSV to stdout unless --pdf or --csv name a file.";

/* ---- barcodes from the command line and from a file ---- */

typedef struct barcodes {
	const char **v;
	size_t n, cap;
	char *text;  /* the file's contents, which v points into */
} barcodes;

static int push(barcodes *b, const char *s)
{
	if (b->n == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 64;
		const char **v = realloc(b->v, cap * sizeof *v);
		if (!v)
			return ob_error_set(OB_ERROR, "barcodes: out of memory");
		b->v = v;
		b->cap = cap;
	}
	b->v[b->n++] = s;
	return 0;
}

static void barcodes_free(barcodes *b)
{
	free(b->v);
	free(b->text);
}

/* Reads one barcode per line of path ("-": stdin): blank lines skipped,
 * spaces and a CR around a barcode dropped; each checked as a barcode
 * field ("FILE:LINE: barcode: ..."). */
static int read_file(barcodes *b, const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	const char *name = strcmp(path, "-") ? path : "stdin";
	ob_buf t = OB_BUF_INIT;
	char chunk[8192];
	size_t got, line = 0;
	int rc = 0;

	if (!f)
		return ob_error_set(OB_EINVALID, "--file: %s: %s", path, strerror(errno));
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
		ob_buf_put(&t, chunk, got);
	if (ferror(f))
		rc = ob_error_set(OB_EINVALID, "--file: %s: read error", name);
	if (f != stdin)
		fclose(f);
	if (rc == 0 && t.failed)
		rc = ob_error_set(OB_ERROR, "--file: out of memory");
	if (rc < 0 || !t.s) {  /* an empty file: no barcodes */
		ob_buf_dispose(&t);
		return rc;
	}
	if (memchr(t.s, '\0', t.len)) {
		ob_buf_dispose(&t);
		return ob_error_set(OB_EINVALID, "%s: barcode: a NUL byte is not text", name);
	}
	free(b->text);
	b->text = t.s;  /* taken: v points into it */
	for (char *p = b->text, *nl; rc == 0 && p && p < b->text + t.len; p = nl ? nl + 1 : NULL) {
		char *e;
		line++;
		if ((nl = memchr(p, '\n', (size_t)(b->text + t.len - p))))
			*nl = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		for (e = p + strlen(p); e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r');)
			*--e = '\0';
		if (!*p)
			continue;
		if ((rc = ob_field_check("barcode", p, strlen(p))) < 0)
			return ob_error_set(rc, "%s:%zu: %s", name, line, ob_error_last());
		rc = push(b, p);
	}
	return rc;
}

/* The barcodes of pos[0..n-1] and of --file. */
static int gather(barcodes *b, const char *const *pos, int n, const char *file)
{
	int rc;

	for (int i = 0; i < n; i++)
		if ((rc = push(b, pos[i])) < 0)
			return rc;
	return file ? read_file(b, file) : 0;
}

/* Prints every refusal, one barcode with its reason a line, before the
 * summary main() prints. */
static int refused(int rc, const ob_shipment_refusals *ref)
{
	for (size_t i = 0; i < ref->n; i++)
		fprintf(stderr, "  %s: %s\n", ref->v[i].barcode, ref->v[i].reason);
	return rc;
}

/* ---- reading ---- */

static const char *dash(const char *s)
{
	return s && *s ? s : "-";
}

static void counts_line(const ob_shipment_counts *c)
{
	printf("%lld items (%lld boxes): %lld received, %lld missing, %lld pending; %lld extra,"
		" %lld discrepancies\n", (long long)c->items, (long long)c->boxes,
		(long long)c->received, (long long)c->missing, (long long)c->pending,
		(long long)c->extra, (long long)c->discrepancies);
}

static void show_text(const ob_shipment_full *f)
{
	for (const ob_field *d = ob_shipment_fields; d->name; d++) {
		const char *v = ob_field_text(d, &f->r);
		if (v && *v)
			printf("%-14s %s\n", d->name, v);
	}
	counts_line(&f->counts);
	if (f->nboxes) {
		printf("boxes:\n");
		for (size_t i = 0; i < f->nboxes; i++) {
			const ob_shipment_box *b = &f->boxes[i];
			printf("  %-16s %-10s %dx%d %4lld specimens  from %-12s %-9s %s\n", b->barcode,
				dash(b->name), b->rows, b->cols, (long long)b->items, dash(b->from_parent),
				dash(b->state), dash(b->parent));
		}
	}
	printf("items:\n");
	for (size_t i = 0; i < f->nitems; i++) {
		const ob_shipment_item *it = &f->items[i];
		char q[40] = "-", at[80];
		if (!isnan(it->quantity))
			snprintf(q, sizeof q, "%g %s", it->quantity, it->unit ? it->unit : "");
		snprintf(at, sizeof at, "%s %s", dash(it->container), it->position ? it->position : "");
		printf("  %-16s %-14s %-10s %-10s box %-12s %-9s %-20s %s\n", it->barcode,
			dash(it->type), dash(it->donor), q, dash(it->box), dash(it->state), at,
			it->discrepancies ? it->discrepancies : "");
	}
	if (f->ndiscs) {
		printf("discrepancies:\n");
		for (size_t i = 0; i < f->ndiscs; i++)
			printf("  %-16s %-12s %-20s %-12s %s\n", f->discs[i].barcode, f->discs[i].kind,
				dash(f->discs[i].at), dash(f->discs[i].by), f->discs[i].note ?
				f->discs[i].note : "");
	}
	printf("custody:\n");
	for (size_t i = 0; i < f->ncustody; i++)
		printf("  %-20s %-12s %-16s %-8s %s\n", dash(f->custody[i].at), f->custody[i].action,
			dash(f->custody[i].by), dash(f->custody[i].site), f->custody[i].note ?
			f->custody[i].note : "");
}

static int show(const ob_ctx *cx, const char *code, bool json)
{
	ob_shipment_full f;
	int rc;

	if ((rc = ob_shipment_read(cx, code, &f)) < 0)
		return rc;
	if (json)
		rc = ob_cli_print_json(ob_view_shipment_full(&f), 0);
	else
		show_text(&f);
	ob_shipment_full_free(&f);
	return rc;
}

static int list_line(const ob_shipment_record *r, const ob_shipment_counts *c, void *arg)
{
	(void)arg;
	printf("%-20s %-8s %-8s %-9s %6lld %6lld %6lld  %-16.16s %s\n", r->code, r->from_site,
		r->to_site, r->state, (long long)c->items, (long long)c->received,
		(long long)c->missing, dash(r->courier), dash(r->tracking));
	return 0;
}

static int list(const ob_ctx *cx, const ob_shipment_filter *f, bool json)
{
	int64_t total = 0;
	int rc;

	if (json) {
		json_t *a = json_array();
		rc = ob_shipment_list(cx, f, ob_view_shipment_append, a, &total);
		return ob_cli_print_json(json_pack("{s:o,s:I}", "shipments", a, "total",
			(json_int_t)total), rc);
	}
	printf("%-20s %-8s %-8s %-9s %6s %6s %6s  %-16s %s\n", "CODE", "FROM", "TO", "STATE",
		"ITEMS", "RECVD", "MISS", "COURIER", "TRACKING");
	if ((rc = ob_shipment_list(cx, f, list_line, NULL, &total)) == 0)
		printf("%lld shipments\n", (long long)total);
	return rc;
}

static int history_line(const ob_shipment_record *r, const char *item_state,
                        const char *discrepancies, void *arg)
{
	(void)arg;
	printf("%-20s %-8s %-8s %-9s %-9s %-20s %s\n", r->code, r->from_site, r->to_site, r->state,
		dash(item_state), dash(r->shipped_at), discrepancies ? discrepancies : "");
	return 0;
}

static int history(const ob_ctx *cx, const char *barcode, bool json)
{
	if (json) {
		json_t *a = json_array();
		int rc = ob_shipment_history(cx, barcode, ob_view_shipment_history_append, a);
		return ob_cli_print_json(json_pack("{s:o}", "shipments", a), rc);
	}
	printf("%-20s %-8s %-8s %-9s %-9s %-20s %s\n", "SHIPMENT", "FROM", "TO", "STATE", "ITEM",
		"SHIPPED", "DISCREPANCIES");
	return ob_shipment_history(cx, barcode, history_line, NULL);
}

/* manifest / receipt: CSV to stdout, or --pdf / --csv FILE. */
static int document(const ob_ctx *cx, const char *code, bool manifest, const char *pdf,
                    const char *csv)
{
	const char *path = pdf ? pdf : csv;
	ob_shipment_full f;
	ob_buf b = OB_BUF_INIT;
	FILE *out;
	int rc;

	if (pdf && csv)
		return ob_cli_usage("shipment", "give --pdf or --csv, not both");
	if ((rc = ob_shipment_read(cx, code, &f)) < 0)
		return rc;
	if (manifest)
		rc = pdf ? ob_shipment_manifest_pdf(&f, &b) : ob_shipment_manifest_csv(&f, &b);
	else
		rc = pdf ? ob_shipment_receipt_pdf(&f, &b) : ob_shipment_receipt_csv(&f, &b);
	ob_shipment_full_free(&f);
	if (rc == 0 && b.failed)
		rc = ob_error_set(OB_ERROR, "%s: out of memory", manifest ? "manifest" : "receipt");
	if (rc == 0) {
		out = path && strcmp(path, "-") ? fopen(path, "wb") : stdout;
		if (!out)
			rc = ob_error_set(OB_EINVALID, "--%s: %s: %s", pdf ? "pdf" : "csv", path,
				strerror(errno));
		else if ((b.len && fwrite(b.s, 1, b.len, out) != b.len)
			 || (out != stdout ? fclose(out) : fflush(out)) != 0)
			rc = ob_error_set(OB_ERROR, "%s: write error", path ? path : "stdout");
		if (rc == 0 && out != stdout)
			fprintf(stderr, "%s of %s written to %s (%zu bytes)\n", manifest ? "manifest"
				: "receipt", code, path, b.len);
	}
	ob_buf_dispose(&b);
	return rc;
}

/* ---- receiving ---- */

static void scan_line(const ob_shipment_scan_result *r)
{
	const ob_shipment_counts *c = &r->counts;

	if (!strcmp(r->result, "box"))
		printf("%s: box received with %lld specimens into %s", r->barcode, (long long)r->n,
			dash(r->container));
	else if (!strcmp(r->result, "extra"))
		printf("%s: EXTRA, not on the manifest (recorded)", r->barcode);
	else if (*r->container)
		printf("%s: %s received into %s %s", r->barcode, dash(r->type), r->container,
			r->position);
	else
		printf("%s: %s received (unplaced)", r->barcode, dash(r->type));
	printf("  [%lld/%lld received, %lld missing, %lld pending]%s\n", (long long)c->received,
		(long long)c->items, (long long)c->missing, (long long)c->pending,
		r->complete ? " receipt complete" : "");
}

static int receive(const ob_ctx *cx, const char *code, const barcodes *b,
                   const ob_shipment_scan *tmpl)
{
	ob_shipment_scan_result r;
	int rc;

	if (!b->n)
		return ob_cli_usage("shipment", "receive needs CODE and at least one BARCODE");
	for (size_t i = 0; i < b->n; i++) {
		ob_shipment_scan s = *tmpl;
		s.barcode = b->v[i];
		if ((rc = ob_shipment_receive(cx, code, &s, &r)) < 0) {
			if (i)
				fprintf(stderr, "oncobank: the %zu scans before %s were recorded\n", i,
					b->v[i]);
			return rc;
		}
		scan_line(&r);
	}
	return 0;
}

/* ---- the command ---- */

typedef struct opts {
	ob_shipment_new in;
	const char *file, *reason, *container, *position, *note, *kind, *state, *site, *q;
	const char *limit, *offset, *pdf, *csv;
	bool json, incoming, outgoing, damaged, thawed, wrong_label;
} opts;

static int build(const ob_ctx *cx, const char *sub, const opts *o, const char *const *pos,
                 int n)
{
	ob_shipment_refusals ref = { 0 };
	barcodes b = { 0 };
	char code[OB_SHIPMENT_CODE_MAX];
	int rc;

	if (!strcmp(sub, "create")) {
		if (!o->in.to_site)
			return ob_cli_usage("shipment", "create needs --to SITE");
		if ((rc = gather(&b, pos, n, o->file)) == 0) {
			rc = ob_store_begin(cx->st);
			if (rc == 0 && (rc = ob_shipment_create(cx, &o->in, code)) == 0 && b.n)
				rc = ob_shipment_add(cx, code, b.v, b.n, &ref);
			if (rc == 0)
				rc = ob_store_commit(cx->st);
			else if (ob_store_in_txn(cx->st))
				ob_store_rollback(cx->st);
			if (rc == 0)
				printf("%s\n", code);
		}
	} else if (!strcmp(sub, "add")) {
		if ((rc = gather(&b, pos + 1, n - 1, o->file)) == 0 && !b.n)
			rc = ob_cli_usage("shipment", "add needs CODE and at least one BARCODE");
		if (rc == 0 && (rc = ob_shipment_add(cx, pos[0], b.v, b.n, &ref)) == 0)
			printf("%zu items added to shipment %s\n", b.n, pos[0]);
	} else if (!strcmp(sub, "pack")) {
		if ((rc = ob_shipment_pack(cx, pos[0], &ref)) == 0)
			printf("shipment %s packed\n", pos[0]);
	} else {
		if ((rc = ob_shipment_ship(cx, pos[0], o->in.courier, o->in.tracking, &ref)) == 0)
			printf("shipment %s shipped\n", pos[0]);
	}
	rc = refused(rc, &ref);
	ob_shipment_refusals_free(&ref);
	barcodes_free(&b);
	return rc;
}

static int run(const ob_ctx *cx, const char *sub, const opts *o, const char *const *pos, int n)
{
	int rc;

	if (!strcmp(sub, "create") || !strcmp(sub, "add") || !strcmp(sub, "pack")
	    || !strcmp(sub, "ship"))
		return build(cx, sub, o, pos, n);
	if (!strcmp(sub, "edit")) {
		if ((rc = ob_shipment_edit(cx, pos[0], &o->in)) == 0)
			printf("shipment %s changed\n", pos[0]);
		return rc;
	}
	if (!strcmp(sub, "remove")) {
		if (n != 2)
			return ob_cli_usage("shipment", "remove needs CODE and BARCODE");
		if ((rc = ob_shipment_remove(cx, pos[0], pos[1])) == 0)
			printf("%s taken off shipment %s\n", pos[1], pos[0]);
		return rc;
	}
	if (!strcmp(sub, "cancel")) {
		if (!o->reason)
			return ob_cli_usage("shipment", "cancel needs --reason TEXT");
		if ((rc = ob_shipment_cancel(cx, pos[0], o->reason)) == 0)
			printf("shipment %s cancelled\n", pos[0]);
		return rc;
	}
	if (!strcmp(sub, "receive")) {
		ob_shipment_scan tmpl = { .container = o->container, .position = o->position,
			.note = o->note };
		barcodes b = { 0 };
		tmpl.discrepancies = (o->damaged ? OB_DISC_DAMAGED : 0)
			| (o->thawed ? OB_DISC_THAWED : 0) | (o->wrong_label ? OB_DISC_WRONG_LABEL : 0);
		if ((rc = gather(&b, pos + 1, n - 1, o->file)) == 0)
			rc = receive(cx, pos[0], &b, &tmpl);
		barcodes_free(&b);
		return rc;
	}
	if (!strcmp(sub, "discrepancy")) {
		if (n != 2 || !o->kind)
			return ob_cli_usage("shipment", "discrepancy needs CODE, BARCODE and --kind");
		if ((rc = ob_shipment_discrepancy(cx, pos[0], pos[1], o->kind, o->note)) == 0)
			printf("%s: %s recorded on shipment %s\n", pos[1], o->kind, pos[0]);
		return rc;
	}
	if (!strcmp(sub, "finish")) {
		if ((rc = ob_shipment_finish(cx, pos[0], o->note)) == 0)
			printf("shipment %s received\n", pos[0]);
		return rc;
	}
	if (!strcmp(sub, "show"))
		return show(cx, pos[0], o->json);
	if (!strcmp(sub, "manifest") || !strcmp(sub, "receipt"))
		return document(cx, pos[0], !strcmp(sub, "manifest"), o->pdf, o->csv);
	if (!strcmp(sub, "history"))
		return history(cx, pos[0], o->json);
	return ob_cli_usage("shipment", "unknown subcommand");
}

/* list's filter from the options. */
static int filter_of(const opts *o, ob_shipment_filter *f)
{
	memset(f, 0, sizeof *f);
	if (o->incoming && o->outgoing)
		return ob_cli_usage("shipment", "give --incoming or --outgoing, not both");
	f->direction = o->incoming ? "incoming" : o->outgoing ? "outgoing" : NULL;
	f->state = o->state;
	f->site = o->site;
	f->q = o->q;
	if ((o->limit && (ob_parse_i64(o->limit, &f->limit) < 0 || f->limit < 0))
	    || (o->offset && (ob_parse_i64(o->offset, &f->offset) < 0 || f->offset < 0)))
		return ob_cli_usage("shipment", "--limit and --offset take a whole number");
	return 0;
}

int ob_cmd_shipment(ob_cli *cli, int argc, char **argv)
{
	opts o = { 0 };
	const ob_opt table[] = { { "to", &o.in.to_site, NULL }, { "from", &o.in.from_site, NULL },
		{ "code", &o.in.code, NULL }, { "courier", &o.in.courier, NULL },
		{ "tracking", &o.in.tracking, NULL }, { "condition", &o.in.condition, NULL },
		{ "logger", &o.in.logger, NULL }, { "notes", &o.in.notes, NULL },
		{ "file", &o.file, NULL }, { "reason", &o.reason, NULL },
		{ "container", &o.container, NULL }, { "position", &o.position, NULL },
		{ "note", &o.note, NULL }, { "kind", &o.kind, NULL }, { "state", &o.state, NULL },
		{ "site", &o.site, NULL }, { "q", &o.q, NULL }, { "limit", &o.limit, NULL },
		{ "offset", &o.offset, NULL }, { "pdf", &o.pdf, NULL }, { "csv", &o.csv, NULL },
		{ "json", NULL, &o.json }, { "incoming", NULL, &o.incoming },
		{ "outgoing", NULL, &o.outgoing }, { "damaged", NULL, &o.damaged },
		{ "thawed", NULL, &o.thawed }, { "wrong-label", NULL, &o.wrong_label },
		{ NULL, NULL, NULL } };
	const char **pos;
	const char *sub;
	ob_store *st;
	int rc, n;

	if (ob_cli_wants_help(argc, argv) || argc < 2) {
		puts(help);
		return argc < 2 ? ob_cli_usage("shipment", "a subcommand is needed") : 0;
	}
	sub = argv[1];
	/* barcodes may be many: room for every argument */
	if (!(pos = calloc((size_t)argc, sizeof *pos)))
		return ob_error_set(OB_ERROR, "out of memory");
	if ((rc = ob_args_parse("shipment", argc, argv, 2, table, pos, argc, &n)) < 0)
		goto out;
	if (strcmp(sub, "list") && strcmp(sub, "create") && n < 1) {
		rc = ob_cli_usage("shipment", !strcmp(sub, "history") ? "give the specimen's BARCODE"
			: "give the shipment's CODE");
		goto out;
	}
	if (strcmp(sub, "create") && strcmp(sub, "add") && strcmp(sub, "receive") && o.file) {
		rc = ob_cli_usage("shipment", "--file is for create, add and receive");
		goto out;
	}
	if ((rc = ob_cli_store(cli, &st)) < 0)
		goto out;
	ob_ctx cx = ob_cli_ctx(cli, st);
	if (!strcmp(sub, "list")) {
		ob_shipment_filter f;
		if (n)
			rc = ob_cli_usage("shipment", "list takes options only");
		else if ((rc = filter_of(&o, &f)) == 0)
			rc = list(&cx, &f, o.json);
	} else {
		rc = run(&cx, sub, &o, pos, n);
	}
out:
	free(pos);
	return rc;
}
