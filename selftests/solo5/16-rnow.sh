#!/bin/bash
# tests.bats "rnow hvt" (writing read-only data): run by tests.bats on OpenBSD only.
# timeout: 450
. "$(dirname "$0")/lib/solo5.sh"
skip_unless_host_is OpenBSD
hvt_run test_rnow/test_rnow.hvt
expect_error 1 "host/guest translation fault"
