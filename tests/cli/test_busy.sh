#!/usr/bin/env bash
# test_busy.sh - a busy database (docs/storage.md "Busy database"): while
# another writer holds the write lock (an sqlite3 process in BEGIN
# IMMEDIATE stands in for a long import), a CLI write waits up to --wait
# seconds saying so once, then exits 8 having changed nothing; the server
# answers a write 503 with Retry-After and the "busy" code (never 500),
# still answers reads, and accepts the write once the lock is gone.

# hold_lock SECONDS - another process holds the write lock of x.db for
# SECONDS; returns once it has it. Its pid is in LOCK_PID.
hold_lock() {
	( echo 'BEGIN IMMEDIATE;'; echo "SELECT 'locked';"; sleep "$1"; echo 'COMMIT;' ) \
		| sqlite3 x.db > lock.out 2>&1 &
	LOCK_PID=$!
	for _ in $(seq 1 100); do
		grep -q locked lock.out 2> /dev/null && return 0
		sleep 0.05
	done
	echo "the helper did not get the lock" >&2
	cat lock.out >&2
	return 1
}

need_sqlite3() {
	command -v sqlite3 > /dev/null || { echo "sqlite3 (the shell) is not installed"; exit 77; }
}

setup() {
	need_sqlite3
	db() { "$OB" --db x.db --user tester "$@"; }
	db site add NCC --kind center > /dev/null
	db site add REG01 --kind regional --parent NCC > /dev/null
	db donor add D1 --site REG01 --sex female > /dev/null
	db consent add D1 --site REG01 --form v1 --signed 2024-01-01 --scope storage,research > /dev/null
	db container add FRZ-1 --kind freezer --site REG01 --temperature -80 > /dev/null
	db container add BOX-1 --kind box --parent FRZ-1 --rows 4 --cols 4 > /dev/null
	SP=$(db specimen add --site REG01 --donor D1 --type plasma --quantity 1 --unit ml \
		--container BOX-1 --position A1)
	[ -n "$SP" ]
}

test_cli_write_gives_up_after_wait_with_status_8() {
	setup
	hold_lock 6
	start=$(date +%s%N)
	expect_exit 8 "$OB" --db x.db --wait 1 site add REG02 --kind regional --parent NCC
	elapsed=$((($(date +%s%N) - start) / 1000000))
	contains "$T/err" "oncobank: database busy (another writer); waiting up to 1 s"
	contains "$T/err" "database busy: another writer held it for"
	contains "$T/err" "--wait SECONDS"
	[ "$(grep -c 'waiting up to' "$T/err")" -eq 1 ]
	# It waited about its budget, not the engine's old 10 s.
	[ "$elapsed" -ge 900 ] && [ "$elapsed" -lt 4000 ] || { echo "waited $elapsed ms" >&2; exit 1; }
	kill "$LOCK_PID" 2> /dev/null || true
	wait "$LOCK_PID" 2> /dev/null || true
	expect_exit 0 "$OB" --db x.db site list
	lacks "$T/out" "REG02"
}

test_cli_write_waits_for_the_other_writer() {
	setup
	hold_lock 1.5
	expect_exit 0 "$OB" --db x.db --wait=20 site add REG02 --kind regional --parent NCC
	[ "$(grep -c 'waiting up to 20 s' "$T/err")" -eq 1 ]
	wait "$LOCK_PID"
	expect_exit 0 "$OB" --db x.db site list
	contains "$T/out" "REG02"
}

test_wait_zero_and_ob_wait_and_bad_values() {
	setup
	hold_lock 4
	OB_WAIT=0 expect_exit 8 "$OB" --db x.db site add REG02 --kind regional --parent NCC
	contains "$T/err" "database busy: another writer held it for 0.0 s"
	lacks "$T/err" "waiting up to"
	OB_WAIT=1 expect_exit 8 "$OB" --db x.db container move "$SP" BOX-1 B2
	contains "$T/err" "waiting up to 1 s"
	# Reads do not wait for a writer.
	expect_exit 0 "$OB" --db x.db --wait 0 specimen show "$SP"
	kill "$LOCK_PID" 2> /dev/null || true
	wait "$LOCK_PID" 2> /dev/null || true
	expect_exit 1 "$OB" --db x.db --wait soon site list
	contains "$T/err" "--wait: 'soon' is not a number of seconds"
	OB_WAIT=-3 expect_exit 1 "$OB" --db x.db site list
	contains "$T/err" "OB_WAIT: '-3'"
	expect_exit 0 "$OB" --help
	contains "$T/out" "8 database busy"
	contains "$T/out" "--wait SECS"
}

# serve_start - the server on a port the system picks, with a 1 s wait.
serve_start() {
	serve_bg --db x.db --wait 1 serve --listen 127.0.0.1:0 --threads 2
	trap 'kill "$SRV_PID" "${LOCK_PID:-}" 2> /dev/null; wait 2> /dev/null' EXIT
	[ -n "$ADMIN_PW" ]
}

# api METHOD PATH [BODY] - status in $CODE, headers in hdr, body in body.
api() {
	CODE=$(curl -s -D hdr -o body -w '%{http_code}' -X "$1" -H "Authorization: Bearer $TOKEN" \
		-H 'Content-Type: application/json' ${3:+-d "$3"} "${URL%/}$2")
}

test_server_answers_503_with_retry_after_never_500() {
	setup
	command -v curl > /dev/null || { echo "curl is not installed"; exit 77; }
	serve_start
	CODE=$(curl -s -o body -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
		-d "{\"username\":\"admin\",\"password\":\"$ADMIN_PW\"}" "${URL%/}/api/login")
	same "$CODE" 200
	TOKEN=$(sed -n 's/.*"token":"\([0-9a-f]*\)".*/\1/p' body)
	hold_lock 6
	api POST "/api/specimens/$SP/move" '{"container":"BOX-1","position":"B2"}'
	same "$CODE" 503
	grep -qi '^Retry-After: 5' hdr || { echo "no Retry-After" >&2; cat hdr >&2; exit 1; }
	contains body '"code":"busy"'
	contains body 'the database is busy (another writer holds it); try again later'
	# Reads go on while the writer holds the lock.
	api GET "/api/specimens/$SP"
	same "$CODE" 200
	contains body '"position":"A1"'
	kill "$LOCK_PID" 2> /dev/null || true
	wait "$LOCK_PID" 2> /dev/null || true
	api POST "/api/specimens/$SP/move" '{"container":"BOX-1","position":"B2"}'
	same "$CODE" 200
	# The waiting write's tries are counted for the operators.
	CODE=$(curl -s -o metrics -w '%{http_code}' "${URL%/}/metrics")
	same "$CODE" 200
	retries=$(awk '/^oncobank_db_busy_retries_total / { print $2 }' metrics)
	[ "${retries:-0}" -gt 0 ] || { echo "busy retries not counted: ${retries:-none}" >&2; exit 1; }
	kill "$SRV_PID"
	wait "$SRV_PID" || true
	trap - EXIT
	lacks srv.err ": 500:"
	contains srv.err "503"
	"$OB" --db x.db audit verify > /dev/null
}

source "$(dirname "$0")/lib.sh"
run_tests
