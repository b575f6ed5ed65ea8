#!/bin/bash
# 40-net-ping for a guest of Solo5's ring protocol (solo5ring.hvt, as a
# Solo5 0.11+ image moves frames), petrel.ko serving that ring.
NET_RING=on SOLO5_RING=yes NET_GUEST=solo5ring \
	exec "$(dirname "$0")/40-net-ping.sh"
