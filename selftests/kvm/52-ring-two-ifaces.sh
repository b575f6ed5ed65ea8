#!/bin/bash
# 42-net-two-ifaces on petrel.ko's rings (--net-ring=on), the module loaded.
NET_RING=on exec "$(dirname "$0")/42-net-two-ifaces.sh"
