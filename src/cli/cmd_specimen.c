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
	"                [--donor CODE] [--pathology tumour] [--limit N] [--offset N] [--count] [--json]\n"
	"       oncobank specimen status BARCODE STATUS [--reason TEXT]\n"
	"       oncobank specimen thaw BARCODE\n"
	"       oncobank specimen correct BARCODE FIELD=VALUE... --reason TEXT\n"
	"       oncobank specimen history BARCODE [--field FIELD] [--json]\n\n"
	"add options: --barcode B (default: generated) --label L --donor-site SITE\n"
	"  --anatomic-site S --pathology tumour|normal|unknown --tumour-pct P --quantity Q\n"
	"  --unit U --collected-at TIME --status S --container BOX --position P --sprec CODE\n"
	"  pre-analytical record (the SPREC code is computed from it):\n"
	"  --collection CODE (solid: SRG, BPS..; fluid: primary container SST, PED..)\n"
	"  --vessel V --warm-ischaemia MIN --cold-ischaemia MIN --fixation NBF|SNP|OCT..\n"
	"  --fixation-time MIN --precentrifugation MIN --precentrifugation-temp RT|2-10|35-38\n"
	"  --centrifugation TEMP/MIN/G/brake|nobrake|none --second-centrifugation ...\n"
	"  --postcentrifugation MIN --postcentrifugation-temp RT|2-10\n\n"
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

static int num_opt(const char *name, const char *v, double *out)
{
	*out = NAN;
	return v ? ob_args_double(name, v, out) : 0;
}

static int min_opt(const char *name, const char *v, double *out)
{
	*out = NAN;
	return v ? ob_args_double(name, v, out) : 0;
}

typedef struct add_opts {
	const char *barcode, *label, *site, *donor, *donor_site, *type, *anatomic, *pathology,
		   *tumour, *quantity, *unit, *collected, *status, *container, *position, *sprec,
		   *collection, *vessel, *warm, *cold, *fixation, *fixtime, *prec, *prectemp,
		   *centr, *centr2, *postc, *postctemp, *used, *conc, *a260, *rin, *din, *count,
		   *positions, *reason, *topo, *morph, *consent, *limit, *offset, *lineage;
	bool json, thawed, count_only;
} add_opts;

static int fill(const char *cmd, const add_opts *o, ob_specimen_new *s)
{
	int rc;

	ob_specimen_new_init(s);
	s->barcode = o->barcode;
	s->label = o->label;
	s->site = o->site;
	s->donor = o->donor;
	s->donor_site = o->donor_site;
	s->type = o->type;
	s->anatomic_site = o->anatomic;
	s->pathology = o->pathology;
	s->unit = o->unit;
	s->collected_at = o->collected;
	s->status = o->status;
	s->container = o->container;
	s->position = o->position;
	s->sprec = o->sprec;
	s->lineage = o->lineage;
	s->collection = o->collection;
	s->fixation = o->fixation;
	s->vessel = o->vessel;
	s->parent_thawed = o->thawed;
	if ((rc = num_opt("tumour-pct", o->tumour, &s->tumour_pct)) < 0
	    || (rc = num_opt("quantity", o->quantity, &s->quantity)) < 0
	    || (rc = num_opt("used", o->used, &s->parent_used)) < 0
	    || (rc = num_opt("concentration", o->conc, &s->concentration)) < 0
	    || (rc = num_opt("a260-280", o->a260, &s->a260_280)) < 0
	    || (rc = num_opt("rin", o->rin, &s->rin)) < 0
	    || (rc = num_opt("din", o->din, &s->din)) < 0
	    || (rc = min_opt("warm-ischaemia", o->warm, &s->warm_ischaemia_min)) < 0
	    || (rc = min_opt("cold-ischaemia", o->cold, &s->cold_ischaemia_min)) < 0
	    || (rc = min_opt("fixation-time", o->fixtime, &s->fixation_min)) < 0
	    || (rc = min_opt("precentrifugation", o->prec, &s->precentrifugation_min)) < 0
	    || (rc = min_opt("postcentrifugation", o->postc, &s->postcentrifugation_min)) < 0)
		return rc;
	/* the domain reads these texts too; here a bad one is a usage error
	 * naming the option */
	ob_temp_band band;
	ob_centrifugation spin;
	if (ob_temp_band_parse(o->prectemp, &band) < 0)
		return ob_error_set(OB_EUSAGE, "%s: --precentrifugation-temp is RT, 2-10 or 35-38", cmd);
	if (ob_temp_band_parse(o->postctemp, &band) < 0)
		return ob_error_set(OB_EUSAGE, "%s: --postcentrifugation-temp is RT or 2-10", cmd);
	if (ob_centrifugation_parse(o->centr, &spin) < 0)
		return ob_error_set(OB_EUSAGE, "%s: --centrifugation is TEMP/MIN/G/brake|nobrake or none", cmd);
	if (ob_centrifugation_parse(o->centr2, &spin) < 0)
		return ob_error_set(OB_EUSAGE, "%s: --second-centrifugation is TEMP/MIN/G/brake|nobrake or none", cmd);
	s->precentrifugation_temp = o->prectemp;
	s->postcentrifugation_temp = o->postctemp;
	s->centrifugation = o->centr;
	s->second_centrifugation = o->centr2;
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
		int rc = ob_view_dump(ob_view_specimen_row(r), &b);
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
	"freeze_thaw", "sprec", "concentration", "a260_280", "rin", "din", NULL };

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
	ob_opt opts[] = {
		{ "barcode", &o.barcode, NULL }, { "label", &o.label, NULL }, { "site", &o.site, NULL },
		{ "donor", &o.donor, NULL }, { "donor-site", &o.donor_site, NULL },
		{ "type", &o.type, NULL }, { "anatomic-site", &o.anatomic, NULL },
		{ "pathology", &o.pathology, NULL }, { "tumour-pct", &o.tumour, NULL },
		{ "quantity", &o.quantity, NULL }, { "unit", &o.unit, NULL },
		{ "collected-at", &o.collected, NULL }, { "status", &o.status, NULL },
		{ "container", &o.container, NULL }, { "position", &o.position, NULL },
		{ "sprec", &o.sprec, NULL }, { "collection", &o.collection, NULL },
		{ "vessel", &o.vessel, NULL }, { "warm-ischaemia", &o.warm, NULL },
		{ "cold-ischaemia", &o.cold, NULL }, { "fixation", &o.fixation, NULL },
		{ "fixation-time", &o.fixtime, NULL }, { "precentrifugation", &o.prec, NULL },
		{ "precentrifugation-temp", &o.prectemp, NULL }, { "centrifugation", &o.centr, NULL },
		{ "second-centrifugation", &o.centr2, NULL }, { "postcentrifugation", &o.postc, NULL },
		{ "postcentrifugation-temp", &o.postctemp, NULL }, { "used", &o.used, NULL },
		{ "concentration", &o.conc, NULL }, { "a260-280", &o.a260, NULL },
		{ "rin", &o.rin, NULL }, { "din", &o.din, NULL }, { "count", &o.count, NULL },
		{ "positions", &o.positions, NULL }, { "reason", &o.reason, NULL },
		{ "topography", &o.topo, NULL }, { "morphology", &o.morph, NULL },
		{ "consent", &o.consent, NULL }, { "limit", &o.limit, NULL },
		{ "offset", &o.offset, NULL }, { "lineage", &o.lineage, NULL },
		{ "json", NULL, &o.json }, { "thawed", NULL, &o.thawed },
		{ "count-only", NULL, &o.count_only }, { NULL, NULL, NULL } };
	const char *sub = argc > 1 ? argv[1] : "";
	ob_specimen_new s;
	char barcode[OB_BARCODE_MAX];
	ob_store *st;
	int rc, n;

	memset(&o, 0, sizeof o);
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
		if ((rc = fill("specimen add", &o, &s)) < 0)
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
		if ((rc = fill("specimen", &o, &a.s)) < 0)
			return rc;
		a.s.parent = pos[0];
		a.count = count;
		if (!strcmp(sub, "derive")) {
			if (!o.type)
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
		f.site = o.site;
		f.type = o.type;
		f.status = o.status;
		f.topography = o.topo;
		f.morphology = o.morph;
		f.container = o.container;
		f.donor = o.donor;
		f.pathology = o.pathology;
		f.lineage = o.lineage;
		if (o.consent && (rc = ob_consent_scope_parse(o.consent, &f.consent)) < 0)
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
