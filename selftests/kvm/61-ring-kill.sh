#!/bin/bash
# The tender killed (SIGKILL) in the middle of a transfer through the rings
# leaves nothing behind: no VM in petrel.ko's netlink dump, the module
# unloads (nothing holds it or its pinned pages), and the tap serves a new
# guest at once.
. "$(dirname "$0")/lib/guest.sh"
NET_RING=on
. "$(dirname "$0")/lib/net.sh"
XFER=$PETREL_BUILD/kmod-tests/ring_xfer
add_tap tap0 10.0.0.1/24
start_guest --mem=32 --net:service0=tap0 -- "$GUESTS/xfer.hvt" 100000000
# mod_more NAME MIN: petrel.ko's counter NAME for the guest is over MIN.
mod_more() {
	n=$(in_ns "$XFER" stats "$TENDER_PID" | awk -v k="$1" '$1 == k {print $2}')
	[ "${n:-0}" -gt "$2" ]
}
wait_until "the guest to send 1000 frames through petrel.ko" mod_more tx_packets 1000
# Frames towards the guest in flight too.
in_ns "$XFER" send tap0 1000000 "$TENDER_PID" 256 >/dev/null 2>&1 &
sender=$!
# (The guest reads nothing while it sends: petrel.ko fills its posted RX
# buffers and the rest waits in the tap.)
wait_until "petrel.ko to deliver the host's first frames" mod_more rx_packets 0
mod_more tx_packets 0
echo "killing the tender after $n frames"
kill -KILL "$TENDER_PID"
wait "$TENDER_PID" 2>/dev/null
TENDER_PID=
kill "$sender" 2>/dev/null; wait "$sender" 2>/dev/null
vms=$(in_ns "$XFER" count)
[ "$vms" = 0 ] || fail "$vms VMs left in petrel.ko"
rmmod petrel || fail "petrel.ko still in use after the kill"
ring_load
start_guest --mem=32 --net:service0=tap0 -- "$GUESTS/net.hvt" 10.0.0.2
ping_ok 10.0.0.2 10
stop_guest
