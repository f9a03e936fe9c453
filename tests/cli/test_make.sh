#!/usr/bin/env bash
# test_make.sh - the Makefile's targets that install packages (demo, bench,
# check) build with the libraries' flags even when pkg-config only finds the
# libraries after the install step ran, as on a fresh machine: the flags read
# when make parsed the file were empty then. Runs `make -n` with a stand-in
# pkg-config that fails until a stand-in installer has run; builds nothing.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
REAL_PKG_CONFIG=$(command -v pkg-config)

# A pkg-config that knows nothing until $T/installed exists.
fresh_machine() {
	mkdir -p "$T/bin"
	cat > "$T/bin/pkg-config" <<PC
#!/bin/sh
[ -e "$T/installed" ] || exit 1
exec "$REAL_PKG_CONFIG" "\$@"
PC
	chmod +x "$T/bin/pkg-config"
	cairo_flag=$("$REAL_PKG_CONFIG" --cflags-only-I cairo | tr ' ' '\n' | grep -m1 cairo)
	[ -n "$cairo_flag" ]
}

# make -n TARGET on the fresh machine: the compile lines carry cairo's -I.
builds_with_flags() {
	local target=$1
	fresh_machine
	PATH="$T/bin:$PATH" expect_exit 0 make -n -C "$ROOT" --no-print-directory \
		BUILD="$T/build" DEPS="touch $T/installed" "$target"
	[ -e "$T/installed" ] || { echo "the install step did not run" >&2; return 1; }
	grep -E '^cc .* -c src/bank/label.c' "$T/out" > "$T/label-line" ||
		{ echo "no compile line for label.c" >&2; head "$T/out" >&2; return 1; }
	contains "$T/label-line" "$cairo_flag"
}

test_demo_builds_after_installing() { builds_with_flags demo; }
test_bench_builds_after_installing() { builds_with_flags bench; }
test_check_builds_after_installing() { builds_with_flags check; }

test_plain_build_without_libraries_says_what_to_do() {
	fresh_machine
	PATH="$T/bin:$PATH" expect_exit 2 make -C "$ROOT" --no-print-directory BUILD="$T/build" all
	contains "$T/err" "run 'make deps'"
	[ ! -d "$T/build/obj" ] || [ -z "$(find "$T/build/obj" -name '*.o')" ]
}

run_tests
