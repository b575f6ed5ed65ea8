#!/bin/bash
# petrel's globals.hvt on solo5-hvt: data, BSS, rodata and heap in place.
# timeout: 120
. "$(dirname "$0")/lib/solo5.sh"
on_solo5_hvt
run_tender 0 --mem=32 "$GUESTS/globals.hvt"
expect "^globals: PASSED$"
