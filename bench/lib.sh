# bench/lib.sh - what the genomics bench parts share (sourced after `cd` to
# the source tree): BUILD and OB, the check that oncobank is built, GNU time
# (installed with apt when missing), the fixed-seed generator gen_annot
# compiled into $BUILD/bench, a scratch directory $tmp removed on exit, and
# label N -> "1M", "100k".
#
#   bench_setup NAME    NAME names the scratch directory

BUILD=${BUILD:-build}
OB=$BUILD/oncobank

bench_setup() {
	[ -x "$OB" ] || { echo "bench: $OB is missing; run 'make' first" >&2; exit 1; }
	[ -x /usr/bin/time ] || { echo "bench: installing time"; DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq time > /dev/null; }
	mkdir -p "$BUILD/bench"
	cc -std=c17 -D_GNU_SOURCE -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
		-Werror -O2 -o "$BUILD/bench/gen_annot" bench/gen_annot.c
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/oncobank-bench-$1.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
}

label() {
	awk -v n="$1" 'BEGIN { if (n % 1000000 == 0) print n / 1000000 "M"; else if (n % 1000 == 0) print n / 1000 "k"; else print n }'
}
