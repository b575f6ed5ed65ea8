#!/bin/bash
# tests.bats "output hvt": test_output exits with status 0.
# timeout: 450
. "$(dirname "$0")/lib/solo5.sh"
hvt_run test_output/test_output.hvt Output_Solo5
[ "$status" -eq 0 ] || fail "expected exit status 0"
