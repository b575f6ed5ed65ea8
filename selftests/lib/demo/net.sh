#!/bin/bash
# Demo scene: the net unikernel on a tap, pinged from the host side. The tap
# lives in a network namespace of its own, gone when the scene ends.
set -u
[ -x "$PETREL" ] || { echo "demo: $PETREL is missing (run make)"; exit 1; }
[ -f "$GUESTS/net.hvt" ] || { echo "demo: $GUESTS/net.hvt is missing (run make)"; exit 1; }

ns=petrel-demo$$
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	ip netns del "$ns" 2>/dev/null
}
trap cleanup EXIT
run() {
	echo "\$ $*"
	"$@"
}

ip netns add "$ns" || { echo "demo: cannot create a network namespace"; exit 1; }
run ip netns exec "$ns" ip tuntap add tap0 mode tap || exit 1
run ip netns exec "$ns" ip addr add 10.0.0.1/24 dev tap0
run ip netns exec "$ns" ip link set tap0 up
echo "\$ petrel --mem=32 --net:service0=tap0 -- net.hvt 10.0.0.2 &"
ip netns exec "$ns" "$PETREL" --mem=32 --net:service0=tap0 \
	-- "$GUESTS/net.hvt" 10.0.0.2 >guest.out 2>&1 &
pid=$!
for _ in $(seq 300); do
	grep -q 'net: ready' guest.out && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1
done
sed 's/^/  | /' guest.out
grep -q 'net: ready' guest.out || { echo "demo: the guest did not come up"; exit 1; }
run ip netns exec "$ns" ping -c 5 -i 0.2 -W 5 10.0.0.2
rc=$?
kill "$pid"
wait "$pid" 2>/dev/null
pid=
echo "(ping exited with status $rc; petrel stopped)"
exit $rc
