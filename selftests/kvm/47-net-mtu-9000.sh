#!/bin/bash
# timeout: 120
# The MTU the guest is told is the tap's (as solo5-hvt does): with tap0 at
# MTU 9000 the guest sees 9000, sends a 9014-byte frame that the host's
# tap receives whole (one frame, 9014 bytes), is refused one byte more,
# and receives intact a 9014-byte frame the host sends. On the hypercall
# path here; 54-ring-mtu-9000 runs it on petrel.ko's rings.
. "$(dirname "$0")/lib/guest.sh"
. "$(dirname "$0")/lib/net.sh"
add_tap tap0 10.0.0.1/24
in_ns sysctl -qw net.ipv6.conf.tap0.disable_ipv6=1
in_ns ip link set tap0 mtu 9000 || fail "cannot set tap0's MTU to 9000"
before=$(in_ns cat /sys/class/net/tap0/statistics/rx_packets)
bytes0=$(in_ns cat /sys/class/net/tap0/statistics/rx_bytes)
GUEST_READY='jumbo: sent' start_guest --mem=32 --net:service0=tap0 -- "$GUESTS/jumbo.hvt"
wait_carrier tap0
if [ "$NET_RING" = on ] && ! on_rings; then
	fail "the guest is not on petrel.ko's rings"
fi
# The host's frame: broadcast, ethertype 0x88b6, byte i = i * 7 & 0xff.
in_ns python3 -c '
import socket
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("tap0", 0))
f = b"\xff" * 6 + bytes.fromhex("020000000001") + b"\x88\xb6"
f += bytes((i * 7) & 0xff for i in range(14, 9014))
assert len(f) == 9014
n = s.send(f)
assert n == 9014, n
' || fail "the host could not send a 9014-byte frame"
wait_output "$TESTTMP/guest.out" 'jumbo: (PASSED|FAILED)' "$TENDER_PID" 40
wait "$TENDER_PID"
st=$?
TENDER_PID=
out=$(cat "$TESTTMP/guest.out")
echo "$out"
[ $st -eq 0 ] || fail "exit status $st"
expect '^jumbo: MTU is 9000$'
expect '^jumbo: received 9014-byte frame$'
expect '^jumbo: PASSED$'
after=$(in_ns cat /sys/class/net/tap0/statistics/rx_packets)
bytes=$(in_ns cat /sys/class/net/tap0/statistics/rx_bytes)
echo "tap received $((after - before)) frames, $((bytes - bytes0)) bytes"
[ $((after - before)) -eq 1 ] || fail "tap received $((after - before)) frames, expected 1"
[ $((bytes - bytes0)) -eq 9014 ] || fail "tap received $((bytes - bytes0)) bytes, expected 9014"
