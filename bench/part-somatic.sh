#!/usr/bin/env bash
# bench/part-somatic.sh - `oncobank somatic` on a 1,000,000-variant VCF end to
# end, beside the annotation alone (issue 5). Run by bench/run (`make bench`)
# or alone: `BUILD=build bash bench/run somatic`.
#
# Input: bench/gen_annot.c (seed 42, compiled here into $BUILD/bench): a
# 5-contig genome, ~3,000 genes, BENCH_VARIANTS (default 1,000,000) SNVs and
# small indels; the first 22 genes are renamed to the 22 genes of the curated
# knowledge base (EGFR, KRAS, ... ESR1) so that matching does real work.
#
#   somatic_N             oncobank somatic --json on the VCF already annotated
#                         by oncobank annotate (read ANN, TMB, match every PASS
#                         allele, write the JSON), us/variant, vs annotate_N:
#                         oncobank annotate alone on the same variants
#                         (ratio = annotate time / somatic time)
#   somatic_onthefly_N    oncobank somatic --fasta --gff on the unannotated
#                         VCF (annotation + interpretation in one pass)
#   somatic_peak_rss      peak RSS of somatic at N and at N/10 (every 10th
#                         record): equal when memory does not grow with input
#
# Environment: BUILD (default build), BENCH_VARIANTS, TMPDIR.
set -euo pipefail
cd "$(dirname "$0")/.."

. bench/lib.sh
N=${BENCH_VARIANTS:-1000000}
SEED=42

bench_setup somatic
L=$(label "$N")

echo "# somatic bench: $N variants, seed $SEED"
"$BUILD/bench/gen_annot" "$tmp" "$N" "$SEED"
i=0
for g in EGFR KRAS NRAS BRAF ERBB2 MET ALK ROS1 RET NTRK1 NTRK2 NTRK3 PIK3CA BRCA1 BRCA2 IDH1 \
	IDH2 FGFR2 FGFR3 KIT PDGFRA ESR1; do
	i=$((i + 1))
	sed -i "s/;Name=GENE$i;/;Name=$g;/" "$tmp/genes.gff3"
done
in=$tmp/variants.vcf
awk '/^#/ || ++n % 10 == 0' "$in" > "$tmp/tenth.vcf"

# timed CMD... -> "SECONDS PEAK_KB CPU_SECONDS" (GNU time: wall, max RSS, user+sys)
timed() {
	/usr/bin/time -f '%e %M %U %S' -o "$tmp/time" "$@" > "$tmp/stdout" 2> "$tmp/stderr" || {
		echo "bench: failed: $*" >&2; cat "$tmp/stderr" >&2; exit 1; }
	awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }' "$tmp/time"
}

read -r t_ann _ c_ann < <(timed "$OB" annotate --fasta "$tmp/ref.fa" --gff "$tmp/genes.gff3" \
	-o "$tmp/ann.vcf" "$in")
awk '/^#/ || ++n % 10 == 0' "$tmp/ann.vcf" > "$tmp/ann_tenth.vcf"
read -r t_som m_som c_som < <(timed "$OB" somatic --tumor-type LUAD --panel-size-mb 30 \
	"$tmp/ann.vcf" --json)
cp "$tmp/stdout" "$tmp/som.json"
read -r t_fly _ c_fly < <(timed "$OB" somatic --tumor-type LUAD --panel-size-mb 30 \
	--fasta "$tmp/ref.fa" --gff "$tmp/genes.gff3" "$in" --json)
read -r _ m_som10 _ < <(timed "$OB" somatic --tumor-type LUAD --panel-size-mb 30 \
	"$tmp/ann_tenth.vcf" --json)

recs=$(jq -r '.counts.records' "$tmp/som.json")
[ "$recs" -eq "$N" ] || { echo "bench: somatic read $recs records of $N" >&2; exit 1; }
nbm=$(jq -r '.biomarkers | length' "$tmp/som.json")
tmbc=$(jq -r '.tmb.coding_nonsynonymous' "$tmp/som.json")
echo "# somatic: $recs records, $tmbc coding non-synonymous, $nbm biomarkers matched;" \
	"CPU s: somatic $c_som, on the fly $c_fly, annotate $c_ann"

us() { awk -v t="$1" -v n="$N" 'BEGIN { printf "%.2f", t * 1e6 / n }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
echo "bench: somatic_$L $(us "$t_som") us/variant vs annotate_$L $(us "$t_ann") us/variant ratio $(ratio "$t_ann" "$t_som")"
echo "bench: somatic_onthefly_$L $(us "$t_fly") us/variant vs annotate_$L $(us "$t_ann") us/variant ratio $(ratio "$t_ann" "$t_fly")"
echo "bench: somatic_peak_rss_$L $((m_som / 1024)) MB vs somatic_peak_rss_$(label $((N / 10))) $((m_som10 / 1024)) MB"
