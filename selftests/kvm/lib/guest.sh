# shellcheck shell=bash
# Helpers for KVM test scripts (sourced; see selftests/lib/run-suites.sh for
# the environment a test gets).

. "$(dirname "${BASH_SOURCE[0]}")/../../lib/wait.sh"

# Options every tender run of a test gets (net.sh sets --net-ring).
PETREL_OPTS=()

fail() {
	echo "FAIL: $*"
	exit 1
}

# run_tender WANT_STATUS ARGS...: run the tender, keep its stdout+stderr in
# $out, show it, and fail unless it exited with WANT_STATUS.
run_tender() {
	local want=$1 st
	shift
	out=$("$PETREL" "${PETREL_OPTS[@]}" "$@" 2>&1)
	st=$?
	[ -z "$out" ] || printf '%s\n' "$out" | head -n 40
	[ "$st" -eq "$want" ] || fail "exit status $st, expected $want"
}

# expect REGEX: the last run's output matches the extended REGEX.
expect() {
	grep -qE -- "$1" <<<"$out" || fail "output does not match: $1"
}

# expect_lines N: the last run printed exactly N lines.
expect_lines() {
	local n
	n=$(printf '%s' "$out" | grep -c '')
	[ "$n" -eq "$1" ] || fail "printed $n lines, expected $1"
}

# wait_output FILE REGEX [PID]: wait until FILE has a line matching the
# extended REGEX, giving up early once PID, if given, has exited. Status 0
# if the line is there. No clock of its own: a guest that never prints it
# is a hang, which the runner's timeout reports naming the wait.
wait_output() {
	local file=$1 re=$2 pid=${3:-}
	waiting_for "a line matching '$re' in ${file##*/}${pid:+ (from pid $pid)}"
	until grep -qE -- "$re" "$file" 2>/dev/null; do
		if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
			grep -qE -- "$re" "$file" 2>/dev/null
			return
		fi
		sleep 0.05
	done
	waiting_for ""
}
