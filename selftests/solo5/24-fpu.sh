#!/bin/bash
# tests.bats "fpu hvt": SSE state works in the guest.
# timeout: 450
. "$(dirname "$0")/lib/solo5.sh"
hvt_run test_fpu/test_fpu.hvt
expect_success
