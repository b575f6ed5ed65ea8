#!/bin/bash
# x87 and SSE work (the tender enabled them) with an aligned stack.
. "$(dirname "$0")/lib/guest.sh"
run_tender 0 --mem=32 "$GUESTS/fpu.hvt"
expect '^fpu: PASSED$'
