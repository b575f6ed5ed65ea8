#!/bin/bash
# tests.bats "notls hvt": using TLS before setting its base faults and aborts.
# timeout: 450
. "$(dirname "$0")/lib/solo5.sh"
hvt_run test_notls/test_notls.hvt
expect_abort
