#!/usr/bin/env bash
# test_consent.sh - end-to-end CLI tests of consent forms and their coded
# statements, a donor's consents, partial and full withdrawals, and where
# consent is checked (sequencing, distribution, search, labels, export).

VCF='##fileformat=VCFv4.2
#CHROM	POS	ID	REF	ALT	QUAL	FILTER	INFO'

# A network, donor D1 at REG01 with a specimen at REG01 and one at REG02
# (an aliquot of it too), and form v4.
fill() {
	"$OB" --db x.db site add NCC --kind center --name "National Cancer Center" > /dev/null
	"$OB" --db x.db site add REG01 --kind regional --parent NCC > /dev/null
	"$OB" --db x.db site add REG02 --kind regional --parent NCC > /dev/null
	"$OB" --db x.db donor add D1 --site REG01 --sex F --birth-year 1968 > /dev/null
	cat > statements.csv <<-'EOF'
		code,uses,text,text_zh
		STORE,storage+research,"My samples may be stored, and used for research.",我同意保存并用于研究。
		DNA,genetic,My samples may be used for genetic research.,
		SHARE,sharing,My coded data may be shared outside the network.,
	EOF
	"$OB" --db x.db consent form-add v4 --title "Biobank consent 4" --effective-on 2024-01-01 \
		--file statements.csv > /dev/null
	"$OB" --db x.db consent add REG01 D1 --form v4 --signed-on 2024-02-01 --witness "Nurse Li" \
		--response STORE=yes --response DNA=yes > /dev/null
	P1=$("$OB" --db x.db specimen add --site REG01 --donor D1 --type plasma --quantity 2 \
		--unit ml --collected-at 2024-03-01T08:00:00Z)
	DNA=$("$OB" --db x.db specimen derive "$P1" --type dna --quantity 10 --unit ug)
	P2=$("$OB" --db x.db specimen add --site REG02 --donor D1 --donor-site REG01 --type serum \
		--quantity 2 --unit ml --collected-at 2024-03-02T08:00:00Z)
	AL=$("$OB" --db x.db specimen aliquot "$P2" --quantity 0.5 --unit ml)
	printf '%s\n' "$VCF" > empty.vcf
}

test_forms_are_listed_and_shown() {
	fill
	expect_exit 0 "$OB" --db x.db consent forms
	contains "$T/out" "v4"
	contains "$T/out" "Biobank consent 4 (3 statements)"
	expect_exit 0 "$OB" --db x.db consent form-show v4 --json
	contains "$T/out" '"form_version":"v4"'
	contains "$T/out" '{"code":"STORE","text":"My samples may be stored, and used for research.","text_zh":"我同意保存并用于研究。","uses":["storage","research"]}'
	contains "$T/out" '{"code":"DNA","text":"My samples may be used for genetic research.","text_zh":null,"uses":["genetic"]}'
	expect_exit 0 "$OB" --db x.db consent form-add v5 --title "Short" \
		--statement "ALL:storage,research,commercial:Everything" --statement "FIND:findings:Tell me"
	expect_exit 0 "$OB" --db x.db consent form-show v5
	contains "$T/out" "ALL          storage research commercial"
	contains "$T/out" "FIND         findings"
}

test_bad_forms_are_refused() {
	fill
	expect_exit 2 "$OB" --db x.db consent form-add v6 --title T --statement "bad code:storage:x"
	contains "$T/err" "statements: code 'bad code'"
	expect_exit 2 "$OB" --db x.db consent form-add v6 --title T --statement "A:everything:x"
	contains "$T/err" "'everything' is not a consent use"
	expect_exit 2 "$OB" --db x.db consent form-add v6 --title T --statement "A:storage:x" \
		--statement "A:research:y"
	contains "$T/err" "appears twice"
	expect_exit 2 "$OB" --db x.db consent form-add v6 --title T --statement "A-storage"
	contains "$T/err" "CODE:USES:TEXT"
	expect_exit 4 "$OB" --db x.db consent form-add v4 --title T --statement "A:storage:x"
	contains "$T/err" "version: consent form 'v4' exists already"
	expect_exit 0 "$OB" --db x.db consent forms
	lacks "$T/out" "v6"
}

test_responses_are_checked() {
	fill
	expect_exit 2 "$OB" --db x.db consent add REG01 D1 --form v4 --signed-on 2024-05-01 \
		--response STORE=yes --response FOO=yes
	contains "$T/err" "responses: form v4 has no statement 'FOO'"
	expect_exit 2 "$OB" --db x.db consent add REG01 D1 --form v4 --signed-on 2024-05-01 \
		--response STORE=perhaps
	contains "$T/err" "responses: STORE"
	expect_exit 2 "$OB" --db x.db consent add REG01 D1 --form v4 --signed-on 2199-05-01 \
		--response STORE=yes
	contains "$T/err" "signed_on:"
	expect_exit 2 "$OB" --db x.db consent add REG01 D1 --form v4 --signed-on 1960-05-01 \
		--response STORE=yes
	contains "$T/err" "before the donor's birth"
	expect_exit 3 "$OB" --db x.db consent add REG01 D1 --form v8 --signed-on 2024-05-01 \
		--response STORE=yes
	contains "$T/err" "form_version: no consent form 'v8'"
	# the consent stands as recorded: SHARE was not asked (v4 asks nothing
	# of transfer: it comes with storage)
	expect_exit 0 "$OB" --db x.db consent show REG01 D1 --json
	contains "$T/out" '"uses":["storage","research","genetic","transfer"]'
	contains "$T/out" '"witness":"Nurse Li"'
	contains "$T/out" '"code":"SHARE"'
	contains "$T/out" '"response":"not_asked"'
	same "$(jq '.consents | length' "$T/out")" 1
}

test_legacy_scope_still_works() {
	fill
	# today's spelling: DONOR --site SITE --signed DATE --scope LIST
	expect_exit 0 "$OB" --db x.db consent add D1 --site REG01 --form v2.1 --signed 2024-06-01 \
		--scope storage,research
	expect_exit 0 "$OB" --db x.db consent form-show v2.1
	contains "$T/out" "STORAGE"
	contains "$T/out" "RECONTACT"
	expect_exit 0 "$OB" --db x.db consent show REG01 D1
	contains "$T/out" "current uses: storage research transfer"
	contains "$T/out" "  statement      GENETIC      no"
}

test_partial_withdrawal_blocks_genetic_only() {
	fill
	expect_exit 0 "$OB" --db x.db sequencing add "$DNA" --vcf empty.vcf --kind germline \
		--assay "HBOC panel" --genome GRCh38
	expect_exit 2 "$OB" --db x.db consent withdraw REG01 D1 --statement FOO --reason asked
	contains "$T/err" "statement: form v4 has no statement 'FOO'"
	expect_exit 2 "$OB" --db x.db consent withdraw REG01 D1 --statement DNA --reason "no genetics" \
		--disposition destroy
	contains "$T/err" "disposition:"
	expect_exit 0 "$OB" --db x.db consent withdraw REG01 D1 --statement DNA --reason "no genetics" \
		--date 2024-09-01
	expect_exit 0 "$OB" --db x.db consent show REG01 D1
	contains "$T/out" "current uses: storage research transfer"
	contains "$T/out" "DNA          no, withdrawn 2024-09-01"
	# sequencing refused, the stored result flagged ...
	expect_exit 4 "$OB" --db x.db sequencing add "$DNA" --vcf empty.vcf --kind germline \
		--assay "HBOC panel" --genome GRCh38
	contains "$T/err" "genetic research"
	expect_exit 0 "$OB" --db x.db sequencing list --json
	contains "$T/out" '"consent":"genetic research not permitted"'
	# ... distribution still allowed
	expect_exit 0 "$OB" --db x.db specimen status "$P1" reserved --reason "project P"
	expect_exit 0 "$OB" --db x.db specimen status "$P1" distributed --reason "project P"
	expect_exit 0 "$OB" --db x.db audit verify
}

test_full_withdrawal_marks_every_specimen() {
	fill
	expect_exit 0 "$OB" --db x.db sequencing add "$DNA" --vcf empty.vcf --kind germline \
		--assay "HBOC panel" --genome GRCh38
	expect_exit 2 "$OB" --db x.db consent withdraw REG01 D1 --reason asked
	contains "$T/err" "disposition:"
	expect_exit 2 "$OB" --db x.db consent withdraw REG01 D1 --reason asked --disposition burn
	contains "$T/err" "disposition: 'burn'"
	expect_exit 0 "$OB" --db x.db specimen find --withdrawn only --count-only
	same "$(cat "$T/out")" 0
	expect_exit 0 "$OB" --db x.db consent withdraw REG01 D1 --reason "asked by letter" \
		--disposition data_only --date 2024-10-01
	# every specimen of D1, at REG01 and REG02, the aliquot included
	for b in "$P1" "$DNA" "$P2" "$AL"; do
		expect_exit 0 "$OB" --db x.db specimen show "$b" --json
		contains "$T/out" '"consent_disposition":"data_only"'
	done
	expect_exit 0 "$OB" --db x.db specimen history "$AL" --json
	contains "$T/out" '"action":"withdraw"'
	expect_exit 0 "$OB" --db x.db consent show REG01 D1
	contains "$T/out" "consent          WITHDRAWN"
	contains "$T/out" "asked by letter (data_only)"
	# search include / exclude / only
	expect_exit 0 "$OB" --db x.db specimen find --count-only
	same "$(cat "$T/out")" 4
	expect_exit 0 "$OB" --db x.db specimen find --withdrawn exclude --count-only
	same "$(cat "$T/out")" 0
	expect_exit 0 "$OB" --db x.db specimen find --withdrawn only --count-only
	same "$(cat "$T/out")" 4
	expect_exit 2 "$OB" --db x.db specimen find --withdrawn sometimes
	contains "$T/err" "withdrawn:"
	# no label, a flagged result, no distribution
	expect_exit 4 "$OB" --db x.db label "$P1" --format png -o l.png
	contains "$T/err" "$P1"
	expect_exit 0 "$OB" --db x.db sequencing list --json
	contains "$T/out" '"consent":"withdrawn"'
	expect_exit 4 "$OB" --db x.db specimen status "$P2" reserved --reason "project P"
	expect_exit 0 "$OB" --db x.db audit verify
}

# Transfer (to other sites of the network): a form that asks about it
# follows the rule, a form that does not permits it with storage.
test_transfer_is_a_use() {
	fill
	expect_exit 0 "$OB" --db x.db consent --help
	contains "$T/out" "findings, transfer"
	expect_exit 0 "$OB" --db x.db consent form-add v5 --title "Biobank consent 5" \
		--effective-on 2025-07-01 \
		--statement "STORE:storage+research:My samples may be stored and used for research." \
		--statement "MOVE:material transfer:My samples may be sent to other centres of the network."
	expect_exit 0 "$OB" --db x.db consent form-show v5
	contains "$T/out" "MOVE         transfer"
	expect_exit 0 "$OB" --db x.db consent form-show v5 --json
	contains "$T/out" '"code":"MOVE","text":"My samples may be sent to other centres of the network.","text_zh":null,"uses":["transfer"]'
	# v4 has no transfer statement: D1's storage permits transfer
	expect_exit 0 "$OB" --db x.db donor show D1 --site REG01
	contains "$T/out" "current uses: storage research genetic transfer"
	expect_exit 0 "$OB" --db x.db specimen find --consent transfer --count-only
	same "$(cat "$T/out")" 4
	# a "no" to MOVE keeps the material where it is
	expect_exit 0 "$OB" --db x.db consent add REG01 D1 --form v5 --signed-on 2025-08-01 \
		--response STORE=yes --response MOVE=no
	expect_exit 0 "$OB" --db x.db consent show REG01 D1 --json
	contains "$T/out" '"uses":["storage","research"]'
	expect_exit 0 "$OB" --db x.db specimen find --consent transfer --count-only
	same "$(cat "$T/out")" 0
	expect_exit 0 "$OB" --db x.db specimen find --consent "storage,transfer to other sites" \
		--count-only
	same "$(cat "$T/out")" 0
	# a "yes", then the statement withdrawn alone
	expect_exit 0 "$OB" --db x.db consent add REG01 D1 --form v5 --signed-on 2025-09-01 \
		--response STORE=yes --response MOVE=yes
	expect_exit 0 "$OB" --db x.db consent show REG01 D1
	contains "$T/out" "current uses: storage research transfer"
	expect_exit 0 "$OB" --db x.db consent withdraw REG01 D1 --statement MOVE \
		--reason "keep my samples here" --date 2025-10-01
	expect_exit 0 "$OB" --db x.db consent show REG01 D1 --json
	contains "$T/out" '"uses":["storage","research"]'
	# a full withdrawal clears it
	expect_exit 0 "$OB" --db x.db consent withdraw REG01 D1 --reason asked --disposition keep \
		--date 2025-10-02
	expect_exit 0 "$OB" --db x.db consent show REG01 D1 --json
	contains "$T/out" '"uses":[]'
	expect_exit 2 "$OB" --db x.db specimen find --consent teleport
	contains "$T/err" "findings, transfer)"
	expect_exit 0 "$OB" --db x.db audit verify
}

test_export_reimports() {
	fill
	expect_exit 0 "$OB" --db x.db consent withdraw REG01 D1 --reason "asked" --disposition keep \
		--date 2024-10-01
	for k in sites donors consents; do
		"$OB" --db x.db export "$k" > "a_$k.csv"
	done
	contains a_consents.csv "site,donor,form_version,signed_on,witness,responses,withdrawn_on"
	contains a_consents.csv "REG01,D1,v4,2024-02-01T00:00:00Z,Nurse Li,STORE=yes;DNA=yes;SHARE=not_asked,2024-10-01T00:00:00Z"
	contains a_consents.csv ",keep"
	# into a new database: the custom form first, then the rows
	"$OB" --db y.db import sites a_sites.csv > /dev/null
	"$OB" --db y.db import donors a_donors.csv > /dev/null
	"$OB" --db y.db consent form-add v4 --title "Biobank consent 4" --file statements.csv > /dev/null
	expect_exit 0 "$OB" --db y.db import consents a_consents.csv
	"$OB" --db y.db export consents > b_consents.csv
	# the same rows but who recorded the withdrawal
	same "$(cut -d, -f1-7,9- a_consents.csv)" "$(cut -d, -f1-7,9- b_consents.csv)"
	# a file of today's columns still imports
	printf 'site,donor,form_version,signed_on,scope\nREG01,D1,v2.1,2024-11-01,storage;genetic\n' \
		> old.csv
	expect_exit 0 "$OB" --db y.db import consents old.csv
	expect_exit 0 "$OB" --db y.db consent show REG01 D1 --json
	contains "$T/out" '"uses":["storage","genetic","transfer"]'
	# a responses cell naming no statement of the form is refused, naming it
	printf 'site,donor,form_version,signed_on,responses\nREG01,D1,v4,2024-12-01,STORE=yes;NOPE=no\n' \
		> bad.csv
	expect_exit 2 "$OB" --db y.db import consents bad.csv
	contains "$T/err" "form v4 has no statement 'NOPE'"
	expect_exit 0 "$OB" --db y.db audit verify
}

. "$(dirname "$0")/lib.sh"
run_tests
