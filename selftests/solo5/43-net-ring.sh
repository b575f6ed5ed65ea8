#!/bin/bash
# tests.bats "net_ring hvt" (Linux only): 10000 flood pings with the
# payload pattern 0xdeadbeef, each echoed intact (checked by the guest), then
# SUCCESS.
# timeout: 3100
. "$(dirname "$0")/lib/solo5.sh"
skip_unless_root
skip_unless_host_is Linux
RUN_TIMEOUT=$NET_TIMEOUT
net_setup
flood_ping 10.0.0.2 10000 -p deadbeef
hvt_run --net:service0=tap100 -- test_net_ring/test_net_ring.hvt
ping_summary
expect_success
