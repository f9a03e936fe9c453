/*
 * vcfcheck.c - the checks of one VCF data line or one record's alleles
 * (see vcfcheck.h). Each column is looked at once, in place; a line costs a
 * memchr per fixed column, so the readers run these on every record.
 */
#include "genomics/vcfcheck.h"
#include "base/error.h"
#include "base/util.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static const char *const colname[9] = {
	"CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT"
};

/* 1 for the bases a sequence allele may hold (VCF 4.3, 1.6.1: A C G T N in
 * either case). */
static const unsigned char is_base[256] = {
	['A'] = 1, ['C'] = 1, ['G'] = 1, ['T'] = 1, ['N'] = 1,
	['a'] = 1, ['c'] = 1, ['g'] = 1, ['t'] = 1, ['n'] = 1,
};

/* "FILE:LINE" (line > 0) or "FILE: record N" (line = -N, BCF) into w. */
static const char *loc(char *w, size_t n, const char *file, int64_t line)
{
	if (line >= 0)
		snprintf(w, n, "%s:%lld", file, (long long)line);
	else
		snprintf(w, n, "%s: record %lld", file, -(long long)line);
	return w;
}
#define WHERE loc(w, sizeof w, file, line)

static bool bases(const char *s, size_t n)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_base[(unsigned char)s[i]])
			return false;
	return true;
}

/* s[0 .. n) quoted for a one-line message: at most 40 characters, bytes
 * outside printable ASCII as \xNN, "..." when cut. */
static const char *shown(const char *s, size_t n, char *buf, size_t cap)
{
	size_t w = 0, i;
	for (i = 0; i < n && i < 40 && w + 5 < cap; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f && c != '\'')
			buf[w++] = (char)c;
		else
			w += (size_t)snprintf(buf + w, cap - w, "\\x%02x", c);
	}
	if (i < n && w + 4 < cap) {
		memcpy(buf + w, "...", 3);
		w += 3;
	}
	buf[w] = '\0';
	return buf;
}

/* A breakend (VCF 4.3, 5.4): t[p[ t]p] ]p]t [p[t with t bases and p
 * "chr:pos" or "<ctg>:pos"; or a single breakend ".t" / "t.". */
static bool breakend(const char *s, size_t n)
{
	if (n >= 2 && s[0] == '.' && bases(s + 1, n - 1))
		return true;
	if (n >= 2 && s[n - 1] == '.' && bases(s, n - 1))
		return true;
	const char *b = memchr(s, '[', n);
	char br = '[';
	const char *c = memchr(s, ']', n);
	if (!b || (c && c < b)) {
		b = c;
		br = ']';
	}
	if (!b)
		return false;
	const char *e = memchr(b + 1, br, n - (size_t)(b + 1 - s));
	if (!e || e == b + 1 || !memchr(b + 1, ':', (size_t)(e - b - 1)))
		return false;
	size_t pre = (size_t)(b - s), post = n - (size_t)(e + 1 - s);
	if ((pre == 0) == (post == 0))
		return false; /* exactly one side carries the bases */
	return pre ? bases(s, pre) : bases(e + 1, post);
}

/* One ALT allele: bases, '*', <ID> or a breakend. */
static bool alt_allele(const char *s, size_t n)
{
	if (bases(s, n))
		return true;
	if (n == 1 && s[0] == '*')
		return true;
	if (n >= 3 && s[0] == '<' && s[n - 1] == '>') {
		for (size_t i = 1; i + 1 < n; i++)
			if (s[i] == '<' || s[i] == '>' || (unsigned char)s[i] <= ' ')
				return false;
		return true;
	}
	return breakend(s, n);
}

static int check_alt(const char *s, size_t n, const char *file, int64_t line)
{
	char q[200], w[512];
	if (n == 1 && s[0] == '.')
		return 0;
	for (size_t i = 0; i <= n;) {
		const char *comma = memchr(s + i, ',', n - i);
		size_t e = comma ? (size_t)(comma - s) : n;
		if (e == i)
			return ob_error_set(OB_EINVALID, "%s: ALT: '%s' has an empty allele", WHERE,
				shown(s, n, q, sizeof q));
		if (!alt_allele(s + i, e - i))
			return ob_error_set(OB_EINVALID, "%s: ALT: '%s' is not an allele (bases A C G T"
				" N, '*', <ID> or a breakend)", WHERE, shown(s + i, e - i, q, sizeof q));
		i = e + 1;
	}
	return 0;
}

static int check_ref(const char *s, size_t n, const char *file, int64_t line)
{
	char q[200], w[512];
	if (!bases(s, n))
		return ob_error_set(OB_EINVALID, "%s: REF: '%s' is not a sequence of bases (A C G T N)",
			WHERE, shown(s, n, q, sizeof q));
	return 0;
}

int ob_vcf_check_alleles(const char *const *alleles, int n, const char *file, int64_t line)
{
	char w[512];
	int rc;
	if (n < 1 || !alleles[0])
		return ob_error_set(OB_EINVALID, "%s: REF: missing", WHERE);
	if ((rc = check_ref(alleles[0], strlen(alleles[0]), file, line)) < 0)
		return rc;
	for (int i = 1; i < n; i++) {
		char q[200];
		size_t l = strlen(alleles[i]);
		if (!alt_allele(alleles[i], l))
			return ob_error_set(OB_EINVALID, "%s: ALT: '%s' is not an allele (bases A C G T"
				" N, '*', <ID> or a breakend)", WHERE, shown(alleles[i], l, q, sizeof q));
	}
	return 0;
}

/* The tabs in s[0 .. n), 16 bytes at a time with SSE2 (every x86-64),
 * else 8 with word arithmetic: a sample section is most of a line, and a
 * memchr per column would cost as much as parsing it. Per-byte counters
 * are summed every 255 rounds, before a byte could overflow. */
static size_t count_tabs(const char *s, size_t n)
{
	size_t c = 0, i = 0;
#ifdef __SSE2__
	const __m128i tab = _mm_set1_epi8('\t'), zero = _mm_setzero_si128();
	while (i + 16 <= n) {
		__m128i acc = zero;
		for (int k = 0; k < 255 && i + 16 <= n; k++, i += 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
			acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(v, tab)); /* -1 per tab */
		}
		__m128i sum = _mm_sad_epu8(acc, zero);
		c += (size_t)_mm_cvtsi128_si32(sum) + (size_t)_mm_extract_epi16(sum, 4);
	}
#else
	const uint64_t low7 = UINT64_C(0x7f7f7f7f7f7f7f7f), tabs = UINT64_C(0x0909090909090909),
		lanes = UINT64_C(0x00ff00ff00ff00ff);
	while (i + 8 <= n) {
		uint64_t acc = 0, w;
		for (int k = 0; k < 255 && i + 8 <= n; k++, i += 8) {
			memcpy(&w, s + i, 8);
			w ^= tabs; /* a tab is now a zero byte */
			acc += ~(((w & low7) + low7) | w | low7) >> 7; /* 1 in each zero byte */
		}
		acc = (acc & lanes) + ((acc >> 8) & lanes);
		c += (size_t)((acc * UINT64_C(0x0001000100010001)) >> 48);
	}
#endif
	for (; i < n; i++)
		c += s[i] == '\t';
	return c;
}

int ob_vcf_header_samples(const char *s, size_t len)
{
	int tabs = 0;
	for (const char *p = s, *e = s + len; (p = memchr(p, '\t', (size_t)(e - p))); p++)
		tabs++;
	return tabs >= 9 ? tabs - 8 : 0;
}

int ob_vcf_check_line(const char *s, size_t len, int nsamples, const char *file, int64_t line)
{
	char w[512];
	const char *end = s + len, *p = s, *col[8];
	size_t clen[8];
	int ncol = 0;
	bool more = false; /* a ninth column follows INFO */
	char q[200];

	if (len && s[0] == '#')
		return ob_error_set(OB_EINVALID, "%s: CHROM: '%s': a header line after the #CHROM line",
			WHERE, shown(s, len, q, sizeof q));
	while (ncol < 8) {
		/* CHROM to FILTER are short: a byte loop beats a memchr call per
		 * column; INFO may be long (an ANN field) */
		const char *t = p;
		if (ncol < 7) {
			while (t < end && *t != '\t')
				t++;
			if (t == end)
				t = NULL;
		} else {
			t = memchr(p, '\t', (size_t)(end - p));
		}
		col[ncol] = p;
		clen[ncol] = (size_t)((t ? t : end) - p);
		ncol++;
		if (!t)
			break;
		p = t + 1;
		if (ncol == 8)
			more = true;
	}
	int want = nsamples > 0 ? 9 + nsamples : 8;
	if (ncol < 8)
		return ob_error_set(OB_EINVALID, "%s: %s: missing (the record has %d column%s, the"
			" #CHROM line %d)", WHERE, colname[ncol], ncol, ncol == 1 ? "" : "s", want);
	if (nsamples > 0 && !more)
		return ob_error_set(OB_EINVALID, "%s: FORMAT: missing (the record has 8 columns, the"
			" #CHROM line %d)", WHERE, want);
	/* without samples a FORMAT column is harmless (some tools write one);
	 * a sample column is not */
	if (nsamples == 0 && more && memchr(p, '\t', (size_t)(end - p)))
		return ob_error_set(OB_EINVALID, "%s: FORMAT: the record has %zu columns, the"
			" #CHROM line names no samples", WHERE, count_tabs(s, len) + 1);
	if (nsamples > 0) {
		/* p is the start of FORMAT: nsamples tabs follow it */
		size_t tabs = count_tabs(p, (size_t)(end - p));
		if (tabs != (size_t)nsamples)
			return ob_error_set(OB_EINVALID, "%s: FORMAT: the record has %zu columns, the"
				" #CHROM line %d", WHERE, tabs + 9, want);
	}
	for (int i = 0; i < 8; i++)
		if (clen[i] == 0)
			return ob_error_set(OB_EINVALID, "%s: %s: empty (a missing value is '.')", WHERE,
				colname[i]);
	for (size_t i = 0; i < clen[0]; i++) {
		unsigned char c = (unsigned char)col[0][i];
		if (c <= ' ' || c == 0x7f)
			return ob_error_set(OB_EINVALID, "%s: CHROM: '%s' is not a contig name", WHERE,
				shown(col[0], clen[0], q, sizeof q));
	}
	/* POS: decimal digits, 1 or more, at most 2^62 (htslib's limit is
	 * 2^63 - 1; any real genome is far below) */
	{
		const char *d = col[1];
		size_t n = clen[1], i;
		uint64_t v = 0;
		for (i = 0; i < n && i < 19 && d[i] >= '0' && d[i] <= '9'; i++)
			v = v * 10 + (uint64_t)(d[i] - '0');
		if (i < n || v == 0 || v > (UINT64_C(1) << 62))
			return ob_error_set(OB_EINVALID, "%s: POS: '%s' is not a position (a whole number"
				" from 1)", WHERE, shown(d, n, q, sizeof q));
	}
	int rc;
	if ((rc = check_ref(col[3], clen[3], file, line)) < 0 || (rc = check_alt(col[4], clen[4], file, line)) < 0)
		return rc;
	if (!(clen[5] == 1 && col[5][0] == '.')) {
		char num[64];
		double x;
		bool ok = clen[5] < sizeof num;
		if (ok) {
			memcpy(num, col[5], clen[5]);
			num[clen[5]] = '\0';
			ok = ob_parse_double(num, &x) == 0;
		}
		if (!ok)
			return ob_error_set(OB_EINVALID, "%s: QUAL: '%s' is not a number", WHERE,
				shown(col[5], clen[5], q, sizeof q));
	}
	return 0;
}
