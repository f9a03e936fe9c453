# test_demo.sh - end-to-end tests of `oncobank demo-data`: the network it
# builds, specimens of every class with computed SPREC codes, a withdrawn
# donor whose material cannot be distributed, an intact audit trail, and
# the refusal to run twice, shipments in every state. Exit statuses as
# docs/cli.md.

# One small demo database (scale 0.01) is built once, on first use, and
# copied into each test's directory; the cache is removed at exit.
DEMO_CACHE=$(mktemp -d)
trap 'rm -rf "$DEMO_CACHE"' EXIT
export OB_NOW=2025-01-15T09:00:00Z

# demo_db - puts the small demo database at $T/demo.db (summary in
# $T/summary).
demo_db() {
	if [ ! -s "$DEMO_CACHE/demo.db" ]; then
		"$OB" --db "$DEMO_CACHE/build.db" demo-data --scale 0.01 > "$DEMO_CACHE/summary"
		mv "$DEMO_CACHE/build.db" "$DEMO_CACHE/demo.db"
	fi
	cp "$DEMO_CACHE/demo.db" "$T/demo.db"
	cp "$DEMO_CACHE/summary" "$T/summary"
}

count() { # count ARGS... - specimen find ARGS --count on the demo database
	"$OB" --db "$T/demo.db" specimen find "$@" --count
}

test_builds_the_network_of_1_center_2_subcenters_20_regional_centers() {
	demo_db
	expect_exit 0 "$OB" --db "$T/demo.db" site list --json
	same "$(jq '[.[] | select(.kind == "center")] | length' "$T/out")" 1
	same "$(jq '[.[] | select(.kind == "sub-center")] | length' "$T/out")" 2
	same "$(jq '[.[] | select(.kind == "regional")] | length' "$T/out")" 20
	same "$(jq '[.[] | select(.kind == "hospital")] | length' "$T/out")" 6
	same "$(jq -r '.[] | select(.kind == "center") | .code' "$T/out")" NCC
	# every regional center sits under a sub-center, every hospital under a regional one
	same "$(jq '[.[] | select(.kind == "regional" and (.parent == "SUBN" or .parent == "SUBS"))] | length' "$T/out")" 20
	same "$(jq '[.[] | select(.kind == "hospital" and (.parent | startswith("REG")))] | length' "$T/out")" 6
}

test_prints_a_summary_with_counts_per_kind() {
	demo_db
	contains "$T/summary" "sites:      29 (1 center, 2 sub-centers, 20 regional centers, 6 hospitals)"
	contains "$T/summary" "donors:     220 "
	contains "$T/summary" "withdrawn)"
	contains "$T/summary" "aliquots;"
	contains "$T/summary" "audit:"
}

test_makes_specimens_of_every_class() {
	demo_db
	for type in ffpe_block fresh_frozen whole_blood plasma serum buffy_coat dna rna; do
		n=$(count --type "$type")
		[ "$n" -gt 0 ] || { echo "no $type specimens" >&2; return 1; }
	done
	fluids=0
	for type in urine ascites pleural_fluid csf saliva; do
		fluids=$((fluids + $(count --type "$type")))
	done
	[ "$fluids" -gt 0 ] || { echo "no body fluid specimens" >&2; return 1; }
	# regional centers hold specimens, counted through the site tree
	[ "$(count --site REG01 --type plasma)" -gt 0 ]
	[ "$(count --site SUBN)" -gt "$(count --site REG01)" ]
	same "$(count --site NCC)" "$(count)"
}

test_aliquots_and_extracts_have_parents() {
	demo_db
	"$OB" --db "$T/demo.db" specimen find --type plasma --json > "$T/plasma.json"
	[ "$(jq '[.[] | select(.lineage == "aliquot" and .parent != null)] | length' "$T/plasma.json")" -gt 0 ]
	"$OB" --db "$T/demo.db" specimen find --type dna --json > "$T/dna.json"
	same "$(jq '[.[] | select(.lineage != "derivative" or .parent == null)] | length' "$T/dna.json")" 0
	[ "$(jq '[.[] | select(.concentration != null and .a260_280 != null and .din != null)] | length' "$T/dna.json")" -gt 0 ]
	"$OB" --db "$T/demo.db" specimen find --type rna --json > "$T/rna.json"
	[ "$(jq '[.[] | select(.rin != null)] | length' "$T/rna.json")" -gt 0 ]
}

test_primary_specimens_carry_computed_sprec_codes() {
	demo_db
	"$OB" --db "$T/demo.db" specimen find --json > "$T/all.json"
	same "$(jq '[.[] | select(.lineage == "primary" and .sprec == null)] | length' "$T/all.json")" 0
	code=$(jq -r '[.[] | select(.type == "ffpe_block")][0].sprec' "$T/all.json")
	case "$code" in TIS-SRG-*-NBF-*-P|TIS-BPS-*-NBF-*-P) ;; *) echo "FFPE SPREC $code" >&2; return 1 ;; esac
	expect_exit 0 "$OB" sprec check "$code"
	code=$(jq -r '[.[] | select(.type == "serum" and .lineage == "primary")][0].sprec' "$T/all.json")
	case "$code" in SER-SST-*) ;; *) echo "serum SPREC $code" >&2; return 1 ;; esac
	expect_exit 0 "$OB" sprec check "$code"
	# every specimen in storage sits in a box position
	same "$(jq '[.[] | select(.status == "available" and (.container == null or .position == null))] | length' "$T/all.json")" 0
}

test_some_specimens_are_reserved_distributed_or_depleted() {
	demo_db
	[ "$(count --status distributed)" -gt 0 ]
	[ "$(count --status reserved)" -gt 0 ]
	[ "$(count --status depleted)" -gt 0 ]
}

test_withdrawn_donor_specimens_cannot_be_distributed() {
	demo_db
	"$OB" --db "$T/demo.db" donor list --json > "$T/donors.json"
	[ "$(jq '[.[] | select(.consent_withdrawn)] | length' "$T/donors.json")" -gt 0 ]
	site=$(jq -r '[.[] | select(.consent_withdrawn)][0].site' "$T/donors.json")
	donor=$(jq -r '[.[] | select(.consent_withdrawn)][0].code' "$T/donors.json")
	"$OB" --db "$T/demo.db" specimen find --site "$site" --donor "$donor" --status available \
		--json > "$T/sp.json"
	bc=$(jq -r '.[0].barcode' "$T/sp.json")
	[ "$bc" != null ]
	expect_exit 4 "$OB" --db "$T/demo.db" specimen status "$bc" distributed --reason "test"
	contains "$T/err" "withdrew consent"
	expect_exit 4 "$OB" --db "$T/demo.db" specimen status "$bc" reserved
	# and no new specimen can be collected from the donor
	expect_exit 4 "$OB" --db "$T/demo.db" specimen add --site "$site" --donor "$donor" \
		--type serum
}

# Form v3.0 asks about transfer to other centres; a few of its donors (one
# at least, at any scale) answer no, so their material must stay at their
# site's scope. Every other donor's storage consent permits transfer.
test_some_donors_keep_their_material_at_their_site() {
	demo_db
	contains "$T/summary" "4 consent forms"
	grep -Eq ', [1-9][0-9]* declined transfer\)' "$T/summary"
	expect_exit 0 "$OB" --db "$T/demo.db" consent form-show v3.0 --json
	contains "$T/out" '"code":"TRANSFER","text":"My samples may be sent to other centres of the network for storage and research.","text_zh":"我同意我的样本被送往本网络的其他中心保存和用于研究。","uses":["transfer"]'
	"$OB" --db "$T/demo.db" export consents > "$T/consents.csv"
	grep ',v3.0,.*TRANSFER=no' "$T/consents.csv" | cut -d, -f1,2 | tr , ' ' > "$T/stay"
	[ -s "$T/stay" ]
	read -r site donor < "$T/stay"
	# storage, not transfer
	expect_exit 0 "$OB" --db "$T/demo.db" donor show "$donor" --site "$site" --json
	same "$(jq -c '[.uses[] | select(. == "storage" or . == "transfer")]' "$T/out")" '["storage"]'
	# and those who said yes, or signed an older form, may be sent
	grep -q ',v3.0,.*TRANSFER=yes' "$T/consents.csv"
	# the search by use tells them apart
	[ "$(count --consent transfer)" -lt "$(count --consent storage)" ]
}

test_audit_trail_verifies() {
	demo_db
	expect_exit 0 "$OB" --db "$T/demo.db" audit verify
	contains "$T/out" "audit trail intact"
}

test_second_run_is_refused_and_changes_nothing() {
	demo_db
	before=$(count)
	expect_exit 4 "$OB" --db "$T/demo.db" demo-data --scale 0.01
	contains "$T/err" "empty database"
	same "$(count)" "$before"
	expect_exit 0 "$OB" --db "$T/demo.db" audit verify
}

# Shipments between hospitals, regional centers and the main center, one
# left in each state, acted by the sites' users: a receipt with a missing
# and a thawed item, a whole box received into a rack, one in transit with
# a box (its specimens in transit, readable by the destination).
test_ships_in_every_state_between_the_sites() {
	demo_db
	contains "$T/summary" "shipments:  8 (1 draft, 1 packed, 2 in transit, 3 received, 1 cancelled;"
	expect_exit 0 "$OB" --db "$T/demo.db" shipment list --json
	cp "$T/out" list.json
	same "$(jq -r '[.shipments[].state] | sort | unique | join(",")' list.json)" \
		"cancelled,draft,packed,received,shipped"
	same "$(jq -r '.total' list.json)" 8
	# a hospital to its regional center, regional centers to the main center
	same "$(jq -r '.shipments[] | select(.code == "SH-HOSP01-0001") | "\(.from_site)>\(.to_site)"' list.json)" "HOSP01>REG01"
	same "$(jq '[.shipments[] | select(.to_site == "NCC")] | length' list.json)" 5
	expect_exit 0 "$OB" --db "$T/demo.db" shipment show SH-REG01-0001 --json
	cp "$T/out" r.json
	same "$(jq -r '.state' r.json)" received
	same "$(jq -r '"\(.created_by)/\(.shipped_by)/\(.received_by)"' r.json)" "tech01/manager01/admin"
	same "$(jq '[.items[] | select(.state == "missing")] | length' r.json)" 1
	same "$(jq -r '[.discrepancies[].kind] | sort | join(",")' r.json)" "missing,thawed"
	same "$(jq -r '[.custody[] | select(.action == "receive")][0].site' r.json)" NCC
	# the missing specimen is missing, the others available at NCC
	bc=$(jq -r '.items[] | select(.state == "missing") | .barcode' r.json)
	expect_exit 0 "$OB" --db "$T/demo.db" specimen show "$bc" --json
	same "$(jq -r '.status' "$T/out")" missing
	bc=$(jq -r '[.items[] | select(.state == "received")][0].barcode' r.json)
	expect_exit 0 "$OB" --db "$T/demo.db" specimen show "$bc" --json
	same "$(jq -r '"\(.status) \(.site)"' "$T/out")" "available NCC"
	# the whole box went into a rack of NCC with its layout
	expect_exit 0 "$OB" --db "$T/demo.db" shipment show SH-REG09-0001 --json
	same "$(jq '.boxes | length' "$T/out")" 1
	same "$(jq -r '.boxes[0].state' "$T/out")" received
	[ "$(jq '.boxes[0].items' "$T/out")" -ge 2 ]
	# in transit: every item in_transit
	expect_exit 0 "$OB" --db "$T/demo.db" shipment show SH-REG03-0001 --json
	bc=$(jq -r '.items[0].barcode' "$T/out")
	same "$(jq '.boxes | length' "$T/out")" 1
	expect_exit 0 "$OB" --db "$T/demo.db" specimen show "$bc" --json
	same "$(jq -r '"\(.status) \(.site)"' "$T/out")" "in_transit REG03"
	# the documents of the receipt
	expect_exit 0 "$OB" --db "$T/demo.db" shipment receipt SH-REG01-0001
	contains "$T/out" "thawed,\"干冰已耗尽"
	# fontconfig's caches live to the end of the process (the shipment command
	# does not free them as the label command does): not a leak of ours
	echo 'leak:libfontconfig.so' > lsan.supp
	(
		export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$PWD/lsan.supp:print_suppressions=0"
		expect_exit 0 "$OB" --db "$T/demo.db" shipment manifest SH-REG01-0001 --pdf m.pdf
	)
	[ "$(head -c 5 m.pdf)" = "%PDF-" ]
	expect_exit 0 "$OB" --db "$T/demo.db" audit verify
}

test_same_seed_gives_the_same_data() {
	expect_exit 0 "$OB" --db a.db demo-data --scale 0.002 --seed 7
	expect_exit 0 "$OB" --db b.db demo-data --scale 0.002 --seed 7
	expect_exit 0 "$OB" --db c.db demo-data --scale 0.002 --seed 8
	"$OB" --db a.db specimen find --json > a.json
	"$OB" --db b.db specimen find --json > b.json
	"$OB" --db c.db specimen find --json > c.json
	"$OB" --db a.db shipment list --json | jq 'del(.shipments[].created_at, .shipments[].packed_at,
		.shipments[].shipped_at, .shipments[].received_at, .shipments[].cancelled_at)' > a.ship
	"$OB" --db b.db shipment list --json | jq 'del(.shipments[].created_at, .shipments[].packed_at,
		.shipments[].shipped_at, .shipments[].received_at, .shipments[].cancelled_at)' > b.ship
	cmp a.json b.json
	cmp a.ship b.ship
	if cmp -s a.json c.json; then echo "seeds 7 and 8 gave the same data" >&2; return 1; fi
}

# make demo builds the full scale: every date it writes must be in the past
# whatever day the machine's clock says (a later aliquoting once fell after
# today and stopped make demo). Full scale takes some 20 s; the sanitizer
# builds leave it to the plain one.
test_full_scale_demo_builds() {
	case $OB in *asan*|*tsan*) echo "full scale runs in the plain build"; return 77 ;; esac
	expect_exit 0 "$OB" --db full.db demo-data
	contains "$T/out" "specimens:"
	local latest
	latest=$(sqlite3 full.db "SELECT MAX(collected_at) FROM specimen")
	[[ "$latest" < "$(date -u +%Y-%m-%dT%H:%M:%SZ)" ]]
}

test_bad_scale_or_seed_is_a_usage_error() {
	expect_exit 1 "$OB" --db x.db demo-data --scale 0
	expect_exit 1 "$OB" --db x.db demo-data --scale lots
	expect_exit 1 "$OB" --db x.db demo-data --seed -3
	expect_exit 1 "$OB" --db x.db demo-data extra
}

test_help_describes_the_options() {
	expect_exit 0 "$OB" demo-data --help
	contains "$T/out" "--scale F"
	contains "$T/out" "--seed N"
}

. "$(dirname "$0")/lib.sh"
run_tests
