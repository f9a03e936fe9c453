/*
 * csvimport.c - streamed, all-or-nothing CSV import (see csvimport.h and
 * docs/import.md): the reader (libcsv fed one physical line at a time, so
 * every record knows the line it starts on), the header matcher with the
 * OpenSpecimen aliases, and one row function per kind that turns a record
 * into a call of the domain function the CLI uses (ob_site_add,
 * ob_donor_add, ob_consent_add, ob_container_add, ob_specimen_create,
 * ob_study_add, ob_study_event_add, ob_study_requirement_add, ob_study_enrol,
 * and ob_specimen_correct for a file of corrections). The specimen columns are
 * not listed here: they are the record's fields (specimen.h), read by the
 * field table, with a small table of aliases and readers by field name.
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
#include "bank/csvimport_os.h"
#include "bank/access.h"
#include "bank/scope.h"
#include "bank/barcode.h"
#include "bank/container.h"
#include "bank/donor.h"
#include "bank/fields.h"
#include "bank/site.h"
#include "bank/specimen.h"
#include "bank/study.h"
#include "base/error.h"
#include "base/text.h"
#include "base/util.h"
#include "store/store.h"

#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#define READ_SIZE 65536
#define MAX_COLS 256

/* ---- column tables ------------------------------------------------------ */

struct importer;
struct sp_rule;
typedef int (*row_fn)(struct importer *im, const char *const *v);

/* A column: its canonical name, then its aliases, '|'-separated. A
 * specimen column also knows the record's field it fills (NULL for a
 * column of the import alone) and its reading rule (NULL: the field's
 * text, ob_field_parse). */
typedef struct col_def {
	const char *names;
	bool required;
	const ob_field *field;
	const struct sp_rule *rule;
} col_def;

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
       CO_WDATE, CO_WBY, CO_WREASON, CO_WITNESS, CO_RESPONSES, CO_DISPOSITION, CO_N };
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
	[CO_WITNESS] = { "witness", false },
	[CO_RESPONSES] = { "responses", false },
	[CO_DISPOSITION] = { "disposition", false },
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

/* Studies and what they hold (study.h). OpenSpecimen's cp_template.csv
 * names the study's code "Short Title" and has a "Code" of its own: the
 * code column matches both spellings of "code", and Short Title, when
 * given, is the code (docs/import.md). */
#define OS_STUDY_SITES 4
#define STUDY_LIST_MAX 64   /* sites or forms of a study row */
enum { ST_CODE, ST_SHORT, ST_TITLE, ST_STATUS, ST_PI, ST_ETHICS_REF, ST_APPROVED, ST_EXPIRES,
       ST_PPID, ST_SITES, ST_FORMS, ST_OS_SITE, ST_N = ST_OS_SITE + 2 * OS_STUDY_SITES };
static const col_def study_cols[ST_N] = {
	[ST_CODE] = { "code", false }, [ST_SHORT] = { "Short Title", false },
	[ST_TITLE] = { "title", false }, [ST_STATUS] = { "status|Activity Status", false },
	[ST_PI] = { "pi", false }, [ST_ETHICS_REF] = { "ethics_ref|Ethics ID", false },
	[ST_APPROVED] = { "ethics_approved_on|Start Date", false },
	[ST_EXPIRES] = { "ethics_expires_on|End Date", false },
	[ST_PPID] = { "ppid_format|PPID Format", false },
	[ST_SITES] = { "sites", false }, [ST_FORMS] = { "forms", false },
	[ST_OS_SITE] = { "Sites#1#Name", false }, { "Sites#1#Code", false },
	{ "Sites#2#Name", false }, { "Sites#2#Code", false },
	{ "Sites#3#Name", false }, { "Sites#3#Code", false },
	{ "Sites#4#Name", false }, { "Sites#4#Code", false },
};
static const char *const study_ignored[] = {
	OS_COMMON_IGNORED, "Anticipated Participants Count", "Visit Name Format", "Label Format",
	"Derivative Label Format", "Aliquot Label Format", "User inputs *", "Label Pre-print Mode",
	"Description URL", "PI#*", "Coordinator#*", "Label Print Setting#*", "BBMRI Collection#*",
	NULL
};

enum { EV_STUDY, EV_CODE, EV_LABEL, EV_DAY, EV_UNIT, EV_POSITION, EV_N };
static const col_def event_cols[EV_N] = {
	[EV_STUDY] = { "study|CP Short Title", true },
	[EV_CODE] = { "code|Event Code", false },
	[EV_LABEL] = { "label|Event Label", false },
	[EV_DAY] = { "day|Event Point", false },
	[EV_UNIT] = { "day_unit|Event Point Unit", false },
	[EV_POSITION] = { "position|Sort Order", false },
};
static const char *const event_ignored[] = {
	OS_COMMON_IGNORED, "Clinical Diagnosis", "Clinical Status", "Default Site",
	"When to Print", "Print Copies", NULL
};

enum { RQ_STUDY, RQ_EVENT, RQ_CODE, RQ_NAME, RQ_TYPE, RQ_CLASS, RQ_LINEAGE, RQ_PATHOLOGY,
       RQ_ANATOMIC, RQ_COUNT, RQ_QUANTITY, RQ_UNIT, RQ_PROCESSING, RQ_N };
static const col_def requirement_cols[RQ_N] = {
	[RQ_STUDY] = { "study|CP Short Title", true },
	[RQ_EVENT] = { "event|Event Label|Event Code", true },
	[RQ_CODE] = { "code", false },
	[RQ_NAME] = { "Name", false },
	[RQ_TYPE] = { "type|Specimen Type", true },
	[RQ_CLASS] = { "Specimen Class", false },
	[RQ_LINEAGE] = { "Lineage", false },
	[RQ_PATHOLOGY] = { "pathology|Pathology|Pathological Status", false },
	[RQ_ANATOMIC] = { "anatomic_site|Anatomic Site", false },
	[RQ_COUNT] = { "count", false },
	[RQ_QUANTITY] = { "quantity|Initial Quantity", false },
	[RQ_UNIT] = { "unit", false },
	[RQ_PROCESSING] = { "processing", false },
};
static const char *const requirement_ignored[] = {
	OS_COMMON_IGNORED, "Parent Code", "Laterality", "Storage Type", "Concentration",
	"Collection Container", "Collection Procedure", "Label Format", "Label Auto Print Mode",
	"Label Print Copies", "Sort Order", "Collector#*", "Receiver#*", NULL
};

enum { PA_STUDY, PA_PPID, PA_SITE, PA_DONOR, PA_DATE, PA_N };
static const col_def participant_cols[PA_N] = {
	[PA_STUDY] = { "study|CP Short Title", true },
	[PA_PPID] = { "ppid|PPID", true },
	[PA_SITE] = { "site|Registration Site", true },
	[PA_DONOR] = { "donor", false },
	[PA_DATE] = { "enrolled_on|Registration Date", false },
};
/* cpr_template.csv's direct identifiers are not read here: the
 * openspecimen kind and `oncobank identifier` keep them, encrypted */
static const char *const participant_ignored[] = {
	OS_COMMON_IGNORED, "External Subject ID", "First Name", "Last Name", "Middle Name",
	"Email Address", "Date Of Birth", "Death Date", "Gender", "Race#*", "Vital Status",
	"Ethnicity*", "National ID", "eMPI", "PMI#*", NULL
};

/* The specimen columns come from the record's field table (see
 * specimen_columns): a column for each field flagged OB_F_CSV, then these
 * columns of the import alone (reason in an update file only). */
enum { SX_CLASS, SX_PARENT_LABEL, SX_PARENT_THAWED, SX_CREATED_ON, SX_ROW, SX_COLUMN,
       SX_REASON, SX_N };
/* The OpenSpecimen master file's columns beyond the specimen's: the
 * participant's (csvimport_os.h), after the specimen columns. */
enum { OS_CP, OS_EVENT, OS_GENDER, OS_FIRST, OS_MIDDLE, OS_LAST, OS_DOB, OS_NATID, OS_REG,
       OS_PMI, OS_N = OS_PMI + 2 * OB_OS_PMI_MAX };
static const char *const os_names[OS_N] = {
	[OS_CP] = "CP Short Title", [OS_EVENT] = "Event Label", [OS_GENDER] = "Gender",
	[OS_FIRST] = "First Name", [OS_MIDDLE] = "Middle Name", [OS_LAST] = "Last Name",
	[OS_DOB] = "Date Of Birth", [OS_NATID] = "National ID", [OS_REG] = "Registration Date",
	[OS_PMI] = "PMI#1#Site Name", "PMI#1#MRN", "PMI#2#Site Name", "PMI#2#MRN",
	"PMI#3#Site Name", "PMI#3#MRN", "PMI#4#Site Name", "PMI#4#MRN",
};
/* The most canonical columns of a kind (the specimens have the most). */
#define KIND_COLS_MAX (OB_SPECIMEN_NFIELDS + SX_N + OS_N)
#define NAMES_MAX 160   /* a specimen column's names, '|'-separated */
#define CELL_MAX 48     /* a cell's value as its reader rewrote it */
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
	/* the kind's canonical columns: its static table, or the specimen
	 * columns built from the field table into spcols */
	const col_def *cols;
	int ndef;
	bool has_col[KIND_COLS_MAX];   /* canonical column present */
	col_def spcols[KIND_COLS_MAX];
	char spnames[KIND_COLS_MAX][NAMES_MAX];
	int sx;             /* the first specimen column of the import alone */
	int ox;             /* the first OpenSpecimen participant column (os) */
	bool os;            /* an OpenSpecimen master file (row_openspecimen) */
	int c_type, c_unit, c_barcode;  /* those fields' columns (read on every row) */
	row_fn row;
	/* a cell as its reader rewrote it (a date normalised), or a number of
	 * a correction as text, per canonical column */
	char cell[KIND_COLS_MAX][CELL_MAX];
	bool stop;          /* a fatal error or the error cap was met */
	int fatal;          /* OB_ERROR / OB_ERETRY that stopped the import */
	bool use_savepoints;
	bool dry;           /* the first pass: no database */
	bool update;        /* specimens corrected, not created (row_correct) */
	FILE *spool;        /* the first pass's copy of an unseekable input */
	/* specimens: statuses set after every row (a depleted parent can get no
	 * more children, so final statuses wait for the end of the file) */
	int64_t ndefer;  /* rows in import_deferred_status */
	/* rows refused as outside the actor's scope (OB_EPERM): the import is
	 * then refused as a whole, naming the first one */
	int denied;
	char denied_msg[600];   /* "FILE:LINE: column: permission denied: ..." */
} importer;

static const char *not_correctable(const importer *im, int c);

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
static const char *col_name(const importer *im, int c, char *out, size_t n)
{
	const char *s = im->cols[c].names, *bar = strchr(s, '|');
	size_t len = bar ? (size_t)(bar - s) : strlen(s);

	if (len >= n)
		len = n - 1;
	memcpy(out, s, len);
	out[len] = '\0';
	return out;
}

/* True when msg starts with a column name: "column: ...". */
static bool names_column(const char *msg)
{
	const char *colon = strchr(msg, ':');
	bool named = colon && colon != msg && colon[1] == ' ';

	for (const char *q = msg; named && q < colon; q++)
		if (!(islower((unsigned char)*q) || isdigit((unsigned char)*q) || *q == '_'))
			named = false;
	return named;
}

/* Records one bad row: "FILE:LINE: message". msg should start with the
 * column; when it does not, col (a column name, or "row") is put first. */
static void bad(importer *im, int64_t line, const char *col, const char *msg)
{
	bool named = names_column(msg);

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

/* Whether canonical column c holds a ';'-separated list (a study's sites
 * and forms): its cell has the outer bound of any text, each item its
 * field's (split_list). */
static const ob_field_limit list_limit = { "", STUDY_LIST_MAX * 65, 0 };

static bool is_list(const importer *im, int c)
{
	return im->kd->kind == OB_IMPORT_STUDIES && (c == ST_SITES || c == ST_FORMS);
}

/* Maps the header's columns; a bad header stops the import (no row can be
 * read without it). */
static void read_header(importer *im)
{
	const kind_def *kd = im->kd;
	ob_buf unknown = OB_BUF_INIT, ignored = OB_BUF_INIT;
	const char *why;
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

		for (int k = 0; k < im->ndef; k++)
			if (names_match(im->cols[k].names, h)) {
				c = k;
				break;
			}
		im->colmap[i] = c;
		if (c >= 0) {
			/* a list's items are checked one by one (split_list) */
			im->limit[i] = is_list(im, c) ? &list_limit
				: ob_field_limit_of(col_name(im, c, name, sizeof name));
			if (im->has_col[c]) {
				ob_buf_printf(&unknown, "%s'%s' (a second %s column)", nunknown++ ? ", " : "",
					h, col_name(im, c, name, sizeof name));
				continue;
			}
			im->has_col[c] = true;
			if (im->update && (why = not_correctable(im, c))) {
				char m[256];
				snprintf(m, sizeof m, "%s: not correctable here%s%s", col_name(im, c, name,
					sizeof name), *why ? "; " : "", why);
				bad(im, im->rec_line, NULL, m);
				im->stop = true;
			}
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
	for (int k = 0; k < im->ndef && !im->stop; k++)
		if (im->cols[k].required && !im->has_col[k]) {
			char m[160];
			snprintf(m, sizeof m, "the required column '%s' is missing",
				col_name(im, k, name, sizeof name));
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
	const char *v[KIND_COLS_MAX];
	int rc, c;

	for (int k = 0; k < KIND_COLS_MAX; k++)
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
			miss >= 0 ? col_name(im, miss, name, sizeof name) : "row", im->nf,
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
		if (ob_text_check(*lim->name ? lim->name : col_name(im, c, name, sizeof name), f,
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
	rc = im->row(im, v);
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

/* The disposition of a withdrawal row: the column's word; a file without
 * the column (older exports, OpenSpecimen's) withdraws with "keep", which
 * stops every use and destroys nothing. */
static const char *row_disposition(const importer *im, const char *const *v)
{
	return im->has_col[CO_DISPOSITION] ? v[CO_DISPOSITION] : "keep";
}

/* "CODE=yes;CODE2=no" into r (at most max), cutting buf (a copy of s). */
static int responses_parse(char *buf, ob_consent_response *r, size_t max, size_t *n)
{
	char *save = NULL;

	*n = 0;
	for (char *t = strtok_r(buf, ";|", &save); t; t = strtok_r(NULL, ";|", &save)) {
		char *eq = strchr(t, '=');
		while (*t == ' ')
			t++;
		if (!*t)
			continue;
		if (!eq)
			return ob_error_set(OB_EINVALID, "responses: '%s' is not CODE=yes|no|not_asked", t);
		if (*n >= max)
			return ob_error_set(OB_EINVALID, "responses: at most %zu statements", max);
		*eq = '\0';
		r[*n].code = t;
		r[(*n)++].response = eq + 1;
	}
	return 0;
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
				v[CO_WREASON], row_disposition(im, v))) < 0)
			return ob_error_set(rc, "%s%s", strncmp(ob_error_last(), "disposition:", 12)
				? "withdrawn_on: " : "", ob_error_last());
		return 0;
	}
	if (v[CO_RESPONSES] && (v[CO_SCOPE] || v[CO_STATEMENT]))
		return ob_error_set(OB_EINVALID, "responses: give responses or a scope, not both");
	if (v[CO_SCOPE] && (rc = ob_consent_scope_parse(v[CO_SCOPE], &scope)) < 0)
		return rc;
	if (v[CO_STATEMENT]) {
		/* OpenSpecimen: one statement per row, with the donor's answer */
		const char *yes = NULL;
		int f = ob_consent_scope_flag(v[CO_STATEMENT]);
		if (!f)
			return ob_error_set(OB_EINVALID, "scope: consent statement '%s' is not a scope"
				" (storage, research, genetic, sharing, recontact, commercial, findings,"
				" transfer)", v[CO_STATEMENT]);
		if ((rc = map_word("Consent Response", v[CO_RESPONSE] ? v[CO_RESPONSE] : "no",
				bool_words, &yes)) < 0)
			return rc;
		if (*yes == '1')
			scope |= f;
	}
	if (!form && !im->has_col[CO_FORM])
		form = "unspecified";
	if (v[CO_RESPONSES]) {
		ob_consent_response r[OB_CONSENT_MAX_STATEMENTS];
		ob_consent_signing sg = { form, signed_on, v[CO_WITNESS], r, 0, true };
		char *buf = strdup(v[CO_RESPONSES]);
		if (!buf)
			return ob_error_set(OB_ERROR, "import: out of memory");
		rc = responses_parse(buf, r, OB_CONSENT_MAX_STATEMENTS, &sg.nresponses);
		if (rc == 0)
			rc = ob_consent_sign(im->cx, v[CO_SITE], v[CO_DONOR], &sg, NULL);
		free(buf);
		if (rc < 0)
			return rc;
	} else if (v[CO_WITNESS]) {
		return ob_error_set(OB_EINVALID, "witness: goes with a responses column");
	} else if ((rc = ob_consent_add(im->cx, v[CO_SITE], v[CO_DONOR], form, signed_on, scope,
			NULL)) < 0) {
		return rc;
	}
	if (im->o.consent_phase == OB_CONSENT_PHASE_ALL && v[CO_WDATE]) {
		if ((rc = ob_consent_withdraw(im->cx, v[CO_SITE], v[CO_DONOR], wdate,
				v[CO_WREASON], row_disposition(im, v))) < 0)
			return ob_error_set(rc, "%s%s", strncmp(ob_error_last(), "disposition:", 12)
				? "withdrawn_on: " : "", ob_error_last());
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

/* How a specimen column is read beyond the field's text: its other
 * spellings, and a reader for cells that are not the field's text as they
 * stand. Keyed by field name; a field without an entry is read by
 * ob_field_parse() under its own and its export name. */
typedef int (*cell_fn)(const importer *im, const ob_field *f, const char *s, void *rec,
                       char *buf);

typedef struct sp_rule {
	const char *name;     /* a field of ob_specimen_fields, or a column of the import alone */
	const char *aliases;  /* OpenSpecimen's headers and other spellings, '|'-separated */
	cell_fn read;         /* the cell's reader (buf: CELL_MAX bytes it may keep) */
	const char *const *words;  /* or: a word of this vocabulary (map_word) */
	const char *fix;      /* not correctable by an update file: what changes it */
} sp_rule;

static int cell_type(const importer *im, const ob_field *f, const char *s, void *rec, char *buf)
{
	(void)im, (void)buf;
	return map_type(s, ob_field_text_at(f, rec));
}

/* A count of cycles. */
static int cell_count(const importer *im, const ob_field *f, const char *s, void *rec, char *buf)
{
	int n = 0, rc;

	(void)im, (void)buf;
	if ((rc = whole(f->name, s, 0, 1000000, &n)) == 0)
		*ob_field_int_at(f, rec) = n;
	return rc;
}

static int cell_minutes(const importer *im, const ob_field *f, const char *s, void *rec,
                        char *buf)
{
	(void)im, (void)buf;
	return minutes(f->name, s, ob_field_real_at(f, rec));
}

static int cell_band(const importer *im, const ob_field *f, const char *s, void *rec, char *buf)
{
	(void)im, (void)buf;
	return temp_band(f->name, s, ob_field_text_at(f, rec));
}

static int cell_spin(const importer *im, const ob_field *f, const char *s, void *rec, char *buf)
{
	(void)im, (void)buf;
	return spin(f->name, s, ob_field_text_at(f, rec));
}

/* A date or time in any of the spellings date_parse() reads, kept
 * normalised in buf. */
static int cell_date(const importer *im, const ob_field *f, const char *s, void *rec, char *buf)
{
	int rc = date_parse(im, f->name, s, buf);

	if (rc == 0)
		*ob_field_text_at(f, rec) = buf;
	return rc;
}

static const sp_rule sp_rules[] = {
	{ "barcode", "Specimen Barcode", NULL, NULL, NULL },
	{ "label", "Specimen Label", NULL, NULL, NULL },
	{ "donor", "PPID", NULL, NULL, NULL },
	{ "site", "Collection Site", NULL, NULL, NULL },
	{ "donor_site", "Registration Site", NULL, NULL, NULL },
	{ "type", "Specimen Type", cell_type, NULL, NULL },
	{ "parent", "Parent Barcode|Parent Specimen Barcode", NULL, NULL, NULL },
	{ "lineage", NULL, NULL, lineage_words, NULL },
	{ "anatomic_site", "Anatomic Site", NULL, NULL, NULL },
	{ "pathology", "Pathological Status|Pathology Status", NULL, pathology_words, NULL },
	{ "tumour_pct", "tumor_pct", NULL, NULL, NULL },
	{ "quantity", "Available Quantity", NULL, NULL, NULL },
	{ "initial_quantity", "Initial Quantity", NULL, NULL, NULL },
	{ "collected_at", "Collection Event#Date and Time|Collection Date", cell_date, NULL, NULL },
	{ "status", NULL, NULL, NULL, "use specimen status" },
	{ "freeze_thaw", "Freeze/Thaw Cycles", cell_count, NULL, "use specimen thaw" },
	{ "container", "Location#Container", NULL, NULL, "use container move" },
	{ "position", "Location#Position", NULL, NULL, "use container move" },
	{ "warm_ischaemia_min", "warm_ischemia_min", cell_minutes, NULL, NULL },
	{ "cold_ischaemia_min", "cold_ischemia_min", cell_minutes, NULL, NULL },
	{ "fixation_min", NULL, cell_minutes, NULL, NULL },
	{ "precentrifugation_min", NULL, cell_minutes, NULL, NULL },
	{ "postcentrifugation_min", NULL, cell_minutes, NULL, NULL },
	{ "precentrifugation_temp", NULL, cell_band, NULL, NULL },
	{ "postcentrifugation_temp", NULL, cell_band, NULL, NULL },
	{ "centrifugation", NULL, cell_spin, NULL, NULL },
	{ "second_centrifugation", NULL, cell_spin, NULL, NULL },
};

/* The columns of the import alone, read by row_specimen and row_correct. */
static const sp_rule sx_rules[SX_N] = {
	[SX_CLASS] = { "class", "Specimen Class", NULL, NULL, NULL },
	[SX_PARENT_LABEL] = { "parent_label", "Parent Specimen Label", NULL, NULL, NULL },
	[SX_PARENT_THAWED] = { "parent_thawed", "Increment Parent Freeze/Thaw Cycles", NULL, NULL,
		NULL },
	[SX_CREATED_ON] = { "created_on", "Created On", NULL, NULL, "name the column collected_at" },
	[SX_ROW] = { "row", "Location#Row", NULL, NULL, "use container move" },
	[SX_COLUMN] = { "column", "Location#Column", NULL, NULL, "use container move" },
	[SX_REASON] = { "reason", NULL, NULL, NULL, NULL },
};

/* Builds im's specimen columns: one per field flagged OB_F_CSV, named by
 * its export name, its own name and its rule's aliases, then those of the
 * import alone (reason only in an update file, where the type is not
 * required but the barcode and the reason are). */
/* The column of field name (every field flagged OB_F_CSV has one). */
static int field_col(const importer *im, const char *name)
{
	for (int c = 0; c < im->sx; c++)
		if (!strcmp(im->spcols[c].field->name, name))
			return c;
	return -1;
}

static void specimen_columns(importer *im)
{
	int k = 0;

	for (const ob_field *f = ob_specimen_fields; f->name; f++) {
		const char *csv = ob_specimen_csv_column(f);
		const sp_rule *r = NULL;
		if (!(f->flags & OB_F_CSV))
			continue;
		for (size_t i = 0; i < sizeof sp_rules / sizeof sp_rules[0]; i++)
			if (!strcmp(sp_rules[i].name, f->name))
				r = &sp_rules[i];
		snprintf(im->spnames[k], NAMES_MAX, "%s%s%s%s%s", csv, strcmp(csv, f->name) ? "|" : "",
			strcmp(csv, f->name) ? f->name : "", r && r->aliases ? "|" : "",
			r && r->aliases ? r->aliases : "");
		im->spcols[k] = (col_def){ im->spnames[k], false, f, r };
		if (im->update)
			im->spcols[k].required = !strcmp(f->name, "barcode");
		else
			im->spcols[k].required = !strcmp(f->name, "type");
		k++;
	}
	im->sx = k;
	for (int x = 0; x < SX_N; x++, k++) {
		snprintf(im->spnames[k], NAMES_MAX, "%s%s%s", sx_rules[x].name,
			sx_rules[x].aliases ? "|" : "", sx_rules[x].aliases ? sx_rules[x].aliases : "");
		im->spcols[k] = (col_def){ im->spnames[k], x == SX_REASON, NULL, &sx_rules[x] };
	}
	im->cols = im->spcols;
	im->ndef = im->update ? k : k - 1;
	if (im->os) {
		/* the reason column is an update file's only */
		im->spnames[k - 1][0] = '\0';
		im->spcols[k - 1].required = false;
		im->ox = k;
		for (int o = 0; o < OS_N; o++, k++)
			im->spcols[k] = (col_def){ os_names[o], false, NULL, NULL };
		im->ndef = k;
	}
	im->c_type = field_col(im, "type");
	im->c_unit = field_col(im, "unit");
	im->c_barcode = field_col(im, "barcode");
}

/* Reads the field columns' non-empty cells into rec, each by its rule. */
static int read_fields(importer *im, const char *const *v, ob_specimen *rec)
{
	for (int c = 0; c < im->sx; c++) {
		const col_def *d = &im->cols[c];
		const sp_rule *r = d->rule;
		int rc;
		if (!v[c])
			continue;
		if (r && r->read)
			rc = r->read(im, d->field, v[c], rec, im->cell[c]);
		else if (r && r->words)
			rc = map_word(d->field->name, v[c], r->words, ob_field_text_at(d->field, rec));
		else
			rc = ob_field_parse(d->field, rec, v[c]);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int row_specimen(importer *im, const char *const *v)
{
	const char *const *x = v + im->sx;   /* the columns of the import alone */
	ob_specimen_new n;
	char created[OB_TIME_LEN], parent[OB_BARCODE_MAX], barcode[OB_BARCODE_MAX];
	char pos[OB_POSITION_MAX * 2];
	const char *thawed = NULL, *status;
	int rc;

	ob_specimen_new_init(&n);
	if (!v[im->c_type])
		return ob_error_set(OB_EINVALID, "type: the specimen type is required");
	if ((rc = read_fields(im, v, &n.r)) < 0
	    || (rc = map_word("parent_thawed", x[SX_PARENT_THAWED], bool_words, &thawed)) < 0)
		return rc;
	n.parent_thawed = thawed && *thawed == '1';
	/* initial_quantity (our export): what the specimen was created with;
	 * quantity is what is left now */
	if (isnan(n.quantity))  /* only the initial amount given: nothing used yet */
		n.quantity = n.initial_quantity;
	if (!n.unit && !im->has_col[im->c_unit] && !isnan(n.quantity))
		n.unit = default_unit(x[SX_CLASS], n.type);
	if (!n.collected_at && x[SX_CREATED_ON]) {
		if ((rc = date_parse(im, "created_on", x[SX_CREATED_ON], created)) < 0)
			return rc;
		n.collected_at = created;
	}
	if (!n.parent && x[SX_PARENT_LABEL]) {
		if ((rc = parent_by_label(im, x[SX_PARENT_LABEL], parent)) < 0)
			return rc;
		n.parent = parent;
	}
	if (!n.position && (x[SX_ROW] || x[SX_COLUMN])) {
		if (!x[SX_ROW] || !x[SX_COLUMN])
			return ob_error_set(OB_EINVALID, "%s: a position needs both row and column",
				x[SX_ROW] ? "column" : "row");
		/* "A" + "1" -> A1; "1" + "1" -> 1-1 (the box's scheme decides which
		 * spelling it accepts: ob_container_check_position) */
		snprintf(pos, sizeof pos, isdigit((unsigned char)x[SX_ROW][0]) ? "%.8s-%.8s" : "%.8s%.8s",
			x[SX_ROW], x[SX_COLUMN]);
		n.position = pos;
	}
	status = n.status;
	if (status && strcmp(status, "available") && strcmp(status, "reserved")) {
		if (!ob_specimen_status_valid(status))
			return ob_error_set(OB_EINVALID, "status: '%s' is not a status (available,"
				" reserved, in_transit, distributed, depleted, destroyed, missing)", status);
		/* created available; the final status is set after the last row */
		n.final_status = status;
		n.status = "available";
	}
	if ((rc = ob_specimen_create(im->cx, &n, NULL, barcode)) < 0)
		return rc;
	if (status && n.status != status)
		return defer_status(im, barcode, status);
	return 0;
}

/* The site named by code or name into buf (64 bytes); NULL stays NULL. */
static int os_site(importer *im, const char *field, const char *s, char *buf, const char **out)
{
	int rc;

	*out = NULL;
	if (!s)
		return 0;
	if ((rc = ob_scope_site_named(im->cx, OB_ACT_READ, field, s, buf, 64)) == 0)
		*out = buf;
	return rc;
}

/* "First Middle Last", the names given, into out. */
static const char *os_name(const char *const *o, char *out, size_t n, const char **col)
{
	static const int parts[] = { OS_FIRST, OS_MIDDLE, OS_LAST };
	size_t len = 0;

	*col = NULL;
	out[0] = '\0';
	for (int i = 0; i < 3; i++) {
		if (!o[parts[i]])
			continue;
		if (!*col)
			*col = os_names[parts[i]];
		len += (size_t)snprintf(out + len, len < n ? n - len : 0, "%s%s", len ? " " : "",
			o[parts[i]]);
	}
	return *col ? out : NULL;
}

/* An OpenSpecimen master-specimen row: the participant of a primary
 * specimen first (csvimport_os.h), then the specimen as row_specimen
 * creates it, collected at the site named by code or name, in the study
 * and at the event of the row (an aliquot or derivative has its parent's). */
static int row_openspecimen(importer *im, const char *const *v)
{
	const char *const *o = v + im->ox, *const *x = v + im->sx;
	const int c_site = field_col(im, "site"), c_donor = field_col(im, "donor");
	const int c_dsite = field_col(im, "donor_site"), c_study = field_col(im, "study");
	const int c_event = field_col(im, "event"), c_parent = field_col(im, "parent");
	char site[64], dsite[64], pmisite[OB_OS_PMI_MAX][64], name[1024], dob[OB_TIME_LEN];
	char reg[OB_TIME_LEN];
	const char *w[KIND_COLS_MAX];
	ob_os_participant p;
	int rc;

	memcpy(w, v, sizeof w);
	if ((rc = os_site(im, "site", v[c_site], site, &w[c_site])) < 0
	    || (rc = os_site(im, "donor_site", v[c_dsite], dsite, &w[c_dsite])) < 0)
		return rc;
	if (v[c_parent] || x[SX_PARENT_LABEL] || !v[c_donor])
		/* not a participant's row: the parent names the donor, study and event */
		return row_specimen(im, w);
	memset(&p, 0, sizeof p);
	p.study = v[c_study] ? v[c_study] : o[OS_CP];
	p.site = w[c_dsite] ? w[c_dsite] : w[c_site];
	p.ppid = v[c_donor];
	p.name = os_name(o, name, sizeof name, &p.name_col);
	p.national_id = o[OS_NATID];
	if ((rc = map_word("sex", o[OS_GENDER], sex_words, &p.sex)) < 0)
		return rc;
	if (!p.sex)
		p.sex = "unknown";
	if (o[OS_DOB]) {
		/* a direct identifier: the message does not repeat it */
		if (date_parse(im, "birth_date", o[OS_DOB], dob) < 0)
			return ob_error_set(OB_EINVALID, "birth_date: the Date Of Birth is not a date"
				" (%s)", im->o.date_order == OB_DATE_MDY ? "mm-dd-yyyy" : "dd-mm-yyyy");
		dob[10] = '\0';
		p.birth_date = dob;
		digits_of(dob, 4, &p.birth_year);
	}
	if (o[OS_REG]) {
		if ((rc = date_parse(im, "registered_on", o[OS_REG], reg)) < 0)
			return rc;
		p.registered = reg;
	}
	for (int i = 0; i < OB_OS_PMI_MAX; i++) {
		const char *hs = o[OS_PMI + 2 * i], *mrn = o[OS_PMI + 2 * i + 1];
		if (!mrn)
			continue;
		if (!hs)
			return ob_error_set(OB_EINVALID, "%s: the hospital that issued %s is needed",
				os_names[OS_PMI + 2 * i], os_names[OS_PMI + 2 * i + 1]);
		if ((rc = os_site(im, "pmi_site", hs, pmisite[i], &p.pmi[i].site)) < 0)
			return rc;
		p.pmi[i].mrn = mrn;
		p.pmi[i].col = os_names[OS_PMI + 2 * i + 1];
	}
	if ((rc = ob_os_participant_settle(im->cx, &p)) < 0)
		return rc;
	w[c_donor] = p.donor;
	w[c_dsite] = p.donor_site;
	if (p.study) {
		w[c_study] = p.study;
		if (!w[c_event])
			w[c_event] = o[OS_EVENT];
	}
	return row_specimen(im, w);
}

/* An update file's row: one correction (ob_specimen_correct) of the
 * specimen its barcode names, of the fields whose cells are not empty,
 * each cell read as the create import reads it and handed on as text. */
static int row_correct(importer *im, const char *const *v)
{
	const char *barcode = v[im->c_barcode], *reason = v[im->sx + SX_REASON];
	ob_change ch[OB_SPECIMEN_NFIELDS];
	ob_specimen_new n;
	size_t k = 0;
	int rc;

	if (!barcode)
		return ob_error_set(OB_EINVALID, "barcode: the barcode of the specimen to correct is"
			" required");
	if (!reason)
		return ob_error_set(OB_EINVALID, "reason: a correction needs a reason");
	ob_specimen_new_init(&n);
	if ((rc = read_fields(im, v, &n.r)) < 0)
		return rc;
	for (int c = 0; c < im->sx; c++) {
		const ob_field *f = im->cols[c].field;
		const char *value = im->cell[c];
		/* the header let only correctable fields and the barcode in */
		if (!v[c] || !(f->flags & OB_F_FIX))
			continue;
		if (f->kind == OB_FIELD_TEXT)
			value = ob_field_text(f, &n.r);
		else
			ob_field_format(f, &n.r, im->cell[c], CELL_MAX);
		ch[k++] = (ob_change){ f->name, value };
	}
	if (!k)
		return ob_error_set(OB_EINVALID, "nothing to correct: the cells of the fields are"
			" empty");
	rc = ob_specimen_correct(im->cx, barcode, ch, k, reason);
	if (rc == OB_ENOTFOUND && !names_column(ob_error_last())) {
		/* "no specimen has barcode ...": the barcode column is what is wrong */
		char m[512];
		ob_strlcpy(m, ob_error_last(), sizeof m);
		rc = ob_error_set(rc, "barcode: %s", m);
	}
	return rc;
}

/* Why update-file column c cannot be in an update file; NULL when it can
 * (a correctable field, the barcode, the reason). */
static const char *not_correctable(const importer *im, int c)
{
	const col_def *d = &im->cols[c];

	if (d->field ? (d->field->flags & OB_F_FIX) || !strcmp(d->field->name, "barcode")
	             : c == im->sx + SX_REASON)
		return NULL;
	return d->rule && d->rule->fix ? d->rule->fix : "";
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

/* ---- studies, events, requirements, participants (study.h) ---- */

/* A code from an OpenSpecimen name when the code cell is empty: each
 * character a code may not hold becomes '_' (docs/import.md). */
static const char *code_from(const char *name, char out[65])
{
	size_t i = 0;

	if (!name)
		return NULL;
	for (; name[i] && i < 64; i++)
		out[i] = isalnum((unsigned char)name[i]) || strchr("-_.", name[i]) ? name[i] : '_';
	out[i] = '\0';
	return out;
}

/* Adds the ';'-separated items of s (cut in place) to list. */
static int split_list(const char *col, char *s, const char **list, size_t *n)
{
	char *save = NULL;

	for (char *t = strtok_r(s, ";", &save); t; t = strtok_r(NULL, ";", &save)) {
		t = trim(t);
		if (!*t)
			continue;
		if (ob_field_check(col, t, strlen(t)) < 0)
			return OB_EINVALID;
		if (*n >= STUDY_LIST_MAX)
			return ob_error_set(OB_EINVALID, "%s: at most %d", col, STUDY_LIST_MAX);
		list[(*n)++] = t;
	}
	return 0;
}

/* OpenSpecimen's PPID formats ("%CP_CODE%-%06d") are templates, not
 * regular expressions, though most compile as one: refused, so that no
 * study gets a format no PPID matches. */
static int ppid_format_check(const char *col, const char *f)
{
	regex_t re;
	int hit;

	if (!f)
		return 0;
	if (regcomp(&re, "%[0-9]*d|%[A-Z_]+%", REG_EXTENDED | REG_NOSUB) != 0)
		return ob_error_set(OB_ERROR, "import: regcomp failed");
	hit = regexec(&re, f, 0, NULL, 0) == 0;
	regfree(&re);
	if (hit)
		return ob_error_set(OB_EINVALID, "%s: '%s' is an OpenSpecimen PPID format, not a"
			" POSIX extended regular expression (write one, such as BC-[0-9]{4}, or leave"
			" the cell empty)", col, f);
	return 0;
}

static const char *const study_status_words[] = {
	"draft=draft", "active=active", "closed=closed", "disabled=closed", NULL
};

/* The collecting sites of a study row: the sites cell, then
 * OpenSpecimen's Sites#N#Code (a code) or Sites#N#Name (a name or code). */
static int study_sites(importer *im, const char *const *v, char *buf,
                       char names[OS_STUDY_SITES][64], ob_study_new *n, const char **list)
{
	int rc;

	if (v[ST_SITES] && (rc = split_list("sites", buf, list, &n->nsites)) < 0)
		return rc;
	for (int i = 0; i < OS_STUDY_SITES; i++) {
		const char *name = v[ST_OS_SITE + 2 * i], *code = v[ST_OS_SITE + 2 * i + 1], *out;
		if (code)
			out = code;
		else if ((rc = os_site(im, "sites", name, names[i], &out)) < 0)
			return rc;
		if (!out)
			continue;
		if (n->nsites >= STUDY_LIST_MAX)
			return ob_error_set(OB_EINVALID, "sites: at most %d", STUDY_LIST_MAX);
		list[n->nsites++] = out;
	}
	n->sites = list;
	return 0;
}

static int row_study(importer *im, const char *const *v)
{
	const char *sites[STUDY_LIST_MAX], *forms[STUDY_LIST_MAX];
	char approved[OB_TIME_LEN], expires[OB_TIME_LEN], names[OS_STUDY_SITES][64];
	char *sbuf = NULL, *fbuf = NULL;
	ob_study_new n;
	int rc;

	memset(&n, 0, sizeof n);
	n.r.code = v[ST_SHORT] ? v[ST_SHORT] : v[ST_CODE];
	if (!n.r.code)
		return ob_error_set(OB_EINVALID, "code: a study needs a code (code or Short Title)");
	n.r.title = v[ST_TITLE];
	n.r.pi = v[ST_PI];
	n.r.ethics_ref = v[ST_ETHICS_REF];
	n.r.ppid_format = v[ST_PPID];
	if ((rc = map_word("status", v[ST_STATUS], study_status_words, &n.r.status)) < 0
	    || (rc = ppid_format_check("ppid_format", v[ST_PPID])) < 0)
		return rc;
	if (v[ST_APPROVED] && (rc = date_parse(im, "ethics_approved_on", v[ST_APPROVED],
			approved)) < 0)
		return rc;
	if (v[ST_EXPIRES] && (rc = date_parse(im, "ethics_expires_on", v[ST_EXPIRES],
			expires)) < 0)
		return rc;
	n.r.ethics_approved_on = v[ST_APPROVED] ? approved : NULL;
	n.r.ethics_expires_on = v[ST_EXPIRES] ? expires : NULL;
	if ((v[ST_SITES] && !(sbuf = strdup(v[ST_SITES])))
	    || (v[ST_FORMS] && !(fbuf = strdup(v[ST_FORMS])))) {
		rc = ob_error_set(OB_ERROR, "import: out of memory");
		goto out;
	}
	if ((rc = study_sites(im, v, sbuf, names, &n, sites)) < 0
	    || (fbuf && (rc = split_list("forms", fbuf, forms, &n.nforms)) < 0))
		goto out;
	n.forms = forms;
	rc = ob_study_add(im->cx, &n, NULL);
out:
	free(sbuf);
	free(fbuf);
	return rc;
}

/* OpenSpecimen's Event Point Unit in days: a month is 365/12 days,
 * rounded down (6 months: day 182), a year 365. */
static int event_day(const char *point, const char *unit, int64_t *day)
{
	static const char *const units[] = {
		"days=1", "day=1", "weeks=7", "week=7", "months=m", "month=m", "years=365",
		"year=365", NULL
	};
	const char *mult = "1";
	int64_t n = 0;
	int rc;

	*day = 0;
	if (!point)
		return unit ? ob_error_set(OB_EINVALID, "day_unit: a unit without an Event Point")
			: 0;
	if (ob_parse_i64(point, &n) < 0 || n < 0 || n > 36500)
		return ob_error_set(OB_EINVALID, "day: '%s' is not a whole number from 0 to 36500",
			point);
	if ((rc = map_word("day_unit", unit, units, &mult)) < 0)
		return ob_error_set(OB_EINVALID, "day_unit: '%s' is not DAYS, WEEKS, MONTHS or YEARS",
			unit);
	*day = !mult ? n : *mult == 'm' ? n * 365 / 12 : n * atoi(mult);
	return 0;
}

static int row_event(importer *im, const char *const *v)
{
	char code[65];
	const char *c = v[EV_CODE] ? v[EV_CODE] : code_from(v[EV_LABEL], code);
	int64_t day, position = -1;
	int rc;

	(void)im;
	if (!c)
		return ob_error_set(OB_EINVALID, "code: an event needs a code or a label");
	if ((rc = event_day(v[EV_DAY], v[EV_UNIT], &day)) < 0)
		return rc;
	if (v[EV_POSITION] && (ob_parse_i64(v[EV_POSITION], &position) < 0 || position < 0))
		return ob_error_set(OB_EINVALID, "position: '%s' is not a whole number from 0",
			v[EV_POSITION]);
	return ob_study_event_add(im->cx, v[EV_STUDY], c, v[EV_LABEL], day, position);
}

static int row_requirement(importer *im, const char *const *v)
{
	static const char *const new_words[] = { "new=1", "primary=1", NULL };
	const char *lineage = NULL;
	ob_study_req_record r;
	char code[65];
	int count = 1, rc;

	memset(&r, 0, sizeof r);
	r.code = v[RQ_CODE] ? v[RQ_CODE] : code_from(v[RQ_NAME], code);
	if (!r.code)
		return ob_error_set(OB_EINVALID, "code: a requirement needs a code (or a Name)");
	if (v[RQ_LINEAGE] && map_word("lineage", v[RQ_LINEAGE], new_words, &lineage) < 0)
		return ob_error_set(OB_EINVALID, "lineage: '%s': a requirement here is a specimen"
			" collected new; aliquots and derivatives are not planned", v[RQ_LINEAGE]);
	if ((rc = map_type(v[RQ_TYPE], &r.type)) < 0
	    || (rc = map_word("pathology", v[RQ_PATHOLOGY], pathology_words, &r.pathology)) < 0
	    || (rc = whole("count", v[RQ_COUNT], 0, 1000000, &count)) < 0
	    || (rc = num("quantity", v[RQ_QUANTITY], &r.quantity)) < 0)
		return rc;
	r.count = count;
	r.anatomic_site = v[RQ_ANATOMIC];
	r.unit = v[RQ_UNIT];
	if (!r.unit && !im->has_col[RQ_UNIT] && !isnan(r.quantity))
		r.unit = default_unit(v[RQ_CLASS], r.type);
	r.processing = v[RQ_PROCESSING];
	return ob_study_requirement_add(im->cx, v[RQ_STUDY], v[RQ_EVENT], &r);
}

/* A participant: the donor of the donor column, else the one whose code
 * is the PPID, at the enrolling site (named by code or name). */
static int row_participant(importer *im, const char *const *v)
{
	char site[64], day[OB_TIME_LEN];
	const char *s;
	int rc;

	if ((rc = os_site(im, "site", v[PA_SITE], site, &s)) < 0)
		return rc;
	if (v[PA_DATE] && (rc = date_parse(im, "enrolled_on", v[PA_DATE], day)) < 0)
		return rc;
	rc = ob_study_enrol(im->cx, v[PA_STUDY], s, v[PA_DONOR] ? v[PA_DONOR] : v[PA_PPID],
		v[PA_PPID], v[PA_DATE] ? day : NULL);
	if (rc < 0 && !strncmp(ob_error_last(), "date:", 5)) {
		char m[512];
		ob_strlcpy(m, ob_error_last() + 5, sizeof m);
		rc = ob_error_set(rc, "enrolled_on:%s", m);
	}
	return rc;
}

static const kind_def kinds[] = {
	{ OB_IMPORT_SITES, "sites", site_cols, SI_N, site_ignored, row_site },
	{ OB_IMPORT_DONORS, "donors", donor_cols, DO_N, donor_ignored, row_donor },
	{ OB_IMPORT_CONSENTS, "consents", consent_cols, CO_N, consent_ignored, row_consent },
	{ OB_IMPORT_CONTAINERS, "containers", container_cols, CN_N, container_ignored, row_container },
	{ OB_IMPORT_SPECIMENS, "specimens", NULL, 0, specimen_ignored, row_specimen },
	{ OB_IMPORT_DIAGNOSES, "diagnoses", diagnosis_cols, DG_N, diagnosis_ignored, row_diagnosis },
	{ OB_IMPORT_OPENSPECIMEN, "openspecimen", NULL, 0, specimen_ignored, row_openspecimen },
	{ OB_IMPORT_STUDIES, "studies", study_cols, ST_N, study_ignored, row_study },
	{ OB_IMPORT_EVENTS, "events", event_cols, EV_N, event_ignored, row_event },
	{ OB_IMPORT_REQUIREMENTS, "requirements", requirement_cols, RQ_N, requirement_ignored,
	  row_requirement },
	{ OB_IMPORT_PARTICIPANTS, "participants", participant_cols, PA_N, participant_ignored,
	  row_participant },
};

int ob_import_kind_parse(const char *word, ob_import_kind *kind)
{
	for (size_t i = 0; word && i < sizeof kinds / sizeof kinds[0]; i++) {
		size_t n = strlen(kinds[i].word);
		if (!strcmp(word, kinds[i].word)
		    || (strlen(word) == n - 1 && !strncmp(word, kinds[i].word, n - 1))
		    || (kinds[i].kind == OB_IMPORT_STUDIES && !strcmp(word, "study"))) {
			*kind = kinds[i].kind;
			return 0;
		}
	}
	return ob_error_set(OB_EINVALID, "'%s' is not something to import or export (sites,"
		" donors, diagnoses, consents, containers, specimens, studies, events,"
		" requirements, participants; openspecimen to import)",
		word ? word : "");
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
			c >= 0 ? col_name(im, c, name, sizeof name) : "row",
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

static int import_run(const ob_ctx *cx, ob_import_kind kind, bool update, FILE *in,
                      const ob_import_opts *o, ob_import_report *rep)
{
	importer *im;
	const char *done = update ? "corrected" : "imported";
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
	im->update = update;
	im->cols = im->kd->cols;
	im->ndef = im->kd->ncols;
	im->row = im->kd->row;
	im->os = kind == OB_IMPORT_OPENSPECIMEN;
	if (kind == OB_IMPORT_SPECIMENS || im->os) {
		specimen_columns(im);
		if (im->update)
			im->row = row_correct;
	}
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
		rc = ob_error_set(rc, "%s: commit failed: %s; nothing %s", im->fname,
			ob_error_last(), done);
	}
	goto out;
refused:
	rep->imported = 0;
	if (rc == OB_ERROR || rc == OB_ERETRY)
		rc = ob_error_set(rc, "%s: %s; nothing %s", im->fname, ob_error_last(), done);
	else if (im->denied)
		/* a row outside the scope is a refusal, not bad input */
		rc = ob_error_set(OB_EPERM, "%s%s; nothing %s", im->denied_msg,
			im->denied > 1 ? " (and more rows outside your scope)" : "", done);
	else
		rc = ob_error_set(OB_EINVALID, "%s: %d bad row%s%s; nothing %s", im->fname,
			rep->errors, rep->errors == 1 ? "" : "s",
			rep->errors >= im->o.max_errors ? " (stopped at the limit)" : "", done);
out:
	if (im->spool)
		fclose(im->spool);
	csv_free(&im->p);
	ob_buf_dispose(&im->rec);
	free(im);
	return rc;
}

int ob_import_csv(const ob_ctx *cx, ob_import_kind kind, FILE *in, const ob_import_opts *o,
                  ob_import_report *rep)
{
	return import_run(cx, kind, false, in, o, rep);
}

int ob_import_corrections(const ob_ctx *cx, FILE *in, const ob_import_opts *o,
                          ob_import_report *rep)
{
	return import_run(cx, OB_IMPORT_SPECIMENS, true, in, o, rep);
}
