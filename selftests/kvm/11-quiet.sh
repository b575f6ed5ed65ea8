#!/bin/bash
# A guest that prints nothing: the tender adds no output of its own.
. "$(dirname "$0")/lib/guest.sh"
run_tender 0 --mem=32 "$GUESTS/quiet.hvt"
expect_lines 0
