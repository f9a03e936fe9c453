/*
 * vcfread.c - reading VCF/BCF records with every line checked (see
 * vcfread.h). A text file is read in 128 KiB blocks (grown for a longer
 * line; small enough to stay in cache) and cut into lines in place (glibc's
 * memchr finds a newline far faster than htslib's byte-wise getline, and a
 * line is never copied); each data line is checked by
 * vcfcheck.c and then handed to htslib's vcf_parse in place. BCF records come
 * from bcf_read and have their alleles checked.
 */
#include "genomics/vcfread.h"
#include "genomics/vcfcheck.h"
#include "base/error.h"

#include <htslib/bgzf.h>
#include <htslib/hfile.h>
#include <htslib/hts.h>
#include <htslib/kstring.h>
#include <htslib/tbx.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A line longer than this is refused rather than buffered (binary data
 * without newlines would otherwise take all memory). */
#define MAX_LINE ((size_t)256 << 20)

struct ob_vcfread {
	char *path;
	htsFile *fp;
	bcf_hdr_t *hdr;
	bool text;
	int nsamples;
	int64_t line;     /* text: lines read; BCF: records read */
	/* text: the block reader */
	BGZF *bg;         /* compressed input, else */
	hFILE *hf;        /* plain input */
	char *buf;
	size_t cap, beg, end, scan;
	bool eof;
	char *cur;        /* the current line, NUL-terminated in buf */
	size_t curlen;
	char where[600];
};

/* The next raw line (without its newline, NUL-terminated in place) in
 * r->cur: 1, 0 at the end, -1 on a read error, -2 when too long. */
static int raw_line(ob_vcfread *r)
{
	for (;;) {
		size_t from = r->scan > r->beg ? r->scan : r->beg;
		char *nl = memchr(r->buf + from, '\n', r->end - from);
		if (nl) {
			r->cur = r->buf + r->beg;
			r->curlen = (size_t)(nl - r->cur);
			r->beg = r->scan = (size_t)(nl - r->buf) + 1;
			break;
		}
		if (r->eof) {
			if (r->beg == r->end)
				return 0;
			r->cur = r->buf + r->beg;
			r->curlen = r->end - r->beg;
			r->beg = r->scan = r->end; /* buf[end] is the spare byte */
			break;
		}
		size_t rem = r->end - r->beg;
		if (rem > MAX_LINE)
			return -2;
		memmove(r->buf, r->buf + r->beg, rem);
		r->beg = 0;
		r->end = r->scan = rem;
		if (r->cap - r->end < r->cap / 4) {
			char *nb = realloc(r->buf, r->cap * 2);
			if (!nb)
				return -1;
			r->buf = nb;
			r->cap *= 2;
		}
		/* one byte stays free: a last line without newline ends there */
		ssize_t n = r->bg ? bgzf_read(r->bg, r->buf + r->end, r->cap - r->end - 1)
			: hread(r->hf, r->buf + r->end, r->cap - r->end - 1);
		if (n < 0)
			return -1;
		if (n == 0)
			r->eof = true;
		r->end += (size_t)n;
	}
	if (r->curlen && r->cur[r->curlen - 1] == '\r')
		r->curlen--;
	r->cur[r->curlen] = '\0';
	r->line++;
	return 1;
}

static int read_failed(ob_vcfread *r, int ret)
{
	if (ret == -2)
		return ob_error_set(OB_EINVALID, "%s:%lld: record: longer than %zu MiB (not a VCF?)",
			r->path, (long long)r->line + 1, MAX_LINE >> 20);
	if (!r->line)
		return ob_error_set(OB_EINVALID, "%s: not a VCF (corrupt or truncated data)", r->path);
	return ob_error_set(OB_EINVALID, "%s: not a VCF (corrupt or truncated data after line %lld)",
		r->path, (long long)r->line);
}

/* Contigs a tabix index knows and the header lacks, as htslib's own
 * header reader adds them. */
static int index_contigs(ob_vcfread *r)
{
	tbx_t *idx = tbx_index_load3(r->path, NULL, HTS_IDX_SILENT_FAIL);
	const char **names = NULL;
	int n = 0, rc = 0, add = 0;
	if (!idx)
		return 0;
	if (!(names = tbx_seqnames(idx, &n))) {
		rc = ob_error_set(OB_ERROR, "out of memory");
		goto out;
	}
	for (int i = 0; i < n; i++) {
		if (bcf_hdr_get_hrec(r->hdr, BCF_HL_CTG, "ID", names[i], NULL))
			continue;
		if (bcf_hdr_printf(r->hdr, "##contig=<ID=%s>", names[i]) < 0) {
			rc = ob_error_set(OB_ERROR, "out of memory");
			goto out;
		}
		add = 1;
	}
	if (add && bcf_hdr_sync(r->hdr) < 0)
		rc = ob_error_set(OB_ERROR, "out of memory");
out:
	free(names);
	tbx_destroy(idx);
	return rc;
}

static int read_text_header(ob_vcfread *r)
{
	kstring_t txt = KS_INITIALIZE;
	int rc = 0, ret;
	bool chrom = false;

	r->bg = r->fp->is_bgzf ? r->fp->fp.bgzf : NULL;
	r->hf = r->bg ? NULL : r->fp->fp.hfile;
	r->cap = 1 << 17;
	if (!(r->buf = malloc(r->cap)))
		return ob_error_set(OB_ERROR, "out of memory");
	while ((ret = raw_line(r)) > 0) {
		if (!r->curlen)
			continue;
		if (memchr(r->cur, '\0', r->curlen)) {
			rc = ob_error_set(OB_EINVALID, "%s: not a VCF (binary data on line %lld)", r->path,
				(long long)r->line);
			goto out;
		}
		if (r->cur[0] != '#') {
			rc = ob_error_set(OB_EINVALID, "%s:%lld: header: a record before the #CHROM line"
				" (a VCF starts with ##fileformat= and has a #CHROM line)", r->path,
				(long long)r->line);
			goto out;
		}
		if (kputsn(r->cur, r->curlen, &txt) < 0 || kputc('\n', &txt) < 0) {
			rc = ob_error_set(OB_ERROR, "out of memory");
			goto out;
		}
		if (r->cur[1] != '#') {
			if (strncmp(r->cur, "#CHROM", 6)) {
				rc = ob_error_set(OB_EINVALID, "%s:%lld: header: the column header line must"
					" start with #CHROM", r->path, (long long)r->line);
				goto out;
			}
			chrom = true;
			break;
		}
	}
	if (ret < 0) {
		rc = read_failed(r, ret);
		goto out;
	}
	if (!chrom) {
		rc = r->line ? ob_error_set(OB_EINVALID, "%s:%lld: header: no #CHROM line (a VCF"
				" starts with ##fileformat= and has a #CHROM line)", r->path,
				(long long)r->line)
			: ob_error_set(OB_EINVALID, "%s: not a VCF (empty file)", r->path);
		goto out;
	}
	if (!(r->hdr = bcf_hdr_init("r"))) {
		rc = ob_error_set(OB_ERROR, "out of memory");
		goto out;
	}
	if (bcf_hdr_parse(r->hdr, txt.s) < 0) {
		rc = ob_error_set(OB_EINVALID, "%s:%lld: header: htslib cannot parse the VCF header",
			r->path, (long long)r->line);
		goto out;
	}
	if (r->bg && strcmp(r->path, "-"))
		rc = index_contigs(r);
out:
	free(txt.s);
	return rc;
}

int ob_vcfread_open(ob_vcfread **out, const char *path, int threads)
{
	ob_vcfread *r = calloc(1, sizeof *r);
	int rc = 0;

	*out = NULL;
	if (!r || !(r->path = strdup(path))) {
		free(r);
		return ob_error_set(OB_ERROR, "out of memory");
	}
	errno = 0;
	if (!(r->fp = hts_open(path, "r"))) {
		if (errno == ENOEXEC)
			rc = ob_error_set(OB_EINVALID, "%s: not a VCF (binary data: neither VCF text,"
				" bgzipped VCF nor BCF)", path);
		else
			rc = ob_error_set(OB_ERROR, "%s: cannot open: %s", path,
				errno ? strerror(errno) : "unknown error");
		goto fail;
	}
	const htsFormat *f = hts_get_format(r->fp);
	if (f->format == empty_format) {
		rc = ob_error_set(OB_EINVALID, "%s: not a VCF (empty file)", path);
		goto fail;
	}
	if (f->format != vcf && f->format != bcf && f->format != text_format) {
		char *d = hts_format_description(f);
		rc = ob_error_set(OB_EINVALID, "%s: not a VCF (%s)", path,
			f->format == unknown_format || f->format == binary_format ? "binary data" :
			d ? d : "another format");
		free(d);
		goto fail;
	}
	if (f->compression == bgzf && strcmp(path, "-") && bgzf_check_EOF(r->fp->fp.bgzf) == 0) {
		rc = ob_error_set(OB_EINVALID, "%s: not a VCF (truncated BGZF file: no end-of-file"
			" block)", path);
		goto fail;
	}
	if (threads > 0 && f->compression == bgzf)
		hts_set_threads(r->fp, threads);
	if (f->format == bcf) {
		if (!(r->hdr = bcf_hdr_read(r->fp))) {
			rc = ob_error_set(OB_EINVALID, "%s: not a VCF (a BCF file whose header cannot be"
				" read)", path);
			goto fail;
		}
	} else {
		r->text = true;
		if ((rc = read_text_header(r)) < 0)
			goto fail;
	}
	r->nsamples = bcf_hdr_nsamples(r->hdr);
	*out = r;
	return 0;
fail:
	ob_vcfread_free(r);
	return rc;
}

void ob_vcfread_free(ob_vcfread *r)
{
	if (!r)
		return;
	if (r->hdr)
		bcf_hdr_destroy(r->hdr);
	if (r->fp)
		hts_close(r->fp);
	free(r->buf);
	free(r->path);
	free(r);
}

bcf_hdr_t *ob_vcfread_header(ob_vcfread *r)
{
	return r->hdr;
}

int ob_vcfread_is_text(const ob_vcfread *r)
{
	return r->text;
}

int64_t ob_vcfread_line(const ob_vcfread *r)
{
	return r->line;
}

const char *ob_vcfread_where(ob_vcfread *r)
{
	if (r->text)
		snprintf(r->where, sizeof r->where, "%s:%lld", r->path, (long long)r->line);
	else
		snprintf(r->where, sizeof r->where, "%s: record %lld", r->path, (long long)r->line);
	return r->where;
}

int ob_vcfread_next_line(ob_vcfread *r, const char **s, size_t *len)
{
	int ret, rc;

	if (!r->text)
		return ob_error_set(OB_ERROR, "%s: internal: a line of a BCF file", r->path);
	while ((ret = raw_line(r)) > 0 && !r->curlen)
		;
	if (ret < 0)
		return read_failed(r, ret);
	if (ret == 0)
		return 0;
	if ((rc = ob_vcf_check_line(r->cur, r->curlen, r->nsamples, r->path, r->line)) < 0)
		return rc;
	*s = r->cur;
	*len = r->curlen;
	return 1;
}

/* htslib's verdict on a parsed record: its return and error bits. A contig
 * or tag missing from the header is allowed (htslib declares it). */
static int parsed(ob_vcfread *r, int ret, const bcf1_t *rec)
{
	int bad = rec->errcode & ~(BCF_ERR_CTG_UNDEF | BCF_ERR_TAG_UNDEF);
	const char *w;

	if (ret >= 0 && !bad)
		return 0;
	w = ob_vcfread_where(r);
	if (bad & BCF_ERR_NCOLS)
		return ob_error_set(OB_EINVALID, "%s: FORMAT: the sample columns do not match the"
			" %d sample%s of the #CHROM line", w, r->nsamples, r->nsamples == 1 ? "" : "s");
	if (bad & BCF_ERR_CHAR)
		return ob_error_set(OB_EINVALID, "%s: FORMAT: a sample value has a character its"
			" FORMAT type does not allow", w);
	if (bad & BCF_ERR_CTG_INVALID)
		return ob_error_set(OB_EINVALID, "%s: CHROM: not a contig name htslib accepts", w);
	if (bad & BCF_ERR_TAG_INVALID)
		return ob_error_set(OB_EINVALID, "%s: INFO: a tag htslib cannot declare (an INFO or"
			" FORMAT key such as '.')", w);
	if (bad & BCF_ERR_LIMITS)
		return ob_error_set(OB_EINVALID, "%s: INFO: beyond htslib's limits (too many"
			" alleles, values or FORMAT fields)", w);
	return ob_error_set(OB_EINVALID, "%s: record: htslib cannot parse it", w);
}

int ob_vcfread_parse(ob_vcfread *r, bcf1_t *rec)
{
	kstring_t k = { r->curlen, r->curlen + 1, r->cur };

	if (!r->text || !r->cur)
		return ob_error_set(OB_ERROR, "%s: internal: no line to parse", r->path);
	/* in place: vcf_parse only writes inside the line and never grows it */
	return parsed(r, vcf_parse(&k, r->hdr, rec), rec);
}

int ob_vcfread_next(ob_vcfread *r, bcf1_t *rec)
{
	const char *s;
	size_t len;
	int ret, rc;

	if (r->text) {
		if ((ret = ob_vcfread_next_line(r, &s, &len)) <= 0)
			return ret;
		return (rc = ob_vcfread_parse(r, rec)) < 0 ? rc : 1;
	}
	ret = bcf_read(r->fp, r->hdr, rec);
	if (ret == -1 && !(r->fp->is_bgzf && r->fp->fp.bgzf->errcode))
		return 0;
	if (ret < 0)
		return ob_error_set(OB_EINVALID, "%s: not a VCF (corrupt or truncated BCF after record"
			" %lld)", r->path, (long long)r->line);
	r->line++;
	if ((rc = parsed(r, 0, rec)) < 0)
		return rc;
	if (rec->pos < 0)
		return ob_error_set(OB_EINVALID, "%s: POS: '%lld' is not a position (a whole number"
			" from 1)", ob_vcfread_where(r), (long long)rec->pos + 1);
	if (bcf_unpack(rec, BCF_UN_STR) < 0)
		return ob_error_set(OB_EINVALID, "%s: REF: the alleles cannot be read (corrupt BCF)",
			ob_vcfread_where(r));
	if ((rc = ob_vcf_check_alleles((const char *const *)rec->d.allele, rec->n_allele, r->path,
		-r->line)) < 0)
		return rc;
	return 1;
}
