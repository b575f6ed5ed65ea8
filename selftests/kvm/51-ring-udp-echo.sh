#!/bin/bash
# 41-net-udp-echo on petrel.ko's rings (--net-ring=on), the module loaded.
NET_RING=on exec "$(dirname "$0")/41-net-udp-echo.sh"
