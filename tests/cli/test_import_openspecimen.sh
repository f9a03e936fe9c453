# test_import_openspecimen.sh - end-to-end tests of `oncobank import
# openspecimen`: OpenSpecimen's example master-specimen file imports as it
# is into a study "Demo CP" collected at a site named "Demo Site": the
# participant enrolled, the event and site resolved, the identifiers kept
# encrypted, the derived plasma's parent found by label; all or nothing
# when a key or the study is missing.

. "$(dirname "$0")/lib.sh"
EXAMPLE="$SHARED/data/biobank/openspecimen_templates/example_master_specimen_upload.csv"

setup_bank() {
	export OB_KEY_DIR="$T/keys"
	db() { "$OB" --db "$T/x.db" "$@"; }
	db site add NCC --kind center > /dev/null
	db site add DEMO --kind regional --parent NCC --name 'Demo Site' > /dev/null
	db study add DEMOCP --title 'Demo CP' --approved 2015-01-01 --expires 2030-12-31 \
		--status active --sites DEMO > /dev/null
	db study event-add DEMOCP VISIT1 --label 'Demo Visit' > /dev/null
}

count() { sqlite3 "$T/x.db" "$1"; }

test_the_example_file_imports_as_it_is() {
	[ -f "$EXAMPLE" ] || { echo "no example file at $EXAMPLE"; return 77; }
	setup_bank
	db identifiers keygen DEMO > /dev/null
	expect_exit 0 db import openspecimen "$EXAMPLE"
	contains "$T/out" "imported 6 openspecimen"
	# the participant: enrolled under its PPID, the donor at the collection site
	expect_exit 0 db study participants DEMOCP
	contains "$T/out" "Demo001          DEMO     Demo001          2016-01-01"
	expect_exit 0 db donor show Demo001 --site DEMO --json
	contains "$T/out" '"site":"DEMO","code":"Demo001","sex":"female","birth_year":1991'
	# the identifiers, dates read mm-dd-yyyy
	expect_exit 0 db donor identifiers DEMO Demo001 --json
	same "$(cat "$T/out")" '{"site":"DEMO","donor":"Demo001","name":"Jane L Kane","birth_date":"1991-01-08","national_id":"123","mrn":[{"site":"DEMO","value":"1111"}]}'
	expect_exit 0 db donor find-mrn 'DEMO' 1111
	contains "$T/out" "Demo001"
	# ... encrypted: not in the database as text
	sqlite3 "$T/x.db" "PRAGMA wal_checkpoint(TRUNCATE)" > /dev/null
	strings "$T/x.db" > "$T/strings.txt"
	lacks "$T/strings.txt" "Kane"
	lacks "$T/strings.txt" "1991-01-08"
	same "$(count "SELECT COUNT(*) FROM donor_identifier")" 4
	# the specimens: site, study, event, and the lineage by label
	expect_exit 0 db export specimens --format json
	same "$(count "SELECT COUNT(*) FROM specimen s JOIN site t ON t.id = s.site_id
		JOIN study y ON y.id = s.study_id JOIN study_event e ON e.id = s.event_id
		WHERE t.code = 'DEMO' AND y.code = 'DEMOCP' AND e.code = 'VISIT1'")" 6
	same "$(count "SELECT p.label || ' ' || p.type || ' ' || c.lineage FROM specimen c
		JOIN specimen p ON p.id = c.parent_id WHERE c.label = 'DEMO001.Pl'")" \
		"DEMO001.WB1 whole_blood derivative"
	same "$(count "SELECT COUNT(*) FROM specimen c JOIN specimen p ON p.id = c.parent_id
		WHERE p.label = 'DEMO001.Pl' AND c.lineage = 'aliquot'")" 4
	same "$(count "SELECT collected_at FROM specimen WHERE label = 'DEMO001.WB1'")" \
		"2016-01-02T00:00:00Z"
	expect_exit 0 db audit verify
}

test_no_key_refuses_naming_the_column() {
	[ -f "$EXAMPLE" ] || { echo "no example file at $EXAMPLE"; return 77; }
	setup_bank
	expect_exit 2 db import openspecimen "$EXAMPLE"
	contains "$T/err" "First Name: site 'DEMO' has no key"
	same "$(count "SELECT COUNT(*) FROM specimen")" 0
	same "$(count "SELECT COUNT(*) FROM donor")" 0
	same "$(count "SELECT COUNT(*) FROM study_participant")" 0
}

test_a_missing_study_or_site_refuses_the_whole_file() {
	[ -f "$EXAMPLE" ] || { echo "no example file at $EXAMPLE"; return 77; }
	setup_bank
	db identifiers keygen DEMO > /dev/null
	sed 's/^Demo CP,/Other CP,/' "$EXAMPLE" > other.csv
	expect_exit 2 db import openspecimen other.csv
	contains "$T/err" "study: no study 'Other CP'"
	sed 's/,Demo Site,/,Nowhere Site,/' "$EXAMPLE" > nosite.csv
	expect_exit 2 db import openspecimen nosite.csv
	contains "$T/err" "site: no site has code or name 'Nowhere Site'"
	same "$(count "SELECT COUNT(*) FROM specimen")" 0
	same "$(count "SELECT COUNT(*) FROM donor_identifier")" 0
}

test_a_known_participant_is_found_by_ppid() {
	[ -f "$EXAMPLE" ] || { echo "no example file at $EXAMPLE"; return 77; }
	setup_bank
	db identifiers keygen DEMO > /dev/null
	db donor add P7 --site DEMO --sex female --birth-year 1991 > /dev/null
	db study enrol DEMOCP --site DEMO --donor P7 --ppid Demo001 --date 2015-06-01 > /dev/null
	expect_exit 0 db import openspecimen "$EXAMPLE"
	same "$(count "SELECT COUNT(*) FROM donor")" 1
	same "$(count "SELECT DISTINCT d.code FROM specimen s JOIN donor d ON d.id = s.donor_id")" P7
	expect_exit 0 db donor identifiers DEMO P7
	contains "$T/out" "Jane L Kane"
}

test_openspecimen_is_not_a_kind_to_export() {
	setup_bank
	expect_exit 1 db export openspecimen
	contains "$T/err" "import only"
}

run_tests
