#!/bin/bash
# --net-ring without the module: "on" refuses to start with one line naming
# /dev/petrel, "auto" runs on the hypercalls. With the module, a guest whose
# bindings decline the rings still answers, on the hypercalls: the tender
# withdrew the rings (unregistered its devices) at the guest's first exit.
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

NET_RING=on EXPECT_RINGS=no
ring_load
PETREL_OPTS=(--net-ring=on)
start_guest --mem=32 --net:service0=tap0 -- "$GUESTS/net-noring.hvt" 10.0.0.2
ping_ok 10.0.0.2 20
on_rings && fail "the tender kept the rings of a guest that declined them"
stop_guest
# And the same tender, module and tap with a guest that takes them.
EXPECT_RINGS=yes
start_guest --mem=32 --net:service0=tap0 -- "$GUESTS/net.hvt" 10.0.0.2
ping_ok 10.0.0.2 20
stop_guest
