#!/bin/bash
# 43-net-mtu on petrel.ko's rings (--net-ring=on), the module loaded.
NET_RING=on exec "$(dirname "$0")/43-net-mtu.sh"
