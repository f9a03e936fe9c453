# test_somatic.sh - end-to-end tests of `oncobank somatic`: the synthetic
# genome of tests/data/somatic (make_genome.py) annotated on the fly or
# beforehand, the text summary, the JSON (checked with jq), the HTML report,
# VEP CSQ input, fusions and copy number files, a VCF without samples, exit
# codes for bad input, and that no database is created.

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
D=$REPO/tests/data/somatic

# genome: copies the synthetic genome into $T (the .fai is built there)
genome() {
	cp "$D/genome.fa" "$D/genes.gff3" "$D/cases.vcf" "$T/"
}

test_help_and_usage() {
	expect_exit 0 "$OB" somatic --help
	contains "$T/out" "--tumor-type"
	genome
	expect_exit 1 "$OB" somatic cases.vcf
	contains "$T/err" "--tumor-type is required"
	expect_exit 1 "$OB" somatic --tumor-type LUAD
	expect_exit 1 "$OB" somatic --tumor-type LUAD --fasta genome.fa cases.vcf
	contains "$T/err" "--fasta needs --gff"
	expect_exit 1 "$OB" somatic --tumor-type LUAD --json --html x.html cases.vcf
}

test_unknown_tumour_type_exits_2_naming_it() {
	genome
	expect_exit 2 "$OB" somatic --tumor-type LUNGX cases.vcf
	contains "$T/err" "LUNGX"
}

test_text_summary_luad() {
	genome
	expect_exit 0 "$OB" somatic --tumor-type LUAD --fasta genome.fa --gff genes.gff3 cases.vcf
	contains "$T/out" "Tumour type: LUAD (Lung Adenocarcinoma)"
	contains "$T/out" "EGFR p.L858R  tier I-A  VAF 0.40"
	contains "$T/out" "I-B  Gefitinib (resistance)"
	contains "$T/out" "MET c.3027+1G>A  tier I-A"
	contains "$T/out" "sample: TUMOR"
	# PDGFRA D842V has only GIST evidence: another type, II-C
	contains "$T/out" "PDGFRA p.D842V  tier II-C (other tumour types only)"
	[ ! -e oncobank.db ] || { echo "a database was created" >&2; return 1; }
}

test_json_fields() {
	genome
	expect_exit 0 "$OB" somatic --tumor-type LUAD --panel-size-mb 1.5 --msi stable \
		--fasta genome.fa --gff genes.gff3 cases.vcf --json
	jq -e . "$T/out" > /dev/null
	same "$(jq -r '.tumor_type_name' "$T/out")" "Lung Adenocarcinoma"
	same "$(jq -r '.counts.records' "$T/out")" "14"
	same "$(jq -r '.tmb.coding_nonsynonymous' "$T/out")" "13"
	same "$(jq -r '.tmb.high' "$T/out")" "false" # 13 / 1.5 = 8.7 < 10
	same "$(jq -r '.msi.status' "$T/out")" "stable"
	same "$(jq -r '[.biomarkers[] | select(.alteration == "p.T790M") | .evidence[]
		| select(.effect == "resistance") | .drugs] | sort | join(",")' "$T/out")" \
		"Erlotinib,Gefitinib"
	same "$(jq -r '[.biomarkers[] | select(.gene == "EGFR" and .kind == "variant")] | length' \
		"$T/out")" "6" # L858R, T790M, four exon 19 deletions
	# --gff: the models' canonical transcript is the picked one (EGFR has two)
	same "$(jq -r '.biomarkers[] | select(.alteration == "p.L858R") | .transcript_choice' \
		"$T/out")" "picked"
	same "$(jq -r '.biomarkers[] | select(.alteration == "p.L858R") | .transcript' \
		"$T/out")" "ENST00000275493"
	same "$(jq -r '.biomarkers[] | select(.alteration == "p.D842V") | .evidence[0].level' \
		"$T/out")" "II-C"
	same "$(jq -r '.biomarkers[] | select(.alteration == "p.D842V") | .evidence[0].kb_level' \
		"$T/out")" "I-A"
	same "$(jq -r '.limits | length > 3' "$T/out")" "true"
}

test_tmb_high_adds_pembrolizumab() {
	genome
	expect_exit 0 "$OB" somatic --tumor-type LUAD --panel-size-mb 1 \
		--fasta genome.fa --gff genes.gff3 cases.vcf --json
	same "$(jq -r '.tmb.high' "$T/out")" "true"
	same "$(jq -r '.biomarkers[] | select(.kind == "tmb") | .evidence[0].drugs' "$T/out")" \
		"Pembrolizumab"
}

test_html_report() {
	genome
	expect_exit 0 "$OB" somatic --tumor-type COADREAD --patient 'P0001<x>' --specimen OB0000000013 \
		--msi high --fasta genome.fa --gff genes.gff3 cases.vcf --html report.html
	contains report.html "<!DOCTYPE html>"
	contains report.html "P0001&lt;x&gt;"
	contains report.html "OB0000000013"
	contains report.html "<h2>Resistance</h2>"
	contains report.html "Cetuximab"
	contains report.html "MSI-high"
	contains report.html "curated"
	contains report.html "Limits of the method"
	lacks report.html "<script"
	lacks report.html "P0001<x>"
}

test_preannotated_input_gives_same_findings() {
	genome
	"$OB" annotate --fasta genome.fa --gff genes.gff3 cases.vcf -o ann.vcf
	expect_exit 0 "$OB" somatic --tumor-type NSCLC ann.vcf --json
	jq -r '.biomarkers[] | .gene + " " + .alteration + " " + (.tier // "-")' "$T/out" | sort > a
	expect_exit 0 "$OB" somatic --tumor-type NSCLC --fasta genome.fa --gff genes.gff3 cases.vcf --json
	jq -r '.biomarkers[] | .gene + " " + .alteration + " " + (.tier // "-")' "$T/out" | sort > b
	cmp a b
	contains a "KRAS p.G12C I-A"
	# no picked mark in our ANN and no --gff: every EGFR entry is tried
	expect_exit 0 "$OB" somatic --tumor-type NSCLC ann.vcf --json
	same "$(jq -r '.biomarkers[] | select(.alteration == "p.L858R") | .transcript_choice' \
		"$T/out")" "first matching of 2"
	same "$(jq -r '.biomarkers[] | select(.alteration == "p.G12C") | .transcript_choice' \
		"$T/out")" "only one"
	# --gff alone: the canonical preference without annotating again
	expect_exit 0 "$OB" somatic --tumor-type NSCLC --gff genes.gff3 ann.vcf --json
	same "$(jq -r '.biomarkers[] | select(.alteration == "p.L858R") | .transcript_choice' \
		"$T/out")" "picked"
	# without annotation and without --fasta: nothing to match, said so
	expect_exit 0 "$OB" somatic --tumor-type NSCLC cases.vcf
	contains "$T/out" "14 without annotation"
	contains "$T/out" "No actionable biomarker"
}

test_vep_csq_input_picked_transcript() {
	expect_exit 0 "$OB" somatic --tumor-type LUAD "$D/vep_picked.vcf" --json
	same "$(jq -r '.biomarkers[] | select(.alteration == "p.L858R") | .transcript' "$T/out")" \
		"ENST00000275493"
	same "$(jq -r '.biomarkers[] | select(.alteration == "p.L858R") | .transcript_choice' \
		"$T/out")" "picked"
	same "$(jq -r '.biomarkers[] | select(.alteration == "p.E746_A750del") | .evidence[0].match' \
		"$T/out")" "exon"
}

test_no_sample_column() {
	genome
	cut -f1-8 cases.vcf > nosample.vcf
	expect_exit 0 "$OB" somatic --tumor-type LUAD --fasta genome.fa --gff genes.gff3 nosample.vcf --json
	same "$(jq -r '.sample' "$T/out")" "null"
	same "$(jq -r '[.biomarkers[] | select(.kind == "variant") | .vaf] | unique | join(",")' \
		"$T/out")" ""
	same "$(jq -r '[.biomarkers[] | select(.alteration == "p.L858R")] | length' "$T/out")" "1"
	expect_exit 2 "$OB" somatic --tumor-type LUAD --sample TUMOR nosample.vcf
	contains "$T/err" "no sample named 'TUMOR'"
}

test_fusions_and_cnv_files() {
	genome
	printf 'gene\tcopy_number\nERBB2\t9\nNRAS\t24\n' > cnv.tsv
	expect_exit 0 "$OB" somatic --tumor-type BRCA --cnv cnv.tsv \
		--fusions "$SHARED/data/genomics/somatic/examples/pcgr/T001-BRCA.grch37.fusions.tsv" \
		cases.vcf --json
	same "$(jq -r '.biomarkers[] | select(.gene == "ERBB2") | .alteration' "$T/out")" "amplification"
	same "$(jq -r '.biomarkers[] | select(.gene == "ERBB2") | .tier' "$T/out")" "I-A"
	same "$(jq -r '[.biomarkers[] | select(.gene == "NRAS")] | length' "$T/out")" "0"
	same "$(jq -r '[.biomarkers[] | select(.kind == "fusion") | .alteration] | sort | join(",")' \
		"$T/out" | tr ',' '\n' | grep -c ALK)" "2"
	# NTRK fusions: tumour-agnostic, so own type for a breast tumour
	same "$(jq -r '.biomarkers[] | select(.gene == "NTRK1") | .own_tumor_type' "$T/out")" "true"
	printf 'gene\tcopy_number\nERBB2\tlots\n' > bad.tsv
	expect_exit 2 "$OB" somatic --tumor-type BRCA --cnv bad.tsv cases.vcf
	contains "$T/err" "bad.tsv:2: copy_number: 'lots'"
}

test_bad_vcf_names_file_and_line() {
	printf '7\t100\t.\tA\tG\t.\tPASS\t.\n' > nohdr.vcf
	expect_exit 2 "$OB" somatic --tumor-type LUAD nohdr.vcf
	contains "$T/err" "nohdr.vcf:1"
	printf '##fileformat=VCFv4.2\n##INFO=<ID=ANN,Number=.,Type=String,Description="x">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n7\t100\t.\tA\tG\t.\tPASS\tANN=G|missense_variant\n' > badann.vcf
	expect_exit 2 "$OB" somatic --tumor-type LUAD badann.vcf
	contains "$T/err" "badann.vcf:4: ANN: entry 1 has 2 fields"
	expect_exit 5 "$OB" somatic --tumor-type LUAD missing.vcf
}

test_db_releases_are_used() {
	genome
	"$OB" --db k.db kb import civic \
		"$SHARED/data/genomics/somatic/civic/01-Aug-2021-ClinicalEvidenceSummaries.22genes.tsv" \
		> /dev/null 2>&1
	expect_exit 0 "$OB" somatic --db k.db --tumor-type LUAD --fasta genome.fa --gff genes.gff3 \
		cases.vcf --json
	contains "$T/out" '"kb_version":"curated 2026.11; civic 01-Aug-2021"'
	n_db=$(jq '[.biomarkers[] | select(.alteration == "p.L858R") | .evidence[]] | length' "$T/out")
	same "$(jq -r '[.biomarkers[] | select(.alteration == "p.L858R") | .evidence[]
		| select(.release | startswith("civic"))] | length > 0' "$T/out")" "true"
	expect_exit 0 "$OB" somatic --tumor-type LUAD --fasta genome.fa --gff genes.gff3 cases.vcf --json
	n_cur=$(jq '[.biomarkers[] | select(.alteration == "p.L858R") | .evidence[]] | length' "$T/out")
	[ "$n_db" -gt "$n_cur" ] || { echo "db $n_db <= curated $n_cur" >&2; return 1; }
}

test_pcgr_example_tumours_are_read() {
	# unannotated TCGA calls (no GRCh37 reference here): every record read,
	# the one sample column named after tumour and normal, no noise on stderr
	local p=$SHARED/data/genomics/somatic/examples/pcgr
	expect_exit 0 "$OB" somatic --tumor-type BRCA "$p/T001-BRCA.grch37.vcf" --json
	same "$(jq -r '.counts.records' "$T/out")" "196"
	same "$(jq -r '.counts.unannotated_records' "$T/out")" "196"
	contains "$T/out" '"sample":"TCGA-A2-A04W-01A-31D-A10Y-09_TCGA-A2-A04W-10A-01D-A110-09"'
	[ ! -s "$T/err" ] || { cat "$T/err" >&2; return 1; }
	expect_exit 0 "$OB" somatic --tumor-type COAD "$p/T001-COAD.grch37.vcf.gz" --json
	same "$(jq -r '.counts.records' "$T/out")" "3317"
}

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
run_tests
