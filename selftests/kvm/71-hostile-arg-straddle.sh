#!/bin/bash
# timeout: 180
# Hostile guest, raw hypercalls: for every hypercall, the argument struct
# with all but its last byte inside guest RAM; PUTS with its buffer past
# RAM, straddling its end, or a length that wraps around or is 2^64-1. Each
# case is its own run: exit status 1 and one line naming the problem.
. "$(dirname "$0")/lib/guest.sh"
. "$(dirname "$0")/lib/net.sh"
. "$(dirname "$0")/lib/hostile.sh"
for hc in $HOSTILE_HYPERCALLS; do
	name=${hc%%:*} HC=${hc#*:}
	hostile "$HC hypercall: hypercall argument outside guest memory \\(0x1ffff[0-9a-f]{2}\\) at RIP 0x" \
		"arg-straddles-end-$name"
done
for c in puts-data-outside puts-data-straddles-end puts-len-wraps puts-len-max; do
	hostile 'PUTS hypercall: PUTS: buffer outside guest memory' $c
done
no_frames_out
