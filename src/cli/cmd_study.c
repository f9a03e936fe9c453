/*
 * cmd_study.c - the command `study`: studies (collection protocols), their
 * sites, events, requirements and members, enrolment, and what is due
 * (docs/studies.md). Every subcommand is one domain call of bank/study.h.
 */
#include "cli/commands.h"
#include "cli/args.h"
#include "cli/correct.h"
#include "bank/study.h"
#include "base/buf.h"
#include "base/error.h"
#include "base/util.h"
#include "view/study_view.h"
#include "view/view.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
	"usage: oncobank study add CODE --title T [--pi USER] [--ethics-ref R]\n"
	"                [--approved DATE] [--expires DATE] [--ppid-format REGEX]\n"
	"                [--status draft|active|closed] [--sites A,B] [--forms V1,V2]\n"
	"       oncobank study list [--json]\n"
	"       oncobank study show CODE [--json]\n"
	"       oncobank study correct CODE FIELD=VALUE... --reason TEXT\n"
	"       oncobank study close CODE --reason TEXT\n"
	"       oncobank study history CODE [--json]\n"
	"       oncobank study site-add CODE SITE\n"
	"       oncobank study form-add CODE FORM_VERSION\n"
	"       oncobank study event-add CODE EVENT [--label L] [--day N] [--position N]\n"
	"       oncobank study requirement-add CODE EVENT REQ --type T [--count N]\n"
	"                [--quantity Q --unit U] [--pathology P] [--anatomic-site S]\n"
	"                [--processing TEXT]\n"
	"       oncobank study member-add CODE USER --role investigator|coordinator\n"
	"       oncobank study member-remove CODE USER\n"
	"       oncobank study enrol CODE --site SITE --donor CODE --ppid ID [--date DATE]\n"
	"       oncobank study participants CODE [--json]\n"
	"       oncobank study worklist CODE [--site SITE] [--event EVENT] [--format csv]\n"
	"                [--json]\n"
	"       oncobank study accrual CODE [--json]\n\n"
	"A study is a collection protocol: its ethics approval, collecting sites, consent\n"
	"forms, planned events (day after enrolment) and the specimens each event expects.\n"
	"Donors are enrolled under a participant ID matching --ppid-format (a POSIX\n"
	"extended regular expression, matched whole). Specimens are collected in it with\n"
	"`specimen add --study CODE --event EVENT [--requirement REQ]`.\n"
	"worklist lists what is due and not yet collected, accrual what was collected\n"
	"against the plan. correct changes title, status, pi, ethics_ref,\n"
	"ethics_approved_on, ethics_expires_on, ppid_format (docs/studies.md).";

/* Splits a comma-separated list in place into at most max words. */
static size_t split(char *list, const char **out, size_t max)
{
	size_t n = 0;

	for (char *p = list; p && *p && n < max;) {
		char *c = strchr(p, ',');
		if (c)
			*c = '\0';
		if (*p)
			out[n++] = p;
		p = c ? c + 1 : NULL;
	}
	return n;
}

/* A whole number of an option, or def when not given. */
static int opt_i64(const char *opt, const char *v, int64_t def, int64_t *out)
{
	*out = def;
	if (v && ob_parse_i64(v, out) < 0)
		return ob_error_set(OB_EUSAGE, "study: --%s takes a whole number", opt);
	return 0;
}

static int add(const ob_ctx *cx, const char *code, const char *const *o)
{
	/* o: title pi ethics_ref approved expires ppid_format status sites forms */
	const char *sites[64], *forms[64];
	char *sl = o[7] ? strdup(o[7]) : NULL, *fl = o[8] ? strdup(o[8]) : NULL;
	ob_study_new in;
	int rc;

	if ((o[7] && !sl) || (o[8] && !fl)) {
		free(sl);
		return ob_error_set(OB_ERROR, "out of memory");
	}
	memset(&in, 0, sizeof in);
	ob_record_init(ob_study_fields, &in.r);
	in.r.code = code;
	in.r.title = o[0];
	in.r.pi = o[1];
	in.r.ethics_ref = o[2];
	in.r.ethics_approved_on = o[3];
	in.r.ethics_expires_on = o[4];
	in.r.ppid_format = o[5];
	in.r.status = o[6];
	in.sites = sites;
	in.nsites = split(sl, sites, 64);
	in.forms = forms;
	in.nforms = split(fl, forms, 64);
	if (!in.r.title)
		rc = ob_cli_usage("study", "add needs --title");
	else if ((rc = ob_study_add(cx, &in, NULL)) == 0)
		printf("study %s added\n", code);
	free(sl);
	free(fl);
	return rc;
}

static void show_text(const ob_study_full *f)
{
	for (const ob_field *d = ob_study_fields; d->name; d++)
		if (!ob_field_unknown(d, &f->r))
			printf("%-20s %s\n", d->name, ob_field_text(d, &f->r));
	printf("%-20s", "sites");
	for (size_t i = 0; i < f->nsites; i++)
		printf(" %s", f->sites[i]);
	printf("\n%-20s", "forms");
	for (size_t i = 0; i < f->nforms; i++)
		printf(" %s", f->forms[i]);
	printf("\n%-20s %lld\n", "participants", (long long)f->participants);
	printf("events:\n");
	for (size_t i = 0; i < f->nevents; i++) {
		const ob_study_event_full *e = &f->events[i];
		printf("  %-12s day %-4lld %s\n", e->r.code, (long long)e->r.day, e->r.label);
		for (size_t j = 0; j < e->nreqs; j++) {
			const ob_study_req_record *q = &e->reqs[j];
			printf("    %-12s %lld x %s", q->code, (long long)q->count, q->type);
			if (!isnan(q->quantity))
				printf(" %g %s", q->quantity, q->unit ? q->unit : "");
			if (q->processing)
				printf(" (%s)", q->processing);
			putchar('\n');
		}
	}
	printf("members:\n");
	for (size_t i = 0; i < f->nmembers; i++)
		printf("  %-20s %s\n", f->members[i].user, f->members[i].role);
}

static int list_line(const ob_study_full *f, void *arg)
{
	(void)arg;
	printf("%-16s %-7s %5lld  %s\n", f->r.code, f->r.status, (long long)f->participants,
		f->r.title);
	return 0;
}

static int participant_line(const ob_study_participant *p, void *arg)
{
	(void)arg;
	printf("%-16s %-8s %-16s %.10s%s\n", p->r.ppid, p->r.site, p->r.donor, p->r.enrolled_on,
		p->withdrawn ? "  withdrawn" : "");
	return 0;
}

/* A CSV cell: quoted when it holds a comma, a quote or a line break. */
static void csv_cell(const char *v, bool last)
{
	if (!v)
		v = "";
	if (strpbrk(v, ",\"\r\n")) {
		putchar('"');
		for (const char *p = v; *p; p++) {
			if (*p == '"')
				putchar('"');
			putchar(*p);
		}
		putchar('"');
	} else {
		fputs(v, stdout);
	}
	putchar(last ? '\n' : ',');
}

static int due_csv(const ob_study_due *d, void *arg)
{
	char n[3][24], q[40] = "";

	(void)arg;
	snprintf(n[0], sizeof n[0], "%lld", (long long)d->expected);
	snprintf(n[1], sizeof n[1], "%lld", (long long)d->collected);
	snprintf(n[2], sizeof n[2], "%lld", (long long)d->missing);
	if (!isnan(d->quantity))
		snprintf(q, sizeof q, "%g", d->quantity);
	const char *cells[] = { d->ppid, d->site, d->donor, d->event, d->event_label, d->due_on,
		d->requirement, d->type, n[0], n[1], n[2], q, d->unit, d->processing };
	for (size_t i = 0; i < sizeof cells / sizeof cells[0]; i++)
		csv_cell(cells[i], i + 1 == sizeof cells / sizeof cells[0]);
	return 0;
}

static int due_line(const ob_study_due *d, void *arg)
{
	char q[40] = "-";

	(void)arg;
	if (!isnan(d->quantity))
		snprintf(q, sizeof q, "%g %s", d->quantity, d->unit ? d->unit : "");
	printf("%-16s %-8s %-12s %-12s %-10.10s %-12s %-13s %3lld/%-3lld %-10s %s\n", d->ppid,
		d->site, d->donor, d->event, d->due_on, d->requirement, d->type,
		(long long)d->collected, (long long)d->expected, q,
		d->processing ? d->processing : "");
	return 0;
}

static int accrual_line(const ob_study_accrual_row *r, void *arg)
{
	(void)arg;
	printf("%-10s %-14s %8lld %9lld\n", r->site, r->event, (long long)r->planned,
		(long long)r->collected);
	return 0;
}

static int worklist(const ob_ctx *cx, const char *code, const char *site, const char *event,
                    const char *format, bool json)
{
	if (format && strcmp(format, "csv") && strcmp(format, "table"))
		return ob_error_set(OB_EINVALID, "format: '%s' is not csv or table", format);
	if (json) {
		json_t *a = json_array();
		int rc = ob_study_worklist(cx, code, site, event, ob_view_study_due_append, a);
		return ob_cli_print_json(json_pack("{s:s,s:o}", "study", code, "due", a), rc);
	}
	if (format && !strcmp(format, "csv")) {
		fputs("ppid,site,donor,event,event_label,due_on,requirement,type,expected,collected,"
		      "missing,quantity,unit,processing\n", stdout);
		return ob_study_worklist(cx, code, site, event, due_csv, NULL);
	}
	printf("%-16s %-8s %-12s %-12s %-10s %-12s %-13s %-7s %-10s %s\n", "PPID", "SITE", "DONOR",
		"EVENT", "DUE", "REQUIREMENT", "TYPE", "DONE", "QUANTITY", "PROCESSING");
	return ob_study_worklist(cx, code, site, event, due_line, NULL);
}

static int accrual(const ob_ctx *cx, const char *code, bool json)
{
	int64_t enrolled = 0;
	int rc;

	if (json) {
		json_t *a = json_array();
		rc = ob_study_accrual(cx, code, &enrolled, ob_view_study_accrual_append, a);
		return ob_cli_print_json(json_pack("{s:s,s:I,s:o}", "study", code, "enrolled",
			(json_int_t)enrolled, "rows", a), rc);
	}
	printf("%-10s %-14s %8s %9s\n", "SITE", "EVENT", "PLANNED", "COLLECTED");
	if ((rc = ob_study_accrual(cx, code, &enrolled, accrual_line, NULL)) == 0)
		printf("enrolled: %lld\n", (long long)enrolled);
	return rc;
}

#define NPOS (3 + OB_CLI_CHANGES_MAX)

int ob_cmd_study(ob_cli *cli, int argc, char **argv)
{
	const char *o[9] = { NULL }, *reason = NULL, *label = NULL, *day = NULL, *position = NULL;
	const char *type = NULL, *count = NULL, *quantity = NULL, *unit = NULL, *pathology = NULL;
	const char *anatomic = NULL, *processing = NULL, *role = NULL, *site = NULL;
	const char *donor = NULL, *ppid = NULL, *date = NULL, *event = NULL, *format = NULL;
	const char *pos[NPOS];
	bool json = false;
	const ob_opt opts[] = { { "title", &o[0], NULL }, { "pi", &o[1], NULL },
		{ "ethics-ref", &o[2], NULL }, { "approved", &o[3], NULL }, { "expires", &o[4], NULL },
		{ "ppid-format", &o[5], NULL }, { "status", &o[6], NULL }, { "sites", &o[7], NULL },
		{ "forms", &o[8], NULL }, { "reason", &reason, NULL }, { "label", &label, NULL },
		{ "day", &day, NULL }, { "position", &position, NULL }, { "type", &type, NULL },
		{ "count", &count, NULL }, { "quantity", &quantity, NULL }, { "unit", &unit, NULL },
		{ "pathology", &pathology, NULL }, { "anatomic-site", &anatomic, NULL },
		{ "processing", &processing, NULL }, { "role", &role, NULL }, { "site", &site, NULL },
		{ "donor", &donor, NULL }, { "ppid", &ppid, NULL }, { "date", &date, NULL },
		{ "event", &event, NULL }, { "format", &format, NULL }, { "json", NULL, &json },
		{ NULL, NULL, NULL } };
	const char *sub;
	ob_store *st;
	int rc, n;

	if (ob_cli_wants_help(argc, argv) || argc < 2) {
		puts(help);
		return argc < 2 ? ob_cli_usage("study", "a subcommand is needed") : 0;
	}
	sub = argv[1];
	if ((rc = ob_args_parse("study", argc, argv, 2, opts, pos, NPOS, &n)) < 0)
		return rc;
	if (strcmp(sub, "list") && n < 1)
		return ob_cli_usage("study", "give the study's CODE");
	if ((rc = ob_cli_store(cli, &st)) < 0)
		return rc;
	ob_ctx cx = ob_cli_ctx(cli, st);

	if (!strcmp(sub, "add"))
		return n == 1 ? add(&cx, pos[0], o) : ob_cli_usage("study", "add takes one CODE");
	if (!strcmp(sub, "list")) {
		if (json) {
			json_t *a = json_array();
			rc = ob_study_list(&cx, ob_view_study_append, a);
			return ob_cli_print_json(json_pack("{s:o}", "studies", a), rc);
		}
		printf("%-16s %-7s %5s  %s\n", "CODE", "STATUS", "PPTS", "TITLE");
		return ob_study_list(&cx, list_line, NULL);
	}
	if (!strcmp(sub, "show")) {
		ob_study_full f;
		if ((rc = ob_study_read(&cx, pos[0], &f)) < 0)
			return rc;
		if (json)
			rc = ob_cli_print_json(ob_view_study(&f, true), 0);
		else
			show_text(&f);
		ob_study_full_free(&f);
		return rc;
	}
	if (!strcmp(sub, "correct")) {
		ob_cli_changes c;
		if ((rc = ob_cli_changes_read("study correct", pos + 1, n - 1, &c)) < 0)
			return rc;
		if ((rc = ob_study_correct(&cx, pos[0], c.ch, c.n, reason)) == 0)
			printf("study %s corrected\n", pos[0]);
		return rc;
	}
	if (!strcmp(sub, "close")) {
		if ((rc = ob_study_close(&cx, pos[0], reason)) == 0)
			printf("study %s closed\n", pos[0]);
		return rc;
	}
	if (!strcmp(sub, "history")) {
		ob_cli_history h = { NULL };
		return ob_cli_history_print(&h, json, ob_study_changes(&cx, pos[0], ob_cli_history_cb,
			&h));
	}
	if (!strcmp(sub, "site-add")) {
		if (n != 2)
			return ob_cli_usage("study", "site-add needs CODE and SITE");
		if ((rc = ob_study_site_add(&cx, pos[0], pos[1])) == 0)
			printf("site %s collects for study %s\n", pos[1], pos[0]);
		return rc;
	}
	if (!strcmp(sub, "form-add")) {
		if (n != 2)
			return ob_cli_usage("study", "form-add needs CODE and FORM_VERSION");
		if ((rc = ob_study_form_add(&cx, pos[0], pos[1])) == 0)
			printf("study %s uses consent form %s\n", pos[0], pos[1]);
		return rc;
	}
	if (!strcmp(sub, "event-add")) {
		int64_t d, p;
		if (n != 2)
			return ob_cli_usage("study", "event-add needs CODE and EVENT");
		if ((rc = opt_i64("day", day, 0, &d)) < 0 || (rc = opt_i64("position", position, -1,
				&p)) < 0)
			return rc;
		if ((rc = ob_study_event_add(&cx, pos[0], pos[1], label, d, p)) == 0)
			printf("event %s added to study %s\n", pos[1], pos[0]);
		return rc;
	}
	if (!strcmp(sub, "requirement-add")) {
		ob_study_req_record r;
		if (n != 3)
			return ob_cli_usage("study", "requirement-add needs CODE, EVENT and REQ");
		ob_record_init(ob_study_req_fields, &r);
		r.code = pos[2];
		r.type = type;
		r.pathology = pathology;
		r.anatomic_site = anatomic;
		r.unit = unit;
		r.processing = processing;
		if ((rc = opt_i64("count", count, 1, &r.count)) < 0)
			return rc;
		if (quantity && (rc = ob_args_double("quantity", quantity, &r.quantity)) < 0)
			return rc;
		if ((rc = ob_study_requirement_add(&cx, pos[0], pos[1], &r)) == 0)
			printf("requirement %s added to event %s of study %s\n", pos[2], pos[1], pos[0]);
		return rc;
	}
	if (!strcmp(sub, "member-add") || !strcmp(sub, "member-remove")) {
		bool adding = !strcmp(sub, "member-add");
		if (n != 2)
			return ob_cli_usage("study", "member-add and member-remove need CODE and USER");
		rc = adding ? ob_study_member_add(&cx, pos[0], pos[1], role)
			: ob_study_member_remove(&cx, pos[0], pos[1]);
		if (rc == 0)
			printf("%s %s study %s\n", pos[1], adding ? "joined" : "left", pos[0]);
		return rc;
	}
	if (!strcmp(sub, "enrol")) {
		if (n != 1 || !site || !donor || !ppid)
			return ob_cli_usage("study", "enrol needs CODE, --site, --donor and --ppid");
		if ((rc = ob_study_enrol(&cx, pos[0], site, donor, ppid, date)) == 0)
			printf("%s enrolled in study %s as %s\n", donor, pos[0], ppid);
		return rc;
	}
	if (!strcmp(sub, "participants")) {
		if (json) {
			json_t *a = json_array();
			rc = ob_study_participants(&cx, pos[0], ob_view_study_participant_append, a);
			return ob_cli_print_json(json_pack("{s:o}", "participants", a), rc);
		}
		printf("%-16s %-8s %-16s %s\n", "PPID", "SITE", "DONOR", "ENROLLED");
		return ob_study_participants(&cx, pos[0], participant_line, NULL);
	}
	if (!strcmp(sub, "worklist"))
		return worklist(&cx, pos[0], site, event, format, json);
	if (!strcmp(sub, "accrual"))
		return accrual(&cx, pos[0], json);
	return ob_cli_usage("study", "unknown subcommand");
}
