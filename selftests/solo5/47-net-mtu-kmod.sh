#!/bin/bash
# 42-net-mtu with petrel.ko loaded: a 9000-byte MTU does not fit Solo5's
# ring entries (Solo5 would send such frames by hypercall), so petrel does
# not offer the ring; test_net_mtu passes on the hypercalls.
. "$(dirname "$0")/lib/solo5.sh"
skip_unless_root
with_petrel_ko
net_setup
hvt_run --net:service0=tap102 -- test_net_mtu/test_net_mtu.hvt
has "MTU is 9000" || fail "the guest was not told \"MTU is 9000\""
expect_success
