/*
 * test_routes_bank.c - the biobank's routes (src/http/routes_bank.c and
 * the h_*.c handlers) through ob_http_dispatch(), without sockets: a
 * temporary database with a small network, users of several roles logged
 * in through POST /api/login, then requests built as structs. Checks that
 * every route answers, that bad input is a 400 naming the field, 404 and
 * 409 where due, that search filters are never SQL, that site scope and
 * roles hold, and that openapi.json lists exactly the routes of the tables.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support/testdb.h"
#include "bank/access.h"
#include "bank/barcode.h"
#include "bank/container.h"
#include "bank/fields.h"
#include "bank/identifier.h"
#include "bank/label.h"
#include "bank/shipment.h"
#include "bank/specimen.h"
#include "bank/user.h"
#include "base/error.h"
#include "base/util.h"
#include "http/http.h"
#include "store/store.h"

extern const char ob_text_openapi[];

static const char pw[] = "a long enough password";

enum { ADMIN, TECH1, TECH2, AUDITOR, RESEARCHER, MGR1, PATH1, ADMIN1, NUSERS };
static const struct {
	const char *name, *site, *role;
} users[NUSERS] = {
	{ "admin", NULL, "administrator" },
	{ "tech1", "REG01", "technician" },
	{ "tech2", "REG02", "technician" },
	{ "aud", NULL, "auditor" },
	{ "res1", "REG01", "researcher" },
	{ "mgr1", "REG01", "biobank_manager" },
	{ "path1", "REG01", "pathologist" },
	{ "admin1", "REG01", "administrator" },
};

typedef struct fixture {
	ob_testdb db;
	ob_http_response resp;
	char auth[NUSERS][100];
	char sp1[OB_BARCODE_MAX];  /* REG01 plasma in BOX1 A1 */
	char sp2[OB_BARCODE_MAX];  /* REG01 plasma, not stored */
	char sp3[OB_BARCODE_MAX];  /* REG02 serum in BOX2 A1 */
	char sp4[OB_BARCODE_MAX];  /* REG01 serum in BOX1B A1 */
	char key_dir[64];          /* the sites' keys (identifier.h) */
} fixture;

static fixture *F;

static void ok(int rc)
{
	if (rc < 0)
		fail_msg("unexpected error %d: %s", rc, ob_error_last());
}

static int call_as(int user, const char *method, const char *path, const char *query,
                   const char *body, const char *content_type);
static void lower(const char *s, char *out, size_t n);

/* Dispatches one request as user (-1: no login). query is "k=v&k=v" with
 * no escapes (values may hold anything but '&'). Returns the status. */
static int call(int user, const char *method, const char *path, const char *query,
                const char *body)
{
	ob_http_request req = { 0 };
	char qs[1024];

	req.method = method;
	req.path = path;
	req.body = body;
	req.body_len = body ? strlen(body) : 0;
	req.content_type = strncmp(path, "/api/import/", 12) ? "application/json" : "text/csv";
	req.authorization = user >= 0 ? F->auth[user] : NULL;
	req.client = "192.0.2.7";
	req.key_dir = F->key_dir;
	if (query) {
		char *p = qs, *amp;
		snprintf(qs, sizeof qs, "%s", query);
		while (p && *p && req.nquery < OB_HTTP_MAX_QUERY) {
			char *eq;
			if ((amp = strchr(p, '&')))
				*amp = '\0';
			eq = strchr(p, '=');
			if (eq)
				*eq = '\0';
			req.qkey[req.nquery] = p;
			req.qval[req.nquery++] = eq ? eq + 1 : "";
			p = amp ? amp + 1 : NULL;
		}
	}
	ob_http_dispatch(F->db.st, &req, &F->resp);
	return F->resp.status;
}

/* call() with the Content-Type given (NULL: none). */
static int call_as(int user, const char *method, const char *path, const char *query,
                   const char *b, const char *content_type)
{
	ob_http_request req = { 0 };

	(void)query;
	req.method = method;
	req.path = path;
	req.body = b;
	req.body_len = b ? strlen(b) : 0;
	req.content_type = content_type;
	req.authorization = user >= 0 ? F->auth[user] : NULL;
	req.client = "192.0.2.7";
	ob_http_dispatch(F->db.st, &req, &F->resp);
	return F->resp.status;
}

static const char *body(void)
{
	return ob_buf_cstr(&F->resp.body);
}

/* The response body parsed (caller decrefs). */
static json_t *jbody(void)
{
	json_error_t e;
	json_t *j = json_loads(body(), 0, &e);

	if (!j)
		fail_msg("response is not JSON (%s): %.300s", e.text, body());
	return j;
}

static void expect(int want, int got)
{
	if (want != got)
		fail_msg("expected status %d, got %d: %.500s", want, got, body());
}

static void expect_field(const char *field)
{
	json_t *j = jbody();
	const char *f = json_string_value(json_object_get(json_object_get(j, "error"), "field"));

	if (!f || strcmp(f, field))
		fail_msg("expected the error to name '%s': %.300s", field, body());
	json_decref(j);
}

static void login(int u)
{
	char b[200];
	json_t *j;

	snprintf(b, sizeof b, "{\"username\":\"%s\",\"password\":\"%s\"}", users[u].name, pw);
	expect(200, call(-1, "POST", "/api/login", NULL, b));
	j = jbody();
	snprintf(F->auth[u], sizeof F->auth[u], "Bearer %s",
		json_string_value(json_object_get(j, "token")));
	json_decref(j);
}

static void specimen(const char *site, const char *donor, const char *type, const char *box,
                     const char *pos, char *out)
{
	ob_specimen_new s;

	ob_specimen_new_init(&s);
	s.site = site;
	s.donor = donor;
	s.type = type;
	s.quantity = 2;
	s.unit = "ml";
	s.collected_at = "2024-03-01T10:00:00Z";
	s.container = box;
	s.position = pos;
	ok(ob_specimen_create(&F->db.cx, &s, NULL, out));
}

static void container(const char *barcode, const char *kind, const char *site, const char *parent)
{
	ob_container_new c;

	ob_container_new_init(&c);
	c.barcode = barcode;
	c.kind = kind;
	c.site = site;
	c.parent = parent;
	if (!strcmp(kind, "box"))
		c.rows = c.cols = 3;
	else
		c.temperature = -80;
	ok(ob_container_add(&F->db.cx, &c, NULL));
}

static int setup(void **state)
{
	(void)state;
	F = calloc(1, sizeof *F);
	if (!F)
		return -1;
	ob_testdb_open(&F->db);
	ob_testdb_network(&F->db);
	snprintf(F->key_dir, sizeof F->key_dir, "/tmp/ob-keys-XXXXXX");
	if (!mkdtemp(F->key_dir))
		return -1;
	F->db.cx.key_dir = F->key_dir;
	F->resp.body = (ob_buf)OB_BUF_INIT;
	for (int u = 0; u < NUSERS; u++)
		ok(ob_user_add(&F->db.cx, users[u].name, users[u].site, users[u].role, pw));
	container("FRZ1", "freezer", "REG01", NULL);
	container("BOX1", "box", NULL, "FRZ1");
	container("FRZ2", "freezer", "REG02", NULL);
	container("BOX2", "box", NULL, "FRZ2");
	container("BOX1B", "box", NULL, "FRZ1");
	ob_testdb_exec(&F->db, "INSERT INTO diagnosis (donor_id, topography, morphology)"
		" SELECT id, 'C50.9', '8500/3' FROM donor WHERE code = 'D1'");
	specimen("REG01", "D1", "plasma", "BOX1", "A1", F->sp1);
	specimen("REG01", "D1", "plasma", NULL, NULL, F->sp2);
	specimen("REG02", "D2", "serum", "BOX2", "A1", F->sp3);
	specimen("REG01", "D1", "serum", "BOX1B", "A1", F->sp4);
	/* a sequencing result at each site (7001 REG01's, 7002 REG02's) */
	for (int i = 0; i < 2; i++) {
		char sql[400];
		snprintf(sql, sizeof sql, "INSERT INTO sequencing_result (id, specimen_id, kind, assay,"
			" genome, file_name, vcf, vcf_sha256, variants, created_at, created_by)"
			" SELECT %d, id, 'somatic', 'panel', 'GRCh38', 'x.vcf', '##fileformat=VCFv4.2', '0',"
			" 0, '2024-01-01T00:00:00Z', 'admin' FROM specimen WHERE barcode = '%s'",
			7001 + i, i ? F->sp3 : F->sp1);
		ob_testdb_exec(&F->db, sql);
	}
	/* a draft shipment of each region (SHR1 REG01's, SHR2 REG02's) */
	ok(ob_shipment_create(&F->db.cx, &(ob_shipment_new){ .code = "SHR1", .from_site = "REG01",
		.to_site = "NCC" }, NULL));
	ok(ob_shipment_create(&F->db.cx, &(ob_shipment_new){ .code = "SHR2", .from_site = "REG02",
		.to_site = "NCC" }, NULL));
	for (int u = 0; u < NUSERS; u++)
		login(u);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ob_buf_dispose(&F->resp.body);
	ob_testdb_close(&F->db);
	{
		char k[128];
		snprintf(k, sizeof k, "%s/REG01.key", F->key_dir);
		unlink(k);
		snprintf(k, sizeof k, "%s/HOS01.key", F->key_dir);
		unlink(k);
		rmdir(F->key_dir);
	}
	free(F);
	F = NULL;
	ob_label_cleanup();  /* fontconfig's caches, for the leak checker */
	return 0;
}

static void path(char *out, size_t n, const char *fmt, const char *arg)
{
	snprintf(out, n, fmt, arg);
}

/* A string member of the response. */
static void member(const char *name, char *out, size_t n)
{
	json_t *j = jbody();
	const char *v = json_string_value(json_object_get(j, name));

	if (!v)
		fail_msg("no '%s' in %.300s", name, body());
	snprintf(out, n, "%s", v);
	json_decref(j);
}

static void assert_refused_label(int st)
{
	if (st != 403 && st != 404)
		fail_msg("expected 403 or 404, got %d", st);
}

/* ---- every route ------------------------------------------------------- */

static void test_every_route_answers(void **state)
{
	char p[200], bc[OB_BARCODE_MAX], al[OB_BARCODE_MAX];
	json_t *j;

	(void)state;
	expect(200, call(ADMIN, "GET", "/api/sites", NULL, NULL));
	expect(201, call(ADMIN, "POST", "/api/sites", NULL,
		"{\"code\":\"HOS02\",\"name\":\"Hospital 2\",\"kind\":\"hospital\",\"parent\":\"REG02\"}"));
	expect(200, call(ADMIN, "GET", "/api/donors", "site=REG01", NULL));
	expect(201, call(ADMIN, "POST", "/api/donors", NULL,
		"{\"site\":\"REG01\",\"code\":\"D9\",\"sex\":\"female\",\"birth_year\":1980}"));
	expect(200, call(ADMIN, "GET", "/api/donors/REG01/D9", NULL, NULL));
	expect(201, call(ADMIN, "POST", "/api/donors/REG01/D9/consents", NULL,
		"{\"form_version\":\"v1\",\"signed_on\":\"2024-01-01\",\"scope\":[\"storage\",\"research\"]}"));
	expect(201, call(ADMIN, "POST", "/api/donors/REG01/D9/diagnoses", NULL,
		"{\"topography\":\"C34.1\",\"morphology\":\"8140/3\",\"date\":\"2024-01-02\"}"));
	expect(201, call(ADMIN, "POST", "/api/specimens", NULL,
		"{\"site\":\"REG01\",\"donor\":\"D9\",\"type\":\"serum\",\"quantity\":2,\"unit\":\"ml\","
		"\"collected_at\":\"2024-02-01T09:00:00Z\",\"container\":\"BOX1\",\"position\":\"A2\"}"));
	member("barcode", bc, sizeof bc);
	expect(200, call(ADMIN, "GET", "/api/specimens", "site=REG01&limit=10", NULL));
	path(p, sizeof p, "/api/specimens/%s", bc);
	expect(200, call(ADMIN, "GET", p, NULL, NULL));
	path(p, sizeof p, "/api/specimens/%s/aliquots", bc);
	expect(201, call(ADMIN, "POST", p, NULL, "{\"quantity\":0.5,\"unit\":\"ml\",\"count\":2,"
		"\"container\":\"BOX1\",\"positions\":[\"B1\",\"B2\"]}"));
	j = jbody();
	assert_int_equal(json_array_size(json_object_get(j, "barcodes")), 2);
	snprintf(al, sizeof al, "%s", json_string_value(json_array_get(json_object_get(j, "barcodes"), 0)));
	json_decref(j);
	path(p, sizeof p, "/api/specimens/%s/derivatives", bc);
	expect(201, call(ADMIN, "POST", p, NULL, "{\"type\":\"cfdna\",\"quantity\":10,\"unit\":\"ng\","
		"\"used\":0.5}"));
	path(p, sizeof p, "/api/specimens/%s/move", bc);
	expect(200, call(ADMIN, "POST", p, NULL, "{\"container\":\"BOX1\",\"position\":\"C1\"}"));
	path(p, sizeof p, "/api/specimens/%s/status", bc);
	expect(200, call(ADMIN, "POST", p, NULL, "{\"status\":\"reserved\",\"reason\":\"project X\"}"));
	path(p, sizeof p, "/api/specimens/%s/thaw", bc);
	expect(200, call(ADMIN, "POST", p, NULL, NULL));
	snprintf(p, sizeof p, "{\"a\":\"%s\",\"b\":\"%s\"}", bc, al);
	expect(200, call(ADMIN, "POST", "/api/specimens/swap", NULL, p));
	expect(200, call(ADMIN, "GET", "/api/containers", "site=REG01", NULL));
	expect(201, call(ADMIN, "POST", "/api/containers", NULL,
		"{\"barcode\":\"BOX9\",\"kind\":\"box\",\"parent\":\"FRZ1\",\"rows\":2,\"cols\":2}"));
	expect(200, call(ADMIN, "GET", "/api/containers/BOX1", NULL, NULL));
	expect(200, call(ADMIN, "GET", "/api/containers/FRZ1", NULL, NULL));
	expect(200, call(ADMIN, "GET", "/api/containers/FRZ1/report", NULL, NULL));
	expect(200, call(ADMIN, "POST", "/api/containers/BOX9/empty", NULL, "{\"into\":\"BOX1\"}"));
	expect(200, call(ADMIN, "POST", "/api/import/donors", NULL,
		"site,donor,sex,birth_year\nREG01,D20,male,1950\n"));
	j = jbody();
	assert_int_equal(json_integer_value(json_object_get(j, "imported")), 1);
	json_decref(j);
	expect(200, call(ADMIN, "GET", "/api/export/specimens", "format=json&site=REG01", NULL));
	json_decref(jbody());
	expect(200, call(ADMIN, "GET", "/api/export/donors", NULL, NULL));
	assert_non_null(strstr(F->resp.content_type, "text/csv"));
	assert_non_null(strstr(F->resp.disposition, "donors.csv"));
	expect(200, call(ADMIN, "GET", "/api/sprec/SER-SST-A-B-N-A-D", NULL, NULL));
	expect(200, call(ADMIN, "GET", "/api/stats", NULL, NULL));
	expect(200, call(-1, "GET", "/api/openapi.json", NULL, NULL));
	json_decref(jbody());
	expect(201, call(ADMIN, "POST", "/api/consent-forms", NULL,
		"{\"form_version\":\"v4\",\"title\":\"Biobank consent 4\",\"statements\":["
		"{\"code\":\"STORE\",\"uses\":[\"storage\",\"research\"],\"text\":\"Keep and use\"},"
		"{\"code\":\"DNA\",\"uses\":[\"genetic\"],\"text\":\"Genetic research\","
		"\"text_zh\":\"\u9057\u4f20\"}]}"));
	j = jbody();
	assert_int_equal(json_array_size(json_object_get(j, "statements")), 2);
	json_decref(j);
	expect(200, call(ADMIN, "GET", "/api/consent-forms", NULL, NULL));
	json_decref(jbody());
	expect(200, call(ADMIN, "GET", "/api/consent-forms/v4", NULL, NULL));
	json_decref(jbody());
	expect(404, call(ADMIN, "GET", "/api/consent-forms/v5", NULL, NULL));
	expect(201, call(ADMIN, "POST", "/api/donors/REG01/D9/consents", NULL,
		"{\"form_version\":\"v4\",\"signed_on\":\"2024-03-01\",\"witness\":\"Nurse Li\","
		"\"responses\":{\"STORE\":\"yes\",\"DNA\":\"yes\"}}"));
	j = jbody();   /* storage, research, genetic and transfer (v4 asks nothing of it) */
	assert_int_equal(json_array_size(json_object_get(j, "uses")), 4);
	assert_string_equal(json_string_value(json_array_get(json_object_get(j, "uses"), 3)),
		"transfer");
	json_decref(j);
	expect(200, call(ADMIN, "POST", "/api/donors/REG01/D9/withdrawal", NULL,
		"{\"reason\":\"no genetics\",\"statement\":\"DNA\"}"));
	j = jbody();
	assert_int_equal(json_array_size(json_object_get(j, "uses")), 3);
	json_decref(j);
	expect(400, call(ADMIN, "POST", "/api/donors/REG01/D9/withdrawal", NULL,
		"{\"reason\":\"asked to\"}"));
	expect_field("disposition");
	expect(200, call(ADMIN, "POST", "/api/donors/REG01/D9/withdrawal", NULL,
		"{\"reason\":\"asked to\",\"disposition\":\"destroy\"}"));
	path(p, sizeof p, "/api/specimens/%s", bc);
	expect(200, call(ADMIN, "GET", p, NULL, NULL));
	j = jbody();
	assert_string_equal(json_string_value(json_object_get(j, "consent_disposition")), "destroy");
	json_decref(j);
}

static void test_search_pages_and_counts(void **state)
{
	json_t *j;

	(void)state;
	expect(200, call(ADMIN, "GET", "/api/specimens", "type=plasma&limit=1", NULL));
	j = jbody();
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 2);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 1);
	json_decref(j);
	expect(200, call(ADMIN, "GET", "/api/specimens", "type=plasma&limit=1&offset=1", NULL));
	j = jbody();
	assert_int_equal(json_array_size(json_object_get(j, "items")), 1);
	json_decref(j);
	expect(400, call(ADMIN, "GET", "/api/specimens", "limit=1001", NULL));
	expect_field("limit");
}

static void test_labels_are_pdf_or_png(void **state)
{
	char p[200];

	(void)state;
	path(p, sizeof p, "/api/labels/specimens/%s", F->sp1);
	expect(200, call(RESEARCHER, "GET", p, NULL, NULL));
	assert_string_equal(F->resp.content_type, "application/pdf");
	assert_memory_equal(F->resp.body.s, "%PDF", 4);
	assert_non_null(strstr(F->resp.disposition, ".pdf"));
	expect(200, call(RESEARCHER, "GET", p, "format=png&symbology=code128", NULL));
	assert_string_equal(F->resp.content_type, "image/png");
	assert_memory_equal(F->resp.body.s, "\x89PNG", 4);
	expect(400, call(RESEARCHER, "GET", p, "format=bmp", NULL));
	expect_field("format");
	expect(400, call(RESEARCHER, "GET", p, "symbology=qr", NULL));
	expect_field("symbology");
	expect(200, call(ADMIN, "GET", "/api/labels/containers/BOX1", "format=png", NULL));
	assert_memory_equal(F->resp.body.s, "\x89PNG", 4);
	expect(404, call(ADMIN, "GET", "/api/labels/specimens/NOPE-0001", NULL, NULL));
	expect(404, call(ADMIN, "GET", "/api/labels/containers/NOPE", NULL, NULL));
	path(p, sizeof p, "/api/labels/specimens/%s", F->sp3);
	assert_refused_label(call(TECH1, "GET", p, NULL, NULL));
}

/* ---- corrections -------------------------------------------------------- */

/* The string member name of element i of the response's "changes". */
static const char *change_member(json_t *j, size_t i, const char *name)
{
	return json_string_value(json_object_get(json_array_get(json_object_get(j, "changes"), i),
		name));
}

static void test_corrections_answer_the_record(void **state)
{
	json_t *j;
	size_t n;

	(void)state;
	/* a donor: the record as GET answers it, the history with the reason */
	expect(200, call(MGR1, "PATCH", "/api/donors/REG01/D1", NULL,
		"{\"reason\":\"transcription error\",\"birth_year\":1971}"));
	j = jbody();
	assert_int_equal(json_integer_value(json_object_get(j, "birth_year")), 1971);
	json_decref(j);
	expect(200, call(RESEARCHER, "GET", "/api/donors/REG01/D1/history", NULL, NULL));
	j = jbody();
	n = json_array_size(json_object_get(j, "changes"));
	assert_true(n > 1);
	assert_string_equal(change_member(j, n - 1, "field"), "birth_year");
	assert_string_equal(change_member(j, n - 1, "before"), "1970");
	assert_string_equal(change_member(j, n - 1, "after"), "1971");
	assert_string_equal(change_member(j, n - 1, "reason"), "transcription error");
	assert_string_equal(change_member(j, n - 1, "action"), "correct");
	json_decref(j);
	/* refusals name the field and change nothing */
	expect(400, call(MGR1, "PATCH", "/api/donors/REG01/D1", NULL, "{\"birth_year\":1972}"));
	expect_field("reason");
	expect(400, call(MGR1, "PATCH", "/api/donors/REG01/D1", NULL,
		"{\"reason\":\"r\",\"code\":\"D9\"}"));
	expect_field("code");
	expect(400, call(MGR1, "PATCH", "/api/donors/REG01/D1", NULL,
		"{\"reason\":\"r\",\"birth_year\":1971}"));
	expect_field("birth_year");
	expect(400, call(MGR1, "PATCH", "/api/donors/REG01/D1", NULL,
		"{\"reason\":\"r\",\"sex\":[1]}"));
	expect_field("sex");
	expect(404, call(MGR1, "PATCH", "/api/donors/REG01/NOPE", NULL,
		"{\"reason\":\"r\",\"sex\":\"male\"}"));
	/* a diagnosis, by the id GET lists */
	expect(200, call(PATH1, "PATCH", "/api/donors/REG01/D1/diagnoses/1", NULL,
		"{\"reason\":\"pathology review\",\"morphology\":\"8520/3\"}"));
	assert_non_null(strstr(body(), "\"id\":1,\"topography\":\"C50.9\",\"morphology\":\"8520/3\""));
	expect(404, call(PATH1, "PATCH", "/api/donors/REG01/D1/diagnoses/999", NULL,
		"{\"reason\":\"r\",\"morphology\":\"8500/3\"}"));
	expect(400, call(PATH1, "PATCH", "/api/donors/REG01/D1/diagnoses/x", NULL,
		"{\"reason\":\"r\",\"morphology\":\"8500/3\"}"));
	expect_field("id");
	expect(403, call(TECH1, "PATCH", "/api/donors/REG01/D1/diagnoses/1", NULL,
		"{\"reason\":\"r\",\"morphology\":\"8500/3\"}"));
	/* a container: renamed, moved with its contents, answered as GET */
	expect(200, call(TECH1, "PATCH", "/api/containers/BOX1B", NULL,
		"{\"reason\":\"relabelled\",\"name\":\"Serum box\",\"temperature\":-70.5}"));
	expect(201, call(TECH1, "POST", "/api/containers", NULL,
		"{\"barcode\":\"RACK9\",\"kind\":\"rack\",\"parent\":\"FRZ1\"}"));
	expect(200, call(TECH1, "PATCH", "/api/containers/BOX1B", NULL,
		"{\"reason\":\"reorganised\",\"parent\":\"RACK9\"}"));
	assert_non_null(strstr(body(), F->sp4));
	expect(400, call(TECH1, "PATCH", "/api/containers/BOX1B", NULL,
		"{\"reason\":\"r\",\"parent\":\"BOX1\"}"));
	expect_field("parent");
	expect(404, call(TECH1, "PATCH", "/api/containers/BOX1B", NULL,
		"{\"reason\":\"r\",\"parent\":\"FRZ2\"}"));
	expect(200, call(TECH1, "GET", "/api/containers/BOX1B/history", NULL, NULL));
	j = jbody();
	n = json_array_size(json_object_get(j, "changes"));
	assert_string_equal(change_member(j, n - 1, "field"), "parent");
	assert_string_equal(change_member(j, n - 1, "before"), "FRZ1");
	assert_string_equal(change_member(j, n - 1, "after"), "RACK9");
	json_decref(j);
	/* a site: administrators only; GET shows it */
	expect(403, call(MGR1, "PATCH", "/api/sites/HOS01", NULL,
		"{\"reason\":\"r\",\"name\":\"H\"}"));
	expect(200, call(ADMIN1, "PATCH", "/api/sites/HOS01", NULL,
		"{\"reason\":\"official name\",\"name\":\"Hospital One\"}"));
	j = jbody();
	assert_string_equal(json_string_value(json_object_get(j, "name")), "Hospital One");
	assert_true(json_is_null(json_object_get(j, "retired")));
	json_decref(j);
	expect(200, call(RESEARCHER, "GET", "/api/sites/HOS01", NULL, NULL));
	expect(404, call(RESEARCHER, "GET", "/api/sites/NOPE", NULL, NULL));
	expect(200, call(ADMIN1, "GET", "/api/sites/HOS01/history", NULL, NULL));
	assert_non_null(strstr(body(), "official name"));
}

/* ---- bad input --------------------------------------------------------- */

static void test_bad_json_names_the_field(void **state)
{
	char p[200];

	(void)state;
	expect(400, call(ADMIN, "POST", "/api/specimens", NULL, "{\"type\":5}"));
	expect_field("type");
	expect(400, call(ADMIN, "POST", "/api/specimens", NULL, "{\"type\":\"plasma\",\"quantity\":\"x\"}"));
	expect_field("quantity");
	expect(400, call(ADMIN, "POST", "/api/specimens", NULL, "{\"tyep\":\"plasma\"}"));
	expect_field("tyep");
	expect(400, call(ADMIN, "POST", "/api/donors", NULL, "{not json"));
	expect_field("body");
	expect(400, call(ADMIN, "POST", "/api/donors", NULL, "[]"));
	expect_field("body");
	expect(400, call(ADMIN, "POST", "/api/donors", NULL, "{\"site\":\"REG01\"}"));
	expect_field("code");
	expect(400, call(ADMIN, "POST", "/api/containers", NULL,
		"{\"barcode\":\"BX\",\"kind\":\"box\",\"rows\":\"two\"}"));
	expect_field("rows");
	expect(400, call(ADMIN, "POST", "/api/donors/REG01/D1/consents", NULL,
		"{\"form_version\":\"v3\",\"signed_on\":\"2024-05-01\",\"scope\":[1]}"));
	expect_field("scope");
	path(p, sizeof p, "/api/specimens/%s/status", F->sp2);
	expect(400, call(ADMIN, "POST", p, NULL, "{\"status\":\"lost\"}"));
	expect_field("status");
	path(p, sizeof p, "/api/specimens/%s/move", F->sp2);
	expect(400, call(ADMIN, "POST", p, NULL, "{\"position\":\"A1\"}"));
	expect_field("container");
	path(p, sizeof p, "/api/specimens/%s/aliquots", F->sp2);
	expect(400, call(ADMIN, "POST", p, NULL, "{\"count\":0}"));
	expect_field("count");
	expect(400, call(ADMIN, "GET", "/api/specimens", "type=nonsense", NULL));
	expect_field("type");
	expect(400, call(ADMIN, "GET", "/api/specimens", "consent=everything", NULL));
	expect_field("consent");
	expect(400, call(ADMIN, "GET", "/api/export/specimens", "format=xml", NULL));
	expect_field("format");
	expect(400, call(ADMIN, "GET", "/api/sprec/SER-SST-A-Q-N-A-D", NULL, NULL));
	expect_field("code");
	expect(400, call(ADMIN, "GET", "/api/sprec/SER-SST-A-B-N-A-D", "version=5.0", NULL));
	expect_field("version");
	expect(400, call(ADMIN, "POST", "/api/import/donors", "date_order=ymd", "site,donor\n"));
	expect_field("date_order");
	expect(400, call(ADMIN, "POST", "/api/import/consents", "consent_phase=some", "site\n"));
	expect_field("consent_phase");
	expect(400, call(ADMIN, "GET", "/api/stats", "recent=many", NULL));
	expect_field("recent");
}

static void test_import_reports_bad_rows(void **state)
{
	json_t *j, *row;

	(void)state;
	expect(400, call(ADMIN, "POST", "/api/import/donors", NULL,
		"site,donor,sex,birth_year\nREG01,D30,male,1950\nREG01,D31,sometimes,1951\n"));
	j = jbody();
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "code")),
		"invalid");
	row = json_array_get(json_object_get(j, "rows"), 0);
	assert_non_null(row);
	assert_int_equal(json_integer_value(json_object_get(row, "line")), 3);
	assert_string_equal(json_string_value(json_object_get(row, "column")), "sex");
	assert_non_null(json_string_value(json_object_get(row, "message")));
	json_decref(j);
	/* All or nothing: the good row was not written either. */
	expect(404, call(ADMIN, "GET", "/api/donors/REG01/D30", NULL, NULL));
	expect(404, call(ADMIN, "POST", "/api/import/freezers", NULL, "a\n1\n"));
	expect(400, call(ADMIN, "POST", "/api/import/donors", NULL, NULL));
}

/* mode=update: each row corrects the specimen it names, with its reason;
 * a bad row is reported as the create import reports one. */
static void test_import_update_corrects_specimens(void **state)
{
	char csv[256];
	json_t *j, *row;

	(void)state;
	snprintf(csv, sizeof csv, "barcode,label,reason\n%s,HTTP-FIXED,relabelled\n", F->sp2);
	expect(200, call(ADMIN, "POST", "/api/import/specimens", "mode=update", csv));
	j = jbody();
	assert_int_equal(json_integer_value(json_object_get(j, "imported")), 1);
	json_decref(j);
	snprintf(csv, sizeof csv, "barcode,label,reason\n%s,HTTP-AGAIN,\n", F->sp2);
	expect(400, call(ADMIN, "POST", "/api/import/specimens", "mode=update", csv));
	j = jbody();
	row = json_array_get(json_object_get(j, "rows"), 0);
	assert_int_equal(json_integer_value(json_object_get(row, "line")), 2);
	assert_string_equal(json_string_value(json_object_get(row, "column")), "reason");
	json_decref(j);
	/* the refused file changed nothing */
	snprintf(csv, sizeof csv, "/api/specimens/%s", F->sp2);
	expect(200, call(ADMIN, "GET", csv, NULL, NULL));
	j = jbody();
	assert_string_equal(json_string_value(json_object_get(j, "label")), "HTTP-FIXED");
	json_decref(j);
	expect(400, call(ADMIN, "POST", "/api/import/donors", "mode=update", "site,donor\n"));
	expect_field("mode");
	expect(400, call(ADMIN, "POST", "/api/import/specimens", "mode=upsert", "barcode\n"));
	expect_field("mode");
}

static void test_unknown_things_are_404(void **state)
{
	(void)state;
	expect(404, call(ADMIN, "GET", "/api/specimens/NOPE-0001", NULL, NULL));
	expect(404, call(ADMIN, "POST", "/api/specimens/NOPE-0001/status", NULL,
		"{\"status\":\"missing\"}"));
	expect(404, call(ADMIN, "POST", "/api/specimens/NOPE-0001/thaw", NULL, NULL));
	expect(404, call(ADMIN, "POST", "/api/specimens/NOPE-0001/move", NULL,
		"{\"container\":\"BOX1\",\"position\":\"C3\"}"));
	expect(404, call(ADMIN, "GET", "/api/containers/NOPE", NULL, NULL));
	expect(404, call(ADMIN, "GET", "/api/containers/NOPE/report", NULL, NULL));
	expect(404, call(ADMIN, "GET", "/api/donors/REG01/NOPE", NULL, NULL));
}

static void test_taken_position_and_duplicates_are_409(void **state)
{
	char p[200];

	(void)state;
	path(p, sizeof p, "/api/specimens/%s/move", F->sp2);
	expect(409, call(ADMIN, "POST", p, NULL, "{\"container\":\"BOX1\",\"position\":\"A1\"}"));
	expect(409, call(ADMIN, "POST", "/api/containers", NULL,
		"{\"barcode\":\"BOX1\",\"kind\":\"box\",\"parent\":\"FRZ1\",\"rows\":2,\"cols\":2}"));
	expect(409, call(ADMIN, "POST", "/api/donors", NULL, "{\"site\":\"REG01\",\"code\":\"D1\"}"));
}

/* ---- search filters are data, never SQL -------------------------------- */

static void test_search_filters_resist_injection(void **state)
{
	static const char *const filters[] = { "site", "type", "status", "topography", "morphology",
		"consent", "container", "donor", "pathology", "lineage", NULL };
	static const char *const attacks[] = { "' OR 1=1 --", "' OR '1'='1", "\" OR \"\"=\"",
		"1; DROP TABLE specimen; --", "x') UNION SELECT * FROM site --", "%", "_", "REG01' --",
		"C50%' OR 1=1 --", "\\", NULL };
	char q[300];

	(void)state;
	for (const char *const *f = filters; *f; f++)
		for (const char *const *a = attacks; *a; a++) {
			int st;
			snprintf(q, sizeof q, "%s=%s", *f, *a);
			st = call(ADMIN, "GET", "/api/specimens", q, NULL);
			if (st == 200) {
				json_t *j = jbody();
				if (json_integer_value(json_object_get(j, "total")) != 0
				    || json_array_size(json_object_get(j, "items")) != 0)
					fail_msg("%s matched specimens: %.300s", q, body());
				json_decref(j);
			} else if (st != 400 && st != 404) {
				fail_msg("%s: status %d: %.300s", q, st, body());
			}
			st = call(ADMIN, "GET", "/api/export/specimens", q, NULL);
			if (st == 200 && strchr(body(), '\n') != strrchr(body(), '\n'))
				fail_msg("export %s gave rows: %.300s", q, body());
			if (st != 200 && st != 400 && st != 404)
				fail_msg("export %s: status %d", q, st);
		}
	/* The list routes' filters too: an empty list, a 400 or a 404. */
	static const char *const lists[][2] = { { "/api/donors", "site" },
		{ "/api/containers", "site" }, { "/api/containers", "under" }, { "/api/sites", "under" } };
	for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++)
		for (const char *const *a = attacks; *a; a++) {
			int st;
			snprintf(q, sizeof q, "%s=%s", lists[l][1], *a);
			st = call(ADMIN, "GET", lists[l][0], q, NULL);
			if (st == 200 && strcmp(body(), "[]"))
				fail_msg("%s?%s listed: %.300s", lists[l][0], q, body());
			if (st != 200 && st != 400 && st != 404)
				fail_msg("%s?%s: status %d: %.300s", lists[l][0], q, st, body());
		}
	expect(400, call(ADMIN, "GET", "/api/specimens", "limit=1 OR 1=1", NULL));
	expect(400, call(ADMIN, "GET", "/api/specimens", "offset=0;--", NULL));
	/* The table is still there. */
	expect(200, call(ADMIN, "GET", "/api/specimens", NULL, NULL));
	assert_true(ob_testdb_count(&F->db, "SELECT COUNT(*) FROM specimen") >= 3);
}

/* ---- scope and roles --------------------------------------------------- */

static void assert_refused(int st)
{
	if (st != 403 && st != 404)
		fail_msg("expected 403 or 404, got %d: %.300s", st, body());
}

static void test_region_cannot_touch_another(void **state)
{
	char p[200];
	json_t *j, *it;
	size_t i;

	(void)state;
	path(p, sizeof p, "/api/specimens/%s", F->sp3);
	assert_refused(call(TECH1, "GET", p, NULL, NULL));
	path(p, sizeof p, "/api/specimens/%s/status", F->sp3);
	assert_refused(call(TECH1, "POST", p, NULL, "{\"status\":\"missing\"}"));
	path(p, sizeof p, "/api/specimens/%s/thaw", F->sp3);
	assert_refused(call(TECH1, "POST", p, NULL, NULL));
	path(p, sizeof p, "/api/specimens/%s/move", F->sp3);
	assert_refused(call(TECH1, "POST", p, NULL, "{\"container\":\"BOX1\",\"position\":\"C3\"}"));
	assert_refused(call(TECH1, "GET", "/api/containers/BOX2", NULL, NULL));
	assert_refused(call(TECH1, "POST", "/api/containers", NULL,
		"{\"barcode\":\"BOXX\",\"kind\":\"box\",\"parent\":\"FRZ2\",\"rows\":2,\"cols\":2}"));
	/* Search sees no REG02 specimen. */
	expect(200, call(TECH1, "GET", "/api/specimens", NULL, NULL));
	j = jbody();
	json_array_foreach(json_object_get(j, "items"), i, it)
		if (!strcmp(json_string_value(json_object_get(it, "site")), "REG02"))
			fail_msg("tech1 sees a REG02 specimen: %.300s", body());
	/* The total counts the same specimens the pages list. */
	if ((size_t)json_integer_value(json_object_get(j, "total"))
	    != json_array_size(json_object_get(j, "items")))
		fail_msg("tech1's total is not the number of specimens it may see: %.300s", body());
	json_decref(j);
	/* Nor does an export. */
	expect(200, call(TECH1, "GET", "/api/export/specimens", "format=json", NULL));
	if (strstr(body(), F->sp3))
		fail_msg("tech1's export holds REG02's %s", F->sp3);
	/* Its own region is fine. */
	path(p, sizeof p, "/api/specimens/%s", F->sp1);
	expect(200, call(TECH1, "GET", p, NULL, NULL));
}

static void test_readers_cannot_write(void **state)
{
	char p[200];

	(void)state;
	for (int u = AUDITOR; u <= RESEARCHER; u++) {
		expect(403, call(u, "POST", "/api/specimens", NULL,
			"{\"site\":\"REG01\",\"donor\":\"D1\",\"type\":\"serum\"}"));
		expect(403, call(u, "POST", "/api/containers", NULL,
			"{\"barcode\":\"BOXY\",\"kind\":\"box\",\"parent\":\"FRZ1\",\"rows\":2,\"cols\":2}"));
		path(p, sizeof p, "/api/specimens/%s/status", F->sp1);
		expect(403, call(u, "POST", p, NULL, "{\"status\":\"missing\"}"));
		expect(403, call(u, "POST", "/api/import/donors", NULL, "site,donor\nREG01,D77\n"));
		expect(403, call(u, "POST", "/api/sites", NULL, "{\"code\":\"X\",\"kind\":\"hospital\","
			"\"parent\":\"REG01\"}"));
		path(p, sizeof p, "/api/specimens/%s", F->sp1);
		expect(200, call(u, "GET", p, NULL, NULL));
	}
	expect(401, call(-1, "GET", "/api/stats", NULL, NULL));
}

static void test_stats_stay_in_scope(void **state)
{
	json_t *j, *s;
	size_t i;

	(void)state;
	expect(200, call(TECH2, "GET", "/api/stats", "recent=5", NULL));
	j = jbody();
	json_array_foreach(json_object_get(j, "by_site"), i, s)
		if (strncmp(json_string_value(json_object_get(s, "path")), "/NCC/REG02/", 11))
			fail_msg("tech2's stats show another site: %.400s", body());
	assert_null(json_object_get(json_object_get(j, "by_type"), "plasma"));
	json_decref(j);
	expect(200, call(AUDITOR, "GET", "/api/stats", NULL, NULL));
	j = jbody();
	assert_true(json_integer_value(json_object_get(j, "specimens")) >= 3);
	assert_true(json_integer_value(json_object_get(json_object_get(j, "by_type"), "plasma")) >= 2);
	assert_true(json_array_size(json_object_get(j, "by_diagnosis")) >= 1);
	json_decref(j);
	expect(400, call(ADMIN, "GET", "/api/stats", "recent=0", NULL));
	/* The network as a tree: the center first, its total the whole network. */
	expect(200, call(ADMIN, "GET", "/api/stats", NULL, NULL));
	j = jbody();
	s = json_array_get(json_object_get(j, "by_site"), 0);
	assert_string_equal(json_string_value(json_object_get(s, "code")), "NCC");
	assert_int_equal(json_integer_value(json_object_get(s, "depth")), 0);
	assert_int_equal(json_integer_value(json_object_get(s, "total")),
		json_integer_value(json_object_get(j, "specimens")));
	json_array_foreach(json_object_get(j, "by_site"), i, s)
		if (!strcmp(json_string_value(json_object_get(s, "code")), "REG01")) {
			assert_int_equal(json_integer_value(json_object_get(s, "depth")), 1);
			assert_true(json_integer_value(json_object_get(s, "total"))
				>= json_integer_value(json_object_get(s, "specimens")));
			assert_true(json_integer_value(json_object_get(s, "total")) >= 2);
		}
	json_decref(j);
}

/* ---- what the dispatcher checks before a handler ------------------------ */

/* Each route takes only the query parameters it declares; an unknown one,
 * a value outside a vocabulary or a range, or a parameter given twice is a
 * 400 naming it - never an unfiltered 200. */
static void test_query_parameters_are_declared(void **state)
{
	(void)state;
	expect(400, call(ADMIN, "GET", "/api/specimens", "pathology=bogus", NULL));
	expect_field("pathology");
	expect(400, call(ADMIN, "GET", "/api/specimens", "lineage=clone", NULL));
	expect_field("lineage");
	expect(400, call(ADMIN, "GET", "/api/specimens", "status=lost", NULL));
	expect_field("status");
	expect(400, call(ADMIN, "GET", "/api/specimens", "typo=plasma", NULL));
	expect_field("typo");
	assert_non_null(strstr(body(), "pathology"));  /* the message lists what is taken */
	expect(400, call(ADMIN, "GET", "/api/specimens", "consent=storage,bogus", NULL));
	expect_field("consent");
	expect(400, call(ADMIN, "GET", "/api/specimens", "offset=-1", NULL));
	expect_field("offset");
	expect(400, call(ADMIN, "GET", "/api/specimens", "type=plasma&type=serum", NULL));
	expect_field("type");
	expect(400, call(ADMIN, "GET", "/api/me", "x=1", NULL));
	expect_field("x");
	expect(400, call(ADMIN, "GET", "/api/sites", "site=REG01", NULL));
	expect_field("site");
	expect(400, call(ADMIN, "GET", "/api/sequencing", "limit=0", NULL));
	expect_field("limit");
	expect(400, call(ADMIN, "GET", "/api/specimens", "site=REG\x01", NULL));
	expect_field("site");
	expect(400, call(ADMIN, "GET", "/api/specimens", "donor=D\xff", NULL));
	expect_field("donor");
	expect(200, call(ADMIN, "GET", "/api/specimens",
		"pathology=unknown&lineage=primary&consent=storage,research&status=available"
		"&limit=5&offset=0", NULL));
	expect(200, call(ADMIN, "GET", "/api/export/specimens", "format=csv&type=plasma", NULL));
	/* Path segments are text too. */
	expect(400, call(ADMIN, "GET", "/api/specimens/OB\x7f" "1", NULL, NULL));
	expect_field("barcode");
}

/* The declared parameters are those openapi.json lists, with the same
 * enums and ranges. */
static void test_openapi_parameters_match_routes(void **state)
{
	const ob_http_route *const tables[] = { ob_http_routes_auth, ob_http_routes_bank };
	json_error_t e;
	json_t *doc = json_loads(ob_text_openapi, 0, &e);
	char m[16];

	(void)state;
	assert_non_null(doc);
	for (size_t t = 0; t < 2; t++)
		for (const ob_http_route *r = tables[t]; r->method; r++) {
			json_t *op, *params, *prm;
			size_t i, nq = 0, nd = 0;

			lower(r->method, m, sizeof m);
			op = json_object_get(json_object_get(json_object_get(doc, "paths"), r->pattern), m);
			params = json_object_get(op, "parameters");
			for (const ob_http_param *q = r->query; q && q->name; q++)
				nd++;
			json_array_foreach(params, i, prm) {
				const char *name = json_string_value(json_object_get(prm, "name"));
				json_t *sc = json_object_get(prm, "schema"), *en;
				const ob_http_param *q = r->query;

				/* A text parameter gives its field's length (bank/fields.h). */
				if (!strcmp(json_string_value(json_object_get(sc, "type")), "string")
				    && !json_object_get(sc, "enum")
				    && json_integer_value(json_object_get(sc, "maxLength"))
					!= (json_int_t)ob_field_limit_of(name)->max)
					fail_msg("%s %s: %s: maxLength is not %zu", r->method, r->pattern, name,
						ob_field_limit_of(name)->max);
				if (strcmp(json_string_value(json_object_get(prm, "in")), "query"))
					continue;
				nq++;
				while (q && q->name && strcmp(q->name, name))
					q++;
				if (!q || !q->name)
					fail_msg("%s %s: openapi.json has query parameter %s, the route does not",
						r->method, r->pattern, name);
				if (q->kind == OB_PARAM_LIST) {
					if (strcmp(json_string_value(json_object_get(sc, "type")), "array")
					    || json_is_true(json_object_get(prm, "explode")))
						fail_msg("%s: a comma list is an array with explode false", name);
					sc = json_object_get(sc, "items");
				}
				en = json_object_get(sc, "enum");
				if (q->kind == OB_PARAM_ENUM || q->kind == OB_PARAM_LIST) {
					size_t k = 0;
					for (; q->values[k]; k++)
						if (!json_string_value(json_array_get(en, k))
						    || strcmp(json_string_value(json_array_get(en, k)), q->values[k]))
							fail_msg("%s %s: %s: enum item %zu differs from '%s'", r->method,
								r->pattern, name, k, q->values[k]);
					if (k != json_array_size(en))
						fail_msg("%s: openapi.json has more words", name);
				} else if (en) {
					fail_msg("%s: an enum in openapi.json, not in the route", name);
				}
				if (q->kind == OB_PARAM_INT) {
					json_t *mx = json_object_get(sc, "maximum");
					assert_int_equal(json_integer_value(json_object_get(sc, "minimum")), q->min);
					if (q->max == INT64_MAX ? mx != NULL : json_integer_value(mx) != q->max)
						fail_msg("%s %s: %s: maximum differs", r->method, r->pattern, name);
				}
			}
			if (nq != nd)
				fail_msg("%s %s: %zu query parameters declared, openapi.json lists %zu",
					r->method, r->pattern, nd, nq);
		}
	/* Every maxLength of a body member is its field's length. */
	{
		const char *sname, *pname;
		json_t *sc, *prop;
		json_object_foreach(json_object_get(json_object_get(doc, "components"), "schemas"),
				sname, sc)
			json_object_foreach(json_object_get(sc, "properties"), pname, prop) {
				json_t *mx = json_object_get(prop, "maxLength");
				if (mx && json_integer_value(mx) != (json_int_t)ob_field_limit_of(pname)->max)
					fail_msg("%s.%s: maxLength %lld, fields.c says %zu", sname, pname,
						(long long)json_integer_value(mx), ob_field_limit_of(pname)->max);
			}
	}
	json_decref(doc);
}

/* A JSON route reads only a JSON body (charset allowed); 415 otherwise. */
static void test_json_body_needs_json_content_type(void **state)
{
	static const char donor[] = "{\"site\":\"REG01\",\"code\":\"D77\"}";

	(void)state;
	expect(415, call_as(ADMIN, "POST", "/api/donors", NULL, donor, "text/plain"));
	expect_field("Content-Type");
	expect(415, call_as(ADMIN, "POST", "/api/donors", NULL, donor, NULL));
	expect(415, call_as(ADMIN, "POST", "/api/donors", NULL, donor,
		"application/json; charset=latin1"));
	expect(415, call_as(ADMIN, "POST", "/api/import/donors", NULL, "site,donor\n",
		"application/json"));
	expect(404, call(ADMIN, "GET", "/api/donors/REG01/D77", NULL, NULL));
	expect(201, call_as(ADMIN, "POST", "/api/donors", NULL, donor,
		"application/json; charset=UTF-8"));
}

/* Strings are text within their field's length; amounts are quantities. */
static json_int_t specimen_total(void)
{
	json_t *j;
	json_int_t n;

	expect(200, call(ADMIN, "GET", "/api/specimens", "limit=0", NULL));
	j = jbody();
	n = json_integer_value(json_object_get(j, "total"));
	json_decref(j);
	return n;
}

static void test_json_values_are_checked(void **state)
{
	char p[200], big[300];
	json_int_t before = specimen_total();

	(void)state;
	path(p, sizeof p, "/api/specimens/%s/aliquots", F->sp2);
	memset(big, 'L', 65);
	snprintf(big + 65, sizeof big - 65, "%s", "");
	{
		char b[400];
		snprintf(b, sizeof b, "{\"quantity\":0.1,\"unit\":\"ml\",\"label\":\"%s\"}", big);
		expect(400, call(ADMIN, "POST", p, NULL, b));
		expect_field("label");
	}
	expect(400, call(ADMIN, "POST", p, NULL, "{\"quantity\":0.1,\"unit\":\"ml\","
		"\"label\":\"a\\u0007b\"}"));
	expect_field("label");
	expect(400, call(ADMIN, "POST", p, NULL, "{\"quantity\":1e308,\"unit\":\"ml\"}"));
	expect_field("quantity");
	expect(400, call(ADMIN, "POST", p, NULL, "{\"quantity\":-1,\"unit\":\"ml\"}"));
	expect_field("quantity");
	expect(400, call(ADMIN, "POST", p, NULL, "{\"quantity\":0,\"unit\":\"ml\"}"));
	expect_field("quantity");
	expect(400, call(ADMIN, "POST", p, NULL, "{\"quantity\":NaN,\"unit\":\"ml\"}"));
	expect_field("body");
	expect(400, call(ADMIN, "POST", "/api/specimens", NULL, "{\"site\":\"REG01\",\"donor\":"
		"\"D1\",\"type\":\"plasma\",\"precentrifugation_min\":-5}"));
	expect_field("precentrifugation_min");
	expect(400, call(ADMIN, "POST", "/api/specimens", NULL, "{\"site\":\"REG01\",\"donor\":"
		"\"D1\",\"type\":\"plasma\",\"quantity\":2,\"unit\":\"block\"}"));
	expect_field("unit");
	expect(400, call(ADMIN, "POST", "/api/specimens", NULL, "{\"site\":\"REG01\",\"donor\":"
		"\"D1\",\"type\":\"plasma\",\"collected_at\":\"2199-01-01\"}"));
	expect_field("collected_at");
	expect(400, call(ADMIN, "POST", p, NULL, "{\"quantity\":0.1,\"unit\":\"ml\","
		"\"positions\":[\"A\\u0000\"]}"));
	expect(400, call(ADMIN, "POST", "/api/donors/REG01/D1/consents", NULL,
		"{\"form_version\":\"v3\",\"signed_on\":\"2024-05-01\",\"scope\":\"storage\"}"));
	expect_field("scope");
	/* Nothing was written by any of these. */
	assert_int_equal(specimen_total(), before);
}

/* The roles of each write route are those of access.h's table. */
static void test_route_roles_follow_access_table(void **state)
{
	(void)state;
	for (const ob_http_route *r = ob_http_routes_bank; r->method; r++) {
		ob_action act = OB_ACT_READ;
		if (!strcmp(r->pattern, "/api/openapi.json")) {
			assert_int_equal(r->roles, 0);
			continue;
		}
		if (strcmp(r->method, "GET")) {
			if (!strcmp(r->pattern, "/api/studies/{code}/participants"))
				act = OB_ACT_DONOR;  /* enrolment: at the donor's site */
			else if (!strncmp(r->pattern, "/api/studies", 12))
				act = OB_ACT_STUDY;
			else if (!strncmp(r->pattern, "/api/sites", 10))
				act = OB_ACT_SITE;
			else if (strstr(r->pattern, "/diagnoses"))
				act = OB_ACT_DIAGNOSIS;
			else if (!strncmp(r->pattern, "/api/donors", 11)
				 || !strncmp(r->pattern, "/api/consent-forms", 18))
				act = OB_ACT_DONOR;
			else if (!strncmp(r->pattern, "/api/specimens", 14))
				act = OB_ACT_SPECIMEN;
			else if (!strncmp(r->pattern, "/api/containers", 15))
				act = OB_ACT_CONTAINER;
			else if (!strncmp(r->pattern, "/api/import", 11))
				act = OB_ACT_IMPORT;
			else if (!strncmp(r->pattern, "/api/shipments", 14))
				act = OB_ACT_SHIPMENT;
			else
				fail_msg("no action for %s %s", r->method, r->pattern);
		}
		unsigned want = ob_access_roles(act);
		/* what a study researcher reads: their studies and their specimens */
		if (!strcmp(r->method, "GET") && (!strncmp(r->pattern, "/api/studies", 12)
		    || !strcmp(r->pattern, "/api/specimens")
		    || !strcmp(r->pattern, "/api/specimens/{barcode}")))
			want |= OB_ROLE_STUDY;
		/* a correction of a specimen: a pathologist's fields too */
		if (!strcmp(r->method, "PATCH") && !strcmp(r->pattern, "/api/specimens/{barcode}"))
			want |= ob_access_roles(OB_ACT_PATHOLOGY);
		if (r->roles != want)
			fail_msg("%s %s: roles %#x, access.h says %#x", r->method, r->pattern, r->roles,
				want);
	}
}

/* ---- the OpenAPI document ---------------------------------------------- */

static void lower(const char *s, char *out, size_t n)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < n; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	out[i] = '\0';
}

static bool in_tables(const char *method, const char *pattern)
{
	const ob_http_route *const tables[] = { ob_http_routes_auth, ob_http_routes_bank,
		ob_http_routes_ops };

	for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
		for (const ob_http_route *r = tables[t]; r->method; r++)
			if (ob_streq_ci(r->method, method) && !strcmp(r->pattern, pattern))
				return true;
	return false;
}

/* Every {name} of a path is a required path parameter of each operation. */
static void path_params_declared(const char *path, const char *method, json_t *op)
{
	for (const char *p = strchr(path, '{'); p; p = strchr(p + 1, '{')) {
		const char *end = strchr(p, '}');
		json_t *params = json_object_get(op, "parameters"), *prm;
		bool found = false;
		size_t i;

		assert_non_null(end);
		json_array_foreach(params, i, prm) {
			const char *name = json_string_value(json_object_get(prm, "name"));
			if (name && strlen(name) == (size_t)(end - p - 1) && !strncmp(name, p + 1, strlen(name))
			    && !strcmp(json_string_value(json_object_get(prm, "in")), "path")
			    && json_is_true(json_object_get(prm, "required")))
				found = true;
		}
		if (!found)
			fail_msg("%s %s: path parameter %.*s is not declared", method, path,
				(int)(end - p - 1), p + 1);
	}
}

static void test_openapi_lists_every_route(void **state)
{
	const ob_http_route *const tables[] = { ob_http_routes_auth, ob_http_routes_bank,
		ob_http_routes_ops };
	json_error_t e;
	json_t *doc = json_loads(ob_text_openapi, 0, &e), *paths, *item, *op;
	const char *key, *method;
	char m[16];

	(void)state;
	if (!doc)
		fail_msg("openapi.json: line %d: %s", e.line, e.text);
	assert_string_equal(json_string_value(json_object_get(doc, "openapi")), "3.0.3");
	paths = json_object_get(doc, "paths");
	for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
		for (const ob_http_route *r = tables[t]; r->method; r++) {
			lower(r->method, m, sizeof m);
			op = json_object_get(json_object_get(paths, r->pattern), m);
			if (!op)
				fail_msg("openapi.json lacks %s %s", r->method, r->pattern);
			/* Public routes say so; the others need the bearer token. */
			if ((r->roles == 0) != (json_array_size(json_object_get(op, "security")) == 0
					&& json_object_get(op, "security") != NULL))
				fail_msg("%s %s: security does not match the route's roles", r->method,
					r->pattern);
		}
	json_object_foreach(paths, key, item)
		json_object_foreach(item, method, op) {
			if (strcmp(method, "parameters") && !in_tables(method, key))
				fail_msg("openapi.json has %s %s, the route tables do not", method, key);
			path_params_declared(key, method, op);
		}
	json_decref(doc);
}


/* ---- every record a route names, taken from the other site ----------------
 *
 * The routes come from the OpenAPI document, so a new route without a row
 * below fails the test. Each row is a request whose @NAME@ placeholders
 * name records of REG01 (the acting users' site); the test sends it once
 * per placeholder and per REG01 role with that one record taken from REG02,
 * and once with a record that does not exist. A record of REG02 must be
 * refused exactly as the absent one is (same status, same body once the
 * name is taken out) and leave the bank unchanged but for a `denied`
 * event; a site of REG02 (site codes are public) is a 403. */

enum ref_kind { REF_SITE, REF_RECORD, REF_USER };

static const struct {
	const char *name;
	enum ref_kind kind;
	const char *own, *other, *absent;  /* NULL: a specimen of the fixture */
} placeholders[] = {
	{ "@SITE@", REF_SITE, "REG01", "REG02", "NOSITE" },
	{ "@DSITE@", REF_SITE, "REG01", "REG02", "NOSITE" },
	{ "@SP@", REF_RECORD, NULL, NULL, "OB404404404X" },
	{ "@SP2@", REF_RECORD, NULL, NULL, "OB404404404X" },
	{ "@BOX@", REF_RECORD, "BOX1", "BOX2", "NOBOX" },
	{ "@BOXB@", REF_RECORD, "BOX1B", "BOX2", "NOBOX" },
	{ "@FRZ@", REF_RECORD, "FRZ1", "FRZ2", "NOFRZ" },
	{ "@SEQ@", REF_RECORD, "7001", "7002", "7999" },
	{ "@USER@", REF_USER, "res1", "tech2", "nobody" },
	{ "@SHIP@", REF_RECORD, "SHR1", "SHR2", "NOSHIP" },
};
#define NPH (sizeof placeholders / sizeof placeholders[0])

enum { OWN, OTHER, ABSENT };

static const char *ph_value(size_t i, int which)
{
	if (which == ABSENT)
		return placeholders[i].absent;
	if (!strcmp(placeholders[i].name, "@SP@"))
		return which == OWN ? F->sp1 : F->sp3;
	if (!strcmp(placeholders[i].name, "@SP2@"))
		return which == OWN ? F->sp4 : F->sp3;
	return which == OWN ? placeholders[i].own : placeholders[i].other;
}

#define VCF_TEXT "##fileformat=VCFv4.2\\n#CHROM\\tPOS\\tID\\tREF\\tALT\\tQUAL\\tFILTER\\tINFO\\n" \
	"1\\t100\\t.\\tA\\tG\\t.\\tPASS\\t.\\n"

static const struct ref_case {
	const char *method, *pattern;  /* the route, as in openapi.json */
	const char *path, *query, *body;
} ref_cases[] = {
	{ "POST", "/api/login", NULL, NULL, NULL },
	{ "POST", "/api/logout", NULL, NULL, NULL },
	{ "GET", "/api/me", NULL, NULL, NULL },
	{ "POST", "/api/me/password", NULL, NULL, NULL },
	{ "GET", "/api/users", NULL, NULL, NULL },
	{ "POST", "/api/users", "/api/users", NULL,
	  "{\"username\":\"u77\",\"site\":\"@SITE@\",\"role\":\"researcher\","
	  "\"password\":\"another long password\"}" },
	{ "POST", "/api/users/{username}/disable", "/api/users/@USER@/disable", NULL, NULL },
	{ "GET", "/api/sites", NULL, NULL, NULL },  /* the network's structure is public */
	{ "POST", "/api/sites", "/api/sites", NULL,
	  "{\"code\":\"H77\",\"kind\":\"hospital\",\"parent\":\"@SITE@\"}" },
	{ "GET", "/api/donors", "/api/donors", "site=@SITE@", NULL },
	{ "POST", "/api/donors", "/api/donors", NULL, "{\"site\":\"@SITE@\",\"code\":\"D77\"}" },
	{ "GET", "/api/sites/{code}", NULL, NULL, NULL },  /* public, as the list */
	{ "PATCH", "/api/sites/{code}", "/api/sites/@SITE@", NULL,
	  "{\"reason\":\"renamed\",\"name\":\"Region\"}" },
	{ "GET", "/api/sites/{code}/history", "/api/sites/@SITE@/history", NULL, NULL },
	{ "GET", "/api/donors/{site}/{code}", "/api/donors/@SITE@/D1", NULL, NULL },
	{ "GET", "/api/donors/{site}/mrn/{mrn}", "/api/donors/@SITE@/mrn/M1", NULL, NULL },
	{ "GET", "/api/donors/{site}/{code}/identifiers", "/api/donors/@SITE@/D1/identifiers", NULL,
	  NULL },
	{ "PUT", "/api/donors/{site}/{code}/identifiers", "/api/donors/@SITE@/D1/identifiers", NULL,
	  "{\"name\":\"Jane Doe\"}" },
	{ "PUT", "/api/donors/{site}/{code}/identifiers", "/api/donors/REG01/D1/identifiers", NULL,
	  "{\"mrn\":{\"site\":\"@DSITE@\",\"value\":\"M1\"}}" },
	{ "PATCH", "/api/donors/{site}/{code}", "/api/donors/@SITE@/D1", NULL,
	  "{\"reason\":\"typo\",\"sex\":\"other\"}" },
	{ "GET", "/api/donors/{site}/{code}/history", "/api/donors/@SITE@/D1/history", NULL, NULL },
	{ "PATCH", "/api/donors/{site}/{code}/diagnoses/{id}", "/api/donors/@SITE@/D1/diagnoses/1",
	  NULL, "{\"reason\":\"typo\",\"morphology\":\"8140/3\"}" },
	{ "POST", "/api/donors/{site}/{code}/diagnoses", "/api/donors/@SITE@/D1/diagnoses", NULL,
	  "{\"topography\":\"C50.9\",\"morphology\":\"8500/3\"}" },
	{ "POST", "/api/donors/{site}/{code}/consents", "/api/donors/@SITE@/D1/consents", NULL,
	  "{\"form_version\":\"v9\",\"signed_on\":\"2024-06-01\",\"scope\":[\"storage\"]}" },
	{ "POST", "/api/donors/{site}/{code}/withdrawal", "/api/donors/@SITE@/D1/withdrawal",
	  NULL, "{\"reason\":\"asked\",\"disposition\":\"keep\"}" },
	/* forms are the network's, named by no site */
	{ "GET", "/api/consent-forms", NULL, NULL, NULL },
	{ "POST", "/api/consent-forms", NULL, NULL, NULL },
	{ "GET", "/api/consent-forms/{form_version}", NULL, NULL, NULL },
	{ "GET", "/api/specimens", "/api/specimens", "site=@SITE@", NULL },
	{ "GET", "/api/specimens", "/api/specimens", "container=@BOX@", NULL },
	{ "POST", "/api/specimens", "/api/specimens", NULL,
	  "{\"site\":\"@SITE@\",\"donor\":\"D1\",\"donor_site\":\"@DSITE@\",\"type\":\"serum\","
	  "\"container\":\"@BOX@\",\"position\":\"C3\"}" },
	{ "POST", "/api/specimens", "/api/specimens", NULL,
	  "{\"site\":\"REG01\",\"parent\":\"@SP@\",\"lineage\":\"aliquot\",\"type\":\"plasma\","
	  "\"quantity\":0.5,\"unit\":\"ml\",\"container\":\"@BOXB@\",\"position\":\"C3\"}" },
	{ "POST", "/api/specimens/swap", "/api/specimens/swap", NULL,
	  "{\"a\":\"@SP@\",\"b\":\"@SP2@\"}" },
	{ "GET", "/api/specimens/{barcode}", "/api/specimens/@SP@", NULL, NULL },
	{ "PATCH", "/api/specimens/{barcode}", "/api/specimens/@SP@", NULL,
	  "{\"reason\":\"relabelled\",\"label\":\"L77\"}" },
	{ "GET", "/api/specimens/{barcode}/history", "/api/specimens/@SP@/history", NULL, NULL },
	{ "POST", "/api/specimens/{barcode}/aliquots", "/api/specimens/@SP@/aliquots", NULL,
	  "{\"quantity\":0.1,\"unit\":\"ml\",\"container\":\"@BOXB@\",\"position\":\"C2\"}" },
	{ "POST", "/api/specimens/{barcode}/derivatives", "/api/specimens/@SP@/derivatives", NULL,
	  "{\"type\":\"dna\",\"quantity\":1,\"unit\":\"ug\",\"container\":\"@BOXB@\","
	  "\"position\":\"C1\"}" },
	{ "POST", "/api/specimens/{barcode}/move", "/api/specimens/@SP@/move", NULL,
	  "{\"container\":\"@BOXB@\",\"position\":\"B3\"}" },
	{ "POST", "/api/specimens/{barcode}/status", "/api/specimens/@SP@/status", NULL,
	  "{\"status\":\"reserved\"}" },
	{ "POST", "/api/specimens/{barcode}/thaw", "/api/specimens/@SP@/thaw", NULL, NULL },
	{ "GET", "/api/specimens/{barcode}/sequencing", "/api/specimens/@SP@/sequencing", NULL, NULL },
	{ "POST", "/api/specimens/{barcode}/sequencing", "/api/specimens/@SP@/sequencing", NULL,
	  "{\"kind\":\"somatic\",\"assay\":\"panel\",\"genome\":\"GRCh38\",\"tumor_type\":\"LUAD\",\"vcf\":\"" VCF_TEXT "\"}" },
	{ "GET", "/api/sequencing", NULL, NULL, NULL },
	{ "GET", "/api/sequencing/{id}/report", "/api/sequencing/@SEQ@/report", "format=json", NULL },
	{ "GET", "/api/containers", "/api/containers", "site=@SITE@", NULL },
	{ "GET", "/api/containers", "/api/containers", "under=@FRZ@", NULL },
	{ "POST", "/api/containers", "/api/containers", NULL,
	  "{\"barcode\":\"NEWBOX\",\"kind\":\"box\",\"parent\":\"@FRZ@\",\"rows\":2,\"cols\":2}" },
	{ "POST", "/api/containers", "/api/containers", NULL,
	  "{\"barcode\":\"NEWFRZ\",\"kind\":\"freezer\",\"site\":\"@SITE@\"}" },
	{ "GET", "/api/containers/{barcode}", "/api/containers/@BOX@", NULL, NULL },
	{ "GET", "/api/containers/{barcode}", "/api/containers/@FRZ@", NULL, NULL },
	{ "GET", "/api/containers/{barcode}/report", "/api/containers/@FRZ@/report", NULL, NULL },
	{ "PATCH", "/api/containers/{barcode}", "/api/containers/@BOX@", NULL,
	  "{\"reason\":\"relabelled\",\"name\":\"Box one\",\"temperature\":-70}" },
	{ "PATCH", "/api/containers/{barcode}", "/api/containers/@BOXB@", NULL,
	  "{\"reason\":\"reorganised\",\"parent\":\"@FRZ@\"}" },
	{ "GET", "/api/containers/{barcode}/history", "/api/containers/@BOX@/history", NULL, NULL },
	{ "POST", "/api/containers/{barcode}/empty", "/api/containers/@BOXB@/empty", NULL,
	  "{\"into\":\"@BOX@\"}" },
	{ "POST", "/api/import/{kind}", "/api/import/donors", NULL,
	  "site,donor,sex\nREG01,D78,female\n@SITE@,D79,female\n" },
	{ "POST", "/api/import/{kind}", "/api/import/specimens", NULL,
	  "site,donor,donor_site,type,quantity,unit,container,position\n"
	  "REG01,D1,@DSITE@,serum,1,ml,@BOX@,C3\n" },
	{ "POST", "/api/import/{kind}", "/api/import/specimens", NULL,
	  "parent_barcode,type,quantity,unit\n@SP@,plasma,0.1,ml\n" },
	{ "GET", "/api/export/{kind}", "/api/export/specimens", "site=@SITE@", NULL },
	{ "GET", "/api/export/{kind}", "/api/export/specimens", "container=@BOX@", NULL },
	{ "GET", "/api/labels/specimens/{barcode}", "/api/labels/specimens/@SP@", NULL, NULL },
	{ "GET", "/api/labels/containers/{barcode}", "/api/labels/containers/@BOX@", NULL, NULL },
	/* studies: the study is named by code, network-wide; the records a
	 * study route names in a site (a donor to enrol, a collecting site)
	 * are resolved through scope.h and tested in tests/cli/test_study.sh */
	{ "GET", "/api/studies", NULL, NULL, NULL },
	{ "POST", "/api/studies", NULL, NULL, NULL },
	{ "GET", "/api/studies/{code}", NULL, NULL, NULL },
	{ "PATCH", "/api/studies/{code}", NULL, NULL, NULL },
	{ "GET", "/api/studies/{code}/history", NULL, NULL, NULL },
	{ "POST", "/api/studies/{code}/sites", NULL, NULL, NULL },
	{ "POST", "/api/studies/{code}/forms", NULL, NULL, NULL },
	{ "POST", "/api/studies/{code}/events", NULL, NULL, NULL },
	{ "POST", "/api/studies/{code}/events/{event}/requirements", NULL, NULL, NULL },
	{ "POST", "/api/studies/{code}/members", NULL, NULL, NULL },
	{ "DELETE", "/api/studies/{code}/members/{user}", NULL, NULL, NULL },
	{ "GET", "/api/studies/{code}/participants", NULL, NULL, NULL },
	{ "POST", "/api/studies/{code}/participants", NULL, NULL, NULL },
	{ "GET", "/api/studies/{code}/worklist", NULL, NULL, NULL },
	{ "GET", "/api/studies/{code}/accrual", NULL, NULL, NULL },
	/* shipments: seen by the users of either site, answered as absent to
	 * anyone else; the items named are specimens of the sender's site */
	{ "GET", "/api/shipments", "/api/shipments", "site=@SITE@", NULL },
	{ "POST", "/api/shipments", "/api/shipments", NULL,
	  "{\"to_site\":\"NCC\",\"from_site\":\"@SITE@\"}" },
	{ "POST", "/api/shipments", "/api/shipments", NULL,
	  "{\"to_site\":\"HOS01\",\"items\":[\"@SP@\"]}" },
	{ "GET", "/api/shipments/{code}", "/api/shipments/@SHIP@", NULL, NULL },
	{ "PATCH", "/api/shipments/{code}", "/api/shipments/@SHIP@", NULL,
	  "{\"courier\":\"City courier\"}" },
	{ "POST", "/api/shipments/{code}/items", "/api/shipments/@SHIP@/items", NULL,
	  "{\"barcodes\":[\"@SP@\"]}" },
	{ "POST", "/api/shipments/{code}/items", "/api/shipments/@SHIP@/items", NULL,
	  "{\"barcodes\":[\"@BOX@\"]}" },
	{ "DELETE", "/api/shipments/{code}/items/{barcode}", "/api/shipments/@SHIP@/items/X1", NULL,
	  NULL },
	{ "POST", "/api/shipments/{code}/pack", "/api/shipments/@SHIP@/pack", NULL, NULL },
	{ "POST", "/api/shipments/{code}/ship", "/api/shipments/@SHIP@/ship", NULL, NULL },
	{ "POST", "/api/shipments/{code}/cancel", "/api/shipments/@SHIP@/cancel", NULL,
	  "{\"reason\":\"not needed\"}" },
	{ "POST", "/api/shipments/{code}/receive", "/api/shipments/@SHIP@/receive", NULL,
	  "{\"barcode\":\"X1\"}" },
	{ "POST", "/api/shipments/{code}/discrepancies", "/api/shipments/@SHIP@/discrepancies",
	  NULL, "{\"barcode\":\"X1\",\"kind\":\"extra\"}" },
	{ "POST", "/api/shipments/{code}/finish", "/api/shipments/@SHIP@/finish", NULL, NULL },
	{ "GET", "/api/shipments/{code}/manifest.pdf", "/api/shipments/@SHIP@/manifest.pdf", NULL,
	  NULL },
	{ "GET", "/api/shipments/{code}/manifest.csv", "/api/shipments/@SHIP@/manifest.csv", NULL,
	  NULL },
	{ "GET", "/api/shipments/{code}/receipt.pdf", "/api/shipments/@SHIP@/receipt.pdf", NULL,
	  NULL },
	{ "GET", "/api/shipments/{code}/receipt.csv", "/api/shipments/@SHIP@/receipt.csv", NULL,
	  NULL },
	{ "GET", "/api/specimens/{barcode}/shipments", "/api/specimens/@SP@/shipments", NULL, NULL },
	{ "GET", "/api/sprec/{code}", NULL, NULL, NULL },
	{ "GET", "/api/stats", NULL, NULL, NULL },
	{ "GET", "/api/fields/{entity}", NULL, NULL, NULL },  /* the field tables: no record */
	{ "GET", "/api/openapi.json", NULL, NULL, NULL },
	{ "GET", "/api/audit/head", NULL, NULL, NULL },  /* the chain's head: no record */
	{ "GET", "/healthz", NULL, NULL, NULL },
	{ "GET", "/metrics", NULL, NULL, NULL },          /* counts by route pattern only */
};

/* tmpl with placeholder ph (an index) as which, the others as OWN. */
static void expand(const char *tmpl, size_t ph, int which, char *out, size_t n)
{
	size_t o = 0;

	out[0] = '\0';
	while (tmpl && *tmpl && o + 1 < n) {
		size_t i, len = 0;
		for (i = 0; *tmpl == '@' && i < NPH; i++) {
			len = strlen(placeholders[i].name);
			if (!strncmp(tmpl, placeholders[i].name, len))
				break;
		}
		if (*tmpl == '@' && i < NPH) {
			const char *v = ph_value(i, i == ph ? which : OWN);
			o += (size_t)snprintf(out + o, n - o, "%s", v);
			tmpl += len;
		} else {
			out[o++] = *tmpl++;
			out[o] = '\0';
		}
	}
	if (o >= n)
		fail_msg("expanded request too long: %.100s", tmpl);
}

static bool uses(const struct ref_case *c, size_t ph)
{
	const char *name = placeholders[ph].name;

	return (c->path && strstr(c->path, name)) || (c->query && strstr(c->query, name))
	       || (c->body && strstr(c->body, name));
}

/* The response body with every occurrence of value replaced by <X>. */
static void masked(const char *value, char *out, size_t n)
{
	const char *b = body(), *p;
	size_t o = 0, vl = strlen(value);

	while ((p = strstr(b, value)) && o + 1 < n) {
		o += (size_t)snprintf(out + o, n - o, "%.*s<X>", (int)(p - b), b);
		b = p + vl;
	}
	if (o + 1 < n)
		snprintf(out + o, n - o, "%s", b);
}

static long long changes(void)
{
	return ob_testdb_count(&F->db, "SELECT COUNT(*) FROM audit_event WHERE action <> 'denied'");
}

static long long denials(void)
{
	return ob_testdb_count(&F->db, "SELECT COUNT(*) FROM audit_event WHERE action = 'denied'");
}

static int send_case(int user, const struct ref_case *c, size_t ph, int which)
{
	char p[300], q[300], b[1200];

	expand(c->path, ph, which, p, sizeof p);
	expand(c->query, ph, which, q, sizeof q);
	expand(c->body, ph, which, b, sizeof b);
	return call(user, c->method, p, c->query ? q : NULL, c->body ? b : NULL);
}

/* Every failure is reported, then the test fails once (a list of holes
 * says more than the first). */
static int ref_failures;
#define FAILED(...) do { print_error(__VA_ARGS__); print_error("\n"); ref_failures++; return; } while (0)

static void refused_like_absent(int user, const struct ref_case *c, size_t ph)
{
	static char got[8192], want[8192];
	const char *other = ph_value(ph, OTHER), *absent = ph_value(ph, ABSENT);
	long long before = changes(), denied = denials();
	int st_other, st_absent;

	st_other = send_case(user, c, ph, OTHER);
	masked(other, got, sizeof got);
	if (changes() != before)
		FAILED("%s %s as %s with %s=%s changed the bank (%d): %.300s", c->method, c->path,
			users[user].name, placeholders[ph].name, other, st_other, body());
	if (st_other < 400)
		FAILED("%s %s as %s with %s=%s: status %d", c->method, c->path, users[user].name,
			placeholders[ph].name, other, st_other);
	if (denials() <= denied)
		FAILED("%s %s as %s with %s=%s: no denied event (%d %.300s)", c->method, c->path,
			users[user].name, placeholders[ph].name, other, st_other, body());
	if (placeholders[ph].kind == REF_SITE) {
		if (st_other != 403)
			FAILED("%s %s as %s with %s=%s: %d, not 403: %.300s", c->method, c->path,
				users[user].name, placeholders[ph].name, other, st_other, body());
		return;
	}
	if (placeholders[ph].kind == REF_USER)
		return;  /* accounts: refused and unchanged (their reach is user.c's) */
	st_absent = send_case(user, c, ph, ABSENT);
	if (changes() != before)
		FAILED("%s %s with %s=%s changed the bank", c->method, c->path,
			placeholders[ph].name, absent);
	masked(absent, want, sizeof want);
	if (st_absent != 403 && !strstr(body(), absent))
		FAILED("%s %s as %s: %s=%s is not what was refused (%d): %.300s", c->method, c->path,
			users[user].name, placeholders[ph].name, absent, st_absent, body());
	if (st_other != st_absent || strcmp(got, want))
		FAILED("%s %s as %s: %s of REG02 (%s) is answered %d %.300s\nbut one that does not"
			" exist %d %.300s", c->method, c->path, users[user].name, placeholders[ph].name,
			other, st_other, got, st_absent, want);
}

static void test_every_referenced_record_of_another_site(void **state)
{
	static const int roles[] = { TECH1, RESEARCHER, MGR1, PATH1, ADMIN1 };
	json_error_t e;
	json_t *doc = json_loads(ob_text_openapi, 0, &e), *item, *op;
	const char *key, *method;
	int tried = 0;

	(void)state;
	if (!doc)
		fail_msg("openapi.json: line %d: %s", e.line, e.text);
	json_object_foreach(json_object_get(doc, "paths"), key, item)
		json_object_foreach(item, method, op) {
			bool listed = false;
			if (!strcmp(method, "parameters"))
				continue;
			for (size_t i = 0; i < sizeof ref_cases / sizeof ref_cases[0]; i++) {
				const struct ref_case *c = &ref_cases[i];
				if (!ob_streq_ci(c->method, method) || strcmp(c->pattern, key))
					continue;
				listed = true;
				for (size_t ph = 0; ph < NPH; ph++) {
					if (!uses(c, ph))
						continue;
					for (size_t r = 0; r < sizeof roles / sizeof roles[0]; r++, tried++)
						refused_like_absent(roles[r], c, ph);
				}
			}
			if (!listed)
				fail_msg("%s %s: no row in ref_cases says which records it names",
					method, key);
		}
	json_decref(doc);
	assert_true(tried > 100);
	if (ref_failures)
		fail_msg("%d of %d requests naming a record of REG02 were not refused as they should be",
			ref_failures, tried);
}

/* ---- direct identifiers ------------------------------------------------ */

static bool has_member(const char *name)
{
	json_t *j = jbody();
	bool has = json_object_get(j, name) != NULL;

	json_decref(j);
	return has;
}

static void test_identifiers_need_the_permission(void **state)
{
	char dir[sizeof F->key_dir];
	long long denied;
	json_t *j;

	(void)state;
	ok(ob_identifier_keygen(&F->db.cx, "REG01", NULL, 0));
	ok(ob_identifier_keygen(&F->db.cx, "HOS01", NULL, 0));
	/* an administrator is not thereby allowed */
	expect(403, call(ADMIN, "PUT", "/api/donors/REG01/D1/identifiers", NULL,
		"{\"name\":\"Jane Doe\"}"));
	expect_field("identifiers");
	expect(403, call(ADMIN, "GET", "/api/donors/REG01/D1/identifiers", NULL, NULL));
	ok(ob_user_grant_identifiers(&F->db.cx, "admin", true));
	ok(ob_user_grant_identifiers(&F->db.cx, "mgr1", true));
	expect(200, call(ADMIN, "PUT", "/api/donors/REG01/D1/identifiers", NULL,
		"{\"name\":\" Jane Doe \",\"birth_date\":\"1971-05-02\","
		"\"national_id\":\"11010519491231002x\",\"mrn\":{\"site\":\"HOS01\",\"value\":\"m-77\"}}"));
	j = jbody();
	assert_string_equal(json_string_value(json_object_get(j, "name")), "Jane Doe");
	assert_string_equal(json_string_value(json_object_get(j, "national_id")),
		"11010519491231002X");
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(j,
		"mrn"), 0), "value")), "M-77");
	json_decref(j);
	/* no key: refused naming it */
	snprintf(dir, sizeof dir, "%s", F->key_dir);
	F->key_dir[0] = '\0';
	expect(409, call(MGR1, "GET", "/api/donors/REG01/D1/identifiers", NULL, NULL));
	expect_field("key");
	snprintf(F->key_dir, sizeof F->key_dir, "%s", dir);
	/* the donor's record: with them for a granted reader of the site, without for others */
	expect(200, call(MGR1, "GET", "/api/donors/REG01/D1", NULL, NULL));
	assert_true(has_member("identifiers"));
	expect(200, call(RESEARCHER, "GET", "/api/donors/REG01/D1", NULL, NULL));
	assert_false(has_member("identifiers"));
	assert_null(strstr(body(), "Jane"));
	expect(403, call(RESEARCHER, "GET", "/api/donors/REG01/D1/identifiers", NULL, NULL));
	/* another site's user: the site is not theirs (site codes are public: 403) */
	ok(ob_user_grant_identifiers(&F->db.cx, "tech2", true));
	expect(403, call(TECH2, "GET", "/api/donors/REG01/D1/identifiers", NULL, NULL));
	expect_field("site");
	denied = ob_testdb_count(&F->db, "SELECT COUNT(*) FROM audit_event WHERE"
		" action = 'denied' AND after LIKE '%/api/donors/{site}/mrn/{mrn}%'");
	expect(403, call(TECH2, "GET", "/api/donors/HOS01/mrn/M-77", NULL, NULL));
	/* the refusal is audited without the MRN it asked for */
	assert_int_equal(ob_testdb_count(&F->db, "SELECT COUNT(*) FROM audit_event WHERE"
		" action = 'denied' AND after LIKE '%/api/donors/{site}/mrn/{mrn}%'"), denied + 1);
	assert_int_equal(ob_testdb_count(&F->db, "SELECT COUNT(*) FROM audit_event WHERE"
		" after LIKE '%M-77%' OR before LIKE '%M-77%'"), 0);
	ok(ob_user_grant_identifiers(&F->db.cx, "tech2", false));
	/* exact MRN search */
	expect(200, call(ADMIN, "GET", "/api/donors/HOS01/mrn/m-77", NULL, NULL));
	j = jbody();
	assert_int_equal(json_array_size(j), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(j, 0), "donor")), "D1");
	json_decref(j);
	expect(200, call(ADMIN, "GET", "/api/donors/HOS01/mrn/M-7", NULL, NULL));
	assert_string_equal(body(), "[]\n");
	/* bad input names the field and changes nothing */
	expect(400, call(ADMIN, "PUT", "/api/donors/REG01/D1/identifiers", NULL,
		"{\"name\":\"Jane\",\"birth_date\":\"2999-01-01\"}"));
	expect_field("birth_date");
	expect(400, call(ADMIN, "PUT", "/api/donors/REG01/D1/identifiers", NULL,
		"{\"national_id\":\"110105194912310021\"}"));
	expect_field("national_id");
	expect(400, call(ADMIN, "PUT", "/api/donors/REG01/D1/identifiers", NULL, "{\"nick\":\"J\"}"));
	expect(200, call(ADMIN, "GET", "/api/donors/REG01/D1/identifiers", NULL, NULL));
	assert_non_null(strstr(body(), "\"Jane Doe\""));
	/* null clears */
	expect(200, call(ADMIN, "PUT", "/api/donors/REG01/D1/identifiers", NULL,
		"{\"name\":null,\"mrn\":{\"site\":\"HOS01\",\"value\":null}}"));
	assert_false(has_member("name"));
	assert_false(has_member("mrn"));
	/* the export carries none of it */
	expect(200, call(ADMIN, "GET", "/api/export/donors", "format=json", NULL));
	assert_null(strstr(body(), "1971-05-02"));
	assert_null(strstr(body(), "11010519491231002X"));
	ok(ob_user_grant_identifiers(&F->db.cx, "admin", false));
	ok(ob_user_grant_identifiers(&F->db.cx, "mgr1", false));
	expect(403, call(ADMIN, "GET", "/api/donors/REG01/D1/identifiers", NULL, NULL));
}

/* ---- shipments ----------------------------------------------------------- */

/* The integer member name of the response's "counts". */
static json_int_t count_of(const char *name)
{
	json_t *j = jbody();
	json_int_t n = json_integer_value(json_object_get(json_object_get(j, "counts"), name));

	json_decref(j);
	return n;
}

static json_int_t shipments_total(void)
{
	json_t *j;
	json_int_t n;

	expect(200, call(ADMIN, "GET", "/api/shipments", "limit=1", NULL));
	j = jbody();
	n = json_integer_value(json_object_get(j, "total"));
	json_decref(j);
	return n;
}

/* A REG01 technician sends a specimen to HOS01 (within the donor's scope:
 * no transfer consent needed) and receives it there; the API's own
 * answers: refusals with each barcode, bad bodies naming the field, a
 * scan answered with counts, the documents. Last: it moves sp2. */
static void test_shipment_over_the_api(void **state)
{
	json_int_t before = shipments_total();
	char b[400], code[OB_SHIPMENT_CODE_MAX], p[200];
	json_t *j, *r;

	(void)state;
	/* an item that cannot go: 409 listing it, and no shipment made */
	snprintf(b, sizeof b, "{\"to_site\":\"HOS01\",\"items\":[\"%s\",\"%s\"]}", F->sp2,
		F->sp3);
	expect(409, call(TECH1, "POST", "/api/shipments", NULL, b));
	j = jbody();
	r = json_object_get(j, "refusals");
	assert_int_equal(json_array_size(r), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(r, 0), "barcode")),
		F->sp3);
	assert_non_null(json_string_value(json_object_get(json_array_get(r, 0), "reason")));
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "code")),
		"conflict");
	json_decref(j);
	assert_int_equal(shipments_total(), before);
	/* bad bodies name the field */
	expect(400, call(TECH1, "POST", "/api/shipments", NULL, "{\"courier\":\"x\"}"));
	expect_field("to_site");
	expect(400, call(TECH1, "POST", "/api/shipments", NULL,
		"{\"to_site\":\"HOS01\",\"items\":\"OB1\"}"));
	expect_field("items");
	expect(400, call(TECH1, "POST", "/api/shipments", NULL,
		"{\"to_site\":\"HOS01\",\"colour\":\"red\"}"));
	expect_field("colour");
	expect(400, call(TECH1, "POST", "/api/shipments", NULL, "{\"to_site\":\"HOS\\u0001\"}"));
	expect_field("to_site");
	assert_int_equal(shipments_total(), before);
	/* made with its item */
	snprintf(b, sizeof b, "{\"to_site\":\"HOS01\",\"courier\":\"City courier\","
		"\"condition\":\"dry ice\",\"items\":[\"%s\"]}", F->sp2);
	expect(201, call(TECH1, "POST", "/api/shipments", NULL, b));
	member("code", code, sizeof code);
	assert_int_equal(count_of("items"), 1);
	assert_int_equal(shipments_total(), before + 1);
	snprintf(p, sizeof p, "/api/shipments/%s", code);
	expect(200, call(TECH1, "PATCH", p, NULL, "{\"tracking\":\"TRK-1\",\"logger\":null}"));
	j = jbody();
	assert_string_equal(json_string_value(json_object_get(j, "tracking")), "TRK-1");
	assert_true(json_is_null(json_object_get(j, "logger")));
	assert_string_equal(json_string_value(json_object_get(j, "state")), "draft");
	json_decref(j);
	snprintf(p, sizeof p, "/api/shipments/%s/items", code);
	expect(400, call(TECH1, "POST", p, NULL, "{\"barcodes\":[]}"));
	expect_field("barcodes");
	expect(400, call(TECH1, "POST", p, NULL, "{\"barcodes\":[1]}"));
	expect_field("barcodes");
	snprintf(p, sizeof p, "/api/shipments/%s/pack", code);
	expect(400, call(TECH1, "POST", p, NULL, "{\"now\":true}"));
	expect(200, call(TECH1, "POST", p, NULL, NULL));
	snprintf(p, sizeof p, "/api/shipments/%s/ship", code);
	expect(200, call(TECH1, "POST", p, NULL, "{}"));
	j = jbody();
	assert_string_equal(json_string_value(json_object_get(j, "state")), "shipped");
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(j,
		"items"), 0), "barcode")), F->sp2);
	json_decref(j);
	snprintf(p, sizeof p, "/api/shipments/%s/cancel", code);
	expect(409, call(TECH1, "POST", p, NULL, "{\"reason\":\"changed our minds\"}"));
	/* another region's user does not see it */
	snprintf(p, sizeof p, "/api/shipments/%s", code);
	expect(404, call(TECH2, "GET", p, NULL, NULL));
	/* the list, by direction and state */
	expect(200, call(TECH1, "GET", "/api/shipments", "direction=incoming&site=HOS01&state=shipped",
		NULL));
	j = jbody();
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 1);
	json_decref(j);
	expect(400, call(TECH1, "GET", "/api/shipments", "direction=sideways", NULL));
	expect_field("direction");
	expect(400, call(TECH1, "GET", "/api/shipments", "state=lost", NULL));
	expect_field("state");
	/* receiving: an extra, then the item (thawed), then it again */
	snprintf(p, sizeof p, "/api/shipments/%s/receive", code);
	expect(400, call(TECH1, "POST", p, NULL, "{\"container\":\"BOX1\"}"));
	expect_field("barcode");
	snprintf(b, sizeof b, "{\"barcode\":\"%s\",\"discrepancies\":[\"frozen\"]}", F->sp2);
	expect(400, call(TECH1, "POST", p, NULL, b));
	expect_field("discrepancies");
	expect(200, call(TECH1, "POST", p, NULL, "{\"barcode\":\"NOT-ON-IT\"}"));
	j = jbody();
	assert_string_equal(json_string_value(json_object_get(j, "result")), "extra");
	assert_false(json_is_true(json_object_get(j, "complete")));
	json_decref(j);
	assert_int_equal(count_of("extra"), 1);
	snprintf(b, sizeof b, "{\"barcode\":\"%s\",\"discrepancies\":[\"thawed\"],"
		"\"note\":\"logger shows -20\"}", F->sp2);
	expect(200, call(TECH1, "POST", p, NULL, b));
	j = jbody();
	assert_string_equal(json_string_value(json_object_get(j, "result")), "received");
	assert_string_equal(json_string_value(json_object_get(j, "type")), "plasma");
	assert_true(json_is_true(json_object_get(j, "complete")));
	json_decref(j);
	assert_int_equal(count_of("received"), 1);
	assert_int_equal(count_of("pending"), 0);
	expect(409, call(TECH1, "POST", p, NULL, b));
	expect_field("barcode");
	/* the specimen's shipments */
	path(p, sizeof p, "/api/specimens/%s/shipments", F->sp2);
	expect(200, call(RESEARCHER, "GET", p, NULL, NULL));
	j = jbody();
	r = json_array_get(json_object_get(j, "shipments"), 0);
	assert_string_equal(json_string_value(json_object_get(r, "code")), code);
	assert_string_equal(json_string_value(json_object_get(r, "item_state")), "received");
	assert_string_equal(json_string_value(json_array_get(json_object_get(r,
		"item_discrepancies"), 0)), "thawed");
	json_decref(j);
	/* the documents */
	snprintf(p, sizeof p, "/api/shipments/%s/manifest.pdf", code);
	expect(200, call(RESEARCHER, "GET", p, NULL, NULL));
	assert_string_equal(F->resp.content_type, "application/pdf");
	assert_memory_equal(F->resp.body.s, "%PDF", 4);
	snprintf(p, sizeof p, "/api/shipments/%s/manifest.csv", code);
	expect(200, call(RESEARCHER, "GET", p, NULL, NULL));
	assert_non_null(strstr(F->resp.content_type, "text/csv"));
	assert_non_null(strstr(body(), F->sp2));
	assert_non_null(strstr(F->resp.disposition, "manifest.csv"));
	snprintf(p, sizeof p, "/api/shipments/%s/receipt.csv", code);
	expect(200, call(RESEARCHER, "GET", p, NULL, NULL));
	assert_non_null(strstr(body(), "thawed"));
	assert_non_null(strstr(body(), "NOT-ON-IT"));
	snprintf(p, sizeof p, "/api/shipments/%s/receipt.pdf", code);
	expect(200, call(RESEARCHER, "GET", p, NULL, NULL));
	assert_memory_equal(F->resp.body.s, "%PDF", 4);
	/* a reader cannot ship */
	expect(403, call(RESEARCHER, "POST", "/api/shipments", NULL, "{\"to_site\":\"HOS01\"}"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_openapi_lists_every_route),
		cmocka_unit_test(test_route_roles_follow_access_table),
		cmocka_unit_test(test_every_route_answers),
		cmocka_unit_test(test_search_pages_and_counts),
		cmocka_unit_test(test_labels_are_pdf_or_png),
		cmocka_unit_test(test_corrections_answer_the_record),
		cmocka_unit_test(test_bad_json_names_the_field),
		cmocka_unit_test(test_import_reports_bad_rows),
		cmocka_unit_test(test_import_update_corrects_specimens),
		cmocka_unit_test(test_unknown_things_are_404),
		cmocka_unit_test(test_taken_position_and_duplicates_are_409),
		cmocka_unit_test(test_search_filters_resist_injection),
		cmocka_unit_test(test_region_cannot_touch_another),
		cmocka_unit_test(test_readers_cannot_write),
		cmocka_unit_test(test_stats_stay_in_scope),
		cmocka_unit_test(test_every_referenced_record_of_another_site),
		cmocka_unit_test(test_query_parameters_are_declared),
		cmocka_unit_test(test_openapi_parameters_match_routes),
		cmocka_unit_test(test_json_body_needs_json_content_type),
		cmocka_unit_test(test_json_values_are_checked),
		cmocka_unit_test(test_identifiers_need_the_permission),
		cmocka_unit_test(test_shipment_over_the_api),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
