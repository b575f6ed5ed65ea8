#!/bin/bash
# 41-net-2if with petrel.ko loaded: two devices on Solo5's one ring, told
# apart by handle, 50000 flood pings each, served by petrel.ko.
# timeout: 3100
. "$(dirname "$0")/lib/solo5.sh"
skip_unless_root
with_petrel_ko
RUN_TIMEOUT=$NET_TIMEOUT
net_setup
flood_ping 10.0.0.2 50000
flood_ping 10.1.0.2 50000
hvt_run_served --net:service0=tap100 --net:service1=tap101 -- \
	test_net_2if/test_net_2if.hvt limit
ping_summary
expect_success
expect_served rx_packets tx_packets dev1.rx_packets dev1.tx_packets
