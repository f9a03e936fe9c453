#!/usr/bin/env bash
# test_correct.sh - corrections of specimens with a reason, end to end on the
# command line: every rule refuses naming the field and changes nothing; the
# audit trail keeps before, after and the reason; history shows each field.

net() {
	"$OB" --db x.db site add NCC --kind center --name "National Cancer Center" >/dev/null
	"$OB" --db x.db site add REG01 --kind regional --parent NCC >/dev/null
	"$OB" --db x.db site add REG02 --kind regional --parent NCC >/dev/null
	"$OB" --db x.db donor add D1 --site REG01 --sex F --birth-year 1968 >/dev/null
	"$OB" --db x.db consent add D1 --site REG01 --form v3 --signed 2024-01-05 \
		--scope storage,research,genetic >/dev/null
	"$OB" --db x.db container add FRZ1 --kind freezer --temperature -80 --site REG01 >/dev/null
	"$OB" --db x.db container add R1 --kind rack --parent FRZ1 >/dev/null
	"$OB" --db x.db container add BOX1 --kind box --parent R1 --rows 9 --cols 9 >/dev/null
}

# the specimen's JSON record, for comparing before and after a refusal
record() { "$OB" --db x.db specimen show "$1" --json; }

test_correct_changes_field_and_keeps_history() {
	net
	t=$("$OB" --db x.db specimen add --site REG01 --donor D1 --type fresh_frozen \
		--pathology tumour --tumour-pct 50 --quantity 200 --unit mg --collected-at 2024-03-01)
	expect_exit 0 "$OB" --db x.db specimen correct "$t" tumour_pct=60 label=T-7 \
		--reason "pathology review: 60% on the second slide"
	contains "$T/out" "$t corrected: tumour_pct, label"
	expect_exit 0 "$OB" --db x.db specimen show "$t" --json
	contains "$T/out" '"tumour_pct":60'
	contains "$T/out" '"label":"T-7"'
	contains "$T/out" '"action":"correct","reason":"pathology review: 60% on the second slide"'
	expect_exit 0 "$OB" --db x.db specimen history "$t" --field tumour_pct
	contains "$T/out" "50.0 -> 60.0"
	contains "$T/out" "(pathology review: 60% on the second slide)"
	lacks "$T/out" "label"
	expect_exit 0 "$OB" --db x.db specimen history "$t" --json
	contains "$T/out" '"field":"tumour_pct","before":"50.0","after":"60.0"'
	contains "$T/out" '"field":"label","before":null,"after":"T-7"'
	# clearing an optional field
	expect_exit 0 "$OB" --db x.db specimen correct "$t" label= --reason "label was a typo"
	expect_exit 0 "$OB" --db x.db specimen show "$t" --json
	contains "$T/out" '"label":null'
	expect_exit 0 "$OB" --db x.db audit verify
	contains "$T/out" "intact"
}

test_refusals_name_the_field_and_change_nothing() {
	net
	p=$("$OB" --db x.db specimen add --site REG01 --donor D1 --type plasma --quantity 2 --unit ml \
		--collected-at 2024-03-01T08:30:00Z --container BOX1 --position A1)
	a=$("$OB" --db x.db specimen aliquot "$p" --quantity 0.5 --unit ml --count 2 | head -1)
	before=$(record "$p")
	expect_exit 2 "$OB" --db x.db specimen correct "$p" quantity=1.5
	contains "$T/err" "reason: a correction needs a reason"
	expect_exit 2 "$OB" --db x.db specimen correct "$p" quantity=-1 --reason x
	contains "$T/err" "quantity:"
	expect_exit 2 "$OB" --db x.db specimen correct "$a" unit=mg --reason x
	contains "$T/err" "unit: mg does not measure plasma"
	expect_exit 2 "$OB" --db x.db specimen correct "$p" status=destroyed --reason x
	contains "$T/err" "status: is not correctable; change it with specimen status"
	# a place is changed by a move, which refuses a position taken
	expect_exit 2 "$OB" --db x.db specimen correct "$p" position=A2 --reason x
	contains "$T/err" "position: is not correctable; move the specimen with container move"
	expect_exit 4 "$OB" --db x.db container move "$a" BOX1 A1
	contains "$T/err" "A1 of BOX1 is taken by $p"
	expect_exit 2 "$OB" --db x.db specimen correct "$p" colour=red --reason x
	contains "$T/err" "colour: a specimen has no such field"
	expect_exit 2 "$OB" --db x.db specimen correct "$p" rin=abc --reason x
	contains "$T/err" "rin: 'abc' is not a number"
	expect_exit 2 "$OB" --db x.db specimen correct "$p" collected_at=2099-01-01 --reason x
	contains "$T/err" "collected_at:"
	expect_exit 2 "$OB" --db x.db specimen correct "$p" collected_at=1950-01-01 --reason x
	contains "$T/err" "collected_at:"
	expect_exit 2 "$OB" --db x.db specimen correct "$p" quantity=1 --reason x
	contains "$T/err" "quantity: is '1' already: nothing to correct"
	# the aliquots took 1 ml of the 2: the initial amount cannot fall below it
	expect_exit 4 "$OB" --db x.db specimen correct "$p" initial_quantity=0.5 --reason x
	contains "$T/err" "initial_quantity: 0.5 ml is less than the 1 ml already taken"
	# an aliquot has its parent's type, and the parent its aliquots'
	expect_exit 4 "$OB" --db x.db specimen correct "$a" type=serum --reason x
	contains "$T/err" "type:"
	expect_exit 4 "$OB" --db x.db specimen correct "$p" type=serum --reason x
	contains "$T/err" "type: aliquot"
	expect_exit 4 "$OB" --db x.db specimen correct "$p" unit=ul --reason x
	contains "$T/err" "unit:"
	expect_exit 3 "$OB" --db x.db specimen correct OB-NOPE label=x --reason x
	same "$(record "$p")" "$before"
	expect_exit 0 "$OB" --db x.db audit verify
}

test_initial_quantity_moves_what_is_left() {
	net
	p=$("$OB" --db x.db specimen add --site REG01 --donor D1 --type plasma --quantity 2 --unit ml \
		--collected-at 2024-03-01T08:30:00Z)
	"$OB" --db x.db specimen aliquot "$p" --quantity 0.5 --unit ml >/dev/null
	expect_exit 0 "$OB" --db x.db specimen correct "$p" initial_quantity=3 \
		--reason "the tube held 3 ml, not 2"
	expect_exit 0 "$OB" --db x.db specimen show "$p" --json
	contains "$T/out" '"quantity":2.5'
	contains "$T/out" '"initial_quantity":3'
}

test_preanalytics_correction_recomputes_sprec_down_the_lineage() {
	net
	b=$("$OB" --db x.db specimen add --site REG01 --donor D1 --type serum --collection SST \
		--precentrifugation 90 --precentrifugation-temp RT --centrifugation 20/10/2000/brake \
		--second-centrifugation none --postcentrifugation 30 --postcentrifugation-temp 2-10 \
		--vessel cryotube_1_2ml --quantity 2 --unit ml --container BOX1 --position B3)
	a=$("$OB" --db x.db specimen aliquot "$b" --quantity 0.5 --unit ml)
	expect_exit 0 "$OB" --db x.db specimen show "$a" --json
	contains "$T/out" '"sprec":"SER-SST-A-B-N-A-D"'
	# the tube waited in the fridge, not at room temperature
	expect_exit 0 "$OB" --db x.db specimen correct "$b" precentrifugation_temp=2-10 \
		--reason "time misread from the requisition"
	expect_exit 0 "$OB" --db x.db specimen show "$b" --json
	contains "$T/out" '"sprec":"SER-SST-B-B-N-A-D","status"'
	expect_exit 0 "$OB" --db x.db specimen show "$a" --json
	contains "$T/out" '"sprec":"SER-SST-B-B-N-A-D","status"'
	expect_exit 0 "$OB" --db x.db specimen history "$a"
	contains "$T/out" "SPREC of $b corrected: time misread"
	# a given SPREC that disagrees with the record is refused
	expect_exit 2 "$OB" --db x.db specimen correct "$b" sprec=SER-SST-A-B-N-A-D --reason x
	contains "$T/err" "sprec:"
	# the pre-analytical record is the primary's
	expect_exit 2 "$OB" --db x.db specimen correct "$a" fixation=NBF --reason x
	contains "$T/err" "fixation: the pre-analytical record is the primary"
	expect_exit 0 "$OB" --db x.db audit verify
}

test_roles_and_scope() {
	net
	t=$("$OB" --db x.db specimen add --site REG01 --donor D1 --type fresh_frozen \
		--pathology tumour --tumour-pct 50 --quantity 200 --unit mg)
	"$OB" --db x.db user add path1 --role pathologist --site REG01 --password-stdin <<< "pw-path1-long-enough" >/dev/null
	"$OB" --db x.db user add tech2 --role technician --site REG02 --password-stdin <<< "pw-tech2-long-enough" >/dev/null
	"$OB" --db x.db user add res1 --role researcher --site REG01 --password-stdin <<< "pw-res1-long-enough" >/dev/null
	# a pathologist corrects what a pathologist reads, not the quantity
	expect_exit 0 "$OB" --db x.db --user path1 specimen correct "$t" tumour_pct=70 --reason review
	expect_exit 6 "$OB" --db x.db --user path1 specimen correct "$t" quantity=100 --reason x
	expect_exit 6 "$OB" --db x.db --user res1 specimen correct "$t" tumour_pct=80 --reason x
	# another site's specimen is as unknown as an absent one
	expect_exit 3 "$OB" --db x.db --user tech2 specimen correct "$t" label=x --reason x
	expect_exit 3 "$OB" --db x.db --user tech2 specimen history "$t"
}

test_retired_site_takes_no_aliquots() {
	net
	"$OB" --db x.db site add H9 --kind hospital --parent REG01 >/dev/null
	"$OB" --db x.db donor add D9 --site H9 --sex M --birth-year 1950 >/dev/null
	"$OB" --db x.db consent add D9 --site H9 --form v3 --signed 2024-01-05 --scope storage >/dev/null
	p=$("$OB" --db x.db specimen add --site H9 --donor D9 --type plasma --quantity 2 --unit ml)
	expect_exit 0 "$OB" --db x.db site correct H9 retired=yes --reason "merged into REG01"
	expect_exit 4 "$OB" --db x.db specimen aliquot "$p" --quantity 0.5 --unit ml
	contains "$T/err" "parent_barcode: site H9 is retired"
	# what it holds stays readable and correctable
	expect_exit 0 "$OB" --db x.db specimen show "$p"
	expect_exit 0 "$OB" --db x.db specimen correct "$p" quantity=1.8 --reason "weighed"
}

# req METHOD PATH [BODY] - as $TOKEN; the status in $T/st, the body in $T/body
req() {
	local args=(-s -o "$T/body" -w '%{http_code}' -X "$1" -H "Authorization: Bearer $TOKEN")
	[ -n "${3:-}" ] && args+=(-H 'Content-Type: application/json' --data-binary "$3")
	curl "${args[@]}" "${URL%/}$2" > "$T/st"
}

test_http_patch_history_and_fields() {

	net
	t=$("$OB" --db x.db specimen add --site REG01 --donor D1 --type fresh_frozen \
		--pathology tumour --tumour-pct 50 --quantity 200 --unit mg)
	"$OB" --db x.db user add path1 --role pathologist --site REG01 --password-stdin \
		<<< "pw-path1-long-enough" >/dev/null
	serve_bg --db x.db serve --listen 127.0.0.1:0
	TOKEN=$(curl -s -H 'Content-Type: application/json' \
		-d '{"username":"path1","password":"pw-path1-long-enough"}' "${URL%/}/api/login" \
		| sed -n 's/.*"token":"\([0-9a-f]*\)".*/\1/p')
	[ -n "$TOKEN" ]
	req PATCH "/api/specimens/$t" '{"reason":"second read","tumour_pct":65,"anatomic_site":"breast, upper outer quadrant"}'
	same "$(cat "$T/st")" 200
	contains "$T/body" '"tumour_pct":65'
	contains "$T/body" '"anatomic_site":"breast, upper outer quadrant"'
	# no reason: refused naming it, nothing changed
	req PATCH "/api/specimens/$t" '{"tumour_pct":70}'
	same "$(cat "$T/st")" 400
	contains "$T/body" '"field":"reason"'
	req PATCH "/api/specimens/$t" '{"reason":"x","tumour_pct":170}'
	same "$(cat "$T/st")" 400
	contains "$T/body" '"field":"tumour_pct"'
	# a pathologist does not correct quantities
	req PATCH "/api/specimens/$t" '{"reason":"x","quantity":10}'
	same "$(cat "$T/st")" 403
	req GET "/api/specimens/$t/history?field=tumour_pct"
	same "$(cat "$T/st")" 200
	contains "$T/body" '"actor":"path1","action":"correct","reason":"second read","field":"tumour_pct","before":"50.0","after":"65.0"'
	lacks "$T/body" '"after":"170'
	req GET /api/fields/specimen
	same "$(cat "$T/st")" 200
	contains "$T/body" '{"name":"tumour_pct","kind":"number","correctable":true,"group":"record"}'
	contains "$T/body" '{"name":"status","kind":"text","correctable":false,"group":"record"}'
	contains "$T/body" '"group":"preanalytics"'
	lacks "$T/body" 'parent_used'
}

. "$(dirname "$0")/lib.sh"
run_tests
