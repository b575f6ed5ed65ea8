#!/bin/bash
# timeout: soak+180
# Soak (make soak, not make check): for SOAK_SECONDS, rounds of 4 guests
# started together, pinged and UDP-echoed, then stopped (SIGTERM for
# half, SIGKILL for the rest). Every round must lose no ping. Afterwards
# kernel memory is back where it started: no kvm_vcpu or kvm_mmu_page
# object left, unreclaimable slab within 4 MiB of the level after a
# warm-up round (slab pages kept by per-CPU partial lists make exact
# equality meaningless; a leak of a VM per round would be far above it),
# and petrel.ko, loaded for the run, has reference count 0 and unloads.
. "$PETREL_SRC/selftests/kvm/lib/guest.sh"
. "$PETREL_SRC/selftests/kvm/lib/net.sh"
N=4
in_ns ip link set lo up
for i in $(seq 0 $((N - 1))); do
	add_tap "tap$i" "10.2.$i.1/24"
	in_ns ip neigh replace "10.2.$i.2" lladdr "$(printf '02:00:00:00:02:%02x' "$i")" \
		dev "tap$i" nud permanent
done
loaded_here=0
if [ -f "$PETREL_KO" ] && ! grep -q '^petrel ' /proc/modules; then
	insmod "$PETREL_KO" || fail "insmod $PETREL_KO"
	loaded_here=1
fi

# slab_objs NAME: active objects of slab cache NAME (0 if it has none).
slab_objs() {
	awk -v n="$1" '$1 == n { print $2; f = 1 } END { if (!f) print 0 }' /proc/slabinfo
}
unreclaim_kib() {
	awk '/^SUnreclaim:/ { print $2 }' /proc/meminfo
}
settle() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	sleep 2
}

round() {
	local i pids=() st want
	for i in $(seq 0 $((N - 1))); do
		ip netns exec "$NS" "$PETREL" --mem=16 --net:service0="tap$i" \
			--net-mac:service0="$(printf '02:00:00:00:02:%02x' "$i")" -- \
			"$GUESTS/net.hvt" "10.2.$i.2" >"$TESTTMP/g$i.out" 2>&1 &
		pids[i]=$!
	done
	for i in $(seq 0 $((N - 1))); do
		wait_output "$TESTTMP/g$i.out" 'net: ready' "" ||
			{ cat "$TESTTMP/g$i.out"; fail "round $r: guest $i did not come up"; }
		wait_carrier "tap$i"
	done
	for i in $(seq 0 $((N - 1))); do
		r_ping=$(in_ns ping -c 5 -i 0.05 -W 10 -q "10.2.$i.2" 2>&1)
		grep -q ' 0% packet loss' <<<"$r_ping" ||
			{ echo "$r_ping"; fail "round $r: guest $i lost pings"; }
		in_ns python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(10)
for n in (1, 100, 1472):
    s.sendto(b"x" * n, (sys.argv[1], 7))
    if s.recv(2048) != b"x" * n:
        sys.exit(1)
' "10.2.$i.2" || fail "round $r: guest $i: UDP echo failed"
	done
	for i in $(seq 0 $((N - 1))); do
		if [ $((i % 2)) = 0 ]; then kill -TERM "${pids[i]}"; else kill -KILL "${pids[i]}"; fi
	done
	for i in $(seq 0 $((N - 1))); do
		# Quiet: bash would print "Killed" for each; the status says it.
		wait "${pids[i]}" 2>/dev/null
		st=$?
		# SIGTERM: one line and status 1, as solo5-hvt; SIGKILL: 137.
		if [ $((i % 2)) = 0 ]; then want=1; else want=137; fi
		[ $st -eq $want ] || fail "round $r: guest $i exited $st, expected $want"
	done
}

r=warm-up
round
settle
vcpu0=$(slab_objs kvm_vcpu) mmu0=$(slab_objs kvm_mmu_page_header) slab0=$(unreclaim_kib)
echo "after warm-up: kvm_vcpu $vcpu0, kvm_mmu_page_header $mmu0, SUnreclaim $slab0 KiB"
cp /proc/slabinfo "$TESTTMP/slab.before"

end=$((SECONDS + SOAK_SECONDS))
r=0
while [ $SECONDS -lt $end ]; do
	r=$((r + 1))
	round
done
echo "$r rounds of $N guests in $SOAK_SECONDS s"
settle
vcpu1=$(slab_objs kvm_vcpu) mmu1=$(slab_objs kvm_mmu_page_header) slab1=$(unreclaim_kib)
echo "after: kvm_vcpu $vcpu1, kvm_mmu_page_header $mmu1, SUnreclaim $slab1 KiB"
# The caches that grew most, for the record.
awk 'NR == FNR { a[$1] = $2; next } ($1 in a) && $2 - a[$1] > 0 {
	printf "%s +%d objects\n", $1, $2 - a[$1] }' "$TESTTMP/slab.before" /proc/slabinfo |
	sort -t+ -k2 -rn | head -n 8
[ "$vcpu1" -le "$vcpu0" ] || fail "kvm_vcpu objects grew from $vcpu0 to $vcpu1"
[ "$mmu1" -le "$mmu0" ] || fail "kvm_mmu_page_header objects grew from $mmu0 to $mmu1"
[ $((slab1 - slab0)) -le 4096 ] || fail "unreclaimable slab grew by $((slab1 - slab0)) KiB"
if [ $loaded_here = 1 ]; then
	ref=$(cat /sys/module/petrel/refcnt)
	[ "$ref" -eq 0 ] || fail "petrel.ko holds $ref references"
	rmmod petrel || fail "rmmod petrel failed"
	echo "petrel.ko: reference count 0, unloaded"
fi
exit 0
