#!/bin/bash
# timeout: 400
# 32 guests at once, each on its own tap, all pinged
# together; half of them are killed with SIGKILL in the middle of it and
# the other half lose no ping. Then every tender is gone, no tap is left
# attached, and (with petrel.ko loaded for the run) the module holds
# nothing: its reference count is 0 and rmmod succeeds.
. "$(dirname "$0")/lib/guest.sh"
. "$(dirname "$0")/lib/net.sh"
N=32

loaded_here=0
if [ -f "$PETREL_KO" ] && ! grep -q '^petrel ' /proc/modules; then
	insmod "$PETREL_KO" || fail "insmod $PETREL_KO"
	loaded_here=1
fi

in_ns ip link set lo up
pids=()
for i in $(seq 0 $((N - 1))); do
	# One subnet per tap: no bridge module needed, no broadcast fan-out.
	add_tap "tap$i" "10.1.$i.1/24"
	mac=$(printf '02:00:00:00:01:%02x' "$i")
	# Static neighbours: the test is about the guests' data path, not
	# ARP retries timing out on one emulated CPU shared by 32 guests.
	in_ns ip neigh replace "10.1.$i.2" lladdr "$mac" dev "tap$i" nud permanent
	ip netns exec "$NS" "$PETREL" --mem=16 --net:service0="tap$i" \
		--net-mac:service0="$mac" -- "$GUESTS/net.hvt" "10.1.$i.2" \
		>"$TESTTMP/guest$i.out" 2>&1 &
	pids[i]=$!
done
start=$SECONDS
for i in $(seq 0 $((N - 1))); do
	for _ in $(seq 1200); do
		grep -q 'net: ready' "$TESTTMP/guest$i.out" && break
		kill -0 "${pids[i]}" 2>/dev/null || break
		sleep 0.1
	done
	grep -q 'net: ready' "$TESTTMP/guest$i.out" ||
		{ cat "$TESTTMP/guest$i.out"; fail "guest $i did not come up"; }
done
echo "$N guests up in $((SECONDS - start)) s"

# Every guest answers before the kill.
for i in $(seq 0 $((N - 1))); do
	ip netns exec "$NS" ping -c 3 -i 0.2 -W 10 -q "10.1.$i.2" \
		>"$TESTTMP/ping$i.pre" 2>&1 &
done
wait_pings() {
	local i bad=0
	for i in "$@"; do
		grep -q ' 0% packet loss' "$TESTTMP/ping$i.$phase" ||
			{ echo "guest $i: $(grep 'packet loss' "$TESTTMP/ping$i.$phase")"; bad=1; }
	done
	return $bad
}
phase=pre
for p in $(jobs -p); do
	case " ${pids[*]} " in *" $p "*) ;; *) wait "$p" ;; esac
done
# shellcheck disable=SC2046 # one argument per guest
wait_pings $(seq 0 $((N - 1))) || fail "pings lost before the kill"
echo "all $N answered 3 pings ($((SECONDS - start)) s since start)"

# Traffic to every guest; the odd ones are killed in the middle of it.
phase=during
pingers=()
for i in $(seq 0 $((N - 1))); do
	ip netns exec "$NS" ping -c 20 -i 0.2 -W 10 -q "10.1.$i.2" \
		>"$TESTTMP/ping$i.during" 2>&1 &
	pingers[i]=$!
done
sleep 2
for i in $(seq 1 2 $((N - 1))); do
	kill -KILL "${pids[i]}"
done
for i in $(seq 1 2 $((N - 1))); do
	wait "${pids[i]}"
	st=$?
	[ $st -eq 137 ] || fail "guest $i: status $st after SIGKILL, expected 137"
done
for i in $(seq 0 $((N - 1))); do
	wait "${pingers[i]}"
done
survivors=$(seq 0 2 $((N - 1)))
# shellcheck disable=SC2086 # one argument per guest
wait_pings $survivors || fail "a surviving guest lost pings"
echo "$((N / 2)) survivors answered all 20 pings each while $((N / 2)) were killed ($((SECONDS - start)) s since start)"

for i in $survivors; do
	kill "${pids[i]}"
	wait "${pids[i]}" 2>/dev/null
done
left=$(pgrep -c -f "^$PETREL " || true)
[ "${left:-0}" -eq 0 ] || fail "$left tenders still running"
for i in $(seq 0 $((N - 1))); do
	flags=$(in_ns ip -o link show "tap$i")
	case $flags in *NO-CARRIER*) ;; *) fail "tap$i still attached: $flags" ;; esac
done
if [ $loaded_here = 1 ]; then
	ref=$(cat /sys/module/petrel/refcnt)
	[ "$ref" -eq 0 ] || fail "petrel.ko holds $ref references after the run"
	rmmod petrel || fail "rmmod petrel failed: the module holds something"
	echo "petrel.ko: reference count 0, unloaded"
fi
