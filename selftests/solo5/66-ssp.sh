#!/bin/bash
# petrel's ssp.hvt on solo5-hvt: a stack overrun is caught by the canary: 255.
# timeout: 120
. "$(dirname "$0")/lib/solo5.sh"
on_solo5_hvt
run_tender 255 --mem=32 "$GUESTS/ssp.hvt"
expect "stack smashing detected"
# shellcheck disable=SC2154 # $out: set by run_tender
if grep -q FAIL <<<"$out"; then fail "overrun not detected"; fi
