/*
 * specimen_rules.h - the rules of a specimen's fields that creation
 * (specimen.c) and correction (specimen_correct.c) share; not for callers
 * outside src/bank.
 */
#ifndef OB_SPECIMEN_RULES_H
#define OB_SPECIMEN_RULES_H

#include "bank/specimen.h"

/* The checks of the record's own values: vocabularies, quantities and
 * their units, ratios, durations (OB_EINVALID naming the field). */
int ob_specimen_check_fields(const ob_specimen_new *in);

/* True when the record has any pre-analytical measurement. */
bool ob_specimen_has_measurements(const ob_specimen *r);

/* The record's pre-analytical texts read into p, for SPREC. */
int ob_specimen_pre_parse(const ob_specimen *r, ob_preanalytics *p);

/* The pre-analytical record as stored (canonical texts, unknown durations
 * NaN) written into w's pre-analytical fields; the centrifugation texts
 * live in t, which must outlive w. */
typedef struct ob_pre_text {
	char c1[96], c2[96];
} ob_pre_text;
void ob_specimen_pre_store(const ob_preanalytics *p, ob_specimen *w, ob_pre_text *t);

/* Inserts the pre-analytical record of specimen id from w's fields. */
int ob_specimen_pre_insert(const ob_ctx *cx, int64_t id, const ob_specimen *w);

/* The SPREC code to store into out (64 bytes): computed from pre when
 * given (a code r gives must agree), else r's code checked, else
 * inherited (may be NULL). */
int ob_specimen_settle_sprec(const ob_ctx *cx, const ob_specimen *r, const ob_preanalytics *pre,
                             const char *inherited, int64_t container_id, char out[64]);

#endif
