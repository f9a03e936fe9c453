#!/usr/bin/env bash
# test_shipment.sh - shipments on the command line (bank/shipment.h): a
# shipment built from specimens and a whole box, packed, shipped and
# received by scanning at the destination with its discrepancies; every
# rule refuses with a clear message and exit status and changes nothing
# (the database compared before and after); the manifest and receipt as
# CSV and PDF; the audit trail verifies; and a kill -9 in the middle of
# shipping 5,000 specimens leaves the database as it was.
# Exit statuses (docs/architecture.md): 1 usage, 2 bad input, 3 not found,
# 4 conflict, 6 permission.

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PW="a long enough password"

db() { "$OB" --db x.db "$@"; }
# by USER ARGS... - runs oncobank as that account
by() { local u=$1; shift; "$OB" --db x.db --user "$u" "$@"; }

# A network: NCC > REG01 > HOS01, NCC > REG02; technicians at REG01 (tech1),
# NCC (techn) and REG02 (tech2), a researcher at REG01. D1 consents to
# transfer, D2 said no to it. REG01: FRZ1 > RACK1 > BOX1 (S1-S4, S7, S8
# reserved) and BOX2 (S5, S6: goes whole); NCC: FRZN > RACKN > BOXN;
# REG02: FRZ9 > BOX9 (S9).
net() {
	db site add NCC --kind center --name "National Cancer Center" > /dev/null
	db site add REG01 --kind regional --parent NCC > /dev/null
	db site add REG02 --kind regional --parent NCC > /dev/null
	db site add HOS01 --kind hospital --parent REG01 > /dev/null
	for u in tech1:REG01:technician techn:NCC:technician tech2:REG02:technician \
		res1:REG01:researcher; do
		IFS=: read -r n site role <<< "$u"
		echo "$PW" | db user add "$n" --site "$site" --role "$role" --password-stdin > /dev/null
	done
	db donor add D1 --site REG01 --sex F --birth-year 1968 > /dev/null
	db donor add D2 --site REG01 --sex M --birth-year 1970 > /dev/null
	db donor add D9 --site REG02 --sex F --birth-year 1960 > /dev/null
	# a consent that does not ask about transfer permits it with storage; D2
	# said no to it
	db consent add D1 --site REG01 --form v3 --signed 2024-01-05 --scope storage,research \
		> /dev/null
	db consent form-add v5 --title "Biobank consent 5" --effective-on 2025-07-01 \
		--statement "STORE:storage+research:My samples may be stored and used for research." \
		--statement "MOVE:transfer:My samples may be sent to other centres of the network." \
		> /dev/null
	db consent add REG01 D2 --form v5 --signed-on 2025-08-01 --response STORE=yes \
		--response MOVE=no > /dev/null
	db consent add D9 --site REG02 --form v3 --signed 2024-01-05 --scope storage,research \
		> /dev/null
	db container add FRZ1 --kind freezer --site REG01 --temperature -80 > /dev/null
	db container add RACK1 --kind rack --parent FRZ1 > /dev/null
	db container add BOX1 --kind box --parent RACK1 --rows 9 --cols 9 > /dev/null
	db container add BOX2 --kind box --parent RACK1 --rows 2 --cols 2 > /dev/null
	db container add BOX3 --kind box --parent RACK1 --rows 2 --cols 2 > /dev/null
	db container add FRZN --kind freezer --site NCC --temperature -80 > /dev/null
	db container add RACKN --kind rack --parent FRZN > /dev/null
	db container add BOXN --kind box --parent RACKN --rows 9 --cols 9 > /dev/null
	db container add FRZ9 --kind freezer --site REG02 --temperature -80 > /dev/null
	db container add BOX9 --kind box --parent FRZ9 --rows 9 --cols 9 > /dev/null
	S1=$(stored D1 BOX1 A1); S2=$(stored D1 BOX1 A2); S3=$(stored D1 BOX1 A3)
	S4=$(stored D1 BOX1 A4); S5=$(stored D1 BOX2 A1); S6=$(stored D1 BOX2 A2)
	S7=$(stored D2 BOX1 B1); S8=$(stored D1 BOX1 B2)
	db specimen status "$S8" reserved --reason "project X" > /dev/null
	S9=$(db specimen add --site REG02 --donor D9 --type serum --quantity 1 --unit ml \
		--collected-at 2024-03-01T10:00:00Z --container BOX9 --position A1)
}

# stored DONOR BOX POSITION - a REG01 plasma specimen there; prints its barcode
stored() {
	db specimen add --site REG01 --donor "$1" --type plasma --quantity 1.5 --unit ml \
		--collected-at 2024-03-01T10:00:00Z --container "$2" --position "$3"
}

# The database as text, but for the refusals the audit trail records
# ("denied" events): what a refused command must leave unchanged.
snapshot() {
	sqlite3 "$1" .dump | grep -v -e '^INSERT INTO audit_event' -e 'sqlite_sequence'
	sqlite3 "$1" "SELECT seq, action, entity, entity_key, before, after FROM audit_event
		WHERE action <> 'denied' ORDER BY seq"
}

# unchanged CMD... - runs CMD (its exit status checked by the caller through
# expect_exit) comparing the database before and after.
before() { snapshot x.db > before.txt; }
after() {
	snapshot x.db > after.txt
	cmp -s before.txt after.txt || { echo "the database changed:" >&2;
		diff before.txt after.txt | head -20 >&2; return 1; }
}

# A REG01 shipment to NCC of S1, S2, S3 and BOX2 (S5, S6), shipped; prints
# nothing, sets CODE.
shipped() {
	CODE=$(by tech1 shipment create --to NCC --courier "City courier" --condition "dry ice" \
		--logger LOG-7 "$S1" "$S2" "$S3" BOX2)
	by tech1 shipment pack "$CODE" > /dev/null
	by tech1 shipment ship "$CODE" --tracking TRK-1 > /dev/null
}

test_help_and_usage() {
	expect_exit 0 "$OB" shipment --help
	contains "$T/out" "oncobank shipment create --to SITE"
	contains "$T/out" "oncobank shipment receive CODE BARCODE..."
	expect_exit 1 db shipment
	expect_exit 1 db shipment frobnicate X
	expect_exit 1 db shipment show
	expect_exit 1 db shipment create
	contains "$T/err" "create needs --to SITE"
	expect_exit 1 db shipment pack X --bogus
	expect_exit 0 "$OB" --help
	contains "$T/out" "shipment"
}

test_create_add_pack_ship_show() {
	net
	expect_exit 0 by tech1 shipment create --to NCC --courier "City courier" \
		--condition "2-8C" --notes "$(printf 'two boxes\nhandle with care')" "$S1"
	CODE=$(cat "$T/out")
	[[ "$CODE" =~ ^SH[0-9]{8}-[0-9]+$ ]] || { echo "code: $CODE" >&2; return 1; }
	expect_exit 0 by tech1 shipment add "$CODE" "$S2" BOX2
	contains "$T/out" "2 items added to shipment $CODE"
	printf '%s\n\n  %s \r\n' "$S3" "$S4" > list.txt
	expect_exit 0 by tech1 shipment add "$CODE" --file list.txt
	contains "$T/out" "2 items added"
	expect_exit 0 by tech1 shipment remove "$CODE" "$S4"
	expect_exit 3 by tech1 shipment remove "$CODE" "$S4"
	contains "$T/err" "barcode: "
	expect_exit 0 by tech1 shipment show "$CODE" --json
	contains "$T/out" "{\"code\":\"$CODE\",\"from_site\":\"REG01\",\"to_site\":\"NCC\",\"state\":\"draft\",\"courier\":\"City courier\",\"tracking\":null,\"condition\":\"refrigerated\""
	contains "$T/out" '"notes":"two boxes\nhandle with care"'
	contains "$T/out" '"created_by":"tech1"'
	contains "$T/out" '"counts":{"items":5,"boxes":1,"received":0,"missing":0,"pending":5,"extra":0,"discrepancies":0}'
	contains "$T/out" "{\"barcode\":\"$S5\",\"type\":\"plasma\",\"donor\":\"D1\",\"donor_site\":\"REG01\",\"quantity\":1.5,\"unit\":\"ml\",\"box\":\"BOX2\""
	contains "$T/out" '"boxes":[{"barcode":"BOX2","name":null,"rows":2,"cols":2,"items":2,"from_parent":"RACK1"'
	lacks "$T/out" "$S4"
	expect_exit 0 by tech1 shipment edit "$CODE" --tracking TRK-1 --logger LOG-7
	expect_exit 0 by tech1 shipment pack "$CODE"
	contains "$T/out" "shipment $CODE packed"
	expect_exit 0 by tech1 shipment ship "$CODE" --courier "Cold Express"
	expect_exit 0 db shipment show "$CODE" --json
	contains "$T/out" '"state":"shipped","courier":"Cold Express","tracking":"TRK-1"'
	contains "$T/out" '"packed_by":"tech1"'
	contains "$T/out" '"shipped_by":"tech1"'
	# every item in transit; a specimen shipped alone left its box, the box its rack
	expect_exit 0 db specimen show "$S1" --json
	contains "$T/out" '"status":"in_transit"'
	expect_exit 0 db container show BOX1 --json
	lacks "$T/out" "$S1"
	contains "$T/out" "$S4"
	expect_exit 0 db container show BOX2 --json
	contains "$T/out" "$S5"
	expect_exit 0 db shipment show "$CODE"
	contains "$T/out" "custody:"
	contains "$T/out" "ship"
	# the lists of both sites
	expect_exit 0 by tech1 shipment list --outgoing --json
	contains "$T/out" "\"code\":\"$CODE\""
	contains "$T/out" '"total":1'
	expect_exit 0 by techn shipment list --incoming --state shipped
	contains "$T/out" "$CODE"
	expect_exit 0 by techn shipment list --outgoing --json
	contains "$T/out" '"total":0'
	# the destination reads a specimen in transit; another region does not
	expect_exit 0 by techn specimen show "$S1" --json
	expect_exit 3 by tech2 shipment show "$CODE"
	contains "$T/err" "shipment: no shipment '$CODE'"
	expect_exit 3 by tech2 specimen show "$S1"
	expect_exit 0 db shipment history "$S1" --json
	contains "$T/out" "{\"shipments\":[{\"code\":\"$CODE\""
	contains "$T/out" '"item_state":"listed","item_discrepancies":[]'
	expect_exit 0 db audit verify
}

test_refusals_list_each_barcode_and_change_nothing() {
	net
	CODE=$(by tech1 shipment create --to NCC "$S1")
	OTHER=$(by tech1 shipment create --to NCC "$S2")
	before
	expect_exit 4 by tech1 shipment add "$CODE" "$S2" "$S7" "$S8" "$S9" OB404404404X "$S1" "$S3"
	contains "$T/err" "  $S2: in shipment $OTHER"
	contains "$T/err" "  $S7: the donor's consent does not permit transfer"
	contains "$T/err" "  $S8: status is reserved"
	contains "$T/err" "  $S9: "
	contains "$T/err" "  OB404404404X: "
	contains "$T/err" "  $S1: already on this shipment"
	lacks "$T/err" "  $S3:"
	contains "$T/err" "6 of 7 items cannot go"
	after
	# another site's specimen is refused as one that does not exist
	sed -n "s/^  $S9: //p" "$T/err" > r9
	sed -n "s/^  OB404404404X: //p" "$T/err" > r404
	same "$(cat r9)" "$(cat r404)"
	# a refused creation leaves no shipment behind
	expect_exit 4 by tech1 shipment create --to NCC "$S3" "$S8"
	contains "$T/err" "  $S8: status is reserved"
	after
	# an empty box cannot go
	expect_exit 4 by tech1 shipment add "$CODE" BOX3
	contains "$T/err" "  BOX3: "
	after
	# what became unfit after it was added is refused on packing and shipping
	db specimen status "$S1" reserved --reason "kept back" > /dev/null
	before
	expect_exit 4 by tech1 shipment pack "$CODE"
	contains "$T/err" "  $S1: status is reserved"
	after
	db specimen status "$S1" available --reason "released" > /dev/null
	by tech1 shipment pack "$CODE" > /dev/null
	db specimen status "$S1" reserved --reason "kept back again" > /dev/null
	before
	expect_exit 4 by tech1 shipment ship "$CODE"
	contains "$T/err" "  $S1: status is reserved"
	after
	expect_exit 0 db audit verify
}

test_bad_input_is_refused_and_changes_nothing() {
	net
	before
	# shipping to the same site, to an unknown site, from another's site
	expect_exit 2 by tech1 shipment create --to REG01 "$S1"
	contains "$T/err" "to_site: a shipment goes to another site"
	expect_exit 2 by tech1 shipment create --to NOWHERE
	contains "$T/err" "to_site: no site has code 'NOWHERE'"
	expect_exit 6 by tech1 shipment create --from REG02 --to NCC
	contains "$T/err" "from_site: "
	expect_exit 2 by tech1 shipment create --to NCC --condition lukewarm
	contains "$T/err" "condition: "
	expect_exit 2 by tech1 shipment create --to NCC --courier "$(head -c 101 /dev/zero | tr '\0' x)"
	contains "$T/err" "--courier: "
	expect_exit 2 by tech1 shipment create --to NCC --code "bad code!"
	contains "$T/err" "code: "
	printf '%s\nOB\001X\n' "$S1" > bad.txt
	expect_exit 2 by tech1 shipment create --to NCC --file bad.txt
	contains "$T/err" "bad.txt:2: barcode: "
	expect_exit 2 by tech1 shipment add SHX --file no-such-file.txt
	# a specimen of another site
	expect_exit 4 by tech1 shipment create --to NCC "$S9"
	contains "$T/err" "  $S9: "
	# a reader cannot ship
	expect_exit 6 by res1 shipment create --to NCC "$S1"
	expect_exit 3 by tech1 shipment pack NOSUCH
	after
	shipped
	before
	# receiving at the wrong site: the shipment is not theirs to see
	expect_exit 3 by tech2 shipment receive "$CODE" "$S1"
	contains "$T/err" "shipment: no shipment '$CODE'"
	# nor the sender's to receive
	expect_exit 3 by tech1 shipment receive "$CODE" "$S1"
	# cancelling a shipped shipment, editing its destination, adding to it
	expect_exit 4 by tech1 shipment cancel "$CODE" --reason "changed our minds"
	contains "$T/err" "state: "
	expect_exit 1 by tech1 shipment cancel "$CODE"
	expect_exit 4 by tech1 shipment edit "$CODE" --to REG02
	expect_exit 4 by tech1 shipment add "$CODE" "$S4"
	# a box into a box, a specimen into a box of another site, a taken position
	expect_exit 2 by techn shipment receive "$CODE" BOX2 --container BOXN
	expect_exit 3 by techn shipment receive "$CODE" "$S1" --container BOX1
	after
	by techn shipment receive "$CODE" "$S1" --container BOXN --position A1 > /dev/null
	before
	expect_exit 4 by techn shipment receive "$CODE" "$S2" --container BOXN --position A1
	contains "$T/err" "position: "
	# receiving twice
	expect_exit 4 by techn shipment receive "$CODE" "$S1"
	contains "$T/err" "barcode: $S1 was received"
	contains "$T/err" "by techn"
	# a specimen of a box on the manifest scanned before its box
	expect_exit 4 by techn shipment receive "$CODE" "$S5"
	# a discrepancy of no known kind
	expect_exit 2 by techn shipment discrepancy "$CODE" "$S2" --kind lost
	after
	expect_exit 0 db audit verify
}

test_receive_by_scanning_with_discrepancies() {
	net
	shipped
	expect_exit 0 by techn shipment receive "$CODE" "$S1" --container BOXN
	contains "$T/out" "$S1: plasma received into BOXN A1"
	contains "$T/out" "[1/5 received, 0 missing, 4 pending]"
	expect_exit 0 by techn shipment receive "$CODE" "$S2" --container BOXN --position C3 --thawed \
		--note "logger peaked at -12 C"
	contains "$T/out" "$S2: plasma received into BOXN C3"
	expect_exit 0 by techn shipment receive "$CODE" NOT-ON-IT
	contains "$T/out" "NOT-ON-IT: EXTRA, not on the manifest"
	expect_exit 0 by techn shipment receive "$CODE" NOT-ON-IT
	expect_exit 0 by techn shipment receive "$CODE" BOX2 --container RACKN
	contains "$T/out" "BOX2: box received with 2 specimens into RACKN"
	contains "$T/out" "[4/5 received, 0 missing, 1 pending]"
	expect_exit 0 by techn shipment show "$CODE" --json
	contains "$T/out" '"state":"shipped"'
	contains "$T/out" '"counts":{"items":5,"boxes":1,"received":4,"missing":0,"pending":1,"extra":1'
	# the box kept its layout, in its new rack, at NCC
	expect_exit 0 by techn container show BOX2 --json
	contains "$T/out" "$S5"
	expect_exit 0 by techn specimen show "$S5" --json
	contains "$T/out" '"status":"available"'
	contains "$T/out" '"site":"NCC"'
	# the last one is declared missing: the receipt completes
	expect_exit 0 by techn shipment discrepancy "$CODE" "$S3" --kind missing --note "not in the parcel"
	expect_exit 0 by techn shipment show "$CODE" --json
	contains "$T/out" '"state":"received"'
	contains "$T/out" '"counts":{"items":5,"boxes":1,"received":4,"missing":1,"pending":0,"extra":1'
	contains "$T/out" "{\"barcode\":\"$S2\",\"kind\":\"thawed\",\"note\":\"logger peaked at -12 C\",\"by\":\"techn\""
	contains "$T/out" "{\"barcode\":\"NOT-ON-IT\",\"kind\":\"extra\""
	contains "$T/out" '"received_by":"techn"'
	expect_exit 0 by techn specimen show "$S3" --json
	contains "$T/out" '"status":"missing"'
	contains "$T/out" '"site":"REG01"'
	expect_exit 0 by techn shipment history "$S2" --json
	contains "$T/out" '"item_state":"received","item_discrepancies":["thawed"]'
	# the receipt and the manifest
	expect_exit 0 by techn shipment receipt "$CODE"
	contains "$T/out" "shipment,barcode,kind,note,by,at"
	contains "$T/out" "$CODE,$S2,thawed,logger peaked at -12 C,techn,"
	contains "$T/out" "$CODE,$S3,missing,not in the parcel,techn,"
	contains "$T/out" "$CODE,NOT-ON-IT,extra,"
	expect_exit 0 by techn shipment manifest "$CODE"
	contains "$T/out" "shipment,from_site,to_site,box,position,barcode,type,donor,donor_site,quantity,unit,state,discrepancies"
	contains "$T/out" "$CODE,REG01,NCC,BOX2,A1,$S5,plasma,D1,REG01,1.5,ml,received,"
	[ "$(grep -c "^$CODE," "$T/out")" -eq 5 ]
	expect_exit 0 by techn shipment manifest "$CODE" --pdf manifest.pdf
	[ "$(head -c 4 manifest.pdf)" = "%PDF" ]
	expect_exit 0 by tech1 shipment receipt "$CODE" --pdf receipt.pdf
	[ "$(head -c 4 receipt.pdf)" = "%PDF" ]
	expect_exit 0 by tech1 shipment manifest "$CODE" --csv manifest.csv
	[ "$(grep -c "^$CODE," manifest.csv)" -eq 5 ]
	expect_exit 1 by tech1 shipment manifest "$CODE" --csv a.csv --pdf a.pdf
	expect_exit 3 by tech2 shipment manifest "$CODE"
	expect_exit 0 db audit verify
}

test_finish_declares_pending_missing_and_cancel() {
	net
	shipped
	printf '%s\n%s\n' "$S1" "$S2" | by techn shipment receive "$CODE" --file - --container BOXN \
		> out.txt
	contains out.txt "$S2: plasma received into BOXN A2"
	expect_exit 0 by techn shipment finish "$CODE" --note "parcel opened, box 2 not found"
	expect_exit 0 db shipment show "$CODE" --json
	contains "$T/out" '"state":"received"'
	contains "$T/out" '"received":2,"missing":3,"pending":0'
	expect_exit 4 by techn shipment receive "$CODE" "$S3"
	expect_exit 4 by techn shipment finish "$CODE"
	# a draft is cancelled with a reason, and its items are free again
	C2=$(by tech1 shipment create --to NCC "$S4")
	expect_exit 0 by tech1 shipment cancel "$C2" --reason "courier strike"
	expect_exit 0 db shipment show "$C2" --json
	contains "$T/out" '"state":"cancelled"'
	contains "$T/out" '"cancel_reason":"courier strike"'
	expect_exit 0 by tech1 shipment create --to NCC "$S4"
	expect_exit 0 db audit verify
}

# N specimens of D1 at REG01 with valid barcodes (ISO 7064 MOD 37,36), as
# test_import.sh makes them
generate() {
	awk -v n="$1" 'BEGIN {
		A = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		print "barcode,donor,site,type,collected_at,quantity,unit"
		for (i = 1; i <= n; i++) {
			body = sprintf("BK%09d", i); p = 36
			for (j = 1; j <= length(body); j++) {
				s = (p + index(A, substr(body, j, 1)) - 1) % 36
				if (s == 0) s = 36
				p = (s * 2) % 37
			}
			printf "%s%s,D1,REG01,plasma,2024-03-01T08:00:00Z,1.5,ml\n", body,
				substr(A, (37 - p) % 36 + 1, 1)
		}
	}'
}

# True while another process holds the database's write lock.
locked() {
	! sqlite3 -cmd '.timeout 0' "$1" 'BEGIN IMMEDIATE; ROLLBACK;' > /dev/null 2>&1
}

test_kill_9_while_shipping_5000_items_leaves_it_as_before() {
	local try pid landed=0 delay
	net
	generate 5000 > big.csv
	db import specimens big.csv > /dev/null
	cut -d, -f1 big.csv | tail -n +2 > items.txt
	CODE=$(by tech1 shipment create --to NCC --file items.txt)
	by tech1 shipment pack "$CODE" > /dev/null
	sqlite3 x.db 'PRAGMA wal_checkpoint(TRUNCATE);' > /dev/null
	cp x.db packed.db
	sqlite3 x.db .dump > before.sql
	for try in 1 2 3 4 5 6 7 8 9 10 11 12; do
		rm -f x.db-wal x.db-shm
		cp packed.db x.db
		delay=$(awk -v t="$try" 'BEGIN { printf "%.3f", (t - 1) * 0.01 }')
		by tech1 shipment ship "$CODE" > ship.out 2>&1 &
		pid=$!
		sleep "$delay"
		# kill it while it holds the write lock: inside its transaction
		for _ in $(seq 1 400); do
			kill -0 "$pid" 2> /dev/null || break
			if locked x.db; then
				kill -9 "$pid" 2> /dev/null && landed=1
				break
			fi
		done
		wait "$pid" 2> /dev/null || true
		[ "$landed" -eq 1 ] && break
	done
	[ "$landed" -eq 1 ] || { echo "no kill landed while shipping in $try tries" >&2; return 1; }
	sqlite3 x.db .dump > after.sql
	cmp before.sql after.sql
	expect_exit 0 db shipment show "$CODE" --json
	contains "$T/out" '"state":"packed"'
	contains "$T/out" '"items":5000'
	expect_exit 0 db audit verify
	# and it ships afterwards
	expect_exit 0 by tech1 shipment ship "$CODE"
	expect_exit 0 db specimen find --status in_transit --limit 1 --json
	contains "$T/out" '"total":5000'
}

. "$HERE/lib.sh"
run_tests
