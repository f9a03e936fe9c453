/*
 * cmd_sprec.c - `oncobank sprec`: check a SPREC code, spell it out (as text
 * or JSON), or compute one from measurements given as options. A thin shell
 * over src/bank/sprec.h; no database.
 */
#include "cli/cmd_sprec.h"
#include "cli/args.h"
#include "cli/commands.h" /* its prototype must agree with cmd_sprec.h */
#include "bank/sprec.h"
#include "base/buf.h"
#include "base/error.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static const char usage_main[] =
	"usage: oncobank sprec check CODE [--version 3.0|4.0]\n"
	"       oncobank sprec explain CODE [--version 3.0|4.0] [--json]\n"
	"       oncobank sprec compute --type TYPE [MEASUREMENTS]\n"
	"\n"
	"Checks, explains or computes a SPREC (Standard PREanalytical Code), e.g.\n"
	"SER-SST-A-B-N-A-D (fluid) or TIS-SRG-A-B-NBF-E-P (solid). The version\n"
	"defaults to 4.0. Codes are upper case. See docs/sprec.md.\n"
	"Run 'oncobank sprec SUBCOMMAND --help' for a subcommand's options.\n";

static const char usage_check[] =
	"usage: oncobank sprec check CODE [--version 3.0|4.0]\n"
	"\n"
	"Prints 'CODE: valid SPREC 4.0 fluid code' (or solid) and exits 0 when CODE\n"
	"is valid in the version (default 4.0); otherwise exits 2 with a message\n"
	"naming the element at fault.\n";

static const char usage_explain[] =
	"usage: oncobank sprec explain CODE [--version 3.0|4.0] [--json]\n"
	"\n"
	"Prints one line per element, 'element name: CODE = meaning'; with --json\n"
	"an array of {\"element\", \"code\", \"meaning\"} objects. An invalid code\n"
	"exits 2 as with check.\n";

static const char usage_compute[] =
	"usage: oncobank sprec compute --type TYPE [MEASUREMENTS]\n"
	"\n"
	"Computes the SPREC 4.0 code of a specimen from its measurements; anything\n"
	"left out is unknown. Minutes and temperatures (C) are numbers.\n"
	"  --type TYPE           ffpe_block ffpe_slide fresh_frozen oct whole_blood\n"
	"                        plasma serum buffy_coat pbmc urine ascites\n"
	"                        pleural_fluid csf saliva\n"
	"  --collection CODE     solid: type of collection (SRG, BPS, ...);\n"
	"                        fluid: primary container (SST, PED, ...)\n"
	"solid:\n"
	"  --warm MIN --cold MIN             warm / cold ischemia time\n"
	"  --fixation CODE --fixation-min MIN\n"
	"fluid:\n"
	"  --pre MIN --pre-temp T            delay before centrifugation\n"
	"  --spin SPIN --spin2 SPIN          first / second centrifugation\n"
	"  --post MIN --post-temp T          delay after centrifugation\n"
	"both:\n"
	"  --vessel VESSEL --storage-temp C  long-term storage; VESSEL is one of\n"
	"                        pp_tube_0.5_2ml cryotube_1_2ml pp_tube_5ml\n"
	"                        pp_tube_40_500ul straw microplate paraffin_block\n"
	"                        bag dry_medium original_container\n"
	"T is degrees C or a band: rt, 2-10, 35-38. SPIN is 'none' or\n"
	"TEMP_C,MINUTES,G,brake|nobrake with '?' for an unknown part\n"
	"(e.g. 4,10,2000,brake). Boundaries are in docs/sprec.md.\n";

/* Whether argv[2..] (the subcommand's arguments) asks for help. */
static bool sub_wants_help(int argc, char **argv)
{
	return ob_cli_wants_help(argc - 1, argv + 1);
}

/* ---- check and explain ------------------------------------------------- */

static int check_or_explain(int argc, char **argv, bool explain)
{
	const char *cmd = explain ? "sprec explain" : "sprec check";
	const char *code = NULL, *version = NULL;
	bool json = false;
	const ob_opt opts[] = {
		{ "version", &version, NULL },
		{ explain ? "json" : NULL, NULL, &json }, /* check: the table ends here */
		{ NULL, NULL, NULL },
	};
	ob_sprec_parsed ps;
	ob_buf out = OB_BUF_INIT;
	int rc, k, npos;

	if (sub_wants_help(argc, argv)) {
		fputs(explain ? usage_explain : usage_check, stdout);
		return 0;
	}
	if ((rc = ob_args_parse(cmd, argc, argv, 2, opts, &code, 1, &npos)) < 0)
		return rc;
	if (npos == 0)
		return ob_cli_usage(cmd, "CODE is missing");
	if ((rc = ob_sprec_parse(code, version, &ps)) < 0)
		return rc;

	if (!explain) {
		for (k = 0; k < OB_SPREC_NELEM; k++)
			rc |= ob_buf_printf(&out, "%s%s", k ? "-" : "", ps.element[k].code);
		rc |= ob_buf_printf(&out, ": valid SPREC %s %s code\n",
				    ps.version == OB_SPREC_V3 ? "3.0" : "4.0",
				    ps.kind == OB_SPREC_FLUID ? "fluid" : "solid");
	} else if (json) {
		rc |= ob_buf_puts(&out, "[\n");
		for (k = 0; k < OB_SPREC_NELEM; k++) {
			const ob_sprec_element *e = &ps.element[k];

			rc |= ob_buf_puts(&out, "  {\"element\": ");
			rc |= ob_buf_json_str(&out, e->name);
			rc |= ob_buf_puts(&out, ", \"code\": ");
			rc |= ob_buf_json_str(&out, e->code);
			rc |= ob_buf_puts(&out, ", \"meaning\": ");
			rc |= ob_buf_json_str(&out, e->meaning);
			rc |= ob_buf_puts(&out, k + 1 < OB_SPREC_NELEM ? "},\n" : "}\n");
		}
		rc |= ob_buf_puts(&out, "]\n");
	} else {
		rc = ob_sprec_explain(code, version, &out);
	}
	if (rc < 0) {
		ob_buf_dispose(&out);
		return ob_error_set(OB_ERROR, "out of memory");
	}
	fputs(ob_buf_cstr(&out), stdout);
	ob_buf_dispose(&out);
	return 0;
}

/* ---- compute ----------------------------------------------------------- */

/* Minutes for option opt (named without "--"); NULL leaves *out unknown. */
static int minutes_of(const char *opt, const char *v, double *out)
{
	int rc;

	if (!v)
		return 0;
	if ((rc = ob_args_double(opt, v, out)) < 0)
		return rc;
	if (*out < 0)
		return ob_error_set(OB_EUSAGE, "--%s: minutes cannot be negative ('%s')", opt, v);
	return 0;
}

/* A temperature band: rt, 2-10, 35-38 or degrees C. */
static int band_of(const char *opt, const char *v, ob_temp_band *out)
{
	double c;
	int rc;

	if (!v)
		return 0;
	if (strcmp(v, "rt") == 0 || strcmp(v, "RT") == 0) {
		*out = OB_TEMP_RT;
	} else if (strcmp(v, "2-10") == 0) {
		*out = OB_TEMP_2_10;
	} else if (strcmp(v, "35-38") == 0) {
		*out = OB_TEMP_35_38;
	} else {
		if ((rc = ob_args_double(opt, v, &c)) < 0)
			return ob_error_set(OB_EUSAGE,
					    "--%s: '%s' is neither degrees C nor rt, 2-10, 35-38",
					    opt, v);
		*out = ob_temp_band_of(c);
	}
	return 0;
}

/* "none" or "TEMP_C,MINUTES,G,brake|nobrake", '?' for unknown parts. */
static int spin_of(const char *opt, const char *v, ob_centrifugation *c)
{
	char part[4][32];
	const char *p = v;
	int n = 0, rc;

	if (!v)
		return 0;
	if (strcmp(v, "none") == 0) {
		c->done = 0;
		return 0;
	}
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);

		if (n == 4 || len >= sizeof part[0])
			goto bad;
		memcpy(part[n], p, len);
		part[n++][len] = '\0';
		if (!comma)
			break;
		p = comma + 1;
	}
	if (n != 4)
		goto bad;
	c->done = 1;
	if (strcmp(part[0], "?") != 0 && (rc = ob_args_double(opt, part[0], &c->temp_c)) < 0)
		return rc;
	if (strcmp(part[1], "?") != 0 && (rc = minutes_of(opt, part[1], &c->minutes)) < 0)
		return rc;
	if (strcmp(part[2], "?") != 0) {
		if ((rc = ob_args_double(opt, part[2], &c->g)) < 0)
			return rc;
		if (c->g < 0)
			return ob_error_set(OB_EUSAGE, "--%s: g cannot be negative ('%s')", opt,
					    part[2]);
	}
	if (strcmp(part[3], "brake") == 0)
		c->braking = 1;
	else if (strcmp(part[3], "nobrake") == 0)
		c->braking = 0;
	else if (strcmp(part[3], "?") != 0)
		goto bad;
	return 0;
bad:
	return ob_error_set(OB_EUSAGE, "--%s: '%s' is not 'none' or TEMP_C,MINUTES,G,brake|nobrake",
			    opt, v);
}

static int compute(int argc, char **argv)
{
	const char *warm = NULL, *cold = NULL, *fixmin = NULL, *pre = NULL, *pretemp = NULL;
	const char *post = NULL, *posttemp = NULL, *spin = NULL, *spin2 = NULL, *stemp = NULL;
	ob_preanalytics p;
	char code[OB_SPREC_BUFSIZE];
	int rc, npos;

	const ob_opt opts[] = {
		{ "type", &p.type, NULL },
		{ "collection", &p.collection, NULL },
		{ "warm", &warm, NULL },
		{ "cold", &cold, NULL },
		{ "fixation", &p.fixation, NULL },
		{ "fixation-min", &fixmin, NULL },
		{ "pre", &pre, NULL },
		{ "pre-temp", &pretemp, NULL },
		{ "spin", &spin, NULL },
		{ "spin2", &spin2, NULL },
		{ "post", &post, NULL },
		{ "post-temp", &posttemp, NULL },
		{ "vessel", &p.storage_vessel, NULL },
		{ "storage-temp", &stemp, NULL },
		{ NULL, NULL, NULL },
	};

	if (sub_wants_help(argc, argv)) {
		fputs(usage_compute, stdout);
		return 0;
	}
	ob_preanalytics_init(&p);
	if ((rc = ob_args_parse("sprec compute", argc, argv, 2, opts, NULL, 0, &npos)) < 0)
		return rc;
	if ((rc = minutes_of("warm", warm, &p.warm_ischaemia_min)) < 0 ||
	    (rc = minutes_of("cold", cold, &p.cold_ischaemia_min)) < 0 ||
	    (rc = minutes_of("fixation-min", fixmin, &p.fixation_min)) < 0 ||
	    (rc = minutes_of("pre", pre, &p.precentrifugation_min)) < 0 ||
	    (rc = band_of("pre-temp", pretemp, &p.precentrifugation_temp)) < 0 ||
	    (rc = spin_of("spin", spin, &p.centrifugation)) < 0 ||
	    (rc = spin_of("spin2", spin2, &p.second_centrifugation)) < 0 ||
	    (rc = minutes_of("post", post, &p.postcentrifugation_min)) < 0 ||
	    (rc = band_of("post-temp", posttemp, &p.postcentrifugation_temp)) < 0 ||
	    (stemp && (rc = ob_args_double("storage-temp", stemp, &p.storage_temp_c)) < 0))
		return rc;
	if (!p.type)
		return ob_cli_usage("sprec compute", "--type is missing");
	if ((rc = ob_sprec_compute(&p, code, sizeof code)) < 0)
		return rc;
	printf("%s\n", code);
	return 0;
}

int ob_cmd_sprec(ob_cli *cli, int argc, char **argv)
{
	(void)cli;
	if (argc < 2)
		return ob_cli_usage("sprec", "a subcommand is missing");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage_main, stdout);
		return 0;
	}
	if (strcmp(argv[1], "check") == 0)
		return check_or_explain(argc, argv, false);
	if (strcmp(argv[1], "explain") == 0)
		return check_or_explain(argc, argv, true);
	if (strcmp(argv[1], "compute") == 0)
		return compute(argc, argv);
	return ob_error_set(OB_EUSAGE, "sprec: unknown subcommand '%s' (see oncobank sprec --help)",
			    argv[1]);
}
