#!/usr/bin/env bash
# test_openapi.sh - end to end on 127.0.0.1: `oncobank serve` answers
# GET /api/openapi.json with a document a real OpenAPI validator accepts
# (tests/http/openapi/validate.mjs under node), and every operation in it
# exists on the server: a GET with a valid token and real path values is
# not a 404 or 405 (and a JSON 200 matches the document's schema for it), a
# POST or PATCH with a bad body is a 400 or 422.
#
# node packages are installed next to the binary under test
# (BUILD/openapi-node), never into the source tree; the server is stopped
# on every way out.

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# Installs the validator once per build directory; prints its directory.
validator() {
	local dir
	dir="$(cd "$(dirname "$OB")" && pwd)/openapi-node"
	mkdir -p "$dir"
	cp "$SRC/tests/http/openapi/package.json" "$SRC/tests/http/openapi/validate.mjs" "$dir/"
	# Installed again whenever package.json changes.
	if ! cmp -s "$dir/package.json" "$dir/installed.json"; then
		npm install --prefix "$dir" --no-audit --no-fund --loglevel=error > "$T/npm.log" 2>&1 \
			|| { cat "$T/npm.log" >&2; return 1; }
		cp "$dir/package.json" "$dir/installed.json"
	fi
	echo "$dir"
}

# serve DB - starts the server on a free port; sets URL and SERVER_PID.
serve() {
	: > "$T/serve.out"
	"$OB" --db "$1" serve --listen 127.0.0.1:0 > "$T/serve.out" 2> "$T/serve.err" &
	SERVER_PID=$!
	trap 'kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null' EXIT
	for _ in $(seq 1 100); do
		URL=$(sed -n 's/^oncobank: serving \(http:[^ ]*\).*/\1/p' "$T/serve.out" || true)
		[ -n "$URL" ] && break
		kill -0 "$SERVER_PID" 2>/dev/null || { cat "$T/serve.err" >&2; return 1; }
		sleep 0.1
	done
	[ -n "$URL" ] || { echo "the server did not start" >&2; cat "$T/serve.err" >&2; return 1; }
	URL=${URL%/}
}

stop() {
	kill "$SERVER_PID" 2>/dev/null || true
	wait "$SERVER_PID" 2>/dev/null || true
	trap - EXIT
}

# status METHOD PATH [BODY] [TOKEN] - prints the HTTP status.
status() {
	local args=(-s -o "$T/body" -w '%{http_code} %{content_type}' -X "$1") out
	[ -n "${3:-}" ] && args+=(-H 'Content-Type: application/json' --data-binary "$3")
	[ -n "${4:-}" ] && args+=(-H "Authorization: Bearer $4")
	out=$(curl "${args[@]}" "$URL$2")
	echo "${out#* }" > "$T/ctype"
	echo "${out%% *}"
}

login() {
	curl -s -H 'Content-Type: application/json' \
		--data-binary "{\"username\":\"tester\",\"password\":\"$PW\"}" "$URL/api/login" \
		| sed -n 's/.*"token":"\([0-9a-f]*\)".*/\1/p'
}

PW="a long enough password"

# A database where every path has something real to name.
fill() {
	"$OB" --db x.db site add NCC --kind center --name "National Cancer Center" >/dev/null
	"$OB" --db x.db site add REG01 --kind regional --parent NCC >/dev/null
	"$OB" --db x.db donor add D1 --site REG01 --sex F --birth-year 1968 >/dev/null
	"$OB" --db x.db consent add D1 --site REG01 --form v3 --signed 2024-01-05 \
		--scope storage,research,genetic,sharing >/dev/null
	"$OB" --db x.db container add FRZ1 --kind freezer --site REG01 --temperature -80 >/dev/null
	"$OB" --db x.db container add BOX1 --kind box --parent FRZ1 --rows 9 --cols 9 >/dev/null
	BARCODE=$("$OB" --db x.db specimen add --site REG01 --donor D1 --type plasma --quantity 2 \
		--unit ml --collected-at 2024-03-01T10:00:00Z --container BOX1 --position A1)
	echo "$PW" | "$OB" --db x.db user add tester --role administrator --password-stdin >/dev/null
	"$OB" --db x.db study add BC1 --title "Cohort" --status active --sites REG01 >/dev/null
	"$OB" --db x.db study event-add BC1 V1 >/dev/null
	"$OB" --db x.db study member-add BC1 tester --role investigator >/dev/null
	"$OB" --db x.db shipment create --from REG01 --to NCC --code SH1 --courier "City courier" \
		>/dev/null
	# result 1: an empty germline panel (its report is a page, not an error)
	printf '##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n' > empty.vcf
	"$OB" --db x.db sequencing add "$BARCODE" --vcf empty.vcf --kind germline \
		--assay "HBOC panel" --genome GRCh38 >/dev/null
}

test_served_openapi_is_valid_and_complete() {
	command -v node >/dev/null && command -v npm >/dev/null \
		|| { echo "node and npm are needed to validate the OpenAPI document" >&2; return 1; }
	local dir token logout_token ops method path p st bad=0
	dir=$(validator)
	fill
	serve x.db
	st=$(status GET /api/openapi.json)
	same "$st" 200
	cp "$T/body" openapi.json
	node "$dir/validate.mjs" openapi.json > ops.txt
	[ "$(wc -l < ops.txt)" -ge 30 ]
	token=$(login)
	[ -n "$token" ]
	logout_token=$(login)
	while read -r method path; do
		p=${path//\{site\}/REG01}
		p=${p//\{code\}/D1}
		p=${p//\{kind\}/specimens}
		p=${p//\{barcode\}/$BARCODE}
		p=${p//\{id\}/1}
		p=${p//\{entity\}/specimen}
		p=${p//\{form_version\}/v3}
		case "$path" in
		/api/sites/*) p=${path//\{code\}/REG01} ;;
		/api/containers/*) p=${path//\{barcode\}/FRZ1} ;;
		/api/labels/containers/*) p=${path//\{barcode\}/BOX1} ;;
		/api/sprec/*) p=/api/sprec/SER-SST-A-B-N-A-D ;;
		/api/studies/*) p=${path//\{code\}/BC1}; p=${p//\{event\}/V1}; p=${p//\{user\}/tester} ;;
		/api/shipments/*) p=${path//\{code\}/SH1}; p=${p//\{barcode\}/$BARCODE} ;;
		esac
		if [ "$method" = GET ]; then
			st=$(status GET "$p" "" "$token")
			case "$st" in 404|405|5*) echo "GET $p: $st $(cat "$T/body")" >&2; bad=1 ;; esac
			# A JSON answer has the shape the document gives it.
			if [ "$st" = 200 ] && grep -q '^application/json' "$T/ctype"; then
				node "$dir/validate.mjs" openapi.json --response GET "$path" 200 "$T/body" \
					|| bad=1
			fi
		elif [ "$path" = /api/logout ]; then
			st=$(status POST "$p" "{bad" "$logout_token")
			case "$st" in 200|400|422) ;; *) echo "POST $p: $st $(cat "$T/body")" >&2; bad=1 ;; esac
		else
			st=$(status "$method" "$p" "{bad" "$token")
			# An import reads text/csv: a JSON body is refused for its type.
			case "$path:$st" in /api/import/*:415|*:400|*:422) ;;
			*) echo "$method $p: $st $(cat "$T/body")" >&2; bad=1 ;; esac
			# The error body too is the one the document describes.
			node "$dir/validate.mjs" openapi.json --response "$method" "$path" "$st" "$T/body" \
				|| bad=1
		fi
	done < ops.txt
	# A path the document does not have is a 404, so the checks above mean something.
	same "$(status GET /api/no-such-thing "" "$token")" 404
	stop
	[ "$bad" -eq 0 ]
}

# post TEMPLATE PATH BODY STATUS - POSTs BODY as the tester, expects STATUS
# and a body matching the document's schema for it.
post() {
	local st
	st=$(status POST "$2" "$3" "$TOKEN")
	[ "$st" = "$4" ] || { echo "POST $2: $st, expected $4: $(cat "$T/body")" >&2; return 1; }
	node "$DIR/validate.mjs" openapi.json --response POST "$1" "$4" "$T/body"
}

# patch TEMPLATE PATH BODY STATUS - the same for a PATCH.
patch() {
	local st
	st=$(status PATCH "$2" "$3" "$TOKEN")
	[ "$st" = "$4" ] || { echo "PATCH $2: $st, expected $4: $(cat "$T/body")" >&2; return 1; }
	node "$DIR/validate.mjs" openapi.json --response PATCH "$1" "$4" "$T/body"
}

test_changes_answer_as_documented() {
	command -v node >/dev/null || { echo "node is needed" >&2; return 1; }
	local al
	DIR=$(validator)
	fill
	serve x.db
	status GET /api/openapi.json > /dev/null
	cp "$T/body" openapi.json
	TOKEN=$(login)
	[ -n "$TOKEN" ]
	post /api/sites /api/sites '{"code":"HOS01","name":"H1","kind":"hospital","parent":"REG01"}' 201
	post /api/donors /api/donors '{"site":"REG01","code":"D2","sex":"male","birth_year":1970}' 201
	post /api/donors/{site}/{code}/consents /api/donors/REG01/D2/consents \
		'{"form_version":"v1","signed_on":"2024-01-01","scope":["storage","research"]}' 201
	post /api/consent-forms /api/consent-forms '{"form_version":"v7","title":"Consent 7",'\
'"statements":[{"code":"STORE","uses":["storage","research"],"text":"Keep and use"},'\
'{"code":"DNA","uses":["genetic"],"text":"Genetic research","text_zh":"遗传学研究"}]}' 201
	post /api/donors/{site}/{code}/consents /api/donors/REG01/D2/consents \
		'{"form_version":"v7","signed_on":"2024-03-01","witness":"Nurse Li","responses":{"STORE":"yes","DNA":"yes"}}' 201
	post /api/donors/{site}/{code}/withdrawal /api/donors/REG01/D2/withdrawal \
		'{"reason":"no genetics","statement":"DNA"}' 200
	post /api/donors/{site}/{code}/diagnoses /api/donors/REG01/D2/diagnoses \
		'{"topography":"C50.9","morphology":"8500/3"}' 201
	post /api/specimens /api/specimens '{"site":"REG01","donor":"D2","type":"whole_blood",
		"quantity":5,"unit":"ml","collected_at":"2024-02-01T09:00:00Z","container":"BOX1",
		"position":"A2"}' 201
	post /api/specimens/{barcode}/aliquots "/api/specimens/$BARCODE/aliquots" \
		'{"quantity":0.5,"unit":"ml","count":2,"container":"BOX1","positions":["B1","B2"]}' 201
	al=$(sed -n 's/.*"barcodes":\["\([^"]*\)".*/\1/p' "$T/body")
	post /api/specimens/{barcode}/derivatives "/api/specimens/$BARCODE/derivatives" \
		'{"type":"cfdna","quantity":10,"unit":"ng","used":0.5}' 201
	post /api/specimens/{barcode}/move "/api/specimens/$BARCODE/move" \
		'{"container":"BOX1","position":"C1"}' 200
	post /api/specimens/{barcode}/status "/api/specimens/$BARCODE/status" \
		'{"status":"reserved","reason":"project"}' 200
	post /api/specimens/{barcode}/thaw "/api/specimens/$BARCODE/thaw" '{}' 200
	post /api/specimens/{barcode}/sequencing "/api/specimens/$BARCODE/sequencing" \
		'{"kind":"somatic","assay":"panel","genome":"GRCh38","tumor_type":"LUAD","panel_size_mb":1.2,
		"vcf":"##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"}' 201
	post /api/specimens/{barcode}/sequencing "/api/specimens/$BARCODE/sequencing" \
		'{"kind":"somatic","assay":"panel","genome":"GRCh38","vcf":"not a vcf"}' 400
	post /api/specimens/swap /api/specimens/swap "{\"a\":\"$BARCODE\",\"b\":\"$al\"}" 200
	post /api/containers /api/containers \
		'{"barcode":"BOX2","kind":"box","parent":"FRZ1","rows":2,"cols":2}' 201
	post /api/containers/{barcode}/empty /api/containers/BOX2/empty '{"into":"BOX1"}' 200
	post /api/users /api/users \
		"{\"username\":\"tech\",\"site\":\"REG01\",\"role\":\"technician\",\"password\":\"$PW\"}" 201
	patch /api/donors/{site}/{code} /api/donors/REG01/D2 '{"reason":"typo","birth_year":1971}' 200
	patch /api/donors/{site}/{code}/diagnoses/{id} /api/donors/REG01/D2/diagnoses/1 \
		'{"reason":"review","morphology":"8520/3"}' 200
	patch /api/containers/{barcode} /api/containers/BOX2 '{"reason":"relabelled","name":"B2"}' 200
	patch /api/containers/{barcode} /api/containers/FRZ1 '{"reason":"r","temperature":-70}' 200
	patch /api/sites/{code} /api/sites/HOS01 '{"reason":"official","name":"Hospital 1"}' 200
	patch /api/sites/{code} /api/sites/HOS01 '{"reason":"closed","retired":true}' 200
	patch /api/sites/{code} /api/sites/HOS01 '{"name":"no reason"}' 400
	post /api/donors/{site}/{code}/withdrawal /api/donors/REG01/D2/withdrawal '{"reason":"asked","disposition":"keep"}' 200
	# shipments: made, refused with the barcodes and reasons, edited, cancelled
	post /api/shipments /api/shipments '{"to_site":"NCC","from_site":"REG01","code":"SH2"}' 201
	post /api/shipments/{code}/items /api/shipments/SH2/items "{\"barcodes\":[\"$BARCODE\"]}" 409
	contains "$T/body" '"refusals":[{"barcode":'
	post /api/shipments/{code}/pack /api/shipments/SH2/pack '{}' 409
	patch /api/shipments/{code} /api/shipments/SH2 '{"tracking":"T-1","notes":null}' 200
	post /api/shipments/{code}/cancel /api/shipments/SH2/cancel '{"reason":"not needed"}' 200
	post /api/shipments/{code}/receive /api/shipments/SH2/receive '{"barcode":"X1"}' 409
	# The import's answers, good and bad, as text/csv bodies.
	same "$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
		-H 'Content-Type: text/csv' --data-binary $'site,donor\nREG01,D5\n' \
		"$URL/api/import/donors")" 200
	node "$DIR/validate.mjs" openapi.json --response POST /api/import/{kind} 200 "$T/body"
	same "$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
		-H 'Content-Type: text/csv' --data-binary $'site,donor,sex\nREG01,D6,sometimes\n' \
		"$URL/api/import/donors")" 400
	node "$DIR/validate.mjs" openapi.json --response POST /api/import/{kind} 400 "$T/body"
	contains "$T/body" '"line":2'
	stop
}

# The refusals of the attempt limit (429, with retry_after) are the ones
# the document describes, for a login and for a current password.
test_limited_password_checks_answer_as_documented() {
	command -v node >/dev/null || { echo "node is needed" >&2; return 1; }
	local i
	DIR=$(validator)
	fill
	serve x.db
	status GET /api/openapi.json > /dev/null
	cp "$T/body" openapi.json
	TOKEN=$(login)
	for i in 1 2 3 4 5; do
		post /api/me/password /api/me/password \
			'{"current_password":"not the password","password":"a new long password"}' 400
	done
	post /api/me/password /api/me/password \
		'{"current_password":"not the password","password":"a new long password"}' 429
	contains "$T/body" '"retry_after":'
	for i in 1 2 3 4 5; do
		same "$(status POST /api/login '{"username":"nobody","password":"not the password"}')" 401
	done
	same "$(status POST /api/login '{"username":"nobody","password":"not the password"}')" 429
	node "$DIR/validate.mjs" openapi.json --response POST /api/login 429 "$T/body"
	stop
}

test_openapi_is_public_and_json() {
	fill
	serve x.db
	same "$(status GET /api/openapi.json)" 200
	contains "$T/body" '"openapi": "3.0.3"'
	same "$(status GET /api/stats)" 401
	stop
}

. "$(dirname "$0")/lib.sh"
run_tests
