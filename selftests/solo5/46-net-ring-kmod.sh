#!/bin/bash
# 43-net-ring with petrel.ko loaded: Solo5's own ring test (10000 flood
# pings with the payload 0xdeadbeef, each echo checked by the guest) with
# petrel.ko serving the ring instead of a tender thread.
# timeout: 3100
. "$(dirname "$0")/lib/solo5.sh"
skip_unless_root
skip_unless_host_is Linux
with_petrel_ko
RUN_TIMEOUT=$NET_TIMEOUT
net_setup
flood_ping 10.0.0.2 10000 -p deadbeef
hvt_run_served --net:service0=tap100 -- test_net_ring/test_net_ring.hvt
ping_summary
expect_success
expect_served rx_packets tx_packets
