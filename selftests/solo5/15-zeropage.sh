#!/bin/bash
# tests.bats "zeropage hvt": reading address 0 faults and aborts: status 255, ABORT.
# timeout: 450
. "$(dirname "$0")/lib/solo5.sh"
hvt_run test_zeropage/test_zeropage.hvt
expect_abort
