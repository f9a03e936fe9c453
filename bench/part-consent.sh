#!/usr/bin/env bash
# bench/part-consent.sh - coded consent statements against the five flags
# they replaced (`bash bench/run consent` runs it alone). The baseline is the
# build of commit BASELINE (default b5f4e7b: the last schema with the five
# consent columns), built from the git history into the scratch directory.
#
#   bench: consent_migration_demo VALUE s vs sqlite3_bare_sql VALUE s ratio R
#         the migrations from 010 on, as `init` runs them on the demo
#         biobank the baseline builds (DEMO_SCALE, default 1: some 130,000
#         specimens): 010 (the flags become answers to statements, every
#         rewritten consent and new answer recorded in the audit trail),
#         011 (the shipment tables), 012 (donors with storage gain transfer,
#         each recorded); against the sqlite3 shell running the same SQL
#         files with no audit step; each round on a fresh copy
#   bench: consent_filter_1M VALUE queries/s vs flag_filter VALUE queries/s ratio R
#         `specimen find --consent genetic,sharing --site REG01 --count` over
#         CONSENT_ROWS specimens (default 1,000,000, bench/gen, seed 42, with a
#         consent per donor): this build on the migrated copy of the
#         baseline's database against the baseline on that database itself
#   bench: consent_filter_page_1M ... (the same filter, first 1,000 rows as
#         JSON)
#
# Rounds (CONSENT_ROUNDS, default 5) alternate A/B, B/A, ...; each figure is
# the median of its rounds. R > 1: this build is faster. The goal for the
# filter is R >= 0.8 (statements cost at most 25 % more than the flags).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
OB=$PWD/$BUILD/oncobank
ROWS=${CONSENT_ROWS:-1000000}
ROUNDS=${CONSENT_ROUNDS:-5}
SCALE=${DEMO_SCALE:-1}
BASE=${BASELINE:-b5f4e7b}
[ -x "$OB" ] || { echo "bench: $OB is missing; run 'make' first" >&2; exit 1; }
make -s -f bench/Makefile BUILD="$BUILD"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/oncobank-bench-consent.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
label=$(awk -v n="$ROWS" 'BEGIN { if (n % 1000000 == 0) print n / 1000000 "M"; else if (n % 1000 == 0) print n / 1000 "k"; else print n }')
now() { date +%s.%N; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
order() { if [ $(($1 % 2)) -eq 1 ]; then echo "$2 $3"; else echo "$3 $2"; fi; }

PREV=
if git rev-parse -q --verify "$BASE^{commit}" > /dev/null 2>&1; then
	mkdir "$tmp/prev"
	git archive "$BASE" | tar -x -C "$tmp/prev"
	if make -s -C "$tmp/prev" -j"$(nproc)" build/oncobank > "$tmp/prev.log" 2>&1; then
		PREV=$tmp/prev/build/oncobank
	fi
fi
if [ -z "$PREV" ]; then
	echo "bench: consent: no baseline build of $BASE (git history or packages missing); skipped"
	exit 0
fi
export OB_USER=bench

# ---- the migration on the demo biobank ----
"$PREV" --db "$tmp/demo.db" demo-data --scale "$SCALE" > "$tmp/demo.log"
specimens=$("$PREV" --db "$tmp/demo.db" specimen find --count)
consents=$(sqlite3 "$tmp/demo.db" "SELECT COUNT(*) FROM consent")
# every migration the baseline lacks: 010 and those after it
sql=$(ls migrations/*.sql | awk -F/ '$2 >= "010"')
for r in $(seq "$ROUNDS"); do
	for who in $(order "$r" new bare); do
		cp "$tmp/demo.db" "$tmp/m.db"
		t0=$(now)
		if [ "$who" = new ]; then
			"$OB" --db "$tmp/m.db" init > /dev/null
		else
			# the @PK@ token as the SQLite backend spells it
			{ echo "BEGIN;"; sed 's/@PK@/INTEGER PRIMARY KEY/g' $sql; echo "COMMIT;"; } \
				| sqlite3 "$tmp/m.db"
		fi
		t1=$(now)
		awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }' >> "$tmp/mig-$who"
	done
done
"$OB" --db "$tmp/demo.db" init > /dev/null
"$OB" --db "$tmp/demo.db" audit verify > "$tmp/verify.log" \
	|| { echo "bench: consent: the migrated demo's audit trail does not verify" >&2; cat "$tmp/verify.log" >&2; exit 1; }
a=$(median < "$tmp/mig-new"); b=$(median < "$tmp/mig-bare")
echo "# consent migration: $specimens specimens, $consents consents; audit trail verified after"
awk -v a="$a" -v b="$b" 'BEGIN { printf "bench: consent_migration_demo %.2f s vs sqlite3_bare_sql %.2f s ratio %.2f\n", a, b, b / a }'

# ---- the consent filter over ROWS specimens ----
"$BUILD/bench/gen" "$tmp" "$ROWS" 42
# A consent per donor: most permit everything, some not genetic or not sharing.
awk -F, 'NR == 1 { print "site,donor,form_version,signed_on,scope"; next }
	{ n = NR % 20; s = "storage;research;genetic;sharing;recontact"
	  if (n == 1) s = "storage;research;sharing;recontact"
	  else if (n == 2) s = "storage;research;genetic;recontact"
	  print $1 "," $2 ",v1.0,2015-01-01," s }' "$tmp/donors.csv" > "$tmp/consents.csv"
"$PREV" --db "$tmp/prev.db" init > /dev/null
for k in sites donors consents specimens; do
	"$PREV" --db "$tmp/prev.db" import "$k" "$tmp/$k.csv" > /dev/null
done
cp "$tmp/prev.db" "$tmp/new.db"
"$OB" --db "$tmp/new.db" init > /dev/null
bin() { if [ "$1" = new ]; then echo "$OB"; else echo "$PREV"; fi; }
n_new=$("$OB" --db "$tmp/new.db" specimen find --consent genetic,sharing --site REG01 --count)
n_prev=$("$PREV" --db "$tmp/prev.db" specimen find --consent genetic,sharing --site REG01 --count)
[ "$n_new" = "$n_prev" ] || { echo "bench: consent: the builds disagree ($n_new vs $n_prev specimens)" >&2; exit 1; }
for r in $(seq "$ROUNDS"); do
	for who in $(order "$r" new prev); do
		b=$(bin "$who")
		t0=$(now)
		for _ in 1 2 3 4 5; do
			"$b" --db "$tmp/$who.db" specimen find --consent genetic,sharing --site REG01 --count > /dev/null
		done
		t1=$(now)
		for _ in 1 2 3 4 5; do
			"$b" --db "$tmp/$who.db" specimen find --consent genetic,sharing --site REG01 --type plasma \
				--limit 1000 --json > /dev/null
		done
		t2=$(now)
		awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN {
			print 5 / (b - a) > "'"$tmp/count-$who"'"
			print 5 / (c - b) > "'"$tmp/page-$who"'" }'
		cat "$tmp/count-$who" >> "$tmp/all-count-$who"
		cat "$tmp/page-$who" >> "$tmp/all-page-$who"
	done
done
echo "# consent filter: $ROWS specimens, $n_new match genetic+sharing at REG01 and below"
for k in count page; do
	a=$(median < "$tmp/all-$k-new"); b=$(median < "$tmp/all-$k-prev")
	name=consent_filter_$label
	[ "$k" = page ] && name=consent_filter_page_$label
	awk -v n="$name" -v a="$a" -v b="$b" 'BEGIN { printf "bench: %s %.2f queries/s vs flag_filter %.2f queries/s ratio %.2f\n", n, a, b, a / b }'
done
