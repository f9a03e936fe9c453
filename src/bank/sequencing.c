/*
 * sequencing.c - sequencing results of banked specimens (see sequencing.h).
 */
#include "bank/sequencing.h"
#include "bank/access.h"
#include "bank/scope.h"
#include "bank/donor.h"
#include "bank/specimen.h"
#include "base/error.h"
#include "base/util.h"
#include "genomics/vcfcheck.h"
#include "store/store.h"

#include <ctype.h>
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define SEQ_COLS \
	"SELECT r.id, p.barcode AS specimen, r.kind, r.assay, r.tumor_type, r.panel_size_mb," \
	" r.msi, r.genome, r.file_name, r.vcf_sha256, r.variants, r.created_at, r.created_by" \
	" FROM sequencing_result r JOIN specimen p ON p.id = r.specimen_id"
const ob_audit_entity ob_seq_audit = { "sequencing_result",
	SEQ_COLS " WHERE r.id = $1", SEQ_COLS " ORDER BY r.id" };

static int opt(const char *s)
{
	return s && *s;
}

/* Checks that text is VCF: the fileformat line first, a #CHROM header
 * line, no NUL byte, and every data line a well-formed record
 * (genomics/vcfcheck.h: columns, CHROM, POS, REF, ALT, QUAL); counts the
 * data lines. A bad
 * line is refused as "NAME:LINE: FIELD: message", so that nothing is kept
 * that its report could not read. */
static int check_vcf(const char *name, const char *vcf, size_t len, int64_t *variants)
{
	static const char magic[] = "##fileformat=VCF";
	size_t line = 1;
	int header = 0, nsamples = 0, rc;

	if (len < sizeof magic - 1 || memcmp(vcf, magic, sizeof magic - 1))
		return ob_error_set(OB_EINVALID, "%s:1: not VCF text (the first line must be"
			" ##fileformat=VCFv4.x)", name);
	if (memchr(vcf, '\0', len))
		return ob_error_set(OB_EINVALID, "%s: holds a NUL byte: not VCF text (a BCF or"
			" bgzipped file must be decompressed to VCF first)", name);
	*variants = 0;
	for (size_t i = 0; i < len; line++) {
		const char *nl = memchr(vcf + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - vcf) : len, n = end - i;
		if (n && vcf[end - 1] == '\r')
			n--;
		if (n && vcf[i] == '#' && !header) {
			if (n >= 6 && !memcmp(vcf + i, "#CHROM", 6)) {
				header = 1;
				nsamples = ob_vcf_header_samples(vcf + i, n);
			} else if (vcf[i + 1] != '#') {
				return ob_error_set(OB_EINVALID, "%s:%zu: header: a header line starts with"
					" '##' (or is the #CHROM line)", name, line);
			}
		} else if (n) {
			if (!header)
				return ob_error_set(OB_EINVALID, "%s:%zu: header: a record before the #CHROM"
					" line", name, line);
			if ((rc = ob_vcf_check_line(vcf + i, n, nsamples, name, (int64_t)line)) < 0)
				return rc;
			(*variants)++;
		}
		i = end + 1;
	}
	if (!header)
		return ob_error_set(OB_EINVALID, "%s:%zu: header: no #CHROM line", name, line - 1);
	return 0;
}

static int check_new(const ob_seq_new *in, const char *vcf, size_t len, int64_t *variants)
{
	if (!opt(in->specimen))
		return ob_error_set(OB_EINVALID, "specimen: a barcode is required");
	if (!in->kind || (strcmp(in->kind, "somatic") && strcmp(in->kind, "germline")))
		return ob_error_set(OB_EINVALID, "kind: '%s' is neither somatic nor germline",
			in->kind ? in->kind : "");
	if (!opt(in->assay) || strlen(in->assay) >= sizeof ((ob_seq *)0)->assay)
		return ob_error_set(OB_EINVALID, "assay: a name of 1 to %zu characters is required",
			sizeof ((ob_seq *)0)->assay - 1);
	if (!opt(in->genome) || strlen(in->genome) >= sizeof ((ob_seq *)0)->genome)
		return ob_error_set(OB_EINVALID, "genome: a genome build (GRCh38, ...) is required");
	if (opt(in->tumor_type)) {
		size_t n = strlen(in->tumor_type);
		if (n >= sizeof ((ob_seq *)0)->tumor_type)
			return ob_error_set(OB_EINVALID, "tumor_type: '%s' is too long", in->tumor_type);
		for (size_t i = 0; i < n; i++)
			if (!isupper((unsigned char)in->tumor_type[i])
			    && !isdigit((unsigned char)in->tumor_type[i]) && in->tumor_type[i] != '_')
				return ob_error_set(OB_EINVALID, "tumor_type: '%s' is not an OncoTree code"
					" (capitals, digits, '_')", in->tumor_type);
	} else if (!strcmp(in->kind, "somatic")) {
		return ob_error_set(OB_EINVALID, "tumor_type: a somatic result needs the tumour's"
			" OncoTree code");
	}
	if (!isnan(in->panel_size_mb) && !(in->panel_size_mb > 0 && in->panel_size_mb < 4000))
		return ob_error_set(OB_EINVALID, "panel_size_mb: %g is not a size in megabases",
			in->panel_size_mb);
	if (opt(in->msi) && strlen(in->msi) >= sizeof ((ob_seq *)0)->msi)
		return ob_error_set(OB_EINVALID, "msi: '%s' is too long", in->msi);
	const char *name = opt(in->file_name) ? in->file_name : "vcf";
	if (strlen(name) >= sizeof ((ob_seq *)0)->file_name)
		return ob_error_set(OB_EINVALID, "file_name: longer than %zu characters",
			sizeof ((ob_seq *)0)->file_name - 1);
	if (len > OB_SEQ_MAX_BYTES)
		return ob_error_set(OB_ETOOBIG, "%s: %zu bytes; a stored result holds at most %u MiB",
			name, len, OB_SEQ_MAX_BYTES >> 20);
	return check_vcf(name, vcf, len, variants);
}

/* The specimen's id, site and the donor's consent state, inside the
 * caller's transaction. */
static int specimen_for_result(const ob_ctx *cx, const char *barcode, int64_t *id,
	int64_t *site_id, int *withdrawn, int64_t *mask, char *donor, size_t dn)
{
	static const char *const sql =
		"SELECT p.id, p.site_id, d.withdrawn, d.consent_mask, d.code FROM specimen p"
		" JOIN donor d ON d.id = p.donor_id WHERE p.id = $1";
	int64_t sid;
	ob_stmt *s;
	int rc;

	if ((rc = ob_scope_specimen(cx, OB_ACT_SPECIMEN, NULL, barcode, &sid)) < 0)
		return rc;
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	ob_stmt_bind_int(s, 1, sid);
	rc = ob_stmt_step(s);
	if (rc == OB_ROW) {
		*id = ob_stmt_int(s, 0);
		*site_id = ob_stmt_int(s, 1);
		*withdrawn = !ob_stmt_is_null(s, 2) && ob_stmt_int(s, 2) != 0;
		*mask = ob_stmt_is_null(s, 3) ? 0 : ob_stmt_int(s, 3);
		ob_strlcpy(donor, ob_stmt_text(s, 4), dn);
		rc = 0;
	} else if (rc == 0) {
		rc = ob_error_set(OB_ENOTFOUND, "no specimen has barcode '%s'", barcode);
	}
	ob_stmt_reset(s);
	return rc;
}

int ob_seq_add(const ob_ctx *cx, const ob_seq_new *in, const char *vcf, size_t len, int64_t *id)
{
	static const char *const ins =
		"INSERT INTO sequencing_result (specimen_id, kind, assay, tumor_type, panel_size_mb,"
		" msi, genome, file_name, vcf, vcf_sha256, variants, created_at, created_by)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";
	unsigned char hash[crypto_hash_sha256_BYTES];
	char hex[sizeof hash * 2 + 1], now[OB_TIME_LEN], donor[64];
	int64_t variants = 0, spec_id = 0, site_id = 0, mask = 0, rid = 0;
	const char *name = opt(in->file_name) ? in->file_name : "vcf";
	int withdrawn = 0, rc;
	ob_stmt *s;

	if ((rc = check_new(in, vcf, len, &variants)) < 0)
		return rc;
	crypto_hash_sha256(hash, (const unsigned char *)vcf, len);
	sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
	ob_time_now(now);
	if ((rc = ob_store_begin(cx->st)) < 0)
		return rc;
	if ((rc = specimen_for_result(cx, in->specimen, &spec_id, &site_id, &withdrawn, &mask,
		donor, sizeof donor)) < 0)
		goto out;
	if ((rc = ob_access_check_site_id(cx, OB_ACT_SPECIMEN, site_id)) < 0)
		goto out;
	if (withdrawn) {
		rc = ob_error_set(OB_ECONFLICT, "donor %s has withdrawn consent: no result can be"
			" added to specimen %s", donor, in->specimen);
		goto out;
	}
	if (!(mask & OB_CONSENT_GENETIC)) {
		rc = ob_error_set(OB_ECONFLICT, "donor %s gave no consent to genetic research (the"
			" current consent does not permit it): no sequencing result can be kept for"
			" specimen %s", donor, in->specimen);
		goto out;
	}
	if ((rc = ob_store_prepare(cx->st, ins, &s)) < 0)
		goto out;
	ob_stmt_bind_int(s, 1, spec_id);
	ob_stmt_bind_text(s, 2, in->kind);
	ob_stmt_bind_text(s, 3, in->assay);
	ob_stmt_bind_text(s, 4, opt(in->tumor_type) ? in->tumor_type : NULL);
	ob_stmt_bind_double_or_null(s, 5, in->panel_size_mb);
	ob_stmt_bind_text(s, 6, opt(in->msi) ? in->msi : NULL);
	ob_stmt_bind_text(s, 7, in->genome);
	ob_stmt_bind_text(s, 8, name);
	/* The text is bound as a C string: check_vcf() refused NUL bytes, and
	 * the buffer handed in is NUL-terminated at len by every caller. */
	if (vcf[len] != '\0') {
		ob_stmt_reset(s);
		rc = ob_error_set(OB_ERROR, "internal: VCF text not terminated");
		goto out;
	}
	ob_stmt_bind_text(s, 9, vcf);
	ob_stmt_bind_text(s, 10, hex);
	ob_stmt_bind_int(s, 11, variants);
	ob_stmt_bind_text(s, 12, now);
	ob_stmt_bind_text(s, 13, cx->actor ? cx->actor : "");
	if ((rc = ob_stmt_insert(s, &rid)) < 0)
		goto out;
	rc = ob_audit_record(cx, &ob_seq_audit, "create", rid, in->specimen, NULL);
out:
	if (rc < 0) {
		ob_store_rollback(cx->st);
		return rc;
	}
	if ((rc = ob_store_commit(cx->st)) == 0 && id)
		*id = rid;
	return rc;
}

static void copy_col(ob_stmt *s, int col, char *dst, size_t n)
{
	const char *v = ob_stmt_is_null(s, col) ? "" : ob_stmt_text(s, col);
	ob_strlcpy(dst, v ? v : "", n);
}

int ob_seq_get(const ob_ctx *cx, int64_t id, ob_seq *out, ob_buf *vcf)
{
	static const char *const sql =
		"SELECT r.id, r.specimen_id, p.barcode, d.code, st.code, r.kind, r.assay,"
		" r.tumor_type, r.panel_size_mb, r.msi, r.genome, r.file_name, r.vcf_sha256,"
		" r.variants, r.created_at, r.created_by, st.path, r.vcf, " OB_SEQ_CONSENT_SQL
		" FROM sequencing_result r JOIN specimen p ON p.id = r.specimen_id"
		" JOIN donor d ON d.id = p.donor_id JOIN site st ON st.id = p.site_id"
		" WHERE r.id = $1";
	char site_path[OB_SCOPE_PATH_MAX] = "", key[24], what[64];
	ob_stmt *s;
	int rc;

	memset(out, 0, sizeof *out);
	snprintf(key, sizeof key, "%lld", (long long)id);
	snprintf(what, sizeof what, "no sequencing result has id %lld", (long long)id);
	if ((rc = ob_store_begin_read(cx->st)) < 0)
		return rc;
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		goto out;
	ob_stmt_bind_int(s, 1, id);
	rc = ob_stmt_step(s);
	if (rc == OB_ROW) {
		out->id = ob_stmt_int(s, 0);
		out->specimen_id = ob_stmt_int(s, 1);
		copy_col(s, 2, out->specimen, sizeof out->specimen);
		copy_col(s, 3, out->donor, sizeof out->donor);
		copy_col(s, 4, out->site, sizeof out->site);
		copy_col(s, 5, out->kind, sizeof out->kind);
		copy_col(s, 6, out->assay, sizeof out->assay);
		copy_col(s, 7, out->tumor_type, sizeof out->tumor_type);
		out->panel_size_mb = ob_stmt_double(s, 8);
		copy_col(s, 9, out->msi, sizeof out->msi);
		copy_col(s, 10, out->genome, sizeof out->genome);
		copy_col(s, 11, out->file_name, sizeof out->file_name);
		copy_col(s, 12, out->sha256, sizeof out->sha256);
		out->variants = ob_stmt_int(s, 13);
		copy_col(s, 14, out->created_at, sizeof out->created_at);
		copy_col(s, 15, out->created_by, sizeof out->created_by);
		ob_strlcpy(site_path, ob_stmt_text(s, 16), sizeof site_path);
		copy_col(s, 18, out->consent, sizeof out->consent);
		rc = 0;
		if (vcf) {
			ob_buf_clear(vcf);
			if (ob_buf_puts(vcf, ob_stmt_text(s, 17)) < 0)
				rc = ob_error_set(OB_ERROR, "out of memory");
		}
	} else if (rc == 0) {
		rc = ob_error_set(OB_ENOTFOUND, "%s", what);
	}
	ob_stmt_reset(s);
	/* Another site's result is as absent as one that never was (scope.h). */
	if (rc == 0 && (rc = ob_scope_reached(cx, OB_ACT_READ, site_path, "sequencing result", key,
			what)) < 0) {
		memset(out, 0, sizeof *out);
		if (vcf)
			ob_buf_clear(vcf);
	}
out:
	ob_store_commit(cx->st);
	return rc;
}

#define SEQ_ROW(name, kind, sql, flags) OB_RECORD_ENTRY(ob_seq_row, name, kind, flags)
const ob_field ob_seq_row_fields[] = { OB_SEQ_ROW_FIELDS(SEQ_ROW) OB_RECORD_END };

int ob_seq_list(const ob_ctx *cx, const char *barcode, int limit, ob_seq_row_cb cb, void *arg)
{
	/* the key, then the fields (read from column 1) */
	static const char *const sql =
		"SELECT r.id" OB_SEQ_ROW_FIELDS(OB_RECORD_SQL) " FROM sequencing_result r"
		" JOIN specimen p ON p.id = r.specimen_id JOIN donor d ON d.id = p.donor_id"
		" JOIN site st ON st.id = p.site_id"
		" WHERE ($1 IS NULL OR p.barcode = $1) AND ($2 IS NULL OR st.path LIKE $2 || '%')"
		" ORDER BY r.id DESC LIMIT $3";
	const char *scope = ob_access_read_scope(cx);
	int64_t spec_id;
	ob_seq_row row;
	ob_stmt *s;
	int rc;

	if ((rc = ob_store_begin_read(cx->st)) < 0)
		return rc;
	if (barcode) {
		/* An unknown barcode or one outside the scope is an error, not an
		 * empty list. */
		if ((rc = ob_scope_specimen(cx, OB_ACT_READ, NULL, barcode, &spec_id)) < 0)
			goto out;
	}
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		goto out;
	if (barcode)
		ob_stmt_bind_text(s, 1, barcode);
	else
		ob_stmt_bind_null(s, 1);
	if (scope)
		ob_stmt_bind_text(s, 2, scope);
	else
		ob_stmt_bind_null(s, 2);
	ob_stmt_bind_int(s, 3, limit > 0 ? limit : 1000);
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		ob_record_read(ob_seq_row_fields, s, 1, &row);
		if ((rc = cb(&row, arg)) != 0)
			break;
	}
	ob_stmt_reset(s);
	if (rc == OB_ROW)
		rc = 0;
out:
	ob_store_commit(cx->st);
	return rc;
}
