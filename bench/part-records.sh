#!/usr/bin/env bash
# bench/part-records.sh - the record refactor against the code before it
# (`bash bench/run records` runs it alone). The specimen's fields were
# spelled out in nine files before commit BASELINE (default b9021cf); one
# field table drives them now. Both builds run on the same generated input
# (RECORD_ROWS specimens, default 100,000, seed 42), each on its own copy of
# the same starting database, alternated over RECORD_ROUNDS rounds (default
# 5) in the order A/B, B/A, A/B ... so that neither always goes first (a
# warm cache); each figure is the median of its rounds:
#
#   bench: records_import_100k VALUE rows/s vs pre_refactor VALUE rows/s ratio R
#   bench: records_export_csv_100k VALUE rows/s vs pre_refactor ...
#   bench: records_export_json_100k VALUE rows/s vs pre_refactor ...
#   bench: records_search_1000 VALUE pages/s vs pre_refactor ...
#         (specimen find --json of 1,000 rows with site, type and status filters)
#   bench: records_show_record VALUE us vs pre_refactor VALUE us ratio R
#         (the full record read and rendered as the API gives it, in process:
#         bench/lookup.c of each build, 2,000 random specimens)
#   bench: records_show_http_c16 VALUE req/s vs pre_refactor ...
#         (GET /api/specimens/{barcode}, the full record, wrk with 16 connections
#         for 5 s a round: wrk shares the two cores with the server, so this
#         figure moves by some 10 % from run to run)
#
# R > 1: the refactored code is faster. The baseline is built from the git
# history into the scratch directory (git and the build's packages needed);
# without them the part says so and prints the figures of this build alone.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
OB=$PWD/$BUILD/oncobank
ROWS=${RECORD_ROWS:-100000}
ROUNDS=${RECORD_ROUNDS:-5}
BASE=${BASELINE:-b9021cf}
[ -x "$OB" ] || { echo "bench: $OB is missing; run 'make' first" >&2; exit 1; }
command -v wrk > /dev/null || { echo "bench: installing wrk"; DEBIAN_FRONTEND=noninteractive \
	apt-get install -y -qq wrk > /dev/null; }
make -s -f bench/Makefile BUILD="$BUILD"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/oncobank-bench-records.XXXXXX")
spid=
trap '[ -n "$spid" ] && kill "$spid" 2> /dev/null; rm -rf "$tmp"' EXIT
label=$(awk -v n="$ROWS" 'BEGIN { if (n % 1000 == 0) print n / 1000 "k"; else print n }')

# The baseline: the tree at BASE, built beside.
PREV=
if git rev-parse -q --verify "$BASE^{commit}" > /dev/null 2>&1; then
	mkdir "$tmp/prev"
	git archive "$BASE" | tar -x -C "$tmp/prev"
	if make -s -C "$tmp/prev" -j"$(nproc)" build/oncobank > "$tmp/prev.log" 2>&1 \
	   && make -s -C "$tmp/prev" -f bench/Makefile BUILD=build >> "$tmp/prev.log" 2>&1; then
		PREV=$tmp/prev/build/oncobank
	fi
fi
[ -n "$PREV" ] || echo "bench: records: no baseline build of $BASE (git history or packages missing)"

export OB_USER=bench
"$BUILD/bench/gen" "$tmp" "$ROWS" 42
now() { date +%s.%N; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# who: "new" (this build) or "prev"
bin() { if [ "$1" = new ]; then echo "$OB"; else echo "$PREV"; fi; }
contenders="new"
[ -n "$PREV" ] && contenders="new prev"
# the order of round r: A/B on odd rounds, B/A on even ones
order() { if [ $(($1 % 2)) -eq 1 ]; then echo "$contenders"; else echo "$contenders" | awk '{ for (i = NF; i > 0; i--) printf "%s%s", $i, i > 1 ? " " : "\n" }'; fi; }

for who in $contenders; do
	b=$(bin "$who")
	"$b" --db "$tmp/base-$who.db" init > /dev/null
	"$b" --db "$tmp/base-$who.db" import sites "$tmp/sites.csv" > /dev/null
	"$b" --db "$tmp/base-$who.db" import donors "$tmp/donors.csv" > /dev/null
done

# A/B rounds of: import, export (csv, json), search pages
for r in $(seq "$ROUNDS"); do
	for who in $(order "$r"); do
		b=$(bin "$who")
		cp "$tmp/base-$who.db" "$tmp/r-$who.db"
		t0=$(now)
		"$b" --db "$tmp/r-$who.db" import specimens "$tmp/specimens.csv" > /dev/null
		t1=$(now)
		"$b" --db "$tmp/r-$who.db" export specimens > /dev/null
		t2=$(now)
		"$b" --db "$tmp/r-$who.db" export specimens --format json > /dev/null
		t3=$(now)
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			"$b" --db "$tmp/r-$who.db" specimen find --site REG01 --type plasma --status available \
				--limit 1000 --json > /dev/null
		done
		t4=$(now)
		awk -v n="$ROWS" -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" -v e="$t4" 'BEGIN {
			print n / (b - a) > "'"$tmp/import-$who"'"
			print n / (c - b) > "'"$tmp/csv-$who"'"
			print n / (d - c) > "'"$tmp/json-$who"'"
			print 10 / (e - d) > "'"$tmp/search-$who"'"
		}'
		for k in import csv json search; do cat "$tmp/$k-$who" >> "$tmp/all-$k-$who"; done
		[ "$r" -lt "$ROUNDS" ] && rm -f "$tmp/r-$who.db"
	done
done

# The full record in process, each build's bench/lookup on its own copy.
tool() { if [ "$1" = new ]; then echo "$BUILD/bench/lookup"; else echo "$tmp/prev/build/bench/lookup"; fi; }
for r in $(seq "$ROUNDS"); do
	for who in $(order "$r"); do
		"$(tool "$who")" "$tmp/r-$who.db" "$ROWS" 7 \
			| awk '/^bench: specimen_show_json/ { print $3 }' >> "$tmp/all-record-$who"
	done
done

# The full record over HTTP, each build serving its own imported copy.
free_port() {
	local p
	for p in $(seq 21000 21999 | shuf); do
		(exec 3<> "/dev/tcp/127.0.0.1/$p") 2> /dev/null || { echo "$p"; return; }
	done
}
for who in $contenders; do
	b=$(bin "$who")
	echo "bench-password-1" | "$b" --db "$tmp/r-$who.db" user add bench-$who --site REG01 \
		--role auditor --password-stdin > /dev/null
done
barcode=$("$OB" --db "$tmp/r-new.db" specimen find --site REG01 --limit 1 --offset 321 \
	| awk 'NR == 2 { print $1 }')
for r in $(seq "$ROUNDS"); do
	for who in $(order "$r"); do
		b=$(bin "$who")
		port=$(free_port)
		"$b" --db "$tmp/r-$who.db" serve --listen "127.0.0.1:$port" > "$tmp/serve.log" 2>&1 &
		spid=$!
		for _ in $(seq 100); do
			curl -s "http://127.0.0.1:$port/api/openapi.json" > /dev/null && break
			sleep 0.1
		done
		token=$(curl -s -X POST -H 'Content-Type: application/json' \
			-d "{\"username\":\"bench-$who\",\"password\":\"bench-password-1\"}" \
			"http://127.0.0.1:$port/api/login" | jq -r .token)
		wrk -t2 -c16 -d5s -H "Authorization: Bearer $token" \
			"http://127.0.0.1:$port/api/specimens/$barcode" \
			| awk '/Requests\/sec/ { print $2 }' >> "$tmp/all-show-$who"
		kill "$spid"
		wait "$spid" 2> /dev/null || true
		spid=
	done
done

report() { # NAME UNIT KEY
	local a b
	a=$(median < "$tmp/all-$3-new")
	if [ -n "$PREV" ]; then
		b=$(median < "$tmp/all-$3-prev")
		awk -v n="$1" -v u="$2" -v a="$a" -v b="$b" 'BEGIN {
			printf "bench: %s %.0f %s vs pre_refactor %.0f %s ratio %.2f\n", n, a, u, b, u, a / b }'
	else
		awk -v n="$1" -v u="$2" -v a="$a" 'BEGIN { printf "bench: %s %.0f %s\n", n, a, u }'
	fi
}
report "records_import_$label" rows/s import
report "records_export_csv_$label" rows/s csv
report "records_export_json_$label" rows/s json
awk -v a="$(median < "$tmp/all-search-new")" -v b="$( [ -n "$PREV" ] && median < "$tmp/all-search-prev" || echo 0)" 'BEGIN {
	if (b > 0) printf "bench: records_search_1000 %.1f pages/s vs pre_refactor %.1f pages/s ratio %.2f\n", a, b, a / b
	else printf "bench: records_search_1000 %.1f pages/s\n", a }'
awk -v a="$(median < "$tmp/all-record-new")" -v b="$( [ -n "$PREV" ] && median < "$tmp/all-record-prev" || echo 0)" 'BEGIN {
	if (b > 0) printf "bench: records_show_record %.1f us vs pre_refactor %.1f us ratio %.2f\n", a, b, b / a
	else printf "bench: records_show_record %.1f us\n", a }'
report records_show_http_c16 req/s show
