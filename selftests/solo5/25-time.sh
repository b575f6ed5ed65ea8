#!/bin/bash
# tests.bats "time hvt": the clocks advance and a yield sleeps as long as asked.
# tests.bats skips (and only then) a run that ends "slept too little" with
# status 1 on Linux with Debian's gcc, as flaky: so does this test.
# timeout: 450
. "$(dirname "$0")/lib/solo5.sh"
hvt_run test_time/test_time.hvt
if [ "$status" -eq 1 ] && has "slept too little" && gcc --version 2>/dev/null | grep -q Debian; then
	skip "flaky, ignored (tests.bats skips \"slept too little\" on Linux with Debian's gcc)"
fi
expect_success
