#!/bin/bash
# petrel's mtu.hvt on solo5-hvt: a frame of MTU + 14 bytes goes out; one byte
# more, a bad handle and a buffer outside RAM are refused with EINVAL by the
# guest's bindings (solo5-hvt checks none of them); the tap sees exactly
# the two good frames.
# timeout: 120
. "$(dirname "$0")/lib/solo5.sh"
on_solo5_hvt_net
add_tap tap0 10.0.0.1/24
in_ns sysctl -qw net.ipv6.conf.tap0.disable_ipv6=1
before=$(in_ns cat /sys/class/net/tap0/statistics/rx_packets)
out=$(in_ns "$PETREL" --mem=32 --net:service0=tap0 -- "$GUESTS/mtu.hvt" 2>&1)
st=$?
echo "$out"
[ $st -eq 0 ] || fail "exit status $st"
expect "^mtu: PASSED$"
after=$(in_ns cat /sys/class/net/tap0/statistics/rx_packets)
bytes=$(in_ns cat /sys/class/net/tap0/statistics/rx_bytes)
echo "tap received $((after - before)) frames, $bytes bytes"
[ $((after - before)) -eq 2 ] || fail "tap received $((after - before)) frames, expected 2"
[ "$bytes" -eq $((1514 + 60)) ] || fail "tap received $bytes bytes, expected 1574"
