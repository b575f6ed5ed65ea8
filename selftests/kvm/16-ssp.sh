#!/bin/bash
# A stack buffer overrun is caught by the canary: status 255.
. "$(dirname "$0")/lib/guest.sh"
run_tender 255 --mem=32 "$GUESTS/ssp.hvt"
expect 'stack smashing detected'
if grep -q 'FAIL' <<<"$out"; then fail "overrun not detected"; fi
