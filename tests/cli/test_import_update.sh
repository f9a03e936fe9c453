#!/usr/bin/env bash
# test_import_update.sh - corrections by CSV (`oncobank import specimens
# --update`) end to end: a good file corrects the named fields with each row's
# reason and leaves the rest; a file with any bad row names each one
# FILE:LINE: column: and changes nothing; a column that is not correctable
# refuses the file at its header.

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DATA=$HERE/../data/import

load() {
	"$OB" --db x.db import sites "$DATA/sites.csv" > /dev/null
	"$OB" --db x.db import donors "$DATA/donors.csv" > /dev/null
	"$OB" --db x.db import containers "$DATA/containers.csv" > /dev/null
	"$OB" --db x.db import consents "$DATA/consents.csv" --signed-only > /dev/null
	"$OB" --db x.db import specimens "$DATA/specimens.csv" > /dev/null
}

test_good_file_corrects_fields_with_reasons() {
	load
	expect_exit 0 "$OB" --db x.db import specimens --update "$DATA/corrections.csv"
	contains "$T/out" "corrected 2 specimens from $DATA/corrections.csv"
	expect_exit 0 "$OB" --db x.db specimen show SPB0004G --json
	contains "$T/out" '"label":"L-4b"'
	contains "$T/out" '"tumour_pct":70'
	contains "$T/out" '"anatomic_site":"C50.4"'
	contains "$T/out" '"pathology":"tumour"'
	contains "$T/out" '"quantity":1'
	contains "$T/out" '"action":"correct","reason":"pathology review 2024-05"'
	expect_exit 0 "$OB" --db x.db specimen show SPB0001M --json
	contains "$T/out" '"label":"L-1 fixed"'
	contains "$T/out" '"container":"BOX-1"'
	contains "$T/out" '"action":"correct","reason":"label misprinted"'
	expect_exit 0 "$OB" --db x.db specimen history SPB0004G --field tumour_pct
	contains "$T/out" "60.0 -> 70.0"
	expect_exit 0 "$OB" --db x.db audit verify
	contains "$T/out" "intact"
}

test_bad_rows_are_named_and_nothing_changes() {
	load
	before=$("$OB" --db x.db export specimens; "$OB" --db x.db audit verify)
	expect_exit 2 "$OB" --db x.db import specimens --update "$DATA/corrections_bad.csv"
	contains "$T/err" "corrections_bad.csv:3: barcode: no specimen has barcode 'SPB9999X'"
	contains "$T/err" "corrections_bad.csv:4: reason: a correction needs a reason"
	contains "$T/err" "corrections_bad.csv:5: tumour_pct: 'many' is not a number"
	contains "$T/err" "corrections_bad.csv: 3 bad rows; nothing corrected"
	lacks "$T/err" "corrections_bad.csv:2:"
	after=$("$OB" --db x.db export specimens; "$OB" --db x.db audit verify)
	same "$after" "$before"
}

test_columns_that_are_not_correctable_refuse_the_file() {
	load
	printf 'barcode,status,container,reason\nSPB0001M,destroyed,,x\n' > st.csv
	expect_exit 2 "$OB" --db x.db import specimens --update st.csv
	contains "$T/err" "st.csv:1: status: not correctable here; use specimen status"
	contains "$T/err" "st.csv:1: container: not correctable here; use container move"
	printf 'barcode,label\nSPB0001M,x\n' > nr.csv
	expect_exit 2 "$OB" --db x.db import specimens --update nr.csv
	contains "$T/err" "nr.csv:1: header: the required column 'reason' is missing"
	expect_exit 1 "$OB" --db x.db import donors --update "$DATA/donors.csv"
	contains "$T/err" "--update corrects specimens only"
}

test_update_reads_stdin() {
	load
	printf 'barcode,label,reason\nSPB0002K,L-2b,typo\n' |
		expect_exit 0 "$OB" --db x.db import specimens --update -
	contains "$T/out" "corrected 1 specimens from stdin"
}

. "$HERE/lib.sh"
run_tests
