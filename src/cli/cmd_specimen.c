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

#include <jansson.h>
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

static int print_row(const ob_specimen *r, void *arg)
{
	bool *json = arg;

	if (*json) {
		ob_buf b = OB_BUF_INIT;
		static int first = 1;
		if (ob_specimen_row_json(r, &b) < 0)
			return OB_ERROR;
		printf("%s%s", first ? "" : ",\n", ob_buf_cstr(&b));
		first = 0;
		ob_buf_dispose(&b);
	} else {
		char q[64] = "-";
		if (!isnan(r->quantity))
			snprintf(q, sizeof q, "%g %s", r->quantity, r->unit ? r->unit : "");
		printf("%-14s %-8s %-13s %-11s %-12s %-14s %s%s%s\n", r->barcode, r->site, r->type,
			r->status, q, r->parent ? r->parent : "-", r->container ? r->container : "-",
			r->position ? " " : "", r->position ? r->position : "");
	}
	return 0;
}

static void show_text(const char *json)
{
	json_t *j = json_loads(json, 0, NULL), *v;
	size_t i;

	if (!j)
		return;
	static const char *const keys[] = { "barcode", "label", "site", "donor", "type", "lineage",
		"parent", "status", "pathology", "tumour_pct", "anatomic_site", "quantity", "unit",
		"collected_at", "freeze_thaw", "sprec", "concentration", "a260_280", "rin", "din", NULL };
	for (const char *const *k = keys; *k; k++) {
		v = json_object_get(j, *k);
		if (!v || json_is_null(v))
			continue;
		if (json_is_string(v))
			printf("%-16s %s\n", *k, json_string_value(v));
		else if (json_is_number(v))
			printf("%-16s %g\n", *k, json_number_value(v));
	}
	v = json_object_get(j, "sprec_explained");
	if (json_is_array(v)) {
		json_t *e;
		printf("SPREC in words:\n");
		json_array_foreach(v, i, e)
			printf("  %-40s %-4s %s\n", json_string_value(json_object_get(e, "element")),
				json_string_value(json_object_get(e, "code")),
				json_string_value(json_object_get(e, "meaning")));
	}
	v = json_object_get(j, "location");
	if (json_is_object(v))
		printf("location         %s, position %s\n", json_string_value(json_object_get(v, "path")),
			json_string_value(json_object_get(v, "position")));
	else
		printf("location         not in storage\n");
	v = json_object_get(j, "lineage");
	if (json_is_array(v)) {
		json_t *e;
		printf("lineage:\n");
		json_array_foreach(v, i, e) {
			json_t *q = json_object_get(e, "quantity");
			printf("  %*s%s  %s %s %s", (int)json_integer_value(json_object_get(e, "depth")) * 2, "",
				json_string_value(json_object_get(e, "barcode")),
				json_string_value(json_object_get(e, "type")),
				json_string_value(json_object_get(e, "lineage")),
				json_string_value(json_object_get(e, "status")));
			if (json_is_number(q))
				printf(" %g %s", json_number_value(q),
					json_string_value(json_object_get(e, "unit")) ?: "");
			printf("\n");
		}
	}
	v = json_object_get(j, "audit");
	if (json_is_array(v)) {
		json_t *e;
		printf("history:\n");
		json_array_foreach(v, i, e) {
			const char *why = json_string_value(json_object_get(e, "reason"));
			printf("  %s  %-10s %s%s%s\n", json_string_value(json_object_get(e, "at")),
				json_string_value(json_object_get(e, "actor")),
				json_string_value(json_object_get(e, "action")), why ? ": " : "",
				why ? why : "");
		}
	}
	json_decref(j);
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
		int count = 1;
		char plist[1024] = "", *next = NULL, *cur;
		if (n != 1)
			return ob_cli_usage("specimen", "the parent barcode is needed");
		if (o.count && ((rc = ob_args_int("count", o.count, &count)) < 0 || count < 1 || count > 1000))
			return rc < 0 ? rc : ob_cli_usage("specimen", "--count is 1 to 1000");
		if ((rc = fill("specimen", &o, &s)) < 0)
			return rc;
		s.parent = pos[0];
		if (!strcmp(sub, "derive")) {
			if (!o.type)
				return ob_cli_usage("specimen", "derive needs --type (dna, rna, cfdna ...)");
			s.lineage = "derivative";
		} else {
			s.lineage = "aliquot";
			if (!o.type) {
				/* An aliquot has its parent's type. */
				static char type[32];
				if ((rc = ob_specimen_parent_type(&cx, pos[0], type, sizeof type)) < 0)
					return rc;
				s.type = type;
			}
		}
		if (o.positions)
			ob_strlcpy(plist, o.positions, sizeof plist);
		next = o.positions ? plist : NULL;
		/* All aliquots or none. */
		if ((rc = ob_store_begin(st)) < 0)
			return rc;
		for (int i = 0; i < count; i++) {
			if (next) {
				cur = next;
				next = strchr(cur, ',');
				if (next)
					*next++ = '\0';
				s.position = cur;
			}
			if ((rc = ob_specimen_create(&cx, &s, NULL, barcode)) < 0) {
				ob_store_rollback(st);
				return rc;
			}
			printf("%s\n", barcode);
			if (next == NULL && o.positions && i + 1 < count) {
				ob_store_rollback(st);
				return ob_cli_usage("specimen", "--positions lists fewer positions than --count");
			}
		}
		return ob_store_commit(st);
	}
	if (!strcmp(sub, "show")) {
		ob_buf b = OB_BUF_INIT;
		if (n != 1)
			return ob_cli_usage("specimen", "show needs a barcode");
		if ((rc = ob_specimen_show_json(&cx, pos[0], &b)) == 0) {
			if (o.json)
				printf("%s\n", ob_buf_cstr(&b));
			else
				show_text(ob_buf_cstr(&b));
		}
		ob_buf_dispose(&b);
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
		rc = ob_specimen_find(&cx, &f, print_row, &o.json);
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
