#!/usr/bin/env bash
# bench/part-annotate.sh - `oncobank annotate` against Debian's bcftools on the
# same input, in one run (issue 4, "Figures"). Run by bench/run (`make bench`)
# or alone: `BUILD=build bash bench/run annotate`.
#
# Input (bench/gen_annot.c, seed 42): a 5-contig reference of 20-50 Mb each,
# ~3,000 protein-coding genes (4,500 transcripts) in Ensembl GFF3 and a sorted
# VCF of BENCH_VARIANTS (default 1,000,000) SNVs and 1-10 base indels with
# one phased sample; half of them in genes.
#
#   annotate_N            oncobank annotate, variants/s, vs `bcftools csq` and
#                         vs `bcftools view` (parse + write only: the floor)
#   annotate_N_cpu        user + system CPU seconds of each (steadier than
#                         wall time on a shared machine)
#   annotate_peak_rss_N   oncobank annotate's peak RSS (GNU time %M) at N and
#                         at N/10 (every 10th record): equal when memory does
#                         not grow with the VCF
#
# All three write uncompressed VCF to a file in the scratch directory, read
# the same uncompressed VCF and the same plain FASTA (with its .fai).
# bcftools csq runs as `csq -l -s -`: -l (local) gives each record its own
# consequence, as oncobank does, instead of combining the variants of one
# haplotype; -s - ignores the genotypes, so every record is annotated
# whatever its phasing (without it csq's default --phase r stops at the first
# unphased heterozygote). The script checks that every record comes out.
#
# Environment: BUILD (default build), BENCH_VARIANTS, TMPDIR.
set -euo pipefail
cd "$(dirname "$0")/.."

. bench/lib.sh
N=${BENCH_VARIANTS:-1000000}
SEED=42

command -v bcftools > /dev/null || { echo "bench: bcftools is missing" >&2; exit 1; }
bench_setup annot
L=$(label "$N")

echo "# annotate bench: $N variants, seed $SEED, $(bcftools --version | head -1)"
"$BUILD/bench/gen_annot" "$tmp" "$N" "$SEED"
in=$tmp/variants.vcf
# every 10th record: the same genome and genes, a tenth of the VCF
awk '/^#/ || ++n % 10 == 0' "$in" > "$tmp/tenth.vcf"
n10=$(grep -vc '^#' "$tmp/tenth.vcf")
L10=$(label "$n10")
cat "$in" > /dev/null # warm the page cache for whoever runs first

# timed CMD... -> "SECONDS PEAK_KB CPU_SECONDS" (GNU time: wall, max RSS, user+sys)
timed() {
	/usr/bin/time -f '%e %M %U %S' -o "$tmp/time" "$@" > /dev/null 2> "$tmp/stderr" || {
		echo "bench: failed: $*" >&2; cat "$tmp/stderr" >&2; exit 1; }
	awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }' "$tmp/time"
}
records() { grep -vc '^#' "$1" || true; }

read -r t_view _ c_view < <(timed bcftools view -Ov -o "$tmp/view.vcf" "$in")
read -r t_csq m_csq c_csq < <(timed bcftools csq -l -s - -f "$tmp/ref.fa" -g "$tmp/genes.gff3" \
	-Ov -o "$tmp/csq.vcf" "$in")
read -r t_ob m_ob c_ob < <(timed "$OB" annotate --fasta "$tmp/ref.fa" --gff "$tmp/genes.gff3" \
	-o "$tmp/ob.vcf" "$in")
for f in view csq ob; do
	got=$(records "$tmp/$f.vcf")
	[ "$got" -eq "$N" ] || { echo "bench: $f wrote $got records of $N" >&2; exit 1; }
done
ann=$(grep -v '^#' "$tmp/ob.vcf" | grep -c 'ANN=' || true)
[ "$ann" -eq "$N" ] || { echo "bench: oncobank annotated $ann records of $N" >&2; exit 1; }
rm -f "$tmp/view.vcf" "$tmp/csq.vcf" "$tmp/ob.vcf"

read -r _ m_ob10 < <(timed "$OB" annotate --fasta "$tmp/ref.fa" --gff "$tmp/genes.gff3" \
	-o "$tmp/ob10.vcf" "$tmp/tenth.vcf")

awk -v n="$N" -v l="$L" -v l10="$L10" -v v="$t_view" -v c="$t_csq" -v o="$t_ob" \
	-v mo="$m_ob" -v mc="$m_csq" -v m10="$m_ob10" -v co="$c_ob" -v cc="$c_csq" -v cv="$c_view" 'BEGIN {
	ours = n / o; csq = n / c; view = n / v
	printf "bench: annotate_%s %.0f variants/s vs bcftools_csq %.0f variants/s ratio %.2f\n", l, ours, csq, ours / csq
	printf "bench: annotate_%s %.0f variants/s vs bcftools_view %.0f variants/s ratio %.2f\n", l, ours, view, ours / view
	printf "bench: annotate_%s_time %.2f s\n", l, o
	printf "bench: bcftools_csq_%s_time %.2f s\n", l, c
	printf "bench: bcftools_view_%s_time %.2f s\n", l, v
	printf "bench: annotate_%s_cpu %.2f s vs bcftools_csq_cpu %.2f s ratio %.2f\n", l, co, cc, cc / co
	printf "bench: bcftools_view_%s_cpu %.2f s\n", l, cv
	printf "bench: annotate_peak_rss_%s %.1f MB vs annotate_peak_rss_%s %.1f MB ratio %.2f\n", l, mo / 1024, l10, m10 / 1024, m10 / mo
	printf "bench: bcftools_csq_peak_rss_%s %.1f MB\n", l, mc / 1024
}'
