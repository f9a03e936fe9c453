/*
 * csvimport.c - streamed, all-or-nothing CSV import (see csvimport.h and
 * docs/import.md): the reader (libcsv fed one physical line at a time, so
 * every record knows the line it starts on), the header matcher with the
 * OpenSpecimen aliases, and one row function per kind that turns a record
 * into a call of the domain function the CLI uses (ob_site_add,
 * ob_donor_add, ob_consent_add, ob_container_add, ob_specimen_create).
 *
 * Two passes over the input. The first, before the write lock, runs the
 * reader alone: CSV syntax, the header, every row's field count (and any
 * check made before a row reaches the database); a file that fails there is
 * refused without holding other writers up. A stream that cannot be rewound
 * (a pipe) is copied to a temporary file as it is read, so memory still does
 * not grow with the input. The second pass takes the write lock and writes.
 *
 * Strategy for errors in the write pass: the rows are written into the one
 * transaction as they come. A bad row is reported and the reading goes on
 * (each later row is then wrapped in a savepoint so a half-written bad row
 * cannot cause follow-on errors); at the end a file with any bad row is
 * rolled back.
 */
#include "bank/csvimport.h"
#include "bank/access.h"
#include "bank/scope.h"
#include "bank/barcode.h"
#include "bank/container.h"
#include "bank/donor.h"
#include "bank/fields.h"
#include "bank/site.h"
#include "bank/specimen.h"
#include "base/error.h"
#include "base/text.h"
#include "base/util.h"
#include "store/store.h"

#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define READ_SIZE 65536
#define MAX_COLS 256

/* ---- column tables ------------------------------------------------------ */

/* A column: its canonical name, then its aliases, '|'-separated. */
typedef struct col_def {
	const char *names;
	bool required;
} col_def;

struct importer;
typedef int (*row_fn)(struct importer *im, const char *const *v);

typedef struct kind_def {
	ob_import_kind kind;
	const char *word;        /* "specimens" */
	const col_def *cols;
	int ncols;
	const char *const *ignored;  /* known columns without meaning here; "X*" = prefix */
	row_fn row;
} kind_def;

/* OpenSpecimen columns shared by several templates that oncobank does not
 * store: direct identifiers (never kept by the bank), protocol and visit
 * bookkeeping, free text. */
#define OS_COMMON_IGNORED \
	"Identifier", "CP Short Title", "Activity Status", "Reason", "Comments", \
	"Created By#*", "External IDs#*", "Sample Quality#*", "Biohazard#*"

enum { SI_CODE, SI_NAME, SI_KIND, SI_PARENT, SI_N };
static const col_def site_cols[SI_N] = {
	[SI_CODE] = { "code|Code|site", true },
	[SI_NAME] = { "name|Name|Site Name", false },
	[SI_KIND] = { "kind|site_kind|Site Kind", true },
	[SI_PARENT] = { "parent|parent_site|Parent Site", false },
};
static const char *const site_ignored[] = {
	OS_COMMON_IGNORED, "Institute Name", "Type", "Address", "Coordinators#*",
	"BBMRI Biobank#*", NULL
};

enum { DO_SITE, DO_DONOR, DO_SEX, DO_BIRTH_YEAR, DO_BIRTH_DATE, DO_N };
static const col_def donor_cols[DO_N] = {
	[DO_SITE] = { "site|Registration Site|Collection Site", true },
	[DO_DONOR] = { "donor|code|PPID", true },
	[DO_SEX] = { "sex|Gender", false },
	[DO_BIRTH_YEAR] = { "birth_year", false },
	[DO_BIRTH_DATE] = { "Date Of Birth|birth_date", false },
};
static const char *const donor_ignored[] = {
	OS_COMMON_IGNORED, "Registration Date", "External Subject ID", "First Name", "Last Name",
	"Middle Name", "Email Address", "Death Date", "Race#*", "Vital Status", "Ethnicity*",
	"National ID", "eMPI", "PMI#*", NULL
};

enum { DG_SITE, DG_DONOR, DG_TOPO, DG_MORPH, DG_DATE, DG_N };
static const col_def diagnosis_cols[DG_N] = {
	[DG_SITE] = { "site|Registration Site", true },
	[DG_DONOR] = { "donor|PPID", true },
	[DG_TOPO] = { "topography|Topography|ICD-O-3 Topography", true },
	[DG_MORPH] = { "morphology|Morphology|ICD-O-3 Morphology", true },
	[DG_DATE] = { "diagnosed_on|Diagnosis Date", false },
};
static const char *const diagnosis_ignored[] = { OS_COMMON_IGNORED, NULL };

enum { CO_SITE, CO_DONOR, CO_FORM, CO_SIGNED, CO_SCOPE, CO_STATEMENT, CO_RESPONSE,
       CO_WDATE, CO_WBY, CO_WREASON, CO_N };
static const col_def consent_cols[CO_N] = {
	[CO_SITE] = { "site|Registration Site", true },
	[CO_DONOR] = { "donor|PPID", true },
	[CO_FORM] = { "form_version|Consent Form Version", false },
	[CO_SIGNED] = { "signed_on|Consent Date", true },
	[CO_SCOPE] = { "scope", false },
	[CO_STATEMENT] = { "Consent Statement Code|Consent Statement", false },
	[CO_RESPONSE] = { "Consent Response", false },
	[CO_WDATE] = { "withdrawn_on", false },
	[CO_WBY] = { "withdrawn_by", false },
	[CO_WREASON] = { "withdrawal_reason", false },
};
static const char *const consent_ignored[] = {
	OS_COMMON_IGNORED, "Consent Comments", "Signed Consent Form", "Consent Witness#*", NULL
};

enum { CN_BARCODE, CN_NAME, CN_KIND, CN_SITE, CN_PARENT, CN_TEMP, CN_ROWS, CN_COLS,
       CN_SCHEME, CN_N };
static const col_def container_cols[CN_N] = {
	[CN_BARCODE] = { "barcode|Barcode", true },
	[CN_NAME] = { "name|Name", false },
	[CN_KIND] = { "kind|Type Name|Container Type", true },
	[CN_SITE] = { "site|Site Name", false },
	[CN_PARENT] = { "parent|Parent Container|Storage Location#Parent Container Name", false },
	[CN_TEMP] = { "temperature|Temperature", false },
	[CN_ROWS] = { "rows|No. of Rows", false },
	[CN_COLS] = { "cols|columns|No. of Columns", false },
	[CN_SCHEME] = { "scheme", false },
};
static const char *const container_ignored[] = {
	OS_COMMON_IGNORED, "Used For", "Position Labeling Mode", "Column Labeling Scheme",
	"Row Labeling Scheme", "Position Assignment", "Allowed *", "Stores Specimen",
	"Storage Location#Row", "Storage Location#Column", "Storage Location#Position", NULL
};

enum {
	SP_BARCODE, SP_LABEL, SP_DONOR, SP_SITE, SP_DONOR_SITE, SP_TYPE, SP_CLASS, SP_PARENT,
	SP_PARENT_LABEL, SP_LINEAGE, SP_ANATOMIC, SP_PATHOLOGY, SP_TUMOUR_PCT, SP_QUANTITY,
	SP_INITIAL, SP_UNIT, SP_PARENT_USED, SP_PARENT_THAWED, SP_COLLECTED, SP_CREATED_ON,
	SP_SPREC, SP_STATUS, SP_FREEZE_THAW, SP_CONTAINER, SP_POSITION, SP_ROW, SP_COLUMN,
	SP_CONC, SP_A260, SP_RIN, SP_DIN, SP_COLLECTION, SP_VESSEL, SP_WARM, SP_COLD,
	SP_FIXATION, SP_FIXATION_MIN, SP_PRE_MIN, SP_PRE_TEMP, SP_SPIN, SP_SPIN2, SP_POST_MIN,
	SP_POST_TEMP, SP_N
};
static const col_def specimen_cols[SP_N] = {
	[SP_BARCODE] = { "barcode|Barcode|Specimen Barcode", false },
	[SP_LABEL] = { "label|Specimen Label", false },
	[SP_DONOR] = { "donor|PPID", false },
	[SP_SITE] = { "site|Collection Site", false },
	[SP_DONOR_SITE] = { "donor_site|Registration Site", false },
	[SP_TYPE] = { "type|Type|Specimen Type", true },
	[SP_CLASS] = { "class|Class|Specimen Class", false },
	[SP_PARENT] = { "parent_barcode|parent|Parent Barcode|Parent Specimen Barcode", false },
	[SP_PARENT_LABEL] = { "parent_label|Parent Specimen Label", false },
	[SP_LINEAGE] = { "lineage|Lineage", false },
	[SP_ANATOMIC] = { "anatomic_site|Anatomic Site", false },
	[SP_PATHOLOGY] = { "pathology|Pathological Status|Pathology Status", false },
	[SP_TUMOUR_PCT] = { "tumour_pct|tumor_pct", false },
	[SP_QUANTITY] = { "quantity|Quantity|Available Quantity", false },
	[SP_INITIAL] = { "initial_quantity|Initial Quantity", false },
	[SP_UNIT] = { "unit", false },
	[SP_PARENT_USED] = { "parent_used", false },
	[SP_PARENT_THAWED] = { "parent_thawed|Increment Parent Freeze/Thaw Cycles", false },
	[SP_COLLECTED] = { "collected_at|Collection Event#Date and Time|Collection Date", false },
	[SP_CREATED_ON] = { "created_on|Created On", false },
	[SP_SPREC] = { "sprec|SPREC", false },
	[SP_STATUS] = { "status", false },
	[SP_FREEZE_THAW] = { "freeze_thaw|Freeze/Thaw Cycles", false },
	[SP_CONTAINER] = { "container|Location#Container|Container", false },
	[SP_POSITION] = { "position|Location#Position|Position", false },
	[SP_ROW] = { "row|Location#Row|Row", false },
	[SP_COLUMN] = { "column|Location#Column|Column", false },
	[SP_CONC] = { "concentration|Concentration", false },
	[SP_A260] = { "a260_280", false },
	[SP_RIN] = { "rin|RIN", false },
	[SP_DIN] = { "din|DIN", false },
	[SP_COLLECTION] = { "collection", false },
	[SP_VESSEL] = { "vessel", false },
	[SP_WARM] = { "warm_ischaemia_min|warm_ischemia_min", false },
	[SP_COLD] = { "cold_ischaemia_min|cold_ischemia_min", false },
	[SP_FIXATION] = { "fixation", false },
	[SP_FIXATION_MIN] = { "fixation_min", false },
	[SP_PRE_MIN] = { "precentrifugation_min", false },
	[SP_PRE_TEMP] = { "precentrifugation_temp", false },
	[SP_SPIN] = { "centrifugation", false },
	[SP_SPIN2] = { "second_centrifugation", false },
	[SP_POST_MIN] = { "postcentrifugation_min", false },
	[SP_POST_TEMP] = { "postcentrifugation_temp", false },
};
static const char *const specimen_ignored[] = {
	OS_COMMON_IGNORED, "Registration Date", "External Subject ID", "First Name", "Last Name",
	"Middle Name", "Email Address", "Date Of Birth", "Death Date", "Gender", "Race#*",
	"Vital Status", "Ethnicity*", "National ID", "eMPI", "PMI#*", "Event Label", "Visit Name",
	"Visit Date", "Visit Status", "Clinical Diagnosis*", "Clinical Status", "Path. Number",
	"Visit Comments", "Specimen Requirement Code", "Laterality", "Collection Status",
	"Close Parent", "Collection Procedure", "Collection Container",
	"Collector", "Received Date", "Received Quality", "Receiver", "Collection Event#*",
	"Received Event#*", NULL
};

/* ---- the importer ------------------------------------------------------- */

typedef struct importer {
	const ob_ctx *cx;
	const kind_def *kd;
	const char *fname;
	ob_import_opts o;
	ob_import_report *rep;
	struct csv_parser p;
	/* the record being assembled: fields NUL-separated in rec */
	ob_buf rec;
	size_t offs[MAX_COLS + 1];
	int nf;
	bool too_many;
	int64_t line;       /* physical line being fed (1-based) */
	int64_t rec_line;   /* line the current record started on */
	bool header_done;
	int ncols;          /* fields in the header */
	int colmap[MAX_COLS];   /* file column -> canonical column, -1 ignored */
	/* each file column's text rule (fields.h), looked up once at the header */
	const ob_field_limit *limit[MAX_COLS];
	bool has_col[SP_N];     /* canonical column present (SP_N: the widest kind) */
	bool stop;          /* a fatal error or the error cap was met */
	int fatal;          /* OB_ERROR / OB_ERETRY that stopped the import */
	bool use_savepoints;
	bool dry;           /* the first pass: no database */
	FILE *spool;        /* the first pass's copy of an unseekable input */
	/* specimens: statuses set after every row (a depleted parent can get no
	 * more children, so final statuses wait for the end of the file) */
	int64_t ndefer;  /* rows in import_deferred_status */
	/* rows refused as outside the actor's scope (OB_EPERM): the import is
	 * then refused as a whole, naming the first one */
	int denied;
	char denied_msg[600];   /* "FILE:LINE: column: permission denied: ..." */
} importer;

void ob_import_report_init(ob_import_report *r)
{
	memset(r, 0, sizeof *r);
	ob_buf_init(&r->messages, 0);
	ob_buf_init(&r->warnings, 0);
}

void ob_import_report_dispose(ob_import_report *r)
{
	if (!r)
		return;
	ob_buf_dispose(&r->messages);
	ob_buf_dispose(&r->warnings);
}

/* The header name to show for canonical column c: the first alias. */
static const char *col_name(const kind_def *kd, int c, char *out, size_t n)
{
	const char *s = kd->cols[c].names, *bar = strchr(s, '|');
	size_t len = bar ? (size_t)(bar - s) : strlen(s);

	if (len >= n)
		len = n - 1;
	memcpy(out, s, len);
	out[len] = '\0';
	return out;
}

/* Records one bad row: "FILE:LINE: message". msg should start with the
 * column; when it does not, col (a column name, or "row") is put first. */
static void bad(importer *im, int64_t line, const char *col, const char *msg)
{
	const char *colon = strchr(msg, ':');
	bool named = colon && colon != msg && colon[1] == ' ';

	for (const char *q = msg; named && q < colon; q++)
		if (!(islower((unsigned char)*q) || isdigit((unsigned char)*q) || *q == '_'))
			named = false;
	im->rep->errors++;
	if (named || !col)
		ob_buf_printf(&im->rep->messages, "%s:%lld: %s\n", im->fname, (long long)line, msg);
	else
		ob_buf_printf(&im->rep->messages, "%s:%lld: %s: %s\n", im->fname, (long long)line,
			col, msg);
	if (im->rep->errors >= im->o.max_errors)
		im->stop = true;
}

static void warn(importer *im, int64_t line, const char *msg)
{
	if (!im->dry)  /* the first pass said it already */
		return;
	ob_buf_printf(&im->rep->warnings, "%s:%lld: warning: %s\n", im->fname, (long long)line, msg);
}

/* ---- header ------------------------------------------------------------- */

/* Case-insensitive equality of a|b|c alternatives with s (trimmed). */
static bool names_match(const char *names, const char *s)
{
	size_t n = strlen(s);

	for (const char *a = names; a && *a;) {
		const char *bar = strchr(a, '|');
		size_t len = bar ? (size_t)(bar - a) : strlen(a);
		if (len == n && !strncasecmp(a, s, n))
			return true;
		a = bar ? bar + 1 : NULL;
	}
	return false;
}

static bool is_ignored(const kind_def *kd, const char *s)
{
	for (const char *const *g = kd->ignored; *g; g++) {
		size_t len = strlen(*g);
		if ((*g)[len - 1] == '*') {
			if (!strncasecmp(*g, s, len - 1))
				return true;
		} else if (!strcasecmp(*g, s)) {
			return true;
		}
	}
	return false;
}

static char *trim(char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

/* The length of field i of the record in im->rec (each is stored with a
 * NUL after it). */
static size_t cell_len(const importer *im, int i)
{
	size_t end = i + 1 < im->nf ? im->offs[i + 1] : im->rec.len;

	return end - im->offs[i] - 1;
}

/* Maps the header's columns; a bad header stops the import (no row can be
 * read without it). */
static void read_header(importer *im)
{
	const kind_def *kd = im->kd;
	ob_buf unknown = OB_BUF_INIT, ignored = OB_BUF_INIT;
	char name[64];
	int nunknown = 0;

	im->ncols = im->nf;
	if (im->too_many) {
		bad(im, im->rec_line, "header", "more than 256 columns");
		im->stop = true;
		return;
	}
	for (int i = 0; i < im->nf; i++)
		if (ob_text_check("header", im->rec.s + im->offs[i], cell_len(im, i), 200, 0) < 0) {
			bad(im, im->rec_line, NULL, ob_error_last());
			im->stop = true;
			return;
		}
	for (int i = 0; i < im->nf; i++) {
		char *h = trim(im->rec.s + im->offs[i]);
		int c = -1;

		for (int k = 0; k < kd->ncols; k++)
			if (names_match(kd->cols[k].names, h)) {
				c = k;
				break;
			}
		im->colmap[i] = c;
		if (c >= 0) {
			im->limit[i] = ob_field_limit_of(col_name(kd, c, name, sizeof name));
			if (im->has_col[c]) {
				ob_buf_printf(&unknown, "%s'%s' (a second %s column)", nunknown++ ? ", " : "",
					h, col_name(kd, c, name, sizeof name));
				continue;
			}
			im->has_col[c] = true;
		} else if (!*h) {
			ob_buf_printf(&unknown, "%s(empty name, column %d)", nunknown++ ? ", " : "", i + 1);
		} else if (is_ignored(kd, h)) {
			ob_buf_printf(&ignored, "%s'%s'", ignored.len ? ", " : "", h);
		} else {
			ob_buf_printf(&unknown, "%s'%s'", nunknown++ ? ", " : "", h);
		}
	}
	if (nunknown) {
		ob_buf msg = OB_BUF_INIT;
		ob_buf_printf(&msg, "unknown column%s %s (see docs/import.md for the %s columns)",
			nunknown > 1 ? "s" : "", ob_buf_cstr(&unknown), kd->word);
		bad(im, im->rec_line, "header", ob_buf_cstr(&msg));
		ob_buf_dispose(&msg);
		im->stop = true;
	}
	for (int k = 0; k < kd->ncols && !im->stop; k++)
		if (kd->cols[k].required && !im->has_col[k]) {
			char m[160];
			snprintf(m, sizeof m, "the required column '%s' is missing",
				col_name(kd, k, name, sizeof name));
			bad(im, im->rec_line, "header", m);
			im->stop = true;
		}
	if (ignored.len && !im->stop) {
		ob_buf msg = OB_BUF_INIT;
		ob_buf_printf(&msg, "ignored OpenSpecimen column(s) with no meaning in oncobank: %s",
			ob_buf_cstr(&ignored));
		warn(im, im->rec_line, ob_buf_cstr(&msg));
		ob_buf_dispose(&msg);
	}
	ob_buf_dispose(&unknown);
	ob_buf_dispose(&ignored);
	im->header_done = true;
}

/* ---- records ------------------------------------------------------------ */

static void run_row(importer *im)
{
	const char *v[SP_N];
	int rc, c;

	for (int k = 0; k < SP_N; k++)
		v[k] = NULL;
	if (im->too_many || im->nf > im->ncols) {
		char m[128];
		snprintf(m, sizeof m, "the row has %s%d fields, the header %d", im->too_many ? "over " : "",
			im->nf, im->ncols);
		bad(im, im->rec_line, "row", m);
		return;
	}
	if (im->nf < im->ncols) {
		char m[160], name[64];
		int miss = im->colmap[im->nf];
		snprintf(m, sizeof m, "%s: missing: the row has %d field%s, the header %d",
			miss >= 0 ? col_name(im->kd, miss, name, sizeof name) : "row", im->nf,
			im->nf == 1 ? "" : "s", im->ncols);
		bad(im, im->rec_line, NULL, m);
		return;
	}
	for (int i = 0; i < im->nf; i++) {
		const ob_field_limit *lim = im->limit[i];
		char *f, name[64];
		if ((c = im->colmap[i]) < 0)
			continue;
		f = im->rec.s + im->offs[i];
		/* The cell's bytes, a NUL among them included: a NUL must be an
		 * error here, not the end of a shorter value. */
		if (ob_text_check(*lim->name ? lim->name : col_name(im->kd, c, name, sizeof name), f,
				  cell_len(im, i), lim->max, lim->flags) < 0) {
			bad(im, im->rec_line, NULL, ob_error_last());
			return;
		}
		v[c] = *f ? f : NULL;
	}
	/* The first pass stops here: what follows needs the database. */
	if (im->dry)
		return;
	if (im->use_savepoints && (rc = ob_store_exec(im->cx->st, "SAVEPOINT ob_import_row")) < 0)
		goto fatal;
	ob_error_clear();
	rc = im->kd->row(im, v);
	if (rc < 0 && rc != OB_ERROR && rc != OB_ERETRY) {
		size_t at = im->rep->messages.len;
		bad(im, im->rec_line, "row", ob_error_last());
		if (rc == OB_EPERM && im->denied++ == 0 && at < im->rep->messages.len) {
			const char *m = ob_buf_cstr(&im->rep->messages) + at;
			snprintf(im->denied_msg, sizeof im->denied_msg, "%.*s",
				(int)strcspn(m, "\n"), m);
		}
		if (!im->use_savepoints) {
			/* From now on every row gets a savepoint: the transaction is
			 * doomed, and a bad row's partial writes must not cause
			 * follow-on errors in the rows after it. */
			im->use_savepoints = true;
		} else if ((rc = ob_store_exec(im->cx->st,
				"ROLLBACK TO ob_import_row; RELEASE ob_import_row")) < 0) {
			goto fatal;
		}
		return;
	}
	if (rc < 0)
		goto fatal;
	if (im->use_savepoints && (rc = ob_store_exec(im->cx->st, "RELEASE ob_import_row")) < 0)
		goto fatal;
	im->rep->imported++;
	return;
fatal:
	im->fatal = rc;
	im->stop = true;
	{
		char m[1024];
		snprintf(m, sizeof m, "%s", ob_error_last());
		bad(im, im->rec_line, "row", m);
	}
}

static void on_field(void *s, size_t len, void *data)
{
	importer *im = data;

	if (im->stop)
		return;
	if (im->nf >= MAX_COLS) {
		im->too_many = true;
		im->nf++;
		return;
	}
	im->offs[im->nf++] = im->rec.len;
	if (ob_buf_put(&im->rec, s ? s : "", s ? len : 0) < 0 || ob_buf_putc(&im->rec, '\0') < 0) {
		im->fatal = ob_error_set(OB_ERROR, "out of memory");
		im->stop = true;
	}
}

static void on_record(int c, void *data)
{
	importer *im = data;

	(void)c;
	if (im->stop)
		goto reset;
	if (!im->header_done) {
		read_header(im);
	} else {
		im->rep->rows++;
		run_row(im);
	}
reset:
	ob_buf_clear(&im->rec);
	im->nf = 0;
	im->too_many = false;
}

/* ---- value parsing ------------------------------------------------------ */

static int num(const char *col, const char *s, double *out)
{
	*out = NAN;
	if (!s)
		return 0;
	if (ob_parse_double(s, out) < 0 || isnan(*out) || isinf(*out))
		return ob_error_set(OB_EINVALID, "%s: '%s' is not a number", col, s);
	return 0;
}

/* Minutes: unknown is -1 for ob_preanalytics. */
static int minutes(const char *col, const char *s, double *out)
{
	int rc = num(col, s, out);

	if (rc == 0 && *out < 0)
		return ob_error_set(OB_EINVALID, "%s: '%s' minutes is negative", col, s);
	return rc;
}

static int whole(const char *col, const char *s, int lo, int hi, int *out)
{
	int64_t v;

	if (!s)
		return 0;
	if (ob_parse_i64(s, &v) < 0 || v < lo || v > hi)
		return ob_error_set(OB_EINVALID, "%s: '%s' is not a whole number from %d to %d",
			col, s, lo, hi);
	*out = (int)v;
	return 0;
}

static int digits_of(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* ISO 8601 as ob_time_parse() takes it, or dd-mm-yyyy / mm-dd-yyyy (also
 * with '/' or '.') with an optional " HH:MM[:SS]"; out is normalised. */
static int date_parse(const importer *im, const char *col, const char *s, char out[OB_TIME_LEN])
{
	int a = 0, b = 0, y = 0;
	size_t la = 0, lb = 0;
	const char *p = s;

	if (ob_time_parse(s, out, NULL) == 0)
		return 0;
	while (isdigit((unsigned char)p[la]))
		la++;
	if ((la == 1 || la == 2) && (p[la] == '-' || p[la] == '/' || p[la] == '.')) {
		const char *q = p + la + 1;
		while (isdigit((unsigned char)q[lb]))
			lb++;
		if ((lb == 1 || lb == 2) && q[lb] == p[la] && digits_of(q + lb + 1, 4, &y) == 0
		    && !isdigit((unsigned char)q[lb + 5])) {
			char iso[40];
			const char *rest = q + lb + 5;
			digits_of(p, (int)la, &a);
			digits_of(q, (int)lb, &b);
			int d = im->o.date_order == OB_DATE_MDY ? b : a;
			int m = im->o.date_order == OB_DATE_MDY ? a : b;
			if (*rest == ' ' && isdigit((unsigned char)rest[1]) && rest[2] == ':') {
				/* one-digit hour: "1:05" */
				snprintf(iso, sizeof iso, "%04d-%02d-%02d 0%.20s", y, m, d, rest + 1);
			} else {
				snprintf(iso, sizeof iso, "%04d-%02d-%02d%.20s", y, m, d, rest);
			}
			if (ob_time_parse(iso, out, NULL) == 0)
				return 0;
		}
	}
	return ob_error_set(OB_EINVALID, "%s: '%s' is not a date (YYYY-MM-DD[THH:MM[:SS]Z], or %s"
		" [HH:MM[:SS]])", col, s, im->o.date_order == OB_DATE_MDY ? "mm-dd-yyyy" : "dd-mm-yyyy");
}

/* Lower-cases s into out and turns spaces and hyphens into '_'. */
static void fold(const char *s, char *out, size_t n)
{
	size_t i = 0;

	for (; s[i] && i + 1 < n; i++) {
		char c = (char)tolower((unsigned char)s[i]);
		out[i] = (c == ' ' || c == '-') ? '_' : c;
	}
	out[i] = '\0';
}

static const struct {
	const char *word, *type;
} type_words[] = {
	/* OpenSpecimen's specimen types with an oncobank equivalent */
	{ "whole_blood", "whole_blood" }, { "blood", "whole_blood" },
	{ "plasma", "plasma" }, { "serum", "serum" }, { "buffy_coat", "buffy_coat" },
	{ "pbmc", "pbmc" }, { "pbmcs", "pbmc" }, { "peripheral_blood_mononuclear_cells", "pbmc" },
	{ "fresh_tissue", "fresh_frozen" }, { "frozen_tissue", "fresh_frozen" },
	{ "snap_frozen_tissue", "fresh_frozen" }, { "fresh_frozen_tissue", "fresh_frozen" },
	{ "fixed_tissue_block", "ffpe_block" }, { "fixed_tissue", "ffpe_block" },
	{ "ffpe", "ffpe_block" }, { "paraffin_block", "ffpe_block" },
	{ "fixed_tissue_slide", "ffpe_slide" }, { "ffpe_slide", "ffpe_slide" },
	{ "frozen_tissue_block", "oct" }, { "oct_block", "oct" },
	{ "urine", "urine" }, { "ascites", "ascites" }, { "ascites_fluid", "ascites" },
	{ "pleural_fluid", "pleural_fluid" }, { "cerebrospinal_fluid", "csf" }, { "csf", "csf" },
	{ "saliva", "saliva" }, { "dna", "dna" }, { "rna", "rna" }, { "cfdna", "cfdna" },
	{ "cell_free_dna", "cfdna" }, { "total_rna", "rna" }, { "genomic_dna", "dna" },
};

static int map_type(const char *s, const char **out)
{
	char w[64];

	*out = NULL;
	if (!s)
		return 0;
	fold(s, w, sizeof w);
	if (ob_specimen_type_valid(w)) {
		for (size_t i = 0; i < sizeof type_words / sizeof type_words[0]; i++)
			if (!strcmp(w, type_words[i].type)) {
				*out = type_words[i].type;
				return 0;
			}
	}
	for (size_t i = 0; i < sizeof type_words / sizeof type_words[0]; i++)
		if (!strcmp(w, type_words[i].word)) {
			*out = type_words[i].type;
			return 0;
		}
	return ob_error_set(OB_EINVALID, "type: '%s' is not a specimen type (%s; or an OpenSpecimen"
		" type such as Whole Blood, Plasma, Serum, Fresh Tissue, Fixed Tissue Block, DNA, RNA)",
		s, ob_specimen_type_list());
}

/* A word from a small vocabulary: each entry "input=stored". */
static int map_word(const char *col, const char *s, const char *const *table, const char **out)
{
	char w[64];

	*out = NULL;
	if (!s)
		return 0;
	fold(s, w, sizeof w);
	for (const char *const *t = table; *t; t++) {
		const char *eq = strchr(*t, '=');
		if (strlen(w) == (size_t)(eq - *t) && !strncmp(w, *t, (size_t)(eq - *t))) {
			*out = eq + 1;
			return 0;
		}
	}
	return ob_error_set(OB_EINVALID, "%s: '%s' is not a known value", col, s);
}

static const char *const lineage_words[] = {
	"primary=primary", "new=primary", "aliquot=aliquot", "derivative=derivative",
	"derived=derivative", NULL
};
static const char *const pathology_words[] = {
	"tumour=tumour", "tumor=tumour", "malignant=tumour", "metastatic=tumour",
	"normal=normal", "non_malignant=normal", "nonmalignant=normal", "benign=normal",
	"unknown=unknown", "not_specified=unknown", "not_specified_=unknown", NULL
};
static const char *const bool_words[] = {
	"1=1", "0=0", "yes=1", "no=0", "true=1", "false=0", "y=1", "n=0", NULL
};
static const char *const sex_words[] = {
	"female=female", "f=female", "male=male", "m=male", "other=other",
	"unknown=unknown", "u=unknown", "unspecified=unknown", "not_specified=unknown",
	"not_reported=unknown", NULL
};

/* A temperature band, or a temperature in C read as its band: the band's
 * text (NULL when s is). */
static int temp_band(const char *col, const char *s, const char **out)
{
	ob_temp_band b;
	double c;

	*out = NULL;
	if (!s)
		return 0;
	if (ob_temp_band_parse(s, &b) == 0 || (ob_parse_double(s, &c) == 0 && !isnan(c)
			&& (b = ob_temp_band_of(c), true))) {
		*out = ob_temp_band_text(b);
		return 0;
	}
	return ob_error_set(OB_EINVALID, "%s: '%s' is not a temperature band (RT, 2-10, 35-38,"
		" other) or a temperature in C", col, s);
}

static int spin(const char *col, const char *s, const char **out)
{
	ob_centrifugation c;

	*out = s;
	if (ob_centrifugation_parse(s, &c) < 0)
		return ob_error_set(OB_EINVALID, "%s: '%s' is not TEMP_C/MINUTES/G/brake|nobrake"
			" or none", col, s);
	return 0;
}

/* ---- row functions ------------------------------------------------------ */

static int row_site(importer *im, const char *const *v)
{
	const char *kind = ob_site_kind(v[SI_KIND]);

	if (!kind)
		return ob_error_set(OB_EINVALID, "kind: '%s' is not a site kind (center, sub-center,"
			" regional, hospital)", v[SI_KIND] ? v[SI_KIND] : "");
	return ob_site_add(im->cx, v[SI_CODE], v[SI_NAME] ? v[SI_NAME] : v[SI_CODE], kind,
		v[SI_PARENT], NULL);
}

static int row_donor(importer *im, const char *const *v)
{
	const char *sex = "unknown";
	int year = 0, rc;

	if ((rc = map_word("sex", v[DO_SEX], sex_words, &sex)) < 0)
		return rc;
	if (!sex)
		sex = "unknown";
	if ((rc = whole("birth_year", v[DO_BIRTH_YEAR], 1800, 2200, &year)) < 0)
		return rc;
	if (v[DO_BIRTH_DATE] && !v[DO_BIRTH_YEAR]) {
		/* only the year is kept: the bank holds no direct identifiers */
		char t[OB_TIME_LEN];
		if ((rc = date_parse(im, "birth_date", v[DO_BIRTH_DATE], t)) < 0)
			return rc;
		digits_of(t, 4, &year);
	}
	return ob_donor_add(im->cx, v[DO_SITE], v[DO_DONOR], sex, year, NULL);
}

static int row_diagnosis(importer *im, const char *const *v)
{
	char day[OB_TIME_LEN];
	int rc;

	if (v[DG_DATE] && (rc = date_parse(im, "diagnosed_on", v[DG_DATE], day)) < 0)
		return rc;
	return ob_donor_diagnose(im->cx, v[DG_SITE], v[DG_DONOR], v[DG_TOPO], v[DG_MORPH],
		v[DG_DATE] ? day : NULL);
}

static int row_consent(importer *im, const char *const *v)
{
	char signed_on[OB_TIME_LEN], wdate[OB_TIME_LEN];
	const char *form = v[CO_FORM];
	int scope = 0, rc;

	if ((rc = date_parse(im, "signed_on", v[CO_SIGNED] ? v[CO_SIGNED] : "", signed_on)) < 0)
		return rc;
	if (v[CO_WDATE] && (rc = date_parse(im, "withdrawn_on", v[CO_WDATE], wdate)) < 0)
		return rc;
	if (im->o.consent_phase == OB_CONSENT_PHASE_WITHDRAWALS) {
		if (!v[CO_WDATE]) {
			im->rep->skipped++;
			return 0;
		}
		if ((rc = ob_consent_withdraw(im->cx, v[CO_SITE], v[CO_DONOR], wdate,
				v[CO_WREASON])) < 0)
			return ob_error_set(rc, "withdrawn_on: %s", ob_error_last());
		return 0;
	}
	if (v[CO_SCOPE] && (rc = ob_consent_scope_parse(v[CO_SCOPE], &scope)) < 0)
		return rc;
	if (v[CO_STATEMENT]) {
		/* OpenSpecimen: one statement per row, with the donor's answer */
		const char *yes = NULL;
		int f = ob_consent_scope_flag(v[CO_STATEMENT]);
		if (!f)
			return ob_error_set(OB_EINVALID, "scope: consent statement '%s' is not a scope"
				" (storage, research, genetic, sharing, recontact)", v[CO_STATEMENT]);
		if ((rc = map_word("Consent Response", v[CO_RESPONSE] ? v[CO_RESPONSE] : "no",
				bool_words, &yes)) < 0)
			return rc;
		if (*yes == '1')
			scope |= f;
	}
	if (!form && !im->has_col[CO_FORM])
		form = "unspecified";
	if ((rc = ob_consent_add(im->cx, v[CO_SITE], v[CO_DONOR], form, signed_on, scope, NULL)) < 0)
		return rc;
	if (im->o.consent_phase == OB_CONSENT_PHASE_ALL && v[CO_WDATE]) {
		if ((rc = ob_consent_withdraw(im->cx, v[CO_SITE], v[CO_DONOR], wdate,
				v[CO_WREASON])) < 0)
			return ob_error_set(rc, "withdrawn_on: %s", ob_error_last());
	}
	return 0;
}

static int row_container(importer *im, const char *const *v)
{
	ob_container_new c;
	char kind[32];
	int rc;

	ob_container_new_init(&c);
	c.barcode = v[CN_BARCODE];
	c.name = v[CN_NAME];
	if (v[CN_KIND]) {
		fold(v[CN_KIND], kind, sizeof kind);
		if (!strcmp(kind, "ln2") || !strcmp(kind, "dewar") || !strcmp(kind, "ln2_freezer"))
			ob_strlcpy(kind, "ln2_tank", sizeof kind);
		else if (!strcmp(kind, "fridge"))
			ob_strlcpy(kind, "refrigerator", sizeof kind);
		c.kind = kind;
	}
	c.site = v[CN_SITE];
	c.parent = v[CN_PARENT];
	c.scheme = v[CN_SCHEME];
	if ((rc = num("temperature", v[CN_TEMP], &c.temperature)) < 0
	    || (rc = whole("rows", v[CN_ROWS], 0, 1000000, &c.rows)) < 0
	    || (rc = whole("cols", v[CN_COLS], 0, 1000000, &c.cols)) < 0)
		return rc;
	return ob_container_add(im->cx, &c, NULL);
}

/* The barcode of the one specimen labelled label (a parent named by its
 * label, OpenSpecimen style): rows earlier in the file are in the
 * transaction already. */
static int parent_by_label(importer *im, const char *label, char out[OB_BARCODE_MAX])
{
	/* only labels of the actor's scope count (scope.h) */
	int rc = ob_scope_specimen_label(im->cx, OB_ACT_SPECIMEN, "parent_label", label, out,
		OB_BARCODE_MAX);

	if (rc == OB_ENOTFOUND)
		return ob_error_set(OB_EINVALID, "parent_label: no specimen is labelled '%s'"
			" (in the database or earlier in the file)", label);
	if (rc == OB_ECONFLICT)
		return ob_error_set(OB_EINVALID, "parent_label: several specimens are labelled '%s';"
			" name the parent by parent_barcode", label);
	return rc;
}

/* OpenSpecimen files carry no unit: theirs follows the class (Fluid ml,
 * Tissue g, Cell cells, Molecular ug). */
static const char *default_unit(const char *klass, const char *type)
{
	char w[32];

	if (klass) {
		fold(klass, w, sizeof w);
		if (!strcmp(w, "fluid"))
			return "ml";
		if (!strcmp(w, "tissue"))
			return "g";
		if (!strcmp(w, "cell"))
			return "cells";
		if (!strcmp(w, "molecular"))
			return "ug";
	}
	klass = ob_specimen_type_class(type);
	if (!klass)
		return NULL;
	if (!strcmp(klass, "tissue"))
		return "g";
	if (!strcmp(klass, "nucleic_acid"))
		return "ug";
	return !strcmp(type, "pbmc") ? "cells" : "ml";
}

static int defer_status(importer *im, const char *barcode, const char *status)
{
	static const char *const sql =
		"INSERT INTO import_deferred_status (line, barcode, status) VALUES ($1, $2, $3)";
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(im->cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, im->rec_line);
	ob_stmt_bind_text(s, 2, barcode);
	ob_stmt_bind_text(s, 3, status);
	if ((rc = ob_stmt_exec(s)) == 0)
		im->ndefer++;
	return rc;
}

static int row_specimen(importer *im, const char *const *v)
{
	ob_specimen_new n;
	char collected[OB_TIME_LEN], parent[OB_BARCODE_MAX], barcode[OB_BARCODE_MAX];
	char pos[OB_POSITION_MAX * 2];
	const char *thawed = NULL;
	double initial;
	int rc, thaws = 0;

	ob_specimen_new_init(&n);
	n.barcode = v[SP_BARCODE];
	n.label = v[SP_LABEL];
	n.site = v[SP_SITE];
	n.donor = v[SP_DONOR];
	n.donor_site = v[SP_DONOR_SITE];
	n.anatomic_site = v[SP_ANATOMIC];
	n.sprec = v[SP_SPREC];
	n.container = v[SP_CONTAINER];
	n.vessel = v[SP_VESSEL];
	n.collection = v[SP_COLLECTION];
	n.fixation = v[SP_FIXATION];
	if ((rc = map_type(v[SP_TYPE], &n.type)) < 0)
		return rc;
	if (!n.type)
		return ob_error_set(OB_EINVALID, "type: the specimen type is required");
	if ((rc = map_word("lineage", v[SP_LINEAGE], lineage_words, &n.lineage)) < 0
	    || (rc = map_word("pathology", v[SP_PATHOLOGY], pathology_words, &n.pathology)) < 0
	    || (rc = map_word("parent_thawed", v[SP_PARENT_THAWED], bool_words, &thawed)) < 0)
		return rc;
	n.parent_thawed = thawed && *thawed == '1';
	if ((rc = num("tumour_pct", v[SP_TUMOUR_PCT], &n.tumour_pct)) < 0
	    || (rc = num("quantity", v[SP_QUANTITY], &n.quantity)) < 0
	    || (rc = num("initial_quantity", v[SP_INITIAL], &initial)) < 0
	    || (rc = num("parent_used", v[SP_PARENT_USED], &n.parent_used)) < 0
	    || (rc = num("concentration", v[SP_CONC], &n.concentration)) < 0
	    || (rc = num("a260_280", v[SP_A260], &n.a260_280)) < 0
	    || (rc = num("rin", v[SP_RIN], &n.rin)) < 0
	    || (rc = num("din", v[SP_DIN], &n.din)) < 0
	    || (rc = whole("freeze_thaw", v[SP_FREEZE_THAW], 0, 1000000, &thaws)) < 0)
		return rc;
	n.freeze_thaw = thaws;
	if ((rc = minutes("warm_ischaemia_min", v[SP_WARM], &n.warm_ischaemia_min)) < 0
	    || (rc = minutes("cold_ischaemia_min", v[SP_COLD], &n.cold_ischaemia_min)) < 0
	    || (rc = minutes("fixation_min", v[SP_FIXATION_MIN], &n.fixation_min)) < 0
	    || (rc = minutes("precentrifugation_min", v[SP_PRE_MIN], &n.precentrifugation_min)) < 0
	    || (rc = minutes("postcentrifugation_min", v[SP_POST_MIN], &n.postcentrifugation_min)) < 0
	    || (rc = temp_band("precentrifugation_temp", v[SP_PRE_TEMP], &n.precentrifugation_temp)) < 0
	    || (rc = temp_band("postcentrifugation_temp", v[SP_POST_TEMP], &n.postcentrifugation_temp)) < 0
	    || (rc = spin("centrifugation", v[SP_SPIN], &n.centrifugation)) < 0
	    || (rc = spin("second_centrifugation", v[SP_SPIN2], &n.second_centrifugation)) < 0)
		return rc;
	/* initial_quantity (our export): what the specimen was created with;
	 * quantity is what is left now */
	n.initial_quantity = initial;
	if (isnan(n.quantity))  /* only the initial amount given: nothing used yet */
		n.quantity = initial;
	n.unit = v[SP_UNIT];
	if (!n.unit && !im->has_col[SP_UNIT] && !isnan(n.quantity))
		n.unit = default_unit(v[SP_CLASS], n.type);
	if (v[SP_COLLECTED] || v[SP_CREATED_ON]) {
		const char *c = v[SP_COLLECTED] ? "collected_at" : "created_on";
		if ((rc = date_parse(im, c, v[SP_COLLECTED] ? v[SP_COLLECTED] : v[SP_CREATED_ON],
				collected)) < 0)
			return rc;
		n.collected_at = collected;
	}
	n.parent = v[SP_PARENT];
	if (!n.parent && v[SP_PARENT_LABEL]) {
		if ((rc = parent_by_label(im, v[SP_PARENT_LABEL], parent)) < 0)
			return rc;
		n.parent = parent;
	}
	n.position = v[SP_POSITION];
	if (!n.position && (v[SP_ROW] || v[SP_COLUMN])) {
		if (!v[SP_ROW] || !v[SP_COLUMN])
			return ob_error_set(OB_EINVALID, "%s: a position needs both row and column",
				v[SP_ROW] ? "column" : "row");
		/* "A" + "1" -> A1; "1" + "1" -> 1-1 (the box's scheme decides which
		 * spelling it accepts: ob_container_check_position) */
		snprintf(pos, sizeof pos, isdigit((unsigned char)v[SP_ROW][0]) ? "%.8s-%.8s" : "%.8s%.8s",
			v[SP_ROW], v[SP_COLUMN]);
		n.position = pos;
	}
	n.status = v[SP_STATUS];
	if (n.status && strcmp(n.status, "available") && strcmp(n.status, "reserved")) {
		if (!ob_specimen_status_valid(n.status))
			return ob_error_set(OB_EINVALID, "status: '%s' is not a status (available,"
				" reserved, in_transit, distributed, depleted, destroyed, missing)", n.status);
		/* created available; the final status is set after the last row */
		n.final_status = n.status;
		n.status = "available";
	}
	if ((rc = ob_specimen_create(im->cx, &n, NULL, barcode)) < 0)
		return rc;
	if (v[SP_STATUS] && n.status != v[SP_STATUS])
		return defer_status(im, barcode, v[SP_STATUS]);
	return 0;
}

/* Sets the statuses held back until every row was written, then empties
 * the table they waited in. */
static int apply_deferred(importer *im)
{
	static const char *const sql =
		"SELECT d.line, d.barcode, d.status, s.status FROM import_deferred_status d"
		" JOIN specimen s ON s.barcode = d.barcode ORDER BY d.line";
	static const char *const clear = "DELETE FROM import_deferred_status";
	char barcode[OB_BARCODE_MAX], status[16];
	ob_stmt *s, *c;
	int64_t line;
	int rc, step;

	if ((rc = ob_store_prepare(im->cx->st, sql, &s)) < 0)
		return rc;
	while (rc == 0 && (step = ob_stmt_step(s)) == OB_ROW) {
		if (!strcmp(ob_stmt_text(s, 2), ob_stmt_text(s, 3)))
			continue;
		line = ob_stmt_int(s, 0);
		ob_strlcpy(barcode, ob_stmt_text(s, 1), sizeof barcode);
		ob_strlcpy(status, ob_stmt_text(s, 2), sizeof status);
		rc = ob_specimen_set_status(im->cx, barcode, status, "import");
		if (rc < 0 && rc != OB_ERROR && rc != OB_ERETRY) {
			char m[1024];
			snprintf(m, sizeof m, "%s (set after the last row, for %s)", ob_error_last(),
				barcode);
			bad(im, line, "status", m);
			rc = OB_EINVALID;
		}
	}
	ob_stmt_reset(s);
	if (rc == 0 && step < 0)
		rc = step;
	if (rc == 0 && (rc = ob_store_prepare(im->cx->st, clear, &c)) == 0)
		rc = ob_stmt_exec(c);
	return rc;
}

static const kind_def kinds[] = {
	{ OB_IMPORT_SITES, "sites", site_cols, SI_N, site_ignored, row_site },
	{ OB_IMPORT_DONORS, "donors", donor_cols, DO_N, donor_ignored, row_donor },
	{ OB_IMPORT_CONSENTS, "consents", consent_cols, CO_N, consent_ignored, row_consent },
	{ OB_IMPORT_CONTAINERS, "containers", container_cols, CN_N, container_ignored, row_container },
	{ OB_IMPORT_SPECIMENS, "specimens", specimen_cols, SP_N, specimen_ignored, row_specimen },
	{ OB_IMPORT_DIAGNOSES, "diagnoses", diagnosis_cols, DG_N, diagnosis_ignored, row_diagnosis },
};

int ob_import_kind_parse(const char *word, ob_import_kind *kind)
{
	for (size_t i = 0; word && i < sizeof kinds / sizeof kinds[0]; i++) {
		size_t n = strlen(kinds[i].word);
		if (!strcmp(word, kinds[i].word)
		    || (strlen(word) == n - 1 && !strncmp(word, kinds[i].word, n - 1))) {
			*kind = kinds[i].kind;
			return 0;
		}
	}
	return ob_error_set(OB_EINVALID, "'%s' is not something to import or export (sites,"
		" donors, diagnoses, consents, containers, specimens)", word ? word : "");
}

/* ---- the reader --------------------------------------------------------- */

/* Feeds one piece of a physical line (ending with '\n' or not); on a CSV
 * syntax error reports it, restarts the parser and skips to the next line. */
static void feed(importer *im, const char *s, size_t n, bool *skip_line)
{
	size_t done;

	if (*skip_line)
		return;
	done = csv_parse(&im->p, s, n, on_field, on_record, im);
	if (done < n && !im->stop) {
		int err = csv_error(&im->p);
		char m[256], name[64];
		int c = im->nf < im->ncols && im->header_done ? im->colmap[im->nf] : -1;

		snprintf(m, sizeof m, "%s: %s (a quote inside an unquoted field, or text after a"
			" closing quote; RFC 4180 doubles quotes inside quoted fields)",
			c >= 0 ? col_name(im->kd, c, name, sizeof name) : "row",
			err == CSV_EPARSE ? "malformed quoting" : csv_strerror(err));
		if (err == CSV_ENOMEM || err == CSV_ETOOBIG) {
			im->fatal = ob_error_set(OB_ERROR, "out of memory");
			im->stop = true;
		}
		bad(im, im->line, NULL, m);
		if (!im->header_done)
			im->stop = true;
		csv_free(&im->p);
		csv_init(&im->p, CSV_STRICT | CSV_STRICT_FINI);
		ob_buf_clear(&im->rec);
		im->nf = 0;
		im->too_many = false;
		*skip_line = true;
	}
}

static int read_all(importer *im, FILE *in)
{
	char *buf = malloc(READ_SIZE);
	bool at_line_start = true, skip_line = false, first = true;
	size_t n;

	if (!buf)
		return ob_error_set(OB_ERROR, "out of memory");
	while (!im->stop && (n = fread(buf, 1, READ_SIZE, in)) > 0) {
		const char *p = buf, *end = buf + n;

		if (im->spool && fwrite(buf, 1, n, im->spool) != n) {
			im->fatal = ob_error_set(OB_ERROR, "%s: cannot keep a copy for the second pass"
				" (temporary file): %s", im->fname, strerror(errno));
			im->stop = true;
			break;
		}
		if (first) {
			first = false;
			if (n >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
				p += 3;
		}
		while (p < end && !im->stop) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			const char *stop = nl ? nl + 1 : end;

			if (at_line_start && !im->p.quoted && im->nf == 0)
				im->rec_line = im->line;
			feed(im, p, (size_t)(stop - p), &skip_line);
			p = stop;
			at_line_start = nl != NULL;
			if (nl) {
				im->line++;
				skip_line = false;
			}
		}
	}
	if (ferror(in) && !im->stop) {
		im->fatal = ob_error_set(OB_ERROR, "%s: read error", im->fname);
		im->stop = true;
	}
	free(buf);
	if (!im->stop && csv_fini(&im->p, on_field, on_record, im) != 0 && !im->stop)
		bad(im, im->rec_line, "row", "a quoted field is not closed at the end of the file");
	return im->fatal;
}

/* Back to the start of the input for the write pass, with the reader's
 * state as new (the report's counts too: the first pass wrote none). */
static int rewind_input(importer *im, FILE *f, off_t start)
{
	if (fseeko(f, start, SEEK_SET) < 0)
		return ob_error_set(OB_ERROR, "%s: cannot read the input a second time: %s", im->fname,
			strerror(errno));
	clearerr(f);
	csv_free(&im->p);
	if (csv_init(&im->p, CSV_STRICT | CSV_STRICT_FINI) != 0)
		return ob_error_set(OB_ERROR, "out of memory");
	ob_buf_clear(&im->rec);
	im->nf = 0;
	im->too_many = false;
	im->line = im->rec_line = 1;
	im->header_done = false;
	im->ncols = 0;
	memset(im->has_col, 0, sizeof im->has_col);
	im->stop = false;
	im->fatal = 0;
	im->use_savepoints = false;
	im->dry = false;
	im->ndefer = 0;
	im->rep->rows = im->rep->imported = im->rep->skipped = 0;
	return 0;
}

int ob_import_csv(const ob_ctx *cx, ob_import_kind kind, FILE *in, const ob_import_opts *o,
                  ob_import_report *rep)
{
	importer *im;
	off_t start = 0;
	int rc;

	if ((rc = ob_access_check(cx, OB_ACT_IMPORT, NULL)) < 0)
		return rc;
	im = calloc(1, sizeof *im);
	if (!im)
		return ob_error_set(OB_ERROR, "out of memory");
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (kinds[i].kind == kind)
			im->kd = &kinds[i];
	if (!im->kd) {
		free(im);
		return ob_error_set(OB_EINVALID, "unknown import kind %d", (int)kind);
	}
	if (o)
		im->o = *o;
	if (im->o.max_errors <= 0)
		im->o.max_errors = OB_IMPORT_MAX_ERRORS;
	im->fname = !im->o.name ? "input" : !strcmp(im->o.name, "-") ? "stdin" : im->o.name;
	im->cx = cx;
	im->rep = rep;
	im->line = 1;
	im->rec_line = 1;
	ob_buf_init(&im->rec, 0);
	rep->rows = rep->imported = rep->skipped = 0;
	rep->errors = 0;
	if (csv_init(&im->p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		free(im);
		return ob_error_set(OB_ERROR, "out of memory");
	}
	/* Pass 1: the reader alone, before any lock. */
	im->dry = true;
	if ((start = ftello(in)) < 0 || fseeko(in, start, SEEK_SET) < 0) {
		if (!(im->spool = tmpfile())) {
			rc = ob_error_set(OB_ERROR, "%s: cannot create a temporary file: %s", im->fname,
				strerror(errno));
			goto out;
		}
	}
	rc = read_all(im, in);
	if (rc == 0 && !im->stop && im->spool) {
		/* The rest of the input, unread once an error cap stopped it, is
		 * not needed: there is no second pass then. */
		if (fflush(im->spool) != 0)
			rc = ob_error_set(OB_ERROR, "%s: temporary file: %s", im->fname, strerror(errno));
	}
	if (rc == 0 && !im->header_done && rep->errors == 0)
		bad(im, 1, "header", "the file is empty: a header line is needed");
	if (rc < 0 || rep->errors)
		goto refused;
	/* Pass 2: from the start again, in the write transaction. */
	if ((rc = rewind_input(im, im->spool ? im->spool : in, im->spool ? 0 : start)) < 0)
		goto out;
	if ((rc = ob_store_begin(cx->st)) < 0)
		goto out;
	rc = read_all(im, im->spool ? im->spool : in);
	if (rc == 0 && rep->errors == 0 && im->ndefer)
		rc = apply_deferred(im);
	if (rc < 0 || rep->errors) {
		ob_store_rollback(cx->st);
		goto refused;
	} else if ((rc = ob_store_commit(cx->st)) == 0) {
		rep->imported -= rep->skipped;
	} else {
		rep->imported = 0;
		rc = ob_error_set(rc, "%s: commit failed: %s; nothing imported", im->fname,
			ob_error_last());
	}
	goto out;
refused:
	rep->imported = 0;
	if (rc == OB_ERROR || rc == OB_ERETRY)
		rc = ob_error_set(rc, "%s: %s; nothing imported", im->fname, ob_error_last());
	else if (im->denied)
		/* a row outside the scope is a refusal, not bad input */
		rc = ob_error_set(OB_EPERM, "%s%s; nothing imported", im->denied_msg,
			im->denied > 1 ? " (and more rows outside your scope)" : "");
	else
		rc = ob_error_set(OB_EINVALID, "%s: %d bad row%s%s; nothing imported", im->fname,
			rep->errors, rep->errors == 1 ? "" : "s",
			rep->errors >= im->o.max_errors ? " (stopped at the limit)" : "");
out:
	if (im->spool)
		fclose(im->spool);
	csv_free(&im->p);
	ob_buf_dispose(&im->rec);
	free(im);
	return rc;
}
