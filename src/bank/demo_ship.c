/*
 * demo_ship.c - the demo network's shipments (see demo.h): a hospital's
 * week of collections to its regional center, regional centers' plasma,
 * serum and whole boxes to the main center, one shipment in each state and
 * a receipt with a missing and a thawed item. Made through shipment.h like
 * any other, each step acted by a user of the right site (the sender's
 * staff create, pack and ship; the receiver's scan and finish), so the
 * chain of custody reads as it would in life.
 *
 * What travels is chosen by query from what the demo built (available
 * specimens of donors who permit transfer, a box whose every specimen
 * could go), in id order: the same seed and scale give the same shipments.
 * A shipment finding nothing to carry (a very small scale) is skipped.
 */
#include "bank/demo.h"
#include "bank/consent.h"
#include "bank/container.h"
#include "bank/shipment.h"
#include "base/error.h"
#include "base/util.h"
#include "store/store.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define MAXN 8

/* One demo shipment: where from and to, what (n specimens of a type, NULL
 * any; a whole box when box is set), how far it gets, who acts. */
typedef struct plan {
	const char *code, *from, *to, *type;
	int n, box;
	const char *end;        /* the state it is left in */
	const char *sender, *shipper, *receiver;
	const char *courier, *tracking, *condition, *logger, *notes;
} plan;

static const plan plans[] = {
	{ "SH-HOSP01-0001", "HOSP01", "REG01", NULL, 4, 0, "received",
	  "hosp01-tech", "hosp01-tech", "tech01", "hospital van", NULL, "refrigerated", NULL,
	  "Week 23 collections" },
	{ "SH-REG01-0001", "REG01", "NCC", "plasma", 6, 0, "received+",
	  "tech01", "manager01", "admin", "SF Express", "SF1402887712", "dry_ice", "TL-0107",
	  "血浆分装管，干冰 5 kg / plasma aliquots for the central proteomics run" },
	{ "SH-REG09-0001", "REG09", "NCC", NULL, 0, 1, "received",
	  "reg09-tech", "reg09-manager", "admin", "China Post EMS", "EA120045987CN",
	  "dry_ice", "TL-0311", "A whole box, layout kept" },
	{ "SH-REG16-0001", "REG16", "NCC", "serum", 3, 0, "cancelled",
	  "reg16-tech", "reg16-manager", NULL, "SF Express", NULL, "dry_ice", NULL, NULL },
	{ "SH-REG03-0001", "REG03", "NCC", "plasma", 5, 1, "shipped",
	  "reg03-tech", "reg03-manager", NULL, "JD Logistics", "JDVA0099812345", "dry_ice",
	  "TL-0218", "In transit: to be received at NCC" },
	{ "SH-HOSP01-0002", "HOSP01", "REG01", NULL, 3, 0, "shipped",
	  "hosp01-tech", "hosp01-tech", NULL, "hospital van", NULL, "refrigerated", NULL, NULL },
	{ "SH-REG01-0002", "REG01", "NCC", "serum", 3, 0, "packed",
	  "tech01", "tech01", NULL, NULL, NULL, "dry_ice", NULL, "Waiting for the courier" },
	{ "SH-HOSP02-0001", "HOSP02", "REG03", NULL, 2, 0, "draft",
	  "hosp02-tech", NULL, NULL, NULL, NULL, "refrigerated", NULL, NULL },
};

#define NPLANS ((int)(sizeof plans / sizeof plans[0]))

/* Specimens that could go to another site, of type (NULL any), not in box
 * (NULL none), up to n. */
static int pick(const ob_ctx *cx, const plan *p, const char *box, char bc[MAXN][64], int *got)
{
	static const char *const sql =
		"SELECT s.barcode FROM specimen s JOIN site t ON t.id = s.site_id"
		" JOIN donor d ON d.id = s.donor_id"
		" LEFT JOIN container c ON c.id = s.container_id"
		" WHERE t.code = $1 AND s.status = 'available' AND d.withdrawn = 0"
		" AND (d.consent_mask & $2) <> 0 AND ($3 = '' OR s.type = $3)"
		" AND (c.id IS NULL OR c.barcode <> $4)"
		" ORDER BY s.id LIMIT $5";
	ob_stmt *s;
	int rc;

	*got = 0;
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_text(s, 1, p->from);
	ob_stmt_bind_int(s, 2, OB_USE_TRANSFER);
	ob_stmt_bind_text(s, 3, p->type ? p->type : "");
	ob_stmt_bind_text(s, 4, box ? box : "");
	ob_stmt_bind_int(s, 5, p->n);
	while ((rc = ob_stmt_step(s)) == OB_ROW && *got < MAXN)
		ob_strlcpy(bc[(*got)++], ob_stmt_text(s, 0), 64);
	ob_stmt_reset(s);
	return rc < 0 ? rc : 0;
}

/* A box of site all of whose specimens could go (at least two). */
static int pick_box(const ob_ctx *cx, const char *site, char out[64])
{
	static const char *const sql =
		"SELECT b.barcode FROM container b JOIN site t ON t.id = b.site_id"
		" WHERE t.code = $1 AND b.kind = 'box'"
		" AND (SELECT COUNT(*) FROM specimen s WHERE s.container_id = b.id) >= 2"
		" AND NOT EXISTS (SELECT 1 FROM specimen s JOIN donor d ON d.id = s.donor_id"
		"  WHERE s.container_id = b.id AND (s.status <> 'available' OR d.withdrawn <> 0"
		"  OR (d.consent_mask & $2) = 0))"
		" ORDER BY b.id LIMIT 1";
	ob_stmt *s;
	int rc;

	out[0] = '\0';
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_text(s, 1, site);
	ob_stmt_bind_int(s, 2, OB_USE_TRANSFER);
	if ((rc = ob_stmt_step(s)) == OB_ROW)
		ob_strlcpy(out, ob_stmt_text(s, 0), 64);
	ob_stmt_reset(s);
	return rc < 0 ? rc : 0;
}

/* Where a receiving site puts what arrives: its first rack (a whole box
 * goes there), and a box of its own under it for the specimens. */
static int receiving(const ob_ctx *cx, const char *site, char rack[64], char box[64],
                     ob_demo_report *rep)
{
	static const char *const sql =
		"SELECT c.barcode FROM container c JOIN site t ON t.id = c.site_id"
		" WHERE t.code = $1 AND c.kind = 'rack' ORDER BY c.id LIMIT 1";
	char name[64];
	ob_container_new c;
	ob_stmt *s;
	int rc;

	rack[0] = '\0';
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_text(s, 1, site);
	if ((rc = ob_stmt_step(s)) == OB_ROW)
		ob_strlcpy(rack, ob_stmt_text(s, 0), 64);
	ob_stmt_reset(s);
	if (rc < 0)
		return rc;
	ob_container_new_init(&c);
	if (!rack[0]) {  /* a site that stores nothing yet: a freezer and a rack */
		snprintf(name, 32, "%s-FRZ-IN", site);
		c.barcode = name;
		c.name = "Incoming shipments";
		c.kind = "freezer";
		c.site = site;
		c.temperature = -80;
		if ((rc = ob_container_add(cx, &c, NULL)) < 0)
			return rc;
		snprintf(rack, 64, "%.40s-R01", name);
		ob_container_new_init(&c);
		c.barcode = rack;
		c.kind = "rack";
		c.parent = name;
		if ((rc = ob_container_add(cx, &c, NULL)) < 0)
			return rc;
		rep->containers[0]++;
		rep->containers[3]++;
		ob_container_new_init(&c);
	}
	snprintf(box, 64, "%.32s-IN-B01", site);
	/* made for an earlier shipment? (a refused add would spoil the
	 * demo's one transaction) */
	if ((rc = ob_store_prepare(cx->st, "SELECT 1 FROM container WHERE barcode = $1", &s)) < 0)
		return rc;
	ob_stmt_bind_text(s, 1, box);
	rc = ob_stmt_step(s);
	ob_stmt_reset(s);
	if (rc != 0)
		return rc < 0 ? rc : 0;
	c.barcode = box;
	c.name = "Received shipments";
	c.kind = "box";
	c.parent = rack;
	c.temperature = NAN;
	c.rows = 9;
	c.cols = 9;
	if ((rc = ob_container_add(cx, &c, NULL)) < 0)
		return rc;
	rep->boxes++;
	return 0;
}

/* The actor of a step: a user of site. */
static void act(ob_ctx *cx, const char *user, const char *site)
{
	cx->actor = user;
	cx->actor_site = site;
}

static int ship_one(ob_ctx *cx, const plan *p, ob_demo_report *rep)
{
	char bc[MAXN][64], box[64] = "", rack[64], inbox[64];
	const char *v[MAXN + 1];
	ob_shipment_new in = { p->code, p->from, p->to, p->courier, p->tracking, p->condition,
		p->logger, p->notes };
	ob_shipment_scan_result res;
	ob_shipment_full f;
	int n = 0, got = 0, rc, received = 0;

	if (p->box && (rc = pick_box(cx, p->from, box)) < 0)
		return rc;
	if (p->n && (rc = pick(cx, p, box[0] ? box : NULL, bc, &got)) < 0)
		return rc;
	for (int i = 0; i < got; i++)
		v[n++] = bc[i];
	if (box[0])
		v[n++] = box;
	if (n == 0)
		return 0;
	act(cx, p->sender, p->from);
	if ((rc = ob_shipment_create(cx, &in, NULL)) < 0
	    || (rc = ob_shipment_add(cx, p->code, v, (size_t)n, NULL)) < 0)
		return rc;
	if (!strcmp(p->end, "draft"))
		goto done;
	if ((rc = ob_shipment_pack(cx, p->code, NULL)) < 0)
		return rc;
	if (!strcmp(p->end, "cancelled")) {
		act(cx, p->shipper, p->from);
		rc = ob_shipment_cancel(cx, p->code, "the courier takes no dry ice this week;"
			" the tubes stay in the freezer and go with the next shipment");
		goto done;
	}
	if (!strcmp(p->end, "packed"))
		goto done;
	act(cx, p->shipper, p->from);
	if ((rc = ob_shipment_ship(cx, p->code, NULL, NULL, NULL)) < 0)
		return rc;
	if (!strcmp(p->end, "shipped"))
		goto done;

	/* the receipt: every item scanned, or (received+) all but the last,
	 * the second thawed, the last declared missing on finishing */
	act(cx, p->receiver, p->to);
	if ((rc = receiving(cx, p->to, rack, inbox, rep)) < 0)
		return rc;
	for (int i = 0; i < n; i++) {
		int plus = !strcmp(p->end, "received+");
		ob_shipment_scan sc = { v[i], inbox, NULL, 0, NULL };
		if (plus && i == n - 1)
			break;
		if (box[0] && v[i] == box)
			sc.container = rack;
		if (plus && i == 1) {
			sc.discrepancies = OB_DISC_THAWED;
			sc.note = "干冰已耗尽，到达时记录仪显示 -12 °C / dry ice gone, logger at -12 °C";
		}
		if ((rc = ob_shipment_receive(cx, p->code, &sc, &res)) < 0)
			return rc;
		received++;
	}
	if (received < n
	    && (rc = ob_shipment_finish(cx, p->code, "one cryotube was not in the shipper")) < 0)
		return rc;
done:
	if (rc < 0)
		return rc;
	if ((rc = ob_shipment_read(cx, p->code, &f)) < 0)
		return rc;
	rep->shipment_items += f.counts.items;
	rep->shipment_boxes += f.counts.boxes;
	ob_shipment_full_free(&f);
	for (int i = 0; ob_shipment_states[i]; i++)
		if (!strncmp(p->end, ob_shipment_states[i], strlen(ob_shipment_states[i])))
			rep->shipments[i]++;
	return 0;
}

int ob_demo_shipments(const ob_ctx *cx, ob_demo_report *rep)
{
	ob_ctx c = *cx;
	int rc;

	for (int i = 0; i < NPLANS; i++)
		if ((rc = ship_one(&c, &plans[i], rep)) < 0)
			return ob_error_set(rc, "demo: shipment %s: %s", plans[i].code, ob_error_last());
	return 0;
}
