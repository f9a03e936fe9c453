/*
 * vcfio.c - the htslib side of `oncobank annotate`: read a record, unpack
 * its alleles, ask annotate.c for the ANN value, set it, write the record.
 * See vcfio.h.
 */
#include "genomics/vcfio.h"
#include "genomics/haplo.h"
#include "genomics/vcfread.h"
#include "genomics/vcfwrite.h"
#include "base/error.h"

#include <htslib/kstring.h>
#include <htslib/vcf.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Records held for --compound, in input order: q[head .. n). */
struct pending {
	bcf1_t **q;
	size_t head, n, cap;
};

static int pending_push(struct pending *p, bcf1_t *rec)
{
	bcf1_t *d = bcf_dup(rec);
	if (!d)
		return ob_error_set(OB_ERROR, "out of memory");
	if (p->n == p->cap && p->head) {
		memmove(p->q, p->q + p->head, (p->n - p->head) * sizeof *p->q);
		p->n -= p->head;
		p->head = 0;
	}
	if (p->n == p->cap) {
		size_t c = p->cap ? 2 * p->cap : 64;
		bcf1_t **x = realloc(p->q, c * sizeof *x);
		if (!x) {
			bcf_destroy(d);
			return ob_error_set(OB_ERROR, "out of memory");
		}
		p->q = x;
		p->cap = c;
	}
	p->q[p->n++] = d;
	return 0;
}

static void pending_dispose(struct pending *p)
{
	for (size_t i = p->head; i < p->n; i++)
		bcf_destroy(p->q[i]);
	free(p->q);
}

/* The allele each haplotype of rec carries (2 per sample; see vcfio.h):
 * fills hap[0 .. 2 * nsample) and returns how many, or 1 (hap[0] = 1)
 * without samples. An unphased heterozygous sample, a missing or absent
 * GT give -1 (not combined). */
static int haplotypes(const bcf_hdr_t *hdr, bcf1_t *rec, int **hap, int *chap, int32_t **gt,
	int *ngt)
{
	int ns = bcf_hdr_nsamples(hdr), nh = ns ? 2 * ns : 1;
	if (nh > *chap) {
		int *x = realloc(*hap, (size_t)nh * sizeof *x);
		if (!x)
			return ob_error_set(OB_ERROR, "out of memory");
		*hap = x;
		*chap = nh;
	}
	if (!ns) {
		(*hap)[0] = 1;
		return 1;
	}
	for (int i = 0; i < nh; i++)
		(*hap)[i] = -1;
	int n = bcf_get_genotypes(hdr, rec, gt, ngt);
	if (n <= 0)
		return nh;
	int pl = n / ns;
	for (int s = 0; s < ns; s++) {
		const int32_t *g = *gt + s * pl;
		int al[2] = { -1, -1 }, phased = 1, k = 0;
		for (int j = 0; j < pl && g[j] != bcf_int32_vector_end; j++) {
			if (j && !bcf_gt_is_phased(g[j]))
				phased = 0;
			if (j < 2)
				al[j] = bcf_gt_is_missing(g[j]) ? -1 : bcf_gt_allele(g[j]);
			k = j + 1;
		}
		if (k == 2 && !phased && al[0] != al[1])
			continue; /* an unphased heterozygote: which haplotype is unknown */
		(*hap)[2 * s] = al[0];
		(*hap)[2 * s + 1] = k >= 2 ? al[1] : -1;
	}
	return nh;
}

/* Writes rec with ann as its ANN (none for a record without ALT). VCF text
 * output gets ANN spliced into the line on the way out (vcfwrite.h: the
 * same bytes, without storing and decoding the long string again); BCF,
 * or a record that has an ANN of its own to replace, stores it. */
static int write_rec(htsFile *fo, bcf_hdr_t *hdr, bcf1_t *rec, const ob_buf *ann,
	kstring_t *line, const char *out)
{
	if (rec->n_allele > 1) {
		if (ob_vcf_can_splice(fo, hdr, rec, "ANN")) {
			if (ob_vcf_write_info(fo, hdr, rec, "ANN", ob_buf_cstr(ann), ann->len, line) < 0)
				return ob_error_set(OB_ERROR, "%s: write error", out);
			return 0;
		}
		if (bcf_update_info_string(hdr, rec, "ANN", ob_buf_cstr(ann)) < 0)
			return ob_error_set(OB_ERROR, "cannot set ANN at %s:%lld", bcf_seqname(hdr, rec),
				(long long)rec->pos + 1);
	}
	if (bcf_write(fo, hdr, rec) < 0)
		return ob_error_set(OB_ERROR, "%s: write error", out);
	return 0;
}

/* Writes the records the engine has released, with their ANN. */
static int write_ready(ob_haplo *h, struct pending *p, htsFile *fo, bcf_hdr_t *hdr,
	const char *out, ob_buf *ann, kstring_t *line, ob_vcf_stats *stats)
{
	int r;
	while ((r = ob_haplo_pop(h, ann)) > 0) {
		bcf1_t *rec = p->q[p->head++];
		int rc = write_rec(fo, hdr, rec, ann, line, out);
		bcf_destroy(rec);
		if (rc < 0)
			return rc;
		stats->records++;
	}
	return r;
}

int ob_vcf_annotate(ob_annotator *a, const char *in, const char *out, char mode,
	unsigned flags, ob_vcf_stats *stats)
{
	ob_haplo *hap = NULL;
	struct pending pend = { NULL, 0, 0, 0 };
	int *hv = NULL, chv = 0, ngt = 0;
	int32_t *gt = NULL;
	ob_vcfread *fi = NULL;
	htsFile *fo = NULL;
	bcf_hdr_t *hdr = NULL;
	bcf1_t *rec = NULL;
	ob_buf ann = OB_BUF_INIT;
	kstring_t text = { 0, 0, NULL };  /* a formatted record (write_rec) */
	char wmode[4] = { 'w', 0, 0, 0 };
	int rc = 0, r;

	memset(stats, 0, sizeof *stats);
	if (mode == 'z' || mode == 'b')
		wmode[1] = mode;
	if ((rc = ob_vcfread_open(&fi, in, 0)) < 0)
		goto out;
	hdr = ob_vcfread_header(fi);
	if (bcf_hdr_id2int(hdr, BCF_DT_ID, "ANN") < 0 || !bcf_hdr_idinfo_exists(hdr, BCF_HL_INFO,
		bcf_hdr_id2int(hdr, BCF_DT_ID, "ANN"))) {
		if (bcf_hdr_append(hdr, ob_ann_header) < 0 || bcf_hdr_sync(hdr) < 0) {
			rc = ob_error_set(OB_ERROR, "cannot add the ANN header line");
			goto out;
		}
	}
	if (!(fo = hts_open(out, wmode))) {
		rc = ob_error_set(OB_ERROR, "%s: cannot open for writing", out);
		goto out;
	}
	if (bcf_hdr_write(fo, hdr) < 0) {
		rc = ob_error_set(OB_ERROR, "%s: write error", out);
		goto out;
	}
	if (!(rec = bcf_init())) {
		rc = ob_error_set(OB_ERROR, "out of memory");
		goto out;
	}
	if ((flags & OB_VCF_COMPOUND) && (rc = ob_haplo_new(&hap, a)) < 0)
		goto out;
	/* every record is checked as it is read (vcfread.h) */
	while ((r = ob_vcfread_next(fi, rec)) == 1) {
		const char *chrom = bcf_seqname(hdr, rec);
		if (bcf_unpack(rec, BCF_UN_STR) < 0 || !chrom || rec->n_allele < 1) {
			rc = ob_error_set(OB_EINVALID, "%s: REF: the record's alleles cannot be read",
				ob_vcfread_where(fi));
			goto out;
		}
		if (!ob_annotator_knows(a, chrom)) {
			if (!stats->unknown++)
				snprintf(stats->first_unknown, sizeof stats->first_unknown, "%s", chrom);
		}
		ob_buf_clear(&ann);
		if (hap) {
			int nh;
			if (rec->n_allele > 1 && (rc = ob_annotate_record(a, chrom, rec->pos + 1,
				rec->d.allele[0], (const char *const *)rec->d.allele + 1,
				rec->n_allele - 1, &ann)) < 0)
				goto out;
			if ((nh = haplotypes(hdr, rec, &hv, &chv, &gt, &ngt)) < 0) {
				rc = nh;
				goto out;
			}
			if ((rc = ob_haplo_push(hap, chrom, rec->pos + 1, rec->d.allele[0],
				(const char *const *)rec->d.allele + 1, rec->n_allele - 1, hv, nh,
				ob_buf_cstr(&ann))) < 0 || (rc = pending_push(&pend, rec)) < 0 ||
			    (rc = write_ready(hap, &pend, fo, hdr, out, &ann, &text, stats)) < 0)
				goto out;
			continue;
		}
		if (rec->n_allele > 1 && (rc = ob_annotate_record(a, chrom, rec->pos + 1,
			rec->d.allele[0], (const char *const *)rec->d.allele + 1, rec->n_allele - 1,
			&ann)) < 0)
			goto out;
		if ((rc = write_rec(fo, hdr, rec, &ann, &text, out)) < 0)
			goto out;
		stats->records++;
	}
	if (r < 0) {
		rc = r;
		goto out;
	}
	if (hap && ((rc = ob_haplo_finish(hap)) < 0 ||
		    (rc = write_ready(hap, &pend, fo, hdr, out, &ann, &text, stats)) < 0))
		goto out;
out:
	ob_haplo_free(hap);
	pending_dispose(&pend);
	free(hv);
	free(gt);
	ob_buf_dispose(&ann);
	free(text.s);
	if (rec)
		bcf_destroy(rec);
	if (fo && hts_close(fo) < 0 && rc == 0)
		rc = ob_error_set(OB_ERROR, "%s: write error", out);
	if (fo && rc < 0 && strcmp(out, "-"))
		unlink(out); /* no half-annotated file left behind */
	ob_vcfread_free(fi); /* and hdr with it */
	return rc;
}
