#!/usr/bin/env bash
# test_upgrade.sh - a database made at every earlier schema level upgrades to
# the current one with its audit trail intact and its data still there.
#
# tests/data/migrations/level-*.sql are SQL text dumps (sqlite3 .dump) of
# small databases, each made by the oncobank of its time (README.md there
# says which commit and which commands). Each is loaded into a fresh file and
# opened by the binary under test, which migrates on open. The current level
# is read from migrations/, never written here, so a migration added later
# is covered by the same test.

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DATA=$SRC/tests/data/migrations

# The migration numbers this source tree carries, one a line, ascending.
versions() {
	ls "$SRC/migrations" | sed -n 's/^0*\([0-9][0-9]*\)_.*\.sql$/\1/p' | sort -n
}

# load DUMP DB - a fresh SQLite file from an SQL dump.
load() {
	command -v sqlite3 > /dev/null || { echo "sqlite3 is needed to load the dumps"; return 77; }
	rm -f "$2"
	sqlite3 "$2" < "$1"
}

test_every_earlier_level_has_a_dump() {
	local v f max covered=" "
	for f in "$DATA"/level-*.sql; do
		load "$f" db.sqlite
		max=$(sqlite3 db.sqlite 'SELECT MAX(version) FROM schema_migration')
		# Each dump is of the level its name says ...
		same "$(printf %03d "$max")" "$(basename "$f" | sed 's/^level-\([0-9]*\).*/\1/')"
		covered="$covered$max "
		# ... and a version it lacks below its highest is a level too: a
		# branch numbered its migration 006 before 005 existed.
		for v in $(seq 1 "$max"); do
			[ "$(sqlite3 db.sqlite "SELECT COUNT(*) FROM schema_migration WHERE version = $v")" = 1 ] \
				|| covered="$covered$v "
		done
	done
	# Every level below the current one (which every dump is upgraded to).
	for v in $(versions | sed '$d'); do
		case "$covered" in
		*" $v "*) ;;
		*) echo "no database of schema level $v in tests/data/migrations (README.md there" \
			"says how to make one)" >&2; return 1 ;;
		esac
	done
}

test_each_level_upgrades_with_its_audit_trail_intact() {
	local f want n
	want=$(versions | tail -n 1)
	n=$(versions | wc -l)
	for f in "$DATA"/level-*.sql; do
		echo "# $(basename "$f")"
		load "$f" db.sqlite
		events=$(sqlite3 db.sqlite 'SELECT COUNT(*) FROM audit_event')
		masks=$(transfer_masks db.sqlite)
		# Opened by this binary: migrated ...
		expect_exit 0 "$OB" --db db.sqlite init
		contains "$T/out" "schema version $want (sqlite)"
		# ... every migration is in place, none skipped (a branch's 006 came
		# before its 005) ...
		same "$(sqlite3 db.sqlite 'SELECT COUNT(*) FROM schema_migration')" "$n"
		same "$(sqlite3 db.sqlite 'SELECT group_concat(version) FROM
			(SELECT version FROM schema_migration ORDER BY version)')" "$(versions | paste -sd,)"
		# ... the trail still verifies, with nothing lost (a migration that
		# rewrote audited rows added its own events after the old ones) ...
		expect_exit 0 "$OB" --db db.sqlite audit verify
		mig=$(sqlite3 db.sqlite "SELECT COUNT(*) FROM audit_event WHERE actor LIKE 'migration %'")
		same "$(sqlite3 db.sqlite "SELECT COUNT(*) FROM audit_event WHERE seq <= $events
			AND actor NOT LIKE 'migration %'")" "$events"
		contains "$T/out" "audit trail intact: $((events + mig)) events"
		# ... the donors' permitted uses are as before, transfer (012) added
		# where storage was ...
		same "$(sqlite3 db.sqlite 'SELECT consent_mask FROM donor ORDER BY id' | paste -sd,)" \
			"$masks"
		# ... and the data is there.
		expect_exit 0 "$OB" --db db.sqlite site list
		contains "$T/out" "REG01"
		expect_exit 0 "$OB" --db db.sqlite donor show D1 --site REG01
		contains "$T/out" "donor            D1 at REG01"
		expect_exit 0 "$OB" --db db.sqlite specimen find --site REG01
		contains "$T/out" "plasma"
		# The upgraded database takes new changes, audited.
		expect_exit 0 "$OB" --db db.sqlite donor add D77 --site REG01
		expect_exit 0 "$OB" --db db.sqlite audit verify
	done
}

# transfer_masks DB - the donors' masks (by id, comma-separated) as
# migration 012 leaves them: transfer (128) added where the consent permits
# storage (1) and the donor has not withdrawn.
transfer_masks() {
	sqlite3 "$1" 'SELECT CASE WHEN withdrawn = 0 AND (consent_mask & 1) <> 0
		THEN consent_mask | 128 ELSE consent_mask END FROM donor ORDER BY id' | paste -sd,
}

# The dumps of the levels before 010, whose consents have five flags.
flag_levels() {
	ls "$DATA"/level-*.sql | while read -r f; do
		grep -q 'CREATE TABLE consent_response' "$f" || echo "$f"
	done
}

# The uses each consent's answers permit (migration 010's statements), by
# consent id: "id|mask" lines.
answered_uses() {
	sqlite3 "$1" "SELECT r.consent_id, SUM(CASE WHEN r.response = 'yes' THEN t.uses ELSE 0 END)
		FROM consent_response r JOIN consent_statement t ON t.id = r.statement_id
		GROUP BY r.consent_id ORDER BY r.consent_id"
}

test_consent_flags_become_answers_with_nothing_lost() {
	local f old
	for f in $(flag_levels); do
		echo "# $(basename "$f")"
		load "$f" db.sqlite
		old=$(sqlite3 db.sqlite "SELECT id, storage + 2 * research + 4 * genetic + 8 * sharing
			+ 16 * recontact FROM consent ORDER BY id")
		[ -n "$old" ] || { echo "no consents in $f" >&2; return 1; }
		# a withdrawn consent is among them
		same "$(sqlite3 db.sqlite 'SELECT COUNT(*) > 0 FROM consent WHERE withdrawn_on IS NOT NULL')" 1
		expect_exit 0 "$OB" --db db.sqlite init
		same "$(answered_uses db.sqlite)" "$old"
		# five statements a form, each answered once per consent
		same "$(sqlite3 db.sqlite 'SELECT COUNT(*) FROM consent_response')" \
			"$(( $(sqlite3 db.sqlite 'SELECT COUNT(*) FROM consent') * 5 ))"
		# the migration's events: one per consent (before: its old row) and
		# one per response
		same "$(sqlite3 db.sqlite "SELECT COUNT(*) FROM audit_event WHERE actor = 'migration 010'
			AND entity = 'consent' AND action = 'migrate' AND before LIKE '%\"storage\"%'
			AND after NOT LIKE '%\"storage\"%'")" "$(sqlite3 db.sqlite 'SELECT COUNT(*) FROM consent')"
		same "$(sqlite3 db.sqlite "SELECT COUNT(*) FROM audit_event WHERE actor = 'migration 010'
			AND entity = 'consent_response'")" \
			"$(sqlite3 db.sqlite 'SELECT COUNT(*) FROM consent_response')"
		expect_exit 0 "$OB" --db db.sqlite audit verify
		# the withdrawn consent is still withdrawn; D1's uses are its old
		# flags, and transfer (012: a legacy form permits it with storage)
		expect_exit 0 "$OB" --db db.sqlite donor show D1 --site REG01 --json
		contains "$T/out" '"uses":["storage","research","genetic","sharing","transfer"]'
		expect_exit 0 "$OB" --db db.sqlite donor show D2 --site HOS01
		contains "$T/out" "consent          WITHDRAWN"
	done
}

test_a_tampered_consent_is_not_migrated() {
	local f
	f=$(flag_levels | tail -n 1)
	load "$f" db.sqlite
	# a flag altered behind the audit trail's back
	sqlite3 db.sqlite "UPDATE consent SET genetic = 1 - genetic WHERE id = (SELECT MIN(id) FROM consent)"
	expect_exit 4 "$OB" --db db.sqlite init
	contains "$T/err" "010_consent_statements"
	contains "$T/err" "do not match their audit trail"
	# nothing of 010 was applied
	same "$(sqlite3 db.sqlite 'SELECT COUNT(*) FROM schema_migration WHERE version = 10')" 0
	same "$(sqlite3 db.sqlite "SELECT COUNT(*) FROM sqlite_master WHERE name = 'consent_response'")" 0
}

# Migration 012: a form without a transfer statement (every form before it)
# permits transfer with storage; the donors' masks gain it, each change
# audited, and a withdrawn donor or one without storage does not.
test_donors_with_storage_gain_transfer() {
	local f changed
	for f in "$DATA"/level-*.sql; do
		echo "# $(basename "$f")"
		load "$f" db.sqlite
		changed=$(sqlite3 db.sqlite 'SELECT COUNT(*) FROM donor WHERE withdrawn = 0
			AND (consent_mask & 1) <> 0')
		[ "$changed" -gt 0 ]
		expect_exit 0 "$OB" --db db.sqlite init
		# D1 consented to storage: transfer now; D2 withdrew: nothing
		same "$(sqlite3 db.sqlite "SELECT consent_mask FROM donor WHERE code = 'D1'")" 143
		same "$(sqlite3 db.sqlite "SELECT consent_mask || '/' || withdrawn FROM donor
			WHERE code = 'D2'")" 0/1
		# one event per donor changed, its old mask before, the new after
		same "$(sqlite3 db.sqlite "SELECT COUNT(*) FROM audit_event WHERE actor = 'migration 012'
			AND entity = 'donor' AND action = 'migrate'")" "$changed"
		same "$(sqlite3 db.sqlite "SELECT COUNT(*) FROM audit_event WHERE actor = 'migration 012'
			AND entity_key = 'D1' AND before LIKE '%\"consent_mask\":\"15\"%'
			AND after LIKE '%\"consent_mask\":\"143\"%' AND reason LIKE '%transfer%'")" 1
		same "$(sqlite3 db.sqlite "SELECT COUNT(*) FROM audit_event WHERE actor = 'migration 012'
			AND entity_key <> 'D1'")" "$((changed - 1))"
		expect_exit 0 "$OB" --db db.sqlite audit verify
		expect_exit 0 "$OB" --db db.sqlite donor show D1 --site REG01
		contains "$T/out" "current uses: storage research genetic sharing transfer"
		expect_exit 0 "$OB" --db db.sqlite donor show D2 --site HOS01
		contains "$T/out" "consent          WITHDRAWN"
		# a search for transfer finds D1's plasma, not D2's whole blood
		expect_exit 0 "$OB" --db db.sqlite specimen find --consent transfer
		contains "$T/out" "plasma"
		lacks "$T/out" "whole_blood"
	done
}

# Level 010 has coded statements: D3 answered no to storage, so no transfer.
test_a_donor_without_storage_does_not_gain_transfer() {
	load "$DATA/level-010.sql" db.sqlite
	same "$(sqlite3 db.sqlite "SELECT consent_mask FROM donor WHERE code = 'D3'")" 4
	expect_exit 0 "$OB" --db db.sqlite init
	same "$(sqlite3 db.sqlite "SELECT consent_mask FROM donor WHERE code = 'D3'")" 4
	same "$(sqlite3 db.sqlite "SELECT COUNT(*) FROM audit_event WHERE actor = 'migration 012'
		AND entity_key IN ('D2', 'D3')")" 0
	expect_exit 0 "$OB" --db db.sqlite consent show HOS01 D3 --json
	contains "$T/out" '"scope":["genetic"]'
	expect_exit 0 "$OB" --db db.sqlite audit verify
}

test_a_tampered_donor_is_not_migrated() {
	load "$DATA/level-010.sql" db.sqlite
	# a mask altered behind the audit trail's back
	sqlite3 db.sqlite "UPDATE donor SET consent_mask = 31 WHERE code = 'D1'"
	expect_exit 4 "$OB" --db db.sqlite init
	contains "$T/err" "012_consent_transfer"
	contains "$T/err" "donors do not match their audit trail"
	# nothing of 012 was applied
	same "$(sqlite3 db.sqlite 'SELECT COUNT(*) FROM schema_migration WHERE version = 12')" 0
	same "$(sqlite3 db.sqlite "SELECT consent_mask FROM donor WHERE code = 'D1'")" 31
	same "$(sqlite3 db.sqlite "SELECT COUNT(*) FROM audit_event WHERE actor = 'migration 012'")" 0
}

test_an_upgraded_database_serves_healthy() {
	local f port_out
	f=$(ls "$DATA"/level-*.sql | head -n 1)
	load "$f" db.sqlite
	serve_bg --db db.sqlite serve --listen 127.0.0.1:0
	port_out=$URL
	same "$(curl -s -o body -w '%{http_code}' "${port_out%/}/healthz")" 200
	contains body "\"schema\":$(versions | tail -n 1)"
	kill "$SRV_PID"
	wait "$SRV_PID" || true
	trap - EXIT
}

# enc COLUMN - SQL for a field's share of an event's hashed encoding
# (src/bank/audit.c): "~" for NULL, else its byte length, ":" and its text.
enc() {
	echo "CASE WHEN $1 IS NULL THEN '~' ELSE length(CAST(CAST($1 AS TEXT) AS BLOB)) || ':' || $1 END"
}

# event_hash DB SEQ FORMAT - the hash of event SEQ recomputed in format 1
# (no reason) or 2 (the current one).
event_hash() {
	local cols="seq at actor site action entity entity_id entity_key before after" sql="" c
	[ "$3" = 2 ] && cols="$cols reason"
	for c in $cols prev_hash; do
		sql="$sql${sql:+ || }$(enc "$c")"
	done
	printf '%s' "$(sqlite3 "$1" "SELECT $sql FROM audit_event WHERE seq = $2")" \
		| sha256sum | cut -d' ' -f1
}

test_the_first_hash_format_only_starts_a_chain() {
	local f last
	f=$(ls "$DATA"/level-001*.sql)
	load "$f" db.sqlite
	# Level 1 events are of the first format; this script's encoder agrees.
	same "$(event_hash db.sqlite 1 1)" "$(sqlite3 db.sqlite 'SELECT hash FROM audit_event WHERE seq = 1')"
	expect_exit 0 "$OB" --db db.sqlite donor add D77 --site REG01
	expect_exit 0 "$OB" --db db.sqlite donor add D78 --site REG01
	last=$(sqlite3 db.sqlite 'SELECT MAX(seq) FROM audit_event')
	same "$(event_hash db.sqlite "$last" 2)" \
		"$(sqlite3 db.sqlite "SELECT hash FROM audit_event WHERE seq = $last")"
	expect_exit 0 "$OB" --db db.sqlite audit verify
	# The last event re-hashed in the old format, after an event of the
	# current one, is refused: the old format may only start the chain.
	sqlite3 db.sqlite "UPDATE audit_event SET hash = '$(event_hash db.sqlite "$last" 1)'
		WHERE seq = $last"
	expect_exit 4 "$OB" --db db.sqlite audit verify
	contains "$T/err" "audit chain broken at event $last"
}

. "$(dirname "$0")/lib.sh"
run_tests
