/*
 * csvimport.h - bulk import and export of the biobank as CSV (RFC 4180,
 * UTF-8): sites, donors, consents, containers and specimens; studies, their
 * events, requirements and participants (study.h).
 *
 * Import is all or nothing: the whole file is one transaction. Every row is
 * checked by the same domain functions the CLI and HTTP use (so the same
 * validation and the same audit events), and every bad row - up to
 * max_errors - is reported as "FILE:LINE: column: message", LINE being the
 * physical line where the record starts (quoted newlines counted). When any
 * row is bad nothing is written and the import returns OB_EINVALID.
 *
 * The input is read twice: first by the CSV reader alone (syntax, header,
 * field counts; a file refused there never takes the write lock), then in
 * the write transaction. An input that cannot be rewound is copied to a
 * temporary file by the first pass. It is streamed through libcsv in
 * fixed-size reads: memory does not grow with the number of rows. Column names, the OpenSpecimen aliases and
 * the accepted value spellings are documented in docs/import.md.
 *
 * Export writes the same column names, so that exporting a database and
 * importing the files into an empty one, in the order sites, donors,
 * containers, consents (signed only), studies, events, requirements,
 * participants, specimens, consents (withdrawals only), rebuilds the same
 * data (consent forms and user accounts made first).
 */
#ifndef OB_CSVIMPORT_H
#define OB_CSVIMPORT_H

#include "bank/ctx.h"
#include "bank/specimen.h"
#include "base/buf.h"

#include <stdint.h>
#include <stdio.h>

/* What an import file holds. */
typedef enum ob_import_kind {
	OB_IMPORT_SITES = 1,
	OB_IMPORT_DONORS,
	OB_IMPORT_CONSENTS,
	OB_IMPORT_CONTAINERS,
	OB_IMPORT_SPECIMENS,
	OB_IMPORT_DIAGNOSES,
	OB_IMPORT_OPENSPECIMEN,  /* an OpenSpecimen master-specimen file: import only */
	OB_IMPORT_STUDIES,       /* studies (study.h), their sites and consent forms */
	OB_IMPORT_EVENTS,        /* their events */
	OB_IMPORT_REQUIREMENTS,  /* the events' specimen requirements */
	OB_IMPORT_PARTICIPANTS   /* the donors enrolled in them */
} ob_import_kind;

/* Which part of a consents file to apply (see docs/import.md, "Rebuilding a
 * database"): a withdrawn consent blocks new specimens of its donor, so a
 * rebuild adds the signed consents first and the withdrawals last. */
typedef enum ob_consent_phase {
	OB_CONSENT_PHASE_ALL = 0,     /* add each consent, withdraw it when withdrawn_on is set */
	OB_CONSENT_PHASE_SIGNED,      /* add each consent, ignore the withdrawal columns */
	OB_CONSENT_PHASE_WITHDRAWALS  /* only withdraw: rows without withdrawn_on are skipped */
} ob_consent_phase;

/* Day-month order of numeric dates such as OpenSpecimen's "01-02-2016". */
typedef enum ob_date_order {
	OB_DATE_DMY = 0,  /* dd-mm-yyyy (the default) */
	OB_DATE_MDY       /* mm-dd-yyyy */
} ob_date_order;

#define OB_IMPORT_MAX_ERRORS 100

typedef struct ob_import_opts {
	const char *name;          /* file name used in messages ("-" reads as "stdin") */
	int max_errors;            /* messages collected before giving up; 0: 100 */
	ob_date_order date_order;
	ob_consent_phase consent_phase;
} ob_import_opts;

typedef struct ob_import_report {
	int64_t rows;      /* data rows read */
	int64_t imported;  /* rows written (0 when the import failed) */
	int64_t skipped;   /* rows with nothing to do (withdrawals phase) */
	int errors;        /* bad rows reported in messages */
	ob_buf messages;   /* one line per bad row, "FILE:LINE: column: message\n" */
	ob_buf warnings;   /* one line per warning (ignored columns), same form */
} ob_import_report;

/* Initialises / releases a report (dispose is safe on an initialised one). */
void ob_import_report_init(ob_import_report *r);
void ob_import_report_dispose(ob_import_report *r);

/* Parses "sites", "donors", "consents", "containers", "specimens",
 * "studies", "events", "requirements", "participants" (also the singular),
 * and "openspecimen" (import only), into *kind; OB_EINVALID otherwise.
 *
 * An "openspecimen" file is OpenSpecimen's master-specimen upload: the
 * specimen columns, and per participant's first row the collection
 * protocol ("CP Short Title": a study's code or exact title), PPID (the
 * participant, enrolled when new: the donor of that code at the collection
 * site, created with Gender and the year of Date Of Birth), Event Label,
 * the collection site by code or name, and the direct identifiers (First,
 * Middle, Last Name, Date Of Birth, National ID, PMI#N#Site Name with
 * PMI#N#MRN) into their encrypted fields (identifier.h). Its numeric dates
 * are mm-dd-yyyy unless the caller says otherwise. */
int ob_import_kind_parse(const char *word, ob_import_kind *kind);

/* Imports the CSV read from in (read to its end; not closed) as kind, in
 * one transaction. Returns 0 when every row was written; OB_EINVALID when a
 * row (or the header) is bad: rep->messages lists them and nothing was
 * written; OB_ERROR on an I/O or database failure (nothing written either);
 * OB_ERETRY when the database was busy. The last-error message is a one-line
 * summary ("FILE: 3 bad rows; nothing imported"). o may be NULL. */
int ob_import_csv(const ob_ctx *cx, ob_import_kind kind, FILE *in, const ob_import_opts *o,
                  ob_import_report *rep);

/* Corrects specimens from the CSV read from in, all or nothing in one
 * transaction, as ob_import_csv() imports them (docs/import.md,
 * "Corrections by CSV"): each row is one ob_specimen_correct() of the
 * specimen its barcode names, with its reason, of the fields whose cells
 * are not empty. The columns are barcode and reason (both required) and
 * the correctable fields (OB_F_FIX) under the create import's names; any
 * other known column refuses the file at its header. Returns and reports
 * as ob_import_csv() (rep->imported: the specimens corrected). */
int ob_import_corrections(const ob_ctx *cx, FILE *in, const ob_import_opts *o,
                          ob_import_report *rep);

/* Export formats. */
typedef enum ob_export_format {
	OB_EXPORT_CSV = 0,
	OB_EXPORT_JSON
} ob_export_format;

/* Writes every row of kind to out, streamed, ordered by id (so parents come
 * before their children), as CSV with the import's header or as a JSON
 * array of objects with the same keys. The study kinds follow the reader:
 * the studies ob_study_list() gives (by code; events by position), the
 * participants ob_study_participants() gives (by PPID); the other kinds
 * but specimens need a reader of the whole network. f filters specimens (NULL: all; it
 * is ignored for the other kinds). *count (may be NULL) receives the number
 * of rows. Returns 0, OB_ERROR when writing fails, or a store error. */
int ob_export(const ob_ctx *cx, ob_import_kind kind, const ob_specimen_filter *f,
              ob_export_format fmt, FILE *out, int64_t *count);

#endif
