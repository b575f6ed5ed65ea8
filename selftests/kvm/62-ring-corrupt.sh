#!/bin/bash
# A guest that corrupts the rings of one device is contained: petrel.ko
# counts the bad descriptors and the ring errors on that device, the tender
# keeps running, and the guest's other device still echoes every datagram
# byte for byte with clean counters.
. "$(dirname "$0")/lib/guest.sh"
NET_RING=on
. "$(dirname "$0")/lib/net.sh"
XFER=$PETREL_BUILD/kmod-tests/ring_xfer
mac1=02:00:5e:00:02:02
add_tap tap0 10.0.0.1/24
add_tap tap1 10.0.1.1/24
in_ns ip neigh replace 10.0.1.2 lladdr $mac1 dev tap1 nud permanent
start_guest --mem=32 --net:service0=tap0 --net:service1=tap1 \
	--net-mac:service1=$mac1 -- "$GUESTS/corrupt.hvt"
grep -q 'corrupt: done' "$TESTTMP/guest.out" || fail "the guest did not corrupt its rings"
# Frames for the broken device: they must not reach the guest or hurt.
in_ns ping -c 3 -i 0.1 -W 1 -q 10.0.0.2 >/dev/null 2>&1
in_ns python3 - <<'PY' || fail "UDP echo on the healthy device"
import os, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(10)
s.bind(("10.0.1.1", 0))
for n in range(1, 201):
    d = os.urandom(n * 7)
    s.sendto(d, ("10.0.1.2", 7))
    got, addr = s.recvfrom(4096)
    if got != d or addr != ("10.0.1.2", 7):
        print("bad echo of %d bytes" % len(d))
        sys.exit(1)
print("200 datagrams echoed on service1, every byte checked")
PY
kill -0 "$TENDER_PID" || fail "the tender died"
in_ns "$XFER" stats "$TENDER_PID" | tee "$TESTTMP/mod" |
	grep -E '^(dev1\.)?(tx_packets|rx_packets|tx_drop_bad_desc|ring_errors|rx_drop_bad_desc) '
m() { awk -v k="$1" '$1 == k {print $2}' "$TESTTMP/mod"; }
[ "$(m tx_drop_bad_desc)" = 10 ] || fail "service0: tx_drop_bad_desc $(m tx_drop_bad_desc), expected 10"
[ "$(m ring_errors)" -ge 1 ] || fail "service0: no ring error counted"
[ "$(m tx_packets)" = 0 ] || fail "service0 sent $(m tx_packets) frames"
[ "$(m dev1.tx_packets)" = 200 ] || fail "service1 sent $(m dev1.tx_packets), expected 200"
[ "$(m dev1.rx_packets)" -ge 200 ] || fail "service1 received $(m dev1.rx_packets)"
for k in tx_drop_bad_desc tx_drop_too_big tx_drop_too_small tx_drop_tap \
	rx_drop_bad_desc rx_drop_too_big ring_errors; do
	[ "$(m dev1.$k)" = 0 ] || fail "service1: $k = $(m dev1.$k)"
done
stop_guest
