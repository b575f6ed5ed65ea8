#!/bin/bash
# timeout: 120
# 47-net-mtu-9000 on petrel.ko's rings (--net-ring=on), the module loaded:
# 9014-byte frames each way through ring slots sized from the tap's MTU.
NET_RING=on exec "$(dirname "$0")/47-net-mtu-9000.sh"
