# shellcheck shell=bash
# Network fixtures for KVM tests: a network namespace per test holding the
# taps, so that everything a test creates disappears with the namespace.
# Sourced after guest.sh (fail, wait_output).

#
# NET_RING=off (the default) runs the tender with --net-ring=off: frames go
# through the NET_READ/NET_WRITE hypercalls. NET_RING=on loads petrel.ko
# and runs it with --net-ring=on: frames go through the kernel's rings, and
# stop_guest checks the guest really took them. The module is unloaded at
# the end, so nothing a test did outlives it.

NET_RING=${NET_RING:-off}
PETREL_OPTS=(--net-ring="$NET_RING")

ring_load() {
	[ -f "$PETREL_KO" ] || fail "no petrel.ko for $KVER at $PETREL_KO"
	modprobe tun || fail "modprobe tun"
	grep -q '^petrel ' /proc/modules || insmod "$PETREL_KO" ||
		fail "insmod $PETREL_KO"
	wait_until "/dev/petrel to appear after insmod" test -c /dev/petrel
}

NS=petrel-t$$
ip netns add "$NS" || fail "cannot create network namespace"
trap 'net_cleanup' EXIT
[ "$NET_RING" = on ] && ring_load

# More tenders a test started itself, stopped at exit like TENDER_PID.
EXTRA_PIDS=()

net_cleanup() {
	local st=$? p
	for p in ${TENDER_PID:-} "${EXTRA_PIDS[@]}"; do
		kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	ip netns del "$NS" 2>/dev/null
	if [ "$NET_RING" = on ] && ! rmmod petrel; then
		echo "FAIL: rmmod petrel: something still holds the module"
		exit 1
	fi
	exit $st
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

# no_ipv6: no IPv6 on the namespace's interfaces created from now on, so
# the host sends nothing (router solicitations, MLD) a test did not ask for.
no_ipv6() {
	in_ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
}

# wait_carrier TAP: wait until TAP's carrier is up, i.e. the kernel has
# processed the tender attaching (linkwatch runs deferred, and until then
# the tap's queue drops what the host sends).
carrier_up() {
	case $(in_ns ip -o link show "$1") in
	*NO-CARRIER*) return 1 ;;
	*LOWER_UP*) return 0 ;;
	esac
	return 1
}
wait_carrier() {
	wait_until "the carrier of $1 to come up" carrier_up "$1"
}

# start_guest ARGS...: run the tender in the namespace, in the background,
# and wait until the guest prints "net: ready" (or the
# extended regex GUEST_READY), or its tender exits.
start_guest() {
	# Not through in_ns: $! must be the tender (ip execs it), not a
	# subshell running a function.
	ip netns exec "$NS" "$PETREL" "${PETREL_OPTS[@]}" "$@" \
		>"$TESTTMP/guest.out" 2>&1 &
	TENDER_PID=$!
	wait_output "$TESTTMP/guest.out" "${GUEST_READY:-net: ready}" \
		"$TENDER_PID" && return 0
	cat "$TESTTMP/guest.out"
	fail "guest did not come up"
}

# on_rings: petrel.ko lists net devices for the running tender's VM; the
# tender unregisters them when the guest declines the rings.
# on_rings [KIND]: the same, for devices on that ring only: petrel (the
# default: petrel's own) or solo5 (Solo5's, which a guest that declined
# petrel's rings gets its devices on when petrel.ko serves it).
on_rings() {
	# VMs are listed in their own network namespace only.
	in_ns "$PETREL_BUILD/tools/petrel-stat" --json 2>/dev/null | python3 -c '
import json, sys
pid, kind = int(sys.argv[1]), sys.argv[2]
vms = [v for v in json.load(sys.stdin) if v["pid"] == pid]
sys.exit(0 if vms and [d for d in vms[0]["devices"] if d["ring"] == kind]
         else 1)' "$TENDER_PID" "${1:-petrel}"
}

# stop_guest: kill the tender and show what the guest printed. With
# SOLO5_RING=yes the guest (solo5ring.h) must have said it moved its
# frames on Solo5's ring, which petrel.ko then served.
stop_guest() {
	local kind=petrel
	[ "${SOLO5_RING:-no}" = yes ] && kind=solo5
	if [ "$NET_RING" = on ] && [ "${EXPECT_RINGS:-yes}" = yes ] &&
		! on_rings $kind; then
		sed 's/^/guest: /' "$TESTTMP/guest.out"
		fail "the guest is not on petrel.ko's rings ($kind)"
	fi
	if [ "${SOLO5_RING:-no}" = yes ] &&
		! grep -q '^solo5ring: Solo5 ring offered: net on the ring$' \
			"$TESTTMP/guest.out"; then
		sed 's/^/guest: /' "$TESTTMP/guest.out"
		fail "the guest is not on Solo5's ring"
	fi
	kill "$TENDER_PID" 2>/dev/null
	wait "$TENDER_PID" 2>/dev/null
	TENDER_PID=
	sed 's/^/guest: /' "$TESTTMP/guest.out"
}

# start_neighbour TAP HOST_CIDR ADDR MAC: a second VM, net.hvt on rings at
# ADDR with MAC (a static neighbour) on a new TAP, up and with carrier;
# its tender is NEIGHBOUR_PID, stopped at exit like TENDER_PID.
start_neighbour() {
	add_tap "$1" "$2"
	in_ns ip neigh replace "$3" lladdr "$4" dev "$1" nud permanent
	ip netns exec "$NS" "$PETREL" --net-ring=on --mem=16 \
		--net:service0="$1" --net-mac:service0="$4" -- \
		"$GUESTS/net.hvt" "$3" >"$TESTTMP/neighbour.out" 2>&1 &
	NEIGHBOUR_PID=$!
	EXTRA_PIDS+=("$NEIGHBOUR_PID")
	wait_output "$TESTTMP/neighbour.out" 'net: ready' "$NEIGHBOUR_PID" ||
		{ cat "$TESTTMP/neighbour.out"; fail "the neighbour did not come up"; }
	wait_carrier "$1"
}

# ICMP echo that waits for late replies (see icmp_echo.py): ping(8) would
# count a reply slowed down by a busy machine as lost.
ICMP_ECHO=$(dirname "${BASH_SOURCE[0]}")/icmp_echo.py

# ping_ok ADDR COUNT: COUNT pings, none lost.
ping_ok() {
	local r
	r=$(in_ns python3 "$ICMP_ECHO" "$1" "$2" 0.02 2>&1)
	echo "$r"
	grep -q " $2 received, 0% packet loss" <<<"$r" ||
		fail "pings to $1 lost"
}
