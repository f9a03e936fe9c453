/*
 * study_view.h - studies as JSON (jansson), the documents of the
 * /api/studies routes and of `oncobank study ... --json` (view.h's
 * conventions; docs/api.md, "Studies").
 */
#ifndef OB_STUDY_VIEW_H
#define OB_STUDY_VIEW_H

#include "bank/study.h"

#include <jansson.h>
#include <stdbool.h>

/* A study: {code, title, status, pi, ethics_ref, ethics_approved_on,
 * ethics_expires_on, ppid_format, sites: [codes], forms: [versions],
 * participants: N}, and when full also events: [{code, label, day,
 * position, requirements: [{code, type, pathology, anatomic_site, count,
 * quantity, unit, processing}]}] and members: [{user, role}]. */
json_t *ob_view_study(const ob_study_full *f, bool full);

/* An ob_study_cb appending the list form of each study to the JSON array
 * arr. */
int ob_view_study_append(const ob_study_full *f, void *arr);

/* A participant: {ppid, site, donor, enrolled_on, withdrawn}. */
json_t *ob_view_study_participant(const ob_study_participant *p);
int ob_view_study_participant_append(const ob_study_participant *p, void *arr);

/* A line of the worklist: {ppid, site, donor, event, event_label, due_on,
 * requirement, type, expected, collected, missing, quantity, unit,
 * processing}. */
json_t *ob_view_study_due(const ob_study_due *d);
int ob_view_study_due_append(const ob_study_due *d, void *arr);

/* A row of the accrual: {site, event, planned, collected}. */
int ob_view_study_accrual_append(const ob_study_accrual_row *r, void *arr);

#endif
