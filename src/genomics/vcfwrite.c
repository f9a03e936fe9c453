/*
 * vcfwrite.c - a VCF text record with an INFO value spliced in on the way
 * out (see vcfwrite.h).
 */
#include "genomics/vcfwrite.h"

#include <htslib/bgzf.h>
#include <htslib/hfile.h>
#include <string.h>

int ob_vcf_can_splice(const htsFile *fo, const bcf_hdr_t *h, bcf1_t *rec, const char *key)
{
	/* text_format until the header is written, vcf after */
	if (fo->format.format != vcf && fo->format.format != text_format)
		return 0;
	if (bcf_unpack(rec, BCF_UN_INFO) < 0)
		return 0;
	return bcf_get_info(h, rec, key) == NULL;
}

static int put(htsFile *fo, const char *s, size_t n)
{
	if (!n)
		return 0;
	if (fo->format.compression != no_compression)
		return bgzf_write(fo->fp.bgzf, s, n) == (ssize_t)n ? 0 : -1;
	return hwrite(fo->fp.hfile, s, n) == (ssize_t)n ? 0 : -1;
}

int ob_vcf_write_info(htsFile *fo, const bcf_hdr_t *h, bcf1_t *rec, const char *key,
	const char *value, size_t len, kstring_t *line)
{
	line->l = 0;
	if (vcf_format(h, rec, line) < 0 || line->l == 0)
		return -1;
	/* INFO is the eighth column: after the seventh tab */
	size_t i = 0;
	for (int tabs = 0; i < line->l && tabs < 7; i++)
		if (line->s[i] == '\t')
			tabs++;
	size_t end = i;
	while (end < line->l && line->s[end] != '\t' && line->s[end] != '\n')
		end++;
	if (end > line->l)
		return -1;
	int empty = end - i == 1 && line->s[i] == '.';
	size_t keylen = strlen(key);
	/* as vcf_write(): a record never straddles two BGZF blocks (so that an
	 * index can point at it), hence the same blocks as the stored path */
	size_t total = line->l - (empty ? 1 : 0) + (empty ? 0 : 1) + keylen + 1 + len;
	if (fo->format.compression != no_compression && bgzf_flush_try(fo->fp.bgzf,
		(ssize_t)total) < 0)
		return -1;
	int rc = put(fo, line->s, empty ? i : end);
	if (!empty)
		rc |= put(fo, ";", 1);
	rc |= put(fo, key, keylen);
	rc |= put(fo, "=", 1);
	rc |= put(fo, value, len);
	rc |= put(fo, line->s + end, line->l - end);
	return rc ? -1 : 0;
}
