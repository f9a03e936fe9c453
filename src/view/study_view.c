/*
 * study_view.c - studies as JSON (see study_view.h).
 */
#include "view/study_view.h"
#include "view/view.h"
#include "base/error.h"

static int append(json_t *arr, json_t *item, const char *what)
{
	if (!item || json_array_append_new(arr, item) < 0)
		return ob_error_set(OB_ERROR, "%s: out of memory", what);
	return 0;
}

static json_t *words(const char *const *w, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < n; i++)
		if (json_array_append_new(a, ob_view_text(w[i])) < 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static json_t *events(const ob_study_full *f)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < f->nevents; i++) {
		const ob_study_event_full *e = &f->events[i];
		json_t *o = ob_view_record(ob_study_event_fields, &e->r, OB_F_ROW), *q = json_array();
		for (size_t j = 0; q && j < e->nreqs; j++)
			if (json_array_append_new(q, ob_view_record(ob_study_req_fields, &e->reqs[j],
					OB_F_ROW)) < 0) {
				json_decref(q);
				q = NULL;
			}
		if (!o || !q || json_object_set_new(o, "requirements", q) < 0
		    || json_array_append_new(a, o) < 0) {
			json_decref(o);
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *members(const ob_study_full *f)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < f->nmembers; i++)
		if (json_array_append_new(a, json_pack("{s:o,s:o}", "user",
				ob_view_text(f->members[i].user), "role",
				ob_view_text(f->members[i].role))) < 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

json_t *ob_view_study(const ob_study_full *f, bool full)
{
	json_t *o = ob_view_record(ob_study_fields, &f->r, OB_F_ROW);
	int bad = !o;

	bad = bad || json_object_set_new(o, "sites", words(f->sites, f->nsites)) < 0;
	bad = bad || json_object_set_new(o, "forms", words(f->forms, f->nforms)) < 0;
	if (full) {
		bad = bad || json_object_set_new(o, "events", events(f)) < 0;
		bad = bad || json_object_set_new(o, "members", members(f)) < 0;
	}
	bad = bad || json_object_set_new(o, "participants", json_integer(f->participants)) < 0;
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int ob_view_study_append(const ob_study_full *f, void *arr)
{
	return append(arr, ob_view_study(f, false), "studies");
}

json_t *ob_view_study_participant(const ob_study_participant *p)
{
	json_t *o = ob_view_record(ob_study_participant_fields, &p->r, OB_F_ROW);

	if (o && json_object_set_new(o, "withdrawn", json_boolean(p->withdrawn)) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int ob_view_study_participant_append(const ob_study_participant *p, void *arr)
{
	return append(arr, ob_view_study_participant(p), "participants");
}

json_t *ob_view_study_due(const ob_study_due *d)
{
	return json_pack("{s:o,s:o,s:o,s:o,s:o,s:s,s:o,s:o,s:I,s:I,s:I,s:o,s:o,s:o}",
		"ppid", ob_view_text(d->ppid), "site", ob_view_text(d->site), "donor",
		ob_view_text(d->donor), "event", ob_view_text(d->event), "event_label",
		ob_view_text(d->event_label), "due_on", d->due_on, "requirement",
		ob_view_text(d->requirement), "type", ob_view_text(d->type), "expected",
		(json_int_t)d->expected, "collected", (json_int_t)d->collected, "missing",
		(json_int_t)d->missing, "quantity", ob_view_real(d->quantity), "unit",
		ob_view_text(d->unit), "processing", ob_view_text(d->processing));
}

int ob_view_study_due_append(const ob_study_due *d, void *arr)
{
	return append(arr, ob_view_study_due(d), "due");
}

int ob_view_study_accrual_append(const ob_study_accrual_row *r, void *arr)
{
	return append(arr, json_pack("{s:o,s:o,s:I,s:I}", "site", ob_view_text(r->site), "event",
		ob_view_text(r->event), "planned", (json_int_t)r->planned, "collected",
		(json_int_t)r->collected), "rows");
}
