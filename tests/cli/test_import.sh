#!/usr/bin/env bash
# test_import.sh - end-to-end tests of `oncobank import` and `oncobank export`:
# the fixtures of tests/data/import, the export -> import round trip, bad rows,
# the OpenSpecimen example, and a large import killed with SIGKILL half way.

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DATA=$HERE/../data/import
KINDS="sites donors consents containers specimens"

# loads the fixtures into $1
load() {
	local db=$1
	"$OB" --db "$db" import sites "$DATA/sites.csv" > /dev/null
	"$OB" --db "$db" import donors "$DATA/donors.csv" > /dev/null
	"$OB" --db "$db" import containers "$DATA/containers.csv" > /dev/null
	"$OB" --db "$db" import consents "$DATA/consents.csv" --signed-only > /dev/null
	"$OB" --db "$db" import specimens "$DATA/specimens.csv" > /dev/null
	"$OB" --db "$db" import consents "$DATA/consents.csv" --withdrawals-only > /dev/null
}

# everything in $1 as text: every export, and the audit summary with counts
snapshot() {
	for k in $KINDS; do "$OB" --db "$1" export "$k"; done
	"$OB" --db "$1" audit verify
}

# N specimens of D1 at REG01 with valid barcodes (ISO 7064 MOD 37,36)
generate() {
	awk -v n="$1" 'BEGIN {
		A = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		print "barcode,label,donor,site,type,collected_at,quantity,unit"
		for (i = 1; i <= n; i++) {
			body = sprintf("BK%09d", i); p = 36
			for (j = 1; j <= length(body); j++) {
				s = (p + index(A, substr(body, j, 1)) - 1) % 36
				if (s == 0) s = 36
				p = (s * 2) % 37
			}
			printf "%s%s,L%d,D1,REG01,plasma,2024-03-01T08:00:00Z,1.5,ml\n", body,
				substr(A, (37 - p) % 36 + 1, 1), i
		}
	}'
}

test_fixtures_import_and_audit_verifies() {
	export OB_USER=importer
	load a.db
	expect_exit 0 "$OB" --db a.db export specimens --type serum
	contains "$T/out" '"L-5, with comma"'
	lacks "$T/out" SPB0001M
	expect_exit 0 "$OB" --db a.db export specimens --container BOX-1 --format json
	contains "$T/out" '"barcode":"SPB0003I"'
	contains "$T/out" '"parent_barcode":"SPB0001M"'
	expect_exit 0 "$OB" --db a.db audit verify
}

test_export_import_round_trip_is_byte_identical() {
	export OB_USER=importer
	load a.db
	for k in $KINDS; do "$OB" --db a.db export "$k" -o "a_$k.csv"; done
	"$OB" --db b.db import sites a_sites.csv > /dev/null
	"$OB" --db b.db import donors a_donors.csv > /dev/null
	"$OB" --db b.db import containers a_containers.csv > /dev/null
	"$OB" --db b.db import consents a_consents.csv --signed-only > /dev/null
	"$OB" --db b.db import specimens a_specimens.csv > /dev/null
	"$OB" --db b.db import consents a_consents.csv --withdrawals-only > /dev/null
	for k in $KINDS; do
		"$OB" --db b.db export "$k" -o "b_$k.csv"
		cmp "a_$k.csv" "b_$k.csv"
	done
	grep -q 'SPB0002K,L-2,REG01,D1,REG01,plasma,SPB0001M,aliquot' b_specimens.csv
	grep -q 'HOS01,D4,.*,2024-01-05T00:00:00Z,importer,moved abroad' b_consents.csv
	expect_exit 0 "$OB" --db b.db audit verify
}

test_bad_rows_are_all_reported_and_nothing_is_written() {
	load a.db
	snapshot a.db > before.txt
	sqlite3 a.db .dump > before.sql
	printf 'barcode,donor,site,type,quantity,unit,parent_barcode\n' > bad.csv
	printf ',D1,REG01,serum,1,ml,\n' >> bad.csv
	printf ',D1,REG01,blood_orange,1,ml,\n' >> bad.csv
	printf ',D1,REG01,serum,lots,ml,\n' >> bad.csv
	printf ',D1,REG01,serum,1,ml,T999999999Z\n' >> bad.csv
	printf ',D1,REG01,"ser"um,1,ml,\n' >> bad.csv
	printf ',D1,REG01,serum\n' >> bad.csv
	# The reader's pass, before the write lock, refuses the file's syntax
	# and field counts...
	expect_exit 2 "$OB" --db a.db import specimens bad.csv
	contains "$T/err" "bad.csv:6: type: malformed quoting"
	contains "$T/err" "bad.csv:7: quantity: missing"
	contains "$T/err" "bad.csv: 2 bad rows; nothing imported"
	# ...and once they are right, the write pass reports every bad value.
	sed -i -e 's/"ser"um/serum/' -e 's/^,D1,REG01,serum$/,D1,REG01,serum,1,ml,/' bad.csv
	expect_exit 2 "$OB" --db a.db import specimens bad.csv
	contains "$T/err" "bad.csv:3: type: 'blood_orange'"
	contains "$T/err" "bad.csv:4: quantity: 'lots' is not a number"
	contains "$T/err" "bad.csv:5: parent_barcode:"
	contains "$T/err" "bad.csv: 3 bad rows; nothing imported"
	snapshot a.db > after.txt
	cmp before.txt after.txt
	sqlite3 a.db .dump > after.sql
	cmp before.sql after.sql
}

# A file the reader refuses never waits for, nor holds up, another writer:
# it is refused (2, not 8 busy) while another process holds the write lock.
test_bad_file_is_refused_before_the_write_lock() {
	load a.db
	printf 'barcode,donor,site,type,quantity,unit\n,D1,REG01,"ser"um,1,ml\n' > bad.csv
	for k in $(seq 1 2000); do printf ',D1,REG01,serum,1,ml\n'; done >> bad.csv
	( echo 'BEGIN IMMEDIATE;'; echo "SELECT 'locked';"; sleep 5; echo 'COMMIT;' ) \
		| sqlite3 a.db > lock.out 2>&1 &
	for _ in $(seq 1 100); do grep -q locked lock.out && break; sleep 0.05; done
	expect_exit 2 "$OB" --db a.db --wait 0 import specimens bad.csv
	contains "$T/err" "bad.csv:2: type: malformed quoting"
	lacks "$T/err" "busy"
	# From a pipe too (the first pass keeps a copy for the second).
	printf 'barcode,donor,site,type\n,D1,REG01,serum\n,D1,REG01\n' |
		expect_exit 2 "$OB" --db a.db --wait 0 import specimens -
	contains "$T/err" "stdin:3: type: missing"
	# A good file waits for the lock like any write.
	printf 'barcode,donor,site,type\n,D1,REG01,serum\n' |
		expect_exit 8 "$OB" --db a.db --wait 0 import specimens -
	wait
}

test_stdin_and_unknown_column() {
	load a.db
	printf 'barcode,donor,site,type,colour\n,D1,REG01,serum,red\n' |
		expect_exit 2 "$OB" --db a.db import specimens -
	contains "$T/err" "stdin:1: header: unknown column 'colour'"
	printf 'barcode,donor,site,type\n,D1,REG01,serum\n' |
		expect_exit 0 "$OB" --db a.db import specimens -
	contains "$T/out" "imported 1 specimens from stdin"
	expect_exit 1 "$OB" --db a.db import nothing x.csv
	expect_exit 1 "$OB" --db a.db import specimens
}

test_openspecimen_example_upload() {
	# The OpenSpecimen example, adapted only in its site: "Demo Site" is not
	# an oncobank site code (no spaces), so it becomes DEMO.
	sed 's/Demo Site/DEMO/g' "$SHARED/data/biobank/openspecimen_templates/example_master_specimen_upload.csv" > os.csv
	"$OB" --db o.db site add NCC --kind center --name NCC > /dev/null
	"$OB" --db o.db site add DEMO --kind hospital --parent NCC > /dev/null
	"$OB" --db o.db donor add Demo001 --site DEMO --sex female > /dev/null
	expect_exit 0 "$OB" --db o.db import specimens os.csv
	contains "$T/out" "imported 6 specimens"
	contains "$T/err" "warning: ignored OpenSpecimen column(s)"
	contains "$T/err" "'First Name'"
	expect_exit 0 "$OB" --db o.db export specimens
	contains "$T/out" ',DEMO001.WB1,DEMO,Demo001,DEMO,whole_blood,,primary,Blood,normal,,5,5,ml,,2016-02-01T00:00:00Z'
	contains "$T/out" ',DEMO001.Pl,DEMO,Demo001,DEMO,plasma,'
	[ "$(grep -c ',DEMO001.Pl[0-9],DEMO,Demo001,DEMO,plasma,.*,aliquot,' "$T/out")" -eq 4 ]
	expect_exit 0 "$OB" --db o.db audit verify
}

test_sigkill_during_large_import_leaves_database_unchanged() {
	load a.db
	generate 300000 > big.csv
	sqlite3 a.db .dump > before.sql
	snapshot a.db > before.txt
	"$OB" --db a.db import specimens big.csv > imp.out 2>&1 &
	pid=$!
	# wait until the import is writing (its WAL grows), then kill it
	for _ in $(seq 1 100); do
		[ "$(stat -c %s a.db-wal 2>/dev/null || echo 0)" -gt 1000000 ] && break
		sleep 0.1
	done
	sleep 0.5
	kill -0 "$pid" || { echo "the import ended before it could be killed" >&2; cat imp.out >&2; return 1; }
	kill -9 "$pid"
	wait "$pid" 2>/dev/null || true
	sqlite3 a.db .dump > after.sql
	cmp before.sql after.sql
	snapshot a.db > after.txt
	cmp before.txt after.txt
	expect_exit 0 "$OB" --db a.db audit verify
}

. "$HERE/lib.sh"
run_tests
