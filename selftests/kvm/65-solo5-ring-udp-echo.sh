#!/bin/bash
# 41-net-udp-echo (every size, every byte checked) for a guest of Solo5's
# ring protocol, petrel.ko serving that ring.
NET_RING=on SOLO5_RING=yes NET_GUEST=solo5ring \
	exec "$(dirname "$0")/41-net-udp-echo.sh"
