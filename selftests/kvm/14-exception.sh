#!/bin/bash
# A divide error is reported with its vector and RIP; status 255.
. "$(dirname "$0")/lib/guest.sh"
run_tender 255 --mem=32 "$GUESTS/exception.hvt"
expect 'guest exception: vector 0 \(#DE divide error\), error code 0x0+, RIP 0x0+1[0-9a-f]{5}'
if grep -q 'FAIL' <<<"$out"; then fail "guest went on after the fault"; fi
