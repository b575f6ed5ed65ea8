# shellcheck shell=bash
# Sourced by the stat suite's scripts (not a test itself: no .sh suffix).
# Environment from the runner: PETREL, GUESTS, PETREL_KO, PETREL_BUILD,
# PETREL_SRC, KVER, TESTTMP.
. "$(dirname "${BASH_SOURCE[0]}")/../kmod/kmod-lib.bash"
PSTAT=$PETREL_BUILD/tools/petrel-stat
STAT_VMS=$PETREL_BUILD/stat-tests/stat_vms
SCHEMA=$PETREL_SRC/tools/petrel-stat/petrel-stat.schema.json
CHECK="python3 $PETREL_SRC/selftests/stat/pstat.py"

[ -x "$PSTAT" ] || fail "petrel-stat missing at $PSTAT (run make all)"
[ -x "$STAT_VMS" ] || fail "stat_vms missing at $STAT_VMS (run make all)"

# holder_start NAME ARGS...: run stat_vms ARGS in the background, its stdin
# a fifo kept open by us, and wait for "ready". HOLDER_PID is its pid.
holder_start() {
	mkfifo "$TESTTMP/hold.fifo"
	"$STAT_VMS" "$@" <"$TESTTMP/hold.fifo" >"$TESTTMP/hold.out" 2>&1 &
	HOLDER_PID=$!
	exec 7>"$TESTTMP/hold.fifo"
	for _ in $(seq 300); do
		grep -q '^ready' "$TESTTMP/hold.out" && return 0
		kill -0 "$HOLDER_PID" 2>/dev/null || break
		sleep 0.1
	done
	cat "$TESTTMP/hold.out"
	fail "stat_vms $* did not get ready"
}

# holder_stop: close its stdin; it closes every VM and exits.
holder_stop() {
	exec 7>&-
	wait "$HOLDER_PID" || fail "stat_vms failed: $(cat "$TESTTMP/hold.out")"
}

# want FILE KEY VALUE: FILE (flattened "key value" lines) has KEY = VALUE.
want() {
	local got
	got=$(awk -v k="$2" '$1 == k { print $2; n++ } END { exit n != 1 }' "$1") ||
		fail "$1: no single line for $2"
	[ "$got" = "$3" ] || fail "$1: $2 is $got, expected $3"
}
