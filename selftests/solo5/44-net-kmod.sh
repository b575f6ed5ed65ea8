#!/bin/bash
# 40-net with petrel.ko loaded: Solo5's test_net, built by Solo5's
# toolchain, takes the Solo5 ring petrel offers, and petrel.ko serves it:
# 100000 flood pings answered, SUCCESS, and petrel.ko's counters moved.
# timeout: 3100
. "$(dirname "$0")/lib/solo5.sh"
skip_unless_root
with_petrel_ko
RUN_TIMEOUT=$NET_TIMEOUT
net_setup
flood_ping 10.0.0.2 100000
hvt_run_served --net:service0=tap100 -- test_net/test_net.hvt limit
ping_summary
expect_success
expect_served rx_packets tx_packets
