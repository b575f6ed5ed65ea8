#!/bin/bash
# 45-device-errors on petrel.ko's rings (--net-ring=on), the module loaded.
NET_RING=on exec "$(dirname "$0")/45-device-errors.sh"
