#!/bin/bash
# tests.bats "xnor hvt" (reading code as data): run by tests.bats on OpenBSD only.
# timeout: 450
. "$(dirname "$0")/lib/solo5.sh"
skip_unless_host_is OpenBSD
hvt_run test_xnor/test_xnor.hvt
expect_error 1 "host/guest translation fault"
