#!/bin/bash
# petrel's fpu.hvt on solo5-hvt: x87 and SSE work.
# timeout: 120
. "$(dirname "$0")/lib/solo5.sh"
on_solo5_hvt
run_tender 0 --mem=32 "$GUESTS/fpu.hvt"
expect "^fpu: PASSED$"
