#!/bin/bash
# tests.bats "tls hvt": thread-local storage once its base is set.
# timeout: 450
. "$(dirname "$0")/lib/solo5.sh"
hvt_run test_tls/test_tls.hvt
expect_success
