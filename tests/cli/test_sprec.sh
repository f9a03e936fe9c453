# test_sprec.sh - end-to-end tests of `oncobank sprec` (check, explain,
# compute); exit statuses as docs/cli.md: 0 ok, 1 usage, 2 bad input.

test_check_valid_fluid_code() {
	expect_exit 0 "$OB" sprec check SER-SST-A-B-N-A-D
	same "$(cat "$T/out")" "SER-SST-A-B-N-A-D: valid SPREC 4.0 fluid code"
}

test_check_valid_solid_code_under_3_0() {
	expect_exit 0 "$OB" sprec check TIS-SRG-A-B-NBF-E-P --version 3.0
	same "$(cat "$T/out")" "TIS-SRG-A-B-NBF-E-P: valid SPREC 3.0 solid code"
}

test_check_invalid_element_exits_2_naming_it() {
	expect_exit 2 "$OB" sprec check TIS-SRG-A-Q-NBF-E-P
	contains "$T/err" "element 4"
	contains "$T/err" "cold ischemia time"
	contains "$T/err" "'Q' is not a code in SPREC 4.0"
	[ ! -s "$T/out" ]
}

test_check_wrong_element_count_exits_2() {
	expect_exit 2 "$OB" sprec check SER-SST-A-B
	contains "$T/err" "has 4 elements"
}

test_check_v4_code_under_3_0_exits_2() {
	expect_exit 0 "$OB" sprec check EXO-SST-A-B-N-A-D
	expect_exit 2 "$OB" sprec check EXO-SST-A-B-N-A-D --version 3.0
	contains "$T/err" "element 1 (type of sample)"
	contains "$T/err" "added in SPREC 4.0"
}

test_check_unknown_version_exits_2() {
	expect_exit 2 "$OB" sprec check SER-SST-A-B-N-A-D --version=2.0
	contains "$T/err" "version '2.0'"
}

test_check_without_code_is_usage_error() {
	expect_exit 1 "$OB" sprec check
	contains "$T/err" "CODE is missing"
}

test_explain_prints_one_line_per_element() {
	expect_exit 0 "$OB" sprec explain SER-SST-A-B-N-A-D
	same "$(wc -l < "$T/out")" 7
	contains "$T/out" "type of sample: SER = Serum"
	contains "$T/out" "centrifugation: B = RT 10 to 15 min; < 3000 g with braking"
	contains "$T/out" "second centrifugation: N = No centrifugation"
}

test_explain_json_lists_element_code_meaning() {
	expect_exit 0 "$OB" sprec explain TIS-SRG-A-B-NBF-E-P --json
	contains "$T/out" '{"element": "fixation/stabilisation type", "code": "NBF", "meaning": "Neutral buffered formalin"}'
	same "$(grep -c '"element"' "$T/out")" 7
	if command -v python3 > /dev/null; then
		python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); assert len(a)==7 and a[0]["code"]=="TIS"' "$T/out"
	fi
}

test_explain_invalid_code_exits_2() {
	expect_exit 2 "$OB" sprec explain SER-SST-A-B-N-A-9 --json
	contains "$T/err" "element 7 (long-term storage)"
	[ ! -s "$T/out" ]
}

test_help_prints_usage_and_exits_0() {
	expect_exit 0 "$OB" sprec --help
	contains "$T/out" "usage: oncobank sprec check CODE"
	expect_exit 0 "$OB" sprec check --help
	contains "$T/out" "usage: oncobank sprec check"
	expect_exit 0 "$OB" sprec explain X --help
	contains "$T/out" "--json"
	expect_exit 0 "$OB" sprec compute --help
	contains "$T/out" "--storage-temp"
}

test_unknown_subcommand_is_usage_error() {
	expect_exit 1 "$OB" sprec frobnicate
	contains "$T/err" "unknown subcommand 'frobnicate'"
}

test_compute_plasma_from_measurements() {
	expect_exit 0 "$OB" sprec compute --type plasma --collection PED \
		--pre 120 --pre-temp rt --spin 20,10,2000,brake --spin2 4,10,16000,brake \
		--post 30 --post-temp 4 --vessel cryotube_1_2ml --storage-temp -80
	same "$(cat "$T/out")" "PL2-PED-C-B-J-A-D"
}

test_compute_ffpe_boundaries() {
	# warm ischemia exactly 10 min -> C; fixation exactly 72 h -> Z (no code)
	expect_exit 0 "$OB" sprec compute --type ffpe_block --collection SRG --warm 10 --cold 2 \
		--fixation NBF --fixation-min 4320 --vessel paraffin_block --storage-temp 20
	same "$(cat "$T/out")" "TIS-SRG-C-B-NBF-Z-P"
}

test_compute_unknowns_give_x() {
	expect_exit 0 "$OB" sprec compute --type serum
	same "$(cat "$T/out")" "SER-XXX-X-X-X-X-X"
}

test_compute_inconsistent_record_exits_2() {
	expect_exit 2 "$OB" sprec compute --type plasma --fixation NBF
	contains "$T/err" "fixation: given for a fluid sample"
	expect_exit 2 "$OB" sprec compute --type dna
	contains "$T/err" "nucleic acid"
}

test_compute_bad_number_is_usage_error() {
	expect_exit 1 "$OB" sprec compute --type ffpe_block --collection SRG --warm 10min
	contains "$T/err" "--warm: '10min' is not a number"
}

test_unknown_option_is_usage_error() {
	expect_exit 1 "$OB" sprec check SER-SST-A-B-N-A-D --json
	contains "$T/err" "unknown option --json"
	expect_exit 1 "$OB" sprec check SER-SST-A-B-N-A-D TIS-SRG-A-B-NBF-E-P
	contains "$T/err" "unexpected argument"
}

. "$(dirname "$0")/lib.sh"
run_tests
