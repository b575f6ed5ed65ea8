#!/bin/bash
# Solo5's ring ABI, as a Solo5 0.11+ image sees it on petrel (solo5ring.hvt
# speaks that protocol, from the ABI facts): with petrel.ko loaded, the
# boot info offers HVT_FEATURE_RING_IO (bit 0) with net_ring the GPA of a
# struct hvt_ring just above --mem (after the page announcing petrel's own
# rings, bit 31), the guest moves its frames on it and petrel.ko serves
# them (its counters move, the tender's net hypercall counters do not).
# Without the module, with --net-ring=off, or with a tap whose frames do
# not fit a ring entry (MTU 9000: Solo5 would send those by hypercall),
# bit 0 stays clear and net_ring 0, and the guest passes its traffic on the
# hypercalls.
# timeout: 240
. "$(dirname "$0")/lib/guest.sh"
. "$(dirname "$0")/lib/net.sh"
add_tap tap0 10.0.0.1/24
XFER=$PETREL_BUILD/kmod-tests/ring_xfer

# run_solo5ring MODE PATH: pings under --net-ring=MODE, on PATH ("the ring"
# or "hypercalls").
run_solo5ring() {
	PETREL_OPTS=(--net-ring="$1")
	start_guest --mem=32 --net:service0=tap0 -- "$GUESTS/solo5ring.hvt" \
		10.0.0.2
	ping_ok 10.0.0.2 10
	if [ "$2" = "the ring" ]; then
		in_ns "$XFER" stats "$TENDER_PID" >"$TESTTMP/mod" ||
			fail "no petrel.ko counters for the tender"
		rx=$(awk '$1 == "rx_packets" {print $2}' "$TESTTMP/mod")
		tx=$(awk '$1 == "tx_packets" {print $2}' "$TESTTMP/mod")
		[ "${rx:-0}" -ge 10 ] && [ "${tx:-0}" -ge 10 ] ||
			fail "petrel.ko moved rx $rx tx $tx frames, expected >= 10 each"
		echo "petrel.ko served Solo5's ring: rx $rx, tx $tx frames"
	fi
	EXPECT_RINGS=no stop_guest
	out=$(cat "$TESTTMP/guest.out")
	if [ "$2" = "the ring" ]; then
		expect '^solo5ring: Solo5 ring offered: net on the ring$'
	else
		expect '^solo5ring: no Solo5 ring offered: net on hypercalls$'
	fi
}

grep -q '^petrel ' /proc/modules && rmmod petrel
run_solo5ring auto hypercalls
expect '^solo5ring: host_features 0 net_ring 0$'

NET_RING=on
ring_load
# 32 MiB of RAM, petrel's announcement page, then Solo5's ring.
gpa=$((32 * 1024 * 1024 + 4096))
run_solo5ring on "the ring"
expect "^solo5ring: host_features 2147483649 net_ring $gpa\$"
run_solo5ring auto "the ring"
expect "^solo5ring: host_features 2147483649 net_ring $gpa\$"
run_solo5ring off hypercalls
expect '^solo5ring: host_features 0 net_ring 0$'

in_ns ip link set tap0 mtu 9000
run_solo5ring auto hypercalls
# petrel's own rings only, on bit 31 (2147483648).
expect '^solo5ring: host_features 2147483648 net_ring 0$'
