#!/bin/bash
# Monotonic clock advances, yield sleeps until its deadline, wall clock is
# plausible (checked inside the guest).
. "$(dirname "$0")/lib/guest.sh"
run_tender 0 --mem=32 "$GUESTS/time.hvt"
expect '^time: PASSED$'
