/*
 * cmd_consent.c - the consent command: forms and their coded statements,
 * a donor's signed consents and withdrawals (docs/consent.md).
 */
#include "cli/commands.h"
#include "cli/args.h"
#include "bank/consent.h"
#include "bank/donor.h"
#include "base/error.h"
#include "base/text.h"
#include "base/util.h"
#include "store/store.h"
#include "view/view.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char consent_help[] =
	"usage: oncobank consent form-add VERSION --title TEXT [--effective-on DATE]\n"
	"                 (--statement CODE:USES:TEXT ... | --file STATEMENTS.csv)\n"
	"       oncobank consent forms [--json]\n"
	"       oncobank consent form-show VERSION [--json]\n"
	"       oncobank consent add SITE DONOR --form VERSION --signed-on DATE [--witness NAME]\n"
	"                 [--response CODE=yes|no|not_asked ...] [--scope USES (legacy)]\n"
	"       oncobank consent withdraw SITE DONOR --reason TEXT\n"
	"                 (--disposition destroy|keep|data_only | --statement CODE) [--date DATE]\n"
	"       oncobank consent show SITE DONOR [--json]\n\n"
	"A form version carries coded statements (CODE: A-Z, 0-9, '_', '-'), each\n"
	"covering uses: storage, research, genetic, sharing, recontact, commercial,\n"
	"findings, transfer (USES joined by '+' or ','). STATEMENTS.csv has the header\n"
	"code,uses,text,text_zh. A consent answers each statement yes, no or not_asked\n"
	"(unanswered: not_asked). A use is permitted when the form has a statement\n"
	"covering it and every statement covering it is answered yes; a form with no\n"
	"statement on transfer (to other sites of the network) permits it with\n"
	"storage. The consent signed last is the donor's current one. --scope (the\n"
	"older way) answers yes the statements whose uses all lie in USES, no the\n"
	"others; an unknown form is then created with the five statements STORAGE,\n"
	"RESEARCH, GENETIC, SHARING, RECONTACT. A full withdrawal needs a disposition\n"
	"for the donor's material (every specimen, aliquot and derivative is marked);\n"
	"--statement withdraws one statement only. The older spelling 'consent add\n"
	"DONOR --site SITE --signed DATE' still works.";

/* Takes every "--name VALUE" / "--name=VALUE" of a repeatable option out of
 * argv into vals (at most max); argv keeps the rest, *argc its count. */
static int take_repeated(const char *name, int *argc, char **argv, const char **vals, size_t max,
                         size_t *n)
{
	size_t len = strlen(name);
	int out = 0;

	*n = 0;
	for (int i = 0; i < *argc; i++) {
		const char *a = argv[i];
		const char *v = NULL;
		if (i > 0 && !strncmp(a, "--", 2) && !strncmp(a + 2, name, len)) {
			if (a[2 + len] == '=')
				v = a + 3 + len;
			else if (a[2 + len] == '\0') {
				if (i + 1 >= *argc)
					return ob_error_set(OB_EUSAGE, "consent: --%s needs a value", name);
				v = argv[++i];
			}
		}
		if (!v) {
			argv[out++] = argv[i];
			continue;
		}
		if (*n >= max)
			return ob_error_set(OB_EUSAGE, "consent: at most %zu --%s", max, name);
		vals[(*n)++] = v;
	}
	*argc = out;
	return 0;
}

/* USES: words joined by '+', ',' or ';'. */
static int uses_of(const char *field, const char *s, int *mask)
{
	char buf[256];

	if (!ob_strlcpy(buf, s, sizeof buf))
		return ob_error_set(OB_EINVALID, "%s: '%.40s...' is too long", field, s);
	for (char *p = buf; *p; p++)
		if (*p == '+')
			*p = ',';
	return ob_consent_uses_parse(field, buf, mask);
}

/* "CODE:USES:TEXT" into st; text borrows spec. */
static int statement_of(char *spec, ob_consent_statement *st)
{
	char *a = strchr(spec, ':'), *b = a ? strchr(a + 1, ':') : NULL;

	if (!b)
		return ob_error_set(OB_EINVALID, "statements: '%s' is not CODE:USES:TEXT", spec);
	*a = '\0';
	*b = '\0';
	st->code = spec;
	st->text = b + 1;
	st->text_zh = NULL;
	return uses_of("statements", a + 1, &st->uses);
}

/* One CSV record of a line (quotes, doubled quotes; no line breaks inside
 * a field) into at most max fields, in place. */
static int csv_split(char *line, char **f, int max)
{
	int n = 0;
	char *p = line;

	for (;;) {
		char *w = p;
		if (n == max)
			return -1;
		f[n++] = w;
		if (*p == '"') {
			p++;
			for (;;) {
				if (!*p)
					return -1;
				if (*p == '"' && p[1] == '"') {
					*w++ = '"';
					p += 2;
				} else if (*p == '"') {
					p++;
					break;
				} else {
					*w++ = *p++;
				}
			}
		} else {
			while (*p && *p != ',')
				*w++ = *p++;
		}
		if (*p != ',' && *p)
			return -1;
		char *next = *p ? p + 1 : NULL;
		*w = '\0';
		if (!next)
			return n;
		p = next;
	}
}

/* The statements of a CSV file (code,uses,text,text_zh); texts owned by
 * *text (one buffer freed by the caller). */
static int statements_file(const char *path, ob_consent_statement *st, size_t max, size_t *n,
                           char **text)
{
	FILE *fp = fopen(path, "r");
	char *buf = NULL, *line, *save = NULL;
	size_t len = 0, cap = 0;
	int rc = 0, row = 0;

	*n = 0;
	*text = NULL;
	if (!fp)
		return ob_error_set(OB_EINVALID, "file: cannot open %s", path);
	for (int c; (c = fgetc(fp)) != EOF;) {
		if (len + 2 > cap) {
			char *nb = realloc(buf, cap = cap ? cap * 2 : 4096);
			if (!nb) {
				free(buf);
				fclose(fp);
				return ob_error_set(OB_ERROR, "file: out of memory");
			}
			buf = nb;
		}
		buf[len++] = (char)c;
		if (len > 4 * 1024 * 1024) {
			rc = ob_error_set(OB_EINVALID, "file: %s is larger than 4 MB", path);
			break;
		}
	}
	fclose(fp);
	if (rc < 0 || !buf) {
		free(buf);
		return rc < 0 ? rc : ob_error_set(OB_EINVALID, "file: %s is empty", path);
	}
	buf[len] = '\0';
	*text = buf;
	if ((rc = ob_text_check("file", buf, len, len, OB_TEXT_LINES)) < 0)
		return rc;
	for (line = strtok_r(buf, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
		char *f[4] = { NULL, NULL, NULL, NULL };
		int k = csv_split(line, f, 4);
		if (k < 0 || k < 3)
			return ob_error_set(OB_EINVALID, "file: line %d is not code,uses,text[,text_zh]",
				row + 1);
		if (row++ == 0 && !strcmp(f[0], "code"))
			continue;
		if (*n >= max)
			return ob_error_set(OB_EINVALID, "statements: at most %zu", max);
		st[*n].code = f[0];
		st[*n].text = f[2];
		st[*n].text_zh = k > 3 && *f[3] ? f[3] : NULL;
		if ((rc = uses_of("statements", f[1], &st[*n].uses)) < 0)
			return rc;
		(*n)++;
	}
	return 0;
}

static void form_text(const ob_consent_form *f, bool statements)
{
	printf("%-16s %-10.10s %s (%zu statements)\n", f->version,
		f->effective_on ? f->effective_on : "-", f->title, f->nstatements);
	for (size_t i = 0; statements && i < f->nstatements; i++) {
		const ob_consent_statement *t = &f->statements[i];
		printf("  %-12s", t->code);
		for (int k = 0; ob_consent_scope_words[k]; k++)
			if (t->uses & (1 << k))
				printf(" %s", ob_consent_scope_words[k]);
		printf("\n    %s\n", t->text);
		if (t->text_zh)
			printf("    %s\n", t->text_zh);
	}
}

static int form_line(const ob_consent_form *f, void *arg)
{
	(void)arg;
	form_text(f, false);
	return 0;
}

static int form_add(ob_ctx *cx, const char *version, const char *title, const char *eff,
                    const char *file, const char **specs, size_t nspecs)
{
	ob_consent_statement st[OB_CONSENT_MAX_STATEMENTS];
	char *copies[OB_CONSENT_MAX_STATEMENTS], *text = NULL;
	size_t n = 0;
	int rc = 0;

	if (!title)
		return ob_cli_usage("consent", "form-add needs --title");
	if ((file != NULL) == (nspecs != 0))
		return ob_cli_usage("consent", "form-add needs --statement ... or --file (one of them)");
	if (file) {
		rc = statements_file(file, st, OB_CONSENT_MAX_STATEMENTS, &n, &text);
	} else {
		for (size_t i = 0; i < nspecs; i++)
			copies[i] = NULL;
		for (size_t i = 0; rc == 0 && i < nspecs; i++) {
			if (!(copies[i] = strdup(specs[i])))
				rc = ob_error_set(OB_ERROR, "out of memory");
			else
				rc = statement_of(copies[i], &st[n++]);
		}
	}
	if (rc == 0)
		rc = ob_consent_form_add(cx, version, title, eff, st, n, NULL);
	if (rc == 0)
		printf("consent form %s added (%zu statements)\n", version, n);
	for (size_t i = 0; !file && i < nspecs; i++)
		free(copies[i]);
	free(text);
	return rc;
}

/* "CODE=answer" of each --response into r, borrowing (and cutting) specs. */
static int responses_of(char **specs, size_t n, ob_consent_response *r)
{
	for (size_t i = 0; i < n; i++) {
		char *eq = strchr(specs[i], '=');
		if (!eq)
			return ob_error_set(OB_EINVALID, "responses: '%s' is not CODE=yes|no|not_asked",
				specs[i]);
		*eq = '\0';
		r[i].code = specs[i];
		r[i].response = eq + 1;
	}
	return 0;
}

static int consent_add(ob_ctx *cx, const char *site, const char *donor, const char *form,
                       const char *signed_on, const char *witness, const char *scope,
                       const char **specs, size_t nspecs)
{
	ob_consent_response r[OB_CONSENT_MAX_STATEMENTS];
	char *copies[OB_CONSENT_MAX_STATEMENTS];
	ob_consent_signing sg = { form, signed_on, witness, r, nspecs, false };
	int rc = 0, mask;

	if (!form || !signed_on)
		return ob_cli_usage("consent", "add needs --form and --signed-on");
	if (scope && nspecs)
		return ob_cli_usage("consent", "add takes --response or the legacy --scope, not both");
	if (!scope && !nspecs)
		return ob_cli_usage("consent", "add needs --response CODE=yes|no|not_asked (or --scope)");
	if (scope) {
		if (witness)
			return ob_cli_usage("consent", "--witness goes with --response");
		if ((rc = ob_consent_scope_parse(scope, &mask)) < 0
		    || (rc = ob_consent_add(cx, site, donor, form, signed_on, mask, NULL)) < 0)
			return rc;
	} else {
		size_t made = 0;
		for (; rc == 0 && made < nspecs; made++)
			if (!(copies[made] = strdup(specs[made])))
				rc = ob_error_set(OB_ERROR, "out of memory");
		if (rc == 0 && (rc = responses_of(copies, nspecs, r)) == 0)
			rc = ob_consent_sign(cx, site, donor, &sg, NULL);
		for (size_t i = 0; i < made; i++)
			free(copies[i]);
		if (rc < 0)
			return rc;
	}
	printf("consent %s recorded for %s\n", form, donor);
	return 0;
}

int ob_cmd_consent(ob_cli *cli, int argc, char **argv)
{
	const char *site = NULL, *form = NULL, *signed_on = NULL, *signed_old = NULL,
		   *scope = NULL, *reason = NULL, *date = NULL, *witness = NULL, *title = NULL,
		   *eff = NULL, *file = NULL, *disposition = NULL, *pos[3];
	const char *responses[OB_CONSENT_MAX_STATEMENTS], *statements[OB_CONSENT_MAX_STATEMENTS];
	bool json = false;
	const ob_opt opts[] = { { "site", &site, NULL }, { "form", &form, NULL },
		{ "signed", &signed_old, NULL }, { "signed-on", &signed_on, NULL },
		{ "scope", &scope, NULL }, { "reason", &reason, NULL }, { "date", &date, NULL },
		{ "witness", &witness, NULL }, { "title", &title, NULL },
		{ "effective-on", &eff, NULL }, { "file", &file, NULL },
		{ "disposition", &disposition, NULL }, { "json", NULL, &json },
		{ NULL, NULL, NULL } };
	size_t nresp = 0, nst = 0;
	ob_store *st;
	int rc, n;

	if (ob_cli_wants_help(argc, argv) || argc < 2) {
		puts(consent_help);
		return argc < 2 ? ob_cli_usage("consent", "a subcommand is needed") : 0;
	}
	if ((rc = take_repeated("response", &argc, argv, responses, OB_CONSENT_MAX_STATEMENTS,
			&nresp)) < 0
	    || (rc = take_repeated("statement", &argc, argv, statements, OB_CONSENT_MAX_STATEMENTS,
			&nst)) < 0
	    || (rc = ob_args_parse("consent", argc, argv, 2, opts, pos, 3, &n)) < 0)
		return rc;
	if (!signed_on)
		signed_on = signed_old;
	for (size_t i = 0; i < nresp + nst; i++) {
		const char *v = i < nresp ? responses[i] : statements[i - nresp];
		if ((rc = ob_text_check(i < nresp ? "--response" : "--statement", v, strlen(v), 4096,
				0)) < 0)
			return rc;
	}
	/* the older spelling: DONOR --site SITE */
	if (site && n == 1) {
		pos[1] = pos[0];
		pos[0] = site;
		n = 2;
	}
	if ((rc = ob_cli_store(cli, &st)) < 0)
		return rc;
	ob_ctx cx = ob_cli_ctx(cli, st);
	if (!strcmp(argv[1], "forms")) {
		if (json) {
			json_t *a = json_array();
			return ob_cli_print_json(a, ob_consent_form_list(&cx, ob_view_consent_form_append,
				a));
		}
		return ob_consent_form_list(&cx, form_line, NULL);
	}
	if (!strcmp(argv[1], "form-show") || !strcmp(argv[1], "form-add")) {
		ob_consent_form f;
		if (n != 1)
			return ob_cli_usage("consent", "VERSION is needed");
		if (!strcmp(argv[1], "form-add"))
			return form_add(&cx, pos[0], title, eff, file, statements, nst);
		if ((rc = ob_consent_form_read(&cx, pos[0], &f)) < 0)
			return rc;
		if (json)
			rc = ob_cli_print_json(ob_view_consent_form(&f), 0);
		else
			form_text(&f, true);
		ob_consent_form_free(&f);
		return rc;
	}
	if (n != 2)
		return ob_cli_usage("consent", "SITE and DONOR are needed");
	if (!strcmp(argv[1], "add"))
		return consent_add(&cx, pos[0], pos[1], form, signed_on, witness, scope, responses,
			nresp);
	if (!strcmp(argv[1], "withdraw")) {
		if (nst > 1)
			return ob_cli_usage("consent", "withdraw takes one --statement");
		if (nst && disposition)
			return ob_error_set(OB_EINVALID, "disposition: a withdrawal of one statement keeps"
				" the material as it is; give a disposition with a full withdrawal only");
		if (nst)
			rc = ob_consent_withdraw_statement(&cx, pos[0], pos[1], statements[0], date,
				reason);
		else
			rc = ob_consent_withdraw(&cx, pos[0], pos[1], date, reason, disposition);
		if (rc < 0)
			return rc;
		if (nst)
			printf("statement %s of the consent of %s withdrawn\n", statements[0], pos[1]);
		else
			printf("consent of %s withdrawn (%s)\n", pos[1], disposition);
		return 0;
	}
	if (!strcmp(argv[1], "show")) {
		ob_donor_full f;
		if ((rc = ob_donor_full_read(&cx, pos[0], pos[1], &f)) < 0)
			return rc;
		if (json)
			rc = ob_cli_print_json(ob_view_donor_full(&f), 0);
		else
			ob_cli_donor_text(&f);
		ob_donor_full_free(&f);
		return rc;
	}
	return ob_cli_usage("consent", "unknown subcommand");
}
