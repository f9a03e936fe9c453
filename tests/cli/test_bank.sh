#!/usr/bin/env bash
# test_bank.sh - end-to-end CLI tests of sites, donors, consents, specimens,
# statuses and the audit trail, as a technician would run them.

net() { # a small network with one box
	"$OB" --db x.db site add NCC --kind center --name "National Cancer Center" >/dev/null
	"$OB" --db x.db site add SUB1 --kind sub-center --parent NCC >/dev/null
	"$OB" --db x.db site add REG01 --kind regional --parent SUB1 >/dev/null
	"$OB" --db x.db site add REG02 --kind regional --parent NCC >/dev/null
	"$OB" --db x.db donor add D1 --site REG01 --sex F --birth-year 1968 >/dev/null
	"$OB" --db x.db donor diagnose D1 --site REG01 --topography C50.9 --morphology 8500/3 >/dev/null
	"$OB" --db x.db consent add D1 --site REG01 --form v3 --signed 2024-01-05 \
		--scope storage,research,genetic,sharing >/dev/null
}

test_help_for_every_command() {
	expect_exit 0 "$OB" --help
	for c in init site donor consent specimen audit sprec container import export demo-data \
		annotate genes hgvs kb somatic clinvar germline prs sequencing serve user label; do
		expect_exit 0 "$OB" "$c" --help
		[ -s "$T/out" ] || { echo "$c --help printed nothing" >&2; return 1; }
	done
	expect_exit 1 "$OB" no-such-command
	contains "$T/err" "unknown command"
}

test_site_list_json_has_tree() {
	net
	expect_exit 0 "$OB" --db x.db site list --json
	contains "$T/out" '"code":"REG01","name":"REG01","kind":"regional","parent":"SUB1"'
	expect_exit 0 "$OB" --db x.db site list --under SUB1
	contains "$T/out" REG01
	lacks "$T/out" REG02
	expect_exit 2 "$OB" --db x.db site add H1 --kind hospital
	contains "$T/err" "parent"
}

test_db_from_environment() {
	OB_DB=env.db "$OB" init > /dev/null
	[ -f env.db ]
}

test_specimen_lifecycle() {
	net
	expect_exit 0 "$OB" --db x.db specimen add --site REG01 --donor D1 --type plasma \
		--quantity 2 --unit ml --collected-at 2024-03-01T08:30:00Z
	p=$(cat "$T/out")
	expect_exit 0 "$OB" --db x.db specimen aliquot "$p" --quantity 0.5 --unit ml --count 2
	[ "$(wc -l < "$T/out")" -eq 2 ]
	a=$(head -1 "$T/out")
	expect_exit 0 "$OB" --db x.db specimen show "$a" --json
	contains "$T/out" "\"barcode\":\"$a\""
	contains "$T/out" "\"parent\":\"$p\""
	contains "$T/out" '"type":"plasma"'
	contains "$T/out" '"status":"available"'
	contains "$T/out" '"site":"REG01"'
	expect_exit 0 "$OB" --db x.db specimen show "$p"
	contains "$T/out" "lineage:"
	contains "$T/out" "1 ml"   # 2 ml less two 0.5 ml aliquots
	expect_exit 0 "$OB" --db x.db specimen status "$a" distributed --reason "project P-12"
	expect_exit 0 "$OB" --db x.db specimen show "$a"
	contains "$T/out" "status:distributed: project P-12"
	expect_exit 0 "$OB" --db x.db specimen show "$a" --json
	contains "$T/out" '"action":"status:distributed","reason":"project P-12"'
	expect_exit 4 "$OB" --db x.db specimen status "$a" reserved
	contains "$T/err" "cannot go from distributed to reserved"
	expect_exit 0 "$OB" --db x.db audit verify
	contains "$T/out" "intact"
}

test_bad_input_exit_codes() {
	net
	expect_exit 2 "$OB" --db x.db specimen add --site REG01 --donor D1 --type blood_pudding
	contains "$T/err" "type: 'blood_pudding' is not a specimen type"
	expect_exit 2 "$OB" --db x.db specimen add --site REG01 --donor D1 --type serum --sprec TIS-SRG-Q-B-NBF-E-P
	contains "$T/err" "element 3"
	expect_exit 1 "$OB" --db x.db specimen add --site REG01 --donor D1 --type serum --quantity lots
	expect_exit 3 "$OB" --db x.db specimen show NOPE1
	b=$("$OB" --db x.db specimen add --site REG01 --donor D1 --type serum)
	expect_exit 4 "$OB" --db x.db specimen add --site REG01 --donor D1 --type serum --barcode "$b"
	contains "$T/err" "exists already"
	expect_exit 2 "$OB" --db x.db specimen aliquot NOPARENT1 --quantity 1 --unit ml --type serum
	contains "$T/err" "parent_barcode"
}

# The command line refuses what the API and the CSV import refuse: text
# that is not UTF-8, holds a control character or is longer than its
# field, and quantities that are none; nothing is written.
test_text_and_quantities_are_checked() {
	net
	local long
	long=$(printf 'L%.0s' $(seq 65))
	expect_exit 2 "$OB" --db x.db specimen add --site REG01 --donor D1 --type serum --label "$long"
	contains "$T/err" "--label: 65 bytes is longer than the 64"
	expect_exit 2 "$OB" --db x.db specimen add --site REG01 --donor D1 --type serum \
		--label "$(printf 'caf\xe9')"
	contains "$T/err" "--label: not valid UTF-8 at byte 4"
	expect_exit 2 "$OB" --db x.db specimen add --site REG01 --donor D1 --type serum \
		--label "$(printf 'a\033[2Jb')"
	contains "$T/err" "--label: a control character (U+001B)"
	for q in 1e308 0 -1; do
		expect_exit 2 "$OB" --db x.db specimen add --site REG01 --donor D1 --type serum \
			--quantity "$q" --unit ml
		contains "$T/err" "quantity: "
	done
	expect_exit 2 "$OB" --db x.db specimen add --site REG01 --donor D1 --type serum \
		--quantity 20 --unit l
	contains "$T/err" "quantity: 20 l is more than one specimen holds (at most 10 l)"
	expect_exit 1 "$OB" --db x.db specimen add --site REG01 --donor D1 --type serum \
		--quantity nan --unit ml
	expect_exit 2 "$OB" --db x.db specimen add --site REG01 --donor D1 --type serum \
		--quantity 1 --unit block
	contains "$T/err" "unit: block does not measure serum (a blood specimen: ml ul l cells tube)"
	expect_exit 2 "$OB" --db x.db donor add "$(printf 'D\x012')" --site REG01
	contains "$T/err" "argument: a control character (U+0001) at byte 2"
	expect_exit 0 "$OB" --db x.db specimen find --site REG01
	lacks "$T/out" "serum"
}

# Dates mean something: none in the future, none before the donor's birth
# year (D1 was born in 1968); each refusal names the field.
test_dates_are_past_and_after_birth() {
	net
	expect_exit 2 "$OB" --db x.db specimen add --site REG01 --donor D1 --type serum \
		--collected-at 2199-01-01
	contains "$T/err" "collected_at: 2199-01-01 is in the future"
	expect_exit 2 "$OB" --db x.db specimen add --site REG01 --donor D1 --type serum \
		--collected-at 1950-06-01
	contains "$T/err" "collected_at: 1950-06-01 is before the donor's birth (1968)"
	expect_exit 2 "$OB" --db x.db consent add D1 --site REG01 --form v4 --signed 2199-01-01 \
		--scope storage
	contains "$T/err" "signed_on: 2199-01-01 is in the future"
	expect_exit 2 "$OB" --db x.db donor diagnose D1 --site REG01 --topography C50.9 \
		--morphology 8500/3 --date 1960-01-01
	contains "$T/err" "date: 1960-01-01 is before the donor's birth (1968)"
	expect_exit 2 "$OB" --db x.db donor add D2 --site REG01 --birth-year 2999
	contains "$T/err" "birth_year: 2999 is not a plausible year"
	expect_exit 0 "$OB" --db x.db specimen add --site REG01 --donor D1 --type serum \
		--collected-at 2024-03-01
	expect_exit 0 "$OB" --db x.db audit verify
}

test_withdrawn_consent_blocks_new_aliquots_and_distribution() {
	net
	p=$("$OB" --db x.db specimen add --site REG01 --donor D1 --type whole_blood --quantity 8 --unit ml)
	d=$("$OB" --db x.db specimen derive "$p" --type dna --quantity 50 --unit ul --used 2 \
		--concentration 35 --a260-280 1.82)
	expect_exit 0 "$OB" --db x.db consent withdraw D1 --site REG01 --reason "donor asked" --disposition keep
	expect_exit 4 "$OB" --db x.db specimen aliquot "$p" --quantity 1 --unit ml
	contains "$T/err" "withdrew consent"
	expect_exit 4 "$OB" --db x.db specimen status "$d" distributed
	contains "$T/err" "withdrew consent"
	expect_exit 0 "$OB" --db x.db donor show D1 --site REG01 --json
	contains "$T/out" '"consent_withdrawn":true'
	contains "$T/out" '"withdrawal_reason":"donor asked"'
	expect_exit 0 "$OB" --db x.db donor show D1 --site REG01
	contains "$T/out" "consent          WITHDRAWN"
	contains "$T/out" "diagnosis        C50.9 8500/3"
	contains "$T/out" ": donor asked"
}

test_find_filters() {
	net
	"$OB" --db x.db donor add D9 --site REG02 > /dev/null
	"$OB" --db x.db specimen add --site REG01 --donor D1 --type serum > /dev/null
	"$OB" --db x.db specimen add --site REG02 --donor D9 --type serum > /dev/null
	"$OB" --db x.db specimen add --site REG02 --donor D9 --type urine > /dev/null
	same "$("$OB" --db x.db specimen find --site NCC --count)" 3
	same "$("$OB" --db x.db specimen find --site SUB1 --count)" 1
	same "$("$OB" --db x.db specimen find --type serum --count)" 2
	same "$("$OB" --db x.db specimen find --consent genetic --count)" 1
	same "$("$OB" --db x.db specimen find --topography C50 --count)" 1
	expect_exit 0 "$OB" --db x.db specimen find --site REG02 --json
	contains "$T/out" '"type":"urine"'
	expect_exit 3 "$OB" --db x.db specimen find --site "x' OR '1'='1"
}

test_hand_edited_audit_row_is_caught() {
	net
	"$OB" --db x.db specimen add --site REG01 --donor D1 --type serum > /dev/null
	expect_exit 0 "$OB" --db x.db audit verify
	sqlite3 x.db "UPDATE audit_event SET after = replace(after, 'serum', 'plasma') WHERE entity = 'specimen'"
	expect_exit 4 "$OB" --db x.db audit verify
	contains "$T/err" "audit chain broken at event"
}

test_value_changed_behind_audit_is_caught() {
	net
	b=$("$OB" --db x.db specimen add --site REG01 --donor D1 --type serum)
	sqlite3 x.db "UPDATE specimen SET status = 'missing' WHERE barcode = '$b'"
	expect_exit 4 "$OB" --db x.db audit verify
	contains "$T/err" "altered behind the audit trail's back"
	sqlite3 x.db "UPDATE specimen SET status = 'available' WHERE barcode = '$b'"
	expect_exit 0 "$OB" --db x.db audit verify
	sqlite3 x.db "UPDATE consent SET withdrawn_on = '2025-01-01T00:00:00Z'"
	expect_exit 4 "$OB" --db x.db audit verify
	contains "$T/err" "consent"
}

test_sprec_computed_and_explained_on_show() {
	net
	"$OB" --db x.db container add FRZ1 --kind freezer --temperature -80 --site REG01 > /dev/null
	"$OB" --db x.db container add R1 --kind rack --parent FRZ1 > /dev/null
	"$OB" --db x.db container add BOX1 --kind box --parent R1 --rows 9 --cols 9 > /dev/null
	b=$("$OB" --db x.db specimen add --site REG01 --donor D1 --type serum --collection SST \
		--precentrifugation 90 --precentrifugation-temp RT --centrifugation 20/10/2000/brake \
		--second-centrifugation none --postcentrifugation 30 --postcentrifugation-temp 2-10 \
		--vessel cryotube_1_2ml --container BOX1 --position B3)
	expect_exit 0 "$OB" --db x.db specimen show "$b" --json
	contains "$T/out" '"sprec":"SER-SST-A-B-N-A-D"'
	contains "$T/out" '"position":"B3"'
	contains "$T/out" 'FRZ1'
	expect_exit 0 "$OB" --db x.db specimen show "$b"
	contains "$T/out" "SPREC in words"
	expect_exit 4 "$OB" --db x.db specimen add --site REG01 --donor D1 --type serum --container BOX1 --position B3
	contains "$T/err" "taken"
}

test_every_field_is_an_option() {
	net
	# options come from the field table: a field's name with '-' for '_',
	# beside the older words
	expect_exit 0 "$OB" --db x.db specimen add --site REG01 --donor D1 --type plasma \
		--quantity 1.5 --initial-quantity 2 --unit ml --freeze-thaw 1 \
		--collection PED --precentrifugation-min 30 --precentrifugation-temp RT
	b=$(cat "$T/out")
	expect_exit 0 "$OB" --db x.db specimen show "$b" --json
	contains "$T/out" '"quantity":1.5,"initial_quantity":2'
	contains "$T/out" '"freeze_thaw":1'
	contains "$T/out" '"precentrifugation_min":30'
	expect_exit 1 "$OB" --db x.db specimen add --site REG01 --donor D1 --type plasma \
		--precentrifugation 30 --precentrifugation-min 40
	contains "$T/err" "--precentrifugation and --precentrifugation-min say the same"
	expect_exit 1 "$OB" --db x.db specimen add --site REG01 --donor D1 --type plasma \
		--freeze-thaw 1.5
	contains "$T/err" "--freeze-thaw: '1.5' is not a whole number"
}

test_user_option_acts_as_the_account() {
	net
	"$OB" --db x.db donor add D2 --site REG02 > /dev/null
	b2=$("$OB" --db x.db specimen add --site REG02 --donor D2 --type serum)
	echo "pass-word-tech01" | "$OB" --db x.db user add tech01 --site REG01 --role technician \
		--password-stdin > /dev/null
	echo "pass-word-res01" | "$OB" --db x.db user add res01 --site REG01 --role researcher \
		--password-stdin > /dev/null
	# the account's role and site apply on the command line too
	expect_exit 0 "$OB" --db x.db --user tech01 specimen add --site REG01 --donor D1 --type serum
	# another region's specimen is answered as one that does not exist
	expect_exit 3 "$OB" --db x.db --user tech01 specimen show "$b2"
	contains "$T/err" "no specimen has barcode '$b2'"
	expect_exit 6 "$OB" --db x.db --user tech01 specimen add --site REG02 --donor D2 --type serum
	contains "$T/err" "site: permission denied"
	expect_exit 6 "$OB" --db x.db --user res01 specimen add --site REG01 --donor D1 --type serum
	contains "$T/err" "a researcher cannot change specimens"
	same "$("$OB" --db x.db --user tech01 specimen find --count)" 1
	# the refusals (and the probe answered "not found") are in the audit
	# trail with the command and where it came from, which still verifies
	[ "$(sqlite3 x.db "SELECT COUNT(*) FROM audit_event WHERE action = 'denied'")" -eq 3 ]
	[ "$(sqlite3 x.db "SELECT COUNT(*) FROM audit_event WHERE action = 'denied' AND after LIKE
		'%\"method\":\"cli\",\"path\":\"specimen show\",\"client\":\"local\"%'")" -eq 1 ]
	expect_exit 0 "$OB" --db x.db audit verify
	# a name that is no account stays the local operator's label
	expect_exit 0 "$OB" --db x.db --user someone-else specimen show "$b2"
	"$OB" --db x.db user disable tech01 > /dev/null
	expect_exit 6 "$OB" --db x.db --user tech01 specimen find --count
	contains "$T/err" "disabled"
}

. "$(dirname "$0")/lib.sh"
run_tests
