#!/bin/bash
# petrel's exception.hvt on solo5-hvt: a divide error is reported by the
# guest's own trap handler with its vector and RIP; status 255.
# timeout: 120
. "$(dirname "$0")/lib/solo5.sh"
on_solo5_hvt
run_tender 255 --mem=32 "$GUESTS/exception.hvt"
expect "guest exception: vector 0 \(#DE divide error\), error code 0x0+, RIP 0x0+1[0-9a-f]{5}"
# shellcheck disable=SC2154 # $out: set by run_tender
if grep -q FAIL <<<"$out"; then fail "guest went on after the fault"; fi
