#!/bin/bash
# 40-net-ping on petrel.ko's rings (--net-ring=on), the module loaded.
NET_RING=on exec "$(dirname "$0")/40-net-ping.sh"
