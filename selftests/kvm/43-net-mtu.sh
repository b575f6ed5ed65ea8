#!/bin/bash
# A frame of MTU + 14 bytes goes out; one byte more is refused with EINVAL
# (checked in the guest) and never reaches the tap: the host sees exactly
# the two good frames.
. "$(dirname "$0")/lib/guest.sh"
. "$(dirname "$0")/lib/net.sh"
add_tap tap0 10.0.0.1/24
in_ns sysctl -qw net.ipv6.conf.tap0.disable_ipv6=1
before=$(in_ns cat /sys/class/net/tap0/statistics/rx_packets)
out=$(in_ns "$PETREL" "${PETREL_OPTS[@]}" --mem=32 --net:service0=tap0 -- "$GUESTS/mtu.hvt" 2>&1)
st=$?
echo "$out"
[ $st -eq 0 ] || fail "exit status $st"
expect '^mtu: PASSED$'
after=$(in_ns cat /sys/class/net/tap0/statistics/rx_packets)
bytes=$(in_ns cat /sys/class/net/tap0/statistics/rx_bytes)
echo "tap received $((after - before)) frames, $bytes bytes"
[ $((after - before)) -eq 2 ] || fail "tap received $((after - before)) frames, expected 2"
[ "$bytes" -eq $((1514 + 60)) ] || fail "tap received $bytes bytes, expected 1574"
