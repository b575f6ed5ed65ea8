#!/bin/bash
# tests.bats "net hvt": test_net answers a flood of 100000 pings on tap100
# (10.0.0.2) and, told "limit", exits with SUCCESS once it has them all.
# Under software emulation the flood takes minutes, hence the long bounds.
# timeout: 3100
. "$(dirname "$0")/lib/solo5.sh"
skip_unless_root
RUN_TIMEOUT=$NET_TIMEOUT
net_setup
flood_ping 10.0.0.2 100000
hvt_run --net:service0=tap100 -- test_net/test_net.hvt limit
ping_summary
expect_success
