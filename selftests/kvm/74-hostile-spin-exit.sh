#!/bin/bash
# timeout: 150
# A guest spinning without a hypercall is stopped by timeout(1)'s SIGTERM
# and by SIGKILL, while a neighbour guest keeps answering pings. A guest
# that halts in the middle of a two-way transfer (the host flooding its
# tap, the guest sending) exits with its own status; a tender killed by
# SIGKILL in the middle of a ping flood frees its tap. Either way the tap
# is immediately usable by a new guest.
. "$(dirname "$0")/lib/guest.sh"
. "$(dirname "$0")/lib/net.sh"
add_tap tap0 10.0.0.1/24
add_tap tap1 10.0.1.1/24
truncate -s 64K "$TESTTMP/disk.img"
hostile_args=(--mem=32 --net:net0=tap0 --block:disk="$TESTTMP/disk.img" -- "$GUESTS/hostile.hvt")

# The neighbour.
ip netns exec "$NS" "$PETREL" --mem=32 --net:service0=tap1 -- \
	"$GUESTS/net.hvt" 10.0.1.2 >"$TESTTMP/neighbour.out" 2>&1 &
neighbour=$!
wait_output "$TESTTMP/neighbour.out" 'net: ready' "$neighbour" || fail "the neighbour did not start"

# Spinning, stopped by SIGTERM from timeout(1): status 124.
out=$(in_ns timeout -s TERM 5 "$PETREL" "${hostile_args[@]}" spin 2>&1)
st=$?
printf 'spin, SIGTERM after 5 s: status %d: %s\n' $st "$out"
[ $st -eq 124 ] || fail "status $st, expected 124 (killed by timeout's SIGTERM)"
expect '^hostile: spinning$'

# Spinning, SIGKILL, with the neighbour pinged meanwhile.
ip netns exec "$NS" "$PETREL" "${hostile_args[@]}" spin >"$TESTTMP/spin.out" 2>&1 &
spinner=$!
wait_output "$TESTTMP/spin.out" 'hostile: spinning' "$spinner" || fail "the spinner did not start"
ping_ok 10.0.1.2 5
kill -KILL $spinner
wait $spinner 2>/dev/null
st=$?
echo "spin, SIGKILL: status $st"
[ $st -eq 137 ] || fail "status $st, expected 137 (SIGKILL)"

# Halting mid-transfer: the host floods tap0 with frames while the guest
# sends its own; it halts with status 7 after reading 200.
# (ip netns exec, not in_ns: $! must be the flooder, not a subshell.)
# It stops itself after 600 s if nothing else does.
ip netns exec "$NS" python3 - >"$TESTTMP/flood.out" <<'PY' &
import socket, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("tap0", 0))
frame = b"\xff" * 6 + b"\x02\x00\x00\x00\x00\x01" + b"\x88\xb5" + b"\xa5" * 1000
print("flooding", flush=True)
end = time.time() + 600
while time.time() < end:
    try:
        s.send(frame)
    except OSError:
        time.sleep(0.001)
PY
flood=$!
wait_output "$TESTTMP/flood.out" '^flooding$' "$flood" || fail "the flooder did not start"
out=$(in_ns timeout 120 "$PETREL" "${hostile_args[@]}" exit-mid-transfer 200 2>&1)
st=$?
printf 'exit-mid-transfer: status %d: %s\n' $st "$out"
[ $st -eq 7 ] || fail "status $st, expected 7 (the guest's HALT)"
expect '^hostile: transferring$'
rx=$(in_ns cat /sys/class/net/tap0/statistics/rx_packets)
echo "frames the guest sent before halting: $rx"
[ "$rx" -gt 0 ] || fail "no frame from the guest reached tap0"
# A new guest takes the tap at once and answers (the flood stopped first:
# a tap whose queue overflows drops frames, pings included; a static
# neighbour entry, as the MAC is fixed, keeps ARP out of it).
kill $flood
wait $flood 2>/dev/null
in_ns ip neigh replace 10.0.0.2 lladdr 02:00:00:00:00:02 dev tap0 nud permanent
start_guest --mem=32 --net:service0=tap0 --net-mac:service0=02:00:00:00:00:02 -- \
	"$GUESTS/net.hvt" 10.0.0.2
ping_ok 10.0.0.2 3

# SIGKILL in the middle of a ping flood; the tap is free again (same MAC
# for both guests, so the host's neighbour entry stays right).
ip netns exec "$NS" ping -f -c 100000 -W 1 10.0.0.2 >/dev/null 2>&1 &
pinger=$!
# rx_over MIN: tap0 got more than MIN frames from the guest.
rx_over() {
	[ "$(in_ns cat /sys/class/net/tap0/statistics/rx_packets)" -gt "$1" ]
}
tap_rx0=$(in_ns cat /sys/class/net/tap0/statistics/rx_packets)
wait_until "the guest to answer 10 flood pings" rx_over $((tap_rx0 + 10))
kill -KILL "$TENDER_PID"
wait "$TENDER_PID" 2>/dev/null
st=$?
TENDER_PID=
[ $st -eq 137 ] || fail "status $st after SIGKILL, expected 137"
kill $pinger 2>/dev/null
wait $pinger 2>/dev/null
start_guest --mem=32 --net:service0=tap0 --net-mac:service0=02:00:00:00:00:02 -- \
	"$GUESTS/net.hvt" 10.0.0.2
ping_ok 10.0.0.2 3
stop_guest
ping_ok 10.0.1.2 3
kill $neighbour
wait $neighbour 2>/dev/null
exit 0
