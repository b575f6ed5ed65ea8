#!/bin/bash
# 42-net-two-ifaces for a guest of Solo5's ring protocol: one ring, two
# devices told apart by handle, petrel.ko serving both.
NET_RING=on SOLO5_RING=yes NET_GUEST2=solo5ring2 \
	exec "$(dirname "$0")/42-net-two-ifaces.sh"
