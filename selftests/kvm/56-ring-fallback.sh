#!/bin/bash
# --net-ring without the module: "on" refuses to start with one line naming
# /dev/petrel, "auto" runs on the hypercalls and says so in exactly one
# line, naming the reason and how to check the module. With the module,
# "auto" takes the rings without that line, and the tender's VmPin counts
# the pinned ring regions; a guest whose bindings decline the rings still
# answers, on the hypercalls: the tender withdrew the rings (unregistered
# its devices, unpinning their regions) at the guest's first exit.
. "$(dirname "$0")/lib/guest.sh"
. "$(dirname "$0")/lib/net.sh"
grep -q '^petrel ' /proc/modules && rmmod petrel
add_tap tap0 10.0.0.1/24
out=$(in_ns "$PETREL" --net-ring=on --mem=32 --net:service0=tap0 \
	"$GUESTS/net.hvt" 10.0.0.2 2>&1); st=$?
echo "$out"
[ $st -eq 1 ] || fail "exit status $st with --net-ring=on and no module"
expect '/dev/petrel'; expect_lines 1
PETREL_OPTS=(--net-ring=auto)
start_guest --mem=32 --net:service0=tap0 -- "$GUESTS/net.hvt" 10.0.0.2
ping_ok 10.0.0.2 10
stop_guest

# fallback_lines: the tender's lines about running without rings.
fallback_lines() {
	grep -c '^petrel: --net-ring' "$TESTTMP/guest.out"
}
why="petrel: --net-ring=auto: the net devices use hypercalls: cannot open /dev/petrel: No such file or directory (petrel.ko not loaded? see 'dkms status petrel', then 'modprobe petrel')"
[ "$(fallback_lines)" -eq 1 ] ||
	fail "--net-ring=auto without the module: $(fallback_lines) lines about it, expected 1"
grep -qxF "$why" "$TESTTMP/guest.out" || fail "the line is not: $why"

# vm_pin_kb: the running tender's VmPin.
vm_pin_kb() {
	awk '$1 == "VmPin:" { print $2 }' "/proc/$TENDER_PID/status"
}

NET_RING=on EXPECT_RINGS=no
ring_load
PETREL_OPTS=(--net-ring=on)
start_guest --mem=32 --net:service0=tap0 -- "$GUESTS/net-noring.hvt" 10.0.0.2
ping_ok 10.0.0.2 20
on_rings && fail "the tender kept the rings of a guest that declined them"
on_rings solo5 || fail "the devices did not go on Solo5's ring, which petrel.ko serves"
# What stays pinned is Solo5's ring (struct hvt_ring, 13 pages), which
# lives as long as the VM; petrel's regions are unpinned.
pin=$(vm_pin_kb)
echo "VmPin of the tender, petrel's rings withdrawn: $pin kB"
[ "$pin" = 52 ] || fail "VmPin $pin kB after petrel's rings were withdrawn, expected 52 (Solo5's ring)"
stop_guest
# And the same tender, module and tap with a guest that takes them, in
# auto mode: no line about it.
EXPECT_RINGS=yes
PETREL_OPTS=(--net-ring=auto)
start_guest --mem=32 --net:service0=tap0 -- "$GUESTS/net.hvt" 10.0.0.2
ping_ok 10.0.0.2 20
pin=$(vm_pin_kb)
echo "VmPin of the tender on rings: $pin kB"
[ -n "$pin" ] && [ "$pin" -gt 0 ] || fail "VmPin '$pin' with the rings registered, expected their pages"
stop_guest
[ "$(fallback_lines)" -eq 0 ] || fail "--net-ring=auto with the module printed a line about it"
