# lib.sh - the harness for end-to-end CLI tests. A test file defines shell
# functions named test_*, sources this file and calls run_tests. Each test runs
# in a subshell with `set -e`, in a fresh temporary directory ($T) that is
# removed afterwards; $OB is the oncobank binary under test. Output is TAP.
# A test that returns 77 cannot run here (a tool is missing): it is reported
# as skipped, its last output line giving the reason.

: "${OB:?OB must name the oncobank binary}"
SHARED=${OB_SHARED:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)/shared}

# expect_exit STATUS CMD... - runs CMD, fails unless it exits with STATUS;
# its stdout is in $T/out and stderr in $T/err.
expect_exit() {
	local want=$1 rc=0; shift
	"$@" > "$T/out" 2> "$T/err" || rc=$?
	if [ "$rc" -ne "$want" ]; then
		echo "expected exit $want, got $rc: $*" >&2
		sed 's/^/  stdout: /' "$T/out" >&2; sed 's/^/  stderr: /' "$T/err" >&2
		return 1
	fi
}

# contains FILE TEXT - fails unless FILE contains TEXT (fixed string).
contains() {
	grep -qF -- "$2" "$1" || { echo "'$1' lacks: $2" >&2; sed 's/^/  | /' "$1" | head -20 >&2; return 1; }
}
lacks() {
	! grep -qF -- "$2" "$1" || { echo "'$1' should not contain: $2" >&2; return 1; }
}
# same A B - fails unless the two strings are equal.
same() {
	[ "$1" = "$2" ] || { echo "expected [$2], got [$1]" >&2; return 1; }
}

# serve_bg ARG... - runs "$OB" ARG... (a `serve` command line listening on
# 127.0.0.1:0) in the background and waits until it says where it serves:
# SRV_PID, URL, and ADMIN_PW when it created the first-run administrator
# (else empty); its output is in srv.out and srv.err. Until the caller sets
# an EXIT trap of its own, the server is stopped when the test ends.
serve_bg() {
	"$OB" "$@" > srv.out 2> srv.err &
	SRV_PID=$!
	trap 'kill "$SRV_PID" 2> /dev/null; wait "$SRV_PID" 2> /dev/null' EXIT
	for _ in $(seq 1 150); do
		grep -q '^oncobank: serving' srv.out 2> /dev/null && break
		kill -0 "$SRV_PID" 2> /dev/null || { cat srv.err >&2; return 1; }
		sleep 0.1
	done
	URL=$(sed -n 's/^oncobank: serving \([^ ]*\).*/\1/p' srv.out)
	ADMIN_PW=$(sed -n "s/^first run: created administrator 'admin' with password \([^ ]*\) .*/\1/p" srv.out)
	[ -n "$URL" ] || { echo "the server did not start" >&2; cat srv.out srv.err >&2; return 1; }
}

run_tests() {
	local n=0 fails=0 t rc out
	local tests
	tests=$(declare -F | awk '{print $3}' | grep '^test_')
	echo "1..$(echo "$tests" | wc -l)"
	for t in $tests; do
		n=$((n + 1))
		T=$(mktemp -d)
		out=$( ( set -e; cd "$T"; "$t" ) 2>&1 ); rc=$?
		rm -rf "$T"
		if [ $rc -eq 0 ]; then
			echo "ok $n - $t"
		elif [ $rc -eq 77 ]; then   # the test cannot run here: its last line says why
			echo "ok $n - $t # SKIP $(echo "$out" | tail -n 1)"
		else
			echo "not ok $n - $t"; echo "$out" | sed 's/^/# /'
			fails=$((fails + 1))
		fi
	done
	[ $fails -eq 0 ]
}
