#!/bin/bash
# timeout: 180
# Hostile guest: unknown hypercall numbers (0, HVT_HYPERCALL_MAX, 255),
# ports outside the hypercall range, hypercall ports used with 8- or 16-bit
# OUT or with IN, and REP OUTSL of two argument addresses, the second past
# RAM (KVM exits once per element: each is checked). Each case is its own run: exit status 1 and
# one line naming the port. A neighbour guest on another tap keeps
# answering pings throughout.
. "$(dirname "$0")/lib/guest.sh"
. "$(dirname "$0")/lib/net.sh"
. "$(dirname "$0")/lib/hostile.sh"
add_tap tap1 10.0.1.1/24
start_guest --mem=32 --net:service0=tap1 -- "$GUESTS/net.hvt" 10.0.1.2
hostile 'I/O to unknown port \(0x500\) at RIP 0x' hypercall-nr-0
hostile 'I/O to unknown port \(0x5ff\) at RIP 0x' hypercall-nr-255
hostile 'I/O to unknown port \(0x50[0-9a-f]\) at RIP 0x' hypercall-nr-max
hostile 'I/O to unknown port \(0x4ff\) at RIP 0x' port-below-base
hostile 'I/O to unknown port \(0x80\) at RIP 0x' port-0x80
for c in hypercall-outb hypercall-outw hypercall-inl; do
	hostile 'hypercall port accessed other than by one 32-bit OUT \(0x50[0-9a-f]\) at RIP 0x' $c
done
hostile 'PUTS hypercall: hypercall argument outside guest memory \(0x2000000\)' \
	hypercall-rep-outsl
no_frames_out
ping_ok 10.0.1.2 5
stop_guest
