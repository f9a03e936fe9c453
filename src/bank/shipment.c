/*
 * shipment.c - shipments between the network's sites (shipment.h): the
 * words, the record and its audit row, creating and editing, the manifest
 * (adding and removing specimens and boxes, every item checked), packing,
 * shipping and cancelling. The receipt is in shipment_receive.c, reading
 * and lists in shipment_read.c.
 */
#include "bank/shipment.h"
#include "bank/barcode.h"
#include "bank/consent.h"
#include "bank/container.h"
#include "bank/fields.h"
#include "bank/shipment_internal.h"
#include "bank/specimen.h"
#include "base/error.h"
#include "store/store.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SHIP_COLS \
	"SELECT h.id" OB_SHIPMENT_FIELDS(OB_RECORD_SQL) " FROM shipment h" \
	" JOIN site fs ON fs.id = h.from_site_id JOIN site ts ON ts.id = h.to_site_id"

#define ENTRY(name, kind, sql, flags) OB_RECORD_ENTRY(ob_shipment_record, name, kind, flags)
const ob_field ob_shipment_fields[] = { OB_SHIPMENT_FIELDS(ENTRY) OB_RECORD_END };
#undef ENTRY

static const char *const one_sql = SHIP_COLS " WHERE h.id = $1";

const ob_audit_entity ob_shipment_audit = { "shipment", one_sql, SHIP_COLS " ORDER BY h.id" };

const char *const ob_shipment_states[] = { "draft", "packed", "shipped", "received", "cancelled",
	NULL };
const char *const ob_shipment_conditions[] = { "ambient", "refrigerated", "dry_ice",
	"ln2_dry_shipper", NULL };
const char *const ob_shipment_discrepancy_kinds[] = { "missing", "extra", "damaged", "thawed",
	"wrong_label", NULL };

/* What people write on a label or say at the courier's desk. */
static const struct {
	const char *alias, *word;
} condition_aliases[] = {
	{ "room", "ambient" }, { "room temperature", "ambient" }, { "rt", "ambient" },
	{ "15-25", "ambient" }, { "15-25c", "ambient" }, { "15-25 °c", "ambient" },
	{ "2-8", "refrigerated" }, { "2-8c", "refrigerated" }, { "2-8 c", "refrigerated" },
	{ "2-8 °c", "refrigerated" }, { "2-8°c", "refrigerated" }, { "4c", "refrigerated" },
	{ "fridge", "refrigerated" }, { "cold", "refrigerated" }, { "chilled", "refrigerated" },
	{ "dry ice", "dry_ice" }, { "dry-ice", "dry_ice" }, { "dryice", "dry_ice" },
	{ "-80", "dry_ice" }, { "-80c", "dry_ice" }, { "ln2", "ln2_dry_shipper" },
	{ "ln2 dry shipper", "ln2_dry_shipper" }, { "dry shipper", "ln2_dry_shipper" },
	{ "liquid nitrogen", "ln2_dry_shipper" }, { "-196", "ln2_dry_shipper" },
};

const char *ob_shipment_condition(const char *word)
{
	if (!word)
		return NULL;
	for (const char *const *w = ob_shipment_conditions; *w; w++)
		if (!strcasecmp(word, *w))
			return *w;
	for (size_t i = 0; i < sizeof condition_aliases / sizeof condition_aliases[0]; i++)
		if (!strcasecmp(word, condition_aliases[i].alias))
			return condition_aliases[i].word;
	return NULL;
}

/* ---- creating and editing ------------------------------------------------ */

/* A shipment code given: 1-32 of A-Z a-z 0-9 . _ - */
static int code_check(const char *code)
{
	size_t n = strlen(code);

	if (n == 0 || n >= OB_SHIPMENT_CODE_MAX)
		return ob_error_set(OB_EINVALID, "code: a shipment code is 1 to %d characters",
			OB_SHIPMENT_CODE_MAX - 1);
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)code[i]) && !strchr("._-", code[i]))
			return ob_error_set(OB_EINVALID, "code: '%s' may hold only letters, digits,"
				" '.', '_' and '-'", code);
	return 0;
}

/* SH + the day + "-" + the next number of the day. */
static int next_code(const ob_ctx *cx, char out[OB_SHIPMENT_CODE_MAX])
{
	static const char *const sql =
		"SELECT code FROM shipment WHERE substr(code, 1, 11) = $1"
		" ORDER BY length(code) DESC, code DESC LIMIT 1";
	char now[OB_TIME_LEN], prefix[16];
	unsigned last = 0;
	ob_stmt *s;
	int rc;

	ob_time_now(now);
	snprintf(prefix, sizeof prefix, "SH%.4s%.2s%.2s-", now, now + 5, now + 8);
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_text(s, 1, prefix);
	rc = ob_stmt_step(s);
	if (rc == OB_ROW) {
		last = (unsigned)strtoul(ob_stmt_text(s, 0) + 11, NULL, 10) % 10000000u;
		rc = 0;
	}
	ob_stmt_reset(s);
	if (rc < 0)
		return rc;
	snprintf(out, OB_SHIPMENT_CODE_MAX, "%.11s%04u", prefix, last + 1);
	return 0;
}

/* A destination: any site of the network (their codes are public; one
 * ships to the main center, outside one's own scope), not retired. */
static int to_site(const ob_ctx *cx, const char *code, int64_t *id, char path[OB_SCOPE_PATH_MAX])
{
	int rc;

	if (!code || !*code)
		return ob_error_set(OB_EINVALID, "to_site: a destination site is needed");
	if ((rc = ship_text_ok("to_site", code)) < 0)
		return rc;
	return ob_scope_site_public(cx, "to_site", code, true, id, path);
}

/* The texts of a new shipment or of changes, and the condition's word. */
static int check_texts(const ob_shipment_new *in, const char **condition)
{
	int rc;

	*condition = NULL;
	if ((rc = ship_text_ok("courier", in->courier)) < 0
	    || (rc = ship_text_ok("tracking", in->tracking)) < 0
	    || (rc = ship_text_ok("logger", in->logger)) < 0
	    || (rc = ship_text_ok("notes", in->notes)) < 0
	    || (rc = ship_text_ok("condition", in->condition)) < 0)
		return rc;
	if (in->condition && *in->condition && !(*condition = ob_shipment_condition(in->condition)))
		return ob_error_set(OB_EINVALID, "condition: '%s' is not a condition in transit"
			" (ambient, refrigerated, dry_ice, ln2_dry_shipper)", in->condition);
	return 0;
}

/* v, or NULL for "" */
static const char *or_null(const char *v)
{
	return v && *v ? v : NULL;
}

int ob_shipment_create(const ob_ctx *cx, const ob_shipment_new *in, char *code_out)
{
	static const char *const exists = "SELECT 1 FROM shipment WHERE code = $1";
	static const char *const ins =
		"INSERT INTO shipment (code, from_site_id, to_site_id, state, courier, tracking,"
		" condition, logger, notes, created_by, created_at)"
		" VALUES ($1, $2, $3, 'draft', $4, $5, $6, $7, $8, $9, $10)";
	char code[OB_SHIPMENT_CODE_MAX], now[OB_TIME_LEN], tpath[OB_SCOPE_PATH_MAX];
	const char *from, *condition;
	int64_t fid = 0, tid = 0, id = 0;
	ob_stmt *s;
	int rc;

	if ((rc = ob_access_check(cx, OB_ACT_SHIPMENT, NULL)) < 0)
		return rc;
	if ((rc = ship_text_ok("code", in->code)) < 0
	    || (rc = ship_text_ok("from_site", in->from_site)) < 0
	    || (rc = check_texts(in, &condition)) < 0)
		return rc;
	if (in->code && *in->code && (rc = code_check(in->code)) < 0)
		return rc;
	from = in->from_site && *in->from_site ? in->from_site : cx->actor_site;
	if (!from || !*from)
		return ob_error_set(OB_EINVALID, "from_site: a site code is needed");
	if ((rc = ob_store_begin(cx->st)) < 0)
		return rc;
	if ((rc = ob_scope_site(cx, OB_ACT_SHIPMENT, "from_site", from, &fid, NULL)) < 0
	    || (rc = to_site(cx, in->to_site, &tid, tpath)) < 0)
		goto out;
	if (fid == tid) {
		rc = ob_error_set(OB_EINVALID, "to_site: a shipment goes to another site (%s is"
			" the site it leaves)", in->to_site);
		goto out;
	}
	if (in->code && *in->code) {
		ob_strlcpy(code, in->code, sizeof code);
		if ((rc = ob_store_prepare(cx->st, exists, &s)) < 0)
			goto out;
		ob_stmt_bind_text(s, 1, code);
		rc = ob_stmt_step(s);
		ob_stmt_reset(s);
		if (rc == OB_ROW)
			rc = ob_error_set(OB_EEXISTS, "code: shipment '%s' exists already", code);
		if (rc < 0)
			goto out;
	} else if ((rc = next_code(cx, code)) < 0) {
		goto out;
	}
	ob_time_now(now);
	if ((rc = ob_store_prepare(cx->st, ins, &s)) < 0)
		goto out;
	ob_stmt_bind_text(s, 1, code);
	ob_stmt_bind_int(s, 2, fid);
	ob_stmt_bind_int(s, 3, tid);
	ob_stmt_bind_text(s, 4, or_null(in->courier));
	ob_stmt_bind_text(s, 5, or_null(in->tracking));
	ob_stmt_bind_text(s, 6, condition);
	ob_stmt_bind_text(s, 7, or_null(in->logger));
	ob_stmt_bind_text(s, 8, or_null(in->notes));
	ob_stmt_bind_text(s, 9, cx->actor ? cx->actor : "unknown");
	ob_stmt_bind_text(s, 10, now);
	if ((rc = ob_stmt_insert(s, &id)) == OB_EEXISTS)
		rc = ob_error_set(OB_EEXISTS, "code: shipment '%s' exists already", code);
	if (rc < 0)
		goto out;
	rc = ob_audit_record(cx, &ob_shipment_audit, "create", id, code, NULL);
out:
	if (rc < 0) {
		ob_store_rollback(cx->st);
		return rc;
	}
	if ((rc = ob_store_commit(cx->st)) == 0 && code_out)
		ob_strlcpy(code_out, code, OB_SHIPMENT_CODE_MAX);
	return rc;
}

/* NULL keeps cur, "" clears, anything else replaces. */
static const char *change(const char *cur, const char *v)
{
	return v ? or_null(v) : cur;
}

int ob_shipment_edit(const ob_ctx *cx, const char *code, const ob_shipment_new *in)
{
	static const char *const upd =
		"UPDATE shipment SET to_site_id = $2, courier = $3, tracking = $4, condition = $5,"
		" logger = $6, notes = $7 WHERE id = $1";
	ob_shipment_record r;
	ob_buf before = OB_BUF_INIT;
	char tpath[OB_SCOPE_PATH_MAX];
	const char *condition;
	int64_t tid;
	ship_head h;
	ob_stmt *s;
	int rc;

	ob_record_init(ob_shipment_fields, &r);
	if ((rc = ob_access_check(cx, OB_ACT_SHIPMENT, NULL)) < 0 || (rc = check_texts(in, &condition)) < 0)
		return rc;
	if (in->code && *in->code)
		return ob_error_set(OB_EINVALID, "code: a shipment's code does not change");
	if (in->from_site && *in->from_site)
		return ob_error_set(OB_EINVALID, "from_site: a shipment's origin does not change:"
			" cancel it and create another");
	if (!in->to_site && !in->courier && !in->tracking && !in->condition && !in->logger
	    && !in->notes)
		return ob_error_set(OB_EINVALID, "shipment: nothing to change");
	if ((rc = ob_store_begin(cx->st)) < 0)
		return rc;
	if ((rc = ship_load(cx, OB_ACT_SHIPMENT, SHIP_FROM, code, &h)) < 0)
		goto out;
	tid = h.to_id;
	if (strcmp(h.state, "draft") && strcmp(h.state, "packed") && strcmp(h.state, "shipped")) {
		rc = ob_error_set(OB_ECONFLICT, "state: shipment %s is %s: it cannot be changed",
			h.code, h.state);
		goto out;
	}
	if (in->to_site && strcmp(in->to_site, h.to)) {
		if (strcmp(h.state, "draft")) {
			rc = ob_error_set(OB_ECONFLICT, "to_site: shipment %s is %s: its destination"
				" changes only while a draft", h.code, h.state);
			goto out;
		}
		if ((rc = to_site(cx, in->to_site, &tid, tpath)) < 0)
			goto out;
		if (tid == h.from_id) {
			rc = ob_error_set(OB_EINVALID, "to_site: a shipment goes to another site (%s"
				" is the site it leaves)", in->to_site);
			goto out;
		}
	}
	if ((rc = ob_record_load(cx, one_sql, ob_shipment_fields, h.id, &r)) < 0
	    || (rc = ob_audit_encode(cx, &ob_shipment_audit, h.id, &before)) < 0
	    || (rc = ob_store_prepare(cx->st, upd, &s)) < 0)
		goto out;
	ob_stmt_bind_int(s, 1, h.id);
	ob_stmt_bind_int(s, 2, tid);
	ob_stmt_bind_text(s, 3, change(r.courier, in->courier));
	ob_stmt_bind_text(s, 4, change(r.tracking, in->tracking));
	ob_stmt_bind_text(s, 5, in->condition ? condition : r.condition);
	ob_stmt_bind_text(s, 6, change(r.logger, in->logger));
	ob_stmt_bind_text(s, 7, change(r.notes, in->notes));
	if ((rc = ob_stmt_exec(s)) < 0)
		goto out;
	rc = ship_event(cx, &h, "edit", NULL, ob_buf_cstr(&before));
out:
	ob_record_release(ob_shipment_fields, &r);
	ob_buf_dispose(&before);
	if (rc < 0) {
		ob_store_rollback(cx->st);
		return rc;
	}
	return ob_store_commit(cx->st);
}

/* ---- the manifest -------------------------------------------------------- */

/* A packed shipment whose manifest changes goes back to draft. */
static int back_to_draft(const ob_ctx *cx, ship_head *h)
{
	static const char *const sql =
		"UPDATE shipment SET state = 'draft', packed_by = NULL, packed_at = NULL WHERE id = $1";
	ob_stmt *s;
	int rc;

	if (strcmp(h->state, "packed"))
		return 0;
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, h->id);
	if ((rc = ob_stmt_exec(s)) == 0)
		ob_strlcpy(h->state, "draft", sizeof h->state);
	return rc;
}

static int manifest_open(const ship_head *h, const char *what)
{
	if (!strcmp(h->state, "draft") || !strcmp(h->state, "packed"))
		return 0;
	return ob_error_set(OB_ECONFLICT, "state: shipment %s is %s: %s only a draft or packed"
		" shipment", h->code, h->state, what);
}

/* Inserts an item; box_row 0: alone. */
static int item_insert(const ob_ctx *cx, int64_t shipment_id, int64_t specimen_id, int64_t box_row,
                       int64_t container_id, const char *position)
{
	static const char *const sql =
		"INSERT INTO shipment_item (shipment_id, specimen_id, box_id, from_container_id,"
		" from_position, state) VALUES ($1, $2, $3, $4, $5, 'listed')";
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, shipment_id);
	ob_stmt_bind_int(s, 2, specimen_id);
	if (box_row)
		ob_stmt_bind_int(s, 3, box_row);
	else
		ob_stmt_bind_null(s, 3);
	if (container_id)
		ob_stmt_bind_int(s, 4, container_id);
	else
		ob_stmt_bind_null(s, 4);
	ob_stmt_bind_text(s, 5, position);
	return ob_stmt_exec(s);
}

/* Whether specimen id is on shipment h already: 0 no, 1 yes (in box: the
 * box's barcode into box, "" alone). */
static int on_manifest(const ob_ctx *cx, const ship_head *h, int64_t id, char *box, size_t n)
{
	static const char *const sql =
		"SELECT c.barcode FROM shipment_item i LEFT JOIN shipment_box b ON b.id = i.box_id"
		" LEFT JOIN container c ON c.id = b.container_id"
		" WHERE i.shipment_id = $1 AND i.specimen_id = $2";
	ob_stmt *s;
	int rc;

	box[0] = '\0';
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, h->id);
	ob_stmt_bind_int(s, 2, id);
	rc = ob_stmt_step(s);
	if (rc == OB_ROW) {
		if (ob_stmt_text(s, 0))
			ob_strlcpy(box, ob_stmt_text(s, 0), n);
		rc = 1;
	}
	ob_stmt_reset(s);
	return rc;
}

/* Adds specimen id (barcode as given); refusals into rf. */
static int add_specimen(const ob_ctx *cx, const ship_head *h, const char *given, int64_t id,
                        ship_refusals *rf)
{
	static const char *const sql = "SELECT " CHECK_COLS " FROM specimen s" CHECK_JOINS
		" WHERE s.id = $2";
	char why[256], box[OB_CONTAINER_BARCODE_MAX], pos[OB_POSITION_MAX] = "";
	int64_t container_id = 0;
	bool bad = false;
	ob_stmt *s;
	int rc;

	if ((rc = on_manifest(cx, h, id, box, sizeof box)) < 0)
		return rc;
	if (rc) {
		ship_refuse(rf, given, "already on this shipment%s%s", *box ? ", in box " : "", box);
		return 0;
	}
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, h->id);
	ob_stmt_bind_int(s, 2, id);
	rc = ob_stmt_step(s);
	if (rc == OB_ROW) {
		bad = ship_why_not(h, s, why, sizeof why);
		container_id = ob_stmt_is_null(s, 9) ? 0 : ob_stmt_int(s, 9);
		if (ob_stmt_text(s, 10))
			ob_strlcpy(pos, ob_stmt_text(s, 10), sizeof pos);
		rc = 0;
	}
	ob_stmt_reset(s);
	if (rc < 0)
		return rc;
	if (bad) {
		ship_refuse(rf, given, "%s", why);
		return 0;
	}
	if (rf->r.n)  /* nothing will be added: spare the insert */
		return 0;
	return item_insert(cx, h->id, id, 0, container_id, *pos ? pos : NULL);
}

/* One specimen of a box being added. */
typedef struct boxed {
	int64_t id;
	char barcode[OB_BARCODE_MAX];
	char pos[OB_POSITION_MAX];
	int row, col;
} boxed;

static int by_position(const void *x, const void *y)
{
	const boxed *a = x, *b = y;
	int ra = a->row ? a->row : 1 << 20, rb = b->row ? b->row : 1 << 20;

	if (ra != rb)
		return ra < rb ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* Adds box c (named by given) with every specimen it holds, each checked. */
static int add_box(const ob_ctx *cx, const ship_head *h, const char *given,
                   const ob_container_info *c, ship_refusals *rf)
{
	static const char *const on_this =
		"SELECT 1 FROM shipment_box WHERE shipment_id = $1 AND container_id = $2";
	static const char *const on_other =
		"SELECT h2.code FROM shipment_box b JOIN shipment h2 ON h2.id = b.shipment_id"
		" WHERE b.container_id = $2 AND b.shipment_id <> $1"
		" AND h2.state IN ('draft', 'packed', 'shipped') LIMIT 1";
	static const char *const contents = "SELECT " CHECK_COLS " FROM specimen s" CHECK_JOINS
		" WHERE s.container_id = $2 ORDER BY s.id";
	static const char *const ins =
		"INSERT INTO shipment_box (shipment_id, container_id, from_parent_id, state)"
		" VALUES ($1, $2, $3, 'listed')";
	char why[256], other[OB_SHIPMENT_CODE_MAX] = "", box[OB_CONTAINER_BARCODE_MAX];
	boxed *v = NULL;
	size_t n = 0, cap = 0, before = rf->r.n;
	int64_t row = 0;
	ob_stmt *s;
	int rc;

	if (strcmp(c->kind, "box")) {
		ship_refuse(rf, given, "a %s, not a box: only boxes travel whole", c->kind);
		return 0;
	}
	if (strcmp(c->site, h->from)) {
		ship_refuse(rf, given, "not a box of %s", h->from);
		return 0;
	}
	if ((rc = ob_store_prepare(cx->st, on_this, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, h->id);
	ob_stmt_bind_int(s, 2, c->id);
	rc = ob_stmt_step(s);
	ob_stmt_reset(s);
	if (rc < 0)
		return rc;
	if (rc == OB_ROW) {
		ship_refuse(rf, given, "already on this shipment");
		return 0;
	}
	if ((rc = ob_store_prepare(cx->st, on_other, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, h->id);
	ob_stmt_bind_int(s, 2, c->id);
	if ((rc = ob_stmt_step(s)) == OB_ROW) {
		ob_strlcpy(other, ob_stmt_text(s, 0), sizeof other);
		rc = 0;
	}
	ob_stmt_reset(s);
	if (rc < 0)
		return rc;
	if (*other) {
		ship_refuse(rf, given, "in shipment %s", other);
		return 0;
	}
	if ((rc = ob_store_prepare(cx->st, contents, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, h->id);
	ob_stmt_bind_int(s, 2, c->id);
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		const char *p = ob_stmt_text(s, 10);
		if (ship_why_not(h, s, why, sizeof why)) {
			ship_refuse(rf, given, "its specimen %s: %s", ob_stmt_text(s, 1), why);
			continue;
		}
		if ((rc = ship_grow(&v, &cap, n, sizeof *v)) < 0)
			break;
		memset(&v[n], 0, sizeof v[n]);
		v[n].id = ob_stmt_int(s, 0);
		ob_strlcpy(v[n].barcode, ob_stmt_text(s, 1), sizeof v[n].barcode);
		if (p) {
			ob_strlcpy(v[n].pos, p, sizeof v[n].pos);
			if (ob_position_parse(c->scheme, c->cols, p, &v[n].row, &v[n].col) < 0)
				v[n].row = v[n].col = 0;
		}
		n++;
	}
	ob_stmt_reset(s);
	if (rc < 0)
		goto out;
	for (size_t i = 0; i < n && rc == 0; i++) {
		if ((rc = on_manifest(cx, h, v[i].id, box, sizeof box)) > 0) {
			ship_refuse(rf, given, "its specimen %s: already on this shipment", v[i].barcode);
			rc = 0;
		}
	}
	if (rc < 0)
		goto out;
	if (n == 0 && rf->r.n == before)
		ship_refuse(rf, given, "the box is empty");
	if (rf->r.n)  /* nothing will be added */
		goto out;
	qsort(v, n, sizeof *v, by_position);
	if ((rc = ob_store_prepare(cx->st, ins, &s)) < 0)
		goto out;
	ob_stmt_bind_int(s, 1, h->id);
	ob_stmt_bind_int(s, 2, c->id);
	if (c->parent_id)
		ob_stmt_bind_int(s, 3, c->parent_id);
	else
		ob_stmt_bind_null(s, 3);
	if ((rc = ob_stmt_insert(s, &row)) < 0)
		goto out;
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = item_insert(cx, h->id, v[i].id, row, c->id, *v[i].pos ? v[i].pos : NULL);
out:
	free(v);
	return rc;
}

/* Adds one barcode: a specimen, else a box; one the actor may not see is
 * answered as one that does not exist. */
static int add_one(const ob_ctx *cx, const ship_head *h, const char *barcode, ship_refusals *rf)
{
	ob_container_info c;
	int64_t id;
	int rc;

	if (!barcode || !*barcode) {
		ship_refuse(rf, "", "a barcode is needed");
		return 0;
	}
	if ((rc = ship_text_ok("barcode", barcode)) < 0)
		return rc;
	rc = ob_scope_specimen(cx, OB_ACT_SHIPMENT, "barcode", barcode, &id);
	if (rc == 0)
		return add_specimen(cx, h, barcode, id, rf);
	if (rc != OB_ENOTFOUND)
		return rc;
	rc = ob_scope_container(cx, OB_ACT_SHIPMENT, "barcode", barcode, &c);
	if (rc == 0)
		return add_box(cx, h, barcode, &c, rf);
	if (rc != OB_ENOTFOUND)
		return rc;
	ship_refuse(rf, barcode, "no specimen or box has barcode '%s'", barcode);
	return 0;
}

int ob_shipment_add(const ob_ctx *cx, const char *code, const char *const *barcodes, size_t n,
                    ob_shipment_refusals *ref)
{
	ship_refusals rf = { 0 };
	ship_head h;
	ob_buf note = OB_BUF_INIT;
	int rc;

	if (ref)
		memset(ref, 0, sizeof *ref);
	if ((rc = ob_access_check(cx, OB_ACT_SHIPMENT, NULL)) < 0)
		return rc;
	if (n == 0)
		return ob_error_set(OB_EINVALID, "barcodes: no barcode given");
	if ((rc = ob_store_begin(cx->st)) < 0)
		return rc;
	if ((rc = ship_load(cx, OB_ACT_SHIPMENT, SHIP_FROM, code, &h)) < 0
	    || (rc = manifest_open(&h, "items are added to")) < 0)
		goto out;
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = add_one(cx, &h, barcodes[i], &rf);
	if (rc < 0 || (rc = ship_refusals_end(&rf, n, ref)) < 0)
		goto out;
	if ((rc = back_to_draft(cx, &h)) < 0 || (rc = ship_recount(cx, h.id)) < 0)
		goto out;
	/* the note names what was added; a long list by its count */
	if (n <= 20) {
		ob_buf_puts(&note, "added");
		for (size_t i = 0; i < n; i++)
			ob_buf_printf(&note, " %s", barcodes[i]);
	} else {
		ob_buf_printf(&note, "added %zu barcodes (%s ... %s)", n, barcodes[0], barcodes[n - 1]);
	}
	rc = ship_event(cx, &h, "add", note.failed ? "added" : ob_buf_cstr(&note), NULL);
out:
	ob_buf_dispose(&note);
	ob_shipment_refusals_free(&rf.r);
	if (rc < 0) {
		ob_store_rollback(cx->st);
		return rc;
	}
	return ob_store_commit(cx->st);
}

int ob_shipment_remove(const ob_ctx *cx, const char *code, const char *barcode)
{
	static const char *const item =
		"SELECT i.id, c.barcode FROM shipment_item i JOIN specimen s ON s.id = i.specimen_id"
		" LEFT JOIN shipment_box b ON b.id = i.box_id"
		" LEFT JOIN container c ON c.id = b.container_id"
		" WHERE i.shipment_id = $1 AND s.barcode = $2";
	static const char *const box =
		"SELECT b.id FROM shipment_box b JOIN container c ON c.id = b.container_id"
		" WHERE b.shipment_id = $1 AND c.barcode = $2";
	static const char *const del_item = "DELETE FROM shipment_item WHERE id = $1";
	static const char *const del_items = "DELETE FROM shipment_item WHERE box_id = $1";
	static const char *const del_box = "DELETE FROM shipment_box WHERE id = $1";
	char inbox[OB_CONTAINER_BARCODE_MAX] = "", note[128];
	int64_t item_id = 0, box_id = 0;
	ship_head h;
	ob_stmt *s;
	int rc;

	if ((rc = ob_access_check(cx, OB_ACT_SHIPMENT, NULL)) < 0)
		return rc;
	if (!barcode || !*barcode)
		return ob_error_set(OB_EINVALID, "barcode: a barcode is needed");
	if ((rc = ship_text_ok("barcode", barcode)) < 0)
		return rc;
	if ((rc = ob_store_begin(cx->st)) < 0)
		return rc;
	if ((rc = ship_load(cx, OB_ACT_SHIPMENT, SHIP_FROM, code, &h)) < 0
	    || (rc = manifest_open(&h, "items are removed from")) < 0
	    || (rc = ob_store_prepare(cx->st, item, &s)) < 0)
		goto out;
	ob_stmt_bind_int(s, 1, h.id);
	ob_stmt_bind_text(s, 2, barcode);
	if ((rc = ob_stmt_step(s)) == OB_ROW) {
		item_id = ob_stmt_int(s, 0);
		if (ob_stmt_text(s, 1))
			ob_strlcpy(inbox, ob_stmt_text(s, 1), sizeof inbox);
		rc = 0;
	}
	ob_stmt_reset(s);
	if (rc < 0)
		goto out;
	if (item_id && *inbox) {
		rc = ob_error_set(OB_ECONFLICT, "barcode: %s travels in box %s: remove the box, or"
			" take %s out of it and add the box again", barcode, inbox, barcode);
		goto out;
	}
	if (!item_id) {
		if ((rc = ob_store_prepare(cx->st, box, &s)) < 0)
			goto out;
		ob_stmt_bind_int(s, 1, h.id);
		ob_stmt_bind_text(s, 2, barcode);
		if ((rc = ob_stmt_step(s)) == OB_ROW) {
			box_id = ob_stmt_int(s, 0);
			rc = 0;
		}
		ob_stmt_reset(s);
		if (rc < 0)
			goto out;
		if (!box_id) {
			rc = ob_error_set(OB_ENOTFOUND, "barcode: '%s' is not on shipment %s", barcode,
				h.code);
			goto out;
		}
	}
	if ((rc = ob_store_prepare(cx->st, item_id ? del_item : del_items, &s)) < 0)
		goto out;
	ob_stmt_bind_int(s, 1, item_id ? item_id : box_id);
	if ((rc = ob_stmt_exec(s)) < 0)
		goto out;
	if (box_id) {
		if ((rc = ob_store_prepare(cx->st, del_box, &s)) < 0)
			goto out;
		ob_stmt_bind_int(s, 1, box_id);
		if ((rc = ob_stmt_exec(s)) < 0)
			goto out;
	}
	if ((rc = back_to_draft(cx, &h)) < 0 || (rc = ship_recount(cx, h.id)) < 0)
		goto out;
	snprintf(note, sizeof note, "removed %s", barcode);
	rc = ship_event(cx, &h, "remove", note, NULL);
out:
	if (rc < 0) {
		ob_store_rollback(cx->st);
		return rc;
	}
	return ob_store_commit(cx->st);
}
