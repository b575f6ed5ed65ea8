# shellcheck shell=bash
# Network fixtures for KVM tests: a network namespace per test holding the
# taps, so that everything a test creates disappears with the namespace.

NS=petrel-t$$
ip netns add "$NS" || fail "cannot create network namespace"
trap 'net_cleanup' EXIT

net_cleanup() {
	[ -n "${TENDER_PID:-}" ] && kill "$TENDER_PID" 2>/dev/null && \
		wait "$TENDER_PID" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
}

in_ns() {
	ip netns exec "$NS" "$@"
}

# add_tap NAME HOST_CIDR: a tap in the namespace, up, with the host's
# address on it.
add_tap() {
	in_ns ip tuntap add "$1" mode tap || fail "cannot create tap $1"
	in_ns ip addr add "$2" dev "$1"
	in_ns ip link set "$1" up
	in_ns ip link set lo up
}

# wait_carrier TAP: wait (up to 30 s) until TAP's carrier is up, i.e. the
# kernel has processed the tender attaching (linkwatch runs deferred, and
# until then the tap's queue drops what the host sends).
wait_carrier() {
	for _ in $(seq 300); do
		case $(in_ns ip -o link show "$1") in
		*NO-CARRIER*) sleep 0.1 ;;
		*LOWER_UP*) return 0 ;;
		*) sleep 0.1 ;;
		esac
	done
	fail "$1: carrier still down"
}

# start_guest ARGS...: run the tender in the namespace, in the background,
# and wait (up to 30 s) until the guest prints "net: ready".
start_guest() {
	# Not through in_ns: a backgrounded function is a subshell, and
	# TENDER_PID must be the tender itself (ip netns exec execs it).
	ip netns exec "$NS" "$PETREL" "$@" >"$TESTTMP/guest.out" 2>&1 &
	TENDER_PID=$!
	for _ in $(seq 300); do
		grep -q 'net: ready' "$TESTTMP/guest.out" && return 0
		kill -0 "$TENDER_PID" 2>/dev/null || break
		sleep 0.1
	done
	cat "$TESTTMP/guest.out"
	fail "guest did not come up"
}

# stop_guest: kill the tender and show what the guest printed.
stop_guest() {
	kill "$TENDER_PID" 2>/dev/null
	wait "$TENDER_PID" 2>/dev/null
	TENDER_PID=
	sed 's/^/guest: /' "$TESTTMP/guest.out"
}

# ping_ok ADDR COUNT: COUNT pings, none lost.
ping_ok() {
	local r
	r=$(in_ns ping -c "$2" -i 0.02 -W 5 -q "$1" 2>&1)
	echo "$r" | tail -n 2
	grep -q " $2 received, 0% packet loss" <<<"$r" ||
		fail "pings to $1 lost"
}
