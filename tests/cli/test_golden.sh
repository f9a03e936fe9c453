#!/usr/bin/env bash
# test_golden.sh - golden outputs: every read command of the command line
# (text and --json), the output of the write commands, a few refusals, and
# the body and status of every GET route of the API and of the POST routes
# once each, on a small database built from scratch, compared byte for byte
# with the files of tests/data/golden/ (README.md there). They were taken
# from the code as it was before the specimen/donor/container field table
# was shared: a refactor must leave them unchanged. OB_GOLDEN_UPDATE=1
# rewrites them instead of comparing.
#
# The clock is fixed (OB_NOW) and so is the acting user (OB_USER); barcodes
# are given or made from the bank's serial, so nearly everything is stable
# as it is. What still changes from run to run is normalised (normalise).

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
GOLDEN=$HERE/../data/golden
GENOME=(--fasta "$SRC/data/demo-genome/genome.fa" --gff "$SRC/data/demo-genome/genes.gff3")
ADMIN_PASSWORD=golden-admin-password
export OB_NOW=2025-01-15T09:00:00Z OB_USER=curator TZ=UTC LC_ALL=C
unset OB_DB OB_WAIT

# A barcode: BODY and its ISO 7064 MOD 37,36 check character.
bc() {
	awk -v body="$1" 'BEGIN {
		A = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"; p = 36
		for (j = 1; j <= length(body); j++) {
			s = (p + index(A, substr(body, j, 1)) - 1) % 36
			if (s == 0) s = 36
			p = (s * 2) % 37
		}
		printf "%s%s\n", body, substr(A, (37 - p) % 36 + 1, 1)
	}'
}

# Fixed barcodes of the primary specimens.
PLASMA=$(bc GLD0001)
FFPE=$(bc GLD0002)
TISSUE=$(bc GLD0003)
SERUM=$(bc GLD0004)
BLOOD=$(bc GLD0005)
URINE=$(bc GLD0006)

# --- capture ---------------------------------------------------------------

# section TEXT - a heading in the capture.
section() { printf '=== %s\n' "$1" >> "$T/cap"; }

# put FILE - appends FILE to the capture, marking a last line without newline.
put() {
	cat "$1" >> "$T/cap"
	if [ -s "$1" ] && [ -n "$(tail -c 1 "$1")" ]; then
		printf '\n\\ no newline at end\n' >> "$T/cap"
	fi
}

# quote ARG... - the arguments as a shell would take them back, each after a
# space: single-quoted when they hold anything but [A-Za-z0-9_./:=,+-].
quote() {
	local a
	for a in "$@"; do
		a=${a//"$SRC"/<src>}
		if [[ -n $a && $a != *[!A-Za-z0-9_./:=,+-]* ]]; then
			printf ' %s' "$a"
		else
			printf " '%s'" "${a//\'/\'\\\'\'}"
		fi
	done
}

# file FILE - appends a file a command wrote, under its name.
file() {
	printf -- '--- %s\n' "$1" >> "$T/cap"
	put "$1"
	echo >> "$T/cap"
}

# ob ARG... - runs oncobank on x.db; appends the command line, its exit
# status, its stdout and its stderr (when any) to the capture. The stdout
# is also left in $T/o.
ob() {
	local rc=0
	"$OB" --db x.db "$@" > "$T/o" 2> "$T/e" || rc=$?
	printf '$ oncobank%s\n[exit %d]\n' "$(quote "$@")" "$rc" >> "$T/cap"
	put "$T/o"
	if [ -s "$T/e" ]; then
		echo '--- stderr' >> "$T/cap"
		put "$T/e"
	fi
	echo >> "$T/cap"
}

# obin FILE ARG... - ob with FILE on standard input.
obin() {
	local f=$1; shift
	ob "$@" < "$f"
}

# normalise - stdin to stdout with what changes from run to run replaced:
# session tokens, the private copy a report reads a stored VCF from, the
# real date in "is in the future (today is ...)" (the later of OB_NOW and
# the clock), and the server's timings and database size in /metrics.
normalise() {
	sed -E \
		-e 's/"token":"[0-9a-f]{64}"/"token":"<token>"/g' \
		-e 's/oncobank-result-[A-Za-z0-9]{6}\.vcf/oncobank-result-<tmp>.vcf/g' \
		-e 's/\(today is [0-9]{4}-[0-9]{2}-[0-9]{2}\)/(today is <date>)/g' \
		-e 's/^(oncobank_http_request_duration_seconds_(bucket\{[^}]*\}|sum)) .*/\1 <n>/' \
		-e 's/^oncobank_db_size_bytes .*/oncobank_db_size_bytes <n>/'
}

# golden NAME - compares the normalised capture with $GOLDEN/NAME.txt: when
# they differ, a unified diff, where the first difference is (lines of JSON
# are long) and failure. OB_GOLDEN_UPDATE=1 rewrites the file instead.
golden() {
	local want=$GOLDEN/$1.txt got=$T/$1.txt at
	normalise < "$T/cap" > "$got"
	if [ "${OB_GOLDEN_UPDATE:-}" = 1 ]; then
		mkdir -p "$GOLDEN"
		cp "$got" "$want"
		return 0
	fi
	[ -f "$want" ] || { echo "no golden $1.txt (OB_GOLDEN_UPDATE=1 makes it)" >&2; return 1; }
	cmp -s "$want" "$got" && return 0
	diff -u "$want" "$got" >&2 || true
	at=$(cmp "$want" "$got" 2>&1 | sed -n 's/.* line \([0-9]*\).*/\1/p')
	if [ -n "$at" ]; then
		awk -v l="$at" 'NR == FNR { if (FNR == l) a = $0; next }
			FNR == l { b = $0; for (i = 1; i <= length(a) && substr(a, i, 1) == substr(b, i, 1); i++);
				s = i > 60 ? i - 60 : 1
				printf "first difference: line %d, column %d\n  golden: ...%s\n  now:    ...%s\n",
					l, i, substr(a, s, 120), substr(b, s, 120) }' "$want" "$got" >&2
	fi
	echo "the output differs from tests/data/golden/$1.txt" >&2
	return 1
}

# --- the database ----------------------------------------------------------

# build - the database x.db in the current directory, from scratch with
# the command line; the output of every write is in the capture.
build() {
	section "network"
	ob init
	ob site add NCC --kind center --name "National Cancer Center"
	ob site add SUB1 --kind sub-center --parent NCC --name "Sub-center One"
	ob site add REG01 --kind regional --parent SUB1
	ob site add REG02 --kind regional --parent NCC --name "Regional Two"
	ob site add HOS01 --kind hospital --parent REG01 --name "Hospital One, North"
	obin <(echo "$ADMIN_PASSWORD") user add admin --role administrator --password-stdin
	obin <(echo "tech01-password") user add tech01 --site REG01 --role technician --password-stdin
	obin <(echo "res02-password") user add res02 --site REG02 --role researcher --password-stdin

	section "donors"
	ob donor add D1 --site REG01 --sex F --birth-year 1968
	ob donor add D2 --site REG01 --sex male --birth-year 1960
	ob donor add D3 --site REG02 --sex unknown
	ob donor add D4 --site HOS01 --sex other --birth-year 1975
	ob donor diagnose D1 --site REG01 --topography C50.9 --morphology 8500/3 --date 2023-12-01
	ob donor diagnose D2 --site REG01 --topography C34.1 --morphology 8140/3
	ob donor diagnose D2 --site REG01 --topography C78.0 --morphology 8140/6 --date 2024-02-10
	ob consent add D1 --site REG01 --form v3 --signed 2024-01-05 \
		--scope storage,research,genetic,sharing
	ob consent add D2 --site REG01 --form v3 --signed 2024-01-06 --scope storage,research,genetic
	ob consent add D3 --site REG02 --form v2.1 --signed 2023-11-20 --scope storage,research
	ob consent add D4 --site HOS01 --form v3 --signed 2024-02-01 --scope storage,research,recontact

	section "containers"
	ob container add FRZ1 --kind freezer --site REG01 --temperature -80 --name "Upright 1"
	ob container add R1 --kind rack --parent FRZ1
	ob container add BOX1 --kind box --parent R1 --rows 9 --cols 9 --name "Plasma box"
	ob container add BOX2 --kind box --parent R1 --rows 2 --cols 3 --scheme 1
	ob container add SHELF1 --kind shelf --parent FRZ1
	ob container add FRZ2 --kind freezer --site REG02 --temperature -20
	ob container add BOX9 --kind box --parent FRZ2 --rows 4 --cols 4 --scheme 1-1

	section "specimens"
	ob specimen add --barcode "$PLASMA" --label "P-1" --site REG01 --donor D1 --type plasma \
		--quantity 4 --unit ml --collected-at 2024-03-01T08:30:00Z --pathology normal \
		--collection PED --precentrifugation 90 --precentrifugation-temp RT \
		--centrifugation 20/10/2000/brake --second-centrifugation none \
		--postcentrifugation 30 --postcentrifugation-temp 2-10 --vessel cryotube_1_2ml \
		--container BOX1 --position A1
	ob specimen add --barcode "$FFPE" --label "FFPE, block 1" --site REG01 --donor D2 \
		--type ffpe_block --quantity 1 --unit block --collected-at 2024-02-10T10:00:00Z \
		--pathology tumour --tumour-pct 60 --anatomic-site C34.1 --collection SRG \
		--warm-ischaemia 10 --cold-ischaemia 30 --fixation NBF --fixation-time 1440
	ob specimen add --barcode "$TISSUE" --site REG01 --donor D1 --type fresh_frozen \
		--quantity 120 --unit mg --collected-at 2024-03-01T10:00:00Z --pathology tumour \
		--tumour-pct 35 --anatomic-site C50.9 --container BOX1 --position B1
	ob specimen add --barcode "$SERUM" --site REG01 --donor D2 --type serum --quantity 2 \
		--unit ml --collected-at 2024-03-02 --sprec SER-SST-A-B-N-A-D --container BOX2 \
		--position 1
	ob specimen add --barcode "$BLOOD" --site REG02 --donor D3 --type whole_blood \
		--quantity 8 --unit ml --collected-at 2024-01-10T07:45:00Z --container BOX9 --position 2-3
	ob specimen add --barcode "$URINE" --site HOS01 --donor D4 --type urine --donor-site HOS01
	ob specimen add --site REG01 --donor D1 --type saliva --quantity 2 --unit ml
	ob specimen aliquot "$PLASMA" --quantity 0.5 --unit ml --count 3 --container BOX1 \
		--positions A2,A3,A4
	ALIQ=$(cat "$T/o")
	ob specimen derive "$TISSUE" --type dna --quantity 50 --unit ul --used 30 \
		--concentration 35 --a260-280 1.82 --din 7.4
	DNA=$(cat "$T/o")
	ob specimen derive "$TISSUE" --type rna --quantity 20 --unit ul --used 20 \
		--concentration 120 --a260-280 2.05 --rin 8.1
	RNA=$(cat "$T/o")
	ob specimen aliquot "$BLOOD" --quantity 1 --unit ml

	section "changes"
	set -- $ALIQ
	A1=$1 A2=$2 A3=$3
	ob container move "$A3" BOX2 3
	ob container move "$DNA" BOX2 2
	ob container move "$A2" --out
	ob container swap "$PLASMA" "$TISSUE"
	ob specimen status "$A1" reserved --reason "project P-12"
	ob specimen status "$A2" distributed --reason "project P-12"
	ob specimen status "$SERUM" missing
	ob specimen thaw "$PLASMA"
	ob specimen thaw "$PLASMA"
	ob consent withdraw D3 --site REG02 --reason "donor asked" --date 2024-06-01 \
		--disposition keep

	section "sequencing"
	grep -v -e 'CASE=EGFR_EX19' -e KRAS -e BRAF -e MET -e PDGFRA -e BRCA1 -e PIK3CA \
		"$SRC/tests/data/somatic/cases.vcf" > luad.vcf
	ob sequencing add "$DNA" --vcf luad.vcf --kind somatic --assay "Lung panel" --genome demo \
		--tumor-type LUAD --panel-size-mb 1.2 --msi stable

	section "import"
	cat > i_sites.csv <<-EOF
		code,name,kind,parent
		HOS02,"Hospital Two",hospital,REG02
	EOF
	cat > i_donors.csv <<-EOF
		site,donor,sex,birth_year
		HOS02,D5,female,1980
		HOS02,D6,,
	EOF
	cat > i_diagnoses.csv <<-EOF
		site,donor,topography,morphology,diagnosed_on
		HOS02,D5,C18.7,8140/3,2024-04-01
	EOF
	cat > i_consents.csv <<-EOF
		site,donor,form_version,signed_on,scope,withdrawn_on,withdrawn_by,withdrawal_reason
		HOS02,D5,v2.1,2024-04-02,storage;research;genetic,,,
		HOS02,D6,v2.1,2024-04-03,"storage, research",2024-05-01,,moved abroad
	EOF
	cat > i_containers.csv <<-EOF
		barcode,name,kind,site,parent,temperature,rows,cols,scheme
		LN2-1,Tank 1,ln2_tank,HOS02,,-196,,,
		BOX-I,Imported box,box,,LN2-1,,5,5,A1
	EOF
	cat > i_specimens.csv <<-EOF
		barcode,label,donor,site,type,collected_at,quantity,unit,parent_barcode,container,position,sprec,pathology,tumour_pct,anatomic_site
		$(bc GLDI001),I-1,D5,HOS02,ffpe_block,02-04-2024,1,block,,,,,tumour,45,C18.7
		$(bc GLDI002),"I-2, plasma",D5,HOS02,plasma,2024-04-02T09:15:00Z,3,ml,,BOX-I,A1,,normal,,
		$(bc GLDI003),I-3,,,plasma,2024-04-02T09:15:00Z,1,ml,$(bc GLDI002),BOX-I,A2,,,,
	EOF
	ob import sites i_sites.csv
	ob import donors i_donors.csv
	ob import diagnoses i_diagnoses.csv
	ob import consents i_consents.csv --signed-only
	ob import containers i_containers.csv
	ob import specimens i_specimens.csv
	ob import consents i_consents.csv --withdrawals-only
	ob audit verify
	printf '%s\n' "$ALIQ" > aliquots
	printf 'DNA=%s\nRNA=%s\n' "$DNA" "$RNA" > derived
}

FIX=$(mktemp -d)
trap 'rm -rf "$FIX"' EXIT
# A sanitizer build's server that drew a label keeps fontconfig's caches to
# its end (the label command frees them: ob_label_cleanup); that library's
# memory is not what a report of a leak here is about.
echo 'leak:libfontconfig.so' > "$FIX/lsan.supp"
export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$FIX/lsan.supp:print_suppressions=0"
( set -e; T=$FIX; cd "$FIX"; build ) > "$FIX/build.log" 2>&1 && touch "$FIX/built"

# use_fixture - x.db and the names of the generated barcodes in the test's
# directory (ALIQ, DNA, RNA).
use_fixture() {
	[ -f "$FIX/built" ] || { echo "the database was not built:" >&2; cat "$FIX/build.log" >&2; return 1; }
	cp "$FIX/x.db" "$FIX/luad.vcf" .
	ALIQ=$(cat "$FIX/aliquots")
	. "$FIX/derived"
	: > "$T/cap"
}

test_cli_write() {
	use_fixture
	cp "$FIX/cap" "$T/cap"
	golden cli_write
}

# Every specimen's barcode, oldest first.
all_specimens() {
	"$OB" --db x.db export specimens | tail -n +2 | cut -d, -f1
}

test_cli_site_user() {
	use_fixture
	ob site list
	ob site list --json
	ob site list --under SUB1
	ob site list --under REG02 --json
	ob user list
	ob user list --json
	golden cli_site_user
}

test_cli_donor() {
	use_fixture
	ob donor list
	ob donor list --json
	ob donor list --site REG01
	ob donor list --site SUB1 --json
	local d
	for d in REG01:D1 REG01:D2 REG02:D3 HOS01:D4 HOS02:D5 HOS02:D6; do
		ob donor show "${d#*:}" --site "${d%:*}"
		ob donor show "${d#*:}" --site "${d%:*}" --json
	done
	golden cli_donor
}

test_cli_specimen_show() {
	use_fixture
	local b
	for b in $(all_specimens); do
		ob specimen show "$b"
		ob specimen show "$b" --json
	done
	golden cli_specimen_show
}

test_cli_specimen_find() {
	use_fixture
	ob specimen find
	ob specimen find --json
	ob specimen find --count
	ob specimen find --site REG01
	ob specimen find --site SUB1 --json
	ob specimen find --type plasma
	ob specimen find --status available --count
	ob specimen find --topography C50
	ob specimen find --morphology 8140 --json
	ob specimen find --consent genetic,sharing
	ob specimen find --container BOX1 --json
	ob specimen find --container FRZ1
	ob specimen find --donor D1
	ob specimen find --pathology tumour --json
	ob specimen find --limit 3 --offset 2
	ob specimen find --limit 2 --offset 1 --json
	ob specimen find --type dna --site REG02 --json
	golden cli_specimen_find
}

test_cli_container() {
	use_fixture
	ob container list
	ob container list --json
	ob container list --site REG02
	ob container list --under R1 --json
	local c
	for c in FRZ1 R1 BOX1 BOX2 SHELF1 FRZ2 BOX9 LN2-1 BOX-I; do
		ob container show "$c"
		ob container show "$c" --json
	done
	for c in FRZ1 BOX2 FRZ2 LN2-1; do
		ob container report "$c"
		ob container report "$c" --json
	done
	golden cli_container
}

test_cli_export() {
	use_fixture
	local k
	for k in sites donors diagnoses consents containers specimens; do
		ob export "$k"
		ob export "$k" --format json
	done
	ob export specimens --site SUB1
	ob export specimens --type plasma --format json
	ob export specimens --status available
	ob export specimens --container FRZ1 --format json
	ob export specimens --donor D2
	ob export donors -o donors.csv
	file donors.csv
	golden cli_export
}

test_cli_sequencing() {
	use_fixture
	ob sequencing list
	ob sequencing list --json
	ob sequencing list "$DNA"
	ob sequencing list "$DNA" --json --limit 5
	ob sequencing report 1 "${GENOME[@]}" --json
	ob sequencing report 1 "${GENOME[@]}"
	golden cli_sequencing
}

test_cli_audit() {
	use_fixture
	ob audit verify
	ob audit anchor head.txt
	file head.txt
	ob audit verify --anchor head.txt
	section "audit_event (the trail as stored)"
	sqlite3 -header x.db "SELECT seq, at, actor, site, action, entity, entity_id, entity_key,
		before, after, prev_hash, hash FROM audit_event ORDER BY seq" >> "$T/cap"
	golden cli_audit
}

# Labels: PDFs as their text, PNGs by their SHA-256.
test_cli_label() {
	command -v pdftotext > /dev/null || { echo "pdftotext is missing"; return 77; }
	use_fixture
	ob label "$PLASMA" -o p.pdf
	pdftotext -layout p.pdf p.txt
	file p.txt
	ob label "$FFPE" --symbology code128 -o f.pdf
	pdftotext -layout f.pdf f.txt
	file f.txt
	ob label --box BOX1 -o b.pdf
	pdftotext -layout b.pdf b.txt
	file b.txt
	ob label "$DNA" --format png -o d.png
	sha256sum d.png >> "$T/cap"
	golden cli_label
}

test_refusals() {
	use_fixture
	set -- $ALIQ
	ob specimen add --site REG01 --donor D1 --type blood_pudding
	ob specimen add --site REG01 --donor D1 --type serum --quantity 1 --unit block
	ob specimen add --site REG01 --donor D1 --type serum --barcode GLD0001X
	ob specimen add --site REG01 --donor D1 --type serum --barcode "$PLASMA"
	ob specimen add --site REG01 --donor D1 --type serum --container BOX1 --position A2
	ob specimen add --site REG01 --donor D9 --type serum
	ob specimen add --site REG02 --donor D3 --type serum
	ob specimen show NOPE1
	ob specimen show "$(bc GLD9999)"
	ob specimen aliquot "$BLOOD" --quantity 1 --unit ml
	ob specimen aliquot "$PLASMA" --quantity 10 --unit ml
	ob specimen derive "$FFPE" --type dna --quantity 1 --unit ug --used 5
	ob specimen derive "$TISSUE" --type dna --quantity 1 --unit ul --rin 12
	ob specimen status "$2" reserved
	ob specimen status "$BLOOD" distributed
	ob specimen find --site NOWHERE
	ob specimen find --type gravel
	ob container move "$3" BOX1 B1
	ob container move "$2" BOX1 A9
	ob container move "$3" BOX1 Z99
	ob container show NOBOX
	ob container add BOX1 --kind box --parent R1 --rows 1 --cols 1
	ob donor show D9 --site REG01
	ob donor add D1 --site REG01
	ob consent add D1 --site REG01 --form v4 --signed 2199-01-01 --scope storage
	ob export things
	ob sequencing report 99
	ob --user res02 specimen add --site REG02 --donor D3 --type serum
	ob --user tech01 specimen show "$BLOOD"
	ob --user tech01 specimen find --count
	printf 'barcode,donor,site,type,quantity,unit,parent_barcode\n' > bad.csv
	printf ',D1,REG01,serum,1,ml,\n' >> bad.csv
	printf ',D1,REG01,blood_orange,1,ml,\n' >> bad.csv
	printf ',D1,REG01,serum,lots,ml,\n' >> bad.csv
	printf ',D1,REG01,serum,1,ml,%s\n' "$(bc GLD9999)" >> bad.csv
	printf ',D1,REG01,serum,1,ml,%s\n' "$PLASMA" >> bad.csv
	ob import specimens bad.csv
	printf 'barcode,donor,site,type\n,D1,REG01,"ser"um\n,D1,REG01\n' > syntax.csv
	ob import specimens syntax.csv
	printf 'site,donor,topography,morphology,date\nREG01,D1,C50.9,8500/3,2024-01-01\n' > col.csv
	ob import diagnoses col.csv
	ob audit verify
	golden refusals
}

# --- the API ----------------------------------------------------------------

# serve_start - serves x.db (a port the system picks) and logs in as the
# administrator: URL, TOKEN.
serve_start() {
	serve_bg --db x.db serve --listen 127.0.0.1:0 --threads 2
	TOKEN=$(curl -s -H 'Content-Type: application/json' \
		-d "{\"username\":\"admin\",\"password\":\"$ADMIN_PASSWORD\"}" "${URL%/}/api/login" |
		jq -r .token)
	[ ${#TOKEN} -eq 64 ] || { echo "no login" >&2; cat srv.out srv.err >&2; return 1; }
}
# serve_stop - stops the server; fails when a sanitizer reported in it.
serve_stop() {
	kill "$SRV_PID"
	wait "$SRV_PID" || true
	trap - EXIT
	! grep -E 'Sanitizer|runtime error' srv.err >&2
}

# http METHOD PATH [--anon] [--sort] [CURL ARG...] - one request with the
# administrator's token (none with --anon; another when the arguments give
# an Authorization header of their own); appends
# the request, the status line, the headers but Date and the body to the
# capture. A body that is not text is given as its size and SHA-256, a PDF
# as its text (pdftotext). --sort sorts the lines of the body and leaves out
# its length, for /metrics, whose series come in no fixed order and whose
# timings are normalised. The body is also left in $T/b.
http() {
	local m=$1 path=$2 auth=(-H "Authorization: Bearer $TOKEN") sorted='' a ct
	shift 2
	if [ "${1:-}" = --anon ]; then
		auth=()
		shift
	fi
	if [ "${1:-}" = --sort ]; then
		sorted=1
		shift
	fi
	for a in "$@"; do
		case $a in Authorization:*) auth=() ;; esac
	done
	curl -s --path-as-is -X "$m" "${auth[@]}" -D "$T/h" -o "$T/b" "$@" "${URL%/}$path" \
		|| { echo "curl failed: $m $path" >&2; return 1; }
	printf '%s %s\n' "$m" "$path" >> "$T/cap"
	# the OpenAPI document is compared with its source below, so its length
	# (which grows with every route added) is not pinned here
	tr -d '\r' < "$T/h" | grep -vi '^date:' | sed '/^$/d' |
		if [ -n "$sorted" ] || cmp -s "$T/b" "$SRC/src/http/openapi.json"; then
			grep -vi '^content-length:'
		else cat; fi >> "$T/cap"
	if [ -n "$sorted" ]; then
		LC_ALL=C sort "$T/b" > "$T/sorted"
		mv "$T/sorted" "$T/b"
	fi
	ct=$(tr -d '\r' < "$T/h" | sed -n 's/^[Cc]ontent-[Tt]ype: *//p')
	echo '--- body' >> "$T/cap"
	if cmp -s "$T/b" "$SRC/src/http/openapi.json"; then
		echo '(src/http/openapi.json, byte for byte)' >> "$T/cap"
	else
		case $ct in
		application/pdf*)
			pdftotext -layout "$T/b" - >> "$T/cap" ;;
		application/json*|text/*)
			put "$T/b" ;;
		*)
			printf '%s bytes, sha256 %s\n' "$(wc -c < "$T/b")" \
				"$(sha256sum < "$T/b" | cut -d' ' -f1)" >> "$T/cap" ;;
		esac
	fi
	echo >> "$T/cap"
}

# post PATH JSON [CURL ARG...]
post() {
	local path=$1 body=$2
	shift 2
	http POST "$path" -H 'Content-Type: application/json' --data-binary "$body" "$@"
}

test_http_get() {
	command -v pdftotext > /dev/null || { echo "pdftotext is missing"; return 77; }
	use_fixture
	serve_start
	local b c k
	http GET /api/me
	http GET /api/users
	http GET /api/sites
	http GET '/api/sites?under=SUB1'
	http GET /api/donors
	http GET '/api/donors?site=REG01'
	for b in REG01/D1 REG01/D2 REG02/D3 HOS01/D4 HOS02/D5 HOS02/D6; do
		http GET "/api/donors/$b"
	done
	http GET /api/specimens
	http GET '/api/specimens?site=SUB1'
	http GET '/api/specimens?type=plasma'
	http GET '/api/specimens?status=available'
	http GET '/api/specimens?topography=C50'
	http GET '/api/specimens?morphology=8140'
	http GET '/api/specimens?consent=genetic,sharing'
	http GET '/api/specimens?consent=genetic&consent=sharing'
	http GET '/api/specimens?container=FRZ1'
	http GET '/api/specimens?donor=D1'
	http GET '/api/specimens?pathology=tumour'
	http GET '/api/specimens?lineage=aliquot'
	http GET '/api/specimens?limit=2&offset=3'
	for b in $(all_specimens); do
		http GET "/api/specimens/$b"
	done
	http GET "/api/specimens/$DNA/sequencing"
	http GET "/api/specimens/$TISSUE/sequencing"
	http GET /api/sequencing
	http GET '/api/sequencing?limit=1'
	http GET '/api/sequencing/1/report?format=json'
	http GET '/api/sequencing/1/report'
	http GET /api/containers
	http GET '/api/containers?site=REG02'
	http GET '/api/containers?under=R1'
	for c in FRZ1 R1 BOX1 BOX2 SHELF1 FRZ2 BOX9 LN2-1 BOX-I; do
		http GET "/api/containers/$c"
	done
	for c in FRZ1 BOX2 FRZ2 LN2-1; do
		http GET "/api/containers/$c/report"
	done
	for k in sites donors diagnoses consents containers specimens; do
		http GET "/api/export/$k"
		http GET "/api/export/$k?format=json"
	done
	http GET '/api/export/specimens?site=SUB1&type=plasma'
	http GET '/api/export/specimens?status=available&format=json'
	http GET '/api/export/specimens?container=FRZ1&pathology=normal'
	http GET '/api/export/specimens?donor=D2&lineage=primary&format=json'
	http GET '/api/export/specimens?topography=C50&morphology=8500&consent=genetic'
	http GET "/api/labels/specimens/$PLASMA"
	http GET "/api/labels/specimens/$DNA?symbology=code128"
	http GET "/api/labels/specimens/$PLASMA?format=png"
	http GET /api/labels/containers/BOX1
	http GET /api/sprec/PL1-PED-A-B-N-A-D
	http GET '/api/sprec/TIS-SRG-C-E-NBF-F-X?version=3.0'
	http GET /api/stats
	http GET '/api/stats?recent=3'
	http GET /api/audit/head
	http GET /healthz --anon
	http GET /api/openapi.json --anon
	# a regional technician sees the part of the network below REG01
	local tech
	tech=$(curl -s -H 'Content-Type: application/json' \
		-d '{"username":"tech01","password":"tech01-password"}' "${URL%/}/api/login" | jq -r .token)
	http GET /api/me -H "Authorization: Bearer $tech"
	http GET /api/specimens -H "Authorization: Bearer $tech"
	http GET /api/donors -H "Authorization: Bearer $tech"
	http GET /api/containers -H "Authorization: Bearer $tech"
	http GET '/api/export/specimens?format=json' -H "Authorization: Bearer $tech"
	http GET /api/stats -H "Authorization: Bearer $tech"
	http GET "/api/specimens/$BLOOD" -H "Authorization: Bearer $tech"
	http GET /metrics --anon --sort
	serve_stop
	golden http_get
}

test_http_post() {
	use_fixture
	serve_start
	set -- $ALIQ
	local vcf
	section "auth and accounts"
	http POST /api/login --anon -H 'Content-Type: application/json' \
		--data-binary '{"username":"tech01","password":"tech01-password"}'
	local tech
	tech=$(jq -r .token "$T/b")
	post /api/me/password '{"current_password":"tech01-password","password":"tech01-password-2"}' \
		-H "Authorization: Bearer $tech"
	http POST /api/login --anon -H 'Content-Type: application/json' \
		--data-binary '{"username":"tech01","password":"tech01-password-2"}'
	tech=$(jq -r .token "$T/b")
	http GET /api/me -H "Authorization: Bearer $tech"
	http POST /api/logout -H "Authorization: Bearer $tech"
	http GET /api/me -H "Authorization: Bearer $tech"
	post /api/users '{"username":"path01","site":"REG01","role":"pathologist","password":"path01-password"}'
	post /api/users/path01/disable '{}'
	http GET /api/users

	section "network and donors"
	post /api/sites '{"code":"HOS03","name":"Hospital Three","kind":"hospital","parent":"REG02"}'
	post /api/donors '{"site":"REG01","code":"D7","sex":"female","birth_year":1971}'
	post /api/donors/REG01/D7/diagnoses '{"topography":"C56.9","morphology":"8441/3","date":"2024-05-01"}'
	post /api/donors/REG01/D7/consents \
		'{"form_version":"v3","signed_on":"2024-05-02","scope":["storage","research","genetic"]}'
	post /api/donors/HOS01/D4/withdrawal '{"reason":"moved away","date":"2024-07-01","disposition":"data_only"}'
	http GET /api/donors/REG01/D7

	section "containers and specimens"
	post /api/containers '{"barcode":"BOX3","name":"Serum box","kind":"box","parent":"R1","rows":3,"cols":3,"scheme":"A1"}'
	post /api/specimens "{\"barcode\":\"$(bc GLDH001)\",\"label\":\"H-1\",\"site\":\"REG01\",
		\"donor\":\"D7\",\"type\":\"serum\",\"quantity\":3,\"unit\":\"ml\",
		\"collected_at\":\"2024-05-03T08:00:00Z\",\"collection\":\"SST\",
		\"precentrifugation_min\":45,\"precentrifugation_temp\":\"RT\",
		\"centrifugation\":\"20/10/2000/brake\",\"second_centrifugation\":\"none\",
		\"postcentrifugation_min\":20,\"postcentrifugation_temp\":\"2-10\",
		\"vessel\":\"cryotube_1_2ml\",\"container\":\"BOX3\",\"position\":\"A1\"}"
	post "/api/specimens/$(bc GLDH001)/aliquots" \
		'{"quantity":0.5,"unit":"ml","count":2,"container":"BOX3","positions":["B1","B2"],"label":"H-1a"}'
	post "/api/specimens/$TISSUE/derivatives" \
		'{"type":"cfdna","quantity":10,"unit":"ul","used":5,"concentration":2.5,"a260_280":1.9,"din":6.2,"container":"BOX3","position":"C3"}'
	post "/api/specimens/$URINE/move" '{"container":"BOX3","position":"C1"}'
	post "/api/specimens/$1/status" '{"status":"in_transit","reason":"to the lab"}'
	post "/api/specimens/$RNA/thaw" '{}'
	post /api/specimens/swap "{\"a\":\"$URINE\",\"b\":\"$(bc GLDH001)\"}"
	post /api/containers/BOX2/empty '{"into":"BOX3"}'
	vcf=$(jq -Rs '{kind: "somatic", assay: "Lung panel", genome: "demo", tumor_type: "LUAD",
		panel_size_mb: 1.2, msi: "high", file_name: "tumour.vcf", vcf: .}' luad.vcf)
	post "/api/specimens/$RNA/sequencing" "$vcf"
	http GET "/api/specimens/$(bc GLDH001)"
	http GET "/api/specimens/$TISSUE"
	http GET /api/containers/BOX3

	section "import"
	local csv
	for csv in \
		"sites|code,name,kind,parent\nHOS04,Hospital Four,hospital,REG01\n" \
		"donors|site,donor,sex,birth_year\nHOS04,D8,male,1950\n" \
		"diagnoses|site,donor,topography,morphology,diagnosed_on\nHOS04,D8,C61.9,8140/3,2024-06-01\n" \
		"consents|site,donor,form_version,signed_on,scope\nHOS04,D8,v3,2024-06-02,storage;research\n" \
		"containers|barcode,name,kind,site,parent,temperature,rows,cols,scheme\nFRZ4,,freezer,HOS04,,-80,,,\nBOX4,,box,,FRZ4,,2,2,1-1\n" \
		"specimens|barcode,label,donor,site,type,collected_at,quantity,unit,container,position\n$(bc GLDJ001),J-1,D8,HOS04,urine,01-06-2024,20,ml,BOX4,1-2\n"; do
		printf "${csv#*|}" > imp.csv
		http POST "/api/import/${csv%%|*}?date_order=dmy" -H 'Content-Type: text/csv' \
			--data-binary @imp.csv
	done
	printf 'site,donor,form_version,signed_on,scope,withdrawn_on,withdrawn_by,withdrawal_reason\nHOS04,D8,v3,2024-06-02,storage;research,2024-08-01,,no longer wishes\n' > imp.csv
	http POST '/api/import/consents?consent_phase=withdrawals' -H 'Content-Type: text/csv' \
		--data-binary @imp.csv

	section "refusals"
	http GET /api/specimens --anon
	http GET "/api/specimens/$(bc GLD9999)"
	http GET /api/specimens/NOPE1
	http GET /api/donors/REG01/D99
	http GET /api/containers/NOBOX
	http GET /api/export/things
	http GET '/api/specimens?type=gravel'
	http GET /api/no/such/route
	post /api/specimens '{"site":"REG01","donor":"D1","type":"blood_pudding"}'
	post /api/specimens '{"site":"REG01","donor":"D1","type":"serum","container":"BOX1","position":"A2"}'
	post /api/specimens '{"site":"REG01","donor":"D1","type":'
	post /api/specimens '{"site":"REG01","donor":"D1","type":"serum","colour":"red"}'
	post "/api/specimens/$BLOOD/aliquots" '{"quantity":1,"unit":"ml"}'
	post "/api/specimens/$2/status" '{"status":"reserved"}'
	post "/api/specimens/$3/move" '{"container":"BOX1","position":"Z99"}'
	http POST /api/specimens -H 'Content-Type: text/plain' --data-binary 'type=serum'
	printf 'barcode,donor,site,type,quantity,unit\n,D1,REG01,blood_orange,1,ml\n,D1,REG01,serum,lots,ml\n' > bad.csv
	http POST /api/import/specimens -H 'Content-Type: text/csv' --data-binary @bad.csv
	http POST /api/login --anon -H 'Content-Type: application/json' \
		--data-binary '{"username":"res02","password":"res02-password"}'
	local res
	res=$(jq -r .token "$T/b")
	post /api/specimens '{"site":"REG02","donor":"D3","type":"serum"}' -H "Authorization: Bearer $res"
	http GET /api/users -H "Authorization: Bearer $res"
	http GET /api/audit/head -H "Authorization: Bearer $res"
	http GET "/api/specimens/$PLASMA" -H "Authorization: Bearer $res"
	http GET /api/specimens -H "Authorization: Bearer $res"

	section "afterwards"
	http GET '/api/export/specimens?format=json'
	http GET /api/export/consents
	http GET /api/audit/head
	serve_stop
	ob audit verify
	golden http_post
}

. "$HERE/lib.sh"
run_tests
