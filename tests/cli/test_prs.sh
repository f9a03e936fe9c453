# test_prs.sh - end-to-end tests of `oncobank prs` on the shared PRS data
# ($SHARED/data/genomics/prs, README there): sums equal plink2's to the 6
# significant digits plink2 prints, both against the precomputed .sscore
# files and against a live `plink2 --score ... cols=+scoresums` run (skipped
# with a TAP "# SKIP" when plink2 is not installed); the strand-flipped and
# palindromic records; BCF input; reference distributions; bad input.

PRS=${OB_SHARED:-../shared}/data/genomics/prs
[ -d "$PRS" ] || PRS=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)/shared/data/genomics/prs
PRS=$(cd "$PRS" && pwd)
SYN=$PRS/synthetic
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# agree6 OURS.tsv PLINK.sscore - fails unless every sample's score rounds to
# plink2's SCORE1_SUM (6 significant digits) and ALLELE_CT is equal.
agree6() {
	awk -F '\t' '
	NR == FNR { if (FNR > 1) { s[$1] = $2; ct[$1] = $5 } next }
	FNR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	{
		n++
		id = $1; if (!(id in s)) { sub(/_.*/, "", id) }
		if (!(id in s)) { print "no sample " $1; bad++; next }
		p = $col["SCORE1_SUM"]; o = s[id]
		ulp = (p == 0) ? 5e-7 : 0.5 * 10 ^ (int(log(p < 0 ? -p : p) / log(10) + 100) - 100 - 5)
		d = o - p; if (d < 0) d = -d
		if (d > ulp * 1.000001 + 1e-12) { print "sample " $1 ": ours " o ", plink2 " p; bad++ }
		if (ct[id] != $col["ALLELE_CT"]) { print "sample " $1 ": allele_ct " ct[id] " vs " $col["ALLELE_CT"]; bad++ }
	}
	END { if (n == 0) { print "no rows"; exit 1 } exit bad > 0 }' "$1" "$2"
}

# used_ids VARIANTS.tsv - the chr:pos of the entries used, sorted.
used_ids() {
	awk -F '\t' 'NR > 1 && $8 == "used" { print $2 ":" $3 }' "$1" | sort
}

test_complete_equals_plink2_precomputed() {
	expect_exit 0 "$OB" prs --score "$PRS/PGS000004_GRCh37.txt" "$SYN/synthetic_prs313_GRCh37_complete.vcf.gz" \
		-o out.tsv --variants vars.tsv
	same "$(head -1 out.tsv)" "$(printf 'sample\tscore\tvariants_used\tvariants_missing\tallele_ct\teffect_dosage_sum')"
	same "$(wc -l < out.tsv)" 201
	agree6 out.tsv "$SYN/plink2_complete.sscore"
	same "$(used_ids vars.tsv)" "$(sort "$SYN/plink2_complete.sscore.vars")"
	contains "$T/err" "312 of 313 score variants used"
}

test_missing_calls_equal_plink2_both_conventions() {
	expect_exit 0 "$OB" prs --score "$PRS/PGS000004_GRCh37.txt" "$SYN/synthetic_prs313_GRCh37_missing.vcf.gz" -o mi.tsv
	agree6 mi.tsv "$SYN/plink2_missing_meanimpute.sscore"
	expect_exit 0 "$OB" prs --no-mean-impute --score "$PRS/PGS000004_GRCh37.txt" \
		"$SYN/synthetic_prs313_GRCh37_missing.vcf.gz" -o nomi.tsv
	agree6 nomi.tsv "$SYN/plink2_missing_nomeanimpute.sscore"
	# the two conventions really differ, and missing calls are counted
	if cmp -s <(cut -f2 mi.tsv) <(cut -f2 nomi.tsv); then echo "same scores" >&2; return 1; fi
	same "$(awk -F '\t' 'NR > 1 { m += $4 } END { print m }' mi.tsv)" \
		"$(awk -F '\t' '$4 ~ /^score/ && $4 != "score_strand_flipped" { m += $7 } END { print m }' "$SYN/synthetic_variants.tsv")"
}

test_pgsc_calc_example_equals_plink2() {
	expect_exit 0 "$OB" prs --score "$PRS/pgsc_calc_example/PGS001229_22.txt" \
		"$PRS/pgsc_calc_example/cineca_synthetic_subset.vcf.gz" -o out.tsv
	agree6 out.tsv "$PRS/pgsc_calc_example/plink2_PGS001229_22.sscore"
	contains "$T/err" "829 of 835 score variants used"
	contains "$T/err" "6 absent"
}

test_live_plink2_agrees() {
	command -v plink2 > /dev/null || { echo "plink2 is not installed"; return 77; }
	local set
	for set in complete missing; do
		plink2 --vcf "$SYN/synthetic_prs313_GRCh37_$set.vcf.gz" --score "$PRS/PGS000004_GRCh37.plink2.tsv" \
			1 2 4 header cols=+scoresums list-variants --out "p2_$set" > /dev/null
		expect_exit 0 "$OB" prs --score "$PRS/PGS000004_GRCh37.txt" "$SYN/synthetic_prs313_GRCh37_$set.vcf.gz" \
			-o "ours_$set.tsv" --variants "vars_$set.tsv"
		agree6 "ours_$set.tsv" "p2_$set.sscore"
		same "$(used_ids "vars_$set.tsv")" "$(sort "p2_$set.sscore.vars")"
	done
	plink2 --vcf "$SYN/synthetic_prs313_GRCh37_missing.vcf.gz" --score "$PRS/PGS000004_GRCh37.plink2.tsv" \
		1 2 4 header no-mean-imputation cols=+scoresums --out p2_nomi > /dev/null
	expect_exit 0 "$OB" prs --no-mean-impute --score "$PRS/PGS000004_GRCh37.txt" \
		"$SYN/synthetic_prs313_GRCh37_missing.vcf.gz" -o ours_nomi.tsv
	agree6 ours_nomi.tsv p2_nomi.sscore
	plink2 --vcf "$PRS/pgsc_calc_example/cineca_synthetic_subset.vcf.gz" \
		--score "$PRS/pgsc_calc_example/PGS001229_22.plink2.tsv" 1 2 4 header cols=+scoresums \
		--out p2_pgsc > /dev/null
	expect_exit 0 "$OB" prs --score "$PRS/pgsc_calc_example/PGS001229_22.txt" \
		"$PRS/pgsc_calc_example/cineca_synthetic_subset.vcf.gz" -o ours_pgsc.tsv
	agree6 ours_pgsc.tsv p2_pgsc.sscore
}

# DS dosages (some missing, falling back to GT; some calls missing
# altogether) agree with `plink2 --vcf FILE dosage=DS`, which keeps dosages
# on a grid of 1/16384.
test_live_plink2_agrees_on_ds_dosages() {
	command -v plink2 > /dev/null || { echo "plink2 is not installed"; return 77; }
	bcftools view -h "$SYN/synthetic_prs313_GRCh37_missing.vcf.gz" |
		sed '/^#CHROM/i ##FORMAT=<ID=DS,Number=A,Type=Float,Description="ALT dosage">' > ds.vcf
	bcftools view -H "$SYN/synthetic_prs313_GRCh37_missing.vcf.gz" | awk -F '\t' -v OFS='\t' '{
		$9 = "GT:DS"
		for (i = 10; i <= NF; i++) {
			k = (NR * 7 + i * 13) % 10
			if ($i == "./.") ds = (k < 5) ? "." : sprintf("%.3f", k / 5)
			else if (k == 0) ds = "."
			else { n = ($i ~ /^1/) + ($i ~ /1$/); ds = sprintf("%.3f", n * 0.93 + k * 0.007) }
			$i = $i ":" ds
		}
		print }' >> ds.vcf
	plink2 --vcf ds.vcf dosage=DS --score "$PRS/PGS000004_GRCh37.plink2.tsv" 1 2 4 header \
		cols=+scoresums --out p2 > /dev/null
	expect_exit 0 "$OB" prs --score "$PRS/PGS000004_GRCh37.txt" ds.vcf -o ours.tsv
	agree6 ours.tsv p2.sscore
	plink2 --vcf ds.vcf dosage=DS --score "$PRS/PGS000004_GRCh37.plink2.tsv" 1 2 4 header \
		no-mean-imputation cols=+scoresums --out p2n > /dev/null
	expect_exit 0 "$OB" prs --no-mean-impute --score "$PRS/PGS000004_GRCh37.txt" ds.vcf -o oursn.tsv
	agree6 oursn.tsv p2n.sscore
	# and --gt-only reads the hard calls: plink2 without dosage=DS
	expect_exit 0 "$OB" prs --gt-only --score "$PRS/PGS000004_GRCh37.txt" ds.vcf -o gt.tsv
	agree6 gt.tsv "$SYN/plink2_missing_meanimpute.sscore"
	if cmp -s <(cut -f2 ours.tsv) <(cut -f2 gt.tsv); then echo "DS was not read" >&2; return 1; fi
}

test_strand_flipped_record_is_skipped_like_plink2_or_flipped_on_request() {
	expect_exit 0 "$OB" prs --score "$PRS/PGS000004_GRCh37.txt" "$SYN/synthetic_prs313_GRCh37_complete.vcf.gz" \
		-o out.tsv --variants vars.tsv
	same "$(awk -F '\t' '$2 == 1 && $3 == 7917076 { print $8 }' vars.tsv)" strand_mismatch
	contains "$T/err" "0 with other alleles, 1 on the other strand only (--strand-flip uses them)"
	same "$(awk -F '\t' 'NR == 2 { print $3 }' out.tsv)" 312
	expect_exit 0 "$OB" prs --strand-flip --score "$PRS/PGS000004_GRCh37.txt" \
		"$SYN/synthetic_prs313_GRCh37_complete.vcf.gz" -o flip.tsv --variants fvars.tsv
	same "$(awk -F '\t' '$2 == 1 && $3 == 7917076 { print $8 }' fvars.tsv)" used_flipped
	same "$(awk -F '\t' 'NR == 2 { print $3 }' flip.tsv)" 313
	contains "$T/err" "313 of 313 score variants used (1 on the other strand)"
	# the flipped record adds weight x (count of T, the VCF's A-on-the-other-strand)
	printf 'chr_name\tchr_position\teffect_allele\tother_allele\teffect_weight\n1\t7917076\tA\tG\t-0.0409\n' > one.txt
	expect_exit 0 "$OB" prs --strand-flip --score one.txt "$SYN/synthetic_prs313_GRCh37_complete.vcf.gz" -o one.tsv
	bcftools query -r 1:7917076 -f '[%SAMPLE\t%GT\n]' "$SYN/synthetic_prs313_GRCh37_complete.vcf.gz" |
		awk -F '\t' '{ n = ($2 ~ /^1/) + ($2 ~ /1$/); printf "%s\t%.10g\n", $1, (n ? -0.0409 * n : 0) }' > want.tsv
	same "$(tail -n +2 one.tsv | cut -f1,2)" "$(cat want.tsv)"
}

test_palindromic_record_uses_letters_as_given() {
	# 1:100880328 A/T written REF=T ALT=A; effect allele T = REF
	printf 'chr_name\tchr_position\teffect_allele\tother_allele\teffect_weight\n1\t100880328\tT\tA\t0.0373\n' > one.txt
	expect_exit 0 "$OB" prs --score one.txt "$SYN/synthetic_prs313_GRCh37_complete.vcf.gz" -o one.tsv
	same "$(bcftools query -r 1:100880328 -f '%REF%ALT' "$SYN/synthetic_prs313_GRCh37_complete.vcf.gz")" TA
	bcftools query -r 1:100880328 -f '[%SAMPLE\t%GT\n]' "$SYN/synthetic_prs313_GRCh37_complete.vcf.gz" |
		awk -F '\t' '{ n = 2 - ($2 ~ /^1/) - ($2 ~ /1$/); printf "%s\t%.10g\n", $1, (n ? 0.0373 * n : 0) }' > want.tsv
	same "$(tail -n +2 one.tsv | cut -f1,2)" "$(cat want.tsv)"
	contains "$T/err" "1 of 1 score variants used (0 on the other strand)"
	# --strand-flip changes nothing for a palindromic pair
	expect_exit 0 "$OB" prs --strand-flip --score one.txt "$SYN/synthetic_prs313_GRCh37_complete.vcf.gz" -o flip.tsv
	same "$(cat flip.tsv)" "$(cat one.tsv)"
}

test_bcf_and_plain_vcf_give_the_same() {
	bcftools view -Ob -o g.bcf "$SYN/synthetic_prs313_GRCh37_missing.vcf.gz"
	bcftools view -Ov -o g.vcf "$SYN/synthetic_prs313_GRCh37_missing.vcf.gz"
	expect_exit 0 "$OB" prs --score "$PRS/PGS000004_GRCh37.plink2.tsv" "$SYN/synthetic_prs313_GRCh37_missing.vcf.gz" -o gz.tsv
	expect_exit 0 "$OB" prs --score "$PRS/PGS000004_GRCh37.txt" g.bcf -o bcf.tsv
	expect_exit 0 "$OB" prs --score "$PRS/PGS000004_GRCh37.txt" g.vcf -o vcf.tsv
	expect_exit 0 "$OB" prs --score "$PRS/PGS000004_GRCh37.txt" - -o stdin.tsv < g.vcf
	same "$(cat bcf.tsv)" "$(cat gz.tsv)"
	same "$(cat vcf.tsv)" "$(cat gz.tsv)"
	same "$(cat stdin.tsv)" "$(cat gz.tsv)"
	agree6 bcf.tsv "$SYN/plink2_missing_meanimpute.sscore"
}

test_reference_distribution_round_trip() {
	expect_exit 0 "$OB" prs --make-ref-dist --score "$PRS/PGS000004_GRCh37.txt" \
		"$SYN/synthetic_prs313_GRCh37_complete.vcf.gz" -o ref.tsv
	contains ref.tsv "pgs_id	PGS000004"
	contains ref.tsv "n	200"
	# mean and SD equal the ones computed here from plink2's sums
	same "$(awk -F '\t' '$1 == "mean" { printf "%.4f", $2 }' ref.tsv)" \
		"$(awk 'NR > 1 { s += $5; n++ } END { printf "%.4f", s / n }' "$SYN/plink2_complete.sscore")"
	same "$(awk -F '\t' '$1 == "sd" { printf "%.4f", $2 }' ref.tsv)" \
		"$(awk 'NR > 1 { x[n++] = $5; s += $5 } END { m = s / n; for (i = 0; i < n; i++) v += (x[i] - m) ^ 2; printf "%.4f", sqrt(v / (n - 1)) }' "$SYN/plink2_complete.sscore")"
	expect_exit 0 "$OB" prs --ref-dist ref.tsv --score "$PRS/PGS000004_GRCh37.txt" \
		"$SYN/synthetic_prs313_GRCh37_complete.vcf.gz" -o out.tsv
	same "$(head -1 out.tsv | cut -f7-)" "$(printf 'z\tpercentile\trelative_risk\tcategory')"
	# z and percentile follow from the score; categories by the documented cut-offs
	awk -F '\t' 'NR == FNR { if ($1 == "mean") m = $2; if ($1 == "sd") s = $2; next }
		FNR > 1 {
			z = ($2 - m) / s; if ((z - $7) ^ 2 > 1e-8) { print "z " $0; bad++ }
			c = ($8 < 10) ? "low" : ($8 < 20) ? "below average" : ($8 < 80) ? "average" : ($8 < 90) ? "above average" : ($8 < 99) ? "high" : "very high"
			if (c != $10) { print "category " $0; bad++ }
			if ((z > 0) != ($8 > 50)) { print "percentile " $0; bad++ }
		}
		END { exit bad > 0 }' ref.tsv out.tsv
	# a pgs_id that is not the score's is refused
	sed 's/PGS000004/PGS000001/' ref.tsv > other.tsv
	expect_exit 2 "$OB" prs --ref-dist other.tsv --score "$PRS/PGS000004_GRCh37.txt" \
		"$SYN/synthetic_prs313_GRCh37_complete.vcf.gz"
	contains "$T/err" "other.tsv: pgs_id: 'PGS000001' but the score is 'PGS000004'"
}

# The harmonized file's GRCh38 positions (hm_chr/hm_pos) with --harmonized:
# the synthetic genotypes moved to GRCh38 positions give the GRCh37 scores.
test_harmonized_grch38_positions_give_the_same_scores() {
	awk -F '\t' '!/^#/ && $1 != "chr_name" { print $1 ":" $2 "\t" $9 }' "$PRS/PGS000004_hmPOS_GRCh38.txt" > map.tsv
	{ bcftools view -h "$SYN/synthetic_prs313_GRCh37_missing.vcf.gz"
	  bcftools view -H "$SYN/synthetic_prs313_GRCh37_missing.vcf.gz" | awk -F '\t' -v OFS='\t' '
		NR == FNR { m[$1] = $2; next }
		($1 ":" $2) in m { $2 = m[$1 ":" $2]; print }' map.tsv -; } > g38.vcf
	same "$(grep -vc '^#' g38.vcf)" 313
	expect_exit 0 "$OB" prs --harmonized --score "$PRS/PGS000004_hmPOS_GRCh38.txt" g38.vcf -o h.tsv
	contains "$T/err" "312 of 313 score variants used"
	agree6 h.tsv "$SYN/plink2_missing_meanimpute.sscore"
	# without --harmonized the GRCh37 positions find (almost) nothing
	expect_exit 0 "$OB" prs --score "$PRS/PGS000004_hmPOS_GRCh38.txt" g38.vcf -o n.tsv
	lacks "$T/err" "312 of 313"
	# and a file without hm_ columns is refused
	expect_exit 2 "$OB" prs --harmonized --score "$PRS/PGS000004_GRCh37.txt" g38.vcf
	contains "$T/err" "PGS000004_GRCh37.txt:19: hm_chr: no such column in the header row"
}

# The shipped PGS000004 file holds the confirmed SD only: refused until a
# mean is added; then z = (score - mean) / 0.61.
test_shipped_pgs000004_refdist_needs_a_mean() {
	local shipped=$REPO/data/prs/PGS000004_refdist.txt
	expect_exit 2 "$OB" prs --ref-dist "$shipped" --score "$PRS/PGS000004_GRCh37.txt" \
		"$SYN/synthetic_prs313_GRCh37_complete.vcf.gz"
	contains "$T/err" "mean: not given"
	{ cat "$shipped"; printf 'mean\t1\n'; } > ref.txt
	expect_exit 0 "$OB" prs --ref-dist ref.txt --score "$PRS/PGS000004_GRCh37.txt" \
		"$SYN/synthetic_prs313_GRCh37_complete.vcf.gz" -o out.tsv
	awk -F '\t' 'NR > 1 { z = ($2 - 1) / 0.61; if ((z - $7) ^ 2 > 1e-8) { print; bad++ } } END { exit bad > 0 }' out.tsv
}

test_bad_inputs_name_file_line_and_field() {
	printf 'chr_name\tchr_position\teffect_allele\tother_allele\n1\t100\tA\tG\n' > nocol.txt
	expect_exit 2 "$OB" prs --score nocol.txt "$SYN/synthetic_prs313_GRCh37_complete.vcf.gz"
	contains "$T/err" "nocol.txt:1: effect_weight: no such column in the header row"
	printf '#pgs_id=X\nchr_name\tchr_position\teffect_allele\tother_allele\teffect_weight\n1\t100\tA\tG\t0.1\n1\t200\tA\tG\tlots\n' > badw.txt
	expect_exit 2 "$OB" prs --score badw.txt "$SYN/synthetic_prs313_GRCh37_complete.vcf.gz"
	contains "$T/err" "badw.txt:4: effect_weight: 'lots' is not a number"
	printf '##fileformat=VCFv4.2\n##contig=<ID=1>\n##FORMAT=<ID=AD,Number=R,Type=Integer,Description="d">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n1\t7917076\t.\tC\tT\t.\t.\t.\tAD\t1,2\n' > nogt.vcf
	expect_exit 2 "$OB" prs --score "$PRS/PGS000004_GRCh37.txt" nogt.vcf
	contains "$T/err" "nogt.vcf:4: FORMAT: the header declares no GT (nor DS) field"
	printf 'not a vcf\n' > junk.vcf
	expect_exit 2 "$OB" prs --score "$PRS/PGS000004_GRCh37.txt" junk.vcf
	expect_exit 1 "$OB" prs "$SYN/synthetic_prs313_GRCh37_complete.vcf.gz"
	expect_exit 1 "$OB" prs --score x --bogus y
	expect_exit 0 "$OB" prs --help
	contains "$T/out" "usage: oncobank prs"
}

. "$(dirname "$0")/lib.sh"
run_tests
