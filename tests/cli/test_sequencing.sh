#!/usr/bin/env bash
# test_sequencing.sh - end to end: a sequencing result kept with its
# specimen (consent, access and audit checked), listed, and reported with
# the specimen's pre-analytical quality above the somatic interpretation;
# the demo network's results open as reports.

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
GENOME=(--fasta "$SRC/data/demo-genome/genome.fa" --gff "$SRC/data/demo-genome/genes.gff3")

# A network with a tumour (fresh frozen, 30 % tumour) and its DNA extract.
net() {
	"$OB" --db x.db site add NCC --kind center --name "National Cancer Center" >/dev/null
	"$OB" --db x.db site add REG01 --kind regional --parent NCC >/dev/null
	"$OB" --db x.db site add REG02 --kind regional --parent NCC >/dev/null
	"$OB" --db x.db donor add D1 --site REG01 --sex F --birth-year 1958 >/dev/null
	"$OB" --db x.db consent add D1 --site REG01 --form v3 --signed 2024-01-05 \
		--scope storage,research,genetic >/dev/null
	"$OB" --db x.db donor add D2 --site REG01 --sex M --birth-year 1960 >/dev/null
	"$OB" --db x.db consent add D2 --site REG01 --form v3 --signed 2024-01-05 \
		--scope storage,research >/dev/null
	TISSUE=$("$OB" --db x.db specimen add --site REG01 --donor D1 --type fresh_frozen \
		--quantity 120 --unit mg --collected-at 2024-03-01T10:00:00Z --pathology tumour \
		--tumour-pct 15)
	DNA=$("$OB" --db x.db specimen derive "$TISSUE" --type dna --quantity 20 --unit ug \
		--used 30 --concentration 120 --a260-280 1.62 --din 3.1)
	OTHER=$("$OB" --db x.db specimen add --site REG01 --donor D2 --type fresh_frozen \
		--quantity 80 --unit mg --collected-at 2024-03-02T10:00:00Z)
	# EGFR L858R and T790M in a lung adenocarcinoma, on the demo panel genome
	grep -v -e 'CASE=EGFR_EX19' -e KRAS -e BRAF -e MET -e PDGFRA -e BRCA1 -e PIK3CA \
		"$SRC/tests/data/somatic/cases.vcf" > luad.vcf
}

# serve_start - serves x.db on a port the system picks, logs in as the
# first-run administrator: URL, TOKEN, SRV_PID. serve_stop ends it.
serve_start() {
	serve_bg --db x.db serve --listen 127.0.0.1:0 --threads 2
	local pw=$ADMIN_PW
	[ -n "$pw" ] || { echo "no first-run password" >&2; cat srv.out srv.err >&2; return 1; }
	get /api/login -X POST -H 'Content-Type: application/json' \
		-d "{\"username\":\"admin\",\"password\":\"$pw\"}"
	TOKEN=$(jq -r .token "$T/body")
}
serve_stop() {
	kill "$SRV_PID"
	wait "$SRV_PID" || true
	trap - EXIT
}
# get PATH [CURL ARGS...] / post PATH JSON - status in CODE, body in $T/body
get() {
	local path=$1; shift
	CODE=$(curl -s -o "$T/body" -w '%{http_code}' "$@" "${URL%/}$path")
}
post() {
	get "$1" -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
		--data-binary "$2"
}

test_add_list_report() {
	net
	expect_exit 0 "$OB" --db x.db sequencing add "$DNA" --vcf luad.vcf --kind somatic \
		--assay "Lung panel" --genome demo --tumor-type LUAD --panel-size-mb 1.2
	contains "$T/out" "sequencing result 1 added to $DNA"
	expect_exit 0 "$OB" --db x.db sequencing list "$DNA" --json
	contains "$T/out" '"kind":"somatic"'
	contains "$T/out" '"tumor_type":"LUAD"'
	contains "$T/out" '"variants":2'
	expect_exit 0 "$OB" --db x.db sequencing report 1 "${GENOME[@]}" -o r.html
	# the specimen section: lineage, SPREC, extract quality and its flags
	contains r.html "Specimen and pre-analytical quality"
	contains r.html "Derived from</dt><dd>$TISSUE"
	contains r.html "DIN 3.1"
	contains r.html "DNA integrity number 3.1 is below 4"
	contains r.html "A260/280 ratio 1.62 is outside 1.7 to 2.1"
	contains r.html "tumour content 15% is below 20%"
	# the interpretation below it: sensitivity and resistance
	contains r.html "p.L858R"
	contains r.html "p.T790M"
	contains r.html "Osimertinib"
	expect_exit 0 "$OB" --db x.db sequencing report 1 "${GENOME[@]}" --json
	jq -e '.quality_flags | length == 3' "$T/out" > /dev/null
	jq -e '.result.sha256 | length == 64' "$T/out" > /dev/null
	jq -e '[.interpretation.biomarkers[].alteration] | index("p.L858R") != null' "$T/out" \
		> /dev/null
	same "$(sha256sum < luad.vcf | cut -d' ' -f1)" "$(jq -r .result.sha256 "$T/out")"
	expect_exit 0 "$OB" --db x.db audit verify
}

test_report_without_genome_reads_annotation() {
	net
	# already annotated: the report needs no reference
	"$OB" annotate "${GENOME[@]}" luad.vcf -o ann.vcf
	"$OB" --db x.db sequencing add "$DNA" --vcf ann.vcf --kind somatic --assay P --genome demo \
		--tumor-type LUAD > /dev/null
	expect_exit 0 "$OB" --db x.db sequencing report 1 --json
	jq -e '[.interpretation.biomarkers[].alteration] | index("p.T790M") != null' "$T/out" \
		> /dev/null
}

test_refusals_change_nothing() {
	net
	# no genetic consent
	expect_exit 4 "$OB" --db x.db sequencing add "$OTHER" --vcf luad.vcf --kind somatic \
		--assay P --genome demo --tumor-type LUAD
	contains "$T/err" "gave no consent to genetic research"
	# not a VCF, a bad kind, a somatic result without tumour type, an unknown barcode
	echo "chrom,pos" > bad.vcf
	expect_exit 2 "$OB" --db x.db sequencing add "$DNA" --vcf bad.vcf --kind somatic --assay P \
		--genome demo --tumor-type LUAD
	contains "$T/err" "bad.vcf:1: not VCF text"
	expect_exit 2 "$OB" --db x.db sequencing add "$DNA" --vcf luad.vcf --kind tumour --assay P \
		--genome demo
	contains "$T/err" "kind:"
	expect_exit 2 "$OB" --db x.db sequencing add "$DNA" --vcf luad.vcf --kind somatic --assay P \
		--genome demo
	contains "$T/err" "tumor_type:"
	expect_exit 3 "$OB" --db x.db sequencing add NOSUCH --vcf luad.vcf --kind germline --assay P \
		--genome demo
	# a withdrawn donor's material takes no new result
	"$OB" --db x.db consent withdraw D1 --site REG01 --reason "asked" --disposition keep > /dev/null
	expect_exit 4 "$OB" --db x.db sequencing add "$DNA" --vcf luad.vcf --kind somatic --assay P \
		--genome demo --tumor-type LUAD
	contains "$T/err" "withdrawn consent"
	same "$(sqlite3 x.db 'SELECT COUNT(*) FROM sequencing_result')" 0
	expect_exit 0 "$OB" --db x.db audit verify
}

# A malformed VCF is refused before it is stored, naming file, line and
# column (FILE:LINE: FIELD: message), on the command line (exit 2) and over
# HTTP (400, "field" the column); a result stored malformed (by an older
# version: written here into the database) makes its report fail the same
# way, naming the stored file rather than a temporary copy.
test_malformed_vcf_is_refused_naming_line_and_field() {
	net
	{ grep '^#' luad.vcf; grep -v '^#' luad.vcf | head -1
	  grep -v '^#' luad.vcf | head -1 | awk -F '\t' -v OFS='\t' '{ $2 = "abc"; print }'; } > bad.vcf
	local line
	line=$(wc -l < bad.vcf)
	expect_exit 2 "$OB" --db x.db sequencing add "$DNA" --vcf bad.vcf --kind somatic --assay P \
		--genome demo --tumor-type LUAD
	same "$(cat "$T/err")" "oncobank: bad.vcf:$line: POS: 'abc' is not a position (a whole number from 1)"
	{ grep '^#' luad.vcf; grep -v '^#' luad.vcf | head -1
	  grep -v '^#' luad.vcf | head -1 | awk -F '\t' -v OFS='\t' '{ $4 = "A*Z"; print }'; } > ref.vcf
	expect_exit 2 "$OB" --db x.db sequencing add "$DNA" --vcf ref.vcf --kind somatic --assay P \
		--genome demo --tumor-type LUAD
	contains "$T/err" "ref.vcf:$line: REF: 'A*Z' is not a sequence of bases"
	same "$(sqlite3 x.db 'SELECT COUNT(*) FROM sequencing_result')" 0

	serve_start
	local body
	body=$(jq -Rs '{kind: "somatic", assay: "P", genome: "demo", tumor_type: "LUAD",
		file_name: "tumour.vcf", vcf: .}' bad.vcf)
	post "/api/specimens/$DNA/sequencing" "$body"
	same "$CODE" 400
	same "$(jq -r .error.field "$T/body")" POS
	same "$(jq -r .error.message "$T/body")" \
		"tumour.vcf:$line: POS: 'abc' is not a position (a whole number from 1)"
	same "$(sqlite3 x.db 'SELECT COUNT(*) FROM sequencing_result')" 0

	# a result stored malformed: its report is a 400 naming the stored file
	post "/api/specimens/$DNA/sequencing" "$(jq -Rs '{kind: "somatic", assay: "P",
		genome: "demo", tumor_type: "LUAD", file_name: "tumour.vcf", vcf: .}' luad.vcf)"
	same "$CODE" 201
	sqlite3 x.db "UPDATE sequencing_result SET vcf = readfile('bad.vcf')"
	get /api/sequencing/1/report?format=json -H "Authorization: Bearer $TOKEN"
	same "$CODE" 400
	same "$(jq -r .error.field "$T/body")" POS
	same "$(jq -r .error.message "$T/body")" \
		"tumour.vcf:$line: POS: 'abc' is not a position (a whole number from 1)"
	serve_stop
	expect_exit 2 "$OB" --db x.db sequencing report 1 --json
	same "$(cat "$T/err")" "oncobank: tumour.vcf:$line: POS: 'abc' is not a position (a whole number from 1)"
}

test_access_by_role_and_site() {
	net
	"$OB" --db x.db sequencing add "$DNA" --vcf luad.vcf --kind somatic --assay P --genome demo \
		--tumor-type LUAD > /dev/null
	echo "password-for-tests" | "$OB" --db x.db user add res01 --site REG01 --role researcher \
		--password-stdin > /dev/null
	echo "password-for-tests" | "$OB" --db x.db user add tech02 --site REG02 --role technician \
		--password-stdin > /dev/null
	# a researcher reads the report, cannot add
	expect_exit 0 "$OB" --db x.db --user res01 sequencing report 1 --json
	expect_exit 6 "$OB" --db x.db --user res01 sequencing add "$DNA" --vcf luad.vcf \
		--kind somatic --assay P --genome demo --tumor-type LUAD
	# another region's technician sees neither the list nor the report: to
	# them the result and the specimen are as absent as ones that never were
	expect_exit 3 "$OB" --db x.db --user tech02 sequencing report 1
	same "$(cat "$T/err")" "oncobank: no sequencing result has id 1"
	expect_exit 3 "$OB" --db x.db --user tech02 sequencing list "$DNA"
	same "$(cat "$T/err")" "oncobank: no specimen has barcode '$DNA'"
	expect_exit 0 "$OB" --db x.db --user tech02 sequencing list --json
	same "$(cat "$T/out")" "[]"
	# refusals, and the probes answered "not found", are audited
	[ "$(sqlite3 x.db "SELECT COUNT(*) FROM audit_event WHERE action = 'denied'")" -ge 3 ]
	[ "$(sqlite3 x.db "SELECT COUNT(*) FROM audit_event WHERE action = 'denied' AND
		after LIKE '%\"target\":\"sequencing result 1\"%'")" -eq 1 ]
}

test_demo_results_open_as_reports() {
	OB_NOW=2025-01-15T09:00:00Z "$OB" --db d.db demo-data --scale 0.02 > summary
	contains summary "sequencing:"
	expect_exit 0 "$OB" --db d.db sequencing list --json --limit 1000
	local n ids id
	n=$(jq length "$T/out")
	[ "$n" -gt 5 ]
	# every stored result of the demo makes a report
	ids=$(jq -r '.[].id' "$T/out")
	for id in $ids; do
		"$OB" --db d.db sequencing report "$id" "${GENOME[@]}" --json > rep.json \
			|| { echo "report $id failed" >&2; return 1; }
		jq -e '.interpretation' rep.json > /dev/null
	done
	# a somatic result with a variant names its biomarker
	id=$(sqlite3 d.db "SELECT id FROM sequencing_result WHERE kind = 'somatic' AND variants > 0
		ORDER BY id LIMIT 1")
	"$OB" --db d.db sequencing report "$id" "${GENOME[@]}" --json > rep.json
	jq -e '.interpretation.biomarkers | length >= 1' rep.json > /dev/null
	# a germline result's page: its title, then the identifiers, then the specimen section
	id=$(sqlite3 d.db "SELECT id FROM sequencing_result WHERE kind = 'germline' ORDER BY id LIMIT 1")
	"$OB" --db d.db sequencing report "$id" "${GENOME[@]}" -o g.html
	local h1 sec
	h1=$(grep -bo 'Germline variant report' g.html | head -1 | cut -d: -f1)
	sec=$(grep -bo 'Specimen and pre-analytical quality' g.html | head -1 | cut -d: -f1)
	[ -n "$h1" ] && [ -n "$sec" ] && [ "$h1" -lt "$sec" ]
	contains g.html "Donor</dt><dd>"
	expect_exit 0 "$OB" --db d.db audit verify
}

. "$(dirname "$0")/lib.sh"
run_tests
