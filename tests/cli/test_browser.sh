# test_browser.sh - the web UI in a real browser: headless Debian chromium
# driven by playwright-core (tests/browser/ui.test.mjs) against
# `oncobank serve` on a demo database. One TAP line per scenario: log in and
# out, a 401 returns to login, scan a barcode, search and download the
# results as CSV, the specimen page (SPREC in words, lineage), move a
# specimen on the box map, change a status and see a
# refused aliquot's error at its field, a CSV import with a bad row, an
# auditor offered no change, the label PDF, the layout at 1280 and 800 px, and
# a sequencing result kept from the specimen page and its report opened,
# a specimen's, a donor's, a diagnosis's and a container's value corrected
# with a reason and its history, and the network page (a hospital retired by
# an administrator, greyed, with its history; a technician offered nothing),
# and a study with coded consent (an administrator creates a consent form
# and a study, enrols a donor, collects from the worklist, aliquots, and the
# donor's partial then full withdrawal shows on the aliquot's page), and a
# shipment built by scanning and picking a box, packed, shipped, and
# received by a hospital's technician on the receive screen (an extra, a
# thawed item, a box into a rack, the rest missing), its chain of custody.
#
# Installs what it needs: chromium (apt) when /usr/bin/chromium is missing,
# node and npm (apt) when missing, and playwright-core (npm) into
# build/browser, never into the source tree. A scenario whose routes the
# server does not describe in /api/openapi.json yet is reported as skipped;
# with no `serve` command at all, every scenario is.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
: "${OB:?OB must name the oncobank binary}"
case $OB in /*) ;; *) OB="$PWD/$OB" ;; esac
SCENARIOS="login unauthorized scan search specimen_page move_in_box actions import_bad_row read_only labels layout donor_consent collect accounts password_change sequencing_report correction correction_donor correction_container sites study_consent ship_receive"
BROWSER_DIR=${OB_BROWSER_DIR:-$ROOT/build/browser}
SITE=REG01
LOGIN=tech01
PASSWORD="bench-Tech01-$$-pass"
AUDITOR=audit01
ADMIN=admin01
# A technician of a hospital below $SITE: the destination of ship_receive.
RECEIVER=tech_hosp01
RECEIVER_SITE=HOSP01

skip_all() {
	echo "1..0 # SKIP $1"
	for s in $SCENARIOS; do echo "ok - test_$s # SKIP $1"; done
	exit 0
}

if ! "$OB" serve --help > /dev/null 2>&1; then
	skip_all "oncobank serve is not there yet"
fi
if ! "$OB" user add --help > /dev/null 2>&1; then
	skip_all "oncobank user add is not there yet"
fi

# ---- tools: chromium, node, playwright-core -------------------------------------
setup_fail() {
	echo "1..1"; echo "not ok 1 - browser test setup"; echo "$1" | sed 's/^/# /'
	exit 1
}
if [ ! -x /usr/bin/chromium ]; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null 2>&1 \
		|| { apt-get update -qq > /dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null 2>&1; } \
		|| setup_fail "cannot install chromium with apt-get"
fi
if ! command -v node > /dev/null 2>&1 || ! command -v npm > /dev/null 2>&1; then
	{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; } > /dev/null 2>&1 \
		|| setup_fail "cannot install nodejs and npm with apt-get"
fi
mkdir -p "$BROWSER_DIR"
if ! cmp -s "$ROOT/tests/browser/package.json" "$BROWSER_DIR/package.json" \
	|| [ ! -d "$BROWSER_DIR/node_modules/playwright-core" ]; then
	cp "$ROOT/tests/browser/package.json" "$BROWSER_DIR/package.json"
	( cd "$BROWSER_DIR" && npm install --no-audit --no-fund --loglevel=error > npm.log 2>&1 ) \
		|| setup_fail "npm install of playwright-core failed: $(tail -5 "$BROWSER_DIR/npm.log")"
fi
# The script runs from beside its node_modules (ES modules ignore NODE_PATH).
cp "$ROOT/tests/browser/ui.test.mjs" "$BROWSER_DIR/ui.test.mjs"

# ---- the server, on a demo database -------------------------------------------------
WORK=$(mktemp -d)
SERVER_PID=
stop_server() {
	if [ -n "$SERVER_PID" ]; then
		kill "$SERVER_PID" 2> /dev/null
		wait "$SERVER_PID" 2> /dev/null
	fi
	rm -rf "$WORK"
}
trap stop_server EXIT
trap 'exit 130' INT TERM

"$OB" --db "$WORK/x.db" demo-data --scale 0.01 > "$WORK/demo.log" 2>&1 \
	|| setup_fail "demo-data failed: $(tail -3 "$WORK/demo.log")"
printf '%s\n' "$PASSWORD" | "$OB" --db "$WORK/x.db" user add "$LOGIN" --site "$SITE" \
	--role technician --password-stdin > "$WORK/user.log" 2>&1 \
	|| setup_fail "user add failed: $(cat "$WORK/user.log")"
printf '%s\n' "$PASSWORD" | "$OB" --db "$WORK/x.db" user add "$AUDITOR" --site NCC \
	--role auditor --password-stdin > "$WORK/user.log" 2>&1 \
	|| setup_fail "user add (auditor) failed: $(cat "$WORK/user.log")"
printf '%s\n' "$PASSWORD" | "$OB" --db "$WORK/x.db" user add "$ADMIN" --site NCC \
	--role administrator --password-stdin > "$WORK/user.log" 2>&1 \
	|| setup_fail "user add (administrator) failed: $(cat "$WORK/user.log")"
printf '%s\n' "$PASSWORD" | "$OB" --db "$WORK/x.db" user add "$RECEIVER" --site "$RECEIVER_SITE" \
	--role technician --password-stdin > "$WORK/user.log" 2>&1 \
	|| setup_fail "user add (receiver) failed: $(cat "$WORK/user.log")"

# Another region's specimen parked in a box of ours (FOREIGN-BOX A1), so
# the box map has a position it may not name.
rack=$("$OB" --db "$WORK/x.db" container list --site "$SITE" | awk '$2 == "rack" && $3 == "'"$SITE"'" { print $1; exit }')
other=$("$OB" --db "$WORK/x.db" specimen find --site REG02 --status available --limit 1 | awk 'NR == 2 { print $1 }')
{ "$OB" --db "$WORK/x.db" container add FOREIGN-BOX --kind box --parent "$rack" --rows 2 --cols 2 &&
	"$OB" --db "$WORK/x.db" container move "$other" FOREIGN-BOX A1; } > "$WORK/foreign.log" 2>&1 \
	|| setup_fail "a box with another site's specimen: $(cat "$WORK/foreign.log")"
export OB_FOREIGN="$other"

free_port() {
	node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}
PORT=$(free_port)
"$OB" --db "$WORK/x.db" serve --listen "127.0.0.1:$PORT" --web "$ROOT/web" \
	--fasta "$ROOT/data/demo-genome/genome.fa" --gff "$ROOT/data/demo-genome/genes.gff3" \
	> "$WORK/serve.log" 2>&1 &
SERVER_PID=$!
BASE="http://127.0.0.1:$PORT"
# Wait until it answers (at most 15 s).
if ! node -e '
	const base = process.argv[1], end = Date.now() + 15000;
	(async () => {
		for (;;) {
			try { const r = await fetch(base + "/"); if (r.status < 500) process.exit(0); } catch {}
			if (Date.now() > end) process.exit(1);
			await new Promise((r) => setTimeout(r, 200));
		}
	})();' "$BASE"; then
	setup_fail "oncobank serve did not answer on $BASE: $(tail -5 "$WORK/serve.log")"
fi

export OB_BASE="$BASE" OB_LOGIN="$LOGIN" OB_PASSWORD="$PASSWORD" OB_SITE="$SITE"
export OB_AUDITOR_LOGIN="$AUDITOR" OB_AUDITOR_PASSWORD="$PASSWORD"
export OB_ADMIN_LOGIN="$ADMIN" OB_ADMIN_PASSWORD="$PASSWORD"
export OB_RECEIVER_LOGIN="$RECEIVER" OB_RECEIVER_PASSWORD="$PASSWORD" OB_RECEIVER_SITE="$RECEIVER_SITE"
export CHROMIUM=/usr/bin/chromium

# Scenarios whose routes are not served yet are skipped, and said so.
SKIPPED=$(cd "$BROWSER_DIR" && node ui.test.mjs routes)

scenario() {
	( cd "$BROWSER_DIR" && timeout 180 node ui.test.mjs "$1" )
}
test_login() { scenario login; }
test_unauthorized() { scenario unauthorized; }
test_scan() { scenario scan; }
test_search() { scenario search; }
test_specimen_page() { scenario specimen_page; }
test_move_in_box() { scenario move_in_box; }
test_actions() { scenario actions; }
test_import_bad_row() { scenario import_bad_row; }
test_read_only() { scenario read_only; }
test_labels() { scenario labels; }
test_layout() { scenario layout; }
test_donor_consent() { scenario donor_consent; }
test_collect() { scenario collect; }
test_accounts() { scenario accounts; }
test_password_change() { scenario password_change; }
test_sequencing_report() { scenario sequencing_report; }
test_foreign_in_box() { scenario foreign_in_box; }
test_correction() { scenario correction; }
test_correction_donor() { scenario correction_donor; }
test_correction_container() { scenario correction_container; }
test_sites() { scenario sites; }
test_study_consent() { scenario study_consent; }
test_ship_receive() { scenario ship_receive; }

skip_lines=
for s in $SCENARIOS; do
	missing=$(echo "$SKIPPED" | awk -v s="$s" '$1 == s { $1 = ""; printf "%s;", $0 }')
	if [ -n "$missing" ]; then
		unset -f "test_$s"
		skip_lines="${skip_lines}ok - test_$s # SKIP not served yet:${missing%;}"$'\n'
	fi
done

. "$(dirname "$0")/lib.sh"
rc=0
if declare -F | grep -q ' test_'; then run_tests || rc=$?; else echo "1..0"; fi
printf '%s' "$skip_lines"
exit $rc
