#!/bin/bash
# tests.bats "exception hvt": a guest exception (ud2) aborts: status 255, ABORT.
# timeout: 450
. "$(dirname "$0")/lib/solo5.sh"
hvt_run test_exception/test_exception.hvt
expect_abort
