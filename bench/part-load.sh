#!/usr/bin/env bash
# bench/part-load.sh - a mixed read/write load on `oncobank serve`
# (`bash bench/run load` runs it alone): wrk with 64 connections for
# LOAD_SECONDS (default 60) on 127.0.0.1, at most LOAD_MAX requests (default
# 5,000,000), against a database of LOAD_ROWS generated specimens (default
# 100,000): shows and searches by a technician of the
# whole network, and thaws (each a write transaction with its audit event),
# mixed as bench/load.lua says. Prints
#
#   bench: http_mixed_c64 VALUE req/s
#   bench: http_mixed_c64_errors N (socket errors and timeouts)
#   bench: http_mixed_c64_non2xx N
#   bench: http_mixed_c64_5xx N
#   bench: http_mixed_c64_p99 VALUE ms
#   bench: http_mixed_c64_busy_retries N (writes that waited for another)
#   bench: http_mixed_c64_audit_verify ok|FAILED
#
# The goal is 0 errors, 0 5xx and an audit trail that verifies.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
OB=$BUILD/oncobank
ROWS=${LOAD_ROWS:-100000}
SECS=${LOAD_SECONDS:-60}
MAX=${LOAD_MAX:-5000000}
[ -x "$OB" ] || { echo "bench: $OB is missing; run 'make' first" >&2; exit 1; }
command -v wrk > /dev/null || { echo "bench: installing wrk"; DEBIAN_FRONTEND=noninteractive \
	apt-get install -y -qq wrk > /dev/null; }
make -s -f bench/Makefile BUILD="$BUILD"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/oncobank-bench-load.XXXXXX")
spid=
trap '[ -n "$spid" ] && kill "$spid" 2> /dev/null; rm -rf "$tmp"' EXIT

export OB_USER=bench
"$BUILD/bench/gen" "$tmp" "$ROWS" 42
db=$tmp/load.db
"$OB" --db "$db" init > /dev/null
for k in sites donors specimens; do "$OB" --db "$db" import "$k" "$tmp/$k.csv" > /dev/null; done
echo "load-password-1" | "$OB" --db "$db" user add loadtech --site NCC --role technician \
	--password-stdin > /dev/null
"$OB" --db "$db" specimen find --status available --limit 2000 | awk 'NR > 1 { print $1 }' \
	> "$tmp/barcodes"
[ -s "$tmp/barcodes" ] || { echo "bench: no available specimens" >&2; exit 1; }

port=
for p in $(seq 21000 21999 | shuf); do
	(exec 3<> "/dev/tcp/127.0.0.1/$p") 2> /dev/null || { port=$p; break; }
done
"$OB" --db "$db" serve --listen "127.0.0.1:$port" > "$tmp/serve.out" 2> "$tmp/serve.err" &
spid=$!
for _ in $(seq 100); do curl -s "http://127.0.0.1:$port/api/openapi.json" > /dev/null && break; sleep 0.1; done
token=$(curl -s -X POST -H 'Content-Type: application/json' \
	-d '{"username":"loadtech","password":"load-password-1"}' \
	"http://127.0.0.1:$port/api/login" | sed -n 's/.*"token":"\([0-9a-f]*\)".*/\1/p')
[ -n "$token" ] || { echo "bench: login failed" >&2; exit 1; }

LOAD_TOKEN=$token LOAD_BARCODES=$tmp/barcodes LOAD_MAX_PER_THREAD=$((MAX / 2)) \
	wrk -t2 -c64 -d"${SECS}"s --timeout 20s --latency -s bench/load.lua \
	"http://127.0.0.1:$port" > "$tmp/wrk.out"
line=$(grep '^load:' "$tmp/wrk.out") || { cat "$tmp/wrk.out" >&2; exit 1; }
# The busy-retry count: /metrics when the server has it, else the line the
# server writes when it stops.
busy=$(curl -s "http://127.0.0.1:$port/metrics" -H "Authorization: Bearer $token" 2> /dev/null \
	| awk '/^oncobank_db_busy_retries_total / { print $2 }')
kill "$spid"; wait "$spid" 2> /dev/null || true; spid=
[ -n "$busy" ] || busy=$(sed -n 's/^oncobank serve: database busy retries: //p' "$tmp/serve.err")
if "$OB" --db "$db" audit verify > "$tmp/verify.out" 2>&1; then verify=ok; else verify=FAILED; fi
echo "$line" | awk -v busy="${busy:-unknown}" -v verify="$verify" '{
	printf "bench: http_mixed_c64 %.0f req/s\n", $3 / $5
	printf "bench: http_mixed_c64_errors %d\n", $7
	printf "bench: http_mixed_c64_non2xx %d\n", $9
	printf "bench: http_mixed_c64_5xx %d\n", $11
	printf "bench: http_mixed_c64_p99 %.2f ms\n", $13
	printf "bench: http_mixed_c64_busy_retries %s\n", busy
	printf "bench: http_mixed_c64_audit_verify %s\n", verify
}'
[ "$verify" = ok ] || { sed 's/^/  /' "$tmp/verify.out" >&2; }
grep ' 500: ' "$tmp/serve.err" | head -5 >&2 || true
