#!/bin/bash
# tests.bats "net_2if hvt": test_net_2if answers 50000 flood pings on each
# of tap100 (10.0.0.2) and tap101 (10.1.0.2), then exits with SUCCESS.
# timeout: 3100
. "$(dirname "$0")/lib/solo5.sh"
skip_unless_root
RUN_TIMEOUT=$NET_TIMEOUT
net_setup
flood_ping 10.0.0.2 50000
flood_ping 10.1.0.2 50000
hvt_run --net:service0=tap100 --net:service1=tap101 -- test_net_2if/test_net_2if.hvt limit
ping_summary
expect_success
