#!/bin/bash
# timeout: 180
# Hostile guest, raw hypercalls: for every hypercall, the argument struct at
# the first address past guest RAM and at 4 GiB - 16. Each case is its own
# run: the tender stops the guest with exit status 1 and one line naming
# the hypercall, the problem, the address and the RIP.
. "$(dirname "$0")/lib/guest.sh"
. "$(dirname "$0")/lib/net.sh"
. "$(dirname "$0")/lib/hostile.sh"
for hc in $HOSTILE_HYPERCALLS; do
	name=${hc%%:*} HC=${hc#*:}
	hostile "$HC hypercall: hypercall argument outside guest memory \\(0x2000000\\) at RIP 0x" \
		"arg-outside-$name"
	hostile "$HC hypercall: hypercall argument outside guest memory \\(0xfffffff0\\) at RIP 0x" \
		"arg-at-4g-$name"
done
no_frames_out
