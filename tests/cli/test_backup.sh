#!/usr/bin/env bash
# test_backup.sh - `oncobank backup` and `oncobank restore` (checked copies
# of the whole database, taken while others write) and the audit anchor
# (`audit anchor`, `audit verify --anchor`) that catches a trail whose last
# events were lost - the finding: an SQLite file copied without its -wal
# verified as intact. Every server and writer a test starts is stopped on
# every way out.

# A small bank: two sites, a donor with consent, a freezer, a box, specimens.
fill() { # DB
	"$OB" --db "$1" site add NCC --kind center --name "National Cancer Center" > /dev/null
	"$OB" --db "$1" site add REG01 --kind regional --parent NCC > /dev/null
	"$OB" --db "$1" donor add D1 --site REG01 --sex female --birth-year 1968 > /dev/null
	"$OB" --db "$1" consent add D1 --site REG01 --form v3 --signed 2024-01-05 \
		--scope storage,research,genetic,sharing > /dev/null
	"$OB" --db "$1" container add FRZ1 --kind freezer --site REG01 --temperature -80 > /dev/null
	"$OB" --db "$1" container add BOX1 --kind box --parent FRZ1 --rows 9 --cols 9 > /dev/null
	"$OB" --db "$1" specimen add --site REG01 --donor D1 --type plasma --quantity 2 --unit ml \
		--collected-at 2024-03-01T10:00:00Z --container BOX1 --position A1 > /dev/null
}

# serve DB - the server in the background (it holds the database open, so
# commits stay in the -wal until a checkpoint); sets URL and SRV_PID.
serve() {
	serve_bg --db "$1" serve --listen 127.0.0.1:0 --threads 2
	trap 'stop_all' EXIT
}

stop_all() {
	if [ -n "${WRITER_PID:-}" ]; then
		kill "$WRITER_PID" 2> /dev/null || true
		wait "$WRITER_PID" 2> /dev/null || true
	fi
	if [ -n "${SRV_PID:-}" ]; then
		kill "$SRV_PID" 2> /dev/null || true
		wait "$SRV_PID" 2> /dev/null || true
	fi
	WRITER_PID=
	SRV_PID=
	return 0
}

# The data of a database as its CSV exports, one file per kind.
exports() { # DB DIR
	mkdir -p "$2"
	for k in sites donors diagnoses consents containers specimens; do
		"$OB" --db "$1" export "$k" -o "$2/$k.csv"
	done
}

test_backup_and_restore_help() {
	expect_exit 0 "$OB" backup --help
	contains "$T/out" "integrity_check"
	expect_exit 0 "$OB" restore --help
	contains "$T/out" "--force"
	expect_exit 0 "$OB" audit --help
	contains "$T/out" "audit anchor FILE"
	expect_exit 1 "$OB" --db x.db backup
	expect_exit 1 "$OB" restore
}

test_backup_while_a_server_and_a_writer_write() {
	fill x.db
	serve x.db
	# A writer loop beside the server: donors D100, D101, ... as fast as it can.
	( i=100; while :; do "$OB" --db x.db donor add "D$i" --site REG01 > /dev/null || exit 1
		i=$((i + 1)); done ) &
	WRITER_PID=$!
	for n in 1 2 3; do
		sleep 0.3
		expect_exit 0 "$OB" --db x.db backup "b$n.db"
		contains "$T/out" "integrity ok, audit trail intact"
		[ ! -e "b$n.db-wal" ]
		# One self-contained file: readable where nothing can be written.
		[ "$(sqlite3 "b$n.db" 'PRAGMA journal_mode')" = delete ]
		# The copy stands on its own: checked again by another reader.
		[ "$(sqlite3 "b$n.db" 'PRAGMA integrity_check')" = ok ]
		expect_exit 0 "$OB" --db "b$n.db" audit verify
	done
	kill -0 "$WRITER_PID" || { echo "the writer stopped" >&2; return 1; }  # it wrote all along
	stop_all
	# The copies grew with the writer: each holds the donors of its moment.
	n1=$(sqlite3 b1.db 'SELECT COUNT(*) FROM donor')
	n3=$(sqlite3 b3.db 'SELECT COUNT(*) FROM donor')
	[ "$n3" -gt "$n1" ] || { echo "b1 has $n1 donors, b3 $n3" >&2; return 1; }
	# No temporary file is left beside the backups.
	[ -z "$(ls | grep '\.tmp-' || true)" ]
	# Each backup is an audit event of the database copied.
	expect_exit 0 "$OB" --db x.db audit verify
	[ "$(sqlite3 x.db "SELECT COUNT(*) FROM audit_event WHERE action = 'backup'")" = 3 ]
}

test_round_trip_gives_the_same_data() {
	fill x.db
	expect_exit 0 "$OB" --db x.db backup b.db
	# Personal data: the backup is its owner's alone.
	same "$(stat -c %a b.db)" 600
	expect_exit 0 "$OB" restore b.db --db y.db
	contains "$T/out" "restored b.db into y.db"
	expect_exit 0 "$OB" --db y.db audit verify
	exports x.db ex
	exports y.db ey
	diff -r ex ey
	# The same audit trail, then the restore's own event.
	n=$(sqlite3 b.db 'SELECT MAX(seq) FROM audit_event')
	same "$(sqlite3 x.db "SELECT hash FROM audit_event WHERE seq <= $n ORDER BY seq")" \
		"$(sqlite3 y.db "SELECT hash FROM audit_event WHERE seq <= $n ORDER BY seq")"
	same "$(sqlite3 y.db 'SELECT action, entity, entity_key FROM audit_event ORDER BY seq DESC LIMIT 1')" \
		"restore|database|b.db"
}

test_a_corrupt_backup_is_refused_and_changes_nothing() {
	fill x.db
	expect_exit 0 "$OB" --db x.db backup b.db
	# Bytes overwritten inside the database's pages: from the start of a page
	# in the middle, its header included (the unused half of a page, where
	# the middle of the file may fall, is not checked by anyone).
	cp b.db bad.db
	size=$(stat -c %s bad.db)
	page=$(sqlite3 bad.db 'PRAGMA page_size')
	dd if=/dev/urandom of=bad.db bs=1 seek=$((size / 2 / page * page)) count=2048 conv=notrunc \
		2> /dev/null
	expect_exit 4 "$OB" restore bad.db --db y.db
	contains "$T/err" "restore: the backup failed its check, nothing was changed"
	contains "$T/err" "changed: bad.db: "   # the file named, not the private copy
	lacks "$T/err" ".tmp-"
	[ ! -e y.db ]
	[ -z "$(ls | grep '\.tmp-' || true)" ]
	# A file cut short.
	head -c 8192 b.db > short.db
	expect_exit 4 "$OB" restore short.db --db y.db
	[ ! -e y.db ]
	# Not a database at all.
	echo "hello" > text.db
	expect_exit 4 "$OB" restore text.db --db y.db
	[ ! -e y.db ]
	# A sound file whose audit trail was edited: integrity passes, the trail not.
	cp b.db edited.db
	sqlite3 edited.db "UPDATE specimen SET quantity = 99"
	expect_exit 4 "$OB" restore edited.db --db y.db
	contains "$T/err" "altered behind the audit trail's back"
	[ ! -e y.db ]
	# Over an existing database (--force), a bad backup leaves it as it was.
	cp b.db keep.db
	before=$(sqlite3 keep.db .dump | md5sum)
	expect_exit 4 "$OB" restore edited.db --db keep.db --force
	same "$(sqlite3 keep.db .dump | md5sum)" "$before"
	# The good backup still restores.
	expect_exit 0 "$OB" restore b.db --db y.db
	expect_exit 0 "$OB" --db y.db audit verify
}

test_restore_needs_force_over_a_database() {
	fill x.db
	expect_exit 0 "$OB" --db x.db backup b.db
	"$OB" --db x.db donor add D2 --site REG01 > /dev/null
	expect_exit 4 "$OB" restore b.db --db x.db
	contains "$T/err" "target: x.db exists and is not empty; --force replaces it"
	[ "$(sqlite3 x.db "SELECT COUNT(*) FROM donor WHERE code = 'D2'")" = 1 ]
	# --force, with a server holding the database open: it sees the backup.
	serve x.db
	expect_exit 0 "$OB" restore b.db --db x.db --force
	[ "$(sqlite3 x.db "SELECT COUNT(*) FROM donor WHERE code = 'D2'")" = 0 ]
	expect_exit 0 "$OB" --db x.db audit verify
	CODE=$(curl -s -o "$T/body" -w '%{http_code}' "${URL%/}/healthz")
	same "$CODE" 200
	stop_all
	expect_exit 0 "$OB" --db x.db audit verify
	# A target that is no database any more is what a restore is for.
	echo "garbage" > broken.db
	expect_exit 0 "$OB" restore b.db --db broken.db --force
	expect_exit 0 "$OB" --db broken.db audit verify
	# The global --db names the target too.
	expect_exit 0 "$OB" --db z.db restore b.db
	expect_exit 0 "$OB" --db z.db audit verify
}

test_who_may_back_up() {
	fill x.db
	echo "researcher pw 1" | "$OB" --db x.db user add res01 --site REG01 --role researcher \
		--password-stdin > /dev/null
	echo "auditor pw 123" | "$OB" --db x.db user add aud01 --role auditor --password-stdin > /dev/null
	expect_exit 6 "$OB" --db x.db --user res01 backup b.db
	[ ! -e b.db ]
	expect_exit 0 "$OB" --db x.db --user aud01 backup b.db
	[ "$(sqlite3 x.db "SELECT actor FROM audit_event WHERE action = 'backup'")" = aud01 ]
	# Never onto the database itself, nor where no file can be made.
	expect_exit 2 "$OB" --db x.db backup x.db
	expect_exit 2 "$OB" --db x.db backup no/such/dir/b.db
	contains "$T/err" "no/such/dir/b.db: cannot create a file beside it"
	expect_exit 2 "$OB" restore b.db --db no/such/dir/y.db
	expect_exit 0 "$OB" --db x.db audit verify
}

test_anchor_catches_a_copy_without_its_wal() {
	fill x.db
	serve x.db
	# Committed while the server holds the database: the event lives in the -wal.
	"$OB" --db x.db donor add D9 --site REG01 > /dev/null
	expect_exit 0 "$OB" --db x.db audit anchor anchor.json
	contains "$T/out" "anchored event"
	[ -s x.db-wal ]
	cp x.db copy.db  # the file alone, as a careless backup would
	stop_all
	# The finding: the copy's shorter chain verifies.
	expect_exit 0 "$OB" --db copy.db audit verify
	[ "$(sqlite3 copy.db "SELECT COUNT(*) FROM donor WHERE code = 'D9'")" = 0 ]
	# The anchor catches it.
	expect_exit 4 "$OB" --db copy.db audit verify --anchor anchor.json
	contains "$T/err" "anchor: the audit trail ends at event"
	contains "$T/err" "events were removed from its tail"
	# The database itself reaches its anchor, and later events do not matter.
	expect_exit 0 "$OB" --db x.db audit verify --anchor anchor.json
	contains "$T/out" "anchor reached"
	"$OB" --db x.db donor add D10 --site REG01 > /dev/null
	expect_exit 0 "$OB" --db x.db audit verify --anchor anchor.json
}

test_anchor_of_another_trail_is_refused() {
	fill x.db
	fill y.db
	"$OB" --db y.db donor add D2 --site REG01 > /dev/null
	expect_exit 0 "$OB" --db y.db audit anchor a.json
	"$OB" --db x.db donor add D3 --site REG01 > /dev/null
	# Same length, other events: another hash at the anchored number.
	same "$(sqlite3 x.db 'SELECT MAX(seq) FROM audit_event')" \
		"$(sqlite3 y.db 'SELECT MAX(seq) FROM audit_event')"
	expect_exit 4 "$OB" --db x.db audit verify --anchor a.json
	contains "$T/err" "the trail was rewritten from there"
}

test_anchor_file_is_checked_and_written_atomically() {
	fill x.db
	expect_exit 0 "$OB" --db x.db audit anchor a.json
	contains a.json '"format":"oncobank-audit-anchor/1"'
	[ -z "$(ls | grep '\.tmp-' || true)" ]
	echo '{"format":"oncobank-audit-anchor/1","seq":-1,"hash":"00"}' > bad.json
	expect_exit 2 "$OB" --db x.db audit verify --anchor bad.json
	contains "$T/err" "bad.json: seq:"
	echo 'not json' > bad.json
	expect_exit 2 "$OB" --db x.db audit verify --anchor bad.json
	expect_exit 2 "$OB" --db x.db audit verify --anchor missing.json
	# A trail that does not verify is not anchored.
	sqlite3 x.db "UPDATE donor SET sex = 'male'"
	expect_exit 4 "$OB" --db x.db audit anchor b.json
	[ ! -e b.json ]
	# Anchoring needs the audit right.
	sqlite3 x.db "UPDATE donor SET sex = 'female'"
	echo "researcher pw 1" | "$OB" --db x.db user add res01 --site REG01 --role researcher \
		--password-stdin > /dev/null
	expect_exit 6 "$OB" --db x.db --user res01 audit anchor c.json
	[ ! -e c.json ]
}

. "$(dirname "$0")/lib.sh"
run_tests
