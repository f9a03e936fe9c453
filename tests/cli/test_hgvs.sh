# test_hgvs.sh - end-to-end tests of `oncobank hgvs`: c./n. to genomic and
# back on the real BRCA1 models (GRCh37, RefSeq NM_007294.4), with the
# agreement figures against external truth:
#   - forward: every SnpEff HGVS.c of $SHARED/data/genomics/brca1-grch37/
#     brca1_clinvar_truth.tsv mapped to CHROM POS REF ALT and compared with
#     the ClinVar record it was computed from;
#   - backward: every ClinVar record described on NM_007294.4 and compared
#     with SnpEff's HGVS.c (its spelled-out del/dup bases dropped, delXins
#     read as delins);
#   - the pyhgvs coordinate pairs and the biocommons ClinVar name sets of
#     $SHARED/data/genomics/hgvs/ (NM_007294.3, which the .4 models serve).
# Each figure goes to stderr as "NAME: agreeing/total"; a test fails when its
# figure drops below its floor (regression guards; docs/hgvs.md explains
# every remaining difference). `bash tests/cli/test_hgvs.sh --agreement`
# prints the figures and the differences only.

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
BRCA=$SHARED/data/genomics/brca1-grch37
HG=$SHARED/data/genomics/hgvs
FWD_FLOOR=${FWD_FLOOR:-8770}
BACK_FLOOR=${BACK_FLOOR:-8736}
COORD_FWD_FLOOR=${COORD_FWD_FLOOR:-13}
COORD_BACK_FLOOR=${COORD_BACK_FLOOR:-13}
NAMES_FLOOR=${NAMES_FLOOR:-12}

have_brca() { [ -r "$BRCA/refseq_brca1.gff3" ] && [ -r "$HG/pyhgvs_brca1_coords.tsv" ]; }
H() { "$OB" hgvs --fasta "$BRCA/GRCh37_17_brca1_padded.fa.gz" --gff "$BRCA/refseq_brca1.gff3" "$@"; }
mini() {
	cp "$REPO/tests/data/genes/hgvs_mini.fa" "$REPO/tests/data/genes/hgvs_mini.gff3" .
	"$OB" hgvs --fasta hgvs_mini.fa --gff hgvs_mini.gff3 "$@"
}
# figure NAME AGREE TOTAL FLOOR - reports and checks one agreement figure
figure() {
	echo "$1: $2/$3 (floor $4)" >&2
	[ "$2" -ge "$4" ] || { echo "$1 below its floor" >&2; return 1; }
}

test_forward_agrees_with_clinvar_records() {
	have_brca || { echo "# SKIP no shared data"; return 0; }
	awk -F'\t' '$9 ~ /SnpEff/ && $7 != "" {print "NM_007294.4:" $7 "\t" $1 "\t" $2 "\t" $3 "\t" $4}' \
		"$BRCA/brca1_clinvar_truth.tsv" > cases.tsv
	cut -f1 cases.tsv | H - > got.tsv 2> err.txt || true
	# got: INPUT CHROM POS REF ALT g. (or INPUT ERROR message)
	read -r agree total < <(awk -F'\t' 'NR == FNR { want[$1] = $2 " " $3 " " $4 " " $5; next }
		{ n++; if ($2 " " $3 " " $4 " " $5 == want[$1]) a++; else print "differs: " $0 > "/dev/stderr" }
		END { print a + 0, n + 0 }' cases.tsv got.tsv)
	same "$total" "$(wc -l < cases.tsv)"
	figure "hgvs forward, SnpEff NM_007294.4 c. -> ClinVar VCF" "$agree" "$total" "$FWD_FLOOR"
}

test_backward_agrees_with_snpeff() {
	have_brca || { echo "# SKIP no shared data"; return 0; }
	awk -F'\t' '$9 ~ /SnpEff/ && $7 != "" {print $1 ":" $2 ":" $3 ":" $4 "\t" $7}' \
		"$BRCA/brca1_clinvar_truth.tsv" | sort -u | sort -t: -k2,2n > cases.tsv
	cut -f1 cases.tsv | H --transcript NM_007294.4 - > got.tsv 2> err.txt || true
	read -r agree total < <(awk -F'\t' 'NR == FNR { w = $2; sub(/del[ACGT]+ins/, "delins", w)
			sub(/del[ACGT]+$/, "del", w); sub(/dup[ACGT]+$/, "dup", w); want[$1] = w; n++; next }
		$2 == "NM_007294.4" { got[$1] = $4 }
		END { for (k in want) { if (got[k] == want[k]) a++
			else print "differs: " k " SnpEff " want[k] " ours " ((k in got) ? got[k] : "(none)") > "/dev/stderr" }
			print a + 0, n + 0 }' cases.tsv got.tsv)
	figure "hgvs backward, ClinVar VCF -> NM_007294.4 c. vs SnpEff" "$agree" "$total" "$BACK_FLOOR"
}

test_pyhgvs_coordinates() {
	have_brca || { echo "# SKIP no shared data"; return 0; }
	tail -n +2 "$HG/pyhgvs_brca1_coords.tsv" > coords.tsv
	# forward: c.X= names the reference base at X
	awk -F'\t' '{print $1 ":" $4 "="}' coords.tsv | H - > fwd.tsv 2>/dev/null || true
	read -r agree total < <(awk -F'\t' 'NR == FNR { want[$1 ":" $4 "="] = $3; n++; next }
		{ if ($3 == want[$1]) a++; else print "differs: " $0 " want " want[$1] > "/dev/stderr" }
		END { print a + 0, n + 0 }' coords.tsv fwd.tsv)
	figure "pyhgvs coordinates, c. -> genomic" "$agree" "$total" "$COORD_FWD_FLOOR"
	# backward: a substitution at the genomic position is named at that c.
	awk -F'\t' '$2 != "ERROR" { alt = $4 == "A" ? "C" : "A"; print $2 ":" $3 ":" $4 ":" alt }' fwd.tsv |
		H --transcript NM_007294.4 - > back.tsv 2>/dev/null || true
	read -r agree total < <(awk -F'\t' 'NR == FNR { want["17:" $3] = $4; n++; next }
		{ split($1, k, ":"); c = $4; sub(/[ACGT]>[ACGT]$/, "", c)
		  if (c == want[k[1] ":" k[2]]) a++; else print "differs: " $0 " want " want[k[1] ":" k[2]] > "/dev/stderr" }
		END { print a + 0, n + 0 }' coords.tsv back.tsv)
	figure "pyhgvs coordinates, genomic -> c." "$agree" "$total" "$COORD_BACK_FLOOR"
}

test_biocommons_names_normalise_alike() {
	have_brca || { echo "# SKIP no shared data"; return 0; }
	# every NM_007294.3 name of a ClinVar variation (also the non-normalised
	# ones hgvs itself rejects, on '#' lines) against its NC_000017.10 g. name
	sed 's/^#//' "$HG/biocommons_clinvar_brca1.tsv" | tail -n +2 | awk '{
		g = ""; for (i = 3; i <= NF; i++) if ($i ~ /^NC_000017\.10:g\./) { g = substr($i, 14) }
		sub(/(del|dup)[ACGT]+$/, "&", g); gsub(/del[ACGT]+ins/, "delins", g)
		sub(/del[ACGT]+$/, "del", g); sub(/dup[ACGT]+$/, "dup", g)
		for (i = 3; i <= NF; i++) if ($i ~ /^NM_007294\.3:c\./) print $i "\t" g }' > names.tsv
	cut -f1 names.tsv | H - > got.tsv 2>/dev/null || true
	read -r agree total < <(awk -F'\t' 'NR == FNR { want[$1] = $2; n++; next }
		{ g = $6; sub(/^[^:]*:/, "", g); if (g == want[$1]) a++
		  else print "differs: " $0 " want " want[$1] > "/dev/stderr" }
		END { print a + 0, n + 0 }' names.tsv got.tsv)
	figure "biocommons ClinVar NM_007294.3 names -> same g. as NC_000017.10" "$agree" "$total" "$NAMES_FLOOR"
}

test_forward_output_and_json() {
	expect_exit 0 mini 'TP(PLUS):c.8_9dup'
	same "$(cat "$T/out")" "m	30	G	GCA	m:g.35_36dup"
	expect_exit 0 mini --json 'TP.1:c.7+1G>A'
	contains "$T/out" '{"input":"TP.1:c.7+1G>A","transcript":"TP.2","gene":"PLUS","other_version":true,"chrom":"m","pos":21,"ref":"G","alt":"A","g":"g.21G>A"}'
	contains "$T/err" "warning: TP.1:c.7+1G>A: that version is not in the gene models; used TP.2"
	expect_exit 0 mini 'NR_1.1:n.4A>G'
	same "$(cat "$T/out")" "m	14	A	G	m:g.14A>G"
}

test_backward_output_and_json() {
	expect_exit 0 mini m:21:G:A
	contains "$T/out" "TP	PLUS	c.7+1G>A	.	splice_donor_variant"
	contains "$T/out" "NR_1.1	PLUS	n.11G>A"
	expect_exit 0 mini --transcript TP m-14-A-G --json
	contains "$T/out" '"chrom":"m","pos":14,"ref":"A","alt":"G","transcripts":[{"transcript":"TP","gene":"PLUS","hgvs_c":"c.1A>G"'
	lacks "$T/out" "NR_1.1"
	expect_exit 3 mini --transcript NR_9 m:14:A:G
	# upstream of the transcript: numbered from the CDS start
	expect_exit 0 mini --transcript TP m:10:C:T
	same "$(cat "$T/out")" "TP	PLUS	c.-4C>T	.	upstream_gene_variant"
	expect_exit 0 mini --transcript TP m:51:G:A --json
	contains "$T/out" '"hgvs_c":"c.*7G>A","hgvs_p":"","consequence":"downstream_gene_variant"'
}

test_errors_name_the_problem() {
	expect_exit 2 mini 'TP:c.1C>G'
	contains "$T/err" "TP:c.1C>G: the reference at m:14 reads A on TP's strand, the description says C"
	expect_exit 3 mini 'XX_1:c.1A>G'
	contains "$T/err" "transcript XX_1 is not in the gene models"
	expect_exit 2 mini TP:c.1A
	contains "$T/err" "unknown edit"
	expect_exit 2 mini m:14:C:G
	contains "$T/err" "REF C disagrees with the reference"
	expect_exit 2 mini m:x:C:G
	expect_exit 1 mini
	expect_exit 1 "$OB" hgvs --gff x 'TP:c.1A>G'
	expect_exit 0 "$OB" hgvs --help
	contains "$T/out" "usage: oncobank hgvs"
}

test_batch_goes_on_after_an_error() {
	printf 'TP:c.1A>G\nTP:c.1C>G\n# a comment\nm:14:A:G\n' > in.txt
	expect_exit 2 mini - < in.txt
	contains "$T/out" "TP:c.1A>G	m	14	A	G	m:g.14A>G"
	contains "$T/out" "TP:c.1C>G	ERROR	TP:c.1C>G: the reference at m:14 reads A"
	contains "$T/out" "m:14:A:G	TP	PLUS	c.1A>G"
	contains "$T/err" "1 of 3 inputs failed"
}

test_gene_cache_serves_too() {
	cp "$REPO/tests/data/genes/hgvs_mini.fa" "$REPO/tests/data/genes/hgvs_mini.gff3" .
	expect_exit 0 "$OB" genes index hgvs_mini.gff3 -o m.obgc
	expect_exit 0 "$OB" hgvs --fasta hgvs_mini.fa --gff m.obgc TP:c.8_9dup
	same "$(cat "$T/out")" "m	30	G	GCA	m:g.35_36dup"
}

if [ "${1:-}" = --agreement ]; then
	rc=0
	for t in test_forward_agrees_with_clinvar_records test_backward_agrees_with_snpeff \
		test_pyhgvs_coordinates test_biocommons_names_normalise_alike; do
		T=$(mktemp -d)
		( cd "$T" && FWD_FLOOR=0 BACK_FLOOR=0 COORD_FWD_FLOOR=0 COORD_BACK_FLOOR=0 NAMES_FLOOR=0 "$t" ) || rc=$?
		rm -rf "$T"
	done
	exit $rc
fi
run_tests
