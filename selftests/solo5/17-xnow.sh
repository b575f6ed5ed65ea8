#!/bin/bash
# tests.bats "xnow hvt": a guest writing its own code is stopped by the tender:
# status 1, "host/guest translation fault".
# timeout: 450
. "$(dirname "$0")/lib/solo5.sh"
skip_unless_host_is Linux OpenBSD
hvt_run test_xnow/test_xnow.hvt
expect_error 1 "host/guest translation fault"
