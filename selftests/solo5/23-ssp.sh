#!/bin/bash
# tests.bats "ssp hvt": a smashed stack is caught by the stack protector and aborts.
# timeout: 450
. "$(dirname "$0")/lib/solo5.sh"
hvt_run test_ssp/test_ssp.hvt
expect_abort
