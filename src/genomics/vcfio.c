/*
 * vcfio.c - the htslib side of `oncobank annotate`: read a record, unpack
 * its alleles, ask annotate.c for the ANN value, set it, write the record.
 * See vcfio.h.
 */
#include "genomics/vcfio.h"
#include "base/error.h"

#include <htslib/bgzf.h>
#include <htslib/kstring.h>
#include <htslib/vcf.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The 1-based line of path where a record comes before any "#CHROM"
 * header line (1 for a file without any header), or 0 when it cannot
 * be told (standard input, unreadable). */
static long headerless_line(const char *path)
{
	htsFile *f;
	kstring_t line = KS_INITIALIZE;
	long n = 0, at = 0;

	if (!strcmp(path, "-") || !(f = hts_open(path, "r")))
		return 0;
	while (hts_getline(f, '\n', &line) >= 0) {
		n++;
		if (!line.l || line.s[0] != '#') {
			at = n;
			break;
		}
		if (!strncmp(line.s, "#CHROM", 6))
			break;
	}
	ks_free(&line);
	hts_close(f);
	return at;
}

/* True when in is BGZF-compressed and its end-of-file block is missing:
 * the file was cut short (a pipe cannot be checked). */
static int bgzf_truncated(htsFile *in)
{
	return in->is_bgzf && in->format.compression == bgzf && bgzf_check_EOF(in->fp.bgzf) == 0;
}

int ob_vcf_annotate(ob_annotator *a, const char *in, const char *out, char mode,
	ob_vcf_stats *stats)
{
	htsFile *fi = NULL, *fo = NULL;
	bcf_hdr_t *hdr = NULL;
	bcf1_t *rec = NULL;
	ob_buf ann = OB_BUF_INIT;
	char wmode[4] = { 'w', 0, 0, 0 };
	int rc = 0, r;

	memset(stats, 0, sizeof *stats);
	if (mode == 'z' || mode == 'b')
		wmode[1] = mode;
	if (!(fi = hts_open(in, "r"))) {
		rc = ob_error_set(OB_ERROR, "%s: cannot open", in);
		goto out;
	}
	if (bgzf_truncated(fi)) {
		rc = ob_error_set(OB_EINVALID, "%s: truncated BGZF file (no end-of-file block); "
			"nothing annotated", in);
		goto out;
	}
	if (!(hdr = bcf_hdr_read(fi))) {
		long line = headerless_line(in);
		if (fi->is_bgzf && fi->fp.bgzf->errcode)
			rc = ob_error_set(OB_EINVALID, "%s: truncated or corrupt compressed data in "
				"the header; nothing annotated", in);
		else if (line)
			rc = ob_error_set(OB_EINVALID, "%s:%ld: record before the VCF header "
				"(a VCF starts with ##fileformat= and has a #CHROM line)", in, line);
		else
			rc = ob_error_set(OB_EINVALID, "%s: not a VCF or BCF file (no header)", in);
		goto out;
	}
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
	while ((r = bcf_read(fi, hdr, rec)) == 0) {
		const char *chrom = bcf_seqname(hdr, rec);
		if (bcf_unpack(rec, BCF_UN_STR) < 0 || !chrom || rec->n_allele < 1) {
			rc = ob_error_set(OB_EINVALID, "%s: malformed record at %s:%lld", in,
				chrom ? chrom : "?", (long long)rec->pos + 1);
			goto out;
		}
		if (!ob_annotator_knows(a, chrom)) {
			if (!stats->unknown++)
				snprintf(stats->first_unknown, sizeof stats->first_unknown, "%s", chrom);
		}
		ob_buf_clear(&ann);
		if (rec->n_allele > 1) {
			if ((rc = ob_annotate_record(a, chrom, rec->pos + 1, rec->d.allele[0],
				(const char *const *)rec->d.allele + 1, rec->n_allele - 1, &ann)) < 0)
				goto out;
			if (bcf_update_info_string(hdr, rec, "ANN", ob_buf_cstr(&ann)) < 0) {
				rc = ob_error_set(OB_ERROR, "cannot set ANN at %s:%lld", chrom,
					(long long)rec->pos + 1);
				goto out;
			}
		}
		if (bcf_write(fo, hdr, rec) < 0) {
			rc = ob_error_set(OB_ERROR, "%s: write error", out);
			goto out;
		}
		stats->records++;
	}
	if (r < -1 || (fi->is_bgzf && fi->fp.bgzf->errcode)) {
		rc = ob_error_set(OB_EINVALID, "%s: read error after %lld records (truncated or "
			"corrupt input); the output is not kept", in, (long long)stats->records);
		goto out;
	}
out:
	ob_buf_dispose(&ann);
	if (rec)
		bcf_destroy(rec);
	if (fo && hts_close(fo) < 0 && rc == 0)
		rc = ob_error_set(OB_ERROR, "%s: write error", out);
	if (fo && rc < 0 && strcmp(out, "-"))
		unlink(out); /* no half-annotated file left behind */
	if (hdr)
		bcf_hdr_destroy(hdr);
	if (fi)
		hts_close(fi);
	return rc;
}
