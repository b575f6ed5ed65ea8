# shellcheck shell=bash
# Waiting in test scripts (sourced by each suite's helpers). A test waits
# for an event -- a line of output, a counter reaching a value -- never for
# a fixed time, and has no clock of its own: the runner's timeout (generous,
# see run-suites.sh) is what turns a hang into a failure, and its report
# names what the test was waiting for, as told by waiting_for.

# waiting_for WHAT: from now on the test is waiting for WHAT (a phrase:
# "the guest to print 'net: ready'"); empty when it no longer waits.
waiting_for() {
	[ -n "${TESTTMP:-}" ] || return 0
	if [ -n "$*" ]; then
		printf '%s\n' "$*" >"$TESTTMP/.waiting-for"
	else
		rm -f "$TESTTMP/.waiting-for"
	fi
}

# wait_until WHAT CMD...: run CMD until it succeeds, WHAT being what the
# test is waiting for.
wait_until() {
	local what=$1
	shift
	waiting_for "$what"
	until "$@"; do
		sleep 0.05
	done
	waiting_for ""
}
