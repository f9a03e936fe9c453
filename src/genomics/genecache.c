/*
 * genecache.c - writes and reads the binary gene-model cache (see
 * genecache.h for the layout). The writer serialises into one buffer,
 * checksums it and writes header and payload to a temporary file that is
 * renamed over the target; the reader takes the whole file into memory,
 * checks magic, version, length and checksum before it decodes a byte of
 * payload, and decodes with bounds checks all the same.
 */
#include "genomics/genecache.h"
#include "base/buf.h"
#include "base/error.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const unsigned char magic[8] = { 0x89, 'O', 'B', 'G', 'C', '\r', '\n', 0x1a };

enum {
	HEADER = 32,
	TX_MIN = 6 * 4 + 3 * 4 + 2 * 8 + 2 * 4 /* bytes of a transcript with empty strings, no ranges */
};

/* A 64-bit checksum, a word at a time (FNV-style multiply with a rotate):
 * meant to catch a damaged or truncated file, not an adversary. */
static uint64_t checksum(const unsigned char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull ^ n;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		h ^= w;
		h = (h << 29 | h >> 35) * 0x100000001b3ull;
	}
	for (; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h ^ (h >> 31);
}

static void le32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void le64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get32(const unsigned char *p)
{
	uint32_t v = 0;
	for (int i = 3; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static uint64_t get64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* --- writing --- */

static int put32(ob_buf *b, uint32_t v)
{
	unsigned char x[4];
	le32(x, v);
	return ob_buf_put(b, x, 4);
}

static int put64(ob_buf *b, uint64_t v)
{
	unsigned char x[8];
	le64(x, v);
	return ob_buf_put(b, x, 8);
}

static int putstr(ob_buf *b, const char *s)
{
	size_t n = strlen(s);
	if (n > UINT32_MAX)
		return OB_ERROR;
	return put32(b, (uint32_t)n) | ob_buf_put(b, s, n);
}

static int put_tx(ob_buf *b, const ob_tx *t)
{
	int rc = putstr(b, t->id) | putstr(b, t->gene_id) | putstr(b, t->gene_name) |
		putstr(b, t->biotype) | putstr(b, t->protein_id) | putstr(b, t->chrom) |
		put32(b, (uint32_t)(int32_t)t->strand) | put32(b, (uint32_t)t->version) |
		put32(b, t->flags) | put64(b, (uint64_t)t->beg) | put64(b, (uint64_t)t->end) |
		put32(b, (uint32_t)t->nexon) | put32(b, (uint32_t)t->ncds);
	for (size_t i = 0; i < t->nexon; i++)
		rc |= put64(b, (uint64_t)t->exon[i].beg) | put64(b, (uint64_t)t->exon[i].end) |
			put32(b, (uint32_t)(int32_t)t->exon[i].phase);
	for (size_t i = 0; i < t->ncds; i++)
		rc |= put64(b, (uint64_t)t->cds[i].beg) | put64(b, (uint64_t)t->cds[i].end) |
			put32(b, (uint32_t)(int32_t)t->cds[i].phase);
	return rc ? OB_ERROR : 0;
}

static int write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n) {
		ssize_t w = write(fd, c, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

int ob_genecache_write(const ob_gff *g, const char *source, const char *path)
{
	ob_buf b = OB_BUF_INIT;
	unsigned char h[HEADER];
	char real[PATH_MAX], *tmp = NULL;
	struct stat st;
	size_t ntx = ob_gff_ntx(g);
	int fd = -1, rc = 0;

	if (ntx > UINT32_MAX)
		return ob_error_set(OB_ERROR, "%s: too many transcripts for a gene cache", path);
	if (stat(source, &st) != 0 || !realpath(source, real))
		return ob_error_set(OB_ERROR, "%s: cannot read: %s", source, strerror(errno));
	if (putstr(&b, real) | put64(&b, (uint64_t)st.st_size) | put64(&b, (uint64_t)st.st_mtim.tv_sec) |
	    put32(&b, (uint32_t)st.st_mtim.tv_nsec)) {
		rc = ob_error_set(OB_ERROR, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < ntx; i++)
		if (put_tx(&b, ob_gff_tx(g, i)) < 0) {
			rc = ob_error_set(OB_ERROR, "out of memory");
			goto out;
		}
	memcpy(h, magic, 8);
	le32(h + 8, OB_GENECACHE_VERSION);
	le32(h + 12, (uint32_t)ntx);
	le64(h + 16, b.len);
	le64(h + 24, checksum((const unsigned char *)b.s, b.len));

	size_t n = strlen(path) + 16;
	if (!(tmp = malloc(n))) {
		rc = ob_error_set(OB_ERROR, "out of memory");
		goto out;
	}
	snprintf(tmp, n, "%s.tmpXXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0) {
		rc = ob_error_set(OB_ERROR, "%s: cannot create a temporary file beside it: %s",
			path, strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	if (write_all(fd, h, HEADER) < 0 || write_all(fd, b.s, b.len) < 0 || fsync(fd) < 0) {
		rc = ob_error_set(OB_ERROR, "%s: cannot write: %s", tmp, strerror(errno));
		goto out;
	}
	/* mkstemp makes it 0600; a cache is as readable as its source */
	(void)fchmod(fd, 0644);
	if (close(fd) < 0) {
		fd = -1;
		rc = ob_error_set(OB_ERROR, "%s: cannot write: %s", tmp, strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) < 0) {
		rc = ob_error_set(OB_ERROR, "%s: cannot rename into place: %s", path, strerror(errno));
		goto out;
	}
	free(tmp);
	tmp = NULL;
out:
	if (fd >= 0)
		close(fd);
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	ob_buf_dispose(&b);
	return rc;
}

/* --- reading --- */

typedef struct rd {
	const unsigned char *p, *end;
	int bad;
} rd;

static uint32_t r32(rd *r)
{
	if (r->end - r->p < 4) {
		r->bad = 1;
		return 0;
	}
	uint32_t v = get32(r->p);
	r->p += 4;
	return v;
}

static uint64_t r64(rd *r)
{
	if (r->end - r->p < 8) {
		r->bad = 1;
		return 0;
	}
	uint64_t v = get64(r->p);
	r->p += 8;
	return v;
}

/* A new NUL-terminated string, or NULL (r->bad says whether the input or
 * memory failed). */
static char *rstr(rd *r, int *oom)
{
	uint32_t n = r32(r);
	if (r->bad || (uint64_t)(r->end - r->p) < n) {
		r->bad = 1;
		return NULL;
	}
	char *s = malloc((size_t)n + 1);
	if (!s) {
		*oom = 1;
		return NULL;
	}
	memcpy(s, r->p, n);
	s[n] = 0;
	r->p += n;
	return s;
}

static int rranges(rd *r, ob_range **out, uint32_t n, int *oom)
{
	if (!n)
		return 0;
	if ((uint64_t)(r->end - r->p) < (uint64_t)n * 20) {
		r->bad = 1;
		return -1;
	}
	if (!(*out = malloc(n * sizeof **out))) {
		*oom = 1;
		return -1;
	}
	for (uint32_t i = 0; i < n; i++) {
		(*out)[i].beg = (int64_t)r64(r);
		(*out)[i].end = (int64_t)r64(r);
		(*out)[i].phase = (int32_t)r32(r);
	}
	return 0;
}

static int read_tx(rd *r, ob_tx *t, int *oom)
{
	memset(t, 0, sizeof *t);
	t->id = rstr(r, oom);
	t->gene_id = rstr(r, oom);
	t->gene_name = rstr(r, oom);
	t->biotype = rstr(r, oom);
	t->protein_id = rstr(r, oom);
	t->chrom = rstr(r, oom);
	t->strand = (int32_t)r32(r);
	t->version = (int)r32(r);
	t->flags = r32(r);
	t->beg = (int64_t)r64(r);
	t->end = (int64_t)r64(r);
	uint32_t ne = r32(r), nc = r32(r);
	if (r->bad || *oom)
		return -1;
	if (rranges(r, &t->exon, ne, oom) < 0)
		return -1;
	t->nexon = ne;
	if (rranges(r, &t->cds, nc, oom) < 0)
		return -1;
	t->ncds = nc;
	/* the invariants the annotator relies on */
	if ((t->strand != 1 && t->strand != -1) || t->beg > t->end || !ne) {
		r->bad = 1;
		return -1;
	}
	return 0;
}

/* Reads the whole file at path into *data, *len. */
static int slurp(const char *path, unsigned char **data, size_t *len)
{
	struct stat st;
	int fd = open(path, O_RDONLY);

	*data = NULL;
	if (fd < 0)
		return ob_error_set(OB_ERROR, "%s: cannot open: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0) {
		close(fd);
		return ob_error_set(OB_ERROR, "%s: cannot read: %s", path, strerror(errno));
	}
	size_t n = (size_t)st.st_size, got = 0;
	unsigned char *p = malloc(n ? n : 1);
	if (!p) {
		close(fd);
		return ob_error_set(OB_ERROR, "%s: out of memory (%zu bytes)", path, n);
	}
	while (got < n) {
		ssize_t k = read(fd, p + got, n - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			free(p);
			close(fd);
			return ob_error_set(OB_ERROR, "%s: cannot read: %s", path, strerror(errno));
		}
		if (k == 0)
			break;
		got += (size_t)k;
	}
	close(fd);
	*data = p;
	*len = got;
	return 0;
}

int ob_genecache_sniff(const char *path)
{
	unsigned char h[8];
	struct stat st;

	/* only a regular file: peeking into a pipe would eat its first bytes */
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return 0;
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	size_t n = fread(h, 1, sizeof h, f);
	fclose(f);
	return n >= 4 && !memcmp(h, magic, n < 8 ? n : 8);
}

static const char rebuild[] = "rebuild it with oncobank genes index";

int ob_genecache_read(ob_gff **out, const char *path)
{
	unsigned char *data;
	size_t len = 0, ntx = 0;
	ob_tx *tx = NULL;
	int rc, oom = 0;

	*out = NULL;
	if ((rc = slurp(path, &data, &len)) < 0)
		return rc;
	if (len < 8 || memcmp(data, magic, 8)) {
		rc = ob_error_set(OB_EINVALID, "%s: not an oncobank gene cache%s", path,
			len < 8 && len >= 4 ? " (truncated header)" : "");
		goto out;
	}
	if (len < HEADER) {
		rc = ob_error_set(OB_EINVALID, "%s: truncated gene cache (%zu of %d header bytes); %s",
			path, len, HEADER, rebuild);
		goto out;
	}
	uint32_t ver = get32(data + 8), n = get32(data + 12);
	uint64_t plen = get64(data + 16), sum = get64(data + 24);
	if (ver != OB_GENECACHE_VERSION) {
		rc = ob_error_set(OB_EINVALID, "%s: gene cache format version %u, this oncobank reads %u; %s",
			path, ver, OB_GENECACHE_VERSION, rebuild);
		goto out;
	}
	if (plen != len - HEADER) {
		rc = ob_error_set(OB_EINVALID, "%s: %s gene cache (%zu payload bytes, header says %llu); %s",
			path, plen > len - HEADER ? "truncated" : "overlong", len - HEADER,
			(unsigned long long)plen, rebuild);
		goto out;
	}
	if (checksum(data + HEADER, plen) != sum) {
		rc = ob_error_set(OB_EINVALID, "%s: corrupt gene cache (checksum mismatch); %s", path, rebuild);
		goto out;
	}
	rd r = { data + HEADER, data + len, 0 };
	char *src = rstr(&r, &oom);
	uint64_t size = r64(&r), sec = r64(&r);
	uint32_t nsec = r32(&r);
	if (src && !r.bad) {
		struct stat st;
		/* a source that is gone is fine (a cache may travel alone);
		 * one that is there must be the file that was indexed */
		if (stat(src, &st) == 0 && ((uint64_t)st.st_size != size ||
		    (uint64_t)st.st_mtim.tv_sec != sec || (uint32_t)st.st_mtim.tv_nsec != nsec)) {
			rc = ob_error_set(OB_EINVALID, "%s: stale gene cache: its source %s has changed since it was indexed; %s",
				path, src, rebuild);
			free(src);
			goto out;
		}
	}
	free(src);
	if ((uint64_t)n * TX_MIN > plen) { /* before allocating n of them */
		rc = ob_error_set(OB_EINVALID, "%s: corrupt gene cache (%u transcripts cannot fit in %llu bytes); %s",
			path, n, (unsigned long long)plen, rebuild);
		goto out;
	}
	if (!(tx = calloc(n ? n : 1, sizeof *tx))) {
		rc = ob_error_set(OB_ERROR, "out of memory");
		goto out;
	}
	for (; ntx < n && !r.bad && !oom; ntx++)
		if (read_tx(&r, &tx[ntx], &oom) < 0) {
			ntx++; /* dispose the partial one too */
			break;
		}
	if (oom) {
		rc = ob_error_set(OB_ERROR, "out of memory");
		goto out;
	}
	if (r.bad || ntx != n || r.p != r.end) {
		rc = ob_error_set(OB_EINVALID, "%s: corrupt gene cache (transcript %zu of %u does not decode); %s",
			path, ntx, n, rebuild);
		goto out;
	}
	rc = ob_gff_adopt(out, tx, ntx);
	tx = NULL;
	ntx = 0;
out:
	for (size_t i = 0; i < ntx; i++)
		ob_tx_dispose(&tx[i]);
	free(tx);
	free(data);
	return rc;
}
