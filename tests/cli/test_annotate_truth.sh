# test_annotate_truth.sh - `oncobank annotate` against an external truth: the
# 8,736 real ClinVar BRCA1 variants of $SHARED/data/genomics/brca1-grch37,
# annotated there by Ensembl VEP 109 and SnpEff 5.1d on RefSeq NM_007294.4
# (MANE Select). Per variant, on NM_007294.4, it compares
#   consequence  the set of SO terms, normalised (see so() below), against
#                VEP and against SnpEff
#   HGVS.c/.p    against SnpEff, normalised for notation only (SnpEff's
#                spelled-out deleted/duplicated bases dropped, p.Leu12Leu for
#                p.Leu12=, fs without the new residue and the stop distance,
#                * for Ter); against VEP for
#                coding SNVs only, as VEP ran without --hgvs: c. is rebuilt
#                from its CDS_position and Codons, p. from Protein_position and
#                Amino_acids (missense, synonymous, stop gained, start lost)
# and prints the figures as TAP comments ("# consequence vs VEP a/b"). Each
# figure must stay at or above its floor: today's figure, so a regression
# fails and an improvement is recorded by raising the floor
# (docs/annotation-truth.md).
#
# It runs on the region files of the data set (the real 81,188 bases around
# BRCA1 as contig brca1_region, region pos = GRCh37 pos - 41196312), which
# annotate the same as the N-padded chromosome 17 but load in a fraction of
# the time. Under AddressSanitizer (detected in $OB) it takes every 8th
# variant (TRUTH_EVERY overrides), with floors of its own.
#
#   OB=build/oncobank bash tests/cli/test_annotate_truth.sh
#   ... --disagreements   prints every disagreement instead of testing (tool,
#                         field and likely cause; GRCh37 chrom:pos:ref:alt;
#                         truth; ours), then per cause a count and 2 examples
. "$(dirname "$0")/lib.sh"

D=$SHARED/data/genomics/brca1-grch37
OFFSET=41196312
TX=NM_007294.4

if grep -qa __asan_init "$OB" 2> /dev/null; then EVERY=${TRUTH_EVERY:-8}; else EVERY=${TRUTH_EVERY:-1}; fi

# Floors (today's figures): "field tool" -> agreeing rows, for all variants
# and for every 8th. Raise them when the annotation gets better.
declare -A FLOOR1=(
	[total_variants]=8736
	["consequence VEP"]=8427 ["consequence SnpEff"]=8540
	["HGVS.c SnpEff"]=8765 ["HGVS.p SnpEff"]=6640
	["HGVS.c VEP"]=5079 ["HGVS.p VEP"]=5079
)
declare -A FLOOR8=(
	[total_variants]=1092
	["consequence VEP"]=1049 ["consequence SnpEff"]=1065
	["HGVS.c SnpEff"]=1098 ["HGVS.p SnpEff"]=828
	["HGVS.c VEP"]=639 ["HGVS.p VEP"]=639
)

W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

# The truth VCF moved to region coordinates, every EVERY-th record, INFO
# dropped (the truth stays in the TSV and in $D's VCF).
prepare() {
	zcat "$D/brca1_clinvar_truth.vcf.gz" | awk -F '\t' -v OFS='\t' -v off="$OFFSET" -v every="$EVERY" '
		/^##/ { if ($0 !~ /^##(INFO|contig)/) print; next }
		/^#/ { print "##contig=<ID=brca1_region,length=81188>"; print; next }
		++n % every == 0 { $1 = "brca1_region"; $2 -= off; $8 = "."; print }' > "$W/in.vcf"
	"$OB" annotate --fasta "$D/brca1_region.fa" --gff "$D/refseq_brca1.region.gff3" \
		-o "$W/out.vcf" "$W/in.vcf" 2> "$W/annotate.err" || {
		echo "oncobank annotate failed" >&2; cat "$W/annotate.err" >&2; return 1; }
}

# compare -> $W/rows: one line per comparison,
# "tool<TAB>field<TAB>agree|disagree<TAB>chrom:pos:ref:alt<TAB>truth<TAB>ours".
# Rows of variants not in the input (the subset) are skipped.
compare() {
	awk -F '\t' -v OFS='\t' -v off="$OFFSET" -v tx="$TX" '
	function three(c) {
		return substr("AlaArgAsnAspCysGlnGluGlyHisIleLeuLysMetPheProSerThrTrpTyrValTer", \
			index("ARNDCQEGHILKMFPSTWYV*", c) * 3 - 2, 3)
	}
	# one SO term in the shared vocabulary ("" drops it)
	function so(t) {
		if (t == "splice_donor_5th_base_variant" || t == "splice_donor_region_variant") return "splice_region_variant"
		if (t == "splice_polypyrimidine_tract_variant") return ""
		if (t ~ /^(disruptive|conservative)_inframe_/) { sub(/^(disruptive|conservative)_/, "", t); return t }
		if (t == "5_prime_UTR_premature_start_codon_gain_variant") return "5_prime_UTR_variant"
		if (t == "initiator_codon_variant") return "start_retained_variant"
		if (t == "NMD_transcript_variant" || t == "non_coding_transcript_variant") return ""
		return t
	}
	# the sorted, de-duplicated set of normalised terms of an "&"-list
	function termset(s,   n, a, i, j, t, out, seen) {
		n = split(s, a, "&")
		for (i = 1; i <= n; i++) a[i] = so(a[i])
		for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
		out = ""
		for (i = 1; i <= n; i++) {
			if (a[i] == "" || (a[i] in seen)) continue
			seen[a[i]] = 1; out = out (out == "" ? "" : "&") a[i]
		}
		return out
	}
	function normc(s) {
		gsub(/del[ACGT]+ins/, "delins", s); sub(/del[ACGT]+$/, "del", s); sub(/dup[ACGT]+$/, "dup", s)
		return s
	}
	function normp(s,   m) {
		gsub(/\*/, "Ter", s)
		if (match(s, /^p\.[A-Z][a-z][a-z][0-9]+=$/)) s = substr(s, 1, length(s) - 1) substr(s, 3, 3)
		if (match(s, /^p\.[A-Z][a-z][a-z][0-9]+([A-Z][a-z][a-z])?fs/)) {
			m = substr(s, 1, RLENGTH); sub(/([A-Z][a-z][a-z])?fs$/, "", m); s = m "fs"
		}
		return s
	}
	function row(tool, field, key, truth, ours) {
		print tool, field, (truth == ours ? "agree" : "disagree"), key, truth, ours
	}
	FILENAME == ARGV[1] { # our output, region coordinates
		if (/^#/) next
		key = "17:" ($2 + off) ":" $4 ":" $5
		seen[key] = 1
		n = split($8, info, ";"); ann = ""
		for (i = 1; i <= n; i++) if (info[i] ~ /^ANN=/) ann = substr(info[i], 5)
		m = split(ann, e, ",")
		for (i = 1; i <= m; i++) {
			split(e[i], f, "|")
			if (f[1] == $5 && f[7] == tx) { csq[key] = f[2]; hc[key] = f[10]; hp[key] = f[11]; warn[key] = f[16] }
		}
		next
	}
	FILENAME == ARGV[2] { # the truth VCF: VEP_CSQ for the VEP HGVS of coding SNVs
		if (/^#/) next
		key = $1 ":" $2 ":" $4 ":" $5
		if (!(key in seen) || length($4) != 1 || length($5) != 1) next
		n = split($8, info, ";"); v = ""
		for (i = 1; i <= n; i++) if (info[i] ~ /^VEP_CSQ=/) v = substr(info[i], 9)
		m = split(v, e, ",")
		for (i = 1; i <= m; i++) {
			split(e[i], f, "|")
			if (f[4] != tx || f[9] !~ /^[0-9]+$/ || f[12] !~ /\//) continue
			split(f[12], cod, "/"); r = cod[1]; a = cod[2]
			gsub(/[a-z]/, "", r); gsub(/[a-z]/, "", a)
			row("VEP", "HGVS.c", key, "c." f[9] r ">" a, hc[key])
			split(f[11], aa, "/")
			if (f[2] ~ /(missense_variant|synonymous_variant|stop_gained|start_lost)/ && f[10] ~ /^[0-9]+$/) {
				if (f[10] == 1 && aa[1] == "M" && aa[2] != "" && aa[2] != "M") p = "p.Met1?"
				else if (aa[2] == "" || aa[2] == aa[1]) p = "p." three(aa[1]) f[10] "="
				else p = "p." three(aa[1]) f[10] three(aa[2])
				row("VEP", "HGVS.p", key, p, hp[key])
			}
		}
		next
	}
	FNR == 1 { next } # the TSV header
	{
		key = $1 ":" $2 ":" $3 ":" $4
		if (!(key in seen) || $5 != tx) next
		tool = $9 ~ /^VEP/ ? "VEP" : "SnpEff"
		row(tool, "consequence", key, termset($6), termset(csq[key]))
		if (tool == "SnpEff") {
			if ($7 != "") row(tool, "HGVS.c", key, normc($7), normc(hc[key]))
			if ($8 != "") row(tool, "HGVS.p", key, normp($8), normp(hp[key]))
		}
	}' "$W/out.vcf" <(zcat "$D/brca1_clinvar_truth.vcf.gz") "$D/brca1_clinvar_truth.tsv" > "$W/rows"
}

prepare && compare || exit 1

# --disagreements: every disagreement with the cause it most likely has (the
# groups of docs/annotation-truth.md), then per group the count and two
# examples.
if [ "${1:-}" = --disagreements ]; then
	awk -F '\t' -v OFS='\t' '
	function without(s, term,   n, a, i, out) { # s without one "&"-term
		n = split(s, a, "&"); out = ""
		for (i = 1; i <= n; i++) if (a[i] != term) out = out (out == "" ? "" : "&") a[i]
		return out
	}
	function cause(tool, f, t, o) {
		if (f == "consequence") {
			if (o ~ /coding_sequence_variant/) {
				if (t ~ /stop_lost/) return "deletion across the stop codon into the 3\x27 UTR: truth stop_lost, ours coding_sequence_variant (not analysed)"
				if (t ~ /coding_sequence_variant/) return "indel across an exon/intron edge, coding_sequence_variant in both: VEP adds intron_variant, ours splice_region"
				return "indel across an exon/intron edge: the truth predicts the protein (frameshift, inframe_*) or exon_loss, ours coding_sequence_variant (not analysed)"
			}
			if (t ~ /exon_loss_variant/) return "deletion of exactly one exon: SnpEff exon_loss_variant, ours (and VEP) frameshift/inframe_deletion"
			if (t ~ /stop_gained/ && t ~ /frameshift/ && o !~ /stop_gained/) return "frameshift whose first new codon is a stop: truth adds stop_gained"
			if (t ~ /frameshift_variant&(missense|synonymous)_variant/) return "SnpEff adds missense/synonymous to a frameshift"
			if (t ~ /splice_(donor|acceptor)_variant/ && without(o, "intron_variant") == t) return "splice donor/acceptor: ours adds intron_variant, VEP does not"
			if (t ~ /protein_altering_variant/) return "complex delins: VEP protein_altering_variant, ours inframe_insertion/deletion"
			if (t ~ /missense_variant/ && t ~ /inframe_/) return "SnpEff adds missense to an in-frame indel"
			if (t ~ /stop_gained/ && without(o, "inframe_deletion") == t) return "in-frame deletion creating a stop: VEP stop_gained alone"
			if (t ~ /splice_donor/ && o ~ /splice_region/ && o !~ /splice_donor/) return "insertion between intron +2 and +3: SnpEff splice_donor, ours (and VEP) splice_region"
			if (tool == "SnpEff" && o ~ /UTR/ && o ~ /splice_region/) return "SnpEff at 5\x27 UTR exon edges: the UTR term and splice_region in two entries of the transcript (its duplicate rows)"
			if (o ~ /splice_region/ && t !~ /splice_region/ && o ~ /splice_(donor|acceptor)/) return "deletion hitting a splice site and the splice region: VEP gives the splice site alone"
			if (o ~ /splice_region/ && t !~ /splice_region/) return "insertion just before the exonic splice region: ours splice_region (off by one)"
			if (o ~ /splice_(donor|acceptor)/ && t ~ /splice_region/ && t !~ /splice_(donor|acceptor)/) return "insertion at the exon/intron junction: ours (like bcftools csq) the splice site, the truth the exon edge"
			if (t == "start_retained_variant") return "start codon change: SnpEff start_retained, ours start_lost"
		} else if (f == "HGVS.c") {
			if (t ~ /dup$/ && o ~ /ins/) return "dup written as ins (dup not yet written)"
			if (o == "") return "upstream of the transcript: SnpEff writes c.-N, ours nothing"
		} else {
			if (o == "p.?") return "ours p.? (a change across an exon/intron edge, not analysed)"
			if (t ~ /fs$/ && o ~ /^p\.[A-Z][a-z][a-z][0-9]+Ter$/) return "frameshift whose first new codon is a stop: SnpEff p.Xnfs, ours p.XnTer (HGVS)"
			if (t ~ /dup$/) return "protein dup written as ins"
			if (t ~ /ins/ && t !~ /delins/ && o ~ /dup$/) return "insertion repeating the residues before it: ours p.dup (HGVS), SnpEff ins"
			if (t ~ /delins.*Ter/ && o ~ /delins/ && o !~ /Ter/) return "delins creating a stop: ours runs to the protein end without Ter"
			if (t ~ /^p\.[A-Z][a-z][a-z][0-9]+_[A-Z][a-z][a-z][0-9]+insTer/ && o ~ /Ter$/) return "insertion starting with a stop: SnpEff ins, ours nonsense at the next residue"
			if (t ~ /delinsTer$/ && o ~ /Ter$/) return "SnpEff p.X_YdelinsTer, ours p.XTer (the first stop only)"
			if (t ~ /del$/ && o ~ /del$/) return "in-frame deletion at another residue (3\x27 rule on the protein)"
			if (t ~ /^p\.([A-Z][a-z][a-z])+[0-9]+([A-Z][a-z][a-z])+$/) return "SnpEff non-HGVS multi-residue form (p.MetAsn297IleTyr)"
			if (t ~ /fs$/ && o ~ /fs$/) return "frameshift: another first changed residue"
		}
		return "other"
	}
	$3 == "disagree" {
		g = $1 " " $2 ": " cause($1, $2, $5, $6)
		print g, $4, $5, $6
		if (++n[g] && nex[g] < 2 && $4 != last[g]) { # two examples, two variants
			nex[g]++; last[g] = $4; ex[g] = ex[g] "#     " $4 "  truth " $5 "  ours " $6 "\n"
		}
	}
	END { for (g in n) printf "# %5d %s\n%s", n[g], g, ex[g] }' "$W/rows"
	exit 0
fi

nvar=$(grep -vc '^#' "$W/in.vcf")
figure() { # FIELD TOOL -> "agreeing total"
	awk -F '\t' -v t="$2" -v f="$1" '$1 == t && $2 == f { n++; if ($3 == "agree") a++ }
		END { printf "%d %d\n", a, n }' "$W/rows"
}
echo "# BRCA1 ClinVar truth, $TX, every ${EVERY} variant(s): $nvar variants"
for k in "consequence VEP" "consequence SnpEff" "HGVS.c SnpEff" "HGVS.p SnpEff" "HGVS.c VEP" "HGVS.p VEP"; do
	read -r a n < <(figure $k)
	echo "# $k $a/$n" | sed 's/ \(VEP\|SnpEff\) / vs \1 /'
done

floor() { # KEY -> the floor for this run
	if [ "$EVERY" -eq 1 ]; then echo "${FLOOR1[$1]}"; elif [ "$EVERY" -eq 8 ]; then echo "${FLOOR8[$1]}"; else echo 0; fi
}
at_least() { # FIELD TOOL
	local a n f
	read -r a n < <(figure "$1" "$2")
	f=$(floor "$1 $2")
	[ "$n" -gt 0 ] || { echo "no $1 rows for $2" >&2; return 1; }
	[ "$a" -ge "$f" ] || { echo "$1 vs $2: $a/$n agree, below the floor $f" >&2; return 1; }
}

test_every_variant_is_annotated_on_the_mane_transcript() {
	same "$(grep -vc '^#' "$W/out.vcf")" "$nvar"
	[ "$EVERY" -ne 1 ] || same "$nvar" "$(floor total_variants)"
	# one NM_007294.4 entry per variant; every REF matches the sequence, so
	# no entry may carry WARNING_REF_DOES_NOT_MATCH_GENOME (it would mean the
	# region offset or the FASTA reading is wrong)
	local got
	got=$(grep -v '^#' "$W/out.vcf" | grep -c "|transcript|NM_007294.4|" || true)
	same "$got" "$nvar"
	lacks "$W/out.vcf" WARNING_REF_DOES_NOT_MATCH_GENOME
}
test_consequence_agrees_with_vep() { at_least consequence VEP; }
test_consequence_agrees_with_snpeff() { at_least consequence SnpEff; }
test_hgvs_c_agrees_with_snpeff() { at_least HGVS.c SnpEff; }
test_hgvs_p_agrees_with_snpeff() { at_least HGVS.p SnpEff; }
test_hgvs_c_of_coding_snvs_agrees_with_vep() { at_least HGVS.c VEP; }
test_hgvs_p_of_coding_snvs_agrees_with_vep() { at_least HGVS.p VEP; }
test_a_known_missense_is_exact() {
	# 17:41215920 G>T: SnpEff p.Ala1708Glu, c.5123C>A (the README's check)
	[ "$EVERY" -eq 1 ] || return 0 # not in every subset
	contains "$W/rows" "$(printf 'SnpEff\tHGVS.c\tagree\t17:41215920:G:T\tc.5123C>A\t')"
	contains "$W/rows" "$(printf 'SnpEff\tHGVS.p\tagree\t17:41215920:G:T\tp.Ala1708Glu\t')"
}

run_tests
