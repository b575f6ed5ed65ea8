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
	waiting_for "stat_vms $* to print 'ready'"
	until grep -q '^ready' "$TESTTMP/hold.out"; do
		if ! kill -0 "$HOLDER_PID" 2>/dev/null; then
			grep -q '^ready' "$TESTTMP/hold.out" && break
			cat "$TESTTMP/hold.out"
			fail "stat_vms $* exited before it was ready"
		fi
		sleep 0.05
	done
	waiting_for ""
}

# events_joined PATTERN [WRAPPER...]: start probe VMs (stat_vms, run
# through WRAPPER, e.g. in_ns) one after another until the events listener
# writing $TESTTMP/events prints a line matching the extended PATTERN for
# one of them going away: then it has joined the multicast group and hears
# everything from now on.
events_joined() {
	local pat=$1 i=0
	shift
	waiting_for "the events listener to report a probe VM going away"
	until grep -qE "$pat" "$TESTTMP/events"; do
		i=$((i + 1))
		"$@" "$STAT_VMS" many 1 "probe$i" </dev/null >/dev/null ||
			fail "probe VM"
	done
	waiting_for ""
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

# want_lines FILE: every line of stdin is a line of FILE ("key value"
# lines, flattened as `want` reads them). One grep for many values: every
# process costs under the test VM's emulated CPU.
want_lines() {
	local missing
	missing=$(grep -Fxv -f "$1" -) && fail "$1: missing or different: $missing"
	return 0
}
