#!/bin/bash
# The no-lost-wakeup protocol (tender/hc_poll.c), under stress: the guest
# sleeps with no deadline between datagrams ("forever"), so each of the
# 4000 lock-step UDP echoes (and 100 bursts of 16) needs the kernel to wake
# the tender, which wakes the guest; a lost wakeup hangs the echo and the
# host gives up after 10 s (failure detection, not a timing requirement).
# Every byte is checked, and petrel.ko must have sent wake signals.
. "$(dirname "$0")/lib/guest.sh"
NET_RING=on
. "$(dirname "$0")/lib/net.sh"
add_tap tap0 10.0.0.1/24
start_guest --mem=32 --net:service0=tap0 -- "$GUESTS/net.hvt" 10.0.0.2 forever
in_ns python3 - <<'PY' || fail "UDP echo stress"
import os, random, socket, sys
random.seed(5)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(10)
s.bind(("10.0.0.1", 0))
def echo(batch):
    sent = [os.urandom(random.randint(1, 1472)) for _ in range(batch)]
    for d in sent:
        s.sendto(d, ("10.0.0.2", 7))
    got = []
    for _ in sent:
        try:
            got.append(s.recvfrom(2048)[0])
        except socket.timeout:
            print("no echo: lost wakeup after %d of %d" % (len(got), batch))
            sys.exit(1)
    if sorted(got) != sorted(sent):
        print("echoed bytes differ")
        sys.exit(1)
for i in range(4000):
    echo(1)
    if i % 40 == 0:
        echo(16)
print("4000 lock-step echoes and 100 bursts of 16, every byte checked")
PY
in_ns "$PETREL_BUILD/kmod-tests/ring_xfer" stats "$TENDER_PID" >"$TESTTMP/mod"
grep -E '^(rx_packets|tx_packets|wakeups|doorbells|tender_exits) ' "$TESTTMP/mod"
w=$(awk '$1 == "wakeups" {print $2}' "$TESTTMP/mod")
[ "${w:-0}" -gt 0 ] || fail "petrel.ko never woke the tender"
stop_guest
