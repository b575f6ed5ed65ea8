#!/bin/bash
# tests.bats "globals hvt": initialised and zeroed globals as the linker laid them out.
# timeout: 450
. "$(dirname "$0")/lib/solo5.sh"
hvt_run test_globals/test_globals.hvt
expect_success
