#!/bin/bash
# timeout: 600
# A bulk transfer each way through petrel.ko's rings: the guest sends N
# frames as fast as it can, then the host sends it N frames paced to what
# it can take (never more than 256 ahead of petrel.ko's delivery count).
# Nothing is lost, and the counters of the guest, of petrel.ko (netlink)
# and of the tap (ip -s link) agree exactly.
# N is PETREL_XFER_FRAMES, default 50000: the tender starts the ring
# indices 4096 short of the u32 wrap (NET_RING_START), so this crosses the
# index overflow on both rings and every slot wrap nearly 200 times. The
# endurance run, 1,000,000 frames each way, is make check-long's:
#   selftests/vm.sh --kernel all --test 60-ring-xfer \
#       --env PETREL_XFER_FRAMES=1000000 --env PETREL_TEST_TIMEOUT=3600
. "$(dirname "$0")/lib/guest.sh"
NET_RING=on
. "$(dirname "$0")/lib/net.sh"
N=${PETREL_XFER_FRAMES:-50000}
XFER=$PETREL_BUILD/kmod-tests/ring_xfer
[ -x "$XFER" ] || fail "missing $XFER (make kmod-tests)"
add_tap tap0 10.0.0.1/24
in_ns sysctl -qw net.ipv6.conf.tap0.disable_ipv6=1

# tap_stat rx|tx packets|bytes, from ip -s link.
tap_stat() {
	in_ns ip -s -j link show tap0 | python3 -c \
		"import json,sys; print(json.load(sys.stdin)[0]['stats64']['$1']['$2'])"
}
# worker_runs: petrel.ko's worker runs so far for the guest's device.
worker_runs() {
	in_ns "$XFER" stats "$TENDER_PID" | awk '$1 == "worker_runs" {print $2}'
}
# wait_line REGEX: the guest printed a matching line (fails if the tender
# exits first; a transfer that stalls is a hang for the runner's timeout).
wait_line() {
	wait_output "$TESTTMP/guest.out" "$1" "$TENDER_PID" && return 0
	cat "$TESTTMP/guest.out"
	fail "the tender exited before the guest printed a line matching '$1'"
}

tap_rx0=$(tap_stat rx packets) tap_tx0=$(tap_stat tx packets)
t0=$(date +%s.%N)
start_guest --mem=32 --net:service0=tap0 -- "$GUESTS/${XFER_GUEST:-xfer}.hvt" "$N"
wait_line "^xfer: sent $N\$"
t1=$(date +%s.%N)
w1=$(worker_runs)
in_ns "$XFER" send tap0 "$N" "$TENDER_PID" 256 || fail "host send"
wait_line "^xfer: received .* test $N,"
t2=$(date +%s.%N)
# Every counter is final: the guest saw the last frame after petrel.ko
# counted it and the tap counted it out.
in_ns "$XFER" stats "$TENDER_PID" | tee "$TESTTMP/mod"
line=$(grep '^xfer: received' "$TESTTMP/guest.out" | tail -n 1)
echo "guest: $line"
read -r g_rx g_rxb g_test g_bad g_other < <(sed -E \
	's/^xfer: received ([0-9]+) frames ([0-9]+) bytes, test ([0-9]+), out of sequence ([0-9]+), other ([0-9]+)$/\1 \2 \3 \4 \5/' <<<"$line")
m() { awk -v k="$1" '$1 == k {print $2}' "$TESTTMP/mod"; }
tap_rx=$(($(tap_stat rx packets) - tap_rx0))
tap_tx=$(($(tap_stat tx packets) - tap_tx0))
echo "guest->host: guest sent $N, petrel.ko tx $(m tx_packets), tap rx $tap_rx"
echo "host->guest: host sent $N, tap tx $tap_tx, petrel.ko rx $(m rx_packets), guest received $g_rx ($g_test test, $g_other other, $g_bad out of sequence)"
w2=$(m worker_runs)
echo "host->guest: petrel.ko's worker ran $((w2 - w1)) times for $N frames"
awk -v a="$t0" -v b="$t1" -v c="$t2" -v n="$N" 'BEGIN {
	printf "rates under this VM: guest->host %.0f frames/s (with boot), host->guest %.0f frames/s\n", n / (b - a), n / (c - b) }'
[ "$(m tx_packets)" = "$N" ] || fail "petrel.ko sent $(m tx_packets) frames, guest $N"
[ "$(m tx_bytes)" = $((N * 60)) ] || fail "petrel.ko sent $(m tx_bytes) bytes"
[ "$tap_rx" = "$N" ] || fail "tap received $tap_rx frames, guest sent $N"
if [ "$g_test" != "$N" ] || [ "$g_bad" != 0 ]; then
	fail "guest got $g_test test frames, $g_bad out of sequence"
fi
[ "$(m rx_packets)" = "$g_rx" ] || fail "petrel.ko delivered $(m rx_packets), guest received $g_rx"
[ "$(m rx_bytes)" = "$g_rxb" ] || fail "petrel.ko delivered $(m rx_bytes) bytes, guest $g_rxb"
[ "$tap_tx" = "$g_rx" ] || fail "tap sent $tap_tx, guest received $g_rx"
for k in tx_drop_bad_desc tx_drop_too_big tx_drop_too_small tx_drop_tap \
	rx_drop_bad_desc rx_drop_too_big rx_drop_no_buffer ring_errors; do
	[ "$(m $k)" = 0 ] || fail "petrel.ko $k = $(m $k)"
done
stop_guest >/dev/null
