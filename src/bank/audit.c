/*
 * audit.c - append and verify the hash-chained audit trail (see audit.h).
 */
#include "bank/audit.h"
#include "bank/access.h"
#include "base/error.h"
#include "base/util.h"
#include "store/store.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HASH_HEX (crypto_hash_sha256_BYTES * 2 + 1)

static const char genesis[HASH_HEX] =
	"0000000000000000000000000000000000000000000000000000000000000000";

/* The chain's tail, cached for the transaction that read it. */
static _Thread_local struct {
	const ob_store *st;
	uint64_t serial;
	int64_t seq;
	char hash[HASH_HEX];
} tail;

static void feed(crypto_hash_sha256_state *h, const char *s)
{
	char len[24];
	int n;

	if (!s) {
		crypto_hash_sha256_update(h, (const unsigned char *)"~", 1);
		return;
	}
	n = snprintf(len, sizeof len, "%zu:", strlen(s));
	crypto_hash_sha256_update(h, (const unsigned char *)len, (unsigned long long)n);
	crypto_hash_sha256_update(h, (const unsigned char *)s, strlen(s));
}

/* The hashed fields of an event, in hashing order: the order is part of the
 * format. It is also the column order of the event's INSERT and SELECTs. */
enum { F_SEQ, F_AT, F_ACTOR, F_SITE, F_ACTION, F_ENTITY, F_ENTITY_ID, F_KEY, F_BEFORE,
       F_AFTER, F_REASON, F_PREV, NF };

static void event_hash(const char *const f[NF], char out[HASH_HEX])
{
	crypto_hash_sha256_state h;
	unsigned char d[crypto_hash_sha256_BYTES];

	crypto_hash_sha256_init(&h);
	for (int i = 0; i < NF; i++)
		feed(&h, f[i]);
	crypto_hash_sha256_final(&h, d);
	sodium_bin2hex(out, HASH_HEX, d, sizeof d);
}

/* The first format, before migration 003 gave events a reason: the same
 * fields without it. Events appended by databases of schema levels 1 and 2
 * carry it; verify accepts it only for events without a reason and only
 * before the first event of the current format, so the old format can be
 * nothing but the start of a chain. (The encodings are prefix-free with a
 * different number of fields: no event of one format hashes as another
 * event of the other.) */
static void event_hash_v1(const char *const f[NF], char out[HASH_HEX])
{
	crypto_hash_sha256_state h;
	unsigned char d[crypto_hash_sha256_BYTES];

	crypto_hash_sha256_init(&h);
	for (int i = 0; i < NF; i++)
		if (i != F_REASON)
			feed(&h, f[i]);
	crypto_hash_sha256_final(&h, d);
	sodium_bin2hex(out, HASH_HEX, d, sizeof d);
}

static int load_tail(const ob_ctx *cx)
{
	static const char *const sql =
		"SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1";
	ob_stmt *s;
	int rc;

	if (tail.st == cx->st && tail.serial == ob_store_txn_serial(cx->st))
		return 0;
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	rc = ob_stmt_step(s);
	if (rc == OB_ROW) {
		tail.seq = ob_stmt_int(s, 0);
		ob_strlcpy(tail.hash, ob_stmt_text(s, 1), sizeof tail.hash);
		rc = 0;
	} else if (rc == 0) {
		tail.seq = 0;
		memcpy(tail.hash, genesis, sizeof tail.hash);
	}
	ob_stmt_reset(s);
	if (rc < 0)
		return rc;
	tail.st = cx->st;
	tail.serial = ob_store_txn_serial(cx->st);
	return 0;
}

int ob_audit_append(const ob_ctx *cx, const char *action, const char *entity,
                    int64_t entity_id, const char *entity_key,
                    const char *before, const char *after)
{
	static const char *const sql =
		"INSERT INTO audit_event (seq, at, actor, site, action, entity, entity_id,"
		" entity_key, before, after, reason, prev_hash, hash)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";
	char seqs[24], ids[24], at[OB_TIME_LEN], hash[HASH_HEX];
	const char *f[NF];
	ob_stmt *s;
	int rc;

	if (!ob_store_in_txn(cx->st))
		return ob_error_set(OB_ERROR, "audit event outside a transaction");
	if ((rc = load_tail(cx)) < 0)
		return rc;
	ob_time_now(at);
	snprintf(seqs, sizeof seqs, "%lld", (long long)(tail.seq + 1));
	snprintf(ids, sizeof ids, "%lld", (long long)entity_id);
	f[F_SEQ] = seqs;
	f[F_AT] = at;
	f[F_ACTOR] = cx->actor ? cx->actor : "unknown";
	f[F_SITE] = cx->actor_site;
	f[F_ACTION] = action;
	f[F_ENTITY] = entity;
	f[F_ENTITY_ID] = entity_id ? ids : NULL;
	f[F_KEY] = entity_key;
	f[F_BEFORE] = before;
	f[F_AFTER] = after;
	f[F_REASON] = cx->reason && *cx->reason ? cx->reason : NULL;
	f[F_PREV] = tail.hash;
	event_hash(f, hash);
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, F_SEQ + 1, tail.seq + 1);
	for (int i = F_AT; i < NF; i++) {
		if (i == F_ENTITY_ID && entity_id)
			ob_stmt_bind_int(s, i + 1, entity_id);
		else
			ob_stmt_bind_text(s, i + 1, f[i]);
	}
	ob_stmt_bind_text(s, NF + 1, hash);
	if ((rc = ob_stmt_exec(s)) < 0) {
		tail.st = NULL;
		return rc;
	}
	tail.seq++;
	memcpy(tail.hash, hash, sizeof hash);
	return 0;
}

/* Canonical JSON of a row: {"column":"text",...} in SELECT order; NULL
 * columns are left out; column 0 (the id) is skipped. */
static int encode_row(ob_stmt *s, ob_buf *out)
{
	int n = ob_stmt_column_count(s);

	ob_audit_row_begin(out);
	for (int i = 1; i < n; i++)
		ob_audit_row_text(out, ob_stmt_column_name(s, i), ob_stmt_text(s, i));
	return ob_audit_row_end(out);
}

void ob_audit_row_begin(ob_buf *out)
{
	ob_buf_clear(out);
	ob_buf_putc(out, '{');
}

void ob_audit_row_text(ob_buf *out, const char *col, const char *v)
{
	if (!v)
		return;
	if (out->len > 1)
		ob_buf_putc(out, ',');
	ob_buf_json_str(out, col);
	ob_buf_putc(out, ':');
	ob_buf_json_str(out, v);
}

void ob_audit_row_int(ob_buf *out, const char *col, int64_t v)
{
	char t[24];

	snprintf(t, sizeof t, "%lld", (long long)v);
	ob_audit_row_text(out, col, t);
}

void ob_audit_row_double(const ob_ctx *cx, ob_buf *out, const char *col, double v)
{
	char t[40];

	if (isnan(v))
		return;
	ob_store_format_double(cx->st, v, t, sizeof t);
	ob_audit_row_text(out, col, t);
}

int ob_audit_row_end(ob_buf *out)
{
	if (ob_buf_putc(out, '}') < 0 || out->failed)
		return ob_error_set(OB_ERROR, "out of memory building an audit row");
	return 0;
}

int ob_audit_encode(const ob_ctx *cx, const ob_audit_entity *e, int64_t id, ob_buf *out)
{
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, e->one_sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, id);
	rc = ob_stmt_step(s);
	if (rc == OB_ROW)
		rc = encode_row(s, out);
	else if (rc == 0)
		rc = ob_error_set(OB_ENOTFOUND, "%s %lld not found", e->name, (long long)id);
	ob_stmt_reset(s);
	return rc;
}

int ob_audit_record(const ob_ctx *cx, const ob_audit_entity *e, const char *action,
                    int64_t id, const char *key, const char *before)
{
	ob_buf after = OB_BUF_INIT;
	int rc = ob_audit_encode(cx, e, id, &after);

	if (rc == 0)
		rc = ob_audit_append(cx, action, e->name, id, key, before, ob_buf_cstr(&after));
	ob_buf_dispose(&after);
	return rc;
}

static int verify_chain(const ob_ctx *cx, int64_t *count, char last[HASH_HEX])
{
	static const char *const sql =
		"SELECT seq, at, actor, site, action, entity, entity_id, entity_key,"
		" before, after, reason, prev_hash, hash FROM audit_event ORDER BY seq";
	char prev[HASH_HEX], hash[HASH_HEX];
	ob_stmt *s;
	int64_t expect = 1;
	bool v1 = true;  /* events of the first format may still come */
	int rc;

	memcpy(prev, genesis, sizeof prev);
	*count = 0;
	memcpy(last, genesis, HASH_HEX);
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		const char *f[NF], *stored;
		int64_t seq = ob_stmt_int(s, F_SEQ);

		for (int i = 0; i < NF; i++)
			f[i] = ob_stmt_text(s, i);
		stored = ob_stmt_text(s, NF);
		if (seq != expect) {
			rc = ob_error_set(OB_ECONFLICT, "audit chain broken at event %lld: expected event %lld"
				" (an event was removed or renumbered)", (long long)seq, (long long)expect);
			break;
		}
		if (!f[F_PREV] || strcmp(f[F_PREV], prev)) {
			rc = ob_error_set(OB_ECONFLICT, "audit chain broken at event %lld (%s %s %s):"
				" previous-hash link does not match event %lld", (long long)seq,
				f[F_ACTION] ? f[F_ACTION] : "", f[F_ENTITY] ? f[F_ENTITY] : "",
				f[F_KEY] ? f[F_KEY] : "", (long long)seq - 1);
			break;
		}
		event_hash(f, hash);
		if (stored && strcmp(hash, stored) && v1 && !f[F_REASON])
			event_hash_v1(f, hash);
		else
			v1 = false;
		if (!stored || strcmp(hash, stored)) {
			rc = ob_error_set(OB_ECONFLICT, "audit chain broken at event %lld (%s %s %s):"
				" its contents do not match its hash", (long long)seq,
				f[F_ACTION] ? f[F_ACTION] : "", f[F_ENTITY] ? f[F_ENTITY] : "",
				f[F_KEY] ? f[F_KEY] : "");
			break;
		}
		memcpy(prev, hash, sizeof prev);
		expect++;
	}
	ob_stmt_reset(s);
	*count = expect - 1;
	memcpy(last, prev, HASH_HEX);
	return rc < 0 ? rc : 0;
}

/* Merge-joins the rows (by id) with each id's latest event. */
int ob_audit_verify_entity(const ob_ctx *cx, const ob_audit_entity *e, int64_t *rows)
{
	static const char *const latest_sql =
		"SELECT entity_id, after, seq FROM audit_event WHERE entity = $1 AND seq IN"
		" (SELECT MAX(seq) FROM audit_event WHERE entity = $1 GROUP BY entity_id)"
		" ORDER BY entity_id";
	ob_stmt *r, *a;
	ob_buf enc = OB_BUF_INIT;
	int rr, ra, rc = 0;

	*rows = 0;
	if ((rc = ob_store_prepare(cx->st, e->all_sql, &r)) < 0)
		return rc;
	if ((rc = ob_store_prepare(cx->st, latest_sql, &a)) < 0)
		return rc;
	ob_stmt_bind_text(a, 1, e->name);
	rr = ob_stmt_step(r);
	ra = ob_stmt_step(a);
	while (rc == 0 && (rr == OB_ROW || ra == OB_ROW)) {
		int64_t rid = rr == OB_ROW ? ob_stmt_int(r, 0) : INT64_MAX;
		int64_t aid = ra == OB_ROW ? ob_stmt_int(a, 0) : INT64_MAX;

		if (rid < aid) {
			rc = ob_error_set(OB_ECONFLICT, "%s %lld has no audit event: it was written"
				" behind the audit trail's back", e->name, (long long)rid);
		} else if (aid < rid) {
			if (!ob_stmt_is_null(a, 1))
				rc = ob_error_set(OB_ECONFLICT, "%s %lld (audit event %lld) no longer"
					" exists: it was deleted behind the audit trail's back",
					e->name, (long long)aid, (long long)ob_stmt_int(a, 2));
			ra = ob_stmt_step(a);
		} else {
			if ((rc = encode_row(r, &enc)) < 0)
				break;
			const char *after = ob_stmt_text(a, 1);
			if (!after || strcmp(after, ob_buf_cstr(&enc)))
				rc = ob_error_set(OB_ECONFLICT, "%s %lld differs from its last audit event"
					" %lld: a value was altered behind the audit trail's back (now %s)",
					e->name, (long long)rid, (long long)ob_stmt_int(a, 2), ob_buf_cstr(&enc));
			(*rows)++;
			rr = ob_stmt_step(r);
			ra = ob_stmt_step(a);
		}
	}
	if (rc == 0 && (rr < 0 || ra < 0))
		rc = rr < 0 ? rr : ra;
	ob_stmt_reset(r);
	ob_stmt_reset(a);
	ob_buf_dispose(&enc);
	return rc;
}

/* The chain reaches the anchor (seq, hash): run on a verified chain whose
 * last event is events with hash last. */
static int check_anchor(const ob_ctx *cx, int64_t events, const char *last, int64_t seq,
                        const char *hash)
{
	static const char *const sql = "SELECT hash FROM audit_event WHERE seq = $1";
	char have[HASH_HEX];
	char k[24];
	int rc;

	if (seq == 0)
		return strcmp(hash, genesis) ? ob_error_set(OB_ECONFLICT, "anchor: event 0 must have"
			" the hash of 64 zeros") : 0;
	if (seq > events)
		return ob_error_set(OB_ECONFLICT, "anchor: the audit trail ends at event %lld but the"
			" anchor holds event %lld: events were removed from its tail (a database copied"
			" without its -wal file, or an older backup)", (long long)events, (long long)seq);
	if (seq == events) {
		ob_strlcpy(have, last, sizeof have);
	} else {
		snprintf(k, sizeof k, "%lld", (long long)seq);
		rc = ob_store_get_text(cx->st, sql, k, have, sizeof have);
		if (rc == OB_ENOTFOUND)
			rc = ob_error_set(OB_ECONFLICT, "anchor: event %lld is missing", (long long)seq);
		if (rc < 0)
			return rc;
	}
	if (strcmp(have, hash))
		return ob_error_set(OB_ECONFLICT, "anchor: event %lld has hash %s, the anchor %s:"
			" the trail was rewritten from there", (long long)seq, have, hash);
	return 0;
}

static int verify(const ob_ctx *cx, const int64_t *aseq, const char *ahash, ob_buf *out)
{
	int64_t events = 0, rows, total = 0;
	char last[HASH_HEX];
	int rc;

	if ((rc = ob_access_check(cx, OB_ACT_AUDIT, NULL)) < 0)
		return rc;
	if ((rc = ob_store_begin_read(cx->st)) < 0)
		return rc;
	rc = verify_chain(cx, &events, last);
	for (const ob_audit_entity *const *e = ob_audited; rc == 0 && *e; e++) {
		rc = ob_audit_verify_entity(cx, *e, &rows);
		total += rows;
	}
	if (rc == 0 && aseq)
		rc = check_anchor(cx, events, last, *aseq, ahash);
	ob_store_rollback(cx->st);
	if (rc == 0)
		ob_buf_printf(out, "audit trail intact: %lld events, %lld audited rows match their"
			" latest event\nlatest hash %s (keep it elsewhere to detect a truncated"
			" tail)\n", (long long)events, (long long)total, last);
	if (rc == 0 && aseq)
		ob_buf_printf(out, "anchor reached: event %lld has the anchored hash\n",
			(long long)*aseq);
	return rc;
}

int ob_audit_verify(const ob_ctx *cx, ob_buf *out)
{
	return verify(cx, NULL, NULL, out);
}

int ob_audit_verify_anchored(const ob_ctx *cx, int64_t seq, const char *hash, ob_buf *out)
{
	return verify(cx, &seq, hash, out);
}

int ob_audit_head(const ob_ctx *cx, int64_t *seq, char hash[OB_AUDIT_HASH_HEX])
{
	static const char *const sql =
		"SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1";
	ob_stmt *s;
	int rc;

	*seq = 0;
	memcpy(hash, genesis, HASH_HEX);
	if ((rc = ob_access_check(cx, OB_ACT_AUDIT, NULL)) < 0)
		return rc;
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	rc = ob_stmt_step(s);
	if (rc == OB_ROW) {
		const char *h = ob_stmt_text(s, 1);
		*seq = ob_stmt_int(s, 0);
		rc = h && strlen(h) == HASH_HEX - 1 ? 0
			: ob_error_set(OB_ECONFLICT, "audit event %lld has no hash", (long long)*seq);
		if (rc == 0)
			memcpy(hash, h, HASH_HEX);
	}
	ob_stmt_reset(s);
	return rc < 0 ? rc : 0;
}

/* Writes text to path through a temporary file beside it: a reader sees
 * the old file or the whole new one, never a part. */
static int write_atomic(const char *path, const char *text)
{
	char tmp[PATH_MAX];
	size_t len = strlen(text), done = 0;
	int fd, rc = 0;

	if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", path) >= sizeof tmp)
		return ob_error_set(OB_EINVALID, "%s: path too long", path);
	if ((fd = mkstemp(tmp)) < 0)
		return ob_error_set(OB_ERROR, "%s: cannot create a file beside it: %s", path,
			strerror(errno));
	while (rc == 0 && done < len) {
		ssize_t n = write(fd, text + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			rc = ob_error_set(OB_ERROR, "%s: %s", tmp, strerror(errno));
		else
			done += (size_t)n;
	}
	if (rc == 0 && fsync(fd) < 0)
		rc = ob_error_set(OB_ERROR, "%s: %s", tmp, strerror(errno));
	if (close(fd) < 0 && rc == 0)
		rc = ob_error_set(OB_ERROR, "%s: %s", tmp, strerror(errno));
	if (rc == 0 && rename(tmp, path) < 0)
		rc = ob_error_set(OB_ERROR, "%s: %s", path, strerror(errno));
	if (rc < 0)
		unlink(tmp);
	return rc;
}

#define ANCHOR_FORMAT "oncobank-audit-anchor/1"

int ob_audit_anchor_write(const ob_ctx *cx, const char *path, ob_buf *out)
{
	char hash[HASH_HEX], at[OB_TIME_LEN];
	ob_buf text = OB_BUF_INIT;
	int64_t seq;
	int rc;

	/* The head of a chain that verifies: an anchor of a broken trail would
	 * vouch for it. */
	if ((rc = ob_store_begin_read(cx->st)) < 0)
		return rc;
	rc = ob_audit_verify(cx, &text);
	if (rc == 0)
		rc = ob_audit_head(cx, &seq, hash);
	ob_store_rollback(cx->st);
	if (rc < 0) {
		ob_buf_dispose(&text);
		return rc;
	}
	ob_time_now(at);
	ob_buf_clear(&text);
	ob_buf_printf(&text, "{\"format\":\"" ANCHOR_FORMAT "\",\"seq\":%lld,\"hash\":\"%s\","
		"\"at\":\"%s\"}\n", (long long)seq, hash, at);
	rc = text.failed ? ob_error_set(OB_ERROR, "out of memory") : write_atomic(path,
		ob_buf_cstr(&text));
	ob_buf_dispose(&text);
	if (rc == 0)
		ob_buf_printf(out, "anchored event %lld, hash %s, in %s\n", (long long)seq, hash, path);
	return rc;
}

int ob_audit_anchor_read(const char *path, int64_t *seq, char hash[OB_AUDIT_HASH_HEX])
{
	json_error_t e;
	json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, &e), *v;
	const char *h;
	int rc = 0;

	*seq = 0;
	hash[0] = '\0';
	if (!j)
		return ob_error_set(OB_EINVALID, "%s:%d: not an anchor file: %s", path, e.line, e.text);
	h = json_string_value(json_object_get(j, "hash"));
	v = json_object_get(j, "seq");
	if (!json_is_string(json_object_get(j, "format"))
	    || strcmp(json_string_value(json_object_get(j, "format")), ANCHOR_FORMAT))
		rc = ob_error_set(OB_EINVALID, "%s: format: not \"" ANCHOR_FORMAT "\"", path);
	else if (!json_is_integer(v) || json_integer_value(v) < 0)
		rc = ob_error_set(OB_EINVALID, "%s: seq: a whole number >= 0 is expected", path);
	else if (!h || strlen(h) != HASH_HEX - 1 || strspn(h, "0123456789abcdef") != HASH_HEX - 1)
		rc = ob_error_set(OB_EINVALID, "%s: hash: 64 lowercase hex digits are expected", path);
	if (rc == 0) {
		*seq = (int64_t)json_integer_value(v);
		memcpy(hash, h, HASH_HEX);
	}
	json_decref(j);
	return rc;
}

int ob_audit_events(const ob_ctx *cx, const char *entity, int64_t id, ob_audit_event_cb cb,
                    void *arg)
{
	static const char *const sql =
		"SELECT seq, at, actor, action, before, after, reason FROM audit_event"
		" WHERE entity = $1 AND entity_id = $2 ORDER BY seq";
	ob_audit_event e;
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_text(s, 1, entity);
	ob_stmt_bind_int(s, 2, id);
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		e.seq = ob_stmt_int(s, 0);
		e.at = ob_stmt_text(s, 1);
		e.actor = ob_stmt_text(s, 2);
		e.action = ob_stmt_text(s, 3);
		e.before = ob_stmt_text(s, 4);
		e.after = ob_stmt_text(s, 5);
		e.reason = ob_stmt_text(s, 6);
		if ((rc = cb(&e, arg)) != 0)
			break;
	}
	ob_stmt_reset(s);
	return rc < 0 || rc > OB_ROW ? rc : 0;
}

struct changes {
	const char *field;
	ob_audit_change_cb cb;
	void *arg;
};

/* A canonical row's value as text: rows hold strings (numbers are written
 * as the store formats them); anything else is shown as JSON. */
static const char *row_value(json_t *v, char **own)
{
	*own = NULL;
	if (!v || json_is_null(v))
		return NULL;
	if (json_is_string(v))
		return json_string_value(v);
	return *own = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
}

static int change_cb(const ob_audit_event *e, void *arg)
{
	struct changes *c = arg;
	json_t *b = e->before ? json_loads(e->before, 0, NULL) : NULL;
	json_t *a = e->after ? json_loads(e->after, 0, NULL) : NULL;
	const char *key;
	json_t *v;
	int rc = 0;

	if ((e->before && !b) || (e->after && !a)) {
		rc = ob_error_set(OB_ERROR, "audit event %lld: a row that is not JSON", (long long)e->seq);
		goto out;
	}
	/* the after row's keys in order, then keys the change removed */
	for (int pass = 0; pass < 2 && !rc; pass++) {
		json_t *from = pass ? b : a, *other = pass ? a : b;
		json_object_foreach(from, key, v) {
			char *ob = NULL, *oa = NULL;
			const char *bv, *av;
			if (pass && json_object_get(other, key))
				continue;
			if (c->field && strcmp(c->field, key))
				continue;
			bv = row_value(json_object_get(b, key), &ob);
			av = row_value(json_object_get(a, key), &oa);
			if (!(bv == av || (bv && av && !strcmp(bv, av)))) {
				ob_audit_change ch = { e, key, bv, av };
				rc = c->cb(&ch, c->arg);
			}
			free(ob);
			free(oa);
			if (rc)
				break;
		}
	}
out:
	json_decref(a);
	json_decref(b);
	return rc;
}

int ob_audit_changes(const ob_ctx *cx, const char *entity, int64_t id, const char *field,
                     ob_audit_change_cb cb, void *arg)
{
	struct changes c = { field, cb, arg };

	return ob_audit_events(cx, entity, id, change_cb, &c);
}
