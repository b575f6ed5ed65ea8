#!/bin/bash
# petrel's time.hvt on solo5-hvt: clocks advance, yield sleeps to its deadline.
# timeout: 120
. "$(dirname "$0")/lib/solo5.sh"
on_solo5_hvt
run_tender 0 --mem=32 "$GUESTS/time.hvt"
expect "^time: PASSED$"
