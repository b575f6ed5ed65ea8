#!/bin/bash
# petrel's quiet.hvt on solo5-hvt: a guest that prints nothing; the tender
# adds no output of its own.
# timeout: 120
. "$(dirname "$0")/lib/solo5.sh"
on_solo5_hvt
run_tender 0 --mem=32 "$GUESTS/quiet.hvt"
expect_lines 0
