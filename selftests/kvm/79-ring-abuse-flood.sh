#!/bin/bash
# timeout: 300
# Two ring abuses with a neighbour VM on rings answering pings throughout:
#   flood     a unikernel rings its doorbell without pause for 5 seconds,
#             never yielding, posting a frame every 1024 rings; petrel.ko
#             sends exactly the frames posted, counts no more doorbells
#             than were rung, and the tender is then killed with SIGKILL;
#   exit-mid  a unikernel posts full-size frames and rings without pause
#             while the host floods it, then halts (status 7) with frames
#             in flight; the tender exits 7 and the tap serves the next VM.
# Afterwards only the neighbour's VM is left, and after it none.
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
m() { awk -v k="$1" '$1 == k {print $2}' "$TESTTMP/mod"; }
g() { sed -n "s/^$1 //p" "$TESTTMP/guest.out"; }
tap_rx() { in_ns cat /sys/class/net/tap0/statistics/rx_packets; }

# ---- doorbell flood ----
rx0=$(tap_rx)
GUEST_READY='ringabuse: (done|FAILED)' start_guest --mem=32 \
	--net:service0=tap0 --net-mac:service0=$mac -- \
	"$GUESTS/ringabuse.hvt" "flood 5" &
starter=$!
# Pings while the flood runs (start_guest returns only after it): from its
# first doorbell on.
flooding() {
	local p n
	p=$(pgrep -f -n "ringabuse.hvt flood") || return 1
	n=$(in_ns "$XFER" stats "$p" 2>/dev/null | awk '$1 == "doorbells" {print $2}')
	[ "${n:-0}" -gt 0 ]
}
wait_until "the flooding guest's first doorbell" flooding
in_ns python3 "$ICMP_ECHO" 10.0.1.2 20 0.25 >"$TESTTMP/ping" 2>&1
wait $starter || fail "the flooding guest did not finish"
TENDER_PID=$(pgrep -f -n "ringabuse.hvt flood")
grep -E 'FAIL|ok:|flood|expect' "$TESTTMP/guest.out"
grep 'received' "$TESTTMP/ping"
grep -q 'ringabuse: done' "$TESTTMP/guest.out" || fail "flood: the guest's checks failed"
grep -q ' 20 received, 0% packet loss' "$TESTTMP/ping" || fail "the neighbour lost pings during the flood"
in_ns "$XFER" stats "$TENDER_PID" >"$TESTTMP/mod"
grep -E '^(tx_packets|doorbells|worker_runs|ring_errors|tx_drop_[a-z_]*) ' "$TESTTMP/mod" | tr '\n' ' '
echo
[ "$(m tx_packets)" = "$(g 'expect tx_packets')" ] ||
	fail "flood: tx_packets $(m tx_packets), the guest posted $(g 'expect tx_packets')"
[ $(($(tap_rx) - rx0)) = "$(m tx_packets)" ] ||
	fail "flood: the tap got $(($(tap_rx) - rx0)) frames, petrel.ko sent $(m tx_packets)"
[ "$(m doorbells)" -ge 1 ] && [ "$(m doorbells)" -le "$(g 'flood: doorbells')" ] ||
	fail "flood: petrel.ko counted $(m doorbells) doorbells for $(g 'flood: doorbells') rung"
for k in tx_drop_bad_desc tx_drop_too_big tx_drop_too_small tx_drop_tap ring_errors; do
	[ "$(m $k)" = 0 ] || fail "flood: $k = $(m $k)"
done
echo "flood: $(g 'flood: doorbells') doorbells rung, $(m doorbells) counted, $(m worker_runs) worker runs, $(m tx_packets) frames = posted = on the tap"
kill -0 "$TENDER_PID" || fail "flood: the tender died"
kill -KILL "$TENDER_PID"
gone() { ! kill -0 "$1" 2>/dev/null; }
wait_until "the flooding tender to end after SIGKILL" gone "$TENDER_PID"
TENDER_PID=
[ "$(in_ns "$XFER" count)" = 1 ] || fail "after SIGKILL petrel.ko has $(in_ns "$XFER" count) VMs, expected the neighbour's 1"
echo "flood: SIGKILLed; petrel.ko has only the neighbour's VM"

# ---- exit mid-transfer ----
in_ns python3 "$FRAMES" fill tap0 4 /dev/null - >/dev/null &
filler=$!
ip netns exec "$NS" "$PETREL" --net-ring=on --mem=32 --net:service0=tap0 \
	--net-mac:service0=$mac -- "$GUESTS/ringabuse.hvt" exit-mid \
	>"$TESTTMP/exit.out" 2>&1
st=$?
wait $filler
sed 's/^/guest: /' "$TESTTMP/exit.out"
[ $st = 7 ] || fail "exit-mid: tender status $st, expected 7"
grep -q 'exiting with frames in flight' "$TESTTMP/exit.out" || fail "exit-mid: the guest did not get to send"
[ "$(in_ns "$XFER" count)" = 1 ] || fail "exit-mid: petrel.ko has $(in_ns "$XFER" count) VMs, expected the neighbour's 1"
GUEST_READY='net: ready' start_guest --mem=16 --net:service0=tap0 \
	--net-mac:service0=$mac -- "$GUESTS/net.hvt" 10.0.0.2
in_ns ip neigh replace 10.0.0.2 lladdr $mac dev tap0 nud permanent
wait_carrier tap0
ping_ok 10.0.0.2 5
stop_guest >/dev/null
echo "exit-mid: status 7; the tap served the next VM on rings"

in_ns python3 "$ICMP_ECHO" 10.0.1.2 3 0.2 >/dev/null || fail "the neighbour stopped answering"
kill "$nb"
wait "$nb" 2>/dev/null
EXTRA_PIDS=()
[ "$(in_ns "$XFER" count)" = 0 ] || fail "petrel.ko still has a VM"
echo "the neighbour answered throughout; petrel.ko has no VM"
