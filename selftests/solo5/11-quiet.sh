#!/bin/bash
# tests.bats "quiet hvt": with --solo5:quiet, SUCCESS and no "Solo5:" line.
# timeout: 450
. "$(dirname "$0")/lib/solo5.sh"
hvt_run -- test_quiet/test_quiet.hvt --solo5:quiet
expect_success
has "Solo5:" && fail "output has \"Solo5:\" despite --solo5:quiet"
true
