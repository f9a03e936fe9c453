# test_container.sh - end-to-end tests of `oncobank container`: building the
# storage tree, box maps, moves, swaps, emptying a box, the freezer report
# and the audit trail after them. Exit statuses as docs/cli.md: 0 ok,
# 1 usage, 2 bad input, 3 not found, 4 conflict or exists.

# A network with one donor, FRZ-1 (-80) > RACK-1 > BOX-1 (10 x 10) and
# BOX-2 (2 x 2), FRZ-1 > SHELF-1 > RACK-2 > BOX-3 (2 x 3, numbered), and
# FRZ-2 > BOX-9 at another site.
setup_storage() {
	db() { "$OB" --db "$T/x.db" --user tester "$@"; }
	db site add NCC --kind center > /dev/null
	db site add REG01 --kind regional --parent NCC > /dev/null
	db site add REG02 --kind regional --parent NCC > /dev/null
	db donor add D1 --site REG01 --sex female > /dev/null
	db consent add D1 --site REG01 --form v1 --signed 2024-01-01 --scope storage,research > /dev/null
	db container add FRZ-1 --kind freezer --site REG01 --temperature -80 --name "Upright 1" > /dev/null
	db container add RACK-1 --kind rack --parent FRZ-1 > /dev/null
	db container add BOX-1 --kind box --parent RACK-1 --rows 10 --cols 10 > /dev/null
	db container add BOX-2 --kind box --parent RACK-1 --rows 2 --cols 2 > /dev/null
	db container add SHELF-1 --kind shelf --parent FRZ-1 > /dev/null
	db container add RACK-2 --kind rack --parent SHELF-1 > /dev/null
	db container add BOX-3 --kind box --parent RACK-2 --rows 2 --cols 3 --scheme 1 > /dev/null
	db container add FRZ-2 --kind freezer --site REG02 --temperature -20 > /dev/null
	db container add BOX-9 --kind box --parent FRZ-2 --rows 4 --cols 4 --scheme 1-1 > /dev/null
}

# stored BOX POSITION - creates a plasma specimen there; prints its barcode.
stored() {
	"$OB" --db "$T/x.db" specimen add --site REG01 --donor D1 --type plasma \
		--quantity 1 --unit ml --container "$1" --position "$2"
}

test_help_lists_subcommands() {
	expect_exit 0 "$OB" container --help
	contains "$T/out" "oncobank container add BARCODE --kind KIND"
	contains "$T/out" "container report BARCODE"
	expect_exit 0 "$OB" container move --help
	contains "$T/out" "usage: oncobank container move SPECIMEN BOX POSITION"
	lacks "$T/out" "container add"
	expect_exit 1 "$OB" --db "$T/x.db" container
	expect_exit 1 "$OB" --db "$T/x.db" container frobnicate
	contains "$T/err" "unknown subcommand 'frobnicate'"
	expect_exit 1 "$OB" --db "$T/x.db" container list --bogus
}

test_add_prints_the_path() {
	setup_storage
	expect_exit 0 "$OB" --db "$T/x.db" container add BOX-4 --kind box --parent RACK-2 --rows 9 --cols 9
	same "$(cat "$T/out")" "container BOX-4 added: FRZ-1 > SHELF-1 > RACK-2 > BOX-4"
}

test_add_rejects_bad_input() {
	setup_storage
	expect_exit 4 "$OB" --db "$T/x.db" container add BOX-1 --kind box --parent RACK-1 --rows 1 --cols 1
	contains "$T/err" "oncobank: barcode: container 'BOX-1' exists already"
	expect_exit 2 "$OB" --db "$T/x.db" container add BOX-X --kind box --parent RACK-1
	contains "$T/err" "rows: a box has 1 to 100 rows"
	expect_exit 2 "$OB" --db "$T/x.db" container add BOX-X --kind box --parent BOX-1 --rows 1 --cols 1
	contains "$T/err" "a box holds specimens, not containers"
	expect_exit 2 "$OB" --db "$T/x.db" container add X --kind igloo --site REG01
	contains "$T/err" "kind: 'igloo'"
	expect_exit 3 "$OB" --db "$T/x.db" container add X --kind rack --parent NOPE
	expect_exit 2 "$OB" --db "$T/x.db" container add X --kind rack --parent FRZ-1 --site REG02
	contains "$T/err" "site: a container belongs to its parent's site"
	expect_exit 1 "$OB" --db "$T/x.db" container add X --kind rack --parent FRZ-1 --rows ten
}

test_list_is_a_tree() {
	setup_storage
	expect_exit 0 "$OB" --db "$T/x.db" container list --site REG01
	contains "$T/out" "FRZ-1"
	contains "$T/out" '-80 C, "Upright 1"'
	contains "$T/out" "      BOX-3"
	contains "$T/out" "2 x 3 1, 0/6 used"
	lacks "$T/out" "BOX-9"
	expect_exit 0 "$OB" --db "$T/x.db" container list --under RACK-1 --json
	contains "$T/out" '"barcode":"BOX-2"'
	contains "$T/out" '"path":"FRZ-1 > RACK-1 > BOX-2"'
	contains "$T/out" '"storage_temperature":-80'
	lacks "$T/out" "SHELF-1"
	expect_exit 3 "$OB" --db "$T/x.db" container list --under NOPE
}

test_show_prints_the_box_map() {
	setup_storage
	a=$(stored BOX-2 b2)
	expect_exit 0 "$OB" --db "$T/x.db" container show BOX-2
	same "$(cat "$T/out")" "BOX-2  box 2 x 2 (A1), FRZ-1 > RACK-1 > BOX-2, -80 C, 1 used, 3 free
  1            2
A .            .
B .            $a"
	expect_exit 0 "$OB" --db "$T/x.db" container show BOX-2 --json
	contains "$T/out" "{\"position\":\"B2\",\"row\":2,\"col\":2,\"specimen\":\"$a\"}"
	contains "$T/out" '{"position":"A1","row":1,"col":1,"specimen":null}'
	expect_exit 0 "$OB" --db "$T/x.db" container show SHELF-1
	contains "$T/out" "RACK-2"
}

test_move_normalises_the_position() {
	setup_storage
	a=$(stored BOX-1 A1)
	expect_exit 0 "$OB" --db "$T/x.db" container move "$a" BOX-1 c07
	same "$(cat "$T/out")" "$a moved to BOX-1 C7"
	expect_exit 0 "$OB" --db "$T/x.db" container move "$a" BOX-3 06
	same "$(cat "$T/out")" "$a moved to BOX-3 6"
	expect_exit 0 "$OB" --db "$T/x.db" container show BOX-3 --json
	contains "$T/out" "\"position\":\"6\",\"row\":2,\"col\":3,\"specimen\":\"$a\""
	expect_exit 0 "$OB" --db "$T/x.db" audit verify
}

test_move_to_taken_position_exits_4() {
	setup_storage
	a=$(stored BOX-1 A1)
	b=$(stored BOX-1 A2)
	expect_exit 4 "$OB" --db "$T/x.db" container move "$b" BOX-1 A1
	same "$(cat "$T/err")" "oncobank: position: A1 of BOX-1 is taken by $a"
	expect_exit 2 "$OB" --db "$T/x.db" container move "$b" BOX-1 K11
	same "$(cat "$T/err")" "oncobank: position: 'K11' is outside box BOX-1 (10 x 10, A1..J10)"
	expect_exit 3 "$OB" --db "$T/x.db" container move "$b" NOPE A1
	expect_exit 1 "$OB" --db "$T/x.db" container move "$b" BOX-1
}

test_move_out_and_back() {
	setup_storage
	a=$(stored BOX-1 A1)
	expect_exit 0 "$OB" --db "$T/x.db" container move "$a" --out
	same "$(cat "$T/out")" "$a taken out of storage"
	expect_exit 0 "$OB" --db "$T/x.db" container report FRZ-1
	contains "$T/out" "0 specimens"
	expect_exit 0 "$OB" --db "$T/x.db" container move "$a" BOX-9 2-3
	expect_exit 0 "$OB" --db "$T/x.db" audit verify
}

test_swap_exchanges_two_specimens() {
	setup_storage
	a=$(stored BOX-1 A1)
	b=$(stored BOX-3 1)
	expect_exit 0 "$OB" --db "$T/x.db" container swap "$a" "$b"
	same "$(cat "$T/out")" "$a and $b swapped"
	expect_exit 0 "$OB" --db "$T/x.db" container report FRZ-1 --json
	contains "$T/out" "\"barcode\":\"$b\",\"type\":\"plasma\",\"status\":\"available\",\"donor\":\"D1\",\"donor_site\":\"REG01\",\"site\":\"REG01\",\"container\":\"BOX-1\",\"path\":\"FRZ-1 > RACK-1 > BOX-1\",\"position\":\"A1\""
	contains "$T/out" "\"barcode\":\"$a\",\"type\":\"plasma\""
	contains "$T/out" "\"container\":\"BOX-3\",\"path\":\"FRZ-1 > SHELF-1 > RACK-2 > BOX-3\",\"position\":\"1\""
	expect_exit 0 "$OB" --db "$T/x.db" audit verify
}

test_empty_moves_all_or_nothing() {
	setup_storage
	a=$(stored BOX-2 A1)
	b=$(stored BOX-2 B2)
	for p in 1 2 3 4 5; do stored BOX-3 $p > /dev/null; done
	expect_exit 4 "$OB" --db "$T/x.db" container empty BOX-2 BOX-3
	contains "$T/err" "box BOX-3 has 1 free position; BOX-2 holds 2 specimens: nothing moved"
	expect_exit 0 "$OB" --db "$T/x.db" container show BOX-2 --json
	contains "$T/out" "\"used\":2"
	expect_exit 0 "$OB" --db "$T/x.db" container empty BOX-2 BOX-1
	same "$(cat "$T/out")" "2 specimens moved from BOX-2 into BOX-1"
	expect_exit 0 "$OB" --db "$T/x.db" container show BOX-1 --json
	contains "$T/out" "\"position\":\"A1\",\"row\":1,\"col\":1,\"specimen\":\"$a\""
	contains "$T/out" "\"position\":\"B2\",\"row\":2,\"col\":2,\"specimen\":\"$b\""
	expect_exit 0 "$OB" --db "$T/x.db" audit verify
}

test_report_covers_nested_racks() {
	setup_storage
	a=$(stored BOX-1 B1)
	b=$(stored BOX-3 4)
	expect_exit 0 "$OB" --db "$T/x.db" container report FRZ-1
	contains "$T/out" "Storage report for FRZ-1 (freezer at REG01, -80 C): 2 specimens from 1 donor"
	contains "$T/out" "BARCODE"
	contains "$T/out" "FRZ-1 > RACK-1 > BOX-1"
	contains "$T/out" "FRZ-1 > SHELF-1 > RACK-2 > BOX-3"
	contains "$T/out" "$a"
	contains "$T/out" "$b"
	contains "$T/out" "by type: plasma 2"
	expect_exit 0 "$OB" --db "$T/x.db" container report SHELF-1 --json
	contains "$T/out" '"count":1'
	lacks "$T/out" "$a"
	expect_exit 0 "$OB" --db "$T/x.db" container report FRZ-2
	contains "$T/out" "0 specimens from 0 donors"
	expect_exit 3 "$OB" --db "$T/x.db" container report NOPE
}

test_refuses_to_store_destroyed_specimen() {
	setup_storage
	a=$("$OB" --db "$T/x.db" specimen add --site REG01 --donor D1 --type plasma --status destroyed)
	expect_exit 4 "$OB" --db "$T/x.db" container move "$a" BOX-1 A1
	contains "$T/err" "is destroyed"
}

test_audit_catches_position_changed_behind_its_back() {
	setup_storage
	a=$(stored BOX-1 A1)
	expect_exit 0 "$OB" --db "$T/x.db" container move "$a" BOX-1 A2
	expect_exit 0 "$OB" --db "$T/x.db" audit verify
	command -v sqlite3 > /dev/null || return 0
	sqlite3 "$T/x.db" "UPDATE specimen SET position = 'J9' WHERE barcode = '$a'"
	expect_exit 4 "$OB" --db "$T/x.db" audit verify
	contains "$T/err" "altered behind the audit trail's back"
}

. "$(dirname "$0")/lib.sh"
run_tests
