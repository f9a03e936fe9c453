#!/usr/bin/env bash
# test_correct_dc.sh - end to end: `donor correct`, `donor correct-diagnosis`,
# `container correct` and `site correct` with their `history`, the exit
# statuses of their refusals (2 bad input, 3 not found, 4 conflict, 6
# permission), and the audit trail verifying after them (docs/corrections.md).

# NCC > REG01 > HOS01, NCC > REG02; donor D1 at REG01 with a diagnosis;
# FRZ-1 > RACK-1 > BOX-1 holding a specimen at B2, FRZ-2 at REG01, FRZ-9
# at REG02; a technician of REG01.
setup_bank() {
	db() { "$OB" --db x.db "$@"; }
	db site add NCC --kind center > /dev/null
	db site add REG01 --kind regional --parent NCC > /dev/null
	db site add REG02 --kind regional --parent NCC > /dev/null
	db site add HOS01 --kind hospital --parent REG01 > /dev/null
	db donor add D1 --site REG01 --sex female --birth-year 1970 > /dev/null
	db donor diagnose D1 --site REG01 --topography C50.9 --morphology 8500/3 --date 2024-01-15 > /dev/null
	db container add FRZ-1 --kind freezer --site REG01 --temperature -80 > /dev/null
	db container add RACK-1 --kind rack --parent FRZ-1 > /dev/null
	db container add BOX-1 --kind box --parent RACK-1 --rows 9 --cols 9 > /dev/null
	db container add FRZ-2 --kind freezer --site REG01 > /dev/null
	db container add FRZ-9 --kind freezer --site REG02 > /dev/null
	SP=$(db specimen add --site REG01 --donor D1 --type plasma --quantity 1 --unit ml \
		--collected-at 2024-03-01T10:00:00Z --container BOX-1 --position B2)
	echo "pass-word-tech01" | db user add tech01 --site REG01 --role technician \
		--password-stdin > /dev/null
}

test_donor_correct_and_history() {
	setup_bank
	expect_exit 0 "$OB" --db x.db donor correct REG01 D1 sex=male birth_year=1971 \
		--reason "transcription error"
	contains "$T/out" "donor D1 at REG01 corrected"
	expect_exit 0 "$OB" --db x.db donor show D1 --site REG01
	contains "$T/out" "sex              male"
	contains "$T/out" "birth year       1971"
	expect_exit 0 "$OB" --db x.db donor history REG01 D1
	contains "$T/out" "correct  sex: female -> male (transcription error)"
	contains "$T/out" "correct  birth_year: 1970 -> 1971 (transcription error)"
	expect_exit 0 "$OB" --db x.db donor history --site REG01 D1 --json
	contains "$T/out" '"action":"correct","reason":"transcription error","field":"sex","before":"female","after":"male"'
	expect_exit 0 "$OB" --db x.db audit verify
}

test_donor_refusals() {
	setup_bank
	expect_exit 2 "$OB" --db x.db donor correct REG01 D1 sex=male
	contains "$T/err" "reason: a correction needs a reason"
	expect_exit 2 "$OB" --db x.db donor correct REG01 D1 code=D2 --reason r
	contains "$T/err" "code: is not correctable"
	expect_exit 2 "$OB" --db x.db donor correct REG01 D1 eyes=blue --reason r
	contains "$T/err" "eyes: a donor has no such field"
	expect_exit 2 "$OB" --db x.db donor correct REG01 D1 sex=F --reason r
	contains "$T/err" "sex: is 'female' already: nothing to correct"
	expect_exit 2 "$OB" --db x.db donor correct REG01 D1 birth_year=2025 --reason r
	contains "$T/err" "birth_year: 2025 is after"
	expect_exit 1 "$OB" --db x.db donor correct REG01 D1 sex --reason r
	expect_exit 3 "$OB" --db x.db donor correct REG01 NOPE sex=male --reason r
	expect_exit 6 "$OB" --db x.db --user tech01 donor correct REG02 D1 sex=male --reason r
	expect_exit 0 "$OB" --db x.db donor history REG01 D1
	lacks "$T/out" "correct"
}

test_diagnosis_correct() {
	setup_bank
	expect_exit 0 "$OB" --db x.db donor show D1 --site REG01
	contains "$T/out" "diagnosis        C50.9 8500/3 2024-01-15T00:00:00Z (id 1)"
	expect_exit 0 "$OB" --db x.db donor correct-diagnosis REG01 D1 1 morphology=8520/3 \
		--reason "pathology review"
	expect_exit 0 "$OB" --db x.db donor show D1 --site REG01
	contains "$T/out" "C50.9 8520/3"
	expect_exit 2 "$OB" --db x.db donor correct-diagnosis REG01 D1 1 topography=X99 --reason r
	contains "$T/err" "topography: 'X99' is not"
	expect_exit 3 "$OB" --db x.db donor correct-diagnosis REG01 D1 7 morphology=8500/3 --reason r
	expect_exit 6 "$OB" --db x.db --user tech01 donor correct-diagnosis REG01 D1 1 \
		morphology=8500/3 --reason r
	expect_exit 0 "$OB" --db x.db audit verify
}

test_container_correct_and_move() {
	setup_bank
	expect_exit 0 "$OB" --db x.db --user tech01 container correct FRZ-1 name="Upright 1" \
		temperature=-70 --reason "new label"
	expect_exit 0 "$OB" --db x.db --user tech01 container correct RACK-1 parent=FRZ-2 \
		--reason "FRZ-1 defrosted"
	expect_exit 0 "$OB" --db x.db container report FRZ-2
	contains "$T/out" "$SP"
	expect_exit 0 "$OB" --db x.db container show BOX-1
	contains "$T/out" "$SP"
	expect_exit 0 "$OB" --db x.db container list --under FRZ-2
	contains "$T/out" "BOX-1"
	expect_exit 0 "$OB" --db x.db container history RACK-1
	contains "$T/out" "correct  parent: FRZ-1 -> FRZ-2 (FRZ-1 defrosted)"
	expect_exit 0 "$OB" --db x.db container history FRZ-1 --json
	contains "$T/out" '"field":"temperature","before":"-80.0","after":"-70.0"'
	expect_exit 0 "$OB" --db x.db audit verify
}

test_container_refusals() {
	setup_bank
	expect_exit 2 "$OB" --db x.db container correct RACK-1 parent=BOX-1 --reason r
	contains "$T/err" "parent: BOX-1 is a box"
	expect_exit 0 "$OB" --db x.db container add RACK-2 --kind rack --parent RACK-1
	expect_exit 2 "$OB" --db x.db container correct RACK-1 parent=RACK-2 --reason r
	contains "$T/err" "parent: RACK-2 lies inside RACK-1"
	expect_exit 2 "$OB" --db x.db container correct RACK-1 parent=FRZ-9 --reason r
	contains "$T/err" "a container moves within its site"
	expect_exit 3 "$OB" --db x.db --user tech01 container correct RACK-1 parent=FRZ-9 --reason r
	contains "$T/err" "parent: no container has barcode 'FRZ-9'"
	expect_exit 3 "$OB" --db x.db --user tech01 container correct FRZ-9 name=x --reason r
	expect_exit 2 "$OB" --db x.db container correct FRZ-1 kind=ln2_tank --reason r
	contains "$T/err" "kind: is not correctable"
	expect_exit 2 "$OB" --db x.db container correct FRZ-1 temperature=-80 --reason r
	contains "$T/err" "temperature: is '-80' already"
}

test_site_correct_move_and_retire() {
	setup_bank
	"$OB" --db x.db donor add H1 --site HOS01 > /dev/null
	expect_exit 0 "$OB" --db x.db --user tech01 donor show H1 --site HOS01
	expect_exit 6 "$OB" --db x.db --user tech01 site correct HOS01 name=H --reason r
	expect_exit 0 "$OB" --db x.db site correct HOS01 parent=REG02 name="Hospital One" \
		--reason "reorganised"
	# the scope follows the site's new path
	expect_exit 6 "$OB" --db x.db --user tech01 donor show H1 --site HOS01
	expect_exit 0 "$OB" --db x.db site list --json
	contains "$T/out" '"code":"HOS01","name":"Hospital One","kind":"hospital","parent":"REG02","retired":null'
	expect_exit 2 "$OB" --db x.db site correct REG01 parent=HOS01 --reason r
	expect_exit 2 "$OB" --db x.db site correct REG02 retired=2025-01-31 --reason closed
	contains "$T/err" "retired: site HOS01 below REG02 is in service"
	expect_exit 0 "$OB" --db x.db site correct HOS01 retired=yes --reason closed
	expect_exit 4 "$OB" --db x.db donor add H2 --site HOS01
	contains "$T/err" "site: site HOS01 is retired"
	expect_exit 0 "$OB" --db x.db donor show H1 --site HOS01
	expect_exit 0 "$OB" --db x.db site history HOS01
	contains "$T/out" "correct  parent: REG01 -> REG02 (reorganised)"
	contains "$T/out" "correct  retired: - -> "
	expect_exit 0 "$OB" --db x.db site correct HOS01 retired=no --reason reopened
	expect_exit 0 "$OB" --db x.db donor add H2 --site HOS01
	expect_exit 0 "$OB" --db x.db audit verify
}

. "$(dirname "$0")/lib.sh"
run_tests
