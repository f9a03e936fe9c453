/*
 * cmd_specimen.c - the specimen command: collect (add), aliquot, derive,
 * show, find, status, thaw.
 */
#include "cli/commands.h"
#include "cli/args.h"
#include "bank/barcode.h"
#include "bank/donor.h"
#include "bank/specimen.h"
#include "base/buf.h"
#include "base/error.h"
#include "base/util.h"
#include "store/store.h"
#include "view/jw.h"
#include "view/view.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char help[] =
	"usage: oncobank specimen add --site SITE --donor CODE --type TYPE [options]\n"
	"       oncobank specimen aliquot PARENT --quantity Q --unit U [--count N]\n"
	"                [--positions A1,A2,..] [--container BOX] [--thawed]\n"
	"       oncobank specimen derive PARENT --type dna|rna|cfdna --quantity Q --unit U\n"
	"                [--used Q] [--concentration C] [--a260-280 R] [--rin R] [--din D]\n"
	"       oncobank specimen show BARCODE [--json]\n"
	"       oncobank specimen find [--site SITE] [--type T] [--status S] [--topography C50]\n"
	"                [--morphology 8500] [--consent genetic,...] [--container BOX]\n"
	"                [--donor CODE] [--pathology tumour] [--study CODE] [--event CODE]\n"
	"                [--withdrawn include|exclude|only] [--limit N] [--offset N] [--count] [--json]\n"
	"       oncobank specimen status BARCODE STATUS [--reason TEXT]\n"
	"       oncobank specimen thaw BARCODE\n"
	"       oncobank specimen correct BARCODE FIELD=VALUE... --reason TEXT\n"
	"       oncobank specimen history BARCODE [--field FIELD] [--json]\n\n"
	"add options: --barcode B (default: generated) --label L --donor-site SITE\n"
	"  --anatomic-site S --pathology tumour|normal|unknown --tumour-pct P --quantity Q\n"
	"  --unit U --collected-at TIME --status S --container BOX --position P --sprec CODE\n"
	"  --study CODE --event CODE [--requirement CODE] (collected in a study, which must\n"
	"  be active with a valid ethics approval, from an enrolled donor; docs/studies.md)\n"
	"  pre-analytical record (the SPREC code is computed from it):\n"
	"  --collection CODE (solid: SRG, BPS..; fluid: primary container SST, PED..)\n"
	"  --vessel V --warm-ischaemia MIN --cold-ischaemia MIN --fixation NBF|SNP|OCT..\n"
	"  --fixation-time MIN --precentrifugation MIN --precentrifugation-temp RT|2-10|35-38\n"
	"  --centrifugation TEMP/MIN/G/brake|nobrake|none --second-centrifugation ...\n"
	"  --postcentrifugation MIN --postcentrifugation-temp RT|2-10\n"
	"  every field of the record is an option named as the field with '-' for '_'\n"
	"  (--initial-quantity, --freeze-thaw, --warm-ischaemia-min ...; see\n"
	"  GET /api/fields/specimen)\n\n"
	"Types: ffpe_block, ffpe_slide, fresh_frozen, oct, whole_blood, plasma, serum,\n"
	"buffy_coat, pbmc, urine, ascites, pleural_fluid, csf, saliva, dna, rna, cfdna.\n"
	"Statuses: available, reserved, in_transit, distributed, depleted, destroyed, missing.\n"
	"A site filter includes every site below it. --json on show gives the record with\n"
	"its lineage tree, location, SPREC in words and audit history.\n"
	"correct changes what a person entered (label, type, anatomic_site, pathology,\n"
	"tumour_pct, quantity, initial_quantity, unit, collected_at, sprec, concentration,\n"
	"a260_280, rin, din and the pre-analytical record: collection, vessel,\n"
	"warm_ischaemia_min, ...); an empty VALUE clears a field. The reason is kept in the\n"
	"audit trail with the values before and after; history lists each field's changes.";

/* The record's fields are options, named as the field with '-' for '_'
 * (--tumour-pct, --collected-at, --warm-ischaemia-min); these older words
 * name some of them too. */
static const struct {
	const char *opt, *field;
} aliases[] = {
	{ "warm-ischaemia", "warm_ischaemia_min" }, { "cold-ischaemia", "cold_ischaemia_min" },
	{ "fixation-time", "fixation_min" }, { "precentrifugation", "precentrifugation_min" },
	{ "postcentrifugation", "postcentrifugation_min" }, { "used", "parent_used" },
};
#define NALIASES (sizeof aliases / sizeof aliases[0])

/* The options of the command that are not fields. */
typedef struct add_opts {
	const char *count, *positions, *reason, *topo, *morph, *consent, *limit, *offset;
	const char *withdrawn;
	bool json, thawed, count_only;
	/* the fields' values as given, by field index, and the aliases' */
	const char *field[OB_SPECIMEN_NFIELDS];
	const char *alias[NALIASES];
	char name[OB_SPECIMEN_NFIELDS][40];
} add_opts;

/* The value given for field name (NULL when none). */
static const char *given(const add_opts *o, const char *name)
{
	const ob_field *f = ob_field_find(ob_specimen_fields, name);

	return f ? o->field[f - ob_specimen_fields] : NULL;
}

/* The option table: a field's option, the aliases, then the rest. */
static void options(add_opts *o, ob_opt *opts)
{
	size_t n = 0;

	for (const ob_field *f = ob_specimen_fields; f->name; f++, n++) {
		char *d = o->name[n];
		ob_strlcpy(d, f->name, sizeof o->name[n]);
		for (char *c = d; *c; c++)
			if (*c == '_')
				*c = '-';
		opts[n] = (ob_opt){ d, &o->field[n], NULL };
	}
	for (size_t i = 0; i < NALIASES; i++)
		opts[n++] = (ob_opt){ aliases[i].opt, &o->alias[i], NULL };
	const ob_opt rest[] = {
		{ "count", &o->count, NULL }, { "positions", &o->positions, NULL },
		{ "reason", &o->reason, NULL }, { "topography", &o->topo, NULL },
		{ "morphology", &o->morph, NULL }, { "consent", &o->consent, NULL },
		{ "withdrawn", &o->withdrawn, NULL }, { "limit", &o->limit, NULL },
		{ "offset", &o->offset, NULL }, { "json", NULL, &o->json }, { "thawed", NULL, &o->thawed },
		{ "count-only", NULL, &o->count_only }, { NULL, NULL, NULL } };
	memcpy(opts + n, rest, sizeof rest);
}
/* the fields, the aliases and rest[] above (13 entries, its end included) */
#define NOPTS (OB_SPECIMEN_NFIELDS + NALIASES + 13)

/* The options given, read by the field table into s: a number that does
 * not parse is a usage error naming its option. */
static int fill(const add_opts *o, ob_specimen_new *s)
{
	const char *v[OB_SPECIMEN_NFIELDS];

	ob_specimen_new_init(s);
	memcpy(v, o->field, sizeof v);
	for (size_t i = 0; i < NALIASES; i++) {
		size_t k = (size_t)(ob_field_find(ob_specimen_fields, aliases[i].field)
			- ob_specimen_fields);
		if (!o->alias[i])
			continue;
		if (v[k])
			return ob_error_set(OB_EUSAGE, "--%s and --%s say the same; give one",
				aliases[i].opt, o->name[k]);
		v[k] = o->alias[i];
	}
	for (const ob_field *f = ob_specimen_fields; f->name; f++) {
		size_t k = (size_t)(f - ob_specimen_fields);
		int rc = 0, whole;
		if (!v[k])
			continue;
		switch (f->kind) {
		case OB_FIELD_TEXT:
			*ob_field_text_at(f, &s->r) = v[k];
			break;
		case OB_FIELD_REAL:
			rc = ob_args_double(o->name[k], v[k], ob_field_real_at(f, &s->r));
			break;
		case OB_FIELD_INT:
			if ((rc = ob_args_int(o->name[k], v[k], &whole)) == 0)
				*ob_field_int_at(f, &s->r) = whole;
			break;
		}
		if (rc < 0)
			return rc;
	}
	s->parent_thawed = o->thawed;
	return 0;
}

typedef struct find_out {
	bool json;
	bool first;
} find_out;

static int print_row(const ob_specimen *r, void *arg)
{
	find_out *fo = arg;

	if (fo->json) {
		ob_buf b = OB_BUF_INIT;
		ob_jw w;
		ob_jw_init(&w, &b);
		ob_view_specimen_row_write(&w, r);
		int rc = ob_jw_done(&w);
		if (rc == 0)
			printf("%s%s", fo->first ? "" : ",\n", ob_buf_cstr(&b));
		fo->first = false;
		ob_buf_dispose(&b);
		return rc;
	}
	char q[64] = "-";
	if (!isnan(r->quantity))
		snprintf(q, sizeof q, "%g %s", r->quantity, r->unit ? r->unit : "");
	printf("%-14s %-8s %-13s %-11s %-12s %-14s %s%s%s\n", r->barcode, r->site, r->type,
		r->status, q, r->parent ? r->parent : "-", r->container ? r->container : "-",
		r->position ? " " : "", r->position ? r->position : "");
	return 0;
}

/* The fields show prints, in its order, when known. */
static const char *const shown[] = { "barcode", "label", "site", "donor", "type", "parent",
	"status", "pathology", "tumour_pct", "anatomic_site", "quantity", "unit", "collected_at",
	"freeze_thaw", "sprec", "concentration", "a260_280", "rin", "din", "study", "event",
	"requirement", NULL };

static void show_text(const ob_specimen_full *f)
{
	for (const char *const *k = shown; *k; k++) {
		const ob_field *d = ob_field_find(ob_specimen_fields, *k);
		if (ob_field_unknown(d, &f->r))
			continue;
		if (d->kind == OB_FIELD_TEXT)
			printf("%-16s %s\n", *k, ob_field_text(d, &f->r));
		else if (d->kind == OB_FIELD_REAL)
			printf("%-16s %g\n", *k, ob_field_real(d, &f->r));
		else
			printf("%-16s %lld\n", *k, (long long)ob_field_int(d, &f->r));
	}
	if (f->sprec_ok) {
		printf("SPREC in words:\n");
		for (int i = 0; i < OB_SPREC_NELEM; i++)
			printf("  %-40s %-4s %s\n", f->sprec.element[i].name, f->sprec.element[i].code,
				f->sprec.element[i].meaning);
	}
	if (f->location == OB_LOC_HERE)
		printf("location         %s, position %s\n", f->path, f->position);
	else if (f->location == OB_LOC_ELSEWHERE)  /* the words it has always printed */
		printf("location         (another site), position (null)\n");
	else
		printf("location         not in storage\n");
	printf("lineage:\n");
	for (size_t i = 0; i < f->nlineage; i++) {
		const ob_lineage_node *n = &f->lineage[i];
		printf("  %*s%s  %s %s %s", (int)n->depth * 2, "", n->barcode, n->type, n->lineage,
			n->status);
		if (!isnan(n->quantity))
			printf(" %g %s", n->quantity, n->unit ? n->unit : "");
		printf("\n");
	}
	printf("history:\n");
	for (size_t i = 0; i < f->naudit; i++) {
		const ob_audit_event *e = &f->audit[i];
		printf("  %s  %-10s %s%s%s\n", e->at, e->actor, e->action, e->reason ? ": " : "",
			e->reason ? e->reason : "");
	}
}

static int print_barcode(const char *barcode, void *arg)
{
	(void)arg;
	printf("%s\n", barcode);
	return 0;
}

int ob_cmd_specimen(ob_cli *cli, int argc, char **argv)
{
	add_opts o;
	const char *pos[3];
	ob_opt opts[NOPTS];
	const char *sub = argc > 1 ? argv[1] : "";
	ob_specimen_new s;
	char barcode[OB_BARCODE_MAX];
	ob_store *st;
	int rc, n;

	memset(&o, 0, sizeof o);
	options(&o, opts);
	if (ob_cli_wants_help(argc, argv) || argc < 2) {
		puts(help);
		return argc < 2 ? ob_cli_usage("specimen", "a subcommand is needed") : 0;
	}
	if (!strcmp(sub, "correct") || !strcmp(sub, "history"))
		return ob_cmd_specimen_fix(cli, argc, argv);
	/* "find --count" reads better than --count-only; --count N is for aliquot. */
	if (!strcmp(sub, "find"))
		for (int i = 2; i < argc; i++)
			if (!strcmp(argv[i], "--count"))
				argv[i] = (char *)"--count-only";
	if ((rc = ob_args_parse("specimen", argc, argv, 2, opts, pos, 3, &n)) < 0)
		return rc;
	if ((rc = ob_cli_store(cli, &st)) < 0)
		return rc;
	ob_ctx cx = ob_cli_ctx(cli, st);

	if (!strcmp(sub, "add")) {
		if (n)
			return ob_cli_usage("specimen", "add takes options only");
		if ((rc = fill(&o, &s)) < 0)
			return rc;
		if ((rc = ob_specimen_create(&cx, &s, NULL, barcode)) < 0)
			return rc;
		printf("%s\n", barcode);
		return 0;
	}
	if (!strcmp(sub, "aliquot") || !strcmp(sub, "derive")) {
		const char *plist[1000];
		char list[1024] = "", *next;
		ob_aliquot_req a = { .count = 1 };
		int count = 1;
		if (n != 1)
			return ob_cli_usage("specimen", "the parent barcode is needed");
		if (o.count && ((rc = ob_args_int("count", o.count, &count)) < 0 || count < 1 || count > 1000))
			return rc < 0 ? rc : ob_cli_usage("specimen", "--count is 1 to 1000");
		if ((rc = fill(&o, &a.s)) < 0)
			return rc;
		a.s.parent = pos[0];
		a.count = count;
		if (!strcmp(sub, "derive")) {
			if (!given(&o, "type"))
				return ob_cli_usage("specimen", "derive needs --type (dna, rna, cfdna ...)");
			a.s.lineage = "derivative";
		} else {
			a.s.lineage = "aliquot";
		}
		if (o.positions) {
			/* one position per specimen; more than --count are not used */
			ob_strlcpy(list, o.positions, sizeof list);
			for (next = list; next && a.npositions < (size_t)count; a.npositions++) {
				plist[a.npositions] = next;
				if ((next = strchr(next, ',')))
					*next++ = '\0';
			}
			if (a.npositions < (size_t)count)
				return ob_cli_usage("specimen", "--positions lists fewer positions than --count");
			a.positions = plist;
		}
		return ob_specimen_aliquot(&cx, &a, print_barcode, NULL);
	}
	if (!strcmp(sub, "show")) {
		ob_specimen_full f;
		if (n != 1)
			return ob_cli_usage("specimen", "show needs a barcode");
		if ((rc = ob_specimen_full_read(&cx, pos[0], &f)) < 0)
			return rc;
		if (o.json) {
			ob_buf b = OB_BUF_INIT;
			if ((rc = ob_view_specimen_full(&f, &b)) == 0)
				printf("%s\n", ob_buf_cstr(&b));
			ob_buf_dispose(&b);
		} else {
			show_text(&f);
		}
		ob_specimen_full_free(&f);
		return rc;
	}
	if (!strcmp(sub, "find")) {
		ob_specimen_filter f;
		int64_t cnt;
		memset(&f, 0, sizeof f);
		f.site = given(&o, "site");
		f.type = given(&o, "type");
		f.status = given(&o, "status");
		f.topography = o.topo;
		f.morphology = o.morph;
		f.container = given(&o, "container");
		f.donor = given(&o, "donor");
		f.pathology = given(&o, "pathology");
		f.lineage = given(&o, "lineage");
		f.study = given(&o, "study");
		f.event = given(&o, "event");
		if (o.consent && (rc = ob_consent_uses_parse("consent", o.consent, &f.consent)) < 0)
			return rc;
		if (o.withdrawn && (rc = ob_specimen_withdrawn_parse(o.withdrawn, &f.withdrawn)) < 0)
			return rc;
		if (o.limit && (ob_parse_i64(o.limit, &f.limit) < 0 || f.limit < 0))
			return ob_cli_usage("specimen", "--limit takes a whole number");
		if (o.offset && (ob_parse_i64(o.offset, &f.offset) < 0 || f.offset < 0))
			return ob_cli_usage("specimen", "--offset takes a whole number");
		if (o.count_only) {
			if ((rc = ob_specimen_count(&cx, &f, &cnt)) < 0)
				return rc;
			printf("%lld\n", (long long)cnt);
			return 0;
		}
		if (o.json)
			printf("[");
		else
			printf("%-14s %-8s %-13s %-11s %-12s %-14s %s\n", "BARCODE", "SITE", "TYPE",
				"STATUS", "QUANTITY", "PARENT", "LOCATION");
		find_out fo = { o.json, true };
		rc = ob_specimen_find(&cx, &f, print_row, &fo);
		if (o.json)
			printf("]\n");
		return rc;
	}
	if (!strcmp(sub, "status")) {
		if (n != 2)
			return ob_cli_usage("specimen", "status needs BARCODE and STATUS");
		if ((rc = ob_specimen_set_status(&cx, pos[0], pos[1], o.reason)) < 0)
			return rc;
		printf("%s is %s\n", pos[0], pos[1]);
		return 0;
	}
	if (!strcmp(sub, "thaw")) {
		if (n != 1)
			return ob_cli_usage("specimen", "thaw needs a barcode");
		return ob_specimen_thaw(&cx, pos[0]);
	}
	return ob_cli_usage("specimen", "unknown subcommand");
}
