#!/usr/bin/env bash
# test_study.sh - studies end to end on the command line: adding one with
# its ethics approval and sites, events and requirements, members,
# enrolment under a participant ID, collecting specimens in it, the
# worklist and the accrual; every rule refuses naming the field and changes
# nothing; a study researcher sees only their studies' specimens.

net() {
	"$OB" --db x.db site add NCC --kind center --name "National Cancer Center" >/dev/null
	"$OB" --db x.db site add REG01 --kind regional --parent NCC >/dev/null
	"$OB" --db x.db site add REG02 --kind regional --parent NCC >/dev/null
	"$OB" --db x.db donor add D1 --site REG01 --sex F --birth-year 1968 >/dev/null
	"$OB" --db x.db donor add D2 --site REG01 --sex M --birth-year 1970 >/dev/null
	"$OB" --db x.db donor add D9 --site REG02 --sex F --birth-year 1960 >/dev/null
	for d in D1 D2; do
		"$OB" --db x.db consent add $d --site REG01 --form v3 --signed 2024-01-05 \
			--scope storage,research,genetic >/dev/null
	done
	"$OB" --db x.db consent add D9 --site REG02 --form v3 --signed 2024-01-05 \
		--scope storage,research >/dev/null
	echo "pass-word-admin" | "$OB" --db x.db user add boss --role administrator \
		--password-stdin >/dev/null
	"$OB" --db x.db study add BC-2024 --title "Breast cancer cohort" --pi boss \
		--ethics-ref "EC-17/2024" --approved 2024-01-10 --expires 2030-12-31 \
		--ppid-format 'BC-[0-9]{4}' --status active --sites REG01 >/dev/null
	"$OB" --db x.db study event-add BC-2024 SURG --label Surgery --day 0 >/dev/null
	"$OB" --db x.db study event-add BC-2024 FU6 --label "6-month follow-up" --day 182 >/dev/null
	"$OB" --db x.db study requirement-add BC-2024 SURG TUM --type fresh_frozen \
		--pathology tumour --count 2 --quantity 50 --unit mg >/dev/null
	"$OB" --db x.db study requirement-add BC-2024 SURG PL --type plasma --count 1 \
		--quantity 2 --unit ml --processing "spin 2000 g 10 min" >/dev/null
	"$OB" --db x.db study requirement-add BC-2024 FU6 PL6 --type plasma --count 1 \
		--quantity 2 --unit ml >/dev/null
}

test_study_add_show_and_list() {
	net
	expect_exit 0 "$OB" --db x.db study show BC-2024 --json
	contains "$T/out" '"code":"BC-2024","title":"Breast cancer cohort","status":"active","pi":"boss"'
	contains "$T/out" '"ethics_expires_on":"2030-12-31T00:00:00Z","ppid_format":"BC-[0-9]{4}"'
	contains "$T/out" '"sites":["REG01"],"forms":[]'
	contains "$T/out" '"events":[{"code":"SURG","label":"Surgery","day":0,"position":1,"requirements":[{"code":"TUM","type":"fresh_frozen","pathology":"tumour","anatomic_site":null,"count":2,"quantity":50,"unit":"mg","processing":null}'
	contains "$T/out" '"participants":0'
	expect_exit 0 "$OB" --db x.db study list --json
	contains "$T/out" '{"studies":[{"code":"BC-2024"'
	lacks "$T/out" '"events"'
	expect_exit 0 "$OB" --db x.db study list
	contains "$T/out" "BC-2024"
	# found by title too
	expect_exit 0 "$OB" --db x.db study show "Breast cancer cohort"
	contains "$T/out" "ppid_format          BC-[0-9]{4}"
}

test_study_forms() {
	net
	"$OB" --db x.db consent form-add v4 --title "Form 4" --statement "STORAGE:storage:Keep it" \
		>/dev/null
	expect_exit 0 "$OB" --db x.db study form-add BC-2024 v4
	contains "$T/out" "study BC-2024 uses consent form v4"
	expect_exit 0 "$OB" --db x.db study show BC-2024 --json
	contains "$T/out" '"forms":["v4"]'
	expect_exit 4 "$OB" --db x.db study form-add BC-2024 v4
	contains "$T/err" "form_version: study BC-2024 uses form 'v4' already"
	expect_exit 2 "$OB" --db x.db study form-add BC-2024 v9
	contains "$T/err" "form_version: no consent form 'v9'"
	expect_exit 3 "$OB" --db x.db study form-add NOPE v4
	expect_exit 0 "$OB" --db x.db study show BC-2024 --json
	contains "$T/out" '"forms":["v4"]'
}

test_member_in_scope_only() {
	net
	for u in mgr2:REG02:biobank_manager r1:REG01:researcher r2:REG02:researcher; do
		IFS=: read -r n site role <<< "$u"
		echo "pass-word-$n" | "$OB" --db x.db user add "$n" --site "$site" --role "$role" \
			--password-stdin >/dev/null
	done
	"$OB" --db x.db study add REG2-STUDY --title "A REG02 study" --sites REG02 >/dev/null
	# an account at another site is answered as one that does not exist
	expect_exit 2 "$OB" --db x.db --user mgr2 study member-add REG2-STUDY r1 --role investigator
	contains "$T/err" "user: no user 'r1'"
	expect_exit 2 "$OB" --db x.db --user mgr2 study member-add REG2-STUDY ghost --role investigator
	contains "$T/err" "user: no user 'ghost'"
	expect_exit 2 "$OB" --db x.db --user mgr2 study correct REG2-STUDY pi=r1 --reason "PI"
	contains "$T/err" "no user 'r1'"
	expect_exit 0 "$OB" --db x.db study show REG2-STUDY --json
	contains "$T/out" '"members":[]'
	# one of the caller's own site is reached
	expect_exit 0 "$OB" --db x.db --user mgr2 study member-add REG2-STUDY r2 --role investigator
	expect_exit 0 "$OB" --db x.db study show REG2-STUDY --json
	contains "$T/out" '"members":[{"user":"r2","role":"investigator"}]'
}

test_study_add_refusals() {
	net
	expect_exit 2 "$OB" --db x.db study add X1 --title T --approved 2024-05-01 --expires 2024-04-01
	contains "$T/err" "ethics_expires_on: 2024-04-01 is before the approval (2024-05-01)"
	expect_exit 2 "$OB" --db x.db study add X1 --title T --ppid-format 'BC-[0-9'
	contains "$T/err" "ppid_format: 'BC-[0-9' is not a POSIX extended regular expression"
	expect_exit 2 "$OB" --db x.db study add X1 --title T --pi nobody
	contains "$T/err" "pi: no user 'nobody'"
	expect_exit 2 "$OB" --db x.db study add X1 --title T --sites NOPE
	contains "$T/err" "sites: no site has code 'NOPE'"
	expect_exit 2 "$OB" --db x.db study add X1 --title T --forms v9
	contains "$T/err" "forms: no consent form 'v9'"
	expect_exit 2 "$OB" --db x.db study add X1 --title T --status running
	contains "$T/err" "status: 'running' is not draft, active or closed"
	expect_exit 2 "$OB" --db x.db study add X1 --title T --approved 2999-01-01
	contains "$T/err" "ethics_approved_on:"
	expect_exit 4 "$OB" --db x.db study add BC-2024 --title T
	contains "$T/err" "code: study 'BC-2024' exists already"
	expect_exit 2 "$OB" --db x.db study requirement-add BC-2024 SURG X --type plasma --quantity 2 --unit mg
	contains "$T/err" "unit: mg does not measure plasma"
	expect_exit 2 "$OB" --db x.db study requirement-add BC-2024 SURG X --type plasma --count 0
	contains "$T/err" "count: 0 is not 1 to 1000"
	expect_exit 2 "$OB" --db x.db study requirement-add BC-2024 SURG X --type blood
	contains "$T/err" "type: 'blood' is not a specimen type"
	expect_exit 2 "$OB" --db x.db study requirement-add BC-2024 NOEV X --type plasma
	contains "$T/err" "event: study BC-2024 has no event 'NOEV'"
	expect_exit 3 "$OB" --db x.db study show NOPE
	contains "$T/err" "study: no study 'NOPE'"
	expect_exit 0 "$OB" --db x.db study list
	lacks "$T/out" "X1"
	expect_exit 0 "$OB" --db x.db audit verify
	contains "$T/out" "intact"
}

test_enrol_rules() {
	net
	expect_exit 0 "$OB" --db x.db study enrol BC-2024 --site REG01 --donor D1 --ppid BC-0001 \
		--date 2024-03-01
	expect_exit 4 "$OB" --db x.db study enrol BC-2024 --site REG01 --donor D2 --ppid BC-0001
	contains "$T/err" "ppid: study BC-2024 already has participant BC-0001"
	expect_exit 2 "$OB" --db x.db study enrol BC-2024 --site REG01 --donor D2 --ppid BC-1
	contains "$T/err" "ppid: 'BC-1' does not match the study's format 'BC-[0-9]{4}'"
	expect_exit 2 "$OB" --db x.db study enrol BC-2024 --site REG01 --donor D2 --ppid XBC-0002
	contains "$T/err" "does not match the study's format"
	expect_exit 4 "$OB" --db x.db study enrol BC-2024 --site REG01 --donor D1 --ppid BC-0009
	contains "$T/err" "donor: donor D1 of REG01 is enrolled in study BC-2024 already"
	expect_exit 2 "$OB" --db x.db study enrol BC-2024 --site REG02 --donor D9 --ppid BC-0009
	contains "$T/err" "site: REG02 does not collect for study BC-2024"
	expect_exit 2 "$OB" --db x.db study enrol BC-2024 --site REG01 --donor D2 --ppid BC-0002 \
		--date 2999-01-01
	contains "$T/err" "date:"
	expect_exit 2 "$OB" --db x.db study enrol BC-2024 --site REG01 --donor D2 --ppid BC-0002 \
		--date 1950-01-01
	contains "$T/err" "date: 1950-01-01 is before the donor's birth (1970)"
	expect_exit 3 "$OB" --db x.db study enrol BC-2024 --site REG01 --donor NOPE --ppid BC-0002
	contains "$T/err" "donor: no donor 'NOPE' at site 'REG01'"
	expect_exit 0 "$OB" --db x.db study participants BC-2024 --json
	same "$(cat "$T/out")" '{"participants":[{"ppid":"BC-0001","site":"REG01","donor":"D1","enrolled_on":"2024-03-01T00:00:00Z","withdrawn":false}]}'
	# a donor may be in several studies
	"$OB" --db x.db study add LUNG --title Lung --status active --sites REG01 >/dev/null
	expect_exit 0 "$OB" --db x.db study enrol LUNG --site REG01 --donor D1 --ppid L1
	# a closed study enrols nobody
	expect_exit 0 "$OB" --db x.db study close LUNG --reason "accrual complete"
	expect_exit 4 "$OB" --db x.db study enrol LUNG --site REG01 --donor D2 --ppid L2
	contains "$T/err" "study: study LUNG is closed"
	expect_exit 0 "$OB" --db x.db audit verify
	contains "$T/out" "intact"
}

test_scope_of_enrolment() {
	net
	echo "pass-word-tech01" | "$OB" --db x.db user add tech01 --site REG01 --role technician \
		--password-stdin >/dev/null
	"$OB" --db x.db study site-add BC-2024 REG02 >/dev/null
	# a donor outside the actor's scope: its site refused openly (scope.h)
	expect_exit 6 "$OB" --db x.db --user tech01 study enrol BC-2024 --site REG02 --donor D9 \
		--ppid BC-0009
	contains "$T/err" "site: permission denied"
	# a technician may enrol but not change the study
	expect_exit 0 "$OB" --db x.db --user tech01 study enrol BC-2024 --site REG01 --donor D2 \
		--ppid BC-0002
	expect_exit 6 "$OB" --db x.db --user tech01 study event-add BC-2024 FU12 --day 365
	contains "$T/err" "permission denied: a technician cannot create or change studies"
	# a reader of REG01 sees REG01's participants only, and may not name REG02
	"$OB" --db x.db study enrol BC-2024 --site REG02 --donor D9 --ppid BC-0009 >/dev/null
	expect_exit 0 "$OB" --db x.db --user tech01 study participants BC-2024
	contains "$T/out" "BC-0002"
	lacks "$T/out" "BC-0009"
	expect_exit 0 "$OB" --db x.db --user tech01 study worklist BC-2024 --format csv
	lacks "$T/out" "BC-0009"
	expect_exit 6 "$OB" --db x.db --user tech01 study worklist BC-2024 --site REG02
	contains "$T/err" "site: permission denied"
	expect_exit 0 "$OB" --db x.db --user tech01 study accrual BC-2024 --json
	contains "$T/out" '"enrolled":1'
	lacks "$T/out" "REG02"
}

test_collect_in_study_and_worklist() {
	net
	"$OB" --db x.db study enrol BC-2024 --site REG01 --donor D1 --ppid BC-0001 --date 2024-03-01 >/dev/null
	"$OB" --db x.db study enrol BC-2024 --site REG01 --donor D2 --ppid BC-0002 --date 2024-03-02 >/dev/null
	expect_exit 0 "$OB" --db x.db study worklist BC-2024 --json
	contains "$T/out" '{"ppid":"BC-0001","site":"REG01","donor":"D1","event":"SURG","event_label":"Surgery","due_on":"2024-03-01T00:00:00Z","requirement":"TUM","type":"fresh_frozen","expected":2,"collected":0,"missing":2,"quantity":50,"unit":"mg","processing":null}'
	contains "$T/out" '"event":"FU6","event_label":"6-month follow-up","due_on":"2024-08-30T00:00:00Z"'
	t=$("$OB" --db x.db specimen add --site REG01 --donor D1 --type fresh_frozen --pathology tumour \
		--quantity 50 --unit mg --collected-at 2024-03-01 --study BC-2024 --event SURG --requirement TUM)
	p=$("$OB" --db x.db specimen add --site REG01 --donor D1 --type plasma --quantity 2 --unit ml \
		--collected-at 2024-03-01 --study BC-2024 --event Surgery)
	expect_exit 0 "$OB" --db x.db specimen show "$t" --json
	contains "$T/out" '"study":"BC-2024","event":"SURG","requirement":"TUM"'
	# an aliquot inherits the study and the event, not the requirement
	a=$("$OB" --db x.db specimen aliquot "$p" --quantity 0.5 --unit ml --count 1)
	expect_exit 0 "$OB" --db x.db specimen show "$a" --json
	contains "$T/out" '"study":"BC-2024","event":"SURG"'
	lacks "$T/out" '"requirement"'
	# one of two tumour pieces, the plasma (at the event, of its type): done
	expect_exit 0 "$OB" --db x.db study worklist BC-2024 --site REG01 --event SURG --json
	contains "$T/out" '"ppid":"BC-0001","site":"REG01","donor":"D1","event":"SURG","event_label":"Surgery","due_on":"2024-03-01T00:00:00Z","requirement":"TUM","type":"fresh_frozen","expected":2,"collected":1,"missing":1'
	lacks "$T/out" '"ppid":"BC-0001","site":"REG01","donor":"D1","event":"SURG","event_label":"Surgery","due_on":"2024-03-01T00:00:00Z","requirement":"PL"'
	lacks "$T/out" '"FU6"'
	expect_exit 0 "$OB" --db x.db study worklist BC-2024 --format csv
	contains "$T/out" "ppid,site,donor,event,event_label,due_on,requirement,type,expected,collected,missing,quantity,unit,processing"
	contains "$T/out" 'BC-0002,REG01,D2,SURG,Surgery,2024-03-02T00:00:00Z,PL,plasma,1,0,1,2,ml,spin 2000 g 10 min'
	expect_exit 0 "$OB" --db x.db study worklist BC-2024
	contains "$T/out" "PPID"
	contains "$T/out" "BC-0002"
	expect_exit 0 "$OB" --db x.db study accrual BC-2024 --json
	same "$(cat "$T/out")" '{"study":"BC-2024","enrolled":2,"rows":[{"site":"REG01","event":"SURG","planned":6,"collected":2},{"site":"REG01","event":"FU6","planned":2,"collected":0}]}'
	# the search filter
	same "$("$OB" --db x.db specimen find --study BC-2024 --count-only)" 3
	same "$("$OB" --db x.db specimen find --study BC-2024 --event FU6 --count-only)" 0
	# a donor who withdrew consent leaves the worklist
	"$OB" --db x.db consent withdraw D2 --site REG01 --date 2024-04-01 --reason "asked" --disposition keep >/dev/null
	expect_exit 0 "$OB" --db x.db study worklist BC-2024 --json
	lacks "$T/out" "BC-0002"
	expect_exit 0 "$OB" --db x.db audit verify
	contains "$T/out" "intact"
}

test_collect_refusals() {
	net
	"$OB" --db x.db study enrol BC-2024 --site REG01 --donor D1 --ppid BC-0001 --date 2024-03-01 >/dev/null
	"$OB" --db x.db study add OTHER --title Other --status active --sites REG01 >/dev/null
	"$OB" --db x.db study event-add OTHER V1 >/dev/null
	add() { "$OB" --db x.db specimen add --site REG01 --type plasma --quantity 2 --unit ml \
		--collected-at 2024-03-01 "$@"; }
	expect_exit 2 add --donor D2 --study BC-2024 --event SURG
	contains "$T/err" "donor: the donor is not enrolled in study BC-2024"
	expect_exit 2 add --donor D1 --study BC-2024 --event V1
	contains "$T/err" "event: study BC-2024 has no event 'V1'"
	expect_exit 2 add --donor D1 --study BC-2024
	contains "$T/err" "event: a specimen collected in study BC-2024 needs the event"
	expect_exit 2 add --donor D1 --event SURG
	contains "$T/err" "study: an event is one of a study's: name the study"
	expect_exit 2 add --donor D1 --study BC-2024 --event SURG --requirement PL6
	contains "$T/err" "requirement: event SURG of study BC-2024 has no requirement 'PL6'"
	expect_exit 2 add --donor D1 --study BC-2024 --event SURG --requirement TUM
	contains "$T/err" "type: requirement TUM of study BC-2024 expects fresh_frozen, not plasma"
	expect_exit 2 add --donor D1 --study NOPE --event SURG
	contains "$T/err" "study: no study 'NOPE'"
	# expired ethics approval on the collection day
	"$OB" --db x.db study correct BC-2024 ethics_expires_on=2025-03-31 --reason "renewal pending" >/dev/null
	expect_exit 4 add --donor D1 --study BC-2024 --event SURG --collected-at 2025-04-01
	contains "$T/err" "study: the ethics approval of study BC-2024 expired on 2025-03-31"
	expect_exit 0 add --donor D1 --study BC-2024 --event SURG --collected-at 2025-03-31
	# closed, and draft
	"$OB" --db x.db study close BC-2024 --reason "accrual complete" >/dev/null
	expect_exit 4 add --donor D1 --study BC-2024 --event SURG
	contains "$T/err" "study: study BC-2024 is closed"
	"$OB" --db x.db study correct BC-2024 status=draft --reason "reopened as draft" >/dev/null
	expect_exit 4 add --donor D1 --study BC-2024 --event SURG
	contains "$T/err" "study: study BC-2024 is a draft"
	same "$("$OB" --db x.db specimen find --count-only)" 1
	expect_exit 0 "$OB" --db x.db study history BC-2024
	contains "$T/out" "renewal pending"
	expect_exit 0 "$OB" --db x.db audit verify
	contains "$T/out" "intact"
}

test_study_researcher_sees_only_their_studies() {
	net
	echo "pass-word-study1" | "$OB" --db x.db user add sr1 --role study_researcher \
		--password-stdin >/dev/null
	"$OB" --db x.db study add LUNG --title Lung --status active --sites REG01 >/dev/null
	"$OB" --db x.db study event-add LUNG V1 >/dev/null
	"$OB" --db x.db study enrol BC-2024 --site REG01 --donor D1 --ppid BC-0001 --date 2024-03-01 >/dev/null
	"$OB" --db x.db study enrol LUNG --site REG01 --donor D1 --ppid L1 --date 2024-03-01 >/dev/null
	mine=$("$OB" --db x.db specimen add --site REG01 --donor D1 --type plasma --quantity 2 \
		--unit ml --collected-at 2024-03-01 --study BC-2024 --event SURG)
	theirs=$("$OB" --db x.db specimen add --site REG01 --donor D1 --type plasma --quantity 2 \
		--unit ml --collected-at 2024-03-01 --study LUNG --event V1)
	none=$("$OB" --db x.db specimen add --site REG01 --donor D1 --type serum --quantity 2 \
		--unit ml --collected-at 2024-03-01)
	expect_exit 0 "$OB" --db x.db study member-add BC-2024 sr1 --role investigator
	expect_exit 4 "$OB" --db x.db study member-add BC-2024 sr1 --role investigator
	expect_exit 2 "$OB" --db x.db study member-add BC-2024 boss --role chief
	contains "$T/err" "role: 'chief' is not investigator or coordinator"
	expect_exit 0 "$OB" --db x.db --user sr1 specimen find
	contains "$T/out" "$mine"
	lacks "$T/out" "$theirs"
	lacks "$T/out" "$none"
	expect_exit 0 "$OB" --db x.db --user sr1 specimen show "$mine" --json
	contains "$T/out" '"study":"BC-2024"'
	expect_exit 3 "$OB" --db x.db --user sr1 specimen show "$theirs"
	contains "$T/err" "no specimen has barcode '$theirs'"
	expect_exit 3 "$OB" --db x.db --user sr1 specimen show "$none"
	expect_exit 0 "$OB" --db x.db --user sr1 study list
	contains "$T/out" "BC-2024"
	lacks "$T/out" "LUNG"
	expect_exit 3 "$OB" --db x.db --user sr1 study show LUNG
	contains "$T/err" "study: no study 'LUNG'"
	expect_exit 0 "$OB" --db x.db --user sr1 study worklist BC-2024 --json
	contains "$T/out" "BC-0001"
	expect_exit 0 "$OB" --db x.db --user sr1 study accrual BC-2024
	expect_exit 3 "$OB" --db x.db --user sr1 study accrual LUNG
	# no general reading, no changes
	expect_exit 6 "$OB" --db x.db --user sr1 donor list
	expect_exit 6 "$OB" --db x.db --user sr1 study event-add BC-2024 X
	# the refused probe of another study's specimen is audited
	expect_exit 0 "$OB" --db x.db audit verify
	# leaving the study, they see nothing
	expect_exit 0 "$OB" --db x.db study member-remove BC-2024 sr1
	expect_exit 3 "$OB" --db x.db --user sr1 specimen show "$mine"
	same "$("$OB" --db x.db --user sr1 specimen find --count-only)" 0
	expect_exit 3 "$OB" --db x.db study member-remove BC-2024 sr1
	expect_exit 0 "$OB" --db x.db audit verify
	contains "$T/out" "intact"
}

# hget PATH [TOKEN] - GET over HTTP: the status in $CODE, the body in $T/body.
hget() {
	CODE=$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer ${2:-none}" "${URL%/}$1")
}

test_study_researcher_over_http() {
	command -v curl >/dev/null || { echo "curl is needed"; return 77; }
	net
	echo "pass-word-study1" | "$OB" --db x.db user add sr1 --role study_researcher \
		--password-stdin >/dev/null
	"$OB" --db x.db study enrol BC-2024 --site REG01 --donor D1 --ppid BC-0001 --date 2024-03-01 >/dev/null
	mine=$("$OB" --db x.db specimen add --site REG01 --donor D1 --type plasma --quantity 2 \
		--unit ml --collected-at 2024-03-01 --study BC-2024 --event SURG)
	none=$("$OB" --db x.db specimen add --site REG01 --donor D1 --type serum --quantity 2 \
		--unit ml --collected-at 2024-03-01)
	"$OB" --db x.db study member-add BC-2024 sr1 --role coordinator >/dev/null
	serve_bg --db x.db serve --listen 127.0.0.1:0 --threads 2
	CODE=$(curl -s -o "$T/body" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
		-d '{"username":"sr1","password":"pass-word-study1"}' "${URL%/}/api/login")
	same "$CODE" 200 || { cat "$T/body" >&2; false; }
	tok=$(sed -n 's/.*"token":"\([0-9a-f]*\)".*/\1/p' "$T/body")
	hget /api/specimens "$tok"
	same "$CODE" 200 || { cat "$T/body" >&2; false; }
	contains "$T/body" "$mine"
	lacks "$T/body" "$none"
	hget "/api/specimens/$mine" "$tok"
	same "$CODE" 200
	hget "/api/specimens/$none" "$tok"
	same "$CODE" 404
	hget /api/donors "$tok"
	same "$CODE" 403
	hget /api/studies "$tok"
	same "$CODE" 200
	contains "$T/body" '{"studies":[{"code":"BC-2024"'
	hget /api/studies/BC-2024/worklist "$tok"
	same "$CODE" 200
	contains "$T/body" '"ppid":"BC-0001"'
	hget "/api/studies/BC-2024/worklist?format=csv" "$tok"
	same "$CODE" 200
	contains "$T/body" "ppid,site,donor,event"
	hget /api/studies/BC-2024/accrual "$tok"
	same "$CODE" 200
	contains "$T/body" '"enrolled":1'
	hget "/api/specimens?study=BC-2024" "$tok"
	same "$CODE" 200
	contains "$T/body" "$mine"
	CODE=$(curl -s -o "$T/body" -w '%{http_code}' -X DELETE -H "Authorization: Bearer $tok" \
		"${URL%/}/api/studies/BC-2024/members/sr1")
	same "$CODE" 403
}

. "$(dirname "$0")/lib.sh"
run_tests
