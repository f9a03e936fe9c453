# test_label.sh - end-to-end tests of `oncobank label`: a specimen's label
# and a box's sheet as PDF and PNG, the printed barcodes decoded back from
# the PNG (Code 128 with zbarimg from zbar-tools, Data Matrix with dmtxread
# from dmtx-utils), pages counted with pdfinfo (poppler-utils), and the
# usage and not-found exits. A decoder that is absent and cannot be
# installed makes its test a skip, never a pass.

# A network with donor D1, FRZ-1 > BOX-1 (10 x 10) holding two specimens
# (C1 then A2) and an empty BOX-2; SPECIMEN and SPECIMEN2 hold barcodes.
setup_bank() {
	db() { "$OB" --db "$T/x.db" --user tester "$@"; }
	db site add NCC --kind center > /dev/null
	db site add REG01 --kind regional --parent NCC > /dev/null
	db donor add D1 --site REG01 --sex female > /dev/null
	db consent add D1 --site REG01 --form v1 --signed 2024-01-01 --scope storage,research > /dev/null
	db container add FRZ-1 --kind freezer --site REG01 --temperature -80 > /dev/null
	db container add BOX-1 --kind box --parent FRZ-1 --rows 10 --cols 10 > /dev/null
	db container add BOX-2 --kind box --parent FRZ-1 --rows 9 --cols 9 > /dev/null
	SPECIMEN=$(db specimen add --site REG01 --donor D1 --type plasma --quantity 1 --unit ml \
		--collected-at 2024-03-05T10:02:00Z --sprec PL1-SST-A-B-X-A-X \
		--container BOX-1 --position C1)
	SPECIMEN2=$(db specimen add --site REG01 --donor D1 --type serum --quantity 1 --unit ml \
		--container BOX-1 --position A2)
}

# have TOOL PACKAGE - true when TOOL can be run, after installing PACKAGE
# quietly when it is missing and we may install (root on Debian).
have() {
	command -v "$1" > /dev/null 2>&1 && return 0
	if command -v apt-get > /dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$2" \
			> /dev/null 2>&1 || true
	fi
	command -v "$1" > /dev/null 2>&1
}

# skip REASON - ends the test as a TAP skip (see run_label_tests below).
skip() { echo "$1" > "$SKIP_FILE"; exit 77; }

# pages PDF - its page count: pdfinfo's, else the "/Type /Page" objects.
pages() {
	if have pdfinfo poppler-utils; then
		pdfinfo "$1" | awk '/^Pages:/ { print $2 }'
	else
		grep -ao '/Type /Pages\?' "$1" | grep -c 'Page$'
	fi
}

# zbar_decode FILE - the data of the barcodes zbarimg finds in FILE.
zbar_decode() { zbarimg --quiet --raw "$1" 2> /dev/null; }

test_help_shows_both_forms() {
	expect_exit 0 "$OB" label --help
	contains "$T/out" "usage: oncobank label SPECIMEN [--format pdf|png] [--symbology datamatrix|code128] -o FILE"
	contains "$T/out" "oncobank label --box BOX"
	expect_exit 0 "$OB" --help
	contains "$T/out" "label        print specimen or box labels (PDF, PNG)"
}

test_usage_errors_exit_1() {
	setup_bank
	expect_exit 1 "$OB" --db "$T/x.db" label "$SPECIMEN"
	contains "$T/err" "-o FILE is needed"
	expect_exit 1 "$OB" --db "$T/x.db" label -o x.pdf
	contains "$T/err" "give a SPECIMEN barcode or --box BOX"
	expect_exit 1 "$OB" --db "$T/x.db" label "$SPECIMEN" --box BOX-1 -o x.pdf
	expect_exit 1 "$OB" --db "$T/x.db" label "$SPECIMEN" --bogus -o x.pdf
	expect_exit 2 "$OB" --db "$T/x.db" label "$SPECIMEN" --format svg -o x.svg
	contains "$T/err" "format: 'svg' is not a label format"
	expect_exit 2 "$OB" --db "$T/x.db" label "$SPECIMEN" --symbology qr -o x.pdf
	[ ! -e x.pdf ] && [ ! -e x.svg ]
}

test_unknown_specimen_or_box_exits_3() {
	setup_bank
	expect_exit 3 "$OB" --db "$T/x.db" label NOPE0001X -o x.pdf
	contains "$T/err" "no specimen has barcode 'NOPE0001X'"
	expect_exit 3 "$OB" --db "$T/x.db" label --box NO-BOX -o x.pdf
	[ ! -e x.pdf ]
	expect_exit 2 "$OB" --db "$T/x.db" label --box FRZ-1 -o x.pdf
	contains "$T/err" "FRZ-1 is a freezer, not a box"
}

test_specimen_png_is_591_by_295() {
	setup_bank
	expect_exit 0 "$OB" --db "$T/x.db" label "$SPECIMEN" --format png -o s.png
	contains "$T/out" "label of $SPECIMEN written to s.png"
	same "$(head -c 8 s.png | od -An -tx1 | tr -d ' \n')" "89504e470d0a1a0a"
	# IHDR width and height, big-endian
	same "$(od -An -tu1 -j16 -N8 s.png | tr -s ' ' | sed 's/^ //')" "0 0 2 79 0 0 1 39"
}

test_specimen_pdf_is_one_page() {
	setup_bank
	expect_exit 0 "$OB" --db "$T/x.db" label "$SPECIMEN" -o s.pdf
	same "$(head -c 5 s.pdf)" "%PDF-"
	same "$(pages s.pdf)" 1
	if have pdfinfo poppler-utils; then
		pdfinfo s.pdf > info
		contains info "Page size:       141.84 x 70.8 pts"
	fi
}

test_standard_output_gets_the_bytes() {
	setup_bank
	"$OB" --db "$T/x.db" label "$SPECIMEN" -o - > s.pdf
	same "$(head -c 5 s.pdf)" "%PDF-"
}

test_code128_label_decodes_to_the_barcode() {
	setup_bank
	if ! have zbarimg zbar-tools; then
		skip "zbarimg (zbar-tools) is absent and cannot be installed"
	fi
	expect_exit 0 "$OB" --db "$T/x.db" label "$SPECIMEN" --format png --symbology code128 -o c.png
	same "$(zbar_decode c.png)" "$SPECIMEN"
}

test_datamatrix_label_decodes_to_the_barcode() {
	setup_bank
	if ! have dmtxread dmtx-utils; then
		skip "dmtxread (dmtx-utils) is absent and cannot be installed"
	fi
	expect_exit 0 "$OB" --db "$T/x.db" label "$SPECIMEN" --format png -o d.png
	same "$(dmtxread -m 2000 d.png)" "$SPECIMEN"
}

test_pdf_label_decodes_once_rasterised() {
	setup_bank
	if ! have zbarimg zbar-tools || ! have pdftoppm poppler-utils; then
		skip "zbarimg or pdftoppm (zbar-tools, poppler-utils) absent and cannot be installed"
	fi
	expect_exit 0 "$OB" --db "$T/x.db" label "$SPECIMEN" --symbology code128 -o c.pdf
	pdftoppm -r 300 -png c.pdf page
	same "$(zbar_decode page-1.png)" "$SPECIMEN"
}

test_box_sheet_has_box_then_specimens_by_position() {
	setup_bank
	if ! have zbarimg zbar-tools; then
		skip "zbarimg (zbar-tools) is absent and cannot be installed"
	fi
	expect_exit 0 "$OB" --db "$T/x.db" label --box BOX-1 --format png --symbology code128 -o b.png
	contains "$T/out" "labels of box BOX-1 written to b.png"
	# one row of 4 labels: 2364 x 295
	same "$(od -An -tu1 -j16 -N8 b.png | tr -s ' ' | sed 's/^ //')" "0 0 9 60 0 0 1 39"
	# zbarimg reports symbols left to right within the row
	zbar_decode b.png | sort > got
	printf '%s\n' BOX-1 "$SPECIMEN" "$SPECIMEN2" | sort > want
	same "$(cat got)" "$(cat want)"
}

test_empty_box_sheet_holds_its_label_only() {
	setup_bank
	expect_exit 0 "$OB" --db "$T/x.db" label --box BOX-2 -o e.pdf
	same "$(head -c 5 e.pdf)" "%PDF-"
	same "$(pages e.pdf)" 1
	if have pdfinfo poppler-utils; then
		pdfinfo e.pdf > info
		contains info "Page size:       595.2 x 841.92 pts (A4)"
	fi
}

test_box_of_60_takes_two_pages() {
	setup_bank
	local r c
	# 58 more specimens: 60 and the box's own label, at 44 labels a page
	for r in A B C D E F; do
		for c in 1 2 3 4 5 6 7 8 9 10; do
			[ "$r$c" = A2 ] || [ "$r$c" = C1 ] && continue
			db specimen add --site REG01 --donor D1 --type plasma --quantity 1 --unit ml \
				--container BOX-1 --position "$r$c" > /dev/null
		done
	done
	expect_exit 0 "$OB" --db "$T/x.db" label --box BOX-1 -o b.pdf
	same "$(pages b.pdf)" 2
}

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# run_tests of lib.sh, plus skips: a test that calls skip exits 77 and is
# reported as "ok N - NAME # SKIP reason".
run_label_tests() {
	local n=0 fails=0 t rc out tests
	tests=$(declare -F | awk '{print $3}' | grep '^test_')
	echo "1..$(echo "$tests" | wc -l)"
	for t in $tests; do
		n=$((n + 1))
		T=$(mktemp -d)
		SKIP_FILE="$T.skip"
		out=$( ( set -e; cd "$T"; "$t" ) 2>&1 ); rc=$?
		rm -rf "$T"
		if [ $rc -eq 77 ]; then
			echo "ok $n - $t # SKIP $(cat "$SKIP_FILE")"
		elif [ $rc -eq 0 ]; then
			echo "ok $n - $t"
		else
			echo "not ok $n - $t"; echo "$out" | sed 's/^/# /'
			fails=$((fails + 1))
		fi
		rm -f "$SKIP_FILE"
	done
	[ $fails -eq 0 ]
}

run_label_tests
