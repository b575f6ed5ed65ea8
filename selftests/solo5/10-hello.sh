#!/bin/bash
# tests.bats "hello hvt": Solo5's test_hello prints its command line and SUCCESS.
# timeout: 450
. "$(dirname "$0")/lib/solo5.sh"
hvt_run test_hello/test_hello.hvt Hello_Solo5
expect_success
