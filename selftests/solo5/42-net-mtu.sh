#!/bin/bash
# tests.bats "net_mtu hvt": on tap102 (MTU 9000) the guest is told MTU 9000.
# timeout: 450
. "$(dirname "$0")/lib/solo5.sh"
skip_unless_root
net_setup
hvt_run --net:service0=tap102 -- test_net_mtu/test_net_mtu.hvt
has "MTU is 9000" || fail "the guest was not told \"MTU is 9000\""
expect_success
