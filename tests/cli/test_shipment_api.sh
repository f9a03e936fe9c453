#!/usr/bin/env bash
# test_shipment_api.sh - a shipment over HTTP from two users at two sites
# (`oncobank serve` on 127.0.0.1): a REG01 technician builds it from
# specimens and a whole box, sees an unfit item refused with its reason,
# packs and ships it; the NCC technician sees it incoming, reads a specimen
# in transit, receives by scanning one barcode per call (a thawed item, an
# extra barcode, the box into a rack), declares one missing and the receipt
# completes; a REG02 user is answered 404; the documents download; the
# audit trail verifies.

PW="a long enough password"

db() { "$OB" --db x.db "$@"; }

net() {
	db site add NCC --kind center --name "National Cancer Center" > /dev/null
	db site add REG01 --kind regional --parent NCC > /dev/null
	db site add REG02 --kind regional --parent NCC > /dev/null
	for u in tech1:REG01:technician techn:NCC:technician tech2:REG02:technician; do
		IFS=: read -r n site role <<< "$u"
		echo "$PW" | db user add "$n" --site "$site" --role "$role" --password-stdin > /dev/null
	done
	db donor add D1 --site REG01 --sex F --birth-year 1968 > /dev/null
	db consent add D1 --site REG01 --form v3 --signed 2024-01-05 --scope storage,research \
		> /dev/null
	db container add FRZ1 --kind freezer --site REG01 --temperature -80 > /dev/null
	db container add RACK1 --kind rack --parent FRZ1 > /dev/null
	db container add BOX1 --kind box --parent RACK1 --rows 9 --cols 9 > /dev/null
	db container add BOX2 --kind box --parent RACK1 --rows 2 --cols 2 > /dev/null
	db container add FRZN --kind freezer --site NCC --temperature -80 > /dev/null
	db container add RACKN --kind rack --parent FRZN > /dev/null
	db container add BOXN --kind box --parent RACKN --rows 9 --cols 9 > /dev/null
	S1=$(stored BOX1 A1); S2=$(stored BOX1 A2); S3=$(stored BOX1 A3); S4=$(stored BOX1 A4)
	S5=$(stored BOX2 A1); S6=$(stored BOX2 B2)
	db specimen status "$S4" reserved --reason "project X" > /dev/null
}

stored() {
	db specimen add --site REG01 --donor D1 --type plasma --quantity 1.5 --unit ml \
		--collected-at 2024-03-01T10:00:00Z --container "$1" --position "$2"
}

# login USER - prints a session token
login() {
	curl -s -H 'Content-Type: application/json' \
		--data-binary "{\"username\":\"$1\",\"password\":\"$PW\"}" "${URL%/}/api/login" \
		| sed -n 's/.*"token":"\([0-9a-f]*\)".*/\1/p'
}

# req TOKEN METHOD PATH [BODY] - the status in $CODE, the body in $T/body
req() {
	local args=(-s -o "$T/body" -w '%{http_code}' -X "$2" -H "Authorization: Bearer $1")
	[ -n "${4:-}" ] && args+=(-H 'Content-Type: application/json' --data-binary "$4")
	CODE=$(curl "${args[@]}" "${URL%/}$3")
}

# expect STATUS TOKEN METHOD PATH [BODY]
expect() {
	local want=$1; shift
	req "$@"
	[ "$CODE" = "$want" ] || { echo "$2 $3: $CODE, expected $want: $(head -c 600 "$T/body")" >&2;
		return 1; }
}

test_two_sites_ship_and_receive_over_http() {
	command -v curl > /dev/null || { echo "curl is needed"; return 77; }
	local t1 tn t2 sh
	net
	serve_bg --db x.db serve --listen 127.0.0.1:0 --threads 2
	t1=$(login tech1); tn=$(login techn); t2=$(login tech2)
	[ -n "$t1" ] && [ -n "$tn" ] && [ -n "$t2" ]

	# REG01 builds it: a specimen at creation, more and a whole box after
	expect 201 "$t1" POST /api/shipments "{\"to_site\":\"NCC\",\"courier\":\"City courier\",
		\"condition\":\"dry_ice\",\"logger\":\"LOG-7\",\"items\":[\"$S1\"]}"
	sh=$(sed -n 's/^{"code":"\([^"]*\)".*/\1/p' "$T/body")
	[ -n "$sh" ] || { cat "$T/body" >&2; return 1; }
	contains "$T/body" '"from_site":"REG01","to_site":"NCC","state":"draft"'
	expect 200 "$t1" POST "/api/shipments/$sh/items" "{\"barcodes\":[\"$S2\",\"$S3\",\"BOX2\"]}"
	contains "$T/body" '"counts":{"items":5,"boxes":1,"received":0,"missing":0,"pending":5'
	# an unfit item: 409, each barcode with its reason, nothing added
	expect 409 "$t1" POST "/api/shipments/$sh/items" "{\"barcodes\":[\"$S4\",\"$S1\"]}"
	contains "$T/body" "\"refusals\":[{\"barcode\":\"$S4\",\"reason\":\"status is reserved\"},{\"barcode\":\"$S1\",\"reason\":\"already on this shipment\"}]"
	contains "$T/body" '"code":"conflict","message":"2 of 2 items cannot go'
	expect 200 "$t1" GET "/api/shipments/$sh"
	contains "$T/body" '"items":5,'
	expect 200 "$t1" POST "/api/shipments/$sh/pack" '{}'
	contains "$T/body" '"state":"packed"'
	expect 200 "$t1" POST "/api/shipments/$sh/ship" '{"tracking":"TRK-9"}'
	contains "$T/body" '"state":"shipped"'
	contains "$T/body" '"tracking":"TRK-9"'

	# NCC sees it incoming and reads what is in transit
	expect 200 "$tn" GET "/api/shipments?direction=incoming&state=shipped"
	contains "$T/body" "{\"shipments\":[{\"code\":\"$sh\""
	contains "$T/body" '"total":1'
	expect 200 "$tn" GET "/api/shipments?direction=outgoing"
	contains "$T/body" '"total":0'
	expect 200 "$tn" GET "/api/specimens/$S1"
	contains "$T/body" '"status":"in_transit"'
	# REG02 is answered as for a shipment that does not exist
	expect 404 "$t2" GET "/api/shipments/$sh"
	expect 404 "$t2" POST "/api/shipments/$sh/receive" "{\"barcode\":\"$S1\"}"
	expect 404 "$t2" GET "/api/shipments/$sh/manifest.pdf"
	expect 200 "$t2" GET "/api/shipments"
	contains "$T/body" '"total":0'
	# the sender cannot receive it
	expect 404 "$t1" POST "/api/shipments/$sh/receive" "{\"barcode\":\"$S1\"}"

	# NCC receives by scanning, one call per barcode
	expect 200 "$tn" POST "/api/shipments/$sh/receive" "{\"barcode\":\"$S1\",\"container\":\"BOXN\"}"
	contains "$T/body" "{\"result\":\"received\",\"barcode\":\"$S1\",\"type\":\"plasma\",\"container\":\"BOXN\",\"position\":\"A1\""
	contains "$T/body" '"complete":false'
	expect 200 "$tn" POST "/api/shipments/$sh/receive" "{\"barcode\":\"$S2\",\"container\":\"BOXN\",
		\"position\":\"C3\",\"discrepancies\":[\"thawed\"],\"note\":\"logger peaked at -12 C\"}"
	contains "$T/body" '"position":"C3"'
	expect 200 "$tn" POST "/api/shipments/$sh/receive" '{"barcode":"NOT-ON-IT"}'
	contains "$T/body" '"result":"extra","barcode":"NOT-ON-IT"'
	expect 200 "$tn" POST "/api/shipments/$sh/receive" '{"barcode":"BOX2","container":"RACKN"}'
	contains "$T/body" '"result":"box","barcode":"BOX2"'
	contains "$T/body" '"n":2,'
	contains "$T/body" '"counts":{"items":5,"boxes":1,"received":4,"missing":0,"pending":1,"extra":1'
	# the same barcode again is refused, naming it
	expect 409 "$tn" POST "/api/shipments/$sh/receive" "{\"barcode\":\"$S1\"}"
	contains "$T/body" "\"field\":\"barcode\""
	expect 400 "$tn" POST "/api/shipments/$sh/receive" "{\"barcode\":\"$S3\",\"discrepancies\":[\"lost\"]}"
	contains "$T/body" '"field":"discrepancies"'
	# one is missing: the receipt completes
	expect 200 "$tn" POST "/api/shipments/$sh/discrepancies" \
		"{\"barcode\":\"$S3\",\"kind\":\"missing\",\"note\":\"not in the parcel\"}"
	contains "$T/body" '"state":"received"'
	contains "$T/body" '"received":4,"missing":1,"pending":0,"extra":1'
	contains "$T/body" '"received_by":"techn"'
	expect 200 "$tn" GET "/api/containers/BOX2"
	contains "$T/body" "$S5"
	expect 200 "$tn" GET "/api/specimens/$S2/shipments"
	contains "$T/body" "{\"shipments\":[{\"code\":\"$sh\""
	contains "$T/body" '"item_state":"received","item_discrepancies":["thawed"]'
	expect 200 "$tn" GET "/api/specimens/$S3"
	contains "$T/body" '"status":"missing"'

	# the documents, for both sites
	expect 200 "$tn" GET "/api/shipments/$sh/manifest.pdf"
	[ "$(head -c 4 "$T/body")" = "%PDF" ]
	expect 200 "$t1" GET "/api/shipments/$sh/manifest.csv"
	contains "$T/body" "shipment,from_site,to_site,box,position,barcode"
	contains "$T/body" "$S5"
	expect 200 "$t1" GET "/api/shipments/$sh/receipt.pdf"
	[ "$(head -c 4 "$T/body")" = "%PDF" ]
	expect 200 "$tn" GET "/api/shipments/$sh/receipt.csv"
	contains "$T/body" ",$S2,thawed,logger peaked at -12 C,techn,"
	contains "$T/body" ",$S3,missing,not in the parcel,techn,"
	contains "$T/body" ",NOT-ON-IT,extra,"
	expect 200 "$t1" GET "/api/shipments/$sh"
	contains "$T/body" '"custody":[{"action":"create","by":"tech1","site":"REG01"'
	expect_exit 0 db audit verify
}

. "$(dirname "$0")/lib.sh"
run_tests
