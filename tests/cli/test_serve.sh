#!/usr/bin/env bash
# test_serve.sh - end-to-end tests of `oncobank serve` on 127.0.0.1 (a port
# the system picks) and of `oncobank user`: first-run administrator, login,
# /api/me, the static web root, path traversal attempts, the login rate
# limit. Every test stops the server it started, even when it fails.

# serve_start - a database with a center, a web root with an index, and
# the server in the background; sets URL, ADMIN_PW and SRV_PID.
serve_start() {
	"$OB" --db x.db site add NCC --kind center --name "National Cancer Center" > /dev/null
	"$OB" --db x.db site add REG01 --kind regional --parent NCC > /dev/null
	mkdir -p web/css
	echo '<!doctype html><title>oncobank test index</title>' > web/index.html
	echo 'body { color: black }' > web/css/app.css
	echo 'TOP SECRET CONTENT' > secret.txt
	ln -s ../secret.txt web/link.txt
	"$OB" --db x.db serve --listen 127.0.0.1:0 --web web --threads 2 > srv.out 2> srv.err &
	SRV_PID=$!
	trap 'kill "$SRV_PID" 2> /dev/null; wait "$SRV_PID" 2> /dev/null' EXIT
	for _ in $(seq 1 150); do
		grep -q '^oncobank: serving' srv.out 2> /dev/null && break
		kill -0 "$SRV_PID" 2> /dev/null || { cat srv.err >&2; return 1; }
		sleep 0.1
	done
	URL=$(sed -n 's/^oncobank: serving \([^ ]*\).*/\1/p' srv.out)
	ADMIN_PW=$(sed -n "s/^first run: created administrator 'admin' with password \([^ ]*\) .*/\1/p" srv.out)
	[ -n "$URL" ] || { echo "server did not start" >&2; cat srv.err >&2; return 1; }
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
	expect_exit 0 "$OB" --db x.db audit verify
}

test_tls_serves_https() {
	command -v openssl > /dev/null || return 0  # nothing to make a certificate with
	openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 1 \
		-subj /CN=localhost 2> /dev/null
	"$OB" --db x.db site add NCC --kind center --name N > /dev/null
	"$OB" --db x.db serve --listen 127.0.0.1:0 --tls-cert cert.pem --tls-key key.pem \
		> srv.out 2> srv.err &
	SRV_PID=$!
	trap 'kill "$SRV_PID" 2> /dev/null; wait "$SRV_PID" 2> /dev/null' EXIT
	for _ in $(seq 1 150); do
		grep -q '^oncobank: serving' srv.out 2> /dev/null && break
		sleep 0.1
	done
	URL=$(sed -n 's/^oncobank: serving \([^ ]*\).*/\1/p' srv.out)
	case "$URL" in https://*) ;; *) echo "not https: $URL" >&2; return 1 ;; esac
	get /api/me -k
	same "$CODE" 401
	expect_exit 1 "$OB" --db x.db serve --listen 127.0.0.1:0 --tls-cert cert.pem
	serve_stop
}

. "$(dirname "$0")/lib.sh"
run_tests
