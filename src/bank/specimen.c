/*
 * specimen.c - specimens, aliquots and derivatives: creation with every
 * rule checked, status transitions, freeze-thaw cycles (see specimen.h).
 * Search and the full record are in specimen_query.c.
 */
#include "bank/specimen.h"
#include "bank/study.h"
#include "bank/specimen_rules.h"
#include "bank/access.h"
#include "bank/barcode.h"
#include "bank/container.h"
#include "bank/donor.h"
#include "bank/scope.h"
#include "bank/shipment.h"
#include "bank/site.h"
#include "base/error.h"
#include "base/util.h"
#include "store/store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SPECIMEN_COLS "SELECT s.id" OB_SPECIMEN_FIELDS(OB_RECORD_SQL) " FROM specimen s" \
	OB_SPECIMEN_JOINS

#define SP_ENTRY(name, kind, sql, flags) OB_RECORD_ENTRY(ob_specimen, name, kind, flags)
const ob_field ob_specimen_fields[] = { OB_SPECIMEN_FIELDS(SP_ENTRY) OB_RECORD_END };

const ob_audit_entity ob_specimen_audit = { "specimen",
	SPECIMEN_COLS " WHERE s.id = $1", SPECIMEN_COLS " ORDER BY s.id" };

const char *const ob_specimen_types[] = {
	"ffpe_block", "ffpe_slide", "fresh_frozen", "oct", "whole_blood", "plasma", "serum",
	"buffy_coat", "pbmc", "urine", "ascites", "pleural_fluid", "csf", "saliva", "dna", "rna",
	"cfdna", NULL
};

/* The class of each type above, in the same order. */
static const char *const type_class[] = {
	"tissue", "tissue", "tissue", "tissue", "blood", "blood", "blood", "blood", "blood",
	"fluid", "fluid", "fluid", "fluid", "fluid", "nucleic_acid", "nucleic_acid",
	"nucleic_acid",
};
_Static_assert(sizeof ob_specimen_types / sizeof ob_specimen_types[0]
	== sizeof type_class / sizeof type_class[0] + 1, "a class for every specimen type");

const char *const ob_specimen_statuses[] = {
	"available", "reserved", "in_transit", "distributed", "depleted", "destroyed", "missing",
	NULL
};

const char *const ob_specimen_pathologies[] = { "tumour", "normal", "unknown", NULL };
const char *const ob_specimen_lineages[] = { "primary", "aliquot", "derivative", NULL };

/* from -> allowed targets (docs/specimens.md). */
static const struct {
	const char *from;
	const char *to[7];
} transitions[] = {
	{ "available", { "reserved", "in_transit", "distributed", "depleted", "destroyed", "missing" } },
	{ "reserved", { "available", "in_transit", "distributed", "destroyed", "missing" } },
	{ "in_transit", { "available", "missing", "destroyed" } },
	{ "distributed", { "available" } },
	{ "missing", { "available", "destroyed" } },
	{ "depleted", { NULL } },
	{ "destroyed", { NULL } },
};

/* The units and the largest quantity each can measure for one specimen
 * (docs/specimens.md): a 24-hour urine collection is some litres, a tissue
 * resection some hundred grams; beyond these a figure is a typing error. */
static const struct {
	const char *unit;
	double max;
} units[] = {
	{ "ml", 1e4 }, { "ul", 1e7 }, { "l", 10 }, { "mg", 1e6 }, { "g", 1e3 }, { "ug", 1e9 },
	{ "ng", 1e12 }, { "block", 100 }, { "slide", 1000 }, { "cells", 1e12 }, { "tube", 100 },
};

bool ob_specimen_type_valid(const char *type)
{
	return ob_specimen_type_class(type) != NULL;
}

const char *ob_specimen_type_class(const char *type)
{
	for (size_t i = 0; type && ob_specimen_types[i]; i++)
		if (!strcmp(type, ob_specimen_types[i]))
			return type_class[i];
	return NULL;
}

const char *ob_specimen_type_list(void)
{
	return "ffpe_block, ffpe_slide, fresh_frozen, oct, whole_blood, plasma, serum, buffy_coat,"
	       " pbmc, urine, ascites, pleural_fluid, csf, saliva, dna, rna, cfdna";
}

bool ob_specimen_status_valid(const char *status)
{
	for (size_t i = 0; status && ob_specimen_statuses[i]; i++)
		if (!strcmp(status, ob_specimen_statuses[i]))
			return true;
	return false;
}

bool ob_specimen_transition_ok(const char *from, const char *to)
{
	for (size_t i = 0; i < sizeof transitions / sizeof transitions[0]; i++) {
		if (strcmp(from, transitions[i].from))
			continue;
		for (int j = 0; j < 7 && transitions[i].to[j]; j++)
			if (!strcmp(to, transitions[i].to[j]))
				return true;
		return false;
	}
	return false;
}

static bool unit_valid(const char *u)
{
	return ob_specimen_unit_max(u) > 0;
}

/* The units that measure each class of specimen (docs/specimens.md). */
static const struct {
	const char *klass, *units;
} class_units[] = {
	{ "tissue", "block slide mg g ug tube" },
	{ "blood", "ml ul l cells tube" },
	{ "fluid", "ml ul l cells tube" },
	{ "nucleic_acid", "ug ng ul ml tube" },
};

static const char *unit_words(const char *klass)
{
	for (size_t i = 0; klass && i < sizeof class_units / sizeof class_units[0]; i++)
		if (!strcmp(klass, class_units[i].klass))
			return class_units[i].units;
	return "";
}

static bool unit_fits(const char *klass, const char *unit)
{
	const char *w = unit_words(klass);
	size_t n = strlen(unit);

	for (const char *p = w; (p = strstr(p, unit)); p += n)
		if ((p == w || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

double ob_specimen_unit_max(const char *unit)
{
	for (size_t i = 0; unit && i < sizeof units / sizeof units[0]; i++)
		if (!strcmp(unit, units[i].unit))
			return units[i].max;
	return 0;
}

/* A measured amount named field: finite, not negative, zero only where
 * zero_ok, at most the unit's maximum. NaN is "not given". */
static int amount_check(const char *field, double v, const char *unit, bool zero_ok)
{
	double max = ob_specimen_unit_max(unit);

	if (isnan(v))
		return 0;
	if (!isfinite(v) || v < 0 || (v == 0 && !zero_ok))
		return ob_error_set(OB_EINVALID, "%s: %g is not a quantity (more than 0%s)", field, v,
			zero_ok ? ", or 0" : "");
	if (max > 0 && v > max)
		return ob_error_set(OB_EINVALID, "%s: %g %s is more than one specimen holds (at most"
			" %g %s)", field, v, unit, max, unit);
	return 0;
}

int ob_specimen_amount_rule(const char *type, double quantity, const char *unit)
{
	const char *klass = ob_specimen_type_class(type);
	int rc;

	if ((rc = amount_check("quantity", quantity, unit, false)) < 0)
		return rc;
	if (!isnan(quantity) && (!unit || !*unit))
		return ob_error_set(OB_EINVALID, "unit: a quantity needs a unit (ml, ul, mg, g, ug,"
			" ng, block, slide, cells, tube)");
	if (unit && *unit && !unit_valid(unit))
		return ob_error_set(OB_EINVALID, "unit: '%s' is not a unit (ml, ul, l, mg, g, ug, ng,"
			" block, slide, cells, tube)", unit);
	if (unit && *unit && klass && !unit_fits(klass, unit))
		return ob_error_set(OB_EINVALID, "unit: %s does not measure %s (a %s specimen: %s)",
			unit, type, klass, unit_words(klass));
	return 0;
}

void ob_specimen_new_init(ob_specimen_new *s)
{
	memset(s, 0, sizeof *s);
	ob_record_init(ob_specimen_fields, &s->r);
}

/* ---- text forms of the pre-analytical measurements ---- */

int ob_temp_band_parse(const char *s, ob_temp_band *out)
{
	if (!s || !*s)
		*out = OB_TEMP_UNKNOWN;
	else if (ob_streq_ci(s, "RT"))
		*out = OB_TEMP_RT;
	else if (!strcmp(s, "2-10"))
		*out = OB_TEMP_2_10;
	else if (!strcmp(s, "35-38"))
		*out = OB_TEMP_35_38;
	else if (ob_streq_ci(s, "other"))
		*out = OB_TEMP_OTHER;
	else
		return OB_EINVALID;
	return 0;
}

const char *ob_temp_band_text(ob_temp_band b)
{
	switch (b) {
	case OB_TEMP_RT: return "RT";
	case OB_TEMP_2_10: return "2-10";
	case OB_TEMP_35_38: return "35-38";
	case OB_TEMP_OTHER: return "other";
	default: return NULL;
	}
}

int ob_centrifugation_parse(const char *s, ob_centrifugation *c)
{
	char buf[96], *f[4], *save = NULL;
	int n = 0;

	c->done = -1;
	c->temp_c = NAN;
	c->minutes = c->g = -1;
	c->braking = -1;
	if (!s || !*s)
		return 0;
	if (ob_streq_ci(s, "none")) {
		c->done = 0;
		return 0;
	}
	if (!ob_strlcpy(buf, s, sizeof buf))
		return OB_EINVALID;
	for (char *p = buf; n < 4; n++) {
		f[n] = p;
		save = strchr(p, '/');
		if (!save) {
			n++;
			break;
		}
		*save = '\0';
		p = save + 1;
	}
	if (n != 4 || save)
		return OB_EINVALID;
	if (ob_parse_double(f[0], &c->temp_c) < 0 || ob_parse_double(f[1], &c->minutes) < 0
	    || ob_parse_double(f[2], &c->g) < 0 || c->minutes < 0 || c->g < 0)
		return OB_EINVALID;
	if (!strcmp(f[3], "brake"))
		c->braking = 1;
	else if (!strcmp(f[3], "nobrake"))
		c->braking = 0;
	else
		return OB_EINVALID;
	c->done = 1;
	return 0;
}

void ob_centrifugation_text(const ob_centrifugation *c, char *out, size_t n)
{
	if (c->done < 0)
		out[0] = '\0';
	else if (c->done == 0)
		snprintf(out, n, "none");
	else
		snprintf(out, n, "%g/%g/%g/%s", c->temp_c, c->minutes, c->g,
			c->braking ? "brake" : "nobrake");
}

bool ob_specimen_has_measurements(const ob_specimen *r)
{
	for (const ob_field *f = ob_specimen_fields; f->name; f++)
		if ((f->flags & OB_F_PRE) && !ob_field_unknown(f, r))
			return true;
	return false;
}

/* A duration of the record as ob_preanalytics has it: -1 unknown. */
static double minutes_of(double v)
{
	return isnan(v) ? -1 : v;
}

int ob_specimen_pre_parse(const ob_specimen *r, ob_preanalytics *p)
{
	ob_preanalytics_init(p);
	p->type = r->type;
	p->collection = r->collection;
	p->fixation = r->fixation;
	p->storage_vessel = r->vessel;
	p->warm_ischaemia_min = minutes_of(r->warm_ischaemia_min);
	p->cold_ischaemia_min = minutes_of(r->cold_ischaemia_min);
	p->fixation_min = minutes_of(r->fixation_min);
	p->precentrifugation_min = minutes_of(r->precentrifugation_min);
	p->postcentrifugation_min = minutes_of(r->postcentrifugation_min);
	if (ob_temp_band_parse(r->precentrifugation_temp, &p->precentrifugation_temp) < 0)
		return ob_error_set(OB_EINVALID, "precentrifugation_temp: '%s' is RT, 2-10 or"
			" 35-38", r->precentrifugation_temp);
	if (ob_temp_band_parse(r->postcentrifugation_temp, &p->postcentrifugation_temp) < 0)
		return ob_error_set(OB_EINVALID, "postcentrifugation_temp: '%s' is RT, 2-10 or 35-38",
			r->postcentrifugation_temp);
	if (ob_centrifugation_parse(r->centrifugation, &p->centrifugation) < 0)
		return ob_error_set(OB_EINVALID, "centrifugation: '%s' is TEMP/MIN/G/brake,"
			" TEMP/MIN/G/nobrake or none", r->centrifugation);
	if (ob_centrifugation_parse(r->second_centrifugation, &p->second_centrifugation) < 0)
		return ob_error_set(OB_EINVALID, "second_centrifugation: '%s' is"
			" TEMP/MIN/G/brake, TEMP/MIN/G/nobrake or none", r->second_centrifugation);
	return 0;
}

static double known(double minutes)
{
	return minutes >= 0 ? minutes : NAN;
}

void ob_specimen_pre_store(const ob_preanalytics *p, ob_specimen *w, ob_pre_text *t)
{
	w->collection = p->collection && *p->collection ? p->collection : NULL;
	w->vessel = p->storage_vessel && *p->storage_vessel ? p->storage_vessel : NULL;
	w->fixation = p->fixation && *p->fixation ? p->fixation : NULL;
	w->precentrifugation_temp = ob_temp_band_text(p->precentrifugation_temp);
	w->postcentrifugation_temp = ob_temp_band_text(p->postcentrifugation_temp);
	w->warm_ischaemia_min = known(p->warm_ischaemia_min);
	w->cold_ischaemia_min = known(p->cold_ischaemia_min);
	w->fixation_min = known(p->fixation_min);
	w->precentrifugation_min = known(p->precentrifugation_min);
	w->postcentrifugation_min = known(p->postcentrifugation_min);
	ob_centrifugation_text(&p->centrifugation, t->c1, sizeof t->c1);
	ob_centrifugation_text(&p->second_centrifugation, t->c2, sizeof t->c2);
	w->centrifugation = t->c1[0] ? t->c1 : NULL;
	w->second_centrifugation = t->c2[0] ? t->c2 : NULL;
}

/* ---- creation ---- */

typedef struct parent_info {
	int64_t id, site_id, donor_id;
	char type[32], unit[16], status[16], barcode[OB_BARCODE_MAX], sprec[40];
	char site[OB_SITE_CODE_MAX], donor[65], donor_site[OB_SITE_CODE_MAX];
	double quantity;
	bool withdrawn;  /* the donor's consent */
	char retired[32];  /* the parent's site retired on this day; "" in service */
	int64_t study_id, event_id;  /* its study and event (0: none), inherited */
	char study[65], event[65];
} parent_info;

/* A donor with a consent recorded gives material only when it permits
 * storage (consent.h's rule); a donor without one is as before consents
 * were recorded (imports fill them in later). */
static int storage_permitted(const ob_ctx *cx, int64_t donor_id, const char *parent)
{
	static const char *const sql =
		"SELECT d.consent_mask, CASE WHEN EXISTS (SELECT 1 FROM consent c"
		" WHERE c.donor_id = d.id) THEN 1 ELSE 0 END FROM donor d WHERE d.id = $1";
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	if ((rc = ob_stmt_bind_int(s, 1, donor_id)) == 0 && (rc = ob_stmt_step(s)) == OB_ROW)
		rc = ob_stmt_int(s, 1) && !(ob_stmt_int(s, 0) & OB_USE_STORAGE)
			? ob_error_set(OB_ECONFLICT, "donor: the consent of the donor%s%s does not"
				" permit storage: no new specimens or aliquots", parent ? " of " : "",
				parent ? parent : "")
			: 0;
	ob_stmt_reset(s);
	return rc < 0 ? rc : 0;
}

/* The parent named barcode, which the actor takes material from: within
 * their scope, or as if it did not exist (scope.h). */
static int load_parent(const ob_ctx *cx, const char *barcode, parent_info *p)
{
	static const char *const sql =
		"SELECT s.id, s.site_id, s.donor_id, s.type, s.unit, s.status, s.quantity, s.sprec,"
		" st.code, d.code, ds.code, d.withdrawn, st.retired, s.study_id, y.code, s.event_id,"
		" e.code FROM specimen s JOIN site st ON st.id = s.site_id"
		" JOIN donor d ON d.id = s.donor_id JOIN site ds ON ds.id = d.site_id"
		" LEFT JOIN study y ON y.id = s.study_id LEFT JOIN study_event e ON e.id = s.event_id"
		" WHERE s.id = $1";
	int64_t id;
	ob_stmt *s;
	int rc;

	if ((rc = ob_scope_specimen(cx, OB_ACT_SPECIMEN, "parent_barcode", barcode, &id)) < 0)
		return rc == OB_ENOTFOUND ? ob_error_set(OB_EINVALID, "%s", ob_error_last()) : rc;
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, id);
	rc = ob_stmt_step(s);
	if (rc == OB_ROW) {
		p->id = ob_stmt_int(s, 0);
		p->site_id = ob_stmt_int(s, 1);
		p->donor_id = ob_stmt_int(s, 2);
		ob_strlcpy(p->type, ob_stmt_text(s, 3), sizeof p->type);
		ob_strlcpy(p->unit, ob_stmt_text(s, 4) ? ob_stmt_text(s, 4) : "", sizeof p->unit);
		ob_strlcpy(p->status, ob_stmt_text(s, 5), sizeof p->status);
		p->quantity = ob_stmt_double(s, 6);
		ob_strlcpy(p->sprec, ob_stmt_text(s, 7) ? ob_stmt_text(s, 7) : "", sizeof p->sprec);
		ob_strlcpy(p->barcode, barcode, sizeof p->barcode);
		ob_strlcpy(p->site, ob_stmt_text(s, 8), sizeof p->site);
		ob_strlcpy(p->donor, ob_stmt_text(s, 9), sizeof p->donor);
		ob_strlcpy(p->donor_site, ob_stmt_text(s, 10), sizeof p->donor_site);
		p->withdrawn = ob_stmt_int(s, 11) != 0;
		ob_strlcpy(p->retired, ob_stmt_is_null(s, 12) ? "" : ob_stmt_text(s, 12),
			sizeof p->retired);
		p->study_id = ob_stmt_is_null(s, 13) ? 0 : ob_stmt_int(s, 13);
		ob_strlcpy(p->study, p->study_id ? ob_stmt_text(s, 14) : "", sizeof p->study);
		p->event_id = ob_stmt_is_null(s, 15) ? 0 : ob_stmt_int(s, 15);
		ob_strlcpy(p->event, p->event_id ? ob_stmt_text(s, 16) : "", sizeof p->event);
		rc = 0;
	} else if (rc == 0) {
		rc = ob_error_set(OB_EINVALID, "parent_barcode: no specimen has barcode '%s'", barcode);
	}
	ob_stmt_reset(s);
	return rc;
}

/* Takes used from the parent's quantity (depleting it at zero) and counts a
 * thaw if asked; audited as one change of the parent. */
static int take_from_parent(const ob_ctx *cx, const parent_info *p, double used, bool thawed)
{
	static const char *const upd =
		"UPDATE specimen SET quantity = $2, status = $3,"
		" freeze_thaw = freeze_thaw + $4,"
		" container_id = CASE WHEN $3 = 'depleted' THEN NULL ELSE container_id END,"
		" position = CASE WHEN $3 = 'depleted' THEN NULL ELSE position END WHERE id = $1";
	ob_buf before = OB_BUF_INIT;
	double left = p->quantity;
	const char *status = p->status;
	ob_stmt *s;
	int rc;

	if (!(used > 0) && !thawed)
		return 0;
	if (used > 0) {
		if (isnan(left))
			return ob_error_set(OB_EINVALID, "parent_used: parent %s has no recorded quantity"
				" to take %g from", p->barcode, used);
		if (used > left * (1 + 1e-9) + 1e-12)
			return ob_error_set(OB_ECONFLICT, "quantity: parent %s has only %g %s left,"
				" %g %s asked", p->barcode, left, p->unit, used, p->unit);
		left -= used;
		if (left <= fabs(p->quantity) * 1e-9) {
			left = 0;
			status = "depleted";
		}
	}
	if ((rc = ob_audit_encode(cx, &ob_specimen_audit, p->id, &before)) < 0)
		goto out;
	if ((rc = ob_store_prepare(cx->st, upd, &s)) < 0)
		goto out;
	ob_stmt_bind_int(s, 1, p->id);
	ob_stmt_bind_double_or_null(s, 2, left);
	ob_stmt_bind_text(s, 3, status);
	ob_stmt_bind_int(s, 4, thawed ? 1 : 0);
	if ((rc = ob_stmt_exec(s)) < 0)
		goto out;
	rc = ob_audit_record(cx, &ob_specimen_audit, used > 0 ? "portion-taken" : "thaw", p->id,
		p->barcode, ob_buf_cstr(&before));
out:
	ob_buf_dispose(&before);
	return rc;
}

static int next_barcode(const ob_ctx *cx, char out[OB_BARCODE_MAX])
{
	static const char *const sql = "SELECT COALESCE(MAX(id), 0) FROM specimen";
	static const char *const taken = "SELECT 1 FROM specimen WHERE barcode = $1";
	ob_stmt *s;
	int64_t serial = 0;
	int rc;

	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	if ((rc = ob_stmt_step(s)) == OB_ROW)
		serial = ob_stmt_int(s, 0) + 1;
	ob_stmt_reset(s);
	if (rc < 0)
		return rc;
	for (;; serial++) {
		if ((rc = ob_barcode_make("OB", serial, out)) < 0)
			return rc;
		if ((rc = ob_store_prepare(cx->st, taken, &s)) < 0)
			return rc;
		ob_stmt_bind_text(s, 1, out);
		rc = ob_stmt_step(s);
		ob_stmt_reset(s);
		if (rc == 0)
			return 0;
		if (rc < 0)
			return rc;
	}
}

/* A pre-analytical duration in minutes: -1 (the readers' "unknown") or NaN,
 * else 0 to a year; another negative figure is a typing error, not an
 * unknown. */
static int duration_check(const char *field, double min)
{
	if (isnan(min) || min == -1 || (min >= 0 && min <= 525600))
		return 0;
	return ob_error_set(OB_EINVALID, "%s: %g minutes is not a duration (0 to 525600)", field,
		min);
}

int ob_specimen_check_fields(const ob_specimen_new *in)
{
	const char *klass = ob_specimen_type_class(in->type);
	int rc;

	if (!in->type || !*in->type)
		return ob_error_set(OB_EINVALID, "type: the specimen type is required");
	if (!klass)
		return ob_error_set(OB_EINVALID, "type: '%s' is not a specimen type (%s)", in->type,
			ob_specimen_type_list());
	if (in->barcode && *in->barcode && ob_barcode_validate(in->barcode) < 0)
		return OB_EINVALID;
	if (in->pathology && *in->pathology && strcmp(in->pathology, "tumour")
	    && strcmp(in->pathology, "normal") && strcmp(in->pathology, "unknown"))
		return ob_error_set(OB_EINVALID, "pathology: '%s' is not tumour, normal or unknown",
			in->pathology);
	if (!isnan(in->tumour_pct)) {
		if (in->tumour_pct < 0 || in->tumour_pct > 100)
			return ob_error_set(OB_EINVALID, "tumour_pct: %g is not a percentage (0 to 100)",
				in->tumour_pct);
		if (!in->pathology || strcmp(in->pathology, "tumour"))
			return ob_error_set(OB_EINVALID, "tumour_pct: given for a specimen whose pathology"
				" is not tumour");
	}
	/* Zero is a quantity only for what is gone (a depleted or distributed
	 * specimen brought in by an import). */
	const char *fin = in->final_status ? in->final_status : in->status;

	if ((rc = amount_check("quantity", in->quantity, in->unit, fin
			&& (!strcmp(fin, "depleted") || !strcmp(fin, "distributed")
			    || !strcmp(fin, "destroyed")))) < 0
	    || (rc = amount_check("initial_quantity", in->initial_quantity, in->unit, false)) < 0
	    || (rc = amount_check("parent_used", in->parent_used, NULL, true)) < 0)
		return rc;
	if (!isnan(in->initial_quantity) && (isnan(in->quantity) || in->initial_quantity < in->quantity))
		return ob_error_set(OB_EINVALID, "initial_quantity: %g is less than the quantity left"
			" (%g), or no quantity is given", in->initial_quantity, in->quantity);
	if (!isnan(in->quantity) && (!in->unit || !*in->unit))
		return ob_error_set(OB_EINVALID, "unit: a quantity needs a unit (ml, ul, mg, g, ug,"
			" ng, block, slide, cells, tube)");
	if (in->unit && *in->unit && !unit_valid(in->unit))
		return ob_error_set(OB_EINVALID, "unit: '%s' is not a unit (ml, ul, l, mg, g, ug, ng,"
			" block, slide, cells, tube)", in->unit);
	if (in->unit && *in->unit && !unit_fits(klass, in->unit))
		return ob_error_set(OB_EINVALID, "unit: %s does not measure %s (a %s specimen: %s)",
			in->unit, in->type, klass, unit_words(klass));
	if (in->status && *in->status && !ob_specimen_status_valid(in->status))
		return ob_error_set(OB_EINVALID, "status: '%s' is not a status (available, reserved,"
			" in_transit, distributed, depleted, destroyed, missing)", in->status);
	if (in->freeze_thaw < 0)
		return ob_error_set(OB_EINVALID, "freeze_thaw: %lld is negative",
			(long long)in->freeze_thaw);
	if (in->lineage && *in->lineage && strcmp(in->lineage, "primary")
	    && strcmp(in->lineage, "aliquot") && strcmp(in->lineage, "derivative"))
		return ob_error_set(OB_EINVALID, "lineage: '%s' is not primary, aliquot or derivative",
			in->lineage);
	if (in->position && *in->position && !(in->container && *in->container))
		return ob_error_set(OB_EINVALID, "position: given without a container");
	if (in->container && *in->container && !(in->position && *in->position))
		return ob_error_set(OB_EINVALID, "position: a specimen in container %s needs a"
			" position", in->container);
	if (!isnan(in->a260_280) && (in->a260_280 <= 0 || in->a260_280 > 5))
		return ob_error_set(OB_EINVALID, "a260_280: %g is not a plausible ratio", in->a260_280);
	if (!isnan(in->rin) && (in->rin < 1 || in->rin > 10))
		return ob_error_set(OB_EINVALID, "rin: %g is outside 1 to 10", in->rin);
	if (!isnan(in->din) && (in->din < 1 || in->din > 10))
		return ob_error_set(OB_EINVALID, "din: %g is outside 1 to 10", in->din);
	if (!isnan(in->concentration) && in->concentration < 0)
		return ob_error_set(OB_EINVALID, "concentration: %g is negative", in->concentration);
	if (!isnan(in->concentration) && in->concentration > 1e5)
		return ob_error_set(OB_EINVALID, "concentration: %g ng/ul is not a plausible"
			" concentration (at most 100000)", in->concentration);
	if ((rc = duration_check("warm_ischaemia_min", in->warm_ischaemia_min)) < 0
	    || (rc = duration_check("cold_ischaemia_min", in->cold_ischaemia_min)) < 0
	    || (rc = duration_check("fixation_min", in->fixation_min)) < 0
	    || (rc = duration_check("precentrifugation_min", in->precentrifugation_min)) < 0
	    || (rc = duration_check("postcentrifugation_min", in->postcentrifugation_min)) < 0)
		return rc;
	return 0;
}

/* 0 when pos of the box is free; the holder is named only when the actor
 * may see it (scope.h). */
static int position_free(const ob_ctx *cx, int64_t container_id, const char *pos,
                         const char *container)
{
	char who[OB_BARCODE_MAX];
	int rc = ob_scope_occupant(cx, container_id, pos, 0, who, sizeof who);

	if (rc > 0)
		rc = ob_error_set(OB_ECONFLICT, "position: %s of %s is taken%s%s", pos, container,
			*who ? " by " : "", who);
	return rc;
}

int ob_specimen_pre_insert(const ob_ctx *cx, int64_t id, const ob_specimen *w)
{
	static const char *const sql =
		"INSERT INTO preanalytics (specimen_id, collection, vessel, warm_ischaemia_min,"
		" cold_ischaemia_min, fixation, fixation_min, precentrifugation_min,"
		" precentrifugation_temp, centrifugation, second_centrifugation,"
		" postcentrifugation_min, postcentrifugation_temp)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, id);
	ob_stmt_bind_text(s, 2, w->collection);
	ob_stmt_bind_text(s, 3, w->vessel);
	ob_stmt_bind_double_or_null(s, 4, w->warm_ischaemia_min);
	ob_stmt_bind_double_or_null(s, 5, w->cold_ischaemia_min);
	ob_stmt_bind_text(s, 6, w->fixation);
	ob_stmt_bind_double_or_null(s, 7, w->fixation_min);
	ob_stmt_bind_double_or_null(s, 8, w->precentrifugation_min);
	ob_stmt_bind_text(s, 9, w->precentrifugation_temp);
	ob_stmt_bind_text(s, 10, w->centrifugation);
	ob_stmt_bind_text(s, 11, w->second_centrifugation);
	ob_stmt_bind_double_or_null(s, 12, w->postcentrifugation_min);
	ob_stmt_bind_text(s, 13, w->postcentrifugation_temp);
	return ob_stmt_exec(s);
}

/* The canonical audit row of a record as written (ob_specimen_audit's
 * one_sql reads the same fields back; audit verify checks the two agree,
 * and building it from the values just written saves reading the row back
 * through six joins on every creation). */
static int specimen_row(const ob_ctx *cx, const ob_specimen *w, ob_buf *out)
{
	ob_audit_row_begin(out);
	ob_record_audit_row(cx, ob_specimen_fields, w, out);
	return ob_audit_row_end(out);
}

int ob_specimen_settle_sprec(const ob_ctx *cx, const ob_specimen *r, const ob_preanalytics *pre,
                             const char *inherited, int64_t container_id, char out[64])
{
	int rc;

	out[0] = '\0';
	if (pre) {
		ob_preanalytics p = *pre;
		double temp = NAN;

		if (container_id && (rc = ob_container_temperature(cx, container_id, &temp)) < 0)
			return rc;
		p.storage_temp_c = temp;
		if ((rc = ob_sprec_compute(&p, out, 64)) < 0)
			return rc;
		if (r->sprec && *r->sprec && strcmp(r->sprec, out))
			return ob_error_set(OB_EINVALID, "sprec: '%s' disagrees with %s computed from the"
				" recorded pre-analytical times, temperatures and containers",
				r->sprec, out);
		return 0;
	}
	if (r->sprec && *r->sprec) {
		if ((rc = ob_sprec_check(r->sprec, NULL)) < 0)
			return ob_error_set(rc, "sprec: %s", ob_error_last());
		ob_strlcpy(out, r->sprec, 64);
		return 0;
	}
	if (inherited)
		ob_strlcpy(out, inherited, 64);
	return 0;
}

static bool given(const char *v)
{
	return v && *v;
}

/* The study, event and requirement of a new specimen (study.h): named for
 * a primary specimen collected in a study, which must accept it that day;
 * inherited by an aliquot or derivative from its parent (par), which may
 * name them only as they are. Ids 0: none. */
static int study_settle(const ob_ctx *cx, const ob_specimen_new *in, const parent_info *par,
                        int64_t donor_id, const char *day, int64_t *study_id, int64_t *event_id,
                        int64_t *req_id, char codes[2][65])
{
	*study_id = *event_id = *req_id = 0;
	if (par) {
		if (given(in->requirement))
			return ob_error_set(OB_EINVALID, "requirement: an aliquot or derivative is not"
				" collected for a requirement (its parent %s is)", par->barcode);
		if (given(in->study) && strcmp(in->study, par->study))
			return ob_error_set(OB_EINVALID, "study: an aliquot or derivative belongs to"
				" its parent's study (%s)", par->study[0] ? par->study : "none");
		if (given(in->event) && strcmp(in->event, par->event))
			return ob_error_set(OB_EINVALID, "event: an aliquot or derivative belongs to"
				" its parent's event (%s)", par->event[0] ? par->event : "none");
		*study_id = par->study_id;
		*event_id = par->event_id;
		ob_strlcpy(codes[0], par->study, 65);
		ob_strlcpy(codes[1], par->event, 65);
		return 0;
	}
	if (!given(in->study)) {
		if (given(in->event) || given(in->requirement))
			return ob_error_set(OB_EINVALID, "study: an %s is one of a study's: name the"
				" study", given(in->event) ? "event" : "requirement");
		return 0;
	}
	return ob_study_collect_check(cx, in->study, in->event, in->requirement, in->type, donor_id,
		day, study_id, event_id, req_id, codes[0], codes[1]);
}

int ob_specimen_create(const ob_ctx *cx, const ob_specimen_new *in, int64_t *id_out,
                       char *barcode_out)
{
	static const char *const ins =
		"INSERT INTO specimen (barcode, label, site_id, donor_id, parent_id, lineage, type,"
		" anatomic_site, pathology, tumour_pct, quantity, initial_quantity, unit, collected_at,"
		" sprec, status, freeze_thaw, container_id, position, concentration, a260_280, rin, din,"
		" created_at, study_id, event_id, requirement_id) VALUES ($1, $2, $3, $4, $5, $6, $7,"
		" $8, $9, $10, $11, $24, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23,"
		" $25, $26, $27)";
	parent_info par;
	bool has_parent = in->parent && *in->parent;
	char barcode[OB_BARCODE_MAX], pos[OB_POSITION_MAX], sprec[64], collected[OB_TIME_LEN];
	char now[OB_TIME_LEN];
	const char *lineage, *status = in->status && *in->status ? in->status : "available";
	const char *dsite = NULL;
	int64_t site_id = 0, donor_id = 0, container_id = 0, id = 0;
	int64_t study_id = 0, event_id = 0, req_id = 0;
	char codes[2][65] = { "", "" };  /* the study's and the event's code */
	ob_buf after = OB_BUF_INIT;
	ob_specimen w;
	ob_preanalytics pre;
	ob_pre_text pt;
	ob_stmt *s;
	int rc;
	bool withdrawn = false, measured = !has_parent && ob_specimen_has_measurements(&in->r);

	if ((rc = ob_specimen_check_fields(in)) < 0)
		return rc;
	if (measured && (rc = ob_specimen_pre_parse(&in->r, &pre)) < 0)
		return rc;
	if (in->collected_at && *in->collected_at
	    && ob_time_parse(in->collected_at, collected, NULL) < 0)
		return ob_error_set(OB_EINVALID, "collected_at: '%s' is not an ISO 8601 time"
			" (YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]Z)", in->collected_at);
	ob_time_now(now);
	if ((rc = ob_store_begin(cx->st)) < 0)
		return rc;

	if (has_parent) {
		if ((rc = load_parent(cx, in->parent, &par)) < 0)
			goto out;
		if (strcmp(par.status, "available") && strcmp(par.status, "reserved")) {
			rc = ob_error_set(OB_ECONFLICT, "parent_barcode: parent %s is %s; only available"
				" or reserved material can be aliquoted", par.barcode, par.status);
			goto out;
		}
		lineage = in->lineage && *in->lineage ? in->lineage
			: !strcmp(par.type, in->type) ? "aliquot" : "derivative";
		if (!strcmp(lineage, "primary")) {
			rc = ob_error_set(OB_EINVALID, "lineage: a specimen with a parent is not primary");
			goto out;
		}
		if (!strcmp(lineage, "aliquot") && strcmp(par.type, in->type)) {
			rc = ob_error_set(OB_EINVALID, "lineage: an aliquot has its parent's type (%s),"
				" not %s", par.type, in->type);
			goto out;
		}
		donor_id = par.donor_id;
		withdrawn = par.withdrawn;
		site_id = par.site_id;
	} else {
		lineage = "primary";
		if (in->lineage && *in->lineage && strcmp(in->lineage, "primary")) {
			rc = ob_error_set(OB_EINVALID, "parent_barcode: an %s needs a parent", in->lineage);
			goto out;
		}
		if (!in->site || !*in->site) {
			rc = ob_error_set(OB_EINVALID, "site: the collecting site is required");
			goto out;
		}
		if (!in->donor || !*in->donor) {
			rc = ob_error_set(OB_EINVALID, "donor: the donor code is required");
			goto out;
		}
	}
	/* Every record named is resolved within the actor's scope: sites
	 * openly (OB_EPERM), records as if absent (scope.h). */
	if (in->site && *in->site
	    && (rc = ob_scope_site(cx, OB_ACT_SPECIMEN, "site", in->site, &site_id, NULL)) < 0) {
		if (rc == OB_ENOTFOUND)
			rc = ob_error_set(OB_EINVALID, "%s", ob_error_last());
		goto out;
	}
	if (in->donor && *in->donor) {
		int64_t did;
		bool own_site = in->donor_site && *in->donor_site;
		dsite = own_site ? in->donor_site : in->site;
		if (!dsite) {
			rc = ob_error_set(OB_EINVALID, "donor_site: needed to find donor '%s'", in->donor);
			goto out;
		}
		if ((rc = ob_scope_donor(cx, OB_ACT_SPECIMEN, own_site ? "donor_site" : "site", dsite,
				in->donor, &did, &withdrawn)) < 0) {
			if (rc == OB_ENOTFOUND)
				rc = ob_error_set(OB_EINVALID, "%s", ob_error_last());
			goto out;
		}
		if (has_parent && did != donor_id) {
			rc = ob_error_set(OB_EINVALID, "donor: '%s' is not the donor of parent %s",
				in->donor, par.barcode);
			goto out;
		}
		donor_id = did;
	}
	if ((rc = ob_access_check_site_id(cx, OB_ACT_SPECIMEN, site_id)) < 0)
		goto out;
	/* an aliquot or derivative is created at its parent's site, which the
	 * site lookup above did not see when no site was named (the parent's
	 * lookup read its site's retirement) */
	if (has_parent && !(in->site && *in->site) && par.retired[0]) {
		rc = ob_site_retired_error("parent_barcode", par.site, par.retired);
		goto out;
	}
	if (in->collected_at && *in->collected_at
	    && (rc = ob_donor_date_check(cx, donor_id, "collected_at", collected)) < 0)
		goto out;
	/* The donor's consent came with the donor (or the parent's donor). */
	if (withdrawn) {
		rc = ob_error_set(OB_ECONFLICT, "donor: the donor%s%s withdrew consent: no new"
			" specimens or aliquots", has_parent ? " of " : "", has_parent ? par.barcode : "");
		goto out;
	}
	if ((rc = storage_permitted(cx, donor_id, has_parent ? par.barcode : NULL)) < 0)
		goto out;
	if ((rc = study_settle(cx, in, has_parent ? &par : NULL, donor_id,
			in->collected_at && *in->collected_at ? collected : now, &study_id, &event_id,
			&req_id, codes)) < 0)
		goto out;
	if (in->container && *in->container) {
		ob_container_info box;
		if ((rc = ob_scope_container(cx, OB_ACT_SPECIMEN, "container", in->container, &box)) < 0
		    || (rc = ob_box_position(&box, in->position, pos)) < 0)
			goto out;
		container_id = box.id;
		if ((rc = position_free(cx, container_id, pos, in->container)) < 0)
			goto out;
	}
	if ((rc = ob_specimen_settle_sprec(cx, &in->r, measured ? &pre : NULL, has_parent ? par.sprec : NULL,
			container_id, sprec)) < 0)
		goto out;
	if (has_parent) {
		double used = in->parent_used;
		if (isnan(used))
			used = !strcmp(lineage, "aliquot") ? in->quantity : 0;
		if (!isnan(used) && used > 0 && !strcmp(lineage, "aliquot") && in->unit && par.unit[0]
		    && strcmp(in->unit, par.unit) && isnan(in->parent_used)) {
			rc = ob_error_set(OB_EINVALID, "unit: aliquot in %s from a parent measured in %s;"
				" give parent_used in %s", in->unit, par.unit, par.unit);
			goto out;
		}
		if ((rc = take_from_parent(cx, &par, isnan(used) ? 0 : used, in->parent_thawed)) < 0)
			goto out;
	}
	if (in->barcode && *in->barcode)
		ob_strlcpy(barcode, in->barcode, sizeof barcode);
	else if ((rc = next_barcode(cx, barcode)) < 0)
		goto out;

	/* The row as written: bound below, and encoded for the audit event. */
	ob_record_init(ob_specimen_fields, &w);
	w.barcode = barcode;
	w.label = in->label && *in->label ? in->label : NULL;
	w.site = in->site && *in->site ? in->site : par.site;
	w.donor = in->donor && *in->donor ? in->donor : par.donor;
	w.donor_site = dsite ? dsite : par.donor_site;
	w.type = in->type;
	w.parent = has_parent ? par.barcode : NULL;
	w.lineage = lineage;
	w.anatomic_site = in->anatomic_site && *in->anatomic_site ? in->anatomic_site : NULL;
	w.pathology = in->pathology && *in->pathology ? in->pathology : "unknown";
	w.tumour_pct = in->tumour_pct;
	w.quantity = in->quantity;
	w.initial_quantity = isnan(in->initial_quantity) ? in->quantity : in->initial_quantity;
	w.unit = in->unit && *in->unit ? in->unit : NULL;
	w.collected_at = in->collected_at && *in->collected_at ? collected : has_parent ? now : NULL;
	w.sprec = sprec[0] ? sprec : NULL;
	w.status = status;
	w.freeze_thaw = in->freeze_thaw;
	w.container = container_id ? in->container : NULL;
	w.position = container_id ? pos : NULL;
	w.concentration = in->concentration;
	w.a260_280 = in->a260_280;
	w.rin = in->rin;
	w.din = in->din;
	if (measured)
		ob_specimen_pre_store(&pre, &w, &pt);
	w.study = study_id ? codes[0] : NULL;
	w.event = event_id ? codes[1] : NULL;
	w.requirement = req_id ? in->requirement : NULL;

	if ((rc = ob_store_prepare(cx->st, ins, &s)) < 0)
		goto out;
	ob_stmt_bind_text(s, 1, w.barcode);
	ob_stmt_bind_text(s, 2, w.label);
	ob_stmt_bind_int(s, 3, site_id);
	ob_stmt_bind_int(s, 4, donor_id);
	if (has_parent)
		ob_stmt_bind_int(s, 5, par.id);
	ob_stmt_bind_text(s, 6, w.lineage);
	ob_stmt_bind_text(s, 7, w.type);
	ob_stmt_bind_text(s, 8, w.anatomic_site);
	ob_stmt_bind_text(s, 9, w.pathology);
	ob_stmt_bind_double_or_null(s, 10, w.tumour_pct);
	ob_stmt_bind_double_or_null(s, 11, w.quantity);
	ob_stmt_bind_text(s, 12, w.unit);
	ob_stmt_bind_text(s, 13, w.collected_at);
	ob_stmt_bind_text(s, 14, w.sprec);
	ob_stmt_bind_text(s, 15, w.status);
	ob_stmt_bind_int(s, 16, w.freeze_thaw);
	if (container_id) {
		ob_stmt_bind_int(s, 17, container_id);
		ob_stmt_bind_text(s, 18, w.position);
	}
	ob_stmt_bind_double_or_null(s, 19, w.concentration);
	ob_stmt_bind_double_or_null(s, 20, w.a260_280);
	ob_stmt_bind_double_or_null(s, 21, w.rin);
	ob_stmt_bind_double_or_null(s, 22, w.din);
	ob_stmt_bind_text(s, 23, now);
	ob_stmt_bind_double_or_null(s, 24, w.initial_quantity);
	if (study_id) {
		ob_stmt_bind_int(s, 25, study_id);
		ob_stmt_bind_int(s, 26, event_id);
	}
	if (req_id)
		ob_stmt_bind_int(s, 27, req_id);
	rc = ob_stmt_insert(s, &id);
	if (rc == OB_EEXISTS)
		rc = ob_error_set(OB_EEXISTS, "barcode: %s exists already", barcode);
	if (rc < 0)
		goto out;
	if (measured && (rc = ob_specimen_pre_insert(cx, id, &w)) < 0)
		goto out;
	if ((rc = specimen_row(cx, &w, &after)) < 0)
		goto out;
	rc = ob_audit_append(cx, "create", ob_specimen_audit.name, id, barcode, NULL,
		ob_buf_cstr(&after));
out:
	ob_buf_dispose(&after);
	if (rc < 0) {
		ob_store_rollback(cx->st);
		return rc;
	}
	if ((rc = ob_store_commit(cx->st)) < 0)
		return rc;
	if (id_out)
		*id_out = id;
	if (barcode_out)
		ob_strlcpy(barcode_out, barcode, OB_BARCODE_MAX);
	return 0;
}

int ob_specimen_check(const ob_ctx *cx, int act, int64_t id)
{
	static const char *const sql = "SELECT site_id FROM specimen WHERE id = $1";
	ob_stmt *s;
	int64_t site_id = 0;
	int rc;

	if (cx->role == 0)
		return 0;
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, id);
	rc = ob_stmt_step(s);
	if (rc == OB_ROW)
		site_id = ob_stmt_int(s, 0);
	ob_stmt_reset(s);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return ob_error_set(OB_ENOTFOUND, "specimen %lld not found", (long long)id);
	return ob_access_check_site_id(cx, (ob_action)act, site_id);
}

int ob_specimen_parent_type(const ob_ctx *cx, const char *barcode, char *type, size_t n)
{
	static const char *const sql = "SELECT type FROM specimen WHERE id = $1";
	int64_t id;
	ob_stmt *s;
	int rc;

	if ((rc = ob_scope_specimen(cx, OB_ACT_SPECIMEN, NULL, barcode, &id)) < 0
	    || (rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, id);
	rc = ob_stmt_step(s);
	if (rc == OB_ROW) {
		ob_strlcpy(type, ob_stmt_text(s, 0), n);
		rc = 0;
	} else if (rc == 0) {
		rc = ob_error_set(OB_ENOTFOUND, "no specimen has barcode '%s'", barcode);
	}
	ob_stmt_reset(s);
	return rc;
}

int ob_specimen_id(const ob_ctx *cx, const char *barcode, int64_t *id)
{
	return ob_scope_specimen(cx, OB_ACT_READ, NULL, barcode, id);
}

int ob_specimen_set_status(const ob_ctx *cx, const char *barcode, const char *status,
                           const char *reason)
{
	static const char *const cur =
		"SELECT s.id, s.status, d.withdrawn, s.site_id, d.consent_mask, CASE WHEN EXISTS"
		" (SELECT 1 FROM consent c WHERE c.donor_id = d.id) THEN 1 ELSE 0 END FROM specimen s"
		" JOIN donor d ON d.id = s.donor_id WHERE s.id = $1";
	static const char *const upd =
		"UPDATE specimen SET status = $2, container_id = CASE WHEN $3 = 1 THEN NULL"
		" ELSE container_id END, position = CASE WHEN $3 = 1 THEN NULL ELSE position END"
		" WHERE id = $1";
	ob_buf before = OB_BUF_INIT;
	char from[16] = "", action[48];
	ob_ctx rcx;
	int64_t id = 0, site_id = 0;
	int withdrawn = 0, leaves_storage, mask = 0, consented = 0;
	ob_stmt *s;
	int rc;

	if (!ob_specimen_status_valid(status))
		return ob_error_set(OB_EINVALID, "status: '%s' is not a status (available, reserved,"
			" in_transit, distributed, depleted, destroyed, missing)", status ? status : "");
	if ((rc = ob_store_begin(cx->st)) < 0)
		return rc;
	if ((rc = ob_scope_specimen(cx, OB_ACT_SPECIMEN, NULL, barcode, &id)) < 0
	    || (rc = ob_store_prepare(cx->st, cur, &s)) < 0)
		goto out;
	ob_stmt_bind_int(s, 1, id);
	rc = ob_stmt_step(s);
	if (rc == OB_ROW) {
		ob_strlcpy(from, ob_stmt_text(s, 1), sizeof from);
		withdrawn = (int)ob_stmt_int(s, 2);
		site_id = ob_stmt_int(s, 3);
		mask = (int)ob_stmt_int(s, 4);
		consented = (int)ob_stmt_int(s, 5);
		rc = 0;
	} else if (rc == 0) {
		rc = ob_error_set(OB_ENOTFOUND, "no specimen has barcode '%s'", barcode);
	}
	ob_stmt_reset(s);
	if (rc < 0)
		goto out;
	if ((rc = ob_access_check_site_id(cx, OB_ACT_SPECIMEN, site_id)) < 0)
		goto out;
	/* material on its way changes status only through its receipt */
	if (!strcmp(from, "in_transit")
	    && (rc = ob_shipment_specimen_home(cx, "status", id, barcode)) < 0)
		goto out;
	if (!ob_specimen_transition_ok(from, status)) {
		rc = ob_error_set(OB_ECONFLICT, "status: %s cannot go from %s to %s", barcode, from, status);
		goto out;
	}
	if (withdrawn && (!strcmp(status, "distributed") || !strcmp(status, "reserved"))) {
		rc = ob_error_set(OB_ECONFLICT, "status: the donor of %s withdrew consent; it cannot"
			" be %s", barcode, status);
		goto out;
	}
	/* the donor's statements must permit research (consent.h's rule) */
	if (consented && !(mask & OB_USE_RESEARCH)
	    && (!strcmp(status, "distributed") || !strcmp(status, "reserved"))) {
		rc = ob_error_set(OB_ECONFLICT, "status: the consent of the donor of %s does not"
			" permit research; it cannot be %s", barcode, status);
		goto out;
	}
	/* Material that leaves the bank frees its position. */
	leaves_storage = !strcmp(status, "distributed") || !strcmp(status, "depleted")
		|| !strcmp(status, "destroyed");
	if ((rc = ob_audit_encode(cx, &ob_specimen_audit, id, &before)) < 0)
		goto out;
	if ((rc = ob_store_prepare(cx->st, upd, &s)) < 0)
		goto out;
	ob_stmt_bind_int(s, 1, id);
	ob_stmt_bind_text(s, 2, status);
	ob_stmt_bind_int(s, 3, leaves_storage);
	if ((rc = ob_stmt_exec(s)) < 0)
		goto out;
	snprintf(action, sizeof action, "status:%s", status);
	rcx = *cx;
	if (reason && *reason)
		rcx.reason = reason;
	rc = ob_audit_record(&rcx, &ob_specimen_audit, action, id, barcode, ob_buf_cstr(&before));
out:
	ob_buf_dispose(&before);
	if (rc < 0) {
		ob_store_rollback(cx->st);
		return rc;
	}
	return ob_store_commit(cx->st);
}

int ob_specimen_thaw(const ob_ctx *cx, const char *barcode)
{
	static const char *const upd = "UPDATE specimen SET freeze_thaw = freeze_thaw + 1 WHERE id = $1";
	ob_buf before = OB_BUF_INIT;
	int64_t id;
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_begin(cx->st)) < 0)
		return rc;
	if ((rc = ob_scope_specimen(cx, OB_ACT_SPECIMEN, NULL, barcode, &id)) < 0)
		goto out;
	/* a thaw on the way is the receipt's "thawed" discrepancy */
	if ((rc = ob_shipment_specimen_home(cx, NULL, id, barcode)) < 0)
		goto out;
	if ((rc = ob_audit_encode(cx, &ob_specimen_audit, id, &before)) < 0)
		goto out;
	if ((rc = ob_store_prepare(cx->st, upd, &s)) < 0)
		goto out;
	ob_stmt_bind_int(s, 1, id);
	if ((rc = ob_stmt_exec(s)) < 0)
		goto out;
	rc = ob_audit_record(cx, &ob_specimen_audit, "thaw", id, barcode, ob_buf_cstr(&before));
out:
	ob_buf_dispose(&before);
	if (rc < 0) {
		ob_store_rollback(cx->st);
		return rc;
	}
	return ob_store_commit(cx->st);
}
