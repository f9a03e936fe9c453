#!/usr/bin/env bash
# test_serve.sh - end-to-end tests of `oncobank serve` on 127.0.0.1 (a port
# the system picks) and of `oncobank user`: first-run administrator, login,
# /api/me, the static web root, path traversal attempts, the login rate
# limit. Every test stops the server it started, even when it fails.

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# serve_start - a database with a center, a web root with an index, and
# the server in the background (SERVE_THREADS workers, default 2); sets
# URL, ADMIN_PW and SRV_PID.
serve_start() {
	"$OB" --db x.db site add NCC --kind center --name "National Cancer Center" > /dev/null
	"$OB" --db x.db site add REG01 --kind regional --parent NCC > /dev/null
	mkdir -p web/css
	echo '<!doctype html><title>oncobank test index</title>' > web/index.html
	echo 'body { color: black }' > web/css/app.css
	echo 'TOP SECRET CONTENT' > secret.txt
	ln -s ../secret.txt web/link.txt
	serve_bg --db x.db serve --listen 127.0.0.1:0 --web web --threads "${SERVE_THREADS:-2}"
	[ -n "$ADMIN_PW" ] || { echo "no first-run password" >&2; cat srv.out >&2; return 1; }
}

serve_stop() {
	kill "$SRV_PID"
	wait "$SRV_PID" || true
	trap - EXIT
	contains srv.out "oncobank: stopped"
}

# get PATH [CURL ARGS...] - status in $CODE, body in $T/body.
get() {
	local path=$1; shift
	CODE=$(curl -s --path-as-is -o "$T/body" -w '%{http_code}' "$@" "${URL%/}$path")
}

# raw REQUEST - sends the bytes of REQUEST (printf %b escapes) on a plain
# socket and reads the answer into $T/raw (5 s at most); the status is in
# $CODE and the seconds the server took in $SECS. For the framing cases curl
# will not send. A refused request is sent without its body: the server
# answers after the headers and closes, and body bytes it never read would
# make the kernel reset the connection before the answer is read.
raw() {
	local hp=${URL#http://}; hp=${hp%/}
	local t0 t1
	t0=$(date +%s%N)
	exec 3<> "/dev/tcp/${hp%:*}/${hp##*:}"
	( trap '' PIPE; printf '%b' "$1" >&3 ) || true
	timeout 5 cat <&3 > "$T/raw" || true
	exec 3<&-
	t1=$(date +%s%N)
	SECS=$(( (t1 - t0) / 1000000000 ))
	CODE=$(sed -n '1s/^HTTP\/1\.[01] \([0-9]*\).*/\1/p' "$T/raw")
}

login() { # NAME PASSWORD - the token in $TOKEN (empty when refused)
	get /api/login -X POST -H 'Content-Type: application/json' \
		-d "{\"username\":\"$1\",\"password\":\"$2\"}"
	TOKEN=$(sed -n 's/.*"token":"\([0-9a-f]*\)".*/\1/p' "$T/body")
}

test_serve_and_user_help() {
	expect_exit 0 "$OB" serve --help
	contains "$T/out" "--listen HOST:PORT"
	expect_exit 0 "$OB" user --help
	contains "$T/out" "--password-stdin"
	for s in add list passwd disable; do
		expect_exit 0 "$OB" user "$s" --help
		[ -s "$T/out" ]
	done
}

test_login_me_and_static_index() {
	serve_start
	contains srv.out "change it with \`oncobank user passwd admin\`"
	login admin "$ADMIN_PW"
	same "$CODE" 200
	token=$TOKEN
	[ ${#token} -eq 64 ]
	contains "$T/body" '"user":{"username":"admin","site":null,"role":"administrator"}'
	get /api/me -H "Authorization: Bearer $token"
	same "$CODE" 200
	contains "$T/body" '"username":"admin"'
	get /api/me
	same "$CODE" 401
	contains "$T/body" '"code":"unauthorized"'
	get /
	same "$CODE" 200
	contains "$T/body" "oncobank test index"
	get /css/app.css
	same "$CODE" 200
	get /css/
	same "$CODE" 404
	get /api/logout -X POST -H "Authorization: Bearer $token"
	same "$CODE" 200
	get /api/me -H "Authorization: Bearer $token"
	same "$CODE" 401
	# The password never reaches the server's output.
	lacks srv.err "$ADMIN_PW"
	serve_stop
}

test_path_traversal_never_serves_outside_files() {
	serve_start
	for p in '/../etc/passwd' '/%2e%2e/%2e%2e/etc/passwd' '/..%2f..%2fetc%2fpasswd' \
		'/%252e%252e/etc/passwd' '/css/../../secret.txt' '/css/%2e%2e/%2e%2e/secret.txt' \
		'/link.txt' '/.%2e/secret.txt' '/..\..\secret.txt' '/%00/index.html'; do
		get "$p"
		case "$CODE" in
			400|403|404) ;;
			*) echo "$p answered $CODE" >&2; return 1 ;;
		esac
		lacks "$T/body" "root:"
		lacks "$T/body" "TOP SECRET"
	done
	serve_stop
}

# Ambiguous or unknown framing is refused before any body is read, with the
# JSON error body (never libmicrohttpd's HTML) and without holding the
# connection.
test_framing_is_refused_as_json() {
	serve_start
	local body='{"username":"admin","password":"x"}' n=35 field c
	for c in \
		"Content-Length|POST /api/login HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: $n\r\nContent-Length: 5\r\n\r\n" \
		"Content-Length|POST /api/login HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: $n\r\nTransfer-Encoding: chunked\r\n\r\n" \
		"Transfer-Encoding|POST /api/login HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nTransfer-Encoding: xchunked\r\n\r\n" \
		"Transfer-Encoding|POST /api/login HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n" \
		"Transfer-Encoding|POST /api/login HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n" \
		"Host|GET /api/me HTTP/1.1\r\n\r\n" \
		"Host|GET /api/me HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n" \
		"version|GET /api/me HTTP/1.7\r\nHost: h\r\n\r\n" \
		"version|GET /index.html HTTP/1.7\r\nHost: h\r\n\r\n"; do
		field=${c%%|*}
		raw "${c#*|}"
		same "$CODE" 400
		contains "$T/raw" "Content-Type: application/json"
		contains "$T/raw" "\"field\":\"$field\""
		contains "$T/raw" '{"error":{"code":"invalid","message":'
		lacks "$T/raw" "<html>"
		[ "$SECS" -lt 3 ] || { echo "held the connection ${SECS}s: $c" >&2; return 1; }
	done
	# HTTP/1.0 needs no Host; one Host, one length is fine.
	raw "GET /api/me HTTP/1.0\r\n\r\n"
	same "$CODE" 401
	raw "POST /api/login HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: $n\r\nConnection: close\r\n\r\n$body"
	same "$CODE" 401
	serve_stop
}

test_repeated_bad_logins_are_limited() {
	serve_start
	for _ in 1 2 3 4 5; do
		login admin "not the password"
		same "$CODE" 401
	done
	login admin "$ADMIN_PW"
	same "$CODE" 429
	contains "$T/body" '"code":"too_many"'
	# 60 seconds after the 5th failure (a second may have passed since), in
	# the body and in the Retry-After header.
	grep -Eq '"retry_after":(60|59|58)[,}]' "$T/body" || { cat "$T/body" >&2; return 1; }
	curl -s -o /dev/null -D headers -X POST -H 'Content-Type: application/json' \
		-d "{\"username\":\"admin\",\"password\":\"$ADMIN_PW\"}" "${URL%/}/api/login"
	grep -Eqi '^Retry-After: (60|59|58)'$'\r''?$' headers || { cat headers >&2; return 1; }
	serve_stop
	expect_exit 0 "$OB" --db x.db audit verify
}

# Wrong logins sent together on many connections: the limit holds under
# concurrency, 5 passwords are checked and every other attempt is a 429.
test_concurrent_bad_logins_check_at_most_five() {
	local i n401 n429 pids=()
	SERVE_THREADS=8 serve_start
	for i in $(seq 1 24); do
		curl -s -o /dev/null -w '%{http_code}\n' -X POST -H 'Content-Type: application/json' \
			-d '{"username":"admin","password":"not the password"}' "${URL%/}/api/login" \
			> "codes.$i" &
		pids+=($!)
	done
	wait "${pids[@]}"
	cat codes.* > codes
	n401=$(grep -c '^401$' codes || true)
	n429=$(grep -c '^429$' codes || true)
	same "$n401 $n429" "5 19"
	serve_stop
	expect_exit 0 "$OB" --db x.db audit verify
}

test_user_add_list_passwd_disable() {
	"$OB" --db x.db site add NCC --kind center --name N > /dev/null
	"$OB" --db x.db site add REG01 --kind regional --parent NCC > /dev/null
	echo "tech password 1" | expect_exit 0 "$OB" --db x.db user add tech01 --site REG01 \
		--role technician --password-stdin
	expect_exit 1 "$OB" --db x.db user add tech02 --site REG01 --role technician
	contains "$T/err" "password-stdin"
	echo "short" | expect_exit 2 "$OB" --db x.db user add tech03 --site REG01 \
		--role technician --password-stdin
	echo "tech password 1" | expect_exit 4 "$OB" --db x.db user add tech01 --site REG01 \
		--role technician --password-stdin
	expect_exit 0 "$OB" --db x.db user list
	contains "$T/out" "tech01"
	contains "$T/out" "technician"
	expect_exit 0 "$OB" --db x.db user list --json
	contains "$T/out" '{"username":"tech01","site":"REG01","role":"technician","active":true}'
	lacks "$T/out" "argon2"
	echo "new tech password" | expect_exit 0 "$OB" --db x.db user passwd tech01 --password-stdin
	expect_exit 0 "$OB" --db x.db user disable tech01
	expect_exit 0 "$OB" --db x.db user list --json
	contains "$T/out" '"active":false'
	expect_exit 3 "$OB" --db x.db user disable nobody
	# Acting as an account that is not an administrator's.
	echo "researcher pw 1" | expect_exit 0 "$OB" --db x.db user add res01 --site REG01 \
		--role researcher --password-stdin
	echo "another password" | expect_exit 6 "$OB" --db x.db --user res01 user add x9 \
		--site REG01 --role researcher --password-stdin
	# A regional administrator gives no more reach than their own: no
	# auditor, no network-wide account; another region's site is refused
	# (sites are public), another region's account is as absent as one that
	# does not exist.
	"$OB" --db x.db site add REG02 --kind regional --parent NCC > /dev/null
	echo "admin password 2" | expect_exit 0 "$OB" --db x.db user add adm02 --site REG02 \
		--role administrator --password-stdin
	echo "auditor password" | expect_exit 6 "$OB" --db x.db --user adm02 user add aud02 \
		--site REG02 --role auditor --password-stdin
	contains "$T/err" "only a center administrator"
	echo "auditor password" | expect_exit 6 "$OB" --db x.db --user adm02 user add net02 \
		--role researcher --password-stdin
	echo "another password" | expect_exit 6 "$OB" --db x.db --user adm02 user add r02 \
		--site REG01 --role researcher --password-stdin
	contains "$T/err" "site: permission denied"
	echo "another password" | expect_exit 3 "$OB" --db x.db --user adm02 user add r02 \
		--site ZZZ99 --role researcher --password-stdin
	contains "$T/err" "site: no site has code 'ZZZ99'"
	echo "another password" | expect_exit 3 "$OB" --db x.db --user adm02 user passwd res01 \
		--password-stdin
	contains "$T/err" "username: no account named 'res01'"
	echo "another password" | expect_exit 0 "$OB" --db x.db --user adm02 user add tech02 \
		--site REG02 --role technician --password-stdin
	expect_exit 0 "$OB" --db x.db audit verify
}

test_tls_serves_https() {
	command -v openssl > /dev/null || return 0  # nothing to make a certificate with
	openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 1 \
		-subj /CN=localhost 2> /dev/null
	"$OB" --db x.db site add NCC --kind center --name N > /dev/null
	serve_bg --db x.db serve --listen 127.0.0.1:0 --tls-cert cert.pem --tls-key key.pem
	case "$URL" in https://*) ;; *) echo "not https: $URL" >&2; return 1 ;; esac
	get /api/me -k
	same "$CODE" 401
	expect_exit 1 "$OB" --db x.db serve --listen 127.0.0.1:0 --tls-cert cert.pem
	serve_stop
}

# metric NAME_AND_LABELS - the value of one sample of the last scrape ($T/body), or 0.
metric() {
	awk -v k="$1" '$1 == k { print $2; found = 1 } END { if (!found) print 0 }' "$T/body"
}

test_metrics_count_requests_by_route_and_time_them() {
	serve_start
	login admin "$ADMIN_PW"
	token=$TOKEN
	for _ in 1 2 3; do get /api/me -H "Authorization: Bearer $token"; done
	get /api/me
	same "$CODE" 401
	get /api/sites -H "Authorization: Bearer $token"
	get /api/donors/REG01/secret-donor-code -H "Authorization: Bearer $token"
	get "/api/no/such/path?token=$token"
	get /css/app.css
	sleep 0.3  # a request is counted once its answer is sent
	get /metrics
	same "$CODE" 200
	CT=$(curl -s -o /dev/null -w '%{content_type}' "${URL%/}/metrics")
	same "$CT" "text/plain; version=0.0.4"
	contains "$T/body" "# TYPE oncobank_http_requests_total counter"
	contains "$T/body" "# TYPE oncobank_http_request_duration_seconds histogram"
	same "$(metric 'oncobank_http_requests_total{route="/api/me",method="GET",status="200"}')" 3
	same "$(metric 'oncobank_http_requests_total{route="/api/me",method="GET",status="401"}')" 1
	same "$(metric 'oncobank_http_requests_total{route="/api/login",method="POST",status="200"}')" 1
	same "$(metric 'oncobank_http_requests_total{route="/api/donors/{site}/{code}",method="GET",status="404"}')" 1
	same "$(metric 'oncobank_http_requests_total{route="unmatched",method="GET",status="404"}')" 1
	same "$(metric 'oncobank_http_requests_total{route="static",method="GET",status="200"}')" 1
	# Bounded labels: no raw path, barcode-like value, user name or token.
	lacks "$T/body" "secret-donor-code"
	lacks "$T/body" "no/such"
	lacks "$T/body" "admin"
	lacks "$T/body" "$token"
	# The histogram: buckets never decrease, +Inf is the count, which counts
	# every request answered before this scrape (9 above, and the first /metrics).
	awk '/^oncobank_http_request_duration_seconds_bucket/ { v = $2 + 0;
		if (v < prev) { print "bucket decreases: " $0; exit 1 } prev = v }' "$T/body"
	inf=$(metric 'oncobank_http_request_duration_seconds_bucket{le="+Inf"}')
	same "$inf" "$(metric oncobank_http_request_duration_seconds_count)"
	same "$inf" 9
	grep -q '^oncobank_db_size_bytes [1-9][0-9]*$' "$T/body"
	serve_stop
}

test_healthz_says_whether_the_schema_is_current() {
	serve_start
	get /healthz
	same "$CODE" 200
	# The latest migration, whatever its number.
	want=$(ls "$SRC/migrations" | sed -n 's/^0*\([0-9][0-9]*\)_.*\.sql$/\1/p' | sort -n | tail -n 1)
	contains "$T/body" "\"status\":\"ok\",\"database\":\"ok\",\"schema\":$want,\"schema_expected\":$want"
	# A migration the server expects goes missing: the schema is behind.
	sqlite3 x.db "DELETE FROM schema_migration WHERE version = 3"
	get /healthz
	same "$CODE" 503
	contains "$T/body" '"status":"unavailable"'
	contains "$T/body" '"schema_pending":1'
	# One this binary does not know: ahead of it.
	sqlite3 x.db "INSERT INTO schema_migration VALUES (3, '003_audit_reason', 'x'),
		(999, '999_future', 'x')"
	get /healthz
	same "$CODE" 503
	contains "$T/body" "\"schema\":999,\"schema_expected\":$want"
	serve_stop
}

test_access_log_has_one_line_per_request_without_secrets() {
	"$OB" --db x.db site add NCC --kind center --name N > /dev/null
	serve_bg --db x.db serve --listen 127.0.0.1:0 --access-log access.log
	login admin "$ADMIN_PW"
	token=$TOKEN
	get /api/me -H "Authorization: Bearer $token"
	get "/api/sites?password=hunter2&token=$token" -H "Authorization: Bearer $token"
	get '/api/donors/NCC/a%0Ab%20c' -H "Authorization: Bearer $token"
	get '/nothing%0Ahere?x=1'
	serve_stop
	same "$(wc -l < access.log)" 5
	lacks access.log "$ADMIN_PW"
	lacks access.log "$token"
	lacks access.log "hunter2"
	lacks access.log "password"
	lacks access.log "x=1"
	grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z 127\.0\.0\.1 - POST /api/login 200 [0-9.]+ms$' access.log
	grep -Eq ' 127\.0\.0\.1 admin GET /api/me 200 [0-9.]+ms$' access.log
	# Unknown parameters and a control character in a path segment are
	# refused (400) before the handler; the line names the route all the same.
	grep -Eq ' admin GET /api/sites 400 ' access.log
	grep -Eq ' admin GET /api/donors/\{site\}/\{code\} 400 ' access.log
	# Every line has the seven fields: nothing a client sent splits one.
	awk 'NF != 7 { print "bad line: " $0; exit 1 }' access.log
	expect_exit 2 "$OB" --db x.db serve --listen 127.0.0.1:0 --access-log /nonexistent/dir/log
	contains "$T/err" "access-log: cannot open /nonexistent/dir/log"
}

test_audit_head_is_for_administrators_and_auditors() {
	serve_start
	echo "researcher pw 1" | "$OB" --db x.db user add res01 --site REG01 --role researcher \
		--password-stdin > /dev/null
	echo "auditor pw 123" | "$OB" --db x.db user add aud01 --role auditor --password-stdin > /dev/null
	get /api/audit/head
	same "$CODE" 401
	login res01 "researcher pw 1"
	get /api/audit/head -H "Authorization: Bearer $TOKEN"
	same "$CODE" 403
	login aud01 "auditor pw 123"
	get /api/audit/head -H "Authorization: Bearer $TOKEN"
	same "$CODE" 200
	cp "$T/body" head.json
	# The same head the command line anchors.
	expect_exit 0 "$OB" --db x.db audit anchor anchor.json
	seq=$(sed -n 's/.*"seq":\([0-9]*\).*/\1/p' anchor.json)
	hash=$(sed -n 's/.*"hash":"\([0-9a-f]*\)".*/\1/p' anchor.json)
	same "$(cat head.json)" "{\"seq\":$seq,\"hash\":\"$hash\"}"
	serve_stop
}

. "$(dirname "$0")/lib.sh"
run_tests
