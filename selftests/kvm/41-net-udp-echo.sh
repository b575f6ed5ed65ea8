#!/bin/bash
# UDP echo: datagrams of every size from 1 to 1472 bytes (a full 1500-byte
# IP packet) come back with every byte intact.
. "$(dirname "$0")/lib/guest.sh"
. "$(dirname "$0")/lib/net.sh"
add_tap tap0 10.0.0.1/24
start_guest --mem=32 --net:service0=tap0 -- "$GUESTS/${NET_GUEST:-net}.hvt" \
	10.0.0.2
in_ns python3 - <<'PY' || fail "UDP echo"
import os, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(5)
s.bind(("10.0.0.1", 0))
pending = {}
sizes = list(range(1, 1473))
window = 16
bad = 0
while sizes or pending:
    while sizes and len(pending) < window:
        n = sizes.pop(0)
        data = os.urandom(n)
        pending[n] = data
        s.sendto(data, ("10.0.0.2", 7))
    try:
        got, addr = s.recvfrom(4096)
    except socket.timeout:
        print("timeout waiting for sizes %s" % sorted(pending)[:8])
        sys.exit(1)
    want = pending.pop(len(got), None)
    if want != got or addr != ("10.0.0.2", 7):
        bad += 1
print("echoed 1472 datagrams, %d mismatched" % bad)
sys.exit(1 if bad else 0)
PY
stop_guest
