/*
 * refseq.c - reference bases for the annotator; see refseq.h. Two
 * readers behind one handle: a memory map of a plain FASTA indexed by its
 * .fai, and a forward-moving window filled by htslib's faidx for a bgzip
 * FASTA. The contig table (sorted by name, looked up once per change of
 * contig) serves both.
 */
#include "genomics/refseq.h"
#include "base/error.h"

#include <htslib/faidx.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define WINDOW (1 << 20)   /* bases per window (bgzip reader) */
#define BACK (1 << 16)     /* of which this many before the position asked */
#define RELEASE (8 << 20)  /* mapped bytes passed before pages are given back */
#define KEEP (1 << 20)     /* bytes kept mapped behind the reader */

typedef struct contig {
	char *name;
	int64_t len;
	int64_t offset;     /* byte offset of the first base (mapped reader) */
	int64_t line_bases; /* bases per full line */
	int64_t line_bytes; /* bytes per full line, end of line included */
} contig;

struct ob_ref {
	faidx_t *fai;
	contig *ctg;        /* sorted by name */
	size_t nctg;
	const contig *last; /* the contig of the last lookup */
	/* mapped reader */
	const unsigned char *map;
	size_t map_len;
	size_t released;    /* map[0..released) was last given back */
	/* window reader */
	char *win;          /* upper-case bases of win_ctg [win_beg, win_beg + win_len) */
	const contig *win_ctg;
	int64_t win_beg, win_len;
};

static inline char upper(unsigned char c)
{
	return (char)(c >= 'a' && c <= 'z' ? c - ('a' - 'A') : c);
}

static int cmp_contig(const void *x, const void *y)
{
	return strcmp(((const contig *)x)->name, ((const contig *)y)->name);
}

static const contig *find(ob_ref *r, const char *chrom)
{
	if (r->last && (r->last->name == chrom || !strcmp(r->last->name, chrom)))
		return r->last;
	contig key = { .name = (char *)chrom };
	const contig *c = bsearch(&key, r->ctg, r->nctg, sizeof *r->ctg, cmp_contig);
	if (c)
		r->last = c;
	return c;
}

/* The contig table from faidx's names and lengths (window reader). */
static int table_from_faidx(ob_ref *r, const char *fasta)
{
	int n = faidx_nseq(r->fai);
	if (n < 0 || !(r->ctg = calloc(n ? (size_t)n : 1, sizeof *r->ctg)))
		return ob_error_set(OB_ERROR, "%s: out of memory", fasta);
	for (int i = 0; i < n; i++) {
		const char *name = faidx_iseq(r->fai, i);
		contig *c = &r->ctg[r->nctg];
		if (!name || !(c->name = strdup(name)))
			return ob_error_set(OB_ERROR, "%s: out of memory", fasta);
		r->nctg++;
		c->len = faidx_seq_len(r->fai, name);
	}
	return 0;
}

/* The contig table from the .fai beside a plain FASTA of size fsize
 * (mapped reader). OB_EINVALID when a line does not fit the file: the
 * caller falls back to the window reader, which reports it. */
static int table_from_fai(ob_ref *r, const char *fasta, int64_t fsize)
{
	size_t plen = strlen(fasta), cap = 0;
	char *path = malloc(plen + 5), *line = NULL;
	size_t lcap = 0;
	FILE *f;
	int rc = 0;

	if (!path)
		return ob_error_set(OB_ERROR, "out of memory");
	memcpy(path, fasta, plen);
	memcpy(path + plen, ".fai", 5);
	f = fopen(path, "r");
	free(path);
	if (!f)
		return OB_EINVALID;
	while (getline(&line, &lcap, f) > 0) {
		char *name = line, *p = strchr(line, '\t'), *end;
		int64_t v[4];
		if (!p) {
			rc = OB_EINVALID;
			break;
		}
		*p++ = 0;
		for (int k = 0; k < 4; k++) {
			errno = 0;
			v[k] = strtoll(p, &end, 10);
			if (errno || end == p || (*end != '\t' && *end != '\n' && *end)) {
				rc = OB_EINVALID;
				goto done;
			}
			p = *end ? end + 1 : end;
		}
		/* the last base must lie inside the file */
		if (v[0] < 0 || v[1] < 0 || v[2] < 1 || v[3] < v[2] ||
		    (v[0] && v[1] + (v[0] - 1) / v[2] * v[3] + (v[0] - 1) % v[2] >= fsize)) {
			rc = OB_EINVALID;
			break;
		}
		if (r->nctg == cap) {
			contig *q = realloc(r->ctg, (cap = cap ? 2 * cap : 64) * sizeof *q);
			if (!q) {
				rc = ob_error_set(OB_ERROR, "out of memory");
				break;
			}
			r->ctg = q;
		}
		contig *c = &r->ctg[r->nctg];
		if (!(c->name = strdup(name))) {
			rc = ob_error_set(OB_ERROR, "out of memory");
			break;
		}
		r->nctg++;
		c->len = v[0];
		c->offset = v[1];
		c->line_bases = v[2];
		c->line_bytes = v[3];
	}
done:
	free(line);
	fclose(f);
	return rc;
}

static void drop_table(ob_ref *r)
{
	for (size_t i = 0; i < r->nctg; i++)
		free(r->ctg[i].name);
	free(r->ctg);
	r->ctg = NULL;
	r->nctg = 0;
	r->last = NULL;
}

/* Maps fasta when it is a plain (not compressed) file; 0 when mapped,
 * OB_EINVALID when the window reader must serve it, OB_ERROR. */
static int try_map(ob_ref *r, const char *fasta)
{
	unsigned char magic[2] = { 0, 0 };
	struct stat st;
	int fd = open(fasta, O_RDONLY), rc;
	void *m;

	if (fd < 0)
		return OB_EINVALID;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size < 2 ||
	    pread(fd, magic, 2, 0) != 2 || (magic[0] == 0x1f && magic[1] == 0x8b)) {
		close(fd);
		return OB_EINVALID;
	}
	m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return OB_EINVALID;
	if ((rc = table_from_fai(r, fasta, (int64_t)st.st_size)) < 0) {
		munmap(m, (size_t)st.st_size);
		drop_table(r);
		return rc;
	}
	r->map = m;
	r->map_len = (size_t)st.st_size;
	return 0;
}

int ob_ref_open(ob_ref **out, const char *fasta)
{
	ob_ref *r = calloc(1, sizeof *r);
	int rc;

	*out = NULL;
	if (!r)
		return ob_error_set(OB_ERROR, "out of memory");
	/* faidx builds a missing .fai (and checks the file) for both readers */
	if (!(r->fai = fai_load(fasta))) {
		free(r);
		return ob_error_set(OB_ERROR, "%s: cannot open or index the FASTA", fasta);
	}
	rc = try_map(r, fasta);
	if (rc == OB_EINVALID) {
		fai_set_cache_size(r->fai, 8 << 20);
		rc = table_from_faidx(r, fasta);
	}
	if (rc < 0) {
		ob_ref_free(r);
		return rc;
	}
	qsort(r->ctg, r->nctg, sizeof *r->ctg, cmp_contig);
	*out = r;
	return 0;
}

void ob_ref_free(ob_ref *r)
{
	if (!r)
		return;
	if (r->map)
		munmap((void *)r->map, r->map_len);
	if (r->fai)
		fai_destroy(r->fai);
	drop_table(r);
	free(r->win);
	free(r);
}

int ob_ref_mapped(const ob_ref *r)
{
	return r->map != NULL;
}

int64_t ob_ref_len(ob_ref *r, const char *chrom)
{
	const contig *c = find(r, chrom);
	return c ? c->len : -1;
}

/* Byte offset of 1-based pos of c in the mapped file. */
static inline size_t map_offset(const contig *c, int64_t pos)
{
	int64_t i = pos - 1;
	return (size_t)(c->offset + i / c->line_bases * c->line_bytes + i % c->line_bases);
}

/* Gives back the mapped pages well behind byte off (a reader moving
 * forward touches each page once; without this the whole genome would
 * become resident). Pages touched again are read back from the page
 * cache. */
static inline void release_behind(ob_ref *r, size_t off)
{
	if (off < r->released) {
		r->released = off & ~(size_t)4095;
		return;
	}
	if (off - r->released < RELEASE)
		return;
	size_t pg = (size_t)sysconf(_SC_PAGESIZE), to = (off - KEEP) & ~(pg - 1),
	       from = r->released & ~(pg - 1);
	if (to > from)
		madvise((void *)(r->map + from), to - from, MADV_DONTNEED);
	r->released = to;
}

/* Reads [beg, end] of c through faidx into dst (upper case). */
static int fetch(ob_ref *r, const contig *c, int64_t beg, int64_t end, char *dst)
{
	hts_pos_t len = 0;
	char *s = faidx_fetch_seq64(r->fai, c->name, beg - 1, end - 1, &len);
	if (!s || len != end - beg + 1) {
		free(s);
		return ob_error_set(OB_ERROR, "%s:%" PRId64 "-%" PRId64 ": cannot read the reference",
			c->name, beg, end);
	}
	for (hts_pos_t j = 0; j < len; j++)
		dst[j] = upper((unsigned char)s[j]);
	free(s);
	return 0;
}

/* Moves the window so that it holds pos of c; the part it shares with
 * the old window (moving forward) is kept, not read again. */
static int move_window(ob_ref *r, const contig *c, int64_t pos)
{
	int64_t nb = pos > BACK ? pos - BACK : 1, ne = nb + WINDOW - 1, keep = 0;
	if (ne > c->len)
		ne = c->len;
	if (!r->win && !(r->win = malloc(WINDOW)))
		return ob_error_set(OB_ERROR, "out of memory");
	if (r->win_ctg == c && r->win_len && nb > r->win_beg && nb < r->win_beg + r->win_len) {
		keep = r->win_beg + r->win_len - nb;
		memmove(r->win, r->win + (nb - r->win_beg), (size_t)keep);
	}
	r->win_ctg = c;
	r->win_beg = nb;
	r->win_len = keep;
	if (nb + keep <= ne) {
		int rc = fetch(r, c, nb + keep, ne, r->win + keep);
		if (rc < 0) {
			r->win_len = 0;
			return rc;
		}
	}
	r->win_len = ne - nb + 1;
	return 0;
}

char ob_ref_base(ob_ref *r, const char *chrom, int64_t pos)
{
	const contig *c = find(r, chrom);
	if (!c || pos < 1 || pos > c->len)
		return 0;
	if (r->map) {
		size_t off = map_offset(c, pos);
		release_behind(r, off);
		return upper(r->map[off]);
	}
	if (r->win_ctg != c || pos < r->win_beg || pos >= r->win_beg + r->win_len)
		if (move_window(r, c, pos) < 0)
			return 0;
	return r->win[pos - r->win_beg];
}

int ob_ref_copy(ob_ref *r, const char *chrom, int64_t beg, int64_t end, char *dst)
{
	const contig *c = find(r, chrom);
	if (!c)
		return ob_error_set(OB_ENOTFOUND, "%s: no such contig in the FASTA", chrom);
	if (beg < 1 || end < beg || end > c->len)
		return ob_error_set(OB_EINVALID, "%s:%" PRId64 "-%" PRId64 ": outside the contig (1-%" PRId64 ")",
			chrom, beg, end, c->len);
	if (r->map) {
		int64_t p = beg;
		while (p <= end) { /* line by line */
			size_t off = map_offset(c, p);
			int64_t n = c->line_bases - (p - 1) % c->line_bases;
			if (n > end - p + 1)
				n = end - p + 1;
			for (int64_t j = 0; j < n; j++)
				dst[p - beg + j] = upper(r->map[off + (size_t)j]);
			p += n;
		}
		release_behind(r, map_offset(c, end));
		return 0;
	}
	if (r->win_ctg == c && beg >= r->win_beg && end < r->win_beg + r->win_len) {
		memcpy(dst, r->win + (beg - r->win_beg), (size_t)(end - beg + 1));
		return 0;
	}
	return fetch(r, c, beg, end, dst);
}
