#!/bin/bash
# timeout: 600
# A unikernel rewrites its ring descriptors field by field and moves its
# producers (sane, past ring_size, wild) in one loop for 8 seconds (on a
# loaded machine longer, until petrel.ko has consumed enough), while
# petrel.ko consumes them and the host floods frames in; a second VM on
# rings answers pings all along. Afterwards:
#   - every descriptor the kernel consumed is in exactly one counter:
#     TX: packets + every TX drop = the guest's TX consumer delta,
#     RX: packets + refused buffers = the RX consumer delta;
#   - the tap got exactly tx_packets frames, and every one the host
#     captured holds only 0xa5 bytes, the only byte in the buffer area
#     (and in the host's frames): nothing came from outside the area (the
#     capture sees those the host's backlog did not drop: most of them);
#   - the guest finds the ring padding and the gap before the area as it
#     wrote them, and the area holding only 0xa5;
#   - the rings still work (a last good frame), the neighbour lost no
#     ping, both tenders live, and after SIGKILL no VM is left.
. "$(dirname "$0")/lib/guest.sh"
NET_RING=on
. "$(dirname "$0")/lib/net.sh"
XFER=$PETREL_BUILD/kmod-tests/ring_xfer
FRAMES=$(dirname "$0")/lib/tapframes.py
mac=02:00:00:00:00:02
mac1=02:00:00:00:01:02

no_ipv6
add_tap tap0 10.0.0.1/24
start_neighbour tap1 10.0.1.1/24 10.0.1.2 $mac1
nb=$NEIGHBOUR_PID

tap_rx() { in_ns cat /sys/class/net/tap0/statistics/rx_packets; }
rx0=$(tap_rx)
GUEST_READY='rewrite: start' start_guest --mem=32 --net:service0=tap0 \
	--net-mac:service0=$mac -- "$GUESTS/ringabuse.hvt" "rewrite 8"
in_ns python3 "$ICMP_ECHO" 10.0.1.2 30 0.25 >"$TESTTMP/ping" 2>&1 &
pinger=$!
in_ns python3 "$FRAMES" fill tap0 300 "$TESTTMP/guest.out" "ringabuse: " \
	>"$TESTTMP/cap" || fail "tapframes.py fill"
wait $pinger
grep -E 'received|FAIL|ok:|rewrite|consumed' "$TESTTMP/guest.out" "$TESTTMP/ping" |
	sed 's/^[^:]*://'
grep -q ' 30 received, 0% packet loss' "$TESTTMP/ping" || fail "the neighbour lost pings"
grep -q 'ringabuse: done' "$TESTTMP/guest.out" || fail "the guest's checks failed"
kill -0 "$TENDER_PID" || fail "the abusing tender died"
kill -0 "$nb" || fail "the neighbour's tender died"

in_ns "$XFER" stats "$TENDER_PID" >"$TESTTMP/mod"
m() { awk -v k="$1" '$1 == k {print $2}' "$TESTTMP/mod"; }
c() { awk -v k="$1" '$1 == k {print $2}' "$TESTTMP/cap"; }
g() { sed -n "s/^$1 //p" "$TESTTMP/guest.out"; }
grep -E '^(tx_|rx_|ring_|doorbells|wakeups|worker_runs)' "$TESTTMP/mod" | tr '\n' ' '
echo
sed 's/^/host: /' "$TESTTMP/cap" | tr '\n' ' '
echo
tx_sum=$(($(m tx_packets) + $(m tx_drop_bad_desc) + $(m tx_drop_too_big) +
	$(m tx_drop_too_small) + $(m tx_drop_tap)))
# A buffer below an Ethernet header is handed back too (rx_drop_small_buf);
# a tap read error (rx_drop_tap) leaves its buffer posted.
rx_sum=$(($(m rx_packets) + $(m rx_drop_bad_desc) + $(m rx_drop_small_buf)))
[ "$tx_sum" = "$(g 'tx consumed')" ] ||
	fail "TX: counters add up to $tx_sum, the kernel consumed $(g 'tx consumed')"
[ "$rx_sum" = "$(g 'rx consumed')" ] ||
	fail "RX: counters add up to $rx_sum, the kernel consumed $(g 'rx consumed')"
echo "every consumed descriptor counted once: TX $tx_sum, RX $rx_sum"
[ "$(m ring_errors)" -ge 1 ] || fail "no ring error: the loop never broke an index"
for k in tx_drop_bad_desc tx_drop_too_big tx_drop_too_small rx_drop_bad_desc \
	rx_drop_too_big; do
	[ "$(m $k)" -ge 1 ] || fail "$k = 0: the loop missed a kind of abuse"
done
[ "$(m tx_packets)" -ge 1 ] && [ "$(m rx_packets)" -ge 1 ] ||
	fail "no good frame moved: the loop did not exercise the data path"
[ "$(c foreign)" = 0 ] || fail "$(c foreign) frames on the tap held bytes from outside the area"
[ "$(c captured)" -ge 1 ] || fail "the host captured no frame"
[ $(($(tap_rx) - rx0)) = "$(m tx_packets)" ] ||
	fail "the tap got $(($(tap_rx) - rx0)) frames, petrel.ko sent $(m tx_packets)"
echo "the tap got $(m tx_packets) frames = tx_packets; all $(c captured) captured hold only 0xa5"

kill -KILL "$TENDER_PID"
{ wait "$TENDER_PID"; } 2>/dev/null
TENDER_PID=
[ "$(in_ns "$XFER" count)" = 1 ] || fail "after SIGKILL petrel.ko has $(in_ns "$XFER" count) VMs, expected the neighbour's 1"
kill "$nb"
wait "$nb" 2>/dev/null
EXTRA_PIDS=()
[ "$(in_ns "$XFER" count)" = 0 ] || fail "petrel.ko still has a VM"
echo "after SIGKILL and the neighbour's exit, petrel.ko has no VM"
