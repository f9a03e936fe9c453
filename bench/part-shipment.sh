#!/usr/bin/env bash
# bench/part-shipment.sh - a 10,000-specimen shipment sent and received
# (`bash bench/run shipment` runs it alone), on SHIP_ROWS generated
# specimens (default 100,000; bench/gen, seed 42) with a consent per donor
# (storage and research, which permits transfer): SHIP_ITEMS (default
# 10,000) available specimens of REG01 go to NCC. Prints
#
#   bench: shipment_build_10k VALUE s vs sqlite3_bare_sql VALUE s ratio R
#         `shipment create --file` with the 10,000 barcodes (each checked:
#         site, status, open shipments, withdrawal, consent to transfer;
#         audited) against the sqlite3 shell inserting the same shipment and
#         items from the same barcode file, with no check and no audit
#   bench: shipment_pack_ship_10k VALUE s vs sqlite3_bare_sql VALUE s ratio R
#         `shipment pack` then `shipment ship` (every item checked again at
#         each step; shipping puts each specimen in transit out of its
#         position with its audit event) against the same UPDATEs in the
#         sqlite3 shell (the shipment's state twice, the items' origin, the
#         specimens' status), one transaction per step as the domain's
#   bench: shipment_pack_10k VALUE s (of which packing)
#   bench: shipment_receive_10k VALUE scans/s vs thaw_same_server VALUE req/s ratio R
#         the 10,000 specimens received over the API, one
#         POST /api/shipments/{code}/receive per barcode (each put in the
#         first free position of a 9 x 9 box at NCC, 81 scans a box) by an
#         NCC technician, over SHIP_CONN keep-alive connections (default 8;
#         bench/scan_client.c: every barcode sent and answered once), against
#         the API's simplest audited write on the same server: 10,000
#         POST /api/specimens/{barcode}/thaw on other specimens (one
#         transaction and audit event each)
#   bench: shipment_receive_10k_p99 VALUE ms vs thaw_same_server VALUE ms ratio R
#   bench: sqlite_commit_ceiling VALUE commits/s
#         what bounds both: 1,000 one-row write transactions through the
#         sqlite3 shell in WAL mode with synchronous=FULL (the server's
#         setting: a scan is durable when answered) in the same directory;
#         one transaction per request cannot go faster on this disk
#
# Rounds (SHIP_ROUNDS, default 3) alternate A/B, B/A, ...; each on a fresh
# copy of the database; each figure is the median of its rounds; R > 1:
# oncobank is faster. Goals: pack and ship < 2 s, receive >= 1,000 scans/s.
# Every oncobank round ends with `audit verify` and the items' states
# checked (10,000 in transit after shipping, received after the scans).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
OB=$PWD/$BUILD/oncobank
ROWS=${SHIP_ROWS:-100000}
ITEMS=${SHIP_ITEMS:-10000}
ROUNDS=${SHIP_ROUNDS:-3}
CONN=${SHIP_CONN:-8}
[ -x "$OB" ] || { echo "bench: $OB is missing; run 'make' first" >&2; exit 1; }
make -s -f bench/Makefile BUILD="$BUILD"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/oncobank-bench-shipment.XXXXXX")
spid=
trap '[ -n "$spid" ] && kill "$spid" 2> /dev/null; rm -rf "$tmp"' EXIT
label=$(awk -v n="$ITEMS" 'BEGIN { if (n % 1000 == 0) print n / 1000 "k"; else print n }')
now() { date +%s.%N; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
order() { if [ $(($1 % 2)) -eq 1 ]; then echo "$2 $3"; else echo "$3 $2"; fi; }
export OB_USER=bench

# ---- the database: specimens, consents, the receiving boxes, accounts ----
"$BUILD/bench/gen" "$tmp" "$ROWS" 42
db=$tmp/base.db
"$OB" --db "$db" init > /dev/null
for k in sites donors; do "$OB" --db "$db" import "$k" "$tmp/$k.csv" > /dev/null; done
awk -F, 'NR == 1 { print "site,donor,form_version,signed_on,scope"; next }
	{ print $1 "," $2 ",v1.0,2015-01-01,storage;research" }' "$tmp/donors.csv" > "$tmp/consents.csv"
"$OB" --db "$db" import consents "$tmp/consents.csv" > /dev/null
"$OB" --db "$db" import specimens "$tmp/specimens.csv" > /dev/null
nbox=$(( (ITEMS + 80) / 81 ))
{
	echo "barcode,name,kind,site,parent,temperature,rows,cols"
	echo "NCC-BFRZ,Bench freezer,freezer,NCC,,-80,,"
	echo "NCC-BFRZ-R1,Bench rack,rack,,NCC-BFRZ,,,"
	for i in $(seq "$nbox"); do printf 'NCC-BIN%04d,Incoming %d,box,,NCC-BFRZ-R1,,9,9\n' "$i" "$i"; done
} > "$tmp/containers.csv"
"$OB" --db "$db" import containers "$tmp/containers.csv" > /dev/null
echo "bench-ship-password-1" | "$OB" --db "$db" user add shiptech --site NCC --role technician \
	--password-stdin > /dev/null
"$OB" --db "$db" specimen find --site REG01 --status available --limit "$ITEMS" \
	| awk 'NR > 1 { print $1 }' > "$tmp/items"
[ "$(wc -l < "$tmp/items")" -eq "$ITEMS" ] || { echo "bench: shipment: fewer than $ITEMS available specimens at REG01" >&2; exit 1; }
# the peer's specimens: others of the network, not on the shipment
"$OB" --db "$db" specimen find --site REG02 --status available --limit "$ITEMS" \
	| awk 'NR > 1 { print $1 }' > "$tmp/others"
# each scan's box: 81 to a box, in order
awk '{ printf "%s NCC-BIN%04d\n", $1, int((NR - 1) / 81) + 1 }' "$tmp/items" > "$tmp/scans"
cut -d' ' -f1 "$tmp/others" | awk '{ print $1 " -" }' > "$tmp/thaws"

# ---- building, packing and shipping ----
code=SH-BENCH-1
bare_build() { # the shipment and its items, as ob_shipment_create + ob_shipment_add write them
	sqlite3 "$1" <<-EOF
	PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;
	CREATE TEMP TABLE given (barcode TEXT);
	.import $tmp/items given
	BEGIN;
	INSERT INTO shipment (code, from_site_id, to_site_id, state, created_by, created_at)
	  SELECT '$code', f.id, t.id, 'draft', 'bench', strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
	  FROM site f, site t WHERE f.code = 'REG01' AND t.code = 'NCC';
	COMMIT;
	BEGIN;
	INSERT INTO shipment_item (shipment_id, specimen_id, box_id, from_container_id, from_position, state)
	  SELECT (SELECT id FROM shipment WHERE code = '$code'), s.id, NULL, s.container_id, s.position, 'listed'
	  FROM given g JOIN specimen s ON s.barcode = g.barcode;
	UPDATE shipment SET n_items = (SELECT COUNT(*) FROM shipment_item WHERE shipment_id = shipment.id)
	  WHERE code = '$code';
	COMMIT;
	EOF
}
bare_pack_ship() { # the same UPDATEs as ob_shipment_pack and ob_shipment_ship
	sqlite3 "$1" <<-EOF
	PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;
	BEGIN;
	UPDATE shipment SET state = 'packed', packed_by = 'bench',
	  packed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE code = '$code';
	COMMIT;
	BEGIN;
	UPDATE shipment_item SET
	  from_container_id = (SELECT container_id FROM specimen WHERE id = shipment_item.specimen_id),
	  from_position = (SELECT position FROM specimen WHERE id = shipment_item.specimen_id)
	  WHERE shipment_id = (SELECT id FROM shipment WHERE code = '$code') AND box_id IS NULL;
	UPDATE specimen SET status = 'in_transit', container_id = NULL, position = NULL
	  WHERE id IN (SELECT specimen_id FROM shipment_item
	    WHERE shipment_id = (SELECT id FROM shipment WHERE code = '$code') AND box_id IS NULL);
	UPDATE shipment SET state = 'shipped', shipped_by = 'bench',
	  shipped_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE code = '$code';
	COMMIT;
	EOF
}
for r in $(seq "$ROUNDS"); do
	for who in $(order "$r" ob bare); do
		cp "$db" "$tmp/s.db"
		t0=$(now)
		if [ "$who" = ob ]; then
			"$OB" --db "$tmp/s.db" shipment create --from REG01 --to NCC --code "$code" \
				--condition dry_ice --file "$tmp/items" > /dev/null
		else
			bare_build "$tmp/s.db"
		fi
		t1=$(now)
		if [ "$who" = ob ]; then
			"$OB" --db "$tmp/s.db" shipment pack "$code" > /dev/null
			tp=$(now)
			"$OB" --db "$tmp/s.db" shipment ship "$code" --courier "SF Express" > /dev/null
			awk -v a="$t1" -v b="$tp" -v d="$tmp" 'BEGIN { print b - a >> (d "/pack-ob") }'
		else
			bare_pack_ship "$tmp/s.db"
		fi
		t2=$(now)
		n=$(sqlite3 "$tmp/s.db" "SELECT COUNT(*) FROM specimen WHERE status = 'in_transit'")
		[ "$n" -eq "$ITEMS" ] || { echo "bench: shipment: $who left $n specimens in transit, not $ITEMS" >&2; exit 1; }
		if [ "$who" = ob ]; then
			"$OB" --db "$tmp/s.db" audit verify > "$tmp/verify.log" \
				|| { echo "bench: shipment: the audit trail does not verify" >&2; cat "$tmp/verify.log" >&2; exit 1; }
			cp "$tmp/s.db" "$tmp/shipped.db"
		fi
		awk -v a="$t0" -v b="$t1" -v c="$t2" -v w="$who" -v d="$tmp" 'BEGIN {
			print b - a >> (d "/build-" w); print c - b >> (d "/packship-" w) }'
	done
done
echo "# shipment: $ITEMS specimens of REG01 to NCC among $ROWS, $ROUNDS rounds, SQLite $(sqlite3 --version | cut -d' ' -f1)"
for k in build packship; do
	a=$(median < "$tmp/$k-ob"); b=$(median < "$tmp/$k-bare")
	name=shipment_build_$label
	[ "$k" = packship ] && name=shipment_pack_ship_$label
	awk -v n="$name" -v a="$a" -v b="$b" 'BEGIN { printf "bench: %s %.2f s vs sqlite3_bare_sql %.3f s ratio %.2f\n", n, a, b, b / a }'
done
a=$(median < "$tmp/pack-ob")
echo "bench: shipment_pack_${label} $a s" | awk '{ printf "%s %s %.2f %s (of which packing: every item checked again)\n", $1, $2, $3, $4 }'

# ---- receiving by scanning, over the API ----
free_port() {
	local p
	for p in $(seq 22000 22999 | shuf); do
		(exec 3<> "/dev/tcp/127.0.0.1/$p") 2> /dev/null || { echo "$p"; return; }
	done
}
scan_round() { # receive|thaw -> "ok seconds p99" on a fresh copy of the shipped database
	local mode=$1 port list
	cp "$tmp/shipped.db" "$tmp/r.db"
	rm -f "$tmp/r.db-wal" "$tmp/r.db-shm"
	port=$(free_port)
	"$OB" --db "$tmp/r.db" serve --listen "127.0.0.1:$port" > "$tmp/serve.out" 2> "$tmp/serve.err" &
	spid=$!
	for _ in $(seq 100); do curl -s "http://127.0.0.1:$port/healthz" > /dev/null && break; sleep 0.1; done
	token=$(curl -s -X POST -H 'Content-Type: application/json' \
		-d '{"username":"shiptech","password":"bench-ship-password-1"}' \
		"http://127.0.0.1:$port/api/login" | jq -r .token)
	[ -n "$token" ] && [ "$token" != null ] || { echo "bench: shipment: login failed" >&2; exit 1; }
	list=$tmp/scans
	[ "$mode" = thaw ] && list=$tmp/thaws
	"$BUILD/bench/scan_client" "$port" "$token" "$mode" "/api/shipments/$code/receive" "$list" \
		"$CONN" > "$tmp/scan.out"
	kill "$spid"; wait "$spid" 2> /dev/null || true; spid=
	line=$(grep '^scan:' "$tmp/scan.out") || { cat "$tmp/scan.out" >&2; exit 1; }
	set -- $line
	[ "$3" -eq "$ITEMS" ] && [ "$5" -eq 0 ] \
		|| { echo "bench: shipment: $mode: $line" >&2; grep ' [45][0-9][0-9]: ' "$tmp/serve.err" | head -5 >&2; exit 1; }
	if [ "$mode" = receive ]; then
		local got
		got=$(sqlite3 "$tmp/r.db" "SELECT state || ' ' || n_received FROM shipment WHERE code = '$code'")
		[ "$got" = "received $ITEMS" ] || { echo "bench: shipment: after the scans: $got" >&2; exit 1; }
		"$OB" --db "$tmp/r.db" audit verify > "$tmp/verify.log" \
			|| { echo "bench: shipment: the audit trail does not verify" >&2; exit 1; }
	fi
	echo "$3 $7 $9"
}
for r in $(seq "$ROUNDS"); do
	for who in $(order "$r" receive thaw); do
		scan_round "$who" > "$tmp/round"
		read -r n secs p99 < "$tmp/round"
		awk -v n="$n" -v s="$secs" 'BEGIN { print n / s }' >> "$tmp/rate-$who"
		echo "$p99" >> "$tmp/p99-$who"
	done
done
a=$(median < "$tmp/rate-receive"); b=$(median < "$tmp/rate-thaw")
p=$(median < "$tmp/p99-receive"); q=$(median < "$tmp/p99-thaw")
sqlite3 "$tmp/c.db" "PRAGMA journal_mode = WAL; CREATE TABLE t (x)" > /dev/null
{ echo "PRAGMA synchronous = FULL;"; seq 1000 | awk '{ print "BEGIN; INSERT INTO t VALUES (" $1 "); COMMIT;" }'; } > "$tmp/c.sql"
t0=$(now); sqlite3 "$tmp/c.db" < "$tmp/c.sql"; t1=$(now)
ceiling=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", 1000 / (b - a) }')
awk -v l="$label" -v a="$a" -v b="$b" -v p="$p" -v q="$q" -v c="$CONN" -v z="$ceiling" 'BEGIN {
	printf "# receive: %d connections, one scan (barcode, box) per request\n", c
	printf "bench: shipment_receive_%s %.0f scans/s vs thaw_same_server %.0f req/s ratio %.2f\n", l, a, b, a / b
	printf "bench: shipment_receive_%s_p99 %.2f ms vs thaw_same_server %.2f ms ratio %.2f\n", l, p, q, q / p
	printf "bench: sqlite_commit_ceiling %d commits/s\n", z
}'
