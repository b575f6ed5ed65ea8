#!/bin/bash
# No ring ABI clash: a guest that speaks Solo5's ring protocol (bit 0 of
# host_features, struct hvt_ring at net_ring) is never offered a ring by
# petrel, whose own rings use bit 31 and another layout: it sees bit 0
# clear and net_ring 0, goes to the hypercalls and passes traffic, with
# petrel.ko loaded and the rings offered (the tender withdraws them when
# the guest does not take them), and without the module.
# timeout: 180
. "$(dirname "$0")/lib/guest.sh"
. "$(dirname "$0")/lib/net.sh"
add_tap tap0 10.0.0.1/24

# run_solo5ring MODE: serve pings on the hypercalls under --net-ring=MODE.
run_solo5ring() {
	PETREL_OPTS=(--net-ring="$1")
	start_guest --mem=32 --net:service0=tap0 -- "$GUESTS/solo5ring.hvt" \
		10.0.0.2
	ping_ok 10.0.0.2 10
	if [ "$NET_RING" = on ] && on_rings; then
		fail "the tender kept its rings for a guest that cannot take them"
	fi
	stop_guest
	out=$(cat "$TESTTMP/guest.out")
	expect '^solo5ring: no Solo5 ring offered: net on hypercalls$'
	grep -q 'Solo5 ring offered: net on the ring' <<<"$out" &&
		fail "the guest was handed a ring as Solo5's"
	return 0
}

grep -q '^petrel ' /proc/modules && rmmod petrel
run_solo5ring auto
expect '^solo5ring: host_features 0 net_ring 0$'

NET_RING=on EXPECT_RINGS=no
ring_load
run_solo5ring on
# petrel's own rings were offered, on bit 31 (2147483648) only.
expect '^solo5ring: host_features 2147483648 net_ring 0$'
run_solo5ring auto
expect '^solo5ring: host_features 2147483648 net_ring 0$'
