#!/bin/bash
# Data, BSS, rodata and the heap are where the guest expects them.
. "$(dirname "$0")/lib/guest.sh"
run_tender 0 --mem=32 "$GUESTS/globals.hvt"
expect '^globals: PASSED$'
