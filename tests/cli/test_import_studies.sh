#!/usr/bin/env bash
# test_import_studies.sh - import and export of studies, events,
# requirements and participants: an export re-imports into an empty
# database with the same sites, donors, forms and users, and exports again
# byte for byte; OpenSpecimen's cp, cpe, sr and cpr template columns are
# read as aliases; bad rows are refused as FILE:LINE: column: message and
# nothing changes; the participants exported follow the reader's scope.

. "$(dirname "$0")/lib.sh"

KINDS="studies events requirements participants"

# The network, donors, a consent form and the PI in database $1.
base() {
	local db=$1
	"$OB" --db "$db" site add NCC --kind center --name "National Cancer Center" > /dev/null
	"$OB" --db "$db" site add REG01 --kind regional --parent NCC --name "Regional One" > /dev/null
	for r in REG02 REG03 REG04 REG05 REG06 REG07 REG08; do
		"$OB" --db "$db" site add $r --kind regional --parent NCC > /dev/null
	done
	"$OB" --db "$db" donor add D1 --site REG01 --sex F --birth-year 1968 > /dev/null
	"$OB" --db "$db" donor add D2 --site REG01 --sex M --birth-year 1970 > /dev/null
	"$OB" --db "$db" donor add D9 --site REG02 --sex F --birth-year 1960 > /dev/null
	"$OB" --db "$db" donor add LU-01 --site REG02 --sex M --birth-year 1955 > /dev/null
	printf 'code,scopes,text\nSTORE,storage+research,Stored and used for research.\n' > st.csv
	"$OB" --db "$db" consent form-add v4 --title "Biobank consent 4" --effective-on 2024-01-01 \
		--file st.csv > /dev/null
	for d in D1 D2; do
		"$OB" --db "$db" consent add $d --site REG01 --form v3 --signed 2024-01-05 \
			--scope storage,research,genetic > /dev/null
	done
	echo "pass-word-admin" | "$OB" --db "$db" user add boss --role administrator \
		--password-stdin > /dev/null
}

# Two studies with events, requirements and participants, built by the CLI.
studies() {
	local db=$1
	"$OB" --db "$db" study add BC-2024 --title "Breast cancer cohort, 2024" --pi boss \
		--ethics-ref "EC-17/2024" --approved 2024-01-10 --expires 2030-12-31 \
		--ppid-format 'BC-[0-9]{4}' --status active --forms v4 --sites REG01,REG02 > /dev/null
	# more sites than --sites takes in one option: a longer cell
	for r in REG03 REG04 REG05 REG06 REG07 REG08; do
		"$OB" --db "$db" study site-add BC-2024 $r > /dev/null
	done
	"$OB" --db "$db" study add LUNG --title 'Lung "pilot"' --sites REG02 > /dev/null
	"$OB" --db "$db" study event-add BC-2024 SURG --label Surgery --day 0 > /dev/null
	"$OB" --db "$db" study event-add BC-2024 FU6 --label "6-month follow-up" --day 182 > /dev/null
	"$OB" --db "$db" study event-add LUNG BASE --day 0 > /dev/null
	"$OB" --db "$db" study requirement-add BC-2024 SURG TUM --type fresh_frozen \
		--pathology tumour --anatomic-site C50.9 --count 2 --quantity 50 --unit mg > /dev/null
	"$OB" --db "$db" study requirement-add BC-2024 SURG PL --type plasma --count 1 \
		--quantity 0.5 --unit ml --processing "spin 2000 g 10 min, aliquot 4 x 0.5 ml" > /dev/null
	"$OB" --db "$db" study requirement-add BC-2024 FU6 PL6 --type plasma > /dev/null
	"$OB" --db "$db" study requirement-add LUNG BASE WB --type whole_blood --count 3 > /dev/null
	"$OB" --db "$db" study enrol BC-2024 --site REG01 --donor D1 --ppid BC-0001 \
		--date 2024-03-01 > /dev/null
	"$OB" --db "$db" study enrol BC-2024 --site REG01 --donor D2 --ppid BC-0002 \
		--date 2024-03-02 > /dev/null
	"$OB" --db "$db" study enrol BC-2024 --site REG02 --donor D9 --ppid BC-0009 \
		--date 2024-04-01 > /dev/null
	"$OB" --db "$db" study enrol LUNG --site REG02 --donor D9 --ppid L1 --date 2024-05-01 \
		> /dev/null
}

# The rows of a table of database $1.
rows() { sqlite3 "$1" "SELECT COUNT(*) FROM $2"; }

test_an_export_reimports_byte_for_byte() {
	base a.db
	studies a.db
	base b.db
	for k in $KINDS; do
		expect_exit 0 "$OB" --db a.db export "$k" -o "$k.csv"
	done
	contains studies.csv 'BC-2024,"Breast cancer cohort, 2024",active,boss,EC-17/2024,2024-01-10T00:00:00Z,2030-12-31T00:00:00Z,BC-[0-9]{4},REG01;REG02;REG03;REG04;REG05;REG06;REG07;REG08,v4'
	contains studies.csv 'LUNG,"Lung ""pilot""",draft,,,,,,REG02,'
	contains events.csv 'BC-2024,FU6,6-month follow-up,182,2'
	contains requirements.csv 'BC-2024,SURG,PL,plasma,,,1,0.5,ml,"spin 2000 g 10 min, aliquot 4 x 0.5 ml"'
	contains participants.csv 'BC-2024,BC-0009,REG02,D9,2024-04-01T00:00:00Z'
	for k in $KINDS; do
		expect_exit 0 "$OB" --db b.db import "$k" "$k.csv"
	done
	for k in $KINDS; do
		"$OB" --db b.db export "$k" > "again-$k.csv"
		cmp "$k.csv" "again-$k.csv"
		"$OB" --db a.db export "$k" --format json > "a-$k.json"
		"$OB" --db b.db export "$k" --format json > "b-$k.json"
		cmp "a-$k.json" "b-$k.json"
	done
	contains a-participants.json '{"study":"LUNG","ppid":"L1","site":"REG02","donor":"D9","enrolled_on":"2024-05-01T00:00:00Z"}'
	# specimens collected in the study come back after them
	"$OB" --db a.db specimen add --site REG01 --donor D1 --type fresh_frozen --pathology tumour \
		--quantity 50 --unit mg --collected-at 2024-03-01 --study BC-2024 --event SURG \
		--requirement TUM > /dev/null
	"$OB" --db a.db specimen add --site REG01 --donor D2 --type plasma --quantity 2 --unit ml \
		--collected-at 2024-09-01 --study BC-2024 --event FU6 > /dev/null
	"$OB" --db a.db export specimens -o specimens.csv
	contains specimens.csv "BC-2024"
	expect_exit 0 "$OB" --db b.db import specimens specimens.csv
	"$OB" --db b.db export specimens | cmp specimens.csv -
	"$OB" --db a.db study worklist BC-2024 > a-worklist.txt
	"$OB" --db b.db study worklist BC-2024 > b-worklist.txt
	cmp a-worklist.txt b-worklist.txt
	contains a-worklist.txt "BC-0009"
	# audited through the domain functions: the trail holds and names them
	expect_exit 0 "$OB" --db b.db audit verify
	same "$(sqlite3 b.db "SELECT COUNT(*) FROM audit_event WHERE entity = 'study_participant'")" 4
	same "$(sqlite3 b.db "SELECT COUNT(*) FROM audit_event WHERE entity = 'study_requirement'")" 4
	same "$(sqlite3 b.db "SELECT COUNT(*) FROM audit_event WHERE entity = 'study_site'")" 9
}

test_exports_carry_no_direct_identifiers() {
	export OB_KEY_DIR="$T/keys"
	base a.db
	studies a.db
	"$OB" --db a.db identifiers keygen REG01 > /dev/null
	"$OB" --db a.db donor identify REG01 D1 --name "Jane Roe" --national-id NI-77 > /dev/null
	expect_exit 0 "$OB" --db a.db donor identifiers REG01 D1
	contains "$T/out" "Jane Roe"
	for k in $KINDS; do
		"$OB" --db a.db export "$k" --format json > "$k.json"
		lacks "$k.json" "Jane"
		lacks "$k.json" "NI-77"
	done
}

test_participants_follow_the_readers_scope() {
	base a.db
	studies a.db
	echo "pass-word-tech1" | "$OB" --db a.db user add tech1 --role technician --site REG01 \
		--password-stdin > /dev/null
	expect_exit 0 "$OB" --db a.db --user tech1 export participants
	contains "$T/out" "BC-0001"
	lacks "$T/out" "BC-0009"
	lacks "$T/out" "L1"
	expect_exit 0 "$OB" --db a.db --user tech1 export studies
	contains "$T/out" "LUNG"
}

test_openspecimen_templates() {
	base b.db
	# cp_template.csv's layout (a few of its columns): Short Title is the
	# code, Code is OpenSpecimen's own and not read; sites by name or code
	cat > cp.csv <<-'EOF'
	"Identifier","Title","Short Title","Code","Start Date","End Date","Ethics ID","PPID Format","Activity Status","Sites#1#Name","Sites#1#Code","Sites#2#Name","Sites#2#Code","PI#PI Email"
	"1","Ovarian cohort","OV-1","X 1","15-01-2024","31-12-2030","EC-9","OV-[0-9]{3}","Active","Regional One","","","REG02","pi@example.org"
	"2","Old study","OLD","","","","","","Disabled","","REG01","","",""
	EOF
	expect_exit 0 "$OB" --db b.db import studies cp.csv
	contains "$T/out" "imported 2 studies"
	contains "$T/err" "warning: ignored OpenSpecimen column(s)"
	contains "$T/err" "'Identifier'"
	expect_exit 0 "$OB" --db b.db export studies
	contains "$T/out" "OV-1,Ovarian cohort,active,,EC-9,2024-01-15T00:00:00Z,2030-12-31T00:00:00Z,OV-[0-9]{3},REG01;REG02,"
	contains "$T/out" "OLD,Old study,closed,,,,,,REG01,"
	# cpe_template.csv: the Event Point in its unit, in days; a missing
	# Event Code made from the label
	cat > cpe.csv <<-'EOF'
	"Identifier","CP Short Title","Event Code","Event Point","Event Point Unit","Event Label","Clinical Diagnosis","Clinical Status","Default Site","When to Print","Print Copies","Activity Status"
	"","OV-1","SURG","0","DAYS","Surgery","","","","","","Active"
	"","OV-1","","6","MONTHS","6 month follow-up","","","","","","Active"
	"","OV-1","W2","2","WEEKS","Week 2","","","","","","Active"
	"","OV-1","Y1","1","YEARS","Year 1","","","","","","Active"
	EOF
	expect_exit 0 "$OB" --db b.db import events cpe.csv
	expect_exit 0 "$OB" --db b.db export events
	contains "$T/out" "OV-1,SURG,Surgery,0,1"
	contains "$T/out" "OV-1,6_month_follow-up,6 month follow-up,182,2"
	contains "$T/out" "OV-1,W2,Week 2,14,3"
	contains "$T/out" "OV-1,Y1,Year 1,365,4"
	# sr_template.csv: OpenSpecimen's types mapped, the unit from the class
	cat > sr.csv <<-'EOF'
	"Identifier","CP Short Title","Event Label","Parent Code","Name","Code","Lineage","Specimen Class","Specimen Type","Anatomic Site","Laterality","Pathology","Storage Type","Initial Quantity","Concentration","Collection Container","Collection Procedure","Label Format","Label Auto Print Mode","Label Print Copies","Sort Order","Activity Status","Collector#Email Address","Receiver#Email Address"
	"","OV-1","Surgery","","Tumour block","FFPE1","New","Tissue","Fixed Tissue Block","C56.9","","Malignant","","2","","","","","","","","Active","",""
	"","OV-1","Surgery","","Blood","WB","New","Fluid","Whole Blood","","","Not Specified","","10","","","","","","","","Active","",""
	"","OV-1","Surgery","","Frozen","","New","Tissue","Frozen Tissue","","","Non-Malignant","","","","","","","","","","Active","",""
	"","OV-1","6 month follow-up","","Plasma","PL6","New","Fluid","Plasma","","","","","1.5","","","","","","","","Active","",""
	EOF
	expect_exit 0 "$OB" --db b.db import requirements sr.csv
	expect_exit 0 "$OB" --db b.db export requirements
	contains "$T/out" "OV-1,SURG,FFPE1,ffpe_block,tumour,C56.9,1,2,g,"
	contains "$T/out" "OV-1,SURG,WB,whole_blood,unknown,,1,10,ml,"
	contains "$T/out" "OV-1,SURG,Frozen,fresh_frozen,normal,,1,,,"
	contains "$T/out" "OV-1,6_month_follow-up,PL6,plasma,,,1,1.5,ml,"
	# cpr_template.csv: the donor is the PPID at the registration site
	# (named by name or code); the identifiers are not read here
	cat > cpr.csv <<-'EOF'
	"Identifier","CP Short Title","PPID","Registration Date","Registration Site","External Subject ID","Activity Status","Reason","First Name","Last Name","Middle Name","Email Address","Date Of Birth","Death Date","Gender","Race#1","Race#2","Vital Status","Ethnicity#1","Ethnicity#2","National ID","eMPI","PMI#1#Site Name","PMI#1#MRN","PMI#2#Site Name","PMI#2#MRN"
	"","OV-1","LU-01","02-03-2024","REG02","","Active","","Ann","Smith","","","1955-01-01","","Female","","","","","","NI-1","","","","",""
	EOF
	expect_exit 2 "$OB" --db b.db import participants cpr.csv
	contains "$T/err" "cpr.csv:2: ppid: 'LU-01' does not match the study's format 'OV-[0-9]{3}'"
	sed 's/"LU-01"/"OV-001"/' cpr.csv > cpr2.csv
	"$OB" --db b.db donor add OV-001 --site REG02 --sex F --birth-year 1955 > /dev/null
	expect_exit 0 "$OB" --db b.db import participants cpr2.csv
	contains "$T/err" "'First Name'"
	expect_exit 0 "$OB" --db b.db export participants
	contains "$T/out" "OV-1,OV-001,REG02,OV-001,2024-03-02T00:00:00Z"
	lacks "$T/out" "Smith"
	expect_exit 0 "$OB" --db b.db audit verify
}

test_openspecimen_ppid_formats_are_refused() {
	base b.db
	cat > cp.csv <<-'EOF'
	"Short Title","Title","PPID Format"
	"OV-1","Ovarian","%CP_CODE%-%06d"
	EOF
	expect_exit 2 "$OB" --db b.db import studies cp.csv
	contains "$T/err" "cp.csv:2: ppid_format: '%CP_CODE%-%06d' is an OpenSpecimen PPID format"
	same "$(rows b.db study)" 0
	# a format that is no regular expression at all
	printf 'code,title,ppid_format\nOV-1,Ovarian,"OV-[0-9"\n' > bad.csv
	expect_exit 2 "$OB" --db b.db import studies bad.csv
	contains "$T/err" "bad.csv:2: ppid_format: 'OV-[0-9' is not a POSIX extended regular expression"
}

# Each bad file: refused, its message FILE:LINE: column: ..., nothing
# written (the good rows before it included).
test_bad_rows_are_refused_and_nothing_changes() {
	base a.db
	studies a.db
	local before
	before=$(sqlite3 a.db "SELECT (SELECT COUNT(*) FROM study), (SELECT COUNT(*) FROM study_event),
		(SELECT COUNT(*) FROM study_requirement), (SELECT COUNT(*) FROM study_participant),
		(SELECT COUNT(*) FROM audit_event)")
	# unknown study
	printf 'study,code,label,day,position\nBC-2024,FU12,12 months,365,3\nNOPE,X,X,0,1\n' > ev.csv
	expect_exit 2 "$OB" --db a.db import events ev.csv
	contains "$T/err" "ev.csv:3: study: no study 'NOPE'"
	# bad date
	printf 'code,title,ethics_approved_on\nNEW1,New,2024-02-01\nNEW2,New 2,2024-13-45\n' > st.csv
	expect_exit 2 "$OB" --db a.db import studies st.csv
	contains "$T/err" "st.csv:3: ethics_approved_on: '2024-13-45' is not a date"
	printf 'study,ppid,site,donor,enrolled_on\nLUNG,L7,REG02,LU-01,yesterday\n' > pa.csv
	expect_exit 2 "$OB" --db a.db import participants pa.csv
	contains "$T/err" "pa.csv:2: enrolled_on: 'yesterday' is not a date"
	# a date in the future
	printf 'study,ppid,site,donor,enrolled_on\nLUNG,L7,REG02,LU-01,2999-01-01\n' > pa.csv
	expect_exit 2 "$OB" --db a.db import participants pa.csv
	contains "$T/err" "pa.csv:2: enrolled_on:"
	# duplicate PPID, in the database and within the file
	printf 'study,ppid,site,donor,enrolled_on\nBC-2024,BC-0001,REG02,LU-01,2024-06-01\n' > pa.csv
	expect_exit 2 "$OB" --db a.db import participants pa.csv
	contains "$T/err" "pa.csv:2: ppid: study BC-2024 already has participant BC-0001"
	printf 'study,ppid,site,donor\nLUNG,L8,REG02,LU-01\nLUNG,L8,REG02,D9\n' > pa.csv
	expect_exit 2 "$OB" --db a.db import participants pa.csv
	contains "$T/err" "pa.csv:3: ppid: study LUNG already has participant L8"
	lacks "$T/err" "pa.csv:2:"
	printf 'study,ppid,site,donor,enrolled_on\nLUNG,L7,REG02,LU-01,1900-01-01\n' > pa.csv
	expect_exit 2 "$OB" --db a.db import participants pa.csv
	contains "$T/err" "pa.csv:2: enrolled_on: 1900-01-01 is before the donor's birth (1955)"
	# a donor that does not exist
	printf 'study,ppid,site\nLUNG,NOBODY,REG02\n' > pa.csv
	expect_exit 2 "$OB" --db a.db import participants pa.csv
	contains "$T/err" "pa.csv:2: donor: no donor 'NOBODY' at site 'REG02'"
	# a type that does not fit: no such type, and a unit that does not
	# measure it
	printf 'study,event,code,type,count,quantity,unit\nBC-2024,SURG,X1,plasma,1,2,ml\nBC-2024,SURG,X2,bone,1,,\nBC-2024,SURG,X3,plasma,1,2,mg\n' > rq.csv
	expect_exit 2 "$OB" --db a.db import requirements rq.csv
	contains "$T/err" "rq.csv:3: type: 'bone' is not a specimen type"
	contains "$T/err" "rq.csv:4: unit: mg does not measure plasma"
	# a count of 0
	printf 'study,event,code,type,count\nBC-2024,SURG,X4,plasma,0\n' > rq.csv
	expect_exit 2 "$OB" --db a.db import requirements rq.csv
	contains "$T/err" "rq.csv:2: count: 0 is not 1 to 1000"
	# an aliquot requirement of OpenSpecimen is no collection
	printf '"CP Short Title","Event Label","Code","Lineage","Specimen Type"\nBC-2024,Surgery,AL,Aliquot,Plasma\n' > rq.csv
	expect_exit 2 "$OB" --db a.db import requirements rq.csv
	contains "$T/err" "rq.csv:2: lineage: 'Aliquot'"
	# an unknown unit of an event point, a status that is none
	printf '"CP Short Title","Event Code","Event Point","Event Point Unit"\nBC-2024,Q,3,FORTNIGHTS\n' > ev.csv
	expect_exit 2 "$OB" --db a.db import events ev.csv
	contains "$T/err" "ev.csv:2: day_unit: 'FORTNIGHTS' is not DAYS, WEEKS, MONTHS or YEARS"
	printf 'code,title,status\nNEW3,New,running\n' > st.csv
	expect_exit 2 "$OB" --db a.db import studies st.csv
	contains "$T/err" "st.csv:2: status: 'running' is not a known value"
	# a list's items are checked one by one, each as its field
	printf 'code,title,forms\nNEW5,New,v4;%s\n' "$(printf 'v%.0s' $(seq 70))" > st.csv
	expect_exit 2 "$OB" --db a.db import studies st.csv
	contains "$T/err" "st.csv:2: forms: 70 bytes is longer than the 64 this field takes"
	printf 'code,title,sites\nNEW6,New,REG01;NOPE\n' > st.csv
	expect_exit 2 "$OB" --db a.db import studies st.csv
	contains "$T/err" "st.csv:2: sites: no site has code 'NOPE'"
	# an unknown column stops the file at its header
	printf 'code,title,colour\nNEW4,New,red\n' > st.csv
	expect_exit 2 "$OB" --db a.db import studies st.csv
	contains "$T/err" "st.csv:1: header: unknown column 'colour'"
	same "$(sqlite3 a.db "SELECT (SELECT COUNT(*) FROM study), (SELECT COUNT(*) FROM study_event),
		(SELECT COUNT(*) FROM study_requirement), (SELECT COUNT(*) FROM study_participant),
		(SELECT COUNT(*) FROM audit_event)")" "$before"
}

test_http_import_and_export() {
	command -v curl > /dev/null && command -v jq > /dev/null || { echo "no curl or jq"; return 77; }
	base a.db
	studies a.db
	base b.db
	for k in $KINDS; do
		"$OB" --db a.db export "$k" -o "$k.csv"
	done
	serve_bg --db b.db serve --listen 127.0.0.1:0 --threads 2
	local tok
	tok=$(curl -s -H 'Content-Type: application/json' \
		-d '{"username":"boss","password":"pass-word-admin"}' "${URL%/}/api/login" | jq -r .token)
	[ ${#tok} -eq 64 ]
	for k in $KINDS; do
		curl -s -o "post-$k.json" -w '%{http_code}' -H "Authorization: Bearer $tok" \
			-H 'Content-Type: text/csv' --data-binary "@$k.csv" "${URL%/}/api/import/$k" > code
		same "$(cat code)" 200
		same "$(jq .imported "post-$k.json")" "$(($(wc -l < "$k.csv") - 1))"
		curl -s -H "Authorization: Bearer $tok" "${URL%/}/api/export/$k" > "got-$k.csv"
		cmp "$k.csv" "got-$k.csv"
	done
	curl -s -H "Authorization: Bearer $tok" "${URL%/}/api/export/events?format=json" > ev.json
	same "$(jq -r '.[] | select(.code == "FU6") | .day' ev.json)" 182
	printf 'study,event,code,type,count\nBC-2024,SURG,X0,plasma,0\n' > bad.csv
	curl -s -o bad.json -w '%{http_code}' -H "Authorization: Bearer $tok" \
		-H 'Content-Type: text/csv' --data-binary @bad.csv "${URL%/}/api/import/requirements" > code
	same "$(cat code)" 400
	same "$(jq -c '.rows[0]' bad.json)" '{"line":2,"column":"count","message":"0 is not 1 to 1000"}'
	kill "$SRV_PID"
	wait "$SRV_PID" || true
	trap - EXIT
	! grep -E 'Sanitizer|runtime error' srv.err >&2
}

test_kinds_are_named() {
	expect_exit 0 "$OB" import --help
	contains "$T/out" "studies, events,"
	expect_exit 0 "$OB" export --help
	contains "$T/out" "requirements, participants"
	"$OB" --db a.db site add NCC --kind center > /dev/null
	expect_exit 0 "$OB" --db a.db export study
	contains "$T/out" "code,title,status,pi,ethics_ref,ethics_approved_on,ethics_expires_on,ppid_format,sites,forms"
	expect_exit 0 "$OB" --db a.db export participant --format json
	same "$(cat "$T/out")" "[]"
}

run_tests
