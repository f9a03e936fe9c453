/*
 * test_shipment.c - shipments between sites (shipment.h): creating one and
 * the bad input refused; the manifest (all or nothing, every refusal named);
 * packing and shipping (positions freed, a box leaves its rack and keeps its
 * layout); the receipt by scan (a box into a rack, a specimen into the
 * first free position, extra, damaged and thawed, missing and finish,
 * received twice, the wrong site); cancelling; who reads what (the
 * destination sees what is coming); lists and history; the audit trail
 * verifying after every scenario; and a 10,000-item pack and ship timed.
 * Each test runs on a fresh temporary SQLite database (testdb.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "support/testdb.h"
#include "bank/access.h"
#include "bank/audit.h"
#include "bank/barcode.h"
#include "bank/consent.h"
#include "bank/container.h"
#include "bank/donor.h"
#include "bank/shipment.h"
#include "bank/site.h"
#include "bank/specimen.h"
#include "base/buf.h"
#include "base/error.h"
#include "store/store.h"

static void ok(int rc)
{
	if (rc < 0)
		fail_msg("unexpected error %d: %s", rc, ob_error_last());
}

/* rc is code and the message starts with prefix. */
static void refused(int rc, int code, const char *prefix)
{
	if (rc != code)
		fail_msg("expected %d, got %d: %s", code, rc, ob_error_last());
	if (strncmp(ob_error_last(), prefix, strlen(prefix)))
		fail_msg("error '%s' does not start with '%s'", ob_error_last(), prefix);
}

/* The message holds part. */
static void says(const char *part)
{
	if (!strstr(ob_error_last(), part))
		fail_msg("error '%s' does not say '%s'", ob_error_last(), part);
}

static void verified(ob_testdb *t)
{
	ob_buf out = OB_BUF_INIT;

	ok(ob_audit_verify(&t->cx, &out));
	ob_buf_dispose(&out);
}

/* The test's context acting as a user of site (path) with role. */
static ob_ctx as(ob_testdb *t, const char *who, unsigned role, const char *site, const char *path)
{
	ob_ctx cx = t->cx;

	cx.actor = who;
	cx.role = role;
	cx.actor_site = site;
	cx.scope = path;
	return cx;
}

static ob_ctx tech1(ob_testdb *t)
{
	return as(t, "tech-reg01", OB_ROLE_TECHNICIAN, "REG01", "/NCC/REG01/");
}

static ob_ctx tech2(ob_testdb *t)
{
	return as(t, "tech-reg02", OB_ROLE_TECHNICIAN, "REG02", "/NCC/REG02/");
}

static void container(ob_testdb *t, const char *barcode, const char *kind, const char *site,
                      const char *parent, int rows, int cols)
{
	ob_container_new c;

	ob_container_new_init(&c);
	c.barcode = barcode;
	c.kind = kind;
	c.site = site;
	c.parent = parent;
	c.rows = rows;
	c.cols = cols;
	ok(ob_container_add(&t->cx, &c, NULL));
}

/* A specimen of donor at site, in box at pos (NULL: unplaced); its
 * barcode into out (OB_BARCODE_MAX). */
static void specimen(ob_testdb *t, const char *site, const char *donor, const char *box,
                     const char *pos, char *out)
{
	ob_specimen_new s;

	ob_specimen_new_init(&s);
	s.site = site;
	s.donor = donor;
	s.type = "plasma";
	s.quantity = 1;
	s.unit = "ml";
	s.container = box;
	s.position = pos;
	ok(ob_specimen_create(&t->cx, &s, NULL, out));
}

static void sign(ob_testdb *t, const char *donor, const char *transfer)
{
	ob_consent_response r[] = { { "STORE", "yes" }, { "RESEARCH", "yes" },
		{ "TRANSFER", transfer } };
	ob_consent_signing sg = { .form_version = "TF-1", .signed_on = "2024-03-01",
		.responses = r, .nresponses = 3 };

	ok(ob_donor_add(&t->cx, "REG01", donor, "female", 1960, NULL));
	ok(ob_consent_sign(&t->cx, "REG01", donor, &sg, NULL));
}

/* The network of testdb.h; a form TF-1 with a transfer statement; donors
 * D3 (transfer no) and D4 (transfer yes) at REG01; at REG01 freezer F1 >
 * rack R1 > boxes B1, B2 (3 x 3); at REG02 freezer F2 > rack R2 > box B9
 * (3 x 3). */
static int setup(void **state)
{
	ob_testdb *t = calloc(1, sizeof *t);
	ob_consent_statement st[] = {
		{ "STORE", "My samples may be stored.", NULL, OB_USE_STORAGE },
		{ "RESEARCH", "My samples may be used for research.", NULL, OB_USE_RESEARCH },
		{ "TRANSFER", "My samples may be sent to other sites.", NULL, OB_USE_TRANSFER },
	};

	if (!t)
		return -1;
	ob_testdb_open(t);
	ob_testdb_network(t);
	ok(ob_consent_form_add(&t->cx, "TF-1", "Transfer form", "2024-01-01", st, 3, NULL));
	sign(t, "D3", "no");
	sign(t, "D4", "yes");
	container(t, "F1", "freezer", "REG01", NULL, 0, 0);
	container(t, "R1", "rack", NULL, "F1", 0, 0);
	container(t, "B1", "box", NULL, "R1", 3, 3);
	container(t, "B2", "box", NULL, "R1", 3, 3);
	container(t, "F2", "freezer", "REG02", NULL, 0, 0);
	container(t, "R2", "rack", NULL, "F2", 0, 0);
	container(t, "B9", "box", NULL, "R2", 3, 3);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	ob_testdb *t = *state;

	ob_testdb_close(t);
	free(t);
	return 0;
}

/* One integer by a constant SQL text (the store caches statements by
 * the text's address) with key bound as $1 (NULL: none). */
static long long count(ob_testdb *t, const char *sql, const char *key)
{
	int64_t n = -1;

	if (!key)
		return ob_testdb_count(t, sql);
	if (ob_store_get_int(t->st, sql, key, &n) < 0)
		fail_msg("%s: %s", sql, ob_error_last());
	return n;
}

static void text_of(ob_testdb *t, const char *sql, const char *key, char *out, size_t n)
{
	out[0] = '\0';
	int rc = ob_store_get_text(t->st, sql, key, out, n);
	if (rc < 0 && rc != OB_ENOTFOUND)
		fail_msg("%s: %s", sql, ob_error_last());
}

static void status_is(ob_testdb *t, const char *barcode, const char *want)
{
	char v[32];

	text_of(t, "SELECT status FROM specimen WHERE barcode = $1", barcode, v, sizeof v);
	assert_string_equal(v, want);
}

/* A shipment REG01 -> to created by tech1: its code into code. */
static void draft(ob_testdb *t, const char *to, char *code)
{
	ob_ctx cx = tech1(t);
	ob_shipment_new in = { .to_site = to, .courier = "World Courier",
		.condition = "dry ice" };

	ok(ob_shipment_create(&cx, &in, code));
}

static void test_create_and_bad_input(void **state)
{
	ob_testdb *t = *state;
	ob_ctx cx = tech1(t), res = as(t, "res", OB_ROLE_RESEARCHER, "REG01", "/NCC/REG01/");
	char code[OB_SHIPMENT_CODE_MAX], cond[32];
	ob_shipment_new in = { .to_site = "NCC", .condition = "2-8C", .tracking = "1Z999" };
	ob_change ch = { "retired", "yes" };

	ok(ob_shipment_create(&cx, &in, code));
	assert_int_equal(strncmp(code, "SH", 2), 0);
	assert_int_equal(strlen(code), strlen("SH20261208-0001"));
	text_of(t, "SELECT condition FROM shipment WHERE code = $1", code, cond, sizeof cond);
	assert_string_equal(cond, "refrigerated");
	assert_string_equal(ob_shipment_condition("LN2"), "ln2_dry_shipper");
	assert_null(ob_shipment_condition("warm"));

	/* each bad input refused, naming the field, nothing created */
	in = (ob_shipment_new){ .to_site = "REG01" };
	refused(ob_shipment_create(&cx, &in, NULL), OB_EINVALID, "to_site: a shipment goes to"
		" another site");
	in.to_site = "XX9";
	refused(ob_shipment_create(&cx, &in, NULL), OB_ENOTFOUND, "to_site: no site has code 'XX9'");
	in.to_site = NULL;
	refused(ob_shipment_create(&cx, &in, NULL), OB_EINVALID, "to_site:");
	in = (ob_shipment_new){ .to_site = "NCC", .from_site = "REG02" };
	refused(ob_shipment_create(&cx, &in, NULL), OB_EPERM, "from_site: permission denied");
	in = (ob_shipment_new){ .to_site = "NCC", .condition = "warm" };
	refused(ob_shipment_create(&cx, &in, NULL), OB_EINVALID, "condition:");
	in = (ob_shipment_new){ .to_site = "NCC", .courier = "bad \xff byte" };
	refused(ob_shipment_create(&cx, &in, NULL), OB_EINVALID, "courier:");
	in = (ob_shipment_new){ .to_site = "NCC", .notes = "a\x01" };
	refused(ob_shipment_create(&cx, &in, NULL), OB_EINVALID, "notes:");
	in = (ob_shipment_new){ .to_site = "NCC", .code = "has space" };
	refused(ob_shipment_create(&cx, &in, NULL), OB_EINVALID, "code:");
	in = (ob_shipment_new){ .to_site = "NCC", .code = code };
	refused(ob_shipment_create(&cx, &in, NULL), OB_EEXISTS, "code:");
	in = (ob_shipment_new){ .to_site = "NCC" };
	refused(ob_shipment_create(&res, &in, NULL), OB_EPERM, "permission denied");
	/* a retired destination takes nothing */
	ok(ob_site_correct(&t->cx, "HOS01", &ch, 1, "closed"));
	in.to_site = "HOS01";
	refused(ob_shipment_create(&cx, &in, NULL), OB_ECONFLICT, "to_site:");
	assert_int_equal(count(t, "SELECT COUNT(*) FROM shipment", NULL), 1);

	/* a second one of the day numbers on */
	in = (ob_shipment_new){ .to_site = "REG02" };
	char code2[OB_SHIPMENT_CODE_MAX];
	ok(ob_shipment_create(&cx, &in, code2));
	assert_int_equal(strncmp(code, code2, 11), 0);
	assert_string_equal(code2 + 11, "0002");
	verified(t);
}

static void test_add_refusals_all_or_nothing(void **state)
{
	ob_testdb *t = *state;
	ob_ctx cx = tech1(t), ncc = as(t, "mgr-ncc", OB_ROLE_MANAGER, "NCC", "/NCC/");
	char code[OB_SHIPMENT_CODE_MAX], other[OB_SHIPMENT_CODE_MAX];
	char good[OB_BARCODE_MAX], reserved[OB_BARCODE_MAX], noxfer[OB_BARCODE_MAX];
	char theirs[OB_BARCODE_MAX], busy[OB_BARCODE_MAX], local[OB_BARCODE_MAX];
	ob_shipment_refusals ref = { 0 };

	specimen(t, "REG01", "D4", NULL, NULL, good);
	specimen(t, "REG01", "D4", NULL, NULL, reserved);
	ok(ob_specimen_set_status(&t->cx, reserved, "reserved", "a study"));
	specimen(t, "REG01", "D3", NULL, NULL, noxfer);
	specimen(t, "REG02", "D2", NULL, NULL, theirs);
	specimen(t, "REG01", "D4", NULL, NULL, busy);
	specimen(t, "REG01", "D3", NULL, NULL, local);
	draft(t, "NCC", other);
	const char *b1[] = { busy };
	ok(ob_shipment_add(&cx, other, b1, 1, NULL));

	draft(t, "REG02", code);
	const char *all[] = { good, reserved, noxfer, theirs, "NOPE-1", busy, "B2" };
	refused(ob_shipment_add(&cx, code, all, 7, &ref), OB_ECONFLICT, "6 of 7 items cannot go: ");
	assert_int_equal(ref.n, 6);
	assert_string_equal(ref.v[0].barcode, reserved);
	assert_string_equal(ref.v[0].reason, "status is reserved");
	assert_string_equal(ref.v[1].barcode, noxfer);
	assert_string_equal(ref.v[1].reason, "the donor's consent does not permit transfer"
		" outside REG01");
	/* another site's specimen is answered as an unknown barcode */
	assert_string_equal(ref.v[2].barcode, theirs);
	char want[128];
	snprintf(want, sizeof want, "no specimen or box has barcode '%s'", theirs);
	assert_string_equal(ref.v[2].reason, want);
	assert_string_equal(ref.v[3].reason, "no specimen or box has barcode 'NOPE-1'");
	snprintf(want, sizeof want, "in shipment %s", other);
	assert_string_equal(ref.v[4].reason, want);
	assert_string_equal(ref.v[5].barcode, "B2");
	assert_string_equal(ref.v[5].reason, "the box is empty");
	ob_shipment_refusals_free(&ref);
	/* nothing was added */
	assert_int_equal(count(t, "SELECT COUNT(*) FROM shipment_item i JOIN shipment h"
		" ON h.id = i.shipment_id WHERE h.code = $1", code), 0);

	/* a specimen of another site named by someone who may see it */
	const char *b2[] = { theirs };
	refused(ob_shipment_add(&ncc, code, b2, 1, &ref), OB_ECONFLICT, "1 of 1 item cannot go");
	assert_string_equal(ref.v[0].reason, "not a specimen of REG01");
	ob_shipment_refusals_free(&ref);

	/* within the collecting site's scope no transfer consent is needed */
	char hos[OB_SHIPMENT_CODE_MAX];
	draft(t, "HOS01", hos);
	const char *b3[] = { local };
	ok(ob_shipment_add(&cx, hos, b3, 1, NULL));

	/* the good one goes; twice is refused */
	const char *b4[] = { good };
	ok(ob_shipment_add(&cx, code, b4, 1, &ref));
	assert_int_equal(ref.n, 0);
	refused(ob_shipment_add(&cx, code, b4, 1, &ref), OB_ECONFLICT, "1 of 1 item");
	assert_string_equal(ref.v[0].reason, "already on this shipment");
	ob_shipment_refusals_free(&ref);
	/* a withdrawn donor's material does not go */
	ok(ob_consent_withdraw(&t->cx, "REG01", "D4", NULL, "changed her mind", "keep"));
	refused(ob_shipment_pack(&cx, code, &ref), OB_ECONFLICT, "1 of 1 item");
	assert_string_equal(ref.v[0].reason, "the donor withdrew consent");
	ob_shipment_refusals_free(&ref);
	verified(t);
}

/* Box B1 holding three specimens (A1, A2, B1) and a specimen alone in B2
 * at A1, on a shipment REG01 -> REG02, shipped. */
static void shipped_box(ob_testdb *t, char *code, char in_box[3][OB_BARCODE_MAX],
                        char *alone)
{
	ob_ctx cx = tech1(t);
	ob_shipment_refusals ref = { 0 };
	const char *pos[] = { "A1", "A2", "B1" };

	for (int i = 0; i < 3; i++)
		specimen(t, "REG01", "D4", "B1", pos[i], in_box[i]);
	specimen(t, "REG01", "D4", "B2", "A1", alone);
	draft(t, "REG02", code);
	const char *items[] = { "B1", alone };
	ok(ob_shipment_add(&cx, code, items, 2, &ref));
	/* a specimen inside a box on it is on it already */
	const char *again[] = { in_box[1] };
	refused(ob_shipment_add(&cx, code, again, 1, &ref), OB_ECONFLICT, "1 of 1 item");
	assert_string_equal(ref.v[0].reason, "already on this shipment, in box B1");
	ob_shipment_refusals_free(&ref);
	ok(ob_shipment_pack(&cx, code, NULL));
	ok(ob_shipment_ship(&cx, code, NULL, "TRK-42", NULL));
}

static void test_ship_frees_positions_box_keeps_layout(void **state)
{
	ob_testdb *t = *state;
	char code[OB_SHIPMENT_CODE_MAX], in_box[3][OB_BARCODE_MAX], alone[OB_BARCODE_MAX];
	char v[64];

	shipped_box(t, code, in_box, alone);
	for (int i = 0; i < 3; i++)
		status_is(t, in_box[i], "in_transit");
	status_is(t, alone, "in_transit");
	/* alone: out of B2, whose A1 is free */
	assert_int_equal(count(t, "SELECT COUNT(*) FROM specimen WHERE barcode = $1"
		" AND container_id IS NULL AND position IS NULL", alone), 1);
	assert_int_equal(count(t, "SELECT COUNT(*) FROM specimen s JOIN container c"
		" ON c.id = s.container_id WHERE c.barcode = 'B2'", NULL), 0);
	/* the box left its rack, a path of its own, its layout kept */
	assert_int_equal(count(t, "SELECT COUNT(*) FROM container WHERE barcode = 'B1'"
		" AND parent_id IS NULL AND path = '/' || id || '/'", NULL), 1);
	assert_int_equal(count(t, "SELECT COUNT(*) FROM container c JOIN container p"
		" ON p.id = c.parent_id WHERE p.barcode = 'R1'", NULL), 1);
	text_of(t, "SELECT s.position FROM specimen s JOIN container c ON c.id = s.container_id"
		" WHERE s.barcode = $1 AND c.barcode = 'B1'", in_box[1], v, sizeof v);
	assert_string_equal(v, "A2");
	/* nothing changed site */
	assert_int_equal(count(t, "SELECT COUNT(*) FROM specimen s JOIN site st ON st.id = s.site_id"
		" WHERE st.code = 'REG01' AND s.status = 'in_transit'", NULL), 4);
	text_of(t, "SELECT tracking FROM shipment WHERE code = $1", code, v, sizeof v);
	assert_string_equal(v, "TRK-42");
	/* the manifest remembers where they were */
	text_of(t, "SELECT c.barcode FROM shipment_box b JOIN container c ON c.id = b.from_parent_id"
		" JOIN shipment h ON h.id = b.shipment_id WHERE h.code = $1", code, v, sizeof v);
	assert_string_equal(v, "R1");
	assert_int_equal(count(t, "SELECT COUNT(*) FROM audit_event WHERE action = 'ship'"
		" AND entity = 'specimen'", NULL), 4);
	/* shipped: not cancelled, not shipped again */
	ob_ctx cx = tech1(t);
	char msg[200];
	snprintf(msg, sizeof msg, "state: shipment %s is shipped: it cannot be cancelled; receive"
		" it, recording what is missing", code);
	refused(ob_shipment_cancel(&cx, code, "changed our minds"), OB_ECONFLICT, msg);
	assert_string_equal(ob_error_last(), msg);
	refused(ob_shipment_ship(&cx, code, NULL, NULL, NULL), OB_ECONFLICT, "state:");
	verified(t);
}

static void test_receive_by_scan(void **state)
{
	ob_testdb *t = *state;
	ob_ctx cx = tech2(t), from = tech1(t);
	char code[OB_SHIPMENT_CODE_MAX], in_box[3][OB_BARCODE_MAX], alone[OB_BARCODE_MAX];
	char there[OB_BARCODE_MAX], v[64];
	ob_shipment_scan_result res;
	ob_shipment_scan sc;

	specimen(t, "REG02", "D2", "B9", "A1", there);
	shipped_box(t, code, in_box, alone);

	/* the from-site does not receive: as for a shipment it cannot see */
	sc = (ob_shipment_scan){ .barcode = alone };
	refused(ob_shipment_receive(&from, code, &sc, &res), OB_ENOTFOUND, "shipment: no shipment");
	/* a specimen of a box before its box */
	sc = (ob_shipment_scan){ .barcode = in_box[0] };
	refused(ob_shipment_receive(&cx, code, &sc, &res), OB_ECONFLICT, "barcode:");
	says("scan the box");
	/* a box needs a container that is not a box, of the to-site */
	sc = (ob_shipment_scan){ .barcode = "B1" };
	refused(ob_shipment_receive(&cx, code, &sc, &res), OB_EINVALID, "container:");
	sc.container = "B9";
	refused(ob_shipment_receive(&cx, code, &sc, &res), OB_EINVALID, "container: B9 is a box");
	sc.container = "R1";
	refused(ob_shipment_receive(&cx, code, &sc, &res), OB_ENOTFOUND, "container:");
	assert_int_equal(count(t, "SELECT n_received FROM shipment WHERE code = $1", code), 0);

	sc = (ob_shipment_scan){ .barcode = "B1", .container = "R2", .discrepancies = OB_DISC_DAMAGED,
		.note = "lid cracked" };
	ok(ob_shipment_receive(&cx, code, &sc, &res));
	assert_string_equal(res.result, "box");
	assert_int_equal(res.n, 3);
	assert_string_equal(res.container, "R2");
	assert_false(res.complete);
	assert_int_equal(res.counts.received, 3);
	assert_int_equal(res.counts.pending, 1);
	assert_int_equal(res.counts.discrepancies, 1);
	assert_int_equal(count(t, "SELECT COUNT(*) FROM container c JOIN container p"
		" ON p.id = c.parent_id JOIN site s ON s.id = c.site_id WHERE c.barcode = 'B1'"
		" AND p.barcode = 'R2' AND s.code = 'REG02' AND c.path = p.path || c.id || '/'", NULL), 1);
	for (int i = 0; i < 3; i++) {
		status_is(t, in_box[i], "available");
		assert_int_equal(count(t, "SELECT COUNT(*) FROM specimen s JOIN site st"
			" ON st.id = s.site_id JOIN container c ON c.id = s.container_id"
			" WHERE s.barcode = $1 AND st.code = 'REG02' AND c.barcode = 'B1'",
			in_box[i]), 1);
	}
	text_of(t, "SELECT position FROM specimen WHERE barcode = $1", in_box[2], v, sizeof v);
	assert_string_equal(v, "B1");
	/* the box again */
	refused(ob_shipment_receive(&cx, code, &sc, &res), OB_ECONFLICT, "barcode: box B1 was"
		" received at ");
	says("by tech-reg02");

	/* alone into B9, whose A1 is taken: the first free is A2 */
	sc = (ob_shipment_scan){ .barcode = alone, .container = "B9", .position = "A1" };
	refused(ob_shipment_receive(&cx, code, &sc, &res), OB_ECONFLICT, "position: A1 of B9 is"
		" taken");
	sc.position = NULL;
	sc.discrepancies = OB_DISC_THAWED;
	ok(ob_shipment_receive(&cx, code, &sc, &res));
	assert_string_equal(res.result, "received");
	assert_string_equal(res.type, "plasma");
	assert_string_equal(res.container, "B9");
	assert_string_equal(res.position, "A2");
	assert_true(res.complete);
	assert_int_equal(res.counts.pending, 0);
	assert_int_equal(res.counts.received, 4);
	status_is(t, alone, "available");
	text_of(t, "SELECT state FROM shipment WHERE code = $1", code, v, sizeof v);
	assert_string_equal(v, "received");
	text_of(t, "SELECT received_by FROM shipment WHERE code = $1", code, v, sizeof v);
	assert_string_equal(v, "tech-reg02");
	/* received twice */
	refused(ob_shipment_receive(&cx, code, &sc, &res), OB_ECONFLICT, "state: shipment");
	says("was received at");
	says("by tech-reg02");
	/* the specimens now belong to REG02: its technician moves them */
	ok(ob_specimen_move(&cx, alone, "B9", "C3"));

	ob_shipment_full f;
	ok(ob_shipment_read(&cx, code, &f));
	assert_int_equal(f.nitems, 4);
	assert_int_equal(f.nboxes, 1);
	assert_string_equal(f.items[0].box, "B1");
	assert_string_equal(f.items[0].from_position, "A1");
	assert_string_equal(f.items[3].barcode, alone);
	assert_string_equal(f.items[3].box, "");
	assert_string_equal(f.items[3].from_container, "B2");
	assert_string_equal(f.items[3].discrepancies, "thawed");
	assert_string_equal(f.items[3].container, "B9");
	assert_string_equal(f.items[3].position, "A2");
	assert_string_equal(f.boxes[0].from_parent, "R1");
	assert_string_equal(f.boxes[0].parent, "R2");
	assert_int_equal(f.boxes[0].items, 3);
	assert_int_equal(f.ndiscs, 2);
	assert_string_equal(f.discs[0].kind, "damaged");
	assert_string_equal(f.discs[0].note, "lid cracked");
	assert_string_equal(f.r.state, "received");
	assert_string_equal(f.r.condition, "dry_ice");
	/* custody: create, add, pack, ship, receive x2 */
	assert_int_equal(f.ncustody, 6);
	assert_string_equal(f.custody[0].action, "create");
	assert_string_equal(f.custody[3].action, "ship");
	assert_string_equal(f.custody[3].site, "REG01");
	assert_string_equal(f.custody[5].action, "receive");
	assert_string_equal(f.custody[5].by, "tech-reg02");
	assert_non_null(strstr(f.custody[5].note, alone));
	ob_shipment_full_free(&f);
	verified(t);
}

static void test_extra_missing_finish(void **state)
{
	ob_testdb *t = *state;
	ob_ctx cx = tech2(t), from = tech1(t);
	char code[OB_SHIPMENT_CODE_MAX], sp[3][OB_BARCODE_MAX], v[200];
	ob_shipment_scan_result res;
	ob_shipment_scan sc;

	for (int i = 0; i < 3; i++)
		specimen(t, "REG01", "D4", "B2", i == 0 ? "A1" : i == 1 ? "A2" : "A3", sp[i]);
	draft(t, "REG02", code);
	const char *items[] = { sp[0], sp[1], sp[2] };
	ok(ob_shipment_add(&from, code, items, 3, NULL));
	/* receiving before it was shipped */
	sc = (ob_shipment_scan){ .barcode = sp[0] };
	refused(ob_shipment_receive(&cx, code, &sc, &res), OB_ECONFLICT, "state:");
	ok(ob_shipment_pack(&from, code, NULL));
	ok(ob_shipment_ship(&from, code, "DHL", NULL, NULL));
	/* the receiving site can edit nothing of the sender's */
	ob_shipment_new e = { .tracking = "late-number" };
	refused(ob_shipment_edit(&cx, code, &e), OB_ENOTFOUND, "shipment:");
	ok(ob_shipment_edit(&from, code, &e));
	e = (ob_shipment_new){ .to_site = "NCC" };
	refused(ob_shipment_edit(&from, code, &e), OB_ECONFLICT, "to_site:");

	ok(ob_shipment_receive(&cx, code, &sc, &res));  /* unplaced */
	assert_string_equal(res.container, "");
	/* extra, twice: recorded once */
	sc = (ob_shipment_scan){ .barcode = "STRAY-1" };
	ok(ob_shipment_receive(&cx, code, &sc, &res));
	assert_string_equal(res.result, "extra");
	ok(ob_shipment_receive(&cx, code, &sc, &res));
	assert_int_equal(res.counts.extra, 1);
	/* a discrepancy on an item, and bad kinds */
	ok(ob_shipment_discrepancy(&cx, code, sp[0], "wrong_label", "label smudged"));
	refused(ob_shipment_discrepancy(&cx, code, sp[0], "lost", NULL), OB_EINVALID, "kind:");
	refused(ob_shipment_discrepancy(&cx, code, sp[0], "extra", NULL), OB_ECONFLICT, "barcode:");
	refused(ob_shipment_discrepancy(&cx, code, "NOT-ON-IT", "damaged", NULL), OB_ENOTFOUND,
		"barcode: 'NOT-ON-IT' is not on shipment");
	/* one missing: status missing, site kept, out of storage, named */
	ok(ob_shipment_discrepancy(&cx, code, sp[1], "missing", "not in the shipper"));
	status_is(t, sp[1], "missing");
	assert_int_equal(count(t, "SELECT COUNT(*) FROM specimen s JOIN site st ON st.id = s.site_id"
		" WHERE s.barcode = $1 AND st.code = 'REG01' AND s.container_id IS NULL", sp[1]), 1);
	text_of(t, "SELECT reason FROM audit_event WHERE entity = 'specimen' AND action = 'missing'"
		" AND entity_key = $1", sp[1], v, sizeof v);
	assert_non_null(strstr(v, code));
	refused(ob_shipment_discrepancy(&cx, code, sp[1], "missing", NULL), OB_ECONFLICT,
		"barcode:");
	says("declared missing");
	refused(ob_shipment_discrepancy(&cx, code, sp[0], "missing", NULL), OB_ECONFLICT,
		"barcode:");
	/* the rest missing by finishing */
	ok(ob_shipment_finish(&cx, code, "the courier lost a bag"));
	status_is(t, sp[2], "missing");
	status_is(t, sp[0], "available");
	ob_shipment_full f;
	ok(ob_shipment_read(&from, code, &f));
	assert_string_equal(f.r.state, "received");
	assert_int_equal(f.counts.items, 3);
	assert_int_equal(f.counts.received, 1);
	assert_int_equal(f.counts.missing, 2);
	assert_int_equal(f.counts.pending, 0);
	assert_int_equal(f.counts.extra, 1);
	assert_int_equal(f.counts.discrepancies, 4);  /* extra, wrong_label, 2 missing */
	assert_string_equal(f.items[0].discrepancies, "wrong_label");
	assert_string_equal(f.items[2].discrepancies, "missing");
	assert_string_equal(f.items[2].state, "missing");
	assert_string_equal(f.custody[f.ncustody - 1].action, "finish");
	assert_non_null(strstr(f.custody[f.ncustody - 1].note, "the courier lost a bag"));
	ob_shipment_full_free(&f);
	/* the counters agree with the rows */
	assert_int_equal(count(t, "SELECT n_discrepancies FROM shipment WHERE code = $1", code),
		count(t, "SELECT COUNT(*) FROM shipment_discrepancy", NULL));
	refused(ob_shipment_finish(&cx, code, NULL), OB_ECONFLICT, "state:");
	verified(t);
}

/* A box received whole, then one of its specimens not found in it. */
static void test_missing_from_received_box(void **state)
{
	ob_testdb *t = *state;
	ob_ctx cx = tech2(t);
	char code[OB_SHIPMENT_CODE_MAX], in_box[3][OB_BARCODE_MAX], alone[OB_BARCODE_MAX];
	ob_shipment_scan_result res;
	ob_shipment_scan sc = { .barcode = "B1", .container = "R2" };

	shipped_box(t, code, in_box, alone);
	ok(ob_shipment_receive(&cx, code, &sc, &res));
	ok(ob_shipment_discrepancy(&cx, code, in_box[1], "missing", "empty slot"));
	status_is(t, in_box[1], "missing");
	assert_int_equal(count(t, "SELECT COUNT(*) FROM specimen WHERE barcode = $1"
		" AND container_id IS NULL", in_box[1]), 1);
	assert_int_equal(count(t, "SELECT n_received FROM shipment WHERE code = $1", code), 2);
	assert_int_equal(count(t, "SELECT n_missing FROM shipment WHERE code = $1", code), 1);
	/* the last one declared missing completes the receipt */
	ok(ob_shipment_discrepancy(&cx, code, alone, "missing", NULL));
	assert_int_equal(count(t, "SELECT COUNT(*) FROM shipment WHERE code = $1"
		" AND state = 'received'", code), 1);
	verified(t);
}

/* The codes a list gave. */
struct seen {
	int n;
	char codes[4][OB_SHIPMENT_CODE_MAX];
};

static int collect(const ob_shipment_record *r, const ob_shipment_counts *c, void *arg)
{
	struct seen *s = arg;

	(void)c;
	if (s->n < 4)
		snprintf(s->codes[s->n], OB_SHIPMENT_CODE_MAX, "%s", r->code);
	s->n++;
	return 0;
}

static int hist(const ob_shipment_record *r, const char *st, const char *d, void *arg)
{
	(void)d;
	assert_string_equal(st, "listed");
	return collect(r, NULL, arg);
}

static void test_visibility_and_lists(void **state)
{
	ob_testdb *t = *state;
	ob_ctx r2 = as(t, "res-reg02", OB_ROLE_RESEARCHER, "REG02", "/NCC/REG02/");
	ob_ctx hos = as(t, "res-hos01", OB_ROLE_RESEARCHER, "HOS01", "/NCC/REG01/HOS01/");
	ob_ctx from = tech1(t), aud = as(t, "aud", OB_ROLE_AUDITOR, "REG02", "/NCC/REG02/");
	char code[OB_SHIPMENT_CODE_MAX], in_box[3][OB_BARCODE_MAX], alone[OB_BARCODE_MAX];
	char later[OB_BARCODE_MAX], other[OB_SHIPMENT_CODE_MAX];
	ob_container_info ci;
	ob_shipment_full f;
	int64_t id, total;

	specimen(t, "REG01", "D4", NULL, NULL, later);
	draft(t, "REG02", other);
	const char *it[] = { later };
	ok(ob_shipment_add(&from, other, it, 1, NULL));
	/* a draft is not coming yet: REG02 reads the shipment, not the specimen */
	ok(ob_shipment_read(&r2, other, &f));
	ob_shipment_full_free(&f);
	refused(ob_specimen_id(&r2, later, &id), OB_ENOTFOUND, "");
	refused(ob_shipment_read(&hos, other, &f), OB_ENOTFOUND, "shipment: no shipment");

	shipped_box(t, code, in_box, alone);
	/* in transit: the destination reads the specimens and the box */
	ok(ob_specimen_id(&r2, alone, &id));
	ok(ob_specimen_id(&r2, in_box[0], &id));
	ok(ob_container_get(&r2, "B1", &ci));
	assert_string_equal(ci.site, "REG01");
	/* not to change them, and nobody else reads them */
	refused(ob_specimen_set_status(&r2, alone, "destroyed", "x"), OB_EPERM, "");
	refused(ob_specimen_id(&hos, alone, &id), OB_ENOTFOUND, "");
	refused(ob_container_get(&hos, "B2", &ci), OB_ENOTFOUND, "");

	/* lists, newest first, by direction */
	struct seen s = { 0 };
	ob_shipment_cb cb = collect;
	ob_shipment_filter fl = { .direction = "incoming" };
	ok(ob_shipment_list(&r2, &fl, cb, &s, &total));
	assert_int_equal(total, 2);
	assert_string_equal(s.codes[0], code);
	assert_string_equal(s.codes[1], other);
	memset(&s, 0, sizeof s);
	fl.direction = "outgoing";
	ok(ob_shipment_list(&r2, &fl, cb, &s, &total));
	assert_int_equal(total, 0);
	ok(ob_shipment_list(&from, &fl, cb, &s, &total));
	assert_int_equal(total, 2);
	memset(&s, 0, sizeof s);
	fl = (ob_shipment_filter){ .state = "shipped" };
	ok(ob_shipment_list(&from, &fl, cb, &s, &total));
	assert_int_equal(total, 1);
	assert_string_equal(s.codes[0], code);
	memset(&s, 0, sizeof s);
	fl = (ob_shipment_filter){ .q = "trk-4" };
	ok(ob_shipment_list(&aud, &fl, cb, &s, &total));
	assert_int_equal(total, 1);
	memset(&s, 0, sizeof s);
	fl = (ob_shipment_filter){ .site = "REG02", .direction = "incoming", .limit = 1 };
	ok(ob_shipment_list(&from, &fl, cb, &s, &total));
	assert_int_equal(total, 2);
	assert_int_equal(s.n, 1);
	memset(&s, 0, sizeof s);
	ok(ob_shipment_list(&hos, NULL, cb, &s, &total));
	assert_int_equal(total, 0);
	fl = (ob_shipment_filter){ .direction = "sideways" };
	refused(ob_shipment_list(&from, &fl, cb, &s, &total), OB_EINVALID, "direction:");
	fl = (ob_shipment_filter){ .state = "lost" };
	refused(ob_shipment_list(&from, &fl, cb, &s, &total), OB_EINVALID, "state:");

	/* the specimen's history */
	memset(&s, 0, sizeof s);
	ok(ob_shipment_history(&r2, alone, hist, &s));
	assert_int_equal(s.n, 1);
	assert_string_equal(s.codes[0], code);
	verified(t);
}

static void test_cancel_remove_recheck(void **state)
{
	ob_testdb *t = *state;
	ob_ctx cx = tech1(t);
	char code[OB_SHIPMENT_CODE_MAX], a[OB_BARCODE_MAX], b[OB_BARCODE_MAX], v[32];
	ob_shipment_refusals ref = { 0 };

	specimen(t, "REG01", "D4", "B1", "A1", a);
	specimen(t, "REG01", "D4", "B2", "C3", b);
	draft(t, "REG02", code);
	refused(ob_shipment_pack(&cx, code, NULL), OB_ECONFLICT, "items:");
	const char *items[] = { "B1", b };
	ok(ob_shipment_add(&cx, code, items, 2, NULL));
	refused(ob_shipment_remove(&cx, code, a), OB_ECONFLICT, "barcode:");
	says("travels in box B1");
	refused(ob_shipment_remove(&cx, code, "NOPE"), OB_ENOTFOUND, "barcode: 'NOPE' is not on"
		" shipment");
	ok(ob_shipment_pack(&cx, code, NULL));
	/* packed, then reserved behind its back: shipping checks again */
	ok(ob_specimen_set_status(&t->cx, b, "reserved", "a study"));
	refused(ob_shipment_ship(&cx, code, NULL, NULL, &ref), OB_ECONFLICT, "1 of 2 items");
	assert_string_equal(ref.v[0].barcode, b);
	assert_string_equal(ref.v[0].reason, "status is reserved");
	ob_shipment_refusals_free(&ref);
	status_is(t, a, "available");
	text_of(t, "SELECT state FROM shipment WHERE code = $1", code, v, sizeof v);
	assert_string_equal(v, "packed");
	/* a box whose contents changed since it was added */
	ok(ob_specimen_move(&cx, a, "B1", "C1"));
	char c[OB_BARCODE_MAX];
	specimen(t, "REG01", "D4", "B1", "B2", c);
	ok(ob_specimen_set_status(&t->cx, b, "available", NULL));
	refused(ob_shipment_ship(&cx, code, NULL, NULL, &ref), OB_ECONFLICT, "1 of 2 items");
	assert_string_equal(ref.v[0].barcode, "B1");
	assert_non_null(strstr(ref.v[0].reason, c));
	ob_shipment_refusals_free(&ref);
	/* removing changes a packed one back to a draft */
	ok(ob_shipment_remove(&cx, code, "B1"));
	text_of(t, "SELECT state FROM shipment WHERE code = $1", code, v, sizeof v);
	assert_string_equal(v, "draft");
	assert_int_equal(count(t, "SELECT n_items FROM shipment WHERE code = $1", code), 1);
	assert_int_equal(count(t, "SELECT n_boxes FROM shipment WHERE code = $1", code), 0);
	/* cancelling needs a reason; a cancelled one takes nothing */
	refused(ob_shipment_cancel(&cx, code, ""), OB_EINVALID, "reason:");
	ok(ob_shipment_cancel(&cx, code, "the study was closed"));
	refused(ob_shipment_add(&cx, code, items, 2, NULL), OB_ECONFLICT, "state:");
	/* and its items are free to go elsewhere */
	char other[OB_SHIPMENT_CODE_MAX];
	draft(t, "NCC", other);
	const char *again[] = { b };
	ok(ob_shipment_add(&cx, other, again, 1, NULL));
	status_is(t, b, "available");
	verified(t);
}

/* 10,000 specimens packed and shipped: the time printed, not asserted. */
static void test_timing_10000(void **state)
{
	ob_testdb *t = *state;
	ob_ctx cx = tech1(t);
	enum { N = 10000 };
	char (*bc)[OB_BARCODE_MAX] = calloc(N, OB_BARCODE_MAX);
	const char **v = calloc(N, sizeof *v);
	char code[OB_SHIPMENT_CODE_MAX];
	struct timespec a, b, c, d;

	assert_non_null(bc);
	assert_non_null(v);
	ok(ob_store_begin(t->st));
	for (int i = 0; i < N; i++) {
		specimen(t, "REG01", "D4", NULL, NULL, bc[i]);
		v[i] = bc[i];
	}
	ok(ob_store_commit(t->st));
	draft(t, "NCC", code);
	clock_gettime(CLOCK_MONOTONIC, &a);
	ok(ob_shipment_add(&cx, code, v, N, NULL));
	clock_gettime(CLOCK_MONOTONIC, &b);
	ok(ob_shipment_pack(&cx, code, NULL));
	clock_gettime(CLOCK_MONOTONIC, &c);
	ok(ob_shipment_ship(&cx, code, NULL, NULL, NULL));
	clock_gettime(CLOCK_MONOTONIC, &d);
	printf("# 10000 specimens: add %.3f s, pack %.3f s, ship %.3f s (pack+ship %.3f s)\n",
		(double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9,
		(double)(c.tv_sec - b.tv_sec) + (double)(c.tv_nsec - b.tv_nsec) / 1e9,
		(double)(d.tv_sec - c.tv_sec) + (double)(d.tv_nsec - c.tv_nsec) / 1e9,
		(double)(d.tv_sec - b.tv_sec) + (double)(d.tv_nsec - b.tv_nsec) / 1e9);
	assert_int_equal(count(t, "SELECT COUNT(*) FROM specimen WHERE status = 'in_transit'", NULL), N);
	/* receiving a few by scan */
	ob_ctx ncc = as(t, "tech-ncc", OB_ROLE_TECHNICIAN, "NCC", "/NCC/");
	ob_shipment_scan_result res;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < 1000; i++) {
		ob_shipment_scan sc = { .barcode = bc[i] };
		ok(ob_shipment_receive(&ncc, code, &sc, &res));
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("# 1000 scans: %.0f scans/s\n", 1000.0 / ((double)(b.tv_sec - a.tv_sec)
		+ (double)(b.tv_nsec - a.tv_nsec) / 1e9));
	assert_int_equal(res.counts.received, 1000);
	assert_int_equal(res.counts.pending, N - 1000);
	verified(t);
	free(bc);
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create_and_bad_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_add_refusals_all_or_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ship_frees_positions_box_keeps_layout, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_receive_by_scan, setup, teardown),
		cmocka_unit_test_setup_teardown(test_extra_missing_finish, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_from_received_box, setup, teardown),
		cmocka_unit_test_setup_teardown(test_visibility_and_lists, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel_remove_recheck, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timing_10000, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
