/*
 * identifier.c - direct identifiers encrypted at rest with their site's key
 * (see identifier.h, docs/identifiers.md): the key files, the checks and
 * normal forms of each kind, sealing and opening, and who may see them.
 *
 * From a site's 32-byte key three subkeys are derived (crypto_kdf, context
 * "obident1"): 1 seals values (XChaCha20-Poly1305), 2 keys the lookup hash,
 * 3 the audit digest; the hashes cover the kind and the normalised value.
 * Key material lives on the stack and is wiped before returning.
 */
#include "bank/identifier.h"
#include "bank/access.h"
#include "bank/scope.h"
#include "base/error.h"
#include "base/text.h"
#include "base/util.h"
#include "store/store.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEY_HEX (crypto_kdf_KEYBYTES * 2)
#define HASH_BYTES 32
#define VALUE_MAX 1024     /* a normalised value, NUL included */
#define NAME_CHARS 200
#define KDF_CONTEXT "obident1"
#define SEAL_HEX_MAX ((VALUE_MAX + crypto_aead_xchacha20poly1305_ietf_ABYTES) * 2 + 1)
#define NONCE_HEX (crypto_aead_xchacha20poly1305_ietf_NPUBBYTES * 2 + 1)

const char *const ob_identifier_kinds[] = { "name", "birth_date", "national_id", "mrn", NULL };

#define IDENT_COLS \
	"SELECT i.id, s.code AS site, ds.code AS donor_site, d.code AS donor, i.kind, i.digest" \
	" FROM donor_identifier i JOIN site s ON s.id = i.site_id" \
	" JOIN donor d ON d.id = i.donor_id JOIN site ds ON ds.id = d.site_id"
const ob_audit_entity ob_identifier_audit = { "identifier", IDENT_COLS " WHERE i.id = $1",
	IDENT_COLS " ORDER BY i.id" };

/* The subkeys of one site. */
typedef struct site_keys {
	unsigned char seal[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
	unsigned char lookup[HASH_BYTES];
	unsigned char digest[HASH_BYTES];
} site_keys;

/* A site an identifier belongs to. */
typedef struct ident_site {
	int64_t id;
	char code[64];
	char path[OB_SCOPE_PATH_MAX];
} ident_site;

static bool kind_valid(const char *kind)
{
	for (int i = 0; kind && ob_identifier_kinds[i]; i++)
		if (!strcmp(kind, ob_identifier_kinds[i]))
			return true;
	return false;
}

/* ---- key files ---------------------------------------------------------- */

/* A site code is a file name here: letters, digits, '-', '_', '.', not
 * starting with a dot (site.c holds codes to less than that). */
static int key_path(const ob_ctx *cx, const char *site, char *out, size_t n)
{
	size_t len = strlen(site);

	if (!cx->key_dir || !*cx->key_dir)
		return ob_error_set(OB_ECONFLICT, "key: no key directory is set, so site '%s' has no"
			" key (--key-dir DIR or OB_KEY_DIR)", site);
	if (!len || site[0] == '.' || strspn(site, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			"0123456789-_.") != len)
		return ob_error_set(OB_EINVALID, "site: '%s' cannot name a key file", site);
	if ((size_t)snprintf(out, n, "%s/%s.key", cx->key_dir, site) >= n)
		return ob_error_set(OB_EINVALID, "key: the key directory's path is too long");
	return 0;
}

/* Reads the site's key and derives its subkeys. */
static int keys_load(const ob_ctx *cx, const char *site, site_keys *k)
{
	unsigned char master[crypto_kdf_KEYBYTES];
	char path[4096], text[KEY_HEX + 8];
	struct stat sb;
	size_t len = 0;
	ssize_t got;
	int fd, rc;

	if (sodium_init() < 0)
		return ob_error_set(OB_ERROR, "libsodium failed to initialise");
	if ((rc = key_path(cx, site, path, sizeof path)) < 0)
		return rc;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return ob_error_set(OB_ECONFLICT, "key: site '%s' has no key in the key directory"
			" (%s; oncobank identifiers keygen %s)", site, strerror(errno), site);
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return ob_error_set(OB_ECONFLICT, "key: the key of site '%s' is not a file", site);
	}
	if (sb.st_mode & 077) {
		close(fd);
		return ob_error_set(OB_ECONFLICT, "key: the key of site '%s' may be read by others"
			" (mode %03o; chmod 600 it)", site, (unsigned)(sb.st_mode & 0777));
	}
	while (len < sizeof text - 1 && (got = read(fd, text + len, sizeof text - 1 - len)) > 0)
		len += (size_t)got;
	close(fd);
	while (len && isspace((unsigned char)text[len - 1]))
		len--;
	text[len] = '\0';
	rc = len == KEY_HEX && sodium_hex2bin(master, sizeof master, text, len, NULL, NULL, NULL) == 0
		? 0 : ob_error_set(OB_ECONFLICT, "key: the key of site '%s' is not 64 hex digits", site);
	sodium_memzero(text, sizeof text);
	if (rc == 0) {
		crypto_kdf_derive_from_key(k->seal, sizeof k->seal, 1, KDF_CONTEXT, master);
		crypto_kdf_derive_from_key(k->lookup, sizeof k->lookup, 2, KDF_CONTEXT, master);
		crypto_kdf_derive_from_key(k->digest, sizeof k->digest, 3, KDF_CONTEXT, master);
	}
	sodium_memzero(master, sizeof master);
	return rc;
}

int ob_identifier_keygen(const ob_ctx *cx, const char *site, char *out, size_t n)
{
	unsigned char master[crypto_kdf_KEYBYTES];
	char path[4096], hex[KEY_HEX + 2], sitepath[OB_SCOPE_PATH_MAX];
	int fd, rc;

	if (sodium_init() < 0)
		return ob_error_set(OB_ERROR, "libsodium failed to initialise");
	if (!cx->key_dir || !*cx->key_dir)
		return ob_error_set(OB_EINVALID, "key-dir: no key directory is set (--key-dir DIR or"
			" OB_KEY_DIR)");
	if ((rc = ob_scope_site(cx, OB_ACT_READ, "site", site, NULL, sitepath)) < 0
	    || (rc = ob_access_check(cx, OB_ACT_SITE, sitepath)) < 0)
		return rc;
	if ((rc = key_path(cx, site, path, sizeof path)) < 0)
		return rc;
	if (mkdir(cx->key_dir, 0700) < 0 && errno != EEXIST)
		return ob_error_set(OB_ERROR, "key-dir: cannot create %s: %s", cx->key_dir,
			strerror(errno));
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 && errno == EEXIST)
		return ob_error_set(OB_EEXISTS, "key: site '%s' has a key already (%s); it is never"
			" overwritten", site, path);
	if (fd < 0)
		return ob_error_set(OB_ERROR, "key: cannot create %s: %s", path, strerror(errno));
	randombytes_buf(master, sizeof master);
	sodium_bin2hex(hex, sizeof hex, master, sizeof master);
	sodium_memzero(master, sizeof master);
	hex[KEY_HEX] = '\n';
	rc = write(fd, hex, KEY_HEX + 1) == KEY_HEX + 1 && fsync(fd) == 0 ? 0
		: ob_error_set(OB_ERROR, "key: cannot write %s: %s", path, strerror(errno));
	sodium_memzero(hex, sizeof hex);
	if (close(fd) < 0 && rc == 0)
		rc = ob_error_set(OB_ERROR, "key: cannot write %s: %s", path, strerror(errno));
	if (rc < 0)
		unlink(path);
	else if (out)
		ob_strlcpy(out, path, n);
	return rc;
}

/* ---- values ------------------------------------------------------------- */

static size_t utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* ISO 7064 MOD 11-2 over the first 17 digits of a resident ID. */
static char resident_id_check(const char *s)
{
	static const int w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	int sum = 0;

	for (int i = 0; i < 17; i++)
		sum += (s[i] - '0') * w[i];
	return "10X98765432"[sum % 11];
}

static int national_id_check(char *v)
{
	size_t n = strlen(v);

	if (n == 18 && strspn(v, "0123456789") >= 17 && (isdigit((unsigned char)v[17])
			|| v[17] == 'x' || v[17] == 'X')) {
		v[17] = (char)toupper((unsigned char)v[17]);
		if (resident_id_check(v) != v[17])
			return ob_error_set(OB_EINVALID, "national_id: the check character of the"
				" 18-character resident ID is wrong (ISO 7064 MOD 11-2)");
		return 0;
	}
	if (n > 32)
		return ob_error_set(OB_EINVALID, "national_id: at most 32 characters (or an"
			" 18-character resident ID)");
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)v[i] < 0x20 || (unsigned char)v[i] > 0x7E)
			return ob_error_set(OB_EINVALID, "national_id: printable ASCII characters only"
				" (character %zu is not)", i + 1);
	return 0;
}

static int birth_date_check(char *v, size_t n)
{
	char t[OB_TIME_LEN];

	if (strlen(v) != 10 || ob_time_parse(v, t, NULL) < 0)
		return ob_error_set(OB_EINVALID, "birth_date: not a real date (YYYY-MM-DD)");
	if (ob_time_check_past("birth_date", t) < 0)
		return ob_error_set(OB_EINVALID, "birth_date: in the future");
	if (strncmp(t, "1880", 4) < 0)
		return ob_error_set(OB_EINVALID, "birth_date: before 1880");
	ob_strlcpy(v, t, n < 11 ? n : 11);
	return 0;
}

int ob_identifier_normalise(const char *kind, const char *value, char *out, size_t n)
{
	const char *s = value, *field = kind_valid(kind) ? kind : "kind";
	size_t len;
	int rc;

	if (!kind_valid(kind))
		return ob_error_set(OB_EINVALID, "kind: '%s' is not an identifier kind (name,"
			" birth_date, national_id, mrn)", kind ? kind : "");
	if (!s)
		return ob_error_set(OB_EINVALID, "%s: a value is needed", field);
	while (*s == ' ' || *s == '\t')
		s++;
	len = strlen(s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len == 0)
		return ob_error_set(OB_EINVALID, "%s: empty", field);
	if (len >= n || len >= VALUE_MAX)
		return ob_error_set(OB_EINVALID, "%s: too long", field);
	if ((rc = ob_text_check(field, s, len, VALUE_MAX - 1, 0)) < 0)
		return rc;
	memcpy(out, s, len);
	out[len] = '\0';
	if (!strcmp(kind, "name")) {
		if (utf8_chars(out) > NAME_CHARS)
			return ob_error_set(OB_EINVALID, "name: at most %d characters", NAME_CHARS);
		return 0;
	}
	if (!strcmp(kind, "birth_date"))
		return birth_date_check(out, n);
	if (!strcmp(kind, "national_id"))
		return national_id_check(out);
	if (len > 64)
		return ob_error_set(OB_EINVALID, "mrn: at most 64 characters");
	for (char *p = out; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	return 0;
}

/* A keyed hash of the kind and the normalised value, in hex. */
static void hash_hex(const unsigned char key[HASH_BYTES], const char *kind, const char *value,
                     char out[HASH_BYTES * 2 + 1])
{
	crypto_generichash_state st;
	unsigned char h[HASH_BYTES];

	crypto_generichash_init(&st, key, HASH_BYTES, sizeof h);
	crypto_generichash_update(&st, (const unsigned char *)kind, strlen(kind) + 1);
	crypto_generichash_update(&st, (const unsigned char *)value, strlen(value));
	crypto_generichash_final(&st, h, sizeof h);
	sodium_bin2hex(out, HASH_BYTES * 2 + 1, h, sizeof h);
}

/* The additional data of a sealed value: the row it belongs to. */
static void seal_ad(int64_t donor_id, int64_t site_id, const char *kind, char *out, size_t n)
{
	snprintf(out, n, "oncobank-identifier/1 donor=%lld site=%lld kind=%s",
		(long long)donor_id, (long long)site_id, kind);
}

/* ---- who may see them ---------------------------------------------------- */

bool ob_identifier_granted(const ob_ctx *cx)
{
	static const char *const sql =
		"SELECT identifiers FROM app_user WHERE username = $1 AND active = 1";
	char day[64];

	if (cx->role == 0)
		return true;
	if (!cx->actor)
		return false;
	if (ob_store_get_text(cx->st, sql, cx->actor, day, sizeof day) < 0) {
		ob_error_clear();
		return false;
	}
	return day[0] != '\0';
}

/* 0 when the actor may see and change the identifiers kept by site s:
 * granted, and s in their own scope (an auditor's reading of the whole
 * network does not extend to them). */
static int permitted(const ob_ctx *cx, const ident_site *s)
{
	if (cx->role == 0)
		return 0;
	if (ob_identifier_granted(cx) && ob_access_in_scope(cx, OB_ACT_DONOR, s->path))
		return 0;
	ob_access_note_target("site", s->code, false);
	return ob_error_set(OB_EPERM, "identifiers: permission denied: %s may not see the direct"
		" identifiers kept by %s (an administrator grants it: oncobank user"
		" grant-identifiers)", cx->actor ? cx->actor : "this user", s->code);
}

/* The donor's own site. */
static int donor_site(const ob_ctx *cx, int64_t donor_id, ident_site *out)
{
	static const char *const sql =
		"SELECT s.id, s.code, s.path FROM donor d JOIN site s ON s.id = d.site_id"
		" WHERE d.id = $1";
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, donor_id);
	rc = ob_stmt_step(s);
	if (rc == OB_ROW) {
		out->id = ob_stmt_int(s, 0);
		ob_strlcpy(out->code, ob_stmt_text(s, 1), sizeof out->code);
		ob_strlcpy(out->path, ob_stmt_text(s, 2), sizeof out->path);
		rc = 0;
	} else if (rc == 0) {
		rc = ob_error_set(OB_ENOTFOUND, "donor: not found");
	}
	ob_stmt_reset(s);
	return rc;
}

/* Resolves the donor (for act) and the site keeping its identifier of
 * kind: the donor's, or an MRN's issuing hospital. */
static int resolve(const ob_ctx *cx, ob_action act, const char *site, const char *donor,
                   const char *kind, const char *issuer, int64_t *donor_id, ident_site *is)
{
	int rc;

	if (!kind_valid(kind))
		return ob_error_set(OB_EINVALID, "kind: '%s' is not an identifier kind (name,"
			" birth_date, national_id, mrn)", kind ? kind : "");
	if (!strcmp(kind, "mrn") && (!issuer || !*issuer))
		return ob_error_set(OB_EINVALID, "mrn: the hospital that issued it is needed"
			" (HOSPITAL:MRN)");
	if (strcmp(kind, "mrn") && issuer)
		return ob_error_set(OB_EINVALID, "%s: only an MRN names an issuing site", kind);
	if ((rc = ob_scope_donor(cx, act, "site", site, donor, donor_id, NULL)) < 0
	    || (rc = donor_site(cx, *donor_id, is)) < 0)
		return rc;
	if (issuer && strcmp(issuer, is->code)) {
		ob_strlcpy(is->code, issuer, sizeof is->code);
		if ((rc = ob_scope_site(cx, act, "mrn", issuer, &is->id, is->path)) < 0)
			return rc;
	}
	return permitted(cx, is);
}

/* The donor's row of kind at site: its id (0 when none). */
static int row_find(const ob_ctx *cx, int64_t donor_id, int64_t site_id, const char *kind,
                    int64_t *id, char digest[HASH_BYTES * 2 + 1])
{
	static const char *const sql = "SELECT id, digest FROM donor_identifier"
		" WHERE donor_id = $1 AND site_id = $2 AND kind = $3";
	ob_stmt *s;
	int rc;

	*id = 0;
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, donor_id);
	ob_stmt_bind_int(s, 2, site_id);
	ob_stmt_bind_text(s, 3, kind);
	rc = ob_stmt_step(s);
	if (rc == OB_ROW) {
		*id = ob_stmt_int(s, 0);
		ob_strlcpy(digest, ob_stmt_text(s, 1), HASH_BYTES * 2 + 1);
		rc = 0;
	}
	ob_stmt_reset(s);
	return rc;
}

/* The donor's recorded birth year, checked against a birth date. */
static int birth_year_agrees(const ob_ctx *cx, int64_t donor_id, const char *day)
{
	static const char *const sql = "SELECT birth_year FROM donor WHERE id = $1";
	char key[24];
	int64_t year = 0;
	int rc;

	snprintf(key, sizeof key, "%lld", (long long)donor_id);
	rc = ob_store_get_int(cx->st, sql, key, &year);
	if (rc == OB_ENOTFOUND)
		return 0;
	if (rc < 0)
		return rc;
	if (year > 0 && (day[0] - '0') * 1000 + (day[1] - '0') * 100 + (day[2] - '0') * 10
			+ (day[3] - '0') != year)
		return ob_error_set(OB_EINVALID, "birth_date: not in the donor's birth year (%lld)",
			(long long)year);
	return 0;
}

static int write_row(const ob_ctx *cx, int64_t donor_id, const ident_site *is, const char *kind,
                     const char *value, const char *donor)
{
	static const char *const ins =
		"INSERT INTO donor_identifier (donor_id, site_id, kind, nonce, ciphertext, lookup,"
		" digest, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
	static const char *const upd =
		"UPDATE donor_identifier SET nonce = $2, ciphertext = $3, lookup = $4, digest = $5,"
		" recorded_at = $6 WHERE id = $1";
	unsigned char nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];
	unsigned char sealed[VALUE_MAX + crypto_aead_xchacha20poly1305_ietf_ABYTES];
	char nonce_hex[NONCE_HEX], sealed_hex[SEAL_HEX_MAX], ad[160], now[OB_TIME_LEN];
	char lookup[HASH_BYTES * 2 + 1], digest[HASH_BYTES * 2 + 1], old[HASH_BYTES * 2 + 1] = "";
	unsigned long long slen;
	ob_buf before = OB_BUF_INIT;
	site_keys k;
	int64_t id;
	ob_stmt *s;
	int rc;

	if ((rc = keys_load(cx, is->code, &k)) < 0)
		return rc;
	hash_hex(k.lookup, kind, value, lookup);
	hash_hex(k.digest, kind, value, digest);
	randombytes_buf(nonce, sizeof nonce);
	seal_ad(donor_id, is->id, kind, ad, sizeof ad);
	crypto_aead_xchacha20poly1305_ietf_encrypt(sealed, &slen, (const unsigned char *)value,
		strlen(value), (const unsigned char *)ad, strlen(ad), NULL, nonce, k.seal);
	sodium_memzero(&k, sizeof k);
	sodium_bin2hex(nonce_hex, sizeof nonce_hex, nonce, sizeof nonce);
	sodium_bin2hex(sealed_hex, sizeof sealed_hex, sealed, (size_t)slen);
	ob_time_now(now);
	if ((rc = row_find(cx, donor_id, is->id, kind, &id, old)) < 0)
		return rc;
	if (id && !strcmp(old, digest))
		return 0;  /* the same value again: nothing changes */
	if (id && (rc = ob_audit_encode(cx, &ob_identifier_audit, id, &before)) < 0)
		goto out;
	if ((rc = ob_store_prepare(cx->st, id ? upd : ins, &s)) < 0)
		goto out;
	if (id) {
		ob_stmt_bind_int(s, 1, id);
		ob_stmt_bind_text(s, 2, nonce_hex);
		ob_stmt_bind_text(s, 3, sealed_hex);
		ob_stmt_bind_text(s, 4, lookup);
		ob_stmt_bind_text(s, 5, digest);
		ob_stmt_bind_text(s, 6, now);
		rc = ob_stmt_exec(s);
	} else {
		ob_stmt_bind_int(s, 1, donor_id);
		ob_stmt_bind_int(s, 2, is->id);
		ob_stmt_bind_text(s, 3, kind);
		ob_stmt_bind_text(s, 4, nonce_hex);
		ob_stmt_bind_text(s, 5, sealed_hex);
		ob_stmt_bind_text(s, 6, lookup);
		ob_stmt_bind_text(s, 7, digest);
		ob_stmt_bind_text(s, 8, now);
		rc = ob_stmt_insert(s, &id);
	}
	if (rc == 0)
		rc = ob_audit_record(cx, &ob_identifier_audit, before.len ? "change" : "create", id,
			donor, before.len ? ob_buf_cstr(&before) : NULL);
out:
	ob_buf_dispose(&before);
	return rc;
}

int ob_identifier_set(const ob_ctx *cx, const char *site, const char *donor, const char *kind,
                      const char *issuer_site, const char *value)
{
	char v[VALUE_MAX];
	ident_site is;
	int64_t donor_id;
	int rc;

	if ((rc = ob_identifier_normalise(kind, value, v, sizeof v)) < 0)
		return rc;
	if ((rc = ob_store_begin(cx->st)) < 0)
		goto wipe;
	if ((rc = resolve(cx, OB_ACT_DONOR, site, donor, kind, issuer_site, &donor_id, &is)) == 0
	    && (strcmp(kind, "birth_date") || (rc = birth_year_agrees(cx, donor_id, v)) == 0))
		rc = write_row(cx, donor_id, &is, kind, v, donor);
	if (rc < 0)
		ob_store_rollback(cx->st);
	else
		rc = ob_store_commit(cx->st);
wipe:
	sodium_memzero(v, sizeof v);
	return rc;
}

int ob_identifier_clear(const ob_ctx *cx, const char *site, const char *donor, const char *kind,
                        const char *issuer_site)
{
	static const char *const del = "DELETE FROM donor_identifier WHERE id = $1";
	char digest[HASH_BYTES * 2 + 1];
	ob_buf before = OB_BUF_INIT;
	ident_site is;
	int64_t donor_id, id = 0;
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_begin(cx->st)) < 0)
		return rc;
	if ((rc = resolve(cx, OB_ACT_DONOR, site, donor, kind, issuer_site, &donor_id, &is)) < 0
	    || (rc = row_find(cx, donor_id, is.id, kind, &id, digest)) < 0)
		goto out;
	if (!id) {
		rc = ob_error_set(OB_ENOTFOUND, "%s: donor '%s' at '%s' has none%s%s", kind, donor,
			site, issuer_site ? " issued by " : "", issuer_site ? issuer_site : "");
		goto out;
	}
	if ((rc = ob_audit_encode(cx, &ob_identifier_audit, id, &before)) < 0
	    || (rc = ob_store_prepare(cx->st, del, &s)) < 0)
		goto out;
	ob_stmt_bind_int(s, 1, id);
	if ((rc = ob_stmt_exec(s)) == 0)
		rc = ob_audit_append(cx, "clear", ob_identifier_audit.name, id, donor,
			ob_buf_cstr(&before), NULL);
out:
	ob_buf_dispose(&before);
	if (rc < 0) {
		ob_store_rollback(cx->st);
		return rc;
	}
	return ob_store_commit(cx->st);
}

/* ---- reading ------------------------------------------------------------- */

/* Opens one sealed value into out (VALUE_MAX bytes). */
static int open_value(const site_keys *k, int64_t donor_id, int64_t site_id, const char *kind,
                      const char *nonce_hex, const char *sealed_hex, char *out)
{
	unsigned char nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];
	unsigned char sealed[VALUE_MAX + crypto_aead_xchacha20poly1305_ietf_ABYTES];
	unsigned long long n = 0;
	size_t nlen = 0, slen = 0;
	char ad[160];

	seal_ad(donor_id, site_id, kind, ad, sizeof ad);
	if (sodium_hex2bin(nonce, sizeof nonce, nonce_hex, strlen(nonce_hex), NULL, &nlen, NULL)
	    || nlen != sizeof nonce
	    || sodium_hex2bin(sealed, sizeof sealed, sealed_hex, strlen(sealed_hex), NULL, &slen,
			NULL)
	    || crypto_aead_xchacha20poly1305_ietf_decrypt((unsigned char *)out, &n, NULL, sealed,
			slen, (const unsigned char *)ad, strlen(ad), nonce, k->seal) != 0
	    || n >= VALUE_MAX)
		return -1;
	out[n] = '\0';
	return 0;
}

int ob_identifier_list(const ob_ctx *cx, const char *site, const char *donor,
                       ob_identifier_cb cb, void *arg)
{
	static const char *const sql =
		"SELECT i.kind, s.id, s.code, s.path, i.nonce, i.ciphertext, i.recorded_at"
		" FROM donor_identifier i JOIN site s ON s.id = i.site_id WHERE i.donor_id = $1"
		" ORDER BY CASE i.kind WHEN 'name' THEN 1 WHEN 'birth_date' THEN 2"
		" WHEN 'national_id' THEN 3 ELSE 4 END, s.code";
	char value[VALUE_MAX], kind[16], at[OB_TIME_LEN];
	ident_site own, is;
	site_keys k;
	int64_t donor_id, keyed = 0;
	ob_stmt *s;
	int rc, c;

	if ((rc = ob_store_begin_read(cx->st)) < 0)
		return rc;
	if ((rc = ob_scope_donor(cx, OB_ACT_READ, "site", site, donor, &donor_id, NULL)) < 0
	    || (rc = donor_site(cx, donor_id, &own)) < 0 || (rc = permitted(cx, &own)) < 0
	    || (rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		goto out;
	ob_stmt_bind_int(s, 1, donor_id);
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		ob_identifier id;
		is.id = ob_stmt_int(s, 1);
		ob_strlcpy(is.code, ob_stmt_text(s, 2), sizeof is.code);
		ob_strlcpy(is.path, ob_stmt_text(s, 3), sizeof is.path);
		if (cx->role != 0 && !ob_access_in_scope(cx, OB_ACT_DONOR, is.path))
			continue;  /* an MRN of a hospital outside the scope */
		ob_strlcpy(kind, ob_stmt_text(s, 0), sizeof kind);
		if (keyed != is.id) {
			keyed = 0;
			if ((rc = keys_load(cx, is.code, &k)) < 0)
				break;
			keyed = is.id;
		}
		if (open_value(&k, donor_id, is.id, kind, ob_stmt_text(s, 4), ob_stmt_text(s, 5),
				value) < 0) {
			rc = ob_error_set(OB_ECONFLICT, "identifier: the %s of donor '%s' at '%s' does"
				" not open with the key of site '%s' (a wrong key, or a value moved from"
				" another row)", kind, donor, site, is.code);
			break;
		}
		ob_strlcpy(at, ob_stmt_text(s, 6), sizeof at);
		id = (ob_identifier){ kind, is.code, value, at };
		rc = cb(&id, arg);
		sodium_memzero(value, sizeof value);
		if (rc != 0)
			break;
	}
	ob_stmt_reset(s);
	if (rc == OB_ROW)
		rc = 0;
out:
	sodium_memzero(&k, sizeof k);
	c = ob_store_commit(cx->st);
	return rc < 0 || rc > 0 ? rc : c;
}

int ob_identifier_find_mrn(const ob_ctx *cx, const char *site, const char *mrn,
                           ob_identifier_donor_cb cb, void *arg)
{
	static const char *const sql =
		"SELECT s.code, d.code, s.path FROM donor_identifier i"
		" JOIN donor d ON d.id = i.donor_id JOIN site s ON s.id = d.site_id"
		" WHERE i.site_id = $1 AND i.kind = 'mrn' AND i.lookup = $2 ORDER BY s.code, d.code";
	char v[VALUE_MAX], lookup[HASH_BYTES * 2 + 1];
	ident_site is;
	site_keys k;
	ob_stmt *s;
	int rc, c;

	if ((rc = ob_identifier_normalise("mrn", mrn, v, sizeof v)) < 0)
		return rc;
	ob_strlcpy(is.code, site ? site : "", sizeof is.code);
	if ((rc = ob_store_begin_read(cx->st)) < 0)
		return rc;
	if ((rc = ob_scope_site(cx, OB_ACT_READ, "site", site, &is.id, is.path)) < 0
	    || (rc = permitted(cx, &is)) < 0 || (rc = keys_load(cx, is.code, &k)) < 0)
		goto out;
	hash_hex(k.lookup, "mrn", v, lookup);
	sodium_memzero(&k, sizeof k);
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		goto out;
	ob_stmt_bind_int(s, 1, is.id);
	ob_stmt_bind_text(s, 2, lookup);
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		if (!ob_access_in_scope(cx, OB_ACT_READ, ob_stmt_text(s, 2)))
			continue;
		if ((rc = cb(ob_stmt_text(s, 0), ob_stmt_text(s, 1), arg)) != 0)
			break;
	}
	ob_stmt_reset(s);
	if (rc == OB_ROW)
		rc = 0;
out:
	sodium_memzero(v, sizeof v);
	c = ob_store_commit(cx->st);
	return rc != 0 ? rc : c;
}
