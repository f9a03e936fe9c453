#!/usr/bin/env bash
# bench/part-prs.sh - `oncobank prs` beside plink2, end to end from the same
# bgzipped VCF: 2,000 samples x 100,000 biallelic SNVs (GT, ~1% missing) and
# a 313-variant score, drawn from a fixed seed by bench/gen_prs.c. plink2's
# time includes its VCF import (it converts to .pgen before scoring); plink2
# runs with its default threads (all cores), oncobank with its default (one
# thread). Prints
#   bench: prs_2000x100k N variant_samples/s vs plink2 N variant_samples/s ratio R
# where variant_samples = VCF variants x samples (the whole file is read),
# and checks that the two agree (max |difference| of the sums).
#
# Environment: BUILD (default build), PRS_SAMPLES, PRS_VARIANTS, TMPDIR.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build}
OB=$BUILD/oncobank
NS=${PRS_SAMPLES:-2000}
NV=${PRS_VARIANTS:-100000}
SEED=42
[ -x "$OB" ] || { echo "bench: $OB is missing; run 'make' first" >&2; exit 1; }
mkdir -p "$BUILD/bench"
cc -std=c17 -O2 -Wall -Wextra -Werror -o "$BUILD/bench/gen_prs" bench/gen_prs.c \
	$(pkg-config --cflags --libs htslib)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/oncobank-prs-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
label="prs_${NS}x$((NV / 1000))k"

"$BUILD/bench/gen_prs" "$tmp" "$NS" "$NV" 313 "$SEED"
now() { date +%s.%N; }

t0=$(now)
"$OB" prs --score "$tmp/score.txt" "$tmp/genotypes.vcf.gz" -o "$tmp/ours.tsv" 2> "$tmp/ours.log" ||
	{ cat "$tmp/ours.log" >&2; exit 1; }
t1=$(now)
if command -v plink2 > /dev/null; then
	plink2 --vcf "$tmp/genotypes.vcf.gz" --score "$tmp/score.plink2.tsv" 1 2 4 header \
		cols=+scoresums --out "$tmp/p2" > /dev/null
	t2=$(now)
	diff=$(awk 'NR == FNR { if (FNR > 1) s[$1] = $2; next }
		FNR > 1 { d = s[$1] - $NF; if (d < 0) d = -d; if (d > m) m = d; n++ }
		END { printf "%.2g", (n ? m : -1) }' "$tmp/ours.tsv" "$tmp/p2.sscore")
	awk -v n="$((NS * NV))" -v a="$t0" -v b="$t1" -v c="$t2" -v l="$label" -v d="$diff" 'BEGIN {
		ours = n / (b - a); peer = n / (c - b)
		printf "bench: %s %.0f variant_samples/s vs plink2 %.0f variant_samples/s ratio %.2f\n", l, ours, peer, ours / peer
		printf "bench: %s_time %.2f s vs plink2 %.2f s (max |score difference| %s)\n", l, b - a, c - b, d
	}'
else
	awk -v n="$((NS * NV))" -v a="$t0" -v b="$t1" -v l="$label" 'BEGIN {
		printf "bench: %s %.0f variant_samples/s (plink2 not installed)\n", l, n / (b - a)
	}'
fi
