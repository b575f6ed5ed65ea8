#!/bin/bash
# The host tool's fixed-rate sender: 50 frames at 500 a second from the
# tap's host end, all counted at the tap fd.
. "$(dirname "$0")/lib/smoke.sh"
tool=$PETREL_BUILD/bench/petrel-bench-host
ns=petrel-b$$
trap 'ip netns del $ns 2>/dev/null' EXIT
ip netns add $ns || fail "cannot create a network namespace"
ip netns exec $ns ip tuntap add tap0 mode tap || fail "cannot create tap0"
ip netns exec $ns ip link set tap0 up
ip netns exec $ns "$tool" sink --tap tap0 --count 50 --wait-ms 20000 >"$TESTTMP/sink" &
# The sink has attached once the tap has a carrier.
attached() { ip netns exec $ns ip -o link show tap0 | grep -q LOWER_UP; }
wait_until "the sink to attach to tap0" attached
ip netns exec $ns "$tool" send --packet tap0 --size 100 --count 50 --rate 500 ||
	fail "the paced send failed"
wait $!
cat "$TESTTMP/sink"
line=$(cat "$TESTTMP/sink")
positive "$line" frames bytes ns
[ "$(grep -oE 'frames=[0-9]+' <<<"$line")" = frames=50 ] || fail "frames lost on an idle tap"
