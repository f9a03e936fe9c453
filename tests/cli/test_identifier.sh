# test_identifier.sh - end-to-end tests of direct identifiers on the
# command line: `identifiers keygen`, `donor identify / identifiers /
# find-mrn`, `user grant-identifiers`; the values round trip, a wrong key
# is refused, accounts without the permission or of another site do not see
# them, and neither the database file, the audit trail nor `export` holds a
# value.

setup_bank() {
	export OB_KEY_DIR="$T/keys"
	db() { "$OB" --db "$T/x.db" "$@"; }
	db site add NCC --kind center > /dev/null
	db site add REG01 --kind regional --parent NCC > /dev/null
	db site add REG02 --kind regional --parent NCC > /dev/null
	db site add HOS1 --kind hospital --parent REG01 > /dev/null
	db donor add D1 --site REG01 --sex female --birth-year 1991 > /dev/null
	db donor add D2 --site REG01 --sex male > /dev/null
	db identifiers keygen REG01 > /dev/null
	db identifiers keygen HOS1 > /dev/null
	echo 'a long enough password' | db user add mgr1 --site REG01 --role biobank_manager \
		--password-stdin > /dev/null
	echo 'a long enough password' | db user add mgr2 --site REG02 --role biobank_manager \
		--password-stdin > /dev/null
}

identify_all() {
	db donor identify REG01 D1 --name ' Jane Kane ' --birth-date 1991-08-01 \
		--national-id 11010519491231002x --mrn HOS1:mrn-4711 > /dev/null
}

test_keygen_makes_a_private_key_once() {
	setup_bank
	[ "$(stat -c %a "$T/keys/REG01.key")" = 600 ] || { echo "mode not 600" >&2; return 1; }
	[ "$(tr -d '\n' < "$T/keys/REG01.key" | wc -c)" = 64 ]
	expect_exit 4 db identifiers keygen REG01
	contains "$T/err" "never overwritten"
	expect_exit 3 db identifiers keygen NOSITE
	env -u OB_KEY_DIR "$OB" --db "$T/x.db" identifiers keygen REG02 > "$T/out" 2> "$T/err" \
		&& return 1
	contains "$T/err" "key-dir"
	"$OB" --db "$T/x.db" --key-dir "$T/other" identifiers keygen REG02 > /dev/null
	[ -f "$T/other/REG02.key" ]
}

test_values_round_trip() {
	setup_bank
	identify_all
	expect_exit 0 db donor identifiers REG01 D1
	contains "$T/out" "Jane Kane"
	contains "$T/out" "1991-08-01"
	contains "$T/out" "11010519491231002X"
	contains "$T/out" "MRN-4711 (issued by HOS1)"
	expect_exit 0 db donor identifiers REG01 D1 --json
	same "$(cat "$T/out")" '{"site":"REG01","donor":"D1","name":"Jane Kane","birth_date":"1991-08-01","national_id":"11010519491231002X","mrn":[{"site":"HOS1","value":"MRN-4711"}]}'
	expect_exit 0 db donor show D1 --site REG01 --json
	contains "$T/out" '"identifiers":{"name":"Jane Kane"'
	expect_exit 0 db donor identify REG01 D1 --clear mrn:HOS1
	expect_exit 0 db donor identifiers REG01 D1
	lacks "$T/out" "MRN-4711"
}

test_find_mrn_is_exact() {
	setup_bank
	identify_all
	db donor identify REG01 D2 --mrn HOS1:MRN-47 > /dev/null
	expect_exit 0 db donor find-mrn HOS1 ' mrn-4711'
	same "$(cat "$T/out")" "REG01      D1"
	expect_exit 0 db donor find-mrn HOS1 MRN-471 --json
	same "$(cat "$T/out")" "[]"
	expect_exit 0 db donor find-mrn REG01 MRN-4711 --json
	same "$(cat "$T/out")" "[]"
}

test_a_wrong_key_is_refused() {
	setup_bank
	identify_all
	mv "$T/keys/REG01.key" "$T/REG01.key.saved"
	expect_exit 4 db donor identifiers REG01 D1
	contains "$T/err" "site 'REG01' has no key"
	db identifiers keygen REG01 > /dev/null
	expect_exit 4 db donor identifiers REG01 D1
	contains "$T/err" "does not open with the key of site 'REG01'"
	lacks "$T/err" "Jane"
	chmod 644 "$T/keys/REG01.key"
	expect_exit 4 db donor identify REG01 D2 --name 'John Roe'
	contains "$T/err" "chmod 600"
}

test_only_granted_users_of_the_site_see_them() {
	setup_bank
	identify_all
	expect_exit 6 db --user mgr1 donor identifiers REG01 D1
	contains "$T/err" "identifiers: permission denied"
	expect_exit 0 db --user mgr1 donor show D1 --site REG01 --json
	lacks "$T/out" "identifiers"
	lacks "$T/out" "Jane"
	expect_exit 0 db user grant-identifiers mgr1
	expect_exit 0 db user grant-identifiers mgr2
	expect_exit 0 db user list --json
	contains "$T/out" '"username":"mgr1","site":"REG01","role":"biobank_manager","active":true,"identifiers":"'
	expect_exit 0 db --user mgr1 donor identifiers REG01 D1
	contains "$T/out" "Jane Kane"
	expect_exit 6 db --user mgr2 donor identifiers REG01 D1
	expect_exit 0 db --user mgr2 donor list --json
	lacks "$T/out" "Jane"
	expect_exit 0 db user revoke-identifiers mgr1
	expect_exit 6 db --user mgr1 donor identifiers REG01 D1
	expect_exit 0 db audit verify
}

test_no_value_in_the_database_audit_or_export() {
	setup_bank
	identify_all
	db audit verify > /dev/null
	for kind in sites donors consents containers specimens diagnoses; do
		db export "$kind" >> "$T/export.csv"
		db export "$kind" --format json >> "$T/export.csv"
	done
	sqlite3 "$T/x.db" "PRAGMA wal_checkpoint(TRUNCATE)" > /dev/null
	sqlite3 "$T/x.db" "SELECT before, after FROM audit_event" > "$T/audit.txt"
	strings "$T/x.db" > "$T/strings.txt"
	for v in 'Jane Kane' 'Kane' '1991-08-01' '11010519491231002X' 'MRN-4711' 'mrn-4711'; do
		lacks "$T/export.csv" "$v"
		lacks "$T/audit.txt" "$v"
		lacks "$T/strings.txt" "$v"
	done
	contains "$T/audit.txt" '"kind":"national_id","digest":"'
}

test_bad_input_is_refused_naming_the_field() {
	setup_bank
	expect_exit 2 db donor identify REG01 D1 --name Jane --birth-date 2023-02-30
	contains "$T/err" "birth_date:"
	expect_exit 2 db donor identify REG01 D1 --national-id 110105194912310021
	contains "$T/err" "national_id: the check character"
	lacks "$T/err" "110105194912310021"
	expect_exit 2 db donor identify REG01 D1 --mrn 4711
	contains "$T/err" "mrn: give it as HOSPITAL:MRN"
	expect_exit 2 db donor identify REG01 D1 --birth-date 1990-01-01
	contains "$T/err" "birth_date: not in the donor's birth year (1991)"
	db user grant-identifiers mgr1 > /dev/null
	expect_exit 6 db --user mgr1 donor identify REG01 D1 --mrn REG02:1
	contains "$T/err" "mrn: permission denied"
	expect_exit 1 db donor identify REG01 D1
	# all or nothing: the good name of the first call was not kept
	expect_exit 0 db donor identifiers REG01 D1 --json
	same "$(cat "$T/out")" '{"site":"REG01","donor":"D1"}'
}

test_serve_takes_its_key_dir() {
	setup_bank
	identify_all
	db user grant-identifiers mgr1 > /dev/null
	unset OB_KEY_DIR
	serve_bg --db "$T/x.db" serve --listen 127.0.0.1:0 --key-dir "$T/keys"
	local token
	token=$(curl -s -X POST -H 'Content-Type: application/json' \
		-d '{"username":"mgr1","password":"a long enough password"}' "${URL%/}/api/login" \
		| sed -n 's/.*"token":"\([0-9a-f]*\)".*/\1/p')
	[ -n "$token" ]
	curl -s -H "Authorization: Bearer $token" "${URL%/}/api/donors/REG01/D1/identifiers" > body
	contains body '"name":"Jane Kane"'
	curl -s -X PUT -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
		-d '{"national_id":null,"mrn":{"site":"HOS1","value":"x-1"}}' \
		"${URL%/}/api/donors/REG01/D1/identifiers" > body
	lacks body national_id
	contains body '"mrn":[{"site":"HOS1","value":"X-1"}]'
	curl -s -H "Authorization: Bearer $token" "${URL%/}/api/donors/HOS1/mrn/X-1" > body
	same "$(cat body)" '[{"site":"REG01","donor":"D1"}]'
	lacks srv.err "Jane"
}

. "$(dirname "$0")/lib.sh"
run_tests
