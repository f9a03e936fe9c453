/*
 * specimen_aliquot.c - aliquots and derivatives of one parent in one
 * transaction: the one run the CLI and the API share (specimen.h).
 */
#include "bank/specimen.h"
#include "bank/barcode.h"
#include "bank/fields.h"
#include "base/error.h"
#include "base/text.h"
#include "store/store.h"

#include <string.h>

int ob_specimen_aliquot(const ob_ctx *cx, const ob_aliquot_req *req,
                        int (*cb)(const char *barcode, void *arg), void *arg)
{
	char type[32], barcode[OB_BARCODE_MAX];
	ob_specimen_new s = req->s;
	int rc = 0;

	if (req->count < 1 || req->count > 1000)
		return ob_error_set(OB_EINVALID, "count: %lld is not 1 to 1000", req->count);
	if (req->positions) {
		if (req->npositions != (size_t)req->count)
			return ob_error_set(OB_EINVALID, "positions: must list one position per aliquot"
				" (%lld)", req->count);
		for (size_t i = 0; i < req->npositions; i++)
			if ((rc = ob_text_check("positions", req->positions[i],
					strlen(req->positions[i]), ob_field_limit_of("position")->max, 0)) < 0)
				return rc;
	}
	/* An aliquot has its parent's type (the parent within the scope). */
	if (!s.type) {
		if ((rc = ob_specimen_parent_type(cx, s.parent, type, sizeof type)) < 0)
			return rc;
		s.type = type;
	}
	/* All of them or none. */
	if ((rc = ob_store_begin(cx->st)) < 0)
		return rc;
	for (long long i = 0; i < req->count && rc == 0; i++) {
		if (req->positions)
			s.position = req->positions[i];
		if ((rc = ob_specimen_create(cx, &s, NULL, barcode)) < 0)
			break;
		s.parent_thawed = false;  /* one thaw for the whole run */
		if (cb)
			rc = cb(barcode, arg);
	}
	if (rc != 0) {
		ob_store_rollback(cx->st);
		return rc;
	}
	return ob_store_commit(cx->st);
}
