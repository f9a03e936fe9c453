/*
 * csvimport_os.h - private to the CSV import: the participant part of an
 * OpenSpecimen master-specimen row (csvimport.c's "openspecimen" kind;
 * docs/import.md): the collection protocol, the participant and their
 * direct identifiers, settled before the row's specimen is created.
 */
#ifndef OB_CSVIMPORT_OS_H
#define OB_CSVIMPORT_OS_H

#include "bank/ctx.h"

#include <stdint.h>

#define OB_OS_PMI_MAX 4

/* One row's participant; NULL members were empty. */
typedef struct ob_os_participant {
	const char *study;        /* "CP Short Title": a study's code or exact title */
	const char *site;         /* the collection site's code (resolved by name) */
	const char *ppid;
	const char *sex;          /* as the donors import reads it */
	int birth_year;           /* 0: unknown */
	const char *registered;   /* "Registration Date", normalised; NULL: today */
	/* direct identifiers, each with the column it came from */
	const char *name, *name_col;
	const char *birth_date;   /* YYYY-MM-DD */
	const char *national_id;
	struct {
		const char *site;     /* the hospital's code (resolved by name) */
		const char *mrn;
		const char *col;      /* "PMI#1#MRN" */
	} pmi[OB_OS_PMI_MAX];
	/* out: the donor the row's specimen is collected from */
	char donor_site[64];
	char donor[72];
} ob_os_participant;

/* Finds the participant of study p->study by PPID, or enrols the donor
 * p->ppid of p->site (creating the donor, with p->sex and p->birth_year,
 * when the site has none of that code); without a study, the donor of
 * that code at p->site, created when missing. Then sets the direct
 * identifiers given (identifier.h), refusing with the column named when a
 * site has no key. Inside the import's transaction. */
int ob_os_participant_settle(const ob_ctx *cx, ob_os_participant *p);

#endif
