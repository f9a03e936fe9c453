#!/usr/bin/env bash
# test_postgres.sh - end-to-end tests of the PostgreSQL backend on a real
# server that this script starts: Debian's PostgreSQL (installed with apt when
# initdb is missing and we are root), a throw-away cluster in a temporary
# directory, listening on 127.0.0.1 and a free port only, trust
# authentication (local tests only), stopped and removed on every way out.
# Each test gets a database of its own. What is covered: init (every
# migration), the bank workflow, CSV import (all or nothing) and export
# identical to SQLite's, audit verify intact and tampering caught, a database
# of schema level 009 upgraded (consents to statements, audited), demo data,
# sequencing, the CIViC knowledge base, ClinVar, and the error mapping.

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$HERE/../..
DATA=$HERE/../data/import
KINDS="sites donors consents containers specimens"

PG_BIN=
PG_DIR=
PG_PORT=
PG_USER=postgres

pg_find() {
	local d
	for d in /usr/lib/postgresql/*/bin; do
		[ -x "$d/initdb" ] && PG_BIN=$d
	done
	[ -n "$PG_BIN" ]
}

# as_pg CMD... - runs a server program as the postgres user when we are root
# (the server refuses to run as root), else as ourselves.
as_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

pg_stop() {
	if [ -n "$PG_DIR" ] && [ -d "$PG_DIR" ]; then
		as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop > /dev/null 2>&1 || true
		rm -rf "$PG_DIR"
	fi
}

# Starts the cluster; on failure leaves PG_SKIP with the reason.
pg_start() {
	if ! pg_find && [ "$(id -u)" -eq 0 ] && command -v apt-get > /dev/null; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			postgresql > /dev/null 2>&1 || true
	fi
	pg_find || { PG_SKIP="PostgreSQL is not installed (initdb not found)"; return 1; }
	if [ "$(id -u)" -ne 0 ]; then
		PG_USER=$(id -un)
	fi
	PG_DIR=$(mktemp -d)
	chmod 755 "$PG_DIR"
	[ "$(id -u)" -eq 0 ] && chown postgres "$PG_DIR"
	as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U "$PG_USER" --locale=C -E UTF8 \
		> "$PG_DIR/initdb.log" 2>&1 || { PG_SKIP="initdb failed: $(tail -1 "$PG_DIR/initdb.log")"; return 1; }
	local try
	for try in 1 2 3 4 5; do
		PG_PORT=$((20000 + RANDOM % 20000))
		(exec 3<> "/dev/tcp/127.0.0.1/$PG_PORT") 2> /dev/null && continue   # taken
		if as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
			-o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=off" \
			start > /dev/null 2>&1; then
			return 0
		fi
	done
	PG_SKIP="the server did not start: $(tail -1 "$PG_DIR/server.log" 2>/dev/null)"
	return 1
}

psql_() {
	psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" "$@"
}

# newdb [NAME] - creates a fresh database and sets DB to its URL.
newdb() {
	local n=${1:-t}_$$_$RANDOM$RANDOM
	psql_ -d postgres -c "CREATE DATABASE $n" > /dev/null
	DB="postgresql://$PG_USER@127.0.0.1:$PG_PORT/$n"
	DBNAME=$n
}

q() { # q SQL - one value from the test's database
	psql_ -d "$DBNAME" -tA -c "$1"
}

# loads the import fixtures into the database $1
load() {
	local db=$1
	"$OB" --db "$db" import sites "$DATA/sites.csv" > /dev/null
	"$OB" --db "$db" import donors "$DATA/donors.csv" > /dev/null
	"$OB" --db "$db" import containers "$DATA/containers.csv" > /dev/null
	"$OB" --db "$db" import consents "$DATA/consents.csv" --signed-only > /dev/null
	"$OB" --db "$db" import specimens "$DATA/specimens.csv" > /dev/null
	"$OB" --db "$db" import consents "$DATA/consents.csv" --withdrawals-only > /dev/null
}

# a small network with one donor, consented
net() {
	"$OB" --db "$DB" site add NCC --kind center --name "National Cancer Center" > /dev/null
	"$OB" --db "$DB" site add REG01 --kind regional --parent NCC > /dev/null
	"$OB" --db "$DB" site add REG02 --kind regional --parent NCC > /dev/null
	"$OB" --db "$DB" donor add D1 --site REG01 --sex F --birth-year 1958 > /dev/null
	"$OB" --db "$DB" consent add D1 --site REG01 --form v3 --signed 2024-01-05 \
		--scope storage,research,genetic,sharing > /dev/null
}

# The highest migration number of this tree (a number may be missing while
# a branch that claims it is not merged).
schema_max() {
	ls "$SRC/migrations" | sed -n 's/^0*\([0-9][0-9]*\)_.*\.sql$/\1/p' | sort -n | tail -n 1
}

test_init_applies_every_migration() {
	newdb
	expect_exit 0 "$OB" --db "$DB" init
	local n
	n=$(ls "$SRC"/migrations/*.sql | wc -l)
	contains "$T/out" "schema version $(schema_max) (postgresql)"
	same "$(q 'SELECT COUNT(*) FROM schema_migration')" "$n"
	# keys come from identity columns
	same "$(q "SELECT is_identity FROM information_schema.columns
		WHERE table_name = 'specimen' AND column_name = 'id'")" YES
	expect_exit 0 "$OB" --db "$DB" init   # idempotent, and quiet about it
	contains "$T/out" "schema version $(schema_max) (postgresql)"
	[ ! -s "$T/err" ]
}

test_bank_workflow() {
	newdb
	export OB_USER=tech
	net
	expect_exit 0 "$OB" --db "$DB" container add FRZ-1 --kind freezer --site REG01 --temperature -80
	expect_exit 0 "$OB" --db "$DB" container add BOX-1 --kind box --parent FRZ-1 --rows 9 --cols 9
	expect_exit 0 "$OB" --db "$DB" container add BOX-2 --kind box --parent FRZ-1 --rows 9 --cols 9
	expect_exit 0 "$OB" --db "$DB" specimen add --site REG01 --donor D1 --type plasma \
		--quantity 2 --unit ml --collected-at 2024-03-01T08:30:00Z --container BOX-1 --position A1
	p=$(cat "$T/out")
	expect_exit 0 "$OB" --db "$DB" specimen aliquot "$p" --quantity 0.5 --unit ml --count 2
	[ "$(wc -l < "$T/out")" -eq 2 ]
	a=$(head -1 "$T/out")
	expect_exit 0 "$OB" --db "$DB" specimen show "$a" --json
	contains "$T/out" "\"barcode\":\"$a\""
	contains "$T/out" "\"parent\":\"$p\""
	contains "$T/out" '"site":"REG01"'
	expect_exit 0 "$OB" --db "$DB" specimen show "$p"
	contains "$T/out" "1 ml"   # 2 ml less two 0.5 ml aliquots
	expect_exit 0 "$OB" --db "$DB" specimen find --site REG01 --type plasma --json
	same "$(jq length "$T/out")" 3
	expect_exit 0 "$OB" --db "$DB" specimen find --site REG02 --json
	same "$(jq length "$T/out")" 0
	expect_exit 0 "$OB" --db "$DB" container move "$a" BOX-2 c3
	expect_exit 4 "$OB" --db "$DB" container move "$p" BOX-2 C3
	contains "$T/err" "taken by $a"
	same "$(q "SELECT c.barcode || ' ' || s.position FROM specimen s
		JOIN container c ON c.id = s.container_id WHERE s.barcode = '$a'")" "BOX-2 C3"
	expect_exit 0 "$OB" --db "$DB" container report FRZ-1 --json
	contains "$T/out" "$a"
	# unique keys surface as conflicts (exit 4), as on SQLite
	expect_exit 4 "$OB" --db "$DB" site add REG01 --kind regional --parent NCC
	expect_exit 0 "$OB" --db "$DB" audit verify
	contains "$T/out" "intact"
}

test_tampering_is_caught() {
	newdb
	net
	b=$("$OB" --db "$DB" specimen add --site REG01 --donor D1 --type serum --quantity 1.1 --unit ml)
	expect_exit 0 "$OB" --db "$DB" audit verify
	q "UPDATE specimen SET status = 'missing' WHERE barcode = '$b'" > /dev/null
	expect_exit 4 "$OB" --db "$DB" audit verify
	contains "$T/err" "altered behind the audit trail's back"
	q "UPDATE specimen SET status = 'available' WHERE barcode = '$b'" > /dev/null
	expect_exit 0 "$OB" --db "$DB" audit verify
	# a double changed in its last digit
	q "UPDATE specimen SET quantity = 1.1000000000000003 WHERE barcode = '$b'" > /dev/null
	expect_exit 4 "$OB" --db "$DB" audit verify
	q "UPDATE specimen SET quantity = 1.1 WHERE barcode = '$b'" > /dev/null
	expect_exit 0 "$OB" --db "$DB" audit verify
	q "UPDATE consent SET withdrawn_on = '2025-01-01T00:00:00Z'" > /dev/null
	expect_exit 4 "$OB" --db "$DB" audit verify
	contains "$T/err" "consent"
}

test_import_all_or_nothing_and_export_same_as_sqlite() {
	export OB_USER=importer
	newdb
	load "$DB"
	load a.db
	for k in $KINDS; do
		"$OB" --db a.db export "$k" > "sqlite_$k.csv"
		"$OB" --db "$DB" export "$k" > "pg_$k.csv"
		[ -s "pg_$k.csv" ]
		cmp "sqlite_$k.csv" "pg_$k.csv"
	done
	"$OB" --db a.db export specimens --format json > sqlite.json
	"$OB" --db "$DB" export specimens --format json > pg.json
	cmp sqlite.json pg.json
	expect_exit 0 "$OB" --db "$DB" audit verify
	contains "$T/out" "intact"
	# a file with bad rows writes nothing
	before=$(q "SELECT (SELECT COUNT(*) FROM specimen) || '/' || (SELECT COUNT(*) FROM audit_event)")
	printf 'barcode,donor,site,type,quantity,unit,parent_barcode\n' > bad.csv
	printf ',D1,REG01,serum,1,ml,\n' >> bad.csv
	printf ',D1,REG01,blood_orange,1,ml,\n' >> bad.csv
	printf ',D1,REG01,serum,lots,ml,\n' >> bad.csv
	expect_exit 2 "$OB" --db "$DB" import specimens bad.csv
	contains "$T/err" "bad.csv:3: type: 'blood_orange'"
	contains "$T/err" "bad.csv:4: quantity: 'lots' is not a number"
	contains "$T/err" "nothing imported"
	same "$(q "SELECT (SELECT COUNT(*) FROM specimen) || '/' || (SELECT COUNT(*) FROM audit_event)")" \
		"$before"
	# and a round trip through the export imports into a fresh database
	newdb
	for k in sites donors containers; do
		expect_exit 0 "$OB" --db "$DB" import "$k" "sqlite_$k.csv"
	done
	expect_exit 0 "$OB" --db "$DB" export containers
	cmp "$T/out" sqlite_containers.csv
}

test_demo_data_verifies() {
	newdb
	expect_exit 0 "$OB" --db "$DB" demo-data --scale 0.01
	[ "$(q 'SELECT COUNT(*) FROM specimen')" -gt 0 ]
	expect_exit 0 "$OB" --db "$DB" audit verify
	contains "$T/out" "intact"
	expect_exit 0 "$OB" --db "$DB" sequencing list --json --limit 5
	[ "$(jq length "$T/out")" -ge 1 ]
	# the demo is deterministic: the same network as on SQLite, byte for byte
	"$OB" --db a.db demo-data --scale 0.01 > /dev/null
	for k in $KINDS; do
		"$OB" --db a.db export "$k" > "sqlite_$k.csv"
		"$OB" --db "$DB" export "$k" > "pg_$k.csv"
		cmp "sqlite_$k.csv" "pg_$k.csv"
	done
}

test_sequencing_add_and_report() {
	newdb
	GENOME=(--fasta "$SRC/data/demo-genome/genome.fa" --gff "$SRC/data/demo-genome/genes.gff3")
	net
	TISSUE=$("$OB" --db "$DB" specimen add --site REG01 --donor D1 --type fresh_frozen \
		--quantity 120 --unit mg --collected-at 2024-03-01T10:00:00Z --pathology tumour \
		--tumour-pct 15)
	DNA=$("$OB" --db "$DB" specimen derive "$TISSUE" --type dna --quantity 20 --unit ug \
		--used 30 --concentration 120 --a260-280 1.62 --din 3.1)
	grep -v -e 'CASE=EGFR_EX19' -e KRAS -e BRAF -e MET -e PDGFRA -e BRCA1 -e PIK3CA \
		"$SRC/tests/data/somatic/cases.vcf" > luad.vcf
	expect_exit 0 "$OB" --db "$DB" sequencing add "$DNA" --vcf luad.vcf --kind somatic \
		--assay "Lung panel" --genome demo --tumor-type LUAD --panel-size-mb 1.2
	contains "$T/out" "sequencing result 1 added to $DNA"
	expect_exit 0 "$OB" --db "$DB" sequencing list "$DNA" --json
	contains "$T/out" '"tumor_type":"LUAD"'
	contains "$T/out" '"panel_size_mb":1.2'
	expect_exit 0 "$OB" --db "$DB" sequencing report 1 "${GENOME[@]}" --json
	jq -e '.quality_flags | length == 3' "$T/out" > /dev/null
	jq -e '[.interpretation.biomarkers[].alteration] | index("p.L858R") != null' "$T/out" > /dev/null
	expect_exit 0 "$OB" --db "$DB" audit verify
	contains "$T/out" "intact"
}

test_kb_import_civic_same_as_sqlite() {
	local subset=$SHARED/data/genomics/somatic/civic/01-Aug-2021-ClinicalEvidenceSummaries.22genes.tsv
	[ -r "$subset" ] || { echo "$subset is absent"; return 77; }
	newdb
	expect_exit 0 "$OB" --db "$DB" kb import civic "$subset"
	"$OB" --db kb.db kb import civic "$subset" > sqlite.txt
	same "$(tail -1 "$T/out")" "$(tail -1 sqlite.txt)"
	expect_exit 4 "$OB" --db "$DB" kb import civic "$subset"
	contains "$T/err" "civic 01-Aug-2021 is already imported"
	expect_exit 0 "$OB" --db "$DB" kb show BRAF
	"$OB" --db kb.db kb show BRAF > sqlite_show.txt
	cmp "$T/out" sqlite_show.txt
}

test_clinvar_import_same_as_sqlite() {
	local f
	f=$(sed -n 's/^CLINVAR_SHARED=//p' "$HERE/test_germline.sh" | head -1 | tr -d '"')
	[ -n "$f" ] && [ -r "$SHARED/data/genomics/$f" ] || { echo "ClinVar extract absent"; return 77; }
	newdb
	expect_exit 0 "$OB" clinvar import "$SHARED/data/genomics/$f" --db "$DB"
	"$OB" clinvar import "$SHARED/data/genomics/$f" --db cv.db > sqlite.txt
	cmp "$T/out" sqlite.txt
	expect_exit 4 "$OB" clinvar import "$SHARED/data/genomics/$f" --db "$DB"
	# germline reads ClinVar from the server database as from the file
	expect_exit 0 "$OB" germline --panel breast --json --db "$DB" "$HERE/../data/germline/sample.vcf"
	"$OB" germline --panel breast --json --db cv.db "$HERE/../data/germline/sample.vcf" > sqlite_g.json
	cmp "$T/out" sqlite_g.json
	jq -e '.clinvar_release | length > 0' "$T/out" > /dev/null
}

test_connection_errors_are_clear() {
	expect_exit 5 "$OB" --db "postgresql://$PG_USER@127.0.0.1:$PG_PORT/no_such_db" init
	contains "$T/err" "cannot connect to PostgreSQL"
	contains "$T/err" "no_such_db"
	# on one line, and without the password
	expect_exit 5 "$OB" --db "postgresql://$PG_USER:hunter2@127.0.0.1:$PG_PORT/no_such_db" init
	contains "$T/err" "$PG_USER:***@127.0.0.1"
	lacks "$T/err" hunter2
	[ "$(wc -l < "$T/err")" -eq 1 ]
	# a database that sorts text by language rules (ICU) is refused
	n=coll_$$_$RANDOM
	if psql_ -d postgres -c "CREATE DATABASE $n TEMPLATE template0 LOCALE 'C'
		LOCALE_PROVIDER icu ICU_LOCALE 'en-US'" > /dev/null 2>&1; then
		expect_exit 2 "$OB" --db "postgresql://$PG_USER@127.0.0.1:$PG_PORT/$n" init
		contains "$T/err" "does not collate text in byte order"
		same "$(psql_ -d "$n" -tA -c "SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'")" 0
	fi
}

# The HTTP API on PostgreSQL: a pool of two connections, a login, a search
# of specimens, and a write through the API that audit verify accepts.
test_serve_on_postgresql() {
	newdb
	net
	b=$("$OB" --db "$DB" specimen add --site REG01 --donor D1 --type serum --quantity 1 --unit ml)
	mkdir web && echo '<!doctype html><title>t</title>' > web/index.html
	serve_bg --db "$DB" serve --listen 127.0.0.1:0 --web web --threads 2
	local pid=$SRV_PID url=$URL pw=$ADMIN_PW token code
	[ -n "$pw" ] || { cat srv.out srv.err >&2; return 1; }
	curl -s -o login.json -X POST -H 'Content-Type: application/json' \
		-d "{\"username\":\"admin\",\"password\":\"$pw\"}" "${url%/}/api/login"
	token=$(jq -r .token login.json)
	code=$(curl -s -o found.json -w '%{http_code}' -H "Authorization: Bearer $token" \
		"${url%/}/api/specimens?site=REG01")
	same "$code" 200
	contains found.json "\"barcode\":\"$b\""
	code=$(curl -s -o added.json -w '%{http_code}' -H "Authorization: Bearer $token" \
		-H 'Content-Type: application/json' -X POST \
		-d '{"code":"REG03","kind":"regional","parent":"NCC"}' "${url%/}/api/sites")
	[ "$code" -eq 200 ] || [ "$code" -eq 201 ] || { echo "POST /api/sites: $code" >&2; cat added.json >&2; return 1; }
	same "$(q "SELECT COUNT(*) FROM site WHERE code = 'REG03'")" 1
	# Health and metrics on this backend: its schema level, its size.
	same "$(curl -s -o health.json -w '%{http_code}' "${url%/}/healthz")" 200
	contains health.json '"status":"ok","database":"ok"'
	same "$(curl -s -o metrics.txt -w '%{http_code}' "${url%/}/metrics")" 200
	grep -q '^oncobank_db_size_bytes [1-9][0-9]*$' metrics.txt
	kill "$pid"
	wait "$pid" || true
	trap - EXIT
	expect_exit 0 "$OB" --db "$DB" audit verify
	contains "$T/out" "intact"
}

# Writers from several processes at once: each waits for the write lock
# instead of failing, nothing is lost and the audit chain stays one chain.
test_concurrent_writers_all_succeed() {
	newdb
	net
	local w i pids=()
	for w in 1 2 3 4; do
		(
			for i in 1 2 3 4 5 6 7 8; do
				"$OB" --db "$DB" specimen add --site REG01 --donor D1 --type serum \
					--quantity 1 --unit ml > /dev/null || exit 1
			done
		) > "w$w.log" 2>&1 &
		pids+=($!)
	done
	for w in "${pids[@]}"; do
		wait "$w" || { cat w*.log >&2; return 1; }
	done
	same "$(q 'SELECT COUNT(*) FROM specimen')" 32
	same "$(q 'SELECT COUNT(DISTINCT barcode) FROM specimen')" 32
	expect_exit 0 "$OB" --db "$DB" audit verify
	contains "$T/out" "intact"
}

# Another session holds the write lock (the advisory lock of every write
# transaction): a CLI write backs off for its --wait, then exits 8 busy
# having changed nothing; with a longer wait it goes through once the lock
# is released (docs/storage.md "Busy database").
test_busy_write_waits_then_exits_8() {
	newdb
	net
	psql_ -d "$DBNAME" -c 'BEGIN; SELECT pg_advisory_xact_lock(5175131); SELECT pg_sleep(4); COMMIT' \
		> /dev/null 2>&1 &
	local holder=$!
	sleep 0.5
	expect_exit 8 "$OB" --db "$DB" --wait 1 site add REG03 --kind regional --parent NCC
	contains "$T/err" "waiting up to 1 s"
	contains "$T/err" "database busy: another writer held it for"
	same "$(q "SELECT COUNT(*) FROM site WHERE code = 'REG03'")" 0
	expect_exit 0 "$OB" --db "$DB" --wait 20 site add REG03 --kind regional --parent NCC
	wait "$holder"
	same "$(q "SELECT COUNT(*) FROM site WHERE code = 'REG03'")" 1
}

# The cmocka unit tests that work on the store through tests/support/testdb,
# each test on a fresh database of this server (OB_TEST_DB_URL). Left out:
# test_store (asserts SQLite specifics) and test_label (tampers with SQLite
# SQL). Needs the unit tests built beside $OB.
test_backup_is_a_checked_pg_dump_that_restores() {
	newdb
	net
	# The drill of docs/operations.md: anchor, back up, restore elsewhere, verify.
	expect_exit 0 "$OB" --db "$DB" audit anchor a.json
	expect_exit 0 "$OB" --db "$DB" backup b.dump
	contains "$T/out" "pg_dump custom archive, read back by pg_restore --list"
	[ -z "$(ls | grep '\.tmp-' || true)" ]
	same "$(q "SELECT COUNT(*) FROM audit_event WHERE action = 'backup'")" 1
	local src=$DBNAME
	newdb r
	PGPASSWORD= pg_restore --no-owner -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" \
		--dbname="$DBNAME" b.dump
	expect_exit 0 "$OB" --db "$DB" audit verify --anchor a.json
	same "$(q 'SELECT COUNT(*) FROM donor')" 1
	# A password= parameter would reach pg_dump's command line: refused.
	expect_exit 2 "$OB" --db "$DB?password=secret" backup e.dump
	contains "$T/err" "not as password="
	[ ! -e e.dump ]
	# A database whose trail does not verify is not dumped.
	DBNAME=$src q "UPDATE donor SET sex = 'male'" > /dev/null
	DB=${DB%/*}/$src
	expect_exit 4 "$OB" --db "$DB" backup c.dump
	[ ! -e c.dump ]
	# A database that cannot be reached: no file either.
	expect_exit 5 "$OB" --db "postgresql://$PG_USER@127.0.0.1:$PG_PORT/no_such_db" backup d.dump
	[ ! -e d.dump ]
}

# A PostgreSQL database at the schema level of tests/data/migrations/
# level-NNN.sql, with its rows: the migrations up to NNN applied as the
# binary applies them (@PK@ spelled as store_pg.c spells it), then every row
# of the SQLite dump (the audit trail written by the oncobank of that time),
# the identity sequences moved past the copied ids. Sets DB as newdb does.
# The rows are copied table by table in the dump's order, with the foreign
# keys' triggers off (a consent names its form from 010 on, yet the consent
# table is older than consent_form); the dump held them consistent.
pg_level() { # pg_level NNN
	local lvl=$1 f t
	newdb
	rm -f lvl.db
	sqlite3 lvl.db < "$HERE/../data/migrations/level-$lvl.sql"
	psql_ -d "$DBNAME" -c "CREATE TABLE schema_migration (version INTEGER PRIMARY KEY,
		name TEXT NOT NULL, applied_at TEXT NOT NULL)" > /dev/null
	for f in "$SRC"/migrations/*.sql; do
		[ "$(basename "$f" | cut -c1-3)" -le "$lvl" ] || continue
		sed 's/@PK@/BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY/g' "$f" \
			| psql_ -d "$DBNAME" > /dev/null
	done
	for t in $(sqlite3 lvl.db "SELECT name FROM sqlite_master WHERE type = 'table'
			AND name NOT LIKE 'sqlite_%' ORDER BY rowid"); do
		sqlite3 -csv -cmd '.nullvalue @@NULL@@' lvl.db "SELECT * FROM $t" \
			| psql_ -d "$DBNAME" -c "SET session_replication_role = replica" \
				-c "\\copy $t FROM STDIN WITH (FORMAT csv, NULL '@@NULL@@')" > /dev/null
		if [ "$(q "SELECT COUNT(*) FROM information_schema.columns WHERE table_name = '$t'
			AND column_name = 'id' AND is_identity = 'YES'")" = 1 ]; then
			q "SELECT setval(pg_get_serial_sequence('$t', 'id'), GREATEST(MAX(id), 1)) FROM $t" \
				> /dev/null
		fi
	done
}

# audit verify on a copy of an SQLite trail: the chain and every entity
# verified before containers hold (verify walks site, donor, diagnosis,
# consent, consent_response, then container); a container's REAL
# temperature, written "-80.0" by SQLite, reads back "-80" from PostgreSQL,
# so the first refusal is that container's, never a consent's.
verify_copy() {
	expect_exit 4 "$OB" --db "$DB" audit verify
	contains "$T/err" "container 1 differs from its last audit event"
	lacks "$T/err" "chain"
}

test_consents_upgrade_to_statements_on_postgresql() {
	local lvl=009 old
	pg_level $lvl
	same "$(q 'SELECT MAX(version) FROM schema_migration')" 9
	old=$(sqlite3 lvl.db "SELECT id || '|' || (storage + 2 * research + 4 * genetic
		+ 8 * sharing + 16 * recontact) FROM consent ORDER BY id")
	[ -n "$old" ]
	verify_copy
	# opened by this binary: 010 runs, with its code steps, on PostgreSQL
	expect_exit 0 "$OB" --db "$DB" init
	contains "$T/out" "schema version $(schema_max) (postgresql)"
	same "$(q "SELECT r.consent_id || '|' || SUM(CASE WHEN r.response = 'yes' THEN t.uses ELSE 0
		END) FROM consent_response r JOIN consent_statement t ON t.id = r.statement_id
		GROUP BY r.consent_id ORDER BY r.consent_id")" "$old"
	same "$(q "SELECT COUNT(*) FROM audit_event WHERE actor = 'migration 010'
		AND entity = 'consent' AND action = 'migrate' AND before LIKE '%\"storage\"%'")" \
		"$(q 'SELECT COUNT(*) FROM consent')"
	same "$(q "SELECT COUNT(*) FROM audit_event WHERE actor = 'migration 010'
		AND entity = 'consent_response'")" "$(q 'SELECT COUNT(*) FROM consent_response')"
	verify_copy
	expect_exit 0 "$OB" --db "$DB" donor show D1 --site REG01 --json
	contains "$T/out" '"uses":["storage","research","genetic","sharing","transfer"]'
	expect_exit 0 "$OB" --db "$DB" donor show D2 --site HOS01
	contains "$T/out" "consent          WITHDRAWN"
	# and the new statements work there: a form, a consent, a partial withdrawal
	expect_exit 0 "$OB" --db "$DB" consent form-add v9 --title "Consent 9" \
		--statement "STORE:storage+research:Keep and use my samples" \
		--statement "DNA:genetic:Genetic research"
	expect_exit 0 "$OB" --db "$DB" consent add REG01 D1 --form v9 --signed-on 2025-05-10 \
		--response STORE=yes --response DNA=yes
	expect_exit 0 "$OB" --db "$DB" consent withdraw REG01 D1 --statement DNA --reason "asked"
	expect_exit 0 "$OB" --db "$DB" donor show D1 --site REG01 --json
	contains "$T/out" '"uses":["storage","research","transfer"]'
	expect_exit 0 "$OB" --db "$DB" consent withdraw REG01 D1 --reason "asked" --disposition destroy
	same "$(q "SELECT COUNT(*) FROM specimen s JOIN donor d ON d.id = s.donor_id WHERE
		d.code = 'D1' AND s.consent_disposition IS DISTINCT FROM 'destroy'")" 0
	verify_copy
}

test_a_tampered_consent_is_not_migrated_on_postgresql() {
	pg_level 009
	q "UPDATE consent SET research = 1 - research WHERE id = (SELECT MIN(id) FROM consent)" \
		> /dev/null
	expect_exit 4 "$OB" --db "$DB" init
	contains "$T/err" "do not match their audit trail"
	same "$(q 'SELECT MAX(version) FROM schema_migration')" 9
	same "$(q "SELECT COUNT(*) FROM information_schema.tables WHERE table_name =
		'consent_response'")" 0
}

# Migration 012 on PostgreSQL: donors whose consent permits storage gain
# transfer, each audited; a withdrawn donor and one without storage do not.
test_donors_gain_transfer_on_postgresql() {
	pg_level 010
	same "$(q 'SELECT MAX(version) FROM schema_migration')" 10
	verify_copy
	expect_exit 0 "$OB" --db "$DB" init
	contains "$T/out" "schema version $(schema_max) (postgresql)"
	same "$(q "SELECT string_agg(code || '=' || consent_mask, ',' ORDER BY id) FROM donor")" \
		"D1=143,D2=0,D3=4"
	same "$(q "SELECT COUNT(*) FROM audit_event WHERE actor = 'migration 012' AND entity = 'donor'
		AND action = 'migrate' AND entity_key = 'D1' AND before LIKE '%\"consent_mask\":\"15\"%'
		AND after LIKE '%\"consent_mask\":\"143\"%'")" 1
	same "$(q "SELECT COUNT(*) FROM audit_event WHERE actor = 'migration 012'")" 1
	# the chain and every donor verify (the first refusal is the container's)
	verify_copy
	expect_exit 0 "$OB" --db "$DB" donor show D1 --site REG01 --json
	contains "$T/out" '"uses":["storage","research","genetic","sharing","transfer"]'
}

test_a_tampered_donor_is_not_migrated_on_postgresql() {
	pg_level 010
	q "UPDATE donor SET consent_mask = 31 WHERE code = 'D1'" > /dev/null
	expect_exit 4 "$OB" --db "$DB" init
	contains "$T/err" "donors do not match their audit trail"
	# 011 (shipments) applies; 012 is refused
	same "$(q 'SELECT MAX(version) FROM schema_migration')" 11
	same "$(q "SELECT consent_mask FROM donor WHERE code = 'D1'")" 31
}

test_unit_tests_on_postgresql() {
	local dir t failed=0
	dir=$(dirname "$OB")/tests
	[ -x "$dir/bank/test_specimen" ] || { echo "unit tests not built in $dir"; return 77; }
	for t in bank/test_specimen bank/test_container bank/test_import bank/test_access bank/test_correct_dc bank/test_correct \
		bank/test_consent bank/test_study bank/test_identifier bank/test_shipment \
		bank/test_user http/test_dispatch http/test_routes_bank interp/test_kb \
		interp/test_clinvar interp/test_germline; do
		[ -x "$dir/$t" ] || { echo "$t not built" >&2; failed=1; continue; }
		(cd "$SRC" && OB_TEST_DB_URL="postgresql://$PG_USER@127.0.0.1:$PG_PORT/postgres" \
			OB_SHARED=$SHARED "$dir/$t") > unit.log 2>&1 \
			|| { echo "$t failed on PostgreSQL:" >&2; grep -E 'FAILED|ERROR|LINE' unit.log >&2; failed=1; }
	done
	[ $failed -eq 0 ]
}

. "$HERE/lib.sh"

if pg_start; then
	trap pg_stop EXIT INT TERM HUP
	run_tests
	exit
fi
pg_stop
for f in $(declare -F | awk '{print $3}' | grep '^test_'); do
	unset -f "$f"
done
test_postgresql_server() { echo "$PG_SKIP"; return 77; }
run_tests
