#!/usr/bin/env bash
# test_kb.sh - end-to-end tests of `oncobank kb`: the CIViC 01-Aug-2021
# 22-gene subset imported (its counts checked against the file itself),
# re-import refused then replaced, malformed files refused with their line
# and nothing written, and `kb show` / `kb releases` in text and JSON.

CIVIC=$SHARED/data/genomics/somatic/civic
SUBSET=$CIVIC/01-Aug-2021-ClinicalEvidenceSummaries.22genes.tsv
REFERENCE=$SHARED/data/genomics/somatic/reference/canonical_biomarkers.tsv
OB_DATA_CURATED=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/data/kb/curated.tsv

# the number after WORD in the import's summary line ($T/out)
figure() {
	sed -n "s/.*[ (]$1 \([0-9][0-9]*\).*/\1/p" "$T/out" | head -1
}

test_import_counts_match_the_file() {
	[ -r "$SUBSET" ] || { echo "skipped: $SUBSET absent"; return 0; }
	cp "$SUBSET" 01-Aug-2021-ClinicalEvidenceSummaries.tsv
	expect_exit 0 "$OB" --db kb.db kb import civic 01-Aug-2021-ClinicalEvidenceSummaries.tsv \
		--unmapped unmapped.tsv
	local read skipped kept mapped unmapped
	read=$(figure read); skipped=$(figure skipped); kept=$(figure kept)
	mapped=$(figure mapped); unmapped=$(figure unmapped)
	# what the file says: data lines, and the Predictive/Supports ones
	same "$read" "$(($(wc -l < "$SUBSET") - 1))"
	same "$kept" "$(awk -F'\t' 'NR > 1 && $9 == "Predictive" && $10 == "Supports"' "$SUBSET" | wc -l)"
	same "$((kept + skipped))" "$read"
	same "$((mapped + unmapped))" "$kept"
	# the unmapped list holds every one of them, and the reasons add up
	same "$(($(wc -l < unmapped.tsv) - 1))" "$unmapped"
	local by_reason
	by_reason=$(sed -n 's/^unmapped by reason: //p' "$T/out" | tr ';' '\n' | awk '{s += $NF} END {print s}')
	same "$by_reason" "$unmapped"
	contains "$T/err" "item(s) not mapped"
	# the release is listed with the same figures
	expect_exit 0 "$OB" --db kb.db kb releases
	contains "$T/out" "civic	01-Aug-2021	01-Aug-2021-ClinicalEvidenceSummaries.tsv"
	contains "$T/out" "	$read	$skipped	$mapped	$unmapped	"
	expect_exit 0 "$OB" --db kb.db audit verify
}

test_braf_v600e_from_civic_in_melanoma_and_colorectal() {
	[ -r "$SUBSET" ] || { echo "skipped"; return 0; }
	expect_exit 0 "$OB" --db kb.db kb import civic "$SUBSET"
	expect_exit 0 "$OB" --db kb.db kb show BRAF
	# rows of the release, not only of the curated base
	awk -F'\t' '$1 == "p.V600E" && $2 == "MEL" && $7 == "civic 01-Aug-2021"' "$T/out" > mel
	awk -F'\t' '$1 == "p.V600E" && $2 == "COADREAD" && $7 == "civic 01-Aug-2021"' "$T/out" > crc
	[ -s mel ] && [ -s crc ]
	contains mel "PMID:"
	contains "$T/out" "in curated 2026.11; civic 01-Aug-2021"
	# KRAS G12/G13 in colorectal cancer: resistance to the anti-EGFR antibodies
	expect_exit 0 "$OB" --db kb.db kb show KRAS
	awk -F'\t' '$1 == "p.G12" && $2 == "COADREAD" && $4 == "resistance" && $7 ~ /^civic/' "$T/out" | grep -q .
}

test_reference_civic_ids_are_imported() {
	[ -r "$SUBSET" ] && [ -r "$REFERENCE" ] || { echo "skipped"; return 0; }
	expect_exit 0 "$OB" --db kb.db kb import civic "$SUBSET"
	local n=0 g e
	# every CIViC id the reference table cites lands in the base under its gene
	tail -n +2 "$REFERENCE" | awk -F'\t' '$9 != "" { n = split($9, a, ","); for (i = 1; i <= n; i++) {
		sub(/\(.*/, "", a[i]); print $1 "\t" a[i] } }' | sort -u > eids
	[ "$(wc -l < eids)" -gt 100 ]
	for g in $(cut -f1 eids | sort -u); do "$OB" --db kb.db kb show "$g" > "show.$g"; done
	while IFS=$'\t' read -r g e; do
		grep -q "CIViC ${e}(" "show.$g" || { echo "$g $e not imported" >&2; n=$((n + 1)); }
	done < eids
	same "$n" 0
}

test_gzip_import_gives_the_same_figures() {
	[ -r "$SUBSET" ] || { echo "skipped"; return 0; }
	expect_exit 0 "$OB" --db a.db kb import civic "$SUBSET"
	sed 's/ from .*:/:/' "$T/out" > plain
	gzip -c "$SUBSET" > 01-Aug-2021-x.tsv.gz
	expect_exit 0 "$OB" --db b.db kb import civic 01-Aug-2021-x.tsv.gz
	sed 's/ from .*:/:/' "$T/out" > gz
	same "$(cat gz)" "$(cat plain)"
}

test_reimport_refused_unless_replace() {
	[ -r "$SUBSET" ] || { echo "skipped"; return 0; }
	expect_exit 0 "$OB" --db kb.db kb import civic "$SUBSET"
	expect_exit 0 "$OB" --db kb.db kb show EGFR
	local before
	before=$(wc -l < "$T/out")
	expect_exit 4 "$OB" --db kb.db kb import civic "$SUBSET"
	contains "$T/err" "civic 01-Aug-2021 is already imported"
	expect_exit 0 "$OB" --db kb.db kb import civic "$SUBSET" --replace
	expect_exit 0 "$OB" --db kb.db kb show EGFR
	same "$(wc -l < "$T/out")" "$before"
	expect_exit 0 "$OB" --db kb.db kb releases --json
	same "$(grep -o '"name":"civic"' "$T/out" | wc -l)" 1
	expect_exit 0 "$OB" --db kb.db audit verify
}

test_malformed_file_rejected_with_line_nothing_written() {
	[ -r "$SUBSET" ] || { echo "skipped"; return 0; }
	# line 6: evidence_level Z
	head -12 "$SUBSET" | awk -F'\t' 'BEGIN { OFS = "\t" } NR == 6 { $11 = "Z" } { print }' > bad.tsv
	expect_exit 2 "$OB" --db kb.db kb import civic bad.tsv --version X --unmapped um.tsv
	contains "$T/err" "bad.tsv:6: evidence_level: 'Z'"
	[ ! -e um.tsv ]
	# line 4 cut short
	head -12 "$SUBSET" | awk -F'\t' 'BEGIN { OFS = "\t" } NR == 4 { NF = 20 } { print }' > short.tsv
	expect_exit 2 "$OB" --db kb.db kb import civic short.tsv --version X
	contains "$T/err" "short.tsv:4: line: 20 fields, the header has 41"
	# not a CIViC export at all
	printf 'a\tb\n1\t2\n' > other.tsv
	expect_exit 2 "$OB" --db kb.db kb import civic other.tsv --version X
	contains "$T/err" "other.tsv:1: gene: column missing"
	expect_exit 0 "$OB" --db kb.db kb releases
	same "$(wc -l < "$T/out")" 1     # the header only
	expect_exit 0 "$OB" --db kb.db kb show BRAF
	lacks "$T/out" "civic"
}

test_json_agrees_with_text() {
	[ -r "$SUBSET" ] || { echo "skipped"; return 0; }
	expect_exit 0 "$OB" --db kb.db --user kbtester kb import civic "$SUBSET"
	local n
	expect_exit 0 "$OB" --db kb.db kb show BRAF
	n=$(($(wc -l < "$T/out") - 2))
	expect_exit 0 "$OB" --db kb.db kb show BRAF --json
	same "$(jq '.rows | length' "$T/out")" "$n"
	same "$(jq -r '.kb_version' "$T/out")" "curated 2026.11; civic 01-Aug-2021"
	same "$(jq '[.rows[] | select(.release == "curated 2026.11")] | length' "$T/out")" \
		"$(awk -F'\t' '$1 == "BRAF"' "$OB_DATA_CURATED" | wc -l)"
	expect_exit 0 "$OB" --db kb.db kb releases --json
	same "$(jq '.[0].read - .[0].skipped - .[0].mapped - .[0].unmapped' "$T/out")" 0
	same "$(jq -r '.[0].imported_by' "$T/out")" kbtester
}

test_usage_and_missing_file() {
	expect_exit 1 "$OB" --db kb.db kb
	expect_exit 1 "$OB" --db kb.db kb import civic evidence.tsv
	contains "$T/err" "give --version"
	expect_exit 1 "$OB" --db kb.db kb import clinvar x.tsv --version 1
	expect_exit 3 "$OB" --db kb.db kb import civic nothere.tsv --version 1
	expect_exit 0 "$OB" kb --help
	contains "$T/out" "kb import civic FILE"
}

test_show_curated_without_import() {
	expect_exit 0 "$OB" --db kb.db kb show EGFR
	contains "$T/out" "# EGFR:"
	awk -F'\t' '$1 == "p.T790M" && $2 == "NSCLC" && $3 == "Osimertinib" && $4 == "sensitivity" && $5 == "I-A"' \
		"$T/out" | grep -q .
	awk -F'\t' '$1 == "p.T790M" && $3 == "Erlotinib" && $4 == "resistance"' "$T/out" | grep -q .
	expect_exit 0 "$OB" --db kb.db kb show - --json
	contains "$T/out" '"alteration":"msi-high"'
	contains "$T/out" '"alteration":"tmb-high"'
	contains "$T/out" '"tumor_type_name":"any tumour type"'
	expect_exit 0 "$OB" --db kb.db kb show PDGFRA --json
	contains "$T/out" '"kb_version":"curated 2026.11"'
	contains "$T/out" '"tumor_type":"GIST","tumor_type_name":"Gastrointestinal Stromal Tumor","drugs":"Imatinib","effect":"resistance"'
	expect_exit 0 "$OB" --db kb.db kb show NOSUCHGENE
	contains "$T/out" "0 row(s)"
	contains "$T/err" "holds nothing for NOSUCHGENE"
}

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
run_tests
